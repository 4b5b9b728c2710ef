//! nexus in a [Leptos](https://leptos.dev) 0.8 app (feature `leptos`): a store instance per component
//! subtree, and hooks that bind atoms to Leptos signals.
//!
//! | Jotai (React) | nexus |
//! |---|---|
//! | `<Provider store={s}>` | [`<StoreProvider store=s>`](StoreProvider) or [`provide_store(s)`](provide_store) |
//! | `useStore()` | [`use_store::<S>()`](use_store) |
//! | `useAtomValue(a)` | [`use_atom_value(&A)`](use_atom_value) → `Signal<T>` |
//! | `useSetAtom(a)` | [`use_set_atom(&A)`](use_set_atom) → `impl Fn(T)`; [`use_update_atom`] |
//! | `useAtom(a)` | [`use_atom(&A)`](use_atom) → `(Signal<T>, impl Fn(T))` |
//! | `useAtomValue(asyncAtom)` + `<Suspense>` | [`use_atom_resource(&A)`](use_atom_resource) → `AsyncDerived`, or `use_atom_value` → `Signal<Loadable<T>>` |
//! | `useAtomValue(a, { store })` | the `_in` forms: [`use_atom_value_in(&store, &A)`](use_atom_value_in), … |
//!
//! **Which store.** Leptos finds context by type, and every nexus store is its own type, so the store
//! type *is* the provider key: `use_atom_value(&TODOS)` reads `TODOS` in the nearest provided store of
//! `TODOS`'s store type. Two providers of one type make two isolated subtrees; providers of different
//! types nest freely. A [`Global`](crate::Global) atom has no store type of its own: read it with an
//! `_in` form, through the store you want (in global-mode stores every store shows the one shared value).
//! An atom of store `A` used with a store of type `B` is a compile error naming both.
//!
//! **Reactivity.** A hook's signal reads the store on every read (no copy that can go stale) and is
//! tracked through one store subscription per hook: it notifies only when the atom really changed (an
//! equal value, by `PartialEq`, does not). Leptos updates only the text nodes and attributes that read
//! it; components are not re-run.
//!
//! **Lifecycle.** Hooks must run under a reactive owner (in a component, or `Owner::with`): the
//! subscription is dropped in that owner's `on_cleanup`, so an unmounted component leaves nothing in
//! the store. A provider holds its store in its own owner: when the last provider of an instance
//! unmounts and nothing else holds a handle (a setter closure counts), the instance is dropped.
//!
//! **Async atoms.** A store provided here runs its loads (and async effects) on Leptos's executor
//! (`wasm-bindgen-futures` in the browser), so reading an async atom in a component starts its load and
//! the signal turns from `Loading` to `Ready` by itself.
//!
//! ```
//! use leptos::prelude::*;
//! use nexus::leptos::{use_atom, use_atom_value, StoreProvider};
//!
//! nexus::store! { pub struct Counter; }
//! nexus::atom! {
//!     #![store(Counter)]
//!     pub static COUNT: u32 = 0;
//!     pub static DOUBLE: u32 = computed(|s| s.get(&COUNT) * 2);
//! }
//!
//! #[component]
//! fn Buttons() -> impl IntoView {
//!     let (count, set_count) = use_atom(&COUNT);
//!     let double = use_atom_value(&DOUBLE);
//!     view! {
//!         <button on:click=move |_| set_count(count.get() + 1)>{count}</button>
//!         <span>{double}</span>
//!     }
//! }
//!
//! #[component]
//! fn App() -> impl IntoView {
//!     // Two isolated counters on one page.
//!     view! {
//!         <StoreProvider store=Counter::new()><Buttons/></StoreProvider>
//!         <StoreProvider store=Counter::new()><Buttons/></StoreProvider>
//!     }
//! }
//! ```

mod context;
mod hooks;
mod resource;

pub use context::{provide_store, use_store, ContextStore, StoreProvider, StoreProviderProps};
pub use hooks::{
    use_action, use_action_in, use_atom, use_atom_in, use_atom_value, use_atom_value_in, use_effect,
    use_effect_in, use_set_atom, use_set_atom_in, use_update_atom, use_update_atom_in, AtomUpdater,
};
pub use resource::{use_atom_resource, use_atom_resource_in};
