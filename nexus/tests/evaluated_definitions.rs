//! The evaluation calls a run-time atom's definition through a pointer into the `Arc` its node holds
//! (`State::recompute`, the crate's other `unsafe`). These tests drive the one way that node can go while
//! its read function runs, and are run under Miri by `scripts/miri.sh`: a use of the definition after
//! it was freed is reported there.

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
