//! Where a change came from: the source location of the store call that made it (`#[track_caller]`
//! through the store API, the generated store methods, `Writer`, `EffectCtx`, `Setter` and time travel)
//! and the label of an enclosing `labeled` call. Kept in thread-locals, and only while a tool watches the
//! store: with no plugin attached, a `set` pays one relaxed load of the store's `watched` flag.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::panic::Location;
use std::sync::Arc;

thread_local! {
    /// The innermost watched store call under way on this thread.
    static LOCATION: Cell<Option<&'static Location<'static>>> = const { Cell::new(None) };
    /// The innermost `labeled` call under way on this thread.
    static LABEL: RefCell<Option<Arc<str>>> = const { RefCell::new(None) };
}

/// Where a change came from: the file, line and column of the store call that made it (a `set`,
/// `update`, `reset`, `run`, `hydrate`, a `Writer`'s or an effect's write, a time-travel move), and the
/// label of the [`labeled`](crate::Store::labeled) call it was made in, if any.
///
/// Given to plugins with each change ([`Change::origin`](crate::Change::origin)) and each action run
/// ([`ActionRun::origin`](crate::ActionRun::origin)); shown by [`DevTools`](crate::DevTools)' log.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    location: &'static Location<'static>,
    label: Option<Arc<str>>,
}

impl Origin {
    /// The source location of the store call.
    pub fn location(&self) -> &'static Location<'static> {
        self.location
    }

    /// The source file of the store call (as the compiler names it: `src/main.rs`).
    pub fn file(&self) -> &'static str {
        self.location.file()
    }

    /// The line of the store call (from 1).
    pub fn line(&self) -> u32 {
        self.location.line()
    }

    /// The label of the enclosing [`labeled`](crate::Store::labeled) call.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }
}

impl fmt::Display for Origin {
    /// `src/main.rs:42:9`, or `"drag handle" at src/main.rs:42:9` with a label.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(label) = &self.label {
            write!(f, "{label:?} at ")?;
        }
        write!(f, "{}", self.location)
    }
}

impl fmt::Debug for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The origin of a change made now on this thread, if a watched store call is under way.
pub(crate) fn current() -> Option<Origin> {
    let location = LOCATION.with(Cell::get)?;
    Some(Origin { location, label: LABEL.with(|l| l.borrow().clone()) })
}

/// A watched store call under way: its location is the origin until it ends (an inner call's wins).
#[must_use]
pub(crate) enum Scope {
    /// The store is not watched: nothing was recorded.
    Off,
    /// Recorded; the origin to put back at the end.
    On(Option<&'static Location<'static>>),
}

/// Records `at` as the origin of what follows, if `watched`; nothing otherwise.
#[inline]
pub(crate) fn enter(watched: bool, at: &'static Location<'static>) -> Scope {
    if watched {
        Scope::On(LOCATION.with(|l| l.replace(Some(at))))
    } else {
        Scope::Off
    }
}

impl Drop for Scope {
    #[inline]
    fn drop(&mut self) {
        if let Scope::On(previous) = *self {
            LOCATION.with(|l| l.set(previous));
        }
    }
}

/// Runs `f` with `label` as the label of the changes it makes on this thread.
pub(crate) fn labeled<R>(label: Arc<str>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<str>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            LABEL.with(|l| *l.borrow_mut() = previous);
        }
    }
    let _restore = Restore(LABEL.with(|l| l.borrow_mut().replace(label)));
    f()
}
