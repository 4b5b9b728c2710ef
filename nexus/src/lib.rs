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
//! # Derived atoms
//! Computed on first read, cached, recomputed only when something they read changed, and glitch-free:
//! after one `set`, each affected derived atom is evaluated at most once and no subscriber sees a mix of
//! old and new inputs. A value equal to the previous one (for types with `PartialEq`) is not a change.
//!
//! # Errors
//! A derived atom that reads itself, directly or through others, panics with a message naming the atoms
//! in the cycle. A panic in a read function reaches the caller and leaves the store usable. Read,
//! update and initial-value functions run while the store is locked: using the store itself from inside
//! them panics with a message saying so (read through the `s` argument instead).
#![deny(missing_docs)]

mod atom;
mod batch;
mod catalog;
mod def;
mod devtools;
mod family;
mod graph;
mod info;
mod owner;
mod plugin;
mod reader;
mod space;
#[cfg(feature = "serde")]
mod ssr;
mod store;
mod store_shared;
mod subscription;
mod time_travel;
mod value_ops;

pub mod global;

#[doc = include_str!("../docs/migration.md")]
pub mod migration {}

pub use atom::{Atom, Computed, Primitive, Readable, Settable, Writable};
pub use devtools::{Action, AtomView, DeclaredAtom, DevTools, DEFAULT_ACTION_CAPACITY};
pub use family::{ComputedFamily, Family, FamilyKey};
pub use info::{AtomInfo, AtomKey, AtomKind, Mode, StoreId};
pub use owner::{Global, Owner, UsableIn};
pub use plugin::{Change, ChangeOp, Plugin, PluginId, ValueRef};
pub use reader::{Reader, Writer};
#[cfg(feature = "serde")]
pub use ssr::{HydrateError, HydrateProblem, Snapshot};
pub use store::Store;
pub use subscription::Subscription;
pub use time_travel::{HistoryEntry, TimeTravel};

#[doc(inline)]
pub use nexus_macros::{atom, store};

/// Not public API: used by the code that `store!` and `atom!` generate, and only by it.
#[doc(hidden)]
pub mod __private {
    pub use crate::atom::AtomRef;
    pub use crate::catalog::Declared;
    pub use crate::def::{Def, DefCore, ErasedDef};
    pub use crate::owner::{Owner, Sealed};
    pub use crate::reader::ReadCtx;
    pub use crate::space::SlotSpace;
    pub use crate::store::StoreCell;
    pub use crate::store_shared::StoreShared;
    pub use crate::value_ops::{probe, ValueOps};
    #[cfg(feature = "serde")]
    pub use crate::value_ops::{FromJson, ToJson};
    pub use inventory;

    pub use crate::__nexus_declare_computed as declare_computed;
    pub use crate::__nexus_declare_computed_family as declare_computed_family;
    pub use crate::__nexus_declare_family as declare_family;
    pub use crate::__nexus_declare_primitive as declare_primitive;
    pub use crate::__nexus_declare_writable as declare_writable;
    pub use crate::__nexus_impl_store as impl_store;
    pub use crate::__nexus_impl_store_serde as impl_store_serde;
    pub use crate::__nexus_value_ops as value_ops;

    /// Fails to compile, naming `S`, unless `S` is a store type or `Global`.
    pub const fn assert_owner<S: Owner>() {}
}

/// A declared primitive atom: `(owner, type, registry name, identifier, initial value)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __nexus_declare_primitive {
    ($owner:ty, $ty:ty, $name:expr, $ident:ident, $init:expr) => {{
        static __NEXUS_DEF: $crate::__private::Def<$ty, $owner, $ty> = $crate::__private::Def::primitive(
            $name,
            ::core::stringify!($ident),
            ::core::module_path!(),
            || -> $ty { $init },
            $crate::__private::value_ops!($ty),
        );
        $crate::__private::inventory::submit! { $crate::__private::Declared::new::<$owner>(&__NEXUS_DEF) }
        $crate::Atom::<$ty, $owner>::__from_static(&__NEXUS_DEF)
    }};
}

/// A declared computed atom: `(owner, type, registry name, identifier, read function)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __nexus_declare_computed {
    ($owner:ty, $ty:ty, $name:expr, $ident:ident, $read:expr) => {{
        static __NEXUS_DEF: $crate::__private::Def<$ty, $owner, $ty> = $crate::__private::Def::computed(
            $name,
            ::core::stringify!($ident),
            ::core::module_path!(),
            $read,
            $crate::__private::value_ops!($ty),
        );
        $crate::__private::inventory::submit! { $crate::__private::Declared::new::<$owner>(&__NEXUS_DEF) }
        $crate::Computed::<$ty, $owner>::__from_static(&__NEXUS_DEF)
    }};
}

/// A declared writable atom: `(owner, type, write argument type, registry name, identifier, read, write)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __nexus_declare_writable {
    ($owner:ty, $ty:ty, $arg:ty, $name:expr, $ident:ident, $read:expr, $write:expr) => {{
        static __NEXUS_DEF: $crate::__private::Def<$ty, $owner, $arg> = $crate::__private::Def::writable(
            $name,
            ::core::stringify!($ident),
            ::core::module_path!(),
            $read,
            $write,
            $crate::__private::value_ops!($ty),
        );
        $crate::__private::inventory::submit! { $crate::__private::Declared::new::<$owner>(&__NEXUS_DEF) }
        $crate::Writable::<$ty, $owner, $arg>::__from_static(&__NEXUS_DEF)
    }};
}

/// A declared family: `(owner, key type, value type, registry name, capacity, init)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __nexus_declare_family {
    ($owner:ty, $key:ty, $ty:ty, $name:expr, $capacity:expr, $init:expr) => {
        $crate::Family::<$key, $ty, $owner>::__declare(
            $name,
            ::core::module_path!(),
            $init,
            $crate::__private::value_ops!($ty),
            $capacity,
        )
    };
}

/// A declared computed family: `(owner, key type, value type, registry name, capacity, read)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __nexus_declare_computed_family {
    ($owner:ty, $key:ty, $ty:ty, $name:expr, $capacity:expr, $read:expr) => {
        $crate::ComputedFamily::<$key, $ty, $owner>::__declare(
            $name,
            ::core::module_path!(),
            $read,
            $crate::__private::value_ops!($ty),
            $capacity,
        )
    };
}
