//! Where a change came from (issue 31 §1): every change a tool is told of carries the file, line and
//! column of the call that made it, in the caller's code (never inside nexus), through every way of
//! writing, and the label of an enclosing `labeled` call.
//!
//! - the store's methods, generated and through the `Store` trait:
//!   `set_update_reset_record_the_callers_line`, `a_generic_caller_through_the_trait_is_the_origin`;
//! - inside a batch each write is its own origin: `writes_in_a_batch_keep_their_own_lines`;
//! - actions: the run's origin is the `run` call, its writes the `s.set` lines in the action:
//!   `an_action_run_and_its_writes_have_their_own_origins`;
//! - writable atoms, effects, `on_mount` setters, hydration and time travel:
//!   `a_writable_atoms_write_function_is_the_origin_of_its_writes`,
//!   `an_effects_writes_are_located_in_the_effect`, `an_on_mount_setter_is_located_where_it_is_called`,
//!   `hydrate_and_time_travel_record_their_callers`;
//! - labels: `labels_nest_and_end_with_their_call`;
//! - DevTools shows it: `devtools_log_and_export_show_the_origin`;
//! - nothing is recorded for a store no tool watches, and nothing leaks from it into a watched one:
//!   `an_unwatched_store_records_nothing_and_leaks_nothing`.
//!
//! The causal trace (issue 31 §2), `nexus::Trace`:
//! - a transaction holds its origin, writes, recomputes in the order they ran with their reasons and
//!   outcomes, then the subscribers called: `a_diamonds_transaction_in_order_with_reasons`;
//! - a batch is one transaction: `a_batch_is_one_transaction_and_a_derived_atom_runs_once`;
//! - an equal value is "equal, skipped", and `why_not` says so: `an_equal_write_is_skipped_and_why_not_says_so`;
//! - an equal-value cut-off: `a_source_recomputed_to_the_same_value_stops_the_change`;
//! - a conditional read: `why_not_finds_no_path_after_a_branch_switched`;
//! - `why` from the atom down to the set site: `why_tells_the_chain_down_to_the_set_site`;
//! - the ring keeps the last `capacity` transactions, each whole, under 8 writer threads:
//!   `the_ring_keeps_the_last_transactions_whole_under_eight_threads`,
//!   `batches_open_on_several_threads_keep_their_rounds_apart`;
//! - several traces: `two_traces_both_record_and_dropping_one_leaves_the_other`;
//! - a first computation is not a change: `a_first_computation_by_why_not_is_not_a_change`;
//! - the graph page gets the transactions: `the_graph_of_a_trace_carries_the_transactions_and_their_paths`;
//! - mounts and unmounts: `mounts_and_unmounts_are_recorded`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use nexus::{Change, DevTools, Origin, Plugin, Store, TimeTravel, Trace, What};

nexus::store! {
    /// A board.
    pub struct Board;
}

/// The line of the write inside the action, the writable atom's write function, the effect, the setter.
static ACTION_LINE: AtomicU32 = AtomicU32::new(0);
static WRITE_LINE: AtomicU32 = AtomicU32::new(0);
static MOUNT_LINE: AtomicU32 = AtomicU32::new(0);

nexus::atom! {
    #![store(Board)]
    #[name = "x"]
    pub static X: i32 = 0;
    #[name = "y"]
    pub static Y: i32 = 0;
    #[name = "double"]
    pub static DOUBLE: i32 = writable(|s| s.get(&X) * 2, |s, double: i32| {
        WRITE_LINE.store(line!() + 1, Ordering::SeqCst);
        s.set(&X, double / 2);
    });
    #[name = "move_to"]
    pub static MOVE_TO: nexus::Action<(i32, i32), ()> = action(|s, (x, y)| {
        ACTION_LINE.store(line!() + 1, Ordering::SeqCst);
        s.set(&X, x);
        s.set(&Y, y);
    });
    #[name = "ticker"]
    #[on_mount(|_store, set| {
        MOUNT_LINE.store(line!() + 1, Ordering::SeqCst);
        set.set(7);
        || {}
    })]
    pub static TICKER: i32 = 0;
}

