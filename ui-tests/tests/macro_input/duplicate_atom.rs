nexus::store! { pub struct Session; }

nexus::atom! {
    #![store(Session)]
    pub static CLICKS: u32 = 0;
    pub static CLICKS: u64 = 1;
}

fn main() {
    let _ = Session::new().get(&CLICKS);
}
