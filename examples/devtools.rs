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
    doc.batch(|| {
        doc.update(&TEXT, |t| t.push_str(" brave new world"));
        doc.set(&CARET, Caret { line: 1, column: 22 });
    });
    other.set(&TEXT, "another document".to_owned());
    let _ = doc.get(&WORDS);
    show("after editing", &doc, &dt, &tt);

    println!("\n== action log (round numbers group one set, or one batch)");
    for action in dt.actions() {
        println!(
            "   #{:<2} {:<12} {} -> {}",
            action.round(),
            action.label(),
            action.before(),
            action.after()
        );
    }

    tt.undo();
    show("after undo (the batch was one entry)", &doc, &dt, &tt);
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
