//! Field atoms: a user form whose widgets each observe one field (`USER.name()`,
//! `USER.address().city()`), and a keyed todo list whose rows each observe one element
//! (`TODOS.each().at(&id)`), with `nexus::select` for a count.
//!
//! Every widget, row and derived atom prints (or counts) when it runs, so the output shows who is told
//! of what: only the observers of what really changed.
//!
//! Run with `cargo run --example fields`. Every run prints the same lines.

use std::sync::atomic::{AtomicUsize, Ordering};

use nexus::{Fields, Subscription};

// ---------------------------------------------------------------------------------------------------
// (a) A user form: a widget per field.

/// Where a user lives.
#[derive(Clone, PartialEq, Debug, Fields)]
pub struct Address {
    pub city: String,
    pub zip: String,
}

/// The user the form edits. The derive generates `UserFields` (and `AddressFields`): an atom of any
/// of these structs has a method per field, giving that field's atom.
#[derive(Clone, PartialEq, Debug, Fields)]
pub struct User {
    pub name: String,
    pub email: String,
    pub age: u32,
    pub address: Address,
}

nexus::store! {
    /// One open form.
    pub struct Form;
}

/// Runs of `DISPLAY_NAME`'s read function.
static DISPLAY_NAME_RUNS: AtomicUsize = AtomicUsize::new(0);

nexus::atom! {
    #![store(Form)]
    pub static USER: User = User {
        name: "Ada Lovelace".into(),
        email: "ada@example.com".into(),
        age: 36,
        address: Address { city: "London".into(), zip: "N1".into() },
    };
    /// Derived from the name only: recomputed when the name changes, never for another field.
    pub static DISPLAY_NAME: String = computed(|s| {
        DISPLAY_NAME_RUNS.fetch_add(1, Ordering::SeqCst);
        let name = s.get(&USER.name());
        // "Ada Lovelace" -> "Ada L."
        match name.split_once(' ').and_then(|(first, last)| Some((first, last.chars().next()?))) {
            Some((first, initial)) => format!("{first} {initial}."),
            None => name,
        }
    });
}

