//! The one way a tool attaches to a store instance: a plugin on that instance, detached when the tool is
//! dropped. It does not keep the store alive: once the store is gone, the tool's calls find nothing.

use std::sync::{Arc, Weak};

use crate::graph::observe::{Plugin, PluginId};
use crate::store::instance::StoreShared;
use crate::store::store_trait::Store;

/// A plugin attached to one store instance, removed on drop.
pub(crate) struct Attachment {
    store: Weak<StoreShared>,
    plugin: PluginId,
}

impl Attachment {
    /// Attaches `plugin` to `store`.
    pub(crate) fn new<S: Store>(store: &S, plugin: Arc<dyn Plugin>) -> Self {
        let shared = &store.__cell().0;
        let plugin = shared.add_plugin(plugin);
        Attachment { store: Arc::downgrade(shared), plugin }
    }

    /// The store, while it lives.
    pub(crate) fn store(&self) -> Option<Arc<StoreShared>> {
        self.store.upgrade()
    }
}

impl Drop for Attachment {
    fn drop(&mut self) {
        if let Some(store) = self.store.upgrade() {
            store.remove_plugin(self.plugin);
        }
    }
}
