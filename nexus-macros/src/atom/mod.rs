//! `atom!`: parse → validate → expand.

mod expand;
mod hints;
mod parse;
mod validate;

use proc_macro2::TokenStream;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let input: parse::AtomInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let (atoms, errors) = validate::validate(input);
    let mut out = errors.to_compile_errors();
    out.extend(atoms.iter().map(expand::atom));
    out
}