/// Every change a plugin hears of: atom name, origin.
#[derive(Default)]
struct Recorder {
    changes: Mutex<Vec<(String, Option<Origin>)>>,
    runs: Mutex<Vec<Option<Origin>>>,
}

impl Plugin for Recorder {
    fn on_change(&self, change: &Change<'_>) {
        self.changes.lock().unwrap().push((change.name().to_owned(), change.origin().cloned()));
    }
    fn on_action_start(&self, run: &nexus::ActionRun) {
        self.runs.lock().unwrap().push(run.origin().cloned());
    }
}

fn watched() -> (Board, Arc<Recorder>) {
    let board = Board::new();
    let recorder = Arc::new(Recorder::default());
    board.add_plugin(recorder.clone());
    (board, recorder)
}

/// The (name, line) of every change heard, checking each origin is in this file.
fn lines(recorder: &Recorder) -> Vec<(String, u32)> {
    recorder
        .changes
        .lock()
        .unwrap()
        .drain(..)
        .map(|(name, origin)| {
            let origin = origin.unwrap_or_else(|| panic!("no origin for {name}"));
            assert!(origin.file().ends_with("trace.rs"), "{name}: {origin} is not in the caller's file");
            (name, origin.line())
        })
        .collect()
}

#[test]
fn set_update_reset_record_the_callers_line() {
    let (board, recorder) = watched();
    let set_line = line!() + 1;
    board.set(&X, 1);
    let update_line = line!() + 1;
    board.update(&X, |x| *x += 1);
    let reset_line = line!() + 1;
    board.reset(&X);
    assert_eq!(
        lines(&recorder),
        [("x".into(), set_line), ("x".into(), update_line), ("x".into(), reset_line)]
    );
}

/// Writes through the trait, as generic code does.
fn nudge<S: Store>(store: &S, atom: &nexus::Atom<i32, S>) -> u32 {
    let line = line!() + 1;
    store.update(atom, |v| *v += 10);
    line
}

#[test]
fn a_generic_caller_through_the_trait_is_the_origin() {
    let (board, recorder) = watched();
    let line = nudge(&board, &X);
    assert_eq!(lines(&recorder), [("x".into(), line)]);
}

#[test]
fn writes_in_a_batch_keep_their_own_lines() {
    let (board, recorder) = watched();
    let (x_line, y_line) = board.batch(|| {
        let x_line = line!() + 1;
        board.set(&X, 3);
        let y_line = line!() + 1;
        board.set(&Y, 4);
        (x_line, y_line)
    });
    assert_eq!(lines(&recorder), [("x".into(), x_line), ("y".into(), y_line)]);
}

#[test]
fn an_action_run_and_its_writes_have_their_own_origins() {
    let (board, recorder) = watched();
    let run_line = line!() + 1;
    board.run(&MOVE_TO, (5, 6));
    let runs = recorder.runs.lock().unwrap().clone();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].as_ref().map(Origin::line), Some(run_line));
    let first = ACTION_LINE.load(Ordering::SeqCst);
    assert_eq!(lines(&recorder), [("x".into(), first), ("y".into(), first + 1)]);
}

#[test]
fn a_writable_atoms_write_function_is_the_origin_of_its_writes() {
    let (board, recorder) = watched();
    board.set(&DOUBLE, 8);
    assert_eq!(board.get(&X), 4);
    assert_eq!(lines(&recorder), [("x".into(), WRITE_LINE.load(Ordering::SeqCst))]);
}

#[test]
fn an_effects_writes_are_located_in_the_effect() {
    let (board, recorder) = watched();
    let effect_line = Arc::new(AtomicU32::new(0));
    let seen = effect_line.clone();
    let _fx = board.effect(move |s| {
        let x = s.get(&X);
        seen.store(line!() + 1, Ordering::SeqCst);
        s.set(&Y, x + 1);
    });
    let set_line = line!() + 1;
    board.set(&X, 2);
    let heard = lines(&recorder);
    let effect = effect_line.load(Ordering::SeqCst);
    assert!(heard.contains(&("y".into(), effect)), "{heard:?}");
    assert!(heard.contains(&("x".into(), set_line)), "{heard:?}");
}

