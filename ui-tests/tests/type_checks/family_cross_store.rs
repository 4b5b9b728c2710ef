// A family's atoms are scoped like every atom: `Board`'s family cannot be used with `Cart`.
nexus::store! {
    pub struct Board;
    pub struct Cart;
}

nexus::atom! {
    #![store(Board)]
    pub static CELL: u32 = family(|id: &u64| *id as u32);
}

fn main() {
    let cart = Cart::new();
    let _ = cart.get(&CELL.at(1));
}
