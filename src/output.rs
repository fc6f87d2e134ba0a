//! Writing the built site: minified HTML, the per-page gzip budget, `.gz`/`.br` beside every text
//! file, and the atomic swap that leaves the previous `output/` untouched when a build fails.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::diagnostics::Diagnostic;

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

/// A build's output folder, written in a temporary place until [`Output::commit`].
pub struct Output {
    pub final_dir: PathBuf,
    pub dir: PathBuf,
    previous: Option<PathBuf>,
    opts: OutputOptions,
    pages: Mutex<Vec<PageSize>>,
    files: AtomicUsize,
    bytes: AtomicU64,
    reused: AtomicUsize,
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
        })
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
        self.write_with(path.trim_start_matches('/'), bytes, None)
    }

    fn write_with(&self, path: &str, bytes: &[u8], gz: Option<Vec<u8>>) -> Result<(), Diagnostic> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if self.opts.dry_run {
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
        if compressible(to) {
            let bytes = std::fs::read(from)
                .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", from.display())))?;
            return self.write(to, &bytes);
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
    pub fn commit(self) -> Result<(), Diagnostic> {
        if self.opts.dry_run {
            return Ok(());
        }
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
            return Err(err(e));
        }
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }

    /// Throws the unfinished build away; the previous output stays as it was.
    pub fn abandon(self) {
        if !self.opts.dry_run {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn sibling(path: &Path, ext: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::hard_link(from, to).or_else(|_| std::fs::copy(from, to).map(|_| ()))
}
