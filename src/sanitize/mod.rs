//! The allow-list for HTML written by contributors: raw HTML in markdown and link targets.
//!
//! Cleaning is done by [ammonia](https://docs.rs/ammonia) (an html5ever-based allow-list
//! sanitiser, maintained by the rust-ammonia project); this module holds the one policy it is
//! configured from, and [`inspect`] reads the same policy to say, for every tag and attribute a
//! contributor wrote, what cleaning removes and why, so no change is silent. The theme's
//! templates and the impact report's SVG never pass through here.

//!
//! [`mod@inspect`] reads a contributor's raw HTML for the warnings, [`markers`] sets the site's own
//! HTML aside while a page is cleaned, and [`dangerous`] is the fuzz targets' oracle.

mod inspect;
mod markers;
mod oracle;

use std::borrow::Cow;
use std::sync::OnceLock;

pub use inspect::{Inspection, Removal, inspect};
pub use markers::{MARK_CLOSE, MARK_OPEN, marker, put_back};
pub use oracle::dangerous;

/// Elements a contributor may use; everything else is removed (its text is kept).
pub(super) const TAGS: &[&str] = &[
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
pub(super) const DROP_WITH_CONTENT: &[&str] = &[
    "script", "style", "template", "iframe", "frameset", "noembed", "noframes", "svg", "math",
];

/// Attributes every allowed element may have.
pub(super) const GENERIC_ATTRIBUTES: &[&str] = &["id", "class", "lang", "title", "dir"];

/// Attributes allowed on one element.
pub(super) const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
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
pub(super) const URL_SCHEMES: &[&str] = &[
    "http", "https", "mailto", "tel", "sms", "geo", "webcal", "whatsapp", "data",
];

/// Classes a contributor may use: what markdown itself writes (tables, footnotes, code).
pub(super) const CLASSES: &[&str] = &[
    "table-wrap",
    // The default theme's shortcodes (their HTML is cleaned like a contributor's).
    "sc-figure",
    "sc-video",
    "sc-whatsapp",
    "callout",
    "callout-info",
    "callout-tip",
    "callout-warning",
    "footnote-definition",
    "footnote-reference",
    "footnote-definition-label",
];

/// The only CSS property kept in a `style` attribute (markdown's table alignment).
pub(super) const STYLE_PROPERTIES: &[&str] = &["text-align"];

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
pub(super) fn kept_style(value: &str) -> Vec<String> {
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
        Cow::Owned(put_back::<&str>(value, &[]).0)
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
                        .get(5..18)
                        .is_some_and(|t| t.eq_ignore_ascii_case("image/svg+xml")) =>
            {
                continue;
            }
            "data"
                if image
                    && u.trim_start()
                        .get(5..11)
                        .is_some_and(|t| t.eq_ignore_ascii_case("image/")) =>
            {
                "photos pasted into the page (data:image/...) keep their camera data, such as where they were taken, and make the page heavy"
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
pub(super) const INVALID_URL: &str = "this address is not a valid URL";

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
            let help = if why.starts_with("photos pasted") {
                "save the picture as a file beside the page and show it with ![description](photo.jpg): it is then resized and its camera data removed"
            } else {
                "link to a web page with https://…, or to a page of this site with @/file.md"
            };
            (why, help)
        });
    }
    None
}

/// What the tokenizer reads after a start tag `name`, as the HTML standard says: script data,
/// raw text or escapable raw text for the elements whose content is not markup, else markup.
/// Both the inspection of contributor HTML and the oracle use it, so a `<textarea>` hides its
/// content from neither.
fn tokenizer_state_after(name: &str) -> html5ever::tokenizer::TokenSinkResult<()> {
    use html5ever::tokenizer::TokenSinkResult;
    use html5ever::tokenizer::states::RawKind;
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
        let html = "<details open><summary>Lihat</summary><table><tr><td style=\"text-align: center\">1</td></tr></table></details><kbd>Ctrl</kbd><sup>2</sup><abbr title=\"Usaha Mikro\">UMKM</abbr><h2 id=\"x\">X</h2><img src=\"data:image/svg+xml;base64,AA\" alt=\"a\" width=\"10\"><pre><code class=\"language-rust\">x</code></pre>";
        assert!(inspect(html).removals.is_empty());
        let cleaned = clean(html);
        for kept in [
            "<details open=\"\">",
            "<kbd>",
            "<sup>",
            "<abbr title=",
            "<h2 id=\"x\">",
            "src=\"data:image/svg+xml",
            "class=\"language-rust\"",
            "style=\"text-align:center\"",
        ] {
            assert!(cleaned.contains(kept), "{kept} in {cleaned}");
        }
    }

    #[test]
    fn pasted_photos_are_reported_as_keeping_camera_data() {
        let found = inspect("<img src=\"data:image/jpeg;base64,/9j/\" alt=\"x\">");
        assert_eq!(found.removals.len(), 1, "{found:?}");
        assert!(found.removals[0].why.contains("keep their camera data"));
        assert!(!clean("<img src=\"data:image/png;base64,AA\" alt=\"x\">").contains("data:"));
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
        let (html, lost) = put_back(&cleaned, &["<b>A</b>", "<b>B</b>"]);
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
