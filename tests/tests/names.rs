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

/// Where atoms live after a refactor moved them out of `names::v1` (issue 26: keys survive a move).
mod v2 {
    nexus::atom! {
        #![store(super::Page)]
        /// Moved from `names::v1`: old snapshots still hydrate through the alias.
        #[alias = "names::v1::PROFILE"]
        pub static PROFILE: String = String::new();
        /// Keyed by its name wherever it lives; it was once `names::SETTINGS`.
        #[name = "settings"]
        #[alias = "names::SETTINGS"]
        pub static SETTINGS: u32 = 0;
        /// A named family with the old key of its members' family.
        #[name = "todo"]
        #[alias = "names::v1::TODO"]
        pub static TODO: String = family(|id: &u64| format!("todo {id}"));
        /// Also answers to `old::SHARED` (as does `v3::TWIN`): hydrate cannot tell which.
        #[alias = "old::SHARED"]
        pub static TWIN: u8 = 0;
        #[name = "winner"]
        pub static WINNER: u8 = 0;
        /// An async atom keyed by its name too; it was once `names::MEMBERS`.
        #[name = "members"]
        #[alias = "names::MEMBERS"]
        pub static MEMBERS: u32 = async_computed(|_s| async { Ok::<_, std::fmt::Error>(3) });
        /// An async family keyed by its name too (members `scores[2]`); it was once `names::SCORES`.
        #[name = "scores"]
        #[alias = "names::SCORES"]
        pub static SCORES: u32 = family_async(|id: &u32, _s| {
            let id = *id;
            async move { Ok::<_, String>(id * 10) }
        });
    }
}

mod v3 {
    nexus::atom! {
        #![store(super::Page)]
        #[alias = "old::SHARED"]
        pub static TWIN: u8 = 0;
        /// Its alias is another atom's key: the key wins.
        #[alias = "winner"]
        pub static LOSER: u8 = 0;
    }
}

/// Two modules that gave their atoms the same `#[name]` (each `atom!` invocation alone is fine).
mod left {
    nexus::atom! {
        #![store(super::Page)]
        #[name = "count"]
        pub static COUNT: u32 = 0;
        /// A family named like `right::ROWS`: hydrate cannot tell their members apart.
        #[name = "rows"]
        pub static ROWS: u32 = family(|_row: &u8| 0);
    }
}

mod right {
    nexus::atom! {
        #![store(super::Page)]
        #[name = "count"]
        pub static COUNT: u64 = 0;
        #[name = "rows"]
        pub static ROWS: u32 = family_async(|row: &u8, _s| {
            let row = u32::from(*row);
            async move { Ok::<_, String>(row) }
        });
    }
}

#[test]
fn two_atoms_with_one_key_are_both_left_out_and_the_key_is_ambiguous() {
    let store = Page::new();
    store.set(&left::COUNT, 1);
    store.set(&right::COUNT, 2);
    let snap = store.snapshot();
    assert_eq!(snap.get("count"), None, "carrying one would hydrate its value into the other");
    let omitted: Vec<_> =
        snap.omitted().iter().map(|o| (o.key(), o.type_name(), o.reason().clone())).collect();
    assert_eq!(
        omitted,
        [("count", "u32", nexus::OmitReason::SameKey), ("count", "u64", nexus::OmitReason::SameKey)]
    );
    let mut snap = Page::new().snapshot();
    snap.insert("count", serde_json::json!(3));
    let err = store.hydrate(&snap).expect_err("two atoms answer to `count`");
    assert_eq!(err.problems(), [HydrateProblem::Ambiguous("count".into())]);
}

#[test]
fn a_given_name_is_the_snapshot_key_wherever_the_atom_lives() {
    let store = Page::new();
    store.set(&v2::SETTINGS, 4);
    store.set(&v2::PROFILE, "ada".into());
    store.set(&v2::TODO.at(1), "write".into());
    let snap = store.snapshot();
    let keys: Vec<&str> = snap.values().keys().map(String::as_str).collect();
    assert_eq!(keys, ["names::v2::PROFILE", "settings", "todo[1]"]);
    assert_eq!(store.find("settings").expect("registered").path(), "names::v2::SETTINGS");
}

#[test]
fn an_async_atoms_name_is_its_key_and_its_alias_hydrates() {
    let server = Page::new();
    assert_eq!(futures::executor::block_on(server.load(&v2::MEMBERS)).expect("loads"), 3);
    let snap = server.snapshot();
    assert_eq!(snap.get("members"), Some(&serde_json::json!(3)));
    assert_eq!(snap.get("names::v2::MEMBERS"), None);

    let mut old = Page::new().snapshot();
    old.insert("names::MEMBERS", serde_json::json!(7));
    let client = Page::new();
    client.hydrate(&old).expect("the old key is an alias");
    assert_eq!(client.get(&v2::MEMBERS), nexus::Loadable::Ready(7), "hydrated, not loaded");

    old.insert("members", serde_json::json!(8));
    let err = Page::new().hydrate(&old).expect_err("its key and its alias");
    assert_eq!(
        err.problems(),
        [HydrateProblem::Duplicate { path: "names::MEMBERS".into(), first: "members".into() }]
    );
}

