//! nexus side by side with leptos `reactive_graph` (0.2, signals + memos, synchronous reads, leaves
//! observed by `Effect`s run by a local executor polled after each change) and hand-written baselines,
//! in one criterion run. (`Effect<reactive_graph::owner::SyncStorage>` deadlocks on a set that reaches a memo chain in 0.2.3, so
//! effects go through the executor, as in a Leptos application.)
//!
//! Run: `cd benches && ./run.sh` (or `cargo bench`). Workloads follow js-reactivity-benchmark's "kairo"
//! set and cellx; every derived leaf is observed (a nexus subscriber, a reactive_graph effect), as an
//! application would observe it.

use std::any::Any;
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use futures::executor::{LocalPool, LocalSpawner};
use futures::task::LocalSpawnExt;
use reactive_graph::computed::ArcMemo;
use reactive_graph::effect::Effect;
use reactive_graph::owner::Owner;
use reactive_graph::prelude::*;
use reactive_graph::signal::ArcRwSignal;

nexus::store! {
    /// The store every nexus workload runs in.
    pub struct Bench;
    /// A store type with one declared atom.
    pub struct Small;
    /// A store type with 1,000 declared atoms.
    pub struct Big;
}

nexus::atom! {
    #![store(Bench)]
    pub static VALUE: u64 = 0;
    pub static T0: u64 = 0;
    pub static T1: u64 = 1;
    pub static T2: u64 = 2;
    pub static T3: u64 = 3;
    pub static T4: u64 = 4;
    pub static T5: u64 = 5;
    pub static T6: u64 = 6;
    pub static T7: u64 = 7;
    pub static T8: u64 = 8;
    pub static T9: u64 = 9;
}

nexus::atom! {
    #![store(Small)]
    pub static ONLY: u64 = 0;
}

include!(concat!(env!("OUT_DIR"), "/big_atoms.rs"));

type A = nexus::Atom<i64, Bench>;
type C = nexus::Computed<i64, Bench>;

fn computed(f: impl Fn(&mut nexus::Reader<'_, Bench>) -> i64 + Send + Sync + 'static) -> C {
    nexus::Computed::new(f)
}

/// Adds `n` to an observer's counter: a relaxed load and store, not an atomic read-modify-write. Each
/// bench runs on one thread, and alien-signals' effects bump a plain number: an atomic add (~6.5 ns on
/// this VM) in every Rust callback would be the bench's cost, not the library's.
#[inline]
fn bump(counter: &AtomicU64, n: u64) {
    counter.store(counter.load(Ordering::Relaxed) + n, Ordering::Relaxed);
}

/// Counts observer calls so that no observed value is optimised away.
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

/// A single-threaded executor for reactive_graph's effects, polled after each change.
struct LocalExecutor {
    pool: std::cell::RefCell<LocalPool>,
    spawner: LocalSpawner,
}

impl CustomExecutor for LocalExecutor {
    fn spawn(&self, fut: PinnedFuture<()>) {
        self.spawner.spawn_local(fut).expect("local pool alive");
    }
    fn spawn_local(&self, fut: PinnedLocalFuture<()>) {
        self.spawner.spawn_local(fut).expect("local pool alive");
    }
    fn poll_local(&self) {
        if let Ok(mut pool) = self.pool.try_borrow_mut() {
            pool.run_until_stalled();
        }
    }
}

fn init_reactive_graph() {
    let pool = LocalPool::new();
    let spawner = pool.spawner();
    let _ =
        Executor::init_local_custom_executor(LocalExecutor { pool: std::cell::RefCell::new(pool), spawner });
    Owner::new().set();
}

/// Runs reactive_graph's pending effects.
fn tick() {
    Executor::poll_local();
}

fn effect(m: &ArcMemo<i64>, count: &Arc<AtomicU64>) -> Effect<reactive_graph::owner::SyncStorage> {
    let (m, count) = (m.clone(), count.clone());
    let e = Effect::new_isomorphic(move |_| {
        black_box(m.get());
        bump(&count, 1);
    });
    tick();
    e
}

fn memo(f: impl Fn() -> i64 + Send + Sync + 'static) -> ArcMemo<i64> {
    ArcMemo::new(move |_| f())
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1_200))
        .sample_size(30)
        .without_plots()
}

// ---------------------------------------------------------------- primitives

