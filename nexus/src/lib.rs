//! Atom-based application state whose store isolation is checked by the compiler.
//!
//! [`store!`] declares store types; [`atom!`] declares atoms that belong to one store type, or to
//! [`Global`]. An atom of one store cannot even be named in a call on another store: that is a compile
//! error naming both stores.
//!
//! ```
//! nexus::store! {
//!     /// One user's session.
//!     pub struct Session;
//! }
//!
//! nexus::atom! {
//!     #![store(Session)]
//!     /// Clicks so far.
//!     pub static CLICKS: u32 = 0;
//!     /// Twice the clicks, computed on demand and cached.
//!     pub static DOUBLE: u32 = computed(|s| s.get(&CLICKS) * 2);
//! }
//!
//! let alice = Session::new();
//! let bob = Session::new();
//! alice.set(&CLICKS, 5);
//! assert_eq!(alice.get(&DOUBLE), 10);
//! assert_eq!(bob.get(&CLICKS), 0); // every instance holds its own values
//! ```
//!
//! # Stores
//! A store type (made by [`store!`]) is a cheap handle to one instance; `Session::new()` makes a fresh,
//! empty instance in O(1). Each instance holds its own value of every atom it touches, its own atoms and
//! [`Global`] ones alike; the first `get`, `set` or `subscribe` of an atom registers it there, and
//! dropping the last handle frees everything. A store declared `#[mode(global)]` resolves [`Global`]
//! primitive atoms to one process-wide registry shared by every global-mode store ([`global`]).
//!
//! # Atoms
//! [`atom!`] declares `static`s: primitive atoms ([`Atom`]) hold a value; `computed(|s| …)` makes a
//! read-only derived atom ([`Computed`]); `writable(read, write)` a derived atom with a write function
//! ([`Writable`]). Initialisers run lazily, once per store instance. Atoms can also be made at run time
//! ([`Atom::new`], [`Computed::new`], [`Writable::new`]) with the same compile-time scoping.
//!
//! # Actions
//! `action(|s, arg| …)` in [`atom!`] declares an [`Action`] (Jotai's write-only atom): a function with
//! no value of its own that writes atoms through `s` and returns a result. `store.run(&ACTION, arg)` runs
//! it as one batch ([`Store::run`]); tools show each run as one entry named after the action, its changes
//! under it. [`Action::new`] makes one at run time.
//!
//! # Derived atoms
//! Computed on first read, cached, recomputed only when something they read changed, and glitch-free:
//! after one `set`, each affected derived atom is evaluated at most once and no subscriber sees a mix of
//! old and new inputs. A value equal to the previous one (for types with `PartialEq`) is not a change.
//!
//! Graphs may be of any depth: evaluation, change propagation, notification and dropping run-time atoms
//! use explicit stacks on the heap, so a chain of a million derived atoms works on a thread with a 2 MiB
//! stack. A read function that reads a not-yet-computed atom more than 64 levels down is stopped and
//! run again from the start once that atom is computed, so on the first read of such a graph a read
//! function may run twice: keep read functions free of side effects (they rerun on every change anyway).
//! (With `panic = "abort"`, as on `wasm32-unknown-unknown`, nothing can be stopped midway and first reads
//! nest as deep as the graph; there nexus stops a read with a clear panic before the stack runs out.)
//! Derived atoms that name their sources ([`Computed::reading`], or plain `s.get(&X)` calls in
//! [`atom!`]) have them computed first, so their first read nests nothing, on every target.
//!
//! # Async
//! [`Store::watch`] gives any atom's values as a `Stream` (latest-value semantics). An
//! [`AsyncComputed`] atom (`async_computed(|s| …)` in [`atom!`], or [`AsyncComputed::new`]) loads its value
//! with a future: reads see a [`Loadable`], [`Store::load`] drives or joins the load, a dependency change
//! cancels a stale load, [`Store::settled`] waits for every load of an instance that has started — a load
//! starts on its atom's first read, so read, then settle — and [`Store::load_all`] starts named loads and
//! waits for them. The future may fail with any error type that converts into
//! `Box<dyn Error + Send + Sync>` ([`IntoLoadError`]). No runtime is needed; with the feature `tokio`,
//! loads begun on a runtime's thread start by themselves.
//!
//! # Tools
//! [`Plugin`]s observe one store instance; [`DevTools`] (inspector, change log, JSON export) and
//! [`TimeTravel`] (undo, redo, jumps) are built on them, per instance. [`Family`] gives one atom per key
//! with eviction that frees memory. With the `serde` feature, `Store::snapshot` and `Store::hydrate`
//! carry a store's state to a fresh instance (server-side rendering). With the `redux-devtools` feature,
//! `redux_devtools::connect` shows a store instance in the Redux DevTools UI of `@redux-devtools/cli`.
//!
//! # In a UI
//! With the `leptos` feature, `nexus::leptos` binds stores to Leptos 0.8: `<StoreProvider>`
//! scopes a store instance to a component subtree (the store type is the context key), and
//! `use_atom_value`, `use_set_atom`, `use_atom`, `use_atom_resource` turn atoms into Leptos signals with
//! one subscription per hook, dropped when the component unmounts.
//!
//! # Across processes
//! With the `redis` feature, `nexus::redis::Mirror` keeps chosen `Global` atoms equal in every process of
//! a service through Redis: totally ordered writes, compare-and-set updates that lose no increment,
//! resynchronisation after faults, and `Unavailable` instead of queued writes while Redis is down.
//!
//! The [`migration`] page maps the TypeScript nexus-state API and Jotai to nexus.
//!
//! # Errors
//! A derived atom that reads itself, directly or through others, panics with a message naming the atoms
//! in the cycle (the first few and the count, for a cycle of thousands). A panic in a read function reaches the caller and leaves the store usable. Read,
//! update and initial-value functions run while the store is locked: using the store itself from inside
//! them panics with a message saying so (read through the `s` argument instead).
#![deny(missing_docs)]

