//! Paths that come from content or configuration — slugs, `path`, aliases, section folders,
//! taxonomy names and terms, bundle assets, `paginate_path`, language codes, report ids — are
//! checked here before anything is written, so every output file stays inside the output folder.
//!
//! Two layers keep that promise: the loaders check each value where it is written and report a
//! located error with the fix ([`check_segment`], [`normalize_site_path`]); the output writer
//! checks every relative path once more before touching the disk ([`check_output_path`]).

use std::fmt;

/// What is wrong with a path or one of its segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathProblem {
    /// Nothing left once slashes and spaces are trimmed.
    Empty,
    /// `a//b`: an empty folder name.
    EmptySegment,
    /// `.` or `..`.
    DotSegment(String),
    /// Starts with `/` where a relative path is required (output files).
    Absolute,
    /// A `\`, which Windows reads as a folder separator.
    Backslash,
    /// `C:` at the start.
    DriveLetter(String),
    /// A control character (shown escaped).
    Control(char),
    /// A character that cannot stand unencoded in a URL path or a file name.
    Unsafe(char),
    /// `https://…` or `//host/…`: a URL of another site, not a path of this one.
    FullUrl,
    /// `.hidden`: hosts and tools hide or skip such folders.
    Hidden,
    /// `x.` or `x `: Windows drops the trailing dot or space.
    TrailingDot,
    /// `con`, `nul`, `com1`...: names Windows reserves for devices.
    Reserved(String),
    /// Longer than [`MAX_NAME`] bytes: file systems refuse it.
    TooLong,
}

/// Longest name (one folder or file) in bytes; file systems allow 255 and the output adds
/// `.html.br` or `index.html` after some.
pub const MAX_NAME: usize = 200;

impl PathProblem {
    /// One line saying what is wrong.
    pub fn message(&self) -> String {
        match self {
            PathProblem::Empty => "is empty".into(),
            PathProblem::EmptySegment => "has an empty folder name (`//`)".into(),
            PathProblem::DotSegment(s) => format!("has a `{s}` segment"),
            PathProblem::Absolute => "is an absolute path".into(),
            PathProblem::Backslash => "contains a backslash `\\`".into(),
            PathProblem::DriveLetter(d) => format!("starts with a drive letter `{d}`"),
            PathProblem::Control(c) => {
                format!("contains the control character {}", c.escape_unicode())
            }
            PathProblem::Unsafe(c) if c.is_whitespace() => "contains a space".into(),
            PathProblem::Unsafe(c) => format!("contains `{c}`"),
            PathProblem::FullUrl => "is a full URL, not a path of this site".into(),
            PathProblem::Hidden => "has a name that starts with a dot".into(),
            PathProblem::TrailingDot => "has a name that ends in a dot or a space".into(),
            PathProblem::Reserved(n) => format!("uses `{n}`, a name Windows reserves"),
            PathProblem::TooLong => format!("has a name longer than {MAX_NAME} bytes"),
        }
    }

    /// How to fix it.
    pub fn help(&self) -> &'static str {
        match self {
            PathProblem::Empty => "write a path with at least one name, e.g. tips/jemur-lama",
            PathProblem::EmptySegment => "remove the doubled `/`",
            PathProblem::DotSegment(_) => {
                "paths are written from the site's root, e.g. tips/jemur-lama; `.` and `..` are not allowed"
            }
            PathProblem::Absolute => "write the path relative to the output folder",
            PathProblem::Backslash => "separate folders with `/`, e.g. tips/jemur-lama",
            PathProblem::DriveLetter(_) => {
                "write a path on this site, e.g. tips/jemur-lama, not a path on your computer"
            }
            PathProblem::Control(_) => {
                "retype the path; it contains an invisible character, often from copying"
            }
            PathProblem::Unsafe(c) if c.is_whitespace() => "use `-` between words, e.g. jemur-lama",
            PathProblem::Unsafe(_) => {
                "use only letters, digits, `-`, `_` and `.` in names, and `/` between folders"
            }
            PathProblem::FullUrl => {
                "write a path of this site such as /tips/jemur-lama/; to send readers to another site, link to it from the page"
            }
            PathProblem::Hidden => "remove the leading dot; web hosts hide such folders",
            PathProblem::TrailingDot => "remove the dot or space at the end of the name",
            PathProblem::Reserved(_) => "choose another name, e.g. add a word to it",
            PathProblem::TooLong => "shorten the name",
        }
    }
}

