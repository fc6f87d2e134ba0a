//! One file under `content/`: its text (UTF-8, controls replaced), its front matter, and what
//! its path says (language, section folder); plus the rules for names of files beside pages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::frontmatter::{self, FrontMatter};
use super::text;
use crate::common::diagnostics::{Diagnostic, Source};
use crate::config::Config;

/// Orders `content/` paths as a walk sorted by file name visits them (folder by folder).
pub(super) fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

/// Splits `x.en.md` into (`x`, Some("en")); `x.md` into (`x`, None).
pub(super) fn split_lang<'a>(stem: &'a str, config: &Config) -> (&'a str, Option<&'a str>) {
    match stem.rsplit_once('.') {
        Some((base, code)) if config.is_language(code) => (base, Some(code)),
        _ => (stem, None),
    }
}

/// The language code at the end of a file name that the site does not declare (`x.ca.md` with no
/// `[languages.ca]`): two letters, or two letters and a region (`pt-BR`).
pub(super) fn undeclared_language<'a>(stem: &'a str, config: &Config) -> Option<&'a str> {
    let (_, code) = stem.rsplit_once('.')?;
    let lower = |s: &str| s.len() == 2 && s.chars().all(|c| c.is_ascii_lowercase());
    let looks = lower(code)
        || code.split_once(['-', '_']).is_some_and(|(l, r)| {
            lower(l) && r.len() == 2 && r.chars().all(|c| c.is_ascii_uppercase())
        });
    (looks && !config.is_language(code)).then_some(code)
}

/// The error for a file in a language the site does not declare, with the table to add.
pub(super) fn undeclared_language_error(
    f: &mut super::fields::Fields,
    name: &str,
    code: &str,
    config: &Config,
) {
    f.error_at(
        0..0,
        format!("`{name}` is in language `{code}`, which berdaya.toml does not declare"),
        format!("the name ends in `.{code}`"),
        format!(
            "declare the language in berdaya.toml:\n[languages.{code}]\nname = \"...\"\ntitle = \"...\"\nor rename the file without `.{code}` to write it in the default language ({})",
            config.default_language
        ),
    );
}

/// An error for a file or folder name under `content/` that cannot become part of the site:
/// control characters, a backslash, or (for folders, which become URL segments) no letters or
/// digits at all.
pub(super) fn check_file_name(rel: &str) -> Option<Diagnostic> {
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
                let slug = crate::common::urlpath::slug(part);
                match slug {
                    Err(crate::common::urlpath::PathProblem::Empty) if is_folder => {
                        Some("has no letters or digits to make an address from".to_string())
                    }
                    Err(p) if is_folder => Some(format!("gives an address that {}", p.message())),
                    _ => None,
                }
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
pub(super) const ACTIVE_TYPES: &[&str] = &[
    "html", "htm", "xhtml", "xht", "shtml", "xml", "xsl", "xslt", "js", "mjs", "cjs", "wasm",
    "swf", "php", "phtml", "asp", "aspx", "jsp", "cgi",
];

/// An error for a file beside the pages that would run script on the site: an HTML, XML or
/// script file, or an SVG image with scripts, event handlers or script links.
pub(super) fn check_asset(path: &Path, rel: &str) -> Option<Diagnostic> {
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
    if matches!(
        ext.as_str(),
        "heic" | "heif" | "avif" | "tif" | "tiff" | "dng" | "cr2" | "nef" | "arw"
    ) {
        return Some(
            Diagnostic::error(format!(
                "{} is not published: .{ext} photos keep their camera data (such as where they were taken) and most phones' browsers cannot show them",
                shown.display()
            ))
            .in_file(&shown)
            .help("save the photo as JPEG (on a phone: share or export it as JPEG, or set the camera to \"most compatible\"); berdaya resizes JPEG and PNG photos and removes their camera data"),
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
pub(super) fn page_section_dir(rel: &str) -> String {
    let parent = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name.starts_with("index.") {
        parent.rsplit_once('/').map_or("", |(d, _)| d).to_string()
    } else {
        parent.to_string()
    }
}

/// `dir` and every folder above it, up to the root `""`: `tips/a` → `tips/a`, `tips`, `""`.
pub(super) fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let d = next?;
        next = if d.is_empty() {
            None
        } else {
            Some(d.rsplit_once('/').map_or("", |(p, _)| p))
        };
        Some(d)
    })
}

/// The value of the nearest folder at or above `dir` that `map` has.
pub(super) fn nearest<'a, T>(map: &'a HashMap<String, T>, dir: &str) -> Option<&'a T> {
    ancestors(dir).find_map(|d| map.get(d))
}

pub(super) struct Parsed {
    pub(super) rel: String,
    pub(super) source: Source,
    pub(super) fm: FrontMatter,
    /// Warnings from reading the file (replaced control characters).
    pub(super) diags: Vec<Diagnostic>,
}

pub(super) fn read_file(path: &Path, rel: &str) -> Result<Parsed, Vec<Diagnostic>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_up_to_the_root() {
        assert_eq!(
            ancestors("tips/a/b").collect::<Vec<_>>(),
            ["tips/a/b", "tips/a", "tips", ""]
        );
        assert_eq!(ancestors("").collect::<Vec<_>>(), [""]);
        let map = HashMap::from([("tips".to_string(), 1)]);
        assert_eq!(nearest(&map, "tips/a/b"), Some(&1));
        assert_eq!(nearest(&map, "kisah"), None);
    }

    #[test]
    fn a_page_is_listed_by_the_section_of_its_folder() {
        assert_eq!(page_section_dir("tips/a.md"), "tips");
        assert_eq!(page_section_dir("tips/jemur/index.md"), "tips");
        assert_eq!(page_section_dir("tentang.md"), "");
    }
}
