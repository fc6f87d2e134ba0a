//! Reading a section (`_index.md`): its kind, order, pagination and menu settings.

use super::fields::Fields;
use super::file::{Parsed, split_lang};
use super::page::read_meta;
use super::{Kind, Section, SortBy};
use crate::common::diagnostics::Diagnostic;
use crate::config::Config;

/// Front-matter keys every section accepts.
pub(super) const SECTION_KEYS: &[&str] = &[
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

pub(super) fn read_section(p: Parsed, config: &Config) -> (Option<Section>, Vec<Diagnostic>) {
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
        Some("update_date") => Some(SortBy::UpdateDate),
        Some("title") | Some("title_bytes") => Some(SortBy::Title),
        Some("slug") => Some(SortBy::Slug),
        Some("permalink") => Some(SortBy::Permalink),
        Some("none") => Some(SortBy::None),
        Some(other) => {
            let span = f.span("sort_by");
            f.error_at(
                span,
                format!("unknown sort_by `{other}`"),
                "not a sort order".into(),
                "use one of: date, update_date, weight, title, title_bytes, slug, permalink, none"
                    .into(),
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
    let paginate_reversed = f.bool("paginate_reversed").unwrap_or(false);
    let transparent = f.bool("transparent").unwrap_or(false);
    let redirect_to = f.string("redirect_to");
    for key in ["insert_anchor_links", "generate_feeds"] {
        f.take(key);
    }
    let name = rel.rsplit('/').next().unwrap_or(&rel);
    let undeclared = super::file::undeclared_language(name.trim_end_matches(".md"), config);
    if let Some(code) = undeclared {
        super::file::undeclared_language_error(&mut f, name, code, config);
    }
    let diags = f.finish(SECTION_KEYS);
    if undeclared.is_some() {
        return (None, diags);
    }
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
        paginate_reversed,
        transparent,
        redirect_to,
        dir,
        url: String::new(),
        translation_key,
        pages: Vec::new(),
        subsections: Vec::new(),
        parent: None,
    };
    (Some(section), diags)
}
