//! Loading `content/`: every markdown file becomes a [`Page`] or a [`Section`] with validated
//! front matter, a language, a URL and its place in the section tree.

pub mod fields;
pub mod frontmatter;
pub mod kinds;
pub mod text;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;
use toml::Table;

use crate::common::diagnostics::{Diagnostic, Diagnostics, Source, catch_panic};
use crate::config::Config;
use fields::Fields;
use frontmatter::FrontMatter;
pub use kinds::{Change, Kind, Story, Tip, Typed, Workshop};

/// Front-matter keys every page accepts (Zola's, plus `illustrative`).
const PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "path",
    "weight",
    "aliases",
    "template",
    "taxonomies",
    "extra",
    "illustrative",
    "authors",
    "render",
    "in_search_index",
];
/// Front-matter keys every section accepts.
const SECTION_KEYS: &[&str] = &[
    "title",
    "description",
    "kind",
    "sort_by",
    "weight",
    "draft",
    "template",
    "page_template",
    "paginate_by",
    "paginate_path",
    "paginate_reversed",
    "aliases",
    "extra",
    "render",
    "in_search_index",
    "insert_anchor_links",
    "transparent",
    "generate_feeds",
    "redirect_to",
    "in_menu",
];

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

/// Orders `content/` paths as a walk sorted by file name visits them (folder by folder).
fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

/// How far a change of page files reaches beyond the pages themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// Only their own output and what listings show of them.
    Body,
    /// Also their order in listings or their title (in the menu, maybe): the section tree is
    /// rebuilt, URLs stay.
    Order,
    /// Pages added or removed, or URLs changed: pages linking to them may change too.
    Structure,
}

/// True when a re-read page keeps what its URL and translations are made from.
fn same_url(old: &Page, new: &Page) -> bool {
    old.slug == new.slug
        && old.fixed_path == new.fixed_path
        && old.lang == new.lang
        && old.kind == new.kind
        && old.translation_key == new.translation_key
}

/// True when a re-read page also keeps its place in listings and the navigation.
fn same_place(old: &Page, new: &Page) -> bool {
    same_url(old, new)
        && old.date == new.date
        && old.meta.weight == new.meta.weight
        && old.meta.title == new.meta.title
        && old.meta.draft == new.meta.draft
}

/// Kind of pages by section folder; the default language's section decides.
fn kinds_by_dir(sections: &[Section], config: &Config) -> HashMap<String, Kind> {
    sections
        .iter()
        .filter(|s| {
            s.lang == config.default_language
                || !sections
                    .iter()
                    .any(|o| o.dir == s.dir && o.lang == config.default_language)
        })
        .map(|s| (s.dir.clone(), s.kind))
        .collect()
}

impl Content {
    /// Re-reads the page files `rels` (paths under `content/`, not `_index` files): changed ones
    /// are replaced, new ones inserted, missing ones removed. Returns each file's diagnostics,
    /// and how far the change reaches; unless it is [`Reach::Body`], call [`Content::relink`].
    pub fn update_pages(
        &mut self,
        root: &Path,
        config: &Config,
        opts: &LoadOptions,
        rels: &[String],
    ) -> (Vec<(String, Vec<Diagnostic>)>, Reach) {
        let kinds = kinds_by_dir(&self.sections, config);
        let mut out = Vec::new();
        let mut reach = Reach::Body;
        for rel in rels {
            let path = root.join("content").join(rel);
            let existing = self.pages.iter().position(|p| &p.rel == rel);
            let (page, diags) = if path.is_file() {
                let shown = PathBuf::from("content").join(rel);
                catch_panic(&shown, "reading", || match read_file(&path, rel) {
                    Ok(parsed) => {
                        let kind = nearest(&kinds, &page_section_dir(rel))
                            .copied()
                            .unwrap_or_default();
                        read_page(parsed, kind, config)
                    }
                    Err(ds) => (None, ds),
                })
                .unwrap_or_else(|d| (None, vec![d]))
            } else {
                (None, Vec::new())
            };
            let page = page.filter(|p| !p.meta.draft || opts.drafts);
            match (existing, page) {
                (Some(i), Some(mut p)) => {
                    let old = &self.pages[i];
                    if same_place(old, &p) {
                        p.url = old.url.clone();
                        p.section = old.section;
                    } else if same_url(old, &p) {
                        reach = reach.max(Reach::Order);
                    } else {
                        reach = Reach::Structure;
                    }
                    self.pages[i] = p;
                }
                (Some(i), None) => {
                    reach = Reach::Structure;
                    self.pages.remove(i);
                }
                (None, Some(p)) => {
                    reach = Reach::Structure;
                    let at = self
                        .pages
                        .partition_point(|q| walk_order(&q.rel, &p.rel).is_lt());
                    self.pages.insert(at, p);
                }
                (None, None) => {}
            }
            out.push((rel.clone(), diags));
        }
        (out, reach)
    }

