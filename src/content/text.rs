//! Turning a contributor's file into text: UTF-8 is required (with a located error naming the
//! first byte that is not), and invisible characters that must never reach a page — C0 and C1
//! control characters other than tab and line breaks, DEL, and Unicode noncharacters — are
//! replaced by U+FFFD, as CommonMark does for NUL, with one warning per file.

use std::path::PathBuf;

use crate::common::diagnostics::{Diagnostic, Source};

/// True for characters replaced by U+FFFD: controls other than tab, LF and CR; DEL; C1
/// controls; noncharacters (U+FDD0–U+FDEF and U+xFFFE/U+xFFFF, which the sanitiser's markers use).
pub fn is_replaced(c: char) -> bool {
    let n = c as u32;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || (0xFDD0..=0xFDEF).contains(&n)
        || (n & 0xFFFE) == 0xFFFE
}

/// Whether `text` holds a character [`is_replaced`] replaces. Every such character's UTF-8
/// holds a byte below 0x20 (other than tab and line ends), 0x7F, 0xC2 (C1 controls), 0xEF
/// (U+FDD0.. and U+xFFFE/F of the first plane) or 0xF0-0xF4 (other planes): text without one
/// is passed over byte by byte, not decoded.
pub fn holds_replaced(text: &str) -> bool {
    let suspect = text.bytes().any(|b| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || matches!(b, 0x7F | 0xC2 | 0xEF | 0xF0..=0xF4)
    });
    suspect && text.chars().any(is_replaced)
}

/// Decodes `bytes` of the file shown as `path`. Errors: a file that is not UTF-8, located at
/// its first invalid byte. Returns the source and a warning when characters were replaced.
pub fn decode(path: PathBuf, bytes: Vec<u8>) -> Result<(Source, Vec<Diagnostic>), Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
            let byte = bytes[at];
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let source = Source::new(path, lossy);
            let help = if utf16 {
                "the file is saved as UTF-16; save it again as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"
            } else {
                "save the file as UTF-8 (in Notepad: Save As, Encoding: UTF-8); text from old Word or Excel files often needs this"
            };
            return Err(Diagnostic::error("this file is not UTF-8 text")
                .at(
                    &source,
                    at..at + 1,
                    format!("byte 0x{byte:02X} here is not UTF-8"),
                )
                .help(help));
        }
    };
    if !holds_replaced(&text) {
        return Ok((Source::new(path, text), Vec::new()));
    }
    let mut cleaned = String::with_capacity(text.len() + 8);
    let mut first: Option<(usize, char)> = None;
    let mut lines = Vec::new();
    let mut count = 0;
    let mut line = 1;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if is_replaced(c) {
            count += 1;
            first.get_or_insert((cleaned.len(), c));
            if lines.last() != Some(&line) {
                lines.push(line);
            }
            cleaned.push('\u{FFFD}');
        } else {
            cleaned.push(c);
        }
    }
    let source = Source::new(path, cleaned);
    let (at, c) = first.expect("a replaced character");
    let shown: Vec<String> = lines.iter().take(8).map(usize::to_string).collect();
    let more = if lines.len() > 8 { ", ..." } else { "" };
    let warning = Diagnostic::warning(format!(
        "replaced {count} invisible control character{} by \u{FFFD} (line{} {}{more})",
        if count == 1 { "" } else { "s" },
        if lines.len() == 1 { "" } else { "s" },
        shown.join(", ")
    ))
    .at(
        &source,
        at..at + '\u{FFFD}'.len_utf8(),
        format!("{} was here", c.escape_unicode()),
    )
    .help("such characters come with text copied from PDFs, office documents or phones; delete the \u{FFFD} marks or retype the text around them");
    Ok((source, vec![warning]))
}

