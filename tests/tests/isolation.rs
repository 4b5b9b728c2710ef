//! Isolation rules (SPEC §4 "Isolation", "Global mode"; issue 2 item 8).

// On wasm32 these tests run in headless Chromium (`scripts/wasm-test.sh`): wasm-bindgen-test's `#[test]`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::sync::atomic::{AtomicUsize, Ordering};

use nexus::{AtomKind, Mode};

nexus::store! {
    /// One user's session.
    pub struct Session;
    /// Another store type.
    pub struct Cart;
    /// A global-mode store.
    #[mode(global)]
    pub struct Shared;
    /// Another global-mode store type.
    #[mode(global)]
    pub struct SharedToo;
}

fn anonymous() -> String {
    String::from("anonymous")
}

/// Counts the initialiser of `LAZY` alone (no other test touches it, so tests running in parallel do
/// not move the count).
static LAZY_CALLS: AtomicUsize = AtomicUsize::new(0);

fn lazy_init() -> String {
    LAZY_CALLS.fetch_add(1, Ordering::SeqCst);
    String::from("anonymous")
}

nexus::atom! {
    #![store(Session)]
    /// Clicks so far.
    pub static CLICKS: u32 = 0;
    pub static NAME: String = anonymous();
    pub static LAZY: String = lazy_init();
    #[name = "taps"]
    pub static TAPS: u32 = 7;
}

nexus::atom! {
    #![store(Shared)]
    pub static SHARED_OWN: u32 = 0;
}

nexus::atom! {
    /// Global atoms used only by this test file (the global registry is process-wide).
    pub static ISO_THEME: u8 = 1;
    pub static ISO_ONLY_ISOLATED: u8 = 0;
    pub static ISO_GLOBAL_LISTED: u8 = 0;
}

#[test]
fn two_instances_of_one_store_type_hold_their_own_values() {
    let alice = Session::new();
    let bob = Session::new();
    alice.set(&CLICKS, 5);
    bob.set(&CLICKS, 9);
    assert_eq!(alice.get(&CLICKS), 5);
    assert_eq!(bob.get(&CLICKS), 9);
    alice.update(&CLICKS, |c| *c += 1);
    assert_eq!(alice.get(&CLICKS), 6);
    assert_eq!(bob.get(&CLICKS), 9);
    assert_eq!(Session::new().get(&CLICKS), 0);
}

#[test]
fn global_atoms_are_per_instance_in_isolated_stores() {
    let session = Session::new();
    let cart = Cart::new();
    let other = Session::new();
    session.set(&ISO_THEME, 2);
    cart.set(&ISO_THEME, 3);
    assert_eq!(session.get(&ISO_THEME), 2);
    assert_eq!(cart.get(&ISO_THEME), 3);
    assert_eq!(other.get(&ISO_THEME), 1);
}

#[test]
fn global_mode_stores_share_global_atoms_but_not_their_own() {
    let a = Shared::new();
    let b = Shared::new();
    let c = SharedToo::new();
    a.set(&ISO_THEME, 42);
    assert_eq!(b.get(&ISO_THEME), 42);
    assert_eq!(c.get(&ISO_THEME), 42, "every global-mode store type shares the registry");
    a.set(&SHARED_OWN, 5);
    assert_eq!(b.get(&SHARED_OWN), 0, "a global-mode store's own atoms stay per instance");
    c.set(&ISO_THEME, 1);
    assert_eq!(a.get(&ISO_THEME), 1);
}

#[test]
fn global_mode_does_not_leak_into_isolated_stores_either_way() {
    nexus::atom! { pub static LEAK_CHECK: u32 = 0; }
    let global = Shared::new();
    let isolated = Session::new();
    global.set(&LEAK_CHECK, 10);
    assert_eq!(isolated.get(&LEAK_CHECK), 0);
    isolated.set(&LEAK_CHECK, 20);
    assert_eq!(global.get(&LEAK_CHECK), 10);
    assert_eq!(Shared::new().get(&LEAK_CHECK), 10);
}

#[test]
fn registry_is_per_instance_in_registration_order() {
    let a = Session::new();
    let b = Session::new();
    assert!(a.atoms().is_empty());
    a.get(&TAPS);
    a.set(&CLICKS, 1);
    let _ = a.subscribe(&NAME, |_| {});
    b.get(&CLICKS);
    let names: Vec<String> = a.atoms().iter().map(|i| i.name().to_owned()).collect();
    assert_eq!(names, ["taps", "CLICKS", "NAME"]);
    let names: Vec<String> = b.atoms().iter().map(|i| i.name().to_owned()).collect();
    assert_eq!(names, ["CLICKS"]);
    let info = a.find("taps").expect("found by registry name");
    assert_eq!(info.path(), "isolation::TAPS");
    assert_eq!(info.kind(), AtomKind::Primitive);
    assert_eq!(info.owner(), "Session");
    assert_eq!(info.type_name(), "u32");
    // No tool attached: registrations read no clock.
    assert_eq!(info.registered_at(), None);
    // With a tool attached, stamped by a clock that works on every target (on wasm32, `Date.now()`).
    let c = Session::new();
    let _tools = nexus::DevTools::attach(&c);
    c.get(&TAPS);
    let registered = c.find("taps").and_then(|i| i.registered_at()).expect("stamped while observed");
    assert!(registered <= nexus_tests::now());
    let since_epoch = registered.duration_since(std::time::UNIX_EPOCH).expect("after 1970");
    assert!(since_epoch.as_secs() > 1_700_000_000, "a real date, not the epoch: {registered:?}");
    assert_eq!(a.find("isolation::CLICKS").expect("found by path").name(), "CLICKS");
    assert!(b.find("taps").is_none(), "find looks in this instance only");
    assert!(a.find("nope").is_none());
}

