//! Persistence: a counter and a theme that survive restarts, in a crash-safe JSON file.
//!
//! Run `cargo run --example settings` twice: the second run prints what the first saved. The file is
//! `settings.json` in the directory given as the first argument, by default
//! `$TMPDIR/nexus-settings-example/` (`--reset` deletes it first).

use std::path::PathBuf;
use std::time::Duration;

use nexus::persist::{attach, FileStorage, Options, PersistError};

nexus::store! {
    /// The app's settings.
    pub struct Settings;
}

nexus::atom! {
    #![store(Settings)]
    /// How many times the app started.
    #[name = "launches"]
    pub static LAUNCHES: u64 = 0;
    /// "light" or "dark": flipped on every launch, to show that it is kept.
    #[name = "theme"]
    pub static THEME: String = "light".to_owned();
    /// Not persisted (left out with `skip`): a cache that is rebuilt on every start.
    #[name = "cache"]
    pub static CACHE: Vec<u64> = Vec::new();
}

fn main() -> Result<(), PersistError> {
    let mut args = std::env::args().skip(1).collect::<Vec<_>>();
    let reset = args.iter().any(|a| a == "--reset");
    args.retain(|a| a != "--reset");
    let dir = args.first().map_or_else(|| std::env::temp_dir().join("nexus-settings-example"), PathBuf::from);
    if reset {
        let _ = std::fs::remove_dir_all(&dir);
    }

    let settings = Settings::new();
    let options = Options::new("settings")
        .version(1)
        // Version 0 of this example stored the theme as `dark: bool`.
        .migrate(1, |mut atoms| {
            if let Some(dark) = atoms.as_object_mut().and_then(|a| a.remove("dark")) {
                atoms["theme"] = serde_json::json!(if dark == true { "dark" } else { "light" });
            }
            Ok(atoms)
        })
        .skip(["cache"])
        .delay(Duration::from_millis(200));
    let persisted = attach(&settings, FileStorage::new(&dir), options)?;
    if let Some(problem) = persisted.load_error() {
        println!("the stored settings could not be used: {problem}");
    }

    // Loaded before `attach` returned: the first read is the stored value, never a default.
    let launches = settings.get(&LAUNCHES);
    let theme = settings.get(&THEME);
    if launches == 0 {
        println!("loaded nothing from {}: first launch, defaults (theme {theme})", dir.display());
    } else {
        println!(
            "loaded from {}: {launches} launch(es) before this one, theme {theme}",
            dir.join("settings.json").display()
        );
    }

    settings.update(&LAUNCHES, |n| *n += 1);
    settings.set(&THEME, if theme == "light" { "dark" } else { "light" }.to_owned());
    // A burst of changes is one write, made by the background saver; not persisted anyway.
    for i in 0..10_000 {
        settings.update(&CACHE, |c| c.push(i));
    }
    persisted.flush()?;
    println!(
        "saved: launch {}, theme {} ({} write(s) this run); run again to see them loaded",
        settings.get(&LAUNCHES),
        settings.get(&THEME),
        persisted.saves()
    );
    Ok(())
}
