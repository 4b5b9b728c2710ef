//! [`Mirror`]: the handle a program keeps, and the writes it makes.

use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use redis::aio::MultiplexedConnection;
use tokio::sync::{mpsc, watch};

use crate::core::info::AtomId;
use crate::core::value_slot::{downcast, Value};
use crate::graph::access::Readable;
use crate::{Atom, Global};

use super::options::{Mirrored, OnError};
use super::scripts::{self, Keys};
use super::{MirrorError, Options, Status, Version};

/// `Global` atoms of this process mirrored through Redis: every process connected to the same
/// namespace converges to the values Redis ordered last. See [the module](super) for the promises.
///
/// Dropping the `Mirror` stops mirroring (the atoms keep their values in this process).
pub struct Mirror {
    inner: Arc<Inner>,
    listener: usize,
    tasks: Vec<tokio::task::AbortHandle>,
}

/// What the mirror's handle, its driver task and its publisher task share.
pub(crate) struct Inner {
    pub(crate) keys: Keys,
    pub(crate) namespace: String,
    pub(crate) atoms: Vec<Arc<dyn Mirrored>>,
    /// The atoms' ids, in `atoms`' order.
    ids: Vec<AtomId>,
    pub(crate) schema: u32,
    pub(crate) timeout: Duration,
    pub(crate) poll: Duration,
    pub(crate) retries: u32,
    on_error: Option<OnError>,
    pub(crate) client: redis::Client,
    pub(crate) sync: Mutex<SyncState>,
    /// `(gen, seq)` of the last state of Redis applied here: what writes wait for.
    pub(crate) applied: watch::Sender<(u64, u64)>,
    /// The command connection and its number; `None` while reconnecting (writes then fail at once).
    pub(crate) link: Mutex<Option<(u64, MultiplexedConnection)>>,
    pub(crate) ctl: mpsc::UnboundedSender<Ctl>,
    pub(crate) publish: mpsc::UnboundedSender<usize>,
    /// Bumped by the publisher after each `store.set` it published (or failed to): what `flush` waits on.
    pub(crate) published: watch::Sender<u64>,
    pub(crate) status: Atom<Status, Global>,
}

/// Where this process stands with Redis. Changed by the driver only, except `pending` and `failed`.
pub(crate) struct SyncState {
    pub(crate) epoch: String,
    pub(crate) gen: u64,
    pub(crate) seq: u64,
    pub(crate) atoms: Vec<AtomState>,
    pub(crate) status: Status,
}

#[derive(Default)]
pub(crate) struct AtomState {
    /// The version of the newest value of Redis known here.
    pub(crate) ver: u64,
    /// That value, decoded (`None` before the first, or while Redis holds one that does not decode).
    pub(crate) value: Option<Value>,
    /// `store.set`s of this atom not yet published: while there are some, Redis' values of it are not
    /// applied (the local value stays, as the writer expects) but kept in `value`.
    pub(crate) pending: u32,
    /// The sequence number of this process's newest published `store.set` of it.
    pub(crate) local_seq: u64,
    /// The sequence number of a value in `value` not applied because of `pending`.
    pub(crate) held: Option<u64>,
    /// A `store.set` of it could not be published: undo it when the last pending one ends.
    pub(crate) failed: bool,
    /// Why Redis' newest value of it does not decode, if it does not.
    pub(crate) bad: Option<String>,
}

/// What the other tasks tell the driver.
pub(crate) enum Ctl {
    /// The command connection of that number failed.
    Broken,
    /// The atom's last pending `store.set` ended: apply what Redis has if it is newer (or undo the
    /// `store.set`s that failed).
    Settled(usize),
}

/// Whether `e` means the connection is gone or unusable (as opposed to an error Redis answered).
pub(crate) fn is_connection_error(e: &redis::RedisError) -> bool {
    e.is_io_error()
        || e.is_timeout()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || e.is_unrecoverable_error()
}

/// The outcome of one write script run.
pub(crate) enum Written {
    Ok { ver: u64, seq: u64 },
    Conflict { ver: u64, json: String },
    Epoch,
}

