//! Snapshot fuzzing (issue 17 item 2): random and mutated JSON given to `hydrate` never panics, never
//! changes a store partly, and names every problem.
//!
//! Valid snapshots of stores holding atoms of many types (numbers, strings, `Vec`, `Option`, tuples,
//! maps, serde structs and enums, `Global` atoms, named run-time atoms, a family member, an async atom's
//! loaded value) are mutated as JSON trees and as JSON text: types changed, keys dropped, duplicated and
//! renamed, paths near-missed, deep nesting, huge numbers, unicode, wrong store names, whole random
//! documents. Each case is judged against an oracle the test computes from the snapshot as parsed:
//! - the exact list of problems `hydrate` must report (wrong store, unknown path, derived atom, type
//!   without `Deserialize`, ambiguous name, value that does not decode as the atom's type), each naming
//!   its atom's path;
//! - on `Err`: every atom of the hydrated store and of a second instance keeps its value, and no
//!   subscriber was called;
//! - on `Ok`: every atom the snapshot names holds the decoded value, the others are unchanged, derived
//!   atoms agree with their inputs, and every subscriber was called once if its atom's value changed,
//!   never otherwise (in a global-mode store: also the subscribers of another global-mode store);
//! - with DevTools and time travel attached (a quarter of the cases): a rejected hydration leaves no
//!   action and no history entry; an accepted one that changes the store's own atoms is one history
//!   entry, and undoing it puts them back.
//!
//! Three in five hydrated stores start from a valid snapshot, and three in ten have never read the atoms
//! before (`hydrate` registers them).
//!
//! Deterministic (a fixed seed). More cases, or another seed:
//! `NEXUS_FUZZ_CASES=200000 NEXUS_FUZZ_SEED=7 cargo test -p nexus-tests --release --test snapshot_fuzz`.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

use futures::executor::block_on;
use nexus::{
    Atom, DevTools, Global, HydrateError, HydrateProblem, Loadable, Readable, Snapshot, Store, Subscription,
    TimeTravel,
};
use nexus_tests::{env_number, Rng};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

nexus::store! {
    /// The isolated store most cases hydrate.
    pub struct Fuzz;
    /// Another store type: its snapshots and atoms are foreign to `Fuzz`.
    pub struct Elsewhere;
    /// A global-mode store: `Global` atoms hydrate into the shared registry.
    #[mode(global)]
    pub struct Shared;
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub city: String,
    pub zip: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub age: u8,
    pub tags: Vec<String>,
    pub home: Option<Address>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Role {
    #[default]
    Guest,
    Member(u16),
    Admin {
        level: u8,
        scopes: Vec<String>,
    },
}

/// Not serialisable: never in a snapshot, `NotDeserializable` when one names it.
#[derive(Clone, Debug, PartialEq)]
pub struct Socket(pub u32);

nexus::atom! {
    #![store(Fuzz)]
    pub static COUNT: u32 = 0;
    pub static DELTA: i64 = -1;
    pub static RATIO: f64 = 0.5;
    pub static FLAG: bool = false;
    pub static SMALL: i8 = 0;
    pub static TITLE: String = "untitled".to_owned();
    pub static TAGS: Vec<String> = Vec::new();
    pub static SCORES: Vec<u16> = vec![1, 2];
    pub static MAYBE: Option<u64> = None;
    pub static PROFILE: Profile = Profile::default();
    pub static ROLE: Role = Role::Guest;
    pub static PAIR: (u8, String) = (0, String::new());
    pub static TABLE: BTreeMap<String, i32> = BTreeMap::new();
    pub static SOCKET: Socket = Socket(0);
    pub static SCORE_SUM: u64 = computed(|s| s.with(&SCORES, |v| v.iter().copied().map(u64::from).sum()));
    pub static SUMMARY: String = computed(|s| summary(s.get(&COUNT), &s.get(&TITLE), &s.get(&LOCALE)));
    pub static PERCENT: f64 = writable(|s| s.get(&RATIO) * 100.0, |s, p: f64| s.set(&RATIO, p / 100.0));
    #[capacity = 4]
    pub static CELL: u32 = family(|k: &u32| *k);
    pub static BIO: String = async_computed(|s| {
        let socket = s.get(&SOCKET).0;
        async move { Ok::<_, std::fmt::Error>(format!("bio {socket}")) }
    });
}

nexus::atom! {
    #![store(Fuzz)]
    /// Used by `an_async_atom_never_used_in_this_process_hydrates` only, and only after its hydration.
    pub static FIRST_USE: String = async_computed(|_s| async { Ok::<_, std::fmt::Error>("loaded".to_owned()) });
}

nexus::atom! {
    pub static LOCALE: String = "en".to_owned();
    pub static HITS: u64 = 0;
    pub static NAMES: Vec<String> = Vec::new();
}

nexus::atom! {
    #![store(Shared)]
    pub static OWN: i32 = 0;
    pub static VIEW: String = computed(|s| view(s.get(&HITS), &s.get(&NAMES), s.get(&OWN)));
}

nexus::atom! {
    #![store(Elsewhere)]
    pub static FOREIGN: u32 = 0;
}

fn summary(count: u32, title: &str, locale: &str) -> String {
    format!("{count} {title} {locale}")
}

fn view(hits: u64, names: &[String], own: i32) -> String {
    format!("{hits} {names:?} {own}")
}

/// Run-time atoms given names: found by `hydrate` through the registry of named atoms.
static VISITS: LazyLock<Atom<Vec<i32>, Fuzz>> = LazyLock::new(|| Atom::named_serde("fuzz visits", vec![1]));
static NOTE: LazyLock<Atom<String, Global>> =
    LazyLock::new(|| Atom::named_serde("fuzz note", "n".to_owned()));
static SHARED_LEVEL: LazyLock<Atom<u8, Shared>> = LazyLock::new(|| Atom::named_serde("fuzz level", 1));
/// Two live atoms with one name: `Ambiguous`.
static TWICE: LazyLock<(Atom<u8, Fuzz>, Atom<u8, Fuzz>)> =
    LazyLock::new(|| (Atom::named_serde("fuzz twice", 1), Atom::named_serde("fuzz twice", 2)));
/// A family member, held so that it is never evicted: snapshots carry it as `snapshot_fuzz::CELL[7]`
/// (the family's key, then the member's key as JSON).
static CELL_7: LazyLock<Atom<u32, Fuzz>> = LazyLock::new(|| CELL.at(7));

// ---------------------------------------------------------------------------------------------------
// The cases' own draws, on the shared PRNG (`nexus_tests::Rng`, splitmix64).

trait Draws {
    fn small(&mut self) -> i64;
    fn word(&mut self) -> String;
}

impl Draws for Rng {
    fn small(&mut self) -> i64 {
        i64::try_from(self.below(41)).expect("fits") - 20
    }

    fn word(&mut self) -> String {
        let len = self.below(8);
        (0..len).map(|_| *self.pick(&['a', 'b', 'z', 'é', '🦀', ' ', '0', '_', 'Ж', '"', '\\'])).collect()
    }
}

const SEED: u64 = 0x5eed_2024_0017;

fn seed() -> u64 {
    env_number("NEXUS_FUZZ_SEED", SEED)
}

/// Scales a default number of cases by `NEXUS_FUZZ_CASES` (its default is 4,000).
fn cases(default: u64) -> u64 {
    (default * env_number("NEXUS_FUZZ_CASES", 4_000) / 4_000).max(1)
}

// ---------------------------------------------------------------------------------------------------
// Probes: what the test knows about each atom (its path, what `hydrate` must do with it, how to read it).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// Hydrates when the value decodes as its type.
    Primitive,
    /// An async atom: the value decodes as its `T` and becomes `Ready`.
    Async,
    /// Derived: `NotPrimitive`.
    Derived,
    /// Its type has no `Deserialize`: `NotDeserializable`.
    NoSerde,
    /// Several live atoms have its name: `Ambiguous`.
    Ambiguous,
}

