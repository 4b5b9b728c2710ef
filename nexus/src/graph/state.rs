//! The per-store reactive graph: one node per atom a store holds, dependency edges both ways, and the
//! push-then-pull propagation that keeps derived atoms glitch-free.
//!
//! A change marks direct observers `Dirty` and their observers `Check`; a derived node is brought up to
//! date on demand by first refreshing its sources in order and recomputing only if one of them really
//! changed (`evaluate.rs`, on an explicit stack). So after one `set` every affected derived atom is
//! evaluated at most once, an equal result stops propagation, and nothing reads a mix of old and new
//! inputs. Marking is a loop over a reused stack: no walk here recurses by the depth of the graph.

use std::any::Any;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::SystemTime;

use crate::core::info::{AtomId, AtomInfo, AtomKey, AtomKind, StoreId};
use crate::core::slot_index::SlotIndex;
use crate::core::value_slot::{SharedValue, ValueSlot};
use crate::graph::def::NodeDef;
use crate::graph::effect::EffectNode;
use crate::graph::evaluate::Eval;
use crate::graph::host::Host;
use crate::graph::mount::Mounts;
use crate::graph::notes::Notes;
use crate::graph::observe::{Event, Plugins};
use crate::graph::reader::SourcesRead;

/// Freshness of a derived node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Dirt {
    Clean,
    /// A source of a source changed: refresh sources, recompute only if one of them changed.
    Check,
    /// A direct source changed: recompute.
    Dirty,
}

/// A subscriber's callback: the new value, and the change's stamp (the node's `changed_at`, this
/// store's epoch at the change). Calls are made after the lock is released, so two rounds on two threads
/// can call one subscriber in either order; the stamps are in the order of the changes, which is what a
/// [`Watch`](crate::Watch) keeps its latest value by.
pub(crate) type Callback = Box<dyn Fn(&SharedValue, u64) + Send + Sync>;

/// One subscriber: its callback and whether it is still subscribed, shared by the node, the
/// [`Subscription`](crate::Subscription) and the notes of rounds in flight (one reference count for all).
pub(crate) struct Subscriber {
    pub(crate) f: Callback,
    pub(crate) alive: AtomicBool,
}

#[derive(Clone)]
pub(crate) struct Sub {
    pub(crate) seq: u64,
    pub(crate) sub: Arc<Subscriber>,
}

/// One atom in one store. Kept small (subscribers boxed, the kind inside the id): a deep graph's evaluation walks
/// thousands of these, and beyond the processor's cache every byte shows (cellx with 1,000 layers).
// (Flags as `bool`s: they sit in the node's padding, and the hot walks read each with one load.)
#[allow(clippy::struct_excessive_bools)]
pub(crate) struct Node {
    pub(crate) def: NodeDef,
    /// Also says the kind.
    pub(crate) id: AtomId,
    /// Empty for a derived node never computed, and for proxies (value in the global registry).
    pub(crate) value: ValueSlot,
    pub(crate) dirt: Dirt,
    /// On the evaluation path (being evaluated, or waiting for a source): reading it now is a cycle.
    pub(crate) computing: bool,
    /// A `Global` primitive of a global-mode store: the value is this store's copy of the global
    /// registry's (refreshed under this store's lock when the registry changes).
    pub(crate) proxy: bool,
    /// An effect's node (`NodeDef::Effect`): said here too, beside the flags the marking walk reads
    /// anyway, so that the walk does not read the definition of every node it marks.
    pub(crate) effect: bool,
    /// A focused child of another atom (a field atom, a list's element or key list): in its sources'
    /// lists of observers it comes after every other observer, so that a write through one focused child
    /// finds the others' observers without walking past all its siblings (see `propagate_focused`).
    pub(crate) focused: bool,
    /// The round that last queued this node for notification.
    pub(crate) queued: u64,
    /// The evaluation that last recorded this node as a source (see `ReadCtx`).
    pub(crate) read_mark: u64,
    pub(crate) changed_at: u64,
    pub(crate) sources: Edges,
    pub(crate) observers: Edges,
    pub(crate) subs: Subs,
    /// Registration order.
    pub(crate) seq: u64,
}

