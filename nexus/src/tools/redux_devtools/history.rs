//! The bridge's record of one store's history, in the shape Redux DevTools calls the "lifted state":
//! a committed state, then the actions since, each with the state it produced.
//!
//! Typed values are kept next to the JSON the monitor sees, so moving the store to any recorded state
//! sets back the very values it held (no JSON round trip, no `Deserialize` needed); only states imported
//! from the monitor are decoded from JSON.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Map, Value as Json};

use crate::core::info::AtomId;
use crate::core::value_slot::Value;
use crate::store::inspect::Held;

/// One atom's change inside an action.
pub(super) struct Step {
    pub(super) atom: Held,
    /// The value before, for atoms first seen in this action (their value in the committed state).
    pub(super) before: Option<Value>,
}

/// The JSON the monitor shows for a value: the value itself if its type is `Serialize`, else its `Debug`
/// text, else its type name.
pub(super) fn to_json(held: &Held) -> Json {
    struct Shown<'a>(&'a Held);
    impl std::fmt::Display for Shown<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            self.0.def.fmt_value(&*self.0.value, f)
        }
    }
    if let Some(Ok(json)) = held.def.encode_json(&*held.value) {
        return json;
    }
    Json::String(Shown(held).to_string())
}

/// One state of an imported history: its action's label, the typed values, the JSON shown.
pub(super) type Imported = (String, Vec<(AtomId, Value)>, Map<String, Json>);

/// One part of an action's label: one change (`SET CLICKS`), or the run of a nexus action with its
/// changes (`ADD_TASK`).
pub(super) struct Part {
    pub(super) label: String,
    /// The outermost action run the part stands for, if it is one.
    pub(super) run: Option<u64>,
    /// The run's argument through `Debug`.
    pub(super) arg: Option<String>,
    /// The run's changes (`SET NEXT_ID`, …).
    pub(super) changes: Vec<String>,
    /// Stack frames for the monitor's Trace tab, in the shape of a JavaScript stack's lines:
    /// `    at SET CLICKS (src/main.rs:42:9)`, the run's own call first.
    pub(super) frames: Vec<String>,
}

impl Part {
    pub(super) fn plain(label: String) -> Part {
        Part { label, run: None, arg: None, changes: Vec::new(), frames: Vec::new() }
    }
}

/// A Trace-tab frame: what was done, where (`    at SET CLICKS (src/main.rs:42:9)`).
pub(super) fn frame(what: &str, origin: &crate::core::origin::Origin) -> String {
    match origin.label() {
        Some(label) => format!("    at {what} [{label}] ({})", origin.location()),
        None => format!("    at {what} ({})", origin.location()),
    }
}

/// Appends `parts` to `into`; a part of the same action run as the last one (a run whose changes
/// reached the bridge in two pieces) joins it.
pub(super) fn join(into: &mut Vec<Part>, parts: Vec<Part>) {
    for part in parts {
        match into.last_mut() {
            Some(last) if last.run.is_some() && last.run == part.run => {
                last.changes.extend(part.changes);
                // Each part of a run repeats the run's own frame: keep it once.
                for frame in part.frames {
                    if !last.frames.contains(&frame) {
                        last.frames.push(frame);
                    }
                }
            }
            _ => into.push(part),
        }
    }
}

struct Entry {
    /// The Redux action id (0: the committed state's `@@INIT`).
    id: u64,
    /// `SET CLICKS`, or one part per atom changed (or action run) by one round (shown as
    /// `BATCH SET A, SET B`).
    parts: Vec<Part>,
    /// The store's change round, for actions made from changes.
    round: Option<u64>,
    at_ms: u64,
    /// The values this action set (a full state for resynchronised or imported entries).
    steps: Vec<(AtomId, Value)>,
    state: Arc<Map<String, Json>>,
}

impl Entry {
    fn init(at_ms: u64, state: Arc<Map<String, Json>>) -> Entry {
        Entry {
            id: 0,
            parts: vec![Part::plain("@@INIT".to_owned())],
            round: None,
            at_ms,
            steps: Vec::new(),
            state,
        }
    }

    fn label(&self) -> String {
        match self.parts.as_slice() {
            [one] => one.label.clone(),
            parts => {
                let labels: Vec<&str> = parts.iter().map(|p| p.label.as_str()).collect();
                format!("BATCH {}", labels.join(", "))
            }
        }
    }

