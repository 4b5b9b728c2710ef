//! Checks on `store!` input: modes, generics, bodies, derives, duplicates.

use std::collections::HashSet;

use syn::{Attribute, Ident, Meta, Visibility};

use super::parse::{StoreInput, StoreItem};
use crate::error::Errors;

/// How `Global` atoms resolve in a store.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Isolated,
    Global,
}

/// A store ready to expand.
pub(crate) struct Store {
    /// Attributes forwarded to the struct (everything but `mode`).
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) ident: Ident,
    pub(crate) mode: Mode,
}

/// Validates every item; items with errors are still returned (as close to intended as possible) so the
/// user sees the real error only, not a cascade of "cannot find type".
pub(crate) fn validate(input: StoreInput) -> (Vec<Store>, Errors) {
    let mut errors = Errors::default();
    let mut seen = HashSet::new();
    let stores = input
        .items
        .into_iter()
        .map(|item| {
            if !seen.insert(item.ident.to_string()) {
                errors.push_spanned(&item.ident, format!("duplicate store `{}`", item.ident));
            }
            store(item, &mut errors)
        })
        .collect();
    (stores, errors)
}

fn store(item: StoreItem, errors: &mut Errors) -> Store {
    let StoreItem { attrs, vis, struct_token, ident, generics, body } = item;
    if !generics.params.is_empty() || generics.where_clause.is_some() {
        errors.push_spanned(
            &generics,
            format!("a store cannot be generic: declare `{ident}` as `struct {ident};`"),
        );
    }
    if let Some(body) = body {
        errors.push_spanned(
            body,
            format!("a store is a unit struct: write `struct {ident};` (its state lives in atoms declared with `atom!`)"),
        );
    }
    let _ = struct_token;
    let mut mode = None;
    let mut forwarded = Vec::new();
    for attr in attrs {
        if attr.path().is_ident("mode") {
            match parse_mode(&attr) {
                Ok(m) if mode.is_none() => mode = Some(m),
                Ok(_) => errors.push_spanned(&attr, "duplicate `mode` attribute"),
                Err(e) => errors.push(e),
            }
        } else if attr.path().is_ident("derive") {
            errors.push_spanned(
                &attr,
                "`store!` already implements `Clone`, `Debug` and `Default`: remove this `derive`",
            );
        } else {
            forwarded.push(attr);
        }
    }
    Store { attrs: forwarded, vis, ident, mode: mode.unwrap_or(Mode::Isolated) }
}

fn parse_mode(attr: &Attribute) -> syn::Result<Mode> {
    let Meta::List(list) = &attr.meta else {
        return Err(syn::Error::new_spanned(attr, "expected `#[mode(isolated)]` or `#[mode(global)]`"));
    };
    let ident: Ident = list
        .parse_args()
        .map_err(|_| syn::Error::new_spanned(&list.tokens, "expected `isolated` or `global`"))?;
    match ident.to_string().as_str() {
        "isolated" => Ok(Mode::Isolated),
        "global" => Ok(Mode::Global),
        other => Err(syn::Error::new_spanned(
            &ident,
            format!("unknown mode `{other}`, expected `isolated` or `global`"),
        )),
    }
}