impl fmt::Display for PathProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// Characters refused anywhere in a path: controls (C0, DEL, C1) and the backslash.
fn forbidden(c: char) -> Option<PathProblem> {
    if c.is_control() {
        Some(PathProblem::Control(c))
    } else if c == '\\' {
        Some(PathProblem::Backslash)
    } else {
        None
    }
}

/// Characters refused in names that become URLs: besides [`forbidden`] ones, whitespace and
/// those with a meaning in URLs, HTML or Windows file names.
fn unsafe_in_url(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | '<' | '>' | '?' | '#' | '%' | '`' | '^' | '{' | '|' | '}' | ':' | '*'
        )
}

fn drive_letter(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':').then(|| s[..2].to_string())
}

/// Checks one name that becomes a folder or file of the site (a slug, a taxonomy name, a
/// language code, one folder of a `path`). Errors: [`PathProblem`] for empty names, `.`/`..`,
/// `/`, `\`, control characters and characters that need encoding in a URL.
pub fn check_segment(seg: &str) -> Result<(), PathProblem> {
    if seg.is_empty() {
        return Err(PathProblem::Empty);
    }
    if seg == "." || seg == ".." {
        return Err(PathProblem::DotSegment(seg.to_string()));
    }
    if seg.len() > MAX_NAME {
        return Err(PathProblem::TooLong);
    }
    if let Some(d) = drive_letter(seg) {
        return Err(PathProblem::DriveLetter(d));
    }
    for c in seg.chars() {
        if let Some(p) = forbidden(c) {
            return Err(p);
        }
        if c == '/' {
            return Err(PathProblem::Unsafe('/'));
        }
        if unsafe_in_url(c) {
            return Err(PathProblem::Unsafe(c));
        }
    }
    if seg.starts_with('.') {
        return Err(PathProblem::Hidden);
    }
    if seg.ends_with(['.', ' ']) {
        return Err(PathProblem::TrailingDot);
    }
    let stem = seg.split('.').next().unwrap_or(seg).to_ascii_lowercase();
    let reserved = matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        return Err(PathProblem::Reserved(stem));
    }
    Ok(())
}

/// The slug of a name (a file name, a `slug` value, a taxonomy term, a folder): lowercase
/// ASCII words joined by `-` (`slug::slugify`), checked to be a usable name. Errors:
/// [`PathProblem::Empty`] when nothing is left (`!!!`), and what [`check_segment`] refuses
/// (`con`, `aux`: names Windows reserves).
pub fn slug(text: &str) -> Result<String, PathProblem> {
    let s = slug::slugify(text);
    if s.is_empty() {
        return Err(PathProblem::Empty);
    }
    check_segment(&s)?;
    Ok(s)
}

