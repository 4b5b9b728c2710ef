//! Effects and the mount lifecycle: an autosave effect over an editor's atoms, and a price "ticker"
//! that a background thread feeds while someone observes the price.
//!
//! Run with `cargo run --example effects`. Every run prints the same lines.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------------
// (a) Autosave: one effect over several atoms.

nexus::store! {
    /// One open document.
    pub struct Editor;
}

nexus::atom! {
    #![store(Editor)]
    pub static TITLE: String = String::new();
    pub static BODY: String = String::new();
    pub static TAGS: Vec<String> = Vec::new();
    /// Derived: effects see it settled, never half-updated.
    pub static WORDS: usize = computed(|s| s.with(&BODY, |body| body.split_whitespace().count()));
    /// The last version saved: written by the autosave effect itself.
    pub static SAVED_VERSION: u64 = 0;
    /// Where the cursor is: the effect does not read it, so moving it saves nothing.
    pub static CURSOR: usize = 0;
}

fn autosave_demo() {
    println!("== (a) autosave: an effect over TITLE, BODY, TAGS (and the derived WORDS)");
    let editor = Editor::new();
    let _title_sub = editor.subscribe(&TITLE, |title| println!("  subscriber: the title is now {title:?}"));

    // The effect runs once now, then after every change round that changed something it read.
    let autosave = editor.effect(|s| {
        let (title, tags, words) = (s.get(&TITLE), s.get(&TAGS), s.get(&WORDS));
        let body_len = s.with(&BODY, String::len);
        // Reading SAVED_VERSION and writing it below does not run the effect again: what a run reads
        // is recorded after the run, so its own writes are not news to it.
        let version = s.get(&SAVED_VERSION) + 1;
        println!(
            "  autosave run {}: saving v{version}: {title:?}, {body_len} bytes, {words} words, tags {tags:?}",
            s.run_number()
        );
        s.set(&SAVED_VERSION, version);
        // Runs before the next run (the next save supersedes this one) and when the effect stops.
        s.on_cleanup(move || println!("  cleanup of v{version}"));
    });

    println!("one edit -> one save (the effect runs before the subscribers):");
    editor.set(&TITLE, "Effects in nexus".to_owned());

    println!("three edits in a batch -> one save, at the end of the batch:");
    editor.batch(|| {
        editor.set(&TITLE, "Effects and mounting in nexus".to_owned());
        editor.set(&BODY, "Effects run once per change round.".to_owned());
        editor.set(&TAGS, vec!["rust".to_owned(), "state".to_owned()]);
        println!("  (inside the batch: nothing saved yet)");
    });

    println!("moving the cursor (not read by the effect) -> no save:");
    editor.set(&CURSOR, 12);

    println!("setting a tag list equal to the current one -> not a change, no save:");
    editor.set(&TAGS, vec!["rust".to_owned(), "state".to_owned()]);

    println!(
        "runs so far: {} (creation + one edit + one batch); saved version {}",
        autosave.runs(),
        editor.get(&SAVED_VERSION)
    );
    println!("dropping the effect stops it (its last cleanup runs):");
    drop(autosave);
    editor.set(&BODY, "Typed after autosave stopped.".to_owned());
    println!("an edit after that saves nothing; saved version still {}", editor.get(&SAVED_VERSION));
}

// ---------------------------------------------------------------------------------------------------
// (b) A mounted ticker: `on_mount` starts a feed when the first observer comes, the closure it returns
// stops it when the last one goes.

nexus::store! {
    /// One market screen.
    pub struct Market;
}

/// Times the ticker was started and stopped (in any store instance).
static MOUNTS: AtomicUsize = AtomicUsize::new(0);
static UNMOUNTS: AtomicUsize = AtomicUsize::new(0);

/// The price (in cents) of the `tick`th tick: a fixed sequence, so every run prints the same prices.
fn price(tick: u64) -> u64 {
    PRICE_FLOOR + (tick * 7_919) % 500
}

/// The lowest price a tick gives.
const PRICE_FLOOR: u64 = 10_000;

