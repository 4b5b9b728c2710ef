// An action's type is `Action<Arg>` or `Action<Arg, Output>`; its store comes from `store(..)`.
nexus::store! {
    pub struct Session;
}

nexus::atom! {
    #![store(Session)]
    pub static NOT_AN_ACTION_TYPE: u32 = action(|s, n: u32| {});
    pub static WITH_ITS_STORE: Action<u32, (), Session> = action(|s, n| {});
    pub static NO_ARGUMENT_TYPE: Action = action(|s, n| {});
}

fn main() {}
