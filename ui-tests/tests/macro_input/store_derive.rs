nexus::store! {
    #[derive(Clone)]
    pub struct Session;
}

fn main() {}
