//! Helpers shared by the tests: fixture copies, builds, output readers, link checks, and a
//! small static file server for the browser.

use std::path::{Path, PathBuf};

use berdaya::build::{self, BuildOptions, BuildReport};
use berdaya::common::diagnostics::Diagnostics;

pub const NOW: &str = "2026-03-01T09:00+08:00";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of a fixture site with the default theme beside it.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
    if !dir.path().join("themes").exists() {
        copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    }
    dir
}

pub fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        now: berdaya::common::locale::parse_date(NOW, 8),
        ..BuildOptions::new(root)
    }
}

pub fn build(root: &Path) -> Result<BuildReport, Diagnostics> {
    build::build(&options(root))
}

pub fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join("output").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>") + 7;
    &html[start..end]
}

pub fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

/// Output file of a site path: `/tips/` → `tips/index.html`.
pub fn file_of(path: &str) -> String {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// `id="x"` or `id=x` values of a page.
pub fn ids_of(html: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=") {
        rest = &rest[i + 4..];
        let value = match rest.strip_prefix('"') {
            Some(r) => r.split('"').next().unwrap(),
            None => rest.split([' ', '>']).next().unwrap(),
        };
        out.insert(value.to_string());
    }
    out
}

/// Every `href`/`src` to this site in the output names a file that exists, and every
/// `#fragment` an id on that page.
pub fn assert_links_resolve(out: &Path) {
    let all = files(out);
    let mut broken = Vec::new();
    for f in all.iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(out.join(f)).unwrap();
        for url in regex_lite_find_links(&html) {
            if url.contains(':') {
                continue;
            }
            let (path, fragment) = url.split_once('#').unwrap_or((&url, ""));
            let target = if path.is_empty() {
                f.clone()
            } else if path.starts_with('/') {
                file_of(path)
            } else {
                let dir = f.rsplit_once('/').map_or("", |(d, _)| d);
                file_of(&format!("{dir}/{path}"))
            };
            if !all.contains(&target) {
                broken.push(format!("{f}: {url} (no {target})"));
            } else if !fragment.is_empty() && target.ends_with(".html") {
                let page = std::fs::read_to_string(out.join(&target)).unwrap();
                if !ids_of(&page).contains(fragment) {
                    broken.push(format!("{f}: {url} (no id {fragment} in {target})"));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

/// Values of href= and src= attributes (quoted or not, as minify-html writes them).
pub fn regex_lite_find_links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for key in [" href=", " src="] {
        let mut rest = html;
        while let Some(i) = rest.find(key) {
            rest = &rest[i + key.len()..];
            let value = if let Some(r) = rest.strip_prefix('"') {
                r.split('"').next().unwrap()
            } else {
                rest.split([' ', '>']).next().unwrap()
            };
            out.push(value.replace("&amp;", "&"));
        }
    }
    out
}

/// An Atom feed or sitemap is well-formed XML and every page it lists exists.
pub fn assert_xml_lists_existing_pages(out: &Path, feed: &str, base_url: &str) {
    let xml = std::fs::read_to_string(out.join(feed)).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut links = Vec::new();
    let mut in_loc = false;
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("{feed} is not well-formed: {e}"))
        {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"loc" => in_loc = true,
            quick_xml::events::Event::Text(t) if in_loc => {
                links.push(t.decode().unwrap().into_owned());
                in_loc = false;
            }
            quick_xml::events::Event::Empty(e)
                if e.name().as_ref() == b"link" || e.name().as_ref() == b"xhtml:link" =>
            {
                let href = e.try_get_attribute("href").unwrap().unwrap();
                links.push(String::from_utf8(href.value.to_vec()).unwrap());
            }
            _ => {}
        }
    }
    assert!(!links.is_empty(), "{feed} lists nothing");
    for link in links {
        let rel = link
            .strip_prefix(base_url)
            .unwrap_or_else(|| panic!("{feed}: {link} is not on {base_url}"));
        assert!(
            out.join(file_of(rel)).is_file(),
            "{feed} lists {link}, which does not exist"
        );
    }
}

/// Every `.ics` file parses as iCalendar with CRLF lines folded at 75 octets.
pub fn parse_ics(text: &str) -> Vec<ical::parser::ical::component::IcalCalendar> {
    assert!(
        text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'),
        "lines end in CRLF"
    );
    assert!(
        text.split("\r\n").all(|l| l.len() <= 75),
        "lines fold at 75 octets"
    );
    ical::IcalParser::new(text.as_bytes())
        .map(|c| c.expect("valid iCalendar"))
        .collect()
}

/// Checks an iCalendar file against RFC 5545's grammar, strictly: CRLF line ends, folding at
/// 75 octets, every content line `name *(";" param) ":" value` (§3.1), parameter values either
/// plain `paramtext` (no `"` `;` `:` `,` or controls) or a quoted string without `"` (§3.2),
/// no control characters but tab in values, balanced BEGIN/END with VCALENDAR outermost, and
/// the properties every VEVENT needs (UID, DTSTAMP, DTSTART). Panics with the line on failure.
pub fn strict_ics(text: &str) {
    assert!(text.ends_with("\r\n"), "the file ends with CRLF");
    assert!(
        !text.replace("\r\n", "").contains(['\r', '\n']),
        "every line ends in CRLF"
    );
    for raw in text.split("\r\n") {
        assert!(raw.len() <= 75, "line over 75 octets: {raw:?}");
    }
    let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
    let mut stack: Vec<String> = Vec::new();
    let mut event_props: Vec<String> = Vec::new();
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let (name, rest) = parse_name(line);
        let mut rest = rest;
        while let Some(r) = rest.strip_prefix(';') {
            let (param, after) = parse_name(r);
            assert!(!param.is_empty(), "empty parameter name in {line:?}");
            let mut after = after
                .strip_prefix('=')
                .unwrap_or_else(|| panic!("parameter without `=` in {line:?}"));
            loop {
                after = if let Some(q) = after.strip_prefix('"') {
                    let end = q
                        .find('"')
                        .unwrap_or_else(|| panic!("unclosed quoted parameter in {line:?}"));
                    assert!(
                        !q[..end].chars().any(|c| c.is_control() && c != '\t'),
                        "control character in a quoted parameter: {line:?}"
                    );
                    &q[end + 1..]
                } else {
                    let end = after.find([';', ':', ',']).unwrap_or(after.len());
                    let value = &after[..end];
                    assert!(
                        !value.contains('"') && !value.chars().any(|c| c.is_control() && c != '\t'),
                        "invalid paramtext {value:?} in {line:?}"
                    );
                    &after[end..]
                };
                match after.strip_prefix(',') {
                    Some(more) => after = more,
                    None => break,
                }
            }
            rest = after;
        }
        let value = rest
            .strip_prefix(':')
            .unwrap_or_else(|| panic!("no `:` after the name and parameters in {line:?}"));
        assert!(
            !value.chars().any(|c| c.is_control() && c != '\t'),
            "control character in a value: {line:?}"
        );
        match name {
            "BEGIN" => {
                if stack.is_empty() {
                    assert_eq!(value, "VCALENDAR", "VCALENDAR is outermost");
                }
                if value == "VEVENT" {
                    event_props.clear();
                }
                stack.push(value.to_string());
            }
            "END" => {
                assert_eq!(
                    stack.pop().as_deref(),
                    Some(value),
                    "unbalanced END:{value}"
                );
                if value == "VEVENT" {
                    for needed in ["UID", "DTSTAMP", "DTSTART"] {
                        assert!(
                            event_props.iter().any(|p| p == needed),
                            "VEVENT without {needed}"
                        );
                    }
                }
            }
            _ => {
                assert!(!stack.is_empty(), "{line:?} outside VCALENDAR");
                event_props.push(name.to_string());
            }
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
}

/// An iana-token or x-name (letters, digits, `-`) at the start of `text`, and the rest.
fn parse_name(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(text.len());
    assert!(
        end > 0,
        "a content line or parameter without a name: {text:?}"
    );
    text.split_at(end)
}

/// `html` without the search page's own form and script (the theme's progressive enhancement,
/// the only script the site publishes); other pages unchanged.
pub fn without_theme_search(html: &str) -> String {
    let mut html = html.to_string();
    for (open, close, mark) in [
        ("<script", "</script>", "cari.js"),
        ("<form", "</form>", "cari-form"),
    ] {
        let mut from = 0;
        while let Some(start) = html[from..].find(open).map(|i| from + i) {
            let Some(len) = html[start..].find(close) else {
                break;
            };
            let end = start + len + close.len();
            if html[start..end].contains(mark) {
                html.replace_range(start..end, "");
            } else {
                from = end;
            }
        }
    }
    html
}

/// The bilingual fixture site with extra content files `(path under content/, text)`.
pub fn bilingual_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let site = fixture("bilingual");
    for (path, text) in files {
        let path = site.path().join("content").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    site
}

/// Adds `text` (TOML tables) at the end of the site's berdaya.toml.
pub fn append_config(root: &Path, text: &str) {
    let path = root.join("berdaya.toml");
    let config = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{config}\n{text}\n")).unwrap();
}

/// Sets the site's `base_url` (in berdaya.toml) to `url`.
pub fn set_base_url(root: &Path, url: &str) {
    let path = root.join("berdaya.toml");
    let config = std::fs::read_to_string(&path).unwrap();
    let line = config
        .lines()
        .find(|l| l.starts_with("base_url"))
        .expect("berdaya.toml has base_url")
        .to_string();
    std::fs::write(
        &path,
        config.replace(&line, &format!("base_url = \"{url}\"")),
    )
    .unwrap();
}

/// Asserts that `copy`, a `.gz` or `.br` file, decompresses to exactly the bytes of `file`.
pub fn assert_compressed_copy_of(copy: &Path, file: &Path) {
    let packed = std::fs::read(copy).unwrap_or_else(|e| panic!("{}: {e}", copy.display()));
    let mut unpacked = Vec::new();
    let read = if copy.extension().is_some_and(|e| e == "br") {
        brotli::BrotliDecompress(&mut &packed[..], &mut unpacked)
    } else {
        use std::io::Read;
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_end(&mut unpacked)
            .map(|_| ())
    };
    read.unwrap_or_else(|e| panic!("{}: {e}", copy.display()));
    let want = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert!(
        unpacked == want,
        "{} does not hold the bytes of {}",
        copy.display(),
        file.display()
    );
}
