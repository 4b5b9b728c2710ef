//! Which store a component uses: a store instance in Leptos context, keyed by its (branded) type.

use std::panic::Location;
use std::sync::Arc;

use leptos::prelude::{provide_context, use_context, Children, IntoView, Owner};
use leptos::tachys::reactive_graph::OwnedView;

use crate::core::owner::UsableIn;
use crate::store::store_trait::Store;

/// A store type that hooks can find in Leptos context: every type made with
/// [`store!`](crate::store!). What the hooks without a store argument ask of an atom's owner.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a store type, so no provider of it can be found in context",
    label = "this atom's owner is `{Self}`",
    note = "a `Global` atom belongs to no store: pass the store to read it in, e.g. `use_atom_value_in(&use_store::<MyStore>(), &ATOM)`"
)]
pub trait ContextStore: Store + UsableIn<Self> + Send + Sync + 'static {}

impl<S: Store + UsableIn<S> + Send + Sync + 'static> ContextStore for S {}

/// Puts `store` in context for the current reactive owner and everything below it: hooks in those
/// components that look for a store of type `S` find this instance (the nearest provider wins).
///
/// Also makes Leptos's executor run this instance's async loads and async effects (the browser has no
/// other), so that an async atom read in a component loads by itself.
///
/// Prefer [`StoreProvider`], which gives the store its own owner: `provide_store` in a component body
/// provides to that component's owner, which siblings rendered later under the same owner may share.
#[track_caller]
pub fn provide_store<S>(store: S)
where
    S: Store + Send + Sync + 'static,
{
    require_owner(&format!("provide_store::<{}>()", std::any::type_name::<S>()));
    crate::store::loads::set_spawner(&store.__cell().0, Arc::new(leptos::reactive::spawn));
    provide_context(store);
}

/// The nearest store of type `S` provided above the calling component (a handle: clones are the same
/// instance).
///
/// # Panics
/// If no ancestor provided a store of type `S` (or there is no reactive owner), with a message naming
/// the store type and the file, line and column of the call, that is, the component asking.
#[track_caller]
pub fn use_store<S>() -> S
where
    S: Store + Send + Sync + 'static,
{
    let at = Location::caller();
    require_owner(&format!("use_store::<{}>()", std::any::type_name::<S>()));
    use_context::<S>().unwrap_or_else(|| {
        panic!(
            "nexus::leptos: no `{}` store is provided above the component at {at}: wrap it in \
             `<StoreProvider store={}::new()>`, or call `provide_store` in an ancestor",
            std::any::type_name::<S>(),
            short_name::<S>()
        )
    })
}

/// Panics unless there is a current reactive owner, naming `what` was called and where: without one,
/// a hook's subscription would be dropped at once (`on_cleanup` has nowhere to keep it) and its signal
/// would never change.
#[track_caller]
pub(super) fn require_owner(what: &str) {
    assert!(
        Owner::current().is_some(),
        "nexus::leptos: {what} called outside a reactive owner (at {}): hooks run in a component, or \
         inside `Owner::with`",
        Location::caller()
    );
}

/// `S`'s name without its module path (`Todos` for `app::state::Todos`).
fn short_name<S>() -> &'static str {
    let full = std::any::type_name::<S>();
    full.rsplit("::").next().unwrap_or(full)
}

/// Provides `store` to its children (and their descendants) only, in an owner of its own: two
/// providers of one store type give two isolated subtrees; providers of different types nest freely.
/// When it unmounts, its owner drops its handle: the instance is dropped with its last handle.
///
/// ```
/// # use leptos::prelude::*;
/// # use nexus::leptos::StoreProvider;
/// # nexus::store! { pub struct Todos; }
/// # #[component] fn TodoList() -> impl IntoView { () }
/// # fn app() -> impl IntoView {
/// view! {
///     <StoreProvider store=Todos::new()><TodoList/></StoreProvider>
///     <StoreProvider store=Todos::new()><TodoList/></StoreProvider>
/// }
/// # }
/// ```
// The macro makes items (its props builder's) that the re-export in `nexus::leptos` does not name.
#[allow(unreachable_pub)]
#[leptos::component]
pub fn StoreProvider<S>(
    /// The store instance the children's hooks use.
    store: S,
    children: Children,
) -> impl IntoView
where
    S: Store + Send + Sync + 'static,
{
    let owner = Owner::current().expect("a component runs under a reactive owner").child();
    let view = owner.with(|| {
        provide_store(store);
        children()
    });
    OwnedView::new_with_owner(view, owner)
}
