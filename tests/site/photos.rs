//! Photos: resized for phones, WebP with a fallback, metadata removed, alt text required,
//! the first screen weighed, and encoded files reused from the cache.

use std::path::Path;

use crate::support::{build, fixture, read, repo, set_base_url};

const PHOTO: &str = "tests/fixtures/photos/jemur.jpg";

/// The bilingual fixture with a tip bundle `tips/jemur/` holding the large phone photo (4000x3000
/// taken sideways, EXIF orientation 6, GPS position, camera serial number) and `body`.
fn site_with_photo(body: &str) -> tempfile::TempDir {
    let site = fixture("bilingual");
    let dir = site.path().join("content/tips/para-para");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(repo().join(PHOTO), dir.join("jemur.jpg")).unwrap();
    std::fs::write(
        dir.join("index.md"),
        format!("+++\ntitle = \"Menjemur\"\ntopic = \"cuaca\"\n+++\n{body}"),
    )
    .unwrap();
    site
}

fn every_file(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_photo_is_published_upright_in_phone_widths_as_webp_with_a_fallback_and_without_metadata() {
    let site = site_with_photo(&format!(
        "Jemur di para-para.\n\n![Rumput laut dijemur di para-para](jemur.jpg \"Para-para\")\n\n{}\n\n![Lagi, lebih bawah](jemur.jpg)\n",
        "Kalimat panjang tentang cara menjemur. ".repeat(40)
    ));
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(report.photos.photos, 1);
    assert_eq!(report.photos.encoded, 1);
    let out = site.path().join("output");
    let dir = out.join("tips/para-para");
    for (name, w, h) in [
        ("jemur-360w.webp", 360, 480),
        ("jemur-720w.webp", 720, 960),
        ("jemur-1080w.webp", 1080, 1440),
        ("jemur-360w.jpg", 360, 480),
        ("jemur-720w.jpg", 720, 960),
        ("jemur.jpg", 1080, 1440),
    ] {
        let img = image::open(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((img.width(), img.height()), (w, h), "{name}");
        // Upright: the red corner, top left as the camera saw it, is now top right.
        let px = img.to_rgb8().get_pixel(w - 3, 3).0;
        assert!(px[0] > 200 && px[1] < 60 && px[2] < 60, "{name}: {px:?}");
    }
    // No camera data anywhere in the output: no EXIF block, serial number, maker or GPS.
    for f in every_file(&out) {
        let bytes = std::fs::read(&f).unwrap();
        for needle in [&b"SN-BERDAYA"[..], b"BerdayaPhone", b"Exif\0\0"] {
            assert!(
                !contains(&bytes, needle),
                "{} holds {needle:?}",
                f.display()
            );
        }
    }
    let page = read(site.path(), "tips/para-para/index.html");
    let pictures: Vec<&str> = page
        .split("<picture>")
        .skip(1)
        .map(|p| &p[..p.find("</picture>").unwrap()])
        .collect();
    assert_eq!(pictures.len(), 2, "{page}");
    for p in &pictures {
        for part in [
            "<source sizes=\"(min-width: 46rem) 44rem, calc(100vw - 2rem)\" srcset=\"/tips/para-para/jemur-360w.webp 360w, /tips/para-para/jemur-720w.webp 720w, /tips/para-para/jemur-1080w.webp 1080w\" type=image/webp>",
            "srcset=\"/tips/para-para/jemur-360w.jpg 360w, /tips/para-para/jemur-720w.jpg 720w, /tips/para-para/jemur.jpg 1080w\"",
            " width=1080",
            " height=1440",
            " src=/tips/para-para/jemur-720w.jpg",
            " decoding=async",
        ] {
            assert!(p.contains(part), "{part} in {p}");
        }
    }
    // The first photo is on the first screen; the second, below a screenful of text, waits.
    assert!(
        pictures[0].contains("alt=\"Rumput laut dijemur di para-para\"")
            && pictures[0].contains(" fetchpriority=high")
    );
    assert!(!pictures[0].contains("lazy"));
    assert!(
        pictures[1].contains("alt=\"Lagi, lebih bawah\"") && pictures[1].contains(" loading=lazy")
    );
    assert!(pictures[0].contains(" title=Para-para"));
}

#[test]
fn an_image_without_a_description_is_a_located_error() {
    let site = site_with_photo(
        "Teks.\n\n![](jemur.jpg)\n\n<img src=\"jemur.jpg\">\n\n{{ figure(src=\"jemur.jpg\") }}\n\nHiasan: <img src=\"jemur.jpg\" alt=\"\">\n\n{{ figure(src=\"jemur.jpg\", alt=\"\") }}\n",
    );
    let text = build(site.path()).unwrap_err().to_string();
    assert!(
        text.contains("--> content/tips/para-para/index.md:7:1"),
        "{text}"
    );
    assert!(
        text.contains("--> content/tips/para-para/index.md:9:1"),
        "{text}"
    );
    assert!(
        text.contains("shortcode `figure` shows an image without a description")
            && text.contains("content/tips/para-para/index.md:11:1"),
        "{text}"
    );
    // An explicitly empty description (a decoration) is allowed.
    assert_eq!(text.matches("without a description").count(), 3, "{text}");
    assert!(!site.path().join("output").exists());
}

#[test]
fn a_first_screen_over_the_budget_names_the_page_and_its_weight() {
    let body = "Pagi.\n\n![Rumput laut dijemur](jemur.jpg)\n";
    let site = site_with_photo(body);
    let toml = site.path().join("berdaya.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("{config}\n[build]\nfirst_screen_budget_kb = 10\n"),
    )
    .unwrap();
    let text = build(site.path()).unwrap_err().to_string();
    assert!(
        text.contains("page /tips/para-para/ loads") && text.contains("over the budget of 10.0 KB"),
        "{text}"
    );
    assert!(
        text.contains("content/tips/para-para/index.md") && text.contains("photo jemur.jpg"),
        "{text}"
    );
    // Below a screenful of text the photo loads only when scrolled to: the first screen is light.
    let later = format!(
        "{}\n\n![Rumput laut dijemur](jemur.jpg)\n",
        "Kalimat panjang tentang jemur. ".repeat(40)
    );
    std::fs::write(
        site.path().join("content/tips/para-para/index.md"),
        format!("+++\ntitle = \"Menjemur\"\ntopic = \"cuaca\"\n+++\n{later}"),
    )
    .unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
}

#[test]
fn encoded_photos_are_reused_until_the_photo_or_the_settings_change() {
    let site = site_with_photo("![Rumput laut dijemur](jemur.jpg)\n");
    let first = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!((first.photos.encoded, first.photos.reused), (1, 0));
    let again = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!((again.photos.encoded, again.photos.reused), (0, 1));
    let before = std::fs::read(site.path().join("output/tips/para-para/jemur-720w.webp")).unwrap();
    let toml = site.path().join("berdaya.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{config}\n[photos]\nwebp_quality = 50\n")).unwrap();
    let changed = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!((changed.photos.encoded, changed.photos.reused), (1, 0));
    let after = std::fs::read(site.path().join("output/tips/para-para/jemur-720w.webp")).unwrap();
    assert!(after.len() < before.len());
}

#[test]
fn photos_in_static_are_published_without_metadata_and_heic_is_refused() {
    let site = site_with_photo("Tanpa foto.\n");
    std::fs::create_dir_all(site.path().join("static/foto")).unwrap();
    std::fs::copy(
        repo().join(PHOTO),
        site.path().join("static/foto/sampul.jpg"),
    )
    .unwrap();
    let report = build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(report.photos.photos, 2);
    for f in ["foto/sampul.jpg", "tips/para-para/jemur.jpg"] {
        let bytes = std::fs::read(site.path().join("output").join(f)).unwrap();
        assert!(
            !contains(&bytes, b"SN-BERDAYA") && !contains(&bytes, b"Exif\0\0"),
            "{f}"
        );
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (1080, 1440), "{f}");
    }
    // Shown by no page: no widths are made.
    assert!(!site.path().join("output/foto/sampul-360w.webp").exists());
    std::fs::write(
        site.path().join("content/tips/para-para/iphone.heic"),
        b"....ftypheic",
    )
    .unwrap();
    let text = build(site.path()).unwrap_err().to_string();
    assert!(
        text.contains("content/tips/para-para/iphone.heic is not published"),
        "{text}"
    );
    assert!(text.contains("save the photo as JPEG"), "{text}");
}

