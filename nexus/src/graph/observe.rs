//! Plugins: per-instance observers of what happens in one store instance.
//!
//! A plugin is attached to one store instance with [`Store::add_plugin`](crate::Store::add_plugin), never
//! to a store type or to the process. It is told about registrations, changes of the values this instance
//! holds (with old and new value), subscriptions, batch ends, and actions' runs. Calls happen after the
//! store's lock is released, on the thread that caused them, before subscribers of the same change run.
//! A store's plugins hear of its rounds in the order the rounds were made, also when several threads
//! change it: a round's calls wait until the calls of the rounds before it are over (`graph::turns`).
//! So a plugin must not wait for another thread's change of the store it observes (a change of that
//! store on the plugin's own thread is fine: it is told at once). A plugin that panics does not stop
//! the other plugins; its panic is raised again afterwards.
//! [`DevTools`](crate::DevTools) and [`TimeTravel`](crate::TimeTravel) are built on this interface.

use std::any::Any;
use std::fmt;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::Arc;

use crate::core::info::{AtomInfo, AtomKey};
use crate::core::origin::Origin;
use crate::core::value_slot::Value;
use crate::graph::def::DefGuard;

/// An observer of one store instance. Every method has an empty default body.
///
/// Calls come after the store's lock is released, on the thread that made the change, in the order of
/// the store's rounds even across threads (a round's calls wait for those of the rounds before it). A
/// plugin must therefore not block waiting for another thread's change of the store it observes.
pub trait Plugin: Send + Sync + 'static {
    /// An atom was registered in the instance (its first get, set or subscribe there).
    fn on_register(&self, atom: &AtomInfo) {
        let _ = atom;
    }

    /// A primitive atom whose value this instance holds changed. Derived atoms follow from these changes
    /// and are not reported; `Global` atoms of a global-mode store live in the global registry and are not
    /// reported either.
    fn on_change(&self, change: &Change<'_>) {
        let _ = change;
    }

    /// A subscriber was added to an atom of the instance.
    fn on_subscribe(&self, atom: &AtomInfo) {
        let _ = atom;
    }

    /// The outermost [`batch`](crate::Store::batch) on the instance ended (after its changes were reported).
    fn on_batch_end(&self) {}

    /// An action began running in the instance ([`Store::run`](crate::Store::run)). Its changes follow,
    /// each naming it ([`Change::action`]), then [`on_action_end`](Plugin::on_action_end).
    fn on_action_start(&self, run: &ActionRun) {
        let _ = run;
    }

    /// An action's run ended, after its changes were reported (before the end of its batch, which an
    /// action is).
    fn on_action_end(&self, run: &ActionRun, outcome: ActionOutcome) {
        let _ = (run, outcome);
    }

    /// Something the program may not mean happened in the instance: today, a
    /// [`snapshot`](crate::Store::snapshot) left an atom out (its type lacks `Serialize`). Told each
    /// time; a tool decides how often to show it ([`DevTools`](crate::DevTools): once per atom).
    fn on_warning(&self, warning: &Warning) {
        let _ = warning;
    }
}

/// A warning told to plugins ([`Plugin::on_warning`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Warning {
    atom: String,
    message: String,
    key: AtomKey,
}

impl Warning {
    #[cfg_attr(not(feature = "serde"), allow(dead_code))] // only snapshots warn today
    pub(crate) fn new(atom: String, message: String, key: AtomKey) -> Self {
        Warning { atom, message, key }
    }

    /// The key or path of the atom it is about. Two atoms may share it (the same `#[name]` in two
    /// modules): [`key`](Warning::key) tells them apart.
    pub fn atom(&self) -> &str {
        &self.atom
    }

    /// The identity of the atom it is about in the store instance that warned (as
    /// [`Store::key`](crate::Store::key) gives it): what a tool goes by to warn once per atom.
    pub fn key(&self) -> AtomKey {
        self.key.clone()
    }

    /// What happened, in a sentence.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// One run of an action ([`Store::run`](crate::Store::run)) in one store instance, as plugins see it.
///
/// Made only while a plugin is attached to the instance: a store no tool watches pays nothing for it.
#[derive(Debug)]
pub struct ActionRun {
    id: u64,
    round: u64,
    desc: ActionDesc,
    parent: Option<Arc<ActionRun>>,
    origin: Option<Origin>,
}

/// What the store is told about an action when a run starts (made only while a plugin is attached).
#[derive(Debug)]
pub(crate) struct ActionDesc {
    pub(crate) name: Arc<str>,
    pub(crate) path: Arc<str>,
    pub(crate) owner: &'static str,
    /// The argument through `Debug`, when its type has it (detected where the action was declared).
    pub(crate) arg: Option<String>,
}

impl ActionRun {
    pub(crate) fn new(id: u64, round: u64, desc: ActionDesc, parent: Option<Arc<ActionRun>>) -> Self {
        ActionRun { id, round, desc, parent, origin: crate::core::origin::current() }
    }