#[test]
fn atoms_register_on_first_get_set_or_subscribe_only() {
    let s = Session::new();
    let _ = s.key(&CLICKS);
    assert!(s.atoms().is_empty(), "key() does not register");
    s.set(&TAPS, 1);
    assert_eq!(s.atoms().len(), 1);
    let _sub = s.subscribe(&CLICKS, |_| {});
    assert_eq!(s.atoms().len(), 2);
}

#[test]
fn global_registry_lists_atoms_touched_by_global_mode_stores_only() {
    let isolated = Session::new();
    isolated.set(&ISO_ONLY_ISOLATED, 1);
    Shared::new().set(&ISO_GLOBAL_LISTED, 1);
    let paths: Vec<String> = nexus::global::atoms().iter().map(|i| i.path().to_owned()).collect();
    assert!(paths.contains(&"isolation::ISO_GLOBAL_LISTED".to_owned()), "{paths:?}");
    assert!(!paths.contains(&"isolation::ISO_ONLY_ISOLATED".to_owned()), "{paths:?}");
    let info = nexus::global::atoms().into_iter().find(|i| i.name() == "ISO_GLOBAL_LISTED").expect("listed");
    assert_eq!(info.owner(), "Global");
    assert_eq!(info.key().store_id(), None);
    assert_eq!(info.key().to_string(), "global/isolation::ISO_GLOBAL_LISTED");
    assert!(
        Shared::new().atoms().iter().all(|i| i.name() != "ISO_GLOBAL_LISTED"),
        "values live in the global registry"
    );
}

#[test]
fn initializers_run_lazily_once_per_store_instance() {
    let before = LAZY_CALLS.load(Ordering::SeqCst);
    let a = Session::new();
    let b = Session::new();
    assert_eq!(LAZY_CALLS.load(Ordering::SeqCst), before, "creating stores runs no initializer");
    assert_eq!(a.get(&LAZY), "anonymous");
    assert_eq!(a.get(&LAZY), "anonymous");
    a.with(&LAZY, |n| assert_eq!(n, "anonymous"));
    assert_eq!(LAZY_CALLS.load(Ordering::SeqCst), before + 1);
    b.set(&LAZY, "bob".into());
    assert_eq!(LAZY_CALLS.load(Ordering::SeqCst), before + 2, "registration by set initialises too");
}

#[test]
fn reset_returns_to_the_initial_value() {
    let s = Session::new();
    s.set(&TAPS, 100);
    s.reset(&TAPS);
    assert_eq!(s.get(&TAPS), 7);
}

#[test]
fn keys_ids_modes_and_debug() {
    let a = Session::new();
    let b = Session::new();
    assert_ne!(a.id(), b.id());
    assert_eq!(a.key(&CLICKS).to_string(), format!("Session#{}/isolation::CLICKS", a.id().get()));
    assert_ne!(a.key(&CLICKS), b.key(&CLICKS));
    assert_ne!(a.key(&CLICKS), a.key(&TAPS));
    assert_eq!(a.key(&CLICKS), a.key(&CLICKS));
    assert_eq!(a.mode(), Mode::Isolated);
    assert_eq!(Shared::new().mode(), Mode::Global);
    a.set(&CLICKS, 1);
    a.set(&TAPS, 1);
    let debug = format!("{a:?}");
    assert!(debug.contains("Session"), "{debug}");
    assert!(debug.contains(&format!("id: {}", a.id().get())), "{debug}");
    assert!(debug.contains("atoms: 2"), "{debug}");
}

#[test]
fn clones_of_a_store_handle_are_the_same_instance() {
    let a = Session::new();
    let also_a = a.clone();
    also_a.set(&CLICKS, 3);
    assert_eq!(a.get(&CLICKS), 3);
    assert_eq!(a.id(), also_a.id());
    let d = Session::default();
    assert_ne!(d.id(), a.id());
}

nexus::atom! {
    #![store(Session)]
    /// Owned by `Cart` despite the invocation's `Session`.
    #[store(Cart)]
    pub static CART_ITEMS: u32 = 0;
    #[cfg(any())]
    pub static COMPILED_OUT: u32 = 0;
    #[cfg(all())]
    pub static COMPILED_IN: u32 = 5;
}

#[test]
fn item_store_attributes_override_and_cfg_is_forwarded() {
    let cart: &nexus::Atom<u32, Cart> = &CART_ITEMS;
    let c = Cart::new();
    c.set(cart, 2);
    assert_eq!(c.get(&CART_ITEMS), 2);
    assert_eq!(c.atoms()[0].owner(), "Cart");
    assert_eq!(Session::new().get(&COMPILED_IN), 5);
}
