//! Site assembly: renders every page, listing, taxonomy, feed, calendar and the sitemap through the
//! theme, in parallel, into an [`Output`] that is swapped into place only when all succeeded.

mod feeds;
mod ics;
mod impact;
mod listings;
pub mod views;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::common::diagnostics::{Diagnostic, Diagnostics, Source, catch_panic};
use crate::common::hash::Fingerprint;
use crate::config::Config;
use crate::content::{self, Content, Kind, LoadOptions, Typed};
use crate::markdown::{self, AnchorRef, LinkTargets};
use crate::output::{Fresh, Output, OutputOptions, PageSize, UnitKey};
use crate::templates::{Theme, template_error};
use views::Rendered;

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

#[derive(Serialize, Clone)]
struct NavItem {
    title: String,
    url: String,
}

#[derive(Serialize, Clone)]
struct Alternate {
    lang: String,
    name: String,
    url: String,
    permalink: String,
    /// False when the page has no translation and the link goes to that language's home.
    exists: bool,
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

struct LangGlobals {
    config: Value,
    strings: Value,
    nav: Value,
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

    /// The report's views, downloads and embeds in every language, and their hashes.
    fn make_reports(&mut self) {
        self.reports.clear();
        self.report_hashes.clear();
        let mut embeds = HashMap::new();
        if let Some(a) = &self.analysis {
            for lang in self.config.all_languages() {
                let built = crate::impact::report::build(a, &lang, &self.config.lang_prefix(&lang));
                embeds.insert(lang.clone(), crate::impact::report::embeds(&built.0, &lang));
                let mut fp = Fingerprint::new("report");
                fp.json(&built.0);
                for d in &built.1 {
                    fp.add(&d.path).add(&d.csv);
                }
                self.report_hashes.insert(lang.clone(), fp.finish());
                self.reports.insert(lang, built);
            }
        }
        self.targets.embeds = embeds;
    }

    fn index(&mut self) {
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
        let mut special = vec![("__404".to_string(), "404.html".to_string())];
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
        self.translations = translations;
        // Hashed from their sources: tera's maps do not keep a fixed order.
        let mut global = Fingerprint::new("global");
        global
            .add(self.now)
            .add(&self.theme.css)
            .add(self.theme.strings_hash)
            .add(self.analysis.is_some());
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
            global.add(&lang).json(&site).json(&nav);
            let globals = LangGlobals {
                config: Value::from_serializable(&site),
                strings: self
                    .theme
                    .strings
                    .get(&lang)
                    .cloned()
                    .unwrap_or_else(|| Value::from_serializable(&())),
                nav: Value::from_serializable(&nav),
            };
            self.globals.insert(lang, globals);
        }
        self.global_hash = global.finish();
    }

    /// Fingerprint seed of an output rendered with `template`: what every template sees.
    fn fp(&self, kind: &str, template: &str) -> Fingerprint {
        let mut fp = Fingerprint::new(kind);
        fp.add(self.global_hash)
            .add(template)
            .add(self.theme.hashes.get(template));
        fp
    }

    fn translations_of(&self, key: &str) -> Option<&Vec<(String, String)>> {
        self.translations.get(key)
    }

