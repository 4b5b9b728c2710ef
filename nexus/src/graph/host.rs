//! What a graph needs of the store that owns it, as a trait the store implements: the graph never names
//! a store.

use std::any::Any;
use std::sync::Weak;

use crate::core::info::StoreId;
use crate::graph::access::AtomRef;
use crate::graph::state::State;

/// The store around a graph, as evaluation sees it. (`pub` only so that the hidden `ErasedDef` trait can
/// name it; the module is private, so users cannot.)
#[doc(hidden)]
pub trait Host {
    /// A read function read `r`, which this store does not hold yet: registers it (a node, and whatever
    /// the store keeps about its atoms; a proxy of a `Global` atom of the process-wide registry holds
    /// this store's copy of its value). Returns the node.
    #[doc(hidden)]
    fn register(&self, st: &mut State, r: AtomRef<'_>) -> u32;

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