#[test]
fn an_on_mount_setter_is_located_where_it_is_called() {
    let (board, recorder) = watched();
    let _sub = board.subscribe(&TICKER, |_| {});
    assert_eq!(board.get(&TICKER), 7);
    assert_eq!(lines(&recorder), [("ticker".into(), MOUNT_LINE.load(Ordering::SeqCst))]);
}

#[test]
fn hydrate_and_time_travel_record_their_callers() {
    let (board, recorder) = watched();
    let travel = TimeTravel::attach(&board, 10);
    let mut snapshot = Board::new().snapshot();
    snapshot.insert("x", serde_json::json!(9));
    let hydrate_line = line!() + 1;
    board.hydrate(&snapshot).unwrap();
    let undo_line = line!() + 1;
    assert!(travel.undo());
    assert_eq!(board.get(&X), 0);
    assert_eq!(lines(&recorder), [("x".into(), hydrate_line), ("x".into(), undo_line)]);
}

#[test]
fn labels_nest_and_end_with_their_call() {
    let (board, recorder) = watched();
    board.labeled("toolbar", || {
        board.set(&X, 1);
        board.labeled(String::from("drag handle"), || board.set(&Y, 1));
        board.set(&X, 2);
    });
    board.set(&X, 3);
    let labels: Vec<Option<String>> = recorder
        .changes
        .lock()
        .unwrap()
        .iter()
        .map(|(_, origin)| origin.as_ref().and_then(|o| o.label().map(str::to_owned)))
        .collect();
    assert_eq!(labels, [Some("toolbar".into()), Some("drag handle".into()), Some("toolbar".into()), None]);
}

#[test]
fn devtools_log_and_export_show_the_origin() {
    let board = Board::new();
    let tools = DevTools::attach(&board);
    let line = line!() + 1;
    board.labeled("reset button", || board.set(&X, 5));
    let origin = tools.log()[0].origin().cloned().expect("an origin");
    assert_eq!((origin.line(), origin.label()), (line, Some("reset button")));
    assert!(origin.to_string().starts_with("\"reset button\" at "), "{origin}");
    let export: serde_json::Value = serde_json::from_str(&tools.export_json()).unwrap();
    let entry = &export["actions"][0];
    assert!(entry["origin"].as_str().unwrap().contains(&format!("trace.rs:{line}:")), "{entry}");
    assert_eq!(entry["origin_label"], "reset button");
}

#[test]
fn an_unwatched_store_records_nothing_and_leaks_nothing() {
    let (watched_board, recorder) = watched();
    let quiet = Board::new();
    // A write through an unwatched store, whose subscriber writes the watched one: the inner write's
    // origin is its own call, not the outer unwatched one's (which recorded nothing).
    let target = watched_board.clone();
    let inner_line = Arc::new(AtomicU32::new(0));
    let seen = inner_line.clone();
    let _sub = quiet.subscribe(&X, move |x| {
        seen.store(line!() + 1, Ordering::SeqCst);
        target.set(&Y, *x);
    });
    quiet.set(&X, 1);
    assert_eq!(lines(&recorder), [("y".into(), inner_line.load(Ordering::SeqCst))]);
}

nexus::store! {
    /// A graph to trace.
    pub struct Sheet;
}

nexus::atom! {
    #![store(Sheet)]
    #[name = "a"]
    pub static A: i32 = 1;
    #[name = "b"]
    pub static B: i32 = computed(|s| s.get(&A) + 1);
    #[name = "c"]
    pub static C: i32 = computed(|s| s.get(&A) * 2);
    #[name = "d"]
    pub static D: i32 = computed(|s| s.get(&B) + s.get(&C));
    #[name = "parity"]
    pub static PARITY: bool = computed(|s| s.get(&A) % 2 == 0);
    #[name = "label"]
    pub static LABEL: String = computed(|s| if s.get(&PARITY) { "even".into() } else { "odd".into() });
    #[name = "flag"]
    pub static FLAG: bool = true;
    #[name = "x"]
    pub static SX: i32 = 0;
    #[name = "y"]
    pub static SY: i32 = 0;
    #[name = "pick"]
    pub static PICK: i32 = computed(|s| if s.get(&FLAG) { s.get(&SX) } else { s.get(&SY) });
}

