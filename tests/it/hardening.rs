//! Bad input and bad luck: output paths that must not be replaced, a build killed at each
//! system call of the output swap (strace's fault injection kills it for real), signals,
//! concurrent builds. Each case asserts the message, the exit code and that the previous
//! output is untouched.

use std::path::Path;
use std::process::Command;

use crate::harness::{Run, TestSite};

fn site() -> TestSite {
    TestSite::new()
        .page("index.md", "Home", "The old words.\n")
        .file(
            "templates/shortcodes/note.html",
            "<aside>{{ body }}</aside>\n",
        )
        .file("static/logo.txt", "logo\n")
        .file("data/versions.yaml", "products: {}\n")
}

#[test]
fn an_output_that_is_holds_or_sits_in_a_source_folder_is_refused_before_writing() {
    let site = site();
    let cases = [
        ("templates", "collides with `templates/`"),
        ("templates/shortcodes", "collides with `templates/`"),
        ("static", "collides with `static/`"),
        ("data", "holds `data/versions.yaml`"),
        ("data/out", "collides with `data/`"),
        ("content", "inside the site's pages"),
        ("content/public", "inside the site's pages"),
        ("{root}", "holds the site's sources"),
    ];
    for (output, message) in cases {
        let output = output.replace("{root}", &site.root().display().to_string());
        site.folio(&["build", "{root}", "--quiet", "--output", &output])
            .expect_code(2)
            .expect_stderr("refusing to write into")
            .expect_stderr(message);
    }
    assert_eq!(
        site.read("templates/shortcodes/note.html"),
        "<aside>{{ body }}</aside>\n"
    );
    assert_eq!(site.read("static/logo.txt"), "logo\n");
    assert_eq!(site.read("data/versions.yaml"), "products: {}\n");
    assert!(!site.exists("data/out") && !site.exists("content/public"));
}

#[test]
fn an_output_that_is_a_file_or_a_dangling_link_is_refused_and_a_link_to_a_folder_followed() {
    let site = site().file("out.txt", "keep me\n");
    site.folio(&["build", "{root}", "--quiet", "--output", "out.txt"])
        .expect_code(2)
        .expect_stderr("refusing to replace")
        .expect_stderr("it is a file, not a folder");
    assert_eq!(site.read("out.txt"), "keep me\n");

    let site = site.symlink("gone", "nowhere");
    site.folio(&["build", "{root}", "--quiet", "--output", "gone"])
        .expect_code(2)
        .expect_stderr("a symlink to nothing");

    std::fs::create_dir_all(site.root().join("releases/v1")).expect("mkdir");
    let site = site.symlink("live", "releases/v1");
    site.folio(&["build", "{root}", "--quiet", "--output", "live"])
        .expect_code(0);
    let link = std::fs::symlink_metadata(site.root().join("live")).expect("link");
    assert!(
        link.file_type().is_symlink(),
        "the deploy link stays a link"
    );
    assert!(
        site.read("releases/v1/index.html")
            .contains("The old words.")
    );
}

