//! Reading a page: the fields every page has, the taxonomies, the kind's own fields, and the
//! slug, language and translation key its path and front matter give.

use std::collections::BTreeMap;

use jiff::Timestamp;
use toml::Table;

use super::fields::{self, Fields};
use super::file::{Parsed, split_lang};
use super::kinds;
use super::{Kind, Meta, Page, Typed};
use crate::common::diagnostics::Diagnostic;
use crate::config::Config;

/// Front-matter keys every page accepts (Zola's, plus `illustrative`).
pub(super) const PAGE_KEYS: &[&str] = &[
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

pub(super) fn read_meta(f: &mut Fields, needs_title: bool) -> Option<Meta> {
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
    let render = f.bool("render").unwrap_or(true);
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
    let in_search_index = f.bool("in_search_index").unwrap_or(true);
    f.take("authors");
    Some(Meta {
        title: title?,
        description,
        weight,
        draft,
        render,
        aliases,
        template,
        extra,
        in_search_index,
    })
}

pub(super) fn read_page(p: Parsed, kind: Kind, config: &Config) -> (Option<Page>, Vec<Diagnostic>) {
    let Parsed {
        rel,
        source,
        fm,
        diags: read_diags,
    } = p;
    let mut f = Fields::new(&source, &fm, config);
    f.diags = read_diags;
    // A workshop's title names its calendar event; other pages may go without one, as in Zola
    // (their listing and heading fall back to the file's name).
    let meta = read_meta(&mut f, kind == Kind::Workshop);
    if let Some(m) = &meta
        && !m.draft
    {
        f.diags.extend(placeholder_text(&source));
    }
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
    let undeclared = super::file::undeclared_language(stem, config);
    if let Some(code) = undeclared {
        super::file::undeclared_language_error(&mut f, name, code, config);
    }
    let lang = lang.unwrap_or(&config.default_language).to_string();
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    // `x/index.md` takes its name from the folder; `2026-01-20-x.md` gives a date and a slug.
    let base = if base == "index" {
        dir.rsplit('/').next().unwrap_or(base)
    } else {
        base
    };
    let (file_date, base) = split_date_prefix(base, config);
    let base_slug = crate::common::urlpath::slug(base);
    if let Err(problem) = &base_slug
        && slug.is_none()
        && fixed_path.is_none()
        && !has_slug
        && !has_path
    {
        let why = match problem {
            crate::common::urlpath::PathProblem::Empty => "has no letters or digits".to_string(),
            p => p.message(),
        };
        f.error_at(
            0..0,
            format!("the file name `{name}` gives no usable address"),
            format!("the name {why}"),
            "rename the file with letters or digits (e.g. jemur-rumput-laut.md), or set slug = \"...\"".into(),
        );
    }
    let base_slug = base_slug.unwrap_or_default();
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
    if undeclared.is_some() {
        return (None, diags);
    }
    let slug_ok = slug.is_some() || !has_slug;
    let path_ok = fixed_path.is_some() || !has_path;
    let (Some(mut meta), Some(typed), true, true) = (meta, typed, slug_ok, path_ok) else {
        return (None, diags);
    };
    if meta.title.trim().is_empty() {
        meta.title = title_from_name(base);
    }
    for tax in &config.taxonomies {
        if let Some(value) = tax.from_field.as_deref().and_then(|f| typed.field(f)) {
            add_term(&mut taxonomies, &tax.name, value);
        }
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

pub(super) fn add_term(taxonomies: &mut BTreeMap<String, Vec<String>>, tax: &str, term: &str) {
    let terms = taxonomies.entry(tax.to_string()).or_default();
    if !terms.iter().any(|t| t == term) {
        terms.push(term.to_string());
    }
}

pub(super) fn split_date_prefix<'a>(
    base: &'a str,
    config: &Config,
) -> (Option<Timestamp>, &'a str) {
    let dated = base.len() > 11 && matches!(base.as_bytes()[10], b'-' | b'_');
    if dated && let Some(t) = fields::parse_date(&base[..10], config.timezone.offset_hours) {
        return (Some(t), &base[11..]);
    }
    (None, base)
}

pub(super) fn read_taxonomies(f: &mut Fields, config: &Config) -> BTreeMap<String, Vec<String>> {
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
                if let Err(problem) = crate::common::urlpath::slug(&term) {
                    let span = f.span_in_value(&name, Some("taxonomies"), &term);
                    let label = match problem {
                        crate::common::urlpath::PathProblem::Empty => {
                            "no letters or digits in it".to_string()
                        }
                        p => format!("its address {}", p.message()),
                    };
                    f.error_at(
                        span,
                        format!("the {name} term `{}` gives no address", term.escape_debug()),
                        label,
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

/// The sentences `berdaya new` writes for the contributor to replace.
const PLACEHOLDERS: [&str; 2] = ["Tulis paragraf pembuka di sini.", "Isi tulisan."];

/// A warning for each placeholder sentence of `berdaya new` left in a page that is published
/// (not a draft), at its place.
fn placeholder_text(source: &crate::common::diagnostics::Source) -> Vec<Diagnostic> {
    PLACEHOLDERS
        .iter()
        .filter_map(|p| source.text.find(p).map(|at| (p, at)))
        .map(|(p, at)| {
            Diagnostic::warning(format!(
                "the page still holds the text `berdaya new` wrote for you: \"{p}\""
            ))
            .at(source, at..at + p.len(), "replace this")
            .help("write your own text here, or keep the page a draft (draft = true) until it is ready")
        })
        .collect()
}

/// A title made from a file name for a page without one: words split at `-` and `_`, the first
/// letter in upper case (`menjemur-rumput_laut` → `Menjemur rumput laut`).
fn title_from_name(base: &str) -> String {
    let words = base.replace(['-', '_'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
