pub struct NotAStore;

nexus::atom! {
    #![store(NotAStore)]
    pub static CLICKS: u32 = 0;
}

fn main() {}