fn primitives(c: &mut Criterion) {
    init_reactive_graph();
    let mut g = c.benchmark_group("get");
    let store = Bench::new();
    store.set(&VALUE, 1);
    g.bench_function("nexus", |b| b.iter(|| black_box(store.get(black_box(&VALUE)))));
    let lock = parking_lot::RwLock::new(1u64);
    g.bench_function("rwlock", |b| b.iter(|| black_box(*black_box(&lock).read())));
    let signal = ArcRwSignal::new(1u64);
    g.bench_function("reactive_graph", |b| b.iter(|| black_box(signal.get_untracked())));
    g.finish();

    let mut g = c.benchmark_group("set_0_subscribers");
    let mut n = 0u64;
    g.bench_function("nexus", |b| {
        b.iter(|| {
            n += 1;
            store.set(black_box(&VALUE), n);
        });
    });
    g.bench_function("rwlock", |b| {
        b.iter(|| {
            n += 1;
            *black_box(&lock).write() = n;
        });
    });
    // The floor of any thread-safe `set` without a lock: a write that a subscriber or derived atom added
    // at the same moment on another thread cannot miss must order the value's store before a load of the
    // atom's "observed" state (and the observer the reverse), which takes one atomic read-modify-write or
    // full fence on each side. Here the write and the load alone, with no atom to find and no check.
    let word = AtomicU64::new(0);
    let observed_flag = std::sync::atomic::AtomicBool::new(false);
    g.bench_function("floor_swap", |b| {
        b.iter(|| {
            n += 1;
            black_box(&word).swap(n, Ordering::SeqCst);
            black_box(black_box(&observed_flag).load(Ordering::SeqCst));
        });
    });
    g.bench_function("reactive_graph", |b| {
        b.iter(|| {
            n += 1;
            signal.set(n);
        });
    });
    g.finish();

    let mut g = c.benchmark_group("set_1_subscriber");
    let seen = sink();
    let s2 = seen.clone();
    let sub = store.subscribe(&VALUE, move |v| {
        bump(&s2, *v & 1);
    });
    g.bench_function("nexus", |b| {
        b.iter(|| {
            n += 1;
            store.set(black_box(&VALUE), n);
        });
    });
    let observed = ArcRwSignal::new(0u64);
    let s3 = seen.clone();
    let o2 = observed.clone();
    let _effect = Effect::new_isomorphic(move |_| {
        bump(&s3, o2.get() & 1);
    });
    tick();
    g.bench_function("reactive_graph", |b| {
        b.iter(|| {
            n += 1;
            observed.set(n);
            tick();
        });
    });
    let callback = |v: u64| {
        bump(&seen, v & 1);
    };
    g.bench_function("rwlock", |b| {
        b.iter(|| {
            n += 1;
            *black_box(&lock).write() = n;
            callback(n);
        });
    });
    // The floor of a store whose subscribers may use the store (so are called after its lock is
    // released) while other threads subscribe and unsubscribe: the write and the list taken under the
    // lock, the list kept alive by a reference count across the calls, then dropped.
    type Listeners = Arc<Vec<Box<dyn Fn(u64) + Send + Sync>>>;
    let s4 = seen.clone();
    let listeners: Listeners = Arc::new(vec![Box::new(move |v| bump(&s4, v & 1))]);
    let guarded = parking_lot::RwLock::new((0u64, listeners));
    g.bench_function("floor_lock_list", |b| {
        b.iter(|| {
            n += 1;
            let list = {
                let mut g = black_box(&guarded).write();
                g.0 = n;
                g.1.clone()
            };
            for f in list.iter() {
                f(n);
            }
        });
    });
    g.finish();
    drop(sub);

    // The same with 10 subscribers (10 effects in reactive_graph, 10 callbacks after the write by hand).
    let mut g = c.benchmark_group("set_10_subscribers");
    let subs: Vec<nexus::Subscription> = (0..10)
        .map(|_| {
            let s = seen.clone();
            store.subscribe(&VALUE, move |v| {
                bump(&s, *v & 1);
            })
        })
        .collect();
    g.bench_function("nexus", |b| {
        b.iter(|| {
            n += 1;
            store.set(black_box(&VALUE), n);
        });
    });
    let observed10 = ArcRwSignal::new(0u64);
    let effects10: Vec<Effect<reactive_graph::owner::SyncStorage>> = (0..10)
        .map(|_| {
            let (s, o) = (seen.clone(), observed10.clone());
            Effect::new_isomorphic(move |_| {
                bump(&s, o.get() & 1);
            })
        })
        .collect();
    tick();
    g.bench_function("reactive_graph", |b| {
        b.iter(|| {
            n += 1;
            observed10.set(n);
            tick();
        });
    });
    g.bench_function("rwlock", |b| {
        b.iter(|| {
            n += 1;
            *black_box(&lock).write() = n;
            for _ in 0..10 {
                callback(black_box(n));
            }
        });
    });
    g.finish();
    drop((subs, effects10));
}

