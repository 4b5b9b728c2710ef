// `#[on_mount]` takes exactly one function of `store` and `set`: no argument, an empty one, two
// arguments, the `=` form and a closure of one parameter are each an error on what is wrong.
nexus::store! { pub struct Market; }

nexus::atom! {
    #![store(Market)]
    #[on_mount]
    pub static A: u64 = 0;
    #[on_mount()]
    pub static B: u64 = 0;
    #[on_mount(|_store, _set| move || {}, 2)]
    pub static C: u64 = 0;
    #[on_mount = |_store, _set| move || {}]
    pub static D: u64 = 0;
    #[on_mount(|set| move || drop(set))]
    pub static E: u64 = 0;
}

fn main() {}
