//! The lookup tables a site is rendered from, rebuilt when its content, theme or analysis
//! changes: URLs by file, translations, the navigation and what every template sees in each
//! language, the report's views and embeds, and the hashes fingerprints start from.

use std::collections::HashMap;

use serde::Serialize;
use tera::Value;

use super::{Site, search};
use crate::common::hash::Fingerprint;
use crate::content::Kind;
use crate::impact::report;

#[derive(Serialize, Clone)]
pub(super) struct NavItem {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    author: &'a str,
    default_language: &'a str,
    extra: &'a toml::Table,
}

pub(super) struct LangGlobals {
    pub(super) config: Value,
    pub(super) strings: Value,
    pub(super) nav: Value,
    /// The language's `contact` as HTML, its telephone numbers linked (footer of every page).
    pub(super) contact_html: Option<String>,
}

impl Site {
    /// The report's views, downloads and embeds in every language, and their hashes. Embeds
    /// are drawn by the theme's `partials/impact_embed.html`; an error there is kept for
    /// [`Site::render_all`] to report.
    pub(super) fn make_reports(&mut self) {
        self.reports.clear();
        self.report_hashes.clear();
        self.report_diags.clear();
        let mut embeds = HashMap::new();
        if let Some(a) = &self.analysis {
            for lang in self.config.all_languages() {
                let prefix = self.config.lang_prefix(&lang);
                let theme = &self.theme;
                let words = |key: &str| theme.word(&lang, key);
                let language = report::Language {
                    code: &lang,
                    default: &self.config.default_language,
                    prefix: &prefix,
                    words: &words,
                };
                let built = report::build(a, &language);
                let mut drawn = HashMap::new();
                let mut fp = Fingerprint::new("report");
                fp.json(&built.0);
                for d in &built.1 {
                    fp.add(&d.path).add(&d.csv);
                }
                let mut keyed: Vec<(String, report::Embed)> =
                    report::embeds(&built.0, &language).into_iter().collect();
                keyed.sort_by(|a, b| a.0.cmp(&b.0));
                for (key, embed) in keyed {
                    let mut ctx = tera::Context::new();
                    ctx.insert_value(
                        "t",
                        theme
                            .strings
                            .get(&lang)
                            .cloned()
                            .unwrap_or_else(|| Value::from_serializable(&())),
                    );
                    ctx.insert("embed", &embed);
                    match self.render("partials/impact_embed.html", &ctx) {
                        Ok(html) => {
                            fp.add(&key).add(&html);
                            drawn.insert(key, html);
                        }
                        Err(d) => self.report_diags.push(d),
                    }
                }
                embeds.insert(lang.clone(), drawn);
                self.report_hashes.insert(lang.clone(), fp.finish());
                self.reports.insert(lang, built);
            }
        }
        self.report_diags.dedup_by(|a, b| a.message == b.message);
        self.targets.embeds = embeds;
    }

    pub(super) fn index(&mut self) {
        let c = &self.content;
        let mut urls = HashMap::with_capacity(c.pages.len() + c.sections.len());
        let mut translations: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for p in &c.pages {
            urls.insert(p.rel.clone(), p.url.clone());
            translations
                .entry(p.translation_key.clone())
                .or_default()
                .push((p.lang.clone(), p.url.clone()));
        }
        for s in &c.sections {
            urls.insert(s.rel.clone(), s.url.clone());
            translations
                .entry(s.translation_key.clone())
                .or_default()
                .push((s.lang.clone(), s.url.clone()));
        }
        // Pages every language has at the same place: 404 and taxonomy lists.
        let langs = self.config.all_languages();
        let mut special = vec![
            ("__404".to_string(), "404.html".to_string()),
            ("__search".to_string(), format!("{}/", search::SEARCH_DIR)),
        ];
        special.extend(
            self.config
                .taxonomies
                .iter()
                .map(|t| (format!("__tax_{}", t.name), format!("{}/", t.name))),
        );
        for (key, path) in special {
            let list = langs
                .iter()
                .map(|l| (l.clone(), format!("{}/{path}", self.config.lang_prefix(l))))
                .collect();
            translations.insert(key, list);
        }
        for (key, lang, url) in self.impact_pages() {
            translations.entry(key).or_default().push((lang, url));
        }
        self.targets.urls = urls;
        self.targets.drafts = c.drafts.iter().cloned().collect();
        self.targets.unrendered = c.unrendered.iter().cloned().collect();
        self.translations = translations;
        // Hashed from their sources: tera's maps do not keep a fixed order.
        let mut global = Fingerprint::new("global");
        global
            .add(self.photo_hash)
            .add(self.now)
            .add(&self.theme.css)
            .add(self.theme.strings_hash)
            .add(self.analysis.is_some())
            // Every page links to the search page, and indexes its words, only when there is one.
            .add(self.has_template("search.html"));
        for lang in self.config.all_languages() {
            let site = SiteView {
                title: self.config.site_title(&lang),
                description: self.config.site_description(&lang),
                base_url: &self.config.base_url,
                author: &self.config.author,
                default_language: &self.config.default_language,
                extra: &self.config.extra,
            };
            let nav = self.nav(&lang);
            let contact_html = self
                .config
                .site_contact(&lang)
                .map(crate::common::phone::link_phone_numbers);
            global.add(&lang).json(&site).json(&nav).json(&contact_html);
            let globals = LangGlobals {
                config: Value::from_serializable(&site),
                strings: self
                    .theme
                    .strings
                    .get(&lang)
                    .cloned()
                    .unwrap_or_else(|| Value::from_serializable(&())),
                nav: Value::from_serializable(&nav),
                contact_html,
            };
            self.globals.insert(lang, globals);
        }
        self.global_hash = global.finish();
    }

    /// Fingerprint seed of an output rendered with `template`: what every template sees.
    pub(super) fn fp(&self, kind: &str, template: &str) -> Fingerprint {
        let mut fp = Fingerprint::new(kind);
        fp.add(self.global_hash)
            .add(template)
            .add(self.theme.hashes.get(template));
        fp
    }

    pub(super) fn translations_of(&self, key: &str) -> Option<&Vec<(String, String)>> {
        self.translations.get(key)
    }

    /// Top-level sections and pages of a language, by weight.
    pub(super) fn nav(&self, lang: &str) -> Vec<NavItem> {
        let mut items: Vec<(i64, String, String)> = Vec::new();
        for s in &self.content.sections {
            if s.lang == lang
                && s.in_menu
                && s.meta.render
                && !s.dir.is_empty()
                && !s.dir.contains('/')
            {
                items.push((
                    s.meta.weight.unwrap_or(100),
                    s.meta.title.clone(),
                    s.url.clone(),
                ));
            }
        }
        for p in &self.content.pages {
            if p.lang == lang
                && !p.rel.contains('/')
                && p.kind == Kind::Page
                && p.meta.weight.is_some()
            {
                items.push((
                    p.meta.weight.unwrap_or(100),
                    p.meta.title.clone(),
                    p.url.clone(),
                ));
            }
        }
        if let Some((view, _)) = self.reports.get(lang) {
            items.push((5, self.string(lang, "impact_nav"), view.url.clone()));
        }
        items.sort();
        items
            .into_iter()
            .map(|(_, title, url)| NavItem { title, url })
            .collect()
    }
}
