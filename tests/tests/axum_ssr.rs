//! The axum SSR app of `examples/src/axum_app.rs` under load (issue 16 item 1): the real server on a free
//! loopback port, 1,000 concurrent requests from 50 users with a real HTTP client (hyper's). Every page
//! shows only its own user's data, nothing is lost (final counts exact), each profile is fetched once,
//! and the process's live heap after the run is within 1 MiB of before (counting allocator).

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use nexus_examples::axum_app::{self, Client, Sessions, PROFILE_FETCHES};

#[global_allocator]
static ALLOCATOR: nexus_tests::Counting = nexus_tests::Counting;

const USERS: usize = 50;
const REQUESTS_EACH: usize = 20;

fn user(u: usize) -> String {
    format!("user-{u:02}")
}

/// What a page says between `start` and `end`.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page.find(start).map_or_else(|| panic!("no {start} in {page}"), |i| i + start.len());
    let to = page[from..].find(end).map_or_else(|| panic!("no {end} in {page}"), |i| from + i);
    &page[from..to]
}

/// The cart items a page lists.
fn items(page: &str) -> Vec<String> {
    let list = between(page, "<ul>", "</ul>");
    list.split("</li>").filter_map(|li| li.strip_prefix("<li>")).map(str::to_owned).collect()
}

/// Checks that `page` is `u`'s and mentions no other user.
fn assert_own_page(page: &str, u: usize) {
    let me = user(u);
    assert!(between(page, "<h1>", "</h1>").starts_with(&format!("{me}:")), "{page}");
    assert_eq!(between(page, "<p class=\"profile\">", "</p>"), format!("{me}, member since 2024"));
    for item in items(page) {
        assert!(item.starts_with(&format!("{me}/")), "{me}'s page lists {item}");
    }
    let snapshot = between(page, "type=\"application/json\">", "</script>");
    let other =
        (0..USERS).filter(|&o| o != u).find(|&o| page.contains(&user(o)) || snapshot.contains(&user(o)));
    assert_eq!(other, None, "{me}'s page mentions another user: {page}");
}

#[test]
fn a_thousand_concurrent_requests_from_fifty_users_each_see_only_their_own_data() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let sessions = Sessions::default();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(axum_app::serve(listener, sessions.clone(), async {
            let _ = stopped.await;
        }));

        // Warm-up: one request per user makes every session (and loads each profile once).
        let warm = Client::new(addr);
        for u in 0..USERS {
            let (status, page) = warm.get("/", &user(u)).await.expect("warm-up request");
            assert!(status.is_success(), "{status}: {page}");
            assert_own_page(&page, u);
        }
        drop(warm);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let before = nexus_tests::live_bytes();
        let fetched = PROFILE_FETCHES.load(Ordering::SeqCst);

        // 1,000 requests at once: each user's 20 add an item each.
        let client = Client::new(addr);
        let started = Instant::now();
        let tasks: Vec<_> = (0..USERS * REQUESTS_EACH)
            .map(|i| {
                let (u, k) = (i % USERS, i / USERS);
                let client = client.clone();
                tokio::spawn(async move {
                    let (status, page) =
                        client.get(&format!("/?add={}/{k}", user(u)), &user(u)).await.expect("request");
                    assert!(status.is_success(), "{status}: {page}");
                    assert_own_page(&page, u);
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("no request failed");
        }
        let elapsed = started.elapsed();

        // Nothing lost: every user saw 1 + 20 + 1 pages and has exactly their 20 items.
        for u in 0..USERS {
            let (_, page) = client.get("/", &user(u)).await.expect("final request");
            assert_own_page(&page, u);
            let headline = between(&page, "<h1>", "</h1>").to_owned();
            assert!(headline.ends_with(&format!("{REQUESTS_EACH} items in the cart, visit 22")), "{headline}");
            let got: BTreeSet<String> = items(&page).into_iter().collect();
            let want: BTreeSet<String> = (0..REQUESTS_EACH).map(|k| format!("{}/{k}", user(u))).collect();
            assert_eq!(got, want);
        }
        assert_eq!(PROFILE_FETCHES.load(Ordering::SeqCst), fetched, "profiles come from the sessions");
        assert_eq!(sessions.len(), USERS);

        // The client's connections (up to one per request in flight) close in the background once it is
        // dropped; their buffers (~40 KiB each) are freed then. Wait for that, up to 10 s.
        drop(client);
        let mut after = nexus_tests::live_bytes();
        for _ in 0..100 {
            if (after - before).abs() <= 1 << 20 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            after = nexus_tests::live_bytes();
        }
        println!(
            "{} requests from {USERS} users in {elapsed:.2?} ({:.0} requests/s); live heap before {before} B, \
             after {after} B, difference {} B",
            USERS * REQUESTS_EACH,
            f64::from(u32::try_from(USERS * REQUESTS_EACH).expect("small")) / elapsed.as_secs_f64(),
            after - before
        );
        assert!((after - before).abs() <= 1 << 20, "the heap grew by {} bytes", after - before);

        let _ = stop.send(());
        server.await.expect("server task").expect("server ran");
    });
}
