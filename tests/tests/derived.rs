//! Derived atoms (SPEC §4 "Derived atoms"; issue 3 items 1–3, 5).

// On wasm32 these tests run in headless Chromium (`scripts/wasm-test.sh`): wasm-bindgen-test's `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

nexus::store! {
    pub struct Calc;
    #[mode(global)]
    pub struct Hub;
}

static DOUBLE_RUNS: AtomicUsize = AtomicUsize::new(0);
static B_RUNS: AtomicUsize = AtomicUsize::new(0);
static C_RUNS: AtomicUsize = AtomicUsize::new(0);
static D_RUNS: AtomicUsize = AtomicUsize::new(0);
static PICK_RUNS: AtomicUsize = AtomicUsize::new(0);
static PARITY_RUNS: AtomicUsize = AtomicUsize::new(0);
static AFTER_PARITY_RUNS: AtomicUsize = AtomicUsize::new(0);

fn count(counter: &AtomicUsize) {
    counter.fetch_add(1, Ordering::SeqCst);
}

nexus::atom! {
    #![store(Calc)]
    pub static CLICKS: u32 = 0;
    pub static OTHER: u32 = 0;
    pub static DOUBLE: u32 = computed(|s| {
        count(&DOUBLE_RUNS);
        s.get(&CLICKS) * 2
    });

    // Diamond: D = B + C over A.
    pub static A: i64 = 1;
    pub static B: i64 = computed(|s| {
        count(&B_RUNS);
        s.get(&A) + 1
    });
    pub static C: i64 = computed(|s| {
        count(&C_RUNS);
        s.get(&A) * 2
    });
    pub static D: i64 = computed(|s| {
        count(&D_RUNS);
        s.get(&B) + s.get(&C)
    });

    // Branch switching.
    pub static FLAG: bool = true;
    pub static LEFT: u32 = 1;
    pub static RIGHT: u32 = 2;
    pub static PICK: u32 = computed(|s| {
        count(&PICK_RUNS);
        if s.get(&FLAG) { s.get(&LEFT) } else { s.get(&RIGHT) }
    });

    // Equality cut-off.
    pub static N: u32 = 0;
    pub static PARITY: bool = computed(|s| {
        count(&PARITY_RUNS);
        s.get(&N) % 2 == 0
    });
    pub static AFTER_PARITY: String = computed(|s| {
        count(&AFTER_PARITY_RUNS);
        format!("even: {}", s.get(&PARITY))
    });

    // Writable atoms.
    pub static FAHRENHEIT: f64 = 32.0;
    pub static CELSIUS: f64 = writable(
        |s| (s.get(&FAHRENHEIT) - 32.0) * 5.0 / 9.0,
        |s, c: f64| s.set(&FAHRENHEIT, c * 9.0 / 5.0 + 32.0),
    );
    pub static COUNT: u32 = 10;
    pub static BUMP: u32 = writable(|s| s.get(&COUNT), |s, delta: i32| s.update(&COUNT, |c| *c = c.saturating_add_signed(delta)));
    pub static X: i32 = 0;
    pub static Y: i32 = 0;
    pub static XY: (i32, i32) = writable(|s| (s.get(&X), s.get(&Y)), |s, v: (i32, i32)| {
        s.set(&X, v.0);
        s.set(&Y, v.1);
    });
    pub static SUM_XY: i32 = computed(|s| s.get(&X) + s.get(&Y));
}

nexus::atom! {
    pub static DERIVED_THEME: u32 = 1;
    pub static THEME_PLUS: u32 = computed(|s| s.get(&DERIVED_THEME) + 100);
}

nexus::atom! {
    #![store(Hub)]
    pub static HUB_LABEL: String = computed(|s| format!("theme {}", s.get(&DERIVED_THEME)));
}

fn runs(counter: &AtomicUsize) -> usize {
    counter.load(Ordering::SeqCst)
}

