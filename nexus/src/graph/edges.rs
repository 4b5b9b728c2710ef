//! A node's edges: the local slots of its sources, or of its observers, in 16 bytes of the node.
//!
//! Most nodes have one or two of each (a primitive has no sources at all), so up to three are held in
//! the node itself and evaluating one reads no other memory for them (a cache miss each, beyond the
//! cache: cellx with 1,000 layers). More go behind one pointer. A `SmallVec<[u32; 4]>` takes 24
//! bytes for the same; with two lists a node, the 16 saved are a tenth of a node (issue 33: memory per
//! atom). No `unsafe`: the inline variant's length is a byte and its items sit beside it, where the
//! enum's tag leaves room.

use std::ops::{Deref, DerefMut};

/// How many edges the node holds in itself.
const INLINE: usize = 3;

/// A list of local slots (see the module documentation). Derefs to `[u32]`.
#[derive(Clone)]
pub(crate) enum Edges {
    Few {
        len: u8,
        items: [u32; INLINE],
    },
    /// More than [`INLINE`] at some point (it does not move back: lists that grew tend to grow again).
    /// Boxed on purpose: a thin pointer is what keeps the list at 16 bytes (a `Vec` alone takes 24).
    #[allow(clippy::box_collection)]
    Many(Box<Vec<u32>>),
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Edges>() == 16);

impl Default for Edges {
    #[inline]
    fn default() -> Self {
        Edges::Few { len: 0, items: [0; INLINE] }
    }
}

impl Edges {
    #[inline]
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn from_slice(slice: &[u32]) -> Self {
        if slice.len() <= INLINE {
            let mut items = [0; INLINE];
            items[..slice.len()].copy_from_slice(slice);
            #[allow(clippy::cast_possible_truncation)] // at most INLINE
            Edges::Few { len: slice.len() as u8, items }
        } else {
            Edges::Many(Box::new(slice.to_vec()))
        }
    }

    pub(crate) fn from_vec(vec: Vec<u32>) -> Self {
        if vec.len() <= INLINE {
            Self::from_slice(&vec)
        } else {
            Edges::Many(Box::new(vec))
        }
    }

    // `len`, `get` and indexing by one position, here and not only through `Deref`: the evaluation's
    // frames use them on every level of a nested first read, and in an unoptimised build each slice
    // made by a `Deref` on the way is a slot of its own in those frames (measured in Chromium: 128
    // bytes more of the shadow stack a level without these).

    #[inline]
    pub(crate) fn len(&self) -> usize {
        match self {
            Edges::Few { len, .. } => usize::from(*len),
            Edges::Many(vec) => vec.len(),
        }
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub(crate) fn get(&self, at: usize) -> Option<&u32> {
        (**self).get(at)
    }

    /// The list as a `Vec`, moved to the heap (a fourth edge, or an insertion that needs one).
    #[cold]
    fn spill(&mut self) -> &mut Vec<u32> {
        if let Edges::Few { len, items } = *self {
            let mut vec = Vec::with_capacity(2 * INLINE);
            vec.extend_from_slice(&items[..usize::from(len)]);
            *self = Edges::Many(Box::new(vec));
        }
        match self {
            Edges::Many(vec) => vec,
            Edges::Few { .. } => unreachable!("spilled just above"),
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, slot: u32) {
        match self {
            Edges::Few { len, items } if usize::from(*len) < INLINE => {
                items[usize::from(*len)] = slot;
                *len += 1;
            }
            _ => self.spill().push(slot),
        }
    }

    pub(crate) fn insert(&mut self, at: usize, slot: u32) {
        match self {
            Edges::Few { len, items } if usize::from(*len) < INLINE => {
                let n = usize::from(*len);
                assert!(at <= n, "insertion index (is {at}) should be <= len (is {n})");
                items.copy_within(at..n, at + 1);
                items[at] = slot;
                *len += 1;
            }
            _ => self.spill().insert(at, slot),
        }
    }

    /// Removes and returns the edge at `at` (panics if out of bounds, as `Vec::remove`).
    pub(crate) fn remove(&mut self, at: usize) -> u32 {
        match self {
            Edges::Few { len, items } => {
                let n = usize::from(*len);
                assert!(at < n, "removal index (is {at}) should be < len (is {n})");
                let slot = items[at];
                items.copy_within(at + 1..n, at);
                *len -= 1;
                slot
            }
            Edges::Many(vec) => vec.remove(at),
        }
    }

    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&u32) -> bool) {
        match self {
            Edges::Few { len, items } => {
                let mut kept = 0;
                for i in 0..usize::from(*len) {
                    if keep(&items[i]) {
                        items[kept] = items[i];
                        kept += 1;
                    }
                }
                #[allow(clippy::cast_possible_truncation)] // at most INLINE
                {
                    *len = kept as u8;
                }
            }
            Edges::Many(vec) => vec.retain(keep),
        }
    }
}

