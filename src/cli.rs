//! Command line: clap types, parsed and turned into the library's own option structs. Nothing
//! from clap leaves this file.

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use handbook::diagnostics::Format;
use handbook::BuildOptions;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "handbook", version, about = "Build, check and preview the Application Security handbook section")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output)
    Build {
        /// Site folder, the one holding handbook.toml
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Where to write the site (default: public/ under the root)
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Overrides base_url (e.g. a review app's URL)
        #[arg(long, value_name = "URL", env = "HANDBOOK_BASE_URL")]
        base_url: Option<String>,
        /// Include pages with `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Parse the written HTML back and check every internal URL and #fragment before
        /// replacing the output
        #[arg(long)]
        verify: bool,
        /// Replace the output folder even if it is not empty and was not made by `handbook build`
        #[arg(long)]
        force: bool,
    },
    /// Run every check without writing the site
    Check {
        /// Site folder, the one holding handbook.toml
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// How to print the diagnostics: text on stderr, or a JSON array or a GitLab Code
        /// Quality report on stdout
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// Also check http(s) links (network)
        #[arg(long)]
        external: bool,
        /// Seconds the external check may take in all; links left then are reported as not checked
        #[arg(long, value_name = "SECONDS", default_value_t = 120)]
        external_budget: u64,
        /// Rewrite links that have a known fix in the source files
        #[arg(long)]
        fix: bool,
    },
    /// Serve the site with live reload
    Serve {
        /// Site folder, the one holding handbook.toml
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Address to listen on (beyond loopback, anyone who reaches it can read the site)
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
        /// Include pages with `draft: true`
        #[arg(long)]
        drafts: bool,
        /// A host name the preview may be reached by besides localhost and IP addresses (repeatable)
        #[arg(long = "allowed-host", value_name = "NAME")]
        allowed_hosts: Vec<String>,
    },
    /// Create a new runbook or page
    New {
        /// What to create: a runbook (content/runbooks/) or a page (content/)
        #[arg(value_enum)]
        kind: NewKind,
        /// Title of the new page (its file name is derived from it)
        name: String,
        /// Site folder, the one holding handbook.toml
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Create a new site
    Init {
        /// Folder of the new site (default: the current folder)
        dir: Option<PathBuf>,
    },
    /// Print a shell completion script to stdout
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: ShellArg,
    },
    /// Print the man page (roff) to stdout
    Man,
    /// Print the URL of every page of a Hugo content folder (the parent handbook's), for `[links] known_urls`
    KnownUrls {
        /// The parent handbook's content/ folder
        #[arg(value_name = "CONTENT_DIR")]
        content: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Codequality,
}

#[derive(Clone, Copy, ValueEnum)]
enum NewKind {
    Runbook,
    Page,
}

/// What `main` runs, in the library's terms.
pub enum Action {
    Build(BuildOptions),
    Check {
        options: BuildOptions,
        format: Format,
        external: bool,
        external_budget: std::time::Duration,
        fix: bool,
    },
    Serve {
        options: BuildOptions,
        bind: String,
        port: u16,
        open: bool,
        allowed_hosts: Vec<String>,
    },
    New {
        root: PathBuf,
        kind: handbook::scaffold::NewKind,
        title: String,
    },
    Init {
        dir: PathBuf,
    },
    /// Text to write to stdout as it is (a completion script, the man page).
    Print(Vec<u8>),
    KnownUrls {
        content: PathBuf,
    },
}

impl Action {
    /// The action with `SOURCE_DATE_EPOCH` in its build options.
    pub fn with_epoch(mut self, epoch: Option<i64>) -> Action {
        match &mut self {
            Action::Build(options) | Action::Check { options, .. } | Action::Serve { options, .. } => options.source_date_epoch = epoch,
            _ => {}
        }
        self
    }
}

/// Parses the process arguments (exits with status 2 on a usage error, as clap does).
pub fn parse() -> Action {
    let options = |root: Option<PathBuf>, base_url: Option<String>, output: Option<PathBuf>, drafts: bool| BuildOptions {
        root: root.unwrap_or_else(|| PathBuf::from(".")),
        output,
        base_url,
        drafts,
        // Filled by `Action::with_epoch`: main reads SOURCE_DATE_EPOCH, once, in the library.
        source_date_epoch: None,
        verify: false,
        force: false,
    };
    match Cli::parse().command {
        Command::Build { root, output, base_url, drafts, verify, force } => {
            Action::Build(BuildOptions { verify, force, ..options(root, base_url, output, drafts) })
        }
        Command::Check { root, format, external, external_budget, fix } => Action::Check {
            options: options(root, None, None, false),
            format: match format {
                FormatArg::Text => Format::Text,
                FormatArg::Json => Format::Json,
                FormatArg::Codequality => Format::CodeQuality,
            },
            external,
            external_budget: std::time::Duration::from_secs(external_budget),
            fix,
        },
        Command::Serve { root, bind, port, open, drafts, allowed_hosts } => {
            Action::Serve { options: options(root, None, None, drafts), bind, port, open, allowed_hosts }
        }
        Command::New { kind, name, root } => Action::New {
            root: root.unwrap_or_else(|| PathBuf::from(".")),
            kind: match kind {
                NewKind::Runbook => handbook::scaffold::NewKind::Runbook,
                NewKind::Page => handbook::scaffold::NewKind::Page,
            },
            title: name,
        },
        Command::Init { dir } => Action::Init { dir: dir.unwrap_or_else(|| PathBuf::from(".")) },
        Command::Completions { shell } => Action::Print(completions(shell)),
        Command::Man => Action::Print(man_page()),
        Command::KnownUrls { content } => Action::KnownUrls { content },
    }
}

fn completions(shell: ShellArg) -> Vec<u8> {
    use clap_complete::Shell;
    let shell = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Powershell => Shell::PowerShell,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "handbook", &mut out);
    out
}

