//! A node's value. Owned outright while nothing outside the store needs it, so that a write is a plain
//! store through `&mut T` (no reference count to check); shared behind an `Arc` once a subscriber call,
//! a plugin event or a borrow outside the lock needs it, and written in place again whenever that
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

/// A value as stores hold it once it is shared: callbacks can see it after the store's lock is released.
pub(crate) type Value = Arc<dyn Any + Send + Sync>;

/// A value owned by one store outright.
pub(crate) type Owned = Box<dyn Any + Send + Sync>;

/// Invariant: when `value` is not `Empty`, `ty` is the `TypeId` of its concrete type. Only this module
/// writes the fields, and every write sets both from the same value.
pub(crate) struct ValueSlot {
    ty: TypeId,
    value: Payload,
}

enum Payload {
    /// A derived node never computed, or a proxy (its value is in the global registry).
    Empty,
    Owned(Owned),
    Shared(Value),
}

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
        ValueSlot { ty: TypeId::of::<T>(), value: Payload::Owned(Box::new(v)) }
    }

    /// A shared value of a type known only to the value (a global-mode store's copy of a `Global` atom).
    pub(crate) fn from_shared(v: Value) -> Self {
        ValueSlot { ty: (*v).type_id(), value: Payload::Shared(v) }
    }

    /// An owned value of a type known only to the value.
    pub(crate) fn from_owned(v: Owned) -> Self {
        ValueSlot { ty: (*v).type_id(), value: Payload::Owned(v) }
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self.value, Payload::Empty)
    }

    /// The value, to read without knowing its type.
    #[inline]
    pub(crate) fn get(&self) -> Option<&(dyn Any + Send + Sync)> {
        match &self.value {
            Payload::Empty => None,
            Payload::Owned(v) => Some(&**v),
            Payload::Shared(v) => Some(&**v),
        }
    }

    /// The value as a `T`; `None` if empty. Panics if the value is not a `T` (a bug in nexus).
    #[inline]
    pub(crate) fn typed<T: Any>(&self) -> Option<&T> {
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
        if let Payload::Owned(_) = self.value {
            let Payload::Owned(v) = std::mem::replace(&mut self.value, Payload::Empty) else {
                unreachable!("matched above")
            };
            // The type does not change: `ty` stays valid.
            self.value = Payload::Shared(Arc::from(v));
        }
        self.shared().cloned()
    }

    /// A shared handle to the value with its type identity (for subscriber calls).
    pub(crate) fn share_typed(&mut self) -> Option<SharedValue> {
        let value = self.share()?;
        Some(SharedValue { ty: self.ty, value })
    }

    /// Puts `new` in and hands back the old value as a shared one (for plugin events).
    pub(crate) fn replace(&mut self, new: Value) -> Option<Value> {
        self.ty = (*new).type_id();
        match std::mem::replace(&mut self.value, Payload::Shared(new)) {
            Payload::Empty => None,
            Payload::Owned(v) => Some(Arc::from(v)),
            Payload::Shared(v) => Some(v),
        }
    }
}

/// A shared value with its `TypeId` beside it, for typed reads after the store's lock is released
/// (subscriber calls). Invariant: `ty` is the `TypeId` of `value`'s concrete type.
pub(crate) struct SharedValue {
    ty: TypeId,
    value: Value,
}

impl SharedValue {
    /// Wraps a value whose type only the value knows (asked once, through its vtable).
    #[cfg(test)]
    pub(crate) fn new(value: Value) -> Self {
        SharedValue { ty: (*value).type_id(), value }
    }

    /// The value as a `T`. Panics if it is not a `T` (a bug in nexus).
    #[inline]
    pub(crate) fn typed<T: Any>(&self) -> &T {
        assert!(self.ty == TypeId::of::<T>(), "an atom's value has the atom's type");
        debug_assert!(self.value.is::<T>());
        let ptr = std::ptr::from_ref::<dyn Any + Send + Sync>(&*self.value).cast::<T>();
        // SAFETY: as in `ValueSlot::typed`: `ty` is the value's concrete type (this type's invariant, set
        // by its two constructors) and equals `TypeId::of::<T>()`; the `Arc` keeps the value alive for
        // the borrow of `self`.
        #[allow(unsafe_code)]
        unsafe {
            &*ptr
        }
    }
}

impl Clone for SharedValue {
    fn clone(&self) -> Self {
        SharedValue { ty: self.ty, value: self.value.clone() }
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
        let boxed = ValueSlot::from_owned(Box::new(5i32));
        assert_eq!(boxed.typed::<i32>(), Some(&5));
        assert!(ValueSlot::empty().get().is_none());
        assert!(ValueSlot::empty().typed::<u64>().is_none());
        let shared = slot.share_typed().unwrap();
        assert_eq!(shared.clone().typed::<String>(), "four");
        assert_eq!(SharedValue::new(Arc::new(6u8)).typed::<u8>(), &6);
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
