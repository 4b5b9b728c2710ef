//! Shows a store instance in [Redux DevTools](https://github.com/reduxjs/redux-devtools), over the remote
//! protocol of `@redux-devtools/cli` (feature `redux-devtools`).
//!
//! ```sh
//! npx @redux-devtools/cli --port 8000     # then open http://localhost:8000
//! ```
//!
//! ```no_run
//! nexus::store! { pub struct Counter; }
//! nexus::atom! { #![store(Counter)] pub static CLICKS: u32 = 0; }
//!
//! let counter = Counter::new();
//! let bridge = nexus::redux_devtools::connect(&counter, nexus::redux_devtools::Options::default());
//! counter.set(&CLICKS, 1); // the monitor shows `SET CLICKS` and the state `{ "CLICKS": 1 }`
//! drop(bridge); // the instance leaves the monitor (`STOP`)
//! ```
//!
//! # What the monitor sees and can do
//!
//! - One Redux DevTools **instance per store instance** (named after the store type and its id, unless
//!   [`Options::name`] says otherwise); two connected stores never mix their actions.
//! - The **state**: every primitive atom the instance holds, by registry name, as JSON when its type is
//!   `Serialize`, else as its `Debug` text, else as its type name. Derived atoms follow from these and are
//!   not shown; in a global-mode store, the shared `Global` atoms are not part of the instance's state.
//! - Every **change as an action**: `SET CLICKS`, `UPDATE TODOS`, `RESET NAME`, `HYDRATE ..`; one `set`,
//!   one writable write or one whole `batch` is one action (`BATCH SET A, SET B` when it changed several
//!   atoms). Undo/redo made by a [`TimeTravel`](crate::TimeTravel) show as `RESTORE ..` actions.
//! - A run of a nexus [`Action`](crate::Action) that changed something is one action named after it,
//!   with its changes: `{"type": "ADD_TASK", "arg": "(\"Write docs\", None)", "changes": ["SET NEXT_ID",
//!   "UPDATE TASKS"]}` (`arg` when the argument's type has `Debug`). A run that changed nothing is not
//!   sent: each entry of the monitor is a state.
//! - **Jumps** (`JUMP_TO_STATE`, `JUMP_TO_ACTION`, the slider) move the store to that state: primitive
//!   atoms get back the very values they held, derived atoms recompute, subscribers are notified.
//!   A change made while the store is in a past state cuts off the later actions, as in Redux.
//! - `COMMIT` makes the current state the committed one, `ROLLBACK` moves the store back to the
//!   committed state, `RESET` back to the state at connect time; each forgets the actions. `IMPORT`
//!   (a lifted state exported from the monitor) moves the store to the imported current state; it needs
//!   `Deserialize` types, and atoms that cannot be decoded are reported to the monitor and left alone.
//! - `START` from a monitor (re)sends the whole state; `STOP` pauses sending actions until the next
//!   `START`; `PAUSE_RECORDING` does the same from the UI's pause button.
//! - Not supported, reported to the monitor as an error: dispatching actions (nexus has no reducers),
//!   skipping, reordering or sweeping actions (a store cannot re-run its history), locking changes.
//!
//! # The store never waits on the network
//!
//! A change costs the store one bounded-queue push (a few shared pointers, no formatting, no I/O); a
//! background thread per connection turns changes into JSON and talks to the server. If the server is
//! down, the thread retries with backoff (100 ms doubling to 5 s) and says once that it cannot connect
//! (on stderr, and in [`Connection::status`]). If changes come faster than the thread drains them, the
//! queue's overflow is dropped, counted, said once per episode, and the monitor gets a resynchronised
//! state (an action `@@nexus/RESYNC`) so it never shows a state the store was not in.

mod bridge;
pub(crate) mod history;
mod socket;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::core::info::AtomId;
use crate::core::value_slot::Value;
use crate::graph::def::DefGuard;
use crate::graph::observe::{Change, ChangeOp, Plugin};
use crate::store::store_trait::Store;
use crate::tools::attach::Attachment;

/// Where and how to connect. `Options::default()`: `127.0.0.1:8000`, the default port of
/// `@redux-devtools/cli`.
///
/// ```
/// let options = nexus::redux_devtools::Options::default().port(8123).name("checkout");
/// assert_eq!(options.address(), "127.0.0.1:8123");
/// ```
#[derive(Debug, Clone)]
pub struct Options {
    host: String,
    port: u16,
    name: Option<String>,
    max_age: usize,
    queue: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { host: "127.0.0.1".to_owned(), port: 8000, name: None, max_age: 50, queue: 4096 }
    }
}

