//! The mount lifecycle (issue 27 §2): `#[on_mount(|store, set| { …; move || … })]` in `atom!` and
//! `Atom::new(v).on_mount(..)`. An atom is mounted in a store instance while it has an observer there —
//! a subscriber, a `Watch`, an effect that read it in its last run, or a mounted derived atom that reads
//! it — and `store.is_mounted(&atom)` says so. The rules and the tests that prove them (every mount and
//! unmount counted exactly):
//! - subscribe / unsubscribe, two subscribers mount once and unmount after the last:
//!   `subscribers_mount_on_the_first_and_unmount_after_the_last`;
//! - a `Watch` mounts until dropped: `a_watch_mounts_until_it_is_dropped`;
//! - effects: one that reads the atom mounts it, dropping it unmounts, one that stops reading it
//!   unmounts: `an_effect_mounts_what_its_last_run_read`;
//! - derived chains mount their sources transitively: `a_subscribed_derived_chain_mounts_its_sources`;
//! - conditional reads: `a_derived_atom_that_stops_reading_an_atom_unmounts_it`;
//! - observers of every kind together mount once: `observers_of_every_kind_together_mount_once`;
//! - per store instance: `each_store_instance_mounts_its_own`;
//! - a mounted atom written from a background thread through the `Setter`, a no-op after unmount:
//!   `a_mounted_atom_is_fed_from_a_background_thread_until_unmounted`,
//!   `a_setter_does_nothing_once_unmounted_or_once_the_store_is_gone`;
//! - dropping the store unmounts everything mounted: `dropping_the_store_unmounts_everything_mounted`;
//! - the run-time form: `a_run_time_atom_takes_on_mount_too`;
//! - an `on_mount` that writes at once, mounted by an effect's read, runs the effect again:
//!   `a_value_on_mount_writes_at_once_reaches_the_effect_that_mounted_it`;
//! - `Global` atoms in global-mode stores mount once for all of them:
//!   `a_global_atom_is_mounted_once_while_any_global_mode_store_observes_it`.
//!
//! `#[on_mount]` on a computed atom is a compile error (ui-tests, `on_mount_on_computed`).

// On wasm32 these tests run in headless Chromium (`scripts/wasm-test.sh`): wasm-bindgen-test's `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

nexus::store! {
    pub struct Market;
    #[mode(global)]
    pub struct Hub;
}

/// How many times an atom was mounted and unmounted (one per atom, as a static, so that the tests of
/// this file, which run in parallel, never share one).
struct Counts {
    mounts: AtomicUsize,
    unmounts: AtomicUsize,
}

impl Counts {
    const fn new() -> Self {
        Counts { mounts: AtomicUsize::new(0), unmounts: AtomicUsize::new(0) }
    }

