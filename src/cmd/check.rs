//! `folio check`: runs the pipeline without writing, then every check.

use std::sync::Arc;
use std::time::Instant;

use crate::check;
use crate::cli::CheckArgs;
use crate::cmd::{Exit, print_diagnostics, resolve_site, stop};
use crate::diag::Severity;
use crate::markdown::highlight::CodeHighlighter;
use crate::pipeline::{self, BuildOptions};

pub fn run(args: &CheckArgs) -> Exit {
    if let Some(code) = &args.explain {
        return explain(code);
    }
    let started = Instant::now();
    let options = match resolve_site(&args.site) {
        Ok(options) => checking(options),
        Err(s) => return stop(s, args.site.format),
    };
    let built = pipeline::build_site(&options, &|_| {});
    // Counted as printed: each finding once.
    let diags = check::findings(&built, &options.config, args.external).deduplicated();
    let (errors, warnings) = (diags.count(Severity::Error), diags.count(Severity::Warning));
    let summary = check::counts_by_code(&diags);
    print_diagnostics(diags, args.site.format);
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "checked {} pages in {seconds:.2}s: {errors} error(s), {warnings} warning(s){}",
        built.page_count,
        if summary.is_empty() {
            String::new()
        } else {
            format!(" ({summary})")
        }
    );
    let denied = args.deny.iter().any(|d| d == "warnings") && warnings > 0;
    if errors > 0 || denied {
        Exit::SiteErrors
    } else {
        Exit::Success
    }
}

/// `folio check --explain CODE`: the code's section of the diagnostic reference.
fn explain(code: &str) -> Exit {
    match crate::diag::codes::explain(code) {
        Some(text) => {
            println!("{text}");
            Exit::Success
        }
        None => {
            let known = crate::diag::codes::all().join(", ");
            eprintln!("error: no diagnostic code `{code}`; the codes are: {known}");
            Exit::CannotRun
        }
    }
}

/// The build options of `check`: it reads no colours, so fenced code is not
/// highlighted; languages are still looked up, for their warnings.
pub fn checking(mut options: BuildOptions) -> BuildOptions {
    options.highlighter = options
        .highlighter
        .map(|_| Arc::new(CodeHighlighter::names_only()));
    options
}
