// A family is not an atom: passing one where an atom is expected says to take one key's atom with
// `.at(key)` (issue 26).
nexus::store! { pub struct Board; }

nexus::atom! {
    #![store(Board)]
    pub static TODO: String = family(|id: &u64| format!("todo {id}"));
}

fn main() {
    let board = Board::new();
    let _ = board.get(&TODO);
    board.set(&TODO, String::new());
}
