//! Bytes per empty store and per touched primitive atom, measured with a counting allocator.
//! (The timed benchmarks live in `benches/side_by_side.rs`; `./run.sh` runs both.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

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

fn main() {
    let atoms: Vec<nexus::Atom<u64, Sized>> = (0..1_000).map(nexus::Atom::new).collect();
    // Warm up lazies (slot spaces, thread locals) with a throw-away store.
    let warm = Sized::new();
    for a in &atoms {
        warm.get(a);
    }
    drop(warm);

    let before = LIVE.load(Ordering::SeqCst);
    let stores: Vec<Sized> = (0..1_000).map(|_| Sized::new()).collect();
    let empty = (LIVE.load(Ordering::SeqCst) - before) as f64 / 1_000.0 - std::mem::size_of::<Sized>() as f64;
    drop(stores);

    let store = Sized::new();
    let before = LIVE.load(Ordering::SeqCst);
    for a in &atoms {
        store.get(a);
    }
    let per_atom = (LIVE.load(Ordering::SeqCst) - before) as f64 / 1_000.0;
    println!(
        "empty store: {empty:.0} bytes on the heap + {} bytes for the handle",
        std::mem::size_of::<Sized>()
    );
    println!("per touched primitive u64 atom (1,000 touched, amortised): {per_atom:.0} bytes");
}
