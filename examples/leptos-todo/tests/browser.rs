//! The Leptos binding in a real browser (headless Chromium, wasm-bindgen-test): components mounted with
//! `leptos::mount::mount_to`, real clicks (`HtmlElement::click`), the DOM read back after Leptos updated
//! it. Run: `cargo test -p leptos-todo --target wasm32-unknown-unknown --test browser` (or
//! `scripts/leptos-todo.sh`).
//!
//! - `each_list_changes_only_itself`: an add in the left list shows there, never in the right one;
//! - `n_left_follows_adds_toggles_and_removes`: the derived `LEFT` in the DOM;
//! - `a_component_is_not_rerun_when_atoms_change`: a component's body runs once, whatever changes (its
//!   own atom or another); only its text node follows;
//! - `unmounting_leaves_no_subscriber_and_drops_the_store`: `subscriber_count` back to 0, and a store
//!   that only its provider held is dropped (an `Arc` token in one of its atoms is released);
//! - `an_async_atom_shows_the_fallback_then_the_value`: `<Suspense>` over `use_atom_resource`;
//! - `under_a_transition_the_previous_value_stays_while_a_new_load_runs`: `<Transition>` over it;
//! - `a_write_from_outside_the_ui_shows_on_the_next_tick`: `store.set` by a handle the test holds;
//! - `the_global_theme_toggled_in_one_list_shows_in_both`;
//! - `one_atom_of_a_thousand_rows_changes_one_text_node`: a `MutationObserver` counts the DOM changes.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos_todo::rows::{row_atoms, NexusRows, RowStore};
use leptos_todo::{Suggestions, Theme, Todo, TodoList, TodoStore, LEFT, THEME, TODOS};
use nexus::leptos::{use_atom_value, use_set_atom, StoreProvider};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, MutationObserver, MutationObserverInit, MutationRecord};

wasm_bindgen_test_configure!(run_in_browser);

// --- helpers -------------------------------------------------------------------------------------

/// A fresh `<div>` in the page's body, for one test to mount into.
fn fresh_root() -> HtmlElement {
    let document = document();
    let root = document.create_element("div").unwrap().unchecked_into::<HtmlElement>();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Lets Leptos run what a change scheduled (render effects, spawned tasks).
async fn settle() {
    for _ in 0..4 {
        leptos::task::tick().await;
    }
}

/// Waits `ms` milliseconds (a `setTimeout` promise).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn find(root: &Element, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches `{selector}`"))
        .unchecked_into()
}

fn find_all(root: &Element, selector: &str) -> Vec<HtmlElement> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().unchecked_into()).collect()
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

/// The texts of the todos of list `list` (`[x]` for a done one).
fn todos(root: &Element, list: &str) -> Vec<String> {
    find_all(root, &format!("section#{list} li.todo"))
        .iter()
        .map(|li| {
            let mark = if li.class_list().contains("done") { "[x]" } else { "[ ]" };
            format!("{mark} {}", text(li, ".text"))
        })
        .collect()
}

async fn click(root: &Element, selector: &str) {
    find(root, selector).click();
    settle().await;
}

/// Types `text` in list `list`'s input and clicks its add button.
async fn add(root: &Element, list: &str, text: &str) {
    let input = find(root, &format!("section#{list} .draft")).unchecked_into::<web_sys::HtmlInputElement>();
    input.set_value(text);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    settle().await;
    click(root, &format!("section#{list} .add")).await;
}

/// Two lists as the page has them, each under its own provider.
fn two_lists() -> impl IntoView {
    view! {
        <StoreProvider store=TodoStore::new()><TodoList name="left"/></StoreProvider>
        <StoreProvider store=TodoStore::new()><TodoList name="right"/></StoreProvider>
    }
}

// --- the tests -----------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn each_list_changes_only_itself() {
    let root = fresh_root();
    let _app = mount_to(root.clone(), two_lists);
    settle().await;
    assert!(todos(&root, "left").is_empty() && todos(&root, "right").is_empty());

    add(&root, "left", "write the docs").await;
    assert_eq!(todos(&root, "left"), ["[ ] write the docs"]);
    assert!(todos(&root, "right").is_empty(), "the right list got the left list's todo");

    add(&root, "right", "buy milk").await;
    add(&root, "right", "").await;
    assert_eq!(todos(&root, "left"), ["[ ] write the docs"]);
    assert_eq!(todos(&root, "right"), ["[ ] buy milk", "[ ] todo 2"]);
    // Each list's ids and draft are its own too.
    assert_eq!(find(&root, "section#left li.todo").get_attribute("data-id").as_deref(), Some("1"));
    assert_eq!(text(&root, "section#left .edits"), "1");
    assert_eq!(text(&root, "section#right .edits"), "2");
}

