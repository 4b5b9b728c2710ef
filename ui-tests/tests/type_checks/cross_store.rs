// An atom of `Session` used with a `Cart` store: get, set, subscribe and key are all rejected.
nexus::store! {
    pub struct Session;
    pub struct Cart;
}

nexus::atom! {
    #![store(Session)]
    pub static CLICKS: u32 = 0;
}

fn main() {
    let cart = Cart::new();
    let _ = cart.get(&CLICKS);
    cart.set(&CLICKS, 1);
    let _sub = cart.subscribe(&CLICKS, |_| {});
    let _ = cart.key(&CLICKS);
}
