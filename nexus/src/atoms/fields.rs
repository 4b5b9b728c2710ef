//! Field atoms: an atom of one field of another atom's value, made by the methods that
//! `#[derive(nexus::Fields)]` generates ([`Focus`]), the element atoms of a keyed list ([`Each`]), and
//! projections ([`select`]).
//!
//! A field atom is a run-time derived atom of the same owner as its parent: it reads the parent's field,
//! and (for a writable parent) writes the parent with only that field changed. It is made once per
//! parent and kept by the parent while the parent lives (so `USER.name()` called again is the same atom,
//! and allocates nothing); it refers to its parent without keeping it alive. Its definition is marked as
//! a *focused child*: a write made through it marks only it among its parent's focused children (the
//! others' values are the same), so observers of other fields are not even re-evaluated.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::atoms::handle::{Atom, Computed, Writable};
use crate::core::owner::{Owner, UsableIn};
use crate::core::value_ops::ValueOps;
use crate::graph::access::Readable;
use crate::graph::def::DefCore;
use crate::store::access::Updatable;
use crate::store::instance::StoreShared;
use crate::store::store_trait::Store;

/// One field of a struct `P`, of type `F`, as `#[derive(nexus::Fields)]` describes it (a `static` per
/// field: its address is the field's identity).
#[doc(hidden)]
pub struct FieldDesc<P, F> {
    name: &'static str,
    get: fn(&P) -> &F,
    get_mut: fn(&mut P) -> &mut F,
    ops: fn() -> ValueOps<F>,
}

impl<P, F> FieldDesc<P, F> {
    /// A field: its name as tools show it, how to reach it, and its value operations.
    pub const fn new(
        name: &'static str,
        get: fn(&P) -> &F,
        get_mut: fn(&mut P) -> &mut F,
        ops: fn() -> ValueOps<F>,
    ) -> Self {
        FieldDesc { name, get, get_mut, ops }
    }

    fn key(&'static self) -> usize {
        std::ptr::from_ref(self) as usize
    }
}

/// An atom whose value's fields can be atoms of their own: every [`Atom`], [`Writable`] (whose write
/// argument is its value) and [`Computed`], field atoms included. The methods that give the field atoms
/// come from the extension trait that `#[derive(nexus::Fields)]` generates for the value's type
/// (`UserFields` for `User`: import it to call `USER.name()`).
///
/// The field atom of a writable atom ([`Atom`], [`Writable`]) is a [`Writable`]; of a [`Computed`], a
/// [`Computed`] (read-only: `set` on it does not compile). Either has the same owner as its parent, so it
/// is usable with exactly the stores the parent is.
pub trait Focus: Readable + Clone + Send + Sync + 'static {
    /// The field atom of a field of type `F`.
    type Field<F: Clone + Send + Sync + 'static>: Focus<Value = F, Owner = Self::Owner>;

    /// The field atom of `field` (made on first use, then the same atom).
    #[doc(hidden)]
    fn __field<F: Clone + Send + Sync + 'static>(
        &self,
        field: &'static FieldDesc<Self::Value, F>,
    ) -> Self::Field<F>;
}

/// The field atom of a field of type `F` of atom type `P` (what the derived methods return).
pub type FieldAtom<P, F> = <P as Focus>::Field<F>;

/// A made child of `core`, found by `key`, or made by `make` and kept.
fn child<C: Clone + Send + Sync + 'static>(core: &DefCore, key: usize, make: impl FnOnce() -> C) -> C {
    let mut children = core.children().0.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, c)) = children.iter().find(|(k, _)| *k == key) {
        return c.downcast_ref::<C>().expect("one kind of child per key").clone();
    }
    let c = make();
    children.push((key, Box::new(c.clone())));
    c
}

#[cold]
fn outlived(name: &str) -> ! {
    panic!(
        "nexus: the field atom `{name}` outlived its parent, a run-time atom whose last handle was dropped: \
         keep the parent while its field atoms are used"
    )
}