impl Deref for Edges {
    type Target = [u32];
    #[inline]
    fn deref(&self) -> &[u32] {
        match self {
            Edges::Few { len, items } => &items[..usize::from(*len)],
            Edges::Many(vec) => vec,
        }
    }
}

impl DerefMut for Edges {
    #[inline]
    fn deref_mut(&mut self) -> &mut [u32] {
        match self {
            Edges::Few { len, items } => &mut items[..usize::from(*len)],
            Edges::Many(vec) => vec,
        }
    }
}

impl<I: std::slice::SliceIndex<[u32]>> std::ops::Index<I> for Edges {
    type Output = I::Output;
    #[inline]
    fn index(&self, at: I) -> &I::Output {
        &(**self)[at]
    }
}

impl<'a> IntoIterator for &'a Edges {
    type Item = &'a u32;
    type IntoIter = std::slice::Iter<'a, u32>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation against a `Vec` doing the same, across the inline/heap boundary both ways.
    #[test]
    fn edges_match_a_vec() {
        let mut x = 99u64;
        let mut rand = move |m: u64| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) % m
        };
        let steps = if cfg!(miri) { 400 } else { 20_000 };
        let (mut edges, mut reference) = (Edges::new(), Vec::<u32>::new());
        for _ in 0..steps {
            #[allow(clippy::cast_possible_truncation)]
            let v = rand(8) as u32;
            match rand(7) {
                0 | 1 => {
                    edges.push(v);
                    reference.push(v);
                }
                2 => {
                    #[allow(clippy::cast_possible_truncation)]
                    let at = rand(reference.len() as u64 + 1) as usize;
                    edges.insert(at, v);
                    reference.insert(at, v);
                }
                3 if !reference.is_empty() => {
                    #[allow(clippy::cast_possible_truncation)]
                    let at = rand(reference.len() as u64) as usize;
                    assert_eq!(edges.remove(at), reference.remove(at));
                }
                4 => {
                    edges.retain(|&e| e != v);
                    reference.retain(|&e| e != v);
                }
                5 => {
                    let n = reference.len().min(usize::try_from(rand(5)).unwrap_or(0));
                    edges = if v % 2 == 0 {
                        Edges::from_slice(&reference[..n])
                    } else {
                        Edges::from_vec(reference[..n].to_vec())
                    };
                    reference.truncate(n);
                }
                _ => {
                    if let Some(first) = edges.first_mut() {
                        *first = v;
                        reference[0] = v;
                    }
                    edges = edges.clone();
                }
            }
            assert_eq!(&edges[..], &reference[..]);
            assert_eq!((&edges).into_iter().copied().collect::<Vec<_>>(), reference);
        }
    }

    #[test]
    #[should_panic(expected = "removal index")]
    fn remove_out_of_bounds_panics_like_a_vec() {
        let mut edges = Edges::from_slice(&[1, 2]);
        edges.remove(2);
    }
}