// ---------------------------------------------------------------- kairo workloads

/// A workload built for one library: `step(i)` makes one change and lets observers run.
trait Workload {
    fn step(&mut self, i: i64);
}

struct Fixture<F: FnMut(i64)>(F);

impl<F: FnMut(i64)> Workload for Fixture<F> {
    fn step(&mut self, i: i64) {
        (self.0)(i);
    }
}

fn run(c: &mut Criterion, name: &str, mut libs: Vec<(&str, Box<dyn Workload>)>) {
    let mut g = c.benchmark_group(name);
    for (lib, w) in &mut libs {
        let mut i = 0i64;
        g.bench_function(BenchmarkId::from_parameter(*lib), |b| {
            b.iter(|| {
                i += 1;
                w.step(i);
            });
        });
    }
    g.finish();
}

fn deep_chain_nexus(len: usize) -> Box<dyn Workload> {
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
    Box::new(Fixture(move |i| {
        store.set(&head, i);
        let _ = &sub;
    }))
}

fn deep_chain_rg(len: usize) -> Box<dyn Workload> {
    let head = ArcRwSignal::new(0i64);
    let mut cur = {
        let h = head.clone();
        memo(move || h.get())
    };
    for _ in 0..len {
        let p = cur.clone();
        cur = memo(move || p.get() + 1);
    }
    let count = sink();
    let e = effect(&cur, &count);
    Box::new(Fixture(move |i| {
        head.set(i);
        tick();
        let _ = &e;
    }))
}

fn deep_chain_baseline(len: usize) -> Box<dyn Workload> {
    let count = sink();
    Box::new(Fixture(move |i| {
        let mut v = black_box(i);
        for _ in 0..len {
            v = black_box(v + 1);
        }
        bump(&count, u64::from(v > 0));
    }))
}

fn broad_nexus(width: i64) -> Box<dyn Workload> {
    let store = Bench::new();
    let head = A::new(0);
    let count = sink();
    let subs: Vec<nexus::Subscription> = (0..width)
        .map(|i| {
            let h = head.clone();
            let c1 = computed(move |s| s.get(&h) + i);
            let c2 = computed(move |s| s.get(&c1) + 1);
            observe(&store, &c2, &count)
        })
        .collect();
    Box::new(Fixture(move |i| {
        store.set(&head, i);
        let _ = &subs;
    }))
}

fn broad_rg(width: i64) -> Box<dyn Workload> {
    let head = ArcRwSignal::new(0i64);
    let count = sink();
    let effects: Vec<Effect<reactive_graph::owner::SyncStorage>> = (0..width)
        .map(|i| {
            let h = head.clone();
            let c1 = memo(move || h.get() + i);
            let c2 = memo(move || c1.get() + 1);
            effect(&c2, &count)
        })
        .collect();
    Box::new(Fixture(move |i| {
        head.set(i);
        tick();
        let _ = &effects;
    }))
}

fn diamond_nexus(width: usize) -> Box<dyn Workload> {
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
    Box::new(Fixture(move |i| {
        store.set(&head, i);
        let _ = &sub;
    }))
}

fn diamond_rg(width: usize) -> Box<dyn Workload> {
    let head = ArcRwSignal::new(0i64);
    let branches: Vec<ArcMemo<i64>> = (0..width)
        .map(|_| {
            let h = head.clone();
            memo(move || h.get() + 1)
        })
        .collect();
    let sum = memo(move || branches.iter().map(reactive_graph::traits::Get::get).sum());
    let count = sink();
    let e = effect(&sum, &count);
    Box::new(Fixture(move |i| {
        head.set(i);
        tick();
        let _ = &e;
    }))
}

