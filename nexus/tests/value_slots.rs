//! Every path through the value slots (`core/value_slot.rs`, the crate's only `unsafe`), through the
//! public API, small enough to run under Miri: `scripts/miri.sh` runs this file and the crate's unit
//! tests with `cargo +nightly miri test` (`.ci/run` does too). Natively it is an ordinary test.
//!
//! The paths: a typed read of an owned value (`get`, `with`), a write in place of an owned value (`set`
//! and `update` with nobody watching), the move behind an `Arc` when a value is first shared (a
//! subscriber or a plugin), a write in place of a shared value held by nothing else, a replacement while
//! a plugin holds the old value, typed reads of shared values in subscriber calls, derived values, values
//! that own heap memory and zero-sized ones, and two threads at once (Miri also checks data races).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use nexus::{Atom, Computed, DevTools};

nexus::store! {
    pub struct Slots;
}

nexus::atom! {
    #![store(Slots)]
    pub static COUNT: u64 = 0;
    pub static NAME: String = String::from("ada");
    pub static LIST: Vec<String> = Vec::new();
    pub static UNIT: () = ();
    pub static LEN: usize = computed(|s| s.with(&NAME, String::len) + s.with(&LIST, Vec::len));
}

#[test]
fn owned_values_are_read_and_written_in_place() {
    let s = Slots::new();
    assert_eq!(s.get(&COUNT), 0);
    s.set(&COUNT, 1);
    s.update(&COUNT, |c| *c += 41);
    assert_eq!(s.get(&COUNT), 42);
    s.set(&NAME, "grace".to_owned());
    s.update(&LIST, |l| l.push("x".repeat(3)));
    assert_eq!(s.with(&LIST, |l| l.concat()), "xxx");
    assert_eq!(s.get(&LEN), 6);
    s.set(&UNIT, ());
    s.get(&UNIT);
    s.reset(&NAME);
    assert_eq!(s.get(&NAME), "ada");
}

#[test]
fn shared_values_reach_subscribers_and_are_written_again() {
    let s = Slots::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let sub = s.subscribe(&NAME, move |v: &String| sink.lock().unwrap().push(v.clone()));
    let lens = Arc::new(AtomicUsize::new(0));
    let l = lens.clone();
    let _len_sub = s.subscribe(&LEN, move |n| l.store(*n, Ordering::SeqCst));
    s.set(&NAME, "grace".to_owned());
    s.update(&NAME, |n| n.push('!'));
    s.set(&NAME, "grace!".to_owned()); // equal: no change
    drop(sub);
    // Nobody holds the shared value now: written in place again.
    s.set(&NAME, "linus".to_owned());
    assert_eq!(*seen.lock().unwrap(), ["grace", "grace!"]);
    assert_eq!(lens.load(Ordering::SeqCst), 5);
    assert_eq!(s.get(&NAME), "linus");
}

#[test]
fn plugins_hold_old_values_while_new_ones_replace_them() {
    let s = Slots::new();
    let tools = DevTools::attach(&s);
    s.set(&LIST, vec!["a".to_owned()]);
    s.update(&LIST, |l| l.push("b".to_owned()));
    s.batch(|| {
        s.set(&COUNT, 7);
        s.set(&NAME, "x".to_owned());
    });
    let log: Vec<String> = tools.log().iter().map(|a| a.label().to_owned()).collect();
    assert_eq!(log, ["SET LIST", "UPDATE LIST", "SET COUNT", "SET NAME"]);
    drop(tools);
    s.set(&LIST, Vec::new());
    assert_eq!(s.get(&LEN), 1);
}

#[test]
fn run_time_atoms_and_threads() {
    let s = Slots::new();
    let atom = Atom::<Vec<u8>, Slots>::new(vec![1, 2, 3]);
    let sum = {
        let atom = atom.clone();
        Computed::<u32, Slots>::new(move |r| r.with(&atom, |v| v.iter().map(|&b| u32::from(b)).sum()))
    };
    assert_eq!(s.get(&sum), 6);
    let threads: Vec<_> = (0..2u8)
        .map(|t| {
            let (s, atom, sum) = (s.clone(), atom.clone(), sum.clone());
            std::thread::spawn(move || {
                for i in 0..5u8 {
                    s.update(&atom, |v| v.push(t * 10 + i));
                    let _ = s.get(&sum);
                    s.update(&COUNT, |c| *c += 1);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(s.get(&COUNT), 10);
    assert_eq!(s.with(&atom, Vec::len), 13);
    drop(atom);
    assert!(s.get(&sum) > 6);
    drop(sum);
    drop(s);
}

/// The run-time drop path (`core/teardown.rs`): the last handle of a chain's tail drops its definition,
/// whose closure holds the handle of the link before it, and so on; each of those drops is put off into
/// the per-thread queue and run by the outermost one, and every store frees the slots of the atoms gone.
/// The store outlives the chain here, so its values are freed by the atoms' drops, not by the store's.
#[test]
fn a_dropped_run_time_chain_frees_every_link_and_its_values() {
    struct Counted(Arc<AtomicUsize>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let freed = Arc::new(AtomicUsize::new(0));
    let s = Slots::new();
    let head = Atom::<String, Slots>::new(String::from("x"));
    let mut tail = {
        let head = head.clone();
        Computed::<String, Slots>::new(move |r| r.get(&head))
    };
    for _ in 0..20 {
        let (link, counted) = (tail, Counted(freed.clone()));
        tail = Computed::<String, Slots>::new(move |r| {
            let _ = &counted;
            r.get(&link) + "x"
        });
    }
    assert_eq!(s.get(&tail).len(), 21);
    s.set(&head, String::from("y"));
    assert_eq!(s.get(&tail), format!("y{}", "x".repeat(20)));
    let before = s.atoms().len();
    drop(tail);
    assert_eq!(freed.load(Ordering::SeqCst), 20, "every link's definition was dropped");
    assert_eq!(s.atoms().len(), before - 21, "the store no longer holds the chain's values");
    assert_eq!(s.get(&head), "y");
    drop(head);
    drop(s);
}
