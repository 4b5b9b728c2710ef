//! Lifecycle (SPEC §4 "Isolation": drop frees everything; §2 run-time atoms).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

nexus::store! {
    pub struct Page;
    #[mode(global)]
    pub struct Everywhere;
}

/// A value that counts its drops.
#[derive(Clone, Debug)]
pub struct Tracked(Arc<AtomicUsize>);

impl PartialEq for Tracked {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

nexus::atom! {
    #![store(Page)]
    pub static HELD: Option<Tracked> = None;
    pub static VISITS: u32 = 0;
}

#[test]
fn dropping_a_store_frees_its_values_and_subscriber_closures() {
    let value_drops = Arc::new(AtomicUsize::new(0));
    let closure_drops = Arc::new(AtomicUsize::new(0));
    let store = Page::new();
    store.set(&HELD, Some(Tracked(value_drops.clone())));
    let before = value_drops.load(Ordering::SeqCst);
    let in_closure = Tracked(closure_drops.clone());
    let sub = store.subscribe(&VISITS, move |_| {
        let _keep = &in_closure;
    });
    store.set(&VISITS, 1);
    drop(store);
    assert!(value_drops.load(Ordering::SeqCst) > before, "the stored value was dropped with the store");
    assert_eq!(closure_drops.load(Ordering::SeqCst), 1, "the subscriber closure was dropped with the store");
    assert!(!sub.is_active());
    drop(sub); // dropping the handle after the store is harmless
}

#[test]
fn a_store_clone_keeps_the_instance_alive() {
    let drops = Arc::new(AtomicUsize::new(0));
    let store = Page::new();
    store.set(&HELD, Some(Tracked(drops.clone())));
    let settled = drops.load(Ordering::SeqCst);
    let clone = store.clone();
    drop(store);
    assert_eq!(drops.load(Ordering::SeqCst), settled);
    drop(clone);
    assert_eq!(drops.load(Ordering::SeqCst), settled + 1);
}

#[test]
fn run_time_atoms_are_handles_whose_clones_are_the_same_atom() {
    let store = Page::new();
    let a = nexus::Atom::<u32, Page>::new(1);
    let b = a.clone();
    let other = nexus::Atom::<u32, Page>::new(1);
    assert_eq!(a, b);
    assert_ne!(a, other);
    store.set(&b, 5);
    assert_eq!(store.get(&a), 5);
    assert_eq!(store.get(&other), 1);
    assert_eq!(HELD, HELD.clone());
}

#[test]
fn a_hundred_thousand_run_time_atoms_are_freed_when_dropped() {
    let store = Page::new();
    store.get(&VISITS);
    let baseline = store.atoms().len();
    let drops = Arc::new(AtomicUsize::new(0));
    for i in 0..100_000u32 {
        let atom = nexus::Atom::<Tracked, Page>::new_with_eq(Tracked(drops.clone()), |_, _| false);
        let doubled = {
            let atom = atom.clone();
            nexus::Computed::<u32, Page>::new(move |s| s.with(&atom, |_| i * 2))
        };
        assert_eq!(store.get(&doubled), i * 2);
        if i % 10_000 == 0 {
            assert_eq!(store.atoms().len(), baseline + 2);
        }
    }
    // Each atom's value existed twice (the initial value in the atom, one copy in the store): all dropped.
    assert_eq!(drops.load(Ordering::SeqCst), 200_000);
    assert_eq!(store.atoms().len(), baseline, "no store keeps a dead run-time atom");
}

#[test]
fn a_run_time_global_atom_frees_its_value_in_the_global_registry() {
    let drops = Arc::new(AtomicUsize::new(0));
    let store = Everywhere::new();
    let atom = nexus::Atom::<Tracked, nexus::Global>::new_with_eq(Tracked(drops.clone()), |_, _| false);
    store.set(&atom, Tracked(drops.clone()));
    let path = atom.registry_name().to_owned();
    assert!(nexus::global::atoms().iter().any(|i| i.name() == path));
    let before = drops.load(Ordering::SeqCst);
    drop(atom);
    assert_eq!(drops.load(Ordering::SeqCst), before + 2, "the atom's initial value and the registry's value");
    assert!(!nexus::global::atoms().iter().any(|i| i.name() == path));
}

#[test]
fn a_subscription_keeps_its_run_time_atom_alive() {
    let store = Page::new();
    let calls = Arc::new(AtomicUsize::new(0));
    let atom = nexus::Atom::<u32, Page>::new(0);
    let c = calls.clone();
    let sub = store.subscribe(&atom, move |_| {
        c.fetch_add(1, Ordering::SeqCst);
    });
    let again = atom.clone();
    drop(atom);
    store.set(&again, 1);
    drop(again);
    assert_eq!(store.atoms().len(), 1, "still held by the subscription");
    drop(sub);
    assert_eq!(store.atoms().len(), 0, "freed with the subscription");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn an_atom_whose_last_handle_goes_during_an_evaluation_is_freed_when_the_store_is_released() {
    // A store holds a run-time atom's definition while it has a node of it; the last handle ends the
    // atom's life. Dropped inside a read function (the store is locked), the node goes when the lock is
    // released, and the definition with it: its read function and what it captured.
    let store = Page::new();
    let drops = Arc::new(AtomicUsize::new(0));
    let captured = Tracked(drops.clone());
    let victim = nexus::Computed::<u32, Page>::new(move |_| {
        let _keep = &captured;
        7
    });
    assert_eq!(store.get(&victim), 7);
    let slot = Arc::new(std::sync::Mutex::new(Some(victim)));
    let taken = slot.clone();
    let dropper = nexus::Computed::<u32, Page>::new(move |_| {
        drop(taken.lock().unwrap().take());
        1
    });
    assert_eq!(store.get(&dropper), 1);
    assert_eq!(drops.load(Ordering::SeqCst), 1, "the read function and its captures were freed");
    assert_eq!(store.atoms().len(), 1, "only `dropper` is left");
    assert!(slot.lock().unwrap().is_none());
}
