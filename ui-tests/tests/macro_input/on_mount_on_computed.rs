// `#[on_mount]` starts and stops a resource for a primitive atom; a derived atom (computed, writable,
// async), a family or an action has no `on_mount` of its own: the error is on the attribute, and names
// the atom and its kind.
nexus::store! { pub struct Market; }

nexus::atom! {
    #![store(Market)]
    pub static PRICE: u64 = 0;
    #[on_mount(|_store, _set| {
        println!("first observer");
        move || println!("last observer gone")
    })]
    pub static DOUBLED: u64 = computed(|s| s.get(&PRICE) * 2);
    #[on_mount(|_store, _set| move || {})]
    pub static HALF: u64 = writable(|s| s.get(&PRICE) / 2, |s, v: u64| s.set(&PRICE, v * 2));
    #[on_mount(|_store, _set| move || {})]
    pub static LAST: u64 = async_computed(|s| {
        let price = s.get(&PRICE);
        async move { Ok::<_, std::fmt::Error>(price) }
    });
    #[on_mount(|_store, _set| move || {})]
    pub static QUOTE: u64 = family(|id: &u64| *id);
    #[on_mount(|_store, _set| move || {})]
    pub static BUY: Action<u64> = action(|s, n| s.update(&PRICE, |p| *p += n));
}

fn main() {}
