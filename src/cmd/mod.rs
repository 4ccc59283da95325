//! The commands: each resolves its arguments, runs the pipeline and decides the exit
//! code. Exit codes are decided here and nowhere else: 0 success, 1 the site has
//! errors, 2 folio could not run (bad arguments, unreadable folders, I/O failure).

pub mod build;
pub mod check;
pub mod init;
pub mod serve;
pub mod versions;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::{Cli, Command, SiteArgs};
use crate::config::{Environment, SiteConfig};
use crate::diag::render::{Format, render};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::ContentDir;
use crate::markdown::highlight::CodeHighlighter;
use crate::pipeline::BuildOptions;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    SiteErrors = 1,
    CannotRun = 2,
    /// SIGINT or SIGTERM stopped a build (128 + SIGINT, as shells report it).
    Interrupted = 130,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Versions(args) => versions::run(&args),
        Command::Init(args) => init::run(&args),
        Command::RemoveOldSite { dir } => match crate::output::old_site::run_remover(&dir) {
            true => Exit::Success,
            false => Exit::CannotRun,
        },
    }
}

/// Why a command could not run at all.
#[derive(Debug)]
pub enum Stop {
    /// Could not run: printed as `error: ...`, exit 2.
    Usage(String),
    /// The site's settings are broken: printed as diagnostics, exit 1.
    Site(Diagnostics),
}

/// Turns site arguments and `folio.yaml` into resolved options.
pub fn resolve_site(args: &SiteArgs) -> Result<BuildOptions, Stop> {
    let root = args.root.canonicalize().map_err(|e| {
        Stop::Usage(format!(
            "cannot open site root `{}`: {e}",
            args.root.display()
        ))
    })?;
    let mut config = SiteConfig::load(&root).map_err(|d| Stop::Site(single(d)))?;
    let content = ContentDir::find(&root, &config.output).ok_or_else(|| {
        Stop::Usage(format!(
            "`{}` has no `content/` folder and no markdown pages; pass the folder that holds content/ (and folio.yaml), or run `folio init` to start a site",
            args.root.display()
        ))
    })?;
    if let Some(dataset) = &args.dataset {
        config.dataset = existing_dataset(dataset)?;
    }
    let mut env = resolve_env(&config, args.env.as_deref())?;
    env.resolve_drafts(args.drafts, args.drafts_by_default);
    let as_of = match args.as_of {
        Some(date) => date,
        None => default_as_of()?,
    };
    let highlighter = config.highlight.then(|| Arc::new(CodeHighlighter::new()));
    Ok(BuildOptions {
        root,
        content,
        config,
        env,
        as_of,
        highlighter,
        drop_page_bodies: false,
    })
}

/// A `--dataset FILE` given on the command line: a missing file is a usage error.
fn existing_dataset(path: &Path) -> Result<PathBuf, Stop> {
    let path = absolute(path);
    if path.is_file() {
        return Ok(path);
    }
    Err(Stop::Usage(format!(
        "--dataset `{}`: no such file; pass the path of a versions dataset (YAML)",
        path.display()
    )))
}

/// `$SOURCE_DATE_EPOCH` (reproducible builds) when set and not empty, else today in UTC.
pub fn default_as_of() -> Result<jiff::civil::Date, Stop> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let timestamp = match epoch.filter(|e| !e.trim().is_empty()) {
        Some(epoch) => {
            let seconds = epoch.trim().parse::<i64>().map_err(|_| {
                Stop::Usage(format!(
                    "SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds"
                ))
            })?;
            jiff::Timestamp::from_second(seconds).map_err(|_| {
                Stop::Usage(format!(
                    "SOURCE_DATE_EPOCH `{epoch}` is out of range: give the seconds since 1970 of a date before the year 10000"
                ))
            })?
        }
        None => jiff::Timestamp::now(),
    };
    Ok(timestamp.to_zoned(jiff::tz::TimeZone::UTC).date())
}

fn resolve_env(config: &SiteConfig, name: Option<&str>) -> Result<Environment, Stop> {
    let Some(name) = name else {
        return Ok(Environment::default());
    };
    config.environments.get(name).cloned().ok_or_else(|| {
        let known: Vec<&str> = config.environments.keys().map(String::as_str).collect();
        let known = if known.is_empty() {
            "none are defined".to_string()
        } else {
            known.join(", ")
        };
        Stop::Usage(format!(
            "unknown environment `{name}` (folio.yaml `environments:` has: {known})"
        ))
    })
}

fn single(diagnostic: Diagnostic) -> Diagnostics {
    let mut diags = Diagnostics::default();
    diags.push(diagnostic);
    diags
}

/// Prints a stop and returns its exit code.
pub fn stop(stop: Stop, format: Format) -> Exit {
    match stop {
        Stop::Usage(message) => {
            eprintln!("error: {message}");
            Exit::CannotRun
        }
        Stop::Site(diags) => {
            print_diagnostics(diags, format);
            Exit::SiteErrors
        }
    }
}

/// Prints diagnostics, sorted and each once, in `format`: for people (`human`) on
/// stderr beside progress and the summary; for tools (`json`, `github`) on stdout, so
/// `folio check --format json > findings.json` holds the findings and nothing else.
pub fn print_diagnostics(diags: Diagnostics, format: Format) {
    let diagnostics = diags.sorted();
    if format == Format::Human {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        write_all(&mut std::io::stderr().lock(), &diagnostics, format, color);
    } else {
        write_all(&mut std::io::stdout().lock(), &diagnostics, format, false);
    }
}

fn write_all(out: &mut dyn Write, diagnostics: &[Diagnostic], format: Format, color: bool) {
    for diagnostic in diagnostics {
        let _ = writeln!(out, "{}", render(diagnostic, format, color));
    }
    let _ = out.flush();
}

/// A path given on the command line, relative to the working folder.
pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf())
}
