//! What a graph needs of the store that owns it, as a trait the store implements: the graph never names
//! a store.

use std::any::Any;
use std::sync::Weak;

use crate::core::info::{AtomId, StoreId};
use crate::core::value_slot::Value;
use crate::graph::access::AtomRef;
use crate::graph::def::ErasedDef;
use crate::graph::state::State;

/// The store around a graph, as evaluation sees it. (`pub` only so that the hidden `ErasedDef` trait can
/// name it; the module is private, so users cannot.)
#[doc(hidden)]
pub trait Host {
    /// A read function read `r`, which this store does not hold yet: registers it (a node, and whatever
    /// the store keeps about its atoms). Returns the node and whether it is a proxy, whose value lives in
    /// the process-wide registry of `Global` atoms.
    #[doc(hidden)]
    fn register(&self, st: &mut State, r: AtomRef<'_>) -> (u32, bool);

    /// The value of a proxied `Global` atom, from the process-wide registry.
    #[doc(hidden)]
    fn registry_value(&self, r: AtomRef<'_>) -> Value;

    /// The same, for a proxy node known by its id and definition (notifications).
    #[doc(hidden)]
    fn registry_value_of(&self, id: AtomId, def: &dyn ErasedDef) -> Value;

    /// Which store instance this is, and a weak reference that tells whether it still lives (async atoms
    /// keep their loads per store).
    #[doc(hidden)]
    fn token(&self) -> StoreToken;
}

/// A store instance's identity, for state kept per store outside it.
#[doc(hidden)]
#[derive(Clone)]
pub struct StoreToken {
    pub(crate) id: StoreId,
    /// The store itself, weakly (state kept per store must not keep it alive).
    pub(crate) store: Weak<dyn Any + Send + Sync>,
}
