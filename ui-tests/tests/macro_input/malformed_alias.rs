// `#[alias = "old::PATH"]` takes one non-empty string; and only atoms that snapshots carry by key
// (primitive atoms and `family(..)`) have old keys to accept.
nexus::store! { pub struct Session; }

nexus::atom! {
    #![store(Session)]
    #[alias = 3]
    pub static A: u32 = 0;
    #[alias("old::B")]
    pub static B: u32 = 0;
    #[alias = ""]
    pub static C: u32 = 0;
    #[alias = "old::DOUBLE"]
    pub static DOUBLE: u32 = computed(|s| s.get(&A) * 2);
}

fn main() {}
