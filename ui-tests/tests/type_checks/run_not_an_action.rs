// `run` takes an action; an atom is not one.
nexus::store! {
    pub struct Session;
}

nexus::atom! {
    #![store(Session)]
    pub static CLICKS: u32 = 0;
}

fn main() {
    let session = Session::new();
    session.run(&CLICKS, 1);
}
