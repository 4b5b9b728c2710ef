//! How the graph and the stores see an atom without its types: [`AtomRef`] (its id and its handle), the
//! handle's untyped side ([`HandleDyn`]) and the [`Readable`] trait every atom handle implements.

use std::sync::Arc;

use crate::core::info::AtomId;
use crate::core::owner::{Owner, Sealed, UsableIn};
use crate::graph::def::{ErasedDef, NodeDef};

/// What a store needs of a handle on its slow paths (registration, subscriptions).
pub(crate) trait HandleDyn: Send + Sync {
    fn def(&self) -> &dyn ErasedDef;
    fn node_def(&self) -> NodeDef;
    fn keepalive(&self) -> Option<KeepAlive>;
    /// [`node_def`](Self::node_def), and whether the atom has an `on_mount` (one call for registration).
    fn node_def_mounting(&self) -> (NodeDef, bool) {
        (self.node_def(), self.def().has_on_mount())
    }
}

/// Keeps a run-time atom alive like one more handle of it (a [`Subscription`](crate::Subscription)
/// holds one, so that it never outlives the atom it watches).
pub(crate) struct KeepAlive(Arc<dyn ErasedDef>);

impl KeepAlive {
    /// Counts one more holder of `def`'s atom (the caller has a live handle of it).
    pub(crate) fn hold(def: Arc<dyn ErasedDef>) -> Self {
        def.core().hold();
        KeepAlive(def)
    }

    /// For a holder already counted (see [`DefCore::revive`](crate::graph::def::DefCore::revive)).
    #[cfg_attr(not(feature = "serde"), allow(dead_code))] // named atoms are found for hydration only
    pub(crate) fn adopt(def: Arc<dyn ErasedDef>) -> Self {
        KeepAlive(def)
    }

    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn def(&self) -> &Arc<dyn ErasedDef> {
        &self.0
    }
}

impl Drop for KeepAlive {
    fn drop(&mut self) {
        self.0.core().release();
        crate::core::teardown::put_off(&self.0);
    }
}

/// An atom as store operations see it, without its types.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct AtomRef<'a> {
    pub(crate) id: AtomId,
    pub(crate) handle: &'a dyn HandleDyn,
}

/// An atom whose value can be read: [`Atom`](crate::Atom), [`Computed`](crate::Computed) and [`Writable`](crate::Writable).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an atom",
    label = "expected a `nexus::Atom`, `nexus::Computed` or `nexus::Writable`",
    note = "a family is not an atom but makes one per key: use `.at(key)`, as in `s.get(&TODO.at(id))`"
)]
pub trait Readable: Sealed {
    /// The value type.
    type Value: Clone + Send + Sync + 'static;
    /// The owning store type, or [`Global`](crate::Global).
    type Owner: Owner;
    #[doc(hidden)]
    fn __atom(&self) -> AtomRef<'_>;
    /// [`__atom`](Self::__atom) if the atom has its identity already (a declared atom gets it on its
    /// first use in any store of its type): `get`'s fast path, which then calls nothing that returns to
    /// it and so builds no stack frame.
    #[doc(hidden)]
    #[inline]
    fn __atom_known(&self) -> Option<AtomRef<'_>> {
        Some(self.__atom())
    }
    /// How two values of this atom compare, if its type has `PartialEq` (detected where the atom was
    /// declared) or it was made with an equality: a [`Watch`](crate::Watch) skips a value equal to the
    /// one it last handed out. `None`: every value counts.
    #[doc(hidden)]
    fn __value_eq(&self) -> Option<ValueEq<Self::Value>> {
        None
    }
}

/// How two values of a type compare (its `PartialEq::eq`, or an atom's own equality).
pub(crate) type ValueEq<T> = fn(&T, &T) -> bool;

/// The atoms a derived atom names as its sources before its read function runs, so that a first read
/// brings them up to date on the evaluation's own path instead of nesting read functions on the call
/// stack ([`Computed::reading`](crate::Computed::reading); the `s.get(&X)` calls `atom!` sees). A hint,
/// never a promise: the read function still records what it really reads.
///
/// Implemented for one atom handle, tuples of up to eight, arrays and `Vec`s of handles, each of an owner
/// usable in `S`.
pub trait Sources<S>: Send + Sync + 'static {
    /// The `i`-th source, if there is one.
    #[doc(hidden)]
    fn __source(&self, i: usize) -> Option<AtomRef<'_>>;
}

impl<S, A> Sources<S> for A
where
    A: Readable + Send + Sync + 'static,
    A::Owner: UsableIn<S>,
{
    fn __source(&self, i: usize) -> Option<AtomRef<'_>> {
        (i == 0).then(|| self.__atom())
    }
}

impl<S, A, const N: usize> Sources<S> for [A; N]
where
    A: Readable + Send + Sync + 'static,
    A::Owner: UsableIn<S>,
{
    fn __source(&self, i: usize) -> Option<AtomRef<'_>> {
        self.get(i).map(Readable::__atom)
    }
}

impl<S, H> Sources<S> for Vec<H>
where
    H: Readable + Send + Sync + 'static,
    H::Owner: UsableIn<S>,
{
    fn __source(&self, i: usize) -> Option<AtomRef<'_>> {
        self.get(i).map(Readable::__atom)
    }
}

macro_rules! tuple_sources {
    ($($a:ident $i:tt),+) => {
        impl<S, $($a),+> Sources<S> for ($($a,)+)
        where
            $($a: Readable + Send + Sync + 'static, $a::Owner: UsableIn<S>,)+
        {
            fn __source(&self, i: usize) -> Option<AtomRef<'_>> {
                match i {
                    $($i => Some(self.$i.__atom()),)+
                    _ => None,
                }
            }
        }
    };
}

tuple_sources!(A 0);
tuple_sources!(A 0, B 1);
tuple_sources!(A 0, B 1, C 2);
tuple_sources!(A 0, B 1, C 2, D 3);
tuple_sources!(A 0, B 1, C 2, D 3, E 4);
tuple_sources!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_sources!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_sources!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// One source a declared atom's read function names (`atom!` lists the `s.get(&X)` calls it sees):
/// any atom handle, as a trait object that a `static` list can hold.
#[doc(hidden)]
pub trait Hint: Sync {
    /// The atom.
    fn __hinted(&self) -> AtomRef<'_>;
}

impl<A: Readable + Sync> Hint for A {
    fn __hinted(&self) -> AtomRef<'_> {
        self.__atom()
    }
}
