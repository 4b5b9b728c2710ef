//! Fuzzing `store!`, `atom!` and `#[derive(Fields)]` with generated and mutated token streams (issue 17,
//! item 1; the derive since issue 28).
//!
//! One case in four is generated from the macro's grammar (random items, attributes, visibilities,
//! types and kinds; for the derive, structs with random fields and `#[fields(..)]` options) and mutated
//! up to twice. The others start from a seed, every `store! { … }` / `atom! { … }` body and every item
//! under a `#[derive(…Fields…)]` in the ui cases (`ui-tests/tests/{macro_input,pass,type_checks}/*.rs`,
//! read at test time) and [`HANDWRITTEN`] (every `atom!` kind and attribute, every `#[fields]` option),
//! and apply one to eight mutations at any
//! depth inside groups: delete a token, duplicate one, swap two, replace one with a token taken from
//! elsewhere (the same input or a pool drawn from all seeds and [`EXTRA_TOKENS`]), insert one, change or
//! drop a group's delimiters, splice in a run of another seed, truncate; one seeded case in sixteen goes
//! to another macro. The input goes to `store::expand` / `atom::expand` / `fields::expand` and the case
//! fails if
//!
//! - the macro panics;
//! - the output does not parse as items (`syn::File`), rejection or not: on error the macros still emit
//!   their best-effort items next to the errors;
//! - a rejection's `compile_error!` is not `::core::compile_error! { "non-empty message" }` (syn's form;
//!   outside a compiler proc-macro2 spans carry no location, so the span itself cannot be checked here);
//! - an acceptance declares fewer or more items than the input has (an atom or store silently dropped;
//!   for the derive: not one trait, or not one method per field that is not `#[fields(skip)]`).
//!
//! The PRNG is a splitmix64 seeded per case from [`SEED`], so a run is the same on every machine whatever
//! the number of threads. The default is [`MIN_CASES`] (100 000) cases, spread over the available cores
//! (12–16 s in the debug build on a two-core machine); `NEXUS_FUZZ_CASES` runs more (never fewer) and
//! `NEXUS_FUZZ_SEED=<u64>` explores another seed. A release build gains little by itself, as cargo builds
//! a proc-macro crate's dependencies (syn) with the unoptimised `build-override` profile; optimise them
//! too for long runs (a million cases: about a minute):
//!
//! ```text
//! CARGO_PROFILE_RELEASE_BUILD_OVERRIDE_OPT_LEVEL=3 NEXUS_FUZZ_CASES=1000000 NEXUS_FUZZ_SEED=7 \
//!     cargo test --release -p nexus-macros fuzz -- --nocapture
//! ```
//!
//! A panic found this way is minimised and printed; it belongs in [`REGRESSIONS`] (and in a ui case).
//! Two more tests keep the ground under the fuzz: `seeds_are_classified` (the unmutated seeds: every
//! `macro_input` case is rejected by the macro unless its error is a type error, every other seed
//! accepted, the handwritten ones as marked) and `regressions_do_not_panic`.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Instant;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

/// The fixed seed of the default run (`nexus_fz` in ASCII).
const SEED: u64 = 0x6e65_7875_735f_667a;

/// Cases per run unless `NEXUS_FUZZ_CASES` asks for more.
const MIN_CASES: u64 = 100_000;

/// Threads whose panics the fuzz hook silences (all others reach the previous hook).
const THREAD_PREFIX: &str = "nexus-fuzz";

/// Seeds beyond the ui cases: every `atom!` kind, attribute and visibility, and a few invalid shapes the ui
/// cases do not cover. `true`: the macro accepts it.
const HANDWRITTEN: &[(Macro, bool, &str)] = &[
    (
        Macro::Store,
        true,
        r"
        /// One user's session.
        pub struct Session;
        #[mode(global)]
        pub struct Shared;
        #[mode(isolated)]
        #[cfg(all())]
        #[allow(dead_code)]
        pub(crate) struct Local;
        struct Private;
        ",
    ),
    (
        Macro::Atom,
        true,
        r#"
        #![store(Session)]
        /// Clicks so far.
        pub static CLICKS: u32 = 0;
        #[on_mount(|store, set| {
            let t = start(store, set);
            move || t.stop()
        })]
        #[name = "price"]
        pub static PRICE: u64 = 0;
        #[on_mount(mount_theme)]
        static THEME: String = String::new();
        pub(crate) static LABEL: String = String::new();
        static BYTES: Vec<u8> = vec![1, 2, 3];
        #[name = "double_clicks"]
        pub static DOUBLE: u32 = computed(|s| s.get(&CLICKS) * 2);
        "#,
    ),
    (
        Macro::Atom,
        true,
        r"
        #![store(crate::Thermo)]
        pub static FAHRENHEIT: f64 = 32.0;
        pub static CELSIUS: f64 = writable(
            |s| (s.get(&FAHRENHEIT) - 32.0) * 5.0 / 9.0,
            |s, c: f64| s.set(&FAHRENHEIT, c * 9.0 / 5.0 + 32.0),
        );
        pub static KELVIN: f64 = writable(|s| s.get(&CELSIUS) + 273.15, |s, k| s.set(&CELSIUS, k - 273.15));
        ",
    ),
    (
        Macro::Atom,
        true,
        r#"
        #![store(Board)]
        #[capacity = 1_000]
        pub static CELL: u32 = family(|id: &u64| *id as u32);
        pub static ROW: &'static str = family(|id: &(u8, u8)| "row");
        #[capacity = 64]
        pub static SUM: u64 = family_computed(|id: &u64, s| s.get(&CELL.at(*id)) as u64 + *id);
        "#,
    ),
    (
        Macro::Atom,
        true,
        r#"
        #[store(Api)]
        #[cfg(feature = "net")]
        pub static USER: String = async_computed(|s| {
            let id = s.get(&USER_ID);
            async move { Ok::<_, std::fmt::Error>(format!("user {id}")) }
        });
        #[store(Api)]
        #[capacity = 16]
        pub static PROFILE: String = family_async(|id: &u64, s| {
            let id = *id;
            async move { Ok::<_, std::fmt::Error>(id.to_string()) }
        });
        /// A global atom.
        #[doc(alias = "theme")]
        pub static THEME: i32 = 1;
        "#,
    ),
    (
        Macro::Atom,
        false,
        r#"
        #![global]
        #![store(A)]
        #![store(B)]
        static mut M: u32 = 0;
        #[capacity = "many"]
        #[name]
        static F: u32 = family(|id: u64| 0);
        static C: u32 = computed();
        static W: u32 = writable(|s| 1);
        #[store = Cart]
        static K: u32 = family_computed(|id, s| 0);
        #[on_mount(|s, set| move || {})]
        static D: u32 = computed(|s| 1);
        #[on_mount(|set| move || {})]
        #[on_mount(|s, set| move || {})]
        #[on_mount(|s, set| move || {})]
        static P: u32 = 0;
        "#,
    ),
    (
        Macro::Store,
        false,
        r#"
        #[mode]
        pub struct A(u32);
        #[mode = "global"]
        #[mode(isolated, global)]
        struct B where u8: Copy;
        struct B;
        "#,
    ),
    (
        Macro::Fields,
        true,
        r#"
        /// A user.
        #[derive(Clone, Debug)]
        pub struct User {
            /// Shown everywhere.
            pub name: String,
            #[fields(name = "years")]
            pub age: u32,
            #[fields(skip)]
            cache: u8,
            #[cfg(feature = "geo")]
            pub(crate) address: crate::Address,
            pub r#type: Option<Box<Self>>,
            tags: Vec<&'static str>,
        }
        "#,
    ),
    (
        Macro::Fields,
        true,
        r#"
        pub(crate) struct Todo where u8: Copy {
            #[fields(key)]
            pub id: u64,
            #[fields(name = "text")]
            #[fields()]
            title: String,
            done: bool,
        }
        "#,
    ),
    (Macro::Fields, true, "struct Empty {}"),
    (
        Macro::Fields,
        false,
        r#"
        #[fields(skip)]
        struct Bad<'a, T> {
            #[fields(key)] a: &'a T,
            #[fields(key, skip)] b: u8,
            #[fields(name = years, bogus, name)] c: u8,
            #[fields(name = "")] #[fields] #[fields = "x"] d: u8,
            #[fields(name = "e")] e2: u8,
            e: u8,
        }
        "#,
    ),
    (Macro::Fields, false, "enum E { A { a: u8 }, B(u8) }"),
    (Macro::Fields, false, "union U { a: u8, b: u16 }"),
    (Macro::Fields, false, "pub struct P(pub u8, u8);"),
];

