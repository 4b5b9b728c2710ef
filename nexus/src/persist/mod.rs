//! Persistence (feature `persist`): a store instance's atoms survive restarts, in a crash-safe file, the
//! browser's `localStorage` or SQLite (feature `sqlite`), with versions and migrations, and without
//! ever losing a user's data.
//!
//! ```
//! use nexus::persist::{attach, MemoryStorage, Options};
//!
//! nexus::store! { pub struct Settings; }
//! nexus::atom! {
//!     #![store(Settings)]
//!     pub static THEME: String = "light".to_owned();
//!     pub static VOLUME: u8 = 5;
//! }
//!
//! let storage = MemoryStorage::new(); // FileStorage::new(dir) for real
//! {
//!     let settings = Settings::new();
//!     let _persisted = attach(&settings, storage.clone(), Options::new("settings"))?;
//!     settings.set(&THEME, "dark".to_owned());
//! } // dropping the store (or the `Persisted`) saves what is not saved yet
//!
//! let settings = Settings::new();
//! let persisted = attach(&settings, storage.clone(), Options::new("settings"))?;
//! assert_eq!(settings.get(&THEME), "dark"); // loaded before `attach` returned
//! assert!(persisted.load_error().is_none());
//! # Ok::<(), nexus::persist::PersistError>(())
//! ```
//!
//! - **What**: every atom a [`Snapshot`] of the instance carries (named primitive
//!   atoms with serde types, family members, async atoms' values), unless [`Options::only`] or
//!   [`Options::skip`] choose. The default is everything because a setting the program forgot to mark
//!   would otherwise be lost without a word; and a snapshot says what it cannot carry.
//! - **Loading**: [`attach`] reads the document and hydrates the store **before it returns**: no read
//!   sees a default that flips later. A change made to the store while `attach` loads (by another
//!   thread) wins over the stored value of that atom.
//! - **Saving**: a change marks the store; the background saver writes a snapshot at most
//!   [`Options::delay`] later, with every change made meanwhile (a burst of 100,000 `set`s is a handful
//!   of writes). A `set` never waits for I/O. [`Persisted::flush`] writes now; dropping the
//!   [`Persisted`] or the store writes what is not yet saved, on the dropping thread. A failed save is
//!   reported ([`Options::on_error`]) and retried.
//! - **Versions**: the document carries [`Options::version`]; older documents go through
//!   [`Options::migrate`]'s functions in order; a document from a newer program is refused
//!   ([`PersistError::NewerVersion`]) and left untouched.
//! - **Bad data loses nothing**: a document that does not parse, fails a migration or does not hydrate
//!   (an atom the code no longer has, a value of the wrong type) is set aside under
//!   `KEY.corrupt-TIMESTAMP`, where no save overwrites it; the store starts from its defaults and
//!   [`Persisted::load_error`] (and `on_error`) says what and where. Atoms left out by `only`/`skip`
//!   are kept in the document as they were.
//! - **Other writers**: a storage that can hear of them ([`Storage::watch`]; `LocalStorage` through
//!   the browser's `storage` event) brings their writes into the store as a change (not saved back).
//!   Another writer's removal of the document (`localStorage.clear()` in another tab) is not a change:
//!   the store keeps its values, and its next save writes them again.

mod document;
mod error;
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod file;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod local;
mod options;
mod saver;
#[cfg(all(feature = "sqlite", not(all(target_arch = "wasm32", target_os = "unknown"))))]
mod sqlite;
mod storage;

use std::any::Any;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

pub use error::PersistError;
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub use file::FileStorage;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub use local::LocalStorage;
pub use options::{Options, DEFAULT_DELAY};
#[cfg(all(feature = "sqlite", not(all(target_arch = "wasm32", target_os = "unknown"))))]
pub use sqlite::SqliteStorage;
pub use storage::{MemoryStorage, Storage, StorageError, Unwatch};

use crate::graph::observe::{Change, Plugin, PluginId};
use crate::store::instance::StoreShared;
use crate::store::snapshot::{HydrateError, Snapshot};
use crate::store::store_trait::Store;
use document::{Atoms, Refused};

