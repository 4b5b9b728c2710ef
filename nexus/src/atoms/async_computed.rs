//! [`AsyncComputed`]: an atom whose value loads asynchronously. Built from ordinary atoms:
//!
//! - `request`, a computed atom whose read function runs the atom's synchronous part (reading its
//!   dependencies, so a change of one re-runs it) and files the future it returns as this store's
//!   current load, under a new ticket (the previous load, if unfinished, is cancelled: its future is
//!   dropped);
//! - `outcome`, a primitive atom holding the ticket and result of the last load that finished (and the
//!   last value that loaded), written only if its ticket is still the store's current one, so a stale
//!   load can never be stored;
//! - `value`, the computed atom users read: `Ready`/`Failed` when the outcome's ticket is the current
//!   request's, else `Loading` with the last value that loaded.
//!
//! Nothing polls a load unless asked: `store.load(&atom)` and `store.settled()` drive it (one shared task
//! per load, joined by every waiter).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

use crate::atoms::async_decl::{boxed_load, AsyncDecl};
use crate::atoms::async_outcome::Outcome;
use crate::atoms::def::{Body, Def, Init, ReadFn};
use crate::atoms::handle::{Atom, Computed};
use crate::core::info::{Names, StoreId};
use crate::core::loadable::{IntoLoadError, LoadError, Loadable};
use crate::core::owner::{Owner, UsableIn};
use crate::core::value_ops::ValueOps;
use crate::graph::access::{AtomRef, Readable, ValueEq};
use crate::graph::host::StoreToken;
use crate::graph::observe::ChangeOp;
use crate::graph::reader::Reader;
use crate::store::instance::StoreShared;
use crate::store::loads::{self, LoadFuture, LoadTask, Pending};

/// A derived atom whose value loads asynchronously: a synchronous part reads its dependencies and
/// returns a future (`Send + 'static`) that loads the value. Reads see a [`Loadable<T>`]; `store.load`
/// awaits the value; a change of a dependency starts a new load and cancels the one under way.
///
/// ```
/// nexus::store! { pub struct Page; }
/// nexus::atom! { #![store(Page)] pub static USER_ID: u32 = 1; }
///
/// #[derive(Debug)]
/// struct NotFound;
/// impl std::fmt::Display for NotFound {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("not found") }
/// }
/// impl std::error::Error for NotFound {}
///
/// let user = nexus::AsyncComputed::<String, Page>::new(|s| {
///     let id = s.get(&USER_ID);
///     async move { if id > 0 { Ok(format!("user {id}")) } else { Err(NotFound) } }
/// });
/// let page = Page::new();
/// assert!(page.get(&user).is_loading()); // nothing has driven the load yet
/// let loaded = futures::executor::block_on(page.load(&user));
/// assert_eq!(loaded.unwrap(), "user 1");
/// assert_eq!(page.get(&user), nexus::Loadable::Ready("user 1".to_owned()));
/// ```
pub struct AsyncComputed<T: 'static, S: 'static> {
    pub(super) source: Source<T, S>,
}

