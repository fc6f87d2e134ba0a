//! Writes a benchmark corpus as a berdaya site (`DIR/berdaya`) and as the equivalent Hugo site
//! (`DIR/hugo`), in one of two shapes:
//!
//! - `blog` (the default): N pages of about 500 words in one section, TOML front matter, 2 of
//!   50 tags, listings paginated by 20.
//! - `docs`: N pages of 200-2,000 words (and one page in 2,000 of about 25,000 words) in three
//!   levels of sections (8 x 4 x 3), YAML front matter, headings, tables, code spans and blocks,
//!   ordered lists and quotes, 2-3 of 200 tags and one of 6 categories, so every category runs
//!   to many pages of its listing; every listing paginated by 20.
//!
//! `cargo run --release --example bench_corpus -- DIR [PAGES] [blog|docs]` (default 10000
//! pages, blog). Deterministic: the same arguments give the same files.

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
    let dir = args
        .next()
        .expect("usage: bench_corpus DIR [PAGES] [blog|docs]");
    let pages: usize = args
        .next()
        .map_or(10_000, |n| n.parse().expect("PAGES is a number"));
    let shape = args.next().unwrap_or_else(|| "blog".into());
    let dir = Path::new(&dir);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let _ = fs::remove_dir_all(dir);
    let css = fs::read_to_string(repo.join("themes/default/style.css")).unwrap();
    match shape.as_str() {
        "blog" => blog(dir, pages, repo, &css),
        "docs" => docs(dir, pages, repo, &css),
        other => panic!("unknown shape {other}: blog or docs"),
    }
}