/// A failed save is tried again after this long at the least.
const RETRY: Duration = Duration::from_secs(1);

thread_local! {
    /// The persistence (its address) whose stored document this thread is hydrating: those changes
    /// came from the storage and need no save.
    static APPLYING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Loads `store`'s persisted state from `storage` (under `options`' key) into it, then saves it there
/// after every change, until the returned [`Persisted`] is dropped.
///
/// Returns once the stored state is in the store. A document that could be read but not used is set
/// aside, reported by [`Persisted::load_error`] and `options`' [`on_error`](Options::on_error), and the
/// store keeps its defaults: persistence goes on.
///
/// # Errors
/// - [`PersistError::Storage`]: the storage could not be read (or an unusable document could not be set
///   aside): nothing was loaded, and nothing will be saved over what is there.
/// - [`PersistError::NewerVersion`]: the document was written by a newer program: it is left untouched.
pub fn attach<S: Store>(
    store: &S,
    storage: impl Storage,
    options: Options,
) -> Result<Persisted, PersistError> {
    let shared: &Arc<StoreShared> = &store.__cell().0;
    let storage: Arc<dyn Storage> = Arc::new(storage);
    let inner = Arc::new(Inner {
        store: Arc::downgrade(shared),
        store_name: S::__NAME,
        snapshot: StoreShared::snapshot::<S>,
        hydrate: StoreShared::hydrate::<S>,
        storage,
        options,
        dirty: AtomicBool::new(false),
        scheduled: AtomicBool::new(false),
        loading: AtomicBool::new(true),
        written_while_loading: Mutex::new(BTreeSet::new()),
        carried: Mutex::new(Atoms::new()),
        saves: AtomicU64::new(0),
    });
    // Watch before reading, so that a change made while the document loads is seen.
    let plugin = shared.add_plugin(Arc::new(Watcher(Arc::downgrade(&inner))));
    let loaded = inner.load(shared);
    let load_error = match loaded {
        Ok(problem) => problem,
        Err(e) => {
            shared.remove_plugin(plugin);
            return Err(e);
        }
    };
    inner.loading.store(false, Ordering::SeqCst);
    if inner.dirty.load(Ordering::SeqCst) {
        // Changed while loading: those values win over the stored ones, and are saved.
        inner.changed();
    }
    inner.written_while_loading.lock().unwrap_or_else(PoisonError::into_inner).clear();
    if let Some(problem) = &load_error {
        inner.report(problem);
    }
    let last = Arc::downgrade(&inner);
    shared.before_drop(Box::new(move |store: &dyn Any| {
        if let (Some(inner), Some(store)) = (last.upgrade(), store.downcast_ref::<StoreShared>()) {
            if inner.dirty.swap(false, Ordering::AcqRel) {
                if let Err(e) = inner.save_from(store) {
                    inner.report(&e);
                }
            }
        }
    }));
    let external = Arc::downgrade(&inner);
    let unwatch = inner.storage.watch(
        &inner.options.key,
        Arc::new(move |document: Option<String>| {
            if let Some(inner) = external.upgrade() {
                inner.apply_external(document);
            }
        }),
    );
    Ok(Persisted { inner, plugin, unwatch, load_error })
}

/// A store instance being persisted ([`attach`]). Dropping it saves what is not yet saved and stops.
#[must_use = "persistence stops when the `Persisted` is dropped"]
pub struct Persisted {
    inner: Arc<Inner>,
    plugin: PluginId,
    unwatch: Option<Unwatch>,
    load_error: Option<PersistError>,
}

impl Persisted {
    /// Saves now, on this thread, if anything changed since the last save.
    ///
    /// # Errors
    /// If the storage failed: the change stays marked, and the saver tries again later.
    pub fn flush(&self) -> Result<(), PersistError> {
        self.inner.save_if_dirty()
    }

    /// What was wrong with the stored document when [`attach`] loaded it (the store started from its
    /// defaults, the document was set aside): `None` if it loaded, or there was none.
    pub fn load_error(&self) -> Option<&PersistError> {
        self.load_error.as_ref()
    }