impl Options {
    /// The server's host name or address (default `127.0.0.1`).
    #[must_use]
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    /// The server's port (default 8000).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The instance's name in the monitor (default: the store's type name and id, like `Counter#3`).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// How many states the history keeps, the committed one included (default 50, at least 2), as
    /// Redux DevTools' `maxAge`: older actions are folded into the committed state.
    #[must_use]
    pub fn max_age(mut self, max_age: usize) -> Self {
        self.max_age = max_age.max(2);
        self
    }

    /// How many changes may wait for the background thread before new ones are dropped (default 4,096,
    /// at least 1).
    #[must_use]
    pub fn queue_capacity(mut self, capacity: usize) -> Self {
        self.queue = capacity.max(1);
        self
    }

    /// `host:port`.
    pub fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// What a connection has done so far, from [`Connection::status`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Status {
    /// Logged in to the server right now.
    pub connected: bool,
    /// How many times a connection was established.
    pub connections: u64,
    /// Messages sent to the server (`START`, `STATE`, `ACTION`, ...).
    pub sent: u64,
    /// Changes dropped because the queue to the background thread was full.
    pub dropped: u64,
    /// The last connection problem, if any.
    pub last_error: Option<String>,
}

/// A store instance shown in Redux DevTools; dropping it detaches the bridge from the store, tells the
/// monitor `STOP` and closes the connection. The drop waits for the background thread, which is never
/// blocked longer than one network timeout (1 s) per step of a connection attempt.
pub struct Connection {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    /// Taken (detached) first when the connection is dropped.
    attachment: Option<Attachment>,
    /// Told of the store's recomputes (the causal chain in the monitor's Trace tab); taken out on drop.
    chain: Arc<dyn crate::graph::trace::Tracer>,
    name: String,
}

/// State shared by the store-side tap, the background thread and the handle.
pub(crate) struct Shared {
    stop: AtomicBool,
    dropped: AtomicU64,
    /// Notes in the queue (an upper bound): when it is full, a change is counted as dropped without
    /// building a note, so a flooded bridge costs the store one atomic load and one increment.
    queued: std::sync::atomic::AtomicUsize,
    capacity: usize,
    status: Mutex<Status>,
    /// The recomputes of each change round, as Trace-tab lines without their location (`recompute
    /// TOTAL = 4680, because SUBTOTAL changed`), until the bridge takes them with the round's changes.
    chains: Mutex<std::collections::HashMap<u64, Vec<String>>>,
}

impl Shared {
    fn status(&self) -> std::sync::MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The recomputes of round `round`, taken.
    pub(crate) fn take_chain(&self, round: u64) -> Vec<String> {
        self.chains.lock().unwrap_or_else(PoisonError::into_inner).remove(&round).unwrap_or_default()
    }
}

/// Rounds whose recomputes are kept for the bridge at the most (a flooded bridge drops changes, and
/// their rounds' recomputes would otherwise stay).
const CHAINS: usize = 4096;

/// The store's recomputes, for the Trace tab's causal chain.
struct Chain(Arc<Shared>);

impl crate::graph::trace::Tracer for Chain {
    fn event(&self, round: Option<u64>, event: crate::graph::trace::TraceEvent) {
        let (Some(round), crate::graph::trace::TraceEvent::Recompute { name, reason, changed, value, .. }) =
            (round, event)
        else {
            return;
        };
        // One line of a stack: no line breaks, and a long value cut.
        let mut value: String = value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        if value.chars().count() > 80 {
            value = value.chars().take(79).chain(std::iter::once('…')).collect();
        }
        let mut line = format!("recompute {name} = {value}");
        if let Some((_, reason)) = reason {
            line.push_str(", because ");
            line.push_str(&reason);
            line.push_str(" changed");
        }
        if !changed {
            line.push_str(", same value");
        }
        let mut chains = self.0.chains.lock().unwrap_or_else(PoisonError::into_inner);
        if chains.len() >= CHAINS && !chains.contains_key(&round) {
            if let Some(&oldest) = chains.keys().min() {
                chains.remove(&oldest);
            }
        }
        chains.entry(round).or_default().push(line);
    }
}

