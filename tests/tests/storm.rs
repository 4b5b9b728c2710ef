//! Concurrency storm (issue 17 item 4): eight threads run random `get`, `with`, `set`, `update`, `batch`,
//! `subscribe` and subscription drops for a while on shared stores (two isolated ones, one of them under
//! time travel, and two global-mode ones), with derived atoms, a family with eviction
//! (`#[capacity = 8]`, 32 keys), DevTools and time travel attached, and stores made and dropped on the
//! side. Then everything is checked against a sequential model:
//! - no lost update: every thread counts its own `update(+1)` calls per atom; the final values are the
//!   sums (per store, and in the global registry for `Global` atoms of global-mode stores), and a
//!   subscriber attached for the whole storm was called once per change;
//! - no derived value from a mix of old and new inputs: `SNAP = (A, B, A - B)` (through the derived
//!   `DIFF`) and `REPORT = (X, 2X + 3X)` (a diamond) are checked on every read and in every subscriber;
//!   `A` and `B` are only incremented in pairs (`A` first), so every state has `0 <= A - B <= 8`;
//! - no deadlock: a watchdog aborts the process, naming the stuck thread, when one makes no progress for
//!   30 s (a deadlock guard, not a timing assertion);
//! - memory flat: the live bytes after the storm and after dropping everything are those of a warm-up
//!   storm's end (a counting global allocator, within a small tolerance).
//!
//! Batches are not transactions for other threads (a thread sees another one's batch half done, as the
//! store's docs allow: "the changes it makes notify once"), so the invariants hold for every state, not
//! only at batch ends.
//!
//! The storm lasts `NEXUS_STORM_SECS` seconds (default 2); long on demand:
//! `NEXUS_STORM_SECS=600 cargo test -p nexus-tests --release --test storm -- --nocapture`.
//! `NEXUS_STORM_SEED` picks other per-thread seeds.

use std::io::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use nexus::{Atom, DevTools, Subscription, TimeTravel};
use nexus_tests::{env_number, Rng};

#[global_allocator]
static ALLOCATOR: nexus_tests::Counting = nexus_tests::Counting;

/// The tests of this binary take turns: the storm's memory count must not see another test's.
static TURN: Mutex<()> = Mutex::new(());

fn live() -> isize {
    nexus_tests::live_bytes()
}

/// What the live bytes may differ by between the warm-up's end and the storm's end (spare capacity of
/// tables sized by the peak of the storm, e.g. the free slots of the family's evicted members).
const TOLERANCE: isize = 16 * 1024;

const THREADS: usize = 8;

/// A thread that makes no progress for this long is taken for deadlocked.
const STALL: Duration = Duration::from_secs(30);

nexus::store! {
    /// The stores the threads share, and the ones they make and drop on the side.
    pub struct Arena;
    /// Global-mode: `Global` atoms live in the process-wide registry.
    #[mode(global)]
    pub struct Hub;
}

nexus::atom! {
    #![store(Arena)]
    pub static C0: u64 = 0;
    pub static C1: u64 = 0;
    pub static C2: u64 = 0;
    pub static C3: u64 = 0;
    pub static TOTAL: u64 = computed(|s| s.get(&C0) + s.get(&C1) + s.get(&C2) + s.get(&C3));
    pub static A: i64 = 0;
    pub static B: i64 = 0;
    pub static DIFF: i64 = computed(|s| s.get(&A) - s.get(&B));
    pub static SNAP: (i64, i64, i64) = computed(|s| (s.get(&A), s.get(&B), s.get(&DIFF)));
    pub static X: i64 = 1;
    pub static TWO_X: i64 = computed(|s| s.get(&X) * 2);
    pub static THREE_X: i64 = computed(|s| s.get(&X) * 3);
    pub static REPORT: (i64, i64) = computed(|s| (s.get(&X), s.get(&TWO_X) + s.get(&THREE_X)));
    pub static NOTE: String = String::new();
    #[capacity = 8]
    pub static SLOT: u64 = family(|k: &u32| u64::from(*k));
    pub static SLOT_LABEL: String = family_computed(|k: &u32, s| format!("{k}={}", s.get(&SLOT.at(*k))));
}

