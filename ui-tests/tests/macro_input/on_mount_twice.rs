// One atom, two `#[on_mount]` functions: the second is the error (an atom has one mount function; start
// both resources in it).
nexus::store! { pub struct Market; }

nexus::atom! {
    #![store(Market)]
    #[on_mount(|_store, _set| move || {})]
    #[on_mount(|_store, _set| move || {})]
    pub static PRICE: u64 = 0;
}

fn main() {}
