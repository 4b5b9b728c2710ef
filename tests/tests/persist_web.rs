//! `nexus::persist::LocalStorage` in a real browser (issue 30): headless Chromium through
//! wasm-bindgen-test (`scripts/wasm-test.sh`). The rules and the tests that prove them:
//! - a change is saved to `localStorage` by the saver's JavaScript timer (not at once), under the prefix,
//!   and a new store attached to the same key starts from it:
//!   `a_change_is_saved_by_the_timer_under_the_prefix_and_a_new_store_loads_it`;
//! - `flush` writes at once: `flush_writes_to_local_storage_at_once`;
//! - a stored document that cannot be used is copied to `KEY.corrupt-STAMP` (text kept), the key is freed,
//!   the store starts from its defaults, and later saves do not touch the copy:
//!   `a_bad_document_is_set_aside_and_the_store_starts_from_defaults`;
//! - two tabs (the other one is a same-origin iframe): its `localStorage` write reaches this store as a
//!   change (subscribers called), not saved back; writes of other keys and of `sessionStorage` are
//!   ignored: `a_write_in_another_tab_reaches_the_store_as_a_change_and_is_not_saved_back`;
//! - this store's save reaches the other tab (its `storage` event, its `localStorage`):
//!   `a_save_in_this_tab_reaches_the_other_tab`;
//! - dropping the `Persisted` stops listening: `dropping_the_persisted_stops_listening_to_other_tabs`;
//! - `LocalStorage::watch` alone: the other tab's documents of its (prefixed) item, `None` for a removal,
//!   nothing once its `Unwatch` is dropped (the browser listener is removed):
//!   `a_watch_passes_the_other_tabs_documents_until_its_unwatch_is_dropped`;
//! - a full quota is a `StorageError` (and a `PersistError::Storage` from `flush`), never a panic, and the
//!   document saved before stays: `a_full_quota_is_an_error_and_the_saved_document_stays`.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nexus::persist::{attach, LocalStorage, Options, PersistError, Storage};
use serde_json::{json, Value};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test as test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

nexus::store! { pub struct Prefs; }

nexus::atom! {
    #![store(Prefs)]
    #[name = "theme"]
    pub static THEME: String = "light".to_owned();
    #[name = "volume"]
    pub static VOLUME: u8 = 5;
}

/// The saver's delay in these tests.
const DELAY: Duration = Duration::from_millis(20);

fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

/// This window's `localStorage`.
fn local() -> web_sys::Storage {
    window().local_storage().expect("localStorage allowed").expect("localStorage present")
}

/// A key no other test (nor an earlier run in the same browser profile) uses.
fn unique(name: &str) -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let nonce = (js_sys::Math::random() * 1e12) as u64;
    format!("nexus-test/{name}/{}-{nonce}", js_sys::Date::now())
}

/// The items of `storage` whose names start with `prefix`.
fn items_starting(storage: &web_sys::Storage, prefix: &str) -> Vec<String> {
    let length = storage.length().expect("length");
    (0..length).filter_map(|i| storage.key(i).expect("key")).filter(|k| k.starts_with(prefix)).collect()
}

/// A document as a program with `Prefs` at version 0 stores it.
fn document(theme: &str, volume: u8) -> String {
    json!({ "version": 0, "store": "Prefs", "atoms": { "theme": theme, "volume": volume } }).to_string()
}

/// The atoms of a stored document.
fn atoms(text: &str) -> Value {
    let doc: Value = serde_json::from_str(text).expect("the stored document is JSON");
    assert_eq!(doc["version"], 0, "{text}");
    doc["atoms"].clone()
}

/// Resolves after `ms` milliseconds (a JavaScript timer: the saver's and the `storage` events' tasks run
/// meanwhile).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.expect("the timer resolves");
}

/// Waits (up to 3 s, in 10 ms steps) until `done`; false if it never was.
async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..300 {
        if done() {
            return true;
        }
        sleep(10).await;
    }
    done()
}

