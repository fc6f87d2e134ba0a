//! The search index: words of every page's title, tags, description and text, reduced to their
//! stems, with the pages that hold them, split into small files ("shards") that the search
//! page's script loads only for the words a reader types.
//!
//! # Format (written under each language's search page, `/cari/indeks/`)
//!
//! - `t-HEX.json`: the terms whose stem starts with the shard's key (`HEX` is the key's UTF-8
//!   bytes in lowercase hexadecimal, `6a65` for `je`): `{"jemur":[3,7,12,1],...}`, each term's
//!   list is pairs of document number and weight (title and tags 3 per occurrence, description 2,
//!   text 1), heaviest first, at most [`MAX_POSTINGS`] documents. A key is the first
//!   character of a stem; a shard that would be over [`SHARD_LIMIT`] bytes gzip-compressed is
//!   split by one more character.
//! - `d-N.json`: documents `N*per_chunk` to `(N+1)*per_chunk - 1`: `[[url, title, snippet],...]`.
//! - The search page's form carries `data-shards` (every key, space-separated) and
//!   `data-per-chunk`.
//!
//! Stems ([`stems`]): lowercase; Indonesian particles and possessives (`-lah`, `-kah`, `-pun`,
//! `-nya`, `-ku`, `-mu`), suffixes (`-kan`, `-an`, `-i`) and prefixes (`di-`, `ke-`, `se-`,
//! `ber-`, `ter-`, `per-`, `pe-`, `me-` with its nasal forms `mem-`/`men-`/`meng-`/`meny-`,
//! giving both readings where the nasal replaced a letter: `memotret` → `potret` and `otret`)
//! are removed while at least 4 letters remain; every reading is indexed. A reader's word matches
//! every term that starts with it, and every term equal to one of its stems: `jemur` finds
//! `menjemur`, `dijemur` and `jemuran`; `menjemur` finds `dijemur`. Other languages are matched
//! by prefix only.

use std::collections::HashMap;

use serde::Serialize;

/// Largest gzip-compressed size of one index file, in bytes.
pub const SHARD_LIMIT: usize = 20 * 1024;

/// Most documents listed for one term (the heaviest): very common words would otherwise make
/// shards no phone should download.
pub const MAX_POSTINGS: usize = 1500;

/// Words too common to search for.
const STOP: &[&str] = &[
    "dan", "yang", "di", "ke", "dari", "untuk", "dengan", "ini", "itu", "atau", "pada", "dalam",
    "tidak", "akan", "juga", "ada", "bisa", "agar", "karena", "sudah", "the", "and", "of", "to",
    "in", "a", "is", "for", "on", "it", "that", "with", "as", "are", "be", "or",
];

fn strip<'a>(w: &'a str, affix: &str, suffix: bool) -> Option<&'a str> {
    let rest = if suffix {
        w.strip_suffix(affix)?
    } else {
        w.strip_prefix(affix)?
    };
    (rest.chars().count() >= 4).then_some(rest)
}

/// The stems of a lowercase word, for indexing and searching: the word itself and what remains
/// once Indonesian affixes are removed, with and without the suffix (`menyimpan` gives
/// `simpan` as well as `menyimp`: without a dictionary, both readings are kept). `lang` other
/// than `id` gives the word alone.
pub fn stems(word: &str, lang: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    if lang != "id" && !lang.starts_with("id-") {
        return out;
    }
    let push = |s: &str, out: &mut Vec<String>| {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    };
    let mut w = word;
    for p in ["lah", "kah", "pun", "nya", "ku", "mu"] {
        if let Some(r) = strip(w, p, true) {
            w = r;
            break;
        }
    }
    let mut forms = vec![w];
    for s in ["kan", "an", "i"] {
        if let Some(r) = strip(w, s, true) {
            forms.push(r);
            break;
        }
    }
    // Prefixes; a nasal prefix may have replaced the root's first letter.
    let nasal: &[(&str, &str)] = &[
        ("meny", "s"),
        ("meng", "k"),
        ("mem", "p"),
        ("men", "t"),
        ("peny", "s"),
        ("peng", "k"),
        ("pem", "p"),
        ("pen", "t"),
    ];
    for f in forms {
        push(f, &mut out);
        if let Some((p, letter)) = nasal.iter().find(|(p, _)| strip(f, p, false).is_some()) {
            let r = &f[p.len()..];
            push(r, &mut out);
            if r.starts_with(['a', 'e', 'i', 'o', 'u']) {
                push(&format!("{letter}{r}"), &mut out);
            }
        } else if let Some(r) = ["ber", "ter", "per", "me", "pe", "di", "ke", "se", "be"]
            .iter()
            .find_map(|p| strip(f, p, false))
        {
            push(r, &mut out);
        }
    }
    out
}

