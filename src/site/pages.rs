//! One page's output: markdown through its template, its calendar (workshops) and redirects;
//! the unit key and fingerprint that let `serve` skip unchanged pages; anchor checks.

use std::collections::HashSet;
use std::sync::Arc;

use super::Site;
use super::ics;
use super::views::ListingExcerpt;
use crate::common::diagnostics::{Diagnostic, catch_panic};
use crate::common::hash::{Fingerprint, hash_of};
use crate::content::Typed;
use crate::markdown::{self, AnchorRef};
use crate::output::{Fresh, Output, UnitKey};

impl Site {
    /// Files a page writes: its HTML, its calendar (workshops) and its redirects.
    pub(super) fn page_files(&self, i: usize) -> Vec<String> {
        let page = &self.content.pages[i];
        let mut files = vec![Output::file_for_url(&page.url)];
        if let Typed::Workshop(_) = &page.typed {
            files.push(format!("{}{}.ics", page.url, page.slug)[1..].to_string());
        }
        files.extend(page.meta.aliases.iter().map(|a| Output::file_for_url(a)));
        files
    }

    /// What page `i`'s output is made from, given the links and embeds its last render used.
    pub(super) fn page_fp(&self, i: usize, last: &PageResult) -> u64 {
        let page = &self.content.pages[i];
        let template = self.page_template(i);
        let mut fp = self.fp("page", &template);
        fp.add(page.hash)
            .add(&page.rel)
            .add(&page.url)
            .add(page.kind.name())
            .add(self.translations_of(&page.translation_key));
        for l in &last.links {
            fp.add(self.targets.urls.get(l));
        }
        if last.uses_embeds {
            fp.add(self.report_hashes.get(&page.lang));
        }
        for name in &last.shortcodes {
            fp.add(self.theme.hashes.get(&format!("shortcodes/{name}.html")));
        }
        fp.finish()
    }

    /// The unit key of a page.
    pub fn page_key(rel: &str) -> UnitKey {
        UnitKey::Page(rel.to_string())
    }

    /// Renders page `i`, unless its inputs are those of the last build.
    pub(super) fn page_unit(&self, i: usize, out: &Output) -> Arc<PageResult> {
        let key = Self::page_key(&self.content.pages[i].rel);
        if let Some(p) = out.keep_if_clean(&key)
            && let Ok(r) = p.downcast::<PageResult>()
        {
            return r;
        }
        let last = out
            .previous_payload(&key)
            .and_then(|p| p.clone().downcast::<PageResult>().ok());
        let fp = || last.as_ref().map_or(0, |l| self.page_fp(i, l));
        if let Fresh::Keep(Some(p)) = out.unit(key.clone(), fp, self.page_files(i))
            && let Ok(r) = p.downcast::<PageResult>()
        {
            return r;
        }
        let page = &self.content.pages[i];
        let mut r = catch_panic(&page.source.path, "rendering", || self.render_page(i, out))
            .unwrap_or_else(PageResult::failed);
        // From the page's own fields, which its fingerprint covers: a kept result's stay true.
        r.hashes = PageHashes {
            search_doc: hash_of((
                &page.url,
                &page.meta.title,
                &page.meta.description,
                r.words.hash,
                &page.taxonomies,
            )),
            search_az: hash_of((&page.url, &page.meta.title, &page.taxonomies)),
            terms: hash_of((&page.rel, &page.lang, &page.taxonomies, &page.date)),
        };
        let r = Arc::new(r);
        if out.tracks_units() {
            out.set_payload(&key, self.page_fp(i, &r), r.clone());
        }
        r
    }

    /// The template front matter names, when the theme has it; else `default`. A missing one
    /// is reported once, at its key, by [`Site::check_templates`].
    pub(super) fn chosen_template<'a>(&self, named: Option<&'a str>, default: &'a str) -> &'a str {
        named.filter(|t| self.has_template(t)).unwrap_or(default)
    }

    pub(super) fn page_template(&self, i: usize) -> String {
        let page = &self.content.pages[i];
        if let Some(t) = page.meta.template.as_ref().filter(|t| self.has_template(t)) {
            return t.clone();
        }
        if let Some(t) = page
            .section
            .and_then(|s| self.content.sections[s].page_template.clone())
            .filter(|t| self.has_template(t))
        {
            return t;
        }
        let by_kind = format!("{}.html", page.kind.name());
        if self.has_template(&by_kind) {
            by_kind
        } else {
            "page.html".into()
        }
    }