// A node is a cache-sized unit of a deep graph's working set: keep it from growing unnoticed.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Node>() <= 152);

pub(crate) use crate::graph::edges::Edges;

/// A node's subscribers: behind one pointer, since most nodes have none (8 bytes in the node instead of
/// 24), and shared, so that a round's subscriber calls hold the whole list by one reference count
/// (copied on write if a subscription comes or goes while a round still holds it).
#[derive(Default)]
pub(crate) struct Subs(Option<Arc<Vec<Sub>>>);

impl Subs {
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|v| v.is_empty())
    }

    /// The list, for a round's subscriber calls.
    pub(crate) fn shared(&self) -> Option<&Arc<Vec<Sub>>> {
        self.0.as_ref()
    }

    /// How many subscribers are registered.
    pub(crate) fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |v| v.len())
    }

    pub(crate) fn push(&mut self, sub: Sub) {
        Arc::make_mut(self.0.get_or_insert_with(Arc::default)).push(sub);
    }

    pub(crate) fn retain(&mut self, keep: impl FnMut(&Sub) -> bool) {
        if let Some(v) = &mut self.0 {
            Arc::make_mut(v).retain(keep);
            if v.is_empty() {
                self.0 = None;
            }
        }
    }
}

impl Node {
    #[inline]
    pub(crate) fn is_derived(&self) -> bool {
        self.id.kind() != AtomKind::Primitive
    }

    /// Whether this node is an effect (see `graph::effect`): it observes, nothing reads it.
    #[inline]
    pub(crate) fn is_effect(&self) -> bool {
        self.effect
    }

    /// A node for atom `id`, registered `seq`-th: a primitive holds `value`, a derived atom is dirty.
    #[inline]
    fn new(def: NodeDef, id: AtomId, value: ValueSlot, proxy: bool, seq: u64) -> Node {
        let focused = matches!(&def, NodeDef::Runtime(d) if d.core().is_focused());
        Node {
            def,
            id,
            dirt: if id.kind() == AtomKind::Primitive { Dirt::Clean } else { Dirt::Dirty },
            value,
            computing: false,
            proxy,
            effect: false,
            focused,
            queued: 0,
            read_mark: 0,
            changed_at: 0,
            sources: Edges::new(),
            observers: Edges::new(),
            subs: Subs::default(),
            seq,
        }
    }

    /// The place of a removed node.
    fn vacant() -> Node {
        Node::new(NodeDef::Vacant, AtomId::from_bits(0), ValueSlot::empty(), false, 0)
    }

    /// Whether this derived atom names its sources, to bring up to date before its first evaluation (see
    /// `evaluate.rs`). Asked of the definition, not kept in the node: only first evaluations ask.
    #[inline]
    pub(crate) fn names_sources(&self) -> bool {
        match &self.def {
            NodeDef::Static(d) => d.core().is_hinted(),
            NodeDef::Runtime(d) => d.core().is_hinted(),
            NodeDef::Effect(_) | NodeDef::Vacant => false,
        }
    }

    /// Whether this is a node in place (not the place of a removed one).
    #[inline]
    pub(crate) fn is_live(&self) -> bool {
        !matches!(self.def, NodeDef::Vacant)
    }

    /// The value, if it can be used without bringing anything up to date.
    #[inline]
    pub(crate) fn fresh_value(&self) -> Option<&ValueSlot> {
        if self.dirt == Dirt::Clean && !self.value.is_empty() {
            Some(&self.value)
        } else {
            None
        }
    }
}

