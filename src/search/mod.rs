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
    let fingerprints = vec![0; docs.len()];
    Index::new(lang, false).update(&fingerprints, |n| docs[n].clone())
}

/// A document's words with their weights.
type Weighed<'d> = Vec<(std::borrow::Cow<'d, str>, u32)>;

/// A document's words with their weights: the text's counted words, borrowed, with the
/// title's, tags' and description's added (the only words allocated here).
fn weighed_words<'d>(d: &'d Document<'d>) -> Weighed<'d> {
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
}

/// A document as the index last saw it.
#[derive(Default)]
struct Seen {
    /// The caller's fingerprint of the document.
    fingerprint: u64,
    /// Its terms and weights (`term << 8 | weight`, by term), when kept for updates.
    terms: Vec<u32>,
    /// Its `[url, title, snippet]` row as JSON.
    row: String,
}

/// One language's index that can be brought up to date: every term's postings in document
/// order, the JSON of every term, and the compressed size of every file measured. An update
/// where a few documents changed recounts those documents alone, and compresses only the
/// files whose text changed; its files equal a fresh [`build`]'s for the same documents.
///
/// Memory: with `keep` (the dev server), each document's terms (4 bytes a term) and every
/// term's JSON stay between updates; without, only the postings while building.
pub struct Index {
    lang: String,
    keep: bool,
    docs: Vec<Seen>,
    term_of: Fast<String, u32>,
    term_names: Vec<String>,
    /// Each distinct word's stems as term numbers.
    stemmed: Fast<String, Vec<u32>>,
    /// Each term's (document, weight), by document.
    postings: Vec<Vec<(u32, u32)>>,
    /// Each term's `"term":[doc,weight,...]` (heaviest first, at most [`MAX_POSTINGS`]), or
    /// `None` when its postings changed since it was made.
    json: Vec<Option<String>>,
    /// Terms with postings, sorted by name; `None` when terms came or went.
    sorted: Option<Vec<u32>>,
    /// Compressed size of a file's text, by its length and hash.
    gz: Fast<(usize, u64), usize>,
}

impl Index {
    /// An empty index of language `lang`; `keep` keeps what updates need (see [`Index`]).
    pub fn new(lang: &str, keep: bool) -> Index {
        Index {
            lang: lang.to_string(),
            keep,
            docs: Vec::new(),
            term_of: Fast::default(),
            term_names: Vec::new(),
            stemmed: Fast::default(),
            postings: Vec::new(),
            json: Vec::new(),
            sorted: None,
            gz: Fast::default(),
        }
    }

