//! Code generation for `atom!`: one `static` per item, built by the `declare_*!` wiring in `nexus`.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use super::validate::{Atom, Kind};

pub(crate) fn atom(atom: &Atom) -> TokenStream {
    let Atom { attrs, vis, ident, ty, owner, name, kind } = atom;
    let owner_tokens = owner.as_ref().map_or_else(|| quote!(::nexus::Global), ToTokens::to_token_stream);
    let owner_text = match owner {
        Some(path) => format!("store `{}`", path.to_token_stream().to_string().replace(' ', "")),
        None => "`Global` (usable with every store)".to_owned(),
    };
    let (static_ty, init, what) = match kind {
        Kind::Primitive(init) => (
            quote!(::nexus::Atom<#ty, #owner_tokens>),
            quote!(::nexus::__private::declare_primitive!(#owner_tokens, #ty, #name, #ident, #init)),
            "Primitive atom".to_owned(),
        ),
        Kind::Computed(read) => (
            quote!(::nexus::Computed<#ty, #owner_tokens>),
            quote!(::nexus::__private::declare_computed!(#owner_tokens, #ty, #name, #ident, #read)),
            "Computed atom (read-only, derived from the atoms its read function reads)".to_owned(),
        ),
        Kind::Writable { read, write, arg } => {
            let arg_ty = arg.as_ref().map_or_else(|| ty.to_token_stream(), ToTokens::to_token_stream);
            (
                quote!(::nexus::Writable<#ty, #owner_tokens, #arg_ty>),
                quote!(
                    ::nexus::__private::declare_writable!(#owner_tokens, #ty, #arg_ty, #name, #ident, #read, #write)
                ),
                format!(
                    "Writable derived atom (its write function takes `{}`)",
                    arg_ty.to_string().replace(' ', "")
                ),
            )
        }
        Kind::Family { key, init, capacity } => (
            quote!(::nexus::Family<#key, #ty, #owner_tokens>),
            {
                let cap = capacity_tokens(capacity.as_ref());
                quote!(::nexus::__private::declare_family!(#owner_tokens, #key, #ty, #name, #cap, #init))
            },
            family_text("Atom family", key, capacity.as_ref()),
        ),
        Kind::ComputedFamily { key, read, capacity } => (
            quote!(::nexus::ComputedFamily<#key, #ty, #owner_tokens>),
            {
                let cap = capacity_tokens(capacity.as_ref());
                quote!(
                    ::nexus::__private::declare_computed_family!(#owner_tokens, #key, #ty, #name, #cap, #read)
                )
            },
            family_text("Computed atom family", key, capacity.as_ref()),
        ),
    };
    let separator = attrs.iter().any(|a| a.path().is_ident("doc")).then(|| quote!(#[doc = ""]));
    let doc = format!(" {what} of {owner_text}, declared with `nexus::atom!`. Registry name: `{name}`.");
    quote! {
        #(#attrs)*
        #separator
        #[doc = #doc]
        #vis static #ident: #static_ty = #init;
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
