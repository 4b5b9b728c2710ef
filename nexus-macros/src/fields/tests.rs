//! The derive's parsing, validation and expansion, without the runtime: on token streams.

use proc_macro2::TokenStream;
use quote::ToTokens;

use super::expand::type_text;

/// The error messages of expanding `src`, and the items it expands to (errors excluded).
fn derive(src: &str) -> (Vec<String>, syn::File) {
    let input: TokenStream = src.parse().expect("test input lexes");
    let output = super::expand(input);
    let file: syn::File = syn::parse2(output).expect("the output parses as items");
    let mut messages = Vec::new();
    let mut items = Vec::new();
    for item in file.items {
        match item {
            syn::Item::Macro(m) if m.mac.path.segments.last().is_some_and(|s| s.ident == "compile_error") => {
                messages.push(m.mac.parse_body::<syn::LitStr>().expect("a message").value());
            }
            other => items.push(other),
        }
    }
    (messages, syn::File { shebang: None, attrs: Vec::new(), items })
}

fn ok(src: &str) -> syn::File {
    let (messages, file) = derive(src);
    assert!(messages.is_empty(), "unexpected errors: {messages:?}");
    file
}

fn errors(src: &str) -> Vec<String> {
    let (messages, file) = derive(src);
    assert!(!file.items.is_empty(), "an error still expands the trait");
    messages
}

fn the_trait(file: &syn::File) -> &syn::ItemTrait {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Trait(t) => Some(t),
            _ => None,
        })
        .expect("a trait")
}

