// A `Global` atom has no store type to find in Leptos context: the hooks without a store argument reject
// it and say which form to use.
use nexus::leptos::use_atom_value;

nexus::atom! {
    pub static THEME: u8 = 0;
}

fn main() {
    let _theme = use_atom_value(&THEME);
}
