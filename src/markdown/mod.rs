//! Markdown to HTML with pulldown-cmark: resolves `@/path.md#anchor` links to URLs, gives every
//! heading an id, splits the summary at `<!-- more -->`, places the impact report's results,
//! cleans contributors' raw HTML and link targets ([`crate::sanitize`]), caps nesting, and
//! reports broken links with their line.
//!
//! [`render`] drives a [`renderer::Renderer`] over pulldown-cmark's events; [`raw`] inspects
//! raw HTML and finishes the page's HTML; [`links`] resolves links and report placements.

mod links;
pub use links::normalise;
mod raw;
mod renderer;
mod shortcodes;

pub use shortcodes::Shortcodes;

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Options, Parser};

use crate::common::diagnostics::{Diagnostic, Source};

/// The URL of every page and section, by its path under `content/`.
pub struct LinkTargets {
    /// Site URL of every page and section, by its path under `content/`.
    pub urls: HashMap<String, String>,
    /// By language: what a page can place by id (`chart:ID`, `table:ID`, `number:ID`), as HTML.
    pub embeds: HashMap<String, HashMap<String, String>>,
    /// Clean contributors' raw HTML and link targets with [`crate::sanitize`] (the
    /// `[markdown] sanitize_html` setting, on by default).
    pub sanitize_html: bool,
    /// Ids the theme's layout uses (`isi`, the main landmark): no heading takes one.
    pub layout_ids: Vec<String>,
    /// Paths under `content/` of drafts left out of this build: a link to one says so.
    pub drafts: std::collections::HashSet<String>,
    /// Paths under `content/` of pages with `render = false`: a link to one says so.
    pub unrendered: std::collections::HashSet<String>,
    /// The templates that draw shortcodes, when the theme or site has any.
    pub shortcodes: Option<Shortcodes>,
    /// The site's photos: an `<img>` showing one becomes a `<picture>` of its widths.
    pub photos: crate::photos::SharedIndex,
}

/// A `@/x.md#frag` link whose fragment is checked once every page's headings are known.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    /// The linked file, as a path under `content/`.
    pub target: String,
    /// The id after `#`.
    pub fragment: String,
    /// Where the link is written in the source (bytes).
    pub span: Range<usize>,
}

/// A heading of a page: its level (1–6), its id and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`, ...
    pub level: u8,
    /// The `id` attribute: `{#given}`, else the slug of the text, made unique on the page.
    pub id: String,
    /// The heading's text without markup.
    pub text: String,
}

/// A page body as HTML, with what the rest of the build needs to know about it.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The body's HTML, cleaned and with the report's results placed.
    pub html: String,
    /// HTML before `<!-- more -->`, when the marker is present.
    pub summary: Option<String>,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Every `@/x.md#frag` link in the body, whose fragment is checked once all pages are rendered.
    pub anchor_refs: Vec<AnchorRef>,
    /// Count of words in the body's text and inline code (split at whitespace), markup excluded.
    pub word_count: usize,
    /// Every `@/` file the body links to, found or not: the page depends on their URLs.
    pub links: Vec<String>,
    /// True when the body places a chart, table or number of the impact report.
    pub uses_embeds: bool,
    /// Every link and image to a place on this site by its address (`/tips/x/`, `../x/`,
    /// `foto.jpg`, `#bagian`), checked once every output file is known.
    pub local_links: Vec<LocalLink>,
    /// The ids of the body's footnotes (`fn-1`).
    pub footnote_ids: Vec<String>,
    /// The shortcodes the body calls (their templates are part of what the page is made from).
    pub shortcodes: Vec<String>,
    /// Site paths of the photos the body shows (as `<picture>`), in order.
    pub photos: Vec<String>,
    /// The photo the body loads eagerly, on the first screen, if any.
    pub eager_photo: Option<String>,
}

/// A link or image to this site by address: its path (absolute, decoded), fragment and place.
#[derive(Debug, Clone)]
pub struct LocalLink {
    /// The site path linked (`/tips/x/`), without query or fragment, percent-decoded.
    pub path: String,
    /// The part after `#`, percent-decoded.
    pub fragment: Option<String>,
    /// Where the link is written in the source (bytes).
    pub span: Range<usize>,
    /// True for an image (`![...](...)`), which must be a file.
    pub image: bool,
}

