//! The versions dataset as written in YAML, before validation: every value that must be a
//! version or a date keeps its source position, and may still be a number where the writer
//! forgot quotes, so validation can report all such mistakes in one run.

use std::fmt;

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_saphyr::Spanned;

/// A scalar as YAML typed it: text, or a number (`1.20` unquoted reads as 1.2).
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Text(String),
    Number(String),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl Visitor<'_> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a version or date in quotes, such as \"2.1\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string()))
    }
}

pub type Value = Spanned<Scalar>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDataset {
    /// Linked from the policy sentences: the vendor's support terms.
    #[serde(default)]
    pub terms_url: Option<String>,
    /// Who gives the support, in sentences ("D2iQ supports ...").
    #[serde(default)]
    pub vendor: Option<String>,
    pub products: IndexMap<String, RawProduct>,
    #[serde(default)]
    pub pairings: Vec<RawPairing>,
    #[serde(default)]
    pub runs_on: Vec<RawRunsOn>,
    #[serde(default)]
    pub compatibility: Vec<RawMatrix>,
}

/// How versions of a component outside the products (the Kaptain SDK) work with the
/// lines of a product.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMatrix {
    pub component: String,
    pub product: Spanned<String>,
    pub rows: Vec<RawMatrixRow>,
}

/// One version of the component: the lines it fully and partly supports.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMatrixRow {
    pub version: Value,
    #[serde(default)]
    pub full: Vec<Value>,
    #[serde(default)]
    pub partial: Vec<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProduct {
    pub name: String,
    #[serde(default)]
    pub trademark: Option<String>,
    /// Other names pages give the product ("D2iQ Kubernetes Platform" for DKP).
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// The content folder whose subfolders document the lines (`dkp/konvoy`).
    #[serde(default)]
    pub docs: Option<Spanned<String>>,
    /// How many lines are supported at once (N-2 is 3); absent: no support policy.
    #[serde(default)]
    pub support_window: Option<Spanned<i64>>,
    #[serde(default)]
    pub lines: Vec<RawLine>,
    #[serde(default)]
    pub prerequisites: Vec<RawRequirement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLine {
    pub line: Value,
    /// Folder below the product's `docs` (default: the line itself).
    #[serde(default)]
    pub docs: Option<Value>,
    #[serde(default)]
    pub status: Option<Spanned<String>>,
    /// General availability; default: the date of the line's first release.
    #[serde(default)]
    pub ga: Option<Value>,
    #[serde(default)]
    pub kubernetes: Option<RawKubernetes>,
    #[serde(default)]
    pub releases: Vec<RawRelease>,
    #[serde(default)]
    pub prerequisites: Vec<RawRequirement>,
    /// Earlier lines that may upgrade to this one directly (`["2.0", "1.8"]`).
    #[serde(default)]
    pub upgrades_from: Vec<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKubernetes {
    pub min: Value,
    pub max: Value,
    #[serde(default)]
    pub default: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelease {
    pub version: Value,
    #[serde(default)]
    pub date: Option<Value>,
    #[serde(default)]
    pub kubernetes_default: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequirement {
    pub name: Spanned<String>,
    #[serde(default)]
    pub min: Option<Value>,
    #[serde(default)]
    pub max: Option<Value>,
    #[serde(default)]
    pub except: Vec<Value>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Lines of `deploys` run on the paired line of `on`, and on no other.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPairing {
    pub deploys: Spanned<String>,
    pub on: Spanned<String>,
    /// Each pair maps product ids to lines: `{konvoy: "1.8", kommander: "1.4"}`.
    pub pairs: Vec<Spanned<IndexMap<String, Value>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRunsOn {
    pub product: Spanned<String>,
    pub line: Value,
    /// The release the sentence names, when it is narrower than the line.
    #[serde(default)]
    pub release: Option<Value>,
    pub on: Vec<RawTarget>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    #[serde(default)]
    pub product: Option<Spanned<String>>,
    /// Lines or releases of `product`.
    #[serde(default)]
    pub versions: Vec<Value>,
    /// The last version and every later one.
    #[serde(default)]
    pub or_later: bool,
    /// A platform outside the dataset, named as is (`Amazon EKS`).
    #[serde(default)]
    pub platform: Option<Spanned<String>>,
}
