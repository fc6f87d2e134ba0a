//! Writes the photo benchmark site: N tip bundles, each with one phone-sized photo (4000x3000
//! JPEG at quality 92 with sensor-like noise, 3-5 MB, EXIF orientation and GPS), shown on its
//! page, on top of the sample site's berdaya.toml and theme.
//!
//! `cargo run --release --example bench_photos -- DIR [PHOTOS]` (default 100 photos).
//! Deterministic: the same N gives the same files.

use std::fs;
use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, RgbImage};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: bench_photos DIR [PHOTOS]");
    let n: usize = args
        .next()
        .map_or(100, |s| s.parse().expect("PHOTOS is a number"));
    let dir = Path::new(&dir);
    let _ = fs::remove_dir_all(dir);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::create_dir_all(dir.join("content/tips")).unwrap();
    fs::copy(repo.join("berdaya.toml"), dir.join("berdaya.toml")).unwrap();
    copy_dir(&repo.join("themes"), &dir.join("themes"));
    fs::write(
        dir.join("content/_index.md"),
        "+++\ntitle = \"Foto\"\n+++\nTolok ukur foto.\n",
    )
    .unwrap();
    fs::write(
        dir.join("content/tips/_index.md"),
        "+++\ntitle = \"Tips\"\nkind = \"tip\"\npaginate_by = 20\n+++\n",
    )
    .unwrap();
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..n {
        let bundle = dir.join(format!("content/tips/foto-{i:03}"));
        fs::create_dir_all(&bundle).unwrap();
        let (w, h) = (4000u32, 3000u32);
        let base = [
            (next() % 160) as i32 + 40,
            (next() % 160) as i32 + 40,
            (next() % 160) as i32 + 40,
        ];
        let img = RgbImage::from_fn(w, h, |x, y| {
            let n = (next() % 48) as i32 - 24;
            let g = ((x + y) / 40) as i32 % 64;
            let px = |c: i32| (c + g + n).clamp(0, 255) as u8;
            image::Rgb([px(base[0]), px(base[1]), px(base[2])])
        });
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, 92)
            .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
        fs::write(bundle.join("foto.jpg"), &jpeg).unwrap();
        fs::write(
            bundle.join("index.md"),
            format!(
                "+++\ntitle = \"Foto {i}\"\ndate = 2026-01-01\ntopic = \"pemasaran\"\n+++\n{}\n\n![Foto produk nomor {i}](foto.jpg)\n",
                "Cara memotret produk dengan cahaya siang dan latar polos. ".repeat(12)
            ),
        )
        .unwrap();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}
