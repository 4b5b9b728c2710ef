// One field is the key of a struct's elements in a list: a second `#[fields(key)]` is rejected on its
// `key`.
#[derive(nexus::Fields)]
pub struct Todo {
    #[fields(key)]
    pub id: u64,
    #[fields(key)]
    pub slug: String,
    pub title: String,
}

fn main() {}
