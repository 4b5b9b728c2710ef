//! The [`Store`] trait, implemented by every type made with [`store!`](crate::store!), and the
//! `impl_store!` wiring that generated code expands to.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::core::info::{AtomInfo, AtomKey, Mode, StoreId};
use crate::core::loadable::LoadError;
use crate::core::owner::{Global, Owner, UsableIn};
use crate::graph::access::Readable;
use crate::store::access::{Primitive, Runnable, Settable, Updatable};
use crate::store::instance::StoreShared;
use crate::store::loads::{AsyncAtom, LoadIn};
use crate::store::subscription::{erase, Subscription};
use crate::store::watch::Watch;

/// The instance data a generated store type wraps.
#[doc(hidden)]
#[derive(Clone)]
pub struct StoreCell(pub(crate) Arc<StoreShared>);

impl StoreCell {
    /// A fresh, empty instance: one allocation, whatever the number of atoms declared.
    pub fn new(name: &'static str, mode: Mode) -> Self {
        StoreCell(StoreShared::new(name, mode))
    }
}

impl fmt::Debug for StoreCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A store type made by [`store!`](crate::store!): lets code be generic over stores.
///
/// Every store type also has all of these as inherent methods, so calling them needs no import.
///
/// ```
/// nexus::store! { pub struct Session; }
/// nexus::atom! { #![store(Session)] pub static CLICKS: i32 = 0; }
///
/// fn bump<S: nexus::Store>(store: &S, atom: &nexus::Atom<i32, S>) {
///     store.update(atom, |n| *n += 1);
/// }
///
/// let session = Session::new();
/// bump(&session, &CLICKS);
/// assert_eq!(session.get(&CLICKS), 1);
/// ```
///
/// A store handle is a cheap `Clone`: clones are the same instance. Dropping the last handle frees the
/// instance's values, registry and subscriptions.
pub trait Store: Owner + Clone + Default + fmt::Debug {
    /// Isolated or global, as declared with `#[mode(..)]`.
    const MODE: Mode;

    #[doc(hidden)]
    fn __cell(&self) -> &StoreCell;

    #[doc(hidden)]
    fn __from_cell(cell: StoreCell) -> Self;

    /// A fresh, empty instance (O(1): nothing is allocated per declared atom).
    #[must_use]
    fn new() -> Self {
        Self::__from_cell(StoreCell::new(Self::__NAME, Self::MODE))
    }

    /// The current value of `atom` in this instance. A derived atom is computed on demand and cached.
    /// The first use of an atom registers it here (running a primitive's initialiser).
    #[inline]
    fn get<A>(&self, atom: &A) -> A::Value
    where
        A: Readable,
        A::Owner: UsableIn<Self>,
    {
        let store = &self.__cell().0;
        match atom.__atom_known() {
            Some(r) => store.get(r),
            None => store.get_unknown(atom),
        }
    }

    /// Calls `f` with a borrow of `atom`'s current value, without cloning it. `f` runs after the store's
    /// lock is released, so it may use the store.
    fn with<A, R>(&self, atom: &A, f: impl FnOnce(&A::Value) -> R) -> R
    where
        A: Readable,
        A::Owner: UsableIn<Self>,
    {
        let value = self.__cell().0.value(atom.__atom());
        f(crate::core::value_slot::downcast::<A::Value>(&value))
    }

    /// Sets a primitive atom, or runs a writable atom's write function with `value`. A value equal to the
    /// current one (for types with `PartialEq`) is not a change: nobody is notified.
    #[track_caller]
    fn set<A>(&self, atom: &A, value: A::Arg)
    where
        A: Settable,
        A::Owner: UsableIn<Self>,
    {
        let store = &self.__cell().0;
        store.with_origin(std::panic::Location::caller(), || atom.__set(store, value));
    }

    /// Modifies a primitive atom in place. Read, modify and write happen under one lock, so concurrent
    /// `update`s never lose one another. `f` must not use this store (it runs while the store is locked).
    /// A field atom is updated the same way, its field of the parent's value under the parent's lock; any
    /// other writable atom whose write argument is its value is read, modified and written through its
    /// write function (see [`Updatable`]).
    #[track_caller]
    fn update<A>(&self, atom: &A, f: impl FnOnce(&mut A::Value))
    where
        A: Updatable,
        A::Owner: UsableIn<Self>,
    {
        let store = &self.__cell().0;
        let mut f = Some(f);
        store.with_origin(std::panic::Location::caller(), || {
            atom.__update(store, &mut |v| (f.take().expect("called once"))(v));
        });
    }

