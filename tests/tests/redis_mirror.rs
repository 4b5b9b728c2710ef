//! `Global` atoms mirrored across processes through Redis (SPEC §9 "Across processes"; issue 32),
//! against a real `redis-server` started by each test on a Unix socket in a temporary directory, with
//! faults injected: Redis killed and restarted, subscriptions killed, a partition, data lost, bad values.
//! Replicas are separate processes (`src/bin/redis_replica.rs`), since the global registry is
//! process-wide; the tests that need one mirror only run it in this process.
//!
//! Needs the feature `redis-server` and Debian's `redis-server` on the `PATH`: `.ci/run` installs it
//! (`scripts/redis-server.sh`) and runs `cargo test -p nexus-tests --features redis-server --test
//! redis_mirror`.
#![cfg(all(feature = "redis-server", not(target_arch = "wasm32")))]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nexus::redis::{Mirror, MirrorError, Options, Status, Version};
use nexus_tests::redis_server::{Proxy, RedisServer};

nexus::store! {
    /// This process's view of the `Global` atoms the in-process tests mirror.
    #[mode(global)]
    pub struct App;
}

/// A replica process.
struct Replica {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Replica {
    fn spawn(url: &str, namespace: &str, args: &[&str]) -> Replica {
        let mut child = Command::new(env!("CARGO_BIN_EXE_redis_replica"))
            .args([url, namespace])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start a replica");
        let stdin = child.stdin.take().expect("piped");
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        Replica { child, stdin, stdout }
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("read the replica's output");
        assert!(!line.is_empty(), "the replica exited early (see its stderr above)");
        line.trim().to_owned()
    }

    fn send(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").expect("write to the replica");
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `key=value` fields of a replica's line.
fn field<T: std::str::FromStr>(line: &str, name: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    line.split_whitespace()
        .find_map(|f| f.strip_prefix(name).and_then(|f| f.strip_prefix('=')))
        .unwrap_or_else(|| panic!("no `{name}` in `{line}`"))
        .parse()
        .unwrap_or_else(|e| panic!("`{name}` in `{line}`: {e:?}"))
}

/// What a counting replica reported.
#[derive(Debug, Default)]
struct Counts {
    acked: u64,
    unavailable: u64,
    unconfirmed: u64,
}

fn counts(done: &str) -> Counts {
    assert!(done.starts_with("done "), "{done}");
    assert_eq!(field::<u64>(done, "contention"), 0, "{done}");
    assert_eq!(field::<u64>(done, "other"), 0, "{done}");
    Counts {
        // A `Lagging` write was ordered by Redis: acknowledged, only not seen back in time.
        acked: field::<u64>(done, "acked") + field::<u64>(done, "lagging"),
        unavailable: field(done, "unavailable"),
        unconfirmed: field(done, "unconfirmed"),
    }
}

/// The counter's value in Redis.
fn redis_counter(server: &RedisServer, namespace: &str) -> u64 {
    let json: String = redis::cmd("HGET")
        .arg(format!("nexus:{{{namespace}}}:a:counter"))
        .arg("v")
        .query(&mut server.connection())
        .expect("the counter in Redis");
    json.parse().expect("a number")
}

/// Asks every replica to converge to `value`; returns their `final` lines.
fn finals(replicas: &mut [Replica], value: u64) -> Vec<String> {
    for r in replicas.iter_mut() {
        r.send(&format!("expect {value}"));
    }
    replicas
        .iter_mut()
        .map(|r| {
            let line = r.line();
            assert_eq!(field::<u64>(&line, "value"), value, "a replica did not converge: {line}");
            assert_eq!(
                field::<String>(&line, "increasing"),
                "true",
                "versions went backwards or repeated: {line}"
            );
            line
        })
        .collect()
}

/// The statuses a replica went through, with their times (unix ms).
fn statuses(line: &str) -> Vec<(String, u128)> {
    let list: String = field(line, "statuses");
    list.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let (status, ms) = s.split_once('@').expect("STATUS@MS");
            (status.to_owned(), ms.parse().expect("ms"))
        })
        .collect()
}

fn unix_ms() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_millis()
}

