//! `folio check` as a CI gate: severities from folio.yaml, `build --strict`, links that
//! cross into another version's docs, `latest` URLs, and external links.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use crate::harness::TestSite;

const DATASET: &str = "products:\n  p:\n    name: Prod\n    docs: p\n    support_window: 2\n    lines:\n      - {line: \"1.0\", ga: 2020-01-01}\n      - {line: \"2.0\", ga: 2021-01-01}\n";

fn versioned_site(link: &str) -> TestSite {
    TestSite::new()
        .file("data/versions.yaml", DATASET)
        .page("index.md", "Home", "Home.\n")
        .page("p/index.md", "Prod", "Prod.\n")
        .page("p/1.0/index.md", "Prod 1.0", "Old.\n")
        .page("p/1.0/install/index.md", "Install 1.0", "Old install.\n")
        .page("p/2.0/index.md", "Prod 2.0", "New.\n")
        .page(
            "p/2.0/install/index.md",
            "Install 2.0",
            &format!("See [the guide]({link}).\n"),
        )
}

/// `folio check --deny warnings` on the date both lines are out.
fn strict_check(site: &TestSite) -> crate::harness::Run {
    site.folio(&[
        "check",
        "{root}",
        "--as-of",
        "2022-01-01",
        "--deny",
        "warnings",
    ])
}

#[test]
fn a_link_into_another_version_is_a_warning_at_the_link() {
    let site = versioned_site("../../1.0/install/");
    site.folio(&["check", "{root}", "--as-of", "2022-01-01"])
        .expect_code(0)
        .expect_stderr("warning[cross-version-link]: link `../../1.0/install/` leaves the Prod 2.0 docs for Prod 1.0")
        .expect_stderr("content/p/2.0/install/index.md:4:17");
    strict_check(&site).expect_code(1);
}

#[test]
fn latest_urls_reach_the_newest_documented_line() {
    let site = versioned_site("/p/latest/install/");
    strict_check(&site).expect_code(0);
    site.folio(&["build", "{root}", "--quiet", "--as-of", "2022-01-01"])
        .expect_code(0);
    let alias = site.read("public/p/latest/install/index.html");
    assert!(
        alias.contains("<link rel=\"canonical\" href=\"/p/2.0/install/\">"),
        "{alias}"
    );
    assert!(alias.contains("<meta http-equiv=\"refresh\" content=\"0; url=/p/2.0/install/\">"));
    site.folio(&["build", "{root}", "--quiet", "--as-of", "2020-06-01"])
        .expect_code(0);
    assert!(
        site.read("public/p/latest/install/index.html")
            .contains("href=\"/p/1.0/install/\"")
    );
}

#[test]
fn folio_yaml_sets_the_severity_of_each_check() {
    let site = TestSite::new()
        .page("index.md", "Home", "[gone](/nowhere/)\n")
        .page("orphan/page/index.md", "Orphan", "x\n");
    site.folio(&["check", "{root}"])
        .expect_code(1)
        .expect_stderr("error[broken-link]")
        .expect_stderr("warning[missing-parent]");
    site.write(
        "folio.yaml",
        "checks:\n  broken-link: warning\n  missing-parent: off\n",
    );
    let run = site.folio(&["check", "{root}"]);
    run.expect_code(0).expect_stderr("warning[broken-link]");
    assert!(!run.stderr.contains("missing-parent"), "{}", run.stderr);
    site.write("folio.yaml", "checks:\n  broken-links: warning\n");
    site.folio(&["check", "{root}"])
        .expect_code(1)
        .expect_stderr("folio.yaml:2:3")
        .expect_stderr("unknown variant `broken-links`");
}

#[test]
fn build_strict_fails_on_check_errors_and_writes_nothing() {
    let site = TestSite::new().page("index.md", "Home", "[gone](/nowhere/)\n");
    site.folio(&["build", "{root}", "--quiet"]).expect_code(0);
    std::fs::remove_dir_all(site.root().join("public")).expect("clean");
    site.folio(&["build", "{root}", "--strict"])
        .expect_code(1)
        .expect_stderr("error[broken-link]: link `/nowhere/` leads nowhere");
    assert!(!site.exists("public"));
}

/// A web server on a free port answering 200 for `/ok` and 404 for anything else.
fn tiny_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let status = if request.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                &stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    port
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let port = tiny_server();
    let closed = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let body = format!(
        "[ok](http://127.0.0.1:{port}/ok) and [gone](http://127.0.0.1:{port}/gone)\n\n[down](http://127.0.0.1:{closed}/x)\n"
    );
    let site = TestSite::new().page("index.md", "Home", &body);
    site.folio(&["check", "{root}"]).expect_code(0);
    let run = site.folio(&["check", "{root}", "--external"]);
    run.expect_code(1)
        .expect_stderr(&format!(
            "error[external-link]: external link `http://127.0.0.1:{port}/gone` answers HTTP 404"
        ))
        .expect_stderr("content/index.md:4:")
        .expect_stderr(&format!(
            "external link `http://127.0.0.1:{closed}/x` cannot be reached"
        ));
    assert!(!run.stderr.contains("/ok`"), "{}", run.stderr);
}

/// `folio check` on a committed fixture site, as JSON findings.
fn check_fixture(name: &str, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let root = crate::harness::repo_root()
        .join("tests/fixtures/checks")
        .join(name);
    let mut args: Vec<String> = ["check", "--format", "json", "--as-of", "2022-01-01"]
        .map(String::from)
        .to_vec();
    args.push(root.display().to_string());
    args.extend(extra.iter().map(|a| a.to_string()));
    let run = crate::harness::folio_in(&crate::harness::repo_root(), &args);
    let findings = run
        .stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("JSON finding"))
        .collect();
    (run.code, findings)
}

#[test]
fn each_planted_fault_is_found_at_its_place_and_the_clean_twin_passes() {
    let (code, findings) = check_fixture("bad", &[]);
    assert_eq!(code, 1);
    let found: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{}:{} {}",
                f["severity"].as_str().unwrap_or(""),
                f["code"].as_str().unwrap_or(""),
                f["file"].as_str().unwrap_or(""),
                f["position"]["line"],
                f["position"]["column"],
                f["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "error front-matter-type content/about/index.md:3:1 `menuWeight` must be a whole number, found the text `first`",
            "warning missing-title content/app/2.0/faq/index.md:2:1 `title` is empty; its title is taken from its file name: `faq`",
            "error broken-anchor content/app/2.0/setup/index.md:7:28 link `#instal-the-agent`: `/app/2.0/setup/` has no id `instal-the-agent`",
            "warning cross-version-link content/app/2.0/setup/index.md:7:73 link `/app/1.0/` leaves the App 2.0 docs for App 1.0",
            "error duplicate-url content/changes/index.md:null:null `content/changes.md` and `content/changes/index.md` both become the page `/changes/`",
            "error broken-link content/index.md:4:48 link `/guides/old/` leads nowhere: the site has no page or file at `/guides/old/`",
            "warning hidden-parent content/internal/notes/index.md:null:null `/internal/notes/` is in navigation but its parent `/internal/` is hidden (`menuWeight: -1`)",
            "warning missing-parent content/reference/api/index.md:null:null `/reference/api/` has no parent page `/reference/`",
            "error template templates/guide.html:2:67 Invalid type for the value, expected `string` but got `undefined`",
        ]
    );
    let (code, findings) = check_fixture("clean", &["--deny", "warnings"]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}
