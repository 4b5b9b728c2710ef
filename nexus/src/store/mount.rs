//! The mount lifecycle as a store runs it: after its lock is released, the atoms with `on_mount` whose
//! mounted state changed (counted by `graph::mount`) get their `on_mount` called, or the closure it
//! returned; [`Setter`] and [`StoreRef`], what `on_mount` is given.

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::core::info::{AtomId, StoreId};
use crate::graph::access::{AtomRef, HandleDyn, KeepAlive};
use crate::graph::def::{DefGuard, ErasedDef, NodeDef};
use crate::graph::effect::Panic;
use crate::graph::host::StoreToken;
use crate::graph::mount::{MountCall, MountRun};
use crate::graph::state::State;
use crate::store::instance::StoreShared;

/// The store instance an atom was mounted in, as its `on_mount` sees it.
///
/// It does not keep the store alive (a resource started by `on_mount` must not keep its store from
/// being dropped: dropping the store unmounts it).
#[derive(Clone)]
pub struct StoreRef {
    id: StoreId,
    name: &'static str,
}

impl StoreRef {
    pub(crate) fn new(call: &MountCall) -> Self {
        StoreRef { id: call.store.id, name: call.store_name }
    }

    /// The instance's id.
    pub fn id(&self) -> StoreId {
        self.id
    }

    /// The store type's name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl fmt::Debug for StoreRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.name, self.id)
    }
}

/// Writes one mounted atom in the store it is mounted in, from any thread: what `on_mount` gets to
/// feed the atom (a websocket's thread, a timer).
///
/// It is `Clone + Send + Sync + 'static`. While the atom is mounted, [`set`](Setter::set) and
/// [`update`](Setter::update) are the store's `set` and `update` of the atom; once it is unmounted (its
/// unmount closure has started) or the store is dropped, they do nothing (a write racing with the
/// unmount may still land). It keeps neither the store nor a run-time atom alive.
///
/// Which thread runs the unmount closure: the one that ends the mount, usually the one dropping the last
/// observer — but a clean-up that arrives while another thread holds the store's lock is finished by
/// that thread, which may be the very thread feeding the atom through this setter (its `set` then runs
/// the unmount). So an unmount closure signals the feeder to stop and does not wait for it to end
/// (`join` on the feeder's own thread would fail).
pub struct Setter<T> {
    store: StoreToken,
    atom: AtomId,
    def: DefGuard,
    run: Arc<MountRun>,
    eq: Option<fn(&T, &T) -> bool>,
    /// A `Global` atom mounted by global-mode stores: written in the global registry.
    global: bool,
    _value: PhantomData<fn(T)>,
}

impl<T> Clone for Setter<T> {
    fn clone(&self) -> Self {
        Setter {
            store: self.store.clone(),
            atom: self.atom,
            def: self.def.clone(),
            run: self.run.clone(),
            eq: self.eq,
            global: self.global,
            _value: PhantomData,
        }
    }
}

impl<T: Clone + Send + Sync + 'static> fmt::Debug for Setter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Setter")
            .field("atom", &&*self.def.core().path())
            .field("mounted", &self.is_mounted())
            .finish_non_exhaustive()
    }
}

