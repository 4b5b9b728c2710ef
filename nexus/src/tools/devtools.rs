//! [`DevTools`]: a live inspector and a change log for one store instance.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use crate::core::info::{AtomInfo, AtomKind, StoreId};
use crate::core::origin::Origin;
use crate::graph::observe::{ActionOutcome, ActionRun, Change, ChangeOp, Plugin, Warning};
use crate::store::store_trait::Store;
use crate::tools::attach::Attachment;

/// The default number of entries a [`DevTools`] log keeps (a change, or an action's run with its changes).
pub const DEFAULT_LOG_CAPACITY: usize = 1_000;

/// The old name of [`DEFAULT_LOG_CAPACITY`].
#[deprecated(
    note = "renamed `DEFAULT_LOG_CAPACITY`: the log holds changes, not only action runs; this name goes in the next release"
)]
pub const DEFAULT_ACTION_CAPACITY: usize = DEFAULT_LOG_CAPACITY;

/// Developer tools for one store instance: what it holds now ([`atoms`](DevTools::atoms)), what changed
/// ([`log`](DevTools::log)), and both as JSON ([`export_json`](DevTools::export_json)).
///
/// The log holds one entry per change, except that a run of an [`Action`](crate::Action) is one entry
/// named after the action, whose changes (and the runs of actions it ran) are under it
/// ([`LogEntry::changes`]).
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
/// assert_eq!(dt.log()[0].label(), "SET CLICKS");
/// ```
pub struct DevTools {
    declared: fn() -> Vec<crate::store::catalog::Entry>,
    attachment: Attachment,
    store_label: String,
    id: StoreId,
    log: Arc<Mutex<Log>>,
}

struct Log {
    entries: VecDeque<LogEntry>,
    capacity: usize,
    dropped: u64,
    /// The entries of action runs under way, by run id; each is logged (or put under its parent run's)
    /// when the run ends.
    open: Vec<(u64, LogEntry)>,
    /// The store's warnings, the first one about each atom only.
    warnings: Vec<Warning>,
}

impl Log {
    fn push(&mut self, entry: LogEntry) {
        if self.capacity == 0 {
            self.dropped += 1;
            return;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
            self.dropped += 1;
        }
        self.entries.push_back(entry);
    }

    /// The entry of `run`, opened now if its start was not seen (the tools attached during the run).
    fn open_entry(&mut self, run: &ActionRun) -> &mut LogEntry {
        let at = self.open.iter().rposition(|(id, _)| *id == run.id()).unwrap_or_else(|| {
            self.open.push((run.id(), LogEntry::run(run)));
            self.open.len() - 1
        });
        &mut self.open[at].1
    }
}

struct Recorder(Arc<Mutex<Log>>);

impl Plugin for Recorder {
    fn on_warning(&self, warning: &Warning) {
        let mut log = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        // Once per atom: an SSR server snapshots on every request. By the atom's identity, not its key
        // text: two atoms sharing a key (`OmitReason::SameKey`) are two warnings.
        if !log.warnings.iter().any(|w| w.key() == warning.key()) {
            log.warnings.push(warning.clone());
        }
    }

    fn on_change(&self, change: &Change<'_>) {
        let entry = LogEntry {
            label: change.label(),
            name: change.name().to_owned(),
            path: change.key().path().to_owned(),
            op: change.op(),
            round: change.round(),
            at: crate::core::clock::now(),
            before: change.before().render(),
            after: change.after().render(),
            arg: None,
            panicked: false,
            changes: Vec::new(),
            origin: change.origin().cloned(),
        };
        let mut log = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match change.action() {
            Some(run) => log.open_entry(run).changes.push(entry),
            None => log.push(entry),
        }
    }

