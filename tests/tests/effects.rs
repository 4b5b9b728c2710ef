//! Effects (issue 27 §1): `store.effect(|s| …)` and `store.effect_async(|s| …)`. The rules and the tests
//! that prove them:
//! - runs once at once, on the calling thread, then only for changes of what it read:
//!   `runs_once_at_once_on_the_calling_thread_then_only_for_changes_of_what_it_read`,
//!   `peek_reads_without_tracking`;
//! - at most once per change round, whatever the number of changed inputs:
//!   `one_run_per_round_however_many_of_its_inputs_changed`;
//! - reads are tracked anew on every run (a branch not taken is no longer a dependency, both ways):
//!   `a_branch_not_taken_is_no_longer_tracked`;
//! - cleanup before the next run's body, on stop/drop and on store drop, never twice:
//!   `cleanups_run_before_the_next_body_in_registration_order_and_once_on_drop`,
//!   `stop_runs_the_last_cleanups_once`, `dropping_the_store_ends_the_effect_and_runs_its_cleanup_once`;
//! - writes of a run are one batch, and its own writes do not run it again:
//!   `writes_in_a_run_are_one_batch`, `its_own_write_does_not_run_it_again`,
//!   `a_chain_of_effects_that_settles_is_not_a_loop`;
//! - two effects that keep changing each other panic naming both atoms, and the store stays usable:
//!   `two_effects_that_keep_changing_each_other_panic_naming_both_atoms_and_the_store_stays_usable`;
//! - never concurrent with itself, and the last run sees the final values (8 writer threads):
//!   `concurrent_writers_never_overlap_runs_and_the_last_run_sees_the_final_values`;
//! - batches defer runs to the end of the outermost batch, per store and per thread:
//!   `a_batch_defers_runs_to_the_end_of_the_outermost_batch`,
//!   `a_batch_of_another_store_does_not_defer_runs`, `a_batch_on_another_thread_does_not_defer_runs`;
//! - effects run before subscribers, in creation order: `effects_run_before_subscribers_in_creation_order`;
//! - effects see settled derived values: `effects_see_settled_derived_values_never_a_mix`;
//! - a panic of a run reaches the caller of the change after subscribers ran, and the effect stays; a
//!   panic of the first run reaches `store.effect` and the effect is stopped:
//!   `a_panic_in_a_later_run_reaches_the_set_caller_after_subscribers_and_the_effect_stays`,
//!   `a_panic_in_the_first_run_reaches_the_effect_call_and_stops_it`;
//! - dropping or stopping the handle ends the effect; dropping the store too:
//!   `dropping_the_handle_stops_the_effect`, `stop_runs_the_last_cleanups_once`,
//!   `dropping_the_store_ends_the_effect_and_runs_its_cleanup_once`;
//! - `effect_async` drops (cancels) the stale future on a new run and on stop, driven by `settled` or by
//!   tokio: `effect_async_drops_the_stale_future_when_it_runs_again`,
//!   `stopping_an_async_effect_drops_its_future`, `effect_async_on_tokio_drops_the_stale_future`;
//! - hydration of a changed atom runs the effects that read it:
//!   `hydrating_a_changed_atom_runs_the_effects_that_read_it`;
//! - DevTools lists every run (as an action `effect#N` with the run's changes under it), writes or not:
//!   `devtools_list_every_effect_run_with_its_changes`;
//! - an effect holds no value: the registry and the store's `Debug` count atoms only:
//!   `an_effect_is_not_an_atom_of_the_registry`.
//!
//! Reading another store's atom in an effect is a compile error (ui-tests, `effect_cross_store`); no leak
//! over 100,000 effects made and dropped is in `effect_leaks.rs` (a counting allocator of its own).

// On wasm32 these tests run in headless Chromium (`scripts/wasm-test.sh`): wasm-bindgen-test's `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures::executor::block_on;
use futures::FutureExt;

nexus::store! {
    pub struct Board;
    pub struct Other;
}

