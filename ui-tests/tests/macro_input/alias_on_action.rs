// An action holds no value, so no snapshot carries it and it has no old key to accept: `#[alias]` on
// it is an error (spanned on the alias), while `#[name]` names its runs in the tools.
nexus::store! { pub struct Session; }

nexus::atom! {
    #![store(Session)]
    pub static CLICKS: u32 = 0;
    #[name = "add"]
    #[alias = "old::ADD"]
    pub static ADD: Action<u32> = action(|s, n| s.update(&CLICKS, |c| *c += n));
}

fn main() {}
