//! A node's value. Owned outright while nothing outside the store needs it, so that a write is a plain
//! store through `&mut T` (no reference count to check); shared behind an `Arc` once a subscriber call,
//! a plugin event or a borrow outside the lock needs it, and written in place again whenever that
//! sharing has ended.

use std::any::Any;
use std::sync::Arc;

use crate::def::Value;

pub(crate) type Owned = Box<dyn Any + Send + Sync>;

#[derive(Default)]
pub(crate) enum ValueSlot {
    /// A derived node never computed, or a proxy (its value is in the global registry).
    #[default]
    Empty,
    Owned(Owned),
    Shared(Value),
}

impl ValueSlot {
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, ValueSlot::Empty)
    }

    /// The value, to read.
    #[inline]
    pub(crate) fn get(&self) -> Option<&(dyn Any + Send + Sync)> {
        match self {
            ValueSlot::Empty => None,
            ValueSlot::Owned(v) => Some(&**v),
            ValueSlot::Shared(v) => Some(&**v),
        }
    }

    /// The value, to write in place: always when owned, when shared only if nothing else holds it now.
    #[inline]
    pub(crate) fn get_mut(&mut self) -> Option<&mut (dyn Any + Send + Sync)> {
        match self {
            ValueSlot::Empty => None,
            ValueSlot::Owned(v) => Some(&mut **v),
            ValueSlot::Shared(v) => Arc::get_mut(v),
        }
    }

    /// The shared value, if it is shared already.
    pub(crate) fn shared(&self) -> Option<&Value> {
        match self {
            ValueSlot::Shared(v) => Some(v),
            _ => None,
        }
    }

    /// A shared handle to the value, moving an owned value behind an `Arc` first (once).
    pub(crate) fn share(&mut self) -> Option<Value> {
        if let ValueSlot::Owned(_) = self {
            let ValueSlot::Owned(v) = std::mem::take(self) else { unreachable!("matched above") };
            *self = ValueSlot::Shared(Arc::from(v));
        }
        self.shared().cloned()
    }

    /// Puts `new` in and hands back the old value as a shared one (for plugin events).
    pub(crate) fn replace(&mut self, new: Value) -> Option<Value> {
        match std::mem::replace(self, ValueSlot::Shared(new)) {
            ValueSlot::Empty => None,
            ValueSlot::Owned(v) => Some(Arc::from(v)),
            ValueSlot::Shared(v) => Some(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_values_are_written_in_place_and_shared_once() {
        let mut slot = ValueSlot::Owned(Box::new(1u64));
        *slot.get_mut().unwrap().downcast_mut::<u64>().unwrap() = 2;
        let a = slot.share().unwrap();
        assert_eq!(a.downcast_ref::<u64>(), Some(&2));
        // Shared and held elsewhere: no in-place write.
        assert!(slot.get_mut().is_none());
        let b = slot.share().unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        drop((a, b));
        // Sharing ended: in place again.
        *slot.get_mut().unwrap().downcast_mut::<u64>().unwrap() = 3;
        let old = slot.replace(Arc::new(4u64)).unwrap();
        assert_eq!(old.downcast_ref::<u64>(), Some(&3));
        assert_eq!(slot.get().unwrap().downcast_ref::<u64>(), Some(&4));
        assert!(ValueSlot::Empty.get().is_none());
    }
}
