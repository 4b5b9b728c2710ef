//! [`LocalStorage`] (wasm32 in a browser): documents in the page's `localStorage`, and other tabs' writes
//! through the `storage` event.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::sync::Arc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::persist::storage::{Storage, StorageError, Unwatch};

/// One JSON document per key in the browser's `localStorage` (wasm32 in a page), under
/// `PREFIX` + `KEY`. A save is one `setItem`, which the browser applies whole.
///
/// **Other tabs**: a document another tab (or any other window of the same origin, such as an
/// iframe) writes under the key reaches the attached store as a change, through the browser's
/// `storage` event ([`Storage::watch`]); it is not saved back.
///
/// **Failures** are [`StorageError`] values, never panics: no `window` (a worker), `localStorage`
/// disabled or refused (private modes, blocked cookies: a `SecurityError`), a full quota (a
/// `QuotaExceededError`: the save is reported and retried, the document stored before stays).
///
/// A document set aside is copied to `KEY.corrupt-STAMP` (with the prefix), then `KEY` is removed:
/// when the copy does not fit in the quota, nothing is removed and the load fails with the error.
///
/// ```no_run
/// use nexus::persist::{attach, LocalStorage, Options};
///
/// nexus::store! { pub struct Settings; }
/// nexus::atom! {
///     #![store(Settings)]
///     pub static THEME: String = "light".to_owned();
/// }
///
/// let settings = Settings::new();
/// // Stored in `localStorage` under "my-app/settings".
/// let _persisted = attach(&settings, LocalStorage::with_prefix("my-app/"), Options::new("settings"))?;
/// # Ok::<(), nexus::persist::PersistError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalStorage {
    prefix: String,
}

impl LocalStorage {
    /// Documents under their keys as given (`"settings"` is the `localStorage` item `settings`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Documents under `prefix` + their keys (`with_prefix("app/")`: `"settings"` is the item
    /// `app/settings`), apart from other code's items of the same origin.
    pub fn with_prefix(prefix: impl Into<String>) -> Self {
        LocalStorage { prefix: prefix.into() }
    }

    /// The prefix of every item's name.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The name of `key`'s item in `localStorage`.
    pub fn item(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

/// The page's `localStorage`, or why there is none.
fn local_storage(operation: &str) -> Result<web_sys::Storage, StorageError> {
    let window = web_sys::window()
        .ok_or_else(|| StorageError::new(operation, "there is no `window` (not a browser page)"))?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err(StorageError::new(operation, "this browser has no `localStorage`")),
        Err(e) => {
            Err(StorageError::new(operation, format!("`localStorage` is not available: {}", describe(&e))))
        }
    }
}

/// A thrown JavaScript value as text: `NAME: MESSAGE` for an error (a `DOMException` such as
/// `QuotaExceededError`), else its string form.
fn describe(thrown: &JsValue) -> String {
    let field = |name: &str| {
        js_sys::Reflect::get(thrown, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty())
    };
    if thrown.is_object() {
        match (field("name"), field("message")) {
            (Some(name), Some(message)) => return format!("{name}: {message}"),
            (Some(name), None) => return name,
            (None, Some(message)) => return message,
            (None, None) => {}
        }
    }
    thrown.as_string().unwrap_or_else(|| format!("{thrown:?}"))
}

impl Storage for LocalStorage {
    fn load(&self, key: &str) -> Result<Option<String>, StorageError> {
        let item = self.item(key);
        let operation = format!("read localStorage item {item}");
        local_storage(&operation)?.get_item(&item).map_err(|e| StorageError::new(&operation, describe(&e)))
    }

    fn save(&self, key: &str, document: &str) -> Result<(), StorageError> {
        let item = self.item(key);
        let operation = format!("save localStorage item {item}");
        local_storage(&operation)?
            .set_item(&item, document)
            .map_err(|e| StorageError::new(&operation, describe(&e)))
    }

    fn set_aside(&self, key: &str, stamp: &str) -> Result<String, StorageError> {
        let aside = format!("{key}.corrupt-{stamp}");
        let (item, aside_item) = (self.item(key), self.item(&aside));
        let operation = format!("set localStorage item {item} aside as {aside_item}");
        let storage = local_storage(&operation)?;
        let failed = |e: JsValue| StorageError::new(&operation, describe(&e));
        let Some(document) = storage.get_item(&item).map_err(failed)? else { return Ok(aside) };
        // Copied first: if the copy fails (a full quota), the document stays where it was.
        storage.set_item(&aside_item, &document).map_err(failed)?;
        storage.remove_item(&item).map_err(failed)?;
        Ok(aside)
    }

    /// Listens to the window's `storage` event for this key's item in `localStorage` (not
    /// `sessionStorage`): the browser fires it in every other window of the origin that writes it
    /// (another tab, an iframe), never in the writing one. A `localStorage.clear()` elsewhere is
    /// passed on as `None`. Returns `None` outside a browser page.
    ///
    /// The listener belongs to the thread that called `watch` (wasm32 runs one): the [`Unwatch`]
    /// must be dropped there to remove it.
    fn watch(&self, key: &str, on_change: Arc<dyn Fn(Option<String>) + Send + Sync>) -> Option<Unwatch> {
        let window = web_sys::window()?;
        let item = self.item(key);
        let listener = Listener::new(move |event: web_sys::StorageEvent| {
            let ours = match event.key() {
                Some(changed) => changed == item,
                // `clear()`: every item is gone.
                None => true,
            };
            if !ours || !is_local_storage(event.storage_area()) {
                return;
            }
            on_change(event.new_value());
        });
        window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref()).ok()?;
        let id = NEXT.with(|next| {
            let id = next.get();
            next.set(id + 1);
            id
        });
        LISTENERS.with(|listeners| listeners.borrow_mut().insert(id, listener));
        Some(Unwatch::new(move || {
            // The thread's registry may be gone already (the thread ends): so is its listener.
            let listener = LISTENERS.try_with(|listeners| listeners.borrow_mut().remove(&id)).ok().flatten();
            if let (Some(listener), Some(window)) = (listener, web_sys::window()) {
                let _ =
                    window.remove_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
            }
        }))
    }
}

/// Whether a `storage` event's area is this window's `localStorage` (not its `sessionStorage`).
fn is_local_storage(area: Option<web_sys::Storage>) -> bool {
    let (Some(area), Ok(local)) = (area, local_storage("compare storage areas")) else { return false };
    JsValue::from(area) == JsValue::from(local)
}

/// A `storage` event listener, as JavaScript calls it.
type Listener = Closure<dyn FnMut(web_sys::StorageEvent)>;

thread_local! {
    /// The `storage` listeners of the live watches, by id: the JavaScript closures are not `Send`,
    /// so an [`Unwatch`] (which must be) holds only the id.
    static LISTENERS: RefCell<BTreeMap<u64, Listener>> = const { RefCell::new(BTreeMap::new()) };
    static NEXT: Cell<u64> = const { Cell::new(0) };
}
