//! Asynchronous loads as the store drives them, with no runtime of its own: one shared task per load
//! (polled by whichever waiter gets to it, every waiter woken when it can progress, the outcome kept for
//! all), the [`AsyncAtom`] trait through which `store.load(&atom)` reaches an async atom, and the
//! registry that `store.settled()` walks.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::task::{Context, Poll, Wake, Waker};

use crate::core::info::{AtomId, StoreId};
use crate::core::loadable::{LoadError, Loadable};
use crate::core::value_slot::Value;
use crate::graph::access::Readable;
use crate::store::instance::StoreShared;

/// A boxed load: the future an async atom's function returned, its error already a [`LoadError`].
#[doc(hidden)]
pub type LoadFuture<T> = Pin<Box<dyn Future<Output = Result<T, LoadError>> + Send>>;

/// An atom whose value loads asynchronously ([`AsyncComputed`](crate::AsyncComputed)): what
/// [`Store::load`](crate::Store::load) accepts.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an async atom",
    label = "expected a `nexus::AsyncComputed` (declared with `async_computed(..)`, or an `AsyncFamily`'s `.at(key)`)"
)]
pub trait AsyncAtom: Readable<Value = Loadable<Self::Output>> {
    /// The loaded value's type.
    type Output: Clone + Send + Sync + 'static;
    #[doc(hidden)]
    fn __load(
        &self,
        store: Arc<StoreShared>,
    ) -> Pin<Box<dyn Future<Output = Result<Self::Output, LoadError>> + Send>>;
}

/// An async atom that [`Store::load_all`](crate::Store::load_all) can load in store `S`: an
/// [`AsyncComputed`](crate::AsyncComputed) of `S` or of [`Global`](crate::Global). Another store's async
/// atom in the list is a compile error naming both stores.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an async atom of `{S}`",
    label = "expected an async atom (`nexus::AsyncComputed`) of `{S}` or `Global`"
)]
pub trait LoadIn<S>: crate::core::owner::Sealed {
    /// The atom's next load step in `store`.
    #[doc(hidden)]
    fn __load_step(&self, store: &Arc<StoreShared>) -> LoadStep;
}

/// A future that drives something to its end.
type Drive = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Reads an atom (which files its load if its current dependencies have none yet): if it is loading, a
/// future that drives that load to its end.
pub(crate) type LoadStep = Box<dyn Fn() -> Option<Drive> + Send + Sync>;

/// Takes the first step of each atom now (their loads are filed at once), then drives the loads until
/// none of the atoms is loading: a load's result may start another (an atom reading another's state).
pub(crate) fn load_all(steps: Vec<LoadStep>) -> impl Future<Output = ()> + Send {
    let mut loads: Vec<Drive> = steps.iter().filter_map(|step| step()).collect();
    async move {
        while !loads.is_empty() {
            join(loads).await;
            loads = steps.iter().filter_map(|step| step()).collect();
        }
    }
}

