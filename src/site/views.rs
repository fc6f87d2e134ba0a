//! What templates see: serializable views of pages, sections and terms, with dates, numbers and
//! money already written in the page's language.

use serde::Serialize;

use super::Site;
use crate::common::locale;
use crate::content::{Kind, Page, Section, Typed};

#[derive(Serialize, Clone)]
pub struct Link {
    pub name: String,
    pub label: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct TaxonomyLinks {
    /// True when the terms come from a typed field (`from_field`), which the page shows
    /// among its facts rather than as tags.
    pub automatic: bool,
    pub name: String,
    pub title: String,
    pub terms: Vec<Link>,
}

#[derive(Serialize)]
pub struct Heading {
    pub id: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub lang: &'a str,
    pub kind: Kind,
    pub date: Option<String>,
    pub date_display: Option<String>,
    pub updated: Option<String>,
    pub updated_display: Option<String>,
    pub summary: Option<&'a str>,
    pub content: Option<&'a str>,
    pub word_count: usize,
    pub reading_minutes: usize,
    pub toc: Vec<Heading>,
    pub taxonomies: Vec<TaxonomyLinks>,
    pub illustrative: bool,
    pub extra: &'a toml::Table,
    pub tip: Option<TipView>,
    pub workshop: Option<WorkshopView>,
    pub story: Option<StoryView>,
}

#[derive(Serialize)]
pub struct TipView {
    pub topic: Link,
    pub season: Option<String>,
}

#[derive(Serialize)]
pub struct WorkshopView {
    pub when: String,
    pub date_short: String,
    pub start: String,
    pub end: String,
    pub venue: String,
    pub kelurahan: String,
    pub kecamatan: Link,
    pub organiser: String,
    pub capacity: String,
    pub cost: String,
    pub free: bool,
    pub register: String,
    pub register_url: Option<String>,
    pub ics_url: String,
    pub upcoming: bool,
}

#[derive(Serialize)]
pub struct ChangeView {
    pub label: String,
    pub before: String,
    pub after: String,
    pub change: String,
}

#[derive(Serialize)]
pub struct StoryView {
    pub group: String,
    pub sector: Link,
    pub kecamatan: Link,
    pub channels: Vec<String>,
    pub changes: Vec<ChangeView>,
}

#[derive(Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    pub permalink: String,
    pub lang: &'a str,
    pub kind: Kind,
    pub content: Option<&'a str>,
    pub subsections: Vec<Link>,
    pub extra: &'a toml::Table,
}

/// What a page's own render produced that listings need later.
#[derive(Default, Clone)]
pub struct Rendered {
    pub summary: Option<String>,
    pub word_count: usize,
}

impl Site {
    pub fn term_url(&self, lang: &str, tax: &str, term: &str) -> String {
        format!(
            "{}/{tax}/{}/",
            self.config.lang_prefix(lang),
            slug::slugify(term)
        )
    }

    /// A term as readers see it: its vocabulary label when the taxonomy has one.
    pub fn term_label(&self, tax: &str, term: &str, lang: &str) -> String {
        let vocab = self
            .config
            .taxonomies
            .iter()
            .find(|t| t.name == tax)
            .and_then(|t| t.vocab.as_deref());
        match vocab {
            Some(v) => self.config.vocab_label(v, term, lang).to_string(),
            None => term.to_string(),
        }
    }

    /// The link of typed field `field`'s value: to its term page when a taxonomy takes its
    /// terms from the field, else to nowhere (`url` empty).
    fn field_link(&self, lang: &str, field: &str, value: &str, vocab: Option<&str>) -> Link {
        match self.config.taxonomy_from(field) {
            Some(tax) => self.term_link(lang, &tax.name, value),
            None => Link {
                name: value.to_string(),
                label: vocab
                    .map_or(value, |v| self.config.vocab_label(v, value, lang))
                    .to_string(),
                url: String::new(),
            },
        }
    }

    pub fn term_link(&self, lang: &str, tax: &str, term: &str) -> Link {
        Link {
            name: term.to_string(),
            label: self.term_label(tax, term, lang),
            url: self.term_url(lang, tax, term),
        }
    }

    pub fn permalink(&self, url: &str) -> String {
        format!("{}{url}", self.config.base_url)
    }

    fn local(&self, t: jiff::Timestamp) -> jiff::civil::DateTime {
        t.to_zoned_datetime(self.tz.clone()).datetime()
    }

