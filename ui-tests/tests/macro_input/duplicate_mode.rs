nexus::store! {
    #[mode(global)]
    #[mode(isolated)]
    pub struct Session;
}

fn main() {
    let _ = Session::new();
}
