// Generic structs (type, lifetime or const parameters) are not supported yet: the error is on the
// parameters.
#[derive(nexus::Fields)]
pub struct Pair<T: Clone> {
    pub first: T,
    pub second: T,
}

#[derive(nexus::Fields)]
pub struct Borrowed<'a> {
    pub name: &'a str,
}

fn main() {}
