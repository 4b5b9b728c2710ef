//! `store.watch(&atom)` (SPEC §8 "Async"; issue 15 item 1): a `Stream` of an atom's values with
//! latest-value semantics, ending when the store or the run-time atom is gone. Driven with
//! `futures::executor::block_on` (no runtime) and with tokio.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use futures::executor::block_on;
use futures::FutureExt;
use futures_core::Stream;
use nexus::{Atom, Computed};

nexus::store! {
    pub struct Feed;
    #[mode(global)]
    pub struct Hub;
}

nexus::atom! {
    #![store(Feed)]
    pub static COUNT: u64 = 0;
    pub static DOUBLE: u64 = computed(|s| s.get(&COUNT) * 2);
    pub static ROW: String = family(|id: &u32| format!("row {id}"));
}

nexus::atom! {
    pub static SHARED: u64 = 0;
}

/// The next item of a stream if one is ready now, else `Pending`.
fn ready_now<S: Stream + Unpin>(stream: &mut S) -> Poll<Option<S::Item>> {
    futures::StreamExt::next(stream).now_or_never().map_or(Poll::Pending, Poll::Ready)
}

#[test]
fn the_first_item_is_the_current_value() {
    let feed = Feed::new();
    feed.set(&COUNT, 7);
    let mut watch = feed.watch(&COUNT);
    assert_eq!(block_on(watch.changed()), Some(7));
    assert_eq!(ready_now(&mut watch), Poll::Pending, "nothing new yet: the stream waits");
}

#[test]
fn a_slow_consumer_skips_values_but_never_misses_the_latest() {
    let feed = Feed::new();
    let mut watch = feed.watch(&COUNT);
    assert_eq!(block_on(watch.changed()), Some(0));
    for v in 1..=100 {
        feed.set(&COUNT, v);
    }
    assert_eq!(block_on(watch.changed()), Some(100), "the values in between were skipped");
    assert_eq!(ready_now(&mut watch), Poll::Pending);
    feed.set(&COUNT, 100);
    assert_eq!(ready_now(&mut watch), Poll::Pending, "an equal value is not a change");
    feed.set(&COUNT, 101);
    assert_eq!(ready_now(&mut watch), Poll::Ready(Some(101)), "a change is ready at once");
}

