//! Snapshots and hydration (feature `serde`): carry a store's state to another instance, e.g. from the
//! server's per-request store to the client's. A store operation (`store.snapshot()`,
//! `store.hydrate(&snapshot)`), built on the catalogue of declared atoms.

use std::collections::BTreeMap;
use std::fmt;

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::core::info::AtomKind;
use crate::core::owner::{Global, Owner};
use crate::core::value_slot::Value;
use crate::graph::access::AtomRef;
use crate::graph::observe::ChangeOp;
use crate::store::catalog::{self, Entry};
use crate::store::instance::StoreShared;
use crate::store::loads::{self, Pending};
use crate::store::named::{self, Named};

/// The serialisable primitive atoms of one store instance, keyed by atom path (`module::NAME`), as JSON
/// values. Made by [`Store::snapshot`](crate::Store::snapshot); applied with
/// [`Store::hydrate`](crate::Store::hydrate). Round-trips through JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    store: String,
    values: BTreeMap<String, serde_json::Value>,
}

impl Snapshot {
    pub(crate) fn new(store: &str, values: BTreeMap<String, serde_json::Value>) -> Self {
        Snapshot { store: store.to_owned(), values }
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
    /// Several live run-time atoms of this store type have this name (`Atom::named_serde`).
    Ambiguous(String),
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
                write!(f, "several live run-time atoms are named `{path}`: name each one once")
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
}

impl Target {
    /// The primitive atom the value goes into (an async atom's outcome).
    fn atom_ref(&self) -> AtomRef<'_> {
        match self {
            Target::Declared(entry) => entry.atom_ref(),
            Target::Named(named) => named.atom_ref(),
            Target::Async(atom) => atom.outcome(),
        }
    }
}

impl StoreShared {
    /// The serialisable primitive atoms this instance holds whose path is stable (declared ones, and
    /// run-time ones given a name), keyed by path.
    pub(crate) fn snapshot<S: Owner>(&self) -> Snapshot {
        let st = self.read();
        let mut values = BTreeMap::new();
        for node in st.nodes.iter().filter(|n| n.is_live()) {
            if node.proxy || node.is_derived() {
                continue;
            }
            let (Some(def), Some(value)) = (node.def.guard(), node.value.get()) else { continue };
            if !def.core().has_stable_path() {
                continue;
            }
            if let Some(Ok(json)) = def.encode_json(value) {
                values.insert(def.core().path().to_string(), json);
            }
        }
        drop(st);
        // Async atoms: the values loaded here (a hydrated client then has them without loading again).
        // Only the atoms this store type can hold: atom ids are unique within one owner's atoms.
        let owners = [TypeId::of::<S>(), TypeId::of::<Global>()];
        for atom in loads::live() {
            let Some((path, owner)) = atom.declared() else { continue };
            if owners.contains(&owner) {
                if let Some(json) = atom.encode(self) {
                    values.insert(path.to_string(), json);
                }
            }
        }
        Snapshot::new(self.name, values)
    }

    /// Validates every value of `snapshot` against the atoms the store type `S` can hold, then sets them
    /// all as one change round, or changes nothing and names every problem.
    pub(crate) fn hydrate<S: Owner>(&self, snapshot: &Snapshot) -> Result<(), HydrateError> {
        let decoded = self.validate::<S>(snapshot)?;
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
    fn validate<S: Owner>(&self, snapshot: &Snapshot) -> Result<Vec<(Target, Value)>, HydrateError> {
        let mut problems = Vec::new();
        if snapshot.store() != self.name {
            problems.push(HydrateProblem::WrongStore {
                expected: self.name.to_owned(),
                found: snapshot.store().to_owned(),
            });
        }
        let catalog: HashMap<Arc<str>, Entry> =
            catalog::usable_in::<S>().map(|e| (e.def.core().path(), e)).collect();
        let mut decoded = Vec::new();
        for (path, json) in snapshot.values() {
            let target = if let Some(entry) = catalog.get(path.as_str()) {
                Target::Declared(*entry)
            } else {
                let owners = [TypeId::of::<S>(), TypeId::of::<Global>()];
                let mut found: Vec<Target> = named::find(owners[0], path)
                    .into_iter()
                    .chain(named::find(owners[1], path))
                    .map(Target::Named)
                    .chain(loads::declared_at(path, &owners).into_iter().map(Target::Async))
                    .collect();
                match found.len() {
                    0 => {
                        problems.push(HydrateProblem::UnknownAtom(path.clone()));
                        continue;
                    }
                    1 => found.pop().expect("one found"),
                    _ => {
                        problems.push(HydrateProblem::Ambiguous(path.clone()));
                        continue;
                    }
                }
            };
            let def = target.atom_ref().handle.def();
            if def.core().kind() != AtomKind::Primitive {
                problems.push(HydrateProblem::NotPrimitive(path.clone()));
                continue;
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
                Some(Ok(value)) => decoded.push((target, value)),
            }
        }
        if problems.is_empty() {
            Ok(decoded)
        } else {
            Err(HydrateError { problems })
        }
    }
}
