//! What users hold: the atom handles ([`Atom`](crate::Atom), [`Computed`](crate::Computed),
//! [`Writable`](crate::Writable)), families of them, and actions ([`Action`](crate::Action)).

pub(crate) mod action;
pub(crate) mod async_computed;
pub(crate) mod async_decl;
pub(crate) mod async_handle;
mod async_outcome;
pub(crate) mod def;
pub(crate) mod family;
pub(crate) mod fields;
pub(crate) mod handle;
