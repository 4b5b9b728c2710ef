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
    static POOL: Cell<Lists> = Cell::new(Lists::default());
}

/// The subscriber calls of one round.
///
/// Most rounds change one observed atom: its subscriber list is already in subscription order, and is
/// called as it is (no call list, no sort, no visit to the per-thread pool: a third of a `set` with
/// one subscriber went there). A round that changes several observed atoms interleaves their
/// subscribers by subscription order.
#[derive(Default)]
pub(crate) enum Notes {
    #[default]
    None,
    /// One changed node: its subscriber list as the round found it (one reference count for the whole
    /// list, not one per subscriber), its value and the change's stamp.
    One(Group),
    Many(Lists),
}

type Group = (Arc<Vec<Sub>>, SharedValue, u64);

/// The calls of a round that changed several observed atoms (lists reused through the per-thread pool).
#[derive(Default)]
pub(crate) struct Lists {
    /// One per subscriber to call, in subscription order once sorted.
    calls: Vec<Call>,
    /// One per changed node.
    groups: Vec<Group>,
}

struct Call {
    seq: u64,
    group: u32,
    index: u32,
}

impl Lists {
    #[inline]
    fn add(&mut self, subs: &Arc<Vec<Sub>>, value: SharedValue, stamp: u64) {
        let group = u32::try_from(self.groups.len()).expect("fewer than u32::MAX changed atoms in a round");
        self.calls.extend(subs.iter().enumerate().map(|(i, s)| Call {
            seq: s.seq,
            group,
            index: u32::try_from(i).expect("fewer than u32::MAX subscribers of one atom"),
        }));
        self.groups.push((subs.clone(), value, stamp));
    }
}

impl Notes {
    /// Calls every subscriber in `subs` with `value` and the change's `stamp`.
    #[inline]
    pub(crate) fn add(&mut self, subs: &Arc<Vec<Sub>>, value: SharedValue, stamp: u64) {
        match self {
            Notes::Many(lists) => lists.add(subs, value, stamp),
            Notes::None => *self = Notes::One((subs.clone(), value, stamp)),
            Notes::One(_) => self.second(subs, value, stamp),
        }
    }

    /// A second changed node: the calls go to lists, to be put in subscription order.
    #[cold]
    fn second(&mut self, subs: &Arc<Vec<Sub>>, value: SharedValue, stamp: u64) {
        let Notes::One((first, first_value, first_stamp)) = std::mem::take(self) else {
            unreachable!("called on `One`")
        };
        // Empty lists with the capacity of the last ones this thread used.
        let mut lists = POOL.with(Cell::take);
        lists.add(&first, first_value, first_stamp);
        lists.add(subs, value, stamp);
        *self = Notes::Many(lists);
    }

    /// Puts the calls in subscription order.
    pub(crate) fn sort(&mut self) {
        if let Notes::Many(lists) = self {
            lists.calls.sort_by_key(|c| c.seq);
        }
    }
}

/// Calls every subscriber still subscribed, even if one panics; the first panic is raised again after
/// all have run.
pub(crate) fn run(notes: Notes, panic: Option<Box<dyn Any + Send>>) {
    if let Some(p) = call(notes, panic) {
        resume_unwind(p);
    }
}

/// [`run`], returning the first panic instead of raising it.
pub(crate) fn call(notes: Notes, mut panic: Option<Box<dyn Any + Send>>) -> Option<Box<dyn Any + Send>> {
    match notes {
        Notes::None => {}
        Notes::One((subs, value, stamp)) => {
            for s in subs.iter() {
                call_one(s, &value, stamp, &mut panic);
            }
        }
        Notes::Many(mut lists) => {
            for c in &lists.calls {
                let (subs, value, stamp) = &lists.groups[c.group as usize];
                call_one(&subs[c.index as usize], value, *stamp, &mut panic);
            }
            lists.calls.clear();
            lists.groups.clear();
            // A callback that changed a store on this thread may have used (and put back) lists
            // meanwhile: keep the larger ones.
            POOL.with(|p| {
                let other = p.take();
                p.set(if other.calls.capacity() > lists.calls.capacity() { other } else { lists });
            });
        }
    }
    panic
}

/// Calls one subscriber unless it unsubscribed meanwhile; keeps the first panic.
#[inline]
fn call_one(s: &Sub, value: &SharedValue, stamp: u64, panic: &mut Option<Box<dyn Any + Send>>) {
    let sub = &s.sub;
    if sub.alive.load(Ordering::Acquire) {
        if let Err(p) = catch_unwind(AssertUnwindSafe(|| (sub.f)(value, stamp))) {
            panic.get_or_insert(p);
        }
    }
}
