//! The `s` argument of read functions: [`Reader`], which reads atoms and records them as dependencies
//! ([`ReadCtx`] is its untyped side).

use std::any::Any;
use std::marker::PhantomData;

use crate::core::info::AtomId;
use crate::core::owner::{Owner, UsableIn};
use crate::core::value_slot::Inline;
use crate::graph::access::{AtomRef, HandleDyn, Readable};
use crate::graph::host::Host;
use crate::graph::state::State;

/// The untyped evaluation context of one read function: the store's state and the sources read so far.
#[doc(hidden)]
pub struct ReadCtx<'a> {
    st: &'a mut State,
    host: &'a dyn Host,
    /// The node being evaluated.
    node: u32,
    /// How many sources read so far match the node's previous sources, in order. While they all do
    /// (the common case: dependencies rarely change), nothing is recorded anew.
    same: usize,
    /// Sources read so far, once they differ from the previous ones (a vector from the state's pool).
    sources: Option<Vec<u32>>,
    /// Marks nodes already recorded by this evaluation, so that recording is O(1); taken when the
    /// evaluation leaves its previous sources (0 until then: most evaluations never do).
    mark: u64,
    /// The last two atoms this evaluation read, newest first (packed ids; 0 = empty), and their local
    /// slots. A read function that reads an atom again and again, or switches between two (a condition
    /// and a branch), finds it here. (Two, not four: remembering a read is then two moves, not a ring's
    /// update, ~4 % of a deep chain's instructions; other reads again find their atom among the
    /// sources read so far, see `other_read`.)
    recent: [u64; 2],
    recent_local: [u32; 2],
    /// The newest one's value once it is read again, when word-sized (a copy: a value cannot change
    /// while a read function runs), so that reading it again and again (in a loop) does not go to its
    /// node each time.
    word: Option<Inline>,
}

/// What an evaluation read, for [`State::finish_sources`].
pub(crate) enum SourcesRead {
    /// The first `n` previous sources, in order (all of them: nothing changed).
    Prefix(usize),
    /// A different list.
    Changed(Vec<u32>),
}

/// Up to how many previous sources a read that is not the next one is looked for among those read
/// already (a read of an atom read before, not the last one), before leaving them.
const REREAD_SCAN: usize = 8;

impl<'a> ReadCtx<'a> {
    #[inline]
    fn new(st: &'a mut State, host: &'a dyn Host, node: u32) -> Self {
        ReadCtx {
            st,
            host,
            node,
            same: 0,
            sources: None,
            mark: 0,
            recent: [0; 2],
            recent_local: [0; 2],
            word: None,
        }
    }

    /// The state back, with what this evaluation read.
    pub(crate) fn into_parts(self) -> (&'a mut State, SourcesRead) {
        let read = match self.sources {
            Some(sources) => SourcesRead::Changed(sources),
            None => SourcesRead::Prefix(self.same),
        };
        (self.st, read)
    }

    /// Records `l` (not read before in this evaluation) as the next source read.
    #[inline]
    fn record(&mut self, l: u32) {
        if let Some(sources) = &mut self.sources {
            sources.push(l);
        } else {
            // The first read that differs from the previous evaluation's (`first_read` takes the matching
            // ones on its fast path, so this one does not match).
            let mut sources = self.st.scratch();
            sources.extend_from_slice(&self.st.node(self.node).sources[..self.same]);
            sources.push(l);
            self.sources = Some(sources);
        }
    }

    /// Brings `r` up to date, records it as a source and hands its value to `f` (without cloning it).
    /// Always in line: a read of an atom read before in this evaluation is a handful of instructions
    /// (a read function reading one atom fifty times spent a tenth of its time on this call).
    #[inline(always)]
    #[allow(clippy::inline_always)] // measured, as said above
    fn read<T: Any, R>(&mut self, r: AtomRef<'_>, f: impl FnOnce(&T) -> R) -> R {
        let key = r.id.bits();
        // Read before in this evaluation: already recorded and up to date, since nothing the store holds
        // changes while a read function runs (values in the global registry are never remembered here).
        let l = if key == self.recent[0] {
            if let Some(v) = self.word.as_ref().and_then(Inline::typed::<T>) {
                return f(v);
            }
            let l = self.recent_local[0];
            if Inline::is::<T>() {
                // Read again: its value is kept for the reads after (repeated observers: −28 %
                // instructions).
                let slot = &self.st.node(l).value;
                self.word = slot.inline();
                return f(slot.typed::<T>().expect("a refreshed or primitive node has a value"));
            }
            l
        } else if key == self.recent[1] {
            self.recent_local[1]
        } else {
            // The parts go separately: an `AtomRef` passed whole is copied through memory in a way that
            // stalls the loads right after the call (measured: a quarter of a small graph's time).
            self.first_read(r.id, r.handle)
        };
        f(self.st.node(l).value.typed::<T>().expect("a refreshed or primitive node has a value"))
    }