mod atoms;
mod core;
mod graph;
#[cfg(feature = "leptos")]
pub mod leptos;
mod macros;
#[cfg(feature = "persist")]
pub mod persist;
#[cfg(all(feature = "redis", not(all(target_arch = "wasm32", target_os = "unknown"))))]
pub mod redis;
mod store;
mod tools;

pub use store::global;
#[cfg(feature = "redux-devtools")]
pub use tools::redux_devtools;

#[doc = include_str!("../docs/migration.md")]
pub mod migration {}

pub use atoms::action::Action;
pub use atoms::async_computed::AsyncComputed;
pub use atoms::family::{AsyncFamily, ComputedFamily, Family, FamilyKey};
pub use atoms::fields::{select, Each, FieldAtom, Focus, Keyed};
pub use atoms::handle::{Atom, Computed, Writable};
pub use core::info::{AtomInfo, AtomKey, AtomKind, Mode, StoreId};
pub use core::loadable::{IntoLoadError, LoadError, Loadable};
pub use core::origin::Origin;
pub use core::owner::{Declares, Global, Owner, UsableIn};
pub use graph::access::{Readable, Sources};
pub use graph::observe::{ActionOutcome, ActionRun, Change, ChangeOp, Plugin, PluginId, ValueRef, Warning};
pub use graph::reader::Reader;
pub use store::access::{Primitive, Runnable, Settable, Updatable};
pub use store::effect::{Effect, EffectCtx};
pub use store::loads::{AsyncAtom, LoadIn};
pub use store::mount::{Setter, StoreRef};
#[cfg(feature = "serde")]
pub use store::snapshot::{HydrateError, HydrateProblem, OmitReason, Omitted, Snapshot};
pub use store::store_trait::Store;
pub use store::subscription::Subscription;
pub use store::watch::Watch;
pub use store::writer::Writer;
#[allow(deprecated)] // re-exported for one release, so that code naming the old constant still builds
pub use tools::devtools::DEFAULT_ACTION_CAPACITY;
pub use tools::devtools::{AtomView, DeclaredAtom, DevTools, LogEntry, DEFAULT_LOG_CAPACITY};
pub use tools::graph::{Graph, GraphEdge, GraphNode, GraphTransaction};
pub use tools::time_travel::{HistoryEntry, TimeTravel};
pub use tools::trace::{Step, Trace, Transaction, What};

