//! A profile page that loads two users at once: async atoms (`async_computed`), one store per page, and
//! `settled()` before rendering, as a server would do it.
//!
//! Run with `cargo run --example async_profile`.

use std::time::{Duration, Instant};

use nexus::Loadable;

nexus::store! {
    /// One page view.
    pub struct Page;
}

/// A user as the (simulated) user service returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub name: String,
    pub role: String,
}

/// The user service's error.
#[derive(Debug)]
pub struct NoSuchUser(pub u32);

impl std::fmt::Display for NoSuchUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no user {}", self.0)
    }
}

impl std::error::Error for NoSuchUser {}

/// The user service: 200 ms per request, whatever the user.
async fn fetch_user(id: u32) -> Result<User, NoSuchUser> {
    tokio::time::sleep(Duration::from_millis(200)).await;
    match id {
        1 => Ok(User { name: "Ada Lovelace".into(), role: "analyst".into() }),
        2 => Ok(User { name: "Alan Turing".into(), role: "cryptanalyst".into() }),
        other => Err(NoSuchUser(other)),
    }
}

nexus::atom! {
    #![store(Page)]
    /// Whose profile the page shows.
    pub static VIEWER_ID: u32 = 1;
    /// Who the viewer is talking to.
    pub static PEER_ID: u32 = 2;
    /// The viewer, loaded.
    pub static VIEWER: User = async_computed(|s| {
        let id = s.get(&VIEWER_ID);
        async move { fetch_user(id).await }
    });
    /// The peer, loaded.
    pub static PEER: User = async_computed(|s| {
        let id = s.get(&PEER_ID);
        async move { fetch_user(id).await }
    });
    /// The page's heading, derived from both (sees `Loadable`s).
    pub static HEADING: String = computed(|s| match (s.get(&VIEWER), s.get(&PEER)) {
        (Loadable::Ready(a), Loadable::Ready(b)) => format!("{} ↔ {}", a.name, b.name),
        (Loadable::Failed { error, .. }, _) | (_, Loadable::Failed { error, .. }) => format!("error: {error}"),
        _ => "loading…".to_owned(),
    });
}

fn card(user: &Loadable<User>) -> String {
    match user {
        Loadable::Ready(u) => format!("<li>{} — {}</li>", u.name, u.role),
        Loadable::Loading { .. } => "<li>…</li>".to_owned(),
        Loadable::Failed { error, .. } => format!("<li class=error>{error}</li>"),
    }
}

async fn render(viewer: u32, peer: u32) -> String {
    let page = Page::new();
    page.set(&VIEWER_ID, viewer);
    page.set(&PEER_ID, peer);
    println!("  before settling: heading = {:?}", page.get(&HEADING));
    let started = Instant::now();
    page.settled().await;
    println!("  settled in {:.2} s (two 200 ms fetches, run concurrently)", started.elapsed().as_secs_f64());
    format!(
        "<h1>{}</h1>\n<ul>\n  {}\n  {}\n</ul>",
        page.get(&HEADING),
        card(&page.get(&VIEWER)),
        card(&page.get(&PEER))
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    println!("== GET /profile?viewer=1&peer=2");
    println!("{}", render(1, 2).await);
    println!("== GET /profile?viewer=1&peer=9");
    println!("{}", render(1, 9).await);
}