nexus::atom! {
    #![store(Board)]
    pub static A: u64 = 0;
    pub static B: u64 = 0;
    pub static C: u64 = 0;
    pub static FLAG: bool = true;
    pub static X: u64 = 0;
    pub static Y: u64 = 0;
    pub static DOUBLE: u64 = computed(|s| s.get(&A) * 2);
    pub static TRIPLE: u64 = computed(|s| s.get(&A) * 3);
    pub static PING: u64 = 0;
    pub static PONG: u64 = 0;
    /// Sets `A`, `B` and `C` in one run.
    pub static SET_ABC: Action<u64> = action(|s, v| {
        s.set(&A, v);
        s.set(&B, v);
        s.set(&C, v);
    });
}

nexus::atom! {
    #![store(Other)]
    pub static ELSEWHERE: u64 = 0;
}

type Log = Arc<Mutex<Vec<String>>>;

fn log() -> Log {
    Arc::new(Mutex::new(Vec::new()))
}

fn push(log: &Log, entry: impl Into<String>) {
    log.lock().unwrap().push(entry.into());
}

fn entries(log: &Log) -> Vec<String> {
    log.lock().unwrap().clone()
}

fn counter() -> Arc<AtomicUsize> {
    Arc::new(AtomicUsize::new(0))
}

fn count(c: &AtomicUsize) -> usize {
    c.load(Ordering::SeqCst)
}

thread_local! {
    /// Set by a test around its `store.effect(..)` call: a body that sees it ran on the calling thread,
    /// inside the call.
    static IN_CALL: Cell<bool> = const { Cell::new(false) };
}

#[test]
fn runs_once_at_once_on_the_calling_thread_then_only_for_changes_of_what_it_read() {
    let store = Board::new();
    let seen = log();
    let sink = seen.clone();
    IN_CALL.with(|c| c.set(true));
    let fx = store.effect(move |s| {
        let a = s.get(&A);
        let inside = IN_CALL.with(Cell::get);
        push(&sink, format!("run {} a={a} in call: {inside}", s.run_number()));
    });
    IN_CALL.with(|c| c.set(false));
    assert_eq!(entries(&seen), ["run 1 a=0 in call: true"], "the first run is made by `effect` itself");
    assert_eq!(fx.runs(), 1);
    assert!(fx.is_active());

    store.set(&B, 1);
    let _ = store.get(&A);
    store.set(&A, 0);
    assert_eq!(fx.runs(), 1, "no run for an atom it did not read, a read, or an equal value");

    store.set(&A, 1);
    store.update(&A, |a| *a += 1);
    assert_eq!(
        entries(&seen),
        ["run 1 a=0 in call: true", "run 2 a=1 in call: false", "run 3 a=2 in call: false"]
    );
    assert_eq!(fx.runs(), 3);
}

#[test]
fn peek_reads_without_tracking() {
    let store = Board::new();
    let seen = log();
    let sink = seen.clone();
    let fx = store.effect(move |s| {
        let a = s.get(&A);
        let b = s.peek(&B);
        let c = s.with(&C, |c| *c);
        push(&sink, format!("a={a} b={b} c={c}"));
    });
    store.set(&B, 5);
    assert_eq!(fx.runs(), 1, "a peeked atom is not a dependency");
    store.set(&C, 7);
    assert_eq!(fx.runs(), 2, "`with` is a tracked read");
    store.set(&A, 1);
    assert_eq!(entries(&seen), ["a=0 b=0 c=0", "a=0 b=5 c=7", "a=1 b=5 c=7"]);
}

#[test]
fn one_run_per_round_however_many_of_its_inputs_changed() {
    let store = Board::new();
    let seen = log();
    let sink = seen.clone();
    let fx = store.effect(move |s| {
        let (a, b, c, d) = (s.get(&A), s.get(&B), s.get(&C), s.get(&DOUBLE));
        push(&sink, format!("{a} {b} {c} {d}"));
    });

    store.batch(|| {
        store.set(&A, 1);
        store.set(&B, 2);
        store.set(&C, 3);
    });
    assert_eq!(fx.runs(), 2, "three inputs changed in one batch: one run");

    store.run(&SET_ABC, 5);
    assert_eq!(fx.runs(), 3, "an action that sets three inputs: one run");

    store.set(&A, 6);
    assert_eq!(fx.runs(), 4, "an atom and a derived atom of it both changed: one run");

    assert_eq!(entries(&seen), ["0 0 0 0", "1 2 3 2", "5 5 5 10", "6 5 5 12"]);
}

