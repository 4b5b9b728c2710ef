//! The [`Store`] trait, implemented by every type made with [`store!`](crate::store::store_trait!), and the
//! `impl_store!` wiring that generated code expands to.

use std::fmt;
use std::sync::Arc;

use crate::atoms::handle::{Primitive, Readable, Settable};
use crate::core::info::{AtomInfo, AtomKey, Mode, StoreId};
use crate::core::owner::{Owner, UsableIn};
use crate::store::instance::StoreShared;
use crate::store::subscription::{erase, Subscription};

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

/// A store type made by [`store!`](crate::store::store_trait!): lets code be generic over stores.
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
    fn get<A>(&self, atom: &A) -> A::Value
    where
        A: Readable,
        A::Owner: UsableIn<Self>,
    {
        self.__cell().0.get(atom.__atom())
    }

    /// Calls `f` with a borrow of `atom`'s current value, without cloning it. `f` runs after the store's
    /// lock is released, so it may use the store.
    fn with<A, R>(&self, atom: &A, f: impl FnOnce(&A::Value) -> R) -> R
    where
        A: Readable,
        A::Owner: UsableIn<Self>,
    {
        let value = self.__cell().0.value(atom.__atom());
        f(crate::store::instance::downcast::<A::Value>(&value))
    }

    /// Sets a primitive atom, or runs a writable atom's write function with `value`. A value equal to the
    /// current one (for types with `PartialEq`) is not a change: nobody is notified.
    fn set<A>(&self, atom: &A, value: A::Arg)
    where
        A: Settable,
        A::Owner: UsableIn<Self>,
    {
        atom.__set(&self.__cell().0, value);
    }

    /// Modifies a primitive atom in place. Read, modify and write happen under one lock, so concurrent
    /// `update`s never lose one another. `f` must not use this store (it runs while the store is locked).
    fn update<A>(&self, atom: &A, f: impl FnOnce(&mut A::Value))
    where
        A: Primitive,
        A::Owner: UsableIn<Self>,
    {
        self.__cell().0.update(atom.__atom(), f);
    }

    /// Puts a primitive atom back to its initial value (its initialiser runs again).
    fn reset<A>(&self, atom: &A)
    where
        A: Primitive,
        A::Owner: UsableIn<Self>,
    {
        self.__cell().0.reset(atom.__atom());
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
        self.__cell().0.subscribe(atom.__atom(), erase::<A::Value>(f))
    }

    /// Runs `f`; the changes it makes (on this thread, to this store) notify once, at the end of the
    /// outermost batch. Reads inside the batch see every change at once.
    fn batch<R>(&self, f: impl FnOnce() -> R) -> R {
        self.__cell().0.batch(f)
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
    /// global-mode store live in [`crate::store::global::atoms`] instead.)
    fn atoms(&self) -> Vec<AtomInfo> {
        self.__cell().0.atoms()
    }

    /// The serialisable primitive atoms this instance holds, keyed by path (feature `serde`). Atoms whose
    /// type is not `Serialize` (or whose serialisation fails), derived atoms, run-time atoms and, in a
    /// global-mode store, the shared `Global` atoms are left out.
    #[cfg(feature = "serde")]
    fn snapshot(&self) -> crate::Snapshot {
        self.__cell().0.snapshot()
    }

    /// Sets every atom of `snapshot` in this instance, including atoms it has not touched yet, as one
    /// change round (subscribers are notified as for `set`). Validates first: if any path names no
    /// primitive atom of this store type (or `Global`), or any value does not decode, returns an error
    /// naming every problem and changes nothing (feature `serde`).
    #[cfg(feature = "serde")]
    fn hydrate(&self, snapshot: &crate::Snapshot) -> Result<(), crate::HydrateError> {
        self.__cell().0.hydrate::<Self>(snapshot)
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

/// Implements everything a `store!` type has. `$name`: the type; `$mode`: `Isolated` or `Global`.
#[doc(hidden)]
#[macro_export]
macro_rules! __nexus_impl_store {
    ($name:ident, $mode:ident) => {
        impl $crate::__private::Sealed for $name {}

        impl $crate::Owner for $name {
            const __NAME: &'static str = ::core::stringify!($name);
            const __IS_GLOBAL: bool = false;
            fn __space() -> &'static $crate::__private::SlotSpace {
                static SPACE: $crate::__private::SlotSpace = $crate::__private::SlotSpace::new();
                &SPACE
            }
        }

        impl $crate::Store for $name {
            const MODE: $crate::Mode = $crate::Mode::$mode;
            fn __cell(&self) -> &$crate::__private::StoreCell {
                &self.__nexus_cell
            }
            fn __from_cell(cell: $crate::__private::StoreCell) -> Self {
                $name { __nexus_cell: cell }
            }
        }

        impl ::core::default::Default for $name {
            fn default() -> Self {
                <$name as $crate::Store>::new()
            }
        }

        impl ::core::clone::Clone for $name {
            /// Another handle to the same instance.
            fn clone(&self) -> Self {
                $name { __nexus_cell: ::core::clone::Clone::clone(&self.__nexus_cell) }
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.__nexus_cell, f)
            }
        }

        #[allow(dead_code)]
        impl $name {
            /// A fresh, empty instance of this store: O(1), nothing allocated per declared atom.
            #[must_use]
            pub fn new() -> Self {
                <$name as $crate::Store>::new()
            }

            /// The current value of `atom` in this instance (derived atoms computed on demand and cached).
            /// See [`Store::get`]($crate::Store::get).
            pub fn get<A>(&self, atom: &A) -> <A as $crate::Readable>::Value
            where
                A: $crate::Readable,
                <A as $crate::Readable>::Owner: $crate::UsableIn<$name>,
            {
                <$name as $crate::Store>::get(self, atom)
            }

            /// Calls `f` with a borrow of `atom`'s current value. See [`Store::with`]($crate::Store::with).
            pub fn with<A, R>(
                &self,
                atom: &A,
                f: impl ::core::ops::FnOnce(&<A as $crate::Readable>::Value) -> R,
            ) -> R
            where
                A: $crate::Readable,
                <A as $crate::Readable>::Owner: $crate::UsableIn<$name>,
            {
                <$name as $crate::Store>::with(self, atom, f)
            }

            /// Sets a primitive atom or runs a writable atom's write function. See
            /// [`Store::set`]($crate::Store::set).
            pub fn set<A>(&self, atom: &A, value: <A as $crate::Settable>::Arg)
            where
                A: $crate::Settable,
                <A as $crate::Readable>::Owner: $crate::UsableIn<$name>,
            {
                <$name as $crate::Store>::set(self, atom, value)
            }

            /// Modifies a primitive atom in place, atomically. See [`Store::update`]($crate::Store::update).
            pub fn update<A>(
                &self,
                atom: &A,
                f: impl ::core::ops::FnOnce(&mut <A as $crate::Readable>::Value),
            ) where
                A: $crate::Primitive,
                <A as $crate::Readable>::Owner: $crate::UsableIn<$name>,
            {
                <$name as $crate::Store>::update(self, atom, f)
            }

            /// Puts a primitive atom back to its initial value. See [`Store::reset`]($crate::Store::reset).
            pub fn reset<A>(&self, atom: &A)
            where
                A: $crate::Primitive,
                <A as $crate::Readable>::Owner: $crate::UsableIn<$name>,
            {
                <$name as $crate::Store>::reset(self, atom)
            }

            /// Calls `f` after each change of `atom`; drop the result to unsubscribe. See
            /// [`Store::subscribe`]($crate::Store::subscribe).
            pub fn subscribe<A>(
                &self,
                atom: &A,
                f: impl ::core::ops::Fn(&<A as $crate::Readable>::Value)
                    + ::core::marker::Send
                    + ::core::marker::Sync
                    + 'static,
            ) -> $crate::Subscription
            where
                A: $crate::Readable,
                <A as $crate::Readable>::Owner: $crate::UsableIn<$name>,
            {
                <$name as $crate::Store>::subscribe(self, atom, f)
            }

            /// Runs `f`, notifying once at the end of the outermost batch. See
            /// [`Store::batch`]($crate::Store::batch).
            pub fn batch<R>(&self, f: impl ::core::ops::FnOnce() -> R) -> R {
                <$name as $crate::Store>::batch(self, f)
            }

            /// This instance's unique id.
            pub fn id(&self) -> $crate::StoreId {
                <$name as $crate::Store>::id(self)
            }

            /// Isolated or global.
            pub fn mode(&self) -> $crate::Mode {
                <$name as $crate::Store>::mode(self)
            }

            /// The key of `atom` in this instance (`Name#id/path`). See [`Store::key`]($crate::Store::key).
            pub fn key<A>(&self, atom: &A) -> $crate::AtomKey
            where
                A: $crate::Readable,
                <A as $crate::Readable>::Owner: $crate::UsableIn<$name>,
            {
                <$name as $crate::Store>::key(self, atom)
            }

            /// This instance's registry, in registration order. See [`Store::atoms`]($crate::Store::atoms).
            pub fn atoms(&self) -> ::std::vec::Vec<$crate::AtomInfo> {
                <$name as $crate::Store>::atoms(self)
            }

            /// Looks an atom up by registry name or full path, in this instance only.
            pub fn find(&self, name: &str) -> ::core::option::Option<$crate::AtomInfo> {
                <$name as $crate::Store>::find(self, name)
            }
        }

        $crate::__private::impl_store_serde!($name);
    };
}

/// The `serde` methods of a store type, or nothing without the feature.
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __nexus_impl_store_serde {
    ($name:ident) => {
        #[allow(dead_code)]
        impl $name {
            /// The serialisable primitive atoms of this instance, keyed by path. See
            /// [`Store::snapshot`]($crate::Store::snapshot).
            pub fn snapshot(&self) -> $crate::Snapshot {
                <$name as $crate::Store>::snapshot(self)
            }

            /// Sets every atom of `snapshot` here (touched or not), or changes nothing and names every
            /// problem. See [`Store::hydrate`]($crate::Store::hydrate).
            pub fn hydrate(
                &self,
                snapshot: &$crate::Snapshot,
            ) -> ::core::result::Result<(), $crate::HydrateError> {
                <$name as $crate::Store>::hydrate(self, snapshot)
            }
        }
    };
}

/// The `serde` methods of a store type, or nothing without the feature.
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __nexus_impl_store_serde {
    ($name:ident) => {};
}
