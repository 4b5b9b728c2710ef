// `#[derive(nexus::Fields)]` makes one field atom per named field: a tuple struct and a unit struct are
// rejected, on their fields and on their name.
#[derive(nexus::Fields)]
pub struct Point(pub f64, pub f64);

#[derive(nexus::Fields)]
pub struct Marker;

fn main() {}