/// The counters are process-wide: tests that read them take this lock.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[test]
fn lazy_cached_and_recomputed_only_when_a_dependency_changed() {
    let _g = serial();
    let s = Calc::new();
    let before = runs(&DOUBLE_RUNS);
    s.set(&CLICKS, 3);
    assert_eq!(runs(&DOUBLE_RUNS), before, "not evaluated before the first read");
    assert_eq!(s.get(&DOUBLE), 6);
    assert_eq!(s.get(&DOUBLE), 6);
    s.with(&DOUBLE, |d| assert_eq!(*d, 6));
    assert_eq!(runs(&DOUBLE_RUNS), before + 1, "cached");
    s.set(&OTHER, 1);
    assert_eq!(s.get(&DOUBLE), 6);
    assert_eq!(runs(&DOUBLE_RUNS), before + 1, "an unrelated change does not recompute");
    s.set(&CLICKS, 4);
    assert_eq!(runs(&DOUBLE_RUNS), before + 1, "still lazy after a change");
    assert_eq!(s.get(&DOUBLE), 8);
    assert_eq!(runs(&DOUBLE_RUNS), before + 2);
}

#[test]
fn diamond_is_glitch_free_and_evaluates_each_node_once_per_change() {
    let _g = serial();
    let s = Calc::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let _sub = s.subscribe(&D, move |d| sink.lock().unwrap().push(*d));
    assert_eq!(s.get(&D), 4);
    let (b, c, d) = (runs(&B_RUNS), runs(&C_RUNS), runs(&D_RUNS));
    for a in 2..=6 {
        s.set(&A, a);
    }
    assert_eq!(runs(&B_RUNS) - b, 5, "B once per set");
    assert_eq!(runs(&C_RUNS) - c, 5, "C once per set");
    assert_eq!(runs(&D_RUNS) - d, 5, "D once per set");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen, vec![7, 10, 13, 16, 19], "one value per change, each from consistent inputs (3a + 1)");
}

#[test]
fn dependencies_are_re_recorded_so_a_branch_not_taken_is_no_dependency() {
    let _g = serial();
    let s = Calc::new();
    let calls = Arc::new(AtomicUsize::new(0));
    let c2 = calls.clone();
    let _sub = s.subscribe(&PICK, move |_| {
        c2.fetch_add(1, Ordering::SeqCst);
    });
    assert_eq!(s.get(&PICK), 1);
    s.set(&RIGHT, 20);
    let base = runs(&PICK_RUNS);
    assert_eq!(calls.load(Ordering::SeqCst), 0, "RIGHT is not read while FLAG is true");
    s.set(&FLAG, false);
    assert_eq!(s.get(&PICK), 20);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let after_switch = runs(&PICK_RUNS);
    assert_eq!(after_switch, base + 1);
    s.set(&LEFT, 100);
    s.set(&LEFT, 200);
    assert_eq!(runs(&PICK_RUNS), after_switch, "LEFT is no longer a dependency: no evaluation");
    assert_eq!(calls.load(Ordering::SeqCst), 1, "and no notification");
    s.set(&RIGHT, 21);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(s.get(&PICK), 21);
}

#[test]
fn an_equal_derived_value_stops_propagation() {
    let _g = serial();
    let s = Calc::new();
    let calls = Arc::new(AtomicUsize::new(0));
    let c2 = calls.clone();
    let _sub = s.subscribe(&AFTER_PARITY, move |_| {
        c2.fetch_add(1, Ordering::SeqCst);
    });
    let (p, a) = (runs(&PARITY_RUNS), runs(&AFTER_PARITY_RUNS));
    s.set(&N, 2);
    s.set(&N, 4);
    assert_eq!(runs(&PARITY_RUNS) - p, 2, "PARITY re-evaluates");
    assert_eq!(runs(&AFTER_PARITY_RUNS), a, "its unchanged value does not re-run dependents");
    assert_eq!(calls.load(Ordering::SeqCst), 0, "nor notify");
    s.set(&N, 5);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(s.get(&AFTER_PARITY), "even: false");
}

#[test]
fn equal_primitive_writes_are_not_changes() {
    let _g = serial();
    let s = Calc::new();
    assert_eq!(s.get(&DOUBLE), 0);
    let before = runs(&DOUBLE_RUNS);
    s.set(&CLICKS, 0);
    s.update(&CLICKS, |c| *c += 0);
    assert_eq!(s.get(&DOUBLE), 0);
    assert_eq!(runs(&DOUBLE_RUNS), before);
}

#[test]
fn writable_atoms_convert_and_take_their_own_argument_type() {
    let s = Calc::new();
    assert!((s.get(&CELSIUS) - 0.0).abs() < 1e-9);
    s.set(&CELSIUS, 100.0);
    assert!((s.get(&FAHRENHEIT) - 212.0).abs() < 1e-9);
    s.set(&FAHRENHEIT, 50.0);
    assert!((s.get(&CELSIUS) - 10.0).abs() < 1e-9);
    let bump: &nexus::Writable<u32, Calc, i32> = &BUMP;
    s.set(bump, -3);
    assert_eq!(s.get(&COUNT), 7);
    assert_eq!(s.get(&BUMP), 7);
}