/// Tokens for the mutation pool beyond those of the seeds: odd literals, raw identifiers, keywords and
/// punctuation the seeds lack.
const EXTRA_TOKENS: &str = r##"
    0 1_000 99999999999999999999999999 1.5 1e5 0x_ff 1u8 "" "a\"b`c" r#"raw"# b"bytes" 'c' b'c'
    r#fn r#static r#computed _ self super crate Self where impl dyn async move await const mut pub struct
    enum fn let as in static family computed writable family_computed family_async async_computed capacity
    name store mode global isolated derive doc cfg on_mount alias fields skip key union Fields
    ; : , = < > & | # ! ? * + - / % @ . $ ~ ^ 'a 'static
"##;

/// Inputs that must expand without panicking (edge cases; every panic the fuzz finds is added here).
const REGRESSIONS: &[(Macro, &str)] = &[
    (Macro::Store, ""),
    (Macro::Atom, ""),
    (Macro::Store, "#"),
    (Macro::Atom, "#!"),
    (Macro::Atom, "#![store]"),
    (Macro::Atom, "#![store()] static X: u32 = 0;"),
    (Macro::Store, "pub"),
    (Macro::Store, "struct"),
    (Macro::Store, "struct S<>;"),
    (Macro::Atom, "static"),
    (Macro::Atom, "static X"),
    (Macro::Atom, "static X: u32 = family(|| 0);"),
    (Macro::Atom, "static X: u32 = family(|id: &u64,| 0);"),
    (Macro::Atom, "static X: u32 = family(|&id: &u64| 0);"),
    (Macro::Atom, "#[capacity = 0] static X: u32 = family(|id: &u64| 0);"),
    (Macro::Atom, "#[name = \"\"] static X: u32 = 0; #[name = \"\"] static Y: u32 = 0;"),
    (Macro::Atom, "static r#fn: u32 = 0;"),
    (Macro::Atom, "static X: u32 = static || 0;"),
    (Macro::Fields, ""),
    (Macro::Fields, "struct"),
    (Macro::Fields, "struct S { #[fields(name = )] a: u8 }"),
    (Macro::Fields, "struct S { #[fields(,)] a: u8 }"),
    (Macro::Fields, "struct S { #[fields(name = \"a\" \"b\")] a: u8 }"),
    (Macro::Fields, "struct S { #[fields(skip,,key)] a: u8 }"),
    (Macro::Fields, "struct S { #[fields(key)] a: Self, #[fields(key)] b: <Self as T>::K }"),
    (Macro::Fields, "struct r#S { r#a: u8 }"),
];

/// Which macro a token stream goes to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Macro {
    Store,
    Atom,
    Fields,
}

/// Every macro, in `Macro::index` order.
const MACROS: [Macro; 3] = [Macro::Store, Macro::Atom, Macro::Fields];

impl Macro {
    fn index(self) -> usize {
        match self {
            Macro::Store => 0,
            Macro::Atom => 1,
            Macro::Fields => 2,
        }
    }

    /// One of the other macros.
    fn other(self, rng: &mut Rng) -> Self {
        let others: Vec<Macro> = MACROS.into_iter().filter(|&m| m != self).collect();
        *rng.pick(&others)
    }

    fn expand(self, input: TokenStream) -> TokenStream {
        match self {
            Macro::Store => crate::store::expand(input),
            Macro::Atom => crate::atom::expand(input),
            Macro::Fields => crate::fields::expand(input),
        }
    }

    /// The item keyword each accepted item of the input becomes (the derive's trait is counted apart).
    fn keyword(self) -> &'static str {
        match self {
            Macro::Store => "struct",
            Macro::Atom => "static",
            Macro::Fields => "trait",
        }
    }
}

/// A token tree that mutations can edit in place (`proc_macro2::Group` is immutable).
#[derive(Clone)]
enum Tok {
    Leaf(TokenTree),
    Group(Delimiter, Vec<Tok>),
}

fn to_toks(stream: TokenStream) -> Vec<Tok> {
    stream
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => Tok::Group(g.delimiter(), to_toks(g.stream())),
            leaf => Tok::Leaf(leaf),
        })
        .collect()
}

fn to_stream(toks: &[Tok]) -> TokenStream {
    toks.iter()
        .map(|tok| match tok {
            Tok::Leaf(tt) => tt.clone(),
            Tok::Group(delimiter, inner) => TokenTree::Group(Group::new(*delimiter, to_stream(inner))),
        })
        .collect()
}

/// Every node, groups included.
fn count(toks: &[Tok]) -> usize {
    toks.iter().map(|tok| 1 + if let Tok::Group(_, inner) = tok { count(inner) } else { 0 }).sum()
}

