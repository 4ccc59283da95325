//! Version facts rendered from small datasets.

use super::facts::{FactArgs, Facts, describe, join};
use crate::dataset::{Dataset, Scope};
use crate::testing::dataset;

fn render(dataset: &Dataset, name: &str, scope: Scope) -> Result<String, String> {
    let facts = Facts {
        dataset,
        as_of: jiff::civil::date(2026, 1, 1),
        base_path: "/",
    };
    facts.render(name, &FactArgs::default(), Some(scope))
}

const ONE_LINE_POLICY: &str = "vendor: ACME\nproducts:\n  p:\n    name: Prod\n    support_window: 1\n    lines:\n      - {line: \"1.0\", ga: 2020-01-01}\n      - {line: \"2.0\", ga: 2021-01-01}\n";

#[test]
fn a_window_of_one_supports_only_the_newest_line() {
    let dataset = dataset(ONE_LINE_POLICY);
    let html = render(
        &dataset,
        "versions_policy",
        Scope {
            product: 0,
            line: Some(1),
        },
    )
    .expect("policy");
    assert!(html.contains("ACME supports N of the latest <code>MAJOR.MINOR</code> line of Prod: only that line, with all patch releases. With Prod 2.0 as the current line, ACME supports Prod 2.0."), "{html}");
    assert!(
        html.contains("When the next line is released, support ends for Prod 2.0.x."),
        "{html}"
    );
    assert!(
        html.contains("The release of Prod 2.0 ended support for Prod 1.0.x."),
        "{html}"
    );
}

#[test]
fn facts_that_need_missing_data_say_what_to_add() {
    let dataset = dataset(ONE_LINE_POLICY);
    let scope = Scope {
        product: 0,
        line: Some(1),
    };
    assert_eq!(
        render(&dataset, "kubernetes_table", scope),
        Err("Prod 2.0 has no Kubernetes range in the dataset; add `kubernetes: {min, max}` to the line".into())
    );
    assert_eq!(
        render(&dataset, "compatibility_table", scope),
        Err("Prod is not paired with another product in the dataset (`pairings:`)".into())
    );
    assert_eq!(
        render(&dataset, "runs_on", scope),
        Err("the dataset has no `runs_on` entry for Prod 2.0".into())
    );
}

#[test]
fn dataset_text_is_escaped() {
    let dataset = dataset(
        "products:\n  p:\n    name: \"<b>P</b>\"\n    lines:\n      - {line: \"1.0\", kubernetes: {min: \"1.1\", max: \"1.2.x\"}}\n",
    );
    let html = render(
        &dataset,
        "kubernetes_table",
        Scope {
            product: 0,
            line: Some(0),
        },
    )
    .expect("table");
    assert!(html.contains("&lt;b&gt;P&lt;/b&gt; 1.0"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
}

#[test]
fn requirements_read_like_docs() {
    let req = |min: Option<&str>, max: Option<&str>, except: &[&str]| {
        crate::dataset::version::Requirement {
            min: min.and_then(crate::dataset::version::Bound::parse),
            max: max.and_then(crate::dataset::version::Bound::parse),
            except: except
                .iter()
                .map(|e| semver::Version::parse(e).expect("v"))
                .collect(),
        }
    };
    assert_eq!(
        describe(&req(Some("1.7"), Some("1.7.x"), &["1.7.23"])),
        "1.7.x, except 1.7.23"
    );
    assert_eq!(
        describe(&req(Some("1.13"), Some("1.17.x"), &[])),
        "1.13 to 1.17.x"
    );
    assert_eq!(
        describe(&req(None, Some("0.10.0"), &[])),
        "0.10.0 or earlier"
    );
    assert_eq!(describe(&req(Some("3.1"), None, &[])), "3.1 or later");
    assert_eq!(
        join(&["a".into(), "b".into(), "c".into()], "or"),
        "a, b or c"
    );
}

#[test]
fn upgrade_paths_list_the_lines_that_upgrade_directly() {
    let dataset = dataset(
        "products:\n  p:\n    name: Prod\n    lines:\n      - {line: \"1.0\", ga: 2020-01-01}\n      - {line: \"1.1\", ga: 2020-06-01}\n      - {line: \"2.0\", ga: 2021-01-01, upgrades_from: [\"1.1\", \"1.0\"]}\n",
    );
    let scope = |line| Scope {
        product: 0,
        line: Some(line),
    };
    assert_eq!(
        render(&dataset, "upgrade_paths", scope(2)).as_deref(),
        Ok("<p class=\"upgrade-paths\">You can upgrade to Prod 2.0 from Prod 1.1 or 1.0.</p>\n")
    );
    assert_eq!(
        render(&dataset, "upgrade_paths", scope(1)),
        Err("the dataset lists no `upgrades_from` for Prod 1.1".into())
    );
}

#[test]
fn a_compatibility_matrix_shows_the_window_of_the_line() {
    let dataset = dataset(
        "products:\n  p:\n    name: Prod\n    support_window: 2\n    lines:\n      - {line: \"1.0\", ga: 2020-01-01}\n      - {line: \"1.1\", ga: 2020-06-01}\n      - {line: \"2.0\", ga: 2021-01-01}\ncompatibility:\n  - component: Prod SDK\n    product: p\n    rows:\n      - {version: \"0.2.0\", full: [\"2.0\"], partial: [\"1.1\"]}\n",
    );
    let scope = Scope {
        product: 0,
        line: Some(2),
    };
    assert_eq!(
        render(&dataset, "compatibility_matrix", scope).as_deref(),
        Ok(
            "<table class=\"compatibility-matrix\">\n<thead><tr><th>Prod SDK</th><th>Prod 2.0</th><th>Prod 1.1</th></tr></thead>\n<tbody>\n<tr><td>0.2.0</td><td>Full</td><td>Partial</td></tr>\n</tbody>\n</table>\n"
        )
    );
}
