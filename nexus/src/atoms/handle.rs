//! The atom handle types [`Atom`], [`Computed`] and [`Writable`]: a `static` definition or a shared
//! run-time one, and what each kind of atom can do.

use std::fmt;
use std::sync::{Arc, Weak};

use crate::atoms::def::{Body, Def, Init, ReadFn, WriteFn};
use crate::core::info::AtomId;
use crate::core::owner::{Owner, Sealed};
use crate::core::value_ops::ValueOps;
use crate::graph::access::{AtomRef, HandleDyn, KeepAlive, Readable, Sources};
use crate::graph::def::{ErasedDef, NodeDef};
use crate::graph::reader::Reader;
use crate::store::access::{Primitive, Settable, Updatable};
use crate::store::instance::StoreShared;
use crate::store::writer::Writer;

/// Where a handle's definition lives: a `static` (declared with `atom!`) or an `Arc` (made at run time).
enum Handle<T: 'static, S: 'static, A: 'static> {
    Static(&'static Def<T, S, A>),
    /// With the atom's id (fixed when a run-time atom is made), so that store operations and reads find
    /// the atom without reading its definition's memory (a cache miss per read in large graphs).
    Runtime(Arc<Def<T, S, A>>, AtomId),
}

impl<T: 'static, S: 'static, A: 'static> Handle<T, S, A> {
    #[inline]
    fn def(&self) -> &Def<T, S, A> {
        match self {
            Handle::Static(d) => d,
            Handle::Runtime(d, _) => d,
        }
    }

    fn same(&self, other: &Self) -> bool {
        std::ptr::eq(self.def(), other.def())
    }
}

impl<T: 'static, S: 'static, A: 'static> Drop for Handle<T, S, A> {
    fn drop(&mut self) {
        if let Handle::Runtime(def, _) = self {
            // The last handle ends the atom's life (its stores drop their nodes), then the definition goes
            // with the last `Arc`, put off if a definition is being dropped on this thread already.
            def.core.release();
            crate::core::teardown::put_off(def);
        }
    }
}

impl<T: 'static, S: 'static, A: 'static> Clone for Handle<T, S, A> {
    fn clone(&self) -> Self {
        match self {
            Handle::Static(d) => Handle::Static(d),
            Handle::Runtime(d, id) => {
                d.core.hold();
                Handle::Runtime(d.clone(), *id)
            }
        }
    }
}

impl<T, S, A> HandleDyn for Handle<T, S, A>
where
    T: Clone + Send + Sync + 'static,
    S: Owner,
    A: 'static,
{
    fn def(&self) -> &dyn ErasedDef {
        self.def()
    }

    fn node_def(&self) -> NodeDef {
        match self {
            Handle::Static(d) => NodeDef::Static(*d),
            Handle::Runtime(d, _) => NodeDef::Runtime(d.clone() as Arc<dyn ErasedDef>),
        }
    }

    fn keepalive(&self) -> Option<KeepAlive> {
        match self {
            Handle::Static(_) => None,
            Handle::Runtime(d, _) => Some(KeepAlive::hold(d.clone() as Arc<dyn ErasedDef>)),
        }
    }

    fn node_def_mounting(&self) -> (NodeDef, bool) {
        (self.node_def(), self.def().mount.is_some())
    }
}

impl<T, S, A> Handle<T, S, A>
where
    T: Clone + Send + Sync + 'static,
    S: Owner,
    A: 'static,
{
    #[inline]
    fn atom_ref(&self) -> AtomRef<'_> {
        let id = match self {
            Handle::Static(d) => d.core.id(S::__space()),
            Handle::Runtime(_, id) => *id,
        };
        AtomRef { id, handle: self }
    }

    /// [`atom_ref`](Self::atom_ref) unless a declared atom has no identity yet.
    #[inline]
    fn known_ref(&self) -> Option<AtomRef<'_>> {
        let id = match self {
            Handle::Static(d) => d.core.assigned_id()?,
            Handle::Runtime(_, id) => *id,
        };
        Some(AtomRef { id, handle: self })
    }
}

