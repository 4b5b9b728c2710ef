// Two field atoms may not share the name tools show them by: the error is on the second one (its name,
// or its `name = "…"`).
#[derive(nexus::Fields)]
pub struct User {
    #[fields(name = "age")]
    pub years: u32,
    pub age: u32,
    #[fields(name = "years")]
    pub birth_year: u32,
    #[fields(name = "years")]
    pub born: u32,
}

fn main() {}
