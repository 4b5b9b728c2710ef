//! [`SqliteStorage`] (feature `sqlite`): one row per key in an SQLite table.

use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};

use crate::persist::storage::{Storage, StorageError};

/// The table: `key` (primary key), `document` (the JSON text), `saved_at` (milliseconds since the Unix
/// epoch).
const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS nexus_state (
    key TEXT PRIMARY KEY NOT NULL,
    document TEXT NOT NULL,
    saved_at INTEGER NOT NULL
)";

/// Documents as rows of the table `nexus_state` (`key`, `document`, `saved_at`) in an SQLite database
/// (`rusqlite`, SQLite bundled: nothing to install). For servers and desktop apps with many stores (a
/// cart per user: one row each), and for readers that query the state with SQL:
/// `SELECT json_extract(document, '$.atoms.theme') FROM nexus_state WHERE key = 'settings'`.
///
/// The database runs in WAL mode with `synchronous = FULL`: each save is one transaction, durable when
/// it returns, and a crash at any moment leaves the old row or the new one. Several processes may share
/// one database file: a writer waits up to 5 s for another's transaction.
pub struct SqliteStorage {
    connection: Mutex<Connection>,
}

impl SqliteStorage {
    /// Opens (or creates) the database file at `path`.
    ///
    /// # Errors
    /// If SQLite cannot open the file, switch it to WAL mode or make the table.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StorageError> {
        let path = path.as_ref();
        let connection = Connection::open(path)
            .map_err(|e| StorageError::new(format!("open the SQLite database {}", path.display()), e))?;
        Self::with(connection, &format!("the SQLite database {}", path.display()))
    }

    /// A database in memory (gone with the storage): for tests.
    ///
    /// # Errors
    /// If SQLite cannot make it.
    pub fn in_memory() -> Result<Self, StorageError> {
        let connection = Connection::open_in_memory()
            .map_err(|e| StorageError::new("open an SQLite database in memory", e))?;
        Self::with(connection, "an SQLite database in memory")
    }

    fn with(connection: Connection, what: &str) -> Result<Self, StorageError> {
        let set_up = |c: &Connection| -> rusqlite::Result<()> {
            c.busy_timeout(Duration::from_secs(5))?;
            // `journal_mode` answers with the mode it chose (a row): read it rather than execute.
            let _mode: String = c.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
            c.execute_batch("PRAGMA synchronous = FULL;")?;
            c.execute_batch(SCHEMA)
        };
        // Two processes setting up a new database at once: switching it to WAL takes a lock that SQLite
        // may refuse at once, without waiting through the busy timeout (`database is locked`). The set-up
        // is idempotent, so it is tried again for about as long as that timeout.
        let mut tries = 0;
        while let Err(e) = set_up(&connection) {
            let busy = matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            );
            tries += 1;
            if !busy || tries >= 100 {
                return Err(StorageError::new(format!("set up {what}"), e));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(SqliteStorage { connection: Mutex::new(connection) })
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.connection.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl std::fmt::Debug for SqliteStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStorage").finish_non_exhaustive()
    }
}

fn now_millis() -> i64 {
    let since = crate::core::clock::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

impl Storage for SqliteStorage {
    fn load(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.connection()
            .query_row("SELECT document FROM nexus_state WHERE key = ?1", [key], |row| row.get(0))
            .optional()
            .map_err(|e| StorageError::new(format!("read {key}"), e))
    }

    fn save(&self, key: &str, document: &str) -> Result<(), StorageError> {
        let mut connection = self.connection();
        let save = |c: &mut Connection| -> rusqlite::Result<()> {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO nexus_state (key, document, saved_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET document = excluded.document, saved_at = excluded.saved_at",
                params![key, document, now_millis()],
            )?;
            tx.commit()
        };
        save(&mut connection).map_err(|e| StorageError::new(format!("save {key}"), e))
    }

    fn set_aside(&self, key: &str, stamp: &str) -> Result<String, StorageError> {
        let aside = format!("{key}.corrupt-{stamp}");
        let mut connection = self.connection();
        let move_row = |c: &mut Connection| -> rusqlite::Result<()> {
            let tx = c.transaction()?;
            tx.execute("UPDATE nexus_state SET key = ?2 WHERE key = ?1", params![key, aside])?;
            tx.commit()
        };
        move_row(&mut connection).map_err(|e| StorageError::new(format!("set {key} aside"), e))?;
        Ok(aside)
    }
}
