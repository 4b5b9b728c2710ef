//! Concurrency (SPEC §4 "Concurrency"; issue 2 item 8, issue 3 item 6) and the type-level promises.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use static_assertions::assert_impl_all;

nexus::store! {
    pub struct Worker;
}

nexus::atom! {
    #![store(Worker)]
    pub static TOTAL: u64 = 0;
    pub static OWNER: usize = usize::MAX;
    pub static A: i64 = 1;
    pub static TWO_A: i64 = computed(|s| s.get(&A) * 2);
    pub static THREE_A: i64 = computed(|s| s.get(&A) * 3);
    pub static FIVE_A: i64 = computed(|s| s.get(&TWO_A) + s.get(&THREE_A));
    pub static REPORT: (i64, i64) = computed(|s| (s.get(&A), s.get(&FIVE_A)));
}

assert_impl_all!(Worker: Send, Sync, Clone, Default, std::fmt::Debug, nexus::Store);
assert_impl_all!(nexus::Atom<u32, Worker>: Send, Sync, Clone);
assert_impl_all!(nexus::Computed<u32, Worker>: Send, Sync, Clone);
assert_impl_all!(nexus::Writable<u32, Worker>: Send, Sync, Clone);
assert_impl_all!(nexus::Watch<u32>: Send, Sync, Unpin, futures_core::Stream, std::fmt::Debug);
assert_impl_all!(nexus::Atom<u32, nexus::Global>: Send, Sync);
assert_impl_all!(nexus::Subscription: Send, Sync);
// The Redis mirror is shared by a server's tasks (an `Arc<Mirror>`), and its futures run on tokio's
// multi-threaded runtime; its errors travel through `?` into `Box<dyn Error + Send + Sync>`.
#[cfg(not(target_arch = "wasm32"))]
assert_impl_all!(nexus::redis::Mirror: Send, Sync, std::fmt::Debug);
#[cfg(not(target_arch = "wasm32"))]
assert_impl_all!(nexus::redis::MirrorError: Send, Sync, Clone, std::error::Error);
#[cfg(not(target_arch = "wasm32"))]
assert_impl_all!(nexus::redis::Status: Send, Sync, Copy, Eq, std::fmt::Debug);
#[cfg(not(target_arch = "wasm32"))]
assert_impl_all!(nexus::redis::Version: Send, Sync, Copy, Ord, std::fmt::Display);

/// `Mirror::set`/`update` futures are `Send`: a server spawns them on tokio's worker threads. (Checked by
/// compiling; a mirror needs a Redis to be made.)
#[cfg(not(target_arch = "wasm32"))]
#[allow(dead_code)]
fn mirror_futures_are_send(mirror: &'static nexus::redis::Mirror) {
    nexus::atom! {
        static SHARED: u64 = 0;
    }
    fn spawnable<F: std::future::Future + Send + 'static>(_: F) {}
    spawnable(mirror.update(&SHARED, |n| n + 1));
    spawnable(mirror.set(&SHARED, 1));
    spawnable(mirror.flush());
}
static_assertions::assert_not_impl_any!(nexus::Computed<u32, Worker>: nexus::Settable, nexus::Primitive);
static_assertions::assert_not_impl_any!(nexus::Writable<u32, Worker>: nexus::Primitive);
assert_impl_all!(nexus::Atom<u32, Worker>: nexus::Settable, nexus::Primitive, nexus::Readable);

/// Atoms are usable in `static`s (the macro generates exactly that; this is the type-level promise).
static _IN_A_STATIC: &nexus::Atom<u64, Worker> = &TOTAL;

#[test]
fn eight_threads_with_their_own_stores_see_only_their_own_values() {
    let handles: Vec<_> = (0..8usize)
        .map(|i| {
            thread::spawn(move || {
                let store = Worker::new();
                for n in 0..1_000u64 {
                    store.set(&OWNER, i);
                    store.set(&TOTAL, n * i as u64);
                    assert_eq!(store.get(&OWNER), i);
                    assert_eq!(store.get(&TOTAL), n * i as u64);
                }
                store.get(&TOTAL)
            })
        })
        .collect();
    let totals: Vec<u64> = handles.into_iter().map(|h| h.join().expect("no thread panicked")).collect();
    assert_eq!(totals, (0..8u64).map(|i| 999 * i).collect::<Vec<_>>());
}

#[test]
fn concurrent_updates_on_one_store_lose_nothing() {
    let store = Worker::new();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            thread::spawn(move || {
                for _ in 0..10_000 {
                    store.update(&TOTAL, |t| *t += 1);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("no thread panicked");
    }
    assert_eq!(store.get(&TOTAL), 40_000);
}

#[test]
fn derived_values_read_during_writes_come_from_one_consistent_state() {
    let store = Worker::new();
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4i64)
        .map(|w| {
            let store = store.clone();
            thread::spawn(move || {
                for n in 0..2_000 {
                    store.set(&A, w * 10_000 + n);
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            let stop = stop.clone();
            thread::spawn(move || {
                let mut checks = 0u64;
                while !stop.load(Ordering::Relaxed) || checks < 1_000 {
                    let (a, five_a) = store.get(&REPORT);
                    assert_eq!(five_a, 5 * a, "FIVE_A computed from a mix of states");
                    let f = store.get(&FIVE_A);
                    assert_eq!(f % 5, 0);
                    checks += 1;
                }
                checks
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer panicked");
    }
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        assert!(r.join().expect("reader panicked") >= 1_000);
    }
    let a = store.get(&A);
    assert_eq!(store.get(&FIVE_A), 5 * a);
}

#[test]
fn subscribers_and_writers_on_many_threads_do_not_deadlock() {
    let store = Worker::new();
    let echo = store.clone();
    let _sub = store.subscribe(&A, move |a| {
        echo.set(&OWNER, usize::try_from(a.rem_euclid(7)).expect("small"));
    });
    let handles: Vec<_> = (0..4i64)
        .map(|w| {
            let store = store.clone();
            thread::spawn(move || {
                for n in 0..500 {
                    store.set(&A, w * 1_000 + n);
                    let _ = store.get(&FIVE_A);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("no thread panicked");
    }
    assert!(store.get(&OWNER) < 7);
}
