//! Fingerprints of what an output was made from. In `serve`, an output whose fingerprint is the
//! same as in the last successful build is not rendered again.

use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::fast::{FixedState, FoldHasher};

use serde::Serialize;

/// Accumulates the inputs of one output.
pub struct Fp(FoldHasher<'static>);

impl Fp {
    pub fn new(kind: &str) -> Fp {
        // A fixed seed: fingerprints are compared across builds of one process.
        let mut h = FixedState::with_seed(0x0062_6572_6461_7961).build_hasher();
        kind.hash(&mut h);
        Fp(h)
    }

    pub fn add(&mut self, value: impl Hash) -> &mut Fp {
        value.hash(&mut self.0);
        self
    }

    /// Adds a value through its serialization: exactly what a template would see of it.
    pub fn json(&mut self, value: &impl Serialize) -> &mut Fp {
        serde_json::to_writer(HashWriter(&mut self.0), value).expect("hashing cannot fail");
        // Separates consecutive values.
        0xffu8.hash(&mut self.0);
        self
    }

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
