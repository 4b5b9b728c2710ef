//! [`DevTools`]: a live inspector and an action log for one store instance.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use crate::core::info::{AtomInfo, AtomKind, StoreId};
use crate::graph::observe::{Change, ChangeOp, Plugin, Warning};
use crate::store::store_trait::Store;
use crate::tools::attach::Attachment;

/// The default number of actions a [`DevTools`] log keeps.
pub const DEFAULT_ACTION_CAPACITY: usize = 1_000;

/// Developer tools for one store instance: what it holds now ([`atoms`](DevTools::atoms)), what changed
/// ([`actions`](DevTools::actions)), and both as JSON ([`export_json`](DevTools::export_json)).
///
/// Built on the [`Plugin`] interface; attached to one instance, so two stores with their own `DevTools`
/// never see each other's atoms or actions. `Global` atoms appear in the store that holds their values (an
/// isolated store holds its own; a global-mode store's live in [`crate::store::global`]). Values are shown
/// through `Debug` when their type has it, otherwise as `<type name>`. An async atom is listed once, as
/// the `Loadable` users read, and each finished load is logged as `LOAD NAME` under the atom's own name
/// and path (the atoms it is made of internally are not shown). Dropping the `DevTools` detaches it.
///
/// ```
/// nexus::store! { pub struct Session; }
/// nexus::atom! { #![store(Session)] pub static CLICKS: u32 = 0; }
///
/// let session = Session::new();
/// let dt = nexus::DevTools::attach(&session);
/// session.set(&CLICKS, 3);
/// assert_eq!(dt.atoms()[0].value(), "3");
/// assert_eq!(dt.actions()[0].label(), "SET CLICKS");
/// ```
pub struct DevTools {
    declared: fn() -> Vec<crate::store::catalog::Entry>,
    attachment: Attachment,
    store_label: String,
    id: StoreId,
    log: Arc<Mutex<Log>>,
}

struct Log {
    actions: VecDeque<Action>,
    capacity: usize,
    dropped: u64,
    /// The store's warnings, the first one about each atom only.
    warnings: Vec<Warning>,
}

struct Recorder(Arc<Mutex<Log>>);

impl Plugin for Recorder {
    fn on_warning(&self, warning: &Warning) {
        let mut log = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        // Once per atom: an SSR server snapshots on every request.
        if !log.warnings.iter().any(|w| w.atom() == warning.atom()) {
            log.warnings.push(warning.clone());
        }
    }

    fn on_change(&self, change: &Change<'_>) {
        let action = Action {
            label: change.label(),
            name: change.name().to_owned(),
            path: change.key().path().to_owned(),
            op: change.op(),
            round: change.round(),
            at: crate::core::clock::now(),
            before: change.before().render(),
            after: change.after().render(),
        };
        let mut log = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if log.capacity == 0 {
            log.dropped += 1;
            return;
        }
        if log.actions.len() == log.capacity {
            log.actions.pop_front();
            log.dropped += 1;
        }
        log.actions.push_back(action);
    }
}

/// One atom as the inspector shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtomView {
    info: AtomInfo,
    value: String,
}

impl AtomView {
    /// The current value, rendered.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The full registry entry.
    pub fn info(&self) -> &AtomInfo {
        &self.info
    }
}

/// The registry entry's accessors (`name()`, `path()`, `kind()`, `owner()`, `key()`, …) read through.
impl std::ops::Deref for AtomView {
    type Target = AtomInfo;
    fn deref(&self) -> &AtomInfo {
        &self.info
    }
}

/// An atom declared with `atom!`, as [`DevTools::declared`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredAtom {
    name: String,
    path: String,
    kind: AtomKind,
    owner: &'static str,
    registered: bool,
}

impl DeclaredAtom {
    /// The registry name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Module path plus name.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Primitive, computed or writable.
    pub fn kind(&self) -> AtomKind {
        self.kind
    }

    /// The owning store type's name, or `"Global"`.
    pub fn owner(&self) -> &'static str {
        self.owner
    }

    /// Whether the inspected instance holds it (has used it).
    pub fn is_registered(&self) -> bool {
        self.registered
    }
}

/// One logged change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    label: String,
    name: String,
    path: String,
    op: ChangeOp,
    round: u64,
    at: SystemTime,
    before: String,
    after: String,
}

impl Action {
    /// `SET CLICKS`-style label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The atom's registry name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The atom's path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What made the change.
    pub fn op(&self) -> ChangeOp {
        self.op
    }

    /// Actions with the same round were one `set`, writable write or batch.
    pub fn round(&self) -> u64 {
        self.round
    }

