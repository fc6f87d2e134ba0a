//! Site assembly: renders every page, listing, taxonomy, feed, calendar and the sitemap through the
//! theme, in parallel, into an [`Output`] that is swapped into place only when all succeeded.
//!
//! [`Site`] holds what was loaded and the lookup tables made from it ([`index`]); [`context`]
//! gives every template its variables; [`pages`], [`listings`], [`taxonomies`], [`feeds`],
//! [`impact`] and
//! [`assets`] render each kind of output; [`checks`] reports templates the front matter names
//! but the theme lacks, and outputs that collide.

mod assets;
mod checks;
mod context;
mod feeds;
mod ics;
mod impact;
mod index;
mod listings;
mod pages;
mod photos;
mod search;
mod taxonomies;
pub mod views;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;
use tera::Value;

use crate::common::diagnostics::{Diagnostic, catch_panic};
use crate::config::Config;
use crate::content::{Content, LoadOptions, Reach};
use crate::markdown::LinkTargets;
use crate::output::{Output, OutputOptions};
use crate::templates::Theme;
use index::LangGlobals;
pub(crate) use pages::PageResult;
use pages::check_anchor;

/// The heading and footnote ids of each page and section, by its file under `content/`.
type Ids<'a> = foldhash::HashMap<&'a str, &'a HashSet<String>>;
pub use photos::PhotoStats;

/// A loaded site, ready to render.
///
/// Its parts are private: they change only through [`Site::set_theme`],
/// [`Site::set_analysis`], [`Site::replace_content`], [`Site::update_pages`] and
/// [`Site::relink`], which keep the lookup tables in step.
pub struct Site {
    root: PathBuf,
    config: Config,
    theme: Theme,
    content: Content,
    now: Timestamp,
    tz: jiff::tz::TimeZone,
    /// The impact analysis, when the site has `data/impact.toml`.
    analysis: Option<crate::impact::Analysis>,
    /// The report's views and downloads by language, made once.
    reports: HashMap<
        String,
        (
            crate::impact::report::ReportView,
            Vec<crate::impact::report::Download>,
        ),
    >,
    targets: LinkTargets,
    translations: HashMap<String, Vec<(String, String)>>,
    globals: HashMap<String, LangGlobals>,
    css: Value,
    /// Hash of what every template sees (site config, strings, navigation, CSS, now).
    global_hash: u64,
    /// Hash of each language's report, for the pages that show its results.
    report_hashes: BTreeMap<String, u64>,
    /// Errors drawing the report's embeds with the theme.
    report_diags: Vec<Diagnostic>,
    /// Photos already planned, by file stamp.
    photo_memo: crate::photos::PlanMemo,
    /// Photos that could not be read.
    photo_diags: Vec<Diagnostic>,
    /// What the last build did with photos.
    photo_stats: std::sync::Mutex<PhotoStats>,
    /// Hash of every photo's address, key and size: part of what every page is made from.
    photo_hash: u64,
    /// By search unit (index, A–Z pages) of each language: the fingerprint of the last one
    /// made and the files it wrote.
    search_files: std::sync::Mutex<HashMap<crate::output::UnitKey, (u64, Vec<String>)>>,
    /// By language: the index kept between builds of the dev server, with the fingerprint of
    /// what its entries are made with (see [`crate::search::Index`]).
    search_index: std::sync::Mutex<HashMap<String, (u64, crate::search::Index)>>,
    /// By language: the letters and tags the search pages show, with the fingerprint of the
    /// A–Z pages they were counted for (the same inputs: titles and tags).
    search_summary: std::sync::Mutex<HashMap<String, (u64, std::sync::Arc<search::Summary>)>>,
    /// Each taxonomy's terms and their pages, with the fingerprint of the pages' files,
    /// languages, terms and dates they were grouped from.
    taxonomy_jobs: std::sync::Mutex<Option<(u64, Arc<Vec<taxonomies::TaxJob>>)>>,
}