type Boxed = Box<dyn Any>;
type Reads<S> = Box<dyn Fn(&S) -> Boxed>;
type Subscribes<S> = Box<dyn Fn(&S, &Arc<AtomicUsize>) -> Vec<Subscription>>;

struct Probe<S> {
    path: String,
    class: Class,
    /// In a global-mode store, its value lives in the global registry (shared by every such store).
    global: bool,
    read: Reads<S>,
    subscribe: Subscribes<S>,
    eq: fn(&dyn Any, &dyn Any) -> bool,
    show: fn(&dyn Any) -> String,
    /// What a JSON value decodes to as the atom's value (`None`: it does not decode).
    decode: fn(&Value) -> Option<Boxed>,
    /// Derived atoms: their value computed by the test from the store's primitive values.
    expect: Option<Reads<S>>,
    /// A random valid value (for base snapshots).
    gen: Option<fn(&mut Rng) -> Value>,
}

fn eq_as<T: PartialEq + 'static>(a: &dyn Any, b: &dyn Any) -> bool {
    a.downcast_ref::<T>().expect("probe type") == b.downcast_ref::<T>().expect("probe type")
}

fn show_as<T: Debug + 'static>(a: &dyn Any) -> String {
    let text = format!("{:?}", a.downcast_ref::<T>().expect("probe type"));
    truncate(&text, 300)
}

fn decode_as<T: DeserializeOwned + 'static>(v: &Value) -> Option<Boxed> {
    serde_json::from_value::<T>(v.clone()).ok().map(|t| Box::new(t) as Boxed)
}

fn decode_ready<T: DeserializeOwned + 'static>(v: &Value) -> Option<Boxed> {
    serde_json::from_value::<T>(v.clone()).ok().map(|t| Box::new(Loadable::Ready(t)) as Boxed)
}

fn decode_never(_: &Value) -> Option<Boxed> {
    None
}

fn counter(n: &Arc<AtomicUsize>) -> impl Fn(&dyn Any) + Send + Sync + 'static {
    let n = n.clone();
    move |_| {
        n.fetch_add(1, Ordering::SeqCst);
    }
}

