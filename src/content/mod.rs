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
    /// Title from front matter: required for pages, empty when a section leaves it out.
    pub title: String,
    /// Summary for search engines and link previews; empty when left out.
    pub description: String,
    /// Position in menus and in listings sorted by weight, lower first; None when left out.
    pub weight: Option<i64>,
    /// True keeps the page or section out of the site unless drafts are included.
    pub draft: bool,
    /// False (`render = false`, as in Zola) gives a page no page of its own (it is left out of
    /// the site), and a section no listing page (its pages are published).
    pub render: bool,
    /// Old site-relative URLs that redirect here, normalised and without repeats.
    pub aliases: Vec<String>,
    /// Template named in front matter instead of the default one; used only when the theme
    /// has it.
    pub template: Option<String>,
    /// The `[extra]` table: the contributor's own values for templates; empty when left out.
    pub extra: Table,
    /// False (`in_search_index = false`, as in Zola) keeps the page out of the search index and
    /// the A–Z list.
    pub in_search_index: bool,
}

/// A markdown file under `content/` other than an `_index.md`, with its checked front matter,
/// its kind's fields and its URL.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path under `content/` with `/` separators: the key of `@/` links.
    pub rel: String,
    /// The file's text, with its path shown as `content/...`.
    pub source: Source,
    /// Language code: from the file name (`x.en.md`), else the default language.
    pub lang: String,
    /// Kind of the page: the `kind` of the nearest section at or above its folder, `page` when
    /// none.
    pub kind: Kind,
    /// Fields every page and section has.
    pub meta: Meta,
    /// Date of the page: front matter's `date`, else a `YYYY-MM-DD-` prefix of the file name,
    /// else a workshop's start; None when none gives one.
    pub date: Option<Timestamp>,
    /// When the page was last changed, from front matter's `updated`; None when left out.
    pub updated: Option<Timestamp>,
    /// Last URL segment: front matter's `slug`, else made from the file name (the folder's for
    /// `index.md`) without its date prefix.
    pub slug: String,
    /// Terms by taxonomy name: those in `[taxonomies]` plus those taken from typed fields
    /// (a taxonomy's `from_field`).
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// True when the page marks invented people, groups or events as an illustrative example.
    pub illustrative: bool,
    /// The fields of the page's kind (tip, workshop or story).
    pub typed: Typed,
    /// Byte offset into the file where the markdown body starts, after the front matter.
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

/// An `_index.md` under `content/`: a section that lists the pages of its folder and the
/// folders below that have no section of their own.
#[derive(Debug, Clone)]
pub struct Section {
    /// Path under `content/` with `/` separators, e.g. `tips/_index.md`.
    pub rel: String,
    /// The file's text, with its path shown as `content/...`.
    pub source: Source,
    /// Language code: from the file name (`_index.en.md`), else the default language.
    pub lang: String,
    /// Fields every page and section has.
    pub meta: Meta,
    /// Kind of the pages in this section.
    pub kind: Kind,
    /// Order of the pages in the listing (default by date).
    pub sort_by: SortBy,
    /// Count of pages per listing page; None lists them all on one.
    pub paginate_by: Option<usize>,
    /// Folder name of the listing's later pages (default `page`): page 2 is
    /// `/SECTION/page/2/`.
    pub paginate_path: String,
    /// Template for the section's pages that name none themselves; used only when the theme
    /// has it.
    pub page_template: Option<String>,
    /// Whether a top-level section appears in the navigation menu (default `true`).
    pub in_menu: bool,
    /// Byte offset into the file where the markdown body starts, after the front matter.
    pub body_start: usize,
    /// Folder under `content/` ("" for the home page).
    pub dir: String,
    /// Site-relative URL such as `/tips/` or `/en/`.
    pub url: String,
    /// `rel` without the language (`tips/_index.md`): the same for a section and its
    /// translations.
    pub translation_key: String,
    /// Lists its pages in the reverse of `sort_by` order (`paginate_reversed`).
    pub paginate_reversed: bool,
    /// Its pages are also listed by its parent section (`transparent`, as in Zola).
    pub transparent: bool,
    /// Its own page sends readers to this address instead (`redirect_to`: `@/file.md`, a site
    /// path or a full URL).
    pub redirect_to: Option<String>,
    /// Indices into [`Content::pages`] of the pages this section lists, in `sort_by` order.
    pub pages: Vec<usize>,
    /// Indices into [`Content::sections`] of the sections directly below, by weight then title.
    pub subsections: Vec<usize>,
    /// Index into [`Content::sections`] of the nearest section above in the same language;
    /// None for the home section or when there is none.
    pub parent: Option<usize>,
}

/// Order of the pages in a section's listing (`sort_by` in front matter); ties go by path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Newest first; pages without a date last.
    Date,
    /// Most recently updated first (`updated`, else `date`); pages with neither last.
    UpdateDate,
    /// Lowest `weight` first; pages without a weight last.
    Weight,
    /// By title, ignoring case (`title` or `title_bytes`).
    Title,
    /// By slug, A to Z.
    Slug,
    /// By URL, A to Z.
    Permalink,
    /// By path under `content/` only.
    None,
}

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Every page read (drafts only when included); sections refer to them by index.
    pub pages: Vec<Page>,
    /// Every section read (drafts only when included); pages and sections refer to them by
    /// index.
    pub sections: Vec<Section>,
    /// Non-markdown files (images, PDFs) and the output folder they are copied to.
    pub assets: Vec<(PathBuf, String)>,
    /// Non-markdown files with their path under `content/`.
    raw_assets: Vec<(PathBuf, String)>,
    /// Paths under `content/` of the drafts left out, so that a link to one can say so.
    pub drafts: Vec<String>,
    /// Paths under `content/` of the pages with `render = false`, left out likewise.
    pub unrendered: Vec<String>,
}

/// What to include when loading `content/`.
pub struct LoadOptions {
    /// Include pages and sections with `draft = true`.
    pub drafts: bool,
}
