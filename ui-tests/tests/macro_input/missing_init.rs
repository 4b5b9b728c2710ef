nexus::atom! {
    pub static CLICKS: u32;
}

fn main() {}
