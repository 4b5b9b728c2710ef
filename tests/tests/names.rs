//! Atoms in snapshots beyond the declared ones (issue 14): run-time atoms given a name appear in
//! `atoms()`, DevTools and snapshots, and hydrate; `&'static str` atoms hydrate.

use nexus::{Atom, DevTools, HydrateProblem, Snapshot};

nexus::store! {
    pub struct Page;
    pub struct Other;
}

nexus::atom! {
    #![store(Page)]
    pub static THEME: &'static str = "light";
    pub static TITLE: String = "home".to_owned();
}

#[test]
fn a_static_str_atom_survives_a_snapshot_round_trip() {
    let server = Page::new();
    server.set(&THEME, "dark");
    let snap = server.snapshot();
    assert_eq!(snap.get("names::THEME"), Some(&serde_json::json!("dark")));

    let text = serde_json::to_string(&snap).expect("a snapshot serialises");
    let back: Snapshot = serde_json::from_str(&text).expect("and reads back");
    for _ in 0..3 {
        let client = Page::new();
        client.hydrate(&back).expect("a `&'static str` atom hydrates");
        assert_eq!(client.get(&THEME), "dark");
    }
}

#[test]
fn a_bad_value_for_a_static_str_atom_is_a_decode_problem() {
    let mut snap = Page::new().snapshot();
    snap.insert("names::THEME", serde_json::json!(42));
    let err = Page::new().hydrate(&snap).expect_err("42 is not a string");
    assert!(
        matches!(err.problems(), [HydrateProblem::Decode { path, .. }] if path == "names::THEME"),
        "{err}"
    );
}

#[test]
fn a_named_run_time_atom_shows_up_under_its_name_everywhere() {
    let store = Page::new();
    let visits = Atom::<u32, Page>::named_serde("page visits", 0);
    store.set(&visits, 3);

    let info = store.find("page visits").expect("listed in atoms() under its name");
    assert_eq!(info.path(), "page visits");
    assert_eq!(visits.name(), "page visits");

    let tools = DevTools::attach(&store);
    let view = tools.atoms().into_iter().find(|a| a.name() == "page visits").expect("in DevTools");
    assert_eq!(view.value(), "3", "rendered through Debug");

    let snap = store.snapshot();
    assert_eq!(snap.get("page visits"), Some(&serde_json::json!(3)));

    let fresh = Page::new();
    fresh.hydrate(&snap).expect("the named atom is found");
    assert_eq!(fresh.get(&visits), 3);
}

#[test]
fn a_named_atom_without_serde_is_listed_but_not_snapshotted() {
    let store = Page::new();
    let plain = Atom::<u32, Page>::named("plain counter", 1);
    let anonymous = Atom::<u32, Page>::new(2);
    store.set(&plain, 5);
    store.set(&anonymous, 6);
    assert!(store.find("plain counter").is_some());
    let snap = store.snapshot();
    assert_eq!(snap.get("plain counter"), None, "no JSON conversion was given");
    assert!(
        snap.values().keys().all(|k| !k.starts_with("primitive#")),
        "generated names are not stable across processes: {:?}",
        snap.values().keys()
    );
}

#[test]
fn two_live_atoms_with_one_name_make_hydrate_name_the_ambiguity() {
    let first = Atom::<u32, Page>::named_serde("twice", 1);
    let second = Atom::<u32, Page>::named_serde("twice", 2);
    let mut snap = Page::new().snapshot();
    snap.insert("twice", serde_json::json!(9));
    let fresh = Page::new();
    let err = fresh.hydrate(&snap).expect_err("ambiguous");
    assert_eq!(err.problems(), [HydrateProblem::Ambiguous("twice".into())]);
    assert!(err.to_string().contains("twice"), "{err}");
    assert_eq!((fresh.get(&first), fresh.get(&second)), (1, 2), "nothing was applied");

    drop(second);
    fresh.hydrate(&snap).expect("one live atom left with that name");
    assert_eq!(fresh.get(&first), 9);
}

#[test]
fn named_atoms_of_another_store_type_or_dead_ones_are_unknown() {
    let _other = Atom::<u32, Other>::named_serde("elsewhere", 1);
    let gone = Atom::<u32, Page>::named_serde("gone", 1);
    drop(gone);
    let mut snap = Page::new().snapshot();
    snap.insert("elsewhere", serde_json::json!(2));
    snap.insert("gone", serde_json::json!(3));
    let err = Page::new().hydrate(&snap).expect_err("neither can be set in a Page");
    let mut problems = err.problems().to_vec();
    problems.sort_by_key(ToString::to_string);
    assert_eq!(
        problems,
        [HydrateProblem::UnknownAtom("elsewhere".into()), HydrateProblem::UnknownAtom("gone".into())]
    );
}

#[test]
fn atom_keys_are_returned_the_same_way_everywhere() {
    let store = Page::new();
    store.set(&TITLE, "about".to_owned());
    let from_store: nexus::AtomKey = store.key(&TITLE);
    let from_info: nexus::AtomKey = store.find("TITLE").expect("registered").key();
    assert_eq!(from_store, from_info);
}
