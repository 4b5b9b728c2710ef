//! Plugin events in the order of the rounds that made them.
//!
//! A round's events reach the plugins after the store's lock is released (a plugin may read the store).
//! Without an order, two threads' rounds could reach them either way round: a time-travel history was
//! told of an async load's result, stored on a pool thread right after the change that started the load,
//! before that change itself, and folded the result into the entry before it (undo then brought back a
//! `Loading` state). So a round with events takes a turn under the lock, and its events are delivered
//! once the rounds before it have delivered theirs.
//!
//! A round made while this thread is delivering the same store's events (a plugin that writes to the
//! store it watches) takes no turn: its events are delivered at once, inside the delivery that caused
//! them, as before; waiting for a turn there would wait for itself.
//!
//! Only stores with a plugin attached take turns: the rest never reach this module.

use std::cell::RefCell;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

thread_local! {
    /// The stores (their addresses) whose events this thread is delivering, innermost last.
    static DELIVERING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// One store's turns: handed out under its write lock, served in that order.
#[derive(Default)]
pub(crate) struct Turns {
    next: u64,
    served: Arc<Served>,
}

#[derive(Default)]
struct Served {
    /// The turn whose events are delivered now, or next.
    now: Mutex<u64>,
    changed: Condvar,
}

impl Served {
    /// Waits until it is `ticket`'s turn; returns the lock on the turn counter.
    fn wait_for(&self, ticket: u64) -> MutexGuard<'_, u64> {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        while *now != ticket {
            now = self.changed.wait(now).unwrap_or_else(PoisonError::into_inner);
        }
        now
    }
}

impl Turns {
    /// A turn for the events of a round of the store at `store` (call under its write lock), or `None`
    /// if this thread is delivering that store's events now.
    pub(crate) fn take(&mut self, store: usize) -> Option<Turn> {
        if DELIVERING.with(|d| d.borrow().contains(&store)) {
            return None;
        }
        let ticket = self.next;
        self.next += 1;
        Some(Turn { served: self.served.clone(), ticket, store })
    }
}

/// A round's place in its store's order of deliveries. Dropped unused (a panic on the way), it still
/// waits for its turn and passes it on, so that the rounds after it are delivered.
pub(crate) struct Turn {
    served: Arc<Served>,
    ticket: u64,
    store: usize,
}

impl Turn {
    /// Waits until the rounds before this one are delivered, then runs `deliver` (with this thread
    /// marked as delivering the store's events), then passes the turn on.
    pub(crate) fn run(self, deliver: impl FnOnce()) {
        struct Unmark;
        impl Drop for Unmark {
            fn drop(&mut self) {
                DELIVERING.with(|d| d.borrow_mut().pop());
            }
        }
        drop(self.served.wait_for(self.ticket));
        DELIVERING.with(|d| d.borrow_mut().push(self.store));
        let _unmark = Unmark;
        deliver();
        // `self` drops here (after `_unmark`, declared later): the turn passes on.
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut now = self.served.wait_for(self.ticket);
        *now += 1;
        drop(now);
        self.served.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn turns_are_served_in_the_order_they_were_taken() {
        let mut turns = Turns::default();
        let taken: Vec<Turn> = (0..8).map(|_| turns.take(1).expect("not delivering")).collect();
        let log = Arc::new(Mutex::new(Vec::new()));
        // Run from threads started in reverse order: each still waits for the turns before it.
        let threads: Vec<_> = taken
            .into_iter()
            .rev()
            .map(|turn| {
                let log = log.clone();
                std::thread::spawn(move || {
                    let ticket = turn.ticket;
                    turn.run(|| log.lock().unwrap().push(ticket));
                })
            })
            .collect();
        for t in threads {
            t.join().expect("no panic");
        }
        assert_eq!(*log.lock().unwrap(), (0..8).collect::<Vec<u64>>());
    }

    #[test]
    fn a_turn_dropped_unused_passes_on_and_a_nested_round_takes_none() {
        let mut turns = Turns::default();
        let first = turns.take(7).expect("not delivering");
        let second = turns.take(7).expect("not delivering");
        drop(first);
        let nested = AtomicU64::new(0);
        second.run(|| {
            assert!(turns.take(7).is_none(), "delivering store 7 here");
            assert!(Turns::default().take(8).is_some(), "another store takes turns");
            nested.fetch_add(1, Ordering::Relaxed);
        });
        assert_eq!(nested.load(Ordering::Relaxed), 1);
        assert!(turns.take(7).is_some(), "no longer delivering");
    }
}
