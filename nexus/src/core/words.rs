//! Lock-free reads of word-sized primitive values: `get` of an integer, a float, a `bool` or a `char`
//! without taking the store's lock.
//!
//! A store keeps, beside its locked state, one cell per primitive atom whose value type is one of those
//! (declared or run-time, not `Global`, among the first [`CAPACITY`] slots of its owner): the atom's id
//! and its current value as a `u64`. Every write of such a value, made under the store's write lock,
//! stores the new bits into the cell before the lock is released; `get` loads the id and the bits with
//! no atomic read-modify-write at all (a plain load on x86 and ARM), where the lock costs two.
//!
//! Why this is correct:
//! - A cell is valid for the atom whose full id (slot, generation, kind) it holds. The id is stored
//!   (`Release`) after the first bits, so a reader that finds its id (`Acquire`) sees bits at least that
//!   new; later writes store bits only.
//! - A cell changes hands only when its slot goes to a new run-time atom, and a slot is reused only
//!   after the atom that had it died, that is after its last handle was dropped. A reader reads through a
//!   handle, so the atom it reads is alive and its cell is its own for the whole read.
//! - Each cell is one atomic word per value, written under the store's lock: a read returns a value some
//!   write stored, and never an older value than one the reading thread saw before (per-location
//!   coherence). A `set` followed by a `get` on one thread sees the set; values set by one thread in an
//!   order are seen by another in that order (`Release` stores, `Acquire` loads).
//! - As with the lock, a read on another thread may see part of a batch that is still running: a batch
//!   defers notifications and is one step of history, not a transaction across threads.
//!
//! No `unsafe`: values go to and from bits through the [`Word`] conversions of the word types (the
//! variants of `value_slot::Inline`, one list for both), chosen by `TypeId`, which
//! the compiler resolves for each concrete type (a `get` of a `String` has no trace of this path).

use std::any::Any;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use crate::core::info::{AtomId, AtomKind};
use crate::core::value_slot::Inline;

/// How many slots of an owner's space have cells: the first [`CHUNK`] in the table itself (made on the
/// first publish, behind one pointer: an empty store stays within its 256 bytes, and a store that holds
/// no word value allocates nothing for them), the others in chunks made on first use.
const CAPACITY: usize = CHUNK * CHUNKS;
const CHUNK: usize = 16;
const CHUNKS: usize = 16;

type Chunk = [Cell; CHUNK];

#[derive(Default)]
struct Table {
    /// Slots 0 to 15: most atoms of a store type (its slots are numbered in the order of first use).
    first: Chunk,
    more: [OnceLock<Box<Chunk>>; CHUNKS - 1],
}

#[derive(Default)]
struct Cell {
    /// The packed id of the atom whose value `bits` is (0: none yet).
    id: AtomicU64,
    bits: AtomicU64,
}

/// What [`Words::read`] found.
pub(crate) enum Read<T> {
    /// The atom's current value.
    Value(T),
    /// A primitive atom of a word type that would have a cell: this store has not registered it yet.
    Unregistered,
    /// The atom has no cell (not a primitive of a word type, `Global`, or beyond the cells): read it
    /// under the lock.
    NoCell,
}

/// One store's cells (see the module documentation).
#[derive(Default)]
pub(crate) struct Words {
    table: OnceLock<Box<Table>>,
}

impl Words {
    /// What this store's cells say of `id` (for a word type `T`).
    #[inline]
    pub(crate) fn read<T: Clone + 'static>(&self, id: AtomId) -> Read<T> {
        if !is_word::<T>()
            || id.global()
            || id.kind() != AtomKind::Primitive
            || id.index() as usize >= CAPACITY
        {
            return Read::NoCell;
        }
        let Some(cell) = self.cell(id) else { return Read::Unregistered };
        if cell.id.load(Ordering::Acquire) != id.bits() {
            return Read::Unregistered;
        }
        match from_word::<T>(cell.bits.load(Ordering::Acquire)) {
            Some(v) => Read::Value(v),
            None => Read::NoCell,
        }
    }

    #[inline]
    fn cell(&self, id: AtomId) -> Option<&Cell> {
        let i = id.index() as usize;
        let table = self.table.get()?;
        let chunk = match i / CHUNK {
            0 => &table.first,
            n => table.more[n - 1].get()?,
        };
        Some(&chunk[i % CHUNK])
    }

    /// Records `value` as the current value of primitive atom `id` (call with the store's write lock held,
    /// after every write of the value).
    #[inline]
    pub(crate) fn publish<T: 'static>(&self, id: AtomId, value: &T) {
        if let Some(bits) = to_word(value) {
            self.put(id, bits);
        }
    }

    /// [`publish`](Self::publish) of a value in a slot (a word-sized value is held in it by value).
    #[inline]
    pub(crate) fn publish_slot(&self, id: AtomId, value: &crate::core::value_slot::ValueSlot) {
        if let Some(bits) = value.word_bits() {
            self.put(id, bits);
        }
    }

    /// [`publish`](Self::publish) of a value whose type is known only at run time.
    #[inline]
    pub(crate) fn publish_any(&self, id: AtomId, value: &(dyn Any + Send + Sync)) {
        if let Some(bits) = any_to_word(value) {
            self.put(id, bits);
        }
    }

    #[inline]
    fn put(&self, id: AtomId, bits: u64) {
        let i = id.index() as usize;
        if id.global() || i >= CAPACITY {
            return;
        }
        let table = self.table.get_or_init(Box::default);
        let chunk = match i / CHUNK {
            0 => &table.first,
            n => &**table.more[n - 1].get_or_init(Box::default),
        };
        let cell = &chunk[i % CHUNK];
        cell.bits.store(bits, Ordering::Release);
        if cell.id.load(Ordering::Relaxed) != id.bits() {
            // First value of this atom here (or of a new atom in a dead one's slot): the id goes last.
            cell.id.store(id.bits(), Ordering::Release);
        }
    }
}