#[test]
fn three_replicas_lose_no_increment() {
    let server = RedisServer::start(true);
    let mut replicas: Vec<Replica> =
        (0..3).map(|_| Replica::spawn(&server.url(), "plain", &["count", "3000", "400"])).collect();
    for r in &mut replicas {
        let c = counts(&r.line());
        assert_eq!((c.acked, c.unavailable, c.unconfirmed), (3000, 0, 0));
    }
    assert_eq!(redis_counter(&server, "plain"), 9000);
    for line in finals(&mut replicas, 9000) {
        // Each replica's subscriber was told of every value from the first it saw (a replica that
        // subscribed after others began sees them from there), once each.
        assert_eq!(field::<u64>(&line, "notified"), 9000 - field::<u64>(&line, "first") + 1, "{line}");
    }
}

#[test]
fn redis_killed_and_restarted_loses_no_acknowledged_increment() {
    let mut server = RedisServer::start(true);
    let mut replicas: Vec<Replica> =
        (0..3).map(|_| Replica::spawn(&server.url(), "killed", &["count", "3000", "600"])).collect();
    std::thread::sleep(Duration::from_millis(800));
    server.kill();
    std::thread::sleep(Duration::from_secs(1));
    let restarted = unix_ms();
    server.restart();
    let mut total = Counts::default();
    for r in &mut replicas {
        let c = counts(&r.line());
        total.acked += c.acked;
        total.unavailable += c.unavailable;
        total.unconfirmed += c.unconfirmed;
    }
    let in_redis = redis_counter(&server, "killed");
    assert!(
        total.acked <= in_redis && in_redis <= total.acked + total.unconfirmed,
        "an acknowledged increment was lost, or one applied twice: {total:?}, Redis has {in_redis}"
    );
    assert!(total.unavailable > 0, "writes during the outage should fail with `Unavailable`: {total:?}");
    for line in finals(&mut replicas, in_redis) {
        let seen = statuses(&line);
        let names: Vec<&str> = seen.iter().map(|(s, _)| s.as_str()).collect();
        let reconnecting = names.iter().position(|s| *s == "Reconnecting").expect("went Reconnecting");
        let resyncing = reconnecting
            + names[reconnecting..].iter().position(|s| *s == "Resyncing").expect("then Resyncing");
        let connected =
            resyncing + names[resyncing..].iter().position(|s| *s == "Connected").expect("then Connected");
        assert!(
            seen[connected].1 <= restarted + 5000,
            "connected again {} ms after the restart: {line}",
            seen[connected].1.saturating_sub(restarted)
        );
    }
}

#[test]
fn a_killed_subscription_is_recovered_by_resync() {
    let server = RedisServer::start(true);
    let mut replicas: Vec<Replica> =
        (0..3).map(|_| Replica::spawn(&server.url(), "pubsub", &["count", "1500", "600"])).collect();
    let mut con = server.connection();
    for _ in 0..8 {
        std::thread::sleep(Duration::from_millis(150));
        let _: redis::Value =
            redis::cmd("CLIENT").arg(&["KILL", "TYPE", "pubsub"]).query(&mut con).expect("CLIENT KILL");
    }
    let mut acked = 0;
    for r in &mut replicas {
        let c = counts(&r.line());
        acked += c.acked;
        assert_eq!((c.unavailable, c.unconfirmed), (0, 0), "the command connection was not touched");
    }
    assert_eq!(acked, 4500);
    assert_eq!(redis_counter(&server, "pubsub"), 4500);
    for line in finals(&mut replicas, 4500) {
        assert!(statuses(&line).iter().any(|(s, _)| s == "Resyncing"), "no resync happened: {line}");
    }
}

