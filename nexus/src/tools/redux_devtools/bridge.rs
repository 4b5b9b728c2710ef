//! The background thread of one connection: drains the store's changes into the history, talks to the
//! server, reconnects with backoff, and acts on the monitor's messages.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value as Json};

use super::history::{join, History, Part, Recorded, Step};
use super::socket::{Incoming, ScSocket};
use super::{Note, Options, Shared, JUMPING};
use crate::core::info::AtomId;
use crate::core::value_slot::Value;
use crate::store::inspect::Held;
use crate::store::instance::StoreShared;

/// How long one connection attempt, login or goodbye may take.
const NET_TIMEOUT: Duration = Duration::from_secs(1);
/// How long the loop waits for changes before looking at the socket again.
const TICK: Duration = Duration::from_millis(5);
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// More change rounds than this in one drain are sent as one `STATE` (the monitor keeps only `max_age`
/// states anyway, and a flood of `ACTION`s would only fill the socket).
const BURST: usize = 16;
/// Overflow is said at most this often.
const SAY_DROPS_EVERY: Duration = Duration::from_secs(10);

pub(super) struct Setup {
    pub(super) store: Weak<StoreShared>,
    pub(super) options: Options,
    pub(super) name: String,
    pub(super) instance_id: String,
    pub(super) token: u64,
    pub(super) held: Vec<Held>,
    pub(super) notes: Receiver<Note>,
    pub(super) shared: Arc<Shared>,
}

pub(super) struct Bridge {
    store: Weak<StoreShared>,
    options: Options,
    name: String,
    instance_id: String,
    token: u64,
    notes: Receiver<Note>,
    /// Notes of the newest round, waiting for the rest of their round.
    pending: Vec<Note>,
    shared: Arc<Shared>,
    history: History,
    socket: Option<ScSocket>,
    /// `STOP` or `PAUSE_RECORDING` from the monitor: actions are recorded, not sent.
    paused: bool,
    backoff: Duration,
    next_attempt: Instant,
    /// Whether the current run of failed attempts has been said already.
    said_failing: bool,
    dropped_seen: u64,
    said_drops_at: Option<Instant>,
}

