//! Atom families: one atom per key, made on first use, with eviction that frees memory.
//!
//! A family hands out a run-time atom per key ([`Family::at`]) and keeps it cached until it is removed,
//! dropped by [`retain`](Family::retain), or evicted by the least-recently-used capacity. When the family
//! lets go of an atom and nobody else holds it, every store frees its value (the run-time atom rule).
//! While some handle of an evicted key's atom is still held elsewhere, `at` returns that same atom.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};

use crate::atoms::async_computed::AsyncComputed;
use crate::atoms::async_handle::WeakAsync;
use crate::atoms::def::{Body, Def, Init, ReadFn};
use crate::atoms::handle::{Atom, Computed, RuntimeHandle};
use crate::core::info::Names;
use crate::core::loadable::Loadable;
use crate::core::owner::Owner;
use crate::core::owner::UsableIn;
use crate::core::value_ops::ValueOps;
use crate::graph::reader::Reader;
use crate::store::loads::LoadFuture;

/// What a family key must be.
pub trait FamilyKey: Clone + Eq + Hash + fmt::Debug + Send + Sync + 'static {}
impl<K: Clone + Eq + Hash + fmt::Debug + Send + Sync + 'static> FamilyKey for K {}

/// The cache shared by both kinds of family.
struct Cache<K, H, W> {
    live: HashMap<K, (H, u64)>,
    /// Least recently used first.
    lru: BTreeMap<u64, K>,
    tick: u64,
    /// Atoms the family let go of but that may still be held elsewhere: `at` must return the same atom.
    released: HashMap<K, W>,
}

/// The weak form of a family's atom handles.
type WeakDef<T, S> = Option<std::sync::Weak<Def<T, S, T>>>;

/// A family's lazily made cache of handles `H`, held weakly as `W` once let go of.
type CacheCell<K, H, W> = Mutex<Option<Cache<K, H, W>>>;

impl<K: FamilyKey, W, H: RuntimeHandle<Weak = W>> Cache<K, H, W> {
    fn new() -> Self {
        Cache { live: HashMap::new(), lru: BTreeMap::new(), tick: 0, released: HashMap::new() }
    }

    /// The handle for `key`, making it with `make` if needed. Also returns what fell out of the cache, to be
    /// dropped by the caller once the family's lock is released.
    fn at(&mut self, key: K, capacity: Option<usize>, make: impl FnOnce(&K) -> H) -> (H, Vec<H>) {
        self.tick += 1;
        let tick = self.tick;
        if let Some((handle, used)) = self.live.get_mut(&key) {
            self.lru.remove(used);
            *used = tick;
            let handle = handle.clone();
            self.lru.insert(tick, key);
            return (handle, Vec::new());
        }
        let handle = self.released.remove(&key).and_then(|w| H::upgrade(&w)).unwrap_or_else(|| make(&key));
        self.lru.insert(tick, key.clone());
        self.live.insert(key, (handle.clone(), tick));
        let mut evicted = Vec::new();
        if let Some(cap) = capacity {
            while self.live.len() > cap {
                let Some((_, oldest)) = self.lru.pop_first() else { break };
                if let Some((h, _)) = self.live.remove(&oldest) {
                    self.release(oldest, &h);
                    evicted.push(h);
                }
            }
        }
        (handle, evicted)
    }

    fn release(&mut self, key: K, handle: &H) {
        // Forget entries of atoms that died, whenever the map has doubled since the last sweep.
        if self.released.len() >= 64 && self.released.len().is_power_of_two() {
            self.released.retain(|_, w| H::is_alive(w));
        }
        self.released.insert(key, handle.downgrade());
    }

    fn remove(&mut self, key: &K) -> Option<H> {
        let (h, used) = self.live.remove(key)?;
        self.lru.remove(&used);
        self.release(key.clone(), &h);
        Some(h)
    }

    fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) -> Vec<H> {
        let gone: Vec<K> = self.live.keys().filter(|k| !keep(k)).cloned().collect();
        gone.iter().filter_map(|k| self.remove(k)).collect()
    }
}

