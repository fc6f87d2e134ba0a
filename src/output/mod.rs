//! Writing the built site: minified HTML, the per-page gzip budget, `.gz`/`.br` beside every text
//! file, and the atomic swap that leaves the previous `output/` untouched when a build fails.
//!
//! [`encode`] minifies and compresses, [`memo`] remembers the units of the last build (what
//! `serve` need not render again) and finds outputs that collide, [`commit`] puts a finished
//! build in place. Every path is checked by [`crate::common::urlpath`] before it is written.

mod commit;
pub mod encode;
pub mod memo;
mod record;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::common::diagnostics::Diagnostic;
pub use commit::Compression;
use encode::{
    CopiedSiblings, brotli, compressible, gzip, gzip_bound, link_or_copy, minify_cfg, sibling,
    write_new,
};
use memo::{Claims, MemoState};
pub use memo::{Collision, Fresh, Memo, Payload, Unit, UnitKey};

/// Size of one written HTML page.
#[derive(Debug, Clone)]
pub struct PageSize {
    /// Path of the file under the output folder, e.g. `tips/index.html`.
    pub path: String,
    /// Size as written (minified when `minify` is on), in bytes.
    pub raw: u64,
    /// Size after gzip compression, in bytes: what the budget measures (at the configured level
    /// with precompression, else at level 1).
    pub gzip: u64,
}

/// How a build writes its output: minifying, compression and the page budget.
#[derive(Debug, Clone)]
pub struct OutputOptions {
    /// Minify HTML pages before measuring and writing them.
    pub minify: bool,
    /// Write `.gz` and `.br` beside every text file.
    pub precompress: bool,
    /// Largest gzip size of one HTML page in bytes.
    pub budget: u64,
    /// Only measure (for `check`): write nothing.
    pub dry_run: bool,
    /// Brotli quality (0–11) of the `.br` files.
    pub brotli_quality: u32,
    /// Gzip level (1–9) of the `.gz` files, which the budget measures; without precompression
    /// pages are measured at level 1, the largest output a server compressing on the fly sends.
    pub gzip_level: u32,
    /// The path the site is served under (`/berdaya` for `base_url =
    /// "https://example.org/berdaya"`), put before every site-absolute address in pages; empty
    /// at a host's root.
    pub path_prefix: String,
    /// Write a portable copy (`build --portable`): every site-absolute address in pages becomes
    /// relative to the page and names the `index.html` of a folder, so the folder opens from a
    /// memory card or a phone's file manager without a server.
    pub portable: bool,
}

