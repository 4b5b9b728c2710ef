//! A to-do list with one atom per item (an atom family), a derived "remaining" count, and removal that
//! frees each removed item's value.
//!
//! Run with `cargo run --example todo`.

nexus::store! {
    /// One user's list.
    pub struct List;
}

/// One item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub title: String,
    pub done: bool,
}

nexus::atom! {
    #![store(List)]
    /// The ids on the list, in order.
    pub static IDS: Vec<u64> = Vec::new();
    /// One atom per item, made on first use; at most 10,000 kept.
    #[capacity = 10_000]
    pub static ITEM: Item = family(|id: &u64| Item { title: format!("item {id}"), done: false });
    /// How many items are not done yet.
    pub static REMAINING: usize = computed(|s| {
        let ids = s.get(&IDS);
        ids.iter().filter(|id| !s.with(&ITEM.at(**id), |item| item.done)).count()
    });
}

fn add(list: &List, id: u64, title: &str) {
    list.set(&ITEM.at(id), Item { title: title.to_owned(), done: false });
    list.update(&IDS, |ids| ids.push(id));
}

fn remove(list: &List, id: u64) {
    list.update(&IDS, |ids| ids.retain(|i| *i != id));
    ITEM.remove(&id);
}

fn print(list: &List) {
    for id in list.get(&IDS) {
        let item = list.get(&ITEM.at(id));
        println!("  [{}] {:>2} {}", if item.done { "x" } else { " " }, id, item.title);
    }
    println!("  {} remaining; {} atoms held by this list", list.get(&REMAINING), list.atoms().len());
}

fn main() {
    let list = List::new();
    let remaining = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = remaining.clone();
    let _watch = list.subscribe(&REMAINING, move |n| sink.lock().expect("lock").push(*n));

    add(&list, 1, "write the spec");
    add(&list, 2, "build the store");
    add(&list, 3, "ship it");
    println!("a fresh list:");
    print(&list);

    list.update(&ITEM.at(2), |item| item.done = true);
    println!("\nafter finishing item 2 (only that item's atom changed):");
    print(&list);

    remove(&list, 2);
    println!("\nafter removing item 2 (its atom and value are freed):");
    print(&list);

    add(&list, 2, "build the store, again");
    println!("\nid 2 reused: a fresh atom, not the removed one:");
    print(&list);

    println!("\nthe REMAINING subscriber saw: {:?}", remaining.lock().expect("lock"));
}
