//! A node's value. Owned outright while nothing outside the store needs it, so that a write is a plain
//! store through `&mut T` (no reference count to check), and a word-sized value (an integer, a float, a
//! `bool`, a `char`) in the slot itself, with no allocation; shared behind an `Arc` once a subscriber
//! call, a plugin event or a borrow outside the lock needs it, and written in place again whenever that
//! sharing has ended.
//!
//! The slot also keeps the value's `TypeId` next to it. Typed access compares that field with
//! `TypeId::of::<T>()` instead of asking the value through its vtable (`dyn Any::downcast_ref`): the
//! virtual `type_id` call returns its 16 bytes through the stack, and reading them back stalled every
//! typed access on the bench machine (`set` of a `u64`: 25–30 ns with the virtual check, 10 ns without;
//! see BENCHMARKS.md). The one `unsafe` cast below relies on this module's invariant, stated and
//! checked in debug builds where it is used.

use std::any::{Any, TypeId};
use std::sync::Arc;

use crate::core::words::Word;

/// A value as stores hold it once it is shared: callbacks can see it after the store's lock is released.
pub(crate) type Value = Arc<dyn Any + Send + Sync>;

/// A value owned by one store outright.
pub(crate) type Owned = Box<dyn Any + Send + Sync>;

/// Invariant: when `value` is not `Empty`, `ty` is the `TypeId` of its concrete type. Only this module
/// writes the fields, and every write sets both from the same value. (`pub` only so that the hidden
/// `ErasedDef` trait can name it; the module is private, so users cannot.)
#[doc(hidden)]
pub struct ValueSlot {
    ty: TypeId,
    value: Payload,
}

enum Payload {
    /// A derived node never computed, or a proxy (its value is in the global registry).
    Empty,
    /// A word-sized value (an integer, a float, a `bool` or a `char`) held in the slot itself: no
    /// allocation, and no pointer to follow when an evaluation reads it (a cache miss per read in
    /// graphs larger than the cache).
    Inline(Inline),
    Owned(Owned),
    Shared(Value),
}

macro_rules! inline_types {
    ($($variant:ident($t:ty)),* $(,)?) => {
        /// A word-sized value by value (see [`Payload::Inline`]). Its variants are *the* word types: the
        /// word cells of `core::words` take the same ones, through the functions below.
        #[derive(Clone, Copy)]
        pub(crate) enum Inline {
            $($variant($t),)*
        }

        impl Inline {
            /// Whether `T` is a word type (resolved at compile time for each `T`).
            #[inline]
            pub(crate) fn is<T: Any>() -> bool {
                let ty = TypeId::of::<T>();
                $(ty == TypeId::of::<$t>())||*
            }

            /// `v` if its type is a word type (resolved at compile time for each `T`).
            #[inline]
            pub(crate) fn of<T: Any>(v: &T) -> Option<Inline> {
                let ty = TypeId::of::<T>();
                $(
                    if ty == TypeId::of::<$t>() {
                        return (v as &dyn Any).downcast_ref::<$t>().map(|v| Inline::$variant(*v));
                    }
                )*
                None
            }


            /// The value as a `T`, if it is one: for a concrete `T` this compiles to one check of the
            /// variant (no dispatch over all of them).
            #[inline]
            pub(crate) fn typed<T: Any>(&self) -> Option<&T> {
                let ty = TypeId::of::<T>();
                $(
                    if ty == TypeId::of::<$t>() {
                        return match self {
                            Inline::$variant(v) => (v as &dyn Any).downcast_ref::<T>(),
                            #[allow(unreachable_patterns)]
                            _ => None,
                        };
                    }
                )*
                None
            }

            #[inline]
            fn typed_mut<T: Any>(&mut self) -> Option<&mut T> {
                let ty = TypeId::of::<T>();
                $(
                    if ty == TypeId::of::<$t>() {
                        return match self {
                            Inline::$variant(v) => (v as &mut dyn Any).downcast_mut::<T>(),
                            #[allow(unreachable_patterns)]
                            _ => None,
                        };
                    }
                )*
                None
            }

            #[inline]
            fn as_any(&self) -> &(dyn Any + Send + Sync) {
                match self {
                    $(Inline::$variant(v) => v,)*
                }
            }

            /// `v` if its type (known to the value only) is a word type.
            #[inline]
            pub(crate) fn of_any(v: &dyn Any) -> Option<Inline> {
                let ty = v.type_id();
                $(
                    if ty == TypeId::of::<$t>() {
                        return v.downcast_ref::<$t>().map(|v| Inline::$variant(*v));
                    }
                )*
                None
            }

            /// The value as the bits of a word (`core::words`).
            #[inline]
            pub(crate) fn bits(self) -> u64 {
                match self {
                    $(Inline::$variant(v) => Word::to_bits(v),)*
                }
            }

            /// A `T` from the bits [`bits`](Self::bits) made of one, if `T` is a word type (resolved
            /// at compile time for each `T`).
            #[inline]
            pub(crate) fn from_bits<T: Any + Clone>(bits: u64) -> Option<T> {
                let ty = TypeId::of::<T>();
                $(
                    if ty == TypeId::of::<$t>() {
                        return (&<$t as Word>::from_bits(bits) as &dyn Any).downcast_ref::<T>().cloned();
                    }
                )*
                None
            }

            /// The value behind an `Arc`, to be shared.
            fn to_shared(self) -> Value {
                match self {
                    $(Inline::$variant(v) => Arc::new(v),)*
                }
            }
        }
    };
}

