// `set`, `update` and `reset` do not accept a computed atom.
nexus::store! {
    pub struct Session;
}

nexus::atom! {
    #![store(Session)]
    pub static CLICKS: u32 = 0;
    pub static DOUBLE: u32 = computed(|s| s.get(&CLICKS) * 2);
}

fn main() {
    let s = Session::new();
    s.set(&DOUBLE, 4);
    s.update(&DOUBLE, |v| *v += 1);
    s.reset(&DOUBLE);
}
