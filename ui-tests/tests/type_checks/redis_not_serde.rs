// A mirrored atom's value travels as JSON: its type must be `Serialize + Deserialize`.
#[derive(Clone, PartialEq)]
pub struct Handle(pub u32);

nexus::atom! {
    #[name = "handle"]
    pub static HANDLE: Handle = Handle(0);
}

fn main() {
    let _ = nexus::redis::Options::new("app").atom(&HANDLE);
}
