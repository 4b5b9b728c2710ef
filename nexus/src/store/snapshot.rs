//! Snapshots and hydration (feature `serde`): carry a store's state to another instance, e.g. from the
//! server's per-request store to the client's. A store operation (`store.snapshot()`,
//! `store.hydrate(&snapshot)`), built on the catalogue of declared atoms.

use std::collections::BTreeMap;
use std::fmt;

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use std::collections::HashSet;

use crate::core::info::AtomKey;
use crate::core::info::AtomKind;
use crate::core::owner::{Global, Owner};
use crate::core::value_slot::Value;
use crate::graph::access::AtomRef;
use crate::graph::def::ErasedDef;
use crate::graph::observe::{ChangeOp, Event, Warning};
use crate::store::catalog::{self, Entry, FamilyEntry, HeldAtom, MadeMember};
use crate::store::instance::StoreShared;
use crate::store::loads::{self, Pending};
use crate::store::named::{self, Named};

/// The primitive atoms of one store instance (and the values its async atoms loaded), as JSON values by
/// snapshot key, and the atoms it left out. Made by [`Store::snapshot`](crate::Store::snapshot); applied
/// with [`Store::hydrate`](crate::Store::hydrate). Round-trips through JSON.
///
/// **Keys.** A declared atom's key is its `#[name = "…"]` when it has one (so that moving it to another
/// module keeps old snapshots valid), else its path `module::IDENT`. A member of a declared
/// [`Family`](crate::Family) or [`AsyncFamily`](crate::AsyncFamily) is `FAMILY[key]`, `FAMILY` being the
/// family's key by the same rule and `key` the member's key written by serde as JSON: `app::TODO[3]`,
/// `app::TODO["abc"]`, `todo[[1,"a"]]`. A run-time atom made with
/// [`Atom::named_serde`](crate::Atom::named_serde) is keyed by its name.
/// [`hydrate`](crate::Store::hydrate) also accepts the old keys an atom or a family lists with
/// `#[alias = "…"]`. An async atom is carried once it is `Ready` (one still loading is loaded again by the
/// hydrated store); hydrated, it is `Ready` with that value, without loading.
///
/// **What is left out, and said so.** Derived atoms (they follow from the primitive ones) and run-time
/// atoms without a name (`Atom::new`: no key another process could match) are never carried. Every other
/// atom the instance holds is either in [`values`](Snapshot::values) or in
/// [`omitted`](Snapshot::omitted) with the reason: its type lacks `Serialize`, serialising the value
/// failed, it is a member of a family whose key type lacks `Serialize`, or another atom of the store type
/// answers to the same key on hydration (two `#[name]`s alike in different modules, even if the store
/// holds only one of them). A snapshot never holds a key its own `hydrate` refuses. Nothing vanishes
/// silently; a [`DevTools`](crate::DevTools) attached to the store also warns, once per atom.
///
/// **Why a list, not a compile error**, for a type without `Serialize`: which atoms a snapshot holds is
/// decided at run time (those the instance touched, family members made from run-time keys), so no
/// call site knows them when it is compiled; and a `Serialize` bound at the declaration would force
/// `Serialize` on every atom of every program, also on those never snapshotted (sockets, handles). So
/// `atom!` detects `Serialize` where the atom is declared, imposing no bound, and the snapshot says what
/// it could not carry.
///
/// ```
/// nexus::store! { pub struct Page; }
///
/// /// No `Serialize`: left out, and said so.
/// #[derive(Clone)]
/// pub struct Socket(u32);
///
/// nexus::atom! {
///     #![store(Page)]
///     #[name = "todo"]
///     pub static TODO: String = family(|id: &u64| format!("todo {id}"));
///     /// Renamed from `theme` (and once declared in `app::settings`): old snapshots still hydrate.
///     #[name = "colour_theme"]
///     #[alias = "theme"]
///     #[alias = "app::settings::THEME"]
///     pub static THEME: &'static str = "light";
///     #[name = "socket"]
///     pub static SOCKET: Socket = Socket(0);
/// }
///
/// let server = Page::new();
/// server.set(&TODO.at(3), "write the docs".into());
/// server.set(&SOCKET, Socket(7));
/// let snapshot = server.snapshot();
/// assert_eq!(snapshot.get("todo[3]"), Some(&serde_json::json!("write the docs")));
/// assert_eq!(snapshot.omitted()[0].key(), "socket");
///
/// let client = Page::new(); // has never used `TODO`
/// client.hydrate(&snapshot)?;
/// assert_eq!(client.get(&TODO.at(3)), "write the docs");
///
/// let mut old = Page::new().snapshot();
/// old.insert("app::settings::THEME", serde_json::json!("dark"));
/// client.hydrate(&old)?;
/// assert_eq!(client.get(&THEME), "dark");
/// # Ok::<(), nexus::HydrateError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    store: String,
    values: BTreeMap<String, serde_json::Value>,
    // Old snapshots have none; one with none writes none (the JSON stays as it was).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    omitted: Vec<Omitted>,
}

