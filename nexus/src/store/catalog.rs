//! The catalogue of every atom declared with `atom!` in the program, gathered at link time (with
//! `inventory`), so that a store type knows all of its atoms, touched or not: hydration sets atoms a
//! fresh store has never used.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::core::owner::{Global, Owner};
use crate::core::space::SlotSpace;
#[cfg(feature = "serde")]
use crate::graph::access::{AtomRef, HandleDyn};
use crate::graph::def::ErasedDef;
#[cfg(feature = "serde")]
use crate::graph::def::NodeDef;

/// One declared atom, as generated code submits it.
#[doc(hidden)]
pub struct Declared {
    def: &'static dyn ErasedDef,
}

impl Declared {
    /// The entry of a declared atom (its definition knows its owner).
    pub const fn new(def: &'static dyn ErasedDef) -> Self {
        Declared { def }
    }
}

inventory::collect!(Declared);

/// A declared atom found in the catalogue: enough to register it in a store.
#[derive(Clone, Copy)]
pub(crate) struct Entry {
    pub(crate) def: &'static dyn ErasedDef,
    // Registering an untouched atom (hydration) needs its slot space.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) space: &'static SlotSpace,
}

#[cfg(feature = "serde")]
impl HandleDyn for Entry {
    fn def(&self) -> &dyn ErasedDef {
        self.def
    }

    fn node_def(&self) -> NodeDef {
        NodeDef::Static(self.def)
    }

    fn keepalive(&self) -> Option<crate::graph::access::KeepAlive> {
        None
    }
}

#[cfg(feature = "serde")]
impl Entry {
    pub(crate) fn atom_ref(&self) -> AtomRef<'_> {
        let core = self.def.core();
        AtomRef { id: core.id(self.space), handle: self }
    }
}

/// Every declared atom by owner, built once on first use.
fn by_owner() -> &'static HashMap<TypeId, Vec<Entry>> {
    static MAP: OnceLock<HashMap<TypeId, Vec<Entry>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: HashMap<TypeId, Vec<Entry>> = HashMap::new();
        for d in inventory::iter::<Declared> {
            let owner = d.def.core().owner();
            map.entry((owner.type_id)()).or_default().push(Entry { def: d.def, space: (owner.space)() });
        }
        map
    })
}

/// The declared atoms a store of type `S` can hold: its own and the `Global` ones.
pub(crate) fn usable_in<S: Owner>() -> impl Iterator<Item = Entry> {
    let map = by_owner();
    let own = map.get(&TypeId::of::<S>()).into_iter().flatten();
    let global = map.get(&TypeId::of::<Global>()).into_iter().flatten();
    own.chain(global).copied()
}
