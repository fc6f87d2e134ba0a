//! `berdaya serve`: incremental rebuilds equal full builds, only affected outputs are
//! rendered, errors keep the last good output, and the dev server's HTTP behaviour.

use std::fs;
use std::path::{Path, PathBuf};

use berdaya::build::{self, BuildOptions};
use berdaya::serve::{Reporter, Session};

use crate::support::{copy_dir, files, fixture, options, repo};

/// A copy of the sample site (content, theme, survey data) in a temporary folder.
fn sample_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes", "data"] {
        copy_dir(&repo().join(part), &dir.path().join(part));
    }
    fs::copy(repo().join("berdaya.toml"), dir.path().join("berdaya.toml")).unwrap();
    dir
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) -> PathBuf {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

/// Runs one incremental rebuild that must succeed and waits for its compressed files; returns
/// the changed output files.
fn rebuild(session: &mut Session, paths: &[PathBuf]) -> Vec<String> {
    let round = session.rebuild(paths);
    assert!(round.ok(), "{}", round.diags);
    session.settle();
    round.changed
}

/// Every file of two output folders, byte for byte.
fn assert_same_tree(got: &Path, want: &Path) {
    let (g, w) = (files(got), files(want));
    let missing: Vec<_> = w.iter().filter(|f| !g.contains(f)).collect();
    let extra: Vec<_> = g.iter().filter(|f| !w.contains(f)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
    for f in &w {
        let (a, b) = (
            fs::read(got.join(f)).unwrap(),
            fs::read(want.join(f)).unwrap(),
        );
        if a != b {
            let (a, b) = (String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
            let first = a.lines().zip(b.lines()).find(|(x, y)| x != y);
            panic!("{f} differs from a full build: {first:?}");
        }
    }
}

/// A sample site kept in a serve `Session`, edited and rebuilt step by step; each scenario
/// ends by comparing the output, byte for byte, with a full build of the same files.
struct SessionTest {
    _site: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    session: Session,
}

impl SessionTest {
    /// The sample site, built once by the session.
    fn new() -> SessionTest {
        let site = sample_site();
        let root = site.path().to_path_buf();
        let mut session = Session::new(options(&root));
        let first = session.full();
        assert!(first.ok(), "{}", first.diags);
        assert!(first.changed.len() > 300, "{}", first.changed.len());
        SessionTest {
            out: root.join("output"),
            root,
            _site: site,
            session,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn edit(&self, rel: &str, from: &str, to: &str) -> PathBuf {
        edit(&self.root, rel, from, to)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    /// Writes `text` to `rel` and rebuilds after that save, which must succeed; the output
    /// files it changed.
    fn save(&mut self, rel: &str, text: &str) -> Vec<String> {
        let path = self.write(rel, text);
        self.rebuild(&[path])
    }

    /// One incremental rebuild that must succeed; the output files it changed.
    fn rebuild(&mut self, paths: &[PathBuf]) -> Vec<String> {
        rebuild(&mut self.session, paths)
    }

    fn output(&self, rel: &str) -> String {
        fs::read_to_string(self.out.join(rel)).unwrap()
    }

    /// The output, once the last round's compressed files are written, equals a full build of
    /// the same files.
    fn assert_equals_full_build(&mut self) {
        self.session.settle();
        let fresh = tempfile::tempdir().unwrap();
        build::build(&BuildOptions {
            output: Some(fresh.path().join("site")),
            ..options(&self.root)
        })
        .unwrap_or_else(|d| panic!("{d}"));
        assert_same_tree(&self.out, &fresh.path().join("site"));
    }
}

fn has(changed: &[String], file: &str) -> bool {
    changed.iter().any(|f| f == file)
}

#[test]
fn a_changed_page_is_shown_before_its_compressed_copies_are_made_and_never_with_old_ones() {
    let mut t = SessionTest::new();
    let tip = "content/tips/memilih-bibit-rumput-laut.md";
    let page = t.out.join("tips/memilih-bibit-rumput-laut/index.html");
    let br = t.out.join("tips/memilih-bibit-rumput-laut/index.html.br");
    let gz = t.out.join("tips/memilih-bibit-rumput-laut/index.html.gz");
    let old_br = fs::read(&br).unwrap();
    let edited = t.edit(tip, "Panen yang baik", "Panen yang sangat baik");
    let round = t.session.rebuild(&[edited]);
    assert!(round.ok(), "{}", round.diags);
    // When the round returns the page is new; its compressed copies are new or not there yet
    // (a server then sends the page itself), never the old ones.
    let html = fs::read(&page).unwrap();
    assert!(String::from_utf8_lossy(&html).contains("Panen yang sangat baik"));
    assert!(fs::read(&br).map_or(true, |b| b != old_br));
    t.session.settle();
    let mut unbrotli = Vec::new();
    brotli::BrotliDecompress(&mut &fs::read(&br).unwrap()[..], &mut unbrotli).unwrap();
    assert_eq!(unbrotli, html);
    assert_eq!(gunzip(&fs::read(&gz).unwrap()), html);
    t.assert_equals_full_build();
}

#[test]
fn a_missing_compressed_copy_is_made_again_when_its_file_is_rendered_again() {
    let mut t = SessionTest::new();
    let br = t.out.join("tips/memilih-bibit-rumput-laut/index.html.br");
    fs::remove_file(&br).unwrap();
    // A comment in the base template renders every page again, to the same bytes.
    let template = t.path("themes/default/templates/base.html");
    let text = fs::read_to_string(&template).unwrap();
    fs::write(&template, format!("{text}{{# a note #}}\n")).unwrap();
    t.rebuild(&[template]);
    let mut unbrotli = Vec::new();
    brotli::BrotliDecompress(&mut &fs::read(&br).unwrap()[..], &mut unbrotli).unwrap();
    assert_eq!(
        unbrotli,
        fs::read(t.out.join("tips/memilih-bibit-rumput-laut/index.html")).unwrap()
    );
    t.assert_equals_full_build();
}

#[test]
fn a_page_edit_touches_the_page_and_the_listings_showing_it() {
    let mut t = SessionTest::new();
    // A body edit re-renders that page and the listings showing it, nothing else.
    let tip = "content/tips/memilih-bibit-rumput-laut.md";
    let changed = t.rebuild(&[t.edit(tip, "Panen yang baik", "Panen yang sangat baik")]);
    assert!(has(&changed, "tips/memilih-bibit-rumput-laut/index.html"));
    let html: Vec<_> = changed.iter().filter(|f| f.ends_with(".html")).collect();
    assert!(
        html.iter()
            .all(|f| !f.starts_with("kisah/") && !f.starts_with("en/")),
        "{html:?}"
    );
    assert!(
        !changed.iter().any(|f| f.starts_with("dampak/")),
        "{changed:?}"
    );
    assert!(
        t.output("tips/memilih-bibit-rumput-laut/index.html")
            .contains("Panen yang sangat baik")
    );
    // Saving without a change writes nothing.
    let same = t.rebuild(&[t.path(tip)]);
    assert!(same.is_empty(), "{same:?}");
    // A title change reaches the section listing (the tip is on its second page), tag pages
    // and the feed, not the listing's first page.
    let changed = t.rebuild(&[t.edit(
        tip,
        "title = \"Memilih bibit",
        "title = \"Cara memilih bibit",
    )]);
    for f in [
        "tips/page/2/index.html",
        "tips/atom.xml",
        "topik/pertanian/index.html",
    ] {
        assert!(has(&changed, f), "{f} not in {changed:?}");
    }
    assert!(
        changed.iter().any(|f| f.starts_with("tags/")),
        "{changed:?}"
    );
    assert!(!has(&changed, "tips/index.html"), "{changed:?}");
    t.assert_equals_full_build();
    // A new tag reaches the search page's list of tags, counted again, as in a full build.
    let changed = t.rebuild(&[t.edit(
        tip,
        "\"budidaya\", \"mutu\"",
        "\"budidaya\", \"pemasaran baru\"",
    )]);
    assert!(has(&changed, "cari/index.html"), "{changed:?}");
    assert!(t.output("cari/index.html").contains("pemasaran baru"));
    t.assert_equals_full_build();
}

#[test]
fn a_page_and_a_folder_trading_places_with_a_compressed_copy_build_in_one_round() {
    let mut t = SessionTest::new();
    let page = "content/tentang-lama.md";
    let alias = "+++\ntitle = \"Tentang lama\"\naliases = [\"/lama/index.html.gz\"]\n+++\nIsi.\n";
    // An old address kept as a redirect makes the folder lama/index.html.gz/ ...
    t.save(page, alias);
    assert!(t.out.join("lama/index.html.gz/index.html").is_file());
    // ... where the compressed copy of the page goes once it lives at /lama/, and back.
    t.save(
        page,
        "+++\ntitle = \"Tentang lama\"\npath = \"lama\"\n+++\nIsi.\n",
    );
    t.assert_equals_full_build();
    assert!(t.out.join("lama/index.html.gz").is_file());
    t.save(page, alias);
    t.assert_equals_full_build();
    assert!(t.out.join("lama/index.html.gz/index.html").is_file());
}

#[test]
fn a_round_that_failed_on_a_stray_file_in_the_output_recovers_once_it_is_gone() {
    let mut t = SessionTest::new();
    let page = "content/lama.md";
    t.save(
        page,
        "+++\ntitle = \"Lama\"\naliases = [\"/jj.html/\"]\n+++\nIsi.\n",
    );
    // A file the contributor's system put in the output (Finder's .DS_Store) ...
    fs::write(t.out.join("jj.html/.DS_Store"), "x").unwrap();
    let path = t.write(
        page,
        "+++\ntitle = \"Lama\"\naliases = [\"/jj.html\"]\n+++\nIsi.\n",
    );
    let round = t.session.rebuild(std::slice::from_ref(&path));
    assert!(!round.ok(), "the folder holds a file no build made");
    // ... once removed, the next round writes the redirect where the folder was.
    fs::remove_file(t.out.join("jj.html/.DS_Store")).unwrap();
    t.rebuild(&[path]);
    assert!(t.out.join("jj.html").is_file());
    assert!(!t.out.join("jj.html.berdaya-new").exists());
    t.assert_equals_full_build();
}

#[test]
fn pages_added_renamed_deleted_and_hidden() {
    let mut t = SessionTest::new();
    let new = t.write(
        "content/tips/menyimpan-hasil-panen.md",
        "+++\ntitle = \"Menyimpan hasil panen\"\ndate = 2026-02-01\ntopic = \"pertanian\"\n[taxonomies]\ntags = [\"mutu\"]\n+++\n\nSimpan di tempat kering. Lihat [bibit](@/tips/memilih-bibit-rumput-laut.md).\n",
    );
    let changed = t.rebuild(std::slice::from_ref(&new));
    assert!(has(&changed, "tips/menyimpan-hasil-panen/index.html"));
    // Renamed: the old page and its compressed files go.
    let renamed = t.path("content/tips/menyimpan-panen.md");
    fs::rename(&new, &renamed).unwrap();
    let changed = t.rebuild(&[new.clone(), renamed.clone()]);
    assert!(has(&changed, "tips/menyimpan-hasil-panen/index.html"));
    assert!(!t.out.join("tips/menyimpan-hasil-panen/index.html").exists());
    assert!(
        !t.out
            .join("tips/menyimpan-hasil-panen/index.html.br")
            .exists()
    );
    assert!(t.out.join("tips/menyimpan-panen/index.html").exists());
    // Deleting a page others link to is a reported broken link; the output stays as it was.
    let linked = t.path("content/tips/menentukan-harga-jual.md");
    let saved = fs::read_to_string(&linked).unwrap();
    let before = fs::read(t.out.join("tips/menentukan-harga-jual/index.html")).unwrap();
    fs::remove_file(&linked).unwrap();
    let round = t.session.rebuild(std::slice::from_ref(&linked));
    assert!(!round.ok());
    let text = round.diags.render(false);
    assert!(
        text.contains("broken internal link to `@/tips/menentukan-harga-jual.md`"),
        "{text}"
    );
    assert!(
        text.contains("content/pelatihan/seminar-digitalisasi-umkm.md:29"),
        "{text}"
    );
    assert!(round.changed.is_empty());
    assert_eq!(
        fs::read(t.out.join("tips/menentukan-harga-jual/index.html")).unwrap(),
        before
    );
    // Bringing it back clears the error.
    fs::write(&linked, &saved).unwrap();
    t.rebuild(std::slice::from_ref(&linked));
    // Files in hidden folders (an editor's trash) are not pages.
    let trash = t.write("content/.trash/lama.md", "+++\ntitle = \"Lama\"\n+++\n");
    assert!(t.rebuild(std::slice::from_ref(&trash)).is_empty());
    // Editors' leftovers are ignored.
    let junk: Vec<PathBuf> = [
        "content/tips/.x.md.swp",
        "content/tips/x.md~",
        "content/tips/4913",
    ]
    .iter()
    .map(|j| t.write(j, "+++\n"))
    .collect();
    let changed = t.rebuild(&junk);
    assert!(changed.is_empty(), "{changed:?}");
    t.assert_equals_full_build();
}

#[test]
fn edits_made_while_a_build_fails_are_written_once_it_succeeds() {
    let mut t = SessionTest::new();
    // A link to a heading that does not exist yet, then the heading.
    let a = t.path("content/tips/membaca-tabel-pasang-surut.md");
    let a_text = fs::read_to_string(&a).unwrap();
    fs::write(
        &a,
        format!("{a_text}\nLihat [tanda bibit](@/tips/memilih-bibit-rumput-laut.md#tanda-bibit-unggul).\n"),
    )
    .unwrap();
    let round = t.session.rebuild(std::slice::from_ref(&a));
    assert!(!round.ok(), "the heading does not exist yet");
    let b = t.edit(
        "content/tips/memilih-bibit-rumput-laut.md",
        "## Ciri bibit yang sehat",
        "## Tanda bibit unggul",
    );
    t.rebuild(std::slice::from_ref(&b));
    assert!(
        t.output("tips/membaca-tabel-pasang-surut/index.html")
            .contains("#tanda-bibit-unggul"),
        "the failed round's edit is written"
    );
    t.assert_equals_full_build();
}

#[test]
fn a_round_with_a_content_error_also_shows_what_only_drawing_finds() {
    let mut t = SessionTest::new();
    let a = t.edit(
        "content/tips/berjualan-di-marketplace.md",
        "+++\n",
        "+++\nwarna = [\n",
    );
    let b = t.path("content/tips/katalog-whatsapp-business.md");
    let b_text = fs::read_to_string(&b).unwrap();
    fs::write(&b, format!("{b_text}\n{{{{ tidakada(x=1) }}}}\n")).unwrap();
    let round = t.session.rebuild(&[a, b]);
    let text = round.diags.to_string();
    assert!(
        text.contains("content/tips/berjualan-di-marketplace.md:3:7"),
        "{text}"
    );
    assert!(
        text.contains("unknown shortcode `tidakada`")
            && text.contains("content/tips/katalog-whatsapp-business.md:"),
        "{text}"
    );
    assert!(round.changed.is_empty());
}

#[test]
fn a_photo_added_to_static_while_serving_is_published_without_its_camera_data() {
    let mut t = SessionTest::new();
    let photo = t.path("static/foto/sampul.jpg");
    fs::create_dir_all(photo.parent().unwrap()).unwrap();
    fs::copy(repo().join("tests/fixtures/photos/jemur.jpg"), &photo).unwrap();
    let changed = t.rebuild(std::slice::from_ref(&photo));
    assert!(has(&changed, "foto/sampul.jpg"), "{changed:?}");
    let bytes = fs::read(t.out.join("foto/sampul.jpg")).unwrap();
    assert!(!bytes.windows(10).any(|w| w == b"SN-BERDAYA"));
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 1080);
    t.assert_equals_full_build();
}

#[test]
fn a_static_compressed_copy_removed_while_serving_gives_way_to_berdayas_own() {
    let mut t = SessionTest::new();
    let csv = t.write(
        "static/data.csv",
        &"kelurahan,n\nJuata Laut,12\n".repeat(30),
    );
    let gz = t.write("static/data.csv.gz", "the contributor's own");
    t.rebuild(&[csv, gz.clone()]);
    t.session.settle();
    assert_eq!(t.output("data.csv.gz"), "the contributor's own");
    fs::remove_file(&gz).unwrap();
    t.rebuild(std::slice::from_ref(&gz));
    t.assert_equals_full_build();
}

#[test]
fn a_build_run_beside_the_server_leaves_no_record_once_a_round_changes_the_folder() {
    // `berdaya build` in another terminal swaps in a folder and records its compressed files;
    // the server's next round changes that folder in place (here: a static gzip replaces
    // berdaya's). The next build must not take the changed folder for the recorded one.
    let mut t = SessionTest::new();
    t.write(
        "static/data.csv",
        &"kelurahan,n\nJuata Laut,12\n".repeat(30),
    );
    let built = build::build(&options(&t.root)).unwrap();
    assert_eq!(built.reused, 0);
    let gz = t.write("static/data.csv.gz", "the contributor's own");
    t.rebuild(std::slice::from_ref(&gz));
    t.session.settle();
    assert_eq!(t.output("data.csv.gz"), "the contributor's own");
    fs::remove_file(&gz).unwrap();
    let rebuilt = build::build(&options(&t.root)).unwrap();
    assert_eq!(
        rebuilt.reused, 0,
        "the record of the changed folder was used"
    );
    let fresh = tempfile::tempdir().unwrap();
    build::build(&BuildOptions {
        output: Some(fresh.path().join("site")),
        ..options(&t.root)
    })
    .unwrap();
    assert_same_tree(&t.out, &fresh.path().join("site"));
}

#[test]
fn static_files_and_images_come_and_go() {
    let mut t = SessionTest::new();
    // A static robots.txt replaces the generated one, and removing it brings that back.
    let robots = t.write("static/robots.txt", "User-agent: *\nDisallow: /draf/\n");
    t.rebuild(std::slice::from_ref(&robots));
    assert!(t.output("robots.txt").contains("/draf/"));
    fs::remove_file(&robots).unwrap();
    t.rebuild(std::slice::from_ref(&robots));
    assert!(t.output("robots.txt").contains("Sitemap:"));
    // An image beside the pages, added then removed.
    let image = t.path("content/tips/contoh.png");
    image::RgbImage::from_pixel(4, 3, image::Rgb([20, 120, 60]))
        .save(&image)
        .unwrap();
    assert!(has(
        &t.rebuild(std::slice::from_ref(&image)),
        "tips/contoh.png"
    ));
    fs::remove_file(&image).unwrap();
    t.rebuild(std::slice::from_ref(&image));
    assert!(!t.out.join("tips/contoh.png").exists());
    t.assert_equals_full_build();
}

#[test]
fn templates_re_render_only_the_pages_that_use_them() {
    let mut t = SessionTest::new();
    // A partial used by listings re-renders listings, not single pages.
    let changed = t.rebuild(&[t.edit(
        "themes/default/templates/partials/pager.html",
        "class=\"pager\"",
        "class=\"pager pg\"",
    )]);
    assert!(has(&changed, "tips/index.html"), "{changed:?}");
    assert!(
        !has(&changed, "tips/memilih-bibit-rumput-laut/index.html"),
        "{changed:?}"
    );
    // A site template that overrides the theme's partial, added then removed.
    let theme_card =
        fs::read_to_string(t.path("themes/default/templates/partials/card.html")).unwrap();
    let own = t.write(
        "templates/partials/card.html",
        &theme_card.replacen("<", "<div class=\"own\"></div><", 1),
    );
    let changed = t.rebuild(std::slice::from_ref(&own));
    assert!(has(&changed, "tips/index.html"), "{changed:?}");
    fs::remove_file(&own).unwrap();
    t.rebuild(std::slice::from_ref(&own));
    assert!(!t.output("tips/index.html").contains("class=\"own\""));
    t.assert_equals_full_build();
}

#[test]
fn removing_and_restoring_the_search_template_keeps_every_page_and_the_index_right() {
    let mut t = SessionTest::new();
    let search = t.path("themes/default/templates/search.html");
    let template = fs::read_to_string(&search).unwrap();
    // Without a search page, no page links to one and no index is written.
    fs::remove_file(&search).unwrap();
    t.rebuild(std::slice::from_ref(&search));
    assert!(!t.output("index.html").contains("/cari/"));
    t.assert_equals_full_build();
    // A page edited meanwhile is in the index once the template is back.
    let page = t.edit(
        "content/tips/memilih-bibit-rumput-laut.md",
        "\n\n",
        "\n\nKatakunciserve baru.\n\n",
    );
    t.rebuild(std::slice::from_ref(&page));
    fs::write(&search, template).unwrap();
    t.rebuild(std::slice::from_ref(&search));
    assert!(t.output("index.html").contains("/cari/"));
    t.assert_equals_full_build();
}

#[test]
fn a_round_weighs_pages_against_the_budget_as_a_full_build_does() {
    let mut t = SessionTest::new();
    let rel = "content/tips/memilih-bibit-rumput-laut.md";
    let original = fs::read_to_string(t.path(rel)).unwrap();
    // Text that gzip cannot shrink much (distinct numbers): over 14 KB compressed.
    let heavy: String = (0..6000u64)
        .map(|i| format!("{} ", i.wrapping_mul(2_654_435_761) % 1_000_003))
        .collect();
    let page = t.write(rel, &format!("{original}\n{heavy}\n"));
    let round = t.session.rebuild(std::slice::from_ref(&page));
    assert!(!round.ok(), "a page over the budget must fail the round");
    let shown = round.diags.render(false);
    assert!(
        shown.contains("over the budget") && shown.contains("memilih-bibit-rumput-laut"),
        "{shown}"
    );
    // Longer than the budget as text but far under it compressed: no error.
    let light = "Bibit yang sehat tumbuh cepat. ".repeat(800);
    t.rebuild(&[t.write(rel, &format!("{original}\n{light}\n"))]);
    t.assert_equals_full_build();
}

#[test]
fn survey_changes_touch_the_report_not_the_content() {
    let mut t = SessionTest::new();
    let data = t.path("data/survei.csv");
    let csv = fs::read_to_string(&data).unwrap();
    let cut: String = csv.lines().take(3000).map(|l| format!("{l}\n")).collect();
    fs::write(&data, cut).unwrap();
    let changed = t.rebuild(std::slice::from_ref(&data));
    assert!(
        changed.iter().any(|f| f.starts_with("dampak/")),
        "{changed:?}"
    );
    assert!(
        !changed.iter().any(|f| f.starts_with("kisah/")),
        "{changed:?}"
    );
    // The survey file renamed: an error until impact.toml names the new file.
    let renamed = t.path("data/survei-2026.csv");
    fs::rename(&data, &renamed).unwrap();
    let round = t.session.rebuild(&[data.clone(), renamed.clone()]);
    assert!(!round.ok() && round.changed.is_empty());
    assert!(
        round.diags.render(false).contains("survei.csv"),
        "{}",
        round.diags
    );
    assert!(
        t.out.join("dampak/index.html").exists(),
        "the last good output stays"
    );
    let changed = t.rebuild(&[t.edit("data/impact.toml", "\"survei.csv\"", "\"survei-2026.csv\"")]);
    assert!(
        !changed.iter().any(|f| f.starts_with("tips/")),
        "{changed:?}"
    );
    t.assert_equals_full_build();
}

#[test]
fn serve_prints_a_warning_in_full_once_then_counts_it_and_errors_every_round() {
    let site = sample_site();
    let root = site.path();
    let mut session = Session::new(options(root));
    let mut reporter = Reporter::default();
    let first = session.full();
    let survey_warnings = first.diags.warning_count();
    assert!(survey_warnings > 1, "{}", first.diags);
    let report = reporter.next(&first, "Built");
    assert_eq!(report.shown.0.len(), survey_warnings);
    assert!(!report.summary.contains("as before"), "{}", report.summary);

    // A body saved: the survey's warnings are counted, not printed again.
    let page = "content/tips/membaca-prakiraan-cuaca-bmkg.md";
    let round = session.rebuild(&[edit(root, page, "secara gratis", "secara cuma-cuma")]);
    let report = reporter.next(&round, "Rebuilt");
    assert!(report.shown.0.is_empty(), "{}", report.shown);
    assert!(
        report.summary.starts_with("Rebuilt in ")
            && report.summary.ends_with(&format!(
                "; {survey_warnings} warnings as before, not shown again"
            )),
        "{}",
        report.summary
    );

    // A save that changes nothing has nothing to show.
    let unchanged = session.rebuild(&[root.join(page)]);
    assert!(!reporter.next(&unchanged, "Rebuilt").news);
    // A new warning is printed in full, alone, although no output changed (an unknown key).
    let round = session.rebuild(&[edit(root, page, "topic = ", "warna = \"biru\"\ntopic = ")]);
    assert!(
        round.ok() && round.changed.is_empty(),
        "{:?}",
        round.changed
    );
    let report = reporter.next(&round, "Rebuilt");
    assert!(report.news);
    assert_eq!(report.shown.0.len(), 1, "{}", report.shown);
    assert!(
        report.shown.render(false).contains("warna"),
        "{}",
        report.shown
    );

    // An error is printed every round it stays, with a failed round's summary.
    let broken = "[prakiraan](@/tips/tidak-ada.md)";
    for (from, to) in [
        ("secara cuma-cuma", broken),
        ("Membacanya beberapa menit", "Membacanya sebentar"),
    ] {
        let failed = session.rebuild(&[edit(root, page, from, to)]);
        assert!(!failed.ok());
        let report = reporter.next(&failed, "Rebuilt");
        assert_eq!(report.shown.0.len(), 1, "{}", report.shown);
        assert!(report.shown.has_errors() && report.shown.render(false).contains("tidak-ada"));
        assert!(
            report.summary.starts_with("error: build failed (1 error, ")
                && report.summary.contains("as before, not shown again")
                && report
                    .summary
                    .ends_with("still serving the last good output"),
            "{}",
            report.summary
        );
    }

    // A warning that went away and came back is new again.
    let round = session.rebuild(&[edit(root, page, "warna = \"biru\"\n", "")]);
    reporter.next(&round, "Rebuilt");
    let round = session.rebuild(&[edit(root, page, "topic = ", "warna = \"biru\"\ntopic = ")]);
    assert!(
        reporter
            .next(&round, "Rebuilt")
            .shown
            .render(false)
            .contains("warna")
    );
}

#[test]
fn section_and_configuration_changes() {
    let mut t = SessionTest::new();
    t.rebuild(&[t.edit("content/kisah/_index.md", "title = \"", "title = \"Semua ")]);
    t.rebuild(&[t.edit("berdaya.toml", "title = \"", "title = \"Situs ")]);
    // Output settings too: without precompression no .gz or .br stays behind.
    t.rebuild(&[t.edit("berdaya.toml", "precompress = true", "precompress = false")]);
    assert!(!files(&t.out).iter().any(|f| f.ends_with(".br")));
    // The footer's contact is on every page.
    t.rebuild(&[t.edit(
        "berdaya.toml",
        "0812-0000-0100 (nomor",
        "0812-0000-0199 (nomor",
    )]);
    assert!(t.output("index.html").contains("wa.me/6281200000199"));
    assert!(t.output("tips/index.html").contains("wa.me/6281200000199"));
    t.assert_equals_full_build();
}

// ---- The dev server over HTTP ----

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use berdaya::serve::{ServeOptions, Server};

fn start(root: &Path) -> Server {
    Server::start(ServeOptions {
        build: options(root),
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        verbose: false,
    })
    .unwrap()
}

struct Reply {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// Sends `target` verbatim (no client-side path cleaning) and reads the whole reply.
fn get(addr: SocketAddr, target: &str, headers: &str) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{headers}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size =
                usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).unwrap().trim(), 16)
                    .unwrap();
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[line_end + 2..line_end + 2 + size]);
            rest = &rest[line_end + 2 + size + 2..];
        }
        body = out;
    }
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        headers: head,
        body,
    }
}