fn triangle_nexus(width: usize) -> Box<dyn Workload> {
    let store = Bench::new();
    let head = A::new(0);
    let mut list: Vec<C> = Vec::new();
    let mut cur = {
        let h = head.clone();
        computed(move |s| s.get(&h))
    };
    for _ in 0..width {
        list.push(cur.clone());
        let p = cur.clone();
        cur = computed(move |s| s.get(&p) + 1);
    }
    let sum = computed(move |s| list.iter().map(|c| s.get(c)).sum());
    let count = sink();
    let sub = observe(&store, &sum, &count);
    Box::new(Fixture(move |i| {
        store.set(&head, i);
        let _ = &sub;
    }))
}

fn triangle_rg(width: usize) -> Box<dyn Workload> {
    let head = ArcRwSignal::new(0i64);
    let mut list: Vec<ArcMemo<i64>> = Vec::new();
    let mut cur = {
        let h = head.clone();
        memo(move || h.get())
    };
    for _ in 0..width {
        list.push(cur.clone());
        let p = cur.clone();
        cur = memo(move || p.get() + 1);
    }
    let sum = memo(move || list.iter().map(reactive_graph::traits::Get::get).sum());
    let count = sink();
    let e = effect(&sum, &count);
    Box::new(Fixture(move |i| {
        head.set(i);
        tick();
        let _ = &e;
    }))
}

fn mux_nexus(inputs: usize) -> Box<dyn Workload> {
    let store = Bench::new();
    let heads: Vec<A> = (0..inputs).map(|_| A::new(0)).collect();
    let all = {
        let heads = heads.clone();
        nexus::Computed::<Vec<i64>, Bench>::new(move |s| heads.iter().map(|h| s.get(h)).collect())
    };
    let count = sink();
    let subs: Vec<nexus::Subscription> = (0..inputs)
        .map(|i| {
            let all = all.clone();
            let pick = computed(move |s| s.with(&all, |v| v[i]));
            let plus = computed(move |s| s.get(&pick) + 1);
            observe(&store, &plus, &count)
        })
        .collect();
    Box::new(Fixture(move |i| {
        let idx = usize::try_from(i).unwrap_or(0) % heads.len();
        store.set(&heads[idx], i);
        let _ = &subs;
    }))
}

fn mux_rg(inputs: usize) -> Box<dyn Workload> {
    let heads: Vec<ArcRwSignal<i64>> = (0..inputs).map(|_| ArcRwSignal::new(0)).collect();
    let all: ArcMemo<Vec<i64>> = {
        let heads = heads.clone();
        ArcMemo::new(move |_| heads.iter().map(reactive_graph::traits::Get::get).collect())
    };
    let count = sink();
    let effects: Vec<Effect<reactive_graph::owner::SyncStorage>> = (0..inputs)
        .map(|i| {
            let all = all.clone();
            let pick = memo(move || all.with(|v| v[i]));
            let plus = memo(move || pick.get() + 1);
            effect(&plus, &count)
        })
        .collect();
    Box::new(Fixture(move |i| {
        let idx = usize::try_from(i).unwrap_or(0) % heads.len();
        heads[idx].set(i);
        tick();
        let _ = &effects;
    }))
}

fn repeated_nexus(reads: usize) -> Box<dyn Workload> {
    let store = Bench::new();
    let head = A::new(0);
    let current = {
        let h = head.clone();
        computed(move |s| (0..reads).map(|_| s.get(&h)).sum())
    };
    let count = sink();
    let sub = observe(&store, &current, &count);
    Box::new(Fixture(move |i| {
        store.set(&head, i);
        let _ = &sub;
    }))
}

fn repeated_rg(reads: usize) -> Box<dyn Workload> {
    let head = ArcRwSignal::new(0i64);
    let current = {
        let h = head.clone();
        memo(move || (0..reads).map(|_| h.get()).sum())
    };
    let count = sink();
    let e = effect(&current, &count);
    Box::new(Fixture(move |i| {
        head.set(i);
        tick();
        let _ = &e;
    }))
}

fn unstable_nexus() -> Box<dyn Workload> {
    let store = Bench::new();
    let head = A::new(0);
    let double = {
        let h = head.clone();
        computed(move |s| s.get(&h) * 2)
    };
    let inverse = {
        let h = head.clone();
        computed(move |s| -s.get(&h))
    };
    let current = {
        let h = head.clone();
        computed(move |s| {
            let mut result = 0;
            for _ in 0..20 {
                result += if s.get(&h) % 2 == 0 { s.get(&double) } else { s.get(&inverse) };
            }
            result
        })
    };
    let count = sink();
    let sub = observe(&store, &current, &count);
    Box::new(Fixture(move |i| {
        store.set(&head, i);
        let _ = &sub;
    }))
}