/// True when `text` names another site (`https://x`, `//x`, `mailto:x`) rather than a path.
pub fn is_full_url(text: &str) -> bool {
    let t = text.trim();
    if t.starts_with("//") && t.len() > 2 && !t[2..].starts_with('/') {
        return true;
    }
    let Some((scheme, _)) = t.split_once(':') else {
        return false;
    };
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Normalises a site path written by a contributor (`path`, an alias): trims spaces and the
/// slashes around it and returns the URL, `/a/b/` (a folder, served as `a/b/index.html`) or
/// `/a/b.html` when the last name ends in `.html`. Errors: [`PathProblem`] for full URLs, empty
/// paths, empty, `.` or `..` segments, drive letters, backslashes, control characters and
/// characters that need encoding.
pub fn normalize_site_path(text: &str) -> Result<String, PathProblem> {
    let t = text.trim_matches(|c: char| c == ' ' || c == '\t');
    if is_full_url(t) {
        return Err(PathProblem::FullUrl);
    }
    for c in t.chars() {
        if let Some(p) = forbidden(c) {
            return Err(p);
        }
    }
    if let Some(d) = drive_letter(t) {
        return Err(PathProblem::DriveLetter(d));
    }
    let inner = t.strip_prefix('/').unwrap_or(t);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if inner.is_empty() {
        return Err(PathProblem::Empty);
    }
    let mut url = String::with_capacity(inner.len() + 2);
    for seg in inner.split('/') {
        if seg.is_empty() {
            return Err(PathProblem::EmptySegment);
        }
        check_segment(seg)?;
        url.push('/');
        url.push_str(seg);
    }
    let is_file = !t.ends_with('/') && (inner.ends_with(".html") || inner.ends_with(".htm"));
    if !is_file {
        url.push('/');
    }
    Ok(url)
}

/// Checks a path relative to the output folder before it is written (`tips/a/index.html`):
/// not absolute, no drive letter, no empty, `.` or `..` segment, no backslash, no control
/// character. This is the last guard; loaders report located errors before it is reached.
pub fn check_output_path(path: &str) -> Result<(), PathProblem> {
    if path.is_empty() {
        return Err(PathProblem::Empty);
    }
    if path.starts_with('/') {
        return Err(PathProblem::Absolute);
    }
    if let Some(d) = drive_letter(path) {
        return Err(PathProblem::DriveLetter(d));
    }
    for c in path.chars() {
        if let Some(p) = forbidden(c) {
            return Err(p);
        }
    }
    for seg in path.split('/') {
        if seg.is_empty() {
            return Err(PathProblem::EmptySegment);
        }
        if seg == "." || seg == ".." {
            return Err(PathProblem::DotSegment(seg.to_string()));
        }
        // File systems refuse longer names; the writer adds `.gz`/`.br` to file names.
        if seg.len() > 250 {
            return Err(PathProblem::TooLong);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_are_normalised_or_refused() {
        assert_eq!(normalize_site_path("tips/lama").unwrap(), "/tips/lama/");
        assert_eq!(normalize_site_path(" /tips/lama/ ").unwrap(), "/tips/lama/");
        assert_eq!(normalize_site_path("/lama.html").unwrap(), "/lama.html");
        assert_eq!(normalize_site_path("/lama.html/").unwrap(), "/lama.html/");
        let bad = [
            (
                "../../../../somewhere/",
                PathProblem::DotSegment("..".into()),
            ),
            ("/tips/./x/", PathProblem::DotSegment(".".into())),
            ("https://contoh.test/x/", PathProblem::FullUrl),
            ("//contoh.test/x/", PathProblem::FullUrl),
            ("/", PathProblem::Empty),
            ("a//b", PathProblem::EmptySegment),
            ("a\\b", PathProblem::Backslash),
            ("C:/Windows", PathProblem::DriveLetter("C:".into())),
            ("a\u{0}b", PathProblem::Control('\u{0}')),
            ("jemur lama", PathProblem::Unsafe(' ')),
            ("tips/.rahasia/", PathProblem::Hidden),
            ("tips/x. ", PathProblem::TrailingDot),
            ("tips/con", PathProblem::Reserved("con".into())),
            ("lpt1.html", PathProblem::Reserved("lpt1".into())),
            ("a?b", PathProblem::Unsafe('?')),
        ];
        for (text, problem) in bad {
            assert_eq!(normalize_site_path(text), Err(problem), "{text:?}");
        }
    }

    #[test]
    fn output_paths_stay_relative() {
        assert!(check_output_path("tips/a/index.html").is_ok());
        assert!(check_output_path("gambar/foto lama.jpg").is_ok());
        for bad in ["", "/etc/x", "a/../b", "a//b", "./a", "a\\b", "C:x", "a\nb"] {
            assert!(check_output_path(bad).is_err(), "{bad:?}");
        }
    }
}
