//! nexus with [Leptos](https://leptos.dev) in the browser (issue 29): two todo lists side by side, each
//! its own [`TodoStore`] instance under a `<StoreProvider>`, so that each list changes only itself.
//!
//! - the list is a keyed `Vec<Todo>` ([`static@TODOS`]): a row per key, each row bound to its own element
//!   atom (`TODOS.each().at(&id)`), so toggling one todo re-renders one row;
//! - [`static@LEFT`] ("n left") is a derived atom; [`static@SUGGESTIONS`] an async atom (a simulated fetch of 300 ms)
//!   shown through `<Suspense>`; [`static@EDITS`] counts the list's changes, kept by a nexus effect;
//! - [`static@THEME`] is a `Global` atom: `TodoStore` is a global-mode store, so both lists show one theme.
//!
//! Build, check and open: `scripts/leptos-todo.sh [--serve | --screenshot]` (the page is
//! `examples/leptos-todo/index.html`, which calls `mount_app`). Browser tests: `tests/browser.rs`; the
//! 1,000-row benchmark against plain Leptos signals: `tests/rows.rs` (its pages are in [`rows`]).

use leptos::prelude::*;
use nexus::leptos::{
    use_action, use_atom, use_atom_resource, use_atom_value, use_atom_value_in, use_effect, use_set_atom,
    use_set_atom_in, use_store, use_update_atom, StoreProvider,
};
use nexus::Fields;

pub mod rows;

pub mod delay;

nexus::store! {
    /// One todo list. Global mode: the `Global` atom [`static@THEME`] has one value shared by every instance,
    /// while the store's own atoms (the todos, the draft, …) stay per instance.
    #[mode(global)]
    pub struct TodoStore;
}

/// One thing to do, keyed by its id (`TODOS.each().at(&id)` is its atom).
#[derive(Clone, PartialEq, Debug, Fields)]
pub struct Todo {
    /// Unique in its list.
    #[fields(key)]
    pub id: u32,
    /// What to do.
    pub text: String,
    /// Done yet?
    pub done: bool,
}

/// The page's colour scheme, shared by both lists.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Theme {
    /// Dark text on white.
    #[default]
    Light,
    /// Light text on dark grey.
    Dark,
}

impl Theme {
    /// The other one.
    #[must_use]
    pub fn toggled(self) -> Self {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }

    /// `"light"` or `"dark"` (also the CSS class).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

nexus::atom! {
    #![store(TodoStore)]
    /// The list, in order.
    pub static TODOS: Vec<Todo> = Vec::new();
    /// The id the next todo gets.
    pub static NEXT_ID: u32 = 1;
    /// The text typed in the list's input, not added yet.
    pub static DRAFT: String = String::new();
    /// Derived: how many todos are not done.
    pub static LEFT: usize = computed(|s| s.with(&TODOS, |todos| todos.iter().filter(|t| !t.done).count()));
    /// How many times the list changed since the list was shown (kept by a `use_effect`).
    pub static EDITS: u32 = 0;
    /// Async: suggested todos, as if fetched from a server (300 ms in the browser).
    pub static SUGGESTIONS: Vec<String> = async_computed(|_s| async move {
        delay::delay(300).await;
        Ok::<_, String>(vec!["water the plants".to_owned(), "call mum".to_owned(), "read a book".to_owned()])
    });
    /// Adds a todo with `text` (or `todo N` for a blank text) at the end, clears the draft, and gives
    /// the new todo's id: one batch, one change of the list.
    pub static ADD: Action<String, u32> = action(|s, text: String| {
        let id = s.get(&NEXT_ID);
        s.set(&NEXT_ID, id + 1);
        let text = if text.trim().is_empty() { format!("todo {id}") } else { text.trim().to_owned() };
        s.update(&TODOS, |todos| todos.push(Todo { id, text, done: false }));
        s.reset(&DRAFT);
        id
    });
}

nexus::atom! {
    /// `Global`: one theme for every global-mode store, whichever list toggles it.
    pub static THEME: Theme = Theme::Light;
}

/// The page: two isolated lists side by side, each with its own [`TodoStore`].
#[component]
pub fn App() -> impl IntoView {
    view! {
        <div id="lists">
            <StoreProvider store=TodoStore::new()>
                <TodoList name="left"/>
            </StoreProvider>
            <StoreProvider store=TodoStore::new()>
                <TodoList name="right"/>
            </StoreProvider>
        </div>
    }
}

/// One list (`section#{name}`), bound to the nearest provided [`TodoStore`]: an input and an add
/// button (`.draft`, `.add`), the rows (`ul.todos > li.todo`), "n left" (`.left-count`), the change
/// count (`.edits`), the suggestions (`.suggestions`) and the shared theme (`.theme`, `.theme-toggle`).
#[component]
pub fn TodoList(
    /// The section's id.
    #[prop(into)]
    name: String,
) -> impl IntoView {
    let store = use_store::<TodoStore>();
    let draft = use_atom_value(&DRAFT);
    let set_draft = use_set_atom(&DRAFT);
    let add = use_action(&ADD);
    let left = use_atom_value(&LEFT);
    let edits = use_atom_value(&EDITS);
    let keys = use_atom_value(&TODOS.each().keys());
    // `THEME` is `Global`: it has no store type to find a provider by, so it is read through this
    // list's store (global mode: every `TodoStore` shows the one value).
    let theme = use_atom_value_in(&store, &THEME);
    let set_theme = use_set_atom_in(&store, &THEME);
    // Counts the list's changes: a nexus effect, stopped when the list unmounts.
    use_effect::<TodoStore>(|s| {
        s.with(&TODOS, |_| ());
        if s.run_number() > 1 {
            s.update(&EDITS, |n| *n += 1);
        }
    });

    let add_draft = {
        let add = add.clone();
        move || {
            add(draft.get_untracked());
        }
    };
    let on_key = {
        let add_draft = add_draft.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Enter" {
                add_draft();
            }
        }
    };
    let store_id = store.id();

    view! {
        <section id=name class=move || format!("list {}", theme.get().name())>
            <header>
                <h2>{format!("TodoStore #{store_id}")}</h2>
                <button class="theme-toggle" on:click=move |_| set_theme(theme.get_untracked().toggled())>
                    "theme: " <span class="theme">{move || theme.get().name()}</span>
                </button>
            </header>
            <div class="new">
                <input
                    class="draft"
                    placeholder="what needs doing?"
                    prop:value=draft
                    on:input=move |ev| set_draft(event_target_value(&ev))
                    on:keydown=on_key
                />
                <button class="add" on:click=move |_| add_draft()>"add"</button>
            </div>
            <ul class="todos">
                <For each=move || keys.get() key=|id| *id let:id>
                    <TodoItem id/>
                </For>
            </ul>
            <p class="status">
                <strong class="left-count">{left}</strong>
                " left · "
                <span class="edits">{edits}</span>
                " edits"
            </p>
            <Suggestions/>
        </section>
    }
}