/// The path (child indices) of the `k`th node in pre-order.
fn nth_path(toks: &[Tok], k: &mut usize, path: &mut Vec<usize>) -> bool {
    for (i, tok) in toks.iter().enumerate() {
        path.push(i);
        if *k == 0 {
            return true;
        }
        *k -= 1;
        if let Tok::Group(_, inner) = tok {
            if nth_path(inner, k, path) {
                return true;
            }
        }
        path.pop();
    }
    false
}

/// The sequence reached by following `path` through groups.
fn seq_at<'a>(mut toks: &'a mut Vec<Tok>, path: &[usize]) -> &'a mut Vec<Tok> {
    for &i in path {
        match &mut toks[i] {
            Tok::Group(_, inner) => toks = inner,
            Tok::Leaf(_) => unreachable!("a path's prefix leads through groups"),
        }
    }
    toks
}

fn node_at<'a>(toks: &'a [Tok], path: &[usize]) -> &'a Tok {
    let (last, parents) = path.split_last().expect("a node path is not empty");
    let mut toks = toks;
    for &i in parents {
        match &toks[i] {
            Tok::Group(_, inner) => toks = inner,
            Tok::Leaf(_) => unreachable!("a path's prefix leads through groups"),
        }
    }
    &toks[*last]
}

/// Ident, punct, literal or group.
fn kind(tok: &Tok) -> u8 {
    match tok {
        Tok::Leaf(TokenTree::Ident(_)) => 0,
        Tok::Leaf(TokenTree::Punct(_)) => 1,
        Tok::Leaf(_) => 2,
        Tok::Group(..) => 3,
    }
}

