//! Incremental builds: after files change, reload only what they affect (one page, the theme,
//! the survey data) and render only outputs whose inputs changed. The result is the same, byte
//! for byte, as a full build of the same files.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::{BuildOptions, Parts};
use crate::common::diagnostics::{Diagnostic, Diagnostics, catch_panic};
use crate::content::{self, LoadOptions, Reach};
use crate::output::{Compression, Memo, Output, UnitKey};
use crate::site::Site;
use crate::templates::Theme;

/// What a changed path means for the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    /// `berdaya.toml`: everything is reloaded and rendered.
    Config,
    /// A template, the UI strings or the stylesheet.
    Theme,
    /// A file served as is (theme or site `static/`).
    Static,
    /// A file under `data/`: the impact analysis runs again.
    Data,
    /// A page's markdown file (path under `content/`), changed, added or removed.
    Page(String),
    /// Anything else under `content/` (a section, an image, a folder): content is reloaded.
    Content,
}

/// What `path` (absolute or relative to `root`) means; `None` for files the site does not use,
/// such as editors' swap and backup files.
pub fn classify(root: &Path, theme: &str, path: &Path) -> Option<FileChange> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let name = rel.file_name()?.to_string_lossy();
    if crate::common::text::is_editor_temp(&name) || name.ends_with(".berdaya-new") {
        return None;
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    // Hidden folders (.git, an editor's .trash) are not part of the site.
    if parts.iter().any(|p| p.starts_with('.')) {
        return None;
    }
    let first = parts.first()?.as_str();
    match first {
        "berdaya.toml" if parts.len() == 1 => Some(FileChange::Config),
        "content" => {
            let rel = parts[1..].join("/");
            if rel.ends_with(".md") && !name.starts_with("_index.") {
                Some(FileChange::Page(rel))
            } else {
                Some(FileChange::Content)
            }
        }
        "data" => Some(FileChange::Data),
        "static" => Some(FileChange::Static),
        "templates" => Some(FileChange::Theme),
        "themes" if parts.get(1).map(String::as_str) == Some(theme) => {
            if parts.get(2).map(String::as_str) == Some("static") {
                Some(FileChange::Static)
            } else {
                Some(FileChange::Theme)
            }
        }
        _ => None,
    }
}

/// The outcome of one rebuild.
#[derive(Debug)]
pub struct Round {
    /// Output files written or removed (paths in the output folder), sorted.
    pub changed: Vec<String>,
    /// Errors (then nothing was written) and warnings.
    pub diags: Diagnostics,
    /// Wall time of the rebuild, from the call to the result.
    pub elapsed: Duration,
}

impl Round {
    /// True when the rebuild had no errors (warnings allowed).
    pub fn ok(&self) -> bool {
        !self.diags.has_errors()
    }

    /// Site URLs of the changed files: `tips/x/index.html` → `/tips/x/`.
    pub fn changed_urls(&self) -> Vec<String> {
        self.changed
            .iter()
            .filter(|f| !f.ends_with(".gz") && !f.ends_with(".br"))
            .map(|f| format!("/{}", f.strip_suffix("index.html").unwrap_or(f)))
            .collect()
    }
}

/// A thread writing compressed files, and the flag that stops it.
type CompressingJob = (
    std::sync::Arc<std::sync::atomic::AtomicBool>,
    std::thread::JoinHandle<(Compression, Vec<Diagnostic>)>,
);

/// A site kept in memory between builds, for `serve`.
pub struct Session {
    opts: BuildOptions,
    out_dir: PathBuf,
    now: Timestamp,
    site: Option<Site>,
    /// Units of the last successful build; `None` until one succeeded.
    memo: Option<Memo>,
    /// Render every output in the next build (berdaya.toml changed).
    force: bool,
    /// Page unit keys changed since the last good build, when nothing else changed: the other
    /// pages are kept without fingerprinting. `None`: anything may have changed.
    pending: Option<HashSet<UnitKey>>,
    config_diags: Vec<Diagnostic>,
    theme_diags: Vec<Diagnostic>,
    data_diags: Vec<Diagnostic>,
    content_diags: Vec<Diagnostic>,
    /// The last round's `.gz`/`.br` files, written on a thread of their own after the round
    /// returned (so the change is shown first), and the flag that stops it: the next round
    /// stops it and writes what it did not reach with its own.
    compressing: Option<CompressingJob>,
    /// Compressed files a stopped thread did not reach.
    unreached: Compression,
    /// Errors writing compressed files, reported with the next round.
    compression_diags: Vec<Diagnostic>,
}

