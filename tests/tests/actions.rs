//! Actions (issue 26 §3): `action(|s, arg| …)` in `atom!` and `Action::new`, run by `store.run` as one
//! batch that returns the action's result; nested runs, panics, scoping, and how plugins, DevTools, time
//! travel and the Redux DevTools bridge show a run.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nexus::redux_devtools::{connect, Options};
use nexus::{ActionOutcome, ActionRun, Change, ChangeOp, DevTools, Plugin, Store, TimeTravel};
use nexus_tests::panic_message;
use serde_json::{json, Value as Json};

nexus::store! {
    /// A team's task board.
    pub struct Board;
    /// Another store type.
    pub struct Other;
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: u64,
    pub title: String,
    pub who: Option<String>,
}

nexus::atom! {
    #![store(Board)]
    pub static NEXT_ID: u64 = 1;
    pub static TASKS: Vec<Task> = Vec::new();
    pub static COUNT: usize = computed(|s| s.with(&TASKS, Vec::len));
    /// Adds a task; returns its id.
    pub static ADD_TASK: Action<(String, Option<String>), u64> = action(|s, (title, who)| {
        let id = s.get(&NEXT_ID);
        s.set(&NEXT_ID, id + 1);
        s.update(&TASKS, |tasks| tasks.push(Task { id, title, who }));
        id
    });
    /// Adds two tasks through `ADD_TASK`.
    pub static ADD_PAIR: Action<(String, String), (u64, u64)> =
        action(|s, (a, b)| (s.run(&ADD_TASK, (a, None)), s.run(&ADD_TASK, (b, None))));
    /// Adds a task, then refuses an empty title by panicking (after the write).
    pub static ADD_CHECKED: Action<String, u64> = action(|s, title| {
        let empty = title.is_empty();
        let id = s.run(&ADD_TASK, (title, None));
        assert!(!empty, "a task needs a title");
        id
    });
    /// Back to no tasks.
    pub static CLEAR: Action<()> = action(|s, ()| {
        s.reset(&TASKS);
        s.reset(&NEXT_ID);
    });
    /// Changes nothing.
    pub static NOTHING: Action<u32> = action(|_s, _n| {});
    #[name = "assign"]
    pub static ASSIGN_ALL: Action<String, usize> = action(|s, who| {
        s.update(&TASKS, |tasks| tasks.iter_mut().for_each(|t| t.who = Some(who.clone())));
        s.with(&TASKS, Vec::len)
    });
}

nexus::atom! {
    pub static LOG_LINES: Vec<String> = Vec::new();
    /// A `Global` action: it writes `Global` atoms, and runs in every store.
    pub static LOG: Action<String> = action(|s, line| s.update(&LOG_LINES, |lines| lines.push(line)));
}

// Handles are shared between threads and live in `static`s, like atoms.
static_assertions::assert_impl_all!(
    nexus::Action<(String, Option<String>), u64, Board>: Send, Sync, Clone, Eq, std::fmt::Debug
);

fn add(board: &Board, title: &str, who: Option<&str>) -> u64 {
    board.run(&ADD_TASK, (title.to_owned(), who.map(str::to_owned)))
}

fn titles(board: &Board) -> Vec<String> {
    board.with(&TASKS, |tasks| tasks.iter().map(|t| t.title.clone()).collect())
}

/// Generic code runs actions through the `Store` trait.
fn add_through_the_trait<S: Store>(
    store: &S,
    action: &nexus::Action<(String, Option<String>), u64, S>,
) -> u64 {
    Store::run(store, action, ("generic".to_owned(), None))
}

#[test]
fn run_returns_what_the_action_returns() {
    let board = Board::new();
    assert_eq!(add(&board, "Write docs", Some("ann")), 1);
    assert_eq!(add(&board, "Review", None), 2);
    assert_eq!(add_through_the_trait(&board, &ADD_TASK), 3);
    assert_eq!(board.get(&NEXT_ID), 4);
    assert_eq!(titles(&board), ["Write docs", "Review", "generic"]);
    assert_eq!(board.get(&TASKS)[0].who.as_deref(), Some("ann"));
    assert_eq!(board.run(&ASSIGN_ALL, "bob".to_owned()), 3);
    board.run(&CLEAR, ());
    assert_eq!((board.get(&COUNT), board.get(&NEXT_ID)), (0, 1));
    // Another instance of the same store type holds its own values.
    assert_eq!(add(&Board::new(), "elsewhere", None), 1);
}

