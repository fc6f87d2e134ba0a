//! `berdaya new tip|workshop|story|page "Judul"`: a new markdown file with valid front matter.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::common::diagnostics::Diagnostic;
use crate::config::Config;
use crate::content::Kind;

/// Folder of a kind when no section declares it.
fn default_dir(kind: Kind) -> &'static str {
    match kind {
        Kind::Tip => "tips",
        Kind::Workshop => "pelatihan",
        Kind::Story => "kisah",
        Kind::Page => "",
    }
}

/// Finds the folder whose `_index.md` declares `kind = "..."`.
fn section_dir(root: &Path, kind: Kind) -> String {
    let content = root.join("content");
    for e in walkdir::WalkDir::new(&content).into_iter().flatten() {
        if e.file_name() != "_index.md" {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        let source = crate::common::diagnostics::Source::new(e.path(), text);
        let declares = crate::content::frontmatter::parse(&source)
            .is_ok_and(|fm| fm.table.get("kind").and_then(|k| k.as_str()) == Some(kind.name()));
        if declares {
            let dir = e
                .path()
                .parent()
                .and_then(|p| p.strip_prefix(&content).ok())
                .unwrap_or(Path::new(""));
            return dir.to_string_lossy().replace('\\', "/");
        }
    }
    default_dir(kind).to_string()
}

/// Writes the new file and returns its path.
pub fn new_content(
    root: &Path,
    config: &Config,
    kind: Kind,
    title: &str,
    now: Timestamp,
) -> Result<PathBuf, Diagnostic> {
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::error("the title gives an empty file name")
            .help("use a title with letters or digits, e.g. \"Menjemur rumput laut\""));
    }
    let dir = section_dir(root, kind);
    let folder = root.join("content").join(&dir);
    let path = folder.join(format!("{slug}.md"));
    if path.exists() {
        return Err(
            Diagnostic::error(format!("{} already exists", path.display()))
                .help("choose another title, or edit the existing file"),
        );
    }
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(config.timezone.offset_hours));
    let today = now.to_zoned_datetime(tz).date();
    let title_q = toml_string(title);
    let vocab_keys = |name: &str| -> Vec<String> {
        config
            .vocab
            .get(name)
            .map(|v| v.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut fm = format!(
        "+++\ntitle = {title_q}\n# ringkasan satu kalimat untuk daftar dan mesin pencari\ndescription = \"\"\ndate = {today}\n# draf: tidak diterbitkan sampai baris ini dihapus atau diubah menjadi draft = false\ndraft = true\n"
    );
    match kind {
        Kind::Page => fm.push_str("weight = 50\n"),
        Kind::Tip => {
            let topics = vocab_keys("topic");
            fm.push_str(&format!(
                "# topik: salah satu dari {}\ntopic = \"{}\"\n# musim (boleh dikosongkan): salah satu dari {}\n# season = \"\"\n\n[taxonomies]\ntags = []\n",
                topics.join(", "),
                topics.first().map_or("", String::as_str),
                vocab_keys("season").join(", ")
            ));
        }
        Kind::Workshop => {
            let start = today
                .checked_add(jiff::Span::new().days(14))
                .unwrap_or(today);
            let kelurahan = config
                .places
                .values()
                .flatten()
                .next()
                .cloned()
                .unwrap_or_default();
            fm.push_str(&format!(
                "# waktu setempat ({}); ganti dengan waktu sebenarnya\nstart = {start}T09:00\nend = {start}T12:00\nvenue = \"Aula Kantor Kelurahan {kelurahan}\"\n# kelurahan: salah satu dari {}\nkelurahan = \"{kelurahan}\"\norganiser = \"\"\ncapacity = 30\n# biaya dalam rupiah; 0 berarti gratis\ncost = 0\n# cara mendaftar; nomor telepon atau WhatsApp menjadi tautan\nregister = \"Datang langsung ke kantor kelurahan\"\n\n[taxonomies]\ntags = []\n",
                config.timezone.abbreviation,
                config.places.values().flatten().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        Kind::Story => {
            let sectors = vocab_keys("sector");
            let kecamatan = config.places.keys().next().cloned().unwrap_or_default();
            fm.push_str(&format!(
                "group = \"\"\n# sektor: salah satu dari {}\nsector = \"{}\"\n# kecamatan: salah satu dari {}\nkecamatan = \"{kecamatan}\"\nchannels = [\"WhatsApp Business\"]\n\n# angka sebelum dan sesudah; salin blok ini untuk angka lain\n[[changes]]\nlabel = \"Omzet per bulan\"\nbefore = 0\nafter = 0\nunit = \"Rp\"\n\n[taxonomies]\ntags = []\n",
                sectors.join(", "),
                sectors.first().map_or("", String::as_str),
                config.places.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    fm = fm
        .replace("group = \"\"", &format!("group = {title_q}"))
        .replace(
            "organiser = \"\"",
            "organiser = \"Pemerintah Kota Tarakan\"",
        );
    fm.push_str("+++\n\nTulis paragraf pembuka di sini.\n\n<!-- more -->\n\n## Bagian pertama\n\nIsi tulisan.\n");
    std::fs::create_dir_all(&folder)
        .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", folder.display())))?;
    std::fs::write(&path, fm)
        .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