/// Declares store types: one branded type per store, with isolation checked by the compiler.
///
/// # Syntax
/// ```text
/// store! {
///     ( #[attr]* vis struct Name; )+
/// }
/// ```
///
/// # Options
/// - `#[mode(isolated)]` (the default): every instance holds its own value of every atom it uses.
/// - `#[mode(global)]`: `Global` primitive atoms read and write the one process-wide registry shared by
///   every global-mode store ([`global`]); the store's own atoms stay per instance.
/// - Every other attribute (`///` docs, `#[cfg]`, lints) is forwarded to the generated type.
///
/// # What it generates
/// The type `Name` (exactly that name): `Name::new()` and `Default` (a fresh, empty instance, O(1)),
/// `Clone` (another handle to the same instance), `Debug` (name, id, number of registered atoms),
/// `Send + Sync + 'static`, every operation of [`Store`] as an inherent method (no import needed) and an
/// implementation of [`Store`] for generic code.
///
/// # Example
/// ```
/// nexus::store! {
///     /// One user's session.
///     pub struct Session;
///     /// State shared by every global-mode store.
///     #[mode(global)]
///     pub struct App;
/// }
///
/// let session = Session::new();
/// assert_eq!(session.mode(), nexus::Mode::Isolated);
/// assert_eq!(App::new().mode(), nexus::Mode::Global);
/// ```
///
/// # Compile errors
/// Each on the offending tokens: an unknown mode (``unknown mode `shared`, expected `isolated` or
/// `global` ``), a duplicate `mode`, generics (`a store cannot be generic`), fields (`a store is a unit
/// struct`), a `#[derive]` (the traits are already implemented), a duplicate store name.
#[doc(inline)]
pub use nexus_macros::store;

