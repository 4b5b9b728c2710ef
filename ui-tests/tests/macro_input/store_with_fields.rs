nexus::store! {
    pub struct Session {
        clicks: u32,
    }
}

fn main() {}
