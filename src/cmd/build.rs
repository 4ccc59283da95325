//! `folio build`: runs the pipeline and writes the site atomically.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::BuildArgs;
use crate::cmd::{Exit, Stop, absolute, print_diagnostics, resolve_site, stop};
use crate::diag::Severity;
use crate::output::Staging;
use crate::pipeline::{self, BuildOptions};

pub fn run(args: &BuildArgs) -> Exit {
    let started = Instant::now();
    let mut options = match resolve_site(&args.site) {
        Ok(options) => options,
        Err(s) => return stop(s, args.site.format),
    };
    if let Some(base_url) = &args.base_url {
        options.config.base_url = base_url.clone();
    }
    let output = match output_dir(args, &options) {
        Ok(output) => output,
        Err(s) => return stop(s, args.site.format),
    };
    let progress = progress_bar(args.quiet);
    let mut built = pipeline::build_site(&options, &|| progress.inc(1));
    progress.finish_and_clear();
    let diags = if args.strict {
        crate::check::findings(&built, &options.config, false)
    } else {
        std::mem::take(&mut built.diags)
    };
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
    if let Err(err) = write(&output, &built.files) {
        eprintln!("error: {err}");
        return Exit::CannotRun;
    }
    if !args.quiet {
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "Built {} pages and {} files into {} in {seconds:.2}s ({warnings} warning(s)){index_summary}",
            built.page_count,
            built.asset_count,
            output.display()
        );
    }
    Exit::Success
}

fn output_dir(args: &BuildArgs, options: &BuildOptions) -> Result<PathBuf, Stop> {
    let output = match &args.output {
        Some(path) => absolute(path),
        None => options.root.join(&options.config.output),
    };
    if !pipeline::output_is_safe(&options.root, &output) {
        return Err(Stop::Usage(format!(
            "refusing to write into `{}`: it holds the site's sources; choose another --output",
            output.display()
        )));
    }
    Ok(output)
}

fn write(
    output: &std::path::Path,
    files: &[crate::output::OutputFile],
) -> crate::fsutil::FsResult<()> {
    let staging = Staging::create(output)?;
    staging.write_all(files)?;
    staging.commit()
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} rendering {pos} pages")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar
}