/// Longest word indexed, in characters: longer runs (pasted keys, base64) are not words.
pub const MAX_WORD: usize = 40;

/// The words of a text, as [`for_each_word`] finds them, each as a string.
pub fn words(text: &str) -> impl Iterator<Item = String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out.into_iter()
}

/// Calls `f` with each word of a text in turn: runs of letters and digits (Unicode Alphabetic
/// and Numeric, the same classes `cari.js` splits at), lowercase, 2 to [`MAX_WORD`] characters,
/// lowercased into one reused buffer (no allocation per word).
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut lower = String::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        let chars = if w.is_ascii() {
            w.len()
        } else {
            w.chars().count()
        };
        if !(2..=MAX_WORD).contains(&chars) {
            continue;
        }
        if w.bytes().all(|b| !b.is_ascii_uppercase()) && w.is_ascii() {
            f(w);
        } else {
            lower.clear();
            if w.is_ascii() {
                lower.extend(w.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                lower.push_str(&w.to_lowercase());
            }
            f(&lower);
        }
    }
}

/// Text shown under a title in results: the first 160 characters of `text`, cut at a word
/// with `…` when longer.
pub fn snippet(text: &str) -> String {
    if text.chars().count() <= 160 {
        return text.to_string();
    }
    let cut: String = text.chars().take(160).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

/// A page's text as the index needs it, made when the page is rendered (in parallel, and only
/// again when the page changes): its [`words`] but stop words, each with how often it occurs
/// (at most 255), its [`snippet`], and a hash of the text for fingerprints.
#[derive(Debug, Clone, Default)]
pub struct TextWords {
    /// The distinct words, each followed by a space.
    words: String,
    /// Occurrences of each word, in the order of `words`.
    counts: Vec<u8>,
    /// The start of the text, for results (see [`snippet`]).
    pub snippet: String,
    /// Hash of the text.
    pub hash: u64,
}

impl TextWords {
    /// The words of plain `text` (a page's HTML without its markup).
    pub fn of(text: &str) -> TextWords {
        let mut found: Fast<String, u32> = Fast::default();
        for_each_word(text, |w| match found.get_mut(w) {
            Some(&mut SKIP) => {}
            Some(n) => *n = (*n + 1).min(255),
            None => {
                let first = if STOP.contains(&w) { SKIP } else { 1 };
                found.insert(w.to_string(), first);
            }
        });
        let mut out = TextWords {
            snippet: snippet(text),
            hash: crate::common::hash::text_hash(text),
            ..TextWords::default()
        };
        for (w, n) in found {
            if n != SKIP {
                out.words.push_str(&w);
                out.words.push(' ');
                out.counts.push(n as u8);
            }
        }
        out.words.shrink_to_fit();
        out
    }

    /// Each word with its count.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.words
            .split_terminator(' ')
            .zip(self.counts.iter().map(|&n| u32::from(n)))
    }
}

/// A page as the index sees it.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// Site path (`/tips/x/`).
    pub url: String,
    /// Title.
    pub title: String,
    /// Text shown under the title in results (the description, else the start of the text).
    pub snippet: String,
    /// Tags and other terms, weighed like the title.
    pub tags: Vec<String>,
    /// The description.
    pub description: String,
    /// The words of the page's text.
    pub words: std::borrow::Cow<'a, TextWords>,
}

/// One language's index, as files: (file name, JSON), and the keys and chunk size the search
/// page needs.
#[derive(Debug, Default)]
pub struct IndexFiles {
    /// File name (`t-6a65.json`, `d-0.json`) and its JSON text.
    pub files: Vec<(String, String)>,
    /// Every term shard's key, sorted.
    pub keys: Vec<String>,
    /// Documents per `d-N.json` file.
    pub per_chunk: usize,
}

fn gzip_len(text: &str) -> usize {
    crate::output::encode::gzip(text.as_bytes(), 6).len()
}

fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

type Fast<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// A stop word's weight while a document's words are counted.
const SKIP: u32 = u32::MAX;