/// A probe of one atom; `class` says what `hydrate` must do with its path.
fn probe<S, A>(path: &str, class: Class, atom: &'static A) -> Probe<S>
where
    S: Store,
    A: Readable + Sync,
    A::Owner: nexus::UsableIn<S>,
    A::Value: PartialEq + Debug,
{
    Probe {
        path: path.to_owned(),
        class,
        global: false,
        read: Box::new(move |s| Box::new(s.get(atom))),
        subscribe: Box::new(move |s, n| {
            let hit = counter(n);
            vec![s.subscribe(atom, move |v| hit(v))]
        }),
        eq: eq_as::<A::Value>,
        show: show_as::<A::Value>,
        decode: decode_never,
        expect: None,
        gen: None,
    }
}

fn primitive<S, A>(path: &str, atom: &'static A, gen: fn(&mut Rng) -> Value) -> Probe<S>
where
    S: Store,
    A: Readable + Sync,
    A::Owner: nexus::UsableIn<S>,
    A::Value: PartialEq + Debug + DeserializeOwned,
{
    Probe { decode: decode_as::<A::Value>, gen: Some(gen), ..probe(path, Class::Primitive, atom) }
}

fn derived<S, A>(path: &str, atom: &'static A, expect: impl Fn(&S) -> A::Value + 'static) -> Probe<S>
where
    S: Store,
    A: Readable + Sync,
    A::Owner: nexus::UsableIn<S>,
    A::Value: PartialEq + Debug,
{
    Probe { expect: Some(Box::new(move |s| Box::new(expect(s)))), ..probe(path, Class::Derived, atom) }
}

/// A probe of a `Global` atom: in a global-mode store its value lives in the shared registry.
fn global<S: Store>(mut p: Probe<S>) -> Probe<S> {
    p.global = matches!(S::MODE, nexus::Mode::Global);
    p
}

fn gen_string(r: &mut Rng) -> Value {
    json!(r.word())
}

fn gen_strings(r: &mut Rng) -> Value {
    json!((0..r.below(4)).map(|_| r.word()).collect::<Vec<_>>())
}

fn gen_u64(r: &mut Rng) -> Value {
    json!(r.bits() >> r.below(64))
}

fn gen_u8(r: &mut Rng) -> Value {
    json!(r.bits() % 256)
}

/// The atoms usable in every store type: `Global` ones.
fn global_probes<S: Store>() -> Vec<Probe<S>> {
    vec![
        global(primitive("snapshot_fuzz::LOCALE", &LOCALE, gen_string)),
        global(primitive("snapshot_fuzz::HITS", &HITS, gen_u64)),
        global(primitive("snapshot_fuzz::NAMES", &NAMES, gen_strings)),
        global(primitive("fuzz note", &*NOTE, gen_string)),
    ]
}

fn fuzz_probes() -> Vec<Probe<Fuzz>> {
    let mut probes = vec![
        primitive("snapshot_fuzz::COUNT", &COUNT, |r| json!(r.bits() % 1_000)),
        primitive("snapshot_fuzz::DELTA", &DELTA, |r| json!(r.small() * 1_000_003)),
        primitive("snapshot_fuzz::RATIO", &RATIO, |r| {
            json!(f64::from(u32::try_from(r.below(1000)).expect("small")) / 8.0)
        }),
        primitive("snapshot_fuzz::FLAG", &FLAG, |r| json!(r.chance(50))),
        primitive("snapshot_fuzz::SMALL", &SMALL, |r| json!(r.small())),
        primitive("snapshot_fuzz::TITLE", &TITLE, gen_string),
        primitive("snapshot_fuzz::TAGS", &TAGS, gen_strings),
        primitive("snapshot_fuzz::SCORES", &SCORES, |r| {
            json!((0..r.below(5)).map(|_| r.bits() % 65_536).collect::<Vec<_>>())
        }),
        primitive("snapshot_fuzz::MAYBE", &MAYBE, |r| if r.chance(30) { Value::Null } else { gen_u64(r) }),
        primitive("snapshot_fuzz::PROFILE", &PROFILE, |r| {
            let home = r
                .chance(50)
                .then(|| Address { city: r.word(), zip: u32::try_from(r.below(99_999)).expect("small") });
            json!(Profile {
                name: r.word(),
                age: u8::try_from(r.below(120)).expect("small"),
                tags: vec![r.word()],
                home
            })
        }),
        primitive("snapshot_fuzz::ROLE", &ROLE, |r| {
            let role = match r.below(3) {
                0 => Role::Guest,
                1 => Role::Member(u16::try_from(r.below(1_000)).expect("small")),
                _ => Role::Admin { level: u8::try_from(r.below(10)).expect("small"), scopes: vec![r.word()] },
            };
            json!(role)
        }),
        primitive("snapshot_fuzz::PAIR", &PAIR, |r| json!((r.bits() % 256, r.word()))),
        primitive("snapshot_fuzz::TABLE", &TABLE, |r| {
            json!((0..r.below(4)).map(|_| (r.word(), r.small())).collect::<BTreeMap<_, _>>())
        }),
        primitive("fuzz visits", &*VISITS, |r| json!((0..r.below(4)).map(|_| r.small()).collect::<Vec<_>>())),
        probe("snapshot_fuzz::SOCKET", Class::NoSerde, &SOCKET),
        primitive("snapshot_fuzz::CELL[7]", &*CELL_7, |r| json!(r.bits() % 1_000)),
        derived("snapshot_fuzz::SCORE_SUM", &SCORE_SUM, |s: &Fuzz| {
            s.get(&SCORES).into_iter().map(u64::from).sum()
        }),
        derived("snapshot_fuzz::SUMMARY", &SUMMARY, |s: &Fuzz| {
            summary(s.get(&COUNT), &s.get(&TITLE), &s.get(&LOCALE))
        }),
        derived("snapshot_fuzz::PERCENT", &PERCENT, |s: &Fuzz| s.get(&RATIO) * 100.0),
        Probe {
            class: Class::Async,
            decode: decode_ready::<String>,
            gen: Some(gen_string),
            ..probe("snapshot_fuzz::BIO", Class::Async, &BIO)
        },
        twice_probe(),
    ];
    probes.extend(global_probes());
    probes
}

fn twice_probe() -> Probe<Fuzz> {
    Probe {
        path: "fuzz twice".to_owned(),
        class: Class::Ambiguous,
        global: false,
        read: Box::new(|s| Box::new((s.get(&TWICE.0), s.get(&TWICE.1)))),
        subscribe: Box::new(|s, n| {
            let (first, second) = (counter(n), counter(n));
            vec![s.subscribe(&TWICE.0, move |v| first(v)), s.subscribe(&TWICE.1, move |v| second(v))]
        }),
        eq: eq_as::<(u8, u8)>,
        show: show_as::<(u8, u8)>,
        decode: decode_never,
        expect: None,
        gen: None,
    }
}

fn shared_probes() -> Vec<Probe<Shared>> {
    let mut probes = vec![
        primitive("snapshot_fuzz::OWN", &OWN, |r| json!(r.small())),
        primitive("fuzz level", &*SHARED_LEVEL, gen_u8),
        derived("snapshot_fuzz::VIEW", &VIEW, |s: &Shared| view(s.get(&HITS), &s.get(&NAMES), s.get(&OWN))),
    ];
    probes.extend(global_probes());
    probes
}

/// Every path a renamed key may become: known to one store type or another, and near misses.
const OTHER_PATHS: &[&str] = &[
    "snapshot_fuzz::FOREIGN",
    "snapshot_fuzz::CELL",
    "snapshot_fuzz::CELL[8",
    "snapshot_fuzz::CEL[8]",
    "snapshot_fuzz::COUNT[8]",
    "snapshot_fuzz::NO_SUCH",
    "snapshot_fuzz::count",
    "COUNT",
    "::snapshot_fuzz::COUNT",
    "crate::snapshot_fuzz::COUNT",
    "snapshot_fuzz::COUNT ",
    " snapshot_fuzz::COUNT",
    "snapshot_fuzz::C\u{41E}UNT",
    "snapshot_fuzz::COUNT\u{0}",
    "snapshot_fuzz:COUNT",
    "snapshot_fuzz::",
    "",
    "fuzz visits ",
    "Fuzz visits",
    "fuzz\u{200b} visits",
    "snapshot_fuzz::OWN",
    "snapshot_fuzz::VIEW",
    "snapshot_fuzz::BIO",
    "snapshot_fuzz::SUMMARY",
    "snapshot_fuzz::SOCKET",
    "fuzz level",
    "fuzz twice",
    "fuzz note",
    "ssr::USER",
];

struct World<S> {
    probes: Vec<Probe<S>>,
    /// Every path to rename keys to.
    paths: Vec<String>,
    /// Valid snapshots taken from stores in random states.
    bases: Vec<Snapshot>,
}

impl<S: Store> World<S> {
    fn new(probes: Vec<Probe<S>>, r: &mut Rng) -> Self {
        let mut paths: Vec<String> = OTHER_PATHS.iter().map(|p| (*p).to_owned()).collect();
        paths.extend(probes.iter().map(|p| p.path.clone()));
        paths.sort();
        paths.dedup();
        // Async atoms are known to `hydrate` only once used in this process (see
        // `an_async_atom_never_used_in_this_process_hydrates`): use every atom first.
        let warm = S::new();
        for p in &probes {
            drop((p.read)(&warm));
        }
        let mut world = World { probes, paths, bases: Vec::new() };
        for _ in 0..24 {
            let base = world.base(r);
            world.bases.push(base);
        }
        world
    }

    /// A valid snapshot: random values hydrated into a store, which then takes its snapshot. It
    /// round-trips: a fresh store hydrated with it takes the same snapshot.
    fn base(&self, r: &mut Rng) -> Snapshot {
        let source = S::new();
        let mut values = Map::new();
        for p in &self.probes {
            if let Some(gen) = p.gen.filter(|_| r.chance(75)) {
                values.insert(p.path.clone(), gen(r));
            }
        }
        let made: Snapshot = serde_json::from_value(json!({"store": source.name(), "values": values}))
            .expect("a snapshot made by hand parses");
        source.hydrate(&made).unwrap_or_else(|e| panic!("random valid values hydrate: {e}\n{made:?}"));
        for p in &self.probes {
            drop((p.read)(&source)); // registers every atom and starts the async atom's load
        }
        block_on(source.settled());
        let snap = without_twice(&source.snapshot());
        let copy = S::new();
        copy.hydrate(&snap).unwrap_or_else(|e| panic!("a store's own snapshot hydrates: {e}\n{snap:?}"));
        for p in &self.probes {
            drop((p.read)(&copy));
        }
        block_on(copy.settled());
        assert_eq!(without_twice(&copy.snapshot()), snap, "a snapshot round-trips");
        snap
    }
}

/// A store's snapshot carries one of the two atoms named "fuzz twice" (a name the program is told to
/// give once): leave it out, so that the snapshot is valid.
fn without_twice(snap: &Snapshot) -> Snapshot {
    let mut doc = serde_json::to_value(snap).expect("a snapshot is JSON");
    doc["values"].as_object_mut().expect("values").remove("fuzz twice");
    serde_json::from_value(doc).expect("still a snapshot")
}

impl<S: Store> World<S> {
    fn probe(&self, path: &str) -> Option<&Probe<S>> {
        self.probes.iter().find(|p| p.path == path)
    }
}

// ---------------------------------------------------------------------------------------------------
// The oracle.

/// A problem as the test expects it: its kind and the path (or store name) it names.
type Expected = (&'static str, String);

fn expected_problems<S: Store>(world: &World<S>, store: &S, snap: &Snapshot) -> Vec<Expected> {
    let mut problems = Vec::new();
    if snap.store() != store.name() {
        problems.push(("store", snap.store().to_owned()));
    }
    for (path, value) in snap.values() {
        let kind = match world.probe(path).map(|p| (p.class, (p.decode)(value).is_some())) {
            None => match cell_member(store.name(), path, value) {
                Some(true) => continue,
                Some(false) => "decode",
                None => "unknown",
            },
            Some((Class::Derived, _)) => "derived",
            Some((Class::NoSerde, _)) => "no-serde",
            Some((Class::Ambiguous, _)) => "ambiguous",
            Some((Class::Primitive | Class::Async, true)) => continue,
            Some((Class::Primitive | Class::Async, false)) => "decode",
        };
        problems.push((kind, path.clone()));
    }
    problems.sort();
    problems
}

/// A renamed key may name another member of `Fuzz`'s family `CELL` (`snapshot_fuzz::CELL[0]`), which
/// `hydrate` makes: `Some(whether its key and value decode)`, or `None` when `path` names no member.
fn cell_member(store: &str, path: &str, value: &Value) -> Option<bool> {
    let key = path.strip_prefix("snapshot_fuzz::CELL[")?.strip_suffix(']')?;
    if store != "Fuzz" {
        return None;
    }
    let key: Option<u32> =
        serde_json::from_str::<Value>(key).ok().and_then(|k| serde_json::from_value(k).ok());
    Some(key.is_some() && serde_json::from_value::<u32>(value.clone()).is_ok())
}

fn actual_problems(err: &HydrateError, store_name: &str) -> Vec<Expected> {
    let mut problems: Vec<Expected> = err
        .problems()
        .iter()
        .map(|p| match p {
            HydrateProblem::WrongStore { expected, found } => {
                assert_eq!(expected, store_name, "WrongStore names the hydrated store");
                ("store", found.clone())
            }
            HydrateProblem::UnknownAtom(path) => ("unknown", path.clone()),
            HydrateProblem::NotPrimitive(path) => ("derived", path.clone()),
            HydrateProblem::NotDeserializable { path, .. } => ("no-serde", path.clone()),
            HydrateProblem::Ambiguous(path) => ("ambiguous", path.clone()),
            HydrateProblem::Duplicate { path, .. } => ("duplicate", path.clone()),
            HydrateProblem::Decode { path, message } => {
                assert!(!message.is_empty(), "a decode problem says why: {p:?}");
                ("decode", path.clone())
            }
            // `HydrateProblem` is non-exhaustive: a new kind of problem needs a place in the oracle.
            other => panic!("a problem the oracle does not know: {other:?}"),
        })
        .collect();
    problems.sort();
    problems
}

fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &text[..end], text.len())
}

/// One store's state around the hydration: its values before, and a counter per probe.
struct Watched<S> {
    store: S,
    /// Whether it is the store being hydrated (otherwise another instance of its type).
    target: bool,
    before: Vec<Boxed>,
    counts: Vec<Arc<AtomicUsize>>,
    subs: Vec<Subscription>,
}

impl<S: Store> Watched<S> {
    /// `twin`: a store with the same history whose values stand for `store`'s, so that `store` itself is
    /// neither read nor subscribed before the hydration (its atoms stay untouched: `hydrate` registers
    /// them).
    fn new(world: &World<S>, store: S, target: bool, twin: Option<&S>) -> Self {
        let before = world.probes.iter().map(|p| (p.read)(twin.unwrap_or(&store))).collect();
        let counts: Vec<_> = world.probes.iter().map(|_| Arc::new(AtomicUsize::new(0))).collect();
        let subs = if twin.is_some() {
            Vec::new()
        } else {
            world.probes.iter().zip(&counts).flat_map(|(p, n)| (p.subscribe)(&store, n)).collect()
        };
        Watched { store, target, before, counts, subs }
    }
}

#[derive(Default, Debug)]
struct Tally {
    unparsable: u64,
    accepted: u64,
    rejected: u64,
}

/// Hydrates `snap` into a fresh store (in a random prior state) and checks everything against the
/// oracle; panics with the case on any difference.
fn check_case<S: Store>(world: &World<S>, snap: &Snapshot, r: &mut Rng, tally: &mut Tally, case: &str) {
    let base = r.chance(60).then(|| r.pick(&world.bases).clone());
    let prepare = |s: &S| {
        if let Some(base) = &base {
            s.hydrate(base).unwrap_or_else(|e| panic!("a base snapshot hydrates: {e}"));
        }
    };
    let (target, twin) = (S::new(), S::new());
    prepare(&target);
    prepare(&twin);
    let untouched = r.chance(30);
    let watched = [
        Watched::new(world, target, true, untouched.then_some(&twin)),
        Watched::new(world, S::new(), false, None),
    ];
    let store = &watched[0].store;
    let tools = r.chance(25).then(|| Tools::attach(store));
    let expected = expected_problems(world, store, snap);
    let outcome = catch_unwind(AssertUnwindSafe(|| store.hydrate(snap)));
    let fail = |what: String| -> ! {
        let text = serde_json::to_string(snap).unwrap_or_default();
        panic!("{case}: {what}\nsnapshot: {}", truncate(&text, 4_000))
    };
    let outcome = outcome.unwrap_or_else(|_| fail("hydrate panicked".to_owned()));
    let ok = match &outcome {
        Ok(()) => {
            tally.accepted += 1;
            if !expected.is_empty() {
                fail(format!("accepted, but the test expected the problems {expected:?}"));
            }
            true
        }
        Err(err) => {
            tally.rejected += 1;
            let actual = actual_problems(err, store.name());
            if actual != expected {
                fail(format!("problems {actual:?}, expected {expected:?} ({err})"));
            }
            check_error_text(err).unwrap_or_else(|what| fail(what));
            false
        }
    };
    for w in &watched {
        check_store(world, snap, w, ok).unwrap_or_else(|what| fail(what));
    }
    if let Some(tools) = tools {
        tools.check(world, &watched[0], ok).unwrap_or_else(|what| fail(what));
    }
    drop(watched);
}

/// DevTools and time travel attached to the hydrated store.
struct Tools {
    devtools: DevTools,
    time_travel: TimeTravel,
    actions: usize,
    history: usize,
}

impl Tools {
    fn attach<S: Store>(store: &S) -> Self {
        let devtools = DevTools::attach(store);
        let time_travel = TimeTravel::attach(store, 16);
        let (actions, history) = (devtools.log().len(), time_travel.history().len());
        Tools { devtools, time_travel, actions, history }
    }

    /// A rejected hydration leaves no trace in the tools; an accepted one that changed the store's own
    /// atoms is one history entry, and undoing it puts them back.
    fn check<S: Store>(&self, world: &World<S>, w: &Watched<S>, ok: bool) -> Result<(), String> {
        let (actions, history) = (self.devtools.log().len(), self.time_travel.history().len());
        if !ok {
            if (actions, history) != (self.actions, self.history) {
                return Err(format!(
                    "a rejected hydration left actions {} -> {actions}, history {} -> {history}",
                    self.actions, self.history
                ));
            }
            return Ok(());
        }
        let own: Vec<usize> = (0..world.probes.len())
            .filter(|&i| world.probes[i].class == Class::Primitive && !world.probes[i].global)
            .collect();
        let changed = own.iter().any(|&i| {
            let p = &world.probes[i];
            !(p.eq)(&*w.before[i], &*(p.read)(&w.store))
        });
        if !changed {
            return Ok(());
        }
        if history != self.history + 1 || actions <= self.actions {
            return Err(format!(
                "an accepted hydration left actions {} -> {actions}, history {} -> {history}",
                self.actions, self.history
            ));
        }
        if !self.time_travel.undo() {
            return Err("the hydration cannot be undone".to_owned());
        }
        for &i in &own {
            let p = &world.probes[i];
            let now = (p.read)(&w.store);
            if !(p.eq)(&*w.before[i], &*now) {
                return Err(format!(
                    "undoing the hydration left {} at {}, not {}",
                    p.path,
                    (p.show)(&*now),
                    (p.show)(&*w.before[i])
                ));
            }
        }
        Ok(())
    }
}

/// Every problem's text names its path; the error's text names every path; problems come in path order.
fn check_error_text(err: &HydrateError) -> Result<(), String> {
    let text = err.to_string();
    let mut paths = Vec::new();
    for p in err.problems() {
        let named = match p {
            HydrateProblem::WrongStore { found, .. } => found,
            HydrateProblem::UnknownAtom(path)
            | HydrateProblem::NotPrimitive(path)
            | HydrateProblem::Ambiguous(path)
            | HydrateProblem::Duplicate { path, .. }
            | HydrateProblem::NotDeserializable { path, .. }
            | HydrateProblem::Decode { path, .. } => {
                paths.push(path.clone());
                path
            }
            other => return Err(format!("a problem this check does not know: {other:?}")),
        };
        if !p.to_string().contains(named.as_str()) || !text.contains(named.as_str()) {
            return Err(format!("the problem {p:?} is not named in {text:?}"));
        }
    }
    if !paths.windows(2).all(|w| w[0] <= w[1]) {
        return Err(format!("problems not in path order: {paths:?}"));
    }
    Ok(())
}

/// After the hydration: values and subscriber calls of one watched store.
fn check_store<S: Store>(world: &World<S>, snap: &Snapshot, w: &Watched<S>, ok: bool) -> Result<(), String> {
    for (i, p) in world.probes.iter().enumerate() {
        let after = (p.read)(&w.store);
        let before = &w.before[i];
        let written = ok && (w.target || p.global) && matches!(p.class, Class::Primitive | Class::Async);
        let computed: Option<Boxed> = match (written.then(|| snap.get(&p.path)).flatten(), &p.expect) {
            (Some(json), _) => Some((p.decode)(json).expect("the oracle said it decodes")),
            (None, Some(expect)) if ok => Some(expect(&w.store)),
            (None, _) => None,
        };
        let expected: &dyn Any = computed.as_deref().unwrap_or(&**before);
        let whose = if w.target { "the hydrated store" } else { "another store" };
        if !(p.eq)(&*after, expected) {
            return Err(format!(
                "{whose}: {} is {}, expected {} (before: {}; hydrate {})",
                p.path,
                (p.show)(&*after),
                (p.show)(expected),
                (p.show)(&**before),
                if ok { "accepted" } else { "rejected" },
            ));
        }
        if w.subs.is_empty() {
            continue;
        }
        let calls = w.counts[i].load(Ordering::SeqCst);
        let changed = !(p.eq)(&**before, &*after);
        let wanted = usize::from(ok && changed);
        // An async atom's state has no equality (a `Ready` value equal to the last still ends a load):
        // hydrating the value it holds may notify once.
        let may_repeat = p.class == Class::Async && written && snap.get(&p.path).is_some();
        if calls != wanted && !(may_repeat && calls == 1) {
            return Err(format!(
                "{whose}: the subscriber of {} was called {calls} times, expected {wanted} ({} -> {})",
                p.path,
                (p.show)(&**before),
                (p.show)(&*after),
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// Mutations of a snapshot's JSON.

/// A string the text writer puts into the JSON text as is (numbers out of range, bad escapes).
const RAW: &str = "\u{1}raw:";

const RAW_TEXTS: &[&str] = &[
    "1e400",
    "-1e400",
    "18446744073709551616",
    "-9223372036854775809",
    "123456789012345678901234567890",
    "1E2",
    "-0",
    "0.1e-400",
    "\"\\ud800\"",
    "\"\\ud83e\\udd80\"",
    "\"\\u0000\"",
    "[1,]",
    "NaN",
    "01",
    "\"\\x\"",
];

const EDGE_STRINGS: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "é",
    "e\u{301}",
    "🦀",
    "\u{202e}abc",
    "\u{feff}",
    "日本語",
    "\u{10FFFF}",
    "\u{FFFD}",
    "null",
    "true",
    "123",
    "-1",
    "1e400",
    "{}",
    "\\",
    "\"",
    "\n\t\r",
    "Guest",
    "Member",
    "Admin",
];

const FIELDS: &[&str] = &[
    "name", "age", "tags", "home", "city", "zip", "Guest", "Member", "Admin", "level", "scopes", "store",
    "values",
];

fn edge_number(r: &mut Rng) -> Value {
    match r.below(19) {
        0 => json!(0),
        1 => json!(-1),
        2 => json!(256),
        3 => json!(-129),
        4 => json!(65_536),
        5 => json!(u32::MAX),
        6 => json!(u64::from(u32::MAX) + 1),
        7 => json!(i64::MIN),
        8 => json!(i64::MAX),
        9 => json!(u64::MAX),
        10 => json!(1.5),
        11 => json!(-0.0),
        12 => json!(1e308),
        13 => json!(-1e308),
        14 => json!(f64::MIN_POSITIVE),
        15 => json!(5e-324),
        16 => json!(9_007_199_254_740_993_u64),
        17 => json!(0.1),
        _ => json!(127),
    }
}

fn edge_string(r: &mut Rng) -> Value {
    match r.below(12) {
        0 => json!("ab".repeat(r.below(5_000))),
        1 => json!(r.word()),
        _ => json!(r.pick(EDGE_STRINGS)),
    }
}

fn field_name(r: &mut Rng) -> String {
    if r.chance(70) {
        (*r.pick(FIELDS)).to_owned()
    } else {
        r.word()
    }
}

fn random_json(r: &mut Rng, depth: usize) -> Value {
    match r.below(if depth == 0 { 6 } else { 9 }) {
        0 => Value::Null,
        1 => json!(r.chance(50)),
        2 => edge_number(r),
        3 => json!(r.small()),
        4 => edge_string(r),
        5 => json!(r.word()),
        6 | 7 => Value::Array((0..r.below(5)).map(|_| random_json(r, depth - 1)).collect()),
        _ => Value::Object((0..r.below(5)).map(|_| (field_name(r), random_json(r, depth - 1))).collect()),
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The path of every node of `v`.
fn node_paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                here.push(Step::Index(i));
                node_paths(item, here, out);
                here.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                here.push(Step::Key(k.clone()));
                node_paths(item, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()).expect("a node path"),
        Step::Index(i) => v.get_mut(*i).expect("a node path"),
    })
}

/// A random node of `v` (`v` itself included).
fn random_node<'a>(v: &'a mut Value, r: &mut Rng) -> &'a mut Value {
    let mut paths = Vec::new();
    node_paths(v, &mut Vec::new(), &mut paths);
    let path = r.pick(&paths).clone();
    node_mut(v, &path)
}

/// The same value as another JSON type.
fn flip_type(v: &Value, r: &mut Rng) -> Value {
    match v {
        Value::Null => json!(if r.chance(50) { json!(0) } else { json!("") }),
        Value::Bool(b) => {
            if r.chance(50) {
                json!(u8::from(*b))
            } else {
                json!(b.to_string())
            }
        }
        Value::Number(n) => match r.below(3) {
            0 => json!(n.to_string()),
            1 => n.as_f64().map_or(Value::Null, |f| json!(f)),
            _ => json!(n.as_f64().is_some_and(|f| f != 0.0)),
        },
        Value::String(s) => match r.below(3) {
            0 => s.parse::<Value>().unwrap_or_else(|_| json!(s.len())),
            1 => json!(s.chars().map(String::from).collect::<Vec<_>>()),
            _ => json!(!s.is_empty()),
        },
        Value::Array(items) => {
            Value::Object(items.iter().enumerate().map(|(i, x)| (i.to_string(), x.clone())).collect())
        }
        Value::Object(map) => {
            if r.chance(50) {
                Value::Array(map.values().cloned().collect())
            } else {
                Value::Array(map.iter().map(|(k, x)| json!([k, x])).collect())
            }
        }
    }
}

fn tweak_number(v: &mut Value, r: &mut Rng) {
    let Some(n) = v.as_number() else {
        *v = edge_number(r);
        return;
    };
    *v = match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) => match r.below(4) {
            0 => json!(i.wrapping_add(1)),
            1 => json!(i.wrapping_sub(1)),
            2 => json!(i.wrapping_neg()),
            _ => json!(i.saturating_mul(10_000_000_000)),
        },
        (None, Some(u), _) => json!(u.wrapping_add(1)),
        (_, _, Some(f)) => json!(if r.chance(50) { -f } else { f * 1e300 }),
        _ => Value::Null,
    };
    if v.is_null() {
        *v = edge_number(r);
    }
}

