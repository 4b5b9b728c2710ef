//! An axum web app with one isolated nexus store per request (`cargo run --example axum_ssr`; load-tested
//! by `tests/tests/axum_ssr.rs`).
//!
//! - [`RequestState`] is an axum extractor: it takes the user's session lock, makes a fresh
//!   [`PageState`] store and hydrates it from the user's saved [`Snapshot`]. When the handler is done
//!   with it (dropped), the store's snapshot is saved back and the lock released: requests of one user
//!   run one after another (nothing lost), different users' requests run concurrently.
//! - The handler changes the store, awaits its async atoms with `settled()`, and renders HTML with the
//!   snapshot embedded as JSON (what a hydrating client would read).
//! - `PROFILE` is an async atom (a simulated profile service): loaded once per user, then carried in the
//!   session snapshot, so later requests show it without loading it again.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use nexus::Snapshot;
use tokio::sync::OwnedMutexGuard;

nexus::store! {
    /// The state of one HTTP request: made per request, hydrated from the user's session.
    pub struct PageState;
}

nexus::atom! {
    #![store(PageState)]
    /// Who is asking (from the `user` cookie or query parameter).
    pub static USER: String = String::from("anonymous");
    /// Pages this user has seen.
    pub static VISITS: u64 = 0;
    /// What is in their cart.
    pub static CART: Vec<String> = Vec::new();
    /// Their profile, from a (simulated) profile service: loads asynchronously.
    pub static PROFILE: String = async_computed(|s| {
        let user = s.get(&USER);
        async move { fetch_profile(user).await }
    });
    /// Derived: the page's headline.
    pub static HEADLINE: String = computed(|s| {
        format!("{}: {} items in the cart, visit {}", s.get(&USER), s.with(&CART, Vec::len), s.get(&VISITS))
    });
}

nexus::store! {
    /// What every request of this process shares: the `Global` atoms below. With `--redis URL` (or
    /// `REDIS_URL`) the axum example mirrors them through Redis ([`mirrored`]), so that every replica of
    /// the server shows the same banner.
    #[mode(global)]
    pub struct Site;
}

nexus::atom! {
    /// A banner every page shows while it is not empty (an operator's notice, e.g. planned maintenance).
    #[name = "banner"]
    pub static BANNER: String = String::new();
}

/// The `Global` atoms a replica of this server shares with the others through Redis: give them to
/// [`nexus::redis::Mirror::connect`].
pub fn mirrored() -> nexus::redis::Options {
    nexus::redis::Options::new("axum-ssr").atom(&BANNER)
}

/// How many profiles the simulated service has served (each user's is fetched once, then carried in the
/// session).
pub static PROFILE_FETCHES: AtomicUsize = AtomicUsize::new(0);

/// The profile service's error.
#[derive(Debug)]
pub struct NoProfile;

impl std::fmt::Display for NoProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("anonymous users have no profile")
    }
}

impl std::error::Error for NoProfile {}

async fn fetch_profile(user: String) -> Result<String, NoProfile> {
    PROFILE_FETCHES.fetch_add(1, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(2)).await;
    if user == "anonymous" {
        return Err(NoProfile);
    }
    Ok(format!("{user}, member since 2024"))
}

/// One user's saved snapshot, behind the lock a request of theirs holds while it runs.
type Session = Arc<tokio::sync::Mutex<Option<Snapshot>>>;

/// Every user's session.
#[derive(Clone, Default)]
pub struct Sessions {
    users: Arc<Mutex<HashMap<String, Session>>>,
}

impl Sessions {
    fn slot(&self, user: &str) -> Session {
        let mut users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        users.entry(user.to_owned()).or_default().clone()
    }

    /// The saved snapshot of `user`, if any (waits for a request of theirs that is under way).
    pub async fn snapshot(&self, user: &str) -> Option<Snapshot> {
        self.slot(user).lock().await.clone()
    }

