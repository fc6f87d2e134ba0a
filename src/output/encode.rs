//! Encoding output files: minified HTML, gzip and brotli siblings, and the file operations
//! that write them safely.

use std::path::{Path, PathBuf};

pub(super) fn minify_cfg() -> minify_html::Cfg {
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
pub(super) fn compressible(path: &str) -> bool {
    [
        ".html", ".css", ".xml", ".ics", ".svg", ".txt", ".csv", ".json", ".js",
    ]
    .iter()
    .any(|e| path.ends_with(e))
}

/// Paths under the output folder where a copied file (static, or beside a page) stands where
/// berdaya would write a compressed copy of another file: `data.csv.gz` beside `data.csv`. The
/// copied file is published as it is, and berdaya makes no copy of its own there.
#[derive(Debug, Default, Clone)]
pub(super) struct CopiedSiblings(foldhash::HashSet<String>);

impl CopiedSiblings {
    /// The compressed-copy paths among `paths` (output paths, with or without a leading `/`).
    pub(super) fn of(paths: impl IntoIterator<Item = String>) -> CopiedSiblings {
        CopiedSiblings(
            paths
                .into_iter()
                .map(|p| p.trim_start_matches('/').to_string())
                .filter(|p| {
                    [".gz", ".br"]
                        .iter()
                        .any(|e| p.strip_suffix(e).is_some_and(compressible))
                })
                .collect(),
        )
    }

    /// True when a copied file stands at `path`'s compressed copy `ext` (`gz`, `br`). Almost
    /// every site has none: then no path is formatted.
    pub(super) fn provides(&self, path: &str, ext: &str) -> bool {
        !self.0.is_empty() && self.0.contains(&format!("{path}.{ext}"))
    }

    /// The paths, sorted.
    pub(super) fn sorted(&self) -> Vec<String> {
        let mut v: Vec<String> = self.0.iter().cloned().collect();
        v.sort();
        v
    }
}

/// Runs `f` with this thread's libdeflate compressor for gzip `level` (1–9; libdeflate's levels
/// 10–12 are not offered): one is kept per thread and level, and reused.
fn with_compressor<T>(level: u32, f: impl FnOnce(&mut libdeflater::Compressor) -> T) -> T {
    use libdeflater::{CompressionLvl, Compressor};
    use std::cell::RefCell;
    thread_local! {
        static COMPRESSORS: RefCell<Vec<(u32, Compressor)>> = const { RefCell::new(Vec::new()) };
    }
    let level = level.clamp(1, 9);
    COMPRESSORS.with(|cell| {
        let mut list = cell.borrow_mut();
        let i = match list.iter().position(|(l, _)| *l == level) {
            Some(i) => i,
            None => {
                let lvl = CompressionLvl::new(level as i32).unwrap_or_default();
                list.push((level, Compressor::new(lvl)));
                list.len() - 1
            }
        };
        f(&mut list[i].1)
    })
}

/// Gzip of `bytes` at `level` (1–9), as libdeflate writes it: one gzip member, typically a
/// little smaller than zlib's at the same level and several times faster.
pub fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    with_compressor(level, |c| {
        let mut out = vec![0; c.gzip_compress_bound(bytes.len())];
        let n = c
            .gzip_compress(bytes, &mut out)
            .expect("the buffer holds the compress bound");
        out.truncate(n);
        out
    })
}

/// The most bytes [`gzip`] at `level` can make of `len` bytes: libdeflate's
/// `libdeflate_gzip_compress_bound`, the size of the buffer its output always fits in.
pub fn gzip_bound(len: usize, level: u32) -> usize {
    with_compressor(level, |c| c.gzip_compress_bound(len))
}

/// Brotli of `bytes` at `quality` (0–11), with a window of 2^18 to 2^22 bytes: no larger than
/// the input needs, so a page of 20 KB does not fill a 4 MiB ring buffer (twice as fast, the
/// same bytes), and never below 2^18, where the encoder switches to hashers that are several
/// times slower on small inputs (measured: 3,000 pages, quality 5, 2^16 window 19 s, 2^18 1.4 s).
pub fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
    let need = usize::BITS - bytes.len().max(1).leading_zeros();
    let params = brotli::enc::BrotliEncoderParams {
        quality: quality as i32,
        lgwin: need.clamp(18, 22) as i32,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
    out
}

pub(super) fn sibling(path: &Path, ext: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// Writes beside the target, then renames, so a server never sends a half-written file.
pub(super) fn write_atomic(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = target.as_os_str().to_owned();
    tmp.push(".berdaya-new");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, target).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Writes a new file at `path` in a staging folder. A file already there (a compressed copy
/// linked from the last build, when two outputs meet at one path) is unlinked first, never
/// written through: the last build's file, still in place, keeps its bytes.
pub(super) fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    let mut file = match create() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            create()?
        }
        other => other?,
    };
    file.write_all(bytes)
}

/// Links `from` (the last build's file) at `to` in a staging folder, or copies it where links
/// are not possible. A file already at `to` is replaced, not written through.
pub(super) fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(to)?;
            link_or_copy(from, to)
        }
        Err(_) => {
            let _ = std::fs::remove_file(to);
            std::fs::copy(from, to).map(|_| ())
        }
    }
}
