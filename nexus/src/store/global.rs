//! The one process-wide registry: values of `Global` primitive atoms as seen by global-mode stores.
//!
//! It holds values only; each global-mode store keeps its own graph, with a proxy node for every `Global`
//! atom it depends on or subscribes to, and is told (as a "watcher") when such an atom changes through
//! any global-mode store. Watchers are removed when their store drops, so create/drop cycles of
//! global-mode stores leave nothing behind here.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::SystemTime;

use parking_lot::{RwLock, RwLockWriteGuard};

use crate::core::info::{AtomId, AtomInfo, AtomKey};
use crate::core::thread::mark as thread_mark;
use crate::core::value_slot::downcast;
use crate::core::value_slot::Value;
use crate::graph::access::AtomRef;
use crate::graph::def::{Holder, NodeDef};
use crate::graph::mount::MountRun;
use crate::store::instance::StoreShared;

struct Entry {
    def: NodeDef,
    id: AtomId,
    value: Value,
    seq: u64,
    registered_at: SystemTime,
    watchers: Vec<Weak<StoreShared>>,
}

struct Registry {
    /// `Global` slot index -> entry + 1.
    index: Vec<u32>,
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
    seq: u64,
}

static REGISTRY: RwLock<Registry> =
    RwLock::new(Registry { index: Vec::new(), entries: Vec::new(), free: Vec::new(), seq: 0 });
static WRITER: AtomicUsize = AtomicUsize::new(0);

struct Write(RwLockWriteGuard<'static, Registry>);

impl Drop for Write {
    fn drop(&mut self) {
        WRITER.store(0, Ordering::Release);
    }
}

fn write() -> Write {
    let guard = REGISTRY.try_write().unwrap_or_else(|| {
        assert!(
            WRITER.load(Ordering::Acquire) != thread_mark(),
            "nexus: the global registry was used from inside an `update` of a `Global` atom; modify only the value you are given"
        );
        REGISTRY.write()
    });
    WRITER.store(thread_mark(), Ordering::Release);
    Write(guard)
}

impl Registry {
    fn find(&self, id: AtomId) -> Option<usize> {
        let e = self.index.get(id.index() as usize)?.checked_sub(1)? as usize;
        match &self.entries[e] {
            Some(entry) if entry.id == id => Some(e),
            _ => None,
        }
    }

    fn entry_mut(&mut self, id: AtomId) -> &mut Entry {
        let e = self.find(id).expect("the entry was registered just before");
        self.entries[e].as_mut().expect("find() returns live entries")
    }

    /// Registers `r` with `init` unless present; returns what was displaced (dropped by the caller,
    /// after the lock is released).
    fn ensure(&mut self, r: AtomRef<'_>, init: impl FnOnce() -> Value) -> Option<Entry> {
        if self.find(r.id).is_some() {
            return None;
        }
        let mut displaced = None;
        if let Some(&e) = self.index.get(r.id.index() as usize) {
            if e != 0 {
                displaced = self.entries[(e - 1) as usize].take();
                self.free.push(e - 1);
            }
        }
        self.seq += 1;
        let entry = Entry {
            def: r.handle.node_def(),
            id: r.id,
            value: init(),
            seq: self.seq,
            registered_at: crate::core::clock::now(),
            watchers: Vec::new(),
        };
        let e = if let Some(e) = self.free.pop() {
            self.entries[e as usize] = Some(entry);
            e
        } else {
            self.entries.push(Some(entry));
            u32::try_from(self.entries.len() - 1).expect("fewer than u32::MAX global atoms")
        };
        if self.index.len() <= r.id.index() as usize {
            self.index.resize(r.id.index() as usize + 1, 0);
        }
        self.index[r.id.index() as usize] = e + 1;
        if r.handle.def().core().is_runtime() {
            r.handle.def().core().add_holder(Holder::Registry(forget));
        }
        displaced
    }
}

/// The current value of a `Global` primitive atom in the global registry, registering it on first use.
pub(crate) fn value(r: AtomRef<'_>) -> Value {
    {
        let reg = REGISTRY.read();
        if let Some(e) = reg.find(r.id) {
            return reg.entries[e].as_ref().expect("find() returns live entries").value.clone();
        }
    }
    // The initial value is made outside the lock: an initialiser may itself use stores.
    let init = r.handle.def().init_value();
    let mut reg = write();
    let displaced = reg.0.ensure(r, || init);
    let v = reg.0.entry_mut(r.id).value.clone();
    drop(reg);
    drop(displaced);
    v
}

/// The current values of `ids` (`None` for one not in the registry), read under one lock: one state
/// of the registry, for a store to take all its copies from at once.
pub(crate) fn values_of(ids: &[AtomId]) -> Vec<Option<Value>> {
    let reg = REGISTRY.read();
    ids.iter()
        .map(|&id| {
            reg.find(id).map(|e| reg.entries[e].as_ref().expect("find() returns live entries").value.clone())
        })
        .collect()
}

/// Sets a `Global` primitive in the global registry; whether it changed.
pub(crate) fn set<T: Send + Sync + 'static>(r: AtomRef<'_>, new: T) -> bool {
    set_value(r, Arc::new(new))
}