    /// How many users have a session.
    pub fn len(&self) -> usize {
        self.users.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Whether no user has a session yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The extractor: a fresh store for this request, hydrated from the user's session, saved back when
/// dropped.
pub struct RequestState {
    /// This request's store.
    pub store: PageState,
    session: OwnedMutexGuard<Option<Snapshot>>,
}

impl Drop for RequestState {
    fn drop(&mut self) {
        *self.session = Some(self.store.snapshot());
    }
}

/// Why a request could not get its state.
pub struct BadSession(String);

impl IntoResponse for BadSession {
    fn into_response(self) -> Response {
        (StatusCode::INTERNAL_SERVER_ERROR, self.0).into_response()
    }
}

impl FromRequestParts<Sessions> for RequestState {
    type Rejection = BadSession;

    async fn from_request_parts(parts: &mut Parts, sessions: &Sessions) -> Result<Self, BadSession> {
        let user = user_of(parts);
        let session = sessions.slot(&user).lock_owned().await;
        let store = PageState::new();
        if let Some(saved) = &*session {
            store.hydrate(saved).map_err(|e| BadSession(format!("the session does not hydrate: {e}")))?;
        }
        store.set(&USER, user);
        Ok(RequestState { store, session })
    }
}

/// The `user` cookie, else the `user` query parameter, else `anonymous`.
fn user_of(parts: &Parts) -> String {
    let cookie = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix("user="));
    let query = parts.uri.query().unwrap_or("").split('&').find_map(|kv| kv.strip_prefix("user="));
    let user = cookie.or(query).unwrap_or("anonymous");
    // Names are shown in pages and used as keys: keep them to a safe alphabet.
    let safe = user.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') && !user.is_empty();
    if safe {
        user.to_owned()
    } else {
        "anonymous".to_owned()
    }
}

/// `GET /?add=ITEM`: the page's query.
#[derive(serde::Deserialize)]
pub struct PageQuery {
    add: Option<String>,
}

async fn page(state: RequestState, Query(query): Query<PageQuery>) -> Response {
    let s = &state.store;
    s.update(&VISITS, |v| *v += 1);
    if let Some(item) = query.add {
        s.update(&CART, |cart| cart.push(item));
    }
    // Reading an async atom starts its load (the first time for this user; later requests have the
    // value from the session, so nothing is fetched); `settled` waits for every load the page started.
    let _ = s.get(&PROFILE);
    s.settled().await;
    let html = render(s);
    let cookie = format!("user={}; Path=/; HttpOnly", s.get(&USER));
    ([(header::SET_COOKIE, cookie)], Html(html)).into_response()
}

/// The page, with the store's snapshot embedded for a hydrating client.
pub fn render(s: &PageState) -> String {
    let profile = match s.get(&PROFILE) {
        nexus::Loadable::Ready(p) => escape(&p),
        nexus::Loadable::Failed { error, .. } => format!("(no profile: {})", escape(&error.to_string())),
        nexus::Loadable::Loading { .. } => "(loading)".to_owned(),
    };
    let mut items = String::new();
    s.with(&CART, |cart| {
        for item in cart {
            let _ = write!(items, "<li>{}</li>", escape(item));
        }
    });
    let snapshot = serde_json::to_string(&s.snapshot()).expect("snapshots serialise");
    let banner = Site::new().get(&BANNER);
    let banner = if banner.is_empty() {
        String::new()
    } else {
        format!("<p class=\"banner\">{}</p>", escape(&banner))
    };
    format!(
        "<!doctype html><html><head><title>nexus on axum</title></head><body>{banner}\
         <h1>{}</h1><p class=\"profile\">{profile}</p><ul>{items}</ul>\
         <script id=\"nexus-snapshot\" type=\"application/json\">{}</script></body></html>",
        escape(&s.get(&HEADLINE)),
        // `</` would end the script element early.
        snapshot.replace("</", "<\\/"),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The app's routes over `sessions`.
pub fn app(sessions: Sessions) -> Router {
    Router::new().route("/", get(page)).with_state(sessions)
}

/// Serves the app on `listener` until `shutdown` resolves.
///
/// # Errors
/// What axum's server returns (an accept loop I/O error).
pub async fn serve(
    listener: tokio::net::TcpListener,
    sessions: Sessions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(sessions)).with_graceful_shutdown(shutdown).await
}

/// A small HTTP/1 client for the app (hyper's): what the example and the load test send requests with.
#[derive(Clone)]
pub struct Client {
    base: String,
    http: hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        http_body_util::Empty<axum::body::Bytes>,
    >,
}

impl Client {
    /// A client of the server at `addr`.
    pub fn new(addr: std::net::SocketAddr) -> Client {
        let http =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
        Client { base: format!("http://{addr}"), http }
    }

    /// `GET path` as `user` (their cookie): the status and the body.
    ///
    /// # Errors
    /// A connection or protocol error, as text.
    pub async fn get(&self, path: &str, user: &str) -> Result<(StatusCode, String), String> {
        use http_body_util::BodyExt as _;
        let request = axum::http::Request::get(format!("{}{path}", self.base))
            .header(header::COOKIE, format!("user={user}"))
            .body(http_body_util::Empty::new())
            .map_err(|e| e.to_string())?;
        let response = self.http.request(request).await.map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}