impl Inner {
    pub(crate) fn new(
        options: Options,
        client: redis::Client,
    ) -> (Arc<Self>, mpsc::UnboundedReceiver<Ctl>, mpsc::UnboundedReceiver<usize>) {
        let (ctl, ctl_rx) = mpsc::unbounded_channel();
        let (publish, publish_rx) = mpsc::unbounded_channel();
        let atoms = (0..options.atoms.len()).map(|_| AtomState::default()).collect();
        let inner = Arc::new(Inner {
            keys: Keys::new(&options.namespace),
            status: Atom::new(Status::Resyncing),
            namespace: options.namespace,
            ids: options.atoms.iter().map(|a| a.atom().id).collect(),
            atoms: options.atoms,
            schema: options.schema,
            timeout: options.timeout,
            poll: options.poll,
            retries: options.retries,
            on_error: options.on_error,
            client,
            sync: Mutex::new(SyncState {
                epoch: String::new(),
                gen: 0,
                seq: 0,
                atoms,
                status: Status::Resyncing,
            }),
            applied: watch::Sender::new((0, 0)),
            link: Mutex::new(None),
            ctl,
            publish,
            published: watch::Sender::new(0),
        });
        (inner, ctl_rx, publish_rx)
    }

    pub(crate) fn report(&self, e: &MirrorError) {
        match &self.on_error {
            Some(f) => f(e),
            None => eprintln!("nexus::redis (namespace `{}`): {e}", self.namespace),
        }
    }

    pub(crate) fn index_of(&self, id: AtomId) -> Option<usize> {
        self.ids.iter().position(|&a| a == id)
    }

    pub(crate) fn index_of_key(&self, key: &str) -> Option<usize> {
        self.atoms.iter().position(|a| a.key() == key)
    }

    fn unavailable(&self) -> MirrorError {
        MirrorError::Unavailable { namespace: self.namespace.clone() }
    }

    /// The command connection, or `Unavailable` at once.
    pub(crate) fn connection(&self) -> Result<(u64, MultiplexedConnection), MirrorError> {
        self.link.lock().clone().ok_or_else(|| self.unavailable())
    }

    /// Connection `number` failed: drop it (if it is still the current one) and tell the driver.
    pub(crate) fn broken(&self, number: u64) {
        let mut link = self.link.lock();
        if link.as_ref().is_some_and(|(n, _)| *n == number) {
            *link = None;
            drop(link);
            let _ = self.ctl.send(Ctl::Broken);
        }
    }

    /// Runs the write script once on `conn`.
    pub(crate) async fn write_once(
        &self,
        conn: &mut MultiplexedConnection,
        epoch: &str,
        atom: usize,
        json: &str,
        expected: Option<u64>,
        op: &str,
    ) -> redis::RedisResult<Written> {
        let key = self.atoms[atom].key();
        let mut inv = scripts::WRITE.prepare_invoke();
        inv.key(&self.keys.meta)
            .key(&self.keys.seq)
            .key(self.keys.atom(key))
            .key(self.keys.op(op))
            .arg(epoch)
            .arg(key)
            .arg(json)
            .arg(expected.map(|v| v.to_string()).unwrap_or_default())
            .arg(&self.keys.channel)
            .arg(scripts::OP_TTL);
        let reply: Vec<String> = inv.invoke_async(conn).await?;
        let bad =
            || redis::RedisError::from((redis::ErrorKind::Parse, "unexpected reply of the write script"));
        match reply.first().map(String::as_str) {
            Some("ok") => {
                let (ver, seq) = reply.get(1).and_then(|s| scripts::parse_outcome(s)).ok_or_else(bad)?;
                Ok(Written::Ok { ver, seq })
            }
            Some("conflict") => Ok(Written::Conflict {
                ver: reply.get(1).and_then(|s| s.parse().ok()).ok_or_else(bad)?,
                json: reply.get(2).cloned().unwrap_or_default(),
            }),
            Some("epoch") => Ok(Written::Epoch),
            _ => Err(bad()),
        }
    }

    /// Runs one write (one operation id) until Redis answers it: a lost reply is retried with the same
    /// id (applied at most once) while the connection comes back within the timeout.
    pub(crate) async fn write(
        &self,
        atom: usize,
        json: &str,
        expected: Option<u64>,
    ) -> Result<(Written, u64), MirrorError> {
        let op = scripts::random_id();
        let deadline = tokio::time::Instant::now() + self.timeout;
        let mut sent = false;
        loop {
            let (number, mut conn) = match self.connection() {
                Ok(c) => c,
                Err(e) if !sent => return Err(e),
                Err(_) if tokio::time::Instant::now() >= deadline => {
                    return Err(MirrorError::Unconfirmed { key: self.atoms[atom].key().to_owned() })
                }
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            };
            let epoch = self.sync.lock().epoch.clone();
            sent = true;
            match self.write_once(&mut conn, &epoch, atom, json, expected, &op).await {
                Ok(written) => return Ok((written, self.sync.lock().gen)),
                Err(e) if is_connection_error(&e) => {
                    self.broken(number);
                    if tokio::time::Instant::now() >= deadline {
                        return Err(MirrorError::Unconfirmed { key: self.atoms[atom].key().to_owned() });
                    }
                }
                Err(e) => return Err(MirrorError::Redis { message: e.to_string() }),
            }
        }
    }

