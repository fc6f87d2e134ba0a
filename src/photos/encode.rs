//! Decoding, turning upright, resizing and encoding photos, with a cache on disk keyed by the
//! photo's bytes and the settings: an unchanged photo costs one read and hash on rebuild.
//!
//! Nothing of the source file but its pixels is written: EXIF (GPS position, camera serial
//! numbers), XMP, IPTC and ICC data are dropped because the files are encoded from decoded
//! pixels. Pixels are read as sRGB.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageReader};

use super::{Fallback, Photo, PhotoSettings};
use crate::common::diagnostics::Diagnostic;

/// Bumped when encoding changes, so older cached files are not reused.
const CACHE_VERSION: u32 = 1;

/// Decoded pixels a build may hold at once, in bytes: photos are encoded in parallel only as
/// far as this allows (a 4000x3000 photo takes about 130 MB while it is resized).
pub const MEMORY_BUDGET: u64 = 1 << 30;

/// Largest photo read, in pixels per side.
const MAX_SIDE: u32 = 16_384;

fn limits() -> image::Limits {
    let mut l = image::Limits::default();
    l.max_image_width = Some(MAX_SIDE);
    l.max_image_height = Some(MAX_SIDE);
    l.max_alloc = Some(1 << 30);
    l
}

fn decoder(bytes: &[u8]) -> Result<impl ImageDecoder + '_, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    if reader.format().is_none() {
        return Err("not a JPEG, PNG or WebP image".into());
    }
    let mut dec = reader.into_decoder().map_err(|e| e.to_string())?;
    dec.set_limits(limits()).map_err(|e| e.to_string())?;
    Ok(dec)
}

fn swaps_sides(o: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::*;
    matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

/// Reads a photo's header: the cache key (hash of its bytes and `settings`), its upright
/// size in pixels and the fallback format (PNG for PNG sources and for transparency).
/// Errors: the file cannot be read or is not a JPEG, PNG or WebP image, in words.
pub fn read_header(
    path: &Path,
    settings: &PhotoSettings,
) -> Result<(u64, (u32, u32), Fallback), String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let key = crate::common::hash::hash_of((
        &bytes,
        &settings.widths,
        settings.webp_quality,
        settings.jpeg_quality,
        CACHE_VERSION,
    ));
    let format = image::guess_format(&bytes).ok();
    if format == Some(image::ImageFormat::Jpeg) && !jpeg_complete(&bytes) {
        return Err(
            "the photo is cut short: its end is missing (copy it again from the phone or camera)"
                .into(),
        );
    }
    let png = format == Some(image::ImageFormat::Png);
    let mut dec = decoder(&bytes)?;
    let (w, h) = dec.dimensions();
    let orientation = dec
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let alpha = dec.color_type().has_alpha();
    let size = if swaps_sides(orientation) {
        (h, w)
    } else {
        (w, h)
    };
    let fallback = if png || alpha {
        Fallback::Png
    } else {
        Fallback::Jpeg
    };
    Ok((key, size, fallback))
}

/// True when a JPEG's image data ends with its end-of-image marker: the segments before the
/// image data are skipped by their lengths (an EXIF thumbnail's own end marker does not count),
/// then the entropy-coded data is read to the marker. Bytes after it (a phone's motion-photo
/// video) are allowed. Decoders show a cut-short JPEG half grey without complaint.
fn jpeg_complete(b: &[u8]) -> bool {
    let mut i = 2;
    // Segments up to the first start of scan.
    loop {
        while i < b.len() && b[i] == 0xFF && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let (Some(&ff), Some(&marker)) = (b.get(i), b.get(i + 1)) else {
            return false;
        };
        if ff != 0xFF {
            return false;
        }
        if marker == 0xD9 {
            return false;
        }
        let len = match (b.get(i + 2), b.get(i + 3)) {
            (Some(&h), Some(&l)) => (h as usize) << 8 | l as usize,
            _ => return false,
        };
        i += 2 + len;
        if marker == 0xDA {
            break;
        }
    }
    // Entropy-coded data (and further scans of a progressive JPEG) up to the end marker.
    while i + 1 < b.len() {
        if b[i] == 0xFF && b[i + 1] == 0xD9 {
            return true;
        }
        i += 1;
    }
    false
}

/// One file to publish: the photo, the width, and WebP or the fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Wanted {
    width: u32,
    webp: bool,
}