#[test]
fn an_actions_writes_are_one_batch() {
    let board = Board::new();
    let calls = Arc::new(Mutex::new(Vec::new()));
    let (c1, c2, c3) = (calls.clone(), calls.clone(), calls.clone());
    let _a = board.subscribe(&NEXT_ID, move |id| c1.lock().unwrap().push(format!("NEXT_ID {id}")));
    let _b = board.subscribe(&TASKS, move |t| c2.lock().unwrap().push(format!("TASKS {}", t.len())));
    let _c = board.subscribe(&COUNT, move |n| c3.lock().unwrap().push(format!("COUNT {n}")));
    // Two runs of ADD_TASK inside one: NEXT_ID and TASKS are written twice each, and each subscriber is
    // called once, after the run, with the final values.
    assert_eq!(board.run(&ADD_PAIR, ("a".to_owned(), "b".to_owned())), (1, 2));
    assert_eq!(*calls.lock().unwrap(), ["NEXT_ID 3", "TASKS 2", "COUNT 2"]);
    calls.lock().unwrap().clear();
    // A subscriber reading the store mid-action would see a mix; none runs before the end.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (seen2, reader) = (seen.clone(), board.clone());
    let _d = board.subscribe(&NEXT_ID, move |id| {
        seen2.lock().unwrap().push((*id, reader.with(&TASKS, Vec::len)));
    });
    add(&board, "c", None);
    assert_eq!(*seen.lock().unwrap(), [(4, 3)]);
}

#[test]
fn actions_run_actions_and_nest_in_batches() {
    let board = Board::new();
    let calls = Arc::new(Mutex::new(0));
    let counter = calls.clone();
    let _s = board.subscribe(&TASKS, move |_| *counter.lock().unwrap() += 1);
    // An action inside a batch joins it: still one notification.
    board.batch(|| {
        add(&board, "one", None);
        board.run(&ADD_PAIR, ("two".to_owned(), "three".to_owned()));
        assert_eq!(board.get(&COUNT), 3, "reads inside the batch see every write");
    });
    assert_eq!(*calls.lock().unwrap(), 1);
    assert_eq!(titles(&board), ["one", "two", "three"]);
}

#[test]
fn a_panicking_action_keeps_its_earlier_writes_and_the_store_stays_usable() {
    let board = Board::new();
    let notified = Arc::new(Mutex::new(Vec::new()));
    let n = notified.clone();
    let _s = board.subscribe(&NEXT_ID, move |id| n.lock().unwrap().push(*id));
    let message = panic_message(|| {
        board.run(&ADD_CHECKED, String::new());
    });
    assert_eq!(message, "a task needs a title");
    // Not a transaction: the task added before the panic stays, and its subscribers heard of it.
    assert_eq!(titles(&board), [""]);
    assert_eq!(*notified.lock().unwrap(), [2]);
    // The store, its batches and its actions work as before.
    assert_eq!(board.run(&ADD_CHECKED, "fine".to_owned()), 2);
    assert_eq!(*notified.lock().unwrap(), [2, 3]);
    board.set(&NEXT_ID, 10);
    assert_eq!(*notified.lock().unwrap(), [2, 3, 10]);
}

#[test]
fn global_actions_run_in_every_store_each_on_its_own_values() {
    let board = Board::new();
    let other = Other::new();
    board.run(&LOG, "on the board".to_owned());
    other.run(&LOG, "elsewhere".to_owned());
    other.run(&LOG, "again".to_owned());
    assert_eq!(board.get(&LOG_LINES), ["on the board"]);
    assert_eq!(other.get(&LOG_LINES), ["elsewhere", "again"]);
}

#[test]
fn actions_are_not_registered_in_stores() {
    let board = Board::new();
    add(&board, "x", None);
    let names: Vec<String> = board.atoms().iter().map(|a| a.name().to_owned()).collect();
    assert_eq!(names, ["NEXT_ID", "TASKS"]);
    assert!(board.find("ADD_TASK").is_none());
    assert!(board.find("actions::ADD_TASK").is_none());
}

#[test]
fn handles_name_their_action() {
    assert_eq!(format!("{ADD_TASK:?}"), "Action(actions::ADD_TASK of Board)");
    assert_eq!(format!("{LOG:?}"), "Action(actions::LOG of Global)");
    assert_eq!(ADD_TASK.name(), "ADD_TASK");
    assert_eq!(ASSIGN_ALL.name(), "assign");
    assert_eq!(ADD_TASK.clone(), ADD_TASK);
    let made = nexus::Action::<u8, (), Board>::new(|_, _| {});
    assert!(made.name().starts_with("action#"), "{}", made.name());
    assert_eq!(made.clone(), made);
    assert_ne!(made, nexus::Action::<u8, (), Board>::new(|_, _| {}));
}

