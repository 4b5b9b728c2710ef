//! Mounting, as graph facts. An atom is *mounted* in a store while something observes it there: a
//! subscriber (a `Watch` is one), an effect whose last run read it, or a mounted derived atom that reads
//! it — Jotai's definition, transitive through derived atoms.
//!
//! A store counts mounts only once it holds an atom with `on_mount` ([`State::track_mounts`]): until
//! then nothing here costs anything, and [`State::is_mounted`] searches the observers instead. While it
//! counts, every node has a number of mounted observers, kept up to date where edges and subscribers
//! change (subscribe, unsubscribe, a re-evaluation that reads other atoms, a removed node), each by a
//! loop over a stack (no recursion by the depth of the graph). The atoms with `on_mount` whose state
//! may have changed are noted; the store calls their `on_mount` or unmount after its lock is released.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::core::info::AtomId;
use crate::graph::def::DefGuard;
use crate::graph::host::StoreToken;
use crate::graph::state::State;

/// The closure an `on_mount` returned: runs when the atom stops being mounted.
pub(crate) type Unmount = Box<dyn FnOnce() + Send>;

/// The mount counts of one store.
#[derive(Default)]
pub(crate) struct Mounts {
    /// Local slot -> how many mounted nodes observe it (absent: none).
    counts: HashMap<u32, u32>,
    /// Atoms with `on_mount` whose mounted state may have changed, to reconsider after the lock.
    pub(crate) pending: Vec<AtomId>,
    /// The atoms whose `on_mount` ran here and whose unmount has not.
    pub(crate) active: HashMap<AtomId, Arc<MountRun>>,
}

/// What an atom's `on_mount` is called with: the store it is mounted in, the atom (its id and its
/// definition, held, through which its setter writes) and the mount. (`pub` only so that the hidden
/// `ErasedDef` trait can name it.)
#[doc(hidden)]
pub struct MountCall {
    pub(crate) store: StoreToken,
    pub(crate) store_name: &'static str,
    pub(crate) atom: AtomId,
    pub(crate) def: DefGuard,
    pub(crate) run: Arc<MountRun>,
    /// A `Global` atom mounted for every global-mode store at once (its setter writes the registry).
    pub(crate) global: bool,
}

/// One mount of one atom in one store: from its `on_mount` to its unmount.
pub(crate) struct MountRun {
    /// Cleared at unmount: the atom's setter does nothing after that.
    pub(crate) alive: AtomicBool,
    /// What `on_mount` returned, until the unmount takes it (or `on_mount` is still running).
    pub(crate) cleanup: Mutex<Option<Unmount>>,
}

impl MountRun {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(MountRun { alive: AtomicBool::new(true), cleanup: Mutex::new(None) })
    }

    /// Keeps `cleanup` for the unmount; if the unmount came first (while `on_mount` ran on another thread),
    /// runs it now.
    pub(crate) fn keep(&self, cleanup: Unmount) {
        let mut slot = self.cleanup.lock().unwrap_or_else(PoisonError::into_inner);
        if self.alive.load(Ordering::Acquire) {
            *slot = Some(cleanup);
        } else {
            drop(slot);
            cleanup();
        }
    }

    /// Ends the mount: the setter stops, and the unmount closure (if `on_mount` returned already) is
    /// handed back to be run outside any lock.
    pub(crate) fn end(&self) -> Option<Unmount> {
        let mut slot = self.cleanup.lock().unwrap_or_else(PoisonError::into_inner);
        self.alive.store(false, Ordering::Release);
        slot.take()
    }
}

impl State {
    /// Starts counting mounts in this store (its first atom with `on_mount` was registered): counts what
    /// is mounted now, from the subscribed nodes and the effects down.
    pub(crate) fn track_mounts(&mut self) {
        if self.mounts().is_some() {
            return;
        }
        let mut m = Box::<Mounts>::default();
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<u32> = Vec::new();
        for (l, node) in self.nodes.iter().enumerate() {
            if node.is_live() && (!node.subs.is_empty() || node.is_effect()) {
                seen[l] = true;
                stack.push(u32::try_from(l).expect("fewer than u32::MAX nodes"));
            }
        }
        while let Some(n) = stack.pop() {
            let sources = &self.nodes[n as usize].sources;
            for (i, &s) in sources.iter().enumerate() {
                if sources[..i].contains(&s)
                    || !self.nodes.get(s as usize).is_some_and(crate::graph::state::Node::is_live)
                {
                    continue;
                }
                *m.counts.entry(s).or_default() += 1;
                if !seen[s as usize] {
                    seen[s as usize] = true;
                    stack.push(s);
                }
            }
        }
        self.put_mounts(m);
    }

    /// The mount counts, if this store keeps them.
    #[inline]
    pub(crate) fn mounts(&self) -> Option<&Mounts> {
        self.tools.as_ref()?.mounts.as_deref()
    }

    pub(crate) fn mounts_mut(&mut self) -> Option<&mut Mounts> {
        self.tools.as_mut()?.mounts.as_deref_mut()
    }