/// Sets a `Global` primitive from an untyped value; whether it changed.
pub(crate) fn set_value(r: AtomRef<'_>, new: Value) -> bool {
    value(r);
    let mut reg = write();
    let entry = reg.0.entry_mut(r.id);
    if r.handle.def().values_equal(&*entry.value, &*new) {
        return false;
    }
    let old = std::mem::replace(&mut entry.value, new);
    drop(reg);
    drop(old);
    true
}

/// `update` of a `Global` primitive in the global registry; whether it changed.
pub(crate) fn update<T: Clone + Send + Sync + 'static>(r: AtomRef<'_>, f: impl FnOnce(&mut T)) -> bool {
    value(r);
    let mut reg = write();
    let entry = reg.0.entry_mut(r.id);
    let mut new = downcast::<T>(&entry.value).clone();
    f(&mut new);
    if r.handle.def().values_equal(&*entry.value, &new) {
        return false;
    }
    let old = std::mem::replace(&mut entry.value, Arc::new(new));
    drop(reg);
    drop(old);
    true
}

/// `store` wants to hear about changes of `r`.
pub(crate) fn add_watcher(r: AtomRef<'_>, store: Weak<StoreShared>) {
    let init = {
        let reg = REGISTRY.read();
        reg.find(r.id).is_none().then(|| r.handle.def().init_value())
    };
    let mut reg = write();
    let displaced = init.and_then(|init| reg.0.ensure(r, || init));
    let entry = reg.0.entry_mut(r.id);
    entry.watchers.retain(|w| w.strong_count() > 0);
    entry.watchers.push(store);
    drop(reg);
    drop(displaced);
}

/// The store at `store` is being dropped: forget it (and any other dead watcher) for `id`.
pub(crate) fn remove_watcher(id: AtomId, store: *const StoreShared) {
    let mut reg = write();
    if let Some(e) = reg.0.find(id) {
        let entry = reg.0.entries[e].as_mut().expect("find() returns live entries");
        entry.watchers.retain(|w| w.as_ptr() != store && w.strong_count() > 0);
    }
}

/// A run-time `Global` atom died: free its value.
pub(crate) fn forget(id: AtomId) {
    let mut reg = write();
    let removed = reg.0.find(id).and_then(|e| {
        reg.0.index[id.index() as usize] = 0;
        reg.0.free.push(u32::try_from(e).expect("entry indices fit u32"));
        reg.0.entries[e].take()
    });
    drop(reg);
    drop(removed);
}

/// Hears of every change of a `Global` atom made in this process through a store or a mount's setter
/// (not of those [`apply`] makes): the Redis mirror publishes them.
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub(crate) trait Listener: Send + Sync {
    /// `id` changed in the registry; runs on the thread that changed it, after its round, no lock held.
    fn changed(&self, id: AtomId);
}

/// Whether any listener is registered: the one load a change of a `Global` atom pays when none is.
static LISTENING: AtomicBool = AtomicBool::new(false);
static LISTENERS: RwLock<Vec<(usize, Arc<dyn Listener>)>> = RwLock::new(Vec::new());

/// Registers `l`; returns the id [`unlisten`] takes.
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub(crate) fn listen(l: Arc<dyn Listener>) -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut listeners = LISTENERS.write();
    listeners.push((id, l));
    LISTENING.store(true, Ordering::Release);
    id
}

/// Removes the listener [`listen`] returned `id` for.
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub(crate) fn unlisten(id: usize) {
    let removed = {
        let mut listeners = LISTENERS.write();
        let removed: Vec<_> = listeners.iter().filter(|(i, _)| *i == id).map(|(_, l)| l.clone()).collect();
        listeners.retain(|(i, _)| *i != id);
        LISTENING.store(!listeners.is_empty(), Ordering::Release);
        removed
    };
    drop(removed);
}

fn tell_listeners(id: AtomId) {
    if !LISTENING.load(Ordering::Acquire) {
        return;
    }
    let listeners: Vec<Arc<dyn Listener>> = LISTENERS.read().iter().map(|(_, l)| l.clone()).collect();
    for l in listeners {
        l.changed(id);
    }
}