/// Everything one store instance holds, behind its lock. (`pub` only so that the hidden `ErasedDef` trait
/// can name it; the module is private, so users cannot.)
#[doc(hidden)]
#[derive(Default)]
pub struct State {
    /// Dense local slots; a vacant node (`NodeDef::Vacant`) where a run-time atom died, reused by the
    /// next registration. Not an `Option`: reaching a node by its local slot is the evaluation's most
    /// frequent step, and a check of the variant on each one was ~8 % of a deep chain's instructions.
    pub(crate) nodes: Vec<Node>,
    /// Atom id -> local slot, for the atoms this instance holds.
    index: SlotIndex,
    /// Registration and subscription order.
    pub(crate) seq: u64,
    /// Bumped on every value change; a node changed in a round if `changed_at > round.start_epoch`.
    pub(crate) epoch: u64,
    /// The nodes under evaluation, outermost first, each with the index of the next source to check
    /// (`Check` nodes walk their sources in order): see `graph::evaluate`. Not in [`Eval`]: every
    /// evaluated node uses it several times, and reaching it through the box cost ~12 instructions a node.
    pub(crate) path: Vec<(u32, u32)>,
    /// Read functions running now, nested in one another.
    pub(crate) nesting: u32,
    /// Whether a trace is attached (its recorder is in `tools`): read once per recompute.
    pub(crate) tracing: bool,
    /// Evaluation bookkeeping, boxed on first use: stores that hold no derived atom stay small.
    pub(crate) eval: Option<Box<Eval>>,
    /// Attached plugins and what to tell them once the lock is released; boxed because most stores
    /// have none (an empty store stays small).
    pub(crate) tools: Option<Box<Tools>>,
}

/// A call made with a store instance (as `&dyn Any`) when it is dropped.
pub(crate) type BeforeDrop = Box<dyn FnOnce(&dyn std::any::Any) + Send + Sync>;

#[derive(Default)]
pub(crate) struct Tools {
    pub(crate) plugins: Plugins,
    pub(crate) events: Vec<Event>,
    /// When each atom registered while a plugin was attached was registered (the clock is read only
    /// for tools; kept here, not in the node, which every evaluation walks).
    pub(crate) registered: std::collections::HashMap<AtomId, SystemTime>,
    /// Mount counts, once the store holds an atom with `on_mount` (see `graph::mount`). Here, in the box
    /// most stores never make, so that an empty store stays small.
    pub(crate) mounts: Option<Box<Mounts>>,
    /// How many effects were ever made in this store (its drop looks for them only if any).
    pub(crate) effects: usize,
    /// Called with the instance (as `&dyn Any`: this layer names no store) when it is dropped, before
    /// anything is torn down: persistence saves its last changes here.
    pub(crate) before_drop: Vec<BeforeDrop>,
    /// The attached tracers (a `Trace`'s recorder, the Redux DevTools bridge; see `graph::trace`).
    pub(crate) tracers: Vec<std::sync::Arc<dyn crate::graph::trace::Tracer>>,
    /// The round being flushed, while a trace is attached: its recomputes belong to it.
    pub(crate) trace_round: Option<u64>,
    /// Recomputes under way (nested reads nest them), while a trace is attached.
    pub(crate) trace_started: Vec<(u32, crate::graph::trace::Started)>,
    /// The order in which rounds' events reach the plugins (see `graph::turns`).
    pub(crate) turns: crate::graph::turns::Turns,
}

/// One change round: a `set` outside a batch, or a whole outermost batch.
pub(crate) struct Round {
    pub(crate) id: u64,
    pub(crate) start_epoch: u64,
    /// Nodes whose subscribers may need calling at the end of the round.
    pub(crate) candidates: Vec<u32>,
    /// The `Global` atoms of the registry this round is told of, each with whether the change was made
    /// through this store (then broadcast to the other global-mode stores when the round ends). Their
    /// subscribers here hear of it (each change once, by its own notice; a copy refreshed by another
    /// atom's notice is not). One list, not two: a round is moved often, and every word of it is copied.
    pub(crate) global: Vec<(AtomId, bool)>,
    /// The effects the round's flush found due, in creation order.
    pub(crate) effects: Vec<Arc<EffectNode>>,
    /// Whether the marking fenced before its first look at an effect (see `EffectNode::reached`).
    pub(crate) fenced: bool,
}

