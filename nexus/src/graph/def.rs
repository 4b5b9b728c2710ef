//! Atom definitions as the graph sees them: the untyped part ([`DefCore`]: name, kind, owner, slot, who
//! holds values of it) and the [`ErasedDef`] trait through which the graph evaluates a definition without
//! knowing its types (the typed `Def` lives with the atom handles, in `atoms/def.rs`).
//!
//! A declared atom's definition lives in a `static` made by `atom!`; a run-time atom's lives in an `Arc`
//! that its handles and the stores holding it share. Stores refer to a definition through [`NodeDef`]:
//! a `&'static` for declared atoms, an `Arc` for run-time ones, so that an evaluation calls a read
//! function with no reference-count traffic. What ends a run-time atom's life is its last *handle*
//! (counted in [`DefCore`], apart from the `Arc`): the atom then dies, every store holding it drops its
//! node, and with the last node the definition goes too. So no store keeps a run-time atom alive.

use std::any::Any;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

use crate::core::info::{AtomId, AtomKind, Names};
use crate::core::owner::{Owner, OwnerInfo};
use crate::core::space::{Slot, SlotSpace};
use crate::core::value_slot::{Value, ValueSlot};
use crate::graph::access::AtomRef;
use crate::graph::effect::EffectNode;
use crate::graph::host::Host;
use crate::graph::mount::{MountCall, Unmount};
use crate::graph::state::State;

/// The untyped part of every atom definition.
#[doc(hidden)]
pub struct DefCore {
    name: Name,
    /// The Rust identifier of a declared atom's static (its path is `module::IDENT`); empty for run-time
    /// atoms, whose path ends with their name.
    ident: &'static str,
    module: &'static str,
    kind: AtomKind,
    owner: OwnerInfo,
    /// The packed [`AtomId`] (slot and generation in its owner's space); 0 until a declared atom is
    /// first used.
    slot: AtomicU64,
    path: OnceLock<Arc<str>>,
    /// The name as a shared string, made once (change events carry it).
    name_shared: OnceLock<Arc<str>>,
    /// Set for run-time atoms only: they give their slot back when they die.
    space: Option<&'static SlotSpace>,
    /// Run-time atoms only: who holds a value of this atom, to free it when the atom dies.
    holders: Mutex<Vec<Holder>>,
    /// Run-time atoms only: how many handles (and subscriptions) hold the atom. It dies when the count
    /// falls to zero; stores hold the definition's `Arc` without counting here.
    handles: AtomicUsize,
    /// Set once the atom died (its holders were told and its slot given back).
    dead: AtomicBool,
    /// A field atom (or a list's element or key list): a write made through one of its parent's focused
    /// children marks only that child among them (see `State::propagate_focused`).
    focused: bool,
    /// The field atoms made from this atom, made once and kept while it lives (see `atoms::fields`).
    children: OnceLock<Box<Children>>,
    /// A derived atom that names sources before it runs ([`ErasedDef::source_hint`]).
    hinted: bool,
}

/// The field atoms of one atom, by the address of what describes them (a field, an element's family).
#[derive(Default)]
pub(crate) struct Children(pub(crate) Mutex<Vec<(usize, Box<dyn Any + Send + Sync>)>>);

