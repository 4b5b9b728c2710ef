//! The lowest layer: identities, keys, value cells and owner markers. Nothing here knows of definitions,
//! graphs, stores or tools; every other layer builds on it.

pub(crate) mod clock;
pub(crate) mod info;
pub(crate) mod loadable;
pub(crate) mod origin;
pub(crate) mod owner;
pub(crate) mod slot_index;
pub(crate) mod space;
pub(crate) mod stack;
pub(crate) mod teardown;
pub(crate) mod thread;
pub(crate) mod value_ops;
pub(crate) mod value_slot;
pub(crate) mod words;