    /// Where the run was started: the `store.run(..)` (or `s.run(..)`) call, with its label.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }

    /// Tells this run from every other run in the same instance.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The change round its changes belong to (see [`Change::round`]): its own, or that of the batch or
    /// action it runs in.
    pub fn round(&self) -> u64 {
        self.round
    }

    /// The action's registry name (the identifier, or its `#[name]`): `ADD_TASK`.
    pub fn name(&self) -> &str {
        &self.desc.name
    }

    /// Module path plus identifier for a declared action (`app::ADD_TASK`); the name for a run-time one.
    pub fn path(&self) -> &str {
        &self.desc.path
    }

    /// The owning store type's name, or `"Global"`.
    pub fn owner(&self) -> &'static str {
        self.desc.owner
    }

    /// The argument it was run with, through `Debug`, if its type has `Debug` (detected where the action
    /// was declared; a run-time action made with [`Action::named`](crate::Action::named) always has it).
    pub fn arg(&self) -> Option<&str> {
        self.desc.arg.as_deref()
    }

    /// The run of the action that ran this one (`s.run(..)` inside an action), if any.
    pub fn parent(&self) -> Option<&ActionRun> {
        self.parent.as_deref()
    }

    /// The run that is not inside another one: this one, or its parent's outermost run.
    pub fn outermost(&self) -> &ActionRun {
        let mut run = self;
        while let Some(parent) = run.parent() {
            run = parent;
        }
        run
    }
}

/// How an action's run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionOutcome {
    /// The action's function returned.
    Returned,
    /// It panicked: the writes it made before the panic stay (an action is a batch, not a transaction).
    Panicked,
}

/// Identifies an attached plugin, to remove it with [`Store::remove_plugin`](crate::Store::remove_plugin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PluginId(pub(crate) u64);

/// What made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeOp {
    /// `set` (also from a writable atom's write function).
    Set,
    /// `update`.
    Update,
    /// `reset`.
    Reset,
    /// A restore by [`TimeTravel`](crate::TimeTravel) (undo, redo, jump).
    Restore,
    /// `hydrate` from a snapshot (feature `serde`).
    Hydrate,
    /// An async atom's load finished: its outcome was stored (the change is named after the async atom,
    /// its value rendered `Loading`, `Ready(…)` or `Failed(…)`).
    Load,
    /// An action's run: the op of a [`LogEntry`](crate::LogEntry) of [`DevTools`](crate::DevTools) that
    /// groups the changes of one [`Store::run`](crate::Store::run). A plugin's [`Change`] never has it:
    /// each change an action makes has its own op ([`Change::action`] names the action).
    Action,
}

impl fmt::Display for ChangeOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeOp::Set => "SET",
            ChangeOp::Update => "UPDATE",
            ChangeOp::Reset => "RESET",
            ChangeOp::Restore => "RESTORE",
            ChangeOp::Hydrate => "HYDRATE",
            ChangeOp::Load => "LOAD",
            ChangeOp::Action => "ACTION",
        })
    }
}

/// One change of one atom in one store instance.
pub struct Change<'a> {
    pub(crate) key: &'a AtomKey,
    pub(crate) name: &'a Arc<str>,
    pub(crate) op: ChangeOp,
    pub(crate) round: u64,
    pub(crate) old: ValueRef<'a>,
    pub(crate) new: ValueRef<'a>,
    pub(crate) action: Option<&'a Arc<ActionRun>>,
    pub(crate) origin: Option<&'a Origin>,
}

impl<'a> Change<'a> {
    /// The atom's key in this instance (a cheap clone, like [`Store::key`](crate::Store::key)'s).
    pub fn key(&self) -> AtomKey {
        self.key.clone()
    }

    /// The atom's id (tools that record changes).
    pub(crate) fn atom(&self) -> crate::core::info::AtomId {
        self.key.atom
    }

    /// The atom's registry name.
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The registry name, shared (no copy).
    #[cfg(feature = "redux-devtools")]
    pub(crate) fn name_arc(&self) -> Arc<str> {
        self.name.clone()
    }

    /// What made the change.
    pub fn op(&self) -> ChangeOp {
        self.op
    }

    /// Changes with the same round number were made by one `set` (or one writable write, or one batch):
    /// subscribers heard about them together.
    pub fn round(&self) -> u64 {
        self.round
    }