enum Name {
    Static(&'static str),
    /// A declared atom whose names `atom!` recorded (its snapshot key and aliases).
    Declared(&'static Names),
    /// A family member, with its snapshot key (see [`Member`]).
    #[cfg_attr(not(feature = "serde"), allow(dead_code))] // made for snapshots only
    Member(Arc<Member>),
    /// A run-time atom's name made by nexus (`primitive#7`) or by a family (`TODO[3]`).
    Owned(Arc<str>),
    /// A run-time atom's name given by the program (`Atom::named`): stable, so snapshots carry it.
    Given(Arc<str>),
}

/// A family member's names: its registry name (`TODO[3]`, the key through `Debug`) and its snapshot key
/// (`app::TODO[3]`, the key written by serde), or the key type's name when serde cannot write it.
struct Member {
    name: Arc<str>,
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    key: Result<Arc<str>, &'static str>,
    /// The address of its family (a `static`): a snapshot checks that hydration would find the member
    /// through this family, not another whose key is a prefix of its own.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    family: usize,
}

pub(crate) enum Holder {
    /// A store instance, told through [`Forget`].
    Store(Weak<dyn Forget>),
    /// The process-wide registry of `Global` values, told through this function.
    Registry(fn(AtomId)),
}

/// Whoever holds values of run-time atoms (a store instance) and must drop them when the atom dies.
pub(crate) trait Forget: Send + Sync {
    /// The run-time atom `id` died: drop its node and value.
    fn forget(&self, id: AtomId);
}

impl DefCore {
    pub(crate) const fn declared(
        owner: OwnerInfo,
        name: &'static str,
        ident: &'static str,
        module: &'static str,
        kind: AtomKind,
    ) -> Self {
        Self::declared_as(owner, Name::Static(name), ident, module, kind)
    }

    const fn declared_as(
        owner: OwnerInfo,
        name: Name,
        ident: &'static str,
        module: &'static str,
        kind: AtomKind,
    ) -> Self {
        DefCore {
            name,
            ident,
            module,
            kind,
            owner,
            slot: AtomicU64::new(0),
            path: OnceLock::new(),
            name_shared: OnceLock::new(),
            space: None,
            holders: Mutex::new(Vec::new()),
            handles: AtomicUsize::new(0),
            dead: AtomicBool::new(false),
            focused: false,
            children: OnceLock::new(),
            hinted: false,
        }
    }

    /// A declared atom's part whose names `atom!` recorded (a primitive atom: its snapshot key and
    /// aliases).
    pub(crate) const fn declared_names(
        owner: OwnerInfo,
        names: &'static Names,
        ident: &'static str,
        module: &'static str,
        kind: AtomKind,
    ) -> Self {
        Self::declared_as(owner, Name::Declared(names), ident, module, kind)
    }

    /// Makes this run-time atom a member of the family at address `family` whose snapshot key is `key`
    /// (`Err`: the key type's name, which serde cannot write). Before the atom is shared.
    #[cfg(feature = "serde")]
    pub(crate) fn make_member(&mut self, key: Result<String, &'static str>, family: usize) {
        let name = self.name_arc();
        self.name = Name::Member(Arc::new(Member { name, key: key.map(Arc::from), family }));
    }

    /// A family member's family, by address (see [`make_member`](Self::make_member)).
    #[cfg(feature = "serde")]
    pub(crate) fn family(&self) -> Option<usize> {
        match &self.name {
            Name::Member(m) => Some(m.family),
            _ => None,
        }
    }

    /// A run-time atom's part; `given`: `name` was given by the program (see [`Name::Given`]).
    pub(crate) fn runtime<S: Owner>(
        name: Option<String>,
        given: bool,
        module: &'static str,
        kind: AtomKind,
    ) -> Self {
        static SERIAL: AtomicU64 = AtomicU64::new(1);
        let space = S::__space();
        let slot = space.alloc();
        let name = name.unwrap_or_else(|| format!("{kind}#{}", SERIAL.fetch_add(1, Ordering::Relaxed)));
        DefCore {
            name: if given { Name::Given(name.into()) } else { Name::Owned(name.into()) },
            ident: "",
            module,
            kind,
            owner: OwnerInfo::of::<S>(),
            slot: AtomicU64::new(AtomId::new(S::__IS_GLOBAL, slot.index, slot.gen, kind).bits()),
            path: OnceLock::new(),
            name_shared: OnceLock::new(),
            space: Some(space),
            holders: Mutex::new(Vec::new()),
            handles: AtomicUsize::new(0),
            dead: AtomicBool::new(false),
            focused: false,
            children: OnceLock::new(),
            hinted: false,
        }
    }

    pub(crate) fn name(&self) -> &str {
        match &self.name {
            Name::Static(s) => s,
            Name::Declared(n) => n.name,
            Name::Owned(s) | Name::Given(s) => s,
            Name::Member(m) => &m.name,
        }
    }

    pub(crate) fn name_arc(&self) -> Arc<str> {
        match &self.name {
            Name::Static(s) => self.name_shared.get_or_init(|| Arc::from(*s)).clone(),
            Name::Declared(n) => self.name_shared.get_or_init(|| Arc::from(n.name)).clone(),
            Name::Owned(s) | Name::Given(s) => s.clone(),
            Name::Member(m) => m.name.clone(),
        }
    }

    /// The key snapshots carry this atom under: a declared atom's `#[name]` when one was given, else its
    /// path; a family member's `FAMILY[key as JSON]`; a run-time atom's given name. `Ok(None)`: a run-time
    /// atom named by nexus, which has no key another process could match. `Err`: a family member whose
    /// key type (named) serde cannot write.
    #[cfg(feature = "serde")]
    pub(crate) fn snapshot_key(&self) -> Result<Option<Arc<str>>, &'static str> {
        match &self.name {
            Name::Declared(n) if n.given => Ok(Some(self.name_arc())),
            Name::Static(_) | Name::Declared(_) | Name::Given(_) => Ok(Some(self.path())),
            Name::Member(m) => m.key.clone().map(Some),
            Name::Owned(_) => Ok(None),
        }
    }

    /// Whether this is a run-time atom given its name by the program (`Atom::named`, `named_serde`).
    #[cfg(feature = "serde")]
    pub(crate) fn is_given_name(&self) -> bool {
        matches!(self.name, Name::Given(_))
    }

    /// Old snapshot keys that hydration accepts for this atom (`#[alias = "…"]`).
    #[cfg(feature = "serde")]
    pub(crate) fn aliases(&self) -> &'static [&'static str] {
        match &self.name {
            Name::Declared(n) => n.aliases,
            _ => &[],
        }
    }