    /// How many documents this persistence has written.
    pub fn saves(&self) -> u64 {
        self.inner.saves.load(Ordering::Acquire)
    }

    /// The document's key.
    pub fn key(&self) -> &str {
        &self.inner.options.key
    }
}

impl Drop for Persisted {
    fn drop(&mut self) {
        self.unwatch = None;
        if let Some(store) = self.inner.store.upgrade() {
            store.remove_plugin(self.plugin);
        }
        if let Err(e) = self.inner.save_if_dirty() {
            self.inner.report(&e);
        }
    }
}

impl fmt::Debug for Persisted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Persisted")
            .field("key", &self.inner.options.key)
            .field("saves", &self.saves())
            .field("load_error", &self.load_error)
            .finish_non_exhaustive()
    }
}

/// What the saver, the store's drop and the `Persisted` share.
pub(crate) struct Inner {
    store: Weak<StoreShared>,
    store_name: &'static str,
    snapshot: fn(&StoreShared) -> Snapshot,
    hydrate: fn(&StoreShared, &Snapshot) -> Result<(), HydrateError>,
    storage: Arc<dyn Storage>,
    options: Options,
    /// A change not yet saved.
    dirty: AtomicBool,
    /// A save is due on the saver.
    scheduled: AtomicBool,
    /// `attach` is still loading: changes are recorded in `written_while_loading`.
    loading: AtomicBool,
    written_while_loading: Mutex<BTreeSet<String>>,
    /// The stored atoms that `options` leave out, kept as they were. Its lock also orders saves.
    carried: Mutex<Atoms>,
    saves: AtomicU64,
}

impl Inner {
    /// Reads and hydrates the stored document. `Ok(Some(problem))`: it was unusable and is set aside.
    fn load(&self, store: &StoreShared) -> Result<Option<PersistError>, PersistError> {
        let key = &self.options.key;
        let storage_error = |error| PersistError::Storage { key: key.clone(), error };
        let Some(text) = self.storage.load(key).map_err(storage_error)? else { return Ok(None) };
        let problem = match document::decode(&self.options, &text) {
            Err(Refused::Newer(stored)) => {
                return Err(PersistError::NewerVersion {
                    key: key.clone(),
                    stored,
                    current: self.options.version,
                })
            }
            Err(Refused::Unreadable(problem)) => problem,
            Ok(atoms) => match self.hydrate_atoms(store, atoms, true) {
                Ok(()) => return Ok(None),
                Err(problem) => problem,
            },
        };
        let kept_as = self.storage.set_aside(key, &stamp()).map_err(storage_error)?;
        Ok(Some(PersistError::Unreadable { key: key.clone(), problem, kept_as }))
    }

    /// Hydrates the persisted ones of `atoms` (leaving out those written meanwhile, when `loading`)
    /// and keeps the others to carry into every save.
    fn hydrate_atoms(&self, store: &StoreShared, atoms: Atoms, loading: bool) -> Result<(), String> {
        let (persisted, carried): (Atoms, Atoms) =
            atoms.into_iter().partition(|(k, _)| self.options.persists(k));
        let written = if loading {
            std::mem::take(&mut *self.written_while_loading.lock().unwrap_or_else(PoisonError::into_inner))
        } else {
            BTreeSet::new()
        };
        let persisted = persisted.into_iter().filter(|(k, _)| !written.contains(k)).collect();
        let snapshot = Snapshot::new(self.store_name, persisted, Vec::new());
        let me = std::ptr::from_ref(self) as usize;
        let previous = APPLYING.with(|a| a.replace(me));
        let hydrated = (self.hydrate)(store, &snapshot);
        APPLYING.with(|a| a.set(previous));
        if loading && !written.is_empty() {
            self.written_while_loading.lock().unwrap_or_else(PoisonError::into_inner).extend(written);
        }
        hydrated.map_err(|e| {
            let problems: Vec<String> = e.problems().iter().map(ToString::to_string).collect();
            format!("it does not fit the store: {}", problems.join("; "))
        })?;
        *self.carried.lock().unwrap_or_else(PoisonError::into_inner) = carried;
        Ok(())
    }

