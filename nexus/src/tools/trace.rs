//! [`Trace`]: a bounded ring of one store instance's transactions, each with where it came from and
//! what it caused, in order; and [`Trace::why`] / [`Trace::why_not`], which read it back as causes.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use crate::core::info::AtomId;
use crate::core::origin::Origin;
use crate::graph::access::Readable;
use crate::graph::observe::Plugin;
use crate::graph::trace::{TraceEvent, Tracer};
use crate::store::store_trait::Store;
use crate::tools::attach::Attachment;

/// The causal trace of one store instance: the last `capacity` transactions (a `set` outside a batch,
/// a whole batch or action, a hydration, a time-travel move), each with its origin (file, line and
/// label of the call, thread, time), the primitive writes (old → new as tools render them; an equal
/// value is "equal, skipped"), the recomputes in the order they ran with the source whose change made
/// each run and whether its value changed, the effects due and the subscribers called, with durations.
///
/// While no trace is attached nothing is recorded, and a store pays one check per recompute; attaching
/// one makes every write and recompute render its values (a debugging tool, not for production
/// paths). Several traces may watch one instance; dropping one detaches it.
///
/// ```
/// nexus::store! { pub struct Cart; }
/// nexus::atom! {
///     #![store(Cart)]
///     pub static PRICE: u32 = 10;
///     pub static QTY: u32 = 1;
///     pub static TOTAL: u32 = computed(|s| s.get(&PRICE) * s.get(&QTY));
/// }
///
/// let cart = Cart::new();
/// let trace = nexus::Trace::attach(&cart, 100);
/// let _sub = cart.subscribe(&TOTAL, |_| {});
/// cart.labeled("quantity stepper", || cart.set(&QTY, 3));
/// let why = trace.why(&TOTAL);
/// assert!(why.starts_with("TOTAL = 30: recomputed in transaction"), "{why}");
/// assert!(why.contains("because QTY changed"), "{why}");
/// assert!(why.contains("QTY: 1 → 3, set at \"quantity stepper\" at "), "{why}");
/// ```
pub struct Trace {
    recorder: Arc<Recorder>,
    attachment: Attachment,
}

/// One transaction: a change round of the store, with everything it caused (see [`Trace`]).
#[derive(Clone, Debug)]
pub struct Transaction {
    round: u64,
    origin: Option<Origin>,
    thread: Option<String>,
    at: SystemTime,
    took: Option<Duration>,
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    started: std::time::Instant,
    steps: Vec<Step>,
}

/// One thing that happened in a [`Transaction`], to one atom.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The atom (none for an effect).
    id: Option<AtomId>,
    reason_id: Option<AtomId>,
    atom: Arc<str>,
    what: What,
}

/// What a [`Step`] was.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum What {
    /// A primitive atom changed from `before` to `after` (rendered as tools show values).
    Write {
        /// The value before.
        before: String,
        /// The value after.
        after: String,
        /// Where the write was made.
        origin: Option<Origin>,
    },
    /// A write of a value equal to the atom's: nothing changed, nobody was told.
    Skipped {
        /// The value (unchanged).
        value: String,
        /// Where the write was made.
        origin: Option<Origin>,
    },
    /// A derived atom's read function ran.
    Recompute {
        /// The source whose change made it run (the one that changed last), if one did.
        reason: Option<Arc<str>>,
        /// Whether its value changed (if not, its readers were not recomputed because of it).
        changed: bool,
        /// Its value after.
        value: String,
        /// How long the read function took (not measured on wasm32).
        took: Option<Duration>,
        /// Whether it ran when it was read after the transaction ended (a derived atom nobody observes is
        /// brought up to date lazily), rather than within it.
        on_read: bool,
    },
    /// The atom's subscribers (and watches) were called with its new value.
    Notified {
        /// How many.
        subscribers: usize,
    },
    /// An effect was due (it runs after the transaction, in creation order).
    Effect,
    /// An atom with `on_mount` was mounted (its `on_mount` runs after the transaction) or unmounted (its
    /// cleanup runs).
    Mount {
        /// `true`: mounted; `false`: unmounted.
        mounted: bool,
    },
}

impl Step {
    /// The atom's registry name (for an effect: `effect#N`).
    pub fn atom(&self) -> &str {
        &self.atom
    }

