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

use std::collections::{BTreeMap, HashMap};

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

/// The words of a text: runs of letters and digits (Unicode Alphabetic and Numeric, the same
/// classes `cari.js` splits at), lowercase, 2 to [`MAX_WORD`] characters.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| (2..=MAX_WORD).contains(&w.chars().count()))
        .map(str::to_lowercase)
}

/// A page as the index sees it.
#[derive(Debug, Clone)]
pub struct Document {
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
    /// The page's text without markup.
    pub text: String,
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
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    let _ = e.write_all(text.as_bytes());
    e.finish().map_or(text.len(), |v| v.len())
}

fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Builds one language's index of `docs` (numbered in order) for language `lang`.
pub fn build(docs: &[Document], lang: &str) -> IndexFiles {
    use rayon::prelude::*;
    // Each document's words and weights, in parallel; then each distinct word stemmed once.
    let per_doc: Vec<HashMap<String, u32>> = docs
        .par_iter()
        .map(|d| {
            let mut found: HashMap<String, u32> = HashMap::new();
            let mut add = |text: &str, weight: u32| {
                for w in words(text) {
                    if STOP.contains(&w.as_str()) {
                        continue;
                    }
                    let slot = found.entry(w).or_insert(0);
                    *slot = (*slot + weight).min(255);
                }
            };
            add(&d.title, 3);
            for t in &d.tags {
                add(t, 3);
            }
            add(&d.description, 2);
            add(&d.text, 1);
            found
        })
        .collect();
    let mut stemmed: HashMap<&str, Vec<String>> = HashMap::new();
    let mut postings: HashMap<String, HashMap<u32, u32>> = HashMap::new();
    for (n, found) in per_doc.iter().enumerate() {
        for (w, &weight) in found {
            let st = stemmed.entry(w.as_str()).or_insert_with(|| stems(w, lang));
            for s in st.iter() {
                let slot = match postings.get_mut(s.as_str()) {
                    Some(docs) => docs.entry(n as u32).or_insert(0),
                    None => postings
                        .entry(s.clone())
                        .or_default()
                        .entry(n as u32)
                        .or_insert(0),
                };
                *slot = (*slot + weight).min(255);
            }
        }
    }
    let mut terms: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
    for (term, docs) in postings {
        let mut list: Vec<(u32, u32)> = docs.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(MAX_POSTINGS);
        terms.insert(term, list);
    }
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

/// Writes the terms in shards keyed by their first `len` characters, splitting any shard over
/// the limit by one more character.
fn shard(terms: &BTreeMap<String, Vec<(u32, u32)>>, len: usize, out: &mut IndexFiles) {
    let mut groups: BTreeMap<String, BTreeMap<String, Vec<(u32, u32)>>> = BTreeMap::new();
    for (t, list) in terms {
        let key: String = t.chars().take(len).collect();
        groups
            .entry(key)
            .or_default()
            .insert(t.clone(), list.clone());
    }
    for (key, group) in groups {
        let json = shard_json(&group);
        let longest = group.keys().map(|t| t.chars().count()).max().unwrap_or(0);
        // Splitting helps only while the group holds more than one term.
        if gzip_len(&json) > SHARD_LIMIT && longest > len && group.len() > 1 {
            // Terms exactly `len` long stay in this key's shard; longer ones go one deeper.
            let (own, deeper): (BTreeMap<_, _>, BTreeMap<_, _>) = group
                .into_iter()
                .partition(|(t, _)| t.chars().count() <= len);
            if !own.is_empty() {
                out.files
                    .push((format!("t-{}.json", hex(&key)), shard_json(&own)));
                out.keys.push(key);
            }
            shard(&deeper, len + 1, out);
        } else {
            out.files.push((format!("t-{}.json", hex(&key)), json));
            out.keys.push(key);
        }
    }
}

fn shard_json(group: &BTreeMap<String, Vec<(u32, u32)>>) -> String {
    let flat: BTreeMap<&String, Vec<u32>> = group
        .iter()
        .map(|(t, l)| (t, l.iter().flat_map(|(d, w)| [*d, *w]).collect()))
        .collect();
    serde_json::to_string(&flat).unwrap_or_default()
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
    fn shards_stay_within_the_limit_and_documents_are_chunked() {
        let docs: Vec<Document> = (0..3000)
            .map(|i| Document {
                url: format!("/tips/{i}/"),
                title: format!("Judul {i} kata{i}"),
                snippet: "Ringkasan pendek tentang rumput laut.".into(),
                tags: vec![format!("tag{}", i % 50)],
                description: String::new(),
                text: (0..200)
                    .map(|k| format!("kata{} rumput laut", (i * 7 + k) % 5000))
                    .collect::<Vec<_>>()
                    .join(" "),
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
