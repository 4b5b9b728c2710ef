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
    #[cfg(feature = "serde")]
    pub(crate) to_json: Option<ToJson<T>>,
    #[cfg(feature = "serde")]
    pub(crate) from_json: Option<FromJson<T>>,
}

/// Serialises a value to JSON.
#[cfg(feature = "serde")]
pub type ToJson<T> = fn(&T) -> Result<serde_json::Value, String>;
/// Deserialises a value from JSON.
#[cfg(feature = "serde")]
pub type FromJson<T> = fn(serde_json::Value) -> Result<T, String>;

impl<T> ValueOps<T> {
    /// How a value is shown, if its type has `Debug` (the `Fields` derive hands it to list elements).
    #[doc(hidden)]
    pub fn debug_fn(&self) -> Option<fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result> {
        self.debug
    }

    /// Ops from what the declaration site detected.
    pub const fn new(
        eq: Option<fn(&T, &T) -> bool>,
        debug: Option<fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result>,
    ) -> Self {
        ValueOps {
            eq,
            debug,
            #[cfg(feature = "serde")]
            to_json: None,
            #[cfg(feature = "serde")]
            from_json: None,
        }
    }

    /// Adds JSON conversions (feature `serde`).
    #[cfg(feature = "serde")]
    #[must_use]
    pub const fn with_json(mut self, to_json: Option<ToJson<T>>, from_json: Option<FromJson<T>>) -> Self {
        self.to_json = to_json;
        self.from_json = from_json;
        self
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

    #[cfg(feature = "serde")]
    pub use self::json::*;

    #[cfg(feature = "serde")]
    mod json {
        use super::Probe;
        use crate::core::value_ops::{FromJson, ToJson};

        /// Picked when `T: Serialize`.
        pub trait ToJsonViaSerialize<T> {
            /// `Some(serde_json::to_value)`.
            fn __nexus_to_json(&self) -> Option<ToJson<T>>;
        }
        impl<T: serde::Serialize> ToJsonViaSerialize<T> for &Probe<T> {
            fn __nexus_to_json(&self) -> Option<ToJson<T>> {
                Some(|v| serde_json::to_value(v).map_err(|e| e.to_string()))
            }
        }

        /// Picked otherwise.
        pub trait ToJsonFallback<T> {
            /// `None`.
            fn __nexus_to_json(&self) -> Option<ToJson<T>>;
        }
        impl<T> ToJsonFallback<T> for Probe<T> {
            fn __nexus_to_json(&self) -> Option<ToJson<T>> {
                None
            }
        }

        /// Picked when `T: Deserialize<'static>`. (Not `DeserializeOwned`: for a type with a lifetime, such
        /// as `&'static str`, autoref specialisation would pick that impl and then fail to compile. Such a
        /// type is decoded from interned text: see `decode`.)
        pub trait FromJsonViaDeserialize<T> {
            /// `Some(T::deserialize)` from a JSON value.
            fn __nexus_from_json(&self) -> Option<FromJson<T>>;
        }
        impl<T: serde::Deserialize<'static>> FromJsonViaDeserialize<T> for &Probe<T> {
            fn __nexus_from_json(&self) -> Option<FromJson<T>> {
                Some(crate::core::value_ops::decode::<T>)
            }
        }

        /// Picked otherwise.
        pub trait FromJsonFallback<T> {
            /// `None`.
            fn __nexus_from_json(&self) -> Option<FromJson<T>>;
        }
        impl<T> FromJsonFallback<T> for Probe<T> {
            fn __nexus_from_json(&self) -> Option<FromJson<T>> {
                None
            }
        }
    }
}

/// How many distinct JSON texts [`decode`] keeps for types that borrow (`&'static str`), and their total
/// size: a bound on what hydrating such atoms can ever keep, whatever snapshots arrive.
#[cfg(feature = "serde")]
const INTERNED_MAX: (usize, usize) = (1_024, 256 * 1024);

/// Decodes a `T` from JSON. A type that borrows from its input (`&'static str`, or a struct holding one)
/// cannot be made from an owned JSON value: serde says it expected a *borrowed* string. For those, the
/// value's JSON text is interned (kept for the life of the process, each distinct text once, at most
/// [`INTERNED_MAX`]) and decoded from there, so an atom holding one of the program's string literals
/// hydrates like any other.
#[cfg(feature = "serde")]
fn decode<T: serde::Deserialize<'static>>(v: serde_json::Value) -> Result<T, String> {
    if !holds_string(&v) {
        return serde_path_to_error::deserialize(v).map_err(|e| at_path(&e));
    }
    let first = match serde_path_to_error::deserialize(v.clone()) {
        Ok(t) => return Ok(t),
        Err(e) => at_path(&e),
    };
    if !first.contains("borrowed") {
        return Err(first);
    }
    let text = intern(v.to_string()).ok_or_else(|| {
        format!(
            "{first} (values of types that borrow, like `&'static str`, are interned, and the pool of {} \
             texts is full: use `String`)",
            INTERNED_MAX.0
        )
    })?;
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(text)).map_err(|e| at_path(&e))
}

/// What the decoder said, after where inside the value it was: `[0].id: invalid type: …, expected u64`
/// (nothing before it when the value itself is wrong).
#[cfg(feature = "serde")]
pub(crate) fn at_path<E: fmt::Display>(e: &serde_path_to_error::Error<E>) -> String {
    let path = e.path().to_string();
    if path == "." {
        e.inner().to_string()
    } else {
        format!("{path}: {}", e.inner())
    }
}

/// Whether a string is anywhere in `v` (only strings can need borrowing).
#[cfg(feature = "serde")]
fn holds_string(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(_) => true,
        serde_json::Value::Array(items) => items.iter().any(holds_string),
        serde_json::Value::Object(map) => map.values().any(holds_string),
        _ => false,
    }
}

/// `text`, kept for the rest of the process (once per distinct text), or `None` once the pool is full.
#[cfg(feature = "serde")]
fn intern(text: String) -> Option<&'static str> {
    use std::collections::HashSet;
    use std::sync::{Mutex, PoisonError};
    static POOL: Mutex<Option<(HashSet<&'static str>, usize)>> = Mutex::new(None);
    let mut pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
    let (texts, bytes) = pool.get_or_insert_with(|| (HashSet::new(), 0));
    if let Some(&kept) = texts.get(text.as_str()) {
        return Some(kept);
    }
    if texts.len() >= INTERNED_MAX.0 || *bytes + text.len() > INTERNED_MAX.1 {
        return None;
    }
    *bytes += text.len();
    let kept: &'static str = Box::leak(text.into_boxed_str());
    texts.insert(kept);
    Some(kept)
}
