//! What templates see: serializable views of pages, sections and terms, with dates, numbers and
//! money already written in the page's language.

use serde::Serialize;

use super::Site;
use crate::common::locale;
use crate::content::{Kind, Page, Section, Typed};

/// A named link as templates see it: a term, a typed field's value or a subsection.
#[derive(Serialize, Clone)]
pub struct Link {
    /// The value as written in front matter (a term or field value), or a subsection's folder.
    pub name: String,
    /// What readers see: the vocabulary label in the page's language when there is one, else
    /// `name`; a subsection's title.
    pub label: String,
    /// Site-relative URL of the target page, or empty when there is nowhere to link to.
    pub url: String,
}

/// One taxonomy of a page with the page's terms in it, as links to their term pages.
#[derive(Serialize)]
pub struct TaxonomyLinks {
    /// True when the terms come from a typed field (`from_field`), which the page shows
    /// among its facts rather than as tags.
    pub automatic: bool,
    /// The taxonomy's name from the config, as used in its URLs (e.g. `tags`).
    pub name: String,
    /// The taxonomy's title in the page's language, or `name` when the config gives none.
    pub title: String,
    /// The page's terms in this taxonomy, in front-matter order, each linked to its term page.
    pub terms: Vec<Link>,
}

/// A level-2 heading of a page, for its table of contents.
#[derive(Serialize)]
pub struct Heading {
    /// The heading's `id` attribute, for a `#` link to it.
    pub id: String,
    /// The heading's text without markup.
    pub text: String,
}

/// A page as templates see it (`page`), on its own page and in listings.
#[derive(Serialize)]
pub struct PageView<'a> {
    /// The page's `title` from front matter.
    pub title: &'a str,
    /// The page's `description` from front matter; empty when not given.
    pub description: &'a str,
    /// Site-relative URL such as `/tips/menjemur-rumput-laut/`.
    pub url: &'a str,
    /// Absolute URL: the configured `base_url` followed by `url`.
    pub permalink: String,
    /// The page's language code, e.g. `id` or `en`.
    pub lang: &'a str,
    /// The page's kind, written in lower case: `page`, `tip`, `workshop` or `story`.
    pub kind: Kind,
    /// The page's date in the site's time zone as `2026-03-14`, for `datetime` attributes.
    pub date: Option<String>,
    /// The page's date in the page's language, e.g. `14 Maret 2026`.
    pub date_display: Option<String>,
    /// The `updated` date in the site's time zone as `2026-03-14`.
    pub updated: Option<String>,
    /// The `updated` date in the page's language, e.g. `14 Maret 2026`.
    pub updated_display: Option<String>,
    /// HTML of the body before `<!-- more -->`, when the page has the marker.
    pub summary: Option<&'a str>,
    /// HTML of the whole body; only on the page's own render, `None` in listings.
    pub content: Option<&'a str>,
    /// Count of words in the body's text.
    pub word_count: usize,
    /// Reading time in whole minutes, at 200 words a minute, rounded up; at least 1.
    pub reading_minutes: usize,
    /// The body's level-2 headings, in order; empty in listings.
    pub toc: Vec<Heading>,
    /// The page's taxonomies that the config knows, each with the page's terms as links.
    pub taxonomies: Vec<TaxonomyLinks>,
    /// True when front matter sets `illustrative`: the people, groups and events are invented.
    pub illustrative: bool,
    /// The page's `[extra]` table from front matter, as written.
    pub extra: &'a toml::Table,
    /// The tip's own fields, for a page of kind `tip`.
    pub tip: Option<TipView>,
    /// The workshop's own fields, for a page of kind `workshop`.
    pub workshop: Option<WorkshopView>,
    /// The success story's own fields, for a page of kind `story`.
    pub story: Option<StoryView>,
}

/// A tip's own fields as templates see them (`page.tip`).
#[derive(Serialize)]
pub struct TipView {
    /// The tip's topic, labelled in the page's language and linked to its term page when a
    /// taxonomy takes its terms from `topic`.
    pub topic: Link,
    /// The season's label in the page's language, when the tip gives one.
    pub season: Option<String>,
}

/// A workshop's own fields as templates see them (`page.workshop`), already written in the
/// page's language.
#[derive(Serialize)]
pub struct WorkshopView {
    /// Start to end in the page's language with the zone's abbreviation, e.g.
    /// `Sabtu, 14 Maret 2026, 09.00–12.00 WITA`.
    pub when: String,
    /// The start's date in the page's language, e.g. `14 Maret 2026`.
    pub date_short: String,
    /// The start in the site's time zone as ISO 8601, e.g. `2026-03-14T09:00:00+08:00`.
    pub start: String,
    /// The end in the site's time zone as ISO 8601, e.g. `2026-03-14T12:00:00+08:00`.
    pub end: String,
    /// Where it takes place, as written in front matter.
    pub venue: String,
    /// The kelurahan of the venue, as written in front matter.
    pub kelurahan: String,
    /// The kecamatan the kelurahan lies in, linked to its term page when a taxonomy takes its
    /// terms from `kecamatan`.
    pub kecamatan: Link,
    /// Who runs it, as written in front matter.
    pub organiser: String,
    /// Number of seats with the digits grouped in the page's language, e.g. `1.200`.
    pub capacity: String,
    /// The price in rupiah in the page's language, e.g. `Rp 25.000`, or the theme's word for free
    /// (`Gratis`) when it costs nothing.
    pub cost: String,
    /// True when the cost is 0 rupiah.
    pub free: bool,
    /// How to register, as written in front matter.
    pub register: String,
    /// The same as HTML with telephone numbers as links (`tel:`, or `https://wa.me/` when it
    /// speaks of WhatsApp); escaped, safe to insert.
    pub register_html: String,
    /// Where to register: a web address, `mailto:`, `tel:` or a path of this site.
    pub register_url: Option<String>,
    /// A map of the venue (`https://`), when given.
    pub venue_map: Option<String>,
    /// Site-relative URL of the workshop's calendar file (`.ics`).
    pub ics_url: String,
    /// True while the workshop has not yet ended at build time.
    pub upcoming: bool,
}

