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
///
/// It shows (`Display`) the returned error's own message, with nothing added. Like [`std::io::Error`]
/// made from a custom error it is *transparent*: [`source`](Error::source) is the returned error's own
/// source, so that a report that prints each error of a chain does not print the message twice. The
/// returned error itself is [`get_ref`](LoadError::get_ref), and as its concrete type
/// [`downcast_ref`](LoadError::downcast_ref).
///
/// ```
/// # nexus::store! { pub struct Page; }
/// #[derive(Debug, PartialEq)]
/// struct NotFound(u32);
/// impl std::fmt::Display for NotFound {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "no user {}", self.0) }
/// }
/// impl std::error::Error for NotFound {}
///
/// let user = nexus::AsyncComputed::<String, Page>::new(|_| async { Err::<String, _>(NotFound(7)) });
/// let error = futures::executor::block_on(Page::new().load(&user)).unwrap_err();
/// assert_eq!(error.to_string(), "no user 7");
/// assert_eq!(error.downcast_ref::<NotFound>(), Some(&NotFound(7)));
/// ```
#[derive(Clone)]
pub struct LoadError {
    inner: Arc<Inner>,
}

enum Inner {
    Failed(Box<dyn Error + Send + Sync>),
    Panicked(String),
}

/// An error type an async atom's future may return: every `E: Into<Box<dyn Error + Send + Sync>>`.
///
/// That is: any type implementing `std::error::Error + Send + Sync + 'static`,
/// `Box<dyn Error + Send + Sync>` (what `?` gives in most applications), `String`, `&str`, and types
/// such as `anyhow::Error` that convert into a boxed error without being one. The error becomes a
/// [`LoadError`]; a concrete error type stays reachable with [`LoadError::downcast_ref`] (a `String` or
/// `&str` error keeps its text only, as the message; an `anyhow::Error` keeps its message and sources
/// but does not downcast: see [`LoadError::downcast_ref`]).
///
/// Implemented for every such type, never by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the error type of an async atom",
    label = "this function's future returns `Result<_, {Self}>`",
    note = "an async atom's future may fail with any `E: Into<Box<dyn std::error::Error + Send + Sync>>`: a type implementing `std::error::Error + Send + Sync + 'static`, `Box<dyn Error + Send + Sync>`, `String`, `&str` or `anyhow::Error`"
)]
pub trait IntoLoadError {
    #[doc(hidden)]
    fn __into_load_error(self) -> LoadError;
}

// `do_not_recommend`: a type that fails the bound is reported with the message above, not as a missing
// `Into<Box<dyn Error + Send + Sync>>` deep inside nexus.
#[diagnostic::do_not_recommend]
impl<E: Into<Box<dyn Error + Send + Sync>>> IntoLoadError for E {
    fn __into_load_error(self) -> LoadError {
        LoadError { inner: Arc::new(Inner::Failed(self.into())) }
    }
}

impl LoadError {
    pub(crate) fn panicked(message: String) -> Self {
        LoadError { inner: Arc::new(Inner::Panicked(message)) }
    }

    /// Whether the load's future panicked (rather than returning an error).
    pub fn is_panic(&self) -> bool {
        matches!(*self.inner, Inner::Panicked(_))
    }

    /// The error the future returned, boxed as it was converted (`None` if the future panicked). A
    /// `String` or `&str` error is a private type of std here, showing the text.
    pub fn get_ref(&self) -> Option<&(dyn Error + Send + Sync + 'static)> {
        match &*self.inner {
            Inner::Failed(e) => Some(&**e),
            Inner::Panicked(_) => None,
        }
    }

    /// The error the future returned, as its type, if it is an `E`.
    ///
    /// An `anyhow::Error` downcasts to nothing here, not even the error it was made from: its
    /// conversion into `Box<dyn Error + Send + Sync>` (anyhow's `into_boxed_dyn_error`) boxes a private
    /// wrapper type of anyhow's. Its message (`to_string()`, a context if it has one), [`get_ref`](Self::get_ref)
    /// and `source()` chain stay. To downcast, fail with
    /// `e.reallocate_into_boxed_dyn_error_without_backtrace()` instead of `e`: that boxes the error `e`
    /// was made from (one with a `.context(…)` stays anyhow's context type), without anyhow's backtrace.
    pub fn downcast_ref<E: Error + 'static>(&self) -> Option<&E> {
        self.get_ref()?.downcast_ref()
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
            // The error's own message: the user's text, not doubled by a prefix of ours.
            Inner::Failed(e) => fmt::Display::fmt(e, f),
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

/// Transparent: the source is the returned error's own source (its message is this error's).
impl Error for LoadError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &*self.inner {
            Inner::Failed(e) => e.source(),
            Inner::Panicked(_) => None,
        }
    }
}