#[test]
fn a_file_that_is_not_an_image_is_a_located_error() {
    let site = site_with_photo("![Foto](rusak.jpg)\n");
    std::fs::write(
        site.path().join("content/tips/para-para/rusak.jpg"),
        b"not a photo",
    )
    .unwrap();
    let text = build(site.path()).unwrap_err().to_string();
    assert!(
        text.contains("cannot read the photo") && text.contains("content/tips/para-para/rusak.jpg"),
        "{text}"
    );
}

#[test]
fn photo_addresses_carry_the_sub_path() {
    let site = site_with_photo("![Rumput laut dijemur](jemur.jpg)\n");
    set_base_url(site.path(), "https://contoh.test/berdaya");
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = read(site.path(), "tips/para-para/index.html");
    assert!(page.contains("srcset=\"/berdaya/tips/para-para/jemur-360w.webp 360w, /berdaya/tips/para-para/jemur-720w.webp 720w"), "{page}");
    assert!(
        page.contains(" src=/berdaya/tips/para-para/jemur-720w.jpg"),
        "{page}"
    );
}

#[test]
fn unusable_photo_settings_are_a_located_error() {
    let site = site_with_photo("![Rumput laut dijemur](jemur.jpg)\n");
    let toml = site.path().join("berdaya.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    for (bad, says) in [
        ("widths = []", "needs at least one width"),
        (
            "widths = [360, 9000]",
            "width 9000 is outside 16-4096 pixels",
        ),
        ("webp_quality = 0", "`webp_quality` 0 is outside 1-100"),
    ] {
        std::fs::write(&toml, format!("{config}\n[photos]\n{bad}\n")).unwrap();
        let text = build(site.path()).unwrap_err().to_string();
        assert!(
            text.contains(says) && text.contains("--> berdaya.toml:"),
            "{bad}: {text}"
        );
    }
}