fn unstable_rg() -> Box<dyn Workload> {
    let head = ArcRwSignal::new(0i64);
    let double = {
        let h = head.clone();
        memo(move || h.get() * 2)
    };
    let inverse = {
        let h = head.clone();
        memo(move || -h.get())
    };
    let current = {
        let h = head.clone();
        memo(move || {
            let mut result = 0;
            for _ in 0..20 {
                result += if h.get() % 2 == 0 { double.get() } else { inverse.get() };
            }
            result
        })
    };
    let count = sink();
    let e = effect(&current, &count);
    Box::new(Fixture(move |i| {
        head.set(i);
        tick();
        let _ = &e;
    }))
}

fn kairo(c: &mut Criterion) {
    run(
        c,
        "deep_chain_50",
        vec![
            ("nexus", deep_chain_nexus(50)),
            ("reactive_graph", deep_chain_rg(50)),
            ("baseline", deep_chain_baseline(50)),
        ],
    );
    run(c, "broad_50", vec![("nexus", broad_nexus(50)), ("reactive_graph", broad_rg(50))]);
    run(c, "diamond_5", vec![("nexus", diamond_nexus(5)), ("reactive_graph", diamond_rg(5))]);
    run(c, "triangle_10", vec![("nexus", triangle_nexus(10)), ("reactive_graph", triangle_rg(10))]);
    run(c, "mux_100", vec![("nexus", mux_nexus(100)), ("reactive_graph", mux_rg(100))]);
    run(c, "repeated_50", vec![("nexus", repeated_nexus(50)), ("reactive_graph", repeated_rg(50))]);
    run(c, "unstable", vec![("nexus", unstable_nexus()), ("reactive_graph", unstable_rg())]);
}

// ---------------------------------------------------------------- cellx

struct Layer<T> {
    a: T,
    b: T,
    c: T,
    d: T,
}

fn cellx_nexus(layers: usize) -> Box<dyn Workload> {
    let store = Bench::new();
    let sources = [A::new(1), A::new(2), A::new(3), A::new(4)];
    let first = {
        let [a, b, c, d] = sources.clone();
        Layer {
            a: computed(move |s| s.get(&a)),
            b: computed(move |s| s.get(&b)),
            c: computed(move |s| s.get(&c)),
            d: computed(move |s| s.get(&d)),
        }
    };
    let mut prev = first;
    for _ in 0..layers {
        let (pa, pb, pc, pd) = (prev.a.clone(), prev.b.clone(), prev.c.clone(), prev.d.clone());
        let (pa2, pb2, pc2) = (pa.clone(), pb.clone(), pc.clone());
        let (pb3, pd3) = (pb.clone(), pd.clone());
        prev = Layer {
            a: computed(move |s| s.get(&pb)),
            b: computed(move |s| s.get(&pa2) - s.get(&pc)),
            c: computed(move |s| s.get(&pb2) + s.get(&pd)),
            d: computed(move |s| s.get(&pc2)),
        };
        let _ = (pa, pb3, pd3);
    }
    let count = sink();
    let subs = [
        observe(&store, &prev.a, &count),
        observe(&store, &prev.b, &count),
        observe(&store, &prev.c, &count),
        observe(&store, &prev.d, &count),
    ];
    Box::new(Fixture(move |i| {
        store.batch(|| {
            for (k, s) in sources.iter().enumerate() {
                store.set(s, i + i64::try_from(k).unwrap_or(0));
            }
        });
        black_box((store.get(&prev.a), store.get(&prev.d)));
        let _ = &subs;
    }))
}

fn cellx_rg(layers: usize) -> Box<dyn Workload> {
    let sources = [ArcRwSignal::new(1i64), ArcRwSignal::new(2), ArcRwSignal::new(3), ArcRwSignal::new(4)];
    let first = {
        let [a, b, c, d] = sources.clone();
        Layer {
            a: memo(move || a.get()),
            b: memo(move || b.get()),
            c: memo(move || c.get()),
            d: memo(move || d.get()),
        }
    };
    let mut prev = first;
    for _ in 0..layers {
        let (pa, pb, pc, pd) = (prev.a.clone(), prev.b.clone(), prev.c.clone(), prev.d.clone());
        let (pa2, pb2, pc2) = (pa.clone(), pb.clone(), pc.clone());
        prev = Layer {
            a: memo(move || pb.get()),
            b: memo(move || pa2.get() - pc.get()),
            c: memo(move || pb2.get() + pd.get()),
            d: memo(move || pc2.get()),
        };
        let _ = pa;
    }
    let count = sink();
    let effects =
        [effect(&prev.a, &count), effect(&prev.b, &count), effect(&prev.c, &count), effect(&prev.d, &count)];
    Box::new(Fixture(move |i| {
        for (k, s) in sources.iter().enumerate() {
            s.set(i + i64::try_from(k).unwrap_or(0));
        }
        tick();
        black_box((prev.a.get_untracked(), prev.d.get_untracked()));
        let _ = &effects;
    }))
}

