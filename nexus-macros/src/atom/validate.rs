//! Checks on `atom!` input: item shape, attributes, duplicates, and the initializer's kind.

use std::collections::HashSet;

use syn::{Attribute, Expr, ExprCall, Ident, LitInt, LitStr, Meta, Pat, Path, Type, Visibility};

use super::parse::{AtomInput, AtomItem, Keyword, OnMount, ON_MOUNT_SYNTAX};
use crate::error::Errors;

/// What an initializer declares (a primitive: its initial value and its `#[on_mount]` function; an
/// action: its function, and the `Arg` and `Output` of its type `Action<Arg, Output>`).
pub(crate) enum Kind {
    Primitive { init: Expr, on_mount: Option<Expr> },
    Computed(Expr),
    Async(Expr),
    Writable { read: Expr, write: Expr, arg: Option<Type> },
    Family { key: Type, init: Expr, capacity: Option<LitInt> },
    ComputedFamily { key: Type, read: Expr, capacity: Option<LitInt> },
    AsyncFamily { key: Type, load: Expr, capacity: Option<LitInt> },
    Action { run: Expr, arg: Type, output: Type },
}

/// An atom ready to expand.
pub(crate) struct Atom {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    /// `None`: `Global`.
    pub(crate) owner: Option<Path>,
    pub(crate) name: String,
    /// Whether `#[name = "…"]` gave `name` (the snapshot key is then the name, not `module::IDENT`).
    pub(crate) name_given: bool,
    /// `#[alias = "old::PATH"]`: old snapshot keys hydration accepts.
    pub(crate) aliases: Vec<LitStr>,
    pub(crate) kind: Kind,
}

pub(crate) fn validate(input: AtomInput) -> (Vec<Atom>, Errors) {
    let mut errors = Errors::default();
    let mut store: Option<Path> = None;
    for attr in &input.inner {
        if attr.path().is_ident("store") {
            match store_path(attr) {
                Ok(_) if store.is_some() => errors.push_spanned(attr, "duplicate `#![store(..)]`"),
                Ok(path) => store = Some(path),
                Err(e) => errors.push(e),
            }
        } else {
            errors.push_spanned(attr, "unknown inner attribute: `atom!` accepts only `#![store(StoreType)]`");
        }
    }
    let mut idents = HashSet::new();
    let mut names = HashSet::new();
    let mut atoms = Vec::new();
    for item in input.items {
        let ident = item.ident.clone();
        let Some(atom) = atom(item, store.as_ref(), &mut errors) else { continue };
        if !idents.insert(ident.to_string()) {
            errors.push_spanned(&ident, format!("duplicate atom `{ident}`"));
            continue;
        }
        if !names.insert(atom.name.clone()) {
            errors.push_spanned(&ident, format!("duplicate registry name `{}`", atom.name));
            continue;
        }
        atoms.push(atom);
    }
    check_aliases(&mut atoms, &mut errors);
    (atoms, errors)
}

/// An alias may not be another atom's key (a given `#[name]`) or alias in the same invocation: hydration
/// could not tell which atom an old snapshot meant. (Keys made of a module path are not known here.)
fn check_aliases(atoms: &mut [Atom], errors: &mut Errors) {
    let keys: Vec<(String, String)> =
        atoms.iter().filter(|a| a.name_given).map(|a| (a.name.clone(), a.ident.to_string())).collect();
    let mut seen: Vec<(String, String)> = Vec::new();
    for atom in atoms.iter_mut() {
        let ident = atom.ident.to_string();
        atom.aliases.retain(|alias| {
            let text = alias.value();
            let clash = |list: &[(String, String)]| {
                list.iter().find(|(key, owner)| *key == text && *owner != ident).map(|(_, o)| o.clone())
            };
            let message = if let Some(other) = clash(&keys) {
                format!("alias `{text}` is the key of atom `{other}` (its `#[name]`)")
            } else if let Some(other) = clash(&seen) {
                format!("alias `{text}` is already an alias of atom `{other}`")
            } else {
                return true;
            };
            errors.push_spanned(alias, message);
            false
        });
        seen.extend(atom.aliases.iter().map(|a| (a.value(), ident.clone())));
    }
}

