//! Deep graphs where read functions cannot be suspended (issue 34): on `wasm32-unknown-unknown` a panic
//! aborts, so a first read nests read functions as deep as the graph, unless the atoms name their
//! sources. In headless Chromium (`scripts/wasm-test.sh`, debug and release) every chain below is read
//! cold in a fresh store: chains whose atoms name their sources (`Computed::reading`, 100,000 atoms) or
//! whose declared read functions `atom!` can see (2,600: deeper than plain chains reach); plain chains
//! up to the depth this build reaches (README, "Graphs of any depth"). The same tests run natively; there, the depth guard is
//! tested with reads made to behave as on wasm32 (`simulate_no_unwind`). The guard's panic in the
//! browser itself, an abort, is `depth_web_guard.rs`.

// On wasm32 these tests run in headless Chromium: wasm-bindgen-test's `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use nexus::{Atom, Computed};

nexus::store! {
    pub struct Deep;
}

/// A chain of `len` computed atoms after `head`, each one more than the one before, each naming the
/// one it reads; `runs` counts the read functions run.
fn named_chain(head: &Atom<u64, Deep>, len: u64, runs: &Arc<AtomicUsize>) -> Computed<u64, Deep> {
    let counted = runs.clone();
    let first = Computed::reading(head.clone(), move |s, head| {
        counted.fetch_add(1, Ordering::Relaxed);
        s.get(head) + 1
    });
    (1..len).fold(first, |prev, _| {
        let runs = runs.clone();
        Computed::reading(prev, move |s, prev| {
            runs.fetch_add(1, Ordering::Relaxed);
            s.get(prev) + 1
        })
    })
}

/// The same chain made with `Computed::new`: nothing named.
fn plain_chain(head: &Atom<u64, Deep>, len: u64) -> Computed<u64, Deep> {
    let first = {
        let head = head.clone();
        Computed::<u64, Deep>::new(move |s| s.get(&head) + 1)
    };
    (1..len).fold(first, |prev, _| Computed::<u64, Deep>::new(move |s| s.get(&prev) + 1))
}

/// How deep a plain chain is read cold in this build, in the browser: under the depth where the depth
/// guard stops it, 1,072 levels in a debug build, 2,080 to 2,552 in a release one (more once Chromium
/// has optimised nexus's functions; README's table).
#[cfg(debug_assertions)]
const PLAIN_DEPTH: u64 = 900;
#[cfg(not(debug_assertions))]
const PLAIN_DEPTH: u64 = 1_800;

#[test]
fn a_chain_of_100_000_atoms_that_name_their_sources_is_read_cold() {
    let head = Atom::<u64, Deep>::new(0);
    let runs = Arc::new(AtomicUsize::new(0));
    let tail = named_chain(&head, 100_000, &runs);
    let store = Deep::new();
    assert_eq!(store.get(&tail), 100_000);
    assert_eq!(runs.swap(0, Ordering::Relaxed), 100_000, "each read function ran once: nothing nested");

    store.set(&head, 5);
    assert_eq!(store.get(&tail), 100_005, "and re-read after a change");
    assert_eq!(runs.swap(0, Ordering::Relaxed), 100_000);
    // A second store reads the same chain cold too.
    assert_eq!(Deep::new().get(&tail), 100_000);
}

#[test]
fn a_plain_chain_is_read_cold_to_the_depth_this_build_reaches() {
    let head = Atom::<u64, Deep>::new(0);
    let tail = plain_chain(&head, PLAIN_DEPTH);
    let store = Deep::new();
    assert_eq!(store.get(&tail), PLAIN_DEPTH);
    store.set(&head, 1);
    assert_eq!(store.get(&tail), PLAIN_DEPTH + 1);
}

#[test]
fn a_plain_chain_of_any_length_is_read_from_its_head_a_few_hundred_atoms_at_a_time() {
    // The guard's other remedy: reading every few hundredth atom first keeps each read shallow.
    let head = Atom::<u64, Deep>::new(0);
    let first = {
        let head = head.clone();
        Computed::<u64, Deep>::new(move |s| s.get(&head) + 1)
    };
    let mut atoms = vec![first];
    for _ in 1..100_000 {
        let prev = atoms.last().expect("one at least").clone();
        atoms.push(Computed::<u64, Deep>::new(move |s| s.get(&prev) + 1));
    }
    let store = Deep::new();
    for atom in atoms.iter().step_by(250) {
        store.get(atom);
    }
    assert_eq!(store.get(atoms.last().expect("one at least")), 100_000);
}

#[test]
fn a_plain_chain_under_a_named_one_is_read_to_the_plain_part_s_depth() {
    // Naming is per atom: the named part is walked on the path, the plain part nests.
    let head = Atom::<u64, Deep>::new(0);
    let plain = plain_chain(&head, PLAIN_DEPTH / 2);
    let tail = (0..50_000).fold(plain, |prev, _| Computed::reading(prev, |s, prev| s.get(prev) + 1));
    assert_eq!(Deep::new().get(&tail), PLAIN_DEPTH / 2 + 50_000);
}

#[test]
fn named_sources_are_a_hint_what_is_read_is_what_counts() {
    let a = Atom::<u64, Deep>::new(1);
    let b = Atom::<u64, Deep>::new(10);
    let named_a = Computed::<u64, Deep>::new({
        let a = a.clone();
        move |s| s.get(&a) * 2
    });
    // Names `named_a` but reads `b`.
    let reads_b = {
        let b = b.clone();
        Computed::reading(named_a.clone(), move |s, _| s.get(&b) + 1)
    };
    let store = Deep::new();
    assert_eq!(store.get(&reads_b), 11);
    let runs = Arc::new(AtomicUsize::new(0));
    let seen = runs.clone();
    let _sub = store.subscribe(&reads_b, move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
    });
    store.set(&a, 2);
    assert_eq!(runs.load(Ordering::SeqCst), 0, "a named source it does not read is no dependency");
    store.set(&b, 20);
    assert_eq!(store.get(&reads_b), 21, "a source it reads without naming it is one");
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[test]
fn atoms_that_name_each_other_without_reading_each_other_are_no_cycle() {
    let a = Atom::<u64, Deep>::new(3);
    let slot: Arc<std::sync::OnceLock<Computed<u64, Deep>>> = Arc::default();
    let later = slot.clone();
    // `first` names `second` (through a `Vec` filled later, as spreadsheets are built) and `second` names
    // `first`; each reads only `a`.
    let first = {
        let a = a.clone();
        Computed::reading(Vec::<Computed<u64, Deep>>::new(), move |s, _| s.get(&a))
    };
    let second = {
        let a = a.clone();
        Computed::reading(vec![first.clone()], move |s, _| s.get(&a) + 1)
    };
    slot.set(second.clone()).expect("set once");
    let both = Computed::reading((first, second), move |s, (first, second)| {
        assert!(later.get().is_some());
        s.get(first) + s.get(second)
    });
    assert_eq!(Deep::new().get(&both), 7);
}

#[test]
fn sources_of_every_shape() {
    let a = Atom::<u64, Deep>::new(1);
    let b = Atom::<String, Deep>::new("two".to_owned());
    let cells: Vec<Atom<u64, Deep>> = (0..10).map(Atom::new).collect();
    let sum = Computed::reading(cells, |s, cells| cells.iter().map(|c| s.get(c)).sum::<u64>());
    let pair = Computed::reading([a.clone(), a.clone()], |s, [x, y]| s.get(x) + s.get(y));
    let mixed = Computed::reading((sum, pair, b), |s, (sum, pair, b)| {
        format!("{} {} {}", s.get(sum), s.get(pair), s.get(b))
    });
    let with_eq = Computed::reading_with_eq(a.clone(), |s, a| s.get(a) / 2, |_, _| false);
    let store = Deep::new();
    assert_eq!(store.get(&mixed), "45 2 two");
    assert_eq!(store.get(&with_eq), 0);
}

/// The stack a level of a plain chain takes in Chromium, printed (`-- --nocapture`) and bounded, so that
/// a change that makes the first read's frames larger shows here: the engine's stack, measured as the
/// largest call `Reflect.apply` still makes (8 bytes an argument), and the shadow stack, by the address
/// of a local.
#[cfg(target_arch = "wasm32")]
#[test]
fn stack_per_level_of_a_plain_chain() {
    use std::sync::atomic::AtomicU64;
    static AT_HEAD: AtomicU64 = AtomicU64::new(0);
    static SHADOW_AT_HEAD: AtomicU64 = AtomicU64::new(0);

    fn engine_room() -> u64 {
        let function = js_sys::Reflect::get(&js_sys::global(), &"Function".into()).expect("Function");
        let noop =
            js_sys::Function::from(js_sys::Reflect::get(&function, &"prototype".into()).expect("prototype"));
        let (mut fits, mut fails) = (0u32, 1u32 << 18);
        while fits + 1 < fails {
            let n = (fits + fails) / 2;
            let args = js_sys::Array::new_with_length(n);
            args.fill(&0.into(), 0, n);
            if js_sys::Reflect::apply(&noop, &js_sys::global(), &args).is_ok() {
                fits = n;
            } else {
                fails = n;
            }
        }
        u64::from(fits) * 8
    }
    fn shadow_room() -> u64 {
        let local = std::hint::black_box(0u8);
        std::ptr::from_ref(&local) as u64
    }

    const LEN: u64 = 500;
    let head = Atom::<u64, Deep>::new(0);
    let first = {
        let head = head.clone();
        Computed::<u64, Deep>::new(move |s| {
            AT_HEAD.store(engine_room(), Ordering::Relaxed);
            SHADOW_AT_HEAD.store(shadow_room(), Ordering::Relaxed);
            s.get(&head) + 1
        })
    };
    let tail = (1..LEN).fold(first, |prev, _| Computed::<u64, Deep>::new(move |s| s.get(&prev) + 1));
    let (engine, shadow) = (engine_room(), shadow_room());
    assert_eq!(Deep::new().get(&tail), LEN);
    #[allow(clippy::cast_precision_loss)]
    let per_level = |top: u64, deep: u64| (top - deep) as f64 / LEN as f64;
    let engine_level = per_level(engine, AT_HEAD.load(Ordering::Relaxed));
    let shadow_level = per_level(shadow, SHADOW_AT_HEAD.load(Ordering::Relaxed));
    wasm_bindgen_test::console_log!(
        "a level of a plain chain: {engine_level:.0} B of the engine's stack ({engine} B free at the \
         test), {shadow_level:.0} B of the shadow stack ({shadow} B free)"
    );
    let (engine_bound, shadow_bound) =
        if cfg!(debug_assertions) { (1_000.0, 1_000.0) } else { (500.0, 250.0) };
    assert!(engine_level < engine_bound && shadow_level < shadow_bound, "{engine_level} {shadow_level}");
}

/// The depth guard, natively: reads made to behave as on wasm32 (no suspension) stop at the limit with
/// a panic naming the atom, the depth and the remedy, and leave the store as any panic of a read
/// function does: usable, the chain readable from its head.
#[cfg(not(target_arch = "wasm32"))]
mod guard {
    use super::*;

    struct Simulated;
    impl Simulated {
        fn new(limit: u32) -> Self {
            nexus::__private::simulate_no_unwind(Some(limit));
            Simulated
        }
    }
    impl Drop for Simulated {
        fn drop(&mut self) {
            nexus::__private::simulate_no_unwind(None);
        }
    }

    #[test]
    fn a_plain_chain_deeper_than_the_limit_stops_with_a_clear_panic() {
        let simulated = Simulated::new(300);
        let head = Atom::<u64, Deep>::new(0);
        let tail = plain_chain(&head, 1_000);
        let name = tail.registry_name().to_owned();
        let store = Deep::new();
        let message = nexus_tests::panic_message(|| {
            store.get(&tail);
        });
        assert!(message.contains(&format!("reading `{name}` nests 300 read functions deep")), "{message}");
        assert!(message.contains("Computed::reading"), "the remedy: {message}");
        assert!(message.contains("read the chain from its head"), "{message}");
        assert!(message.contains("Maximum call stack size exceeded"), "{message}");
        // Nothing half-way: the store reads and writes, and reads the chain once reads suspend again.
        store.set(&head, 1);
        assert_eq!(store.get(&head), 1);
        drop(simulated);
        assert_eq!(store.get(&tail), 1_001);
    }

