//! Checks on `#[derive(Fields)]` input: the item's shape, the `#[fields(..)]` options, the key, the names.

use std::collections::HashMap;

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Attribute, Data, DeriveInput, Expr, Ident, Lit, LitStr, Meta, Type, Visibility};

use super::parse::{FieldOption, FieldOptions, OPTIONS_SYNTAX};
use crate::error::Errors;

/// What to expand: the extension trait of `ident`, and `Keyed` when a field is the key.
pub(crate) struct Fields {
    pub(crate) vis: Visibility,
    pub(crate) ident: Ident,
    /// `None` when the item is not a non-generic struct with named fields: its trait is then an empty
    /// stub, so that `use …::UserFields` still resolves and the user sees the one real error.
    pub(crate) derived: Option<Vec<Field>>,
    pub(crate) key: Option<Field>,
}

/// One field that gets a field atom (or is the key).
#[derive(Clone)]
pub(crate) struct Field {
    pub(crate) ident: Ident,
    /// The field's type, with `Self` replaced by the struct's name (in the trait, `Self` is the atom).
    pub(crate) ty: Type,
    /// The name tools show: the identifier (without `r#`), or `#[fields(name = "…")]`.
    pub(crate) name: String,
    /// The field's `#[doc]` and `#[cfg]` attributes, forwarded to its method.
    pub(crate) docs: Vec<Attribute>,
    pub(crate) cfgs: Vec<Attribute>,
}

const DERIVE: &str = "`#[derive(nexus::Fields)]`";

/// Method names every atom has already, with what they are: a field atom method of that name would be
/// ambiguous (a trait method of the prelude) or never called (an inherent method wins).
const TAKEN_METHODS: &[(&str, &str)] = &[
    ("clone", "`Clone::clone`"),
    ("clone_from", "`Clone::clone_from`"),
    ("to_owned", "`ToOwned::to_owned`"),
    ("eq", "`PartialEq::eq`"),
    ("ne", "`PartialEq::ne`"),
    ("registry_name", "the atoms' own `registry_name`"),
    ("on_mount", "`Atom::on_mount`"),
];

pub(crate) fn validate(input: DeriveInput) -> (Fields, Errors) {
    let DeriveInput { attrs, vis, ident, generics, data } = input;
    let mut errors = Errors::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("fields")) {
        errors.push_spanned(
            attr,
            format!("`#[fields(..)]` goes on the fields of `{ident}`, not on the struct: {OPTIONS_SYNTAX}"),
        );
    }
    let generic = !generics.params.is_empty();
    if generic {
        let (lt, params, gt) = (&generics.lt_token, &generics.params, &generics.gt_token);
        errors.push_spanned(
            quote::quote!(#lt #params #gt),
            format!(
                "{DERIVE} does not support generic structs yet: `{ident}` has generic parameters (each field \
                 atom's description is a `static`, which cannot depend on them)"
            ),
        );
    }
    let Some(named) = named_fields(&ident, data, &mut errors) else {
        return (Fields { vis, ident, derived: None, key: None }, errors);
    };

    let mut fields = Vec::new();
    let mut key: Option<Field> = None;
    // Tools name → the field that has it, for duplicates.
    let mut taken: HashMap<String, Ident> = HashMap::new();
    for field in named.named {
        let field_ident = field.ident.expect("a named field has an identifier");
        let options = options(&field.attrs, &mut errors);
        // syn parses `_: T` (unnamed fields, unstable in Rust): no method can be named `_`.
        if field_ident == "_" {
            errors.push_spanned(
                &field_ident,
                format!("{DERIVE} needs named fields: `_` cannot name a field atom"),
            );
            continue;
        }
        let field = Field {
            name: options.name.as_ref().map_or_else(|| field_ident.unraw().to_string(), LitStr::value),
            ty: replace_self(&field.ty, &ident),
            docs: field.attrs.iter().filter(|a| a.path().is_ident("doc")).cloned().collect(),
            cfgs: field.attrs.iter().filter(|a| a.path().is_ident("cfg")).cloned().collect(),
            ident: field_ident,
        };
        if let Some(token) = options.key {
            match &key {
                Some(first) => errors.push(syn::Error::new(
                    token,
                    format!(
                        "duplicate key: `{}` is already the key of `{ident}`; only one field can be `#[fields(key)]`",
                        first.ident
                    ),
                )),
                None => key = Some(field.clone()),
            }
        }
        if options.skip {
            continue;
        }
        let method = field.ident.unraw().to_string();
        if let Some((_, what)) = TAKEN_METHODS.iter().find(|(taken, _)| *taken == method) {
            errors.push_spanned(
                &field.ident,
                format!(
                    "a field atom method `{method}` would clash with {what}, which every atom has: skip this \
                     field with `#[fields(skip)]` (or rename it)"
                ),
            );
            continue;
        }
        if let Some(first) = taken.get(&field.name) {
            let message = format!(
                "duplicate field name `{}`: field `{first}` has it too (tools could not tell them apart); \
                 rename one of them with `#[fields(name = \"…\")]`",
                field.name
            );
            match &options.name {
                Some(lit) => errors.push_spanned(lit, message),
                None => errors.push_spanned(&field.ident, message),
            }
        } else {
            taken.insert(field.name.clone(), field.ident.clone());
        }
        fields.push(field);
    }
    // A generic struct's options are checked too (independent errors), but it gets the stub.
    if generic {
        return (Fields { vis, ident, derived: None, key: None }, errors);
    }
    (Fields { vis, ident, derived: Some(fields), key }, errors)
}

