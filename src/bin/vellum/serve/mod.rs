//! `vellum serve`: a read-only web view of the store.
//!
//! The HTTP layer (axum on a small tokio runtime) only routes and bounds requests; each page is
//! made on a blocking thread from the current read snapshot ([`archive`]), with the data read
//! in one place ([`data`]) and written out by compiled templates ([`pages`]). Nothing here
//! writes the store: there is no endpoint but GET (and HEAD).

mod archive;
mod data;
mod pages;
mod url;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::cli::{now_fresh, parse_time_with, Cli, ServeArgs};
use archive::{Archive, Snapshot};
use data::Sort;
use pages::{ChangesAsk, Frame, SiteAsk};

/// How long a request may take, waiting for its turn included; past it the answer is 503.
const REQUEST_TIME: Duration = Duration::from_secs(30);

/// Pages made at once (each on a blocking thread; the others wait their turn).
const PAGES_AT_ONCE: usize = 4;

/// The longest path and query string answered (longer: 414).
const MAX_PATH: usize = 2048;
const MAX_QUERY: usize = 4096;

/// Entries of the Atom feed.
const FEED_ENTRIES: usize = 50;

/// The Content-Security-Policy of every answer: nothing but this server's own style sheet; no
/// script at all, inline or not; no frames, no plugins, forms only to this server.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   base-uri 'none'; frame-ancestors 'none'";

struct Server {
    archive: Arc<Archive>,
    /// The store as the user named it.
    store: String,
    /// The address listened on, for absolute links (the Atom feed's) when a request names no
    /// usable host.
    local: SocketAddr,
    slots: Arc<Semaphore>,
}

pub fn run(cli: &Cli, args: &ServeArgs) -> Result<u8> {
    let archive = Arc::new(Archive::open(&cli.store, cli.lock_timeout, now_fresh)?);
    let addr = SocketAddr::new(args.bind, args.port);
    if !args.bind.is_loopback() {
        eprintln!(
            "vellum: serve: warning: listening on {addr}, which other machines may reach: anyone who can \
             connect can read the whole archive. Without --bind, only this machine can (127.0.0.1)."
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(PAGES_AT_ONCE * 2)
        .thread_name("vellum-serve")
        .enable_io()
        .enable_time()
        .build()
        .context("cannot start the server's threads")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr().context("the address listened on")?;
        {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            writeln!(out, "vellum: serving {} at http://{local}/ (read-only; Ctrl-C stops)", cli.store.display())?;
            out.flush()?;
        }
        let watched = Arc::clone(&archive);
        let every = Duration::from_secs(args.refresh);
        std::thread::Builder::new()
            .name("vellum-snapshots".into())
            .spawn(move || loop {
                std::thread::sleep(every);
                match watched.refresh() {
                    Ok(Some((held, took))) => eprintln!(
                        "vellum: serve: the store changed; now serving a new snapshot of it (the store's lock \
                         held {:.3} s, the snapshot opened in {:.3} s)",
                        held.as_secs_f64(),
                        took.as_secs_f64()
                    ),
                    Ok(None) => {}
                    Err(e) => eprintln!(
                        "vellum: serve: warning: cannot take a new snapshot (still serving the last one): {e:#}"
                    ),
                }
            })
            .context("cannot start the snapshot thread")?;
        let server = Arc::new(Server {
            archive,
            store: cli.store.display().to_string(),
            local,
            slots: Arc::new(Semaphore::new(PAGES_AT_ONCE)),
        });
        let app = axum::Router::new().fallback(handle).with_state(server);
        accept(listener, app).await;
        Ok(crate::exit::OK)
    })
}

/// Connections open at once; past this a new one is closed at once.
const CONNECTIONS: usize = 64;

/// How long a client may take to send a request's head (on a new or a kept-alive connection).
const HEAD_TIME: Duration = Duration::from_secs(10);

/// How long one connection may stay open, whatever it does.
const CONNECTION_TIME: Duration = Duration::from_secs(120);

