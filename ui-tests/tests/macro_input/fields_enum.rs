// `#[derive(nexus::Fields)]` on an enum or a union: rejected on the `enum` / `union` keyword.
#[derive(nexus::Fields)]
pub enum Shape {
    Circle { radius: f64 },
    Square { side: f64 },
}

#[derive(nexus::Fields)]
pub union Bits {
    int: u32,
    float: f32,
}

fn main() {}