/// Resolves once every one of `loads` has (they are polled concurrently, on the caller's task).
pub(crate) async fn join(mut loads: Vec<Drive>) {
    std::future::poll_fn(|cx| {
        loads.retain_mut(|load| load.as_mut().poll(cx).is_pending());
        if loads.is_empty() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
}

/// One load, shared by everyone who awaits it.
pub(crate) struct LoadTask<T> {
    state: Mutex<TaskState<T>>,
    wakers: Arc<Wakers>,
}

enum TaskState<T> {
    /// Not being polled right now.
    Idle(LoadFuture<T>),
    /// A waiter took the future out to poll it.
    Polling,
    Done(Result<T, LoadError>),
    /// Superseded by a newer load: the future was (or will be, by its poller) dropped unfinished.
    Cancelled,
}

/// The waiters of one load: the load's future wakes them all; each polls again and one gets the future.
#[derive(Default)]
struct Wakers(Mutex<Vec<Waker>>);

impl Wake for Wakers {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let waiting = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        for waker in waiting {
            waker.wake();
        }
    }
}

impl Wakers {
    fn register(&self, waker: &Waker) {
        let mut list = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if !list.iter().any(|w| w.will_wake(waker)) {
            list.push(waker.clone());
        }
    }
}

impl<T: Clone> LoadTask<T> {
    pub(crate) fn new(future: LoadFuture<T>) -> Self {
        LoadTask { state: Mutex::new(TaskState::Idle(future)), wakers: Arc::default() }
    }

    fn lock(&self) -> MutexGuard<'_, TaskState<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether it is done or cancelled.
    pub(crate) fn is_over(&self) -> bool {
        matches!(*self.lock(), TaskState::Done(_) | TaskState::Cancelled)
    }

    /// Drops the future (now, or once its poller returns) and wakes the waiters, who find the load gone.
    pub(crate) fn cancel(&self) {
        let old = std::mem::replace(&mut *self.lock(), TaskState::Cancelled);
        if let TaskState::Done(result) = old {
            *self.lock() = TaskState::Done(result);
            return;
        }
        drop(old);
        self.wakers.wake_by_ref();
    }

    /// Drives the load a step or joins it: its outcome, `None` if it was cancelled.
    pub(crate) fn poll_outcome(&self, cx: &mut Context<'_>) -> Poll<Option<Result<T, LoadError>>> {
        let mut future = {
            let mut state = self.lock();
            match std::mem::replace(&mut *state, TaskState::Polling) {
                TaskState::Idle(future) => future,
                TaskState::Polling => {
                    self.wakers.register(cx.waker());
                    return Poll::Pending;
                }
                TaskState::Done(result) => {
                    *state = TaskState::Done(result.clone());
                    return Poll::Ready(Some(result));
                }
                TaskState::Cancelled => {
                    *state = TaskState::Cancelled;
                    return Poll::Ready(None);
                }
            }
        };
        self.wakers.register(cx.waker());
        let waker = Waker::from(self.wakers.clone());
        let polled =
            catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut Context::from_waker(&waker))));
        let mut state = self.lock();
        if matches!(*state, TaskState::Cancelled) {
            drop(state);
            drop(future);
            return Poll::Ready(None);
        }
        let result = match polled {
            Ok(Poll::Pending) => {
                *state = TaskState::Idle(future);
                return Poll::Pending;
            }
            Ok(Poll::Ready(result)) => result,
            Err(panic) => Err(LoadError::panicked(panic_message(&*panic))),
        };
        *state = TaskState::Done(result.clone());
        drop(state);
        self.wakers.wake_by_ref();
        Poll::Ready(Some(result))
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// What `settled`, `snapshot` and `hydrate` need of an async atom, without its types.
pub(crate) trait Pending: Send + Sync {
    /// A future that drives this atom's load in `store` to its end, if one is under way there.
    fn drive(self: Arc<Self>, store: &Arc<StoreShared>) -> Option<Pin<Box<dyn Future<Output = ()> + Send>>>;

    /// A declared async atom's snapshot key and owner (`None` for the others: a family member is found
    /// through its family, a run-time atom has no key).
    #[cfg(feature = "serde")]
    fn declared(&self) -> Option<(Arc<str>, std::any::TypeId)>;

    /// The key a snapshot carries this atom under, by the rule of other atoms: a declared atom's
    /// `#[name]` (else its path), a family member's `FAMILY[key as JSON]`. `Ok(None)`: a run-time atom,
    /// no key another process could match; `Err`: a member whose key type (named) serde cannot write.
    #[cfg(feature = "serde")]
    fn snapshot_key(&self) -> Result<Option<Arc<str>>, &'static str>;

    /// The owner's type.
    #[cfg(feature = "serde")]
    fn owner(&self) -> std::any::TypeId;

    /// A family member's family, by address (a snapshot checks that hydration reaches the member
    /// through it).
    #[cfg(feature = "serde")]
    fn family(&self) -> Option<usize>;

    /// The atom's path if `store` holds it (an omitted family member is listed by it).
    #[cfg(feature = "serde")]
    fn held_path(&self, store: &StoreShared) -> Option<Arc<str>>;

    /// The loaded value's type name.
    #[cfg(feature = "serde")]
    fn value_type(&self) -> &'static str;

