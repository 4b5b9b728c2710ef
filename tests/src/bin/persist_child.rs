//! The process that `tests/persist.rs` kills: it saves states of a store as fast as it can, each state
//! one `flush`, until it is killed (`SIGKILL`) at a random moment.
//!
//! Usage: `persist_child file DIR KEY` or `persist_child sqlite FILE KEY` (optionally a fourth argument:
//! how many states to save before exiting; without it, it never stops).
//!
//! Every state `n` is recognisable whole: `n` is `n`, and `rows` is `n` repeated `100 + n % 400` times,
//! so a torn or mixed document cannot pass for a saved state.

// Native only (files, SQLite, processes): on wasm32 the bin is empty.
#![cfg_attr(target_arch = "wasm32", allow(unused))]

#[cfg(not(target_arch = "wasm32"))]
use nexus::persist::{attach, FileStorage, Options, SqliteStorage, Storage};

nexus::store! {
    /// What the child saves.
    pub struct Crash;
}

nexus::atom! {
    #![store(Crash)]
    #[name = "n"]
    pub static N: u64 = 0;
    #[name = "rows"]
    pub static ROWS: Vec<u64> = Vec::new();
}

#[cfg(not(target_arch = "wasm32"))]
fn run(storage: impl Storage, key: &str, limit: Option<u64>) {
    let store = Crash::new();
    let persisted = attach(&store, storage, Options::new(key)).expect("attach");
    // Go on from what is stored (a shared database: another process may have saved before).
    let mut n = store.get(&N);
    loop {
        n += 1;
        let len = usize::try_from(100 + n % 400).expect("small");
        store.batch(|| {
            store.set(&N, n);
            store.set(&ROWS, vec![n; len]);
        });
        persisted.flush().expect("flush");
        if limit.is_some_and(|limit| n >= limit) {
            break;
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, mode, path, key, rest @ ..] = args.as_slice() else {
        panic!("usage: persist_child file|sqlite PATH KEY [LIMIT]");
    };
    let limit = rest.first().map(|l| l.parse().expect("a number of states"));
    match mode.as_str() {
        "file" => run(FileStorage::new(path), key, limit),
        "sqlite" => run(SqliteStorage::open(path).expect("open the database"), key, limit),
        other => panic!("unknown storage {other}"),
    }
}