macro_rules! handle_common {
    ($ty:ident < T, S $(, $a:ident)? >, $what:literal) => {
        impl<T: 'static, S: 'static $(, $a: 'static)?> Clone for $ty<T, S $(, $a)?> {
            fn clone(&self) -> Self {
                $ty { handle: self.handle.clone() }
            }
        }

        impl<T: 'static, S: 'static $(, $a: 'static)?> PartialEq for $ty<T, S $(, $a)?> {
            /// Two handles are equal when they are the same atom (clones of one another).
            fn eq(&self, other: &Self) -> bool {
                self.handle.same(&other.handle)
            }
        }

        impl<T: 'static, S: 'static $(, $a: 'static)?> Eq for $ty<T, S $(, $a)?> {}

        impl<T: 'static, S: 'static $(, $a: 'static)?> fmt::Debug for $ty<T, S $(, $a)?> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let core = &self.handle.def().core;
                write!(f, "{}({} of {})", $what, core.path(), core.owner_name())
            }
        }

        impl<T: 'static, S: 'static $(, $a: 'static)?> Sealed for $ty<T, S $(, $a)?> {}

        impl<T: 'static, S: 'static $(, $a: 'static)?> $ty<T, S $(, $a)?> {
            #[doc(hidden)]
            pub const fn __from_static(def: &'static Def<T, S, handle_common!(@arg T $($a)?)>) -> Self {
                $ty { handle: Handle::Static(def) }
            }

            /// The registry name: the identifier, the `#[name]` given in `atom!`, or a generated one.
            /// (Not `name()`: that name is left free for the field atom of a `name` field, see
            /// [`Focus`](crate::Focus).)
            pub fn registry_name(&self) -> &str {
                self.handle.def().core.name()
            }
        }
    };
    (@arg $t:ident) => { $t };
    (@arg $t:ident $a:ident) => { $a };
}

/// A primitive atom: holds a value of type `T` in every store that uses it. `S` is the owning store type,
/// or [`Global`](crate::Global) for an atom usable with every store.
///
/// Declare atoms with [`atom!`](crate::atom!), or make them at run time with [`Atom::new`]. An `Atom` is a
/// cheap handle: clones are the same atom. When the last handle of a run-time atom is dropped, every
/// store that held its value frees it.
pub struct Atom<T: 'static, S: 'static> {
    handle: Handle<T, S, T>,
}

/// A read-only derived atom: its value is computed from other atoms by a read function, lazily, and
/// cached until one of the atoms it read changes. It has no `set`.
pub struct Computed<T: 'static, S: 'static> {
    handle: Handle<T, S, T>,
}

/// A derived atom with a write function: reads like [`Computed`], and `set(&atom, arg)` runs the write
/// function with `arg: A` (by default the value type), which may set other atoms.
pub struct Writable<T: 'static, S: 'static, A: 'static = T> {
    handle: Handle<T, S, A>,
}

handle_common!(Atom<T, S>, "Atom");
handle_common!(Computed<T, S>, "Computed");
handle_common!(Writable<T, S, A>, "Writable");

impl<T: 'static, S: 'static, A: 'static> Handle<T, S, A> {
    fn runtime(def: Def<T, S, A>) -> Self {
        Self::from_arc(Arc::new(def))
    }

    /// The first handle of a new definition.
    fn from_arc(def: Arc<Def<T, S, A>>) -> Self {
        def.core.hold();
        Self::adopt(def)
    }

    /// A handle for a definition already counted as held (see [`DefCore::revive`]).
    fn adopt(def: Arc<Def<T, S, A>>) -> Self {
        let id = def.core.runtime_id();
        Handle::Runtime(def, id)
    }
}

/// A reference to an atom that does not keep it alive: a field atom's link to its parent (the parent
/// keeps its field atoms, so a strong link would keep both forever).
pub(crate) enum Link<T: 'static, S: 'static, A: 'static> {
    Static(&'static Def<T, S, A>),
    Runtime(Weak<Def<T, S, A>>),
}

