//! Server-side rendering on axum with one isolated nexus store per request (the app is
//! `examples/src/axum_app.rs`).
//!
//! `cargo run --example axum_ssr` serves on <http://127.0.0.1:3000/?user=ada&add=book> until Ctrl-C
//! (`--port N` for another port). `cargo run --example axum_ssr -- --demo` serves on a free port, sends
//! requests as three users at once, prints their pages and stops.
//!
//! Several replicas of the server share the pages' banner (the `Global` atom `BANNER`) through Redis
//! with `--redis URL` (or `REDIS_URL`): `nexus::redis::Mirror` keeps it equal in every process, and
//! `--banner TEXT` sets it for all of them.

use std::net::SocketAddr;

use nexus_examples::axum_app::{self, Client, Sessions, PROFILE_FETCHES};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let demo = args.iter().any(|a| a == "--demo");
    let port = match args.iter().position(|a| a == "--port") {
        Some(i) => args.get(i + 1).and_then(|p| p.parse().ok()).expect("--port takes a port number"),
        None if demo => 0,
        None => 3000,
    };
    let value_of = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    // The `Global` atoms from Redis, shared with the other replicas, if asked to.
    let mirror = match value_of("--redis").or_else(|| std::env::var("REDIS_URL").ok()) {
        Some(url) => {
            let mirror = nexus::redis::Mirror::connect(&url, axum_app::mirrored())
                .await
                .map_err(std::io::Error::other)?;
            println!("the banner is shared through Redis at {url}");
            Some(mirror)
        }
        None => None,
    };
    if let Some(text) = value_of("--banner") {
        match &mirror {
            Some(mirror) => {
                mirror.set(&axum_app::BANNER, text).await.map_err(std::io::Error::other)?;
            }
            None => axum_app::Site::new().set(&axum_app::BANNER, text),
        }
    }
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    let addr = listener.local_addr()?;
    let sessions = Sessions::default();
    if !demo {
        println!("serving on http://{addr}/?user=ada&add=book (Ctrl-C stops)");
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        return axum_app::serve(listener, sessions, stop).await;
    }

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(axum_app::serve(listener, sessions.clone(), async {
        let _ = stopped.await;
    }));
    println!("serving on http://{addr}/");
    let client = Client::new(addr);
    let users: [&'static str; 3] = ["ada", "grace", "linus"];
    // Each user adds three items; the three users' requests run concurrently.
    let tasks: Vec<_> = users
        .iter()
        .map(|&user| {
            let client = client.clone();
            tokio::spawn(async move {
                for item in ["book", "lamp", "pen"] {
                    let (status, _) =
                        client.get(&format!("/?add={user}-{item}"), user).await.expect("request");
                    assert!(status.is_success(), "{status}");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("client task");
    }
    for user in users {
        let (_, page) = client.get("/", user).await.expect("request");
        if page.contains("class=\"banner\"") {
            println!("banner: {}", between(&page, "<p class=\"banner\">", "</p>"));
        }
        let headline = between(&page, "<h1>", "</h1>");
        let profile = between(&page, "<p class=\"profile\">", "</p>");
        let items = between(&page, "<ul>", "</ul>").replace("</li><li>", ", ");
        println!(
            "{headline}\n  profile: {profile}\n  cart: {}",
            items.trim_start_matches("<li>").trim_end_matches("</li>")
        );
        let snapshot = between(&page, "type=\"application/json\">", "</script>");
        println!("  embedded snapshot: {} bytes of JSON", snapshot.len());
    }
    println!(
        "{} users with a session; profiles fetched {} times (once per user: later requests hydrate it)",
        sessions.len(),
        PROFILE_FETCHES.load(std::sync::atomic::Ordering::Relaxed)
    );
    let _ = stop.send(());
    server.await.expect("server task")
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).map_or(0, |i| i + start.len());
    let to = text[from..].find(end).map_or(text.len(), |i| from + i);
    &text[from..to]
}