    /// Redux's wrapper around the action: `{"type": label}`, plus, when it holds a nexus action's run,
    /// `"changes"` (every change's label, in order) and, for one run alone, its `"arg"`.
    fn perform(&self) -> Json {
        let mut action = json!({ "type": self.label() });
        if self.parts.iter().any(|p| p.run.is_some()) {
            if let [Part { arg: Some(arg), .. }] = self.parts.as_slice() {
                action["arg"] = json!(arg);
            }
            let changes: Vec<&str> = self
                .parts
                .iter()
                .flat_map(|p| match p.run {
                    Some(_) => p.changes.iter().map(String::as_str).collect::<Vec<_>>(),
                    None => vec![p.label.as_str()],
                })
                .collect();
            action["changes"] = json!(changes);
        }
        let mut perform = json!({ "type": "PERFORM_ACTION", "action": action, "timestamp": self.at_ms });
        // Redux DevTools' Trace tab shows a lifted action's `stack`, a JavaScript stack's text: here, where
        // each change (and the action run) was made, from `#[track_caller]`.
        let frames: Vec<&str> = self.parts.iter().flat_map(|p| p.frames.iter().map(String::as_str)).collect();
        if !frames.is_empty() {
            perform["stack"] = json!(format!("Error\n{}", frames.join("\n")));
        }
        perform
    }
}

/// What [`History::record`] did, so the bridge knows what to send.
pub(super) enum Recorded {
    /// Appended at the end: send an `ACTION`.
    Appended,
    /// The history after the current state was cut off first (the store had been moved back): the
    /// monitor's copy is stale, send a whole `STATE`.
    Rewrote,
}

pub(super) struct History {
    /// The typed values of the state at connect time, for `RESET`.
    initial: HashMap<AtomId, Value>,
    initial_state: Arc<Map<String, Json>>,
    /// The typed values of the committed state (`entries[0]`).
    base: HashMap<AtomId, Value>,
    entries: Vec<Entry>,
    current: usize,
    next_id: u64,
    max_age: usize,
    /// Whether the oldest actions have been folded into the committed state since the last `STATE`.
    pub(super) excess: bool,
}

impl History {
    /// A history whose committed state is `held`. `max_age` (at least 2) bounds the number of states kept.
    pub(super) fn new(held: &[Held], max_age: usize, now_ms: u64) -> History {
        let base: HashMap<AtomId, Value> = held.iter().map(|h| (h.atom, h.value.clone())).collect();
        let state: Map<String, Json> = held.iter().map(|h| (h.name.to_string(), to_json(h))).collect();
        let state = Arc::new(state);
        History {
            initial: base.clone(),
            initial_state: state.clone(),
            base,
            entries: vec![Entry::init(now_ms, state)],
            current: 0,
            next_id: 1,
            max_age: max_age.max(2),
            excess: false,
        }
    }

    /// Records an action made of `steps` (one part of the label per step), or adds them to the newest
    /// action if it is from the same change `round` (a round whose changes reached the bridge in two
    /// pieces). The store is at the newest state afterwards.
    pub(super) fn record(
        &mut self,
        round: Option<u64>,
        parts: Vec<Part>,
        steps: Vec<Step>,
        at_ms: u64,
    ) -> Recorded {
        let cut = self.current + 1 < self.entries.len();
        self.entries.truncate(self.current + 1);
        let last = self.entries.len() - 1;
        if round.is_some() && last > 0 && self.entries[last].round == round {
            let mut state = (*self.entries[last].state).clone();
            let values = self.absorb(steps, &mut state);
            let entry = &mut self.entries[last];
            join(&mut entry.parts, parts);
            entry.steps.extend(values);
            entry.state = Arc::new(state);
            return Recorded::Rewrote;
        }
        let mut state = (*self.entries[self.current].state).clone();
        let values = self.absorb(steps, &mut state);
        let id = self.next_id;
        self.next_id += 1;
        self.entries.push(Entry { id, parts, round, at_ms, steps: values, state: Arc::new(state) });
        self.current = self.entries.len() - 1;
        while self.entries.len() > self.max_age {
            // Fold the oldest action into the committed state, as the monitor does with `maxAge`.
            let oldest = self.entries.remove(1);
            for (atom, value) in oldest.steps {
                self.base.insert(atom, value);
            }
            self.entries[0].state = oldest.state;
            self.current -= 1;
            self.excess = true;
        }
        if cut {
            Recorded::Rewrote
        } else {
            Recorded::Appended
        }
    }

