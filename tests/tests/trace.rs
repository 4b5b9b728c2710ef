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

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use nexus::{Change, DevTools, Origin, Plugin, Store, TimeTravel};

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
