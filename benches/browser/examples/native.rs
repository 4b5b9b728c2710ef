//! The page's nexus fixtures natively (x86-64), timed with the page's rule (300 ms of warm-up, batches
//! re-sized to 15–40 ms, the median of 30): the same Rust code as in the browser, so the two tell what
//! compiling it to wasm32 and running it in V8 costs. Prints one round as JSON: `{id: median ns}`.
//! `benches/browser.sh --native` runs it in rounds, interleaved with alien-signals on node.
//!
//!   cargo run --release --example native [workload regex (a plain substring match here)]

use nexus_browser_bench::{fixture_for, Run, WORKLOADS};

const WARM_UP_MS: f64 = 300.0;
const SAMPLES: usize = 30;
const SAMPLE_TARGET_MS: f64 = 20.0;

fn timed(w: &mut dyn Run, n: u32) -> f64 {
    w.run(n).unwrap_or_else(|e| panic!("{e}"))
}

fn measure(w: &mut dyn Run) -> f64 {
    let (mut n, mut spent, mut last) = (1u32, 0.0, 0.0);
    while spent < WARM_UP_MS || last < 1.0 {
        last = timed(w, n);
        spent += last;
        if last < SAMPLE_TARGET_MS / 4.0 {
            n *= 2;
        }
    }
    let resize =
        |batch: u32, ms: f64| ((f64::from(batch) * SAMPLE_TARGET_MS / ms.max(0.1)).round() as u32).max(1);
    let mut batch = resize(n, last);
    for _ in 0..5 {
        let ms = timed(w, batch);
        if (15.0..=40.0).contains(&ms) {
            break;
        }
        batch = resize(batch, ms);
    }
    let mut per_iter: Vec<f64> = (0..SAMPLES).map(|_| timed(w, batch) / f64::from(batch)).collect();
    per_iter.sort_by(f64::total_cmp);
    (per_iter[(SAMPLES - 1) / 2] + per_iter[SAMPLES / 2]) / 2.0 * 1e6
}

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    let medians: Vec<String> = WORKLOADS
        .iter()
        .filter(|id| id.contains(filter.as_str()))
        .map(|id| {
            let mut w = fixture_for(id).expect("every id in WORKLOADS has a fixture");
            format!("\"{id}\": {:.3}", measure(w.as_mut()))
        })
        .collect();
    println!("{{{}}}", medians.join(", "));
}