impl Round {
    /// The changes of `Global` atoms made through this store, to broadcast.
    pub(crate) fn broadcasts(&self) -> Vec<AtomId> {
        if self.global.is_empty() {
            return Vec::new();
        }
        self.global.iter().filter(|(_, b)| *b).map(|(id, _)| *id).collect()
    }

    /// `id`'s change was made through this store: broadcast it when the round ends.
    pub(crate) fn broadcast(&mut self, id: AtomId) {
        match self.global.iter_mut().rev().find(|(g, _)| *g == id) {
            Some(entry) => entry.1 = true,
            None => self.global.push((id, true)),
        }
    }
}

/// The id of the atom at each local slot, as the slot index asks it (for slots it holds, always live).
fn id_at(nodes: &[Node]) -> impl Fn(u32) -> AtomId + '_ {
    |l| nodes[l as usize].id
}

impl State {
    /// The local slots of this store's proxies (see `Eval::proxies`).
    pub(crate) fn proxies(&self) -> &[u32] {
        self.eval.as_ref().map_or(&[], |e| &e.proxies)
    }

    #[inline]
    pub(crate) fn local(&self, id: AtomId) -> Option<u32> {
        let nodes = &self.nodes;
        self.index.get(id, |l| nodes.get(l as usize).map(|n| n.id))
    }

    #[inline]
    pub(crate) fn node(&self, l: u32) -> &Node {
        let node = &self.nodes[l as usize];
        debug_assert!(node.is_live(), "local slot refers to a live node");
        node
    }

    #[inline]
    pub(crate) fn node_mut(&mut self, l: u32) -> &mut Node {
        let node = &mut self.nodes[l as usize];
        debug_assert!(node.is_live(), "local slot refers to a live node");
        node
    }

