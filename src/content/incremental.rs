//! Re-reading changed pages for `serve`, and how far a change reaches: a body edit touches
//! the page and what lists it, a title or date edit the order of listings, a new or removed page
//! or a changed URL the whole link structure.

use std::path::{Path, PathBuf};

use super::file::{nearest, page_section_dir, read_file, walk_order};
use super::load::kinds_by_dir;
use super::page::read_page;
use super::{Content, LoadOptions, Page};
use crate::common::diagnostics::{Diagnostic, catch_panic};
use crate::config::Config;

/// How far a change of page files reaches beyond the pages themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// Only their own output and what listings show of them.
    Body,
    /// Also their order in listings or their title (in the menu, maybe): the section tree is
    /// rebuilt, URLs stay.
    Order,
    /// Pages added or removed, or URLs changed: pages linking to them may change too.
    Structure,
}

/// True when a re-read page keeps what its URL and translations are made from.
pub(super) fn same_url(old: &Page, new: &Page) -> bool {
    old.slug == new.slug
        && old.fixed_path == new.fixed_path
        && old.lang == new.lang
        && old.kind == new.kind
        && old.translation_key == new.translation_key
}

/// True when a re-read page also keeps its place in listings and the navigation.
pub(super) fn same_place(old: &Page, new: &Page) -> bool {
    same_url(old, new)
        && old.date == new.date
        && old.meta.weight == new.meta.weight
        && old.meta.title == new.meta.title
        && old.meta.draft == new.meta.draft
}

impl Content {
    /// Re-reads the page files `rels` (paths under `content/`, not `_index` files): changed ones
    /// are replaced, new ones inserted, missing ones removed. Returns each file's diagnostics,
    /// and how far the change reaches; unless it is [`Reach::Body`], call [`Content::relink`].
    pub fn update_pages(
        &mut self,
        root: &Path,
        config: &Config,
        opts: &LoadOptions,
        rels: &[String],
    ) -> (Vec<(String, Vec<Diagnostic>)>, Reach) {
        let kinds = kinds_by_dir(&self.sections, config);
        let mut out = Vec::new();
        let mut reach = Reach::Body;
        for rel in rels {
            let path = root.join("content").join(rel);
            let existing = self.pages.iter().position(|p| &p.rel == rel);
            let (page, diags) = if path.is_file() {
                let shown = PathBuf::from("content").join(rel);
                catch_panic(&shown, "reading", || match read_file(&path, rel) {
                    Ok(parsed) => {
                        let kind = nearest(&kinds, &page_section_dir(rel))
                            .copied()
                            .unwrap_or_default();
                        read_page(parsed, kind, config)
                    }
                    Err(ds) => (None, ds),
                })
                .unwrap_or_else(|d| (None, vec![d]))
            } else {
                (None, Vec::new())
            };
            let is_draft = page.as_ref().is_some_and(|p| p.meta.draft && !opts.drafts);
            let unrendered = page.as_ref().is_some_and(|p| !p.meta.render);
            self.drafts.retain(|d| d != rel);
            self.unrendered.retain(|d| d != rel);
            if unrendered {
                self.unrendered.push(rel.clone());
            } else if is_draft {
                self.drafts.push(rel.clone());
            }
            let page = page.filter(|p| (!p.meta.draft || opts.drafts) && p.meta.render);
            match (existing, page) {
                (Some(i), Some(mut p)) => {
                    let old = &self.pages[i];
                    if same_place(old, &p) {
                        p.url = old.url.clone();
                        p.section = old.section;
                    } else if same_url(old, &p) {
                        reach = reach.max(Reach::Order);
                    } else {
                        reach = Reach::Structure;
                    }
                    self.pages[i] = p;
                }
                (Some(i), None) => {
                    reach = Reach::Structure;
                    self.pages.remove(i);
                }
                (None, Some(p)) => {
                    reach = Reach::Structure;
                    let at = self
                        .pages
                        .partition_point(|q| walk_order(&q.rel, &p.rel).is_lt());
                    self.pages.insert(at, p);
                }
                (None, None) => {}
            }
            out.push((rel.clone(), diags));
        }
        (out, reach)
    }
}
