//! Syntax highlighting of fenced code, through the real binary: classes per language,
//! unknown languages, `highlight: false`, and `check`, which colours nothing.

use crate::harness::TestSite;

const PAGE: &str = "\
Install:

```bash
helm install kommander ./chart --set 'a=b' # quoted
```

```yaml
apiVersion: v1
kind: ConfigMap
name: \"{{ .Release.Name }}\"
```

```python
def ready(timeout: int) -> bool:
    return True
```

```text
plain words
```
";

fn code_site(body: &str) -> TestSite {
    TestSite::new().page("guide.md", "Guide", body)
}

/// The first `<pre>` element of the page whose code has `class`.
fn block(html: &str, class: &str) -> String {
    let code = html
        .find(&format!("<code class=\"{class}\">"))
        .unwrap_or_else(|| panic!("no {class} block in\n{html}"));
    let start = html[..code].rfind("<pre").expect("pre");
    let end = code + html[code..].find("</pre>").expect("end of pre") + "</pre>".len();
    html[start..end].to_string()
}

#[test]
fn bash_yaml_and_python_get_token_classes() {
    let site = code_site(PAGE);
    let run = site.build();
    run.expect_code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let html = site.read("public/guide/index.html");
    let bash = block(&html, "language-bash");
    assert!(bash.starts_with("<pre class=\"hl\">"), "{bash}");
    assert!(
        bash.contains("<span class=\"hl-function\">helm</span>"),
        "{bash}"
    );
    assert!(
        bash.contains("<span class=\"hl-comment\"># quoted</span>"),
        "{bash}"
    );
    let yaml = block(&html, "language-yaml");
    assert!(
        yaml.contains("<span class=\"hl-property\">apiVersion</span>"),
        "{yaml}"
    );
    assert!(
        yaml.contains("{{ .Release.Name }}"),
        "template syntax stays as written: {yaml}"
    );
    let python = block(&html, "language-python");
    assert!(
        python.contains("<span class=\"hl-keyword\">def</span>"),
        "{python}"
    );
    let text = block(&html, "language-text");
    assert_eq!(
        text,
        "<pre><code class=\"language-text\">plain words\n</code></pre>"
    );
    assert!(!html.contains(" style=\""), "inline styles in\n{html}");
}

#[test]
fn a_highlighted_block_keeps_its_shape() {
    let site =
        code_site("```sh\nexport KUBECONFIG=$(pwd)/admin.conf\nkubectl get nodes -o wide\n```\n");
    site.build().expect_code(0);
    insta::assert_snapshot!(block(&site.read("public/guide/index.html"), "language-sh"));
}

#[test]
fn an_unknown_language_stays_plain_with_one_warning() {
    let site = code_site("# Guide\n\n```cue\na: 1\n```\n\nText.\n\n```CUE\n<b>: 2\n```\n").page(
        "other.md",
        "Other",
        "```cue\nc: 3\n```\n\n```dhall\nlet x = 1\n```\n",
    );
    let run = site.build();
    run.expect_code(0)
        .expect_stderr("warning[unknown-language]: no syntax highlighting for language `cue`: 3 blocks left plain (this is the first)\n --> content/guide.md:")
        .expect_stderr("warning[unknown-language]: no syntax highlighting for language `dhall`: 1 block left plain");
    assert_eq!(
        run.stderr.matches("[unknown-language]").count(),
        2,
        "{}",
        run.stderr
    );
    let html = site.read("public/guide/index.html");
    assert!(
        html.contains("<pre><code class=\"language-cue\">a: 1\n</code></pre>"),
        "{html}"
    );
    assert!(html.contains("&lt;b&gt;: 2"), "{html}");
}

#[test]
fn the_warning_points_at_the_fence() {
    let site = code_site("Intro.\n\n- step\n\n  ```cue\n  a: 1\n  ```\n");
    site.build()
        .expect_code(0)
        .expect_stderr("--> content/guide.md:8:6\n  |\n8 |   ```cue");
}

#[test]
fn highlight_false_leaves_code_plain() {
    let site = code_site(PAGE).file("folio.yaml", "title: Plain\nhighlight: false\n");
    site.build().expect_code(0);
    let html = site.read("public/guide/index.html");
    assert!(!html.contains("hl-"), "{html}");
    assert!(
        html.contains("<pre><code class=\"language-bash\">helm install"),
        "{html}"
    );
}