fn store_path(attr: &Attribute) -> syn::Result<Path> {
    match &attr.meta {
        Meta::List(list) => list.parse_args::<Path>().map_err(|_| {
            syn::Error::new_spanned(&list.tokens, "expected the path of a store type: `store(Session)`")
        }),
        _ => Err(syn::Error::new_spanned(attr, "expected `store(StoreType)`")),
    }
}

/// Validates one item; `None` if it cannot be expanded at all (the errors say why).
fn atom(item: AtomItem, store: Option<&Path>, errors: &mut Errors) -> Option<Atom> {
    let AtomItem { attrs, vis, keyword, mutability, ident, ty, init, semi } = item;
    let mut ok = true;
    if let Keyword::Const(token) = keyword {
        errors.push_spanned(token, "expected `static`: atoms are declared as `static` items");
        ok = false;
    }
    if let Some(token) = mutability {
        errors.push_spanned(token, "atoms cannot be `static mut`: stores hold their values");
        ok = false;
    }
    if ty.is_none() {
        errors.push_spanned(&ident, format!("missing type: write `static {ident}: Type = …;`"));
        ok = false;
    }
    if init.is_none() {
        errors.push(syn::Error::new(
            semi.span,
            format!("missing initializer: write `static {ident}: Type = value;`"),
        ));
        ok = false;
    }

    let ItemAttrs { owner, name, mut aliases, capacity, on_mount, forwarded } =
        item_attrs(attrs, store, errors);

    let (Some(ty), Some(init)) = (ty, init) else { return None };
    let mut kind = match kind(init, &ty, capacity, errors) {
        Some(kind) if ok => kind,
        _ => return None,
    };
    if let Some((attr, func)) = on_mount {
        // Elsewhere the error is on the attribute and the atom expands without it (no cascade).
        if let Some(message) = on_mount_misplaced(&ident, &kind) {
            errors.push_spanned(attr_head(&attr), message);
        } else if let Kind::Primitive { on_mount, .. } = &mut kind {
            *on_mount = Some(func);
        }
    }
    if !matches!(
        kind,
        Kind::Primitive { .. } | Kind::Async(_) | Kind::Family { .. } | Kind::AsyncFamily { .. }
    ) {
        for alias in aliases.drain(..) {
            errors.push_spanned(
                alias,
                "`alias` applies to the atoms snapshots carry by key: primitive atoms, `async_computed(..)`, \
                 `family(..)` and `family_async(..)`",
            );
        }
    }
    if let Some(own) = aliases.iter().find(|a| name.as_deref() == Some(a.value().as_str())) {
        errors.push_spanned(own, format!("alias `{}` is this atom's own key (its `#[name]`)", own.value()));
        aliases.retain(|a| name.as_deref() != Some(a.value().as_str()));
    }
    Some(Atom {
        attrs: forwarded,
        vis,
        name_given: name.is_some(),
        name: name.unwrap_or_else(|| ident.to_string()),
        aliases,
        ident,
        ty,
        owner,
        kind,
    })
}

/// An item's attributes: those `atom!` reads, checked one by one, and the others, forwarded.
struct ItemAttrs {
    owner: Option<Path>,
    name: Option<String>,
    aliases: Vec<LitStr>,
    capacity: Option<(Attribute, LitInt)>,
    on_mount: Option<(Attribute, Expr)>,
    forwarded: Vec<Attribute>,
}