/// One row (`li.todo[data-id]`), bound to its own element atom: a change of another todo does not
/// touch it. A checkbox (`.toggle`), the text (`.text`) and a remove button (`.remove`).
#[component]
pub fn TodoItem(
    /// The todo's key.
    id: u32,
) -> impl IntoView {
    let (todo, set_todo) = use_atom(&TODOS.each().at(&id));
    let todos = use_update_atom(&TODOS);
    let done = move || todo.with(|t| t.as_ref().is_some_and(|t| t.done));
    let toggle = move |_| {
        if let Some(mut t) = todo.get_untracked() {
            t.done = !t.done;
            set_todo(t);
        }
    };
    view! {
        <li class="todo" class:done=done data-id=id>
            <input type="checkbox" class="toggle" prop:checked=done on:change=toggle/>
            <span class="text">{move || todo.with(|t| t.as_ref().map(|t| t.text.clone()))}</span>
            <button class="remove" title="remove" on:click=move |_| todos.update(|list| list.retain(|t| t.id != id))>
                "×"
            </button>
        </li>
    }
}

/// The suggested todos (`.suggestions`): a fallback (`.loading`) while [`static@SUGGESTIONS`] loads, then a
/// button per suggestion (`.suggestion`) that adds it.
#[component]
pub fn Suggestions() -> impl IntoView {
    let suggestions = use_atom_resource(&SUGGESTIONS);
    let add = use_action(&ADD);
    view! {
        <div class="suggestions">
            <Suspense fallback=|| view! { <p class="loading">"loading suggestions…"</p> }>
                {
                    let add = add.clone();
                    move || {
                        let add = add.clone();
                        Suspend::new(async move {
                            match suggestions.await {
                                Ok(list) => {
                                    view! {
                                        <ul>
                                            {list
                                                .into_iter()
                                                .map(|text| {
                                                    let add = add.clone();
                                                    view! {
                                                        <li>
                                                            <button
                                                                class="suggestion"
                                                                on:click=move |_| {
                                                                    add(text.clone());
                                                                }
                                                            >
                                                                "+ "
                                                                {text.clone()}
                                                            </button>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }
                                Err(error) => view! { <p class="error">{error.to_string()}</p> }.into_any(),
                            }
                        })
                    }
                }
            </Suspense>
        </div>
    }
}

/// Mounts [`App`] on the page's body (called by `index.html`). Not `#[wasm_bindgen(start)]`, so that
/// the tests, which link this library, mount only what they choose; and not named `main`, which
/// wasm-bindgen-test's runner exports from every test binary ("the name `main` is exported by multiple
/// crates in this build").
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mount_app() {
    leptos::mount::mount_to_body(App);
}