/// splitmix64: small, fast, and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    /// The generator of case `case` of a run seeded with `seed`: independent of how cases are spread
    /// over threads.
    fn for_case(seed: u64, case: u64) -> Self {
        let mut rng = Rng(seed ^ case.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`; the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        let n = u64::try_from(n).expect("usize fits in u64");
        usize::try_from(self.next() % n).expect("below n, which is a usize")
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One `store!`/`atom!` body or derived item found in a ui case, or written here.
struct Seed {
    mac: Macro,
    origin: String,
    body: Vec<Tok>,
}

/// The ui-case seeds (in a fixed order), then the handwritten ones.
fn load_seeds() -> Vec<Seed> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui-tests/tests");
    let mut seeds = Vec::new();
    for dir in ["macro_input", "pass", "type_checks"] {
        let entries = std::fs::read_dir(root.join(dir)).expect("the ui-tests directories exist");
        let mut files: Vec<_> = entries
            .map(|entry| entry.expect("a readable directory entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a readable ui case");
            let tokens: TokenStream = text.parse().expect("a ui case is valid Rust tokens");
            let name = file.file_name().expect("a file name").to_string_lossy();
            let origin = format!("{dir}/{name}");
            let before = seeds.len();
            scan(tokens, &origin, &mut seeds);
            assert!(seeds.len() > before, "{origin} invokes neither `store!` nor `atom!` nor the derive");
        }
    }
    for (i, (mac, _, text)) in HANDWRITTEN.iter().enumerate() {
        let body = text.parse().expect("a handwritten seed is valid Rust tokens");
        seeds.push(Seed { mac: *mac, origin: format!("HANDWRITTEN[{i}]"), body: to_toks(body) });
    }
    seeds
}

/// Finds `store! { … }` / `atom! { … }` (any path, any delimiter) and items under a
/// `#[derive(…Fields…)]` at any depth.
fn scan(stream: TokenStream, origin: &str, seeds: &mut Vec<Seed>) {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    for (i, tt) in tokens.iter().enumerate() {
        if let TokenTree::Group(group) = tt {
            scan(group.stream(), origin, seeds);
        }
        if let Some(body) = derived_item(&tokens, i) {
            seeds.push(Seed { mac: Macro::Fields, origin: origin.to_owned(), body: to_toks(body) });
        }
        if let Some([TokenTree::Ident(name), TokenTree::Punct(bang), TokenTree::Group(body)]) =
            tokens.get(i..i + 3)
        {
            let mac = if name == "store" {
                Macro::Store
            } else if name == "atom" {
                Macro::Atom
            } else {
                continue;
            };
            if bang.as_char() == '!' {
                seeds.push(Seed { mac, origin: origin.to_owned(), body: to_toks(body.stream()) });
            }
        }
    }
}

/// If `tokens[i..]` starts with `#[derive(…Fields…)]`: the item after it, up to its `{ … }` body or `;`
/// (what the derive receives, minus the attributes before this one).
fn derived_item(tokens: &[TokenTree], i: usize) -> Option<TokenStream> {
    let [TokenTree::Punct(pound), TokenTree::Group(attr)] = tokens.get(i..i + 2)? else { return None };
    if pound.as_char() != '#' || attr.delimiter() != Delimiter::Bracket {
        return None;
    }
    let attr: Vec<TokenTree> = attr.stream().into_iter().collect();
    let [TokenTree::Ident(derive), TokenTree::Group(list)] = attr.as_slice() else { return None };
    let names_fields = list.stream().into_iter().any(|tt| matches!(tt, TokenTree::Ident(i) if i == "Fields"));
    if derive != "derive" || !names_fields {
        return None;
    }
    let rest = &tokens[i + 2..];
    let end = rest.iter().position(|tt| match tt {
        TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
        TokenTree::Punct(p) => p.as_char() == ';',
        _ => false,
    })?;
    Some(rest[..=end].iter().cloned().collect())
}

/// Every token and small group of the seeds, and [`EXTRA_TOKENS`].
fn token_pool(seeds: &[Seed]) -> Vec<Tok> {
    fn collect(toks: &[Tok], pool: &mut Vec<Tok>) {
        for tok in toks {
            match tok {
                Tok::Leaf(_) => pool.push(tok.clone()),
                Tok::Group(_, inner) => {
                    if count(inner) <= 8 {
                        pool.push(tok.clone());
                    }
                    collect(inner, pool);
                }
            }
        }
    }
    let mut pool = Vec::new();
    for seed in seeds {
        collect(&seed.body, &mut pool);
    }
    collect(&to_toks(EXTRA_TOKENS.parse().expect("the extra tokens lex")), &mut pool);
    pool
}

/// Applies one random mutation somewhere in `toks`.
fn mutate(toks: &mut Vec<Tok>, rng: &mut Rng, pool: &[Tok], seeds: &[Seed]) {
    let nodes = count(toks);
    if nodes == 0 {
        toks.push(rng.pick(pool).clone());
        return;
    }
    let mut path = Vec::new();
    let found = nth_path(toks, &mut rng.below(nodes), &mut path);
    debug_assert!(found, "the node index is below the node count");
    let (&index, parent_path) = path.split_last().expect("a node path is not empty");
    // A token taken from elsewhere: this input (possibly an enclosing group, cloned first) or the pool,
    // mostly of the same kind as the node it may replace (an identifier for an identifier, …) so that
    // more mutants stay close to valid input.
    let elsewhere = if rng.one_in(3) {
        let mut other = Vec::new();
        nth_path(toks, &mut rng.below(nodes), &mut other);
        node_at(toks, &other).clone()
    } else {
        let kind = kind(node_at(toks, &path));
        let mut tok = rng.pick(pool);
        for _ in 0..8 {
            if self::kind(tok) == kind || rng.one_in(4) {
                break;
            }
            tok = rng.pick(pool);
        }
        tok.clone()
    };
    let parent = seq_at(toks, parent_path);
    match rng.below(8) {
        0 => {
            parent.remove(index);
        }
        1 => {
            let copy = parent[index].clone();
            parent.insert(index, copy);
        }
        2 => {
            let other = rng.below(parent.len());
            parent.swap(index, other);
        }
        3 => parent[index] = elsewhere,
        4 => match &mut parent[index] {
            // Inside a group (reaches empty groups too) or next to the node.
            Tok::Group(_, inner) if rng.one_in(2) => {
                let at = rng.below(inner.len() + 1);
                inner.insert(at, elsewhere);
            }
            _ => parent.insert(index + rng.below(2), elsewhere),
        },
        5 => {
            // Invisible groups are what `macro_rules!` hands on for `$t:ty`, `$e:expr`, ….
            let new_delimiter = *rng.pick(&[
                Delimiter::Parenthesis,
                Delimiter::Brace,
                Delimiter::Bracket,
                Delimiter::None,
                Delimiter::None,
            ]);
            match &mut parent[index] {
                Tok::Group(_, inner) if rng.one_in(3) => {
                    let inner = std::mem::take(inner);
                    parent.splice(index..=index, inner);
                }
                Tok::Group(delimiter, _) => *delimiter = new_delimiter,
                Tok::Leaf(_) => {
                    let end = (index + 1 + rng.below(4)).min(parent.len());
                    let run: Vec<Tok> = parent.drain(index..end).collect();
                    parent.insert(index, Tok::Group(new_delimiter, run));
                }
            }
        }
        6 => {
            let donor = &rng.pick(seeds).body;
            if !donor.is_empty() {
                let start = rng.below(donor.len());
                let len = 1 + rng.below(8.min(donor.len() - start));
                parent.splice(index..index, donor[start..start + len].iter().cloned());
            }
        }
        _ => {
            // Truncation: what an unfinished edit looks like.
            parent.truncate(index);
        }
    }
}

/// A random input from the macro's grammar: up to four valid items with random attributes, visibilities,
/// types and (for `atom!`) kinds, and in one input out of three a flaw `validate` must reject.
fn generate(mac: Macro, rng: &mut Rng) -> String {
    let items = if rng.one_in(10) { 0 } else { 1 + rng.below(4) };
    let flaw = (items > 0 && rng.one_in(3)).then(|| (rng.below(items), rng.below(18)));
    match mac {
        Macro::Store => generate_store(rng, items, flaw),
        Macro::Atom => generate_atoms(rng, items, flaw),
        Macro::Fields => generate_fields(rng, items, flaw),
    }
}

/// A struct for the derive: up to four fields (`items`) with random types, visibilities, docs, cfgs and
/// options, and in one input out of three a flaw.
fn generate_fields(rng: &mut Rng, items: usize, flaw: Option<(usize, usize)>) -> String {
    const TYPES: &[&str] = &[
        "u32",
        "String",
        "Vec<u8>",
        "&'static str",
        "Option<Box<Self>>",
        "(u8, u16)",
        "[u8; 4]",
        "crate::a::B<'static, u8>",
        "<Self as Tr>::K",
        "fn(u8) -> u8",
    ];
    const ATTRS: &[&str] =
        &["/// Docs.", "#[cfg(test)]", "#[allow(unused)]", "#[doc = \"d\"]", "#[serde(rename = \"x\")]"];
    const HEADERS: &[&str] = &["/// A struct.", "#[derive(Clone)]", "#[repr(C)]", "#[allow(dead_code)]"];
    let mut header = String::new();
    for _ in 0..rng.below(3) {
        let line: &&str = rng.pick(HEADERS);
        header.push_str(line);
        header.push('\n');
    }
    let (mut keyword, mut generics, mut body_open, mut body_close) = ("struct", "", "{", "}");
    let mut keyed = false;
    let mut fields = Vec::new();
    for i in 0..items {
        let mut attrs: Vec<String> = (0..rng.below(2)).map(|_| (*rng.pick(ATTRS)).to_owned()).collect();
        let mut options: Vec<String> = Vec::new();
        match rng.below(6) {
            0 => options.push("skip".to_owned()),
            1 => options.push(format!("name = \"n{i}\"")),
            2 if !keyed => {
                keyed = true;
                options.push("key".to_owned());
            }
            _ => {}
        }
        let mut ident = format!("f{i}");
        match flaw {
            Some((at, kind)) if at == i => match kind % 13 {
                0 => (keyword, body_open, body_close) = ("enum", "{", "}"),
                1 => (keyword, body_open, body_close) = ("union", "{", "}"),
                2 => (body_open, body_close) = ("(", ");"),
                3 => generics = *rng.pick(&["<T>", "<'a>", "<const N: usize>", "<T: Clone> where T: Copy"]),
                4 => {
                    options.push("key".to_owned());
                    fields.insert(0, "#[fields(key)] k: u64".to_owned());
                }
                5 => options
                    .push((*rng.pick(&["bogus", "rename = \"x\"", "1", "r#type", "skip(x)"])).to_owned()),
                6 => options.push(
                    (*rng.pick(&["name = years", "name = \"\"", "name", "name(\"x\")", "name = 1"]))
                        .to_owned(),
                ),
                7 => options.extend(["skip".to_owned(), (*rng.pick(&["key", "name = \"x\""])).to_owned()]),
                8 => attrs.push(format!("#[fields(name = \"f{}\")]", rng.below(items))),
                9 => header.push_str("#[fields(skip)]\n"),
                10 => attrs.push((*rng.pick(&["#[fields]", "#[fields = \"skip\"]"])).to_owned()),
                11 => ident = (*rng.pick(&["clone", "eq", "registry_name", "r#on_mount"])).to_owned(),
                _ => {
                    let option = options.first().cloned().unwrap_or_else(|| "skip".to_owned());
                    options.extend([option.clone(), option]);
                    ident = format!("g{i}");
                }
            },
            _ => {}
        }
        if !options.is_empty() {
            attrs.push(format!("#[fields({})]", options.join(", ")));
        }
        let ty = rng.pick(TYPES);
        let vis = rng.pick(VIS);
        if body_open == "(" {
            fields.push(format!("{}\n{vis} {ty}", attrs.join("\n")));
        } else {
            fields.push(format!("{}\n{vis} {ident}: {ty}", attrs.join("\n")));
        }
    }
    if items == 0 && rng.one_in(2) {
        return format!("{header}{} struct Unit;", rng.pick(VIS));
    }
    format!("{header}{} {keyword} S{generics} {body_open} {} {body_close}", rng.pick(VIS), fields.join(",\n"))
}

const VIS: &[&str] = &["", "pub", "pub(crate)", "pub(super)", "pub(in crate::a)"];

fn generate_store(rng: &mut Rng, items: usize, flaw: Option<(usize, usize)>) -> String {
    const ATTRS: &[&str] = &[
        "/// Docs.",
        "#[doc = \"docs\"]",
        "#[cfg(test)]",
        "#[allow(dead_code)]",
        "#[repr(C)]",
        "#[must_use]",
    ];
    let mut out = String::new();
    for i in 0..items {
        let mut attrs: Vec<&str> = (0..rng.below(3)).map(|_| *rng.pick(ATTRS)).collect();
        if rng.one_in(2) {
            attrs.insert(rng.below(attrs.len() + 1), *rng.pick(&["#[mode(global)]", "#[mode(isolated)]"]));
        }
        let (mut ident, mut generics, mut body) = (format!("S{i}"), "", ";");
        match flaw {
            Some((at, kind)) if at == i => match kind % 7 {
                0 => attrs.push("#[derive(Debug)]"),
                1 => attrs.push("#[mode(other)]"),
                2 => attrs.extend(["#[mode(global)]", "#[mode(global)]"]),
                3 => attrs.push(*rng.pick(&["#[mode]", "#[mode = \"global\"]", "#[mode(a, b)]"])),
                4 => generics = *rng.pick(&["<T>", "<'a>", "<const N: usize>", " where u8: Copy"]),
                5 => body = *rng.pick(&[" {}", " { a: u8 }", "(u8);", "()"]),
                _ => ident = "S0".to_owned(),
            },
            _ => {}
        }
        let _ = write!(out, "{}\n{} struct {ident}{generics}{body}\n", attrs.join("\n"), rng.pick(VIS));
    }
    out
}

fn generate_atoms(rng: &mut Rng, items: usize, flaw: Option<(usize, usize)>) -> String {
    const STORES: &[&str] = &["Session", "crate::Session", "self::a::Cart", "Session<u8>", "::s::S"];
    const TYPES: &[&str] = &[
        "u32",
        "String",
        "Vec<u8>",
        "&'static str",
        "(u8, u16)",
        "[u8; 4]",
        "Option<Box<dyn Fn() + Send + Sync>>",
        "f64",
        "crate::a::B<'static, u8>",
        "impl Sized",
        "!",
        "()",
    ];
    const ATTRS: &[&str] =
        &["/// Docs.", "#[cfg(test)]", "#[allow(unused)]", "#[doc(hidden)]", "#[doc = \"d\"]"];
    let mut out = String::new();
    if rng.one_in(2) {
        let _ = write!(out, "#![store({})] ", rng.pick(STORES));
    }
    for i in 0..items {
        let flaw = flaw.and_then(|(at, kind)| (at == i).then_some(kind));
        let key = *rng.pick(&["u64", "(u8, u8)", "String", "str", "[u8]", "dyn Fn()"]);
        let (mut init, family) = atom_init(rng, key);
        let primitive = init == "0" || init == "String::new()";
        let mut attrs: Vec<String> = (0..rng.below(3)).map(|_| (*rng.pick(ATTRS)).to_owned()).collect();
        if rng.one_in(3) {
            attrs.push(format!("#[name = \"n{i}\"]"));
        }
        if family && rng.one_in(2) {
            attrs.push(format!("#[capacity = {}]", rng.below(2000)));
        }
        if rng.one_in(5) {
            attrs.push(format!("#[store({})]", rng.pick(STORES)));
        }
        if primitive && rng.one_in(4) {
            attrs.push(ON_MOUNT.to_owned());
        }
        let (mut keyword, mut ident) = ("static", format!("A{i}"));
        let (mut ty, mut eq) = (format!(": {}", rng.pick(TYPES)), " = ");
        match flaw {
            Some(0) => out.insert_str(0, "#![global] "),
            Some(1) => out.insert_str(0, "#![store(A)] #![store(B)] "),
            Some(2) => attrs.push(format!("#[store({})]", rng.pick(&["", "1", "<T as Tr>::S", "a b"]))),
            Some(3) => attrs.push("#[store = Session]".to_owned()),
            Some(4) => keyword = *rng.pick(&["const", "static mut"]),
            Some(5) => ident = "A0".to_owned(),
            Some(6) => attrs.extend(["#[name = \"n\"]".to_owned(), "#[name = \"m\"]".to_owned()]),
            Some(7) => attrs.push(format!("#[name = \"A{}\"]", rng.below(items))),
            Some(8) => attrs.push(format!("#[capacity = {}]", rng.pick(&["\"10\"", "1.5", "-1", "x"]))),
            Some(9) if !family => attrs.push("#[capacity = 10]".to_owned()),
            Some(10) => ty = String::new(),
            Some(11) => (eq, init) = ("", String::new()),
            Some(12) => {
                init = (*rng.pick(&["family(|id| 0)", "family_computed(|id: u64, s| 0)", "family_async(x)"]))
                    .to_owned();
            }
            Some(13) => {
                init = (*rng.pick(&[
                    "computed()",
                    "computed(a, b)",
                    "writable(|s| 0)",
                    "family()",
                    "async_computed()",
                ]))
                .to_owned();
            }
            Some(14) => attrs.push((*rng.pick(&["#[name]", "#[name = 1]", "#[name(x)]"])).to_owned()),
            Some(15) => attrs.extend(["#[capacity = 1]".to_owned(), "#[capacity = 2]".to_owned()]),
            Some(16) => attrs.push(
                (*rng.pick(&[
                    "#[on_mount]",
                    "#[on_mount()]",
                    "#[on_mount = f]",
                    "#[on_mount(f, g)]",
                    "#[on_mount(|set| move || {})]",
                ]))
                .to_owned(),
            ),
            // Twice on a primitive, once on any other kind.
            Some(_) if primitive => attrs.extend([ON_MOUNT.to_owned(), ON_MOUNT.to_owned()]),
            Some(_) => attrs.push(ON_MOUNT.to_owned()),
            None => {}
        }
        let _ = write!(out, "{}\n{} {keyword} {ident}{ty}{eq}{init};\n", attrs.join("\n"), rng.pick(VIS));
    }
    out
}

/// A valid `#[on_mount]` (for primitive atoms only).
const ON_MOUNT: &str = "#[on_mount(|store, set| { let _ = (store, set); move || {} })]";

/// An initializer of a random kind, and whether it declares a family.
fn atom_init(rng: &mut Rng, key: &str) -> (String, bool) {
    let init = match rng.below(9) {
        0 => "0".to_owned(),
        1 => "String::new()".to_owned(),
        2 => "computed(|s| s.get(&A0) * 2)".to_owned(),
        3 => "async_computed(|s| async move { Ok::<_, E>(1) })".to_owned(),
        4 => "writable(|s| s.get(&A0), |s, v: u32| s.set(&A0, v))".to_owned(),
        5 => "writable(|s| 0, |s, v| ())".to_owned(),
        6 => return (format!("family(|id: &{key}| 0)"), true),
        7 => return (format!("family_computed(|id: &{key}, s| s.get(&A0))"), true),
        _ => return (format!("family_async(|id: &{key}, s| async move {{ Ok::<_, E>(1) }})"), true),
    };
    (init, false)
}

/// How the macro answered one input.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    Accepted,
    /// `compile_error!` only.
    Rejected,
    /// `compile_error!` next to the items that could still be expanded.
    Stubbed,
}

impl Outcome {
    fn is_rejection(self) -> bool {
        self != Outcome::Accepted
    }
}

thread_local! {
    /// The last panic seen by the fuzz hook on this thread, with its location.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Expands `input` and checks the output: `Err` says what is wrong, `Ok` has the outcome and the error
/// messages.
fn check(mac: Macro, input: &[Tok]) -> Result<(Outcome, Vec<String>), String> {
    let stream = to_stream(input);
    let output = expand_caught(mac, stream)?;
    let file = syn::parse2::<syn::File>(output.clone())
        .map_err(|e| format!("the output does not parse as items ({e}): {output}"))?;
    let mut errors = Vec::new();
    let mut items = 0;
    let mut others = 0;
    for item in &file.items {
        match item {
            syn::Item::Macro(m) if m.mac.path.segments.last().is_some_and(|s| s.ident == "compile_error") => {
                errors.push(check_compile_error(m).map_err(|problem| format!("{problem}: {output}"))?);
            }
            syn::Item::Static(_) if mac == Macro::Atom => items += 1,
            syn::Item::Struct(_) if mac == Macro::Store => items += 1,
            syn::Item::Trait(_) if mac == Macro::Fields => items += 1,
            _ => others += 1,
        }
    }
    if !errors.is_empty() {
        return Ok((if items + others > 0 { Outcome::Stubbed } else { Outcome::Rejected }, errors));
    }
    let declared = declared_items(mac, input);
    if items != declared {
        return Err(format!("accepted, but {declared} items in and {items} out: {output}"));
    }
    if mac == Macro::Fields {
        check_methods(input, &file)?;
    }
    Ok((Outcome::Accepted, errors))
}

fn expand_caught(mac: Macro, stream: TokenStream) -> Result<TokenStream, String> {
    panic::catch_unwind(AssertUnwindSafe(|| mac.expand(stream))).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let hooked = LAST_PANIC.with(|last| last.borrow_mut().take());
        format!("panicked: {}", hooked.unwrap_or(message))
    })
}

