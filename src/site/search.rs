//! Each language's search page: without JavaScript an A–Z list of titles (one page per letter)
//! and the tags; with JavaScript, `cari.js` of the theme searches the index written beside it
//! (see [`crate::search`] for its format).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{PageResult, Site};
use crate::common::diagnostics::Diagnostic;
use crate::output::{Fresh, Output, UnitKey};
use crate::search::{self, Document};

/// The search page's folder under each language's root: `/cari/`, `/en/cari/`.
pub const SEARCH_DIR: &str = "cari";

/// Tags the search page lists at most (the most used); the taxonomy's own page lists all.
const MAX_TAGS: usize = 40;

/// Titles on one A–Z page at most; a letter with more continues on `/cari/a/2/`.
const PER_LETTER_PAGE: usize = 150;

/// What the search page and the A–Z pages of a language show besides the index: the letters
/// with their counts and the most used tags. Counted from the titles and tags of the pages in
/// the index, so kept while those stay the same (a dev-server round that changes a page's body
/// counts nothing).
pub(super) struct Summary {
    letters: Vec<Letter>,
    tags: Vec<crate::site::views::Link>,
    all_tags_url: Option<String>,
}

#[derive(Serialize, Clone)]
struct Letter {
    letter: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct Entry {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct SearchView {
    /// The search page's address (the form's `action`): `/cari/`.
    url: String,
    /// The folder of the index files: `/cari/indeks/`.
    index_url: String,
    /// The script: `/cari.js`.
    script_url: &'static str,
    /// Every term shard's key, space-separated, and documents per chunk (empty and 0 on the A–Z
    /// pages, which are made again only when titles change, not with the index).
    shards: String,
    per_chunk: usize,
    /// Hash of the index files: the script asks for `t-…json?v=VERSION`, so a kept copy of one
    /// version is never mixed with files of another. Empty on the A–Z pages.
    version: String,
    letters: Vec<Letter>,
    /// The letter this A–Z page lists, or none on the search page.
    letter: Option<String>,
    entries: Vec<Entry>,
    /// Pager of a letter with more than one page.
    prev_url: Option<String>,
    next_url: Option<String>,
    tags: Vec<crate::site::views::Link>,
    /// The list of every tag, when more than the page shows.
    all_tags_url: Option<String>,
    pages: usize,
}

/// The plain text of rendered HTML: tags dropped (each counts as a space), the common
/// character references (`&amp;` `&lt;` `&gt;` `&quot;` `&#39;` `&nbsp;`) decoded once, white
/// space collapsed to single spaces and trimmed. One pass over the HTML.
pub fn plain_text(html: &str) -> String {
    const REFS: [(&str, char); 6] = [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&nbsp;", ' '),
    ];
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    // A space is owed before the next text (collapsed white space or a tag).
    let mut space = false;
    let mut i = 0;
    let push = |text: &str, out: &mut String, space: &mut bool| {
        if *space && !out.is_empty() {
            out.push(' ');
        }
        *space = false;
        out.push_str(text);
    };
    while i < b.len() {
        match b[i] {
            b'<' => {
                space = true;
                i = b[i..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(b.len(), |j| i + j + 1);
            }
            b'&' => match REFS.iter().find(|(r, _)| html[i..].starts_with(r)) {
                Some((r, ' ')) => {
                    space = true;
                    i += r.len();
                }
                Some((r, c)) => {
                    push(c.encode_utf8(&mut [0; 4]), &mut out, &mut space);
                    i += r.len();
                }
                None => {
                    push("&", &mut out, &mut space);
                    i += 1;
                }
            },
            b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => {
                space = true;
                i += 1;
            }
            0x80.. => {
                let c = html[i..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    space = true;
                } else {
                    push(&html[i..i + c.len_utf8()], &mut out, &mut space);
                }
                i += c.len_utf8();
            }
            _ => {
                let start = i;
                while i < b.len()
                    && b[i] < 0x80
                    && !matches!(
                        b[i],
                        b'<' | b'&' | b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C
                    )
                {
                    i += 1;
                }
                push(&html[start..i], &mut out, &mut space);
            }
        }
    }
    // Kept for every indexed page: no spare capacity.
    out.shrink_to_fit();
    out
}

fn first_letter(title: &str) -> String {
    title
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| {
            if c.is_ascii_digit() {
                "0-9".to_string()
            } else {
                c.to_uppercase().collect()
            }
        })
        .unwrap_or_else(|| "#".into())
}

fn letter_slug(letter: &str) -> String {
    match letter {
        "0-9" => "0-9".into(),
        "#" => "lain".into(),
        l => l.to_lowercase(),
    }
}

impl Site {
    /// The search page of `lang`: `/cari/` under the language's root.
    pub fn search_url(&self, lang: &str) -> String {
        format!("{}/{SEARCH_DIR}/", self.config.lang_prefix(lang))
    }

    /// Writes every language's search page, A–Z pages and index, when the theme has
    /// `search.html`.
    pub(super) fn render_search(
        &self,
        results: &[std::sync::Arc<PageResult>],
        out: &Output,
    ) -> Vec<Diagnostic> {
        if !self.has_template("search.html") {
            return Vec::new();
        }
        let mut diags = Vec::new();
        for lang in self.config.all_languages() {
            let picked: Vec<usize> = (0..self.content.pages.len())
                .filter(|&i| {
                    let p = &self.content.pages[i];
                    p.lang == lang && p.meta.in_search_index
                })
                .collect();
            // Each document's inputs as the index sees them; the A–Z pages need titles only.
            let doc_fps: Vec<u64> = picked
                .iter()
                .map(|&i| results[i].hashes.search_doc)
                .collect();
            let base = self.fp("search", "search.html").finish();
            let part_fp = |part: Part| {
                let mut fp = self.fp("search", "search.html");
                fp.add(part as u8);
                match part {
                    Part::Index => {
                        fp.add(&doc_fps);
                    }
                    Part::Az => {
                        for &i in &picked {
                            fp.add(results[i].hashes.search_az);
                        }
                    }
                }
                fp.finish()
            };
            let az_fp = part_fp(Part::Az);
            for part in [Part::Index, Part::Az] {
                let fp = match part {
                    Part::Index => part_fp(Part::Index),
                    Part::Az => az_fp,
                };
                // The files are known once they are made: reuse the last build's list while
                // the inputs are the same.
                let key = match part {
                    Part::Index => UnitKey::Search(lang.clone()),
                    Part::Az => UnitKey::SearchAz(lang.clone()),
                };
                let remembered = self
                    .search_files
                    .lock()
                    .expect("search files")
                    .get(&key)
                    .filter(|(f, _)| *f == fp)
                    .map(|(_, files)| files.clone());
                let make = || {
                    let summary = self.search_summary(&lang, &picked, az_fp);
                    self.search_outputs(
                        &lang, part, &picked, results, base, &doc_fps, &summary, out,
                    )
                };
                let (files, made) = match remembered {
                    Some(files) => (files, None),
                    None => {
                        let made = make();
                        (made.0.iter().map(|o| o.file()).collect(), Some(made))
                    }
                };
                if let Fresh::Render = out.unit(key.clone(), || fp, files.clone()) {
                    let (outputs, ds) = made.unwrap_or_else(make);
                    diags.extend(ds);
                    for o in outputs {
                        let written = match o {
                            SearchOutput::Page(url, html) => out.write_page(&url, html, None),
                            SearchOutput::File(path, json) => out.write(&path, json.as_bytes()),
                        };
                        diags.extend(written.err());
                    }
                }
                self.search_files
                    .lock()
                    .expect("search files")
                    .insert(key, (fp, files));
            }
        }
        diags
    }

    /// The letters and tags of `lang`'s search pages, counted over the pages `picked`, or as
    /// counted last for the same A–Z fingerprint `az_fp`.
    fn search_summary(&self, lang: &str, picked: &[usize], az_fp: u64) -> std::sync::Arc<Summary> {
        if let Some((fp, s)) = self.search_summary.lock().expect("summary").get(lang)
            && *fp == az_fp
        {
            return s.clone();
        }
        let base = self.search_url(lang);
        // Letters that lower-case alike (K and the Kelvin sign) share one page, shown with the
        // first met.
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut shown_letter: BTreeMap<String, String> = BTreeMap::new();
        for &i in picked {
            let letter = first_letter(&self.content.pages[i].meta.title);
            let letter = shown_letter.entry(letter_slug(&letter)).or_insert(letter);
            *counts.entry(letter.clone()).or_default() += 1;
        }
        let letters = counts
            .into_iter()
            .map(|(l, count)| Letter {
                url: format!("{base}{}/", letter_slug(&l)),
                letter: l,
                count,
            })
            .collect();
        // The most used tags (a long list would break the page budget), and where all are.
        let mut tags: Vec<crate::site::views::Link> = Vec::new();
        let mut all_tags_url = None;
        if let Some(tax) = self.config.taxonomies.iter().find(|t| t.name == "tags") {
            let mut counts: BTreeMap<&String, usize> = BTreeMap::new();
            for &i in picked {
                let p = &self.content.pages[i];
                for t in p.taxonomies.get(&tax.name).into_iter().flatten() {
                    *counts.entry(t).or_default() += 1;
                }
            }
            let mut terms: Vec<(&String, usize)> = counts.into_iter().collect();
            terms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            if terms.len() > MAX_TAGS {
                terms.truncate(MAX_TAGS);
                all_tags_url = Some(format!("{}/{}/", self.config.lang_prefix(lang), tax.name));
            }
            tags = terms
                .into_iter()
                .map(|(t, _)| self.term_link(lang, &tax.name, t))
                .collect();
            tags.sort_by_cached_key(|l| l.label.to_lowercase());
        }
        let summary = std::sync::Arc::new(Summary {
            letters,
            tags,
            all_tags_url,
        });
        self.search_summary
            .lock()
            .expect("summary")
            .insert(lang.to_string(), (az_fp, summary.clone()));
        summary
    }

    /// The search page and index files (`Part::Index`) or the A–Z pages (`Part::Az`) of
    /// `lang`, made from the pages `picked` (`doc_fps`: each one's fingerprint as the index sees
    /// it; `fp`: what every document's entry is made with; `summary`: their letters and tags).
    /// The index of the last build is brought up to date when the output keeps units between
    /// builds (the dev server): only changed pages are recounted.
    #[allow(clippy::too_many_arguments)]
    fn search_outputs(
        &self,
        lang: &str,
        part: Part,
        picked: &[usize],
        results: &[std::sync::Arc<PageResult>],
        fp: u64,
        doc_fps: &[u64],
        summary: &Summary,
        out: &Output,
    ) -> (Vec<SearchOutput>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut outputs = Vec::new();
        let base = self.search_url(lang);
        let document = |i: usize| -> Document {
            let p = &self.content.pages[i];
            let words = &results[i].words;
            Document {
                url: p.url.clone(),
                title: p.meta.title.clone(),
                snippet: if p.meta.description.is_empty() {
                    words.snippet.clone()
                } else {
                    search::snippet(&p.meta.description)
                },
                tags: p
                    .taxonomies
                    .iter()
                    .flat_map(|(tax, terms)| {
                        terms.iter().map(move |t| self.term_label(tax, t, &p.lang))
                    })
                    .collect(),
                description: p.meta.description.clone(),
                words: std::borrow::Cow::Borrowed(words),
            }
        };
        let index = if part == Part::Az {
            // The A–Z pages show no index: they are made again only when titles change.
            search::IndexFiles::default()
        } else {
            // A panic while the index was updated leaves it half made: start afresh then.
            let mut kept = self.search_index.lock().unwrap_or_else(|poisoned| {
                let mut kept = poisoned.into_inner();
                kept.clear();
                self.search_index.clear_poison();
                kept
            });
            let keep = out.tracks_units();
            let (made_with, index) = kept
                .entry(lang.to_string())
                .or_insert_with(|| (fp, search::Index::new(lang, keep)));
            if *made_with != fp {
                *made_with = fp;
                *index = search::Index::new(lang, keep);
            }
            let files = index.update(doc_fps, |n| document(picked[n]));
            if !keep {
                kept.remove(lang);
            }
            files
        };
        // A–Z: titles by first letter, for the A–Z pages only (the search page shows counts).
        // Letters that lower-case alike (K and the Kelvin sign) share one page.
        let mut by_letter: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        if part == Part::Az {
            let mut shown_letter: BTreeMap<String, String> = BTreeMap::new();
            for &i in picked {
                let p = &self.content.pages[i];
                let letter = first_letter(&p.meta.title);
                let letter = shown_letter
                    .entry(letter_slug(&letter))
                    .or_insert(letter)
                    .clone();
                by_letter.entry(letter).or_default().push(Entry {
                    title: p.meta.title.clone(),
                    url: p.url.clone(),
                });
            }
            for list in by_letter.values_mut() {
                // Each title lower-cased once, not at every comparison.
                list.sort_by_cached_key(|e| e.title.to_lowercase());
            }
        }
        let (letters, tags, all_tags_url) =
            (&summary.letters, &summary.tags, &summary.all_tags_url);
        let shards = index.keys.join(" ");
        let version = if part == Part::Az {
            String::new()
        } else {
            format!(
                "{:x}",
                crate::common::hash::hash_of(&index.files) & 0xffff_ffff
            )
        };
        for (name, json) in index.files {
            outputs.push(SearchOutput::File(format!("{base}indeks/{name}"), json));
        }
        let view = |letter: Option<String>,
                    entries: Vec<Entry>,
                    prev: Option<String>,
                    next: Option<String>| SearchView {
            url: base.clone(),
            index_url: format!("{base}indeks/"),
            script_url: "/cari.js",
            shards: shards.clone(),
            per_chunk: index.per_chunk,
            version: version.clone(),
            letters: letters.clone(),
            letter,
            entries,
            prev_url: prev,
            next_url: next,
            tags: tags.clone(),
            all_tags_url: all_tags_url.clone(),
            pages: picked.len(),
        };
        let title = self.string(lang, "search_title");
        let mut write = |url: &str, v: SearchView| {
            let mut ctx = self.context(lang, url, Some("__search"));
            ctx.insert("search", &v);
            ctx.insert("meta_title", &title);
            match self.render("search.html", &ctx) {
                Ok(html) => outputs.push(SearchOutput::Page(url.to_string(), html)),
                Err(d) => diags.push(d),
            }
        };
        if part == Part::Index {
            write(&base, view(None, Vec::new(), None, None));
            return (outputs, diags);
        }
        for (l, list) in by_letter {
            let url = format!("{base}{}/", letter_slug(&l));
            let chunks: Vec<Vec<Entry>> = {
                let mut chunks = Vec::new();
                let mut it = list.into_iter().peekable();
                while it.peek().is_some() {
                    chunks.push(it.by_ref().take(PER_LETTER_PAGE).collect());
                }
                chunks
            };
            let n = chunks.len();
            let page_url = |k: usize| {
                if k == 0 {
                    url.clone()
                } else {
                    format!("{url}{}/", k + 1)
                }
            };
            for (k, entries) in chunks.into_iter().enumerate() {
                let prev = (k > 0).then(|| page_url(k - 1));
                let next = (k + 1 < n).then(|| page_url(k + 1));
                write(&page_url(k), view(Some(l.clone()), entries, prev, next));
            }
        }
        (outputs, diags)
    }
}

/// The two units of a language's search: the search page with the index, and the A–Z pages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Index,
    Az,
}

/// One file of a language's search: a page (minified and measured) or an index file.
enum SearchOutput {
    Page(String, String),
    File(String, String),
}

impl SearchOutput {
    fn file(&self) -> String {
        match self {
            SearchOutput::Page(url, _) => Output::file_for_url(url),
            SearchOutput::File(path, _) => path.trim_start_matches('/').to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn plain_text_drops_tags_decodes_references_once_and_collapses_space() {
        assert_eq!(
            plain_text(
                "<p>Jemur  <b>rumput</b>&nbsp;laut</p>\n<p>A &amp;lt; b &gt; c&#39;s &copy;</p>"
            ),
            "Jemur rumput laut A &lt; b > c's &copy;"
        );
        assert_eq!(
            plain_text("  <h2 id=\"x\">Judul</h2>Teks\u{a0}é<br>x"),
            "Judul Teks é x"
        );
        assert_eq!(plain_text("a<b"), "a");
        assert_eq!(plain_text(""), "");
    }
}