/// Sets values from outside every store (the Redis mirror applying what Redis ordered): all of them
/// under one lock of the registry, so that a store refreshing its copies sees all or none; then every
/// global-mode store watching one of them takes them in **one** round (each changed atom's subscribers
/// told once). Listeners are not told. Returns the atoms whose values changed.
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub(crate) fn apply(values: Vec<(AtomRef<'_>, Value)>) -> Vec<AtomId> {
    let inits: Vec<Option<Value>> = {
        let reg = REGISTRY.read();
        values.iter().map(|(r, _)| reg.find(r.id).is_none().then(|| r.handle.def().init_value())).collect()
    };
    let mut changed = Vec::new();
    let mut displaced = Vec::new();
    let mut old = Vec::new();
    {
        let mut reg = write();
        for ((r, new), init) in values.into_iter().zip(inits) {
            if let Some(init) = init {
                displaced.extend(reg.0.ensure(r, || init));
            }
            let entry = reg.0.entry_mut(r.id);
            if r.handle.def().values_equal(&*entry.value, &*new) {
                continue;
            }
            old.push(std::mem::replace(&mut entry.value, new));
            changed.push(r.id);
        }
    }
    drop((displaced, old));
    // Each store once, in one round that re-reads all its copies from one state of the registry.
    let mut stores: Vec<(Arc<StoreShared>, Vec<AtomId>)> = Vec::new();
    for &id in &changed {
        for store in watchers(id) {
            match stores.iter_mut().find(|(s, _)| Arc::ptr_eq(s, &store)) {
                Some((_, ids)) => ids.push(id),
                None => stores.push((store, vec![id])),
            }
        }
    }
    for (store, ids) in stores {
        store.change(|st, round| {
            // Every one of them is a change of its own here: its subscribers are told (once).
            round.global.extend(ids[1..].iter().map(|&id| (id, false)));
            StoreShared::refresh_proxies(st, round, ids[0]);
        });
    }
    changed
}

/// Tells every global-mode store watching `id` that it changed, but `origin` (which changed it and
/// knows). Runs on the calling thread.
pub(crate) fn broadcast(id: AtomId, origin: &StoreShared) {
    tell_listeners(id);
    for store in watchers(id) {
        if !std::ptr::eq(Arc::as_ptr(&store), origin) {
            store.global_changed(id);
        }
    }
}

/// The live global-mode stores watching `id`.
fn watchers(id: AtomId) -> Vec<Arc<StoreShared>> {
    let reg = REGISTRY.read();
    match reg.find(id) {
        Some(e) => reg.entries[e]
            .as_ref()
            .expect("find() returns live entries")
            .watchers
            .iter()
            .filter_map(Weak::upgrade)
            .collect(),
        None => Vec::new(),
    }
}

/// `id` changed in the registry through no store (a mounted atom's setter): every global-mode store
/// watching it hears of it.
pub(crate) fn broadcast_all(id: AtomId) {
    tell_listeners(id);
    for store in watchers(id) {
        store.global_changed(id);
    }
}

/// How many global-mode stores have each `Global` atom with `on_mount` mounted, and its mount: it is
/// mounted once, while any of them observes it.
static MOUNTS: std::sync::Mutex<Vec<(AtomId, usize, Arc<MountRun>)>> = std::sync::Mutex::new(Vec::new());

/// One more global-mode store mounts `id`: its mount, if this is the first (to call `on_mount` with).
pub(crate) fn mount(id: AtomId) -> Option<Arc<MountRun>> {
    let mut mounts = MOUNTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(entry) = mounts.iter_mut().find(|(a, ..)| *a == id) {
        entry.1 += 1;
        return None;
    }
    let run = MountRun::new();
    mounts.push((id, 1, run.clone()));
    Some(run)
}

/// One global-mode store less mounts `id`: its mount, if that was the last (to end).
pub(crate) fn unmount(id: AtomId) -> Option<Arc<MountRun>> {
    let mut mounts = MOUNTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let pos = mounts.iter().position(|(a, ..)| *a == id)?;
    mounts[pos].1 -= 1;
    (mounts[pos].1 == 0).then(|| mounts.swap_remove(pos).2)
}

/// The atoms whose values live in the shared global registry, in registration order.
pub fn atoms() -> Vec<AtomInfo> {
    let reg = REGISTRY.read();
    let mut infos: Vec<(u64, AtomInfo)> = reg
        .entries
        .iter()
        .flatten()
        .filter_map(|e| {
            let def = e.def.guard()?;
            let core = def.core();
            Some((
                e.seq,
                AtomInfo {
                    name: core.name_arc(),
                    path: core.path(),
                    kind: core.kind(),
                    owner: core.owner_name(),
                    key: AtomKey { store: None, atom: e.id, path: core.path() },
                    registered_at: Some(e.registered_at),
                    type_name: def.type_name(),
                },
            ))
        })
        .collect();
    infos.sort_by_key(|(seq, _)| *seq);
    infos.into_iter().map(|(_, i)| i).collect()
}
