//! The units of a build and what `serve` keeps of them: each output unit (a page, a pager, a
//! feed) with the fingerprint of its inputs and the files it makes, so the next build renders
//! only units whose inputs changed; and the claims that find two units making one file.

use std::any::Any;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use foldhash::{HashMap, HashMapExt};

use super::Output;
use super::encode::compressible;

/// What an output unit is: the key its fingerprint and files are remembered by between builds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitKey {
    /// A page (path under `content/`), with its calendar and redirects.
    Page(String),
    /// One pager of a section or taxonomy-term listing, by its URL.
    Pager(String),
    /// The home page of a language, by its URL.
    Home(String),
    /// A workshop section's schedule and calendar, by its URL.
    Schedule(String),
    /// The redirects of a section (path under `content/` of its `_index` file).
    SectionAliases(String),
    /// The list of a taxonomy's terms, by its URL.
    Taxonomy(String),
    /// An Atom feed, by its URL.
    Feed(String),
    /// `sitemap.xml`.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// The page-not-found page of a language.
    NotFound(String),
    /// The impact report's pages and downloads in a language.
    Impact(String),
    /// A language's search page and search index.
    Search(String),
    /// A language's A–Z pages of titles.
    SearchAz(String),
    /// A file copied as it is, by its output path.
    Asset(String),
}

impl std::fmt::Display for UnitKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnitKey::Page(x) => write!(f, "page {x}"),
            UnitKey::Pager(x) => write!(f, "listing {x}"),
            UnitKey::Home(x) => write!(f, "home {x}"),
            UnitKey::Schedule(x) => write!(f, "schedule {x}"),
            UnitKey::SectionAliases(x) => write!(f, "redirects of {x}"),
            UnitKey::Taxonomy(x) => write!(f, "taxonomy list {x}"),
            UnitKey::Feed(x) => write!(f, "feed {x}"),
            UnitKey::Sitemap => f.write_str("sitemap"),
            UnitKey::Robots => f.write_str("robots.txt"),
            UnitKey::NotFound(x) => write!(f, "404 page ({x})"),
            UnitKey::Impact(x) => write!(f, "impact report ({x})"),
            UnitKey::Search(x) => write!(f, "search ({x})"),
            UnitKey::SearchAz(x) => write!(f, "A–Z pages ({x})"),
            UnitKey::Asset(x) => write!(f, "file {x}"),
        }
    }
}

/// What the renderer keeps about one output unit (a page, a pager, a feed) between builds.
pub type Payload = Arc<dyn Any + Send + Sync>;

/// One output unit of a build: its fingerprint, the files it wrote, and what the renderer kept.
#[derive(Clone)]
pub struct Unit {
    /// Fingerprint: a 64-bit hash of everything the unit's output depends on; equal between
    /// builds means its files need not be made again.
    pub fp: u64,
    /// The files the unit makes, as paths relative to the output folder.
    /// Shared: a unit kept from the last build is carried over without copying its list.
    pub files: Arc<[String]>,
    /// What the renderer kept of the unit, or `None` when it kept nothing (yet).
    pub payload: Option<Payload>,
    /// Set while a round carries the unit over untouched (see [`Output::keep_if_clean`]).
    kept: Kept,
}

/// Whether the round under way carries a unit of the last build over; a copy starts unset.
#[derive(Default)]
struct Kept(AtomicBool);

impl Clone for Kept {
    fn clone(&self) -> Kept {
        Kept::default()
    }
}

impl Kept {
    fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Unsets the flag; true when it was set.
    fn take(&mut self) -> bool {
        std::mem::take(self.0.get_mut())
    }
}

/// The units of the last successful build, by key.
#[derive(Clone, Default)]
pub struct Memo {
    /// Every unit of the build, by its key.
    pub units: HashMap<UnitKey, Unit>,
    /// The files and folders the build's units make, by unit: a round whose units make exactly
    /// the last one's files starts from these instead of claiming every file again.
    claims: Arc<Claims>,
}

impl Memo {
    /// Every file the build wrote, relative to the output folder.
    pub fn files(&self) -> BTreeSet<&str> {
        self.units
            .values()
            .flat_map(|u| u.files.iter().map(String::as_str))
            .collect()
    }
}

pub(super) struct MemoState {
    pub(super) prev: Memo,
    /// Render every unit even when its fingerprint is unchanged (after berdaya.toml changed).
    force: bool,
    /// This build's units, in shards so that parallel renders rarely wait for each other;
    /// without the last build's units carried over untouched (`prev`'s with `kept` set).
    next: Vec<Mutex<HashMap<UnitKey, Unit>>>,
    /// How many of the last build's units are carried over.
    kept: AtomicUsize,
    /// Once every unit is known (see [`Output::settle_claims`]): the last build's claims when
    /// this build's units make exactly its files, else `None` (the carried units are claimed).
    settled: OnceLock<Option<Arc<Claims>>>,
}