    /// Recomputes URLs, the section tree, bundle asset places and the duplicate-URL check after
    /// pages changed.
    pub fn relink(&mut self, config: &Config) -> Diagnostics {
        for s in &mut self.sections {
            s.pages.clear();
            s.subsections.clear();
            s.parent = None;
        }
        for p in &mut self.pages {
            p.section = None;
        }
        assign_urls(self, config);
        link_tree(self);
        let mut diags = Diagnostics::default();
        check_duplicate_urls(self, &mut diags);
        // A bundle's assets go beside its page (the default-language one); other assets keep their folder.
        let bundles: HashMap<&str, &str> = self
            .pages
            .iter()
            .filter_map(|p| Some((p.rel.strip_suffix("/index.md")?, p.url.as_str())))
            .collect();
        self.assets = self
            .raw_assets
            .iter()
            .map(|(path, rel)| {
                let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
                let name = rel.rsplit('/').next().unwrap_or(rel).to_string();
                let out_dir = bundles
                    .get(dir)
                    .map_or_else(|| format!("/{dir}/").replace("//", "/"), |u| u.to_string());
                (path.clone(), format!("{out_dir}{name}"))
            })
            .collect();
        diags
    }
}

pub struct LoadOptions {
    pub drafts: bool,
}

/// Splits `x.en.md` into (`x`, Some("en")); `x.md` into (`x`, None).
fn split_lang<'a>(stem: &'a str, config: &Config) -> (&'a str, Option<&'a str>) {
    match stem.rsplit_once('.') {
        Some((base, code)) if config.is_language(code) => (base, Some(code)),
        _ => (stem, None),
    }
}

/// Loads `content/` and links it: URLs, the section tree, duplicate-URL check.
pub fn load(root: &Path, config: &Config, opts: &LoadOptions) -> (Content, Diagnostics) {
    let (mut content, mut diags) = load_files(root, config, opts);
    diags.extend(content.relink(config).0);
    (content, diags)
}

