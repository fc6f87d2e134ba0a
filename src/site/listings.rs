//! Listing pages: the home page, section listings with pagination, the workshop schedule
//! (upcoming first, then past) and taxonomy pages.

use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use std::sync::Arc;

use super::views::PageView;
use super::{PageResult, Site};
use crate::common::diagnostics::Diagnostic;
use crate::common::hash::Fingerprint;
use crate::content::{Kind, Typed};
use crate::markdown;
use crate::output::Output;
use crate::output::{Fresh, UnitKey};

#[derive(Serialize)]
struct Paginator<'a> {
    pages: Vec<PageView<'a>>,
    current_index: usize,
    number_pagers: usize,
    total_pages: usize,
    previous: Option<String>,
    next: Option<String>,
    first: String,
    last: String,
}

/// What the outputs of one section share: the section, its view and fingerprint, the pages'
/// renders and the output.
struct SectionPart<'a> {
    s: &'a crate::content::Section,
    view: super::views::SectionView<'a>,
    fp: u64,
    rendered: &'a [Arc<PageResult>],
    out: &'a Output,
}

impl<'a> SectionPart<'a> {
    fn origin(&self) -> Option<&'a std::path::Path> {
        Some(self.s.source.path.as_path())
    }

    /// The section's title and description as the page's meta title and description.
    fn describe(&self, ctx: &mut tera::Context) {
        if !self.s.dir.is_empty() {
            ctx.insert("meta_title", &self.s.meta.title);
        }
        if !self.s.meta.description.is_empty() {
            ctx.insert("meta_description", &self.s.meta.description);
        }
    }

    /// Page `p` as listings show it.
    fn page_view(&self, site: &'a Site, p: usize) -> PageView<'a> {
        site.page_view(
            &site.content.pages[p],
            &self.rendered[p].rendered,
            None,
            &[],
        )
    }
}

#[derive(Serialize)]
struct SectionPreview<'a> {
    title: &'a str,
    description: &'a str,
    url: &'a str,
    kind: Kind,
    pages: Vec<PageView<'a>>,
}

impl Site {
    fn pager_url(base: &str, path: &str, n: usize) -> String {
        if n <= 1 {
            base.to_string()
        } else {
            format!("{base}{path}/{n}/")
        }
    }

