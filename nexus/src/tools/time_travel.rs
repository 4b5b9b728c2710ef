//! [`TimeTravel`]: undo, redo and jumps through the history of one store instance.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use crate::core::info::AtomId;
use crate::core::value_slot::Value;
use crate::graph::observe::{Change, ChangeOp, Plugin};
use crate::store::store_trait::Store;
use crate::tools::attach::Attachment;

/// Undo/redo for one store instance, independent of every other instance.
///
/// Records each change round of the instance's primitive atoms (one `set`, one writable write, one
/// whole `batch`, or one run of an [`Action`](crate::Action)) as one history entry, keeping at most
/// `capacity` entries (the oldest go first): undo sets back everything one action did. An entry made by
/// an action is labelled with its name; an action that changed nothing makes no entry.
///
/// Async atoms: a load that finishes is not an entry of its own; its outcome joins the entry that
/// led to it (the change of a dependency). Undo and redo therefore set back an async atom's `Ready` or
/// `Failed` state together with its dependencies, and nothing is fetched again. A state recorded
/// before any load of the atom finished comes back as `Loading`, and the load runs again.
/// [`undo`](TimeTravel::undo), [`redo`](TimeTravel::redo) and [`jump_to`](TimeTravel::jump_to) set the
/// recorded values back as one change round: derived atoms recompute, effects that read a restored atom
/// run (a restored value is a change), subscribers are notified of what changed, and the restore itself
/// is not recorded. A new change after an undo drops the redo branch.
///
/// In a global-mode store, time travel covers the store's own atoms only: `Global` atoms there live in the
/// shared registry, and undoing one store must never move the state other stores see.
///
/// ```
/// nexus::store! { pub struct Editor; }
/// nexus::atom! { #![store(Editor)] pub static TEXT: String = String::new(); }
///
/// let editor = Editor::new();
/// let tt = nexus::TimeTravel::attach(&editor, 100);
/// editor.set(&TEXT, "hello".to_owned());
/// editor.set(&TEXT, "hello world".to_owned());
/// assert!(tt.undo());
/// assert_eq!(editor.get(&TEXT), "hello");
/// assert!(tt.redo());
/// assert_eq!(editor.get(&TEXT), "hello world");
/// ```
pub struct TimeTravel {
    attachment: Attachment,
    history: Arc<Mutex<History>>,
}

struct History {
    entries: VecDeque<Entry>,
    /// How many entries are applied: `entries[..cursor]` are in the store's state, the rest can be redone.
    cursor: usize,
    capacity: usize,
}

struct Entry {
    round: u64,
    changes: Vec<Recorded>,
}

struct Recorded {
    atom: AtomId,
    name: Arc<str>,
    op: ChangeOp,
    /// The outermost action run that made it, if any: its id and name (for the entry's label).
    action: Option<(u64, Arc<str>)>,
    before: Value,
    after: Value,
}

/// One entry of the history, as [`TimeTravel::history`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    label: String,
    changes: usize,
    applied: bool,
}

impl HistoryEntry {
    /// `SET CLICKS`; `ADD_TASK` for an action's run; `BATCH SET A, SET B` for a round that changed
    /// several atoms (an action's changes count as one part, its name).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// How many atom changes the entry holds.
    pub fn changes(&self) -> usize {
        self.changes
    }

    /// Whether the entry is part of the current state (`false`: it can be redone).
    pub fn is_applied(&self) -> bool {
        self.applied
    }
}

struct Recorder(Arc<Mutex<History>>);

impl Plugin for Recorder {
    fn on_change(&self, change: &Change<'_>) {
        if change.op() == ChangeOp::Restore {
            return;
        }
        let mut h = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if h.capacity == 0 {
            return;
        }
        if change.op() == ChangeOp::Load {
            h.fold_load(change);
            return;
        }
        let cursor = h.cursor;
        h.entries.truncate(cursor);
        let recorded = Recorded {
            atom: change.atom(),
            name: change.name().into(),
            op: change.op(),
            action: change.action().map(|run| {
                let run = run.outermost();
                (run.id(), run.name().into())
            }),
            before: change.before().shared(),
            after: change.after().shared(),
        };
        match h.entries.back_mut() {
            Some(last) if last.round == change.round() => last.changes.push(recorded),
            _ => {
                h.entries.push_back(Entry { round: change.round(), changes: vec![recorded] });
                if h.entries.len() > h.capacity {
                    h.entries.pop_front();
                }
            }
        }
        h.cursor = h.entries.len();
    }
}

impl History {
    /// An async atom's load finished: its outcome belongs to the state the current entry led to (the
    /// change that started the load), not to an entry of its own; so undo and redo set loaded values back
    /// with their dependencies and nothing loads again. Before the first entry it is part of the
    /// state the history starts from.
    fn fold_load(&mut self, change: &Change<'_>) {
        let after = change.after().shared();
        if let Some(current) = self.cursor.checked_sub(1) {
            let entry = &mut self.entries[current];
            match entry.changes.iter_mut().find(|c| c.atom == change.atom()) {
                Some(recorded) => recorded.after = after.clone(),
                None => entry.changes.push(Recorded {
                    atom: change.atom(),
                    name: change.name().into(),
                    op: ChangeOp::Load,
                    action: None,
                    before: change.before().shared(),
                    after: after.clone(),
                }),
            }
        }
        // An entry that can be redone starts from this state.
        if let Some(next) = self.entries.get_mut(self.cursor) {
            for recorded in next.changes.iter_mut().filter(|c| c.atom == change.atom()) {
                recorded.before = after.clone();
            }
        }
    }
}

