//! The HTTP side: an accept loop with header-read timeouts (`axum::serve` has none, so a
//! slow client could hold sockets forever), the site served from memory with the
//! live-reload script injected into HTML, and the event stream browsers listen on.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_stream::{Stream, StreamExt, wrappers::BroadcastStream};

use crate::serve::live::{Changed, EVENTS_PATH, LiveEvent, inject};
use crate::serve::request_path::{Target, file_key, target};
use crate::serve::state::{ServeState, Served};

/// How long a client may take to send its request headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long open connections get to finish once the server is stopping.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Shown when the site has no `404.html` (its first build failed).
const BARE_NOT_FOUND: &str =
    "<!doctype html><title>Not found</title><body><h1>Not found</h1></body>";

pub fn router(state: Arc<ServeState>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(live_events))
        .fallback(site_file)
        .layer(axum::middleware::from_fn(local_hosts_only))
        .with_state(state)
}

/// Refuses a request whose `Host` is a name other than `localhost` (or `*.localhost`): a
/// web page that points its own domain name at 127.0.0.1 (DNS rebinding) must not read
/// the preview. IP addresses are fine: they are the bound address, or a reader on the
/// network reaching a server bound with `--bind`.
async fn local_hosts_only(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    match host.is_some_and(is_local_host) {
        true => next.run(request).await,
        false => (
            StatusCode::FORBIDDEN,
            "folio serve answers only to localhost and IP addresses in the Host header\n",
        )
            .into_response(),
    }
}

fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => {
            return v6
                .split_once(']')
                .is_some_and(|(ip, _)| ip.parse::<std::net::Ipv6Addr>().is_ok());
        }
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let name = name.to_ascii_lowercase();
    name.parse::<std::net::Ipv4Addr>().is_ok()
        || name == "localhost"
        || name.ends_with(".localhost")
}

/// Serves connections until `shutdown` completes, then lets them finish for a moment.
pub async fn serve(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) {
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let connection = hyper::server::conn::http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(HEADER_TIMEOUT)
                        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
                    let connection = graceful.watch(connection);
                    tokio::spawn(async move {
                        let _ = connection.await;
                    });
                }
                // Out of file descriptors and the like: wait instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            () = &mut shutdown => break,
        }
    }
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

/// The event stream of the page named by the query's `page` (its URL, for its patches).
/// A page that connects while the site does not build gets the errors at once (it may
/// have been served before they were known).
async fn live_events(
    State(state): State<Arc<ServeState>>,
    uri: Uri,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let page = page_of(uri.query());
    let live = BroadcastStream::new(state.subscribe());
    let errors = state.read(|s| s.errors.clone()).map(LiveEvent::BuildError);
    let events = tokio_stream::iter(errors)
        // A page that fell behind the channel missed events, perhaps a patch: it reloads.
        .chain(live.map(|event| event.unwrap_or(LiveEvent::Reload(Changed::All))))
        .take_while(|event| *event != LiveEvent::Shutdown)
        .filter_map(move |event| {
            let data = event.data_for(page.as_deref())?;
            Some(Ok(Event::default().event(event.name()).data(data)))
        });
    Sse::new(events).keep_alive(KeepAlive::default())
}

/// The `page` value of a query string, decoded.
fn page_of(query: Option<&str>) -> Option<String> {
    let value = query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))?;
    let value = value.replace('+', " ");
    let decoded = percent_encoding::percent_decode_str(&value)
        .decode_utf8()
        .ok()?;
    Some(decoded.into_owned())
}

async fn site_file(State(state): State<Arc<ServeState>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let (base_path, site_path) =
        state.read(|s| (s.base_path.clone(), target(uri.path(), &s.base_path)));
    match site_path {
        Err(_) => (StatusCode::BAD_REQUEST, "bad request path\n").into_response(),
        Ok(Target::BaseWithoutSlash) => redirect(&base_path),
        Ok(Target::Outside) => not_found(&state).await,
        Ok(Target::InSite(path)) => in_site(&state, &path, uri.path()).await,
    }
}

async fn in_site(state: &ServeState, path: &str, raw_path: &str) -> Response {
    let key = file_key(path);
    let file = file_at(state, &key).await;
    let errors = state.read(|s| s.errors.clone());
    match file {
        Some(file) => match read(file, state.root()).await {
            Some(bytes) => respond(StatusCode::OK, &key, bytes, errors.as_deref()),
            None => not_found(state).await,
        },
        None if !path.ends_with('/') && has_index(state, path).await => {
            redirect(&format!("{raw_path}/"))
        }
        None => not_found(state).await,
    }
}

/// Whether the folder at `path` has an `index.html` (a page).
async fn has_index(state: &ServeState, path: &str) -> bool {
    file_at(state, &format!("{path}/index.html"))
        .await
        .is_some()
}

/// The file served at `key`; before the first whole build is served, asked for (a page
/// is rendered on demand), else looked up again once that build is served.
async fn file_at(state: &ServeState, key: &str) -> Option<Served> {
    let (file, warming) = state.read(|s| (s.files.get(key).cloned(), s.warming.clone()));
    match (file, warming) {
        (None, Some(warming)) => match warming.file(key).await {
            Some(file) => Some(file),
            None => state.read(|s| s.files.get(key).cloned()),
        },
        (file, _) => file,
    }
}

/// The site's `404.html` with status 404.
async fn not_found(state: &ServeState) -> Response {
    let page = file_at(state, "404.html").await;
    let errors = state.read(|s| s.errors.clone());
    let bytes = match page {
        Some(page) => read(page, state.root()).await,
        None => None,
    };
    let bytes = bytes.unwrap_or_else(|| BARE_NOT_FOUND.as_bytes().into());
    respond(StatusCode::NOT_FOUND, "404.html", bytes, errors.as_deref())
}

/// The bytes of `file`; a copied file is read from its source only while it resolves to
/// a file inside `root`, as the build's own checks require.
async fn read(file: Served, root: &std::path::Path) -> Option<Arc<[u8]>> {
    match file {
        Served::Bytes(bytes) => Some(bytes),
        Served::File(path) => {
            let real = tokio::fs::canonicalize(path).await.ok()?;
            if !real.starts_with(root) {
                return None;
            }
            tokio::fs::read(real).await.ok().map(Arc::from)
        }
    }
}

fn respond(status: StatusCode, key: &str, bytes: Arc<[u8]>, errors: Option<&str>) -> Response {
    let content_type = content_type(key);
    let body = if content_type.starts_with("text/html") {
        Body::from(inject(&bytes, errors))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // Every request sees the latest build.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, value)]).into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The content type for a file name; text types say they are UTF-8.
fn content_type(key: &str) -> String {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "xml" | "svg"
        );
    if textual && mime.get_param("charset").is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_localhost_names_and_ip_addresses_are_served() {
        for host in [
            "localhost",
            "localhost:3000",
            "docs.localhost:8080",
            "127.0.0.1:1",
            "192.168.1.5",
            "[::1]:3000",
            "[::1]",
            "LOCALHOST",
        ] {
            assert!(is_local_host(host), "{host}");
        }
        for host in [
            "evil.example.com",
            "evil.example.com:3000",
            "localhost.evil.com",
            "127.0.0.1.nip.io",
            "[evil]:80",
            "",
        ] {
            assert!(!is_local_host(host), "{host}");
        }
    }

    #[test]
    fn content_types_come_from_the_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("_folio/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("img/logo.png"), "image/png");
        assert_eq!(content_type("app.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("download.bin"), "application/octet-stream");
    }
}
