//! nexus's side of `benches/browser.sh`: the workloads of `benches/benches/side_by_side.rs` (get, set,
//! set with 1 subscriber, deep chain 50, broad 50, diamond 5, cellx 100 and 1,000), built the same way,
//! compiled to wasm32 and run in the same page as alien-signals (`page/bench.mjs`).
//!
//! JavaScript calls [`Workload::run`] once per batch; the batch's loop runs inside wasm and is timed there
//! with `performance.now()`, so no JS↔wasm call is made per iteration. Each loop is generic over its
//! fixture's step (one copy per workload), as criterion's `b.iter` closure and V8's inlined `step` are.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds, as coarse as the page's clock (Chromium: 100 µs unless the page
    /// is cross-origin isolated). Batches are sized to ~20 ms by the page.
    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;

    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Natively (`examples/native.rs`: the same fixtures on x86-64, to see what wasm costs), milliseconds
/// since the first call.
#[cfg(not(target_arch = "wasm32"))]
fn performance_now() -> f64 {
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    EPOCH.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1e3
}

/// A panic on wasm32 traps with "unreachable"; print its message first so the page can show it.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| console_error(&info.to_string())));
}

nexus::store! {
    /// The store every workload runs in (a fresh one per workload).
    pub struct Bench;
}

nexus::atom! {
    #![store(Bench)]
    /// The atom of `get` and the `set` workloads (declared, as in the native bench).
    pub static VALUE: u64 = 0;
}

type A = nexus::Atom<i64, Bench>;
type C = nexus::Computed<i64, Bench>;