fn cellx(c: &mut Criterion) {
    // reactive_graph 0.2.3's update cost grows about 10x every 5 layers on cellx (12 µs at 5 layers,
    // 7 ms at 20, 77 ms at 25, 0.86 s at 30, measured separately): it cannot run 100 or 1,000 layers, so
    // it is compared at 10 and 20 layers, and nexus alone runs 100 and 1,000.
    run(c, "cellx_10", vec![("nexus", cellx_nexus(10)), ("reactive_graph", cellx_rg(10))]);
    run(c, "cellx_20", vec![("nexus", cellx_nexus(20)), ("reactive_graph", cellx_rg(20))]);
    run(c, "cellx_100", vec![("nexus", cellx_nexus(100))]);
    run(c, "cellx_1000", vec![("nexus", cellx_nexus(1000))]);
}

// ---------------------------------------------------------------- per-request store

fn stores(c: &mut Criterion) {
    let mut g = c.benchmark_group("new_store_touch_10");
    g.bench_function("nexus", |b| {
        b.iter(|| {
            let s = Bench::new();
            let total = s.get(&T0)
                + s.get(&T1)
                + s.get(&T2)
                + s.get(&T3)
                + s.get(&T4)
                + s.get(&T5)
                + s.get(&T6)
                + s.get(&T7)
                + s.get(&T8)
                + s.get(&T9);
            black_box((s, total))
        });
    });
    g.bench_function("hashmap_boxed", |b| {
        b.iter(|| {
            let mut m: HashMap<usize, Box<dyn Any + Send + Sync>> = HashMap::new();
            for i in 0..10usize {
                m.insert(i, Box::new(i as u64));
            }
            black_box(m)
        });
    });
    g.finish();

    let mut g = c.benchmark_group("new_store_declared_atoms");
    g.bench_function("nexus_1_declared", |b| {
        b.iter(|| {
            let s = Small::new();
            black_box((s.get(&ONLY), s))
        });
    });
    // Give every one of the 1,000 atoms its slot first (the program has used them all), then touch the
    // last one declared: the worst case for a per-store index.
    let warm = Big::new();
    let _ = big_touch_all(&warm);
    g.bench_function("nexus_1000_declared", |b| {
        b.iter(|| {
            let s = Big::new();
            black_box((s.get(&BIG999), s))
        });
    });
    g.finish();
}

/// Touches all 1,000 declared atoms (generated by `build.rs`).
fn big_touch_all(s: &Big) -> u64 {
    big_rest(s)
}

include!(concat!(env!("OUT_DIR"), "/big_touch.rs"));

// ---------------------------------------------------------------- effects (issue 27)
//
// Side by side with alien-signals' `effect` (benches/alien/bench.mjs, same ids). Each effect body adds
// what it read to a counter (`bump`, a relaxed load and store, as the JS side's `count.last += v`), so
// the reads cannot be optimised away. The counters are checked exactly once, when the fixture is
// dropped (a check per iteration would be the bench's cost): the sum of what the effects read must be
// what one run per effect per iteration reads, no run missed and none extra.

/// What an effect workload's counter must hold when it is dropped: `per_i` times the sum of the `i`s it
/// was stepped with plus `per_step` per step (the first runs, at creation, read zeros).
struct Expect {
    count: Arc<AtomicU64>,
    name: &'static str,
    per_i: u64,
    per_step: u64,
    sum_i: u64,
    steps: u64,
}

impl Expect {
    fn new(name: &'static str, count: &Arc<AtomicU64>, per_i: u64, per_step: u64) -> Self {
        Expect { count: count.clone(), name, per_i, per_step, sum_i: 0, steps: 0 }
    }
    #[inline]
    fn step(&mut self, i: i64) {
        self.sum_i += i.cast_unsigned();
        self.steps += 1;
    }
}

