// A field named like a method every atom has gets no field atom method: `USER.clone()` would be
// ambiguous with `Clone::clone`, `USER.registry_name()` would call the atom's own. Skip such fields.
#[derive(nexus::Fields)]
pub struct Thing {
    pub clone: u32,
    pub registry_name: String,
    #[fields(skip)]
    pub eq: bool,
    pub fine: u8,
}

fn main() {}