inline_types!(
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    Usize(usize),
    I8(i8),
    I16(i16),
    I32(i32),
    I64(i64),
    Isize(isize),
    Bool(bool),
    Char(char),
    F32(f32),
    F64(f64),
);

impl Default for ValueSlot {
    fn default() -> Self {
        ValueSlot::empty()
    }
}

impl ValueSlot {
    /// No value (its `ty` means nothing).
    pub(crate) fn empty() -> Self {
        ValueSlot { ty: TypeId::of::<()>(), value: Payload::Empty }
    }

    /// An owned value of known type.
    #[inline]
    pub(crate) fn owned<T: Any + Send + Sync>(v: T) -> Self {
        let value = match Inline::of(&v) {
            Some(inline) => Payload::Inline(inline),
            None => Payload::Owned(Box::new(v)),
        };
        ValueSlot { ty: TypeId::of::<T>(), value }
    }

    /// A shared value of a type known only to the value (a global-mode store's copy of a `Global` atom).
    pub(crate) fn from_shared(v: Value) -> Self {
        ValueSlot { ty: (*v).type_id(), value: Payload::Shared(v) }
    }

    /// A copy of the value, if it is a word-sized value held in the slot.
    #[inline]
    pub(crate) fn inline(&self) -> Option<Inline> {
        match self.value {
            Payload::Inline(v) => Some(v),
            _ => None,
        }
    }