#[test]
fn a_branch_not_taken_is_no_longer_tracked() {
    let store = Board::new();
    let seen = log();
    let sink = seen.clone();
    let fx = store.effect(move |s| {
        let entry = if s.get(&FLAG) { format!("x={}", s.get(&X)) } else { format!("y={}", s.get(&Y)) };
        push(&sink, entry);
    });
    assert_eq!(fx.runs(), 1);

    // FLAG true: X is read, Y is not.
    store.set(&Y, 1);
    assert_eq!(fx.runs(), 1, "Y is in the branch not taken");
    store.set(&X, 1);
    assert_eq!(fx.runs(), 2, "X is in the branch taken");

    // FLAG false: Y is read, X no longer.
    store.set(&FLAG, false);
    assert_eq!(fx.runs(), 3);
    store.set(&X, 2);
    assert_eq!(fx.runs(), 3, "X dropped out when the branch changed");
    store.set(&Y, 2);
    assert_eq!(fx.runs(), 4, "Y came in when the branch changed");

    // Back: X again, Y no longer.
    store.set(&FLAG, true);
    assert_eq!(fx.runs(), 5);
    store.set(&Y, 3);
    assert_eq!(fx.runs(), 5, "Y dropped out again");
    store.set(&X, 3);
    assert_eq!(fx.runs(), 6, "X is tracked again");

    assert_eq!(entries(&seen), ["x=0", "x=1", "y=1", "y=2", "x=2", "x=3"]);
}

#[test]
fn cleanups_run_before_the_next_body_in_registration_order_and_once_on_drop() {
    let store = Board::new();
    let seen = log();
    let sink = seen.clone();
    let fx = store.effect(move |s| {
        let n = s.run_number();
        let a = s.get(&A);
        push(&sink, format!("body {n} a={a}"));
        let first = sink.clone();
        s.on_cleanup(move || push(&first, format!("cleanup {n}.1")));
        let second = sink.clone();
        s.on_cleanup(move || push(&second, format!("cleanup {n}.2")));
    });
    assert_eq!(entries(&seen), ["body 1 a=0"], "no cleanup before the first run");

    store.set(&A, 1);
    store.set(&A, 2);
    assert_eq!(
        entries(&seen),
        [
            "body 1 a=0",
            "cleanup 1.1",
            "cleanup 1.2",
            "body 2 a=1",
            "cleanup 2.1",
            "cleanup 2.2",
            "body 3 a=2"
        ],
        "run N's cleanups, in registration order, before run N+1's body"
    );

    drop(fx);
    let after_drop = entries(&seen);
    assert_eq!(after_drop[7..], ["cleanup 3.1", "cleanup 3.2"], "dropping runs the last run's cleanups");
    store.set(&A, 3);
    drop(store);
    assert_eq!(entries(&seen), after_drop, "no run and no cleanup twice after the drop");
}

#[test]
fn stop_runs_the_last_cleanups_once() {
    let store = Board::new();
    let cleanups = counter();
    let bodies = counter();
    let (c, b) = (cleanups.clone(), bodies.clone());
    let fx = store.effect(move |s| {
        let _ = s.get(&A);
        b.fetch_add(1, Ordering::SeqCst);
        let c = c.clone();
        s.on_cleanup(move || {
            c.fetch_add(1, Ordering::SeqCst);
        });
    });
    store.set(&A, 1);
    assert_eq!((count(&bodies), count(&cleanups)), (2, 1));
    fx.stop();
    assert_eq!((count(&bodies), count(&cleanups)), (2, 2), "stop runs the last cleanup");
    store.set(&A, 2);
    drop(store);
    assert_eq!((count(&bodies), count(&cleanups)), (2, 2), "nothing more after stop, even at store drop");
}

