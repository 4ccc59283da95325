//! `folio build`: runs the pipeline and writes the site atomically.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::BuildArgs;
use crate::cmd::{Exit, Stop, absolute, print_diagnostics, resolve_site, stop};
use crate::diag::Severity;
use crate::output::{CopyStamp, Leftover, OutputDir, Staging, old_site, sitemap};
use crate::pipeline::{self, BuildOptions, Progress};

pub fn run(args: &BuildArgs) -> Exit {
    let started = Instant::now();
    remove_staging_on_signals();
    let mut options = match resolve_site(&args.site) {
        Ok(options) => options,
        Err(s) => return stop(s, args.site.format),
    };
    if let Some(base_url) = &args.base_url {
        if let Some(problem) = crate::config::base_url_problem(base_url) {
            let message =
                format!("--base-url {problem}; pass e.g. https://docs.example.com/docs/ or /docs/");
            return stop(Stop::Usage(message), args.site.format);
        }
        options.config.base_url = base_url.clone();
    }
    let output = match output_dir(args, &options) {
        Ok(output) => output,
        Err(s) => return stop(s, args.site.format),
    };
    let claimed = match OutputDir::claim(&output) {
        Ok(claimed) => claimed,
        Err(err) => return stop(Stop::Usage(err.to_string()), args.site.format),
    };
    let staging = match Staging::create(claimed) {
        Ok(staging) => staging,
        Err(err) => {
            eprintln!("error: {err}");
            return Exit::CannotRun;
        }
    };
    // The search index is made from the pages' HTML, which must then stay in memory.
    let stream_pages = !options.config.search;
    // `--strict` audits every page's prose after the build.
    options.drop_page_bodies = stream_pages && !args.strict;
    let progress = progress_bar(args.quiet);
    let on_progress = |event| match event {
        Progress::Pages(total) => progress.set_length(total as u64),
        Progress::Rendered => progress.inc(1),
    };
    let into = stream_pages.then_some(&staging);
    let mut built = pipeline::build_site_into(&options, &on_progress, into);
    progress.finish_and_clear();
    let mut diags = if args.strict {
        crate::check::findings(&built, &options.config, false)
    } else {
        let mut diags = std::mem::take(&mut built.diags);
        diags.extend(crate::check::build_warnings(&built, &options.config));
        diags
    };
    if !diags.has_errors() {
        diags.extend(sitemap_warning(args, &options));
    }
    let diags = diags.deduplicated();
    let (errors, warnings) = (diags.count(Severity::Error), diags.count(Severity::Warning));
    print_diagnostics(diags, args.site.format);
    if errors > 0 {
        eprintln!(
            "error: build failed with {errors} error(s) and {warnings} warning(s); `{}` was left as it was",
            output.display()
        );
        return Exit::SiteErrors;
    }
    let index = match crate::search::index_built_site(&built, &options) {
        Ok(index) => index,
        Err(err) => {
            eprintln!("error: {err}");
            return Exit::CannotRun;
        }
    };
    let index_summary = crate::search::summary(index.as_ref());
    built
        .files
        .extend(index.map(|i| i.files).unwrap_or_default());
    match write(staging, &built) {
        Ok(None) => {}
        Ok(Some(Leftover(err))) => eprintln!("{}", old_site::leftover_warning(&err)),
        Err(_) if crate::output::interrupted() => return Exit::Interrupted,
        Err(err) => {
            eprintln!("error: {err}");
            return Exit::CannotRun;
        }
    }
    if !args.quiet {
        let seconds = started.elapsed().as_secs_f64();
        let reused = built.records.as_ref().map_or(0, |r| r.reused);
        let unchanged = match reused {
            0 => String::new(),
            n => format!(" ({n} unchanged since the last build)"),
        };
        eprintln!(
            "Built {} pages{unchanged} and {} files into {} in {seconds:.2}s ({warnings} warning(s)){index_summary}",
            built.page_count,
            built.asset_count,
            output.display()
        );
    }
    // The process ends here: freeing every page, one allocation at a time, is 2% of a
    // large build for memory the exit returns at once.
    std::mem::forget(built);
    Exit::Success
}

/// The warning of a relative `base_url` (no sitemap), at folio.yaml's `base_url` line
/// unless `--base-url` set it.
/// A site without folio.yaml (a writer's first folder of markdown) is not set up for
/// publishing yet: no warning until it has settings or a `--base-url`.
fn sitemap_warning(args: &BuildArgs, options: &BuildOptions) -> Option<crate::diag::Diagnostic> {
    let config_text = match args.base_url {
        Some(_) => None,
        None => Some(std::fs::read_to_string(options.root.join(crate::config::CONFIG_FILE)).ok()?),
    };
    sitemap::relative_base_warning(&options.config, config_text.as_deref())
}

fn output_dir(args: &BuildArgs, options: &BuildOptions) -> Result<PathBuf, Stop> {
    let output = match &args.output {
        Some(path) => absolute(path),
        None => options.root.join(&options.config.output),
    };
    if let Some(conflict) = pipeline::output_conflict(options, &output) {
        return Err(Stop::Usage(format!(
            "refusing to write into `{}`: {conflict}; choose another --output",
            output.display()
        )));
    }
    Ok(output)
}

/// Writes the site's files, saves what they were made from (still under the lock: the
/// files keep their stamps through the swap, and should the swap fail, stamps that match
/// no file make the next build render again), and swaps the site in.
fn write(
    staging: Staging,
    built: &pipeline::BuiltSite,
) -> crate::fsutil::FsResult<Option<Leftover>> {
    staging.write_all(&built.files)?;
    keep_records(built, &staging.take_copies(), &staging.cache_file());
    // This process is the folio binary: it runs the remover of the old site.
    let folio = std::env::current_exe().ok();
    staging.commit(folio.as_deref())
}

/// Saves what each page and copy was made from beside the output, for the next build; a
/// build that kept no records (search on: every page is indexed) removes the old ones. Without
/// them the next build renders every page, so failing here only costs time.
fn keep_records(built: &pipeline::BuiltSite, copies: &[(String, CopyStamp)], cache_file: &Path) {
    let kept = match &built.records {
        Some(records) => records.save(&built.pages, &built.markdown, copies),
        None if std::fs::symlink_metadata(cache_file).is_err() => Ok(()),
        None => std::fs::remove_file(cache_file),
    };
    if let Err(err) = kept {
        eprintln!(
            "warning: cannot update `{}` ({err}); the next build renders every page",
            cache_file.display()
        );
    }
}

/// SIGINT and SIGTERM (and SIGHUP) end the build without leaving its staging folder.
fn remove_staging_on_signals() {
    let _ = ctrlc::set_handler(|| crate::output::interrupt());
}

/// A bar over the page total (set once the pages are loaded) on a terminal; nothing when
/// piped or `--quiet`.
fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} pages rendered ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
