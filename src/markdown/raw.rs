//! Raw HTML a contributor wrote, and the finishing of a page's HTML: inspecting each HTML
//! block or tag for what sanitising removes and how deep it nests, setting the site's own HTML
//! aside as markers, cleaning, putting the markers back, and closing what `<!-- more -->`
//! left open in the summary.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, TagEnd};

use super::MAX_NESTING;
use crate::common::diagnostics::{Diagnostic, Source};
use crate::sanitize;

/// Raw HTML of one HTML block, gathered to be inspected as a whole: the text, and where each
/// piece starts in the text and in the file.
#[derive(Default)]
pub(super) struct HtmlBlock {
    pub(super) text: String,
    pub(super) starts: Vec<(usize, usize)>,
}

impl HtmlBlock {
    /// File offset of byte `at` of the gathered text.
    pub(super) fn source_offset(&self, at: usize) -> usize {
        let i = self
            .starts
            .partition_point(|(b, _)| *b <= at)
            .saturating_sub(1);
        self.starts.get(i).map_or(0, |(b, s)| s + (at - b))
    }
}

/// State of one render: nesting, raw HTML seen, and the site's own HTML set aside.
pub(super) struct Walk<'s> {
    pub(super) source: &'s Source,
    pub(super) sanitize: bool,
    /// Markdown nesting (open tags) and raw HTML nesting.
    pub(super) depth: i64,
    pub(super) html_depth: i64,
    pub(super) too_deep: bool,
    pub(super) raw_html: bool,
    /// The site's own HTML (report embeds), put back by marker after cleaning, with the span
    /// that placed it.
    pub(super) pieces: Vec<(String, Range<usize>)>,
}

impl Walk<'_> {
    /// Warns about everything sanitising removes from raw HTML at file offset `at`, and checks
    /// the nesting it adds.
    /// Returns the addresses the kept HTML links to (file offset, address, image or not).
    pub(super) fn raw_html(
        &mut self,
        html: &str,
        map: &dyn Fn(usize) -> usize,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(usize, String, bool)> {
        self.raw_html = true;
        let found = sanitize::inspect(html);
        if self.sanitize {
            for r in &found.removals {
                let at = map(r.offset);
                diags.push(
                    Diagnostic::warning(format!("removed {}", r.what))
                        .at(self.source, at..at + r.len, r.why)
                        .help(r.help),
                );
            }
        }
        for &at in &found.missing_alt {
            let at = map(at);
            diags.push(
                Diagnostic::error("image without a description (alt text)")
                    .at(self.source, at..at + 4, "this <img> has no alt attribute")
                    .help("describe what the image shows: <img src=\"jemur.jpg\" alt=\"Rumput laut dijemur di para-para\">; an image that only decorates takes alt=\"\""),
            );
        }
        let deepest = self.depth + self.html_depth + found.max_depth.0;
        if deepest > MAX_NESTING && !self.too_deep {
            self.too_deep = true;
            let at = map(found.max_depth.1);
            diags.push(nesting_error(self.source, at, deepest, "HTML elements"));
        }
        self.html_depth = (self.html_depth + found.depth_change).max(0);
        found
            .links
            .into_iter()
            .map(|(at, url, image)| (map(at), url, image))
            .collect()
    }

    /// A marker standing for the site's own `html`, placed by the markdown at `span`.
    pub(super) fn piece(&mut self, html: String, span: Range<usize>) -> String {
        self.pieces.push((html, span));
        sanitize::marker(self.pieces.len() - 1)
    }

    /// Cleans `html` when it holds raw HTML, then puts the site's own pieces back.
    pub(super) fn finish(&self, html: &str, diags: Option<&mut Vec<Diagnostic>>) -> String {
        let pieces: Vec<&str> = self.pieces.iter().map(|p| p.0.as_str()).collect();
        let cleaned = if self.sanitize && self.raw_html {
            sanitize::clean(html)
        } else {
            html.to_string()
        };
        let (out, lost) = sanitize::put_back(&cleaned, &pieces);
        // Character references (`&#x1b;`) decode to characters the file itself may not hold.
        let replaced = if crate::content::text::holds_replaced(&out) {
            out.chars()
                .filter(|c| crate::content::text::is_replaced(*c))
                .count()
        } else {
            0
        };
        let out = if replaced > 0 {
            out.chars()
                .map(|c| {
                    if crate::content::text::is_replaced(c) {
                        '\u{FFFD}'
                    } else {
                        c
                    }
                })
                .collect()
        } else {
            out
        };
        let depth = html_depth(&out);
        if let Some(diags) = diags {
            if replaced > 0 {
                let at = self.source.text.find("&#").unwrap_or(0);
                diags.push(
                    Diagnostic::warning(format!(
                        "replaced {replaced} invisible control character{} written as character references by \u{FFFD}",
                        if replaced == 1 { "" } else { "s" }
                    ))
                    .at(self.source, at..at + 2, "such as this one")
                    .help("delete the `&#...;` references to control characters"),
                );
            }
            if depth > 2 * MAX_NESTING {
                diags.push(nesting_error(self.source, 0, depth, "this page's HTML"));
                return String::new();
            }
            for n in lost
                .into_iter()
                .filter(|n| html.contains(&sanitize::marker(*n)))
            {
                diags.push(
                    Diagnostic::error("a chart, table or number of the report could not be placed")
                        .at(self.source, self.pieces[n].1.clone(), "it ends up inside HTML that is removed or not closed")
                        .help("close the HTML element before it (for example `</script>` or the quote of an attribute), or move the placement out of it"),
                );
            }
        } else if depth > 2 * MAX_NESTING {
            return String::new();
        }
        out
    }
}

