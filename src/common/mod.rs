//! The floor every other module stands on; it imports nothing else of the crate.
//!
//! [`diagnostics`] (located errors and warnings), [`locale`] (Indonesian and English dates,
//! numbers and money), [`phone`] (telephone numbers as links), [`text`] (escaping, suggestions, file-name rules), [`hash`] (stable
//! hashes and output fingerprints), [`memory`] (how soon freed memory goes back to the system) and [`urlpath`] (the rules every output path obeys).

pub mod diagnostics;
pub mod hash;
pub mod locale;
pub mod memory;
pub mod phone;
pub mod text;
pub mod urlpath;
