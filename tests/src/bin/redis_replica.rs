//! A replica of a service, for `tests/redis_mirror.rs`: a process of its own (the global registry is
//! process-wide) that mirrors three `Global` atoms through Redis and reports on stdout.
//!
//! Usage: `redis_replica URL NAMESPACE count N MAX_PAUSE_US`: `N` `mirror.update(&COUNTER, +1)` with
//! random pauses, then `done acked=… unavailable=… unconfirmed=… lagging=… contention=… other=…`;
//! afterwards each stdin line `expect V` waits (up to 10 s) until its counter reads `V` and answers
//! `final value=… version=… increasing=… statuses=…`.
//! `redis_replica URL NAMESPACE latency-write N`: `N` `mirror.set(&STAMP, now)` 2 ms apart.
//! `redis_replica URL NAMESPACE latency-read`: on stdin `report`, the propagation delays of the stamps
//! it saw (`latency n=… p50_us=… p99_us=…`).

// Native only (processes, Redis): on wasm32 the bin is empty.
#![cfg_attr(target_arch = "wasm32", allow(unused))]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

nexus::store! {
    /// A replica's view of the shared atoms.
    #[mode(global)]
    pub struct Replica;
}

nexus::atom! {
    #[name = "counter"]
    pub static COUNTER: u64 = 0;
    #[name = "flag"]
    pub static FLAG: bool = false;
    #[name = "stamp"]
    pub static STAMP: u64 = 0;
}

fn now_ns() -> u64 {
    u64::try_from(SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_nanos()).expect("fits")
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (url, namespace, mode) = (&args[1], &args[2], args[3].as_str());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let options = nexus::redis::Options::new(namespace.as_str())
            .atom(&COUNTER)
            .atom(&FLAG)
            .atom(&STAMP)
            .on_error(|e| eprintln!("replica {}: {e}", std::process::id()));
        let mirror = Arc::new(nexus::redis::Mirror::connect(url, options).await.expect("connect to Redis"));
        let replica = Replica::new();
        match mode {
            "count" => {
                count(&mirror, &replica, args[4].parse().expect("N"), args[5].parse().expect("pause")).await;
            }
            "latency-write" => {
                for _ in 0..args[4].parse::<u32>().expect("N") {
                    mirror.set(&STAMP, now_ns()).await.expect("set the stamp");
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
                println!("done");
            }
            "latency-read" => latency_read(&replica).await,
            other => panic!("unknown mode {other}"),
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
async fn count(mirror: &Arc<nexus::redis::Mirror>, replica: &Replica, n: u32, max_pause_us: u64) {
    use nexus::redis::MirrorError;
    // What the subscriber saw: values with the versions the mirror knew then.
    let seen: Arc<Mutex<Vec<(u64, nexus::redis::Version)>>> = Arc::default();
    let _sub = {
        let seen = seen.clone();
        let mirror = mirror.clone();
        replica.subscribe(&COUNTER, move |&v| {
            seen.lock().expect("lock").push((v, mirror.version(&COUNTER).expect("mirrored")));
        })
    };
    let statuses: Arc<Mutex<Vec<(nexus::redis::Status, u128)>>> = Arc::default();
    let _status = {
        let statuses = statuses.clone();
        replica.subscribe(mirror.status(), move |&s| {
            let ms = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_millis();
            statuses.lock().expect("lock").push((s, ms));
        })
    };
    let mut rng = u64::from(std::process::id()).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let (mut acked, mut unavailable, mut unconfirmed, mut lagging, mut contention, mut other) =
        (0, 0, 0, 0, 0, 0);
    for _ in 0..n {
        match mirror.update(&COUNTER, |c| c + 1).await {
            Ok(_) => acked += 1,
            Err(MirrorError::Unavailable { .. }) => unavailable += 1,
            Err(MirrorError::Unconfirmed { .. }) => unconfirmed += 1,
            // Redis ordered it: acknowledged, only not yet seen here.
            Err(MirrorError::Lagging { .. }) => lagging += 1,
            Err(MirrorError::Contention { .. }) => contention += 1,
            Err(e) => {
                eprintln!("replica {}: {e}", std::process::id());
                other += 1;
            }
        }
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        if max_pause_us > 0 {
            tokio::time::sleep(Duration::from_micros(rng % max_pause_us)).await;
        }
    }
    println!("done acked={acked} unavailable={unavailable} unconfirmed={unconfirmed} lagging={lagging} contention={contention} other={other}");
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(tokio::io::stdin()));
    while let Ok(Some(line)) = lines.next_line().await {
        let Some(expected) = line.strip_prefix("expect ") else { continue };
        let expected: u64 = expected.trim().parse().expect("a number");
        let deadline = Instant::now() + Duration::from_secs(10);
        while replica.get(&COUNTER) != expected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let seen = seen.lock().expect("lock").clone();
        let increasing = seen.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1);
        let statuses: Vec<String> =
            statuses.lock().expect("lock").iter().map(|(s, ms)| format!("{s:?}@{ms}")).collect();
        println!(
            "final value={} version={} increasing={increasing} first={} notified={} statuses={}",
            replica.get(&COUNTER),
            mirror.version(&COUNTER).expect("mirrored"),
            seen.first().map_or(0, |s| s.0),
            seen.len(),
            statuses.join(",")
        );
    }
}

#[cfg(not(target_arch = "wasm32"))]
async fn latency_read(replica: &Replica) {
    let delays: Arc<Mutex<Vec<u64>>> = Arc::default();
    let _sub = {
        let delays = delays.clone();
        replica.subscribe(&STAMP, move |&stamp| {
            delays.lock().expect("lock").push(now_ns().saturating_sub(stamp));
        })
    };
    println!("ready");
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(tokio::io::stdin()));
    while let Ok(Some(line)) = lines.next_line().await {
        if line.trim() != "report" {
            continue;
        }
        let mut d = delays.lock().expect("lock").clone();
        d.sort_unstable();
        let at =
            |q: usize| d.get((d.len() * q / 100).min(d.len().saturating_sub(1))).map_or(0, |ns| ns / 1000);
        println!("latency n={} p50_us={} p99_us={}", d.len(), at(50), at(99));
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
