//! Putting a finished build in place: the atomic swap of a full build, or, in `serve`, writing
//! only the files whose bytes changed and removing those no unit makes any more.

use foldhash::{HashSet, HashSetExt};
use rayon::prelude::*;

use super::encode::{brotli, compressible, gzip, sibling, write_atomic};
use super::memo::MemoState;
use super::{Memo, Output, Staged};
use crate::common::diagnostics::Diagnostic;

impl Output {
    /// Swaps the finished build into place.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        if self.opts.dry_run {
            return Ok(());
        }
        // The record names the folder this build made (a rename in one parent keeps its
        // identity), read before the swap: not whatever folder is in place later.
        let record = self
            .write_record
            .then(|| {
                super::record::Record::of(
                    &self.dir,
                    self.opts.gzip_level,
                    self.opts.brotli_quality,
                    self.copied_siblings().sorted(),
                )
            })
            .flatten();
        let old = self.dir.with_file_name(
            self.dir
                .file_name()
                .map_or("output".into(), |n| n.to_string_lossy().into_owned())
                .replacen(".berdaya-tmp-", ".berdaya-old-", 1),
        );
        // One build at a time swaps its folder in: two at once each moved the other's away.
        let swapping = super::swap_lock(super::parent_of(&self.final_dir));
        let err = |e: std::io::Error| {
            Diagnostic::error(format!(
                "cannot move the new build into {}: {e}",
                self.final_dir.display()
            ))
        };
        // On an error the output stays as it was and dropping the build removes its folder.
        let moved = match std::fs::metadata(&self.final_dir) {
            Ok(last) => {
                // The new folder takes the old one's permissions, owner and group (a web
                // server's group, a private folder), as far as this user may set them.
                let _ = std::fs::set_permissions(&self.dir, last.permissions());
                #[cfg(unix)]
                {
                    use std::os::unix::fs::MetadataExt;
                    let _ = std::os::unix::fs::chown(&self.dir, Some(last.uid()), Some(last.gid()));
                    let _ = std::os::unix::fs::chown(&self.dir, None, Some(last.gid()));
                }
                std::fs::rename(&self.final_dir, &old).map_err(err)?;
                true
            }
            Err(_) => false,
        };
        if let Err(e) = std::fs::rename(&self.dir, &self.final_dir) {
            if !moved {
                return Err(err(e));
            }
            return Err(match std::fs::rename(&old, &self.final_dir) {
                Ok(()) => err(e),
                // Both failed: the last build is in `old`, which nothing removes.
                Err(back) => Diagnostic::error(format!(
                    "{} {} after the new build could not take its place ({e}), and moving it back failed ({back})",
                    super::MOVED_AWAY,
                    old.display()
                ))
                .help(format!(
                    "build again once the cause is fixed: the next build moves it back to {} first",
                    self.final_dir.display()
                )),
            });
        }
        self.committed = true;
        drop(swapping);
        let _ = std::fs::remove_dir_all(&old);
        if let Some(file) = &self.record_file {
            // Without a record the next build compresses afresh: nothing to report.
            if record.is_none_or(|r| r.write(file).is_err()) {
                let _ = std::fs::remove_file(file);
            }
        }
        Ok(())
    }

    /// Writes an incremental build into the output folder: files whose bytes changed, and
    /// removes files the previous build made that this one did not. Returns the changed and
    /// removed paths, sorted, and the changed files' `.gz`/`.br` still to write: a changed
    /// file's old compressed copies are removed at once (a server falls back to the file
    /// itself), and [`Compression::write`] makes the new ones, so `serve` can show the change
    /// before compressing it. The output is exactly a fresh build's once that has run.
    pub fn commit_in_place(mut self) -> Result<(Vec<String>, Memo, Compression), Diagnostic> {
        let staged = match &self.mode {
            super::Mode::InPlace { staged } => {
                std::mem::take(&mut *staged.lock().expect("staged files"))
            }
            super::Mode::Swap { .. } => Vec::new(),
        };
        // Not while a build swaps its folder in here (it would find this round's files in
        // the way, or this round would write into the folder moved away).
        let _swapping = super::swap_lock(super::parent_of(&self.final_dir));
        let precompress = self.opts.precompress;
        // Compressed-copy paths copied files provide: neither written nor removed here.
        let keep = self.copied_siblings();
        let mut deferred = Vec::new();
        // (the path when the file changed, its compressed copies to write), or the file with
        // why it could not be written yet.
        type Written = Result<Option<(Option<String>, Option<Staged>)>, (Staged, Diagnostic)>;
        let outcome = |staged: Staged, written: Result<Option<bool>, Diagnostic>| -> Written {
            let compress = precompress && compressible(&staged.0);
            match written {
                Ok(None) => Ok(None),
                Ok(Some(false)) => Ok(Some((None, Some(staged)))),
                Ok(Some(true)) => Ok(Some((Some(staged.0.clone()), compress.then_some(staged)))),
                Err(d) => Err((staged, d)),
            }
        };
        let written: Vec<Written> = staged
            .into_par_iter()
            .map(|staged| {
                let written = self.write_in_place(&staged.0, &staged.1, &keep);
                outcome(staged, written)
            })
            .collect();
        let mut changed = Vec::new();
        // Files that could not be written: tried again once the files and folders no unit
        // makes any more are removed below (one may stand in the way: a folder where a page's
        // compressed copy now goes); an error then is the round's.
        let mut blocked = Vec::new();
        for w in written {
            match w {
                Ok(Some((path, later))) => {
                    changed.extend(path);
                    deferred.extend(later);
                }
                Ok(None) => {}
                Err(e) => blocked.push(e),
            }
        }
        let mut compression = Compression {
            dir: self.final_dir.clone(),
            files: deferred,
            gzip_level: self.opts.gzip_level,
            brotli_quality: self.opts.brotli_quality,
            keep: keep.clone(),
        };
        if self.memo.is_none() {
            // Nothing is removed without units: a file that could not be written is an error.
            if let Some((_, d)) = blocked.into_iter().next() {
                return Err(d);
            }
            return Ok((changed, Memo::default(), compression));
        }
        // Every unit makes the files it made (see `settle_claims`): none can have gone.
        let same_files = self.settle_claims().is_some();
        let claims = self.take_claims();
        let m = self.memo.take().expect("units are tracked");
        let registered = m.take_registered();
        // Files of units that are gone or whose file list changed, unless a unit makes them now.
        // Units carried over make the files they made.
        let mut candidates = Vec::new();
        for (key, old) in m.prev.units.iter().filter(|_| !same_files) {
            if MemoState::carries(old) {
                continue;
            }
            match registered.get(key) {
                Some(new) if new.files == old.files => {}
                _ => candidates.extend(old.files.iter().cloned()),
            }
        }
        let next = m.into_memo(registered, claims);
        let mut live: HashSet<&str> = HashSet::new();
        if !candidates.is_empty() {
            // Any file some unit still makes stays (one file may belong to two units).
            live.extend(
                next.units
                    .values()
                    .flat_map(|u| u.files.iter().map(String::as_str)),
            );
        }
        for old in &candidates {
            let old = old.as_str();
            if live.contains(old) {
                continue;
            }
            let target = self.final_dir.join(old);
            for ext in ["gz", "br"] {
                if !keep.provides(old, ext) {
                    let _ = std::fs::remove_file(sibling(&target, ext));
                }
            }
            let _ = std::fs::remove_file(&target);
            // A copied file that stood where a compressed copy of a file still made goes (a
            // static `data.csv.gz` removed): berdaya's own copy is made in its place.
            if let Some(of) = old.strip_suffix(".gz").or_else(|| old.strip_suffix(".br"))
                && precompress
                && compressible(of)
                && live.contains(of)
                && !compression.files.iter().any(|f| f.0 == of)
                && let Ok(bytes) = std::fs::read(self.final_dir.join(of))
            {
                compression.files.push((of.to_string(), bytes, None));
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
        for (staged, _) in blocked {
            // An empty folder no unit knows of (left by a round that failed) goes too.
            let target = self.final_dir.join(&staged.0);
            for path in [sibling(&target, "gz"), sibling(&target, "br"), target] {
                let _ = std::fs::remove_dir(path);
            }
            let written = self.write_in_place(&staged.0, &staged.1, &keep);
            match outcome(staged, written) {
                Ok(Some((path, later))) => {
                    changed.extend(path);
                    compression.files.extend(later);
                }
                Ok(None) => {}
                Err((_, d)) => return Err(d),
            }
        }
        changed.sort();
        changed.dedup();
        Ok((changed, next, compression))
    }

    /// Writes one file of an in-place build unless the output folder holds these bytes there
    /// already. Returns `None` when unchanged with its compressed copies, `Some(false)` when
    /// unchanged but a copy is missing (an earlier commit failed part way, or its compressing
    /// was cut short), `Some(true)` when written (its old compressed copies removed).
    fn write_in_place(
        &self,
        path: &str,
        bytes: &[u8],
        keep: &super::CopiedSiblings,
    ) -> Result<Option<bool>, Diagnostic> {
        let target = self.final_dir.join(path);
        let compress = self.opts.precompress && compressible(path);
        if std::fs::read(&target).is_ok_and(|old| old == bytes) {
            let whole =
                !compress || (sibling(&target, "gz").is_file() && sibling(&target, "br").is_file());
            return Ok((!whole).then_some(false));
        }
        let io = |e: std::io::Error| {
            Diagnostic::error(format!("cannot write {}: {e}", target.display()))
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        if compress {
            for ext in ["gz", "br"] {
                if keep.provides(path, ext) {
                    continue;
                }
                match std::fs::remove_file(sibling(&target, ext)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
                    _ => {}
                }
            }
        }
        write_atomic(&target, bytes).map_err(io)?;
        Ok(Some(true))
    }

    /// Throws the unfinished build away; the previous output stays as it was. Dropping an
    /// uncommitted output does the same, so an early return or a panic leaves no staging folder.
    pub fn abandon(self) {
        drop(self);
    }
}

/// The `.gz` and `.br` files of an in-place commit's changed files, still to write.
#[derive(Debug, Default)]
pub struct Compression {
    dir: std::path::PathBuf,
    files: Vec<Staged>,
    gzip_level: u32,
    brotli_quality: u32,
    /// Compressed-copy paths copied files provide, not to be written.
    keep: super::encode::CopiedSiblings,
}

impl Compression {
    /// Whether no file waits.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Writes every waiting file's `.gz` (the budget's measurement when there is one) and `.br`,
    /// in parallel, until `stop` is set. A file whose bytes in the output folder are no longer
    /// the ones waiting (changed or removed by a later round) is skipped. Returns the files not
    /// reached, to be merged into the next round's with [`Compression::carry`], and the errors:
    /// a compressed file that cannot be written, one per file.
    pub fn write(self, stop: &std::sync::atomic::AtomicBool) -> (Compression, Vec<Diagnostic>) {
        use std::sync::atomic::Ordering;
        // The compressors' tables, freed and taken again for every file, stay.
        let _keep = crate::common::memory::KeepFreedLonger::new();
        let (dir, gzip_level, brotli_quality, keep) =
            (self.dir, self.gzip_level, self.brotli_quality, self.keep);
        let results: Vec<(Option<Staged>, Option<Diagnostic>)> = self
            .files
            .into_par_iter()
            .map(|(path, bytes, gz)| {
                if stop.load(Ordering::Relaxed) {
                    return (Some((path, bytes, gz)), None);
                }
                let target = dir.join(&path);
                if std::fs::read(&target).map_or(true, |now| now != bytes) {
                    return (None, None);
                }
                let made = |ext: &str| !keep.provides(&path, ext);
                let gz_written = if made("gz") {
                    let gz = gz.unwrap_or_else(|| gzip(&bytes, gzip_level));
                    write_atomic(&sibling(&target, "gz"), &gz)
                } else {
                    Ok(())
                };
                let err = gz_written
                    .and_then(|_| {
                        if made("br") {
                            write_atomic(&sibling(&target, "br"), &brotli(&bytes, brotli_quality))
                        } else {
                            Ok(())
                        }
                    })
                    .err()
                    .map(|e| {
                        Diagnostic::warning(format!(
                            "cannot write the compressed copies of {}: {e}; the file itself is served until it changes again",
                            target.display()
                        ))
                    });
                (None, err)
            })
            .collect();
        let mut left = Compression {
            dir,
            files: Vec::new(),
            gzip_level,
            brotli_quality,
            keep,
        };
        let mut diags = Vec::new();
        for (l, d) in results {
            left.files.extend(l);
            diags.extend(d);
        }
        (left, diags)
    }

    /// Adds the files an earlier round did not reach, except those this round changed again.
    pub fn carry(&mut self, earlier: Compression) {
        let mine: HashSet<String> = self.files.iter().map(|f| f.0.clone()).collect();
        self.files
            .extend(earlier.files.into_iter().filter(|f| !mine.contains(&f.0)));
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
pub(super) mod tests {
    use super::super::{OutputOptions, UnitKey};
    use super::*;

    /// Options of a test output: precompression at the fastest levels, no budget.
    pub(in crate::output) fn opts() -> OutputOptions {
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

    /// Page `key` making `files` as `serve` renders it: carried over when clean, else
    /// fingerprinted and, when new or changed, written with a payload. True when written.
    fn served(out: &Output, key: &str, files: &[&str], fp: u64) -> bool {
        let k = UnitKey::Page(key.into());
        if out.keep_if_clean(&k).is_some() {
            return false;
        }
        let files: Vec<String> = files.iter().map(|f| f.to_string()).collect();
        if let super::super::Fresh::Keep(_) = out.unit(k.clone(), || fp, files.clone()) {
            return false;
        }
        for f in &files {
            let url = format!("/{}", f.strip_suffix("index.html").unwrap());
            out.write_page(&url, format!("<p>{key} {fp}</p>"), None)
                .unwrap();
        }
        out.set_payload(&k, fp, std::sync::Arc::new(fp));
        true
    }

    fn dirty(keys: &[&str]) -> std::collections::HashSet<UnitKey> {
        keys.iter().map(|k| UnitKey::Page(k.to_string())).collect()
    }

    #[test]
    fn pages_carried_over_by_a_round_still_make_their_files_and_collide() {
        let dir = tempfile::tempdir().unwrap();
        let final_dir = dir.path().join("output");
        let out = Output::new(&final_dir, opts()).unwrap().with_memo();
        for k in ["a", "b", "c"] {
            served(&out, k, &[&format!("{k}/index.html")], 1);
        }
        let memo = out.take_memo().unwrap();
        out.commit().unwrap();
        // Only b changed: a and c are carried over, unclaimed until every unit is known.
        let out = Output::in_place(&final_dir, opts(), memo, false).with_dirty_pages(dirty(&["b"]));
        assert!(!served(&out, "a", &["a/index.html"], 1));
        assert!(served(&out, "b", &["b/index.html"], 2));
        assert!(!served(&out, "c", &["c/index.html"], 1));
        assert!(out.makes("a/index.html") && out.makes("c/index.html"));
        assert!(!out.makes("d/index.html"));
        assert!(out.collisions().is_empty());
        let (changed, memo, _) = out.commit_in_place().unwrap();
        assert_eq!(changed, ["b/index.html"]);
        assert_eq!(memo.units.len(), 3);
        // c now also makes a's file: the collision with the carried page a is found.
        let out = Output::in_place(&final_dir, opts(), memo, false).with_dirty_pages(dirty(&["c"]));
        served(&out, "a", &["a/index.html"], 1);
        served(&out, "b", &["b/index.html"], 2);
        served(&out, "c", &["c/index.html", "a/index.html"], 2);
        let c = out.collisions();
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(
            (c[0].file.as_str(), &c[0].first, &c[0].second),
            (
                "a/index.html",
                &UnitKey::Page("a".into()),
                &UnitKey::Page("c".into())
            )
        );
        // That round failed and wrote nothing; then b is removed: its files go, a and c stay.
        let memo = out.into_previous();
        let out = Output::in_place(&final_dir, opts(), memo, false).with_dirty_pages(dirty(&["b"]));
        served(&out, "a", &["a/index.html"], 1);
        served(&out, "c", &["c/index.html"], 1);
        assert!(!out.makes("b/index.html") && out.makes("a/index.html"));
        let (changed, memo, _) = out.commit_in_place().unwrap();
        assert_eq!(changed, ["b/index.html"]);
        assert!(!final_dir.join("b").exists());
        assert!(
            final_dir.join("a/index.html").is_file() && final_dir.join("c/index.html").is_file()
        );
        let mut keys: Vec<_> = memo.units.keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, [UnitKey::Page("a".into()), UnitKey::Page("c".into())]);
        // And the next round starts from those units and claims.
        let out = Output::in_place(&final_dir, opts(), memo, false).with_dirty_pages(dirty(&["a"]));
        assert!(served(&out, "a", &["a/index.html"], 3));
        assert!(!served(&out, "c", &["c/index.html"], 1));
        assert!(out.makes("c/index.html") && !out.makes("b/index.html"));
        let (changed, _, _) = out.commit_in_place().unwrap();
        assert_eq!(changed, ["a/index.html"]);
    }

    #[test]
    fn a_carried_unit_rendered_after_all_keeps_its_new_payload() {
        let dir = tempfile::tempdir().unwrap();
        let final_dir = dir.path().join("output");
        let out = Output::new(&final_dir, opts()).unwrap().with_memo();
        page(&out, "a", 1);
        let memo = out.take_memo().unwrap();
        out.commit().unwrap();
        // Unchanged, so carried over; but the last build kept no payload, so the caller
        // renders it (as pages do) and stores one.
        let out = Output::in_place(&final_dir, opts(), memo, false).with_dirty_pages(dirty(&[]));
        let key = UnitKey::Page("a".into());
        assert!(out.keep_if_clean(&key).is_none());
        assert!(matches!(
            out.unit(key.clone(), || 1, vec!["a/index.html".into()]),
            super::super::Fresh::Keep(None)
        ));
        out.set_payload(&key, 1, std::sync::Arc::new(7u64));
        assert!(out.makes("a/index.html"));
        let (_, memo, _) = out.commit_in_place().unwrap();
        let payload = memo.units[&key].payload.clone().expect("the new payload");
        assert_eq!(payload.downcast_ref::<u64>(), Some(&7));
    }

    #[test]
    fn a_unit_is_claimed_again_when_a_static_file_stops_standing_in_for_one_of_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let final_dir = dir.path().join("output");
        let files = vec!["p/index.html".to_string(), "p/x.ics".to_string()];
        let units = |out: &Output| {
            out.unit(UnitKey::Page("p".into()), || 1, files.clone());
            out.unit(
                UnitKey::Asset("/p/x.ics".into()),
                || 9,
                vec!["p/x.ics".into()],
            );
            out.unit(
                UnitKey::Asset("/p/index.html".into()),
                || 9,
                vec!["p/index.html".into()],
            );
        };
        let out = Output::new(&final_dir, opts()).unwrap().with_memo();
        out.reserve_static(["p/index.html".to_string(), "p/x.ics".to_string()]);
        units(&out);
        assert!(out.collisions().is_empty());
        let memo = out.take_memo().unwrap();
        out.commit().unwrap();
        // The static x.ics goes, a file copied to the same path stays: the page makes it too.
        let out = Output::in_place(&final_dir, opts(), memo, false);
        out.reserve_static(["p/index.html".to_string()]);
        units(&out);
        let c = out.collisions();
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].file, "p/x.ics");
    }

    #[test]
    fn a_generated_file_where_a_compressed_copy_goes_is_a_collision() {
        let dir = tempfile::tempdir().unwrap();
        let collisions = |precompress: bool, alias_first: bool| {
            let out = Output::new(
                &dir.path().join("output"),
                OutputOptions {
                    precompress,
                    ..opts()
                },
            )
            .unwrap();
            let page = || {
                out.unit(
                    UnitKey::Page("a.md".into()),
                    || 0,
                    vec!["a/index.html".into()],
                )
            };
            let alias = || {
                out.unit(
                    UnitKey::Page("b.md".into()),
                    || 0,
                    vec!["b/index.html".into(), "a/index.html.br".into()],
                )
            };
            if alias_first {
                alias();
                page();
            } else {
                page();
                alias();
            }
            // A copied file there is published as it is: no collision.
            out.unit(
                UnitKey::Asset("/b/index.html.gz".into()),
                || 0,
                vec!["b/index.html.gz".into()],
            );
            out.collisions()
        };
        for alias_first in [false, true] {
            let c = collisions(true, alias_first);
            assert_eq!(c.len(), 1, "{c:?}");
            assert_eq!(c[0].file, "a/index.html.br");
            assert_eq!(
                (&c[0].first, &c[0].second),
                (&UnitKey::Page("a.md".into()), &UnitKey::Page("b.md".into()))
            );
            assert!(collisions(false, alias_first).is_empty());
        }
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
        let (changed, memo, compression) = out.commit_in_place().unwrap();
        let (left, diags) = compression.write(&Default::default());
        assert!(left.is_empty() && diags.is_empty());
        assert_eq!(changed, ["b/index.html", "c/index.html"]);
        let b = std::fs::read_to_string(final_dir.join("b/index.html")).unwrap();
        assert_eq!(b, "<p>b 2</p>");
        // a is gone: its file, compressed siblings and emptied folder are removed.
        let out = Output::in_place(&final_dir, opts(), memo, false);
        page(&out, "b", 2);
        page(&out, "c", 1);
        let (changed, _, compression) = out.commit_in_place().unwrap();
        let (left, diags) = compression.write(&Default::default());
        assert!(left.is_empty() && diags.is_empty());
        assert_eq!(changed, ["a/index.html"]);
        assert!(!final_dir.join("a").exists());
    }

    #[test]
    fn an_in_place_commit_leaves_a_compressed_copy_path_to_the_static_file_there() {
        let dir = tempfile::tempdir().unwrap();
        let final_dir = dir.path().join("output");
        let own = dir.path().join("own.gz");
        std::fs::write(&own, "the contributor's own").unwrap();
        let round = |memo: Memo, fp: u64| {
            let out = Output::in_place(&final_dir, opts(), memo, false);
            out.reserve_static(["a/index.html.gz".to_string()]);
            out.reserve_copied(["a/index.html.gz".to_string()]);
            page(&out, "a", fp);
            out.copy(&own, "a/index.html.gz").unwrap();
            let (_, memo, compression) = out.commit_in_place().unwrap();
            let (left, diags) = compression.write(&Default::default());
            assert!(left.is_empty() && diags.is_empty());
            let gz = std::fs::read_to_string(final_dir.join("a/index.html.gz")).unwrap();
            assert_eq!(gz, "the contributor's own", "round {fp}");
            assert!(final_dir.join("a/index.html.br").is_file());
            memo
        };
        let memo = round(Memo::default(), 1);
        let memo = round(memo, 2);
        // The page goes; the static file stays while it is still copied.
        let out = Output::in_place(&final_dir, opts(), memo, false);
        out.reserve_static(["a/index.html.gz".to_string()]);
        out.reserve_copied(["a/index.html.gz".to_string()]);
        out.copy(&own, "a/index.html.gz").unwrap();
        let (_, _, compression) = out.commit_in_place().unwrap();
        compression.write(&Default::default());
        assert!(!final_dir.join("a/index.html").exists());
        assert!(!final_dir.join("a/index.html.br").exists());
        let gz = std::fs::read_to_string(final_dir.join("a/index.html.gz")).unwrap();
        assert_eq!(gz, "the contributor's own");
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