#[test]
fn dropping_the_handle_stops_the_effect() {
    let store = Board::new();
    let bodies = counter();
    let b = bodies.clone();
    let fx = store.effect(move |s| {
        let _ = s.get(&A);
        b.fetch_add(1, Ordering::SeqCst);
    });
    store.set(&A, 1);
    assert_eq!(count(&bodies), 2);
    assert!(fx.is_active());
    drop(fx);
    store.set(&A, 2);
    store.set(&A, 3);
    assert_eq!(count(&bodies), 2, "no run after the handle is dropped");

    // `is_active` after `stop` cannot be asked (stop takes the handle); a second effect shows that
    // dropping one leaves the others running.
    let other = counter();
    let o = other.clone();
    let kept = store.effect(move |s| {
        let _ = s.get(&A);
        o.fetch_add(1, Ordering::SeqCst);
    });
    let dropped = store.effect(|s| {
        let _ = s.get(&A);
    });
    drop(dropped);
    store.set(&A, 4);
    assert_eq!(count(&other), 2);
    assert!(kept.is_active());
}

#[test]
fn dropping_the_store_ends_the_effect_and_runs_its_cleanup_once() {
    let store = Board::new();
    let cleanups = counter();
    let c = cleanups.clone();
    let fx = store.effect(move |s| {
        let _ = s.get(&A);
        let c = c.clone();
        s.on_cleanup(move || {
            c.fetch_add(1, Ordering::SeqCst);
        });
    });
    store.set(&A, 1);
    assert_eq!(count(&cleanups), 1);
    assert!(fx.is_active());
    drop(store);
    assert!(!fx.is_active(), "the store is gone");
    assert_eq!(count(&cleanups), 2, "the store's drop ran the last cleanup");
    assert_eq!(fx.runs(), 2);
    drop(fx);
    assert_eq!(count(&cleanups), 2, "not again when the handle goes");
}

#[test]
fn writes_in_a_run_are_one_batch() {
    let store = Board::new();
    let heard = log();
    let sink = heard.clone();
    let _sub = store.subscribe(&B, move |b| push(&sink, format!("b={b}")));
    let fx = store.effect(|s| {
        let a = s.get(&A);
        if a > 0 {
            s.set(&B, a + 100);
            s.update(&B, |b| *b += 1);
            assert_eq!(s.get(&B), a + 101, "a run reads its own writes");
        }
    });
    assert_eq!(fx.runs(), 1);
    store.set(&A, 1);
    assert_eq!(store.get(&B), 102);
    assert_eq!(entries(&heard), ["b=102"], "the subscriber hears the run's writes once, at its end");
}

#[test]
fn its_own_write_does_not_run_it_again() {
    let store = Board::new();
    let fx = store.effect(|s| {
        let a = s.get(&A);
        s.set(&A, a + 1);
    });
    assert_eq!(fx.runs(), 1, "the first run's write to A does not run it again");
    assert_eq!(store.get(&A), 1);
    for (n, external) in [10, 20, 30].into_iter().enumerate() {
        store.set(&A, external);
        assert_eq!(fx.runs(), 2 + n as u64, "one run per external change");
        assert_eq!(store.get(&A), external + 1);
    }
}

