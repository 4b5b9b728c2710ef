//! Small public value types that describe stores and atoms: ids, keys, modes, kinds and registry entries.

use std::fmt;
use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

/// The unique id of one store instance.
///
/// Ids are handed out from a process-wide counter and never reused while the process runs, so an id
/// names one instance even after that instance has been dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoreId(NonZeroU64);

impl StoreId {
    pub(crate) fn next() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        // A u64 counter incremented once per store cannot wrap in practice; starting at 1 keeps it non-zero.
        StoreId(NonZeroU64::new(n).expect("store id counter starts at 1 and does not wrap"))
    }

    /// The id as a number (the `3` of `Session#3`).
    pub fn get(self) -> u64 {
        self.0.get()
    }
}

impl fmt::Display for StoreId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// How a store resolves [`Global`](crate::Global) atoms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The default: every instance holds its own value of every atom it touches, `Global` atoms included.
    Isolated,
    /// Opt-in with `#[mode(global)]`: `Global` primitive atoms read and write the one process-wide global
    /// registry shared by every global-mode store; the store's own atoms stay per instance.
    Global,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Isolated => "isolated",
            Mode::Global => "global",
        })
    }
}

/// What kind of atom an entry of a registry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AtomKind {
    /// Holds a value of its own ([`Atom`](crate::Atom)).
    Primitive,
    /// Read-only, derived from other atoms ([`Computed`](crate::Computed)).
    Computed,
    /// Derived from other atoms, with a write function ([`Writable`](crate::Writable)).
    Writable,
}

impl fmt::Display for AtomKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AtomKind::Primitive => "primitive",
            AtomKind::Computed => "computed",
            AtomKind::Writable => "writable",
        })
    }
}

/// The identity of one atom in one store instance (or in the global registry).
///
/// Two keys are equal when they name the same atom in the same instance. Displays as
/// `StoreName#id/module::ATOM`, or `global/module::ATOM` for an entry of the global registry.
#[derive(Debug, Clone)]
pub struct AtomKey {
    pub(crate) store: Option<(StoreId, &'static str)>,
    pub(crate) atom: AtomId,
    pub(crate) path: Arc<str>,
}

/// Identity of an atom definition: its owner's slot space (`Global` or a store type), slot index and
/// generation, with its kind alongside, packed as `gen << 35 | kind << 33 | index << 1 | global`. One
/// word, so that it is written and read whole (a lookup right after building an `AtomRef` loads it as
/// one value; narrower fields read back wider stall the processor). Never 0: `gen` is never 0.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[doc(hidden)]
pub(crate) struct AtomId(u64);

impl AtomId {
    /// The largest generation an id holds.
    pub(crate) const MAX_GEN: u32 = (1 << 29) - 1;

    #[inline]
    pub(crate) const fn new(global: bool, index: u32, gen: u32, kind: AtomKind) -> Self {
        let kind = match kind {
            AtomKind::Primitive => 0,
            AtomKind::Computed => 1,
            AtomKind::Writable => 2,
        };
        AtomId(((gen as u64) << 35) | (kind << 33) | ((index as u64) << 1) | global as u64)
    }

    /// Whether the atom is `Global` (its slot is in the `Global` space).
    #[inline]
    pub(crate) const fn global(self) -> bool {
        self.0 & 1 == 1
    }

    /// The slot index within its owner's space.
    #[inline]
    pub(crate) const fn index(self) -> u32 {
        #[allow(clippy::cast_possible_truncation)] // 32 bits were packed there
        let index = (self.0 >> 1) as u32;
        index
    }

    /// The generation of the slot's holder.
    #[inline]
    pub(crate) const fn gen(self) -> u32 {
        #[allow(clippy::cast_possible_truncation)] // 29 bits were packed there
        let gen = (self.0 >> 35) as u32;
        gen
    }

    /// The atom's kind.
    #[inline]
    pub(crate) const fn kind(self) -> AtomKind {
        match (self.0 >> 33) & 3 {
            0 => AtomKind::Primitive,
            1 => AtomKind::Computed,
            _ => AtomKind::Writable,
        }
    }

