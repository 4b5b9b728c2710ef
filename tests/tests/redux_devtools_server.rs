//! The Redux DevTools bridge against the real `@redux-devtools/cli` server (SPEC §6 "Redux DevTools").
//!
//! Needs the feature `real-server` and `NEXUS_REDUX_DEVTOOLS_SERVER=host:port` of a running server;
//! `.ci/run` installs `@redux-devtools/cli@5`, starts it on a free loopback port and runs this file.
//! The monitor side is a SocketCluster client written here, independent of the bridge's own: it logs in
//! as the Redux DevTools UI does (credentials `{}`, so it watches the `log` channel) and sends the UI's
//! messages to the instance's `sc-<id>` channel.
#![cfg(feature = "real-server")]

use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nexus::redux_devtools::{connect, Options};
use serde_json::{json, Value as Json};
use tungstenite::{Message, WebSocket};

nexus::store! {
    pub struct Counter;
}

/// Not `Serialize`: shown through `Debug`.
#[derive(Debug, Clone, PartialEq)]
pub struct Token(pub u32);

/// Neither `Serialize` nor `Debug`: shown as its type name.
#[derive(Clone)]
pub struct Opaque;

nexus::atom! {
    #![store(Counter)]
    pub static TOKEN: Token = Token(7);
    pub static OPAQUE: Opaque = Opaque;
    pub static CLICKS: u64 = 0;
    pub static NAME: String = String::from("anon");
    pub static DOUBLE: u64 = computed(|s| s.get(&CLICKS) * 2);
    /// Renames and counts the rename: two writes, one action.
    pub static RENAME: Action<String, u64> = action(|s, name| {
        s.set(&NAME, name);
        s.update(&CLICKS, |c| *c += 1);
        s.get(&CLICKS)
    });
}

/// The tests share one server, and a monitor's broadcasts (`START` on `respond`) reach every instance on
/// it: each test holds this lock so that one test's broadcast cannot un-pause another's instance.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn server() -> (String, u16) {
    let addr = std::env::var("NEXUS_REDUX_DEVTOOLS_SERVER").expect(
        "NEXUS_REDUX_DEVTOOLS_SERVER=host:port must name a running @redux-devtools/cli server (.ci/run starts one)",
    );
    let (host, port) = addr.rsplit_once(':').expect("NEXUS_REDUX_DEVTOOLS_SERVER is host:port");
    (host.to_owned(), port.parse().expect("the port is a number"))
}

/// The monitor: what the Redux DevTools UI does on the wire.
struct Monitor {
    ws: WebSocket<TcpStream>,
    cid: u64,
    /// Messages from the `log` channel, in arrival order.
    log: Vec<Json>,
}

impl Monitor {
    fn connect() -> Monitor {
        let (host, port) = server();
        let stream = TcpStream::connect((host.as_str(), port)).expect("the server accepts connections");
        stream.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
        let (ws, _) =
            tungstenite::client::client(format!("ws://{host}:{port}/socketcluster/").as_str(), stream)
                .expect("WebSocket handshake");
        let mut m = Monitor { ws, cid: 0, log: Vec::new() };
        let hs = m.request("#handshake", &json!({ "authToken": null }));
        assert!(hs["id"].is_string(), "handshake answer {hs}");
        let channel = m.request("login", &json!({}));
        assert_eq!(channel, json!("log"), "a monitor logs in to watch `log`");
        m.request("#subscribe", &json!({ "channel": "log" }));
        m
    }

    fn send(&mut self, text: String) {
        self.ws.send(Message::text(text)).unwrap();
    }

