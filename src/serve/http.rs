//! The dev server: the output folder through tower-http's `ServeDir` (MIME types, `.br`/`.gz`
//! siblings, index pages, no path outside the folder), the site's own 404 pages, and a
//! Server-Sent Events stream that tells open pages to reload or to show a build error. The
//! live-reload script is added to HTML responses here; it is never written into output files.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use serde::Serialize;
use tokio::sync::watch;
use tower_http::services::ServeDir;

/// Path of the event stream the reload script listens to.
pub const EVENTS: &str = "/__berdaya/events";

/// Rounds kept for clients that missed some (the watch channel keeps only the latest state).
const KEPT_ROUNDS: usize = 32;

/// What the server tells pages after each build.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// Counts builds that changed something or changed the error state.
    pub version: u64,
    /// The last build's errors as shown in the terminal (no colours); `None` after a good build.
    pub error: Option<String>,
    /// (version, URLs whose output changed) of the latest rounds.
    pub rounds: VecDeque<(u64, Vec<String>)>,
    /// Version of the newest round no longer kept.
    pub dropped: u64,
    /// Set when the server stops: event streams end so shutdown does not wait for them.
    pub closing: bool,
}

impl Status {
    /// The state after a build: changed URLs, or the error text.
    pub fn next(&self, changed: Vec<String>, error: Option<String>) -> Status {
        let mut rounds = self.rounds.clone();
        let mut dropped = self.dropped;
        let version = self.version + 1;
        if error.is_none() {
            rounds.push_back((version, changed));
            while rounds.len() > KEPT_ROUNDS {
                if let Some((v, _)) = rounds.pop_front() {
                    dropped = v;
                }
            }
        }
        Status {
            version,
            error,
            rounds,
            dropped,
            closing: false,
        }
    }

    /// URLs changed after `since`; `None` when rounds were dropped since (reload everything).
    fn changed_since(&self, since: u64) -> Option<Vec<String>> {
        if since < self.dropped {
            return None;
        }
        let mut out: Vec<String> = self
            .rounds
            .iter()
            .filter(|(v, _)| *v > since)
            .flat_map(|(_, urls)| urls.iter().cloned())
            .collect();
        out.sort();
        out.dedup();
        Some(out)
    }
}

#[derive(Clone)]
struct AppState {
    status: watch::Receiver<Arc<Status>>,
    /// The path the site is served under (`/berdaya`), empty at the root.
    prefix: Arc<str>,
}

/// The server's routes over the output folder `out_dir`, under `prefix` (`/berdaya` for a
/// site whose `base_url` has that path, as its host will serve it; empty at the root).
pub fn router(out_dir: PathBuf, prefix: &str, status: watch::Receiver<Arc<Status>>) -> Router {
    let dir = out_dir.clone();
    let missing = move |uri: Uri| {
        let dir = dir.clone();
        async move { not_found(&dir, uri.path()).await }
    };
    let files = ServeDir::new(&out_dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true)
        .not_found_service(missing.into_service());
    let state = AppState {
        status,
        prefix: Arc::from(prefix),
    };
    // The site's service worker is never installed from the dev server: it would keep serving
    // old pages from its cache.
    let routes = Router::new().route(EVENTS, get(events)).route(
        &format!("{prefix}/sw.js"),
        get(|| async { (StatusCode::NOT_FOUND, "no service worker in serve") }),
    );
    let routes = if prefix.is_empty() {
        routes.fallback_service(files)
    } else {
        // Under a path, as the host serves it: the root points there, anything else is 404.
        let home = format!("{prefix}/");
        let dir = out_dir.clone();
        routes
            .route(
                "/",
                get(move || async move { axum::response::Redirect::temporary(&home) }),
            )
            .nest_service(prefix, files)
            .fallback(move |uri: Uri| {
                let dir = dir.clone();
                async move { (StatusCode::NOT_FOUND, not_found(&dir, uri.path()).await) }
            })
    };
    routes
        .layer(middleware::from_fn_with_state(state.clone(), live_reload))
        .with_state(state)
}

/// The site's 404 page: the language's own (`/en/…` → `en/404.html`) or the default one.
async fn not_found(dir: &std::path::Path, path: &str) -> Response {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    let lang_page = dir.join(first).join("404.html");
    let page = if !first.is_empty() && !first.contains("..") && lang_page.is_file() {
        lang_page
    } else {
        dir.join("404.html")
    };
    match tokio::fs::read(&page).await {
        Ok(bytes) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            Body::from(bytes),
        )
            .into_response(),
        Err(_) => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "404: no such page, and the site has no 404.html",
        )
            .into_response(),
    }
}

/// True for request paths that name an HTML page.
fn names_html(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    last.is_empty() || last.ends_with(".html") || !last.contains('.')
}

/// Serves HTML uncompressed with the reload script (and the error, if the last build failed)
/// appended; everything else as the folder holds it. Nothing is cached by the browser.
async fn live_reload(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let html = req.uri().path() != EVENTS && names_html(req.uri().path());
    if html {
        let headers = req.headers_mut();
        headers.remove(header::ACCEPT_ENCODING);
        headers.remove(header::IF_MODIFIED_SINCE);
        headers.remove(header::IF_NONE_MATCH);
    }
    let res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let (mut parts, body) = res.into_parts();
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if !is_html || parts.headers.contains_key(header::CONTENT_ENCODING) {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, 64 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let status = state.status.borrow().clone();
    let mut page = bytes.to_vec();
    page.extend_from_slice(addition(&status, &state.prefix).as_bytes());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page))
}