    fn on_action_start(&self, run: &ActionRun) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).open_entry(run);
    }

    fn on_action_end(&self, run: &ActionRun, outcome: ActionOutcome) {
        let mut log = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        log.open_entry(run).panicked = outcome == ActionOutcome::Panicked;
        let at = log.open.iter().rposition(|(id, _)| *id == run.id()).expect("opened just above");
        let (_, entry) = log.open.remove(at);
        match run.parent() {
            Some(parent) => log.open_entry(parent).changes.push(entry),
            None => log.push(entry),
        }
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

/// One entry of the [`DevTools`] log: a change of one atom, or the run of an [`Action`](crate::Action)
/// with its changes under it.
///
/// Its `Debug` shows what a reader of the log wants: the label, op and round, then the values before and
/// after for a change, or the argument, whether it panicked and the changes under it for an action's run
/// (`{:#?}` prints that tree indented); the time and path are left out (`..`).
#[derive(Clone, PartialEq, Eq)]
pub struct LogEntry {
    label: String,
    name: String,
    path: String,
    op: ChangeOp,
    round: u64,
    at: SystemTime,
    before: String,
    after: String,
    arg: Option<String>,
    panicked: bool,
    changes: Vec<LogEntry>,
    origin: Option<Origin>,
}

impl LogEntry {
    /// The entry of an action's run, before its changes.
    fn run(run: &ActionRun) -> Self {
        LogEntry {
            label: run.name().to_owned(),
            name: run.name().to_owned(),
            path: run.path().to_owned(),
            op: ChangeOp::Action,
            round: run.round(),
            at: crate::core::clock::now(),
            before: String::new(),
            after: String::new(),
            arg: run.arg().map(str::to_owned),
            panicked: false,
            changes: Vec::new(),
            origin: run.origin().cloned(),
        }
    }

    /// Where the change was made (the file, line and column of the store call, and the label of the
    /// enclosing [`labeled`](crate::Store::labeled) call), or where the action was run. `None` for a
    /// change no call made (an async atom's load finishing).
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }

    /// `SET CLICKS`-style label for a change; the action's name (`ADD_TASK`) for an action's run.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The atom's (or the action's) registry name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The atom's (or the action's) path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What made the change; [`ChangeOp::Action`] for an action's run.
    pub fn op(&self) -> ChangeOp {
        self.op
    }

    /// Whether this entry is an action's run (its changes are in [`changes`](Self::changes)).
    pub fn is_action(&self) -> bool {
        self.op == ChangeOp::Action
    }

    /// Entries with the same round were one `set`, writable write, batch or action.
    pub fn round(&self) -> u64 {
        self.round
    }

    /// When it happened (an action's run: when it started).
    pub fn time(&self) -> SystemTime {
        self.at
    }

    /// The value before, rendered (empty for an action's run).
    pub fn before(&self) -> &str {
        &self.before
    }

    /// The value after, rendered (empty for an action's run).
    pub fn after(&self) -> &str {
        &self.after
    }

    /// An action's run: the argument through `Debug`, when its type has `Debug`.
    pub fn arg(&self) -> Option<&str> {
        self.arg.as_deref()
    }

    /// An action's run: whether the action panicked (the changes it made before are listed, and stay).
    pub fn panicked(&self) -> bool {
        self.panicked
    }

    /// An action's run: the changes it made and the runs of the actions it ran, in order. Empty for a
    /// change, and for a run that changed nothing.
    pub fn changes(&self) -> &[LogEntry] {
        &self.changes
    }
}

// By hand: the derived `Debug` dumped `SystemTime`'s internals and the empty fields a change has no use
// for (a change's `arg` and `changes`, a run's `before` and `after`). The path stays: two atoms of one
// name in two modules log the same label.
impl std::fmt::Debug for LogEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("LogEntry");
        out.field("label", &self.label)
            .field("path", &self.path)
            .field("op", &self.op)
            .field("round", &self.round)
            .field("origin", &self.origin);
        if self.is_action() {
            out.field("arg", &self.arg).field("panicked", &self.panicked).field("changes", &self.changes);
        } else {
            out.field("before", &self.before).field("after", &self.after);
        }
        out.finish_non_exhaustive()
    }
}

impl DevTools {
    /// Attaches developer tools to `store`, keeping the last [`DEFAULT_LOG_CAPACITY`] log entries.
    pub fn attach<S: Store>(store: &S) -> Self {
        Self::with_capacity(store, DEFAULT_LOG_CAPACITY)
    }

