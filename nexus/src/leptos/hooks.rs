//! The hooks: an atom's value as a Leptos signal, and setters bound to the store found in context.

use leptos::prelude::{on_cleanup, ArcTrigger, Notify, Signal, Track};

use crate::core::owner::UsableIn;
use crate::graph::access::Readable;
use crate::leptos::context::{require_owner, use_store, ContextStore};
use crate::store::access::{Runnable, Settable, Updatable};
use crate::store::store_trait::Store;

/// `atom`'s value in the nearest provided store of its store type, as a signal (see
/// [`use_atom_value_in`]).
///
/// # Panics
/// Outside a reactive owner, or with no provider of the atom's store type above (see [`use_store`]).
#[track_caller]
pub fn use_atom_value<A>(atom: &A) -> Signal<A::Value>
where
    A: Readable + Clone + Send + Sync + 'static,
    A::Owner: ContextStore,
{
    use_atom_value_in(&use_store::<A::Owner>(), atom)
}

/// `atom`'s value in `store`, as a signal: each read reads the store (no copy that can go stale) and is
/// tracked through one subscription, taken now and dropped when the current owner is cleaned up (the
/// component unmounts). The signal notifies only when the atom changed: an equal value (`PartialEq`)
/// does not. An async atom gives `Signal<Loadable<T>>`. A derived atom is kept up to date while the
/// signal lives (it has a subscriber).
///
/// # Panics
/// Outside a reactive owner.
#[track_caller]
pub fn use_atom_value_in<S, A>(store: &S, atom: &A) -> Signal<A::Value>
where
    S: Store + Send + Sync + 'static,
    A: Readable + Clone + Send + Sync + 'static,
    A::Owner: UsableIn<S>,
{
    require_owner("use_atom_value");
    let trigger = ArcTrigger::new();
    let notify = trigger.clone();
    let subscription = store.subscribe(atom, move |_| notify.notify());
    on_cleanup(move || drop(subscription));
    let (store, atom) = (store.clone(), atom.clone());
    Signal::derive(move || {
        trigger.track();
        store.get(&atom)
    })
}

/// A setter of `atom` in the nearest provided store of its store type (see [`use_set_atom_in`]).
///
/// # Panics
/// Outside a reactive owner, or with no provider of the atom's store type above.
#[track_caller]
pub fn use_set_atom<A>(atom: &A) -> impl Fn(A::Arg) + Clone + Send + Sync + 'static
where
    A: Settable + Clone + Send + Sync + 'static,
    A::Owner: ContextStore,
{
    use_set_atom_in(&use_store::<A::Owner>(), atom)
}

/// A setter of `atom` in `store`: `set(v)` is `store.set(&atom, v)` (an equal value is no change; for
/// a writable derived atom, `v` is its write argument). Needs no owner; it holds a store handle.
pub fn use_set_atom_in<S, A>(store: &S, atom: &A) -> impl Fn(A::Arg) + Clone + Send + Sync + 'static
where
    S: Store + Send + Sync + 'static,
    A: Settable + Clone + Send + Sync + 'static,
    A::Owner: UsableIn<S>,
{
    let (store, atom) = (store.clone(), atom.clone());
    move |value| store.set(&atom, value)
}

