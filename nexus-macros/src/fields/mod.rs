//! `#[derive(Fields)]`: parse → validate → expand.

mod expand;
mod parse;
mod validate;

use proc_macro2::TokenStream;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let (fields, errors) = validate::validate(input);
    let mut out = errors.to_compile_errors();
    out.extend(expand::fields(&fields));
    out
}

#[cfg(test)]
mod tests;
