//! `berdaya.toml`: the site's settings, languages, taxonomies and the vocabularies that typed
//! content (tips, workshops, stories) is validated against.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

mod check;
mod keys;

use crate::common::diagnostics::{Diagnostic, Diagnostics, Source};
use keys::unknown_key;

/// Labels of one vocabulary entry, by language code.
pub type Labels = BTreeMap<String, String>;

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// The site's name in the default language; see [`Config::site_title`] for the others.
    pub title: String,
    /// Summary of the site in the default language; empty when left out.
    #[serde(default)]
    pub description: String,
    /// Absolute URL the site is served from, e.g. `https://berdaya.tarakankota.go.id`.
    pub base_url: String,
    /// Language code of the default language (default `id`), served without a URL prefix.
    #[serde(default = "default_language")]
    pub default_language: String,
    /// Display name of the default language.
    #[serde(default = "default_language_name")]
    pub language_name: String,
    /// Name of the theme folder under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Who publishes the site (Atom `author`, footer).
    #[serde(default)]
    pub author: String,
    /// How readers reach the programme, in the default language (footer of every page);
    /// telephone numbers in it become links (`tel:`, or `https://wa.me/` for WhatsApp).
    #[serde(default)]
    pub contact: Option<String>,
    /// Other languages, e.g. `[languages.en]`.
    #[serde(default)]
    pub languages: BTreeMap<String, Language>,
    /// The `[build]` table: page budget, minifying and compression.
    #[serde(default)]
    pub build: BuildConfig,
    /// How markdown is turned into HTML.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// How photos are resized and encoded.
    #[serde(default)]
    pub photos: crate::photos::PhotoSettings,
    /// Reading without signal.
    #[serde(default)]
    pub offline: OfflineConfig,
    /// The `[[taxonomies]]` entries; when the key is absent, `tags`, `topik` (from `topic`) and
    /// `kecamatan` (from `kecamatan`).
    #[serde(default = "default_taxonomies")]
    pub taxonomies: Vec<Taxonomy>,
    /// Allowed values of typed fields: `topic`, `season`, `sector`.
    #[serde(default)]
    pub vocab: BTreeMap<String, BTreeMap<String, Labels>>,
    /// Kecamatan and their kelurahan, for workshops and stories.
    #[serde(default)]
    pub places: BTreeMap<String, Vec<String>>,
    /// Time zone of dates written without an offset.
    #[serde(default)]
    pub timezone: TimeZone,
    /// Free-form values passed to templates as `config.extra`.
    #[serde(default)]
    pub extra: toml::Table,
}

/// One other language of the site: a `[languages.CODE]` table.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Language {
    /// The site's title in this language; None uses the default language's `title`.
    #[serde(default)]
    pub title: Option<String>,
    /// The site's description in this language; None uses the default language's `description`.
    #[serde(default)]
    pub description: Option<String>,
    /// How readers reach the programme in this language; None uses the default language's.
    #[serde(default)]
    pub contact: Option<String>,
    /// Display name, e.g. "English".
    pub name: String,
}

/// The `[build]` table: how pages are measured, minified and compressed when written.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct BuildConfig {
    /// Largest allowed gzip-compressed size of one HTML page, in KB (1 KB = 1024 bytes).
    pub page_budget_kb: f64,
    /// Minify every HTML page before it is measured and written (default `true`).
    pub minify: bool,
    /// Write `.gz` and `.br` beside every text file.
    pub precompress: bool,
    /// How many of the heaviest pages the summary lists.
    pub report_heaviest: usize,
    /// Brotli quality (0-11) of the `.br` files.
    pub brotli_quality: u32,
    /// Gzip level (1-9) of the `.gz` files, which the budget measures. Without precompression
    /// pages are measured at level 1: the server compresses them at a level berdaya cannot
    /// know, and level 1 gives the largest output.
    pub gzip_level: u32,
    /// Largest allowed first screen of a page on a 360 px phone, in KB: the gzip-compressed
    /// HTML plus the photo it loads eagerly (see the README's Photos section).
    pub first_screen_budget_kb: f64,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            page_budget_kb: 14.0,
            minify: true,
            precompress: true,
            report_heaviest: 3,
            brotli_quality: 5,
            gzip_level: 6,
            first_screen_budget_kb: 80.0,
        }
    }
}

/// The `[offline]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OfflineConfig {
    /// Publish a service worker (`/sw.js`, registered by a one-line script on every page) that
    /// keeps the pages a reader opened, their photos and the search index, so they reopen
    /// without signal (default `false`). `serve` never installs it.
    pub service_worker: bool,
}