/// `folio build` under strace, with each `inject` a fault (`renameat2:signal=SIGKILL:when=1`).
fn build_under_strace(site: &TestSite, injects: &[&str]) -> Run {
    let mut command = Command::new("strace");
    command.args(["-f", "-qq", "-o", "/dev/null"]);
    for inject in injects {
        command.args(["-e", &format!("inject={inject}")]);
    }
    let output = command
        .arg(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--quiet"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("strace runs (scripts/test.sh installs it)");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The names in the site root that are not the site's own folders, nor the lock and
/// the build cache kept beside the output.
fn leftovers(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.folio-"))
        .filter(|n| n != ".public.folio-lock" && n != ".public.folio-cache")
        .collect();
    names.sort();
    names
}

fn old_then_new() -> TestSite {
    let site = site();
    site.build().expect_code(0);
    site.write(
        "content/index.md",
        "---\ntitle: Home\n---\nThe new words.\n",
    );
    site
}

#[test]
fn a_kill_at_the_atomic_exchange_or_after_it_leaves_a_whole_site() {
    let site = old_then_new();
    build_under_strace(&site, &["renameat2:signal=SIGKILL:when=1"]);
    assert!(site.read("public/index.html").contains("The old words."));
    assert_eq!(
        leftovers(site.root()).len(),
        1,
        "the killed build's staging folder"
    );

    site.build().expect_code(0);
    assert!(site.read("public/index.html").contains("The new words."));
    assert_eq!(leftovers(site.root()), Vec::<String>::new());

    // The first unlink removes a file of the previous site, after the exchange.
    site.write(
        "content/index.md",
        "---\ntitle: Home\n---\nThe newest words.\n",
    );
    build_under_strace(&site, &["unlink:signal=SIGKILL:when=1"]);
    assert!(site.read("public/index.html").contains("The newest words."));
    site.build().expect_code(0);
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

/// The build cache is saved (a temporary file renamed over the old one) before the swap:
/// a build killed at that rename leaves the old site and its old cache, and the next
/// build makes what a fresh build makes.
#[test]
fn a_kill_while_the_build_cache_is_saved_leaves_the_old_site_and_a_cache_that_still_fits() {
    let site = site()
        .file("folio.yaml", "title: T\nsearch: false\n")
        .page("other.md", "Other", "Stays.\n");
    site.build().expect_code(0);
    site.write(
        "content/index.md",
        "---\ntitle: Home\n---\nThe new words.\n",
    );
    build_under_strace(&site, &["renameat:signal=SIGKILL:when=1"]);
    assert!(site.read("public/index.html").contains("The old words."));
    assert!(site.exists(".public.folio-cache"));
    let half_written = leftovers(site.root());
    assert!(
        half_written
            .iter()
            .any(|name| name.starts_with(".public.folio-cache-")),
        "the killed build's temporary cache file: {half_written:?}"
    );

    let run = site.folio(&["build", "{root}"]);
    run.expect_code(0)
        .expect_stderr("unchanged since the last build");
    site.folio(&["build", "{root}", "--quiet", "--output", "fresh"])
        .expect_code(0);
    let (public, fresh) = (site.root().join("public"), site.root().join("fresh"));
    assert!(
        crate::harness::snapshot_tree(&public) == crate::harness::snapshot_tree(&fresh),
        "the rebuilt site differs from a fresh build"
    );
    assert!(site.read("public/index.html").contains("The new words."));
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn without_the_exchange_a_kill_between_the_two_renames_is_repaired_by_the_next_build() {
    let no_exchange = "renameat2:error=EINVAL";
    let site = old_then_new();
    build_under_strace(&site, &[no_exchange, "rename:signal=SIGKILL:when=1"]);
    assert!(site.read("public/index.html").contains("The old words."));

    build_under_strace(&site, &[no_exchange, "rename:signal=SIGKILL:when=2"]);
    assert!(!site.exists("public"), "killed between the renames");
    assert_eq!(
        leftovers(site.root()).len(),
        2,
        "{:?}",
        leftovers(site.root())
    );

    site.write("content/broken.md", "---\ntitle: [unclosed\n---\n");
    site.build().expect_code(1);
    assert!(
        site.read("public/index.html").contains("The old words."),
        "even a failed build puts the old site back"
    );

    std::fs::remove_file(site.root().join("content/broken.md")).expect("rm");
    build_under_strace(&site, &[no_exchange]).expect_code(0);
    assert!(site.read("public/index.html").contains("The new words."));
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn sigint_while_writing_removes_the_staging_folder_and_exits_130() {
    let site = old_then_new();
    // The third mkdir is the first folder inside the staging folder; it returns half a
    // second late, so the signal is handled before the writing goes on.
    let sigint = "mkdir:signal=SIGINT:delay_exit=500000:when=3";
    build_under_strace(&site, &[sigint]).expect_code(130);
    assert!(site.read("public/index.html").contains("The old words."));
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn a_second_build_of_the_same_output_waits_for_the_first() {
    let site = old_then_new();
    let lock = std::fs::File::options()
        .write(true)
        .open(site.root().join(".public.folio-lock"))
        .expect("lock file");
    lock.lock().expect("lock");
    let root = site.root().to_path_buf();
    let second =
        std::thread::spawn(move || crate::harness::folio_in(&root, &["build", ".", "--quiet"]));
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(!second.is_finished(), "the second build waits for the lock");
    assert!(site.read("public/index.html").contains("The old words."));
    drop(lock);
    let run = second.join().expect("second build");
    run.expect_code(0)
        .expect_stderr("waiting for another build of this output");
    assert!(site.read("public/index.html").contains("The new words."));
}

/// The old site is removed by a detached `folio` process that holds the output's lock:
/// the build ends without waiting (here its standard error is a file, which nothing waits
/// on), and once the lock is free nothing is left and nothing was said.
#[test]
fn the_old_site_is_gone_once_the_outputs_lock_is_free_and_nothing_was_said() {
    let site = old_then_new();
    let said = site.root().join("said.txt");
    let status = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--quiet"])
        .arg(site.root())
        .stderr(std::fs::File::create(&said).expect("said.txt"))
        .status()
        .expect("folio runs");
    assert!(status.success());
    assert!(site.read("public/index.html").contains("The new words."));
    let lock = std::fs::File::open(site.root().join(".public.folio-lock")).expect("lock");
    let started = std::time::Instant::now();
    while lock.try_lock().is_err() {
        assert!(
            started.elapsed().as_secs() < 30,
            "the remover never let go of the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
    assert_eq!(std::fs::read_to_string(&said).expect("said"), "");
}

/// The remover removes only a folder named like a swapped-out site.
#[test]
fn the_remover_refuses_a_folder_that_is_not_a_swapped_out_site() {
    let site = site();
    site.build().expect_code(0);
    let run = site.folio(&["__remove-old-site", "{root}/public"]);
    run.expect_code(2)
        .expect_stderr("is not a site a build swapped out");
    assert!(site.exists("public/index.html"));
}

#[test]
fn an_old_site_that_cannot_be_removed_is_a_warning_once_the_new_one_is_live() {
    let site = old_then_new();
    let run = build_under_strace(&site, &["unlink:error=EPERM", "unlinkat:error=EPERM"]);
    run.expect_code(0)
        .expect_stderr("warning: the new site is live, but the old one was not removed")
        .expect_stderr("the next build removes it");
    assert!(site.read("public/index.html").contains("The new words."));
    assert_eq!(leftovers(site.root()).len(), 1);
    site.build().expect_code(0);
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn pages_named_with_url_characters_get_hrefs_a_browser_reads_whole() {
    let names = ["c#sharp", "what?", "100%", "with space", "amp&er"];
    let mut site = TestSite::new().page(
        "index.md",
        "Home",
        "[c](c%23sharp.md) [w](what%3F.md) [p](100%25.md) [s](<with space.md>) [amp](amp&er.md)\n",
    );
    for name in names {
        site = site.page(&format!("{name}.md"), &format!("Page {name}"), "Body.\n");
    }
    site.folio(&["check", "{root}"]).expect_code(0);
    site.folio(&[
        "build",
        "{root}",
        "--quiet",
        "--base-url",
        "https://docs.example.com/",
    ])
    .expect_code(0);
    let home = site.read("public/index.html");
    let sitemap = site.read("public/sitemap.xml");
    for (name, href) in [
        ("c#sharp", "/c%23sharp/"),
        ("what?", "/what%3F/"),
        ("100%", "/100%25/"),
        ("with space", "/with%20space/"),
        ("amp&er", "/amp%26er/"),
    ] {
        let nav_link = format!("href=\"{href}\">Page {}", name.replace('&', "&amp;"));
        assert!(home.contains(&nav_link), "{nav_link} in\n{home}");
        assert!(site.exists(&format!("public/{name}/index.html")), "{name}");
        assert!(
            sitemap.contains(&format!("https://docs.example.com{href}")),
            "{href}"
        );
    }
    for raw in [
        "href=\"/c#sharp/\"",
        "href=\"/what?/\"",
        "href=\"/100%/\"",
        "href=\"/with space/\"",
    ] {
        assert!(!home.contains(raw), "{raw}");
    }
}

#[test]
fn links_out_of_the_root_in_static_and_templates_are_errors_and_never_walked() {
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("page.html"), "{{ page.title }}").expect("write");
    let site = site();
    site.build().expect_code(0);
    let before = crate::harness::snapshot_tree(&site.root().join("public"));
    let site = site.symlink("static/etc", "/etc").symlink(
        "templates/page.html",
        &outside.path().join("page.html").display().to_string(),
    );
    let run = site.folio(&["build", "{root}", "--quiet", "--format", "json"]);
    run.expect_code(1);
    let outside_root: Vec<_> = run
        .findings()
        .into_iter()
        .filter(|f| f.code() == "symlink-outside-root")
        .map(|f| (f.file().unwrap_or("").to_string(), f.message().to_string()))
        .collect();
    assert_eq!(outside_root.len(), 2, "{outside_root:?}");
    assert!(
        outside_root
            .iter()
            .any(|(file, m)| file == "static/etc" && m.contains("`/etc`"))
    );
    assert!(
        outside_root
            .iter()
            .any(|(file, _)| file == "templates/page.html")
    );
    assert!(!run.stdout.contains("passwd") && !run.stderr.contains("passwd"));
    assert_eq!(
        crate::harness::snapshot_tree(&site.root().join("public")),
        before
    );
}

#[test]
fn a_page_that_is_not_utf8_is_named_with_the_line_and_column_of_the_bad_byte() {
    let site = site();
    std::fs::write(
        site.root().join("content/latin1.md"),
        b"---\ntitle: Caf\xe9\n---\nfine\n".as_slice(),
    )
    .expect("write");
    site.build()
        .expect_code(1)
        .expect_stderr("error[encoding]: page is not valid UTF-8: byte 0xE9")
        .expect_stderr("--> content/latin1.md:2:11")
        .expect_stderr("save the file as UTF-8");
}

#[test]
fn an_out_of_range_source_date_epoch_says_so() {
    let site = site();
    let run = |epoch: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["build", "--quiet"])
            .arg(site.root())
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .expect("run");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stderr) = run("99999999999999");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("is out of range"), "{stderr}");
    let (code, stderr) = run("soon");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("is not a number of seconds"), "{stderr}");
}

/// A page whose includes fan out: `f0.tmpl` holds ten `#include`s of `f1.tmpl`, and so on
/// down to `f{levels}.tmpl`, a line of text.
fn fan_out_site(levels: usize) -> TestSite {
    let mut site = site().page("bomb.md", "Bomb", "#include /f0.tmpl\n");
    for level in 0..levels {
        let line = format!("#include /f{}.tmpl\n", level + 1);
        site = site.file(&format!("content/f{level}.tmpl"), &line.repeat(10));
    }
    site.file(&format!("content/f{levels}.tmpl"), &"x".repeat(100))
}

#[test]
fn an_include_fan_out_stops_at_the_page_size_limit_with_the_chain() {
    let site = fan_out_site(8);
    let started = std::time::Instant::now();
    let run = site.folio(&["build", "{root}", "--quiet", "--format", "json"]);
    run.expect_code(1);
    let findings = run.findings();
    let too_large: Vec<_> = findings
        .iter()
        .filter(|f| f.code() == "page-too-large")
        .collect();
    assert_eq!(too_large.len(), 1, "{findings:?}");
    let message = too_large[0].message();
    assert!(message.contains("past 32 MB"), "{message}");
    assert!(
        message.contains("content/bomb.md -> content/f0.tmpl -> content/f1.tmpl"),
        "{message}"
    );
    assert!(
        too_large[0].0["help"]
            .as_str()
            .unwrap_or("")
            .contains("page_size_limit_mb")
    );
    // Stopping at the limit takes seconds at worst; the whole 10^8 lines would not end.
    assert!(started.elapsed() < std::time::Duration::from_secs(60));

    let small = site.file("folio.yaml", "title: T\npage_size_limit_mb: 1\n");
    let run = small.folio(&["build", "{root}", "--quiet"]);
    run.expect_code(1).expect_stderr("past 1 MB");
}

#[test]
fn includes_nested_too_deep_are_named_a_depth_limit_not_a_cycle() {
    let mut site = site().page("deep.md", "Deep", "#include /d0.tmpl\n");
    for level in 0..40 {
        site = site.file(
            &format!("content/d{level}.tmpl"),
            &format!("#include /d{}.tmpl\n", level + 1),
        );
    }
    let site = site.file("content/d40.tmpl", "the bottom\n");
    site.build()
        .expect_code(1)
        .expect_stderr(
            "error[include-depth]: include depth limit: includes nest more than 32 levels deep",
        )
        .expect_stderr("content/d30.tmpl -> content/d31.tmpl\n");
    assert!(!site.build().stderr.contains("include cycle"));
}

#[test]
fn page_text_holding_the_placeholder_characters_builds() {
    // Found by the fuzz smoke: a stray U+E000 before a multi-byte character panicked.
    let site = site().page(
        "odd.md",
        "Odd",
        "[note]x[/note] a \u{E000}é b \u{E000}0\u{E001}\n",
    );
    site.build().expect_code(0);
    let html = site.read("public/odd/index.html");
    assert!(html.contains("a \u{E000}é b \u{E000}0\u{E001}"), "{html}");
    assert!(html.contains("<aside>x</aside>"), "{html}");
}

#[test]
fn templates_that_loop_are_reported_once_at_the_tag_that_starts_the_loop() {
    let site = site()
        .file(
            "templates/a.html",
            "<main>\n{% include \"b.html\" %}\n</main>\n",
        )
        .file("templates/b.html", "{% include \"a.html\" %}\n")
        .file("templates/self.html", "{% extends \"self.html\" %}\n")
        .page("x.md", "X", "x\n");
    let run = site.folio(&["build", "{root}", "--quiet", "--format", "json"]);
    run.expect_code(1);
    let found: Vec<(String, Option<u64>, String)> = run
        .findings()
        .iter()
        .map(|f| {
            (
                f.file().unwrap_or("").to_string(),
                f.line(),
                f.message().to_string(),
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found.contains(&(
            "templates/a.html".into(),
            Some(2),
            "templates include each other in a loop: a.html -> b.html -> a.html".into()
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "templates/self.html".into(),
            Some(1),
            "templates extend each other in a loop: self.html -> self.html".into()
        )),
        "{found:?}"
    );
}

/// One bad input: files written over a site that built, and what the build must say.
#[derive(Clone)]
struct BadInput {
    name: &'static str,
    files: Vec<(&'static str, String)>,
    code: i32,
    says: &'static [&'static str],
}

fn yaml_bomb() -> String {
    let mut text = "---\ntitle: T\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n".to_string();
    for level in 1..9 {
        let aliases = vec![format!("*a{}", level - 1); 10].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{aliases}]\n"));
    }
    text + "---\nbody\n"
}

fn bad_inputs() -> Vec<BadInput> {
    let deep = format!(
        "---\ntitle: T\nx: {}{}\n---\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let recursion = "{% component r(n: integer = 1) -%}x{{ <r n={n + 1} /> }}{%- endcomponent r %}{{ <r n={1} /> }}";
    vec![
        BadInput {
            name: "yaml bomb",
            files: vec![("content/x.md", yaml_bomb())],
            code: 1,
            says: &[
                "error[front-matter-yaml]: the YAML holds too many values",
                "--> content/x.md:8:",
                "use fewer aliases",
            ],
        },
        BadInput {
            name: "tab",
            files: vec![(
                "content/x.md",
                "---\ntitle: T\n\tmenuWeight: 1\n---\n".into(),
            )],
            code: 1,
            says: &[
                "a tab character where YAML expects spaces",
                "--> content/x.md:3:1",
                "indent with spaces",
            ],
        },
        BadInput {
            name: "duplicate key",
            files: vec![("content/x.md", "---\ntitle: T\ntitle: U\n---\n".into())],
            code: 1,
            says: &[
                "`title` appears twice in the same mapping",
                "--> content/x.md:3:1",
            ],
        },
        BadInput {
            name: "deep nesting",
            files: vec![("content/x.md", deep)],
            code: 1,
            says: &[
                "the YAML nests lists and mappings too deeply",
                "--> content/x.md:3:",
            ],
        },
        BadInput {
            name: "unclosed front matter",
            files: vec![("content/x.md", "---\ntitle: T\n".into())],
            code: 1,
            says: &["error[front-matter-unclosed]", "--> content/x.md:1:1"],
        },
        BadInput {
            name: "symlink loop",
            files: vec![],
            code: 1,
            says: &[
                "error[symlink-loop]: symbolic link loop",
                "--> content/loop",
            ],
        },
        BadInput {
            name: "dangling link",
            files: vec![],
            code: 1,
            says: &[
                "error[symlink-dangling]: link points at `nowhere.md`, which does not exist",
                "--> content/dangling.md",
            ],
        },
        BadInput {
            name: "template recursion",
            files: vec![("templates/page.html", recursion.into())],
            code: 1,
            says: &[
                "error[template]: Maximum render recursion depth",
                "--> templates/page.html",
            ],
        },
        BadInput {
            name: "include cycle",
            files: vec![
                (
                    "content/x.md",
                    "---\ntitle: X\n---\n#include /a.tmpl\n".into(),
                ),
                ("content/a.tmpl", "#include /a.tmpl\n".into()),
            ],
            code: 1,
            says: &[
                "error[include-cycle]: include cycle: content/x.md -> content/a.tmpl -> content/a.tmpl",
                "--> content/a.tmpl:1:10",
            ],
        },
        BadInput {
            name: "include out of the root",
            files: vec![(
                "content/x.md",
                "---\ntitle: X\n---\n#include ../../etc/passwd\n".into(),
            )],
            code: 1,
            says: &["error[include-outside-root]", "--> content/x.md:4:10"],
        },
    ]
}

#[test]
fn bad_input_is_an_exact_message_an_exit_code_no_panic_and_the_old_output_kept() {
    // Without search, pages are written into the staging folder as they are rendered.
    for (case, search) in bad_inputs()
        .into_iter()
        .flat_map(|c| [(c.clone(), true), (c, false)])
    {
        let site = site().file("folio.yaml", &format!("title: T\nsearch: {search}\n"));
        site.build().expect_code(0);
        let before = crate::harness::snapshot_tree(&site.root().join("public"));
        for (path, text) in &case.files {
            site.write(path, text);
        }
        let site = match case.name {
            "symlink loop" => site.symlink("content/loop", "."),
            "dangling link" => site.symlink("content/dangling.md", "nowhere.md"),
            _ => site,
        };
        let run = site.build();
        assert_eq!(run.code, case.code, "{}: {}", case.name, run.stderr);
        assert!(
            !run.stderr.contains("panicked"),
            "{}: {}",
            case.name,
            run.stderr
        );
        for said in case.says {
            assert!(
                run.stderr.contains(said),
                "{}: lacks {said:?} in\n{}",
                case.name,
                run.stderr
            );
        }
        assert_eq!(
            crate::harness::snapshot_tree(&site.root().join("public")),
            before,
            "{} (search: {search})",
            case.name
        );
        assert_eq!(
            leftovers(site.root()),
            Vec::<String>::new(),
            "{}",
            case.name
        );
    }
}

#[test]
fn odd_but_valid_input_builds_and_markup_in_values_is_escaped() {
    let site = site()
        .file("content/bom.md", "\u{feff}---\ntitle: With a BOM\n---\nbody\n")
        .file("content/crlf.md", "---\r\ntitle: With CRLF\r\n---\r\nbody\r\n")
        .file("content/empty.md", "")
        .file("content/xss.md", "---\ntitle: \"<script>alert(1)</script>\"\nexcerpt: \"<img src=x onerror=alert(1)>\"\n---\nbody\n");
    let run = site.build();
    run.expect_code(0).expect_stderr("warning[missing-title]");
    assert!(
        site.read("public/bom/index.html")
            .contains("<title>With a BOM")
    );
    assert!(
        site.read("public/crlf/index.html")
            .contains("<title>With CRLF")
    );
    let xss = site.read("public/xss/index.html");
    assert!(
        xss.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{xss}"
    );
    assert!(
        !xss.contains("<script>alert(1)") && !xss.contains("<img src=x onerror"),
        "{xss}"
    );
}

#[test]
fn shortcodes_nested_past_the_limit_are_one_error_at_the_tag_that_passes_it() {
    let depth = 5000;
    let body = format!(
        "{}x\n{}",
        "[message type=note]\n".repeat(depth),
        "[/message]\n".repeat(depth)
    );
    let site = site().page("deep.md", "Deep", &body);
    let run = site.folio(&["build", "{root}", "--quiet", "--format", "json"]);
    run.expect_code(1);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].code(), "shortcode-nesting");
    assert_eq!(
        findings[0].message(),
        "shortcodes nest more than 64 levels deep here"
    );
    // The front matter is 3 lines; the 65th opening tag is the one past the limit.
    assert_eq!(findings[0].line(), Some(3 + 65));
}

#[test]
fn an_output_beside_a_dataset_from_elsewhere_is_fine_but_not_one_holding_it() {
    let site = site();
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let dataset = elsewhere.path().join("versions.yaml");
    std::fs::write(&dataset, "products: {}\n").expect("write");
    let dataset = dataset.display().to_string();
    let beside = elsewhere.path().join("out").display().to_string();
    site.folio(&[
        "build",
        "{root}",
        "--quiet",
        "--dataset",
        &dataset,
        "--output",
        &beside,
    ])
    .expect_code(0);
    let holding = elsewhere.path().display().to_string();
    site.folio(&[
        "build",
        "{root}",
        "--quiet",
        "--dataset",
        &dataset,
        "--output",
        &holding,
    ])
    .expect_code(2)
    .expect_stderr("it holds");
    assert!(std::path::Path::new(&dataset).exists());
}

#[test]
fn a_hostile_page_costs_memory_in_proportion_to_its_size() {
    // One 2 MB line of `[` (each one a possible link), and 2 MB of inline code: markdown's
    // own parse of either takes about 65 bytes a byte; folio kept a second copy of every
    // event for the whole page (147 bytes a byte for the brackets).
    let megabytes = 2;
    let brackets = "[".repeat(megabytes << 20);
    let code = "word `code` ".repeat((megabytes << 20) / 12);
    for (name, body) in [("brackets", brackets), ("code", code)] {
        let site = TestSite::new()
            .file(
                "folio.yaml",
                "title: Hostile\nsearch: false\nhighlight: false\n",
            )
            .page("index.md", "Hostile", &body);
        let (code, peak_kib) = crate::harness::folio_peak_memory_kib(site.root(), &["build"]);
        assert_eq!(code, 0, "{name}");
        let per_byte = (peak_kib << 10) / (megabytes << 20) as u64;
        assert!(
            per_byte < 100,
            "{name}: {peak_kib} KiB at peak, {per_byte} bytes a byte"
        );
    }
}
