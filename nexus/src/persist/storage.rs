//! Where documents live: the [`Storage`] trait, its errors, and [`MemoryStorage`].

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// A place that keeps one text document per key. Every method reports failure as a value; none panics.
///
/// Implemented by `FileStorage` (native), [`MemoryStorage`],
/// `SqliteStorage` (feature `sqlite`) and `LocalStorage` (wasm32); implement it for any other backend.
pub trait Storage: Send + Sync + 'static {
    /// The document stored under `key`, or `None` if there is none.
    fn load(&self, key: &str) -> Result<Option<String>, StorageError>;

    /// Stores `document` under `key`, replacing the previous one **atomically**: after a crash at any
    /// moment, a later `load` sees either the old document or the new one, whole.
    fn save(&self, key: &str, document: &str) -> Result<(), StorageError>;

    /// Keeps the unusable document stored under `key` under another name, where no save will overwrite
    /// it (`KEY.corrupt-TIMESTAMP`), and frees `key`. Returns the name it is kept under.
    fn set_aside(&self, key: &str, stamp: &str) -> Result<String, StorageError>;

    /// Calls `on_change` with the new document when another writer (another browser tab) changes `key`,
    /// until the returned [`Unwatch`] is dropped. `None` (the default): the storage has no other writers
    /// it can hear of.
    fn watch(&self, key: &str, on_change: Arc<dyn Fn(Option<String>) + Send + Sync>) -> Option<Unwatch> {
        let _ = (key, on_change);
        None
    }
}

/// Stops a [`Storage::watch`] when dropped.
pub struct Unwatch(Option<Box<dyn FnOnce() + Send + Sync>>);

impl Unwatch {
    /// Runs `stop` when dropped.
    pub fn new(stop: impl FnOnce() + Send + Sync + 'static) -> Self {
        Unwatch(Some(Box::new(stop)))
    }
}

impl Drop for Unwatch {
    fn drop(&mut self) {
        if let Some(stop) = self.0.take() {
            stop();
        }
    }
}

impl fmt::Debug for Unwatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Unwatch")
    }
}

/// A storage failed (an I/O error, a database error, a full quota): what it was doing, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError {
    /// What the storage was doing (`"save settings"`).
    pub operation: String,
    /// Why it failed, as the backend said it.
    pub message: String,
}

impl StorageError {
    /// A failure of `operation`, because of `message`.
    pub fn new(operation: impl Into<String>, message: impl fmt::Display) -> Self {
        StorageError { operation: operation.into(), message: message.to_string() }
    }
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.operation, self.message)
    }
}

impl std::error::Error for StorageError {}

/// Documents in memory, for tests: a cheap `Clone` (clones share the documents), and it counts saves.
///
/// ```
/// use nexus::persist::{MemoryStorage, Storage};
///
/// let storage = MemoryStorage::new();
/// storage.save("settings", "{}")?;
/// assert_eq!(storage.load("settings")?.as_deref(), Some("{}"));
/// assert_eq!(storage.saves("settings"), 1);
/// # Ok::<(), nexus::persist::StorageError>(())
/// ```
#[derive(Clone, Default, Debug)]
pub struct MemoryStorage {
    inner: Arc<Mutex<Memory>>,
}

#[derive(Default, Debug)]
struct Memory {
    documents: BTreeMap<String, String>,
    saves: BTreeMap<String, u64>,
    failing: bool,
}

impl MemoryStorage {
    /// An empty storage.
    pub fn new() -> Self {
        Self::default()
    }

    fn memory(&self) -> std::sync::MutexGuard<'_, Memory> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many times a document was saved under `key`.
    pub fn saves(&self, key: &str) -> u64 {
        self.memory().saves.get(key).copied().unwrap_or(0)
    }

    /// Every key with a document, in order (documents set aside included).
    pub fn keys(&self) -> Vec<String> {
        self.memory().documents.keys().cloned().collect()
    }

    /// Puts `document` under `key` as another writer would (not counted as a save).
    pub fn put(&self, key: &str, document: &str) {
        self.memory().documents.insert(key.to_owned(), document.to_owned());
    }

    /// From now on, every `save` fails (`true`) or works again (`false`): for tests of failing disks.
    pub fn fail_saves(&self, failing: bool) {
        self.memory().failing = failing;
    }
}

impl Storage for MemoryStorage {
    fn load(&self, key: &str) -> Result<Option<String>, StorageError> {
        Ok(self.memory().documents.get(key).cloned())
    }

    fn save(&self, key: &str, document: &str) -> Result<(), StorageError> {
        let mut memory = self.memory();
        if memory.failing {
            return Err(StorageError::new(format!("save {key}"), "the memory storage was told to fail"));
        }
        memory.documents.insert(key.to_owned(), document.to_owned());
        *memory.saves.entry(key.to_owned()).or_default() += 1;
        Ok(())
    }

    fn set_aside(&self, key: &str, stamp: &str) -> Result<String, StorageError> {
        let mut memory = self.memory();
        let aside = format!("{key}.corrupt-{stamp}");
        if let Some(document) = memory.documents.remove(key) {
            memory.documents.insert(aside.clone(), document);
        }
        Ok(aside)
    }
}
