//! A to-do list with one atom per item (an atom family), a derived "remaining" count, an action that adds
//! an item (two writes, one batch, and a result), and removal that frees each removed item's value.
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
    /// Puts an item on the list and returns how many items it has. Its writes are one batch: subscribers
    /// never see the item without its id on the list.
    pub static ADD: Action<(u64, String), usize> = action(|s, (id, title)| {
        s.set(&ITEM.at(id), Item { title, done: false });
        s.update(&IDS, |ids| ids.push(id));
        s.with(&IDS, Vec::len)
    });
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

    list.run(&ADD, (1, "write the spec".to_owned()));
    list.run(&ADD, (2, "build the store".to_owned()));
    let items = list.run(&ADD, (3, "ship it".to_owned()));
    println!("a fresh list of {items} items:");
    print(&list);

    list.update(&ITEM.at(2), |item| item.done = true);
    println!("\nafter finishing item 2 (only that item's atom changed):");
    print(&list);

    remove(&list, 2);
    println!("\nafter removing item 2 (its atom and value are freed):");
    print(&list);

    list.run(&ADD, (2, "build the store, again".to_owned()));
    println!("\nid 2 reused: a fresh atom, not the removed one:");
    print(&list);

    println!("\nthe REMAINING subscriber saw: {:?}", remaining.lock().expect("lock"));
}
