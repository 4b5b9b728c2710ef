//! How a value type is compared and shown, recorded where the concrete type is known.
//!
//! `atom!` knows every atom's concrete type, so it picks these at the declaration site with autoref
//! specialisation: `PartialEq` when the type has it (equal writes are then not changes), `Debug` when the
//! type has it (for tools and `Debug` output). No bound is imposed on users' types.

use std::fmt;
use std::marker::PhantomData;

/// Equality and rendering functions for one value type; `None` where the type lacks the trait.
#[doc(hidden)]
pub struct ValueOps<T> {
    pub(crate) eq: Option<fn(&T, &T) -> bool>,
    pub(crate) debug: Option<fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result>,
}

impl<T> ValueOps<T> {
    /// Ops from what the declaration site detected.
    pub const fn new(
        eq: Option<fn(&T, &T) -> bool>,
        debug: Option<fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result>,
    ) -> Self {
        ValueOps { eq, debug }
    }
}

impl<T> Clone for ValueOps<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ValueOps<T> {}

/// Autoref-specialisation probes used by `value_ops!`.
#[doc(hidden)]
pub mod probe {
    use super::{fmt, PhantomData};

    /// The receiver of the probe methods.
    pub struct Probe<T>(PhantomData<fn() -> T>);

    impl<T> Probe<T> {
        /// The probe value.
        pub const NEW: Self = Probe(PhantomData);
    }

    /// Picked when `T: PartialEq`.
    pub trait EqViaPartialEq<T> {
        /// `Some(PartialEq::eq)`.
        fn __nexus_eq(&self) -> Option<fn(&T, &T) -> bool>;
    }
    impl<T: PartialEq> EqViaPartialEq<T> for &Probe<T> {
        fn __nexus_eq(&self) -> Option<fn(&T, &T) -> bool> {
            Some(<T as PartialEq>::eq)
        }
    }

    /// Picked otherwise: every write is a change.
    pub trait EqFallback<T> {
        /// `None`.
        fn __nexus_eq(&self) -> Option<fn(&T, &T) -> bool>;
    }
    impl<T> EqFallback<T> for Probe<T> {
        fn __nexus_eq(&self) -> Option<fn(&T, &T) -> bool> {
            None
        }
    }

    /// Picked when `T: Debug`.
    pub trait DebugViaDebug<T> {
        /// `Some(Debug::fmt)`.
        fn __nexus_debug(&self) -> Option<fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result>;
    }
    impl<T: fmt::Debug> DebugViaDebug<T> for &Probe<T> {
        fn __nexus_debug(&self) -> Option<fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result> {
            Some(<T as fmt::Debug>::fmt)
        }
    }

    /// Picked otherwise: values show as their type name.
    pub trait DebugFallback<T> {
        /// `None`.
        fn __nexus_debug(&self) -> Option<fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result>;
    }
    impl<T> DebugFallback<T> for Probe<T> {
        fn __nexus_debug(&self) -> Option<fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result> {
            None
        }
    }
}

/// Expands to a `fn() -> ValueOps<$ty>` chosen for the concrete type `$ty`.
#[doc(hidden)]
#[macro_export]
macro_rules! __nexus_value_ops {
    ($ty:ty) => {{
        fn __nexus_ops() -> $crate::__private::ValueOps<$ty> {
            #[allow(unused_imports)]
            use $crate::__private::probe::{
                DebugFallback as _, DebugViaDebug as _, EqFallback as _, EqViaPartialEq as _,
            };
            let probe = &&$crate::__private::probe::Probe::<$ty>::NEW;
            $crate::__private::ValueOps::new(probe.__nexus_eq(), probe.__nexus_debug())
        }
        __nexus_ops as fn() -> $crate::__private::ValueOps<$ty>
    }};
}