fn dollars(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

/// A background thread feeding prices to a mounted atom.
struct Ticker {
    stop: Arc<AtomicBool>,
    thread: thread::JoinHandle<()>,
}

impl Ticker {
    /// Starts a thread that feeds `set` a price every millisecond (at most 10,000 of them).
    fn start(set: nexus::Setter<u64>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = thread::spawn(move || {
            for tick in 1..=10_000 {
                if flag.load(Ordering::Acquire) {
                    break;
                }
                set.set(price(tick));
                thread::sleep(Duration::from_millis(1));
            }
        });
        MOUNTS.fetch_add(1, Ordering::SeqCst);
        Ticker { stop, thread }
    }

    /// Sets the stop flag and joins the thread.
    fn stop(self) {
        self.stop.store(true, Ordering::Release);
        // The unmount runs on the thread that ended the last observation. That is usually the one that
        // dropped it; but if the ticker's thread held the store's lock (in `set.set`) at that moment, or
        // the last handle of a store being dropped, the unmount runs on the ticker's thread itself, which
        // must not join itself: it ends at its next look at the flag.
        if self.thread.thread().id() != thread::current().id() {
            self.thread.join().expect("the ticker thread panicked");
        }
    }
}

nexus::atom! {
    #![store(Market)]
    /// The last price, in cents: fed by a ticker while it is mounted.
    #[on_mount(|store, set| {
        // The first observer came in this store instance: start the feed.
        let ticker = Ticker::start(set.clone());
        println!("  on_mount in {store:?}: ticker thread started");
        let store = store.clone();
        // What runs when the last observer goes (or the store is dropped).
        move || {
            ticker.stop();
            set.set(0); // does nothing: the atom is unmounted
            println!("  unmount in {store:?}: ticker stopped (setter still mounted: {})", set.is_mounted());
            UNMOUNTS.fetch_add(1, Ordering::SeqCst);
        }
    })]
    pub static PRICE: u64 = 0;
    /// The highest price seen, kept by an effect.
    pub static HIGH: u64 = 0;
    pub static PRICE_LABEL: String = computed(|s| dollars(s.get(&PRICE)));
}

/// Waits (at most two seconds) until `n` unmounts have finished: an unmount may run on the ticker's
/// thread, just after the call that ended the last observation returned.
fn wait_for_unmounts(n: usize) {
    let deadline = Instant::now() + Duration::from_secs(2);
    while UNMOUNTS.load(Ordering::SeqCst) < n {
        assert!(Instant::now() < deadline, "the ticker was not stopped");
        thread::sleep(Duration::from_millis(1));
    }
}

/// The next `n` values sent to `rx` (at most two seconds of waiting).
fn next<T>(rx: &mpsc::Receiver<T>, n: usize) -> Vec<T> {
    (0..n).map(|_| rx.recv_timeout(Duration::from_secs(2)).expect("the ticker sends a price")).collect()
}

fn ticker_demo() {
    println!("\n== (b) a mounted ticker: started by the first observer, stopped by the last");
    let market = Market::new();
    println!("PRICE mounted before anyone observes it: {}", market.is_mounted(&PRICE));

    println!("the chart subscribes to PRICE_LABEL, a derived atom reading PRICE:");
    let (tx, chart_rx) = mpsc::channel();
    let chart = market.subscribe(&PRICE_LABEL, move |label| {
        let _ = tx.send(label.clone()); // runs on the ticker's thread: the one that made the change
    });
    println!("PRICE mounted: {}", market.is_mounted(&PRICE));
    println!("the chart's first three prices: {}", next(&chart_rx, 3).join(", "));

    println!("an effect keeping the high reads PRICE too: no second on_mount");
    let high = market.effect(|s| {
        let price = s.get(&PRICE);
        if price > s.peek(&HIGH) {
            s.set(&HIGH, price);
        }
    });
    println!("tickers started so far: {}", MOUNTS.load(Ordering::SeqCst));

    println!("the chart unsubscribes: the effect still observes PRICE");
    drop(chart);
    println!("PRICE mounted: {}", market.is_mounted(&PRICE));
    println!("the effect stops: the last observer is gone");
    drop(high);
    wait_for_unmounts(1);
    let last = market.get(&PRICE);
    println!(
        "PRICE mounted: {}; it keeps its last price (the setter's 0 was ignored): {}",
        market.is_mounted(&PRICE),
        last != 0
    );
    println!("the effect kept the high of the prices it saw: {}", market.get(&HIGH) >= PRICE_FLOOR);

    println!("a new subscriber mounts PRICE again (a new thread):");
    let (tx, rx) = mpsc::channel();
    let again = market.subscribe(&PRICE, move |p| {
        let _ = tx.send(*p);
    });
    let _ = next(&rx, 1);

    println!("another Market instance has its own mount:");
    let other = Market::new();
    let (tx, other_rx) = mpsc::channel();
    let _other_sub = other.subscribe(&PRICE, move |p| {
        let _ = tx.send(*p);
    });
    let first: Vec<String> = next(&other_rx, 2).into_iter().map(dollars).collect();
    println!("its first two prices: {}", first.join(", "));
    println!("dropping that store unmounts PRICE there (its subscription outlives it, unused):");
    drop(other);
    wait_for_unmounts(2);

    println!("the last subscriber of the first market goes:");
    drop(again);
    wait_for_unmounts(3);
    println!(
        "tickers started {}, stopped {}",
        MOUNTS.load(Ordering::SeqCst),
        UNMOUNTS.load(Ordering::SeqCst)
    );
}

fn main() {
    autosave_demo();
    ticker_demo();
}