/// Deepest nesting of markdown blocks, inlines and raw HTML elements a page may have. Deeper
/// input is an error: no contributor needs it, and recursive code downstream (minifier,
/// templates) must never see it.
pub const MAX_NESTING: i64 = 128;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TASKLISTS
}

/// Renders the body of `source` (from byte `body_start`). Relative links and images are made
/// absolute against `page_url`, so they still work where the summary is shown on listing pages.
/// Raw HTML and link targets are cleaned when `targets.sanitize_html` is set, with a warning for
/// each removal; nesting deeper than [`MAX_NESTING`] is an error and leaves the HTML empty.
pub fn render(
    source: &Source,
    body_start: usize,
    page_url: &str,
    lang: &str,
    targets: &LinkTargets,
    diags: &mut Vec<Diagnostic>,
) -> Rendered {
    let body = &source.text[body_start..];
    let expanded = shortcodes::expand(body, body_start, source, diags);
    let mut r = renderer::Renderer::new(
        source, body_start, &expanded, page_url, lang, targets, diags,
    );
    for (event, range) in Parser::new_ext(&expanded.text, options()).into_offset_iter() {
        if !r.event(event, range) {
            break;
        }
    }
    r.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_charts_and_numbers_by_id_and_shows_other_ids_as_code() {
        let src = Source::new(
            "content/x.md",
            "+++\n+++\nNaik `=x-dampak` poin; `=>` dan `==` tetap kode.\n\n```chart\nx-tren\n```\n\n```chart x-trend\n```\n\n```table\nfn main() {}\n```\n",
        );
        let mut diags = Vec::new();
        let r = render(&src, 8, "/x/", "id", &targets(), &mut diags);
        assert!(r.html.contains("Naik +5 poin;"), "{}", r.html);
        assert!(
            r.html.contains("<code>=&gt;</code> dan <code>==</code>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<figure>X</figure>"));
        assert!(r.html.contains("fn main() {}"), "{}", r.html);
        // A near miss of an id shows as code, with a warning that names the id meant.
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].location().unwrap(), "content/x.md:9:1");
        assert!(!diags[0].is_error());
        assert!(
            diags[0]
                .message
                .contains("`x-trend` is not a chart of the impact report")
        );
        assert!(
            diags[0]
                .help
                .as_ref()
                .unwrap()
                .contains("did you mean `x-tren`?")
        );
    }

    fn targets() -> LinkTargets {
        LinkTargets {
            urls: [("tips/a.md".to_string(), "/tips/a/".to_string())].into(),
            embeds: [(
                "id".to_string(),
                [
                    ("chart:x-tren".to_string(), "<figure>X</figure>".to_string()),
                    ("number:x-dampak".to_string(), "+5".to_string()),
                ]
                .into(),
            )]
            .into(),
            sanitize_html: true,
            layout_ids: vec!["isi".to_string()],
            drafts: Default::default(),
            unrendered: Default::default(),
            shortcodes: None,
            photos: Default::default(),
        }
    }

    #[test]
    fn resolves_links_ids_and_summary() {
        let src = Source::new(
            "content/x.md",
            "+++\n+++\nIntro [a](@/tips/a.md#cara) ![f](f.png).\n\n<!-- more -->\n\n## Cara Menjemur\n\n## Cara Menjemur\n",
        );
        let mut diags = Vec::new();
        let r = render(&src, 8, "/x/", "id", &targets(), &mut diags);
        assert!(diags.is_empty());
        assert!(r.html.contains(r#"<a href="/tips/a/#cara">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="cara-menjemur">"#));
        assert!(r.html.contains(r#"<h2 id="cara-menjemur-1">"#));
        assert_eq!(
            r.summary.as_deref(),
            Some(
                "<p>Intro <a href=\"/tips/a/#cara\">a</a> <img src=\"/x/f.png\" alt=\"f\" />.</p>\n"
            )
        );
        assert_eq!(r.anchor_refs[0].fragment, "cara");
    }

    #[test]
    fn broken_link_names_line_and_suggests() {
        let src = Source::new("content/x.md", "+++\n+++\nText\n\nSee [b](@/tips/b.md).\n");
        let mut diags = Vec::new();
        render(&src, 8, "/x/", "id", &targets(), &mut diags);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].location().unwrap(), "content/x.md:5:5");
        assert!(diags[0].help.as_ref().unwrap().contains("@/tips/a.md"));
    }
}