/// What [`encode_all`] did.
#[derive(Debug, Default)]
pub struct Encoded {
    /// Site path → cached file holding it, and its size in bytes.
    pub files: HashMap<String, (PathBuf, u64)>,
    /// Photos decoded and encoded in this build.
    pub encoded: usize,
    /// Photos whose files all came from the cache.
    pub reused: usize,
}

/// Encodes the files of `photos`: every width's WebP and fallback for photos a page shows
/// (`true`), only the file at the photo's own address for the others. Files are kept in
/// `cache_dir` by key. Errors name the photo.
pub fn encode_all(
    photos: &[(&Photo, bool)],
    settings: &PhotoSettings,
    cache_dir: &Path,
    shown: &(dyn Fn(&Path) -> PathBuf + Sync),
) -> (Encoded, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let largest = photos
        .iter()
        .map(|(p, _)| p.size.0 as u64 * p.size.1 as u64 * 11)
        .max()
        .unwrap_or(1);
    let threads = (MEMORY_BUDGET / largest.max(1)).clamp(1, rayon::current_num_threads() as u64);
    // One encoding per distinct photo: a bundle's photo is published beside every translation,
    // and the same picture may sit in two folders.
    let mut unique: Vec<(&Photo, bool)> = Vec::new();
    let mut slot: HashMap<u64, usize> = HashMap::new();
    for (p, all) in photos {
        match slot.get(&p.key) {
            Some(&i) => unique[i].1 |= *all,
            None => {
                slot.insert(p.key, unique.len());
                unique.push((p, *all));
            }
        }
    }
    let work = || {
        unique
            .par_iter()
            .map(|(photo, all)| {
                let wanted = wanted(photo, *all);
                (photo.key, ensure(photo, &wanted, settings, cache_dir))
            })
            .collect::<Vec<_>>()
    };
    let results = if threads as usize >= rayon::current_num_threads() {
        work()
    } else {
        match rayon::ThreadPoolBuilder::new()
            .num_threads(threads as usize)
            .build()
        {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        }
    };
    let mut out = Encoded::default();
    let mut diags = Vec::new();
    let mut failed = std::collections::HashSet::new();
    for ((photo, _), (key, r)) in unique.iter().zip(results) {
        match r {
            Ok(true) => out.encoded += 1,
            Ok(false) => out.reused += 1,
            Err(e) => {
                failed.insert(key);
                diags.push(
                    Diagnostic::error(format!("cannot encode the photo: {e}"))
                        .in_file(shown(&photo.source))
                        .help("save it again as JPEG or PNG; if the disk is full, free some space"),
                );
            }
        }
    }
    for (photo, all) in photos.iter().filter(|(p, _)| !failed.contains(&p.key)) {
        for (w, url) in wanted(photo, *all) {
            let path = cache_file(cache_dir, photo, w);
            match std::fs::metadata(&path) {
                Ok(m) => {
                    out.files.insert(url, (path, m.len()));
                }
                Err(e) => diags.push(
                    Diagnostic::error(format!(
                        "cannot read the encoded photo {}: {e}",
                        path.display()
                    ))
                    .in_file(shown(&photo.source))
                    .help("delete the .berdaya-cache folder and build again"),
                ),
            }
        }
    }
    (out, diags)
}

fn cache_file(cache_dir: &Path, photo: &Photo, w: Wanted) -> PathBuf {
    let ext = if w.webp { "webp" } else { photo.fallback.ext() };
    cache_dir.join(format!("{:016x}-{}.{ext}", photo.key, w.width))
}

/// The files to publish of `photo`: every width's WebP and fallback when a page shows it
/// (`all`), else only the file at its own address; each with its site path.
fn wanted(photo: &Photo, all: bool) -> Vec<(Wanted, String)> {
    let largest = photo.largest();
    if !all {
        let webp = photo.url == largest.webp;
        return vec![(
            Wanted {
                width: largest.width,
                webp,
            },
            photo.url.clone(),
        )];
    }
    photo
        .variants
        .iter()
        .flat_map(|v| {
            [
                (
                    Wanted {
                        width: v.width,
                        webp: true,
                    },
                    v.webp.clone(),
                ),
                (
                    Wanted {
                        width: v.width,
                        webp: false,
                    },
                    v.fallback.clone(),
                ),
            ]
        })
        .collect()
}

/// Makes sure the cache holds every file of `wanted`; true when something was encoded.
fn ensure(
    photo: &Photo,
    wanted: &[(Wanted, String)],
    settings: &PhotoSettings,
    cache_dir: &Path,
) -> Result<bool, String> {
    let missing: Vec<Wanted> = wanted
        .iter()
        .map(|(w, _)| *w)
        .filter(|w| !cache_file(cache_dir, photo, *w).is_file())
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    std::fs::create_dir_all(cache_dir).map_err(|e| format!("{}: {e}", cache_dir.display()))?;
    encode_missing(photo, &missing, settings, cache_dir)?;
    Ok(true)
}