    /// The `on_mount` of a counted atom: counts the mount, returns the unmount that counts itself.
    fn mount(&'static self) -> impl FnOnce() + Send + 'static {
        self.mounts.fetch_add(1, Ordering::SeqCst);
        move || {
            self.unmounts.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// `(mounts, unmounts)` so far.
    fn get(&self) -> (usize, usize) {
        (self.mounts.load(Ordering::SeqCst), self.unmounts.load(Ordering::SeqCst))
    }
}

#[test]
fn subscribers_mount_on_the_first_and_unmount_after_the_last() {
    static COUNTS: Counts = Counts::new();
    nexus::atom! {
        #![store(Market)]
        #[on_mount(|_store, _set| COUNTS.mount())]
        static PRICE: u64 = 0;
    }
    let store = Market::new();
    assert_eq!(store.get(&PRICE), 0);
    store.set(&PRICE, 1);
    assert_eq!(COUNTS.get(), (0, 0), "reads and writes are not observers");
    assert!(!store.is_mounted(&PRICE));

    let first = store.subscribe(&PRICE, |_| {});
    assert_eq!(COUNTS.get(), (1, 0));
    assert!(store.is_mounted(&PRICE));
    let second = store.subscribe(&PRICE, |_| {});
    assert_eq!(COUNTS.get(), (1, 0), "a second subscriber does not mount again");
    store.set(&PRICE, 2);
    assert_eq!(COUNTS.get(), (1, 0), "a change does not mount again");

    drop(first);
    assert_eq!(COUNTS.get(), (1, 0), "one subscriber left");
    assert!(store.is_mounted(&PRICE));
    second.unsubscribe();
    assert_eq!(COUNTS.get(), (1, 1), "unmounted after the last");
    assert!(!store.is_mounted(&PRICE));

    let again = store.subscribe(&PRICE, |_| {});
    assert_eq!(COUNTS.get(), (2, 1), "a new first subscriber mounts again");
    drop(again);
    assert_eq!(COUNTS.get(), (2, 2));
    assert!(!store.is_mounted(&PRICE));
}

#[test]
fn a_watch_mounts_until_it_is_dropped() {
    static COUNTS: Counts = Counts::new();
    nexus::atom! {
        #![store(Market)]
        #[on_mount(|_store, _set| COUNTS.mount())]
        static PRICE: u64 = 0;
    }
    let store = Market::new();
    let watch = store.watch(&PRICE);
    assert_eq!(COUNTS.get(), (1, 0));
    assert!(store.is_mounted(&PRICE));
    let sub = store.subscribe(&PRICE, |_| {});
    drop(watch);
    assert_eq!(COUNTS.get(), (1, 0), "the subscriber still observes it");
    drop(sub);
    assert_eq!(COUNTS.get(), (1, 1));
    let watch = store.watch(&PRICE);
    assert_eq!(COUNTS.get(), (2, 1));
    drop(watch);
    assert_eq!(COUNTS.get(), (2, 2));
    assert!(!store.is_mounted(&PRICE));
}

#[test]
fn an_effect_mounts_what_its_last_run_read() {
    static COUNTS: Counts = Counts::new();
    nexus::atom! {
        #![store(Market)]
        #[on_mount(|_store, _set| COUNTS.mount())]
        static PRICE: u64 = 0;
        static FLAG: bool = true;
    }
    let store = Market::new();

    let plain = store.effect(|s| {
        let _ = s.get(&PRICE);
    });
    assert_eq!(COUNTS.get(), (1, 0), "an effect that read it mounts it");
    assert!(store.is_mounted(&PRICE));
    drop(plain);
    assert_eq!(COUNTS.get(), (1, 1), "dropping the effect unmounts it");
    assert!(!store.is_mounted(&PRICE));

    let conditional = store.effect(|s| {
        if s.get(&FLAG) {
            let _ = s.get(&PRICE);
        }
    });
    assert_eq!(COUNTS.get(), (2, 1));
    assert!(store.is_mounted(&FLAG));
    store.set(&FLAG, false);
    assert_eq!(COUNTS.get(), (2, 2), "an effect that stops reading it unmounts it");
    assert!(!store.is_mounted(&PRICE));
    store.set(&PRICE, 5);
    assert_eq!(COUNTS.get(), (2, 2));
    store.set(&FLAG, true);
    assert_eq!(COUNTS.get(), (3, 2), "reading it again mounts it again");
    assert!(store.is_mounted(&PRICE));
    drop(conditional);
    assert_eq!(COUNTS.get(), (3, 3));
    assert!(!store.is_mounted(&PRICE));
    assert!(!store.is_mounted(&FLAG));
}

#[test]
fn a_subscribed_derived_chain_mounts_its_sources() {
    static COUNTS: Counts = Counts::new();
    nexus::atom! {
        #![store(Market)]
        #[on_mount(|_store, _set| COUNTS.mount())]
        static BASE: u64 = 1;
        static MIDDLE: u64 = computed(|s| s.get(&BASE) * 10);
        static TOP: u64 = computed(|s| s.get(&MIDDLE) + 1);
    }
    let store = Market::new();
    assert_eq!(store.get(&TOP), 11);
    assert_eq!(COUNTS.get(), (0, 0), "reading a derived atom does not mount its sources");

    let sub = store.subscribe(&TOP, |_| {});
    assert_eq!(COUNTS.get(), (1, 0), "the source two levels down is mounted");
    assert!(store.is_mounted(&TOP) && store.is_mounted(&MIDDLE) && store.is_mounted(&BASE));
    store.set(&BASE, 2);
    assert_eq!(store.get(&TOP), 21);
    assert_eq!(COUNTS.get(), (1, 0));
    drop(sub);
    assert_eq!(COUNTS.get(), (1, 1), "unsubscribing unmounts the chain");
    assert!(!store.is_mounted(&TOP) && !store.is_mounted(&MIDDLE) && !store.is_mounted(&BASE));

    // Through an effect reading the top of the chain, too.
    let fx = store.effect(|s| {
        let _ = s.get(&TOP);
    });
    assert_eq!(COUNTS.get(), (2, 1));
    drop(fx);
    assert_eq!(COUNTS.get(), (2, 2));
}

#[test]
fn a_derived_atom_that_stops_reading_an_atom_unmounts_it() {
    static COUNTS: Counts = Counts::new();
    nexus::atom! {
        #![store(Market)]
        #[on_mount(|_store, _set| COUNTS.mount())]
        static LIVE: u64 = 7;
        static USE_LIVE: bool = true;
        static SHOWN: u64 = computed(|s| if s.get(&USE_LIVE) { s.get(&LIVE) } else { 0 });
    }
    let store = Market::new();
    let sub = store.subscribe(&SHOWN, |_| {});
    assert_eq!(COUNTS.get(), (1, 0));
    store.set(&USE_LIVE, false);
    assert_eq!(store.get(&SHOWN), 0);
    assert_eq!(COUNTS.get(), (1, 1), "the derived atom no longer reads it: unmounted");
    assert!(!store.is_mounted(&LIVE));
    assert!(store.is_mounted(&USE_LIVE));
    store.set(&USE_LIVE, true);
    assert_eq!(store.get(&SHOWN), 7);
    assert_eq!(COUNTS.get(), (2, 1), "read again: mounted again");
    assert!(store.is_mounted(&LIVE));
    drop(sub);
    assert_eq!(COUNTS.get(), (2, 2));
}

#[test]
fn observers_of_every_kind_together_mount_once() {
    static COUNTS: Counts = Counts::new();
    nexus::atom! {
        #![store(Market)]
        #[on_mount(|_store, _set| COUNTS.mount())]
        static PRICE: u64 = 0;
        static DOUBLED: u64 = computed(|s| s.get(&PRICE) * 2);
    }
    let store = Market::new();
    let sub = store.subscribe(&PRICE, |_| {});
    let watch = store.watch(&PRICE);
    let fx = store.effect(|s| {
        let _ = s.get(&PRICE);
    });
    let derived = store.subscribe(&DOUBLED, |_| {});
    assert_eq!(COUNTS.get(), (1, 0), "four observers, one mount");
    drop(sub);
    drop(fx);
    drop(derived);
    assert_eq!(COUNTS.get(), (1, 0), "the watch is left");
    assert!(store.is_mounted(&PRICE));
    drop(watch);
    assert_eq!(COUNTS.get(), (1, 1));
    assert!(!store.is_mounted(&PRICE));
}

#[test]
fn each_store_instance_mounts_its_own() {
    static COUNTS: Counts = Counts::new();
    static STORES: Mutex<Vec<(nexus::StoreId, &'static str)>> = Mutex::new(Vec::new());
    nexus::atom! {
        #![store(Market)]
        #[on_mount(|store, _set| {
            STORES.lock().unwrap().push((store.id(), store.name()));
            COUNTS.mount()
        })]
        static PRICE: u64 = 0;
    }
    let (first, second) = (Market::new(), Market::new());
    let one = first.subscribe(&PRICE, |_| {});
    let two = second.subscribe(&PRICE, |_| {});
    assert_eq!(COUNTS.get(), (2, 0), "two instances, two mounts");
    assert_eq!(*STORES.lock().unwrap(), [(first.id(), "Market"), (second.id(), "Market")]);
    drop(one);
    assert_eq!(COUNTS.get(), (2, 1));
    assert!(!first.is_mounted(&PRICE));
    assert!(second.is_mounted(&PRICE), "the other instance keeps its mount");
    drop(two);
    assert_eq!(COUNTS.get(), (2, 2));
}

#[test]
fn dropping_the_store_unmounts_everything_mounted() {
    static SUBSCRIBED: Counts = Counts::new();
    static WATCHED: Counts = Counts::new();
    static READ_BY_EFFECT: Counts = Counts::new();
    static UNDER_DERIVED: Counts = Counts::new();
    static NEVER_OBSERVED: Counts = Counts::new();
    nexus::atom! {
        #![store(Market)]
        #[on_mount(|_store, _set| SUBSCRIBED.mount())]
        static P1: u64 = 0;
        #[on_mount(|_store, _set| WATCHED.mount())]
        static P2: u64 = 0;
        #[on_mount(|_store, _set| READ_BY_EFFECT.mount())]
        static P3: u64 = 0;
        #[on_mount(|_store, _set| UNDER_DERIVED.mount())]
        static P4: u64 = 0;
        #[on_mount(|_store, _set| NEVER_OBSERVED.mount())]
        static P5: u64 = 0;
        static D4: u64 = computed(|s| s.get(&P4) + 1);
    }
    let all = [&SUBSCRIBED, &WATCHED, &READ_BY_EFFECT, &UNDER_DERIVED, &NEVER_OBSERVED];
    let store = Market::new();
    store.set(&P5, 1);
    let sub = store.subscribe(&P1, |_| {});
    let watch = store.watch(&P2);
    let fx = store.effect(|s| {
        let _ = s.get(&P3);
    });
    let derived = store.subscribe(&D4, |_| {});
    assert_eq!(all.map(Counts::get), [(1, 0), (1, 0), (1, 0), (1, 0), (0, 0)]);

    drop(store);
    assert_eq!(all.map(Counts::get), [(1, 1), (1, 1), (1, 1), (1, 1), (0, 0)], "the drop unmounted them all");
    assert!(!fx.is_active());
    drop((sub, watch, fx, derived));
    assert_eq!(
        all.map(Counts::get),
        [(1, 1), (1, 1), (1, 1), (1, 1), (0, 0)],
        "not again when the handles go"
    );
}

#[test]
fn a_setter_does_nothing_once_unmounted_or_once_the_store_is_gone() {
    static COUNTS: Counts = Counts::new();
    static SETTERS: Mutex<Vec<nexus::Setter<u64>>> = Mutex::new(Vec::new());
    nexus::atom! {
        #![store(Market)]
        #[on_mount(|_store, set| {
            SETTERS.lock().unwrap().push(set);
            COUNTS.mount()
        })]
        static FED: u64 = 0;
    }
    let store = Market::new();
    let heard = Arc::new(Mutex::new(Vec::new()));
    let sink = heard.clone();
    let sub = store.subscribe(&FED, move |v| sink.lock().unwrap().push(*v));
    let setter = SETTERS.lock().unwrap().pop().expect("on_mount ran");
    assert!(setter.is_mounted());
    setter.set(5);
    setter.update(|v| *v += 1);
    assert_eq!(store.get(&FED), 6);
    assert_eq!(*heard.lock().unwrap(), [5, 6], "a setter's write notifies like `set`");

    drop(sub);
    assert_eq!(COUNTS.get(), (1, 1));
    assert!(!setter.is_mounted());
    setter.set(100);
    setter.update(|v| *v += 1);
    assert_eq!(store.get(&FED), 6, "a setter does nothing once its atom is unmounted");

    // Mounted again: a new setter; then the store goes.
    let sub = store.subscribe(&FED, |_| {});
    let setter = SETTERS.lock().unwrap().pop().expect("on_mount ran again");
    assert!(setter.is_mounted());
    drop(store);
    assert_eq!(COUNTS.get(), (2, 2));
    assert!(!setter.is_mounted(), "the store is gone");
    setter.set(7);
    drop(sub);
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_mounted_atom_is_fed_from_a_background_thread_until_unmounted() {
    use std::sync::atomic::AtomicBool;
    use std::thread::JoinHandle;
    use std::time::{Duration, Instant};

    static COUNTS: Counts = Counts::new();
    static SETTER: Mutex<Option<nexus::Setter<u64>>> = Mutex::new(None);
    static FEEDER: Mutex<Option<JoinHandle<()>>> = Mutex::new(None);

    /// Starts a thread that increments the atom until the returned unmount closure stops it.
    fn start_feed(set: nexus::Setter<u64>) -> impl FnOnce() + Send + 'static {
        *SETTER.lock().unwrap() = Some(set.clone());
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let feeder = std::thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                set.update(|v| *v += 1);
                std::thread::sleep(Duration::from_micros(200));
            }
        });
        *FEEDER.lock().unwrap() = Some(feeder);
        let unmount = COUNTS.mount();
        move || {
            stop.store(true, Ordering::SeqCst);
            unmount();
        }
    }

    nexus::atom! {
        #![store(Market)]
        #[on_mount(|_store, set| start_feed(set))]
        static TICKS: u64 = 0;
    }

    let store = Market::new();
    let heard = Arc::new(Mutex::new(Vec::new()));
    let sink = heard.clone();
    let sub = store.subscribe(&TICKS, move |v| sink.lock().unwrap().push(*v));
    assert_eq!(COUNTS.get(), (1, 0));

    // Wait (bounded, so that a broken feed fails instead of hanging) for a few values.
    let deadline = Instant::now() + Duration::from_secs(60);
    while heard.lock().unwrap().len() < 5 {
        assert!(Instant::now() < deadline, "the subscriber heard no values from the feeding thread");
        std::thread::sleep(Duration::from_millis(1));
    }
    let values = heard.lock().unwrap().clone();
    assert!(values.windows(2).all(|w| w[0] < w[1]), "the values grow: {values:?}");
    assert!(store.get(&TICKS) >= values[4]);

    drop(sub);
    assert_eq!(COUNTS.get(), (1, 1));
    let feeder = FEEDER.lock().unwrap().take().expect("the feed was started");
    feeder.join().expect("the feeding thread ends once unmounted");
    assert!(!store.is_mounted(&TICKS));

    let setter = SETTER.lock().unwrap().take().expect("on_mount kept a setter");
    assert!(!setter.is_mounted());
    let last = store.get(&TICKS);
    setter.set(last + 1_000);
    setter.update(|v| *v += 1);
    assert_eq!(store.get(&TICKS), last, "a setter after the unmount does not change the store");
}

