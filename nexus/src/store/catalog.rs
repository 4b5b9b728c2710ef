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

/// A declared family (of primitive atoms, `family(..)`, or async, `family_async(..)`) as hydration sees
/// it (feature `serde`): its members are carried in snapshots as `KEY[key as JSON]`, and hydration
/// makes them, also in a process that never used the family.
#[cfg(feature = "serde")]
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a family",
    label = "a family's key must be `Clone + Eq + Hash + Debug + Send + Sync` and its value `Clone + Send + Sync`"
)]
pub trait FamilyEntry: Sync {
    /// The owner's type.
    fn owner(&self) -> TypeId;
    /// The family's snapshot key (`#[name]`, else `module::NAME`) and the old ones (`#[alias]`).
    fn keys(&self) -> (String, &'static [&'static str]);
    /// Decodes a member's key from its JSON text and its value from `json`, or says why not.
    fn decode(&'static self, key: &str, json: serde_json::Value) -> Result<DecodedMember, String>;
}

/// A member's key and value decoded by [`FamilyEntry::decode`]: `make` makes (or finds) the member.
#[cfg(feature = "serde")]
pub struct DecodedMember {
    /// The key as serde writes it again (two spellings of one key are one member).
    pub(crate) canonical: String,
    pub(crate) value: crate::core::value_slot::Value,
    pub(crate) make: Box<dyn FnOnce() -> MadeMember + Send>,
}

/// A member made (or found) by hydration, held for its length.
#[cfg(feature = "serde")]
pub(crate) enum MadeMember {
    /// A family of primitive atoms' member: its value is set.
    Atom(Box<dyn HeldAtom>),
    /// An async family's member: the value set is its outcome, which its load then adopts.
    Async(std::sync::Arc<dyn crate::store::loads::Pending>),
}

/// An atom handle held for the length of a hydration.
#[cfg(feature = "serde")]
pub(crate) trait HeldAtom: Send + Sync {
    fn atom_ref(&self) -> AtomRef<'_>;
}

#[cfg(feature = "serde")]
impl<A: crate::graph::access::Readable + Send + Sync> HeldAtom for A {
    fn atom_ref(&self) -> AtomRef<'_> {
        self.__atom()
    }
}

/// A declared family, as generated code submits it (feature `serde`).
#[cfg(feature = "serde")]
#[doc(hidden)]
pub struct DeclaredFamily(&'static dyn FamilyEntry);

#[cfg(feature = "serde")]
impl DeclaredFamily {
    /// The entry of a declared family.
    pub const fn new(family: &'static dyn FamilyEntry) -> Self {
        DeclaredFamily(family)
    }
}

#[cfg(feature = "serde")]
inventory::collect!(DeclaredFamily);

/// The declared families a store of type `S` can hold: its own and the `Global` ones.
#[cfg(feature = "serde")]
pub(crate) fn families_usable_in<S: Owner>() -> impl Iterator<Item = &'static dyn FamilyEntry> {
    let owners = [TypeId::of::<S>(), TypeId::of::<Global>()];
    inventory::iter::<DeclaredFamily>.into_iter().map(|d| d.0).filter(move |f| owners.contains(&f.owner()))
}
