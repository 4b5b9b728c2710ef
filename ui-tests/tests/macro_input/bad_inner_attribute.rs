nexus::atom! {
    #![owner(Session)]
    pub static CLICKS: u32 = 0;
}

fn main() {}