/// Serves HTTP/1 connections for ever, each bounded: at most [`CONNECTIONS`] at once, a request
/// head within [`HEAD_TIME`], the connection within [`CONNECTION_TIME`].
async fn accept(listener: tokio::net::TcpListener, app: axum::Router) {
    let open = Arc::new(Semaphore::new(CONNECTIONS));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, a connection reset before it was accepted: wait a
                // moment and go on.
                eprintln!("vellum: serve: warning: cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&open).try_acquire_owned() else { continue };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(HEAD_TIME);
            let connection = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            // A connection that fails or runs out of time is simply closed.
            let _ = tokio::time::timeout(CONNECTION_TIME, connection).await;
            drop(permit);
        });
    }
}

/// One request: checked, then answered on a blocking thread within [`REQUEST_TIME`].
async fn handle(State(server): State<Arc<Server>>, request: Request) -> Response {
    let started = tokio::time::Instant::now();
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        let mut reply =
            Reply::error(405, "Method not allowed", "This view only reads: GET and HEAD are answered.", false, None);
        reply.allow = true;
        return reply.into_response();
    }
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or("").to_owned();
    let accept = request.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let wants_json = accept.contains("application/json") && !accept.contains("text/html");
    let host =
        request.headers().get(header::HOST).and_then(|v| v.to_str().ok()).filter(|h| usable_host(h)).map(str::to_owned);
    if path.len() > MAX_PATH || query.len() > MAX_QUERY {
        return Reply::error(414, "Address too long", "The path or query string is too long.", wants_json, None)
            .into_response();
    }
    let busy =
        || Reply::error(503, "Busy", "The page took too long to make; try again.", wants_json, None).into_response();
    let Ok(Ok(permit)) = tokio::time::timeout(REQUEST_TIME, Arc::clone(&server.slots).acquire_owned()).await else {
        return busy();
    };
    let base = format!("http://{}", host.unwrap_or_else(|| server.local.to_string()));
    let job = {
        let server = Arc::clone(&server);
        tokio::task::spawn_blocking(move || {
            // The slot is given back when the page is made, even if its answer came too late.
            let _permit = permit;
            respond(&server, &path, &query, wants_json, &base)
        })
    };
    let left = REQUEST_TIME.saturating_sub(started.elapsed());
    match tokio::time::timeout(left, job).await {
        Ok(Ok(reply)) => reply.into_response(),
        Ok(Err(_)) => Reply::error(500, "Internal error", "Making this page failed.", wants_json, None).into_response(),
        Err(_) => busy(),
    }
}

/// A host header fit to put into a link: a name or address and a port, nothing else.
fn usable_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

/// A page's answer, before it becomes an HTTP response.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: String,
    /// A 405's `Allow`.
    allow: bool,
}

impl Reply {
    fn html(markup: maud::Markup) -> Reply {
        Reply { status: 200, content_type: "text/html; charset=utf-8", body: markup.into_string(), allow: false }
    }

    fn json<T: Serialize + ?Sized>(value: &T) -> Reply {
        match serde_json::to_string_pretty(value) {
            Ok(mut body) => {
                body.push('\n');
                Reply { status: 200, content_type: "application/json", body, allow: false }
            }
            Err(e) => Reply::error(500, "Internal error", &e.to_string(), true, None),
        }
    }

    fn error(status: u16, heading: &str, message: &str, json: bool, frame: Option<&Frame<'_>>) -> Reply {
        if json {
            let mut reply = Reply::json(&serde_json::json!({ "status": status, "error": message }));
            reply.status = status;
            return reply;
        }
        let plain = Frame { store: "the store", taken: "", json: None };
        let mut reply = Reply::html(pages::error(frame.unwrap_or(&plain), status, heading, message));
        reply.status = status;
        reply
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = Response::new(Body::from(self.body));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(header::VARY, HeaderValue::from_static("Accept"));
        if self.allow {
            headers.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        }
        response
    }
}

/// The query string's parameters.
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(query: &str) -> Params {
        Params(::url::form_urlencoded::parse(query.as_bytes()).into_owned().collect())
    }

    /// The first value of `name`, if given and not empty.
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }

    /// The value of `name` as a number (`None` when not given); a 400 when it is not one.
    fn number<T: std::str::FromStr>(&self, name: &str) -> std::result::Result<Option<T>, String> {
        self.get(name).map(|v| v.trim().parse().map_err(|_| format!("{name}={v:?} is not a number"))).transpose()
    }

    fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some("1" | "true" | "on" | "yes"))
    }
}

