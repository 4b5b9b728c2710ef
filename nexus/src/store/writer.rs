//! The `s` argument of writable atoms' write functions and of actions: [`Writer`], which reads and writes
//! through the store.

use std::marker::PhantomData;

use crate::core::owner::{Owner, UsableIn};
use crate::graph::access::Readable;
use crate::store::access::{Primitive, Runnable, Settable, Updatable};
use crate::store::instance::StoreShared;

/// What a writable atom's write function, or an action, gets as `s`: reads and writes atoms of the owner
/// `S` (and `Global` ones), and runs actions. All writes of one write function or action are one change
/// round: each affected subscriber is called at most once, after the function returns.
pub struct Writer<'a, S> {
    shared: &'a StoreShared,
    _owner: PhantomData<fn() -> S>,
}

impl<'a, S> Writer<'a, S> {
    /// The store it writes to.
    pub(crate) fn shared(&self) -> &'a StoreShared {
        self.shared
    }
}

impl<'a, S: Owner> Writer<'a, S> {
    pub(crate) fn new(shared: &'a StoreShared) -> Self {
        Writer { shared, _owner: PhantomData }
    }

    /// The current value of `atom`.
    pub fn get<A>(&mut self, atom: &A) -> A::Value
    where
        A: Readable,
        A::Owner: UsableIn<S>,
    {
        self.shared.get(atom.__atom())
    }

    /// Calls `f` with a borrow of `atom`'s current value.
    pub fn with<A, R>(&mut self, atom: &A, f: impl FnOnce(&A::Value) -> R) -> R
    where
        A: Readable,
        A::Owner: UsableIn<S>,
    {
        let value = self.shared.value(atom.__atom());
        f(value.downcast_ref::<A::Value>().expect("an atom's value has the atom's type"))
    }

    /// Sets a primitive atom, or runs a writable atom's write function.
    #[track_caller]
    pub fn set<A>(&mut self, atom: &A, value: A::Arg)
    where
        A: Settable,
        A::Owner: UsableIn<S>,
    {
        let _origin = self.shared.origin(std::panic::Location::caller());
        atom.__set(self.shared, value);
    }

    /// Modifies a primitive atom (or a field atom, see [`Updatable`]) in place.
    #[track_caller]
    pub fn update<A>(&mut self, atom: &A, f: impl FnOnce(&mut A::Value))
    where
        A: Updatable,
        A::Owner: UsableIn<S>,
    {
        let _origin = self.shared.origin(std::panic::Location::caller());
        let mut f = Some(f);
        atom.__update(self.shared, &mut |v| (f.take().expect("called once"))(v));
    }

    /// Puts a primitive atom back to its initial value.
    #[track_caller]
    pub fn reset<A>(&mut self, atom: &A)
    where
        A: Primitive,
        A::Owner: UsableIn<S>,
    {
        let _origin = self.shared.origin(std::panic::Location::caller());
        self.shared.reset(atom.__atom());
    }

    /// Runs another action (see [`Store::run`](crate::Store::run)): its writes join this batch, and tools
    /// show its run inside the current one.
    #[track_caller]
    pub fn run<X>(&mut self, action: &X, arg: X::Arg) -> X::Output
    where
        X: Runnable,
        X::Owner: UsableIn<S>,
    {
        let _origin = self.shared.origin(std::panic::Location::caller());
        action.__run(self.shared, arg)
    }
}