/// Whether `skip` is at the top level of a `#[fields(..)]` list, or in an invisible group there (syn looks
/// through them).
fn has_skip(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|tt| match tt {
        TokenTree::Ident(i) => i == "skip",
        TokenTree::Group(g) => g.delimiter() == Delimiter::None && has_skip(g.stream()),
        _ => false,
    })
}

/// An accepted derive's trait has one method per field that is not `#[fields(skip)]`.
fn check_methods(input: &[Tok], file: &syn::File) -> Result<(), String> {
    let item = syn::parse2::<syn::DeriveInput>(to_stream(input))
        .map_err(|e| format!("accepted, but the input is not an item ({e})"))?;
    let syn::Data::Struct(data) = item.data else { return Err("accepted, but not a struct".to_owned()) };
    let skip = |field: &syn::Field| {
        field.attrs.iter().any(|attr| {
            attr.path().is_ident("fields")
                && attr.meta.require_list().is_ok_and(|list| has_skip(list.tokens.clone()))
        })
    };
    let expected = data.fields.iter().filter(|field| !skip(field)).count();
    let methods = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Trait(t) => Some(t.items.len()),
            _ => None,
        })
        .unwrap_or_default();
    if methods == expected {
        Ok(())
    } else {
        Err(format!("accepted, but {expected} fields with field atoms in and {methods} methods out"))
    }
}