/// What went wrong with a request, as an HTTP status and a message.
struct Failure {
    status: u16,
    message: String,
}

impl Failure {
    fn bad(message: impl Into<String>) -> Failure {
        Failure { status: 400, message: message.into() }
    }

    fn not_found(message: impl Into<String>) -> Failure {
        Failure { status: 404, message: message.into() }
    }
}

impl From<vellum::Error> for Failure {
    fn from(e: vellum::Error) -> Failure {
        let status = match &e {
            vellum::Error::NoSuchArticle(_) | vellum::Error::NoSuchRevision { .. } => 404,
            vellum::Error::Invalid { .. } | vellum::Error::AmbiguousId { .. } => 400,
            _ => 500,
        };
        let mut message = e.to_string();
        if e.is_damage() {
            message.push_str(" (the store is damaged here; `vellum verify` says more)");
        }
        Failure { status, message }
    }
}

/// A request's answer, made from the current snapshot.
fn respond(server: &Server, path: &str, query: &str, wants_json: bool, base: &str) -> Reply {
    let snapshot = server.archive.current();
    let taken = vellum::export::rfc3339(snapshot.taken);
    let mut json = wants_json;
    let mut frame = Frame { store: &server.store, taken: &taken, json: None };
    let result = route(&snapshot, path, query, wants_json, &mut json, base, &mut frame);
    match result {
        Ok(reply) => reply,
        Err(failure) => {
            let heading = match failure.status {
                400 => "Bad request",
                404 => "Not found",
                _ => "Error",
            };
            frame.json = None;
            Reply::error(failure.status, heading, &failure.message, json, Some(&frame))
        }
    }
}

/// The path as its segments, percent-decoded, and whether the last one ended in `.json`.
fn segments(path: &str) -> std::result::Result<(Vec<String>, bool), Failure> {
    let path = path.strip_prefix('/').unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    if path.is_empty() {
        return Ok((Vec::new(), false));
    }
    let mut parts = Vec::new();
    for part in path.split('/') {
        parts.push(url::decode(part).ok_or_else(|| Failure::bad("the path is not percent-encoded UTF-8"))?);
    }
    let mut json = false;
    if let Some(last) = parts.last_mut() {
        if let Some(stem) = last.strip_suffix(".json") {
            *last = stem.to_owned();
            json = true;
        }
    }
    Ok((parts, json))
}

