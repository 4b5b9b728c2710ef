//! Subscriptions and batches (SPEC §3 `subscribe`/`batch`, §4 "Subscriptions"; issue 3 item 4).

// On wasm32 these tests run in headless Chromium (`scripts/wasm-test.sh`): wasm-bindgen-test's `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg(not(target_arch = "wasm32"))]
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

nexus::store! {
    pub struct Feed;
    #[mode(global)]
    pub struct Wire;
}

nexus::atom! {
    #![store(Feed)]
    pub static COUNT: u32 = 0;
    pub static LABEL: String = String::new();
    pub static TRIPLE: u32 = computed(|s| s.get(&COUNT) * 3);
}

nexus::atom! {
    pub static SUB_SHARED: u32 = 0;
}

type Log = Arc<Mutex<Vec<String>>>;

fn log() -> Log {
    Arc::new(Mutex::new(Vec::new()))
}

fn entries(log: &Log) -> Vec<String> {
    log.lock().unwrap().clone()
}

#[test]
fn called_once_per_change_after_it_never_for_reads_or_equal_values() {
    let s = Feed::new();
    let seen = log();
    let sink = seen.clone();
    let reader = s.clone();
    let _sub = s.subscribe(&COUNT, move |v| {
        // After the change: the store already holds the new value.
        sink.lock().unwrap().push(format!("{v}/{}", reader.get(&COUNT)));
    });
    let _ = s.get(&COUNT);
    s.set(&COUNT, 1);
    s.set(&COUNT, 1);
    s.update(&COUNT, |c| *c += 1);
    let _ = s.get(&COUNT);
    assert_eq!(entries(&seen), ["1/1", "2/2"]);
}

#[test]
fn subscribers_run_in_subscription_order_across_atoms() {
    let s = Feed::new();
    let seen = log();
    let subs: Vec<nexus::Subscription> = vec![
        {
            let l = seen.clone();
            s.subscribe(&LABEL, move |_| l.lock().unwrap().push("label-1".into()))
        },
        {
            let l = seen.clone();
            s.subscribe(&COUNT, move |_| l.lock().unwrap().push("count-2".into()))
        },
        {
            let l = seen.clone();
            s.subscribe(&TRIPLE, move |_| l.lock().unwrap().push("triple-3".into()))
        },
        {
            let l = seen.clone();
            s.subscribe(&LABEL, move |_| l.lock().unwrap().push("label-4".into()))
        },
    ];
    s.batch(|| {
        s.set(&COUNT, 5);
        s.set(&LABEL, "x".into());
    });
    assert_eq!(entries(&seen), ["label-1", "count-2", "triple-3", "label-4"]);
    drop(subs);
}

#[test]
fn a_subscriber_may_read_and_write_the_same_store() {
    let s = Feed::new();
    let seen = log();
    let sink = seen.clone();
    let _label_sub = s.subscribe(&LABEL, move |l| sink.lock().unwrap().push(l.clone()));
    let writer = s.clone();
    let _count_sub = s.subscribe(&COUNT, move |c| {
        let triple = writer.get(&TRIPLE);
        writer.set(&LABEL, format!("count {c}, triple {triple}"));
    });
    s.set(&COUNT, 2);
    assert_eq!(s.get(&LABEL), "count 2, triple 6");
    assert_eq!(entries(&seen), ["count 2, triple 6"], "the nested write notifies too");
}

