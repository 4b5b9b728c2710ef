//! One store instance at run time: its lock-protected [`State`], and every store operation in untyped
//! form. The generated store types and the typed traits only forward here.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use parking_lot::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::core::info::{AtomId, AtomKind, Mode, StoreId};
use crate::core::thread::mark as thread_mark;
use crate::core::value_slot::ValueSlot;
use crate::core::words::Words;
use crate::graph::access::AtomRef;
use crate::graph::def::{Forget, Holder, NodeDef};
use crate::graph::host::{Host, StoreToken};
use crate::graph::observe::Event;
use crate::graph::state::State;

type Deferred = Box<dyn FnOnce(&mut State) + Send>;

/// The shared part of one store instance. A store type made by `store!` holds one `Arc` of it.
#[doc(hidden)]
pub struct StoreShared {
    pub(super) id: StoreId,
    pub(super) name: &'static str,
    pub(super) mode: Mode,
    pub(super) state: RwLock<State>,
    /// Marks the thread holding the write lock, to turn re-entrant use into a clear panic and to queue
    /// clean-ups that arrive while it holds the lock (instead of deadlocking).
    pub(super) writer: AtomicUsize,
    /// Boxed on first use (most stores never queue a job): 16 bytes here instead of 32.
    #[allow(clippy::box_collection)] // the box is the point: one pointer in every store, not three words
    pub(super) deferred: Mutex<Option<Box<Vec<Deferred>>>>,
    pub(super) has_deferred: AtomicBool,
    /// Whether a plugin is attached (read without the lock where only a tool needs more work: an effect
    /// run is shown as an action then, even if it writes nothing).
    pub(super) watched: AtomicBool,
    pub(super) this: Weak<StoreShared>,
    /// Word-sized primitive values, read without the lock (see `core::words`); written under it.
    pub(super) words: Words,
}

thread_local! {
    /// The store (its address) whose `update` closure this thread runs, or 0.
    static IN_UPDATE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
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
            || guard.tools.as_ref().is_some_and(|t| !t.events.is_empty())
            || guard.mounts_pending();
        if busy {
            self.finish(guard);
        } else {
            self.shared.writer.store(0, Ordering::Release);
            drop(guard);
        }
        // A job queued by a thread that would not wait for the lock (`with_state_or_defer`) after the
        // check above: run it now, unless another thread holds the lock again (it will, on release).
        if self.shared.has_deferred.load(Ordering::Acquire) {
            self.shared.run_deferred();
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
            for job in jobs.into_iter().flat_map(|jobs| *jobs) {
                job(&mut guard);
            }
        }
        let events = match guard.tools.as_mut() {
            Some(tools) if !tools.events.is_empty() => {
                // The turn is taken under the lock: plugins hear of rounds in the order they held it.
                let turn = tools.turns.take(self.shared.addr());
                Some((tools.plugins.clone(), std::mem::take(&mut tools.events), turn))
            }
            _ => None,
        };
        let mounts = self.shared.take_mount_work(&mut guard, None);
        self.shared.writer.store(0, Ordering::Release);
        drop(guard);
        // Plugins hear about what happened once the lock is released, after the rounds before this one
        // (see `graph::turns`).
        if let Some((plugins, events, turn)) = events {
            match turn {
                Some(turn) => turn.run(|| crate::graph::observe::deliver(&plugins, events)),
                None => crate::graph::observe::deliver(&plugins, events),
            }
        }
        // Then `on_mount`s and unmounts (a panic in one reaches the caller, after all of them ran; not
        // while this thread unwinds already, which would abort).
        if let Some(p) = mounts.and_then(|work| (*work).run()) {
            if !std::thread::panicking() {
                std::panic::resume_unwind(p);
            }
        }
    }
}

// An empty store is this and the `Arc`'s two counts (issue 33 measures it): keep it from growing
// unnoticed. (Linux: the size of `std`'s `Mutex` differs by platform.)
#[cfg(all(target_pointer_width = "64", target_os = "linux"))]
const _: () = assert!(std::mem::size_of::<StoreShared>() <= 200);