/// What in an SVG file would run script when the file is opened on its own (`<script`, an
/// `on...=` event handler, a `javascript:` link, embedded HTML), or `None`. Numeric character
/// references are decoded first and white space ignored in links, as browsers do.
pub fn svg_active_content(svg: &str) -> Option<&'static str> {
    let lower = decode_numeric_references(&svg.to_ascii_lowercase());
    for (needle, what) in [
        ("<script", "a <script>"),
        ("<foreignobject", "embedded HTML (<foreignObject>)"),
        ("<iframe", "a frame"),
        ("<embed", "an <embed>"),
        ("<object", "an <object>"),
        ("<handler", "an event handler"),
        ("<listener", "an event listener"),
    ] {
        if lower.contains(needle) {
            return Some(what);
        }
    }
    let compact: String = lower
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    for (needle, what) in [
        ("javascript:", "a javascript: link"),
        ("vbscript:", "a vbscript: link"),
        ("data:text", "a data: document"),
    ] {
        if compact.contains(needle) {
            return Some(what);
        }
    }
    // A file inside the drawing (a photo keeps its camera data: GPS positions, serial numbers),
    // in any disguise: any `data:` address, and entity definitions that could spell one.
    if compact.contains("data:") {
        return Some("an embedded file (data:...), such as a photo that keeps its camera data");
    }
    if compact.contains("<!entity") {
        return Some("entity definitions (<!ENTITY), which can hide embedded files");
    }
    // ` onload=`, `\tonclick =`: any attribute whose name starts with "on".
    let b = lower.as_bytes();
    for (i, w) in lower.match_indices("on") {
        let before = i.checked_sub(1).map(|j| b[j]);
        if !before.is_some_and(|c| c.is_ascii_whitespace() || c == b'/' || c == b'"' || c == b'\'')
        {
            continue;
        }
        let rest = &lower[i + w.len()..];
        let name_len = rest.bytes().take_while(|c| c.is_ascii_alphabetic()).count();
        if name_len > 0 && rest[name_len..].trim_start().starts_with('=') {
            return Some("an event handler (on...=)");
        }
    }
    None
}

/// `&#106;` and `&#x6a;` replaced by the characters they stand for.
fn decode_numeric_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("&#") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let (digits, radix) = match after.strip_prefix(['x', 'X']) {
            Some(h) => (h, 16),
            None => (after, 10),
        };
        let len = digits.chars().take_while(|c| c.is_digit(radix)).count();
        let decoded = u32::from_str_radix(&digits[..len], radix)
            .ok()
            .and_then(char::from_u32);
        match decoded {
            Some(c) if len > 0 => {
                out.push(c);
                let consumed = (after.len() - digits.len()) + len;
                rest = &after[consumed..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            _ => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_filter_agrees_with_is_replaced_on_every_character() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let text = format!("ab{c}cd");
            assert_eq!(holds_replaced(&text), is_replaced(c), "{:?}", c);
        }
    }

    #[test]
    fn controls_become_replacement_characters_with_one_warning() {
        let (src, diags) = decode("x.md".into(), b"a\0b\n\x1bc\td\r\n".to_vec()).unwrap();
        assert_eq!(&*src.text, "a\u{FFFD}b\n\u{FFFD}c\td\r\n");
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0]
                .message
                .contains("replaced 2 invisible control characters")
        );
        assert!(diags[0].message.contains("lines 1, 2"));
        assert_eq!(diags[0].location().unwrap(), "x.md:1:2");
    }

    #[test]
    fn svgs_that_run_script_are_found() {
        assert_eq!(svg_active_content("<svg><circle r=\"5\"/></svg>"), None);
        assert_eq!(
            svg_active_content("<svg><text>font=\"x\" icon</text></svg>"),
            None
        );
        for bad in [
            "<svg><SCRIPT>alert(1)</SCRIPT></svg>",
            "<svg onload=\"alert(1)\"/>",
            "<svg><a xlink:href=\"&#106;avascript:alert(1)\"><text>x</text></a></svg>",
            "<svg><a href=\"java\tscript:alert(1)\">x</a></svg>",
            "<svg><foreignObject><p>x</p></foreignObject></svg>",
        ] {
            assert!(svg_active_content(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = decode("x.md".into(), b"+++\ntitle = \"caf\x92\"\n".to_vec()).unwrap_err();
        assert_eq!(e.location().unwrap(), "x.md:2:13");
        assert!(e.to_string().contains("byte 0x92 here is not UTF-8"));
    }
}