/// syn's form: `::core::compile_error! { "message" }`; returns the message.
fn check_compile_error(m: &syn::ItemMacro) -> Result<String, String> {
    let path = &m.mac.path;
    let segments: Vec<_> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    if path.leading_colon.is_none() || segments != ["core", "compile_error"] {
        return Err("a `compile_error!` not called as `::core::compile_error!`".to_owned());
    }
    let message = m
        .mac
        .parse_body::<syn::LitStr>()
        .map_err(|_| "a `compile_error!` whose body is not one string literal".to_owned())?;
    let message = message.value();
    if message.trim().is_empty() {
        return Err("a `compile_error!` with an empty message".to_owned());
    }
    Ok(message)
}

/// The items an accepted input declares: its top-level `static`s (`atom!`) or `struct`s (`store!`), not
/// counting `'static` or a `static ||` closure. Invisible groups (`Delimiter::None`, as `macro_rules!`
/// makes) count as top level: syn looks through them.
fn declared_items(mac: Macro, input: &[Tok]) -> usize {
    fn flatten<'a>(toks: &'a [Tok], out: &mut Vec<&'a Tok>) {
        for tok in toks {
            match tok {
                Tok::Group(Delimiter::None, inner) => flatten(inner, out),
                _ => out.push(tok),
            }
        }
    }
    if mac == Macro::Fields {
        // One trait per derived item, whatever its fields.
        return 1;
    }
    let is_punct =
        |tok: Option<&&Tok>, c: char| matches!(tok, Some(Tok::Leaf(TokenTree::Punct(p))) if p.as_char() == c);
    let is_ident =
        |tok: Option<&&Tok>, s: &str| matches!(tok, Some(Tok::Leaf(TokenTree::Ident(i))) if i == s);
    let mut tokens = Vec::new();
    flatten(input, &mut tokens);
    (0..tokens.len())
        .filter(|&i| {
            let before = i.checked_sub(1).and_then(|j| tokens.get(j));
            let after = tokens.get(i + 1);
            let lifetime = is_punct(before, '\'');
            let closure = is_punct(after, '|') || is_ident(after, "move") || is_ident(after, "async");
            is_ident(tokens.get(i), mac.keyword()) && !lifetime && !closure
        })
        .count()
}

