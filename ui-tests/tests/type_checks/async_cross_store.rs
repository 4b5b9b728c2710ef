nexus::store! {
    pub struct Session;
    pub struct Cart;
}

fn main() {
    let user = nexus::AsyncComputed::<u32, Session>::new(|_| async { Ok::<_, std::fmt::Error>(1) });
    let cart = Cart::new();
    // An async atom of `Session` awaited with `Cart`: rejected like every cross-store use.
    let _ = cart.load(&user);
}