    /// The index of `fingerprints.len()` documents, document `n` being `doc(n)`: only the
    /// documents whose fingerprint differs from the last update's are asked for and counted
    /// (all of them the first time, when their number changed, or without `keep`).
    pub fn update<'d>(
        &mut self,
        fingerprints: &[u64],
        doc: impl Fn(usize) -> Document<'d> + Sync,
    ) -> IndexFiles {
        use rayon::prelude::*;
        if !self.keep || fingerprints.len() != self.docs.len() {
            self.reset(fingerprints, &doc);
        } else {
            let changed: Vec<usize> = (0..fingerprints.len())
                .filter(|&n| self.docs[n].fingerprint != fingerprints[n])
                .collect();
            let made: Vec<Document> = changed.par_iter().map(|&n| doc(n)).collect();
            for (&n, d) in changed.iter().zip(&made) {
                let found = weighed_words(d);
                let terms = self.terms_of(found);
                self.replace(n as u32, terms);
                let seen = &mut self.docs[n];
                seen.fingerprint = fingerprints[n];
                seen.row = row_json(d);
            }
        }
        self.files()
    }

    /// Counts every document afresh, a block at a time in parallel (the counts of every
    /// document at once would take more memory than their texts).
    fn reset<'d>(&mut self, fingerprints: &[u64], doc: &(impl Fn(usize) -> Document<'d> + Sync)) {
        use rayon::prelude::*;
        self.docs.clear();
        for list in &mut self.postings {
            list.clear();
        }
        self.json.iter_mut().for_each(|j| *j = None);
        self.sorted = None;
        const BLOCK: usize = 512;
        let n_docs = fingerprints.len();
        for start in (0..n_docs).step_by(BLOCK) {
            let block: Vec<Document> = (start..(start + BLOCK).min(n_docs))
                .into_par_iter()
                .map(doc)
                .collect();
            let per_doc: Vec<(Weighed, String)> = block
                .par_iter()
                .map(|d| (weighed_words(d), row_json(d)))
                .collect();
            for (k, (found, row)) in per_doc.into_iter().enumerate() {
                let n = (start + k) as u32;
                let terms = self.terms_of(found);
                for &t in &terms {
                    self.postings[(t >> 8) as usize].push((n, t & 0xff));
                }
                self.docs.push(Seen {
                    fingerprint: fingerprints[n as usize],
                    terms: if self.keep { terms } else { Vec::new() },
                    row,
                });
            }
        }
    }

    /// A document's terms with their weights (`term << 8 | weight`, by term): each word's
    /// stems, a term reached by several words weighing their sum (at most 255).
    fn terms_of(&mut self, found: Weighed) -> Vec<u32> {
        let mut terms: Vec<(u32, u32)> = Vec::with_capacity(found.len() * 2);
        for (w, weight) in found {
            let ids = match self.stemmed.get(w.as_ref()) {
                Some(ids) => ids,
                None => {
                    let ids = stems(&w, &self.lang)
                        .into_iter()
                        .map(|s| match self.term_of.get(&s) {
                            Some(&id) => id,
                            None => {
                                let id = self.term_names.len() as u32;
                                self.term_of.insert(s.clone(), id);
                                self.term_names.push(s);
                                self.postings.push(Vec::new());
                                self.json.push(None);
                                self.sorted = None;
                                id
                            }
                        })
                        .collect();
                    self.stemmed.entry(w.into_owned()).or_insert(ids)
                }
            };
            terms.extend(ids.iter().map(|&id| (id, weight)));
        }
        terms.sort_unstable_by_key(|t| t.0);
        let mut out: Vec<u32> = Vec::with_capacity(terms.len());
        for (id, weight) in terms {
            match out.last_mut() {
                Some(last) if *last >> 8 == id => {
                    *last = (id << 8) | ((*last & 0xff) + weight).min(255);
                }
                _ => out.push((id << 8) | weight.min(255)),
            }
        }
        out
    }

    /// Replaces document `n`'s postings with `terms`: only the terms whose weight for it
    /// changed are touched.
    fn replace(&mut self, n: u32, terms: Vec<u32>) {
        let old = std::mem::take(&mut self.docs[n as usize].terms);
        let (mut i, mut k) = (0, 0);
        loop {
            let (o, t) = (old.get(i).copied(), terms.get(k).copied());
            // Old entries go first (a term whose weight changed: the old one, then the new).
            let remove = match (o, t) {
                (None, None) => break,
                (Some(o), Some(t)) if o == t => {
                    i += 1;
                    k += 1;
                    continue;
                }
                (Some(o), Some(t)) => o >> 8 <= t >> 8,
                (Some(_), None) => true,
                (None, Some(_)) => false,
            };
            if let (true, Some(o)) = (remove, o) {
                let list = &mut self.postings[(o >> 8) as usize];
                if let Ok(at) = list.binary_search_by_key(&n, |p| p.0) {
                    list.remove(at);
                }
                if list.is_empty() {
                    self.sorted = None;
                }
                self.json[(o >> 8) as usize] = None;
                i += 1;
            } else if let Some(t) = t {
                let list = &mut self.postings[(t >> 8) as usize];
                match list.binary_search_by_key(&n, |p| p.0) {
                    Ok(at) => list[at].1 = t & 0xff,
                    Err(at) => {
                        if list.is_empty() {
                            self.sorted = None;
                        }
                        list.insert(at, (n, t & 0xff));
                    }
                }
                self.json[(t >> 8) as usize] = None;
                k += 1;
            }
        }
        self.docs[n as usize].terms = terms;
    }

    /// Every file of the index, as [`build`] describes them.
    fn files(&mut self) -> IndexFiles {
        let mut gz = std::mem::take(&mut self.gz);
        let mut measured: Fast<(usize, u64), usize> = Fast::default();
        let mut measure = |text: &str| -> usize {
            let key = (text.len(), crate::common::hash::text_hash(text));
            let len = *gz.entry(key).or_insert_with(|| gzip_len(text));
            measured.insert(key, len);
            len
        };
        for (t, json) in self.json.iter_mut().enumerate() {
            if json.is_none() && !self.postings[t].is_empty() {
                *json = Some(term_json(&self.term_names[t], &self.postings[t]));
            }
        }
        let sorted = self.sorted.get_or_insert_with(|| {
            let mut sorted: Vec<u32> = (0..self.term_names.len() as u32)
                .filter(|&t| !self.postings[t as usize].is_empty())
                .collect();
            sorted.sort_unstable_by(|a, b| {
                self.term_names[*a as usize].cmp(&self.term_names[*b as usize])
            });
            sorted
        });
        let terms: Vec<(&str, &str)> = sorted
            .iter()
            .map(|&t| {
                (
                    self.term_names[t as usize].as_str(),
                    self.json[t as usize].as_deref().unwrap_or_default(),
                )
            })
            .collect();
        let mut out = IndexFiles::default();
        shard(&terms, 1, &mut out, &mut measure);
        out.keys.sort();
        // Document chunks: as many per file as keep every file within the limit.
        let mut per = 256usize;
        let chunks = loop {
            let chunks: Vec<String> = self
                .docs
                .chunks(per.max(1))
                .map(|c| {
                    let mut json = String::from("[");
                    for (i, d) in c.iter().enumerate() {
                        if i > 0 {
                            json.push(',');
                        }
                        json.push_str(&d.row);
                    }
                    json.push(']');
                    json
                })
                .collect();
            if per <= 1 || chunks.iter().all(|c| measure(c) <= SHARD_LIMIT) {
                break chunks;
            }
            per /= 2;
        };
        out.per_chunk = per.max(1);
        for (i, c) in chunks.into_iter().enumerate() {
            out.files.push((format!("d-{i}.json"), c));
        }
        if self.keep {
            // Sizes of files no longer made are forgotten.
            self.gz = measured;
        } else {
            self.json.clear();
            self.postings.clear();
            self.docs.clear();
        }
        out
    }
}