    fn take_mounts(&mut self) -> Option<Box<Mounts>> {
        self.tools.as_mut()?.mounts.take()
    }

    fn put_mounts(&mut self, m: Box<Mounts>) {
        self.tools.get_or_insert_with(Box::default).mounts = Some(m);
    }

    /// Whether node `l` is mounted.
    pub(crate) fn is_mounted(&self, l: u32) -> bool {
        match self.mounts() {
            Some(m) => self.counted_mounted(m, l),
            None => self.search_mounted(l),
        }
    }

    #[inline]
    fn counted_mounted(&self, m: &Mounts, l: u32) -> bool {
        let node = self.node(l);
        !node.subs.is_empty() || node.is_effect() || m.counts.get(&l).is_some_and(|&c| c > 0)
    }

    /// Mounted, found without counts: some chain of observers from `l` up reaches a subscriber or an
    /// effect.
    fn search_mounted(&self, l: u32) -> bool {
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![l];
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            let node = self.node(n);
            if !node.subs.is_empty() || node.is_effect() {
                return true;
            }
            stack.extend(node.observers.iter().copied().filter(|&o| self.nodes[o as usize].is_live()));
        }
        false
    }

    /// Whether `l` is mounted, if this store counts mounts: call before changing its subscribers, and
    /// give the answer to [`mount_update`](Self::mount_update) after.
    #[inline]
    pub(crate) fn mount_before(&self, l: u32) -> Option<bool> {
        self.mounts().map(|m| self.counted_mounted(m, l))
    }

    /// `l`'s subscribers (or effect) changed: if that mounted or unmounted it, so are its sources.
    pub(crate) fn mount_update(&mut self, l: u32, before: Option<bool>) {
        let Some(before) = before else { return };
        let Some(mut m) = self.take_mounts() else { return };
        if self.counted_mounted(&m, l) != before {
            self.note_mount(&mut m, l);
            let sources: Vec<u32> = self.node(l).sources.to_vec();
            self.mount_sources(&mut m, &sources, !before);
        }
        self.put_mounts(m);
    }

    /// Node `l` (mounted) stopped reading `removed` and started reading `added`.
    pub(crate) fn mount_relink(&mut self, l: u32, old: &[u32], new: &[u32]) {
        let Some(mut m) = self.take_mounts() else { return };
        if self.counted_mounted(&m, l) {
            let removed: Vec<u32> = old.iter().copied().filter(|s| !new.contains(s)).collect();
            let added: Vec<u32> = new.iter().copied().filter(|s| !old.contains(s)).collect();
            self.mount_sources(&mut m, &removed, false);
            self.mount_sources(&mut m, &added, true);
        }
        self.put_mounts(m);
    }

    /// Node `l` is about to be removed: it no longer observes its sources, and if it was mounted its
    /// `on_mount` (if any) is reconsidered (as not mounted).
    pub(crate) fn mount_remove(&mut self, l: u32) {
        let Some(mut m) = self.take_mounts() else { return };
        if self.counted_mounted(&m, l) {
            self.note_mount(&mut m, l);
            let sources: Vec<u32> = self.node(l).sources.to_vec();
            self.mount_sources(&mut m, &sources, false);
        }
        m.counts.remove(&l);
        self.put_mounts(m);
    }

    /// One mounted observer more (`gain`) or less for each distinct node of `sources`; each that becomes
    /// mounted (or unmounted) by it does the same to its own sources, by a loop over a stack.
    fn mount_sources(&self, m: &mut Mounts, sources: &[u32], gain: bool) {
        let mut stack: Vec<u32> = Vec::new();
        let visit = |m: &mut Mounts, list: &[u32], stack: &mut Vec<u32>| {
            for (i, &s) in list.iter().enumerate() {
                if list[..i].contains(&s)
                    || !self.nodes.get(s as usize).is_some_and(crate::graph::state::Node::is_live)
                {
                    continue;
                }
                let before = self.counted_mounted(m, s);
                let count = m.counts.entry(s).or_default();
                if gain {
                    *count += 1;
                } else {
                    *count = count.saturating_sub(1);
                    if *count == 0 {
                        m.counts.remove(&s);
                    }
                }
                if self.counted_mounted(m, s) != before {
                    self.note_mount(m, s);
                    stack.push(s);
                }
            }
        };
        visit(m, sources, &mut stack);
        while let Some(n) = stack.pop() {
            visit(m, &self.node(n).sources, &mut stack);
        }
    }

    /// Notes `l` for its `on_mount`, if it has one.
    fn note_mount(&self, m: &mut Mounts, l: u32) {
        let node = self.node(l);
        if node.def.live().is_some_and(crate::graph::def::ErasedDef::has_on_mount)
            && !m.pending.contains(&node.id)
        {
            m.pending.push(node.id);
        }
    }

    /// Whether an atom with `on_mount` waits to be reconsidered.
    #[inline]
    pub(crate) fn mounts_pending(&self) -> bool {
        self.tools.as_ref().is_some_and(|t| t.mounts.as_ref().is_some_and(|m| !m.pending.is_empty()))
    }
}
