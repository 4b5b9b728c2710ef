//! Atom families (SPEC §2 "families"; issue 6).

// On wasm32 these tests run in headless Chromium (`scripts/wasm-test.sh`): wasm-bindgen-test's `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::sync::atomic::{AtomicUsize, Ordering};

nexus::store! {
    pub struct Board;
    pub struct Other;
}

/// A to-do item.
#[derive(Clone, Debug, PartialEq)]
pub struct Todo {
    pub id: u64,
    pub done: bool,
}

static INITS: AtomicUsize = AtomicUsize::new(0);

fn counted(id: u64) -> u64 {
    INITS.fetch_add(1, Ordering::SeqCst);
    id
}

nexus::atom! {
    #![store(Board)]
    pub static TODO: Todo = family(|id: &u64| Todo { id: *id, done: false });
    /// Only `initialisers_run_per_store_on_first_use` uses this one (it counts its initialiser calls).
    pub static COUNTED: u64 = family(|id: &u64| counted(*id));
    pub static IDS: Vec<u64> = Vec::new();
    pub static REMAINING: usize = computed(|s| {
        let ids = s.get(&IDS);
        ids.iter().filter(|id| !s.get(&TODO.at(**id)).done).count()
    });
    pub static LABEL: String = family_computed(|id: &u64, s| {
        let todo = s.get(&TODO.at(*id));
        format!("#{} {}", todo.id, if todo.done { "done" } else { "open" })
    });
    #[capacity = 2]
    pub static SMALL: u32 = family(|k: &String| u32::try_from(k.len()).unwrap_or(u32::MAX));
    pub static NAMED: u8 = family(|k: &(u8, u8)| k.0 + k.1);
}

nexus::atom! {
    pub static GLOBAL_FAMILY: i64 = family(|k: &i64| k * 2);
}

#[test]
fn one_atom_per_key_per_store() {
    let a = Board::new();
    let b = Board::new();
    a.set(&TODO.at(1), Todo { id: 1, done: true });
    assert!(a.get(&TODO.at(1)).done);
    assert!(!a.get(&TODO.at(2)).done);
    assert!(!b.get(&TODO.at(1)).done, "values are per store");
    assert_eq!(TODO.at(7), TODO.at(7), "the same atom for equal keys");
    assert_ne!(TODO.at(7), TODO.at(8));
    let other = Other::new();
    assert_eq!(other.get(&GLOBAL_FAMILY.at(21)), 42, "a Global family works with every store");
    assert_eq!(a.get(&GLOBAL_FAMILY.at(21)), 42);
}

#[test]
fn family_atoms_appear_in_the_registry_with_their_key() {
    let s = Board::new();
    s.get(&TODO.at(42));
    s.get(&NAMED.at((1, 2)));
    let names: Vec<String> = s.atoms().iter().map(|i| i.name().to_owned()).collect();
    assert_eq!(names, ["TODO[42]", "NAMED[(1, 2)]"]);
    assert_eq!(s.atoms()[0].path(), "families::TODO[42]");
    assert_eq!(s.atoms()[0].owner(), "Board");
    let dt = nexus::DevTools::attach(&s);
    assert_eq!(dt.atoms()[0].value(), "Todo { id: 42, done: false }");
}

#[test]
fn derived_atoms_and_derived_families_read_other_families() {
    let s = Board::new();
    s.set(&IDS, vec![1, 2, 3]);
    assert_eq!(s.get(&REMAINING), 3);
    s.set(&TODO.at(2), Todo { id: 2, done: true });
    assert_eq!(s.get(&REMAINING), 2);
    assert_eq!(s.get(&LABEL.at(2)), "#2 done");
    assert_eq!(s.get(&LABEL.at(3)), "#3 open");
    s.update(&TODO.at(3), |t| t.done = true);
    assert_eq!(s.get(&LABEL.at(3)), "#3 done");
    assert_eq!(s.get(&REMAINING), 1);
}

#[test]
fn remove_and_retain_free_values_and_start_again_from_the_initial_value() {
    let s = Board::new();
    s.set(&TODO.at(100), Todo { id: 100, done: true });
    s.set(&TODO.at(101), Todo { id: 101, done: true });
    s.set(&TODO.at(102), Todo { id: 102, done: true });
    let held = s.atoms().len();
    assert!(TODO.remove(&100));
    assert!(!TODO.remove(&100));
    assert!(!TODO.contains(&100));
    assert_eq!(s.atoms().len(), held - 1, "the removed key's value is freed from the store");
    assert!(!s.get(&TODO.at(100)).done, "asking again starts from the initial value");
    TODO.retain(|k| *k != 101);
    assert!(!s.get(&TODO.at(101)).done);
    assert!(s.get(&TODO.at(102)).done);
}

#[test]
fn capacity_evicts_the_least_recently_used_key_from_every_store() {
    let a = Board::new();
    let b = Board::new();
    assert_eq!(SMALL.capacity(), Some(2));
    a.set(&SMALL.at("a".into()), 10);
    b.set(&SMALL.at("a".into()), 20);
    a.set(&SMALL.at("bb".into()), 30);
    let _ = SMALL.at("a".into()); // "a" is now the most recently used
    a.set(&SMALL.at("ccc".into()), 40); // evicts "bb"
    assert!(SMALL.contains(&"a".into()));
    assert!(!SMALL.contains(&"bb".into()));
    assert_eq!(SMALL.len(), 2);
    assert_eq!(a.get(&SMALL.at("bb".into())), 2, "evicted: back to the initial value");
    // Asking for "bb" again evicted "a" (least recently used): freed from both stores.
    assert_eq!(a.get(&SMALL.at("a".into())), 1);
    assert_eq!(b.get(&SMALL.at("a".into())), 1);
}

#[test]
fn a_held_handle_keeps_its_atom_and_at_returns_it() {
    let s = Board::new();
    let held = TODO.at(500);
    s.set(&held, Todo { id: 500, done: true });
    TODO.remove(&500);
    assert!(s.get(&held).done, "still alive: held here");
    assert_eq!(TODO.at(500), held, "while held, the key gives the same atom");
    assert!(s.get(&TODO.at(500)).done);
}

#[test]
fn initialisers_run_per_store_on_first_use() {
    let s = Board::new();
    let atom = COUNTED.at(900);
    assert_eq!(INITS.load(Ordering::SeqCst), 0, "at() alone runs no initialiser");
    assert_eq!(s.get(&atom), 900);
    assert_eq!(s.get(&atom), 900);
    Board::new().get(&atom);
    assert_eq!(INITS.load(Ordering::SeqCst), 2, "once per store");
}
