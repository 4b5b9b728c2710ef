//! [`PersistError`]: everything persistence reports, each naming the key.

use std::fmt;

use crate::persist::storage::StorageError;

/// What went wrong, always with the key of the document. Non-exhaustive: match with a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PersistError {
    /// The storage failed (reading, writing, setting a document aside).
    Storage {
        /// The document's key.
        key: String,
        /// The storage's error.
        error: StorageError,
    },
    /// The stored document could not be used: it does not parse, lacks the version, fails a migration,
    /// or does not hydrate (an unknown atom, a value of the wrong type). The store started from its
    /// defaults; the document was kept under another name, which no save overwrites.
    Unreadable {
        /// The document's key.
        key: String,
        /// What is wrong with it.
        problem: String,
        /// Where it was kept (`KEY.corrupt-TIMESTAMP`).
        kept_as: String,
    },
    /// The stored document was written by a newer version of the program. It was left untouched, the
    /// store was not loaded from it, and nothing is saved over it.
    NewerVersion {
        /// The document's key.
        key: String,
        /// The document's version.
        stored: u32,
        /// The version this code writes ([`Options::version`](crate::persist::Options::version)).
        current: u32,
    },
}

impl PersistError {
    /// The key of the document concerned.
    pub fn key(&self) -> &str {
        match self {
            PersistError::Storage { key, .. }
            | PersistError::Unreadable { key, .. }
            | PersistError::NewerVersion { key, .. } => key,
        }
    }
}

impl fmt::Display for PersistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PersistError::Storage { key, error } => write!(f, "persisted state `{key}`: {error}"),
            PersistError::Unreadable { key, problem, kept_as } => write!(
                f,
                "persisted state `{key}` could not be used ({problem}): the store starts from its defaults, \
                 and the document was kept as `{kept_as}`"
            ),
            PersistError::NewerVersion { key, stored, current } => write!(
                f,
                "persisted state `{key}` is version {stored}, newer than this program's version {current}: \
                 it was left untouched, and is not loaded nor saved over"
            ),
        }
    }
}

impl std::error::Error for PersistError {}
