//! Typed atom definitions: the value type `T`, the owner `S`, the write argument `A`, and the functions
//! (initialiser, read, write) an atom was declared with. The graph evaluates them through
//! [`ErasedDef`](crate::graph::def::ErasedDef).

use std::any::Any;
use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::core::info::{AtomKind, Names};
use crate::core::owner::{Owner, OwnerInfo};
use crate::core::teardown::Teardown;
use crate::core::value_ops::ValueOps;
use crate::core::value_slot::{Value, ValueSlot};
use crate::graph::access::{AtomRef, Hint, Sources};
use crate::graph::def::{DefCore, ErasedDef};
use crate::graph::host::Host;
use crate::graph::mount::{MountCall, Unmount};
use crate::graph::reader::Reader;
use crate::graph::state::State;
use crate::store::instance::StoreShared;
use crate::store::mount::{Setter, StoreRef};
use crate::store::writer::Writer;

/// A typed atom definition: `T` the value, `S` the owner, `A` the write argument.
#[doc(hidden)]
pub struct Def<T, S, A> {
    pub(crate) core: DefCore,
    ops: Ops<T>,
    pub(crate) body: Body<T, S, A>,
    /// A primitive atom's `on_mount`.
    pub(crate) mount: Option<OnMount<T>>,
    /// A field atom's `update`: its field of the parent's value, under the parent's lock.
    pub(crate) update: Option<UpdateFn<T>>,
    /// The sources a derived atom names before it runs (see [`ErasedDef::source_hint`]).
    hints: Option<Hints<S>>,
    /// Last, so that it is dropped after the body (whose closures may hold other atoms' handles).
    teardown: Teardown,
}

impl<T, S, A> Drop for Def<T, S, A> {
    fn drop(&mut self) {
        // Runs before the fields: handles dropped with the body are put off to the teardown's loop.
        self.teardown.begin();
    }
}

struct Ops<T> {
    make: fn() -> ValueOps<T>,
    cell: OnceLock<ValueOps<T>>,
}

/// An atom's `on_mount`: given the store it is mounted in and a setter, it returns what runs at unmount.
pub(crate) enum OnMount<T> {
    /// Declared in `atom!` (the macro makes the function).
    Fn(MountFn<T>),
    /// Given at run time ([`Atom::on_mount`](crate::Atom::on_mount)).
    Boxed(BoxedMount<T>),
}

/// A field atom's `update` (see [`Def::update`]).
pub(crate) type UpdateFn<T> = Box<dyn Fn(&StoreShared, &mut dyn FnMut(&mut T)) + Send + Sync>;

pub(crate) type BoxedMount<T> = Box<dyn Fn(&StoreRef, Setter<T>) -> Unmount + Send + Sync>;

/// A declared `on_mount`, as the macro wraps it.
#[doc(hidden)]
pub type MountFn<T> = fn(&StoreRef, Setter<T>) -> Unmount;

/// Calls a declared `on_mount` closure and boxes what it returns (the macro's wrapper calls this, so that
/// the closure's arguments and result are inferred from these bounds).
#[doc(hidden)]
pub fn call_on_mount<T, F, C>(f: F, store: &StoreRef, set: Setter<T>) -> Unmount
where
    F: FnOnce(&StoreRef, Setter<T>) -> C,
    C: FnOnce() + Send + 'static,
{
    Box::new(f(store, set))
}

/// The sources a derived atom names (see [`ErasedDef::source_hint`]).
pub(crate) enum Hints<S> {
    /// The `s.get(&X)` calls `atom!` saw in a declared atom's read function.
    Static(&'static [&'static dyn Hint]),
    /// The sources given to [`Computed::reading`](crate::Computed::reading), shared with its read
    /// function.
    Given(Arc<dyn Sources<S>>),
}

pub(crate) enum Body<T, S, A> {
    Primitive(Init<T>),
    Computed(ReadFn<T, S>),
    Writable(ReadFn<T, S>, WriteFn<S, A>),
}

