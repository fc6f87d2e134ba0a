//! Writes the benchmark corpus: N markdown pages of about 500 words with 50 tags, listings
//! paginated by 20, as a berdaya site and as the equivalent Hugo site.
//!
//! `cargo run --release --example bench_corpus -- DIR [PAGES]` (default 10000 pages).
//! Deterministic: the same N gives the same files.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const WORDS: &[&str] = &[
    "rumput",
    "laut",
    "nelayan",
    "ponsel",
    "harga",
    "pasar",
    "cuaca",
    "angin",
    "jemur",
    "panen",
    "ikan",
    "perahu",
    "kelompok",
    "usaha",
    "pelatihan",
    "kelurahan",
    "pesisir",
    "tali",
    "bibit",
    "ombak",
    "pasang",
    "surut",
    "katalog",
    "pembeli",
    "kiriman",
    "kualitas",
    "kering",
    "basah",
    "musim",
    "hujan",
    "kemarau",
    "aplikasi",
    "pesan",
    "foto",
    "produk",
    "toko",
    "daring",
    "transfer",
    "aman",
    "penipuan",
    "tabungan",
    "catatan",
    "modal",
    "untung",
    "tetangga",
    "anak",
    "ibu",
    "bapak",
    "pagi",
    "sore",
    "dan",
    "di",
    "ke",
    "yang",
    "untuk",
    "dengan",
    "agar",
    "lebih",
    "tidak",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() as usize % items.len()]
    }
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            s.push_str(&c.next().unwrap().to_uppercase().collect::<String>());
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

