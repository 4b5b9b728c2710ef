// Code generic over stores, and `Global` atoms with every store, compile.
nexus::store! {
    pub struct Session;
    #[mode(global)]
    pub struct Shared;
}

nexus::atom! {
    #![store(Session)]
    pub static CLICKS: i32 = 0;
}

nexus::atom! {
    #![store(Shared)]
    pub static VISITS: i32 = 0;
    pub static LABEL: String = computed(|s| format!("{} visits, theme {}", s.get(&VISITS), s.get(&THEME)));
}

nexus::atom! {
    pub static THEME: i32 = 1;
    pub static THEME_TWICE: i32 = computed(|s| s.get(&THEME) * 2);
}

fn bump<S: nexus::Store>(s: &S, a: &nexus::Atom<i32, S>) {
    s.update(a, |v| *v += 1);
}

fn bump_any<S: nexus::Store, O: nexus::UsableIn<S>>(s: &S, a: &nexus::Atom<i32, O>) {
    s.update(a, |v| *v += 1);
}

fn theme<S: nexus::Store>(s: &S) -> i32 {
    s.get(&THEME) + s.get(&THEME_TWICE)
}

fn main() {
    let session = Session::new();
    let shared = Shared::new();
    bump(&session, &CLICKS);
    bump(&shared, &VISITS);
    bump_any(&session, &THEME);
    bump_any(&shared, &THEME);
    bump_any(&session, &CLICKS);
    let _ = (theme(&session), theme(&shared), shared.get(&LABEL));
}