impl<T: 'static, S: 'static, A: 'static> Link<T, S, A> {
    /// A handle of the atom, if it still lives.
    fn handle(&self) -> Option<Handle<T, S, A>> {
        match self {
            Link::Static(d) => Some(Handle::Static(d)),
            Link::Runtime(w) => {
                let def = w.upgrade()?;
                def.core.revive().then(|| Handle::adopt(def))
            }
        }
    }
}

impl<T: 'static, S: 'static, A: 'static> Handle<T, S, A> {
    fn link(&self) -> Link<T, S, A> {
        match self {
            Handle::Static(d) => Link::Static(d),
            Handle::Runtime(d, _) => Link::Runtime(Arc::downgrade(d)),
        }
    }
}

macro_rules! linked {
    ($ty:ident < T, S $(, $a:ident)? >, $arg:ty) => {
        impl<T: Clone + Send + Sync + 'static, S: Owner> $ty<T, S $(, $a)?> {
            /// A link to this atom that does not keep it alive.
            pub(crate) fn __link(&self) -> Link<T, S, $arg> {
                self.handle.link()
            }

            /// The atom `link` refers to, if it still lives.
            pub(crate) fn from_link(link: &Link<T, S, $arg>) -> Option<Self> {
                Some($ty { handle: link.handle()? })
            }

            /// The atom's untyped definition (where its field atoms are kept).
            pub(crate) fn __core(&self) -> &crate::graph::def::DefCore {
                &self.handle.def().core
            }
        }
    };
}

linked!(Atom<T, S>, T);
linked!(Computed<T, S>, T);

// (`T` twice: a writable atom whose write argument is its value.)
#[allow(clippy::mismatching_type_param_order)]
impl<T: Clone + Send + Sync + 'static, S: Owner> Writable<T, S, T> {
    /// A link to this atom that does not keep it alive.
    pub(crate) fn __link(&self) -> Link<T, S, T> {
        self.handle.link()
    }

    /// The atom `link` refers to, if it still lives.
    pub(crate) fn from_link(link: &Link<T, S, T>) -> Option<Self> {
        Some(Writable { handle: link.handle()? })
    }
}

impl<T: Clone + Send + Sync + 'static, S: Owner, A: 'static> Writable<T, S, A> {
    /// The atom's untyped definition (where its field atoms are kept).
    pub(crate) fn __core(&self) -> &crate::graph::def::DefCore {
        &self.handle.def().core
    }

    /// A field atom (see `atoms::fields`): a run-time writable atom named `name`, marked as a focused
    /// child of its parent, with its own `update` if given.
    pub(crate) fn focused(
        name: String,
        ops: ValueOps<T>,
        read: impl Fn(&mut Reader<'_, S>) -> T + Send + Sync + 'static,
        write: impl Fn(&mut Writer<'_, S>, A) + Send + Sync + 'static,
        update: Option<crate::atoms::def::UpdateFn<T>>,
    ) -> Self {
        let mut def = Def::runtime(
            Some(name),
            false,
            "",
            ops,
            Body::Writable(ReadFn::Boxed(Box::new(read)), WriteFn::Boxed(Box::new(write))),
        );
        def.core.set_focused();
        def.update = update;
        Writable { handle: Handle::runtime(def) }
    }
}

impl<T: Clone + Send + Sync + 'static, S: Owner> Computed<T, S> {
    /// A read-only field atom (see `atoms::fields`), marked as a focused child of its parent.
    pub(crate) fn focused(
        name: String,
        ops: ValueOps<T>,
        read: impl Fn(&mut Reader<'_, S>) -> T + Send + Sync + 'static,
    ) -> Self {
        let mut def = Def::runtime(Some(name), false, "", ops, Body::Computed(ReadFn::Boxed(Box::new(read))));
        def.core.set_focused();
        Computed { handle: Handle::runtime(def) }
    }
}

impl<T: Clone + Send + Sync + 'static, S: Owner> Atom<T, S> {
    /// A run-time atom made by a family.
    pub(crate) fn from_def(def: Def<T, S, T>) -> Self {
        Atom { handle: Handle::runtime(def) }
    }
}

impl<T: Clone + Send + Sync + 'static, S: Owner> Computed<T, S> {
    /// A run-time computed atom made by a family.
    pub(crate) fn from_def(def: Def<T, S, T>) -> Self {
        Computed { handle: Handle::runtime(def) }
    }
}