impl Snapshot {
    pub(crate) fn new(
        store: &str,
        values: BTreeMap<String, serde_json::Value>,
        omitted: Vec<Omitted>,
    ) -> Self {
        Snapshot { store: store.to_owned(), values, omitted }
    }

    /// The atoms this instance held that the snapshot does not carry, each with the reason, by key.
    /// Empty when every atom is in [`values`](Snapshot::values).
    pub fn omitted(&self) -> &[Omitted] {
        &self.omitted
    }

    /// The name of the store type it was taken from.
    pub fn store(&self) -> &str {
        &self.store
    }

    /// Snapshot key → value.
    pub fn values(&self) -> &BTreeMap<String, serde_json::Value> {
        &self.values
    }

    /// The value recorded under the snapshot key `key`.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.values.get(key)
    }

    /// Adds or replaces the value under `key` (e.g. to build a snapshot by hand).
    pub fn insert(&mut self, key: impl Into<String>, value: serde_json::Value) {
        self.values.insert(key.into(), value);
    }

    /// How many atoms it holds.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether it holds no atom.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// An atom a [`Snapshot`] left out, and why (see [`Snapshot::omitted`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Omitted {
    key: String,
    type_name: String,
    reason: OmitReason,
}

/// Why a [`Snapshot`] left an atom out. Non-exhaustive: more reasons may come (match with a `_` arm).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum OmitReason {
    /// The value type does not implement `Serialize` (detected where the atom was declared; derive it to
    /// carry the atom).
    NotSerialize,
    /// The type implements `Serialize` but this value could not be written (e.g. a map whose keys are
    /// not strings): what serde said.
    SerializeFailed(String),
    /// Another atom answers to the same key on hydration: one of the store type's declared atoms or
    /// families (two `#[name]`s alike in different modules, whether or not the store holds the other),
    /// or a live `Atom::named_serde` atom of the same name. `hydrate` would refuse the key as ambiguous,
    /// or give the value to the other atom, so it is not carried (when the store holds both, neither
    /// is). Give each a name of its own.
    SameKey,
    /// A run-time atom made with [`Atom::named`](crate::Atom::named), which records no JSON conversion
    /// (make it with [`Atom::named_serde`](crate::Atom::named_serde) to carry it).
    NamedWithoutSerde,
    /// A family member whose key type does not implement `Serialize`: the member has no key another
    /// process could read (its value type is no matter).
    KeyNotSerialize {
        /// The family's key type.
        key_type: String,
    },
}

impl Omitted {
    /// The atom's snapshot key (for a family member whose key serde cannot write: its path,
    /// `module::NAME[key]` with the key through `Debug`; for an async family's member too).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The atom's value type.
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// Why it was left out.
    pub fn reason(&self) -> &OmitReason {
        &self.reason
    }
}

impl fmt::Display for Omitted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Omitted { key, type_name, reason } = self;
        write!(f, "atom `{key}` (type `{type_name}`) is not in the snapshot: ")?;
        match reason {
            OmitReason::NotSerialize => write!(f, "its type does not implement `Serialize`"),
            OmitReason::SerializeFailed(message) => write!(f, "serialising its value failed: {message}"),
            OmitReason::SameKey => write!(f, "another atom of this store has the same key"),
            OmitReason::NamedWithoutSerde => {
                write!(f, "it was made with `Atom::named`, not `Atom::named_serde`")
            }
            OmitReason::KeyNotSerialize { key_type } => {
                write!(f, "its family's key type `{key_type}` does not implement `Serialize`")
            }
        }
    }
}