impl<T: Clone + Send + Sync + 'static> Setter<T> {
    /// The setter of the mount `call` describes (`eq`: the atom's equality).
    pub(crate) fn new(call: &MountCall, eq: Option<fn(&T, &T) -> bool>) -> Self {
        Setter {
            store: call.store.clone(),
            atom: call.atom,
            def: call.def.clone(),
            run: call.run.clone(),
            eq,
            global: call.global,
            _value: PhantomData,
        }
    }

    /// Whether the atom is still mounted (and its store alive): a loop feeding it can stop when not.
    pub fn is_mounted(&self) -> bool {
        self.run.alive.load(Ordering::Acquire) && (self.global || self.store.store.strong_count() > 0)
    }

    /// The store, while the atom is mounted there.
    fn store(&self) -> Option<Arc<StoreShared>> {
        if !self.run.alive.load(Ordering::Acquire) || !self.def.core().is_alive() {
            return None;
        }
        let store: Arc<dyn Any + Send + Sync> = self.store.store.upgrade()?;
        store.downcast::<StoreShared>().ok()
    }

    /// Sets the atom (as `store.set`: an equal value is not a change); nothing once it is unmounted.
    #[track_caller]
    pub fn set(&self, value: T) {
        let at = std::panic::Location::caller();
        let r = AtomRef { id: self.atom, handle: &self.def };
        if self.global {
            if self.run.alive.load(Ordering::Acquire) && crate::store::global::set(r, value) {
                crate::store::global::broadcast_all(self.atom);
            }
        } else if let Some(store) = self.store() {
            let _origin = store.origin(at);
            store.set(r, value, self.eq);
        }
    }

    /// Modifies the atom in place (as `store.update`); nothing once it is unmounted.
    #[track_caller]
    pub fn update(&self, f: impl FnOnce(&mut T)) {
        let at = std::panic::Location::caller();
        let r = AtomRef { id: self.atom, handle: &self.def };
        if self.global {
            if self.run.alive.load(Ordering::Acquire) && crate::store::global::update(r, f) {
                crate::store::global::broadcast_all(self.atom);
            }
        } else if let Some(store) = self.store() {
            let _origin = store.origin(at);
            store.update(r, f);
        }
    }
}

// What a setter writes through: the atom's definition, held.
impl HandleDyn for DefGuard {
    fn def(&self) -> &dyn ErasedDef {
        &**self
    }

    fn node_def(&self) -> NodeDef {
        match self {
            DefGuard::Static(d) => NodeDef::Static(*d),
            DefGuard::Runtime(d) => NodeDef::Runtime(d.clone()),
        }
    }

    fn keepalive(&self) -> Option<KeepAlive> {
        match self {
            DefGuard::Static(_) => None,
            DefGuard::Runtime(d) => Some(KeepAlive::hold(d.clone())),
        }
    }
}

/// The `on_mount` calls and unmounts a store owes after its lock is released.
pub(crate) struct MountWork {
    store: StoreToken,
    name: &'static str,
    unmounts: Vec<Arc<MountRun>>,
    mounts: Vec<(AtomId, DefGuard, Arc<MountRun>)>,
    /// `Global` atoms of the registry (this is a global-mode store) that this store stopped or started
    /// observing: mounted once for all global-mode stores.
    global_unmounts: Vec<AtomId>,
    global_mounts: Vec<(AtomId, DefGuard)>,
    /// Whether the store is in global mode.
    global: bool,
}

impl StoreShared {
    /// Under the lock: decides, for each atom noted by the mount counts, whether its `on_mount` or its
    /// unmount is due (each mount is claimed here, so two threads never both start one).
    /// (Boxed: a round's end moves it around, and most rounds have none.)
    #[inline]
    /// `round`: the change round this ends, if any (for an attached trace).
    pub(crate) fn take_mount_work(&self, st: &mut State, round: Option<u64>) -> Option<Box<MountWork>> {
        if st.mounts_pending() {
            self.mount_work(st, round)
        } else {
            None
        }
    }

