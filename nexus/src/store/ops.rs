//! The store operations on one instance, untyped: reads, writes, change rounds, batches and
//! subscriptions. The generated store types and the typed traits only forward here.

use crate::graph::trace::{render, TraceEvent};
use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::core::info::{AtomId, AtomKey};
use crate::core::value_slot::{Value, ValueSlot};
use crate::core::words::{is_word, Read};
use crate::graph::access::{AtomRef, HandleDyn};
use crate::graph::def::ErasedDef;
use crate::graph::effect::{EffectNode, Unit};
use crate::graph::notes::Notes;
use crate::graph::observe::{ActionDesc, ActionOutcome, ActionRun, ChangeOp, Event};
use crate::graph::state::{Callback, Round, State, Sub, Subscriber};
use crate::store::instance::{StoreShared, WriteGuard};
use crate::store::mount::MountWork;
use crate::store::subscription::Subscription;

impl StoreShared {
    /// A fresh value of `r` (derived atoms brought up to date), registering it on first use.
    pub(crate) fn value(&self, r: AtomRef<'_>) -> Value {
        // (A `Global` atom of a global-mode store is read from this store's copy of the registry's value,
        // which changes together with what derives from it: see `global_changed`.)
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
        if is_word::<T>() {
            // A word-sized primitive value is read without the lock (`core::words`). Not from inside one
            // of this store's read functions: that use is a mistake, reported when taking the lock.
            return match self.words.read::<T>(r.id) {
                Read::Value(v) if !self.is_writer() => v,
                // A first touch: straight to the write lock that registers it.
                Read::Unregistered => self.get_first(r.id, r.handle),
                _ => self.get_word_locked(r.id, r.handle),
            };
        }
        self.get_locked(r)
    }

    /// `get` of a declared atom used for the first time by any store of its type (it gets its identity
    /// now): out of line, so that `get` calls nothing that returns to it.
    #[cold]
    #[inline(never)]
    pub(crate) fn get_unknown<A: crate::Readable>(&self, atom: &A) -> A::Value {
        self.get(atom.__atom())
    }