/// Hugo's layouts, shared by both shapes: the berdaya theme's CSS inlined, a page, a listing
/// (sections and taxonomy terms, paginated) and a taxonomy's term list.
fn hugo_layouts(h: &Path, css: &str, nav: &str) {
    write(
        &h.join("layouts/_default/baseof.html"),
        &format!(
            "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{{{{ .Title }}}} · {{{{ .Site.Title }}}}</title><meta name=\"description\" content=\"{{{{ .Description }}}}\"><link rel=\"canonical\" href=\"{{{{ .Permalink }}}}\"><style>{css}</style></head><body><a class=\"skip\" href=\"#isi\">Langsung ke isi</a><header class=\"site\"><a class=\"brand\" href=\"/\">{{{{ .Site.Title }}}}</a><nav><ul>{nav}</ul></nav></header><main id=\"isi\">{{{{ block \"main\" . }}}}{{{{ end }}}}</main><footer class=\"site\"><p>Situs ringan.</p></footer></body></html>\n"
        ),
    );
    write(
        &h.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><p class=\"meta\"><time datetime=\"{{ .Date.Format \"2006-01-02\" }}\">{{ .Date.Format \"2 January 2006\" }}</time> · {{ .ReadingTime }} menit baca</p>{{ .Content }}<p class=\"meta\">Label: {{ range $i, $t := .Params.tags }}{{ if $i }}, {{ end }}<a href=\"{{ \"/tags/\" | relURL }}{{ $t | urlize }}/\">{{ $t }}</a>{{ end }}</p></article>{{ end }}\n",
    );
    write(
        &h.join("layouts/_default/list.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul class=\"cards\">{{ range .Paginator.Pages }}<li><h2><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h2><p class=\"meta\">{{ .Date.Format \"2 January 2006\" }}</p>{{ .Summary }}</li>{{ end }}</ul>{{ with .Paginator }}<nav class=\"pager\">{{ if .HasPrev }}<a href=\"{{ .Prev.URL }}\">Sebelumnya</a>{{ end }} {{ .PageNumber }} / {{ .TotalPages }} {{ if .HasNext }}<a href=\"{{ .Next.URL }}\">Berikutnya</a>{{ end }}</nav>{{ end }}{{ end }}\n",
    );
    write(
        &h.join("layouts/_default/terms.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}\n",
    );
}

fn blog(dir: &Path, pages: usize, repo: &Path, css: &str) {
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
    hugo_layouts(&h, css, "<li><a href=\"/blog/\">Blog</a></li>");

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

/// Section path of leaf section `i` (0..96): `docs/s3/s3-1/s3-1-2`.
fn leaf(i: usize) -> String {
    let (a, b, c) = (i / 12, (i / 3) % 4, i % 3);
    format!("docs/s{a}/s{a}-{b}/s{a}-{b}-{c}")
}

/// Where page `n` lives: most pages in leaf sections, every seventh in a middle section.
fn docs_page_path(n: usize) -> String {
    let l = leaf(n % 96);
    if n.is_multiple_of(7) {
        let middle = &l[..l.rfind('/').unwrap()];
        format!("{middle}/d{n:05}")
    } else {
        format!("{l}/d{n:05}")
    }
}

/// A docs page of about `words` words: headings, paragraphs with code spans, emphasis and links,
/// tables, a fenced code block, ordered lists and quotes. `LINKnnnnn` marks a link to page nnnnn.
fn docs_body(rng: &mut Rng, n: usize, total: usize, words: usize) -> String {
    let mut b = String::new();
    b.push_str(&sentence(rng, 30));
    b.push_str("\n\n<!-- more -->\n\n");
    let mut written = 30;
    let mut part = 0;
    while written < words {
        let level = if part % 3 == 0 { "##" } else { "###" };
        let _ = writeln!(b, "{level} {}\n", sentence(rng, 3).trim_end_matches('.'));
        for _ in 0..2 {
            let code = rng.pick(WORDS);
            let strong = rng.pick(WORDS);
            let _ = writeln!(
                b,
                "{} Gunakan `{code}_{}` lalu **{strong}** dan *{}*. {}\n",
                sentence(rng, 18),
                rng.next() % 100,
                rng.pick(WORDS),
                sentence(rng, 22)
            );
            written += 45;
        }
        match part % 4 {
            0 => {
                b.push_str("| Langkah | Alat | Waktu | Catatan |\n|---|:---:|---:|---|\n");
                for r in 0..5 {
                    let _ = writeln!(
                        b,
                        "| {} | `{}` | {} menit | {} |",
                        r + 1,
                        rng.pick(WORDS),
                        rng.next() % 90,
                        sentence(rng, 4)
                    );
                }
                b.push('\n');
                written += 35;
            }
            1 => {
                b.push_str("```text\n");
                for _ in 0..4 {
                    let _ = writeln!(b, "{} = {}", rng.pick(WORDS), rng.next() % 1000);
                }
                b.push_str("```\n\n");
                written += 8;
            }
            2 => {
                for i in 0..4 {
                    let _ = writeln!(b, "{}. {}", i + 1, sentence(rng, 7));
                }
                b.push('\n');
                written += 28;
            }
            _ => {
                let other = (n * 13 + part * 101 + 5) % total;
                let _ = writeln!(
                    b,
                    "> {} Lihat [panduan {other}](LINK{other:05}).\n",
                    sentence(rng, 15)
                );
                written += 18;
            }
        }
        part += 1;
    }
    b
}

/// Replaces every `LINKnnnnn` with the address of page nnnnn made by `to`.
fn links(text: &str, to: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(i) = rest.find("LINK") {
        out.push_str(&rest[..i]);
        let n: usize = rest[i + 4..i + 9].parse().unwrap();
        out.push_str(&to(n));
        rest = &rest[i + 9..];
    }
    out.push_str(rest);
    out
}

fn docs(dir: &Path, pages: usize, repo: &Path, css: &str) {
    let (b, h) = (dir.join("berdaya"), dir.join("hugo"));
    // Pages of 25,000 words are over any gzip budget: the budget is raised for the benchmark.
    write(
        &b.join("berdaya.toml"),
        "title = \"Bench\"\nbase_url = \"https://bench.test\"\nauthor = \"Bench\"\n\n[build]\npage_budget_kb = 4000\n\n[[taxonomies]]\nname = \"tags\"\npaginate_by = 20\ntitle = { id = \"Label\" }\n\n[[taxonomies]]\nname = \"categories\"\npaginate_by = 20\ntitle = { id = \"Kategori\" }\n",
    );
    write(
        &b.join("content/_index.md"),
        "---\ntitle: Bench\n---\n\nBeranda.\n",
    );
    copy_theme(&repo.join("themes"), &b.join("themes"));
    write(
        &h.join("config.toml"),
        "baseURL = \"https://bench.test/\"\ntitle = \"Bench\"\nlanguageCode = \"id\"\npaginate = 20\n[taxonomies]\ntag = \"tags\"\ncategory = \"categories\"\n[minify]\nminifyOutput = true\n[markup.goldmark.renderer]\nunsafe = true\n",
    );
    write(
        &h.join("content/_index.md"),
        "---\ntitle: Bench\n---\n\nBeranda.\n",
    );
    hugo_layouts(&h, css, "<li><a href=\"/docs/\">Panduan</a></li>");

    // Sections at three levels, each with an introduction, listings paginated by 20.
    let mut sections = vec!["docs".to_string()];
    for i in 0..96 {
        let l = leaf(i);
        let parts: Vec<&str> = l.split('/').collect();
        for depth in 2..=parts.len() {
            let s = parts[..depth].join("/");
            if !sections.contains(&s) {
                sections.push(s);
            }
        }
    }
    for (i, s) in sections.iter().enumerate() {
        let front = format!(
            "---\ntitle: Bagian {s}\nweight: {i}\n---\n\nPanduan bagian {s}: langkah demi langkah.\n"
        );
        write(
            &b.join(format!("content/{s}/_index.md")),
            &front.replacen("---\n\n", "paginate_by: 20\n---\n\n", 1),
        );
        write(&h.join(format!("content/{s}/_index.md")), &front);
    }

    let tags: Vec<String> = (0..200).map(|i| format!("topik {i:03}")).collect();
    let categories = [
        "rumput laut",
        "perikanan",
        "usaha kecil",
        "pemasaran daring",
        "keuangan",
        "pelatihan",
    ];
    let mut rng = Rng(7);
    for n in 0..pages {
        let words = if n % 2000 == 1999 {
            25_000
        } else {
            200 + (rng.next() as usize % 1801)
        };
        let text = docs_body(&mut rng, n, pages, words);
        let title = sentence(&mut rng, 5).trim_end_matches('.').to_string();
        let count = 2 + (rng.next() as usize % 2);
        let mut mine: Vec<&str> = Vec::new();
        while mine.len() < count {
            let t = &tags[rng.next() as usize % tags.len()];
            if !mine.contains(&t.as_str()) {
                mine.push(t);
            }
        }
        let category = categories[rng.next() as usize % categories.len()];
        let days = n / 24;
        let (year, month, day) = (2020 + days / 336, 1 + (days / 28) % 12, 1 + days % 28);
        let date = format!("{year}-{month:02}-{day:02}T{:02}:00:00+08:00", n % 24);
        let tag_list = mine.join(", ");
        let path = docs_page_path(n);
        let berdaya_body = links(&text, |o| format!("@/{}.md", docs_page_path(o)));
        write(
            &b.join(format!("content/{path}.md")),
            &format!(
                "---\ntitle: {title}\ndescription: Panduan uji {n}.\ndate: {date}\ntaxonomies:\n  tags: [{tag_list}]\n  categories: [{category}]\n---\n\n{berdaya_body}"
            ),
        );
        let hugo_body = links(&text, |o| format!("/{}/", docs_page_path(o)));
        write(
            &h.join(format!("content/{path}.md")),
            &format!(
                "---\ntitle: {title}\ndescription: Panduan uji {n}.\ndate: {date}\ntags: [{tag_list}]\ncategories: [{category}]\n---\n\n{}",
                hugo_body.replace("<!-- more -->", "<!--more-->")
            ),
        );
    }
    println!(
        "wrote {pages} docs pages to {}/berdaya and {}/hugo",
        dir.display(),
        dir.display()
    );
}
