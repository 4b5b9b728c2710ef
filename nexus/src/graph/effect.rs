//! Effects as change rounds schedule them. An effect is a node that observes: its sources are what its
//! last run read, so a change marks it through the same observer links as a derived atom, and the
//! round's flush decides whether it runs (a `Check` mark runs it only if a source really changed). Its
//! body runs after the round's lock is released, through [`settle`], which keeps a per-thread queue: the
//! rounds that effects cause are settled one after another, in order, not nested on the stack, and an
//! effect that keeps re-running within one cascade is a loop, stopped with a panic that names its atoms.
//!
//! An effect never runs concurrently with itself: its run state ([`EffectNode::begin`]) is claimed by
//! one thread at a time, and a change that reaches it while it runs on another thread tells that thread
//! to run it once more. A change it makes itself (on the thread running it) does not re-run it.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::panic::resume_unwind;
use std::sync::atomic::{fence, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use crate::graph::notes::Notes;

/// How many times one effect may run in one cascade of changes on one thread before the cascade is
/// called a loop.
pub(crate) const MAX_RUNS: u32 = 100;

pub(crate) type Panic = Box<dyn Any + Send>;

/// What the store does for an effect (the graph never names a store).
pub(crate) trait EffectBody: Send + Sync {
    /// Runs the effect on this thread (once more for each change that reached it from another thread
    /// during a run); returns the first panic of its body.
    fn run(&self, fx: &Arc<EffectNode>) -> Option<Panic>;
    /// The paths of the atoms its last run read (for the message of a loop).
    fn reads(&self, fx: &Arc<EffectNode>) -> Vec<String>;
    /// Ends it for good (its store is dropped, or its handle): runs its last cleanups; returns the first
    /// panic.
    fn stop(&self) -> Option<Panic>;
    /// It was due to run but will not (a loop was stopped): a later change must reach it again.
    fn unqueue(&self, fx: &Arc<EffectNode>);
}

/// One effect, held by its node in its store (`NodeDef::Effect`) and by each round due to run it.
pub(crate) struct EffectNode {
    /// Creation order in its store: the effects of one round run in this order.
    pub(crate) seq: u64,
    /// 0 while idle; else the running thread's mark shifted left by one, bit 0 set once a change from
    /// another thread reached it during the run.
    state: AtomicU64,
    /// The cascade it last ran in (high half) and how many times it ran there (low half).
    cascade: AtomicU64,
    /// Its node's local slot in its store (set under the lock when the node is inserted).
    pub(crate) local: AtomicU32,
    pub(crate) body: Box<dyn EffectBody>,
}

const AGAIN: u64 = 1;

#[inline]
fn me() -> u64 {
    (crate::core::thread::mark() as u64) << 1
}

impl EffectNode {
    pub(crate) fn new(seq: u64, body: Box<dyn EffectBody>) -> Self {
        EffectNode {
            seq,
            state: AtomicU64::new(0),
            cascade: AtomicU64::new(0),
            local: AtomicU32::new(0),
            body,
        }
    }

    /// Claims the run for this thread; `false` if a thread runs it already (another thread then runs it
    /// once more when its run ends).
    pub(crate) fn begin(&self) -> bool {
        let me = me();
        loop {
            let cur = self.state.load(Ordering::SeqCst);
            if cur == 0 {
                if self.state.compare_exchange(0, me, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
                    return true;
                }
            } else if cur & !AGAIN == me
                || self.state.compare_exchange(cur, cur | AGAIN, Ordering::SeqCst, Ordering::SeqCst).is_ok()
            {
                return false;
            }
        }
    }

    /// Ends this thread's run; `true` if it must run once more (a change from another thread reached it
    /// meanwhile). Either way the run is still claimed when `true`.
    pub(crate) fn end(&self) -> bool {
        let me = me();
        if self.state.compare_exchange(me, 0, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
            return false;
        }
        self.state.store(me, Ordering::SeqCst);
        true
    }

    /// Gives up the run claimed by this thread (its body panicked out of `run`, or the store is gone).
    pub(crate) fn abandon(&self) {
        self.state.store(0, Ordering::SeqCst);
    }

    /// Under its store's lock, a change reached this effect. `true`: it is idle, mark it as any observer.
    /// `false`: it is running, on this thread (the change is its own write: it does not re-run it) or on
    /// another one (which is told to run it once more).
    #[inline]
    pub(crate) fn reached(&self) -> bool {
        // The change was written before this look: a run claimed after it reads the new value (with the
        // claim's own fence, this orders the two sides as Dekker's handshake needs).
        fence(Ordering::SeqCst);
        let me = me();
        loop {
            let cur = self.state.load(Ordering::SeqCst);
            if cur == 0 {
                return true;
            }
            if cur & !AGAIN == me || cur & AGAIN == AGAIN {
                return false;
            }
            if self.state.compare_exchange(cur, cur | AGAIN, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
                return false;
            }
        }
    }

    /// Counts a run in cascade `cascade`; how many runs it made there, this one included.
    fn count(&self, cascade: u32) -> u32 {
        let cur = self.cascade.load(Ordering::Relaxed);
        #[allow(clippy::cast_possible_truncation)] // the halves were packed there
        let (at, n) = ((cur >> 32) as u32, cur as u32);
        let n = if at == cascade { n.saturating_add(1) } else { 1 };
        self.cascade.store((u64::from(cascade) << 32) | u64::from(n), Ordering::Relaxed);
        n
    }

    fn runs_in(&self, cascade: u32) -> u32 {
        let cur = self.cascade.load(Ordering::Relaxed);
        #[allow(clippy::cast_possible_truncation)]
        let (at, n) = ((cur >> 32) as u32, cur as u32);
        if at == cascade {
            n
        } else {
            0
        }
    }
}

/// What a change round leaves to do once its lock is released: effects, then subscribers, then mounts
/// and unmounts (Jotai's order).
pub(crate) struct Unit {
    pub(crate) effects: Vec<Arc<EffectNode>>,
    pub(crate) notes: Notes,
    pub(crate) panic: Option<Panic>,
    pub(crate) after: Option<After>,
}

/// Work after the subscribers of a round (mounts and unmounts); returns the first panic.
pub(crate) type After = Box<dyn FnOnce() -> Option<Panic>>;

struct Cascade {
    queue: VecDeque<Unit>,
    ran: Vec<Arc<EffectNode>>,
}

thread_local! {
    /// The cascade this thread is settling, if any: rounds caused meanwhile wait in its queue.
    static CASCADE: RefCell<Option<Cascade>> = const { RefCell::new(None) };
    /// Whether `CASCADE` holds one: what a round with no effect looks at (a `Cell` costs less to read).
    static IN_CASCADE: Cell<bool> = const { Cell::new(false) };
}

/// Whether a round settled now may skip [`settle`]: it has no effect, and no cascade of effects is under
/// way on this thread (whose queue it would have to wait in).
#[inline]
pub(crate) fn is_plain(effects: &[Arc<EffectNode>]) -> bool {
    effects.is_empty() && !IN_CASCADE.with(Cell::get)
}

static CASCADES: AtomicU32 = AtomicU32::new(0);

/// Settles a round after its lock is released: runs its effects, its subscribers, then `after`; the
/// first panic is raised again at the end. Inside a cascade of effects on this thread, the round waits in
/// the cascade's queue (it is settled after the rounds before it, by the cascade's loop).
pub(crate) fn settle(unit: Unit) {
    let queued = CASCADE.with(|c| match &mut *c.borrow_mut() {
        Some(cascade) => {
            cascade.queue.push_back(unit);
            None
        }
        None => Some(unit),
    });
    let Some(unit) = queued else { return };
    if unit.effects.is_empty() {
        // No effect: today's path, with no cascade opened.
        let mut panic = crate::graph::notes::call(unit.notes, unit.panic);
        if let Some(after) = unit.after {
            let p = after();
            panic = panic.or(p);
        }
        if let Some(p) = panic {
            resume_unwind(p);
        }
        return;
    }
    cascade(unit);
}

/// Closes this thread's cascade even if a panic leaves it.
struct Close;

impl Drop for Close {
    fn drop(&mut self) {
        let rest = CASCADE.with(|c| c.borrow_mut().take());
        IN_CASCADE.with(|c| c.set(false));
        // Effects still due (a panic left the loop): later changes must reach them again.
        if let Some(rest) = rest {
            for unit in rest.queue {
                for fx in unit.effects {
                    fx.body.unqueue(&fx);
                }
            }
        }
    }
}

fn cascade(first: Unit) {
    let id = CASCADES.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
    CASCADE.with(|c| *c.borrow_mut() = Some(Cascade { queue: VecDeque::new(), ran: Vec::new() }));
    IN_CASCADE.with(|c| c.set(true));
    let close = Close;
    let mut panic: Option<Panic> = None;
    let mut looping: Option<String> = None;
    let mut next = Some(first);
    while let Some(unit) =
        next.take().or_else(|| CASCADE.with(|c| c.borrow_mut().as_mut()?.queue.pop_front()))
    {
        for fx in unit.effects {
            if looping.is_some() {
                fx.body.unqueue(&fx);
                continue;
            }
            let runs = fx.count(id);
            if runs == 1 {
                CASCADE.with(|c| {
                    if let Some(c) = c.borrow_mut().as_mut() {
                        c.ran.push(fx.clone());
                    }
                });
            }
            if runs > MAX_RUNS {
                fx.body.unqueue(&fx);
                looping = Some(loop_message(id));
                continue;
            }
            if let Some(p) = fx.body.run(&fx) {
                panic.get_or_insert(p);
            }
        }
        if let Some(p) = crate::graph::notes::call(unit.notes, unit.panic) {
            panic.get_or_insert(p);
        }
        if let Some(after) = unit.after {
            if let Some(p) = after() {
                panic.get_or_insert(p);
            }
        }
    }
    drop(close);
    if let Some(message) = looping {
        panic!("{message}");
    }
    if let Some(p) = panic {
        resume_unwind(p);
    }
}

/// The message of a loop of effects: the atoms read by the effects that ran again and again.
fn loop_message(id: u32) -> String {
    let ran = CASCADE.with(|c| c.borrow().as_ref().map(|c| c.ran.clone()).unwrap_or_default());
    let mut atoms: Vec<String> = Vec::new();
    for fx in ran.iter().filter(|fx| fx.runs_in(id) >= MAX_RUNS / 2) {
        for path in fx.body.reads(fx) {
            if !atoms.contains(&path) {
                atoms.push(path);
            }
        }
    }
    format!(
        "nexus: effects kept re-running each other: one ran {MAX_RUNS} times in one cascade of changes, so \
         the cascade was stopped (a loop: each run changed an atom another one reads; the effects stay and \
         run again on the next change). The atoms they read: {}. Break the loop: write only when the \
         value differs, or make the change in one place",
        if atoms.is_empty() { "(none)".to_owned() } else { atoms.join(", ") }
    )
}
