// An action's result may be ignored without a warning (no `#[must_use]`), and actions are usable from
// code generic over stores.
#![deny(warnings)]

nexus::store! {
    pub struct Session;
}

nexus::atom! {
    #![store(Session)]
    pub static CLICKS: u32 = 0;
    pub static ADD_CLICKS: Action<u32, u32> = action(|s, n| {
        s.update(&CLICKS, |c| *c += n);
        s.get(&CLICKS)
    });
}

fn twice<S: nexus::Store>(store: &S, action: &nexus::Action<u32, u32, S>) {
    store.run(action, 1);
    nexus::Store::run(store, action, 1);
}

fn main() {
    let session = Session::new();
    session.run(&ADD_CLICKS, 1);
    twice(&session, &ADD_CLICKS);
    assert_eq!(session.get(&CLICKS), 3);
}
