//! Field atoms (issue 28): `#[derive(nexus::Fields)]` gives every atom whose value is the struct an atom
//! per field (`USER.name()`, nested `USER.address().city()`); keyed lists have element atoms by key
//! (`TODOS.each().at(&id)`, `keys()`, `insert`/`remove`/`move_to`); `nexus::select` projects a part.
//! Every observer is counted exactly. The rules and the tests that prove them:
//! - reading a field atom reads the parent: `reading_a_field_atom_reads_the_parent`;
//! - writing it writes the parent with only that field changed, as one change of the parent (one call
//!   of the parent's subscriber), an equal value is no change:
//!   `writing_a_field_atom_writes_only_that_field_as_one_change_of_the_parent`; `update` of a field atom
//!   too: `updating_a_field_atom_changes_only_that_field_as_one_change_of_the_parent`;
//! - nested two levels: `nested_field_atoms_read_and_write_two_levels_deep`;
//! - a field atom of a computed parent follows it (read-only: `set` does not compile, a ui-test):
//!   `a_field_atom_of_a_computed_parent_follows_it`;
//! - of a run-time `Atom::new(..)` parent: `field_atoms_of_a_run_time_atom`;
//! - of a run-time `Writable` parent (written through the parent's write function):
//!   `field_atoms_of_a_run_time_writable_write_through_its_write_function`;
//! - of a `Global` atom, one value for all global-mode stores:
//!   `field_atoms_of_a_global_atom_in_global_mode_stores`;
//! - identity: the same atom each call, one registry entry per field atom used, named `USER.name`,
//!   `USER.address.city`, or by `#[fields(name = "…")]`: `a_field_atom_is_the_same_atom_on_every_call`,
//!   `field_atoms_are_registered_once_under_readable_names`;
//! - granularity: writing `USER.name()` tells `USER` and `USER.name()`, not `USER.age()` nor
//!   `USER.address().city()`: `writing_a_field_tells_the_parent_and_that_field_only`;
//! - a wholesale `set(&USER, new)` (and `update`, `reset`) tells only the field atoms whose value
//!   changed: `a_wholesale_write_tells_only_the_fields_that_changed`;
//! - a derived atom reading one field is recomputed only when that field changed (its read function's
//!   runs counted): `a_derived_atom_of_one_field_runs_only_when_that_field_changes`; an effect too:
//!   `an_effect_reading_one_field_runs_only_when_that_field_changes`;
//! - field writes in an action are one round and read back in it; a write function may write a nested
//!   field: `field_atoms_in_actions_and_write_functions`;
//! - a keyed list of 1,000 elements with 1,000 element subscribers: editing one tells exactly that one
//!   (and the list's observers): `editing_one_of_1000_elements_tells_only_its_observer`;
//! - `insert`/`remove`/`move_to` tell no other element, keep every element atom (`==`) with the right
//!   value: `insert_remove_and_move_tell_no_other_element_and_keep_identities`;
//! - a removed element reads `None`: `a_removed_element_reads_none`;
//! - one atom per key while any store has the key, never a stale element:
//!   `removing_an_element_in_one_store_keeps_its_atom_in_another`,
//!   `an_element_atom_never_reads_a_stale_element`;
//! - `keys()` is told on insert, remove and move, not on an element edit:
//!   `keys_are_told_of_insert_remove_and_move_not_of_an_edit`;
//! - setting an element atom to an element of another key panics, clearly, and changes nothing:
//!   `setting_an_element_atom_to_another_keys_element_panics`;
//! - `nexus::select` is told only when the part changes: `select_is_told_only_when_the_part_changes`;
//! - 4 threads writing 4 different fields 1,000 times each lose no write (each ends with its last
//!   value), nested fields and list elements too: `concurrent_writes_to_four_fields_lose_no_write`,
//!   `concurrent_writes_to_four_nested_fields_lose_no_write`,
//!   `concurrent_writes_to_four_elements_lose_no_write`; `update`s of one field from 4 threads count every
//!   one: `concurrent_updates_of_one_field_count_every_one`,
//!   `concurrent_updates_of_one_nested_field_count_every_one`;
//! - hydrating a parent tells only the fields that changed (a list: only the changed elements):
//!   `hydrating_a_parent_tells_only_the_fields_that_changed`,
//!   `hydrating_a_list_tells_only_the_changed_elements`;
//! - time travel restores the parent, field observers hear only real changes:
//!   `undo_restores_the_parent_and_field_observers_hear_only_real_changes`,
//!   `undoing_an_element_edit_tells_that_element_only`;
//! - DevTools list field atoms by readable names (`USER.address.city`, `TODOS[2]`) with their values:
//!   `devtools_list_field_atoms_by_readable_names`, `devtools_render_element_and_keys_values`;
//! - a snapshot holds the parent only (no key for a field atom, nothing omitted):
//!   `a_snapshot_holds_the_parent_only`;
//! - a field atom outliving its run-time parent panics with a message saying so:
//!   `a_field_atom_used_after_its_run_time_parent_is_dropped_panics`.
//! - An element write reaches the list's other observers, made before or after its element atoms:
//!   `an_element_write_reaches_the_lists_other_observers_made_before_and_after_its_elements`.
//!
//! Field atoms of run-time parents are freed with them: `field_leaks.rs` (counting allocator). Compile
//! errors (store mismatch, `set` on a field of a computed atom, the derive's input) are ui-tests.

// On wasm32 these tests run in headless Chromium (`scripts/wasm-test.sh`): wasm-bindgen-test's `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use nexus::{Atom, Computed, DevTools, Fields, Subscription, TimeTravel, Writable};
use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Debug, Fields, Serialize, Deserialize)]
pub struct Address {
    pub city: String,
    pub zip: String,
}

#[derive(Clone, PartialEq, Debug, Fields, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub age: u32,
    pub address: Address,
}

/// Tools show `dark` as `SETTINGS.dark_mode`; `cache` has no field atom.
#[derive(Clone, PartialEq, Debug, Fields, Serialize, Deserialize)]
pub struct Settings {
    #[fields(name = "dark_mode")]
    pub dark: bool,
    #[fields(skip)]
    pub cache: u8,
}

/// A list element, keyed by `id`.
#[derive(Clone, PartialEq, Debug, Fields, Serialize, Deserialize)]
pub struct Todo {
    #[fields(key)]
    pub id: u64,
    pub title: String,
    pub done: bool,
}

