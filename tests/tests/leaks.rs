//! Memory: no growth over many create/drop cycles (issue 5 item 3), and family eviction that keeps a
//! long-lived store bounded (issue 6 item 4). Measured with a counting global allocator; the tests of
//! this binary take turns so that their counts do not mix.

use std::sync::Mutex;

use nexus::{DevTools, TimeTravel};

#[global_allocator]
static ALLOCATOR: nexus_tests::Counting = nexus_tests::Counting;

static TURN: Mutex<()> = Mutex::new(());

fn live() -> isize {
    nexus_tests::live_bytes()
}

/// A few KiB: what the spec allows for noise (e.g. a vector's spare capacity).
const TOLERANCE: isize = nexus_tests::LEAK_TOLERANCE;

/// [`nexus_tests::assert_flat`] over 100,000 cycles.
fn assert_flat(label: &str, cycle: impl FnMut(u64)) {
    nexus_tests::assert_flat(label, 100_000, cycle);
}

nexus::store! {
    pub struct Session;
    #[mode(global)]
    pub struct Shared;
}

nexus::atom! {
    #![store(Session)]
    pub static NAME: String = "guest".to_owned();
    pub static ITEMS: Vec<u64> = Vec::new();
    pub static COUNT: u64 = computed(|s| s.with(&ITEMS, |v| v.len() as u64));
}

nexus::atom! {
    #![store(Shared)]
    pub static SHARED_LABEL: String = computed(|s| format!("{} users", s.get(&LEAK_USERS)));
}

nexus::atom! {
    pub static LEAK_USERS: u64 = 0;
}

nexus::atom! {
    #![store(Session)]
    #[capacity = 1_000]
    pub static ROW: Vec<u8> = family(|id: &u64| vec![u8::try_from(id % 251).unwrap_or(0); 64]);
}

fn session_cycle(i: u64) {
    let store = Session::new();
    store.set(&NAME, format!("user{i}"));
    let sub = store.subscribe(&COUNT, |_| {});
    store.update(&ITEMS, |v| v.push(i));
    assert_eq!(store.get(&COUNT), 1);
    drop(sub);
}

#[test]
fn create_touch_subscribe_set_drop_returns_to_baseline() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    assert_flat("isolated stores", session_cycle);
}

fn handles_outlive_store(i: u64) -> (nexus::Subscription, DevTools, TimeTravel) {
    let store = Session::new();
    let dt = DevTools::attach(&store);
    let tt = TimeTravel::attach(&store, 8);
    let sub = store.subscribe(&ITEMS, |_| {});
    store.update(&ITEMS, |v| v.push(i));
    store.set(&NAME, "x".into());
    (sub, dt, tt)
}

#[test]
fn stores_dropped_while_their_handles_live_are_freed_with_the_handles() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    for i in 0..1_000 {
        drop(handles_outlive_store(i));
    }
    let baseline = live();
    for i in 0..100_000 {
        let (sub, dt, tt) = handles_outlive_store(i);
        assert!(!sub.is_active(), "the store is gone");
        assert!(!tt.undo());
        assert_eq!(dt.log().len(), 2);
        drop((sub, dt, tt));
    }
    let after = live();
    println!(
        "handles outliving stores: baseline {baseline} B, after 100,000 cycles {after} B, difference {} B",
        after - baseline
    );
    assert!((after - baseline).abs() <= TOLERANCE, "grew by {} bytes", after - baseline);
}

fn global_cycle(i: u64) {
    let store = Shared::new();
    let sub = store.subscribe(&SHARED_LABEL, |_| {});
    let watch = store.subscribe(&LEAK_USERS, |_| {});
    store.set(&LEAK_USERS, i);
    assert_eq!(store.get(&SHARED_LABEL), format!("{i} users"));
    drop((sub, watch));
}

#[test]
fn global_mode_stores_leave_nothing_in_the_global_registry() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    assert_flat("global-mode stores", global_cycle);
}

#[test]
fn a_family_with_capacity_keeps_a_long_lived_store_bounded() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let store = Session::new();
    // Warm-up: the first keys settle the capacities of the family's and the store's tables.
    for key in 0..100_000u64 {
        store.update(&ROW.at(key), |row| row[0] = 1);
    }
    let warm = live();
    let mut peak = warm;
    for key in 100_000..1_000_000u64 {
        let row = ROW.at(key);
        assert_eq!(store.with(&row, |r| r[1]), u8::try_from(key % 251).unwrap_or(0));
        if key % 10_000 == 0 {
            store.update(&row, |r| r[0] = 2);
            peak = peak.max(live());
        }
    }
    let after = live();
    assert_eq!(ROW.len(), 1_000);
    assert_eq!(store.atoms().len(), 1_000, "evicted keys are freed from the store");
    println!(
        "family, 1,000,000 keys, capacity 1,000: after 100,000 keys {warm} B, peak {peak} B, after 1,000,000 keys {after} B"
    );
    assert!(after - warm <= TOLERANCE, "grew by {} bytes", after - warm);
    assert!(peak - warm <= TOLERANCE, "peak above warm-up by {} bytes", peak - warm);
}

/// Bytes a new `Session` holds after its first touch of `atom`: the least of five measurements, since
/// the test harness may allocate on another thread meanwhile (it only ever adds).
fn store_bytes_after_touching(atom: &nexus::Atom<u64, Session>) -> isize {
    (0..5)
        .map(|_| {
            let before = live();
            let store = Session::new();
            assert_eq!(store.get(atom), 7);
            let bytes = live() - before;
            drop(store);
            bytes
        })
        .min()
        .expect("five measurements")
}

#[test]
fn a_store_costs_the_same_whatever_the_number_of_atoms_its_type_has() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // 1,000 atoms of the store type: the last one has slot number ~1,000 in the type's slot space.
    let atoms: Vec<nexus::Atom<u64, Session>> = (0..1_000).map(|_| nexus::Atom::new(7)).collect();
    let first = store_bytes_after_touching(&atoms[0]);
    let last = store_bytes_after_touching(&atoms[999]);
    // The per-instance index is sized by the atoms the instance holds, not by their slot numbers. (The
    // first atom's value also gets a cell for lock-free reads, ~0.5 KiB once per store; slots beyond the
    // first 256 have none, so the 1,000th costs less.)
    assert!(
        last <= first,
        "touching the 1,000th atom ({last} bytes) must not cost more than the first ({first})"
    );
    assert!(first < 4 * 1024, "a store holding one u64 atom takes {first} bytes");
}

#[test]
fn watches_made_and_dropped_leave_nothing_behind() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let store = Session::new();
    let cycle = |i: u64| {
        let mut watch = store.watch(&COUNT);
        store.update(&ITEMS, |v| v.push(i));
        assert!(futures::executor::block_on(watch.changed()).is_some());
        drop(watch);
        store.update(&ITEMS, Vec::clear);
    };
    assert_flat("watches", cycle);
}

#[test]
fn async_loads_in_stores_made_and_dropped_leave_nothing_behind() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let label = nexus::AsyncComputed::<String, Session>::new(|s| {
        let name = s.get(&NAME);
        async move { Ok::<_, std::fmt::Error>(format!("{name}!")) }
    });
    let cycle = |i: u64| {
        let store = Session::new();
        store.set(&NAME, format!("user{i}"));
        let loaded = futures::executor::block_on(store.load(&label)).expect("loads");
        assert_eq!(loaded, format!("user{i}!"));
        if i % 2 == 0 {
            // Half the stores go with a load under way.
            store.set(&NAME, "next".to_owned());
            assert!(store.get(&label).is_loading());
        }
    };
    assert_flat("async loads", cycle);
}
