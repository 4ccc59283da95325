//! The words that relate the parts of a sentence ("is the latest", "no longer
//! supported", "runs on", "requires"), and the words that make a sentence too doubtful to
//! read (negations, conditions, examples, questions), compiled once per run.

use regex::Regex;

use crate::check::claims::patterns::{Names, VERSION};

/// The word patterns, compiled once per run.
#[derive(Debug)]
pub struct Words {
    pub doubt: Regex,
    /// Any product name: a sentence without one holds no claim.
    pub any_name: Regex,
    pub released: Regex,
    pub latest_after: Regex,
    pub named: Regex,
    pub example: Regex,
    pub current_after: Regex,
    pub default_is: Regex,
    pub ended_after: Regex,
    pub until_after: Regex,
    pub supported_after: Regex,
    pub ships: Regex,
    pub runs_on: Regex,
    pub cluster: Regex,
    pub range_verb: Regex,
    pub upgrade_to: Regex,
    pub upgrades_from: Regex,
    pub passive: Regex,
    pub window_blockers: Regex,
}

fn re(pattern: &str) -> Regex {
    // Fixed patterns: a failure is a bug in the text here, caught by every auditor test.
    Regex::new(&format!("(?i){pattern}")).expect("claim word pattern compiles")
}

impl Words {
    pub fn new(names: &Names) -> Words {
        let name = names.alternation.replace(r"\b", r"(?-u:\b)");
        Words {
            any_name: re(&name),
            doubt: re(
                r"(?-u:\b)(?:not|cannot|can't|isn't|aren't|won't|never|if|unless|whether|example|e\.g|such as|assume|suppose)(?-u:\b)|\?",
            ),
            released: re(
                r"(?-u:\b)(?:released|shipped|generally available|ga|release date|came out|available on)(?-u:\b)",
            ),
            latest_after: re(
                r"^\s+(?:is|was)\s+(?:now\s+)?the\s+(?:latest|newest|most\s+recent)\s+(?P<what>(?:\w+\s+){0,3}?(?:release\s+line|line|release|version))(?P<rest>\s+(?:of|in|for)\b)?",
            ),
            named: re(&format!(
                r"(?P<which>latest|newest|most\s+recent|current)\s+(?:GA\s+)?(?P<name>{name})\s*(?:®|&reg;)?\s+(?P<what>release\s+line|line|release|version)\s+is\s+(?:version\s+)?(?P<v>{VERSION})(?-u:\b)"
            )),
            example: re(&format!(
                r"current\s+(?:GA\s+|generally\s+available\s+)?(?:version|release|line)\s+of\s+(?P<name>{name})\s*(?:®|&reg;)?\s+is\s+(?:version\s+|release\s+)?(?P<v>{VERSION})(?-u:\b)"
            )),
            current_after: re(
                r"^\s+(?:(?P<is>is)\s+(?:now\s+)?the|(?P<as>as)\s+the)\s+current(?-u:\b)",
            ),
            default_is: re(&format!(
                r"^\s+(?:is|was)\s+(?:kubernetes\s+)?(?:v(?:ersion)?\s*)?(?P<v>{VERSION})(?-u:\b)"
            )),
            ended_after: re(
                r"^\s+(?:is|are|has\s+been|have\s+been)\s+no\s+longer\s+supported|^\s+(?:has|have)\s+reached\s+(?:its\s+|their\s+)?end\s+of\s+(?:support|life)",
            ),
            supported_after: re(
                r"^\s+(?:is|are|remains?|stays?)\s+(?:still\s+)?supported\s*(?:[.;]|$)",
            ),
            until_after: re(
                r"^\s+(?:is|are|remains?|stays?)\s+(?:still\s+)?supported\s+until\s+(?:the\s+release\s+of\s+)?$",
            ),
            ships: re(
                r"^\s+(?:is\s+released|ships|releases|is\s+generally\s+available|comes\s+out|is\s+out)(?-u:\b)",
            ),
            runs_on: re(
                r"^\s*(?:runs?|installs?|deploys?|(?:is|are|can\s+be)\s+(?:installed|deployed)|pairs?|(?:is|are)\s+paired|(?:is|are)\s+compatible|works?)\s+(?:only\s+)?(?:on|with)\s",
            ),
            cluster: re(r"^\s*(?:an?\s+)?(?:running\s+|existing\s+)?$"),
            passive: re(
                r"^\s+(?:is|are)\s+(?:also\s+)?(?:supported|required|needed)\s+(?:by|in|on|with)\s+$",
            ),
            upgrade_to: re(&format!(
                r"^\s+to\s+(?:(?P<name>{name})\s*(?:®|&reg;)?\s+)?(?:version\s+)?(?P<v>{VERSION})(?-u:\b)"
            )),
            upgrades_from: re(r"^\s+(?:supports|allows)\s+(?:direct\s+)?upgrades\s+from\s+$"),
            range_verb: re(
                r"(?-u:\b)(?:supports?|supported|requires?|required|needs?|compatible|works?\s+with|manages?|attach(?:es)?|tested|runs?\s+on|installs?\s+on)(?-u:\b)",
            ),
            window_blockers: re(
                r"(?-u:\b)(?:continues?|expires?|ends?|until|end\s+of|no\s+longer|when|after|once|next|runs?|deploy\w*|install\w*|pairs?|paired|compatible|later)(?-u:\b)",
            ),
        }
    }
}
