// Only `Global` atoms are mirrored through Redis: an atom of one store is that store's own.
nexus::store! {
    pub struct Session;
}

nexus::atom! {
    #![store(Session)]
    #[name = "clicks"]
    pub static CLICKS: u32 = 0;
}

fn main() {
    let _ = nexus::redis::Options::new("app").atom(&CLICKS);
}