/// The trait's methods, by name.
fn methods(file: &syn::File) -> Vec<String> {
    the_trait(file)
        .items
        .iter()
        .filter_map(|item| match item {
            syn::TraitItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect()
}

fn docs(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if a.path().is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn text(file: &syn::File) -> String {
    file.to_token_stream().to_string()
}

#[test]
fn a_struct_gets_a_trait_with_a_method_per_field_and_a_blanket_impl() {
    let file = ok(r#"
        pub struct User {
            pub name: String,
            #[fields(name = "years")] pub age: u32,
            #[fields(skip)] cache: u8,
            pub address: Address,
        }
    "#);
    let t = the_trait(&file);
    assert_eq!(t.ident, "UserFields");
    assert!(matches!(t.vis, syn::Visibility::Public(_)));
    assert_eq!(t.supertraits.to_token_stream().to_string(), ":: nexus :: Focus < Value = User >");
    assert_eq!(methods(&file), ["name", "age", "address"]);
    let out = text(&file);
    assert!(out.contains("impl < __A : :: nexus :: Focus < Value = User > > UserFields for __A"), "{out}");
    assert!(out.contains("fn age (& self) -> :: nexus :: FieldAtom < Self , u32 >"), "{out}");
    assert!(out.contains(
        "static __NEXUS_FIELD : :: nexus :: __private :: FieldDesc < User , u32 > = :: nexus :: __private :: \
         FieldDesc :: new (\"years\" , | v : & User | & v . age , | v : & mut User | & mut v . age , :: nexus \
         :: __private :: value_ops ! (u32) ,) ;"
    ), "{out}");
    assert!(out.contains(":: nexus :: Focus :: __field (self , & __NEXUS_FIELD)"), "{out}");
    assert!(!out.contains("cache"), "a skipped field has no method: {out}");
    assert!(!out.contains("Keyed"), "no key, no `Keyed`: {out}");
}

#[test]
fn the_trait_and_its_methods_are_documented() {
    let file = ok(r#"
        struct Todo {
            /// What to do.
            title: String,
            #[fields(name = "is_done")] done: bool,
            tags: Vec<&'static str>,
        }
    "#);
    let t = the_trait(&file);
    assert!(matches!(t.vis, syn::Visibility::Inherited), "the struct's visibility");
    let doc = docs(&t.attrs);
    assert!(doc.contains("Field atoms of [`Todo`]"), "{doc}");
    assert!(doc.contains("A field atom is an atom of one field"), "{doc}");
    let method_docs: Vec<String> = t
        .items
        .iter()
        .map(|item| match item {
            syn::TraitItem::Fn(f) => docs(&f.attrs),
            _ => unreachable!("only methods"),
        })
        .collect();
    assert!(method_docs[0].starts_with(" What to do.\n\n The field atom of `Todo::title` (`String`)"));
    assert!(method_docs[1].contains("`Todo::done` (`bool`)"), "{}", method_docs[1]);
    assert!(method_docs[1].contains("Tools show it as `PARENT.is_done`"), "{}", method_docs[1]);
    assert!(method_docs[2].contains("(`Vec<&'static str>`)"), "{}", method_docs[2]);
    for doc in &method_docs {
        assert!(doc.contains("reads the parent's current value"), "{doc}");
        assert!(doc.contains("writes the parent with only this field changed"), "{doc}");
        assert!(doc.contains("told only when this field changed"), "{doc}");
    }
}

#[test]
fn a_key_field_implements_keyed() {
    let file = ok("pub struct Todo { #[fields(key)] pub id: u64, pub title: String }");
    assert_eq!(methods(&file), ["id", "title"], "the key keeps its field atom");
    let out = text(&file);
    assert!(
        out.contains(
            "impl :: nexus :: Keyed for Todo { type Key = u64 ; # [inline] fn key (& self) -> & u64 { & self . id } fn \
             __debug ()"
        ),
        "{out}"
    );
    assert!(out.contains("(:: nexus :: __private :: value_ops ! (Todo)) () . debug_fn ()"), "{out}");
    assert!(docs(&the_trait(&file).attrs).contains("keyed by its field `id`"));
}

#[test]
fn cfgs_and_self_and_raw_identifiers() {
    let file = ok(r#"
        pub struct Node {
            #[cfg(feature = "x")] #[fields(key)] pub r#type: u8,
            pub next: Option<Box<Self>>,
        }
    "#);
    assert_eq!(methods(&file), ["r#type", "next"]);
    let out = text(&file);
    assert!(out.contains("FieldAtom < Self , Option < Box < Node > > >"), "`Self` is the struct: {out}");
    assert!(out.contains("FieldDesc :: new (\"type\""), "the tools name has no `r#`: {out}");
    assert_eq!(out.matches("# [cfg (feature = \"x\")]").count(), 3, "trait, impl and `Keyed`: {out}");
}

#[test]
fn items_other_than_named_structs_are_rejected() {
    assert_eq!(
        errors("struct Point(f64, f64);"),
        ["`#[derive(nexus::Fields)]` supports structs with named fields: `Point` is a tuple struct"]
    );
    assert_eq!(
        errors("pub struct Marker;"),
        ["`#[derive(nexus::Fields)]` supports structs with named fields: `Marker` is a unit struct"]
    );
    assert_eq!(
        errors("enum User { A, B }"),
        ["`#[derive(nexus::Fields)]` supports structs with named fields: `User` is an enum"]
    );
    assert_eq!(
        errors("union U { a: u8 }"),
        ["`#[derive(nexus::Fields)]` supports structs with named fields: `U` is a union"]
    );
    // The stub: an empty trait of the same name, nothing else.
    let (_, file) = derive("enum User { A }");
    assert_eq!(file.items.len(), 1);
    assert!(the_trait(&file).supertraits.is_empty() && the_trait(&file).items.is_empty());
}

#[test]
fn generic_structs_are_rejected_with_their_option_errors() {
    let messages = errors("struct Pair<'a, T: Clone> where T: Copy { a: &'a T, #[fields(nope)] b: T }");
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("`#[derive(nexus::Fields)]` does not support generic structs yet"));
    assert_eq!(messages[1], "unknown option `nope`, expected `skip`, `key` or `name = \"…\"`");
    assert!(the_trait(&derive("struct P<T> { a: T }").1).items.is_empty(), "a stub");
    // A where clause alone declares no parameter.
    ok("struct S where u8: Copy { a: u8 }");
}

#[test]
fn two_keys() {
    let messages = errors("struct T { #[fields(key)] id: u64, #[fields(key)] other: u64 }");
    assert_eq!(
        messages,
        ["duplicate key: `id` is already the key of `T`; only one field can be `#[fields(key)]`"]
    );
    let (_, file) = derive("struct T { #[fields(key)] id: u64, #[fields(key)] other: u64 }");
    assert!(text(&file).contains("type Key = u64 ; # [inline] fn key (& self) -> & u64 { & self . id }"));
    assert_eq!(methods(&file), ["id", "other"]);
}

#[test]
fn bad_options_are_each_reported_and_the_others_still_apply() {
    let src = r#"
        struct S {
            #[fields(skip, bogus)] a: u8,
            #[fields(name = years)] b: u8,
            #[fields(name = "")] c: u8,
            #[fields(name)] d: u8,
            #[fields] e: u8,
            #[fields = "x"] f: u8,
            #[fields(skip skip)] g: u8,
            #[fields(1)] h: u8,
            #[fields()] i: u8,
            #[fields(r#type)] j: u8,
        }
    "#;
    assert_eq!(
        errors(src),
        [
            "unknown option `bogus`, expected `skip`, `key` or `name = \"…\"`",
            "expected a string literal: `#[fields(name = \"…\")]`",
            "a field's name cannot be empty",
            "`name` takes a string: `#[fields(name = \"…\")]`",
            "expected `#[fields(skip)]`, `#[fields(key)]` or `#[fields(name = \"…\")]`",
            "expected `#[fields(skip)]`, `#[fields(key)]` or `#[fields(name = \"…\")]`",
            "expected `,`",
            "expected one of: `skip`, `key`, `name`",
            "unknown option `r#type`, expected `skip`, `key` or `name = \"…\"`",
        ]
    );
    let (_, file) = derive(src);
    assert_eq!(methods(&file), ["b", "c", "d", "e", "f", "h", "i", "j"], "`a` and `g` are still skipped");
}

#[test]
fn conflicting_and_duplicate_options() {
    assert_eq!(
        errors(
            r#"
            struct S {
                #[fields(skip, key)] a: u8,
                #[fields(key)] #[fields(skip)] b: u8,
                #[fields(skip, name = "x")] c: u8,
                #[fields(name = "x")] #[fields(skip)] d: u8,
                #[fields(skip)] #[fields(skip)] e: u8,
                #[fields(name = "y", name = "z")] f: u8,
            }
            "#
        ),
        [
            "`key` cannot be combined with `skip`: the key field keeps its field atom",
            "`skip` cannot be combined with `key`: the key field keeps its field atom",
            "`name` cannot be combined with `skip`: a skipped field has no field atom to name",
            "`skip` cannot be combined with `name`: a skipped field has no field atom to name",
            "duplicate `skip` option",
            "duplicate `name` option",
        ]
    );
}

#[test]
fn two_fields_with_one_tools_name() {
    let src = r#"struct S { #[fields(name = "age")] years: u8, age: u8, #[fields(name = "age")] c: u8, #[fields(skip)] d: u8, #[fields(name = "d")] e: u8 }"#;
    let message =
        "duplicate field name `age`: field `years` has it too (tools could not tell them apart); rename \
                   one of them with `#[fields(name = \"…\")]`";
    assert_eq!(errors(src), [message, message]);
    assert_eq!(methods(&derive(src).1), ["years", "age", "c", "e"], "a skipped field's name is free");
}

#[test]
fn fields_on_the_struct_is_rejected() {
    assert_eq!(
        errors("#[fields(skip)] struct S { a: u8 }"),
        ["`#[fields(..)]` goes on the fields of `S`, not on the struct: `#[fields(skip)]`, `#[fields(key)]` or \
          `#[fields(name = \"…\")]`"]
    );
}

#[test]
fn independent_errors_are_combined() {
    let messages = errors("#[fields(key)] enum E<T> { A(T) }");
    assert_eq!(messages.len(), 3, "{messages:?}");
}

#[test]
fn non_items_are_a_parse_error() {
    let output = super::expand("fn f() {}".parse().expect("lexes"));
    assert!(output.to_string().contains("compile_error"), "{output}");
}

#[test]
fn types_as_text() {
    let ty = |s: &str| syn::parse_str::<syn::Type>(s).expect("a type");
    assert_eq!(type_text(&ty("Vec < Option < u8 > >")), "Vec<Option<u8>>");
    assert_eq!(type_text(&ty("&'static str")), "&'static str");
    assert_eq!(type_text(&ty("Box<dyn Fn(u8) -> u8 + Send>")), "Box<dyn Fn(u8)->u8+Send>");
    assert_eq!(type_text(&ty("[u8; 4]")), "[u8;4]");
}

#[test]
fn fields_named_like_the_atoms_own_methods() {
    let src = "struct S { clone: u8, #[fields(skip)] eq: u8, r#registry_name: u8, ok: u8 }";
    assert_eq!(
        errors(src),
        [
            "a field atom method `clone` would clash with `Clone::clone`, which every atom has: skip this field \
             with `#[fields(skip)]` (or rename it)",
            "a field atom method `registry_name` would clash with the atoms' own `registry_name`, which every \
             atom has: skip this field with `#[fields(skip)]` (or rename it)",
        ]
    );
    assert_eq!(methods(&derive(src).1), ["ok"]);
}