#[wasm_bindgen_test]
async fn n_left_follows_adds_toggles_and_removes() {
    let root = fresh_root();
    let _app = mount_to(root.clone(), two_lists);
    settle().await;
    let left = |list: &str| text(&root, &format!("section#{list} .left-count"));
    assert_eq!((left("left"), left("right")), ("0".into(), "0".into()));

    for item in ["a", "b", "c"] {
        add(&root, "left", item).await;
    }
    assert_eq!(left("left"), "3");
    click(&root, "section#left li.todo[data-id='2'] .toggle").await;
    assert_eq!(todos(&root, "left"), ["[ ] a", "[x] b", "[ ] c"]);
    assert_eq!(left("left"), "2");
    click(&root, "section#left li.todo[data-id='1'] .remove").await;
    assert_eq!(todos(&root, "left"), ["[x] b", "[ ] c"]);
    assert_eq!(left("left"), "1");
    // Removing a done todo leaves the count as it was; toggling back raises it.
    click(&root, "section#left li.todo[data-id='2'] .toggle").await;
    assert_eq!(left("left"), "2");
    click(&root, "section#left li.todo[data-id='2'] .remove").await;
    assert_eq!(left("left"), "1");
    assert_eq!(left("right"), "0");
}

/// Runs of [`CountProbe`]'s body.
static PROBE_RUNS: AtomicUsize = AtomicUsize::new(0);

/// Shows `LEFT`, counting how often its body runs.
#[component]
fn CountProbe() -> impl IntoView {
    PROBE_RUNS.fetch_add(1, Ordering::SeqCst);
    let left = use_atom_value(&LEFT);
    view! { <span class="probe">{left}</span> }
}

#[wasm_bindgen_test]
async fn a_component_is_not_rerun_when_atoms_change() {
    let root = fresh_root();
    let store = TodoStore::new();
    let _app = mount_to(root.clone(), {
        let store = store.clone();
        move || view! { <StoreProvider store=store><CountProbe/><TodoList name="probed"/></StoreProvider> }
    });
    settle().await;
    assert_eq!(PROBE_RUNS.load(Ordering::SeqCst), 1);
    assert_eq!(text(&root, ".probe"), "0");

    // Another atom: the draft.
    store.set(&leptos_todo::DRAFT, "not added".to_owned());
    settle().await;
    assert_eq!(find(&root, ".draft").unchecked_into::<web_sys::HtmlInputElement>().value(), "not added");
    // Its own atom (LEFT), through clicks: the text follows, the body does not run again.
    add(&root, "probed", "one").await;
    add(&root, "probed", "two").await;
    assert_eq!(text(&root, ".probe"), "2");
    click(&root, "li.todo[data-id='1'] .toggle").await;
    assert_eq!(text(&root, ".probe"), "1");
    // And the `Global` theme.
    click(&root, ".theme-toggle").await;
    assert_eq!(PROBE_RUNS.load(Ordering::SeqCst), 1, "the component body ran again");
}

/// Puts `token` in the nearest store's `TOKEN`, then drops its setter (a setter holds the store).
#[component]
fn TokenHolder(token: Arc<()>) -> impl IntoView {
    use_set_atom(&TOKEN)(Some(token));
}

nexus::atom! {
    #![store(TodoStore)]
    /// Holds a token while the store instance lives.
    static TOKEN: Option<Arc<()>> = None;
}

