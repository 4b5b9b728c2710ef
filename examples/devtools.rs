//! DevTools and time travel on one store instance, next to another that stays untouched.
//!
//! Run with `cargo run --example devtools`.

use nexus::{DevTools, TimeTravel};

nexus::store! {
    /// A text editor's document.
    pub struct Document;
}

/// Where the caret is.
#[derive(Debug, Clone, PartialEq)]
pub struct Caret {
    pub line: u32,
    pub column: u32,
}

nexus::atom! {
    #![store(Document)]
    /// The document's text.
    pub static TEXT: String = String::new();
    /// The caret.
    pub static CARET: Caret = Caret { line: 1, column: 1 };
    /// Words in the text, derived.
    pub static WORDS: usize = computed(|s| s.with(&TEXT, |t| t.split_whitespace().count()));
    /// Types at the end of the text and moves the caret after it: one action, one batch, one log entry.
    pub static TYPE: Action<String> = action(|s, typed| {
        s.update(&TEXT, |t| t.push_str(&typed));
        let column = s.with(&TEXT, |t| u32::try_from(t.chars().count()).unwrap_or(u32::MAX)) + 1;
        s.set(&CARET, Caret { line: 1, column });
    });
}

fn show(title: &str, doc: &Document, dt: &DevTools, tt: &TimeTravel) {
    println!("\n-- {title}");
    for atom in dt.atoms() {
        println!(
            "   {:<6} {:<9} {:<8} = {}",
            atom.name(),
            atom.kind().to_string(),
            atom.owner(),
            atom.value()
        );
    }
    let history: Vec<String> = tt
        .history()
        .iter()
        .map(|h| if h.is_applied() { h.label().to_owned() } else { format!("({})", h.label()) })
        .collect();
    println!("   history: {} | position {} | text {:?}", history.join(" · "), tt.position(), doc.get(&TEXT));
}

fn main() {
    let doc = Document::new();
    let other = Document::new();
    let dt = DevTools::attach(&doc);
    let tt = TimeTravel::attach(&doc, 50);

    doc.set(&TEXT, "Hello".to_owned());
    doc.set(&CARET, Caret { line: 1, column: 6 });
    doc.run(&TYPE, " brave new world".to_owned());
    other.set(&TEXT, "another document".to_owned());
    let _ = doc.get(&WORDS);
    show("after editing", &doc, &dt, &tt);

    println!("\n== change log (round numbers group one set, one batch or one action's run)");
    for entry in dt.log() {
        if entry.is_action() {
            println!("   #{:<2} {:<12} {}", entry.round(), entry.label(), entry.arg().unwrap_or(""));
            for change in entry.changes() {
                println!("       {:<12} {} -> {}", change.label(), change.before(), change.after());
            }
        } else {
            println!(
                "   #{:<2} {:<12} {} -> {}",
                entry.round(),
                entry.label(),
                entry.before(),
                entry.after()
            );
        }
    }

    tt.undo();
    show("after undo (the action was one entry)", &doc, &dt, &tt);
    tt.jump_to(0);
    show("after jump_to(0)", &doc, &dt, &tt);
    tt.redo();
    tt.redo();
    show("after two redos", &doc, &dt, &tt);
    doc.set(&TEXT, "Goodbye".to_owned());
    show("a new change drops the redo branch", &doc, &dt, &tt);

    println!("\nthe other document was never touched: {:?}", other.get(&TEXT));
    let json = dt.export_json();
    let head: String = json.chars().take(160).collect();
    println!("\n== JSON export ({} bytes)\n{head}…", json.len());
}