    /// The packed word (never 0).
    #[inline]
    pub(crate) const fn bits(self) -> u64 {
        self.0
    }

    pub(crate) const fn from_bits(bits: u64) -> Self {
        AtomId(bits)
    }
}

impl fmt::Debug for AtomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AtomId")
            .field("global", &self.global())
            .field("index", &self.index())
            .field("gen", &self.gen())
            .field("kind", &self.kind())
            .finish()
    }
}

impl AtomKey {
    /// The store instance this key belongs to; `None` for the global registry.
    pub fn store_id(&self) -> Option<StoreId> {
        self.store.map(|(id, _)| id)
    }

    /// The atom's path (`module::NAME`).
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl PartialEq for AtomKey {
    fn eq(&self, other: &Self) -> bool {
        self.store.map(|s| s.0) == other.store.map(|s| s.0) && self.atom == other.atom
    }
}

impl Eq for AtomKey {}

impl std::hash::Hash for AtomKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.store.map(|s| s.0).hash(state);
        self.atom.hash(state);
    }
}

impl fmt::Display for AtomKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.store {
            Some((id, name)) => write!(f, "{name}#{id}/{}", self.path),
            None => write!(f, "global/{}", self.path),
        }
    }
}

/// One entry of a registry: an atom that a store instance (or the global registry) holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtomInfo {
    pub(crate) name: Arc<str>,
    pub(crate) path: Arc<str>,
    pub(crate) kind: AtomKind,
    pub(crate) owner: &'static str,
    pub(crate) key: AtomKey,
    pub(crate) registered_at: Option<SystemTime>,
    pub(crate) type_name: &'static str,
}

impl AtomInfo {
    /// The registry name: the identifier, or the `#[name = "…"]` given in `atom!`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The module path plus name, e.g. `app::CLICKS`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Primitive, computed or writable.
    pub fn kind(&self) -> AtomKind {
        self.kind
    }

    /// The name of the owning store type, or `"Global"`.
    pub fn owner(&self) -> &'static str {
        self.owner
    }

    /// The key of this atom in the registry that holds it (a cheap clone, like
    /// [`Store::key`](crate::Store::key)'s).
    pub fn key(&self) -> AtomKey {
        self.key.clone()
    }

    /// When the atom was registered there (its first get, set or subscribe), if it was recorded: a
    /// store instance reads the clock for its registrations only while a plugin or tool is attached to
    /// it ([`DevTools`](crate::DevTools), [`TimeTravel`](crate::TimeTravel), the Redux DevTools bridge),
    /// so that a first touch costs no clock read otherwise (a clock read costs more than the rest of a
    /// first touch). Atoms of the global registry ([`global::atoms`](crate::global::atoms)) always have
    /// it.
    pub fn registered_at(&self) -> Option<SystemTime> {
        self.registered_at
    }

    /// The Rust type of the atom's value, as [`std::any::type_name`] gives it.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }
}

/// A declared atom's names as `atom!` wrote them (made by generated code). The snapshot key is what
/// snapshots carry the atom under, the key to store it under outside the process: the `#[name]` if one
/// was given (so it survives moving the atom to another module), else the path `module::IDENT`.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "serde"), allow(dead_code))] // keys are for snapshots
pub struct Names {
    pub(crate) name: &'static str,
    /// Whether `#[name = "…"]` gave `name`: the snapshot key is then `name` alone.
    pub(crate) given: bool,
    /// Old snapshot keys (`#[alias = "…"]`) that hydration accepts for this atom.
    pub(crate) aliases: &'static [&'static str],
}

impl Names {
    /// `name`: the registry name; `given`: it came from `#[name = "…"]`; `aliases`: `#[alias = "…"]`.
    pub const fn new(name: &'static str, given: bool, aliases: &'static [&'static str]) -> Self {
        Names { name, given, aliases }
    }

    /// The snapshot key of an atom with these names declared in `module` (its path otherwise).
    #[cfg(feature = "serde")]
    pub(crate) fn key(&self, module: &str) -> String {
        if self.given || module.is_empty() {
            self.name.to_owned()
        } else {
            format!("{module}::{}", self.name)
        }
    }
}
