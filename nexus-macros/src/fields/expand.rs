//! Code generation for `#[derive(Fields)]`: the extension trait `<Struct>Fields` with one method per
//! field, its blanket impl for every atom of the struct (`::nexus::Focus<Value = Struct>`), and
//! `::nexus::Keyed` when a field is `#[fields(key)]`. Each method's body is a `static` field description
//! (name, accessors, value operations) handed to `Focus::__field`: the behaviour lives in `nexus`.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::ext::IdentExt;
use syn::Ident;

use super::validate::{Field, Fields};

pub(crate) fn fields(fields: &Fields) -> TokenStream {
    let Fields { vis, ident, derived, key } = fields;
    let trait_ident = Ident::new(&format!("{}Fields", ident.unraw()), ident.span());
    let Some(fields) = derived else {
        // The item could not be derived: an empty trait, so that imports of it still resolve.
        let doc = format!(
            " Field atoms of `{}` (none: see the error on `#[derive(nexus::Fields)]`).",
            ident.unraw()
        );
        return quote! {
            #[doc = #doc]
            #vis trait #trait_ident {}
        };
    };
    let trait_doc = trait_doc(ident, fields, key.as_ref(), &trait_ident);
    let declarations = fields.iter().map(|field| declaration(ident, field));
    let definitions = fields.iter().map(|field| definition(ident, field));
    let keyed = key.as_ref().map(|key| keyed(ident, key));
    let listed = listed(vis, ident, fields, &trait_ident);
    quote! {
        #listed

        #(#[doc = #trait_doc])*
        #vis trait #trait_ident: ::nexus::Focus<Value = #ident> {
            #(#declarations)*
        }

        impl<__A: ::nexus::Focus<Value = #ident>> #trait_ident for __A {
            #(#definitions)*
        }

        #keyed
    }
}

/// An inherent constant naming the field atoms, so that the struct's own documentation page shows them
/// (the trait is implemented for atoms, not for the struct, so its page would not).
fn listed(vis: &syn::Visibility, ident: &Ident, fields: &[Field], trait_ident: &Ident) -> TokenStream {
    let names: Vec<String> = fields.iter().map(|f| f.ident.unraw().to_string()).collect();
    let mut doc = vec![format!(
        " The field atoms that `#[derive(nexus::Fields)]` made for `{}`: for an atom `A` of this type,          `A.field()` is an atom of that field (methods of [`{trait_ident}`], in scope once imported).",
        ident.unraw()
    )];
    doc.push(String::new());
    for field in fields {
        doc.push(format!(
            " - [`{0}`]({trait_ident}::{0}): `{1}`, shown by tools as `PARENT.{2}`",
            field.ident.unraw(),
            type_text(&field.ty),
            field.name
        ));
    }
    quote! {
        impl #ident {
            #(#[doc = #doc])*
            #vis const FIELD_ATOMS: &'static [&'static str] = &[#(#names),*];
        }
    }
}

/// The trait's documentation, one line per `#[doc]`.
fn trait_doc(ident: &Ident, fields: &[Field], key: Option<&Field>, trait_ident: &Ident) -> Vec<String> {
    let name = ident.unraw();
    let mut doc = vec![
        format!(" Field atoms of [`{name}`], one method per field: made by `#[derive(nexus::Fields)]`."),
        String::new(),
        " A field atom is an atom of one field of its parent atom's value, owned by the same store: reading it \
         reads the parent's current value, writing it writes the parent with only that field changed (a field \
         atom of a computed atom is read-only), and its observers are told only when that field changed."
            .to_owned(),
        String::new(),
    ];
    let usage = match fields.first() {
        Some(first) => format!(
            " Implemented for every atom of value type `{name}` (`nexus::Focus<Value = {name}>`), field atoms \
             included: bring `{trait_ident}` into scope and call `ATOM.{}()`.",
            first.ident
        ),
        None => {
            format!(" Implemented for every atom of value type `{name}`; `{name}` has no field atoms.")
        }
    };
    doc.push(usage);
    if let Some(key) = key {
        doc.push(String::new());
        doc.push(format!(
            " `{name}` is keyed by its field `{}` (`#[fields(key)]`): the element atoms of a list atom of \
             `{name}` values are found by it (`LIST.each().at(&key)`).",
            key.ident
        ));
    }
    doc
}

/// The method's declaration in the trait, with the field's docs and generated ones.
fn declaration(ident: &Ident, field: &Field) -> TokenStream {
    let Field { ident: method, ty, name, docs, cfgs } = field;
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    let ty_text = type_text(ty);
    let struct_name = ident.unraw();
    let summary = format!(
        " The field atom of `{struct_name}::{}` (`{ty_text}`), of the same store as the atom it is called on.",
        method.unraw()
    );
    let behaviour = format!(
        " Reading it reads the parent's current value and gives its `{}`; writing it (when the parent is \
         writable) writes the parent with only this field changed, as one change of the parent; observers of \
         this field atom are told only when this field changed. Tools show it as `PARENT.{name}`.",
        method.unraw()
    );
    quote! {
        #(#docs)*
        #separator
        #[doc = #summary]
        #[doc = ""]
        #[doc = #behaviour]
        #(#cfgs)*
        fn #method(&self) -> ::nexus::FieldAtom<Self, #ty>;
    }
}

/// The method in the blanket impl: a `static` description of the field, handed to the runtime.
fn definition(ident: &Ident, field: &Field) -> TokenStream {
    let Field { ident: method, ty, name, cfgs, .. } = field;
    quote! {
        #(#cfgs)*
        #[inline]
        fn #method(&self) -> ::nexus::FieldAtom<Self, #ty> {
            static __NEXUS_FIELD: ::nexus::__private::FieldDesc<#ident, #ty> =
                ::nexus::__private::FieldDesc::new(
                    #name,
                    |v: &#ident| &v.#method,
                    |v: &mut #ident| &mut v.#method,
                    ::nexus::__private::value_ops!(#ty),
                );
            ::nexus::Focus::__field(self, &__NEXUS_FIELD)
        }
    }
}

/// `impl ::nexus::Keyed` for a struct with a `#[fields(key)]` field.
fn keyed(ident: &Ident, key: &Field) -> TokenStream {
    let Field { ident: field, ty, cfgs, .. } = key;
    let doc = format!(" Keyed by its field `{}` (`#[fields(key)]`).", field.unraw());
    quote! {
        #(#cfgs)*
        #[doc = #doc]
        impl ::nexus::Keyed for #ident {
            type Key = #ty;
            #[inline]
            fn key(&self) -> &#ty {
                &self.#field
            }

            fn __debug() -> ::core::option::Option<
                fn(&Self, &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result,
            > {
                (::nexus::__private::value_ops!(#ident))().debug_fn()
            }
        }
    }
}

/// A type as written, without the spaces `TokenStream`'s `Display` puts between every two tokens (kept
/// between two words: `&'static str`, `dyn Fn()`).
pub(crate) fn type_text(ty: &impl ToTokens) -> String {
    let spaced = ty.to_token_stream().to_string();
    let chars: Vec<char> = spaced.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            c != ' ' || (i > 0 && i + 1 < chars.len() && word(chars[i - 1]) && word(chars[i + 1]))
        })
        .map(|(_, &c)| c)
        .collect()
}