/// The `[markdown]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct MarkdownConfig {
    /// Remove scripts, event handlers, frames, forms, style attributes and unsafe link targets
    /// from contributors' raw HTML, with a warning for each removal (default `true`). Turn it
    /// off only when everyone who can change `content/` is trusted.
    pub sanitize_html: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            sanitize_html: true,
        }
    }
}

/// One `[[taxonomies]]` entry: a way of grouping pages by terms, with a listing per term.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Taxonomy {
    /// Name used in front matter (`[taxonomies] tags = [...]`) and as the URL folder.
    pub name: String,
    /// Title by language.
    #[serde(default)]
    pub title: Labels,
    /// Pages per term listing.
    #[serde(default = "default_taxonomy_paginate")]
    pub paginate_by: usize,
    /// A typed field whose value becomes this taxonomy's term automatically (`topic` of tips,
    /// `kecamatan` of workshops and stories): one of [`AUTOMATIC_FIELDS`].
    #[serde(default)]
    pub from_field: Option<String>,
    /// A vocabulary (`[vocab.NAME]`) whose labels name the terms in each language.
    #[serde(default)]
    pub vocab: Option<String>,
}

/// Fields of typed content that a taxonomy can take its terms from.
pub const AUTOMATIC_FIELDS: &[&str] = &["topic", "season", "sector", "kecamatan", "kelurahan"];

fn default_taxonomy_paginate() -> usize {
    10
}

/// The `[timezone]` table: the site's local time zone (default WITA, UTC+8).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct TimeZone {
    /// Offset from UTC in hours.
    pub offset_hours: i8,
    /// Abbreviation shown after times, e.g. WITA.
    pub abbreviation: String,
    /// IANA name, e.g. Asia/Makassar.
    pub name: String,
}

impl Default for TimeZone {
    fn default() -> Self {
        TimeZone {
            offset_hours: 8,
            abbreviation: "WITA".into(),
            name: "Asia/Makassar".into(),
        }
    }
}

fn default_language() -> String {
    "id".into()
}
fn default_language_name() -> String {
    "Bahasa Indonesia".into()
}
fn default_theme() -> String {
    "default".into()
}

fn default_taxonomies() -> Vec<Taxonomy> {
    let t = |name: &str, id: &str, en: &str, from: Option<&str>, vocab: Option<&str>| Taxonomy {
        name: name.into(),
        title: [
            ("id".to_string(), id.to_string()),
            ("en".to_string(), en.to_string()),
        ]
        .into(),
        paginate_by: default_taxonomy_paginate(),
        from_field: from.map(str::to_string),
        vocab: vocab.map(str::to_string),
    };
    vec![
        t("tags", "Label", "Tags", None, None),
        t("topik", "Topik", "Topics", Some("topic"), Some("topic")),
        t(
            "kecamatan",
            "Kecamatan",
            "Districts",
            Some("kecamatan"),
            None,
        ),
    ]
}

/// Vocabularies and places of Tarakan, used when `berdaya.toml` declares none.
const DEFAULT_VOCAB: &str = include_str!("defaults.toml");

#[derive(Deserialize)]
struct Defaults {
    vocab: BTreeMap<String, BTreeMap<String, Labels>>,
    places: BTreeMap<String, Vec<String>>,
}