#[wasm_bindgen_test]
async fn unmounting_leaves_no_subscriber_and_drops_the_store() {
    // A store the test keeps: its subscriber counts.
    let root = fresh_root();
    let store = TodoStore::new();
    let app = mount_to(root.clone(), {
        let store = store.clone();
        move || view! { <StoreProvider store=store><TodoList name="kept"/></StoreProvider> }
    });
    settle().await;
    add(&root, "kept", "one").await;
    assert!(store.subscriber_count(&LEFT) > 0, "a mounted list subscribes to LEFT");
    assert!(store.subscriber_count(&TODOS) > 0 || store.subscriber_count(&TODOS.each().keys()) > 0);
    let row = TODOS.each().at(&1);
    assert!(store.subscriber_count(&row) > 0, "a mounted row subscribes to its todo");
    drop(app);
    settle().await;
    assert_eq!(root.child_element_count(), 0, "unmounted");
    for (what, count) in [
        ("LEFT", store.subscriber_count(&LEFT)),
        ("TODOS", store.subscriber_count(&TODOS)),
        ("TODOS keys", store.subscriber_count(&TODOS.each().keys())),
        ("todo 1", store.subscriber_count(&row)),
        ("THEME", store.subscriber_count(&THEME)),
        ("DRAFT", store.subscriber_count(&leptos_todo::DRAFT)),
    ] {
        assert_eq!(count, 0, "{what} still has subscribers after unmount");
    }
    assert_eq!(
        store.get(&TODOS),
        [Todo { id: 1, text: "one".into(), done: false }],
        "the kept store kept its state"
    );

    // A store only its provider holds: dropped when the provider unmounts.
    let token = Arc::new(());
    let app = mount_to(fresh_root(), {
        let token = token.clone();
        move || {
            view! {
                <StoreProvider store=TodoStore::new()>
                    <TokenHolder token/>
                    <TodoList name="dropped"/>
                </StoreProvider>
            }
        }
    });
    settle().await;
    sleep(400).await; // its suggestions load too
    assert_eq!(Arc::strong_count(&token), 2, "the store holds the token while mounted");
    drop(app);
    settle().await;
    assert_eq!(Arc::strong_count(&token), 1, "the store outlived its last provider");
}

#[wasm_bindgen_test]
async fn an_async_atom_shows_the_fallback_then_the_value() {
    let root = fresh_root();
    let _app = mount_to(
        root.clone(),
        || view! { <StoreProvider store=TodoStore::new()><Suggestions/></StoreProvider> },
    );
    settle().await;
    assert_eq!(text(&root, ".suggestions"), "loading suggestions…");
    assert!(find_all(&root, ".suggestion").is_empty());
    sleep(400).await;
    settle().await;
    assert!(root.query_selector(".loading").unwrap().is_none(), "the fallback is still there");
    let shown: Vec<String> =
        find_all(&root, ".suggestion").iter().map(|b| b.text_content().unwrap()).collect();
    assert_eq!(shown, ["+ water the plants", "+ call mum", "+ read a book"]);
}

nexus::store! {
    /// A search box: a query and its (slow) results.
    pub struct Search;
}

nexus::atom! {
    #![store(Search)]
    pub static QUERY: String = "tea".to_owned();
    /// A simulated fetch of 200 ms that depends on the query.
    pub static RESULTS: String = async_computed(|s| {
        let query = s.get(&QUERY);
        async move {
            leptos_todo::delay::delay(200).await;
            Ok::<_, String>(format!("results for {query}"))
        }
    });
}

/// The results under `<Transition>`: the fallback only until the first load; afterwards the previous
/// results stay while new ones load.
#[component]
fn Results() -> impl IntoView {
    let results = nexus::leptos::use_atom_resource(&RESULTS);
    view! {
        <Transition fallback=|| view! { <p class="fallback">"searching…"</p> }>
            <p class="results">
                {move || Suspend::new(async move { results.await.unwrap_or_else(|e| e.to_string()) })}
            </p>
        </Transition>
    }
}

#[wasm_bindgen_test]
async fn under_a_transition_the_previous_value_stays_while_a_new_load_runs() {
    let root = fresh_root();
    let store = Search::new();
    let _app = mount_to(root.clone(), {
        let store = store.clone();
        move || view! { <StoreProvider store=store><Results/></StoreProvider> }
    });
    settle().await;
    assert_eq!(text(&root, ".fallback"), "searching…", "the first load shows the fallback");
    sleep(300).await;
    settle().await;
    assert_eq!(text(&root, ".results"), "results for tea");
    assert!(root.query_selector(".fallback").unwrap().is_none());
    // A new query: a new load. The transition keeps the old results on screen meanwhile.
    store.set(&QUERY, "cups".to_owned());
    settle().await;
    sleep(50).await;
    assert!(store.get(&RESULTS).is_loading(), "the new load is under way");
    assert!(root.query_selector(".fallback").unwrap().is_none(), "no fallback during a transition");
    assert_eq!(text(&root, ".results"), "results for tea");
    sleep(300).await;
    settle().await;
    assert_eq!(text(&root, ".results"), "results for cups");
}

