//! Effects as a store runs them: [`Effect`], the handle that keeps one going, and [`EffectCtx`], the `s`
//! of its body. When an effect runs is decided by change rounds (`graph::effect`); here is what one run
//! does: the previous run's cleanups, then the body in a batch of the store, then what it read recorded as
//! the effect's sources, before the batch ends (so its own writes find the run recorded and do not run
//! it again).

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use crate::core::info::AtomId;
use crate::core::owner::{Owner, UsableIn};
use crate::graph::access::Readable;
use crate::graph::def::NodeDef;
use crate::graph::effect::{EffectBody, EffectNode, Panic, Unit};
use crate::graph::notes::Notes;
use crate::graph::observe::{ActionDesc, ActionOutcome, ActionRun, Event};
use crate::store::access::{Primitive, Runnable, Settable, Updatable};
use crate::store::instance::StoreShared;
use crate::store::loads::LoadTask;
use crate::store::mount::MountWork;

type Cleanup = Box<dyn FnOnce() + Send>;
type AsyncPart = Pin<Box<dyn Future<Output = ()> + Send>>;

type SyncFn<S> = Box<dyn FnMut(&mut EffectCtx<'_, S>) + Send>;
type AsyncFn<S> = Box<dyn FnMut(&mut EffectCtx<'_, S>) -> AsyncPart + Send>;

/// The body of an effect, as the user wrote it.
pub(crate) enum Func<S> {
    Sync(SyncFn<S>),
    Async(AsyncFn<S>),
}

/// One effect of one store.
struct Body<S> {
    store: Weak<StoreShared>,
    /// Locked for a run (runs never overlap: the run state of `EffectNode` sees to that).
    run: Mutex<RunState<S>>,
    /// What the last run registered with `on_cleanup`, to run before the next one or at the end.
    cleanups: Mutex<Vec<Cleanup>>,
    /// Whether `cleanups` may hold any (most effects register none: their runs do not lock it).
    has_cleanups: AtomicBool,
    stopped: AtomicBool,
    runs: AtomicU64,
    /// An async effect's future under way.
    task: Mutex<Option<Arc<LoadTask<()>>>>,
}

/// What a run uses, kept between runs.
struct RunState<S> {
    func: Func<S>,
    /// What the last run read (the effect node's sources, by id): a run that reads the same needs no
    /// lock to record it.
    last: Vec<AtomId>,
    /// A cleared vector for the next run's reads (so that a run allocates nothing).
    spare: Vec<AtomId>,
}

/// Runs `cleanups` in order, each even if one before it panicked; the first panic is returned.
fn run_cleanups(cleanups: Vec<Cleanup>) -> Option<Panic> {
    let mut panic = None;
    for cleanup in cleanups {
        if let Err(p) = catch_unwind(AssertUnwindSafe(cleanup)) {
            panic.get_or_insert(p);
        }
    }
    panic
}

impl<S: Owner> Body<S> {
    /// One run: the previous run's cleanups, then the body; what it read recorded (under the lock only
    /// if it differs from the last run's), then the batch its writes opened closed.
    ///
    /// What the run's reads mounted is left in `mounts`, to start once the run is over: an `on_mount`
    /// that writes its atom at once must not count as the run's own write.
    fn run_once(
        &self,
        store: &StoreShared,
        fx: &Arc<EffectNode>,
        mounts: &mut Vec<MountWork>,
    ) -> Option<Panic> {
        let mut panic = None;
        if self.has_cleanups.load(Ordering::Acquire) {
            let previous = std::mem::take(&mut *self.cleanups.lock().unwrap_or_else(PoisonError::into_inner));
            self.has_cleanups.store(false, Ordering::Release);
            panic = run_cleanups(previous);
        }
        // Only the thread running it counts runs (runs never overlap): no read-modify-write needed.
        let number = self.runs.load(Ordering::Relaxed) + 1;
        self.runs.store(number, Ordering::Relaxed);
        let mut state = self.run.lock().unwrap_or_else(PoisonError::into_inner);
        let reads = std::mem::take(&mut state.spare);
        let mut ctx = EffectCtx {
            store,
            reads,
            cleanups: Vec::new(),
            number,
            effect: fx.seq,
            batch: None,
            _owner: PhantomData,
        };
        if store.watched.load(Ordering::Relaxed) {
            // A tool watches: every run is shown (as an action named after the effect), writes or not.
            ctx.writing();
        }
        let result = catch_unwind(AssertUnwindSafe(|| match &mut state.func {
            Func::Sync(f) => {
                f(&mut ctx);
                None
            }
            Func::Async(f) => Some(f(&mut ctx)),
        }));
        // Recorded under the lock if it read other atoms, or wrote (its writes may have left a derived
        // atom it reads stale, which the record brings up to date: `State::finish_effect_run`).
        if ctx.reads != state.last || ctx.batch.is_some() {
            mounts.extend(store.finish_effect_run(fx, &ctx.reads).map(|work| *work));
            let mut reads = std::mem::replace(&mut state.last, std::mem::take(&mut ctx.reads));
            reads.clear();
            state.spare = reads;
        } else {
            let mut reads = std::mem::take(&mut ctx.reads);
            reads.clear();
            state.spare = reads;
        }
        drop(state);
        ctx.close(result.is_err());
        match result {
            Ok(Some(future)) => self.start(store, future),
            Ok(None) => {}
            Err(p) => {
                panic.get_or_insert(p);
            }
        }
        if !ctx.cleanups.is_empty() {
            let cleanups = std::mem::take(&mut ctx.cleanups);
            let mut kept = self.cleanups.lock().unwrap_or_else(PoisonError::into_inner);
            if self.stopped.load(Ordering::Acquire) {
                // Stopped while it ran: nothing runs after this, so its cleanups run now.
                drop(kept);
                if let Some(p) = run_cleanups(cleanups) {
                    panic.get_or_insert(p);
                }
            } else {
                kept.extend(cleanups);
                self.has_cleanups.store(true, Ordering::Release);
            }
        }
        panic
    }

    /// Makes `future` the effect's async part, dropping the previous one (cancelled).
    fn start(&self, store: &StoreShared, future: AsyncPart) {
        let task = Arc::new(LoadTask::new(Box::pin(async move {
            future.await;
            Ok(())
        })));
        let old = self.task.lock().unwrap_or_else(PoisonError::into_inner).replace(task.clone());
        if let Some(old) = old {
            old.cancel();
        }
        if self.stopped.load(Ordering::Acquire) {
            task.cancel();
            return;
        }
        crate::store::loads::register_effect_task(store, &task);
        // On the executor set for the store (the Leptos binding sets one), or the current tokio runtime.
        let drive = async move {
            std::future::poll_fn(|cx| task.poll_outcome(cx)).await;
        };
        if let Some(spawn) = crate::store::loads::spawner(store.id()) {
            spawn(Box::pin(drive));
        } else {
            #[cfg(feature = "tokio")]
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(drive);
            }
            #[cfg(not(feature = "tokio"))]
            drop(drive);
        }
    }
}

impl<S: Owner> EffectBody for Body<S> {
    fn run(&self, fx: &Arc<EffectNode>, round: Option<&crate::graph::effect::Store>) -> Option<Panic> {
        if self.stopped.load(Ordering::Acquire) {
            return None;
        }
        // The round's store, held by the round, when it is this effect's (it always is): no upgrade.
        let held = round
            .and_then(|s| s.downcast_ref::<StoreShared>())
            .filter(|s| std::ptr::eq(*s, self.store.as_ptr()));
        let upgraded;
        let store: &StoreShared = if let Some(store) = held {
            store
        } else {
            upgraded = self.store.upgrade()?;
            &upgraded
        };
        if !fx.begin() {
            return None;
        }
        let mut panic = None;
        let mut mounts = Vec::new();
        loop {
            if let Some(p) = self.run_once(store, fx, &mut mounts) {
                panic.get_or_insert(p);
            }
            if self.stopped.load(Ordering::Acquire) {
                fx.abandon();
                break;
            }
            if !fx.end() {
                break;
            }
        }
        // The run is over: what it mounted starts now (a write an `on_mount` makes at once runs the
        // effect again, as any other change).
        for work in mounts {
            if let Some(p) = work.run() {
                panic.get_or_insert(p);
            }
        }
        panic
    }

    fn reads(&self, fx: &Arc<EffectNode>) -> Vec<String> {
        let Some(store) = self.store.upgrade() else { return Vec::new() };
        store.effect_reads(fx)
    }

    fn stop(&self) -> Option<Panic> {
        Body::stop(self)
    }

    fn unqueue(&self, fx: &Arc<EffectNode>) {
        if let Some(store) = self.store.upgrade() {
            store.unqueue_effect(fx);
        }
    }
}

impl<S> Body<S> {
    /// Ends the effect: no run after this; the last run's cleanups run now (outside any lock), its async
    /// part is dropped.
    fn stop(&self) -> Option<Panic> {
        let cleanups = {
            let mut kept = self.cleanups.lock().unwrap_or_else(PoisonError::into_inner);
            self.stopped.store(true, Ordering::Release);
            self.has_cleanups.store(false, Ordering::Release);
            std::mem::take(&mut *kept)
        };
        if let Some(task) = self.task.lock().unwrap_or_else(PoisonError::into_inner).take() {
            task.cancel();
        }
        run_cleanups(cleanups)
    }
}

/// What [`Effect`] and the store need of a body without its owner type.
trait Stop: Send + Sync {
    fn stop(&self) -> Option<Panic>;
    fn runs(&self) -> u64;
    fn stopped(&self) -> bool;
}

impl<S: Owner> Stop for Body<S> {
    fn stop(&self) -> Option<Panic> {
        Body::stop(self)
    }

    fn runs(&self) -> u64 {
        self.runs.load(Ordering::Relaxed)
    }

    fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }
}