    /// `module::IDENT` for declared atoms, `module::NAME[key]` for family members, the name alone for
    /// other run-time atoms.
    pub(crate) fn path(&self) -> Arc<str> {
        self.path
            .get_or_init(|| {
                let last = if self.ident.is_empty() { self.name() } else { self.ident };
                if self.module.is_empty() {
                    last.into()
                } else {
                    format!("{}::{last}", self.module).into()
                }
            })
            .clone()
    }

    pub(crate) fn kind(&self) -> AtomKind {
        self.kind
    }

    pub(crate) fn owner_name(&self) -> &'static str {
        self.owner.name
    }

    /// The owner's type and slot space (the catalogue groups declared atoms by owner).
    pub(crate) fn owner(&self) -> OwnerInfo {
        self.owner
    }

    pub(crate) fn is_runtime(&self) -> bool {
        self.space.is_some()
    }

    /// The atom's identity, assigning its slot on first use (declared atoms).
    #[inline]
    pub(crate) fn id(&self, space: &'static SlotSpace) -> AtomId {
        match self.slot.load(Ordering::Acquire) {
            0 => self.assign_slot(space),
            bits => AtomId::from_bits(bits),
        }
    }

    /// The atom's identity, if it has one already (a declared atom gets it on first use).
    #[inline]
    pub(crate) fn assigned_id(&self) -> Option<AtomId> {
        match self.slot.load(Ordering::Acquire) {
            0 => None,
            bits => Some(AtomId::from_bits(bits)),
        }
    }

    /// A run-time atom's identity, fixed when it was made.
    pub(crate) fn runtime_id(&self) -> AtomId {
        debug_assert!(self.is_runtime(), "only run-time atoms have their id from the start");
        AtomId::from_bits(self.slot.load(Ordering::Relaxed))
    }

    #[cold]
    #[inline(never)]
    fn assign_slot(&self, space: &'static SlotSpace) -> AtomId {
        let fresh = space.alloc();
        let id = AtomId::new(self.owner.global, fresh.index, fresh.gen, self.kind);
        match self.slot.compare_exchange(0, id.bits(), Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => id,
            Err(current) => {
                // Another thread won the race: give ours back.
                space.release(fresh);
                AtomId::from_bits(current)
            }
        }
    }

    pub(crate) fn add_holder(&self, holder: Holder) {
        let mut holders = self.holders.lock().unwrap_or_else(PoisonError::into_inner);
        // Stores that died leave dead entries behind; drop them whenever the list doubles.
        if holders.len() >= 8 && holders.len().is_power_of_two() {
            holders.retain(|h| match h {
                Holder::Store(w) => w.strong_count() > 0,
                Holder::Registry(_) => true,
            });
        }
        holders.push(holder);
    }
}

impl DefCore {
    /// One more handle (or subscription) holds this run-time atom.
    #[inline]
    pub(crate) fn hold(&self) {
        // Relaxed, as for `Arc::clone`: a new holder comes from an existing one, which keeps it alive.
        self.handles.fetch_add(1, Ordering::Relaxed);
    }