#[test]
fn a_chain_of_effects_that_settles_is_not_a_loop() {
    let store = Board::new();
    let first = store.effect(|s| {
        let a = s.get(&A);
        s.set(&B, a * 10);
    });
    let second = store.effect(|s| {
        let b = s.get(&B);
        s.set(&C, b + 1);
    });
    store.set(&A, 2);
    assert_eq!((store.get(&B), store.get(&C)), (20, 21));
    assert_eq!((first.runs(), second.runs()), (2, 2));
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn two_effects_that_keep_changing_each_other_panic_naming_both_atoms_and_the_store_stays_usable() {
    let store = Board::new();
    let e1 = store.effect(|s| {
        let v = s.get(&PING);
        if v > 0 {
            s.set(&PONG, v + 1);
        }
    });
    let e2 = store.effect(|s| {
        let v = s.get(&PONG);
        if v > 0 {
            s.set(&PING, v + 1);
        }
    });
    let bystander_runs = counter();
    let r = bystander_runs.clone();
    let bystander = store.effect(move |s| {
        let _ = s.get(&C);
        r.fetch_add(1, Ordering::SeqCst);
    });
    let heard = log();
    let sink = heard.clone();
    let _sub = store.subscribe(&B, move |b| push(&sink, format!("b={b}")));

    let message = nexus_tests::panic_message(|| store.set(&PING, 1));
    assert!(message.starts_with("nexus: effects kept re-running each other"), "message: {message}");
    assert!(message.contains("effects::PING"), "names PING: {message}");
    assert!(message.contains("effects::PONG"), "names PONG: {message}");
    assert!(e1.runs() > 2 && e2.runs() > 2, "they ran each other a number of times before the stop");

    // The store is usable afterwards.
    store.set(&B, 4);
    assert_eq!(store.get(&B), 4);
    assert_eq!(entries(&heard), ["b=4"], "an existing subscriber still hears");
    let late = log();
    let sink = late.clone();
    let _late = store.subscribe(&A, move |a| push(&sink, format!("a={a}")));
    store.set(&A, 9);
    assert_eq!(entries(&late), ["a=9"], "a new subscriber hears");
    store.set(&C, 1);
    assert_eq!(count(&bystander_runs), 2, "another effect still runs");
    assert!(bystander.is_active());
    let fresh = store.effect(|s| {
        let _ = s.get(&X);
    });
    store.set(&X, 1);
    assert_eq!(fresh.runs(), 2, "a new effect runs");
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn concurrent_writers_never_overlap_runs_and_the_last_run_sees_the_final_values() {
    use std::sync::atomic::AtomicBool;
    use std::time::Duration;

    const THREADS: usize = 8;
    const WRITES: u64 = 100;

    let store = Board::new();
    let own: Vec<nexus::Atom<u64, Board>> = (0..THREADS).map(|_| nexus::Atom::new(0)).collect();
    let inside = Arc::new(AtomicBool::new(false));
    let overlaps = counter();
    let last_seen = Arc::new(Mutex::new((0u64, vec![0u64; THREADS])));
    let fx = {
        let (own, inside, overlaps, last_seen) =
            (own.clone(), inside.clone(), overlaps.clone(), last_seen.clone());
        store.effect(move |s| {
            if inside.swap(true, Ordering::SeqCst) {
                overlaps.fetch_add(1, Ordering::SeqCst);
            }
            let total = s.get(&A);
            let each: Vec<u64> = own.iter().map(|atom| s.get(atom)).collect();
            std::thread::sleep(Duration::from_millis(1));
            *last_seen.lock().unwrap() = (total, each);
            inside.store(false, Ordering::SeqCst);
        })
    };

    std::thread::scope(|scope| {
        for mine in &own {
            let store = &store;
            scope.spawn(move || {
                for v in 1..=WRITES {
                    store.set(mine, v);
                    store.update(&A, |a| *a += 1);
                }
            });
        }
    });

    assert_eq!(count(&overlaps), 0, "two runs of the effect overlapped");
    assert_eq!(store.get(&A), THREADS as u64 * WRITES);
    let (total, each) = last_seen.lock().unwrap().clone();
    assert_eq!(total, THREADS as u64 * WRITES, "the last run saw the final total");
    assert_eq!(each, vec![WRITES; THREADS], "the last run saw every thread's final value");
    assert!(fx.runs() >= 2);
    assert!(!inside.load(Ordering::SeqCst), "no run under way once every writer returned");
}

#[test]
fn a_batch_defers_runs_to_the_end_of_the_outermost_batch() {
    let store = Board::new();
    let seen = log();
    let sink = seen.clone();
    let fx = store.effect(move |s| {
        let (a, b) = (s.get(&A), s.get(&B));
        push(&sink, format!("a={a} b={b}"));
    });
    store.batch(|| {
        store.set(&A, 1);
        assert_eq!(store.get(&A), 1, "the batch reads its own change");
        assert_eq!(fx.runs(), 1, "no run inside the batch");
        store.batch(|| store.set(&B, 2));
        assert_eq!(fx.runs(), 1, "nor when an inner batch ends");
        store.set(&A, 3);
    });
    assert_eq!(fx.runs(), 2, "exactly one run when the outermost batch ends");
    assert_eq!(entries(&seen), ["a=0 b=0", "a=3 b=2"]);
}

#[test]
fn a_batch_of_another_store_does_not_defer_runs() {
    let store = Board::new();
    let twin = Board::new();
    let other = Other::new();
    let fx = store.effect(|s| {
        let _ = s.get(&A);
    });
    other.batch(|| {
        store.set(&A, 1);
        assert_eq!(fx.runs(), 2, "a batch of another store type does not defer this store's effects");
        other.set(&ELSEWHERE, 1);
    });
    twin.batch(|| {
        store.set(&A, 2);
        assert_eq!(fx.runs(), 3, "nor a batch of another instance of the same type");
        twin.set(&A, 1);
    });
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_batch_on_another_thread_does_not_defer_runs() {
    let store = Board::new();
    let fx = store.effect(|s| {
        let _ = s.get(&B);
    });
    store.batch(|| {
        store.set(&A, 1);
        std::thread::scope(|scope| {
            scope.spawn(|| store.set(&B, 1));
        });
        assert_eq!(fx.runs(), 2, "the other thread's change ran the effect there, before its set returned");
    });
    assert_eq!(fx.runs(), 2, "this thread's batch changed nothing the effect reads");
}

#[test]
fn effects_run_before_subscribers_in_creation_order() {
    let store = Board::new();
    let order = log();
    let sink = order.clone();
    // Subscribed before the effects exist: still after them.
    let _sub = store.subscribe(&A, move |_| push(&sink, "subscriber of A"));
    let sink = order.clone();
    let _first = store.effect(move |s| {
        let _ = s.get(&B);
        push(&sink, "effect 1 (B)");
    });
    let sink = order.clone();
    let _second = store.effect(move |s| {
        let _ = s.get(&A);
        push(&sink, "effect 2 (A)");
    });
    let sink = order.clone();
    let _third = store.effect(move |s| {
        let _ = (s.get(&A), s.get(&B));
        push(&sink, "effect 3 (A, B)");
    });
    order.lock().unwrap().clear();

    // A is changed first, yet the effects run in creation order.
    store.batch(|| {
        store.set(&A, 1);
        store.set(&B, 1);
    });
    assert_eq!(entries(&order), ["effect 1 (B)", "effect 2 (A)", "effect 3 (A, B)", "subscriber of A"]);
}

#[test]
fn effects_see_settled_derived_values_never_a_mix() {
    let store = Board::new();
    let pairs = Arc::new(Mutex::new(Vec::new()));
    let sink = pairs.clone();
    // Derived atoms made live by a subscriber too, so that they are recomputed during the rounds.
    let _sub = store.subscribe(&DOUBLE, |_| {});
    let _fx = store.effect(move |s| {
        let (a, double, triple) = (s.get(&A), s.get(&DOUBLE), s.get(&TRIPLE));
        sink.lock().unwrap().push((a, double, triple));
    });
    for a in 1..=20 {
        store.set(&A, a);
    }
    store.batch(|| {
        store.set(&A, 100);
        store.set(&A, 21);
    });
    let pairs = pairs.lock().unwrap().clone();
    assert_eq!(pairs.len(), 22, "one run per change");
    for &(a, double, triple) in &pairs {
        assert_eq!((double, triple), (a * 2, a * 3), "a run saw a mix of old and new values: {pairs:?}");
    }
    assert_eq!(pairs.last(), Some(&(21, 42, 63)));
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_panic_in_a_later_run_reaches_the_set_caller_after_subscribers_and_the_effect_stays() {
    let store = Board::new();
    let heard = log();
    let sink = heard.clone();
    let fx = store.effect(move |s| {
        let a = s.get(&A);
        push(&sink, format!("effect a={a}"));
        assert!(a != 1, "boom at a=1");
    });
    let sink = heard.clone();
    let _sub = store.subscribe(&A, move |a| push(&sink, format!("subscriber a={a}")));

    let message = nexus_tests::panic_message(|| store.set(&A, 1));
    assert!(message.contains("boom at a=1"), "message: {message}");
    assert_eq!(store.get(&A), 1, "the change stands");
    assert_eq!(
        entries(&heard),
        ["effect a=0", "effect a=1", "subscriber a=1"],
        "the subscribers ran before the panic reached the caller"
    );

    assert!(fx.is_active(), "the effect stays after a later run panics");
    store.set(&A, 2);
    assert_eq!(fx.runs(), 3);
    assert_eq!(entries(&heard)[3..], ["effect a=2", "subscriber a=2"]);
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_panic_in_the_first_run_reaches_the_effect_call_and_stops_it() {
    let store = Board::new();
    let bodies = counter();
    let b = bodies.clone();
    let message = nexus_tests::panic_message(|| {
        let _fx = store.effect(move |s| {
            let _ = s.get(&A);
            b.fetch_add(1, Ordering::SeqCst);
            panic!("first run fails");
        });
    });
    assert!(message.contains("first run fails"), "message: {message}");
    assert_eq!(count(&bodies), 1);
    store.set(&A, 1);
    assert_eq!(count(&bodies), 1, "the effect was stopped");
    assert_eq!(store.get(&A), 1, "the store is usable");
}

/// Logs `drop N` when dropped: moved into an async effect's future of run `N`.
struct DropFlag(Log, u64);

impl Drop for DropFlag {
    fn drop(&mut self) {
        push(&self.0, format!("drop {}", self.1));
    }
}

/// An async effect on `A` whose first run's future never ends; the others end at their first poll.
fn stalling_effect(store: &Board, seen: &Log) -> nexus::Effect {
    let sink = seen.clone();
    store.effect_async(move |s| {
        let n = s.run_number();
        let a = s.get(&A);
        let flag = DropFlag(sink.clone(), n);
        let sink = sink.clone();
        async move {
            let _flag = flag;
            push(&sink, format!("start {n} a={a}"));
            if n == 1 {
                std::future::pending::<()>().await;
            }
            push(&sink, format!("done {n}"));
        }
    })
}

#[test]
fn effect_async_drops_the_stale_future_when_it_runs_again() {
    let store = Board::new();
    let seen = log();
    let fx = stalling_effect(&store, &seen);
    assert!(store.settled().now_or_never().is_none(), "the first run's future is under way");
    assert_eq!(entries(&seen), ["start 1 a=0"]);

    store.set(&A, 1);
    assert_eq!(fx.runs(), 2, "the synchronous part ran again");
    assert_eq!(entries(&seen), ["start 1 a=0", "drop 1"], "the new run dropped the stale future");

    block_on(store.settled());
    assert_eq!(entries(&seen), ["start 1 a=0", "drop 1", "start 2 a=1", "done 2", "drop 2"]);
    assert!(!entries(&seen).contains(&"done 1".to_owned()), "the stale future never completed");
}

#[test]
fn stopping_an_async_effect_drops_its_future() {
    let store = Board::new();
    let seen = log();
    let fx = stalling_effect(&store, &seen);
    assert!(store.settled().now_or_never().is_none());
    drop(fx);
    assert_eq!(entries(&seen), ["start 1 a=0", "drop 1"], "stopping dropped the future");
    block_on(store.settled());
    store.set(&A, 1);
    block_on(store.settled());
    assert_eq!(entries(&seen), ["start 1 a=0", "drop 1"], "nothing more after the stop");
}

#[cfg(not(target_arch = "wasm32"))]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn effect_async_on_tokio_drops_the_stale_future() {
    #[derive(Debug, PartialEq)]
    enum Event {
        Start(u64),
        Done(u64),
        Dropped(u64),
    }
    struct Flag(tokio::sync::mpsc::UnboundedSender<Event>, u64);
    impl Drop for Flag {
        fn drop(&mut self) {
            let _ = self.0.send(Event::Dropped(self.1));
        }
    }

    let store = Board::new();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let fx = store.effect_async(move |s| {
        let n = s.run_number();
        let _ = s.get(&A);
        let flag = Flag(tx.clone(), n);
        let tx = tx.clone();
        async move {
            let _flag = flag;
            let _ = tx.send(Event::Start(n));
            if n == 1 {
                std::future::pending::<()>().await;
            }
            let _ = tx.send(Event::Done(n));
        }
    });
    // Spawned on the runtime: it starts without anyone awaiting `settled`.
    assert_eq!(rx.recv().await, Some(Event::Start(1)));

    store.set(&A, 1);
    let mut events = Vec::new();
    while !events.contains(&Event::Dropped(1)) || !events.contains(&Event::Dropped(2)) {
        events.push(rx.recv().await.expect("the effect keeps its sender"));
    }
    assert!(!events.contains(&Event::Done(1)), "the stale future completed: {events:?}");
    assert!(events.contains(&Event::Done(2)), "the new run's future completed: {events:?}");
    store.settled().await;

    // Stopping drops a future under way too.
    store.set(&A, 2);
    assert_eq!(rx.recv().await, Some(Event::Start(3)));
    assert_eq!(rx.recv().await, Some(Event::Done(3)));
    assert_eq!(rx.recv().await, Some(Event::Dropped(3)));
    drop(fx);
    store.settled().await;
}

#[cfg(not(target_arch = "wasm32"))]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_an_async_effect_on_tokio_drops_its_future() {
    let store = Board::new();
    let (started_tx, mut started) = tokio::sync::mpsc::unbounded_channel();
    let seen = log();
    let sink = seen.clone();
    let fx = store.effect_async(move |s| {
        let _ = s.get(&A);
        let flag = DropFlag(sink.clone(), s.run_number());
        let (started_tx, sink) = (started_tx.clone(), sink.clone());
        async move {
            let _flag = flag;
            let _ = started_tx.send(());
            std::future::pending::<()>().await;
            push(&sink, "done");
        }
    });
    assert_eq!(started.recv().await, Some(()));
    drop(fx);
    // Dropped now, or once a poller under way returns: `settled` waits for that.
    store.settled().await;
    while !entries(&seen).contains(&"drop 1".to_owned()) {
        tokio::task::yield_now().await;
    }
    assert_eq!(entries(&seen), ["drop 1"], "dropped without completing");
}

#[test]
fn hydrating_a_changed_atom_runs_the_effects_that_read_it() {
    let source = Board::new();
    source.set(&A, 5);
    source.set(&B, 7);
    let snapshot = source.snapshot();

    let store = Board::new();
    let seen = log();
    let sink = seen.clone();
    let reads_a_and_b = store.effect(move |s| {
        let (a, b) = (s.get(&A), s.get(&B));
        push(&sink, format!("a={a} b={b}"));
    });
    let reads_c = store.effect(|s| {
        let _ = s.get(&C);
    });
    store.hydrate(&snapshot).expect("a snapshot of the same store type");
    assert_eq!(entries(&seen), ["a=0 b=0", "a=5 b=7"], "one run for the hydration, seeing both values");
    assert_eq!(reads_a_and_b.runs(), 2);
    assert_eq!(reads_c.runs(), 1, "an effect of atoms the snapshot does not change does not run");
}

#[test]
fn devtools_list_every_effect_run_with_its_changes() {
    let store = Board::new();
    let tools = nexus::DevTools::attach(&store);
    let fx = store.effect(|s| {
        let a = s.get(&A);
        if a > 0 {
            s.set(&B, a * 10);
        }
    });
    store.set(&A, 2);
    let log = tools.log();
    let runs: Vec<_> = log.iter().filter(|e| e.label().starts_with("effect#")).collect();
    assert_eq!(runs.len(), 2, "the first run (no write) and the second: {log:#?}");
    assert_eq!(runs[0].arg(), Some("run 1"));
    assert!(runs[0].changes().is_empty());
    assert_eq!(runs[1].arg(), Some("run 2"));
    assert_eq!(runs[1].changes().len(), 1, "the write of B, under the run: {log:#?}");
    assert_eq!(runs[1].changes()[0].label(), "SET B");
    assert_eq!(fx.runs(), 2);
}

#[test]
fn an_effect_is_not_an_atom_of_the_registry() {
    let store = Board::new();
    let _fx = store.effect(|s| {
        s.get(&A);
    });
    let names: Vec<String> = store.atoms().iter().map(|i| i.name().to_owned()).collect();
    assert_eq!(names, ["A"]);
    assert!(format!("{store:?}").contains("atoms: 1"), "{store:?}");
}
