//! The reactive graph of one store instance: atom definitions, nodes and their edges, evaluation,
//! propagation, change rounds and what plugins are told. It never names a store or a tool: the store
//! that owns a graph is reached through [`host::Host`].

pub(crate) mod access;
pub(crate) mod batch;
pub(crate) mod def;
pub(crate) mod edges;
pub(crate) mod effect;
pub(crate) mod evaluate;
pub(crate) mod host;
pub(crate) mod mount;

pub(crate) mod notes;
pub(crate) mod observe;
pub(crate) mod reader;
pub(crate) mod state;
pub(crate) mod trace;
pub(crate) mod turns;
