//! Subscriber calls of a change round, made after the store's lock is released, and the per-thread pool
//! of their list (so that a change with subscribers does not allocate one).

use std::any::Any;
use std::cell::Cell;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;

use crate::graph::state::Note;

thread_local! {
    static POOL: Cell<Vec<Note>> = const { Cell::new(Vec::new()) };
}

/// An empty list, with the capacity of the last one this thread used.
pub(crate) fn take_pool() -> Vec<Note> {
    POOL.with(Cell::take)
}

/// Calls every subscriber still subscribed, even if one panics; the first panic is raised again after
/// all have run.
pub(crate) fn run(mut notes: Vec<Note>, mut panic: Option<Box<dyn Any + Send>>) {
    for note in notes.drain(..) {
        if note.sub.alive.load(Ordering::Acquire) {
            if let Err(p) = catch_unwind(AssertUnwindSafe(|| (note.sub.f)(&note.value))) {
                panic.get_or_insert(p);
            }
        }
    }
    // A callback that changed a store on this thread may have used (and put back) a list meanwhile: keep
    // the larger one.
    if notes.capacity() > 0 {
        POOL.with(|p| {
            let other = p.take();
            p.set(if other.capacity() > notes.capacity() { other } else { notes });
        });
    }
    if let Some(p) = panic {
        resume_unwind(p);
    }
}