/// The `data:` lines of the event stream after build `since`, as they arrive.
/// The server's events after version `since` (after the current version when `None`).
fn events(addr: SocketAddr, since: Option<u64>) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(addr).unwrap();
    let query = since.map_or(String::new(), |v| format!("?since={v}"));
    write!(
        s,
        "GET /__berdaya/events{query} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { return };
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            }
            if let Some(data) = line.strip_prefix("data: ")
                && tx.send(format!("{event} {data}")).is_err()
            {
                return;
            }
        }
    });
    // The stream is open once the server answered its headers; give it a moment.
    std::thread::sleep(Duration::from_millis(300));
    rx
}

fn next_event(rx: &mpsc::Receiver<String>) -> String {
    rx.recv_timeout(Duration::from_secs(30))
        .expect("an event within 30 s")
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn dev_server_serves_types_compressed_files_404s_and_nothing_outside_output() {
    let site = sample_site();
    let root = site.path();
    fs::write(root.join("secret.txt"), "TOP-SECRET-7731").unwrap();
    let server = start(root);
    let addr = server.addr;
    assert!(server.status().error.is_none());
    let out = root.join("output");

    let home = get(addr, "/", "Accept-Encoding: br, gzip\r\n");
    assert_eq!(home.status, 200);
    assert!(
        home.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(
        home.header("content-encoding"),
        None,
        "HTML is served with the script added"
    );
    assert!(home.text().contains("EventSource(\"/__berdaya/events"));
    assert!(
        home.text()
            .starts_with(&fs::read_to_string(out.join("index.html")).unwrap())
    );
    // The script is added by the server only: no output file has it.
    for f in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = crate::support::without_theme_search(&fs::read_to_string(out.join(f)).unwrap());
        assert!(
            !html.contains("<script") && !html.contains("__berdaya"),
            "{f}"
        );
    }

    // Precompressed siblings are sent as they are, with the right type.
    let xml = get(addr, "/sitemap.xml", "Accept-Encoding: br\r\n");
    assert_eq!(xml.header("content-encoding").as_deref(), Some("br"));
    assert!(xml.header("content-type").unwrap().contains("xml"));
    assert_eq!(xml.body, fs::read(out.join("sitemap.xml.br")).unwrap());
    let feed = get(addr, "/atom.xml", "Accept-Encoding: gzip\r\n");
    assert_eq!(feed.header("content-encoding").as_deref(), Some("gzip"));
    assert_eq!(gunzip(&feed.body), fs::read(out.join("atom.xml")).unwrap());
    let plain = get(addr, "/atom.xml", "");
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, fs::read(out.join("atom.xml")).unwrap());
    let ics = files(&out)
        .into_iter()
        .find(|f| f.ends_with(".ics"))
        .unwrap();
    let cal = get(addr, &format!("/{ics}"), "");
    assert_eq!(cal.header("content-type").as_deref(), Some("text/calendar"));
    let svg = files(&out).into_iter().find(|f| f.ends_with(".svg"));
    if let Some(svg) = svg {
        let r = get(addr, &format!("/{svg}"), "");
        assert_eq!(r.header("content-type").as_deref(), Some("image/svg+xml"));
    }
    let csv = files(&out)
        .into_iter()
        .find(|f| f.ends_with(".csv"))
        .unwrap();
    assert!(
        get(addr, &format!("/{csv}"), "")
            .header("content-type")
            .unwrap()
            .starts_with("text/csv")
    );
    // A folder without its slash is redirected to it.
    let tips = get(addr, "/tips", "");
    assert!(matches!(tips.status, 301 | 307 | 308), "{}", tips.status);
    assert_eq!(tips.header("location").as_deref(), Some("/tips/"));

    // The site's own 404 pages, per language.
    let missing = get(addr, "/tidak-ada/", "");
    assert_eq!(missing.status, 404);
    assert!(
        missing
            .text()
            .starts_with(&fs::read_to_string(out.join("404.html")).unwrap())
    );
    let missing_en = get(addr, "/en/nothing-here/", "");
    assert_eq!(missing_en.status, 404);
    assert!(
        missing_en
            .text()
            .starts_with(&fs::read_to_string(out.join("en/404.html")).unwrap())
    );

    // Nothing outside output/, however the path is written.
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/tips/../../secret.txt",
        "/tips/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "//secret.txt",
        "/%2fsecret.txt",
        "http://localhost/../secret.txt",
        &format!("/{}", root.join("secret.txt").display()),
        &format!("/%2f{}", root.join("secret.txt").display()),
    ] {
        let r = get(addr, target, "");
        assert!(
            !r.text().contains("TOP-SECRET-7731"),
            "{target} escaped the output folder"
        );
        assert!(r.status >= 400, "{target}: {}", r.status);
    }
    server.stop();
}