/// The input as text, with invisible groups shown as `«…»` (`TokenStream`'s `Display` drops them).
fn render(toks: &[Tok]) -> String {
    fn has_invisible(toks: &[Tok]) -> bool {
        toks.iter().any(|tok| match tok {
            Tok::Group(Delimiter::None, _) => true,
            Tok::Group(_, inner) => has_invisible(inner),
            Tok::Leaf(_) => false,
        })
    }
    fn marked(toks: &[Tok], out: &mut String) {
        for tok in toks {
            match tok {
                Tok::Leaf(tt) => out.push_str(&tt.to_string()),
                Tok::Group(delimiter, inner) => {
                    let (open, close) = match delimiter {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::None => ("«", "»"),
                    };
                    out.push_str(open);
                    marked(inner, out);
                    out.push_str(close);
                }
            }
            out.push(' ');
        }
    }
    if has_invisible(toks) {
        let mut out = String::new();
        marked(toks, &mut out);
        format!("{} (invisible groups shown as `«…»`)", out.trim_end())
    } else {
        to_stream(toks).to_string()
    }
}

/// Removes nodes and group delimiters while `fails` still holds: a small input for the report.
fn minimise(input: &[Tok], fails: impl Fn(&[Tok]) -> bool) -> Vec<Tok> {
    let mut current = input.to_vec();
    loop {
        let mut smaller = None;
        for k in 0..count(&current) {
            let mut path = Vec::new();
            nth_path(&current, &mut k.clone(), &mut path);
            let (&index, parent_path) = path.split_last().expect("a node path is not empty");
            let mut without = current.clone();
            seq_at(&mut without, parent_path).remove(index);
            let mut flattened = current.clone();
            let parent = seq_at(&mut flattened, parent_path);
            let flattened = match &mut parent[index] {
                Tok::Group(_, inner) => {
                    let inner = std::mem::take(inner);
                    parent.splice(index..=index, inner);
                    Some(flattened)
                }
                Tok::Leaf(_) => None,
            };
            if let Some(candidate) = [Some(without), flattened].into_iter().flatten().find(|c| fails(c)) {
                smaller = Some(candidate);
                break;
            }
        }
        match smaller {
            Some(candidate) => current = candidate,
            None => return current,
        }
    }
}

/// A failed case.
struct Failure {
    mac: Macro,
    case: u64,
    input: String,
    problem: String,
}

/// What one thread saw.
#[derive(Default)]
struct Stats {
    /// Per macro (`Macro::index`).
    accepted: [u64; 3],
    rejected: [u64; 3],
    /// Rejected with items still expanded (a subset of `rejected`).
    stubbed: [u64; 3],
    failures: Vec<Failure>,
    failed: u64,
    /// Error messages against the style (capitalised or ending in a period), a few examples.
    style: Vec<String>,
}

impl Stats {
    fn merge(mut self, other: Stats) -> Stats {
        for i in 0..3 {
            self.accepted[i] += other.accepted[i];
            self.rejected[i] += other.rejected[i];
            self.stubbed[i] += other.stubbed[i];
        }
        self.failures.extend(other.failures);
        self.failed += other.failed;
        for message in other.style {
            if !self.style.contains(&message) {
                self.style.push(message);
            }
        }
        self
    }

    fn total(&self) -> u64 {
        self.accepted.iter().chain(&self.rejected).sum::<u64>() + self.failed
    }
}

/// Cases `first`, `first + step`, … below `cases`.
fn run_cases(seed: u64, first: u64, step: usize, cases: u64) -> Stats {
    let seeds = load_seeds();
    let pool = token_pool(&seeds);
    let mut stats = Stats::default();
    for case in (first..cases).step_by(step) {
        let mut rng = Rng::for_case(seed, case);
        let (mac, origin, mut input, mutations) = if rng.one_in(4) {
            let mac = match rng.below(6) {
                0 | 1 => Macro::Store,
                2 | 3 => Macro::Fields,
                _ => Macro::Atom,
            };
            let text = generate(mac, &mut rng);
            let input = to_toks(text.parse().expect("generated input is valid Rust tokens"));
            (mac, "generated", input, rng.below(3))
        } else {
            let chosen = rng.pick(&seeds);
            let mac = if rng.one_in(16) { chosen.mac.other(&mut rng) } else { chosen.mac };
            let mutations = match rng.below(8) {
                0..=3 => 1,
                4..=6 => 2 + rng.below(2),
                _ => 4 + rng.below(5),
            };
            (mac, chosen.origin.as_str(), chosen.body.clone(), mutations)
        };
        for _ in 0..mutations {
            mutate(&mut input, &mut rng, &pool, &seeds);
        }
        match check(mac, &input) {
            Ok((Outcome::Accepted, _)) => stats.accepted[mac.index()] += 1,
            Ok((outcome, messages)) => {
                note_style(messages, &mut stats.style);
                stats.rejected[mac.index()] += 1;
                if outcome == Outcome::Stubbed {
                    stats.stubbed[mac.index()] += 1;
                }
            }
            Err(problem) => {
                stats.failed += 1;
                if stats.failures.len() < 10 {
                    stats.failures.push(failure(mac, case, origin, &input, &problem));
                }
            }
        }
    }
    stats
}

/// Records (a few) error messages that break the style's "lowercase, no trailing period".
fn note_style(messages: Vec<String>, style: &mut Vec<String>) {
    for message in messages {
        if style.len() >= 5 {
            return;
        }
        let capitalised = message.chars().next().is_some_and(char::is_uppercase);
        if (capitalised || message.ends_with('.')) && !style.contains(&message) {
            style.push(message);
        }
    }
}

