//! Three replicas of a service sharing a feature flag and a counter through Redis
//! (`nexus::redis`, feature `redis`).
//!
//! `cargo run --example replicas` starts a `redis-server` of its own on a Unix socket in a temporary
//! directory (Debian's `redis-server` on the `PATH`: `bash scripts/redis-server.sh` installs it), or uses
//! `REDIS_URL` if set; then runs three replica processes (this program again, `--replica N URL NS`). Each
//! counts 100 visits with `mirror.update` (compare-and-set: none is lost), replica 0 turns the feature
//! flag on with a plain `store.set` (local first, then published), and each prints what it converged to.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nexus::redis::{Mirror, Options};

nexus::store! {
    /// What a replica's request handlers read: global mode, so it sees the mirrored `Global` atoms.
    #[mode(global)]
    pub struct Service;
}

nexus::atom! {
    /// A feature flag every replica must agree on.
    #[name = "new_checkout"]
    pub static NEW_CHECKOUT: bool = false;
    /// Visits counted by all replicas together.
    #[name = "visits"]
    pub static VISITS: u64 = 0;
}

const REPLICAS: u64 = 3;
const VISITS_EACH: u64 = 100;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--replica") {
        replica(args[1].parse().expect("a replica number"), &args[2], &args[3]);
        return;
    }
    // A namespace of this run's own, so that a shared `REDIS_URL` starts from zero.
    let namespace = format!("replicas-example-{}", std::process::id());
    let (url, mut server, dir) = if let Ok(url) = std::env::var("REDIS_URL") {
        (url, None, None)
    } else {
        let dir = std::env::temp_dir().join(format!("nexus-replicas-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let socket = dir.join("redis.sock");
        let server = Command::new("redis-server")
            .args(["--port", "0", "--unixsocket"])
            .arg(&socket)
            .arg("--dir")
            .arg(&dir)
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("start redis-server (install it with `bash scripts/redis-server.sh`, or set REDIS_URL)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !socket.exists() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(10));
        }
        (format!("redis+unix://{}", socket.display()), Some(server), Some(dir))
    };
    println!("Redis at {url}, namespace `{namespace}`: {REPLICAS} replicas, {VISITS_EACH} visits each");
    let exe = std::env::current_exe().expect("this program");
    let children: Vec<_> = (0..REPLICAS)
        .map(|n| {
            Command::new(&exe)
                .args(["--replica", &n.to_string(), &url, &namespace])
                .stdout(Stdio::piped())
                .spawn()
                .expect("start a replica")
        })
        .collect();
    let mut all_converged = true;
    for child in children {
        let out = child.wait_with_output().expect("a replica's output");
        print!("{}", String::from_utf8_lossy(&out.stdout));
        all_converged &= out.status.success();
    }
    if let Some(server) = server.as_mut() {
        let _ = server.kill();
        let _ = server.wait();
    }
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    assert!(all_converged, "a replica did not converge");
    println!("all {REPLICAS} replicas converged");
}

/// One replica: mirrors the two atoms, counts its visits, and waits until it sees everyone's.
#[tokio::main(flavor = "current_thread")]
async fn replica(n: u64, url: &str, namespace: &str) {
    let options = Options::new(namespace).atom(&NEW_CHECKOUT).atom(&VISITS);
    let mirror = Mirror::connect(url, options).await.expect("connect to Redis");
    let service = Service::new();
    let started = Instant::now();
    for _ in 0..VISITS_EACH {
        mirror.update(&VISITS, |v| v + 1).await.expect("count a visit");
    }
    if n == 0 {
        // A plain write on a global-mode store: this process sees it at once, the others once Redis has it.
        service.set(&NEW_CHECKOUT, true);
        // Published in the background: before this process may exit, wait until Redis has it.
        mirror.flush().await;
    }
    let total = REPLICAS * VISITS_EACH;
    let deadline = Instant::now() + Duration::from_secs(10);
    while (service.get(&VISITS), service.get(&NEW_CHECKOUT)) != (total, true) {
        if Instant::now() > deadline {
            println!(
                "replica {n}: did not converge: visits={} flag={}",
                service.get(&VISITS),
                service.get(&NEW_CHECKOUT)
            );
            std::process::exit(1);
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    println!(
        "replica {n}: visits={total} new_checkout=true, version {} of `visits`, converged after {:?}",
        mirror.version(&VISITS).expect("mirrored"),
        started.elapsed()
    );
}
