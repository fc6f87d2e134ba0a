//! Encoding output files: minified HTML, gzip and brotli siblings, and the file operations
//! that write them safely.

use std::io::Write;
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

/// Gzip of `bytes` at `level` (1–9).
pub fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::new(level),
    );
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

/// Brotli of `bytes` at `quality` (0–11), 4 MiB window.
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
    std::fs::rename(&tmp, target)
}

pub(super) fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::hard_link(from, to).or_else(|_| std::fs::copy(from, to).map(|_| ()))
}