#[test]
fn a_partitioned_replica_catches_up_and_the_others_go_on() {
    let server = RedisServer::start(true);
    let proxy = Proxy::start(server.socket());
    let mut replicas = vec![
        Replica::spawn(&server.url(), "partition", &["count", "3000", "600"]),
        Replica::spawn(&server.url(), "partition", &["count", "3000", "600"]),
        Replica::spawn(&proxy.url(), "partition", &["count", "3000", "600"]),
    ];
    std::thread::sleep(Duration::from_millis(600));
    proxy.set_blackhole(true);
    let before = redis_counter(&server, "partition");
    std::thread::sleep(Duration::from_secs(2));
    let after = redis_counter(&server, "partition");
    proxy.set_blackhole(false);
    assert!(
        after > before + 100,
        "the two replicas outside the partition did not go on: {before} -> {after}"
    );
    let mut total = Counts::default();
    let mut partitioned = Counts::default();
    for (i, r) in replicas.iter_mut().enumerate() {
        let c = counts(&r.line());
        total.acked += c.acked;
        total.unconfirmed += c.unconfirmed;
        if i == 2 {
            partitioned = c;
        }
    }
    assert!(
        partitioned.unavailable + partitioned.unconfirmed > 0,
        "the partitioned replica never failed: {partitioned:?}"
    );
    let in_redis = redis_counter(&server, "partition");
    assert!(
        total.acked <= in_redis && in_redis <= total.acked + total.unconfirmed,
        "{total:?}, Redis has {in_redis}"
    );
    let lines = finals(&mut replicas, in_redis);
    assert!(statuses(&lines[2]).iter().any(|(s, _)| s == "Reconnecting"), "{}", lines[2]);
    assert!(statuses(&lines[0]).is_empty(), "a replica outside the partition changed status: {}", lines[0]);
}

#[test]
fn propagation_latency_on_loopback() {
    let server = RedisServer::start(false);
    let mut reader = Replica::spawn(&server.url(), "latency", &["latency-read"]);
    assert_eq!(reader.line(), "ready");
    let mut writer = Replica::spawn(&server.url(), "latency", &["latency-write", "1000"]);
    assert_eq!(writer.line(), "done");
    std::thread::sleep(Duration::from_millis(200));
    reader.send("report");
    let line = reader.line();
    // A figure for BENCHMARKS.md, not an assertion on time.
    println!("propagation from one replica's `mirror.set` to another's subscriber: {line}");
    assert_eq!(field::<u64>(&line, "n"), 1000, "every stamp is told once: {line}");
}

nexus::atom! {
    #[name = "counter"]
    pub static EPOCH_COUNTER: u64 = 0;
    #[name = "flag"]
    pub static EPOCH_FLAG: bool = false;
    #[name = "stamp"]
    pub static EPOCH_STAMP: u64 = 0;
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime")
}

/// Waits (up to 10 s) until `f` holds.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn redis_down_fails_writes_fast_and_a_lost_epoch_is_reseeded_from_the_last_known_values() {
    let rt = runtime();
    let mut server = RedisServer::start(false);
    let options = Options::new("epoch").atom(&EPOCH_COUNTER).atom(&EPOCH_FLAG).atom(&EPOCH_STAMP);
    let mirror = rt.block_on(Mirror::connect(&server.url(), options)).expect("connect");
    let app = App::new();
    let seen: Arc<Mutex<Vec<Status>>> = Arc::default();
    let _status = {
        let seen = seen.clone();
        app.subscribe(mirror.status(), move |&s| seen.lock().unwrap().push(s))
    };
    rt.block_on(async {
        mirror.set(&EPOCH_FLAG, true).await.expect("set");
        for _ in 0..5 {
            mirror.update(&EPOCH_COUNTER, |n| n + 1).await.expect("update");
        }
    });
    let before = mirror.version(&EPOCH_COUNTER).expect("mirrored");
    assert_eq!(before.generation, 1);
    assert_eq!((app.get(&EPOCH_COUNTER), app.get(&EPOCH_FLAG)), (5, true), "read-your-writes");

    // Redis goes away: writes fail at once (never queued), reads serve the last values.
    server.kill();
    eventually("the mirror says Reconnecting", || app.get(mirror.status()) == Status::Reconnecting);
    let started = Instant::now();
    let failed = rt.block_on(mirror.set(&EPOCH_FLAG, false));
    assert!(matches!(failed, Err(MirrorError::Unavailable { .. })), "{failed:?}");
    let failed = rt.block_on(mirror.update(&EPOCH_COUNTER, |n| n + 1));
    assert!(matches!(failed, Err(MirrorError::Unavailable { .. })), "{failed:?}");
    println!("two writes refused in {:?}", started.elapsed());
    assert_eq!((app.get(&EPOCH_COUNTER), app.get(&EPOCH_FLAG)), (5, true));

    // It comes back empty (no persistence): a new epoch, reseeded from this process's last values.
    server.restart();
    eventually("the mirror is connected again", || mirror.current_status() == Status::Connected);
    let mut con = server.connection();
    let gen: String = redis::cmd("HGET").arg("nexus:{epoch}:meta").arg("gen").query(&mut con).expect("meta");
    assert_eq!(gen, "2");
    assert_eq!(redis_counter(&server, "epoch"), 5);
    let after = mirror.version(&EPOCH_COUNTER).expect("mirrored");
    assert!(after > before, "versions never go backwards: {before} then {after}");
    assert_eq!(after.generation, 2);
    {
        let seen = seen.lock().unwrap();
        let names: Vec<String> = seen.iter().map(|s| format!("{s:?}")).collect();
        assert!(names.join(",").contains("Reconnecting,Resyncing,Connected"), "{names:?}");
    }
    // And writing works again, in the new generation; another process sees the reseeded state.
    let v = rt.block_on(mirror.update(&EPOCH_COUNTER, |n| n + 1)).expect("update after the reseed");
    assert_eq!(v, Version { generation: 2, version: after.version + 1 });
    let mut other = Replica::spawn(&server.url(), "epoch", &["count", "0", "0"]);
    let _ = other.line();
    finals(std::slice::from_mut(&mut other), 6);
}