/// A document's `[url, title, snippet]` as JSON.
fn row_json(d: &Document) -> String {
    serde_json::to_string(&(&d.url, &d.title, &d.snippet)).unwrap_or_default()
}

/// `"term":[doc,weight,...]`: the heaviest documents first (ties by document), at most
/// [`MAX_POSTINGS`].
fn term_json(term: &str, postings: &[(u32, u32)]) -> String {
    use std::fmt::Write as _;
    let mut list = postings.to_vec();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    list.truncate(MAX_POSTINGS);
    let mut json = serde_json::to_string(term).unwrap_or_default();
    json.push_str(":[");
    for (k, (d, w)) in list.iter().enumerate() {
        if k > 0 {
            json.push(',');
        }
        let _ = write!(json, "{d},{w}");
    }
    json.push(']');
    json
}

/// The first `len` characters of `term`.
fn key_of(term: &str, len: usize) -> &str {
    term.char_indices()
        .nth(len)
        .map_or(term, |(i, _)| &term[..i])
}

/// Writes `terms` (sorted, each with its JSON) in shards keyed by their first `len`
/// characters, splitting any shard over the limit by one more character; `measure` gives a
/// text's compressed size.
fn shard(
    terms: &[(&str, &str)],
    len: usize,
    out: &mut IndexFiles,
    measure: &mut impl FnMut(&str) -> usize,
) {
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
        if group.len() > 1 && longest > len && measure(&json) > SHARD_LIMIT {
            // Terms exactly `len` long stay in this key's shard; longer ones go one deeper.
            let (own, deeper): (Vec<_>, Vec<_>) =
                group.iter().partition(|(t, _)| t.chars().count() <= len);
            if !own.is_empty() {
                out.files
                    .push((format!("t-{}.json", hex(key)), shard_json(own.iter())));
                out.keys.push(key.to_string());
            }
            shard(&deeper, len + 1, out, measure);
        } else {
            out.files.push((format!("t-{}.json", hex(key)), json));
            out.keys.push(key.to_string());
        }
    }
}

