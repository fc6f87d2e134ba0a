//! Stable hashes: of texts, of values, and fingerprints of what an output was made from. In
//! `serve`, an output whose fingerprint is the same as in the last successful build is not
//! rendered again. One seed for all, fixed: hashes are compared across builds of one process
//! (not across Rust or foldhash versions).

use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::fast::{FixedState, FoldHasher};

use serde::Serialize;

const SEED: u64 = 0x0062_6572_6461_7961;

/// A stable hash of a text.
pub fn text_hash(text: &str) -> u64 {
    FixedState::with_seed(SEED).hash_one(text)
}

/// A stable hash of any hashable value.
pub fn hash_of(value: impl Hash) -> u64 {
    FixedState::with_seed(SEED).hash_one(value)
}

/// Accumulates the inputs of one output.
pub struct Fingerprint(FoldHasher<'static>);

impl Fingerprint {
    /// A fingerprint of an output of `kind` (`page`, `pager`, ...), with nothing added yet.
    pub fn new(kind: &str) -> Fingerprint {
        let mut h = FixedState::with_seed(SEED).build_hasher();
        kind.hash(&mut h);
        Fingerprint(h)
    }

    /// Adds one input.
    pub fn add(&mut self, value: impl Hash) -> &mut Fingerprint {
        value.hash(&mut self.0);
        self
    }

    /// Adds a value through its serialization: exactly what a template would see of it.
    pub fn json(&mut self, value: &impl Serialize) -> &mut Fingerprint {
        serde_json::to_writer(HashWriter(&mut self.0), value).expect("hashing cannot fail");
        // Separates consecutive values.
        0xffu8.hash(&mut self.0);
        self
    }

    /// The fingerprint of everything added.
    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

struct HashWriter<'a>(&'a mut FoldHasher<'static>);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
