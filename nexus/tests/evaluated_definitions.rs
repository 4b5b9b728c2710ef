//! The evaluation calls a run-time atom's definition through a pointer into the `Arc` its node holds
//! (`State::recompute`, the crate's other `unsafe`). These tests drive the ways nodes can go while a read
//! function runs (a registration taking a dead atom's place, a nested read's panic caught by the read
//! function), and are run under Miri by `scripts/miri.sh`: a use of a definition after it was freed is
//! reported there.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use nexus::{Atom, Computed};

nexus::store! {
    pub struct Page;
}

nexus::atom! {
    #![store(Page)]
    pub static STEP: u32 = 0;
}

/// Counts its drops.
struct Tracked(Arc<AtomicUsize>);

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn a_read_function_that_drops_its_own_atom_and_reads_one_taking_its_slot_runs_to_the_end() {
    // `victim`'s read function drops the last handle of `victim` itself (the atom dies and gives its
    // slot back; its node's removal waits for the lock), then reads a new atom, which takes that slot:
    // registering it removes `victim`'s stale node while `victim` is being evaluated. The definition
    // (the read function and what it captured) must outlive the call all the same.
    let store = Page::new();
    let drops = Arc::new(AtomicUsize::new(0));
    let seen_inside = Arc::new(AtomicUsize::new(usize::MAX));
    let handle: Arc<Mutex<Option<Computed<u32, Page>>>> = Arc::default();
    let victim = {
        let captured = Tracked(drops.clone());
        let (handle, seen_inside) = (handle.clone(), seen_inside.clone());
        Computed::<u32, Page>::new(move |s| {
            let step = s.get(&STEP);
            if step == 0 {
                return 0;
            }
            drop(handle.lock().unwrap().take());
            let fresh = Atom::<u32, Page>::new(40);
            let value = s.get(&fresh);
            // Still here: the captures are read after the node went.
            seen_inside.store(captured.0.load(Ordering::SeqCst), Ordering::SeqCst);
            value + step
        })
    };
    // `outer` reaches `victim` through the graph (its read function holds no handle while the walk
    // brings `victim` up to date first).
    let outer = {
        let handle = handle.clone();
        Computed::<u32, Page>::new(move |s| {
            let victim = handle.lock().unwrap().clone();
            match victim {
                Some(v) => s.get(&v) + 1,
                None => 100,
            }
        })
    };
    *handle.lock().unwrap() = Some(victim);
    assert_eq!(store.get(&outer), 1);
    store.set(&STEP, 2);
    assert_eq!(store.get(&outer), 100, "`victim` is gone: `outer` no longer reads it");
    assert_eq!(seen_inside.load(Ordering::SeqCst), 0, "the definition lived through its call");
    assert_eq!(drops.load(Ordering::SeqCst), 1, "and was freed after it");
    assert!(handle.lock().unwrap().is_none());
    assert_eq!(store.get(&STEP), 2, "the store is usable");
}

#[test]
fn a_read_function_that_catches_nested_panics_leaves_no_node_to_be_run_unmarked() {
    // `l`'s read function catches the panics of two nested reads (its own business), then reads `s`.
    // Nothing of those nested evaluations may stay on the evaluation path: a leftover entry would later
    // be run again without being marked under evaluation, and a registration inside that run (an atom
    // taking `l`'s dead slot) would free `l`'s definition during its own call (found by review; Miri
    // reported it).
    let store = Page::new();
    let panics_a = Computed::<u32, Page>::new(|_| -> u32 { panic!("a nested read panics") });
    let panics_b = Computed::<u32, Page>::new(|_| -> u32 { panic!("another one") });
    let runs = Arc::new(AtomicUsize::new(0));
    let drops = Arc::new(AtomicUsize::new(0));
    let dropped_while_running = Arc::new(AtomicUsize::new(0));
    let s_slot: Arc<Mutex<Option<Atom<u32, Page>>>> = Arc::new(Mutex::new(Some(Atom::new(1))));
    let l_slot: Arc<Mutex<Option<Computed<u32, Page>>>> = Arc::default();
    let l = {
        let captured = Tracked(drops.clone());
        let (s_slot, runs, dropped_while_running) =
            (s_slot.clone(), runs.clone(), dropped_while_running.clone());
        Computed::<u32, Page>::new(move |r| {
            if runs.fetch_add(1, Ordering::SeqCst) == 0 {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.get(&panics_a)));
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.get(&panics_b)));
                let s = s_slot.lock().unwrap().clone().expect("set before the first read");
                return r.get(&s);
            }
            let fresh = Atom::<u32, Page>::new(5);
            let value = r.get(&fresh);
            dropped_while_running.store(captured.0.load(Ordering::SeqCst), Ordering::SeqCst);
            value
        })
    };
    *l_slot.lock().unwrap() = Some(l);
    let t = {
        let (s_slot, l_slot) = (s_slot.clone(), l_slot.clone());
        Computed::<u32, Page>::new(move |r| {
            let Some(l) = l_slot.lock().unwrap().clone() else { return 0 };
            let v = r.get(&l);
            drop(l);
            // `s` dies and a new atom takes its slot (which makes `l` dirty); then `l` dies.
            drop(s_slot.lock().unwrap().take());
            let f = Atom::<u32, Page>::new(2);
            let w = r.get(&f);
            drop(f);
            drop(l_slot.lock().unwrap().take());
            v + w
        })
    };
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| store.get(&t)));
    std::panic::set_hook(quiet);
    assert_eq!(got.ok(), Some(3), "`l` read `s` (1), `t` added 2");
    assert_eq!(runs.load(Ordering::SeqCst), 1, "`l` ran once: nothing was left on the path to run it again");
    assert_eq!(dropped_while_running.load(Ordering::SeqCst), 0);
    assert_eq!(drops.load(Ordering::SeqCst), 1, "`l`'s definition is freed once it is dead and done");
    assert_eq!(store.get(&STEP), 0, "the store is usable");
}

#[test]
fn a_source_that_dies_and_gives_its_slot_away_inside_a_read_function_is_removed_after_it() {
    // `n`'s read function reads `gone` (as last time), drops its last handle, then reads a new atom that
    // takes `gone`'s slot. The stale node of `gone` must not be removed under the running evaluation: its
    // removal would shorten `n`'s list of sources while the read function is matching reads against it.
    let store = Page::new();
    let gone: Arc<Mutex<Option<Atom<u32, Page>>>> = Arc::new(Mutex::new(Some(Atom::new(7))));
    let n = {
        let gone = gone.clone();
        Computed::<u32, Page>::new(move |s| {
            let step = s.get(&STEP);
            let held = gone.lock().unwrap().clone();
            let Some(atom) = held else { return 1000 + step };
            let value = s.get(&atom);
            if step == 0 {
                return value;
            }
            drop(atom);
            drop(gone.lock().unwrap().take());
            let fresh = Atom::<u32, Page>::new(40);
            value + s.get(&fresh) + step
        })
    };
    assert_eq!(store.get(&n), 7);
    store.set(&STEP, 1);
    assert_eq!(store.get(&n), 7 + 40 + 1);
    store.set(&STEP, 2);
    assert_eq!(store.get(&n), 1002, "`gone` is gone; `n` still follows `STEP`");
}