/// Reads and validates every file of `content/`; [`Content::relink`] links them.
pub fn load_files(root: &Path, config: &Config, opts: &LoadOptions) -> (Content, Diagnostics) {
    let content_dir = root.join("content");
    let mut diags = Diagnostics::default();
    let mut md_files = Vec::new();
    let mut assets = Vec::new();
    if !content_dir.is_dir() {
        diags.push(Diagnostic::error("no content/ folder").help(format!(
            "create {}/content with an _index.md",
            root.display()
        )));
        return (Content::default(), diags);
    }
    for entry in walkdir::WalkDir::new(&content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(format!(
                    "cannot read content folder: {e}"
                )));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if crate::common::text::is_editor_temp(&name) {
            continue;
        }
        let rel = crate::common::text::slash_path(&content_dir, entry.path());
        if let Some(d) = check_file_name(&rel) {
            diags.push(d);
            continue;
        }
        if name.ends_with(".md") {
            md_files.push((entry.into_path(), rel));
        } else if let Some(d) = check_asset(entry.path(), &rel) {
            diags.push(d);
        } else {
            assets.push((entry.into_path(), rel));
        }
    }

    let parsed: Vec<Result<Parsed, Vec<Diagnostic>>> = md_files
        .par_iter()
        .map(|(path, rel)| {
            let shown = PathBuf::from("content").join(rel);
            catch_panic(&shown, "reading", || read_file(path, rel)).unwrap_or_else(|d| Err(vec![d]))
        })
        .collect();
    let mut section_files = Vec::new();
    let mut page_files = Vec::new();
    for p in parsed {
        match p {
            Ok(p) => {
                let is_section = p
                    .rel
                    .rsplit('/')
                    .next()
                    .is_some_and(|n| n.starts_with("_index."));
                if is_section {
                    section_files.push(p)
                } else {
                    page_files.push(p)
                }
            }
            Err(ds) => diags.extend(ds),
        }
    }

    // Sections first: their `kind` decides how their pages are read.
    let mut sections: Vec<Section> = Vec::new();
    for p in section_files {
        let shown = p.source.path.clone();
        let read = catch_panic(&shown, "reading", || read_section(p, config))
            .unwrap_or_else(|d| (None, vec![d]));
        match read {
            (Some(s), ds) => {
                diags.extend(ds);
                if !s.meta.draft || opts.drafts {
                    sections.push(s);
                }
            }
            (None, ds) => diags.extend(ds),
        }
    }
    let kind_of_dir = kinds_by_dir(&sections, config);
    let results: Vec<(Option<Page>, Vec<Diagnostic>)> = page_files
        .into_par_iter()
        .map(|p| {
            let dir = page_section_dir(&p.rel);
            let kind = nearest(&kind_of_dir, &dir).copied().unwrap_or_default();
            let shown = p.source.path.clone();
            catch_panic(&shown, "reading", || read_page(p, kind, config))
                .unwrap_or_else(|d| (None, vec![d]))
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    for (page, ds) in results {
        diags.extend(ds);
        if let Some(page) = page
            && (!page.meta.draft || opts.drafts)
        {
            pages.push(page);
        }
    }

    let content = Content {
        pages,
        sections,
        assets: Vec::new(),
        raw_assets: assets,
    };
    (content, diags)
}

/// An error for a file or folder name under `content/` that cannot become part of the site:
/// control characters, a backslash, or (for folders, which become URL segments) no letters or
/// digits at all.
fn check_file_name(rel: &str) -> Option<Diagnostic> {
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let is_folder = i + 1 < parts.len();
        let problem = part
            .chars()
            .find(|c| c.is_control() || *c == '\\')
            .map(|c| {
                if c == '\\' {
                    "contains a backslash `\\`".to_string()
                } else {
                    format!("contains the control character {}", c.escape_unicode())
                }
            })
            .or_else(|| {
                (is_folder && slug::slugify(part).is_empty())
                    .then(|| "has no letters or digits to make an address from".to_string())
            });
        if let Some(problem) = problem {
            let shown = parts[..=i].join("/");
            return Some(
                Diagnostic::error(format!(
                    "the name `content/{}` {problem}",
                    shown.escape_debug()
                ))
                .in_file(PathBuf::from("content").join(rel))
                .help(
                    "rename it using letters, digits and `-`; names become addresses of the site",
                ),
            );
        }
    }
    None
}

/// Where the value of top-level front-matter `key` is written in `source` (for messages about
/// values found wrong after loading), or the file's first line.
pub fn value_span(source: &Source, key: &str) -> std::ops::Range<usize> {
    let mut offset = 0;
    for (n, line) in source.text.split_inclusive('\n').enumerate() {
        let t = line.trim_end();
        if n > 0 && (t == "+++" || t == "---") {
            break;
        }
        if let Some(rest) = t.strip_prefix(key) {
            let rest = rest.trim_start();
            if let Some(value) = rest.strip_prefix(['=', ':']) {
                let value = value.trim();
                let start = offset + (t.len() - rest.len()) + (rest.len() - value.len());
                return start..start + value.len();
            }
        }
        offset += line.len();
    }
    0..0
}

/// File types that run code when opened from the site's address; never published from
/// `content/`.
const ACTIVE_TYPES: &[&str] = &[
    "html", "htm", "xhtml", "xht", "shtml", "xml", "xsl", "xslt", "js", "mjs", "cjs", "wasm",
    "swf", "php", "phtml", "asp", "aspx", "jsp", "cgi",
];