impl TimeTravel {
    /// Starts recording `store`'s changes, keeping at most `capacity` entries.
    pub fn attach<S: Store>(store: &S, capacity: usize) -> Self {
        let history = Arc::new(Mutex::new(History { entries: VecDeque::new(), cursor: 0, capacity }));
        TimeTravel { attachment: Attachment::new(store, Arc::new(Recorder(history.clone()))), history }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, History> {
        self.history.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Steps back one entry; whether it moved (`false` at the start of the history, or once the store is
    /// gone).
    #[track_caller]
    pub fn undo(&self) -> bool {
        let at = std::panic::Location::caller();
        let Some(store) = self.attachment.store() else { return false };
        let values = {
            let mut h = self.lock();
            if h.cursor == 0 {
                return false;
            }
            h.cursor -= 1;
            let entry = &h.entries[h.cursor];
            entry.changes.iter().rev().map(|c| (c.atom, c.before.clone())).collect()
        };
        // The lock is released first: restoring reports to plugins, this one included.
        let _origin = store.origin(at);
        store.restore(values);
        true
    }

    /// Steps forward one undone entry; whether it moved.
    #[track_caller]
    pub fn redo(&self) -> bool {
        let at = std::panic::Location::caller();
        let Some(store) = self.attachment.store() else { return false };
        let values = {
            let mut h = self.lock();
            if h.cursor == h.entries.len() {
                return false;
            }
            let entry = &h.entries[h.cursor];
            let values = entry.changes.iter().map(|c| (c.atom, c.after.clone())).collect();
            h.cursor += 1;
            values
        };
        let _origin = store.origin(at);
        store.restore(values);
        true
    }

    /// Moves so that exactly `position` entries are applied (0: before the first recorded entry); whether
    /// it moved. `false` if `position` is past the end of the history or already current.
    #[track_caller]
    pub fn jump_to(&self, position: usize) -> bool {
        let at = std::panic::Location::caller();
        let Some(store) = self.attachment.store() else { return false };
        let values: Vec<(AtomId, Value)> = {
            let mut h = self.lock();
            if position > h.entries.len() || position == h.cursor {
                return false;
            }
            let values = if position < h.cursor {
                h.entries
                    .range(position..h.cursor)
                    .rev()
                    .flat_map(|e| e.changes.iter().rev().map(|c| (c.atom, c.before.clone())))
                    .collect()
            } else {
                h.entries
                    .range(h.cursor..position)
                    .flat_map(|e| e.changes.iter().map(|c| (c.atom, c.after.clone())))
                    .collect()
            };
            h.cursor = position;
            values
        };
        let _origin = store.origin(at);
        store.restore(values);
        true
    }

    /// The recorded entries, oldest first.
    pub fn history(&self) -> Vec<HistoryEntry> {
        let h = self.lock();
        h.entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                // Loads that finished are part of the entry's state, not what the entry did. An action's
                // changes are one part, its name.
                let mut labels: Vec<String> = Vec::new();
                let mut last_run = None;
                for c in e.changes.iter().filter(|c| c.op != ChangeOp::Load) {
                    match &c.action {
                        Some((run, _)) if last_run == Some(*run) => {}
                        Some((run, name)) => {
                            last_run = Some(*run);
                            labels.push(name.to_string());
                        }
                        None => {
                            last_run = None;
                            labels.push(format!("{} {}", c.op, c.name));
                        }
                    }
                }
                let label = if labels.len() == 1 {
                    labels[0].clone()
                } else {
                    format!("BATCH {}", labels.join(", "))
                };
                HistoryEntry { label, changes: e.changes.len(), applied: i < h.cursor }
            })
            .collect()
    }

    /// How many entries are applied (the argument of [`jump_to`](TimeTravel::jump_to) that stays here).
    pub fn position(&self) -> usize {
        self.lock().cursor
    }

    /// Whether [`undo`](TimeTravel::undo) would move.
    pub fn can_undo(&self) -> bool {
        self.lock().cursor > 0
    }

    /// Whether [`redo`](TimeTravel::redo) would move.
    pub fn can_redo(&self) -> bool {
        let h = self.lock();
        h.cursor < h.entries.len()
    }

    /// Forgets the whole history (the store keeps its current state).
    pub fn clear(&self) {
        let mut h = self.lock();
        h.entries.clear();
        h.cursor = 0;
    }
}

impl std::fmt::Debug for TimeTravel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let h = self.lock();
        f.debug_struct("TimeTravel").field("entries", &h.entries.len()).field("position", &h.cursor).finish()
    }
}