nexus::atom! {
    pub static G_COUNT: u64 = 0;
    pub static GA: i64 = 0;
    pub static GB: i64 = 0;
}

nexus::atom! {
    #![store(Hub)]
    pub static G_DIFF: i64 = computed(|s| s.get(&GA) - s.get(&GB));
    pub static G_SNAP: (i64, i64, i64) = computed(|s| (s.get(&GA), s.get(&GB), s.get(&G_DIFF)));
    pub static OWN: u64 = 0;
}

static COUNTERS: [&Atom<u64, Arena>; 4] = [&C0, &C1, &C2, &C3];

/// `SNAP` read from one state: `DIFF` agrees with `A` and `B`; in a store without time travel, pairs
/// are incremented `A` first, so `0 <= A - B <= THREADS`.
fn check_snap(label: &str, (a, b, diff): (i64, i64, i64), paired: bool) {
    assert_eq!(diff, a - b, "{label}: A - B computed from a mix of states: A={a}, B={b}, DIFF={diff}");
    if paired {
        assert!(
            (0..=i64::try_from(THREADS).expect("small")).contains(&diff),
            "{label}: A={a}, B={b}: not a state the store was ever in"
        );
    }
}

fn check_report(label: &str, (x, five_x): (i64, i64)) {
    assert_eq!(five_x, 5 * x, "{label}: 2X + 3X computed from a mix of states: X={x}, 2X+3X={five_x}");
}

// ---------------------------------------------------------------------------------------------------

/// The storm's own draws, on the shared PRNG (`nexus_tests::Rng`, splitmix64).
trait Draws {
    fn key(&mut self) -> u32;
    fn value(&mut self) -> i64;
}

impl Draws for Rng {
    fn key(&mut self) -> u32 {
        u32::try_from(self.below(32)).expect("small")
    }

    fn value(&mut self) -> i64 {
        i64::try_from(self.below(2_001)).expect("small") - 1_000
    }
}

/// What one thread did that the final values must show.
#[derive(Default, Clone, Debug)]
struct Tally {
    /// `update(+1)` of `C0..C3` in the exact store.
    counters: [u64; 4],
    /// Increments of the pair `A`, `B` in the exact store.
    pairs: u64,
    /// `update(+1)` of `G_COUNT` through either global-mode store.
    global_count: u64,
    /// Increments of the pair `GA`, `GB`.
    global_pairs: u64,
    /// `update(+1)` of each global-mode store's own `OWN`.
    own: [u64; 2],
    ops: u64,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        for (a, b) in self.counters.iter_mut().zip(other.counters) {
            *a += b;
        }
        self.pairs += other.pairs;
        self.global_count += other.global_count;
        self.global_pairs += other.global_pairs;
        for (a, b) in self.own.iter_mut().zip(other.own) {
            *a += b;
        }
        self.ops += other.ops;
    }
}

/// Everything the threads share.
struct World {
    /// No time travel: its counters are exact. DevTools attached.
    exact: Arena,
    /// Under time travel (threads undo, redo and jump): only the invariants hold.
    travel: Arena,
    hubs: [Hub; 2],
    devtools: [DevTools; 2],
    time_travel: TimeTravel,
    /// Called once per change of `C0` in `exact`, and of `G_COUNT` (heard through `hubs[1]`).
    c0_calls: Arc<AtomicU64>,
    global_calls: Arc<AtomicU64>,
    permanent: Vec<Subscription>,
}