/// Wraps `v` in 1 to 8 (now and then up to 300) arrays and objects.
fn nest(v: &mut Value, r: &mut Rng) {
    let most = if r.chance(80) { 8 } else { 300 };
    let depth = 1 + r.below(most);
    for _ in 0..depth {
        let inner = v.take();
        *v = if r.chance(50) { json!([inner]) } else { json!({ field_name(r): inner }) };
    }
}

fn rename(key: &str, r: &mut Rng, paths: &[String]) -> String {
    match r.below(8) {
        0..=2 => r.pick(paths).clone(),
        3 => {
            if r.chance(50) {
                key.to_uppercase()
            } else {
                key.to_lowercase()
            }
        }
        4 => format!("{key}{}", r.pick(&[" ", "\u{0}", "x", "::", "\u{301}", "[0]"])),
        5 => {
            let mut chars: Vec<char> = key.chars().collect();
            if !chars.is_empty() {
                chars.remove(r.below(chars.len()));
            }
            chars.into_iter().collect()
        }
        6 => r.word(),
        _ => edge_string(r).as_str().unwrap_or_default().to_owned(),
    }
}

/// Drops, renames, duplicates or adds an entry of an object; removes, duplicates or adds an element of
/// an array.
fn mutate_container(v: &mut Value, r: &mut Rng, paths: &[String]) {
    match v {
        Value::Object(map) if !map.is_empty() && r.chance(75) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = r.pick(&keys).clone();
            match r.below(3) {
                0 => {
                    map.remove(&key);
                }
                1 => {
                    let item = map.remove(&key).expect("a key");
                    map.insert(rename(&key, r, paths), item);
                }
                _ => {
                    let item = map[&key].clone();
                    map.insert(rename(&key, r, paths), item);
                }
            }
        }
        Value::Object(map) => {
            map.insert(field_name(r), random_json(r, 2));
        }
        Value::Array(items) if !items.is_empty() && r.chance(75) => {
            let i = r.below(items.len());
            if r.chance(50) {
                items.remove(i);
            } else {
                let item = items[i].clone();
                items.insert(i, item);
            }
        }
        Value::Array(items) => items.push(random_json(r, 2)),
        other => *other = random_json(r, 2),
    }
}

