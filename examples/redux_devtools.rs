//! Two store instances in the Redux DevTools UI, each its own instance there.
//!
//! Start the official server first (it serves the UI too), then this example, then open the UI:
//!
//! ```sh
//! npx @redux-devtools/cli --port 8000          # leave it running
//! cargo run --example redux_devtools -- --port 8000 --seconds 120
//! # open http://localhost:8000 and pick "checkout#…" or "cart#…" in the instance list
//! ```
//!
//! Every change shows up as an action (`SET CLICKS`, `BATCH SET ITEMS, SET TOTAL_CENTS`); jumping in the
//! UI moves the store, which this program prints. Without a server the store runs all the same and the
//! bridge says once that it cannot connect.

use std::time::{Duration, Instant};

use nexus::redux_devtools::{connect, Options};
use serde::{Deserialize, Serialize};

nexus::store! {
    /// One shopper's session.
    pub struct Shop;
}

/// A line of the cart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub name: String,
    pub cents: u64,
}

/// Not `Serialize`: the UI shows its `Debug` text.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub token: u64,
}

nexus::atom! {
    #![store(Shop)]
    /// Button clicks.
    pub static CLICKS: u32 = 0;
    /// The cart.
    pub static ITEMS: Vec<Item> = Vec::new();
    /// Kept in step with `ITEMS` by the program (a batch changes both).
    pub static TOTAL_CENTS: u64 = 0;
    /// An opaque session.
    pub static SESSION: Session = Session { token: 0 };
    /// Derived: not part of the state the UI shows (it follows from it).
    pub static SUMMARY: String = computed(|s| format!("{} items, {} cents", s.with(&ITEMS, Vec::len), s.get(&TOTAL_CENTS)));
}

fn main() {
    let mut port = 8000;
    let mut seconds = 10u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse::<u64>().ok());
        match (arg.as_str(), value) {
            ("--port", Some(p)) => port = u16::try_from(p).expect("--port is a port number"),
            ("--seconds", Some(s)) => seconds = s,
            _ => {
                eprintln!("usage: redux_devtools [--port 8000] [--seconds 10]");
                std::process::exit(2);
            }
        }
    }

    let checkout = Shop::new();
    let cart = Shop::new();
    let options = Options::default().port(port);
    let checkout_bridge = connect(&checkout, options.clone().name(format!("checkout#{}", checkout.id())));
    let cart_bridge = connect(&cart, options.name(format!("cart#{}", cart.id())));
    let _print = checkout.subscribe(&SUMMARY, |summary| println!("checkout: {summary}"));
    checkout.set(&SESSION, Session { token: 0x5eed });

    if checkout_bridge.wait_connected(Duration::from_secs(2)) {
        println!("connected to 127.0.0.1:{port}: open http://localhost:{port} to watch");
    } else {
        println!("no Redux DevTools server on 127.0.0.1:{port}; the stores run anyway");
    }

    let products = [("tea", 450), ("bread", 320), ("apples", 290), ("cheese", 780)];
    let started = Instant::now();
    let mut tick = 0usize;
    while started.elapsed() < Duration::from_secs(seconds) {
        tick += 1;
        checkout.update(&CLICKS, |c| *c += 1);
        if tick % 2 == 0 {
            let (name, cents) = products[(tick / 2) % products.len()];
            checkout.batch(|| {
                checkout.update(&ITEMS, |items| items.push(Item { name: name.to_owned(), cents }));
                checkout.update(&TOTAL_CENTS, |t| *t += cents);
            });
        }
        if tick % 3 == 0 {
            cart.update(&CLICKS, |c| *c += 10);
        }
        std::thread::sleep(Duration::from_millis(700).min(Duration::from_secs(seconds) / 4));
    }
    println!(
        "checkout: {} clicks; bridge {:?}\ncart: {} clicks; bridge {:?}",
        checkout.get(&CLICKS),
        checkout_bridge.status(),
        cart.get(&CLICKS),
        cart_bridge.status()
    );
}