/// `atom`'s value as a signal and its setter, in the nearest provided store of its store type.
///
/// # Panics
/// Outside a reactive owner, or with no provider of the atom's store type above.
#[track_caller]
pub fn use_atom<A>(atom: &A) -> (Signal<A::Value>, impl Fn(A::Arg) + Clone + Send + Sync + 'static)
where
    A: Settable + Clone + Send + Sync + 'static,
    A::Owner: ContextStore,
{
    use_atom_in(&use_store::<A::Owner>(), atom)
}

/// [`use_atom_value_in`] and [`use_set_atom_in`] together.
///
/// # Panics
/// Outside a reactive owner.
#[track_caller]
pub fn use_atom_in<S, A>(
    store: &S,
    atom: &A,
) -> (Signal<A::Value>, impl Fn(A::Arg) + Clone + Send + Sync + 'static)
where
    S: Store + Send + Sync + 'static,
    A: Settable + Clone + Send + Sync + 'static,
    A::Owner: UsableIn<S>,
{
    (use_atom_value_in(store, atom), use_set_atom_in(store, atom))
}

/// An atom and the store it is written in, for writes that modify the value in place
/// ([`use_update_atom`]). A cheap `Clone`.
pub struct AtomUpdater<S, A> {
    store: S,
    atom: A,
}

impl<S: Clone, A: Clone> Clone for AtomUpdater<S, A> {
    fn clone(&self) -> Self {
        AtomUpdater { store: self.store.clone(), atom: self.atom.clone() }
    }
}

impl<S, A> AtomUpdater<S, A>
where
    S: Store,
    A: Updatable,
    A::Owner: UsableIn<S>,
{
    /// `store.update(&atom, f)`: `f` modifies the value in place, under the store's lock (concurrent
    /// updates never lose one another).
    pub fn update(&self, f: impl FnOnce(&mut A::Value)) {
        self.store.update(&self.atom, f);
    }
}

impl<S, A> AtomUpdater<S, A>
where
    S: Store,
    A: Settable,
    A::Owner: UsableIn<S>,
{
    /// `store.set(&atom, value)`.
    pub fn set(&self, value: A::Arg) {
        self.store.set(&self.atom, value);
    }
}

/// An [`AtomUpdater`] of `atom` in the nearest provided store of its store type:
/// `todos.update(|list| list.push(item))`.
///
/// # Panics
/// Outside a reactive owner, or with no provider of the atom's store type above.
#[track_caller]
pub fn use_update_atom<A>(atom: &A) -> AtomUpdater<A::Owner, A>
where
    A: Updatable + Clone + Send + Sync + 'static,
    A::Owner: ContextStore,
{
    use_update_atom_in(&use_store::<A::Owner>(), atom)
}

/// An [`AtomUpdater`] of `atom` in `store`.
pub fn use_update_atom_in<S, A>(store: &S, atom: &A) -> AtomUpdater<S, A>
where
    S: Store + Send + Sync + 'static,
    A: Updatable + Clone + Send + Sync + 'static,
    A::Owner: UsableIn<S>,
{
    AtomUpdater { store: store.clone(), atom: atom.clone() }
}

/// Runs `action` (a write-only action declared with `action(..)`) in the nearest provided store of its
/// store type: the returned closure is `store.run(&action, arg)`.
///
/// # Panics
/// Outside a reactive owner, or with no provider of the action's store type above.
#[track_caller]
pub fn use_action<X>(action: &X) -> impl Fn(X::Arg) -> X::Output + Clone + Send + Sync + 'static
where
    X: Runnable + Clone + Send + Sync + 'static,
    X::Owner: ContextStore,
{
    use_action_in(&use_store::<X::Owner>(), action)
}

/// `action` run in `store`: the returned closure is `store.run(&action, arg)`.
pub fn use_action_in<S, X>(
    store: &S,
    action: &X,
) -> impl Fn(X::Arg) -> X::Output + Clone + Send + Sync + 'static
where
    S: Store + Send + Sync + 'static,
    X: Runnable + Clone + Send + Sync + 'static,
    X::Owner: UsableIn<S>,
{
    let (store, action) = (store.clone(), action.clone());
    move |arg| store.run(&action, arg)
}

/// A nexus effect ([`Store::effect`]) in the nearest provided store of type `S`, for as long as the
/// calling component is mounted: it is stopped in the owner's `on_cleanup`.
///
/// # Panics
/// Outside a reactive owner, or with no provider of `S` above; and as [`Store::effect`] does, if the
/// first run panics.
#[track_caller]
pub fn use_effect<S>(f: impl FnMut(&mut crate::EffectCtx<'_, S>) + Send + 'static)
where
    S: ContextStore,
{
    use_effect_in(&use_store::<S>(), f);
}

/// A nexus effect in `store`, stopped when the current owner is cleaned up.
///
/// # Panics
/// Outside a reactive owner; and as [`Store::effect`] does.
#[track_caller]
pub fn use_effect_in<S>(store: &S, f: impl FnMut(&mut crate::EffectCtx<'_, S>) + Send + 'static)
where
    S: Store + Send + Sync + 'static,
{
    require_owner("use_effect");
    let effect = store.effect(f);
    on_cleanup(move || drop(effect));
}