#[test]
fn run_time_actions_capture_and_run_like_declared_ones() {
    let board = Board::new();
    // A graph built at run time: an atom per column, and an action that moves a task between them.
    let columns: Vec<nexus::Atom<Vec<u64>, Board>> = (0..3).map(|_| nexus::Atom::new(Vec::new())).collect();
    let start = nexus::Action::<String, u64, Board>::named("START", {
        let todo = columns[0].clone();
        move |s, title| {
            let id = s.run(&ADD_TASK, (title, None));
            s.update(&todo, |ids| ids.push(id));
            id
        }
    });
    let advance = nexus::Action::<u64, bool, Board>::new({
        let columns = columns.clone();
        move |s, id| {
            for pair in columns.windows(2) {
                if s.with(&pair[0], |ids| ids.contains(&id)) {
                    s.update(&pair[0], |ids| ids.retain(|i| *i != id));
                    s.update(&pair[1], |ids| ids.push(id));
                    return true;
                }
            }
            false
        }
    });
    let dt = DevTools::attach(&board);
    let id = board.run(&start, "ship".to_owned());
    assert!(board.run(&advance, id));
    assert!(board.run(&advance, id));
    assert!(!board.run(&advance, id));
    assert_eq!(board.get(&columns[2]), [id]);
    let log = dt.log();
    assert_eq!(log[0].label(), "START");
    assert_eq!(log[0].arg(), Some("\"ship\""));
    assert_eq!(log[0].changes()[0].label(), "ADD_TASK");
    assert!(log[1].label().starts_with("action#"), "{}", log[1].label());
    assert_eq!(log[1].arg(), None, "`Action::new` imposes no `Debug`: the argument is not shown");
    // The run that found nothing to move changed nothing: logged, with no changes.
    assert!(log[3].changes().is_empty());
}

#[test]
fn devtools_logs_one_entry_per_run_with_its_changes_under_it() {
    let board = Board::new();
    let dt = DevTools::attach(&board);
    add(&board, "Write docs", Some("ann"));
    board.set(&NEXT_ID, 7);
    board.run(&ADD_PAIR, ("a".to_owned(), "b".to_owned()));
    board.run(&NOTHING, 5);
    panic_message(|| {
        board.run(&ADD_CHECKED, String::new());
    });
    let log = dt.log();
    let labels: Vec<&str> = log.iter().map(nexus::LogEntry::label).collect();
    assert_eq!(labels, ["ADD_TASK", "SET NEXT_ID", "ADD_PAIR", "NOTHING", "ADD_CHECKED"]);

    let run = &log[0];
    assert!(run.is_action());
    assert_eq!((run.op(), run.name(), run.path()), (ChangeOp::Action, "ADD_TASK", "actions::ADD_TASK"));
    assert_eq!(run.arg(), Some("(\"Write docs\", Some(\"ann\"))"));
    assert!(!run.panicked());
    let inner: Vec<(&str, &str, &str)> =
        run.changes().iter().map(|c| (c.label(), c.before(), c.after())).collect();
    assert_eq!(
        inner,
        [
            ("SET NEXT_ID", "1", "2"),
            ("UPDATE TASKS", "[]", "[Task { id: 1, title: \"Write docs\", who: Some(\"ann\") }]")
        ]
    );
    assert!(run.changes().iter().all(|c| c.round() == run.round() && !c.is_action()));
    assert!(!log[1].is_action());

    // A nested run is an entry under the run that ran it.
    let pair = &log[2];
    let nested: Vec<&str> = pair.changes().iter().map(nexus::LogEntry::label).collect();
    assert_eq!(nested, ["ADD_TASK", "ADD_TASK"]);
    assert_eq!(pair.changes()[1].changes().len(), 2);
    assert_eq!(pair.changes()[1].arg(), Some("(\"b\", None)"));

    assert!(log[3].changes().is_empty());
    assert_eq!(log[3].arg(), Some("5"));
    assert!(log[4].panicked());
    assert_eq!(log[4].changes()[0].label(), "ADD_TASK", "what it did before the panic is listed");

    let json: Json = serde_json::from_str(&dt.export_json()).unwrap();
    let first = &json["actions"][0];
    assert_eq!(first["label"], "ADD_TASK");
    assert_eq!(first["panicked"], false);
    assert_eq!(first["changes"][0]["label"], "SET NEXT_ID");
    assert_eq!(first["changes"][0]["after"], "2");
    assert_eq!((&json["actions"][1]["before"], &json["actions"][1]["after"]), (&json!("2"), &json!("7")));
}