    /// The value as the bits of a word, if it is a word-sized value held in the slot.
    #[inline]
    pub(crate) fn word_bits(&self) -> Option<u64> {
        match self.value {
            Payload::Inline(v) => Some(v.bits()),
            _ => None,
        }
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self.value, Payload::Empty)
    }

    /// The value, to read without knowing its type.
    #[inline]
    pub(crate) fn get(&self) -> Option<&(dyn Any + Send + Sync)> {
        value_ref(&self.value)
    }

    /// The value as a `T`; `None` if empty. Panics if the value is not a `T` (a bug in nexus).
    #[inline]
    pub(crate) fn typed<T: Any>(&self) -> Option<&T> {
        if let Payload::Inline(v) = &self.value {
            // Safe code: the variant says the type.
            let v = v.typed::<T>();
            assert!(v.is_some(), "an atom's value has the atom's type");
            return v;
        }
        let v = self.get()?;
        assert!(self.ty == TypeId::of::<T>(), "an atom's value has the atom's type");
        debug_assert!(v.is::<T>());
        let ptr = std::ptr::from_ref::<dyn Any + Send + Sync>(v).cast::<T>();
        // SAFETY: `ty` is the `TypeId` of the value's concrete type (this module's invariant) and equals
        // `TypeId::of::<T>()` (asserted above), so `ptr` points to a live, initialised `T`, borrowed
        // from `self` for the returned lifetime. The same check-then-cast that `dyn Any` does, with the
        // type identity read from the slot instead of through the vtable.
        #[allow(unsafe_code)]
        Some(unsafe { &*ptr })
    }

    /// The value as a `&mut T`, to write in place: when owned, or when shared but held by nothing else
    /// now. Panics if the value is not a `T` (a bug in nexus).
    #[inline]
    pub(crate) fn typed_mut<T: Any>(&mut self) -> Option<&mut T> {
        let v: &mut (dyn Any + Send + Sync) = match &mut self.value {
            Payload::Empty => return None,
            Payload::Inline(v) => {
                let v = v.typed_mut::<T>();
                assert!(v.is_some(), "an atom's value has the atom's type");
                return v;
            }
            Payload::Owned(v) => &mut **v,
            Payload::Shared(v) => Arc::get_mut(v)?,
        };
        assert!(self.ty == TypeId::of::<T>(), "an atom's value has the atom's type");
        debug_assert!(v.is::<T>());
        let ptr = std::ptr::from_mut::<dyn Any + Send + Sync>(v).cast::<T>();
        // SAFETY: as in `typed`; the pointer comes from a unique borrow (`&mut self`, and for a shared
        // value `Arc::get_mut` proved no other reference exists), so the `&mut T` is unique.
        #[allow(unsafe_code)]
        Some(unsafe { &mut *ptr })
    }

    /// The shared value, if it is shared already.
    pub(crate) fn shared(&self) -> Option<&Value> {
        match &self.value {
            Payload::Shared(v) => Some(v),
            _ => None,
        }
    }

    /// A shared handle to the value, moving an owned value behind an `Arc` first (once).
    pub(crate) fn share(&mut self) -> Option<Value> {
        // The type does not change: `ty` stays valid.
        match std::mem::replace(&mut self.value, Payload::Empty) {
            Payload::Owned(v) => self.value = Payload::Shared(Arc::from(v)),
            // Shared from now on (written in place again once the sharing ends, as an owned value is).
            Payload::Inline(v) => self.value = Payload::Shared(v.to_shared()),
            other => self.value = other,
        }
        self.shared().cloned()
    }

    /// The value for subscriber calls made after the lock is released: a copy of a word-sized value (no
    /// reference count to touch, and the slot stays as it is), else a shared handle with its type
    /// identity.
    pub(crate) fn share_typed(&mut self) -> Option<SharedValue> {
        if let Payload::Inline(v) = self.value {
            return Some(SharedValue::Inline(v));
        }
        let value = self.share()?;
        Some(SharedValue::Shared { ty: self.ty, value })
    }

    /// Puts `new` in and hands back the old value as a shared one (for plugin events).
    pub(crate) fn replace(&mut self, new: Value) -> Option<Value> {
        self.ty = (*new).type_id();
        match std::mem::replace(&mut self.value, Payload::Shared(new)) {
            Payload::Empty => None,
            Payload::Inline(v) => Some(v.to_shared()),
            Payload::Owned(v) => Some(Arc::from(v)),
            Payload::Shared(v) => Some(v),
        }
    }
}

#[inline]
fn value_ref(value: &Payload) -> Option<&(dyn Any + Send + Sync)> {
    match value {
        Payload::Empty => None,
        Payload::Inline(v) => Some(v.as_any()),
        Payload::Owned(v) => Some(&**v),
        Payload::Shared(v) => Some(&**v),
    }
}

/// A value for typed reads after the store's lock is released (subscriber calls): a word-sized value
/// by copy, or a shared value with its `TypeId` beside it (invariant: `ty` is the `TypeId` of `value`'s
/// concrete type).
#[derive(Clone)]
pub(crate) enum SharedValue {
    Inline(Inline),
    Shared { ty: TypeId, value: Value },
}

impl SharedValue {
    /// Wraps a value whose type only the value knows (asked once, through its vtable).
    #[cfg(test)]
    pub(crate) fn new(value: Value) -> Self {
        SharedValue::Shared { ty: (*value).type_id(), value }
    }

    /// The value as a `T`. Panics if it is not a `T` (a bug in nexus).
    #[inline]
    pub(crate) fn typed<T: Any>(&self) -> &T {
        let (ty, value) = match self {
            SharedValue::Inline(v) => return v.typed::<T>().expect("an atom's value has the atom's type"),
            SharedValue::Shared { ty, value } => (ty, value),
        };
        assert!(*ty == TypeId::of::<T>(), "an atom's value has the atom's type");
        debug_assert!(value.is::<T>());
        let ptr = std::ptr::from_ref::<dyn Any + Send + Sync>(&**value).cast::<T>();
        // SAFETY: as in `ValueSlot::typed`: `ty` is the value's concrete type (this type's invariant, set
        // where it is made) and equals `TypeId::of::<T>()`; the `Arc` keeps the value alive for the
        // borrow of `self`.
        #[allow(unsafe_code)]
        unsafe {
            &*ptr
        }
    }
}