    fn request(&mut self, event: &str, data: &Json) -> Json {
        self.cid += 1;
        let cid = self.cid;
        self.send(json!({ "event": event, "data": data, "cid": cid }).to_string());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Some(msg) = self.read_one() {
                if msg["rid"] == json!(cid) {
                    assert!(msg.get("error").is_none(), "{event} failed: {msg}");
                    return msg.get("data").cloned().unwrap_or(Json::Null);
                }
            }
        }
        panic!("no answer to {event}");
    }

    /// Reads one frame (or times out); answers pings; keeps `log` publications.
    fn read_one(&mut self) -> Option<Json> {
        let text = match self.ws.read() {
            Ok(Message::Text(t)) => t.as_str().to_owned(),
            Ok(_) => return None,
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) =>
            {
                return None
            }
            Err(e) => panic!("monitor connection lost: {e}"),
        };
        match text.as_str() {
            "" => {
                self.send(String::new());
                None
            }
            "#1" => {
                self.send("#2".to_owned());
                None
            }
            _ => {
                let msg: Json = serde_json::from_str(&text).expect("SocketCluster frames are JSON");
                if msg["event"] == "#publish" && msg["data"]["channel"] == "log" {
                    self.log.push(msg["data"]["data"].clone());
                }
                Some(msg)
            }
        }
    }

    /// Where the log is now: `wait_for(.., mark, ..)` looks only at what arrives after it.
    fn mark(&self) -> usize {
        self.log.len()
    }

    /// Waits until the `log` messages of instance `name` from position `from` on satisfy `done`; returns
    /// them.
    fn wait_for(&mut self, name: &str, from: usize, done: impl Fn(&[Json]) -> bool) -> Vec<Json> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let mine: Vec<Json> = self.log[from..].iter().filter(|m| m["name"] == name).cloned().collect();
            if done(&mine) {
                return mine;
            }
            assert!(Instant::now() < deadline, "timed out; messages of {name} so far: {mine:#?}");
            self.read_one();
        }
    }

    /// Sends a message to one instance, as the UI does (`sc-<socket id>`).
    fn tell(&mut self, socket_id: &str, message: &Json) {
        self.send(json!({ "event": format!("sc-{socket_id}"), "data": message }).to_string());
    }
}

fn types(messages: &[Json]) -> Vec<String> {
    messages.iter().map(|m| m["type"].as_str().unwrap_or("?").to_owned()).collect()
}

fn parsed(message: &Json, field: &str) -> Json {
    serde_json::from_str(message[field].as_str().unwrap_or_else(|| panic!("{field} is a string: {message}")))
        .unwrap_or_else(|e| panic!("{field} is JSON ({e}): {message}"))
}

fn actions(messages: &[Json]) -> Vec<String> {
    messages
        .iter()
        .filter(|m| m["type"] == "ACTION")
        .map(|m| parsed(m, "action")["action"]["type"].as_str().unwrap().to_owned())
        .collect()
}

fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn the_server_relays_start_state_and_actions_and_a_jump_moves_the_store() {
    let _one = exclusive();
    let mut monitor = Monitor::connect();
    let (host, port) = server();
    let options = Options::default().host(host.clone()).port(port);

    let store = Counter::new();
    store.set(&NAME, "ada".to_owned());
    let notified = Arc::new(AtomicUsize::new(0));
    let n = notified.clone();
    let _sub = store.subscribe(&DOUBLE, move |_| {
        n.fetch_add(1, Ordering::SeqCst);
    });
    let bridge = connect(&store, options.clone().name("it-counter"));
    assert!(bridge.wait_connected(Duration::from_secs(10)), "{:?}", bridge.status());

    // A second store on the same server: its actions must never show up as the first one's.
    let other = Counter::new();
    let other_bridge = connect(&other, options.name("it-other"));
    assert!(other_bridge.wait_connected(Duration::from_secs(10)));

    store.set(&CLICKS, 1);
    other.set(&CLICKS, 100);
    store.set(&CLICKS, 2);
    store.batch(|| {
        store.set(&NAME, "grace".to_owned());
        store.set(&CLICKS, 3);
    });
    other.set(&CLICKS, 200);

    let mine = monitor.wait_for("it-counter", 0, |m| actions(m).len() >= 3);
    let kinds = types(&mine);
    assert_eq!(&kinds[..2], ["START", "STATE"], "START then the initial STATE, then the actions: {kinds:?}");
    assert_eq!(actions(&mine), ["SET CLICKS", "SET CLICKS", "BATCH SET NAME, SET CLICKS"]);

    // The initial STATE is the lifted state with the store's state at connect time (CLICKS is held: the
    // subscription to DOUBLE read it).
    let lifted = parsed(&mine[1], "payload");
    assert_eq!(lifted["computedStates"][0]["state"], json!({ "NAME": "ada", "CLICKS": 0 }));
    assert_eq!(lifted["currentStateIndex"], 0);

    // Each ACTION carries the state after it.
    let last = mine.iter().rev().find(|m| m["type"] == "ACTION").unwrap();
    assert_eq!(parsed(last, "payload"), json!({ "NAME": "grace", "CLICKS": 3 }));
    assert_eq!(last["nextActionId"], 4);

    // Every message of one instance comes from one socket, and the other instance's from another.
    let socket_id = mine[0]["id"].as_str().expect("messages carry the socket id").to_owned();
    assert!(mine.iter().all(|m| m["id"] == socket_id.as_str()));
    let theirs = monitor.wait_for("it-other", 0, |m| actions(m).len() >= 2);
    assert_eq!(actions(&theirs), ["SET CLICKS", "SET CLICKS"]);
    assert!(theirs.iter().all(|m| m["id"] != socket_id.as_str()));
    assert_eq!(parsed(theirs.last().unwrap(), "payload"), json!({ "CLICKS": 200 }));

    // The monitor jumps to state 1 (after the first action): the store moves, derived atoms follow,
    // subscribers hear about it, and the monitor gets the lifted state with the new current index.
    let before = notified.load(Ordering::SeqCst);
    let seen = monitor.mark();
    monitor.tell(
        &socket_id,
        &json!({ "type": "DISPATCH", "action": { "type": "JUMP_TO_STATE", "index": 1, "actionId": 1 } }),
    );
    wait_until("the jump", || store.get(&CLICKS) == 1);
    assert_eq!(store.get(&NAME), "ada");
    assert_eq!(store.get(&DOUBLE), 2);
    assert!(notified.load(Ordering::SeqCst) > before);
    monitor.wait_for("it-counter", seen, |m| {
        m.iter().filter(|x| x["type"] == "STATE").any(|x| parsed(x, "payload")["currentStateIndex"] == 1)
    });
    // The other store did not move.
    assert_eq!(other.get(&CLICKS), 200);

    // JUMP_TO_ACTION by action id: action 3 is the batch.
    monitor.tell(
        &socket_id,
        &json!({ "type": "DISPATCH", "action": { "type": "JUMP_TO_ACTION", "actionId": 3 } }),
    );
    wait_until("the jump to action 3", || store.get(&CLICKS) == 3 && store.get(&NAME) == "grace");

    // Back to state 2, then a new change: the later action is cut off and the monitor gets a whole STATE.
    monitor
        .tell(&socket_id, &json!({ "type": "DISPATCH", "action": { "type": "JUMP_TO_STATE", "index": 2 } }));
    wait_until("the jump to state 2", || store.get(&CLICKS) == 2 && store.get(&NAME) == "ada");
    let seen = monitor.mark();
    store.set(&CLICKS, 42);
    monitor.wait_for("it-counter", seen, |m| {
        m.iter().filter(|x| x["type"] == "STATE").any(|x| {
            let l = parsed(x, "payload");
            l["stagedActionIds"] == json!([0, 1, 2, 4]) && l["computedStates"][3]["state"]["CLICKS"] == 42
        })
    });

    // COMMIT then ROLLBACK: the committed state is the current one; a later change is undone by ROLLBACK.
    let seen = monitor.mark();
    monitor.tell(&socket_id, &json!({ "type": "DISPATCH", "action": { "type": "COMMIT" } }));
    monitor.wait_for("it-counter", seen, |m| {
        m.iter()
            .filter(|x| x["type"] == "STATE")
            .any(|x| parsed(x, "payload")["stagedActionIds"] == json!([0]))
    });
    let seen = monitor.mark();
    store.set(&CLICKS, 43);
    let mine = monitor.wait_for("it-counter", seen, |m| actions(m).len() == 1);
    let last = mine.iter().rev().find(|m| m["type"] == "ACTION").unwrap();
    assert_eq!(parsed(last, "payload")["CLICKS"], 43);
    assert_eq!(last["nextActionId"], 2, "action ids restart after a COMMIT");
    monitor.tell(&socket_id, &json!({ "type": "DISPATCH", "action": { "type": "ROLLBACK" } }));
    wait_until("the rollback", || store.get(&CLICKS) == 42);

    // A monitor's START (sent to every instance when a UI opens) is answered with the whole state.
    let seen = monitor.mark();
    monitor.send(json!({ "event": "respond", "data": { "type": "START" } }).to_string());
    monitor.wait_for("it-counter", seen, |m| m.iter().any(|x| x["type"] == "STATE"));

    // Unsupported requests are answered with an ERROR the UI shows, and change nothing.
    monitor.tell(&socket_id, &json!({ "type": "DISPATCH", "action": { "type": "TOGGLE_ACTION", "id": 1 } }));
    let errors = monitor.wait_for("it-counter", 0, |m| m.iter().any(|x| x["type"] == "ERROR"));
    let error = errors.iter().find(|x| x["type"] == "ERROR").unwrap();
    assert!(error["payload"].as_str().unwrap().contains("TOGGLE_ACTION"), "{error}");
    assert_eq!(store.get(&CLICKS), 42);

    // Dropping the connection says STOP.
    drop(bridge);
    let mine = monitor.wait_for("it-counter", 0, |m| m.last().is_some_and(|x| x["type"] == "STOP"));
    assert_eq!(mine.last().unwrap()["id"], socket_id.as_str());
    drop(other_bridge);
}