impl World {
    fn new() -> Self {
        let (exact, travel) = (Arena::new(), Arena::new());
        let hubs = [Hub::new(), Hub::new()];
        let devtools = [DevTools::with_capacity(&exact, 64), DevTools::with_capacity(&travel, 64)];
        let time_travel = TimeTravel::attach(&travel, 32);
        let c0_calls = Arc::new(AtomicU64::new(0));
        let global_calls = Arc::new(AtomicU64::new(0));
        let (c0, global) = (c0_calls.clone(), global_calls.clone());
        let mut permanent = vec![
            exact.subscribe(&C0, move |_| {
                c0.fetch_add(1, Ordering::SeqCst);
            }),
            hubs[1].subscribe(&G_COUNT, move |_| {
                global.fetch_add(1, Ordering::SeqCst);
            }),
            exact.subscribe(&SNAP, |v| check_snap("a subscriber of SNAP", *v, true)),
            travel.subscribe(&SNAP, |v| check_snap("a subscriber of SNAP under time travel", *v, false)),
            exact.subscribe(&REPORT, |v| check_report("a subscriber of REPORT", *v)),
        ];
        for hub in &hubs {
            permanent.push(hub.subscribe(&G_SNAP, |v| check_snap("a subscriber of G_SNAP", *v, true)));
        }
        // Subscribers that write to the other store (after the lock is released: no deadlock).
        let to_travel = travel.clone();
        permanent.push(exact.subscribe(&X, move |x| to_travel.set(&NOTE, format!("exact X={x}"))));
        let to_exact = exact.clone();
        permanent.push(travel.subscribe(&X, move |x| to_exact.set(&NOTE, format!("travel X={x}"))));
        let to_hub = hubs[0].clone();
        permanent.push(hubs[1].subscribe(&GA, move |_| {
            let _ = to_hub.get(&G_SNAP);
        }));
        World { exact, travel, hubs, devtools, time_travel, c0_calls, global_calls, permanent }
    }

    fn arena(&self, rng: &mut Rng) -> (&Arena, bool) {
        if rng.below(3) == 0 {
            (&self.travel, false)
        } else {
            (&self.exact, true)
        }
    }
}

/// A thread's own subscriptions, at most 16, dropped at random.
struct Subs(Vec<Subscription>);

impl Subs {
    fn push(&mut self, rng: &mut Rng, sub: Subscription) {
        if self.0.len() >= 16 {
            let i = rng.below(self.0.len());
            drop(self.0.swap_remove(i));
        }
        self.0.push(sub);
    }
}

/// One random operation of thread `me`.
fn step(world: &World, rng: &mut Rng, tally: &mut Tally, subs: &mut Subs, me: usize) {
    match rng.below(20) {
        0..=2 => {
            let i = rng.below(4);
            world.exact.update(COUNTERS[i], |c| *c += 1);
            tally.counters[i] += 1;
            let _ = world.travel.get(COUNTERS[i]);
        }
        3 | 4 => {
            let (store, exact) = world.arena(rng);
            store.batch(|| {
                store.update(&A, |a| *a += 1);
                check_snap("SNAP inside a batch", store.get(&SNAP), exact);
                store.update(&B, |b| *b += 1);
            });
            if exact {
                tally.pairs += 1;
            }
        }
        5 | 6 => {
            let (store, exact) = world.arena(rng);
            check_snap("SNAP", store.get(&SNAP), exact);
            store.with(&REPORT, |r| check_report("REPORT", *r));
            let total = world.exact.get(&TOTAL);
            let sum: u64 = COUNTERS.iter().map(|c| world.exact.get(*c)).sum();
            assert!(total <= sum, "TOTAL {total} read before counters summing to {sum}: counters only grow");
        }
        7 => {
            let (store, _) = world.arena(rng);
            store.set(&X, rng.value());
            check_report("REPORT after a set", store.get(&REPORT));
        }
        8 | 9 => family_step(world, rng, subs),
        10 | 11 => subscribe_step(world, rng, subs),
        12 => {
            if !subs.0.is_empty() {
                let i = rng.below(subs.0.len());
                drop(subs.0.swap_remove(i));
            }
        }
        13 | 14 => hub_step(world, rng, tally),
        15 => tools_step(world, rng),
        16 => {
            // Nested batches on both kinds of store.
            let hub = &world.hubs[me % 2];
            world.exact.batch(|| {
                hub.batch(|| {
                    world.exact.update(&C3, |c| *c += 1);
                    hub.update(&OWN, |o| *o += 1);
                    world.exact.batch(|| world.exact.set(&NOTE, format!("thread {me}")));
                });
                world.exact.update(&A, |a| *a += 1);
                world.exact.update(&B, |b| *b += 1);
            });
            tally.counters[3] += 1;
            tally.own[me % 2] += 1;
            tally.pairs += 1;
        }
        17 => churn(rng),
        _ => {
            let (store, _) = world.arena(rng);
            store.reset(&X);
            let _ = store.get(&NOTE);
        }
    }
    tally.ops += 1;
}

