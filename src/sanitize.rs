//! The allow-list for HTML written by contributors: raw HTML in markdown and link targets.
//!
//! Cleaning is done by [ammonia](https://docs.rs/ammonia) (an html5ever-based allow-list
//! sanitiser, maintained by the rust-ammonia project); this module holds the one policy it is
//! configured from, and [`inspect`] reads the same policy to say, for every tag and attribute a
//! contributor wrote, what cleaning removes and why, so no change is silent. The theme's
//! templates and the impact report's SVG never pass through here.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::OnceLock;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements a contributor may use; everything else is removed (its text is kept).
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements removed together with everything inside them.
const DROP_WITH_CONTENT: &[&str] = &[
    "script", "style", "template", "iframe", "frameset", "noembed", "noframes", "svg", "math",
];

/// Attributes every allowed element may have.
const GENERIC_ATTRIBUTES: &[&str] = &["id", "class", "lang", "title", "dir"];

/// Attributes allowed on one element.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "download"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("details", &["open"]),
    ("div", &["tabindex"]),
    (
        "img",
        &[
            "src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes",
        ],
    ),
    (
        "source",
        &["srcset", "sizes", "media", "type", "width", "height"],
    ),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("td", &["colspan", "rowspan", "headers", "style"]),
    (
        "th",
        &["colspan", "rowspan", "headers", "scope", "abbr", "style"],
    ),
];

/// URL schemes allowed in links and sources (besides relative URLs); `data:` only in images.
const URL_SCHEMES: &[&str] = &[
    "http", "https", "mailto", "tel", "sms", "geo", "webcal", "whatsapp", "data",
];

/// Classes a contributor may use: what markdown itself writes (tables, footnotes, code).
const CLASSES: &[&str] = &[
    "table-wrap",
    "footnote-definition",
    "footnote-reference",
    "footnote-definition-label",
];

/// The only CSS property kept in a `style` attribute (markdown's table alignment).
const STYLE_PROPERTIES: &[&str] = &["text-align"];

/// Characters that mark where the site's own HTML (report charts, numbers) goes back in after
/// cleaning. Contributors cannot write them: [`crate::content`] replaces noncharacters in every
/// file by U+FFFD.
pub const MARK_OPEN: char = '\u{FDD0}';
/// See [`MARK_OPEN`].
pub const MARK_CLOSE: char = '\u{FDD1}';

fn builder() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.tags(TAGS.iter().copied().collect())
            .clean_content_tags(DROP_WITH_CONTENT.iter().copied().collect())
            .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
            .generic_attribute_prefixes(["aria-"].into_iter().collect())
            .tag_attributes(
                TAG_ATTRIBUTES
                    .iter()
                    .map(|(t, a)| (*t, a.iter().copied().collect()))
                    .collect(),
            )
            .url_schemes(URL_SCHEMES.iter().copied().collect())
            .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
            .link_rel(None)
            .strip_comments(true)
            .attribute_filter(filter_value);
        b
    })
}

/// Cleans a page's HTML with the policy; the result is safe to publish.
pub fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

/// The declarations of a table cell's `style` that are kept: `text-align` with a keyword.
fn kept_style(value: &str) -> Vec<String> {
    value
        .split(';')
        .filter_map(|d| d.split_once(':'))
        .filter_map(|(p, v)| {
            let (p, v) = (p.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase());
            (STYLE_PROPERTIES.contains(&p.as_str())
                && matches!(
                    v.as_str(),
                    "left" | "right" | "center" | "justify" | "start" | "end"
                ))
            .then(|| format!("{p}:{v}"))
        })
        .collect()
}