fn computed(f: impl Fn(&mut nexus::Reader<'_, Bench>) -> i64 + Send + Sync + 'static) -> C {
    nexus::Computed::new(f)
}

/// Adds `n` to an observer's counter: a relaxed load and store, as in the native bench (alien-signals'
/// effects bump a plain number).
#[inline]
fn bump(counter: &AtomicU64, n: u64) {
    counter.store(counter.load(Ordering::Relaxed) + n, Ordering::Relaxed);
}

fn sink() -> Arc<AtomicU64> {
    Arc::new(AtomicU64::new(0))
}

fn observe(store: &Bench, c: &C, count: &Arc<AtomicU64>) -> nexus::Subscription {
    let count = count.clone();
    store.subscribe(c, move |v| {
        bump(&count, 1);
        black_box(v);
    })
}

/// What a batch must have made the observers do, checked after the timed loop (outside it).
enum Check {
    /// The counter moved by at least this much per iteration.
    PerIteration(Arc<AtomicU64>, u64),
    /// The counter moved by exactly the number of odd `i`s in the batch (`set` with 1 subscriber adds
    /// the low bit of each value, as the native bench does).
    OddValues(Arc<AtomicU64>),
    /// After the batch, `VALUE` holds the batch's last `i` (`set` with no subscriber).
    LastWritten(Bench),
    /// Nothing to count (`get`: its reads are `black_box`ed).
    None,
}

struct Fixture<F> {
    step: F,
    check: Check,
    /// The next `i` (starts at 10, as `bench.mjs`: no fixture starts with it, so the first write changes
    /// something).
    next: i64,
}

/// A workload's fixture: `run(n)` runs `n` iterations and checks what the observers did.
pub trait Run {
    /// Runs `n` iterations and returns the milliseconds they took, measured inside wasm.
    fn run(&mut self, n: u32) -> Result<f64, String>;
}

impl<F: FnMut(i64)> Run for Fixture<F> {
    fn run(&mut self, n: u32) -> Result<f64, String> {
        let before = match &self.check {
            Check::PerIteration(c, _) | Check::OddValues(c) => c.load(Ordering::Relaxed),
            _ => 0,
        };
        let (start, end) = (self.next, self.next + i64::from(n));
        let t0 = performance_now();
        for i in start..end {
            (self.step)(i);
        }
        let t1 = performance_now();
        self.next = end;
        let moved = |c: &AtomicU64| c.load(Ordering::Relaxed) - before;
        match &self.check {
            Check::PerIteration(c, per) if moved(c) < per * u64::from(n) => {
                return Err(format!(
                    "the observers' counter moved by {} over {n} iterations, expected at least {}",
                    moved(c),
                    per * u64::from(n)
                ));
            }
            Check::OddValues(c) => {
                let odd = (end / 2 - start / 2).cast_unsigned();
                if moved(c) != odd {
                    return Err(format!(
                        "the subscriber added {} over {n} iterations, expected {odd}",
                        moved(c)
                    ));
                }
            }
            Check::LastWritten(store) if store.get(&VALUE) != (end - 1).cast_unsigned() => {
                return Err(format!("VALUE is {} after the batch, expected {}", store.get(&VALUE), end - 1));
            }
            _ => {}
        }
        Ok(t1 - t0)
    }
}

fn fixture(step: impl FnMut(i64) + 'static, check: Check) -> Box<dyn Run> {
    Box::new(Fixture { step, check, next: 10 })
}

// ---------------------------------------------------------------- the workloads (as side_by_side.rs)

fn get() -> Box<dyn Run> {
    let store = Bench::new();
    store.set(&VALUE, 1);
    fixture(
        move |_| {
            black_box(store.get(black_box(&VALUE)));
        },
        Check::None,
    )
}

fn set_0_subscribers() -> Box<dyn Run> {
    let store = Bench::new();
    let check = Check::LastWritten(store.clone());
    fixture(move |i| store.set(black_box(&VALUE), i.cast_unsigned()), check)
}

fn set_1_subscriber() -> Box<dyn Run> {
    let store = Bench::new();
    let seen = sink();
    let sub = {
        let s = seen.clone();
        store.subscribe(&VALUE, move |v| bump(&s, *v & 1))
    };
    fixture(
        move |i| {
            store.set(black_box(&VALUE), i.cast_unsigned());
            let _ = &sub;
        },
        Check::OddValues(seen),
    )
}

fn deep_chain(len: usize) -> Box<dyn Run> {
    let store = Bench::new();
    let head = A::new(0);
    let mut cur = {
        let h = head.clone();
        computed(move |s| s.get(&h))
    };
    for _ in 0..len {
        let p = cur.clone();
        cur = computed(move |s| s.get(&p) + 1);
    }
    let count = sink();
    let sub = observe(&store, &cur, &count);
    fixture(
        move |i| {
            store.set(&head, i);
            let _ = &sub;
        },
        Check::PerIteration(count, 1),
    )
}

fn broad(width: i64) -> Box<dyn Run> {
    let store = Bench::new();
    let head = A::new(0);
    let count = sink();
    let subs: Vec<nexus::Subscription> = (0..width)
        .map(|k| {
            let h = head.clone();
            let c1 = computed(move |s| s.get(&h) + k);
            let c2 = computed(move |s| s.get(&c1) + 1);
            observe(&store, &c2, &count)
        })
        .collect();
    fixture(
        move |i| {
            store.set(&head, i);
            let _ = &subs;
        },
        Check::PerIteration(count, width.cast_unsigned()),
    )
}

fn diamond(width: usize) -> Box<dyn Run> {
    let store = Bench::new();
    let head = A::new(0);
    let branches: Vec<C> = (0..width)
        .map(|_| {
            let h = head.clone();
            computed(move |s| s.get(&h) + 1)
        })
        .collect();
    let sum = computed(move |s| branches.iter().map(|b| s.get(b)).sum());
    let count = sink();
    let sub = observe(&store, &sum, &count);
    fixture(
        move |i| {
            store.set(&head, i);
            let _ = &sub;
        },
        Check::PerIteration(count, 1),
    )
}

struct Layer<T> {
    a: T,
    b: T,
    c: T,
    d: T,
}

fn cellx(layers: usize) -> Box<dyn Run> {
    let store = Bench::new();
    let sources = [A::new(1), A::new(2), A::new(3), A::new(4)];
    let mut prev = {
        let [a, b, c, d] = sources.clone();
        Layer {
            a: computed(move |s| s.get(&a)),
            b: computed(move |s| s.get(&b)),
            c: computed(move |s| s.get(&c)),
            d: computed(move |s| s.get(&d)),
        }
    };
    for _ in 0..layers {
        let (pa, pb, pc, pd) = (prev.a.clone(), prev.b.clone(), prev.c.clone(), prev.d.clone());
        let (pb2, pc2) = (pb.clone(), pc.clone());
        prev = Layer {
            a: computed(move |s| s.get(&pb)),
            b: computed(move |s| s.get(&pa) - s.get(&pc)),
            c: computed(move |s| s.get(&pb2) + s.get(&pd)),
            d: computed(move |s| s.get(&pc2)),
        };
    }
    let count = sink();
    let subs = [
        observe(&store, &prev.a, &count),
        observe(&store, &prev.b, &count),
        observe(&store, &prev.c, &count),
        observe(&store, &prev.d, &count),
    ];
    fixture(
        move |i| {
            store.batch(|| {
                for (k, s) in (0..).zip(&sources) {
                    store.set(s, i + k);
                }
            });
            black_box((store.get(&prev.a), store.get(&prev.d)));
            let _ = &subs;
        },
        // Sources (i, i+1, i+2, i+3): 3 of the 4 leaves change on every write (as bench.mjs).
        Check::PerIteration(count, 3),
    )
}

/// The workload ids, as criterion's group names and `bench.mjs`'s fixtures.
pub const WORKLOADS: [&str; 8] = [
    "get",
    "set_0_subscribers",
    "set_1_subscriber",
    "deep_chain_50",
    "broad_50",
    "diamond_5",
    "cellx_100",
    "cellx_1000",
];

/// Builds workload `id`'s fixture (a fresh store and graph).
pub fn fixture_for(id: &str) -> Option<Box<dyn Run>> {
    Some(match id {
        "get" => get(),
        "set_0_subscribers" => set_0_subscribers(),
        "set_1_subscriber" => set_1_subscriber(),
        "deep_chain_50" => deep_chain(50),
        "broad_50" => broad(50),
        "diamond_5" => diamond(5),
        "cellx_100" => cellx(100),
        "cellx_1000" => cellx(1000),
        _ => return None,
    })
}

/// Counts allocator calls (`alloc`, `realloc`), to see what a workload allocates per iteration on wasm32
/// (Rust's default allocator there is dlmalloc, in the module).
#[cfg(feature = "count-allocs")]
mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicU64, Ordering};

    pub(crate) static CALLS: AtomicU64 = AtomicU64::new(0);

    struct Counting;

    // SAFETY: forwards every call to `System` unchanged; only counts them.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            CALLS.fetch_add(1, Ordering::Relaxed);
            // SAFETY: the caller's contract.
            unsafe { System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: the caller's contract.
            unsafe { System.dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            CALLS.fetch_add(1, Ordering::Relaxed);
            // SAFETY: the caller's contract.
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }

    #[global_allocator]
    static ALLOCATOR: Counting = Counting;
}