pub(crate) enum Init<T> {
    Fn(fn() -> T),
    Value(T),
    Boxed(Box<dyn Fn() -> T + Send + Sync>),
}

pub(crate) enum ReadFn<T, S> {
    Fn(fn(&mut Reader<'_, S>) -> T),
    Boxed(BoxedRead<T, S>),
}

pub(crate) type BoxedRead<T, S> = Box<dyn Fn(&mut Reader<'_, S>) -> T + Send + Sync>;

pub(crate) enum WriteFn<S, A> {
    Fn(fn(&mut Writer<'_, S>, A)),
    Boxed(BoxedWrite<S, A>),
}

pub(crate) type BoxedWrite<S, A> = Box<dyn Fn(&mut Writer<'_, S>, A) + Send + Sync>;

fn no_ops<T>() -> ValueOps<T> {
    ValueOps::new(None, None)
}

// No `S: Owner` bound here: `owner` was made by `OwnerInfo::of::<S>()`, which checks it (one error for a
// `store(..)` that names no store, on that name).
impl<T, S, A> Def<T, S, A> {
    /// A declared primitive atom (used by `declare_primitive!`); `names` give its snapshot key.
    pub const fn primitive(
        owner: OwnerInfo,
        names: &'static Names,
        ident: &'static str,
        module: &'static str,
        init: fn() -> T,
        ops: fn() -> ValueOps<T>,
    ) -> Self {
        Def {
            core: DefCore::declared_names(owner, names, ident, module, AtomKind::Primitive),
            ops: Ops { make: ops, cell: OnceLock::new() },
            body: Body::Primitive(Init::Fn(init)),
            mount: None,
            update: None,
            hints: None,
            teardown: Teardown::new(),
        }
    }

    /// A declared primitive atom with `#[on_mount]` (used by `declare_primitive!`).
    pub const fn primitive_mounted(
        owner: OwnerInfo,
        names: &'static Names,
        ident: &'static str,
        module: &'static str,
        init: fn() -> T,
        ops: fn() -> ValueOps<T>,
        mount: MountFn<T>,
    ) -> Self {
        Def {
            core: DefCore::declared_names(owner, names, ident, module, AtomKind::Primitive),
            ops: Ops { make: ops, cell: OnceLock::new() },
            body: Body::Primitive(Init::Fn(init)),
            mount: Some(OnMount::Fn(mount)),
            update: None,
            hints: None,
            teardown: Teardown::new(),
        }
    }

    /// A declared computed atom (used by `declare_computed!`).
    pub const fn computed(
        owner: OwnerInfo,
        name: &'static str,
        ident: &'static str,
        module: &'static str,
        read: fn(&mut Reader<'_, S>) -> T,
        ops: fn() -> ValueOps<T>,
    ) -> Self {
        Def {
            core: DefCore::declared(owner, name, ident, module, AtomKind::Computed),
            ops: Ops { make: ops, cell: OnceLock::new() },
            body: Body::Computed(ReadFn::Fn(read)),
            mount: None,
            update: None,
            hints: None,
            teardown: Teardown::new(),
        }
    }

    /// A declared writable atom (used by `declare_writable!`).
    pub const fn writable(
        owner: OwnerInfo,
        name: &'static str,
        ident: &'static str,
        module: &'static str,
        read: fn(&mut Reader<'_, S>) -> T,
        write: fn(&mut Writer<'_, S>, A),
        ops: fn() -> ValueOps<T>,
    ) -> Self {
        Def {
            core: DefCore::declared(owner, name, ident, module, AtomKind::Writable),
            ops: Ops { make: ops, cell: OnceLock::new() },
            body: Body::Writable(ReadFn::Fn(read), WriteFn::Fn(write)),
            mount: None,
            update: None,
            hints: None,
            teardown: Teardown::new(),
        }
    }

    /// A declared computed atom whose read function reads `hints` (the `s.get(&X)` calls `atom!` saw):
    /// its first evaluation brings them up to date before it runs (used by `declare_computed!`).
    pub const fn computed_hinted(
        owner: OwnerInfo,
        name: &'static str,
        ident: &'static str,
        module: &'static str,
        read: fn(&mut Reader<'_, S>) -> T,
        ops: fn() -> ValueOps<T>,
        hints: &'static [&'static dyn Hint],
    ) -> Self {
        let mut core = DefCore::declared(owner, name, ident, module, AtomKind::Computed);
        core.set_hinted();
        Def {
            core,
            ops: Ops { make: ops, cell: OnceLock::new() },
            body: Body::Computed(ReadFn::Fn(read)),
            mount: None,
            update: None,
            hints: Some(Hints::Static(hints)),
            teardown: Teardown::new(),
        }
    }

    /// A declared writable atom whose read function reads `hints` (see
    /// [`computed_hinted`](Self::computed_hinted); used by `declare_writable!`).
    #[allow(clippy::too_many_arguments)] // the macro's wiring, one argument per part of the declaration
    pub const fn writable_hinted(
        owner: OwnerInfo,
        name: &'static str,
        ident: &'static str,
        module: &'static str,
        read: fn(&mut Reader<'_, S>) -> T,
        write: fn(&mut Writer<'_, S>, A),
        ops: fn() -> ValueOps<T>,
        hints: &'static [&'static dyn Hint],
    ) -> Self {
        let mut core = DefCore::declared(owner, name, ident, module, AtomKind::Writable);
        core.set_hinted();
        Def {
            core,
            ops: Ops { make: ops, cell: OnceLock::new() },
            body: Body::Writable(ReadFn::Fn(read), WriteFn::Fn(write)),
            mount: None,
            update: None,
            hints: Some(Hints::Static(hints)),
            teardown: Teardown::new(),
        }
    }

    #[inline]
    pub(crate) fn ops(&self) -> &ValueOps<T> {
        self.ops.cell.get_or_init(self.ops.make)
    }
}

impl<T, S: Owner, A> Def<T, S, A> {
    pub(crate) fn runtime(
        name: Option<String>,
        given: bool,
        module: &'static str,
        ops: ValueOps<T>,
        body: Body<T, S, A>,
    ) -> Self {
        let kind = match body {
            Body::Primitive(_) => AtomKind::Primitive,
            Body::Computed(_) => AtomKind::Computed,
            Body::Writable(..) => AtomKind::Writable,
        };
        Def {
            core: DefCore::runtime::<S>(name, given, module, kind),
            ops: Ops { make: no_ops, cell: OnceLock::from(ops) },
            body,
            mount: None,
            update: None,
            hints: None,
            teardown: Teardown::new(),
        }
    }

    /// Gives this new run-time derived atom the sources it names (see [`Hints::Given`]).
    pub(crate) fn with_sources(mut self, sources: Arc<dyn Sources<S>>) -> Self {
        self.core.set_hinted();
        self.hints = Some(Hints::Given(sources));
        self
    }
}

// `S: 'static` rather than `S: Owner`: a definition whose owner is not a store is reported once, where
// its `OwnerInfo` is made, not again here.
impl<T, S, A> ErasedDef for Def<T, S, A>
where
    T: Clone + Send + Sync + 'static,
    S: 'static,
    A: 'static,
{
    fn core(&self) -> &DefCore {
        &self.core
    }

    fn type_name(&self) -> &'static str {
        std::any::type_name::<T>()
    }

    fn init_slot(&self) -> ValueSlot {
        match &self.body {
            Body::Primitive(Init::Fn(f)) => ValueSlot::owned(f()),
            Body::Primitive(Init::Value(v)) => ValueSlot::owned(v.clone()),
            Body::Primitive(Init::Boxed(f)) => ValueSlot::owned(f()),
            Body::Computed(_) | Body::Writable(..) => unreachable!("derived atoms have no initial value"),
        }
    }

    fn init_value(&self) -> Value {
        match &self.body {
            Body::Primitive(Init::Fn(f)) => Arc::new(f()),
            Body::Primitive(Init::Value(v)) => Arc::new(v.clone()),
            Body::Primitive(Init::Boxed(f)) => Arc::new(f()),
            Body::Computed(_) | Body::Writable(..) => unreachable!("derived atoms have no initial value"),
        }
    }

    // The evaluation context is built here, not passed in: a context moved across the call is copied
    // through memory in a way that stalls the loads after it (measured on small graphs).
    fn compute(&self, st: &mut State, host: &dyn Host, l: u32) -> bool {
        let read = match &self.body {
            Body::Computed(r) | Body::Writable(r, _) => r,
            Body::Primitive(_) => unreachable!("only derived atoms are computed"),
        };
        let mut reader = Reader::<S>::start(st, host, l);
        let new = match read {
            ReadFn::Fn(f) => f(&mut reader),
            // Through the `dyn Fn` itself, not the `Box`'s `Fn`: one frame less per level of a first
            // read's nesting in a debug build (where reads cannot suspend, wasm32, that is depth).
            ReadFn::Boxed(f) => (**f)(&mut reader),
        };
        let (st, sources) = reader.into_parts();
        st.ensure_not_suspended();
        st.finish_sources(l, sources);
        let eq = self.ops().eq;
        let slot = &mut st.node_mut(l).value;
        // Compare and write through one `&mut T` when nothing outside the store shares the old value.
        if let Some(v) = slot.typed_mut::<T>() {
            if eq.is_some_and(|eq| eq(v, &new)) {
                return false;
            }
            *v = new;
            return true;
        }
        let same = slot.typed::<T>().is_some_and(|old| eq.is_some_and(|eq| eq(old, &new)));
        if !same {
            *slot = ValueSlot::owned(new);
        }
        !same
    }

    fn values_equal(&self, a: &(dyn Any + Send + Sync), b: &(dyn Any + Send + Sync)) -> bool {
        match (self.ops().eq, a.downcast_ref::<T>(), b.downcast_ref::<T>()) {
            (Some(eq), Some(a), Some(b)) => eq(a, b),
            _ => false,
        }
    }

    fn fmt_value(&self, v: &(dyn Any + Send + Sync), f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(v) = v.downcast_ref::<T>() else { return write!(f, "<{}>", std::any::type_name::<T>()) };
        if let Some(debug) = self.ops().debug {
            return debug(v, f);
        }
        #[cfg(feature = "serde")]
        if let Some(Ok(json)) = self.ops().to_json.map(|to| to(v)) {
            return write!(f, "{json}");
        }
        write!(f, "<{}>", std::any::type_name::<T>())
    }

    #[cfg(feature = "serde")]
    fn encode_json(&self, v: &(dyn Any + Send + Sync)) -> Option<Result<serde_json::Value, String>> {
        let to = self.ops().to_json?;
        Some(to(v.downcast_ref::<T>()?))
    }

    #[cfg(feature = "serde")]
    fn decode_json(&self, json: serde_json::Value) -> Option<Result<Value, String>> {
        let from = self.ops().from_json?;
        Some(from(json).map(|v| Arc::new(v) as Value))
    }

    fn source_hint(&self, i: usize) -> Option<AtomRef<'_>> {
        match self.hints.as_ref()? {
            Hints::Static(list) => list.get(i).map(|h| h.__hinted()),
            Hints::Given(sources) => sources.__source(i),
        }
    }

    fn has_on_mount(&self) -> bool {
        self.mount.is_some()
    }

    fn mount(&self, call: MountCall) -> Option<Unmount> {
        let mount = self.mount.as_ref()?;
        let store = StoreRef::new(&call);
        let set = Setter::new(&call, self.ops().eq);
        Some(match mount {
            OnMount::Fn(f) => f(&store, set),
            OnMount::Boxed(f) => f(&store, set),
        })
    }
}