    /// A declared async atom's old snapshot keys (`#[alias]`), which hydration also accepts.
    #[cfg(feature = "serde")]
    fn aliases(&self) -> &'static [&'static str];

    /// The value loaded in `store` as JSON, if this store holds the atom, it is `Ready` and its type is
    /// `Serialize`.
    #[cfg(feature = "serde")]
    fn encode(&self, store: &StoreShared) -> Option<serde_json::Value>;

    /// The value type's name if this store holds the atom and the type is not `Serialize` (a snapshot
    /// lists it as omitted rather than leave it out silently).
    #[cfg(feature = "serde")]
    fn unserializable(&self, store: &StoreShared) -> Option<&'static str>;

    /// A hydrated outcome from JSON, to put into [`outcome`](Pending::outcome) (`None`: the type is not
    /// `Deserialize`).
    #[cfg(feature = "serde")]
    fn decode(&self, json: serde_json::Value) -> Option<Result<crate::core::value_slot::Value, String>>;

    /// The atom holding the last finished load (what hydration and time travel set).
    fn outcome(&self) -> crate::graph::access::AtomRef<'_>;

    /// The atoms this one is made of besides the one users read (its outcome and its request): the
    /// registry and the tools' inspector leave them out, so that the atom is listed once, as its value.
    fn parts(&self) -> [crate::graph::access::AtomRef<'_>; 2];

    /// `store` is about to be set to `outcome` (time travel, or hydration): whether that outcome (a
    /// finished load) will be the one of the load its dependencies then ask for, with no fetch.
    fn begin_adopt(&self, store: &StoreShared, outcome: &Value) -> bool;

    /// The restore or hydration is done: if no new load took the outcome, the current load does.
    fn finish_adopt(&self, store: &StoreShared);
}

/// The async atoms whose outcome `values` sets back in `store` (time travel), told so before the restore
/// (their restored loads adopt the outcome instead of fetching): call `finish_adopt` on each after it.
pub(crate) fn begin_adopt(store: &StoreShared, values: &[(AtomId, Value)]) -> Vec<Arc<dyn Pending>> {
    let mut atoms = live();
    atoms.retain(|atom| {
        let id = atom.outcome().id;
        values.iter().rev().find(|(v, _)| *v == id).is_some_and(|(_, value)| atom.begin_adopt(store, value))
    });
    atoms
}

