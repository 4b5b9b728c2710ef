// `on_mount` returns the function that unmounts: a mount function that returns `()` (it forgot the
// trailing `move || …`) is rejected.
nexus::store! { pub struct Market; }

nexus::atom! {
    #![store(Market)]
    #[on_mount(|_store, set| {
        set.set(1);
    })]
    pub static PRICE: u64 = 0;
}

fn main() {}
