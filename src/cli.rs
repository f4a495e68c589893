//! Command line: clap types, parsed and turned into the library's own option structs. Nothing
//! from clap leaves this file.

use clap::{Parser, Subcommand, ValueEnum};
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
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
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
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
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
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
        #[arg(long)]
        drafts: bool,
        /// A host name the preview may be reached by besides localhost and IP addresses (repeatable)
        #[arg(long = "allowed-host", value_name = "NAME")]
        allowed_hosts: Vec<String>,
    },
    /// Create a new runbook or page
    New {
        #[arg(value_enum)]
        kind: NewKind,
        /// Title of the new page (its file name is derived from it)
        name: String,
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Create a new site
    Init { dir: Option<PathBuf> },
    /// Print the URL of every page of a Hugo content folder (the parent handbook's), for `[links] known_urls`
    KnownUrls {
        /// The parent handbook's content/ folder
        #[arg(value_name = "CONTENT_DIR")]
        content: PathBuf,
    },
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
    Check { options: BuildOptions, format: Format, external: bool, external_budget: std::time::Duration, fix: bool },
    Serve { options: BuildOptions, bind: String, port: u16, open: bool, allowed_hosts: Vec<String> },
    New { root: PathBuf, kind: handbook::scaffold::NewKind, title: String },
    Init { dir: PathBuf },
    KnownUrls { content: PathBuf },
}

/// Parses the process arguments (exits with status 2 on a usage error, as clap does).
pub fn parse() -> Action {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse().ok());
    let options = |root: Option<PathBuf>, base_url: Option<String>, output: Option<PathBuf>, drafts: bool| BuildOptions {
        root: root.unwrap_or_else(|| PathBuf::from(".")),
        output,
        base_url,
        drafts,
        source_date_epoch: epoch,
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
        Command::KnownUrls { content } => Action::KnownUrls { content },
    }
}