    /// The registry entry of node `l` (`None` for a dead run-time atom or a proxy).
    pub(crate) fn info(&self, l: u32, store: (StoreId, &'static str)) -> Option<AtomInfo> {
        let node = self.node(l);
        if node.proxy {
            return None;
        }
        let def = node.def.live()?;
        let core = def.core();
        Some(AtomInfo {
            name: core.name_arc(),
            path: core.path(),
            kind: core.kind(),
            owner: core.owner_name(),
            key: AtomKey { store: Some(store), atom: node.id, path: core.path() },
            registered_at: self.tools.as_ref().and_then(|t| t.registered.get(&node.id).copied()),
            type_name: def.type_name(),
        })
    }

    /// Starts a change round of this store.
    pub(crate) fn new_round(&mut self) -> Round {
        Round {
            id: self.next_seq(),
            start_epoch: self.epoch,
            // The previous round's list, so that a change with subscribers does not allocate one.
            candidates: self.eval.as_mut().map(|e| std::mem::take(&mut e.candidates)).unwrap_or_default(),
            global: Vec::new(),
            effects: Vec::new(),
            fenced: false,
        }
    }

    /// Whether any plugin is attached (events are recorded only then).
    #[inline]
    pub(crate) fn observed(&self) -> bool {
        self.tools.as_ref().is_some_and(|t| !t.plugins.is_empty())
    }

    /// Records an event for the plugins (call only when [`observed`](Self::observed)).
    pub(crate) fn push_event(&mut self, event: Event) {
        self.tools.get_or_insert_with(Box::default).events.push(event);
    }

    pub(crate) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Adds a node for an atom this store has not held yet. `value` is the primitive's initial value.
    pub(crate) fn insert(&mut self, def: NodeDef, id: AtomId, value: ValueSlot, proxy: bool) -> u32 {
        // A stale entry (a dead run-time atom whose removal is still queued) gives way first.
        if let Some((stale, at)) = self.index.same_place(id, id_at(&self.nodes)) {
            if self.path.is_empty() {
                self.remove(stale);
            } else {
                // Registered by a read function: the node stays where it is until the outermost evaluation
                // ends (see `State::doom`); its place in the index goes now. It may be under evaluation
                // itself (its definition in use), or a source of a node under evaluation, whose list of
                // sources the running read function is matching its reads against.
                self.index.remove(stale, id_at(&self.nodes));
                self.doom(at);
            }
        }
        let seq = self.next_seq();
        if self.observed() {
            // A clock read costs more than the rest of a first touch (~40 ns on some VMs): only for tools.
            let tools = self.tools.as_mut().expect("observed: tools are there");
            tools.registered.insert(id, crate::core::clock::now());
        }
        // (The node is made where it goes, not first on the stack and then copied there.)
        let l = if let Some(l) = self.eval.as_mut().and_then(|e| e.free.pop()) {
            self.nodes[l as usize] = Node::new(def, id, value, proxy, seq);
            l
        } else {
            if self.nodes.len() == self.nodes.capacity() {
                // Most stores hold a handful of atoms: one allocation instead of several doublings, each
                // copying every node (12, as the index holds without growing: a request's store of ten
                // atoms spent 13 % of its time growing from 8 to 16). Beyond that by half, not double: a
                // node is 152 bytes, and a doubled arena holding 50 atoms had 46 empty places (7.7 KB of a
                // 20 KB store; issue 33's server shape), at the price of copying each node about twice
                // instead of once while a store grows.
                let more = if self.nodes.is_empty() { 12 } else { self.nodes.len() / 2 };
                self.nodes.reserve_exact(more);
            }
            self.nodes.push(Node::new(def, id, value, proxy, seq));
            u32::try_from(self.nodes.len() - 1).expect("fewer than u32::MAX atoms in one store")
        };
        self.index.insert(id, l, id_at(&self.nodes));
        if proxy {
            self.eval().proxies.push(l);
        }
        l
    }

    /// Drops a dead atom's node and everything it held; its observers will re-read.
    pub(crate) fn remove(&mut self, id: AtomId) -> Option<Node> {
        let l = self.local(id)?;
        self.index.remove(id, id_at(&self.nodes));
        Some(self.remove_at(l))
    }

    /// [`remove`](Self::remove) of node `l`, already out of the index.
    pub(crate) fn remove_at(&mut self, l: u32) -> Node {
        self.mount_remove(l);
        let node = std::mem::replace(&mut self.nodes[l as usize], Node::vacant());
        assert!(node.is_live(), "a node is removed once");
        self.eval().free.push(l);
        if let Some(tools) = self.tools.as_mut() {
            tools.registered.remove(&node.id);
        }
        if node.proxy {
            self.eval().proxies.retain(|&p| p != l);
        }
        for &src in &node.sources {
            if let Some(s) = self.nodes.get_mut(src as usize).filter(|n| n.is_live()) {
                s.observers.retain(|o| *o != l);
            }
        }
        for &o in &node.observers {
            if let Some(obs) = self.nodes.get_mut(o as usize).filter(|n| n.is_live()) {
                obs.sources.retain(|s| *s != l);
                // (An effect is marked by changes only: a dead atom it read is not one.)
                if !obs.effect {
                    obs.dirt = Dirt::Dirty;
                }
            }
        }
        node
    }

    /// Marks everything downstream of `l` (whose value just changed) and queues nodes with subscribers.
    pub(crate) fn propagate(&mut self, l: u32, round: &mut Round) {
        self.queue(l, round);
        if self.node(l).observers.is_empty() {
            return;
        }
        // The walk's stack is kept between rounds so that a change allocates nothing here.
        let mut stack = std::mem::take(&mut self.eval().marks);
        stack.extend(self.node(l).observers.iter().map(|&o| (o, Dirt::Dirty)));
        self.mark(stack, round);
    }

    /// [`propagate`](Self::propagate) of a change made through `writer`, one of `l`'s focused children
    /// (a field atom, by its definition's address): `l`'s other focused children are not marked — the
    /// write changed only the part `writer` stands for, so their values are the same.
    ///
    /// The other observers come first in `l`'s list (see `Node::focused`): the walk stops at the first
    /// focused child, and the writer's node, found by its id, is marked alone, so that a write through
    /// one of 10,000 element atoms costs what it costs through one of 10.
    pub(crate) fn propagate_focused(&mut self, l: u32, round: &mut Round, writer: AtomId) {
        self.queue(l, round);
        let mut stack = std::mem::take(&mut self.eval().marks);
        let nodes = &self.nodes;
        stack.extend(
            self.node(l)
                .observers
                .iter()
                .take_while(|&&o| !nodes[o as usize].focused)
                .map(|&o| (o, Dirt::Dirty)),
        );
        if let Some(w) = self.local(writer) {
            if self.node(w).sources.contains(&l) {
                stack.push((w, Dirt::Dirty));
            }
        }
        self.mark(stack, round);
    }

    /// The marking walk from the observers on `stack`.
    #[inline(always)]
    #[allow(clippy::inline_always)] // measured: out of line, the walk of a small graph took 15 % longer
    fn mark(&mut self, mut stack: Vec<(u32, Dirt)>, round: &mut Round) {
        while let Some((n, dirt)) = stack.pop() {
            let node = self.node_mut(n);
            if node.dirt >= dirt {
                continue;
            }
            if node.effect {
                Self::mark_effect(node, n, dirt, round);
                continue;
            }
            let was_clean = node.dirt == Dirt::Clean;
            node.dirt = dirt;
            if was_clean {
                stack.extend(node.observers.iter().map(|&o| (o, Dirt::Check)));
            }
            self.queue(n, round);
        }
        self.eval().marks = stack;
    }

    /// The marking walk reached effect node `l` (not marked yet): marks and queues it, unless it is
    /// running now (its own write does not re-run it; a change from another thread has that thread run
    /// it once more: `EffectNode::reached`). An effect due to run is unmarked when its round schedules it
    /// (`flush`), so that a change during its run comes here. Out of line: the walk over derived atoms
    /// stays as small as it was before effects.
    #[cold]
    #[inline(never)]
    fn mark_effect(node: &mut Node, l: u32, dirt: Dirt, round: &mut Round) {
        if let NodeDef::Effect(fx) = &node.def {
            if fx.reached(&mut round.fenced) {
                node.dirt = dirt;
                if node.queued != round.id {
                    node.queued = round.id;
                    round.candidates.push(l);
                }
            }
        }
    }

    /// Gives a round's candidate list back for the next round to use.
    pub(crate) fn recycle(&mut self, mut candidates: Vec<u32>) {
        if candidates.capacity() > 0 {
            candidates.clear();
            self.eval().candidates = candidates;
        }
    }

    fn queue(&mut self, l: u32, round: &mut Round) {
        let node = self.node_mut(l);
        if !node.subs.is_empty() && node.queued != round.id {
            node.queued = round.id;
            round.candidates.push(l);
        }
    }

    /// Records that `l` got a new value now.
    #[inline]
    pub(crate) fn touch(&mut self, l: u32) {
        self.epoch += 1;
        let epoch = self.epoch;
        self.node_mut(l).changed_at = epoch;
    }

    /// A cleared vector for an evaluation to record its sources in.
    pub(crate) fn scratch(&mut self) -> Vec<u32> {
        self.eval().pool.pop().unwrap_or_default()
    }

    /// Makes what an evaluation of `l` just read its sources, updating edges.
    #[inline]
    pub(crate) fn finish_sources(&mut self, l: u32, read: SourcesRead) {
        // The common case, in line: the same sources as last time.
        if let SourcesRead::Prefix(n) = read {
            if n == self.node(l).sources.len() {
                return;
            }
        }
        self.change_sources(l, read);
    }

    #[inline(never)]
    fn change_sources(&mut self, l: u32, read: SourcesRead) {
        let new_sources = match read {
            SourcesRead::Prefix(n) => Edges::from_slice(&self.node(l).sources[..n]),
            SourcesRead::Changed(mut new) => {
                let edges = Edges::from_slice(&new);
                new.clear();
                self.eval().pool.push(new);
                edges
            }
        };
        let old_sources = std::mem::replace(&mut self.node_mut(l).sources, new_sources);
        let new_sources = std::mem::take(&mut self.node_mut(l).sources);
        self.relink(l, &old_sources, &new_sources);
        self.node_mut(l).sources = new_sources;
    }

    /// Updates observer edges after `l` re-recorded its sources.
    fn relink(&mut self, l: u32, old: &[u32], new: &[u32]) {
        self.mount_relink(l, old, new);
        let common = old.iter().zip(new).take_while(|(a, b)| a == b).count();
        for &src in &old[common..] {
            // A source may be recorded twice (a nested evaluation reset its read mark): still a source if
            // it is anywhere in the new list, the common prefix included.
            if !new.contains(&src) {
                if let Some(s) = self.nodes.get_mut(src as usize).filter(|n| n.is_live()) {
                    if let Some(pos) = s.observers.iter().position(|&o| o == l) {
                        // In order: observers that are not focused children stay first.
                        s.observers.remove(pos);
                    }
                }
            }
        }
        let focused = self.node(l).focused;
        for &src in &new[common..] {
            if !old[common..].contains(&src) {
                let nodes = &mut self.nodes;
                let first_focused = {
                    let observers = &nodes[src as usize].observers;
                    // A source recorded twice (a nested evaluation reset its read mark) gets one edge.
                    if observers.contains(&l) {
                        continue;
                    }
                    if focused {
                        None
                    } else {
                        observers.iter().position(|&o| nodes[o as usize].focused)
                    }
                };
                let observers = &mut nodes[src as usize].observers;
                match first_focused {
                    // Before the focused children (see `Node::focused`).
                    Some(at) => observers.insert(at, l),
                    None => observers.push(l),
                }
            }
        }
    }

    pub(crate) fn node_name(&self, l: u32) -> String {
        if self.node(l).is_effect() {
            return "an effect".to_owned();
        }
        self.node(l).def.any().core().path().to_string()
    }

    /// Brings queued derived nodes up to date and prepares the subscriber calls of the round.
    /// A panic in a read function does not stop the others; the first one is returned.
    pub(crate) fn flush(
        &mut self,
        host: &dyn Host,
        round: &mut Round,
    ) -> (Notes, Option<Box<dyn Any + Send>>) {
        let mut notes = Notes::None;
        let mut first_panic = None;
        let traced = self.tracing;
        if traced {
            self.tools.as_mut().expect("a tracer is in the tools").trace_round = Some(round.id);
        }
        for &l in &round.candidates {
            if self.nodes.get(l as usize).is_none_or(|n| !n.is_live()) {
                continue;
            }
            if self.node(l).is_effect() {
                if self.effect_due(host, l) {
                    let epoch = self.epoch;
                    let node = self.node_mut(l);
                    // Unmarked now: a change from here on reaches it again (see `mark_effect`); the run
                    // will see every change made so far (a `Check` later compares with this).
                    node.dirt = Dirt::Clean;
                    node.changed_at = epoch;
                    if let NodeDef::Effect(fx) = &node.def {
                        if round.effects.capacity() == 0 {
                            round.effects = crate::graph::effect::list();
                        }
                        round.effects.push(fx.clone());
                        if traced {
                            let seq = fx.seq;
                            self.trace_event(Some(round.id), crate::graph::trace::TraceEvent::Effect { seq });
                        }
                    }
                }
                continue;
            }
            if self.node(l).is_derived() {
                if let Err(p) = self.try_refresh(host, l) {
                    first_panic.get_or_insert(p);
                    continue;
                }
                // Its own evaluation may have doomed it (a dead atom, watched only, whose place a
                // registration inside it took): removed at the end of that evaluation.
                if !self.nodes[l as usize].is_live() {
                    continue;
                }
            }
            let node = self.node_mut(l);
            if node.changed_at <= round.start_epoch
                || (node.proxy && !round.global.iter().any(|(id, _)| *id == node.id))
            {
                continue;
            }
            let stamp = node.changed_at;
            let Some(subs) = node.subs.shared() else { continue };
            let Some(value) = node.value.share_typed() else { continue };
            notes.add(subs, value, stamp);
            if traced {
                self.trace_notified(l, round.id);
            }
        }
        if traced {
            self.tools.as_mut().expect("a tracer is in the tools").trace_round = None;
        }
        notes.sort();
        round.effects.sort_by_key(|fx| fx.seq);
        (notes, first_panic)
    }

    /// Whether effect node `l`, reached by this round, must run: a direct source changed, or one of its
    /// derived sources, brought up to date now, really changed since its last run (its `changed_at`).
    /// A source whose read function panics counts as changed: the run will meet the panic.
    fn effect_due(&mut self, host: &dyn Host, l: u32) -> bool {
        match self.node(l).dirt {
            Dirt::Clean => false,
            Dirt::Dirty => true,
            Dirt::Check => {
                let ran_at = self.node(l).changed_at;
                let sources = self.node(l).sources.clone();
                let due = sources.iter().any(|&s| {
                    if !self.nodes.get(s as usize).is_some_and(Node::is_live) {
                        return true;
                    }
                    if self.node(s).is_derived() && self.try_refresh(host, s).is_err() {
                        return true;
                    }
                    self.node(s).changed_at > ran_at
                });
                if !due {
                    self.node_mut(l).dirt = Dirt::Clean;
                }
                due
            }
        }
    }

    /// Adds effect `fx`'s node (no sources yet: its first run records them).
    pub(crate) fn insert_effect(&mut self, fx: &Arc<EffectNode>) -> u32 {
        let seq = self.next_seq();
        // Not in the index: nothing finds an effect by id, its handle keeps its local slot.
        let id = AtomId::new(false, u32::MAX, 1, AtomKind::Computed);
        let node = Node::new(NodeDef::Effect(fx.clone()), id, ValueSlot::empty(), false, seq);
        let l = if let Some(l) = self.eval.as_mut().and_then(|e| e.free.pop()) {
            self.nodes[l as usize] = node;
            l
        } else {
            self.nodes.push(node);
            u32::try_from(self.nodes.len() - 1).expect("fewer than u32::MAX atoms in one store")
        };
        let n = self.node_mut(l);
        n.dirt = Dirt::Clean;
        n.effect = true;
        self.tools.get_or_insert_with(Box::default).effects += 1;
        fx.local.store(l, std::sync::atomic::Ordering::Release);
        l
    }

    /// Whether node `l` is effect `fx`'s (it may have been removed, its place taken).
    pub(crate) fn is_effect_node(&self, l: u32, fx: &Arc<EffectNode>) -> bool {
        self.nodes.get(l as usize).is_some_and(|n| matches!(&n.def, NodeDef::Effect(f) if Arc::ptr_eq(f, fx)))
    }

    /// Records what effect node `l`'s run just read (local slots, in order, repeats allowed) as its
    /// sources, and the run as of now: a change after this re-runs it.
    ///
    /// A source left stale by the run's own writes (a derived atom over an atom it wrote) is brought up
    /// to date first and counts as seen: otherwise it would stay marked while the effect is not, and
    /// the next change would stop at it without reaching the effect.
    pub(crate) fn finish_effect_run(&mut self, host: &dyn Host, l: u32, mut read: Vec<u32>) {
        let mut seen = 0;
        for i in 0..read.len() {
            let s = read[i];
            if !read[..seen].contains(&s) {
                read[seen] = s;
                seen += 1;
            }
        }
        read.truncate(seen);
        for &s in &read {
            let node = &self.nodes[s as usize];
            if node.is_live() && node.is_derived() && node.fresh_value().is_none() {
                // A panic here is met again by whoever reads it next.
                let _ = self.try_refresh(host, s);
            }
        }
        let old = std::mem::take(&mut self.node_mut(l).sources);
        self.relink(l, &old, &read);
        let epoch = self.epoch;
        let node = self.node_mut(l);
        node.sources = Edges::from_vec(read);
        node.changed_at = epoch;
        node.dirt = Dirt::Clean;
    }
}