fn family_step(world: &World, rng: &mut Rng, subs: &mut Subs) {
    let (store, exact) = world.arena(rng);
    let key = rng.key();
    match rng.below(4) {
        0 => store.update(&SLOT.at(key), |v| *v += 1),
        1 => {
            let label = store.get(&SLOT_LABEL.at(key));
            assert!(label.starts_with(&format!("{key}=")), "{label}");
        }
        2 => {
            let sub = store.subscribe(&SLOT.at(key), |_| {});
            subs.push(rng, sub);
        }
        _ => {
            let held = SLOT.at(key);
            let before = store.get(&held);
            let _ = SLOT.at(rng.key()); // may evict `key`: the held handle keeps it
            store.update(&held, |v| *v += 1);
            // Held, it is not evicted; in the exact store its value only grows.
            let after = store.get(&held);
            assert!(!exact || after > before, "SLOT[{key}]: {before}, then {after} after an increment");
        }
    }
}

fn subscribe_step(world: &World, rng: &mut Rng, subs: &mut Subs) {
    let (store, exact) = world.arena(rng);
    let sub = match rng.below(5) {
        0 => store.subscribe(&SNAP, move |v| check_snap("a thread's subscriber of SNAP", *v, exact)),
        1 => store.subscribe(&REPORT, |v| check_report("a thread's subscriber of REPORT", *v)),
        2 => {
            // Reads the store from inside its callback.
            let reader = store.clone();
            store.subscribe(&DIFF, move |_| check_snap("SNAP read by a subscriber", reader.get(&SNAP), exact))
        }
        3 => {
            let hub = world.hubs[rng.below(2)].clone();
            world.hubs[rng.below(2)].subscribe(&G_DIFF, move |_| {
                check_snap("G_SNAP read by a subscriber", hub.get(&G_SNAP), true);
            })
        }
        _ => store.subscribe(COUNTERS[rng.below(4)], |_| {}),
    };
    subs.push(rng, sub);
}

fn hub_step(world: &World, rng: &mut Rng, tally: &mut Tally) {
    let h = rng.below(2);
    let hub = &world.hubs[h];
    match rng.below(4) {
        0 => {
            hub.update(&G_COUNT, |c| *c += 1);
            tally.global_count += 1;
        }
        1 => {
            hub.batch(|| {
                hub.update(&GA, |a| *a += 1);
                hub.update(&GB, |b| *b += 1);
            });
            tally.global_pairs += 1;
        }
        2 => {
            hub.update(&OWN, |o| *o += 1);
            tally.own[h] += 1;
        }
        _ => check_snap("G_SNAP", hub.get(&G_SNAP), true),
    }
}

fn tools_step(world: &World, rng: &mut Rng) {
    match rng.below(6) {
        0 => {
            let _ = world.time_travel.undo();
        }
        1 => {
            let _ = world.time_travel.redo();
        }
        2 => {
            let len = world.time_travel.history().len();
            let _ = world.time_travel.jump_to(rng.below(len + 1));
        }
        3 => {
            let d = &world.devtools[rng.below(2)];
            assert!(!d.atoms().is_empty());
        }
        4 => {
            let d = &world.devtools[rng.below(2)];
            assert!(d.log().len() <= 64);
        }
        _ => {
            let text = world.devtools[rng.below(2)].export_json();
            assert!(text.starts_with('{'), "{text}");
        }
    }
}

/// A store made, used and dropped on the side (sometimes with tools), its subscription last.
fn churn(rng: &mut Rng) {
    let store = Arena::new();
    let tools = (rng.below(4) == 0).then(|| (DevTools::attach(&store), TimeTravel::attach(&store, 4)));
    let sub = store.subscribe(&REPORT, |v| check_report("REPORT in a short-lived store", *v));
    store.set(&X, rng.value());
    store.update(&SLOT.at(rng.key()), |v| *v += 1);
    check_report("REPORT in a short-lived store", store.get(&REPORT));
    if let Some((_, tt)) = &tools {
        assert!(tt.undo());
    }
    drop(tools);
    drop(store);
    // (Not `!sub.is_active()`: another thread's family eviction may hold the store for a moment.)
    drop(sub);
}

