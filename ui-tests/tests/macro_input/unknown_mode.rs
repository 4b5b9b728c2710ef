nexus::store! {
    #[mode(shared)]
    pub struct Session;
}

fn main() {
    // The store is still emitted: using it causes no further error.
    let _ = Session::new();
}
