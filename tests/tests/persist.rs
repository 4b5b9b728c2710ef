//! Persistence (issue 30), natively. The rules and the tests that prove them:
//! - round trip through each storage, loaded before `attach` returns: `round_trip_memory`,
//!   `round_trip_file`, `round_trip_sqlite`, `attach_loads_before_it_returns_no_default_is_seen`,
//!   `family_members_are_persisted`;
//! - saving is coalesced and off the caller's thread: `a_burst_of_100000_sets_is_a_handful_of_writes`,
//!   `a_set_never_waits_for_the_storage`, `flush_writes_now`, `dropping_the_persisted_saves`,
//!   `dropping_the_store_saves`;
//! - versions: `migrations_run_in_order_from_the_stored_version`,
//!   `a_document_from_a_newer_program_is_refused_and_untouched`, `a_failing_migration_sets_the_document_aside`;
//! - bad data loses nothing: `every_truncation_of_a_valid_document_is_set_aside_and_never_overwritten`,
//!   `bad_documents_of_every_kind_are_set_aside_and_reported`;
//! - changes made while loading win: `a_change_made_while_loading_wins_over_the_stored_value`;
//! - what is persisted: `only_and_skip_choose_atoms_and_left_out_entries_are_kept`;
//! - failures are values, reported and retried: `a_failed_save_is_reported_and_retried`,
//!   `a_storage_that_cannot_be_read_fails_attach_and_nothing_is_saved`, `file_keys_cannot_leave_the_directory`;
//! - crash safety (a child process killed with `SIGKILL` at random moments):
//!   `file_storage_survives_kill_at_random_moments`, `sqlite_storage_survives_kill_at_random_moments`,
//!   `two_processes_share_one_sqlite_database`;
//! - SQL readers: `sqlite_rows_can_be_queried_with_sql`.
#![cfg(not(target_arch = "wasm32"))]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use nexus::persist::{
    attach, FileStorage, MemoryStorage, Options, PersistError, SqliteStorage, Storage, StorageError,
};
use serde_json::{json, Value};

nexus::store! {
    /// Settings that survive restarts.
    pub struct Settings;
}

nexus::atom! {
    #![store(Settings)]
    #[name = "theme"]
    pub static THEME: String = "light".to_owned();
    #[name = "volume"]
    pub static VOLUME: u32 = 5;
    #[name = "draft"]
    pub static DRAFT: String = String::new();
    #[name = "note"]
    pub static NOTE: String = family(|id: &u32| format!("note {id}"));
    #[name = "loud"]
    pub static LOUD: bool = computed(|s| s.get(&VOLUME) > 8);
}

/// A fresh store attached to `storage` under `key`.
fn open(storage: &(impl Storage + Clone), options: Options) -> (Settings, nexus::persist::Persisted) {
    let store = Settings::new();
    let persisted = attach(&store, storage.clone(), options).expect("attach");
    (store, persisted)
}

