//! What a store may do with an atom beyond reading it: [`Settable`] (`set`) and [`Primitive`] (`update`,
//! `reset`); and what `run` takes: [`Runnable`] (actions). Implemented by the handles in `atoms/`.

use crate::core::owner::{Owner, Sealed};
use crate::graph::access::Readable;
use crate::store::instance::StoreShared;

/// An atom that `set` accepts: [`Atom`](crate::Atom) (stores the value) and [`Writable`](crate::Writable) (runs its write function).
// One message for every type `set` refuses: rustc cannot tell a computed atom from a family here, so
// the notes cover both (a family also gets `Readable`'s note, as `set` requires that trait too).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be set",
    label = "`set` takes a primitive (`nexus::Atom`) or a `nexus::Writable` atom",
    note = "a computed atom is read-only: declare it with `writable(read, write)` to give it a write function",
    note = "a field atom of a computed atom is read-only too: write the atoms the computed atom reads",
    note = "a family is not an atom: use `.at(key)`, as in `s.set(&TODO.at(id), value)`"
)]
pub trait Settable: Readable {
    /// What `set` takes: the value for a primitive, the write argument for a writable atom.
    type Arg;
    #[doc(hidden)]
    fn __set(&self, store: &StoreShared, arg: Self::Arg);
}

/// A primitive atom: one that `reset` accepts (and `update`, see [`Updatable`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is derived: only primitive atoms (`nexus::Atom`) can be reset",
    label = "derived atoms compute their value; `reset` needs a primitive atom"
)]
pub trait Primitive: Readable {}

/// An atom that `update` accepts: a primitive [`Atom`](crate::Atom) (read, modify and write under one
/// lock, so concurrent updates never lose one another), a field atom (the same, on its field of the
/// parent's value: see [`Focus`](crate::Focus)), or any other [`Writable`](crate::Writable) whose write
/// argument is its value (its value read, modified, and written through its write function: two steps,
/// so concurrent updates of it can lose one another).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be updated",
    label = "`update` takes a primitive atom (`nexus::Atom`), a field atom or a `nexus::Writable` whose write argument is its value",
    note = "a computed atom is read-only: declare it with `writable(read, write)` to give it a write function"
)]
pub trait Updatable: Readable {
    #[doc(hidden)]
    fn __update(&self, store: &StoreShared, f: &mut dyn FnMut(&mut Self::Value));
}

/// An action: what [`Store::run`](crate::Store::run) takes ([`Action`](crate::Action)).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an action",
    label = "`run` takes a `nexus::Action`",
    note = "declare one with `action(|s, arg| …)` in `nexus::atom!`, or make one with `nexus::Action::new`"
)]
pub trait Runnable: Sealed {
    /// What the action takes.
    type Arg;
    /// What the action returns.
    type Output;
    /// The owning store type, or [`Global`](crate::Global).
    type Owner: Owner;
    #[doc(hidden)]
    fn __run(&self, store: &StoreShared, arg: Self::Arg) -> Self::Output;
}
