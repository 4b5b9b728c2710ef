//! [`Options`]: what a [`Mirror`](super::Mirror) mirrors, and how.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::core::value_slot::{downcast, Value};
use crate::graph::access::{AtomRef, Readable};
use crate::{Atom, Global};

use super::MirrorError;

/// What [`Options::on_error`] keeps.
pub(crate) type OnError = Arc<dyn Fn(&MirrorError) + Send + Sync>;

/// How a [`Mirror`](super::Mirror) connects: the namespace, the atoms it mirrors, timeouts.
///
/// ```
/// use std::time::Duration;
/// nexus::atom! {
///     pub static MAINTENANCE: bool = false;
///     pub static VISITS: u64 = 0;
/// }
/// let options = nexus::redis::Options::new("shop")
///     .atom(&MAINTENANCE)
///     .atom(&VISITS)
///     .schema(2)
///     .timeout(Duration::from_secs(1));
/// # let _ = options;
/// ```
#[must_use]
pub struct Options {
    pub(crate) namespace: String,
    pub(crate) atoms: Vec<Arc<dyn Mirrored>>,
    pub(crate) schema: u32,
    pub(crate) timeout: Duration,
    pub(crate) poll: Duration,
    pub(crate) retries: u32,
    pub(crate) on_error: Option<OnError>,
}

impl Options {
    /// Options for namespace `namespace`: the processes that share it share the atoms. No atom yet;
    /// schema 1; timeout 1 s; poll every second; 100 retries.
    pub fn new(namespace: impl Into<String>) -> Self {
        Options {
            namespace: namespace.into(),
            atoms: Vec::new(),
            schema: 1,
            timeout: Duration::from_secs(1),
            poll: Duration::from_secs(1),
            retries: 100,
            on_error: None,
        }
    }

    /// Mirrors `atom`, a primitive `Global` atom whose type serde reads and writes. In Redis and
    /// between processes it goes by its snapshot key: its `#[name]` if `atom!` gave it one (keep it
    /// across refactors), else its `module::IDENT` path; a run-time atom by its given name.
    ///
    /// The atoms are listed, not taken from every `Global` atom with serde: sharing a value between
    /// processes is a decision about that value (a per-process cache or connection count must stay
    /// local), and the list is what the namespace's [`schema`](Self::schema) describes.
    ///
    /// # Panics
    /// If the atom has no key another process could match (a run-time atom made without a name: use
    /// `Atom::named_serde`), or if two atoms given have one key.
    pub fn atom<T>(mut self, atom: &Atom<T, Global>) -> Self
    where
        T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    {
        let key = atom.__atom().handle.def().core().snapshot_key();
        let Ok(Some(key)) = key else {
            panic!(
                "nexus::redis: the atom `{}` has no name another process could match: make it with \
                 `Atom::named_serde(\"…\", value)` (or declare it in `atom!`)",
                atom.registry_name()
            )
        };
        assert!(
            !self.atoms.iter().any(|a| a.key() == &*key),
            "nexus::redis: two mirrored atoms have the key `{key}`: give one of them another `#[name]`"
        );
        self.atoms.push(Arc::new(Typed { atom: atom.clone(), key: key.to_string() }));
        self
    }

    /// The schema number of the atoms' types, written into the namespace when it is seeded. A process
    /// whose number differs is refused at connect ([`MirrorError::Schema`]): raise it when a mirrored
    /// atom's type changes in a way older processes cannot read. Default 1.
    pub fn schema(mut self, schema: u32) -> Self {
        self.schema = schema;
        self
    }

    /// How long a command may wait for Redis before the connection counts as lost, and how long
    /// [`Mirror::set`](super::Mirror::set)/[`update`](super::Mirror::update) wait for their write to come
    /// back. Default 1 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How often the mirror asks Redis for the namespace's sequence number, which catches a subscription
    /// lost without a word (a half-open connection). Default 1 s.
    pub fn poll(mut self, poll: Duration) -> Self {
        self.poll = poll;
        self
    }

    /// How many compare-and-set attempts [`Mirror::update`](super::Mirror::update) makes before
    /// [`MirrorError::Contention`]. Default 100.
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = retries.max(1);
        self
    }

    /// Called with what goes wrong in the background: a value in Redis that does not decode, a
    /// `store.set` that could not be published (Redis was down: the change is undone when the mirror
    /// resynchronises). Without it, such errors are printed to stderr.
    pub fn on_error(mut self, f: impl Fn(&MirrorError) + Send + Sync + 'static) -> Self {
        self.on_error = Some(Arc::new(f));
        self
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("namespace", &self.namespace)
            .field("atoms", &self.atoms.iter().map(|a| a.key().to_owned()).collect::<Vec<_>>())
            .field("schema", &self.schema)
            .field("timeout", &self.timeout)
            .field("poll", &self.poll)
            .field("retries", &self.retries)
            .finish_non_exhaustive()
    }
}

/// A mirrored atom without its type.
pub(crate) trait Mirrored: Send + Sync {
    fn atom(&self) -> AtomRef<'_>;
    fn key(&self) -> &str;
    fn encode(&self, value: &Value) -> Result<String, String>;
    fn decode(&self, json: &str) -> Result<Value, String>;
}

struct Typed<T: 'static> {
    atom: Atom<T, Global>,
    key: String,
}

impl<T> Mirrored for Typed<T>
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    fn atom(&self) -> AtomRef<'_> {
        self.atom.__atom()
    }

    fn key(&self) -> &str {
        &self.key
    }

    fn encode(&self, value: &Value) -> Result<String, String> {
        serde_json::to_string(downcast::<T>(value)).map_err(|e| e.to_string())
    }

    fn decode(&self, json: &str) -> Result<Value, String> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let value: T =
            serde_path_to_error::deserialize(&mut *de).map_err(|e| crate::core::value_ops::at_path(&e))?;
        de.end().map_err(|e| e.to_string())?;
        Ok(Arc::new(value))
    }
}
