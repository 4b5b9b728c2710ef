//! The grammar of `atom!`.

use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Expr, Ident, Token, Type, Visibility};

/// `atom! { #![store(Path)]? AtomItem* }`
pub(crate) struct AtomInput {
    pub(crate) inner: Vec<Attribute>,
    pub(crate) items: Vec<AtomItem>,
}

/// The item keyword: `static`, or `const` (parsed only to be rejected with a clear message).
pub(crate) enum Keyword {
    Static,
    Const(Token![const]),
}

/// `#[attr]* vis static NAME: Type = init;` — the type and initializer are optional in the grammar so
/// that a missing one gets its own message.
pub(crate) struct AtomItem {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) keyword: Keyword,
    pub(crate) mutability: Option<Token![mut]>,
    pub(crate) ident: Ident,
    pub(crate) ty: Option<Type>,
    pub(crate) init: Option<Expr>,
    pub(crate) semi: Token![;],
}

/// The argument of `#[on_mount(Expr)]`: one function, `|store, set| { …; move || { /* unmount */ } }`.
pub(crate) struct OnMount {
    pub(crate) func: Expr,
}

/// How `on_mount`'s argument is written, for the messages that reject another shape.
pub(crate) const ON_MOUNT_SYNTAX: &str = "#[on_mount(|store, set| { …; move || { /* on unmount */ } })]";

impl Parse for OnMount {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let func = input.parse()?;
        if !input.is_empty() {
            return Err(input.error(format!("`on_mount` takes one function: `{ON_MOUNT_SYNTAX}`")));
        }
        Ok(OnMount { func })
    }
}

impl Parse for AtomInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let inner = input.call(Attribute::parse_inner)?;
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse()?);
        }
        Ok(AtomInput { inner, items })
    }
}

impl Parse for AtomItem {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let lookahead = input.lookahead1();
        let keyword = if lookahead.peek(Token![static]) {
            input.parse::<Token![static]>()?;
            Keyword::Static
        } else if input.peek(Token![const]) {
            Keyword::Const(input.parse()?)
        } else {
            return Err(lookahead.error());
        };
        let mutability = input.parse()?;
        let ident = input.parse()?;
        let ty = if input.peek(Token![:]) {
            input.parse::<Token![:]>()?;
            Some(input.parse()?)
        } else {
            None
        };
        let init = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            Some(input.parse()?)
        } else {
            None
        };
        let lookahead = input.lookahead1();
        if !lookahead.peek(Token![;]) {
            return Err(lookahead.error());
        }
        let semi = input.parse()?;
        Ok(AtomItem { attrs, vis, keyword, mutability, ident, ty, init, semi })
    }
}