    /// What happened.
    pub fn what(&self) -> &What {
        &self.what
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let atom = &self.atom;
        match &self.what {
            What::Write { before, after, origin } => {
                write!(f, "write {atom}: {before} → {after}")?;
                if let Some(origin) = origin {
                    write!(f, ", at {origin}")?;
                }
                Ok(())
            }
            What::Skipped { value, origin } => {
                write!(f, "write {atom}: {value}, equal, skipped")?;
                if let Some(origin) = origin {
                    write!(f, ", at {origin}")?;
                }
                Ok(())
            }
            What::Recompute { reason, changed, value, took, on_read } => {
                write!(f, "recompute {atom}")?;
                if let Some(reason) = reason {
                    write!(f, " (because {reason} changed)")?;
                }
                let outcome = if *changed { "changed" } else { "same value" };
                write!(f, ": {value}, {outcome}")?;
                if let Some(took) = took {
                    write!(f, ", {took:?}")?;
                }
                if *on_read {
                    f.write_str(", when read later")?;
                }
                Ok(())
            }
            What::Notified { subscribers } => write!(f, "notify {atom}: {subscribers} subscriber(s)"),
            What::Effect => write!(f, "run {atom}"),
            What::Mount { mounted: true } => write!(f, "mount {atom}"),
            What::Mount { mounted: false } => write!(f, "unmount {atom}"),
        }
    }
}

impl Transaction {
    /// The store's change round (increasing), or 0 for the mounts and unmounts made outside any change
    /// (by a subscription, a watch or an effect beginning or ending).
    pub fn round(&self) -> u64 {
        self.round
    }

    /// Where it came from: the origin of its first write.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }

    /// The name of the thread that made it, if the thread has one.
    pub fn thread(&self) -> Option<&str> {
        self.thread.as_deref()
    }

    /// When it began.
    pub fn time(&self) -> SystemTime {
        self.at
    }

    /// From its first step to its last (not measured on wasm32).
    pub fn duration(&self) -> Option<Duration> {
        self.took
    }

    /// What happened, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether it wrote `atom` (a change, not a skipped write).
    fn wrote(&self, id: Option<AtomId>) -> bool {
        id.is_some() && self.steps.iter().any(|s| s.id == id && matches!(s.what, What::Write { .. }))
    }
}

impl fmt::Display for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transaction {}", self.round)?;
        if let Some(origin) = &self.origin {
            write!(f, " from {origin}")?;
        }
        if let Some(thread) = &self.thread {
            write!(f, " on thread {thread}")?;
        }
        if let Some(took) = self.took {
            write!(f, " ({took:?})")?;
        }
        for step in &self.steps {
            write!(f, "\n  {step}")?;
        }
        Ok(())
    }
}

/// The ring, filled under the store's lock by the graph's hook.
struct Recorder {
    capacity: usize,
    ring: Mutex<Ring>,
}

/// The transactions kept, in the order their first events arrived, with an index by round: a batch
/// open on one thread interleaves its rounds with other threads' rounds, so an event's transaction is
/// not always the last one.
#[derive(Default)]
struct Ring {
    transactions: VecDeque<Transaction>,
    /// The arrival number of `transactions[0]`.
    first: u64,
    /// Round → arrival number, for the transactions kept.
    index: HashMap<u64, u64>,
    /// Rounds whose transactions were dropped to keep `capacity` (the latest few): their late events
    /// are dropped too, never made into a partial transaction.
    evicted: HashSet<u64>,
    evicted_order: VecDeque<u64>,
}

/// How many dropped rounds are remembered.
const EVICTED: usize = 4096;

impl Ring {
    fn clear(&mut self) {
        self.first += self.transactions.len() as u64;
        self.transactions.clear();
        self.index.clear();
    }

    /// The transaction of `round`: kept, new (pushed, dropping the oldest beyond `capacity`), or `None`
    /// if it was dropped already.
    fn transaction(
        &mut self,
        round: u64,
        capacity: usize,
        origin: Option<&Origin>,
    ) -> Option<&mut Transaction> {
        if let Some(&at) = self.index.get(&round) {
            let at = usize::try_from(at - self.first).expect("within the ring");
            return self.transactions.get_mut(at);
        }
        if self.evicted.contains(&round) {
            return None;
        }
        let at = self.first + self.transactions.len() as u64;
        self.index.insert(round, at);
        Some(self.push(new_transaction(round, origin.cloned()), capacity))
    }

