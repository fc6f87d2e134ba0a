//! Reading a contributor's raw HTML as the browser's tokenizer does (html5ever), to say for
//! every tag and attribute what cleaning removes and why, and how deep the HTML nests.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::{DROP_WITH_CONTENT, TAGS, attribute_problem};

/// One thing sanitising removes from a contributor's HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// Byte offset in the inspected text where the removed tag or attribute starts.
    pub offset: usize,
    /// Byte length of the text pointed at.
    pub len: usize,
    /// What goes, e.g. "`<script>` and its content".
    pub what: String,
    /// Why, in one short clause.
    pub why: &'static str,
    /// What to do instead.
    pub help: &'static str,
}

/// Elements whose end tag may be left out: they do not deepen the nesting count.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rb",
    "rt", "rp", "rtc", "colgroup", "caption", "html", "head", "body",
];

pub(super) const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen",
];

/// What [`inspect`] found in a piece of raw HTML.
#[derive(Debug, Default)]
pub struct Inspection {
    /// Every removal, in order.
    pub removals: Vec<Removal>,
    /// Elements left open minus end tags of elements opened before (those with optional end
    /// tags not counted).
    pub depth_change: i64,
    /// Deepest point relative to the start, and the byte offset where it was reached.
    pub max_depth: (i64, usize),
    /// Addresses the kept HTML links to or shows (`<a href>`, `<img src>`), with the byte
    /// offset of the attribute, as written; true for an image.
    pub links: Vec<(usize, String, bool)>,
    /// Byte offsets of kept `<img>` tags without an `alt` attribute.
    pub missing_alt: Vec<usize>,
}

struct Sink<'a> {
    text: &'a str,
    /// `text` in ASCII lower case (same byte offsets), searched for tags.
    lower: String,
    /// Where the next tag is searched from.
    cursor: RefCell<usize>,
    found: RefCell<Inspection>,
    /// Elements open in this piece, as the HTML parser nests them: an end tag closes up to its
    /// element when that is open, and is ignored otherwise.
    open: RefCell<Vec<String>>,
    /// End tags of elements opened before this piece.
    closed_outer: RefCell<i64>,
    /// Inside an element removed with its content: its name and how many are open.
    dropping: RefCell<Option<(String, usize)>>,
}

impl Sink<'_> {
    /// Finds `<name` (any case) from the cursor: the start of the tag just read.
    fn locate(&self, name: &str, end: bool) -> usize {
        let mut cursor = self.cursor.borrow_mut();
        let open = if end { "</" } else { "<" };
        let at = self.lower[*cursor..]
            .find(&format!("{open}{name}"))
            .map_or(*cursor, |i| *cursor + i);
        *cursor = (at + open.len() + name.len()).min(self.text.len());
        while !self.text.is_char_boundary(*cursor) {
            *cursor += 1;
        }
        at
    }

    fn attribute_offset(&self, tag_at: usize, attr: &str) -> usize {
        let rest = &self.lower[tag_at..];
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        rest[..end].find(attr).map_or(tag_at, |i| tag_at + i)
    }
}

/// The removal of tag `name` at byte `at` (`len` bytes): with its content, or the tag alone
/// (its text is kept); and why.
fn tag_removal(name: &str, at: usize, len: usize, with_content: bool) -> Removal {
    let (why, help) = tag_reason(name);
    let what = if with_content {
        format!("`<{name}>` and its content")
    } else {
        format!("the `<{name}>` tag (its text is kept)")
    };
    Removal {
        offset: at,
        len,
        what,
        why,
        help,
    }
}

fn tag_reason(name: &str) -> (&'static str, &'static str) {
    match name {
        "script" | "noscript" => (
            "scripts never run on this site",
            "paste a link to the post or video instead of its embed code",
        ),
        "style" | "link" => (
            "the theme styles every page",
            "use markdown for emphasis, lists and headings",
        ),
        "iframe" | "object" | "embed" | "frame" | "frameset" | "applet" | "portal" | "video"
        | "audio" => (
            "embedded players and frames load other sites' code and cost readers data",
            "paste a link to the video or page instead",
        ),
        "form" | "input" | "button" | "select" | "textarea" | "option" | "label" | "fieldset"
        | "output" | "datalist" => (
            "forms are not allowed in contributed content",
            "link to the form (for example a Google Form or a WhatsApp number) instead",
        ),
        "meta" | "base" | "head" | "html" | "body" | "title" => (
            "page-level tags come from the theme",
            "paste only the text of the page you copied from",
        ),
        "svg" | "math" | "template" => (
            "inline SVG, MathML and templates are not allowed in contributed content",
            "save the drawing as an image file beside the page and show it with ![description](file.svg)",
        ),
        _ => (
            "it is not one of the HTML tags this site publishes",
            "use markdown formatting instead; the README lists the HTML tags that are kept",
        ),
    }
}