    /// Applies `steps` to `state`; returns the typed values they set.
    fn absorb(&mut self, steps: Vec<Step>, state: &mut Map<String, Json>) -> Vec<(AtomId, Value)> {
        let mut values = Vec::with_capacity(steps.len());
        for step in steps {
            let Step { atom, before } = step;
            if let Some(before) = before {
                self.base.entry(atom.atom).or_insert_with(|| before.clone());
                self.initial.entry(atom.atom).or_insert(before);
            }
            state.insert(atom.name.to_string(), to_json(&atom));
            values.push((atom.atom, atom.value));
        }
        values
    }

    /// The values the store must hold to be in state `index` (0: the committed state).
    pub(super) fn values_at(&self, index: usize) -> Vec<(AtomId, Value)> {
        let mut values = self.base.clone();
        for entry in &self.entries[1..=index] {
            for (atom, value) in &entry.steps {
                values.insert(*atom, value.clone());
            }
        }
        values.into_iter().collect()
    }

    /// The values of the state at connect time.
    pub(super) fn initial_values(&self) -> Vec<(AtomId, Value)> {
        self.initial.iter().map(|(a, v)| (*a, v.clone())).collect()
    }

    /// How many states are recorded (the committed one included).
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The index of the state with Redux action id `id`.
    pub(super) fn index_of(&self, id: u64) -> Option<usize> {
        self.entries.iter().position(|e| e.id == id)
    }

    /// Marks state `index` as the one the store is in.
    pub(super) fn move_to(&mut self, index: usize) {
        self.current = index.min(self.entries.len() - 1);
    }

    /// Makes the current state the committed one and forgets every action (`COMMIT`).
    pub(super) fn commit(&mut self) {
        let values = self.values_at(self.current);
        let state = self.entries[self.current].state.clone();
        self.base = values.into_iter().collect();
        self.restart(state);
    }

    /// Forgets every action; the committed state stays (`ROLLBACK`, after the store was moved there).
    pub(super) fn drop_actions(&mut self) {
        let state = self.entries[0].state.clone();
        self.restart(state);
    }

    /// Back to the state at connect time, with no actions (`RESET`, after the store was moved there).
    pub(super) fn reset(&mut self) {
        self.base = self.initial.clone();
        let state = self.initial_state.clone();
        self.restart(state);
    }

    /// Replaces the whole history with `states` (label, typed values, JSON state), the first one being the
    /// committed state (`IMPORT_STATE`), and makes `current` the current one.
    pub(super) fn replace(&mut self, states: Vec<Imported>, current: usize) {
        let mut entries = Vec::with_capacity(states.len());
        for (i, (label, values, state)) in states.into_iter().enumerate() {
            if i == 0 {
                for (atom, value) in &values {
                    self.base.insert(*atom, value.clone());
                }
            }
            let id = i as u64;
            entries.push(Entry {
                id,
                parts: vec![Part::plain(label)],
                round: None,
                at_ms: 0,
                steps: values,
                state: Arc::new(state),
            });
        }
        if entries.is_empty() {
            return;
        }
        self.next_id = entries.len() as u64;
        self.entries = entries;
        self.current = current.min(self.entries.len() - 1);
        self.excess = false;
    }

    fn restart(&mut self, state: Arc<Map<String, Json>>) {
        let now = self.entries.last().map_or(0, |e| e.at_ms);
        self.entries = vec![Entry::init(now, state)];
        self.current = 0;
        self.next_id = 1;
        self.excess = false;
    }

    /// The whole lifted state, as the `payload` of a `STATE` message.
    pub(super) fn lifted(&self, paused: bool) -> Json {
        let actions: Map<String, Json> =
            self.entries.iter().map(|e| (e.id.to_string(), e.perform())).collect();
        let states: Vec<Json> = self.entries.iter().map(|e| json!({ "state": &*e.state })).collect();
        let staged: Vec<u64> = self.entries.iter().map(|e| e.id).collect();
        json!({
            "actionsById": actions,
            "computedStates": states,
            "committedState": &*self.entries[0].state,
            "currentStateIndex": self.current,
            "nextActionId": self.next_id,
            "skippedActionIds": [],
            "stagedActionIds": staged,
            "isLocked": false,
            "isPaused": paused,
        })
    }

    /// The newest action as `(action, state, nextActionId)`, for an `ACTION` message.
    pub(super) fn last_action(&self) -> (Json, Json, u64) {
        let last = self.entries.last().expect("a history always has its committed state");
        (last.perform(), Json::Object((*last.state).clone()), last.id + 1)
    }

    /// The maximum number of states kept, as sent to the monitor.
    pub(super) fn max_age(&self) -> usize {
        self.max_age
    }
}
