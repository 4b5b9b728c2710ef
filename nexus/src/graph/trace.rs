//! The hook a [`Trace`](crate::Trace) puts into one instance's graph: told of every write, skipped
//! write, recompute (with the source whose change made it run) and subscriber call as they happen, under
//! the store's lock, in order. Absent unless a trace is attached: then the evaluation pays one check of
//! the tools box per recompute.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::core::info::AtomId;
use crate::core::origin::Origin;
use crate::graph::def::ErasedDef;
use crate::graph::state::State;

/// Something that happened in a round, as a trace records it. Values are rendered as tools show them.
#[derive(Clone)]
pub(crate) enum TraceEvent {
    /// A primitive atom changed.
    Write { atom: AtomId, name: Arc<str>, before: String, after: String, origin: Option<Origin> },
    /// A write of a value equal to the current one: nothing changed.
    Skipped { atom: AtomId, name: Arc<str>, value: String, origin: Option<Origin> },
    /// A derived atom's read function ran.
    Recompute {
        atom: AtomId,
        name: Arc<str>,
        /// The source whose change made it run (the one changed last), if one did.
        reason: Option<(AtomId, Arc<str>)>,
        changed: bool,
        value: String,
        took: Option<Duration>,
    },
    /// An atom's subscribers are called with its new value.
    Notified { atom: AtomId, name: Arc<str>, subscribers: usize },
    /// An effect is due.
    Effect { seq: u64 },
    /// An atom with `on_mount` was mounted (`true`) or unmounted: its `on_mount` or cleanup runs after
    /// the lock.
    Mount { atom: AtomId, name: Arc<str>, mounted: bool },
}

/// What receives the events (the trace's recorder).
pub(crate) trait Tracer: Send + Sync {
    /// `round`: the change round the event belongs to; `None` for a recompute made by a read after its
    /// round ended (a derived atom nobody observes is brought up to date when it is next read).
    fn event(&self, round: Option<u64>, event: TraceEvent);
}

/// `v` as tools show values of `def`'s atom.
pub(crate) fn render(def: &dyn ErasedDef, v: &(dyn Any + Send + Sync)) -> String {
    struct Shown<'a>(&'a dyn ErasedDef, &'a (dyn Any + Send + Sync));
    impl fmt::Display for Shown<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.fmt_value(self.1, f)
        }
    }
    Shown(def, v).to_string()
}

/// Where a recompute started: the source that made it run, and the time.
pub(crate) struct Started {
    reason: Option<(AtomId, Arc<str>)>,
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    at: std::time::Instant,
}

impl State {
    /// Tells every attached tracer of `event` (call only while `tracing`).
    #[cold]
    pub(crate) fn trace_event(&self, round: Option<u64>, event: TraceEvent) {
        let Some(tools) = self.tools.as_ref() else { return };
        if let Some((last, others)) = tools.tracers.split_last() {
            for tracer in others {
                tracer.event(round, event.clone());
            }
            last.event(round, event);
        }
    }

    /// Node `l`'s subscribers are called in round `round`, while a trace is attached.
    #[cold]
    pub(crate) fn trace_notified(&self, l: u32, round: u64) {
        let node = self.node(l);
        let subscribers = node.subs.len();
        self.trace_event(
            Some(round),
            TraceEvent::Notified { atom: node.id, name: node.def.any().core().name_arc(), subscribers },
        );
    }

    /// Before node `l` recomputes, while a trace is attached: notes the source that changed last (the
    /// reason), and the time.
    #[cold]
    pub(crate) fn trace_start(&mut self, l: u32) {
        let node = self.node(l);
        let reason = node
            .sources
            .iter()
            .map(|&s| self.node(s))
            .filter(|s| s.changed_at > 0)
            .max_by_key(|s| s.changed_at)
            .map(|s| (s.id, s.def.any().core().name_arc()));
        let started = Started {
            reason,
            #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
            at: std::time::Instant::now(),
        };
        if let Some(tools) = self.tools.as_mut() {
            tools.trace_started.push((l, started));
        }
    }

    /// After node `l` recomputed (`changed`: to a new value), while a trace is attached.
    #[cold]
    pub(crate) fn trace_recompute(&mut self, l: u32, changed: bool) {
        // Recomputes that unwound (a read function's panic, caught inside another) left their entry.
        let started = loop {
            match self.tools.as_mut().and_then(|t| t.trace_started.pop()) {
                Some((node, started)) if node == l => break started,
                Some(_) => {}
                None => return,
            }
        };
        #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
        let took = Some(started.at.elapsed());
        #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
        let took = None;
        let node = self.node(l);
        let def = node.def.any();
        let value = node.value.get().map_or_else(|| "<no value>".to_owned(), |v| render(def, v));
        let round = self.tools.as_ref().and_then(|t| t.trace_round);
        self.trace_event(
            round,
            TraceEvent::Recompute {
                atom: node.id,
                name: def.core().name_arc(),
                reason: started.reason,
                changed,
                value,
                took,
            },
        );
    }
}
