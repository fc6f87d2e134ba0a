//! Writing the built site: minified HTML, the per-page gzip budget, `.gz`/`.br` beside every text
//! file, and the atomic swap that leaves the previous `output/` untouched when a build fails.

use std::any::Any;
use std::collections::BTreeSet;

use rayon::prelude::*;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::common::diagnostics::Diagnostic;

/// Size of one written HTML page.
#[derive(Debug, Clone)]
pub struct PageSize {
    pub path: String,
    pub raw: u64,
    pub gzip: u64,
}

#[derive(Debug, Clone)]
pub struct OutputOptions {
    pub minify: bool,
    pub precompress: bool,
    /// Largest gzip size of one HTML page in bytes.
    pub budget: u64,
    /// Only measure (for `check`): write nothing.
    pub dry_run: bool,
    pub brotli_quality: u32,
    pub gzip_level: u32,
}

/// What the renderer keeps about one output unit (a page, a pager, a feed) between builds.
pub type Payload = Arc<dyn Any + Send + Sync>;

/// One output unit of a build: its fingerprint, the files it wrote, and what the renderer kept.
#[derive(Clone)]
pub struct Unit {
    pub fp: u64,
    pub files: Vec<String>,
    pub payload: Option<Payload>,
}

/// The units of the last successful build, by key.
#[derive(Clone, Default)]
pub struct Memo {
    pub units: HashMap<String, Unit>,
}

impl Memo {
    /// Every file the build wrote, relative to the output folder.
    pub fn files(&self) -> BTreeSet<&str> {
        self.units
            .values()
            .flat_map(|u| u.files.iter().map(String::as_str))
            .collect()
    }
}

struct MemoState {
    prev: Memo,
    /// Render every unit even when its fingerprint is unchanged (after berdaya.toml changed).
    force: bool,
    /// This build's units, in shards so that parallel renders rarely wait for each other.
    next: Vec<Mutex<HashMap<String, Unit>>>,
}

const SHARDS: usize = 32;

impl MemoState {
    fn new(prev: Memo, force: bool) -> MemoState {
        MemoState {
            prev,
            force,
            next: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    fn shard(&self, key: &str) -> std::sync::MutexGuard<'_, HashMap<String, Unit>> {
        let h = crate::common::hash::hash_of(key) as usize;
        self.next[h % SHARDS].lock().expect("memo")
    }

    fn take(&self) -> Memo {
        let mut units = HashMap::with_capacity(self.prev.units.len());
        for shard in &self.next {
            units.extend(std::mem::take(&mut *shard.lock().expect("memo")));
        }
        Memo { units }
    }
}

/// A file of an in-place build: path, bytes, and its gzip when already made.
type Staged = (String, Vec<u8>, Option<Vec<u8>>);

/// Whether a unit must be rendered.
pub enum Fresh {
    Render,
    /// Unchanged since the last build: its files stay as they are.
    Keep(Option<Payload>),
}

/// A build's output folder: written in a temporary place until [`Output::commit`], or, for
/// `serve`'s incremental builds, kept in memory until [`Output::commit_in_place`].
pub struct Output {
    pub final_dir: PathBuf,
    pub dir: PathBuf,
    previous: Option<PathBuf>,
    opts: OutputOptions,
    pages: Mutex<Vec<PageSize>>,
    files: AtomicUsize,
    bytes: AtomicU64,
    reused: AtomicUsize,
    memo: Option<MemoState>,
    /// Files of an in-place build: (path, bytes, gzip when already made).
    staged: Option<Mutex<Vec<Staged>>>,
    dirty_pages: Option<std::collections::HashSet<String>>,
    /// Paths that static files provide: generated files with these paths are not written.
    static_paths: std::sync::OnceLock<std::collections::HashSet<String>>,
    /// The unit that makes each file (and each folder that holds files), and files two units
    /// both make.
    claims: Mutex<Claims>,
    collisions: Mutex<Vec<Collision>>,
    /// Set once the build is in place; until then, dropping the output removes the staging
    /// folder (a failed or panicking build leaves nothing behind).
    committed: bool,
}

/// Two units of one build that both make the same file, or one a file where the other needs a
/// folder (an alias `/atom.xml` becomes `atom.xml/index.html`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Collision {
    /// The file (or the file standing where a folder is needed), relative to the output folder.
    pub file: String,
    /// The two units' keys, in sorted order; the same key twice when one unit makes a file
    /// twice (a page whose alias is its own address).
    pub first: String,
    pub second: String,
    /// True when one unit writes `file` as a file and the other needs it as a folder.
    pub folder: bool,
}

