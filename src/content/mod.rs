//! Loading `content/`: every markdown file becomes a [`Page`] or a [`Section`] with validated
//! front matter, a language, a URL and its place in the section tree.
//!
//! [`file`] reads one file (encoding, front matter, names); [`page`] and [`section`] validate
//! their fields ([`fields`], [`kinds`]); [`load`](load()) walks the folder; [`tree`] gives URLs
//! and builds the section tree; [`incremental`] re-reads changed pages for `serve`.

pub mod fields;
mod file;
pub mod frontmatter;
mod incremental;
pub mod kinds;
mod load;
mod page;
mod section;
pub mod text;
mod tree;

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::Timestamp;
use toml::Table;

use crate::common::diagnostics::Source;
pub use file::value_span;
pub use incremental::Reach;
pub use kinds::{Change, Kind, Story, Tip, Typed, Workshop};
pub use load::{load, load_files};

/// Fields shared by pages and sections.
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub description: String,
    pub weight: Option<i64>,
    pub draft: bool,
    pub aliases: Vec<String>,
    pub template: Option<String>,
    pub extra: Table,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Path under `content/` with `/` separators: the key of `@/` links.
    pub rel: String,
    pub source: Source,
    pub lang: String,
    pub kind: Kind,
    pub meta: Meta,
    pub date: Option<Timestamp>,
    pub updated: Option<Timestamp>,
    pub slug: String,
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub illustrative: bool,
    pub typed: Typed,
    pub body_start: usize,
    /// Site-relative URL such as `/tips/menjemur-rumput-laut/`.
    pub url: String,
    /// `rel` without the language: the same for a page and its translations.
    pub translation_key: String,
    /// Index of the section that lists this page.
    pub section: Option<usize>,
    /// Hash of the file's text: what the page's output depends on from its own file.
    pub hash: u64,
    fixed_path: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub rel: String,
    pub source: Source,
    pub lang: String,
    pub meta: Meta,
    /// Kind of the pages in this section.
    pub kind: Kind,
    pub sort_by: SortBy,
    pub paginate_by: Option<usize>,
    pub paginate_path: String,
    pub page_template: Option<String>,
    pub in_menu: bool,
    pub body_start: usize,
    /// Folder under `content/` ("" for the home page).
    pub dir: String,
    pub url: String,
    pub translation_key: String,
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Date,
    Weight,
    Title,
    None,
}

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Content {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    /// Non-markdown files (images, PDFs) and the output folder they are copied to.
    pub assets: Vec<(PathBuf, String)>,
    /// Non-markdown files with their path under `content/`.
    raw_assets: Vec<(PathBuf, String)>,
}

pub struct LoadOptions {
    pub drafts: bool,
}