/// One reason a snapshot could not be hydrated. Non-exhaustive: more problems may come (match with a `_`
/// arm).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HydrateProblem {
    /// The snapshot was taken from another store type.
    WrongStore {
        /// The store type being hydrated.
        expected: String,
        /// The store type the snapshot names.
        found: String,
    },
    /// No atom usable with this store type has this key (nor this alias).
    UnknownAtom(String),
    /// The atom is derived: only primitive atoms are hydrated.
    NotPrimitive(String),
    /// Several atoms this store type can hold answer to this key: declared atoms whose `#[name]` is the
    /// same, live run-time atoms of one name (`Atom::named_serde`), or atoms that list it as an alias.
    Ambiguous(String),
    /// Two keys of the snapshot name one atom (a key and an `#[alias]` of it, or two spellings of one
    /// family member's key).
    Duplicate {
        /// The key found second, in key order.
        path: String,
        /// The key found first.
        first: String,
    },
    /// The atom's type does not implement `Deserialize`.
    NotDeserializable {
        /// The snapshot's key for the atom.
        path: String,
        /// Its value type.
        type_name: &'static str,
    },
    /// The value does not decode as the atom's type (or a family member's key as the key type).
    Decode {
        /// The snapshot's key for the atom.
        path: String,
        /// What the decoder said.
        message: String,
    },
}

impl fmt::Display for HydrateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HydrateProblem::WrongStore { expected, found } => {
                write!(f, "the snapshot was taken from store `{found}`, not `{expected}`")
            }
            HydrateProblem::UnknownAtom(path) => write!(f, "no atom `{path}` in this store type"),
            HydrateProblem::NotPrimitive(path) => write!(f, "atom `{path}` is derived, not primitive"),
            HydrateProblem::Ambiguous(path) => {
                write!(
                    f,
                    "several atoms answer to `{path}` (the same `#[name]` in two modules, live run-time atoms of one name, or a shared alias): name each one once"
                )
            }
            HydrateProblem::Duplicate { path, first } => {
                write!(f, "`{path}` and `{first}` are keys of the same atom: give it one value")
            }
            HydrateProblem::NotDeserializable { path, type_name } => {
                write!(f, "atom `{path}` has type `{type_name}`, which does not implement `Deserialize`")
            }
            HydrateProblem::Decode { path, message } => write!(f, "atom `{path}`: {message}"),
        }
    }
}

/// Why [`Store::hydrate`](crate::Store::hydrate) changed nothing: every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HydrateError {
    pub(crate) problems: Vec<HydrateProblem>,
}

impl HydrateError {
    /// Every problem, in key order.
    pub fn problems(&self) -> &[HydrateProblem] {
        &self.problems
    }
}

impl fmt::Display for HydrateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot hydrate: ")?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for HydrateError {}

/// An atom a snapshot names, found in this program: declared (the catalogue), run-time and named, or a
/// declared async atom (its loaded value).
enum Target {
    Declared(Entry),
    Named(Named),
    Async(Arc<dyn Pending>),
    /// A member of a declared family, made (or found) once the whole snapshot is known to be valid.
    Member(Box<dyn HeldAtom>),
}

impl Target {
    /// The primitive atom the value goes into (an async atom's outcome).
    fn atom_ref(&self) -> AtomRef<'_> {
        match self {
            Target::Declared(entry) => entry.atom_ref(),
            Target::Named(named) => named.atom_ref(),
            Target::Async(atom) => atom.outcome(),
            Target::Member(member) => member.atom_ref(),
        }
    }
}

/// What a snapshot's key names, found by [`StoreShared::validate`]: an atom, or a family member to make.
enum Found {
    Atom(Target),
    Member(Box<dyn FnOnce() -> MadeMember + Send>),
}

