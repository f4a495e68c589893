//! Index and check stages for links: the [`SiteIndex`] of every page, URL, alias and file; the
//! resolver that turns a written link into a target and an href; and the anchor check that runs
//! once every page has rendered.

mod check;
pub mod external;
mod index;
pub mod parent;
pub mod paths;
mod record;
mod resolve;

pub use check::check_anchors;
pub use index::SiteIndex;
pub use record::{problem_diagnostic, LinkRecord};
pub(crate) use resolve::decode;
pub use resolve::{resolve_link, resolve_ref, Problem, Resolution, Target};
