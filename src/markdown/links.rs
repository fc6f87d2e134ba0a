//! Where links and placements go: relative links made absolute, `@/file.md#id` links
//! resolved (and broken ones reported), report results placed by id, and a heading's `{...}`
//! attributes checked against the HTML policy.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, HeadingLevel};

use super::raw::Walk;
use super::{AnchorRef, LinkTargets, Rendered};
use crate::common::diagnostics::{Diagnostic, Source};
use crate::sanitize;

fn is_relative(url: &str) -> bool {
    !(url.is_empty()
        || url.starts_with('/')
        || url.starts_with('#')
        || url.starts_with('@')
        || url.contains(':'))
}

/// `%xx` escapes decoded (invalid UTF-8 replaced).
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Records a link to this site by address (`/x/`, `#frag`), to be checked once every output is
/// known. Protocol-relative (`//host`) and scheme links are not this site's.
fn record_local(url: &str, page_url: &str, span: Range<usize>, image: bool, out: &mut Rendered) {
    if url.starts_with("//") || !(url.starts_with('/') || url.starts_with('#')) {
        return;
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(percent_decode(f))),
        None => (url, None),
    };
    let rest = rest.split('?').next().unwrap_or("");
    let path = if rest.is_empty() {
        page_url.to_string()
    } else if rest.contains("/.") {
        normalise(&percent_decode(rest))
    } else {
        percent_decode(rest)
    };
    out.local_links.push(super::LocalLink {
        path,
        fragment: fragment.filter(|f| !f.is_empty()),
        span,
        image,
    });
}

/// Records a link or image address written in raw HTML or drawn by a shortcode (`/x/`,
/// `../x/`, `foto.jpg`, `#bagian`), relative ones against `page_url`, for the same check as
/// markdown links.
pub(super) fn record_html_link(
    url: &str,
    page_url: &str,
    span: Range<usize>,
    image: bool,
    out: &mut Rendered,
) {
    if is_relative(url) {
        let cut = url.find(['#', '?']).unwrap_or(url.len());
        let (path, tail) = url.split_at(cut);
        let url = format!("{}{tail}", normalise(&format!("{page_url}{path}")));
        record_local(&url, page_url, span, image, out);
    } else {
        record_local(url, page_url, span, image, out);
    }
}

/// `dir/../x/./y` with `..` and `.` segments applied (none climbs above the root).
pub fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut joined = format!("/{}", parts.join("/"));
    if path.ends_with('/') && joined != "/" {
        joined.push('/');
    }
    joined
}

#[allow(clippy::too_many_arguments)]
pub(super) fn resolve<'a>(
    dest: &CowStr<'a>,
    page_url: &str,
    source: &Source,
    span: Range<usize>,
    targets: &LinkTargets,
    diags: &mut Vec<Diagnostic>,
    out: &mut Rendered,
    image: bool,
) -> CowStr<'a> {
    // A relative link to another markdown file (`x.md`, `../tips/y.md#z`), as Zola sites write
    // them: the file beside this one under content/.
    if is_relative(dest) && !image {
        let (file, frag) = dest
            .split_once('#')
            .map_or((&**dest, None), |(f, x)| (f, Some(x)));
        if file.ends_with(".md") {
            let here = source.path.to_string_lossy().replace('\\', "/");
            let dir = here
                .strip_prefix("content/")
                .unwrap_or(&here)
                .rsplit_once('/')
                .map_or("", |(d, _)| d);
            let target = normalise(&format!("/{dir}/{file}"));
            let at = format!(
                "@{}{}",
                target,
                frag.map_or(String::new(), |f| format!("#{f}"))
            );
            return CowStr::from(
                resolve(
                    &CowStr::from(at),
                    page_url,
                    source,
                    span,
                    targets,
                    diags,
                    out,
                    image,
                )
                .into_string(),
            );
        }
    }
    if is_relative(dest) {
        // `../x/?q#f`: the path made absolute and tidied, the query and fragment kept.
        let cut = dest.find(['#', '?']).unwrap_or(dest.len());
        let (path, tail) = dest.split_at(cut);
        let url = format!("{}{tail}", normalise(&format!("{page_url}{path}")));
        record_local(&url, page_url, span, image, out);
        return CowStr::from(url);
    }
    let Some(path) = dest.strip_prefix("@/") else {
        record_local(dest, page_url, span, image, out);
        return dest.clone();
    };
    let (file, fragment) = match path.split_once('#') {
        Some((f, frag)) => (f, Some(frag)),
        None => (path, None),
    };
    if !out.links.iter().any(|l| l == file) {
        out.links.push(file.to_string());
    }
    match targets.urls.get(file) {
        Some(url) => {
            if let Some(frag) = fragment {
                out.anchor_refs.push(AnchorRef {
                    target: file.to_string(),
                    fragment: frag.to_string(),
                    span,
                });
                CowStr::from(format!("{url}#{frag}"))
            } else {
                CowStr::from(url.clone())
            }
        }
        None if targets.unrendered.contains(file) => {
            diags.push(
                Diagnostic::error(format!("link to a page that is not published: `@/{file}`"))
                    .at(
                        source,
                        span,
                        format!("content/{file} has `render = false`, so it has no page"),
                    )
                    .help(format!(
                        "remove `render = false` from content/{file}, or remove this link"
                    )),
            );
            CowStr::Borrowed("#")
        }
        None if targets.drafts.contains(file) => {
            diags.push(
                Diagnostic::error(format!("link to a draft: `@/{file}`"))
                    .at(
                        source,
                        span,
                        format!("content/{file} has `draft = true`, so it is not published"),
                    )
                    .help(format!(
                        "remove `draft = true` from content/{file} to publish it, or preview with drafts (`berdaya build --drafts`, `berdaya serve --drafts`)"
                    )),
            );
            CowStr::Borrowed("#")
        }
        None => {
            let suggestion = closest_file(file, targets.urls.keys().map(String::as_str));
            let help = match suggestion {
                Some(s) => format!(
                    "did you mean `@/{s}`? Links name a file under content/, e.g. @/tips/membaca-prakiraan-cuaca-bmkg.md"
                ),
                None => {
                    "links name a file under content/, e.g. @/tips/membaca-prakiraan-cuaca-bmkg.md"
                        .to_string()
                }
            };
            diags.push(
                Diagnostic::error(format!("broken internal link to `@/{file}`"))
                    .at(source, span, format!("there is no content/{file}"))
                    .help(help),
            );
            CowStr::Borrowed("#")
        }
    }
}

