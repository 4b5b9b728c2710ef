//! What the Redux DevTools bridge costs a `set`: the same store without a bridge, with a bridge connected
//! to the real `@redux-devtools/cli` server, and with a bridge whose server is unreachable.
//!
//! Run: `cd benches && ./redux.sh` (installs and starts the server on a free loopback port, then runs
//! this with `NEXUS_REDUX_DEVTOOLS_SERVER=127.0.0.1:<port>`).

use std::hint::black_box;
use std::net::TcpListener;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use nexus::redux_devtools::{connect, Options};
use nexus::Store as _;

nexus::store! {
    /// The measured store.
    pub struct Shop;
}

nexus::atom! {
    #![store(Shop)]
    pub static CLICKS: u64 = 0;
}

fn server() -> (String, u16) {
    let addr = std::env::var("NEXUS_REDUX_DEVTOOLS_SERVER")
        .expect("NEXUS_REDUX_DEVTOOLS_SERVER=host:port of a running @redux-devtools/cli (run ./redux.sh)");
    let (host, port) = addr.rsplit_once(':').expect("host:port");
    (host.to_owned(), port.parse().expect("a port number"))
}

fn sets(c: &mut Criterion) {
    let (host, port) = server();
    let mut g = c.benchmark_group("set_with_redux_devtools");
    g.measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_millis(500)).sample_size(30);

    let plain = Shop::new();
    let mut i = 0u64;
    g.bench_function("no_bridge", |b| {
        b.iter(|| {
            i += 1;
            plain.set(&CLICKS, black_box(i));
        });
    });

    // The store's side of any plugin (recording the change, delivering it after the lock), for scale.
    struct Noop;
    impl nexus::Plugin for Noop {}
    let observed = Shop::new();
    observed.add_plugin(std::sync::Arc::new(Noop));
    let mut i = 0u64;
    g.bench_function("noop_plugin", |b| {
        b.iter(|| {
            i += 1;
            observed.set(&CLICKS, black_box(i));
        });
    });

    let store = Shop::new();
    let bridge = connect(&store, Options::default().host(host).port(port).name("bench"));
    assert!(bridge.wait_connected(Duration::from_secs(10)), "{:?}", bridge.status());
    let mut i = 0u64;
    g.bench_function("bridge_connected", |b| {
        b.iter(|| {
            i += 1;
            store.set(&CLICKS, black_box(i));
        });
    });

    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let offline = Shop::new();
    let offline_bridge = connect(&offline, Options::default().port(closed).name("bench-offline"));
    let mut i = 0u64;
    g.bench_function("bridge_server_down", |b| {
        b.iter(|| {
            i += 1;
            offline.set(&CLICKS, black_box(i));
        });
    });
    g.finish();
    eprintln!("connected bridge: {:?}", bridge.status());
    eprintln!("offline bridge: {:?}", offline_bridge.status());
}

criterion_group!(benches, sets);
criterion_main!(benches);