#[test]
fn an_action_is_one_monitor_action_named_after_it_and_a_jump_sets_all_of_it_back() {
    let _one = exclusive();
    let mut monitor = Monitor::connect();
    let (host, port) = server();
    let store = Counter::new();
    store.set(&NAME, "ada".to_owned());
    let bridge = connect(&store, Options::default().host(host).port(port).name("it-action"));
    assert!(bridge.wait_connected(Duration::from_secs(10)), "{:?}", bridge.status());
    // A subscriber keeps DOUBLE up to date: the action's change of CLICKS recomputes it (the causal
    // chain in the Trace tab).
    let _double = store.subscribe(&DOUBLE, |_| {});
    let seen = monitor.mark();
    let run_line = line!() + 1;
    assert_eq!(store.run(&RENAME, "grace".to_owned()), 1);
    let mine = monitor.wait_for("it-action", seen, |m| actions(m).len() == 1);
    let action = mine.iter().find(|m| m["type"] == "ACTION").unwrap();
    assert_eq!(
        parsed(action, "action")["action"],
        json!({ "type": "RENAME", "arg": "\"grace\"", "changes": ["SET NAME", "UPDATE CLICKS"] })
    );
    // The Trace tab's stack: the run's call, then each change's line in the action, all in this file.
    let stack = parsed(action, "action")["stack"].as_str().expect("a stack").to_owned();
    let frames: Vec<&str> = stack.lines().collect();
    assert_eq!(frames.len(), 5, "{stack}");
    assert_eq!(frames[0], "Error");
    assert!(
        frames[1].starts_with(&format!("    at RENAME (tests/tests/redux_devtools_server.rs:{run_line}:")),
        "{stack}"
    );
    assert!(frames[2].starts_with("    at SET NAME (tests/tests/redux_devtools_server.rs:"), "{stack}");
    assert!(frames[3].starts_with("    at UPDATE CLICKS (tests/tests/redux_devtools_server.rs:"), "{stack}");
    // Then what the changes caused, located where the chain began (the action's first change).
    let first = frames[2].rsplit_once(" (").unwrap().1;
    assert_eq!(frames[4], format!("    at recompute DOUBLE = 2, because CLICKS changed ({first}"), "{stack}");
    assert_eq!(parsed(action, "payload"), json!({ "NAME": "grace", "CLICKS": 1 }));
    // Jumping to the state before the action sets back everything it did.
    let socket_id = action["id"].as_str().expect("messages carry the socket id").to_owned();
    monitor
        .tell(&socket_id, &json!({ "type": "DISPATCH", "action": { "type": "JUMP_TO_STATE", "index": 0 } }));
    wait_until("the jump before the action", || store.get(&NAME) == "ada" && store.get(&CLICKS) == 0);
    drop(bridge);
}

