//! Bringing derived nodes up to date without recursing by the depth of the graph.
//!
//! The nodes whose evaluation is under way form one explicit stack, the *path* (on the heap): the node
//! asked for at the bottom, the source it waits for above it, and so on. [`State::refresh`] walks the
//! path in a loop, the way alien-signals' `checkDirty` does: a `Check` node's derived sources are put on
//! the path and brought up to date first, in order, so that a recompute usually finds every source it
//! reads already fresh.
//!
//! A read function may still read a node that is not fresh (a first evaluation, or a new branch): that
//! read evaluates it right there, one level deeper on the call stack. Up to [`MAX_NESTING`] read functions
//! may run nested; a read beyond that *suspends* the read function that made it: the read unwinds it
//! (with a private payload, so no panic hook runs), the node it wanted goes on the path, and the
//! suspended read function runs again from the start once that node is fresh. Read functions must
//! therefore be pure (they already must: they run whenever a dependency changes). A first read of a chain
//! of a million derived atoms thus nests at most [`MAX_NESTING`] read functions and runs each one at most
//! twice; a re-check after a change runs each affected one once.
//!
//! A derived atom may also name its sources before it runs (`Computed::reading`, the `s.get(&X)` calls
//! `atom!` sees): its first evaluation puts those that are not fresh on the path first, as the `Check`
//! walk does with the sources of the previous evaluation, so that a first read of a chain whose atoms
//! name their sources nests nothing and runs each read function once. A named source that the read
//! function then does not read was evaluated for nothing (a hint, never a promise); one under evaluation
//! is skipped (a read function closes a real cycle itself).
//!
//! Without unwinding (`panic = "abort"`: `wasm32-unknown-unknown`), reads cannot suspend and nest as deep
//! as the graph. There, beyond [`MAX_NESTING`] levels, every [`CHECK_EVERY`] levels a nested read checks
//! that the call stacks have room (`core::stack`), and panics naming the atom, the depth and the remedy
//! when they have not: the engine's own stack overflow would unwind through Rust frames without running
//! their destructors, leaving the store half-way.

use std::any::Any;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

use crate::graph::def::ErasedDef;
use crate::graph::host::Host;
use crate::graph::state::{Dirt, Node, State};

/// How many read functions may run nested before a read suspends them. A level costs 592 bytes of stack
/// in a release build and 2,192 in a debug build (measured with a chain of plain `get`s), so 64 levels
/// stay under 40 KiB (140 KiB in debug), far inside a 2 MiB thread (tokio's worker threads), with room
/// for the read functions' own frames. Only a first read of a graph deeper than this suspends: about
/// 2.4 µs per atom beyond this depth in a release build, once (the unwinding).
pub(crate) const MAX_NESTING: u32 = 64;

/// Without unwinding, how often (in nesting levels beyond [`MAX_NESTING`]) a nested read checks the room
/// left on the call stacks: a check costs about 10 µs in Chromium (a call with 12,288 arguments).
const CHECK_EVERY: u32 = 8;

/// The engine's stack that must be free at a check: the next [`CHECK_EVERY`] levels (a level of a chain
/// of small read functions takes 0.5 KiB in a release build, 1 KiB in a debug one) and the panic that
/// reports a graph too deep, with ample room for larger read functions.
const ENGINE_RESERVE: u32 = 96 << 10;

/// The shadow stack (in linear memory) that must be free at a check, likewise (a level takes 0.2 KiB in
/// a release build, 0.9 KiB in a debug one).
const SHADOW_RESERVE: usize = 64 << 10;

