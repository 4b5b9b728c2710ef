//! One store instance at run time: its lock-protected [`State`], and every store operation in untyped
//! form. The generated store types and the typed traits only forward here.

use std::any::Any;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use parking_lot::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::atoms::handle::AtomRef;
use crate::core::info::{AtomId, AtomInfo, AtomKey, AtomKind, Mode, StoreId};
use crate::core::value_slot::ValueSlot;
use crate::graph::def::{ErasedDef, Holder, Value};
use crate::graph::observe::{ChangeOp, Event, Plugin, PluginId};
use crate::graph::state::{Callback, Note, Round, State, Sub, Subscriber};
use crate::store::subscription::Subscription;

type Deferred = Box<dyn FnOnce(&mut State) + Send>;

/// The shared part of one store instance. A store type made by `store!` holds one `Arc` of it.
#[doc(hidden)]
pub struct StoreShared {
    id: StoreId,
    name: &'static str,
    mode: Mode,
    state: RwLock<State>,
    /// Marks the thread holding the write lock, to turn re-entrant use into a clear panic and to queue
    /// clean-ups that arrive while it holds the lock (instead of deadlocking).
    writer: AtomicUsize,
    deferred: Mutex<Vec<Deferred>>,
    has_deferred: AtomicBool,
    this: Weak<StoreShared>,
}

/// An address unique to the current thread while it lives.
#[inline]
fn thread_mark() -> usize {
    thread_local!(static MARK: u8 = const { 0 });
    MARK.with(|m| std::ptr::from_ref(m) as usize)
}

pub(crate) struct WriteGuard<'a> {
    shared: &'a StoreShared,
    /// Always `Some` until dropped.
    guard: Option<RwLockWriteGuard<'a, State>>,
}

impl Deref for WriteGuard<'_> {
    type Target = State;
    #[inline]
    fn deref(&self) -> &State {
        self.guard.as_ref().expect("the guard is held until drop")
    }
}

impl DerefMut for WriteGuard<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut State {
        self.guard.as_mut().expect("the guard is held until drop")
    }
}

impl Drop for WriteGuard<'_> {
    #[inline]
    fn drop(&mut self) {
        let Some(guard) = self.guard.take() else { return };
        let busy = self.shared.has_deferred.load(Ordering::Acquire)
            || guard.tools.as_ref().is_some_and(|t| !t.events.is_empty());
        if busy {
            self.finish(guard);
        } else {
            self.shared.writer.store(0, Ordering::Release);
            drop(guard);
        }
    }
}

impl WriteGuard<'_> {
    /// The release with work to do: deferred clean-ups, then plugin events after the lock.
    #[inline(never)]
    fn finish(&self, mut guard: RwLockWriteGuard<'_, State>) {
        // Clean-ups queued while we held the lock (run-time atoms that died, subscriptions dropped).
        while self.shared.has_deferred.load(Ordering::Acquire)
            && self.shared.has_deferred.swap(false, Ordering::AcqRel)
        {
            let jobs =
                std::mem::take(&mut *self.shared.deferred.lock().unwrap_or_else(PoisonError::into_inner));
            for job in jobs {
                job(&mut guard);
            }
        }
        let events = match guard.tools.as_mut() {
            Some(tools) if !tools.events.is_empty() => {
                Some((tools.plugins.clone(), std::mem::take(&mut tools.events)))
            }
            _ => None,
        };
        self.shared.writer.store(0, Ordering::Release);
        drop(guard);
        // Plugins hear about what happened once the lock is released.
        if let Some((plugins, events)) = events {
            crate::graph::observe::deliver(&plugins, events);
        }
    }
}

impl StoreShared {
    pub(crate) fn new(name: &'static str, mode: Mode) -> Arc<Self> {
        Arc::new_cyclic(|this| StoreShared {
            id: StoreId::next(),
            name,
            mode,
            state: RwLock::new(State::default()),
            writer: AtomicUsize::new(0),
            deferred: Mutex::new(Vec::new()),
            has_deferred: AtomicBool::new(false),
            this: this.clone(),
        })
    }

