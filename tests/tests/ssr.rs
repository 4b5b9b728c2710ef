//! SSR: snapshots, hydration and per-request isolation under load (SPEC §6 "SSR"; issue 5 items 1–2).

// On wasm32 these tests run in headless Chromium (`scripts/wasm-test.sh`): wasm-bindgen-test's `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::sync::{Arc, Mutex};

use nexus::{DevTools, HydrateProblem, OmitReason, Snapshot};
use serde::{Deserialize, Serialize};

nexus::store! {
    /// One HTTP request's state.
    pub struct Request;
    pub struct Other;
    #[mode(global)]
    pub struct Server;
}

/// Serialisable without `Debug`: DevTools render it as JSON.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub admin: bool,
}

/// Not serialisable: left out of snapshots.
#[derive(Clone, Debug, PartialEq)]
pub struct Connection(pub u32);

nexus::atom! {
    #![store(Request)]
    pub static USER: User = User { name: "guest".into(), admin: false };
    pub static CART: Vec<String> = Vec::new();
    pub static VISITS: u32 = 0;
    pub static CONN: Connection = Connection(0);
    pub static CART_SIZE: usize = computed(|s| s.with(&CART, Vec::len));
    pub static NEVER_TOUCHED: String = "default".to_owned();
    /// Comments per task: members are carried as `ssr::COMMENTS[3]`.
    pub static COMMENTS: Vec<String> = family(|_task: &u64| Vec::new());
    /// Keyed by text and by a pair: `ssr::LABELS["a"]`, `ssr::GRID[[1,"b"]]`.
    pub static LABELS: String = family(|key: &String| key.to_uppercase());
    pub static GRID: u32 = family(|_cell: &(u8, String)| 0);
    /// A key type serde cannot write: its members are omitted, and said so.
    pub static BY_CONN: u32 = family(|_c: &ConnKey| 0);
    pub static TASKS: Vec<Task> = Vec::new();
}

/// Keys of `BY_CONN`: no `Serialize`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConnKey(pub u32);

/// A task, for decode errors inside a value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: u64,
    pub title: String,
}

nexus::atom! {
    pub static LOCALE: String = "en".to_owned();
}

#[test]
fn snapshot_holds_serialisable_primitives_by_path_and_round_trips_through_json() {
    let s = Request::new();
    s.set(&USER, User { name: "ada".into(), admin: true });
    s.update(&CART, |c| c.push("book".into()));
    s.set(&CONN, Connection(7));
    s.set(&LOCALE, "fr".into());
    assert_eq!(s.get(&CART_SIZE), 1);
    let snap = s.snapshot();
    let keys: Vec<&str> = snap.values().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["ssr::CART", "ssr::LOCALE", "ssr::USER"],
        "derived and non-serialisable atoms are left out"
    );
    let omitted: Vec<&str> = snap.omitted().iter().map(nexus::Omitted::key).collect();
    assert_eq!(omitted, ["ssr::CONN"], "the non-serialisable one is said to be left out");
    assert_eq!(snap.store(), "Request");
    assert_eq!(snap.get("ssr::USER"), Some(&serde_json::json!({"name": "ada", "admin": true})));
    let json = serde_json::to_string(&snap).expect("serialises");
    let back: Snapshot = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, snap);
}

#[test]
fn hydrate_sets_atoms_the_fresh_store_never_touched_and_notifies() {
    let source = Request::new();
    source.set(&USER, User { name: "ada".into(), admin: true });
    source.set(&CART, vec!["pen".into(), "ink".into()]);
    source.set(&VISITS, 3);
    let snap = source.snapshot();

    let fresh = Request::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let _sub = fresh.subscribe(&CART_SIZE, move |n| sink.lock().unwrap().push(*n));
    assert_eq!(fresh.atoms().len(), 2, "CART_SIZE and CART only");
    fresh.hydrate(&snap).expect("valid snapshot");
    assert_eq!(fresh.get(&USER).name, "ada");
    assert_eq!(fresh.get(&VISITS), 3, "an atom the fresh store had not touched");
    assert_eq!(fresh.get(&CART_SIZE), 2);
    assert_eq!(*seen.lock().unwrap(), [2], "hydration notifies like set, once");
    assert_eq!(fresh.get(&NEVER_TOUCHED), "default");
}

