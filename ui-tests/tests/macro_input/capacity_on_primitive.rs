nexus::atom! {
    #[capacity = 10]
    pub static CLICKS: u32 = 0;
}

fn main() {}
