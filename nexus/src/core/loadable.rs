//! [`Loadable`] and [`LoadError`]: the value of an atom that loads asynchronously, as every read sees it.

use std::error::Error;
use std::fmt;
use std::sync::Arc;

/// The state of an asynchronously loaded value: what `store.get(&ASYNC_ATOM)` returns, and what derived
/// atoms, subscribers and watches of it see. Never blocks: a value still loading is `Loading`.
///
/// While a new load runs (a dependency changed), the last value that loaded stays available through
/// [`latest`](Loadable::latest), as Jotai's `unwrap` with a fallback does.
#[derive(Clone, Debug, PartialEq)]
pub enum Loadable<T> {
    /// A load is under way (or waiting to be driven). `previous`: the last value that loaded, if any.
    Loading {
        /// The last value that loaded before this load began.
        previous: Option<T>,
    },
    /// The value loaded.
    Ready(T),
    /// The load failed (the future returned an error, or panicked).
    Failed {
        /// Why.
        error: LoadError,
        /// The last value that loaded before this load began.
        previous: Option<T>,
    },
}

impl<T> Loadable<T> {
    /// The loaded value, if the last load succeeded.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Loadable::Ready(v) => Some(v),
            _ => None,
        }
    }

    /// The loaded value, or while loading (or after a failure) the last value that loaded.
    pub fn latest(&self) -> Option<&T> {
        match self {
            Loadable::Ready(v) => Some(v),
            Loadable::Loading { previous } | Loadable::Failed { previous, .. } => previous.as_ref(),
        }
    }

    /// Whether a load is under way.
    pub fn is_loading(&self) -> bool {
        matches!(self, Loadable::Loading { .. })
    }

    /// The error of the last load, if it failed.
    pub fn error(&self) -> Option<&LoadError> {
        match self {
            Loadable::Failed { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Why an asynchronous load failed: the error its future returned, or the message of its panic. Cheap
/// to clone (shared).
#[derive(Clone)]
pub struct LoadError {
    inner: Arc<Inner>,
}

enum Inner {
    Failed(Box<dyn Error + Send + Sync>),
    Panicked(String),
}

impl LoadError {
    pub(crate) fn failed(error: impl Error + Send + Sync + 'static) -> Self {
        LoadError { inner: Arc::new(Inner::Failed(Box::new(error))) }
    }

    pub(crate) fn panicked(message: String) -> Self {
        LoadError { inner: Arc::new(Inner::Panicked(message)) }
    }

    /// Whether the load's future panicked (rather than returning an error).
    pub fn is_panic(&self) -> bool {
        matches!(*self.inner, Inner::Panicked(_))
    }

    /// The error the future returned, as its type, if it is an `E`.
    pub fn downcast_ref<E: Error + 'static>(&self) -> Option<&E> {
        match &*self.inner {
            Inner::Failed(e) => e.downcast_ref(),
            Inner::Panicked(_) => None,
        }
    }
}

impl PartialEq for LoadError {
    /// The same failure (clones of one error).
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.inner {
            Inner::Failed(e) => write!(f, "load failed: {e}"),
            Inner::Panicked(message) => write!(f, "load panicked: {message}"),
        }
    }
}

impl fmt::Debug for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.inner {
            Inner::Failed(e) => f.debug_tuple("LoadError::Failed").field(e).finish(),
            Inner::Panicked(message) => f.debug_tuple("LoadError::Panicked").field(message).finish(),
        }
    }
}

impl Error for LoadError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &*self.inner {
            Inner::Failed(e) => Some(&**e),
            Inner::Panicked(_) => None,
        }
    }
}
