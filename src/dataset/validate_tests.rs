//! Every validation error of the dataset, with its exact message and position.

use std::path::Path;

use crate::diag::Diagnostics;

/// `line:column: message` of each error found in `yaml`.
fn errors(yaml: &str) -> Vec<String> {
    let mut diags = Diagnostics::default();
    let dataset = super::parse(yaml, Path::new("data/versions.yaml"), &mut diags);
    let found: Vec<String> = diags
        .sorted()
        .iter()
        .map(|d| {
            let p = d.position.expect("every dataset error has a position");
            format!("{}:{}: {}", p.line, p.column, d.message)
        })
        .collect();
    assert_eq!(dataset.is_some(), found.is_empty(), "{found:?}");
    found
}

const HEAD: &str = "products:\n  konvoy:\n    name: Konvoy\n    support_window: 3\n    lines:\n";

fn with_lines(lines: &str) -> String {
    format!("{HEAD}{lines}")
}

#[test]
fn a_valid_dataset_has_no_errors() {
    let yaml = with_lines(
        "      - line: \"1.8\"\n        kubernetes: {min: \"1.18.x\", max: \"1.20.x\", default: \"1.20.6\"}\n      - line: \"2.0\"\n",
    );
    assert!(errors(&yaml).is_empty());
}

#[test]
fn an_unquoted_version_is_a_number_and_says_how_to_quote_it() {
    let yaml = with_lines("      - line: 1.20\n      - line: 2.0\n");
    assert_eq!(
        errors(&yaml),
        [
            "6:15: `1.20` is a number, not a version string",
            "7:15: `2.0` is a number, not a version string",
        ]
    );
    let mut diags = Diagnostics::default();
    super::parse(&yaml, Path::new("v.yaml"), &mut diags);
    let help = diags.iter().next().and_then(|d| d.help.clone());
    assert_eq!(
        help.as_deref(),
        Some("YAML reads unquoted 1.20 as the number 1.2, not 1.20; write it in quotes: \"1.20\"")
    );
}

#[test]
fn an_alias_names_one_product() {
    let yaml = "products:\n  dkp:\n    name: DKP\n    aliases: [\"D2iQ Kubernetes Platform\", Konvoy]\n  konvoy:\n    name: Konvoy\n";
    assert_eq!(
        errors(yaml),
        ["4:43: alias `Konvoy` of DKP does not name one product"]
    );
}

#[test]
fn upgrades_come_from_earlier_lines() {
    let yaml = with_lines(
        "      - line: \"1.8\"\n      - line: \"2.0\"\n        upgrades_from: [\"1.8\", \"2.1\"]\n",
    );
    assert_eq!(
        errors(&yaml),
        ["8:32: Konvoy 2.0 cannot upgrade from 2.1: it is not a line listed before it"]
    );
}

#[test]
fn a_matrix_names_known_lines_once_each() {
    let yaml = with_lines(
        "      - line: \"1.8\"\n      - line: \"2.0\"\ncompatibility:\n  - component: SDK\n    product: konvoy\n    rows:\n      - {version: \"1.0.0\", full: [\"2.0\"], partial: [\"2.0\", \"3.0\"]}\n",
    );
    assert_eq!(
        errors(&yaml),
        [
            "12:19: SDK 1.0.0 lists Konvoy 2.0 as both full and partial",
            "12:60: Konvoy has no line 3.0",
        ]
    );
}

#[test]
fn versions_must_parse() {
    let yaml = with_lines(
        "      - line: \"2\"\n      - line: \"2.1\"\n        kubernetes: {min: \"1.x.3\", max: \"1.21.x\"}\n        releases:\n          - {version: \"2.1\", date: 2021-13-01}\n          - {version: \"2.1.1\", date: \"yesterday\"}\n",
    );
    assert_eq!(
        errors(&yaml),
        [
            "6:15: `2` is not a release line",
            "8:27: `1.x.3` is not a version bound",
            "10:23: `2.1` is not a release version",
            "11:38: `yesterday` is not a date",
        ]
    );
}

#[test]
fn an_invalid_date_is_reported() {
    let yaml = with_lines(
        "      - line: \"2.1\"\n        releases:\n          - {version: \"2.1.0\", date: 2021-13-01}\n",
    );
    assert_eq!(errors(&yaml), ["8:38: `2021-13-01` is not a date"]);
}

#[test]
fn lines_are_unique_and_in_release_order() {
    let yaml = with_lines("      - line: \"2.0\"\n      - line: \"1.8\"\n      - line: \"2.0\"\n");
    assert_eq!(
        errors(&yaml),
        [
            "7:15: Konvoy line 1.8 comes after 2.0",
            "8:15: Konvoy lists line 2.0 twice",
        ]
    );
}

