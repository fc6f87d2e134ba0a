//! Photos: every JPEG, PNG and WebP the site publishes (beside pages and in `static/`) is
//! decoded, turned upright by its EXIF orientation and encoded again, so no metadata (GPS
//! positions, phone serial numbers) is ever published. A photo a page shows is also resized to
//! a few widths for phones and encoded as WebP with a JPEG or PNG fallback; [`markup`] turns
//! its `<img>` into a `<picture>` with `srcset`, `sizes` and its size, and [`encode`] keeps
//! the encoded files in a cache keyed by the photo's bytes and the settings.
//!
//! Stages: [`plan`] reads only each file's header (size and orientation) when the site loads,
//! so pages can be drawn with every variant's address and size; after pages are drawn,
//! [`encode::encode_all`] encodes what they show (every width) and, for photos no page shows,
//! only the file at the photo's own address.

pub mod encode;
pub mod markup;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::common::diagnostics::Diagnostic;

/// The `[photos]` table of `berdaya.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PhotoSettings {
    /// Widths in pixels a shown photo is resized to (never enlarged); default 360, 720, 1080.
    pub widths: Vec<u32>,
    /// WebP quality, 1-100 (default 72).
    pub webp_quality: u8,
    /// JPEG quality of the fallback files, 1-100 (default 78).
    pub jpeg_quality: u8,
}

impl Default for PhotoSettings {
    fn default() -> Self {
        PhotoSettings {
            widths: vec![360, 720, 1080],
            webp_quality: 72,
            jpeg_quality: 78,
        }
    }
}

impl PhotoSettings {
    /// Why the settings cannot be used, when they cannot: no width, a width outside
    /// 16-4096 px, a quality outside 1-100.
    pub fn problem(&self) -> Option<String> {
        if self.widths.is_empty() {
            return Some("`widths` needs at least one width".into());
        }
        if let Some(w) = self.widths.iter().find(|w| !(16..=4096).contains(*w)) {
            return Some(format!("width {w} is outside 16-4096 pixels"));
        }
        for (name, q) in [
            ("webp_quality", self.webp_quality),
            ("jpeg_quality", self.jpeg_quality),
        ] {
            if !(1..=100).contains(&q) {
                return Some(format!("`{name}` {q} is outside 1-100"));
            }
        }
        None
    }

    /// The widths, sorted, without duplicates.
    fn sorted_widths(&self) -> Vec<u32> {
        let mut w = self.widths.clone();
        w.sort_unstable();
        w.dedup();
        w
    }
}

/// File types read as photos (by extension, lower case).
pub const PHOTO_TYPES: &[&str] = &["jpg", "jpeg", "jpe", "jfif", "png", "webp"];

/// True when the site path or file name ends in a photo extension.
pub fn is_photo(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, e)| PHOTO_TYPES.contains(&e.to_ascii_lowercase().as_str()))
}

/// True when the file's first bytes are a JPEG's, PNG's or WebP's, whatever its name says
/// (`foto.pjpeg`, `foto.jif`, a name without extension): it is published re-encoded like any
/// photo, never with its camera data.
fn holds_photo(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let n = f.read(&mut head).unwrap_or(0);
    matches!(
        image::guess_format(&head[..n]),
        Ok(image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::WebP)
    )
}

/// The format of a fallback file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fallback {
    /// Photos without transparency.
    Jpeg,
    /// Pictures with transparency, or PNG sources (screenshots, drawings).
    Png,
}

impl Fallback {
    /// The file extension, without the dot.
    pub fn ext(self) -> &'static str {
        match self {
            Fallback::Jpeg => "jpg",
            Fallback::Png => "png",
        }
    }
}

/// One width of a photo: its size and the addresses of its WebP and fallback files.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels, from the upright photo's aspect ratio.
    pub height: u32,
    /// Site path of the WebP file (`/tips/x/foto-720w.webp`).
    pub webp: String,
    /// Site path of the fallback file; the largest width's is the photo's own address.
    pub fallback: String,
}

/// A photo the site publishes, planned from its header.
#[derive(Debug, Clone)]
pub struct Photo {
    /// The file read.
    pub source: PathBuf,
    /// Its site path (`/tips/x/foto.jpg`): the largest fallback is published there.
    pub url: String,
    /// Width and height in pixels once upright (EXIF orientation applied).
    pub size: (u32, u32),
    /// Stable hash of the file's bytes and the settings: the cache key.
    pub key: u64,
    /// Format of the fallback files.
    pub fallback: Fallback,
    /// Widths, narrowest first; the last is the largest published.
    pub variants: Vec<Variant>,
}

impl Photo {
    /// The largest variant (what the photo's own address holds).
    pub fn largest(&self) -> &Variant {
        self.variants
            .last()
            .expect("a photo has at least one width")
    }