pub(super) enum Source<T: 'static, S: 'static> {
    /// Declared with `atom!`: its parts are made on first use.
    Static(&'static AsyncDecl<T, S>),
    Runtime(Arc<Inner<T, S>>),
}

pub(crate) type MakeFn<T, S> = Box<dyn Fn(&mut Reader<'_, S>) -> LoadFuture<T> + Send + Sync>;

/// What an async atom's parts are made with: what was detected of `T` and of `Loadable<T>` where it was
/// declared, and a declared atom's name.
struct Parts<'a, T> {
    ops: ValueOps<T>,
    loadable_ops: ValueOps<Loadable<T>>,
    name: Option<&'a str>,
}

impl<T> Clone for Parts<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Parts<'_, T> {}

pub(crate) struct Inner<T: 'static, S: 'static> {
    make: MakeFn<T, S>,
    /// The JSON functions of `T` carry loaded values in snapshots (feature `serde`).
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    ops: ValueOps<T>,
    /// `Loadable<T>`'s `PartialEq`, if `T` has one (a `Watch` skips a state equal to the last it gave).
    pub(super) loadable_eq: Option<ValueEq<Loadable<T>>>,
    /// Stores whose next load is satisfied by an outcome they were given (hydrated, or restored by time
    /// travel) before they filed it: the ticket of that outcome.
    adopted: Mutex<Vec<(StoreToken, u64)>>,
    request: OnceLock<Computed<u64, S>>,
    outcome: Atom<Outcome<T>, S>,
    value: OnceLock<Computed<Loadable<T>, S>>,
    /// What snapshots carry it under: a declared atom's names, or a family member's key (unset: a
    /// run-time atom, which no snapshot carries).
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    snapshot_name: OnceLock<SnapshotName>,
    /// Each store's current load.
    slots: Mutex<Vec<Slot<T>>>,
}

/// How a snapshot names an async atom (see [`Inner::snapshot_name`]).
#[cfg_attr(not(feature = "serde"), allow(dead_code))]
enum SnapshotName {
    /// Declared with `atom!`: its snapshot key is `#[name]` if given, else its path; `#[alias]`es too.
    Declared(Names),
    /// A member of an async family: `FAMILY[key as JSON]`, or the key type's name when serde cannot
    /// write the key; and the family's address (see `DefCore::make_member`).
    Member { key: Result<Arc<str>, &'static str>, family: usize },
}

struct Slot<T> {
    store: StoreToken,
    ticket: u64,
    task: Arc<LoadTask<T>>,
    /// This load is satisfied by the outcome with this ticket (hydrated, or restored by time travel):
    /// its future is not polled unless that outcome is replaced.
    satisfied: Option<u64>,
}

/// Tickets order loads across every store and atom: a later load has a larger ticket.
fn next_ticket() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl<T, S> AsyncComputed<T, S>
where
    T: Clone + Send + Sync + 'static,
    // Every owner reads its own atoms (a store type, or `Global`); said here for the generic code below.
    S: Owner + UsableIn<S>,
{
    /// An async atom made at run time. `load` reads the dependencies through `s` and returns the future
    /// that loads the value; its error, of any type that converts into `Box<dyn Error + Send + Sync>`
    /// ([`IntoLoadError`]), becomes a [`LoadError`].
    pub fn new<F, E>(load: impl Fn(&mut Reader<'_, S>) -> F + Send + Sync + 'static) -> Self
    where
        F: Future<Output = Result<T, E>> + Send + 'static,
        E: IntoLoadError,
    {
        let make: MakeFn<T, S> = Box::new(move |s| boxed_load(load(s)));
        let parts =
            Parts { ops: ValueOps::new(None, None), loadable_ops: ValueOps::new(None, None), name: None };
        AsyncComputed { source: Source::Runtime(Inner::build(make, parts, "")) }
    }

    /// A family member: its parts named `NAME[key]`.
    pub(crate) fn from_parts(
        make: MakeFn<T, S>,
        ops: ValueOps<T>,
        loadable_ops: ValueOps<Loadable<T>>,
        name: &str,
        module: &'static str,
    ) -> Self {
        let parts = Parts { ops, loadable_ops, name: Some(name) };
        AsyncComputed { source: Source::Runtime(Inner::build(make, parts, module)) }
    }

    #[doc(hidden)]
    pub const fn __from_static(decl: &'static AsyncDecl<T, S>) -> Self {
        AsyncComputed { source: Source::Static(decl) }
    }

    pub(super) fn inner(&self) -> &Arc<Inner<T, S>> {
        match &self.source {
            Source::Static(decl) => decl.inner_or_init(),
            Source::Runtime(inner) => inner,
        }
    }
}

impl<T, S> AsyncDecl<T, S>
where
    T: Clone + Send + Sync + 'static,
    S: Owner + UsableIn<S>,
{
    /// The declared atom's parts, made on first use.
    pub(super) fn inner_or_init(&self) -> &Arc<Inner<T, S>> {
        self.inner.get_or_init(|| {
            let parts =
                Parts { ops: (self.ops)(), loadable_ops: (self.loadable_ops)(), name: Some(self.name) };
            let inner = Inner::build(Box::new(self.make), parts, self.module);
            let _ = inner.snapshot_name.set(SnapshotName::Declared(self.names));
            inner
        })
    }
}

impl<T, S> Inner<T, S>
where
    T: Clone + Send + Sync + 'static,
    S: Owner + UsableIn<S>,
{
    /// The parts of an async atom; `name`: a declared atom's or a family member's.
    ///
    /// The value users read is the atom, named `NAME` (a run-time atom's is `async#N`). Tools list it
    /// alone: they leave out the other two parts (see [`Pending::parts`]). The outcome, whose changes
    /// tools log (`LOAD NAME`) and time travel records, goes by the atom's own name and path; the
    /// request is `NAME.request`.
    fn build(make: MakeFn<T, S>, parts: Parts<'_, T>, module: &'static str) -> Arc<Self> {
        // A run-time atom's name is made here rather than by each part, so that its parts share it; it
        // stays unstable (snapshots do not go by it).
        static SERIAL: AtomicU64 = AtomicU64::new(1);
        let Parts { ops, loadable_ops, name } = parts;
        let (name, given) = if let Some(name) = name {
            (name.to_owned(), true)
        } else {
            (format!("async#{}", SERIAL.fetch_add(1, Ordering::Relaxed)), false)
        };
        let outcome = Atom::from_def(Def::runtime(
            Some(name.clone()),
            given,
            module,
            Outcome::ops(),
            Body::Primitive(Init::Value(Outcome::none(ops.debug))),
        ));
        let inner = Arc::new(Inner {
            make,
            ops,
            loadable_eq: loadable_ops.eq,
            adopted: Mutex::new(Vec::new()),
            request: OnceLock::new(),
            outcome,
            value: OnceLock::new(),
            snapshot_name: OnceLock::new(),
            slots: Mutex::new(Vec::new()),
        });
        let weak = Arc::downgrade(&inner);
        let request = Computed::from_def(Def::runtime(
            Some(format!("{name}.request")),
            given,
            module,
            ValueOps::new(Some(u64::eq), Some(<u64 as std::fmt::Debug>::fmt)),
            Body::Computed(ReadFn::Boxed(Box::new(move |s| {
                let inner = weak.upgrade().expect("an async atom lives while its atoms are read");
                let future = (inner.make)(s);
                Inner::file(&inner, s.store_token(), future)
            }))),
        ));
        let _ = inner.request.set(request);
        let weak = Arc::downgrade(&inner);
        let value = Computed::from_def(Def::runtime(
            Some(name),
            given,
            module,
            // No equality: each state change is a change (a `Ready` value equal to the last still ends a load).
            ValueOps { eq: None, ..loadable_ops },
            Body::Computed(ReadFn::Boxed(Box::new(move |s| {
                let inner = weak.upgrade().expect("an async atom lives while its atoms are read");
                let ticket = s.get(inner.request());
                let current = inner.effective(s.store_token().id, ticket);
                s.with(&inner.outcome, |o| o.loadable(current))
            }))),
        ));
        let _ = inner.value.set(value);
        loads::register(Arc::downgrade(&inner) as Weak<dyn Pending>);
        inner
    }
}

/// A hydrated outcome holding `value` (what hydration sets an async atom's outcome part to): a ticket
/// of its own, so that a second hydration is a change, and the atom's load adopts it.
#[cfg(feature = "serde")]
pub(crate) fn hydrated_outcome<T: Clone + Send + Sync + 'static>(
    value: T,
    ops: ValueOps<T>,
) -> crate::core::value_slot::Value {
    let outcome = Outcome {
        ticket: next_ticket(),
        result: Some(Ok(value.clone())),
        last_ready: Some(value),
        show: ops.debug,
    };
    Arc::new(outcome)
}

impl<T: Clone + Send + Sync + 'static, S: Owner + UsableIn<S>> Inner<T, S> {
    /// Makes this (just made) atom a member of the async family at address `family`, carried in
    /// snapshots under `key` (`Err`: the key type's name, which serde cannot write).
    #[cfg(feature = "serde")]
    pub(super) fn make_member(&self, key: Result<String, &'static str>, family: usize) {
        let _ = self.snapshot_name.set(SnapshotName::Member { key: key.map(Arc::from), family });
    }

