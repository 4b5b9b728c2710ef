//! The grammar of the derive's helper attribute, `#[fields(..)]`. The item itself is Rust's grammar
//! (`syn::DeriveInput`): the compiler has parsed it already.

use proc_macro2::TokenTree;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Expr, Ident, Token};

mod kw {
    syn::custom_keyword!(skip);
    syn::custom_keyword!(key);
    syn::custom_keyword!(name);
}

/// How the options are written, for the messages that reject another shape.
pub(crate) const OPTIONS_SYNTAX: &str = "`#[fields(skip)]`, `#[fields(key)]` or `#[fields(name = \"…\")]`";

/// `#[fields( FieldOption,* )]`: each option parsed on its own, so that one bad option is reported
/// and the others still apply (a field meant to be skipped is skipped even next to a typo).
pub(crate) struct FieldOptions {
    pub(crate) options: Vec<syn::Result<FieldOption>>,
}

/// `skip` | `key` | `name = "…"` (the value is any expression here; validation wants a string literal).
pub(crate) enum FieldOption {
    Skip(kw::skip),
    Key(kw::key),
    // Boxed: an `Expr` is large (with syn's features as the workspace unifies them) and options are many.
    Name { token: kw::name, value: Box<Expr> },
}

impl FieldOption {
    /// The option's name, as written.
    pub(crate) fn keyword(&self) -> &'static str {
        match self {
            FieldOption::Skip(_) => "skip",
            FieldOption::Key(_) => "key",
            FieldOption::Name { .. } => "name",
        }
    }

    /// The option's name token: where errors about the option as a whole point.
    pub(crate) fn span(&self) -> proc_macro2::Span {
        match self {
            FieldOption::Skip(token) => token.span,
            FieldOption::Key(token) => token.span,
            FieldOption::Name { token, .. } => token.span,
        }
    }
}

impl Parse for FieldOptions {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut options = Vec::new();
        while !input.is_empty() {
            let option = input.parse::<FieldOption>();
            let failed = option.is_err();
            options.push(option);
            if failed {
                skip_to_comma(input)?;
            } else if !input.is_empty() {
                let lookahead = input.lookahead1();
                if !lookahead.peek(Token![,]) {
                    options.push(Err(lookahead.error()));
                    skip_to_comma(input)?;
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(FieldOptions { options })
    }
}

/// Moves past the tokens of a bad option, up to (not past) the next top-level comma.
fn skip_to_comma(input: ParseStream<'_>) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<TokenTree>()?;
    }
    Ok(())
}

impl Parse for FieldOption {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let lookahead = input.lookahead1();
        if lookahead.peek(kw::skip) {
            Ok(FieldOption::Skip(input.parse()?))
        } else if lookahead.peek(kw::key) {
            Ok(FieldOption::Key(input.parse()?))
        } else if lookahead.peek(kw::name) {
            let token: kw::name = input.parse()?;
            if !input.peek(Token![=]) {
                return Err(syn::Error::new(token.span, "`name` takes a string: `#[fields(name = \"…\")]`"));
            }
            input.parse::<Token![=]>()?;
            Ok(FieldOption::Name { token, value: input.parse()? })
        } else if input.peek(Ident::peek_any) {
            let ident = input.call(Ident::parse_any)?;
            Err(syn::Error::new_spanned(
                &ident,
                format!("unknown option `{ident}`, expected `skip`, `key` or `name = \"…\"`"),
            ))
        } else {
            Err(lookahead.error())
        }
    }
}