#[test]
fn a_run_time_atom_takes_on_mount_too() {
    let counts: &'static Counts = Box::leak(Box::new(Counts::new()));
    let ids = Arc::new(Mutex::new(Vec::new()));
    let sink = ids.clone();
    let atom = nexus::Atom::<u64, Market>::new(0).on_mount(move |store, set| {
        sink.lock().unwrap().push(store.id());
        set.set(42);
        counts.mount()
    });
    let store = Market::new();
    assert_eq!(store.get(&atom), 0);
    assert!(!store.is_mounted(&atom));
    let sub = store.subscribe(&atom, |_| {});
    assert_eq!(counts.get(), (1, 0));
    assert!(store.is_mounted(&atom));
    assert_eq!(store.get(&atom), 42, "on_mount's setter writes the atom");
    assert_eq!(*ids.lock().unwrap(), [store.id()]);
    drop(sub);
    assert_eq!(counts.get(), (1, 1));
    assert!(!store.is_mounted(&atom));

    let twice = nexus::Computed::<u64, Market>::new({
        let atom = atom.clone();
        move |s| s.get(&atom) * 2
    });
    let sub = store.subscribe(&twice, |_| {});
    assert_eq!(counts.get(), (2, 1), "mounted through a run-time derived atom");
    drop(sub);
    assert_eq!(counts.get(), (2, 2));
}