/// `{"term":[doc,weight,doc,weight,...],...}` of terms in order.
fn shard_json<'a>(group: impl Iterator<Item = &'a (&'a str, &'a str)>) -> String {
    let mut json = String::from("{");
    for (i, (_, term)) in group.enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(term);
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

    /// Documents whose words are drawn from a small vocabulary by `seed`.
    fn made_docs(count: usize, seed: u64) -> Vec<Document<'static>> {
        let mut x = seed;
        let mut next = move || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as usize
        };
        (0..count)
            .map(|i| {
                let words: Vec<String> = (0..40 + next() % 200)
                    .map(|_| format!("menjemur{} kata{}", next() % 300, next() % 2000))
                    .collect();
                Document {
                    url: format!("/tips/{i}/"),
                    title: format!("Judul {} rumput", next() % 500),
                    snippet: format!("Ringkasan {}", next() % 50),
                    tags: vec![format!("tag{}", next() % 30)],
                    description: if next() % 3 == 0 {
                        format!("jemuran {}", next() % 100)
                    } else {
                        String::new()
                    },
                    words: std::borrow::Cow::Owned(TextWords::of(&words.join(" "))),
                }
            })
            .collect()
    }

    fn fingerprints(docs: &[Document]) -> Vec<u64> {
        docs.iter()
            .map(|d| {
                crate::common::hash::hash_of((
                    &d.url,
                    &d.title,
                    &d.snippet,
                    &d.tags,
                    &d.description,
                    d.words.hash,
                ))
            })
            .collect()
    }

    #[test]
    fn an_index_brought_up_to_date_equals_one_built_afresh() {
        let mut docs = made_docs(1200, 1);
        let mut index = Index::new("id", true);
        let same = |got: &IndexFiles, docs: &[Document]| {
            let want = build(docs, "id");
            assert_eq!(got.keys, want.keys);
            assert_eq!(got.per_chunk, want.per_chunk);
            assert_eq!(got.files, want.files);
        };
        let got = index.update(&fingerprints(&docs), |n| docs[n].clone());
        same(&got, &docs);
        let other = made_docs(1200, 2);
        // Texts, titles and descriptions changed; a word no other page has comes and goes;
        // every page of a term left; nothing changed.
        for step in 0..6 {
            match step {
                0 => {
                    docs[7] = Document {
                        url: "/tips/7/".into(),
                        ..other[7].clone()
                    }
                }
                1 => {
                    docs[3].words = std::borrow::Cow::Owned(TextWords::of("satusatunya kata1"));
                    docs[900].title = "Zzz judul baru".into();
                }
                2 => docs[3].words = std::borrow::Cow::Owned(TextWords::of("kata1 kata2")),
                3 => {
                    for (i, d) in docs.iter_mut().enumerate().filter(|(i, _)| i % 5 == 0) {
                        *d = Document {
                            url: format!("/tips/{i}/"),
                            ..other[i].clone()
                        };
                    }
                }
                4 => docs[0].description = "deskripsi menjemur jemuran".into(),
                _ => {}
            }
            let got = index.update(&fingerprints(&docs), |n| docs[n].clone());
            same(&got, &docs);
        }
        // Another number of documents: counted afresh.
        docs.truncate(700);
        let got = index.update(&fingerprints(&docs), |n| docs[n].clone());
        same(&got, &docs);
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
