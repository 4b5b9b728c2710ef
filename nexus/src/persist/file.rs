//! [`FileStorage`]: one JSON file per key, replaced crash-safe.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::persist::storage::{Storage, StorageError};

/// One JSON document per key in a directory (`DIR/KEY.json`), written crash-safe: the new document goes
/// to a temporary file in the same directory, is flushed to the disk (`sync_all`), renamed over the old
/// one (`tempfile`'s `persist`: an atomic `rename`), and the directory is flushed too (on Unix), so that
/// after a power loss the file holds the old document or the new one, whole — never a torn or empty
/// file.
///
/// A process killed in the middle of a save leaves its temporary file (`.nexus-*.tmp`) beside the
/// document, never in its place; such files older than a minute are removed when a document of their
/// directory is next loaded.
///
/// Keys may contain `/` (`"user-42/cart"`): subdirectories are made as needed. A key may not be empty,
/// start with `/`, or contain a `..` component or a `\`: such a key is refused with an error, never
/// written outside the directory.
#[derive(Debug, Clone)]
pub struct FileStorage {
    dir: PathBuf,
}

impl FileStorage {
    /// Documents under `dir` (made on the first save if it does not exist).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FileStorage { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file that holds `key`'s document.
    ///
    /// # Errors
    /// If `key` could name a file outside the directory.
    pub fn path(&self, key: &str) -> Result<PathBuf, StorageError> {
        let bad = key.is_empty()
            || key.starts_with('/')
            || key.contains('\\')
            || key.contains('\0')
            || key.split('/').any(|part| part.is_empty() || part == "." || part == "..");
        if bad {
            return Err(StorageError::new(
                format!("use key {key:?}"),
                "a key is one or more non-empty names separated by `/`, without `.`, `..` or `\\`",
            ));
        }
        Ok(self.dir.join(format!("{key}.json")))
    }
}

impl Storage for FileStorage {
    fn load(&self, key: &str) -> Result<Option<String>, StorageError> {
        let path = self.path(key)?;
        remove_stale_temporaries(path.parent().unwrap_or(&self.dir));
        match fs::read(&path) {
            // Bytes, not a string: a file of NUL bytes or bad UTF-8 is a document that does not parse
            // (set aside and kept), not a read failure.
            Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StorageError::new(format!("read {}", path.display()), e)),
        }
    }

    fn save(&self, key: &str, document: &str) -> Result<(), StorageError> {
        let path = self.path(key)?;
        let dir = path.parent().unwrap_or(&self.dir);
        let failed = |what: &str, e: &dyn std::fmt::Display| {
            StorageError::new(format!("{what} {}", path.display()), e)
        };
        fs::create_dir_all(dir).map_err(|e| failed("make the directory of", &e))?;
        let mut temp = tempfile::Builder::new()
            .prefix(".nexus-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| failed("make a temporary file for", &e))?;
        temp.write_all(document.as_bytes()).map_err(|e| failed("write", &e))?;
        temp.as_file().sync_all().map_err(|e| failed("flush", &e))?;
        temp.persist(&path).map_err(|e| failed("rename over", &e.error))?;
        sync_dir(dir).map_err(|e| failed("flush the directory of", &e))
    }

    fn set_aside(&self, key: &str, stamp: &str) -> Result<String, StorageError> {
        let path = self.path(key)?;
        let aside = format!("{key}.corrupt-{stamp}");
        let to = self.path(&aside)?;
        match fs::rename(&path, &to) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(aside),
            Err(e) => return Err(StorageError::new(format!("rename {} aside", path.display()), e)),
        }
        sync_dir(path.parent().unwrap_or(&self.dir))
            .map_err(|e| StorageError::new(format!("flush the directory of {}", to.display()), e))?;
        Ok(aside)
    }
}

/// A temporary file older than this was left by a process that died while saving (a save takes
/// milliseconds): it is removed when a document of its directory is next loaded.
const STALE: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes the temporary files of saves that a crash interrupted (best effort: a failure only leaves
/// them). Recent ones may be another process's save under way, and are left alone.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".nexus-") && name.ends_with(".tmp")) {
            continue;
        }
        let age = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
        if age.is_some_and(|age| age > STALE) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Makes a rename in `dir` durable (Unix: an `fsync` of the directory; elsewhere the rename itself is).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
