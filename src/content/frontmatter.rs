//! Splitting a markdown file into front matter and body, parsing TOML (`+++`) or YAML (`---`)
//! front matter into one table, and finding where each key is written so errors can point at it.

use std::ops::Range;

use toml::{Table, Value};
use yaml_rust2::{Yaml, YamlLoader};

use crate::common::diagnostics::{Diagnostic, Source};

/// The syntax front matter is written in, told by its opening delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML between `+++` lines.
    Toml,
    /// YAML between `---` lines.
    Yaml,
}

/// Parsed front matter of one file.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// The syntax the front matter is written in.
    pub format: Format,
    /// Every key and its value, with YAML converted to the same TOML values and escaped
    /// control characters replaced by U+FFFD.
    pub table: Table,
    /// Byte range of the front matter text (between the delimiters) in the file.
    pub range: Range<usize>,
    /// Byte offset where the markdown body starts.
    pub body_start: usize,
    /// Warnings about values that held control characters through escapes (`"\u0000"`);
    /// they were replaced by U+FFFD.
    pub warnings: Vec<Diagnostic>,
}

const EXAMPLE: &str =
    "start the file with front matter between two `+++` lines, e.g.\n+++\ntitle = \"Judul\"\n+++";

/// Splits and parses the front matter of `source`.
pub fn parse(source: &Source) -> Result<FrontMatter, Diagnostic> {
    let text = &*source.text;
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // Blank lines and spaces before the opening delimiter are allowed, as in Zola.
    let start = bom + (text[bom..].len() - text[bom..].trim_start().len());
    let first_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let first = text[start..first_end].trim_end();
    let (format, delim) = match first {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => {
            return Err(Diagnostic::error("missing front matter")
                .at(
                    source,
                    start..first_end,
                    "expected `+++` (TOML) or `---` (YAML) here",
                )
                .help(EXAMPLE));
        }
    };
    let fm_start = (first_end + 1).min(text.len());
    let mut pos = fm_start;
    let mut close = None;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == delim {
            close = Some((pos, (end + 1).min(text.len())));
            break;
        }
        pos = end + 1;
    }
    let Some((fm_end, body_start)) = close else {
        return Err(Diagnostic::error("front matter is not closed")
            .at(
                source,
                start..first_end,
                format!("this `{delim}` opens the front matter"),
            )
            .help(format!(
                "add a line with only `{delim}` after the last front-matter key"
            )));
    };
    let fm_text = &text[fm_start..fm_end];
    let table = match format {
        Format::Toml => toml::from_str::<Table>(fm_text).map_err(|e| {
            let span = e.span().map_or(fm_start..fm_start, |s| fm_start + s.start..fm_start + s.end);
            Diagnostic::error("front matter is not valid TOML").at(source, span, e.message().trim().to_string()).help(
                "TOML writes `key = value`; text goes in double quotes (title = \"Judul\"), lists in brackets (tags = [\"a\", \"b\"])",
            )
        })?,
        Format::Yaml => parse_yaml(source, fm_text, fm_start)?,
    };
    let mut fm = FrontMatter {
        format,
        table,
        range: fm_start..fm_end,
        body_start,
        warnings: Vec::new(),
    };
    let mut keys = Vec::new();
    for (key, value) in fm.table.iter_mut() {
        if scrub(value) {
            keys.push(key.clone());
        }
    }
    for key in keys {
        let span = fm
            .locate_key(source, None, &key)
            .map_or(fm_start..fm_start, |k| k.value);
        fm.warnings.push(
            Diagnostic::warning(format!(
                "replaced invisible control characters in `{key}` by \u{FFFD}"
            ))
            .at(source, span, "written as an escape such as \\u0000")
            .help("remove the escapes of control characters from this value"),
        );
    }
    Ok(fm)
}

/// Replaces control characters and noncharacters in every text of `value` by U+FFFD; true
/// when something was replaced.
fn scrub(value: &mut Value) -> bool {
    match value {
        Value::String(s) if s.chars().any(super::text::is_replaced) => {
            *s = s
                .chars()
                .map(|c| {
                    if super::text::is_replaced(c) {
                        '\u{FFFD}'
                    } else {
                        c
                    }
                })
                .collect();
            true
        }
        Value::Array(items) => items.iter_mut().fold(false, |any, v| scrub(v) | any),
        Value::Table(t) => t.iter_mut().fold(false, |any, (_, v)| scrub(v) | any),
        _ => false,
    }
}