/// A log entry's `Debug` reads like the log: label, op, round, then before/after for a change, or the
/// argument, panic flag and changes for an action's run; no `SystemTime` internals.
#[test]
fn log_entry_debug_is_readable() {
    let board = Board::new();
    let dt = DevTools::attach(&board);
    board.set(&NEXT_ID, 4);
    add(&board, "Ship", None);
    let log = dt.log();
    let round = |i: usize| log[i].round();
    // Each entry names where it was made (the file and line of the call).
    let origin = |e: &nexus::LogEntry| format!("{:?}", e.origin());
    let line = line!() - 6;
    assert!(origin(&log[0]).contains(&format!("tests/tests/actions.rs:{line}:")), "{}", origin(&log[0]));
    assert_eq!(
        format!("{:?}", log[0]),
        format!(
            "LogEntry {{ label: \"SET NEXT_ID\", path: \"actions::NEXT_ID\", op: Set, round: {}, origin: {}, before: \"1\", \
             after: \"4\", .. }}",
            round(0),
            origin(&log[0])
        )
    );
    let changes = log[1].changes();
    let set = format!(
        "LogEntry {{ label: \"SET NEXT_ID\", path: \"actions::NEXT_ID\", op: Set, round: {r}, origin: {o}, before: \"4\", \
         after: \"5\", .. }}",
        r = round(1),
        o = origin(&changes[0])
    );
    let update = format!(
        "LogEntry {{ label: \"UPDATE TASKS\", path: \"actions::TASKS\", op: Update, round: {r}, origin: {o}, before: \"[]\", \
         after: \"[Task {{ id: 4, title: \\\"Ship\\\", who: None }}]\", .. }}",
        r = round(1),
        o = origin(&changes[1])
    );
    assert_eq!(
        format!("{:?}", log[1]),
        format!(
            "LogEntry {{ label: \"ADD_TASK\", path: \"actions::ADD_TASK\", op: Action, round: {}, origin: {}, arg: \
             Some(\"(\\\"Ship\\\", None)\"), panicked: false, changes: [{set}, {update}], .. }}",
            round(1),
            origin(&log[1])
        )
    );
    let pretty = format!("{:#?}", log[1]);
    assert!(
        pretty.contains("\n    changes: [\n        LogEntry {\n            label: \"SET NEXT_ID\",\n            path: \"actions::NEXT_ID\","),
        "{pretty}"
    );
    assert!(!pretty.contains("SystemTime") && !pretty.contains("tv_sec"), "{pretty}");
}

/// Records what a plugin hears of action runs, in order.
#[derive(Default)]
struct Heard(Mutex<Vec<String>>);

impl Plugin for Heard {
    fn on_change(&self, change: &Change<'_>) {
        let by = change.action().map_or_else(String::new, |run| format!(" by {}#{}", run.name(), run.id()));
        self.0.lock().unwrap().push(format!("{}{by}", change.label()));
    }
    fn on_batch_end(&self) {
        self.0.lock().unwrap().push("batch end".to_owned());
    }
    fn on_action_start(&self, run: &ActionRun) {
        let parent = run.parent().map_or_else(String::new, |p| format!(" in {}", p.name()));
        self.0.lock().unwrap().push(format!("start {}#{}{parent}", run.name(), run.id()));
    }
    fn on_action_end(&self, run: &ActionRun, outcome: ActionOutcome) {
        assert_eq!(run.outermost().name(), "ADD_PAIR");
        self.0.lock().unwrap().push(format!("end {} {outcome:?}", run.name()));
    }
}

#[test]
fn plugins_hear_a_run_around_its_changes() {
    let board = Board::new();
    let heard = Arc::new(Heard::default());
    board.add_plugin(heard.clone());
    board.run(&ADD_PAIR, ("a".to_owned(), "b".to_owned()));
    let heard = heard.0.lock().unwrap();
    let ids: Vec<String> = heard
        .iter()
        .filter_map(|line| {
            line.strip_prefix("start ").map(|s| s.split(['#', ' ']).nth(1).unwrap().to_owned())
        })
        .collect();
    let (pair, first, second) = (&ids[0], &ids[1], &ids[2]);
    assert_eq!(
        *heard,
        [
            format!("start ADD_PAIR#{pair}"),
            format!("start ADD_TASK#{first} in ADD_PAIR"),
            format!("SET NEXT_ID by ADD_TASK#{first}"),
            format!("UPDATE TASKS by ADD_TASK#{first}"),
            "end ADD_TASK Returned".to_owned(),
            format!("start ADD_TASK#{second} in ADD_PAIR"),
            format!("SET NEXT_ID by ADD_TASK#{second}"),
            format!("UPDATE TASKS by ADD_TASK#{second}"),
            "end ADD_TASK Returned".to_owned(),
            "end ADD_PAIR Returned".to_owned(),
            "batch end".to_owned(),
        ]
    );
}