/// One change, as the store hands it to the background thread (no formatting on the store's side).
pub(crate) struct Note {
    atom: AtomId,
    name: Arc<str>,
    def: DefGuard,
    op: ChangeOp,
    round: u64,
    before: Value,
    after: Value,
    /// The action run that made the change, if any.
    action: Option<Arc<crate::graph::observe::ActionRun>>,
    /// Where the change was made (shown in the monitor's Trace tab).
    origin: Option<crate::core::origin::Origin>,
}

thread_local! {
    /// The bridge token whose jump is running on this thread: its restores are not new actions.
    static JUMPING: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// The plugin attached to the store: one bounded-queue push per change, never a wait.
struct Tap {
    token: u64,
    queue: SyncSender<Note>,
    shared: Arc<Shared>,
}

impl Plugin for Tap {
    fn on_change(&self, change: &Change<'_>) {
        if change.op() == ChangeOp::Restore && JUMPING.with(std::cell::Cell::get) == self.token {
            return;
        }
        if self.shared.queued.load(Ordering::Relaxed) >= self.shared.capacity {
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let note = Note {
            atom: change.atom(),
            name: change.name_arc(),
            def: change.after().def_guard(),
            op: change.op(),
            round: change.round(),
            before: change.before().shared(),
            after: change.after().shared(),
            action: change.action_arc(),
            origin: change.origin().cloned(),
        };
        // Counted before the push, so the bridge never takes out more than was put in.
        self.shared.queued.fetch_add(1, Ordering::Relaxed);
        if self.queue.try_send(note).is_err() {
            self.shared.queued.fetch_sub(1, Ordering::Relaxed);
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Shows `store` in the Redux DevTools monitor of the `@redux-devtools/cli` server at `options`'
/// address. Returns at once: connecting, and reconnecting whenever the connection is lost, happen on a
/// background thread, so this never fails and never blocks; [`Connection::status`] tells how it goes.
///
/// # Panics
///
/// If the operating system refuses to start a thread.
pub fn connect<S: Store>(store: &S, options: Options) -> Connection {
    static TOKENS: AtomicU64 = AtomicU64::new(1);
    let token = TOKENS.fetch_add(1, Ordering::Relaxed);
    let name = options.name.clone().unwrap_or_else(|| format!("{}#{}", store.name(), store.id()));
    let shared = Arc::new(Shared {
        stop: AtomicBool::new(false),
        dropped: AtomicU64::new(0),
        queued: std::sync::atomic::AtomicUsize::new(0),
        capacity: options.queue,
        status: Mutex::default(),
        chains: Mutex::default(),
    });
    let (queue, notes) = mpsc::sync_channel(options.queue);
    let cell = &store.__cell().0;
    // Attach first, then take the starting state: a change in between shows up twice, never not at all.
    let attachment = Attachment::new(store, Arc::new(Tap { token, queue, shared: shared.clone() }));
    let chain: Arc<dyn crate::graph::trace::Tracer> = Arc::new(Chain(shared.clone()));
    cell.add_tracer(chain.clone());
    let held = cell.held_primitives();
    let weak = Arc::downgrade(cell);
    let instance_id = format!("{name}@{}", std::process::id());
    let bridge = bridge::Bridge::new(bridge::Setup {
        store: weak,
        options,
        name: name.clone(),
        instance_id,
        token,
        held,
        notes,
        shared: shared.clone(),
    });
    let thread = std::thread::Builder::new()
        .name(format!("nexus-redux-devtools {name}"))
        .spawn(move || bridge.run())
        .expect("the operating system started the Redux DevTools bridge thread");
    Connection { shared, thread: Some(thread), attachment: Some(attachment), chain, name }
}

impl Connection {
    /// The instance's name in the monitor.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the connection has done so far.
    pub fn status(&self) -> Status {
        let mut status = self.shared.status().clone();
        status.dropped = self.shared.dropped.load(Ordering::Relaxed);
        status
    }

    /// Waits until the bridge is logged in to the server, at most `timeout`; whether it is.
    pub fn wait_connected(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self.shared.status().connected {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if let Some(store) = self.attachment.as_ref().and_then(Attachment::store) {
            store.remove_tracer(&self.chain);
        }
        drop(self.attachment.take());
        self.shared.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            // The thread checks `stop` every few milliseconds and bounds its goodbye; a panic there has
            // already been reported by the panic hook.
            let _ = thread.join();
        }
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("name", &self.name)
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}