/// An atom a snapshot is about to carry (see [`StoreShared::snapshot`]).
struct Carried {
    key: Arc<str>,
    type_name: &'static str,
    json: serde_json::Value,
    /// The definition of the atom hydration sets (an async atom's outcome).
    def: *const (),
    /// A family member's family, by address.
    family: Option<usize>,
    /// Its identity in this store (for warnings).
    atom: AtomKey,
}

/// Where hydration looks a key up — and where a snapshot checks, before carrying a key, that hydration
/// would give its value back to the atom it came from (one lookup for both sides): declared atoms,
/// declared async atoms and declared families, by key and by alias.
struct Keys {
    declared: HashMap<Arc<str>, Vec<Entry>>,
    aliases: HashMap<&'static str, Vec<Entry>>,
    async_declared: HashMap<Arc<str>, Vec<Arc<dyn Pending>>>,
    async_aliases: HashMap<&'static str, Vec<Arc<dyn Pending>>>,
    families: HashMap<String, Vec<&'static dyn FamilyEntry>>,
}

impl Keys {
    /// The lookup of store type `S`, built once per process: what it holds (declared atoms, declared async
    /// atoms, declared families) is fixed at start-up, and building it scans every declared atom, which
    /// cost an SSR server's snapshot per request 7x its time. Named run-time atoms, which come and go,
    /// are looked up in `find` itself.
    fn cached<S: Owner>() -> Arc<Self> {
        static CACHE: std::sync::OnceLock<parking_lot::RwLock<HashMap<TypeId, Arc<Keys>>>> =
            std::sync::OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        if let Some(keys) = cache.read().get(&TypeId::of::<S>()) {
            return keys.clone();
        }
        // Built outside the lock: building makes the declared async atoms, which may take other locks.
        let keys = Arc::new(Self::of::<S>());
        cache.write().entry(TypeId::of::<S>()).or_insert(keys).clone()
    }

    fn of<S: Owner>() -> Self {
        let mut declared = HashMap::new();
        let mut aliases: HashMap<&'static str, Vec<Entry>> = HashMap::new();
        for entry in catalog::usable_in::<S>() {
            let core = entry.def.core();
            if let Ok(Some(key)) = core.snapshot_key() {
                declared.entry(key).or_insert_with(Vec::new).push(entry);
            }
            for alias in core.aliases() {
                aliases.entry(alias).or_default().push(entry);
            }
        }
        let mut async_declared: HashMap<Arc<str>, Vec<Arc<dyn Pending>>> = HashMap::new();
        let mut async_aliases: HashMap<&'static str, Vec<Arc<dyn Pending>>> = HashMap::new();
        for (key, atom) in loads::declared(&[TypeId::of::<S>(), TypeId::of::<Global>()]) {
            for alias in atom.aliases() {
                async_aliases.entry(alias).or_default().push(atom.clone());
            }
            async_declared.entry(key).or_default().push(atom);
        }
        let mut families: HashMap<String, Vec<&'static dyn FamilyEntry>> = HashMap::new();
        for family in catalog::families_usable_in::<S>() {
            let (key, old) = family.keys();
            families.entry(key).or_default().push(family);
            for alias in old {
                families.entry((*alias).to_owned()).or_default().push(family);
            }
        }
        Keys { declared, aliases, async_declared, async_aliases, families }
    }

