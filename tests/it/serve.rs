//! `folio serve`: the real binary on a free port, checked over raw HTTP (raw, so no client
//! tidies up the traversal attempts) and over its live-reload event stream.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::harness::TestSite;

/// How long a test waits for the server to start or a rebuild to arrive.
const PATIENCE: Duration = Duration::from_secs(30);

/// A running `folio serve`, killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `folio serve ROOT --port 0 EXTRA...` and waits until it serves.
    pub fn start(site: &TestSite, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("serve")
            .arg(site.root())
            .args(["--port", "0"])
            .args(extra)
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start folio serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        collect_lines(child.stderr.take().expect("stderr"), Arc::clone(&stderr));
        let mut server = Server {
            child,
            port: 0,
            stderr,
        };
        server.port = server.wait_for_port();
        server
    }

    fn wait_for_port(&mut self) -> u16 {
        let found = wait_until(|| {
            let text = self.stderr();
            let url = text.split("at http://127.0.0.1:").nth(1)?;
            url.split('/').next()?.parse::<u16>().ok()
        });
        found.unwrap_or_else(|| panic!("folio serve did not start:\n{}", self.stderr()))
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("lock").clone()
    }

    pub fn get(&self, path: &str) -> Response {
        get(self.port, path)
    }

    /// Waits until `path` answers with a body containing `text`.
    pub fn wait_for_text(&self, path: &str, text: &str) -> Response {
        wait_until(|| Some(self.get(path)).filter(|r| r.body.contains(text))).unwrap_or_else(|| {
            panic!(
                "{path} never showed {text:?}; it shows:\n{}\nstderr:\n{}",
                self.get(path).body,
                self.stderr()
            )
        })
    }

    pub fn events(&self) -> EventStream {
        EventStream::open(self.port, "")
    }

    /// The event stream as the page at `url` opens it (it gets that page's patches).
    pub fn events_for(&self, url: &str) -> EventStream {
        EventStream::open(self.port, &format!("?page={url}"))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn wait(mut self) -> (Option<i32>, String) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the reader thread take the last lines.
                std::thread::sleep(Duration::from_millis(100));
                return (status.code(), self.stderr());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("folio serve did not stop:\n{}", self.stderr());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect_lines(stderr: ChildStderr, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let mut text = into.lock().expect("lock");
            text.push_str(&line);
            text.push('\n');
        }
    });
}

/// Polls `check` until it gives a value or `PATIENCE` runs out.
pub fn wait_until<T>(mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(value) = check() {
            return Some(value);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Header lines, names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        let found = self.headers.iter().find(|(n, _)| n == name);
        found.map(|(_, v)| v.as_str())
    }
}

/// `GET path` sent exactly as given.
pub fn get(port: u16, path: &str) -> Response {
    get_as(port, path, "127.0.0.1")
}

