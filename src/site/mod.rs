//! Site assembly: renders every page, listing, taxonomy, feed, calendar and the sitemap through the
//! theme, in parallel, into an [`Output`] that is swapped into place only when all succeeded.
//!
//! [`Site`] holds what was loaded and the lookup tables made from it ([`index`]); [`context`]
//! gives every template its variables; [`pages`], [`listings`], [`feeds`], [`impact`] and
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
pub mod views;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rayon::prelude::*;
use tera::Value;

use crate::common::diagnostics::{Diagnostic, Diagnostics, catch_panic};
use crate::config::Config;
use crate::content::{self, Content, LoadOptions};
use crate::markdown::LinkTargets;
use crate::output::{Output, OutputOptions, PageSize};
use crate::templates::Theme;
use index::LangGlobals;
pub(crate) use pages::PageResult;
use pages::check_anchor;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `root/output` when `None`.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// The build's "now" (which workshops are upcoming, feed dates); the clock when `None`.
    pub now: Option<Timestamp>,
    /// Validate and measure only: write nothing.
    pub check_only: bool,
    /// Show a progress bar on an interactive terminal.
    pub progress: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            now: None,
            check_only: false,
            progress: false,
        }
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub html_pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    /// Heaviest pages by gzip size, heaviest first.
    pub heaviest: Vec<PageSize>,
    pub budget: u64,
    pub warnings: Diagnostics,
    /// Compressed files reused from the previous build.
    pub reused: usize,
    pub output: PathBuf,
}

/// A loaded site, ready to render.
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub theme: Theme,
    pub content: Content,
    pub now: Timestamp,
    pub tz: jiff::tz::TimeZone,
    /// The impact analysis, when the site has `data/impact.toml`.
    pub analysis: Option<crate::impact::Analysis>,
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
}

/// Builds the site; on any error the previous output is left as it was.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let (site, mut diags) = Site::load(opts)?;
    let budget = site.config.page_budget_bytes();
    let out_dir = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("output"));
    let output =
        Output::new(&out_dir, site.output_options(opts.check_only)).map_err(Diagnostics::from)?;
    let rendered = catch_panic(&opts.root, "building the site in", || {
        site.render_all(&output, opts.progress)
    });
    diags.extend(rendered.unwrap_or_else(|d| vec![d]));
    diags.sort_and_dedup();
    if diags.has_errors() {
        output.abandon();
        return Err(diags);
    }
    let mut sizes = output.page_sizes();
    sizes.sort_by(|a, b| b.gzip.cmp(&a.gzip).then_with(|| a.path.cmp(&b.path)));
    let report = BuildReport {
        html_pages: sizes.len(),
        files: output.files_written(),
        bytes: output.bytes_written(),
        elapsed: Duration::ZERO,
        heaviest: sizes
            .into_iter()
            .take(site.config.build.report_heaviest)
            .collect(),
        budget,
        warnings: diags,
        reused: output.compressed_reused(),
        output: out_dir,
    };
    output.commit().map_err(Diagnostics::from)?;
    Ok(BuildReport {
        elapsed: started.elapsed(),
        ..report
    })
}

impl Site {
    /// Reads configuration, theme and content; errors stop here before anything renders.
    pub fn load(opts: &BuildOptions) -> Result<(Site, Diagnostics), Diagnostics> {
        let root = opts.root.clone();
        let config = Config::load(&root)?;
        let theme_result = Theme::load(&root, &config);
        let (content, mut diags) = content::load(
            &root,
            &config,
            &LoadOptions {
                drafts: opts.drafts,
            },
        );
        let analysis = match crate::impact::analyse(&root) {
            Ok(a) => a,
            Err(d) => {
                diags.push(d);
                None
            }
        };
        let theme = match theme_result {
            Ok(t) => Some(t),
            Err(ds) => {
                diags.extend(ds);
                None
            }
        };
        if diags.has_errors() {
            diags.sort();
            return Err(diags);
        }
        let theme = theme.expect("no errors means the theme loaded");
        let now = opts.now.unwrap_or_else(Timestamp::now);
        let site = Site::new(root, config, theme, content, analysis, now);
        Ok((site, diags))
    }

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
        };
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
        }
    }

    /// Replaces the theme (a template, string or stylesheet changed).
    pub fn set_theme(&mut self, theme: Theme) {
        self.css = Value::safe_string(&theme.css);
        self.theme = theme;
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

    /// Re-indexes after `content` was changed in place.
    pub fn content_changed(&mut self) {
        self.index();
    }

    /// Renders everything into `out`; returns every diagnostic found on the way. When `out`
    /// tracks units (serve), outputs whose inputs are unchanged since the last build are skipped.
    pub fn render_all(&self, out: &Output, progress: bool) -> Vec<Diagnostic> {
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
        let mut ids: HashMap<&str, &HashSet<String>> = HashMap::new();
        for (i, r) in results.iter().enumerate() {
            diags.extend(r.diags.iter().cloned());
            ids.insert(self.content.pages[i].rel.as_str(), &r.ids);
        }
        let section_results: Vec<(Vec<Diagnostic>, HashSet<String>)> =
            (0..self.content.sections.len())
                .into_par_iter()
                .map(|i| {
                    let path = &self.content.sections[i].source.path;
                    catch_panic(path, "rendering", || self.render_section(i, &results, out))
                        .unwrap_or_else(|d| (vec![d], HashSet::new()))
                })
                .collect();
        for (i, (ds, sids)) in section_results.iter().enumerate() {
            diags.extend(ds.iter().cloned());
            ids.insert(self.content.sections[i].rel.as_str(), sids);
        }
        for (i, r) in results.iter().enumerate() {
            for a in &r.anchor_refs {
                check_anchor(&self.content.pages[i].source, a, &ids, &mut diags);
            }
        }
        diags.extend(self.render_taxonomies(&results, out));
        diags.extend(self.render_feeds(&results, out));
        diags.extend(self.render_special(out));
        diags.extend(self.render_impact(out));
        diags.extend(self.copy_assets(out, &assets));
        let collisions = out.collisions();
        if !collisions.is_empty() {
            // Writing one output over the other's folder fails too; the collision says why.
            diags.retain(|d| !d.message.starts_with("cannot write"));
        }
        diags.extend(collisions.iter().map(|c| self.collision(c)));
        diags
    }
}

/// Parses `--now` values such as `2026-03-01T09:00+08:00` or `2026-03-01`.
pub fn parse_now(text: &str, offset_hours: i8) -> Option<Timestamp> {
    content::fields::parse_date(text, offset_hours)
}
