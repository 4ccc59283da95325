//! The README and docs/ are kept true: every `console` example is run and its output
//! compared, every `yaml` block is validated as what it shows (a dataset, `folio.yaml`, or
//! at least YAML), and every flag a `sh` synopsis names exists in `--help`.

use std::path::Path;

use crate::harness::{TestSite, example_site_copy, folio_in, repo_root};

/// A fenced block of a doc file.
#[derive(Debug)]
struct Block {
    /// `README.md:30`, for messages.
    origin: String,
    lang: String,
    text: String,
}

fn doc_files() -> Vec<std::path::PathBuf> {
    let root = repo_root();
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<_> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

fn blocks_of(path: &Path) -> Vec<Block> {
    let text = std::fs::read_to_string(path).expect("doc");
    let name = path
        .strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string();
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    for (index, line) in text.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(lang)) => open = Some((index + 1, lang.trim().to_string(), String::new())),
            (Some(_), Some("")) => {
                let (at, lang, text) = open.take().expect("open block");
                let origin = format!("{name}:{at}");
                blocks.push(Block { origin, lang, text });
            }
            (Some((_, _, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

fn all_blocks(lang: &str) -> Vec<Block> {
    let files = doc_files();
    let blocks = files.iter().flat_map(|f| blocks_of(f));
    blocks.filter(|b| b.lang == lang).collect()
}

/// `$ folio ...` commands and the output shown under each.
fn commands(block: &Block) -> Vec<(Vec<String>, String)> {
    let mut found: Vec<(Vec<String>, String)> = Vec::new();
    for line in block.text.lines() {
        match line.strip_prefix("$ ") {
            Some(command) => {
                let words = command.split_whitespace().map(String::from).collect();
                found.push((words, String::new()));
            }
            None => {
                let (_, output) = found.last_mut().expect("output after a command");
                output.push_str(line);
                output.push('\n');
            }
        }
    }
    found
}

#[test]
fn every_console_example_runs_and_prints_what_it_shows() {
    let blocks = all_blocks("console");
    assert!(blocks.len() >= 2, "{blocks:?}");
    let site = example_site_copy();
    for block in &blocks {
        for (words, expected) in commands(block) {
            assert_eq!(
                words[0], "folio",
                "{}: only folio commands run",
                block.origin
            );
            let run = folio_in(site.root(), &words[1..]);
            assert_eq!(
                run.code,
                0,
                "{}: `{}` failed:\n{}",
                block.origin,
                words.join(" "),
                run.stderr
            );
            if expected.is_empty() {
                continue;
            }
            let printed = format!("{}{}", run.stdout, run.stderr);
            assert_eq!(
                printed.trim_end(),
                expected.trim_end(),
                "{}: `{}` prints something else",
                block.origin,
                words.join(" ")
            );
        }
    }
}

/// What a yaml block shows, from its top-level keys.
fn top_level_keys(yaml: &str) -> Vec<String> {
    let value: serde_json::Value =
        serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("not YAML: {e}\n{yaml}"));
    match value {
        serde_json::Value::Object(map) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

const CONFIG_KEYS: &[&str] = &[
    "title",
    "base_url",
    "output",
    "layouts",
    "default_layout",
    "environments",
    "dataset",
    "checks",
    "search",
    "highlight",
    "lastmod",
    "edit_url",
    "noindex_ended",
];

#[test]
fn every_yaml_block_is_valid_as_what_it_shows() {
    let blocks = all_blocks("yaml");
    let (mut datasets, mut configs) = (0, 0);
    for block in &blocks {
        let keys = top_level_keys(&block.text);
        let shown = TestSite::new().page("index.md", "Home", "Hello\n");
        let run = if keys.iter().any(|k| k == "products") {
            datasets += 1;
            shown.write("data/versions.yaml", &block.text);
            shown.folio(&["versions", "{root}"])
        } else if !keys.is_empty() && keys.iter().all(|k| CONFIG_KEYS.contains(&k.as_str())) {
            configs += 1;
            shown.write("folio.yaml", &block.text);
            shown.folio(&["build", "{root}", "--quiet"])
        } else {
            continue;
        };
        assert_eq!(
            run.code, 0,
            "{} does not validate:\n{}{}",
            block.origin, run.stderr, block.text
        );
    }
    assert!(
        datasets >= 1 && configs >= 2,
        "datasets {datasets}, configs {configs}"
    );
}

#[test]
fn every_flag_a_synopsis_names_exists() {
    for block in all_blocks("sh") {
        for line in block.text.lines().filter(|l| l.starts_with("folio ")) {
            let command = line.split_whitespace().nth(1).expect("subcommand");
            let help = folio_in(&repo_root(), &[command, "--help"]);
            assert_eq!(help.code, 0, "{}: no command `{command}`", block.origin);
            let flags = line.split(['[', ']', ' ']).filter(|w| w.starts_with("--"));
            for flag in flags {
                assert!(
                    help.stdout.contains(&format!("{flag} "))
                        || help.stdout.contains(&format!("{flag}\n")),
                    "{}: `folio {command}` has no {flag}",
                    block.origin
                );
            }
        }
    }
}

/// The names in the first column of the markdown table under `heading` in `text`.
fn table_keys(text: &str, heading: &str) -> Vec<String> {
    let section = text.split(heading).nth(1).expect("heading");
    let rows = section.lines().skip_while(|l| !l.starts_with('|')).skip(2);
    let rows = rows.take_while(|l| l.starts_with('|'));
    rows.flat_map(|row| {
        let cell = row.split('|').nth(1).unwrap_or("").to_string();
        let names: Vec<String> = cell
            .split(',')
            .map(|k| k.trim().trim_matches('`').to_string())
            .collect();
        names
    })
    .collect()
}

#[test]
fn the_template_reference_lists_every_page_variable() {
    let reference =
        std::fs::read_to_string(repo_root().join("docs/templates.md")).expect("templates.md");
    let mut documented = table_keys(&reference, "### `page`");
    documented.sort();
    let site = TestSite::new().page("index.md", "Home", "Hi\n").file(
        "templates/page.html",
        "{% for key, value in page %}{{ key }}\n{% endfor %}",
    );
    site.build().expect_code(0);
    let mut keys: Vec<String> = site
        .read("public/index.html")
        .lines()
        .map(String::from)
        .collect();
    keys.sort();
    assert_eq!(
        keys, documented,
        "docs/templates.md's `page` table and the page context differ"
    );
}

#[test]
fn the_documented_json_finding_is_what_folio_prints() {
    let block = all_blocks("json").into_iter().next().expect("a json block");
    let shown: serde_json::Value = serde_json::from_str(&block.text).expect("json");
    let site = TestSite::new().page("a.md", "A", "[gone](gone.md)\n");
    let run = site.folio(&["check", "{root}", "--format", "json"]);
    let findings = run.findings();
    let printed = &findings
        .iter()
        .find(|f| f.code() == "broken-link")
        .expect("finding")
        .0;
    assert_eq!(printed, &shown, "{}", block.origin);
}
