// A derived atom of `Cart` may not read an atom of `Session`.
nexus::store! {
    pub struct Session;
    pub struct Cart;
}

nexus::atom! {
    #![store(Session)]
    pub static CLICKS: u32 = 0;
}

nexus::atom! {
    #![store(Cart)]
    pub static DOUBLE: u32 = computed(|s| s.get(&CLICKS) * 2);
}

fn main() {}