    /// Appends `transaction`, dropping the oldest beyond `capacity`.
    fn push(&mut self, transaction: Transaction, capacity: usize) -> &mut Transaction {
        self.transactions.push_back(transaction);
        while self.transactions.len() > capacity {
            let gone = self.transactions.pop_front().expect("longer than capacity");
            self.first += 1;
            self.index.remove(&gone.round);
            self.evicted.insert(gone.round);
            self.evicted_order.push_back(gone.round);
            if self.evicted_order.len() > EVICTED {
                if let Some(old) = self.evicted_order.pop_front() {
                    self.evicted.remove(&old);
                }
            }
        }
        self.transactions.back_mut().expect("just pushed")
    }
}

impl Recorder {
    fn ring(&self) -> std::sync::MutexGuard<'_, Ring> {
        self.ring.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn new_transaction(round: u64, origin: Option<Origin>) -> Transaction {
    Transaction {
        round,
        origin,
        thread: std::thread::current().name().map(str::to_owned),
        at: crate::core::clock::now(),
        took: None,
        #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
        started: std::time::Instant::now(),
        steps: Vec::new(),
    }
}

impl Tracer for Recorder {
    fn event(&self, round: Option<u64>, event: TraceEvent) {
        // A first computation made by a read after the transactions: caused by none of them.
        if round.is_none() && matches!(event, TraceEvent::Recompute { reason: None, .. }) {
            return;
        }
        let step = match event {
            TraceEvent::Write { atom, name, before, after, origin } => Step {
                id: Some(atom),
                reason_id: None,
                atom: name,
                what: What::Write { before, after, origin },
            },
            TraceEvent::Skipped { atom, name, value, origin } => {
                Step { id: Some(atom), reason_id: None, atom: name, what: What::Skipped { value, origin } }
            }
            TraceEvent::Recompute { atom, name, reason, changed, value, took } => Step {
                id: Some(atom),
                reason_id: reason.as_ref().map(|(id, _)| *id),
                atom: name,
                what: What::Recompute {
                    reason: reason.map(|(_, name)| name),
                    changed,
                    value,
                    took,
                    on_read: round.is_none(),
                },
            },
            TraceEvent::Notified { atom, name, subscribers } => {
                Step { id: Some(atom), reason_id: None, atom: name, what: What::Notified { subscribers } }
            }
            TraceEvent::Mount { atom, name, mounted } => {
                Step { id: Some(atom), reason_id: None, atom: name, what: What::Mount { mounted } }
            }
            TraceEvent::Effect { seq } => {
                Step { id: None, reason_id: None, atom: format!("effect#{seq}").into(), what: What::Effect }
            }
        };
        let mut ring = self.ring();
        let origin = match &step.what {
            What::Write { origin, .. } | What::Skipped { origin, .. } => origin.clone(),
            _ => None,
        };
        let transaction = match round {
            // A mount or unmount outside any change: a transaction of its own (round 0, not indexed).
            None if matches!(step.what, What::Mount { .. }) => {
                ring.push(new_transaction(0, None), self.capacity)
            }
            // A read after its round: the transaction that made it stale is the last one.
            None => match ring.transactions.back_mut() {
                Some(last) => last,
                None => return,
            },
            Some(round) => match ring.transaction(round, self.capacity, origin.as_ref()) {
                Some(transaction) => transaction,
                None => return,
            },
        };
        if transaction.origin.is_none() {
            transaction.origin = origin;
        }
        transaction.steps.push(step);
        #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
        {
            transaction.took = Some(transaction.started.elapsed());
        }
    }
}

/// Attached only so that the store counts as watched: changes then carry their origins.
struct Watching;

impl Plugin for Watching {}

impl Trace {
    /// Attaches a trace to `store`, keeping its last `capacity` transactions (at least 1).
    pub fn attach<S: Store>(store: &S, capacity: usize) -> Self {
        let recorder = Arc::new(Recorder { capacity: capacity.max(1), ring: Mutex::new(Ring::default()) });
        let attachment = Attachment::new(store, Arc::new(Watching));
        store.__cell().0.add_tracer(recorder.clone());
        Trace { recorder, attachment }
    }