    fn request(&self) -> &Computed<u64, S> {
        self.request.get().expect("set when the atom was made")
    }

    pub(super) fn value(&self) -> &Computed<Loadable<T>, S> {
        self.value.get().expect("set when the atom was made")
    }

    /// Makes `future` the store's current load (cancelling the one it replaces); its ticket. With the
    /// `tokio` feature, a load filed on a tokio runtime's thread is spawned there at once.
    fn file(this: &Arc<Self>, store: StoreToken, future: LoadFuture<T>) -> u64 {
        let ticket = next_ticket();
        let task = Arc::new(LoadTask::new(future));
        let mut slots = this.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.retain(|slot| slot.store.store.strong_count() > 0);
        let existing = slots.iter().position(|slot| slot.store.id == store.id);
        // A store given an outcome for this load (hydrated before its first load, or restored by time
        // travel): that outcome is the load's (its future stays unpolled, so nothing is fetched).
        let satisfied = this.take_adopted(store.id);
        if satisfied.is_none() {
            Self::spawn(this, &store, ticket, &task);
        }
        let slot = Slot { store, ticket, task, satisfied };
        let replaced = if let Some(i) = existing {
            Some(std::mem::replace(&mut slots[i], slot))
        } else {
            slots.push(slot);
            None
        };
        drop(slots);
        if let Some(old) = replaced {
            old.task.cancel();
        }
        ticket
    }