#[test]
fn hydrate_validates_first_names_every_problem_and_changes_nothing() {
    let mut snap = Request::new().snapshot();
    snap.insert("ssr::VISITS", serde_json::json!(5));
    snap.insert("ssr::NO_SUCH_ATOM", serde_json::json!(1));
    snap.insert("ssr::USER", serde_json::json!({"name": 3}));
    snap.insert("ssr::CART_SIZE", serde_json::json!(1));
    snap.insert("ssr::CONN", serde_json::json!(1));
    let fresh = Request::new();
    let err = fresh.hydrate(&snap).expect_err("invalid snapshot");
    let problems = err.problems();
    assert_eq!(problems.len(), 4, "{err}");
    assert!(problems.contains(&HydrateProblem::UnknownAtom("ssr::NO_SUCH_ATOM".into())));
    assert!(problems.contains(&HydrateProblem::NotPrimitive("ssr::CART_SIZE".into())));
    assert!(problems
        .iter()
        .any(|p| matches!(p, HydrateProblem::NotDeserializable { path, .. } if path == "ssr::CONN")));
    assert!(problems.iter().any(|p| matches!(p, HydrateProblem::Decode { path, .. } if path == "ssr::USER")));
    let message = err.to_string();
    for path in ["ssr::NO_SUCH_ATOM", "ssr::CART_SIZE", "ssr::CONN", "ssr::USER"] {
        assert!(message.contains(path), "{message}");
    }
    assert_eq!(fresh.get(&VISITS), 0, "nothing was applied");
    let as_error: &dyn std::error::Error = &err;
    assert!(as_error.to_string().starts_with("cannot hydrate"));
}

#[test]
fn hydrate_rejects_a_snapshot_of_another_store_type() {
    nexus::atom! { #![store(Other)] pub static OTHER_VALUE: u8 = 1; }
    let other = Other::new();
    other.set(&OTHER_VALUE, 2);
    let err = Request::new().hydrate(&other.snapshot()).expect_err("wrong store");
    assert!(err
        .problems()
        .contains(&HydrateProblem::WrongStore { expected: "Request".into(), found: "Other".into() }));
    assert!(err.problems().contains(&HydrateProblem::UnknownAtom("ssr::OTHER_VALUE".into())));
}

#[test]
fn devtools_render_serialisable_values_as_json() {
    let s = Request::new();
    let dt = DevTools::attach(&s);
    s.set(&USER, User { name: "ada".into(), admin: false });
    let user = dt.atoms().into_iter().find(|a| a.name() == "USER").expect("registered");
    assert_eq!(user.value(), r#"{"admin":false,"name":"ada"}"#);
}

// Native only: wasm32 in a browser has no threads.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn concurrent_requests_each_see_only_their_own_data() {
    use std::collections::BTreeMap;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;

    const REQUESTS: usize = 256;
    const WORKERS: usize = 16;
    let next = Arc::new(AtomicUsize::new(0));
    let pages = Arc::new(Mutex::new(BTreeMap::new()));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let next = next.clone();
            let pages = pages.clone();
            thread::spawn(move || loop {
                let id = next.fetch_add(1, Ordering::SeqCst);
                if id >= REQUESTS {
                    break;
                }
                // What the client sent: its own user and cart.
                let mut incoming = Request::new().snapshot();
                incoming.insert(
                    "ssr::USER",
                    serde_json::json!({"name": format!("user{id}"), "admin": id % 2 == 0}),
                );
                incoming.insert(
                    "ssr::CART",
                    serde_json::json!((0..id % 5).map(|i| format!("item{id}-{i}")).collect::<Vec<_>>()),
                );
                let store = Request::new();
                store.hydrate(&incoming).expect("valid request state");
                for _ in 0..id % 7 {
                    store.update(&VISITS, |v| *v += 1);
                    thread::yield_now();
                }
                let user = store.get(&USER);
                let cart = store.get(&CART);
                assert_eq!(user.name, format!("user{id}"));
                assert!(cart.iter().all(|item| item.starts_with(&format!("item{id}-"))), "{cart:?}");
                assert_eq!(store.get(&CART_SIZE), id % 5);
                let page = format!("{} has {} items, {} visits", user.name, cart.len(), store.get(&VISITS));
                let reply = store.snapshot();
                assert_eq!(reply.get("ssr::VISITS"), Some(&serde_json::json!(id % 7)));
                pages.lock().unwrap().insert(id, page);
            })
        })
        .collect();
    for w in workers {
        w.join().expect("no request panicked");
    }
    let pages = pages.lock().unwrap();
    assert_eq!(pages.len(), REQUESTS);
    assert_eq!(pages[&7], "user7 has 2 items, 0 visits");
    assert_eq!(pages[&13], "user13 has 3 items, 6 visits");
}

