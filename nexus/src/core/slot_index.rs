//! A store instance's map from an atom's identity to its local node: an open-addressing hash table
//! (linear probing, backward-shift deletion) sized by the atoms the instance holds, not by how many atoms
//! the program declares. So `Store::new()` and a first touch cost the same with 1 or 1,000 declared
//! atoms, and a lookup is one probe in the common case.

use crate::core::info::AtomId;

/// One entry: the packed atom id (0 = empty) and its local slot.
#[derive(Clone, Copy, Default)]
struct Entry {
    key: u64,
    local: u32,
}

/// The id's owner-wide part: slot index and `Global` bit (two generations of one slot share it).
const PLACE: u64 = (1 << 33) - 1;

#[inline]
fn pack(id: AtomId) -> u64 {
    // Never 0 (the empty mark): see `AtomId`.
    id.bits()
}

#[derive(Default)]
pub(crate) struct SlotIndex {
    entries: Box<[Entry]>,
    len: usize,
}

impl SlotIndex {
    #[inline]
    fn home(&self, key: u64) -> usize {
        // Slots of one owner are dense small numbers handed out in order: the place itself spreads them
        // evenly (own atoms on even, `Global` ones on odd entries).
        #[allow(clippy::cast_possible_truncation)] // masked to the table's size
        let h = (key & PLACE) as usize & self.mask();
        h
    }

    /// `capacity - 1`; `usize::MAX` while empty, so that the first probe misses.
    #[inline]
    fn mask(&self) -> usize {
        self.entries.len().wrapping_sub(1)
    }

    /// The local slot of `id`, if this instance holds it.
    #[inline]
    pub(crate) fn get(&self, id: AtomId) -> Option<u32> {
        let key = pack(id);
        let i = self.home(key);
        let e = self.entries.get(i)?;
        if e.key == key {
            return Some(e.local);
        }
        if e.key == 0 {
            return None;
        }
        self.probe(key, i)
    }

    /// The rest of a lookup whose first probe met another atom.
    #[inline(never)]
    fn probe(&self, key: u64, mut i: usize) -> Option<u32> {
        loop {
            i = (i + 1) & self.mask();
            let e = self.entries[i];
            if e.key == key {
                return Some(e.local);
            }
            if e.key == 0 {
                return None;
            }
        }
    }

    /// The id held for `id`'s slot, if any: the same atom or an older generation of its slot.
    pub(crate) fn same_place(&self, id: AtomId) -> Option<(AtomId, u32)> {
        if self.len == 0 {
            return None;
        }
        let key = pack(id);
        let mut i = self.home(key);
        loop {
            let e = self.entries[i];
            if e.key == 0 {
                return None;
            }
            if e.key & PLACE == key & PLACE {
                return Some((unpack(e.key), e.local));
            }
            i = (i + 1) & self.mask();
        }
    }

    /// Adds `id` (which must not be present) at local slot `local`.
    pub(crate) fn insert(&mut self, id: AtomId, local: u32) {
        if (self.len + 1) * 4 > self.entries.len() * 3 {
            self.grow();
        }
        self.put(Entry { key: pack(id), local });
        self.len += 1;
    }

    fn put(&mut self, entry: Entry) {
        let mut i = self.home(entry.key);
        while self.entries[i].key != 0 {
            i = (i + 1) & self.mask();
        }
        self.entries[i] = entry;
    }

    #[cold]
    fn grow(&mut self) {
        // 16 entries (256 bytes) hold the 12 atoms most stores touch without growing.
        let capacity = (self.entries.len() * 2).max(16);
        let old = std::mem::replace(&mut self.entries, vec![Entry::default(); capacity].into_boxed_slice());
        for e in old.iter().filter(|e| e.key != 0) {
            self.put(*e);
        }
    }

    /// Removes `id`; whether it was present.
    pub(crate) fn remove(&mut self, id: AtomId) -> bool {
        if self.len == 0 {
            return false;
        }
        let key = pack(id);
        let mut i = self.home(key);
        loop {
            match self.entries[i].key {
                0 => return false,
                k if k == key => break,
                _ => i = (i + 1) & self.mask(),
            }
        }
        // Backward-shift deletion: move later entries of the probe run into the hole when their home
        // allows it, so that lookups never need tombstones.
        let mut hole = i;
        let mut j = i;
        loop {
            j = (j + 1) & self.mask();
            let e = self.entries[j];
            if e.key == 0 {
                break;
            }
            let ideal = self.home(e.key);
            // `e` may fill the hole unless its home lies cyclically in (hole, j].
            let stays = if hole <= j { hole < ideal && ideal <= j } else { hole < ideal || ideal <= j };
            if !stays {
                self.entries[hole] = e;
                hole = j;
            }
        }
        self.entries[hole] = Entry::default();
        self.len -= 1;
        true
    }
}

fn unpack(key: u64) -> AtomId {
    AtomId::from_bits(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(index: u32, gen: u32, global: bool) -> AtomId {
        AtomId::new(global, index, gen, crate::core::info::AtomKind::Primitive)
    }

    #[test]
    fn insert_get_remove_match_a_reference_map() {
        let mut index = SlotIndex::default();
        let mut reference = std::collections::HashMap::new();
        // A deterministic mix of inserts and removals over a few hundred places, both owners.
        let mut x = 12345u64;
        // (Fewer steps under Miri, which runs this file's unit tests with the value slots': ~100× slower.)
        let steps = if cfg!(miri) { 600 } else { 20_000u32 };
        for step in 0..steps {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            #[allow(clippy::cast_possible_truncation)]
            let a = id((x >> 40) as u32 % 300, 1 + (x >> 20) as u32 % 3, x & 1 == 1);
            if let std::collections::hash_map::Entry::Vacant(v) = reference.entry(a) {
                if index.same_place(a).is_none() {
                    v.insert(step);
                    index.insert(a, step);
                }
            } else {
                assert!(index.remove(a));
                reference.remove(&a);
            }
            if step % 97 == 0 {
                for (k, &v) in &reference {
                    assert_eq!(index.get(*k), Some(v));
                }
                assert_eq!(index.len, reference.len());
            }
        }
        for (k, &v) in &reference {
            assert_eq!(index.get(*k), Some(v));
            assert_eq!(index.same_place(id(k.index(), k.gen() + 7, k.global())), Some((*k, v)));
            assert_eq!(index.get(id(k.index(), k.gen() + 7, k.global())), None);
        }
    }
}