    /// Top-level sections and pages of a language, by weight.
    fn nav(&self, lang: &str) -> Vec<NavItem> {
        let mut items: Vec<(i64, String, String)> = Vec::new();
        for s in &self.content.sections {
            if s.lang == lang && s.in_menu && !s.dir.is_empty() && !s.dir.contains('/') {
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
        if self.analysis.is_some() {
            let url = format!(
                "{}/{}/",
                self.config.lang_prefix(lang),
                crate::impact::report::folder(lang)
            );
            items.push((5, self.string(lang, "impact_nav"), url));
        }
        items.sort();
        items
            .into_iter()
            .map(|(_, title, url)| NavItem { title, url })
            .collect()
    }

    /// A UI string of the theme.
    pub fn string(&self, lang: &str, key: &str) -> String {
        self.theme
            .strings
            .get(lang)
            .and_then(|v| v.as_map())
            .and_then(|m| {
                m.iter()
                    .find(|(k, _)| k.as_str() == Some(key))
                    .map(|(_, v)| v)
            })
            .and_then(|v| v.as_str())
            .map_or_else(|| key.to_string(), str::to_string)
    }

    /// Context every template gets: site, language, strings, navigation, translations, CSS.
    fn context(&self, lang: &str, url: &str, translation_key: Option<&str>) -> Context {
        let g = &self.globals[lang];
        let mut ctx = Context::new();
        ctx.insert_value("config", g.config.clone());
        ctx.insert_value("t", g.strings.clone());
        ctx.insert_value("nav", g.nav.clone());
        ctx.insert_value("css", self.css.clone());
        ctx.insert("lang", lang);
        ctx.insert("meta_title", "");
        ctx.insert("meta_description", self.config.site_description(lang));
        ctx.insert("current_url", url);
        ctx.insert("permalink", &self.permalink(url));
        let prefix = self.config.lang_prefix(lang);
        ctx.insert("home_url", &format!("{prefix}/"));
        ctx.insert("feed_url", &format!("{prefix}/atom.xml"));
        let found = translation_key.and_then(|k| self.translations.get(k));
        let mut alternates = Vec::new();
        let mut translations = Vec::new();
        for other in self.config.all_languages() {
            let hit = found.and_then(|list| list.iter().find(|(l, _)| *l == other));
            let alt = Alternate {
                name: self.config.language_name(&other).to_string(),
                url: hit.map_or_else(
                    || format!("{}/", self.config.lang_prefix(&other)),
                    |(_, u)| u.clone(),
                ),
                permalink: String::new(),
                exists: hit.is_some(),
                lang: other.clone(),
            };
            let alt = Alternate {
                permalink: self.permalink(&alt.url),
                ..alt
            };
            if alt.exists || other == lang {
                alternates.push(alt.clone());
            }
            if other != lang {
                translations.push(alt);
            }
        }
        if alternates.len() < 2 {
            alternates.clear();
        }
        ctx.insert("translations", &translations);
        ctx.insert("alternates", &alternates);
        ctx
    }

    fn render(&self, template: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.theme
            .tera
            .render(template, ctx)
            .map_err(|e| template_error(&e, &self.theme.files, &self.root))
    }

    fn has_template(&self, name: &str) -> bool {
        self.theme.files.contains_key(name)
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

    /// Templates named in front matter (`template`, `page_template`) that the theme does not
    /// have: an error at the key, listing the templates there are.
    fn check_templates(&self) -> Vec<Diagnostic> {
        let named = self
            .content
            .pages
            .iter()
            .map(|p| (&p.source, "template", &p.meta.template))
            .chain(self.content.sections.iter().flat_map(|s| {
                [
                    (&s.source, "template", &s.meta.template),
                    (&s.source, "page_template", &s.page_template),
                ]
            }));
        let mut diags = Vec::new();
        for (source, key, name) in named {
            let Some(name) = name.as_deref().filter(|n| !self.has_template(n)) else {
                continue;
            };
            let mut known: Vec<&str> = self
                .theme
                .files
                .keys()
                .map(String::as_str)
                .filter(|t| t.ends_with(".html") && !t.starts_with("partials/"))
                .collect();
            known.sort();
            let help = match crate::common::text::closest(name, known.iter().copied()) {
                Some(t) => format!("did you mean `{t}`? Templates: {}", known.join(", ")),
                None => format!("templates of this theme and site: {}", known.join(", ")),
            };
            diags.push(
                Diagnostic::error(format!("unknown template `{}`", name.escape_debug()))
                    .at(source, content::value_span(source, key), "no such template")
                    .help(help),
            );
        }
        diags
    }

    /// Who makes an output unit, for messages: the content file and, when the unit's file is
    /// one of its aliases, where that alias is written.
    fn unit_owner(
        &self,
        key: &UnitKey,
        file: &str,
    ) -> (String, Option<(&Source, std::ops::Range<usize>)>) {
        fn alias_span<'s>(
            source: &'s Source,
            aliases: &[String],
            file: &str,
        ) -> Option<(&'s Source, std::ops::Range<usize>)> {
            aliases
                .iter()
                .find(|a| {
                    let own = Output::file_for_url(a);
                    own == file || own.starts_with(&format!("{file}/"))
                })
                .map(|a| (source, alias_location(source, a)))
        }
        fn section<'s>(
            found: Option<&'s content::Section>,
            what: &str,
            file: &str,
        ) -> (String, Option<(&'s Source, std::ops::Range<usize>)>) {
            match found {
                Some(s) => (
                    format!("the listing of {}", s.source.path.display()),
                    alias_span(&s.source, &s.meta.aliases, file),
                ),
                None => (format!("the listing {what}"), None),
            }
        }
        let sections = &self.content.sections;
        match key {
            UnitKey::Page(rel) => match self.content.pages.iter().find(|p| &p.rel == rel) {
                Some(p) => (
                    p.source.path.display().to_string(),
                    alias_span(&p.source, &p.meta.aliases, file),
                ),
                None => (format!("content/{rel}"), None),
            },
            UnitKey::SectionAliases(rel) => {
                section(sections.iter().find(|s| &s.rel == rel), rel, file)
            }
            UnitKey::Pager(url) | UnitKey::Home(url) | UnitKey::Schedule(url) => {
                section(sections.iter().find(|s| &s.url == url), url, file)
            }
            UnitKey::Taxonomy(url) => (format!("the taxonomy list {url} (berdaya.toml)"), None),
            UnitKey::Impact(_) => ("the impact report (data/impact.toml)".to_string(), None),
            UnitKey::NotFound(_) => ("the page-not-found page".to_string(), None),
            UnitKey::Feed(url) => (format!("the Atom feed {url}"), None),
            UnitKey::Sitemap => ("the sitemap".to_string(), None),
            UnitKey::Robots => ("the generated robots.txt".to_string(), None),
            UnitKey::Asset(to) => match self.content.assets.iter().find(|(_, t)| t == to) {
                Some((from, _)) => (
                    crate::common::text::relative(&self.root, from)
                        .display()
                        .to_string(),
                    None,
                ),
                None => (format!("the static file {to}"), None),
            },
        }
    }

    /// The error for two outputs that would write the same file.
    fn collision(&self, c: &crate::output::Collision) -> Diagnostic {
        let (mut a, mut a_at) = self.unit_owner(&c.first, &c.file);
        let (mut b, mut b_at) = self.unit_owner(&c.second, &c.file);
        // The contributor's file first: that is where the fix usually is.
        if !a.starts_with("content/") && b.starts_with("content/") {
            std::mem::swap(&mut a, &mut b);
            std::mem::swap(&mut a_at, &mut b_at);
        }
        let url = format!("/{}", c.file.strip_suffix("index.html").unwrap_or(&c.file));
        let message = if c.first == c.second {
            format!("{a} makes {url} twice: an alias is the page's own address")
        } else if c.folder {
            format!("{a} and {b} both use {url}, one as a file and one as a folder")
        } else {
            format!("{a} and {b} both make {url}")
        };
        let d = Diagnostic::error(message);
        let d = match a_at.or(b_at) {
            Some((source, span)) => {
                d.at(source, span, "this alias is already an address of the site")
            }
            None => d.in_file(if a.starts_with("content/") { &a } else { &b }),
        };
        d.help("give one of them another `slug`, `path` or alias; an alias must be an old address that no page uses any more")
    }

    /// Files a page writes: its HTML, its calendar (workshops) and its redirects.
    fn page_files(&self, i: usize) -> Vec<String> {
        let page = &self.content.pages[i];
        let mut files = vec![Output::file_for_url(&page.url)];
        if let Typed::Workshop(_) = &page.typed {
            files.push(format!("{}{}.ics", page.url, page.slug)[1..].to_string());
        }
        files.extend(page.meta.aliases.iter().map(|a| Output::file_for_url(a)));
        files
    }

    /// What page `i`'s output is made from, given the links and embeds its last render used.
    fn page_fp(&self, i: usize, last: &PageResult) -> u64 {
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
        fp.finish()
    }

    /// The unit key of a page.
    pub fn page_key(rel: &str) -> UnitKey {
        UnitKey::Page(rel.to_string())
    }

    /// Renders page `i`, unless its inputs are those of the last build.
    fn page_unit(&self, i: usize, out: &Output) -> Arc<PageResult> {
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
        let r = Arc::new(
            catch_panic(&page.source.path, "rendering", || self.render_page(i, out))
                .unwrap_or_else(PageResult::failed),
        );
        if out.tracks_units() {
            out.set_payload(&key, self.page_fp(i, &r), r.clone());
        }
        r
    }

    /// The template front matter names, when the theme has it; else `default`. A missing one
    /// is reported once, at its key, by [`Site::check_templates`].
    fn chosen_template<'a>(&self, named: Option<&'a str>, default: &'a str) -> &'a str {
        named.filter(|t| self.has_template(t)).unwrap_or(default)
    }

    fn page_template(&self, i: usize) -> String {
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

    fn render_page(&self, i: usize, out: &Output) -> PageResult {
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
        let rendered = Rendered {
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
        match self.render(&self.page_template(i), &ctx) {
            Ok(html) => {
                if let Err(d) = out.write_page(&page.url, html, origin) {
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
            ids: md.headings.into_iter().map(|h| h.1).collect(),
            anchor_refs: md.anchor_refs,
            diags,
            links: md.links,
            uses_embeds: md.uses_embeds,
            listing,
        }
    }

    /// Files copied as they are, by output path: content assets, then the theme's `static/`,
    /// then the site's `static/`; a later one with the same path replaces an earlier one.
    /// Also returns the output paths of the static folders' files.
    fn asset_files(&self) -> (Vec<(PathBuf, String)>, Vec<String>) {
        let mut files: BTreeMap<String, PathBuf> = self
            .content
            .assets
            .iter()
            .map(|(from, to)| (to.clone(), from.clone()))
            .collect();
        let mut static_paths = Vec::new();
        for dir in [
            self.root
                .join("themes")
                .join(&self.config.theme)
                .join("static"),
            self.root.join("static"),
        ] {
            for e in walkdir::WalkDir::new(&dir)
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
            {
                let rel = crate::common::text::slash_path(&dir, e.path());
                static_paths.push(format!("/{rel}"));
                files.insert(format!("/{rel}"), e.into_path());
            }
        }
        let files = files.into_iter().map(|(to, from)| (from, to)).collect();
        (files, static_paths)
    }

    fn copy_assets(&self, out: &Output, files: &[(PathBuf, String)]) -> Vec<Diagnostic> {
        files
            .par_iter()
            .filter_map(|(from, to)| {
                let fp = || {
                    let meta = std::fs::metadata(from).ok();
                    let mut fp = Fingerprint::new("asset");
                    fp.add(from)
                        .add(meta.as_ref().map(|m| m.len()))
                        .add(meta.as_ref().and_then(|m| m.modified().ok()));
                    // The change time moves on every write, even when a copy keeps mtime.
                    #[cfg(unix)]
                    if let Some(m) = &meta {
                        use std::os::unix::fs::MetadataExt;
                        fp.add(m.ino()).add(m.ctime()).add(m.ctime_nsec());
                    }
                    fp.finish()
                };
                let file = to.trim_start_matches('/').to_string();
                match out.unit(UnitKey::Asset(to.clone()), fp, vec![file]) {
                    Fresh::Render => out.copy(from, to).err(),
                    Fresh::Keep(_) => None,
                }
            })
            .collect()
    }
}

/// What a page's render left for listings, link checks and the next incremental build.
pub(crate) struct PageResult {
    pub(crate) rendered: Rendered,
    ids: HashSet<String>,
    anchor_refs: Vec<AnchorRef>,
    diags: Vec<Diagnostic>,
    /// `@/` files the page links to, and whether it shows report results: with its own file,
    /// template and translations, what its output depends on.
    links: Vec<String>,
    uses_embeds: bool,
    /// Hash of the page as listings and feeds show it.
    pub(crate) listing: u64,
}

impl PageResult {
    /// The result of a page whose render failed with `d`.
    fn failed(d: Diagnostic) -> PageResult {
        PageResult {
            rendered: Rendered::default(),
            ids: HashSet::new(),
            anchor_refs: Vec::new(),
            diags: vec![d],
            links: Vec::new(),
            uses_embeds: false,
            listing: 0,
        }
    }
}

fn check_anchor(
    source: &crate::common::diagnostics::Source,
    a: &AnchorRef,
    ids: &HashMap<&str, &HashSet<String>>,
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

/// Where alias `url` (normalised, `/a/b/`) is written in a file's front matter: the first
/// occurrence of its text after the `aliases` key.
fn alias_location(source: &Source, url: &str) -> std::ops::Range<usize> {
    let text = &source.text;
    let from = text.find("aliases").unwrap_or(0);
    let needle = url.trim_matches('/');
    text[from..]
        .find(needle)
        .map_or(from..from + 7.min(text.len() - from), |i| {
            from + i..from + i + needle.len()
        })
}

/// A page that sends readers on to `to` (for `aliases`), without JavaScript.
fn redirect_html(to: &str) -> String {
    format!(
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>Pindah ke {to}</title><link rel=\"canonical\" href=\"{to}\"><meta http-equiv=\"refresh\" content=\"0; url={to}\"></head><body><p><a href=\"{to}\">{to}</a></p></body></html>"
    )
}

/// Parses `--now` values such as `2026-03-01T09:00+08:00` or `2026-03-01`.
pub fn parse_now(text: &str, offset_hours: i8) -> Option<Timestamp> {
    content::fields::parse_date(text, offset_hours)
}
