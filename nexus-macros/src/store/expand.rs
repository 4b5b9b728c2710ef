//! Code generation for `store!`: the struct, and `impl_store!` for everything it implements.

use proc_macro2::TokenStream;
use quote::quote;

use super::validate::{Mode, Store};

pub(crate) fn store(store: &Store) -> TokenStream {
    let Store { attrs, vis, ident, mode } = store;
    let cfgs = attrs.iter().filter(|a| a.path().is_ident("cfg"));
    let has_docs = attrs.iter().any(|a| a.path().is_ident("doc"));
    let (mode_ident, mode_text) = match mode {
        Mode::Isolated => (quote!(Isolated), "isolated: every instance holds its own value of every atom it uses, its own atoms and `Global` ones alike"),
        Mode::Global => (quote!(Global), "global: `Global` primitive atoms read and write the one process-wide registry shared by every global-mode store; this store's own atoms stay per instance"),
    };
    let separator = has_docs.then(|| quote!(#[doc = ""]));
    let summary = format!(" The nexus store `{ident}`, made by `nexus::store!`.");
    let mode_doc = format!(" Mode: {mode_text}.");
    let usage = format!(
        " Declare atoms for it with `nexus::atom! {{ #![store({ident})] pub static CLICKS: u32 = 0; }}`, make an \
         instance with `{ident}::new()`, and use the atoms with `get`, `set`, `update`, `subscribe` and the other \
         methods below. Atoms of other stores are rejected at compile time."
    );
    let atoms_doc = " Its atoms are listed under *Trait Implementations* below, one `Declares<NAME>` each, \
         with its kind and type (`atom!` adds them; atoms declared in other crates are listed in those crates' \
         docs).";
    quote! {
        #(#attrs)*
        #separator
        #[doc = #summary]
        #[doc = ""]
        #[doc = #mode_doc]
        #[doc = ""]
        #[doc = #usage]
        #[doc = ""]
        #[doc = #atoms_doc]
        #vis struct #ident {
            #[doc(hidden)]
            __nexus_cell: ::nexus::__private::StoreCell,
        }

        #(#cfgs)*
        ::nexus::__private::impl_store!(#ident, #mode_ident);
    }
}