fn mutate_node(v: &mut Value, r: &mut Rng, paths: &[String]) {
    match r.below(13) {
        0 => *v = random_json(r, 3),
        1 => *v = flip_type(v, r),
        2 => *v = edge_number(r),
        3 => *v = edge_string(r),
        4 => nest(v, r),
        5 => mutate_container(v, r, paths),
        6 => *v = Value::Null,
        7 => *v = json!([v.take()]),
        8 => {
            *v = match v.take() {
                Value::Array(items) => items.into_iter().next().unwrap_or_default(),
                Value::Object(map) => map.into_iter().next().map(|(_, x)| x).unwrap_or_default(),
                other => other,
            }
        }
        9 => *v = Value::String(v.to_string()),
        10 => tweak_number(v, r),
        11 => *v = Value::String(format!("{RAW}{}", r.pick(RAW_TEXTS))),
        _ => {
            let n = r.below(if v.is_array() || v.is_object() { 50 } else { 2_000 });
            *v = json!(vec![v.clone(); n]);
        }
    }
}

/// Entry-level changes of the `values` map: drop, rename, copy to another path, swap, clear, add.
fn mutate_values<S: Store>(values: &mut Map<String, Value>, r: &mut Rng, world: &World<S>) {
    let keys: Vec<String> = values.keys().cloned().collect();
    let some_key = (!keys.is_empty()).then(|| r.pick(&keys).clone());
    match (r.below(7), some_key) {
        (0, Some(key)) => {
            values.remove(&key);
        }
        (1, Some(key)) => {
            let item = values.remove(&key).expect("a key");
            values.insert(rename(&key, r, &world.paths), item);
        }
        (2, Some(key)) => {
            let item = values[&key].clone();
            values.insert(rename(&key, r, &world.paths), item);
        }
        (3, Some(key)) => {
            let other = r.pick(&keys).clone();
            let a = values[&key].clone();
            let b = std::mem::replace(values.get_mut(&other).expect("a key"), a);
            values.insert(key, b);
        }
        (4, _) if r.chance(20) => values.clear(),
        (5, _) => {
            values.insert(r.pick(&world.paths).clone(), random_json(r, 2));
        }
        _ => {
            // A valid value, possibly under another atom's path (type confusion).
            let p = r.pick(&world.probes);
            if let Some(gen) = p.gen {
                let path = if r.chance(70) { p.path.clone() } else { r.pick(&world.paths).clone() };
                values.insert(path, gen(r));
            }
        }
    }
}