/// A running effect (made by [`Store::effect`](crate::Store::effect)): it runs again after every change
/// round that changed an atom its last run read, until this handle is dropped (or
/// [`stop`](Effect::stop)ped), which runs its last cleanups.
///
/// It does not keep its store alive: when the store is dropped the effect ends (its cleanups run) and
/// [`is_active`](Effect::is_active) turns `false`.
#[must_use = "dropping an Effect stops it at once"]
pub struct Effect {
    fx: Arc<EffectNode>,
    body: Arc<dyn Stop>,
    store: Weak<StoreShared>,
}

impl Effect {
    /// Stops the effect (the same as dropping it): no run after this, and its last cleanups run now.
    /// A panic of a cleanup is raised from here.
    pub fn stop(self) {}

    /// Whether the effect still runs on changes: `false` once stopped or once its store is dropped.
    pub fn is_active(&self) -> bool {
        !self.body.stopped() && self.store.strong_count() > 0
    }

    /// How many runs have started so far (the first one, at creation, included).
    pub fn runs(&self) -> u64 {
        self.body.runs()
    }
}

impl Drop for Effect {
    fn drop(&mut self) {
        let panic = self.body.stop();
        if let Some(store) = self.store.upgrade() {
            let fx = self.fx.clone();
            store.with_state_or_defer(move |st| {
                let l = fx.local.load(Ordering::Acquire);
                if st.is_effect_node(l, &fx) {
                    drop(st.remove_at(l));
                }
            });
        }
        if let Some(p) = panic {
            if !std::thread::panicking() {
                std::panic::resume_unwind(p);
            }
        }
    }
}

