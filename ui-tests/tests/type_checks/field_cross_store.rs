// A field atom has its parent's owner: a field atom of a `Session` atom is rejected by a `Cart` store,
// nested or not, as its parent is.
#[derive(Clone, PartialEq, Debug, nexus::Fields)]
pub struct Address {
    pub city: String,
}

#[derive(Clone, PartialEq, Debug, nexus::Fields)]
pub struct User {
    pub name: String,
    pub address: Address,
}

nexus::store! {
    pub struct Session;
    pub struct Cart;
}

nexus::atom! {
    #![store(Session)]
    pub static USER: User = User { name: String::new(), address: Address { city: String::new() } };
}

fn main() {
    let cart = Cart::new();
    let _ = cart.get(&USER.name());
    cart.set(&USER.address().city(), "Paris".to_owned());
}