    /// Attaches developer tools keeping the last `capacity` log entries (an action's run, with the
    /// changes under it, is one entry).
    pub fn with_capacity<S: Store>(store: &S, capacity: usize) -> Self {
        let log = Arc::new(Mutex::new(Log {
            entries: VecDeque::new(),
            capacity,
            dropped: 0,
            open: Vec::new(),
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

    /// The log: the changes and action runs, oldest first (at most the capacity; older ones are
    /// dropped). An action's run is logged when it ends, with its changes under it.
    pub fn log(&self) -> Vec<LogEntry> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).entries.iter().cloned().collect()
    }

    /// The old name of [`log`](Self::log).
    #[deprecated(
        note = "renamed `log`: most entries are changes, not action runs; this name goes in the next release"
    )]
    pub fn actions(&self) -> Vec<LogEntry> {
        self.log()
    }

    /// How many log entries were dropped because the log was full.
    pub fn dropped_entries(&self) -> u64 {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).dropped
    }

    /// The old name of [`dropped_entries`](Self::dropped_entries).
    #[deprecated(note = "renamed `dropped_entries`; this name goes in the next release")]
    pub fn dropped_actions(&self) -> u64 {
        self.dropped_entries()
    }

    /// What the store warned about, the first warning about each atom only, oldest first: today, atoms a
    /// snapshot left out (feature `serde`: see `Snapshot::omitted`).
    pub fn warnings(&self) -> Vec<Warning> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).warnings.clone()
    }

    /// Forgets the logged changes and action runs (the count of [`dropped_entries`](Self::dropped_entries)
    /// stays).
    pub fn clear_log(&self) {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).entries.clear();
    }

    /// The old name of [`clear_log`](Self::clear_log).
    #[deprecated(note = "renamed `clear_log`; this name goes in the next release")]
    pub fn clear_actions(&self) {
        self.clear_log();
    }

    /// The state and the change log as a JSON document:
    /// `{"store": "Session#3", "state": [{"name", "path", "kind", "owner", "value"}…], "actions": [{"label",
    /// "path", "round", "time_ms", "origin", "before", "after"}…]}` (`"origin"`: `"file:line:col"` of the call that
    /// made the change, with `"origin_label"` inside a `labeled` call), where an action's run has `"arg"`, `"panicked"`
    /// and `"changes"` (a list of entries) instead of `"before"` and `"after"`. Values are their rendered
    /// text. The log's key stays `"actions"`, the name earlier exports used, so that readers of saved
    /// exports keep working.
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
        out.push_str("],\"actions\":");
        entries_json(&mut out, &self.log());
        out.push('}');
        out
    }
}

/// Appends log entries as a JSON array; an action's run has `arg`, `panicked` and its `changes`
/// (entries of the same shape) instead of `before` and `after`.
fn entries_json(out: &mut String, entries: &[LogEntry]) {
    out.push('[');
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let millis = entry.at.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        out.push_str("{\"label\":");
        json_string(out, &entry.label);
        out.push_str(",\"path\":");
        json_string(out, &entry.path);
        let _ = write!(out, ",\"round\":{},\"time_ms\":{millis}", entry.round);
        if let Some(origin) = &entry.origin {
            out.push_str(",\"origin\":");
            json_string(out, &origin.location().to_string());
            if let Some(label) = origin.label() {
                out.push_str(",\"origin_label\":");
                json_string(out, label);
            }
        }
        if entry.is_action() {
            out.push_str(",\"arg\":");
            match &entry.arg {
                Some(arg) => json_string(out, arg),
                None => out.push_str("null"),
            }
            let _ = write!(out, ",\"panicked\":{},\"changes\":", entry.panicked);
            entries_json(out, &entry.changes);
        } else {
            out.push_str(",\"before\":");
            json_string(out, &entry.before);
            out.push_str(",\"after\":");
            json_string(out, &entry.after);
        }
        out.push('}');
    }
    out.push(']');
}

impl std::fmt::Debug for DevTools {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevTools").field("store", &self.store_label).finish_non_exhaustive()
    }
}

/// Appends `s` as a JSON string literal, safe inside an HTML `<script>` too (`<`, `>`, `&` and the
/// line separators JavaScript reads as line ends are `\u` escapes).
pub(crate) fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
