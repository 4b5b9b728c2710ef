//! One workload of the side-by-side benches, run `N` times in a plain loop: for `valgrind --tool=callgrind`
//! (`../instructions.sh`, instructions per iteration, the same on every run of a binary whatever the VM
//! is doing) and for timing two builds against each other on a noisy machine.
//!
//! ```sh
//! cargo run --release --example workloads -- deep 100000    # prints ns per iteration
//! ```
//!
//! The workloads build their graphs the way `benches/side_by_side.rs` does (run-time atoms, one observer
//! with a subscription).

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

nexus::store! {
    /// The store of every workload.
    pub struct Drive;
}

nexus::atom! {
    #![store(Drive)]
    /// `get` and `set` read and write this one.
    pub static VALUE: u64 = 0;
}

type A = nexus::Atom<i64, Drive>;
type C = nexus::Computed<i64, Drive>;

fn computed(f: impl Fn(&mut nexus::Reader<'_, Drive>) -> i64 + Send + Sync + 'static) -> C {
    C::new(f)
}

/// A subscription to `c` that counts its calls (as the benches' observers do).
fn observe(store: &Drive, c: &C, count: &Arc<AtomicU64>) -> nexus::Subscription {
    let count = count.clone();
    store.subscribe(c, move |v| {
        count.store(count.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        black_box(v);
    })
}

/// Adds `v` to an effect's counter (a relaxed load and store, as the benches' `bump`).
/// A store for a workload; with `TRACED=1`, a `nexus::Trace` of 1,000 transactions is attached to it
/// (for the cost of tracing: `TRACED=1 ./instructions.sh set diamond`).
fn new_store() -> Drive {
    let store = Drive::new();
    if std::env::var_os("TRACED").is_some() {
        std::mem::forget(nexus::Trace::attach(&store, 1000));
    }
    store
}

fn add(count: &AtomicU64, v: i64) {
    count.store(count.load(Ordering::Relaxed).wrapping_add(v.cast_unsigned()), Ordering::Relaxed);
}

/// A struct of 20 `u64` fields (issue 28): a field atom per field.
#[derive(Clone, PartialEq, Debug, Default, nexus::Fields)]
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

/// A row of a keyed list (issue 28): `list.each().at(&id)` is its element atom.
#[derive(Clone, PartialEq, Debug, nexus::Fields)]
pub struct Row {
    #[fields(key)]
    pub id: u64,
    pub value: u64,
}

nexus::atom! {
    #![store(Drive)]
    /// `field_get` and `field_set20` read and write its field atoms.
    pub static WIDE: Wide = Wide::default();
}

/// `rows` rows, a subscriber on each row's element atom; `n` edits of one row each (the next in turn).
fn list_edit(rows: u64, n: u64, count: &Arc<AtomicU64>) {
    let store = new_store();
    let list = nexus::Atom::<Vec<Row>, Drive>::new((0..rows).map(|id| Row { id, value: 0 }).collect());
    let each = list.each();
    let elements: Vec<_> = (0..rows).map(|id| each.at(&id)).collect();
    let _subs: Vec<nexus::Subscription> = elements
        .iter()
        .map(|e| {
            let c = count.clone();
            store.subscribe(e, move |row: &Option<Row>| {
                add(&c, row.as_ref().map_or(0, |r| r.value.cast_signed()));
            })
        })
        .collect();
    for i in 1..=n {
        let id = i % rows;
        store.set(&elements[usize::try_from(id).expect("fits")], Row { id, value: i });
    }
}

/// Sets `head` `n` times (the graph and its observers do the rest).
fn drive(store: &Drive, head: &A, n: u64) {
    for i in 0..n {
        store.set(head, i64::try_from(i).expect("fits"));
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_default();
    let n: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let layers: usize = std::env::var("LAYERS").ok().and_then(|s| s.parse().ok()).unwrap_or(100);
    let count = Arc::new(AtomicU64::new(0));
    let start = std::time::Instant::now();
    match what.as_str() {
        "get" => {
            let store = new_store();
            store.set(&VALUE, 1);
            let mut total = 0;
            for _ in 0..n {
                total += black_box(&store).get(black_box(&VALUE));
            }
            black_box(total);
        }
        "set" => {
            let store = new_store();
            for i in 0..n {
                black_box(&store).set(&VALUE, i);
            }
        }
        "set1" => {
            let store = new_store();
            let c = count.clone();
            let _sub = store.subscribe(&VALUE, move |v| {
                c.store(c.load(Ordering::Relaxed) + (*v & 1), Ordering::Relaxed);
            });
            for i in 0..n {
                store.set(&VALUE, i);
            }
        }
        "new10" => {
            nexus::atom! {
                #![store(Drive)]
                static T0: u64 = 0; static T1: u64 = 0; static T2: u64 = 0; static T3: u64 = 0;
                static T4: u64 = 0; static T5: u64 = 0; static T6: u64 = 0; static T7: u64 = 0;
                static T8: u64 = 0; static T9: u64 = 0;
            }
            for _ in 0..n {
                let s = Drive::new();
                let touched = [&T0, &T1, &T2, &T3, &T4, &T5, &T6, &T7, &T8, &T9].map(|a| s.get(a));
                black_box(touched);
            }
        }
        "deep" => {
            let store = new_store();
            let head = A::new(0);
            let mut tip = {
                let h = head.clone();
                computed(move |s| s.get(&h))
            };
            for _ in 0..50 {
                let p = tip.clone();
                tip = computed(move |s| s.get(&p) + 1);
            }
            let _sub = observe(&store, &tip, &count);
            drive(&store, &head, n);
        }
        "broad" => {
            let store = new_store();
            let head = A::new(0);
            let _subs: Vec<_> = (0..50)
                .map(|i| {
                    let h = head.clone();
                    let c1 = computed(move |s| s.get(&h) + i);
                    let c2 = computed(move |s| s.get(&c1) + 1);
                    observe(&store, &c2, &count)
                })
                .collect();
            drive(&store, &head, n);
        }
        "diamond" => {
            let store = new_store();
            let head = A::new(0);
            let branches: Vec<C> = (0..5)
                .map(|_| {
                    let h = head.clone();
                    computed(move |s| s.get(&h) + 1)
                })
                .collect();
            let sum = computed(move |s| branches.iter().map(|b| s.get(b)).sum());
            let _sub = observe(&store, &sum, &count);
            drive(&store, &head, n);
        }
        "repeated" => {
            let store = new_store();
            let head = A::new(0);
            let h = head.clone();
            let current = computed(move |s| (0..50).map(|_| s.get(&h)).sum());
            let _sub = observe(&store, &current, &count);
            drive(&store, &head, n);
        }
        "unstable" => {
            let store = new_store();
            let head = A::new(0);
            let (h1, h2, h3) = (head.clone(), head.clone(), head.clone());
            let double = computed(move |s| s.get(&h1) * 2);
            let inverse = computed(move |s| -s.get(&h2));
            let current = computed(move |s| {
                (0..20).map(|_| if s.get(&h3) % 2 == 0 { s.get(&double) } else { s.get(&inverse) }).sum()
            });
            let _sub = observe(&store, &current, &count);
            drive(&store, &head, n);
        }
        "cellx" => {
            // `LAYERS` layers of four cells, each reading one or two of the layer before.
            let store = new_store();
            let sources = [A::new(1), A::new(2), A::new(3), A::new(4)];
            let [a, b, c, d] = sources.clone();
            let mut prev = [
                computed(move |s| s.get(&a)),
                computed(move |s| s.get(&b)),
                computed(move |s| s.get(&c)),
                computed(move |s| s.get(&d)),
            ];
            for _ in 0..layers {
                let [pa, pb, pc, pd] = prev.clone();
                let (pa2, pb2, pc2) = (pa.clone(), pb.clone(), pc.clone());
                prev = [
                    computed(move |s| s.get(&pb)),
                    computed(move |s| s.get(&pa2) - s.get(&pc)),
                    computed(move |s| s.get(&pb2) + s.get(&pd)),
                    computed(move |s| s.get(&pc2)),
                ];
                drop(pa);
            }
            let _subs = prev.each_ref().map(|c| observe(&store, c, &count));
            for i in 0..n {
                let i = i64::try_from(i).expect("fits");
                store.batch(|| {
                    for (k, s) in (0..).zip(&sources) {
                        store.set(s, i + k);
                    }
                });
                black_box((store.get(&prev[0]), store.get(&prev[3])));
            }
        }
        // Effects (issue 27): each body adds what it read to `count`, as in `benches/side_by_side.rs`.
        "effect1" => {
            let store = new_store();
            let head = A::new(0);
            let (h, c) = (head.clone(), count.clone());
            let _fx = store.effect(move |s| add(&c, s.get(&h)));
            drive(&store, &head, n);
        }
        "effect_batch10" => {
            let store = new_store();
            let heads: Vec<A> = (0..10).map(|_| A::new(0)).collect();
            let (hs, c) = (heads.clone(), count.clone());
            let _fx = store.effect(move |s| {
                let t = hs.iter().map(|h| s.get(h)).sum();
                add(&c, t);
            });
            for i in 0..n {
                let i = i64::try_from(i).expect("fits");
                store.batch(|| {
                    for (k, h) in (0..).zip(&heads) {
                        store.set(h, i + k);
                    }
                });
            }
        }
        // `set` of an atom no effect reads, in a store with 10 effects on another atom (issue 27: effects
        // must cost nothing there; compare with `set`).
        "set_beside_effects" => {
            let store = new_store();
            let other = A::new(0);
            let _fxs: Vec<nexus::Effect> = (0..10)
                .map(|_| {
                    let (h, c) = (other.clone(), count.clone());
                    store.effect(move |s| add(&c, s.get(&h)))
                })
                .collect();
            for i in 0..n {
                black_box(&store).set(&VALUE, i);
            }
        }
        // Field atoms (issue 28), as the `fields` group of `benches/side_by_side.rs`.
        "field_get" => {
            let store = new_store();
            store.set(&WIDE, Wide { f7: 1, ..Wide::default() });
            let f7 = WIDE.f7();
            let mut total = 0;
            for _ in 0..n {
                total += black_box(&store).get(black_box(&f7));
            }
            black_box(total);
        }
        "field_set20" => {
            let store = new_store();
            let fields = [
                WIDE.f0(),
                WIDE.f1(),
                WIDE.f2(),
                WIDE.f3(),
                WIDE.f4(),
                WIDE.f5(),
                WIDE.f6(),
                WIDE.f7(),
                WIDE.f8(),
                WIDE.f9(),
                WIDE.f10(),
                WIDE.f11(),
                WIDE.f12(),
                WIDE.f13(),
                WIDE.f14(),
                WIDE.f15(),
                WIDE.f16(),
                WIDE.f17(),
                WIDE.f18(),
                WIDE.f19(),
            ];
            let _subs: Vec<nexus::Subscription> = fields
                .iter()
                .map(|f| {
                    let c = count.clone();
                    store.subscribe(f, move |v| add(&c, v.cast_signed()))
                })
                .collect();
            for i in 1..=n {
                store.set(&fields[usize::try_from(i % 20).expect("fits")], i);
            }
        }
        "list_edit100" => list_edit(100, n, &count),
        "list_edit10000" => list_edit(10_000, n, &count),
        "effects1000" => {
            let store = new_store();
            let head = A::new(0);
            let _fxs: Vec<nexus::Effect> = (0..1000)
                .map(|_| {
                    let (h, c) = (head.clone(), count.clone());
                    store.effect(move |s| add(&c, s.get(&h)))
                })
                .collect();
            drive(&store, &head, n);
        }
        _ => {
            eprintln!(
                "usage: workloads <get|set|set1|new10|deep|broad|diamond|repeated|unstable|cellx|effect1|effect_batch10|effects1000|set_beside_effects|field_get|field_set20|list_edit100|list_edit10000> [N] (cellx: LAYERS=…)"
            );
            std::process::exit(2);
        }
    }
    #[allow(clippy::cast_precision_loss)] // a report
    let per = start.elapsed().as_nanos() as f64 / n as f64;
    println!("{what}: {per:.1} ns/iter");
}