    /// Drives the load on the executor set for the store (the Leptos binding sets one), or else on the
    /// current tokio runtime, if there is one (feature `tokio`), and stores its outcome. Holds the atom and
    /// the store weakly: a load whose store is gone is dropped unfinished. With neither, the load waits
    /// for a caller of `load` or `settled` to drive it.
    fn spawn(this: &Arc<Self>, store: &StoreToken, ticket: u64, task: &Arc<LoadTask<T>>) {
        let spawner = crate::store::loads::spawner(store.id);
        #[cfg(feature = "tokio")]
        let runtime = tokio::runtime::Handle::try_current().ok();
        #[cfg(not(feature = "tokio"))]
        let runtime: Option<std::convert::Infallible> = None;
        if spawner.is_none() && runtime.is_none() {
            return;
        }
        let (inner, store, task) = (Arc::downgrade(this), store.store.clone(), task.clone());
        let drive = async move {
            let Some(result) = std::future::poll_fn(|cx| task.poll_outcome(cx)).await else { return };
            let store = store.upgrade().and_then(|s| s.downcast::<StoreShared>().ok());
            if let (Some(inner), Some(store)) = (inner.upgrade(), store) {
                inner.store_outcome(&store, ticket, &result);
            }
        };
        match (spawner, runtime) {
            (Some(spawn), _) => spawn(Box::pin(drive)),
            #[cfg(feature = "tokio")]
            (None, Some(runtime)) => drop(runtime.spawn(drive)),
            _ => {}
        }
    }

    /// The ticket of the outcome `store` was given for its next load, taken.
    fn take_adopted(&self, store: StoreId) -> Option<u64> {
        let mut adopted = self.adopted.lock().unwrap_or_else(PoisonError::into_inner);
        adopted.retain(|(h, _)| h.store.strong_count() > 0);
        let found = adopted.iter().position(|(h, _)| h.id == store);
        found.map(|i| adopted.swap_remove(i).1)
    }