    /// A handle (or subscription) let go of this run-time atom; the last one ends its life.
    #[inline]
    pub(crate) fn release(&self) {
        if self.handles.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.die();
        }
    }

    /// Holds the atom again if it is still alive (a weak reference made into a handle).
    pub(crate) fn revive(&self) -> bool {
        let mut n = self.handles.load(Ordering::Relaxed);
        loop {
            if n == 0 {
                return false;
            }
            match self.handles.compare_exchange_weak(n, n + 1, Ordering::Acquire, Ordering::Relaxed) {
                Ok(_) => return true,
                Err(now) => n = now,
            }
        }
    }

    /// How many handles (and subscriptions) hold this run-time atom.
    pub(crate) fn holders(&self) -> usize {
        self.handles.load(Ordering::Acquire)
    }

    /// The field atoms made from this atom.
    pub(crate) fn children(&self) -> &Children {
        self.children.get_or_init(Box::default)
    }

    /// Marks this (new, not yet shared) run-time atom as a focused child of another (a field atom).
    pub(crate) fn set_focused(&mut self) {
        self.focused = true;
    }

    /// Marks this (new, not yet shared) derived atom as naming its sources (see
    /// [`ErasedDef::source_hint`]).
    pub(crate) const fn set_hinted(&mut self) {
        self.hinted = true;
    }

    /// Whether this derived atom names sources before it runs (see [`ErasedDef::source_hint`]).
    #[inline]
    pub(crate) fn is_hinted(&self) -> bool {
        self.hinted
    }

    /// Whether this is a focused child of another atom (a field atom).
    #[inline]
    pub(crate) fn is_focused(&self) -> bool {
        self.focused
    }

    /// Whether the atom is alive: declared atoms always are; a run-time one until its last handle goes.
    #[inline]
    pub(crate) fn is_alive(&self) -> bool {
        self.space.is_none() || self.handles.load(Ordering::Acquire) > 0
    }

    /// The end of a run-time atom's life: every holder drops its value, and the slot is given back.
    /// Runs once: at the last handle's release, or when a definition that never had one is dropped.
    fn die(&self) {
        let Some(space) = self.space else { return };
        if self.dead.swap(true, Ordering::AcqRel) {
            return;
        }
        // Its field atoms go with it (they hold it weakly; it holds them).
        if let Some(children) = self.children.get() {
            let made = std::mem::take(&mut *children.0.lock().unwrap_or_else(PoisonError::into_inner));
            drop(made);
        }
        let bits = self.slot.load(Ordering::Acquire);
        let id = AtomId::from_bits(bits);
        let holders = std::mem::take(&mut *self.holders.lock().unwrap_or_else(PoisonError::into_inner));
        for holder in holders {
            match holder {
                Holder::Store(weak) => {
                    if let Some(store) = weak.upgrade() {
                        store.forget(id);
                    }
                }
                Holder::Registry(forget) => forget(id),
            }
        }
        space.release(Slot { index: id.index(), gen: id.gen() });
    }
}

impl Drop for DefCore {
    fn drop(&mut self) {
        // Only run-time atoms die; declared ones live in statics. Normally the last handle already did.
        self.die();
    }
}

impl fmt::Debug for DefCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Atom")
            .field("path", &&*self.path())
            .field("kind", &self.kind)
            .field("owner", &self.owner.name)
            .finish_non_exhaustive()
    }
}

