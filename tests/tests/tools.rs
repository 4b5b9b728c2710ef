//! Plugins, DevTools and time travel (SPEC §6; issue 4).

// On wasm32 these tests run in headless Chromium (`scripts/wasm-test.sh`): wasm-bindgen-test's `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::sync::{Arc, Mutex};

use nexus::{AtomKind, ChangeOp, DevTools, Plugin, Store, TimeTravel};

nexus::store! {
    pub struct Editor;
    #[mode(global)]
    pub struct Team;
}

/// Has `Debug`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub line: u32,
}

/// Has neither `Debug` nor `Serialize`: rendered as its type name.
#[derive(Clone, PartialEq)]
pub struct Opaque(pub u8);

nexus::atom! {
    #![store(Editor)]
    pub static TEXT: String = String::new();
    pub static CURSOR: Cursor = Cursor { line: 1 };
    pub static SECRET: Opaque = Opaque(0);
    pub static LENGTH: usize = computed(|s| s.with(&TEXT, String::len));
}

nexus::atom! {
    #![store(Team)]
    pub static TEAM_NOTE: String = String::new();
}

nexus::atom! {
    pub static TOOLS_SHARED: u32 = 0;
}

#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl Plugin for Recorder {
    fn on_register(&self, atom: &nexus::AtomInfo) {
        self.0.lock().unwrap().push(format!("register {}", atom.name()));
    }
    fn on_change(&self, change: &nexus::Change<'_>) {
        self.0.lock().unwrap().push(format!("{} {} -> {}", change.label(), change.before(), change.after()));
    }
    fn on_subscribe(&self, atom: &nexus::AtomInfo) {
        self.0.lock().unwrap().push(format!("subscribe {}", atom.name()));
    }
    fn on_batch_end(&self) {
        self.0.lock().unwrap().push("batch end".into());
    }
}

#[test]
fn plugins_observe_one_instance_only() {
    let a = Editor::new();
    let b = Editor::new();
    let rec = Arc::new(Recorder::default());
    let id = a.add_plugin(rec.clone());
    a.set(&TEXT, "hi".into());
    let _sub = a.subscribe(&LENGTH, |_| {});
    a.batch(|| a.update(&CURSOR, |c| c.line = 2));
    b.set(&TEXT, "other store".into());
    assert!(a.remove_plugin(id));
    assert!(!a.remove_plugin(id));
    a.set(&TEXT, "after removal".into());
    assert_eq!(
        *rec.0.lock().unwrap(),
        [
            "register TEXT",
            "SET TEXT \"\" -> \"hi\"",
            "register LENGTH",
            "subscribe LENGTH",
            "register CURSOR",
            "UPDATE CURSOR Cursor { line: 1 } -> Cursor { line: 2 }",
            "batch end",
        ]
    );
}

#[test]
fn devtools_inspect_atoms_with_rendered_values() {
    let s = Editor::new();
    let dt = DevTools::attach(&s);
    s.set(&TEXT, "hello".into());
    s.set(&CURSOR, Cursor { line: 3 });
    s.set(&SECRET, Opaque(9));
    let _ = s.get(&LENGTH);
    let atoms = dt.atoms();
    let view: Vec<(String, AtomKind, &str, String)> =
        atoms.iter().map(|a| (a.name().to_owned(), a.kind(), a.owner(), a.value().to_owned())).collect();
    assert_eq!(
        view,
        [
            ("TEXT".to_owned(), AtomKind::Primitive, "Editor", "\"hello\"".to_owned()),
            ("CURSOR".to_owned(), AtomKind::Primitive, "Editor", "Cursor { line: 3 }".to_owned()),
            ("SECRET".to_owned(), AtomKind::Primitive, "Editor", "<tools::Opaque>".to_owned()),
            ("LENGTH".to_owned(), AtomKind::Computed, "Editor", "5".to_owned()),
        ]
    );
    assert_eq!(atoms[0].path(), "tools::TEXT");
    let declared: Vec<(String, bool)> = dt
        .declared()
        .iter()
        .filter(|d| d.owner() == "Editor")
        .map(|d| (d.name().to_owned(), d.is_registered()))
        .collect();
    assert_eq!(
        declared,
        [
            ("CURSOR".to_owned(), true),
            ("LENGTH".to_owned(), true),
            ("SECRET".to_owned(), true),
            ("TEXT".to_owned(), true)
        ]
    );
}

