//! The HTTP side of `lectures explore`: one synchronous loop per worker thread, routing, the
//! embedded pages and sources, the read-only book folder, and a last-resort panic guard.
//!
//! [`route`] is a pure function from a request line to a [`Reply`], so the tests call it
//! directly; [`serve`] only moves requests and replies between tiny_http and `route`.

use super::params::{BadRequest, Checked, Query};
use super::{
    autoencoders, gradient_descent, jacobi_steps, jobs, neuron, pca_three_ways, spectral,
    stress_maps, tsne_live,
};
use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Requests served at once. A computation occupies one worker; a poll of a live run waits for
/// its next frame without using the CPU (at most `jobs::POLL_WAIT`). Eight workers leave room
/// for two live pages' polls beside the computing requests, whose CPU use is bounded because
/// a page sends one at a time and live runs are capped by `jobs::MAX_RUNNING`.
pub const WORKERS: usize = 8;

/// An HTTP reply: status, content type and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Content-Type header.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    fn ok(content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            content_type,
            body: body.into(),
        }
    }

    fn json(result: Checked<Value>) -> Reply {
        match result {
            Ok(v) => Reply::ok(JSON, v.to_string()),
            Err(BadRequest(msg)) => Reply {
                status: 400,
                content_type: JSON,
                body: serde_json::json!({ "error": msg }).to_string().into_bytes(),
            },
        }
    }

    fn not_found(what: &str) -> Reply {
        Reply {
            status: 404,
            content_type: TEXT,
            body: format!("not found: {what}\n").into_bytes(),
        }
    }
}

const JSON: &str = "application/json; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

/// The pages and their assets, compiled into the binary.
const ASSETS: &[(&str, &str, &str)] = &[
    ("/", HTML, include_str!("assets/index.html")),
    ("/jacobi", HTML, include_str!("assets/jacobi.html")),
    ("/spectral", HTML, include_str!("assets/spectral.html")),
    ("/gd", HTML, include_str!("assets/gd.html")),
    ("/neuron", HTML, include_str!("assets/neuron.html")),
    ("/pca3", HTML, include_str!("assets/pca3.html")),
    ("/tsne", HTML, include_str!("assets/tsne.html")),
    ("/mds", HTML, include_str!("assets/mds.html")),
    (
        "/autoencoders",
        HTML,
        include_str!("assets/autoencoders.html"),
    ),
    (
        "/assets/explore.css",
        "text/css; charset=utf-8",
        include_str!("assets/explore.css"),
    ),
    (
        "/assets/explore.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/explore.js"),
    ),
];

/// One embedded file of the repository, named by its repository-relative path.
macro_rules! source {
    ($path:literal) => {
        ($path, include_str!(concat!("../../../", $path)))
    };
}

/// The notes and sources the pages link to, as plain text (repository-relative paths).
const SOURCES: &[(&str, &str)] = &[
    source!("lectures/notes/00-linear-algebra.md"),
    source!("lectures/notes/01-pca-and-mds.md"),
    source!("lectures/notes/03-spectral-and-kernel.md"),
    source!("lectures/notes/04-losses-and-probabilistic.md"),
    source!("lectures/notes/05-neural-networks.md"),
    source!("lectures/notes/06-autoencoders.md"),
    source!("linalg/src/jacobi.rs"),
    source!("dimred/src/pca.rs"),
    source!("dimred/src/mds.rs"),
    source!("dimred/src/kpca.rs"),
    source!("dimred/src/kernels.rs"),
    source!("dimred/src/isomap.rs"),
    source!("dimred/src/graph.rs"),
    source!("dimred/src/diffusion.rs"),
    source!("dimred/src/smacof.rs"),
    source!("dimred/src/sketchmap.rs"),
    source!("dimred/src/sne.rs"),
    source!("dimred/src/tsne.rs"),
    source!("nn/src/optim.rs"),
    source!("nn/src/neuron.rs"),
    source!("nn/src/regularize.rs"),
    source!("nn/src/linear_ae.rs"),
    source!("nn/src/autoencoder.rs"),
    source!("nn/src/vae.rs"),
    source!("nn/src/train.rs"),
    source!("lectures/src/explore/jacobi_steps.rs"),
    source!("lectures/src/explore/pca_three_ways.rs"),
    source!("lectures/src/explore/spectral.rs"),
    source!("lectures/src/explore/gradient_descent.rs"),
    source!("lectures/src/explore/neuron.rs"),
    source!("lectures/src/explore/jobs.rs"),
    source!("lectures/src/explore/tsne_live.rs"),
    source!("lectures/src/explore/autoencoders.rs"),
    source!("lectures/src/explore/stress_maps.rs"),
];