    /// The atom `path` names: a declared atom's key; else a named run-time atom or a declared async
    /// atom's key; else a declared atom's or a declared async atom's alias; else a member of a declared
    /// family. A key always wins over another atom's alias; several atoms at one step are ambiguous.
    fn find<'p, S: Owner>(&self, path: &'p str) -> Result<Lookup<'p>, HydrateProblem> {
        let one = |mut found: Vec<Target>| match found.len() {
            0 => Ok(None),
            1 => Ok(found.pop().map(Lookup::Atom)),
            _ => Err(HydrateProblem::Ambiguous(path.to_owned())),
        };
        let declared = self.declared.get(path).into_iter().flatten().copied().map(Target::Declared);
        if let Some(found) = one(declared.collect())? {
            return Ok(found);
        }
        let owners = [TypeId::of::<S>(), TypeId::of::<Global>()];
        let keyed = named::find(owners[0], path)
            .into_iter()
            .chain(named::find(owners[1], path))
            .map(Target::Named)
            .chain(self.async_declared.get(path).into_iter().flatten().cloned().map(Target::Async));
        if let Some(found) = one(keyed.collect())? {
            return Ok(found);
        }
        let aliased = self.aliases.get(path).into_iter().flatten().copied().map(Target::Declared);
        let aliased =
            aliased.chain(self.async_aliases.get(path).into_iter().flatten().cloned().map(Target::Async));
        if let Some(found) = one(aliased.collect())? {
            return Ok(found);
        }
        match self.family(path) {
            Ok(Some((family, key))) => Ok(Lookup::Member(family, key)),
            Ok(None) => Err(HydrateProblem::UnknownAtom(path.to_owned())),
            Err(()) => Err(HydrateProblem::Ambiguous(path.to_owned())),
        }
    }

    /// Whether hydrating `key` into a store of type `S` sets the atom whose definition is at `def` (a
    /// family member: of the family at `family`). A snapshot carries a key only then, so it never holds
    /// a key its own hydration refuses (ambiguous) or gives to another atom.
    fn leads_to<S: Owner>(&self, key: &str, def: *const (), family: Option<usize>) -> bool {
        match (self.find::<S>(key), family) {
            (Ok(Lookup::Atom(target)), None) => def_addr(target.atom_ref().handle.def()) == def,
            (Ok(Lookup::Member(entry, _)), Some(family)) => {
                std::ptr::from_ref(entry).cast::<()>().addr() == family
            }
            _ => false,
        }
    }

    /// The family whose member `path` names (`FAMILY[key]`), with the key's JSON text; `Err(())`: several
    /// families answer to that prefix. A prefix is tried at every `[`, so a
    /// family name or a key text holding brackets is still found.
    #[allow(clippy::type_complexity)]
    fn family<'p>(&self, path: &'p str) -> Result<Option<(&'static dyn FamilyEntry, &'p str)>, ()> {
        let Some(inner) = path.strip_suffix(']') else { return Ok(None) };
        for (i, _) in inner.match_indices('[') {
            match self.families.get(&inner[..i]).map(Vec::as_slice) {
                Some([family]) => return Ok(Some((*family, &inner[i + 1..]))),
                Some([_, _, ..]) => return Err(()),
                _ => {}
            }
        }
        Ok(None)
    }
}

