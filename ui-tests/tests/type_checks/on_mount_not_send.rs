// The unmount closure runs on whichever thread unmounts the atom, so it must be `Send`: one holding an
// `Rc` is rejected, on the mount function's body.
use std::rc::Rc;

nexus::store! { pub struct Market; }

nexus::atom! {
    #![store(Market)]
    #[on_mount(|_store, _set| {
        let ticks = Rc::new(0);
        move || drop(ticks)
    })]
    pub static PRICE: u64 = 0;
}

fn main() {}