impl Drop for Expect {
    fn drop(&mut self) {
        let want = self.per_i * self.sum_i + self.per_step * self.steps;
        let got = self.count.load(Ordering::Relaxed);
        assert_eq!(
            got, want,
            "{}: the effects read a sum of {got} over {} steps, expected {want}",
            self.name, self.steps
        );
    }
}

/// `effect_1`: one effect reading one atom; each iteration sets the atom to a new value (one run).
fn effect_1_nexus() -> Box<dyn Workload> {
    let store = Bench::new();
    let head = A::new(0);
    let count = sink();
    let fx = {
        let (h, c) = (head.clone(), count.clone());
        store.effect(move |s| bump(&c, s.get(&h).cast_unsigned()))
    };
    let mut expect = Expect::new("effect_1", &count, 1, 0);
    Box::new(Fixture(move |i| {
        store.set(&head, i);
        expect.step(i);
        let _ = &fx;
    }))
}

/// `effect_batch_10`: one effect reading 10 atoms; each iteration changes all 10 in one batch (one run).
fn effect_batch_10_nexus() -> Box<dyn Workload> {
    let store = Bench::new();
    let heads: Vec<A> = (0..10).map(|_| A::new(0)).collect();
    let count = sink();
    let fx = {
        let (hs, c) = (heads.clone(), count.clone());
        store.effect(move |s| {
            let mut t = 0i64;
            for h in &hs {
                t += s.get(h);
            }
            bump(&c, t.cast_unsigned());
        })
    };
    let mut expect = Expect::new("effect_batch_10", &count, 10, 45);
    Box::new(Fixture(move |i| {
        store.batch(|| {
            for (k, h) in (0..).zip(&heads) {
                store.set(h, i + k);
            }
        });
        expect.step(i);
        let _ = &fx;
    }))
}

/// `effects_1000`: 1,000 effects on one atom; each iteration sets it once (1,000 runs).
fn effects_1000_nexus() -> Box<dyn Workload> {
    let store = Bench::new();
    let head = A::new(0);
    let count = sink();
    let fxs: Vec<nexus::Effect> = (0..1000)
        .map(|_| {
            let (h, c) = (head.clone(), count.clone());
            store.effect(move |s| bump(&c, s.get(&h).cast_unsigned()))
        })
        .collect();
    let mut expect = Expect::new("effects_1000", &count, 1000, 0);
    Box::new(Fixture(move |i| {
        store.set(&head, i);
        expect.step(i);
        let _ = &fxs;
    }))
}

fn effects(c: &mut Criterion) {
    run(c, "effect_1", vec![("nexus", effect_1_nexus())]);
    run(c, "effect_batch_10", vec![("nexus", effect_batch_10_nexus())]);
    run(c, "effects_1000", vec![("nexus", effects_1000_nexus())]);
}

// ---------------------------------------------------------------- field atoms (issue 28)
//
// `#[derive(nexus::Fields)]` field atoms and keyed-list element atoms. `field_get` and `field_set_20` are
// nexus against nexus (`get`, `set_1_subscriber`); `list_edit_100` / `list_edit_10000` are also run by
// benches/alien/bench.mjs (alien-signals: a signal and an effect per row; Jotai: `splitAtom` +
// `focusAtom`, a store subscription per row atom, as `list_edit_100_jotai`). Observers add what they read
// to a counter, checked exactly when the fixture is dropped (`Expect`): one call per write, none extra.

/// A struct of 20 `u64` fields: a field atom per field.
#[derive(Clone, PartialEq, Debug, nexus::Fields)]
pub struct Wide {
    pub f0: u64,
    pub f1: u64,
    pub f2: u64,
    pub f3: u64,
    pub f4: u64,
    pub f5: u64,
    pub f6: u64,
    pub f7: u64,
    pub f8: u64,
    pub f9: u64,
    pub f10: u64,
    pub f11: u64,
    pub f12: u64,
    pub f13: u64,
    pub f14: u64,
    pub f15: u64,
    pub f16: u64,
    pub f17: u64,
    pub f18: u64,
    pub f19: u64,
}

impl Wide {
    fn zero() -> Self {
        Wide {
            f0: 0,
            f1: 0,
            f2: 0,
            f3: 0,
            f4: 0,
            f5: 0,
            f6: 0,
            f7: 0,
            f8: 0,
            f9: 0,
            f10: 0,
            f11: 0,
            f12: 0,
            f13: 0,
            f14: 0,
            f15: 0,
            f16: 0,
            f17: 0,
            f18: 0,
            f19: 0,
        }
    }
}