#[test]
fn a_global_atom_is_mounted_once_while_any_global_mode_store_observes_it() {
    static COUNTS: Counts = Counts::new();
    nexus::atom! {
        #[on_mount(|_store, _set| COUNTS.mount())]
        static SHARED_FEED: u64 = 0;
    }
    let (one, two) = (Hub::new(), Hub::new());
    let first = one.subscribe(&SHARED_FEED, |_| {});
    let second = two.subscribe(&SHARED_FEED, |_| {});
    assert_eq!(COUNTS.get(), (1, 0), "one mount for every global-mode store");
    assert!(one.is_mounted(&SHARED_FEED) && two.is_mounted(&SHARED_FEED));
    drop(first);
    assert_eq!(COUNTS.get(), (1, 0), "another global-mode store still observes it");
    drop(second);
    assert_eq!(COUNTS.get(), (1, 1));
    assert!(!one.is_mounted(&SHARED_FEED) && !two.is_mounted(&SHARED_FEED));
}

/// An `on_mount` that writes its atom at once, mounted by an effect's read: the write is a change the
/// effect sees (it runs again), not the effect run's own write.
#[test]
fn a_value_on_mount_writes_at_once_reaches_the_effect_that_mounted_it() {
    let market = Market::new();
    let price = nexus::Atom::<u32, Market>::new(0).on_mount(|_store, set| {
        set.set(101);
        || {}
    });
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let p = price.clone();
    let fx = market.effect(move |s| log.lock().unwrap().push(s.get(&p)));
    assert_eq!(*seen.lock().unwrap(), [0, 101]);
    assert_eq!(fx.runs(), 2);
    assert!(market.is_mounted(&price));
}