/// The other tab: a same-origin iframe (`about:blank` inherits this page's origin, so it shares its
/// `localStorage` and `sessionStorage`, and each one's writes fire `storage` events in the other).
struct OtherTab {
    frame: web_sys::HtmlIFrameElement,
}

impl OtherTab {
    fn open() -> Self {
        let document = window().document().expect("a document");
        let frame: web_sys::HtmlIFrameElement =
            document.create_element("iframe").expect("an iframe").dyn_into().expect("an HTMLIFrameElement");
        document.body().expect("a body").append_child(&frame).expect("the iframe in the page");
        OtherTab { frame }
    }

    fn window(&self) -> web_sys::Window {
        self.frame.content_window().expect("the iframe's window")
    }

    fn local(&self) -> web_sys::Storage {
        self.window().local_storage().expect("allowed").expect("the iframe's localStorage")
    }

    fn session(&self) -> web_sys::Storage {
        self.window().session_storage().expect("allowed").expect("the iframe's sessionStorage")
    }
}

impl Drop for OtherTab {
    fn drop(&mut self) {
        self.frame.remove();
    }
}

/// `storage` events heard by a window: (key, new value, whether the area is that window's
/// `localStorage`).
type Heard = Rc<RefCell<Vec<(Option<String>, Option<String>, bool)>>>;

/// Listens to `storage` events on `target` until the returned closure is dropped (then removes it).
struct Listening {
    target: web_sys::Window,
    listener: Closure<dyn FnMut(web_sys::StorageEvent)>,
    heard: Heard,
}

impl Listening {
    fn on(target: web_sys::Window) -> Self {
        let heard: Heard = Rc::default();
        let log = heard.clone();
        let own = target.local_storage().expect("allowed").expect("localStorage");
        let listener =
            Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
                let local = event
                    .storage_area()
                    .is_some_and(|area| JsValue::from(area) == JsValue::from(own.clone()));
                log.borrow_mut().push((event.key(), event.new_value(), local));
            });
        target
            .add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref())
            .expect("listening");
        Listening { target, listener, heard }
    }

    fn heard(&self) -> Vec<(Option<String>, Option<String>, bool)> {
        self.heard.borrow().clone()
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback("storage", self.listener.as_ref().unchecked_ref());
    }
}

#[test]
async fn a_change_is_saved_by_the_timer_under_the_prefix_and_a_new_store_loads_it() {
    let key = unique("round-trip");
    let storage = LocalStorage::with_prefix("app/");
    let item = storage.item(&key);
    assert_eq!(item, format!("app/{key}"));
    {
        let prefs = Prefs::new();
        let persisted =
            attach(&prefs, storage.clone(), Options::new(key.clone()).delay(DELAY)).expect("attached");
        assert!(persisted.load_error().is_none());
        assert_eq!(prefs.get(&THEME), "light");
        prefs.set(&THEME, "dark".to_owned());
        prefs.set(&VOLUME, 9);
        // Not written by `set`: by the saver's timer, once for both.
        assert_eq!(local().get_item(&item).expect("read"), None);
        assert_eq!(persisted.saves(), 0);
        assert!(eventually(|| persisted.saves() == 1).await, "the timer saved; saves: {}", persisted.saves());
        sleep(50).await;
        assert_eq!(persisted.saves(), 1, "one save for the burst");
        let stored = local().get_item(&item).expect("read").expect("saved under the prefixed item");
        assert_eq!(atoms(&stored), json!({ "theme": "dark", "volume": 9 }));
        assert_eq!(local().get_item(&key).expect("read"), None, "nothing under the bare key");
    }
    let prefs = Prefs::new();
    let persisted = attach(&prefs, storage, Options::new(key.clone()).delay(DELAY)).expect("attached again");
    assert!(persisted.load_error().is_none());
    assert_eq!(prefs.get(&THEME), "dark");
    assert_eq!(prefs.get(&VOLUME), 9);
    drop(persisted);
    local().remove_item(&item).expect("clean up");
}