/// Four fields for four writer threads.
#[derive(Clone, PartialEq, Debug, Default, Fields, Serialize, Deserialize)]
pub struct Tally {
    pub a: u64,
    pub b: u64,
    pub c: u64,
    pub d: u64,
}

/// `Tally` one level down: nested field atoms.
#[derive(Clone, PartialEq, Debug, Default, Fields, Serialize, Deserialize)]
pub struct Ledger {
    pub label: String,
    pub tally: Tally,
}

nexus::store! {
    pub struct Profile;
    #[mode(global)]
    pub struct Hub;
}

fn ada() -> User {
    User { name: "ada".into(), age: 36, address: Address { city: "London".into(), zip: "N1".into() } }
}

fn todo(id: u64) -> Todo {
    Todo { id, title: format!("todo {id}"), done: false }
}

fn todos(n: u64) -> Vec<Todo> {
    (0..n).map(todo).collect()
}

nexus::atom! {
    #![store(Profile)]
    pub static USER: User = ada();
    /// A computed parent: `USER` a year older.
    pub static OLDER: User = computed(|s| {
        let mut u = s.get(&USER);
        u.age += 1;
        u
    });
    pub static SETTINGS: Settings = Settings { dark: false, cache: 0 };
    pub static TALLY: Tally = Tally::default();
    pub static LEDGER: Ledger = Ledger::default();
    pub static TODOS: Vec<Todo> = todos(3);
    /// Renames through a field atom, then reads the parent.
    pub static RENAME: Action<String, User> = action(|s, name| {
        s.set(&USER.name(), name);
        s.update(&USER.age(), |a| *a += 1);
        s.get(&USER)
    });
    /// A writable atom whose write function writes a nested field.
    pub static CITY: String = writable(
        |s| s.get(&USER.address().city()),
        |s, city: String| s.set(&USER.address().city(), city),
    );
}

/// How many times a subscriber was called.
#[derive(Clone, Default)]
struct Calls(Arc<AtomicUsize>);