    /// `store`'s next load is satisfied by the outcome with `ticket` (replacing an earlier one not used).
    fn adopt(&self, store: &StoreShared, ticket: u64) {
        let token = StoreToken { id: store.id(), store: store.weak() };
        let mut adopted = self.adopted.lock().unwrap_or_else(PoisonError::into_inner);
        adopted.retain(|(h, _)| h.id != store.id() && h.store.strong_count() > 0);
        adopted.push((token, ticket));
    }

    /// The ticket an outcome must carry to be the store's current one: during a restore or hydration,
    /// the outcome being set; else that of the outcome the load is satisfied by (hydrated or restored
    /// earlier), if any; else the load's own.
    fn effective(&self, store: StoreId, ticket: u64) -> u64 {
        let adopted = self.adopted.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&(_, t)) = adopted.iter().find(|(h, _)| h.id == store) {
            return t;
        }
        drop(adopted);
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = slots.iter().find(|s| s.store.id == store && s.ticket == ticket);
        slot.and_then(|s| s.satisfied).unwrap_or(ticket)
    }

    /// The store's current load, if its ticket is `ticket`.
    fn task(&self, store: StoreId, ticket: u64) -> Option<Arc<LoadTask<T>>> {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.iter().find(|s| s.store.id == store && s.ticket == ticket).map(|s| s.task.clone())
    }

    /// The ticket of the store's current load, if it has one.
    fn current_ticket(&self, store: StoreId) -> Option<u64> {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.iter().find(|s| s.store.id == store).map(|s| s.ticket)
    }

    /// Loads the value in `store`: drives or joins the current load, again if a newer one replaces it.
    pub(super) async fn load(self: Arc<Self>, store: Arc<StoreShared>) -> Result<T, LoadError> {
        // Read as users read it: the atom is registered here (tools list it), not only its parts.
        let _: Loadable<T> = store.get(self.value().__atom());
        loop {
            let ticket: u64 = store.get(self.request().__atom());
            let outcome: Outcome<T> = store.get(self.outcome.__atom());
            if outcome.ticket == self.effective(store.id(), ticket) {
                if let Some(result) = outcome.result {
                    return result;
                }
            }
            let Some(task) = self.task(store.id(), ticket) else { continue };
            let Some(result) = std::future::poll_fn(|cx| task.poll_outcome(cx)).await else { continue };
            self.store_outcome(&store, ticket, &result);
            return result;
        }
    }

    /// Stores a finished load's result, unless a newer load replaced it meanwhile (checked under the
    /// store's lock, which filing a new load also holds) or the outcome that satisfies the load (hydrated
    /// or restored) is still in place.
    fn store_outcome(&self, store: &StoreShared, ticket: u64, result: &Result<T, LoadError>) {
        store.update_as(self.outcome.__atom(), ChangeOp::Load, |o: &mut Outcome<T>| {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            let Some(slot) = slots.iter_mut().find(|s| s.store.id == store.id() && s.ticket == ticket) else {
                return;
            };
            if o.ticket != ticket && slot.satisfied != Some(o.ticket) {
                slot.satisfied = None;
                o.ticket = ticket;
                if let Ok(v) = result {
                    o.last_ready = Some(v.clone());
                }
                o.result = Some(result.clone());
            }
        });
    }
}