/// A before/after figure of a success story as templates see it, written in the page's language.
#[derive(Serialize)]
pub struct ChangeView {
    /// What was measured, as written in front matter (e.g. `Omzet per bulan`).
    pub label: String,
    /// The figure before, with its unit, e.g. `Rp 3.000.000` or `12,5%`.
    pub before: String,
    /// The figure after, with its unit, e.g. `Rp 7.500.000`.
    pub after: String,
    /// The change from before to after in percent of `before`, whole and signed (e.g. `+150%`);
    /// empty when `before` is 0.
    pub change: String,
}

/// A success story's own fields as templates see them (`page.story`).
#[derive(Serialize)]
pub struct StoryView {
    /// The group or KUB the story is about, as written in front matter.
    pub group: String,
    /// The group's sector, labelled in the page's language; never linked (`url` empty).
    pub sector: Link,
    /// Where the group works, linked to its term page when a taxonomy takes its terms from
    /// `kecamatan`.
    pub kecamatan: Link,
    /// The group's sales channels, as written in front matter; empty when not given.
    pub channels: Vec<String>,
    /// The story's before/after figures, in front-matter order.
    pub changes: Vec<ChangeView>,
}

/// A section as templates see it (`section`) on its listing pages.
#[derive(Serialize)]
pub struct SectionView<'a> {
    /// The section's `title` from front matter.
    pub title: &'a str,
    /// The section's `description` from front matter; empty when not given.
    pub description: &'a str,
    /// Site-relative URL of the section's first listing page, e.g. `/tips/`.
    pub url: &'a str,
    /// Absolute URL: the configured `base_url` followed by `url`.
    pub permalink: String,
    /// The section's language code, e.g. `id` or `en`.
    pub lang: &'a str,
    /// Kind of the pages in this section, in lower case: `page`, `tip`, `workshop` or `story`.
    pub kind: Kind,
    /// HTML of the section's own body, or `None` when the body is empty.
    pub content: Option<&'a str>,
    /// The direct subsections, each with its folder as `name` and its title as `label`.
    pub subsections: Vec<Link>,
    /// The section's `[extra]` table from front matter, as written.
    pub extra: &'a toml::Table,
}

/// What a page's own render produced that listings need later.
#[derive(Default, Clone)]
pub struct ListingExcerpt {
    /// HTML of the body before `<!-- more -->`, when the page has the marker.
    pub summary: Option<String>,
    /// Count of words in the body's text.
    pub word_count: usize,
}

impl Site {
    /// Site-relative URL of a term's page: language prefix, taxonomy name, then the term's slug,
    /// e.g. `/en/topik/perikanan/`.
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

    /// A term as a link to its term page, labelled from the taxonomy's vocabulary.
    pub fn term_link(&self, lang: &str, tax: &str, term: &str) -> Link {
        Link {
            name: term.to_string(),
            label: self.term_label(tax, term, lang),
            url: self.term_url(lang, tax, term),
        }
    }

    /// The absolute URL of a site-relative `url`: the configured `base_url` followed by `url`.
    pub fn permalink(&self, url: &str) -> String {
        format!("{}{url}", self.config.base_url)
    }

    fn local(&self, t: jiff::Timestamp) -> jiff::civil::DateTime {
        t.to_zoned_datetime(self.tz.clone()).datetime()
    }

    /// A moment in the site's time zone as ISO 8601 with offset, e.g.
    /// `2026-03-14T09:00:00+08:00`, for feeds, sitemaps and `datetime` attributes.
    pub fn iso(&self, t: jiff::Timestamp) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }

    /// A page as templates see it; `content` only for the page's own render.
    pub fn page_view<'a>(
        &'a self,
        page: &'a Page,
        rendered: &'a ListingExcerpt,
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
            Typed::Tip(t) => (Some(self.tip_view(t, lang)), None, None),
            Typed::Workshop(w) => (None, Some(self.workshop_view(page, w, lang)), None),
            Typed::Story(s) => (None, None, Some(self.story_view(s, lang))),
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

    /// A tip's fields as templates see them.
    fn tip_view(&self, t: &crate::content::Tip, lang: &str) -> TipView {
        TipView {
            topic: Link {
                label: self.config.vocab_label("topic", &t.topic, lang).to_string(),
                ..self.field_link(lang, "topic", &t.topic, Some("topic"))
            },
            season: t
                .season
                .as_ref()
                .map(|s| self.config.vocab_label("season", s, lang).to_string()),
        }
    }

    /// A workshop's fields, written in the page's language.
    fn workshop_view(&self, page: &Page, w: &crate::content::Workshop, lang: &str) -> WorkshopView {
        let zone = &self.config.timezone.abbreviation;
        let (start, end) = (self.local(w.start), self.local(w.end));
        let free = w.cost == 0;
        WorkshopView {
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
            register_html: crate::common::phone::link_phone_numbers(&w.register),
            register_url: w.register_url.clone(),
            venue_map: w.venue_map.clone(),
            ics_url: format!("{}{}.ics", page.url, page.slug),
            upcoming: w.end > self.now,
        }
    }

    /// A story's fields, its before/after figures with their change in percent.
    fn story_view(&self, s: &crate::content::Story, lang: &str) -> StoryView {
        StoryView {
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
        }
    }

    /// A section as templates see it; `content` is the HTML of its own body, if any.
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
