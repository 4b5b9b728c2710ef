nexus::atom! {
    pub const CLICKS: u32 = 0;
}

fn main() {}