impl fmt::Debug for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Effect")
            .field("runs", &self.runs())
            .field("active", &self.is_active())
            .finish_non_exhaustive()
    }
}

/// The batch of a run that writes, with the action run tools record it as (while one is attached).
struct Batch(Option<Arc<ActionRun>>);

/// What an effect's body gets as `s`: reads atoms and records them as what the effect depends on, and
/// writes atoms (the writes of one run are one batch, notified when the run ends).
///
/// `S` is the effect's store: it may read that store's atoms and `Global` atoms; anything else is a
/// compile error naming both owners. Reads are tracked anew on every run, so a branch not taken is no
/// longer a dependency. The body runs outside the store's lock: reading through a store handle would work
/// too, but is not tracked.
pub struct EffectCtx<'a, S> {
    store: &'a StoreShared,
    reads: Vec<AtomId>,
    cleanups: Vec<Cleanup>,
    number: u64,
    /// The effect's creation number (its name for tools: `effect#N`).
    effect: u64,
    /// The batch the run's first write opened. A run that writes nothing opens none.
    batch: Option<Batch>,
    _owner: PhantomData<fn() -> S>,
}

impl<S> EffectCtx<'_, S> {
    /// Before a write: opens the run's batch (tools show it as an action named after the effect, its
    /// changes under it).
    fn writing(&mut self) {
        if self.batch.is_some() {
            return;
        }
        let store = self.store;
        crate::graph::batch::enter(store.addr(), || store.batch_start());
        let run = if store.read().observed() {
            let name: Arc<str> = Arc::from(format!("effect#{}", self.effect));
            store.start_action(ActionDesc {
                name: name.clone(),
                path: name,
                owner: store.name,
                arg: Some(format!("run {}", self.number)),
            })
        } else {
            None
        };
        self.batch = Some(Batch(run));
    }

    /// After the run: closes its batch (its changes are then notified), if a write opened one.
    fn close(&mut self, panicked: bool) {
        let Some(Batch(run)) = self.batch.take() else { return };
        let store = self.store;
        if let Some(run) = run {
            crate::graph::batch::pop_action(store.addr());
            let outcome = if panicked { ActionOutcome::Panicked } else { ActionOutcome::Returned };
            let mut st = store.write();
            if st.observed() {
                st.push_event(Event::ActionEnd(run, outcome));
            }
        }
        if let Some(round) = crate::graph::batch::exit(store.addr()) {
            store.end_round(round, false);
        }
    }
}