/// A row of a keyed list: `LIST.each().at(&id)` is its element atom.
#[derive(Clone, PartialEq, Debug, nexus::Fields)]
pub struct Row {
    #[fields(key)]
    pub id: u64,
    pub value: u64,
}

nexus::atom! {
    #![store(Bench)]
    /// The struct atom of `field_get` and `field_set_20`.
    pub static WIDE: Wide = Wide::zero();
}

/// The 20 field atoms of `WIDE`, in field order.
fn wide_fields() -> Vec<nexus::FieldAtom<nexus::Atom<Wide, Bench>, u64>> {
    let w: nexus::Atom<Wide, Bench> = WIDE.clone();
    vec![
        w.f0(),
        w.f1(),
        w.f2(),
        w.f3(),
        w.f4(),
        w.f5(),
        w.f6(),
        w.f7(),
        w.f8(),
        w.f9(),
        w.f10(),
        w.f11(),
        w.f12(),
        w.f13(),
        w.f14(),
        w.f15(),
        w.f16(),
        w.f17(),
        w.f18(),
        w.f19(),
    ]
}

/// `field_get`: `get` of a field atom (`WIDE.f7()`, the handle made once) of a 20-field struct atom, the
/// same loop as `get` (a primitive `u64` atom).
fn field_get(c: &mut Criterion) {
    let store = Bench::new();
    store.set(&WIDE, Wide { f7: 1, ..Wide::zero() });
    let f7 = WIDE.f7();
    let mut g = c.benchmark_group("field_get");
    g.bench_function("nexus", |b| b.iter(|| black_box(store.get(black_box(&f7)))));
    g.finish();
}

/// `field_set_20`: a subscriber on each of the 20 field atoms of `WIDE`; each iteration writes one field
/// (the next in turn) through its field atom, to a new value (one subscriber called). Compare with
/// `set_1_subscriber`.
fn field_set_20_nexus() -> Box<dyn Workload> {
    let store = Bench::new();
    let fields = wide_fields();
    let count = sink();
    let subs: Vec<nexus::Subscription> = fields
        .iter()
        .map(|f| {
            let c = count.clone();
            store.subscribe(f, move |v| bump(&c, *v))
        })
        .collect();
    let mut expect = Expect::new("field_set_20", &count, 1, 0);
    Box::new(Fixture(move |i| {
        let k = usize::try_from(i).unwrap_or(0) % fields.len();
        store.set(&fields[k], i.cast_unsigned());
        expect.step(i);
        let _ = &subs;
    }))
}

/// `list_edit_<rows>`: a keyed list of `rows` rows, a subscriber on each row's element atom
/// (`list.each().at(&id)`, the handles made once); each iteration writes one row (the next in turn) with a
/// new value through its element atom (one row subscriber called).
fn list_edit_nexus(rows: u64, name: &'static str) -> Box<dyn Workload> {
    let store = Bench::new();
    let list = nexus::Atom::<Vec<Row>, Bench>::new((0..rows).map(|id| Row { id, value: 0 }).collect());
    let each = list.each();
    let elements: Vec<_> = (0..rows).map(|id| each.at(&id)).collect();
    let count = sink();
    let subs: Vec<nexus::Subscription> = elements
        .iter()
        .map(|e| {
            let c = count.clone();
            store.subscribe(e, move |row: &Option<Row>| bump(&c, row.as_ref().map_or(0, |r| r.value)))
        })
        .collect();
    let mut expect = Expect::new(name, &count, 1, 0);
    Box::new(Fixture(move |i| {
        let id = i.cast_unsigned() % rows;
        store.set(&elements[usize::try_from(id).unwrap_or(0)], Row { id, value: i.cast_unsigned() });
        expect.step(i);
        let _ = (&subs, &list);
    }))
}

fn fields(c: &mut Criterion) {
    field_get(c);
    run(c, "field_set_20", vec![("nexus", field_set_20_nexus())]);
    run(c, "list_edit_100", vec![("nexus", list_edit_nexus(100, "list_edit_100"))]);
    run(c, "list_edit_10000", vec![("nexus", list_edit_nexus(10_000, "list_edit_10000"))]);
}

criterion_group! {
    name = benches;
    config = config();
    targets = primitives, kairo, cellx, stores, effects, fields
}
criterion_main!(benches);