/// A `srcset` value with `f` applied to each site-absolute address (`/x.webp 360w, ...`);
/// other candidates, and the widths, as written.
fn map_srcset(value: &str, f: impl Fn(&str) -> String) -> String {
    value
        .split(',')
        .map(|c| {
            let t = c.trim_start();
            if t.starts_with('/') && !t.starts_with("//") {
                let (addr, width) = t.split_once(' ').unwrap_or((t, ""));
                let sep = if width.is_empty() { "" } else { " " };
                format!("{}{}{sep}{width}", &c[..c.len() - t.len()], f(addr))
            } else {
                c.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `html` of the page at output file `file` (`tips/x/index.html`) with every site-absolute
/// address (in `href`, `src`, `srcset`, `action`, `poster` and a refresh's `url=`) made
/// relative to the page, a folder's address ending in `index.html`: `/tips/y/#z` seen from
/// `tips/x/index.html` is `../y/index.html#z`. Protocol-relative and other addresses are left
/// alone.
pub fn portable_links(html: &str, file: &str) -> String {
    let depth = file.matches('/').count();
    let up = "../".repeat(depth);
    let here_dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    let rel = |addr: &str| -> String {
        let cut = addr.find(['#', '?']).unwrap_or(addr.len());
        let (path, tail) = addr.split_at(cut);
        let mut path = path.trim_start_matches('/').to_string();
        if path.is_empty() || path.ends_with('/') {
            path.push_str("index.html");
        }
        // Within the page's own folder, no climbing: `foto.jpg`, `2/index.html`.
        let relative = if !here_dir.is_empty() && path.starts_with(&format!("{here_dir}/")) {
            path[here_dir.len() + 1..].to_string()
        } else {
            format!("{up}{path}")
        };
        format!("{relative}{tail}")
    };
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html;
    const STARTS: [&str; 13] = [
        " href=\"",
        " src=\"",
        " action=\"",
        " poster=\"",
        " href='",
        " src='",
        " action='",
        " poster='",
        " href=",
        " src=",
        " action=",
        " poster=",
        "; url=",
    ];
    const SRCSET: &str = " srcset=\"";
    loop {
        // The first occurrence of each attribute whose value is a site-absolute address.
        let next = STARTS
            .iter()
            .filter_map(|s| {
                rest.match_indices(s)
                    .map(|(i, _)| i)
                    .find(|i| rest[i + s.len()..].starts_with('/'))
                    .map(|i| (i, s.len()))
            })
            .min_by_key(|(i, len)| (*i, std::cmp::Reverse(*len)));
        let srcset = rest
            .find(SRCSET)
            .filter(|i| next.is_none_or(|(n, _)| *i < n));
        if let Some(i) = srcset {
            let start = i + SRCSET.len();
            let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
            out.push_str(&rest[..start]);
            out.push_str(&map_srcset(&rest[start..end], |addr| rel(addr)));
            rest = &rest[end..];
            continue;
        }
        let Some((i, len)) = next else {
            out.push_str(rest);
            return out;
        };
        let start = i + len;
        out.push_str(&rest[..start]);
        if rest[start..].starts_with("//") {
            rest = &rest[start..];
            continue;
        }
        // The address ends at its closing quote, or (unquoted) at white space or `>`.
        let quote = rest[..start]
            .chars()
            .last()
            .filter(|c| *c == '"' || *c == '\'');
        let end = match quote {
            Some(q) => rest[start..].find(q).map_or(rest.len(), |e| start + e),
            None => rest[start..]
                .find(|c: char| c.is_whitespace() || c == '>' || c == '"')
                .map_or(rest.len(), |e| start + e),
        };
        out.push_str(&rel(&rest[start..end]));
        rest = &rest[end..];
    }
}

/// `html` with `prefix` before every site-absolute address (`href="/x/"` → `href="/p/x/"`) in
/// `href`, `src`, `action` and `poster` attributes and in a refresh's `url=`; protocol-relative
/// (`//host`) and other addresses are left alone.
pub fn with_path_prefix<'h>(html: &'h str, prefix: &str) -> std::borrow::Cow<'h, str> {
    if prefix.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    const STARTS: [&str; 9] = [
        " href=\"/",
        " src=\"/",
        " action=\"/",
        " poster=\"/",
        " href='/",
        " src='/",
        " action='/",
        " poster='/",
        "; url=/",
    ];
    const SRCSET: &str = " srcset=\"";
    loop {
        let next = STARTS
            .iter()
            .filter_map(|s| rest.find(s).map(|i| (i, s.len())))
            .min();
        // `srcset` lists addresses, each followed by its width.
        if let Some(i) = rest
            .find(SRCSET)
            .filter(|i| next.is_none_or(|(n, _)| *i < n))
        {
            let start = i + SRCSET.len();
            let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
            out.push_str(&rest[..start]);
            out.push_str(&map_srcset(&rest[start..end], |addr| {
                format!("{prefix}{addr}")
            }));
            rest = &rest[end..];
            continue;
        }
        let Some((i, len)) = next else {
            out.push_str(rest);
            return std::borrow::Cow::Owned(out);
        };
        // Up to the `/` that starts the address.
        let slash = i + len - 1;
        out.push_str(&rest[..slash]);
        if !rest[slash..].starts_with("//") {
            out.push_str(prefix);
        }
        out.push('/');
        rest = &rest[slash + 1..];
    }
}

/// What [`Output::write_with`] does about a file's compressed copies.
enum Siblings {
    /// Make them (or link the last build's), with the gzip when already made.
    Make(Option<Vec<u8>>),
    /// They were linked from the last build already.
    Linked,
}

/// A file of an in-place build: path, bytes, and its gzip when already made.
type Staged = (String, Vec<u8>, Option<Vec<u8>>);

/// A build's output folder: written in a temporary place until [`Output::commit`], or, for
/// `serve`'s incremental builds, kept in memory until [`Output::commit_in_place`].
pub struct Output {
    /// The output folder the finished build ends up in.
    pub final_dir: PathBuf,
    /// Where files are written now: the staging folder beside `final_dir`, or `final_dir`
    /// itself for an incremental build.
    pub dir: PathBuf,
    mode: Mode,
    opts: OutputOptions,
    pages: Mutex<Vec<PageSize>>,
    files: AtomicUsize,
    bytes: AtomicU64,
    reused: AtomicUsize,
    memo: Option<MemoState>,
    /// Hashed with foldhash, as are the path sets below: looked up for every page of a round.
    dirty_pages: Option<foldhash::HashSet<UnitKey>>,
    /// Paths that static files provide: generated files with these paths are not written.
    static_paths: std::sync::OnceLock<foldhash::HashSet<String>>,
    /// Compressed-copy paths that copied files provide (see [`Output::reserve_copied`]).
    copied_siblings: std::sync::OnceLock<CopiedSiblings>,
    /// The unit that makes each file (and each folder that holds files), and files two units
    /// both make.
    claims: Mutex<Claims>,
    collisions: Mutex<Vec<Collision>>,
    /// Set once the build is in place; until then, dropping the output removes the staging
    /// folder (a failed or panicking build leaves nothing behind).
    committed: bool,
    /// Where the record of how this build's compressed files were made is written (or, with
    /// `write_record` false, removed) on commit.
    record_file: Option<PathBuf>,
    write_record: bool,
    /// The staging folder, open and locked while this build uses it (see [`Output::new`]).
    lock: Option<std::fs::File>,
}

/// The output folder as the last build left it, whose compressed files a full build links for
/// files whose bytes did not change.
struct Previous {
    dir: PathBuf,
    /// Compressed-copy paths that copied files provided in that build (not berdaya's own).
    copied_siblings: CopiedSiblings,
}

/// How a build reaches the output folder.
enum Mode {
    /// Files are written into a staging folder beside the output and swapped in by
    /// [`Output::commit`]; `previous` is the output folder as it was, whose compressed files
    /// are reused when a file did not change (see [`Output::reusing_compressed`]).
    Swap { previous: Option<Previous> },
    /// Files are kept in memory and [`Output::commit_in_place`] writes those that changed into
    /// the output folder itself (serve's incremental builds).
    InPlace { staged: Mutex<Vec<Staged>> },
}

impl Output {
    fn with_mode(final_dir: PathBuf, dir: PathBuf, mode: Mode, opts: OutputOptions) -> Output {
        Output {
            final_dir,
            dir,
            mode,
            opts,
            pages: Mutex::new(Vec::new()),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            reused: AtomicUsize::new(0),
            memo: None,
            dirty_pages: None,
            static_paths: std::sync::OnceLock::new(),
            copied_siblings: std::sync::OnceLock::new(),
            claims: Mutex::new(Claims::default()),
            collisions: Mutex::new(Vec::new()),
            committed: false,
            record_file: None,
            write_record: false,
            lock: None,
        }
    }

    /// True for serve's incremental builds, which keep files in memory until committed.
    fn in_memory(&self) -> bool {
        matches!(self.mode, Mode::InPlace { .. })
    }

    /// Prepares a temporary folder beside `final_dir`, and removes the ones interrupted builds
    /// left there. A build holds an advisory lock on its folder (released by the system when
    /// the process ends; where folders cannot be locked, as on Windows, there is none), so a
    /// build running at the same time into the same folder keeps its own. Errors: the folder
    /// cannot be created, or other builds removed it 1,000 times before it was locked.
    pub fn new(final_dir: &Path, opts: OutputOptions) -> Result<Output, Diagnostic> {
        // Where the folder really is: a link to a folder is built through (the link stays),
        // and `out/.` or `site/output/..` name the folder they mean.
        let final_dir = resolved(final_dir);
        let parent = parent_of(&final_dir);
        let name = final_dir
            .file_name()
            .map_or("output".into(), |n| n.to_string_lossy().into_owned());
        // The process and a time stamp: processes in two containers sharing the folder may
        // have one process number.
        let named = || {
            let stamp = format!(
                "{}-{:x}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos())
            );
            parent.join(format!(".{name}.berdaya-tmp-{stamp}"))
        };
        let mut dir = named();
        let mut lock = None;
        if !opts.dry_run {
            // Only folders named as this build names them: a name that is not UTF-8 (shown
            // with replacement characters) could name another folder's leftovers.
            if final_dir.file_name().is_some_and(|n| n.to_str().is_some()) {
                remove_leftovers(parent, &name);
            }
            let cannot = |dir: &Path, e: String| {
                Diagnostic::error(format!("cannot create {}: {e}", dir.display())).help(format!(
                    "check that {} is writable: each build is made beside its output folder, then takes its place",
                    parent.display()
                ))
            };
            // Another build may take the new folder for a leftover before it is locked: it
            // locks a folder before removing it, so a folder is made again, under a new name,
            // until this build holds its lock.
            let mut tries = 0;
            loop {
                std::fs::create_dir_all(&dir).map_err(|e| cannot(&dir, e.to_string()))?;
                match std::fs::File::open(&dir) {
                    Ok(file) => match file.try_lock() {
                        // Still the folder at that path, not one removed meanwhile.
                        Ok(()) if is_folder_at(&file, &dir) => {
                            lock = Some(file);
                            break;
                        }
                        Ok(()) | Err(std::fs::TryLockError::WouldBlock) => {}
                        // Folders cannot be locked here: unprotected, as before.
                        Err(_) => break,
                    },
                    // Removed meanwhile.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    // Folders cannot be opened here (Windows): unprotected, as before.
                    Err(_) => break,
                }
                tries += 1;
                if tries >= 1000 {
                    return Err(cannot(
                        &dir,
                        "other builds of this folder kept removing it".into(),
                    ));
                }
                dir = named();
            }
        }
        let mut out = Output::with_mode(final_dir, dir, Mode::Swap { previous: None }, opts);
        out.lock = lock;
        Ok(out)
    }

    /// Lets this full build link the `.gz` and `.br` files of the output folder's unchanged files
    /// instead of compressing them again, when the record in `cache_dir` (the site's
    /// `.berdaya-cache/`) shows the last build made them at this build's gzip level and brotli
    /// quality; and writes the record on [`Output::commit`]. Without a record nothing is reused.
    ///
    /// `serve` passes `record: false`: its rounds change the folder in place afterwards, so the
    /// record is removed on commit instead of written (the next `build` compresses afresh).
    pub fn reusing_compressed(mut self, cache_dir: &Path, record: bool) -> Output {
        if self.opts.dry_run {
            return self;
        }
        let file = record::path_for(cache_dir, &self.final_dir);
        self.write_record = record && self.opts.precompress;
        if !self.opts.precompress {
            // Nothing to reuse; the record of another build's copies goes on commit.
            self.record_file = Some(file);
            return self;
        }
        let matching = record::Record::read_matching(
            &file,
            &self.final_dir,
            self.opts.gzip_level,
            self.opts.brotli_quality,
        );
        if let (Some(r), Mode::Swap { previous }) = (matching, &mut self.mode) {
            *previous = Some(Previous {
                dir: self.final_dir.clone(),
                copied_siblings: CopiedSiblings::of(r.copied_siblings),
            });
        }
        self.record_file = Some(file);
        self
    }

    /// An incremental build into `final_dir` itself: files are kept in memory, then
    /// [`Output::commit_in_place`] writes those that changed and removes those no longer made.
    pub fn in_place(final_dir: &Path, opts: OutputOptions, prev: Memo, force: bool) -> Output {
        let staged = Mutex::new(Vec::new());
        // Where the folder really is, as for full builds: one lock and one record for both.
        let final_dir = resolved(final_dir);
        let mut out =
            Output::with_mode(final_dir.clone(), final_dir, Mode::InPlace { staged }, opts);
        out.memo = Some(MemoState::new(prev, force));
        out
    }

    /// Removes the record of how the compressed files of the output folder `final_dir` were
    /// made (see [`Output::reusing_compressed`]), for a dev-server round that changed the
    /// folder in place: the next build then compresses afresh.
    pub fn forget_compressed(cache_dir: &Path, final_dir: &Path) {
        let _ = std::fs::remove_file(record::path_for(cache_dir, final_dir));
    }

    /// Declares the paths static files are copied to (set once, before rendering): a static
    /// file replaces a generated file with the same path, whichever is written first.
    pub fn reserve_static(&self, paths: impl IntoIterator<Item = String>) {
        let _ = self.static_paths.set(
            paths
                .into_iter()
                .map(|p| p.trim_start_matches('/').to_string())
                .collect(),
        );
    }

    fn is_static(&self, path: &str) -> bool {
        self.static_paths.get().is_some_and(|s| s.contains(path))
    }

    /// Declares every path files are copied to as they are (set once, before rendering):
    /// static files and the files beside pages. One that sits where a compressed copy of
    /// another file goes (`data.csv.gz` beside `data.csv`) is published as it is, and berdaya
    /// makes no copy of its own there.
    pub fn reserve_copied(&self, paths: impl IntoIterator<Item = String>) {
        let _ = self.copied_siblings.set(CopiedSiblings::of(paths));
    }

    /// The compressed-copy paths copied files provide (none until reserved).
    fn copied_siblings(&self) -> CopiedSiblings {
        self.copied_siblings.get().cloned().unwrap_or_default()
    }

    /// True when a copied file stands at `path`'s compressed copy `ext`.
    fn copied_sibling(&self, path: &str, ext: &str) -> bool {
        self.copied_siblings
            .get()
            .is_some_and(|s| s.provides(path, ext))
    }

    /// For a full build reusing the last one's compressed files: links the previous `.gz` and
    /// `.br` of `path` into the staging folder when its bytes there are `bytes` and both copies
    /// are berdaya's own; returns the `.gz` size in bytes. `None`: compress afresh.
    fn link_previous(&self, path: &str, bytes: &[u8]) -> Option<u64> {
        let Mode::Swap {
            previous: Some(prev),
        } = &self.mode
        else {
            return None;
        };
        if !compressible(path) {
            return None;
        }
        if ["gz", "br"]
            .iter()
            .any(|ext| self.copied_sibling(path, ext) || prev.copied_siblings.provides(path, ext))
        {
            return None;
        }
        let (gz, br) = (format!("{path}.gz"), format!("{path}.br"));
        let old = prev.dir.join(path);
        let (old_gz, old_br) = (prev.dir.join(&gz), prev.dir.join(&br));
        let gz_len = std::fs::metadata(&old_gz)
            .ok()
            .filter(|m| m.is_file())?
            .len();
        if !old_br.is_file() || std::fs::read(&old).map_or(true, |o| o != bytes) {
            return None;
        }
        let (new_gz, new_br) = (self.dir.join(&gz), self.dir.join(&br));
        if let Some(parent) = new_gz.parent() {
            std::fs::create_dir_all(parent).ok()?;
        }
        if link_or_copy(&old_gz, &new_gz)
            .and_then(|_| link_or_copy(&old_br, &new_br))
            .is_err()
        {
            // A half-made link is removed, so that writing the copies afresh cannot write
            // through it into the previous build's file.
            let _ = std::fs::remove_file(&new_gz);
            let _ = std::fs::remove_file(&new_br);
            return None;
        }
        self.reused.fetch_add(1, Ordering::Relaxed);
        Some(gz_len)
    }

    /// Output path of a site URL: `/tips/` → `tips/index.html`.
    pub fn file_for_url(url: &str) -> String {
        let trimmed = url.trim_start_matches('/');
        if trimmed.is_empty() || trimmed.ends_with('/') {
            format!("{trimmed}index.html")
        } else {
            trimmed.to_string()
        }
    }

    /// Minifies, measures and writes one HTML page. Over budget is an error naming the page.
    pub fn write_page(
        &self,
        url: &str,
        html: String,
        origin: Option<&Path>,
    ) -> Result<(), Diagnostic> {
        self.write_page_sized(url, html, origin, false)
    }

    /// [`Output::write_page`] for a page whose compressed size is needed exactly, whatever the
    /// budget: one that loads a photo on its first screen (see `check_first_screens`).
    pub fn write_page_measured(
        &self,
        url: &str,
        html: String,
        origin: Option<&Path>,
    ) -> Result<(), Diagnostic> {
        self.write_page_sized(url, html, origin, true)
    }

    fn write_page_sized(
        &self,
        url: &str,
        html: String,
        origin: Option<&Path>,
        exact: bool,
    ) -> Result<(), Diagnostic> {
        let path = Self::file_for_url(url);
        if self.is_static(&path) {
            return Ok(());
        }
        let html = match with_path_prefix(&html, &self.opts.path_prefix) {
            std::borrow::Cow::Owned(prefixed) => prefixed,
            std::borrow::Cow::Borrowed(_) => html,
        };
        let bytes = if self.opts.minify {
            minify_html::minify(html.as_bytes(), &minify_cfg())
        } else {
            html.into_bytes()
        };
        // Addresses are made relative after minifying, which may drop their quotes.
        let bytes = if self.opts.portable {
            portable_links(&String::from_utf8_lossy(&bytes), &path).into_bytes()
        } else {
            bytes
        };
        // With precompression the budget measures the `.gz` file written; without, a server
        // compresses the page at a level of its own, measured at the worst (level 1).
        let level = if self.opts.precompress {
            self.opts.gzip_level
        } else {
            1
        };
        // A dev-server round does not compress a page that cannot be over the budget (gzip
        // never exceeds libdeflate's bound for its length): its `.gz` is made after the page
        // is shown, with the `.br`, and it is not among the sizes measured.
        if !exact
            && matches!(self.mode, Mode::InPlace { .. })
            && gzip_bound(bytes.len(), level) as u64 <= self.opts.budget
        {
            return self.write_with(&path, &bytes, Siblings::Make(None));
        }
        // A full build measures an unchanged page by the `.gz` it links from the last build,
        // made at this level (see `reusing_compressed`).
        let (gz_len, siblings) = match self.link_previous(&path, &bytes) {
            Some(len) => (len, Siblings::Linked),
            None => {
                let gz = gzip(&bytes, level);
                (
                    gz.len() as u64,
                    Siblings::Make(self.opts.precompress.then_some(gz)),
                )
            }
        };
        self.pages.lock().expect("page list").push(PageSize {
            path: path.clone(),
            raw: bytes.len() as u64,
            gzip: gz_len,
        });
        self.write_with(&path, &bytes, siblings)?;
        if gz_len > self.opts.budget {
            let mut d = Diagnostic::error(format!(
                "page {url} is {:.1} KB gzip-compressed, over the budget of {:.1} KB",
                gz_len as f64 / 1024.0,
                self.opts.budget as f64 / 1024.0
            ))
            .help("shorten or split the page, or lower paginate_by of its listing; the budget is build.page_budget_kb in berdaya.toml");
            if let Some(o) = origin {
                d = d.in_file(o);
            }
            return Err(d);
        }
        Ok(())
    }

    /// Writes any file; text types get `.gz` and `.br` siblings.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = path.trim_start_matches('/');
        if self.is_static(path) {
            return Ok(());
        }
        self.write_with(path, bytes, Siblings::Make(None))
    }

    /// Writes (or, in place, stages) a file and, with precompression, its `.gz` and `.br`: linked
    /// from the last build when unchanged, else made (with `gz` when already compressed). A
    /// compressed-copy path a static file provides is left to it.
    fn write_with(&self, path: &str, bytes: &[u8], siblings: Siblings) -> Result<(), Diagnostic> {
        check_path(path)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if self.opts.dry_run {
            return Ok(());
        }
        let (gz, linked) = match siblings {
            Siblings::Make(gz) => (gz, false),
            Siblings::Linked => (None, true),
        };
        if let Mode::InPlace { staged } = &self.mode {
            staged
                .lock()
                .expect("staged files")
                .push((path.to_string(), bytes.to_vec(), gz));
            return Ok(());
        }
        let target = self.dir.join(path);
        let io = |e: std::io::Error| {
            Diagnostic::error(format!("cannot write {}: {e}", target.display()))
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        write_new(&target, bytes).map_err(io)?;
        if !self.opts.precompress
            || !compressible(path)
            || linked
            || (gz.is_none() && self.link_previous(path, bytes).is_some())
        {
            return Ok(());
        }
        if !self.copied_sibling(path, "gz") {
            let gz = gz.unwrap_or_else(|| gzip(bytes, self.opts.gzip_level));
            write_new(&sibling(&target, "gz"), &gz).map_err(io)?;
        }
        if !self.copied_sibling(path, "br") {
            let br = brotli(bytes, self.opts.brotli_quality);
            write_new(&sibling(&target, "br"), &br).map_err(io)?;
        }
        Ok(())
    }

    /// Writes a file of the site's own (`static/`, content files) that was changed on the way,
    /// such as a GIF without its comments: like [`Output::copy`], it is not replaced by static
    /// files' reservation.
    pub fn write_asset(&self, to: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let to = to.trim_start_matches('/');
        check_path(to)?;
        self.write_with(to, bytes, Siblings::Make(None))
    }

    /// Copies a file (image, PDF) into the output.
    pub fn copy(&self, from: &Path, to: &str) -> Result<(), Diagnostic> {
        check_path(to.trim_start_matches('/'))?;
        if compressible(to) || self.in_memory() {
            let bytes = std::fs::read(from)
                .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", from.display())))?;
            return self.write_with(to.trim_start_matches('/'), &bytes, Siblings::Make(None));
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        if self.opts.dry_run {
            return Ok(());
        }
        let target = self.dir.join(to.trim_start_matches('/'));
        let io = |e: std::io::Error| {
            Diagnostic::error(format!(
                "cannot copy {} to {}: {e}",
                from.display(),
                target.display()
            ))
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        // Never through a file already there (a compressed copy linked from the last build).
        let _ = std::fs::remove_file(&target);
        let n = std::fs::copy(from, &target).map_err(io)?;
        self.bytes.fetch_add(n, Ordering::Relaxed);
        Ok(())
    }

    /// The size of every HTML page written so far, in the order they were written. In a
    /// dev-server round (an in-place build), only pages that could be over the budget and those
    /// written with [`Output::write_page_measured`] are measured.
    pub fn page_sizes(&self) -> Vec<PageSize> {
        self.pages.lock().expect("page list").clone()
    }

    /// Count of files written or copied so far, `.gz` and `.br` siblings not included.
    pub fn files_written(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Total size of the files written or copied so far, before compression, in bytes.
    pub fn bytes_written(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Count of files whose `.gz` and `.br` were taken from the previous build unchanged
    /// instead of compressed again.
    pub fn compressed_reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }
}

/// The last guard before the disk: a path from content or configuration that got this far
/// without a located error still cannot leave the output folder.
fn check_path(path: &str) -> Result<(), Diagnostic> {
    crate::common::urlpath::check_output_path(path).map_err(|p| {
        Diagnostic::error(format!(
            "refused to write `{}`: the path {}",
            path.escape_debug(),
            p.message()
        ))
        .help("every file berdaya writes stays inside the output folder; change the slug, path, alias or file name that made this path")
    })
}

/// Removes the staging and old folders that builds into `parent/name` left behind
/// (`.name.berdaya-tmp-STAMP`, `.name.berdaya-old-STAMP`), except those of a build still
/// running: its staging folder is locked. An old folder with no output folder in its place
/// (a swap that failed or was stopped between its two moves) is the last build: it is moved
/// back first. A folder is locked before it is removed, so a build
/// that made it but has not locked it yet finds that out and makes its own again.
fn remove_leftovers(parent: &Path, name: &str) {
    restore_last_build(parent, name);
    for (path, _, stamp) in leftovers(parent, name) {
        // The staging folder of that build, locked while it runs: its folders are kept then
        // (its old folder, the output it replaces, exists only while it swaps them).
        let staging = parent.join(format!(".{name}.berdaya-tmp-{stamp}"));
        let held = match std::fs::File::open(&staging) {
            Ok(f) => match f.try_lock() {
                Err(std::fs::TryLockError::WouldBlock) => continue,
                _ => Some(f),
            },
            Err(_) => None,
        };
        let _ = std::fs::remove_dir_all(path);
        drop(held);
    }
}

/// The folders builds into `parent/name` make beside it (`.name.berdaya-tmp-STAMP`,
/// `.name.berdaya-old-STAMP`), with whether each is an old one and its stamp.
fn leftovers(parent: &Path, name: &str) -> Vec<(PathBuf, bool, String)> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let prefix = format!(".{name}.berdaya-");
    entries
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            let rest = n.strip_prefix(&prefix)?;
            let (old, stamp) = match rest.strip_prefix("old-") {
                Some(stamp) => (true, stamp),
                None => (false, rest.strip_prefix("tmp-")?),
            };
            Some((e.path(), old, stamp.to_string()))
        })
        .collect()
}

/// Moves back the last build into `parent/name` when a swap that failed or was stopped between
/// its two moves left it aside (`.name.berdaya-old-STAMP`) and nothing is in its place.
fn restore_last_build(parent: &Path, name: &str) {
    let output = parent.join(name);
    if std::fs::symlink_metadata(&output).is_ok() {
        return;
    }
    for (path, old, stamp) in leftovers(parent, name) {
        let staging = parent.join(format!(".{name}.berdaya-tmp-{stamp}"));
        // Not a build still swapping (its staging folder is locked).
        let running = std::fs::File::open(&staging)
            .is_ok_and(|f| matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock)));
        if old && !running && std::fs::rename(&path, &output).is_ok() {
            return;
        }
    }
}