    #[test]
    fn a_named_chain_needs_no_nesting() {
        let _simulated = Simulated::new(100);
        let head = Atom::<u64, Deep>::new(0);
        let runs = Arc::new(AtomicUsize::new(0));
        let tail = named_chain(&head, 100_000, &runs);
        assert_eq!(Deep::new().get(&tail), 100_000);
    }

    #[test]
    fn a_declared_chain_needs_no_nesting() {
        let _simulated = Simulated::new(64);
        assert_eq!(Sheet::new().get(&ROW2600), 2_600);
    }
}

nexus::store! {
    pub struct Sheet;
}

static SHEET_RUNS: AtomicUsize = AtomicUsize::new(0);

#[test]
fn a_declared_chain_deeper_than_a_plain_one_reaches_is_read_cold() {
    // 2,600 rows: more than a plain chain reaches in the browser in either build, which nothing would
    // show natively (without the names, a first read there suspends the read functions beyond 64 levels
    // and runs them again).
    let sheet = Sheet::new();
    let before = SHEET_RUNS.load(Ordering::Relaxed);
    assert_eq!(sheet.get(&ROW2600), 2_600);
    assert_eq!(SHEET_RUNS.load(Ordering::Relaxed) - before, 2_600, "each read function ran once");
}

// A declared chain: `atom!` sees each `s.get(&X)` and names `X` for the atom (declared atoms' read
// functions are plain functions, so the names are all it can know before they run). ROW`n` reads
// ROW`n-1`; 2,600 of them (a declared chain of 100,000 would take rustc minutes to compile).
macro_rules! declared_chain {
    ($($prev:ident => $next:ident),* $(,)?) => {
        nexus::atom! {
            #![store(Sheet)]
            pub static ROW0: u64 = 0;
            $(pub static $next: u64 = computed(|s| { SHEET_RUNS.fetch_add(1, Ordering::Relaxed); s.get(&$prev) + 1 });)*
        }
    };
}