#[test]
fn devtools_log_is_bounded_and_exported_as_json() {
    let s = Editor::new();
    let dt = DevTools::with_capacity(&s, 3);
    for i in 0..5 {
        s.set(&TEXT, format!("v{i}"));
    }
    let log = dt.log();
    assert_eq!(log.len(), 3);
    assert_eq!(dt.dropped_entries(), 2);
    assert_eq!(log[0].label(), "SET TEXT");
    assert_eq!((log[0].before(), log[0].after()), ("\"v1\"", "\"v2\""));
    assert_eq!(log[2].after(), "\"v4\"");
    assert_eq!(log[2].op(), ChangeOp::Set);
    assert!(log[0].time() <= log[2].time());
    let json = dt.export_json();
    assert!(json.starts_with(&format!("{{\"store\":\"Editor#{}\",\"state\":[", s.id())), "{json}");
    assert!(json.contains("{\"name\":\"TEXT\",\"path\":\"tools::TEXT\",\"kind\":\"primitive\",\"owner\":\"Editor\",\"value\":\"\\\"v4\\\"\"}"), "{json}");
    assert!(json.contains("\"label\":\"SET TEXT\""), "{json}");
    dt.clear_log();
    assert!(dt.log().is_empty());
}

/// The log's old names (from when `nexus::Action` was the log entry type) still work for one release,
/// forwarding to the new ones.
#[test]
#[allow(deprecated)] // what is tested is the deprecated names themselves
fn devtools_old_log_names_forward_to_the_new_ones() {
    let s = Editor::new();
    let dt = DevTools::with_capacity(&s, 1);
    s.set(&TEXT, "a".into());
    s.set(&TEXT, "b".into());
    assert_eq!(dt.actions(), dt.log());
    assert_eq!((dt.dropped_actions(), dt.dropped_entries()), (1, 1));
    dt.clear_actions();
    assert!(dt.log().is_empty());
    assert_eq!(nexus::DEFAULT_ACTION_CAPACITY, nexus::DEFAULT_LOG_CAPACITY);
}

#[test]
fn devtools_of_two_isolated_stores_are_disjoint() {
    let a = Editor::new();
    let b = Editor::new();
    let dta = DevTools::attach(&a);
    let dtb = DevTools::attach(&b);
    a.set(&TEXT, "a".into());
    a.set(&TOOLS_SHARED, 1);
    b.set(&CURSOR, Cursor { line: 9 });
    let names = |dt: &DevTools| dt.atoms().iter().map(|v| v.name().to_owned()).collect::<Vec<_>>();
    assert_eq!(
        names(&dta),
        ["TEXT", "TOOLS_SHARED"],
        "Global atoms appear in the store holding their values"
    );
    assert_eq!(names(&dtb), ["CURSOR"]);
    assert_eq!(dta.log().len(), 2);
    assert_eq!(dtb.log().len(), 1);
    assert_ne!(dta.store_id(), dtb.store_id());
}

#[test]
fn devtools_of_a_global_mode_store_show_its_own_atoms_only() {
    let t = Team::new();
    let dt = DevTools::attach(&t);
    t.set(&TEAM_NOTE, "n".into());
    t.set(&TOOLS_SHARED, 5);
    assert_eq!(dt.atoms().iter().map(|v| v.name().to_owned()).collect::<Vec<_>>(), ["TEAM_NOTE"]);
    assert_eq!(dt.log().len(), 1);
}

#[test]
fn undo_redo_and_jump_move_one_store_only() {
    let a = Editor::new();
    let b = Editor::new();
    let tta = TimeTravel::attach(&a, 100);
    let ttb = TimeTravel::attach(&b, 100);
    a.set(&TEXT, "one".into());
    a.set(&TEXT, "two".into());
    b.set(&TEXT, "bee".into());
    assert!(tta.undo());
    assert_eq!(a.get(&TEXT), "one");
    assert_eq!(b.get(&TEXT), "bee", "undo in one store never touches another");
    assert!(tta.redo());
    assert_eq!(a.get(&TEXT), "two");
    assert!(!tta.redo(), "nothing to redo");
    assert!(tta.jump_to(0));
    assert_eq!(a.get(&TEXT), "");
    assert!(!tta.undo(), "nothing before the first entry");
    assert!(!tta.jump_to(3), "past the end");
    assert!(!tta.jump_to(0), "already there");
    assert!(tta.jump_to(2));
    assert_eq!(a.get(&TEXT), "two");
    assert_eq!(tta.position(), 2);
    assert_eq!(ttb.history().len(), 1);
}