impl StoreShared {
    pub(crate) fn new(name: &'static str, mode: Mode) -> Arc<Self> {
        Arc::new_cyclic(|this| StoreShared {
            id: StoreId::next(),
            name,
            mode,
            state: RwLock::new(State::default()),
            writer: AtomicUsize::new(0),
            deferred: Mutex::new(None),
            has_deferred: AtomicBool::new(false),
            watched: AtomicBool::new(false),
            this: this.clone(),
            words: Words::default(),
        })
    }

    pub(crate) fn id(&self) -> StoreId {
        self.id
    }

    pub(crate) fn weak(&self) -> Weak<StoreShared> {
        self.this.clone()
    }

    pub(super) fn addr(&self) -> usize {
        std::ptr::from_ref(self) as usize
    }

    /// Runs `f`, an `update` closure, telling a re-entrant use of this store that it came from there
    /// (its panic then says what to do instead: `update` has no `s` to read through).
    pub(super) fn in_update<R>(&self, f: impl FnOnce() -> R) -> R {
        struct Restore(usize);
        impl Drop for Restore {
            fn drop(&mut self) {
                IN_UPDATE.with(|c| c.set(self.0));
            }
        }
        let _restore = Restore(IN_UPDATE.with(|c| c.replace(self.addr())));
        f()
    }

    #[cold]
    fn reentrant_panic(&self) -> ! {
        let advice = if IN_UPDATE.with(std::cell::Cell::get) == self.addr() {
            // `update`'s closure has no `s`: say what to do there instead.
            "the closure of its own `update`, which holds the store's lock; read the other atoms before \
             calling `update` and move their values into the closure, or make the change in a `writable` \
             atom's write function (its `s` reads and writes) or a `batch`"
        } else {
            "one of its own read, write or initial-value functions; read other atoms through the \
             function's `s` argument instead (an initial value cannot read the store: use `computed`)"
        };
        panic!("nexus: store `{}#{}` was used from inside {advice}", self.name, self.id)
    }

    /// Whether this thread holds the write lock (it is inside one of the store's read functions).
    #[inline]
    pub(super) fn is_writer(&self) -> bool {
        self.writer.load(Ordering::Relaxed) == thread_mark()
    }

    #[inline]
    pub(super) fn read(&self) -> RwLockReadGuard<'_, State> {
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

    /// Runs `job` on the state now, or, if another thread or this one holds the lock, has the holder run
    /// it right before it releases the lock. Never waits for the lock: the holder may be waiting for a
    /// store this thread holds (a family member evicted inside one store's read function, held by
    /// another store, is forgotten there through this), and waiting would deadlock the two.
    pub(super) fn with_state_or_defer(&self, job: impl FnOnce(&mut State) + Send + 'static) {
        if self.writer.load(Ordering::Acquire) != thread_mark() {
            loop {
                if let Some(guard) = self.state.try_write() {
                    self.writer.store(thread_mark(), Ordering::Release);
                    let mut g = WriteGuard { shared: self, guard: Some(guard) };
                    job(&mut g);
                    return;
                }
                // A writer holds it: queue the job, the writer runs it when it releases the lock.
                // Otherwise readers hold it (or a writer is just marking itself or just releasing):
                // readers never wait for anything while reading, and would not run the queue, so the
                // lock is tried again in a moment.
                if self.writer.load(Ordering::Acquire) != 0 {
                    break;
                }
                std::thread::yield_now();
            }
        }
        self.deferred
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert_default()
            .push(Box::new(job));
        self.has_deferred.store(true, Ordering::Release);
        // The holder may have released the lock meanwhile, past its look at the queue.
        if self.writer.load(Ordering::Acquire) != thread_mark() {
            self.run_deferred();
        }
    }

    /// Runs the queued jobs if the lock is free now (else its holder runs them when it releases it).
    #[cold]
    fn run_deferred(&self) {
        if let Some(guard) = self.state.try_write() {
            self.writer.store(thread_mark(), Ordering::Release);
            // Dropping the guard runs the queue (`finish`).
            drop(WriteGuard { shared: self, guard: Some(guard) });
        }
    }

    /// Whether `r` is a `Global` primitive whose value lives in the global registry for this store.
    #[inline]
    pub(super) fn in_global_registry(&self, r: AtomRef<'_>) -> bool {
        r.id.global() && self.mode == Mode::Global && r.id.kind() == AtomKind::Primitive
    }

