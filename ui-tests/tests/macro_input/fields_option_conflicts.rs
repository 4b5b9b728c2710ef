// Options that exclude each other, or repeat: the error is on the second one written.
#[derive(nexus::Fields)]
pub struct Todo {
    #[fields(key, skip)]
    pub id: u64,
    #[fields(skip)]
    #[fields(name = "text")]
    title: String,
    #[fields(name = "finished", name = "complete")]
    pub done: bool,
}

fn main() {}