// ---------------------------------------------------------------------------------------------------
// The watchdog.

/// Per-thread progress counters; a finished thread's is [`DONE`].
struct Beats(Vec<AtomicU64>);

const DONE: u64 = u64::MAX;

impl Beats {
    fn beat(&self, i: usize) {
        self.0[i].fetch_add(1, Ordering::Relaxed);
    }

    fn done(&self, i: usize) {
        self.0[i].store(DONE, Ordering::SeqCst);
    }
}

/// Aborts the process when a thread's counter stays the same for `stall` (and is not [`DONE`]).
fn watchdog(
    beats: Arc<Beats>,
    stop: Arc<AtomicBool>,
    names: Vec<String>,
    stall: Duration,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let mut last: Vec<(u64, Instant)> =
            beats.0.iter().map(|b| (b.load(Ordering::SeqCst), Instant::now())).collect();
        while !stop.load(Ordering::SeqCst) {
            thread::sleep(Duration::from_millis(50));
            for (i, (value, since)) in last.iter_mut().enumerate() {
                let now = beats.0[i].load(Ordering::SeqCst);
                if now != *value || now == DONE {
                    *value = now;
                    *since = Instant::now();
                } else if since.elapsed() >= stall {
                    // Written straight to the process's stderr: the test harness's capture would lose it.
                    let _ = writeln!(
                        std::io::stderr(),
                        "storm: {} made no progress for {stall:?} (after {now} steps): deadlock; aborting",
                        names[i]
                    );
                    std::process::abort();
                }
            }
        }
    })
}

