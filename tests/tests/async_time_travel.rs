//! Time travel and tools over async atoms (SPEC §8 "Async"; issue 15 item 4): a finished load joins the
//! history entry of the change that started it, undo and redo set `Ready`/`Failed` states back with their
//! dependencies and fetch nothing, on a runtime too; tools render an outcome as `Loading`, `Ready(…)` or
//! `Failed(…)`.

// On wasm32 these tests run in headless Chromium (`scripts/wasm-test.sh`): wasm-bindgen-test's `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures::executor::block_on;
use nexus::{AsyncComputed, ChangeOp, DevTools, Loadable, TimeTravel};

nexus::store! {
    pub struct Page;
}

nexus::atom! {
    #![store(Page)]
    pub static USER_ID: u32 = 1;
    pub static THEME: &'static str = "light";
}

#[derive(Debug)]
struct NotFound(u32);

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no user {}", self.0)
    }
}

impl std::error::Error for NotFound {}

/// An async atom that counts its fetches (user 0 does not exist).
fn user_atom(fetches: &Arc<AtomicUsize>) -> AsyncComputed<String, Page> {
    let fetches = fetches.clone();
    AsyncComputed::new(move |s| {
        let id = s.get(&USER_ID);
        let fetches = fetches.clone();
        async move {
            fetches.fetch_add(1, Ordering::SeqCst);
            if id == 0 {
                Err(NotFound(id))
            } else {
                Ok(format!("user {id}"))
            }
        }
    })
}

fn ready(name: &str) -> Loadable<String> {
    Loadable::Ready(name.to_owned())
}

#[test]
fn undo_and_redo_set_loaded_values_back_without_fetching() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let user = user_atom(&fetches);
    let page = Page::new();
    let tt = TimeTravel::attach(&page, 100);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let _sub = page.subscribe(&user, move |v| s.lock().expect("not poisoned").push(v.clone()));

    assert_eq!(block_on(page.load(&user)).as_deref(), Ok("user 1"));
    page.set(&USER_ID, 2);
    assert_eq!(block_on(page.load(&user)).as_deref(), Ok("user 2"));
    page.set(&USER_ID, 3);
    assert_eq!(block_on(page.load(&user)).as_deref(), Ok("user 3"));
    assert_eq!(fetches.load(Ordering::SeqCst), 3);
    let labels: Vec<String> = tt.history().iter().map(|e| e.label().to_owned()).collect();
    assert_eq!(labels, ["SET USER_ID", "SET USER_ID"], "a finished load is not an entry of its own");

    seen.lock().expect("not poisoned").clear();
    assert!(tt.undo());
    assert_eq!(page.get(&USER_ID), 2);
    assert_eq!(page.get(&user), ready("user 2"), "shown at once, not Loading");
    assert!(tt.undo());
    assert_eq!(page.get(&user), ready("user 1"));
    block_on(page.settled());
    assert_eq!(page.get(&user), ready("user 1"), "settling has nothing to load");
    assert_eq!(block_on(page.load(&user)).as_deref(), Ok("user 1"));
    assert!(tt.redo());
    assert!(tt.redo());
    assert_eq!(page.get(&user), ready("user 3"));
    assert!(tt.jump_to(0));
    assert_eq!(page.get(&user), ready("user 1"));
    block_on(page.settled());
    assert_eq!(fetches.load(Ordering::SeqCst), 3, "time travel fetched nothing");
    assert_eq!(
        *seen.lock().expect("not poisoned"),
        [ready("user 2"), ready("user 1"), ready("user 2"), ready("user 3"), ready("user 1")],
        "subscribers see each restored state, never Loading"
    );

    // After time travel, a new change loads as usual (and drops the redo branch).
    page.set(&USER_ID, 5);
    assert!(page.get(&user).is_loading());
    assert_eq!(block_on(page.load(&user)).as_deref(), Ok("user 5"));
    assert_eq!(fetches.load(Ordering::SeqCst), 4);
    assert!(tt.undo());
    assert_eq!(page.get(&user), ready("user 1"));
    assert_eq!(fetches.load(Ordering::SeqCst), 4);
}

