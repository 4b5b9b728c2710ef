//! Memory of field atoms (issue 28): the field atoms of a run-time parent are freed with it. Measured
//! with a counting global allocator; the tests of this binary take turns so that their counts do not
//! mix. The rules and the tests that prove them:
//! - 10,000 cycles of (make a run-time `Atom::new(User)`, use 3 of its field atoms in a store — one
//!   read, one written, one nested and subscribed —, drop it all) leave the live bytes where they were:
//!   `field_atoms_of_a_run_time_parent_are_freed_with_it`;
//! - the same with a run-time keyed list and its element atoms, `keys()`, an insert and a remove:
//!   `element_atoms_of_a_run_time_list_are_freed_with_it`;
//! - after its first use, a field atom called for again (nested too) allocates nothing:
//!   `a_field_atom_called_again_allocates_nothing`.

use std::sync::Mutex;

use nexus::{Atom, Fields};

#[global_allocator]
static ALLOCATOR: nexus_tests::Counting = nexus_tests::Counting;

static TURN: Mutex<()> = Mutex::new(());

/// [`nexus_tests::assert_flat`] over 10,000 cycles.
fn assert_flat(label: &str, cycle: impl FnMut(u64)) {
    nexus_tests::assert_flat(label, 10_000, cycle);
}

#[derive(Clone, PartialEq, Debug, Fields)]
pub struct Address {
    pub city: String,
    pub zip: String,
}

#[derive(Clone, PartialEq, Debug, Fields)]
pub struct User {
    pub name: String,
    pub age: u32,
    pub address: Address,
}

#[derive(Clone, PartialEq, Debug, Fields)]
pub struct Todo {
    #[fields(key)]
    pub id: u64,
    pub title: String,
}

nexus::store! {
    pub struct Session;
}

#[test]
fn field_atoms_of_a_run_time_parent_are_freed_with_it() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let store = Session::new();
    assert_flat("field atoms", |i| {
        let user = Atom::<User, Session>::new(User {
            name: format!("user{i}"),
            age: 30,
            address: Address { city: "London".into(), zip: "N1".into() },
        });
        assert_eq!(store.get(&user.name()), format!("user{i}"));
        let sub = store.subscribe(&user.address().city(), |_| {});
        store.set(&user.age(), 31);
        store.set(&user.address().city(), "Paris".into());
        assert_eq!(store.get(&user).age, 31);
        drop(sub);
        drop(user);
    });
}

#[test]
fn element_atoms_of_a_run_time_list_are_freed_with_it() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let store = Session::new();
    assert_flat("element atoms", |i| {
        let list =
            Atom::<Vec<Todo>, Session>::new((0..10).map(|id| Todo { id, title: format!("{i}") }).collect());
        let each = list.each();
        let sub = store.subscribe(&each.at(&3), |_| {});
        store.set(&each.at(&4), Todo { id: 4, title: "four".into() });
        assert_eq!(store.get(&each.keys()).len(), 10);
        each.insert(&store, Some(&0), Todo { id: 10, title: "ten".into() });
        each.remove(&store, &5);
        assert_eq!(store.get(&each.at(&5)), None);
        drop(sub);
        drop(each);
        drop(list);
    });
}

nexus::atom! {
    #![store(Session)]
    pub static PERSON: User = User {
        name: String::new(),
        age: 30,
        address: Address { city: "London".into(), zip: "N1".into() },
    };
}

/// `USER.name()` after its first use finds the field atom its parent keeps: no allocation per call (the
/// reads of its value here are of a `u32`, which allocate nothing either).
#[test]
fn a_field_atom_called_again_allocates_nothing() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let store = Session::new();
    assert_eq!(store.get(&PERSON.age()), 30);
    assert_eq!(store.get(&PERSON.address().zip()), "N1");
    let before = nexus_tests::thread_allocations();
    for _ in 0..1_000 {
        let age = PERSON.age();
        let zip = PERSON.address().zip();
        assert!(age == PERSON.age() && zip == PERSON.address().zip());
        assert_eq!(store.get(&age), 30);
    }
    assert_eq!(nexus_tests::thread_allocations() - before, 0, "field atoms made again");
}