/// Builds one language's index of `docs` (numbered in order) for language `lang`.
pub fn build<'d>(docs: &'d [Document<'d>], lang: &str) -> IndexFiles {
    use rayon::prelude::*;
    // Each document's words and weights, counted in parallel a block of documents at a time
    // (the counts of every document at once would take more memory than their texts); each
    // distinct word stemmed once. Terms by number, each word's stems as term numbers, each
    // term's postings in document order (a document's words are visited together, so its entry
    // is the list's last).
    // A document's words with their weights: the text's counted words, borrowed, with the
    // title's, tags' and description's added (the only words allocated here).
    let count = |d: &'d Document<'d>| -> Vec<(std::borrow::Cow<'d, str>, u32)> {
        let mut extra: Fast<String, u32> = Fast::default();
        let mut add = |text: &str, weight: u32| {
            for_each_word(text, |w| match extra.get_mut(w) {
                Some(&mut SKIP) => {}
                Some(slot) => *slot = (*slot + weight).min(255),
                None => {
                    // A stop word is kept as SKIP, so it is looked for in STOP once.
                    let first = if STOP.contains(&w) {
                        SKIP
                    } else {
                        weight.min(255)
                    };
                    extra.insert(w.to_string(), first);
                }
            });
        };
        add(&d.title, 3);
        for t in &d.tags {
            add(t, 3);
        }
        add(&d.description, 2);
        let mut found = Vec::with_capacity(d.words.counts.len() + extra.len());
        for (w, n) in d.words.iter() {
            match extra.remove(w) {
                Some(SKIP) => {}
                Some(more) => found.push((std::borrow::Cow::Borrowed(w), (n + more).min(255))),
                None => found.push((std::borrow::Cow::Borrowed(w), n)),
            }
        }
        found.extend(
            extra
                .into_iter()
                .filter(|(_, n)| *n != SKIP)
                .map(|(w, n)| (std::borrow::Cow::Owned(w), n)),
        );
        found
    };
    let mut term_of: Fast<String, u32> = Fast::default();
    let mut term_names: Vec<String> = Vec::new();
    let mut stemmed: Fast<String, Vec<u32>> = Fast::default();
    let mut postings: Vec<Vec<(u32, u32)>> = Vec::new();
    const BLOCK: usize = 512;
    for (b, block) in docs.chunks(BLOCK).enumerate() {
        let per_doc: Vec<Vec<(std::borrow::Cow<str>, u32)>> = block.par_iter().map(count).collect();
        for (k, found) in per_doc.into_iter().enumerate() {
            let n = (b * BLOCK + k) as u32;
            for (w, weight) in found {
                let ids = match stemmed.get(w.as_ref()) {
                    Some(ids) => ids,
                    None => {
                        let ids = stems(&w, lang)
                            .into_iter()
                            .map(|s| match term_of.get(&s) {
                                Some(&id) => id,
                                None => {
                                    let id = term_names.len() as u32;
                                    term_of.insert(s.clone(), id);
                                    term_names.push(s);
                                    postings.push(Vec::new());
                                    id
                                }
                            })
                            .collect();
                        stemmed.entry(w.into_owned()).or_insert(ids)
                    }
                };
                for &id in ids.iter() {
                    let list = &mut postings[id as usize];
                    match list.last_mut() {
                        Some((d, w)) if *d == n => *w = (*w + weight).min(255),
                        _ => list.push((n, weight)),
                    }
                }
            }
        }
    }
    for list in &mut postings {
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(MAX_POSTINGS);
    }
    let mut terms: Vec<(&str, &[(u32, u32)])> = term_names
        .iter()
        .map(String::as_str)
        .zip(postings.iter().map(Vec::as_slice))
        .collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut out = IndexFiles::default();
    shard(&terms, 1, &mut out);
    out.keys.sort();
    // Document chunks: as many per file as keep every file within the limit.
    #[derive(Serialize)]
    struct Row<'a>(&'a str, &'a str, &'a str);
    let rows: Vec<Row> = docs
        .iter()
        .map(|d| Row(&d.url, &d.title, &d.snippet))
        .collect();
    let mut per = 256usize;
    let chunks = loop {
        let chunks: Vec<String> = rows
            .chunks(per.max(1))
            .map(|c| serde_json::to_string(c).unwrap_or_default())
            .collect();
        if per <= 1 || chunks.iter().all(|c| gzip_len(c) <= SHARD_LIMIT) {
            break chunks;
        }
        per /= 2;
    };
    out.per_chunk = per.max(1);
    for (i, c) in chunks.into_iter().enumerate() {
        out.files.push((format!("d-{i}.json"), c));
    }
    out
}

/// The first `len` characters of `term`.
fn key_of(term: &str, len: usize) -> &str {
    term.char_indices()
        .nth(len)
        .map_or(term, |(i, _)| &term[..i])
}