    /// Waits until this process has applied Redis' state up to `seq` of generation `gen`.
    pub(crate) async fn caught_up(
        &self,
        atom: usize,
        gen: u64,
        seq: u64,
        ver: u64,
    ) -> Result<Version, MirrorError> {
        let mut rx = self.applied.subscribe();
        let waited =
            tokio::time::timeout(self.timeout, rx.wait_for(|&(g, s)| g > gen || (g == gen && s >= seq)))
                .await;
        let version = Version { generation: gen, version: ver };
        match waited {
            Ok(Ok(_)) => Ok(version),
            _ => Err(MirrorError::Lagging { key: self.atoms[atom].key().to_owned(), version }),
        }
    }
}

impl Mirror {
    /// Connects to Redis at `url` (`redis://host:port/db`, or `redis+unix:///path/to/socket`), loads the
    /// namespace's state into this process's global registry (seeding a new namespace from this
    /// process's values) and returns once that is done, mirroring from then on. Call it on a tokio
    /// runtime: the mirror runs two tasks on it.
    ///
    /// # Errors
    /// [`MirrorError::Unavailable`] if Redis cannot be reached within the timeout,
    /// [`MirrorError::Schema`] if the namespace was written by an incompatible program,
    /// [`MirrorError::Redis`] for a bad URL.
    pub async fn connect(url: &str, options: Options) -> Result<Mirror, MirrorError> {
        let client = redis::Client::open(url).map_err(|e| MirrorError::Redis { message: e.to_string() })?;
        let (inner, ctl_rx, publish_rx) = Inner::new(options, client);
        let conn = super::driver::connect_commands(&inner).await.ok_or_else(|| inner.unavailable())?;
        let stream = super::driver::subscribe(&inner).await.ok_or_else(|| inner.unavailable())?;
        *inner.link.lock() = Some((1, conn.clone()));
        super::driver::resync(&inner, conn, true).await.map_err(|e| match e {
            super::driver::ResyncError::Connection => inner.unavailable(),
            super::driver::ResyncError::Mirror(e) => e,
        })?;
        super::driver::set_status(&inner, Status::Connected);
        let listener = crate::store::global::listen(Arc::new(super::driver::Hook(Arc::downgrade(&inner))));
        let driver = tokio::spawn(super::driver::drive(inner.clone(), ctl_rx, stream));
        let publisher = tokio::spawn(super::driver::publish(Arc::downgrade(&inner), publish_rx));
        Ok(Mirror { inner, listener, tasks: vec![driver.abort_handle(), publisher.abort_handle()] })
    }

    /// Sets `atom` in Redis and returns once Redis has ordered the write **and** this process has
    /// applied it (a read here then sees `value` or a newer one): the version Redis gave it. Last writer
    /// wins, in Redis' order.
    ///
    /// # Errors
    /// [`MirrorError::Unavailable`] at once while Redis is unreachable (never queued);
    /// [`MirrorError::Unconfirmed`], [`MirrorError::Lagging`], [`MirrorError::NotMirrored`],
    /// [`MirrorError::Encode`].
    pub async fn set<T>(&self, atom: &Atom<T, Global>, value: T) -> Result<Version, MirrorError>
    where
        T: Clone + Send + Sync + 'static,
    {
        let i = self.index(atom)?;
        let json = self.inner.atoms[i]
            .encode(&(Arc::new(value) as Value))
            .map_err(|error| MirrorError::Encode { key: self.inner.atoms[i].key().to_owned(), error })?;
        loop {
            match self.inner.write(i, &json, None).await? {
                (Written::Ok { ver, seq }, gen) => return self.inner.caught_up(i, gen, seq, ver).await,
                (Written::Epoch, _) => self.epoch_changed().await?,
                (Written::Conflict { .. }, _) => unreachable!("a blind write has no expected version"),
            }
        }
    }