#[test]
fn importing_a_lifted_state_moves_the_store_and_reports_what_does_not_decode() {
    let _one = exclusive();
    let mut monitor = Monitor::connect();
    let (host, port) = server();
    let store = Counter::new();
    store.set(&CLICKS, 7);
    let bridge = connect(&store, Options::default().host(host).port(port).name("it-import"));
    assert!(bridge.wait_connected(Duration::from_secs(10)));
    let mine = monitor.wait_for("it-import", 0, |m| m.len() >= 2);
    let socket_id = mine[0]["id"].as_str().unwrap().to_owned();

    let exported = json!({
        "actionsById": { "0": { "type": "PERFORM_ACTION", "action": { "type": "@@INIT" }, "timestamp": 0 },
                         "1": { "type": "PERFORM_ACTION", "action": { "type": "SET CLICKS" }, "timestamp": 1 } },
        "computedStates": [ { "state": { "CLICKS": 10, "NAME": "x" } },
                            { "state": { "CLICKS": 11, "NAME": "y", "NOPE": 1 } } ],
        "currentStateIndex": 1,
        "nextActionId": 2,
        "stagedActionIds": [0, 1],
        "skippedActionIds": []
    });
    monitor.tell(
        &socket_id,
        &json!({ "type": "DISPATCH", "action": { "type": "IMPORT_STATE", "nextLiftedState": exported } }),
    );
    wait_until("the import", || store.get(&CLICKS) == 11);
    // `NAME` was not held by this instance yet (never touched): it is reported, not invented.
    let mine = monitor.wait_for("it-import", 0, |m| m.iter().any(|x| x["type"] == "ERROR"));
    let error = mine.iter().find(|x| x["type"] == "ERROR").unwrap()["payload"].as_str().unwrap().to_owned();
    assert!(error.contains("`NOPE`"), "{error}");

    // The imported history is jumpable.
    monitor
        .tell(&socket_id, &json!({ "type": "DISPATCH", "action": { "type": "JUMP_TO_STATE", "index": 0 } }));
    wait_until("the jump into the imported history", || store.get(&CLICKS) == 10);
}

#[test]
fn values_without_serde_are_shown_by_debug_or_type_name_and_stop_start_reset_work() {
    let _one = exclusive();
    let mut monitor = Monitor::connect();
    let (host, port) = server();
    let store = Counter::new();
    store.set(&TOKEN, Token(9));
    store.with(&OPAQUE, |_| ()); // registers it: the state shows what the instance holds
    let bridge = connect(&store, Options::default().host(host).port(port).name("it-render"));
    assert!(bridge.wait_connected(Duration::from_secs(10)));
    let mine = monitor.wait_for("it-render", 0, |m| m.len() >= 2);
    let socket_id = mine[0]["id"].as_str().unwrap().to_owned();
    let state = &parsed(&mine[1], "payload")["computedStates"][0]["state"];
    assert_eq!(state["TOKEN"], "Token(9)");
    let opaque = state["OPAQUE"].as_str().unwrap();
    assert!(opaque.starts_with('<') && opaque.contains("Opaque"), "{opaque}");

    // STOP: changes are recorded but not sent; START sends the whole state, changes included.
    monitor.tell(&socket_id, &json!({ "type": "STOP" }));
    std::thread::sleep(Duration::from_millis(200));
    let seen = monitor.mark();
    store.set(&CLICKS, 5);
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..10 {
        monitor.read_one();
    }
    let quiet: Vec<&Json> = monitor.log[seen..].iter().filter(|m| m["name"] == "it-render").collect();
    assert!(quiet.is_empty(), "nothing is sent while stopped: {quiet:?}");
    let seen = monitor.mark();
    monitor.tell(&socket_id, &json!({ "type": "START" }));
    let mine = monitor.wait_for("it-render", seen, |m| m.iter().any(|x| x["type"] == "STATE"));
    let lifted = parsed(mine.iter().find(|x| x["type"] == "STATE").unwrap(), "payload");
    assert_eq!(lifted["computedStates"][1]["state"]["CLICKS"], 5);

    // RESET: back to the state at connect time, with no actions.
    store.set(&TOKEN, Token(10));
    let seen = monitor.mark();
    monitor.tell(&socket_id, &json!({ "type": "DISPATCH", "action": { "type": "RESET" } }));
    wait_until("the reset", || store.get(&TOKEN) == Token(9) && store.get(&CLICKS) == 0);
    monitor.wait_for("it-render", seen, |m| {
        m.iter()
            .filter(|x| x["type"] == "STATE")
            .any(|x| parsed(x, "payload")["stagedActionIds"] == json!([0]))
    });
}

