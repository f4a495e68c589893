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
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc v3's `mi_option_purge_delay` (the `mi_option_e` enum in its `mimalloc.h`;
/// libmimalloc-sys names that option only for v2). A test checks its default value.
const MI_OPTION_PURGE_DELAY: std::os::raw::c_int = 15;

/// A build renders pages batch after batch, and each batch reuses the memory the previous one
/// freed. By default mimalloc hands freed memory back to the kernel (about 850 `madvise` calls
/// in a 10,000-page build), and the next batch faults it in again, each huge page zeroed anew:
/// 3–4 % of that build's time (README, Benchmarks). `build` and `check` end within seconds, so
/// they keep what they free; `serve` keeps the default, so a long session gives memory back
/// between rebuilds.
fn keep_freed_memory() {
    // SAFETY: sets one option value; mimalloc reads options at any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// A 10,000-page build touches about 200 MB of memory that is fresh to it. mimalloc asks for
/// transparent huge pages, which the kernel zeroes 2 MB at a time on first touch. On a VM whose
/// host takes back what the guest frees (virtio-balloon free page reporting, as on this
/// benchmark machine), whole free 2 MB blocks are what goes back first, so huge pages fault on
/// the host as well: profiles put 12–20 % of a build's CPU time in zeroing them. In 4 KB pages
/// the same build took 4 % less CPU and 2 % less wall time, in bench.sh's order of runs
/// (docs/decisions.md, mimalloc). Run back to back, with memory the host still holds, huge pages are
/// 2–3 % faster instead; `build` and `check` usually start on memory another job just freed,
/// so they ask for small pages, and `serve` keeps the default.
fn use_small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: takes plain integers and sets one flag of this process; nothing to clean up.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Allocator settings for a command that runs once and exits.
fn tune_for_one_shot() {
    keep_freed_memory();
    use_small_pages();
}

/// Stack of every thread that renders. Input depth is limited where it is read (shortcodes 64
/// deep, YAML 64 deep, template recursion only down finite data), but a Tera macro walking a
/// deep section tree recurses once per level; 64 MiB is reserved, not used, until it is needed.
const RENDER_STACK_BYTES: usize = 64 << 20;

fn main() -> ExitCode {
    // Only fails if a pool already exists, which nothing here makes before this line.
    let _ = rayon::ThreadPoolBuilder::new().stack_size(RENDER_STACK_BYTES).build_global();
    let result = match cli::parse() {
        Action::Build(options) => {
            tune_for_one_shot();
            build(&options)
        }
        Action::Check { options, format, external, external_budget, fix } => {
            tune_for_one_shot();
            check(&options, format, external.then_some(external_budget), fix)
        }
        // A missing or invalid handbook.toml is reported before anything is watched, as `build` does.
        Action::Serve { options, bind, port, open, allowed_hosts } => handbook::config::Config::load(&options.root, None)
            .and_then(|_| handbook::serve::run(&options, &bind, port, open, &allowed_hosts))
            .map(|()| 0),
        Action::New { root, kind, title } => handbook::scaffold::new_page(&root, kind, &title, today()).map(|path| {
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

fn today() -> i64 {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64));
    seconds.div_euclid(86_400)
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
        report.diagnostics.extend(handbook::links::external::check_report(&options.root, &report, progress, budget));
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

#[cfg(test)]
mod tests {
    use super::*;

    // One test, not two: both settings belong to the whole process, and tests run in parallel.
    #[test]
    fn one_shot_commands_keep_freed_memory_and_use_small_pages() {
        // `purge_delay` is 1000 (ms) by default in mimalloc v3's options.c; the option at
        // another number (after a renumbering in a mimalloc update) would not read 1000.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }, 1000);
        }
        tune_for_one_shot();
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }, -1);
        #[cfg(target_os = "linux")]
        // SAFETY: reads one flag of this process.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) }, 1, "transparent huge pages are off");
    }
}