impl Config {
    /// Reads `berdaya.toml` (or `config.toml`) from the site root.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = ["berdaya.toml", "config.toml"]
            .iter()
            .map(|n| root.join(n))
            .find(|p| p.is_file());
        let Some(path) = path else {
            return Err(Diagnostic::error(format!("no berdaya.toml in {}", root.display()))
                .help("run berdaya in the site's folder, or pass --root DIR; the sample site ships one").into());
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(format!("cannot read {}: {e}", path.display())).in_file(&path)
        })?;
        let display = crate::common::text::relative(root, &path);
        Config::parse(&text, &display)
    }

    /// Parses the text of `berdaya.toml` (shown as `display_path` in messages). Errors: invalid
    /// TOML, unknown keys (with the closest known key), wrong types, and values that cannot
    /// become part of the site's addresses (taxonomy names, language codes, theme, base URL).
    pub fn parse(text: &str, display_path: &Path) -> Result<Config, Diagnostics> {
        let source = Source::new(display_path, text);
        let invalid = |e: toml::de::Error| {
            let span = e.span().unwrap_or(0..0);
            Diagnostic::error("invalid site configuration")
                .at(&source, span, e.message().trim().to_string())
                .help("see the README's Configuration section for the keys berdaya.toml accepts")
        };
        let de = toml::de::Deserializer::parse(text).map_err(invalid)?;
        let mut unknown = Vec::new();
        let mut config: Config =
            serde_ignored::deserialize(de, |path| unknown.push(path.to_string()))
                .map_err(invalid)?;
        if !unknown.is_empty() {
            return Err(Diagnostics(
                unknown.iter().map(|p| unknown_key(&source, p)).collect(),
            ));
        }
        let defaults: Defaults =
            toml::from_str(DEFAULT_VOCAB).expect("built-in defaults.toml is valid");
        for (name, entries) in defaults.vocab {
            config.vocab.entry(name).or_insert(entries);
        }
        if config.places.is_empty() {
            config.places = defaults.places;
        }
        config.base_url = config.base_url.trim_end_matches('/').to_string();
        if config.languages.contains_key(&config.default_language) {
            let at = text.find("[languages.").unwrap_or(0);
            return Err(
                Diagnostic::error("the default language is also listed under [languages]")
                    .at(&source, at..at + 11, "remove this table")
                    .help("[languages] lists only the other languages")
                    .into(),
            );
        }
        config.check_values(&source)?;
        Ok(config)
    }

    /// Every language, the default first.
    pub fn all_languages(&self) -> Vec<String> {
        let mut langs = vec![self.default_language.clone()];
        langs.extend(self.languages.keys().cloned());
        langs
    }

    /// The path the site is served under: `/berdaya` for `base_url =
    /// "https://example.org/berdaya"`, empty at a host's root.
    pub fn path_prefix(&self) -> String {
        url::Url::parse(&self.base_url)
            .map(|u| u.path().trim_end_matches('/').to_string())
            .unwrap_or_default()
    }

    /// True when `code` is the default language or one listed under `[languages]`.
    pub fn is_language(&self, code: &str) -> bool {
        code == self.default_language || self.languages.contains_key(code)
    }

    /// URL prefix of a language: "" for the default, "/en" for English.
    pub fn lang_prefix(&self, lang: &str) -> String {
        if lang == self.default_language {
            String::new()
        } else {
            format!("/{lang}")
        }
    }

    /// The site's title in language `lang`; the default language's `title` when that language
    /// has none or `lang` is unknown.
    pub fn site_title(&self, lang: &str) -> &str {
        self.languages
            .get(lang)
            .and_then(|l| l.title.as_deref())
            .unwrap_or(&self.title)
    }

    /// The site's description in language `lang`; the default language's `description` when
    /// that language has none or `lang` is unknown.
    pub fn site_description(&self, lang: &str) -> &str {
        self.languages
            .get(lang)
            .and_then(|l| l.description.as_deref())
            .unwrap_or(&self.description)
    }

    /// How readers reach the programme, in language `lang` (else the default language's).
    pub fn site_contact(&self, lang: &str) -> Option<&str> {
        self.languages
            .get(lang)
            .and_then(|l| l.contact.as_deref())
            .or(self.contact.as_deref())
    }

    /// Display name of language `lang`, e.g. "English"; `language_name` (the default
    /// language's) for the default language or an unknown code.
    pub fn language_name(&self, lang: &str) -> &str {
        self.languages
            .get(lang)
            .map_or(&self.language_name, |l| &l.name)
    }

    /// Label of a vocabulary entry in a language (falls back to the key).
    pub fn vocab_label<'a>(&'a self, vocab: &str, key: &'a str, lang: &str) -> &'a str {
        self.vocab
            .get(vocab)
            .and_then(|v| v.get(key))
            .and_then(|l| l.get(lang).or_else(|| l.get(&self.default_language)))
            .map_or(key, String::as_str)
    }

    /// Kecamatan of a kelurahan.
    pub fn kecamatan_of(&self, kelurahan: &str) -> Option<&str> {
        self.places
            .iter()
            .find(|(_, kel)| kel.iter().any(|k| k.eq_ignore_ascii_case(kelurahan)))
            .map(|(kec, _)| kec.as_str())
    }

    /// The taxonomy that takes its terms from typed field `field`, if one is declared.
    pub fn taxonomy_from(&self, field: &str) -> Option<&Taxonomy> {
        self.taxonomies
            .iter()
            .find(|t| t.from_field.as_deref() == Some(field))
    }

    /// Title of taxonomy `tax` in language `lang`, else in the default language, else its `name`.
    pub fn taxonomy_title<'a>(&'a self, tax: &'a Taxonomy, lang: &str) -> &'a str {
        tax.title
            .get(lang)
            .or_else(|| tax.title.get(&self.default_language))
            .map_or(&tax.name, String::as_str)
    }

    /// The page budget `page_budget_kb` in bytes (1 KB = 1024 bytes), rounded down: the largest
    /// allowed gzip-compressed size of one HTML page.
    pub fn page_budget_bytes(&self) -> u64 {
        (self.build.page_budget_kb * 1024.0) as u64
    }

    /// `first_screen_budget_kb` in bytes (1 KB = 1024 bytes), rounded down.
    pub fn first_screen_budget_bytes(&self) -> u64 {
        (self.build.first_screen_budget_kb * 1024.0) as u64
    }
}