#[derive(Default)]
struct Claims {
    files: HashMap<String, String>,
    folders: HashMap<String, String>,
}

fn minify_cfg() -> minify_html::Cfg {
    minify_html::Cfg {
        keep_html_and_head_opening_tags: true,
        keep_closing_tags: false,
        minify_css: false,
        minify_js: false,
        minify_doctype: false,
        allow_noncompliant_unquoted_attribute_values: false,
        allow_removing_spaces_between_attributes: false,
        remove_bangs: false,
        ..Default::default()
    }
}

/// File types that get precompressed siblings.
fn compressible(path: &str) -> bool {
    [
        ".html", ".css", ".xml", ".ics", ".svg", ".txt", ".csv", ".json",
    ]
    .iter()
    .any(|e| path.ends_with(e))
}

pub fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::new(level),
    );
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

pub fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    let params = brotli::enc::BrotliEncoderParams {
        quality: quality as i32,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
    out
}

impl Output {
    /// Prepares a temporary folder beside `final_dir`.
    pub fn new(final_dir: &Path, opts: OutputOptions) -> Result<Output, Diagnostic> {
        let final_dir = final_dir.to_path_buf();
        let parent = final_dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = final_dir
            .file_name()
            .map_or("output".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.berdaya-tmp-{}", std::process::id()));
        if !opts.dry_run {
            // Leftovers of interrupted builds.
            if let Ok(entries) = std::fs::read_dir(parent) {
                for e in entries.flatten() {
                    let n = e.file_name().to_string_lossy().into_owned();
                    if n.starts_with(&format!(".{name}.berdaya-")) {
                        let _ = std::fs::remove_dir_all(e.path());
                    }
                }
            }
            std::fs::create_dir_all(&dir).map_err(|e| {
                Diagnostic::error(format!("cannot create {}: {e}", dir.display()))
                    .help("check that the output folder's parent is writable")
            })?;
        }
        let previous = final_dir.is_dir().then(|| final_dir.clone());
        Ok(Output {
            final_dir,
            dir,
            previous,
            opts,
            pages: Mutex::new(Vec::new()),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            reused: AtomicUsize::new(0),
            memo: None,
            staged: None,
            dirty_pages: None,
            static_paths: std::sync::OnceLock::new(),
            claims: Mutex::new(Claims::default()),
            collisions: Mutex::new(Vec::new()),
            committed: false,
        })
    }

    /// An incremental build into `final_dir` itself: files are kept in memory, then
    /// [`Output::commit_in_place`] writes those that changed and removes those no longer made.
    pub fn in_place(final_dir: &Path, opts: OutputOptions, prev: Memo, force: bool) -> Output {
        Output {
            final_dir: final_dir.to_path_buf(),
            dir: final_dir.to_path_buf(),
            previous: None,
            opts,
            pages: Mutex::new(Vec::new()),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            reused: AtomicUsize::new(0),
            memo: Some(MemoState::new(prev, force)),
            staged: Some(Mutex::new(Vec::new())),
            dirty_pages: None,
            static_paths: std::sync::OnceLock::new(),
            claims: Mutex::new(Claims::default()),
            collisions: Mutex::new(Vec::new()),
            committed: false,
        }
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

    /// A unit's fingerprint with one more input: whether a static file stands in for one of its
    /// files (then it writes nothing there; when that file goes, it must be written again).
    fn seal(&self, fp: u64, files: &[String]) -> u64 {
        let shadowed = files.iter().any(|f| self.is_static(f));
        fp ^ u64::from(shadowed).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    fn is_static(&self, path: &str) -> bool {
        self.static_paths.get().is_some_and(|s| s.contains(path))
    }

    /// Tells an in-place build that, of the pages, only those named (page unit keys) may have
    /// changed inputs: the others are kept without computing their fingerprints.
    pub fn with_dirty_pages(mut self, keys: std::collections::HashSet<String>) -> Output {
        self.dirty_pages = Some(keys);
        self
    }

    /// Keeps unit `key` as the previous build made it, when the caller knows its inputs did not
    /// change (see [`Output::with_dirty_pages`]); returns its payload, or `None` when it must be
    /// rendered after all.
    pub fn keep_if_clean(&self, key: &str) -> Option<Payload> {
        let m = self.memo.as_ref()?;
        if m.force || self.dirty_pages.as_ref()?.contains(key) {
            return None;
        }
        let unit = m.prev.units.get(key)?;
        let payload = unit.payload.clone()?;
        self.claim(key, &unit.files);
        m.shard(key).insert(key.to_string(), unit.clone());
        Some(payload)
    }

    /// Records units with fingerprints, so that the next build can skip unchanged ones.
    pub fn with_memo(mut self) -> Output {
        self.memo = Some(MemoState::new(Memo::default(), true));
        self
    }

    /// True when units are recorded (serve); plain builds render everything and keep nothing.
    pub fn tracks_units(&self) -> bool {
        self.memo.is_some()
    }

    /// The previous build's payload of unit `key`.
    pub fn previous_payload(&self, key: &str) -> Option<&Payload> {
        self.memo.as_ref()?.prev.units.get(key)?.payload.as_ref()
    }

    /// Records unit `key` made of `files` (paths in the output folder); says whether to render
    /// it. `fp` is only computed when units are tracked.
    pub fn unit(&self, key: &str, fp: impl FnOnce() -> u64, files: Vec<String>) -> Fresh {
        self.claim(key, &files);
        let Some(m) = &self.memo else {
            return Fresh::Render;
        };
        let fp = self.seal(fp(), &files);
        let kept = m
            .prev
            .units
            .get(key)
            .filter(|u| !m.force && u.fp == fp && u.files == files);
        let fresh = match kept {
            Some(u) => Fresh::Keep(u.payload.clone()),
            None => Fresh::Render,
        };
        let payload = match &fresh {
            Fresh::Keep(p) => p.clone(),
            Fresh::Render => None,
        };
        m.shard(key)
            .insert(key.to_string(), Unit { fp, files, payload });
        fresh
    }

    /// Stores what the renderer keeps of unit `key`, with its fingerprint as computed after
    /// rendering.
    pub fn set_payload(&self, key: &str, fp: u64, payload: Payload) {
        if let Some(m) = &self.memo
            && let Some(u) = m.shard(key).get_mut(key)
        {
            u.fp = self.seal(fp, &u.files);
            u.payload = Some(payload);
        }
    }

    /// Records that unit `key` makes `files`; a file another unit already makes is a
    /// [`Collision`]. A static file standing in for a generated one is not.
    fn claim(&self, key: &str, files: &[String]) {
        let is_asset = key.starts_with("asset:");
        let mut claims = self.claims.lock().expect("claims");
        let mut found = Vec::new();
        let collision = |file: &str, other: &str, folder: bool| {
            let (first, second) = if other <= key {
                (other.to_string(), key.to_string())
            } else {
                (key.to_string(), other.to_string())
            };
            Collision {
                file: file.to_string(),
                first,
                second,
                folder,
            }
        };
        for (i, f) in files.iter().enumerate() {
            if !is_asset && self.is_static(f) {
                continue;
            }
            if files[..i].contains(f) {
                found.push(collision(f, key, false));
                continue;
            }
            match claims.files.get(f.as_str()) {
                Some(owner) if owner != key => found.push(collision(f, owner, false)),
                Some(_) => {}
                None => {
                    claims.files.insert(f.clone(), key.to_string());
                }
            }
            if let Some(owner) = claims.folders.get(f.as_str()) {
                found.push(collision(f, owner, true));
            }
            let mut folder = f.as_str();
            while let Some((parent, _)) = folder.rsplit_once('/') {
                folder = parent;
                if let Some(owner) = claims.files.get(folder) {
                    found.push(collision(folder, owner, true));
                }
                claims
                    .folders
                    .entry(folder.to_string())
                    .or_insert_with(|| key.to_string());
            }
        }
        drop(claims);
        if !found.is_empty() {
            self.collisions.lock().expect("collisions").extend(found);
        }
    }

    /// Files that two units of this build both make, sorted.
    pub fn collisions(&self) -> Vec<Collision> {
        let mut c = self.collisions.lock().expect("collisions").clone();
        c.sort();
        c.dedup();
        c
    }

    /// Gives back the previous build's units (when this build failed and wrote nothing).
    pub fn into_previous(mut self) -> Memo {
        self.memo.take().map(|m| m.prev).unwrap_or_default()
    }

    /// Takes the units of this build, for the next one.
    pub fn take_memo(&self) -> Option<Memo> {
        Some(self.memo.as_ref()?.take())
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
        let path = Self::file_for_url(url);
        if self.is_static(&path) {
            return Ok(());
        }
        let bytes = if self.opts.minify {
            minify_html::minify(html.as_bytes(), &minify_cfg())
        } else {
            html.into_bytes()
        };
        let gz = gzip(&bytes, self.opts.gzip_level);
        self.pages.lock().expect("page list").push(PageSize {
            path: path.clone(),
            raw: bytes.len() as u64,
            gzip: gz.len() as u64,
        });
        let gz_len = gz.len() as u64;
        self.write_with(&path, &bytes, Some(gz))?;
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
        self.write_with(path, bytes, None)
    }

    fn write_with(&self, path: &str, bytes: &[u8], gz: Option<Vec<u8>>) -> Result<(), Diagnostic> {
        check_path(path)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if self.opts.dry_run {
            return Ok(());
        }
        if let Some(staged) = &self.staged {
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
        std::fs::write(&target, bytes).map_err(io)?;
        if !self.opts.precompress || !compressible(path) {
            return Ok(());
        }
        // Reuse the previous build's compressed files when the content is unchanged.
        if let Some(prev) = &self.previous {
            let old = prev.join(path);
            let (old_gz, old_br) = (sibling(&old, "gz"), sibling(&old, "br"));
            if old_gz.is_file() && old_br.is_file() && std::fs::read(&old).is_ok_and(|o| o == bytes)
            {
                let linked = link_or_copy(&old_gz, &sibling(&target, "gz"))
                    .and_then(|_| link_or_copy(&old_br, &sibling(&target, "br")));
                if linked.is_ok() {
                    self.reused.fetch_add(1, Ordering::Relaxed);
                    return Ok(());
                }
            }
        }
        let gz = gz.unwrap_or_else(|| gzip(bytes, self.opts.gzip_level));
        std::fs::write(sibling(&target, "gz"), gz).map_err(io)?;
        std::fs::write(
            sibling(&target, "br"),
            brotli(bytes, self.opts.brotli_quality),
        )
        .map_err(io)?;
        Ok(())
    }

    /// Copies a file (image, PDF) into the output.
    pub fn copy(&self, from: &Path, to: &str) -> Result<(), Diagnostic> {
        check_path(to.trim_start_matches('/'))?;
        if compressible(to) || self.staged.is_some() {
            let bytes = std::fs::read(from)
                .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", from.display())))?;
            return self.write_with(to.trim_start_matches('/'), &bytes, None);
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
        let n = std::fs::copy(from, &target).map_err(io)?;
        self.bytes.fetch_add(n, Ordering::Relaxed);
        Ok(())
    }

    pub fn page_sizes(&self) -> Vec<PageSize> {
        self.pages.lock().expect("page list").clone()
    }

    pub fn files_written(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    pub fn bytes_written(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    pub fn compressed_reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// Swaps the finished build into place.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        if self.opts.dry_run {
            return Ok(());
        }
        // From here on the staging folder is either in place or removed below.
        self.committed = true;
        let old = self.dir.with_file_name(format!(
            ".{}.berdaya-old-{}",
            self.final_dir
                .file_name()
                .map_or("output".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let err = |e: std::io::Error| {
            Diagnostic::error(format!(
                "cannot move the new build into {}: {e}",
                self.final_dir.display()
            ))
        };
        if self.final_dir.exists() {
            std::fs::rename(&self.final_dir, &old).map_err(err)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.final_dir) {
            let _ = std::fs::rename(&old, &self.final_dir);
            let _ = std::fs::remove_dir_all(&self.dir);
            return Err(err(e));
        }
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }

    /// Writes an incremental build into the output folder: files whose bytes changed (with new
    /// `.gz`/`.br`), and removes files the previous build made that this one did not. Returns
    /// the changed and removed paths, sorted.
    pub fn commit_in_place(self) -> Result<(Vec<String>, Memo), Diagnostic> {
        let staged = self
            .staged
            .as_ref()
            .map(|s| std::mem::take(&mut *s.lock().expect("staged files")))
            .unwrap_or_default();
        // Compressing is the costly part when many pages changed (a template edit): in parallel.
        let written: Vec<Result<Option<String>, Diagnostic>> = staged
            .into_par_iter()
            .map(|(path, bytes, gz)| {
                let target = self.final_dir.join(&path);
                if std::fs::read(&target).is_ok_and(|old| old == bytes) {
                    return Ok(None);
                }
                let io = |e: std::io::Error| {
                    Diagnostic::error(format!("cannot write {}: {e}", target.display()))
                };
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(io)?;
                }
                if self.opts.precompress && compressible(&path) {
                    let gz = gz.unwrap_or_else(|| gzip(&bytes, self.opts.gzip_level));
                    write_atomic(&sibling(&target, "gz"), &gz).map_err(io)?;
                    write_atomic(
                        &sibling(&target, "br"),
                        &brotli(&bytes, self.opts.brotli_quality),
                    )
                    .map_err(io)?;
                }
                write_atomic(&target, &bytes).map_err(io)?;
                Ok(Some(path))
            })
            .collect();
        let mut changed = Vec::new();
        for w in written {
            changed.extend(w?);
        }
        let Some(m) = &self.memo else {
            return Ok((changed, Memo::default()));
        };
        let next = m.take();
        // Files of units that are gone or whose file list changed, unless a unit makes them now.
        let mut candidates = Vec::new();
        let mut live: HashSet<&str> = HashSet::new();
        for (key, old) in &m.prev.units {
            match next.units.get(key) {
                Some(new) if new.files == old.files => {}
                _ => candidates.extend(old.files.iter().map(String::as_str)),
            }
        }
        if !candidates.is_empty() {
            // Any file some unit still makes stays (one file may belong to two units).
            live.extend(
                next.units
                    .values()
                    .flat_map(|u| u.files.iter().map(String::as_str)),
            );
        }
        for old in candidates {
            if live.contains(old) {
                continue;
            }
            let target = self.final_dir.join(old);
            for f in [
                sibling(&target, "gz"),
                sibling(&target, "br"),
                target.clone(),
            ] {
                let _ = std::fs::remove_file(f);
            }
            // Folders left empty go too, as a fresh build would not make them.
            let mut dir = target.parent();
            while let Some(d) = dir {
                if d == self.final_dir || std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
            changed.push(old.to_string());
        }
        changed.sort();
        changed.dedup();
        Ok((changed, next))
    }

    /// Throws the unfinished build away; the previous output stays as it was. Dropping an
    /// uncommitted output does the same, so an early return or a panic leaves no staging folder.
    pub fn abandon(self) {
        drop(self);
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed && !self.opts.dry_run && self.staged.is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
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

fn sibling(path: &Path, ext: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// Writes beside the target, then renames, so a server never sends a half-written file.
fn write_atomic(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = target.as_os_str().to_owned();
    tmp.push(".berdaya-new");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, target)
}

fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::hard_link(from, to).or_else(|_| std::fs::copy(from, to).map(|_| ()))
}
