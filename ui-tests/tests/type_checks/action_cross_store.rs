// An action of `Session` run on a `Cart` store, or run by an action of `Cart`, is rejected.
nexus::store! {
    pub struct Session;
    pub struct Cart;
}

nexus::atom! {
    #![store(Session)]
    pub static CLICKS: u32 = 0;
    pub static ADD_CLICKS: Action<u32, u32> = action(|s, n| {
        s.update(&CLICKS, |c| *c += n);
        s.get(&CLICKS)
    });
}

nexus::atom! {
    #![store(Cart)]
    pub static CHECKOUT: Action<()> = action(|s, ()| {
        s.run(&ADD_CLICKS, 1);
    });
}

fn main() {
    let cart = Cart::new();
    cart.run(&ADD_CLICKS, 1);
}
