//! Dropping a run-time atom without recursing through the atoms its functions hold.
//!
//! A run-time derived atom's read function usually holds the handles of the atoms it reads; dropping the
//! last handle of the tail of a chain would drop the definition, its closure, the handle of the link
//! before it, that link's definition… one nested `Drop` per link, which overflows the stack for long
//! chains. Instead, while a definition is being dropped on this thread, handles dropped inside it hand
//! their definition to a per-thread queue, and the outermost drop empties that queue in a loop.

use std::any::Any;
use std::cell::RefCell;
use std::sync::Arc;

thread_local! {
    /// `Some` while a definition is being dropped on this thread: the definitions whose drop was put off.
    static QUEUE: RefCell<Option<Vec<Box<dyn Any>>>> = const { RefCell::new(None) };
}

/// The last field of every atom definition. `outermost` is set by the definition's `Drop` when that drop
/// began the teardown; then this field, dropped after all the others, empties the queue.
pub(crate) struct Teardown {
    outermost: bool,
}

impl Teardown {
    pub(crate) const fn new() -> Self {
        Teardown { outermost: false }
    }

    /// Called by a definition's `Drop`, before its fields are dropped.
    pub(crate) fn begin(&mut self) {
        self.outermost = QUEUE
            .try_with(|q| {
                let mut q = q.borrow_mut();
                let first = q.is_none();
                if first {
                    *q = Some(Vec::new());
                }
                first
            })
            .unwrap_or(false);
    }
}

impl Drop for Teardown {
    fn drop(&mut self) {
        if !self.outermost {
            return;
        }
        // Each definition dropped here may queue more; the queue's borrow is released before each drop.
        while let Some(def) = QUEUE.with(|q| q.borrow_mut().as_mut().and_then(Vec::pop)) {
            drop(def);
        }
        QUEUE.with(|q| *q.borrow_mut() = None);
    }
}

/// Called when a run-time handle is dropped: if a definition is being dropped on this thread, keeps
/// `def` alive in the queue so that the handle's own drop does not free it here, nested.
pub(crate) fn put_off<T: ?Sized + 'static>(def: &Arc<T>) {
    // Not the last handle: its drop only counts down (a race with another thread's drop costs at most one
    // nested level, never a chain).
    if Arc::strong_count(def) > 1 {
        return;
    }
    let _ = QUEUE.try_with(|q| {
        if let Some(q) = q.borrow_mut().as_mut() {
            q.push(Box::new(def.clone()));
        }
    });
}
