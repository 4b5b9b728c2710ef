//! A short tour of nexus: isolated stores, derived atoms, subscriptions and global mode.
//!
//! Run with `cargo run --example tour`.

use std::sync::{Arc, Mutex};

nexus::store! {
    /// One user's session: every instance holds its own values.
    pub struct Session;
}

nexus::store! {
    /// Application-wide state: `Global` atoms are shared by every instance of a global-mode store.
    #[mode(global)]
    pub struct App;
}

nexus::atom! {
    #![store(Session)]
    /// Items in the cart.
    pub static ITEMS: Vec<(String, u32)> = Vec::new();
    /// Total price, derived from the items.
    pub static TOTAL: u32 = computed(|s| s.with(&ITEMS, |items| items.iter().map(|(_, p)| p).sum()));
    /// How many items: reading counts them; setting it keeps only the first `n` (a writable atom).
    pub static ITEM_COUNT: usize = writable(
        |s| s.with(&ITEMS, Vec::len),
        |s, n: usize| s.update(&ITEMS, |items| items.truncate(n)),
    );
    /// Total with tax, derived from the total (and the shared tax rate).
    pub static TOTAL_WITH_TAX: u32 = computed(|s| s.get(&TOTAL) * (100 + s.get(&TAX_PERCENT)) / 100);
}

nexus::atom! {
    /// The tax rate in percent: a `Global` atom, usable with every store.
    pub static TAX_PERCENT: u32 = 20;
}

nexus::atom! {
    #![store(App)]
    /// Visitors counted by this `App` instance alone (the store's own atoms stay per instance).
    pub static LOCAL_VISITS: u32 = 0;
}

fn add(store: &Session, name: &str, price: u32) {
    store.update(&ITEMS, |items| items.push((name.to_owned(), price)));
}

fn main() {
    println!("== isolation: two sessions of one store type");
    let alice = Session::new();
    let bob = Session::new();
    add(&alice, "book", 30);
    add(&alice, "lamp", 70);
    add(&bob, "pen", 5);
    println!(
        "alice: {:?} total {} (with tax {})",
        alice.get(&ITEMS),
        alice.get(&TOTAL),
        alice.get(&TOTAL_WITH_TAX)
    );
    println!(
        "bob:   {:?} total {} (with tax {})",
        bob.get(&ITEMS),
        bob.get(&TOTAL),
        bob.get(&TOTAL_WITH_TAX)
    );

    println!("\n== Global atoms in isolated stores: each instance still has its own value");
    alice.set(&TAX_PERCENT, 10);
    println!("alice's tax {}%, bob's tax {}%", alice.get(&TAX_PERCENT), bob.get(&TAX_PERCENT));
    println!("alice's total with tax is now {}", alice.get(&TOTAL_WITH_TAX));

    println!("\n== subscriptions: called once per change, after it");
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    let subscription = alice.subscribe(&TOTAL_WITH_TAX, move |total| {
        sink.lock().expect("log lock").push(*total);
    });
    add(&alice, "chair", 100);
    alice.batch(|| {
        add(&alice, "mug", 10);
        add(&alice, "desk", 200);
    });
    drop(subscription);
    add(&alice, "ignored", 1);
    println!("alice's subscriber saw totals {:?} (the batch notified once)", log.lock().expect("log lock"));

    println!("\n== writable atoms: a derived value with a write function");
    println!("alice has {} items; setting ITEM_COUNT to 2 keeps the first two", alice.get(&ITEM_COUNT));
    alice.set(&ITEM_COUNT, 2);
    println!("alice: {:?}, total with tax {}", alice.get(&ITEMS), alice.get(&TOTAL_WITH_TAX));

    println!("\n== keys and registries are per instance");
    println!("alice's key for ITEMS: {}", alice.key(&ITEMS));
    println!("bob's key for ITEMS:   {}", bob.key(&ITEMS));
    let names: Vec<String> = alice.atoms().iter().map(|a| format!("{} ({})", a.name(), a.kind())).collect();
    println!("alice holds: {}", names.join(", "));

    println!("\n== global mode: `Global` atoms shared by every global-mode store");
    let first = App::new();
    let second = App::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let _watch = second.subscribe(&TAX_PERCENT, move |rate| sink.lock().expect("seen lock").push(*rate));
    first.set(&TAX_PERCENT, 25);
    first.set(&LOCAL_VISITS, 3);
    println!("second App sees tax {}% (set through the first)", second.get(&TAX_PERCENT));
    println!("second App's subscriber was told: {:?}", seen.lock().expect("seen lock"));
    println!(
        "but LOCAL_VISITS stays per instance: first {}, second {}",
        first.get(&LOCAL_VISITS),
        second.get(&LOCAL_VISITS)
    );
    println!("isolated sessions are untouched: bob's tax {}%", bob.get(&TAX_PERCENT));
    let shared: Vec<String> = nexus::global::atoms().iter().map(|a| a.path().to_owned()).collect();
    println!("the global registry holds: {}", shared.join(", "));
}