/// A step's short form: `write a`, `recompute d (because c) changed`, `notify d 1`.
fn short(step: &nexus::Step) -> String {
    match step.what() {
        What::Write { .. } => format!("write {}", step.atom()),
        What::Skipped { .. } => format!("skip {}", step.atom()),
        What::Recompute { reason, changed, .. } => format!(
            "recompute {} ({}) {}",
            step.atom(),
            reason.as_deref().unwrap_or("-"),
            if *changed { "changed" } else { "same" }
        ),
        What::Notified { subscribers } => format!("notify {} {subscribers}", step.atom()),
        _ => format!("{step}"),
    }
}

#[test]
fn a_diamonds_transaction_in_order_with_reasons() {
    let sheet = Sheet::new();
    let _sub = sheet.subscribe(&D, |_| {});
    let trace = Trace::attach(&sheet, 10);
    let line = line!() + 1;
    sheet.set(&A, 5);
    let last = trace.last().expect("a transaction");
    assert_eq!(last.origin().map(Origin::line), Some(line));
    assert_eq!(last.thread(), std::thread::current().name());
    let steps: Vec<String> = last.steps().iter().map(short).collect();
    assert_eq!(steps[0], "write a");
    // B and C run before D (in the order the evaluation needed them), each because A changed.
    let at =
        |s: &str| steps.iter().position(|x| x.starts_with(s)).unwrap_or_else(|| panic!("{s} in {steps:?}"));
    assert!(steps.contains(&"recompute b (a) changed".to_owned()), "{steps:?}");
    assert!(steps.contains(&"recompute c (a) changed".to_owned()), "{steps:?}");
    assert!(at("recompute b") < at("recompute d") && at("recompute c") < at("recompute d"), "{steps:?}");
    assert!(at("recompute d") < at("notify d 1"), "{steps:?}");
    assert_eq!(steps.len(), 5, "{steps:?}");
    assert!(last.to_string().contains("write a: 1 → 5"), "{last}");
}

#[test]
fn a_batch_is_one_transaction_and_a_derived_atom_runs_once() {
    let sheet = Sheet::new();
    let _sub = sheet.subscribe(&PICK, |_| {});
    let trace = Trace::attach(&sheet, 10);
    sheet.batch(|| {
        sheet.set(&SX, 1);
        sheet.set(&SX, 2);
        sheet.set(&SY, 3);
    });
    let all = trace.transactions();
    assert_eq!(all.len(), 1, "{all:?}");
    let steps: Vec<String> = all[0].steps().iter().map(short).collect();
    assert_eq!(steps, ["write x", "write x", "write y", "recompute pick (x) changed", "notify pick 1"]);
}

#[test]
fn an_equal_write_is_skipped_and_why_not_says_so() {
    let sheet = Sheet::new();
    let trace = Trace::attach(&sheet, 10);
    let line = line!() + 1;
    sheet.set(&SX, 0);
    let steps: Vec<String> = trace.last().unwrap().steps().iter().map(ToString::to_string).collect();
    assert_eq!(steps.len(), 1);
    assert!(steps[0].starts_with("write x: 0, equal, skipped, at "), "{steps:?}");
    let why_not = trace.why_not(&SX);
    assert!(why_not.contains("set it to an equal value (0): equal, skipped"), "{why_not}");
    assert!(why_not.contains(&format!("trace.rs:{line}:")), "{why_not}");
}