impl Drop for Session {
    /// Writes the compressed files still waiting, so the output folder a stopped `serve` leaves
    /// is complete; errors are printed, as no round is left to report them.
    fn drop(&mut self) {
        self.settle();
        for d in self.compression_diags.drain(..) {
            eprintln!("{d}");
        }
    }
}

impl Session {
    /// Waits until the last round's compressed files are written: the output folder is then
    /// exactly what `build` makes. Tests and tools that read the output right after a round
    /// call it.
    pub fn settle(&mut self) {
        self.finish_compressing(false);
        let left = std::mem::take(&mut self.unreached);
        if !left.is_empty() {
            let (_, diags) = left.write(&std::sync::atomic::AtomicBool::new(false));
            self.compression_diags.extend(diags);
        }
    }

    /// Ends the compressing thread, stopping it first with `stop`; what it did not reach is
    /// kept for the next round. A thread that panicked leaves its files unknown: the next round
    /// then renders everything, and an in-place commit compresses any file it stages that lacks
    /// its compressed copies.
    fn finish_compressing(&mut self, stop: bool) {
        if let Some((flag, job)) = self.compressing.take() {
            flag.store(stop, std::sync::atomic::Ordering::Relaxed);
            match job.join() {
                Ok((left, diags)) => {
                    if self.unreached.is_empty() {
                        self.unreached = left;
                    } else {
                        self.unreached.carry(left);
                    }
                    self.compression_diags.extend(diags);
                }
                Err(_) => {
                    self.force = true;
                    self.pending = None;
                    self.compression_diags.push(Diagnostic::warning(
                        "berdaya failed while compressing changed files; they are compressed again with the next change",
                    ));
                }
            }
        }
    }

    /// Compresses, on a thread of its own, the files waiting since a round that did not commit.
    fn resume_compressing(&mut self) {
        if self.compressing.is_none() && !self.unreached.is_empty() {
            let waiting = std::mem::take(&mut self.unreached);
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let flag = stop.clone();
            self.compressing = Some((stop, std::thread::spawn(move || waiting.write(&flag))));
        }
    }

    /// A session; nothing is read until the first [`Session::rebuild`].
    pub fn new(opts: BuildOptions) -> Session {
        let out_dir = opts
            .output
            .clone()
            .unwrap_or_else(|| opts.root.join("output"));
        Session {
            now: opts.now.unwrap_or_else(Timestamp::now),
            opts,
            out_dir,
            site: None,
            memo: None,
            force: true,
            pending: None,
            config_diags: Vec::new(),
            theme_diags: Vec::new(),
            data_diags: Vec::new(),
            content_diags: Vec::new(),
            compressing: None,
            unreached: Compression::default(),
            compression_diags: Vec::new(),
        }
    }

    /// The path the site is served under (`/berdaya`), from the loaded site's `base_url`; empty
    /// at a host's root or before a site has loaded.
    pub fn path_prefix(&self) -> String {
        self.site
            .as_ref()
            .map(|s| s.config().path_prefix())
            .unwrap_or_default()
    }

    /// The output folder the session builds into: `--output`, or `output` in the site folder.
    pub fn output_dir(&self) -> &Path {
        &self.out_dir
    }

    /// The site's folder, holding `berdaya.toml`.
    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    /// The theme folder's name (for classifying changes), once the site loaded.
    pub fn theme_name(&self) -> Option<&str> {
        self.site.as_ref().map(|s| s.config().theme.as_str())
    }

    /// Builds everything (the first build, or after berdaya.toml changed).
    pub fn full(&mut self) -> Round {
        self.site = None;
        self.rebuild(&[])
    }

    /// Rebuilds after `paths` changed (absolute, or relative to the site folder).
    pub fn rebuild(&mut self, paths: &[PathBuf]) -> Round {
        let round = self.round(paths);
        // A round that did not commit leaves the last one's waiting files: compress them now.
        self.resume_compressing();
        round
    }