/// Writes `json` as version `ver` of the atom `key` the way the mirror's own script does (next sequence
/// number, announced on the channel), as another process (or another version of the service) would.
fn write_as_another_process(con: &mut redis::Connection, namespace: &str, key: &str, ver: u64, json: &str) {
    let seq: u64 = redis::cmd("INCR").arg(format!("nexus:{{{namespace}}}:seq")).query(con).expect("INCR");
    let _: () = redis::cmd("HSET")
        .arg(format!("nexus:{{{namespace}}}:a:{key}"))
        .arg(&["v", json, "ver", &ver.to_string(), "seq", &seq.to_string()])
        .query(con)
        .expect("HSET");
    let message = format!("1|{seq}|{ver}|{}|{key}{json}", key.len());
    let _: () = redis::cmd("PUBLISH")
        .arg(format!("nexus:{{{namespace}}}:chg"))
        .arg(message)
        .query(con)
        .expect("PUBLISH");
}

#[test]
fn the_axum_example_takes_its_banner_from_redis() {
    use nexus_examples::axum_app::{self, Client, Sessions};
    let rt = runtime();
    let server = RedisServer::start(false);
    let _mirror = rt.block_on(Mirror::connect(&server.url(), axum_app::mirrored())).expect("connect");
    // Another replica of the server sets the banner.
    write_as_another_process(&mut server.connection(), "axum-ssr", "banner", 2, "\"Maintenance at 22:00\"");
    eventually("the banner arrives", || {
        axum_app::Site::new().get(&axum_app::BANNER) == "Maintenance at 22:00"
    });
    let page = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("listen");
        let addr = listener.local_addr().expect("address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(axum_app::serve(listener, Sessions::default(), async {
            let _ = stopped.await;
        }));
        let (_, page) = Client::new(addr).get("/", "ada").await.expect("a page");
        let _ = stop.send(());
        serving.await.expect("server task").expect("served");
        page
    });
    assert!(page.contains("<p class=\"banner\">Maintenance at 22:00</p>"), "{page}");
}

nexus::atom! {
    #[name = "n"]
    pub static BAD_N: u64 = 0;
    #[name = "name"]
    pub static BAD_NAME: String = String::new();
}

