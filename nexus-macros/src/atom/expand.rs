//! Code generation for `atom!`: one `static` per item, built by the `declare_*!` wiring in `nexus`.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use super::validate::{Atom, Kind};

/// `declare_computed!`, or with a write function `declare_writable!`, given the sources `atom!` sees the
/// read function read (`[A, b::C]`, see `hints.rs`).
fn declare_derived(
    owner: &TokenStream,
    atom: &Atom,
    read: &syn::Expr,
    write: Option<(&syn::Expr, &TokenStream)>,
) -> TokenStream {
    let Atom { ty, name, ident, .. } = atom;
    let hints = super::hints::hints(read);
    match write {
        None => {
            quote!(::nexus::__private::declare_computed!(#owner, #ty, #name, #ident, #read, [#(#hints),*]))
        }
        Some((write, arg_ty)) => quote!(
            ::nexus::__private::declare_writable!(#owner, #ty, #arg_ty, #name, #ident, #read, #write, [#(#hints),*])
        ),
    }
}

pub(crate) fn atom(atom: &Atom) -> TokenStream {
    let Atom { attrs, vis, ident, ty, owner, name, kind, .. } = atom;
    let owner_tokens = owner.as_ref().map_or_else(|| quote!(::nexus::Global), ToTokens::to_token_stream);
    let owner_text = match owner {
        Some(path) => {
            let path = path.to_token_stream().to_string().replace(' ', "");
            format!("store [`{path}`]({path})")
        }
        None => "`Global` (usable with every store)".to_owned(),
    };
    let (static_ty, init, what) = match kind {
        Kind::Primitive { init, on_mount } => (
            quote!(::nexus::Atom<#ty, #owner_tokens>),
            {
                let (names, on_mount) = (names(atom), on_mount.as_ref().map(|f| mount_fn(ty, f)));
                quote!(
                    ::nexus::__private::declare_primitive!(#owner_tokens, #ty, #names, #ident, #init #on_mount)
                )
            },
            "Primitive atom".to_owned(),
        ),
        Kind::Computed(read) => (
            quote!(::nexus::Computed<#ty, #owner_tokens>),
            declare_derived(&owner_tokens, atom, read, None),
            "Computed atom (read-only, derived from the atoms its read function reads)".to_owned(),
        ),
        Kind::Async(load) => (
            quote!(::nexus::AsyncComputed<#ty, #owner_tokens>),
            {
                let names = names(atom);
                quote!(::nexus::__private::declare_async!(#owner_tokens, #ty, #names, #ident, #load))
            },
            "Async atom (loads its value with a future; reads see a `nexus::Loadable`)".to_owned(),
        ),
        Kind::Writable { read, write, arg } => {
            let arg_ty = arg.as_ref().map_or_else(|| ty.to_token_stream(), ToTokens::to_token_stream);
            (
                quote!(::nexus::Writable<#ty, #owner_tokens, #arg_ty>),
                declare_derived(&owner_tokens, atom, read, Some((write, &arg_ty))),
                format!(
                    "Writable derived atom (its write function takes `{}`)",
                    arg_ty.to_string().replace(' ', "")
                ),
            )
        }
        Kind::Action { run, arg, output } => (
            quote!(::nexus::Action<#arg, #output, #owner_tokens>),
            quote!(::nexus::__private::declare_action!(#owner_tokens, #arg, #output, #name, #ident, #run)),
            format!(
                "Action (takes `{}`, returns `{}`; run it with `store.run(&{ident}, arg)`)",
                arg.to_token_stream().to_string().replace(' ', ""),
                output.to_token_stream().to_string().replace(' ', "")
            ),
        ),
        Kind::Family { key, init, capacity } => (
            quote!(::nexus::Family<#key, #ty, #owner_tokens>),
            {
                let cap = capacity_tokens(capacity.as_ref());
                let names = names(atom);
                quote!(
                    ::nexus::__private::declare_family!(Family, #owner_tokens, #key, #ty, #names, #ident, #cap, #init)
                )
            },
            family_text("Atom family", key, capacity.as_ref()),
        ),
        Kind::AsyncFamily { key, load, capacity } => (
            quote!(::nexus::AsyncFamily<#key, #ty, #owner_tokens>),
            {
                let cap = capacity_tokens(capacity.as_ref());
                let names = names(atom);
                quote!(
                    ::nexus::__private::declare_async_family!(#owner_tokens, #key, #ty, #names, #ident, #cap, #load)
                )
            },
            family_text("Async atom family", key, capacity.as_ref()),
        ),
        Kind::ComputedFamily { key, read, capacity } => (
            quote!(::nexus::ComputedFamily<#key, #ty, #owner_tokens>),
            {
                let cap = capacity_tokens(capacity.as_ref());
                quote!(
                    ::nexus::__private::declare_family!(ComputedFamily, #owner_tokens, #key, #ty, #name, #cap, #read)
                )
            },
            family_text("Computed atom family", key, capacity.as_ref()),
        ),
    };
    let separator = attrs.iter().any(|a| a.path().is_ident("doc")).then(|| quote!(#[doc = ""]));
    let doc = format!(" {what} of {owner_text}, declared with `nexus::atom!`. Registry name: `{name}`.");
    let listing = owner.as_ref().map(|owner| listed_on_store_page(atom, owner, &what));
    quote! {
        #(#attrs)*
        #separator
        #[doc = #doc]
        #vis static #ident: #static_ty = #init;
        #listing
    }
}

/// `, on_mount = f` for `declare_primitive!`, `f` calling the user's function. The call is spanned on the
/// function's body, so that one that does not return a `Send` unmount closure (`()` for a forgotten
/// `move || …`) gets one error there, not on the whole `atom!` call (`declare_primitive!` checks the same
/// bounds again, on `f`, which meets them).
fn mount_fn(ty: &syn::Type, func: &syn::Expr) -> TokenStream {
    let span = match func {
        syn::Expr::Closure(closure) => syn::spanned::Spanned::span(&closure.body),
        other => syn::spanned::Spanned::span(other),
    };
    let call = quote::quote_spanned!(span=>
        ::nexus::__private::call_on_mount::<#ty, _, _>(#func, __nexus_store, __nexus_set)
    );
    quote!(, on_mount = |__nexus_store, __nexus_set| #call)
}

/// `Names::new(registry name, whether #[name] gave it, [aliases])`: what the snapshot key is made of.
fn names(atom: &Atom) -> TokenStream {
    let Atom { name, name_given, aliases, .. } = atom;
    quote!(::nexus::__private::Names::new(#name, #name_given, &[#(#aliases),*]))
}

/// `impl Declares<IDENT> for Store`, with a public marker type named after the atom (the type namespace
/// is free: the atom itself is a `static`), so that the store's documentation page lists the atom, its
/// kind and type under *Trait Implementations*. Rustdoc drops impls whose types users cannot reach, so
/// the marker cannot hide in a `const _` block.
fn listed_on_store_page(atom: &Atom, owner: &syn::Path, what: &str) -> TokenStream {
    let Atom { attrs, vis, ident, ty, name, .. } = atom;
    let cfgs: Vec<_> = attrs.iter().filter(|a| a.path().is_ident("cfg")).collect();
    let ty_text = ty.to_token_stream().to_string().replace(' ', "");
    let owner_text = owner.to_token_stream().to_string().replace(' ', "");
    let impl_doc =
        format!(" [`{ident}`](static@{ident}): {what}, of type `{ty_text}`. Registry name: `{name}`.");
    let marker_doc = format!(
        " Marks the atom [`{ident}`](static@{ident}) on the documentation page of `{owner_text}` (see \
         [`nexus::Declares`](::nexus::Declares)). Not for use in code."
    );
    quote! {
        #(#cfgs)*
        #[allow(non_camel_case_types)]
        #[doc = #marker_doc]
        #vis enum #ident {}
        #(#cfgs)*
        #[doc = #impl_doc]
        impl ::nexus::Declares<#ident> for #owner {}
    }
}
fn capacity_tokens(capacity: Option<&syn::LitInt>) -> TokenStream {
    capacity.map_or_else(
        || quote!(::core::option::Option::None),
        |lit| quote!(::core::option::Option::Some(#lit)),
    )
}

fn family_text(what: &str, key: &syn::Type, capacity: Option<&syn::LitInt>) -> String {
    let key = key.to_token_stream().to_string().replace(' ', "");
    match capacity {
        Some(lit) => format!(
            "{what} keyed by `{key}`, keeping at most {} keys (least recently used evicted)",
            lit.base10_digits()
        ),
        None => format!("{what} keyed by `{key}`"),
    }
}
