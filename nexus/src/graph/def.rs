//! Atom definitions: what an atom is (its name, kind, slot and functions), shared by every store.
//!
//! A declared atom's definition lives in a `static` made by `atom!`; a run-time atom's lives in an `Arc`
//! that its handles share. Stores refer to a definition through [`NodeDef`]: a `&'static` for declared
//! atoms, a `Weak` for run-time ones, so that no store keeps a run-time atom (or its value) alive.

use std::any::Any;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

use crate::core::info::{AtomId, AtomKind};
use crate::core::owner::Owner;
use crate::core::space::{Slot, SlotSpace};
use crate::core::teardown::Teardown;
use crate::core::value_ops::ValueOps;
use crate::core::value_slot::ValueSlot;
use crate::graph::reader::{ReadCtx, Reader, Writer};
use crate::graph::state::State;
use crate::store::instance::StoreShared;

/// A value as stores hold it. Shared so that callbacks can see it after the store's lock is released.
pub(crate) type Value = Arc<dyn Any + Send + Sync>;

/// The untyped part of every atom definition.
#[doc(hidden)]
pub struct DefCore {
    name: Name,
    /// The Rust identifier of a declared atom's static (its path is `module::IDENT`); empty for run-time
    /// atoms, whose path ends with their name.
    ident: &'static str,
    module: &'static str,
    kind: AtomKind,
    global: bool,
    owner_name: &'static str,
    /// The packed [`AtomId`] (slot and generation in its owner's space); 0 until a declared atom is
    /// first used.
    slot: AtomicU64,
    path: OnceLock<Arc<str>>,
    /// The name as a shared string, made once (change events carry it).
    name_shared: OnceLock<Arc<str>>,
    /// Set for run-time atoms only: they give their slot back when they die.
    space: Option<&'static SlotSpace>,
    /// Run-time atoms only: who holds a value of this atom, to free it when the atom dies.
    holders: Mutex<Vec<Holder>>,
}

enum Name {
    Static(&'static str),
    Owned(Arc<str>),
}

pub(crate) enum Holder {
    Store(Weak<StoreShared>),
    Global,
}

impl DefCore {
    const fn declared<S: Owner>(
        name: &'static str,
        ident: &'static str,
        module: &'static str,
        kind: AtomKind,
    ) -> Self {
        DefCore {
            name: Name::Static(name),
            ident,
            module,
            kind,
            global: S::__IS_GLOBAL,
            owner_name: S::__NAME,
            slot: AtomicU64::new(0),
            path: OnceLock::new(),
            name_shared: OnceLock::new(),
            space: None,
            holders: Mutex::new(Vec::new()),
        }
    }

