//! [`Subscription`]: the handle that keeps a subscriber registered.

use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};

use crate::core::info::AtomId;
use crate::graph::access::KeepAlive;
use crate::graph::state::Subscriber;
use crate::store::instance::StoreShared;

/// A registered subscriber. Dropping it (or calling [`unsubscribe`](Subscription::unsubscribe))
/// unsubscribes; the callback is not called after that.
///
/// It does not keep the store alive: when the store is dropped its subscriptions end with it, and dropping
/// the handle afterwards does nothing. It does keep a run-time atom alive, so that a subscription never
/// outlives the atom it watches.
#[must_use = "dropping a Subscription unsubscribes at once"]
pub struct Subscription {
    store: Weak<StoreShared>,
    atom: AtomId,
    seq: u64,
    /// Weak: the store owns its subscribers' closures, so dropping the store frees them.
    sub: Weak<Subscriber>,
    _keepalive: Option<KeepAlive>,
}

impl Subscription {
    pub(crate) fn new(
        store: Weak<StoreShared>,
        atom: AtomId,
        _local: u32,
        seq: u64,
        sub: &Arc<Subscriber>,
        keepalive: Option<KeepAlive>,
    ) -> Self {
        Subscription { store, atom, seq, sub: Arc::downgrade(sub), _keepalive: keepalive }
    }

    /// Ends the subscription (the same as dropping it).
    pub fn unsubscribe(self) {}

    /// Whether the subscriber is still registered: `false` once its store has been dropped.
    pub fn is_active(&self) -> bool {
        self.sub.upgrade().is_some_and(|s| s.alive.load(Ordering::Acquire)) && self.store.strong_count() > 0
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(sub) = self.sub.upgrade() {
            sub.alive.store(false, Ordering::Release);
        }
        if let Some(store) = self.store.upgrade() {
            store.unsubscribe(self.atom, self.seq);
        }
    }
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("seq", &self.seq)
            .field("active", &self.is_active())
            .finish_non_exhaustive()
    }
}

/// Wraps a typed callback for storage in an untyped node (a user's callback: the change's stamp is not
/// its business).
pub(crate) fn erase<T: 'static>(f: impl Fn(&T) + Send + Sync + 'static) -> crate::graph::state::Callback {
    Box::new(move |v: &crate::core::value_slot::SharedValue, _stamp| f(v.typed::<T>()))
}