    /// The transactions kept, oldest first.
    pub fn transactions(&self) -> Vec<Transaction> {
        self.recorder.ring().transactions.iter().cloned().collect()
    }

    /// The last transaction, if any.
    pub fn last(&self) -> Option<Transaction> {
        self.recorder.ring().transactions.back().cloned()
    }

    /// Forgets every transaction kept.
    pub fn clear(&self) {
        self.recorder.ring().clear();
    }

    /// The store's [`Graph`](crate::Graph) with the transactions kept (newest last): its HTML page
    /// highlights the last one's path and lists, in each atom's panel, the transactions that touched it.
    /// `None` once the store is gone.
    pub fn graph(&self) -> Option<crate::Graph> {
        let store = self.attachment.store()?;
        let graph: crate::Graph = store.graph_export().into();
        let transactions = self
            .recorder
            .ring()
            .transactions
            .iter()
            .map(|t| {
                let mut path: Vec<usize> = Vec::new();
                for step in &t.steps {
                    let Some(i) = graph.index_of(&step.atom) else { continue };
                    if !path.contains(&i) {
                        path.push(i);
                    }
                }
                let mut summary = format!("transaction {}", t.round);
                if let Some(origin) = &t.origin {
                    let _ = write!(summary, " from {origin}");
                }
                let steps: Vec<String> = t.steps.iter().map(ToString::to_string).collect();
                let _ = write!(summary, ": {}", steps.join("; "));
                crate::tools::graph::GraphTransaction::new(summary, path)
            })
            .collect();
        Some(graph.with_transactions(transactions))
    }

    /// The chain of causes of `atom`'s current value, newest first, from the atom down to the writes
    /// that started it: each recompute names the source whose change made it run, each write where it
    /// was made. Only what the ring still holds can be told; the text says when the chain goes back
    /// further.
    pub fn why<A: Readable>(&self, atom: &A) -> String {
        let ring = self.recorder.ring();
        let ring = &ring.transactions;
        let mut out = String::new();
        let mut seen = HashSet::new();
        explain(
            ring,
            atom.__atom().id,
            &atom.__atom().handle.def().core().name_arc(),
            ring.len(),
            0,
            &mut seen,
            &mut out,
        );
        out
    }