/// The name tools show for a child of `parent` (`USER.name`).
fn child_name(parent: &DefCore, part: &str) -> String {
    format!("{}.{part}", parent.name())
}

impl<T, S> Focus for Atom<T, S>
where
    T: Clone + Send + Sync + 'static,
    S: Owner,
{
    type Field<F: Clone + Send + Sync + 'static> = Writable<F, S, F>;

    fn __field<F: Clone + Send + Sync + 'static>(
        &self,
        field: &'static FieldDesc<T, F>,
    ) -> Writable<F, S, F> {
        child(self.__core(), field.key(), || {
            let ops = (field.ops)();
            let eq = ops.eq;
            let (read_link, write_link, update_link) = (self.__link(), self.__link(), self.__link());
            let me = Arc::new(OnceLock::new());
            let (my_addr, update_addr) = (me.clone(), me.clone());
            let fx = Writable::focused(
                child_name(self.__core(), field.name),
                ops,
                move |s| {
                    let parent = Atom::from_link(&read_link).unwrap_or_else(|| outlived(field.name));
                    s.read_ref(parent.__atom(), |p: &T| (field.get)(p).clone())
                },
                move |w, value: F| {
                    let parent = Atom::from_link(&write_link).unwrap_or_else(|| outlived(field.name));
                    let writer = *my_addr.get().expect("set when the field atom was made");
                    w.shared().update_focused(parent.__atom(), writer, |p: &mut T| {
                        let slot = (field.get_mut)(p);
                        if eq.is_some_and(|eq| eq(slot, &value)) {
                            return false;
                        }
                        *slot = value;
                        true
                    });
                },
                Some(Box::new(move |store: &StoreShared, f: &mut dyn FnMut(&mut F)| {
                    let parent = Atom::from_link(&update_link).unwrap_or_else(|| outlived(field.name));
                    let writer = *update_addr.get().expect("set when the field atom was made");
                    store.update_focused(parent.__atom(), writer, |p: &mut T| {
                        let slot = (field.get_mut)(p);
                        let Some(eq) = eq else {
                            f(slot);
                            return true;
                        };
                        let old = slot.clone();
                        f(slot);
                        !eq(&old, slot)
                    });
                })),
            );
            me.set(fx.__atom().id).expect("set once");
            fx
        })
    }
}

// (`T` twice: a writable atom whose write argument is its value; clippy's lint on the order of type
// parameters misreads that.)
#[allow(clippy::mismatching_type_param_order)]
impl<T, S> Focus for Writable<T, S, T>
where
    T: Clone + Send + Sync + 'static,
    S: Owner,
{
    type Field<F: Clone + Send + Sync + 'static> = Writable<F, S, F>;

    fn __field<F: Clone + Send + Sync + 'static>(
        &self,
        field: &'static FieldDesc<T, F>,
    ) -> Writable<F, S, F> {
        child(self.__core(), field.key(), || {
            let ops = (field.ops)();
            let eq = ops.eq;
            let (read_link, write_link, update_link) = (self.__link(), self.__link(), self.__link());
            // Writes go through the parent's `update`: a field atom's (the root's lock held once, so
            // that nested fields written from several threads lose nothing), or, for another writable
            // atom, its value read, modified and written through its write function.
            Writable::focused(
                child_name(self.__core(), field.name),
                ops,
                move |s| {
                    let parent = Writable::from_link(&read_link).unwrap_or_else(|| outlived(field.name));
                    s.read_ref(parent.__atom(), |p: &T| (field.get)(p).clone())
                },
                move |w, value: F| {
                    let parent = Writable::from_link(&write_link).unwrap_or_else(|| outlived(field.name));
                    // Written through: the parent is used here as a read would (tools list it).
                    w.shared().register(parent.__atom());
                    let mut value = Some(value);
                    parent.__update(w.shared(), &mut |whole: &mut T| {
                        let slot = (field.get_mut)(whole);
                        if let Some(value) = value.take() {
                            if !eq.is_some_and(|eq| eq(slot, &value)) {
                                *slot = value;
                            }
                        }
                    });
                },
                Some(Box::new(move |store: &StoreShared, f: &mut dyn FnMut(&mut F)| {
                    let parent = Writable::from_link(&update_link).unwrap_or_else(|| outlived(field.name));
                    parent.__update(store, &mut |whole: &mut T| f((field.get_mut)(whole)));
                })),
            )
        })
    }
}