impl<T, S> Atom<T, S>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    S: Owner,
{
    /// A new run-time atom with initial value `value`. Writing a value equal to the current one is not a
    /// change. Use [`Atom::new_with_eq`] for types without `PartialEq`.
    pub fn new(value: T) -> Self {
        Self::new_with_eq(value, T::eq)
    }
}

impl<T, S> Atom<T, S>
where
    T: Clone + Send + Sync + 'static,
    S: Owner,
{
    /// A new run-time atom whose writes are compared with `eq` (`|_, _| false`: every write is a change).
    pub fn new_with_eq(value: T, eq: fn(&T, &T) -> bool) -> Self {
        Self::make(None, value, ValueOps::new(Some(eq), None))
    }

    pub(crate) fn make(name: Option<String>, value: T, ops: ValueOps<T>) -> Self {
        let given = name.is_some();
        Atom {
            handle: Handle::runtime(Def::runtime(name, given, "", ops, Body::Primitive(Init::Value(value)))),
        }
    }
}

impl<T, S> Atom<T, S>
where
    T: Clone + Send + Sync + 'static,
    S: Owner,
{
    /// Gives this run-time atom an `on_mount`: called with the store and a [`Setter`](crate::Setter) of
    /// the atom when the atom becomes mounted in a store instance (its first observer there: a subscriber,
    /// a `Watch`, an effect, a mounted derived atom reading it), it returns what runs when it stops being
    /// mounted there. As `#[on_mount]` in `atom!`; see [`Store::is_mounted`](crate::Store::is_mounted).
    ///
    /// # Panics
    /// If the atom was cloned or used by a store already: give it right after `new`.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    ///
    /// nexus::store! { pub struct Prices; }
    ///
    /// let mounts = Arc::new(AtomicUsize::new(0));
    /// let counter = mounts.clone();
    /// let price = nexus::Atom::<u32, Prices>::new(0).on_mount(move |_store, set| {
    ///     counter.fetch_add(1, Ordering::SeqCst);
    ///     set.set(42); // e.g. from a feed's thread
    ///     move || { /* stop the feed */ }
    /// });
    /// let prices = Prices::new();
    /// let watcher = prices.subscribe(&price, |_| {});
    /// assert_eq!(mounts.load(Ordering::SeqCst), 1);
    /// assert_eq!(prices.get(&price), 42);
    /// drop(watcher); // unmounted
    /// ```
    #[must_use]
    pub fn on_mount<C>(
        mut self,
        f: impl Fn(&crate::StoreRef, crate::Setter<T>) -> C + Send + Sync + 'static,
    ) -> Self
    where
        C: FnOnce() + Send + 'static,
    {
        let def = match &mut self.handle {
            Handle::Runtime(def, _) => Arc::get_mut(def),
            Handle::Static(_) => None,
        };
        let Some(def) = def else {
            panic!(
                "nexus: `on_mount` is given to a run-time atom right after `Atom::new`, before it is cloned or \
                 used by a store (a declared atom takes `#[on_mount(..)]` in `atom!`)"
            )
        };
        def.mount =
            Some(crate::atoms::def::OnMount::Boxed(Box::new(move |store, set| Box::new(f(store, set)))));
        self
    }
}

impl<T, S> Atom<T, S>
where
    T: Clone + PartialEq + fmt::Debug + Send + Sync + 'static,
    S: Owner,
{
    /// A new run-time atom with a name of the program's choosing: `atoms()`, [`DevTools`](crate::DevTools)
    /// and change events show it under that name (its path is the name), with its value through `Debug`.
    /// Give it a name no other live atom of the same owner has. To carry it in snapshots too, make it
    /// with `named_serde` (feature `serde`).
    pub fn named(name: impl Into<String>, value: T) -> Self {
        Self::make(Some(name.into()), value, ValueOps::new(Some(T::eq), Some(<T as fmt::Debug>::fmt)))
    }
}