#[test]
fn a_source_recomputed_to_the_same_value_stops_the_change() {
    let sheet = Sheet::new();
    let _sub = sheet.subscribe(&LABEL, |_| {});
    let trace = Trace::attach(&sheet, 10);
    sheet.set(&A, 3); // odd → odd
    let steps: Vec<String> = trace.last().unwrap().steps().iter().map(short).collect();
    assert_eq!(steps, ["write a", "recompute parity (a) same"]);
    let why_not = trace.why_not(&LABEL);
    assert!(
        why_not.contains(
            "recomputed parity, which label reads, to the same value (false): the change stopped there"
        ),
        "{why_not}"
    );
    let why_not = trace.why_not(&PARITY);
    assert!(why_not.contains("recomputed it because a changed, to the same value (false)"), "{why_not}");
}

#[test]
fn why_not_finds_no_path_after_a_branch_switched() {
    let sheet = Sheet::new();
    let trace = Trace::attach(&sheet, 10);
    assert_eq!(sheet.get(&PICK), 0);
    sheet.set(&SY, 7); // PICK reads FLAG and X, not Y
    let why_not = trace.why_not(&PICK);
    assert!(
        why_not.contains("changed y; no path leads from it to pick, which depends on flag, x"),
        "{why_not}"
    );
    sheet.set(&FLAG, false);
    assert_eq!(sheet.get(&PICK), 7);
    sheet.set(&SX, 9); // now PICK reads FLAG and Y
    let why_not = trace.why_not(&PICK);
    assert!(
        why_not.contains("changed x; no path leads from it to pick, which depends on flag, y"),
        "{why_not}"
    );
}

#[test]
fn why_tells_the_chain_down_to_the_set_site() {
    let sheet = Sheet::new();
    let _sub = sheet.subscribe(&D, |_| {});
    let trace = Trace::attach(&sheet, 10);
    let line = line!() + 1;
    sheet.labeled("spinner", || sheet.set(&A, 2));
    let why = trace.why(&D);
    let lines: Vec<&str> = why.lines().collect();
    assert!(lines[0].starts_with("d = 7: recomputed in transaction"), "{why}");
    assert!(
        lines[1].starts_with("  c = 4: recomputed in transaction")
            || lines[1].starts_with("  b = 3: recomputed"),
        "{why}"
    );
    let site = format!("    a: 1 → 2, set at \"spinner\" at tests/tests/trace.rs:{line}:");
    assert!(lines[2].starts_with(&site), "{why}");
    // An atom not changed since the trace was attached says so.
    assert!(trace.why(&SX).contains("x: not changed in the 1 transaction(s) kept"), "{}", trace.why(&SX));
}

#[test]
fn the_ring_keeps_the_last_transactions_whole_under_eight_threads() {
    let sheet = Sheet::new();
    let _sub = sheet.subscribe(&PICK, |_| {});
    let trace = Trace::attach(&sheet, 50);
    std::thread::scope(|scope| {
        for t in 0..8 {
            let sheet = sheet.clone();
            std::thread::Builder::new()
                .name(format!("writer-{t}"))
                .spawn_scoped(scope, move || {
                    // One round per `set`: its write, recompute and notification under one lock.
                    // (Batches open on several threads interleave their rounds, and one round's flush
                    // may then carry another's recompute: see the next test.)
                    for i in 0..200 {
                        sheet.set(&SX, t * 1000 + i + 1);
                    }
                })
                .unwrap();
        }
    });
    let all = trace.transactions();
    assert_eq!(all.len(), 50);
    for transaction in &all {
        let steps: Vec<String> = transaction.steps().iter().map(short).collect();
        assert_eq!(steps, ["write x", "recompute pick (x) changed", "notify pick 1"], "{transaction}");
        assert!(transaction.thread().is_some_and(|t| t.starts_with("writer-")), "{transaction}");
    }
    // One transaction per round, never split; here rounds begin in order.
    let rounds: Vec<u64> = all.iter().map(nexus::Transaction::round).collect();
    assert!(rounds.windows(2).all(|w| w[0] < w[1]), "{rounds:?}");
}