/// Changes of the document around the values: its store name, its shape.
fn mutate_document(doc: &mut Value, r: &mut Rng) {
    let Value::Object(top) = doc else {
        *doc = random_json(r, 3);
        return;
    };
    match r.below(8) {
        0..=3 => {
            let names = [
                json!("Elsewhere"),
                json!("Shared"),
                json!("Fuzz"),
                json!(""),
                json!("fuzz"),
                json!("Fuzz "),
                json!("Fu\u{200b}zz"),
                json!("snapshot_fuzz::Fuzz"),
                json!(r.word()),
                json!(3),
                Value::Null,
                json!(["Fuzz"]),
            ];
            top.insert("store".to_owned(), r.pick(&names).clone());
        }
        4 => {
            top.remove(if r.chance(50) { "store" } else { "values" });
        }
        5 => {
            top.insert("values".to_owned(), random_json(r, 2));
        }
        6 => {
            top.insert(field_name(r), random_json(r, 2));
        }
        _ => *doc = random_json(r, 4),
    }
}

fn mutate<S: Store>(doc: &mut Value, r: &mut Rng, world: &World<S>) {
    let roll = r.below(100);
    match doc.get_mut("values") {
        Some(Value::Object(values)) if roll < 45 && !values.is_empty() => {
            let keys: Vec<String> = values.keys().cloned().collect();
            let key = r.pick(&keys).clone();
            let node = random_node(values.get_mut(&key).expect("a key"), r);
            mutate_node(node, r, &world.paths);
        }
        Some(Value::Object(values)) if roll < 75 => mutate_values(values, r, world),
        _ if roll < 88 => {
            let node = random_node(doc, r);
            mutate_node(node, r, &world.paths);
        }
        _ => mutate_document(doc, r),
    }
}

