nexus::store! {
    pub struct Session;
    pub struct Cart;
}

nexus::atom! {
    #![store(Cart)]
    pub static TOTAL: u32 = async_computed(|_s| async { Ok::<_, String>(0) });
    pub static ITEMS: u32 = 0;
}

fn main() {
    let user = nexus::AsyncComputed::<u32, Session>::new(|_| async { Ok::<_, String>(1) });
    let cart = Cart::new();
    // An async atom of `Session` in a `Cart`'s `load_all`: rejected like every cross-store use.
    let _ = cart.load_all(&[&TOTAL, &user]);
    // A primitive atom is not an async atom: nothing to load.
    let _ = cart.load_all(&[&TOTAL, &ITEMS]);
    let _ = cart.load(&ITEMS);
}
