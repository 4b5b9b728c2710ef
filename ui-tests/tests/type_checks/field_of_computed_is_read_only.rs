// The field atom of a computed atom is read-only, as its parent: `set` does not accept it.
#[derive(Clone, PartialEq, Debug, nexus::Fields)]
pub struct User {
    pub name: String,
    pub age: u32,
}

nexus::store! {
    pub struct Session;
}

nexus::atom! {
    #![store(Session)]
    pub static USER: User = User { name: String::new(), age: 0 };
    pub static OLDER: User = computed(|s| {
        let user = s.get(&USER);
        User { age: user.age + 1, ..user }
    });
}

fn main() {
    let s = Session::new();
    s.set(&OLDER.age(), 40);
}
