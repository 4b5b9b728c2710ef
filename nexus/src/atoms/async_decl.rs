//! What the code `atom!` generates for async atoms reaches: a declared async atom's definition
//! ([`AsyncDecl`], a `static` whose parts are made on first use) and the helpers that give the user's
//! function its signature and box its future.

use std::future::Future;
use std::sync::{Arc, OnceLock};

use crate::atoms::async_computed::Inner;
use crate::core::loadable::{LoadError, Loadable};
use crate::core::owner::{Owner, UsableIn};
use crate::core::value_ops::ValueOps;
use crate::graph::reader::Reader;
use crate::store::loads::{DeclaredAsync, LoadFuture, MakePending};

/// A declared async atom's definition (made by `declare_async!`).
#[doc(hidden)]
pub struct AsyncDecl<T: 'static, S: 'static> {
    pub(crate) name: &'static str,
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
        name: &'static str,
        module: &'static str,
        make: fn(&mut Reader<'_, S>) -> LoadFuture<T>,
        ops: fn() -> ValueOps<T>,
        loadable_ops: fn() -> ValueOps<Loadable<T>>,
    ) -> Self {
        AsyncDecl { name, module, make, ops, loadable_ops, inner: OnceLock::new() }
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

/// Gives a declared async atom's function its signature, so that its `s` is typed (used by generated
/// code).
#[doc(hidden)]
pub fn async_fn<T, S, E, Fut, F>(f: F) -> F
where
    F: Fn(&mut Reader<'_, S>) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    f
}

/// The same for an async family's function, which also gets the key.
#[doc(hidden)]
pub fn async_family_fn<K, T, S, E, Fut, F>(f: F) -> F
where
    F: Fn(&K, &mut Reader<'_, S>) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    f
}

/// Boxes what an async atom's function returned, its error made a [`LoadError`] (used by generated code).
#[doc(hidden)]
pub fn boxed_load<T, E, F>(future: F) -> LoadFuture<T>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    E: std::error::Error + Send + Sync + 'static,
{
    Box::pin(async move { future.await.map_err(LoadError::failed) })
}