#[test]
fn flush_writes_to_local_storage_at_once() {
    let key = unique("flush");
    let prefs = Prefs::new();
    let persisted = attach(&prefs, LocalStorage::new(), Options::new(key.clone())).expect("attached");
    prefs.set(&VOLUME, 2);
    persisted.flush().expect("flushed");
    let stored = local().get_item(&key).expect("read").expect("saved by flush");
    // THEME was never used by this store: a snapshot carries the atoms the instance holds.
    assert_eq!(atoms(&stored), json!({ "volume": 2 }));
    assert_eq!(persisted.saves(), 1);
    drop(persisted);
    local().remove_item(&key).expect("clean up");
}

#[test]
fn a_bad_document_is_set_aside_and_the_store_starts_from_defaults() {
    let key = unique("corrupt");
    let bad = "{ \"version\": 0, \"atoms\": { \"theme\": "; // cut short
    local().set_item(&key, bad).expect("stored");
    let reported = Arc::new(Mutex::new(Vec::new()));
    let sink = reported.clone();
    let prefs = Prefs::new();
    let options = Options::new(key.clone()).on_error(move |e| sink.lock().unwrap().push(e.to_string()));
    let persisted =
        attach(&prefs, LocalStorage::new(), options).expect("attached: a bad document is no failure");
    assert_eq!(prefs.get(&THEME), "light");
    assert_eq!(prefs.get(&VOLUME), 5);
    let kept_as = match persisted.load_error() {
        Some(PersistError::Unreadable { key: k, problem, kept_as }) => {
            assert_eq!(k, &key);
            assert!(problem.contains("does not parse"), "{problem}");
            kept_as.clone()
        }
        other => panic!("expected Unreadable, got {other:?}"),
    };
    let aside = format!("{key}.corrupt-");
    assert!(kept_as.starts_with(&aside), "{kept_as}");
    assert_eq!(items_starting(&local(), &aside), std::slice::from_ref(&kept_as));
    assert_eq!(local().get_item(&kept_as).expect("read").as_deref(), Some(bad), "the text is kept as it was");
    assert_eq!(local().get_item(&key).expect("read"), None, "the key is freed");
    let reported = reported.lock().unwrap().clone();
    assert_eq!(reported.len(), 1, "{reported:?}");

    // Saves go to the key; the copy stays.
    prefs.set(&THEME, "dark".to_owned());
    persisted.flush().expect("flushed");
    assert_eq!(atoms(&local().get_item(&key).expect("read").expect("saved"))["theme"], "dark");
    assert_eq!(local().get_item(&kept_as).expect("read").as_deref(), Some(bad));
    drop(persisted);
    local().remove_item(&key).expect("clean up");
    local().remove_item(&kept_as).expect("clean up");
}