/// An error for a file beside the pages that would run script on the site: an HTML, XML or
/// script file, or an SVG image with scripts, event handlers or script links.
fn check_asset(path: &Path, rel: &str) -> Option<Diagnostic> {
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    let shown = PathBuf::from("content").join(rel);
    if ACTIVE_TYPES.contains(&ext.as_str()) {
        return Some(
            Diagnostic::error(format!(
                "{} is not published: .{ext} files can run scripts on the site's address",
                shown.display()
            ))
            .in_file(&shown)
            .help("write the page in markdown (a .md file); to offer the file for download, put it in a .zip"),
        );
    }
    if ext != "svg" {
        return None;
    }
    let text = std::fs::read(path).ok()?;
    let found = text::svg_active_content(&String::from_utf8_lossy(&text))?;
    Some(
        Diagnostic::error(format!(
            "{} is not published: the drawing contains {found}",
            shown.display()
        ))
        .in_file(&shown)
        .help("SVG images with scripts, event handlers or script links run them when opened on the site; export the drawing again as plain SVG, or as PNG"),
    )
}

/// Folder under `content/` whose section lists a page (`tips/x/index.md` → `tips`).
fn page_section_dir(rel: &str) -> String {
    let parent = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name.starts_with("index.") {
        parent.rsplit_once('/').map_or("", |(d, _)| d).to_string()
    } else {
        parent.to_string()
    }
}

fn nearest<'a, T>(map: &'a HashMap<String, T>, dir: &str) -> Option<&'a T> {
    let mut dir = dir.to_string();
    loop {
        if let Some(v) = map.get(&dir) {
            return Some(v);
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string());
    }
}

struct Parsed {
    rel: String,
    source: Source,
    fm: FrontMatter,
    /// Warnings from reading the file (replaced control characters).
    diags: Vec<Diagnostic>,
}

fn read_file(path: &Path, rel: &str) -> Result<Parsed, Vec<Diagnostic>> {
    let display = PathBuf::from("content").join(rel);
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::error(format!("cannot read file: {e}")).in_file(&display)])?;
    let (source, mut diags) = text::decode(display, bytes).map_err(|d| vec![d])?;
    match frontmatter::parse(&source) {
        Ok(mut fm) => {
            diags.append(&mut fm.warnings);
            Ok(Parsed {
                rel: rel.to_string(),
                source,
                fm,
                diags,
            })
        }
        Err(d) => {
            let mut diags = diags;
            diags.push(d);
            Err(diags)
        }
    }
}

fn read_meta(f: &mut Fields, needs_title: bool) -> Option<Meta> {
    let title = if needs_title {
        f.required_string(
            "title",
            "the page title",
            "title = \"Menjemur rumput laut\"",
        )
    } else {
        Some(f.string("title").unwrap_or_default())
    };
    let description = f.string("description").unwrap_or_default();
    let weight = f.integer("weight", "weight = 10");
    let draft = f.bool("draft").unwrap_or(false);
    let aliases: Vec<String> = f
        .strings("aliases")
        .unwrap_or_default()
        .into_iter()
        .filter_map(|a| f.site_path("aliases", &a, None))
        .fold(Vec::new(), |mut list, a| {
            if !list.contains(&a) {
                list.push(a);
            }
            list
        });
    let template = f.string("template");
    let extra = match f.take("extra") {
        Some(toml::Value::Table(t)) => t,
        Some(_) => {
            let span = f.span("extra");
            f.error_at(
                span,
                "`extra` must be a table".into(),
                "not a table".into(),
                "write [extra] on its own line, then key = value lines".into(),
            );
            Table::new()
        }
        None => Table::new(),
    };
    for key in ["render", "in_search_index", "authors"] {
        f.take(key);
    }
    Some(Meta {
        title: title?,
        description,
        weight,
        draft,
        aliases,
        template,
        extra,
    })
}

