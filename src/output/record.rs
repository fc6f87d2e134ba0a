//! What the `.gz` and `.br` files in an output folder were made with, kept in the site's
//! `.berdaya-cache/` so that a rebuild links those of unchanged files only when a fresh build
//! would write the same bytes.
//!
//! A compressed file does not tell the level it was made at, and a copied file may sit where a
//! compressed copy goes (`static/data.csv.gz` beside `data.csv`). The record names the output
//! folder it describes (device, inode and creation time; every full build's swap changes them),
//! the gzip level and brotli quality, and the compressed-copy paths copied files provided. A
//! missing, unreadable or mismatched record means nothing is reused: the build compresses
//! afresh.

use std::path::{Path, PathBuf};

/// One output folder's compression record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record {
    /// The output folder's identity (device, inode, creation time) when the record was written.
    folder: (u64, u64, u128),
    gzip_level: u32,
    brotli_quality: u32,
    /// Paths under the output folder (e.g. `data.csv.gz`) that copied files provided.
    pub(super) copied_siblings: Vec<String>,
}

/// The first line; a new berdaya version or compressor version (which may write other bytes)
/// starts afresh.
const HEADER: &str = concat!(
    "berdaya compressed-files record 2, berdaya ",
    env!("CARGO_PKG_VERSION"),
    ", ",
    env!("BERDAYA_COMPRESSORS")
);

/// The record file for the output folder `final_dir` in `cache_dir`: one per output folder, named
/// by a hash of its absolute path, so `output/` and `output-portable/` keep their own.
pub(super) fn path_for(cache_dir: &Path, final_dir: &Path) -> PathBuf {
    // The parent resolved (links, `..`), so every spelling of one folder finds one record.
    let abs = std::path::absolute(final_dir).unwrap_or_else(|_| final_dir.to_path_buf());
    let abs = match (abs.parent().map(Path::canonicalize), abs.file_name()) {
        (Some(Ok(parent)), Some(name)) => parent.join(name),
        _ => abs,
    };
    // (A hash that changes with a foldhash upgrade only means one build compresses afresh.)
    let key = crate::common::hash::hash_of(abs.as_os_str());
    cache_dir.join(format!("compressed-{key:016x}.txt"))
}

/// The folder's identity: device and inode, and its creation time (file systems hand a freed
/// inode number to the next folder made: a swap's staging folder often gets the number of the
/// folder it replaced two builds ago). Without a creation time (musl builds, ext4 with small
/// inodes, NFS), the time its entries last changed: a swap still changes it, and a match needs
/// the same inode too.
fn identity(dir: &Path) -> Option<(u64, u64, u128)> {
    let m = std::fs::metadata(dir).ok()?;
    let born = m.created().or_else(|_| m.modified()).ok()?;
    let nanos = born.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
    #[cfg(unix)]
    let (dev, ino) = {
        use std::os::unix::fs::MetadataExt;
        (m.dev(), m.ino())
    };
    #[cfg(not(unix))]
    let (dev, ino) = (0, 0);
    Some((dev, ino, nanos))
}

impl Record {
    /// The record of `final_dir` as it is now, made at these settings.
    pub(super) fn of(
        final_dir: &Path,
        gzip_level: u32,
        brotli_quality: u32,
        copied_siblings: Vec<String>,
    ) -> Option<Record> {
        Some(Record {
            folder: identity(final_dir)?,
            gzip_level,
            brotli_quality,
            copied_siblings,
        })
    }

    /// Reads the record at `file` if it describes `final_dir` as it is now and was made at
    /// these settings; `None` otherwise (no record, another folder, other settings, unreadable).
    pub(super) fn read_matching(
        file: &Path,
        final_dir: &Path,
        gzip_level: u32,
        brotli_quality: u32,
    ) -> Option<Record> {
        let text = std::fs::read_to_string(file).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let mut folder = None;
        let (mut gz, mut br) = (None, None);
        let mut copied_siblings = Vec::new();
        for line in lines {
            let (key, value) = line.split_once(' ')?;
            match key {
                "folder" => {
                    let mut parts = value.split(' ');
                    let mut next = || parts.next();
                    folder = Some((
                        next()?.parse().ok()?,
                        next()?.parse().ok()?,
                        next()?.parse().ok()?,
                    ));
                }
                "gzip_level" => gz = Some(value.parse().ok()?),
                "brotli_quality" => br = Some(value.parse().ok()?),
                "copied" => copied_siblings.push(value.to_string()),
                _ => return None,
            }
        }
        let record = Record {
            folder: folder?,
            gzip_level: gz?,
            brotli_quality: br?,
            copied_siblings,
        };
        let now = Record::of(final_dir, gzip_level, brotli_quality, Vec::new())?;
        (record.folder == now.folder
            && record.gzip_level == now.gzip_level
            && record.brotli_quality == now.brotli_quality)
            .then_some(record)
    }

    /// Writes the record to `file` (beside-and-rename, creating its folder).
    pub(super) fn write(&self, file: &Path) -> std::io::Result<()> {
        use std::fmt::Write;
        let mut text = format!(
            "{HEADER}\nfolder {} {} {}\ngzip_level {}\nbrotli_quality {}\n",
            self.folder.0, self.folder.1, self.folder.2, self.gzip_level, self.brotli_quality
        );
        for s in &self.copied_siblings {
            // Paths are checked site paths: no line breaks.
            let _ = writeln!(text, "copied {s}");
        }
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        super::encode::write_atomic(file, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_names_the_compressors_versions() {
        // The versions in Cargo.lock: an update of either compressor makes the next build
        // compress afresh.
        assert!(!HEADER.contains("unknown"), "{HEADER}");
        let lock = include_str!("../../Cargo.lock");
        for name in ["brotli", "libdeflate-sys"] {
            let at = lock
                .find(&format!("name = \"{name}\""))
                .expect("in Cargo.lock");
            let version = lock[at..].lines().nth(1).unwrap().trim();
            let version = version.trim_start_matches("version = ").trim_matches('"');
            assert!(HEADER.contains(&format!("{name} {version}")), "{HEADER}");
        }
    }

    #[test]
    fn a_record_matches_only_its_folder_and_settings() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        std::fs::create_dir(&out).unwrap();
        let file = path_for(&dir.path().join("cache"), &out);
        let r = Record::of(&out, 6, 5, vec!["data.csv.gz".into()]).unwrap();
        r.write(&file).unwrap();
        assert_eq!(Record::read_matching(&file, &out, 6, 5), Some(r));
        assert_eq!(Record::read_matching(&file, &out, 7, 5), None);
        assert_eq!(Record::read_matching(&file, &out, 6, 4), None);
        // Another folder in its place (a full build's swap, or another tool's).
        std::fs::rename(&out, dir.path().join("gone")).unwrap();
        std::fs::create_dir(&out).unwrap();
        assert_eq!(Record::read_matching(&file, &out, 6, 5), None);
        std::fs::write(&file, "something else\n").unwrap();
        assert_eq!(Record::read_matching(&file, &out, 6, 5), None);
    }
}
