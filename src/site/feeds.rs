//! Atom feeds (per language and per section), `sitemap.xml` with language alternates,
//! `robots.txt` and the `404.html` pages.

use serde::Serialize;

use std::sync::Arc;

use super::{PageResult, Site};
use crate::common::diagnostics::Diagnostic;
use crate::output::{Fresh, Output, UnitKey};

/// Entries per feed: enough for readers, small for slow connections.
const FEED_ENTRIES: usize = 20;

#[derive(Serialize)]
struct Entry<'a> {
    title: &'a str,
    permalink: String,
    published: String,
    updated: String,
    summary: Option<&'a str>,
    description: &'a str,
}

#[derive(Serialize)]
struct Feed<'a> {
    title: String,
    url: String,
    alternate: String,
    updated: String,
    entries: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct SitemapEntry {
    permalink: String,
    lastmod: Option<String>,
    alternates: Vec<(String, String)>,
}

impl Site {
    fn feed(
        &self,
        pages: &[usize],
        rendered: &[Arc<PageResult>],
        out: &Output,
        lang: &str,
        url: &str,
        title: String,
    ) -> Option<Diagnostic> {
        let mut list: Vec<usize> = pages
            .iter()
            .copied()
            .filter(|&i| self.content.pages[i].date.is_some())
            .collect();
        list.sort_by(|&a, &b| self.content.pages[b].date.cmp(&self.content.pages[a].date));
        list.truncate(FEED_ENTRIES);
        let updated = list
            .iter()
            .filter_map(|&i| {
                let p = &self.content.pages[i];
                p.updated.max(p.date)
            })
            .max()
            .unwrap_or(self.now);
        let feed_url = format!("{url}atom.xml");
        let fp = || {
            let mut fp = self.fp("feed", "atom.xml");
            fp.add(&title).add(url).add(lang).add(updated);
            for &i in &list {
                fp.add(rendered[i].listing);
            }
            fp.finish()
        };
        let file = feed_url.trim_start_matches('/').to_string();
        if let Fresh::Keep(_) = out.unit(UnitKey::Feed(feed_url.clone()), fp, vec![file]) {
            return None;
        }
        let feed = Feed {
            title,
            url: self.permalink(&feed_url),
            alternate: self.permalink(url),
            updated: self.iso(updated),
            entries: list
                .iter()
                .map(|&i| {
                    let p = &self.content.pages[i];
                    let date = p.date.unwrap_or(self.now);
                    Entry {
                        title: &p.meta.title,
                        permalink: self.permalink(&p.url),
                        published: self.iso(date),
                        updated: self.iso(p.updated.unwrap_or(date)),
                        summary: rendered[i].rendered.summary.as_deref(),
                        description: &p.meta.description,
                    }
                })
                .collect(),
        };
        let mut ctx = self.context(lang, url, None);
        ctx.insert("feed", &feed);
        match self.render("atom.xml", &ctx) {
            Ok(xml) => out.write(&feed_url, xml.as_bytes()).err(),
            Err(d) => Some(d),
        }
    }