/// The named fields of a struct; an error for any other item.
fn named_fields(ident: &Ident, data: Data, errors: &mut Errors) -> Option<syn::FieldsNamed> {
    match data {
        Data::Struct(data) => match data.fields {
            syn::Fields::Named(named) => Some(named),
            syn::Fields::Unnamed(unnamed) => {
                errors.push_spanned(
                    unnamed,
                    format!("{DERIVE} supports structs with named fields: `{ident}` is a tuple struct"),
                );
                None
            }
            syn::Fields::Unit => {
                errors.push_spanned(
                    ident,
                    format!("{DERIVE} supports structs with named fields: `{ident}` is a unit struct"),
                );
                None
            }
        },
        Data::Enum(data) => {
            errors.push_spanned(
                data.enum_token,
                format!("{DERIVE} supports structs with named fields: `{ident}` is an enum"),
            );
            None
        }
        Data::Union(data) => {
            errors.push_spanned(
                data.union_token,
                format!("{DERIVE} supports structs with named fields: `{ident}` is a union"),
            );
            None
        }
    }
}

/// A field's options, from all its `#[fields(..)]` attributes. Of two that exclude each other the first
/// written wins; the second is an error.
#[derive(Default)]
struct Options {
    skip: bool,
    /// The `key` token.
    key: Option<Span>,
    name: Option<LitStr>,
}

fn options(attrs: &[Attribute], errors: &mut Errors) -> Options {
    let mut out = Options::default();
    // Option name → where it was first written, for duplicates and conflicts.
    let mut seen: Vec<&'static str> = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("fields")) {
        let Meta::List(list) = &attr.meta else {
            errors.push_spanned(attr, format!("expected {OPTIONS_SYNTAX}"));
            continue;
        };
        let parsed = match list.parse_args::<FieldOptions>() {
            Ok(parsed) => parsed,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for option in parsed.options {
            let option = match option {
                Ok(option) => option,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            let keyword = option.keyword();
            if seen.contains(&keyword) {
                errors.push(syn::Error::new(option.span(), format!("duplicate `{keyword}` option")));
                continue;
            }
            let conflict = match keyword {
                "skip" => seen.iter().find(|k| **k == "key" || **k == "name"),
                _ => seen.iter().find(|k| **k == "skip"),
            };
            if let Some(other) = conflict {
                let why = if keyword == "name" || *other == "name" {
                    "a skipped field has no field atom to name"
                } else {
                    "the key field keeps its field atom"
                };
                errors.push(syn::Error::new(
                    option.span(),
                    format!("`{keyword}` cannot be combined with `{other}`: {why}"),
                ));
                continue;
            }
            match option {
                FieldOption::Skip(_) => out.skip = true,
                FieldOption::Key(token) => out.key = Some(token.span),
                FieldOption::Name { value, .. } => match name_literal(&value) {
                    Ok(literal) => out.name = Some(literal),
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                },
            }
            seen.push(keyword);
        }
    }
    out
}

/// The string literal of `name = "…"`, not empty.
fn name_literal(value: &Expr) -> syn::Result<LitStr> {
    match value {
        Expr::Lit(syn::ExprLit { lit: Lit::Str(lit), attrs }) if attrs.is_empty() => {
            if lit.value().trim().is_empty() {
                Err(syn::Error::new_spanned(lit, "a field's name cannot be empty"))
            } else {
                Ok(lit.clone())
            }
        }
        other => Err(syn::Error::new_spanned(other, "expected a string literal: `#[fields(name = \"…\")]`")),
    }
}

/// `ty` with every `Self` replaced by `ident`.
fn replace_self(ty: &Type, ident: &Ident) -> Type {
    fn replace(stream: TokenStream, ident: &Ident) -> TokenStream {
        stream
            .into_iter()
            .map(|tt| match tt {
                TokenTree::Ident(i) if i == "Self" => {
                    let mut named = ident.clone();
                    named.set_span(i.span());
                    TokenTree::Ident(named)
                }
                TokenTree::Group(g) => {
                    let mut group = Group::new(g.delimiter(), replace(g.stream(), ident));
                    group.set_span(g.span());
                    TokenTree::Group(group)
                }
                other => other,
            })
            .collect()
    }
    syn::parse2(replace(ty.to_token_stream(), ident)).unwrap_or_else(|_| ty.clone())
}