/// The first YAML alias (`*name`) in `text`, as a char index. Aliases are refused: loading
/// copies what they point at, so a few hundred bytes of nested aliases can expand to gigabytes
/// (the "billion laughs"), and front matter never needs them.
fn first_alias(text: &str) -> Option<usize> {
    struct Aliases(Option<usize>);
    impl yaml_rust2::parser::MarkedEventReceiver for Aliases {
        fn on_event(&mut self, ev: yaml_rust2::parser::Event, mark: yaml_rust2::scanner::Marker) {
            if matches!(ev, yaml_rust2::parser::Event::Alias(_)) && self.0.is_none() {
                self.0 = Some(mark.index());
            }
        }
    }
    let mut found = Aliases(None);
    // Syntax errors are reported by the loader below.
    let _ = yaml_rust2::parser::Parser::new_from_str(text).load(&mut found, true);
    found.0
}

fn parse_yaml(source: &Source, fm_text: &str, fm_start: usize) -> Result<Table, Diagnostic> {
    if let Some(at) = first_alias(fm_text) {
        let offset = fm_start + char_to_byte(fm_text, at);
        return Err(Diagnostic::error("YAML aliases (`*name`) are not allowed in front matter")
            .at(source, offset..offset + 1, "alias")
            .help("write the value out in full where it is needed; aliases can make a tiny file expand to gigabytes"));
    }
    let docs = YamlLoader::load_from_str(fm_text).map_err(|e| {
        let m = e.marker();
        let offset = fm_start + char_to_byte(fm_text, m.index());
        // The library names a repeated key as `String("title"): duplicated key in mapping`.
        let info = e.info();
        let label = match info.strip_suffix(": duplicated key in mapping") {
            Some(key) => format!(
                "the key {} appears twice",
                key.trim_start_matches("String(").trim_end_matches(')')
            ),
            None => info.to_string(),
        };
        Diagnostic::error("front matter is not valid YAML")
            .at(source, offset..offset, label)
            .help("YAML writes `key: value`; quote text that contains `:` or `#`, lists as `tags: [a, b]`")
    })?;
    match docs.into_iter().next() {
        None | Some(Yaml::Null) => Ok(Table::new()),
        Some(Yaml::Hash(h)) => Ok(yaml_hash_to_table(h)),
        Some(_) => Err(
            Diagnostic::error("front matter must be a list of `key: value` lines")
                .at(source, fm_start..fm_start + fm_text.len(), "not a mapping")
                .help("write one `key: value` per line"),
        ),
    }
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

fn yaml_hash_to_table(h: yaml_rust2::yaml::Hash) -> Table {
    h.into_iter()
        .filter_map(|(k, v)| {
            let key = match k {
                Yaml::String(s) => s,
                Yaml::Integer(i) => i.to_string(),
                Yaml::Boolean(b) => b.to_string(),
                _ => return None,
            };
            yaml_to_toml(v).map(|v| (key, v))
        })
        .collect()
}

fn yaml_to_toml(y: Yaml) -> Option<Value> {
    Some(match y {
        Yaml::String(s) => Value::String(s),
        Yaml::Integer(i) => Value::Integer(i),
        Yaml::Real(r) => Value::Float(r.parse().ok()?),
        Yaml::Boolean(b) => Value::Boolean(b),
        Yaml::Array(a) => Value::Array(a.into_iter().filter_map(yaml_to_toml).collect()),
        Yaml::Hash(h) => Value::Table(yaml_hash_to_table(h)),
        _ => return None,
    })
}

/// Where a key and its value are written in the front matter.
#[derive(Debug, Clone)]
pub struct KeySpan {
    /// Byte range of the key in the file, with its quotes when quoted.
    pub key: Range<usize>,
    /// Byte range of the value in the file: from after the `=` or `:` to the end of that line,
    /// without trailing spaces.
    pub value: Range<usize>,
}

impl FrontMatter {
    /// Finds `key` (top level, or inside `table` such as `taxonomies`) in the file text.
    pub fn locate(&self, source: &Source, table: Option<&str>, key: &str) -> Range<usize> {
        self.locate_key(source, table, key)
            .map_or(self.range.start..self.range.start, |s| s.value)
    }

    /// Finds where `key` (top level, or inside `table` such as `taxonomies`) and its value are
    /// written in the file text. Returns None when no line of the front matter writes the key.
    pub fn locate_key(&self, source: &Source, table: Option<&str>, key: &str) -> Option<KeySpan> {
        let text = &source.text[self.range.clone()];
        let mut from = 0;
        if let Some(table) = table {
            // Start after the table header (`[taxonomies]` or `taxonomies:`).
            let header = text.lines().scan(0usize, |off, line| {
                let start = *off;
                *off += line.len() + 1;
                Some((start, line))
            });
            for (start, line) in header {
                let t = line.trim();
                let t = t
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .trim_end_matches(':')
                    .trim();
                if t == table {
                    from = start + line.len();
                    break;
                }
            }
        }
        let mut off = 0;
        for line in text.split_inclusive('\n') {
            let line_start = off;
            off += line.len();
            if line_start < from {
                continue;
            }
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            // A top-level key comes before any TOML table header (`[extra]`) and is not
            // indented in YAML: a `path` inside a table is another key.
            if table.is_none() {
                let header = trimmed.starts_with('[')
                    && trimmed.trim_end().ends_with(']')
                    && !trimmed.contains([',', '"', '\'']);
                match self.format {
                    Format::Toml if header => break,
                    Format::Yaml if indent > 0 => continue,
                    _ => {}
                }
            }
            let unquoted = trimmed
                .strip_prefix('"')
                .and_then(|t| t.strip_prefix(key))
                .and_then(|t| t.strip_prefix('"'));
            let Some(rest) = unquoted.or_else(|| trimmed.strip_prefix(key)) else {
                continue;
            };
            let after = rest.trim_start();
            let sep = match self.format {
                Format::Toml => '=',
                Format::Yaml => ':',
            };
            if !after.starts_with(sep) {
                continue;
            }
            let key_start = self.range.start + line_start + indent;
            let value_text = after[1..].trim_start();
            let value_start = self.range.start + line_start + (line.len() - value_text.len());
            let value_len = value_text.trim_end().len();
            return Some(KeySpan {
                key: key_start..key_start + (trimmed.len() - rest.len()),
                value: value_start..value_start + value_len,
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(t: &str) -> Source {
        Source::new("x.md", t)
    }

    #[test]
    fn toml_and_yaml_give_the_same_table() {
        let t = parse(&src("+++\ntitle = \"A\"\ntags = [\"x\"]\n+++\nbody")).unwrap();
        let y = parse(&src("---\ntitle: A\ntags: [x]\n---\nbody")).unwrap();
        assert_eq!(t.table, y.table);
        assert_eq!(
            &src("+++\ntitle = \"A\"\ntags = [\"x\"]\n+++\nbody").text[t.body_start..],
            "body"
        );
    }

    #[test]
    fn locates_values_inside_tables() {
        let s = src("+++\ntitle = \"A\"\n[taxonomies]\ntags = [\"x\"]\n+++\n");
        let fm = parse(&s).unwrap();
        let span = fm.locate(&s, Some("taxonomies"), "tags");
        assert_eq!(&s.text[span], "[\"x\"]");
        assert_eq!(s.line_col(fm.locate(&s, None, "title").start), (2, 9));
    }

    #[test]
    fn a_top_level_key_is_not_found_inside_a_table() {
        let s = src("+++\ntitle = \"A\"\ntags = [\n  \"x\",\n]\n[extra]\npath = \"b\"\n+++\nbody");
        let fm = parse(&s).unwrap();
        assert!(fm.locate_key(&s, None, "path").is_none());
        assert!(fm.locate_key(&s, Some("extra"), "path").is_some());
        let s = src("---\ntitle: A\nextra:\n  path: b\n---\nbody");
        let fm = parse(&s).unwrap();
        assert!(fm.locate_key(&s, None, "path").is_none());
        assert!(fm.locate_key(&s, Some("extra"), "path").is_some());
    }

    #[test]
    fn blank_lines_and_spaces_before_the_front_matter_are_allowed() {
        for text in [
            "\n\n+++\ntitle = \"A\"\n+++\nbody",
            "  \r\n\t\n---\ntitle: A\n---\nbody",
            "\u{feff}\n+++\ntitle = \"A\"\n+++\nbody",
        ] {
            let s = src(text);
            let fm = parse(&s).unwrap_or_else(|e| panic!("{text:?}: {}", e.message));
            assert_eq!(fm.table["title"].as_str(), Some("A"));
            assert_eq!(&s.text[fm.body_start..], "body");
        }
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_errors() {
        let e = parse(&src("+++\ntitle = \"A\"\n")).unwrap_err();
        assert!(e.message.contains("not closed"));
        let e = parse(&src("# Judul\n")).unwrap_err();
        assert!(e.message.contains("missing front matter"));
    }
}
