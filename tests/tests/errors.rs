//! Errors (SPEC §4 "Errors"; issue 3 item 7): cycles, panicking read functions, re-entrant use.

use std::sync::atomic::{AtomicBool, Ordering};

use nexus_tests::panic_message;

nexus::store! {
    pub struct Graph;
}

nexus::atom! {
    #![store(Graph)]
    pub static PING: u32 = computed(|s| s.get(&PONG) + 1);
    pub static PONG: u32 = computed(|s| s.get(&PING) + 1);
    pub static ME: u32 = computed(|s| s.get(&ME));
    pub static INPUT: u32 = 1;
    pub static FRAGILE: u32 = computed(|s| {
        let v = s.get(&INPUT);
        assert!(!BROKEN.load(Ordering::SeqCst), "read function failed on {v}");
        v * 10
    });
}

static BROKEN: AtomicBool = AtomicBool::new(false);

#[test]
fn a_cycle_panics_naming_every_atom_in_it() {
    let s = Graph::new();
    let message = panic_message(|| {
        s.get(&PING);
    });
    assert!(message.contains("dependency cycle"), "{message}");
    assert!(message.contains("errors::PING") && message.contains("errors::PONG"), "{message}");
    let message = panic_message(|| {
        s.get(&ME);
    });
    assert!(message.contains("errors::ME -> errors::ME"), "{message}");
    s.set(&INPUT, 2);
    assert_eq!(s.get(&INPUT), 2, "the store stays usable");
}

#[test]
fn a_long_cycle_of_run_time_atoms_panics_without_overflowing_the_stack() {
    let s = Graph::new();
    let switch = nexus::Atom::<bool, Graph>::new(false);
    // 50 computed atoms in a ring; the last closes the ring only when `switch` is on.
    let slots: Vec<std::sync::Arc<std::sync::OnceLock<nexus::Computed<u64, Graph>>>> =
        (0..50).map(|_| std::sync::Arc::new(std::sync::OnceLock::new())).collect();
    for i in 0..50 {
        let next = slots[(i + 1) % 50].clone();
        let switch = switch.clone();
        let atom = nexus::Computed::<u64, Graph>::new(move |r| {
            if i == 49 && !r.get(&switch) {
                return 0;
            }
            r.get(next.get().expect("ring built")) + 1
        });
        slots[i].set(atom).expect("set once");
    }
    let first = slots[0].get().expect("ring built").clone();
    assert_eq!(s.get(&first), 49);
    s.set(&switch, true);
    let message = panic_message(|| {
        s.get(&first);
    });
    assert!(message.contains("dependency cycle"), "{message}");
    assert_eq!(message.matches(" -> ").count(), 50, "every atom of the ring is named: {message}");
    s.set(&switch, false);
    assert_eq!(s.get(&first), 49, "usable again once the cycle is gone");
}

#[test]
fn a_panic_in_a_read_function_reaches_the_caller_and_the_next_read_retries() {
    let s = Graph::new();
    BROKEN.store(true, Ordering::SeqCst);
    let message = panic_message(|| {
        s.get(&FRAGILE);
    });
    assert_eq!(message, "read function failed on 1");
    BROKEN.store(false, Ordering::SeqCst);
    assert_eq!(s.get(&FRAGILE), 10);
    s.set(&INPUT, 3);
    assert_eq!(s.get(&FRAGILE), 30);
}

#[test]
fn using_the_store_inside_a_read_function_panics_instead_of_deadlocking() {
    let s = Graph::new();
    let handle = s.clone();
    let bad = nexus::Computed::<u32, Graph>::new(move |_| handle.get(&INPUT));
    let message = panic_message(|| {
        s.get(&bad);
    });
    assert!(message.contains("read other atoms through"), "{message}");
    s.set(&INPUT, 4);
    assert_eq!(s.get(&INPUT), 4);
}

#[test]
fn using_the_store_inside_update_panics_instead_of_deadlocking() {
    let s = Graph::new();
    let handle = s.clone();
    let message = panic_message(|| s.update(&INPUT, |v| *v = handle.get(&INPUT) + 1));
    assert!(message.contains("was used from inside the closure of its own `update`"), "{message}");
    // `update` has no `s`: the message says what to do instead (issue 26).
    assert!(message.contains("read the other atoms before calling `update`"), "{message}");
    assert!(message.contains("`writable`") && message.contains("`batch`"), "{message}");
    assert!(!message.contains("`s` argument"), "{message}");
    s.update(&INPUT, |v| *v += 1);
    assert_eq!(s.get(&INPUT), 2);
    // Once the closure is over, a read function's misuse gets its own advice again.
    let bad = nexus::Computed::<u32, Graph>::new(move |_| handle.get(&INPUT));
    let message = panic_message(|| {
        s.get(&bad);
    });
    assert!(message.contains("read other atoms through the function's `s` argument"), "{message}");
}

#[test]
fn a_read_function_may_catch_a_nested_reads_panic_any_number_of_times() {
    // Catching is the read function's business; each caught panic must leave the evaluation as it was.
    // (Each one used to leave one level of nesting behind for good: after 63, every nested first read
    // suspended and ran its read function twice; after 64, a caught panic escaped the catch.)
    let s = Graph::new();
    let mut keep = Vec::new();
    for i in 0..70 {
        let failing = nexus::Computed::<u32, Graph>::new(move |_| -> u32 { panic!("nested read {i} fails") });
        let catching = nexus::Computed::<u32, Graph>::new(move |r| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.get(&failing))).map_or(i, |v| v)
        });
        assert_eq!(s.get(&catching), i, "the read function caught the panic and went on");
        keep.push(catching);
    }
    let runs = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let inner = nexus::Computed::<u32, Graph>::new(|r| r.get(&INPUT) + 1);
    let outer = {
        let runs = runs.clone();
        nexus::Computed::<u32, Graph>::new(move |r| {
            runs.fetch_add(1, Ordering::SeqCst);
            r.get(&inner) * 2
        })
    };
    assert_eq!(s.get(&outer), 4);
    assert_eq!(runs.load(Ordering::SeqCst), 1, "a first read nests once, with no suspension and no rerun");
}

#[test]
fn a_read_function_may_retry_a_nested_read_whose_panic_it_caught() {
    // The failing atom's evaluation was cut short, not left running: reading it again is no cycle.
    let s = Graph::new();
    let failing = nexus::Computed::<u32, Graph>::new(|r| -> u32 {
        let v = r.get(&INPUT);
        panic!("always fails on {v}")
    });
    let retrying = nexus::Computed::<u32, Graph>::new(move |r| {
        let mut messages = 0;
        for _ in 0..3 {
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.get(&failing))) {
                Ok(v) => return v,
                Err(p) => {
                    let text = p.downcast_ref::<String>().cloned().unwrap_or_default();
                    assert!(!text.contains("cycle"), "a retry is not a cycle: {text}");
                    messages += 1;
                }
            }
        }
        messages
    });
    assert_eq!(s.get(&retrying), 3, "three tries, three panics of the read function itself");
    s.set(&INPUT, 2);
    assert_eq!(s.get(&INPUT), 2, "the store stays usable");
}
