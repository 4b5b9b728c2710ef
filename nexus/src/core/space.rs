//! Slot spaces: the dense index every atom gets within its owner (one space per store type, one for
//! `Global`), so that a store finds an atom's value by indexing, not hashing.
//!
//! Run-time atoms give their slot back when they die; the slot's generation is bumped so that a store
//! never mistakes a new atom for the dead one that had the same index.

use std::sync::Mutex;

/// A slot index and the generation of the atom that holds it. `gen` is never 0 and at most `AtomId::MAX_GEN` (it is
/// packed into an `AtomId` with the index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Slot {
    pub(crate) index: u32,
    pub(crate) gen: u32,
}

/// The slot allocator of one owner (a store type or `Global`). Generated code creates one per store
/// type in a `static`; users never name it.
#[doc(hidden)]
#[derive(Debug)]
pub struct SlotSpace {
    inner: Mutex<SpaceInner>,
}

#[derive(Debug)]
struct SpaceInner {
    next: u32,
    free: Vec<Slot>,
}

impl SlotSpace {
    /// An empty space (usable in a `static`).
    #[allow(clippy::new_without_default)] // only ever created in statics by generated code
    pub const fn new() -> Self {
        SlotSpace { inner: Mutex::new(SpaceInner { next: 0, free: Vec::new() }) }
    }

    pub(crate) fn alloc(&self) -> Slot {
        let mut inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(slot) = inner.free.pop() {
            return slot;
        }
        let index = inner.next;
        inner.next = index.checked_add(1).expect("more than u32::MAX atoms alive for one owner");
        Slot { index, gen: 1 }
    }

    /// Gives a slot back; the next atom to get this index sees a new generation.
    pub(crate) fn release(&self, slot: Slot) {
        let mut inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // A generation that would not fit an `AtomId` retires the index instead of risking confusion.
        if slot.gen < crate::core::info::AtomId::MAX_GEN {
            inner.free.push(Slot { index: slot.index, gen: slot.gen + 1 });
        }
    }
}