impl TokenSink for Sink<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        let name: &str = &tag.name;
        {
            // Inside `<svg>` and the like nothing is reported: the whole element goes.
            let mut dropping = self.dropping.borrow_mut();
            if let Some((open, n)) = dropping.as_mut()
                && open == name
            {
                match tag.kind {
                    TagKind::StartTag if !tag.self_closing => *n += 1,
                    TagKind::EndTag => *n -= 1,
                    _ => {}
                }
                if *n == 0 {
                    *dropping = None;
                }
            } else if dropping.is_some() {
                self.locate(name, tag.kind == TagKind::EndTag);
                return TokenSinkResult::Continue;
            }
        }
        if tag.kind == TagKind::EndTag {
            self.locate(name, true);
            let mut open = self.open.borrow_mut();
            match open.iter().rposition(|n| n == name) {
                Some(i) => open.truncate(i),
                None if !VOID.contains(&name) && !OPTIONAL_END.contains(&name) => {
                    *self.closed_outer.borrow_mut() += 1;
                }
                None => {}
            }
            return TokenSinkResult::Continue;
        }
        let at = self.locate(name, false);
        // `<div/>` opens a div: only void elements never hold anything.
        if !VOID.contains(&name) && !OPTIONAL_END.contains(&name) {
            let mut open = self.open.borrow_mut();
            open.push(name.to_string());
            let mut found = self.found.borrow_mut();
            if open.len() as i64 > found.max_depth.0 {
                found.max_depth = (open.len() as i64, at);
            }
        }
        let len = name.len() + 1;
        let mut found = self.found.borrow_mut();
        if DROP_WITH_CONTENT.contains(&name) {
            if !tag.self_closing
                && !matches!(name, "script" | "style" | "iframe" | "noembed" | "noframes")
            {
                *self.dropping.borrow_mut() = Some((name.to_string(), 1));
            }
            found.removals.push(tag_removal(name, at, len, true));
        } else if !TAGS.contains(&name) {
            found.removals.push(tag_removal(name, at, len, false));
        } else {
            if name == "img" && !tag.attrs.iter().any(|a| &*a.name.local == "alt") {
                found.missing_alt.push(at);
            }
            for attr in &tag.attrs {
                let attr_name: &str = &attr.name.local;
                let problem = attribute_problem(name, attr_name, &attr.value);
                if problem.is_none() && matches!((name, attr_name), ("a", "href") | ("img", "src"))
                {
                    found.links.push((
                        self.attribute_offset(at, attr_name),
                        attr.value.trim().to_string(),
                        name == "img",
                    ));
                }
                if let Some((why, help)) = problem {
                    found.removals.push(Removal {
                        offset: self.attribute_offset(at, attr_name),
                        len: attr_name.len(),
                        what: describe_attribute(name, attr_name, &attr.value),
                        why,
                        help,
                    });
                }
            }
        }
        drop(found);
        super::tokenizer_state_after(name)
    }
}

fn describe_attribute(tag: &str, attr: &str, value: &StrTendril) -> String {
    let shown: String = value.chars().take(60).collect();
    let more = if value.chars().count() > 60 {
        "…"
    } else {
        ""
    };
    format!("the `{attr}=\"{shown}{more}\"` attribute of `<{tag}>`")
}

/// Reads raw HTML a contributor wrote and lists everything sanitising removes from it, with the
/// byte offset in `html` of each tag or attribute, and how much it deepens the nesting.
pub fn inspect(html: &str) -> Inspection {
    let sink = Sink {
        text: html,
        cursor: RefCell::new(0),
        lower: html.to_ascii_lowercase(),
        found: RefCell::new(Inspection::default()),
        open: RefCell::new(Vec::new()),
        closed_outer: RefCell::new(0),
        dropping: RefCell::new(None),
    };
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tok.feed(&input);
    tok.end();
    let sink = tok.sink;
    let mut found = sink.found.into_inner();
    // End tags of outer elements may close some of them (never below zero: see the caller).
    found.depth_change = sink.open.into_inner().len() as i64 - sink.closed_outer.into_inner();
    found
}
