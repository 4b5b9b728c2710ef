//! A store instance's map from an atom's identity to its local node: an open-addressing hash table
//! (linear probing, backward-shift deletion) sized by the atoms the instance holds, not by how many atoms
//! the program declares. So `Store::new()` and a first touch cost the same with 1 or 1,000 declared
//! atoms, and a lookup is one probe in the common case.
//!
//! An entry is only the local slot (4 bytes): the atom's id is read from the node it names, which the
//! caller passes as `key_of`. A lookup reads that node next anyway, so checking its id there costs about
//! what comparing a key kept in the entry did, and the table takes a quarter of the bytes (16-byte
//! entries were 32 of a touched atom's bytes at 1,000 atoms; issue 33).

use crate::core::info::AtomId;

/// The id's owner-wide part: slot index and `Global` bit (two generations of one slot share it).
const PLACE: u64 = (1 << 33) - 1;

/// One entry: its local slot, or [`EMPTY`].
type Entry = u32;

/// An empty entry. No node is there (a store holds fewer than `u32::MAX` atoms), so the lookup's bounds
/// check on the node list doubles as its check for an empty entry.
const EMPTY: Entry = u32::MAX;

#[derive(Default)]
pub(crate) struct SlotIndex {
    entries: Box<[Entry]>,
    len: u32,
}

impl SlotIndex {
    #[inline]
    fn home(&self, id: AtomId) -> usize {
        // Slots of one owner are dense small numbers handed out in order: the place itself spreads them
        // evenly (own atoms on even, `Global` ones on odd entries).
        #[allow(clippy::cast_possible_truncation)] // masked to the table's size
        let h = (id.bits() & PLACE) as usize & self.mask();
        h
    }

    /// `capacity - 1`; `usize::MAX` while empty, so that the first probe misses.
    #[inline]
    fn mask(&self) -> usize {
        self.entries.len().wrapping_sub(1)
    }

    /// The local slot of `id`, if this instance holds it. `key_of(l)` is the id of the atom at local
    /// slot `l` (every slot in the table holds a live node), `None` past the node list; `get` passes it
    /// [`EMPTY`] too.
    #[inline]
    pub(crate) fn get(&self, id: AtomId, key_of: impl Fn(u32) -> Option<AtomId>) -> Option<u32> {
        let i = self.home(id);
        let e = *self.entries.get(i)?;
        if key_of(e)? == id {
            return Some(e);
        }
        self.probe(id, i, key_of)
    }

    /// The rest of a lookup whose first probe met another atom.
    #[inline(never)]
    fn probe(&self, id: AtomId, mut i: usize, key_of: impl Fn(u32) -> Option<AtomId>) -> Option<u32> {
        loop {
            i = (i + 1) & self.mask();
            let e = self.entries[i];
            if key_of(e)? == id {
                return Some(e);
            }
        }
    }

    /// The id held for `id`'s slot, if any: the same atom or an older generation of its slot.
    pub(crate) fn same_place(&self, id: AtomId, key_of: impl Fn(u32) -> AtomId) -> Option<(AtomId, u32)> {
        if self.len == 0 {
            return None;
        }
        let mut i = self.home(id);
        loop {
            let e = self.entries[i];
            if e == EMPTY {
                return None;
            }
            let held = key_of(e);
            if held.bits() & PLACE == id.bits() & PLACE {
                return Some((held, e));
            }
            i = (i + 1) & self.mask();
        }
    }

    /// Adds `id` (which must not be present) at local slot `local`, whose node `key_of` already names.
    pub(crate) fn insert(&mut self, id: AtomId, local: u32, key_of: impl Fn(u32) -> AtomId) {
        debug_assert!(key_of(local) == id, "the node is in place before its entry");
        if (self.len as usize + 1) * 4 > self.entries.len() * 3 {
            self.grow(&key_of);
        }
        assert!(local != EMPTY, "fewer than u32::MAX atoms in one store");
        self.put(id, local);
        self.len += 1;
    }

    fn put(&mut self, id: AtomId, entry: Entry) {
        let mut i = self.home(id);
        while self.entries[i] != EMPTY {
            i = (i + 1) & self.mask();
        }
        self.entries[i] = entry;
    }

    #[cold]
    fn grow(&mut self, key_of: &impl Fn(u32) -> AtomId) {
        // 16 entries hold the 12 atoms most stores touch without growing.
        let capacity = (self.entries.len() * 2).max(16);
        let old = std::mem::replace(&mut self.entries, vec![EMPTY; capacity].into_boxed_slice());
        for &e in old.iter().filter(|&&e| e != EMPTY) {
            self.put(key_of(e), e);
        }
    }

    /// Removes `id` (its node still in place); whether it was present.
    pub(crate) fn remove(&mut self, id: AtomId, key_of: impl Fn(u32) -> AtomId) -> bool {
        if self.len == 0 {
            return false;
        }
        let mut i = self.home(id);
        loop {
            match self.entries[i] {
                EMPTY => return false,
                e if key_of(e) == id => break,
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
            if e == EMPTY {
                break;
            }
            let ideal = self.home(key_of(e));
            // `e` may fill the hole unless its home lies cyclically in (hole, j].
            let stays = if hole <= j { hole < ideal && ideal <= j } else { hole < ideal || ideal <= j };
            if !stays {
                self.entries[hole] = e;
                hole = j;
            }
        }
        self.entries[hole] = EMPTY;
        self.len -= 1;
        true
    }
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
        // The "nodes": the id at each local slot (a slot is never reused here).
        let mut nodes: Vec<AtomId> = Vec::new();
        // A deterministic mix of inserts and removals over a few hundred places, both owners.
        let mut x = 12345u64;
        // (Fewer steps under Miri, which runs this file's unit tests with the value slots': ~100× slower.)
        let steps = if cfg!(miri) { 600 } else { 20_000u32 };
        for step in 0..steps {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            #[allow(clippy::cast_possible_truncation)]
            let a = id((x >> 40) as u32 % 300, 1 + (x >> 20) as u32 % 3, x & 1 == 1);
            if let std::collections::hash_map::Entry::Vacant(v) = reference.entry(a) {
                if index.same_place(a, |l| nodes[l as usize]).is_none() {
                    v.insert(step);
                    nodes.resize(step as usize + 1, AtomId::from_bits(0));
                    nodes[step as usize] = a;
                    index.insert(a, step, |l| nodes[l as usize]);
                }
            } else {
                assert!(index.remove(a, |l| nodes[l as usize]));
                reference.remove(&a);
            }
            if step % 97 == 0 {
                for (k, &v) in &reference {
                    assert_eq!(index.get(*k, |l| nodes.get(l as usize).copied()), Some(v));
                }
                assert_eq!(index.len as usize, reference.len());
            }
        }
        for (k, &v) in &reference {
            let key_of = |l: u32| nodes[l as usize];
            assert_eq!(index.get(*k, |l| nodes.get(l as usize).copied()), Some(v));
            assert_eq!(index.same_place(id(k.index(), k.gen() + 7, k.global()), key_of), Some((*k, v)));
            let missing = id(k.index(), k.gen() + 7, k.global());
            assert_eq!(index.get(missing, |l| nodes.get(l as usize).copied()), None);
        }
    }
}