/// Decodes the photo once, turns it upright, and writes each missing file, widest first
/// (each narrower width is resized from the one before it).
fn encode_missing(
    photo: &Photo,
    missing: &[Wanted],
    settings: &PhotoSettings,
    cache_dir: &Path,
) -> Result<(), String> {
    let bytes = std::fs::read(&photo.source).map_err(|e| e.to_string())?;
    let mut dec = decoder(&bytes)?;
    let orientation = dec
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(dec).map_err(|e| e.to_string())?;
    drop(bytes);
    img.apply_orientation(orientation);
    let alpha = img.color().has_alpha();
    let (pixel_type, layout) = if alpha {
        (fr::PixelType::U8x4, webp::PixelLayout::Rgba)
    } else {
        (fr::PixelType::U8x3, webp::PixelLayout::Rgb)
    };
    let (w0, h0) = (img.width(), img.height());
    let buf = if alpha {
        img.into_rgba8().into_raw()
    } else {
        img.into_rgb8().into_raw()
    };
    let mut current =
        fr::images::Image::from_vec_u8(w0, h0, buf, pixel_type).map_err(|e| e.to_string())?;
    let mut widths: Vec<u32> = missing.iter().map(|m| m.width).collect();
    widths.sort_unstable_by(|a, b| b.cmp(a));
    widths.dedup();
    let mut resizer = fr::Resizer::new();
    let options =
        fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    for width in widths {
        let variant = photo
            .variants
            .iter()
            .find(|v| v.width == width)
            .ok_or("no such width")?;
        if current.width() != width {
            let mut dst = fr::images::Image::new(width, variant.height, pixel_type);
            resizer
                .resize(&current, &mut dst, &options)
                .map_err(|e| e.to_string())?;
            current = dst;
        }
        let (w, h, px) = (current.width(), current.height(), current.buffer());
        for m in missing.iter().filter(|m| m.width == width) {
            let data = if m.webp {
                webp::Encoder::new(px, layout, w, h)
                    .encode_simple(false, settings.webp_quality as f32)
                    .map_err(|e| format!("WebP: {e:?}"))?
                    .to_vec()
            } else {
                fallback_bytes(photo.fallback, px, w, h, alpha, settings)?
            };
            write_atomically(&cache_file(cache_dir, photo, *m), &data)?;
        }
    }
    Ok(())
}

fn fallback_bytes(
    kind: Fallback,
    px: &[u8],
    w: u32,
    h: u32,
    alpha: bool,
    settings: &PhotoSettings,
) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    let color = if alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let mut out = Vec::new();
    match kind {
        Fallback::Jpeg if !alpha => {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, settings.jpeg_quality)
                .write_image(px, w, h, color)
                .map_err(|e| e.to_string())?;
        }
        _ => {
            image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            )
            .write_image(px, w, h, color)
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}

/// Writes `data` beside `path` and renames it into place, so a cache file is whole or absent.
fn write_atomically(path: &Path, data: &[u8]) -> Result<(), String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    // The process, a time stamp and a count: processes in two containers sharing the cache
    // may have one process number.
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let tmp = path.with_extension(format!("tmp-{}-{stamp:x}-{n}", std::process::id()));
    std::fs::write(&tmp, data).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: {e}", path.display())
    })
}

/// A GIF's frames (with their delays and positions) written again, with nothing else: no
/// comments, XMP or other application data. Errors: the file cannot be read or decoded, in
/// words.
pub fn clean_gif(path: &Path) -> Result<Vec<u8>, String> {
    use image::AnimationDecoder;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut decoder = image::codecs::gif::GifDecoder::new(std::io::BufReader::new(file))
        .map_err(|e| e.to_string())?;
    decoder.set_limits(limits()).map_err(|e| e.to_string())?;
    let frames = decoder
        .into_frames()
        .collect_frames()
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    {
        let mut enc = image::codecs::gif::GifEncoder::new_with_speed(&mut out, 10);
        if frames.len() > 1 {
            enc.set_repeat(image::codecs::gif::Repeat::Infinite)
                .map_err(|e| e.to_string())?;
        }
        enc.encode_frames(frames).map_err(|e| e.to_string())?;
    }
    Ok(out)
}