    /// The first read of `r` in this evaluation: finds (or registers) its node, brings it up to date and
    /// records it as a source. Always in line, like `read`: most first reads take the path below.
    #[inline(always)]
    #[allow(clippy::inline_always)] // measured: the call and its saved registers were ~15 % of a read
    fn first_read(&mut self, id: AtomId, handle: &dyn HandleDyn) -> u32 {
        // Most evaluations read the same sources in the same order as the last one: while they do, the
        // next previous source is the node, found without a lookup in the store's index, and recording it
        // is counting it (no read mark: a list that matches so far has no repeats to weed out).
        if self.sources.is_none() {
            let prev = &self.st.node(self.node).sources;
            if let Some(&h) = prev.get(self.same) {
                let node = self.st.node(h);
                if node.id == id {
                    if node.is_derived() && node.fresh_value().is_none() {
                        self.refresh_source(h);
                    }
                    self.same += 1;
                    self.remember(id, h);
                    return h;
                }
            }
        }
        self.other_read(id, handle)
    }

    /// A first read that leaves (or left) the previous evaluation's sources.
    #[inline(never)]
    fn other_read(&mut self, id: AtomId, handle: &dyn HandleDyn) -> u32 {
        if self.sources.is_none() {
            // A read again of an atom read before (not one of the last few: `read` has those), among a few
            // sources so far: still the previous sources, nothing to record.
            if self.same <= REREAD_SCAN {
                let prev = &self.st.node(self.node).sources[..self.same];
                if let Some(&p) = prev.iter().find(|&&p| self.st.node(p).id == id) {
                    self.remember(id, p);
                    return p;
                }
            }
            // Leaving the matching prefix: its nodes get this evaluation's read mark now, so that a read
            // of one of them again is not recorded twice.
            self.mark = self.st.next_seq();
            let prefix = std::mem::take(&mut self.st.node_mut(self.node).sources);
            for &p in &prefix[..self.same] {
                if let Some(n) = self.st.nodes.get_mut(p as usize).filter(|n| n.is_live()) {
                    n.read_mark = self.mark;
                }
            }
            self.st.node_mut(self.node).sources = prefix;
        }
        let r = AtomRef { id, handle };
        let l = match self.st.local(id) {
            Some(l) => l,
            None => self.host.register(self.st, r),
        };
        let node = self.st.node(l);
        if node.is_derived() && node.fresh_value().is_none() {
            self.st.refresh_nested(self.host, self.node, l);
        }
        let node = self.st.node_mut(l);
        if node.read_mark != self.mark {
            node.read_mark = self.mark;
            self.record(l);
        }
        self.remember(id, l);
        l
    }

    /// A previous source that is not fresh (a change reached it): brought up to date nested. Out of line,
    /// so that `first_read`, in line in every read, does not carry the nested evaluation.
    #[inline(never)]
    fn refresh_source(&mut self, l: u32) {
        self.st.refresh_nested(self.host, self.node, l);
    }

    #[inline]
    fn remember(&mut self, id: AtomId, l: u32) {
        self.recent = [id.bits(), self.recent[0]];
        self.recent_local = [l, self.recent_local[0]];
        self.word = None;
    }
}

/// What a derived atom's read function gets as `s`: reads atoms and records them as dependencies.
///
/// `S` is the derived atom's owner: it may read that store's atoms and `Global` atoms (a `Global` derived
/// atom: only `Global` atoms). Anything else is a compile error naming both owners. Dependencies are
/// recorded anew on every evaluation, so a branch not taken is no longer a dependency.
///
/// Read functions run while the store is locked: read other atoms through `s`, not through a store
/// handle (that would panic with a message saying so).
pub struct Reader<'a, S> {
    ctx: ReadCtx<'a>,
    _owner: PhantomData<fn() -> S>,
}

impl<'a, S> Reader<'a, S> {
    /// The reader of one evaluation of node `node`, built in place (a context built apart and moved in
    /// was copied through memory: ~16 instructions per evaluated node).
    #[inline]
    pub(crate) fn start(st: &'a mut State, host: &'a dyn Host, node: u32) -> Self {
        Reader { ctx: ReadCtx::new(st, host, node), _owner: PhantomData }
    }

    pub(crate) fn into_parts(self) -> (&'a mut State, SourcesRead) {
        self.ctx.into_parts()
    }
}

impl<S> Reader<'_, S> {
    /// Reads `r` (whose value is a `T`) as [`with`](Reader::with) does, for atoms whose owner was checked
    /// where they were made (a field atom reading its parent).
    #[inline]
    pub(crate) fn read_ref<T: Any, R>(&mut self, r: AtomRef<'_>, f: impl FnOnce(&T) -> R) -> R {
        self.ctx.read(r, f)
    }

    /// The store instance this read function runs in (async atoms keep their loads per store).
    pub(crate) fn store_token(&self) -> crate::graph::host::StoreToken {
        self.ctx.host.token()
    }
}

impl<S: Owner> Reader<'_, S> {
    /// The current value of `atom` (computed if derived), recorded as a dependency.
    #[inline]
    pub fn get<A>(&mut self, atom: &A) -> A::Value
    where
        A: Readable,
        A::Owner: UsableIn<S>,
    {
        self.ctx.read(atom.__atom(), |v: &A::Value| v.clone())
    }

    /// Calls `f` with a borrow of `atom`'s current value, recorded as a dependency.
    #[inline]
    pub fn with<A, R>(&mut self, atom: &A, f: impl FnOnce(&A::Value) -> R) -> R
    where
        A: Readable,
        A::Owner: UsableIn<S>,
    {
        self.ctx.read(atom.__atom(), f)
    }
}