#[test]
fn dates_ascend() {
    let yaml = with_lines(
        "      - line: \"2.0\"\n        ga: 2021-08-26\n      - line: \"2.1\"\n        ga: 2021-01-01\n        releases:\n          - {version: \"2.1.0\", date: 2021-11-18}\n          - {version: \"2.1.1\", date: 2021-11-01}\n",
    );
    assert_eq!(
        errors(&yaml),
        [
            "9:13: Konvoy 2.1 is dated 2021-01-01, before 2.0 (2021-08-26)",
            "12:38: Konvoy 2.1.1 is dated 2021-11-01, before 2.1.0 (2021-11-18)",
        ]
    );
}

#[test]
fn releases_belong_to_their_line_in_order() {
    let yaml = with_lines(
        "      - line: \"2.1\"\n        releases:\n          - {version: \"2.1.1\"}\n          - {version: \"2.1.0\"}\n          - {version: \"2.2.0\"}\n",
    );
    assert_eq!(
        errors(&yaml),
        [
            "9:23: Konvoy release 2.1.0 comes after 2.1.1",
            "10:23: release 2.2.0 is not part of line 2.1",
        ]
    );
}

#[test]
fn kubernetes_defaults_lie_inside_the_range() {
    let yaml = with_lines(
        "      - line: \"2.0\"\n        kubernetes: {min: \"1.21.3\", max: \"1.21.x\", default: \"1.22.1\"}\n        releases:\n          - {version: \"2.0.0\", kubernetes_default: \"1.21.2\"}\n      - line: \"2.1\"\n        kubernetes: {min: \"1.22.0\", max: \"1.21.x\"}\n",
    );
    assert_eq!(
        errors(&yaml),
        [
            "7:61: Kubernetes default 1.22.1 of Konvoy 2.0 is outside its range 1.21.3 to 1.21.x",
            "9:52: Kubernetes default 1.21.2 of Konvoy 2.0 is outside its range 1.21.3 to 1.21.x",
            "11:27: Kubernetes minimum 1.22.0 of Konvoy 2.1 is above its maximum 1.21.x",
        ]
    );
}

#[test]
fn relations_name_products_and_lines_that_exist() {
    let yaml = format!(
        "{}pairings:\n  - deploys: kommandr\n    on: konvoy\n    pairs: []\n  - deploys: konvoy\n    on: konvoy\n    pairs:\n      - {{konvoy: \"2.5\"}}\nruns_on:\n  - product: konvoy\n    line: \"1.9\"\n    on: []\n",
        with_lines("      - line: \"2.0\"\n")
    );
    assert_eq!(
        errors(&yaml),
        [
            "8:14: unknown product `kommandr`",
            "12:9: Konvoy cannot be paired with itself",
            "17:11: Konvoy has no line 1.9",
        ]
    );
}

#[test]
fn a_pair_names_both_products_and_each_line_once() {
    let yaml = "products:\n  a:\n    name: A\n    lines:\n      - line: \"1.0\"\n  b:\n    name: B\n    lines:\n      - line: \"1.0\"\n      - line: \"1.1\"\npairings:\n  - deploys: b\n    on: a\n    pairs:\n      - {a: \"1.0\", b: \"1.0\"}\n      - {a: \"1.0\", b: \"1.1\"}\n      - {a: \"1.0\"}\n";
    assert_eq!(
        errors(yaml),
        [
            "16:9: A 1.0 is paired twice",
            "17:9: a pair must name a line of `b` and of `a`",
        ]
    );
}

#[test]
fn statuses_windows_folders_and_prerequisites_are_checked() {
    let yaml = "products:\n  a:\n    name: A\n    docs: x\n    support_window: 0\n    lines:\n      - line: \"1.0\"\n        status: beta\n    prerequisites:\n      - {name: Helm}\n      - {name: Kubernetes, min: \"1.18\", max: \"1.17.x\"}\n  b:\n    name: B\n    docs: x\n";
    assert_eq!(
        errors(yaml),
        [
            "5:21: support_window of A must be at least 1",
            "8:17: unknown status `beta`",
            "10:16: prerequisite Helm has neither `min` nor `max`",
            "11:16: prerequisite Kubernetes: minimum 1.18 is above maximum 1.17.x",
            "14:11: content folder `x` is claimed by both A and B",
        ]
    );
}

#[test]
fn structural_mistakes_stop_with_the_parser_position() {
    let yaml =
        "products:\n  a:\n    name: A\n    lines:\n      - line: \"1.0\"\n        colour: red\n";
    let found = errors(yaml);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("6:9: unknown field `colour`"),
        "{found:?}"
    );
}