    /// `SET CLICKS`-style label.
    pub fn label(&self) -> String {
        format!("{} {}", self.op, self.name)
    }

    /// The run of the action that made this change, if an action made it (the innermost one, when
    /// actions run actions): tools group an action's changes under its name.
    pub fn action(&self) -> Option<&'a ActionRun> {
        self.action.map(|run| &**run)
    }

    /// [`action`](Self::action), shared (tools that keep it).
    #[cfg(feature = "redux-devtools")]
    pub(crate) fn action_arc(&self) -> Option<Arc<ActionRun>> {
        self.action.cloned()
    }

    /// Where the change was made: the file, line and column of the store call (`set`, `update`,
    /// `reset`, `hydrate`, a `Writer`'s or an effect's write, a time-travel move) and the enclosing
    /// [`labeled`](crate::Store::labeled) call's label. `None` for changes no call made (an async
    /// atom's load finishing).
    pub fn origin(&self) -> Option<&'a Origin> {
        self.origin
    }

    /// The value before.
    pub fn before(&self) -> ValueRef<'a> {
        self.old
    }

    /// The value after.
    pub fn after(&self) -> ValueRef<'a> {
        self.new
    }
}

/// A value of some atom, with the means to show it.
#[derive(Clone, Copy)]
pub struct ValueRef<'a> {
    pub(crate) value: &'a Value,
    pub(crate) def: &'a DefGuard,
}

impl<'a> ValueRef<'a> {
    /// The value, if it is a `T`.
    pub fn downcast_ref<T: 'static>(&self) -> Option<&'a T> {
        (**self.value).downcast_ref()
    }

    /// The shared value itself (kept by time travel without cloning).
    pub(crate) fn shared(&self) -> Value {
        self.value.clone()
    }

    /// The atom's definition, to show the value later (Redux DevTools bridge).
    #[cfg(feature = "redux-devtools")]
    pub(crate) fn def_guard(&self) -> DefGuard {
        self.def.clone()
    }

    /// The value through `Debug` if its type has it (detected where the atom was declared), otherwise
    /// `<type name>`.
    pub fn render(&self) -> String {
        self.to_string()
    }

    /// The value's type name.
    pub fn type_name(&self) -> &'static str {
        self.def.type_name()
    }
}

impl fmt::Display for ValueRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.def.fmt_value(&**self.value, f)
    }
}

impl fmt::Debug for ValueRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.def.fmt_value(&**self.value, f)
    }
}

/// Something to tell the plugins, recorded under the lock and delivered after it.
pub(crate) enum Event {
    #[cfg_attr(not(feature = "serde"), allow(dead_code))] // only snapshots warn today
    Warning(Warning),
    Register(AtomInfo),
    Subscribe(AtomInfo),
    Change {
        key: AtomKey,
        name: Arc<str>,
        def: DefGuard,
        op: ChangeOp,
        round: u64,
        old: Value,
        new: Value,
        action: Option<Arc<ActionRun>>,
        origin: Option<Origin>,
    },
    BatchEnd,
    ActionStart(Arc<ActionRun>),
    ActionEnd(Arc<ActionRun>, ActionOutcome),
}

/// Shared, so that handing the list to a delivery after the lock is one reference count, not a copy.
pub(crate) type Plugins = Arc<[(PluginId, Arc<dyn Plugin>)]>;

/// Tells every plugin about every event; a panicking plugin does not stop the others.
pub(crate) fn deliver(plugins: &Plugins, events: Vec<Event>) {
    let mut first_panic: Option<Box<dyn Any + Send>> = None;
    for event in &events {
        for (_, plugin) in plugins.iter() {
            let call = || match event {
                Event::Register(info) => plugin.on_register(info),
                Event::Subscribe(info) => plugin.on_subscribe(info),
                Event::Change { key, name, def, op, round, old, new, action, origin } => {
                    plugin.on_change(&Change {
                        key,
                        name,
                        op: *op,
                        round: *round,
                        old: ValueRef { value: old, def },
                        new: ValueRef { value: new, def },
                        action: action.as_ref(),
                        origin: origin.as_ref(),
                    });
                }
                Event::BatchEnd => plugin.on_batch_end(),
                Event::Warning(warning) => plugin.on_warning(warning),
                Event::ActionStart(run) => plugin.on_action_start(run),
                Event::ActionEnd(run, outcome) => plugin.on_action_end(run, *outcome),
            };
            if let Err(p) = catch_unwind(AssertUnwindSafe(call)) {
                first_panic.get_or_insert(p);
            }
        }
    }
    drop(events);
    if let Some(p) = first_panic {
        if !std::thread::panicking() {
            resume_unwind(p);
        }
    }
}
