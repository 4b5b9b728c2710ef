//! The stored document: its JSON shape, and reading one back through the migrations.
//!
//! ```json
//! { "version": 2, "store": "Settings", "atoms": { "theme": "dark", "count": 3 } }
//! ```
//! `atoms` holds the snapshot's values by snapshot key; `store` is informative (the key the user gave
//! names the document, so renaming the store type loses nothing).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::persist::options::Options;

/// The atoms of a stored document, by snapshot key.
pub(crate) type Atoms = BTreeMap<String, Value>;

/// Why a stored document was not used.
pub(crate) enum Refused {
    /// Unusable: set it aside.
    Unreadable(String),
    /// Written by a newer program: leave it alone.
    Newer(u32),
}

/// The document for `atoms`, at `options`' version.
pub(crate) fn encode(options: &Options, store: &str, atoms: &Atoms) -> String {
    let mut doc = Map::new();
    doc.insert("version".to_owned(), Value::from(options.version));
    doc.insert("store".to_owned(), Value::from(store));
    doc.insert(
        "atoms".to_owned(),
        Value::Object(atoms.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
    );
    let mut text = serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// The atoms of a stored document, brought to `options`' version by its migrations.
pub(crate) fn decode(options: &Options, text: &str) -> Result<Atoms, Refused> {
    let unreadable = |why: String| Refused::Unreadable(why);
    let doc: Value =
        serde_json::from_str(text).map_err(|e| unreadable(format!("it does not parse as JSON: {e}")))?;
    let Value::Object(mut doc) = doc else {
        return Err(unreadable("it is not a JSON object".to_owned()));
    };
    let stored = match doc.get("version") {
        Some(v) => v
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| unreadable(format!("its `version` is {v}, not a version number")))?,
        None => return Err(unreadable("it has no `version`".to_owned())),
    };
    if stored > options.version {
        return Err(Refused::Newer(stored));
    }
    let mut atoms = match doc.remove("atoms") {
        Some(atoms @ Value::Object(_)) => atoms,
        Some(other) => return Err(unreadable(format!("its `atoms` is {}, not an object", kind(&other)))),
        None => return Err(unreadable("it has no `atoms`".to_owned())),
    };
    for (to, migrate) in options.migrations.iter().filter(|(to, _)| *to > stored && *to <= options.version) {
        atoms =
            migrate(atoms).map_err(|e| unreadable(format!("the migration to version {to} failed: {e}")))?;
        if !atoms.is_object() {
            return Err(unreadable(format!(
                "the migration to version {to} returned {}, not an object of atoms",
                kind(&atoms)
            )));
        }
    }
    let Value::Object(atoms) = atoms else { unreachable!("checked above") };
    Ok(atoms.into_iter().collect())
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