/// The part of an allowed attribute's value that is kept (ammonia's attribute filter).
fn filter_value<'v>(tag: &str, attr: &str, value: &'v str) -> Option<Cow<'v, str>> {
    // The site's markers only ever stand in text; one inside an attribute is dropped there.
    let value: Cow<str> = if value.contains([MARK_OPEN, MARK_CLOSE]) {
        Cow::Owned(put_back(value, &[]).0)
    } else {
        Cow::Borrowed(value)
    };
    match attr {
        "class" => {
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|c| class_allowed(c))
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        "tabindex" => matches!(value.trim(), "0" | "-1").then_some(value),
        "style" => {
            let kept = kept_style(&value);
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(";")))
        }
        "src" | "href" | "cite" | "srcset" if url_problem(tag, attr, &value).is_some() => None,
        _ => Some(value),
    }
}

fn class_allowed(class: &str) -> bool {
    CLASSES.contains(&class)
        || class.strip_prefix("language-").is_some_and(|l| {
            !l.is_empty()
                && l.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#'))
        })
}

/// The scheme of a URL as browsers read it (ASCII tab and newline ignored, case folded), or
/// `None` for a relative URL.
fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Why a URL may not stand in `attr` of `tag`, or `None` when it may: `javascript:` and
/// `vbscript:` run scripts, `data:` is allowed only as an image source, and other schemes
/// outside the allow-list are refused.
pub fn url_problem(tag: &str, attr: &str, url: &str) -> Option<&'static str> {
    let urls: Vec<&str> = if attr == "srcset" {
        url.split(',')
            .filter_map(|c| c.split_whitespace().next())
            .collect()
    } else {
        vec![url]
    };
    for u in urls {
        let Some(s) = scheme(u) else { continue };
        let image = matches!(
            (tag, attr),
            ("img", "src" | "srcset") | ("source", "srcset")
        );
        let problem = match s.as_str() {
            "javascript" | "vbscript" | "livescript" => "links that run scripts are not allowed",
            "data"
                if image
                    && u.trim_start()
                        .get(5..11)
                        .is_some_and(|t| t.eq_ignore_ascii_case("image/")) =>
            {
                continue;
            }
            "data" => "`data:` URLs are allowed only as image sources (data:image/...)",
            s if URL_SCHEMES.contains(&s) => continue,
            _ => "links may use http, https, mailto, tel, sms, geo or whatsapp addresses",
        };
        return Some(problem);
    }
    // ammonia refuses what the URL parser refuses outright; say so too.
    match ammonia::Url::parse(url.trim()) {
        Err(ammonia::url::ParseError::RelativeUrlWithoutBase) | Ok(_) => None,
        Err(_) if scheme(url).is_none() => None,
        Err(_) => Some(INVALID_URL),
    }
}