macro_rules! family_common {
    ($ty:ident, $handle:ident, $weak:ident) => {
        impl<K: FamilyKey, T: Clone + Send + Sync + 'static, S: Owner> $ty<K, T, S> {
            fn cache<R>(&self, f: impl FnOnce(&mut Cache<K, $handle<T, S>, $weak<T, S>>) -> R) -> R {
                let mut guard = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
                f(guard.get_or_insert_with(Cache::new))
            }

            /// Lets go of `key`'s atom: if nothing else holds it, every store frees its value, and asking for
            /// the key again starts from its initial value. Whether the key was cached.
            pub fn remove(&self, key: &K) -> bool {
                let removed = self.cache(|c| c.remove(key));
                removed.is_some()
            }

            /// Keeps only the keys for which `keep` returns `true` (see [`remove`](Self::remove)).
            pub fn retain(&self, keep: impl FnMut(&K) -> bool) {
                let gone = self.cache(|c| c.retain(keep));
                drop(gone);
            }

            /// How many keys are cached.
            pub fn len(&self) -> usize {
                self.cache(|c| c.live.len())
            }

            /// Whether no key is cached.
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// Whether `key` is cached.
            pub fn contains(&self, key: &K) -> bool {
                self.cache(|c| c.live.contains_key(key))
            }

            /// The least-recently-used capacity, if any.
            pub fn capacity(&self) -> Option<usize> {
                self.capacity
            }

            /// The family's registry name; each key's atom is named `NAME[key]`.
            pub fn name(&self) -> &str {
                self.name
            }

            fn key_name(&self, key: &K) -> String {
                format!("{}[{key:?}]", self.name)
            }
        }

        impl<K, T, S> fmt::Debug for $ty<K, T, S> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty))
                    .field("name", &self.name)
                    .field("capacity", &self.capacity)
                    .finish_non_exhaustive()
            }
        }
    };
}

/// A family of primitive atoms: `at(key)` gives the [`Atom`] for `key`, whose initial value is
/// `init(&key)`. Declared in [`atom!`](crate::atom!) with `family(|id: &K| …)`.
///
/// ```
/// nexus::store! { pub struct Board; }
/// nexus::atom! {
///     #![store(Board)]
///     #[capacity = 1_000]
///     pub static CELL: u32 = family(|id: &u64| *id as u32 * 10);
/// }
/// let board = Board::new();
/// assert_eq!(board.get(&CELL.at(4)), 40);
/// board.set(&CELL.at(4), 1);
/// assert_eq!(board.get(&CELL.at(4)), 1);
/// CELL.remove(&4);
/// assert_eq!(board.get(&CELL.at(4)), 40);
/// ```
pub struct Family<K: 'static, T: 'static, S: 'static> {
    name: &'static str,
    /// Whether `#[name]` gave the name, and the aliases: the members' snapshot keys.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    names: Names,
    module: &'static str,
    /// What the declaration site detected of the key type (serde writes members' snapshot keys).
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    key_ops: fn() -> ValueOps<K>,
    init: fn(&K) -> T,
    ops: fn() -> ValueOps<T>,
    capacity: Option<usize>,
    cache: CacheCell<K, Atom<T, S>, WeakDef<T, S>>,
}

/// A family of computed atoms: `at(key)` gives the [`Computed`] whose read function gets `key`.
/// Declared in [`atom!`](crate::atom!) with `family_computed(|id: &K, s| …)`.
pub struct ComputedFamily<K: 'static, T: 'static, S: 'static> {
    name: &'static str,
    module: &'static str,
    read: fn(&K, &mut Reader<'_, S>) -> T,
    ops: fn() -> ValueOps<T>,
    capacity: Option<usize>,
    cache: CacheCell<K, Computed<T, S>, WeakDef<T, S>>,
}

/// What the declaration site detected of the value type `T` and of the key type `K`.
type FamilyOps<T, K> = (fn() -> ValueOps<T>, fn() -> ValueOps<K>);

/// What the declaration site detected of `T`, of `Loadable<T>` and of the key type `K`.
type AsyncOps<T, K> = (fn() -> ValueOps<T>, fn() -> ValueOps<Loadable<T>>, fn() -> ValueOps<K>);

/// A family of async atoms: `at(key)` gives the [`AsyncComputed`] whose function gets `key`. Declared
/// in [`atom!`](crate::atom!) with `family_async(|id: &K, s| { …; async move { … } })`.
///
/// In snapshots (feature `serde`) a loaded member is carried as a [`Family`]'s members are,
/// `FAMILY[key as JSON]` (`FAMILY`: the `#[name]`, else `module::NAME`; old keys with `#[alias]`), and
/// hydration makes it, `Ready` with that value and no load, also in a process that never used the
/// family. A member whose key type is not `Serialize` is listed in
/// [`Snapshot::omitted`](crate::Snapshot::omitted) instead.
pub struct AsyncFamily<K: 'static, T: 'static, S: 'static> {
    name: &'static str,
    /// Whether `#[name]` gave the name, and the aliases: the members' snapshot keys.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    names: Names,
    module: &'static str,
    /// What the declaration site detected of the key type (serde writes members' snapshot keys).
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    key_ops: fn() -> ValueOps<K>,
    load: fn(&K, &mut Reader<'_, S>) -> LoadFuture<T>,
    ops: fn() -> ValueOps<T>,
    loadable_ops: fn() -> ValueOps<Loadable<T>>,
    capacity: Option<usize>,
    cache: CacheCell<K, AsyncComputed<T, S>, WeakAsync<T, S>>,
}