impl<T: Clone + Send + Sync + 'static, S: Owner + UsableIn<S>> Pending for Inner<T, S> {
    fn drive(self: Arc<Self>, store: &Arc<StoreShared>) -> Option<Pin<Box<dyn Future<Output = ()> + Send>>> {
        let ticket = self.current_ticket(store.id())?;
        let outcome: Outcome<T> = store.get(self.outcome.__atom());
        if outcome.ticket == self.effective(store.id(), ticket) {
            return None;
        }
        let store = store.clone();
        Some(Box::pin(async move {
            // Its result is the store's to show; `settled` only waits for it.
            let _ = self.load(store).await;
        }))
    }

    #[cfg(feature = "serde")]
    fn declared(&self) -> Option<(Arc<str>, std::any::TypeId)> {
        let Some(SnapshotName::Declared(_)) = self.snapshot_name.get() else { return None };
        Some((self.snapshot_key().ok()??, std::any::TypeId::of::<S>()))
    }

    #[cfg(feature = "serde")]
    fn snapshot_key(&self) -> Result<Option<Arc<str>>, &'static str> {
        match self.snapshot_name.get() {
            // `#[name]` is the key, wherever the atom is declared (as for primitive atoms).
            Some(SnapshotName::Declared(names)) if names.given => Ok(Some(Arc::from(names.name))),
            Some(SnapshotName::Declared(_)) => Ok(Some(self.value().__atom().handle.def().core().path())),
            Some(SnapshotName::Member { key, .. }) => key.clone().map(Some),
            None => Ok(None),
        }
    }

    #[cfg(feature = "serde")]
    fn owner(&self) -> std::any::TypeId {
        std::any::TypeId::of::<S>()
    }

    #[cfg(feature = "serde")]
    fn family(&self) -> Option<usize> {
        match self.snapshot_name.get() {
            Some(SnapshotName::Member { family, .. }) => Some(*family),
            _ => None,
        }
    }

    #[cfg(feature = "serde")]
    fn aliases(&self) -> &'static [&'static str] {
        match self.snapshot_name.get() {
            Some(SnapshotName::Declared(names)) => names.aliases,
            _ => &[],
        }
    }

    #[cfg(feature = "serde")]
    fn held_path(&self, store: &StoreShared) -> Option<Arc<str>> {
        let value = self.value().__atom();
        store.holds(value).then(|| value.handle.def().core().path())
    }

    #[cfg(feature = "serde")]
    fn value_type(&self) -> &'static str {
        std::any::type_name::<T>()
    }

    #[cfg(feature = "serde")]
    fn encode(&self, store: &StoreShared) -> Option<serde_json::Value> {
        let to_json = self.ops.to_json?;
        let value = self.value().__atom();
        if !store.holds(value) {
            return None;
        }
        match store.get::<Loadable<T>>(value) {
            Loadable::Ready(v) => to_json(&v).ok(),
            _ => None,
        }
    }

    #[cfg(feature = "serde")]
    fn unserializable(&self, store: &StoreShared) -> Option<&'static str> {
        let held = store.holds(self.value().__atom());
        (held && self.ops.to_json.is_none()).then(std::any::type_name::<T>)
    }

    #[cfg(feature = "serde")]
    fn decode(&self, json: serde_json::Value) -> Option<Result<crate::core::value_slot::Value, String>> {
        let from_json = self.ops.from_json?;
        Some(from_json(json).map(|v| hydrated_outcome(v, self.ops)))
    }

    fn outcome(&self) -> AtomRef<'_> {
        self.outcome.__atom()
    }

    fn parts(&self) -> [AtomRef<'_>; 2] {
        [self.outcome.__atom(), self.request().__atom()]
    }

    fn begin_adopt(&self, store: &StoreShared, outcome: &crate::core::value_slot::Value) -> bool {
        let Some(outcome) = outcome.downcast_ref::<Outcome<T>>() else { return false };
        if outcome.result.is_none() {
            // A moment before any load finished: the load runs again.
            return false;
        }
        self.adopt(store, outcome.ticket);
        true
    }

    fn finish_adopt(&self, store: &StoreShared) {
        // Brings the request up to date now: if the restored dependencies ask for a new load, filing it
        // takes the outcome. (A panic of the atom's function is the next reader's to see.)
        let request = self.request().__atom();
        if store.holds(request) {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| store.get::<u64>(request)));
        }
        // Not taken by a new load: the dependencies are unchanged, the current load takes the outcome.
        let Some(ticket) = self.take_adopted(store.id()) else { return };
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = slots.iter_mut().find(|s| s.store.id == store.id()) {
            slot.satisfied = Some(ticket);
        } else {
            drop(slots);
            self.adopt(store, ticket);
        }
    }
}