#[test]
fn family_members_are_carried_under_family_key_and_json_key_and_hydrate_makes_them() {
    let server = Request::new();
    server.update(&COMMENTS.at(3), |c| c.push("first".into()));
    server.set(&LABELS.at("a]b[\"c".into()), "odd".into());
    server.set(&GRID.at((1, "b".into())), 7);
    let snap = server.snapshot();
    assert_eq!(snap.get("ssr::COMMENTS[3]"), Some(&serde_json::json!(["first"])));
    assert_eq!(snap.get(r#"ssr::LABELS["a]b[\"c"]"#), Some(&serde_json::json!("odd")));
    assert_eq!(snap.get(r#"ssr::GRID[[1,"b"]]"#), Some(&serde_json::json!(7)));
    assert!(snap.omitted().is_empty(), "{:?}", snap.omitted());

    // Through JSON text, into a store that never touched these families.
    let snap: Snapshot = serde_json::from_str(&serde_json::to_string(&snap).unwrap()).unwrap();
    let client = Request::new();
    assert!(client.atoms().is_empty());
    client.hydrate(&snap).expect("a store's own snapshot hydrates");
    assert_eq!(client.get(&COMMENTS.at(3)), ["first"]);
    assert_eq!(client.get(&LABELS.at("a]b[\"c".into())), "odd");
    assert_eq!(client.get(&GRID.at((1, "b".into()))), 7);
    assert_eq!(client.get(&COMMENTS.at(4)), Vec::<String>::new(), "other members keep their initial value");
}

#[test]
fn hydrate_makes_members_of_a_family_this_process_never_used() {
    nexus::atom! {
        #![store(Request)]
        pub static UNUSED: u8 = family(|k: &u16| u8::try_from(*k).unwrap_or(0));
    }
    let mut snap = Request::new().snapshot();
    // Any spelling of the key serde reads: spaces, an escaped character.
    snap.insert("ssr::UNUSED[ 12 ]", serde_json::json!(99));
    assert!(!UNUSED.contains(&12));
    let client = Request::new();
    client.hydrate(&snap).expect("valid");
    assert!(UNUSED.contains(&12), "hydrate made the member");
    assert_eq!(client.get(&UNUSED.at(12)), 99);
    assert_eq!(
        client.snapshot().get("ssr::UNUSED[12]"),
        Some(&serde_json::json!(99)),
        "written back canonically"
    );
}

#[test]
fn bad_family_keys_are_problems_and_change_nothing() {
    nexus::atom! {
        #![store(Request)]
        pub static SPARE: u8 = family(|_k: &u16| 1);
    }
    let mut snap = Request::new().snapshot();
    snap.insert("ssr::VISITS", serde_json::json!(5));
    snap.insert("ssr::SPARE[1]", serde_json::json!(2));
    snap.insert(r#"ssr::SPARE["x"]"#, serde_json::json!(2));
    snap.insert("ssr::SPARE[70000]", serde_json::json!(2));
    snap.insert("ssr::SPARE[2", serde_json::json!(2));
    snap.insert("ssr::SPARE[nope]", serde_json::json!(2));
    snap.insert("ssr::SPARE[ 1]", serde_json::json!(3));
    snap.insert("ssr::SPARE[4]", serde_json::json!("not a u8"));
    let store = Request::new();
    let err = store.hydrate(&snap).expect_err("bad keys");
    let problems = err.problems();
    assert_eq!(problems.len(), 6, "{err}");
    for path in [r#"ssr::SPARE["x"]"#, "ssr::SPARE[70000]", "ssr::SPARE[nope]", "ssr::SPARE[4]"] {
        assert!(
            problems.iter().any(|p| matches!(p, HydrateProblem::Decode { path: p, .. } if p == path)),
            "{path}: {err}"
        );
    }
    assert!(problems.contains(&HydrateProblem::UnknownAtom("ssr::SPARE[2".into())), "{err}");
    assert!(
        problems.contains(&HydrateProblem::Duplicate {
            path: "ssr::SPARE[1]".into(),
            first: "ssr::SPARE[ 1]".into()
        }),
        "two spellings of one key: {err}"
    );
    assert!(err.to_string().contains(r#"key `"x"`"#), "{err}");
    assert_eq!(store.get(&VISITS), 0, "nothing was applied");
    assert!(SPARE.is_empty(), "a failed hydration makes no member");
}

#[test]
fn atoms_left_out_of_a_snapshot_are_listed_with_why_and_devtools_warn_once() {
    let s = Request::new();
    let dt = DevTools::attach(&s);
    s.set(&CONN, Connection(3));
    s.set(&BY_CONN.at(ConnKey(1)), 4);
    s.set(&VISITS, 1);
    let snap = s.snapshot();
    assert_eq!(snap.values().keys().collect::<Vec<_>>(), ["ssr::VISITS"]);
    let omitted = snap.omitted();
    assert_eq!(omitted.len(), 2, "{omitted:?}");
    assert_eq!(omitted[0].key(), "ssr::BY_CONN[ConnKey(1)]");
    assert_eq!(omitted[0].reason(), &OmitReason::KeyNotSerialize { key_type: "ssr::ConnKey".into() });
    assert_eq!(omitted[1].key(), "ssr::CONN");
    assert_eq!(omitted[1].reason(), &OmitReason::NotSerialize);
    assert_eq!(omitted[1].type_name(), "ssr::Connection");
    assert!(omitted[1].to_string().contains("does not implement `Serialize`"), "{}", omitted[1]);
    // The list travels with the snapshot, and hydration ignores it.
    let back: Snapshot = serde_json::from_str(&serde_json::to_string(&snap).unwrap()).unwrap();
    assert_eq!(back.omitted(), omitted);
    Request::new().hydrate(&back).expect("omitted atoms are no problem");

    let _ = s.snapshot();
    let warnings = dt.warnings();
    assert_eq!(warnings.len(), 2, "once per atom, however many snapshots: {warnings:?}");
    assert_eq!(warnings[1].atom(), "ssr::CONN");
    assert_eq!(warnings[1].message(), omitted[1].to_string());
}

#[test]
fn a_decode_problem_names_the_place_inside_the_value() {
    let mut snap = Request::new().snapshot();
    snap.insert("ssr::TASKS", serde_json::json!([{"id": 1, "title": "a"}, {"id": "two", "title": "b"}]));
    snap.insert("ssr::USER", serde_json::json!({"name": "ada"}));
    let err = Request::new().hydrate(&snap).expect_err("bad values");
    let message = |path: &str| {
        err.problems()
            .iter()
            .find_map(|p| match p {
                HydrateProblem::Decode { path: p, message } if p == path => Some(message.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no decode problem for {path}: {err}"))
    };
    assert!(message("ssr::TASKS").starts_with("[1].id: invalid type: string \"two\", expected u64"), "{err}");
    assert!(message("ssr::USER").contains("missing field `admin`"), "{err}");
    assert!(err.to_string().contains("atom `ssr::TASKS`: [1].id: "), "{err}");
}

#[test]
fn a_loaded_async_atom_whose_type_lacks_serialize_is_listed_as_omitted() {
    nexus::atom! {
        #![store(Request)]
        pub static LINK: Connection = async_computed(|_s| async { Ok::<_, std::fmt::Error>(Connection(9)) });
    }
    let s = Request::new();
    assert_eq!(futures::executor::block_on(s.load(&LINK)).expect("loads"), Connection(9));
    let snap = s.snapshot();
    assert_eq!(snap.get("ssr::LINK"), None);
    let omitted: Vec<_> =
        snap.omitted().iter().map(|o| (o.key(), o.type_name(), o.reason().clone())).collect();
    assert_eq!(omitted, [("ssr::LINK", "ssr::Connection", OmitReason::NotSerialize)]);
}

#[test]
fn an_async_atom_of_another_store_type_hides_no_atom_from_a_snapshot() {
    // Two fresh store types: the async atom's parts and `KEPT` take the first ids of their own owners,
    // which are equal. Atoms are told apart by definition, not by id.
    nexus::store! {
        pub struct Loader;
        pub struct Plain;
    }
    nexus::atom! {
        #![store(Loader)]
        pub static FETCHED: u8 = async_computed(|_s| async { Ok::<_, std::fmt::Error>(1) });
    }
    nexus::atom! {
        #![store(Plain)]
        pub static KEPT: u8 = 0;
    }
    let loader = Loader::new();
    assert_eq!(futures::executor::block_on(loader.load(&FETCHED)).expect("loads"), 1);
    let plain = Plain::new();
    let devtools = DevTools::attach(&plain);
    plain.set(&KEPT, 5);
    assert_eq!(plain.snapshot().get("ssr::KEPT"), Some(&serde_json::json!(5)));
    // Nor from the registry and the inspector, which leave out async atoms' inner parts.
    assert_eq!(plain.atoms().len(), 1, "{plain:?}");
    assert!(plain.find("KEPT").is_some());
    assert_eq!(devtools.atoms().len(), 1);
}

/// How many times a `PROFILE` member's future ran (a hydrated member must not run it).
static PROFILE_FETCHES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

nexus::atom! {
    #![store(Request)]
    /// Profiles by (team, login): members are carried as `profile[[1,"ada"]]` — the family's
    /// `#[name]`, then the key as JSON (its `Debug`, `(1, "ada")`, is no key another process reads).
    #[name = "profile"]
    pub static PROFILE: String = family_async(|key: &(u8, String), _s| {
        let (team, login) = key.clone();
        async move {
            PROFILE_FETCHES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok::<_, String>(format!("{login}@{team}"))
        }
    });
    /// A key type serde cannot write: loaded members are omitted, and said so.
    pub static SESSION: u32 = family_async(|conn: &ConnKey, _s| {
        let n = conn.0;
        async move { Ok::<_, String>(n) }
    });
}

#[test]
fn a_loaded_async_family_member_hydrates_into_a_store_that_never_made_it_without_loading() {
    use std::sync::atomic::Ordering::SeqCst;
    let key = (1, "ada".to_owned());
    let server = Request::new();
    let loaded = futures::executor::block_on(server.load(&PROFILE.at(key.clone())));
    assert_eq!(loaded.expect("loads"), "ada@1");
    let snap = server.snapshot();
    assert_eq!(snap.values().keys().collect::<Vec<_>>(), [r#"profile[[1,"ada"]]"#], "{snap:?}");
    assert_eq!(snap.get(r#"profile[[1,"ada"]]"#), Some(&serde_json::json!("ada@1")));
    assert!(snap.omitted().is_empty(), "{:?}", snap.omitted());
    // As in the client's process: no store holds the member and the family has never made it.
    drop(server);
    assert!(PROFILE.remove(&key));
    let text = serde_json::to_string(&snap).expect("serialises");

    let fetches = PROFILE_FETCHES.load(SeqCst);
    let client = Request::new();
    client.hydrate(&serde_json::from_str(&text).expect("reads back")).expect("the member is made");
    assert_eq!(client.get(&PROFILE.at(key.clone())), nexus::Loadable::Ready("ada@1".to_owned()));
    futures::executor::block_on(client.settled());
    assert_eq!(client.get(&PROFILE.at(key)), nexus::Loadable::Ready("ada@1".to_owned()));
    assert_eq!(PROFILE_FETCHES.load(SeqCst), fetches, "hydrated, not loaded again");
}

#[test]
fn a_loaded_async_family_member_whose_key_lacks_serialize_is_listed_as_omitted() {
    let store = Request::new();
    assert_eq!(futures::executor::block_on(store.load(&SESSION.at(ConnKey(4)))).expect("loads"), 4);
    let snap = store.snapshot();
    assert!(snap.is_empty(), "no key another process could read: {snap:?}");
    let omitted: Vec<_> =
        snap.omitted().iter().map(|o| (o.key(), o.type_name(), o.reason().clone())).collect();
    let reason = OmitReason::KeyNotSerialize { key_type: "ssr::ConnKey".into() };
    assert_eq!(omitted, [("ssr::SESSION[ConnKey(4)]", "u32", reason)]);
    Request::new().hydrate(&snap).expect("omitted atoms are no problem");
}
