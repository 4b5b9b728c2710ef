//! A real `redis-server` for the Redis mirror tests: started on a Unix socket in a temporary directory
//! (so that a restart keeps its address), killed and restarted at will; and a TCP proxy in front of it
//! whose blackhole switch partitions the processes that connect through it.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A `redis-server` this test owns; killed when dropped.
pub struct RedisServer {
    dir: tempfile::TempDir,
    child: Option<Child>,
    aof: bool,
}

impl RedisServer {
    /// Starts `redis-server` (from `PATH`, or `NEXUS_REDIS_SERVER`) on `DIR/r.sock`, no TCP port; with
    /// `aof`, every write is appended and fsynced before it is acknowledged (`appendfsync always`), so
    /// a killed server restarts with every acknowledged write.
    ///
    /// # Panics
    /// If `redis-server` is not installed (`bash scripts/redis-server.sh` installs Debian's) or does not
    /// answer within 10 s.
    pub fn start(aof: bool) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut server = RedisServer { dir, child: None, aof };
        server.restart();
        server
    }

    /// The socket's path.
    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("r.sock")
    }

    /// The URL the mirror connects to.
    pub fn url(&self) -> String {
        format!("redis+unix://{}", self.socket().display())
    }

    /// Starts the server again (after [`kill`](Self::kill)), on the same socket and directory.
    ///
    /// # Panics
    /// As [`start`](Self::start).
    pub fn restart(&mut self) {
        let binary = std::env::var("NEXUS_REDIS_SERVER").unwrap_or_else(|_| "redis-server".to_owned());
        let socket = self.socket();
        let _ = std::fs::remove_file(&socket);
        let mut command = Command::new(&binary);
        command
            .args(["--port", "0", "--unixsocket"])
            .arg(&socket)
            .args(["--unixsocketperm", "700", "--dir"])
            .arg(self.dir.path())
            .args(["--save", "", "--daemonize", "no", "--loglevel", "warning"])
            .args(if self.aof {
                ["--appendonly", "yes", "--appendfsync", "always"]
            } else {
                ["--appendonly", "no", "--appendfsync", "no"]
            })
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        let child = command.spawn().unwrap_or_else(|e| {
            panic!(
                "could not start `{binary}` ({e}): the Redis mirror tests need Debian's redis-server \
                 (`bash scripts/redis-server.sh` installs it, or set NEXUS_REDIS_SERVER)"
            )
        });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.ping().is_err() {
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer on {} within 10 s",
                socket.display()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn ping(&self) -> redis::RedisResult<()> {
        let mut con = self.connection_once()?;
        redis::cmd("PING").query::<String>(&mut con).map(drop)
    }

    fn connection_once(&self) -> redis::RedisResult<redis::Connection> {
        redis::Client::open(self.url())?.get_connection_with_timeout(Duration::from_secs(2))
    }

    /// A blocking connection, for the test's own commands.
    ///
    /// # Panics
    /// If the server does not answer.
    pub fn connection(&self) -> redis::Connection {
        self.connection_once().expect("a connection to the test's redis-server")
    }

    /// Kills the server (`SIGKILL`: no shutdown, no last save) and waits for it to be gone.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The directory it keeps its files in.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A TCP proxy on loopback in front of a Unix socket; [`set_blackhole`](Self::set_blackhole) makes it
/// drop every byte both ways without closing anything (a network partition: the peers hear nothing,
/// not even a reset).
pub struct Proxy {
    port: u16,
    blackhole: Arc<AtomicBool>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards each connection to `socket`.
    ///
    /// # Panics
    /// If it cannot listen.
    pub fn start(socket: PathBuf) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("listen on loopback");
        let port = listener.local_addr().expect("its address").port();
        let blackhole = Arc::new(AtomicBool::new(false));
        let hole = blackhole.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let Ok(server) = UnixStream::connect(&socket) else { continue };
                let (c2, s2) = (client.try_clone().expect("clone"), server.try_clone().expect("clone"));
                let (h1, h2) = (hole.clone(), hole.clone());
                std::thread::spawn(move || pump(client, server, &h1));
                std::thread::spawn(move || pump(s2, c2, &h2));
            }
        });
        Proxy { port, blackhole }
    }

    /// The URL to connect through it.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Partitions (`true`) or heals (`false`).
    pub fn set_blackhole(&self, on: bool) {
        self.blackhole.store(on, Ordering::SeqCst);
    }
}

fn pump(mut from: impl Read, mut to: impl Write, blackhole: &AtomicBool) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if blackhole.load(Ordering::SeqCst) {
            continue;
        }
        if to.write_all(&buf[..n]).is_err() {
            return;
        }
    }
}