#[test]
fn dropping_or_unsubscribing_stops_calls() {
    let s = Feed::new();
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let sub = s.subscribe(&COUNT, move |_| {
        c.fetch_add(1, Ordering::SeqCst);
    });
    assert!(sub.is_active());
    s.set(&COUNT, 1);
    sub.unsubscribe();
    s.set(&COUNT, 2);
    let c = calls.clone();
    let sub = s.subscribe(&COUNT, move |_| {
        c.fetch_add(1, Ordering::SeqCst);
    });
    drop(sub);
    s.set(&COUNT, 3);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn a_subscriber_dropped_by_an_earlier_one_of_the_same_change_is_not_called() {
    // A `set` of an atom nothing derives from calls its subscribers straight from its own list (no
    // round): the list is the one of the change, and a subscriber dropped meanwhile is skipped.
    let s = Feed::new();
    let seen = log();
    let later: Arc<Mutex<Option<nexus::Subscription>>> = Arc::default();
    let (sink, victim) = (seen.clone(), later.clone());
    let _first = s.subscribe(&COUNT, move |v| {
        sink.lock().unwrap().push(format!("first {v}"));
        victim.lock().unwrap().take();
    });
    let sink = seen.clone();
    *later.lock().unwrap() =
        Some(s.subscribe(&COUNT, move |v| sink.lock().unwrap().push(format!("second {v}"))));
    let sink = seen.clone();
    let _third = s.subscribe(&COUNT, move |v| sink.lock().unwrap().push(format!("third {v}")));
    s.set(&COUNT, 1);
    s.set(&COUNT, 2);
    assert_eq!(entries(&seen), ["first 1", "third 1", "first 2", "third 2"]);
}

#[test]
fn batches_notify_once_at_the_end_of_the_outermost_batch() {
    let s = Feed::new();
    let seen = log();
    let sink = seen.clone();
    let _a = s.subscribe(&COUNT, move |v| sink.lock().unwrap().push(format!("count {v}")));
    let sink = seen.clone();
    let _b = s.subscribe(&TRIPLE, move |v| sink.lock().unwrap().push(format!("triple {v}")));
    s.batch(|| {
        s.set(&COUNT, 1);
        s.batch(|| {
            s.set(&COUNT, 2);
            assert_eq!(s.get(&TRIPLE), 6, "reads inside a batch see the changes");
        });
        assert!(entries(&seen).is_empty(), "nothing before the outermost batch ends");
        s.set(&COUNT, 3);
    });
    assert_eq!(entries(&seen), ["count 3", "triple 9"]);
    let out = s.batch(|| 42);
    assert_eq!(out, 42);
}

// Native only: wasm32 aborts on panic (no unwinding to catch).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_panicking_subscriber_does_not_stop_the_others_and_the_store_stays_usable() {
    let s = Feed::new();
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let _first = s.subscribe(&COUNT, move |_| {
        c.fetch_add(1, Ordering::SeqCst);
    });
    let _bad = s.subscribe(&COUNT, |v| panic!("subscriber failed on {v}"));
    let c = calls.clone();
    let _last = s.subscribe(&COUNT, move |_| {
        c.fetch_add(1, Ordering::SeqCst);
    });
    let result = catch_unwind(AssertUnwindSafe(|| s.set(&COUNT, 1)));
    let payload = result.expect_err("the panic is raised again after every subscriber ran");
    let message = payload.downcast_ref::<String>().cloned().unwrap_or_default();
    assert_eq!(message, "subscriber failed on 1");
    assert_eq!(calls.load(Ordering::SeqCst), 2, "both other subscribers ran");
    assert_eq!(s.get(&COUNT), 1);
    let _ = catch_unwind(AssertUnwindSafe(|| s.set(&COUNT, 2)));
    assert_eq!(s.get(&TRIPLE), 6, "still usable");
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}

#[test]
fn subscribing_to_a_derived_atom_evaluates_it() {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    nexus::atom! {
        #![store(Feed)]
        pub static WATCHED: u32 = computed(|s| {
            RUNS.fetch_add(1, Ordering::SeqCst);
            s.get(&COUNT) + 1
        });
    }
    let s = Feed::new();
    let _sub = s.subscribe(&WATCHED, |_| {});
    assert_eq!(RUNS.load(Ordering::SeqCst), 1);
    s.set(&COUNT, 1);
    assert_eq!(RUNS.load(Ordering::SeqCst), 2, "an observed derived atom is brought up to date to notify");
}

#[test]
fn global_atom_subscribers_of_global_mode_stores_hear_every_global_mode_store() {
    let listener = Wire::new();
    let writer = Wire::new();
    let isolated = Feed::new();
    let seen = log();
    let sink = seen.clone();
    let _sub = listener.subscribe(&SUB_SHARED, move |v| sink.lock().unwrap().push(v.to_string()));
    writer.set(&SUB_SHARED, 7);
    listener.set(&SUB_SHARED, 8);
    isolated.set(&SUB_SHARED, 100);
    writer.set(&SUB_SHARED, 8);
    assert_eq!(entries(&seen), ["7", "8"], "isolated stores' own copies and equal values do not notify");
}

// Native only: wasm32 in a browser has no threads.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn callbacks_run_on_the_thread_that_made_the_change() {
    let s = Feed::new();
    let threads = Arc::new(Mutex::new(Vec::new()));
    let sink = threads.clone();
    let _sub = s.subscribe(&COUNT, move |_| sink.lock().unwrap().push(std::thread::current().id()));
    let worker = {
        let s = s.clone();
        std::thread::spawn(move || {
            s.set(&COUNT, 1);
            std::thread::current().id()
        })
    };
    let worker_id = worker.join().unwrap();
    s.set(&COUNT, 2);
    assert_eq!(*threads.lock().unwrap(), vec![worker_id, std::thread::current().id()]);
}