#[test]
async fn a_write_in_another_tab_reaches_the_store_as_a_change_and_is_not_saved_back() {
    let key = unique("from-the-other-tab");
    let prefs = Prefs::new();
    let persisted =
        attach(&prefs, LocalStorage::new(), Options::new(key.clone()).delay(DELAY)).expect("attached");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let _subscription = prefs.subscribe(&THEME, move |theme| sink.lock().unwrap().push(theme.clone()));
    let other = OtherTab::open();

    let written = document("from-the-other-tab", 7);
    other.local().set_item(&key, &written).expect("the other tab writes");
    assert!(
        eventually(|| prefs.get(&THEME) == "from-the-other-tab").await,
        "the other tab's write reached the store: THEME is {:?}",
        prefs.get(&THEME)
    );
    assert_eq!(prefs.get(&VOLUME), 7);
    assert_eq!(*seen.lock().unwrap(), ["from-the-other-tab"], "its subscriber was called");
    // Longer than the saver's delay: it was not saved back.
    sleep(100).await;
    assert_eq!(persisted.saves(), 0, "a document another writer stored is not saved back");
    assert_eq!(local().get_item(&key).expect("read"), Some(written));

    // Other keys, and the same key in `sessionStorage`, are not this document.
    other.local().set_item(&format!("{key}-other"), &document("another-key", 1)).expect("written");
    other.session().set_item(&key, &document("session-storage", 2)).expect("written");
    // Queued after those two: once it arrived, they did.
    other.local().set_item(&key, &document("last", 3)).expect("written");
    assert!(eventually(|| prefs.get(&THEME) == "last").await, "THEME is {:?}", prefs.get(&THEME));
    assert_eq!(*seen.lock().unwrap(), ["from-the-other-tab", "last"], "nothing else reached the store");
    assert_eq!(prefs.get(&VOLUME), 3);

    // A document the other tab stored that does not parse: reported, the store keeps its values.
    other.local().set_item(&key, "not json").expect("written");
    other.local().set_item(&key, &document("after-the-bad-one", 4)).expect("written");
    assert!(
        eventually(|| prefs.get(&THEME) == "after-the-bad-one").await,
        "THEME is {:?}",
        prefs.get(&THEME)
    );
    assert_eq!(*seen.lock().unwrap(), ["from-the-other-tab", "last", "after-the-bad-one"]);

    drop(persisted);
    other.local().remove_item(&key).expect("clean up");
    other.local().remove_item(&format!("{key}-other")).expect("clean up");
    other.session().remove_item(&key).expect("clean up");
}

#[test]
async fn a_save_in_this_tab_reaches_the_other_tab() {
    let key = unique("to-the-other-tab");
    let prefs = Prefs::new();
    let persisted =
        attach(&prefs, LocalStorage::new(), Options::new(key.clone()).delay(DELAY)).expect("attached");
    let other = OtherTab::open();
    let heard = Listening::on(other.window());
    // wasm-bindgen-test runs the async tests of this file together: other tests' writes are heard too.
    let events = || {
        heard.heard().into_iter().filter(|(k, _, _)| k.as_deref() == Some(key.as_str())).collect::<Vec<_>>()
    };

    prefs.set(&THEME, "from-this-tab".to_owned());
    assert!(eventually(|| !events().is_empty()).await, "the other tab heard no storage event");
    sleep(50).await;
    let events = events();
    assert_eq!(events.len(), 1, "{events:?}");
    let (event_key, new_value, in_local_storage) = &events[0];
    assert_eq!(event_key.as_deref(), Some(key.as_str()));
    assert!(in_local_storage, "the event's storageArea is the other tab's localStorage");
    let new_value = new_value.as_deref().expect("a new value");
    assert_eq!(atoms(new_value), json!({ "theme": "from-this-tab" }));
    assert_eq!(other.local().get_item(&key).expect("read").as_deref(), Some(new_value));
    assert_eq!(persisted.saves(), 1);
    drop(persisted);
    local().remove_item(&key).expect("clean up");
}

#[test]
async fn dropping_the_persisted_stops_listening_to_other_tabs() {
    let key = unique("unwatched");
    let prefs = Prefs::new();
    let persisted = attach(&prefs, LocalStorage::new(), Options::new(key.clone())).expect("attached");
    let other = OtherTab::open();
    // This window's own listener: it tells when the event was delivered here.
    let here = Listening::on(window());

    // wasm-bindgen-test runs the async tests of this file together: other tests' writes are heard too.
    let events_of_key = || here.heard().iter().filter(|(k, _, _)| k.as_deref() == Some(key.as_str())).count();
    other.local().set_item(&key, &document("heard", 1)).expect("written");
    assert!(eventually(|| events_of_key() == 1).await, "the event reached this window");
    assert_eq!(prefs.get(&THEME), "heard", "attached: the write reaches the store");

    drop(persisted);
    other.local().set_item(&key, &document("not-heard", 2)).expect("written");
    assert!(eventually(|| events_of_key() == 2).await, "the event reached this window");
    assert_eq!(prefs.get(&THEME), "heard", "after the drop, the store is not changed");
    assert_eq!(prefs.get(&VOLUME), 1);
    local().remove_item(&key).expect("clean up");
}