/// A declared async atom, as generated code submits it to the catalogue (`inventory`): hydration makes
/// every declared one, so that a snapshot can set an async atom this process has not used yet.
#[doc(hidden)]
#[cfg_attr(not(feature = "serde"), allow(dead_code))] // only hydration looks
pub struct DeclaredAsync(pub(crate) &'static dyn MakePending);

inventory::collect!(DeclaredAsync);

/// Makes a declared async atom's parts (once; they register themselves as live).
#[cfg_attr(not(feature = "serde"), allow(dead_code))]
pub(crate) trait MakePending: Sync {
    fn make(&self);
}

/// Every async atom declared (with `atom!`, not a family's member) by one of `owners`, with its
/// snapshot key; every declared one is made first, so that hydration can set one this process has not
/// used yet.
#[cfg(feature = "serde")]
pub(crate) fn declared(owners: &[std::any::TypeId]) -> Vec<(Arc<str>, Arc<dyn Pending>)> {
    static MADE: std::sync::Once = std::sync::Once::new();
    MADE.call_once(|| inventory::iter::<DeclaredAsync>.into_iter().for_each(|d| d.0.make()));
    live()
        .into_iter()
        .filter_map(|a| match a.declared() {
            Some((key, owner)) if owners.contains(&owner) => Some((key, a)),
            _ => None,
        })
        .collect()
}

/// The parts of every live async atom that users do not read (see [`Pending::parts`]).
pub(crate) fn hidden_parts() -> HiddenParts {
    let live = live();
    let defs = live.iter().flat_map(|atom| atom.parts()).map(|part| def_addr(part.handle.def())).collect();
    HiddenParts { _live: live, defs }
}

/// What [`hidden_parts`] found, told by definition: ids are unique only among one owner's atoms, so an
/// async atom of another store type may share its parts' ids with atoms of this one.
pub(crate) struct HiddenParts {
    /// Holds the atoms, so that no other definition takes one of their places meanwhile.
    _live: Vec<Arc<dyn Pending>>,
    defs: std::collections::HashSet<*const ()>,
}

impl HiddenParts {
    /// Whether the node of `def` is one of the hidden parts.
    pub(crate) fn contains(&self, def: &crate::graph::def::NodeDef) -> bool {
        def.live().is_some_and(|d| self.defs.contains(&def_addr(d)))
    }
}

fn def_addr(def: &dyn crate::graph::def::ErasedDef) -> *const () {
    std::ptr::from_ref(def).cast::<()>()
}

/// Every live async atom.
pub(crate) fn live() -> Vec<Arc<dyn Pending>> {
    ASYNC_ATOMS.lock().unwrap_or_else(PoisonError::into_inner).iter().filter_map(Weak::upgrade).collect()
}

static ASYNC_ATOMS: Mutex<Vec<Weak<dyn Pending>>> = Mutex::new(Vec::new());

/// Records a live async atom (for `settled`).
pub(crate) fn register(atom: Weak<dyn Pending>) {
    let mut atoms = ASYNC_ATOMS.lock().unwrap_or_else(PoisonError::into_inner);
    if atoms.len() >= 16 && atoms.len().is_power_of_two() {
        atoms.retain(|a| a.strong_count() > 0);
    }
    atoms.push(atom);
}

/// The async parts of effects under way, with their stores (weakly): `settled` drives them too.
static EFFECT_TASKS: Mutex<Vec<EffectTask>> = Mutex::new(Vec::new());

/// An async effect's future under way, and its store.
type EffectTask = (Weak<StoreShared>, Weak<LoadTask<()>>);

/// Records an async effect's future under way in `store` (for `settled`).
pub(crate) fn register_effect_task(store: &StoreShared, task: &Arc<LoadTask<()>>) {
    let mut tasks = EFFECT_TASKS.lock().unwrap_or_else(PoisonError::into_inner);
    tasks.retain(|(s, t)| s.strong_count() > 0 && t.strong_count() > 0);
    tasks.push((store.weak(), Arc::downgrade(task)));
}

/// Futures that drive `store`'s async effects under way to their end (or their cancellation).
fn effect_drives(store: &Arc<StoreShared>) -> Vec<Drive> {
    let tasks = EFFECT_TASKS.lock().unwrap_or_else(PoisonError::into_inner);
    tasks
        .iter()
        .filter(|(s, _)| std::ptr::eq(s.as_ptr(), Arc::as_ptr(store)))
        .filter_map(|(_, t)| t.upgrade())
        .filter(|t| !t.is_over())
        .map(|task| -> Drive { Box::pin(std::future::poll_fn(move |cx| task.poll_outcome(cx).map(|_| ()))) })
        .collect()
}

/// Resolves once no async atom of `store` is loading and no async effect of it is under way: drives
/// every load and effect future there (they run concurrently), again until none is left (a load's result
/// may start another, through a derived atom, or run an effect).
pub(crate) async fn settled(store: Arc<StoreShared>) {
    loop {
        let mut loads: Vec<_> = live().into_iter().filter_map(|atom| atom.drive(&store)).collect();
        loads.extend(effect_drives(&store));
        if loads.is_empty() {
            return;
        }
        join(loads).await;
    }
}

/// A function that runs a future to its end on some executor (an async UI framework's).
pub(crate) type Spawner = Arc<dyn Fn(Pin<Box<dyn Future<Output = ()> + Send>>) + Send + Sync>;

/// The stores given an executor for their loads and async effects (by the Leptos binding), weakly. Kept
/// here rather than in the store: no store pays for it, and a load looks here only once one is set.
static SPAWNERS: Mutex<Vec<(StoreId, Weak<StoreShared>, Spawner)>> = Mutex::new(Vec::new());
static ANY_SPAWNER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Runs the loads and async effects that start in `store` from now on with `spawner` (replacing an
/// earlier one).
#[cfg_attr(not(feature = "leptos"), allow(dead_code))]
pub(crate) fn set_spawner(store: &StoreShared, spawner: Spawner) {
    let mut spawners = SPAWNERS.lock().unwrap_or_else(PoisonError::into_inner);
    spawners.retain(|(id, s, _)| s.strong_count() > 0 && *id != store.id());
    spawners.push((store.id(), store.weak(), spawner));
    ANY_SPAWNER.store(true, std::sync::atomic::Ordering::Release);
}

/// The executor set for the store `id`, if any.
pub(crate) fn spawner(id: StoreId) -> Option<Spawner> {
    if !ANY_SPAWNER.load(std::sync::atomic::Ordering::Acquire) {
        return None;
    }
    let spawners = SPAWNERS.lock().unwrap_or_else(PoisonError::into_inner);
    spawners.iter().find(|(s, store, _)| *s == id && store.strong_count() > 0).map(|(_, _, f)| f.clone())
}
