// `#[alias = "old::PATH"]` takes one non-empty string; and only atoms that snapshots carry by key
// (primitive atoms, `async_computed(..)`, `family(..)` and `family_async(..)`) have old keys to accept.
// An action's alias: `alias_on_action.rs`.
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