    /// `get` of a word-sized value without a cell (a derived atom, a cell beyond the table): out of
    /// line, so that the lock-free path above is a handful of instructions with no stack frame (the
    /// atom's parts go in registers: an `AtomRef` passed whole would go through the stack).
    #[inline(never)]
    fn get_word_locked<T: Clone + 'static>(&self, id: AtomId, handle: &dyn HandleDyn) -> T {
        self.get_locked(AtomRef { id, handle })
    }

    /// [`get_slow`](Self::get_slow) from the lock-free path (parts in registers, as above).
    #[inline(never)]
    fn get_first<T: Clone + 'static>(&self, id: AtomId, handle: &dyn HandleDyn) -> T {
        self.get_slow(AtomRef { id, handle })
    }

    /// `get` under the read lock.
    #[inline]
    fn get_locked<T: Clone + 'static>(&self, r: AtomRef<'_>) -> T {
        let st = self.read();
        if let Some(v) = st.local(r.id).and_then(|l| st.node(l).fresh_value()) {
            return v.typed::<T>().expect("a fresh node has a value").clone();
        }
        drop(st);
        self.get_slow(r)
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
        // Fast path: no batch open on this thread, atom registered here, nothing derived from it, no plugin,
        // value unshared: compare and write through one `&mut T`, then call its subscribers if it has any.
        if !self.in_global_registry(r) && !crate::graph::batch::any_open() {
            let mut st = self.write();
            if let Some(l) = st.local(r.id) {
                let observed = st.observed();
                let epoch = st.epoch + 1;
                let node = st.node_mut(l);
                if node.observers.is_empty() && !observed {
                    if let Some(v) = node.value.typed_mut::<T>() {
                        if eq.is_some_and(|eq| eq(v, &new)) {
                            return;
                        }
                        self.words.publish(r.id, &new);
                        *v = new;
                        node.changed_at = epoch;
                        let subscribed = !node.subs.is_empty();
                        st.epoch = epoch;
                        if subscribed {
                            Self::notify_one(st, l);
                        }
                        return;
                    }
                }
            }
            // Observed or downstream of something: a round, under the lock already held.
            return self.set_round(st, r.id, r.handle, new, eq);
        }
        self.set_slow(r.id, r.handle, new, eq);
    }

    /// The round of a `set` that changed `l`, a primitive atom with subscribers and nothing derived from
    /// it: its subscribers are the round's only calls, in the order of its list (no candidate list, no
    /// flush: a third of a `set` with one subscriber went there).
    #[inline(never)]
    fn notify_one(mut st: WriteGuard<'_>, l: u32) {
        let node = st.node_mut(l);
        let subs = node.subs.shared().cloned();
        let value = node.value.share_typed();
        let stamp = node.changed_at;
        drop(st);
        if let (Some(subs), Some(value)) = (subs, value) {
            crate::graph::notes::run(Notes::One((subs, value, stamp)), None);
        }
    }

    /// A `set` that is a change round of its own, with the lock `st` the fast path took (taking it again
    /// would cost two more atomic operations). Out of line, so that the fast path stays small.
    #[inline(never)]
    fn set_round<T: Send + Sync + 'static>(
        &self,
        mut st: WriteGuard<'_>,
        id: AtomId,
        handle: &dyn HandleDyn,
        new: T,
        eq: Option<fn(&T, &T) -> bool>,
    ) {
        let r = AtomRef { id, handle };
        let mut round = st.new_round();
        self.set_in(&mut st, &mut round, r, new, eq);
        self.end_locked(st, round);
    }

    /// Every other `set` (in a batch, or of a `Global` atom in the registry): out of line, so that the
    /// fast path stays small.
    #[inline(never)]
    fn set_slow<T: Send + Sync + 'static>(
        &self,
        id: AtomId,
        handle: &dyn HandleDyn,
        new: T,
        eq: Option<fn(&T, &T) -> bool>,
    ) {
        let r = AtomRef { id, handle };
        if self.in_global_registry(r) {
            if crate::store::global::set(r, new) {
                self.global_change(r.id);
            }
            return;
        }
        self.change(|st, round| self.set_in(st, round, r, new, eq));
    }

    /// The write of a `set` in a round.
    fn set_in<T: Send + Sync + 'static>(
        &self,
        st: &mut State,
        round: &mut Round,
        r: AtomRef<'_>,
        new: T,
        eq: Option<fn(&T, &T) -> bool>,
    ) {
        {
            let (l, _) = self.resolve(st, r);
            let observed = st.observed();
            let slot = &mut st.node_mut(l).value;
            // Unless plugins need the old value, write in place when no note of an earlier round still
            // shares it (saves an allocation per change).
            if let Some(v) = slot.typed_mut::<T>().filter(|_| !observed) {
                if eq.is_some_and(|eq| eq(v, &new)) {
                    return;
                }
                self.words.publish(r.id, &new);
                *v = new;
                st.touch(l);
                st.propagate(l, round);
                return;
            }
            let current = slot.typed::<T>().expect("primitive nodes hold a value");
            if eq.is_some_and(|eq| eq(current, &new)) {
                if observed {
                    Self::trace_skipped(st, round, l);
                }
                return;
            }
            if observed {
                self.replace(st, l, Arc::new(new), ChangeOp::Set, round);
            } else {
                // Still shared by a note in flight: the store owns a new value outright.
                self.words.publish(r.id, &new);
                *slot = ValueSlot::owned(new);
                st.touch(l);
                st.propagate(l, round);
            }
        }
    }

    /// `update` of a primitive atom: read, modify and write under one lock, so no update is lost.
    pub(crate) fn update<T: Clone + Send + Sync + 'static>(&self, r: AtomRef<'_>, f: impl FnOnce(&mut T)) {
        self.update_as(r, ChangeOp::Update, f);
    }

    /// `update` reported to plugins as `op` (an async atom's finished load is a [`ChangeOp::Load`]).
    pub(crate) fn update_as<T: Clone + Send + Sync + 'static>(
        &self,
        r: AtomRef<'_>,
        op: ChangeOp,
        f: impl FnOnce(&mut T),
    ) {
        if self.in_global_registry(r) {
            if crate::store::global::update(r, f) {
                self.global_change(r.id);
            }
            return;
        }
        self.change(|st, round| {
            let (l, _) = self.resolve(st, r);
            let mut new = st.node(l).value.typed::<T>().expect("primitive nodes hold a value").clone();
            self.in_update(|| f(&mut new));
            self.put(st, round, l, r.handle.def(), Arc::new(new), op);
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
            self.put(st, round, l, r.handle.def(), init, ChangeOp::Reset);
        });
    }

    /// Puts `new` into primitive node `l` unless it equals the current value (by `def`'s equality).
    pub(super) fn put(
        &self,
        st: &mut State,
        round: &mut Round,
        l: u32,
        def: &dyn ErasedDef,
        new: Value,
        op: ChangeOp,
    ) {
        if !def.values_equal(st.node(l).value.get().expect("primitive nodes hold a value"), &*new) {
            self.replace(st, l, new, op, round);
        } else if st.observed() {
            Self::trace_skipped(st, round, l);
        }
    }

    /// Tells an attached trace that a write to node `l` was equal to its value: skipped.
    #[cold]
    fn trace_skipped(st: &State, round: &Round, l: u32) {
        if !st.tracing {
            return;
        }
        let node = st.node(l);
        let def = node.def.any();
        let value = node.value.get().map_or_else(String::new, |v| render(def, v));
        let origin = crate::core::origin::current();
        let skipped = TraceEvent::Skipped { atom: node.id, name: def.core().name_arc(), value, origin };
        st.trace_event(Some(round.id), skipped);
    }

    /// Puts `new` into primitive node `l`, reports it to plugins and marks everything downstream.
    pub(super) fn replace(&self, st: &mut State, l: u32, new: Value, op: ChangeOp, round: &mut Round) {
        self.replace_as(st, l, new, op, round, None);
    }

    /// [`replace`](Self::replace) of a change made through `focus`, a field atom of `l` (see
    /// `State::propagate_focused`).
    fn replace_as(
        &self,
        st: &mut State,
        l: u32,
        new: Value,
        op: ChangeOp,
        round: &mut Round,
        focus: Option<AtomId>,
    ) {
        let node = st.node_mut(l);
        if !node.proxy {
            self.words.publish_any(node.id, &*new);
        }
        let old = node.value.replace(new).expect("primitive nodes hold a value");
        if st.observed() {
            let node = st.node(l);
            if let Some(def) = node.def.guard() {
                let new = node.value.shared().cloned().expect("just stored");
                let key =
                    AtomKey { store: Some((self.id, self.name)), atom: node.id, path: def.core().path() };
                let name = def.core().name_arc();
                let action = crate::graph::batch::current_action(self.addr());
                let origin = crate::core::origin::current();
                if st.tracing {
                    let write = TraceEvent::Write {
                        atom: node.id,
                        name: name.clone(),
                        before: render(&*def, &*old),
                        after: render(&*def, &*new),
                        origin: origin.clone(),
                    };
                    st.trace_event(Some(round.id), write);
                }
                st.push_event(Event::Change {
                    key,
                    name,
                    def,
                    op,
                    round: round.id,
                    old,
                    new,
                    action,
                    origin,
                });
            }
        }
        st.touch(l);
        match focus {
            Some(writer) => st.propagate_focused(l, round, writer),
            None => st.propagate(l, round),
        }
    }

    /// `update` of a primitive atom made through `writer`, one of its field atoms: `f` changes only that field and says whether it did; the atom's other field atoms are
    /// not marked (their values are the same).
    pub(crate) fn update_focused<T: Clone + Send + Sync + 'static>(
        &self,
        r: AtomRef<'_>,
        writer: AtomId,
        f: impl FnOnce(&mut T) -> bool,
    ) {
        if self.in_global_registry(r) {
            // The registry's copies are refreshed whole: a plain update.
            if crate::store::global::update(r, |v: &mut T| {
                f(v);
            }) {
                self.global_change(r.id);
            }
            return;
        }
        self.change(|st, round| {
            let (l, _) = self.resolve(st, r);
            // In place, unless plugins need the old value or a note in flight shares it.
            if !st.observed() {
                if let Some(v) = st.node_mut(l).value.typed_mut::<T>() {
                    if self.in_update(|| f(v)) {
                        self.words.publish(r.id, &*v);
                        st.touch(l);
                        st.propagate_focused(l, round, writer);
                    }
                    return;
                }
            }
            let mut new = st.node(l).value.typed::<T>().expect("primitive nodes hold a value").clone();
            if self.in_update(|| f(&mut new)) {
                self.replace_as(st, l, Arc::new(new), ChangeOp::Update, round, Some(writer));
            }
        });
    }

    /// Runs `f` on the state as one change round, or as part of this thread's open batch on this store.
    pub(super) fn change(&self, f: impl FnOnce(&mut State, &mut Round)) {
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
        self.end_locked(st, round);
    }

    /// Ends a round made under the lock `st`: brings observed atoms up to date, releases the lock and
    /// notifies.
    fn end_locked(&self, mut st: WriteGuard<'_>, mut round: Round) {
        let (notes, panic) =
            if round.candidates.is_empty() { (Notes::default(), None) } else { st.flush(self, &mut round) };
        st.recycle(std::mem::take(&mut round.candidates));
        let mounts = self.take_mount_work(&mut st, Some(round.id));
        drop(st);
        finish(self, round.broadcasts(), round.effects, notes, panic, mounts);
    }

    /// A `Global` atom changed in the global registry through this store: this store sees it at once
    /// (inside a batch too); the other global-mode stores when the round ends.
    fn global_change(&self, id: AtomId) {
        self.change(|st, round| {
            Self::refresh_proxies(st, round, id);
            round.broadcast(id);
        });
    }

    /// Told by the global registry: a `Global` atom this store watches changed (through another store).
    pub(crate) fn global_changed(&self, id: AtomId) {
        self.change(|st, round| Self::refresh_proxies(st, round, id));
    }

    /// `id` changed in the registry: takes the registry's current values of *every* `Global` atom this
    /// store copies, read as one state of the registry, and marks what derives from those that changed
    /// (and from `id`, whose subscribers hear of each of its changes, through its own notice), all under
    /// this store's lock. A read here then sees one state of the registry, copies and derived atoms
    /// alike: no derived atom mixes newer values with older ones, and notices arriving out of order end
    /// on the latest state.
    pub(super) fn refresh_proxies(st: &mut State, round: &mut Round, id: AtomId) {
        let ids: Vec<AtomId> = st.proxies().iter().map(|&l| st.node(l).id).collect();
        let values = crate::store::global::values_of(&ids);
        round.global.push((id, false));
        for (i, value) in values.into_iter().enumerate() {
            let l = st.proxies()[i];
            let Some(value) = value else { continue };
            let node = st.node_mut(l);
            let same = node.value.shared().is_some_and(|v| Arc::ptr_eq(v, &value));
            if same && node.id != id {
                continue;
            }
            node.value = ValueSlot::from_shared(value);
            st.touch(l);
            st.propagate(l, round);
        }
    }

    /// Ends a batch opened on this store: brings observed atoms up to date and notifies.
    pub(crate) fn end_round(&self, mut round: Round, unwinding: bool) {
        let (notes, panic, mounts) = {
            let mut st = self.write();
            if st.observed() {
                st.push_event(Event::BatchEnd);
            }
            let (notes, panic) = st.flush(self, &mut round);
            (notes, panic, self.take_mount_work(&mut st, Some(round.id)))
        };
        if unwinding {
            // Already panicking: notify, but a second panic would abort the process.
            let (changes, effects) = (round.broadcasts(), round.effects);
            let _ = catch_unwind(AssertUnwindSafe(|| finish(self, changes, effects, notes, None, mounts)));
        } else {
            finish(self, round.broadcasts(), round.effects, notes, panic, mounts);
        }
    }

    pub(crate) fn batch_start(&self) -> Round {
        self.write().new_round()
    }

    /// Subscribes `f` to `r`; a derived atom is evaluated now (subscribing counts as a read).
    /// `keepalive`: whether the subscription keeps a run-time atom alive (a `Subscription` does; a
    /// `Watch` does not, so that it ends when the atom is freed).
    pub(crate) fn subscribe(&self, r: AtomRef<'_>, f: Callback, keepalive: bool) -> Subscription {
        let sub = Arc::new(Subscriber { f, alive: AtomicBool::new(true) });
        let (l, seq) = {
            let mut st = self.write();
            let (l, _) = self.resolve(&mut st, r);
            if st.node(l).is_derived() {
                st.refresh(self, l);
            }
            let seq = st.next_seq();
            let mounted = st.mount_before(l);
            st.node_mut(l).subs.push(Sub { seq, sub: sub.clone() });
            st.mount_update(l, mounted);
            if st.observed() {
                if let Some(info) = st.info(l, (self.id, self.name)) {
                    st.push_event(Event::Subscribe(info));
                }
            }
            (l, seq)
        };
        let keepalive = if keepalive { r.handle.keepalive() } else { None };
        Subscription::new(self.weak(), r.id, l, seq, &sub, keepalive)
    }

    pub(crate) fn unsubscribe(&self, id: AtomId, seq: u64) {
        self.with_state_or_defer(move |st| {
            if let Some(l) = st.local(id) {
                let mounted = st.mount_before(l);
                st.node_mut(l).subs.retain(|s| s.seq != seq);
                st.mount_update(l, mounted);
            }
        });
    }

    pub(crate) fn key(&self, r: AtomRef<'_>) -> AtomKey {
        AtomKey { store: Some((self.id, self.name)), atom: r.id, path: r.handle.def().core().path() }
    }
}

