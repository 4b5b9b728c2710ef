//! The code `store!` and `atom!` generate compiles warning-free under strict lints (STYLE: "generated
//! code compiles warning-free under `#![deny(warnings, clippy::pedantic)]`"); CI runs clippy on this file.
#![deny(warnings, clippy::pedantic, missing_docs)]

nexus::store! {
    /// A store.
    pub struct Strict;
    /// A global-mode store.
    #[mode(global)]
    pub struct StrictGlobal;
}

nexus::atom! {
    #![store(Strict)]
    /// A primitive.
    pub static COUNT: u64 = 0;
    /// A computed atom.
    pub static DOUBLE: u64 = computed(|s| s.get(&COUNT) * 2);
    /// A writable atom.
    pub static HALF: u64 = writable(|s| s.get(&COUNT) / 2, |s, v: u64| s.set(&COUNT, v * 2));
    /// A family.
    #[capacity = 4]
    pub static ROW: u64 = family(|k: &u64| *k);
    /// A computed family.
    pub static ROW_TWICE: u64 = family_computed(|k: &u64, s| s.get(&ROW.at(*k)) * 2);
    /// Renamed.
    #[name = "renamed"]
    pub static RENAMED: String = String::new();
    /// Renamed, with old snapshot keys.
    #[name = "moved"]
    #[alias = "old::MOVED"]
    #[alias = "older::MOVED"]
    pub static MOVED: String = String::new();
    /// A family with an old key.
    #[alias = "old::CELLS"]
    pub static CELLS: u8 = family(|k: &String| u8::try_from(k.len()).unwrap_or(u8::MAX));
    /// Mounted: `on_mount` runs while it has an observer.
    #[on_mount(|store, set| {
        set.set(u64::from(!store.name().is_empty()));
        move || drop(set)
    })]
    pub static MOUNTED: u64 = 0;
    /// An action.
    pub static ADD: Action<u64, u64> = action(|s, n| {
        s.update(&COUNT, |c| *c += n);
        s.get(&COUNT)
    });
}

nexus::atom! {
    /// A `Global` atom.
    pub static SHARED: u8 = 0;
}

/// A struct with field atoms.
#[derive(Clone, PartialEq, Debug, nexus::Fields)]
pub struct Profile {
    /// Its key.
    #[fields(key)]
    pub id: u64,
    /// Shown as `PROFILE.title`.
    #[fields(name = "title")]
    pub name: String,
    /// No field atom.
    #[fields(skip)]
    pub cache: u8,
}

nexus::atom! {
    #![store(Strict)]
    /// A struct atom.
    pub static PROFILE: Profile = Profile { id: 1, name: String::new(), cache: 0 };
    /// A keyed list.
    pub static PROFILES: Vec<Profile> = Vec::new();
}

#[test]
fn strict_lints_accept_the_generated_code() {
    let s = Strict::new();
    s.set(&HALF, 4);
    assert_eq!(s.get(&DOUBLE), 16);
    assert_eq!(s.get(&ROW_TWICE.at(3)), 6);
    assert_eq!(s.get(&SHARED), 0);
    assert!(s.find("renamed").is_none());
    assert_eq!(StrictGlobal::new().get(&SHARED), 0);
    assert_eq!(s.run(&ADD, 1), 9);
    let watch = s.subscribe(&MOUNTED, |_| {});
    assert_eq!(s.get(&MOUNTED), 1);
    drop(watch);
    s.set(&PROFILE.name(), "ada".to_owned());
    s.update(&PROFILE.id(), |id| *id += 1);
    assert_eq!(s.get(&PROFILE).id, 2);
    PROFILES.each().insert(&s, None, s.get(&PROFILE));
    assert_eq!(s.get(&PROFILES.each().at(&2)).map(|p| p.name), Some("ada".to_owned()));
}