#[test]
fn a_value_that_does_not_decode_keeps_the_last_good_one_and_is_reported() {
    let rt = runtime();
    let server = RedisServer::start(false);
    let errors: Arc<Mutex<Vec<MirrorError>>> = Arc::default();
    let options = {
        let errors = errors.clone();
        Options::new("bad")
            .atom(&BAD_N)
            .atom(&BAD_NAME)
            .on_error(move |e| errors.lock().unwrap().push(e.clone()))
    };
    let mirror = rt.block_on(Mirror::connect(&server.url(), options)).expect("connect");
    let app = App::new();
    rt.block_on(mirror.set(&BAD_N, 3)).expect("set");
    assert_eq!(app.get(&BAD_N), 3);

    // Another version of the service writes a string where this one has a number, as the mirror's
    // own script would (new version, next sequence number, announced).
    let mut con = server.connection();
    write_as_another_process(&mut con, "bad", "n", 99, "\"three\"");
    eventually("the bad value is reported", || !errors.lock().unwrap().is_empty());
    let error = errors.lock().unwrap()[0].clone();
    let MirrorError::Decode { key, redis_key, error: problem } = &error else { panic!("{error:?}") };
    assert_eq!((key.as_str(), redis_key.as_str()), ("n", "nexus:{bad}:a:n"));
    assert!(problem.contains("invalid type: string \"three\", expected u64"), "{problem}");
    assert!(error.to_string().contains("keeps its last good value"), "{error}");
    assert_eq!(app.get(&BAD_N), 3, "the atom keeps its last good value");

    // The other atoms keep working; `update` of the bad one says why it cannot.
    rt.block_on(mirror.set(&BAD_NAME, "still fine".to_owned())).expect("set another atom");
    assert_eq!(app.get(&BAD_NAME), "still fine");
    let refused = rt.block_on(mirror.update(&BAD_N, |n| n + 1));
    assert!(matches!(refused, Err(MirrorError::Decode { .. })), "{refused:?}");

    // A resync (the subscription is killed) meets it again, and reports it again.
    let _: redis::Value =
        redis::cmd("CLIENT").arg(&["KILL", "TYPE", "pubsub"]).query(&mut con).expect("CLIENT KILL");
    eventually("the resync reports it", || errors.lock().unwrap().len() >= 2);
    assert_eq!(app.get(&BAD_N), 3);

    // A good value written over it repairs it.
    rt.block_on(mirror.set(&BAD_N, 7)).expect("set");
    assert_eq!(app.get(&BAD_N), 7);
    rt.block_on(mirror.update(&BAD_N, |n| n + 1)).expect("update works again");
    assert_eq!(app.get(&BAD_N), 8);
}

nexus::atom! {
    #[name = "a"]
    pub static SCHEMA_A: u32 = 1;
    #[name = "b"]
    pub static SCHEMA_B: u32 = 1;
}