#[cfg(feature = "serde")]
impl<T, S> Atom<T, S>
where
    T: Clone
        + PartialEq
        + fmt::Debug
        + serde::Serialize
        + serde::de::DeserializeOwned
        + Send
        + Sync
        + 'static,
    S: Owner,
{
    /// Like [`Atom::named`], and carried by [`Store::snapshot`](crate::Store::snapshot) under its name:
    /// [`Store::hydrate`](crate::Store::hydrate) sets it in the fresh store when a live atom of the same
    /// owner has that name (as happens when client and server make the same named atoms). Keep names
    /// unique per owner: while two live atoms of one owner share a name, a snapshot carries one of them
    /// and hydrating it is refused as [`HydrateProblem::Ambiguous`](crate::HydrateProblem::Ambiguous).
    pub fn named_serde(name: impl Into<String>, value: T) -> Self {
        let ops = ValueOps::new(Some(T::eq), Some(<T as fmt::Debug>::fmt)).with_json(
            Some(|v| serde_json::to_value(v).map_err(|e| e.to_string())),
            Some(|v| serde_path_to_error::deserialize(v).map_err(|e| crate::core::value_ops::at_path(&e))),
        );
        let atom = Self::make(Some(name.into()), value, ops);
        if let Handle::Runtime(def, _) = &atom.handle {
            crate::store::named::add(&(def.clone() as Arc<dyn ErasedDef>));
        }
        atom
    }
}

