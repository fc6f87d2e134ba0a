//! berdaya: builds the static information site of Tarakan's community-empowerment programme,
//! and the impact report of its survey.
//!
//! Two pipelines meet at the site. Content: [`config`] → [`content`] (read and validate
//! markdown files) → [`markdown`] (body to HTML, cleaned by [`sanitize`]) → [`templates`]
//! (the Tera 2 theme). Impact: [`impact`] (`data/impact.toml` and the survey → estimates →
//! privacy-safe report views, charts and CSVs). [`site`] renders both into an [`output`]
//! (minify, budget, precompress, then an atomic swap or serve's in-place commit). [`build`]
//! loads a site the one way `build`, `check` and `serve` share; [`cli`], [`serve`] and
//! [`scaffold`] are the faces. [`common`] is the floor under all of them. ARCHITECTURE.md
//! draws it.

// Errors carry a whole diagnostic (source, span, hint); they are the cold path, so size is fine.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

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
pub mod photos;
pub mod sanitize;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod templates;
