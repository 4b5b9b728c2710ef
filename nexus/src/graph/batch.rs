//! Batches: per store and per thread, so that callbacks still run on the thread that made the change.

use std::cell::{Cell, RefCell};

use crate::graph::state::Round;

struct Frame {
    store: usize,
    depth: u32,
    /// Taken out while the store works on it (so user code may open batches meanwhile).
    round: Option<Round>,
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
    FRAMES.with(|f| f.borrow_mut().push(Frame { store, depth: 1, round: Some(round) }));
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