    /// When it happened.
    pub fn time(&self) -> SystemTime {
        self.at
    }

    /// The value before, rendered.
    pub fn before(&self) -> &str {
        &self.before
    }

    /// The value after, rendered.
    pub fn after(&self) -> &str {
        &self.after
    }
}

impl DevTools {
    /// Attaches developer tools to `store`, keeping the last [`DEFAULT_ACTION_CAPACITY`] actions.
    pub fn attach<S: Store>(store: &S) -> Self {
        Self::with_capacity(store, DEFAULT_ACTION_CAPACITY)
    }

    /// Attaches developer tools keeping the last `capacity` actions.
    pub fn with_capacity<S: Store>(store: &S, capacity: usize) -> Self {
        let log = Arc::new(Mutex::new(Log {
            actions: VecDeque::new(),
            capacity,
            dropped: 0,
            warnings: Vec::new(),
        }));
        DevTools {
            attachment: Attachment::new(store, Arc::new(Recorder(log.clone()))),
            declared: || crate::store::catalog::usable_in::<S>().collect(),
            store_label: format!("{}#{}", S::__NAME, store.id()),
            id: store.id(),
            log,
        }
    }

    /// The inspected instance's id.
    pub fn store_id(&self) -> StoreId {
        self.id
    }

    /// Every atom the instance holds, in registration order, with its current value (derived atoms are
    /// brought up to date). Empty once the store has been dropped.
    pub fn atoms(&self) -> Vec<AtomView> {
        let Some(store) = self.attachment.store() else { return Vec::new() };
        store.inspect().into_iter().map(|(info, value)| AtomView { info, value }).collect()
    }

    /// Every atom declared with `atom!` in the program that this store type can hold (its own and `Global`
    /// ones), touched or not, sorted by path; [`DeclaredAtom::is_registered`] tells which this instance
    /// holds.
    pub fn declared(&self) -> Vec<DeclaredAtom> {
        let held: std::collections::HashSet<String> =
            self.atoms().iter().map(|a| a.path().to_owned()).collect();
        let mut out: Vec<DeclaredAtom> = (self.declared)()
            .into_iter()
            .map(|e| {
                let core = e.def.core();
                let path = core.path().to_string();
                DeclaredAtom {
                    name: core.name().to_owned(),
                    registered: held.contains(&path),
                    path,
                    kind: core.kind(),
                    owner: core.owner_name(),
                }
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    /// The logged changes, oldest first (at most the capacity; older ones are dropped).
    pub fn actions(&self) -> Vec<Action> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).actions.iter().cloned().collect()
    }

    /// How many actions were dropped because the log was full.
    pub fn dropped_actions(&self) -> u64 {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).dropped
    }

    /// What the store warned about, the first warning about each atom only, oldest first: today, atoms a
    /// snapshot left out (feature `serde`: see `Snapshot::omitted`).
    pub fn warnings(&self) -> Vec<Warning> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).warnings.clone()
    }

    /// Forgets the logged actions.
    pub fn clear_actions(&self) {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).actions.clear();
    }

    /// The state and the action log as a JSON document:
    /// `{"store": "Session#3", "state": [{"name", "path", "kind", "owner", "value"}…], "actions": [{"label",
    /// "path", "round", "time_ms", "before", "after"}…]}`. Values are their rendered text.
    pub fn export_json(&self) -> String {
        let mut out = String::from("{\"store\":");
        json_string(&mut out, &self.store_label);
        out.push_str(",\"state\":[");
        for (i, atom) in self.atoms().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"name\":");
            json_string(&mut out, atom.name());
            out.push_str(",\"path\":");
            json_string(&mut out, atom.path());
            out.push_str(",\"kind\":");
            json_string(&mut out, &atom.kind().to_string());
            out.push_str(",\"owner\":");
            json_string(&mut out, atom.owner());
            out.push_str(",\"value\":");
            json_string(&mut out, atom.value());
            out.push('}');
        }
        out.push_str("],\"actions\":[");
        for (i, action) in self.actions().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let millis = action.at.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis());
            out.push_str("{\"label\":");
            json_string(&mut out, &action.label);
            out.push_str(",\"path\":");
            json_string(&mut out, &action.path);
            let _ = write!(out, ",\"round\":{},\"time_ms\":{millis},\"before\":", action.round);
            json_string(&mut out, &action.before);
            out.push_str(",\"after\":");
            json_string(&mut out, &action.after);
            out.push('}');
        }
        out.push_str("]}");
        out
    }
}

impl std::fmt::Debug for DevTools {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevTools").field("store", &self.store_label).finish_non_exhaustive()
    }
}

/// Appends `s` as a JSON string literal.
pub(crate) fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
