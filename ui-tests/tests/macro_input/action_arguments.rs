// An action's function takes `s` and the argument; `action` takes one function.
nexus::store! {
    pub struct Session;
}

nexus::atom! {
    #![store(Session)]
    pub static CLICKS: u32 = 0;
    pub static ONE_PARAM: Action<u32> = action(|s| s.set(&CLICKS, 1));
    pub static THREE_PARAMS: Action<u32> = action(|s, a, b| s.set(&CLICKS, a + b));
    pub static NO_FUNCTION: Action<u32> = action();
}

fn main() {}