/// Answer one GET request (`path_and_query` as sent, e.g. `/api/jacobi?n=6`). Never panics
/// on any input: API errors are 400 with `{"error": message}`, unknown paths 404.
pub fn route(path_and_query: &str, book: Option<&Path>) -> Reply {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    if let Some(name) = path.strip_prefix("/api/") {
        let q = match Query::parse(query) {
            Ok(q) => q,
            Err(e) => return Reply::json(Err(e)),
        };
        return Reply::json(match name {
            "jacobi" => jacobi_steps::handle(&q),
            "spectral" => spectral::handle(&q),
            "quadratic" => gradient_descent::quadratic(&q),
            "sgd" => gradient_descent::sgd(&q),
            "neuron" => neuron::neuron(&q),
            "paths" => neuron::paths(&q),
            "pca3" => pca_three_ways::handle(&q),
            "tsne" => tsne_live::handle(&q),
            "ae" => autoencoders::handle(&q),
            "stress" => stress_maps::handle(&q),
            "job" => jobs::poll(&q),
            "stop" => jobs::stop(&q),
            _ => Err(BadRequest(format!("no API endpoint `{name}`"))),
        });
    }
    if let Some(file) = path.strip_prefix("/source/") {
        return match SOURCES.iter().find(|(p, _)| *p == file) {
            Some((_, text)) => Reply::ok(TEXT, *text),
            None => Reply::not_found(path),
        };
    }
    // The icon a browser asks every new origin for: "no content", so that the console of
    // a page (and of the book served here) stays free of a 404.
    if path == "/favicon.ico" {
        return Reply {
            status: 204,
            content_type: TEXT,
            body: Vec::new(),
        };
    }
    if let Some(rest) = path.strip_prefix("/book") {
        return match book {
            Some(root) => book_file(root, rest.trim_start_matches('/')),
            None => Reply::not_found("the book (build it with `lectures tour`)"),
        };
    }
    match ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, ct, text)) => Reply::ok(ct, *text),
        None => Reply::not_found(path),
    }
}

/// A file of the book folder: only plain relative paths inside it (no `..`, no absolute
/// paths, no symbolic link leading out), a folder meaning its index.html.
fn book_file(root: &Path, rel: &str) -> Reply {
    let rel = if rel.is_empty() { "index.html" } else { rel };
    let relative = Path::new(rel);
    if rel.contains('\\')
        || !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    {
        return Reply::not_found(rel);
    }
    let (Ok(root), Ok(mut file)) = (root.canonicalize(), root.join(relative).canonicalize()) else {
        return Reply::not_found(rel);
    };
    if file.is_dir() {
        file.push("index.html");
    }
    if !file.starts_with(&root) || !file.is_file() {
        return Reply::not_found(rel);
    }
    let content_type = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => HTML,
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => JSON,
        _ => TEXT,
    };
    match std::fs::read(&file) {
        Ok(body) => Reply::ok(content_type, body),
        Err(_) => Reply::not_found(rel),
    }
}

/// [`route`] behind a panic guard: a bug in a handler becomes a 500 for that request, never
/// a dead worker.
pub fn guarded_route(path_and_query: &str, book: Option<&Path>) -> Reply {
    guard(|| route(path_and_query, book))
}

/// Run `handler`, turning a panic into a 500 reply that carries the panic's message.
fn guard(handler: impl FnOnce() -> Reply) -> Reply {
    catch_unwind(AssertUnwindSafe(handler)).unwrap_or_else(|panic| {
        let msg = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("unknown panic");
        Reply {
            status: 500,
            content_type: JSON,
            body: serde_json::json!({ "error": format!("internal error: {msg}") })
                .to_string()
                .into_bytes(),
        }
    })
}

/// Bind 127.0.0.1:`port`, print the address, and serve until the process is stopped.
///
/// # Errors
/// The port cannot be bound (in use, or not permitted).
pub fn serve(port: u16, book: Option<PathBuf>, open: bool) -> Result<(), String> {
    let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| {
        format!("cannot listen on 127.0.0.1:{port}: {e} (try another --port, or --port 0 for any free one)")
    })?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or("the server is not on an IP socket")?;
    let url = format!("http://{addr}/");
    println!("lectures explore: serving on {url}  (Ctrl-C stops)");
    match &book {
        Some(b) => println!("  the book: {url}book/ (from {})", b.display()),
        None => println!("  no book folder; `cargo run --release -p lectures -- tour` builds it"),
    }
    if open {
        open_browser(&url);
    }
    let (server, book) = (Arc::new(server), Arc::new(book));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, book) = (server.clone(), book.clone());
            std::thread::spawn(move || worker(&server, book.as_deref()))
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}

/// One worker: receive, route, respond, forever. Errors of one connection are printed and
/// the loop goes on.
fn worker(server: &tiny_http::Server, book: Option<&Path>) {
    loop {
        let request = match server.recv() {
            Ok(r) => r,
            Err(e) => {
                eprintln!("explore: receiving a request failed: {e}");
                continue;
            }
        };
        let reply = if *request.method() == tiny_http::Method::Get {
            guarded_route(request.url(), book)
        } else {
            Reply {
                status: 405,
                content_type: TEXT,
                body: b"only GET is served\n".to_vec(),
            }
        };
        let headers = [
            header("Content-Type", reply.content_type),
            header("Cache-Control", "no-store"),
        ];
        let mut response =
            tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
        for h in headers.into_iter().flatten() {
            response.add_header(h);
        }
        if let Err(e) = request.respond(response) {
            eprintln!("explore: sending a reply failed: {e}");
        }
    }
}

fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Ask the desktop to open `url`; failing that, say so (the address is printed anyway).
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("could not run {opener} ({e}); open {url} by hand");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(reply: &Reply) -> Value {
        serde_json::from_slice(&reply.body).unwrap()
    }

    #[test]
    fn pages_and_assets_are_served() {
        for path in [
            "/",
            "/jacobi",
            "/spectral",
            "/gd",
            "/tsne",
            "/autoencoders",
            "/mds",
            "/assets/explore.js",
            "/assets/explore.css",
        ] {
            let r = route(path, None);
            assert_eq!(r.status, 200, "{path}");
            assert!(!r.body.is_empty(), "{path}");
        }
        assert!(route("/", None).content_type.starts_with("text/html"));
        assert_eq!(route("/nothing", None).status, 404);
        assert_eq!(route("/favicon.ico", None).status, 204);
        assert_eq!(route("/source/linalg/src/jacobi.rs", None).status, 200);
        assert_eq!(route("/source/../Cargo.toml", None).status, 404);
    }

    #[test]
    fn every_live_page_the_book_offers_is_served_and_names_its_claims() {
        let registry = crate::registry::Registry::embedded().unwrap();
        for live in super::super::LIVE_PAGES {
            let (_, _, html) = ASSETS
                .iter()
                .find(|(p, _, _)| *p == live.path)
                .unwrap_or_else(|| panic!("{} is not a page", live.path));
            for claim in live.claims {
                assert!(registry.get(claim).is_some(), "{claim} is no claim id");
                assert!(
                    html.contains(&format!("<code>{claim}</code>")),
                    "{} does not name {claim}",
                    live.path
                );
                // A preset names a control of the page and a value it offers.
                let (_, address) = super::super::live_page_of(claim).unwrap();
                let query = address.split_once('?').map_or("", |(_, q)| q);
                for pair in query.split('&').filter(|p| !p.is_empty()) {
                    let (id, value) = pair.split_once('=').unwrap();
                    assert!(html.contains(&format!("id=\"{id}\"")), "{address}: no {id}");
                    assert!(
                        html.contains(&format!("value=\"{value}\"")),
                        "{address}: {id} offers no {value}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_page_links_only_to_served_sources() {
        for (path, _, html) in ASSETS {
            for link in html.split("href=\"/source/").skip(1) {
                let file = &link[..link.find('"').unwrap()];
                let file = file.split('#').next().unwrap();
                assert!(
                    SOURCES.iter().any(|(p, _)| *p == file),
                    "{path} links to {file}"
                );
            }
        }
    }

    #[test]
    fn api_answers_json_and_bad_parameters_get_400_with_a_message() {
        let ok = route("/api/jacobi?n=4&seed=1&go=rotation", None);
        assert_eq!(ok.status, 200);
        assert_eq!(json(&ok)["rotations"], 1);
        for bad in [
            "/api/jacobi?n=abc",
            "/api/jacobi?n=1000",
            "/api/spectral?n=100000",
            "/api/spectral?method=isomap&data=blobs&n=200&k=1",
            "/api/quadratic?lr=-3",
            "/api/sgd?batch=0",
            "/api/neuron?lr=abc",
            "/api/paths?penalty=l0",
            "/api/pca3?data=iris&lr=3&epochs=200",
            "/api/tsne?session=s&perplexity=500",
            "/api/tsne?data=iris",
            "/api/job?id=0",
            "/api/ae?session=s&model=gan",
            "/api/stress?session=s&method=sketchmap&landmarks=1",
            "/api/stop?id=abc",
            "/api/nothing",
            "/api/jacobi?n=%zz",
            "/api/jacobi?n",
        ] {
            let r = route(bad, None);
            assert_eq!(r.status, 400, "{bad}");
            let msg = json(&r)["error"].as_str().unwrap().to_string();
            assert!(msg.len() > 10, "{bad}: {msg}");
        }
    }

    #[test]
    fn a_panicking_handler_becomes_a_500() {
        assert_eq!(guarded_route("/", None).status, 200);
        let r = guard(|| panic!("boom {}", 7));
        assert_eq!(r.status, 500);
        assert_eq!(json(&r)["error"], "internal error: boom 7");
    }

    #[test]
    fn the_book_folder_is_read_only_and_confined() {
        let dir = std::env::temp_dir().join(format!("explore-book-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("index.html"), "<p>book</p>").unwrap();
        std::fs::write(dir.join("sub/a.svg"), "<svg/>").unwrap();
        let book = Some(dir.as_path());
        assert_eq!(route("/book/", book).body, b"<p>book</p>");
        assert_eq!(route("/book/sub/a.svg", book).content_type, "image/svg+xml");
        for bad in [
            "/book/../Cargo.toml",
            "/book//etc/passwd",
            "/book/sub/../../x",
            "/book/missing",
        ] {
            assert_eq!(route(bad, book).status, 404, "{bad}");
        }
        assert_eq!(route("/book/", None).status, 404);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