family_common!(Family, Atom, WeakDef);
family_common!(ComputedFamily, Computed, WeakDef);
family_common!(AsyncFamily, AsyncComputed, WeakAsync);

impl<K, T, S> Family<K, T, S> {
    #[doc(hidden)]
    pub const fn __declare(
        names: Names,
        module: &'static str,
        init: fn(&K) -> T,
        ops: FamilyOps<T, K>,
        capacity: Option<usize>,
    ) -> Self {
        Family {
            name: names.name,
            names,
            module,
            key_ops: ops.1,
            init,
            ops: ops.0,
            capacity,
            cache: Mutex::new(None),
        }
    }
}

impl<K, T, S> ComputedFamily<K, T, S> {
    #[doc(hidden)]
    pub const fn __declare(
        name: &'static str,
        module: &'static str,
        read: fn(&K, &mut Reader<'_, S>) -> T,
        ops: fn() -> ValueOps<T>,
        capacity: Option<usize>,
    ) -> Self {
        ComputedFamily { name, module, read, ops, capacity, cache: Mutex::new(None) }
    }
}

impl<K, T, S> AsyncFamily<K, T, S> {
    #[doc(hidden)]
    pub const fn __declare(
        names: Names,
        module: &'static str,
        load: fn(&K, &mut Reader<'_, S>) -> LoadFuture<T>,
        ops: AsyncOps<T, K>,
        capacity: Option<usize>,
    ) -> Self {
        AsyncFamily {
            name: names.name,
            names,
            module,
            key_ops: ops.2,
            load,
            ops: ops.0,
            loadable_ops: ops.1,
            capacity,
            cache: Mutex::new(None),
        }
    }
}

impl<K: FamilyKey, T: Clone + Send + Sync + 'static, S: Owner + UsableIn<S>> AsyncFamily<K, T, S> {
    /// The async atom for `key`: the same atom for equal keys while it is cached or held.
    pub fn at(&self, key: K) -> AsyncComputed<T, S> {
        let (atom, evicted) = self.cache(|c| {
            c.at(key, self.capacity, |key| {
                let load = self.load;
                let k = key.clone();
                let atom = AsyncComputed::from_parts(
                    Box::new(move |s: &mut Reader<'_, S>| load(&k, s)),
                    (self.ops)(),
                    (self.loadable_ops)(),
                    &self.key_name(key),
                    self.module,
                );
                #[cfg(feature = "serde")]
                atom.inner()
                    .make_member(member_key(self.names, self.module, self.key_ops, key), address(self));
                atom
            })
        });
        drop(evicted);
        atom
    }
}

impl<K: FamilyKey, T: Clone + Send + Sync + 'static, S: Owner> Family<K, T, S> {
    /// The atom for `key`: the same atom for equal keys while it is cached or held.
    pub fn at(&self, key: K) -> Atom<T, S> {
        let (atom, evicted) = self.cache(|c| {
            c.at(key, self.capacity, |key| {
                let init = self.init;
                let k = key.clone();
                #[allow(unused_mut)] // changed with the `serde` feature only
                let mut def = Def::runtime(
                    Some(self.key_name(key)),
                    false,
                    self.module,
                    (self.ops)(),
                    Body::Primitive(Init::Boxed(Box::new(move || init(&k)))),
                );
                #[cfg(feature = "serde")]
                def.core.make_member(member_key(self.names, self.module, self.key_ops, key), address(self));
                Atom::from_def(def)
            })
        });
        drop(evicted);
        atom
    }
}

impl<K: FamilyKey, T: Clone + Send + Sync + 'static, S: Owner> ComputedFamily<K, T, S> {
    /// The computed atom for `key`: the same atom for equal keys while it is cached or held.
    pub fn at(&self, key: K) -> Computed<T, S> {
        let (atom, evicted) = self.cache(|c| {
            c.at(key, self.capacity, |key| {
                let read = self.read;
                let k = key.clone();
                Computed::from_def(Def::runtime(
                    Some(self.key_name(key)),
                    false,
                    self.module,
                    (self.ops)(),
                    Body::Computed(ReadFn::Boxed(Box::new(move |s: &mut Reader<'_, S>| read(&k, s)))),
                ))
            })
        });
        drop(evicted);
        atom
    }
}

/// The snapshot key of `key`'s member (feature `serde`), or the key type's name when serde cannot write
/// it: `KEY[key]`, the key written by serde as JSON (`app::TODO[3]`, `app::TODO["abc"]`), where `KEY` is
/// the family's `#[name]` or else `module::NAME`. One rule for families of primitive atoms and async
/// families.
#[cfg(feature = "serde")]
fn member_key<K>(
    names: Names,
    module: &str,
    key_ops: fn() -> ValueOps<K>,
    key: &K,
) -> Result<String, &'static str> {
    let json = key_ops().to_json.and_then(|to_json| to_json(key).ok());
    match json {
        Some(json) => Ok(format!("{}[{json}]", names.key(module))),
        None => Err(std::any::type_name::<K>()),
    }
}

/// A family's address, which its members record: the catalogue holds the same `static`, so a snapshot
/// can tell whether hydration would reach a member through its own family.
#[cfg(feature = "serde")]
fn address<F>(family: &F) -> usize {
    std::ptr::from_ref(family).cast::<()>().addr()
}

/// A member's key decoded from its JSON text (as a snapshot holds it), with the text serde writes for it
/// again (two spellings of one key are one member).
#[cfg(feature = "serde")]
fn decode_key<K>(key_ops: fn() -> ValueOps<K>, key: &str) -> Result<(K, String), String> {
    let key_type = std::any::type_name::<K>();
    let ops = key_ops();
    let (Some(from_json), Some(to_json)) = (ops.from_json, ops.to_json) else {
        return Err(format!(
            "the family's key type `{key_type}` does not implement `Serialize` and `Deserialize`"
        ));
    };
    let key_json: serde_json::Value =
        serde_json::from_str(key).map_err(|e| format!("key `{key}` is not JSON: {e}"))?;
    let k = from_json(key_json).map_err(|e| format!("key `{key}`: {e}"))?;
    let canonical = to_json(&k).map_err(|e| format!("key `{key}`: {e}"))?.to_string();
    Ok((k, canonical))
}

/// A member's value decoded from JSON, or why not.
#[cfg(feature = "serde")]
fn decode_value<T: 'static>(ops: fn() -> ValueOps<T>, json: serde_json::Value) -> Result<T, String> {
    let Some(from_json) = ops().from_json else {
        return Err(format!(
            "the family's value type `{}` does not implement `Deserialize`",
            std::any::type_name::<T>()
        ));
    };
    from_json(json)
}

#[cfg(feature = "serde")]
impl<K: FamilyKey, T: Clone + Send + Sync + 'static, S: Owner> crate::store::catalog::FamilyEntry
    for Family<K, T, S>
{
    fn owner(&self) -> std::any::TypeId {
        std::any::TypeId::of::<S>()
    }

    fn keys(&self) -> (String, &'static [&'static str]) {
        (self.names.key(self.module), self.names.aliases)
    }

