//! A benchmark, not a check: the same 1,000-row page bound to nexus atoms (`use_atom_value`) and to plain
//! Leptos `RwSignal`s, timing updates of one row each, every update followed by the wait until the DOM
//! shows it. Prints per-update times and the ratio nexus / `RwSignal`; asserts only that the DOM followed
//! (never a time). Run in release:
//! `cargo test -p leptos-todo --release --target wasm32-unknown-unknown --test rows -- --nocapture`.
#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos_todo::rows::{row_atoms, NexusRows, RowStore, SignalRows};
use nexus::leptos::StoreProvider;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const ROWS: usize = 1000;
const UPDATES: u32 = 5000;
/// Updates before timing, not timed (JIT, first allocations).
const WARM_UP: u32 = 200;
/// Runs of each variant.
const RUNS: usize = 9;

fn fresh_root() -> HtmlElement {
    let document = document();
    let root = document.create_element("div").unwrap().unchecked_into::<HtmlElement>();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

/// The row updated by update `i`: spread over the page.
fn row_of(i: u32) -> usize {
    (i as usize * 7919) % ROWS
}

/// Sets row `row` to `value` with `set`, then waits until the DOM shows it (a Leptos tick at a time).
async fn update(rows: &[Element], row: usize, value: u32, set: &impl Fn(usize, u32)) {
    set(row, value);
    let want = value.to_string();
    let mut ticks = 0;
    while rows[row].text_content().as_deref() != Some(want.as_str()) {
        leptos::task::tick().await;
        ticks += 1;
        assert!(ticks < 100, "row {row} never showed {want}");
    }
}

/// Milliseconds per update of `UPDATES` updates through `set`, each followed by the wait for the DOM;
/// and per update of `UPDATES` updates in a row with one wait at the end (the write and the scheduling
/// of the row's render effect, without the executor's round trip).
async fn time(root: &Element, set: impl Fn(usize, u32)) -> (f64, f64) {
    let list = root.query_selector_all("li.row").unwrap();
    let rows: Vec<Element> = (0..list.length()).map(|i| list.item(i).unwrap().unchecked_into()).collect();
    assert_eq!(rows.len(), ROWS);
    for i in 0..WARM_UP {
        update(&rows, row_of(i), i + 1, &set).await;
    }
    let start = now();
    for i in WARM_UP..WARM_UP + UPDATES {
        update(&rows, row_of(i), i + 1, &set).await;
    }
    let one_by_one = (now() - start) / f64::from(UPDATES);

    let base = WARM_UP + UPDATES + 1;
    let start = now();
    for i in 0..UPDATES {
        set(row_of(i), base + i);
    }
    let final_update = UPDATES - 1;
    update(&rows, row_of(final_update), base + final_update, &set).await;
    let in_a_row = (now() - start) / f64::from(UPDATES);
    (one_by_one, in_a_row)
}

async fn nexus_rows() -> (f64, f64) {
    let root = fresh_root();
    let store = RowStore::new();
    let atoms = row_atoms(ROWS);
    let app = mount_to(root.clone(), {
        let (store, atoms) = (store.clone(), atoms.clone());
        move || view! { <StoreProvider store=store><NexusRows atoms/></StoreProvider> }
    });
    leptos::task::tick().await;
    let per_update = time(&root, |row, value| store.set(&atoms[row], value)).await;
    drop(app);
    per_update
}

async fn signal_rows() -> (f64, f64) {
    let root = fresh_root();
    let owner = Owner::new();
    let signals: Vec<RwSignal<u32>> = owner.with(|| (0..ROWS).map(|_| RwSignal::new(0)).collect());
    let app = mount_to(root.clone(), {
        let signals = signals.clone();
        move || view! { <SignalRows signals/> }
    });
    leptos::task::tick().await;
    let per_update = time(&root, |row, value| signals[row].set(value)).await;
    drop(app);
    drop(owner);
    per_update
}

#[wasm_bindgen_test]
async fn one_row_updates_nexus_atoms_against_leptos_signals() {
    // Several runs each, alternating, so that neither variant alone has the cold start or a slow phase.
    let (mut nexus, mut signals) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    for _ in 0..RUNS {
        let (a, b) = signal_rows().await;
        signals[0].push(a * 1000.0);
        signals[1].push(b * 1000.0);
        let (a, b) = nexus_rows().await;
        nexus[0].push(a * 1000.0);
        nexus[1].push(b * 1000.0);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    console_log!(
        "{ROWS} rows, {UPDATES} updates of one row each, µs per update, median of {RUNS} runs (sorted runs):"
    );
    for (k, what) in ["each followed by the wait until the DOM shows it", "all in a row, one wait at the end"]
        .into_iter()
        .enumerate()
    {
        let (n, s) = (median(&mut nexus[k]), median(&mut signals[k]));
        console_log!("{what}:");
        console_log!("  nexus use_atom_value: {n:.2} {:.2?}", nexus[k]);
        console_log!("  Leptos RwSignal:      {s:.2} {:.2?}", signals[k]);
        console_log!("  ratio nexus / RwSignal: {:.2}", n / s);
    }
}
