// `#[on_mount]` on primitive atoms, store-owned and `Global`: the function gets the store and a setter
// it may move to another thread, and returns the unmount closure; the run-time form too.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

nexus::store! { pub struct Market; }

fn start_ticker(set: nexus::Setter<u64>) -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    std::thread::spawn(move || {
        if !flag.load(Ordering::Acquire) && set.is_mounted() {
            set.update(|p| *p += 1);
        }
    });
    stop
}

/// A mount function may be a function item (or any expression of a function type).
fn mount_volume(_store: &nexus::StoreRef, set: nexus::Setter<u64>) -> impl FnOnce() + Send + 'static {
    set.set(100);
    move || drop(set)
}

nexus::atom! {
    #![store(Market)]
    #[on_mount(|store, set| {
        let _ = (store.id(), store.name());
        let stop = start_ticker(set);
        move || stop.store(true, Ordering::Release)
    })]
    pub static PRICE: u64 = 0;
    /// Documented, renamed, and mounted.
    #[name = "volume"]
    #[on_mount(mount_volume)]
    pub static VOLUME: u64 = 0;
    #[on_mount(|_store, set: nexus::Setter<u64>| {
        set.set(1);
        || {}
    })]
    pub static LOT: u64 = 0;
    pub static TOTAL: u64 = computed(|s| s.get(&PRICE) * s.get(&VOLUME) * s.get(&LOT));
}

nexus::atom! {
    #[on_mount(|_store, _set| move || {})]
    pub static THEME: String = String::new();
}

fn main() {
    let market = Market::new();
    let _sub = market.subscribe(&TOTAL, |_| {});
    let _ = market.get(&THEME);
    let _fx = market.effect(|s| {
        let _ = s.get(&PRICE);
    });
    let _runtime = nexus::Atom::<u64, Market>::new(0).on_mount(|_store, set| move || drop(set));
}
