//! berdaya: builds the static information site of Tarakan's community-empowerment programme.
//!
//! Data flows top to bottom through these modules:
//! [`config`] → [`content`] (load and validate markdown) → [`markdown`] (body to HTML) →
//! [`templates`] (Tera 2 theme) → [`site`] (assemble pages, listings, feeds, calendars) →
//! [`output`] (minify, budget, precompress, atomic swap). [`cli`] is the command line.

// Errors carry a whole diagnostic (source, span, hint); they are the cold path, so size is fine.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod cli;
pub mod common;
pub mod config;
pub mod content;
#[doc(hidden)]
pub mod fuzzing;
pub mod impact;
pub mod markdown;
pub mod output;
pub mod sanitize;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod templates;
