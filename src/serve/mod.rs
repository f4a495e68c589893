//! Serve stage: the live-reloading preview server.

use crate::error::{Error, Result};

/// `handbook serve`.
pub fn run(_options: &crate::BuildOptions, _bind: &str, _port: u16, _open: bool) -> Result<()> {
    Err(Error::Usage("`handbook serve` is not yet available".to_string()))
}
