//! What the code `atom!` generates for async atoms reaches: a declared async atom's definition
//! ([`AsyncDecl`], a `static` whose parts are made on first use) and the helpers that give the user's
//! function its signature and box its future.

use std::future::Future;
use std::sync::{Arc, OnceLock};

use crate::atoms::async_computed::Inner;
use crate::core::info::Names;
use crate::core::loadable::{IntoLoadError, Loadable};
use crate::core::owner::{Owner, UsableIn};
use crate::core::value_ops::ValueOps;
use crate::graph::reader::Reader;
use crate::store::loads::{DeclaredAsync, LoadFuture, MakePending};

/// A declared async atom's definition (made by `declare_async!`).
#[doc(hidden)]
pub struct AsyncDecl<T: 'static, S: 'static> {
    pub(crate) name: &'static str,
    /// Its names as `atom!` wrote them: `#[name]` (the snapshot key, if given) and `#[alias]`.
    pub(crate) names: Names,
    pub(crate) module: &'static str,
    pub(crate) make: fn(&mut Reader<'_, S>) -> LoadFuture<T>,
    /// What the declaration site detected of `T` (its JSON functions carry loaded values in snapshots).
    pub(crate) ops: fn() -> ValueOps<T>,
    /// And of `Loadable<T>` (its `Debug`, when `T` has one, shows the state in tools).
    pub(crate) loadable_ops: fn() -> ValueOps<Loadable<T>>,
    /// The atom's parts, made on first use.
    pub(crate) inner: OnceLock<Arc<Inner<T, S>>>,
}

impl<T, S> AsyncDecl<T, S> {
    /// The definition of the declared async atom `module::name`.
    pub const fn new(
        names: Names,
        module: &'static str,
        make: fn(&mut Reader<'_, S>) -> LoadFuture<T>,
        ops: fn() -> ValueOps<T>,
        loadable_ops: fn() -> ValueOps<Loadable<T>>,
    ) -> Self {
        AsyncDecl { name: names.name, names, module, make, ops, loadable_ops, inner: OnceLock::new() }
    }
}

impl<T, S> AsyncDecl<T, S>
where
    T: Clone + Send + Sync + 'static,
    S: Owner + UsableIn<S>,
{
    /// Its entry in the catalogue of declared async atoms (submitted by generated code).
    pub const fn declared(&'static self) -> DeclaredAsync {
        DeclaredAsync(self)
    }
}

impl<T, S> MakePending for AsyncDecl<T, S>
where
    T: Clone + Send + Sync + 'static,
    S: Owner + UsableIn<S>,
{
    fn make(&self) {
        let _ = self.inner_or_init();
    }
}

/// Runs a declared async atom's function `load` with `s` and boxes the future it returns, its error made
/// a [`LoadError`](crate::LoadError) (used by generated code). Generic over the user's function, so that
/// it gets its signature (`s` typed) here, and so that an error type that is not accepted is reported on
/// that function, as `LoadFn`'s message.
#[doc(hidden)]
pub fn async_load<T, S, E, Fut, F>(load: F, s: &mut Reader<'_, S>) -> LoadFuture<T>
where
    F: Fn(&mut Reader<'_, S>) -> Fut + LoadFn<S, T, E, Fut>,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
{
    load.__boxed(load(s))
}

/// The same for an async family's function, which also gets the key.
#[doc(hidden)]
pub fn async_family_load<K, T, S, E, Fut, F>(load: F, key: &K, s: &mut Reader<'_, S>) -> LoadFuture<T>
where
    F: Fn(&K, &mut Reader<'_, S>) -> Fut + LoadFn<S, T, E, Fut>,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
{
    load.__boxed(load(key, s))
}

/// A declared async atom's (or async family's) function whose future fails with an accepted error type:
/// implemented for every function whose `E` is [`IntoLoadError`]. A trait of the function, not of `E`,
/// so that the compiler reports a refused `E` on the user's function (the argument of
/// [`async_load`]), not somewhere inside the macro's expansion.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{E}` cannot be the error type of an async atom",
    label = "this function's future returns `Result<_, {E}>`",
    note = "an async atom's future may fail with any `E: Into<Box<dyn std::error::Error + Send + Sync>>`: a type implementing `std::error::Error + Send + Sync + 'static`, `Box<dyn Error + Send + Sync>`, `String`, `&str` or `anyhow::Error`"
)]
pub trait LoadFn<S, T, E, Fut> {
    /// Boxes `future` (returned by this function), its error made a `LoadError`.
    fn __boxed(&self, future: Fut) -> LoadFuture<T>
    where
        Fut: Future<Output = Result<T, E>> + Send + 'static;
}

// `do_not_recommend`: a refused `E` is reported with `LoadFn`'s message, on the function.
#[diagnostic::do_not_recommend]
impl<S, T, E: IntoLoadError, Fut, F> LoadFn<S, T, E, Fut> for F {
    fn __boxed(&self, future: Fut) -> LoadFuture<T>
    where
        Fut: Future<Output = Result<T, E>> + Send + 'static,
    {
        boxed_load(future)
    }
}

/// Boxes what an async atom's function returned, its error made a [`LoadError`](crate::LoadError).
pub(crate) fn boxed_load<T, E, F>(future: F) -> LoadFuture<T>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    E: IntoLoadError,
{
    Box::pin(async move { future.await.map_err(IntoLoadError::__into_load_error) })
}
