//! What can go wrong, as values.

use std::fmt;

use super::Version;

/// An error of the Redis mirror: returned by [`Mirror::connect`](super::Mirror::connect),
/// [`Mirror::set`](super::Mirror::set) and [`Mirror::update`](super::Mirror::update), and reported
/// through [`Options::on_error`](super::Options::on_error) for what happens in the background (a value
/// in Redis that does not decode, a `store.set` that could not be published).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MirrorError {
    /// Redis cannot be reached (the mirror is reconnecting): the write was **not sent**, and is not
    /// queued. Reads keep serving the last values this process knows.
    Unavailable {
        /// The mirror's namespace.
        namespace: String,
    },
    /// The write was sent but its reply was lost, and Redis could not be asked again in time (it went
    /// away meanwhile): it may or may not have been applied. (While Redis answers, a write whose reply
    /// was lost is retried with the same operation id, which Redis applies at most once.)
    Unconfirmed {
        /// The atom's key.
        key: String,
    },
    /// Redis ordered the write (at `version`), but this process has not received it back within
    /// [`Options::timeout`](super::Options::timeout) (its subscription is being re-established), so a
    /// read here may not show it yet. It will, once the mirror has resynchronised.
    Lagging {
        /// The atom's key.
        key: String,
        /// The version Redis gave the write.
        version: Version,
    },
    /// [`Mirror::update`](super::Mirror::update) lost the compare-and-set to other writers more times
    /// than [`Options::retries`](super::Options::retries): nothing was written.
    Contention {
        /// The atom's key.
        key: String,
        /// How many times it tried.
        attempts: u32,
    },
    /// The atom is not one of those the mirror was given ([`Options::atom`](super::Options::atom)).
    NotMirrored {
        /// The atom's registry name.
        atom: String,
    },
    /// A value could not be written as JSON.
    Encode {
        /// The atom's key.
        key: String,
        /// What serde said.
        error: String,
    },
    /// A value in Redis does not decode as the atom's type (another version of the service wrote it):
    /// the atom keeps its last good value here; the other atoms are not affected.
    Decode {
        /// The atom's key.
        key: String,
        /// The Redis key holding the value.
        redis_key: String,
        /// What serde said, with the path inside the value.
        error: String,
    },
    /// The namespace in Redis was written by an incompatible program (another `schema` number, or not
    /// by nexus's mirror): refused at connect; nothing was written.
    Schema {
        /// The namespace.
        namespace: String,
        /// What this process expects.
        expected: String,
        /// What Redis holds.
        found: String,
    },
    /// Any other error of Redis or of the connection (a bad URL, a script Redis refused).
    Redis {
        /// The error's text.
        message: String,
    },
}

impl fmt::Display for MirrorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MirrorError::Unavailable { namespace } => write!(
                f,
                "Redis is unavailable (the mirror of namespace `{namespace}` is reconnecting): the write was not sent"
            ),
            MirrorError::Unconfirmed { key } => write!(
                f,
                "the write of `{key}` was sent but Redis did not confirm it before the connection was lost: it may or may not have been applied"
            ),
            MirrorError::Lagging { key, version } => write!(
                f,
                "Redis ordered the write of `{key}` at version {version}, but this process has not caught up with it yet"
            ),
            MirrorError::Contention { key, attempts } => {
                write!(f, "the update of `{key}` lost to other writers {attempts} times in a row: nothing was written")
            }
            MirrorError::NotMirrored { atom } => {
                write!(f, "`{atom}` is not mirrored: give it to `Options::atom` before `Mirror::connect`")
            }
            MirrorError::Encode { key, error } => write!(f, "`{key}` could not be written as JSON: {error}"),
            MirrorError::Decode { key, redis_key, error } => write!(
                f,
                "the value of `{key}` in Redis (`{redis_key}`) does not decode: {error}; the atom keeps its last good value"
            ),
            MirrorError::Schema { namespace, expected, found } => write!(
                f,
                "the Redis namespace `{namespace}` was written by an incompatible program: it holds {found}, this process expects {expected}"
            ),
            MirrorError::Redis { message } => write!(f, "Redis: {message}"),
        }
    }
}

impl std::error::Error for MirrorError {}
