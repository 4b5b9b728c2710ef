//! The Redux DevTools bridge without a server (SPEC §6 "Redux DevTools": the store never waits on the
//! network). The protocol itself is tested against the real server in `redux_devtools_server.rs`.

use std::io::Read;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use nexus::redux_devtools::{connect, Options};

nexus::store! {
    pub struct Counter;
}

nexus::atom! {
    #![store(Counter)]
    pub static CLICKS: u64 = 0;
    pub static DOUBLE: u64 = computed(|s| s.get(&CLICKS) * 2);
}

/// A loopback port with nothing listening on it.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn a_store_without_a_server_keeps_working_and_the_bridge_says_why() {
    let store = Counter::new();
    let bridge = connect(&store, Options::default().port(closed_port()));
    for i in 1..=10_000 {
        store.set(&CLICKS, i);
    }
    assert_eq!(store.get(&CLICKS), 10_000);
    assert_eq!(store.get(&DOUBLE), 20_000);
    let deadline = Instant::now() + Duration::from_secs(5);
    while bridge.status().last_error.is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = bridge.status();
    assert!(!status.connected);
    assert_eq!(status.connections, 0);
    assert_eq!(status.sent, 0);
    let error = status.last_error.expect("the failed connection is reported");
    assert!(error.contains("cannot connect"), "{error}");
    assert!(!bridge.wait_connected(Duration::from_millis(50)));
}

#[test]
fn the_default_instance_name_is_the_store_type_and_id() {
    let store = Counter::new();
    let bridge = connect(&store, Options::default().port(closed_port()));
    assert_eq!(bridge.name(), format!("Counter#{}", store.id()));
    let named = connect(&store, Options::default().port(closed_port()).name("checkout"));
    assert_eq!(named.name(), "checkout");
}

#[test]
fn a_server_that_never_answers_does_not_slow_the_store_and_overflow_is_counted() {
    // Accepts TCP connections (the kernel's backlog) but never speaks: the bridge's handshake waits for its
    // timeout while the store keeps changing.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let store = Counter::new();
    let bridge = connect(&store, Options::default().port(port).queue_capacity(8));
    for i in 1..=1_000 {
        store.set(&CLICKS, i);
    }
    assert_eq!(store.get(&CLICKS), 1_000);
    // The bridge thread is stuck in the handshake for up to a second: at most 8 changes fit in the queue
    // (plus whatever it took before the handshake started, which is none: connecting comes first).
    let deadline = Instant::now() + Duration::from_secs(5);
    while bridge.status().dropped < 992 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(bridge.status().dropped >= 992, "{:?}", bridge.status());
    drop(silent);
}

#[test]
fn dropping_the_connection_detaches_it_from_the_store() {
    let store = Counter::new();
    let bridge = connect(&store, Options::default().port(closed_port()).queue_capacity(1));
    let started = Instant::now();
    drop(bridge);
    assert!(started.elapsed() < Duration::from_secs(3), "drop waits for at most one network timeout");
    // No plugin is left: changes after the drop are not queued anywhere (nothing to count them, but the
    // store's plugin list is empty again, which `DevTools` shows by being the only observer).
    let dt = nexus::DevTools::attach(&store);
    store.set(&CLICKS, 5);
    assert_eq!(dt.log().len(), 1);
}

#[test]
fn a_server_that_closes_at_once_is_retried_with_backoff() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepts = std::thread::spawn(move || {
        listener.set_nonblocking(true).unwrap();
        let deadline = Instant::now() + Duration::from_millis(1_500);
        let mut count = 0;
        while Instant::now() < deadline {
            if let Ok((mut s, _)) = listener.accept() {
                count += 1;
                let mut buf = [0u8; 512];
                let _ = s.set_read_timeout(Some(Duration::from_millis(50)));
                let _ = s.read(&mut buf);
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        count
    });
    let store = Counter::new();
    let bridge = connect(&store, Options::default().port(port));
    store.set(&CLICKS, 1);
    let attempts = accepts.join().unwrap();
    // 100 ms doubling: attempts at about 0, 0.1, 0.3, 0.7 and 1.5 s — a handful, not a busy loop.
    assert!((2..=8).contains(&attempts), "{attempts} attempts in 1.5 s");
    assert!(!bridge.status().connected);
}
