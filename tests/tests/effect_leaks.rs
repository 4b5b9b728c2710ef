//! Memory of effects and mounts (issue 27 "Tests": no leak after 100,000 effect create/drop cycles):
//! effects made, run and dropped on a long-lived store; effects outliving their store; async effects
//! dropped with their future under way or finished; mounted atoms subscribed and unsubscribed. Measured
//! with a counting global allocator (a binary of its own, as `leaks.rs`); the tests of this binary take
//! turns so that their counts do not mix.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use futures::executor::block_on;
use futures::FutureExt;

#[global_allocator]
static ALLOCATOR: nexus_tests::Counting = nexus_tests::Counting;

static TURN: Mutex<()> = Mutex::new(());

/// [`nexus_tests::assert_flat`] over 100,000 cycles.
fn assert_flat(label: &str, cycle: impl FnMut(u64)) {
    nexus_tests::assert_flat(label, 100_000, cycle);
}

nexus::store! {
    pub struct Editor;
}

static MOUNTS: AtomicU64 = AtomicU64::new(0);
static UNMOUNTS: AtomicU64 = AtomicU64::new(0);

nexus::atom! {
    #![store(Editor)]
    pub static DRAFT: String = String::new();
    pub static SAVED: Vec<String> = Vec::new();
    pub static LENGTH: usize = computed(|s| s.with(&DRAFT, String::len));
    #[on_mount(|_store, set| {
        MOUNTS.fetch_add(1, Ordering::Relaxed);
        set.update(|v| *v += 1);
        move || {
            UNMOUNTS.fetch_add(1, Ordering::Relaxed);
        }
    })]
    pub static TICKS: u64 = 0;
}

#[test]
fn effects_made_run_and_dropped_on_one_store_leave_nothing_behind() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let store = Editor::new();
    let cycle = |i: u64| {
        let fx = store.effect(|s| {
            let length = s.get(&LENGTH);
            let draft = s.get(&DRAFT);
            s.on_cleanup(move || drop(draft));
            if length > 0 {
                s.update(&SAVED, Vec::clear);
            }
        });
        store.set(&DRAFT, format!("draft {i}"));
        assert_eq!(fx.runs(), 2);
        drop(fx);
        store.set(&DRAFT, String::new());
    };
    assert_flat("effects on one store", cycle);
}

#[test]
fn effects_of_stores_made_and_dropped_leave_nothing_behind() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let cycle = |i: u64| {
        let store = Editor::new();
        let fx = store.effect(|s| {
            let draft = s.get(&DRAFT);
            s.on_cleanup(move || drop(draft));
        });
        store.set(&DRAFT, format!("draft {i}"));
        if i % 2 == 0 {
            // The handle outlives the store.
            drop(store);
            assert!(!fx.is_active());
            drop(fx);
        } else {
            drop(fx);
            drop(store);
        }
    };
    assert_flat("effects of stores made and dropped", cycle);
}

#[test]
fn async_effects_made_and_dropped_leave_nothing_behind() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let store = Editor::new();
    let cycle = |i: u64| {
        let fx = store.effect_async(|s| {
            let draft = s.get(&DRAFT);
            let stall = s.run_number() == 1;
            async move {
                if stall {
                    std::future::pending::<()>().await;
                }
                drop(draft);
            }
        });
        assert!(store.settled().now_or_never().is_none(), "the first future stalls");
        store.set(&DRAFT, format!("draft {i}"));
        if i % 2 == 0 {
            block_on(store.settled());
            drop(fx);
        } else {
            // Dropped with the second future not yet polled.
            drop(fx);
            block_on(store.settled());
        }
    };
    assert_flat("async effects", cycle);
}

#[test]
fn mounted_atoms_observed_and_released_leave_nothing_behind() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let store = Editor::new();
    let cycle = |i: u64| {
        let sub = store.subscribe(&TICKS, |_| {});
        let fx = store.effect(|s| {
            let _ = s.get(&TICKS);
        });
        store.set(&TICKS, i);
        drop((sub, fx));
        assert!(!store.is_mounted(&TICKS));
    };
    assert_flat("mounted atoms", cycle);
    assert_eq!(MOUNTS.load(Ordering::Relaxed), 101_000);
    assert_eq!(UNMOUNTS.load(Ordering::Relaxed), 101_000);
}
