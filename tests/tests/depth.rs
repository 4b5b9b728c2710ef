//! Graphs of any depth (SPEC §8 "Depth"; issue 13): evaluation, re-checks, notification, cycles and
//! teardown of very long chains never recurse on the call stack by the chain's length. Every test runs
//! on a thread with a 2 MiB stack, the size of a tokio worker thread.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use nexus::{Atom, Computed};

use nexus_tests::panic_message;

nexus::store! {
    pub struct Deep;
}

/// Runs `f` on a new thread with a 2 MiB stack; a stack overflow there would abort the whole test binary.
fn on_small_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn a thread")
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// `head`, then `len` computed atoms each one more than the one before; only the tail is returned (every
/// link is held by the closure of the next one, as in a graph built in a loop).
fn chain(head: &Atom<u64, Deep>, len: u64, runs: &Arc<AtomicUsize>) -> Computed<u64, Deep> {
    let runs = runs.clone();
    let first = {
        let (head, runs) = (head.clone(), runs.clone());
        Computed::<u64, Deep>::new(move |s| {
            runs.fetch_add(1, Ordering::Relaxed);
            s.get(&head) + 1
        })
    };
    (1..len).fold(first, |prev, _| {
        let runs = runs.clone();
        Computed::<u64, Deep>::new(move |s| {
            runs.fetch_add(1, Ordering::Relaxed);
            s.get(&prev) + 1
        })
    })
}

/// Every step of a deep chain's life on a 2 MiB stack: first read, set, re-read, a subscriber on the
/// tail, drop of the store and of the last handle.
fn whole_life_of_a_chain(len: u64) {
    on_small_stack(move || {
        let store = Deep::new();
        let head = Atom::<u64, Deep>::new(0);
        let runs = Arc::new(AtomicUsize::new(0));
        let tail = chain(&head, len, &runs);
        let len_usize = usize::try_from(len).expect("fits");

        assert_eq!(store.get(&tail), len, "first read");
        let first = runs.swap(0, Ordering::Relaxed);
        assert!(
            (len_usize..=2 * len_usize).contains(&first),
            "a first read runs each read function once, or twice where it was suspended: {first}"
        );

        store.set(&head, 10);
        assert_eq!(store.get(&tail), len + 10, "re-read after a set");
        assert_eq!(runs.swap(0, Ordering::Relaxed), len_usize, "a re-check runs each read function once");

        let seen = Arc::new(AtomicU64::new(0));
        let sub = {
            let seen = seen.clone();
            store.subscribe(&tail, move |v| seen.store(*v, Ordering::SeqCst))
        };
        store.set(&head, 20);
        assert_eq!(seen.load(Ordering::SeqCst), len + 20, "the tail's subscriber sees the new value");
        assert_eq!(runs.swap(0, Ordering::Relaxed), len_usize);

        drop(sub);
        drop(store);
        // The last handle of the tail holds, through closures, every atom of the chain.
        let weak_head = head.clone();
        drop(tail);
        assert_eq!(Deep::new().get(&weak_head), 0, "the head atom still works once the chain is gone");
    });
}

#[test]
fn a_chain_of_100_000_derived_atoms_on_a_2_mib_stack() {
    whole_life_of_a_chain(100_000);
}

#[test]
fn a_chain_of_1_000_000_derived_atoms_on_a_2_mib_stack() {
    whole_life_of_a_chain(1_000_000);
}

#[test]
fn dropping_a_chain_that_no_store_ever_read_does_not_recurse() {
    on_small_stack(|| {
        let head = Atom::<u64, Deep>::new(0);
        let tail = chain(&head, 1_000_000, &Arc::new(AtomicUsize::new(0)));
        drop(tail);
    });
}

#[test]
fn a_chain_dropped_while_a_store_holds_it_is_freed_from_the_store() {
    on_small_stack(|| {
        let store = Deep::new();
        let head = Atom::<u64, Deep>::new(1);
        let tail = chain(&head, 100_000, &Arc::new(AtomicUsize::new(0)));
        assert_eq!(store.get(&tail), 100_001);
        let before = store.atoms().len();
        drop(tail);
        assert_eq!(before - store.atoms().len(), 100_000, "every computed atom of the chain is gone");
        store.set(&head, 2);
        assert_eq!(store.get(&head), 2);
    });
}

/// A ring of `len` computed atoms that closes only while `closed` is on.
fn ring(len: usize, closed: &Atom<bool, Deep>) -> Computed<u64, Deep> {
    let slots: Vec<Arc<OnceLock<Computed<u64, Deep>>>> =
        (0..len).map(|_| Arc::new(OnceLock::new())).collect();
    for i in 0..len {
        let next = slots[(i + 1) % len].clone();
        let closed = closed.clone();
        let atom = Computed::<u64, Deep>::new(move |s| {
            if i == len - 1 && !s.get(&closed) {
                return 0;
            }
            s.get(next.get().expect("ring built")) + 1
        });
        slots[i].set(atom).expect("set once");
    }
    slots[0].get().expect("ring built").clone()
}