/// Why [`url_problem`] refuses an address the URL parser cannot read: a broken address, not a
/// dangerous one.
const INVALID_URL: &str = "this address is not a valid URL";

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
const VOID: &[&str] = &[
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
            let (why, help) = tag_reason(name);
            found.removals.push(Removal {
                offset: at,
                len,
                what: format!("`<{name}>` and its content"),
                why,
                help,
            });
        } else if !TAGS.contains(&name) {
            let (why, help) = tag_reason(name);
            found.removals.push(Removal {
                offset: at,
                len,
                what: format!("the `<{name}>` tag (its text is kept)"),
                why,
                help,
            });
        } else {
            for attr in &tag.attrs {
                let attr_name: &str = &attr.name.local;
                if let Some((why, help)) = attribute_problem(name, attr_name, &attr.value) {
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
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
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

fn attribute_allowed(tag: &str, attr: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attr)
        || attr.starts_with("aria-")
        || TAG_ATTRIBUTES
            .iter()
            .any(|(t, attrs)| *t == tag && attrs.contains(&attr))
}

/// Why an attribute a contributor wrote is removed or changed, with what to do instead.
pub fn attribute_problem(
    tag: &str,
    attr: &str,
    value: &str,
) -> Option<(&'static str, &'static str)> {
    let plain_name = attr.starts_with(|c: char| c.is_ascii_lowercase())
        && attr
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !plain_name {
        return Some((
            "it is not a plain attribute name (letters, digits and `-`)",
            "remove it; browsers read such names in surprising ways",
        ));
    }
    if attr.starts_with("on") {
        return Some((
            "event handlers run scripts",
            "remove the attribute; pages on this site run no scripts",
        ));
    }
    if attr == "style" && !(tag == "td" || tag == "th") {
        return Some((
            "style attributes can hide or cover content",
            "the theme styles every page; use markdown for emphasis",
        ));
    }
    if !attribute_allowed(tag, attr) {
        return Some((
            "it is not an attribute this site keeps on that tag",
            "remove the attribute; the README lists the attributes that are kept",
        ));
    }
    if attr == "style" {
        return (kept_style(value).len()
            < value.split(';').filter(|d| !d.trim().is_empty()).count())
        .then_some((
            "only `text-align` is kept in the style of a table cell",
            "align columns with markdown tables (:--- , :---: , ---:)",
        ));
    }
    if attr == "class" {
        let removed = value.split_ascii_whitespace().any(|c| !class_allowed(c));
        return removed.then_some((
            "classes can hide content or imitate the site's own notices",
            "remove the class; use markdown for emphasis",
        ));
    }
    if attr == "tabindex" && !matches!(value.trim(), "0" | "-1") {
        return Some((
            "a tab order other than 0 or -1 confuses keyboard readers",
            "remove the attribute",
        ));
    }
    if matches!(attr, "href" | "src" | "cite" | "srcset") {
        return url_problem(tag, attr, value).map(|why| {
            (
                why,
                "link to a web page with https://…, or to a page of this site with @/file.md",
            )
        });
    }
    None
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

/// Checks HTML berdaya is about to publish as a page body: the first element or attribute that
/// could run script or cover the page (a tag outside the allow-list, an `on...` handler, a
/// `style` other than a table cell's alignment, a link or source with a refused scheme), or
/// `None`. The fuzz targets use it as the oracle for the sanitiser.
pub fn dangerous(html: &str) -> Option<String> {
    struct Check(RefCell<Option<String>>);
    impl TokenSink for Check {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let Token::TagToken(tag) = token else {
                return TokenSinkResult::Continue;
            };
            if tag.kind == TagKind::EndTag || self.0.borrow().is_some() {
                return TokenSinkResult::Continue;
            }
            let name: &str = &tag.name;
            // The site's own task-list checkboxes are the only inputs.
            let own_input = name == "input"
                && tag
                    .attrs
                    .iter()
                    .all(|a| matches!(&*a.name.local, "type" | "checked" | "disabled"));
            if !TAGS.contains(&name) && !own_input {
                *self.0.borrow_mut() = Some(format!("<{name}>"));
            }
            for a in &tag.attrs {
                let attr: &str = &a.name.local;
                let bad = attr.starts_with("on")
                    || (attr == "style"
                        && (!matches!(name, "td" | "th")
                            || kept_style(&a.value).len()
                                != a.value.split(';').filter(|d| !d.trim().is_empty()).count()))
                    || (matches!(
                        attr,
                        "href"
                            | "src"
                            | "srcset"
                            | "cite"
                            | "action"
                            | "formaction"
                            | "data"
                            | "poster"
                    ) && url_problem(name, attr, &a.value)
                        .is_some_and(|why| why != INVALID_URL));
                if bad {
                    *self.0.borrow_mut() = Some(format!("<{name} {attr}=\"{}\">", &*a.value));
                }
            }
            match name {
                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                    TokenSinkResult::RawData(RawKind::Rawtext)
                }
                "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                "plaintext" => TokenSinkResult::Plaintext,
                _ => TokenSinkResult::Continue,
            }
        }
    }
    let tok = Tokenizer::new(Check(RefCell::new(None)), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tok.feed(&input);
    tok.end();
    tok.sink.0.into_inner()
}

/// The site's own HTML to put back after cleaning, by marker number.
pub fn marker(n: usize) -> String {
    format!("{MARK_OPEN}{:016x}.{n}{MARK_CLOSE}", nonce())
}

/// Replaces every marker in cleaned `html` by `pieces[n]` (markers without a piece are
/// dropped). Returns the numbers of the pieces that could not be placed (their marker was inside a removed element, such as an unclosed
/// `<script>`).
pub fn put_back(html: &str, pieces: &[String]) -> (String, Vec<usize>) {
    if !html.contains(MARK_OPEN) {
        return (html.to_string(), (0..pieces.len()).collect());
    }
    let mut out = String::with_capacity(html.len() + pieces.iter().map(String::len).sum::<usize>());
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
                    out.push_str(piece.1);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_script_urls_are_removed_and_reported() {
        let html = "<p>a</p><script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">x</a><iframe src=\"https://x\"></iframe>";
        let cleaned = clean(html);
        assert_eq!(cleaned, "<p>a</p><img src=\"x\"><a>x</a>");
        let found = inspect(html);
        let whats: Vec<&str> = found.removals.iter().map(|r| r.what.as_str()).collect();
        assert_eq!(
            whats,
            [
                "`<script>` and its content",
                "the `onerror=\"alert(1)\"` attribute of `<img>`",
                "the `href=\"javascript:alert(1)\"` attribute of `<a>`",
                "`<iframe>` and its content",
            ]
        );
        assert_eq!(&html[found.removals[1].offset..][..7], "onerror");
    }

    #[test]
    fn what_contributors_use_is_kept() {
        let html = "<details open><summary>Lihat</summary><table><tr><td style=\"text-align: center\">1</td></tr></table></details><kbd>Ctrl</kbd><sup>2</sup><abbr title=\"Usaha Mikro\">UMKM</abbr><h2 id=\"x\">X</h2><img src=\"data:image/png;base64,AA\" alt=\"a\" width=\"10\"><pre><code class=\"language-rust\">x</code></pre>";
        assert!(inspect(html).removals.is_empty());
        let cleaned = clean(html);
        for kept in [
            "<details open=\"\">",
            "<kbd>",
            "<sup>",
            "<abbr title=",
            "<h2 id=\"x\">",
            "src=\"data:image/png",
            "class=\"language-rust\"",
            "style=\"text-align:center\"",
        ] {
            assert!(cleaned.contains(kept), "{kept} in {cleaned}");
        }
    }

    #[test]
    fn styles_classes_and_data_links_are_reported() {
        let html = "<p style=\"position:fixed\" class=\"skip\">x</p><a href=\"data:text/html,x\">y</a><td style=\"color:red\">";
        let found = inspect(html);
        assert_eq!(found.removals.len(), 4, "{found:?}");
        assert_eq!(clean(html), "<p>x</p><a>y</a>");
    }

    #[test]
    fn markers_come_back_only_from_text() {
        let cleaned = clean(&format!(
            "<p>{}</p><p title=\"{}\">x</p>",
            marker(0),
            marker(1)
        ));
        let (html, lost) = put_back(&cleaned, &["<b>A</b>".into(), "<b>B</b>".into()]);
        assert_eq!(html, "<p><b>A</b></p><p title=\"\">x</p>");
        assert_eq!(lost, [1]);
    }

    #[test]
    fn the_oracle_finds_what_could_run() {
        assert_eq!(dangerous("<p><b>x</b><a href=\"/a/\">y</a></p>"), None);
        for bad in [
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:x\">",
            "<script>x</script>",
            "<p style=\"position:fixed\">",
            "<iframe src=\"https://x\">",
        ] {
            assert!(dangerous(bad).is_some(), "{bad}");
        }
        assert!(dangerous(&clean("<img src=x onerror=alert(1)><script>x</script>")).is_none());
    }

    #[test]
    fn nesting_is_counted_without_optional_end_tags() {
        let found = inspect(&"<div>".repeat(50));
        assert_eq!(found.max_depth.0, 50);
        assert_eq!(inspect(&"<p>x".repeat(50)).max_depth.0, 0);
    }
}
