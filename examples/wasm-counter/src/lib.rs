//! nexus in the browser (wasm32-unknown-unknown, no framework): two isolated stores of one store type on
//! one page. Each panel's buttons change its own store's atoms; a derived `TOTAL` and the panel's text
//! follow through subscriptions; the other panel never moves.
//!
//! Build and open: `scripts/wasm-counter.sh --serve` (the page is `examples/wasm-counter/index.html`).

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

nexus::store! {
    /// One basket: the page shows two, isolated from each other.
    pub struct Basket;
}

nexus::atom! {
    #![store(Basket)]
    /// Apples in the basket.
    pub static APPLES: u32 = 0;
    /// Pears in the basket.
    pub static PEARS: u32 = 0;
    /// Derived: everything in the basket.
    pub static TOTAL: u32 = computed(|s| s.get(&APPLES) + s.get(&PEARS));
}

/// Builds the two panels into the element with id `app` and wires them to two stores.
///
/// # Errors
/// If the page has no `app` element or the DOM refuses a change.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let app = document.get_element_by_id("app").ok_or("no #app element")?;
    for name in ["left", "right"] {
        panel(&document, &app, name)?;
    }
    Ok(())
}

/// One panel with its own store. The store and the subscriptions live as long as the page (leaked on
/// purpose: a page's state lives until the page goes).
fn panel(document: &Document, app: &Element, name: &str) -> Result<(), JsValue> {
    let store = Basket::new();
    let root = document.create_element("section")?;
    root.set_id(name);
    root.set_inner_html(&format!(
        "<h2>Basket {name} <small>{}</small></h2>\
         <p><span class=\"apples\">0</span> apples, <span class=\"pears\">0</span> pears, \
         total <strong class=\"total\">0</strong></p>",
        format_args!("store #{}", store.id())
    ));
    let buttons = document.create_element("div")?;
    for (label, action) in [("+ apple", Action::Apple), ("+ pear", Action::Pear), ("empty", Action::Empty)] {
        let button = document.create_element("button")?;
        button.set_text_content(Some(label));
        button.set_class_name(action.class());
        let store = store.clone();
        let click = Closure::<dyn FnMut()>::new(move || match action {
            Action::Apple => store.update(&APPLES, |n| *n += 1),
            Action::Pear => store.update(&PEARS, |n| *n += 1),
            Action::Empty => store.batch(|| {
                store.reset(&APPLES);
                store.reset(&PEARS);
            }),
        });
        button.add_event_listener_with_callback("click", click.as_ref().unchecked_ref())?;
        click.forget();
        buttons.append_child(&button)?;
    }
    root.append_child(&buttons)?;
    app.append_child(&root)?;

    show(&store, &root, &APPLES, ".apples")?;
    show(&store, &root, &PEARS, ".pears")?;
    show(&store, &root, &TOTAL, ".total")?;
    Ok(())
}

#[derive(Clone, Copy)]
enum Action {
    Apple,
    Pear,
    Empty,
}

impl Action {
    fn class(self) -> &'static str {
        match self {
            Action::Apple => "add-apple",
            Action::Pear => "add-pear",
            Action::Empty => "empty",
        }
    }
}

thread_local! {
    /// The elements subscriptions write to. Store callbacks must be `Send + Sync` (a store may be shared
    /// across threads) and DOM handles are neither, so callbacks carry an index into this list; the
    /// browser runs them all on this one thread.
    static SHOWN: RefCell<Vec<Element>> = const { RefCell::new(Vec::new()) };
}

/// Keeps the text of `root`'s `selector` element equal to `atom`'s value in `store`.
fn show<A>(store: &Basket, root: &Element, atom: &A, selector: &str) -> Result<(), JsValue>
where
    A: nexus::Readable<Value = u32, Owner = Basket>,
{
    let element = root.query_selector(selector)?.ok_or("no element for the selector")?;
    element.set_text_content(Some(&store.get(atom).to_string()));
    let index = SHOWN.with(|shown| {
        let mut shown = shown.borrow_mut();
        shown.push(element);
        shown.len() - 1
    });
    let subscription = store.subscribe(atom, move |v| {
        SHOWN.with(|shown| shown.borrow()[index].set_text_content(Some(&v.to_string())));
    });
    std::mem::forget(subscription);
    Ok(())
}
