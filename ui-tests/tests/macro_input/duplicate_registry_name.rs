nexus::store! { pub struct Session; }

nexus::atom! {
    #![store(Session)]
    #[name = "clicks"]
    pub static CLICKS: u32 = 0;
    #[name = "clicks"]
    pub static TAPS: u32 = 0;
}

fn main() {}
