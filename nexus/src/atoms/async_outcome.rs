//! The outcome of an async atom's last finished load in one store, as its outcome part holds it (a
//! primitive atom named like the async atom itself): what reads turn into a [`Loadable`], what tools show,
//! what snapshots and time travel carry.

use std::fmt;

use crate::core::loadable::{LoadError, Loadable};
use crate::core::value_ops::ValueOps;

/// The last finished load of one store: `ticket` 0 before any.
#[derive(Clone)]
pub(super) struct Outcome<T> {
    pub(super) ticket: u64,
    pub(super) result: Option<Result<T, LoadError>>,
    pub(super) last_ready: Option<T>,
    /// How to show a loaded value (`T`'s `Debug`, if it has one): tools render outcomes.
    pub(super) show: Option<fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result>,
}

impl<T: Clone> Outcome<T> {
    pub(super) fn none(show: Option<fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result>) -> Self {
        Outcome { ticket: 0, result: None, last_ready: None, show }
    }

    /// What a read sees when the store's current load has ticket `current`.
    pub(super) fn loadable(&self, current: u64) -> Loadable<T> {
        let previous = self.last_ready.clone();
        match &self.result {
            Some(Ok(v)) if self.ticket == current => Loadable::Ready(v.clone()),
            Some(Err(error)) if self.ticket == current => Loadable::Failed { error: error.clone(), previous },
            _ => Loadable::Loading { previous },
        }
    }

    /// How outcomes compare (equal ones are not a change) and show (`Loading`, `Ready(…)`, `Failed(…)`:
    /// the Redux DevTools bridge and time travel's history see this).
    pub(super) fn ops() -> ValueOps<Self> {
        ValueOps::new(
            Some(|a: &Self, b: &Self| a.ticket == b.ticket && a.result.is_some() == b.result.is_some()),
            Some(|o: &Self, f: &mut fmt::Formatter<'_>| fmt::Display::fmt(o, f)),
        )
    }
}

impl<T> fmt::Display for Outcome<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Shown<'a, T>(&'a T, Option<fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result>);
        impl<T> fmt::Display for Shown<'_, T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.1 {
                    Some(show) => show(self.0, f),
                    None => f.write_str(".."),
                }
            }
        }
        match &self.result {
            None => f.write_str("Loading"),
            Some(Ok(v)) => write!(f, "Ready({})", Shown(v, self.show)),
            Some(Err(e)) => write!(f, "Failed({e})"),
        }
    }
}