#[test]
fn a_writable_write_that_sets_two_atoms_notifies_once() {
    let s = Calc::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let _sub = s.subscribe(&SUM_XY, move |v| sink.lock().unwrap().push(*v));
    s.set(&XY, (3, 4));
    s.set(&XY, (10, -3));
    assert_eq!(*seen.lock().unwrap(), vec![7], "(10, -3) sums to 7 again: not a change");
    s.set(&XY, (1, 1));
    assert_eq!(*seen.lock().unwrap(), vec![7, 2]);
    assert_eq!(s.get(&XY), (1, 1));
}

#[test]
fn run_time_derived_atoms_built_in_loops() {
    let s = Calc::new();
    let source = nexus::Atom::<u64, Calc>::new(1);
    let mut chain = Vec::new();
    let mut prev: Option<nexus::Computed<u64, Calc>> = None;
    for _ in 0..200 {
        let next = match &prev {
            None => {
                let src = source.clone();
                nexus::Computed::<u64, Calc>::new(move |r| r.get(&src) + 1)
            }
            Some(p) => {
                let p = p.clone();
                nexus::Computed::<u64, Calc>::new(move |r| r.get(&p) + 1)
            }
        };
        chain.push(next.clone());
        prev = Some(next);
    }
    let last = prev.expect("200 links");
    assert_eq!(s.get(&last), 201);
    s.set(&source, 10);
    assert_eq!(s.get(&last), 210);

    let fan: Vec<nexus::Computed<u64, Calc>> = (0..1000u64)
        .map(|i| {
            let src = source.clone();
            nexus::Computed::<u64, Calc>::new(move |r| r.get(&src) * i)
        })
        .collect();
    let total = {
        let fan = fan.clone();
        nexus::Computed::<u64, Calc>::new(move |r| fan.iter().map(|c| r.get(c)).sum())
    };
    assert_eq!(s.get(&total), 10 * (0..1000).sum::<u64>());
    s.set(&source, 2);
    assert_eq!(s.get(&total), 2 * (0..1000).sum::<u64>());
    assert_eq!(s.get(&chain[9]), 12);
}

#[test]
fn global_derived_atoms_work_in_isolated_stores() {
    let a = Calc::new();
    let b = Calc::new();
    a.set(&DERIVED_THEME, 5);
    assert_eq!(a.get(&THEME_PLUS), 105);
    assert_eq!(b.get(&THEME_PLUS), 101);
}

#[test]
fn global_mode_derived_atoms_follow_changes_made_through_another_store() {
    let watcher = Hub::new();
    let writer = Hub::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let _sub = watcher.subscribe(&HUB_LABEL, move |l| sink.lock().unwrap().push(l.clone()));
    let start = watcher.get(&DERIVED_THEME);
    writer.set(&DERIVED_THEME, start + 1);
    assert_eq!(watcher.get(&HUB_LABEL), format!("theme {}", start + 1));
    assert_eq!(*seen.lock().unwrap(), vec![format!("theme {}", start + 1)]);
    assert_eq!(watcher.get(&THEME_PLUS), start + 101);
}

#[test]
fn run_time_writable_atoms_capture_their_targets() {
    let s = Calc::new();
    let cents = nexus::Atom::<u32, Calc>::new(150);
    let euros = {
        let (read, write) = (cents.clone(), cents.clone());
        nexus::Writable::<f64, Calc, (u32, u32)>::new(
            move |r| f64::from(r.get(&read)) / 100.0,
            move |w, (euros, cents): (u32, u32)| w.set(&write, euros * 100 + cents),
        )
    };
    assert!((s.get(&euros) - 1.5).abs() < 1e-9);
    s.set(&euros, (2, 25));
    assert_eq!(s.get(&cents), 225);
}