fn read_section(p: Parsed, config: &Config) -> (Option<Section>, Vec<Diagnostic>) {
    let Parsed {
        rel,
        source,
        fm,
        diags: read_diags,
    } = p;
    let mut f = Fields::new(&source, &fm, config);
    f.diags = read_diags;
    let meta = read_meta(&mut f, false);
    let kind = match f.string("kind") {
        None => Some(Kind::Page),
        Some(k) => Kind::parse(&k).or_else(|| {
            let span = f.span("kind");
            f.error_at(
                span,
                format!("unknown kind `{k}`"),
                "not a kind of content".into(),
                "use one of: page, tip, workshop, story".into(),
            );
            None
        }),
    };
    let sort_by = match f.string("sort_by").as_deref() {
        None | Some("date") => Some(SortBy::Date),
        Some("weight") => Some(SortBy::Weight),
        Some("title") | Some("title_bytes") => Some(SortBy::Title),
        Some("none") => Some(SortBy::None),
        Some(other) => {
            let span = f.span("sort_by");
            f.error_at(
                span,
                format!("unknown sort_by `{other}`"),
                "not a sort order".into(),
                "use one of: date, weight, title, none".into(),
            );
            None
        }
    };
    let paginate_by = match f.integer("paginate_by", "paginate_by = 10") {
        Some(n) if n > 0 => Some(n as usize),
        Some(_) => {
            let span = f.span("paginate_by");
            f.error_at(
                span,
                "`paginate_by` must be at least 1".into(),
                "pages per listing".into(),
                "write e.g. paginate_by = 10, or remove it to list all pages".into(),
            );
            None
        }
        None => None,
    };
    let paginate_path = match f.string("paginate_path") {
        None => Some("page".to_string()),
        Some(p) => {
            let ok = !p.is_empty()
                && p.split('/')
                    .all(|seg| crate::common::urlpath::check_segment(seg).is_ok());
            if !ok {
                let span = f.span("paginate_path");
                f.error_at(
                    span,
                    format!("`paginate_path` `{}` is not a folder name", p.escape_debug()),
                    "not a name for the listing's later pages".into(),
                    "write one name such as paginate_path = \"halaman\"; pages 2, 3, ... become /SECTION/halaman/2/".into(),
                );
                None
            } else {
                Some(p)
            }
        }
    };
    let page_template = f.string("page_template");
    let in_menu = f.bool("in_menu").unwrap_or(true);
    for key in [
        "paginate_reversed",
        "insert_anchor_links",
        "transparent",
        "generate_feeds",
        "redirect_to",
    ] {
        f.take(key);
    }
    let diags = f.finish(SECTION_KEYS);
    let (Some(meta), Some(kind), Some(sort_by), Some(paginate_path)) =
        (meta, kind, sort_by, paginate_path)
    else {
        return (None, diags);
    };
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let name = rel.rsplit('/').next().unwrap_or(&rel);
    let stem = name.trim_end_matches(".md");
    let lang = split_lang(stem, config)
        .1
        .unwrap_or(&config.default_language)
        .to_string();
    let translation_key = if dir.is_empty() {
        "_index.md".to_string()
    } else {
        format!("{dir}/_index.md")
    };
    let section = Section {
        rel,
        body_start: fm.body_start,
        source,
        lang,
        meta,
        kind,
        sort_by,
        paginate_by,
        paginate_path,
        page_template,
        in_menu,
        dir,
        url: String::new(),
        translation_key,
        pages: Vec::new(),
        subsections: Vec::new(),
        parent: None,
    };
    (Some(section), diags)
}