/// The markup appended to every served page: the error box when the last build failed, and the
/// script that reloads the page when its output changes.
pub fn addition(status: &Status, prefix: &str) -> String {
    let error = status.error.as_deref().map_or(String::new(), |e| {
        format!(
            "<div id=\"berdaya-error\" role=\"alert\" style=\"{BOX_STYLE}\">{}</div>",
            crate::common::text::html_escape(&format!("{ERROR_TITLE}\n\n{e}"))
        )
    });
    // The script with its constants filled in once; only the version differs per page.
    static PARTS: std::sync::LazyLock<(String, String)> = std::sync::LazyLock::new(|| {
        let script = SCRIPT
            .replace("BOXSTYLE", BOX_STYLE)
            .replace("TITLE", &serde_json::to_string(ERROR_TITLE).expect("JSON"));
        let (before, after) = script.split_once("VERSION").expect("placeholder");
        (before.to_string(), after.to_string())
    });
    let (before, after) = &*PARTS;
    // The page's address without the path the site is served under, as changes are named.
    let after = after.replace("PREFIX", &serde_json::to_string(prefix).expect("JSON"));
    format!("{error}<script>{before}{}{after}</script>", status.version)
}

const ERROR_TITLE: &str = "berdaya: situs gagal dibangun. Halaman ini versi terakhir yang berhasil; perbaiki berkasnya lalu simpan, pesan ini akan hilang.\n(The build failed. This page is the last good build; fix the file and save, and this message goes away.)";

const BOX_STYLE: &str = "position:fixed;left:0;right:0;bottom:0;max-height:70vh;overflow:auto;z-index:2147483647;margin:0;padding:1em;background:#fff8f8;color:#111;border-top:4px solid #b00020;font:14px/1.45 ui-monospace,monospace;white-space:pre-wrap";

/// Listens to the event stream: reloads when this page's output changed, shows or hides the
/// error box. Reconnects by itself (EventSource) when the server restarts.
const SCRIPT: &str = r#"(()=>{const seen=VERSION;const here=decodeURI(location.pathname).replace(/index\.html$/,"").slice(PREFIX.length)||"/";const title=TITLE;function box(t){let d=document.getElementById("berdaya-error");if(t===null){if(d)d.remove();return}if(!d){d=document.createElement("div");d.id="berdaya-error";d.setAttribute("role","alert");d.style.cssText="BOXSTYLE";document.body.append(d)}d.textContent=title+"\n\n"+t}const es=new EventSource("/__berdaya/events?since="+seen);es.addEventListener("reload",e=>{const m=JSON.parse(e.data);box(null);if(m.all||m.changed.includes(here))location.reload()});es.addEventListener("error",e=>box(JSON.parse(e.data).error))})();"#;

#[derive(Serialize)]
struct Message<'a> {
    version: u64,
    /// Reload whatever page is open (some rounds were missed).
    all: bool,
    changed: &'a [String],
    error: Option<&'a str>,
}

#[derive(serde::Deserialize)]
struct Since {
    since: Option<u64>,
}

/// `GET /__berdaya/events?since=N`: one event per build after version N: `reload` with the
/// changed URLs, or `error` with the error text.
async fn events(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<Since>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = state.status.clone();
    let since = q.since.unwrap_or_else(|| rx.borrow().version);
    let stream = futures_util::stream::unfold((rx, since), |(mut rx, since)| async move {
        loop {
            let status = rx.borrow_and_update().clone();
            if status.closing {
                return None;
            }
            if status.version > since {
                let event = match &status.error {
                    Some(e) => Event::default().event("error").data(
                        serde_json::to_string(&Message {
                            version: status.version,
                            all: false,
                            changed: &[],
                            error: Some(e),
                        })
                        .expect("JSON"),
                    ),
                    None => {
                        let changed = status.changed_since(since);
                        Event::default().event("reload").data(
                            serde_json::to_string(&Message {
                                version: status.version,
                                all: changed.is_none(),
                                changed: changed.as_deref().unwrap_or(&[]),
                                error: None,
                            })
                            .expect("JSON"),
                        )
                    }
                };
                return Some((Ok(event), (rx, status.version)));
            }
            if rx.changed().await.is_err() {
                return None;
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_get_every_change_since_their_version() {
        let s = Status::default()
            .next(vec!["/a/".into()], None)
            .next(vec![], Some("boom".into()))
            .next(vec!["/b/".into(), "/a/".into()], None);
        assert_eq!(s.version, 3);
        assert_eq!(s.changed_since(0).unwrap(), vec!["/a/", "/b/"]);
        assert_eq!(s.changed_since(2).unwrap(), vec!["/a/", "/b/"]);
        assert_eq!(s.changed_since(3).unwrap(), Vec::<String>::new());
        let mut many = s.clone();
        for i in 0..KEPT_ROUNDS as u64 {
            many = many.next(vec![format!("/{i}/")], None);
        }
        assert!(
            many.changed_since(1).is_none(),
            "dropped rounds: reload all"
        );
        assert!(many.changed_since(many.version - 1).is_some());
    }

    #[test]
    fn errors_are_escaped_in_the_box() {
        let s = Status::default().next(vec![], Some("<b> & </b>".into()));
        let html = addition(&s, "");
        assert!(html.contains("&lt;b&gt; &amp; &lt;/b&gt;"));
        assert!(html.contains("role=\"alert\""));
    }
}