    pub(crate) fn id(&self) -> StoreId {
        self.id
    }

    pub(crate) fn weak(&self) -> Weak<StoreShared> {
        self.this.clone()
    }

    fn addr(&self) -> usize {
        std::ptr::from_ref(self) as usize
    }

    #[cold]
    fn reentrant_panic(&self) -> ! {
        panic!(
            "nexus: store `{}#{}` was used from inside one of its own read, update or initial-value \
             functions; read other atoms through the function's `s` argument instead",
            self.name, self.id
        )
    }

    #[inline]
    fn read(&self) -> RwLockReadGuard<'_, State> {
        if let Some(g) = self.state.try_read() {
            return g;
        }
        if self.writer.load(Ordering::Acquire) == thread_mark() {
            self.reentrant_panic();
        }
        self.state.read()
    }

    #[inline]
    pub(crate) fn write(&self) -> WriteGuard<'_> {
        let guard = self.state.try_write().unwrap_or_else(|| {
            if self.writer.load(Ordering::Acquire) == thread_mark() {
                self.reentrant_panic();
            }
            self.state.write()
        });
        self.writer.store(thread_mark(), Ordering::Release);
        WriteGuard { shared: self, guard: Some(guard) }
    }

    /// Runs `job` on the state now, or right before the lock is released if this thread holds it.
    fn with_state_or_defer(&self, job: impl FnOnce(&mut State) + Send + 'static) {
        if self.writer.load(Ordering::Acquire) == thread_mark() {
            self.deferred.lock().unwrap_or_else(PoisonError::into_inner).push(Box::new(job));
            self.has_deferred.store(true, Ordering::Release);
        } else {
            let mut g = self.write();
            job(&mut g);
        }
    }

    /// Whether `r` is a `Global` primitive whose value lives in the global registry for this store.
    #[inline]
    fn in_global_registry(&self, r: AtomRef<'_>) -> bool {
        r.id.global() && self.mode == Mode::Global && r.id.kind() == AtomKind::Primitive
    }

    /// The local node of `r`, registering it on first use. Returns it and whether it is a proxy.
    #[inline]
    pub(crate) fn resolve(&self, st: &mut State, r: AtomRef<'_>) -> (u32, bool) {
        let proxy = self.in_global_registry(r);
        match st.local(r.id) {
            Some(l) => (l, proxy),
            None => (self.register_new(st, r, proxy), proxy),
        }
    }

    /// First use of `r` in this instance: a node, and the bookkeeping around it.
    #[inline(never)]
    fn register_new(&self, st: &mut State, r: AtomRef<'_>, proxy: bool) -> u32 {
        let value = if r.id.kind() == AtomKind::Primitive && !proxy {
            ValueSlot::from_owned(r.handle.def().init_owned())
        } else {
            ValueSlot::empty()
        };
        let l = st.insert(r.handle.node_def(), r.id, value, proxy);
        if r.handle.def().core().is_runtime() {
            r.handle.def().core().add_holder(Holder::Store(self.weak()));
        }
        if proxy {
            crate::store::global::add_watcher(r, self.weak());
        } else if st.observed() {
            if let Some(info) = st.info(l, (self.id, self.name)) {
                st.push_event(Event::Register(info));
            }
        }
        l
    }

    /// Registers `r` in this instance if it is not yet.
    pub(crate) fn register(&self, r: AtomRef<'_>) {
        if self.in_global_registry(r) || self.read().local(r.id).is_some() {
            return;
        }
        let mut st = self.write();
        self.resolve(&mut st, r);
    }

    /// A fresh value of `r` (derived atoms brought up to date), registering it on first use.
    pub(crate) fn value(&self, r: AtomRef<'_>) -> Value {
        if self.in_global_registry(r) {
            return crate::store::global::value(r);
        }
        {
            let st = self.read();
            // Only a value shared already can be handed out under the read lock.
            if let Some(v) = st.local(r.id).and_then(|l| st.node(l).fresh_value()).and_then(ValueSlot::shared)
            {
                return v.clone();
            }
        }
        self.value_slow(r)
    }

    /// [`value`](Self::value) once a read found no fresh value: registers `r` or brings it up to date.
    fn value_slow(&self, r: AtomRef<'_>) -> Value {
        let mut st = self.write();
        let l = self.fresh_node(&mut st, r);
        st.node_mut(l).value.share().expect("a refreshed or primitive node has a value")
    }

    /// The node of `r` (not in the global registry), registered and brought up to date.
    fn fresh_node(&self, st: &mut State, r: AtomRef<'_>) -> u32 {
        let (l, _) = self.resolve(st, r);
        if st.node(l).is_derived() {
            st.refresh(self, l);
        }
        l
    }

    /// `get`: a clone of the current value.
    #[inline]
    pub(crate) fn get<T: Clone + 'static>(&self, r: AtomRef<'_>) -> T {
        if !self.in_global_registry(r) {
            let st = self.read();
            if let Some(v) = st.local(r.id).and_then(|l| st.node(l).fresh_value()) {
                return v.typed::<T>().expect("a fresh node has a value").clone();
            }
            drop(st);
            return self.get_slow(r);
        }
        downcast::<T>(&crate::store::global::value(r)).clone()
    }

    /// `get` of an atom not yet registered or not up to date. Cloned under the lock: no reference count
    /// traffic on the value (this is every first touch). Out of line, so that `get` stays small.
    #[inline(never)]
    fn get_slow<T: Clone + 'static>(&self, r: AtomRef<'_>) -> T {
        let mut st = self.write();
        let l = self.fresh_node(&mut st, r);
        st.node(l).value.typed::<T>().expect("a refreshed or primitive node has a value").clone()
    }

    /// `set` of a primitive atom; `eq` is the atom's equality (none: every write is a change).
    pub(crate) fn set<T: Send + Sync + 'static>(
        &self,
        r: AtomRef<'_>,
        new: T,
        eq: Option<fn(&T, &T) -> bool>,
    ) {
        // Fast path: no batch open on this thread, atom registered here, nobody downstream or watching,
        // value unshared: compare and write through one `&mut T`.
        if !self.in_global_registry(r) && !crate::graph::batch::any_open() {
            let mut st = self.write();
            if let Some(l) = st.local(r.id) {
                let observed = st.observed();
                let epoch = st.epoch + 1;
                let node = st.node_mut(l);
                if node.observers.is_empty() && node.subs.is_empty() && !observed {
                    if let Some(v) = node.value.typed_mut::<T>() {
                        if !eq.is_some_and(|eq| eq(v, &new)) {
                            *v = new;
                            node.changed_at = epoch;
                            st.epoch = epoch;
                        }
                        return;
                    }
                }
            }
        }
        self.set_slow(r, new, eq);
    }

    /// Every other `set`: out of line, so that the fast path stays small.
    #[inline(never)]
    fn set_slow<T: Send + Sync + 'static>(&self, r: AtomRef<'_>, new: T, eq: Option<fn(&T, &T) -> bool>) {
        if self.in_global_registry(r) {
            if crate::store::global::set(r, new) {
                self.global_change(r.id);
            }
            return;
        }
        self.change(|st, round| {
            let (l, _) = self.resolve(st, r);
            let observed = st.observed();
            let slot = &mut st.node_mut(l).value;
            // Unless plugins need the old value, write in place when no note of an earlier round still
            // shares it (saves an allocation per change).
            if let Some(v) = slot.typed_mut::<T>().filter(|_| !observed) {
                if eq.is_some_and(|eq| eq(v, &new)) {
                    return;
                }
                *v = new;
                st.touch(l);
                st.propagate(l, round);
                return;
            }
            let current = slot.typed::<T>().expect("primitive nodes hold a value");
            if eq.is_some_and(|eq| eq(current, &new)) {
                return;
            }
            if observed {
                self.replace(st, l, Arc::new(new), ChangeOp::Set, round);
            } else {
                // Still shared by a note in flight: the store owns a new value outright.
                *slot = ValueSlot::owned(new);
                st.touch(l);
                st.propagate(l, round);
            }
        });
    }

    /// `update` of a primitive atom: read, modify and write under one lock, so no update is lost.
    pub(crate) fn update<T: Clone + Send + Sync + 'static>(&self, r: AtomRef<'_>, f: impl FnOnce(&mut T)) {
        if self.in_global_registry(r) {
            if crate::store::global::update(r, f) {
                self.global_change(r.id);
            }
            return;
        }
        self.change(|st, round| {
            let (l, _) = self.resolve(st, r);
            let def = r.handle.def();
            let slot = &st.node(l).value;
            let mut new = slot.typed::<T>().expect("primitive nodes hold a value").clone();
            f(&mut new);
            if def.values_equal(slot.get().expect("primitive nodes hold a value"), &new) {
                return;
            }
            self.replace(st, l, Arc::new(new), ChangeOp::Update, round);
        });
    }

    /// `reset`: back to the initial value (computed anew by the initialiser).
    pub(crate) fn reset(&self, r: AtomRef<'_>) {
        let init = r.handle.def().init_value();
        if self.in_global_registry(r) {
            if crate::store::global::set_value(r, init) {
                self.global_change(r.id);
            }
            return;
        }
        self.change(|st, round| {
            let (l, _) = self.resolve(st, r);
            let def = r.handle.def();
            if def.values_equal(st.node(l).value.get().expect("primitive nodes hold a value"), &*init) {
                return;
            }
            self.replace(st, l, init, ChangeOp::Reset, round);
        });
    }

    /// Puts `new` into primitive node `l`, reports it to plugins and marks everything downstream.
    fn replace(&self, st: &mut State, l: u32, new: Value, op: ChangeOp, round: &mut Round) {
        let old = st.node_mut(l).value.replace(new).expect("primitive nodes hold a value");
        if st.observed() {
            let node = st.node(l);
            if let Some(def) = node.def.upgrade() {
                let new = node.value.shared().cloned().expect("just stored");
                let key =
                    AtomKey { store: Some((self.id, self.name)), atom: node.id, path: def.core().path() };
                let name = def.core().name_arc();
                st.push_event(Event::Change { key, name, def, op, round: round.id, old, new });
            }
        }
        st.touch(l);
        st.propagate(l, round);
    }

    /// Sets primitive atoms back to recorded values as one round (time travel). Atoms this instance no
    /// longer holds are skipped.
    pub(crate) fn restore(&self, values: Vec<(AtomId, Value)>) {
        self.change(|st, round| {
            for (id, value) in values {
                let Some(l) = st.local(id) else { continue };
                let node = st.node(l);
                let Some(def) = node.def.upgrade() else { continue };
                if node.proxy || node.is_derived() {
                    continue;
                }
                let same = node.value.shared().is_some_and(|current| Arc::ptr_eq(current, &value));
                let current = node.value.get().expect("primitive nodes hold a value");
                if same || def.values_equal(current, &*value) {
                    continue;
                }
                self.replace(st, l, value, ChangeOp::Restore, round);
            }
        });
    }

    /// Every primitive atom whose value this instance holds, in registration order, with its current value
    /// (the Redux DevTools bridge's starting state; proxies of shared `Global` atoms excluded).
    #[cfg(feature = "redux-devtools")]
    pub(crate) fn held_primitives(&self) -> Vec<crate::tools::redux_devtools::Held> {
        // The write lock: values owned by the store are moved behind an `Arc` to be handed out.
        let mut st = self.write();
        let mut nodes: Vec<&mut crate::graph::state::Node> =
            st.nodes.iter_mut().flatten().filter(|n| !n.proxy && !n.is_derived()).collect();
        nodes.sort_by_key(|n| n.seq);
        nodes
            .into_iter()
            .filter_map(|node| {
                let def = node.def.upgrade()?;
                let value = node.value.share()?;
                Some(crate::tools::redux_devtools::Held {
                    atom: node.id,
                    name: def.core().name_arc(),
                    def,
                    value,
                })
            })
            .collect()
    }

    /// The serialisable primitive atoms this instance holds (declared ones only), keyed by path.
    #[cfg(feature = "serde")]
    pub(crate) fn snapshot(&self) -> crate::tools::ssr::Snapshot {
        let st = self.read();
        let mut values = std::collections::BTreeMap::new();
        for node in st.nodes.iter().flatten() {
            if node.proxy || node.is_derived() {
                continue;
            }
            let (Some(def), Some(value)) = (node.def.upgrade(), node.value.get()) else { continue };
            if def.core().is_runtime() {
                continue;
            }
            if let Some(Ok(json)) = def.encode_json(value) {
                values.insert(def.core().path().to_string(), json);
            }
        }
        crate::tools::ssr::Snapshot::new(self.name, values)
    }

    /// Validates every value of `snapshot` against the store type's catalogue, then sets them all as one
    /// change round, or changes nothing and names every problem.
    #[cfg(feature = "serde")]
    pub(crate) fn hydrate<S: crate::Owner>(
        &self,
        snapshot: &crate::tools::ssr::Snapshot,
    ) -> Result<(), crate::tools::ssr::HydrateError> {
        use crate::tools::ssr::{HydrateError, HydrateProblem};
        let mut problems = Vec::new();
        if snapshot.store() != self.name {
            problems.push(HydrateProblem::WrongStore {
                expected: self.name.to_owned(),
                found: snapshot.store().to_owned(),
            });
        }
        let catalog: std::collections::HashMap<std::sync::Arc<str>, crate::store::catalog::Entry> =
            crate::store::catalog::usable_in::<S>().map(|e| (e.def.core().path(), e)).collect();
        let mut decoded = Vec::new();
        for (path, json) in snapshot.values() {
            let Some(entry) = catalog.get(path.as_str()) else {
                problems.push(HydrateProblem::UnknownAtom(path.clone()));
                continue;
            };
            if entry.def.core().kind() != AtomKind::Primitive {
                problems.push(HydrateProblem::NotPrimitive(path.clone()));
                continue;
            }
            match entry.def.decode_json(json.clone()) {
                None => problems.push(HydrateProblem::NotDeserializable {
                    path: path.clone(),
                    type_name: entry.def.type_name(),
                }),
                Some(Err(message)) => problems.push(HydrateProblem::Decode { path: path.clone(), message }),
                Some(Ok(value)) => decoded.push((*entry, value)),
            }
        }
        if !problems.is_empty() {
            return Err(HydrateError { problems });
        }
        self.change(|st, round| {
            for (entry, value) in decoded {
                let r = entry.atom_ref();
                if self.in_global_registry(r) {
                    if crate::store::global::set_value(r, value) {
                        round.global_changes.push(r.id);
                    }
                    continue;
                }
                let (l, _) = self.resolve(st, r);
                if entry
                    .def
                    .values_equal(st.node(l).value.get().expect("primitive nodes hold a value"), &*value)
                {
                    continue;
                }
                self.replace(st, l, value, ChangeOp::Hydrate, round);
            }
        });
        Ok(())
    }

    /// Attaches a plugin to this instance.
    pub(crate) fn add_plugin(&self, plugin: Arc<dyn Plugin>) -> PluginId {
        let mut st = self.write();
        let id = PluginId(st.next_seq());
        let plugins = &mut st.tools.get_or_insert_with(Box::default).plugins;
        let mut list = plugins.to_vec();
        list.push((id, plugin));
        *plugins = list.into();
        id
    }

    /// Detaches a plugin; whether it was attached.
    pub(crate) fn remove_plugin(&self, id: PluginId) -> bool {
        let removed = {
            let mut st = self.write();
            let plugins = &mut st.tools.get_or_insert_with(Box::default).plugins;
            let pos = plugins.iter().position(|(p, _)| *p == id);
            pos.map(|pos| {
                let mut list = plugins.to_vec();
                let removed = list.remove(pos);
                *plugins = list.into();
                removed
            })
        };
        removed.is_some()
    }

    /// Every registered atom with its value rendered (derived atoms brought up to date first).
    pub(crate) fn inspect(&self) -> Vec<(AtomInfo, String)> {
        let mut st = self.write();
        let mut out: Vec<(u64, AtomInfo, String)> = Vec::new();
        for l in 0..u32::try_from(st.nodes.len()).expect("fewer than u32::MAX nodes") {
            if st.nodes[l as usize].as_ref().is_none_or(|n| n.proxy) {
                continue;
            }
            let Some(info) = st.info(l, (self.id, self.name)) else { continue };
            if st.node(l).is_derived() && catch_unwind(AssertUnwindSafe(|| st.refresh(self, l))).is_err() {
                out.push((st.node(l).seq, info, "<read function panicked>".to_owned()));
                continue;
            }
            let node = st.node(l);
            let rendered = match (node.def.upgrade(), node.value.get()) {
                (Some(def), Some(v)) => Rendered(&*def, v).to_string(),
                _ => "<no value>".to_owned(),
            };
            out.push((node.seq, info, rendered));
        }
        out.sort_by_key(|(seq, ..)| *seq);
        out.into_iter().map(|(_, i, r)| (i, r)).collect()
    }

    /// Runs `f` on the state as one change round, or as part of this thread's open batch on this store.
    fn change(&self, f: impl FnOnce(&mut State, &mut Round)) {
        if let Some(mut round) = crate::graph::batch::take_round(self.addr()) {
            {
                let mut st = self.write();
                f(&mut st, &mut round);
            }
            crate::graph::batch::put_round(self.addr(), round);
            return;
        }
        let mut st = self.write();
        let mut round = st.new_round();
        f(&mut st, &mut round);
        let (notes, panic) =
            if round.candidates.is_empty() { (Vec::new(), None) } else { st.flush(self, &mut round) };
        st.recycle(std::mem::take(&mut round.candidates));
        drop(st);
        finish(round.global_changes, notes, panic);
    }

    /// A `Global` atom changed in the global registry through this store.
    fn global_change(&self, id: AtomId) {
        if let Some(mut round) = crate::graph::batch::take_round(self.addr()) {
            round.global_changes.push(id);
            crate::graph::batch::put_round(self.addr(), round);
        } else {
            crate::store::global::broadcast(id);
        }
    }

    /// Told by the global registry: a `Global` atom this store watches changed (through any store).
    pub(crate) fn global_changed(&self, id: AtomId) {
        self.change(|st, round| {
            if let Some(l) = st.local(id) {
                st.propagate(l, round);
            }
        });
    }

    /// Ends a batch opened on this store: brings observed atoms up to date and notifies.
    pub(crate) fn end_round(&self, mut round: Round, unwinding: bool) {
        let (notes, panic) = {
            let mut st = self.write();
            if st.observed() {
                st.push_event(Event::BatchEnd);
            }
            st.flush(self, &mut round)
        };
        if unwinding {
            // Already panicking: notify, but a second panic would abort the process.
            for id in round.global_changes {
                let _ = catch_unwind(AssertUnwindSafe(|| crate::store::global::broadcast(id)));
            }
            let _ = catch_unwind(AssertUnwindSafe(|| run_notes(notes, None)));
        } else {
            finish(round.global_changes, notes, panic);
        }
    }

    pub(crate) fn batch_start(&self) -> Round {
        self.write().new_round()
    }

    /// Subscribes `f` to `r`; a derived atom is evaluated now (subscribing counts as a read).
    pub(crate) fn subscribe(&self, r: AtomRef<'_>, f: Callback) -> Subscription {
        let sub = Arc::new(Subscriber { f, alive: AtomicBool::new(true) });
        let (l, seq) = {
            let mut st = self.write();
            let (l, _) = self.resolve(&mut st, r);
            if st.node(l).is_derived() {
                st.refresh(self, l);
            }
            let seq = st.next_seq();
            st.node_mut(l).subs.push(Sub { seq, sub: sub.clone() });
            if st.observed() {
                if let Some(info) = st.info(l, (self.id, self.name)) {
                    st.push_event(Event::Subscribe(info));
                }
            }
            (l, seq)
        };
        Subscription::new(self.weak(), r.id, l, seq, &sub, r.handle.keepalive())
    }

    pub(crate) fn unsubscribe(&self, id: AtomId, seq: u64) {
        self.with_state_or_defer(move |st| {
            if let Some(l) = st.local(id) {
                st.node_mut(l).subs.retain(|s| s.seq != seq);
            }
        });
    }

    /// Frees a dead run-time atom's node (called when its last handle is dropped).
    pub(crate) fn forget(&self, id: AtomId) {
        // A proxy's global entry goes away with the atom itself (the global registry is a holder too).
        self.with_state_or_defer(move |st| drop(st.remove(id)));
    }

    pub(crate) fn key(&self, r: AtomRef<'_>) -> AtomKey {
        AtomKey { store: Some((self.id, self.name)), atom: r.id, path: r.handle.def().core().path() }
    }

    /// This instance's registry, in registration order (proxies of the global registry excluded).
    pub(crate) fn atoms(&self) -> Vec<AtomInfo> {
        let st = self.read();
        let mut infos: Vec<(u64, AtomInfo)> = (0..st.nodes.len())
            .filter(|&l| st.nodes[l].is_some())
            .filter_map(|l| {
                let l = u32::try_from(l).expect("fewer than u32::MAX nodes");
                Some((st.node(l).seq, st.info(l, (self.id, self.name))?))
            })
            .collect();
        infos.sort_by_key(|(seq, _)| *seq);
        infos.into_iter().map(|(_, i)| i).collect()
    }

    pub(crate) fn len(&self) -> usize {
        self.read().nodes.iter().flatten().filter(|n| !n.proxy).count()
    }
}