thread_local! {
    /// For tests of the depth guard on native targets: when not 0, a read does not suspend (as on
    /// wasm32) and stops with the guard's panic at this nesting (see [`simulate_no_unwind`]).
    static NO_UNWIND_LIMIT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// On this thread, reads behave as where a panic aborts: they nest without suspending, and at `limit`
/// nested read functions the depth guard panics as it does when the stack has no room left (`None`: back
/// to suspending). For nexus's own tests of the guard on native targets.
#[doc(hidden)]
pub fn simulate_no_unwind(limit: Option<u32>) {
    NO_UNWIND_LIMIT.with(|l| l.set(limit.unwrap_or(0)));
}

/// Evaluation bookkeeping of one store, boxed on first use: stores that hold no derived atom stay small.
#[derive(Default)]
pub(crate) struct Eval {
    /// The node a suspended read function wants first.
    suspended: Option<u32>,
    /// Cleared vectors for evaluations to record their sources in, so that they do not allocate.
    pub(crate) pool: Vec<Vec<u32>>,
    /// The marking walk's stack, kept between rounds.
    pub(crate) marks: Vec<(u32, Dirt)>,
    /// A round's candidate list, kept between rounds.
    pub(crate) candidates: Vec<u32>,
    /// Local slots of removed nodes, for new ones (here, not in `State`: most stores never remove one).
    pub(crate) free: Vec<u32>,
    /// Nodes to remove when the outermost evaluation ends (see [`State::doom`]).
    doomed: Vec<u32>,
    /// The local slots of proxies (a global-mode store's copies of `Global` atoms), which a change in
    /// the global registry refreshes all at once. Here, not in `State`: only global-mode stores that
    /// touch a `Global` atom have any, and an empty store stays 24 bytes smaller.
    pub(crate) proxies: Vec<u32>,
}

/// The unwind payload of a suspended read function (never seen outside [`State::refresh`]).
struct Suspend;

/// A dependency cycle, for its panic message.
struct Cycle {
    /// The nodes of the cycle, from the one read again to the one that read it.
    nodes: Vec<u32>,
    closed_by: u32,
}

/// How many atoms of a cycle its panic message names before it shortens the list.
const CYCLE_NAMES: usize = 64;

impl State {
    /// Brings the derived node `l` up to date: the entry point of every store operation that needs a
    /// derived value. A panic in a read function (or a cycle) leaves every node it interrupted to be
    /// evaluated again by the next read, and reaches the caller.
    pub(crate) fn refresh(&mut self, host: &dyn Host, l: u32) {
        if let Err(payload) = self.try_refresh(host, l) {
            resume_unwind(payload);
        }
    }

    /// [`refresh`](Self::refresh), returning a panic of a read function (or of a cycle, whose message
    /// the panic hook has shown) instead of raising it: a round's flush goes on with the other atoms.
    pub(crate) fn try_refresh(&mut self, host: &dyn Host, l: u32) -> Result<(), Box<dyn Any + Send>> {
        if self.node(l).fresh_value().is_some() {
            return Ok(());
        }
        if self.node(l).computing {
            let message = self.cycle_message(&self.cycle_at(l));
            return Err(catch_unwind(|| panic!("{message}")).expect_err("panics"));
        }
        let base = self.path.len();
        let nesting = self.nesting;
        // Never evaluated: it may name sources to bring up to date first.
        let first = self.node(l).value.is_empty();
        self.enter(l);
        let result = self.try_drive(host, base, nesting, first);
        // The outermost evaluation is over: no doomed node's definition is in use any more.
        if !self.eval().doomed.is_empty() {
            for l in std::mem::take(&mut self.eval().doomed) {
                drop(self.remove_at(l));
            }
        }
        result
    }

    /// The loop of [`try_refresh`](Self::try_refresh): drives the path above `base`, taking suspended
    /// read functions up again; `named`: the walk of named sources may be needed (a never evaluated node
    /// on top).
    fn try_drive(
        &mut self,
        host: &dyn Host,
        base: usize,
        nesting: u32,
        mut named: bool,
    ) -> Result<(), Box<dyn Any + Send>> {
        loop {
            let drive = |st: &mut State| {
                if named {
                    st.drive_named(host, base);
                } else {
                    st.drive(host, base);
                }
            };
            let Err(payload) = catch_unwind(AssertUnwindSafe(|| drive(self))) else {
                return Ok(());
            };
            self.nesting = nesting;
            match self.eval().suspended.take() {
                // The node the innermost read function wanted goes on the path; that read function (still
                // on the path below it) runs again once it is fresh.
                Some(wanted) if payload.is::<Suspend>() => {
                    named = true;
                    self.enter(wanted);
                }
                _ => {
                    self.abandon(base);
                    return Err(payload);
                }
            }
        }
    }

    /// A read function of `reader` read `l`, which is not fresh: evaluate it nested, or suspend the read
    /// function. In line in `ReadCtx::other_read`, the way a first read reaches it: one frame less per
    /// level of a first read's nesting (where reads cannot suspend, a level of a chain of small read
    /// functions took 4 WebAssembly frames, 488 bytes of Chromium's stack, in a release build).
    #[inline(always)]
    #[allow(clippy::inline_always)] // measured, as said above
    pub(crate) fn refresh_nested(&mut self, host: &dyn Host, reader: u32, l: u32) {
        if self.path.last().is_some_and(|&(top, _)| top != reader) {
            self.resume_after_caught_panic(reader);
        }
        if self.node(l).computing {
            self.cycle_panic(l);
        }
        if self.nesting >= MAX_NESTING && self.nests_no_deeper(l) {
            self.eval().suspended = Some(l);
            resume_unwind(Box::new(Suspend));
        }
        self.enter(l);
        let node = self.node(l);
        let first = node.value.is_empty();
        if (first && !node.names_sources()) || (!first && node.dirt == Dirt::Dirty) {
            // Nothing to check first (a branch read inside a read function that a change made dirty, or
            // a first read of an atom that names no sources): evaluated right here, without the walk's
            // loop.
            self.recompute(host, l);
            self.path.pop();
        } else {
            let base = self.path.len() - 1;
            self.drive_named(host, base);
        }
    }

    /// A read nested [`MAX_NESTING`] read functions deep or more: whether to suspend the read function
    /// (where panics unwind). Where they abort, it nests deeper while the call stacks have room, and
    /// panics clearly when they have not.
    #[cold]
    #[inline(never)]
    fn nests_no_deeper(&self, l: u32) -> bool {
        let limit = NO_UNWIND_LIMIT.with(std::cell::Cell::get);
        if limit != 0 {
            if self.nesting >= limit {
                self.too_deep_panic(l);
            }
            return false;
        }
        if cfg!(panic = "unwind") {
            return true;
        }
        if (self.nesting - MAX_NESTING) % CHECK_EVERY == 0
            && !crate::core::stack::room(ENGINE_RESERVE, SHADOW_RESERVE)
        {
            self.too_deep_panic(l);
        }
        false
    }

    /// The depth guard's panic: names the atom asked for, the depth and the atom reached, and the remedy.
    #[cold]
    #[inline(never)]
    fn too_deep_panic(&self, l: u32) -> ! {
        let asked = self.path.first().map_or(l, |&(n, _)| n);
        panic!(
            "nexus: reading `{}` nests {} read functions deep (reading `{}`), more than the call stack has \
             room for: a first read of a long chain of derived atoms evaluates each one inside the read \
             function of the next, where read functions cannot be suspended (wasm32, where a panic \
             aborts), and the engine would throw \"Maximum call stack size exceeded\" half-way. Name \
             the sources of the chain's atoms (`Computed::reading(sources, |s, sources| ..)`, or plain \
             `s.get(&ATOM)` calls in `atom!`), which reads any depth, or read the chain from its head \
             first, a few hundred atoms further per read",
            self.node_name(asked),
            self.nesting,
            self.node_name(l),
        )
    }

    /// The read function of `reader` caught the panic of a nested read (its own business) and goes on:
    /// the nodes that nested evaluation left on the path above `reader` are no longer under way (each
    /// keeps its dirt, as after any panic), and the nesting count is `reader`'s again. Without this, a
    /// node left on the path would later be recomputed without being marked under evaluation (and could
    /// be removed during its own call), a read of one would be taken for a cycle, and the nesting count
    /// would stay raised for good. (Checked, not caught: a catch per nested read cost cellx 12 %.)
    #[cold]
    #[inline(never)]
    fn resume_after_caught_panic(&mut self, reader: u32) {
        let at =
            self.path.iter().rposition(|&(n, _)| n == reader).expect("a read function's node is on the path");
        // While `reader` is recomputed, its entry holds the nesting count it was called at (`recompute`).
        self.nesting = self.path[at].1 + 1;
        self.abandon(at + 1);
    }

    #[inline]
    fn enter(&mut self, l: u32) {
        self.node_mut(l).computing = true;
        self.path.push((l, 0));
    }

    /// [`drive`](Self::drive), first bringing up to date the sources that a never evaluated node on top
    /// of the path names, one after the other on the path (their own named sources first, and so on):
    /// a loop apart from `drive`'s, which re-checks after every change run through (the same check
    /// inside `drive`'s loop cost deep and broad graphs 2.5 % of their instructions).
    fn drive_named(&mut self, host: &dyn Host, base: usize) {
        while self.path.len() > base {
            let top = self.path.len() - 1;
            if self.node(self.path[top].0).value.is_empty() && self.enter_stale_hint(host, top) {
                continue;
            }
            // Its named sources are fresh (or it names none, or was evaluated before): evaluated as ever.
            self.drive(host, top);
        }
    }

    /// Evaluates the path above `base`, topmost node first, until it is back at `base`.
    fn drive(&mut self, host: &dyn Host, base: usize) {
        while self.path.len() > base {
            let top = self.path.len() - 1;
            let (l, next) = self.path[top];
            let node = self.node(l);
            let compute = match node.dirt {
                _ if node.value.is_empty() => true,
                Dirt::Clean => false,
                Dirt::Dirty => true,
                // (Checked sources that changed made `l` dirty: it is `Dirty` then, above.)
                Dirt::Check => match stale_source(&self.nodes, node, next) {
                    Some((source, after)) => {
                        if self.node(source).computing {
                            self.cycle_panic(source);
                        }
                        // When it is done, checking goes on after it (unless it changed and made `l`
                        // dirty).
                        self.path[top].1 = after;
                        self.enter(source);
                        continue;
                    }
                    // Every source is fresh and none changed.
                    None => false,
                },
            };
            if compute {
                // Leaves `l` clean and off the evaluation.
                self.recompute(host, l);
            } else {
                let node = self.node_mut(l);
                node.dirt = Dirt::Clean;
                node.computing = false;
            }
            self.path.pop();
        }
    }

    /// The node on the path at `top` was never evaluated: if it names sources, puts the next one that is
    /// not fresh on the path above it (`false`: none is left, or it names none).
    #[inline(never)]
    #[cold] // (first evaluations only)
    fn enter_stale_hint(&mut self, host: &dyn Host, top: usize) -> bool {
        let (l, next) = self.path[top];
        if !self.node(l).names_sources() {
            return false;
        }
        let Some((source, after)) = self.stale_hint(host, l, next) else { return false };
        // When it is done, the named sources after it come next.
        self.path[top].1 = after;
        self.enter(source);
        true
    }

    /// The next source that node `l` (never evaluated) names, from its `next`-th on, that is derived and
    /// not fresh, registered if it was not, with the index of the one after it; `None` once all are
    /// fresh. One under evaluation is skipped: a hint never closes a cycle, a read does.
    fn stale_hint(&mut self, host: &dyn Host, l: u32, mut next: u32) -> Option<(u32, u32)> {
        // Held (a run-time atom's `Arc` cloned): registering a source may move the node list.
        let def = self.node(l).def.guard()?;
        while let Some(r) = def.source_hint(next as usize) {
            next += 1;
            let source = match self.local(r.id) {
                Some(s) => s,
                None => host.register(self, r),
            };
            let node = self.node(source);
            if node.is_derived() && node.fresh_value().is_none() && !node.computing {
                return Some((source, next));
            }
        }
        None
    }

    /// Runs `l`'s read function and stores its result; leaves `l` clean and off the evaluation (unless the
    /// read function unwinds: then `abandon` does that, and `l` keeps its dirt).
    #[inline(always)]
    #[allow(clippy::inline_always)] // in line in the walk's loop (measured: ~4 % of a deep chain's instructions)
    fn recompute(&mut self, host: &dyn Host, l: u32) {
        // One byte, in the state's padding: while no trace is attached a recompute pays this branch only
        // (the traced copy is out of line).
        if self.tracing {
            self.recompute_traced(host, l);
        } else {
            self.recompute_as::<false>(host, l);
        }
    }

    /// [`recompute`](Self::recompute) while a trace is attached: told to the trace.
    #[inline(never)]
    #[cold]
    fn recompute_traced(&mut self, host: &dyn Host, l: u32) {
        self.recompute_as::<true>(host, l);
    }

    #[inline(always)]
    #[allow(clippy::inline_always)] // see `recompute`
    fn recompute_as<const TRACED: bool>(&mut self, host: &dyn Host, l: u32) {
        // The definition is called through a pointer, not a new `Arc` (two atomic operations per
        // evaluated node) nor by taking it out of the node and putting it back (a catch of unwinds per
        // node to put it back, ~7 % of a deep chain's instructions).
        let def: *const dyn ErasedDef = self.node(l).def.as_ptr();
        debug_assert!(self.node(l).computing, "a node is recomputed only while marked under evaluation");
        // `l` is on top of the path; its entry's second field (the walk's next source to check) is not
        // used while it is recomputed: it holds the nesting count, for `resume_after_caught_panic`.
        let top = self.path.len() - 1;
        debug_assert_eq!(self.path[top].0, l);
        let nesting = self.nesting;
        self.path[top].1 = nesting;
        self.nesting = nesting + 1;
        // SAFETY: `def` points into a `&'static` definition or into the allocation of the node's `Arc`.
        // That allocation lives while some `Arc` of it does, and the node's `Arc` is dropped only with
        // the node, by `State::remove_at`, which does not run on a node under evaluation (`computing`, as
        // `l` is until this returns or unwinds) before the outermost evaluation ends: the one removal
        // that can happen inside a read function (a registration taking a dead atom's place) dooms such
        // a node instead (`State::doom`), and a dead atom's own removal waits for the lock's release.
        // Every node on the path is marked `computing` (`enter`), also after a read function caught a
        // nested read's panic: the nested nodes are taken off the path before its next nested read
        // (`resume_after_caught_panic`) or when it returns (below), before anything runs them again.
        // Moving the `Arc` (the node vector growing) does not move the allocation. The definition is
        // only read (`&self` methods).
        if TRACED {
            self.trace_start(l);
        }
        #[allow(unsafe_code)]
        let changed = unsafe { &*def }.compute(self, host, l);
        // On unwind, `try_drive` restores the nesting count and `abandon` the path's `computing` flags;
        // a read function that caught a nested read's panic and returned left nodes above `l`.
        self.nesting = nesting;
        if self.path.len() != top + 1 {
            self.abandon(top + 1);
        }
        let epoch = self.epoch + u64::from(changed);
        self.epoch = epoch;
        let node = self.node_mut(l);
        node.dirt = Dirt::Clean;
        node.computing = false;
        if TRACED {
            self.trace_recompute(l, changed);
        }
        let node = self.node_mut(l);
        if changed {
            node.changed_at = epoch;
            // By index: most nodes have one or two observers, kept in the node (no list to move out).
            for i in 0..node.observers.len() {
                let o = self.node(l).observers[i];
                let observer = self.node_mut(o);
                // An effect is marked by the change itself, or is running and reading this now: its
                // state is the round's to keep (a mark here would be lost, never queued).
                if !observer.effect {
                    observer.dirt = Dirt::Dirty;
                }
            }
        }
    }

    /// Removes node `l`, out of the index already, when the outermost evaluation ends: it may be under
    /// evaluation now, its definition in use (see `recompute`), or a source of a node under evaluation,
    /// whose read function is matching its reads against that node's sources. Nothing reads it
    /// meanwhile but the evaluation under way: its atom is dead (no handle to read it by) and its id is
    /// out of the index.
    pub(crate) fn doom(&mut self, l: u32) {
        self.eval().doomed.push(l);
    }

    /// After a panic: the nodes above `base` are no longer under way; each keeps its dirt, so the next
    /// read evaluates it again (its sources are still the ones of its last complete evaluation).
    fn abandon(&mut self, base: usize) {
        let mut path = std::mem::take(&mut self.path);
        for &(l, _) in &path[base..] {
            if let Some(node) = self.nodes.get_mut(l as usize).filter(|n| n.is_live()) {
                node.computing = false;
            }
        }
        path.truncate(base);
        self.path = path;
    }

    /// A read of `l`, which is under evaluation, closes a cycle: a panic naming its atoms.
    #[cold]
    fn cycle_panic(&self, l: u32) -> ! {
        panic!("{}", self.cycle_message(&self.cycle_at(l)))
    }

    /// The cycle that a read of `l` (under evaluation) closes: the path from `l` up.
    #[cold]
    fn cycle_at(&self, l: u32) -> Cycle {
        let path = &self.path[..];
        let start = path.iter().position(|&(n, _)| n == l).unwrap_or(0);
        Cycle { nodes: path[start..].iter().map(|&(n, _)| n).collect(), closed_by: l }
    }

    #[cold]
    fn cycle_message(&self, cycle: &Cycle) -> String {
        let name = |n: u32| match self.nodes.get(n as usize) {
            Some(node) if node.is_live() => self.node_name(n),
            _ => "<dropped atom>".to_owned(),
        };
        let nodes = &cycle.nodes;
        let names: Vec<String> = if nodes.len() <= CYCLE_NAMES {
            nodes.iter().map(|&n| name(n)).collect()
        } else {
            // A cycle of thousands of atoms: the first few, how many more, and the last one.
            let mut names: Vec<String> = nodes[..8].iter().map(|&n| name(n)).collect();
            names.push(format!("… {} more …", nodes.len() - 9));
            names.push(name(nodes[nodes.len() - 1]));
            names
        };
        let count = match nodes.len() {
            1 => "1 atom".to_owned(),
            n => format!("{n} atoms"),
        };
        format!(
            "nexus: dependency cycle between derived atoms: {} -> {} ({count} in the cycle)",
            names.join(" -> "),
            name(cycle.closed_by)
        )
    }

    /// Called by an evaluation right after its read function returned: a read function that caught the
    /// suspension of a read inside it returned a value made without that read, so it is suspended all
    /// the same (and its result is never stored).
    #[inline]
    pub(crate) fn ensure_not_suspended(&mut self) {
        if self.eval.as_ref().is_some_and(|e| e.suspended.is_some()) {
            resume_unwind(Box::new(Suspend));
        }
    }

    pub(crate) fn eval(&mut self) -> &mut Eval {
        self.eval.get_or_insert_with(Box::default)
    }
}

/// The next derived source of the `Check` node `node` (from its source `next` on) that is not fresh, to
/// bring up to date before it, with the index of the source after it; `None` once every source is
/// checked. (A function of the node list, not of the state: the node is borrowed once per visit.)
#[inline]
fn stale_source(nodes: &[Node], node: &Node, mut next: u32) -> Option<(u32, u32)> {
    while let Some(&source) = node.sources.get(next as usize) {
        next += 1;
        let s = &nodes[source as usize];
        if s.is_derived() && s.fresh_value().is_none() {
            return Some((source, next));
        }
    }
    None
}