impl<S: Owner> EffectCtx<'_, S> {
    /// The current value of `atom`, tracked: a change of it runs the effect again.
    pub fn get<A>(&mut self, atom: &A) -> A::Value
    where
        A: Readable,
        A::Owner: UsableIn<S>,
    {
        let r = atom.__atom();
        self.reads.push(r.id);
        self.store.get(r)
    }

    /// Calls `f` with a borrow of `atom`'s current value, tracked.
    pub fn with<A, R>(&mut self, atom: &A, f: impl FnOnce(&A::Value) -> R) -> R
    where
        A: Readable,
        A::Owner: UsableIn<S>,
    {
        let r = atom.__atom();
        self.reads.push(r.id);
        let value = self.store.value(r);
        f(crate::core::value_slot::downcast::<A::Value>(&value))
    }

    /// The current value of `atom`, not tracked: a change of it alone does not run the effect again.
    pub fn peek<A>(&mut self, atom: &A) -> A::Value
    where
        A: Readable,
        A::Owner: UsableIn<S>,
    {
        self.store.get(atom.__atom())
    }

    /// Sets a primitive atom, or runs a writable atom's write function. Subscribers hear of it when the run
    /// ends; it does not run this effect again, even if the effect reads the atom.
    #[track_caller]
    pub fn set<A>(&mut self, atom: &A, value: A::Arg)
    where
        A: Settable,
        A::Owner: UsableIn<S>,
    {
        let _origin = self.store.origin(std::panic::Location::caller());
        self.writing();
        atom.__set(self.store, value);
    }

    /// Modifies a primitive atom (or a field atom, see [`Updatable`]) in place (as [`set`](Self::set),
    /// notified when the run ends).
    #[track_caller]
    pub fn update<A>(&mut self, atom: &A, f: impl FnOnce(&mut A::Value))
    where
        A: Updatable,
        A::Owner: UsableIn<S>,
    {
        let _origin = self.store.origin(std::panic::Location::caller());
        self.writing();
        let mut f = Some(f);
        atom.__update(self.store, &mut |v| (f.take().expect("called once"))(v));
    }

    /// Puts a primitive atom back to its initial value.
    #[track_caller]
    pub fn reset<A>(&mut self, atom: &A)
    where
        A: Primitive,
        A::Owner: UsableIn<S>,
    {
        let _origin = self.store.origin(std::panic::Location::caller());
        self.writing();
        self.store.reset(atom.__atom());
    }

    /// Runs an action (see [`Store::run`](crate::Store::run)); its writes join this run's batch.
    #[track_caller]
    pub fn run<X>(&mut self, action: &X, arg: X::Arg) -> X::Output
    where
        X: Runnable,
        X::Owner: UsableIn<S>,
    {
        let _origin = self.store.origin(std::panic::Location::caller());
        self.writing();
        action.__run(self.store, arg)
    }
}

