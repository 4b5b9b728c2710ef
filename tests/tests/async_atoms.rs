//! Async atoms (SPEC §8 "Async"; issue 15 items 2–3): `AsyncComputed` reads as `Loadable<T>`, loads when
//! awaited (`load`, `settled`), shares one load per change among waiters, cancels stale loads and never
//! stores their results, keeps the last value while reloading, and survives panics. Driven with
//! `futures::executor::block_on` and with tokio.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use futures::executor::block_on;
use nexus::{AsyncComputed, Computed, Loadable};

nexus::store! {
    pub struct Page;
}

nexus::atom! {
    #![store(Page)]
    pub static USER_ID: u32 = 1;
}

#[derive(Debug, PartialEq)]
struct NotFound(u32);

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no user {}", self.0)
    }
}

impl std::error::Error for NotFound {}

/// A future that finishes when its gate is opened (a fetch the test controls).
#[derive(Clone, Default)]
struct Gate(Arc<Mutex<(bool, Option<Waker>)>>);

impl Gate {
    fn open(&self) {
        let waker = {
            let mut g = self.0.lock().expect("not poisoned");
            g.0 = true;
            g.1.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl Future for Gate {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut g = self.0.lock().expect("not poisoned");
        if g.0 {
            Poll::Ready(())
        } else {
            g.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// Sets its flag when dropped: shows that a stale load's future was dropped (cancelled).
struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// An async atom whose fetch of user `id` counts itself and waits for `gates[id]` if there is one.
fn user_atom(
    fetches: &Arc<AtomicUsize>,
    gates: &Arc<Mutex<Vec<(u32, Gate)>>>,
) -> AsyncComputed<String, Page> {
    let (fetches, gates) = (fetches.clone(), gates.clone());
    AsyncComputed::new(move |s| {
        let id = s.get(&USER_ID);
        let fetches = fetches.clone();
        let gate = gates.lock().expect("not poisoned").iter().find(|(g, _)| *g == id).map(|(_, g)| g.clone());
        async move {
            fetches.fetch_add(1, Ordering::SeqCst);
            if let Some(gate) = gate {
                gate.await;
            }
            if id == 0 {
                Err(NotFound(id))
            } else {
                Ok(format!("user {id}"))
            }
        }
    })
}

/// Gates by user id: a fetch of that user waits for its gate.
type Gates = Arc<Mutex<Vec<(u32, Gate)>>>;

fn counters() -> (Arc<AtomicUsize>, Gates) {
    (Arc::new(AtomicUsize::new(0)), Arc::new(Mutex::new(Vec::new())))
}

#[test]
fn get_never_blocks_and_load_drives_the_load() {
    let (fetches, gates) = counters();
    let user = user_atom(&fetches, &gates);
    let page = Page::new();
    assert_eq!(page.get(&user), Loadable::Loading { previous: None });
    assert_eq!(fetches.load(Ordering::SeqCst), 0, "nothing polls a load unless asked");
    assert_eq!(block_on(page.load(&user)), Ok("user 1".to_owned()));
    assert_eq!(page.get(&user), Loadable::Ready("user 1".to_owned()));
    assert_eq!(block_on(page.load(&user)), Ok("user 1".to_owned()), "a loaded value is not loaded again");
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[test]
fn an_error_is_a_failed_state_naming_it_and_the_last_value_stays_available() {
    let (fetches, gates) = counters();
    let user = user_atom(&fetches, &gates);
    let page = Page::new();
    block_on(page.load(&user)).expect("user 1 loads");
    page.set(&USER_ID, 0);
    let err = block_on(page.load(&user)).expect_err("user 0 does not exist");
    assert_eq!(err.downcast_ref::<NotFound>(), Some(&NotFound(0)));
    assert!(err.to_string().contains("no user 0"), "{err}");
    match page.get(&user) {
        Loadable::Failed { error, previous } => {
            assert_eq!(error, err);
            assert_eq!(previous.as_deref(), Some("user 1"));
        }
        other => panic!("expected Failed, got {other:?}"),
    }
    page.set(&USER_ID, 3);
    let reloading = page.get(&user);
    assert!(reloading.is_loading());
    assert_eq!(reloading.latest().map(String::as_str), Some("user 1"), "the last value that loaded");
}

#[test]
fn concurrent_waiters_share_one_load() {
    let (fetches, gates) = counters();
    let gate = Gate::default();
    gates.lock().expect("not poisoned").push((1, gate.clone()));
    let user = user_atom(&fetches, &gates);
    let page = Page::new();
    let waiters: Vec<_> = (0..8).map(|_| page.load(&user)).collect();
    let opener = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(20));
        gate.open();
    });
    let results = block_on(futures::future::join_all(waiters));
    opener.join().expect("opener");
    assert!(results.iter().all(|r| r.as_deref() == Ok("user 1")), "{results:?}");
    assert_eq!(fetches.load(Ordering::SeqCst), 1, "eight waiters, one fetch");
}

#[test]
fn a_slow_stale_load_finishing_after_a_fast_new_one_never_wins() {
    let (fetches, gates) = counters();
    let slow = Gate::default();
    gates.lock().expect("not poisoned").push((1, slow.clone()));
    let dropped = Arc::new(AtomicBool::new(false));
    let user = {
        let (fetches, gates, dropped) = (fetches.clone(), gates.clone(), dropped.clone());
        AsyncComputed::<String, Page>::new(move |s| {
            let id = s.get(&USER_ID);
            let flag = (id == 1).then(|| DropFlag(dropped.clone()));
            let gate =
                gates.lock().expect("not poisoned").iter().find(|(g, _)| *g == id).map(|(_, g)| g.clone());
            let fetches = fetches.clone();
            async move {
                let _flag = flag;
                fetches.fetch_add(1, Ordering::SeqCst);
                if let Some(gate) = gate {
                    gate.await;
                }
                Ok::<_, NotFound>(format!("user {id}"))
            }
        })
    };
    let page = Page::new();
    // Start the slow load of user 1 and leave it waiting.
    let mut first = page.load(&user);
    let waker = futures::task::noop_waker();
    assert!(first.as_mut().poll(&mut Context::from_waker(&waker)).is_pending());
    // The dependency changes: a new load (fast) replaces it.
    page.set(&USER_ID, 2);
    assert_eq!(block_on(page.load(&user)), Ok("user 2".to_owned()));
    assert!(dropped.load(Ordering::SeqCst), "the stale load's future was dropped");
    // The slow one's gate opens late: it was cancelled, so its waiter joins the current load instead.
    slow.open();
    assert_eq!(block_on(first), Ok("user 2".to_owned()));
    assert_eq!(page.get(&user), Loadable::Ready("user 2".to_owned()), "the stale result never got in");
}

#[test]
fn derived_atoms_subscribers_and_watches_see_each_state() {
    let (fetches, gates) = counters();
    let user = user_atom(&fetches, &gates);
    let greeting = {
        let user = user.clone();
        Computed::<String, Page>::new(move |s| match s.get(&user) {
            Loadable::Ready(name) => format!("hello, {name}"),
            Loadable::Loading { .. } => "loading…".to_owned(),
            Loadable::Failed { error, .. } => format!("error: {error}"),
        })
    };
    let page = Page::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let _sub = {
        let seen = seen.clone();
        page.subscribe(&user, move |v: &Loadable<String>| seen.lock().expect("not poisoned").push(v.clone()))
    };
    let mut watch = page.watch(&greeting);
    assert_eq!(block_on(watch.changed()).as_deref(), Some("loading…"));
    block_on(page.load(&user)).expect("loads");
    assert_eq!(block_on(watch.changed()).as_deref(), Some("hello, user 1"));
    page.set(&USER_ID, 0);
    assert_eq!(block_on(watch.changed()).as_deref(), Some("loading…"));
    block_on(page.settled());
    assert_eq!(block_on(watch.changed()).as_deref(), Some("error: no user 0"));
    let seen = seen.lock().expect("not poisoned");
    assert!(matches!(seen[0], Loadable::Ready(_)), "{seen:?}");
    assert!(matches!(seen[1], Loadable::Loading { .. }), "{seen:?}");
    assert!(matches!(seen[2], Loadable::Failed { .. }), "{seen:?}");
}

#[test]
fn settled_drives_every_load_of_the_instance_and_only_those_in_use() {
    let (fetches, gates) = counters();
    let user = user_atom(&fetches, &gates);
    let other_fetches = Arc::new(AtomicUsize::new(0));
    let untouched = user_atom(&other_fetches, &gates);
    let friend = {
        let fetches = fetches.clone();
        AsyncComputed::<u32, Page>::new(move |s| {
            let id = s.get(&USER_ID);
            let fetches = fetches.clone();
            async move {
                fetches.fetch_add(1, Ordering::SeqCst);
                Ok::<_, NotFound>(id + 100)
            }
        })
    };
    let page = Page::new();
    assert!(page.get(&user).is_loading() && page.get(&friend).is_loading());
    block_on(page.settled());
    assert_eq!(page.get(&user), Loadable::Ready("user 1".to_owned()));
    assert_eq!(page.get(&friend), Loadable::Ready(101));
    assert_eq!(fetches.load(Ordering::SeqCst), 2, "one fetch each");
    assert_eq!(other_fetches.load(Ordering::SeqCst), 0, "an async atom nobody read here is not loaded");
    let _ = untouched;
    block_on(page.settled());
    assert_eq!(fetches.load(Ordering::SeqCst), 2, "nothing left to load");
}

#[test]
fn stores_load_independently() {
    let (fetches, gates) = counters();
    let user = user_atom(&fetches, &gates);
    let (a, b) = (Page::new(), Page::new());
    b.set(&USER_ID, 2);
    // A page reads what it shows (starting those loads), then settles.
    assert!(a.get(&user).is_loading() && b.get(&user).is_loading());
    block_on(a.settled());
    assert_eq!(a.get(&user), Loadable::Ready("user 1".to_owned()));
    let before = b.get(&user);
    assert!(before.is_loading(), "settling one store loads nothing in another: {before:?}");
    block_on(b.settled());
    assert_eq!(b.get(&user), Loadable::Ready("user 2".to_owned()));
}

#[test]
fn a_panicking_load_is_a_failed_state_and_the_store_stays_usable() {
    let boom = Arc::new(AtomicBool::new(true));
    let user = {
        let boom = boom.clone();
        AsyncComputed::<String, Page>::new(move |s| {
            let id = s.get(&USER_ID);
            let boom = boom.load(Ordering::SeqCst);
            async move {
                assert!(!boom, "fetch of user {id} exploded");
                Ok::<_, NotFound>(format!("user {id}"))
            }
        })
    };
    let page = Page::new();
    let err = block_on(page.load(&user)).expect_err("the future panicked");
    assert!(err.is_panic() && err.to_string().contains("exploded"), "{err}");
    assert!(page.get(&user).error().is_some());
    boom.store(false, Ordering::SeqCst);
    page.set(&USER_ID, 2);
    assert_eq!(block_on(page.load(&user)), Ok("user 2".to_owned()));
    page.set(&USER_ID, 3);
    assert_eq!(page.get(&USER_ID), 3, "the store kept working");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_tokio_two_users_load_concurrently() {
    let (fetches, gates) = counters();
    let user = user_atom(&fetches, &gates);
    let (alice, bob) = (Page::new(), Page::new());
    bob.set(&USER_ID, 2);
    let (a, b) = tokio::join!(alice.load(&user), bob.load(&user));
    assert_eq!((a.as_deref(), b.as_deref()), (Ok("user 1"), Ok("user 2")));
    let task = {
        let (alice, user) = (alice.clone(), user.clone());
        tokio::spawn(async move {
            alice.set(&USER_ID, 7);
            alice.load(&user).await
        })
    };
    assert_eq!(task.await.expect("task").as_deref(), Ok("user 7"), "loads are Send: they run on any worker");
}

mod declared {
    use super::{block_on, Loadable, NotFound, Page, USER_ID};

    nexus::atom! {
        #![store(Page)]
        /// The user's display name, fetched.
        pub static PROFILE: String = async_computed(|s| {
            let id = s.get(&USER_ID);
            async move { if id == 0 { Err(NotFound(id)) } else { Ok(format!("profile {id}")) } }
        });
        pub static SHOUTED: String = computed(|s| match s.get(&PROFILE) {
            Loadable::Ready(p) => p.to_uppercase(),
            other => format!("{:?}", other.is_loading()),
        });
    }

    #[test]
    fn a_declared_async_atom_loads_per_store_and_is_listed_under_its_name() {
        let page = Page::new();
        assert_eq!(page.get(&SHOUTED), "true");
        assert_eq!(block_on(page.load(&PROFILE)), Ok("profile 1".to_owned()));
        assert_eq!(page.get(&SHOUTED), "PROFILE 1");
        let info = page.find("PROFILE").expect("the async atom is listed under its declared name");
        assert_eq!(info.path(), "async_atoms::declared::PROFILE");
        let other = Page::new();
        other.set(&USER_ID, 5);
        assert!(other.get(&PROFILE).is_loading(), "reading it starts its load here");
        block_on(other.settled());
        assert_eq!(other.get(&PROFILE), Loadable::Ready("profile 5".to_owned()));
        assert_eq!(page.get(&PROFILE), Loadable::Ready("profile 1".to_owned()), "stores stay isolated");
    }

    #[test]
    fn devtools_show_an_async_atom_loading_ready_and_failed() {
        let page = Page::new();
        let tools = nexus::DevTools::attach(&page);
        let shown = || {
            let atoms = tools.atoms();
            atoms.iter().find(|a| a.name() == "PROFILE").expect("listed").value().to_owned()
        };
        let _ = page.get(&PROFILE);
        assert_eq!(shown(), "Loading { previous: None }");
        block_on(page.load(&PROFILE)).expect("loads");
        assert_eq!(shown(), "Ready(\"profile 1\")");
        page.set(&USER_ID, 0);
        let _ = block_on(page.load(&PROFILE));
        assert!(shown().starts_with("Failed { error: LoadError::Failed(NotFound(0))"), "{}", shown());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_tokio_a_first_read_starts_the_load_and_ready_follows_without_awaiting_it() {
    let (fetches, gates) = counters();
    // Gated, so that the loads cannot finish (on the runtime's other thread) before they are seen loading.
    let (first, second) = (Gate::default(), Gate::default());
    gates.lock().expect("not poisoned").extend([(1, first.clone()), (2, second.clone())]);
    let user = user_atom(&fetches, &gates);
    let page = Page::new();
    let mut states = page.watch(&user);
    assert!(page.get(&user).is_loading());
    first.open();
    // Neither `load` nor `settled`: the read, on a runtime thread, spawned the load (feature `tokio`).
    let ready = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        loop {
            match states.changed().await {
                Some(Loadable::Ready(name)) => break name,
                Some(_) => {}
                None => panic!("the store is alive"),
            }
        }
    })
    .await
    .expect("Ready arrives by itself");
    assert_eq!(ready, "user 1");
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    // A change on the runtime starts the next load by itself too; awaiting it joins that one.
    page.set(&USER_ID, 2);
    assert!(page.get(&user).is_loading());
    second.open();
    assert_eq!(page.load(&user).await.as_deref(), Ok("user 2"));
    assert_eq!(fetches.load(Ordering::SeqCst), 2, "one fetch per change");
}

mod ssr {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{block_on, Loadable, NotFound, Page, USER_ID};

    static BIO_FETCHES: AtomicUsize = AtomicUsize::new(0);

    nexus::atom! {
        #![store(Page)]
        pub static BIO: String = async_computed(|s| {
            let id = s.get(&USER_ID);
            async move {
                BIO_FETCHES.fetch_add(1, Ordering::SeqCst);
                Ok::<_, NotFound>(format!("bio {id}"))
            }
        });
    }

    #[test]
    fn settle_snapshot_hydrate_and_the_client_does_not_load_again() {
        let server = Page::new();
        server.set(&USER_ID, 4);
        assert!(server.get(&BIO).is_loading(), "rendering reads it: its load starts");
        block_on(server.settled());
        assert_eq!(BIO_FETCHES.load(Ordering::SeqCst), 1);
        let snap = server.snapshot();
        assert_eq!(
            snap.get("async_atoms::ssr::BIO"),
            Some(&serde_json::json!("bio 4")),
            "Ready values go along"
        );

        let text = serde_json::to_string(&snap).expect("serialises");
        let back: nexus::Snapshot = serde_json::from_str(&text).expect("reads back");
        let client = Page::new();
        client.hydrate(&back).expect("hydrates");
        assert_eq!(client.get(&BIO), Loadable::Ready("bio 4".to_owned()));
        assert_eq!(block_on(client.load(&BIO)), Ok("bio 4".to_owned()));
        block_on(client.settled());
        assert_eq!(BIO_FETCHES.load(Ordering::SeqCst), 1, "the client did not load again");

        client.set(&USER_ID, 5);
        assert!(client.get(&BIO).is_loading(), "a change loads as usual");
        assert_eq!(block_on(client.load(&BIO)), Ok("bio 5".to_owned()));
        assert_eq!(BIO_FETCHES.load(Ordering::SeqCst), 2);
        assert_eq!(server.get(&BIO), Loadable::Ready("bio 4".to_owned()), "the server's store is its own");
    }

    #[test]
    fn an_async_value_that_does_not_decode_is_a_problem_and_nothing_changes() {
        let mut snap = Page::new().snapshot();
        snap.insert("async_atoms::ssr::BIO", serde_json::json!(12));
        let client = Page::new();
        let err = client.hydrate(&snap).expect_err("12 is not a String");
        assert!(err.to_string().contains("async_atoms::ssr::BIO"), "{err}");
        assert!(client.get(&BIO).is_loading(), "nothing was set");
    }
}

mod family {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{block_on, Loadable, NotFound, Page, USER_ID};

    static CARD_FETCHES: AtomicUsize = AtomicUsize::new(0);

    nexus::atom! {
        #![store(Page)]
        #[capacity = 2]
        pub static CARD: String = family_async(|id: &u32, s| {
            let viewer = s.get(&USER_ID);
            let id = *id;
            async move {
                CARD_FETCHES.fetch_add(1, Ordering::SeqCst);
                Ok::<_, NotFound>(format!("card {id} for {viewer}"))
            }
        });
    }

    #[test]
    fn one_async_atom_per_key_with_eviction_that_drops_its_load() {
        let page = Page::new();
        for id in 1..=3 {
            assert!(page.get(&CARD.at(id)).is_loading());
        }
        assert_eq!(CARD.len(), 2, "capacity 2: the least recently used key was let go");
        assert!(!CARD.contains(&1));
        block_on(page.settled());
        assert_eq!(CARD_FETCHES.load(Ordering::SeqCst), 2, "the evicted key's load went with it");
        assert_eq!(page.get(&CARD.at(3)), Loadable::Ready("card 3 for 1".to_owned()));
        assert_eq!(CARD.at(2), CARD.at(2), "the same atom for the same key");
        page.set(&USER_ID, 9);
        assert_eq!(block_on(page.load(&CARD.at(3))), Ok("card 3 for 9".to_owned()));
        assert!(page.find("CARD[3]").is_some(), "family members are named NAME[key]");
    }
}

/// Issue 26 §1: an async atom's future may fail with any `E: Into<Box<dyn Error + Send + Sync>>` —
/// concrete errors, boxed errors (what `?` gives), `String`, `&str`, and types like `anyhow::Error` that
/// convert into a boxed error without being one — declared, in a family, or made at run time. The
/// `LoadError` shows the error's own message and keeps a concrete error reachable.
mod error_types {
    use std::error::Error;
    use std::fmt;

    use super::{block_on, AsyncComputed, Loadable, NotFound, Page, USER_ID};

    /// What `?` gives in most applications.
    type BoxError = Box<dyn Error + Send + Sync>;

    /// An application error made from any error by `?` that is not itself a `std::error::Error` and
    /// converts into a boxed error by giving back the error it wraps (unlike `anyhow::Error`, which boxes
    /// a wrapper: the real anyhow is tested in `anyhow_errors`).
    #[derive(Debug)]
    struct AppError(BoxError);

    impl<E: Error + Send + Sync + 'static> From<E> for AppError {
        fn from(error: E) -> Self {
            AppError(Box::new(error))
        }
    }

    impl From<AppError> for BoxError {
        fn from(error: AppError) -> Self {
            error.0
        }
    }

    /// An error with a cause, to see how a report walks the chain.
    #[derive(Debug)]
    struct Lookup(NotFound);

    impl fmt::Display for Lookup {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("lookup failed")
        }
    }

    impl Error for Lookup {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    fn parse(text: &str) -> Result<u32, BoxError> {
        Ok(text.parse::<u32>()?)
    }

    nexus::atom! {
        #![store(Page)]
        static BOXED: u32 = async_computed(|s| {
            let id = s.get(&USER_ID);
            async move {
                let n = parse(if id == 0 { "zero" } else { "7" })?;
                Ok::<_, BoxError>(n + id)
            }
        });
        static TEXT: u32 = async_computed(|s| {
            let id = s.get(&USER_ID);
            async move { Err::<u32, _>(format!("no user {id}")) }
        });
        static STR: u32 = async_computed(|_s| async { Err::<u32, _>("offline") });
        static APP: u32 = async_computed(|s| {
            let id = s.get(&USER_ID);
            async move {
                let found: Result<u32, NotFound> = Err(NotFound(id));
                Ok::<_, AppError>(found?)
            }
        });
        static CHAINED: u32 = async_computed(|_s| async { Err::<u32, _>(Lookup(NotFound(9))) });
        static TEXT_BY_KEY: u32 = family_async(|id: &u32, _s| {
            let id = *id;
            async move { if id > 0 { Ok(id) } else { Err(format!("no item {id}")) } }
        });
        static APP_BY_KEY: u32 = family_async(|id: &u32, _s| {
            let id = *id;
            async move { Err::<u32, _>(AppError::from(NotFound(id))) }
        });
    }

    fn failure<T: std::fmt::Debug>(loaded: Result<T, nexus::LoadError>) -> nexus::LoadError {
        loaded.expect_err("the load fails")
    }

    #[test]
    fn boxed_errors_from_question_mark_are_accepted_and_keep_their_concrete_type() {
        let page = Page::new();
        assert_eq!(block_on(page.load(&BOXED)), Ok(8));
        page.set(&USER_ID, 0);
        let error = failure(block_on(page.load(&BOXED)));
        let parse_error = "zero".parse::<u32>().expect_err("not a number");
        assert_eq!(error.to_string(), parse_error.to_string(), "the error's own message, no prefix");
        assert_eq!(error.downcast_ref::<std::num::ParseIntError>(), Some(&parse_error));
        assert!(!error.is_panic());
    }

    #[test]
    fn string_and_str_errors_are_their_message() {
        let page = Page::new();
        page.set(&USER_ID, 3);
        let error = failure(block_on(page.load(&TEXT)));
        assert_eq!(error.to_string(), "no user 3");
        assert_eq!(error.get_ref().map(ToString::to_string).as_deref(), Some("no user 3"));
        let error = failure(block_on(page.load(&STR)));
        assert_eq!(error.to_string(), "offline");
        match page.get(&STR) {
            Loadable::Failed { error, previous: None } => assert_eq!(error.to_string(), "offline"),
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn an_error_type_that_only_converts_into_a_boxed_error_is_accepted_and_seen_as_what_it_wraps() {
        let page = Page::new();
        page.set(&USER_ID, 4);
        let error = failure(block_on(page.load(&APP)));
        assert_eq!(error.to_string(), "no user 4");
        assert_eq!(error.downcast_ref::<NotFound>(), Some(&NotFound(4)));
    }

    #[test]
    fn async_families_accept_the_same_error_types() {
        let page = Page::new();
        assert_eq!(block_on(page.load(&TEXT_BY_KEY.at(2))), Ok(2));
        assert_eq!(failure(block_on(page.load(&TEXT_BY_KEY.at(0)))).to_string(), "no item 0");
        let error = failure(block_on(page.load(&APP_BY_KEY.at(6))));
        assert_eq!(error.downcast_ref::<NotFound>(), Some(&NotFound(6)));
    }

    #[test]
    fn run_time_async_atoms_accept_the_same_error_types() {
        let page = Page::new();
        let text = AsyncComputed::<u32, Page>::new(|_| async { Err::<u32, _>("down".to_owned()) });
        assert_eq!(failure(block_on(page.load(&text))).to_string(), "down");
        let str_error = AsyncComputed::<u32, Page>::new(|_| async { Err::<u32, _>("down too") });
        assert_eq!(failure(block_on(page.load(&str_error))).to_string(), "down too");
        let boxed = AsyncComputed::<u32, Page>::new(|_| async {
            let n = parse("x")?;
            Ok::<_, BoxError>(n + 1)
        });
        let error = failure(block_on(page.load(&boxed)));
        assert!(error.downcast_ref::<std::num::ParseIntError>().is_some(), "{error:?}");
        let app = AsyncComputed::<u32, Page>::new(|s| {
            let id = s.get(&USER_ID);
            async move { Err::<u32, _>(AppError::from(NotFound(id))) }
        });
        assert_eq!(failure(block_on(page.load(&app))).downcast_ref::<NotFound>(), Some(&NotFound(1)));
    }

    #[test]
    fn a_report_of_the_error_chain_shows_each_message_once() {
        let page = Page::new();
        let error = failure(block_on(page.load(&CHAINED)));
        let mut chain = vec![error.to_string()];
        let mut source = error.source();
        while let Some(cause) = source {
            chain.push(cause.to_string());
            source = cause.source();
        }
        assert_eq!(chain, ["lookup failed", "no user 9"]);
        assert!(error.downcast_ref::<Lookup>().is_some(), "the returned error itself is reachable");
    }
}

/// Issue 26 §1 with the real `anyhow` crate, as the README and the compile error promise: an
/// `anyhow::Result<T>` future loads, and a failure's `LoadError` shows anyhow's message. What
/// `downcast_ref` sees is anyhow's choice: its `Into<Box<dyn Error + Send + Sync>>` boxes a private
/// wrapper type, so no type downcasts, not even the error the `anyhow::Error` was made from; anyhow's
/// `reallocate_into_boxed_dyn_error_without_backtrace` boxes the error itself, which then does.
mod anyhow_errors {
    use std::error::Error as _;

    use anyhow::Context as _;

    use super::{block_on, Loadable, NotFound, Page, USER_ID};

    fn fetch(id: u32) -> anyhow::Result<u32> {
        if id == 0 {
            anyhow::bail!("no user {id}");
        }
        let found: Result<u32, NotFound> = if id > 100 { Err(NotFound(id)) } else { Ok(id * 2) };
        Ok(found?)
    }

    nexus::atom! {
        #![store(Page)]
        static DOUBLED: u32 = async_computed(|s| {
            let id = s.get(&USER_ID);
            async move { fetch(id) }
        });
        static PROFILE: u32 = async_computed(|s| {
            let id = s.get(&USER_ID);
            async move { Err::<u32, _>(NotFound(id)).context("loading the profile") }
        });
        static REALLOCATED: u32 = async_computed(|s| {
            let id = s.get(&USER_ID);
            async move {
                fetch(id + 100).map_err(anyhow::Error::reallocate_into_boxed_dyn_error_without_backtrace)
            }
        });
    }

    fn failure<T: std::fmt::Debug>(loaded: Result<T, nexus::LoadError>) -> nexus::LoadError {
        loaded.expect_err("the load fails")
    }

    #[test]
    fn an_anyhow_result_loads_and_fails_with_anyhows_message() {
        let page = Page::new();
        assert_eq!(block_on(page.load(&DOUBLED)), Ok(2));
        assert_eq!(page.get(&DOUBLED), Loadable::Ready(2));

        page.set(&USER_ID, 0);
        let error = failure(block_on(page.load(&DOUBLED)));
        assert_eq!(error.to_string(), "no user 0", "anyhow's message, no prefix of ours");
        assert!(!error.is_panic());
        match page.get(&DOUBLED) {
            Loadable::Failed { error, previous } => {
                assert_eq!((error.to_string(), previous), ("no user 0".to_owned(), Some(2)));
            }
            other => panic!("expected a failure, got {other:?}"),
        }

        // Made by `?` from a `NotFound`: the message and `get_ref` are the error's, but it does not
        // downcast (anyhow boxed its wrapper, not the `NotFound`).
        page.set(&USER_ID, 105);
        let error = failure(block_on(page.load(&DOUBLED)));
        assert_eq!(error.to_string(), "no user 105");
        assert_eq!(error.get_ref().map(ToString::to_string).as_deref(), Some("no user 105"));
        assert_eq!(error.downcast_ref::<NotFound>(), None);
    }

    #[test]
    fn an_anyhow_context_is_the_message_and_the_error_under_it_the_source() {
        let page = Page::new();
        page.set(&USER_ID, 7);
        let error = failure(block_on(page.load(&PROFILE)));
        assert_eq!(error.to_string(), "loading the profile");
        assert_eq!(error.source().map(ToString::to_string).as_deref(), Some("no user 7"));
        assert!(error.source().and_then(|cause| cause.source()).is_none(), "each message once");
        assert_eq!(error.downcast_ref::<NotFound>(), None);
    }

    #[test]
    fn an_anyhow_error_reallocated_into_a_box_downcasts_to_the_error_it_was_made_from() {
        let page = Page::new();
        page.set(&USER_ID, 3);
        let error = failure(block_on(page.load(&REALLOCATED)));
        assert_eq!(error.to_string(), "no user 103");
        assert_eq!(error.downcast_ref::<NotFound>(), Some(&NotFound(103)));
    }
}

/// Issue 26 §4: `settled` before any read has nothing to wait for; `load_all` starts named loads.
mod load_all {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{block_on, AsyncComputed, Loadable, NotFound, Page, USER_ID};

    static NAME_FETCHES: AtomicUsize = AtomicUsize::new(0);
    static POST_FETCHES: AtomicUsize = AtomicUsize::new(0);

    nexus::atom! {
        #![store(Page)]
        static NAME: String = async_computed(|s| {
            let id = s.get(&USER_ID);
            async move {
                NAME_FETCHES.fetch_add(1, Ordering::SeqCst);
                if id == 0 { Err(NotFound(id)) } else { Ok(format!("user {id}")) }
            }
        });
        static POSTS: u32 = async_computed(|_s| async {
            POST_FETCHES.fetch_add(1, Ordering::SeqCst);
            Ok::<_, String>(3)
        });
        static VISITOR: String = async_computed(|_s| async { Ok::<_, String>("ada".to_owned()) });
        /// Reads `VISITOR`'s state: when `VISITOR` loads, it loads again.
        static GREETING: String = async_computed(|s| {
            let name = s.get(&VISITOR);
            async move {
                Ok::<_, String>(match name {
                    Loadable::Ready(name) => format!("hello, {name}"),
                    _ => "hello, stranger".to_owned(),
                })
            }
        });
        static PAGE: u32 = family_async(|n: &u32, _s| {
            let n = *n;
            async move { Ok::<_, String>(n * 10) }
        });
    }

    nexus::atom! {
        /// A `Global` async atom: every store may load it.
        static MOTD: String = async_computed(|_s| async { Ok::<_, String>("welcome".to_owned()) });
    }

    #[test]
    fn settled_before_any_read_has_nothing_to_wait_for_and_load_all_loads_the_named_atoms() {
        let page = Page::new();
        block_on(page.settled());
        assert_eq!(NAME_FETCHES.load(Ordering::SeqCst), 0, "nothing was read: settled started nothing");
        let runtime = AsyncComputed::<u32, Page>::new(|s| {
            let id = s.get(&USER_ID);
            async move { Ok::<_, String>(id + 100) }
        });
        block_on(page.load_all(&[&NAME, &POSTS, &runtime, &PAGE.at(2), &MOTD]));
        assert_eq!(page.get(&NAME), Loadable::Ready("user 1".to_owned()));
        assert_eq!(page.get(&POSTS), Loadable::Ready(3));
        assert_eq!(page.get(&runtime), Loadable::Ready(101));
        assert_eq!(page.get(&PAGE.at(2)), Loadable::Ready(20));
        assert_eq!(page.get(&MOTD), Loadable::Ready("welcome".to_owned()));
        assert_eq!((NAME_FETCHES.load(Ordering::SeqCst), POST_FETCHES.load(Ordering::SeqCst)), (1, 1));
        // Loaded already: nothing is fetched again.
        block_on(page.load_all(&[&NAME, &POSTS]));
        assert_eq!((NAME_FETCHES.load(Ordering::SeqCst), POST_FETCHES.load(Ordering::SeqCst)), (1, 1));
        // A failure settles too, as `Failed`.
        page.set(&USER_ID, 0);
        block_on(page.load_all(&[&NAME]));
        assert!(page.get(&NAME).error().is_some(), "{:?}", page.get(&NAME));
        // An empty list resolves at once.
        block_on(page.load_all(&[]));
    }

    #[test]
    fn a_load_restarted_by_another_ones_result_is_awaited_too() {
        let page = Page::new();
        // `GREETING`'s first load sees `VISITOR` loading; `VISITOR`'s result starts its second.
        block_on(page.load_all(&[&GREETING, &VISITOR]));
        assert_eq!(page.get(&GREETING), Loadable::Ready("hello, ada".to_owned()));
    }
}

/// With tokio, `load_all` starts the loads when it is called: they finish without being awaited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_tokio_load_all_starts_the_loads_when_called() {
    let (fetches, gates) = counters();
    let user = user_atom(&fetches, &gates);
    let page = Page::new();
    // Not awaited, and nothing else reads the atom: the call itself started the load.
    drop(page.load_all(&[&user]));
    tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while fetches.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
    })
    .await
    .expect("the load ran by itself");
    page.settled().await;
    assert_eq!(page.get(&user), Loadable::Ready("user 1".to_owned()));
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}