/// Runs the storm for `duration` with per-thread seeds from `seed`; returns the summed tallies, having
/// checked the final state against them. Drops everything it made.
fn storm(duration: Duration, seed: u64) -> Tally {
    let world = Arc::new(World::new());
    // Values before (`Global` atoms live on from an earlier storm).
    let global_before = (world.hubs[0].get(&G_COUNT), world.hubs[0].get(&GA), world.hubs[0].get(&GB));
    let beats = Arc::new(Beats((0..=THREADS).map(|_| AtomicU64::new(0)).collect()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut names: Vec<String> = (0..THREADS).map(|i| format!("storm thread {i}")).collect();
    names.push("the main thread (joining and checking)".to_owned());
    // The main thread only waits for the workers (whose own counters guard them) until it checks.
    beats.done(THREADS);
    let dog = watchdog(beats.clone(), stop.clone(), names, STALL);
    let deadline = Instant::now() + duration;
    let workers: Vec<_> = (0..THREADS)
        .map(|me| {
            let (world, beats) = (world.clone(), beats.clone());
            thread::Builder::new()
                .name(format!("storm-{me}"))
                .spawn(move || {
                    let mut rng = Rng(seed ^ (0x51_7cc1_b727_220a_u64.wrapping_mul(me as u64 + 1)));
                    let (mut tally, mut subs) = (Tally::default(), Subs(Vec::new()));
                    while Instant::now() < deadline {
                        for _ in 0..32 {
                            step(&world, &mut rng, &mut tally, &mut subs, me);
                            beats.beat(me);
                        }
                    }
                    drop(subs);
                    beats.done(me);
                    tally
                })
                .expect("a thread starts")
        })
        .collect();
    let mut total = Tally::default();
    let mut failures = Vec::new();
    for (i, w) in workers.into_iter().enumerate() {
        match w.join() {
            Ok(t) => total.add(&t),
            Err(payload) => failures.push(format!("thread {i}: {}", panic_text(&*payload))),
        }
    }
    beats.0[THREADS].store(0, Ordering::SeqCst);
    assert!(failures.is_empty(), "threads panicked:\n{}", failures.join("\n"));
    check_final(&world, &total, global_before);
    beats.beat(THREADS);
    drop(world);
    beats.done(THREADS);
    stop.store(true, Ordering::SeqCst);
    dog.join().expect("the watchdog does not panic");
    total
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// The sequential model: the final values are what the threads' own counts say.
fn check_final(world: &World, total: &Tally, (count0, ga0, gb0): (u64, i64, i64)) {
    let exact = &world.exact;
    for (i, c) in COUNTERS.iter().enumerate() {
        assert_eq!(exact.get(*c), total.counters[i], "C{i}: updates lost");
    }
    assert_eq!(exact.get(&TOTAL), total.counters.iter().sum::<u64>());
    let pairs = i64::try_from(total.pairs).expect("fits");
    assert_eq!(exact.get(&SNAP), (pairs, pairs, 0), "A and B: updates lost");
    assert_eq!(world.c0_calls.load(Ordering::SeqCst), total.counters[0], "one call per change of C0");
    let global_count = world.hubs[0].get(&G_COUNT);
    assert_eq!(global_count - count0, total.global_count, "G_COUNT: updates lost");
    assert_eq!(
        world.global_calls.load(Ordering::SeqCst),
        total.global_count,
        "one call per change of G_COUNT"
    );
    let global_pairs = i64::try_from(total.global_pairs).expect("fits");
    for hub in &world.hubs {
        assert_eq!(hub.get(&G_SNAP), (ga0 + global_pairs, gb0 + global_pairs, ga0 - gb0));
        assert_eq!(hub.get(&G_COUNT), global_count);
    }
    for (h, hub) in world.hubs.iter().enumerate() {
        assert_eq!(hub.get(&OWN), total.own[h], "OWN of global-mode store {h}: updates lost");
    }
    check_snap("SNAP at the end under time travel", world.travel.get(&SNAP), false);
    check_report("REPORT at the end", exact.get(&REPORT));
    check_report("REPORT at the end under time travel", world.travel.get(&REPORT));
    assert!(!world.permanent.is_empty());
}

#[test]
fn eight_threads_of_random_operations_lose_nothing_mix_nothing_and_leak_nothing() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let seed = env_number("NEXUS_STORM_SEED", 0x5707_3217);
    let secs = env_number("NEXUS_STORM_SECS", 2);
    // Warm-up: first uses fill the process-wide tables (slot spaces, the family's cache, the global
    // registry, thread-locals); then the live bytes are the baseline.
    let warm = storm(Duration::from_millis(300), seed ^ 1);
    let baseline = live();
    let tally = storm(Duration::from_secs(secs), seed);
    let after = live();
    println!(
        "storm: {secs} s, {} operations ({} in the warm-up); live bytes after the warm-up {baseline}, after \
         the storm {after}, difference {} B; {tally:?}",
        tally.ops,
        warm.ops,
        after - baseline
    );
    assert!(tally.ops > 0);
    assert!((after - baseline).abs() <= TOLERANCE, "memory grew by {} bytes", after - baseline);
}

// ---------------------------------------------------------------------------------------------------
// Bugs the storm found, each on its own.

nexus::atom! {
    #![store(Arena)]
    #[capacity = 2]
    pub static TINY: u32 = family(|k: &u32| *k);
    pub static PICK: u32 = 0;
    pub static PICKED: u32 = computed(|s| {
        let key = s.get(&PICK);
        if key >= 2 {
            // Both threads are now inside a read function, each holding its own store's lock.
            MEET.wait();
        }
        s.get(&TINY.at(key))
    });
}

static MEET: Barrier = Barrier::new(2);

/// Found by the storm (a deadlock): `TINY.at(key)` inside a read function evicts the family's least
/// recently used member; dropping it frees its value from every store holding it, which takes each such
/// store's lock. Two threads doing this in two stores at once each hold one store's lock and wait for
/// the other's. The watchdog aborts the process if it happens.
#[test]
fn evicting_family_members_inside_read_functions_of_two_stores_does_not_deadlock() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let stores = [Arena::new(), Arena::new()];
    for store in &stores {
        // Keys 0 and 1 fill the family (capacity 2), held by both stores.
        store.get(&TINY.at(0));
        store.get(&TINY.at(1));
        store.get(&PICKED);
    }
    let beats = Arc::new(Beats((0..2).map(|_| AtomicU64::new(0)).collect()));
    let stop = Arc::new(AtomicBool::new(false));
    let names = vec!["the thread reading PICKED in store 0".to_owned(), "the one in store 1".to_owned()];
    let dog = watchdog(beats.clone(), stop.clone(), names, Duration::from_secs(10));
    let threads: Vec<_> = (0..2)
        .map(|i| {
            let (store, beats) = (stores[i].clone(), beats.clone());
            thread::spawn(move || {
                // Keys 2 and 3: each evicts one of 0 and 1, while the other thread holds its store.
                store.set(&PICK, 2 + u32::try_from(i).expect("small"));
                assert_eq!(store.get(&PICKED), 2 + u32::try_from(i).expect("small"));
                beats.done(i);
            })
        })
        .collect();
    for t in threads {
        t.join().expect("no thread panicked");
    }
    stop.store(true, Ordering::SeqCst);
    dog.join().expect("the watchdog does not panic");
}

nexus::atom! {
    pub static MA: i64 = 0;
    pub static MB: i64 = 0;
}

nexus::atom! {
    #![store(Hub)]
    pub static M_DIFF: i64 = computed(|s| s.get(&MA) - s.get(&MB));
    pub static M_SNAP: (i64, i64, i64) = computed(|s| (s.get(&MA), s.get(&MB), s.get(&M_DIFF)));
    pub static M_OWN: u64 = 0;
    pub static M_MIX: (i64, i64, i64, u64) =
        computed(|s| (s.get(&MA), s.get(&MB), s.get(&M_DIFF), s.get(&M_OWN)));
}

/// Found by the storm (a derived value from a mix of states), on one thread: in a batch on a
/// global-mode store, a change of a `Global` atom reaches the global registry at once but the store's
/// derived atoms only at the batch's end, so a derived atom evaluated meanwhile reads the new `MA` and
/// the stale `M_DIFF`.
#[test]
fn a_batch_on_a_global_mode_store_sees_its_global_changes_in_derived_atoms() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let hub = Hub::new();
    let (a, b, _, _) = hub.get(&M_MIX);
    hub.batch(|| {
        hub.update(&MA, |a| *a += 1);
        hub.update(&M_OWN, |o| *o += 1);
        let (ma, mb, diff, _) = hub.get(&M_MIX);
        assert_eq!((ma, mb), (a + 1, b));
        assert_eq!(diff, ma - mb, "M_MIX computed from a mix of states: MA={ma}, MB={mb}, M_DIFF={diff}");
        // "Reads inside the batch see every change at once" (`Store::batch`).
        assert_eq!(hub.get(&M_DIFF), ma - mb, "M_DIFF inside the batch");
    });
    let (ma, mb, diff, _) = hub.get(&M_MIX);
    assert_eq!(diff, ma - mb);
}

