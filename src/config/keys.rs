//! Unknown keys of `berdaya.toml`: which keys each table accepts (read from the serde derives,
//! so the list cannot drift from the types), the error with a did-you-mean, and where a key is
//! written.

use serde::Deserialize;

use super::{BuildConfig, Config, Language, MarkdownConfig, Taxonomy, TimeZone};
use crate::common::diagnostics::{Diagnostic, Source};

/// The keys a table of `berdaya.toml` accepts, by the path of the table (`""` for the top
/// level, `build`, `languages.*`, `taxonomies.*`, ...), read from the types themselves.
fn known_keys(table: &[&str]) -> &'static [&'static str] {
    match table {
        [] => fields_of::<Config>(),
        ["build"] => fields_of::<BuildConfig>(),
        ["markdown"] => fields_of::<MarkdownConfig>(),
        ["photos"] => fields_of::<crate::photos::PhotoSettings>(),
        ["offline"] => fields_of::<super::OfflineConfig>(),
        ["timezone"] => fields_of::<TimeZone>(),
        ["languages", _] => fields_of::<Language>(),
        ["taxonomies", _] => fields_of::<Taxonomy>(),
        _ => &[],
    }
}

/// The field names serde's derive gives a struct: a deserializer that only listens to
/// `deserialize_struct`.
fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};
    struct Fields;
    #[derive(Debug)]
    struct Found(&'static [&'static str]);
    impl std::fmt::Display for Found {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("fields")
        }
    }
    impl std::error::Error for Found {}
    impl de::Error for Found {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Found(&[])
        }
    }
    impl<'de> de::Deserializer<'de> for Fields {
        type Error = Found;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Found> {
            Err(Found(&[]))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Found> {
            Err(Found(fields))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    match T::deserialize(Fields) {
        Err(Found(fields)) => fields,
        Ok(_) => &[],
    }
}

/// The error for an unknown key at `path` (`build.minfy`, `languages.en.nama`).
pub(super) fn unknown_key(source: &Source, path: &str) -> Diagnostic {
    let parts: Vec<&str> = path.split('.').collect();
    let (key, table) = parts.split_last().unwrap_or((&"", &[]));
    let known = known_keys(table);
    let place = if table.is_empty() {
        "at the top of berdaya.toml".to_string()
    } else {
        format!("in [{}]", table.join("."))
    };
    let mut help = match crate::common::text::closest(key, known.iter().copied()) {
        Some(k) => format!("did you mean `{k}`? "),
        None => String::new(),
    };
    help.push_str(&format!("known keys here: {}", known.join(", ")));
    Diagnostic::error(format!("unknown key `{key}` {place}"))
        .at(
            source,
            key_span(source, &parts),
            "berdaya does not use this key",
        )
        .help(help)
}

/// Where the key at `path` (table keys and array indices) is written in `berdaya.toml`.
pub(super) fn key_span(source: &Source, path: &[&str]) -> std::ops::Range<usize> {
    use toml::de::{DeTable, DeValue};
    let Ok(root) = DeTable::parse(&source.text) else {
        return 0..0;
    };
    let mut table = root.get_ref();
    let mut span = 0..0;
    let mut parts = path.iter().peekable();
    while let Some(part) = parts.next() {
        let Some((k, v)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *part) else {
            return span;
        };
        span = k.span();
        let mut value = v;
        // Array of tables: the next part is the index.
        if let DeValue::Array(items) = value.get_ref()
            && let Some(i) = parts.peek().and_then(|p| p.parse::<usize>().ok())
        {
            parts.next();
            match items.get(i) {
                Some(item) => value = item,
                None => return span,
            }
        }
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            _ => return span,
        }
    }
    span
}