#[test]
fn a_namespace_of_another_schema_is_refused_at_connect() {
    let rt = runtime();
    let server = RedisServer::start(false);
    let first = rt.block_on(Mirror::connect(&server.url(), Options::new("schema").atom(&SCHEMA_A).schema(1)));
    let first = first.expect("the first process seeds the namespace");
    let refused =
        rt.block_on(Mirror::connect(&server.url(), Options::new("schema").atom(&SCHEMA_B).schema(2)));
    let error = refused.expect_err("another schema is refused");
    assert!(matches!(error, MirrorError::Schema { .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("`schema`") && text.contains("schema 2") && text.contains("schema `1`"), "{text}");
    drop(first);

    // Not a nexus namespace at all.
    let _: () = redis::cmd("HSET")
        .arg("nexus:{other}:meta")
        .arg(&["owner", "someone else"])
        .query(&mut server.connection())
        .expect("HSET");
    let refused = rt.block_on(Mirror::connect(&server.url(), Options::new("other").atom(&SCHEMA_B)));
    assert!(matches!(refused, Err(MirrorError::Schema { .. })), "{refused:?}");

    // Unreachable Redis at connect: `Unavailable`, not a hang.
    let gone =
        rt.block_on(Mirror::connect("redis+unix:///nonexistent/r.sock", Options::new("x").atom(&SCHEMA_B)));
    assert!(matches!(gone, Err(MirrorError::Unavailable { .. })), "{gone:?}");
}

nexus::atom! {
    #[name = "counter"]
    pub static LOCAL_COUNTER: u64 = 0;
    #[name = "flag"]
    pub static LOCAL_FLAG: bool = false;
    #[name = "stamp"]
    pub static LOCAL_STAMP: u64 = 0;
}

#[test]
fn a_store_set_is_local_first_then_published_and_undone_if_redis_is_down() {
    let rt = runtime();
    let mut server = RedisServer::start(true);
    let errors: Arc<Mutex<Vec<MirrorError>>> = Arc::default();
    let options = {
        let errors = errors.clone();
        Options::new("local")
            .atom(&LOCAL_COUNTER)
            .atom(&LOCAL_FLAG)
            .atom(&LOCAL_STAMP)
            .on_error(move |e| errors.lock().unwrap().push(e.clone()))
    };
    let mirror = rt.block_on(Mirror::connect(&server.url(), options)).expect("connect");
    let app = App::new();

    // Local first: this process sees it at once; then it is published, and another process sees it.
    app.set(&LOCAL_COUNTER, 41);
    assert_eq!(app.get(&LOCAL_COUNTER), 41);
    rt.block_on(mirror.flush());
    assert_eq!(redis_counter(&server, "local"), 41);
    let mut other = Replica::spawn(&server.url(), "local", &["count", "1", "0"]);
    let _ = other.line();
    finals(std::slice::from_mut(&mut other), 42);
    eventually("the other process's increment arrives", || app.get(&LOCAL_COUNTER) == 42);
    drop(other);

    // Redis down: the write stays local, is reported, and is undone when the mirror resynchronises.
    server.kill();
    eventually("the mirror says Reconnecting", || mirror.current_status() == Status::Reconnecting);
    app.set(&LOCAL_COUNTER, 1000);
    rt.block_on(mirror.flush());
    assert!(
        errors.lock().unwrap().iter().any(|e| matches!(e, MirrorError::Unavailable { .. })),
        "{:?}",
        errors.lock().unwrap()
    );
    server.restart();
    eventually("the mirror is connected again", || mirror.current_status() == Status::Connected);
    eventually("the unpublished write is undone", || app.get(&LOCAL_COUNTER) == 42);
}

nexus::atom! {
    #[name = "a"]
    pub static MIX_A: u64 = 0;
    #[name = "b"]
    pub static MIX_B: u64 = 0;
    #[name = "c"]
    pub static MIX_C: u64 = 0;
}

nexus::atom! {
    #![store(App)]
    /// Derived from two mirrored atoms.
    pub static MIX_SUM: u64 = computed(|s| s.get(&MIX_A) + s.get(&MIX_B));
}

#[test]
fn a_resync_is_one_change_each_differing_atom_told_once_and_no_derived_mix() {
    let rt = runtime();
    let server = RedisServer::start(false);
    let proxy = Proxy::start(server.socket());
    let options = Options::new("mix").atom(&MIX_A).atom(&MIX_B).atom(&MIX_C).poll(Duration::from_millis(200));
    let mirror = rt.block_on(Mirror::connect(&proxy.url(), options)).expect("connect");
    let app = App::new();
    let told: Arc<Mutex<Vec<String>>> = Arc::default();
    let subscribe = |name: &'static str, atom: &'static nexus::Atom<u64, nexus::Global>| {
        let told = told.clone();
        app.subscribe(atom, move |v| told.lock().unwrap().push(format!("{name}={v}")))
    };
    let _subs = [subscribe("a", &MIX_A), subscribe("b", &MIX_B), subscribe("c", &MIX_C)];
    let _sum = {
        let told = told.clone();
        app.subscribe(&MIX_SUM, move |v| told.lock().unwrap().push(format!("sum={v}")))
    };

    // While this process is cut off, another writes a, then b (a state with only `a` new existed in
    // Redis in between), and c's same value again; those messages never arrive here.
    proxy.set_blackhole(true);
    let mut con = server.connection();
    write_as_another_process(&mut con, "mix", "a", 2, "10");
    write_as_another_process(&mut con, "mix", "b", 2, "20");
    write_as_another_process(&mut con, "mix", "c", 2, "0");
    std::thread::sleep(Duration::from_millis(1500));
    proxy.set_blackhole(false);
    eventually("the resync brings the new values", || app.get(&MIX_SUM) == 30);
    eventually("the mirror is connected", || mirror.current_status() == Status::Connected);

    let mut told = told.lock().unwrap().clone();
    let sums: Vec<&String> = told.iter().filter(|t| t.starts_with("sum=")).collect();
    assert_eq!(sums, ["sum=30"], "the derived atom saw only the state the resync read: {told:?}");
    told.sort();
    assert_eq!(told, ["a=10", "b=20", "sum=30"], "each differing atom told once, c not at all");
}