impl<T, S> Computed<T, S>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    S: Owner,
{
    /// A new run-time computed atom; `read` may capture (graphs can be built in loops). A result equal to
    /// the previous one is not a change.
    pub fn new(read: impl Fn(&mut Reader<'_, S>) -> T + Send + Sync + 'static) -> Self {
        Self::new_with_eq(read, T::eq)
    }
}

impl<T, S> Computed<T, S>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    S: Owner,
{
    /// A new run-time computed atom that names the atoms it reads: `sources` (one handle, a tuple of up
    /// to eight, an array or a `Vec` of them) are moved into the atom and lent to `read` on every run.
    /// A result equal to the previous one is not a change.
    ///
    /// Naming them lets a first read bring them up to date *before* `read` runs, on the evaluation's own
    /// path, instead of evaluating each one inside the read function that reads it: a chain of any
    /// length is then read with no nesting on the call stack, each read function running once. That
    /// matters on `wasm32-unknown-unknown`, where read functions cannot be suspended and a first read
    /// of a chain made with [`Computed::new`] nests as deep as the chain (see README, "Graphs of any
    /// depth"); elsewhere it only spares re-runs.
    ///
    /// The names are a hint, not a promise: what `read` really reads is what the atom depends on. A
    /// source it does not read was brought up to date for nothing; an atom it reads without naming it
    /// is evaluated where it is read, as with [`Computed::new`].
    ///
    /// ```
    /// nexus::store! { pub struct Sheet; }
    ///
    /// // A running total, each row reading the one above: 100,000 rows read at once, cold.
    /// let first = nexus::Atom::<u64, Sheet>::new(1);
    /// let mut total = nexus::Computed::reading(first.clone(), |s, first| s.get(first));
    /// for _ in 1..100_000 {
    ///     total = nexus::Computed::reading(total, |s, above| s.get(above) + 1);
    /// }
    /// let sheet = Sheet::new();
    /// assert_eq!(sheet.get(&total), 100_000);
    ///
    /// // Several sources of different types: a tuple.
    /// let rate = nexus::Atom::<f64, Sheet>::new(0.5);
    /// let scaled = nexus::Computed::reading((total, rate), |s, (total, rate)| {
    ///     s.get(total) as f64 * s.get(rate)
    /// });
    /// assert_eq!(sheet.get(&scaled), 50_000.0);
    /// ```
    pub fn reading<Src: Sources<S>>(
        sources: Src,
        read: impl Fn(&mut Reader<'_, S>, &Src) -> T + Send + Sync + 'static,
    ) -> Self {
        Self::reading_with_eq(sources, read, T::eq)
    }
}

impl<T, S> Computed<T, S>
where
    T: Clone + Send + Sync + 'static,
    S: Owner,
{
    /// [`Computed::reading`] for a value compared with `eq` (`|_, _| false`: every result is a change).
    pub fn reading_with_eq<Src: Sources<S>>(
        sources: Src,
        read: impl Fn(&mut Reader<'_, S>, &Src) -> T + Send + Sync + 'static,
        eq: fn(&T, &T) -> bool,
    ) -> Self {
        let sources = Arc::new(sources);
        let lent = sources.clone();
        let def = Def::runtime(
            None,
            false,
            "",
            ValueOps::new(Some(eq), None),
            Body::Computed(ReadFn::Boxed(Box::new(move |s| read(s, &lent)))),
        );
        Computed { handle: Handle::runtime(def.with_sources(sources)) }
    }

    /// A new run-time computed atom whose results are compared with `eq`.
    pub fn new_with_eq(
        read: impl Fn(&mut Reader<'_, S>) -> T + Send + Sync + 'static,
        eq: fn(&T, &T) -> bool,
    ) -> Self {
        Self::make(None, "", read, ValueOps::new(Some(eq), None))
    }

    /// A run-time computed atom with a name (and module) of nexus' choosing: the parts of an async atom.
    pub(crate) fn make(
        name: Option<String>,
        module: &'static str,
        read: impl Fn(&mut Reader<'_, S>) -> T + Send + Sync + 'static,
        ops: ValueOps<T>,
    ) -> Self {
        let given = name.is_some();
        Computed {
            handle: Handle::runtime(Def::runtime(
                name,
                given,
                module,
                ops,
                Body::Computed(ReadFn::Boxed(Box::new(read))),
            )),
        }
    }
}

impl<T, S, A> Writable<T, S, A>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    S: Owner,
    A: 'static,
{
    /// A new run-time writable atom from a read function and a write function.
    pub fn new(
        read: impl Fn(&mut Reader<'_, S>) -> T + Send + Sync + 'static,
        write: impl Fn(&mut Writer<'_, S>, A) + Send + Sync + 'static,
    ) -> Self {
        Writable {
            handle: Handle::runtime(Def::runtime(
                None,
                false,
                "",
                ValueOps::new(Some(T::eq), None),
                Body::Writable(ReadFn::Boxed(Box::new(read)), WriteFn::Boxed(Box::new(write))),
            )),
        }
    }
}

impl<T: Clone + Send + Sync + 'static, S: Owner> Readable for Atom<T, S> {
    type Value = T;
    type Owner = S;
    #[inline]
    fn __atom(&self) -> AtomRef<'_> {
        self.handle.atom_ref()
    }
    #[inline]
    fn __atom_known(&self) -> Option<AtomRef<'_>> {
        self.handle.known_ref()
    }
    fn __value_eq(&self) -> Option<fn(&T, &T) -> bool> {
        self.handle.def().ops().eq
    }
}

impl<T: Clone + Send + Sync + 'static, S: Owner> Readable for Computed<T, S> {
    type Value = T;
    type Owner = S;
    #[inline]
    fn __atom(&self) -> AtomRef<'_> {
        self.handle.atom_ref()
    }
    #[inline]
    fn __atom_known(&self) -> Option<AtomRef<'_>> {
        self.handle.known_ref()
    }
    fn __value_eq(&self) -> Option<fn(&T, &T) -> bool> {
        self.handle.def().ops().eq
    }
}

impl<T: Clone + Send + Sync + 'static, S: Owner, A: 'static> Readable for Writable<T, S, A> {
    type Value = T;
    type Owner = S;
    #[inline]
    fn __atom(&self) -> AtomRef<'_> {
        self.handle.atom_ref()
    }
    #[inline]
    fn __atom_known(&self) -> Option<AtomRef<'_>> {
        self.handle.known_ref()
    }
    fn __value_eq(&self) -> Option<fn(&T, &T) -> bool> {
        self.handle.def().ops().eq
    }
}