    /// Splits `pages` into pagers and renders each with `template`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn paginate(
        &self,
        pages: &[usize],
        per_page: Option<usize>,
        base: &str,
        path: &str,
        rendered: &[Arc<PageResult>],
        out: &Output,
        template: &str,
        fill: &(dyn Fn(&mut tera::Context) + Sync),
        lang: &str,
        translation_key: Option<&str>,
        origin: Option<&std::path::Path>,
        listing_fp: u64,
    ) -> Vec<Diagnostic> {
        let per = per_page.unwrap_or(pages.len().max(1));
        let chunks: Vec<&[usize]> = if pages.is_empty() {
            vec![&[]]
        } else {
            pages.chunks(per).collect()
        };
        let total = chunks.len();
        let render_pager = |(n, chunk): (usize, &[usize])| -> Option<Diagnostic> {
            let n = n + 1;
            let url = Self::pager_url(base, path, n);
            let fp = || {
                let mut fp = self.fp("pager", template);
                fp.add(listing_fp).add(n).add(total).add(base).add(path);
                if n == 1 {
                    fp.add(translation_key.and_then(|k| self.translations_of(k)));
                }
                for &i in chunk {
                    fp.add(rendered[i].listing);
                }
                fp.finish()
            };
            let files = vec![crate::output::Output::file_for_url(&url)];
            if let Fresh::Keep(_) = out.unit(UnitKey::Pager(url.clone()), fp, files) {
                return None;
            }
            let paginator = Paginator {
                pages: chunk
                    .iter()
                    .map(|&i| {
                        self.page_view(&self.content.pages[i], &rendered[i].rendered, None, &[])
                    })
                    .collect(),
                current_index: n,
                number_pagers: total,
                total_pages: total,
                previous: (n > 1).then(|| Self::pager_url(base, path, n - 1)),
                next: (n < total).then(|| Self::pager_url(base, path, n + 1)),
                first: base.to_string(),
                last: Self::pager_url(base, path, total),
            };
            let mut ctx = self.context(lang, &url, if n == 1 { translation_key } else { None });
            fill(&mut ctx);
            if n > 1 {
                let title = ctx
                    .get("meta_title")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                ctx.insert(
                    "meta_title",
                    &format!("{title} ({} {n})", self.string(lang, "page_n")),
                );
            }
            ctx.insert("paginator", &paginator);
            match self.render_for(template, &ctx, origin) {
                Ok(html) => out.write_page(&url, html, origin).err(),
                Err(d) => Some(d),
            }
        };
        // A template error repeats on every pager; build() keeps one copy of each diagnostic.
        chunks
            .into_par_iter()
            .enumerate()
            .filter_map(render_pager)
            .collect()
    }

    /// Workshops of a list split into (upcoming soonest first, past latest first).
    fn split_schedule(&self, pages: &[usize]) -> (Vec<usize>, Vec<usize>) {
        let mut up: Vec<(jiff::Timestamp, usize)> = Vec::new();
        let mut past = Vec::new();
        for &i in pages {
            if let Typed::Workshop(w) = &self.content.pages[i].typed {
                if w.end > self.now {
                    up.push((w.start, i))
                } else {
                    past.push((w.start, i))
                }
            }
        }
        up.sort();
        past.sort_by(|a, b| b.cmp(a));
        (
            up.into_iter().map(|x| x.1).collect(),
            past.into_iter().map(|x| x.1).collect(),
        )
    }

    /// Renders section `i` (its listing, schedule or the home page, and its redirects);
    /// returns diagnostics and heading ids.
    pub(super) fn render_section(
        &self,
        i: usize,
        rendered: &[Arc<PageResult>],
        out: &Output,
    ) -> SectionResult {
        let s = &self.content.sections[i];
        let mut diags = Vec::new();
        let md = markdown::render(
            &s.source,
            s.body_start,
            &s.url,
            &s.lang,
            &self.targets,
            &mut diags,
        );
        let ids: HashSet<String> = md
            .headings
            .iter()
            .map(|h| h.id.clone())
            .chain(md.footnote_ids.iter().cloned())
            .collect();
        let content = (!md.html.trim().is_empty()).then_some(md.html.as_str());
        let view = self.section_view(s, content);
        let fp = {
            let mut fp = Fingerprint::new("section");
            fp.json(&view)
                .add(&s.meta.template)
                .add(self.translations_of(&s.translation_key));
            fp.finish()
        };
        let part = SectionPart {
            s,
            view,
            fp,
            rendered,
            out,
        };
        if !s.meta.render {
            // `render = false`: no listing page; its pages are published.
        } else if let Some(to) = &s.redirect_to {
            self.render_section_redirect(&part, to, &mut diags);
        } else if s.dir.is_empty() && (s.pages.is_empty() || s.paginate_by.is_none()) {
            // Without `paginate_by`, root pages are the site's own pages (about, contact),
            // reached from the menu: the home previews the sections.
            self.render_home(&part, &mut diags);
        } else if s.kind == Kind::Workshop && !s.dir.is_empty() {
            self.render_schedule(&part, &mut diags);
        } else {
            // A section's listing; or a home that paginates pages of its own (a Zola blog's
            // posts), listed like a section with the previews of the sections.
            let home = s.dir.is_empty();
            let previews = if home {
                self.home_previews(&part)
            } else {
                Vec::new()
            };
            let fill = |ctx: &mut tera::Context| {
                ctx.insert("section", &part.view);
                if home {
                    ctx.insert("sections", &previews);
                }
                part.describe(ctx);
            };
            let default = if home { "index.html" } else { "section.html" };
            diags.extend(self.paginate(
                &s.pages,
                s.paginate_by,
                &s.url,
                &s.paginate_path,
                rendered,
                out,
                self.chosen_template(s.meta.template.as_deref(), default),
                &fill,
                &s.lang,
                Some(&s.translation_key),
                part.origin(),
                fp,
            ));
        }
        self.render_section_aliases(&part, &mut diags);
        SectionResult {
            diags,
            ids,
            local_links: md.local_links,
            anchor_refs: md.anchor_refs,
            photos: md.photos,
        }
    }

    /// Renders a section's page with `template` and `ctx` and writes it.
    fn write_section(
        &self,
        part: &SectionPart,
        template: &str,
        ctx: &tera::Context,
        diags: &mut Vec<Diagnostic>,
    ) {
        match self.render_for(template, ctx, part.origin()) {
            Ok(html) => diags.extend(part.out.write_page(&part.s.url, html, part.origin()).err()),
            Err(d) => diags.push(d),
        }
    }

    /// The context of a section's own page: site, section, title and description.
    fn section_context(&self, part: &SectionPart) -> tera::Context {
        let s = part.s;
        let mut ctx = self.context(&s.lang, &s.url, Some(&s.translation_key));
        ctx.insert("section", &part.view);
        part.describe(&mut ctx);
        ctx
    }

    /// The home page: a preview of every top-level section, upcoming workshops first.
    fn render_home(&self, part: &SectionPart, diags: &mut Vec<Diagnostic>) {
        let s = part.s;
        let previews = self.home_previews(part);
        let template = self.chosen_template(s.meta.template.as_deref(), "index.html");
        let fp = || {
            let mut fp = self.fp("home", template);
            fp.add(part.fp).json(&previews);
            fp.finish()
        };
        let file = Output::file_for_url(&s.url);
        if let Fresh::Render = part.out.unit(UnitKey::Home(s.url.clone()), fp, vec![file]) {
            let mut ctx = self.section_context(part);
            ctx.insert("sections", &previews);
            self.write_section(part, template, &ctx, diags);
        }
    }

    /// The home's preview of every top-level section: its first pages (upcoming workshops).
    fn home_previews<'s>(&'s self, part: &SectionPart<'s>) -> Vec<SectionPreview<'s>> {
        let s = part.s;
        s.subsections
            .iter()
            .filter(|&&j| self.content.sections[j].meta.render)
            .map(|&j| {
                let sub = &self.content.sections[j];
                let list = if sub.kind == Kind::Workshop {
                    self.split_schedule(&sub.pages).0
                } else {
                    sub.pages.clone()
                };
                SectionPreview {
                    title: &sub.meta.title,
                    description: &sub.meta.description,
                    url: &sub.url,
                    kind: sub.kind,
                    pages: list
                        .iter()
                        .take(3)
                        .map(|&p| part.page_view(self, p))
                        .collect(),
                }
            })
            .collect()
    }

    /// A workshop section: upcoming workshops soonest first, then past ones, and the calendar
    /// of the upcoming ones.
    fn render_schedule(&self, part: &SectionPart, diags: &mut Vec<Diagnostic>) {
        let s = part.s;
        let (up, past) = self.split_schedule(&s.pages);
        let template = self.chosen_template(s.meta.template.as_deref(), "schedule.html");
        let cal_url = format!("{}{}", s.url, super::ics::FEED_NAME);
        let fp = || {
            let mut fp = self.fp("schedule", template);
            fp.add(part.fp).add(up.len());
            for &p in up.iter().chain(&past) {
                fp.add(part.rendered[p].listing);
            }
            fp.finish()
        };
        let files = vec![Output::file_for_url(&s.url), cal_url[1..].to_string()];
        if let Fresh::Render = part.out.unit(UnitKey::Schedule(s.url.clone()), fp, files) {
            let views = |list: &[usize]| -> Vec<PageView> {
                list.iter().map(|&p| part.page_view(self, p)).collect()
            };
            let mut ctx = self.section_context(part);
            ctx.insert("upcoming", &views(&up));
            ctx.insert("past", &views(&past));
            ctx.insert("calendar_url", &cal_url);
            self.write_section(part, template, &ctx, diags);
            let entries: Vec<_> = up
                .iter()
                .filter_map(|&p| match &self.content.pages[p].typed {
                    Typed::Workshop(w) => Some((&self.content.pages[p], w)),
                    _ => None,
                })
                .collect();
            let cal = super::ics::calendar(self, &entries, &s.meta.title);
            diags.extend(part.out.write(&cal_url, cal.as_bytes()).err());
        }
    }

    /// A section's redirects (`aliases`).
    /// A section whose own page sends readers on (`redirect_to`): `@/file.md` (checked like a
    /// link), a site path or a full address.
    fn render_section_redirect(&self, part: &SectionPart, to: &str, diags: &mut Vec<Diagnostic>) {
        let s = part.s;
        let target = match to.strip_prefix("@/") {
            Some(file) => match self.targets.urls.get(file) {
                Some(url) => url.clone(),
                None => {
                    diags.push(
                        Diagnostic::error(format!("`redirect_to` names `@/{file}`, which does not exist"))
                            .at(&s.source, crate::content::value_span(&s.source, "redirect_to"), "no such file under content/")
                            .help("name a page as @/folder/file.md, or give an address such as /tips/ or https://…"),
                    );
                    return;
                }
            },
            None => to.to_string(),
        };
        let fp = || {
            let mut fp = Fingerprint::new("redirect");
            fp.add(&s.url).add(&target);
            fp.finish()
        };
        let key = UnitKey::Pager(s.url.clone());
        if let Fresh::Render = part.out.unit(key, fp, vec![Output::file_for_url(&s.url)]) {
            let html = super::pages::redirect_html(&target);
            diags.extend(part.out.write_page(&s.url, html, part.origin()).err());
        }
    }

    fn render_section_aliases(&self, part: &SectionPart, diags: &mut Vec<Diagnostic>) {
        let s = part.s;
        let alias_files = s.meta.aliases.iter().map(|a| Output::file_for_url(a));
        let fp = || {
            let mut fp = Fingerprint::new("aliases");
            fp.add(&s.url).add(&s.meta.aliases);
            fp.finish()
        };
        let key = UnitKey::SectionAliases(s.rel.clone());
        if let Fresh::Render = part.out.unit(key, fp, alias_files.collect()) {
            for alias in &s.meta.aliases {
                let html = super::pages::redirect_html(&s.url);
                diags.extend(part.out.write_page(alias, html, part.origin()).err());
            }
        }
    }
}

/// What a section's render left for the link checks.
pub(super) struct SectionResult {
    pub(super) diags: Vec<Diagnostic>,
    /// The ids of its body (headings and footnotes).
    pub(super) ids: HashSet<String>,
    /// Links and images of its body to this site by address.
    pub(super) local_links: Vec<crate::markdown::LocalLink>,
    /// Its `@/x.md#frag` links.
    pub(super) anchor_refs: Vec<crate::markdown::AnchorRef>,
    /// Site paths of the photos its body shows.
    pub(super) photos: Vec<String>,
}