/// The file under `content/` closest to a broken link's `file`. Files of the link's language
/// come first (`x.md` and `x.en.md` are one page in two languages), so a link to a renamed page
/// is pointed at the page in its own language, not at the translation: the closest by spelling,
/// else a file in the same folder whose name holds the old one or is held in it (`harga-jual`
/// renamed `harga-jual-rumput-laut`); only then a file of another language.
fn closest_file<'a>(file: &str, files: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    // `tips/x.en.md` -> ("tips", "x", Some("en")); `tips/x.md` -> ("tips", "x", None).
    fn split(f: &str) -> (&str, &str, Option<&str>) {
        let stem = f.strip_suffix(".md").unwrap_or(f);
        let (folder, name) = stem.rsplit_once('/').unwrap_or(("", stem));
        match name.rsplit_once('.') {
            Some((name, language)) => (folder, name, Some(language)),
            None => (folder, name, None),
        }
    }
    let files: Vec<&str> = files.collect();
    let (folder, name, language) = split(file);
    let same_language = || files.iter().copied().filter(|f| split(f).2 == language);
    crate::common::text::closest(file, same_language())
        .or_else(|| {
            same_language()
                .filter(|f| {
                    let (d, n, _) = split(f);
                    d == folder
                        && name.len().min(n.len()) >= 4
                        && (n.contains(name) || name.contains(n))
                })
                .min_by_key(|f| (split(f).1.len().abs_diff(name.len()), *f))
        })
        .or_else(|| crate::common::text::closest(file, files.iter().copied()))
}

/// The HTML placed for an embed id, or an error naming the file and line.
pub(super) fn place(
    key: &str,
    embeds: Option<&HashMap<String, String>>,
    source: &Source,
    span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    if let Some(html) = embeds.and_then(|e| e.get(key)) {
        return html.clone();
    }
    let (kind, id) = key.split_once(':').unwrap_or(("", key));
    let mut known: Vec<&str> = embeds
        .map(|e| {
            e.keys()
                .filter_map(|k| k.strip_prefix(kind)?.strip_prefix(':'))
                .collect()
        })
        .unwrap_or_default();
    known.sort();
    let help = if known.is_empty() {
        "this site has no impact report (data/impact.toml), so there is nothing to place"
            .to_string()
    } else {
        match crate::common::text::closest(id, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? Known {kind} ids: {}", known.join(", ")),
            None => format!("known {kind} ids: {}", known.join(", ")),
        }
    };
    diags.push(
        Diagnostic::error(format!("unknown {kind} id `{id}`"))
            .at(
                source,
                span,
                "not a chart, table or number of the impact report",
            )
            .help(help),
    );
    String::new()
}

pub(super) type HeadingAttrs<'a> = (Vec<CowStr<'a>>, Vec<(CowStr<'a>, Option<CowStr<'a>>)>);

/// Keeps the classes and attributes of a heading's `{...}` block that the HTML policy allows.
pub(super) fn heading_attributes<'a>(
    walk: &Walk,
    level: HeadingLevel,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> HeadingAttrs<'a> {
    if !walk.sanitize {
        return (classes, attrs);
    }
    let tag = format!("{level}");
    let mut warn = |what: String, why: &str, help: &str| {
        diags.push(
            Diagnostic::warning(format!("removed {what}"))
                .at(walk.source, span.clone(), why.to_string())
                .help(help.to_string()),
        );
    };
    let mut kept_classes = Vec::new();
    for c in classes {
        match sanitize::attribute_problem(&tag, "class", &c) {
            Some((why, help)) => warn(format!("the class `{c}` of a heading"), why, help),
            None => kept_classes.push(c),
        }
    }
    let mut kept_attrs = Vec::new();
    for (name, value) in attrs {
        let v = value.as_deref().unwrap_or("").trim_matches('"');
        match sanitize::attribute_problem(&tag, &name.to_ascii_lowercase(), v) {
            Some((why, help)) => warn(
                format!("the `{name}=\"{v}\"` attribute of a heading"),
                why,
                help,
            ),
            None => kept_attrs.push((name, value)),
        }
    }
    (kept_classes, kept_attrs)
}