impl StoreShared {
    /// The primitive atoms this instance holds that have a snapshot key, by key, and those of them that
    /// cannot be carried (see [`Snapshot`]); tells the plugins about the latter.
    pub(crate) fn snapshot<S: Owner>(&self) -> Snapshot {
        // Async atoms' outcomes are carried below, as their loaded values. Told by definition, not by
        // id: ids are unique only among one owner's atoms. (`live` holds the definitions meanwhile.)
        let live = loads::live();
        let outcomes: HashSet<*const ()> = live.iter().map(|a| def_addr(a.outcome().handle.def())).collect();
        let atom_key = |id, path| AtomKey { store: Some((self.id, self.name)), atom: id, path };
        let st = self.read();
        let mut carried: Vec<Carried> = Vec::new();
        // With each, the atom's identity in this store: DevTools warn once per atom, not per key.
        let mut omitted: Vec<(Omitted, AtomKey)> = Vec::new();
        for node in st.nodes.iter().filter(|n| n.is_live()) {
            if node.proxy || node.is_derived() {
                continue;
            }
            let (Some(def), Some(value)) = (node.def.guard(), node.value.get()) else { continue };
            if outcomes.contains(&def_addr(&*def)) {
                continue;
            }
            let core = def.core();
            let type_name = def.type_name();
            let leave_out = |key: String, reason| Omitted { key, type_name: type_name.to_owned(), reason };
            let key = match core.snapshot_key() {
                Ok(Some(key)) => key,
                Ok(None) => continue,
                Err(key_type) => {
                    let reason = OmitReason::KeyNotSerialize { key_type: key_type.to_owned() };
                    omitted
                        .push((leave_out(core.path().to_string(), reason), atom_key(node.id, core.path())));
                    continue;
                }
            };
            let reason = match def.encode_json(value) {
                Some(Ok(json)) => {
                    let (def, family, atom) =
                        (def_addr(&*def), core.family(), atom_key(node.id, core.path()));
                    carried.push(Carried { key, type_name, json, def, family, atom });
                    continue;
                }
                Some(Err(message)) => OmitReason::SerializeFailed(message),
                None if core.is_given_name() => OmitReason::NamedWithoutSerde,
                None => OmitReason::NotSerialize,
            };
            omitted.push((leave_out(key.to_string(), reason), atom_key(node.id, core.path())));
        }
        let plugins = st.tools.as_ref().map(|t| t.plugins.clone()).filter(|p| !p.is_empty());
        drop(st);
        // Async atoms (declared ones and async families' members): the values loaded here (a hydrated
        // client then has them without loading again). Only the atoms this store type can hold: atom
        // ids are unique within one owner's atoms. One still loading (or failed) is not carried: the
        // client loads it.
        let owners = [TypeId::of::<S>(), TypeId::of::<Global>()];
        for atom in live.iter().filter(|a| owners.contains(&a.owner())) {
            let type_name = atom.value_type();
            let leave_out = |key: String, reason| {
                (Omitted { key, type_name: type_name.to_owned(), reason }, self.key(atom.outcome()))
            };
            match atom.snapshot_key() {
                Ok(None) => {}
                Err(key_type) => {
                    if let Some(path) = atom.held_path(self) {
                        let reason = OmitReason::KeyNotSerialize { key_type: key_type.to_owned() };
                        omitted.push(leave_out(path.to_string(), reason));
                    }
                }
                Ok(Some(key)) => {
                    if let Some(json) = atom.encode(self) {
                        let (def, family) = (def_addr(atom.outcome().handle.def()), atom.family());
                        let atom = self.key(atom.outcome());
                        carried.push(Carried { key, type_name, json, def, family, atom });
                    } else if atom.unserializable(self).is_some() {
                        omitted.push(leave_out(key.to_string(), OmitReason::NotSerialize));
                    }
                }
            }
        }
        let mut held: HashMap<Arc<str>, usize> = HashMap::new();
        for c in &carried {
            *held.entry(c.key.clone()).or_default() += 1;
        }
        // The declared catalogue is read only when there is something to check against it.
        let keys = (!carried.is_empty()).then(Keys::cached::<S>);
        let mut values = BTreeMap::new();
        for c in carried {
            // Two atoms held under one key, or a key hydration would refuse or give to another atom
            // (one the store does not hold): carrying the value would lose it, or move it. Say so.
            let alone = held.get(&c.key) == Some(&1);
            if alone && keys.as_ref().is_some_and(|k| k.leads_to::<S>(&c.key, c.def, c.family)) {
                values.insert(c.key.to_string(), c.json);
            } else {
                let omit = Omitted {
                    key: c.key.to_string(),
                    type_name: c.type_name.to_owned(),
                    reason: OmitReason::SameKey,
                };
                omitted.push((omit, c.atom));
            }
        }
        omitted.sort_by(|a, b| a.0.key.cmp(&b.0.key));
        if let Some(plugins) = plugins {
            // DevTools warn (once per atom, they decide): the program may not know what it loses.
            let warnings = omitted
                .iter()
                .map(|(o, atom)| Event::Warning(Warning::new(o.key.clone(), o.to_string(), atom.clone())));
            crate::graph::observe::deliver(&plugins, warnings.collect());
        }
        Snapshot::new(self.name, values, omitted.into_iter().map(|(o, _)| o).collect())
    }