    /// The variant a phone 360 CSS pixels wide at device pixel ratio 2 downloads for a photo
    /// as wide as the screen: the narrowest at least 720 px wide, else the largest.
    pub fn phone_variant(&self) -> &Variant {
        self.variants
            .iter()
            .find(|v| v.width >= 720)
            .unwrap_or_else(|| self.largest())
    }
}

/// Every photo of the site by site path, with the byte sizes of encoded files once known.
#[derive(Debug, Default)]
pub struct PhotoIndex {
    /// Photos by site path (`/tips/x/foto.jpg`).
    pub photos: HashMap<String, Photo>,
}

/// What a photo's header gave: cache key, upright size, fallback format.
type Header = (u64, (u32, u32), Fallback);

/// Where a photo's stamp (size, modification and change time) last led: its key and plan, so
/// an unchanged file is not read again in `serve`.
#[derive(Debug, Default)]
pub struct PlanMemo {
    plans: std::sync::Mutex<HashMap<(PathBuf, u64, u64), Header>>,
}

fn stamp(path: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos() as u64;
    #[cfg(unix)]
    let changed = {
        use std::os::unix::fs::MetadataExt;
        (meta.ctime() as u64) << 30 ^ meta.ctime_nsec() as u64 ^ meta.ino()
    };
    #[cfg(not(unix))]
    let changed = 0;
    Some((meta.len() ^ changed.rotate_left(17), modified))
}

/// Plans every photo of `files` (`(file, site path)`): reads its header for size, orientation
/// and transparency, and hashes its bytes with `settings` for the cache key. Files that are
/// not photos are skipped. A file that cannot be read as an image is an error naming it (`shown`
/// gives the path to show for a file).
pub fn plan(
    files: &[(PathBuf, String)],
    settings: &PhotoSettings,
    memo: &PlanMemo,
    shown: &(dyn Fn(&Path) -> PathBuf + Sync),
) -> (PhotoIndex, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let results: Vec<Result<Photo, Diagnostic>> = files
        .par_iter()
        .filter(|(path, url)| is_photo(url) || holds_photo(path))
        .map(|(path, url)| {
            let st = stamp(path);
            let remembered = st.and_then(|(a, b)| {
                memo.plans
                    .lock()
                    .expect("photo plans")
                    .get(&(path.clone(), a, b))
                    .copied()
            });
            let (key, size, fallback) = match remembered {
                Some(p) => p,
                None => {
                    let p = encode::read_header(path, settings).map_err(|e| {
                        Diagnostic::error(format!("cannot read the photo: {e}"))
                            .in_file(shown(path))
                            .help("save it again as JPEG or PNG (a phone's \"share\" or \"export\" does this); HEIC, TIFF and RAW files cannot be published")
                    })?;
                    if let Some((a, b)) = st {
                        memo.plans
                            .lock()
                            .expect("photo plans")
                            .insert((path.clone(), a, b), p);
                    }
                    p
                }
            };
            Ok(plan_one(path, url, key, size, fallback, settings))
        })
        .collect();
    let mut index = PhotoIndex::default();
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(p) => {
                index.photos.insert(p.url.clone(), p);
            }
            Err(d) => diags.push(d),
        }
    }
    (index, diags)
}

/// The variants of a photo of upright `size`: each configured width narrower than the photo,
/// and the photo's own width when it is narrower than the widest setting (never enlarged).
fn plan_one(
    path: &Path,
    url: &str,
    key: u64,
    size: (u32, u32),
    fallback: Fallback,
    settings: &PhotoSettings,
) -> Photo {
    let (w, h) = size;
    let mut widths: Vec<u32> = settings
        .sorted_widths()
        .into_iter()
        .filter(|x| *x < w)
        .collect();
    let widest = *settings.sorted_widths().last().expect("checked: a width");
    if w <= widest || widths.is_empty() {
        widths.push(w.min(widest).max(1));
    }
    let (stem, ext) = url.rsplit_once('.').unwrap_or((url, ""));
    // The photo's own address holds its largest file of its own type: the fallback for JPEG
    // and PNG sources, the WebP for WebP sources.
    let webp_source = ext.eq_ignore_ascii_case("webp");
    let last = widths.len() - 1;
    let variants = widths
        .iter()
        .enumerate()
        .map(|(i, &vw)| Variant {
            width: vw,
            height: ((h as u64 * vw as u64 + w as u64 / 2) / w.max(1) as u64).max(1) as u32,
            webp: if i == last && webp_source {
                url.to_string()
            } else {
                format!("{stem}-{vw}w.webp")
            },
            fallback: if i == last && !webp_source {
                url.to_string()
            } else {
                format!("{stem}-{vw}w.{}", fallback.ext())
            },
        })
        .collect();
    Photo {
        source: path.to_path_buf(),
        url: url.to_string(),
        size,
        key,
        fallback,
        variants,
    }
}

/// Shared, immutable photo index for drawing pages.
pub type SharedIndex = Arc<PhotoIndex>;