fn stored(storage: &impl Storage, key: &str) -> Value {
    serde_json::from_str(&storage.load(key).unwrap().expect("a document")).expect("JSON")
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn round_trip(storage: &(impl Storage + Clone)) {
    {
        let (store, persisted) = open(storage, Options::new("settings"));
        assert_eq!(store.get(&THEME), "light", "nothing stored yet: the defaults");
        store.set(&THEME, "dark".to_owned());
        store.set(&VOLUME, 7);
        persisted.flush().unwrap();
    }
    let (store, persisted) = open(storage, Options::new("settings"));
    assert_eq!((store.get(&THEME), store.get(&VOLUME)), ("dark".to_owned(), 7));
    assert!(persisted.load_error().is_none());
    let doc = stored(storage, "settings");
    assert_eq!(doc["version"], json!(0));
    assert_eq!(doc["atoms"]["theme"], json!("dark"));
    assert_eq!(doc["atoms"]["volume"], json!(7));
    assert!(doc["atoms"].get("loud").is_none(), "derived atoms are not stored");
}

#[test]
fn round_trip_memory() {
    round_trip(&MemoryStorage::new());
}

#[test]
fn round_trip_file() {
    let dir = tempfile::tempdir().unwrap();
    round_trip(&FileStorage::new(dir.path()));
    assert!(dir.path().join("settings.json").is_file());
    // Nested keys make directories; nothing but documents is left behind.
    let storage = FileStorage::new(dir.path());
    storage.save("user-42/cart", "{}").unwrap();
    assert_eq!(storage.load("user-42/cart").unwrap().as_deref(), Some("{}"));
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn round_trip_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    {
        let storage = SqliteStorage::open(&path).unwrap();
        let store = Settings::new();
        let persisted = attach(&store, storage, Options::new("user-42/settings")).unwrap();
        store.set(&THEME, "dark".to_owned());
        persisted.flush().unwrap();
    }
    let store = Settings::new();
    let _persisted =
        attach(&store, SqliteStorage::open(&path).unwrap(), Options::new("user-42/settings")).unwrap();
    assert_eq!(store.get(&THEME), "dark");
}

#[test]
fn sqlite_rows_can_be_queried_with_sql() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    for (user, theme) in [("user-1", "dark"), ("user-2", "solarized")] {
        let store = Settings::new();
        let persisted = attach(&store, SqliteStorage::open(&path).unwrap(), Options::new(user)).unwrap();
        store.set(&THEME, theme.to_owned());
        persisted.flush().unwrap();
    }
    let db = rusqlite::Connection::open(&path).unwrap();
    let mode: String = db.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let mut query = db
        .prepare("SELECT key, json_extract(document, '$.atoms.theme') FROM nexus_state ORDER BY key")
        .unwrap();
    let rows: Vec<(String, String)> =
        query.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    assert_eq!(
        rows,
        [("user-1".to_owned(), "dark".to_owned()), ("user-2".to_owned(), "solarized".to_owned())]
    );
}