    /// Puts a primitive atom back to its initial value (its initialiser runs again).
    #[track_caller]
    fn reset<A>(&self, atom: &A)
    where
        A: Primitive,
        A::Owner: UsableIn<Self>,
    {
        let store = &self.__cell().0;
        store.with_origin(std::panic::Location::caller(), || store.reset(atom.__atom()));
    }

    /// Runs `action` with `arg` in this instance and returns what it returns. Its writes (through its `s`,
    /// which reads and writes like a writable atom's write function and may run other actions) are one
    /// batch: subscribers are notified once, at the end of the outermost batch, with the final values.
    /// Tools show the run as one entry named after the action, its changes under it.
    ///
    /// If the action panics, the writes it made before the panic stay (an action is a batch, not a
    /// transaction), subscribers are notified of them, the panic reaches the caller, and the store stays
    /// usable. An action holds no value: no store registers it, so [`atoms`](Store::atoms) and
    /// [`find`](Store::find) do not list it.
    #[track_caller]
    fn run<X>(&self, action: &X, arg: X::Arg) -> X::Output
    where
        X: Runnable,
        X::Owner: UsableIn<Self>,
    {
        let store = &self.__cell().0;
        store.with_origin(std::panic::Location::caller(), || action.__run(store, arg))
    }

    /// Calls `f` after each change of `atom` in this instance, with the new value. For a `Global` atom of
    /// a global-mode store: after a change made through any global-mode store. Subscribing to a derived
    /// atom evaluates it. Dropping the returned [`Subscription`] unsubscribes.
    ///
    /// Subscribers run after the store's lock is released, on the thread that made the change, in
    /// subscription order; they may read and write the store. If one panics the others still run, and the
    /// first panic is raised again from the call that made the change once all of them have run.
    fn subscribe<A>(&self, atom: &A, f: impl Fn(&A::Value) + Send + Sync + 'static) -> Subscription
    where
        A: Readable,
        A::Owner: UsableIn<Self>,
    {
        self.__cell().0.subscribe(atom.__atom(), erase::<A::Value>(f), true)
    }

    /// The values of `atom` in this instance as an asynchronous stream: first its current value, then
    /// the latest one after each change (a slow consumer skips values in between, never the latest), never
    /// a value equal to the one it handed out last (for types with `PartialEq`). Ends when this store or
    /// the watched run-time atom is gone; dropping the [`Watch`] unsubscribes. Watching a derived atom
    /// evaluates it.
    fn watch<A>(&self, atom: &A) -> Watch<A::Value>
    where
        A: Readable,
        A::Owner: UsableIn<Self>,
    {
        Watch::new(&self.__cell().0, atom.__atom(), atom.__value_eq())
    }

    /// Loads an async atom's value in this instance: drives its current load, or joins it if another
    /// caller is driving it (one load per change, shared by every waiter). If a dependency changes
    /// meanwhile, the stale load is cancelled and this waits for the new one. Needs no runtime.
    fn load<A>(&self, atom: &A) -> Pin<Box<dyn Future<Output = Result<A::Output, LoadError>> + Send>>
    where
        A: AsyncAtom,
        A::Owner: UsableIn<Self>,
    {
        atom.__load(self.__cell().0.clone())
    }

    /// Starts the loads of `atoms` in this instance and resolves once none of them is loading: each is
    /// `Ready` or `Failed` (a load that another one's result restarted is awaited too). The loads are
    /// filed when `load_all` is called (with the feature `tokio`, on a runtime's thread, spawned then)
    /// and driven concurrently by whoever awaits the result. Only async atoms of this store or `Global`
    /// ones are accepted: another store's is a compile error.
    ///
    /// ```
    /// nexus::store! { pub struct Page; }
    /// nexus::atom! {
    ///     #![store(Page)]
    ///     pub static USER: String = async_computed(|_s| async { Ok::<_, String>("ada".to_owned()) });
    ///     pub static POSTS: u32 = async_computed(|_s| async { Ok::<_, String>(3) });
    /// }
    ///
    /// let page = Page::new();
    /// futures::executor::block_on(page.load_all(&[&USER, &POSTS]));
    /// assert_eq!(page.get(&USER).ready().map(String::as_str), Some("ada"));
    /// assert_eq!(page.get(&POSTS).ready(), Some(&3));
    /// ```
    fn load_all(&self, atoms: &[&dyn LoadIn<Self>]) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        let store = &self.__cell().0;
        Box::pin(crate::store::loads::load_all(atoms.iter().map(|atom| atom.__load_step(store)).collect()))
    }