impl Site {
    /// A site from its loaded parts.
    pub fn new(
        root: PathBuf,
        config: Config,
        theme: Theme,
        content: Content,
        analysis: Option<crate::impact::Analysis>,
        now: Timestamp,
    ) -> Site {
        let tz =
            jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(config.timezone.offset_hours));
        let mut site = Site {
            root,
            reports: HashMap::new(),
            targets: LinkTargets {
                embeds: HashMap::new(),
                urls: HashMap::new(),
                sanitize_html: config.markdown.sanitize_html,
                layout_ids: theme.layout_ids.clone(),
                drafts: Default::default(),
                unrendered: Default::default(),
                shortcodes: shortcodes_of(&theme),
                photos: Default::default(),
            },
            translations: HashMap::new(),
            globals: HashMap::new(),
            css: Value::safe_string(&theme.css),
            config,
            theme,
            content,
            now,
            tz,
            analysis,
            global_hash: 0,
            report_hashes: BTreeMap::new(),
            report_diags: Vec::new(),
            photo_memo: Default::default(),
            photo_diags: Vec::new(),
            photo_stats: Default::default(),
            photo_hash: 0,
            search_files: Default::default(),
            search_summary: Default::default(),
            taxonomy_jobs: Default::default(),
            search_index: Default::default(),
        };
        site.make_photos();
        site.make_reports();
        site.index();
        site
    }

    /// How this site's output is written.
    pub fn output_options(&self, dry_run: bool) -> OutputOptions {
        OutputOptions {
            minify: self.config.build.minify,
            precompress: self.config.build.precompress,
            budget: self.config.page_budget_bytes(),
            dry_run,
            brotli_quality: self.config.build.brotli_quality,
            gzip_level: self.config.build.gzip_level,
            path_prefix: self.config.path_prefix(),
            portable: false,
        }
    }

    /// Replaces the theme (a template, string or stylesheet changed).
    pub fn set_theme(&mut self, theme: Theme) {
        self.css = Value::safe_string(&theme.css);
        self.targets.layout_ids = theme.layout_ids.clone();
        self.targets.shortcodes = shortcodes_of(&theme);
        self.theme = theme;
        // The report's words and figures come from the theme.
        self.make_reports();
        self.index();
    }

    /// Replaces the impact analysis (a file in data/ changed).
    pub fn set_analysis(&mut self, analysis: Option<crate::impact::Analysis>) {
        self.analysis = analysis;
        self.make_reports();
        self.index();
    }

    /// Hash of what every template sees; when it changes, every output is rendered again.
    pub fn global_hash(&self) -> u64 {
        self.global_hash
    }

    /// The site's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Replaces all content (a section, an asset or a folder changed).
    pub fn replace_content(&mut self, content: Content) {
        self.content = content;
        // Photos after linking: linking gives a bundle's files their addresses.
        self.content.relink(&self.config);
        self.make_photos();
        self.index();
    }

    /// Plans the photos again (a file in `static/` changed) and the lookup tables with them.
    pub fn refresh_photos(&mut self) {
        self.make_photos();
        self.index();
    }

    /// Re-reads the page files `rels` (paths under `content/`); see
    /// [`Content::update_pages`]. Unless the reach is [`Reach::Body`], call [`Site::relink`]:
    /// a body edit changes no URL, title, date or order, so the lookup tables stay valid.
    pub fn update_pages(
        &mut self,
        root: &std::path::Path,
        opts: &LoadOptions,
        rels: &[String],
    ) -> (Vec<(String, Vec<Diagnostic>)>, Reach) {
        self.content.update_pages(root, &self.config, opts, rels)
    }

    /// Recomputes URLs and the section tree, then the lookup tables.
    pub fn relink(&mut self) {
        self.content.relink(&self.config);
        self.index();
    }

    /// Renders everything into `out`; returns every diagnostic found on the way. When `out`
    /// tracks units (serve), outputs whose inputs are unchanged since the last build are skipped.
    pub fn render_all(&self, out: &Output, progress: bool) -> Vec<Diagnostic> {
        // Tables freed and taken again for every page (compressors, buffers) stay.
        let _keep = crate::common::memory::KeepFreedLonger::new();
        let bar = progress.then(|| {
            let bar = indicatif::ProgressBar::new(self.content.pages.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar.set_message("halaman");
            bar
        });
        let template_diags = self.check_templates();
        // A static file replaces any generated file with its path.
        // Files of the site's and theme's static/ folders replace generated files with their
        // path (a custom robots.txt); a content file that would is an error, like any collision.
        let (assets, static_paths) = self.asset_files();
        out.reserve_static(static_paths);
        out.reserve_copied(assets.iter().map(|(_, to)| to.clone()));
        let results: Vec<Arc<PageResult>> = self
            .content
            .pages
            .par_iter()
            .enumerate()
            .map(|(i, _)| {
                let r = self.page_unit(i, out);
                if let Some(b) = &bar {
                    b.inc(1);
                }
                r
            })
            .collect();
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        let mut diags = template_diags;
        diags.extend(self.report_diags.iter().cloned());
        diags.extend(self.photo_diags.iter().cloned());
        // Heading ids by page file: looked up for every anchor link (hashed with foldhash).
        let mut ids: Ids = Ids::with_capacity_and_hasher(
            self.content.pages.len() + self.content.sections.len(),
            Default::default(),
        );
        for (i, r) in results.iter().enumerate() {
            diags.extend(r.diags.iter().cloned());
            ids.insert(self.content.pages[i].rel.as_str(), &r.ids);
        }
        let section_results: Vec<listings::SectionResult> = (0..self.content.sections.len())
            .into_par_iter()
            .map(|i| {
                let path = &self.content.sections[i].source.path;
                catch_panic(path, "rendering", || self.render_section(i, &results, out))
                    .unwrap_or_else(|d| listings::SectionResult {
                        diags: vec![d],
                        ids: HashSet::new(),
                        local_links: Vec::new(),
                        anchor_refs: Vec::new(),
                        photos: Vec::new(),
                    })
            })
            .collect();
        for (i, r) in section_results.iter().enumerate() {
            diags.extend(r.diags.iter().cloned());
            ids.insert(self.content.sections[i].rel.as_str(), &r.ids);
        }
        for (i, r) in results.iter().enumerate() {
            for a in &r.anchor_refs {
                check_anchor(&self.content.pages[i].source, a, &ids, &mut diags);
            }
        }
        for (i, r) in section_results.iter().enumerate() {
            for a in &r.anchor_refs {
                check_anchor(&self.content.sections[i].source, a, &ids, &mut diags);
            }
        }
        // Links by address, of pages and sections alike.
        let local_links: Vec<(
            &crate::common::diagnostics::Source,
            &[crate::markdown::LocalLink],
        )> = results
            .iter()
            .enumerate()
            .map(|(i, r)| (&self.content.pages[i].source, r.local_links.as_slice()))
            .chain(
                section_results
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (&self.content.sections[i].source, r.local_links.as_slice())),
            )
            .collect();
        // Photos: every width of those a page or section shows; then each page's first screen.
        let shown: HashSet<&str> = results
            .iter()
            .flat_map(|r| r.photos.iter())
            .chain(section_results.iter().flat_map(|r| r.photos.iter()))
            .map(String::as_str)
            .collect();
        let (photo_sizes, photo_diags) = self.write_photos(&shown, out);
        diags.extend(photo_diags);
        let eager: Vec<(usize, &str)> = results
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((i, r.eager_photo.as_deref()?)))
            .collect();
        diags.extend(self.check_first_screens(&eager, &photo_sizes, out));
        // The search index is built mostly on one thread: beside the listings, which fill both.
        let (search_diags, listing_diags) = rayon::join(
            || self.render_search(&results, out),
            || {
                let mut d = self.render_taxonomies(&results, out);
                d.extend(self.render_feeds(&results, out));
                d
            },
        );
        diags.extend(search_diags);
        diags.extend(listing_diags);
        diags.extend(self.render_special(out));
        diags.extend(self.render_impact(out));
        diags.extend(self.copy_assets(out, &assets));
        diags.extend(self.check_local_links(&local_links, &ids, out));
        let collisions = out.collisions();
        if !collisions.is_empty() {
            // Writing one output over the other's folder fails too; the collision says why.
            diags.retain(|d| !d.message.starts_with("cannot write"));
        }
        diags.extend(collisions.iter().map(|c| self.collision(c)));
        diags
    }
}

