//! Run-time atoms given a name by the program (`Atom::named`), by owner and name: `hydrate` finds them
//! here, as it finds declared atoms in the catalogue. Held weakly: the registry keeps no atom alive.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};

use crate::graph::access::{AtomRef, HandleDyn, KeepAlive};
use crate::graph::def::{ErasedDef, NodeDef};

type Registry = HashMap<(TypeId, Arc<str>), Vec<Weak<dyn ErasedDef>>>;

static NAMED: Mutex<Option<Registry>> = Mutex::new(None);

/// Records a run-time atom just given a name.
pub(crate) fn add(def: &Arc<dyn ErasedDef>) {
    let core = def.core();
    let key = ((core.owner().type_id)(), core.name_arc());
    let mut named = NAMED.lock().unwrap_or_else(PoisonError::into_inner);
    let named = named.get_or_insert_with(HashMap::new);
    // Dead atoms leave entries behind: drop them whenever the registry doubles.
    if named.len() >= 64 && named.len().is_power_of_two() {
        named.retain(|_, atoms| {
            atoms.retain(|w| w.strong_count() > 0);
            !atoms.is_empty()
        });
    }
    let atoms = named.entry(key).or_default();
    atoms.retain(|w| w.strong_count() > 0);
    atoms.push(Arc::downgrade(def));
}

/// The live run-time atoms owned by `owner` and named `name`.
pub(crate) fn find(owner: TypeId, name: &str) -> Vec<Named> {
    let named = NAMED.lock().unwrap_or_else(PoisonError::into_inner);
    let Some(named) = named.as_ref() else { return Vec::new() };
    named
        .get(&(owner, Arc::from(name)))
        .map(|atoms| {
            atoms
                .iter()
                .filter_map(Weak::upgrade)
                // Stores hold definitions too: only an atom still alive is found (and held meanwhile).
                .filter(|def| def.core().revive())
                .map(|def| Named { held: KeepAlive::adopt(def) })
                .collect()
        })
        .unwrap_or_default()
}

/// A named run-time atom found by [`find`], held for the length of a hydration.
pub(crate) struct Named {
    held: KeepAlive,
}

impl Named {
    pub(crate) fn atom_ref(&self) -> AtomRef<'_> {
        AtomRef { id: self.held.def().core().runtime_id(), handle: self }
    }
}

impl HandleDyn for Named {
    fn def(&self) -> &dyn ErasedDef {
        &**self.held.def()
    }

    fn node_def(&self) -> NodeDef {
        NodeDef::Runtime(self.held.def().clone())
    }

    fn keepalive(&self) -> Option<KeepAlive> {
        Some(KeepAlive::hold(self.held.def().clone()))
    }
}
