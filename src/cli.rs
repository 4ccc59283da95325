//! Command-line arguments as clap parses them. `cmd` turns them into resolved options.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::diag::render::Format;

/// folio: documentation sites whose version facts cannot drift apart.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output folder.
    Build(BuildArgs),
    /// Check the site without writing it: links, anchors, structure.
    Check(CheckArgs),
    /// Serve the site locally, rebuilding and reloading the browser on every edit.
    Serve(ServeArgs),
    /// Print the support matrix computed from the versions dataset.
    Versions(VersionsArgs),
    /// Write a small working site to start from.
    Init(InitArgs),
    /// Removes a previous site a build swapped out (the build starts it; not for use by hand).
    #[command(name = crate::output::old_site::SUBCOMMAND, hide = true)]
    RemoveOldSite {
        /// The swapped-out site: `.NAME.folio-staging-PID` or `.NAME.folio-old-PID`.
        dir: PathBuf,
    },
}

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// The folder to create the site in (created if missing; must not hold a site yet).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct VersionsArgs {
    /// The site root: the folder holding folio.yaml and the dataset.
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// Only this product (its id in the dataset, e.g. `konvoy`).
    #[arg(long)]
    pub product: Option<String>,
    /// The date statuses are computed for (YYYY-MM-DD). Default: $SOURCE_DATE_EPOCH when
    /// set, else today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<jiff::civil::Date>,
    /// The versions dataset to use instead of the one folio.yaml names.
    #[arg(long, value_name = "FILE")]
    pub dataset: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = MatrixFormat::Table)]
    pub format: MatrixFormat,
}

/// How `folio versions` prints the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MatrixFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Fail on these too: `warnings`.
    #[arg(long, value_parser = ["warnings"])]
    pub deny: Vec<String>,
    /// Also request every external link (needs the network; 10 s timeout, one retry).
    #[arg(long)]
    pub external: bool,
    /// Print what a diagnostic code means and how to fix it, and exit (no site needed).
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
}

/// Arguments every command that runs the pipeline takes.
#[derive(Debug, Clone, Args)]
pub struct SiteArgs {
    /// The site root: the folder holding `content/` (and optionally `folio.yaml`).
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// Build environment from `folio.yaml` (`environments:`).
    #[arg(long)]
    pub env: Option<String>,
    /// How problems are printed.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The date support status is computed for (YYYY-MM-DD). Default: $SOURCE_DATE_EPOCH
    /// when set, else today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<jiff::civil::Date>,
    /// The versions dataset to use instead of the one folio.yaml names.
    #[arg(long, value_name = "FILE")]
    pub dataset: Option<PathBuf>,
    /// Include pages with `draft: true` (`build` and `check` leave them out by default,
    /// `serve` shows them).
    #[arg(long)]
    pub drafts: bool,
    /// Whether drafts are in when neither `--drafts` nor the environment says: set by
    /// the command (`serve` shows them), never on the command line.
    #[arg(skip)]
    pub drafts_by_default: bool,
}

#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder (default: `public` in the site root, or `output` in folio.yaml).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from folio.yaml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Print only problems, no progress or summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also run every check of `folio check`, and fail on the errors it finds.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. The default lets only this machine connect.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    pub open: bool,
}