    /// Resolves once no async atom of this instance is loading: drives every load under way here,
    /// concurrently, until none is left (a load's result may start another, through a derived atom).
    ///
    /// A load starts when its atom is first read here (or loaded): before that, the atom is not loading,
    /// so `settled` on an instance that has read nothing resolves at once, with nothing loaded. Read
    /// first, then settle — as rendering does on a server: render once (the reads start the loads),
    /// `settled().await`, render again, then `snapshot()`. To load named atoms without reading them, use
    /// [`load_all`](Store::load_all).
    ///
    /// ```
    /// nexus::store! { pub struct Page; }
    /// nexus::atom! {
    ///     #![store(Page)]
    ///     pub static USER: String = async_computed(|_s| async { Ok::<_, String>("ada".to_owned()) });
    /// }
    ///
    /// let page = Page::new();
    /// futures::executor::block_on(page.settled()); // nothing was read: nothing to wait for
    /// assert!(page.get(&USER).is_loading()); // this read starts the load
    /// futures::executor::block_on(page.settled());
    /// assert_eq!(page.get(&USER).ready().map(String::as_str), Some("ada"));
    /// ```
    fn settled(&self) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(crate::store::loads::settled(self.__cell().0.clone()))
    }

    /// Runs `f` now and again after every change round that changed an atom it read (through its `s`)
    /// in its last run, until the returned [`Effect`](crate::Effect) is dropped.
    ///
    /// - **Tracking**: reads through `s.get`/`s.with` are recorded anew on every run (a branch not taken
    ///   is no longer a dependency); `s.peek` reads without tracking. As in read functions, only this
    ///   store's atoms and `Global` ones can be read: another store's is a compile error.
    /// - **When**: after the round's lock is released, on the thread that made the change, once the
    ///   derived atoms it reads are up to date, **at most once per round** however many of its atoms
    ///   changed; the effects of a round run in creation order, **before** the round's subscribers. A
    ///   batch ([`batch`](Store::batch), an action) runs them once, at the end of the outermost batch
    ///   (per store and thread). Time travel and hydration are rounds too: an effect whose atom they
    ///   changed runs.
    /// - **Writes**: `s.set`/`s.update` inside a run are one batch, notified when the run ends. A write to
    ///   an atom the effect reads does not run it again (what it read is recorded after the run); effects
    ///   that keep changing each other's atoms are stopped after 100 runs of one of them in one cascade,
    ///   with a panic naming the atoms they read (the store stays usable).
    /// - **Threads**: never runs concurrently with itself: a change from another thread while it runs
    ///   makes the running thread run it once more when the run ends (so the last run sees the final
    ///   values).
    /// - **Cleanup**: `s.on_cleanup(f)` registers `f` to run before the next run and when the effect
    ///   stops (its handle dropped, or the store), outside the lock, untracked.
    /// - **Panics**: a panic in a later run reaches the caller of the change that ran it, after the
    ///   round's subscribers ran; the effect stays. A panic in the first run reaches this call, and the
    ///   effect is stopped.
    ///
    /// Made inside another effect's run, its first run comes right after that run instead of at once.
    ///
    /// ```
    /// nexus::store! { pub struct Editor; }
    /// nexus::atom! {
    ///     #![store(Editor)]
    ///     pub static DRAFT: String = String::new();
    ///     pub static SAVED: Vec<String> = Vec::new();
    /// }
    ///
    /// let editor = Editor::new();
    /// let autosave = editor.effect(|s| {
    ///     let draft = s.get(&DRAFT); // tracked
    ///     if !draft.is_empty() {
    ///         s.update(&SAVED, |saved| saved.push(draft)); // not tracked: it does not run again
    ///     }
    /// });
    /// editor.set(&DRAFT, "hello".to_owned());
    /// editor.set(&DRAFT, "hello, world".to_owned());
    /// assert_eq!(editor.get(&SAVED), ["hello", "hello, world"]);
    /// assert_eq!(autosave.runs(), 3);
    /// drop(autosave); // stopped
    /// editor.set(&DRAFT, "bye".to_owned());
    /// assert_eq!(editor.get(&SAVED).len(), 2);
    /// ```
    fn effect(&self, f: impl FnMut(&mut crate::EffectCtx<'_, Self>) + Send + 'static) -> crate::Effect {
        self.__cell().0.effect::<Self>(crate::store::effect::Func::Sync(Box::new(f)))
    }

    /// An effect whose work awaits: `f` runs as in [`effect`](Store::effect) (its reads through `s`,
    /// before the future, are what it tracks) and returns a future, which then runs. A new run drops
    /// (cancels) the previous run's future if it has not finished, as does stopping the effect. The future
    /// runs as async atoms' loads do: with the feature `tokio`, spawned on the current runtime when there
    /// is one; and in any case driven by [`settled`](Store::settled) until it ends.
    fn effect_async<F>(
        &self,
        mut f: impl FnMut(&mut crate::EffectCtx<'_, Self>) -> F + Send + 'static,
    ) -> crate::Effect
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.__cell().0.effect::<Self>(crate::store::effect::Func::Async(Box::new(move |s| Box::pin(f(s)))))
    }

    /// Whether `atom` is mounted in this instance: it has a subscriber (a [`Watch`] counts), an effect
    /// read it in its last run, or a mounted derived atom reads it (Jotai's definition). An atom with
    /// `#[on_mount]` starts when this turns `true` and stops when it turns `false`.
    fn is_mounted<A>(&self, atom: &A) -> bool
    where
        A: Readable,
        A::Owner: UsableIn<Self>,
    {
        self.__cell().0.is_mounted(atom.__atom())
    }

    /// How many subscribers `atom` has in this instance: its [`Subscription`]s and [`Watch`]es (not the
    /// effects or derived atoms that read it; see [`is_mounted`](Store::is_mounted) for those). An
    /// inspection call, for tests and tools: a UI binding's test checks with it that an unmounted
    /// component left nothing behind. 0 for an atom this instance never registered.
    ///
    /// ```
    /// nexus::store! { pub struct Page; }
    /// nexus::atom! { #![store(Page)] pub static TITLE: String = String::new(); }
    ///
    /// let page = Page::new();
    /// let sub = page.subscribe(&TITLE, |_| {});
    /// assert_eq!(page.subscriber_count(&TITLE), 1);
    /// drop(sub);
    /// assert_eq!(page.subscriber_count(&TITLE), 0);
    /// ```
    fn subscriber_count<A>(&self, atom: &A) -> usize
    where
        A: Readable,
        A::Owner: UsableIn<Self>,
    {
        self.__cell().0.subscriber_count(atom.__atom())
    }

    /// This instance's reactive graph now: the atoms [`atoms`](Store::atoms) lists (those it registered,
    /// by a get, set or subscribe), with their values rendered (derived ones brought up to date first), and
    /// an edge from each derived atom to each atom it read. Data to compare or serialize, and drawn as DOT,
    /// Mermaid or one HTML page: see [`Graph`](crate::Graph).
    ///
    /// ```
    /// nexus::store! { pub struct Page; }
    /// nexus::atom! {
    ///     #![store(Page)]
    ///     pub static TITLE: String = String::from("Home");
    ///     pub static HEADING: String = computed(|s| s.get(&TITLE).to_uppercase());
    /// }
    ///
    /// let page = Page::new();
    /// assert_eq!(page.get(&HEADING), "HOME");
    /// let graph = page.graph();
    /// let heading = graph.index_of("HEADING").unwrap();
    /// assert_eq!(graph.nodes()[heading].value(), "\"HOME\"");
    /// assert_eq!(graph.sources(heading).collect::<Vec<_>>(), [graph.index_of("TITLE").unwrap()]);
    /// ```
    fn graph(&self) -> crate::Graph {
        self.__cell().0.graph_export().into()
    }

    /// Runs `f`, labelling the changes it makes on this thread: tools show the label with each change's
    /// [`Origin`](crate::Origin) (the file and line of the call that made it), so that ten buttons doing
    /// the same update can be told apart. Labels nest: the innermost one applies.
    ///
    /// ```
    /// nexus::store! { pub struct Board; }
    /// nexus::atom! { #![store(Board)] pub static X: i32 = 0; }
    ///
    /// let board = Board::new();
    /// let tools = nexus::DevTools::attach(&board);
    /// board.labeled("drag handle", || board.set(&X, 40));
    /// let origin = tools.log()[0].origin().cloned().expect("recorded while DevTools watch");
    /// assert_eq!(origin.label(), Some("drag handle"));
    /// assert_eq!(origin.line(), line!() - 3);
    /// ```
    fn labeled<R>(&self, label: impl Into<Arc<str>>, f: impl FnOnce() -> R) -> R {
        crate::core::origin::labeled(label.into(), f)
    }

    /// Runs `f`; the changes it makes (on this thread, to this store) notify once, at the end of the
    /// outermost batch. Reads inside the batch see every change at once.
    #[track_caller]
    fn batch<R>(&self, f: impl FnOnce() -> R) -> R {
        let store = &self.__cell().0;
        store.with_origin(std::panic::Location::caller(), || store.batch(f))
    }

    /// This instance's id: unique, never reused in the process.
    fn id(&self) -> StoreId {
        self.__cell().0.id()
    }

    /// The store type's name, as declared.
    fn name(&self) -> &'static str {
        Self::__NAME
    }

    /// Isolated or global.
    fn mode(&self) -> Mode {
        Self::MODE
    }

    /// The key of `atom` in this instance, unique per (instance, atom): displays like
    /// `Session#3/app::CLICKS`.
    fn key<A>(&self, atom: &A) -> AtomKey
    where
        A: Readable,
        A::Owner: UsableIn<Self>,
    {
        self.__cell().0.key(atom.__atom())
    }

    /// This instance's registry: the atoms it holds, in registration order. (`Global` atoms of a
    /// global-mode store live in [`crate::store::global::atoms`] instead.) An async atom is one entry,
    /// the `Loadable` users read, under its own name and path.
    fn atoms(&self) -> Vec<AtomInfo> {
        self.__cell().0.atoms()
    }

    /// The primitive atoms this instance holds, by snapshot key (feature `serde`): declared atoms (key:
    /// their `#[name]`, else `module::IDENT`), members of declared families, `family(..)` and
    /// `family_async(..)` (`FAMILY[key as JSON]`), and run-time atoms made with
    /// [`Atom::named_serde`](crate::Atom::named_serde) (key: the name). Async atoms are carried by their
    /// loaded (`Ready`) value. Derived atoms, run-time atoms without a name and, in a global-mode store,
    /// the shared `Global` atoms are not carried; any other atom that cannot be (its type is not
    /// `Serialize`, its serialisation failed, its family's key is not `Serialize`, another atom answers
    /// to its key on hydration) is listed in [`Snapshot::omitted`](crate::Snapshot::omitted) with the
    /// reason, and an attached [`DevTools`](crate::DevTools) warns once per atom. See
    /// [`Snapshot`](crate::Snapshot) for the keys.
    #[cfg(feature = "serde")]
    fn snapshot(&self) -> crate::Snapshot {
        self.__cell().0.snapshot::<Self>()
    }

    /// Sets every atom of `snapshot` in this instance, including atoms it has not touched yet, as one
    /// change round (effects run and subscribers are notified as for `set`); members of declared families are made,
    /// also in a process that never used the family, and old keys listed with `#[alias = "…"]` are
    /// accepted. Validates first: if any key names no primitive atom of this store type (or `Global`),
    /// two keys name one atom, or any value or family key does not decode, returns an error naming every
    /// problem (a decode error says where inside the value: `[0].id: …`) and changes nothing (feature
    /// `serde`).
    #[cfg(feature = "serde")]
    #[track_caller]
    fn hydrate(&self, snapshot: &crate::Snapshot) -> Result<(), crate::HydrateError> {
        let store = &self.__cell().0;
        store.with_origin(std::panic::Location::caller(), || store.hydrate::<Self>(snapshot))
    }

    /// Attaches `plugin` to this instance (and to no other); see [`Plugin`](crate::Plugin).
    fn add_plugin(&self, plugin: std::sync::Arc<dyn crate::Plugin>) -> crate::PluginId {
        self.__cell().0.add_plugin(plugin)
    }

    /// Detaches a plugin; whether it was attached to this instance.
    fn remove_plugin(&self, id: crate::PluginId) -> bool {
        self.__cell().0.remove_plugin(id)
    }

    /// The atom registered in this instance under `name` (registry name or full path), if any.
    fn find(&self, name: &str) -> Option<AtomInfo> {
        self.atoms().into_iter().find(|i| i.name() == name || i.path() == name)
    }
}

// Which owners' atoms a store may use (see `UsableIn`): its own, and `Global` ones.
#[diagnostic::do_not_recommend]
impl<S: Store> UsableIn<S> for S {}

#[diagnostic::do_not_recommend]
impl<S: Store> UsableIn<S> for Global {}

#[diagnostic::do_not_recommend]
impl UsableIn<Global> for Global {}
