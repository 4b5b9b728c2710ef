//! Memory: bytes per empty store, per touched primitive atom, per derived atom and per edge, the server
//! shape (10,000 stores × 50 atoms), beside leptos `reactive_graph` (same counting allocator) and
//! alien-signals (node's heap, `alien/memory.mjs`, read from `target/alien-memory.json` when `./run.sh`
//! wrote it). (The timed benchmarks live in `benches/side_by_side.rs`; `./run.sh` runs both.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use reactive_graph::computed::ArcMemo;
use reactive_graph::prelude::*;
use reactive_graph::signal::ArcRwSignal;

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards every call to `System` unchanged; only counts the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

nexus::store! {
    /// Measured store.
    pub struct Sized;
}

fn live() -> f64 {
    LIVE.load(Ordering::SeqCst) as f64
}

/// Heap bytes per item that `make` adds, over `n` items kept alive until after the count.
fn per_item<T>(n: usize, mut make: impl FnMut(usize) -> T) -> f64 {
    let mut keep = Vec::with_capacity(n);
    let before = live();
    for i in 0..n {
        keep.push(make(i));
    }
    let bytes = (live() - before) / n as f64 - std::mem::size_of::<T>() as f64;
    drop(keep);
    bytes
}

fn main() {
    const N: usize = 1_000;
    let atoms: Vec<nexus::Atom<u64, Sized>> = (0..N as u64).map(nexus::Atom::new).collect();
    let one: Vec<nexus::Computed<u64, Sized>> = atoms
        .iter()
        .map(|a| {
            let a = a.clone();
            nexus::Computed::new(move |s| s.get(&a) + 1)
        })
        .collect();
    let two: Vec<nexus::Computed<u64, Sized>> = atoms
        .iter()
        .zip(atoms.iter().rev())
        .map(|(a, b)| {
            let (a, b) = (a.clone(), b.clone());
            nexus::Computed::new(move |s| s.get(&a) + s.get(&b))
        })
        .collect();
    // Warm up lazies (slot spaces, thread locals) with a throw-away store.
    let warm = Sized::new();
    for ((a, c), d) in atoms.iter().zip(&one).zip(&two) {
        warm.get(a);
        warm.get(c);
        warm.get(d);
    }
    drop(warm);

    let empty = per_item(N, |_| Sized::new());
    let empty_store_bytes = empty + std::mem::size_of::<Sized>() as f64;

    // Three fresh stores with the same primitives touched: the second adds a derived atom of one source
    // per primitive, the third one of two sources; the differences are per derived atom and per edge.
    let touched = |derived: &[nexus::Computed<u64, Sized>]| {
        let before = live();
        let store = Sized::new();
        for a in &atoms {
            store.get(a);
        }
        for d in derived {
            store.get(d);
        }
        let bytes = live() - before;
        drop(store);
        bytes
    };
    let plain = touched(&[]);
    let per_atom = (plain - empty_store_bytes) / N as f64;
    let per_computed = (touched(&one) - plain) / N as f64;
    let per_computed_two = (touched(&two) - plain) / N as f64;
    // What a run-time atom's definition costs, once per program (shared by every store).
    let atom_def = per_item(N, |i| nexus::Atom::<u64, Sized>::new(i as u64));
    let computed_def = per_item(N, |i| {
        let a = atoms[i].clone();
        nexus::Computed::<u64, Sized>::new(move |s| s.get(&a) + 1)
    });

    // The server shape: 10,000 concurrent requests, each store touching 50 atoms.
    let server = per_item(10_000, |_| {
        let s = Sized::new();
        for a in &atoms[..50] {
            s.get(a);
        }
        s
    });

    // reactive_graph: a signal is its definition and its value at once (no store).
    let rg_signal = per_item(N, |i| ArcRwSignal::new(i as u64));
    let rg_sources: Vec<ArcRwSignal<u64>> = (0..N as u64).map(ArcRwSignal::new).collect();
    let rg_memo = per_item(N, |i| {
        let s = rg_sources[i].clone();
        let m = ArcMemo::new(move |_| s.get() + 1);
        m.get();
        m
    });

    let alien = std::fs::read_to_string("target/alien-memory.json").ok();
    let field = |name: &str| -> Option<f64> {
        let text = alien.as_deref()?;
        let at = text.find(&format!("\"{name}\""))?;
        let rest = text[at..].split_once(':')?.1;
        rest.trim_start().split(|c: char| c == ',' || c == '}' || c.is_whitespace()).next()?.parse().ok()
    };
    let ratio = |nexus: f64, peer: Option<f64>| peer.map_or("—".to_owned(), |p| format!("{:.2}", nexus / p));
    let show = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{v:.0}"));

    println!("memory (heap bytes; nexus and reactive_graph by a counting allocator, alien-signals by node's heapUsed after gc):");
    println!(
        "empty store: {empty:.0} bytes on the heap + {} bytes for the handle",
        std::mem::size_of::<Sized>()
    );
    println!("per touched primitive u64 atom (1,000 touched, amortised): {per_atom:.0} bytes");
    println!("| | nexus (per store) | nexus definition (once) | reactive_graph | alien-signals | nexus / alien |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| primitive u64 | {per_atom:.0} | {atom_def:.0} | {rg_signal:.0} | {} | {} |",
        show(field("signal")),
        ratio(per_atom, field("signal"))
    );
    println!(
        "| computed, one source | {per_computed:.0} | {computed_def:.0} | {rg_memo:.0} | {} | {} |",
        show(field("computed_one_source")),
        ratio(per_computed, field("computed_one_source"))
    );
    println!("| a derived atom's second edge | {:.0} | | | | |", per_computed_two - per_computed);
    println!("| empty store | {empty:.0} | | | | |");
    println!("| server shape: one store touching 50 atoms | {server:.0} ({:.0} MB for 10,000) | | | | |", server * 10_000.0 / 1e6);
    if alien.is_none() {
        println!("(alien-signals: run `node --expose-gc alien/memory.mjs` first, as ./run.sh does)");
    }
}
