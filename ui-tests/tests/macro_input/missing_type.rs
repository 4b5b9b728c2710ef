nexus::atom! {
    pub static CLICKS = 0;
}

fn main() {}