    /// Why the last transaction did not change `atom`: it was set to an equal value (skipped), it was
    /// recomputed to the same value (and because of which source), a source on its path was recomputed
    /// to the same value (the change stopped there), or no write of the transaction is upstream of it.
    /// `atom` is read first, so that a lazily computed derived atom is brought up to date.
    pub fn why_not<A: Readable>(&self, atom: &A) -> String {
        let r = atom.__atom();
        let name = r.handle.def().core().name_arc();
        let upstream = match self.attachment.store() {
            Some(store) => {
                let _ = store.value(r);
                store.upstream(r)
            }
            None => return format!("{name}: the store is gone"),
        };
        let ring = self.recorder.ring();
        let Some(last) = ring.transactions.back() else {
            return format!("{name}: no transaction was recorded since the trace was attached");
        };
        let mut out = format!("{name}: the last transaction ({}", last.round);
        if let Some(origin) = &last.origin {
            let _ = write!(out, ", from {origin}");
        }
        out.push_str(") ");
        // (A first computation, made by the read above or by an earlier one, is no change of its value.)
        let mine = last.steps.iter().filter(|s| {
            s.id == Some(r.id) && !matches!(s.what, What::Recompute { reason: None, on_read: true, .. })
        });
        for step in mine {
            match &step.what {
                What::Write { before, after, .. } => {
                    let _ = write!(out, "did change it: {before} → {after}");
                    return out;
                }
                What::Recompute { changed: true, value, .. } => {
                    let _ = write!(out, "did change it: recomputed to {value}");
                    return out;
                }
                What::Skipped { value, origin } => {
                    let _ = write!(out, "set it to an equal value ({value}): equal, skipped");
                    if let Some(origin) = origin {
                        let _ = write!(out, ", at {origin}");
                    }
                    return out;
                }
                What::Recompute { changed: false, reason, value, .. } => {
                    out.push_str("recomputed it");
                    if let Some(reason) = reason {
                        let _ = write!(out, " because {reason} changed");
                    }
                    let _ = write!(out, ", to the same value ({value})");
                    return out;
                }
                What::Notified { .. } | What::Effect | What::Mount { .. } => {}
            }
        }
        let upstream_ids: HashSet<AtomId> = upstream.iter().map(|(id, _)| *id).collect();
        // A source on its path that was recomputed to the same value: the change stopped there.
        let cut = last.steps.iter().find(|s| {
            s.id.is_some_and(|id| upstream_ids.contains(&id))
                && matches!(s.what, What::Recompute { changed: false, .. })
        });
        if let Some(cut) = cut {
            if let What::Recompute { value, .. } = &cut.what {
                let _ = write!(out, "recomputed {}, which {name} reads, to the same value ({value}): the change stopped there", cut.atom);
            }
            return out;
        }
        let written: Vec<&str> =
            last.steps.iter().filter(|s| matches!(s.what, What::Write { .. })).map(|s| &*s.atom).collect();
        let reached: Vec<&str> = last
            .steps
            .iter()
            .filter(|s| last.wrote(s.id) && s.id.is_some_and(|id| upstream_ids.contains(&id)))
            .map(|s| &*s.atom)
            .collect();
        if reached.is_empty() {
            let _ = write!(out, "changed {}; no path leads from ", list(&written));
            let _ = write!(out, "{} to {name}", if written.len() == 1 { "it" } else { "them" });
            let reads: Vec<&str> = upstream.iter().map(|(_, n)| &**n).collect();
            if reads.is_empty() {
                let _ = write!(out, ", which reads nothing");
            } else {
                let _ = write!(out, ", which depends on {}", list(&reads));
            }
        } else {
            let _ = write!(
                out,
                "changed {}, which {name} depends on, but {name} was not recomputed",
                list(&reached)
            );
        }
        out
    }
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        "nothing".to_owned()
    } else {
        names.join(", ")
    }
}

/// Appends the cause of `id`'s value as of before transaction `before` (an index into `ring`), at
/// `depth`.
fn explain(
    ring: &VecDeque<Transaction>,
    id: AtomId,
    name: &str,
    before: usize,
    depth: usize,
    seen: &mut HashSet<AtomId>,
    out: &mut String,
) {
    let indent = "  ".repeat(depth);
    if !seen.insert(id) || depth > 64 {
        return;
    }
    let found = ring.iter().take(before).enumerate().rev().find_map(|(i, t)| {
        t.steps
            .iter()
            .rev()
            .find(|s| {
                s.id == Some(id)
                    && matches!(s.what, What::Write { .. } | What::Recompute { changed: true, .. })
            })
            .map(|s| (i, t, s))
    });
    let Some((i, transaction, step)) = found else {
        let _ = writeln!(
            out,
            "{indent}{name}: not changed in the {before} transaction(s) kept (its value is older than the trace)"
        );
        return;
    };
    match &step.what {
        What::Write { before: old, after, origin } => {
            let _ = write!(out, "{indent}{name}: {old} → {after}, set");
            if let Some(origin) = origin {
                let _ = write!(out, " at {origin}");
            }
            let _ = write!(out, " (transaction {}", transaction.round);
            if let Some(thread) = &transaction.thread {
                let _ = write!(out, ", thread {thread}");
            }
            out.push_str(")\n");
        }
        What::Recompute { reason, value, .. } => {
            let _ = write!(out, "{indent}{name} = {value}: recomputed in transaction {}", transaction.round);
            match (reason, step.reason_id) {
                (Some(reason), Some(reason_id)) => {
                    let _ = writeln!(out, " because {reason} changed");
                    explain(ring, reason_id, reason, i + 1, depth + 1, seen, out);
                }
                _ => out.push_str(" (first computed)\n"),
            }
        }
        _ => {}
    }
}

impl Drop for Trace {
    fn drop(&mut self) {
        if let Some(store) = self.attachment.store() {
            store.remove_tracer(&(self.recorder.clone() as Arc<dyn Tracer>));
        }
    }
}

impl fmt::Debug for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Trace")
            .field("capacity", &self.recorder.capacity)
            .field("transactions", &self.recorder.ring().transactions.len())
            .finish_non_exhaustive()
    }
}
