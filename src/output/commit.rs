//! Putting a finished build in place: the atomic swap of a full build, or, in `serve`, writing
//! only the files whose bytes changed and removing those no unit makes any more.

use foldhash::{HashSet, HashSetExt};
use rayon::prelude::*;

use super::encode::{brotli, compressible, gzip, sibling, write_atomic};
use super::{Memo, Output};
use crate::common::diagnostics::Diagnostic;

impl Output {
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
        let staged = match &self.mode {
            super::Mode::InPlace { staged } => {
                std::mem::take(&mut *staged.lock().expect("staged files"))
            }
            super::Mode::Swap { .. } => Vec::new(),
        };
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
        if !self.committed && !self.opts.dry_run && !self.in_memory() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{OutputOptions, UnitKey};
    use super::*;

    fn opts() -> OutputOptions {
        OutputOptions {
            minify: false,
            precompress: true,
            budget: u64::MAX,
            dry_run: false,
            brotli_quality: 1,
            gzip_level: 1,
            path_prefix: String::new(),
            portable: false,
        }
    }

    fn page(out: &Output, key: &str, fp: u64) -> bool {
        let file = format!("{key}/index.html");
        let fresh = out.unit(UnitKey::Page(key.into()), || fp, vec![file]);
        if let super::super::Fresh::Render = fresh {
            out.write_page(&format!("/{key}/"), format!("<p>{key} {fp}</p>"), None)
                .unwrap();
            true
        } else {
            false
        }
    }

    #[test]
    fn a_swap_replaces_the_folder_and_an_abandoned_build_leaves_it() {
        let dir = tempfile::tempdir().unwrap();
        let final_dir = dir.path().join("output");
        let out = Output::new(&final_dir, opts()).unwrap();
        page(&out, "a", 1);
        out.commit().unwrap();
        assert!(final_dir.join("a/index.html").is_file());
        assert!(final_dir.join("a/index.html.br").is_file());
        let out = Output::new(&final_dir, opts()).unwrap();
        page(&out, "b", 1);
        let staging = out.dir.clone();
        out.abandon();
        assert!(!staging.exists(), "no staging folder is left");
        assert!(final_dir.join("a/index.html").is_file());
        assert!(!final_dir.join("b").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "only output/ beside the site");
    }

    #[test]
    fn an_in_place_commit_writes_what_changed_and_removes_what_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let final_dir = dir.path().join("output");
        let out = Output::new(&final_dir, opts()).unwrap().with_memo();
        page(&out, "a", 1);
        page(&out, "b", 1);
        let memo = out.take_memo().unwrap();
        out.commit().unwrap();
        // a unchanged, b changed, c new.
        let out = Output::in_place(&final_dir, opts(), memo, false);
        assert!(!page(&out, "a", 1), "an unchanged unit is kept");
        assert!(page(&out, "b", 2));
        assert!(page(&out, "c", 1));
        let (changed, memo) = out.commit_in_place().unwrap();
        assert_eq!(changed, ["b/index.html", "c/index.html"]);
        let b = std::fs::read_to_string(final_dir.join("b/index.html")).unwrap();
        assert_eq!(b, "<p>b 2</p>");
        // a is gone: its file, compressed siblings and emptied folder are removed.
        let out = Output::in_place(&final_dir, opts(), memo, false);
        page(&out, "b", 2);
        page(&out, "c", 1);
        let (changed, _) = out.commit_in_place().unwrap();
        assert_eq!(changed, ["a/index.html"]);
        assert!(!final_dir.join("a").exists());
    }

    #[test]
    fn two_units_making_one_file_are_a_collision() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::new(&dir.path().join("output"), opts()).unwrap();
        out.unit(
            UnitKey::Page("x.md".into()),
            || 0,
            vec!["x/index.html".into()],
        );
        out.unit(
            UnitKey::Pager("/x/".into()),
            || 0,
            vec!["x/index.html".into()],
        );
        out.unit(
            UnitKey::Feed("/atom.xml".into()),
            || 0,
            vec!["atom.xml".into()],
        );
        out.unit(
            UnitKey::Page("y.md".into()),
            || 0,
            vec!["atom.xml/index.html".into()],
        );
        let c = out.collisions();
        assert_eq!(c.len(), 2, "{c:?}");
        assert!(c.iter().any(|c| c.file == "x/index.html" && !c.folder));
        assert!(c.iter().any(|c| c.file == "atom.xml" && c.folder));
    }
}