/// Saves `text` as an editor with atomic saves does: a temporary file renamed over the page.
fn save_by_rename(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.goutputstream-X1",
        path.file_name().unwrap().to_string_lossy()
    ));
    fs::write(&tmp, text).unwrap();
    fs::rename(&tmp, path).unwrap();
}

/// Saves as Vim does: probe file `4913`, the old file kept as `x~`, the new one written, the
/// backup removed.
fn save_like_vim(path: &Path, text: &str) {
    let dir = path.parent().unwrap();
    fs::write(dir.join("4913"), "").unwrap();
    fs::remove_file(dir.join("4913")).unwrap();
    let backup = path.with_file_name(format!("{}~", path.file_name().unwrap().to_string_lossy()));
    fs::rename(path, &backup).unwrap();
    fs::write(path, text).unwrap();
    fs::remove_file(&backup).unwrap();
}

#[test]
fn saving_reloads_the_page_and_errors_show_on_it_until_fixed() {
    let site = crate::support::fixture("valid");
    let root = site.path();
    let server = start(root);
    let addr = server.addr;
    let rx = events(addr, Some(server.status().version));
    let page = root.join("content/tips/cuaca.md");
    let original = fs::read_to_string(&page).unwrap();
    let out_file = root.join("output/tips/cuaca/index.html");
    let reloads = |want: &str| {
        let e = next_event(&rx);
        assert!(e.starts_with("reload "), "{e}");
        assert!(e.contains(&format!("\"{want}\"")), "{want} not in {e}");
        e
    };

    save_like_vim(&page, &original.replace("\n\n", "\n\nKabar dari Vim.\n\n"));
    reloads("/tips/cuaca/");
    assert!(
        get(addr, "/tips/cuaca/", "")
            .text()
            .contains("Kabar dari Vim.")
    );

    save_by_rename(
        &page,
        &original.replace("\n\n", "\n\nKabar dari editor lain.\n\n"),
    );
    reloads("/tips/cuaca/");
    assert!(
        get(addr, "/tips/cuaca/", "")
            .text()
            .contains("Kabar dari editor lain.")
    );

    // Many writes from one save make one rebuild with the final text.
    for i in 0..5 {
        fs::write(
            &page,
            original.replace("\n\n", &format!("\n\nSimpan {i}.\n\n")),
        )
        .unwrap();
    }
    reloads("/tips/cuaca/");
    assert!(get(addr, "/tips/cuaca/", "").text().contains("Simpan 4."));
    assert!(
        rx.recv_timeout(Duration::from_millis(600)).is_err(),
        "one save, one reload"
    );

    // Swap and backup files alone change nothing.
    fs::write(root.join("content/tips/.cuaca.md.swp"), "x").unwrap();
    fs::write(root.join("content/tips/cuaca.md~"), "x").unwrap();
    assert!(rx.recv_timeout(Duration::from_millis(600)).is_err());

    // A broken file: the error goes to open pages and stays on every page served; the last
    // good output stays.
    let good = fs::read(&out_file).unwrap();
    fs::write(&page, original.replacen("title = \"", "title = ", 1)).unwrap();
    let e = next_event(&rx);
    assert!(e.starts_with("error "), "{e}");
    assert!(e.contains("content/tips/cuaca.md:2:"), "{e}");
    assert!(server.status().error.is_some());
    let shown = get(addr, "/tips/cuaca/", "").text();
    assert!(shown.contains("<div id=\"berdaya-error\""));
    assert!(shown.contains("content/tips/cuaca.md:2:"));
    assert!(
        get(addr, "/", "")
            .text()
            .contains("<div id=\"berdaya-error\"")
    );
    assert_eq!(fs::read(&out_file).unwrap(), good);

    // Saving the fix clears it.
    fs::write(&page, &original).unwrap();
    reloads("/tips/cuaca/");
    assert!(server.status().error.is_none());
    assert!(
        !get(addr, "/tips/cuaca/", "")
            .text()
            .contains("<div id=\"berdaya-error\"")
    );

    // Stopping ends the open event stream instead of waiting for it.
    server.stop();
    assert!(rx.recv_timeout(Duration::from_secs(5)).is_err());
}