const SHARDS: usize = 32;

impl MemoState {
    pub(super) fn new(prev: Memo, force: bool) -> MemoState {
        MemoState {
            prev,
            force,
            next: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            kept: AtomicUsize::new(0),
            settled: OnceLock::new(),
        }
    }

    fn shard(&self, key: &UnitKey) -> std::sync::MutexGuard<'_, HashMap<UnitKey, Unit>> {
        let h = crate::common::hash::hash_of(key) as usize;
        self.next[h % SHARDS].lock().expect("memo")
    }

    /// The units this build registered (rendered or fingerprinted), without the carried ones.
    pub(super) fn take_registered(&self) -> HashMap<UnitKey, Unit> {
        let n = self
            .next
            .iter()
            .map(|s| s.lock().expect("memo").len())
            .sum();
        let mut units = HashMap::with_capacity(n);
        for shard in &self.next {
            units.extend(std::mem::take(&mut *shard.lock().expect("memo")));
        }
        units
    }

    /// This build's units: the `registered` ones and the last build's carried over (moved out
    /// of `prev`, their flags unset), with this build's `claims`.
    pub(super) fn into_memo(
        mut self,
        registered: HashMap<UnitKey, Unit>,
        claims: Arc<Claims>,
    ) -> Memo {
        let mut units = std::mem::take(&mut self.prev.units);
        units.retain(|_, u| u.kept.take());
        units.extend(registered);
        Memo { units, claims }
    }

    /// True when the round carries unit `u` of the last build over.
    pub(super) fn carries(u: &Unit) -> bool {
        u.kept.is_set()
    }

    /// Carries unit `u` of the last build over (counted once).
    fn carry(&self, u: &Unit) {
        if !u.kept.0.swap(true, Ordering::Relaxed) {
            self.kept.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Whether a unit must be rendered.
pub enum Fresh {
    /// Render it: the unit is new or changed, every unit is forced, or units are not tracked.
    Render,
    /// Unchanged since the last build: its files stay as they are.
    Keep(Option<Payload>),
}

/// Two units of one build that both make the same file, or one a file where the other needs a
/// folder (an alias `/atom.xml` becomes `atom.xml/index.html`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Collision {
    /// The file (or the file standing where a folder is needed), relative to the output folder.
    pub file: String,
    /// The two units' keys, in sorted order; the same key twice when one unit makes a file
    /// twice (a page whose alias is its own address).
    pub first: UnitKey,
    /// See [`Collision::first`].
    pub second: UnitKey,
    /// True when one unit writes `file` as a file and the other needs it as a folder.
    pub folder: bool,
}

#[derive(Default)]
pub(crate) struct Claims {
    files: HashMap<String, UnitKey>,
    folders: HashMap<String, UnitKey>,
    /// Generated files (not copied ones) and folders named like a compressed copy of a file
    /// berdaya compresses (`x/index.html.gz`), by that file (`x/index.html`): each with the
    /// unit and whether it is a folder. With precompression on, that copy goes there too.
    sibling_named: HashMap<String, Vec<(String, UnitKey, bool)>>,
}

impl Claims {
    /// Records `path` (a folder when `folder`) of unit `key` when it is named like the
    /// compressed copy of a file berdaya compresses, with a collision when a unit makes that file.
    fn named_like_a_copy(
        &mut self,
        path: &str,
        key: &UnitKey,
        folder: bool,
        found: &mut Vec<Collision>,
        collision: &impl Fn(&str, &UnitKey, bool) -> Collision,
    ) {
        let Some(base) = path
            .strip_suffix(".gz")
            .or_else(|| path.strip_suffix(".br"))
        else {
            return;
        };
        if !compressible(base) {
            return;
        }
        if let Some(owner) = self.files.get(base) {
            found.push(collision(path, owner, folder));
        }
        let named = self.sibling_named.entry(base.to_string()).or_default();
        if !named.iter().any(|(p, ..)| p == path) {
            named.push((path.to_string(), key.clone(), folder));
        }
    }
}

impl Output {
    /// A unit's fingerprint with one more input: which of its files static files stand in for
    /// (it writes nothing there, nor claims them; when one goes, the unit must write and claim
    /// it again).
    fn seal(&self, fp: u64, files: &[String]) -> u64 {
        let mut sealed = crate::common::hash::Fingerprint::new("shadowed");
        let mut any = false;
        for (i, f) in files.iter().enumerate() {
            if self.is_static(f) {
                sealed.add(i);
                any = true;
            }
        }
        if any { fp ^ sealed.finish() } else { fp }
    }

    /// Tells an in-place build that, of the pages, only those named (page unit keys) may have
    /// changed inputs: the others are kept without computing their fingerprints.
    pub fn with_dirty_pages(mut self, keys: std::collections::HashSet<UnitKey>) -> Output {
        self.dirty_pages = Some(keys.into_iter().collect());
        self
    }

    /// Keeps unit `key` as the previous build made it, when the caller knows its inputs did not
    /// change (see [`Output::with_dirty_pages`]); returns its payload, or `None` when it must be
    /// rendered after all. The unit is carried over as it is: nothing is copied or claimed for
    /// it, so a round costs what its changed units cost (see [`Output::settle_claims`]).
    pub fn keep_if_clean(&self, key: &UnitKey) -> Option<Payload> {
        let m = self.memo.as_ref()?;
        if m.force || self.dirty_pages.as_ref()?.contains(key) {
            return None;
        }
        let unit = m.prev.units.get(key)?;
        let payload = unit.payload.clone()?;
        m.carry(unit);
        Some(payload)
    }

    /// Records units with fingerprints, so that the next build can skip unchanged ones.
    pub fn with_memo(mut self) -> Output {
        self.memo = Some(MemoState::new(Memo::default(), true));
        self
    }

    /// True when units are recorded (serve); plain builds render everything and keep nothing.
    pub fn tracks_units(&self) -> bool {
        self.memo.is_some()
    }

    /// The previous build's payload of unit `key`.
    pub fn previous_payload(&self, key: &UnitKey) -> Option<&Payload> {
        self.memo.as_ref()?.prev.units.get(key)?.payload.as_ref()
    }

    /// Records unit `key` made of `files` (paths in the output folder); says whether to render
    /// it. `fp` is only computed when units are tracked. A unit with the fingerprint and files
    /// it had in the last build is carried over as it is, like [`Output::keep_if_clean`]'s.
    pub fn unit(&self, key: UnitKey, fp: impl FnOnce() -> u64, files: Vec<String>) -> Fresh {
        let Some(m) = &self.memo else {
            self.claim(&key, &files);
            return Fresh::Render;
        };
        debug_assert!(
            m.settled.get().is_none(),
            "unit {key} after the claims settled"
        );
        let fp = self.seal(fp(), &files);
        let same = m
            .prev
            .units
            .get(&key)
            .filter(|u| !m.force && u.fp == fp && *u.files == *files);
        if let Some(u) = same {
            m.carry(u);
            return Fresh::Keep(u.payload.clone());
        }
        self.claim(&key, &files);
        m.shard(&key).insert(
            key,
            Unit {
                fp,
                files: files.into(),
                payload: None,
                kept: Kept::default(),
            },
        );
        Fresh::Render
    }

    /// Stores what the renderer keeps of unit `key`, with its fingerprint as computed after
    /// rendering.
    pub fn set_payload(&self, key: &UnitKey, fp: u64, payload: Payload) {
        let Some(m) = &self.memo else {
            return;
        };
        let mut shard = m.shard(key);
        if let Some(u) = shard.get_mut(key) {
            u.fp = self.seal(fp, &u.files);
            u.payload = Some(payload);
        } else if let Some(u) = m.prev.units.get(key).filter(|u| MemoState::carries(u)) {
            // Carried over, yet rendered (its last build kept no payload): this build's unit
            // replaces the carried one.
            shard.insert(
                key.clone(),
                Unit {
                    fp: self.seal(fp, &u.files),
                    files: u.files.clone(),
                    payload: Some(payload),
                    kept: Kept::default(),
                },
            );
        }
    }

    /// Records that unit `key` makes `files`; a file another unit already makes is a
    /// [`Collision`]. A static file standing in for a generated one is not.
    fn claim(&self, key: &UnitKey, files: &[String]) {
        let is_asset = matches!(key, UnitKey::Asset(_));
        let mut claims = self.claims.lock().expect("claims");
        let mut found = Vec::new();
        let collision = |file: &str, other: &UnitKey, folder: bool| {
            let (first, second) = if other <= key {
                (other.clone(), key.clone())
            } else {
                (key.clone(), other.clone())
            };
            Collision {
                file: file.to_string(),
                first,
                second,
                folder,
            }
        };
        for (i, f) in files.iter().enumerate() {
            if !is_asset && self.is_static(f) {
                continue;
            }
            if files[..i].contains(f) {
                found.push(collision(f, key, false));
                continue;
            }
            match claims.files.get(f.as_str()) {
                Some(owner) if owner != key => found.push(collision(f, owner, false)),
                Some(_) => {}
                None => {
                    claims.files.insert(f.clone(), key.clone());
                }
            }
            if self.opts.precompress {
                // A generated file where another file's compressed copy goes (copied files
                // there are published instead of the copy), whichever is claimed first.
                if !is_asset {
                    claims.named_like_a_copy(f, key, false, &mut found, &collision);
                }
                if let Some(named) = claims.sibling_named.get(f.as_str()) {
                    for (copy, owner, folder) in named {
                        found.push(collision(copy, owner, *folder));
                    }
                }
            }
            if let Some(owner) = claims.folders.get(f.as_str()) {
                found.push(collision(f, owner, true));
            }
            let mut folder = f.as_str();
            while let Some((parent, _)) = folder.rsplit_once('/') {
                folder = parent;
                if let Some(owner) = claims.files.get(folder) {
                    found.push(collision(folder, owner, true));
                }
                // Most folders are claimed already (`blog/` by every post): no copy then.
                if !claims.folders.contains_key(folder) {
                    claims.folders.insert(folder.to_string(), key.clone());
                    // A folder where a compressed copy goes (an alias `/x/index.html.gz`).
                    if self.opts.precompress {
                        claims.named_like_a_copy(folder, key, true, &mut found, &collision);
                    }
                }
            }
        }
        drop(claims);
        if !found.is_empty() {
            self.collisions.lock().expect("collisions").extend(found);
        }
    }

    /// Completes the claims once every unit of the build is known (it is called by
    /// [`Output::makes`], [`Output::collisions`] and when the units are taken; no unit may be
    /// added after). Units carried over by [`Output::keep_if_clean`] were not claimed: when
    /// every unit of this build makes exactly the files it made in the last build and no unit
    /// came or went, the claims are the last build's (which had no collision) and are returned;
    /// otherwise the carried units are claimed now, as a full round would have, and `None` is
    /// returned (the claims in `self.claims` are then complete).
    pub(super) fn settle_claims(&self) -> Option<&Arc<Claims>> {
        let m = self.memo.as_ref()?;
        m.settled
            .get_or_init(|| {
                let kept = m.kept.load(Ordering::Relaxed);
                if kept == 0 {
                    return None;
                }
                let (mut registered, mut same) = (0, 0);
                for shard in &m.next {
                    for (key, u) in shard.lock().expect("memo").iter() {
                        registered += 1;
                        same += usize::from(
                            m.prev
                                .units
                                .get(key)
                                .is_some_and(|p| !MemoState::carries(p) && p.files == u.files),
                        );
                    }
                }
                if registered == same
                    && kept + same == m.prev.units.len()
                    && self.collisions.lock().expect("collisions").is_empty()
                {
                    return Some(m.prev.claims.clone());
                }
                for (key, u) in &m.prev.units {
                    if MemoState::carries(u) {
                        self.claim(key, &u.files);
                    }
                }
                None
            })
            .as_ref()
    }

    /// True when a unit of this build makes `path` (a file under the output folder, `tips/index.html`)
    /// or a static file provides it. Call once every unit is known.
    pub fn makes(&self, path: &str) -> bool {
        if self.is_static(path) {
            return true;
        }
        match self.settle_claims() {
            Some(last) => last.files.contains_key(path),
            None => self.claims.lock().expect("claims").files.contains_key(path),
        }
    }

    /// Files that two units of this build both make, sorted. Call once every unit is known.
    pub fn collisions(&self) -> Vec<Collision> {
        self.settle_claims();
        let mut c = self.collisions.lock().expect("collisions").clone();
        c.sort();
        c.dedup();
        c
    }

    /// This build's claims, complete, for the next build (taken out of the output).
    pub(super) fn take_claims(&self) -> Arc<Claims> {
        match self.settle_claims() {
            Some(last) => last.clone(),
            None => Arc::new(std::mem::take(&mut *self.claims.lock().expect("claims"))),
        }
    }

    /// Gives back the previous build's units (when this build failed and wrote nothing).
    pub fn into_previous(mut self) -> Memo {
        let Some(m) = self.memo.take() else {
            return Memo::default();
        };
        let mut prev = m.prev;
        for u in prev.units.values_mut() {
            u.kept.take();
        }
        prev
    }

    /// Takes the units of a first build ([`Output::with_memo`]), for the next one: it has no
    /// last build to carry units over from. Call once every unit is known.
    pub fn take_memo(&self) -> Option<Memo> {
        let claims = self.take_claims();
        let m = self.memo.as_ref()?;
        debug_assert_eq!(
            m.kept.load(Ordering::Relaxed),
            0,
            "a first build carries nothing"
        );
        Some(Memo {
            units: m.take_registered(),
            claims,
        })
    }
}
