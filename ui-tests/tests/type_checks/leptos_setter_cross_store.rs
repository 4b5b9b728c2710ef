// In a Leptos component, a setter of a `Session` atom made with the `Cart` store found in context is
// rejected, naming both stores; so is reading it there.
use leptos::prelude::*;
use nexus::leptos::{use_atom_value_in, use_set_atom_in, use_store};

nexus::store! {
    pub struct Session;
    pub struct Cart;
}

nexus::atom! {
    #![store(Session)]
    pub static CLICKS: u32 = 0;
}

#[component]
fn Panel() -> impl IntoView {
    let cart = use_store::<Cart>();
    let _set_clicks = use_set_atom_in(&cart, &CLICKS);
    let clicks = use_atom_value_in(&cart, &CLICKS);
    view! { <span>{clicks}</span> }
}

fn main() {
    let _ = Panel;
}