#[test]
fn a_cycle_of_50_000_atoms_panics_naming_the_first_few_and_the_count() {
    on_small_stack(|| {
        let store = Deep::new();
        let closed = Atom::<bool, Deep>::new(false);
        let first = ring(50_000, &closed);
        assert_eq!(store.get(&first), 49_999);

        store.set(&closed, true);
        let message = panic_message(|| {
            store.get(&first);
        });
        assert!(message.contains("dependency cycle"), "{message}");
        assert!(message.contains("(50000 atoms in the cycle)"), "{message}");
        assert!(message.contains("more"), "a long cycle is shortened: {message}");
        assert!(message.len() < 2_000, "the message stays readable: {} bytes", message.len());

        store.set(&closed, false);
        assert_eq!(store.get(&first), 49_999, "usable again once the cycle is gone");
    });
}

#[test]
fn a_cycle_found_on_a_first_read_panics_and_the_store_stays_usable() {
    on_small_stack(|| {
        let store = Deep::new();
        let closed = Atom::<bool, Deep>::new(true);
        let first = ring(10_000, &closed);
        let message = panic_message(|| {
            store.get(&first);
        });
        assert!(message.contains("(10000 atoms in the cycle)"), "{message}");
        store.set(&closed, false);
        assert_eq!(store.get(&first), 9_999);
    });
}

#[test]
fn a_panic_deep_in_a_chain_reaches_the_caller_and_the_next_read_retries() {
    on_small_stack(|| {
        let store = Deep::new();
        let head = Atom::<u64, Deep>::new(0);
        let broken = Arc::new(AtomicBool::new(true));
        let fragile = {
            let (head, broken) = (head.clone(), broken.clone());
            Computed::<u64, Deep>::new(move |s| {
                let v = s.get(&head);
                assert!(!broken.load(Ordering::SeqCst), "fragile read function failed");
                v
            })
        };
        // The fragile atom sits 50,000 links below the tail: far below any nesting of read functions.
        let runs = Arc::new(AtomicUsize::new(0));
        let mid = Atom::<u64, Deep>::new(0);
        let upper = chain(&mid, 50_000, &runs);
        let tail = Computed::<u64, Deep>::new(move |s| s.get(&upper) + s.get(&fragile));

        assert_eq!(
            panic_message(|| {
                store.get(&tail);
            }),
            "fragile read function failed"
        );
        broken.store(false, Ordering::SeqCst);
        assert_eq!(store.get(&tail), 50_000);
        store.set(&head, 5);
        assert_eq!(store.get(&tail), 50_005);
    });
}

#[test]
fn a_read_function_that_catches_panics_of_its_reads_still_gets_the_right_value() {
    on_small_stack(|| {
        let store = Deep::new();
        let head = Atom::<u64, Deep>::new(0);
        // A chain of read functions that each catch whatever their read raises and fall back to 0: a
        // suspended read must not let them store that fallback.
        let first = {
            let head = head.clone();
            Computed::<u64, Deep>::new(move |s| s.get(&head) + 1)
        };
        let tail = (1..5_000).fold(first, |prev, _| {
            Computed::<u64, Deep>::new(move |s| {
                catch_unwind(AssertUnwindSafe(|| s.get(&prev))).map_or(0, |v| v + 1)
            })
        });
        assert_eq!(store.get(&tail), 5_000);
        store.set(&head, 1);
        assert_eq!(store.get(&tail), 5_001);
    });
}

#[test]
fn a_deep_diamond_is_glitch_free_and_evaluates_each_atom_once_per_change() {
    on_small_stack(|| {
        let store = Deep::new();
        let head = Atom::<u64, Deep>::new(1);
        let runs = Arc::new(AtomicUsize::new(0));
        // Two deep arms over one head, joined at the bottom: the join must never see one arm updated
        // and the other not.
        let left = chain(&head, 20_000, &runs);
        let right = chain(&head, 30_000, &runs);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let join = Computed::<(u64, u64), Deep>::new(move |s| (s.get(&left), s.get(&right)));
        let _sub = {
            let seen = seen.clone();
            store.subscribe(&join, move |v| seen.lock().expect("not poisoned").push(*v))
        };
        runs.store(0, Ordering::Relaxed);
        for v in 2..5 {
            store.set(&head, v);
        }
        assert_eq!(
            *seen.lock().expect("not poisoned"),
            vec![(20_002, 30_002), (20_003, 30_003), (20_004, 30_004)],
            "one notification per change, never a mix"
        );
        assert_eq!(runs.load(Ordering::Relaxed), 3 * 50_000, "each arm atom once per change");
    });
}

#[test]
fn a_deep_chain_read_from_many_threads_agrees() {
    let store = Deep::new();
    let head = Atom::<u64, Deep>::new(0);
    let tail = chain(&head, 20_000, &Arc::new(AtomicUsize::new(0)));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (store, tail) = (store.clone(), tail.clone());
            std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || {
                    for _ in 0..20 {
                        let v = store.get(&tail);
                        assert!(v >= 20_000 && (v - 20_000) % 7 == 0, "a consistent value: {v}");
                    }
                })
                .expect("spawn a reader")
        })
        .collect();
    for i in 1..=20 {
        store.set(&head, i * 7);
    }
    for r in readers {
        r.join().expect("reader");
    }
    assert_eq!(store.get(&tail), 20_000 + 140);
}
