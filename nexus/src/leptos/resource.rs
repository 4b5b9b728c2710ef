//! Async atoms through `<Suspense>` and `<Transition>`: an atom's load as a Leptos `AsyncDerived`.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::{on_cleanup, ArcTrigger, AsyncDerived, Notify, Track};

use crate::core::loadable::{LoadError, Loadable};
use crate::core::owner::UsableIn;
use crate::leptos::context::{require_owner, use_store, ContextStore};
use crate::store::loads::AsyncAtom;
use crate::store::store_trait::Store;

type Load<T> = Pin<Box<dyn Future<Output = Result<T, LoadError>> + Send>>;

/// `atom`'s loaded value in the nearest provided store of its store type, for `<Suspense>` and
/// `<Transition>` (see [`use_atom_resource_in`]).
///
/// # Panics
/// Outside a reactive owner, or with no provider of the atom's store type above.
#[track_caller]
pub fn use_atom_resource<A>(atom: &A) -> AsyncDerived<Result<A::Output, LoadError>>
where
    A: AsyncAtom + Clone + Send + Sync + 'static,
    A::Owner: ContextStore,
{
    use_atom_resource_in(&use_store::<A::Owner>(), atom)
}

/// `atom`'s loaded value in `store` as an `AsyncDerived`: read it inside `<Suspense>` (for example
/// `Suspend::new(async move { value.await })`) and the fallback shows while the atom loads; inside
/// `<Transition>`, the previous value stays on screen while a new load runs. When the atom's
/// dependencies change and a new load starts, the resource loads again; a failed load gives `Err`.
/// A value that is already `Ready` resolves at once (no fallback).
///
/// Tracked through one subscription, dropped when the current owner is cleaned up.
///
/// # Panics
/// Outside a reactive owner.
#[track_caller]
pub fn use_atom_resource_in<S, A>(store: &S, atom: &A) -> AsyncDerived<Result<A::Output, LoadError>>
where
    S: Store + Send + Sync + 'static,
    A: AsyncAtom + Clone + Send + Sync + 'static,
    A::Owner: UsableIn<S>,
{
    require_owner("use_atom_resource");
    let trigger = ArcTrigger::new();
    // Whether the resource's future is waiting for the load under way: its outcome then arrives
    // through that future, and notifying as well would start a second (needless) fetch.
    let awaiting = Arc::new(AtomicBool::new(false));
    let (notify, waiting) = (trigger.clone(), awaiting.clone());
    let subscription = store.subscribe(atom, move |value: &Loadable<A::Output>| {
        if value.is_loading() || !waiting.load(Ordering::Acquire) {
            notify.notify();
        }
    });
    on_cleanup(move || drop(subscription));
    let (store, atom) = (store.clone(), atom.clone());
    AsyncDerived::new(move || -> Load<A::Output> {
        trigger.track();
        match store.get(&atom) {
            Loadable::Ready(value) => Box::pin(std::future::ready(Ok(value))),
            Loadable::Failed { error, .. } => Box::pin(std::future::ready(Err(error))),
            Loadable::Loading { .. } => {
                awaiting.store(true, Ordering::Release);
                let (load, awaiting) = (store.load(&atom), awaiting.clone());
                Box::pin(async move {
                    let outcome = load.await;
                    awaiting.store(false, Ordering::Release);
                    outcome
                })
            }
        }
    })
}
