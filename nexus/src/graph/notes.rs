//! Subscriber calls of a change round, prepared under the store's lock and made after it is released,
//! and the per-thread pool of their lists (so that a change with subscribers allocates nothing).

use std::any::Any;
use std::cell::Cell;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::core::value_slot::SharedValue;
use crate::graph::state::Sub;

thread_local! {
    static POOL: Cell<Notes> = Cell::new(Notes::default());
}

/// The subscriber calls of one round.
#[derive(Default)]
pub(crate) struct Notes {
    /// One per subscriber to call, in subscription order once sorted.
    calls: Vec<Call>,
    /// One per changed node: its subscriber list as the round found it (one reference count for the
    /// whole list, not one per subscriber) and its value.
    groups: Vec<(Arc<Vec<Sub>>, SharedValue)>,
}

struct Call {
    seq: u64,
    group: u32,
    index: u32,
}

impl Notes {
    /// Empty lists, with the capacity of the last ones this thread used.
    pub(crate) fn take() -> Notes {
        POOL.with(Cell::take)
    }

    /// Calls every subscriber in `subs` with `value`.
    pub(crate) fn add(&mut self, subs: &Arc<Vec<Sub>>, value: SharedValue) {
        let group = u32::try_from(self.groups.len()).expect("fewer than u32::MAX changed atoms in a round");
        self.calls.extend(subs.iter().enumerate().map(|(i, s)| Call {
            seq: s.seq,
            group,
            index: u32::try_from(i).expect("fewer than u32::MAX subscribers of one atom"),
        }));
        self.groups.push((subs.clone(), value));
    }

    /// Puts the calls in subscription order.
    pub(crate) fn sort(&mut self) {
        if self.calls.len() > 1 {
            self.calls.sort_by_key(|c| c.seq);
        }
    }
}

/// Calls every subscriber still subscribed, even if one panics; the first panic is raised again after
/// all have run.
pub(crate) fn run(mut notes: Notes, mut panic: Option<Box<dyn Any + Send>>) {
    for call in &notes.calls {
        let (subs, value) = &notes.groups[call.group as usize];
        let sub = &subs[call.index as usize].sub;
        if sub.alive.load(Ordering::Acquire) {
            if let Err(p) = catch_unwind(AssertUnwindSafe(|| (sub.f)(value))) {
                panic.get_or_insert(p);
            }
        }
    }
    notes.calls.clear();
    notes.groups.clear();
    // A callback that changed a store on this thread may have used (and put back) lists meanwhile: keep
    // the larger ones.
    if notes.calls.capacity() > 0 {
        POOL.with(|p| {
            let other = p.take();
            p.set(if other.calls.capacity() > notes.calls.capacity() { other } else { notes });
        });
    }
    if let Some(p) = panic {
        resume_unwind(p);
    }
}
