//! Snapshots and hydration (feature `serde`): carry a store's state to another instance, e.g. from the
//! server's per-request store to the client's.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

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