/// Declares atoms as `static`s, owned by one store type or by [`Global`].
///
/// # Syntax
/// ```text
/// atom! {
///     #![store(StoreType)]?                  // owner of every item below; without it: Global
///     ( #[attr]* vis static NAME: Type = init; )*
/// }
/// ```
/// `init` picks the kind:
/// - any expression: a primitive [`Atom<Type, Owner>`]; the expression runs lazily, once per store instance;
/// - `computed(|s| …)`: a read-only derived [`Computed<Type, Owner>`]; `s` is a [`Reader`];
/// - `async_computed(|s| { let id = s.get(&ID); async move { … } })`: an [`AsyncComputed<Type, Owner>`]
///   whose future returns `Result<Type, E>`; reads see a [`Loadable<Type>`], `store.load(&ATOM).await`
///   loads it;
/// - `writable(|s| …, |s, arg: A| …)`: a derived [`Writable<Type, Owner, A>`] (`A` defaults to `Type`);
///   the write function's `s` is a [`Writer`];
/// - `family(|key: &K| …)`: a [`Family<K, Type, Owner>`], one primitive atom per key;
/// - `family_computed(|key: &K, s| …)`: a [`ComputedFamily<K, Type, Owner>`];
/// - `family_async(|key: &K, s| { …; async move { … } })`: an [`AsyncFamily<K, Type, Owner>`], one async
///   atom per key;
/// - `action(|s, arg| …)` with `Type` written `Action<Arg>` or `Action<Arg, Output>`: an
///   [`Action<Arg, Output, Owner>`] (`Output` defaults to `()`), run with `store.run(&NAME, arg)`, which
///   returns what the function returns; `s` is a [`Writer`] that may also run other actions. All its
///   writes are one batch. It holds no value: stores do not list it in `atoms()`.
///
/// # Options
/// - `#[store(Other)]` on an item: its owner, overriding `#![store(..)]`.
/// - `#[name = "clicks"]`: the registry name (default: the identifier); the path stays `module::IDENT`.
///   For an action: the name tools show its runs under. For a primitive atom, an async atom or a family
///   (`family(..)`, `family_async(..)`) it is also the snapshot key (feature `serde`: the key to store
///   the atom under outside the process), in place of `module::IDENT`, so that moving the atom to
///   another module keeps saved snapshots valid (a family's members: `clicks[key]`, the key as JSON).
/// - `#[alias = "old::PATH"]` (repeatable) on a primitive atom, an async atom or a family: an old
///   snapshot key that `store.hydrate` also accepts for it (the `module::IDENT` before a move, the name
///   before a rename). A key always wins over another atom's alias; an alias two atoms share is
///   reported as ambiguous; a snapshot holding both the key and an alias of one atom is refused.
/// - `#[capacity = 10_000]` on a family: keep at most that many keys, evicting the least recently used.
/// - `#[on_mount(|store, set| { …; move || { /* unmount */ } })]` on a primitive atom: called when the atom
///   becomes *mounted* in a store instance (its first observer there: a subscriber, a `Watch`, an effect
///   that read it, or a mounted derived atom reading it), with a [`StoreRef`] and a [`Setter`] of the atom
///   (`Send + Sync + 'static`: feed it from any thread); the closure it returns runs when the atom stops
///   being mounted there (its last observer went, or the store was dropped). Per store instance; a
///   `Global` atom in global-mode stores is mounted once while any of them observes it. See
///   [`Store::is_mounted`].
/// - `///` docs, `#[cfg]` and lint attributes are forwarded to the static, whose generated docs also say
///   its kind and owner.
///
/// Read functions of a store's derived atom may read that store's atoms and `Global` ones; those of a
/// `Global` derived atom only `Global` atoms. Equality (`PartialEq`) and rendering (`Debug`, and
/// `Serialize` with the `serde` feature) are detected from `Type` here, at the declaration; no bound is
/// imposed.
///
/// # Example
/// ```
/// nexus::store! { pub struct Session; }
///
/// nexus::atom! {
///     #![store(Session)]
///     /// Clicks so far.
///     pub static CLICKS: u32 = 0;
///     pub static DOUBLE: u32 = computed(|s| s.get(&CLICKS) * 2);
///     pub static SET_DOUBLE: u32 = writable(|s| s.get(&DOUBLE), |s, d: u32| s.set(&CLICKS, d / 2));
///     #[capacity = 100]
///     pub static SCORE: u32 = family(|player: &u64| u32::try_from(*player).unwrap_or(0));
///     /// Adds `n` clicks; returns the new count.
///     pub static ADD_CLICKS: Action<u32, u32> = action(|s, n| {
///         s.update(&CLICKS, |c| *c += n);
///         s.get(&CLICKS)
///     });
/// }
///
/// nexus::atom! {
///     /// Shared by every store.
///     pub static THEME: &'static str = "light";
/// }
///
/// let s = Session::new();
/// s.set(&SET_DOUBLE, 10);
/// assert_eq!((s.get(&CLICKS), s.get(&DOUBLE)), (5, 10));
/// assert_eq!(s.get(&SCORE.at(7)), 7);
/// assert_eq!(s.run(&ADD_CLICKS, 2), 7);
/// assert_eq!(s.get(&THEME), "light");
/// ```
///
/// # Generated items
/// Besides each `static`, an atom of a store gets a marker type of the same name (`pub enum CLICKS {}`:
/// the type namespace, which the `static` does not use) and an empty `impl Declares<CLICKS> for Store`,
/// so that the store's documentation page lists its atoms (see [`Declares`]). Do not declare a type of
/// an atom's name in the same module.
///
/// # Compile errors
/// Each on the offending tokens: a non-`static` item (``expected `static` ``), `static mut`, a missing type
/// or initializer, a duplicate atom or registry name, an unknown inner attribute, a malformed
/// `store(..)`/`name`/`capacity`/`alias`, `capacity` on a non-family, a family key without a type
/// annotation, `alias` on an atom snapshots do not carry by key (derived, action), an empty or
/// duplicate alias, an alias that is the atom's own `#[name]` or another item's `#[name]` or alias, an
/// action whose function does not take two parameters (`|s, arg|`) or whose type is not
/// `Action<Arg>`/`Action<Arg, Output>`, `on_mount` on anything but a primitive atom, twice, or with
/// other than one two-parameter function (one returning no closure fails on its body),
/// and `store(..)` naming something that is not a store (`` `NotAStore` is not a nexus store ``). Using an
/// atom with the wrong store, `set` on a computed atom or a write of the wrong type fail where they are
/// written, with messages naming the types (running another store's action too).
#[doc(inline)]
pub use nexus_macros::atom;