#[test]
fn history_labels_batches_and_drops_the_redo_branch() {
    let s = Editor::new();
    let tt = TimeTravel::attach(&s, 100);
    s.set(&TEXT, "a".into());
    s.batch(|| {
        s.set(&TEXT, "b".into());
        s.set(&CURSOR, Cursor { line: 2 });
    });
    let labels: Vec<String> = tt.history().iter().map(|h| h.label().to_owned()).collect();
    assert_eq!(labels, ["SET TEXT", "BATCH SET TEXT, SET CURSOR"]);
    assert!(tt.undo());
    assert_eq!((s.get(&TEXT), s.get(&CURSOR)), ("a".to_owned(), Cursor { line: 1 }), "a batch is one entry");
    assert!(tt.can_redo());
    assert!(!tt.history()[1].is_applied());
    s.set(&TEXT, "c".into());
    assert!(!tt.can_redo(), "a new change drops the redo branch");
    assert_eq!(tt.history().len(), 2);
    assert_eq!(tt.history()[1].label(), "SET TEXT");
    tt.clear();
    assert!(!tt.can_undo());
    assert_eq!(s.get(&TEXT), "c");
}

#[test]
fn capacity_bounds_the_history() {
    let s = Editor::new();
    let tt = TimeTravel::attach(&s, 3);
    for i in 0..10 {
        s.set(&TEXT, i.to_string());
    }
    assert_eq!(tt.history().len(), 3);
    assert!(tt.jump_to(0));
    assert_eq!(s.get(&TEXT), "6", "the oldest kept entry started from \"6\"");
}

#[test]
fn restores_recompute_derived_atoms_notify_subscribers_and_are_not_recorded() {
    let s = Editor::new();
    let tt = TimeTravel::attach(&s, 100);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let _sub = s.subscribe(&LENGTH, move |l| sink.lock().unwrap().push(*l));
    s.set(&TEXT, "four".into());
    s.set(&TEXT, "seven!!".into());
    assert!(tt.undo());
    assert_eq!(s.get(&LENGTH), 4);
    assert!(tt.undo());
    assert_eq!(s.get(&LENGTH), 0);
    assert_eq!(*seen.lock().unwrap(), [4, 7, 4, 0]);
    assert_eq!(tt.history().len(), 2, "restores are not recorded");
}

#[test]
fn time_travel_in_a_global_mode_store_covers_its_own_atoms_only() {
    let t = Team::new();
    let other = Team::new();
    let tt = TimeTravel::attach(&t, 10);
    t.set(&TEAM_NOTE, "mine".into());
    let shared_before = other.get(&TOOLS_SHARED);
    t.set(&TOOLS_SHARED, shared_before + 1);
    assert_eq!(tt.history().len(), 1);
    assert!(tt.undo());
    assert_eq!(t.get(&TEAM_NOTE), "");
    assert_eq!(
        other.get(&TOOLS_SHARED),
        shared_before + 1,
        "the shared atom is not moved by one store's undo"
    );
}

#[test]
fn tools_outliving_their_store_do_nothing() {
    let s = Editor::new();
    let dt = DevTools::attach(&s);
    let tt = TimeTravel::attach(&s, 10);
    s.set(&TEXT, "x".into());
    drop(s);
    assert!(dt.atoms().is_empty());
    assert_eq!(dt.log().len(), 1);
    assert!(!tt.undo());
}

/// Issue 26 §4: an async atom is one atom to the tools and the registry — listed once, as the
/// `Loadable` users read, under its own name and path; its loads logged under that name — never as the
/// parts it is made of.
mod async_atom {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use nexus::{AsyncComputed, AtomKind, ChangeOp, DevTools, Loadable, TimeTravel};

    use super::{Editor, TEXT};

    nexus::atom! {
        #![store(Editor)]
        static MEMBERS: Vec<String> = async_computed(|s| {
            let text = s.get(&TEXT);
            async move { if text.is_empty() { Err("nobody") } else { Ok(vec![text]) } }
        });
    }

    const PATH: &str = "tools::async_atom::MEMBERS";