/// A "widget" showing one value: a subscriber that prints when it runs.
fn widget<A>(form: &Form, label: &'static str, atom: &A) -> Subscription
where
    A: nexus::Readable<Owner = Form>,
    A::Value: std::fmt::Debug,
{
    form.subscribe(atom, move |v| println!("  [{label}] re-rendered: {v:?}"))
}

fn user_form() {
    println!("== (a) a user form: one widget per field atom");
    let form = Form::new();
    println!(
        "field atoms are named for tools: {}, {}",
        USER.name().registry_name(),
        USER.address().city().registry_name()
    );

    // Every widget observes exactly what it shows; the form's "save" button observes the whole user.
    let _widgets = [
        widget(&form, "name widget", &USER.name()),
        widget(&form, "email widget", &USER.email()),
        widget(&form, "age widget", &USER.age()),
        widget(&form, "city widget", &USER.address().city()),
        widget(&form, "zip widget", &USER.address().zip()),
        widget(&form, "title bar (DISPLAY_NAME)", &DISPLAY_NAME),
        form.subscribe(&USER, |_| println!("  [save button] the user changed")),
    ];
    println!("display name {:?} (computed {} time)", form.get(&DISPLAY_NAME), runs());

    println!("typing a name -> the name widget, the title bar and the save button only:");
    form.set(&USER.name(), "Grace Hopper".to_owned());

    println!("typing a city (two levels down) -> the city widget and the save button only:");
    form.set(&USER.address().city(), "Arlington".to_owned());

    println!("a birthday (update of one field) -> the age widget and the save button only:");
    form.update(&USER.age(), |age| *age += 1);

    println!("typing the same email again -> no change, nothing runs:");
    form.set(&USER.email(), "ada@example.com".to_owned());

    println!("replacing the whole user (a server reply) with only the email changed -> the email widget:");
    let mut reply = form.get(&USER);
    "grace@example.com".clone_into(&mut reply.email);
    form.set(&USER, reply);

    println!("two fields in one batch -> each of their widgets once, the save button once:");
    form.batch(|| {
        form.set(&USER.address().zip(), "22201".to_owned());
        form.update(&USER.age(), |age| *age += 1);
    });

    println!(
        "display name {:?}: computed {} times (first read, then the one name change)",
        form.get(&DISPLAY_NAME),
        runs()
    );
    println!("the user: {:?}", form.get(&USER));
}

fn runs() -> usize {
    DISPLAY_NAME_RUNS.load(Ordering::SeqCst)
}

// ---------------------------------------------------------------------------------------------------
// (b) A keyed todo list: a row per element, by key.

/// One thing to do, keyed by its id: `TODOS.each().at(&id)` is the atom of the todo with that id,
/// wherever it is in the list.
#[derive(Clone, PartialEq, Debug, Fields)]
pub struct Todo {
    #[fields(key)]
    pub id: u32,
    pub title: String,
    pub done: bool,
}

impl Todo {
    fn new(id: u32, title: &str) -> Self {
        Todo { id, title: title.to_owned(), done: false }
    }
}

nexus::store! {
    /// One todo screen.
    pub struct Screen;
}

nexus::atom! {
    #![store(Screen)]
    pub static TODOS: Vec<Todo> =
        vec![Todo::new(1, "buy milk"), Todo::new(2, "write docs"), Todo::new(3, "call mum")];
}

/// Runs of every row subscriber together.
static ROW_RUNS: AtomicUsize = AtomicUsize::new(0);

fn row_runs() -> usize {
    ROW_RUNS.load(Ordering::SeqCst)
}

fn todo_list() {
    println!("\n== (b) a keyed todo list: one row subscriber per element atom");
    let screen = Screen::new();
    let todos = TODOS.each();

    // A row per todo, subscribed to its element atom (`Option<Todo>`: `None` once the todo is gone).
    let ids = screen.get(&todos.keys());
    let _rows: Vec<Subscription> = ids
        .iter()
        .map(|&id| {
            screen.subscribe(&todos.at(&id), move |todo| {
                ROW_RUNS.fetch_add(1, Ordering::SeqCst);
                match todo {
                    Some(t) => println!("  [row {id}] re-rendered: {:?}, done: {}", t.title, t.done),
                    None => println!("  [row {id}] its todo is gone"),
                }
            })
        })
        .collect();
    let row_two = todos.at(&2);
    println!("the row atom of todo 2 is named {}", row_two.registry_name());

    // The list's order, and a count projected with `select` (told only when the count changes).
    let _order = screen.subscribe(&todos.keys(), |ids| println!("  [list order] {ids:?}"));
    let left = nexus::select(&TODOS, |todos: &Vec<Todo>| todos.iter().filter(|t| !t.done).count());
    let _footer = screen.subscribe(&left, |n| println!("  [footer] {n} left"));
    println!("{} todos, {} left", ids.len(), screen.get(&left));

    println!("ticking todo 2 -> its row and the footer only:");
    let mut two = screen.get(&row_two).expect("todo 2 is in the list");
    two.done = true;
    screen.set(&row_two, two);

    println!("renaming todo 3 -> its row only (the count of what is left did not change):");
    let mut three = screen.get(&todos.at(&3)).expect("todo 3 is in the list");
    "call mum back".clone_into(&mut three.title);
    screen.set(&todos.at(&3), three);

    let before = row_runs();
    println!("inserting todo 4 before todo 2 -> the order and the footer, no row:");
    todos.insert(&screen, Some(&2), Todo::new(4, "water plants"));
    println!("moving todo 1 to the end -> the order only, no row:");
    todos.move_to(&screen, &1, None);
    println!(
        "row subscribers run by the insert and the move: {}; todo 2's row atom is the same atom: {}",
        row_runs() - before,
        todos.at(&2) == row_two
    );

    println!("removing todo 2 (done) -> the order and its own row (gone); no other row, no footer:");
    let removed = todos.remove(&screen, &2);
    println!("removed {:?}; todo 2 now reads {:?}", removed.map(|t| t.title), screen.get(&row_two));

    println!("order {:?}, {} left", screen.get(&todos.keys()), screen.get(&left));
}

fn main() {
    user_form();
    todo_list();
}
