//! Store instances: the lock around a graph, every store operation, the process-wide registry of
//! `Global` atoms, the catalogue of declared atoms and the [`Store`](crate::Store) trait that generated
//! store types implement. Tools are never named here: they attach through the plugin API.

pub(crate) mod access;
pub(crate) mod catalog;
pub(crate) mod effect;
pub mod global;
pub(crate) mod graph_export;
pub(crate) mod inspect;
pub(crate) mod instance;
pub(crate) mod loads;
pub(crate) mod mount;
#[cfg(feature = "serde")]
pub(crate) mod named;
pub(crate) mod ops;
#[cfg(feature = "serde")]
pub(crate) mod snapshot;
pub(crate) mod store_trait;
pub(crate) mod subscription;
pub(crate) mod watch;
pub(crate) mod writer;