    #[inline(never)]
    fn mount_work(&self, st: &mut State, round: Option<u64>) -> Option<Box<MountWork>> {
        let pending = std::mem::take(&mut st.mounts_mut()?.pending);
        if pending.is_empty() {
            return None;
        }
        let mut work = MountWork {
            store: crate::graph::host::Host::token(self),
            name: self.name,
            unmounts: Vec::new(),
            mounts: Vec::new(),
            global_unmounts: Vec::new(),
            global_mounts: Vec::new(),
            global: self.mode == crate::core::info::Mode::Global,
        };
        for id in pending {
            let proxy = st.local(id).is_some_and(|l| st.node(l).proxy);
            let node = st.local(id).map(|l| (l, st.node(l).def.guard()));
            let mounted =
                node.as_ref().and_then(|(l, def)| def.as_ref().filter(|_| st.is_mounted(*l)).cloned());
            let active = st.mounts().is_some_and(|m| m.active.contains_key(&id));
            if st.tracing && mounted.is_some() != active {
                if let Some((_, Some(def))) = &node {
                    let name = def.core().name_arc();
                    let mounted = mounted.is_some();
                    st.trace_event(round, crate::graph::trace::TraceEvent::Mount { atom: id, name, mounted });
                }
            }
            let m = st.mounts_mut().expect("mounts are counted");
            match (mounted, active) {
                (Some(def), false) => {
                    let run = MountRun::new();
                    m.active.insert(id, run.clone());
                    if proxy {
                        work.global_mounts.push((id, def));
                    } else {
                        work.mounts.push((id, def, run));
                    }
                }
                (None, true) => {
                    if let Some(run) = m.active.remove(&id) {
                        // (A `Global` atom of a global-mode store: its node may be gone, the id says.)
                        if id.global() && work.global {
                            work.global_unmounts.push(id);
                        } else {
                            work.unmounts.push(run);
                        }
                    }
                }
                _ => {}
            }
        }
        let any = !work.unmounts.is_empty()
            || !work.mounts.is_empty()
            || !work.global_unmounts.is_empty()
            || !work.global_mounts.is_empty();
        any.then(|| Box::new(work))
    }

    /// Ends every mount of this store (it is being dropped): the mounts to end now (a `Global` atom's
    /// only if no other global-mode store observes it).
    pub(crate) fn unmount_all(mode: crate::core::info::Mode, st: &mut State) -> Vec<Arc<MountRun>> {
        let global = mode == crate::core::info::Mode::Global;
        let Some(m) = st.mounts_mut() else { return Vec::new() };
        m.active
            .drain()
            .filter_map(
                |(id, run)| if global && id.global() { crate::store::global::unmount(id) } else { Some(run) },
            )
            .collect()
    }
}

impl StoreShared {
    /// Whether `r` is mounted here (`false` if this instance does not hold it).
    pub(crate) fn is_mounted(&self, r: AtomRef<'_>) -> bool {
        let st = self.read();
        st.local(r.id).is_some_and(|l| st.is_mounted(l))
    }
}

impl MountWork {
    /// Outside the lock: unmounts first, then mounts (Jotai's order). Every call is made even if one
    /// panics; the first panic is returned.
    pub(crate) fn run(self) -> Option<Panic> {
        let mut unmounts = self.unmounts;
        unmounts.extend(self.global_unmounts.iter().filter_map(|&id| crate::store::global::unmount(id)));
        let mut panic = end_all(unmounts);
        let global = self.global_mounts.into_iter().filter_map(|(id, def)| {
            let run = crate::store::global::mount(id)?;
            Some((id, def, run))
        });
        let mounts: Vec<_> = self.mounts.into_iter().chain(global).collect();
        for (id, def, run) in mounts {
            let call = MountCall {
                store: self.store.clone(),
                store_name: self.name,
                atom: id,
                def: def.clone(),
                run: run.clone(),
                global: id.global() && self.global,
            };
            let started = catch_unwind(AssertUnwindSafe(|| def.mount(call)));
            match started {
                Ok(Some(cleanup)) => {
                    if let Err(p) = catch_unwind(AssertUnwindSafe(|| run.keep(cleanup))) {
                        panic.get_or_insert(p);
                    }
                }
                Ok(None) => {}
                Err(p) => {
                    panic.get_or_insert(p);
                }
            }
        }
        panic
    }
}

/// Runs the unmount closures of `runs`; the first panic is returned.
pub(crate) fn end_all(runs: Vec<Arc<MountRun>>) -> Option<Panic> {
    let mut panic = None;
    for run in runs {
        if let Some(cleanup) = run.end() {
            if let Err(p) = catch_unwind(AssertUnwindSafe(cleanup)) {
                panic.get_or_insert(p);
            }
        }
    }
    panic
}