    pub fn iso(&self, t: jiff::Timestamp) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }

    /// A page as templates see it; `content` only for the page's own render.
    pub fn page_view<'a>(
        &'a self,
        page: &'a Page,
        rendered: &'a Rendered,
        content: Option<&'a str>,
        toc: &[crate::markdown::Heading],
    ) -> PageView<'a> {
        let lang = page.lang.as_str();
        let taxonomies = page
            .taxonomies
            .iter()
            .filter_map(|(name, terms)| {
                let tax = self.config.taxonomies.iter().find(|t| &t.name == name)?;
                Some(TaxonomyLinks {
                    automatic: tax.from_field.is_some(),
                    name: name.clone(),
                    title: self.config.taxonomy_title(tax, lang).to_string(),
                    terms: terms
                        .iter()
                        .map(|t| self.term_link(lang, name, t))
                        .collect(),
                })
            })
            .collect();
        let (tip, workshop, story) = match &page.typed {
            Typed::Page => (None, None, None),
            Typed::Tip(t) => (
                Some(TipView {
                    topic: Link {
                        label: self.config.vocab_label("topic", &t.topic, lang).to_string(),
                        ..self.field_link(lang, "topic", &t.topic, Some("topic"))
                    },
                    season: t
                        .season
                        .as_ref()
                        .map(|s| self.config.vocab_label("season", s, lang).to_string()),
                }),
                None,
                None,
            ),
            Typed::Workshop(w) => {
                let zone = &self.config.timezone.abbreviation;
                let (start, end) = (self.local(w.start), self.local(w.end));
                let free = w.cost == 0;
                (
                    None,
                    Some(WorkshopView {
                        when: locale::date_time_range(start, end, zone, lang),
                        date_short: locale::date(start.date(), lang),
                        start: self.iso(w.start),
                        end: self.iso(w.end),
                        venue: w.venue.clone(),
                        kelurahan: w.kelurahan.clone(),
                        kecamatan: self.field_link(lang, "kecamatan", &w.kecamatan, None),
                        organiser: w.organiser.clone(),
                        capacity: locale::integer(w.capacity as i64, lang),
                        cost: if free {
                            self.string(lang, "free")
                        } else {
                            locale::rupiah(w.cost, lang)
                        },
                        free,
                        register: w.register.clone(),
                        register_url: w.register_url.clone(),
                        ics_url: format!("{}{}.ics", page.url, page.slug),
                        upcoming: w.end > self.now,
                    }),
                    None,
                )
            }
            Typed::Story(s) => (
                None,
                None,
                Some(StoryView {
                    group: s.group.clone(),
                    sector: Link {
                        name: s.sector.clone(),
                        label: self
                            .config
                            .vocab_label("sector", &s.sector, lang)
                            .to_string(),
                        url: String::new(),
                    },
                    kecamatan: self.field_link(lang, "kecamatan", &s.kecamatan, None),
                    channels: s.channels.clone(),
                    changes: s
                        .changes
                        .iter()
                        .map(|c| ChangeView {
                            label: c.label.clone(),
                            before: locale::quantity(c.before, &c.unit, lang),
                            after: locale::quantity(c.after, &c.unit, lang),
                            change: if c.before != 0.0 {
                                let pct = (c.after - c.before) / c.before.abs() * 100.0;
                                format!(
                                    "{}{}%",
                                    if pct > 0.0 { "+" } else { "" },
                                    locale::number(pct, 0, lang)
                                )
                            } else {
                                String::new()
                            },
                        })
                        .collect(),
                }),
            ),
        };
        PageView {
            title: &page.meta.title,
            description: &page.meta.description,
            url: &page.url,
            permalink: self.permalink(&page.url),
            lang,
            kind: page.kind,
            date: page.date.map(|d| self.local(d).date().to_string()),
            date_display: page.date.map(|d| locale::date(self.local(d).date(), lang)),
            updated: page.updated.map(|d| self.local(d).date().to_string()),
            updated_display: page
                .updated
                .map(|d| locale::date(self.local(d).date(), lang)),
            summary: rendered.summary.as_deref(),
            content,
            word_count: rendered.word_count,
            reading_minutes: rendered.word_count.div_ceil(200).max(1),
            toc: toc
                .iter()
                .filter(|h| h.level == 2)
                .map(|h| Heading {
                    id: h.id.clone(),
                    text: h.text.clone(),
                })
                .collect(),
            taxonomies,
            illustrative: page.illustrative,
            extra: &page.meta.extra,
            tip,
            workshop,
            story,
        }
    }

    pub fn section_view<'a>(&'a self, s: &'a Section, content: Option<&'a str>) -> SectionView<'a> {
        SectionView {
            title: &s.meta.title,
            description: &s.meta.description,
            url: &s.url,
            permalink: self.permalink(&s.url),
            lang: &s.lang,
            kind: s.kind,
            content,
            subsections: s
                .subsections
                .iter()
                .map(|&i| {
                    let sub = &self.content.sections[i];
                    Link {
                        name: sub.dir.clone(),
                        label: sub.meta.title.clone(),
                        url: sub.url.clone(),
                    }
                })
                .collect(),
            extra: &s.meta.extra,
        }
    }
}