#[test]
fn attach_loads_before_it_returns_no_default_is_seen() {
    let storage = MemoryStorage::new();
    storage.put("settings", r#"{ "version": 0, "atoms": { "theme": "dark" } }"#);
    let store = Settings::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let _sub = store.subscribe(&THEME, move |t| sink.lock().unwrap().push(t.clone()));
    let _persisted = attach(&store, storage.clone(), Options::new("settings")).unwrap();
    // The very first read after attach is the stored value.
    assert_eq!(store.get(&THEME), "dark");
    assert_eq!(*seen.lock().unwrap(), ["dark"]);
    // Loading is not a change to save back.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(storage.saves("settings"), 0);
}

#[test]
fn family_members_are_persisted() {
    let storage = MemoryStorage::new();
    {
        let (store, _p) = open(&storage, Options::new("notes"));
        store.set(&NOTE.at(3), "buy milk".to_owned());
    }
    assert_eq!(stored(&storage, "notes")["atoms"]["note[3]"], json!("buy milk"));
    let (store, _p) = open(&storage, Options::new("notes"));
    assert_eq!(store.get(&NOTE.at(3)), "buy milk");
}

#[test]
fn a_burst_of_100000_sets_is_a_handful_of_writes() {
    let storage = MemoryStorage::new();
    let (store, persisted) = open(&storage, Options::new("burst").delay(Duration::from_millis(50)));
    for i in 0..100_000u32 {
        store.set(&VOLUME, i);
    }
    drop(persisted);
    let writes = storage.saves("burst");
    println!("100,000 sets with a 50 ms delay: {writes} writes");
    assert!((1..=20).contains(&writes), "{writes} writes");
    assert_eq!(stored(&storage, "burst")["atoms"]["volume"], json!(99_999));
}

/// A storage whose saves wait until the test opens the gate.
#[derive(Clone)]
struct Gated {
    inner: MemoryStorage,
    gate: Arc<Mutex<()>>,
    entered: Arc<AtomicUsize>,
}

impl Storage for Gated {
    fn load(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.inner.load(key)
    }
    fn save(&self, key: &str, document: &str) -> Result<(), StorageError> {
        self.entered.fetch_add(1, Ordering::SeqCst);
        let _open = self.gate.lock().unwrap();
        self.inner.save(key, document)
    }
    fn set_aside(&self, key: &str, stamp: &str) -> Result<String, StorageError> {
        self.inner.set_aside(key, stamp)
    }
}

#[test]
fn a_set_never_waits_for_the_storage() {
    let storage =
        Gated { inner: MemoryStorage::new(), gate: Arc::new(Mutex::new(())), entered: Arc::default() };
    let closed = storage.gate.lock().unwrap();
    let (store, persisted) = open(&storage, Options::new("slow").delay(Duration::ZERO));
    store.set(&VOLUME, 1);
    wait_until("the saver is inside a save", || storage.entered.load(Ordering::SeqCst) == 1);
    // The saver is stuck in the storage: sets on another thread still return at once.
    let (done, finished) = mpsc::channel();
    let writer = store.clone();
    std::thread::spawn(move || {
        for i in 2..1_000 {
            writer.set(&VOLUME, i);
        }
        done.send(writer.get(&VOLUME)).unwrap();
    });
    assert_eq!(finished.recv_timeout(Duration::from_secs(10)), Ok(999), "sets waited for the storage");
    drop(closed);
    drop(persisted);
    assert_eq!(stored(&storage.inner, "slow")["atoms"]["volume"], json!(999));
}

#[test]
fn flush_writes_now() {
    let storage = MemoryStorage::new();
    let (store, persisted) = open(&storage, Options::new("now").delay(Duration::from_secs(3600)));
    store.set(&DRAFT, "hello".to_owned());
    assert_eq!(storage.saves("now"), 0, "not before the delay");
    persisted.flush().unwrap();
    assert_eq!(storage.saves("now"), 1);
    assert_eq!(stored(&storage, "now")["atoms"]["draft"], json!("hello"));
    persisted.flush().unwrap();
    assert_eq!(storage.saves("now"), 1, "nothing changed: nothing written");
    assert_eq!(persisted.saves(), 1);
}

#[test]
fn dropping_the_persisted_saves() {
    let storage = MemoryStorage::new();
    let (store, persisted) = open(&storage, Options::new("drop").delay(Duration::from_secs(3600)));
    store.set(&DRAFT, "unsaved".to_owned());
    drop(persisted);
    assert_eq!(stored(&storage, "drop")["atoms"]["draft"], json!("unsaved"));
    // Detached: later changes are not saved.
    store.set(&DRAFT, "later".to_owned());
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(storage.saves("drop"), 1);
}

#[test]
fn dropping_the_store_saves() {
    let storage = MemoryStorage::new();
    let (store, persisted) = open(&storage, Options::new("store-drop").delay(Duration::from_secs(3600)));
    store.set(&DRAFT, "last words".to_owned());
    drop(store);
    assert_eq!(stored(&storage, "store-drop")["atoms"]["draft"], json!("last words"));
    drop(persisted);
    assert_eq!(storage.saves("store-drop"), 1, "saved once, by the store's drop");
}

fn versioned() -> Options {
    Options::new("settings")
        .version(3)
        // v1 → v2: `dark: bool` became `theme: String`.
        .migrate(2, |mut atoms| {
            let dark = atoms["dark"].as_bool().ok_or("v1 has a `dark` boolean")?;
            let atoms_map = atoms.as_object_mut().ok_or("not an object")?;
            atoms_map.remove("dark");
            atoms_map.insert("theme".into(), json!(if dark { "dark" } else { "light" }));
            Ok(atoms)
        })
        // v2 → v3: `volume` went from 0..=100 to 0..=10.
        .migrate(3, |mut atoms| {
            let volume = atoms["volume"].as_u64().unwrap_or(50);
            atoms["volume"] = json!(volume / 10);
            Ok(atoms)
        })
}

#[test]
fn migrations_run_in_order_from_the_stored_version() {
    let storage = MemoryStorage::new();
    storage.put("settings", r#"{ "version": 1, "atoms": { "dark": true, "volume": 80 } }"#);
    let (store, persisted) = open(&storage, versioned());
    assert!(persisted.load_error().is_none(), "{:?}", persisted.load_error());
    assert_eq!((store.get(&THEME), store.get(&VOLUME)), ("dark".to_owned(), 8));
    // A v2 document skips the first migration.
    storage.put("settings", r#"{ "version": 2, "atoms": { "theme": "solarized", "volume": 30 } }"#);
    let (store, second) = open(&storage, versioned());
    assert_eq!((store.get(&THEME), store.get(&VOLUME)), ("solarized".to_owned(), 3));
    // Saved at the current version.
    store.set(&VOLUME, 4);
    drop(second);
    assert_eq!(stored(&storage, "settings")["version"], json!(3));
}

#[test]
fn a_document_from_a_newer_program_is_refused_and_untouched() {
    let storage = MemoryStorage::new();
    let newer = r#"{ "version": 4, "atoms": { "theme": "dark", "font": "large" } }"#;
    storage.put("settings", newer);
    let store = Settings::new();
    let error = attach(&store, storage.clone(), versioned()).unwrap_err();
    assert_eq!(error, PersistError::NewerVersion { key: "settings".into(), stored: 4, current: 3 });
    assert!(error.to_string().contains("version 4, newer than this program's version 3"), "{error}");
    store.set(&THEME, "light".to_owned());
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(storage.load("settings").unwrap().as_deref(), Some(newer));
    assert_eq!(storage.keys(), ["settings"]);
}

#[test]
fn a_failing_migration_sets_the_document_aside() {
    let storage = MemoryStorage::new();
    let v1 = r#"{ "version": 1, "atoms": { "volume": 80 } }"#;
    storage.put("settings", v1);
    let (store, persisted) = open(&storage, versioned());
    let Some(PersistError::Unreadable { problem, kept_as, .. }) = persisted.load_error() else {
        panic!("{:?}", persisted.load_error())
    };
    assert!(problem.contains("the migration to version 2 failed: v1 has a `dark` boolean"), "{problem}");
    assert_eq!(store.get(&VOLUME), 5, "defaults");
    assert_eq!(storage.load(kept_as).unwrap().as_deref(), Some(v1));
}

/// Attaches to `document` stored under `settings`, then checks: an `Unreadable` error naming the key,
/// the defaults, the document kept as it was; then a save, after which the kept document is unchanged.
fn assert_set_aside(document: &str) -> String {
    let storage = MemoryStorage::new();
    storage.put("settings", document);
    let reported = Arc::new(Mutex::new(Vec::new()));
    let sink = reported.clone();
    let store = Settings::new();
    let persisted = attach(
        &store,
        storage.clone(),
        Options::new("settings").on_error(move |e| sink.lock().unwrap().push(e.clone())),
    )
    .expect("a bad document does not fail attach");
    let Some(PersistError::Unreadable { key, problem, kept_as }) = persisted.load_error().cloned() else {
        panic!("{document:?} was accepted: {:?}", persisted.load_error())
    };
    assert_eq!(key, "settings");
    assert!(kept_as.starts_with("settings.corrupt-"), "{kept_as}");
    assert_eq!(*reported.lock().unwrap(), [persisted.load_error().unwrap().clone()]);
    assert_eq!((store.get(&THEME), store.get(&VOLUME)), ("light".to_owned(), 5), "defaults");
    assert_eq!(storage.load(&kept_as).unwrap().as_deref(), Some(document));
    store.set(&VOLUME, 6);
    persisted.flush().unwrap();
    assert_eq!(storage.load(&kept_as).unwrap().as_deref(), Some(document), "never overwritten");
    assert_eq!(stored(&storage, "settings")["atoms"]["volume"], json!(6));
    problem
}

#[test]
fn every_truncation_of_a_valid_document_is_set_aside_and_never_overwritten() {
    let valid = r#"{ "version": 0, "store": "Settings", "atoms": { "theme": "dark", "volume": 7 } }"#;
    for end in 0..valid.len() {
        let problem = assert_set_aside(&valid[..end]);
        assert!(problem.contains("does not parse as JSON") || problem.contains("no `"), "{end}: {problem}");
    }
}

#[test]
fn bad_documents_of_every_kind_are_set_aside_and_reported() {
    let nul = "\0".repeat(4096);
    let cases = [
        (nul.as_str(), "does not parse as JSON"),
        ("[1, 2, 3]", "not a JSON object"),
        (r#"{ "atoms": {} }"#, "has no `version`"),
        (r#"{ "version": "one", "atoms": {} }"#, "not a version number"),
        (r#"{ "version": 0, "atoms": [] }"#, "its `atoms` is an array"),
        (r#"{ "version": 0, "atoms": { "volume": "loud" } }"#, "atom `volume`"),
        (r#"{ "version": 0, "atoms": { "theme": "dark", "gone": 1 } }"#, "no atom `gone`"),
        (r#"{ "version": 0, "atoms": { "loud": true } }"#, "`loud`"),
    ];
    for (document, expected) in cases {
        let problem = assert_set_aside(document);
        assert!(problem.contains(expected), "{document:?}: {problem}");
    }
}

/// A storage whose `load` lets the test change the store before it returns.
struct SlowLoad {
    inner: MemoryStorage,
    during_load: Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

impl Storage for SlowLoad {
    fn load(&self, key: &str) -> Result<Option<String>, StorageError> {
        if let Some(during) = self.during_load.lock().unwrap().take() {
            during();
        }
        self.inner.load(key)
    }
    fn save(&self, key: &str, document: &str) -> Result<(), StorageError> {
        self.inner.save(key, document)
    }
    fn set_aside(&self, key: &str, stamp: &str) -> Result<String, StorageError> {
        self.inner.set_aside(key, stamp)
    }
}

#[test]
fn a_change_made_while_loading_wins_over_the_stored_value() {
    let inner = MemoryStorage::new();
    inner.put("settings", r#"{ "version": 0, "atoms": { "theme": "stored", "volume": 9 } }"#);
    let store = Settings::new();
    let other = store.clone();
    let during: Box<dyn FnOnce() + Send> = Box::new(move || {
        // Another thread writes while the document is being read.
        std::thread::spawn(move || other.set(&THEME, "mine".to_owned())).join().unwrap();
    });
    let storage = SlowLoad { inner: inner.clone(), during_load: Mutex::new(Some(during)) };
    let persisted = attach(&store, storage, Options::new("settings")).unwrap();
    assert_eq!(store.get(&THEME), "mine", "the write made while loading wins");
    assert_eq!(store.get(&VOLUME), 9, "the other stored atoms load");
    drop(persisted);
    assert_eq!(stored(&inner, "settings")["atoms"]["theme"], json!("mine"));
}

#[test]
fn only_and_skip_choose_atoms_and_left_out_entries_are_kept() {
    let storage = MemoryStorage::new();
    storage.put("settings", r#"{ "version": 0, "atoms": { "theme": "dark", "draft": "from last time" } }"#);
    {
        let (store, persisted) = open(&storage, Options::new("settings").skip(["draft"]));
        assert_eq!(store.get(&THEME), "dark");
        assert_eq!(store.get(&DRAFT), "", "skipped: not loaded");
        store.set(&DRAFT, "not persisted".to_owned());
        store.set(&VOLUME, 2);
        drop(persisted);
    }
    let doc = stored(&storage, "settings");
    assert_eq!(doc["atoms"]["draft"], json!("from last time"), "a left-out entry is kept as it was");
    assert_eq!(doc["atoms"]["volume"], json!(2));
    let (store, persisted) = open(&storage, Options::new("settings").only(["volume", "note"]));
    assert_eq!((store.get(&THEME), store.get(&VOLUME)), ("light".to_owned(), 2));
    store.set(&NOTE.at(1), "kept".to_owned());
    drop(persisted);
    let doc = stored(&storage, "settings");
    assert_eq!(
        (doc["atoms"]["theme"].clone(), doc["atoms"]["note[1]"].clone()),
        (json!("dark"), json!("kept"))
    );
}

#[test]
fn a_failed_save_is_reported_and_retried() {
    let storage = MemoryStorage::new();
    let errors = Arc::new(Mutex::new(Vec::<PersistError>::new()));
    let sink = errors.clone();
    let options =
        Options::new("retry").delay(Duration::ZERO).on_error(move |e| sink.lock().unwrap().push(e.clone()));
    let (store, persisted) = open(&storage, options);
    storage.fail_saves(true);
    store.set(&VOLUME, 1);
    wait_until("the failure is reported", || !errors.lock().unwrap().is_empty());
    let first = errors.lock().unwrap()[0].clone();
    assert!(matches!(&first, PersistError::Storage { key, .. } if key == "retry"), "{first}");
    assert!(first.to_string().contains("save retry failed"), "{first}");
    storage.fail_saves(false);
    wait_until("the retry saved", || storage.saves("retry") == 1);
    assert_eq!(stored(&storage, "retry")["atoms"]["volume"], json!(1));
    drop(persisted);
}

/// A storage that cannot be read.
struct Unreadable;

impl Storage for Unreadable {
    fn load(&self, key: &str) -> Result<Option<String>, StorageError> {
        Err(StorageError::new(format!("read {key}"), "permission denied"))
    }
    fn save(&self, _: &str, _: &str) -> Result<(), StorageError> {
        panic!("nothing may be saved over a document that could not be read")
    }
    fn set_aside(&self, _: &str, _: &str) -> Result<String, StorageError> {
        panic!("nothing may be moved")
    }
}

#[test]
fn a_storage_that_cannot_be_read_fails_attach_and_nothing_is_saved() {
    let store = Settings::new();
    let error = attach(&store, Unreadable, Options::new("settings")).unwrap_err();
    assert_eq!(error.to_string(), "persisted state `settings`: read settings failed: permission denied");
    store.set(&VOLUME, 1);
    drop(store);
}

#[test]
fn file_keys_cannot_leave_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let storage = FileStorage::new(dir.path().join("inner"));
    for key in ["", "../x", "a/../../x", "/etc/passwd", "a\\b", "a//b", "."] {
        let error = storage.save(key, "{}").unwrap_err();
        assert!(error.message.contains("non-empty names"), "{key:?}: {error}");
    }
    assert!(!dir.path().join("x.json").exists());
}

/// The child saves in a loop; it is killed at `kills` random moments. After each kill, the document
/// must parse and be one whole state the child saved.
fn survives_kills(
    mode: &str,
    path: &std::path::Path,
    read: impl Fn() -> Option<String>,
    kills: u32,
) -> (u32, u64) {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut random = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    let (mut found, mut highest) = (0, 0);
    for _ in 0..kills {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_persist_child"))
            .args([mode, path.to_str().unwrap(), "state"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(2_000 + random(40_000)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let Some(text) = read() else { continue };
        let doc: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("a torn document ({e}): {text:?}"));
        let n = doc["atoms"]["n"].as_u64().unwrap();
        let rows = doc["atoms"]["rows"].as_array().unwrap();
        let len = usize::try_from(100 + n % 400).unwrap();
        assert!(rows.len() == len && rows.iter().all(|r| r.as_u64() == Some(n)), "not a saved state: {doc}");
        assert!(n >= highest, "went back from {highest} to {n}");
        highest = n;
        found += 1;
    }
    (found, highest)
}

#[test]
fn file_storage_survives_kill_at_random_moments() {
    let dir = tempfile::tempdir().unwrap();
    let storage = FileStorage::new(dir.path());
    let (found, highest) = survives_kills("file", dir.path(), || storage.load("state").unwrap(), 200);
    let temporaries = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name() != "state.json")
            .count()
    };
    let leftovers = temporaries();
    println!("file: 200 kills, {found} documents checked whole, last state {highest}, {leftovers} temporary files left by kills");
    assert!(found > 150, "the child saved too rarely to test anything: {found}");
    // A load removes the temporary files of interrupted saves once they are old (never recent ones:
    // they may be another process's save under way).
    storage.load("state").unwrap();
    assert_eq!(temporaries(), leftovers, "recent temporary files are left alone");
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let file = std::fs::File::options().write(true).open(entry.unwrap().path()).unwrap();
        file.set_modified(std::time::SystemTime::now() - Duration::from_secs(120)).unwrap();
    }
    storage.load("state").unwrap();
    assert_eq!(temporaries(), 0, "old temporary files are removed");
    assert!(storage.load("state").unwrap().is_some(), "the document stays");
}

#[test]
fn sqlite_storage_survives_kill_at_random_moments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let read = || SqliteStorage::open(&path).unwrap().load("state").unwrap();
    let (found, highest) = survives_kills("sqlite", &path, read, 200);
    println!("sqlite: 200 kills, {found} documents checked whole, last state {highest}");
    assert!(found > 150, "the child saved too rarely to test anything: {found}");
}

#[test]
fn two_processes_share_one_sqlite_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    // Both write the same key as fast as they can, each going on from what it loaded, until a state
    // of 400 or more: every save must succeed (a busy database is waited for), or the child fails.
    let children: Vec<_> = (0..2)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_persist_child"))
                .args(["sqlite", path.to_str().unwrap(), "state", "400"])
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a writer failed");
    }
    let text = SqliteStorage::open(&path).unwrap().load("state").unwrap().expect("saved");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let n = doc["atoms"]["n"].as_u64().unwrap();
    assert!(n > 0);
    assert_eq!(doc["atoms"]["rows"].as_array().unwrap().len(), usize::try_from(100 + n % 400).unwrap());
}
