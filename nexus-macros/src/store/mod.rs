//! `store!`: parse → validate → expand.

mod expand;
mod parse;
mod validate;

use proc_macro2::TokenStream;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let input: parse::StoreInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let (stores, errors) = validate::validate(input);
    let mut out = errors.to_compile_errors();
    out.extend(stores.iter().map(expand::store));
    out
}