/// The same across threads, without batches: a `Global` atom's new value is in the registry before
/// the global-mode stores' derived atoms hear of it, and a derived atom evaluated in between mixes the
/// two. (Timing-dependent: two writers, 20,000 updates each, make it show within the run.)
#[test]
fn derived_atoms_of_global_mode_stores_read_one_state_of_global_atoms() {
    let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let hubs = [Hub::new(), Hub::new()];
    let mixed = Arc::new(Mutex::new(Vec::new()));
    let subs: Vec<Subscription> = hubs
        .iter()
        .map(|hub| {
            let mixed = mixed.clone();
            hub.subscribe(&M_SNAP, move |&(a, b, diff)| {
                if diff != a - b {
                    mixed.lock().expect("not poisoned").push((a, b, diff));
                }
            })
        })
        .collect();
    let writers: Vec<_> = (0..2)
        .map(|_| {
            let hub = hubs[0].clone();
            thread::spawn(move || {
                for _ in 0..20_000 {
                    hub.update(&MA, |a| *a += 1);
                    hub.update(&MB, |b| *b += 1);
                }
            })
        })
        .collect();
    while !writers.iter().all(thread::JoinHandle::is_finished) {
        let (a, b, diff) = hubs[1].get(&M_SNAP);
        if diff != a - b {
            mixed.lock().expect("not poisoned").push((a, b, diff));
        }
    }
    for w in writers {
        w.join().expect("no writer panicked");
    }
    drop(subs);
    let mixed = mixed.lock().expect("not poisoned");
    assert!(
        mixed.is_empty(),
        "{} mixed states (MA, MB, M_DIFF), e.g. {:?}",
        mixed.len(),
        &mixed[..mixed.len().min(5)]
    );
}