/// After the lock is released: tell the other global-mode stores about shared changes, then run the
/// round's effects, call its subscribers and run its mounts and unmounts (`graph::effect::settle`).
fn finish(
    origin: &StoreShared,
    global_changes: Vec<AtomId>,
    effects: Vec<Arc<EffectNode>>,
    notes: Notes,
    panic: Option<Box<dyn Any + Send>>,
    mounts: Option<Box<MountWork>>,
) {
    for id in global_changes {
        crate::store::global::broadcast(id, origin);
    }
    if mounts.is_none() && crate::graph::effect::is_plain(&effects) {
        // Most rounds: subscribers only, called at once.
        crate::graph::notes::run(notes, panic);
        return;
    }
    let after = mounts.map(|work| Box::new(move || (*work).run()) as crate::graph::effect::After);
    let store = if effects.is_empty() {
        None
    } else {
        origin.weak().upgrade().map(|s| s as crate::graph::effect::Store)
    };
    crate::graph::effect::settle(Unit { effects, store, notes, panic, after });
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

impl StoreShared {
    /// Runs an action: `f(arg)` as one batch. While a plugin watches this instance, the run is announced
    /// (`describe` names the action and shows `arg`) and the changes it makes are reported under it; a
    /// store no tool watches pays one read of its lock on top of the batch.
    pub(crate) fn run_action<A, R>(
        &self,
        arg: A,
        describe: impl FnOnce(&A) -> ActionDesc,
        f: impl FnOnce(A) -> R,
    ) -> R {
        /// Ends the recorded run, whether the action returned or panicked.
        struct End<'a> {
            store: &'a StoreShared,
            run: Option<Arc<ActionRun>>,
            returned: bool,
        }
        impl Drop for End<'_> {
            fn drop(&mut self) {
                let Some(run) = self.run.take() else { return };
                crate::graph::batch::pop_action(self.store.addr());
                let outcome = if self.returned { ActionOutcome::Returned } else { ActionOutcome::Panicked };
                let mut st = self.store.write();
                if st.observed() {
                    st.push_event(Event::ActionEnd(run, outcome));
                }
            }
        }
        self.batch(|| {
            if !self.read().observed() {
                return f(arg);
            }
            // Shown before the call takes the argument; user code (`Debug`), so outside the lock.
            let desc = describe(&arg);
            let mut end = End { store: self, run: self.start_action(desc), returned: false };
            let out = f(arg);
            end.returned = true;
            out
        })
    }

    /// Records the start of an action's run in this thread's batch, if a plugin still watches.
    pub(super) fn start_action(&self, desc: ActionDesc) -> Option<Arc<ActionRun>> {
        let parent = crate::graph::batch::current_action(self.addr());
        let mut st = self.write();
        if !st.observed() {
            return None;
        }
        let round = crate::graph::batch::round_id(self.addr()).unwrap_or_default();
        let run = Arc::new(ActionRun::new(st.next_seq(), round, desc, parent));
        st.push_event(Event::ActionStart(run.clone()));
        crate::graph::batch::push_action(self.addr(), run.clone());
        // Dropping the lock tells the plugins.
        drop(st);
        Some(run)
    }
}