    fn runtime<S: Owner>(name: Option<String>, module: &'static str, kind: AtomKind) -> Self {
        static SERIAL: AtomicU64 = AtomicU64::new(1);
        let space = S::__space();
        let slot = space.alloc();
        let name = name.unwrap_or_else(|| format!("{kind}#{}", SERIAL.fetch_add(1, Ordering::Relaxed)));
        DefCore {
            name: Name::Owned(name.into()),
            ident: "",
            module,
            kind,
            global: S::__IS_GLOBAL,
            owner_name: S::__NAME,
            slot: AtomicU64::new(AtomId::new(S::__IS_GLOBAL, slot.index, slot.gen, kind).bits()),
            path: OnceLock::new(),
            name_shared: OnceLock::new(),
            space: Some(space),
            holders: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn name(&self) -> &str {
        match &self.name {
            Name::Static(s) => s,
            Name::Owned(s) => s,
        }
    }

    pub(crate) fn name_arc(&self) -> Arc<str> {
        match &self.name {
            Name::Static(s) => self.name_shared.get_or_init(|| Arc::from(*s)).clone(),
            Name::Owned(s) => s.clone(),
        }
    }

    /// `module::IDENT` for declared atoms, `module::NAME[key]` for family members, the name alone for
    /// other run-time atoms.
    pub(crate) fn path(&self) -> Arc<str> {
        self.path
            .get_or_init(|| {
                let last = if self.ident.is_empty() { self.name() } else { self.ident };
                if self.module.is_empty() {
                    last.into()
                } else {
                    format!("{}::{last}", self.module).into()
                }
            })
            .clone()
    }

    pub(crate) fn kind(&self) -> AtomKind {
        self.kind
    }

    pub(crate) fn owner_name(&self) -> &'static str {
        self.owner_name
    }

    pub(crate) fn is_runtime(&self) -> bool {
        self.space.is_some()
    }

    /// The atom's identity, assigning its slot on first use (declared atoms).
    // Not `#[inline]`: inlined into `get` it measured 2.4x slower on the bench machine (11.7 -> 28 ns;
    // the loads around it stall), while the call costs ~1 ns.
    pub(crate) fn id(&self, space: &'static SlotSpace) -> AtomId {
        match self.slot.load(Ordering::Acquire) {
            0 => self.assign_slot(space),
            bits => AtomId::from_bits(bits),
        }
    }

    /// A run-time atom's identity, fixed when it was made.
    pub(crate) fn runtime_id(&self) -> AtomId {
        debug_assert!(self.is_runtime(), "only run-time atoms have their id from the start");
        AtomId::from_bits(self.slot.load(Ordering::Relaxed))
    }

    #[cold]
    fn assign_slot(&self, space: &'static SlotSpace) -> AtomId {
        let fresh = space.alloc();
        let id = AtomId::new(self.global, fresh.index, fresh.gen, self.kind);
        match self.slot.compare_exchange(0, id.bits(), Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => id,
            Err(current) => {
                // Another thread won the race: give ours back.
                space.release(fresh);
                AtomId::from_bits(current)
            }
        }
    }

    pub(crate) fn add_holder(&self, holder: Holder) {
        let mut holders = self.holders.lock().unwrap_or_else(PoisonError::into_inner);
        // Stores that died leave dead entries behind; drop them whenever the list doubles.
        if holders.len() >= 8 && holders.len().is_power_of_two() {
            holders.retain(|h| match h {
                Holder::Store(w) => w.strong_count() > 0,
                Holder::Global => true,
            });
        }
        holders.push(holder);
    }
}

impl Drop for DefCore {
    fn drop(&mut self) {
        // Only run-time atoms die; declared ones live in statics.
        let Some(space) = self.space else { return };
        let bits = *self.slot.get_mut();
        if bits == 0 {
            return;
        }
        let id = AtomId::from_bits(bits);
        let slot = Slot { index: id.index(), gen: id.gen() };
        let holders = std::mem::take(self.holders.get_mut().unwrap_or_else(PoisonError::into_inner));
        for holder in holders {
            match holder {
                Holder::Store(weak) => {
                    if let Some(store) = weak.upgrade() {
                        store.forget(id);
                    }
                }
                Holder::Global => crate::store::global::forget(id),
            }
        }
        space.release(slot);
    }
}

impl fmt::Debug for DefCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Atom")
            .field("path", &&*self.path())
            .field("kind", &self.kind)
            .field("owner", &self.owner_name)
            .finish_non_exhaustive()
    }
}

/// A typed atom definition: `T` the value, `S` the owner, `A` the write argument.
#[doc(hidden)]
pub struct Def<T, S, A> {
    pub(crate) core: DefCore,
    ops: Ops<T>,
    pub(crate) body: Body<T, S, A>,
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

impl<T, S: Owner, A> Def<T, S, A> {
    /// A declared primitive atom (used by `declare_primitive!`).
    pub const fn primitive(
        name: &'static str,
        ident: &'static str,
        module: &'static str,
        init: fn() -> T,
        ops: fn() -> ValueOps<T>,
    ) -> Self {
        Def {
            core: DefCore::declared::<S>(name, ident, module, AtomKind::Primitive),
            ops: Ops { make: ops, cell: OnceLock::new() },
            body: Body::Primitive(Init::Fn(init)),
            teardown: Teardown::new(),
        }
    }

