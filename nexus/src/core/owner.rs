//! Owners and scoping: which atoms a store may use, checked by the type system.

use std::any::TypeId;

use crate::core::space::SlotSpace;

/// The owner of atoms meant to be shared: a `Global` atom can be used with every store.
///
/// In an isolated store (the default) each instance still holds its own value of a `Global` atom; in a
/// store declared `#[mode(global)]`, `Global` primitive atoms live in the one process-wide registry
/// ([`crate::store::global`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Global {}

/// Sealing: only `store!` (and this crate, for [`Global`]) implement the store traits.
#[doc(hidden)]
pub trait Sealed {}

/// Something that can own atoms: a store type made by `store!`, or [`Global`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a nexus store",
    label = "not a store: declare it with `nexus::store! {{ pub struct {Self}; }}`",
    note = "atoms belong to a store type made by `nexus::store!`, or to `nexus::Global`"
)]
pub trait Owner: Sealed + Sized + Send + Sync + 'static {
    #[doc(hidden)]
    const __NAME: &'static str;
    #[doc(hidden)]
    const __IS_GLOBAL: bool;
    #[doc(hidden)]
    fn __space() -> &'static SlotSpace;
}

impl Sealed for Global {}

impl Owner for Global {
    const __NAME: &'static str = "Global";
    const __IS_GLOBAL: bool = true;
    fn __space() -> &'static SlotSpace {
        static SPACE: SlotSpace = SlotSpace::new();
        &SPACE
    }
}

/// `Self` (an atom's owner) may be used with `S` (a store, or the owner of a derived atom reading it).
///
/// Holds for `S: UsableIn<S>` (a store's own atoms) and `Global: UsableIn<S>` (shared atoms, everywhere);
/// the implementations live with the [`Store`](crate::Store) trait.
/// Nothing else: an atom of one store named in a call on another store is a compile error that names
/// both stores.
#[diagnostic::on_unimplemented(
    message = "an atom of `{Self}` cannot be used with `{S}`",
    label = "this atom belongs to `{Self}`, not to `{S}`",
    note = "an atom can be used with the store that declares it; `Global` atoms with every store; a `Global` derived atom reads only `Global` atoms"
)]
pub trait UsableIn<S>: Owner {}

/// What an atom's definition keeps of its owner. Made by [`OwnerInfo::of`], the one place where generated
/// code names the owner with an `Owner` bound, so that naming something that is not a store gives one
/// error, on that name.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct OwnerInfo {
    pub(crate) name: &'static str,
    pub(crate) global: bool,
    pub(crate) type_id: fn() -> TypeId,
    pub(crate) space: fn() -> &'static SlotSpace,
}

impl OwnerInfo {
    /// The owner `S`.
    pub const fn of<S: Owner>() -> Self {
        OwnerInfo { name: S::__NAME, global: S::__IS_GLOBAL, type_id: TypeId::of::<S>, space: S::__space }
    }
}

/// Lists a store's atoms on its documentation page.
///
/// `atom!` implements `Declares<A>` for the owning store type once for every atom it declares, where `A`
/// is a marker named after the atom, so that the store's page shows each of its atoms, with its kind
/// and type, under *Trait Implementations*. It has no methods: it is documentation, not something to
/// use in code.
pub trait Declares<A: ?Sized> {}
