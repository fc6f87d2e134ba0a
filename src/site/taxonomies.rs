//! Taxonomy pages: the list of a taxonomy's terms and each term's paginated listing, in every
//! language.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::views::Link;
use super::{PageResult, Site};
use crate::common::diagnostics::Diagnostic;
use crate::common::hash::Fingerprint;
use crate::output::{Fresh, Output, UnitKey};

#[derive(Serialize)]
struct TermView {
    name: String,
    label: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct TaxView<'a> {
    name: &'a str,
    title: &'a str,
    url: String,
}

/// The pages of one taxonomy in one language: term → pages, newest first.
pub(super) struct TaxJob {
    lang: String,
    /// Index of the taxonomy in the site's configuration.
    tax: usize,
    terms: BTreeMap<String, Vec<usize>>,
}

impl Site {
    /// Every taxonomy's term list and term pages, per language.
    pub(super) fn render_taxonomies(
        &self,
        rendered: &[Arc<PageResult>],
        out: &Output,
    ) -> Vec<Diagnostic> {
        let jobs = self.taxonomy_jobs(rendered);
        jobs.par_iter()
            .flat_map_iter(|job| self.render_taxonomy(job, rendered, out))
            .collect()
    }

    /// Each taxonomy's terms in each language that has any; the last build's when no page
    /// changed its file, language, terms or date (`rendered`: every page's result, in order).
    fn taxonomy_jobs(&self, rendered: &[Arc<PageResult>]) -> Arc<Vec<TaxJob>> {
        let mut fp = Fingerprint::new("taxonomy jobs");
        for r in rendered {
            fp.add(r.hashes.terms);
        }
        let fp = fp.finish();
        if let Some((made_for, jobs)) = &*self.taxonomy_jobs.lock().expect("taxonomy jobs")
            && *made_for == fp
        {
            return jobs.clone();
        }
        let mut jobs = Vec::new();
        for lang in self.config.all_languages() {
            for (t, tax) in self.config.taxonomies.iter().enumerate() {
                let terms = self.terms_of(&lang, &tax.name);
                if !terms.is_empty() {
                    jobs.push(TaxJob {
                        lang: lang.clone(),
                        tax: t,
                        terms,
                    });
                }
            }
        }
        let jobs = Arc::new(jobs);
        *self.taxonomy_jobs.lock().expect("taxonomy jobs") = Some((fp, jobs.clone()));
        jobs
    }

    /// Term → pages of `lang` that have it, newest first. Terms that give the same address
    /// ("Rumput Laut", "rumput-laut") are one term, shown with the first spelling in sort order.
    fn terms_of(&self, lang: &str, tax: &str) -> BTreeMap<String, Vec<usize>> {
        let mut by_slug: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
        // Each distinct spelling slugified once (a few dozen terms over thousands of pages).
        let mut slugs: HashMap<&str, String> = HashMap::new();
        for (i, p) in self.content.pages.iter().enumerate() {
            if p.lang == lang
                && let Some(ts) = p.taxonomies.get(tax)
            {
                for t in ts {
                    let slug = slugs.entry(t.as_str()).or_insert_with(|| slug::slugify(t));
                    if !by_slug.contains_key(slug.as_str()) {
                        by_slug.insert(slug.clone(), (t.clone(), Vec::new()));
                    }
                    let entry = by_slug.get_mut(slug.as_str()).expect("inserted");
                    if *t < entry.0 {
                        entry.0 = t.clone();
                    }
                    // Pages come in order: a page already listed is the last one (two of its
                    // terms with one slug); a search of the whole list was quadratic.
                    if entry.1.last() != Some(&i) {
                        entry.1.push(i);
                    }
                }
            }
        }
        let mut terms: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (_, (name, pages)) in by_slug {
            terms.entry(name).or_default().extend(pages);
        }
        for list in terms.values_mut() {
            list.sort_by(|&a, &b| self.content.pages[b].date.cmp(&self.content.pages[a].date));
        }
        terms
    }

    /// One taxonomy in one language: its list of terms, then every term's pagers.
    fn render_taxonomy(
        &self,
        job: &TaxJob,
        rendered: &[Arc<PageResult>],
        out: &Output,
    ) -> Vec<Diagnostic> {
        let (lang, tax) = (job.lang.as_str(), &self.config.taxonomies[job.tax]);
        let mut diags = Vec::new();
        let tax_view = TaxView {
            name: &tax.name,
            title: self.config.taxonomy_title(tax, lang),
            url: format!("{}/{}/", self.config.lang_prefix(lang), tax.name),
        };
        let term_views: Vec<TermView> = job
            .terms
            .iter()
            .map(|(t, pages)| {
                let Link { name, label, url } = self.term_link(lang, &tax.name, t);
                TermView {
                    name,
                    label,
                    url,
                    count: pages.len(),
                }
            })
            .collect();
        let key = format!("__tax_{}", tax.name);
        let fp = || {
            let mut fp = self.fp("taxonomy", "taxonomy_list.html");
            fp.json(&tax_view)
                .json(&term_views)
                .add(self.translations_of(&key));
            fp.finish()
        };
        let file = Output::file_for_url(&tax_view.url);
        if let Fresh::Render = out.unit(UnitKey::Taxonomy(tax_view.url.clone()), fp, vec![file]) {
            let mut ctx = self.context(lang, &tax_view.url, Some(&key));
            ctx.insert("taxonomy", &tax_view);
            ctx.insert("meta_title", tax_view.title);
            ctx.insert("terms", &term_views);
            match self.render("taxonomy_list.html", &ctx) {
                Ok(html) => diags.extend(out.write_page(&tax_view.url, html, None).err()),
                Err(d) => diags.push(d),
            }
        }
        let pages: Vec<(&Vec<usize>, &TermView)> = job.terms.values().zip(&term_views).collect();
        let term_diags: Vec<Diagnostic> = pages
            .into_par_iter()
            .flat_map_iter(|(term, view)| {
                let fill = |ctx: &mut tera::Context| {
                    ctx.insert("taxonomy", &tax_view);
                    ctx.insert("meta_title", &format!("{}: {}", tax_view.title, view.label));
                    ctx.insert("term", view);
                };
                let mut fp = Fingerprint::new("term");
                fp.json(&tax_view).json(view);
                self.paginate(
                    term,
                    Some(tax.paginate_by),
                    &view.url,
                    "page",
                    rendered,
                    out,
                    "taxonomy_single.html",
                    &fill,
                    lang,
                    None,
                    None,
                    fp.finish(),
                )
            })
            .collect();
        diags.extend(term_diags);
        diags
    }
}