/// Allocator calls per iteration of workload `id`, over `n` iterations after as many unmeasured ones.
#[cfg(feature = "count-allocs")]
#[wasm_bindgen]
pub fn allocations(id: &str, n: u32) -> Result<f64, JsError> {
    use std::sync::atomic::Ordering::Relaxed;
    let mut w = Workload::new(id)?;
    w.run(n)?;
    let before = counting::CALLS.load(Relaxed);
    w.run(n)?;
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    Ok((counting::CALLS.load(Relaxed) - before) as f64 / f64::from(n))
}

/// One workload's fixture, built once; `run(n)` times a batch of `n` iterations inside wasm.
#[wasm_bindgen]
pub struct Workload(Box<dyn Run>);

#[wasm_bindgen]
impl Workload {
    #[wasm_bindgen(constructor)]
    pub fn new(id: &str) -> Result<Workload, JsError> {
        fixture_for(id).map(Workload).ok_or_else(|| JsError::new(&format!("no nexus workload `{id}`")))
    }

    /// Runs `n` iterations; returns their time in milliseconds, measured inside wasm, or an error when
    /// the observers did not do the batch's work.
    pub fn run(&mut self, n: u32) -> Result<f64, JsError> {
        self.0.run(n).map_err(|e| JsError::new(&e))
    }
}