#[test]
fn check_reports_unknown_languages_without_highlighting() {
    let site = code_site(&format!("{PAGE}\n```cue\na: 1\n```\n"));
    site.folio(&["check", "{root}"])
        .expect_code(0)
        .expect_stderr(
            "warning[unknown-language]: no syntax highlighting for language `cue`: 1 block",
        );
    let site = code_site(PAGE).file("folio.yaml", "title: Plain\nhighlight: false\n");
    let run = site.folio(&["check", "{root}"]);
    run.expect_code(0);
    assert!(!run.stderr.contains("unknown-language"), "{}", run.stderr);
}

#[test]
fn the_copy_button_script_is_on_every_page() {
    let site = code_site(PAGE);
    site.build().expect_code(0);
    let html = site.read("public/guide/index.html");
    assert!(html.contains("src=\"/_folio/code.js\""), "{html}");
    let script = site.read("public/_folio/code.js");
    assert!(script.contains("Copied"), "{script}");
}

#[test]
fn checking_options_look_languages_up_but_colour_nothing() {
    let site = code_site(&format!("{PAGE}\n```cue\na: 1\n```\n"));
    let args = folio::cli::SiteArgs {
        root: site.root().to_path_buf(),
        env: None,
        format: folio::diag::render::Format::Human,
        as_of: None,
        dataset: None,
        drafts: false,
        drafts_by_default: false,
    };
    let options = folio::cmd::resolve_site(&args).expect("options");
    let built = folio::pipeline::build_site(&folio::cmd::check::checking(options), &|_| {});
    let html = &built.markdown[0].as_ref().expect("markdown").html;
    assert!(
        html.contains("<pre><code class=\"language-bash\">helm"),
        "{html}"
    );
    assert!(!html.contains("hl-"), "{html}");
    let codes: Vec<&str> = built.diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["unknown-language"]);
}

#[test]
fn token_colours_meet_aa_contrast_in_both_modes() {
    use crate::theme_contrast::{contrast, palette};
    let read = |path: &str| {
        std::fs::read_to_string(crate::harness::repo_root().join(path)).expect("stylesheet")
    };
    let pre_bg = palette(&read("src/render/theme/style.css"))["pre-bg"];
    let tokens = palette(&read("src/render/theme/css/highlight.css"));
    assert!(tokens.len() > 20, "{}", tokens.len());
    for (name, colour) in tokens.iter().filter(|(n, _)| !n.ends_with("-bg")) {
        let background = tokens.get(&format!("{name}-bg")).copied().unwrap_or(pre_bg);
        for (mode, fg, bg) in [
            ("light", colour.light, background.light),
            ("dark", colour.dark, background.dark),
        ] {
            let ratio = contrast(fg, bg);
            assert!(ratio >= 4.5, "--{name} in {mode} mode: {ratio:.2}");
        }
    }
}

#[test]
fn serve_highlights_edited_pages() {
    let site = code_site("```bash\nls -la\n```\n");
    let server = crate::serve::Server::start(&site, &[]);
    server.wait_for_text("/guide/", "<span class=\"hl-function\">ls</span>");
    site.write(
        "content/guide.md",
        "---\ntitle: Guide\n---\n```bash\nls -la\n```\n\n```yaml\nedited: true\n```\n",
    );
    let page = server.wait_for_text("/guide/", "<span class=\"hl-property\">edited</span>");
    assert!(
        page.body.contains("<span class=\"hl-function\">ls</span>"),
        "{}",
        page.body
    );
}

#[test]
fn the_copy_button_works_from_the_keyboard_and_says_copied() {
    let site = code_site("```bash\necho copied-text\n```\n");
    let built = {
        site.build().expect_code(0);
        site.read("public/guide/index.html")
    };
    assert!(
        !built.contains("copy-code"),
        "buttons come from the script only"
    );
    let server = crate::serve::Server::start(&site, &[]);
    crate::browser::in_browser(async |browser| {
        let url = format!("http://127.0.0.1:{}/guide/", server.port);
        browser.goto(&url).await.expect("open the page");
        let found = "return !!document.querySelector('.code-block > button.copy-code')";
        crate::browser::wait_for(browser, found, "a copy button").await;
        let button = browser
            .find(fantoccini::Locator::Css("button.copy-code"))
            .await
            .expect("the button");
        assert_eq!(button.text().await.expect("text"), "Copy");
        button
            .send_keys(&fantoccini::key::Key::Enter.to_string())
            .await
            .expect("press Enter");
        let copied = "return document.querySelector('button.copy-code').textContent === 'Copied'";
        crate::browser::wait_for(browser, copied, "\"Copied\" on the button").await;
    });
}
