//! `berdaya serve`: builds the site, serves it, watches the site's files and rebuilds only what
//! a change affects, then tells open pages to reload (or shows the error on them).

pub mod session;

pub use session::{Change, Round, Session, classify};