#[test]
fn a_cut_short_photo_and_a_pasted_photo_are_refused_with_how_to_fix() {
    let site = site_with_photo(
        "![Foto](potong.jpg)\n\nTempel: <img src=\"data:image/jpeg;base64,/9j/4AAQSkZJRg==\" alt=\"tempel\">\n",
    );
    let whole = std::fs::read(repo().join(PHOTO)).unwrap();
    std::fs::write(
        site.path().join("content/tips/para-para/potong.jpg"),
        &whole[..whole.len() / 2],
    )
    .unwrap();
    let diags = build(site.path()).unwrap_err();
    let text = diags.to_string();
    assert!(
        text.contains("the photo is cut short")
            && text.contains("content/tips/para-para/potong.jpg"),
        "{text}"
    );
    assert!(
        text.contains("photos pasted into the page (data:image/...) keep their camera data"),
        "{text}"
    );
    // An SVG drawing that embeds a photo is refused too.
    let site = site_with_photo("Teks.\n");
    std::fs::write(
        site.path().join("content/tips/para-para/gambar.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"data:image/jpeg;base64,/9j/4AAQ\"/></svg>",
    )
    .unwrap();
    let text = build(site.path()).unwrap_err().to_string();
    assert!(text.contains("an embedded file (data:...)"), "{text}");
}

#[test]
fn a_photo_shown_with_a_relative_html_img_or_a_figure_climbing_folders_is_processed() {
    let site = site_with_photo(
        "<img src=\"jemur.jpg\" alt=\"Rumput laut\">\n\n{{ figure(src=\"../para-para/jemur.jpg\", alt=\"Lagi\") }}\n",
    );
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = read(site.path(), "tips/para-para/index.html");
    assert_eq!(page.matches("<picture>").count(), 2, "{page}");
    assert!(
        page.contains(" width=1080") && page.contains(" height=1440"),
        "{page}"
    );
}

#[test]
fn a_gif_is_published_with_its_frames_and_without_its_comments() {
    let site = site_with_photo("Tanpa foto.\n");
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/photos/animasi.gif"),
        site.path().join("static/animasi.gif"),
    )
    .unwrap();
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    let bytes = std::fs::read(site.path().join("output/animasi.gif")).unwrap();
    assert!(!contains(&bytes, b"SN-BERDAYA"));
    use image::AnimationDecoder;
    let frames = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(bytes))
        .unwrap()
        .into_frames()
        .collect_frames()
        .unwrap();
    assert_eq!(frames.len(), 2);
}

#[test]
fn a_photo_under_another_name_is_found_by_its_bytes_and_cleaned() {
    let site = site_with_photo("Tanpa foto.\n");
    for name in ["foto.pjpeg", "foto.jif", "tanpa-akhiran"] {
        std::fs::copy(
            repo().join(PHOTO),
            site.path().join("content/tips/para-para").join(name),
        )
        .unwrap();
    }
    build(site.path()).unwrap_or_else(|d| panic!("{d}"));
    for name in ["foto.pjpeg", "foto.jif", "tanpa-akhiran"] {
        let bytes = std::fs::read(site.path().join("output/tips/para-para").join(name)).unwrap();
        assert!(!contains(&bytes, b"SN-BERDAYA"), "{name}");
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (1080, 1440), "{name}");
    }
}

#[test]
fn a_dev_server_round_weighs_a_first_screen_as_a_build_does() {
    // The photo first waits below a screenful of text; an edit brings it onto the first screen.
    let later = format!(
        "{}\n\n![Rumput laut dijemur](jemur.jpg)\n",
        "Kalimat panjang tentang jemur. ".repeat(40)
    );
    let site = site_with_photo(&later);
    let toml = site.path().join("berdaya.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("{config}\n[build]\nfirst_screen_budget_kb = 10\n"),
    )
    .unwrap();
    let mut session = berdaya::serve::Session::new(crate::support::options(site.path()));
    let first = session.full();
    assert!(first.ok(), "{}", first.diags);
    let page = site.path().join("content/tips/para-para/index.md");
    std::fs::write(
        &page,
        "+++\ntitle = \"Menjemur\"\ntopic = \"cuaca\"\n+++\nPagi.\n\n![Rumput laut dijemur](jemur.jpg)\n",
    )
    .unwrap();
    let round = session.rebuild(std::slice::from_ref(&page));
    let text = round.diags.render(false);
    assert!(
        !round.ok() && text.contains("page /tips/para-para/ loads"),
        "{text}"
    );
}