fn item_attrs(attrs: Vec<Attribute>, store: Option<&Path>, errors: &mut Errors) -> ItemAttrs {
    let mut owner = store.cloned();
    let mut owner_seen = false;
    let mut name = None;
    let mut aliases: Vec<LitStr> = Vec::new();
    let mut capacity = None;
    let mut on_mount: Option<(Attribute, Expr)> = None;
    let mut forwarded = Vec::new();
    for attr in attrs {
        if attr.path().is_ident("store") {
            match store_path(&attr) {
                Ok(_) if owner_seen => errors.push_spanned(&attr, "duplicate `store` attribute"),
                Ok(path) => {
                    owner = Some(path);
                    owner_seen = true;
                }
                Err(e) => errors.push(e),
            }
        } else if attr.path().is_ident("name") {
            match name_value::<LitStr>(&attr, "expected `#[name = \"registry_name\"]`") {
                Ok(_) if name.is_some() => errors.push_spanned(&attr, "duplicate `name` attribute"),
                Ok(lit) => name = Some(lit.value()),
                Err(e) => errors.push(e),
            }
        } else if attr.path().is_ident("alias") {
            match name_value::<LitStr>(
                &attr,
                "expected `#[alias = \"old::PATH\"]`: a key older snapshots used",
            ) {
                Ok(lit) if lit.value().is_empty() => errors.push_spanned(&lit, "an alias cannot be empty"),
                Ok(lit) if aliases.iter().any(|a| a.value() == lit.value()) => {
                    errors.push_spanned(&lit, format!("duplicate alias `{}`", lit.value()));
                }
                Ok(lit) => aliases.push(lit),
                Err(e) => errors.push(e),
            }
        } else if attr.path().is_ident("capacity") {
            match name_value::<LitInt>(&attr, "expected `#[capacity = 1_000]`") {
                Ok(_) if capacity.is_some() => errors.push_spanned(&attr, "duplicate `capacity` attribute"),
                Ok(lit) => capacity = Some((attr.clone(), lit)),
                Err(e) => errors.push(e),
            }
        } else if attr.path().is_ident("on_mount") {
            match on_mount_fn(&attr) {
                Ok(_) if on_mount.is_some() => errors.push_spanned(
                    attr_head(&attr),
                    "duplicate `on_mount` attribute: an atom has one mount function, start everything in it",
                ),
                Ok(func) => on_mount = Some((attr, func)),
                Err(e) => errors.push(e),
            }
        } else {
            forwarded.push(attr);
        }
    }
    ItemAttrs { owner, name, aliases, capacity, on_mount, forwarded }
}

fn name_value<T: syn::parse::Parse>(attr: &Attribute, expected: &str) -> syn::Result<T> {
    match &attr.meta {
        Meta::NameValue(nv) => syn::parse2(quote::ToTokens::to_token_stream(&nv.value))
            .map_err(|_| syn::Error::new_spanned(&nv.value, expected)),
        _ => Err(syn::Error::new_spanned(attr, expected)),
    }
}