fn route(
    snapshot: &Snapshot,
    path: &str,
    query: &str,
    wants_json: bool,
    json: &mut bool,
    base: &str,
    frame: &mut Frame<'_>,
) -> std::result::Result<Reply, Failure> {
    let (parts, suffix) = segments(path)?;
    *json |= suffix;
    let params = Params::parse(query);
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    // This page's JSON form, for the footer's link.
    let with_query = |p: String| if query.is_empty() { p } else { format!("{p}?{query}") };
    frame.json = Some(with_query(if path == "/" || path.is_empty() {
        "/index.json".to_owned()
    } else {
        format!("{}.json", path.trim_end_matches('/'))
    }));
    let now = || now_fresh().map_err(|e| Failure { status: 500, message: format!("{e:#}") });
    match parts.as_slice() {
        [] | ["index"] => {
            let (sites, damaged) = data::sites(snapshot, now()?)?;
            Ok(if *json { Reply::json(&sites) } else { Reply::html(pages::sites(frame, &sites, damaged)) })
        }
        ["static", "style.css"] if !suffix => Ok(Reply {
            status: 200,
            content_type: "text/css; charset=utf-8",
            body: pages::STYLE.to_owned(),
            allow: false,
        }),
        ["sites", site] => {
            let sort = match params.get("sort") {
                None => Sort::Changed,
                Some(name) => Sort::parse(name).ok_or_else(|| {
                    Failure::bad(format!("sort={name:?}: sort by title, date, revisions, changed or seen"))
                })?,
            };
            let descending = match params.get("order") {
                None => sort != Sort::Title,
                Some("asc") => false,
                Some("desc") => true,
                Some(other) => return Err(Failure::bad(format!("order={other:?}: asc or desc"))),
            };
            let search = params.get("q");
            if search.is_some_and(|q| q.chars().count() > 200) {
                return Err(Failure::bad("the title search is longer than 200 characters"));
            }
            let page = params.number::<usize>("page").map_err(Failure::bad)?.unwrap_or(1);
            let mut site = (*site).to_owned();
            let mut rows = data::site_articles(snapshot, &site, search, sort, descending)?;
            if rows.is_none() && suffix {
                // A site whose own name ends in `.json` (its JSON is `NAME.json.json`).
                let whole = format!("{site}.json");
                rows = data::site_articles(snapshot, &whole, search, sort, descending)?;
                if rows.is_some() {
                    site = whole;
                    *json = wants_json;
                }
            }
            let rows = rows.ok_or_else(|| Failure::not_found(format!("the store has no site {site:?}")))?;
            let ask = SiteAsk { search, sort, descending, page };
            Ok(if *json { Reply::json(&rows) } else { Reply::html(pages::site(frame, &site, &rows, &ask)) })
        }
        ["articles", id] => {
            let view = data::article(snapshot, id, None)?;
            Ok(if *json { Reply::json(&view.json()) } else { Reply::html(pages::article(frame, &view)) })
        }
        ["articles", id, "revisions", rev] => {
            let rev: u32 = rev.parse().map_err(|_| Failure::bad(format!("revision {rev:?} is not a number")))?;
            if rev == 0 {
                return Err(Failure::bad("revisions count from 1"));
            }
            if *json {
                return Ok(Reply::json(&data::revision(snapshot, id, rev)?));
            }
            Ok(Reply::html(pages::revision(frame, &data::article(snapshot, id, Some(rev))?)))
        }
        ["articles", id, "diff"] => {
            let old = params.number::<u32>("old").map_err(Failure::bad)?;
            let new = params.number::<u32>("new").map_err(Failure::bad)?;
            if old == Some(0) || new == Some(0) {
                return Err(Failure::bad("revisions count from 1"));
            }
            let side = match params.get("view") {
                None | Some("inline") => false,
                Some("side") => true,
                Some(other) => return Err(Failure::bad(format!("view={other:?}: inline or side"))),
            };
            let view = data::diff(snapshot, id, old, new)?;
            if *json {
                return Ok(Reply::json(&view.json()));
            }
            let title = view.new.title.clone().unwrap_or_else(|| "(untitled)".to_owned());
            Ok(Reply::html(pages::diff(frame, &view, &title, side)))
        }
        ["changes"] | ["changes.atom"] => {
            let atom = parts == ["changes.atom"];
            if atom && suffix {
                return Err(Failure::not_found("no such page"));
            }
            let since_text = params.get("since").unwrap_or("7d");
            let until_text = params.get("until").unwrap_or("");
            let site = params.get("site").unwrap_or("");
            let page = params.number::<usize>("page").map_err(Failure::bad)?.unwrap_or(1).max(1);
            let ask = ChangesAsk {
                since: since_text,
                until: until_text,
                site,
                ignore_trivial: params.flag("ignore_trivial"),
                page,
            };
            let now = || now_fresh();
            let since = parse_time_with(since_text, &now).map_err(|e| Failure::bad(format!("since: {e:#}")))?;
            let until = Some(until_text)
                .filter(|u| !u.is_empty())
                .map(|u| parse_time_with(u, &now))
                .transpose()
                .map_err(|e| Failure::bad(format!("until: {e:#}")))?;
            let site = Some(site).filter(|s| !s.is_empty());
            if atom {
                let (rows, _) =
                    data::newest_changes(snapshot, since, until, site, ask.ignore_trivial, 1, FEED_ENTRIES)?;
                let updated = rows.first().map_or_else(|| vellum::export::rfc3339(snapshot.taken), |r| r.seen.clone());
                let body = pages::atom(&rows, base, &updated, &ask);
                return Ok(Reply {
                    status: 200,
                    content_type: "application/atom+xml; charset=utf-8",
                    body,
                    allow: false,
                });
            }
            if *json {
                return Ok(Reply::json(&data::changes(snapshot, since, until, site, ask.ignore_trivial)?));
            }
            let (rows, total) =
                data::newest_changes(snapshot, since, until, site, ask.ignore_trivial, ask.page, pages::CHANGES_SHOWN)?;
            Ok(Reply::html(pages::changes(frame, &rows, total, &ask)))
        }
        _ => Err(Failure::not_found(format!("there is no page at {path}"))),
    }
}
