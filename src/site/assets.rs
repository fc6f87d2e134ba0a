//! Files copied as they are: files beside pages, then the theme's and the site's `static/`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::Site;
use crate::common::diagnostics::Diagnostic;
use crate::common::hash::Fingerprint;
use crate::output::{Fresh, Output, UnitKey};

impl Site {
    /// Files copied as they are, by output path: content assets, then the theme's `static/`,
    /// then the site's `static/`; a later one with the same path replaces an earlier one.
    /// Also returns the output paths of the static folders' files.
    pub(super) fn asset_files(&self) -> (Vec<(PathBuf, String)>, Vec<String>) {
        // Photos are written processed (see `photos`), never copied with their metadata.
        let photos = &self.targets.photos.photos;
        let (files, static_paths) = self.asset_files_unfiltered();
        (
            files
                .into_iter()
                .filter(|(_, to)| !photos.contains_key(to))
                .collect(),
            static_paths
                .into_iter()
                .filter(|p| !photos.contains_key(p))
                .collect(),
        )
    }

    /// [`Site::asset_files`] with the photos.
    pub(super) fn asset_files_unfiltered(&self) -> (Vec<(PathBuf, String)>, Vec<String>) {
        let mut files: BTreeMap<String, PathBuf> = self
            .content
            .assets
            .iter()
            .map(|(from, to)| (to.clone(), from.clone()))
            .collect();
        let mut static_paths = Vec::new();
        for dir in [
            self.root
                .join("themes")
                .join(&self.config.theme)
                .join("static"),
            self.root.join("static"),
        ] {
            for e in walkdir::WalkDir::new(&dir)
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
            {
                let rel = crate::common::text::slash_path(&dir, e.path());
                static_paths.push(format!("/{rel}"));
                files.insert(format!("/{rel}"), e.into_path());
            }
        }
        let files = files.into_iter().map(|(to, from)| (from, to)).collect();
        (files, static_paths)
    }

    pub(super) fn copy_assets(&self, out: &Output, files: &[(PathBuf, String)]) -> Vec<Diagnostic> {
        files
            .par_iter()
            .filter_map(|(from, to)| {
                let fp = || {
                    let meta = std::fs::metadata(from).ok();
                    let mut fp = Fingerprint::new("asset");
                    fp.add(from)
                        .add(meta.as_ref().map(|m| m.len()))
                        .add(meta.as_ref().and_then(|m| m.modified().ok()));
                    // The change time moves on every write, even when a copy keeps mtime.
                    #[cfg(unix)]
                    if let Some(m) = &meta {
                        use std::os::unix::fs::MetadataExt;
                        fp.add(m.ino()).add(m.ctime()).add(m.ctime_nsec());
                    }
                    fp.finish()
                };
                let file = to.trim_start_matches('/').to_string();
                match out.unit(UnitKey::Asset(to.clone()), fp, vec![file]) {
                    // A GIF may carry comments and XMP: its frames are written again without.
                    Fresh::Render if to.to_ascii_lowercase().ends_with(".gif") => {
                        match crate::photos::encode::clean_gif(from) {
                            Ok(bytes) => out.write_asset(to, &bytes).err(),
                            Err(e) => Some(
                                Diagnostic::error(format!("cannot read the GIF: {e}"))
                                    .in_file(crate::common::text::relative(&self.root, from))
                                    .help("save it again as GIF, or as PNG for a still picture"),
                            ),
                        }
                    }
                    Fresh::Render => out.copy(from, to).err(),
                    Fresh::Keep(_) => None,
                }
            })
            .collect()
    }
}