/// The initializer's kind, from its shape: `computed(..)`, `async_computed(..)`, `writable(..)`, `family(..)`,
/// `family_computed(..)`, `action(..)` (whose type `ty` gives its argument and output), or any other
/// expression (a primitive's initial value).
fn kind(init: Expr, ty: &Type, capacity: Option<(Attribute, LitInt)>, errors: &mut Errors) -> Option<Kind> {
    let call = match init {
        Expr::Call(call) => call,
        other => return no_capacity(capacity, errors).then(|| primitive(other)),
    };
    let Some(func) = callee(&call) else {
        return no_capacity(capacity, errors).then(|| primitive(Expr::Call(call)));
    };
    let args: Vec<Expr> = call.args.iter().cloned().collect();
    match func.to_string().as_str() {
        "computed" => {
            let [read] = args.as_slice() else {
                errors.push_spanned(&call, "`computed` takes one read function: `computed(|s| …)`");
                return None;
            };
            no_capacity(capacity, errors).then(|| Kind::Computed(read.clone()))
        }
        "async_computed" => {
            let [load] = args.as_slice() else {
                errors.push_spanned(
                    &call,
                    "`async_computed` takes one function: `async_computed(|s| { let id = s.get(&ID); async move { … } })`",
                );
                return None;
            };
            no_capacity(capacity, errors).then(|| Kind::Async(load.clone()))
        }
        "writable" => {
            let [read, write] = args.as_slice() else {
                errors.push_spanned(
                    &call,
                    "`writable` takes a read function and a write function: `writable(|s| …, |s, v: T| …)`",
                );
                return None;
            };
            let arg = closure_param_type(write, 1);
            no_capacity(capacity, errors).then(|| Kind::Writable {
                read: read.clone(),
                write: write.clone(),
                arg,
            })
        }
        "action" => {
            let [run] = args.as_slice() else {
                errors.push_spanned(&call, "`action` takes one function: `action(|s, arg| …)`");
                return None;
            };
            let run_ok = action_fn(run, errors);
            let types = action_types(ty, errors);
            let (true, Some((arg, output))) = (run_ok, types) else { return None };
            no_capacity(capacity, errors).then(|| Kind::Action { run: run.clone(), arg, output })
        }
        "family" => {
            let [init] = args.as_slice() else {
                errors.push_spanned(
                    &call,
                    "`family` takes one function from a key to an initial value: `family(|id: &u64| …)`",
                );
                return None;
            };
            let key = family_key(init, "family(|id: &u64| …)", errors)?;
            Some(Kind::Family { key, init: init.clone(), capacity: capacity.map(|(_, lit)| lit) })
        }
        "family_async" => {
            let [load] = args.as_slice() else {
                errors.push_spanned(
                    &call,
                    "`family_async` takes one function: `family_async(|id: &u64, s| { …; async move { … } })`",
                );
                return None;
            };
            let key = family_key(load, "family_async(|id: &u64, s| …)", errors)?;
            Some(Kind::AsyncFamily { key, load: load.clone(), capacity: capacity.map(|(_, lit)| lit) })
        }
        "family_computed" => {
            let [read] = args.as_slice() else {
                errors.push_spanned(
                    &call,
                    "`family_computed` takes one read function: `family_computed(|id: &u64, s| …)`",
                );
                return None;
            };
            let key = family_key(read, "family_computed(|id: &u64, s| …)", errors)?;
            Some(Kind::ComputedFamily { key, read: read.clone(), capacity: capacity.map(|(_, lit)| lit) })
        }
        _ => no_capacity(capacity, errors).then(|| primitive(Expr::Call(call))),
    }
}

fn primitive(init: Expr) -> Kind {
    Kind::Primitive { init, on_mount: None }
}