impl<T: Clone + Send + Sync + 'static, S: Owner> Settable for Atom<T, S> {
    type Arg = T;
    #[inline]
    fn __set(&self, store: &StoreShared, arg: T) {
        store.set(self.__atom(), arg, self.handle.def().ops().eq);
    }
}

impl<T: Clone + Send + Sync + 'static, S: Owner, A: 'static> Settable for Writable<T, S, A> {
    type Arg = A;
    fn __set(&self, store: &StoreShared, arg: A) {
        let Body::Writable(_, write) = &self.handle.def().body else {
            unreachable!("a Writable handle always has a writable body")
        };
        // Setting registers the atom like a read would; the whole write function is one change round.
        store.register(self.__atom());
        let run = || {
            let mut writer = Writer::<S>::new(store);
            match write {
                WriteFn::Fn(f) => f(&mut writer, arg),
                WriteFn::Boxed(f) => f(&mut writer, arg),
            }
        };
        if self.handle.def().core.is_focused() {
            // A field atom's write function makes one write of its parent: a round already.
            run();
        } else {
            store.batch(run);
        }
    }
}

impl<T: Clone + Send + Sync + 'static, S: Owner> Primitive for Atom<T, S> {}

impl<T: Clone + Send + Sync + 'static, S: Owner> Updatable for Atom<T, S> {
    fn __update(&self, store: &StoreShared, f: &mut dyn FnMut(&mut T)) {
        store.update(self.__atom(), f);
    }
}

// (`T` twice: a writable atom whose write argument is its value.)
#[allow(clippy::mismatching_type_param_order)]
impl<T: Clone + Send + Sync + 'static, S: Owner> Updatable for Writable<T, S, T> {
    fn __update(&self, store: &StoreShared, f: &mut dyn FnMut(&mut T)) {
        // A field atom updates its field of the parent under the parent's lock.
        if let Some(update) = &self.handle.def().update {
            update(store, f);
            return;
        }
        let mut value: T = store.get(self.__atom());
        // An update that leaves the value equal (by its equality, if it has one) is no write.
        let before = self.handle.def().ops().eq.map(|eq| (eq, value.clone()));
        f(&mut value);
        if before.is_some_and(|(eq, before)| eq(&before, &value)) {
            return;
        }
        self.__set(store, value);
    }
}

/// Run-time handles a family can cache and hold weakly.
pub(crate) trait RuntimeHandle: Clone {
    type Weak;
    fn downgrade(&self) -> Self::Weak;
    fn upgrade(weak: &Self::Weak) -> Option<Self>;
    fn is_alive(weak: &Self::Weak) -> bool;
}

macro_rules! runtime_handle {
    ($ty:ident) => {
        impl<T: Clone + Send + Sync + 'static, S: Owner> RuntimeHandle for $ty<T, S> {
            type Weak = Option<Weak<Def<T, S, T>>>;
            fn downgrade(&self) -> Self::Weak {
                match &self.handle {
                    Handle::Runtime(d, _) => Some(Arc::downgrade(d)),
                    Handle::Static(_) => None,
                }
            }
            fn upgrade(weak: &Self::Weak) -> Option<Self> {
                // Stores hold definitions too: the `Arc` may outlive the atom, whose handles counted.
                let def = weak.as_ref()?.upgrade()?;
                def.core.revive().then(|| $ty { handle: Handle::adopt(def) })
            }
            fn is_alive(weak: &Self::Weak) -> bool {
                weak.as_ref().and_then(Weak::upgrade).is_some_and(|d| d.core.is_alive())
            }
        }
    };
}

runtime_handle!(Atom);
runtime_handle!(Computed);