impl<T, S> Focus for Computed<T, S>
where
    T: Clone + Send + Sync + 'static,
    S: Owner,
{
    type Field<F: Clone + Send + Sync + 'static> = Computed<F, S>;

    fn __field<F: Clone + Send + Sync + 'static>(&self, field: &'static FieldDesc<T, F>) -> Computed<F, S> {
        child(self.__core(), field.key(), || {
            let link = self.__link();
            Computed::focused(child_name(self.__core(), field.name), (field.ops)(), move |s| {
                let parent = Computed::from_link(&link).unwrap_or_else(|| outlived(field.name));
                s.read_ref(parent.__atom(), |p: &T| (field.get)(p).clone())
            })
        })
    }
}

/// A value with a key of its own, which identifies it in a list: what [`Atom::each`] needs of the
/// elements. `#[derive(nexus::Fields)]` implements it for a struct with a `#[fields(key)]` field.
pub trait Keyed {
    /// The key's type.
    type Key: Clone + Eq + Hash + fmt::Debug + Send + Sync + 'static;
    /// The element's key.
    fn key(&self) -> &Self::Key;
    /// How tools show an element: its type's `Debug`, if it has one (the derive detects it).
    #[doc(hidden)]
    fn __debug() -> Option<fn(&Self, &mut fmt::Formatter<'_>) -> fmt::Result>
    where
        Self: Sized,
    {
        None
    }
}

/// An element atom's value through the element's `Debug` (only made when it has one). (`&Option<T>`: the
/// signature of a `Debug` of the atom's value type.)
#[allow(clippy::ref_option)]
fn fmt_element<T: Keyed>(v: &Option<T>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match (v, T::__debug()) {
        (Some(t), Some(debug)) => {
            f.write_str("Some(")?;
            debug(t, f)?;
            f.write_str(")")
        }
        (Some(_), None) => write!(f, "Some(<{}>)", std::any::type_name::<T>()),
        (None, _) => f.write_str("None"),
    }
}

/// The element atoms of a keyed list atom (an [`Atom`] of `Vec<T>`), made by [`Atom::each`]: one atom per
/// key, of type `Option<T>` (`None` once no element has that key).
///
/// Writing an element atom (`store.set(&todos.at(&id), todo)`) writes the list with that element
/// replaced: the list's observers and that element's are told, no other element's (they are not even
/// re-evaluated). Inserting, removing or moving elements ([`insert`](Each::insert),
/// [`remove`](Each::remove), [`move_to`](Each::move_to), or any write of the list) keeps every element
/// atom and tells none whose element did not change. An element atom is made on first use of its key and
/// kept while the list atom lives, until [`remove`](Each::remove) removes its key.
pub struct Each<T: Keyed + 'static, S: 'static> {
    list: Atom<Vec<T>, S>,
    made: Arc<Elements<T, S>>,
}

struct Elements<T: Keyed + 'static, S: 'static> {
    at: Mutex<HashMap<T::Key, Element<T, S>>>,
    keys: OnceLock<Computed<Vec<T::Key>, S>>,
}

impl<T: Keyed + 'static, S: 'static> Clone for Each<T, S> {
    fn clone(&self) -> Self {
        Each { list: self.list.clone(), made: self.made.clone() }
    }
}

impl<T: Keyed + 'static, S: 'static> fmt::Debug for Each<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Each").field("list", &self.list).finish_non_exhaustive()
    }
}