/// What a store needs of a definition without knowing its types.
#[doc(hidden)]
pub trait ErasedDef: Send + Sync + 'static {
    /// The untyped part.
    fn core(&self) -> &DefCore;
    /// `type_name` of the value.
    fn type_name(&self) -> &'static str;
    /// A primitive atom's initial value.
    #[doc(hidden)]
    fn init_value(&self) -> Value;
    /// A primitive atom's initial value, as a store's first value of it.
    #[doc(hidden)]
    fn init_slot(&self) -> ValueSlot;
    /// Runs derived node `l`'s read function, records the sources it read, and stores the result unless
    /// it equals the current value (in place when nothing else shares the old one). Returns whether it
    /// changed.
    #[doc(hidden)]
    fn compute(&self, st: &mut State, host: &dyn Host, l: u32) -> bool;
    /// Whether two values of this atom are equal (`false` for types without `PartialEq`).
    #[doc(hidden)]
    fn values_equal(&self, a: &(dyn Any + Send + Sync), b: &(dyn Any + Send + Sync)) -> bool;
    /// Shows a value through `Debug`, else as JSON (feature `serde`), else as `<type name>`.
    #[doc(hidden)]
    fn fmt_value(&self, v: &(dyn Any + Send + Sync), f: &mut fmt::Formatter<'_>) -> fmt::Result;
    /// The value as JSON, if the type is `Serialize`.
    #[cfg(feature = "serde")]
    #[doc(hidden)]
    fn encode_json(&self, v: &(dyn Any + Send + Sync)) -> Option<Result<serde_json::Value, String>>;
    /// A value from JSON, if the type is `Deserialize`.
    #[cfg(feature = "serde")]
    #[doc(hidden)]
    fn decode_json(&self, json: serde_json::Value) -> Option<Result<Value, String>>;
    /// The `i`-th source this derived atom names before its read function runs (`Computed::reading`,
    /// the `s.get(&X)` calls `atom!` saw): a first evaluation brings them up to date first, on its
    /// path. A hint, never a promise: the read function still records what it really reads.
    #[doc(hidden)]
    fn source_hint(&self, _i: usize) -> Option<AtomRef<'_>> {
        None
    }
    /// Whether the atom has an `on_mount` (a store holding it counts mounts, see `graph::mount`).
    #[doc(hidden)]
    fn has_on_mount(&self) -> bool {
        false
    }
    /// Calls the atom's `on_mount` (see [`MountCall`]); returns what it returned, to run at unmount.
    #[doc(hidden)]
    fn mount(&self, _call: MountCall) -> Option<Unmount> {
        None
    }
}

/// How a store refers to an atom's definition.
pub(crate) enum NodeDef {
    Static(&'static dyn ErasedDef),
    /// Held strongly: the atom's life ends with its last handle (see [`DefCore::release`]), after
    /// which its holders drop their nodes and with them this.
    Runtime(Arc<dyn ErasedDef>),
    /// An effect (see `graph::effect`): a node that observes, with no atom and no value.
    Effect(Arc<EffectNode>),
    /// The place of a node that was removed (see `State::nodes`).
    Vacant,
}

impl NodeDef {
    /// The definition, unless the atom died (its node is about to be dropped) or is being evaluated.
    #[inline]
    pub(crate) fn live(&self) -> Option<&dyn ErasedDef> {
        match self {
            NodeDef::Static(d) => Some(*d),
            NodeDef::Runtime(d) if d.core().is_alive() => Some(&**d),
            NodeDef::Runtime(_) | NodeDef::Effect(_) | NodeDef::Vacant => None,
        }
    }

    /// The definition, even of an atom that died (for names), of a node in place.
    pub(crate) fn any(&self) -> &dyn ErasedDef {
        match self {
            NodeDef::Static(d) => *d,
            NodeDef::Runtime(d) => &**d,
            NodeDef::Effect(_) | NodeDef::Vacant => unreachable!("only an atom's node is named"),
        }
    }

    /// The definition, to call while the node stays (see `State::recompute`).
    #[inline]
    pub(crate) fn as_ptr(&self) -> *const dyn ErasedDef {
        match self {
            NodeDef::Static(d) => *d,
            NodeDef::Runtime(d) => Arc::as_ptr(d),
            NodeDef::Effect(_) | NodeDef::Vacant => unreachable!("only a derived atom's node is evaluated"),
        }
    }

    /// The definition of a live atom, held (see [`live`](Self::live)).
    pub(crate) fn guard(&self) -> Option<DefGuard> {
        match self {
            NodeDef::Static(d) => Some(DefGuard::Static(*d)),
            NodeDef::Runtime(d) if d.core().is_alive() => Some(DefGuard::Runtime(d.clone())),
            NodeDef::Runtime(_) | NodeDef::Effect(_) | NodeDef::Vacant => None,
        }
    }
}

/// A definition held for the length of an operation, or inside an event told to plugins.
#[derive(Clone)]
pub(crate) enum DefGuard {
    Static(&'static dyn ErasedDef),
    Runtime(Arc<dyn ErasedDef>),
}

impl std::ops::Deref for DefGuard {
    type Target = dyn ErasedDef;
    fn deref(&self) -> &Self::Target {
        match self {
            DefGuard::Static(d) => *d,
            DefGuard::Runtime(a) => &**a,
        }
    }
}
