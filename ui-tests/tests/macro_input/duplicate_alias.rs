// One old key listed twice on one atom.
nexus::store! { pub struct Session; }

nexus::atom! {
    #![store(Session)]
    #[alias = "app::CLICKS"]
    #[alias = "app::CLICKS"]
    pub static CLICKS: u32 = 0;
}

fn main() {}