    pub(super) fn render_feeds(
        &self,
        rendered: &[Arc<PageResult>],
        out: &Output,
    ) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for lang in self.config.all_languages() {
            let pages: Vec<usize> = (0..self.content.pages.len())
                .filter(|&i| self.content.pages[i].lang == lang)
                .collect();
            let url = format!("{}/", self.config.lang_prefix(&lang));
            diags.extend(self.feed(
                &pages,
                rendered,
                out,
                &lang,
                &url,
                self.config.site_title(&lang).to_string(),
            ));
        }
        for s in &self.content.sections {
            if !s.dir.is_empty() && !s.pages.is_empty() {
                let title = format!("{} · {}", s.meta.title, self.config.site_title(&s.lang));
                diags.extend(self.feed(&s.pages, rendered, out, &s.lang, &s.url, title));
            }
        }
        diags
    }

    /// Sitemap, robots.txt, the 404 pages and, when `[offline] service_worker` is on, the
    /// service worker.
    pub(super) fn render_special(&self, out: &Output) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        if self.config.offline.service_worker {
            // A new version whenever anything every page shows changes, so readers' browsers
            // install the new worker.
            let js =
                include_str!("sw.js").replace("{version}", &format!("{:016x}", self.global_hash));
            let fp = || crate::common::hash::text_hash(&js);
            if let Fresh::Render =
                out.unit(UnitKey::Asset("/sw.js".into()), fp, vec!["sw.js".into()])
            {
                diags.extend(out.write("sw.js", js.as_bytes()).err());
            }
        }
        let alternates = |key: &str| -> Vec<(String, String)> {
            let list = self.translations.get(key).cloned().unwrap_or_default();
            if list.len() < 2 {
                Vec::new()
            } else {
                list.into_iter()
                    .map(|(l, u)| (l, self.permalink(&u)))
                    .collect()
            }
        };
        let lang = &self.config.default_language;
        let fp = || {
            let mut fp = self.fp("sitemap", "sitemap.xml");
            for s in &self.content.sections {
                fp.add(&s.url).add(self.translations_of(&s.translation_key));
            }
            for p in &self.content.pages {
                fp.add(&p.url)
                    .add(p.updated.or(p.date))
                    .add(self.translations_of(&p.translation_key));
            }
            for (key, _, url) in self.impact_pages() {
                fp.add(url).add(self.translations_of(&key));
            }
            fp.finish()
        };
        if let Fresh::Render = out.unit(UnitKey::Sitemap, fp, vec!["sitemap.xml".into()]) {
            let mut entries: Vec<SitemapEntry> = Vec::new();
            for s in self.content.sections.iter().filter(|s| s.meta.render) {
                entries.push(SitemapEntry {
                    permalink: self.permalink(&s.url),
                    lastmod: None,
                    alternates: alternates(&s.translation_key),
                });
            }
            for p in &self.content.pages {
                entries.push(SitemapEntry {
                    permalink: self.permalink(&p.url),
                    lastmod: p.updated.or(p.date).map(|d| self.iso(d)),
                    alternates: alternates(&p.translation_key),
                });
            }
            for (key, _, url) in self.impact_pages() {
                entries.push(SitemapEntry {
                    permalink: self.permalink(&url),
                    lastmod: None,
                    alternates: alternates(&key),
                });
            }
            entries.sort_by(|a, b| a.permalink.cmp(&b.permalink));
            let mut ctx = self.context(lang, "/sitemap.xml", None);
            ctx.insert("entries", &entries);
            match self.render("sitemap.xml", &ctx) {
                Ok(xml) => diags.extend(out.write("sitemap.xml", xml.as_bytes()).err()),
                Err(d) => diags.push(d),
            }
        }
        let fp = || self.fp("robots", "robots.txt").finish();
        if let Fresh::Render = out.unit(UnitKey::Robots, fp, vec!["robots.txt".into()]) {
            let robots = if self.has_template("robots.txt") {
                self.render("robots.txt", &self.context(lang, "/robots.txt", None))
            } else {
                Ok(format!(
                    "User-agent: *\nAllow: /\nSitemap: {}\n",
                    self.permalink("/sitemap.xml")
                ))
            };
            match robots {
                Ok(text) => diags.extend(out.write("robots.txt", text.as_bytes()).err()),
                Err(d) => diags.push(d),
            }
        }
        for lang in self.config.all_languages() {
            let url = format!("{}/404.html", self.config.lang_prefix(&lang));
            let fp = || {
                let mut fp = self.fp("404", "404.html");
                fp.add(&lang).add(self.translations_of("__404"));
                fp.finish()
            };
            let file = Output::file_for_url(&url);
            if let Fresh::Render = out.unit(UnitKey::NotFound(lang.clone()), fp, vec![file]) {
                let ctx = self.context(&lang, &url, Some("__404"));
                match self.render("404.html", &ctx) {
                    Ok(html) => diags.extend(out.write_page(&url, html, None).err()),
                    Err(d) => diags.push(d),
                }
            }
        }
        diags
    }
}
