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

use crate::core::info::AtomKind;
use crate::core::owner::{Global, Owner};
use crate::core::value_slot::Value;
use crate::graph::access::AtomRef;
use crate::graph::def::ErasedDef;
use crate::graph::observe::{ChangeOp, Event, Warning};
use crate::store::catalog::{self, Entry, FamilyEntry, HeldAtom};
use crate::store::instance::StoreShared;
use crate::store::loads::{self, Pending};
use crate::store::named::{self, Named};

/// The primitive atoms of one store instance, as JSON values by snapshot key, and the atoms it left out.
/// Made by [`Store::snapshot`](crate::Store::snapshot); applied with
/// [`Store::hydrate`](crate::Store::hydrate). Round-trips through JSON.
///
/// **Keys.** A declared atom's key is its `#[name = "…"]` when it has one (so that moving it to another
/// module keeps old snapshots valid), else its path `module::IDENT`. A member of a declared
/// [`Family`](crate::Family) is `FAMILY[key]`, `FAMILY` being the family's key by the same rule and `key`
/// the member's key written by serde as JSON: `app::TODO[3]`, `app::TODO["abc"]`, `todo[[1,"a"]]`. A
/// run-time atom made with [`Atom::named_serde`](crate::Atom::named_serde) is keyed by its name.
/// [`hydrate`](crate::Store::hydrate) also accepts the old keys an atom lists with `#[alias = "…"]`.
///
/// **What is left out, and said so.** Derived atoms (they follow from the primitive ones) and run-time
/// atoms without a name (`Atom::new`: no key another process could match) are never carried. Every other
/// atom the instance holds is either in [`values`](Snapshot::values) or in
/// [`omitted`](Snapshot::omitted) with the reason: its type lacks `Serialize`, serialising the value
/// failed, it is a member of a family whose key type lacks `Serialize`, or another atom the store holds
/// has the same key (two `#[name]`s alike in different modules). Nothing vanishes silently; a
/// [`DevTools`](crate::DevTools) attached to the store also warns, once per atom.
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

    /// Path → value.
    pub fn values(&self) -> &BTreeMap<String, serde_json::Value> {
        &self.values
    }

    /// The value recorded for the atom at `path`.
    pub fn get(&self, path: &str) -> Option<&serde_json::Value> {
        self.values.get(path)
    }

    /// Adds or replaces the value for `path` (e.g. to build a snapshot by hand).
    pub fn insert(&mut self, path: impl Into<String>, value: serde_json::Value) {
        self.values.insert(path.into(), value);
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

/// Why a [`Snapshot`] left an atom out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OmitReason {
    /// The value type does not implement `Serialize` (detected where the atom was declared; derive it to
    /// carry the atom).
    NotSerialize,
    /// The type implements `Serialize` but this value could not be written (e.g. a map whose keys are
    /// not strings): what serde said.
    SerializeFailed(String),
    /// Another atom this store holds has the same key (two `#[name]`s alike in different modules, or two
    /// live `Atom::named_serde` atoms of one name): neither is carried. Give each a name of its own.
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
    /// `module::NAME[key]` with the key through `Debug`).
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

/// One reason a snapshot could not be hydrated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HydrateProblem {
    /// The snapshot was taken from another store type.
    WrongStore {
        /// The store type being hydrated.
        expected: String,
        /// The store type the snapshot names.
        found: String,
    },
    /// No atom usable with this store type has this path.
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
        /// The atom's path.
        path: String,
        /// Its value type.
        type_name: &'static str,
    },
    /// The value does not decode as the atom's type.
    Decode {
        /// The atom's path.
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
                    "several atoms are named `{path}` (live run-time atoms, or aliases): name each one once"
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
    /// Every problem, in path order.
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
    Member(Box<dyn FnOnce() -> Box<dyn HeldAtom> + Send>),
}

/// Where hydration looks a key up: declared atoms by key and by alias, declared families by key and
/// by alias.
struct Keys {
    declared: HashMap<Arc<str>, Vec<Entry>>,
    aliases: HashMap<&'static str, Vec<Entry>>,
    families: HashMap<String, Vec<&'static dyn FamilyEntry>>,
}