    fn decode(
        &'static self,
        key: &str,
        json: serde_json::Value,
    ) -> Result<crate::store::catalog::DecodedMember, String> {
        let (k, canonical) = decode_key(self.key_ops, key)?;
        let value: crate::core::value_slot::Value = std::sync::Arc::new(decode_value(self.ops, json)?);
        Ok(crate::store::catalog::DecodedMember {
            canonical,
            value,
            make: Box::new(move || crate::store::catalog::MadeMember::Atom(Box::new(self.at(k)))),
        })
    }
}

/// An async family in snapshots: a loaded member is carried as a family member is (`KEY[key as JSON]`),
/// and hydration makes it with that value, which its load then adopts (nothing is fetched).
#[cfg(feature = "serde")]
impl<K: FamilyKey, T: Clone + Send + Sync + 'static, S: Owner + UsableIn<S>>
    crate::store::catalog::FamilyEntry for AsyncFamily<K, T, S>
{
    fn owner(&self) -> std::any::TypeId {
        std::any::TypeId::of::<S>()
    }

    fn keys(&self) -> (String, &'static [&'static str]) {
        (self.names.key(self.module), self.names.aliases)
    }

    fn decode(
        &'static self,
        key: &str,
        json: serde_json::Value,
    ) -> Result<crate::store::catalog::DecodedMember, String> {
        let (k, canonical) = decode_key(self.key_ops, key)?;
        let value =
            crate::atoms::async_computed::hydrated_outcome(decode_value(self.ops, json)?, (self.ops)());
        Ok(crate::store::catalog::DecodedMember {
            canonical,
            value,
            make: Box::new(move || {
                let atom: std::sync::Arc<dyn crate::store::loads::Pending> = self.at(k).inner().clone();
                crate::store::catalog::MadeMember::Async(atom)
            }),
        })
    }
}
