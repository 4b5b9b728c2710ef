//! The depth guard in the browser (issue 34): a first read of a plain chain deeper than the call stack
//! holds stops with nexus's panic (an abort on wasm32), before Chromium would throw "Maximum call stack
//! size exceeded" through Rust frames. Alone in its binary: after the abort nothing else may run in
//! this instance. Natively the same read suspends and succeeds.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use nexus::{Atom, Computed};

nexus::store! {
    pub struct Deep;
}

/// Each level's read function holds 2 KiB on the stack, four times a small one's: the guard checks the
/// room left, not a count of levels.
fn heavy_chain(len: u64) -> Computed<u64, Deep> {
    let head = Atom::<u64, Deep>::new(0);
    let first = Computed::<u64, Deep>::new(move |s| s.get(&head) + 1);
    (1..len).fold(first, |prev, _| {
        Computed::<u64, Deep>::new(move |s| {
            let scratch = std::hint::black_box([0u8; 2048]);
            s.get(&prev) + u64::from(scratch[0]) + 1
        })
    })
}

#[test]
#[cfg_attr(target_arch = "wasm32", should_panic(expected = "read functions deep"))]
fn a_plain_chain_too_deep_for_the_stack_stops_with_the_guard_s_panic() {
    let tail = heavy_chain(100_000);
    assert_eq!(Deep::new().get(&tail), 100_000);
}