/// How a word type ([`Inline`]'s variants) is stored in a cell: as a `u64`, losslessly both ways.
pub(crate) trait Word: Copy + 'static {
    fn to_bits(self) -> u64;
    fn from_bits(bits: u64) -> Self;
}

macro_rules! word_int {
    ($($t:ty),*) => {$(
        impl Word for $t {
            #[inline]
            #[allow(clippy::cast_sign_loss, clippy::cast_lossless)] // bits kept as they are
            fn to_bits(self) -> u64 {
                self as u64
            }
            #[inline]
            #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)] // the bits `to_bits` stored
            fn from_bits(bits: u64) -> Self {
                bits as $t
            }
        }
    )*};
}

word_int!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

impl Word for bool {
    #[inline]
    fn to_bits(self) -> u64 {
        u64::from(self)
    }
    #[inline]
    fn from_bits(bits: u64) -> Self {
        bits != 0
    }
}

impl Word for char {
    #[inline]
    fn to_bits(self) -> u64 {
        u64::from(self)
    }
    #[inline]
    fn from_bits(bits: u64) -> Self {
        // Only `to_bits` of a `char` is ever stored for a `char` atom.
        u32::try_from(bits).ok().and_then(char::from_u32).unwrap_or_default()
    }
}

impl Word for f32 {
    #[inline]
    fn to_bits(self) -> u64 {
        u64::from(f32::to_bits(self))
    }
    #[inline]
    fn from_bits(bits: u64) -> Self {
        #[allow(clippy::cast_possible_truncation)] // the 32 bits `to_bits` stored
        f32::from_bits(bits as u32)
    }
}

impl Word for f64 {
    #[inline]
    fn to_bits(self) -> u64 {
        f64::to_bits(self)
    }
    #[inline]
    fn from_bits(bits: u64) -> Self {
        f64::from_bits(bits)
    }
}

/// Whether `T` is a word type: one of [`Inline`]'s (resolved at compile time for each `T`).
#[inline]
pub(crate) fn is_word<T: 'static>() -> bool {
    Inline::is::<T>()
}

#[inline]
fn to_word<T: 'static>(value: &T) -> Option<u64> {
    Inline::of(value).map(Inline::bits)
}

#[inline]
fn any_to_word(value: &dyn Any) -> Option<u64> {
    Inline::of_any(value).map(Inline::bits)
}

#[inline]
fn from_word<T: 'static + Clone>(bits: u64) -> Option<T> {
    Inline::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_type_round_trips_and_others_are_not_words() {
        fn round<T: Word + PartialEq + std::fmt::Debug>(v: T) {
            assert_eq!(from_word::<T>(to_word(&v).expect("a word type")), Some(v));
        }
        round(u8::MAX);
        round(i8::MIN);
        round(-1i16);
        round(u32::MAX - 1);
        round(i32::MIN);
        round(u64::MAX);
        round(i64::MIN);
        round(usize::MAX);
        round(-7isize);
        round(true);
        round(false);
        round('€');
        round(-0.5f32);
        round(f64::NEG_INFINITY);
        assert!(is_word::<u64>() && is_word::<char>());
        assert!(!is_word::<String>() && !is_word::<(u8, u8)>() && !is_word::<Option<u64>>());
        assert_eq!(to_word(&String::new()), None);
        assert_eq!(from_word::<String>(0), None);
    }

    #[test]
    fn a_cell_answers_only_for_its_atom() {
        use crate::core::info::AtomKind;
        let words = Words::default();
        let a = AtomId::new(false, 3, 1, AtomKind::Primitive);
        let a_next = AtomId::new(false, 3, 2, AtomKind::Primitive);
        let value = |r: Read<u64>| match r {
            Read::Value(v) => Some(v),
            Read::Unregistered => None,
            Read::NoCell => Some(u64::MAX),
        };
        assert_eq!(value(words.read::<u64>(a)), None, "nothing published yet");
        words.publish(a, &7u64);
        assert_eq!(value(words.read::<u64>(a)), Some(7));
        assert_eq!(value(words.read::<u64>(a_next)), None, "another generation of the slot");
        words.publish(a_next, &9u64);
        assert_eq!(value(words.read::<u64>(a_next)), Some(9));
        assert_eq!(value(words.read::<u64>(a)), None, "the slot went to the new atom");
        assert!(matches!(words.read::<String>(a), Read::NoCell), "not a word type");
        let derived = AtomId::new(false, 4, 1, AtomKind::Computed);
        assert!(matches!(words.read::<u64>(derived), Read::NoCell), "derived atoms are read under the lock");
        let far = AtomId::new(false, u32::try_from(CAPACITY).unwrap(), 1, AtomKind::Primitive);
        words.publish(far, &1u64);
        assert!(matches!(words.read::<u64>(far), Read::NoCell), "beyond the cells");
        let global = AtomId::new(true, 3, 1, AtomKind::Primitive);
        words.publish(global, &1u64);
        assert!(matches!(words.read::<u64>(global), Read::NoCell), "`Global` atoms have no cells");
    }
}
