// An effect of a `Cart` store reads only atoms `Cart` can use: an atom of `Session` read through the
// effect's context (tracked or not) is rejected, as in a read function.
nexus::store! {
    pub struct Session;
    pub struct Cart;
}

nexus::atom! {
    #![store(Session)]
    pub static CLICKS: u32 = 0;
}

nexus::atom! {
    #![store(Cart)]
    pub static ITEMS: u32 = 0;
}

fn main() {
    let cart = Cart::new();
    let _fx = cart.effect(|s| {
        let _ = s.get(&ITEMS) + s.get(&CLICKS);
        let _ = s.peek(&CLICKS);
    });
}