/// About 500 words of markdown: paragraphs, two headings, a list, a link.
fn body(rng: &mut Rng, n: usize, total: usize) -> String {
    let mut b = String::new();
    b.push_str(&sentence(rng, 40));
    b.push_str("\n\n<!-- more -->\n\n");
    for h in 0..2 {
        let _ = writeln!(b, "## {}\n", sentence(rng, 3).trim_end_matches('.'));
        for _ in 0..3 {
            let _ = writeln!(
                b,
                "{} {} {}\n",
                sentence(rng, 20),
                sentence(rng, 25),
                sentence(rng, 20)
            );
        }
        if h == 0 {
            for _ in 0..4 {
                let _ = writeln!(b, "- {}", sentence(rng, 6));
            }
            b.push('\n');
        }
    }
    let other = (n * 7 + 3) % total;
    let _ = writeln!(b, "Baca juga [halaman {other}](LINK{other:05}).");
    b
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: bench_corpus DIR [PAGES]");
    let pages: usize = args
        .next()
        .map_or(10_000, |n| n.parse().expect("PAGES is a number"));
    let dir = Path::new(&dir);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let _ = fs::remove_dir_all(dir);
    let css = fs::read_to_string(repo.join("themes/default/style.css")).unwrap();

    // berdaya site.
    let b = dir.join("berdaya");
    write(
        &b.join("berdaya.toml"),
        "title = \"Bench\"\nbase_url = \"https://bench.test\"\nauthor = \"Bench\"\n\n[[taxonomies]]\nname = \"tags\"\npaginate_by = 20\ntitle = { id = \"Label\" }\n",
    );
    write(
        &b.join("content/_index.md"),
        "+++\ntitle = \"Bench\"\n+++\n\nBeranda.\n",
    );
    write(
        &b.join("content/blog/_index.md"),
        "+++\ntitle = \"Blog\"\npaginate_by = 20\nweight = 1\n+++\n",
    );
    copy_theme(&repo.join("themes"), &b.join("themes"));

    // Hugo site with the same pages, the same CSS inlined, minified output.
    let h = dir.join("hugo");
    write(
        &h.join("config.toml"),
        "baseURL = \"https://bench.test/\"\ntitle = \"Bench\"\nlanguageCode = \"id\"\npaginate = 20\ndisableKinds = []\n[taxonomies]\ntag = \"tags\"\n[minify]\nminifyOutput = true\n[markup.goldmark.renderer]\nunsafe = true\n",
    );
    write(
        &h.join("content/_index.md"),
        "---\ntitle: Bench\n---\n\nBeranda.\n",
    );
    write(&h.join("content/blog/_index.md"), "---\ntitle: Blog\n---\n");
    write(
        &h.join("layouts/_default/baseof.html"),
        &format!(
            "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{{{{ .Title }}}} · {{{{ .Site.Title }}}}</title><meta name=\"description\" content=\"{{{{ .Description }}}}\"><link rel=\"canonical\" href=\"{{{{ .Permalink }}}}\"><style>{css}</style></head><body><a class=\"skip\" href=\"#isi\">Langsung ke isi</a><header class=\"site\"><a class=\"brand\" href=\"/\">{{{{ .Site.Title }}}}</a><nav><ul><li><a href=\"/blog/\">Blog</a></li></ul></nav></header><main id=\"isi\">{{{{ block \"main\" . }}}}{{{{ end }}}}</main><footer class=\"site\"><p>Situs ringan.</p></footer></body></html>\n"
        ),
    );
    write(
        &h.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><p class=\"meta\"><time datetime=\"{{ .Date.Format \"2006-01-02\" }}\">{{ .Date.Format \"2 January 2006\" }}</time> · {{ .ReadingTime }} menit baca</p>{{ .Content }}<p class=\"meta\">Label: {{ range $i, $t := .Params.tags }}{{ if $i }}, {{ end }}<a href=\"{{ \"/tags/\" | relURL }}{{ $t | urlize }}/\">{{ $t }}</a>{{ end }}</p></article>{{ end }}\n",
    );
    write(
        &h.join("layouts/_default/list.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul class=\"cards\">{{ range .Paginator.Pages }}<li><h2><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h2><p class=\"meta\">{{ .Date.Format \"2 January 2006\" }}</p>{{ .Summary }}</li>{{ end }}</ul>{{ with .Paginator }}<nav class=\"pager\">{{ if .HasPrev }}<a href=\"{{ .Prev.URL }}\">Sebelumnya</a>{{ end }} {{ .PageNumber }} / {{ .TotalPages }} {{ if .HasNext }}<a href=\"{{ .Next.URL }}\">Berikutnya</a>{{ end }}</nav>{{ end }}{{ end }}\n",
    );
    write(
        &h.join("layouts/_default/terms.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}\n",
    );

    let tags: Vec<String> = (0..50).map(|i| format!("label {i:02}")).collect();
    let mut rng = Rng(42);
    for n in 0..pages {
        let text = body(&mut rng, n, pages);
        let title = sentence(&mut rng, 4).trim_end_matches('.').to_string();
        let t1 = &tags[rng.next() as usize % 50];
        let t2 = &tags[rng.next() as usize % 50];
        // Dates in the past (Hugo skips future pages): one an hour from 2020-01-01.
        let days = n / 24;
        let (year, month, day) = (2020 + days / 336, 1 + (days / 28) % 12, 1 + days % 28);
        let date = format!("{year}-{month:02}-{day:02}T{:02}:00:00+08:00", n % 24);
        let name = format!("p{n:05}");
        let tag_list = if t1 == t2 {
            format!("\"{t1}\"")
        } else {
            format!("\"{t1}\", \"{t2}\"")
        };
        let berdaya_body = link(&text, "@/blog/p", ".md");
        write(
            &b.join(format!("content/blog/{name}.md")),
            &format!(
                "+++\ntitle = \"{title}\"\ndescription = \"Halaman uji {n}.\"\ndate = {date}\n[taxonomies]\ntags = [{tag_list}]\n+++\n\n{berdaya_body}"
            ),
        );
        let hugo_body = link(&text, "/blog/p", "/");
        write(
            &h.join(format!("content/blog/{name}.md")),
            &format!(
                "+++\ntitle = \"{title}\"\ndescription = \"Halaman uji {n}.\"\ndate = {date}\ntags = [{tag_list}]\n+++\n\n{}",
                hugo_body.replace("<!-- more -->", "<!--more-->")
            ),
        );
    }
    println!(
        "wrote {pages} pages to {}/berdaya and {}/hugo",
        dir.display(),
        dir.display()
    );
}

/// Turns the `LINK00042` placeholder into `{prefix}00042{suffix}`.
fn link(text: &str, prefix: &str, suffix: &str) -> String {
    match text.find("LINK") {
        Some(i) => format!(
            "{}{prefix}{}{suffix}{}",
            &text[..i],
            &text[i + 4..i + 9],
            &text[i + 9..]
        ),
        None => text.to_string(),
    }
}

fn copy_theme(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}
