//! Implementation detail of [`nexus`](https://docs.rs/nexus): the `store!` and `atom!` procedural macros.
//!
//! Use them through `nexus::store!` and `nexus::atom!`; their documentation lives there. This crate only
//! parses, validates and wires: everything the generated code does is ordinary generic Rust in `nexus`,
//! reached through `::nexus::__private`.

mod atom;
mod error;
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
