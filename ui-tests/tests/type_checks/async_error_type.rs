// An async atom's future may fail with any `E: Into<Box<dyn Error + Send + Sync>>`; an error type that
// is none of those is rejected on the user's function, with what is accepted.
nexus::store! {
    pub struct Page;
}

/// Neither `std::error::Error` nor convertible into a boxed error.
#[derive(Debug)]
pub struct Code(pub u16);

nexus::atom! {
    #![store(Page)]
    pub static USER: String = async_computed(|_s| async move { Err::<String, _>(Code(404)) });
    pub static POST: String = family_async(|id: &u64, _s| {
        let id = *id;
        async move { if id > 0 { Ok(id.to_string()) } else { Err(Code(404)) } }
    });
}

fn main() {
    let _ = nexus::AsyncComputed::<u32, Page>::new(|_| async { Err::<u32, _>(Code(500)) });
}