    /// Changes `atom` in Redis to `f(current)`, by compare-and-set: `f` runs on the newest value this
    /// process knows; if another process wrote in between, `f` runs again on Redis' newer value (so it
    /// may run more than once: keep it pure), at most [`Options::retries`] times. **No update is lost**,
    /// and a retry after a lost reply is not applied twice (each attempt carries an operation id that
    /// Redis remembers for a minute). Returns once this process has applied the write, with its version.
    ///
    /// # Errors
    /// As [`set`](Self::set), and [`MirrorError::Contention`] after too many lost races;
    /// [`MirrorError::Decode`] if the value in Redis does not decode.
    pub async fn update<T>(
        &self,
        atom: &Atom<T, Global>,
        mut f: impl FnMut(&T) -> T,
    ) -> Result<Version, MirrorError>
    where
        T: Clone + Send + Sync + 'static,
    {
        let i = self.index(atom)?;
        let mirrored = &self.inner.atoms[i];
        let (mut ver, mut current) = {
            let sync = self.inner.sync.lock();
            let a = &sync.atoms[i];
            if let Some(error) = &a.bad {
                return Err(MirrorError::Decode {
                    key: mirrored.key().to_owned(),
                    redis_key: self.inner.keys.atom(mirrored.key()),
                    error: error.clone(),
                });
            }
            let current = a.value.clone().unwrap_or_else(|| crate::store::global::value(mirrored.atom()));
            (a.ver, current)
        };
        for _ in 0..self.inner.retries {
            let new: Value = Arc::new(f(downcast::<T>(&current)));
            let json = mirrored
                .encode(&new)
                .map_err(|error| MirrorError::Encode { key: mirrored.key().to_owned(), error })?;
            match self.inner.write(i, &json, Some(ver)).await? {
                (Written::Ok { ver, seq }, gen) => return self.inner.caught_up(i, gen, seq, ver).await,
                (Written::Conflict { ver: theirs, json }, _) => {
                    ver = theirs;
                    current = if json.is_empty() {
                        crate::store::global::value(mirrored.atom())
                    } else {
                        mirrored.decode(&json).map_err(|error| MirrorError::Decode {
                            key: mirrored.key().to_owned(),
                            redis_key: self.inner.keys.atom(mirrored.key()),
                            error,
                        })?
                    };
                }
                (Written::Epoch, _) => {
                    self.epoch_changed().await?;
                    let sync = self.inner.sync.lock();
                    ver = sync.atoms[i].ver;
                    current = sync.atoms[i]
                        .value
                        .clone()
                        .unwrap_or_else(|| crate::store::global::value(mirrored.atom()));
                }
            }
        }
        Err(MirrorError::Contention { key: mirrored.key().to_owned(), attempts: self.inner.retries })
    }

    /// The namespace's epoch is not the one this process knows: wait for the driver to resynchronise.
    async fn epoch_changed(&self) -> Result<(), MirrorError> {
        let gen = self.inner.sync.lock().gen;
        let _ = self.inner.ctl.send(Ctl::Broken);
        let mut rx = self.inner.applied.subscribe();
        tokio::time::timeout(self.inner.timeout * 5, rx.wait_for(|&(g, _)| g > gen))
            .await
            .map(|_| ())
            .map_err(|_| self.inner.unavailable())
    }

    fn index<T: Clone + Send + Sync + 'static>(&self, atom: &Atom<T, Global>) -> Result<usize, MirrorError> {
        self.inner
            .index_of(atom.__atom().id)
            .ok_or_else(|| MirrorError::NotMirrored { atom: atom.registry_name().to_owned() })
    }

    /// Waits until every `store.set` of a mirrored atom made so far in this process has been published
    /// to Redis (or has failed, which [`Options::on_error`] reports). A `store.set` changes this process
    /// at once and is published in the background: a program about to exit calls this first.
    pub async fn flush(&self) {
        let mut rx = self.inner.published.subscribe();
        loop {
            if self.inner.sync.lock().atoms.iter().all(|a| a.pending == 0) {
                return;
            }
            if rx.changed().await.is_err() {
                return;
            }
        }
    }

    /// The mirror's status as an atom (a run-time `Global` one): read it, subscribe to it or derive from
    /// it with any global-mode store, e.g. for a health check or a banner in a UI.
    pub fn status(&self) -> &Atom<Status, Global> {
        &self.inner.status
    }

    /// The status now (as [`status`](Self::status)'s atom holds it).
    pub fn current_status(&self) -> Status {
        self.inner.sync.lock().status
    }

    /// The version of `atom`'s newest value in Redis that this process knows (`None` for an atom not
    /// mirrored). Versions a process sees never go backwards.
    pub fn version<T: Clone + Send + Sync + 'static>(&self, atom: &Atom<T, Global>) -> Option<Version> {
        let i = self.inner.index_of(atom.__atom().id)?;
        let sync = self.inner.sync.lock();
        Some(Version { generation: sync.gen, version: sync.atoms[i].ver })
    }

    /// The namespace.
    pub fn namespace(&self) -> &str {
        &self.inner.namespace
    }
}

impl Drop for Mirror {
    fn drop(&mut self) {
        crate::store::global::unlisten(self.listener);
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl std::fmt::Debug for Mirror {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mirror")
            .field("namespace", &self.inner.namespace)
            .field("status", &self.current_status())
            .finish_non_exhaustive()
    }
}
