//! Deep graphs where read functions cannot be suspended (issue 34): on `wasm32-unknown-unknown` a panic
//! aborts, so a first read nests read functions as deep as the graph, unless the atoms name their
//! sources. In headless Chromium (`scripts/wasm-test.sh`, debug and release) every chain below is read
//! cold in a fresh store: chains whose atoms name their sources (`Computed::reading`) or whose
//! declared read functions `atom!` can see, of any length; plain chains up to the depth this build
//! reaches (README, "Graphs of any depth"). The same tests run natively; there, the depth guard is
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

nexus::store! {
    pub struct Sheet;
}

// A declared chain: `atom!` sees each `s.get(&X)` and names `X` for the atom (declared atoms' read
// functions are plain functions, so the names are all it can know before they run).
macro_rules! declared_chain {
    ($($prev:ident => $next:ident),* $(,)?) => {
        nexus::atom! {
            #![store(Sheet)]
            pub static ROW0: u64 = 0;
            $(pub static $next: u64 = computed(|s| { SHEET_RUNS.fetch_add(1, Ordering::Relaxed); s.get(&$prev) + 1 });)*
        }
    };
}

static SHEET_RUNS: AtomicUsize = AtomicUsize::new(0);

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
    ROW199 => ROW200,
}

#[test]
fn declared_atoms_name_what_atom_sees_them_read() {
    // 200 rows: without the names, a first read suspends the read functions beyond 64 levels and runs
    // them again (natively), or nests 200 deep (wasm32).
    let sheet = Sheet::new();
    let before = SHEET_RUNS.load(Ordering::Relaxed);
    assert_eq!(sheet.get(&ROW200), 200);
    assert_eq!(SHEET_RUNS.load(Ordering::Relaxed) - before, 200, "each read function ran once");
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
        assert_eq!(Sheet::new().get(&ROW200), 200);
    }
}