/// `GET path` with `host` in the `Host` header.
pub fn get_as(port: u16, path: &str, host: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").expect("a response head");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

/// The live-reload event stream as a browser sees it.
pub struct EventStream {
    reader: BufReader<TcpStream>,
}

impl EventStream {
    fn open(port: u16, query: &str) -> EventStream {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let request = format!(
            "GET /_folio/live{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).expect("send");
        stream
            .set_read_timeout(Some(PATIENCE))
            .expect("read timeout");
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).expect("response head") > 2 {
            line.clear();
        }
        EventStream { reader }
    }

    /// The data of the next event called `name` (others are skipped).
    pub fn next(&mut self, name: &str) -> String {
        loop {
            let (event, data) = self.next_any();
            if event == name {
                return data;
            }
        }
    }

    /// The name and data of the next event.
    pub fn next_any(&mut self) -> (String, String) {
        let mut event = String::new();
        loop {
            let mut line = String::new();
            let read = self.reader.read_line(&mut line);
            assert!(matches!(read, Ok(n) if n > 0), "no event came");
            let line = line.trim_end();
            if let Some(value) = line.strip_prefix("event:") {
                event = value.trim().to_string();
            } else if let Some(data) = line.strip_prefix("data:") {
                return (event, data.trim().to_string());
            }
        }
    }
}

pub fn small_site() -> TestSite {
    TestSite::new()
        .page("index.md", "Home", "Welcome home\n")
        .file(
            "content/guide/index.md",
            "---\ntitle: Guide\nmenuWeight: 1\n---\nThe guide.\n",
        )
        .file(
            "content/guide/install.md",
            "---\ntitle: Install\nmenuWeight: 1\n---\nInstall it.\n",
        )
        .file(
            "content/guide/upgrade.md",
            "---\ntitle: Upgrade\nmenuWeight: 2\n---\nUpgrade it.\n\n#include /parts/note.tmpl\n",
        )
        .file("content/parts/note.tmpl", "A shared note.\n")
        .file("content/guide/diagram.png", "\u{89}PNG fake")
        .file("static/css/extra.css", "body { color: red }\n")
        .file("static/app.js", "console.log(1)\n")
}

#[test]
fn pages_and_files_are_served_with_their_content_types() {
    let site = small_site();
    let server = Server::start(&site, &[]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Welcome home"));
    assert!(home.body.contains("<script id=\"folio-live\">"));
    let index = server.get("/guide/index.html");
    assert!(index.body.contains("The guide."));
    let cases = [
        ("/guide/install/", "text/html; charset=utf-8"),
        ("/guide/diagram.png", "image/png"),
        ("/css/extra.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/_folio/style.css", "text/css; charset=utf-8"),
    ];
    for (path, content_type) in cases {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(
            response.header("content-type"),
            Some(content_type),
            "{path}"
        );
    }
    assert!(!server.get("/app.js").body.contains("folio-live"));
    let folder = server.get("/guide");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/guide/"));
    assert!(!site.exists("public"), "serve writes nothing to disk");
}

#[test]
fn a_missing_page_gets_the_sites_404_page() {
    let site = small_site().page("404.md", "Lost in the docs", "Try the search.\n");
    let server = Server::start(&site, &[]);
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(missing.body.contains("Try the search."), "{}", missing.body);
}

#[test]
fn traversal_attempts_are_refused_and_never_serve_files_outside_the_output() {
    let site = small_site().file("secret.txt", "TOP-SECRET-VALUE\n");
    let server = Server::start(&site, &[]);
    let attempts = [
        "/../secret.txt",
        "/guide/../../secret.txt",
        "/..%2fsecret.txt",
        "/..%2f..%2f..%2fetc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%5Csecret.txt",
        "/%252e%252e/secret.txt",
        "//etc/passwd",
        "/content/index.md",
        "/secret.txt",
        "/folio.yaml",
        "/%00",
    ];
    for path in attempts {
        let response = server.get(path);
        assert!(
            [400, 404].contains(&response.status),
            "{path}: {}",
            response.status
        );
        assert!(!response.body.contains("TOP-SECRET"), "{path}");
        assert!(!response.body.contains("root:"), "{path}");
    }
}

#[test]
fn a_served_file_that_becomes_a_link_out_of_the_site_is_not_served() {
    let site = small_site();
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-VALUE\n").expect("write");
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("/app.js").status, 200);
    let app = site.root().join("static/app.js");
    std::fs::remove_file(&app).expect("rm");
    std::os::unix::fs::symlink(&secret, &app).expect("link");
    for _ in 0..3 {
        let response = server.get("/app.js");
        assert_eq!(response.status, 404);
        assert!(!response.body.contains("TOP-SECRET"));
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
}

#[test]
fn a_host_header_naming_another_site_is_refused() {
    let site = small_site();
    let server = Server::start(&site, &[]);
    let port = server.port;
    for host in [
        "evil.example.com",
        "evil.example.com:80",
        "localhost.evil.example",
    ] {
        let response = get_as(port, "/", host);
        assert_eq!(response.status, 403, "{host}");
        assert!(!response.body.contains("Welcome home"), "{host}");
        assert_eq!(get_as(port, "/_folio/live", host).status, 403, "{host}");
    }
    for host in [
        "localhost",
        &format!("localhost:{port}"),
        &format!("[::1]:{port}"),
    ] {
        assert_eq!(get_as(port, "/", host).status, 200, "{host}");
    }
}

#[test]
fn edits_reload_the_page_and_a_broken_edit_shows_the_overlay_until_fixed() {
    let site = small_site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    let page = "content/guide/install.md";
    site.write(
        page,
        "---\ntitle: Install\nmenuWeight: 1\n---\nInstall it, now edited.\n",
    );
    assert_eq!(events.next("reload"), r#"["/guide/install/"]"#);
    server.wait_for_text("/guide/install/", "now edited");

    site.write(page, "---\ntitle: [Install\n---\nBroken.\n");
    let error = events.next("build-error");
    assert!(error.contains("content/guide/install.md:2"), "{error}");
    let broken = server.get("/guide/install/");
    assert!(
        broken.body.contains("now edited"),
        "the last good page stays"
    );
    assert!(
        broken
            .body
            .contains("data-errors=\"error[front-matter-yaml]")
    );
    // The terminal gets the error before the browser does, but this test reads the
    // server's stderr through a thread of its own, which may not have caught up yet.
    wait_until(|| Some(()).filter(|_| server.stderr().contains("--> content/guide/install.md:2")))
        .unwrap_or_else(|| panic!("the terminal never showed the error:\n{}", server.stderr()));

    site.write(page, "---\ntitle: Install\n---\nFixed.\n");
    events.next("reload");
    let fixed = server.wait_for_text("/guide/install/", "Fixed.");
    assert!(!fixed.body.contains("data-errors"));
}

#[test]
fn a_title_change_re_renders_the_pages_whose_navigation_shows_it() {
    let site = small_site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    site.write(
        "content/guide/upgrade.md",
        "---\ntitle: Upgrading safely\nmenuWeight: 2\n---\nUpgrade it.\n",
    );
    let changed = events.next("reload");
    assert!(changed.contains("/guide/install/"), "{changed}");
    server.wait_for_text("/guide/install/", "Upgrading safely");
}

#[test]
fn templates_includes_new_and_deleted_pages_are_picked_up() {
    let site = small_site().file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<main>{{ page.content | safe }}</main>{% endblock content %}",
    );
    let server = Server::start(&site, &[]);
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<main class=\"v2\">{{ page.content | safe }}</main>{% endblock content %}",
    );
    server.wait_for_text("/guide/install/", "<main class=\"v2\">");
    site.write("content/parts/note.tmpl", "An updated note.\n");
    server.wait_for_text("/guide/upgrade/", "An updated note.");
    site.write(
        "content/guide/new.md",
        "---\ntitle: Brand new\n---\nNew page.\n",
    );
    server.wait_for_text("/guide/new/", "New page.");
    std::fs::remove_file(site.root().join("content/guide/new.md")).expect("remove");
    wait_until(|| (server.get("/guide/new/").status == 404).then_some(()))
        .expect("a deleted page goes away");
}

#[test]
fn a_port_in_use_is_named_in_the_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let site = small_site();
    let run = site.folio(&["serve", "{root}", "--port", &port]);
    run.expect_code(2).expect_stderr(&format!(
        "error: cannot listen on 127.0.0.1:{port}: address already in use; pass --port to choose another"
    ));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly_even_with_a_page_listening() {
    let site = small_site();
    let server = Server::start(&site, &[]);
    let _listening = server.events();
    let sent = Command::new("kill")
        .args(["-INT", &server.pid().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let (code, stderr) = server.wait();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("Stopped."), "{stderr}");
}

#[test]
fn a_deleted_shortcode_override_leaves_every_page_at_once() {
    let site = small_site()
        .file("templates/shortcodes/beta.html", "<b>OUR OWN BETA</b>")
        .page("guide/new.md", "New", "A [beta /] feature.\n");
    let server = Server::start(&site, &[]);
    server.wait_for_text("/guide/new/", "OUR OWN BETA");
    std::fs::remove_dir_all(site.root().join("templates/shortcodes")).expect("rm -r");
    server.wait_for_text("/guide/new/", "badge badge-beta");
}

/// The server's peak resident memory, from `/proc`.
fn peak_memory_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|k| k.parse().ok())
        .expect("kB");
    kib / 1024
}