fn read_page(p: Parsed, kind: Kind, config: &Config) -> (Option<Page>, Vec<Diagnostic>) {
    let Parsed {
        rel,
        source,
        fm,
        diags: read_diags,
    } = p;
    let mut f = Fields::new(&source, &fm, config);
    f.diags = read_diags;
    let meta = read_meta(&mut f, true);
    let date = f.date("date");
    let updated = f.date("updated");
    let has_slug = f.fm.table.contains_key("slug");
    let slug = f.slug("slug");
    let has_path = f.fm.table.contains_key("path");
    let fixed_path = f
        .string("path")
        .and_then(|p| f.site_path("path", &p, None))
        .map(|url| {
            if url.ends_with('/') {
                url
            } else {
                format!("{url}/")
            }
        });
    let illustrative = f.bool("illustrative").unwrap_or(false);
    let mut taxonomies = read_taxonomies(&mut f, config);
    let typed = kinds::read(kind, &mut f);
    let mut known: Vec<&str> = PAGE_KEYS.to_vec();
    known.extend(kind.keys());

    let name = rel.rsplit('/').next().unwrap_or(&rel);
    let stem = name.trim_end_matches(".md");
    let (base, lang) = split_lang(stem, config);
    let lang = lang.unwrap_or(&config.default_language).to_string();
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    // `x/index.md` takes its name from the folder; `2026-01-20-x.md` gives a date and a slug.
    let base = if base == "index" {
        dir.rsplit('/').next().unwrap_or(base)
    } else {
        base
    };
    let (file_date, base) = split_date_prefix(base, config);
    let base_slug = slug::slugify(base);
    if base_slug.is_empty() && slug.is_none() && fixed_path.is_none() && !has_slug && !has_path {
        f.error_at(
            0..0,
            format!("the file name `{name}` gives no address"),
            "no letters or digits in the name".into(),
            "rename the file with letters or digits (e.g. jemur-rumput-laut.md), or set slug = \"...\"".into(),
        );
    }
    let translation_key = match lang == config.default_language {
        true => rel.clone(),
        false => format!(
            "{}{stem_base}.md",
            if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            },
            stem_base = stem.trim_end_matches(&format!(".{lang}"))
        ),
    };
    let diags = f.finish(&known);
    let slug_ok = slug.is_some() || !has_slug;
    let path_ok = fixed_path.is_some() || !has_path;
    let (Some(meta), Some(typed), true, true) = (meta, typed, slug_ok, path_ok) else {
        return (None, diags);
    };
    if let Typed::Tip(t) = &typed {
        add_term(&mut taxonomies, config, "topik", &t.topic);
    }
    if let Typed::Workshop(w) = &typed {
        add_term(&mut taxonomies, config, "kecamatan", &w.kecamatan);
    }
    if let Typed::Story(s) = &typed {
        add_term(&mut taxonomies, config, "kecamatan", &s.kecamatan);
    }
    let date = date.or(file_date).or(match &typed {
        Typed::Workshop(w) => Some(w.start),
        _ => None,
    });
    let hash = crate::common::hash::text_hash(&source.text);
    let page = Page {
        slug: slug.unwrap_or(base_slug),
        rel,
        body_start: fm.body_start,
        source,
        lang,
        kind,
        meta,
        date,
        updated,
        taxonomies,
        illustrative,
        typed,
        url: String::new(),
        translation_key,
        section: None,
        hash,
        fixed_path,
    };
    (Some(page), diags)
}

fn add_term(
    taxonomies: &mut BTreeMap<String, Vec<String>>,
    config: &Config,
    tax: &str,
    term: &str,
) {
    if config.taxonomies.iter().any(|t| t.name == tax) {
        let terms = taxonomies.entry(tax.to_string()).or_default();
        if !terms.iter().any(|t| t == term) {
            terms.push(term.to_string());
        }
    }
}

fn split_date_prefix<'a>(base: &'a str, config: &Config) -> (Option<Timestamp>, &'a str) {
    let dated = base.len() > 11 && matches!(base.as_bytes()[10], b'-' | b'_');
    if dated && let Some(t) = fields::parse_date(&base[..10], config.timezone.offset_hours) {
        return (Some(t), &base[11..]);
    }
    (None, base)
}

fn read_taxonomies(f: &mut Fields, config: &Config) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let Some(value) = f.take("taxonomies") else {
        return out;
    };
    let toml::Value::Table(table) = value else {
        let span = f.span("taxonomies");
        f.error_at(
            span,
            "`taxonomies` must be a table".into(),
            "not a table".into(),
            "write [taxonomies] on its own line, then tags = [\"...\"]".into(),
        );
        return out;
    };
    for (name, value) in table {
        if !config.taxonomies.iter().any(|t| t.name == name) {
            let span = f.fm.locate(f.source, Some("taxonomies"), &name);
            let declared: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
            f.error_at(
                span,
                format!("unknown taxonomy `{name}`"),
                "not declared in berdaya.toml".into(),
                format!(
                    "use one of: {}, or declare it under [[taxonomies]] in berdaya.toml",
                    declared.join(", ")
                ),
            );
            continue;
        }
        if let Some(terms) = f.strings_value(value, &name, Some("taxonomies")) {
            let mut kept = Vec::with_capacity(terms.len());
            for term in terms {
                if slug::slugify(&term).is_empty() {
                    let span = f.span_in_value(&name, Some("taxonomies"), &term);
                    f.error_at(
                        span,
                        format!("the {name} term `{}` gives no address", term.escape_debug()),
                        "no letters or digits in it".into(),
                        "write the term with letters or digits, e.g. \"rumput-laut\"".into(),
                    );
                } else {
                    kept.push(term);
                }
            }
            out.insert(name, kept);
        }
    }
    out
}