    /// The local node of `r`, registering it on first use. Returns it and whether it is a proxy.
    #[inline]
    pub(super) fn resolve(&self, st: &mut State, r: AtomRef<'_>) -> (u32, bool) {
        let proxy = self.in_global_registry(r);
        match st.local(r.id) {
            Some(l) => (l, proxy),
            None => (self.register_new(st, r, proxy), proxy),
        }
    }

    /// First use of `r` in this instance: a node, and the bookkeeping around it.
    #[inline(never)]
    fn register_new(&self, st: &mut State, r: AtomRef<'_>, proxy: bool) -> u32 {
        let value = if proxy {
            // This store's view of a `Global` atom of the registry: watched first, so that a change made
            // after this read reaches it (`global_changed`, which waits for this store's lock).
            crate::store::global::add_watcher(r, self.weak());
            ValueSlot::from_shared(crate::store::global::value(r))
        } else if r.id.kind() == AtomKind::Primitive {
            let value = r.handle.def().init_slot();
            self.words.publish_slot(r.id, &value);
            value
        } else {
            ValueSlot::empty()
        };
        let (def, mounting) = r.handle.node_def_mounting();
        let runtime = matches!(def, NodeDef::Runtime(_));
        if mounting {
            st.track_mounts();
        }
        let l = st.insert(def, r.id, value, proxy);
        if runtime {
            r.handle.def().core().add_holder(Holder::Store(self.weak()));
        }
        if !proxy && st.observed() {
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
}

impl Forget for StoreShared {
    /// Frees a dead run-time atom's node (called when its last handle is dropped).
    fn forget(&self, id: AtomId) {
        // A proxy's global entry goes away with the atom itself (the global registry is a holder too).
        self.with_state_or_defer(move |st| drop(st.remove(id)));
    }
}

impl Host for StoreShared {
    fn register(&self, st: &mut State, r: AtomRef<'_>) -> u32 {
        let proxy = self.in_global_registry(r);
        self.register_new(st, r, proxy)
    }

    fn token(&self) -> StoreToken {
        StoreToken { id: self.id, store: self.weak() }
    }
}

impl StoreShared {
    /// Makes `at` the origin of the changes that follow on this thread, while a tool watches this store
    /// (see `core::origin`); the scope ends it.
    #[inline]
    pub(crate) fn origin(&self, at: &'static std::panic::Location<'static>) -> crate::core::origin::Scope {
        crate::core::origin::enter(self.watched.load(std::sync::atomic::Ordering::Relaxed), at)
    }

    /// Runs `f` with `at` as the origin of its changes while a tool watches this store; otherwise just
    /// runs it (the hot path: one relaxed load and a branch).
    #[inline]
    pub(crate) fn with_origin<R>(
        &self,
        at: &'static std::panic::Location<'static>,
        f: impl FnOnce() -> R,
    ) -> R {
        if self.watched.load(std::sync::atomic::Ordering::Relaxed) {
            Self::with_origin_watched(at, f)
        } else {
            f()
        }
    }

    #[cold]
    #[inline(never)]
    fn with_origin_watched<R>(at: &'static std::panic::Location<'static>, f: impl FnOnce() -> R) -> R {
        let _scope = crate::core::origin::enter(true, at);
        f()
    }
}

impl Drop for StoreShared {
    fn drop(&mut self) {
        // First, while every value is still here: the hooks that want a last look (persistence's flush).
        let hooks = self.state.get_mut().tools.as_mut().map(|t| std::mem::take(&mut t.before_drop));
        for hook in hooks.into_iter().flatten() {
            hook(&*self);
        }
        // Leave no trace in the global registry: stop watching the `Global` atoms we had proxies for.
        let me: *const StoreShared = self;
        let mode = self.mode;
        let st = self.state.get_mut();
        for node in st.nodes.iter().filter(|n| n.is_live() && n.proxy) {
            crate::store::global::remove_watcher(node.id, me);
        }
        // Its effects end (their cleanups run), and everything mounted here is unmounted (both kept
        // in the box of tools, which most stores never make).
        if st.tools.as_ref().is_some_and(|t| t.effects > 0 || t.mounts.is_some()) {
            let stopped = StoreShared::stop_effects(st);
            let mounted = StoreShared::unmount_all(mode, st);
            if let Some(p) = crate::store::mount::end_all(mounted).or(stopped) {
                if !std::thread::panicking() {
                    std::panic::resume_unwind(p);
                }
            }
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