#[test]
fn time_travel_records_one_step_per_run_and_undoes_all_of_it() {
    let board = Board::new();
    let tt = TimeTravel::attach(&board, 100);
    add(&board, "one", None);
    board.run(&ADD_PAIR, ("two".to_owned(), "three".to_owned()));
    board.run(&NOTHING, 1);
    board.batch(|| {
        board.set(&NEXT_ID, 100);
        board.run(&LOG, "logged".to_owned());
    });
    let labels: Vec<String> = tt.history().iter().map(|e| e.label().to_owned()).collect();
    assert_eq!(labels, ["ADD_TASK", "ADD_PAIR", "BATCH SET NEXT_ID, LOG"]);
    assert_eq!(tt.history()[1].changes(), 4);
    assert!(tt.undo());
    assert!(tt.undo());
    assert_eq!((titles(&board), board.get(&NEXT_ID)), (vec!["one".to_owned()], 2));
    assert!(tt.undo());
    assert_eq!((board.get(&COUNT), board.get(&NEXT_ID)), (0, 1));
    assert!(tt.redo());
    assert!(tt.redo());
    assert_eq!(titles(&board), ["one", "two", "three"]);
    assert_eq!(board.get(&NEXT_ID), 4);
}

/// A stand-in for `@redux-devtools/cli`: a SocketCluster server that accepts one connection, answers the
/// handshake, the login and subscriptions, and hands over every message published on `log`.
fn fake_server() -> (u16, mpsc::Receiver<Json>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut ws = tungstenite::accept(stream).unwrap();
        loop {
            let text = match ws.read() {
                Ok(tungstenite::Message::Text(text)) => text,
                Ok(_) => continue,
                Err(tungstenite::Error::Io(e)) if e.kind() == ErrorKind::WouldBlock => continue,
                Err(_) => return,
            };
            let Ok(message) = serde_json::from_str::<Json>(text.as_str()) else { continue };
            let answer = match message["event"].as_str() {
                Some("#handshake") => json!({ "rid": message["cid"], "data": { "id": "fake-1" } }),
                Some("login") => json!({ "rid": message["cid"], "data": "respond" }),
                Some("#subscribe") => json!({ "rid": message["cid"] }),
                Some("log") => {
                    if tx.send(message["data"].clone()).is_err() {
                        return;
                    }
                    continue;
                }
                _ => continue,
            };
            if ws.send(tungstenite::Message::text(answer.to_string())).is_err() {
                return;
            }
        }
    });
    (port, rx)
}

/// The next `ACTION` message's action and state, waiting at most a few seconds.
fn next_action(messages: &mpsc::Receiver<Json>) -> (Json, Json) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let message = messages.recv_timeout(left).expect("the bridge sends an ACTION");
        if message["type"] == "ACTION" {
            let action = serde_json::from_str(message["action"].as_str().unwrap()).unwrap();
            let state = serde_json::from_str(message["payload"].as_str().unwrap()).unwrap();
            return (action, state);
        }
    }
}

#[test]
fn the_redux_bridge_sends_one_action_named_after_the_run_with_its_changes() {
    let (port, messages) = fake_server();
    let board = Board::new();
    add(&board, "before", None);
    let bridge = connect(&board, Options::default().port(port));
    assert!(bridge.wait_connected(Duration::from_secs(10)), "{:?}", bridge.status());
    add(&board, "Write docs", Some("ann"));
    board.set(&NEXT_ID, 10);
    let (action, state) = next_action(&messages);
    assert_eq!(action["type"], "PERFORM_ACTION");
    assert_eq!(
        action["action"],
        json!({
            "type": "ADD_TASK",
            "arg": "(\"Write docs\", Some(\"ann\"))",
            "changes": ["SET NEXT_ID", "UPDATE TASKS"],
        })
    );
    assert_eq!(state["NEXT_ID"], 3);
    let (action, state) = next_action(&messages);
    assert_eq!(action["action"], json!({ "type": "SET NEXT_ID" }), "a plain change keeps its shape");
    assert_eq!(state["NEXT_ID"], 10);
    drop(bridge);
}