impl Keys {
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
        let mut families: HashMap<String, Vec<&'static dyn FamilyEntry>> = HashMap::new();
        for family in catalog::families_usable_in::<S>() {
            let (key, old) = family.keys();
            families.entry(key).or_default().push(family);
            for alias in old {
                families.entry((*alias).to_owned()).or_default().push(family);
            }
        }
        Keys { declared, aliases, families }
    }

    /// The atom `path` names: a declared atom's key, a named run-time atom, a declared async atom, a
    /// declared atom's alias, or a member of a declared family (in that order: a key wins over an alias).
    fn find<'p, S: Owner>(&self, path: &'p str) -> Result<Lookup<'p>, HydrateProblem> {
        match self.declared.get(path).map(Vec::as_slice) {
            Some([entry]) => return Ok(Lookup::Atom(Target::Declared(*entry))),
            Some([_, _, ..]) => return Err(HydrateProblem::Ambiguous(path.to_owned())),
            _ => {}
        }
        let owners = [TypeId::of::<S>(), TypeId::of::<Global>()];
        let mut found: Vec<Target> = named::find(owners[0], path)
            .into_iter()
            .chain(named::find(owners[1], path))
            .map(Target::Named)
            .chain(loads::declared_at(path, &owners).into_iter().map(Target::Async))
            .collect();
        match (found.len(), self.aliases.get(path).map(Vec::as_slice)) {
            (1, _) => return Ok(Lookup::Atom(found.pop().expect("one found"))),
            (0, Some([entry])) => return Ok(Lookup::Atom(Target::Declared(*entry))),
            (0, None) => {}
            _ => return Err(HydrateProblem::Ambiguous(path.to_owned())),
        }
        match self.family(path) {
            Ok(Some((family, key))) => Ok(Lookup::Member(family, key)),
            Ok(None) => Err(HydrateProblem::UnknownAtom(path.to_owned())),
            Err(()) => Err(HydrateProblem::Ambiguous(path.to_owned())),
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
        let st = self.read();
        // Key → every atom carried under it, with its type: two with one key are both left out below.
        let mut carried: BTreeMap<String, Vec<(&'static str, serde_json::Value)>> = BTreeMap::new();
        let mut omitted = Vec::new();
        for node in st.nodes.iter().filter(|n| n.is_live()) {
            if node.proxy || node.is_derived() {
                continue;
            }
            let (Some(def), Some(value)) = (node.def.guard(), node.value.get()) else { continue };
            if outcomes.contains(&def_addr(&*def)) {
                continue;
            }
            let core = def.core();
            let leave_out =
                |key: String, reason| Omitted { key, type_name: def.type_name().to_owned(), reason };
            let key = match core.snapshot_key() {
                Ok(Some(key)) => key,
                Ok(None) => continue,
                Err(key_type) => {
                    let reason = OmitReason::KeyNotSerialize { key_type: key_type.to_owned() };
                    omitted.push(leave_out(core.path().to_string(), reason));
                    continue;
                }
            };
            let reason = match def.encode_json(value) {
                Some(Ok(json)) => {
                    carried.entry(key.to_string()).or_default().push((def.type_name(), json));
                    continue;
                }
                Some(Err(message)) => OmitReason::SerializeFailed(message),
                None if core.is_given_name() => OmitReason::NamedWithoutSerde,
                None => OmitReason::NotSerialize,
            };
            omitted.push(leave_out(key.to_string(), reason));
        }
        let plugins = st.tools.as_ref().map(|t| t.plugins.clone()).filter(|p| !p.is_empty());
        drop(st);
        // Async atoms: the values loaded here (a hydrated client then has them without loading again).
        // Only the atoms this store type can hold: atom ids are unique within one owner's atoms. One
        // still loading (or failed) is not carried: the client loads it.
        let owners = [TypeId::of::<S>(), TypeId::of::<Global>()];
        for atom in live {
            let Some((path, owner)) = atom.declared() else { continue };
            if owners.contains(&owner) {
                if let Some(json) = atom.encode(self) {
                    let type_name = atom.outcome().handle.def().type_name();
                    carried.entry(path.to_string()).or_default().push((type_name, json));
                } else if let Some(type_name) = atom.unserializable(self) {
                    let reason = OmitReason::NotSerialize;
                    omitted.push(Omitted { key: path.to_string(), type_name: type_name.to_owned(), reason });
                }
            }
        }
        let mut values = BTreeMap::new();
        for (key, mut atoms) in carried {
            if atoms.len() == 1 {
                values.insert(key, atoms.pop().expect("one atom").1);
                continue;
            }
            // Carrying one would give the other's value to it on hydration: carry neither, say so.
            for (type_name, _) in atoms {
                let reason = OmitReason::SameKey;
                omitted.push(Omitted { key: key.clone(), type_name: type_name.to_owned(), reason });
            }
        }
        omitted.sort_by(|a, b| a.key.cmp(&b.key));
        if let Some(plugins) = plugins {
            // DevTools warn (once per atom, they decide): the program may not know what it loses.
            let warnings = omitted.iter().map(|o| Event::Warning(Warning::new(o.key.clone(), o.to_string())));
            crate::graph::observe::deliver(&plugins, warnings.collect());
        }
        Snapshot::new(self.name, values, omitted)
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
                Found::Member(make) => (Target::Member(make()), value),
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
                        round.global_changes.push(r.id);
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
        let keys = Keys::of::<S>();
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
