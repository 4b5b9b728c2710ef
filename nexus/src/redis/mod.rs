//! `Global` atoms shared by several processes through Redis (feature `redis`): a flag flipped on one
//! replica of a service is flipped on all of them.
//!
//! ```no_run
//! nexus::atom! {
//!     pub static MAINTENANCE: bool = false;
//!     pub static VISITS: u64 = 0;
//! }
//! nexus::store! { #[mode(global)] pub struct App; }
//!
//! # async fn run() -> Result<(), nexus::redis::MirrorError> {
//! use nexus::redis::{Mirror, Options};
//! let options = Options::new("shop").atom(&MAINTENANCE).atom(&VISITS);
//! let mirror = Mirror::connect("redis://127.0.0.1/", options).await?;
//!
//! let app = App::new();
//! mirror.set(&MAINTENANCE, true).await?; // every replica's global-mode stores see `true`
//! mirror.update(&VISITS, |n| n + 1).await?; // compare-and-set: no increment is ever lost
//! assert!(app.get(&MAINTENANCE)); // read-your-writes
//! app.set(&MAINTENANCE, false); // local first, then published (last writer wins in Redis' order)
//! let _health = app.get(mirror.status()); // `Connected`, `Reconnecting` or `Resyncing`
//! # Ok(()) }
//! ```
//!
//! ## The promises
//! - **One order**: writes are atomic and totally ordered by the Redis primary (each is one Lua script:
//!   the value, its version, the namespace's sequence number and the announcement, in one step). `set`
//!   is last-writer-wins in Redis' arrival order; no wall clocks.
//! - **`update` is compare-and-set** with bounded retry ([`Options::retries`]): no update is lost; the
//!   closure may run more than once. A write whose reply was lost is retried with its operation id,
//!   which Redis remembers for a minute: it is applied at most once.
//! - **Convergence**: every process applies Redis' changes in sequence order and converges to Redis'
//!   state — typically under a millisecond on loopback; no upper bound while Redis or the network is
//!   unhealthy. A gap in the sequence, a lost subscription, a poll ([`Options::poll`]) that finds this
//!   process behind, or a new epoch makes it **resynchronise**: subscribe first, read one atomic
//!   snapshot, then apply the buffered messages newer than it.
//! - **Consistent reads**: a derived atom never sees a mix of values that did not exist together in
//!   Redis (changes are applied in order; a resync applies its whole snapshot as one change, under one
//!   lock of the global registry). Subscribers are told once per applied change, and once per differing
//!   atom after a resync. They (and effects) run on the mirror's driver task, a tokio worker thread: keep
//!   them short, or hand long work to a task of their own.
//! - **Per process**: read-your-writes ([`Mirror::set`]/[`Mirror::update`] return after their write is
//!   applied here) and monotonic versions ([`Mirror::version`], [`Version`] never goes backwards).
//! - **`store.set` on a global-mode store** keeps its meaning: the value changes here at once (local
//!   first), then is published as a blind write, last writer wins in Redis' order; Redis' other values
//!   of that atom are held back until it is published, so the writer does not see its value flicker.
//!   For counters use [`Mirror::update`]: two replicas' `store.update(&N, |n| *n += 1)` can both write
//!   the same number. A program about to exit awaits [`Mirror::flush`] first, or its last `store.set`s
//!   may never leave the process.
//! - **Redis down**: `Mirror::set`/`update` fail at once with [`MirrorError::Unavailable`] (never
//!   queued: a queued last-writer-wins write would overwrite newer values when Redis returns); reads
//!   serve the last values known; a `store.set` made meanwhile is reported and undone by the resync;
//!   [`Mirror::status`] is an atom saying `Reconnecting`. When Redis returns the mirror reconnects,
//!   resubscribes and resynchronises (`Resyncing`, then `Connected`) without a restart.
//! - **Redis lost its data** (restarted without persistence, or flushed): the namespace's epoch is gone.
//!   The first process to notice reseeds it with **its** current values, under the next generation
//!   (versions are `(generation, version)`, so they still never go backwards); the others resynchronise
//!   to that. Writes acknowledged after that process last heard from Redis are lost with Redis' data.
//! - **Bad values**: a value in Redis that does not decode as the atom's type (another version of the
//!   service wrote it) leaves the atom at its last good value here and is reported
//!   ([`MirrorError::Decode`], naming the atom, the Redis key and serde's problem through
//!   [`Options::on_error`]); the other atoms keep working; `update` of that atom fails with the same
//!   error until a good value is written. A namespace written with another [`Options::schema`] (or not
//!   by this mirror) is refused at connect ([`MirrorError::Schema`]).
//!
//! ## Limits
//! - Redis replication is asynchronous: a failover to a replica can drop writes the old primary had
//!   acknowledged. Run Redis with AOF (`appendonly yes`; `appendfsync always` if no acknowledged write
//!   may be lost to a crash of Redis itself).
//! - Only the global registry is mirrored: what global-mode stores see. An isolated store keeps its own
//!   values of `Global` atoms (that is what isolated means).
//! - Values travel as JSON (serde), one Redis hash per atom: mirror flags, settings and counters, not
//!   large collections that change by the element.

mod driver;
mod error;
mod mirror;
mod options;
mod scripts;

pub use error::MirrorError;
pub use mirror::Mirror;
pub use options::Options;

use std::fmt;

/// Where a [`Mirror`] stands with Redis; [`Mirror::status`] is an atom holding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Status {
    /// Subscribed and caught up: changes from other processes arrive as Redis orders them.
    Connected,
    /// A connection to Redis is down: writes fail with [`MirrorError::Unavailable`]; reads serve the last
    /// values known.
    Reconnecting,
    /// Connected again (or a message was missed): reading Redis' state to catch up.
    Resyncing,
}

/// The version of a value in Redis: versions of one atom increase with every write; `generation` grows
/// when Redis lost its data and the namespace was reseeded. Ordered: generation first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// The namespace's generation (1 until Redis loses its data).
    pub generation: u64,
    /// The atom's version within that generation.
    pub version: u64,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.generation, self.version)
    }
}
