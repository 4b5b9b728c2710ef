//! [`Watch`]: an atom's values as an asynchronous stream, with the latest-value semantics of
//! `tokio::sync::watch`, and no runtime of its own (it only stores a `Waker`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use crate::core::value_slot::SharedValue;
use crate::graph::access::AtomRef;
use crate::store::instance::StoreShared;
use crate::store::subscription::Subscription;

/// The values of one atom in one store instance, as a [`Stream`](futures_core::Stream): made by
/// [`Store::watch`](crate::Store::watch).
///
/// The first item is the atom's value when the watch was made; after that, each item is the latest
/// value after a change. A consumer slower than the changes skips the values in between but never misses
/// the latest one, also when several threads change the atom (their notifications may arrive in any
/// order; the watch keeps the value of the latest change). An item is never equal to the one before it,
/// as a subscriber is never told of a write of an equal value: if the value went `0 → 1 → 0` while the
/// consumer was away, it sees no new item (for types with `PartialEq`, detected where the atom was
/// declared, or atoms made with an equality; without one, every change is an item). The stream ends
/// (`None`) once the store's last handle is dropped, or the run-time atom it watches is freed (a `Watch`
/// does not keep a run-time atom alive). Dropping the `Watch` unsubscribes.
///
/// It needs no particular runtime: it only wakes the task that polled it (tested with tokio and with
/// `futures::executor::block_on`).
///
/// ```
/// nexus::store! { pub struct Session; }
/// nexus::atom! { #![store(Session)] pub static CLICKS: u32 = 0; }
///
/// let session = Session::new();
/// let mut clicks = session.watch(&CLICKS);
/// session.set(&CLICKS, 1);
/// session.set(&CLICKS, 2);
/// futures::executor::block_on(async {
///     assert_eq!(clicks.changed().await, Some(2)); // 0 and 1 were skipped: 2 is the latest
///     session.set(&CLICKS, 3);
///     session.set(&CLICKS, 2); // back to the value last seen: not a new item
///     session.set(&CLICKS, 4);
///     assert_eq!(clicks.changed().await, Some(4));
///     drop(session);
///     assert_eq!(clicks.changed().await, None); // the store is gone
/// });
/// ```
pub struct Watch<T> {
    shared: Arc<Shared<T>>,
    /// The version last handed out.
    seen: u64,
    /// The atom's equality, if it has one, and the value last handed out (kept only then).
    eq: Option<fn(&T, &T) -> bool>,
    last: Option<T>,
    _subscription: Subscription,
}

struct Shared<T> {
    state: Mutex<State<T>>,
}

struct State<T> {
    latest: Option<T>,
    /// Bumped by every value stored; 0 until the first.
    version: u64,
    /// The stamp of the change `latest` is from (see `graph::state::Callback`): a call for an older
    /// change that arrives later, from another thread's round, is not the latest value.
    stamp: u64,
    closed: bool,
    waker: Option<Waker>,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wake(mut state: MutexGuard<'_, State<T>>) {
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// Owned by the subscriber's callback: when the store drops the callback (the store or the atom is
/// gone, or the watch unsubscribed), the stream ends.
struct Closer<T>(Arc<Shared<T>>);

impl<T> Drop for Closer<T> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.closed = true;
        Shared::wake(state);
    }
}

impl<T: Clone + Send + Sync + 'static> Watch<T> {
    pub(crate) fn new(store: &StoreShared, r: AtomRef<'_>, eq: Option<fn(&T, &T) -> bool>) -> Self {
        let shared = Arc::new(Shared {
            state: Mutex::new(State { latest: None, version: 0, stamp: 0, closed: false, waker: None }),
        });
        let closer = Closer(shared.clone());
        let callback: crate::graph::state::Callback = Box::new(move |v: &SharedValue, stamp| {
            let mut state = closer.0.lock();
            if stamp < state.stamp {
                return;
            }
            state.stamp = stamp;
            state.latest = Some(v.typed::<T>().clone());
            state.version += 1;
            Shared::wake(state);
        });
        let subscription = store.subscribe(r, callback, false);
        // Subscribed first, then read: a change in between is already the latest value, so the value read
        // now is used only if no change arrived meanwhile.
        let current = store.get::<T>(r);
        {
            let mut state = shared.lock();
            if state.version == 0 {
                state.latest = Some(current);
                state.version = 1;
            }
        }
        Watch { shared, seen: 0, eq, last: None, _subscription: subscription }
    }
}

impl<T: Clone> Watch<T> {
    /// Waits for the next value: the current one the first time, then the latest after a change.
    /// `None` once the store or the watched run-time atom is gone (after the last value was handed out).
    pub fn changed(&mut self) -> impl Future<Output = Option<T>> + '_ {
        std::future::poll_fn(move |cx| self.poll_value(cx))
    }

    /// The latest value, without waiting and without marking it seen.
    pub fn latest(&self) -> Option<T> {
        self.shared.lock().latest.clone()
    }

    fn poll_value(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut state = self.shared.lock();
        if state.version > self.seen {
            self.seen = state.version;
            let latest = state.latest.as_ref().expect("every version stores a value");
            match (self.eq, &self.last) {
                // Changed and changed back since the last item: nothing new to hand out.
                (Some(eq), Some(last)) if eq(last, latest) => {}
                (Some(_), _) => {
                    self.last = Some(latest.clone());
                    return Poll::Ready(Some(latest.clone()));
                }
                (None, _) => return Poll::Ready(Some(latest.clone())),
            }
        }
        if state.closed {
            return Poll::Ready(None);
        }
        match &mut state.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            waker => *waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

// Nothing in a `Watch` is ever pinned (the value it keeps is only cloned and compared), so it is `Unpin`
// whatever `T` is, as it was before it kept one.
impl<T> Unpin for Watch<T> {}

impl<T: Clone> futures_core::Stream for Watch<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.get_mut().poll_value(cx)
    }
}

impl<T> fmt::Debug for Watch<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.lock();
        f.debug_struct("Watch")
            .field("version", &state.version)
            .field("seen", &self.seen)
            .field("closed", &state.closed)
            .finish_non_exhaustive()
    }
}