    /// Validates every value of `snapshot` against the atoms the store type `S` can hold, then sets them
    /// all as one change round, or changes nothing and names every problem.
    pub(crate) fn hydrate<S: Owner>(&self, snapshot: &Snapshot) -> Result<(), HydrateError> {
        let decoded: Vec<(Target, Value)> = self
            .validate::<S>(snapshot)?
            .into_iter()
            .map(|(found, value)| match found {
                Found::Atom(target) => (target, value),
                // Made only now: a hydration that fails makes no member.
                Found::Member(make) => match make() {
                    MadeMember::Atom(member) => (Target::Member(member), value),
                    MadeMember::Async(member) => (Target::Async(member), value),
                },
            })
            .collect();
        // An async atom's hydrated value is the outcome of the load its dependencies ask for: no fetch.
        let adopting: Vec<Arc<dyn Pending>> = decoded
            .iter()
            .filter_map(|(target, value)| match target {
                Target::Async(atom) => atom.begin_adopt(self, value).then(|| atom.clone()),
                _ => None,
            })
            .collect();
        self.change(|st, round| {
            for (target, value) in decoded {
                let r = target.atom_ref();
                if self.in_global_registry(r) {
                    if crate::store::global::set_value(r, value) {
                        Self::refresh_proxies(st, round, r.id);
                        round.broadcast(r.id);
                    }
                    continue;
                }
                let (l, _) = self.resolve(st, r);
                self.put(st, round, l, r.handle.def(), value, ChangeOp::Hydrate);
            }
        });
        for atom in adopting {
            atom.finish_adopt(self);
        }
        Ok(())
    }

    /// Every value of `snapshot` with its atom, decoded; or every problem.
    fn validate<S: Owner>(&self, snapshot: &Snapshot) -> Result<Vec<(Found, Value)>, HydrateError> {
        let mut problems = Vec::new();
        if snapshot.store() != self.name {
            problems.push(HydrateProblem::WrongStore {
                expected: self.name.to_owned(),
                found: snapshot.store().to_owned(),
            });
        }
        let keys = Keys::cached::<S>();
        // Which atom each key named (its key, or a member's family and canonical key): one value per atom.
        let mut atoms: HashMap<String, String> = HashMap::new();
        let mut once = |problems: &mut Vec<HydrateProblem>, atom: String, path: &String| {
            if let Some(first) = atoms.get(&atom) {
                problems.push(HydrateProblem::Duplicate { path: path.clone(), first: first.clone() });
                return false;
            }
            atoms.insert(atom, path.clone());
            true
        };
        let mut decoded = Vec::new();
        for (path, json) in snapshot.values() {
            let target = match keys.find::<S>(path) {
                Ok(Lookup::Atom(target)) => target,
                Ok(Lookup::Member(family, key)) => {
                    match family.decode(key, json.clone()) {
                        Ok(member) => {
                            if once(&mut problems, format!("{}[{}]", family.keys().0, member.canonical), path)
                            {
                                decoded.push((Found::Member(member.make), member.value));
                            }
                        }
                        Err(message) => problems.push(HydrateProblem::Decode { path: path.clone(), message }),
                    }
                    continue;
                }
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let def = target.atom_ref().handle.def();
            if def.core().kind() != AtomKind::Primitive {
                problems.push(HydrateProblem::NotPrimitive(path.clone()));
                continue;
            }
            // An atom reached by key or by alias: one value for it.
            let key = match &target {
                Target::Declared(entry) => entry.def.core().snapshot_key().ok().flatten(),
                Target::Async(atom) => atom.declared().map(|(key, _)| key),
                Target::Named(_) | Target::Member(_) => None,
            };
            if let Some(key) = key {
                if !once(&mut problems, key.to_string(), path) {
                    continue;
                }
            }
            let decoded_value = match &target {
                Target::Async(atom) => atom.decode(json.clone()),
                _ => def.decode_json(json.clone()),
            };
            match decoded_value {
                None => problems.push(HydrateProblem::NotDeserializable {
                    path: path.clone(),
                    type_name: def.type_name(),
                }),
                Some(Err(message)) => problems.push(HydrateProblem::Decode { path: path.clone(), message }),
                Some(Ok(value)) => decoded.push((Found::Atom(target), value)),
            }
        }
        if problems.is_empty() {
            Ok(decoded)
        } else {
            Err(HydrateError { problems })
        }
    }
}

/// Where a definition lives: one atom's identity across every owner.
fn def_addr(def: &dyn ErasedDef) -> *const () {
    std::ptr::from_ref(def).cast::<()>()
}

/// What [`Keys::find`] found.
enum Lookup<'p> {
    Atom(Target),
    /// A family member: the family and the key's JSON text.
    Member(&'static dyn FamilyEntry, &'p str),
}