impl Calls {
    fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Subscribes a counter to `atom` in `store`.
fn count<A>(store: &Profile, atom: &A) -> (Calls, Subscription)
where
    A: nexus::Readable,
    A::Owner: nexus::UsableIn<Profile>,
{
    let calls = Calls::default();
    let c = calls.clone();
    let sub = store.subscribe(atom, move |_| {
        c.0.fetch_add(1, Ordering::SeqCst);
    });
    (calls, sub)
}

/// What subscribers saw, in order.
type Log<T> = Arc<Mutex<Vec<T>>>;

/// The values a subscriber saw.
fn record<A>(store: &Profile, atom: &A) -> (Log<A::Value>, Subscription)
where
    A: nexus::Readable,
    A::Owner: nexus::UsableIn<Profile>,
    A::Value: Clone,
{
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let sub = store.subscribe(atom, move |v: &A::Value| sink.lock().unwrap().push(v.clone()));
    (seen, sub)
}

fn seen<T: Clone>(log: &Log<T>) -> Vec<T> {
    log.lock().unwrap().clone()
}

#[test]
fn reading_a_field_atom_reads_the_parent() {
    let store = Profile::new();
    assert_eq!(store.get(&USER.name()), "ada");
    assert_eq!(store.get(&USER.age()), 36);
    assert_eq!(store.get(&USER.address()), ada().address);
    let mut grace = ada();
    grace.name = "grace".into();
    grace.age = 45;
    store.set(&USER, grace);
    assert_eq!(store.get(&USER.name()), "grace", "the parent's current value, not a copy");
    assert_eq!(store.get(&USER.age()), 45);
    store.update(&USER, |u| u.name.push('!'));
    assert_eq!(store.get(&USER.name()), "grace!");
    assert_eq!(Profile::new().get(&USER.name()), "ada", "per store instance");
}

#[test]
fn writing_a_field_atom_writes_only_that_field_as_one_change_of_the_parent() {
    let store = Profile::new();
    let (users, _users) = record(&store, &USER);
    store.set(&USER.name(), "grace".into());
    let expected = User { name: "grace".into(), ..ada() };
    assert_eq!(store.get(&USER), expected);
    assert_eq!(
        seen(&users),
        std::slice::from_ref(&expected),
        "one change of the parent, with only the name changed"
    );
    store.set(&USER.name(), "grace".into());
    assert_eq!(seen(&users).len(), 1, "an equal value is no change");
    store.set(&USER.age(), 37);
    assert_eq!(seen(&users), [expected, User { name: "grace".into(), age: 37, ..ada() }]);
}

#[test]
fn updating_a_field_atom_changes_only_that_field_as_one_change_of_the_parent() {
    let store = Profile::new();
    let (users, _users) = record(&store, &USER);
    let (ages, _ages) = count(&store, &USER.age());
    let (cities, _cities) = record(&store, &USER.address().city());
    store.update(&USER.name(), |n| n.push('!'));
    assert_eq!(store.get(&USER), User { name: "ada!".into(), ..ada() });
    assert_eq!(seen(&users).len(), 1);
    store.update(&USER.name(), |n| n.truncate(4));
    assert_eq!(seen(&users).len(), 1, "an update that leaves the field equal is no change");
    store.update(&USER.address().city(), |c| c.make_ascii_uppercase());
    assert_eq!(store.get(&USER.address()), Address { city: "LONDON".into(), zip: "N1".into() });
    assert_eq!(seen(&cities), ["LONDON"]);
    assert_eq!((seen(&users).len(), ages.get()), (2, 0));
    let user = Atom::<User, Profile>::new(ada());
    store.update(&user.age(), |a| *a += 1);
    assert_eq!(store.get(&user).age, 37);
}

#[test]
fn nested_field_atoms_read_and_write_two_levels_deep() {
    let store = Profile::new();
    assert_eq!(store.get(&USER.address().city()), "London");
    let (users, _users) = count(&store, &USER);
    let (addresses, _addresses) = count(&store, &USER.address());
    let (cities, _cities) = record(&store, &USER.address().city());
    let (zips, _zips) = count(&store, &USER.address().zip());
    store.set(&USER.address().city(), "Paris".into());
    assert_eq!(
        store.get(&USER),
        User { address: Address { city: "Paris".into(), zip: "N1".into() }, ..ada() },
        "only the city changed"
    );
    assert_eq!(seen(&cities), ["Paris"]);
    assert_eq!((users.get(), addresses.get(), zips.get()), (1, 1, 0));
    store.set(&USER.address().city(), "Paris".into());
    assert_eq!((users.get(), addresses.get(), seen(&cities).len(), zips.get()), (1, 1, 1, 0));
    store.update(&USER, |u| u.address.city = "Rome".into());
    assert_eq!(seen(&cities), ["Paris", "Rome"]);
    assert_eq!((users.get(), addresses.get(), zips.get()), (2, 2, 0));
}

#[test]
fn a_field_atom_of_a_computed_parent_follows_it() {
    let store = Profile::new();
    let age: Computed<u32, Profile> = OLDER.age();
    assert_eq!(store.get(&age), 37);
    assert_eq!(store.get(&OLDER.address().city()), "London");
    let (ages, _ages) = record(&store, &age);
    let (names, _names) = count(&store, &OLDER.name());
    let (cities, _cities) = count(&store, &OLDER.address().city());
    store.set(&USER.age(), 40);
    assert_eq!(store.get(&age), 41);
    assert_eq!(seen(&ages), [41]);
    assert_eq!((names.get(), cities.get()), (0, 0), "the other fields of the computed parent did not change");
    store.set(&USER.name(), "grace".into());
    assert_eq!(store.get(&OLDER.name()), "grace");
    assert_eq!((seen(&ages).len(), names.get(), cities.get()), (1, 1, 0));
}

#[test]
fn field_atoms_of_a_run_time_atom() {
    let store = Profile::new();
    let user = Atom::<User, Profile>::new(ada());
    assert_eq!(store.get(&user.name()), "ada");
    let (users, _users) = count(&store, &user);
    let (names, _names) = count(&store, &user.name());
    let (ages, _ages) = count(&store, &user.age());
    let (cities, _cities) = count(&store, &user.address().city());
    store.set(&user.name(), "grace".into());
    store.set(&user.address().city(), "Paris".into());
    assert_eq!(
        store.get(&user),
        User { name: "grace".into(), address: Address { city: "Paris".into(), zip: "N1".into() }, ..ada() }
    );
    assert_eq!((users.get(), names.get(), ages.get(), cities.get()), (2, 1, 0, 1));
    assert!(user.name() == user.name());
    assert_eq!(store.get(&USER), ada(), "the declared USER is another atom");
    let other = Atom::<User, Profile>::new(ada());
    assert!(other.name() != user.name(), "each parent has its own field atoms");
    assert_eq!(store.get(&other.name()), "ada");
}

#[test]
fn field_atoms_of_a_run_time_writable_write_through_its_write_function() {
    let store = Profile::new();
    let writes = Calls::default();
    let w = writes.clone();
    // A view of USER whose writes go through its own write function.
    let view = Writable::<User, Profile, User>::new(
        |s| s.get(&USER),
        move |s, u: User| {
            w.0.fetch_add(1, Ordering::SeqCst);
            s.set(&USER, u);
        },
    );
    assert_eq!(store.get(&view.name()), "ada");
    let (users, _users) = count(&store, &USER);
    let (names, _names) = record(&store, &view.name());
    let (ages, _ages) = count(&store, &view.age());
    let (cities, _cities) = count(&store, &view.address().city());
    store.set(&view.name(), "grace".into());
    assert_eq!(store.get(&USER), User { name: "grace".into(), ..ada() });
    assert_eq!(writes.get(), 1, "one write of the whole value through the parent's write function");
    assert_eq!(seen(&names), ["grace"]);
    assert_eq!((users.get(), ages.get(), cities.get()), (1, 0, 0));
    store.set(&view.name(), "grace".into());
    assert_eq!((writes.get(), users.get(), seen(&names).len()), (1, 1, 1), "an equal value is no write");
    store.set(&view.address().city(), "Paris".into());
    assert_eq!(store.get(&USER.address().city()), "Paris");
    assert_eq!((writes.get(), users.get(), seen(&names).len(), ages.get(), cities.get()), (2, 2, 1, 0, 1));
    store.set(&USER.age(), 50);
    assert_eq!(store.get(&view.age()), 50, "it follows the parent");
    assert_eq!(ages.get(), 1);
}

#[test]
fn a_field_atom_is_the_same_atom_on_every_call() {
    assert!(USER.name() == USER.name());
    assert!(USER.address().city() == USER.address().city());
    assert!(USER.name() != USER.address().city(), "two fields of one type are two atoms");
    assert!(OLDER.age() == OLDER.age());
    assert!(TODOS.each().at(&1) == TODOS.each().at(&1));
    assert!(TODOS.each().at(&1) != TODOS.each().at(&2));
    assert!(TODOS.each().keys() == TODOS.each().keys());
    let store = Profile::new();
    let name = USER.name();
    let (names, _names) = count(&store, &name);
    // Written through a fresh handle: the subscriber of the first is told (one node, one subscriber list).
    store.set(&USER.name(), "grace".into());
    assert_eq!(names.get(), 1);
    assert_eq!(store.key(&name), store.key(&USER.name()));
}

#[test]
fn field_atoms_are_registered_once_under_readable_names() {
    let store = Profile::new();
    for _ in 0..3 {
        let _ = store.get(&USER.name());
        store.set(&USER.name(), "grace".into());
        let _ = store.get(&USER.address().city());
        let _ = store.get(&SETTINGS.dark());
    }
    let _sub = store.subscribe(&USER.name(), |_| {});
    let mut names: Vec<String> = store.atoms().iter().map(|a| a.name().to_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        ["SETTINGS", "SETTINGS.dark_mode", "USER", "USER.address", "USER.address.city", "USER.name"],
        "one entry per atom used, the nested one's parent field included"
    );
    assert_eq!(
        store.find("USER.address.city").map(|a| a.name().to_owned()).as_deref(),
        Some("USER.address.city")
    );
}

#[test]
fn writing_a_field_tells_the_parent_and_that_field_only() {
    let store = Profile::new();
    let (users, _users) = count(&store, &USER);
    let (names, _names) = count(&store, &USER.name());
    let (ages, _ages) = count(&store, &USER.age());
    let (addresses, _addresses) = count(&store, &USER.address());
    let (cities, _cities) = count(&store, &USER.address().city());
    let (older_names, _older_names) = count(&store, &OLDER.name());
    store.set(&USER.name(), "grace".into());
    assert_eq!(
        (users.get(), names.get(), ages.get(), addresses.get(), cities.get(), older_names.get()),
        (1, 1, 0, 0, 0, 1)
    );
    store.set(&USER.age(), 37);
    assert_eq!(
        (users.get(), names.get(), ages.get(), addresses.get(), cities.get(), older_names.get()),
        (2, 1, 1, 0, 0, 1)
    );
    store.batch(|| {
        store.set(&USER.name(), "ada".into());
        store.set(&USER.age(), 38);
    });
    assert_eq!(
        (users.get(), names.get(), ages.get(), addresses.get(), cities.get(), older_names.get()),
        (3, 2, 2, 0, 0, 2),
        "a batch of two field writes is one round"
    );
}

#[test]
fn an_effect_reading_one_field_runs_only_when_that_field_changes() {
    let store = Profile::new();
    let cities: Log<String> = Arc::new(Mutex::new(Vec::new()));
    let sink = cities.clone();
    let fx = store.effect(move |s| sink.lock().unwrap().push(s.get(&USER.address().city())));
    store.set(&USER.name(), "grace".into());
    store.set(&USER.address().zip(), "E1".into());
    store.set(&USER, User { age: 99, ..store.get(&USER) });
    assert_eq!(fx.runs(), 1, "no write changed the city");
    store.set(&USER.address().city(), "Paris".into());
    store.update(&USER, |u| u.address.city = "Rome".into());
    assert_eq!(seen(&cities), ["London", "Paris", "Rome"]);
    assert_eq!(fx.runs(), 3);
}

#[test]
fn field_atoms_in_actions_and_write_functions() {
    let store = Profile::new();
    let (users, _users) = count(&store, &USER);
    let (names, _names) = count(&store, &USER.name());
    let (cities, _cities) = count(&store, &USER.address().city());
    let after = store.run(&RENAME, "grace".into());
    assert_eq!(
        after,
        User { name: "grace".into(), age: 37, ..ada() },
        "the action reads its own field writes"
    );
    assert_eq!(
        (users.get(), names.get(), cities.get()),
        (1, 1, 0),
        "one round for the action's two field writes"
    );
    store.set(&CITY, "Paris".into());
    assert_eq!(store.get(&USER.address()), Address { city: "Paris".into(), zip: "N1".into() });
    assert_eq!((users.get(), names.get(), cities.get()), (2, 1, 1));
}

#[test]
fn a_wholesale_write_tells_only_the_fields_that_changed() {
    let store = Profile::new();
    let (users, _users) = count(&store, &USER);
    let (names, _names) = count(&store, &USER.name());
    let (ages, _ages) = record(&store, &USER.age());
    let (addresses, _addresses) = count(&store, &USER.address());
    let (cities, _cities) = record(&store, &USER.address().city());
    let (zips, _zips) = count(&store, &USER.address().zip());
    store.set(&USER, User { age: 40, address: Address { city: "Paris".into(), zip: "N1".into() }, ..ada() });
    assert_eq!(seen(&ages), [40]);
    assert_eq!(seen(&cities), ["Paris"]);
    assert_eq!((users.get(), names.get(), addresses.get(), zips.get()), (1, 0, 1, 0));
    store.set(&USER, User { age: 40, address: Address { city: "Paris".into(), zip: "N1".into() }, ..ada() });
    assert_eq!(
        (users.get(), names.get(), seen(&ages).len(), addresses.get(), seen(&cities).len(), zips.get()),
        (1, 0, 1, 1, 1, 0)
    );
    store.update(&USER, |u| u.name = "grace".into());
    assert_eq!(
        (users.get(), names.get(), seen(&ages).len(), addresses.get(), seen(&cities).len(), zips.get()),
        (2, 1, 1, 1, 1, 0)
    );
    store.reset(&USER);
    assert_eq!(seen(&ages), [40, 36]);
    let (darks, _darks) = count(&store, &SETTINGS.dark());
    store.update(&SETTINGS, |s| s.cache = 7);
    assert_eq!(darks.get(), 0, "a change of a skipped field is no field atom's change");
    assert_eq!(seen(&cities), ["Paris", "London"]);
    assert_eq!((users.get(), names.get(), addresses.get(), zips.get()), (3, 2, 2, 0));
}

#[test]
fn a_derived_atom_of_one_field_runs_only_when_that_field_changes() {
    let store = Profile::new();
    let runs = Calls::default();
    let r = runs.clone();
    let shout = Computed::<String, Profile>::new(move |s| {
        r.0.fetch_add(1, Ordering::SeqCst);
        s.get(&USER.name()).to_uppercase()
    });
    let (shouts, _shouts) = record(&store, &shout);
    assert_eq!(runs.get(), 1);
    store.set(&USER.age(), 37);
    store.set(&USER.address().city(), "Paris".into());
    store.set(&USER, User { age: 50, ..store.get(&USER) });
    store.update(&USER, |u| u.address.zip = "E1".into());
    assert_eq!(runs.get(), 1, "no write changed the name");
    store.set(&USER.name(), "grace".into());
    assert_eq!(runs.get(), 2);
    assert_eq!(seen(&shouts), ["GRACE"]);
    store.set(&USER, User { name: "lin".into(), ..ada() });
    assert_eq!(runs.get(), 3);
    assert_eq!(seen(&shouts), ["GRACE", "LIN"]);

    // Not observed: read on demand, the same holds.
    let lazy_runs = Calls::default();
    let r = lazy_runs.clone();
    let city = Computed::<usize, Profile>::new(move |s| {
        r.0.fetch_add(1, Ordering::SeqCst);
        s.get(&USER.address().city()).len()
    });
    assert_eq!(store.get(&city), 6);
    store.set(&USER.name(), "bo".into());
    store.set(&USER.address().zip(), "W1".into());
    assert_eq!(store.get(&city), 6);
    assert_eq!(lazy_runs.get(), 1);
    store.set(&USER.address().city(), "Oslo".into());
    assert_eq!(store.get(&city), 4);
    assert_eq!(lazy_runs.get(), 2);
}

/// Subscribes to the element atom of every key in `keys`; the log gets the key of each call.
fn watch_elements(
    store: &Profile,
    each: &nexus::Each<Todo, Profile>,
    keys: impl IntoIterator<Item = u64>,
) -> (Log<(u64, Option<Todo>)>, Vec<Subscription>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let subs = keys
        .into_iter()
        .map(|k| {
            let sink = log.clone();
            store.subscribe(&each.at(&k), move |v: &Option<Todo>| sink.lock().unwrap().push((k, v.clone())))
        })
        .collect();
    (log, subs)
}

#[test]
fn editing_one_of_1000_elements_tells_only_its_observer() {
    nexus::atom! {
        #![store(Profile)]
        static LIST: Vec<Todo> = todos(1_000);
    }
    let store = Profile::new();
    let each = LIST.each();
    let (elements, _subs) = watch_elements(&store, &each, 0..1_000);
    let (lists, _lists) = count(&store, &LIST);
    let (keys, _keys) = count(&store, &each.keys());
    let done = Todo { done: true, ..todo(500) };
    store.set(&LIST.each().at(&500), done.clone());
    assert_eq!(seen(&elements), [(500, Some(done.clone()))], "exactly one element observer");
    assert_eq!((lists.get(), keys.get()), (1, 0));
    assert_eq!(store.get(&LIST)[500], done);
    assert_eq!(store.get(&each.at(&500)), Some(done.clone()));
    store.set(&each.at(&500), done.clone());
    assert_eq!((seen(&elements).len(), lists.get()), (1, 1), "an equal element is no change");
    // A write of the whole list that changes one element tells that element only too.
    store.update(&LIST, |v| v[7].title = "seven".into());
    assert_eq!(seen(&elements)[1..], [(7, Some(Todo { title: "seven".into(), ..todo(7) }))]);
    assert_eq!((lists.get(), keys.get()), (2, 0));
}

#[test]
fn insert_remove_and_move_tell_no_other_element_and_keep_identities() {
    nexus::atom! {
        #![store(Profile)]
        static LIST: Vec<Todo> = todos(1_000);
    }
    let store = Profile::new();
    let each = LIST.each();
    let before: Vec<_> = (0..1_000).map(|k| each.at(&k)).collect();
    let (elements, _subs) = watch_elements(&store, &each, 0..1_000);
    let (lists, _lists) = count(&store, &LIST);

    each.insert(&store, Some(&10), todo(5_000));
    assert_eq!(seen(&elements), [], "insert: no element observer");
    assert_eq!(lists.get(), 1);
    assert_eq!(store.get(&LIST)[10], todo(5_000));
    assert_eq!(store.get(&each.at(&5_000)), Some(todo(5_000)));
    each.insert(&store, None, todo(6_000));
    assert_eq!(store.get(&LIST).last(), Some(&todo(6_000)));

    each.move_to(&store, &3, Some(&0));
    assert_eq!(seen(&elements), [], "move: no element observer");
    assert_eq!(store.get(&LIST)[..4], [todo(3), todo(0), todo(1), todo(2)]);
    each.move_to(&store, &0, None);
    assert_eq!(seen(&elements), []);
    assert_eq!(store.get(&LIST).last(), Some(&todo(0)));

    assert_eq!(each.remove(&store, &999), Some(todo(999)));
    assert_eq!(
        seen(&elements),
        [(999, None)],
        "remove: only the removed element's observer, told it is gone"
    );
    assert_eq!(lists.get(), 5);
    assert_eq!(each.remove(&store, &999), None);
    assert_eq!(lists.get(), 5, "removing a missing key is no change");

    for k in 0..999 {
        assert!(each.at(&k) == before[usize::try_from(k).unwrap()], "element {k} kept its atom");
        assert!(LIST.each().at(&k) == before[usize::try_from(k).unwrap()]);
        assert_eq!(store.get(&before[usize::try_from(k).unwrap()]), Some(todo(k)), "element {k}");
    }
    // Every element atom follows its element to its new place.
    store.set(&each.at(&1), Todo { done: true, ..todo(1) });
    assert_eq!(store.get(&LIST)[1], Todo { done: true, ..todo(1) });
    assert_eq!(seen(&elements)[1..], [(1, Some(Todo { done: true, ..todo(1) }))]);
    store.set(&each.at(&0), Todo { done: true, ..todo(0) });
    assert_eq!(store.get(&LIST).last(), Some(&Todo { done: true, ..todo(0) }));
    assert_eq!(seen(&elements).len(), 3);
}

#[test]
fn a_removed_element_reads_none() {
    nexus::atom! {
        #![store(Profile)]
        static LIST: Vec<Todo> = todos(3);
    }
    let store = Profile::new();
    let each = LIST.each();
    let one = each.at(&1);
    assert_eq!(store.get(&one), Some(todo(1)));
    assert_eq!(each.remove(&store, &1), Some(todo(1)));
    assert_eq!(store.get(&one), None, "the atom held before the removal");
    assert_eq!(store.get(&each.at(&1)), None, "the atom of that key now");
    assert_eq!(store.get(&LIST), [todo(0), todo(2)]);
    // Setting an element atom whose key is gone changes nothing.
    store.set(&one, Todo { done: true, ..todo(1) });
    assert_eq!(store.get(&LIST), [todo(0), todo(2)]);
    assert_eq!(store.get(&one), None);
    // The key back: its atom reads it again.
    each.insert(&store, None, todo(1));
    assert_eq!(store.get(&each.at(&1)), Some(todo(1)));
    assert_eq!(store.get(&each.at(&42)), None, "a key never in the list");
}

#[test]
fn removing_an_element_in_one_store_keeps_its_atom_in_another() {
    nexus::atom! {
        #![store(Profile)]
        static LIST: Vec<Todo> = todos(3);
    }
    let (a, b) = (Profile::new(), Profile::new());
    let each = LIST.each();
    let one = each.at(&1);
    let (ones, _ones) = record(&b, &one);
    assert_eq!(each.remove(&a, &1), Some(todo(1)));
    assert_eq!(a.get(&one), None);
    assert_eq!(b.get(&one), Some(todo(1)), "b still has element 1");
    let done = Todo { done: true, ..todo(1) };
    b.set(&LIST.each().at(&1), done.clone());
    assert_eq!(b.get(&LIST)[1], done);
    assert_eq!(
        seen(&ones),
        [Some(done.clone())],
        "b's observer of element 1 is told of b's write of element 1"
    );
    assert_eq!(b.get(&one), Some(done));
    assert!(
        LIST.each().at(&1) == one,
        "one atom per key while a store has the key (one node, one subscriber list)"
    );
}

#[test]
fn an_element_atom_never_reads_a_stale_element() {
    nexus::atom! {
        #![store(Profile)]
        static LIST: Vec<Todo> = todos(3);
    }
    let store = Profile::new();
    let each = LIST.each();
    let old = each.at(&1);
    let (olds, _olds) = record(&store, &old);
    each.remove(&store, &1);
    each.insert(&store, None, todo(1));
    let done = Todo { done: true, ..todo(1) };
    store.set(&each.at(&1), done.clone());
    assert_eq!(store.get(&LIST)[2], done);
    let read = store.get(&old);
    assert!(
        read.is_none() || read == Some(done.clone()),
        "the atom of key 1 held across its removal reads gone or the element of key 1 now, not {read:?}"
    );
    let heard = seen(&olds);
    assert!(
        heard.last().cloned().flatten().is_none() || heard.last() == Some(&Some(done)),
        "its observer's last value is not stale: {heard:?}"
    );
}

#[test]
fn keys_are_told_of_insert_remove_and_move_not_of_an_edit() {
    nexus::atom! {
        #![store(Profile)]
        static LIST: Vec<Todo> = todos(4);
    }
    let store = Profile::new();
    let each = LIST.each();
    assert_eq!(store.get(&each.keys()), [0, 1, 2, 3]);
    let (keys, _keys) = record(&store, &each.keys());
    store.set(&each.at(&2), Todo { title: "two".into(), ..todo(2) });
    store.update(&LIST, |v| v[0].done = true);
    assert_eq!(seen(&keys), Vec::<Vec<u64>>::new(), "edits do not change the keys");
    each.insert(&store, Some(&1), todo(9));
    each.remove(&store, &2);
    each.move_to(&store, &3, Some(&0));
    assert_eq!(seen(&keys), [vec![0, 9, 1, 2, 3], vec![0, 9, 1, 3], vec![3, 0, 9, 1]]);
    each.move_to(&store, &3, Some(&0));
    assert_eq!(seen(&keys).len(), 3, "a move to where it is is no change");
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn setting_an_element_atom_to_another_keys_element_panics() {
    let store = Profile::new();
    let message = nexus_tests::panic_message(|| store.set(&TODOS.each().at(&1), todo(2)));
    assert!(
        message.contains("element atom of key 1 was set to an element of key 2"),
        "a message naming both keys: {message}"
    );
    assert_eq!(store.get(&TODOS), todos(3), "nothing changed");
    store.set(&TODOS.each().at(&1), Todo { done: true, ..todo(1) });
    assert_eq!(store.get(&TODOS)[1], Todo { done: true, ..todo(1) }, "the store is usable after the panic");
}

#[test]
fn select_is_told_only_when_the_part_changes() {
    let store = Profile::new();
    let name_len = nexus::select(&USER, |u: &User| u.name.len());
    assert_eq!(store.get(&name_len), 3);
    let (lens, _lens) = record(&store, &name_len);
    store.set(&USER.age(), 40);
    store.set(&USER.name(), "bob".into());
    assert_eq!(seen(&lens), Vec::<usize>::new(), "same length");
    store.set(&USER.name(), "grace".into());
    assert_eq!(seen(&lens), [5]);

    let open = nexus::select(&TODOS, |v: &Vec<Todo>| v.iter().filter(|t| !t.done).count());
    let (opens, _opens) = record(&store, &open);
    store.set(&TODOS.each().at(&0), Todo { title: "renamed".into(), ..todo(0) });
    assert_eq!(seen(&opens), Vec::<usize>::new());
    store.set(&TODOS.each().at(&0), Todo { done: true, title: "renamed".into(), ..todo(0) });
    assert_eq!(seen(&opens), [2]);

    // Of a field atom, and of a computed atom.
    let initial = nexus::select(&USER.address().city(), |c: &String| c.chars().next());
    let (initials, _initials) = record(&store, &initial);
    store.set(&USER.address().city(), "Lisbon".into());
    store.set(&USER.address().city(), "Paris".into());
    assert_eq!(seen(&initials), [Some('P')]);
    let adult = nexus::select(&OLDER, |u: &User| u.age >= 18);
    let (adults, _adults) = record(&store, &adult);
    store.set(&USER.age(), 30);
    store.set(&USER.age(), 10);
    assert_eq!(seen(&adults), [false]);
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn concurrent_writes_to_four_fields_lose_no_write() {
    let store = Profile::new();
    let (tallies, _tallies) = count(&store, &TALLY);
    let fields = [TALLY.a(), TALLY.b(), TALLY.c(), TALLY.d()];
    // The four start together.
    let start = Arc::new(std::sync::Barrier::new(4));
    let threads: Vec<_> = fields
        .into_iter()
        .map(|field| {
            let (store, start) = (store.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                for i in 1..=1_000 {
                    store.set(&field, i);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(
        store.get(&TALLY),
        Tally { a: 1_000, b: 1_000, c: 1_000, d: 1_000 },
        "every field its last value"
    );
    assert_eq!(
        [store.get(&TALLY.a()), store.get(&TALLY.b()), store.get(&TALLY.c()), store.get(&TALLY.d())],
        [1_000; 4]
    );
    assert!(tallies.get() >= 1);
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn concurrent_writes_to_four_nested_fields_lose_no_write() {
    let store = Profile::new();
    let tally = LEDGER.tally();
    let fields = [tally.a(), tally.b(), tally.c(), tally.d()];
    // The four start together.
    let start = Arc::new(std::sync::Barrier::new(4));
    let threads: Vec<_> = fields
        .into_iter()
        .map(|field| {
            let (store, start) = (store.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                for i in 1..=1_000 {
                    store.set(&field, i);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(
        store.get(&LEDGER.tally()),
        Tally { a: 1_000, b: 1_000, c: 1_000, d: 1_000 },
        "every nested field its last value"
    );
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn concurrent_updates_of_one_field_count_every_one() {
    let store = Profile::new();
    // The four start together.
    let start = Arc::new(std::sync::Barrier::new(4));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (store, start) = (store.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                for _ in 0..1_000 {
                    store.update(&TALLY.a(), |v| *v += 1);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(
        store.get(&TALLY.a()),
        4_000,
        "an update of a field atom is read, modify and write under one lock"
    );
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn concurrent_updates_of_one_nested_field_count_every_one() {
    let store = Profile::new();
    // The four start together.
    let start = Arc::new(std::sync::Barrier::new(4));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (store, start) = (store.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                for _ in 0..1_000 {
                    store.update(&LEDGER.tally().a(), |v| *v += 1);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(
        store.get(&LEDGER.tally().a()),
        4_000,
        "a nested field atom is a field atom: its updates are atomic too"
    );
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn concurrent_writes_to_four_elements_lose_no_write() {
    nexus::atom! {
        #![store(Profile)]
        static LIST: Vec<Todo> = todos(8);
    }
    let store = Profile::new();
    // The four start together.
    let start = Arc::new(std::sync::Barrier::new(4));
    let threads: Vec<_> = (0..4)
        .map(|k| {
            let (store, start, element) = (store.clone(), start.clone(), LIST.each().at(&(k * 2)));
            std::thread::spawn(move || {
                start.wait();
                for i in 1..=1_000 {
                    store.set(&element, Todo { title: format!("{i}"), ..todo(k * 2) });
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let list = store.get(&LIST);
    for (k, element) in (0..8).zip(&list) {
        let title = if k % 2 == 0 { "1000".to_owned() } else { format!("todo {k}") };
        assert_eq!(element, &Todo { title, ..todo(k) }, "element {k}");
    }
}

#[test]
fn field_atoms_of_a_global_atom_in_global_mode_stores() {
    nexus::atom! {
        static SHARED: User = ada();
    }
    let (a, b) = (Hub::new(), Hub::new());
    let calls = |store: &Hub, name: bool| {
        let calls = Calls::default();
        let c = calls.clone();
        let sub = if name {
            store.subscribe(&SHARED.name(), move |_| {
                c.0.fetch_add(1, Ordering::SeqCst);
            })
        } else {
            store.subscribe(&SHARED.age(), move |_| {
                c.0.fetch_add(1, Ordering::SeqCst);
            })
        };
        (calls, sub)
    };
    let (b_names, _b_names) = calls(&b, true);
    let (b_ages, _b_ages) = calls(&b, false);
    a.set(&SHARED.name(), "grace".into());
    assert_eq!(
        b.get(&SHARED),
        User { name: "grace".into(), ..ada() },
        "one value for every global-mode store"
    );
    assert_eq!(b.get(&SHARED.name()), "grace");
    assert_eq!((b_names.get(), b_ages.get()), (1, 0));
    b.set(&SHARED.address().city(), "Paris".into());
    assert_eq!(a.get(&SHARED.address().city()), "Paris");
    assert_eq!(a.get(&SHARED.name()), "grace", "the other fields kept");
    assert_eq!((b_names.get(), b_ages.get()), (1, 0));
    // An isolated store has its own copy.
    let own = Profile::new();
    assert_eq!(own.get(&SHARED.name()), "ada");
    own.set(&SHARED.age(), 1);
    assert_eq!((a.get(&SHARED.age()), b_ages.get()), (36, 0));
}

#[test]
fn hydrating_a_parent_tells_only_the_fields_that_changed() {
    let server = Profile::new();
    server.set(&USER.name(), "grace".into());
    server.set(&USER.address().zip(), "E1".into());
    let snapshot = server.snapshot();

    let client = Profile::new();
    let (users, _users) = count(&client, &USER);
    let (names, _names) = record(&client, &USER.name());
    let (ages, _ages) = count(&client, &USER.age());
    let (addresses, _addresses) = count(&client, &USER.address());
    let (cities, _cities) = count(&client, &USER.address().city());
    let (zips, _zips) = record(&client, &USER.address().zip());
    client.hydrate(&snapshot).expect("hydrates");
    assert_eq!(client.get(&USER), server.get(&USER));
    assert_eq!(seen(&names), ["grace"]);
    assert_eq!(seen(&zips), ["E1"]);
    assert_eq!((users.get(), ages.get(), addresses.get(), cities.get()), (1, 0, 1, 0));
    client.hydrate(&snapshot).expect("hydrates again");
    assert_eq!(
        (users.get(), seen(&names).len(), ages.get(), addresses.get(), cities.get(), seen(&zips).len()),
        (1, 1, 0, 1, 0, 1),
        "the same state again: no change"
    );
}

#[test]
fn hydrating_a_list_tells_only_the_changed_elements() {
    nexus::atom! {
        #![store(Profile)]
        /// Its own name: the function-local `LIST`s of this file share the snapshot key `fields::LIST`.
        static HYDRATED_LIST: Vec<Todo> = todos(100);
    }
    let server = Profile::new();
    server.set(&HYDRATED_LIST.each().at(&10), Todo { done: true, ..todo(10) });
    server.update(&HYDRATED_LIST, |v| v[20].title = "twenty".into());
    let snapshot = server.snapshot();
    assert_eq!(snapshot.omitted(), []);
    let client = Profile::new();
    let each = HYDRATED_LIST.each();
    let (elements, _subs) = watch_elements(&client, &each, 0..100);
    let (keys, _keys) = count(&client, &each.keys());
    client.hydrate(&snapshot).expect("hydrates");
    assert_eq!(client.get(&HYDRATED_LIST), server.get(&HYDRATED_LIST));
    assert_eq!(
        seen(&elements),
        [
            (10, Some(Todo { done: true, ..todo(10) })),
            (20, Some(Todo { title: "twenty".into(), ..todo(20) }))
        ]
    );
    assert_eq!(keys.get(), 0);
}

#[test]
fn undo_restores_the_parent_and_field_observers_hear_only_real_changes() {
    let store = Profile::new();
    let tt = TimeTravel::attach(&store, 100);
    let (names, _names) = record(&store, &USER.name());
    let (ages, _ages) = record(&store, &USER.age());
    let (cities, _cities) = count(&store, &USER.address().city());
    store.set(&USER.name(), "grace".into());
    store.set(&USER.age(), 37);
    assert_eq!(tt.history().len(), 2);
    assert!(tt.undo());
    assert_eq!(store.get(&USER), User { name: "grace".into(), ..ada() });
    assert_eq!(seen(&ages), [37, 36]);
    assert_eq!(seen(&names), ["grace"], "undoing the age does not tell the name");
    assert!(tt.undo());
    assert_eq!(store.get(&USER), ada());
    assert_eq!(seen(&names), ["grace", "ada"]);
    assert_eq!(seen(&ages), [37, 36]);
    assert!(tt.redo());
    assert_eq!(store.get(&USER), User { name: "grace".into(), ..ada() });
    assert_eq!(seen(&names), ["grace", "ada", "grace"]);
    assert_eq!(seen(&ages), [37, 36]);
    assert!(tt.jump_to(2));
    assert_eq!(store.get(&USER.age()), 37);
    assert_eq!(seen(&names).len(), 3);
    assert_eq!(seen(&ages), [37, 36, 37]);
    assert_eq!(cities.get(), 0, "the city never changed");
}

#[test]
fn undoing_an_element_edit_tells_that_element_only() {
    nexus::atom! {
        #![store(Profile)]
        static LIST: Vec<Todo> = todos(100);
    }
    let store = Profile::new();
    let tt = TimeTravel::attach(&store, 100);
    let each = LIST.each();
    let (elements, _subs) = watch_elements(&store, &each, 0..100);
    let (keys, _keys) = count(&store, &each.keys());
    store.set(&each.at(&40), Todo { done: true, ..todo(40) });
    each.move_to(&store, &40, Some(&0));
    assert!(tt.undo());
    assert_eq!(store.get(&LIST)[40], Todo { done: true, ..todo(40) });
    assert!(tt.undo());
    assert_eq!(store.get(&LIST), todos(100));
    assert_eq!(seen(&elements), [(40, Some(Todo { done: true, ..todo(40) })), (40, Some(todo(40)))]);
    assert_eq!(keys.get(), 2, "the move and its undo");
}

#[test]
fn devtools_list_field_atoms_by_readable_names() {
    let store = Profile::new();
    let dt = DevTools::attach(&store);
    store.set(&USER.address().city(), "Paris".into());
    let _ = store.get(&SETTINGS.dark());
    let _ = store.get(&TODOS.each().at(&2));
    let _ = store.get(&TODOS.each().keys());
    let views: Vec<(String, String)> =
        dt.atoms().iter().map(|a| (a.name().to_owned(), a.value().to_owned())).collect();
    let value = |name: &str| views.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    assert_eq!(value("USER.address.city").as_deref(), Some("\"Paris\""), "{views:?}");
    assert_eq!(
        value("USER.address").as_deref(),
        Some("Address { city: \"Paris\", zip: \"N1\" }"),
        "{views:?}"
    );
    assert_eq!(value("SETTINGS.dark_mode").as_deref(), Some("false"), "{views:?}");
    // The log shows a field write as the change of its parent.
    let labels: Vec<String> = dt.log().iter().map(|e| e.label().to_owned()).collect();
    assert_eq!(labels, ["UPDATE USER"]);
    let mut names: Vec<String> = dt.atoms().iter().map(|a| a.name().to_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "SETTINGS",
            "SETTINGS.dark_mode",
            "TODOS",
            "TODOS.keys",
            "TODOS[2]", // as a family's member: `FAMILY[key]`
            "USER",
            "USER.address",
            "USER.address.city",
        ]
    );
}

#[test]
fn devtools_render_element_and_keys_values() {
    let store = Profile::new();
    let dt = DevTools::attach(&store);
    let _ = store.get(&TODOS.each().at(&2));
    let _ = store.get(&TODOS.each().keys());
    let views: Vec<(String, String)> =
        dt.atoms().iter().map(|a| (a.name().to_owned(), a.value().to_owned())).collect();
    let value = |suffix: &str| views.iter().find(|(n, _)| n.ends_with(suffix)).map(|(_, v)| v.clone());
    assert_eq!(
        value("[2]").as_deref(),
        Some("Some(Todo { id: 2, title: \"todo 2\", done: false })"),
        "the element's value through `Debug`, as every atom's whose type has it: {views:?}"
    );
    assert_eq!(value(".keys").as_deref(), Some("[0, 1, 2]"), "{views:?}");
}

#[test]
fn a_snapshot_holds_the_parent_only() {
    let store = Profile::new();
    store.set(&USER.name(), "grace".into());
    store.set(&USER.address().city(), "Paris".into());
    let _ = store.get(&OLDER.age());
    store.set(&TODOS.each().at(&0), Todo { done: true, ..todo(0) });
    let _ = store.get(&TODOS.each().keys());
    let _ = store.get(&SETTINGS.dark());
    let snapshot = store.snapshot();
    let keys: Vec<&str> = snapshot.values().keys().map(String::as_str).collect();
    assert_eq!(keys, ["fields::SETTINGS", "fields::TODOS", "fields::USER"]);
    assert_eq!(snapshot.omitted(), [], "field atoms are views, not left out");
    assert_eq!(
        snapshot.get("fields::USER"),
        Some(&serde_json::json!({"name": "grace", "age": 36, "address": {"city": "Paris", "zip": "N1"}}))
    );
    let client = Profile::new();
    client.hydrate(&snapshot).expect("hydrates");
    assert_eq!(client.get(&USER.address().city()), "Paris");
    assert_eq!(client.get(&TODOS.each().at(&0)), Some(Todo { done: true, ..todo(0) }));
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_field_atom_used_after_its_run_time_parent_is_dropped_panics() {
    let user = Atom::<User, Profile>::new(ada());
    let name = user.name();
    drop(user);
    let store = Profile::new();
    let message = nexus_tests::panic_message(|| {
        let _ = store.get(&name);
    });
    assert!(message.contains("outlived its parent"), "{message}");
}

/// An element write reaches every observer of the list that is not an element atom, whenever it started
/// observing: a derived atom read before the element atoms are made, and one read after them (a write
/// through an element atom marks the list's other observers without walking past its 1,000 siblings).
#[test]
fn an_element_write_reaches_the_lists_other_observers_made_before_and_after_its_elements() {
    nexus::atom! {
        #![store(Profile)]
        static ROWS: Vec<Todo> = todos(1_000);
    }
    let store = Profile::new();
    let done_before = nexus::select(&ROWS, |v: &Vec<Todo>| v.iter().filter(|t| t.done).count());
    let (before, _before) = record(&store, &done_before);
    let each = ROWS.each();
    let rows: Vec<_> = (0..1_000).map(|id| count(&store, &each.at(&id))).collect();
    let done_after = nexus::select(&ROWS, |v: &Vec<Todo>| v.iter().filter(|t| t.done).count());
    let (after, _after) = record(&store, &done_after);
    store.set(&each.at(&500), Todo { done: true, ..todo(500) });
    assert_eq!(seen(&before), [1]);
    assert_eq!(seen(&after), [1]);
    let told: usize = rows.iter().map(|(calls, _)| calls.get()).sum();
    assert_eq!(told, 1, "only the row written");
    assert_eq!(rows[500].0.get(), 1);
}
