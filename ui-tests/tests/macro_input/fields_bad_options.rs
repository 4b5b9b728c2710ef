// Malformed `#[fields(..)]` options: each is reported on its own tokens, and the others still apply.
#[derive(nexus::Fields)]
#[fields(skip)]
pub struct User {
    #[fields(skip, rename = "x")]
    cache: u8,
    #[fields(name = years)]
    pub age: u32,
    #[fields(name = "")]
    pub email: String,
    #[fields(name)]
    pub city: String,
    #[fields]
    pub zip: String,
}

fn main() {}