mod async_atoms {
    use super::*;

    #[derive(Debug)]
    struct NotFound;

    impl std::fmt::Display for NotFound {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("not found")
        }
    }

    impl std::error::Error for NotFound {}

    static FETCHES: AtomicUsize = AtomicUsize::new(0);

    nexus::atom! {
        #![store(Counter)]
        pub static PROFILE: String = async_computed(|s| {
            let clicks = s.get(&CLICKS);
            async move {
                FETCHES.fetch_add(1, Ordering::SeqCst);
                if clicks == 13 { Err(NotFound) } else { Ok(format!("profile {clicks}")) }
            }
        });
    }

    #[test]
    fn async_atoms_show_loading_ready_and_failed_and_a_jump_fetches_nothing() {
        let _one = exclusive();
        let mut monitor = Monitor::connect();
        let (host, port) = server();
        let store = Counter::new();
        assert!(store.get(&PROFILE).is_loading());
        let bridge = connect(&store, Options::default().host(host).port(port).name("it-async"));
        assert!(bridge.wait_connected(Duration::from_secs(10)));
        let mine = monitor.wait_for("it-async", 0, |m| m.len() >= 2);
        let socket_id = mine[0]["id"].as_str().unwrap().to_owned();
        let state = &parsed(&mine[1], "payload")["computedStates"][0]["state"];
        assert_eq!(state["PROFILE"], "Loading");

        futures::executor::block_on(store.load(&PROFILE)).expect("loads");
        store.set(&CLICKS, 13);
        let _ = futures::executor::block_on(store.load(&PROFILE));
        let mine = monitor.wait_for("it-async", 0, |m| actions(m).len() >= 3);
        assert_eq!(actions(&mine), ["LOAD PROFILE", "SET CLICKS", "LOAD PROFILE"]);
        let states: Vec<Json> =
            mine.iter().filter(|m| m["type"] == "ACTION").map(|m| parsed(m, "payload")).collect();
        assert_eq!(states[0]["PROFILE"], "Ready(\"profile 0\")");
        assert_eq!(states[2]["PROFILE"], "Failed(not found)");
        let fetched = FETCHES.load(Ordering::SeqCst);

        // Back to state 1 (after the first load): the loaded value comes back, nothing is fetched.
        monitor.tell(
            &socket_id,
            &json!({ "type": "DISPATCH", "action": { "type": "JUMP_TO_STATE", "index": 1, "actionId": 1 } }),
        );
        wait_until("the jump", || store.get(&CLICKS) == 0);
        assert_eq!(store.get(&PROFILE), nexus::Loadable::Ready("profile 0".to_owned()));
        futures::executor::block_on(store.settled());
        assert_eq!(FETCHES.load(Ordering::SeqCst), fetched, "the jump fetched nothing");
        drop(bridge);
    }
}
