// A `Global` derived atom may read only `Global` atoms: it can be used with every store, and
// `Session`'s atoms exist only in `Session` stores.
nexus::store! {
    pub struct Session;
}

nexus::atom! {
    #![store(Session)]
    pub static CLICKS: u32 = 0;
}

nexus::atom! {
    pub static DOUBLE: u32 = computed(|s| s.get(&CLICKS) * 2);
}

fn main() {}
