//! What makes an [`AsyncComputed`] a handle: clones share the atom, equality is identity, it reads as a
//! `Loadable<T>`, `store.load` accepts it, and families keep it weakly.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Weak};

use crate::atoms::async_computed::{AsyncComputed, Inner, Source};
use crate::atoms::handle::RuntimeHandle;
use crate::core::loadable::{LoadError, Loadable};
use crate::core::owner::{Owner, Sealed, UsableIn};
use crate::graph::access::{AtomRef, Readable, ValueEq};
use crate::store::instance::StoreShared;
use crate::store::loads::{AsyncAtom, LoadIn, LoadStep};

impl<T: 'static, S: 'static> Clone for AsyncComputed<T, S> {
    fn clone(&self) -> Self {
        let source = match &self.source {
            Source::Static(decl) => Source::Static(decl),
            Source::Runtime(inner) => Source::Runtime(inner.clone()),
        };
        AsyncComputed { source }
    }
}

impl<T: 'static, S: 'static> PartialEq for AsyncComputed<T, S> {
    /// Two handles are equal when they are the same atom (clones of one another).
    fn eq(&self, other: &Self) -> bool {
        match (&self.source, &other.source) {
            (Source::Static(a), Source::Static(b)) => std::ptr::eq(*a, *b),
            (Source::Runtime(a), Source::Runtime(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl<T: 'static, S: 'static> Eq for AsyncComputed<T, S> {}

impl<T: 'static, S: 'static> fmt::Debug for AsyncComputed<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncComputed").finish_non_exhaustive()
    }
}

impl<T: 'static, S: 'static> Sealed for AsyncComputed<T, S> {}

impl<T: Clone + Send + Sync + 'static, S: Owner + UsableIn<S>> Readable for AsyncComputed<T, S> {
    type Value = Loadable<T>;
    type Owner = S;
    #[inline]
    fn __atom(&self) -> AtomRef<'_> {
        self.inner().value().__atom()
    }
    fn __value_eq(&self) -> Option<ValueEq<Loadable<T>>> {
        self.inner().loadable_eq
    }
}

impl<T: Clone + Send + Sync + 'static, S: Owner + UsableIn<S>> AsyncAtom for AsyncComputed<T, S> {
    type Output = T;
    fn __load(&self, store: Arc<StoreShared>) -> Pin<Box<dyn Future<Output = Result<T, LoadError>> + Send>> {
        Box::pin(self.inner().clone().load(store))
    }
}

impl<T, O, S> LoadIn<S> for AsyncComputed<T, O>
where
    T: Clone + Send + Sync + 'static,
    O: Owner + UsableIn<O> + UsableIn<S>,
{
    fn __load_step(&self, store: &Arc<StoreShared>) -> LoadStep {
        let (inner, store) = (self.inner().clone(), store.clone());
        Box::new(move || {
            let loading = store.get::<Loadable<T>>(inner.value().__atom()).is_loading();
            let (inner, store) = (inner.clone(), store.clone());
            loading.then(|| {
                Box::pin(async move {
                    // Its result is the store's to show; `load_all` only waits for it.
                    let _ = inner.load(store).await;
                }) as Pin<Box<dyn Future<Output = ()> + Send>>
            })
        })
    }
}

/// The weak form of an async atom made at run time (families keep let-go atoms so).
pub(crate) type WeakAsync<T, S> = Option<Weak<Inner<T, S>>>;

impl<T: Clone + Send + Sync + 'static, S: Owner> RuntimeHandle for AsyncComputed<T, S> {
    type Weak = WeakAsync<T, S>;
    fn downgrade(&self) -> Self::Weak {
        match &self.source {
            Source::Runtime(inner) => Some(Arc::downgrade(inner)),
            Source::Static(_) => None,
        }
    }
    fn upgrade(weak: &Self::Weak) -> Option<Self> {
        weak.as_ref()?.upgrade().map(|inner| AsyncComputed { source: Source::Runtime(inner) })
    }
    fn is_alive(weak: &Self::Weak) -> bool {
        weak.as_ref().is_some_and(|w| w.strong_count() > 0)
    }
}
