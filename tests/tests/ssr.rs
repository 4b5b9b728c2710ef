//! SSR: snapshots, hydration and per-request isolation under load (SPEC §6 "SSR"; issue 5 items 1–2).

// On wasm32 these tests run in headless Chromium (`scripts/wasm-test.sh`): wasm-bindgen-test's `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::sync::{Arc, Mutex};

use nexus::{DevTools, HydrateProblem, Snapshot};
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