#[test]
fn a_failed_load_comes_back_as_failed_and_an_unrelated_undo_keeps_the_loaded_value() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let user = user_atom(&fetches);
    let page = Page::new();
    let tt = TimeTravel::attach(&page, 100);
    block_on(page.load(&user)).expect("user 1 loads");
    page.set(&USER_ID, 0);
    block_on(page.load(&user)).expect_err("user 0 does not exist");
    page.set(&THEME, "dark");
    assert!(tt.undo(), "undo the theme: the user's dependencies are unchanged");
    assert_eq!(page.get(&THEME), "light");
    assert!(page.get(&user).error().is_some(), "still Failed: {:?}", page.get(&user));
    assert!(tt.undo());
    assert_eq!(page.get(&user), ready("user 1"));
    assert!(tt.redo());
    let failed = page.get(&user);
    assert_eq!(failed.error().map(ToString::to_string), Some("no user 0".to_owned()));
    assert_eq!(failed.latest().map(String::as_str), Some("user 1"));
    block_on(page.settled());
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[test]
fn a_state_recorded_before_any_load_finished_loads_again() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let user = user_atom(&fetches);
    let page = Page::new();
    let tt = TimeTravel::attach(&page, 100);
    assert!(page.get(&user).is_loading());
    page.set(&USER_ID, 2); // recorded while user 1 had never loaded
    assert_eq!(block_on(page.load(&user)).as_deref(), Ok("user 2"));
    assert!(tt.undo());
    assert_eq!(page.get(&user), Loadable::Loading { previous: None }, "as it was: nothing had loaded");
    assert_eq!(block_on(page.load(&user)).as_deref(), Ok("user 1"));
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    // That load joined the state undo led to: redo and undo again fetch nothing.
    assert!(tt.redo());
    assert_eq!(page.get(&user), ready("user 2"));
    assert!(tt.undo());
    assert_eq!(page.get(&user), ready("user 1"));
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[test]
fn devtools_log_a_finished_load_and_render_its_outcome() {
    let page = Page::new();
    let tools = DevTools::attach(&page);
    nexus::atom! {
        #![store(Page)]
        static BIO: String = async_computed(|s| {
            let id = s.get(&USER_ID);
            async move { if id == 0 { Err(NotFound(id)) } else { Ok(format!("bio {id}")) } }
        });
    }
    assert!(page.get(&BIO).is_loading());
    let shown = |tools: &DevTools| {
        let atoms = tools.atoms();
        atoms.iter().find(|a| a.name() == "BIO").expect("the atom is listed").value().to_owned()
    };
    assert_eq!(shown(&tools), "Loading { previous: None }");
    block_on(page.load(&BIO)).expect("loads");
    assert_eq!(shown(&tools), "Ready(\"bio 1\")");
    let log = tools.log();
    let load = log.last().expect("the load is logged");
    assert_eq!((load.op(), load.name(), load.label()), (ChangeOp::Load, "BIO", "LOAD BIO"));
    assert_eq!((load.before(), load.after()), ("Loading", "Ready(\"bio 1\")"));
    page.set(&USER_ID, 0);
    let _ = block_on(page.load(&BIO));
    assert!(shown(&tools).starts_with("Failed { error: LoadError::Failed(NotFound(0))"), "{}", shown(&tools));
    assert_eq!(tools.log().last().map(|a| a.after().to_owned()).as_deref(), Some("Failed(no user 0)"));
}

// Native only: tokio's multi-threaded runtime.
#[cfg(not(target_arch = "wasm32"))]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_tokio_undo_spawns_no_load() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let user = user_atom(&fetches);
    let page = Page::new();
    let tt = TimeTravel::attach(&page, 10);
    let mut states = page.watch(&user);
    // Reads on the runtime spawn their loads (feature `tokio`).
    assert_eq!(next_ready(&mut states).await, "user 1");
    page.set(&USER_ID, 2);
    assert_eq!(next_ready(&mut states).await, "user 2");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    assert!(tt.undo());
    assert_eq!(page.get(&user), ready("user 1"));
    assert_eq!(next_ready(&mut states).await, "user 1");
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    page.settled().await;
    assert_eq!(fetches.load(Ordering::SeqCst), 2, "the restored load was not spawned");
}

/// The next `Ready` value a watch reports.
#[cfg(not(target_arch = "wasm32"))]
async fn next_ready(states: &mut nexus::Watch<Loadable<String>>) -> String {
    loop {
        if let Loadable::Ready(v) = states.changed().await.expect("the store is alive") {
            return v;
        }
    }
}