    pub(super) fn render_page(&self, i: usize, out: &Output) -> PageResult {
        let page = &self.content.pages[i];
        let mut diags = Vec::new();
        let md = markdown::render(
            &page.source,
            page.body_start,
            &page.url,
            &page.lang,
            &self.targets,
            &mut diags,
        );
        let rendered = ListingExcerpt {
            summary: md.summary,
            word_count: md.word_count,
        };
        let view = self.page_view(page, &rendered, Some(&md.html), &md.headings);
        let mut ctx = self.context(&page.lang, &page.url, Some(&page.translation_key));
        ctx.insert("page", &view);
        ctx.insert("meta_title", &page.meta.title);
        if !page.meta.description.is_empty() {
            ctx.insert("meta_description", &page.meta.description);
        }
        let origin = Some(page.source.path.as_path());
        match self.render_for(&self.page_template(i), &ctx, origin) {
            Ok(html) => {
                // A page with a photo on its first screen is weighed with it: its size exactly.
                let written = if md.eager_photo.is_some() {
                    out.write_page_measured(&page.url, html, origin)
                } else {
                    out.write_page(&page.url, html, origin)
                };
                if let Err(d) = written {
                    diags.push(d);
                }
            }
            Err(d) => diags.push(d),
        }
        if let Typed::Workshop(w) = &page.typed {
            let cal = ics::calendar(self, &[(page, w)], &page.meta.title);
            if let Err(d) = out.write(&format!("{}{}.ics", page.url, page.slug), cal.as_bytes()) {
                diags.push(d);
            }
        }
        for alias in &page.meta.aliases {
            if let Err(d) = out.write_page(alias, redirect_html(&page.url), origin) {
                diags.push(d);
            }
        }
        drop(view);
        let listing = if out.tracks_units() {
            let mut fp = Fingerprint::new("listing");
            fp.json(&self.page_view(page, &rendered, None, &[]))
                .add(page.date)
                .add(page.updated)
                .add(&page.rel);
            fp.finish()
        } else {
            0
        };
        PageResult {
            rendered,
            ids: md
                .headings
                .into_iter()
                .map(|h| h.id)
                .chain(md.footnote_ids)
                .collect(),
            anchor_refs: md.anchor_refs,
            local_links: md.local_links,
            shortcodes: md.shortcodes,
            photos: md.photos,
            eager_photo: md.eager_photo,
            words: if self.has_template("search.html") && page.meta.in_search_index {
                crate::search::TextWords::of(&super::search::plain_text(&md.html))
            } else {
                crate::search::TextWords::default()
            },
            diags,
            links: md.links,
            uses_embeds: md.uses_embeds,
            listing,
            hashes: PageHashes::default(),
        }
    }
}

/// What a page's render left for listings, link checks and the next incremental build.
pub(crate) struct PageResult {
    pub(crate) rendered: ListingExcerpt,
    pub(crate) ids: HashSet<String>,
    pub(crate) anchor_refs: Vec<AnchorRef>,
    /// Links and images to this site by address, checked once every output is known.
    pub(crate) local_links: Vec<crate::markdown::LocalLink>,
    /// The shortcodes the page calls: their templates are part of what it is made from.
    pub(crate) shortcodes: Vec<String>,
    /// Site paths of the photos the page shows, and the one on its first screen.
    pub(crate) photos: Vec<String>,
    pub(crate) eager_photo: Option<String>,
    /// The words of the page's text, for the search index (none when not indexed).
    pub(crate) words: crate::search::TextWords,
    pub(crate) diags: Vec<Diagnostic>,
    /// `@/` files the page links to, and whether it shows report results: with its own file,
    /// template and translations, what its output depends on.
    pub(crate) links: Vec<String>,
    pub(crate) uses_embeds: bool,
    /// Hash of the page as listings and feeds show it.
    pub(crate) listing: u64,
    /// Hashes of what whole-site outputs take from the page (see [`PageHashes`]).
    pub(crate) hashes: PageHashes,
}

/// Hashes of what the outputs made from every page take from one page, kept with its result
/// so that a round of `serve` reads them instead of hashing every page's fields again.
#[derive(Clone, Copy, Default)]
pub(crate) struct PageHashes {
    /// The page as the search index sees it: address, title, description, words, terms.
    pub(crate) search_doc: u64,
    /// The page as the A–Z pages see it: address, title, terms.
    pub(crate) search_az: u64,
    /// The page as the taxonomy pages group and order it: file, language, terms, date.
    pub(crate) terms: u64,
}

impl PageResult {
    /// The result of a page whose render failed with `d`.
    pub(super) fn failed(d: Diagnostic) -> PageResult {
        PageResult {
            rendered: ListingExcerpt::default(),
            ids: HashSet::new(),
            anchor_refs: Vec::new(),
            local_links: Vec::new(),
            shortcodes: Vec::new(),
            photos: Vec::new(),
            eager_photo: None,
            words: crate::search::TextWords::default(),
            diags: vec![d],
            links: Vec::new(),
            uses_embeds: false,
            listing: 0,
            hashes: PageHashes::default(),
        }
    }
}

pub(super) fn check_anchor(
    source: &crate::common::diagnostics::Source,
    a: &AnchorRef,
    ids: &super::Ids,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(known) = ids.get(a.target.as_str()) else {
        return;
    };
    if known.contains(&a.fragment) {
        return;
    }
    let mut list: Vec<&str> = known.iter().map(String::as_str).collect();
    list.sort();
    let help = match crate::common::text::closest(&a.fragment, list.iter().copied()) {
        Some(s) => format!(
            "did you mean `#{s}`? Headings of that page: {}",
            list.join(", ")
        ),
        None if list.is_empty() => {
            "that page has no headings; link to the page without `#...`".to_string()
        }
        None => format!("headings of that page: {}", list.join(", ")),
    };
    diags.push(
        Diagnostic::error(format!(
            "broken link to `#{}` in `@/{}`",
            a.fragment, a.target
        ))
        .at(
            source,
            a.span.clone(),
            format!(
                "content/{} has no heading with id `{}`",
                a.target, a.fragment
            ),
        )
        .help(help),
    );
}

/// A page that sends readers on to `to` (for `aliases`), without JavaScript.
pub(super) fn redirect_html(to: &str) -> String {
    format!(
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>Pindah ke {to}</title><link rel=\"canonical\" href=\"{to}\"><meta http-equiv=\"refresh\" content=\"0; url={to}\"></head><body><p><a href=\"{to}\">{to}</a></p></body></html>"
    )
}