#[test]
async fn a_watch_passes_the_other_tabs_documents_until_its_unwatch_is_dropped() {
    let key = unique("watch");
    let storage = LocalStorage::with_prefix("app/");
    let item = storage.item(&key);
    let documents = Arc::new(Mutex::new(Vec::new()));
    let sink = documents.clone();
    let unwatch = storage
        .watch(&key, Arc::new(move |document: Option<String>| sink.lock().unwrap().push(document)))
        .expect("a browser page can watch");
    let other = OtherTab::open();
    // This window's own listener: it tells when an event was delivered here.
    let here = Listening::on(window());
    let events_of_item =
        || here.heard().iter().filter(|(k, _, _)| k.as_deref() == Some(item.as_str())).count();

    other.local().set_item(&item, "one").expect("written");
    other.local().set_item(&key, "the bare key: not this storage's item").expect("written");
    other.local().remove_item(&item).expect("removed");
    assert!(eventually(|| events_of_item() == 2).await, "the events reached this window");
    sleep(20).await;
    assert_eq!(
        *documents.lock().unwrap(),
        [Some("one".to_owned()), None],
        "the new document, then its removal"
    );

    drop(unwatch);
    other.local().set_item(&item, "two").expect("written");
    assert!(eventually(|| events_of_item() == 3).await, "the event reached this window");
    let passed = documents.lock().unwrap().clone();
    assert_eq!(passed, [Some("one".to_owned()), None], "the listener is gone");
    other.local().remove_item(&key).expect("clean up");
    other.local().remove_item(&item).expect("clean up");
}

#[test]
fn a_full_quota_is_an_error_and_the_saved_document_stays() {
    // More than any browser's `localStorage` quota (Chromium's: 10 MB for the origin).
    let huge = "x".repeat(12 * 1024 * 1024);
    let key = unique("quota");
    let storage = LocalStorage::new();
    let error = storage.save(&key, &huge).expect_err("over the quota");
    assert!(error.message.contains("QuotaExceededError"), "{error}");
    assert!(error.operation.contains(&key), "{error}");
    assert_eq!(local().get_item(&key).expect("read"), None);

    // Through persistence: `flush` reports it, the change stays to be saved, the document before stays.
    let reported = Arc::new(Mutex::new(Vec::new()));
    let sink = reported.clone();
    let prefs = Prefs::new();
    let options = Options::new(key.clone()).on_error(move |e| sink.lock().unwrap().push(e.clone()));
    let persisted = attach(&prefs, storage, options).expect("attached");
    prefs.set(&VOLUME, 8);
    persisted.flush().expect("a small document fits");
    let before = local().get_item(&key).expect("read").expect("saved");
    prefs.set(&THEME, huge);
    match persisted.flush() {
        Err(PersistError::Storage { key: k, error }) => {
            assert_eq!(k, key);
            assert!(error.message.contains("QuotaExceededError"), "{error}");
        }
        other => panic!("expected a storage error, got {other:?}"),
    }
    assert_eq!(local().get_item(&key).expect("read"), Some(before), "the document saved before stays");
    assert_eq!(persisted.saves(), 1);
    // The store gets smaller again: the next save works.
    prefs.set(&THEME, "small".to_owned());
    persisted.flush().expect("fits again");
    assert_eq!(atoms(&local().get_item(&key).expect("read").expect("saved"))["theme"], "small");
    drop(persisted);
    drop(prefs);
    let reported = reported.lock().unwrap().clone();
    assert!(reported.is_empty(), "flush returns its errors: {reported:?}");
    local().remove_item(&key).expect("clean up");
}
