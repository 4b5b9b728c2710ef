//! A graph as deep as you like on a small stack: a chain of derived atoms built in a loop, read, changed,
//! watched and dropped on a thread with a 2 MiB stack (the size of a tokio worker thread), with the time
//! of each step.
//!
//! Run with `cargo run --release --example deep_graph -- --len 1000000` (default length: 100,000).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use nexus::{Atom, Computed};

nexus::store! {
    /// Holds the chain's values.
    pub struct Sheet;
}

fn main() {
    let len = parse_len();
    let report = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || run(len))
        .expect("spawn a thread with a 2 MiB stack")
        .join()
        .expect("the chain's thread finished");
    println!("chain of {len} derived atoms on a 2 MiB stack");
    for (step, millis) in report {
        println!("  {step:<38} {millis:>9.1} ms");
    }
}

fn run(len: u64) -> Vec<(&'static str, f64)> {
    let mut report = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |step: &'static str, report: &mut Vec<(&'static str, f64)>| {
        report.push((step, clock.elapsed().as_secs_f64() * 1e3));
        clock = Instant::now();
    };

    let store = Sheet::new();
    let head = Atom::<u64, Sheet>::new(0);
    // Each link's closure holds the link before it: the chain is kept alive by its tail alone.
    let first = {
        let head = head.clone();
        Computed::<u64, Sheet>::new(move |s| s.get(&head) + 1)
    };
    let tail = (1..len).fold(first, |prev, _| Computed::<u64, Sheet>::new(move |s| s.get(&prev) + 1));
    lap("build", &mut report);

    assert_eq!(store.get(&tail), len);
    lap("first read (evaluates every link)", &mut report);

    store.set(&head, 1);
    assert_eq!(store.get(&tail), len + 1);
    lap("set the head, read the tail", &mut report);

    let seen = Arc::new(AtomicU64::new(0));
    let subscription = {
        let seen = seen.clone();
        store.subscribe(&tail, move |v| seen.store(*v, Ordering::Relaxed))
    };
    store.set(&head, 2);
    assert_eq!(seen.load(Ordering::Relaxed), len + 2);
    lap("subscribe, set: the tail's subscriber", &mut report);

    drop(subscription);
    drop(store);
    lap("drop the store", &mut report);

    drop(tail);
    lap("drop the chain (its last handle)", &mut report);
    report
}

fn parse_len() -> u64 {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (None, _) => 100_000,
        (Some("--len"), Some(n)) => n.parse().ok().filter(|&n| n > 0).unwrap_or_else(|| usage()),
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!("usage: deep_graph [--len N]   (N ≥ 1)");
    std::process::exit(2)
}
