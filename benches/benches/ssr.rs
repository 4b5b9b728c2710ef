//! The cost of SSR's two calls on a server's request shape: a store touching 10 of the 50 `u64` atoms its
//! type declares is snapshotted, and a fresh store is made and hydrated from that snapshot. No peer has
//! these calls, so this is nexus against its own history (BENCHMARKS.md keeps the numbers).
//!
//! `cargo bench --bench ssr`

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

nexus::store! {
    /// One request's store.
    pub struct Request;
}

nexus::atom! {
    #![store(Request)]
    pub static A0: u64 = 0;
    pub static A1: u64 = 1;
    pub static A2: u64 = 2;
    pub static A3: u64 = 3;
    pub static A4: u64 = 4;
    pub static A5: u64 = 5;
    pub static A6: u64 = 6;
    pub static A7: u64 = 7;
    pub static A8: u64 = 8;
    pub static A9: u64 = 9;
    pub static A10: u64 = 10;
    pub static A11: u64 = 11;
    pub static A12: u64 = 12;
    pub static A13: u64 = 13;
    pub static A14: u64 = 14;
    pub static A15: u64 = 15;
    pub static A16: u64 = 16;
    pub static A17: u64 = 17;
    pub static A18: u64 = 18;
    pub static A19: u64 = 19;
    pub static A20: u64 = 20;
    pub static A21: u64 = 21;
    pub static A22: u64 = 22;
    pub static A23: u64 = 23;
    pub static A24: u64 = 24;
    pub static A25: u64 = 25;
    pub static A26: u64 = 26;
    pub static A27: u64 = 27;
    pub static A28: u64 = 28;
    pub static A29: u64 = 29;
    pub static A30: u64 = 30;
    pub static A31: u64 = 31;
    pub static A32: u64 = 32;
    pub static A33: u64 = 33;
    pub static A34: u64 = 34;
    pub static A35: u64 = 35;
    pub static A36: u64 = 36;
    pub static A37: u64 = 37;
    pub static A38: u64 = 38;
    pub static A39: u64 = 39;
    pub static A40: u64 = 40;
    pub static A41: u64 = 41;
    pub static A42: u64 = 42;
    pub static A43: u64 = 43;
    pub static A44: u64 = 44;
    pub static A45: u64 = 45;
    pub static A46: u64 = 46;
    pub static A47: u64 = 47;
    pub static A48: u64 = 48;
    pub static A49: u64 = 49;
}

fn touched() -> Request {
    let store = Request::new();
    for (i, atom) in [&A0, &A5, &A10, &A15, &A20, &A25, &A30, &A35, &A40, &A45].into_iter().enumerate() {
        store.set(atom, i as u64 + 100);
    }
    store
}

fn ssr(c: &mut Criterion) {
    let store = touched();
    let snapshot = store.snapshot();
    assert_eq!(snapshot.len(), 10);
    c.bench_function("ssr/snapshot_10_of_50", |b| b.iter(|| black_box(store.snapshot())));
    c.bench_function("ssr/new_and_hydrate_10", |b| {
        b.iter(|| {
            let fresh = Request::new();
            fresh.hydrate(black_box(&snapshot)).expect("the snapshot was made by this program");
            fresh
        })
    });
}

criterion_group!(benches, ssr);
criterion_main!(benches);
