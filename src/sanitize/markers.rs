//! The site's own HTML (report charts and numbers, task-list checkboxes) is set aside as
//! markers while a page is cleaned, and put back after: markers contributors cannot write,
//! carrying a number drawn once per process.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Characters that mark where the site's own HTML (report charts, numbers) goes back in after
/// cleaning. Contributors cannot write them: [`crate::content`] replaces noncharacters in every
/// file by U+FFFD.
pub const MARK_OPEN: char = '\u{FDD0}';

/// See [`MARK_OPEN`].
pub const MARK_CLOSE: char = '\u{FDD1}';

/// A number drawn once per process that every marker carries, so a marker cannot be forged even
/// by a character reference (`&#xFDD0;`) that decodes to the marker characters. Markers never
/// reach the output, so builds stay reproducible.
fn nonce() -> u64 {
    static N: OnceLock<u64> = OnceLock::new();
    *N.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
    })
}

/// The site's own HTML to put back after cleaning, by marker number.
pub fn marker(n: usize) -> String {
    format!("{MARK_OPEN}{:016x}.{n}{MARK_CLOSE}", nonce())
}

/// Replaces every marker in cleaned `html` by `pieces[n]` (markers without a piece are
/// dropped). Returns the numbers of the pieces that could not be placed (their marker was inside a removed element, such as an unclosed
/// `<script>`).
pub fn put_back<S: AsRef<str>>(html: &str, pieces: &[S]) -> (String, Vec<usize>) {
    if !html.contains(MARK_OPEN) {
        return (html.to_string(), (0..pieces.len()).collect());
    }
    let mut out =
        String::with_capacity(html.len() + pieces.iter().map(|p| p.as_ref().len()).sum::<usize>());
    let mut placed = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(MARK_OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + MARK_OPEN.len_utf8()..];
        match after.find(MARK_CLOSE) {
            Some(j) => {
                let prefix = format!("{:016x}.", nonce());
                if let Some(piece) = after[..j]
                    .strip_prefix(&prefix)
                    .and_then(|n| n.parse::<usize>().ok())
                    .and_then(|n| pieces.get(n).map(|p| (n, p)))
                    && placed.insert(piece.0)
                {
                    out.push_str(piece.1.as_ref());
                }
                rest = &after[j + MARK_CLOSE.len_utf8()..];
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    let lost = (0..pieces.len()).filter(|n| !placed.contains(n)).collect();
    (out, lost)
}