/// Two threads writing: subscriber calls are made after the store's lock is released, so the calls of
/// two threads' changes can reach the watch in either order. The watch keeps the value of the latest
/// change (by the change's stamp, not by the order of the calls), so it never ends on an older value
/// (it did, now and then, before: an async atom's `Ready` then stayed hidden behind its `Loading`).
#[test]
fn writes_from_two_threads_leave_the_watch_on_the_latest_value() {
    for _ in 0..100 {
        let feed = Feed::new();
        // Called before the watch: a slow subscriber holds one thread's calls back while the other
        // thread changes the value again, which widens the window for calls out of order.
        let _slow = feed.subscribe(&COUNT, |v| std::thread::sleep(Duration::from_micros(v % 7 * 20)));
        let watch = feed.watch(&COUNT);
        let threads: Vec<_> = (0..2u64)
            .map(|t| {
                let feed = feed.clone();
                std::thread::spawn(move || {
                    for i in 0..20 {
                        feed.set(&COUNT, t * 1000 + i + 1);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("the writer ends");
        }
        assert_eq!(watch.latest(), Some(feed.get(&COUNT)));
    }
}

/// Issue 26 §4: `0 → 1 → 0` between two polls is not a new item (as no subscriber hears a write of an
/// equal value); a type without `PartialEq` still sees every change.
#[test]
fn a_value_equal_to_the_last_item_is_not_a_new_item() {
    /// No `PartialEq`: nothing can tell two values apart, so each change is an item.
    #[derive(Clone, Debug)]
    struct Opaque(u8);
    nexus::atom! {
        #![store(Feed)]
        static OPAQUE: Opaque = Opaque(0);
    }
    let feed = Feed::new();
    let mut count = feed.watch(&COUNT);
    assert_eq!(block_on(count.changed()), Some(0));
    feed.set(&COUNT, 1);
    feed.set(&COUNT, 0);
    assert_eq!(ready_now(&mut count), Poll::Pending, "back to the value last handed out");
    feed.set(&COUNT, 2);
    assert_eq!(ready_now(&mut count), Poll::Ready(Some(2)));
    // The same through a derived atom, a family member and an atom made at run time with an equality.
    let mut double = feed.watch(&DOUBLE);
    assert_eq!(block_on(double.changed()), Some(4));
    feed.set(&COUNT, 3);
    feed.set(&COUNT, 2);
    assert_eq!(ready_now(&mut double), Poll::Pending);
    let mut row = feed.watch(&ROW.at(1));
    assert_eq!(block_on(row.changed()).as_deref(), Some("row 1"));
    feed.set(&ROW.at(1), "edited".to_owned());
    feed.set(&ROW.at(1), "row 1".to_owned());
    assert_eq!(ready_now(&mut row), Poll::Pending);
    let runtime = Atom::<u8, Feed>::new(5);
    let mut watched = feed.watch(&runtime);
    assert_eq!(block_on(watched.changed()), Some(5));
    feed.set(&runtime, 6);
    feed.set(&runtime, 5);
    assert_eq!(ready_now(&mut watched), Poll::Pending);

    let mut opaque = feed.watch(&OPAQUE);
    assert_eq!(block_on(opaque.changed()).map(|o| o.0), Some(0));
    feed.set(&OPAQUE, Opaque(1));
    feed.set(&OPAQUE, Opaque(0));
    assert_eq!(ready_now(&mut opaque).map(|o| o.map(|o| o.0)), Poll::Ready(Some(0)));
}

/// The same for an async atom whose type has `PartialEq`: a reload that ends where the last item was
/// (`Ready(x)`, `Loading`, `Ready(x)` between two polls) is not a new item.
#[test]
fn an_async_atom_back_to_the_state_last_seen_is_not_a_new_item() {
    nexus::atom! {
        #![store(Feed)]
        static PARITY: String = async_computed(|s| {
            let n = s.get(&COUNT);
            async move { Ok::<_, String>(format!("parity {}", n % 2)) }
        });
    }
    let feed = Feed::new();
    let mut parity = feed.watch(&PARITY);
    assert_eq!(block_on(parity.changed()), Some(nexus::Loadable::Loading { previous: None }));
    block_on(feed.settled());
    assert_eq!(block_on(parity.changed()), Some(nexus::Loadable::Ready("parity 0".to_owned())));
    feed.set(&COUNT, 2);
    block_on(feed.settled());
    assert_eq!(ready_now(&mut parity), Poll::Pending, "it loaded again, to the value last seen");
    feed.set(&COUNT, 3);
    block_on(feed.settled());
    assert_eq!(ready_now(&mut parity), Poll::Ready(Some(nexus::Loadable::Ready("parity 1".to_owned()))));
}

#[test]
fn a_value_set_from_another_thread_wakes_the_waiting_task() {
    let feed = Feed::new();
    let mut watch = feed.watch(&COUNT);
    assert_eq!(block_on(watch.changed()), Some(0));
    let writer = {
        let feed = feed.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            feed.set(&COUNT, 5);
        })
    };
    assert_eq!(block_on(watch.changed()), Some(5), "block_on parked until the subscriber woke it");
    writer.join().expect("writer");
}

#[test]
fn the_stream_ends_when_the_store_is_dropped_after_the_last_value() {
    let feed = Feed::new();
    let mut watch = feed.watch(&COUNT);
    feed.set(&COUNT, 3);
    drop(feed);
    assert_eq!(block_on(watch.changed()), Some(3), "the latest value is still handed out");
    assert_eq!(block_on(watch.changed()), None);
    assert_eq!(block_on(watch.changed()), None, "and stays ended");
}

#[test]
fn the_stream_ends_when_the_watched_run_time_atom_is_freed() {
    let feed = Feed::new();
    let atom = Atom::<u64, Feed>::new(1);
    let mut watch = feed.watch(&atom);
    assert_eq!(block_on(watch.changed()), Some(1));
    drop(atom);
    assert_eq!(block_on(watch.changed()), None, "a watch does not keep the atom alive");
}

#[test]
fn derived_atoms_and_family_members_can_be_watched() {
    let feed = Feed::new();
    let mut double = feed.watch(&DOUBLE);
    let mut row = feed.watch(&ROW.at(4));
    let runtime = Computed::<u64, Feed>::new(|s| s.get(&COUNT) + 1);
    let mut plus_one = feed.watch(&runtime);
    assert_eq!(block_on(double.changed()), Some(0));
    assert_eq!(block_on(row.changed()), Some("row 4".to_owned()));
    assert_eq!(block_on(plus_one.changed()), Some(1));
    feed.set(&COUNT, 21);
    feed.set(&ROW.at(4), "edited".to_owned());
    assert_eq!(block_on(double.changed()), Some(42));
    assert_eq!(block_on(plus_one.changed()), Some(22));
    assert_eq!(block_on(row.changed()), Some("edited".to_owned()));
}

#[test]
fn a_batch_is_one_item() {
    let feed = Feed::new();
    let mut watch = feed.watch(&DOUBLE);
    assert_eq!(block_on(watch.changed()), Some(0));
    feed.batch(|| {
        feed.set(&COUNT, 1);
        feed.set(&COUNT, 2);
    });
    assert_eq!(ready_now(&mut watch), Poll::Ready(Some(4)));
    assert_eq!(ready_now(&mut watch), Poll::Pending);
}

#[test]
fn a_global_atom_of_a_global_mode_store_is_seen_changing_through_any_such_store() {
    let (a, b) = (Hub::new(), Hub::new());
    let mut watch = a.watch(&SHARED);
    let start = block_on(watch.changed()).expect("current value");
    b.set(&SHARED, start + 1);
    assert_eq!(block_on(watch.changed()), Some(start + 1));
}

#[test]
fn dropping_a_watch_unsubscribes() {
    let feed = Feed::new();
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = {
        let calls = calls.clone();
        Computed::<u64, Feed>::new(move |s| {
            calls.fetch_add(1, Ordering::SeqCst);
            s.get(&COUNT)
        })
    };
    let watch = feed.watch(&counted);
    feed.set(&COUNT, 1);
    let evaluated = calls.load(Ordering::SeqCst);
    drop(watch);
    feed.set(&COUNT, 2);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        evaluated,
        "with nobody watching, the derived atom is no longer brought up to date on each change"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_tasks_see_every_latest_value() {
    let feed = Feed::new();
    let mut watch = feed.watch(&COUNT);
    let reader = tokio::spawn(async move {
        let mut seen = Vec::new();
        while let Some(v) = watch.changed().await {
            seen.push(v);
            if v == 50 {
                break;
            }
        }
        seen
    });
    for v in 1..=50 {
        feed.set(&COUNT, v);
        if v % 10 == 0 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
    let seen = tokio::time::timeout(Duration::from_secs(10), reader).await.expect("no hang").expect("task");
    assert_eq!(seen.last(), Some(&50), "the latest value always arrives");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "in order, without repeats: {seen:?}");
}

#[tokio::test]
async fn a_watch_is_a_stream() {
    use futures::StreamExt;
    let feed = Feed::new();
    let watch = feed.watch(&COUNT);
    feed.set(&COUNT, 9);
    drop(feed);
    let all: Vec<u64> = watch.collect().await;
    assert_eq!(all, [9], "the latest value, then the end");
}