/// JSON text of `v`, with [`RAW`] strings written as is and, now and then, an object entry written
/// twice (with the same or another value).
fn write_json(v: &Value, r: &mut Rng, out: &mut String) {
    match v {
        Value::String(s) => match s.strip_prefix(RAW) {
            Some(raw) => out.push_str(raw),
            None => out.push_str(&v.to_string()),
        },
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, r, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            let entries: Vec<(&String, &Value)> = map.iter().collect();
            let twice = (!entries.is_empty() && r.chance(15)).then(|| *r.pick(&entries));
            for (i, (k, item)) in entries.iter().chain(twice.as_ref()).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                if i == entries.len() && r.chance(50) {
                    write_json(&random_json(r, 1), r, out);
                } else {
                    write_json(item, r, out);
                }
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The snapshot `doc` stands for: decoded from the value, or (one time in four) from JSON text.
fn parse(doc: &Value, r: &mut Rng) -> Result<Snapshot, serde_json::Error> {
    if r.chance(75) {
        serde_json::from_value(doc.clone())
    } else {
        let mut text = String::new();
        write_json(doc, r, &mut text);
        serde_json::from_str(&text)
    }
}

// ---------------------------------------------------------------------------------------------------
// The tests.

fn fuzz_mutations<S: Store>(world: &World<S>, r: &mut Rng, n: u64, label: &str) -> Tally {
    let mut tally = Tally::default();
    for i in 0..n {
        let mut doc = serde_json::to_value(r.pick(&world.bases)).expect("a snapshot is JSON");
        let rounds = if r.chance(10) { 0 } else { 1 + r.below(3) };
        for _ in 0..rounds {
            mutate(&mut doc, r, world);
        }
        match parse(&doc, r) {
            Err(_) => tally.unparsable += 1,
            Ok(snap) => {
                check_case(world, &snap, r, &mut tally, &format!("{label} case {i} (seed {:#x})", seed()));
            }
        }
    }
    println!("{label}: {n} cases: {tally:?}");
    assert_effective(&tally, n);
    tally
}

/// The fuzzing reaches both outcomes often enough to mean something.
fn assert_effective(tally: &Tally, n: u64) {
    assert!(tally.accepted * 20 >= n, "too few accepted snapshots: {tally:?}");
    assert!(tally.rejected * 20 >= n, "too few rejected snapshots: {tally:?}");
}

#[test]
fn mutated_snapshots_of_an_isolated_store_hydrate_whole_or_not_at_all() {
    let mut r = Rng(seed());
    let world = World::new(fuzz_probes(), &mut r);
    fuzz_mutations(&world, &mut r, cases(4_000), "isolated store");
}

#[test]
fn mutated_snapshots_of_a_global_mode_store_hydrate_whole_or_not_at_all() {
    let mut r = Rng(seed() ^ 0x0061_06a1);
    let world = World::new(shared_probes(), &mut r);
    fuzz_mutations(&world, &mut r, cases(1_500), "global-mode store");
}

#[test]
fn random_documents_hydrate_whole_or_not_at_all() {
    let mut r = Rng(seed() ^ 0x0004_a4d0);
    let world = World::new(fuzz_probes(), &mut r);
    let n = cases(2_000);
    let mut tally = Tally::default();
    for i in 0..n {
        let doc = if r.chance(20) {
            random_json(&mut r, 4)
        } else {
            let store = if r.chance(80) { json!("Fuzz") } else { random_json(&mut r, 1) };
            let values: Map<String, Value> = (0..r.below(6))
                .map(|_| {
                    let path = if r.chance(80) { r.pick(&world.paths).clone() } else { r.word() };
                    let p = r.pick(&world.probes);
                    let value = match p.gen.filter(|_| r.chance(40)) {
                        Some(gen) => gen(&mut r),
                        None => random_json(&mut r, 3),
                    };
                    (path, value)
                })
                .collect();
            json!({"store": store, "values": values})
        };
        match parse(&doc, &mut r) {
            Err(_) => tally.unparsable += 1,
            Ok(snap) => check_case(
                &world,
                &snap,
                &mut r,
                &mut tally,
                &format!("random case {i} (seed {:#x})", seed()),
            ),
        }
    }
    println!("random documents: {n} cases: {tally:?}");
    assert_effective(&tally, n);
}

/// Found by this fuzzer: a client process hydrates a snapshot before it has used a declared async atom
/// (as an SSR client does on start-up); the atom is declared for the store, so its value must hydrate.
#[test]
fn an_async_atom_never_used_in_this_process_hydrates() {
    let mut snap = Fuzz::new().snapshot();
    snap.insert("snapshot_fuzz::FIRST_USE", json!("from the server"));
    let client = Fuzz::new();
    let hydrated = client.hydrate(&snap);
    assert_eq!(hydrated, Ok(()), "a declared async atom is known before its first use");
    assert_eq!(client.get(&FIRST_USE), Loadable::Ready("from the server".to_owned()));
}

/// Found by this fuzzer: a second hydration of an async atom's value is accepted but not applied (the
/// store keeps the first hydrated value, and its subscribers hear nothing).
#[test]
fn an_async_atom_hydrated_twice_takes_the_second_value() {
    let snapshot_with = |bio: &str| {
        let mut snap = Fuzz::new().snapshot();
        snap.insert("snapshot_fuzz::BIO", json!(bio));
        snap
    };
    let _ = Fuzz::new().get(&BIO); // used once in this process (see the test above)
    let client = Fuzz::new();
    client.hydrate(&snapshot_with("first")).expect("hydrates");
    assert_eq!(client.get(&BIO), Loadable::Ready("first".to_owned()));
    client.hydrate(&snapshot_with("second")).expect("hydrates");
    assert_eq!(client.get(&BIO), Loadable::Ready("second".to_owned()), "the second hydration applies");
}

/// Found by this fuzzer: `snapshot` of one store type reads the live async atoms of every store type,
/// by an id that is only unique within a store type: each store's snapshot carries the other type's
/// async atom (with its own value), so that its own snapshot no longer hydrates; or it panics when the
/// atom with that id has another type.
mod cross_type {
    use nexus::{Computed, Loadable};

    nexus::store! {
        pub struct Left;
        pub struct Right;
        pub struct Up;
        pub struct Down;
    }

    nexus::atom! {
        #![store(Left)]
        pub static LEFT_ASYNC: String = async_computed(|_s| async { Ok::<_, std::fmt::Error>("left".to_owned()) });
    }

    nexus::atom! {
        #![store(Right)]
        pub static RIGHT_ASYNC: String = async_computed(|_s| async { Ok::<_, std::fmt::Error>("right".to_owned()) });
    }

    nexus::atom! {
        #![store(Up)]
        pub static UP_ASYNC: String = async_computed(|_s| async { Ok::<_, std::fmt::Error>("up".to_owned()) });
    }

    #[test]
    fn two_store_types_with_an_async_atom_each_snapshot_their_own() {
        let left = Left::new();
        let right = Right::new();
        let _ = (left.get(&LEFT_ASYNC), right.get(&RIGHT_ASYNC));
        futures::executor::block_on(left.settled());
        futures::executor::block_on(right.settled());
        assert_eq!(right.get(&RIGHT_ASYNC), Loadable::Ready("right".to_owned()));
        let snap = left.snapshot();
        let paths: Vec<&str> = snap.values().keys().map(String::as_str).collect();
        assert_eq!(paths, ["snapshot_fuzz::cross_type::LEFT_ASYNC"], "{snap:?}");
        Left::new().hydrate(&snap).expect("a store's own snapshot hydrates");
    }

    #[test]
    fn a_snapshot_does_not_read_another_store_types_async_atoms() {
        let up = Up::new();
        assert!(matches!(up.get(&UP_ASYNC), Loadable::Loading { .. }));
        let down = Down::new();
        // One of these gets the id, within `Down`, that `UP_ASYNC`'s value has within `Up`.
        let computed: Vec<Computed<u32, Down>> = (0..16).map(|i| Computed::new(move |_| i)).collect();
        for c in &computed {
            down.get(c);
        }
        let snap = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| down.snapshot()));
        let snap = snap.expect("snapshot does not panic");
        assert!(snap.is_empty(), "{snap:?}");
    }
}
