//! The `handbook` binary: parse arguments, run one library command, print diagnostics once,
//! choose the exit code at the end.

mod cli;

use cli::Action;
use handbook::diagnostics::{self, Diagnostic, Format};
use handbook::{Error, Report};
use std::io::IsTerminal;
use std::process::ExitCode;

/// glibc's malloc spent a fifth of a 10,000-page build in locks and bookkeeping across the
/// render threads; mimalloc's per-thread heaps remove most of it (see README, Benchmarks).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Stack of every thread that renders. Input depth is limited where it is read (shortcodes 64
/// deep, YAML 64 deep, template recursion only down finite data), but a Tera macro walking a
/// deep section tree recurses once per level; 64 MiB is reserved, not used, until it is needed.
const RENDER_STACK_BYTES: usize = 64 << 20;

fn main() -> ExitCode {
    // Only fails if a pool already exists, which nothing here makes before this line.
    let _ = rayon::ThreadPoolBuilder::new().stack_size(RENDER_STACK_BYTES).build_global();
    let (action, epoch) = match (cli::parse(), handbook::dates::source_date_epoch()) {
        (action, Ok(epoch)) => (action, epoch),
        (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    let result = match action.with_epoch(epoch) {
        Action::Build(options) => build(&options),
        Action::Check { options, format, external, external_budget, fix } => {
            check(&options, format, external.then_some(external_budget), fix)
        }
        // A missing or invalid handbook.toml is reported before anything is watched, as `build` does.
        Action::Serve { options, bind, port, open, allowed_hosts } => handbook::config::Config::load(&options.root, None)
            .and_then(|_| handbook::serve::run(&options, &bind, port, open, &allowed_hosts))
            .map(|()| 0),
        Action::New { root, kind, title } => handbook::scaffold::new_page(&root, kind, &title, handbook::dates::today(epoch)).map(|path| {
            println!("Created {}", path.display());
            0
        }),
        Action::Init { dir } => handbook::scaffold::init(&dir).map(|()| {
            println!("Created a new site in {}; build it with `handbook build --root {}`", dir.display(), dir.display());
            0
        }),
        Action::KnownUrls { content } => known_urls(&content),
        Action::Print(text) => {
            use std::io::Write;
            // A closed pipe (`handbook man | head`) is not an error worth a message.
            let _ = std::io::stdout().write_all(&text);
            Ok(0)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            print_diagnostics(e.diagnostics());
            eprintln!("error: {}", handbook::error::chain(&e));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// `known-urls`: the URLs on stdout, the pages that could not be read as warnings on stderr.
fn known_urls(content: &std::path::Path) -> Result<u8, Error> {
    let (urls, problems) = handbook::known_urls::from_content(content)?;
    let warnings: Vec<Diagnostic> = problems.into_iter().map(|d| Diagnostic { severity: diagnostics::Severity::Warning, ..d }).collect();
    print_diagnostics(&warnings);
    let mut out = std::io::stdout().lock();
    for url in &urls {
        use std::io::Write;
        if writeln!(out, "{url}").is_err() {
            break; // a closed pipe (`| head`) is not an error
        }
    }
    eprintln!("{} page URLs from {}", urls.len(), content.display());
    Ok(0)
}

fn build(options: &handbook::BuildOptions) -> Result<u8, Error> {
    let report = handbook::build(options)?;
    print_diagnostics(&report.diagnostics);
    eprintln!("{}", build_summary(&report, &options.output_dir()));
    if let Some((files, urls)) = report.verified {
        eprintln!("Verified {files} HTML files: {urls} internal URLs and fragments resolve under the deploy prefix");
    }
    if let Some(digest) = &report.digest {
        println!("output digest: blake3:{digest}");
    }
    Ok(0)
}

fn build_summary(report: &Report, output: &std::path::Path) -> String {
    let (_, warnings) = diagnostics::count(&report.diagnostics);
    format!(
        "Built {} pages in {:.2} s: {} links checked, {} parent-handbook links not checked, {warnings} warnings → {}",
        report.pages,
        report.elapsed.as_secs_f64(),
        report.links,
        report.unchecked_parent_links,
        output.display()
    )
}

/// `external`: the time budget of `--external`, when given.
fn check(options: &handbook::BuildOptions, format: Format, external: Option<std::time::Duration>, fix: bool) -> Result<u8, Error> {
    let mut report = handbook::check(options)?;
    if fix {
        for edit in handbook::fix::apply(&options.root, &report.diagnostics)? {
            eprintln!("fixed {}:{}:{}: `{}` → `{}`", edit.file.display(), edit.line, edit.column, edit.from, edit.to);
        }
        report = handbook::check(options)?;
    }
    if let Some(budget) = external {
        let progress = std::io::stderr().is_terminal();
        report.diagnostics.extend(handbook::links::external::check_report(&options.root, &report.external, progress, budget));
        diagnostics::sort_and_dedup(&mut report.diagnostics);
    }
    match format {
        Format::Text => {
            print_diagnostics(&report.diagnostics);
            eprintln!(
                "Checked {} pages: {} links resolved, {} parent-handbook links not checked{}{}",
                report.pages,
                report.links,
                report.unchecked_parent_links,
                if external.is_some() { format!(", {} external links", report.external.len()) } else { String::new() },
                report.counterpart_gaps.map_or(String::new(), |g| format!(", {g} groups without an AppSec counterpart")),
            );
        }
        Format::Json => print!("{}", diagnostics::render_json(&report.diagnostics)),
        Format::CodeQuality => print!("{}", diagnostics::render_codequality(&report.diagnostics)),
    }
    Ok(u8::from(report.has_errors()))
}

/// Diagnostics to stderr, colored only on a terminal, with a summary line.
fn print_diagnostics(list: &[Diagnostic]) {
    if list.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diagnostics::render_text(list, color));
    if let Some(summary) = diagnostics::summary_line(list) {
        eprintln!("{summary}");
    }
}