declared_chain! {
    ROW0 => ROW1, ROW1 => ROW2, ROW2 => ROW3, ROW3 => ROW4, ROW4 => ROW5, ROW5 => ROW6, ROW6 => ROW7,
    ROW7 => ROW8, ROW8 => ROW9, ROW9 => ROW10, ROW10 => ROW11, ROW11 => ROW12, ROW12 => ROW13, ROW13 => ROW14,
    ROW14 => ROW15, ROW15 => ROW16, ROW16 => ROW17, ROW17 => ROW18, ROW18 => ROW19, ROW19 => ROW20,
    ROW20 => ROW21, ROW21 => ROW22, ROW22 => ROW23, ROW23 => ROW24, ROW24 => ROW25, ROW25 => ROW26,
    ROW26 => ROW27, ROW27 => ROW28, ROW28 => ROW29, ROW29 => ROW30, ROW30 => ROW31, ROW31 => ROW32,
    ROW32 => ROW33, ROW33 => ROW34, ROW34 => ROW35, ROW35 => ROW36, ROW36 => ROW37, ROW37 => ROW38,
    ROW38 => ROW39, ROW39 => ROW40, ROW40 => ROW41, ROW41 => ROW42, ROW42 => ROW43, ROW43 => ROW44,
    ROW44 => ROW45, ROW45 => ROW46, ROW46 => ROW47, ROW47 => ROW48, ROW48 => ROW49, ROW49 => ROW50,
    ROW50 => ROW51, ROW51 => ROW52, ROW52 => ROW53, ROW53 => ROW54, ROW54 => ROW55, ROW55 => ROW56,
    ROW56 => ROW57, ROW57 => ROW58, ROW58 => ROW59, ROW59 => ROW60, ROW60 => ROW61, ROW61 => ROW62,
    ROW62 => ROW63, ROW63 => ROW64, ROW64 => ROW65, ROW65 => ROW66, ROW66 => ROW67, ROW67 => ROW68,
    ROW68 => ROW69, ROW69 => ROW70, ROW70 => ROW71, ROW71 => ROW72, ROW72 => ROW73, ROW73 => ROW74,
    ROW74 => ROW75, ROW75 => ROW76, ROW76 => ROW77, ROW77 => ROW78, ROW78 => ROW79, ROW79 => ROW80,
    ROW80 => ROW81, ROW81 => ROW82, ROW82 => ROW83, ROW83 => ROW84, ROW84 => ROW85, ROW85 => ROW86,
    ROW86 => ROW87, ROW87 => ROW88, ROW88 => ROW89, ROW89 => ROW90, ROW90 => ROW91, ROW91 => ROW92,
    ROW92 => ROW93, ROW93 => ROW94, ROW94 => ROW95, ROW95 => ROW96, ROW96 => ROW97, ROW97 => ROW98,
    ROW98 => ROW99, ROW99 => ROW100, ROW100 => ROW101, ROW101 => ROW102, ROW102 => ROW103, ROW103 => ROW104,
    ROW104 => ROW105, ROW105 => ROW106, ROW106 => ROW107, ROW107 => ROW108, ROW108 => ROW109,
    ROW109 => ROW110, ROW110 => ROW111, ROW111 => ROW112, ROW112 => ROW113, ROW113 => ROW114,
    ROW114 => ROW115, ROW115 => ROW116, ROW116 => ROW117, ROW117 => ROW118, ROW118 => ROW119,
    ROW119 => ROW120, ROW120 => ROW121, ROW121 => ROW122, ROW122 => ROW123, ROW123 => ROW124,
    ROW124 => ROW125, ROW125 => ROW126, ROW126 => ROW127, ROW127 => ROW128, ROW128 => ROW129,
    ROW129 => ROW130, ROW130 => ROW131, ROW131 => ROW132, ROW132 => ROW133, ROW133 => ROW134,
    ROW134 => ROW135, ROW135 => ROW136, ROW136 => ROW137, ROW137 => ROW138, ROW138 => ROW139,
    ROW139 => ROW140, ROW140 => ROW141, ROW141 => ROW142, ROW142 => ROW143, ROW143 => ROW144,
    ROW144 => ROW145, ROW145 => ROW146, ROW146 => ROW147, ROW147 => ROW148, ROW148 => ROW149,
    ROW149 => ROW150, ROW150 => ROW151, ROW151 => ROW152, ROW152 => ROW153, ROW153 => ROW154,
    ROW154 => ROW155, ROW155 => ROW156, ROW156 => ROW157, ROW157 => ROW158, ROW158 => ROW159,
    ROW159 => ROW160, ROW160 => ROW161, ROW161 => ROW162, ROW162 => ROW163, ROW163 => ROW164,
    ROW164 => ROW165, ROW165 => ROW166, ROW166 => ROW167, ROW167 => ROW168, ROW168 => ROW169,
    ROW169 => ROW170, ROW170 => ROW171, ROW171 => ROW172, ROW172 => ROW173, ROW173 => ROW174,
    ROW174 => ROW175, ROW175 => ROW176, ROW176 => ROW177, ROW177 => ROW178, ROW178 => ROW179,
    ROW179 => ROW180, ROW180 => ROW181, ROW181 => ROW182, ROW182 => ROW183, ROW183 => ROW184,
    ROW184 => ROW185, ROW185 => ROW186, ROW186 => ROW187, ROW187 => ROW188, ROW188 => ROW189,
    ROW189 => ROW190, ROW190 => ROW191, ROW191 => ROW192, ROW192 => ROW193, ROW193 => ROW194,
    ROW194 => ROW195, ROW195 => ROW196, ROW196 => ROW197, ROW197 => ROW198, ROW198 => ROW199,
    ROW199 => ROW200, ROW200 => ROW201, ROW201 => ROW202, ROW202 => ROW203, ROW203 => ROW204,
    ROW204 => ROW205, ROW205 => ROW206, ROW206 => ROW207, ROW207 => ROW208, ROW208 => ROW209,
    ROW209 => ROW210, ROW210 => ROW211, ROW211 => ROW212, ROW212 => ROW213, ROW213 => ROW214,
    ROW214 => ROW215, ROW215 => ROW216, ROW216 => ROW217, ROW217 => ROW218, ROW218 => ROW219,
    ROW219 => ROW220, ROW220 => ROW221, ROW221 => ROW222, ROW222 => ROW223, ROW223 => ROW224,
    ROW224 => ROW225, ROW225 => ROW226, ROW226 => ROW227, ROW227 => ROW228, ROW228 => ROW229,
    ROW229 => ROW230, ROW230 => ROW231, ROW231 => ROW232, ROW232 => ROW233, ROW233 => ROW234,
    ROW234 => ROW235, ROW235 => ROW236, ROW236 => ROW237, ROW237 => ROW238, ROW238 => ROW239,
    ROW239 => ROW240, ROW240 => ROW241, ROW241 => ROW242, ROW242 => ROW243, ROW243 => ROW244,
    ROW244 => ROW245, ROW245 => ROW246, ROW246 => ROW247, ROW247 => ROW248, ROW248 => ROW249,
    ROW249 => ROW250, ROW250 => ROW251, ROW251 => ROW252, ROW252 => ROW253, ROW253 => ROW254,
    ROW254 => ROW255, ROW255 => ROW256, ROW256 => ROW257, ROW257 => ROW258, ROW258 => ROW259,
    ROW259 => ROW260, ROW260 => ROW261, ROW261 => ROW262, ROW262 => ROW263, ROW263 => ROW264,
    ROW264 => ROW265, ROW265 => ROW266, ROW266 => ROW267, ROW267 => ROW268, ROW268 => ROW269,
    ROW269 => ROW270, ROW270 => ROW271, ROW271 => ROW272, ROW272 => ROW273, ROW273 => ROW274,
    ROW274 => ROW275, ROW275 => ROW276, ROW276 => ROW277, ROW277 => ROW278, ROW278 => ROW279,
    ROW279 => ROW280, ROW280 => ROW281, ROW281 => ROW282, ROW282 => ROW283, ROW283 => ROW284,
    ROW284 => ROW285, ROW285 => ROW286, ROW286 => ROW287, ROW287 => ROW288, ROW288 => ROW289,
    ROW289 => ROW290, ROW290 => ROW291, ROW291 => ROW292, ROW292 => ROW293, ROW293 => ROW294,
    ROW294 => ROW295, ROW295 => ROW296, ROW296 => ROW297, ROW297 => ROW298, ROW298 => ROW299,
    ROW299 => ROW300, ROW300 => ROW301, ROW301 => ROW302, ROW302 => ROW303, ROW303 => ROW304,
    ROW304 => ROW305, ROW305 => ROW306, ROW306 => ROW307, ROW307 => ROW308, ROW308 => ROW309,
    ROW309 => ROW310, ROW310 => ROW311, ROW311 => ROW312, ROW312 => ROW313, ROW313 => ROW314,
    ROW314 => ROW315, ROW315 => ROW316, ROW316 => ROW317, ROW317 => ROW318, ROW318 => ROW319,
    ROW319 => ROW320, ROW320 => ROW321, ROW321 => ROW322, ROW322 => ROW323, ROW323 => ROW324,
    ROW324 => ROW325, ROW325 => ROW326, ROW326 => ROW327, ROW327 => ROW328, ROW328 => ROW329,
    ROW329 => ROW330, ROW330 => ROW331, ROW331 => ROW332, ROW332 => ROW333, ROW333 => ROW334,
    ROW334 => ROW335, ROW335 => ROW336, ROW336 => ROW337, ROW337 => ROW338, ROW338 => ROW339,
    ROW339 => ROW340, ROW340 => ROW341, ROW341 => ROW342, ROW342 => ROW343, ROW343 => ROW344,
    ROW344 => ROW345, ROW345 => ROW346, ROW346 => ROW347, ROW347 => ROW348, ROW348 => ROW349,
    ROW349 => ROW350, ROW350 => ROW351, ROW351 => ROW352, ROW352 => ROW353, ROW353 => ROW354,
    ROW354 => ROW355, ROW355 => ROW356, ROW356 => ROW357, ROW357 => ROW358, ROW358 => ROW359,
    ROW359 => ROW360, ROW360 => ROW361, ROW361 => ROW362, ROW362 => ROW363, ROW363 => ROW364,
    ROW364 => ROW365, ROW365 => ROW366, ROW366 => ROW367, ROW367 => ROW368, ROW368 => ROW369,
    ROW369 => ROW370, ROW370 => ROW371, ROW371 => ROW372, ROW372 => ROW373, ROW373 => ROW374,
    ROW374 => ROW375, ROW375 => ROW376, ROW376 => ROW377, ROW377 => ROW378, ROW378 => ROW379,
    ROW379 => ROW380, ROW380 => ROW381, ROW381 => ROW382, ROW382 => ROW383, ROW383 => ROW384,
    ROW384 => ROW385, ROW385 => ROW386, ROW386 => ROW387, ROW387 => ROW388, ROW388 => ROW389,
    ROW389 => ROW390, ROW390 => ROW391, ROW391 => ROW392, ROW392 => ROW393, ROW393 => ROW394,
    ROW394 => ROW395, ROW395 => ROW396, ROW396 => ROW397, ROW397 => ROW398, ROW398 => ROW399,
    ROW399 => ROW400, ROW400 => ROW401, ROW401 => ROW402, ROW402 => ROW403, ROW403 => ROW404,
    ROW404 => ROW405, ROW405 => ROW406, ROW406 => ROW407, ROW407 => ROW408, ROW408 => ROW409,
    ROW409 => ROW410, ROW410 => ROW411, ROW411 => ROW412, ROW412 => ROW413, ROW413 => ROW414,
    ROW414 => ROW415, ROW415 => ROW416, ROW416 => ROW417, ROW417 => ROW418, ROW418 => ROW419,
    ROW419 => ROW420, ROW420 => ROW421, ROW421 => ROW422, ROW422 => ROW423, ROW423 => ROW424,
    ROW424 => ROW425, ROW425 => ROW426, ROW426 => ROW427, ROW427 => ROW428, ROW428 => ROW429,
    ROW429 => ROW430, ROW430 => ROW431, ROW431 => ROW432, ROW432 => ROW433, ROW433 => ROW434,
    ROW434 => ROW435, ROW435 => ROW436, ROW436 => ROW437, ROW437 => ROW438, ROW438 => ROW439,
    ROW439 => ROW440, ROW440 => ROW441, ROW441 => ROW442, ROW442 => ROW443, ROW443 => ROW444,
    ROW444 => ROW445, ROW445 => ROW446, ROW446 => ROW447, ROW447 => ROW448, ROW448 => ROW449,
    ROW449 => ROW450, ROW450 => ROW451, ROW451 => ROW452, ROW452 => ROW453, ROW453 => ROW454,
    ROW454 => ROW455, ROW455 => ROW456, ROW456 => ROW457, ROW457 => ROW458, ROW458 => ROW459,
    ROW459 => ROW460, ROW460 => ROW461, ROW461 => ROW462, ROW462 => ROW463, ROW463 => ROW464,
    ROW464 => ROW465, ROW465 => ROW466, ROW466 => ROW467, ROW467 => ROW468, ROW468 => ROW469,
    ROW469 => ROW470, ROW470 => ROW471, ROW471 => ROW472, ROW472 => ROW473, ROW473 => ROW474,
    ROW474 => ROW475, ROW475 => ROW476, ROW476 => ROW477, ROW477 => ROW478, ROW478 => ROW479,
    ROW479 => ROW480, ROW480 => ROW481, ROW481 => ROW482, ROW482 => ROW483, ROW483 => ROW484,
    ROW484 => ROW485, ROW485 => ROW486, ROW486 => ROW487, ROW487 => ROW488, ROW488 => ROW489,
    ROW489 => ROW490, ROW490 => ROW491, ROW491 => ROW492, ROW492 => ROW493, ROW493 => ROW494,
    ROW494 => ROW495, ROW495 => ROW496, ROW496 => ROW497, ROW497 => ROW498, ROW498 => ROW499,
    ROW499 => ROW500, ROW500 => ROW501, ROW501 => ROW502, ROW502 => ROW503, ROW503 => ROW504,
    ROW504 => ROW505, ROW505 => ROW506, ROW506 => ROW507, ROW507 => ROW508, ROW508 => ROW509,
    ROW509 => ROW510, ROW510 => ROW511, ROW511 => ROW512, ROW512 => ROW513, ROW513 => ROW514,
    ROW514 => ROW515, ROW515 => ROW516, ROW516 => ROW517, ROW517 => ROW518, ROW518 => ROW519,
    ROW519 => ROW520, ROW520 => ROW521, ROW521 => ROW522, ROW522 => ROW523, ROW523 => ROW524,
    ROW524 => ROW525, ROW525 => ROW526, ROW526 => ROW527, ROW527 => ROW528, ROW528 => ROW529,
    ROW529 => ROW530, ROW530 => ROW531, ROW531 => ROW532, ROW532 => ROW533, ROW533 => ROW534,
    ROW534 => ROW535, ROW535 => ROW536, ROW536 => ROW537, ROW537 => ROW538, ROW538 => ROW539,
    ROW539 => ROW540, ROW540 => ROW541, ROW541 => ROW542, ROW542 => ROW543, ROW543 => ROW544,
    ROW544 => ROW545, ROW545 => ROW546, ROW546 => ROW547, ROW547 => ROW548, ROW548 => ROW549,
    ROW549 => ROW550, ROW550 => ROW551, ROW551 => ROW552, ROW552 => ROW553, ROW553 => ROW554,
    ROW554 => ROW555, ROW555 => ROW556, ROW556 => ROW557, ROW557 => ROW558, ROW558 => ROW559,
    ROW559 => ROW560, ROW560 => ROW561, ROW561 => ROW562, ROW562 => ROW563, ROW563 => ROW564,
    ROW564 => ROW565, ROW565 => ROW566, ROW566 => ROW567, ROW567 => ROW568, ROW568 => ROW569,
    ROW569 => ROW570, ROW570 => ROW571, ROW571 => ROW572, ROW572 => ROW573, ROW573 => ROW574,
    ROW574 => ROW575, ROW575 => ROW576, ROW576 => ROW577, ROW577 => ROW578, ROW578 => ROW579,
    ROW579 => ROW580, ROW580 => ROW581, ROW581 => ROW582, ROW582 => ROW583, ROW583 => ROW584,
    ROW584 => ROW585, ROW585 => ROW586, ROW586 => ROW587, ROW587 => ROW588, ROW588 => ROW589,
    ROW589 => ROW590, ROW590 => ROW591, ROW591 => ROW592, ROW592 => ROW593, ROW593 => ROW594,
    ROW594 => ROW595, ROW595 => ROW596, ROW596 => ROW597, ROW597 => ROW598, ROW598 => ROW599,
    ROW599 => ROW600, ROW600 => ROW601, ROW601 => ROW602, ROW602 => ROW603, ROW603 => ROW604,
    ROW604 => ROW605, ROW605 => ROW606, ROW606 => ROW607, ROW607 => ROW608, ROW608 => ROW609,
    ROW609 => ROW610, ROW610 => ROW611, ROW611 => ROW612, ROW612 => ROW613, ROW613 => ROW614,
    ROW614 => ROW615, ROW615 => ROW616, ROW616 => ROW617, ROW617 => ROW618, ROW618 => ROW619,
    ROW619 => ROW620, ROW620 => ROW621, ROW621 => ROW622, ROW622 => ROW623, ROW623 => ROW624,
    ROW624 => ROW625, ROW625 => ROW626, ROW626 => ROW627, ROW627 => ROW628, ROW628 => ROW629,
    ROW629 => ROW630, ROW630 => ROW631, ROW631 => ROW632, ROW632 => ROW633, ROW633 => ROW634,
    ROW634 => ROW635, ROW635 => ROW636, ROW636 => ROW637, ROW637 => ROW638, ROW638 => ROW639,
    ROW639 => ROW640, ROW640 => ROW641, ROW641 => ROW642, ROW642 => ROW643, ROW643 => ROW644,
    ROW644 => ROW645, ROW645 => ROW646, ROW646 => ROW647, ROW647 => ROW648, ROW648 => ROW649,
    ROW649 => ROW650, ROW650 => ROW651, ROW651 => ROW652, ROW652 => ROW653, ROW653 => ROW654,
    ROW654 => ROW655, ROW655 => ROW656, ROW656 => ROW657, ROW657 => ROW658, ROW658 => ROW659,
    ROW659 => ROW660, ROW660 => ROW661, ROW661 => ROW662, ROW662 => ROW663, ROW663 => ROW664,
    ROW664 => ROW665, ROW665 => ROW666, ROW666 => ROW667, ROW667 => ROW668, ROW668 => ROW669,
    ROW669 => ROW670, ROW670 => ROW671, ROW671 => ROW672, ROW672 => ROW673, ROW673 => ROW674,
    ROW674 => ROW675, ROW675 => ROW676, ROW676 => ROW677, ROW677 => ROW678, ROW678 => ROW679,
    ROW679 => ROW680, ROW680 => ROW681, ROW681 => ROW682, ROW682 => ROW683, ROW683 => ROW684,
    ROW684 => ROW685, ROW685 => ROW686, ROW686 => ROW687, ROW687 => ROW688, ROW688 => ROW689,
    ROW689 => ROW690, ROW690 => ROW691, ROW691 => ROW692, ROW692 => ROW693, ROW693 => ROW694,
    ROW694 => ROW695, ROW695 => ROW696, ROW696 => ROW697, ROW697 => ROW698, ROW698 => ROW699,
    ROW699 => ROW700, ROW700 => ROW701, ROW701 => ROW702, ROW702 => ROW703, ROW703 => ROW704,
    ROW704 => ROW705, ROW705 => ROW706, ROW706 => ROW707, ROW707 => ROW708, ROW708 => ROW709,
    ROW709 => ROW710, ROW710 => ROW711, ROW711 => ROW712, ROW712 => ROW713, ROW713 => ROW714,
    ROW714 => ROW715, ROW715 => ROW716, ROW716 => ROW717, ROW717 => ROW718, ROW718 => ROW719,
    ROW719 => ROW720, ROW720 => ROW721, ROW721 => ROW722, ROW722 => ROW723, ROW723 => ROW724,
    ROW724 => ROW725, ROW725 => ROW726, ROW726 => ROW727, ROW727 => ROW728, ROW728 => ROW729,
    ROW729 => ROW730, ROW730 => ROW731, ROW731 => ROW732, ROW732 => ROW733, ROW733 => ROW734,
    ROW734 => ROW735, ROW735 => ROW736, ROW736 => ROW737, ROW737 => ROW738, ROW738 => ROW739,
    ROW739 => ROW740, ROW740 => ROW741, ROW741 => ROW742, ROW742 => ROW743, ROW743 => ROW744,
    ROW744 => ROW745, ROW745 => ROW746, ROW746 => ROW747, ROW747 => ROW748, ROW748 => ROW749,
    ROW749 => ROW750, ROW750 => ROW751, ROW751 => ROW752, ROW752 => ROW753, ROW753 => ROW754,
    ROW754 => ROW755, ROW755 => ROW756, ROW756 => ROW757, ROW757 => ROW758, ROW758 => ROW759,
    ROW759 => ROW760, ROW760 => ROW761, ROW761 => ROW762, ROW762 => ROW763, ROW763 => ROW764,
    ROW764 => ROW765, ROW765 => ROW766, ROW766 => ROW767, ROW767 => ROW768, ROW768 => ROW769,
    ROW769 => ROW770, ROW770 => ROW771, ROW771 => ROW772, ROW772 => ROW773, ROW773 => ROW774,
    ROW774 => ROW775, ROW775 => ROW776, ROW776 => ROW777, ROW777 => ROW778, ROW778 => ROW779,
    ROW779 => ROW780, ROW780 => ROW781, ROW781 => ROW782, ROW782 => ROW783, ROW783 => ROW784,
    ROW784 => ROW785, ROW785 => ROW786, ROW786 => ROW787, ROW787 => ROW788, ROW788 => ROW789,
    ROW789 => ROW790, ROW790 => ROW791, ROW791 => ROW792, ROW792 => ROW793, ROW793 => ROW794,
    ROW794 => ROW795, ROW795 => ROW796, ROW796 => ROW797, ROW797 => ROW798, ROW798 => ROW799,
    ROW799 => ROW800, ROW800 => ROW801, ROW801 => ROW802, ROW802 => ROW803, ROW803 => ROW804,
    ROW804 => ROW805, ROW805 => ROW806, ROW806 => ROW807, ROW807 => ROW808, ROW808 => ROW809,
    ROW809 => ROW810, ROW810 => ROW811, ROW811 => ROW812, ROW812 => ROW813, ROW813 => ROW814,
    ROW814 => ROW815, ROW815 => ROW816, ROW816 => ROW817, ROW817 => ROW818, ROW818 => ROW819,
    ROW819 => ROW820, ROW820 => ROW821, ROW821 => ROW822, ROW822 => ROW823, ROW823 => ROW824,
    ROW824 => ROW825, ROW825 => ROW826, ROW826 => ROW827, ROW827 => ROW828, ROW828 => ROW829,
    ROW829 => ROW830, ROW830 => ROW831, ROW831 => ROW832, ROW832 => ROW833, ROW833 => ROW834,
    ROW834 => ROW835, ROW835 => ROW836, ROW836 => ROW837, ROW837 => ROW838, ROW838 => ROW839,
    ROW839 => ROW840, ROW840 => ROW841, ROW841 => ROW842, ROW842 => ROW843, ROW843 => ROW844,
    ROW844 => ROW845, ROW845 => ROW846, ROW846 => ROW847, ROW847 => ROW848, ROW848 => ROW849,
    ROW849 => ROW850, ROW850 => ROW851, ROW851 => ROW852, ROW852 => ROW853, ROW853 => ROW854,
    ROW854 => ROW855, ROW855 => ROW856, ROW856 => ROW857, ROW857 => ROW858, ROW858 => ROW859,
    ROW859 => ROW860, ROW860 => ROW861, ROW861 => ROW862, ROW862 => ROW863, ROW863 => ROW864,
    ROW864 => ROW865, ROW865 => ROW866, ROW866 => ROW867, ROW867 => ROW868, ROW868 => ROW869,
    ROW869 => ROW870, ROW870 => ROW871, ROW871 => ROW872, ROW872 => ROW873, ROW873 => ROW874,
    ROW874 => ROW875, ROW875 => ROW876, ROW876 => ROW877, ROW877 => ROW878, ROW878 => ROW879,
    ROW879 => ROW880, ROW880 => ROW881, ROW881 => ROW882, ROW882 => ROW883, ROW883 => ROW884,
    ROW884 => ROW885, ROW885 => ROW886, ROW886 => ROW887, ROW887 => ROW888, ROW888 => ROW889,
    ROW889 => ROW890, ROW890 => ROW891, ROW891 => ROW892, ROW892 => ROW893, ROW893 => ROW894,
    ROW894 => ROW895, ROW895 => ROW896, ROW896 => ROW897, ROW897 => ROW898, ROW898 => ROW899,
    ROW899 => ROW900, ROW900 => ROW901, ROW901 => ROW902, ROW902 => ROW903, ROW903 => ROW904,
    ROW904 => ROW905, ROW905 => ROW906, ROW906 => ROW907, ROW907 => ROW908, ROW908 => ROW909,
    ROW909 => ROW910, ROW910 => ROW911, ROW911 => ROW912, ROW912 => ROW913, ROW913 => ROW914,
    ROW914 => ROW915, ROW915 => ROW916, ROW916 => ROW917, ROW917 => ROW918, ROW918 => ROW919,
    ROW919 => ROW920, ROW920 => ROW921, ROW921 => ROW922, ROW922 => ROW923, ROW923 => ROW924,
    ROW924 => ROW925, ROW925 => ROW926, ROW926 => ROW927, ROW927 => ROW928, ROW928 => ROW929,
    ROW929 => ROW930, ROW930 => ROW931, ROW931 => ROW932, ROW932 => ROW933, ROW933 => ROW934,
    ROW934 => ROW935, ROW935 => ROW936, ROW936 => ROW937, ROW937 => ROW938, ROW938 => ROW939,
    ROW939 => ROW940, ROW940 => ROW941, ROW941 => ROW942, ROW942 => ROW943, ROW943 => ROW944,
    ROW944 => ROW945, ROW945 => ROW946, ROW946 => ROW947, ROW947 => ROW948, ROW948 => ROW949,
    ROW949 => ROW950, ROW950 => ROW951, ROW951 => ROW952, ROW952 => ROW953, ROW953 => ROW954,
    ROW954 => ROW955, ROW955 => ROW956, ROW956 => ROW957, ROW957 => ROW958, ROW958 => ROW959,
    ROW959 => ROW960, ROW960 => ROW961, ROW961 => ROW962, ROW962 => ROW963, ROW963 => ROW964,
    ROW964 => ROW965, ROW965 => ROW966, ROW966 => ROW967, ROW967 => ROW968, ROW968 => ROW969,
    ROW969 => ROW970, ROW970 => ROW971, ROW971 => ROW972, ROW972 => ROW973, ROW973 => ROW974,
    ROW974 => ROW975, ROW975 => ROW976, ROW976 => ROW977, ROW977 => ROW978, ROW978 => ROW979,
    ROW979 => ROW980, ROW980 => ROW981, ROW981 => ROW982, ROW982 => ROW983, ROW983 => ROW984,
    ROW984 => ROW985, ROW985 => ROW986, ROW986 => ROW987, ROW987 => ROW988, ROW988 => ROW989,
    ROW989 => ROW990, ROW990 => ROW991, ROW991 => ROW992, ROW992 => ROW993, ROW993 => ROW994,
    ROW994 => ROW995, ROW995 => ROW996, ROW996 => ROW997, ROW997 => ROW998, ROW998 => ROW999,
    ROW999 => ROW1000, ROW1000 => ROW1001, ROW1001 => ROW1002, ROW1002 => ROW1003, ROW1003 => ROW1004,
    ROW1004 => ROW1005, ROW1005 => ROW1006, ROW1006 => ROW1007, ROW1007 => ROW1008, ROW1008 => ROW1009,
    ROW1009 => ROW1010, ROW1010 => ROW1011, ROW1011 => ROW1012, ROW1012 => ROW1013, ROW1013 => ROW1014,
    ROW1014 => ROW1015, ROW1015 => ROW1016, ROW1016 => ROW1017, ROW1017 => ROW1018, ROW1018 => ROW1019,
    ROW1019 => ROW1020, ROW1020 => ROW1021, ROW1021 => ROW1022, ROW1022 => ROW1023, ROW1023 => ROW1024,
    ROW1024 => ROW1025, ROW1025 => ROW1026, ROW1026 => ROW1027, ROW1027 => ROW1028, ROW1028 => ROW1029,
    ROW1029 => ROW1030, ROW1030 => ROW1031, ROW1031 => ROW1032, ROW1032 => ROW1033, ROW1033 => ROW1034,
    ROW1034 => ROW1035, ROW1035 => ROW1036, ROW1036 => ROW1037, ROW1037 => ROW1038, ROW1038 => ROW1039,
    ROW1039 => ROW1040, ROW1040 => ROW1041, ROW1041 => ROW1042, ROW1042 => ROW1043, ROW1043 => ROW1044,
    ROW1044 => ROW1045, ROW1045 => ROW1046, ROW1046 => ROW1047, ROW1047 => ROW1048, ROW1048 => ROW1049,
    ROW1049 => ROW1050, ROW1050 => ROW1051, ROW1051 => ROW1052, ROW1052 => ROW1053, ROW1053 => ROW1054,
    ROW1054 => ROW1055, ROW1055 => ROW1056, ROW1056 => ROW1057, ROW1057 => ROW1058, ROW1058 => ROW1059,
    ROW1059 => ROW1060, ROW1060 => ROW1061, ROW1061 => ROW1062, ROW1062 => ROW1063, ROW1063 => ROW1064,
    ROW1064 => ROW1065, ROW1065 => ROW1066, ROW1066 => ROW1067, ROW1067 => ROW1068, ROW1068 => ROW1069,
    ROW1069 => ROW1070, ROW1070 => ROW1071, ROW1071 => ROW1072, ROW1072 => ROW1073, ROW1073 => ROW1074,
    ROW1074 => ROW1075, ROW1075 => ROW1076, ROW1076 => ROW1077, ROW1077 => ROW1078, ROW1078 => ROW1079,
    ROW1079 => ROW1080, ROW1080 => ROW1081, ROW1081 => ROW1082, ROW1082 => ROW1083, ROW1083 => ROW1084,
    ROW1084 => ROW1085, ROW1085 => ROW1086, ROW1086 => ROW1087, ROW1087 => ROW1088, ROW1088 => ROW1089,
    ROW1089 => ROW1090, ROW1090 => ROW1091, ROW1091 => ROW1092, ROW1092 => ROW1093, ROW1093 => ROW1094,
    ROW1094 => ROW1095, ROW1095 => ROW1096, ROW1096 => ROW1097, ROW1097 => ROW1098, ROW1098 => ROW1099,
    ROW1099 => ROW1100, ROW1100 => ROW1101, ROW1101 => ROW1102, ROW1102 => ROW1103, ROW1103 => ROW1104,
    ROW1104 => ROW1105, ROW1105 => ROW1106, ROW1106 => ROW1107, ROW1107 => ROW1108, ROW1108 => ROW1109,
    ROW1109 => ROW1110, ROW1110 => ROW1111, ROW1111 => ROW1112, ROW1112 => ROW1113, ROW1113 => ROW1114,
    ROW1114 => ROW1115, ROW1115 => ROW1116, ROW1116 => ROW1117, ROW1117 => ROW1118, ROW1118 => ROW1119,
    ROW1119 => ROW1120, ROW1120 => ROW1121, ROW1121 => ROW1122, ROW1122 => ROW1123, ROW1123 => ROW1124,
    ROW1124 => ROW1125, ROW1125 => ROW1126, ROW1126 => ROW1127, ROW1127 => ROW1128, ROW1128 => ROW1129,
    ROW1129 => ROW1130, ROW1130 => ROW1131, ROW1131 => ROW1132, ROW1132 => ROW1133, ROW1133 => ROW1134,
    ROW1134 => ROW1135, ROW1135 => ROW1136, ROW1136 => ROW1137, ROW1137 => ROW1138, ROW1138 => ROW1139,
    ROW1139 => ROW1140, ROW1140 => ROW1141, ROW1141 => ROW1142, ROW1142 => ROW1143, ROW1143 => ROW1144,
    ROW1144 => ROW1145, ROW1145 => ROW1146, ROW1146 => ROW1147, ROW1147 => ROW1148, ROW1148 => ROW1149,
    ROW1149 => ROW1150, ROW1150 => ROW1151, ROW1151 => ROW1152, ROW1152 => ROW1153, ROW1153 => ROW1154,
    ROW1154 => ROW1155, ROW1155 => ROW1156, ROW1156 => ROW1157, ROW1157 => ROW1158, ROW1158 => ROW1159,
    ROW1159 => ROW1160, ROW1160 => ROW1161, ROW1161 => ROW1162, ROW1162 => ROW1163, ROW1163 => ROW1164,
    ROW1164 => ROW1165, ROW1165 => ROW1166, ROW1166 => ROW1167, ROW1167 => ROW1168, ROW1168 => ROW1169,
    ROW1169 => ROW1170, ROW1170 => ROW1171, ROW1171 => ROW1172, ROW1172 => ROW1173, ROW1173 => ROW1174,
    ROW1174 => ROW1175, ROW1175 => ROW1176, ROW1176 => ROW1177, ROW1177 => ROW1178, ROW1178 => ROW1179,
    ROW1179 => ROW1180, ROW1180 => ROW1181, ROW1181 => ROW1182, ROW1182 => ROW1183, ROW1183 => ROW1184,
    ROW1184 => ROW1185, ROW1185 => ROW1186, ROW1186 => ROW1187, ROW1187 => ROW1188, ROW1188 => ROW1189,
    ROW1189 => ROW1190, ROW1190 => ROW1191, ROW1191 => ROW1192, ROW1192 => ROW1193, ROW1193 => ROW1194,
    ROW1194 => ROW1195, ROW1195 => ROW1196, ROW1196 => ROW1197, ROW1197 => ROW1198, ROW1198 => ROW1199,
    ROW1199 => ROW1200, ROW1200 => ROW1201, ROW1201 => ROW1202, ROW1202 => ROW1203, ROW1203 => ROW1204,
    ROW1204 => ROW1205, ROW1205 => ROW1206, ROW1206 => ROW1207, ROW1207 => ROW1208, ROW1208 => ROW1209,
    ROW1209 => ROW1210, ROW1210 => ROW1211, ROW1211 => ROW1212, ROW1212 => ROW1213, ROW1213 => ROW1214,
    ROW1214 => ROW1215, ROW1215 => ROW1216, ROW1216 => ROW1217, ROW1217 => ROW1218, ROW1218 => ROW1219,
    ROW1219 => ROW1220, ROW1220 => ROW1221, ROW1221 => ROW1222, ROW1222 => ROW1223, ROW1223 => ROW1224,
    ROW1224 => ROW1225, ROW1225 => ROW1226, ROW1226 => ROW1227, ROW1227 => ROW1228, ROW1228 => ROW1229,
    ROW1229 => ROW1230, ROW1230 => ROW1231, ROW1231 => ROW1232, ROW1232 => ROW1233, ROW1233 => ROW1234,
    ROW1234 => ROW1235, ROW1235 => ROW1236, ROW1236 => ROW1237, ROW1237 => ROW1238, ROW1238 => ROW1239,
    ROW1239 => ROW1240, ROW1240 => ROW1241, ROW1241 => ROW1242, ROW1242 => ROW1243, ROW1243 => ROW1244,
    ROW1244 => ROW1245, ROW1245 => ROW1246, ROW1246 => ROW1247, ROW1247 => ROW1248, ROW1248 => ROW1249,
    ROW1249 => ROW1250, ROW1250 => ROW1251, ROW1251 => ROW1252, ROW1252 => ROW1253, ROW1253 => ROW1254,
    ROW1254 => ROW1255, ROW1255 => ROW1256, ROW1256 => ROW1257, ROW1257 => ROW1258, ROW1258 => ROW1259,
    ROW1259 => ROW1260, ROW1260 => ROW1261, ROW1261 => ROW1262, ROW1262 => ROW1263, ROW1263 => ROW1264,
    ROW1264 => ROW1265, ROW1265 => ROW1266, ROW1266 => ROW1267, ROW1267 => ROW1268, ROW1268 => ROW1269,
    ROW1269 => ROW1270, ROW1270 => ROW1271, ROW1271 => ROW1272, ROW1272 => ROW1273, ROW1273 => ROW1274,
    ROW1274 => ROW1275, ROW1275 => ROW1276, ROW1276 => ROW1277, ROW1277 => ROW1278, ROW1278 => ROW1279,
    ROW1279 => ROW1280, ROW1280 => ROW1281, ROW1281 => ROW1282, ROW1282 => ROW1283, ROW1283 => ROW1284,
    ROW1284 => ROW1285, ROW1285 => ROW1286, ROW1286 => ROW1287, ROW1287 => ROW1288, ROW1288 => ROW1289,
    ROW1289 => ROW1290, ROW1290 => ROW1291, ROW1291 => ROW1292, ROW1292 => ROW1293, ROW1293 => ROW1294,
    ROW1294 => ROW1295, ROW1295 => ROW1296, ROW1296 => ROW1297, ROW1297 => ROW1298, ROW1298 => ROW1299,
    ROW1299 => ROW1300, ROW1300 => ROW1301, ROW1301 => ROW1302, ROW1302 => ROW1303, ROW1303 => ROW1304,
    ROW1304 => ROW1305, ROW1305 => ROW1306, ROW1306 => ROW1307, ROW1307 => ROW1308, ROW1308 => ROW1309,
    ROW1309 => ROW1310, ROW1310 => ROW1311, ROW1311 => ROW1312, ROW1312 => ROW1313, ROW1313 => ROW1314,
    ROW1314 => ROW1315, ROW1315 => ROW1316, ROW1316 => ROW1317, ROW1317 => ROW1318, ROW1318 => ROW1319,
    ROW1319 => ROW1320, ROW1320 => ROW1321, ROW1321 => ROW1322, ROW1322 => ROW1323, ROW1323 => ROW1324,
    ROW1324 => ROW1325, ROW1325 => ROW1326, ROW1326 => ROW1327, ROW1327 => ROW1328, ROW1328 => ROW1329,
    ROW1329 => ROW1330, ROW1330 => ROW1331, ROW1331 => ROW1332, ROW1332 => ROW1333, ROW1333 => ROW1334,
    ROW1334 => ROW1335, ROW1335 => ROW1336, ROW1336 => ROW1337, ROW1337 => ROW1338, ROW1338 => ROW1339,
    ROW1339 => ROW1340, ROW1340 => ROW1341, ROW1341 => ROW1342, ROW1342 => ROW1343, ROW1343 => ROW1344,
    ROW1344 => ROW1345, ROW1345 => ROW1346, ROW1346 => ROW1347, ROW1347 => ROW1348, ROW1348 => ROW1349,
    ROW1349 => ROW1350, ROW1350 => ROW1351, ROW1351 => ROW1352, ROW1352 => ROW1353, ROW1353 => ROW1354,
    ROW1354 => ROW1355, ROW1355 => ROW1356, ROW1356 => ROW1357, ROW1357 => ROW1358, ROW1358 => ROW1359,
    ROW1359 => ROW1360, ROW1360 => ROW1361, ROW1361 => ROW1362, ROW1362 => ROW1363, ROW1363 => ROW1364,
    ROW1364 => ROW1365, ROW1365 => ROW1366, ROW1366 => ROW1367, ROW1367 => ROW1368, ROW1368 => ROW1369,
    ROW1369 => ROW1370, ROW1370 => ROW1371, ROW1371 => ROW1372, ROW1372 => ROW1373, ROW1373 => ROW1374,
    ROW1374 => ROW1375, ROW1375 => ROW1376, ROW1376 => ROW1377, ROW1377 => ROW1378, ROW1378 => ROW1379,
    ROW1379 => ROW1380, ROW1380 => ROW1381, ROW1381 => ROW1382, ROW1382 => ROW1383, ROW1383 => ROW1384,
    ROW1384 => ROW1385, ROW1385 => ROW1386, ROW1386 => ROW1387, ROW1387 => ROW1388, ROW1388 => ROW1389,
    ROW1389 => ROW1390, ROW1390 => ROW1391, ROW1391 => ROW1392, ROW1392 => ROW1393, ROW1393 => ROW1394,
    ROW1394 => ROW1395, ROW1395 => ROW1396, ROW1396 => ROW1397, ROW1397 => ROW1398, ROW1398 => ROW1399,
    ROW1399 => ROW1400, ROW1400 => ROW1401, ROW1401 => ROW1402, ROW1402 => ROW1403, ROW1403 => ROW1404,
    ROW1404 => ROW1405, ROW1405 => ROW1406, ROW1406 => ROW1407, ROW1407 => ROW1408, ROW1408 => ROW1409,
    ROW1409 => ROW1410, ROW1410 => ROW1411, ROW1411 => ROW1412, ROW1412 => ROW1413, ROW1413 => ROW1414,
    ROW1414 => ROW1415, ROW1415 => ROW1416, ROW1416 => ROW1417, ROW1417 => ROW1418, ROW1418 => ROW1419,
    ROW1419 => ROW1420, ROW1420 => ROW1421, ROW1421 => ROW1422, ROW1422 => ROW1423, ROW1423 => ROW1424,
    ROW1424 => ROW1425, ROW1425 => ROW1426, ROW1426 => ROW1427, ROW1427 => ROW1428, ROW1428 => ROW1429,
    ROW1429 => ROW1430, ROW1430 => ROW1431, ROW1431 => ROW1432, ROW1432 => ROW1433, ROW1433 => ROW1434,
    ROW1434 => ROW1435, ROW1435 => ROW1436, ROW1436 => ROW1437, ROW1437 => ROW1438, ROW1438 => ROW1439,
    ROW1439 => ROW1440, ROW1440 => ROW1441, ROW1441 => ROW1442, ROW1442 => ROW1443, ROW1443 => ROW1444,
    ROW1444 => ROW1445, ROW1445 => ROW1446, ROW1446 => ROW1447, ROW1447 => ROW1448, ROW1448 => ROW1449,
    ROW1449 => ROW1450, ROW1450 => ROW1451, ROW1451 => ROW1452, ROW1452 => ROW1453, ROW1453 => ROW1454,
    ROW1454 => ROW1455, ROW1455 => ROW1456, ROW1456 => ROW1457, ROW1457 => ROW1458, ROW1458 => ROW1459,
    ROW1459 => ROW1460, ROW1460 => ROW1461, ROW1461 => ROW1462, ROW1462 => ROW1463, ROW1463 => ROW1464,
    ROW1464 => ROW1465, ROW1465 => ROW1466, ROW1466 => ROW1467, ROW1467 => ROW1468, ROW1468 => ROW1469,
    ROW1469 => ROW1470, ROW1470 => ROW1471, ROW1471 => ROW1472, ROW1472 => ROW1473, ROW1473 => ROW1474,
    ROW1474 => ROW1475, ROW1475 => ROW1476, ROW1476 => ROW1477, ROW1477 => ROW1478, ROW1478 => ROW1479,
    ROW1479 => ROW1480, ROW1480 => ROW1481, ROW1481 => ROW1482, ROW1482 => ROW1483, ROW1483 => ROW1484,
    ROW1484 => ROW1485, ROW1485 => ROW1486, ROW1486 => ROW1487, ROW1487 => ROW1488, ROW1488 => ROW1489,
    ROW1489 => ROW1490, ROW1490 => ROW1491, ROW1491 => ROW1492, ROW1492 => ROW1493, ROW1493 => ROW1494,
    ROW1494 => ROW1495, ROW1495 => ROW1496, ROW1496 => ROW1497, ROW1497 => ROW1498, ROW1498 => ROW1499,
    ROW1499 => ROW1500, ROW1500 => ROW1501, ROW1501 => ROW1502, ROW1502 => ROW1503, ROW1503 => ROW1504,
    ROW1504 => ROW1505, ROW1505 => ROW1506, ROW1506 => ROW1507, ROW1507 => ROW1508, ROW1508 => ROW1509,
    ROW1509 => ROW1510, ROW1510 => ROW1511, ROW1511 => ROW1512, ROW1512 => ROW1513, ROW1513 => ROW1514,
    ROW1514 => ROW1515, ROW1515 => ROW1516, ROW1516 => ROW1517, ROW1517 => ROW1518, ROW1518 => ROW1519,
    ROW1519 => ROW1520, ROW1520 => ROW1521, ROW1521 => ROW1522, ROW1522 => ROW1523, ROW1523 => ROW1524,
    ROW1524 => ROW1525, ROW1525 => ROW1526, ROW1526 => ROW1527, ROW1527 => ROW1528, ROW1528 => ROW1529,
    ROW1529 => ROW1530, ROW1530 => ROW1531, ROW1531 => ROW1532, ROW1532 => ROW1533, ROW1533 => ROW1534,
    ROW1534 => ROW1535, ROW1535 => ROW1536, ROW1536 => ROW1537, ROW1537 => ROW1538, ROW1538 => ROW1539,
    ROW1539 => ROW1540, ROW1540 => ROW1541, ROW1541 => ROW1542, ROW1542 => ROW1543, ROW1543 => ROW1544,
    ROW1544 => ROW1545, ROW1545 => ROW1546, ROW1546 => ROW1547, ROW1547 => ROW1548, ROW1548 => ROW1549,
    ROW1549 => ROW1550, ROW1550 => ROW1551, ROW1551 => ROW1552, ROW1552 => ROW1553, ROW1553 => ROW1554,
    ROW1554 => ROW1555, ROW1555 => ROW1556, ROW1556 => ROW1557, ROW1557 => ROW1558, ROW1558 => ROW1559,
    ROW1559 => ROW1560, ROW1560 => ROW1561, ROW1561 => ROW1562, ROW1562 => ROW1563, ROW1563 => ROW1564,
    ROW1564 => ROW1565, ROW1565 => ROW1566, ROW1566 => ROW1567, ROW1567 => ROW1568, ROW1568 => ROW1569,
    ROW1569 => ROW1570, ROW1570 => ROW1571, ROW1571 => ROW1572, ROW1572 => ROW1573, ROW1573 => ROW1574,
    ROW1574 => ROW1575, ROW1575 => ROW1576, ROW1576 => ROW1577, ROW1577 => ROW1578, ROW1578 => ROW1579,
    ROW1579 => ROW1580, ROW1580 => ROW1581, ROW1581 => ROW1582, ROW1582 => ROW1583, ROW1583 => ROW1584,
    ROW1584 => ROW1585, ROW1585 => ROW1586, ROW1586 => ROW1587, ROW1587 => ROW1588, ROW1588 => ROW1589,
    ROW1589 => ROW1590, ROW1590 => ROW1591, ROW1591 => ROW1592, ROW1592 => ROW1593, ROW1593 => ROW1594,
    ROW1594 => ROW1595, ROW1595 => ROW1596, ROW1596 => ROW1597, ROW1597 => ROW1598, ROW1598 => ROW1599,
    ROW1599 => ROW1600, ROW1600 => ROW1601, ROW1601 => ROW1602, ROW1602 => ROW1603, ROW1603 => ROW1604,
    ROW1604 => ROW1605, ROW1605 => ROW1606, ROW1606 => ROW1607, ROW1607 => ROW1608, ROW1608 => ROW1609,
    ROW1609 => ROW1610, ROW1610 => ROW1611, ROW1611 => ROW1612, ROW1612 => ROW1613, ROW1613 => ROW1614,
    ROW1614 => ROW1615, ROW1615 => ROW1616, ROW1616 => ROW1617, ROW1617 => ROW1618, ROW1618 => ROW1619,
    ROW1619 => ROW1620, ROW1620 => ROW1621, ROW1621 => ROW1622, ROW1622 => ROW1623, ROW1623 => ROW1624,
    ROW1624 => ROW1625, ROW1625 => ROW1626, ROW1626 => ROW1627, ROW1627 => ROW1628, ROW1628 => ROW1629,
    ROW1629 => ROW1630, ROW1630 => ROW1631, ROW1631 => ROW1632, ROW1632 => ROW1633, ROW1633 => ROW1634,
    ROW1634 => ROW1635, ROW1635 => ROW1636, ROW1636 => ROW1637, ROW1637 => ROW1638, ROW1638 => ROW1639,
    ROW1639 => ROW1640, ROW1640 => ROW1641, ROW1641 => ROW1642, ROW1642 => ROW1643, ROW1643 => ROW1644,
    ROW1644 => ROW1645, ROW1645 => ROW1646, ROW1646 => ROW1647, ROW1647 => ROW1648, ROW1648 => ROW1649,
    ROW1649 => ROW1650, ROW1650 => ROW1651, ROW1651 => ROW1652, ROW1652 => ROW1653, ROW1653 => ROW1654,
    ROW1654 => ROW1655, ROW1655 => ROW1656, ROW1656 => ROW1657, ROW1657 => ROW1658, ROW1658 => ROW1659,
    ROW1659 => ROW1660, ROW1660 => ROW1661, ROW1661 => ROW1662, ROW1662 => ROW1663, ROW1663 => ROW1664,
    ROW1664 => ROW1665, ROW1665 => ROW1666, ROW1666 => ROW1667, ROW1667 => ROW1668, ROW1668 => ROW1669,
    ROW1669 => ROW1670, ROW1670 => ROW1671, ROW1671 => ROW1672, ROW1672 => ROW1673, ROW1673 => ROW1674,
    ROW1674 => ROW1675, ROW1675 => ROW1676, ROW1676 => ROW1677, ROW1677 => ROW1678, ROW1678 => ROW1679,
    ROW1679 => ROW1680, ROW1680 => ROW1681, ROW1681 => ROW1682, ROW1682 => ROW1683, ROW1683 => ROW1684,
    ROW1684 => ROW1685, ROW1685 => ROW1686, ROW1686 => ROW1687, ROW1687 => ROW1688, ROW1688 => ROW1689,
    ROW1689 => ROW1690, ROW1690 => ROW1691, ROW1691 => ROW1692, ROW1692 => ROW1693, ROW1693 => ROW1694,
    ROW1694 => ROW1695, ROW1695 => ROW1696, ROW1696 => ROW1697, ROW1697 => ROW1698, ROW1698 => ROW1699,
    ROW1699 => ROW1700, ROW1700 => ROW1701, ROW1701 => ROW1702, ROW1702 => ROW1703, ROW1703 => ROW1704,
    ROW1704 => ROW1705, ROW1705 => ROW1706, ROW1706 => ROW1707, ROW1707 => ROW1708, ROW1708 => ROW1709,
    ROW1709 => ROW1710, ROW1710 => ROW1711, ROW1711 => ROW1712, ROW1712 => ROW1713, ROW1713 => ROW1714,
    ROW1714 => ROW1715, ROW1715 => ROW1716, ROW1716 => ROW1717, ROW1717 => ROW1718, ROW1718 => ROW1719,
    ROW1719 => ROW1720, ROW1720 => ROW1721, ROW1721 => ROW1722, ROW1722 => ROW1723, ROW1723 => ROW1724,
    ROW1724 => ROW1725, ROW1725 => ROW1726, ROW1726 => ROW1727, ROW1727 => ROW1728, ROW1728 => ROW1729,
    ROW1729 => ROW1730, ROW1730 => ROW1731, ROW1731 => ROW1732, ROW1732 => ROW1733, ROW1733 => ROW1734,
    ROW1734 => ROW1735, ROW1735 => ROW1736, ROW1736 => ROW1737, ROW1737 => ROW1738, ROW1738 => ROW1739,
    ROW1739 => ROW1740, ROW1740 => ROW1741, ROW1741 => ROW1742, ROW1742 => ROW1743, ROW1743 => ROW1744,
    ROW1744 => ROW1745, ROW1745 => ROW1746, ROW1746 => ROW1747, ROW1747 => ROW1748, ROW1748 => ROW1749,
    ROW1749 => ROW1750, ROW1750 => ROW1751, ROW1751 => ROW1752, ROW1752 => ROW1753, ROW1753 => ROW1754,
    ROW1754 => ROW1755, ROW1755 => ROW1756, ROW1756 => ROW1757, ROW1757 => ROW1758, ROW1758 => ROW1759,
    ROW1759 => ROW1760, ROW1760 => ROW1761, ROW1761 => ROW1762, ROW1762 => ROW1763, ROW1763 => ROW1764,
    ROW1764 => ROW1765, ROW1765 => ROW1766, ROW1766 => ROW1767, ROW1767 => ROW1768, ROW1768 => ROW1769,
    ROW1769 => ROW1770, ROW1770 => ROW1771, ROW1771 => ROW1772, ROW1772 => ROW1773, ROW1773 => ROW1774,
    ROW1774 => ROW1775, ROW1775 => ROW1776, ROW1776 => ROW1777, ROW1777 => ROW1778, ROW1778 => ROW1779,
    ROW1779 => ROW1780, ROW1780 => ROW1781, ROW1781 => ROW1782, ROW1782 => ROW1783, ROW1783 => ROW1784,
    ROW1784 => ROW1785, ROW1785 => ROW1786, ROW1786 => ROW1787, ROW1787 => ROW1788, ROW1788 => ROW1789,
    ROW1789 => ROW1790, ROW1790 => ROW1791, ROW1791 => ROW1792, ROW1792 => ROW1793, ROW1793 => ROW1794,
    ROW1794 => ROW1795, ROW1795 => ROW1796, ROW1796 => ROW1797, ROW1797 => ROW1798, ROW1798 => ROW1799,
    ROW1799 => ROW1800, ROW1800 => ROW1801, ROW1801 => ROW1802, ROW1802 => ROW1803, ROW1803 => ROW1804,
    ROW1804 => ROW1805, ROW1805 => ROW1806, ROW1806 => ROW1807, ROW1807 => ROW1808, ROW1808 => ROW1809,
    ROW1809 => ROW1810, ROW1810 => ROW1811, ROW1811 => ROW1812, ROW1812 => ROW1813, ROW1813 => ROW1814,
    ROW1814 => ROW1815, ROW1815 => ROW1816, ROW1816 => ROW1817, ROW1817 => ROW1818, ROW1818 => ROW1819,
    ROW1819 => ROW1820, ROW1820 => ROW1821, ROW1821 => ROW1822, ROW1822 => ROW1823, ROW1823 => ROW1824,
    ROW1824 => ROW1825, ROW1825 => ROW1826, ROW1826 => ROW1827, ROW1827 => ROW1828, ROW1828 => ROW1829,
    ROW1829 => ROW1830, ROW1830 => ROW1831, ROW1831 => ROW1832, ROW1832 => ROW1833, ROW1833 => ROW1834,
    ROW1834 => ROW1835, ROW1835 => ROW1836, ROW1836 => ROW1837, ROW1837 => ROW1838, ROW1838 => ROW1839,
    ROW1839 => ROW1840, ROW1840 => ROW1841, ROW1841 => ROW1842, ROW1842 => ROW1843, ROW1843 => ROW1844,
    ROW1844 => ROW1845, ROW1845 => ROW1846, ROW1846 => ROW1847, ROW1847 => ROW1848, ROW1848 => ROW1849,
    ROW1849 => ROW1850, ROW1850 => ROW1851, ROW1851 => ROW1852, ROW1852 => ROW1853, ROW1853 => ROW1854,
    ROW1854 => ROW1855, ROW1855 => ROW1856, ROW1856 => ROW1857, ROW1857 => ROW1858, ROW1858 => ROW1859,
    ROW1859 => ROW1860, ROW1860 => ROW1861, ROW1861 => ROW1862, ROW1862 => ROW1863, ROW1863 => ROW1864,
    ROW1864 => ROW1865, ROW1865 => ROW1866, ROW1866 => ROW1867, ROW1867 => ROW1868, ROW1868 => ROW1869,
    ROW1869 => ROW1870, ROW1870 => ROW1871, ROW1871 => ROW1872, ROW1872 => ROW1873, ROW1873 => ROW1874,
    ROW1874 => ROW1875, ROW1875 => ROW1876, ROW1876 => ROW1877, ROW1877 => ROW1878, ROW1878 => ROW1879,
    ROW1879 => ROW1880, ROW1880 => ROW1881, ROW1881 => ROW1882, ROW1882 => ROW1883, ROW1883 => ROW1884,
    ROW1884 => ROW1885, ROW1885 => ROW1886, ROW1886 => ROW1887, ROW1887 => ROW1888, ROW1888 => ROW1889,
    ROW1889 => ROW1890, ROW1890 => ROW1891, ROW1891 => ROW1892, ROW1892 => ROW1893, ROW1893 => ROW1894,
    ROW1894 => ROW1895, ROW1895 => ROW1896, ROW1896 => ROW1897, ROW1897 => ROW1898, ROW1898 => ROW1899,
    ROW1899 => ROW1900, ROW1900 => ROW1901, ROW1901 => ROW1902, ROW1902 => ROW1903, ROW1903 => ROW1904,
    ROW1904 => ROW1905, ROW1905 => ROW1906, ROW1906 => ROW1907, ROW1907 => ROW1908, ROW1908 => ROW1909,
    ROW1909 => ROW1910, ROW1910 => ROW1911, ROW1911 => ROW1912, ROW1912 => ROW1913, ROW1913 => ROW1914,
    ROW1914 => ROW1915, ROW1915 => ROW1916, ROW1916 => ROW1917, ROW1917 => ROW1918, ROW1918 => ROW1919,
    ROW1919 => ROW1920, ROW1920 => ROW1921, ROW1921 => ROW1922, ROW1922 => ROW1923, ROW1923 => ROW1924,
    ROW1924 => ROW1925, ROW1925 => ROW1926, ROW1926 => ROW1927, ROW1927 => ROW1928, ROW1928 => ROW1929,
    ROW1929 => ROW1930, ROW1930 => ROW1931, ROW1931 => ROW1932, ROW1932 => ROW1933, ROW1933 => ROW1934,
    ROW1934 => ROW1935, ROW1935 => ROW1936, ROW1936 => ROW1937, ROW1937 => ROW1938, ROW1938 => ROW1939,
    ROW1939 => ROW1940, ROW1940 => ROW1941, ROW1941 => ROW1942, ROW1942 => ROW1943, ROW1943 => ROW1944,
    ROW1944 => ROW1945, ROW1945 => ROW1946, ROW1946 => ROW1947, ROW1947 => ROW1948, ROW1948 => ROW1949,
    ROW1949 => ROW1950, ROW1950 => ROW1951, ROW1951 => ROW1952, ROW1952 => ROW1953, ROW1953 => ROW1954,
    ROW1954 => ROW1955, ROW1955 => ROW1956, ROW1956 => ROW1957, ROW1957 => ROW1958, ROW1958 => ROW1959,
    ROW1959 => ROW1960, ROW1960 => ROW1961, ROW1961 => ROW1962, ROW1962 => ROW1963, ROW1963 => ROW1964,
    ROW1964 => ROW1965, ROW1965 => ROW1966, ROW1966 => ROW1967, ROW1967 => ROW1968, ROW1968 => ROW1969,
    ROW1969 => ROW1970, ROW1970 => ROW1971, ROW1971 => ROW1972, ROW1972 => ROW1973, ROW1973 => ROW1974,
    ROW1974 => ROW1975, ROW1975 => ROW1976, ROW1976 => ROW1977, ROW1977 => ROW1978, ROW1978 => ROW1979,
    ROW1979 => ROW1980, ROW1980 => ROW1981, ROW1981 => ROW1982, ROW1982 => ROW1983, ROW1983 => ROW1984,
    ROW1984 => ROW1985, ROW1985 => ROW1986, ROW1986 => ROW1987, ROW1987 => ROW1988, ROW1988 => ROW1989,
    ROW1989 => ROW1990, ROW1990 => ROW1991, ROW1991 => ROW1992, ROW1992 => ROW1993, ROW1993 => ROW1994,
    ROW1994 => ROW1995, ROW1995 => ROW1996, ROW1996 => ROW1997, ROW1997 => ROW1998, ROW1998 => ROW1999,
    ROW1999 => ROW2000, ROW2000 => ROW2001, ROW2001 => ROW2002, ROW2002 => ROW2003, ROW2003 => ROW2004,
    ROW2004 => ROW2005, ROW2005 => ROW2006, ROW2006 => ROW2007, ROW2007 => ROW2008, ROW2008 => ROW2009,
    ROW2009 => ROW2010, ROW2010 => ROW2011, ROW2011 => ROW2012, ROW2012 => ROW2013, ROW2013 => ROW2014,
    ROW2014 => ROW2015, ROW2015 => ROW2016, ROW2016 => ROW2017, ROW2017 => ROW2018, ROW2018 => ROW2019,
    ROW2019 => ROW2020, ROW2020 => ROW2021, ROW2021 => ROW2022, ROW2022 => ROW2023, ROW2023 => ROW2024,
    ROW2024 => ROW2025, ROW2025 => ROW2026, ROW2026 => ROW2027, ROW2027 => ROW2028, ROW2028 => ROW2029,
    ROW2029 => ROW2030, ROW2030 => ROW2031, ROW2031 => ROW2032, ROW2032 => ROW2033, ROW2033 => ROW2034,
    ROW2034 => ROW2035, ROW2035 => ROW2036, ROW2036 => ROW2037, ROW2037 => ROW2038, ROW2038 => ROW2039,
    ROW2039 => ROW2040, ROW2040 => ROW2041, ROW2041 => ROW2042, ROW2042 => ROW2043, ROW2043 => ROW2044,
    ROW2044 => ROW2045, ROW2045 => ROW2046, ROW2046 => ROW2047, ROW2047 => ROW2048, ROW2048 => ROW2049,
    ROW2049 => ROW2050, ROW2050 => ROW2051, ROW2051 => ROW2052, ROW2052 => ROW2053, ROW2053 => ROW2054,
    ROW2054 => ROW2055, ROW2055 => ROW2056, ROW2056 => ROW2057, ROW2057 => ROW2058, ROW2058 => ROW2059,
    ROW2059 => ROW2060, ROW2060 => ROW2061, ROW2061 => ROW2062, ROW2062 => ROW2063, ROW2063 => ROW2064,
    ROW2064 => ROW2065, ROW2065 => ROW2066, ROW2066 => ROW2067, ROW2067 => ROW2068, ROW2068 => ROW2069,
    ROW2069 => ROW2070, ROW2070 => ROW2071, ROW2071 => ROW2072, ROW2072 => ROW2073, ROW2073 => ROW2074,
    ROW2074 => ROW2075, ROW2075 => ROW2076, ROW2076 => ROW2077, ROW2077 => ROW2078, ROW2078 => ROW2079,
    ROW2079 => ROW2080, ROW2080 => ROW2081, ROW2081 => ROW2082, ROW2082 => ROW2083, ROW2083 => ROW2084,
    ROW2084 => ROW2085, ROW2085 => ROW2086, ROW2086 => ROW2087, ROW2087 => ROW2088, ROW2088 => ROW2089,
    ROW2089 => ROW2090, ROW2090 => ROW2091, ROW2091 => ROW2092, ROW2092 => ROW2093, ROW2093 => ROW2094,
    ROW2094 => ROW2095, ROW2095 => ROW2096, ROW2096 => ROW2097, ROW2097 => ROW2098, ROW2098 => ROW2099,
    ROW2099 => ROW2100, ROW2100 => ROW2101, ROW2101 => ROW2102, ROW2102 => ROW2103, ROW2103 => ROW2104,
    ROW2104 => ROW2105, ROW2105 => ROW2106, ROW2106 => ROW2107, ROW2107 => ROW2108, ROW2108 => ROW2109,
    ROW2109 => ROW2110, ROW2110 => ROW2111, ROW2111 => ROW2112, ROW2112 => ROW2113, ROW2113 => ROW2114,
    ROW2114 => ROW2115, ROW2115 => ROW2116, ROW2116 => ROW2117, ROW2117 => ROW2118, ROW2118 => ROW2119,
    ROW2119 => ROW2120, ROW2120 => ROW2121, ROW2121 => ROW2122, ROW2122 => ROW2123, ROW2123 => ROW2124,
    ROW2124 => ROW2125, ROW2125 => ROW2126, ROW2126 => ROW2127, ROW2127 => ROW2128, ROW2128 => ROW2129,
    ROW2129 => ROW2130, ROW2130 => ROW2131, ROW2131 => ROW2132, ROW2132 => ROW2133, ROW2133 => ROW2134,
    ROW2134 => ROW2135, ROW2135 => ROW2136, ROW2136 => ROW2137, ROW2137 => ROW2138, ROW2138 => ROW2139,
    ROW2139 => ROW2140, ROW2140 => ROW2141, ROW2141 => ROW2142, ROW2142 => ROW2143, ROW2143 => ROW2144,
    ROW2144 => ROW2145, ROW2145 => ROW2146, ROW2146 => ROW2147, ROW2147 => ROW2148, ROW2148 => ROW2149,
    ROW2149 => ROW2150, ROW2150 => ROW2151, ROW2151 => ROW2152, ROW2152 => ROW2153, ROW2153 => ROW2154,
    ROW2154 => ROW2155, ROW2155 => ROW2156, ROW2156 => ROW2157, ROW2157 => ROW2158, ROW2158 => ROW2159,
    ROW2159 => ROW2160, ROW2160 => ROW2161, ROW2161 => ROW2162, ROW2162 => ROW2163, ROW2163 => ROW2164,
    ROW2164 => ROW2165, ROW2165 => ROW2166, ROW2166 => ROW2167, ROW2167 => ROW2168, ROW2168 => ROW2169,
    ROW2169 => ROW2170, ROW2170 => ROW2171, ROW2171 => ROW2172, ROW2172 => ROW2173, ROW2173 => ROW2174,
    ROW2174 => ROW2175, ROW2175 => ROW2176, ROW2176 => ROW2177, ROW2177 => ROW2178, ROW2178 => ROW2179,
    ROW2179 => ROW2180, ROW2180 => ROW2181, ROW2181 => ROW2182, ROW2182 => ROW2183, ROW2183 => ROW2184,
    ROW2184 => ROW2185, ROW2185 => ROW2186, ROW2186 => ROW2187, ROW2187 => ROW2188, ROW2188 => ROW2189,
    ROW2189 => ROW2190, ROW2190 => ROW2191, ROW2191 => ROW2192, ROW2192 => ROW2193, ROW2193 => ROW2194,
    ROW2194 => ROW2195, ROW2195 => ROW2196, ROW2196 => ROW2197, ROW2197 => ROW2198, ROW2198 => ROW2199,
    ROW2199 => ROW2200, ROW2200 => ROW2201, ROW2201 => ROW2202, ROW2202 => ROW2203, ROW2203 => ROW2204,
    ROW2204 => ROW2205, ROW2205 => ROW2206, ROW2206 => ROW2207, ROW2207 => ROW2208, ROW2208 => ROW2209,
    ROW2209 => ROW2210, ROW2210 => ROW2211, ROW2211 => ROW2212, ROW2212 => ROW2213, ROW2213 => ROW2214,
    ROW2214 => ROW2215, ROW2215 => ROW2216, ROW2216 => ROW2217, ROW2217 => ROW2218, ROW2218 => ROW2219,
    ROW2219 => ROW2220, ROW2220 => ROW2221, ROW2221 => ROW2222, ROW2222 => ROW2223, ROW2223 => ROW2224,
    ROW2224 => ROW2225, ROW2225 => ROW2226, ROW2226 => ROW2227, ROW2227 => ROW2228, ROW2228 => ROW2229,
    ROW2229 => ROW2230, ROW2230 => ROW2231, ROW2231 => ROW2232, ROW2232 => ROW2233, ROW2233 => ROW2234,
    ROW2234 => ROW2235, ROW2235 => ROW2236, ROW2236 => ROW2237, ROW2237 => ROW2238, ROW2238 => ROW2239,
    ROW2239 => ROW2240, ROW2240 => ROW2241, ROW2241 => ROW2242, ROW2242 => ROW2243, ROW2243 => ROW2244,
    ROW2244 => ROW2245, ROW2245 => ROW2246, ROW2246 => ROW2247, ROW2247 => ROW2248, ROW2248 => ROW2249,
    ROW2249 => ROW2250, ROW2250 => ROW2251, ROW2251 => ROW2252, ROW2252 => ROW2253, ROW2253 => ROW2254,
    ROW2254 => ROW2255, ROW2255 => ROW2256, ROW2256 => ROW2257, ROW2257 => ROW2258, ROW2258 => ROW2259,
    ROW2259 => ROW2260, ROW2260 => ROW2261, ROW2261 => ROW2262, ROW2262 => ROW2263, ROW2263 => ROW2264,
    ROW2264 => ROW2265, ROW2265 => ROW2266, ROW2266 => ROW2267, ROW2267 => ROW2268, ROW2268 => ROW2269,
    ROW2269 => ROW2270, ROW2270 => ROW2271, ROW2271 => ROW2272, ROW2272 => ROW2273, ROW2273 => ROW2274,
    ROW2274 => ROW2275, ROW2275 => ROW2276, ROW2276 => ROW2277, ROW2277 => ROW2278, ROW2278 => ROW2279,
    ROW2279 => ROW2280, ROW2280 => ROW2281, ROW2281 => ROW2282, ROW2282 => ROW2283, ROW2283 => ROW2284,
    ROW2284 => ROW2285, ROW2285 => ROW2286, ROW2286 => ROW2287, ROW2287 => ROW2288, ROW2288 => ROW2289,
    ROW2289 => ROW2290, ROW2290 => ROW2291, ROW2291 => ROW2292, ROW2292 => ROW2293, ROW2293 => ROW2294,
    ROW2294 => ROW2295, ROW2295 => ROW2296, ROW2296 => ROW2297, ROW2297 => ROW2298, ROW2298 => ROW2299,
    ROW2299 => ROW2300, ROW2300 => ROW2301, ROW2301 => ROW2302, ROW2302 => ROW2303, ROW2303 => ROW2304,
    ROW2304 => ROW2305, ROW2305 => ROW2306, ROW2306 => ROW2307, ROW2307 => ROW2308, ROW2308 => ROW2309,
    ROW2309 => ROW2310, ROW2310 => ROW2311, ROW2311 => ROW2312, ROW2312 => ROW2313, ROW2313 => ROW2314,
    ROW2314 => ROW2315, ROW2315 => ROW2316, ROW2316 => ROW2317, ROW2317 => ROW2318, ROW2318 => ROW2319,
    ROW2319 => ROW2320, ROW2320 => ROW2321, ROW2321 => ROW2322, ROW2322 => ROW2323, ROW2323 => ROW2324,
    ROW2324 => ROW2325, ROW2325 => ROW2326, ROW2326 => ROW2327, ROW2327 => ROW2328, ROW2328 => ROW2329,
    ROW2329 => ROW2330, ROW2330 => ROW2331, ROW2331 => ROW2332, ROW2332 => ROW2333, ROW2333 => ROW2334,
    ROW2334 => ROW2335, ROW2335 => ROW2336, ROW2336 => ROW2337, ROW2337 => ROW2338, ROW2338 => ROW2339,
    ROW2339 => ROW2340, ROW2340 => ROW2341, ROW2341 => ROW2342, ROW2342 => ROW2343, ROW2343 => ROW2344,
    ROW2344 => ROW2345, ROW2345 => ROW2346, ROW2346 => ROW2347, ROW2347 => ROW2348, ROW2348 => ROW2349,
    ROW2349 => ROW2350, ROW2350 => ROW2351, ROW2351 => ROW2352, ROW2352 => ROW2353, ROW2353 => ROW2354,
    ROW2354 => ROW2355, ROW2355 => ROW2356, ROW2356 => ROW2357, ROW2357 => ROW2358, ROW2358 => ROW2359,
    ROW2359 => ROW2360, ROW2360 => ROW2361, ROW2361 => ROW2362, ROW2362 => ROW2363, ROW2363 => ROW2364,
    ROW2364 => ROW2365, ROW2365 => ROW2366, ROW2366 => ROW2367, ROW2367 => ROW2368, ROW2368 => ROW2369,
    ROW2369 => ROW2370, ROW2370 => ROW2371, ROW2371 => ROW2372, ROW2372 => ROW2373, ROW2373 => ROW2374,
    ROW2374 => ROW2375, ROW2375 => ROW2376, ROW2376 => ROW2377, ROW2377 => ROW2378, ROW2378 => ROW2379,
    ROW2379 => ROW2380, ROW2380 => ROW2381, ROW2381 => ROW2382, ROW2382 => ROW2383, ROW2383 => ROW2384,
    ROW2384 => ROW2385, ROW2385 => ROW2386, ROW2386 => ROW2387, ROW2387 => ROW2388, ROW2388 => ROW2389,
    ROW2389 => ROW2390, ROW2390 => ROW2391, ROW2391 => ROW2392, ROW2392 => ROW2393, ROW2393 => ROW2394,
    ROW2394 => ROW2395, ROW2395 => ROW2396, ROW2396 => ROW2397, ROW2397 => ROW2398, ROW2398 => ROW2399,
    ROW2399 => ROW2400, ROW2400 => ROW2401, ROW2401 => ROW2402, ROW2402 => ROW2403, ROW2403 => ROW2404,
    ROW2404 => ROW2405, ROW2405 => ROW2406, ROW2406 => ROW2407, ROW2407 => ROW2408, ROW2408 => ROW2409,
    ROW2409 => ROW2410, ROW2410 => ROW2411, ROW2411 => ROW2412, ROW2412 => ROW2413, ROW2413 => ROW2414,
    ROW2414 => ROW2415, ROW2415 => ROW2416, ROW2416 => ROW2417, ROW2417 => ROW2418, ROW2418 => ROW2419,
    ROW2419 => ROW2420, ROW2420 => ROW2421, ROW2421 => ROW2422, ROW2422 => ROW2423, ROW2423 => ROW2424,
    ROW2424 => ROW2425, ROW2425 => ROW2426, ROW2426 => ROW2427, ROW2427 => ROW2428, ROW2428 => ROW2429,
    ROW2429 => ROW2430, ROW2430 => ROW2431, ROW2431 => ROW2432, ROW2432 => ROW2433, ROW2433 => ROW2434,
    ROW2434 => ROW2435, ROW2435 => ROW2436, ROW2436 => ROW2437, ROW2437 => ROW2438, ROW2438 => ROW2439,
    ROW2439 => ROW2440, ROW2440 => ROW2441, ROW2441 => ROW2442, ROW2442 => ROW2443, ROW2443 => ROW2444,
    ROW2444 => ROW2445, ROW2445 => ROW2446, ROW2446 => ROW2447, ROW2447 => ROW2448, ROW2448 => ROW2449,
    ROW2449 => ROW2450, ROW2450 => ROW2451, ROW2451 => ROW2452, ROW2452 => ROW2453, ROW2453 => ROW2454,
    ROW2454 => ROW2455, ROW2455 => ROW2456, ROW2456 => ROW2457, ROW2457 => ROW2458, ROW2458 => ROW2459,
    ROW2459 => ROW2460, ROW2460 => ROW2461, ROW2461 => ROW2462, ROW2462 => ROW2463, ROW2463 => ROW2464,
    ROW2464 => ROW2465, ROW2465 => ROW2466, ROW2466 => ROW2467, ROW2467 => ROW2468, ROW2468 => ROW2469,
    ROW2469 => ROW2470, ROW2470 => ROW2471, ROW2471 => ROW2472, ROW2472 => ROW2473, ROW2473 => ROW2474,
    ROW2474 => ROW2475, ROW2475 => ROW2476, ROW2476 => ROW2477, ROW2477 => ROW2478, ROW2478 => ROW2479,
    ROW2479 => ROW2480, ROW2480 => ROW2481, ROW2481 => ROW2482, ROW2482 => ROW2483, ROW2483 => ROW2484,
    ROW2484 => ROW2485, ROW2485 => ROW2486, ROW2486 => ROW2487, ROW2487 => ROW2488, ROW2488 => ROW2489,
    ROW2489 => ROW2490, ROW2490 => ROW2491, ROW2491 => ROW2492, ROW2492 => ROW2493, ROW2493 => ROW2494,
    ROW2494 => ROW2495, ROW2495 => ROW2496, ROW2496 => ROW2497, ROW2497 => ROW2498, ROW2498 => ROW2499,
    ROW2499 => ROW2500, ROW2500 => ROW2501, ROW2501 => ROW2502, ROW2502 => ROW2503, ROW2503 => ROW2504,
    ROW2504 => ROW2505, ROW2505 => ROW2506, ROW2506 => ROW2507, ROW2507 => ROW2508, ROW2508 => ROW2509,
    ROW2509 => ROW2510, ROW2510 => ROW2511, ROW2511 => ROW2512, ROW2512 => ROW2513, ROW2513 => ROW2514,
    ROW2514 => ROW2515, ROW2515 => ROW2516, ROW2516 => ROW2517, ROW2517 => ROW2518, ROW2518 => ROW2519,
    ROW2519 => ROW2520, ROW2520 => ROW2521, ROW2521 => ROW2522, ROW2522 => ROW2523, ROW2523 => ROW2524,
    ROW2524 => ROW2525, ROW2525 => ROW2526, ROW2526 => ROW2527, ROW2527 => ROW2528, ROW2528 => ROW2529,
    ROW2529 => ROW2530, ROW2530 => ROW2531, ROW2531 => ROW2532, ROW2532 => ROW2533, ROW2533 => ROW2534,
    ROW2534 => ROW2535, ROW2535 => ROW2536, ROW2536 => ROW2537, ROW2537 => ROW2538, ROW2538 => ROW2539,
    ROW2539 => ROW2540, ROW2540 => ROW2541, ROW2541 => ROW2542, ROW2542 => ROW2543, ROW2543 => ROW2544,
    ROW2544 => ROW2545, ROW2545 => ROW2546, ROW2546 => ROW2547, ROW2547 => ROW2548, ROW2548 => ROW2549,
    ROW2549 => ROW2550, ROW2550 => ROW2551, ROW2551 => ROW2552, ROW2552 => ROW2553, ROW2553 => ROW2554,
    ROW2554 => ROW2555, ROW2555 => ROW2556, ROW2556 => ROW2557, ROW2557 => ROW2558, ROW2558 => ROW2559,
    ROW2559 => ROW2560, ROW2560 => ROW2561, ROW2561 => ROW2562, ROW2562 => ROW2563, ROW2563 => ROW2564,
    ROW2564 => ROW2565, ROW2565 => ROW2566, ROW2566 => ROW2567, ROW2567 => ROW2568, ROW2568 => ROW2569,
    ROW2569 => ROW2570, ROW2570 => ROW2571, ROW2571 => ROW2572, ROW2572 => ROW2573, ROW2573 => ROW2574,
    ROW2574 => ROW2575, ROW2575 => ROW2576, ROW2576 => ROW2577, ROW2577 => ROW2578, ROW2578 => ROW2579,
    ROW2579 => ROW2580, ROW2580 => ROW2581, ROW2581 => ROW2582, ROW2582 => ROW2583, ROW2583 => ROW2584,
    ROW2584 => ROW2585, ROW2585 => ROW2586, ROW2586 => ROW2587, ROW2587 => ROW2588, ROW2588 => ROW2589,
    ROW2589 => ROW2590, ROW2590 => ROW2591, ROW2591 => ROW2592, ROW2592 => ROW2593, ROW2593 => ROW2594,
    ROW2594 => ROW2595, ROW2595 => ROW2596, ROW2596 => ROW2597, ROW2597 => ROW2598, ROW2598 => ROW2599,
    ROW2599 => ROW2600,
}
