nexus::atom! {
    pub static ROW: u32 = family(|id| *id as u32);
}

fn main() {}