    #[test]
    fn the_inspector_the_export_and_the_registry_show_it_once_as_its_loadable() {
        let editor = Editor::new();
        let tools = DevTools::attach(&editor);
        editor.set(&TEXT, "ada".to_owned());
        futures::executor::block_on(editor.load(&MEMBERS)).expect("loads");

        let atoms = tools.atoms();
        let names: Vec<&str> = atoms.iter().map(|a| a.name()).collect();
        assert_eq!(names, ["TEXT", "MEMBERS"], "its parts are not listed");
        let members = &atoms[1];
        assert_eq!((members.path(), members.kind()), (PATH, AtomKind::Computed));
        assert_eq!(members.value(), r#"Ready(["ada"])"#);
        assert_eq!(members.key(), editor.key(&MEMBERS));

        let json = tools.export_json();
        assert_eq!(json.matches(r#""name":"MEMBERS""#).count(), 1, "{json}");
        assert!(
            !json.contains(".request") && !json.contains(".outcome") && !json.contains("<u64>"),
            "{json}"
        );

        let registry: Vec<String> = editor.atoms().iter().map(|a| a.path().to_owned()).collect();
        assert_eq!(registry, ["tools::TEXT", PATH]);
        assert!(editor.find("MEMBERS").is_some());
        assert!(editor.find("MEMBERS.request").is_none() && editor.find("MEMBERS.outcome").is_none());
        assert!(format!("{editor:?}").contains("atoms: 2"), "{editor:?}");
    }

    #[test]
    fn its_loads_are_logged_under_its_own_name_and_path() {
        let editor = Editor::new();
        let tools = DevTools::attach(&editor);
        let tt = TimeTravel::attach(&editor, 10);
        assert!(editor.get(&MEMBERS).is_loading());
        let _ = futures::executor::block_on(editor.load(&MEMBERS));
        editor.set(&TEXT, "ada".to_owned());
        futures::executor::block_on(editor.load(&MEMBERS)).expect("loads");
        let log: Vec<(ChangeOp, String, String, String, String)> = tools
            .log()
            .iter()
            .map(|a| {
                (
                    a.op(),
                    a.label().to_owned(),
                    a.path().to_owned(),
                    a.before().to_owned(),
                    a.after().to_owned(),
                )
            })
            .collect();
        let load = |before: &str, after: &str| {
            (ChangeOp::Load, "LOAD MEMBERS".to_owned(), PATH.to_owned(), before.to_owned(), after.to_owned())
        };
        assert_eq!(log[0], load("Loading", "Failed(nobody)"));
        assert_eq!(log[1].1, "SET TEXT");
        assert_eq!(log[2], load("Failed(nobody)", r#"Ready(["ada"])"#));
        let labels: Vec<String> = tt.history().iter().map(|e| e.label().to_owned()).collect();
        assert_eq!(labels, ["SET TEXT"], "a load joins the entry that started it");
    }

    #[test]
    fn a_run_time_async_atom_is_listed_once_too() {
        let editor = Editor::new();
        let tools = DevTools::attach(&editor);
        let count = AsyncComputed::<u32, Editor>::new(|s| {
            let n = s.with(&TEXT, String::len);
            async move { Ok::<_, String>(u32::try_from(n).unwrap_or(u32::MAX)) }
        });
        editor.set(&TEXT, "abc".to_owned());
        assert_eq!(futures::executor::block_on(editor.load(&count)), Ok(3));
        let atoms = tools.atoms();
        assert_eq!(atoms.len(), 2, "{atoms:?}");
        let name = atoms[1].name().to_owned();
        assert!(name.starts_with("async#"), "{name}");
        assert_eq!(tools.log().last().map(|a| a.name().to_owned()), Some(name));
        assert_eq!(editor.get(&count), Loadable::Ready(3));
    }
}

/// Plugins hear of rounds in the order the rounds held the store's lock, also when several threads
/// change the store. Events are delivered after the lock is released; a round whose delivery is slow no
/// longer lets a later round's events overtake its own (a time-travel history folded an async load's
/// result, stored on a pool thread, into the entry before the change that started the load that way).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn plugins_hear_of_rounds_from_several_threads_in_round_order() {
    struct Rounds(Mutex<Vec<u64>>);
    impl Plugin for Rounds {
        fn on_change(&self, change: &nexus::Change<'_>) {
            // Slow now and then: another thread's round is made meanwhile.
            if change.round() % 3 == 0 {
                std::thread::sleep(std::time::Duration::from_micros(100));
            }
            self.0.lock().unwrap().push(change.round());
        }
    }
    let editor = Editor::new();
    let rounds = Arc::new(Rounds(Mutex::new(Vec::new())));
    editor.add_plugin(rounds.clone());
    let threads: Vec<_> = (0..2u32)
        .map(|t| {
            let editor = editor.clone();
            std::thread::spawn(move || {
                for i in 0..100 {
                    editor.update(&CURSOR, |c| c.line = t * 1000 + i);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("the writer ends");
    }
    let heard = rounds.0.lock().unwrap().clone();
    assert_eq!(heard.len(), 200);
    assert!(heard.windows(2).all(|w| w[0] < w[1]), "rounds heard out of order: {heard:?}");
}