#[test]
fn under_load_every_client_is_answered_slow_ones_are_dropped_and_memory_stays_bounded() {
    let site = small_site();
    let server = Server::start(&site, &[]);
    let port = server.port;
    // 500 clients that never finish their request headers.
    let slow: Vec<TcpStream> = (0..500)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .expect("send");
            stream
        })
        .collect();
    let started = Instant::now();
    let clients: Vec<_> = (0..1000)
        .map(|i| {
            let path = if i % 2 == 0 { "/" } else { "/guide/install/" };
            std::thread::spawn(move || get(port, path).status)
        })
        .collect();
    let statuses: Vec<u16> = clients
        .into_iter()
        .map(|c| c.join().expect("client"))
        .collect();
    assert!(
        statuses.iter().all(|&s| s == 200),
        "{:?}",
        statuses.iter().filter(|&&s| s != 200).count()
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );

    // A request with 2 MB of headers is refused without taking the server down.
    let mut huge = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let header = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(2 << 20)
    );
    let _ = huge.write_all(header.as_bytes());
    let mut answer = String::new();
    let _ = huge.read_to_string(&mut answer);
    assert!(
        !answer.starts_with("HTTP/1.1 200"),
        "{}",
        &answer[..answer.len().min(80)]
    );
    assert_eq!(get(port, "/").status, 200);

    // The slow clients are cut off once the header timeout (10 s) has passed.
    let mut first = slow.into_iter().next().expect("a slow client");
    first
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    let mut rest = Vec::new();
    let closed = first.read_to_end(&mut rest).is_ok();
    assert!(
        closed,
        "a client that never finished its headers is still connected"
    );
    let peak = peak_memory_mib(server.pid());
    eprintln!("serve under load: 1,000 clients answered beside 500 slow ones, peak {peak} MiB");
    assert!(peak < 300, "{peak} MiB");
}