#[test]
fn aliases_accept_the_keys_of_older_snapshots() {
    let old: Snapshot = serde_json::from_value(serde_json::json!({
        "store": "Page",
        "values": {"names::v1::PROFILE": "grace", "names::SETTINGS": 7, "names::v1::TODO[2]": "old todo"},
    }))
    .expect("a snapshot an older build wrote");
    let store = Page::new();
    store.hydrate(&old).expect("every old key is an alias");
    assert_eq!(store.get(&v2::PROFILE), "grace");
    assert_eq!(store.get(&v2::SETTINGS), 7);
    assert_eq!(store.get(&v2::TODO.at(2)), "old todo");
    let keys: Vec<String> = store.snapshot().values().keys().cloned().collect();
    assert_eq!(keys, ["names::v2::PROFILE", "settings", "todo[2]"], "written back under the new keys");
}

#[test]
fn a_key_and_its_alias_together_or_a_shared_alias_are_problems() {
    let mut snap = Page::new().snapshot();
    snap.insert("settings", serde_json::json!(1));
    snap.insert("names::SETTINGS", serde_json::json!(2));
    snap.insert("old::SHARED", serde_json::json!(3));
    let store = Page::new();
    let err = store.hydrate(&snap).expect_err("one atom twice, and an alias of two atoms");
    assert_eq!(
        err.problems(),
        [
            HydrateProblem::Ambiguous("old::SHARED".into()),
            HydrateProblem::Duplicate { path: "settings".into(), first: "names::SETTINGS".into() },
        ],
        "{err}"
    );
    assert_eq!(store.get(&v2::SETTINGS), 0, "nothing was applied");

    let mut snap = Page::new().snapshot();
    snap.insert("winner", serde_json::json!(5));
    store.hydrate(&snap).expect("a key wins over another atom's alias");
    assert_eq!((store.get(&v2::WINNER), store.get(&v3::LOSER)), (5, 0));
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
    assert_eq!(visits.registry_name(), "page visits");

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
    let omitted: Vec<_> = snap.omitted().iter().map(|o| (o.key(), o.reason().clone())).collect();
    assert_eq!(omitted, [("plain counter", nexus::OmitReason::NamedWithoutSerde)], "and it is said so");
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

#[test]
fn a_key_another_declared_atom_shares_is_left_out_even_when_only_one_is_held() {
    let store = Page::new();
    store.set(&left::COUNT, 1);
    let snap = store.snapshot();
    assert_eq!(snap.get("count"), None, "hydrate could not tell `left::COUNT` from `right::COUNT`");
    let omitted: Vec<_> =
        snap.omitted().iter().map(|o| (o.key(), o.type_name(), o.reason().clone())).collect();
    assert_eq!(omitted, [("count", "u32", nexus::OmitReason::SameKey)]);
    Page::new().hydrate(&snap).expect("a snapshot holds no key its own hydrate refuses");
}

#[test]
fn devtools_warn_once_per_atom_even_when_two_atoms_share_a_key() {
    let store = Page::new();
    let tools = DevTools::attach(&store);
    store.set(&left::COUNT, 1);
    store.set(&right::COUNT, 2);
    let _ = store.snapshot();
    let _ = store.snapshot();
    let warnings: Vec<_> = tools.warnings().iter().map(|w| w.atom().to_owned()).collect();
    assert_eq!(warnings, ["count", "count"], "one warning for each of the two atoms");
}

#[test]
fn an_async_familys_name_keys_its_members_and_its_alias_hydrates() {
    let server = Page::new();
    assert_eq!(futures::executor::block_on(server.load(&v2::SCORES.at(2))).expect("loads"), 20);
    let snap = server.snapshot();
    assert_eq!(snap.values().keys().collect::<Vec<_>>(), ["scores[2]"]);

    let mut old = Page::new().snapshot();
    old.insert("names::SCORES[3]", serde_json::json!(7));
    let client = Page::new();
    client.hydrate(&old).expect("the family's old key is an alias");
    assert_eq!(client.get(&v2::SCORES.at(3)), nexus::Loadable::Ready(7), "hydrated, not loaded");

    old.insert("scores[3]", serde_json::json!(8));
    let err = Page::new().hydrate(&old).expect_err("one member under its key and its alias");
    assert_eq!(
        err.problems(),
        [HydrateProblem::Duplicate { path: "scores[3]".into(), first: "names::SCORES[3]".into() }]
    );
}

#[test]
fn members_of_two_families_with_one_name_are_left_out_even_when_one_family_is_used() {
    let store = Page::new();
    store.set(&left::ROWS.at(1), 5);
    let snap = store.snapshot();
    assert_eq!(snap.get("rows[1]"), None, "hydrate could not tell which family `rows[1]` is of");
    let omitted: Vec<_> = snap.omitted().iter().map(|o| (o.key(), o.reason().clone())).collect();
    assert_eq!(omitted, [("rows[1]", nexus::OmitReason::SameKey)]);
    Page::new().hydrate(&snap).expect("a snapshot holds no key its own hydrate refuses");

    let store = Page::new();
    assert_eq!(futures::executor::block_on(store.load(&right::ROWS.at(2))).expect("loads"), 2);
    let snap = store.snapshot();
    let omitted: Vec<_> = snap.omitted().iter().map(|o| (o.key(), o.reason().clone())).collect();
    assert_eq!(omitted, [("rows[2]", nexus::OmitReason::SameKey)], "an async family's member too");
    assert!(snap.is_empty(), "{snap:?}");
}
