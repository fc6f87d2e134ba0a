//! The site's photos: planned when content loads (every variant's address and size, for
//! drawing pages), encoded once pages are drawn (every width for the photos pages show), written,
//! and each page's first screen weighed against `first_screen_budget_kb`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Site;
use crate::common::diagnostics::Diagnostic;
use crate::common::hash::Fingerprint;
use crate::output::{Fresh, Output, UnitKey};
use crate::photos::{self, encode};

/// What the last build did with photos.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PhotoStats {
    /// Photos the site publishes.
    pub photos: usize,
    /// Photos decoded and encoded in the build.
    pub encoded: usize,
    /// Photos whose files all came from the cache.
    pub reused: usize,
}

impl Site {
    /// The folder berdaya keeps what it may reuse between builds in: `.berdaya-cache` in the
    /// site's folder (processed photos, how the output's compressed files were made); safe to
    /// delete.
    pub fn cache_dir(&self) -> PathBuf {
        self.root.join(".berdaya-cache")
    }

    /// The folder processed photos are kept in between builds (`.berdaya-cache/photos`).
    pub fn photo_cache_dir(&self) -> PathBuf {
        self.cache_dir().join("photos")
    }

    /// Plans every photo beside pages and in `static/` (reading only what changed since the
    /// last plan) and gives the markdown renderer the index. Done when the site loads and when
    /// content or `static/` changes, not on every relink.
    pub(super) fn make_photos(&mut self) {
        let (files, _) = self.asset_files_unfiltered();
        let root = self.root.clone();
        let shown = move |p: &Path| crate::common::text::relative(&root, p);
        let (index, diags) = photos::plan(&files, &self.config.photos, &self.photo_memo, &shown);
        self.photo_diags = diags;
        let mut planned: Vec<(&String, u64, (u32, u32))> = index
            .photos
            .values()
            .map(|p| (&p.url, p.key, p.size))
            .collect();
        planned.sort();
        self.photo_hash = crate::common::hash::hash_of(&planned);
        self.targets.photos = Arc::new(index);
    }

    /// Encodes and writes every photo: all widths of those `shown` on some page, the file at its
    /// own address of the others; returns the byte size of every file written, by site path.
    pub(super) fn write_photos(
        &self,
        shown: &HashSet<&str>,
        out: &Output,
    ) -> (HashMap<String, u64>, Vec<Diagnostic>) {
        let index = &self.targets.photos;
        let mut jobs: Vec<(&photos::Photo, bool)> = index
            .photos
            .values()
            .map(|p| (p, shown.contains(p.url.as_str())))
            .collect();
        jobs.sort_by(|a, b| a.0.url.cmp(&b.0.url));
        let root = self.root.clone();
        let shown_path = move |p: &Path| crate::common::text::relative(&root, p);
        let (encoded, mut diags) = encode::encode_all(
            &jobs,
            &self.config.photos,
            &self.photo_cache_dir(),
            &shown_path,
        );
        *self.photo_stats.lock().expect("photo stats") = PhotoStats {
            photos: jobs.len(),
            encoded: encoded.encoded,
            reused: encoded.reused,
        };
        for (photo, all) in &jobs {
            // Its files, looked up by address (a scan of every file per photo would grow with
            // the square of the site's photos).
            let mut files: Vec<(&String, &(PathBuf, u64))> = photo
                .variants
                .iter()
                .flat_map(|v| [&v.webp, &v.fallback])
                .filter_map(|url| encoded.files.get_key_value(url))
                .collect();
            files.sort();
            if files.is_empty() {
                continue;
            }
            let names = files
                .iter()
                .map(|(u, _)| u.trim_start_matches('/').to_string())
                .collect();
            let fp = || {
                let mut fp = Fingerprint::new("photo");
                fp.add(photo.key).add(all).add(&files);
                fp.finish()
            };
            if let Fresh::Render = out.unit(UnitKey::Asset(photo.url.clone()), fp, names) {
                for (url, (path, _)) in &files {
                    diags.extend(out.copy(path, url).err());
                }
            }
        }
        let sizes = encoded
            .files
            .into_iter()
            .map(|(url, (_, len))| (url, len))
            .collect();
        (sizes, diags)
    }

    /// What the last build did with photos.
    pub fn photo_stats(&self) -> PhotoStats {
        *self.photo_stats.lock().expect("photo stats")
    }

    /// Pages whose first screen on a 360 px phone (the page's HTML, gzip-compressed, and the
    /// WebP its eager photo loads at device pixel ratio 2) weighs more than the budget.
    pub(super) fn check_first_screens(
        &self,
        eager: &[(usize, &str)],
        sizes: &HashMap<String, u64>,
        out: &Output,
    ) -> Vec<Diagnostic> {
        let budget = self.config.first_screen_budget_bytes();
        let html: HashMap<String, u64> = out
            .page_sizes()
            .into_iter()
            .map(|s| (s.path, s.gzip))
            .collect();
        let mut diags = Vec::new();
        for &(i, url) in eager {
            let page = &self.content.pages[i];
            let Some(&html_bytes) = html.get(&Output::file_for_url(&page.url)) else {
                continue;
            };
            let Some(photo) = self.targets.photos.photos.get(url) else {
                continue;
            };
            let variant = photo.phone_variant();
            let photo_bytes = sizes.get(&variant.webp).copied().unwrap_or(0);
            let total = html_bytes + photo_bytes;
            if total > budget {
                let kb = |b: u64| b as f64 / 1024.0;
                diags.push(
                    Diagnostic::error(format!(
                        "page {} loads {:.1} KB on a phone's first screen (HTML {:.1} KB + photo {} {:.1} KB), over the budget of {:.1} KB",
                        page.url,
                        kb(total),
                        kb(html_bytes),
                        url.rsplit('/').next().unwrap_or(url),
                        kb(photo_bytes),
                        kb(budget)
                    ))
                    .in_file(&page.source.path)
                    .help("put the photo after the first paragraphs (a photo below the first screen loads only when the reader scrolls to it), crop it, or raise build.first_screen_budget_kb in berdaya.toml"),
                );
            }
        }
        diags
    }
}