impl<S> EffectCtx<'_, S> {
    /// Registers `f` to run before the effect's next run, and when the effect stops (its handle dropped,
    /// or its store). It runs outside the store's lock, untracked, on the thread that runs the effect
    /// next (or stops it). Several run in the order they were registered.
    pub fn on_cleanup(&mut self, f: impl FnOnce() + Send + 'static) {
        self.cleanups.push(Box::new(f));
    }

    /// Which run this is: 1 for the first one (when the effect is made), 2 for the next, and so on.
    pub fn run_number(&self) -> u64 {
        self.number
    }
}

impl StoreShared {
    /// Makes an effect of this store and runs it once now, on this thread (its panic reaches the caller,
    /// and the effect is then stopped).
    pub(crate) fn effect<S: Owner>(&self, func: Func<S>) -> Effect {
        let body = Arc::new(Body {
            store: self.weak(),
            run: Mutex::new(RunState { func, last: Vec::new(), spare: Vec::new() }),
            cleanups: Mutex::new(Vec::new()),
            has_cleanups: AtomicBool::new(false),
            stopped: AtomicBool::new(false),
            runs: AtomicU64::new(0),
            task: Mutex::new(None),
        });
        let fx = {
            let mut st = self.write();
            let fx = Arc::new(EffectNode::new(st.next_seq(), Box::new(Shared(body.clone()))));
            st.insert_effect(&fx);
            fx
        };
        let effect = Effect { fx: fx.clone(), body, store: self.weak() };
        // The first run, settled like a round's (a cascade, so that what it causes runs after it).
        crate::graph::effect::settle(Unit {
            effects: vec![fx],
            store: self.weak().upgrade().map(|s| s as crate::graph::effect::Store),
            notes: Notes::None,
            panic: None,
            after: None,
        });
        effect
    }

    /// Under the lock: the run of `fx` read the atoms `reads`. Returns the mounts and unmounts that
    /// made due, for the caller to run once the run is over.
    fn finish_effect_run(&self, fx: &Arc<EffectNode>, reads: &[AtomId]) -> Option<Box<MountWork>> {
        let mut st = self.write();
        let l = fx.local.load(Ordering::Acquire);
        if !st.is_effect_node(l, fx) {
            return None;
        }
        let slots: Vec<u32> = reads.iter().filter_map(|&id| st.local(id)).collect();
        st.finish_effect_run(self, l, slots);
        self.take_mount_work(&mut st, None)
    }

    /// The paths of the atoms effect `fx` read in its last run.
    fn effect_reads(&self, fx: &Arc<EffectNode>) -> Vec<String> {
        let st = self.read();
        let l = fx.local.load(Ordering::Acquire);
        if !st.is_effect_node(l, fx) {
            return Vec::new();
        }
        st.node(l)
            .sources
            .iter()
            .filter(|&&s| st.nodes[s as usize].is_live())
            .map(|&s| st.node_name(s))
            .collect()
    }

    /// `fx` was due but will not run: a later change must mark it again.
    fn unqueue_effect(&self, fx: &Arc<EffectNode>) {
        let fx = fx.clone();
        self.with_state_or_defer(move |st| {
            let l = fx.local.load(Ordering::Acquire);
            if st.is_effect_node(l, &fx) {
                st.node_mut(l).dirt = crate::graph::state::Dirt::Clean;
            }
        });
    }

    /// Ends every effect of this store (it is being dropped): their cleanups run.
    pub(crate) fn stop_effects(st: &mut crate::graph::state::State) -> Option<Panic> {
        let mut panic = None;
        for node in &st.nodes {
            if let NodeDef::Effect(fx) = &node.def {
                if let Some(p) = fx.body.stop() {
                    panic.get_or_insert(p);
                }
            }
        }
        panic
    }
}

/// The body as the graph holds it (`EffectBody`), sharing it with the handle.
struct Shared<S>(Arc<Body<S>>);

impl<S: Owner> EffectBody for Shared<S> {
    fn run(&self, fx: &Arc<EffectNode>, store: Option<&crate::graph::effect::Store>) -> Option<Panic> {
        self.0.run(fx, store)
    }

    fn reads(&self, fx: &Arc<EffectNode>) -> Vec<String> {
        self.0.reads(fx)
    }

    fn stop(&self) -> Option<Panic> {
        self.0.stop()
    }

    fn unqueue(&self, fx: &Arc<EffectNode>) {
        self.0.unqueue(fx);
    }
}
