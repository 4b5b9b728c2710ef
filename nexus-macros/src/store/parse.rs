//! The grammar of `store!`.

use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Generics, Ident, Token, Visibility};

/// `store! { StoreItem+ }`
pub(crate) struct StoreInput {
    pub(crate) items: Vec<StoreItem>,
}

/// `#[attr]* vis struct Name;` — a body (`{ … }` or `( … )`) or generics are parsed so that validation can
/// reject them with a precise message.
pub(crate) struct StoreItem {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) struct_token: Token![struct],
    pub(crate) ident: Ident,
    pub(crate) generics: Generics,
    /// The span of a body where a `;` was expected.
    pub(crate) body: Option<proc_macro2::TokenStream>,
}

impl Parse for StoreInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse()?);
        }
        if items.is_empty() {
            return Err(input.error("expected a store: `pub struct Name;`"));
        }
        Ok(StoreInput { items })
    }
}

impl Parse for StoreItem {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let lookahead = input.lookahead1();
        if !lookahead.peek(Token![struct]) {
            return Err(lookahead.error());
        }
        let struct_token = input.parse()?;
        let ident = input.parse()?;
        let mut generics: Generics = input.parse()?;
        generics.where_clause = input.parse()?;
        let lookahead = input.lookahead1();
        let body = if lookahead.peek(Token![;]) {
            input.parse::<Token![;]>()?;
            None
        } else if lookahead.peek(syn::token::Brace) || lookahead.peek(syn::token::Paren) {
            let group: proc_macro2::TokenTree = input.parse()?;
            // A tuple struct may end with `;`.
            let _ = input.parse::<Option<Token![;]>>()?;
            Some(group.into())
        } else {
            return Err(lookahead.error());
        };
        Ok(StoreItem { attrs, vis, struct_token, ident, generics, body })
    }
}