fn assign_urls(content: &mut Content, config: &Config) {
    let slug_dir = |dir: &str| {
        dir.split('/')
            .filter(|s| !s.is_empty())
            .map(slug::slugify)
            .collect::<Vec<_>>()
            .join("/")
    };
    for s in &mut content.sections {
        let prefix = config.lang_prefix(&s.lang);
        let d = slug_dir(&s.dir);
        s.url = if d.is_empty() {
            format!("{prefix}/")
        } else {
            format!("{prefix}/{d}/")
        };
    }
    for p in &mut content.pages {
        let prefix = config.lang_prefix(&p.lang);
        p.url = match &p.fixed_path {
            Some(path) => format!("{prefix}{path}"),
            None => {
                let d = slug_dir(&page_section_dir(&p.rel));
                if d.is_empty() {
                    format!("{prefix}/{}/", p.slug)
                } else {
                    format!("{prefix}/{d}/{}/", p.slug)
                }
            }
        };
    }
}

fn link_tree(content: &mut Content) {
    let index: HashMap<(String, String), usize> = content
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.dir.clone(), s.lang.clone()), i))
        .collect();
    for i in 0..content.pages.len() {
        let dir = page_section_dir(&content.pages[i].rel);
        let lang = content.pages[i].lang.clone();
        let mut d = dir;
        let found = loop {
            if let Some(&s) = index.get(&(d.clone(), lang.clone())) {
                break Some(s);
            }
            if d.is_empty() {
                break None;
            }
            d = d
                .rsplit_once('/')
                .map_or(String::new(), |(p, _)| p.to_string());
        };
        content.pages[i].section = found;
        if let Some(s) = found {
            content.sections[s].pages.push(i);
        }
    }
    for i in 0..content.sections.len() {
        if content.sections[i].dir.is_empty() {
            continue;
        }
        let mut d = content.sections[i].dir.clone();
        let lang = content.sections[i].lang.clone();
        let parent = loop {
            d = d
                .rsplit_once('/')
                .map_or(String::new(), |(p, _)| p.to_string());
            if let Some(&s) = index.get(&(d.clone(), lang.clone())) {
                break Some(s);
            }
            if d.is_empty() {
                break None;
            }
        };
        content.sections[i].parent = parent;
        if let Some(p) = parent {
            content.sections[p].subsections.push(i);
        }
    }
    let order: Vec<(i64, String)> = content
        .sections
        .iter()
        .map(|s| {
            (
                s.meta.weight.unwrap_or(i64::MAX),
                s.meta.title.to_lowercase(),
            )
        })
        .collect();
    for s in &mut content.sections {
        s.subsections.sort_by(|&a, &b| order[a].cmp(&order[b]));
    }
    let pages = &content.pages;
    for s in &mut content.sections {
        let sort_by = s.sort_by;
        s.pages.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            let order = match sort_by {
                SortBy::Date => b.date.cmp(&a.date),
                SortBy::Weight => a
                    .meta
                    .weight
                    .unwrap_or(i64::MAX)
                    .cmp(&b.meta.weight.unwrap_or(i64::MAX)),
                SortBy::Title => a
                    .meta
                    .title
                    .to_lowercase()
                    .cmp(&b.meta.title.to_lowercase()),
                SortBy::None => std::cmp::Ordering::Equal,
            };
            order.then_with(|| a.rel.cmp(&b.rel))
        });
    }
}

fn check_duplicate_urls(content: &Content, diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, &Source> = HashMap::new();
    let all = content
        .sections
        .iter()
        .map(|s| (s.url.as_str(), &s.source))
        .chain(content.pages.iter().map(|p| (p.url.as_str(), &p.source)));
    for (url, source) in all {
        if let Some(first) = seen.get(url) {
            diags.push(
                Diagnostic::error(format!("two files give the same URL {url}"))
                    .at(
                        source,
                        0..3,
                        format!("this file and {} both become {url}", first.path.display()),
                    )
                    .help("rename one of the files or give it another `slug`"),
            );
        } else {
            seen.insert(url, source);
        }
    }
}