/// A shared value as the atom's type (a mismatch is a bug in nexus, not in the caller).
#[inline]
pub(crate) fn downcast<T: 'static>(v: &Value) -> &T {
    downcast_ref(&**v)
}

#[inline]
pub(crate) fn downcast_ref<T: 'static>(v: &(dyn Any + Send + Sync)) -> &T {
    v.downcast_ref::<T>().expect("an atom's value has the atom's type")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_values_are_written_in_place_and_shared_once() {
        let mut slot = ValueSlot::owned(1u64);
        *slot.typed_mut::<u64>().unwrap() = 2;
        let a = slot.share().unwrap();
        assert_eq!(a.downcast_ref::<u64>(), Some(&2));
        assert_eq!(slot.typed::<u64>(), Some(&2));
        // Shared and held elsewhere: no in-place write.
        assert!(slot.typed_mut::<u64>().is_none());
        let b = slot.share().unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        drop((a, b));
        // Sharing ended: in place again.
        *slot.typed_mut::<u64>().unwrap() = 3;
        let old = slot.replace(Arc::new(String::from("four"))).unwrap();
        assert_eq!(old.downcast_ref::<u64>(), Some(&3));
        assert_eq!(slot.typed::<String>().map(String::as_str), Some("four"));
        assert!(ValueSlot::empty().get().is_none());
        assert!(ValueSlot::empty().typed::<u64>().is_none());
        let shared = slot.share_typed().unwrap();
        assert_eq!(shared.clone().typed::<String>(), "four");
        assert_eq!(SharedValue::new(Arc::new(6u8)).typed::<u8>(), &6);
    }

    #[test]
    fn word_values_are_held_in_the_slot_until_shared() {
        let mut slot = ValueSlot::owned(-3i64);
        assert!(matches!(slot.value, Payload::Inline(Inline::I64(-3))));
        *slot.typed_mut::<i64>().unwrap() -= 1;
        assert_eq!(slot.typed::<i64>(), Some(&-4));
        let copy = slot.share_typed().unwrap();
        assert_eq!(copy.typed::<i64>(), &-4);
        *slot.typed_mut::<i64>().unwrap() = 5;
        assert_eq!(copy.typed::<i64>(), &-4, "subscribers get a copy: the slot stays in place");
        let shared = slot.share().unwrap();
        assert_eq!(shared.downcast_ref::<i64>(), Some(&5));
        assert!(slot.typed_mut::<i64>().is_none(), "shared and held elsewhere");
        drop(shared);
        *slot.typed_mut::<i64>().unwrap() = 9;
        assert_eq!(slot.typed::<i64>(), Some(&9));
        let letter = ValueSlot::owned('x');
        assert!(matches!(letter.value, Payload::Inline(Inline::Char('x'))));
        assert_eq!(letter.typed::<char>(), Some(&'x'));
        assert_eq!(letter.word_bits(), Some(u64::from('x')));
        let mut float = ValueSlot::owned(0.5f32);
        let old = float.replace(Arc::new(1.5f32)).unwrap();
        assert_eq!(old.downcast_ref::<f32>(), Some(&0.5));
        assert_eq!(float.typed::<f32>(), Some(&1.5));
        assert!(matches!(ValueSlot::owned(String::new()).value, Payload::Owned(_)));
        assert!(matches!(ValueSlot::owned(vec![1u8]).value, Payload::Owned(_)));
        assert_eq!(ValueSlot::owned(vec![1u8]).word_bits(), None);
        for v in [
            ValueSlot::owned(true),
            ValueSlot::owned(7u8),
            ValueSlot::owned(usize::MAX),
            ValueSlot::owned(1.0f64),
        ] {
            assert!(matches!(v.value, Payload::Inline(_)));
        }
    }

    #[test]
    #[should_panic(expected = "an atom's value has the atom's type")]
    fn a_typed_read_of_another_type_panics() {
        let slot = ValueSlot::owned(1u64);
        let _ = slot.typed::<i64>();
    }

    #[test]
    #[should_panic(expected = "an atom's value has the atom's type")]
    fn a_typed_write_of_another_type_panics() {
        let mut slot = ValueSlot::owned(String::new());
        let _ = slot.typed_mut::<Vec<u8>>();
    }
}