#[test]
fn atoms_read_again_in_one_evaluation_are_one_dependency_each() {
    // Reads again of atoms read before in the same evaluation, in the patterns a read function makes:
    // the same one in a row, alternating between two, one of many read long before, and after a
    // dependency changed. Each stays one dependency: a change re-evaluates once, and an atom no longer
    // read is no dependency.
    let s = Calc::new();
    let atoms: Vec<nexus::Atom<u64, Calc>> = (1..=12).map(nexus::Atom::new).collect();
    let runs = Arc::new(AtomicUsize::new(0));
    let use_last = nexus::Atom::<bool, Calc>::new(true);
    let sum = {
        let (atoms, runs, use_last) = (atoms.clone(), runs.clone(), use_last.clone());
        nexus::Computed::<u64, Calc>::new(move |r| {
            runs.fetch_add(1, Ordering::SeqCst);
            let (a, b) = (&atoms[0], &atoms[1]);
            // a a a b a b: in a row (the third from the copy the second kept), then alternating.
            let mut total = r.get(a) + r.get(a) + r.get(a) + r.get(b) + r.get(a) + r.get(b);
            // Ten more, then the first again (beyond the ones looked for among the sources so far).
            for x in &atoms[2..11] {
                total += r.get(x);
            }
            total += r.get(a);
            if r.get(&use_last) {
                total += r.get(&atoms[11]) + r.get(b);
            }
            total
        })
    };
    let expected = |v: &[u64], last: bool| {
        4 * v[0] + 2 * v[1] + v[2..11].iter().sum::<u64>() + v[0] + if last { v[11] + v[1] } else { 0 }
    };
    let mut values: Vec<u64> = (1..=12).collect();
    assert_eq!(s.get(&sum), expected(&values, true));
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    for (i, atom) in atoms.iter().enumerate() {
        values[i] += 100;
        s.set(atom, values[i]);
        assert_eq!(s.get(&sum), expected(&values, true), "after a change of atom {i}");
        assert_eq!(runs.load(Ordering::SeqCst), 2 + i, "one evaluation per change of atom {i}");
    }
    s.set(&use_last, false);
    assert_eq!(s.get(&sum), expected(&values, false));
    let before = runs.load(Ordering::SeqCst);
    s.set(&atoms[11], 0);
    assert_eq!(s.get(&sum), expected(&values, false));
    assert_eq!(runs.load(Ordering::SeqCst), before, "an atom no longer read is no dependency");
    s.set(&atoms[0], 7);
    values[0] = 7;
    assert_eq!(s.get(&sum), expected(&values, false));
    assert_eq!(runs.load(Ordering::SeqCst), before + 1);
}

#[test]
fn a_source_read_twice_stays_a_dependency_when_its_second_read_goes() {
    // `total` reads `p` twice in its first evaluation, and `middle` (evaluated nested there) reads `p` too,
    // so `p` is recorded twice. When the second read goes (a branch not taken), `p` is still read
    // first and stays a dependency: a later change of `p` reaches `total`.
    let store = Calc::new();
    let one = nexus::Atom::<u32, Calc>::new(1);
    let p = nexus::Atom::<u32, Calc>::new(10);
    let hundred = nexus::Atom::<u32, Calc>::new(100);
    let branch = nexus::Atom::<bool, Calc>::new(true);
    let switch = nexus::Atom::<bool, Calc>::new(false);
    let (low, high) = (nexus::Atom::<u32, Calc>::new(1000), nexus::Atom::<u32, Calc>::new(1000));
    let middle = {
        let (p, switch, low, high) = (p.clone(), switch.clone(), low.clone(), high.clone());
        nexus::Computed::<u32, Calc>::new(move |r| {
            let _ = r.get(&p);
            if r.get(&switch) {
                r.get(&high)
            } else {
                r.get(&low)
            }
        })
    };
    let total = {
        let (one, p, middle, hundred, branch) =
            (one.clone(), p.clone(), middle.clone(), hundred.clone(), branch.clone());
        nexus::Computed::<u32, Calc>::new(move |r| {
            let mut v = r.get(&one) + r.get(&p) + r.get(&middle) + r.get(&hundred);
            if r.get(&branch) {
                v += r.get(&p);
            }
            v
        })
    };
    assert_eq!(store.get(&middle), 1000);
    store.set(&switch, true);
    assert_eq!(store.get(&total), 1 + 10 + 1000 + 100 + 10);
    store.set(&branch, false);
    assert_eq!(store.get(&total), 1 + 10 + 1000 + 100);
    store.set(&p, 20);
    assert_eq!(store.get(&total), 1 + 20 + 1000 + 100, "the change of `p` reached `total`");
}