impl Site {
    /// Draws the whole site, writing nothing, for the problems only drawing finds (unknown
    /// shortcodes, broken links), when loading already found errors: a run reports both. With
    /// `content_failed` (a content file did not load, and may be a link's target) broken-link
    /// errors are left for the next run.
    pub fn draw_for_problems(&self, content_failed: bool) -> Vec<Diagnostic> {
        let Ok(out) = Output::new(&self.root.join("output"), self.output_options(true)) else {
            return Vec::new();
        };
        let drawn = crate::common::diagnostics::catch_panic(&self.root, "checking", || {
            self.render_all(&out, false)
        })
        .unwrap_or_default();
        out.abandon();
        drawn
            .into_iter()
            .filter(|d| !(content_failed && d.message.starts_with("broken")))
            .collect()
    }
}

/// The theme's and site's shortcode templates (`shortcodes/NAME.html`), when there are any.
fn shortcodes_of(theme: &Theme) -> Option<crate::markdown::Shortcodes> {
    let names: Vec<String> = theme
        .files
        .keys()
        .filter_map(|t| t.strip_prefix("shortcodes/")?.strip_suffix(".html"))
        .map(str::to_string)
        .collect();
    let strings = theme.strings.clone();
    (!names.is_empty()).then(|| crate::markdown::Shortcodes {
        tera: std::sync::Arc::new(theme.tera.clone()),
        names,
        words: Some(std::sync::Arc::new(move |lang: &str| {
            strings.get(lang).cloned().unwrap_or(tera::Value::none())
        })),
    })
}