    /// A declared computed atom (used by `declare_computed!`).
    pub const fn computed(
        name: &'static str,
        ident: &'static str,
        module: &'static str,
        read: fn(&mut Reader<'_, S>) -> T,
        ops: fn() -> ValueOps<T>,
    ) -> Self {
        Def {
            core: DefCore::declared::<S>(name, ident, module, AtomKind::Computed),
            ops: Ops { make: ops, cell: OnceLock::new() },
            body: Body::Computed(ReadFn::Fn(read)),
            teardown: Teardown::new(),
        }
    }

    /// A declared writable atom (used by `declare_writable!`).
    pub const fn writable(
        name: &'static str,
        ident: &'static str,
        module: &'static str,
        read: fn(&mut Reader<'_, S>) -> T,
        write: fn(&mut Writer<'_, S>, A),
        ops: fn() -> ValueOps<T>,
    ) -> Self {
        Def {
            core: DefCore::declared::<S>(name, ident, module, AtomKind::Writable),
            ops: Ops { make: ops, cell: OnceLock::new() },
            body: Body::Writable(ReadFn::Fn(read), WriteFn::Fn(write)),
            teardown: Teardown::new(),
        }
    }

    pub(crate) fn runtime(
        name: Option<String>,
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
            core: DefCore::runtime::<S>(name, module, kind),
            ops: Ops { make: no_ops, cell: OnceLock::from(ops) },
            body,
            teardown: Teardown::new(),
        }
    }

    #[inline]
    pub(crate) fn ops(&self) -> &ValueOps<T> {
        self.ops.cell.get_or_init(self.ops.make)
    }
}

/// What a store needs of a definition without knowing its types.
#[doc(hidden)]
pub trait ErasedDef: Send + Sync + 'static {
    /// The untyped part.
    fn core(&self) -> &DefCore;
    /// `type_name` of the value.
    fn type_name(&self) -> &'static str;
    /// A primitive atom's initial value.
    #[doc(hidden)]
    fn init_value(&self) -> Value;
    /// A primitive atom's initial value, owned (a store's first value of it).
    #[doc(hidden)]
    fn init_owned(&self) -> crate::core::value_slot::Owned;
    /// Runs derived node `l`'s read function, records the sources it read, and stores the result unless
    /// it equals the current value (in place when nothing else shares the old one). Returns whether it
    /// changed.
    #[doc(hidden)]
    fn compute(&self, st: &mut State, shared: &StoreShared, l: u32) -> bool;
    /// Whether two values of this atom are equal (`false` for types without `PartialEq`).
    #[doc(hidden)]
    fn values_equal(&self, a: &(dyn Any + Send + Sync), b: &(dyn Any + Send + Sync)) -> bool;
    /// Shows a value through `Debug`, else as JSON (feature `serde`), else as `<type name>`.
    #[doc(hidden)]
    fn fmt_value(&self, v: &(dyn Any + Send + Sync), f: &mut fmt::Formatter<'_>) -> fmt::Result;
    /// The value as JSON, if the type is `Serialize`.
    #[cfg(feature = "serde")]
    #[doc(hidden)]
    fn encode_json(&self, v: &(dyn Any + Send + Sync)) -> Option<Result<serde_json::Value, String>>;
    /// A value from JSON, if the type is `Deserialize`.
    #[cfg(feature = "serde")]
    #[doc(hidden)]
    fn decode_json(&self, json: serde_json::Value) -> Option<Result<Value, String>>;
}

impl<T, S, A> ErasedDef for Def<T, S, A>
where
    T: Clone + Send + Sync + 'static,
    S: Owner,
    A: 'static,
{
    fn core(&self) -> &DefCore {
        &self.core
    }

    fn type_name(&self) -> &'static str {
        std::any::type_name::<T>()
    }

    fn init_owned(&self) -> crate::core::value_slot::Owned {
        match &self.body {
            Body::Primitive(Init::Fn(f)) => Box::new(f()),
            Body::Primitive(Init::Value(v)) => Box::new(v.clone()),
            Body::Primitive(Init::Boxed(f)) => Box::new(f()),
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
    fn compute(&self, st: &mut State, shared: &StoreShared, l: u32) -> bool {
        let read = match &self.body {
            Body::Computed(r) | Body::Writable(r, _) => r,
            Body::Primitive(_) => unreachable!("only derived atoms are computed"),
        };
        let mut reader = Reader::<S>::new(ReadCtx::new(st, shared, l));
        let new = match read {
            ReadFn::Fn(f) => f(&mut reader),
            ReadFn::Boxed(f) => f(&mut reader),
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
}

/// How a store refers to an atom's definition.
#[derive(Clone)]
pub(crate) enum NodeDef {
    Static(&'static dyn ErasedDef),
    Runtime(Weak<dyn ErasedDef>),
}

/// A definition held for the length of an operation.
#[derive(Clone)]
pub(crate) enum DefGuard {
    Static(&'static dyn ErasedDef),
    Runtime(Arc<dyn ErasedDef>),
}

impl NodeDef {
    pub(crate) fn upgrade(&self) -> Option<DefGuard> {
        match self {
            NodeDef::Static(d) => Some(DefGuard::Static(*d)),
            NodeDef::Runtime(w) => w.upgrade().map(DefGuard::Runtime),
        }
    }
}

impl std::ops::Deref for DefGuard {
    type Target = dyn ErasedDef;
    fn deref(&self) -> &Self::Target {
        match self {
            DefGuard::Static(d) => *d,
            DefGuard::Runtime(a) => &**a,
        }
    }
}