    fn round(&mut self, paths: &[PathBuf]) -> Round {
        let started = Instant::now();
        // A round started while the last one's files are being compressed stops that, and
        // compresses what it did not reach with its own files.
        self.finish_compressing(true);
        let theme = self.theme_name().unwrap_or("default").to_string();
        let changes: Vec<FileChange> = paths
            .iter()
            .filter_map(|p| classify(&self.opts.root, &theme, p))
            .collect();
        if changes.contains(&FileChange::Config) {
            // Output settings (precompression, levels) may have changed: build afresh and swap
            // the folder, as `build` does.
            self.memo = None;
            // The full build links only compressed files made at its settings (the output
            // folder's record, see `Output::reusing_compressed`) and makes the rest.
            self.unreached = Compression::default();
        }
        let dirty = if self.site.is_none() || changes.contains(&FileChange::Config) {
            self.reload_all();
            None
        } else {
            self.apply(&changes)
        };
        // Pages changed since the last good build: a failed build's edits are still unwritten.
        match (dirty, &mut self.pending) {
            (Some(keys), Some(pending)) => pending.extend(keys),
            _ => self.pending = None,
        }
        let mut diags = Diagnostics::default();
        diags.extend(std::mem::take(&mut self.compression_diags));
        for bucket in [
            &self.config_diags,
            &self.theme_diags,
            &self.data_diags,
            &self.content_diags,
        ] {
            diags.extend(bucket.iter().cloned());
        }
        let round = |changed, mut diags: Diagnostics| {
            diags.sort_and_dedup();
            Round {
                changed,
                diags,
                elapsed: started.elapsed(),
            }
        };
        if diags.has_errors() {
            // Problems only drawing finds are shown with the others, as `build` does.
            if let Some(site) = &self.site {
                let content_failed = self.content_diags.iter().any(|d| d.is_error());
                diags.extend(site.draw_for_problems(content_failed));
            }
            return round(Vec::new(), diags);
        }
        let Some(site) = self.site.as_ref() else {
            return round(Vec::new(), diags);
        };
        let opts = site.output_options(false);
        match self.memo.take() {
            // The first build replaces output/ as `build` does.
            None => {
                let checked = crate::output::prepare_output_folder(&self.opts.root, &self.out_dir);
                let out = match checked.and_then(|()| Output::new(&self.out_dir, opts)) {
                    // Rounds change the folder in place later: no record is left.
                    Ok(o) => o.reusing_compressed(&site.cache_dir(), false).with_memo(),
                    Err(d) => {
                        diags.push(d);
                        return round(Vec::new(), diags);
                    }
                };
                diags.extend(
                    catch_panic(&self.opts.root, "building the site in", || {
                        site.render_all(&out, false)
                    })
                    .unwrap_or_else(|d| vec![d]),
                );
                if diags.has_errors() {
                    out.abandon();
                    return round(Vec::new(), diags);
                }
                let memo = out.take_memo().unwrap_or_default();
                let files: Vec<String> = memo.files().into_iter().map(str::to_string).collect();
                if let Err(d) = out.commit() {
                    diags.push(d);
                    return round(Vec::new(), diags);
                }
                self.memo = Some(memo);
                self.force = false;
                self.pending = Some(HashSet::new());
                round(files, diags)
            }
            Some(prev) => {
                let mut out = Output::in_place(&self.out_dir, opts, prev, self.force);
                if let Some(keys) = &self.pending {
                    out = out.with_dirty_pages(keys.clone());
                }
                diags.extend(
                    catch_panic(&self.opts.root, "building the site in", || {
                        site.render_all(&out, false)
                    })
                    .unwrap_or_else(|d| vec![d]),
                );
                if diags.has_errors() {
                    self.memo = Some(out.into_previous());
                    return round(Vec::new(), diags);
                }
                let committed = out.commit_in_place();
                match committed {
                    Ok((changed, memo, mut compression)) => {
                        if !changed.is_empty() {
                            // A `build` run beside the server may have left a record of the
                            // folder this round just changed.
                            Output::forget_compressed(&site.cache_dir(), &self.out_dir);
                        }
                        compression.carry(std::mem::take(&mut self.unreached));
                        if !compression.is_empty() {
                            let stop =
                                std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
                            let flag = stop.clone();
                            self.compressing =
                                Some((stop, std::thread::spawn(move || compression.write(&flag))));
                        }
                        self.memo = Some(memo);
                        self.force = false;
                        self.pending = Some(HashSet::new());
                        round(changed, diags)
                    }
                    Err(d) => {
                        // Some files may be written and the units are lost: render everything
                        // next time, and stale files stay until then.
                        self.memo = Some(Memo::default());
                        self.force = true;
                        self.pending = None;
                        diags.push(d);
                        round(Vec::new(), diags)
                    }
                }
            }
        }
    }

    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            drafts: self.opts.drafts,
        }
    }

    /// Reads berdaya.toml, the theme, content and data again.
    fn reload_all(&mut self) {
        self.force = true;
        self.theme_diags.clear();
        self.data_diags.clear();
        self.content_diags.clear();
        let parts = match Parts::load(&self.opts) {
            Ok(p) => {
                self.config_diags.clear();
                p
            }
            Err(d) => {
                self.config_diags = d.0;
                self.site = None;
                return;
            }
        };
        if let Err(ds) = &parts.theme {
            self.theme_diags = ds.clone();
        }
        self.data_diags = match &parts.analysis {
            Err(ds) => ds.0.clone(),
            Ok(a) => a
                .as_ref()
                .map_or_else(Vec::new, |a| a.config.warnings.clone()),
        };
        self.content_diags = parts.content_diags.0.clone();
        self.site = parts.into_site(&self.opts, self.now);
    }

    /// Applies changes to the loaded site. Returns the changed pages' unit keys when nothing but
    /// those pages' own files changed (no URL, title, date, theme, data or config change).
    fn apply(&mut self, changes: &[FileChange]) -> Option<HashSet<UnitKey>> {
        let root = self.opts.root.clone();
        let load_opts = self.load_options();
        let site = self.site.as_mut()?;
        let only_pages = changes.iter().all(|c| matches!(c, FileChange::Page(_)));
        if changes.contains(&FileChange::Theme) {
            match Theme::load(&root, site.config()) {
                Ok(theme) => {
                    self.theme_diags.clear();
                    site.set_theme(theme);
                }
                Err(ds) => self.theme_diags = ds,
            }
        }
        if changes.contains(&FileChange::Static) {
            // A photo in static/ is published processed, never copied with its camera data.
            site.refresh_photos();
        }
        if changes.contains(&FileChange::Data) {
            match crate::impact::analyse(&root) {
                Ok(a) => {
                    self.data_diags = a
                        .as_ref()
                        .map_or_else(Vec::new, |a| a.config.warnings.clone());
                    site.set_analysis(a);
                }
                Err(ds) => self.data_diags = ds.0,
            }
        }
        let pages: Vec<String> = changes
            .iter()
            .filter_map(|c| match c {
                FileChange::Page(rel) => Some(rel.clone()),
                _ => None,
            })
            .collect();
        if changes.contains(&FileChange::Content) {
            let (content, ds) = content::load_files(&root, site.config(), &load_opts);
            self.content_diags = ds.0;
            site.replace_content(content);
            return None;
        }
        if pages.is_empty() {
            return None;
        }
        let (updated, reach) = site.update_pages(&root, &load_opts, &pages);
        for (rel, ds) in updated {
            let path = Path::new("content").join(&rel);
            self.content_diags
                .retain(|d| d.path.as_deref() != Some(path.as_path()));
            self.content_diags.extend(ds);
        }
        let dirty = || only_pages.then(|| pages.iter().map(|r| Site::page_key(r)).collect());
        match reach {
            Reach::Body => dirty(),
            Reach::Order => {
                // URLs stay; unless the menu changed, other pages' inputs are the same.
                let before = site.global_hash();
                site.relink();
                (site.global_hash() == before).then(dirty).flatten()
            }
            Reach::Structure => {
                site.relink();
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_what_they_change() {
        let root = Path::new("/site");
        let c = |p: &str| classify(root, "default", &root.join(p));
        assert_eq!(c("berdaya.toml"), Some(FileChange::Config));
        assert_eq!(
            c("content/tips/a.md"),
            Some(FileChange::Page("tips/a.md".into()))
        );
        assert_eq!(
            c("content/tips/a.en.md"),
            Some(FileChange::Page("tips/a.en.md".into()))
        );
        assert_eq!(c("content/tips/_index.md"), Some(FileChange::Content));
        assert_eq!(c("content/tips/foto.png"), Some(FileChange::Content));
        assert_eq!(c("content/tips"), Some(FileChange::Content));
        assert_eq!(
            c("themes/default/templates/page.html"),
            Some(FileChange::Theme)
        );
        assert_eq!(c("themes/default/i18n.toml"), Some(FileChange::Theme));
        assert_eq!(
            c("themes/default/static/logo.svg"),
            Some(FileChange::Static)
        );
        assert_eq!(c("templates/page.html"), Some(FileChange::Theme));
        assert_eq!(c("static/robots.txt"), Some(FileChange::Static));
        assert_eq!(c("data/survei.csv"), Some(FileChange::Data));
        for ignored in [
            "themes/other/templates/page.html",
            "content/tips/.a.md.swp",
            "content/tips/a.md~",
            "content/tips/4913",
            "content/tips/.#a.md",
            "output/index.html",
            "target/debug/x",
            "content/tips/a.md.berdaya-new",
        ] {
            assert_eq!(c(ignored), None, "{ignored}");
        }
    }
}
