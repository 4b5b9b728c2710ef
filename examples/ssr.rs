//! Server-side rendering with one isolated store per request, over real HTTP on loopback.
//!
//! A small std-only HTTP server keeps each user's state as a `nexus::Snapshot` (feature `serde`); every
//! request gets a fresh `Request` store, hydrated from that snapshot, changed, rendered and snapshotted
//! back. Eight client threads send 200 requests at once, and each checks that its page shows only its
//! own user's data.
//!
//! Run with `cargo run --example ssr`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

use nexus::Snapshot;

nexus::store! {
    /// The state of one HTTP request.
    pub struct Request;
}

nexus::atom! {
    #![store(Request)]
    /// Who is asking.
    pub static USER: String = String::from("anonymous");
    /// What is in their cart.
    pub static CART: Vec<String> = Vec::new();
    /// How many pages they have seen.
    pub static VIEWS: u32 = 0;
    /// Derived: the page's headline.
    pub static HEADLINE: String = computed(|s| {
        format!("{}: {} items, page view {}", s.get(&USER), s.with(&CART, Vec::len), s.get(&VIEWS))
    });
}

type Sessions = Arc<Mutex<HashMap<String, Snapshot>>>;

/// Handles `GET /cart?user=NAME&add=ITEM`.
fn handle(stream: TcpStream, sessions: &Sessions) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Skip the headers.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let query =
        request_line.split_whitespace().nth(1).and_then(|path| path.split_once('?')).map_or("", |(_, q)| q);
    let params: HashMap<&str, &str> = query.split('&').filter_map(|kv| kv.split_once('=')).collect();
    let user = params.get("user").copied().unwrap_or("anonymous").to_owned();

    // One fresh, isolated store per request.
    let store = Request::new();
    let saved = sessions.lock().expect("sessions lock").get(&user).cloned();
    match saved {
        Some(snapshot) => store.hydrate(&snapshot).expect("snapshots we wrote are valid"),
        None => store.set(&USER, user.clone()),
    }
    if let Some(item) = params.get("add") {
        store.update(&CART, |cart| cart.push((*item).to_owned()));
    }
    store.update(&VIEWS, |v| *v += 1);
    let items = store.with(&CART, |cart| {
        cart.iter().fold(String::new(), |mut html, item| {
            html.push_str("<li>");
            html.push_str(item);
            html.push_str("</li>");
            html
        })
    });
    let body = format!("<h1>{}</h1><ul>{items}</ul>", store.get(&HEADLINE));
    sessions.lock().expect("sessions lock").insert(user, store.snapshot());

    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

fn get(port: u16, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response.split_once("\r\n\r\n").map_or(String::new(), |(_, body)| body.to_owned()))
}

fn main() -> std::io::Result<()> {
    const CLIENTS: usize = 8;
    const REQUESTS_EACH: usize = 25;

    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let sessions: Sessions = Arc::default();
    println!("serving on http://127.0.0.1:{port}/cart?user=NAME&add=ITEM");

    let server = {
        let sessions = sessions.clone();
        thread::spawn(move || {
            let mut workers = Vec::new();
            for stream in listener.incoming().take(CLIENTS * REQUESTS_EACH) {
                let sessions = sessions.clone();
                let stream = stream.expect("accepted connection");
                workers.push(thread::spawn(move || handle(stream, &sessions).expect("request handled")));
            }
            for w in workers {
                w.join().expect("worker finished");
            }
        })
    };

    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            thread::spawn(move || {
                let user = format!("user{c}");
                let mut last = String::new();
                for r in 0..REQUESTS_EACH {
                    last = get(port, &format!("/cart?user={user}&add={user}-item{r}")).expect("response");
                    let others_leak =
                        (0..CLIENTS).filter(|o| *o != c).any(|o| last.contains(&format!("user{o}")));
                    assert!(!others_leak, "request of {user} saw another user's data: {last}");
                    assert!(
                        last.contains(&format!("{user}: {} items, page view {}", r + 1, r + 1)),
                        "{last}"
                    );
                }
                last
            })
        })
        .collect();
    for (c, client) in clients.into_iter().enumerate() {
        let page = client.join().expect("client finished");
        if c < 2 {
            println!("last page of user{c}: {}…", &page[..page.len().min(90)]);
        }
    }
    server.join().expect("server finished");
    println!(
        "{} requests from {CLIENTS} concurrent clients: every page showed only its own user's data ({} sessions stored)",
        CLIENTS * REQUESTS_EACH,
        sessions.lock().expect("sessions lock").len()
    );
    Ok(())
}