/// True when `file` (open) is the folder now at `path`.
fn is_folder_at(file: &std::fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// How the error of a swap that failed half-way begins: the last build was moved away and is
/// not in the output folder.
const MOVED_AWAY: &str = "the last build was moved to";

/// True for the error of a swap that failed half-way (see [`Output::commit`]): the output
/// folder was not left as it was.
pub fn moved_away(d: &Diagnostic) -> bool {
    d.message.starts_with(MOVED_AWAY)
}

/// Folders of a site that hold its sources (`serve` watches them). `.berdaya-cache/` is kept
/// beside them.
pub const SOURCE_FOLDERS: &[&str] = &["content", "themes", "data", "static", "templates"];

/// `path` absolute, with links, `.` and `..` resolved as far as it exists: a folder not made
/// yet is its resolved parent joined with its name. An output folder that is a link to another
/// folder is thus built in that folder, and the link kept.
pub fn resolved(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in abs.components() {
        match part {
            std::path::Component::CurDir => {}
            // `out` is resolved so far: its parent is the real one.
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => {
                out.push(other);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    out
}

/// Readies `out_dir` for a build of the site in `root` and checks that the build loses nothing
/// that is not a built site, as each build replaces its output folder whole. First a last build
/// that a swap stopped half-way left aside (`.NAME.berdaya-old-*`, with no output folder in its
/// place) is moved back. Errors, with what to do, and nothing touched:
/// - `out_dir` is a link to nothing (a missing folder, a loop) or a file, not a folder;
/// - it is the site's folder, holds it or one of its [`SOURCE_FOLDERS`] or `.berdaya-cache/`,
///   or is or lies in one of them (`--output content` would replace the contributors' pages),
///   links followed both ways;
/// - it is a mount point (it cannot be swapped: build into a folder inside it);
/// - it exists, is not empty, and holds a version-control checkout (`.git`, `.hg`, `.svn`) or
///   no built site at its top (`index.html` or `404.html`), e.g. a home folder named by mistake.
pub fn prepare_output_folder(root: &Path, out_dir: &Path) -> Result<(), Diagnostic> {
    // Where the swap happens: at the folder a link leads to.
    let mut target = out_dir.to_path_buf();
    for _ in 0..40 {
        match std::fs::read_link(&target) {
            Ok(next) => target = parent_of(&target).join(next),
            Err(_) => break,
        }
    }
    if let Some(name) = target.file_name().and_then(|n| n.to_str()) {
        restore_last_build(parent_of(&target), name);
    }
    let (site, out) = (resolved(root), resolved(out_dir));
    // Windows spells resolved paths `\\?\C:\...`; messages show them plainly.
    let plain = |p: &Path| {
        p.display()
            .to_string()
            .trim_start_matches(r"\\?\")
            .to_string()
    };
    let shown = if plain(&out) == plain(&std::path::absolute(out_dir).unwrap_or_default()) {
        out_dir.display().to_string()
    } else {
        format!("{} (that is {})", out_dir.display(), plain(&out))
    };
    let refuse = |why: String, help: &str| {
        Diagnostic::error(format!("cannot build into {shown}: {why}")).help(help.to_string())
    };
    const OWN: &str = "each build replaces its output folder whole; give `--output` a folder of its own, such as output/ (the default) or a new folder";
    let link = std::fs::symlink_metadata(out_dir).is_ok_and(|m| m.file_type().is_symlink());
    if link && std::fs::metadata(out_dir).is_err() {
        return Err(refuse(
            "it is a link that leads to no folder (the folder is missing, or links loop)".into(),
            "make the folder the link points to, or point the link at an existing folder",
        ));
    }
    if out.exists() && !out.is_dir() {
        return Err(refuse("it is a file, not a folder".into(), OWN));
    }
    if within(&site, &out) {
        let why = if same_folder(&site, &out) {
            "it is the site's folder"
        } else {
            "it holds the site's folder"
        };
        return Err(refuse(why.into(), OWN));
    }
    for folder in SOURCE_FOLDERS.iter().chain(&[".berdaya-cache"]) {
        // The folder where it really is: a site may link `themes/` to a shared one.
        let source = resolved(&site.join(folder));
        if same_folder(&out, &source) {
            return Err(refuse(format!("it is the site's {folder}/ folder"), OWN));
        }
        if within(&out, &source) {
            return Err(refuse(format!("it is in the site's {folder}/ folder"), OWN));
        }
        if within(&source, &out) {
            return Err(refuse(format!("it holds the site's {folder}/ folder"), OWN));
        }
    }
    let Ok(entries) = std::fs::read_dir(&out) else {
        return Ok(());
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let device = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
        if let Some(parent) = out.parent()
            && device(&out) != device(parent)
        {
            return Err(refuse(
                "it is a mount point (a memory card, a shared volume), which cannot be replaced"
                    .into(),
                "give `--output` a folder inside it, such as its path followed by /site",
            ));
        }
    }
    let names: Vec<std::ffi::OsString> = entries.flatten().map(|e| e.file_name()).collect();
    if let Some(vcs) = names
        .iter()
        .find(|n| [".git", ".hg", ".svn"].iter().any(|v| n.as_os_str() == *v))
    {
        return Err(refuse(
            format!(
                "it holds a version-control checkout ({})",
                vcs.to_string_lossy()
            ),
            "each build replaces its output folder whole and would delete the checkout; build into output/ and copy it into the checkout (for example with `rsync -a --delete --exclude .git output/ CHECKOUT/`), or keep files such as CNAME in static/",
        ));
    }
    let built = ["index.html", "404.html"]
        .iter()
        .any(|f| out.join(f).is_file());
    if !names.is_empty() && !built {
        return Err(refuse(
            "it is not empty and holds no built site (no index.html or 404.html)".into(),
            "each build replaces its output folder whole, and berdaya replaces only a folder that holds a built site (index.html or 404.html at its top); move the files elsewhere, or give `--output` a new or empty folder",
        ));
    }
    Ok(())
}

/// The device and inode of a folder, where the system has them.
fn folder_id(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// True when resolved paths `a` and `b` are one folder: the same path, or the same device and
/// inode (a bind mount, or another spelling on a case-insensitive file system).
fn same_folder(a: &Path, b: &Path) -> bool {
    a == b || folder_id(a).is_some_and(|id| folder_id(b) == Some(id))
}

/// True when resolved path `inner` is `outer` or lies inside it, by path or by the device and
/// inode of its folders.
fn within(inner: &Path, outer: &Path) -> bool {
    inner.starts_with(outer)
        || folder_id(outer).is_some_and(|id| inner.ancestors().any(|a| folder_id(a) == Some(id)))
}

/// The folder `path` is in: `.` for a bare name (`public`).
fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The lock that lets one build or `serve` round at a time change the output folders in
/// `parent` (a blocking advisory lock on the folder, held while the file lives); `None` where
/// the folder cannot be opened or locked (Windows), and then nothing is held.
pub(super) fn swap_lock(parent: &Path) -> Option<std::fs::File> {
    let file = std::fs::File::open(parent).ok()?;
    file.lock().ok()?;
    Some(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_keeps_the_staging_folder_of_a_build_still_running_and_removes_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let at = |n: &str| dir.path().join(n);
        // A build under way in another process (its folder locked), and two that ended.
        std::fs::create_dir(at(".output.berdaya-tmp-4000000001")).unwrap();
        let running = std::fs::File::open(at(".output.berdaya-tmp-4000000001")).unwrap();
        running.try_lock().unwrap();
        std::fs::create_dir(at(".output.berdaya-tmp-4000000002")).unwrap();
        std::fs::create_dir(at(".output.berdaya-old-4000000003")).unwrap();
        // Not a build's: a backup named alike.
        std::fs::create_dir(at(".output.berdaya-backup-2025")).unwrap();
        std::fs::create_dir(at("output")).unwrap();
        let out = Output::new(&at("output"), commit::tests::opts()).unwrap();
        assert!(at(".output.berdaya-backup-2025").is_dir());
        std::fs::remove_dir(at(".output.berdaya-backup-2025")).unwrap();
        assert!(at(".output.berdaya-tmp-4000000001").is_dir());
        assert!(!at(".output.berdaya-tmp-4000000002").exists());
        assert!(!at(".output.berdaya-old-4000000003").exists());
        // This build's folder is locked in turn while it runs.
        let mine = std::fs::File::open(&out.dir).unwrap();
        assert!(matches!(
            mine.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        out.commit().unwrap();
        assert!(at(".output.berdaya-tmp-4000000001").is_dir());
        // Once that build ended, its folder is a leftover.
        drop(running);
        Output::new(&at("output"), commit::tests::opts())
            .unwrap()
            .abandon();
        assert!(!at(".output.berdaya-tmp-4000000001").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "only output/ is left");
    }

    #[test]
    fn an_output_named_with_a_trailing_dot_is_that_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::new(&dir.path().join("site/."), commit::tests::opts()).unwrap();
        out.write("a.txt", b"x").unwrap();
        out.commit().unwrap();
        assert!(
            dir.path().join("site/a.txt").is_file(),
            "`site/.` is `site`"
        );
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["site"]);
    }

    #[test]
    fn the_last_build_moved_away_by_a_swap_stopped_half_way_is_moved_back() {
        let dir = tempfile::tempdir().unwrap();
        let at = |n: &str| dir.path().join(n);
        // The output moved aside, and the process stopped before the new build took its place.
        std::fs::create_dir(at(".output.berdaya-old-4000000005")).unwrap();
        std::fs::write(at(".output.berdaya-old-4000000005/a.txt"), "last").unwrap();
        std::fs::create_dir(at(".output.berdaya-tmp-4000000005")).unwrap();
        let out = Output::new(&at("output"), commit::tests::opts()).unwrap();
        assert_eq!(std::fs::read_to_string(at("output/a.txt")).unwrap(), "last");
        assert!(!at(".output.berdaya-tmp-4000000005").exists());
        // A build that fails leaves it there.
        out.abandon();
        assert_eq!(std::fs::read_to_string(at("output/a.txt")).unwrap(), "last");
    }

    #[test]
    fn builds_at_once_each_keep_their_own_staging_folder() {
        // Two builds of one folder at the same time (here in one process, as two processes
        // in containers may share a process number): neither removes the other's folder.
        let dir = tempfile::tempdir().unwrap();
        let final_dir = dir.path().join("output");
        let first = Output::new(&final_dir, commit::tests::opts()).unwrap();
        first.write("a.txt", b"first").unwrap();
        let second = Output::new(&final_dir, commit::tests::opts()).unwrap();
        assert_ne!(first.dir, second.dir);
        assert!(
            first.dir.join("a.txt").is_file(),
            "the first build's folder stays"
        );
        second.write("a.txt", b"second").unwrap();
        first.commit().unwrap();
        second.commit().unwrap();
        assert_eq!(std::fs::read(final_dir.join("a.txt")).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "only output/ is left");
    }

    #[test]
    fn a_file_written_where_a_linked_copy_is_never_writes_into_the_last_build() {
        let dir = tempfile::tempdir().unwrap();
        let (final_dir, cache) = (dir.path().join("output"), dir.path().join("cache"));
        let opts = commit::tests::opts();
        let page = || "<p>tentang kami</p>".repeat(20);
        let out = Output::new(&final_dir, opts.clone())
            .unwrap()
            .reusing_compressed(&cache, true);
        out.write_page("/a/", page(), None).unwrap();
        out.commit().unwrap();
        let live = |ext: &str| std::fs::read(final_dir.join(format!("a/index.html.{ext}")));
        let (gz, br) = (live("gz").unwrap(), live("br").unwrap());
        // The unchanged page links its copies; then another output (a colliding alias) is
        // written at the same path, and the build is abandoned.
        let out = Output::new(&final_dir, opts)
            .unwrap()
            .reusing_compressed(&cache, true);
        out.write_page("/a/", page(), None).unwrap();
        assert_eq!(out.compressed_reused(), 1);
        out.write("a/index.html", b"<p>another page</p>").unwrap();
        out.abandon();
        assert_eq!(live("gz").unwrap(), gz);
        assert_eq!(live("br").unwrap(), br);
    }

    #[test]
    fn a_sub_path_goes_before_every_site_address_including_srcset() {
        let html = r#"<a href="/x/">x</a><img src="/f.jpg" srcset="/f-360w.webp 360w, //cdn/f.webp 720w, https://e.org/f.webp 1080w"><a href="//cdn/">c</a>"#;
        assert_eq!(
            with_path_prefix(html, "/p"),
            r#"<a href="/p/x/">x</a><img src="/p/f.jpg" srcset="/p/f-360w.webp 360w, //cdn/f.webp 720w, https://e.org/f.webp 1080w"><a href="//cdn/">c</a>"#
        );
    }

    #[test]
    fn a_portable_page_links_relatively_to_index_files() {
        let html = r#"<a href=/>h</a><a href="/tips/x/#a">x</a><img src=/tips/y/f.jpg srcset="/tips/y/f-360w.webp 360w, /tips/y/f.webp 720w"><form action=/cari/></form><meta content="0; url=/tips/y/"><a href="https://e.org/">e</a>"#;
        assert_eq!(
            portable_links(html, "tips/y/index.html"),
            r#"<a href=../../index.html>h</a><a href="../../tips/x/index.html#a">x</a><img src=f.jpg srcset="f-360w.webp 360w, f.webp 720w"><form action=../../cari/index.html></form><meta content="0; url=index.html"><a href="https://e.org/">e</a>"#
        );
    }
}