    /// A document another writer stored: into the store, as a change (never saved back).
    fn apply_external(&self, document: Option<String>) {
        let (Some(text), Some(store)) = (document, self.store.upgrade()) else { return };
        let key = &self.options.key;
        let outcome = match document::decode(&self.options, &text) {
            Ok(atoms) => self.hydrate_atoms(&store, atoms, false),
            Err(Refused::Unreadable(problem)) => Err(problem),
            Err(Refused::Newer(stored)) => {
                self.report(&PersistError::NewerVersion {
                    key: key.clone(),
                    stored,
                    current: self.options.version,
                });
                return;
            }
        };
        if let Err(problem) = outcome {
            self.report(&PersistError::Unreadable {
                key: key.clone(),
                problem: format!("another writer stored a document that {problem}"),
                kept_as: key.clone(),
            });
        }
    }

    /// A change of the store: save it soon.
    fn changed(self: &Arc<Self>) {
        self.dirty.store(true, Ordering::Release);
        if !self.scheduled.swap(true, Ordering::AcqRel) {
            saver::after(self.options.delay, Arc::downgrade(self));
        }
    }

    /// The saver's call: the save that was due.
    pub(crate) fn run_scheduled(self: Arc<Self>) {
        self.scheduled.store(false, Ordering::Release);
        if let Err(e) = self.save_if_dirty() {
            self.report(&e);
            // Try again later: the change is still not saved.
            self.dirty.store(true, Ordering::Release);
            if !self.scheduled.swap(true, Ordering::AcqRel) {
                saver::after(self.options.delay.max(RETRY), Arc::downgrade(&self));
            }
        }
    }

    fn save_if_dirty(&self) -> Result<(), PersistError> {
        if !self.dirty.swap(false, Ordering::AcqRel) {
            return Ok(());
        }
        // Gone: its drop saved the last changes.
        let Some(store) = self.store.upgrade() else { return Ok(()) };
        self.save_from(&store).inspect_err(|_| self.dirty.store(true, Ordering::Release))
    }

    /// Writes a document of `store`'s current state (with the carried atoms).
    fn save_from(&self, store: &StoreShared) -> Result<(), PersistError> {
        let carried = self.carried.lock().unwrap_or_else(PoisonError::into_inner);
        let snapshot = (self.snapshot)(store);
        let mut atoms = carried.clone();
        atoms.extend(
            snapshot
                .values()
                .iter()
                .filter(|(k, _)| self.options.persists(k))
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        let text = document::encode(&self.options, self.store_name, &atoms);
        self.storage
            .save(&self.options.key, &text)
            .map_err(|error| PersistError::Storage { key: self.options.key.clone(), error })?;
        self.saves.fetch_add(1, Ordering::AcqRel);
        drop(carried);
        Ok(())
    }

    fn report(&self, problem: &PersistError) {
        match &self.options.on_error {
            Some(report) => report(problem),
            // Standard error, or the browser's console (wasm32 has no standard error).
            #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
            None => eprintln!("nexus: {problem}"),
            #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
            None => web_sys::console::error_1(&format!("nexus: {problem}").into()),
        }
    }
}

/// The plugin that hears of the store's changes.
struct Watcher(Weak<Inner>);

impl Plugin for Watcher {
    fn on_change(&self, change: &Change<'_>) {
        let Some(inner) = self.0.upgrade() else { return };
        if APPLYING.with(std::cell::Cell::get) == Arc::as_ptr(&inner) as usize {
            return;
        }
        // Marked first, then `loading` read: `attach` clears `loading`, then reads the mark; whichever
        // order the two threads run in, the change is scheduled by one of them.
        inner.dirty.store(true, Ordering::SeqCst);
        if inner.loading.load(Ordering::SeqCst) {
            // Not saved while loading (a save now would store the defaults over the document).
            let key = change.name().to_owned();
            inner.written_while_loading.lock().unwrap_or_else(PoisonError::into_inner).insert(key);
            return;
        }
        inner.changed();
    }
}

/// A name for a set-aside document: the time, in milliseconds since the Unix epoch.
fn stamp() -> String {
    let since = crate::core::clock::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    since.as_millis().to_string()
}