/// Writes `terms` (sorted) in shards keyed by their first `len` characters, splitting any
/// shard over the limit by one more character.
fn shard(terms: &[(&str, &[(u32, u32)])], len: usize, out: &mut IndexFiles) {
    // Sorted terms with the same first characters are neighbours.
    let mut start = 0;
    while start < terms.len() {
        let key = key_of(terms[start].0, len);
        let end = start
            + terms[start..]
                .iter()
                .position(|(t, _)| key_of(t, len) != key)
                .unwrap_or(terms.len() - start);
        let group = &terms[start..end];
        start = end;
        let json = shard_json(group.iter());
        let longest = group
            .iter()
            .map(|(t, _)| t.chars().count())
            .max()
            .unwrap_or(0);
        // Splitting helps only while the group holds more than one term.
        if group.len() > 1 && longest > len && gzip_len(&json) > SHARD_LIMIT {
            // Terms exactly `len` long stay in this key's shard; longer ones go one deeper.
            let (own, deeper): (Vec<_>, Vec<_>) =
                group.iter().partition(|(t, _)| t.chars().count() <= len);
            if !own.is_empty() {
                out.files
                    .push((format!("t-{}.json", hex(key)), shard_json(own.iter())));
                out.keys.push(key.to_string());
            }
            shard(&deeper, len + 1, out);
        } else {
            out.files.push((format!("t-{}.json", hex(key)), json));
            out.keys.push(key.to_string());
        }
    }
}

/// `{"term":[doc,weight,doc,weight,...],...}` of terms in order.
fn shard_json<'a>(group: impl Iterator<Item = &'a (&'a str, &'a [(u32, u32)])>) -> String {
    use std::fmt::Write as _;
    let mut json = String::from("{");
    for (i, (term, list)) in group.enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&serde_json::to_string(term).unwrap_or_default());
        json.push_str(":[");
        for (k, (d, w)) in list.iter().enumerate() {
            if k > 0 {
                json.push(',');
            }
            let _ = write!(json, "{d},{w}");
        }
        json.push(']');
    }
    json.push('}');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_affixes_are_removed_while_four_letters_remain() {
        let has = |w: &str, s: &str| stems(w, "id").contains(&s.to_string());
        assert!(has("menjemur", "jemur"));
        assert!(has("dijemur", "jemur"));
        assert!(has("jemuran", "jemur"));
        assert!(has("memotret", "potret"));
        assert!(has("menyimpan", "simpan"));
        assert!(has("mengirim", "kirim"));
        assert!(has("penjualan", "jual"));
        assert!(has("berjualan", "jual"));
        assert!(has("hasilnya", "hasil"));
        assert!(has("menyimpan", "simpan"));
        assert!(!stems("simpul", "id").contains(&"simp".to_string()));
        assert_eq!(stems("ikan", "id"), vec!["ikan".to_string()]);
        assert_eq!(stems("drying", "en"), vec!["drying".to_string()]);
    }

    #[test]
    fn words_are_lowercase_runs_of_letters_and_digits_of_2_to_40_characters() {
        let long = "a".repeat(41);
        let text = format!("Menjemur RUMPUT-laut, é Ünïcode x 2026 {long} İz");
        let got: Vec<String> = words(&text).collect();
        assert_eq!(
            got,
            ["menjemur", "rumput", "laut", "ünïcode", "2026", "i\u{307}z"]
        );
    }

    #[test]
    fn text_words_count_each_word_and_leave_out_repeated_stop_words() {
        let w = TextWords::of("Dan dan jemur dan Jemur rumput, dan.");
        let mut got: Vec<(&str, u32)> = w.iter().collect();
        got.sort();
        assert_eq!(got, [("jemur", 2), ("rumput", 1)]);
        assert_eq!(w.snippet, "Dan dan jemur dan Jemur rumput, dan.");
    }

    #[test]
    fn shards_stay_within_the_limit_and_documents_are_chunked() {
        let docs: Vec<Document> = (0..3000)
            .map(|i| Document {
                url: format!("/tips/{i}/"),
                title: format!("Judul {i} kata{i}"),
                snippet: "Ringkasan pendek tentang rumput laut.".into(),
                tags: vec![format!("tag{}", i % 50)],
                description: String::new(),
                words: std::borrow::Cow::Owned(TextWords::of(
                    &(0..200)
                        .map(|k| format!("kata{} rumput laut", (i * 7 + k) % 5000))
                        .collect::<Vec<_>>()
                        .join(" "),
                )),
            })
            .collect();
        let idx = build(&docs, "id");
        for (name, json) in &idx.files {
            assert!(gzip_len(json) <= SHARD_LIMIT, "{name}: {}", gzip_len(json));
        }
        assert!(idx.keys.iter().any(|k| k.chars().count() > 1), "split");
        assert!(idx.per_chunk >= 1 && idx.per_chunk < 3000);
        let doc_files = idx.files.iter().filter(|f| f.0.starts_with("d-")).count();
        assert_eq!(doc_files, 3000usize.div_ceil(idx.per_chunk));
    }
}