/// The deepest element nesting of well-formed HTML (what pulldown-cmark and ammonia write):
/// start tags of non-void elements open, end tags close; comments and quoted attribute values
/// are skipped. For HTML that is not well-formed (sanitising off) it can only count too deep.
pub fn html_depth(html: &str) -> i64 {
    let b = html.as_bytes();
    let (mut depth, mut max, mut i) = (0i64, 0i64, 0usize);
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let name_len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
            .count();
        if name_len == 0 {
            continue;
        }
        let name = &html[start..start + name_len];
        // The end of the tag, past quoted values.
        let mut j = start + name_len;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (None, b'"' | b'\'') => quote = Some(b[j]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let self_closing = j > 0 && b.get(j - 1) == Some(&b'/');
        i = (j + 1).min(b.len());
        const VOID: &[&str] = &[
            "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr",
        ];
        if closing {
            depth = (depth - 1).max(0);
        } else if !self_closing && !VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            depth += 1;
            max = max.max(depth);
        }
        if i >= b.len() {
            break;
        }
    }
    max
}

pub(super) fn nesting_error(source: &Source, at: usize, depth: i64, what: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "{what} nested {depth} levels deep; a page may nest at most {MAX_NESTING}"
    ))
    .at(source, at..at, "nested too deep from here on")
    .help("remove the extra `>`, list markers or HTML tags; quotes and lists rarely need more than a few levels")
}

/// The events before `<!-- more -->`, with every element still open there closed, so a marker
/// inside a link or a list does not leave the listing page's HTML open.
pub(super) fn summary_events<'a>(events: &[Event<'a>]) -> impl Iterator<Item = Event<'a>> {
    let mut open: Vec<TagEnd> = Vec::new();
    for e in events {
        match e {
            Event::Start(tag) => open.push(tag.to_end()),
            Event::End(_) => {
                open.pop();
            }
            _ => {}
        }
    }
    let closing = open.into_iter().rev().flat_map(|end| {
        let wrap = (end == TagEnd::Table).then_some(Event::Html(CowStr::Borrowed("</div>")));
        std::iter::once(Event::End(end)).chain(wrap)
    });
    // A footnote's text is not in the summary: its reference would point nowhere there.
    events
        .iter()
        .filter(|e| !matches!(e, Event::FootnoteReference(_)))
        .cloned()
        .chain(closing)
}
