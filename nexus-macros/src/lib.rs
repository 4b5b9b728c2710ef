//! Implementation detail of [`nexus`](https://docs.rs/nexus): the `store!` and `atom!` procedural macros
//! and `#[derive(Fields)]`.
//!
//! Use them through `nexus::store!`, `nexus::atom!` and `#[derive(nexus::Fields)]`; their documentation
//! lives there. This crate only parses, validates and wires: everything the generated code does is
//! ordinary generic Rust in `nexus`, reached through `::nexus::__private` (and, for the derive, the
//! public `nexus::Focus`, `nexus::FieldAtom` and `nexus::Keyed`).

mod atom;
mod error;
mod fields;
#[cfg(test)]
mod fuzz;
mod store;

use proc_macro::TokenStream;

// Documented where users meet it: on the re-export `nexus::store!`.
#[proc_macro]
pub fn store(input: TokenStream) -> TokenStream {
    store::expand(input.into()).into()
}

// Documented where users meet it: on the re-export `nexus::atom!`.
#[proc_macro]
pub fn atom(input: TokenStream) -> TokenStream {
    atom::expand(input.into()).into()
}

// Documented where users meet it: on the re-export `nexus::Fields`.
#[proc_macro_derive(Fields, attributes(fields))]
pub fn derive_fields(input: TokenStream) -> TokenStream {
    fields::expand(input.into()).into()
}
