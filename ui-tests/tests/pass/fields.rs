// `#[derive(nexus::Fields)]`: field atoms of declared, run-time, writable and computed atoms, nested,
// keyed, with every option; the generated trait and its methods are documented (`missing_docs` denied),
// and nothing in the expansion needs names from the prelude.
#![deny(missing_docs, warnings)]
//! Field atoms.

// Items of the prelude's names must not break the expansion.
#[allow(dead_code)]
struct Option;
#[allow(dead_code)]
struct Some;
#[allow(dead_code)]
struct Clone;

/// A postal address.
#[derive(std::clone::Clone, PartialEq, Debug, nexus::Fields)]
pub struct Address {
    /// The city.
    pub city: String,
    /// The postcode.
    #[fields(name = "postcode")]
    pub zip: String,
}

#[derive(std::clone::Clone, PartialEq, Debug)]
struct Secret(u8);

/// A user.
#[derive(std::clone::Clone, PartialEq, Debug, nexus::Fields)]
pub struct User {
    /// Shown everywhere.
    pub name: String,
    /// Years.
    #[fields(name = "years")]
    pub age: u32,
    // Without `skip`, the public trait's method would expose the private type `Secret`.
    #[fields(skip)]
    cache: Secret,
    /// Where the user lives.
    pub address: Address,
    /// The next user, if any.
    pub r#ref: std::option::Option<Box<Self>>,
}

/// One thing to do.
#[derive(std::clone::Clone, PartialEq, Debug, nexus::Fields)]
pub struct Todo {
    /// Its key.
    #[fields(key)]
    pub id: u64,
    /// What to do.
    pub title: String,
    /// Whether it is done.
    pub done: bool,
}

mod private {
    // A private struct gets a private trait.
    #[derive(Clone, PartialEq, Debug, nexus::Fields)]
    pub(crate) struct Point {
        pub(crate) x: i32,
        pub(crate) y: i32,
    }
}

nexus::store! {
    /// The session.
    pub struct Session;
}

nexus::atom! {
    #![store(Session)]
    /// The user.
    pub static USER: User = User {
        name: "ada".into(),
        age: 36,
        cache: Secret(0),
        address: Address { city: "London".into(), zip: "N1".into() },
        r#ref: None,
    };
    /// The user, computed.
    pub static SHOUTED: User = computed(|s| {
        let mut user = s.get(&USER);
        user.name = user.name.to_uppercase();
        user
    });
    /// The todo list.
    pub static TODOS: Vec<Todo> = vec![Todo { id: 7, title: "write".into(), done: false }];
}

use private::PointFields as _;

fn main() {
    let s = Session::new();
    s.set(&USER.name(), "grace".to_owned());
    s.set(&USER.age(), s.get(&USER.age()) + 1);
    s.set(&USER.address().city(), "Paris".to_owned());
    assert_eq!(s.get(&USER.address().zip()), "N1");
    assert_eq!(s.get(&USER).age, 37);
    assert!(s.get(&USER.r#ref()).is_none());
    assert_eq!(s.get(&SHOUTED.name()), "GRACE");
    assert_eq!(USER.address().zip().registry_name(), "USER.address.postcode");
    let _sub = s.subscribe(&USER.age(), |_| {});

    let todo = TODOS.each().at(&7);
    assert_eq!(s.get(&todo).map(|t| t.title), std::option::Option::Some("write".to_owned()));
    assert_eq!(<Todo as nexus::Keyed>::key(&s.get(&TODOS)[0]), &7);

    let point = nexus::Atom::<private::Point, Session>::new(private::Point { x: 1, y: 2 });
    s.set(&point.x(), 5);
    assert_eq!(s.get(&point.y()), 2);
}