fn failure(mac: Macro, case: u64, origin: &str, input: &[Tok], problem: &str) -> Failure {
    let mut problem = format!("{problem}\n    mutated from {origin}");
    if problem.starts_with("panicked") {
        let panics = |toks: &[Tok]| expand_caught(mac, to_stream(toks)).is_err();
        let minimal = minimise(input, panics);
        let from_text = to_stream(&minimal).to_string().parse::<TokenStream>().map(|s| expand_caught(mac, s));
        let reproduces = matches!(from_text, Ok(Err(_)));
        let message = expand_caught(mac, to_stream(&minimal)).err().unwrap_or_default();
        let minimal = render(&minimal);
        let _ = write!(
            problem,
            "\n    minimal input: {minimal}\n    which {message}\n    reproduces from its source text: {reproduces}"
        );
    }
    Failure { mac, case, input: render(input), problem }
}

/// Runs `f` with a panic hook that silences (and records) panics on fuzz threads; restores the previous
/// hook afterwards. Tests that swap hooks take turns.
fn with_silent_panics<T>(f: impl FnOnce() -> T) -> T {
    type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;
    struct Restore(Option<Arc<Hook>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            drop(panic::take_hook());
            if let Some(Ok(previous)) = self.0.take().map(Arc::try_unwrap) {
                panic::set_hook(previous);
            }
        }
    }
    static TURN: Mutex<()> = Mutex::new(());
    let _turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
    let previous = Arc::new(panic::take_hook());
    let _restore = Restore(Some(Arc::clone(&previous)));
    panic::set_hook(Box::new(move |info| {
        if thread::current().name().is_some_and(|name| name.starts_with(THREAD_PREFIX)) {
            LAST_PANIC.with(|last| *last.borrow_mut() = Some(info.to_string()));
        } else {
            previous(info);
        }
    }));
    f()
}

/// Runs `f` on a fresh fuzz thread (whose panics the hook silences).
fn on_fuzz_thread<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    with_silent_panics(|| {
        thread::scope(|scope| {
            thread::Builder::new()
                .name(format!("{THREAD_PREFIX}-single"))
                .spawn_scoped(scope, f)
                .expect("a thread can be spawned")
                .join()
                .expect("the fuzz thread catches the macros' panics")
        })
    })
}

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    let value = value.trim().replace('_', "");
    let parsed = match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => value.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name} must be a number, not `{value}`")))
}

#[test]
fn mutated_token_streams() {
    let cases = env_u64("NEXUS_FUZZ_CASES").unwrap_or(0).max(MIN_CASES);
    let seed = env_u64("NEXUS_FUZZ_SEED").unwrap_or(SEED);
    let threads = thread::available_parallelism().map_or(1, NonZeroUsize::get).min(16);
    let seeds = load_seeds().len();
    let start = Instant::now();
    let stats = with_silent_panics(|| {
        thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    thread::Builder::new()
                        .name(format!("{THREAD_PREFIX}-{t}"))
                        .spawn_scoped(scope, move || {
                            run_cases(seed, u64::try_from(t).expect("few threads"), threads, cases)
                        })
                        .expect("a thread can be spawned")
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().expect("a fuzz thread catches the macros' panics"))
                .fold(Stats::default(), Stats::merge)
        })
    });
    let elapsed = start.elapsed();
    println!(
        "fuzz: {} cases from {seeds} seeds (seed {seed:#x}, {threads} threads) in {elapsed:.1?}\n  \
         store!: {} accepted, {} rejected ({} of them with items still expanded)\n  \
         atom!:  {} accepted, {} rejected ({} of them with items still expanded)\n  \
         Fields: {} accepted, {} rejected ({} of them with items still expanded)\n  failed: {}",
        stats.total(),
        stats.accepted[0],
        stats.rejected[0],
        stats.stubbed[0],
        stats.accepted[1],
        stats.rejected[1],
        stats.stubbed[1],
        stats.accepted[2],
        stats.rejected[2],
        stats.stubbed[2],
        stats.failed,
    );
    for message in &stats.style {
        println!("  error message against the style: {message:?}");
    }
    let mut report = String::new();
    for f in &stats.failures {
        let _ = write!(report, "\n{:?} case {}: {}\n    input: {}", f.mac, f.case, f.problem, f.input);
    }
    assert!(stats.failures.is_empty(), "{} of {} cases failed; the first ones:{report}", stats.failed, cases);
    assert_eq!(stats.total(), cases);
    assert!(stats.total() >= MIN_CASES);
    // Both outcomes must stay common (at least 2% of each macro's cases), or the fuzz exercises only
    // one side of the macros.
    for i in 0..3 {
        let share = (stats.accepted[i] + stats.rejected[i]) / 50;
        assert!(stats.accepted[i] >= share && stats.rejected[i] >= share, "too few of one outcome");
    }
}

#[test]
fn seeds_are_classified() {
    // Macro-input cases the macros accept: their error comes from the type checker.
    const TYPE_LEVEL: &[&str] = &["macro_input/not_a_store.rs"];
    let problems = on_fuzz_thread(|| {
        let mut problems = Vec::new();
        // Per macro-input file: whether one of its invocations is rejected.
        let mut macro_input = std::collections::BTreeMap::<String, bool>::new();
        for seed in load_seeds() {
            let outcome = check(seed.mac, &seed.body).map(|(outcome, _)| outcome);
            let expected = if seed.origin.starts_with("macro_input/") {
                *macro_input.entry(seed.origin).or_default() |= outcome.is_ok_and(Outcome::is_rejection);
                continue;
            } else if let Some(i) = seed.origin.strip_prefix("HANDWRITTEN[") {
                let i: usize = i.trim_end_matches(']').parse().expect("an index");
                if HANDWRITTEN[i].1 {
                    Outcome::Accepted
                } else {
                    Outcome::Rejected
                }
            } else {
                Outcome::Accepted
            };
            if outcome.clone().map(Outcome::is_rejection) != Ok(expected.is_rejection()) {
                problems
                    .push(format!("{} ({:?}): {outcome:?}, expected {expected:?}", seed.origin, seed.mac));
            }
        }
        for (origin, rejected) in macro_input {
            if rejected == TYPE_LEVEL.contains(&origin.as_str()) {
                problems.push(format!("{origin}: rejected by the macro: {rejected}"));
            }
        }
        problems
    });
    assert!(
        problems.is_empty(),
        "seeds not classified as expected (a macro_input case is rejected by the macro unless listed in \
         TYPE_LEVEL; every other seed as HANDWRITTEN says, or accepted):\n{}",
        problems.join("\n")
    );
}

#[test]
fn regressions_do_not_panic() {
    let problems = on_fuzz_thread(|| {
        REGRESSIONS
            .iter()
            .filter_map(|(mac, text)| {
                let input = to_toks(text.parse().expect("a regression input is valid Rust tokens"));
                check(*mac, &input).err().map(|problem| format!("{mac:?} `{text}`: {problem}"))
            })
            .collect::<Vec<_>>()
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