/// Field atoms for a struct: `#[derive(nexus::Fields)]` gives every atom whose value is the struct an
/// atom per field, `USER.name()`, through a generated extension trait (`UserFields` for `User`: import it
/// where the field atoms are used).
///
/// ```
/// use nexus::Fields;
///
/// #[derive(Clone, PartialEq, Debug, Fields)]
/// pub struct Address { pub city: String, pub zip: String }
///
/// #[derive(Clone, PartialEq, Debug, Fields)]
/// pub struct User { pub name: String, pub age: u32, pub address: Address }
///
/// nexus::store! { pub struct Session; }
/// nexus::atom! {
///     #![store(Session)]
///     pub static USER: User = User {
///         name: "ada".into(),
///         age: 36,
///         address: Address { city: "London".into(), zip: "N1".into() },
///     };
/// }
///
/// let session = Session::new();
/// let ages = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
/// let seen = ages.clone();
/// let _age = session.subscribe(&USER.age(), move |_| {
///     seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
/// });
/// session.set(&USER.name(), "grace".to_owned()); // writes USER, with only its name changed
/// session.set(&USER.address().city(), "Paris".to_owned()); // nested
/// assert_eq!(session.get(&USER).name, "grace");
/// assert_eq!(session.get(&USER.address().city()), "Paris");
/// assert_eq!(ages.load(std::sync::atomic::Ordering::SeqCst), 0); // the age never changed
/// ```
///
/// # What a field atom is
/// For an atom `A` whose value is the struct, `A.field()` is an atom of the field's type with the same
/// owner as `A` (so it is usable with exactly the stores `A` is): a [`Writable`] when `A` can be written
/// ([`Atom`], [`Writable`] whose write argument is its value), a [`Computed`] (read-only: `set` does not
/// compile) when `A` is a [`Computed`]. See [`Focus`].
/// - Reading it reads `A`'s current value. Writing it writes `A` with only that field changed, as one
///   change of `A` (an equal value is no change).
/// - It is told only of real changes of its field: a write through `A.name()` tells the observers of `A`
///   and of `A.name()`, not those of `A.age()` (they are not even re-evaluated); a write of the whole of
///   `A` tells the field atoms whose field changed (by `PartialEq`, detected per field type).
/// - `A.name()` called twice is the same atom (one node per store, one list of subscribers); it is made on
///   first use and kept while `A` lives, so later calls allocate nothing. It does not keep a run-time `A`
///   alive: using it after `A`'s last handle is dropped panics.
/// - Tools list it as `A.name` (nested: `A.address.city`); snapshots and time travel carry `A` only (a
///   field atom is a view of it).
///
/// # Options
/// - `#[fields(skip)]` on a field: no field atom for it (for a field whose type is not `Clone + Send +
///   Sync + 'static`, or that should not be reachable from outside).
/// - `#[fields(name = "…")]`: the name tools show (`USER.…`), in place of the field's.
/// - `#[fields(key)]` on one field: the struct is [`Keyed`] by it, so that a list atom of it
///   (`Atom<Vec<T>, S>`) has element atoms by key: [`Atom::each`].
///
/// Every non-skipped field gets a method, whatever its visibility: skip the fields that must stay private.
///
/// # Generated items
/// The extension trait `<Struct>Fields` (the struct's visibility), implemented for every atom of the
/// struct; `impl Keyed` when a field is the key; and an inherent constant `<Struct>::FIELD_ATOMS` (the
/// field atoms' names), whose documentation lists the field atoms on the struct's own page.
///
/// # Compile errors
/// On the offending tokens: a tuple struct, unit struct, enum or union (only structs with named fields
/// are supported), generic parameters, `#[fields(key)]` on two fields, an unknown, malformed or repeated
/// option, `skip` with `key` or `name`, `#[fields(..)]` on the struct instead of a field, two fields
/// with one name for tools, and a field named like a method every atom has (`clone`, `eq`,
/// `registry_name`, …: skip or rename it). Using a field atom with a store its parent cannot be used
/// with, or `set` on a field of a computed atom, fails where it is written.
#[doc(inline)]
pub use nexus_macros::Fields;

