//! Reading typed values out of front matter, with an error that points at the offending text and
//! says what was expected for every value of the wrong shape.

use std::ops::Range;

use jiff::Timestamp;
use toml::{Table, Value};

use super::frontmatter::FrontMatter;
use crate::common::diagnostics::{Diagnostic, Source};
use crate::config::Config;

pub use crate::common::locale::{DATE_FORMATS, parse_date};

/// Takes fields out of a front-matter table; what is left at the end is unknown.
pub struct Fields<'a> {
    /// The file being read; diagnostics point into its text.
    pub source: &'a Source,
    /// The file's parsed front matter, used to find where keys and values are written.
    pub fm: &'a FrontMatter,
    /// Site configuration: the vocabularies, places, taxonomies and time zone values are
    /// checked against.
    pub config: &'a Config,
    table: Table,
    /// Errors and warnings found so far, each pointing at the offending text.
    pub diags: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// Starts reading front matter `fm` of `source`, with every key unread and no diagnostics.
    pub fn new(source: &'a Source, fm: &'a FrontMatter, config: &'a Config) -> Self {
        Fields {
            source,
            fm,
            config,
            table: fm.table.clone(),
            diags: Vec::new(),
        }
    }

    /// Byte range in the file of the value of top-level `key`; an empty range at the start of
    /// the front matter when the key is not written.
    pub fn span(&self, key: &str) -> Range<usize> {
        self.fm.locate(self.source, None, key)
    }

    fn opening_line(&self) -> Range<usize> {
        let start = self.source.text[..self.fm.range.start.saturating_sub(1)]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        start..self.fm.range.start.saturating_sub(1)
    }

    /// Records an error pointing at `span` (a byte range in the file), with `label` under the
    /// text and `help` after it.
    pub fn error_at(&mut self, span: Range<usize>, message: String, label: String, help: String) {
        self.diags.push(
            Diagnostic::error(message)
                .at(self.source, span, label)
                .help(help),
        );
    }

    fn wrong_type(&mut self, key: &str, expected: &str, example: &str) {
        let span = self.span(key);
        self.error_at(
            span,
            format!("`{key}` has the wrong type"),
            format!("expected {expected}"),
            format!("write it like {example}"),
        );
    }

    /// Records an error that required field `key` is missing, pointing at the opening delimiter
    /// line; `what` says what the field holds and `example` is a line to add.
    pub fn missing(&mut self, key: &str, what: &str, example: &str) {
        let span = self.opening_line();
        self.error_at(
            span,
            format!("missing required field `{key}`"),
            format!("this front matter needs `{key}` ({what})"),
            format!("add a line like {example}"),
        );
    }

    /// Removes `key` from the unread keys and returns its raw value. Returns None when the key
    /// is absent or was already taken.
    pub fn take(&mut self, key: &str) -> Option<Value> {
        self.table.remove(key)
    }

    /// Takes `key` as text. Returns None when it is absent; records an error and returns None
    /// when it is not text.
    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.take(key)? {
            Value::String(s) => Some(s),
            _ => {
                self.wrong_type(key, "text in quotes", &format!("{key} = \"...\""));
                None
            }
        }
    }

    /// Takes `key` as text that is not blank; `what` (what the field holds) and `example` go
    /// into messages. Errors, recorded and returning None: missing, not text, or blank.
    pub fn required_string(&mut self, key: &str, what: &str, example: &str) -> Option<String> {
        let present = self.table.contains_key(key);
        let value = self.string(key);
        match value {
            Some(s) if s.trim().is_empty() => {
                let span = self.span(key);
                self.error_at(
                    span,
                    format!("`{key}` is empty"),
                    format!("expected {what}"),
                    format!("write it like {example}"),
                );
                None
            }
            Some(s) => Some(s),
            None => {
                if !present {
                    self.missing(key, what, example);
                }
                None
            }
        }
    }

    /// Takes `key` as `true` or `false`. Returns None when it is absent; records an error and
    /// returns None when it is not a boolean.
    pub fn bool(&mut self, key: &str) -> Option<bool> {
        match self.take(key)? {
            Value::Boolean(b) => Some(b),
            _ => {
                self.wrong_type(key, "true or false", &format!("{key} = true"));
                None
            }
        }
    }

    /// Takes `key` as a whole number (a float without a fraction counts). Returns None when it
    /// is absent; records an error showing `example` and returns None for any other value.
    pub fn integer(&mut self, key: &str, example: &str) -> Option<i64> {
        match self.take(key)? {
            Value::Integer(i) => Some(i),
            Value::Float(f) if f.fract() == 0.0 => Some(f as i64),
            _ => {
                self.wrong_type(key, "a whole number without quotes or dots", example);
                None
            }
        }
    }

    /// Reads `value`, already taken from `key`, as a number (whole or not). Errors: anything
    /// else is recorded with `example` and gives None.
    pub fn number_value(&mut self, value: Value, key: &str, example: &str) -> Option<f64> {
        match value {
            Value::Integer(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => {
                self.wrong_type(
                    key,
                    "a number without quotes or thousands separators",
                    example,
                );
                None
            }
        }
    }

    /// Takes `key` as a list of texts, each trimmed. Returns None when it is absent; records an
    /// error and returns None for one text instead of a list, an empty entry or an entry that is
    /// not text.
    pub fn strings(&mut self, key: &str) -> Option<Vec<String>> {
        let value = self.take(key)?;
        self.strings_value(value, key, None)
    }

    /// Reads `value`, already taken from `key` (inside front-matter table `table`, such as
    /// `taxonomies`, or at the top level when None), as a list of texts, each trimmed. Errors,
    /// recorded and returning None: one text instead of a list, an empty entry, or an entry that
    /// is not text.
    pub fn strings_value(
        &mut self,
        value: Value,
        key: &str,
        table: Option<&str>,
    ) -> Option<Vec<String>> {
        let list = match value {
            Value::Array(a) => a,
            Value::String(s) => {
                // `tags = "a, b"`: one text where a list belongs; show the list it meant.
                let items: Vec<String> = s
                    .split(',')
                    .map(|t| format!("\"{}\"", t.trim()))
                    .filter(|t| t.len() > 2)
                    .collect();
                let example = match self.fm.format {
                    super::frontmatter::Format::Toml => format!("{key} = [{}]", items.join(", ")),
                    super::frontmatter::Format::Yaml => format!("{key}: [{}]", items.join(", ")),
                };
                let span = self.fm.locate(self.source, table, key);
                self.error_at(
                    span,
                    format!("`{key}` must be a list"),
                    "one text, not a list".into(),
                    format!("write it as {example}"),
                );
                return None;
            }
            _ => vec![Value::Boolean(false)],
        };
        let mut out = Vec::with_capacity(list.len());
        for v in list {
            match v {
                Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                Value::String(_) => {
                    let span = self.fm.locate(self.source, table, key);
                    self.error_at(
                        span,
                        format!("`{key}` contains an empty entry"),
                        "empty text here".into(),
                        "remove the empty \"\" from the list".into(),
                    );
                    return None;
                }
                _ => {
                    let span = self.fm.locate(self.source, table, key);
                    self.error_at(
                        span,
                        format!("`{key}` has the wrong type"),
                        "expected a list of texts".into(),
                        format!("write it like {key} = [\"satu\", \"dua\"]"),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// Where `needle` is written inside the value of `key` (e.g. one alias of a list), or the
    /// whole value when it cannot be found.
    pub fn span_in_value(&self, key: &str, table: Option<&str>, needle: &str) -> Range<usize> {
        let span = self.fm.locate(self.source, table, key);
        let text = &self.source.text[span.clone()];
        match text.find(needle).filter(|_| !needle.is_empty()) {
            Some(i) => span.start + i..span.start + i + needle.len(),
            None => span,
        }
    }

    /// A slug: one name, made URL-safe with `slug::slugify`. A value with `/`, `\`, `.`/`..`
    /// or control characters, or with no letters or digits, is a located error.
    pub fn slug(&mut self, key: &str) -> Option<String> {
        let value = self.string(key)?;
        let bad = value.contains(['/', '\\'])
            || matches!(value.trim(), "." | "..")
            || value.chars().any(char::is_control);
        let slug = slug::slugify(&value);
        if let (false, false, Err(problem)) = (
            bad,
            slug.is_empty(),
            crate::common::urlpath::check_segment(&slug),
        ) {
            let span = self.span(key);
            self.error_at(
                span,
                format!("`{key}` `{slug}` {}", problem.message()),
                "not usable as a name".into(),
                problem.help().into(),
            );
            return None;
        }
        if bad || slug.is_empty() {
            let span = self.span(key);
            let (label, help) = if bad {
                (
                    "a slug is one name, without `/`, `\\` or `..`",
                    "write one name such as slug = \"jemur-lama\"; to choose the whole address use path = \"tips/jemur-lama\"",
                )
            } else {
                (
                    "no letters or digits to make an address from",
                    "write a name with letters or digits, e.g. slug = \"jemur-lama\"",
                )
            };
            self.error_at(
                span,
                format!("`{key}` cannot be used"),
                label.into(),
                help.into(),
            );
            return None;
        }
        Some(slug)
    }

    /// A path of this site (`path = "tips/lama"`), normalised to a URL such as `/tips/lama/`;
    /// a path that would leave the site is a located error with the fix.
    pub fn site_path(&mut self, key: &str, value: &str, table: Option<&str>) -> Option<String> {
        match crate::common::urlpath::normalize_site_path(value) {
            Ok(url) => Some(url),
            Err(problem) => {
                let span = self.span_in_value(key, table, value);
                self.error_at(
                    span,
                    format!(
                        "`{key}` {} `{}` {}",
                        if key == "aliases" { "entry" } else { "value" },
                        value.escape_debug(),
                        problem.message()
                    ),
                    "not a path of this site".into(),
                    problem.help().into(),
                );
                None
            }
        }
    }

    /// Takes `key` as a date or date and time; one without an offset is in the configured
    /// time zone. Returns None when it is absent; records an error listing the accepted formats
    /// and returns None when it is not a valid date.
    pub fn date(&mut self, key: &str) -> Option<Timestamp> {
        let value = self.take(key)?;
        let text = match &value {
            Value::Datetime(d) => d.to_string(),
            Value::String(s) => s.clone(),
            _ => String::new(),
        };
        match parse_date(&text, self.config.timezone.offset_hours) {
            Some(t) => Some(t),
            None => {
                let span = self.span(key);
                self.error_at(
                    span,
                    format!("`{key}` is not a valid date"),
                    "expected a date or date and time".into(),
                    DATE_FORMATS.into(),
                );
                None
            }
        }
    }

    /// A value that must be one of a vocabulary's keys (`topic`, `sector`, ...).
    pub fn choice(&mut self, key: &str, vocab: &str, required: bool) -> Option<String> {
        let value = if required {
            let allowed = self.allowed(vocab);
            self.required_string(
                key,
                &format!("one of: {allowed}"),
                &format!("{key} = \"...\""),
            )?
        } else {
            self.string(key)?
        };
        let known = self
            .config
            .vocab
            .get(vocab)
            .is_some_and(|v| v.contains_key(&value));
        if known {
            return Some(value);
        }
        let span = self.span(key);
        let allowed = self.allowed(vocab);
        self.error_at(
            span,
            format!("unknown {key} `{value}`"),
            format!("not an allowed {key}"),
            format!("use one of: {allowed}"),
        );
        None
    }

    fn allowed(&self, vocab: &str) -> String {
        self.config
            .vocab
            .get(vocab)
            .map(|v| v.keys().cloned().collect::<Vec<_>>().join(", "))
            .unwrap_or_default()
    }

    /// Warns about every key nobody read.
    pub fn finish(mut self, known: &[&str]) -> Vec<Diagnostic> {
        let rest: Vec<String> = self.table.keys().cloned().collect();
        for key in rest {
            let span = self
                .fm
                .locate_key(self.source, None, &key)
                .map_or(self.opening_line(), |s| s.key);
            let is_taxonomy = self.config.taxonomies.iter().any(|t| t.name == key);
            if is_taxonomy {
                let value = self.fm.locate_key(self.source, None, &key).map_or_else(
                    || "[...]".to_string(),
                    |k| self.source.text[k.value].to_string(),
                );
                let example = match self.fm.format {
                    super::frontmatter::Format::Toml => {
                        format!(
                            "[taxonomies]\n{key} = {value}\n(the [taxonomies] table comes after the other keys)"
                        )
                    }
                    super::frontmatter::Format::Yaml => format!("taxonomies:\n  {key}: {value}"),
                };
                self.diags.push(
                    Diagnostic::warning(format!("`{key}` at the top level is not read"))
                        .at(self.source, span, "taxonomies go in their own table")
                        .help(format!("move it under taxonomies, like this:\n{example}")),
                );
                continue;
            }
            self.diags.push(
                Diagnostic::warning(format!("unknown front-matter key `{key}`"))
                    .at(self.source, span, "berdaya does not use this key")
                    .help(format!(
                        "known keys here: {}; put your own values under [extra]",
                        known.join(", ")
                    )),
            );
        }
        self.diags
    }
}