#[wasm_bindgen_test]
async fn a_write_from_outside_the_ui_shows_on_the_next_tick() {
    let root = fresh_root();
    let store = TodoStore::new();
    let _app = mount_to(root.clone(), {
        let store = store.clone();
        move || view! { <StoreProvider store=store><TodoList name="outside"/></StoreProvider> }
    });
    settle().await;
    store.set(
        &TODOS,
        vec![
            Todo { id: 7, text: "from outside".into(), done: false },
            Todo { id: 8, text: "already done".into(), done: true },
        ],
    );
    leptos::task::tick().await;
    assert_eq!(todos(&root, "outside"), ["[ ] from outside", "[x] already done"]);
    assert_eq!(text(&root, ".left-count"), "1");
    store.set(&TODOS.each().at(&7), Todo { id: 7, text: "renamed".into(), done: true });
    leptos::task::tick().await;
    assert_eq!(todos(&root, "outside"), ["[x] renamed", "[x] already done"]);
    assert_eq!(text(&root, ".left-count"), "0");
}

#[wasm_bindgen_test]
async fn the_global_theme_toggled_in_one_list_shows_in_both() {
    let root = fresh_root();
    let _app = mount_to(root.clone(), two_lists);
    settle().await;
    let theme = |list: &str| text(&root, &format!("section#{list} .theme"));
    // Other tests may have toggled it already: the theme is process-wide.
    let before = theme("left");
    assert_eq!(theme("right"), before);
    let after = if before == "light" { Theme::Dark } else { Theme::Light }.name();

    click(&root, "section#left .theme-toggle").await;
    assert_eq!((theme("left").as_str(), theme("right").as_str()), (after, after));
    assert!(find(&root, "section#right").class_list().contains(after), "the right list's class follows");
    click(&root, "section#right .theme-toggle").await;
    assert_eq!((theme("left"), theme("right")), (before.clone(), before));
}

#[wasm_bindgen_test]
async fn one_atom_of_a_thousand_rows_changes_one_text_node() {
    let root = fresh_root();
    let store = RowStore::new();
    let atoms = row_atoms(1000);
    let _app = mount_to(root.clone(), {
        let (store, atoms) = (store.clone(), atoms.clone());
        move || view! { <StoreProvider store=store><NexusRows atoms/></StoreProvider> }
    });
    settle().await;
    let rows = find_all(&root, "li.row");
    assert_eq!(rows.len(), 1000);

    let records: Rc<RefCell<Vec<MutationRecord>>> = Rc::default();
    let callback = {
        let records = records.clone();
        Closure::<dyn FnMut(js_sys::Array)>::new(move |list: js_sys::Array| {
            records.borrow_mut().extend(list.iter().map(JsCast::unchecked_into::<MutationRecord>));
        })
    };
    let observer = MutationObserver::new(callback.as_ref().unchecked_ref()).unwrap();
    let options = MutationObserverInit::new();
    options.set_character_data(true);
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_attributes(true);
    observer.observe_with_options(&root, &options).unwrap();

    store.set(&atoms[500], 42);
    settle().await;
    records.borrow_mut().extend(observer.take_records().iter().map(JsCast::unchecked_into::<MutationRecord>));
    observer.disconnect();

    let records = records.borrow();
    assert_eq!(records.len(), 1, "one DOM change, got {}: {:?}", records.len(), kinds(&records));
    assert_eq!(records[0].type_(), "characterData");
    let changed = records[0].target().unwrap();
    assert!(rows[500].contains(Some(&changed)), "the change was not in row 500");
    assert_eq!(rows[500].text_content().unwrap(), "42");
    assert!(rows.iter().enumerate().all(|(i, row)| i == 500 || row.text_content().unwrap() == "0"));
}

fn kinds(records: &[MutationRecord]) -> Vec<String> {
    records.iter().map(MutationRecord::type_).collect()
}
