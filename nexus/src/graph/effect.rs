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
    /// during a run); returns the first panic of its body. `store`: the store of the round that found it
    /// due, if known (saves upgrading the effect's own reference to it).
    fn run(&self, fx: &Arc<EffectNode>, store: Option<&Store>) -> Option<Panic>;
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
    /// The cascade it last ran in, and how many times it ran there.
    cascade: AtomicU64,
    cascade_runs: AtomicU32,
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
            cascade_runs: AtomicU32::new(0),
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
    ///
    /// `fenced`: whether this round's marking fenced already (once per round is enough: every change it
    /// marks was written before its first look).
    #[inline]
    pub(crate) fn reached(&self, fenced: &mut bool) -> bool {
        // The change was written before this look: a run claimed after it reads the new value (with the
        // claim's own fence, this orders the two sides as Dekker's handshake needs).
        if !*fenced {
            fence(Ordering::SeqCst);
            *fenced = true;
        }
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

    /// Counts a run in cascade `cascade` (a key from `cascade_key`); how many runs it made there, this one
    /// included. (Two words: the cascade's key, and the count.)
    fn count(&self, cascade: u64) -> u32 {
        let n = if self.cascade.load(Ordering::Relaxed) == cascade {
            self.cascade_runs.load(Ordering::Relaxed).saturating_add(1)
        } else {
            self.cascade.store(cascade, Ordering::Relaxed);
            1
        };
        self.cascade_runs.store(n, Ordering::Relaxed);
        n
    }
}

/// What a change round leaves to do once its lock is released: effects, then subscribers, then mounts
/// and unmounts (Jotai's order).
pub(crate) struct Unit {
    pub(crate) effects: Vec<Arc<EffectNode>>,
    /// The store of the round, held while its effects run (`None` without effects).
    pub(crate) store: Option<Store>,
    pub(crate) notes: Notes,
    pub(crate) panic: Option<Panic>,
    pub(crate) after: Option<After>,
}

/// Work after the subscribers of a round (mounts and unmounts); returns the first panic.
pub(crate) type After = Box<dyn FnOnce() -> Option<Panic>>;

/// A store, as the graph holds it without naming it.
pub(crate) type Store = Arc<dyn Any + Send + Sync>;

/// This thread's cascade: kept between cascades, so that settling one allocates nothing once warm.
#[derive(Default)]
struct Cascade {
    /// Whether one is under way.
    active: bool,
    /// Its number on this thread (with the thread's mark, what an effect's run count is kept for).
    id: u32,
    queue: VecDeque<Unit>,
    /// The effects that ran often in it (half the limit or more): a loop's suspects.
    suspects: Vec<Arc<EffectNode>>,
    /// Cleared lists of effects, for rounds to fill (a round's list comes back here once settled).
    spare: Vec<Vec<Arc<EffectNode>>>,
}

thread_local! {
    /// This thread's cascade: while one is under way, rounds caused meanwhile wait in its queue.
    static CASCADE: RefCell<Cascade> = RefCell::new(Cascade::default());
    /// Whether a cascade is under way: what a round with no effect looks at (a `Cell` costs less to read).
    static IN_CASCADE: Cell<bool> = const { Cell::new(false) };
}

/// Whether a round settled now may skip [`settle`]: it has no effect, and no cascade of effects is under
/// way on this thread (whose queue it would have to wait in).
#[inline]
pub(crate) fn is_plain(effects: &[Arc<EffectNode>]) -> bool {
    effects.is_empty() && !IN_CASCADE.with(Cell::get)
}

/// An empty list for a round's due effects, with the capacity of one used before on this thread.
pub(crate) fn list() -> Vec<Arc<EffectNode>> {
    CASCADE.with(|c| c.try_borrow_mut().ok().and_then(|mut c| c.spare.pop())).unwrap_or_default()
}

/// Settles a round after its lock is released: runs its effects, its subscribers, then `after`; the
/// first panic is raised again at the end. Inside a cascade of effects on this thread, the round waits in
/// the cascade's queue (it is settled after the rounds before it, by the cascade's loop).
pub(crate) fn settle(unit: Unit) {
    if IN_CASCADE.with(Cell::get) {
        // A round with nothing to do need not wait (an effect's run that wrote nothing observed).
        if unit.effects.is_empty()
            && matches!(unit.notes, Notes::None)
            && unit.panic.is_none()
            && unit.after.is_none()
        {
            return;
        }
        CASCADE.with(|c| c.borrow_mut().queue.push_back(unit));
        return;
    }
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
        IN_CASCADE.with(|c| c.set(false));
        let rest: Vec<Unit> = CASCADE.with(|c| {
            let mut c = c.borrow_mut();
            c.active = false;
            c.suspects.clear();
            if c.queue.is_empty() {
                Vec::new()
            } else {
                c.queue.drain(..).collect()
            }
        });
        // Effects still due (a panic left the loop): later changes must reach them again.
        for unit in rest {
            for fx in unit.effects {
                fx.body.unqueue(&fx);
            }
        }
    }
}

/// The run count key of cascade `id` on this thread.
fn cascade_key(id: u32) -> u64 {
    #[allow(clippy::cast_possible_truncation)] // a hash of the thread, in the high half
    let thread = (crate::core::thread::mark() >> 3) as u32;
    (u64::from(thread) << 32) | u64::from(id)
}

fn cascade(first: Unit) {
    let id = CASCADE.with(|c| {
        let mut c = c.borrow_mut();
        c.active = true;
        c.id = c.id.wrapping_add(1);
        c.id
    });
    let key = cascade_key(id);
    IN_CASCADE.with(|c| c.set(true));
    let close = Close;
    let mut panic: Option<Panic> = None;
    let mut looping: Option<String> = None;
    let mut next = Some(first);
    while let Some(mut unit) = next.take().or_else(|| CASCADE.with(|c| c.borrow_mut().queue.pop_front())) {
        for fx in unit.effects.drain(..) {
            if looping.is_some() {
                fx.body.unqueue(&fx);
                continue;
            }
            let runs = fx.count(key);
            if runs == MAX_RUNS / 2 {
                CASCADE.with(|c| c.borrow_mut().suspects.push(fx.clone()));
            }
            if runs > MAX_RUNS {
                fx.body.unqueue(&fx);
                looping = Some(loop_message());
                continue;
            }
            if let Some(p) = fx.body.run(&fx, unit.store.as_ref()) {
                panic.get_or_insert(p);
            }
        }
        if unit.effects.capacity() > 0 {
            // A few kept (rounds on this thread take one each); more would only pile up.
            CASCADE.with(|c| {
                let mut c = c.borrow_mut();
                if c.spare.len() < 4 {
                    c.spare.push(std::mem::take(&mut unit.effects));
                }
            });
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
fn loop_message() -> String {
    let suspects = CASCADE.with(|c| c.borrow().suspects.clone());
    let mut atoms: Vec<String> = Vec::new();
    for fx in &suspects {
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
