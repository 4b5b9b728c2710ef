nexus::store! {
    pub struct Session<T>;
}

fn main() {}
