//! Small text helpers used on both pipelines: HTML and CSV escaping, "did you mean"
//! suggestions, `/`-separated paths, and the names of editors' temporary files.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Escapes text for HTML element content and double-quoted attribute values: `&`, `<`, `>`,
/// `"`.
pub fn html_escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A text cell of a CSV file (RFC 4180 quoting). A cell a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@`, tab or CR first) is prefixed with `'`, OWASP's advice against CSV
/// injection, and shown as the text it is.
pub fn csv_escape(s: &str) -> String {
    let s: Cow<str> = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

/// The candidate closest to `wanted` by Levenshtein distance, if reasonably close (at most a
/// third of the longer length, and at least 2 edits allowed).
pub fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::levenshtein(wanted, c), c))
        .filter(|(d, c)| *d <= (c.len().max(wanted.len()) / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

/// `path` under `base` as a `/`-separated string (the form used in URLs and `@/` links).
pub fn slash_path(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `path` relative to `root` for messages; unchanged when it is elsewhere.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// True for files editors leave behind while saving (`.swp`, `~`, `4913`, `.#x`).
pub fn is_editor_temp(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
        || name.ends_with(".tmp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            html_escape("a<b> & \"c\" 'd'"),
            "a&lt;b&gt; &amp; &quot;c&quot; 'd'"
        );
        assert!(matches!(html_escape("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn text_cells_cannot_become_spreadsheet_formulas() {
        assert_eq!(csv_escape("Tarakan Timur"), "Tarakan Timur");
        assert_eq!(
            csv_escape("=HYPERLINK(\"x\")"),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(csv_escape("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_escape("a,b"), "\"a,b\"");
    }

    #[test]
    fn suggests_close_names_only() {
        let known = ["minify", "precompress"];
        assert_eq!(closest("minfy", known.iter().copied()), Some("minify"));
        assert_eq!(closest("gzip", known.iter().copied()), None);
    }
}