/// `#[on_mount` (the attribute up to its name): where its errors point, one line however long the function.
fn attr_head(attr: &Attribute) -> proc_macro2::TokenStream {
    let (pound, path) = (&attr.pound_token, attr.path());
    quote::quote!(#pound #path)
}

/// The function of `#[on_mount(func)]`; if it is a closure, it takes `store` and `set`.
fn on_mount_fn(attr: &Attribute) -> syn::Result<Expr> {
    let expected = || format!("`on_mount` takes one function: `{ON_MOUNT_SYNTAX}`");
    let list = match &attr.meta {
        Meta::List(list) if !list.tokens.is_empty() => list,
        _ => return Err(syn::Error::new_spanned(attr, expected())),
    };
    let func = list.parse_args::<OnMount>()?.func;
    if let Expr::Closure(closure) = &func {
        if closure.inputs.len() != 2 {
            let (or1, inputs, or2) = (&closure.or1_token, &closure.inputs, &closure.or2_token);
            return Err(syn::Error::new_spanned(
                quote::quote!(#or1 #inputs #or2),
                format!(
                    "the `on_mount` function takes two parameters, `store` and `set`, not {}: `{ON_MOUNT_SYNTAX}`",
                    inputs.len()
                ),
            ));
        }
    }
    Ok(func)
}

/// Why `#[on_mount]` does not apply to an atom of this kind; `None` for a primitive, the one kind it is for.
fn on_mount_misplaced(ident: &Ident, kind: &Kind) -> Option<String> {
    const DERIVED: &str =
        "a derived atom is mounted only through the atoms it reads, so put `#[on_mount]` on those";
    let why = match kind {
        Kind::Primitive { .. } => return None,
        Kind::Computed(_) => format!("`{ident}` is a computed atom; {DERIVED}"),
        Kind::Writable { .. } => format!("`{ident}` is a writable derived atom; {DERIVED}"),
        Kind::Async(_) => format!("`{ident}` is an async atom (`async_computed(..)`); {DERIVED}"),
        Kind::Family { .. } => format!("`{ident}` is an atom family (`family(..)`)"),
        Kind::ComputedFamily { .. } => format!("`{ident}` is a computed atom family (`family_computed(..)`)"),
        Kind::AsyncFamily { .. } => format!("`{ident}` is an async atom family (`family_async(..)`)"),
        Kind::Action { .. } => format!("`{ident}` is an action, which holds no value and is never mounted"),
    };
    Some(format!("`#[on_mount]` is only for primitive atoms: {why}"))
}

/// An action's function, if it is a closure, takes `s` and the argument.
fn action_fn(run: &Expr, errors: &mut Errors) -> bool {
    let Expr::Closure(closure) = run else { return true };
    if closure.inputs.len() == 2 {
        return true;
    }
    let (or1, inputs, or2) = (&closure.or1_token, &closure.inputs, &closure.or2_token);
    errors.push_spanned(
        quote::quote!(#or1 #inputs #or2),
        format!(
            "an action's function takes two parameters, `s` and the argument, not {}: `action(|s, arg| …)`",
            inputs.len()
        ),
    );
    false
}

/// `(Arg, Output)` from an action's type `Action<Arg>` or `Action<Arg, Output>` (`Output`: `()`).
fn action_types(ty: &Type, errors: &mut Errors) -> Option<(Type, Type)> {
    let expected = "an action's type is `Action<Arg>` or `Action<Arg, Output>` (its store comes from \
                    `store(..)`): `static ADD: Action<String, u64> = action(|s, title| …);`";
    let Type::Path(path) = ty else {
        errors.push_spanned(ty, expected);
        return None;
    };
    let last = path.path.segments.last().filter(|seg| path.qself.is_none() && seg.ident == "Action");
    let Some(syn::PathArguments::AngleBracketed(args)) = last.map(|seg| &seg.arguments) else {
        errors.push_spanned(ty, expected);
        return None;
    };
    let args = &args.args;
    let types: Vec<&Type> = args
        .iter()
        .filter_map(|arg| match arg {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect();
    match types.as_slice() {
        [arg] if args.len() == 1 => Some(((*arg).clone(), syn::parse_quote!(()))),
        [arg, output] if args.len() == 2 => Some(((*arg).clone(), (*output).clone())),
        _ => {
            errors.push_spanned(args, expected);
            None
        }
    }
}

/// `computed`, `writable`, … when the call's function is that single identifier.
fn callee(call: &ExprCall) -> Option<&Ident> {
    match &*call.func {
        Expr::Path(p) if p.qself.is_none() && p.attrs.is_empty() => p.path.get_ident(),
        _ => None,
    }
}

fn no_capacity(capacity: Option<(Attribute, LitInt)>, errors: &mut Errors) -> bool {
    if let Some((attr, _)) = capacity {
        errors.push_spanned(
            attr,
            "`capacity` applies to families only (`family(..)`, `family_computed(..)`, `family_async(..)`)",
        );
        return false;
    }
    true
}

/// The annotated type of a closure's parameter `index`, if any.
fn closure_param_type(expr: &Expr, index: usize) -> Option<Type> {
    let Expr::Closure(closure) = expr else { return None };
    match closure.inputs.iter().nth(index)? {
        Pat::Type(pt) => Some((*pt.ty).clone()),
        _ => None,
    }
}

/// `K` from a family closure's first parameter `id: &K`.
fn family_key(expr: &Expr, example: &str, errors: &mut Errors) -> Option<Type> {
    match closure_param_type(expr, 0) {
        Some(Type::Reference(r)) => Some((*r.elem).clone()),
        Some(other) => {
            errors.push_spanned(other, format!("the key parameter is a reference: `{example}`"));
            None
        }
        None => {
            let span = match expr {
                Expr::Closure(c) => syn::spanned::Spanned::span(&c.inputs),
                other => syn::spanned::Spanned::span(other),
            };
            errors.push(syn::Error::new(span, format!("annotate the key type: `{example}`")));
            None
        }
    }
}