/// An element atom: reads as the element (`None` once gone), written with an element.
type Element<T, S> = Writable<Option<T>, S, T>;

/// The address that names a list's element atoms among its children.
static EACH: u8 = 0;

/// Where the element with `key` is in `list`, looking first where it was last time (`hint`).
fn find<T: Keyed>(list: &[T], key: &T::Key, hint: &AtomicUsize) -> Option<usize> {
    let at = hint.load(Ordering::Relaxed);
    if list.get(at).is_some_and(|e| e.key() == key) {
        return Some(at);
    }
    let at = list.iter().position(|e| e.key() == key)?;
    hint.store(at, Ordering::Relaxed);
    Some(at)
}

impl<T, S> Atom<Vec<T>, S>
where
    T: Keyed + Clone + PartialEq + Send + Sync + 'static,
    S: Owner,
{
    /// The element atoms of this list, by key (see [`Each`]): `TODOS.each().at(&id)`.
    pub fn each(&self) -> Each<T, S> {
        let made = child(self.__core(), std::ptr::from_ref(&EACH) as usize, || {
            Arc::new(Elements { at: Mutex::new(HashMap::new()), keys: OnceLock::new() })
        });
        Each { list: self.clone(), made }
    }
}

impl<T, S> Each<T, S>
where
    T: Keyed + Clone + PartialEq + Send + Sync + 'static,
    S: Owner,
{
    /// The atom of the element with `key`: `Some(element)` while the list has one with that key, else
    /// `None`. Setting it to an element replaces the element with that key (nothing if there is none).
    ///
    /// # Panics
    /// Setting it to an element whose key is not `key` panics (an element atom stays the atom of its key).
    pub fn at(&self, key: &T::Key) -> Writable<Option<T>, S, T> {
        let mut at = self.made.at.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(atom) = at.get(key) {
            return atom.clone();
        }
        let (read_link, write_link) = (self.list.__link(), self.list.__link());
        let hint = Arc::new(AtomicUsize::new(0));
        let write_hint = hint.clone();
        let (read_key, write_key) = (key.clone(), key.clone());
        let me = Arc::new(OnceLock::new());
        let my_addr = me.clone();
        let name = format!("{}[{key:?}]", self.list.__core().name());
        let atom = Writable::focused(
            name,
            ValueOps::new(
                Some(<Option<T> as PartialEq>::eq),
                T::__debug()
                    .map(|_| fmt_element::<T> as fn(&Option<T>, &mut fmt::Formatter<'_>) -> fmt::Result),
            ),
            move |s| {
                let list = Atom::from_link(&read_link).unwrap_or_else(|| outlived("an element"));
                s.read_ref(list.__atom(), |v: &Vec<T>| find(v, &read_key, &hint).map(|i| v[i].clone()))
            },
            move |w, value: T| {
                assert!(
                    value.key() == &write_key,
                    "nexus: the element atom of key {write_key:?} was set to an element of key {:?}: set the \
                     atom of that key, or write the list",
                    value.key()
                );
                let list = Atom::from_link(&write_link).unwrap_or_else(|| outlived("an element"));
                let writer = *my_addr.get().expect("set when the element atom was made");
                w.shared().update_focused(list.__atom(), writer, |v: &mut Vec<T>| {
                    match find(v, &write_key, &write_hint) {
                        Some(i) if v[i] != value => {
                            v[i] = value;
                            true
                        }
                        _ => false,
                    }
                });
            },
            None,
        );
        me.set(atom.__atom().id).expect("set once");
        at.insert(key.clone(), atom.clone());
        atom
    }

    /// The keys of the list, in order, as an atom: told when elements come, go or move, not when one
    /// element's other fields change.
    pub fn keys(&self) -> Computed<Vec<T::Key>, S> {
        self.made
            .keys
            .get_or_init(|| {
                let link = self.list.__link();
                Computed::focused(
                    child_name(self.list.__core(), "keys"),
                    ValueOps::new(
                        Some(<Vec<T::Key> as PartialEq>::eq),
                        Some(<Vec<T::Key> as fmt::Debug>::fmt),
                    ),
                    move |s| {
                        let list = Atom::from_link(&link).unwrap_or_else(|| outlived("keys"));
                        s.read_ref(list.__atom(), |v: &Vec<T>| v.iter().map(|e| e.key().clone()).collect())
                    },
                )
            })
            .clone()
    }

    /// Inserts `value` before the element with key `before` (at the end for `None`, or if no element has
    /// that key), in `store`: one change of the list; no element atom is told (their elements did not
    /// change), except `value`'s own if it was made already.
    pub fn insert<St>(&self, store: &St, before: Option<&T::Key>, value: T)
    where
        St: Store,
        S: UsableIn<St>,
    {
        store.update(&self.list, |v| {
            let at = before.and_then(|b| v.iter().position(|e| e.key() == b)).unwrap_or(v.len());
            v.insert(at, value);
        });
    }

    /// Removes the element with `key` from the list in `store` and returns it; its element atom reads
    /// `None` there from then on, and is no longer kept if nothing else holds it (no handle, no
    /// subscriber: it is then freed, and a later `at(&key)` makes a new one).
    pub fn remove<St>(&self, store: &St, key: &T::Key) -> Option<T>
    where
        St: Store,
        S: UsableIn<St>,
    {
        let mut removed = None;
        store.update(&self.list, |v| {
            if let Some(i) = v.iter().position(|e| e.key() == key) {
                removed = Some(v.remove(i));
            }
        });
        // Forgotten only if nothing else holds its atom: the list is per store, and another store (or a
        // subscriber, or a handle kept) may still use the key; two atoms of one key would not see each
        // other's writes.
        let mut at = self.made.at.lock().unwrap_or_else(PoisonError::into_inner);
        if at.get(key).is_some_and(|atom| atom.__core().holders() == 1) {
            let evicted = at.remove(key);
            drop(at);
            drop(evicted);
        }
        removed
    }

    /// Moves the element with `key` before the element with key `before` (to the end for `None`), in
    /// `store`: one change of the list, no element atom told.
    pub fn move_to<St>(&self, store: &St, key: &T::Key, before: Option<&T::Key>)
    where
        St: Store,
        S: UsableIn<St>,
    {
        store.update(&self.list, |v| {
            let Some(from) = v.iter().position(|e| e.key() == key) else { return };
            let element = v.remove(from);
            let to = before.and_then(|b| v.iter().position(|e| e.key() == b)).unwrap_or(v.len());
            v.insert(to, element);
        });
    }
}

/// A read-only atom of a part of `atom`'s value: `f` applied to it, told only when the part changes
/// (by `PartialEq`). Jotai's `selectAtom`, for what `#[derive(nexus::Fields)]` cannot express (a
/// computed part, a field of a type you do not own). Each call makes a new atom: keep it.
///
/// ```
/// nexus::store! { pub struct Shop; }
/// nexus::atom! { #![store(Shop)] pub static CART: Vec<u32> = vec![3, 4]; }
///
/// let count = nexus::select(&CART, |items: &Vec<u32>| items.len());
/// let shop = Shop::new();
/// assert_eq!(shop.get(&count), 2);
/// ```
pub fn select<A, U>(atom: &A, f: impl Fn(&A::Value) -> U + Send + Sync + 'static) -> Computed<U, A::Owner>
where
    A: Readable + Clone + Send + Sync + 'static,
    U: Clone + PartialEq + Send + Sync + 'static,
{
    let atom = atom.clone();
    Computed::new(move |s| s.read_ref(atom.__atom(), |v: &A::Value| f(v)))
}
