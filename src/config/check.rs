//! Checking the values of `berdaya.toml` that become addresses or files of the site: the base
//! URL, language codes, the theme's folder, taxonomy names and fields, vocabulary keys and
//! kecamatan names.

use super::keys::key_span;
use super::{AUTOMATIC_FIELDS, Config};
use crate::common::diagnostics::{Diagnostic, Source};

impl Config {
    /// Checks the values that become addresses or files of the site.
    pub(super) fn check_values(&self, source: &Source) -> Result<(), Diagnostic> {
        let at = |path: &[&str]| key_span(source, path);
        let url_ok = url::Url::parse(&self.base_url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !url_ok {
            return Err(Diagnostic::error("`base_url` is not a web address")
                .at(source, at(&["base_url"]), "expected https://HOST")
                .help("write the address the site is served from, e.g. base_url = \"https://berdaya.tarakankota.go.id\""));
        }
        for lang in std::iter::once(&self.default_language).chain(self.languages.keys()) {
            if !is_language_code(lang) {
                let path: Vec<&str> = if *lang == self.default_language {
                    vec!["default_language"]
                } else {
                    vec!["languages", lang]
                };
                return Err(Diagnostic::error(format!("`{}` is not a language code", lang.escape_debug()))
                    .at(source, at(&path), "expected a code such as id or en")
                    .help("use a BCP 47 language code: two or three lowercase letters (id, en, bjn), optionally followed by -REGION"));
            }
        }
        for (key, kb) in [
            ("page_budget_kb", self.build.page_budget_kb),
            ("first_screen_budget_kb", self.build.first_screen_budget_kb),
        ] {
            if !(kb.is_finite() && kb > 0.0) {
                return Err(
                    Diagnostic::error(format!("`{key}` must be a number of KB above 0"))
                        .at(source, at(&["build", key]), "not a usable budget")
                        .help(format!(
                            "for example {key} = {}",
                            if key == "page_budget_kb" { 14 } else { 80 }
                        )),
                );
            }
        }
        if let Some(p) = self.photos.problem() {
            return Err(Diagnostic::error(format!("[photos]: {p}"))
                .at(source, at(&["photos"]), "not usable")
                .help(
                    "for example: widths = [360, 720, 1080], webp_quality = 72, jpeg_quality = 78",
                ));
        }
        if let Err(p) = crate::common::urlpath::check_segment(&self.theme) {
            return Err(Diagnostic::error(format!("`theme` {}", p.message()))
                .at(source, at(&["theme"]), "not a folder name under themes/")
                .help("write the name of one folder under themes/, e.g. theme = \"default\""));
        }
        for (i, tax) in self.taxonomies.iter().enumerate() {
            let n = i.to_string();
            if let Some(field) = tax
                .from_field
                .as_deref()
                .filter(|f| !AUTOMATIC_FIELDS.contains(f))
            {
                return Err(Diagnostic::error(format!(
                    "`from_field` `{field}` is not a field terms can come from"
                ))
                .at(
                    source,
                    at(&["taxonomies", &n, "from_field"]),
                    "unknown field",
                )
                .help(format!("use one of: {}", AUTOMATIC_FIELDS.join(", "))));
            }
            if let Some(vocab) = tax
                .vocab
                .as_deref()
                .filter(|v| !self.vocab.contains_key(*v))
            {
                let known: Vec<&str> = self.vocab.keys().map(String::as_str).collect();
                return Err(
                    Diagnostic::error(format!("vocabulary `{vocab}` is not declared"))
                        .at(
                            source,
                            at(&["taxonomies", &n, "vocab"]),
                            "no [vocab] table of this name",
                        )
                        .help(format!("use one of: {}", known.join(", "))),
                );
            }
            if let Err(p) = crate::common::urlpath::check_segment(&tax.name) {
                return Err(Diagnostic::error(format!(
                    "taxonomy name `{}` {}",
                    tax.name.escape_debug(),
                    p.message()
                ))
                .at(
                    source,
                    at(&["taxonomies", &n, "name"]),
                    "the name is the address of its pages",
                )
                .help("write one lowercase name such as name = \"tags\""));
            }
        }
        for (vocab, entries) in &self.vocab {
            for key in entries.keys() {
                if crate::common::urlpath::slug(key).is_err() {
                    return Err(Diagnostic::error(format!(
                        "the {vocab} value `{}` gives no address",
                        key.escape_debug()
                    ))
                    .at(source, at(&["vocab", vocab, key]), "no letters or digits")
                    .help("name values with letters or digits, e.g. rumput-laut"));
                }
            }
        }
        for kecamatan in self.places.keys() {
            if crate::common::urlpath::slug(kecamatan).is_err() {
                return Err(Diagnostic::error(format!(
                    "the kecamatan `{}` gives no address",
                    kecamatan.escape_debug()
                ))
                .at(source, at(&["places", kecamatan]), "no letters or digits")
                .help("write the kecamatan's name"));
            }
        }
        Ok(())
    }
}

/// True for a BCP 47-like language code: `id`, `en`, `bjn`, `en-GB`.
fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}