/// handbook(1): the command, then a section per subcommand with its description, synopsis and
/// options (clap_mangen's own layout points at a page per subcommand; one page is simpler to ship).
fn man_page() -> Vec<u8> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let top = Man::new(command.clone());
    let mut page = String::from(ROFF_PREAMBLE);
    page +=
        &roff(&top, &[Man::render_title, Man::render_name_section, Man::render_synopsis_section, Man::render_description_section], "SH");
    for sub in command.get_subcommands() {
        page += &format!(".SH \"HANDBOOK {}\"\n", sub.get_name().to_uppercase());
        let sections: &[Section] = &[Man::render_description_section, Man::render_synopsis_section, Man::render_options_section];
        page += &roff(&Man::new(sub.clone()), sections, "SS");
    }
    page += &roff(&top, &[Man::render_version_section], "SH");
    page.into_bytes()
}

use clap_mangen::Man;
type Section = fn(&Man, &mut dyn std::io::Write) -> std::io::Result<()>;

/// What clap_mangen writes before every piece it renders: written once, at the top.
const ROFF_PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

/// The roff of some sections of `man`, their headings at `level` (`SH`, or `SS` for subsections).
fn roff(man: &Man, sections: &[Section], level: &str) -> String {
    let mut out = Vec::new();
    for section in sections {
        section(man, &mut out).expect("rendering into memory cannot fail");
    }
    let text = String::from_utf8(out).expect("clap_mangen writes UTF-8");
    let lines = text.lines().filter(|line| !ROFF_PREAMBLE.lines().any(|p| p == *line));
    lines.map(|line| line.strip_prefix(".SH ").map_or_else(|| format!("{line}\n"), |heading| format!(".{level} {heading}\n"))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects the arguments without help text of `command` and its subcommands, as
    /// `handbook serve: --port`.
    fn args_without_help(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in command.get_arguments() {
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path}: {}", arg.get_long().map_or_else(|| arg.get_id().to_string(), |l| format!("--{l}"))));
            }
        }
        for sub in command.get_subcommands() {
            args_without_help(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }

    #[test]
    fn every_argument_of_every_subcommand_has_help_text() {
        Cli::command().debug_assert();
        let mut command = Cli::command();
        command.build(); // adds --help and --version, which clap documents itself
        let mut missing = Vec::new();
        args_without_help(&command, "handbook", &mut missing);
        assert_eq!(missing, Vec::<String>::new());
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            assert!(sub.get_about().is_some(), "`handbook {}` has no description", sub.get_name());
        }
    }

    #[test]
    fn completions_and_man_page_name_every_subcommand() {
        for shell in [ShellArg::Bash, ShellArg::Zsh, ShellArg::Fish, ShellArg::Powershell] {
            let script = String::from_utf8(completions(shell)).unwrap();
            for word in ["build", "check", "serve", "completions", "base-url"] {
                assert!(script.contains(word), "no `{word}` in the completion script:\n{script}");
            }
        }
        let man = String::from_utf8(man_page()).unwrap();
        assert!(man.starts_with(ROFF_PREAMBLE) && man.matches(ROFF_PREAMBLE).count() == 1, "{man}");
        assert!(man.contains(".TH handbook 1"));
        for sub in ["BUILD", "CHECK", "SERVE", "NEW", "INIT", "COMPLETIONS", "MAN"] {
            assert!(man.contains(&format!(".SH \"HANDBOOK {sub}\"\n.SS DESCRIPTION\n")), "no section for {sub}:\n{man}");
        }
        // A flag with its help text, under its subcommand's OPTIONS.
        let serve = &man[man.find(".SH \"HANDBOOK SERVE\"").unwrap()..];
        assert!(
            serve.contains(".SS OPTIONS\n.TP\n\\fB\\-\\-root\\fR \\fI<DIR>\\fR\nSite folder, the one holding handbook.toml\n"),
            "{serve}"
        );
    }
}
