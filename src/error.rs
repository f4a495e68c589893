//! Errors that end a command early, and the exit codes they map to.

use crate::diagnostics::Diagnostic;
use std::path::PathBuf;

/// What a caller can branch on. Diagnostics of the site itself are not errors of this kind: they
/// travel in reports; these are the reasons a command could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no handbook.toml in {} (run `handbook init` to create a site there)", .0.display())]
    MissingConfig(PathBuf),
    #[error("handbook.toml is invalid")]
    InvalidConfig(Vec<Diagnostic>),
    #[error("{0}")]
    Usage(String),
    #[error("cannot {action} {}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the site has errors")]
    Site(Vec<Diagnostic>),
    #[error("template error: {0}")]
    Template(String),
    /// A file the build would write outside the output folder (a bug or hostile input that got
    /// past the front-matter checks): refused by the one function that makes output paths.
    #[error("refusing to write `{path}` into the output: it has {why}")]
    OutputPath { path: String, why: crate::safe_path::BadSegment },
    /// Two sources map to one output file and no earlier check named them (the last guard
    /// against one silently replacing the other).
    #[error("two sources write `{0}` in the output; rename one of them")]
    OutputClash(String),
    /// A broken promise between two parts of handbook (a bug, not the site's fault).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// 2 for usage and configuration problems, 1 for everything else (the site has errors).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::MissingConfig(_) | Error::InvalidConfig(_) | Error::Usage(_) => 2,
            _ => 1,
        }
    }

    /// Diagnostics carried by the error, to print before the error itself.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::InvalidConfig(d) | Error::Site(d) => d,
            _ => &[],
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error and its causes on one line, each once: "cannot read x: permission denied".
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