impl Drop for StoreShared {
    fn drop(&mut self) {
        // Leave no trace in the global registry: stop watching the `Global` atoms we had proxies for.
        let me: *const StoreShared = self;
        let st = self.state.get_mut();
        for node in st.nodes.iter().flatten().filter(|n| n.proxy) {
            crate::store::global::remove_watcher(node.id, me);
        }
    }
}

impl fmt::Debug for StoreShared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(self.name)
            .field("id", &self.id.get())
            .field("mode", &self.mode)
            .field("atoms", &self.len())
            .finish_non_exhaustive()
    }
}

#[inline]
pub(crate) fn downcast<T: 'static>(v: &Value) -> &T {
    downcast_ref(&**v)
}

#[inline]
pub(crate) fn downcast_ref<T: 'static>(v: &(dyn Any + Send + Sync)) -> &T {
    v.downcast_ref::<T>().expect("an atom's value has the atom's type")
}

/// After the lock is released: tell global-mode stores about shared changes, then call subscribers.
fn finish(global_changes: Vec<AtomId>, notes: Vec<Note>, panic: Option<Box<dyn Any + Send>>) {
    for id in global_changes {
        crate::store::global::broadcast(id);
    }
    run_notes(notes, panic);
}

/// Calls every subscriber even if one panics; the first panic is raised again after all have run.
fn run_notes(notes: Vec<Note>, panic: Option<Box<dyn Any + Send>>) {
    crate::graph::notes::run(notes, panic);
}

impl StoreShared {
    /// Runs `f` with notifications deferred to the end of the outermost batch of this thread on this store.
    pub(crate) fn batch<R>(&self, f: impl FnOnce() -> R) -> R {
        struct Exit<'a>(&'a StoreShared);
        impl Drop for Exit<'_> {
            fn drop(&mut self) {
                if let Some(round) = crate::graph::batch::exit(self.0.addr()) {
                    self.0.end_round(round, std::thread::panicking());
                }
            }
        }
        crate::graph::batch::enter(self.addr(), || self.batch_start());
        let _exit = Exit(self);
        f()
    }
}

/// Shows a value through its atom's definition.
struct Rendered<'a>(&'a dyn ErasedDef, &'a (dyn Any + Send + Sync));

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_value(self.1, f)
    }
}
