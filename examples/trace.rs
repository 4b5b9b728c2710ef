//! Why did this change? A small shopping cart under a `nexus::Trace`: each change's origin (file, line,
//! label), the recomputes it caused and why, `trace.why(..)` and `trace.why_not(..)`, and the dependency
//! graph (`store.graph()`) as text, as a Mermaid flowchart and as one self-contained HTML page.
//!
//! Run `cargo run --example trace`: it makes a few changes, prints the last transactions, the answers to
//! "why" and "why not", the graph, and writes `target/graph.html` (open it in a browser: click an atom to
//! see its value, sources, readers and the transactions that touched it; the last one's path is lit).
//! `scripts/graph-page.sh` checks that page in headless Chromium and retakes `docs/graph.png`.

use std::path::PathBuf;

nexus::store! {
    /// One shopper's cart.
    pub struct Cart;
}

/// One line of the cart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub name: String,
    pub quantity: u32,
    /// In cents.
    pub price: u64,
}

nexus::atom! {
    #![store(Cart)]
    /// What is in the cart.
    pub static LINES: Vec<Line> = Vec::new();
    /// Whether the shopper is a member (10 % off).
    pub static MEMBER: bool = false;
    /// A coupon's value in cents, for shoppers who are not members.
    pub static COUPON: u64 = 0;
    /// Where the parcel goes.
    pub static ZONE: String = "EU".to_owned();

    /// How many articles.
    pub static ARTICLES: u32 = computed(|s| s.with(&LINES, |l| l.iter().map(|l| l.quantity).sum()));
    /// The sum of the lines, in cents.
    pub static SUBTOTAL: u64 = computed(|s| {
        s.with(&LINES, |l| l.iter().map(|l| u64::from(l.quantity) * l.price).sum())
    });
    /// A conditional read: a member's discount comes from the subtotal, anyone else's from the coupon.
    pub static DISCOUNT: u64 = computed(|s| {
        if s.get(&MEMBER) { s.get(&SUBTOTAL) / 10 } else { s.get(&COUPON).min(s.get(&SUBTOTAL)) }
    });
    /// Free from 50.00; otherwise by zone (read only when it matters).
    pub static SHIPPING: u64 = computed(|s| {
        if s.get(&SUBTOTAL) >= 5_000 { 0 } else if s.get(&ZONE) == "EU" { 490 } else { 1_290 }
    });
    /// What the shopper pays, in cents.
    pub static TOTAL: u64 = computed(|s| s.get(&SUBTOTAL) - s.get(&DISCOUNT) + s.get(&SHIPPING));
    /// The line under the cart button.
    pub static SUMMARY: String = computed(|s| {
        let total = s.get(&TOTAL);
        format!("{} articles, {}.{:02} to pay", s.get(&ARTICLES), total / 100, total % 100)
    });
    /// The member flag as a checkbox sees it: reading gives the flag, writing sets it.
    pub static MEMBER_CHECKBOX: bool = writable(|s| s.get(&MEMBER), |s, on: bool| s.set(&MEMBER, on));
}

fn main() -> std::io::Result<()> {
    let cart = Cart::new();
    let trace = nexus::Trace::attach(&cart, 100);
    // The cart button shows the summary: it is mounted, and so is everything it reads.
    let _button = cart.subscribe(&SUMMARY, |line| println!("  button: {line}"));

    println!("adding two lines");
    cart.update(&LINES, |lines| {
        lines.push(Line { name: "tea".to_owned(), quantity: 2, price: 650 });
        lines.push(Line { name: "cup \"classic\"".to_owned(), quantity: 1, price: 1_300 });
    });
    println!("a coupon of 3.00");
    cart.set(&COUPON, 300);
    println!("the shopper logs in as a member: the discount now reads the subtotal, not the coupon");
    cart.set(&MEMBER_CHECKBOX, true);
    println!("two more cups: shipping becomes free");
    cart.labeled("quantity stepper", || cart.update(&LINES, |lines| lines[1].quantity = 3));
    println!("the zone changes: shipping is free, so nothing else does");
    cart.set(&ZONE, "US".to_owned());

    println!("\nThe last two transactions:");
    for transaction in trace.transactions().iter().rev().take(2).rev() {
        println!("{transaction}");
    }
    println!("\nWhy is TOTAL what it is?\n{}", trace.why(&TOTAL));
    println!("Why did the zone not change SHIPPING?\n{}\n", trace.why_not(&SHIPPING));

    // The graph, with the transactions kept: the page lights the last one's path.
    let graph = trace.graph().expect("the cart lives");
    println!("\n{graph}");
    println!("Mermaid:\n{}", graph.to_mermaid());

    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/graph.html"));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, graph.to_html())?;
    println!("wrote {}", path.canonicalize()?.display());
    Ok(())
}
