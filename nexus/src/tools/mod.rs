//! Tools around stores, built on the plugin API and the store's inspection calls only: developer tools,
//! time travel, snapshots for server-side rendering, the Redux DevTools bridge.

pub(crate) mod attach;
pub(crate) mod devtools;
pub(crate) mod graph;
#[cfg(feature = "redux-devtools")]
pub mod redux_devtools;
pub(crate) mod time_travel;
pub(crate) mod trace;
