//! Batches: per store and per thread, so that callbacks still run on the thread that made the change.

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use crate::graph::observe::ActionRun;
use crate::graph::state::Round;

struct Frame {
    store: usize,
    depth: u32,
    /// Taken out while the store works on it (so user code may open batches meanwhile).
    round: Option<Round>,
    /// The actions running in this batch, innermost last (only while a plugin watches the store: their
    /// changes are reported under them).
    actions: Vec<Arc<ActionRun>>,
}

thread_local! {
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
    /// How many batches this thread has open, on any store: the hot path only reads this.
    static OPEN: Cell<usize> = const { Cell::new(0) };
}

/// Whether this thread has any batch open.
#[inline]
pub(crate) fn any_open() -> bool {
    OPEN.with(Cell::get) != 0
}

/// The open round of this thread's batch on `store`, if any; give it back with [`put_round`].
#[inline]
pub(crate) fn take_round(store: usize) -> Option<Round> {
    if !any_open() {
        return None;
    }
    FRAMES.with(|f| {
        let mut frames = f.borrow_mut();
        if frames.is_empty() {
            return None;
        }
        frames.iter_mut().rev().find(|fr| fr.store == store).and_then(|fr| fr.round.take())
    })
}

pub(crate) fn put_round(store: usize, round: Round) {
    FRAMES.with(|f| {
        if let Some(fr) = f.borrow_mut().iter_mut().rev().find(|fr| fr.store == store) {
            fr.round = Some(round);
        }
    });
}

/// Opens (or nests) a batch; returns whether it is the outermost one.
pub(crate) fn enter(store: usize, start: impl FnOnce() -> Round) -> bool {
    let open = FRAMES.with(|f| {
        let mut frames = f.borrow_mut();
        if let Some(fr) = frames.iter_mut().rev().find(|fr| fr.store == store) {
            fr.depth += 1;
            true
        } else {
            false
        }
    });
    if open {
        return false;
    }
    let round = start();
    FRAMES.with(|f| f.borrow_mut().push(Frame { store, depth: 1, round: Some(round), actions: Vec::new() }));
    OPEN.with(|o| o.set(o.get() + 1));
    true
}

/// Closes one level; returns the round when the outermost batch ends.
pub(crate) fn exit(store: usize) -> Option<Round> {
    FRAMES.with(|f| {
        let mut frames = f.borrow_mut();
        let pos = frames.iter().rposition(|fr| fr.store == store)?;
        frames[pos].depth -= 1;
        if frames[pos].depth == 0 {
            OPEN.with(|o| o.set(o.get() - 1));
            frames.remove(pos).round
        } else {
            None
        }
    })
}

/// The innermost action running in this thread's batch on `store`, if one is recorded.
pub(crate) fn current_action(store: usize) -> Option<Arc<ActionRun>> {
    if !any_open() {
        return None;
    }
    FRAMES.with(|f| f.borrow().iter().rev().find(|fr| fr.store == store)?.actions.last().cloned())
}

/// The id of the round of this thread's open batch on `store` (while no operation has it taken out).
pub(crate) fn round_id(store: usize) -> Option<u64> {
    FRAMES.with(|f| f.borrow().iter().rev().find(|fr| fr.store == store)?.round.as_ref().map(|r| r.id))
}

/// Records `run` as the innermost action of this thread's open batch on `store`.
pub(crate) fn push_action(store: usize, run: Arc<ActionRun>) {
    FRAMES.with(|f| {
        if let Some(fr) = f.borrow_mut().iter_mut().rev().find(|fr| fr.store == store) {
            fr.actions.push(run);
        }
    });
}

/// Ends the innermost action recorded in this thread's batch on `store`.
pub(crate) fn pop_action(store: usize) {
    FRAMES.with(|f| {
        if let Some(fr) = f.borrow_mut().iter_mut().rev().find(|fr| fr.store == store) {
            fr.actions.pop();
        }
    });
}