fn now_ms(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Bridge {
    pub(super) fn new(setup: Setup) -> Bridge {
        let history = History::new(&setup.held, setup.options.max_age, now_ms(SystemTime::now()));
        Bridge {
            store: setup.store,
            options: setup.options,
            name: setup.name,
            instance_id: setup.instance_id,
            token: setup.token,
            notes: setup.notes,
            pending: Vec::new(),
            shared: setup.shared,
            history,
            socket: None,
            paused: false,
            backoff: FIRST_BACKOFF,
            next_attempt: Instant::now(),
            said_failing: false,
            dropped_seen: 0,
            said_drops_at: None,
        }
    }

    pub(super) fn run(mut self) {
        loop {
            if self.shared.stop.load(Ordering::Acquire) {
                break;
            }
            if self.socket.is_none() && Instant::now() >= self.next_attempt {
                self.try_connect();
            }
            match self.notes.recv_timeout(TICK) {
                Ok(first) => {
                    let before = self.pending.len();
                    self.pending.push(first);
                    self.pending.extend(self.notes.try_iter());
                    self.shared.queued.fetch_sub(self.pending.len() - before, Ordering::Relaxed);
                    // The newest round may still be arriving (a batch's changes come one by one): hold it
                    // back until another round starts or a tick passes quietly.
                    let newest = self.pending.last().map(|n| n.round);
                    let split = self.pending.iter().position(|n| Some(n.round) == newest).unwrap_or(0);
                    let held = self.pending.split_off(split);
                    let ready = std::mem::replace(&mut self.pending, held);
                    self.record(ready);
                }
                Err(RecvTimeoutError::Timeout) => {
                    let ready = std::mem::take(&mut self.pending);
                    self.record(ready);
                }
                // The tap was detached: the connection is being dropped.
                Err(RecvTimeoutError::Disconnected) => break,
            }
            self.check_dropped();
            self.read_monitor();
        }
        let ready = std::mem::take(&mut self.pending);
        self.record(ready);
        let stop = self.message("STOP");
        if let Some(mut socket) = self.socket.take() {
            if socket.transmit("log", &stop).is_ok() {
                socket.close(NET_TIMEOUT);
            }
        }
        self.shared.status().connected = false;
    }

    fn say(&self, what: &str) {
        eprintln!("nexus redux-devtools ({}): {what}", self.name);
    }

    fn try_connect(&mut self) {
        match self.login() {
            Ok(socket) => {
                self.socket = Some(socket);
                if self.said_failing {
                    self.say(&format!("connected to {}", self.options.address()));
                }
                self.said_failing = false;
                self.backoff = FIRST_BACKOFF;
                {
                    let mut status = self.shared.status();
                    status.connected = true;
                    status.connections += 1;
                }
                let start = self.message("START");
                self.send(&start);
                self.send_state();
            }
            Err(problem) => {
                if !self.said_failing {
                    self.say(&format!(
                        "cannot connect to the Redux DevTools server at {}: {problem}; retrying in the \
                         background",
                        self.options.address()
                    ));
                    self.said_failing = true;
                }
                self.shared.status().last_error = Some(problem);
                self.next_attempt = Instant::now() + self.backoff;
                self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
            }
        }
    }

    /// Connects, logs in as an application (credentials `master`: we publish on `log`) and subscribes to
    /// the channel the server names plus our own `sc-<id>`.
    fn login(&self) -> Result<ScSocket, String> {
        let mut socket = ScSocket::connect(&self.options.host, self.options.port, NET_TIMEOUT)?;
        let channel = socket.invoke("login", &json!("master"), NET_TIMEOUT)?;
        let channel =
            channel.as_str().ok_or_else(|| format!("unexpected login answer {channel}"))?.to_owned();
        socket.subscribe(&channel)?;
        let own = format!("sc-{}", socket.id);
        socket.subscribe(&own)?;
        socket.set_nonblocking()?;
        Ok(socket)
    }

    fn lost(&mut self, problem: String) {
        self.socket = None;
        self.say(&format!("lost the connection to {} ({problem}); reconnecting", self.options.address()));
        self.said_failing = true;
        let mut status = self.shared.status();
        status.connected = false;
        status.last_error = Some(problem);
        drop(status);
        self.next_attempt = Instant::now() + FIRST_BACKOFF;
        self.backoff = FIRST_BACKOFF * 2;
    }

    /// A message of ours to the monitor, with the fields every message carries.
    fn message(&self, kind: &str) -> Json {
        json!({
            "type": kind,
            "id": self.socket.as_ref().map(|s| s.id.clone()),
            "name": self.name,
            "instanceId": self.instance_id,
        })
    }

    fn send(&mut self, message: &Json) {
        let Some(socket) = self.socket.as_mut() else { return };
        match socket.transmit("log", message) {
            Ok(()) => self.shared.status().sent += 1,
            Err(problem) => self.lost(problem),
        }
    }

    fn send_state(&mut self) {
        let mut message = self.message("STATE");
        message["payload"] = Json::String(self.history.lifted(self.paused).to_string());
        self.history.excess = false;
        self.send(&message);
    }

    fn send_error(&mut self, text: &str) {
        let mut message = self.message("ERROR");
        message["payload"] = Json::String(text.to_owned());
        self.send(&message);
    }

    /// Turns notes into actions: consecutive notes of one change round are one action. A burst of more
    /// rounds than the monitor keeps is sent as one `STATE` instead of an `ACTION` each.
    fn record(&mut self, notes: Vec<Note>) {
        let rounds =
            notes.windows(2).filter(|w| w[0].round != w[1].round).count() + usize::from(!notes.is_empty());
        let burst = rounds > BURST;
        // Timestamps are taken here, not in the store: a clock read per change is not the store's cost.
        let at = now_ms(SystemTime::now());
        let mut rewrote = false;
        let mut notes = notes.into_iter().peekable();
        while let Some(first) = notes.next() {
            let round = first.round;
            let mut group = vec![first];
            while let Some(next) = notes.next_if(|n| n.round == round) {
                group.push(next);
            }
            let mut parts = Vec::new();
            for note in &group {
                let change = format!("{} {}", note.op, note.name);
                let frame = note.origin.as_ref().map(|origin| super::history::frame(&change, origin));
                let part = match note.action.as_deref().map(crate::graph::observe::ActionRun::outermost) {
                    Some(run) => Part {
                        label: run.name().to_owned(),
                        run: Some(run.id()),
                        arg: run.arg().map(str::to_owned),
                        changes: vec![change],
                        // The run's own call first (it joins the part of the run's first change).
                        frames: run
                            .origin()
                            .map(|o| super::history::frame(run.name(), o))
                            .into_iter()
                            .chain(frame)
                            .collect(),
                    },
                    None => Part { frames: frame.into_iter().collect(), ..Part::plain(change) },
                };
                join(&mut parts, vec![part]);
            }
            // The recomputes the round's changes caused, located at its first change (Trace tab lines
            // need a location; this is where the chain began).
            let chain = self.shared.take_chain(round);
            if let (Some(origin), Some(last)) =
                (group.iter().find_map(|n| n.origin.as_ref()), parts.last_mut())
            {
                last.frames.extend(chain.iter().map(|line| super::history::frame(line, origin)));
            }
            let steps = group
                .into_iter()
                .map(|n| Step {
                    atom: Held { atom: n.atom, name: n.name, def: n.def, value: n.after },
                    before: Some(n.before),
                })
                .collect();
            let recorded = self.history.record(Some(round), parts, steps, at);
            if self.paused || burst {
                continue;
            }
            match recorded {
                Recorded::Appended => self.send_action(),
                Recorded::Rewrote => rewrote = true,
            }
        }
        if (burst || rewrote) && !self.paused {
            self.send_state();
        }
    }

    fn send_action(&mut self) {
        let (action, state, next_id) = self.history.last_action();
        let mut message = self.message("ACTION");
        message["action"] = Json::String(action.to_string());
        message["payload"] = Json::String(state.to_string());
        message["nextActionId"] = json!(next_id);
        message["isExcess"] = json!(self.history.excess);
        message["maxAge"] = json!(self.history.max_age());
        self.send(&message);
    }

    /// Says (rarely) that changes were dropped, and resynchronises the monitor with the store.
    fn check_dropped(&mut self) {
        let dropped = self.shared.dropped.load(Ordering::Relaxed);
        if dropped == self.dropped_seen {
            return;
        }
        let newly = dropped - self.dropped_seen;
        self.dropped_seen = dropped;
        if self.said_drops_at.is_none_or(|at| at.elapsed() >= SAY_DROPS_EVERY) {
            self.say(&format!(
                "the store changed faster than the bridge could forward; {newly} change(s) were not \
                 recorded ({dropped} in all). The monitor gets the current state as `@@nexus/RESYNC`."
            ));
            self.said_drops_at = Some(Instant::now());
        }
        let Some(store) = self.store.upgrade() else { return };
        let steps = store.held_primitives().into_iter().map(|h| Step { atom: h, before: None }).collect();
        let label = format!("@@nexus/RESYNC ({newly} changes dropped)");
        self.history.record(None, vec![Part::plain(label)], steps, now_ms(SystemTime::now()));
        if !self.paused {
            self.send_state();
        }
    }

    fn read_monitor(&mut self) {
        loop {
            let Some(socket) = self.socket.as_mut() else { return };
            match socket.poll() {
                Ok(None) => return,
                Ok(Some(Incoming::Publish { data, .. })) => self.on_monitor(&data),
                Ok(Some(Incoming::Answer { error: Some(error), .. })) => {
                    self.say(&format!("the server refused a request: {error}"));
                }
                Ok(Some(Incoming::Answer { .. })) => {}
                Err(problem) => {
                    self.lost(problem);
                    return;
                }
            }
        }
    }

    fn on_monitor(&mut self, message: &Json) {
        match message.get("type").and_then(Json::as_str).unwrap_or("") {
            "START" => {
                self.paused = false;
                self.send_state();
            }
            "STOP" => self.paused = true,
            "UPDATE" => self.send_state(),
            "IMPORT" => {
                let state = message.get("state").cloned().unwrap_or(Json::Null);
                self.import(&state);
            }
            "ACTION" => self.send_error(
                "nexus stores have no reducers: actions cannot be dispatched from the monitor; change atoms \
                 from code",
            ),
            "DISPATCH" => {
                let action = message.get("action").cloned().unwrap_or(Json::Null);
                self.dispatch(&action);
            }
            // `SYNC` is for other instances; `DISCONNECTED` says a monitor left (others may remain).
            _ => {}
        }
    }

    fn dispatch(&mut self, action: &Json) {
        let kind = action.get("type").and_then(Json::as_str).unwrap_or("");
        match kind {
            "JUMP_TO_STATE" => match action.get("index").and_then(Json::as_u64) {
                Some(index) => self.jump(usize::try_from(index).unwrap_or(usize::MAX)),
                None => self.send_error("JUMP_TO_STATE without an index"),
            },
            "JUMP_TO_ACTION" => {
                match action.get("actionId").and_then(Json::as_u64).and_then(|id| self.history.index_of(id)) {
                    Some(index) => self.jump(index),
                    None => self.send_error("JUMP_TO_ACTION names no recorded action"),
                }
            }
            "COMMIT" => {
                self.history.commit();
                self.send_state();
            }
            "ROLLBACK" => {
                let values = self.history.values_at(0);
                if self.move_store(values) {
                    self.history.drop_actions();
                }
                self.send_state();
            }
            "RESET" => {
                let values = self.history.initial_values();
                if self.move_store(values) {
                    self.history.reset();
                }
                self.send_state();
            }
            "IMPORT_STATE" => {
                let lifted = action.get("nextLiftedState").cloned().unwrap_or(Json::Null);
                self.import(&lifted);
            }
            "PAUSE_RECORDING" => {
                self.paused = action.get("status").and_then(Json::as_bool).unwrap_or(!self.paused);
                if !self.paused {
                    self.send_state();
                }
            }
            other => self.send_error(&format!(
                "{other} is not supported by nexus: a store cannot re-run, skip or lock its history; \
                 jump, commit, rollback, reset and import are"
            )),
        }
    }

    fn jump(&mut self, index: usize) {
        if index >= self.history.len() {
            self.send_error(&format!("there is no state {index} (the history has {})", self.history.len()));
            return;
        }
        let values = self.history.values_at(index);
        if self.move_store(values) {
            self.history.move_to(index);
        }
        self.send_state();
    }

    /// Sets the store's primitive atoms to `values` as one round that this bridge does not record.
    /// `false` if the store is gone or a subscriber panicked (the store stays usable either way).
    fn move_store(&mut self, values: Vec<(AtomId, Value)>) -> bool {
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                JUMPING.with(|j| j.set(0));
            }
        }
        let Some(store) = self.store.upgrade() else { return false };
        JUMPING.with(|j| j.set(self.token));
        let _reset = Reset;
        if catch_unwind(AssertUnwindSafe(|| store.restore(values))).is_err() {
            self.send_error("a subscriber panicked while the store was moved; the move was made");
        }
        true
    }

    /// Moves the store to the current state of an exported lifted state, and adopts its history.
    fn import(&mut self, lifted: &Json) {
        let parsed;
        let lifted = match lifted {
            Json::String(text) => match serde_json::from_str::<Json>(text) {
                Ok(v) => {
                    parsed = v;
                    &parsed
                }
                Err(e) => return self.send_error(&format!("the imported state is not JSON: {e}")),
            },
            other => other,
        };
        let Some(states) = lifted.get("computedStates").and_then(Json::as_array) else {
            return self.send_error("the imported state has no computedStates");
        };
        let Some(store) = self.store.upgrade() else { return };
        let atoms: std::collections::HashMap<String, Held> =
            store.held_primitives().into_iter().map(|h| (h.name.to_string(), h)).collect();
        let staged: Vec<u64> = lifted
            .get("stagedActionIds")
            .and_then(Json::as_array)
            .map(|ids| ids.iter().filter_map(Json::as_u64).collect())
            .unwrap_or_default();
        let mut problems = std::collections::BTreeSet::new();
        let mut decoded = Vec::with_capacity(states.len());
        for (i, entry) in states.iter().enumerate() {
            let label = staged
                .get(i)
                .and_then(|id| {
                    lifted.get("actionsById")?.get(id.to_string())?.get("action")?.get("type")?.as_str()
                })
                .unwrap_or(if i == 0 { "@@INIT" } else { "IMPORTED" })
                .to_owned();
            let state = entry.get("state").and_then(Json::as_object).cloned().unwrap_or_default();
            let mut values = Vec::new();
            let mut shown = Map::new();
            for (name, json) in &state {
                let Some(held) = atoms.get(name) else {
                    problems.insert(format!("`{name}` is not an atom of this store instance"));
                    continue;
                };
                match held.def.decode_json(json.clone()) {
                    Some(Ok(value)) => {
                        values.push((held.atom, value));
                        shown.insert(name.clone(), json.clone());
                    }
                    Some(Err(e)) => {
                        problems.insert(format!("`{name}` does not decode: {e}"));
                    }
                    None => {
                        problems.insert(format!("`{name}` ({}) is not Deserialize", held.def.type_name()));
                    }
                }
            }
            decoded.push((label, values, shown));
        }
        if decoded.is_empty() {
            return self.send_error("the imported state has no states");
        }
        let current = lifted
            .get("currentStateIndex")
            .and_then(Json::as_u64)
            .and_then(|i| usize::try_from(i).ok())
            .unwrap_or(decoded.len() - 1)
            .min(decoded.len() - 1);
        let target = decoded[current].1.clone();
        self.move_store(target);
        self.history.replace(decoded, current);
        self.send_state();
        if !problems.is_empty() {
            let list: Vec<String> = problems.into_iter().collect();
            self.send_error(&format!("imported with problems, left alone: {}", list.join("; ")));
        }
    }
}
