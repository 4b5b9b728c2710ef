//! `get` of a word-sized primitive value (integers, floats, `bool`, `char`) reads a per-store cell
//! without the store's lock (`nexus/src/core/words.rs`). These tests hold that read to what the locked
//! read promised: the latest value written, never an older one after a newer, writes seen in the order one
//! thread made them, every kind of write (set, update, reset, batch, undo, hydrate) visible at once, and
//! a slot reused by a new run-time atom never showing the dead atom's value.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

nexus::store! {
    pub struct Counters;
}

nexus::atom! {
    #![store(Counters)]
    pub static COUNT: u64 = 0;
    pub static FIRST: u64 = 0;
    pub static SECOND: u64 = 0;
    pub static LEVEL: i8 = -1;
    pub static RATIO: f64 = 0.5;
    pub static ON: bool = false;
    pub static LETTER: char = 'a';
    pub static SMALL: u16 = 7;
    pub static DOUBLED: u64 = computed(|s| s.get(&COUNT) * 2);
}

const WRITES: u64 = 200_000;

#[test]
fn readers_on_other_threads_never_go_back_and_end_on_the_last_write() {
    let store = Counters::new();
    store.get(&COUNT);
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (store, done) = (store.clone(), done.clone());
            thread::spawn(move || {
                let (mut last, mut reads) = (0, 0u64);
                while !done.load(Ordering::Acquire) {
                    let now = store.get(&COUNT);
                    assert!(now >= last, "read {now} after {last}");
                    last = now;
                    reads += 1;
                }
                assert_eq!(store.get(&COUNT), WRITES, "after the writer finished");
                reads
            })
        })
        .collect();
    for i in 1..=WRITES {
        store.set(&COUNT, i);
    }
    done.store(true, Ordering::Release);
    for r in readers {
        assert!(r.join().expect("reader") > 0);
    }
}

#[test]
fn two_values_written_in_order_are_read_in_that_order() {
    let store = Counters::new();
    store.get(&FIRST);
    store.get(&SECOND);
    let writer = {
        let store = store.clone();
        thread::spawn(move || {
            for i in 1..=WRITES {
                store.set(&FIRST, i);
                store.set(&SECOND, i);
            }
        })
    };
    let mut seen = 0;
    while seen < WRITES {
        // SECOND is written after FIRST: whoever sees a SECOND sees at least as new a FIRST.
        seen = store.get(&SECOND);
        let first = store.get(&FIRST);
        assert!(first >= seen, "FIRST {first} older than SECOND {seen}");
    }
    writer.join().expect("writer");
}

#[test]
fn every_kind_of_write_is_read_at_once() {
    let store = Counters::new();
    let travel = nexus::TimeTravel::attach(&store, 16);
    assert_eq!(
        (store.get(&LEVEL), store.get(&RATIO), store.get(&ON), store.get(&LETTER)),
        (-1, 0.5, false, 'a')
    );
    store.set(&LEVEL, i8::MIN);
    store.set(&RATIO, -2.25);
    store.set(&ON, true);
    store.set(&LETTER, '€');
    assert_eq!(
        (store.get(&LEVEL), store.get(&RATIO), store.get(&ON), store.get(&LETTER)),
        (i8::MIN, -2.25, true, '€')
    );
    store.update(&SMALL, |v| *v += 1);
    assert_eq!(store.get(&SMALL), 8);
    store.reset(&SMALL);
    assert_eq!(store.get(&SMALL), 7);
    store.batch(|| {
        store.set(&COUNT, 5);
        assert_eq!(store.get(&COUNT), 5, "a batch reads its own writes");
        store.set(&COUNT, 6);
    });
    assert_eq!((store.get(&COUNT), store.get(&DOUBLED)), (6, 12));
    assert!(travel.undo());
    assert_eq!(store.get(&COUNT), 0, "undo of the batch");
    assert!(travel.redo());
    assert_eq!(store.get(&COUNT), 6);

    let snapshot = store.snapshot();
    let fresh = Counters::new();
    fresh.get(&COUNT);
    fresh.hydrate(&snapshot).expect("a snapshot of the same store type");
    assert_eq!((fresh.get(&COUNT), fresh.get(&LETTER), fresh.get(&RATIO)), (6, '€', -2.25));
    assert_eq!(Counters::new().get(&COUNT), 0, "each store has its own cells");
}

#[test]
fn a_new_run_time_atom_in_a_dead_ones_slot_reads_its_own_value() {
    let store = Counters::new();
    for i in 0..5_000u64 {
        let atom = nexus::Atom::<u64, Counters>::new(i);
        assert_eq!(store.get(&atom), i);
        store.set(&atom, i + 1);
        assert_eq!(store.get(&atom), i + 1);
        // Dropped here: the next atom takes the same slot with a new generation.
    }
    let kept = nexus::Atom::<u64, Counters>::new(1);
    store.get(&kept);
    let next = nexus::Atom::<u64, Counters>::new(2);
    assert_eq!(store.get(&next), 2);
    assert_eq!(store.get(&kept), 1);
}

#[test]
fn a_word_value_read_from_inside_a_read_function_is_still_refused() {
    let store = Counters::new();
    store.set(&COUNT, 3);
    let handle = store.clone();
    let bad = nexus::Computed::<u64, Counters>::new(move |_| handle.get(&COUNT));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| store.get(&bad)));
    let payload = result.expect_err("reading through the store inside a read function panics");
    let message = payload.downcast_ref::<String>().map(String::as_str).unwrap_or_default();
    assert!(message.contains("read other atoms through"), "{message}");
    assert_eq!(store.get(&COUNT), 3);
}