#[test]
fn batches_open_on_several_threads_keep_their_rounds_apart() {
    let sheet = Sheet::new();
    let _sub = sheet.subscribe(&PICK, |_| {});
    let trace = Trace::attach(&sheet, 10_000);
    std::thread::scope(|scope| {
        for t in 0..4 {
            let sheet = sheet.clone();
            scope.spawn(move || {
                for i in 0..100 {
                    sheet.batch(|| {
                        sheet.set(&SX, t * 1000 + i + 1);
                        sheet.set(&SY, -(t * 1000 + i + 1));
                    });
                }
            });
        }
    });
    let all = trace.transactions();
    // Every batch is one transaction holding both its writes, whatever ran between them.
    assert_eq!(all.len(), 400);
    let mut rounds: Vec<u64> = all.iter().map(nexus::Transaction::round).collect();
    rounds.sort_unstable();
    rounds.dedup();
    assert_eq!(rounds.len(), 400, "a round split in two");
    for transaction in &all {
        let writes: Vec<&str> = transaction
            .steps()
            .iter()
            .filter(|s| matches!(s.what(), What::Write { .. }))
            .map(nexus::Step::atom)
            .collect();
        assert_eq!(writes, ["x", "y"], "{transaction}");
    }
}

#[test]
fn two_traces_both_record_and_dropping_one_leaves_the_other() {
    let sheet = Sheet::new();
    let first = Trace::attach(&sheet, 10);
    sheet.set(&SX, 1);
    let second = Trace::attach(&sheet, 10);
    sheet.set(&SX, 2);
    assert_eq!(first.transactions().len(), 2);
    assert_eq!(second.transactions().len(), 1);
    drop(first);
    sheet.set(&SX, 3);
    assert_eq!(second.transactions().len(), 2);
    drop(second);
    // No tracer left: a recompute is untraced again (nothing to observe but that it still works).
    assert_eq!(sheet.get(&PICK), 3);
}

#[test]
fn a_first_computation_by_why_not_is_not_a_change() {
    let sheet = Sheet::new();
    let trace = Trace::attach(&sheet, 10);
    sheet.set(&SX, 1);
    // LABEL was never computed: `why_not` reads it (computing it), which changed nothing.
    let why_not = trace.why_not(&LABEL);
    assert!(
        why_not.contains("changed x; no path leads from it to label, which depends on parity, a"),
        "{why_not}"
    );
}

#[test]
fn the_graph_of_a_trace_carries_the_transactions_and_their_paths() {
    let sheet = Sheet::new();
    let _sub = sheet.subscribe(&D, |_| {});
    let trace = Trace::attach(&sheet, 10);
    sheet.set(&A, 4);
    let graph = trace.graph().expect("the store lives");
    let last = graph.transactions().last().expect("one transaction");
    let names: Vec<&str> = last.path().iter().map(|&i| graph.nodes()[i].name()).collect();
    assert_eq!(names, ["a", "b", "c", "d"]);
    assert!(last.summary().starts_with("transaction "), "{}", last.summary());
    assert!(last.summary().contains("write a: 1 → 4"), "{}", last.summary());
    assert!(graph.to_html().contains("write a: 1 \\u2192 4") || graph.to_html().contains("write a: 1 → 4"));
}

#[test]
fn mounts_and_unmounts_are_recorded() {
    let board = Board::new();
    let trace = Trace::attach(&board, 10);
    let sub = board.subscribe(&TICKER, |_| {});
    drop(sub);
    let steps: Vec<(u64, String)> = trace
        .transactions()
        .iter()
        .flat_map(|t| t.steps().iter().map(move |s| (t.round(), s.to_string())))
        .collect();
    // Mounted by the subscription (outside any change: round 0), then its `on_mount` sets 7 (a change
    // round of its own), then unmounted when the subscription ends.
    assert_eq!(steps[0], (0, "mount ticker".to_owned()), "{steps:?}");
    assert!(steps[1].0 > 0 && steps[1].1.starts_with("write ticker: 0 → 7"), "{steps:?}");
    assert_eq!(steps.last().unwrap(), &(0, "unmount ticker".to_owned()), "{steps:?}");
}