// SPEC §7: an empty store is at most 256 bytes: the instance data plus the `Arc`'s two counters.
const _: () = assert!(std::mem::size_of::<store::instance::StoreShared>() + 16 <= 256);

/// Not public API: used by the code that `store!` and `atom!` generate, and only by it.
#[doc(hidden)]
pub mod __private {
    pub use crate::atoms::action::ActionDef;
    pub use crate::atoms::async_decl::{async_family_load, async_load, AsyncDecl, LoadFn};
    pub use crate::atoms::def::{call_on_mount, Def, MountFn};
    pub use crate::atoms::fields::FieldDesc;
    pub use crate::core::info::Names;
    pub use crate::core::owner::{Owner, OwnerInfo, Sealed};
    pub use crate::core::space::SlotSpace;
    pub use crate::core::value_ops::{probe, ValueOps};
    #[cfg(feature = "serde")]
    pub use crate::core::value_ops::{FromJson, ToJson};
    pub use crate::graph::access::{AtomRef, Hint};
    pub use crate::graph::def::{DefCore, ErasedDef};
    pub use crate::graph::evaluate::simulate_no_unwind;
    pub use crate::graph::reader::ReadCtx;
    pub use crate::store::catalog::Declared;
    #[cfg(feature = "serde")]
    pub use crate::store::catalog::{DeclaredFamily, DecodedMember, FamilyEntry};
    pub use crate::store::instance::StoreShared;
    pub use crate::store::loads::LoadFuture;
    pub use crate::store::store_trait::StoreCell;
    pub use inventory;

    pub use crate::__nexus_declare_action as declare_action;
    pub use crate::__nexus_declare_async as declare_async;
    pub use crate::__nexus_declare_async_family as declare_async_family;
    pub use crate::__nexus_declare_computed as declare_computed;
    pub use crate::__nexus_declare_family as declare_family;
    pub use crate::__nexus_declare_primitive as declare_primitive;
    pub use crate::__nexus_declare_writable as declare_writable;
    pub use crate::__nexus_impl_store as impl_store;
    pub use crate::__nexus_impl_store_serde as impl_store_serde;
    pub use crate::__nexus_register_family as register_family;
    pub use crate::__nexus_value_ops as value_ops;

    /// Fails to compile, naming `S`, unless `S` is a store type or `Global`.
    pub const fn assert_owner<S: Owner>() {}
}
