//! [`Options`]: the key, the version and its migrations, what is persisted, how soon changes are saved.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::persist::error::PersistError;

/// A migration: the stored atoms (a JSON object, snapshot key → value) of the version before, to those
/// of its version.
pub(crate) type MigrateFn = Arc<dyn Fn(serde_json::Value) -> Result<serde_json::Value, String> + Send + Sync>;

/// Where problems found after `attach` go.
pub(crate) type Report = Arc<dyn Fn(&PersistError) + Send + Sync>;

/// How a store instance is persisted: built with [`Options::new`] and its methods.
///
/// ```
/// use std::time::Duration;
/// use nexus::persist::Options;
///
/// let options = Options::new("settings")
///     .version(2)
///     // v1 kept the theme as a bool: v2 names it.
///     .migrate(2, |mut atoms| {
///         let dark = atoms["dark"].as_bool().unwrap_or(false);
///         atoms["theme"] = serde_json::json!(if dark { "dark" } else { "light" });
///         atoms.as_object_mut().ok_or("not an object")?.remove("dark");
///         Ok(atoms)
///     })
///     .delay(Duration::from_millis(250));
/// # let _ = options;
/// ```
#[derive(Clone)]
pub struct Options {
    pub(crate) key: String,
    pub(crate) version: u32,
    pub(crate) migrations: Vec<(u32, MigrateFn)>,
    pub(crate) delay: Duration,
    pub(crate) only: Option<BTreeSet<String>>,
    pub(crate) skip: BTreeSet<String>,
    pub(crate) on_error: Option<Report>,
}

/// How long after a change it is saved, by default: a burst of changes within it is one write.
pub const DEFAULT_DELAY: Duration = Duration::from_millis(100);

impl Options {
    /// Persist under `key` (`"settings"`, `"user-42/cart"`): one document per key in the storage.
    /// Version 0, no migrations, every atom a snapshot carries, saved [`DEFAULT_DELAY`] after a change.
    pub fn new(key: impl Into<String>) -> Self {
        Options {
            key: key.into(),
            version: 0,
            migrations: Vec::new(),
            delay: DEFAULT_DELAY,
            only: None,
            skip: BTreeSet::new(),
            on_error: None,
        }
    }

    /// The version of the stored shape this code writes (stored in the document). A document of an
    /// older version is migrated on load; one of a newer version is refused and left untouched.
    #[must_use]
    pub fn version(mut self, version: u32) -> Self {
        self.version = version;
        self
    }

    /// The migration that makes version `to` from version `to - 1`: given the stored atoms (a JSON
    /// object, snapshot key → value), it returns them as version `to` has them, or an error (the
    /// document is then set aside, never lost). On load, every migration whose `to` is after the
    /// stored version and not after [`version`](Options::version) runs, in order of `to`
    /// (redux-persist's rule); a version without one is taken as is.
    #[must_use]
    pub fn migrate(
        mut self,
        to: u32,
        migration: impl Fn(serde_json::Value) -> Result<serde_json::Value, String> + Send + Sync + 'static,
    ) -> Self {
        self.migrations.push((to, Arc::new(migration)));
        self.migrations.sort_by_key(|(to, _)| *to);
        self
    }

    /// How soon a change is saved: at most `delay` after the first change not yet saved, with every
    /// change made meanwhile in the same write (a burst of 100,000 `set`s in 10 ms is one or two
    /// writes). `Duration::ZERO` saves as soon as the background saver gets to it. The write itself is
    /// never on the thread that made the change.
    #[must_use]
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Persist only the atoms with these snapshot keys (the keys of [`Snapshot::values`], such as
    /// `"theme"` or `"todo[3]"`; a family's members by their family's key, `"todo"`). By default every
    /// atom a snapshot carries is persisted: everything a user changed survives, unless it is left out
    /// here or with [`skip`](Options::skip).
    ///
    /// [`Snapshot::values`]: crate::Snapshot::values
    #[must_use]
    pub fn only<K: Into<String>>(mut self, keys: impl IntoIterator<Item = K>) -> Self {
        self.only = Some(keys.into_iter().map(Into::into).collect());
        self
    }

    /// Do not persist the atoms with these snapshot keys (a family's members by their family's key).
    #[must_use]
    pub fn skip<K: Into<String>>(mut self, keys: impl IntoIterator<Item = K>) -> Self {
        self.skip.extend(keys.into_iter().map(Into::into));
        self
    }

    /// Called with every problem found after [`attach`](crate::persist::attach) returned: a save that
    /// failed (it is retried), a document another writer stored that could not be used. Also called with
    /// the problem of the load, if there was one ([`Persisted::load_error`] has it too). Without it,
    /// problems are written to standard error (in the browser, to the console).
    ///
    /// [`Persisted::load_error`]: crate::persist::Persisted::load_error
    #[must_use]
    pub fn on_error(mut self, report: impl Fn(&PersistError) + Send + Sync + 'static) -> Self {
        self.on_error = Some(Arc::new(report));
        self
    }

    /// Whether the atom with snapshot key `key` is persisted.
    pub(crate) fn persists(&self, key: &str) -> bool {
        // A family member `todo[3]` is chosen by its family's key `todo`.
        let family = key.split_once('[').map_or(key, |(family, _)| family);
        let chosen = |set: &BTreeSet<String>| set.contains(key) || set.contains(family);
        self.only.as_ref().is_none_or(chosen) && !chosen(&self.skip)
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("key", &self.key)
            .field("version", &self.version)
            .field("migrations", &self.migrations.iter().map(|(to, _)| *to).collect::<Vec<_>>())
            .field("delay", &self.delay)
            .field("only", &self.only)
            .field("skip", &self.skip)
            .finish_non_exhaustive()
    }
}
