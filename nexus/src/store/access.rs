//! What a store may do with an atom beyond reading it: [`Settable`] (`set`) and [`Primitive`] (`update`,
//! `reset`). Implemented by the handles in `atoms/`.

use crate::graph::access::Readable;
use crate::store::instance::StoreShared;

/// An atom that `set` accepts: [`Atom`](crate::Atom) (stores the value) and [`Writable`](crate::Writable) (runs its write function).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be set: a computed atom is read-only",
    label = "computed atoms have no `set`",
    note = "declare it with `writable(read, write)` to give it a write function"
)]
pub trait Settable: Readable {
    /// What `set` takes: the value for a primitive, the write argument for a writable atom.
    type Arg;
    #[doc(hidden)]
    fn __set(&self, store: &StoreShared, arg: Self::Arg);
}

/// A primitive atom: one that `update` and `reset` accept.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is derived: only primitive atoms (`nexus::Atom`) can be updated or reset",
    label = "derived atoms compute their value; `update` and `reset` need a primitive atom"
)]
pub trait Primitive: Readable {}