/// `berdaya serve --port 0` started as a user would: in `dir`, with `args` before `serve`.
/// Returns the process, its remaining output lines and the address it serves at.
fn serve_command(
    dir: &Path,
    args: &[&str],
) -> (
    std::process::Child,
    std::io::Lines<BufReader<std::process::ChildStdout>>,
    SocketAddr,
) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_berdaya"))
        .current_dir(dir)
        .args(args)
        .args(["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let serving = lines
        .find_map(|l| l.ok().filter(|l| l.starts_with("Serving at ")))
        .expect("the address is printed");
    let addr: SocketAddr = serving
        .trim_start_matches("Serving at http://")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (child, lines, addr)
}

fn interrupt(child: &mut std::process::Child) -> std::process::ExitStatus {
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    child.wait().unwrap()
}

#[test]
fn serve_command_stops_cleanly_on_ctrl_c() {
    let site = crate::support::fixture("valid");
    let (mut child, mut lines, addr) = serve_command(
        &std::env::temp_dir(),
        &["--root", site.path().to_str().unwrap()],
    );
    assert!(addr.ip().is_loopback(), "loopback unless told otherwise");
    assert_eq!(get(addr, "/", "").status, 200);
    let _stream = events(addr, Some(1));
    let status = interrupt(&mut child);
    assert!(status.success(), "{status}");
    assert!(lines.any(|l| l.is_ok_and(|l| l == "Stopped.")));
}

#[test]
fn serve_command_run_inside_the_site_folder_rebuilds_on_save() {
    // The usual way: `berdaya serve` in the site's folder, which is then `.`; the system names
    // changed files by their absolute path.
    // Also `--root ../site` from a folder beside it and `--root ..` from a folder inside it
    // (the system keeps the `..`).
    let beside = tempfile::tempdir().unwrap();
    for from in ["site", "beside", "inside"] {
        let site = crate::support::fixture("valid");
        let up = format!("../{}", site.path().file_name().unwrap().to_str().unwrap());
        let inside = site.path().join("content");
        let (dir, args) = match from {
            "beside" => (beside.path(), vec!["--root", up.as_str()]),
            "inside" => (inside.as_path(), vec!["--root", ".."]),
            _ => (site.path(), vec![]),
        };
        let (mut child, _lines, addr) = serve_command(dir, &args);
        let rx = events(addr, None);
        let page = site.path().join("content/tips/cuaca.md");
        let original = fs::read_to_string(&page).unwrap();
        fs::write(
            &page,
            original.replace("\n\n", "\n\nKabar dari folder situs.\n\n"),
        )
        .unwrap();
        let e = next_event(&rx);
        assert!(
            e.starts_with("reload ") && e.contains("\"/tips/cuaca/\""),
            "{args:?}: {e}"
        );
        assert!(
            get(addr, "/tips/cuaca/", "")
                .text()
                .contains("Kabar dari folder situs.")
        );
        assert!(interrupt(&mut child).success());
    }
}

#[test]
fn incremental_rounds_sanitise_pasted_html_and_refuse_colliding_aliases() {
    let site = sample_site();
    let root = site.path();
    let mut session = Session::new(options(root));
    assert!(session.full().ok());
    let tip = "content/tips/menjemur-rumput-laut/index.md";
    // A body edit with a pasted script: one located warning, the page has no script.
    let path = edit(
        root,
        tip,
        "<!-- more -->",
        "<!-- more -->\n\n<script>alert(1)</script><b onclick=\"x()\">Tebal</b>\n",
    );
    let round = session.rebuild(std::slice::from_ref(&path));
    assert!(round.ok(), "{}", round.diags);
    let text = round.diags.to_string();
    assert!(
        text.contains("removed `<script>` and its content"),
        "{text}"
    );
    assert!(text.contains("removed the `onclick=\"x()\"` attribute of `<b>`"));
    let html =
        fs::read_to_string(root.join("output/tips/menjemur-rumput-laut/index.html")).unwrap();
    assert!(!html.contains("<script") && !html.contains("onclick") && html.contains("Tebal"));
    // An alias that another, unchanged page already is: an error naming both; output kept.
    let before = fs::read(root.join("output/tips/index.html")).unwrap();
    let path = edit(root, tip, "title = ", "aliases = [\"/tips/\"]\ntitle = ");
    let round = session.rebuild(std::slice::from_ref(&path));
    assert!(!round.ok());
    let text = round.diags.to_string();
    assert!(
        text.contains(&format!(
            "{tip} and the listing of content/tips/_index.md both make /tips/"
        )),
        "{text}"
    );
    assert_eq!(
        fs::read(root.join("output/tips/index.html")).unwrap(),
        before
    );
    // The fix builds again, and the result equals a full build of the same files.
    let path = edit(root, tip, "aliases = [\"/tips/\"]\n", "");
    rebuild(&mut session, &[path]);
    let full = tempfile::tempdir().unwrap();
    build::build(&BuildOptions {
        output: Some(full.path().join("out")),
        ..options(root)
    })
    .unwrap_or_else(|d| panic!("{d}"));
    assert_same_tree(&root.join("output"), &full.path().join("out"));
}

#[test]
fn a_site_under_a_sub_path_is_served_under_it() {
    let site = crate::support::fixture("bilingual");
    let config = site.path().join("berdaya.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("https://contoh.test/", "https://contoh.test/berdaya");
    std::fs::write(&config, text).unwrap();
    let server = start(site.path());
    assert_eq!(server.prefix, "/berdaya");
    let home = get(server.addr, "/berdaya/", "");
    assert_eq!(home.status, 200);
    assert!(
        home.text().contains("href=/berdaya/tips/"),
        "{}",
        home.text()
    );
    assert!(
        home.text().contains(".slice(\"/berdaya\".length)"),
        "reload script knows the path"
    );
    assert_eq!(get(server.addr, "/berdaya/tips/", "").status, 200);
    let root = get(server.addr, "/", "");
    assert_eq!(root.status, 307);
    assert_eq!(root.header("location").as_deref(), Some("/berdaya/"));
    // Outside the path: the site's 404 page, as its host would answer.
    let outside = get(server.addr, "/tips/", "");
    assert_eq!(outside.status, 404);
    assert!(outside.text().contains("<h1>"), "{}", outside.text());
}

#[test]
fn the_dev_server_never_installs_the_service_worker() {
    let site = fixture("valid");
    crate::support::append_config(
        site.path(),
        "[offline]
service_worker = true",
    );
    let server = start(site.path());
    let sw = get(server.addr, "/sw.js", "");
    assert_eq!(sw.status, 404, "{}", sw.text());
    // The built file is there: only the server refuses it.
    assert!(
        std::fs::read_to_string(site.path().join("output/sw.js"))
            .unwrap()
            .contains("caches.open")
    );
}
