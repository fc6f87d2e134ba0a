//! Markdown to HTML with pulldown-cmark: resolves `@/path.md#anchor` links to URLs, gives every
//! heading an id, splits the summary at `<!-- more -->`, and reports broken links with their line.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::common::diagnostics::{Diagnostic, Source};
use crate::sanitize;

/// The URL of every page and section, by its path under `content/`.
pub struct LinkTargets {
    pub urls: HashMap<String, String>,
    /// By language: what a page can place by id (`chart:ID`, `table:ID`, `number:ID`), as HTML.
    pub embeds: HashMap<String, HashMap<String, String>>,
    /// Clean contributors' raw HTML and link targets with [`crate::sanitize`] (the
    /// `[markdown] sanitize_html` setting, on by default).
    pub sanitize_html: bool,
}

/// A `@/x.md#frag` link whose fragment is checked once every page's headings are known.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    pub target: String,
    pub fragment: String,
    pub span: Range<usize>,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// HTML before `<!-- more -->`, when the marker is present.
    pub summary: Option<String>,
    /// (level, id, text) of every heading.
    pub headings: Vec<(u8, String, String)>,
    pub anchor_refs: Vec<AnchorRef>,
    pub word_count: usize,
    /// Every `@/` file the body links to, found or not: the page depends on their URLs.
    pub links: Vec<String>,
    /// True when the body places a chart, table or number of the impact report.
    pub uses_embeds: bool,
}

const MORE: &str = "<!-- more -->";

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

/// Raw HTML of one HTML block, gathered to be inspected as a whole: the text, and where each
/// piece starts in the text and in the file.
#[derive(Default)]
struct HtmlBlock {
    text: String,
    starts: Vec<(usize, usize)>,
}

impl HtmlBlock {
    /// File offset of byte `at` of the gathered text.
    fn source_offset(&self, at: usize) -> usize {
        let i = self
            .starts
            .partition_point(|(b, _)| *b <= at)
            .saturating_sub(1);
        self.starts.get(i).map_or(0, |(b, s)| s + (at - b))
    }
}

/// State of one render: nesting, raw HTML seen, and the site's own HTML set aside.
struct Walk<'s> {
    source: &'s Source,
    sanitize: bool,
    /// Markdown nesting (open tags) and raw HTML nesting.
    depth: i64,
    html_depth: i64,
    too_deep: bool,
    raw_html: bool,
    /// The site's own HTML (report embeds), put back by marker after cleaning, with the span
    /// that placed it.
    pieces: Vec<(String, Range<usize>)>,
}

impl Walk<'_> {
    /// Warns about everything sanitising removes from raw HTML at file offset `at`, and checks
    /// the nesting it adds.
    fn raw_html(&mut self, html: &str, map: &dyn Fn(usize) -> usize, diags: &mut Vec<Diagnostic>) {
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
        let deepest = self.depth + self.html_depth + found.max_depth.0;
        if deepest > MAX_NESTING && !self.too_deep {
            self.too_deep = true;
            let at = map(found.max_depth.1);
            diags.push(nesting_error(self.source, at, deepest, "HTML elements"));
        }
        self.html_depth = (self.html_depth + found.depth_change).max(0);
    }

    /// A marker standing for the site's own `html`, placed by the markdown at `span`.
    fn piece(&mut self, html: String, span: Range<usize>) -> String {
        self.pieces.push((html, span));
        sanitize::marker(self.pieces.len() - 1)
    }

    /// Cleans `html` when it holds raw HTML, then puts the site's own pieces back.
    fn finish(&self, html: &str, diags: Option<&mut Vec<Diagnostic>>) -> String {
        let pieces: Vec<String> = self.pieces.iter().map(|p| p.0.clone()).collect();
        let cleaned = if self.sanitize && self.raw_html {
            sanitize::clean(html)
        } else {
            html.to_string()
        };
        let (out, lost) = sanitize::put_back(&cleaned, &pieces);
        // Character references (`&#x1b;`) decode to characters the file itself may not hold.
        let replaced = out
            .chars()
            .filter(|c| crate::content::text::is_replaced(*c))
            .count();
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
        let name = html[start..start + name_len].to_ascii_lowercase();
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
        } else if !self_closing && !VOID.contains(&name.as_str()) {
            depth += 1;
            max = max.max(depth);
        }
        if i >= b.len() {
            break;
        }
    }
    max
}

fn nesting_error(source: &Source, at: usize, depth: i64, what: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "{what} nested {depth} levels deep; a page may nest at most {MAX_NESTING}"
    ))
    .at(source, at..at, "nested too deep from here on")
    .help("remove the extra `>`, list markers or HTML tags; quotes and lists rarely need more than a few levels")
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
    let mut out = Rendered::default();
    let mut events: Vec<Event> = Vec::with_capacity(body.len() / 16);
    let mut more_at = None;
    let mut heading: Option<(HeadingLevel, Option<CowStr>, usize)> = None;
    let mut heading_text = String::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    // A fenced ```chart / ```table block being read: (kind, id so far, start of the block).
    let mut embed: Option<(&'static str, String, usize)> = None;
    let embeds = targets.embeds.get(lang);
    let mut walk = Walk {
        source,
        sanitize: targets.sanitize_html,
        depth: 0,
        html_depth: 0,
        too_deep: false,
        raw_html: false,
        pieces: Vec::new(),
    };
    let mut block: Option<HtmlBlock> = None;
    // Whether each open link or image was dropped for an unsafe target.
    let mut dropped: Vec<bool> = Vec::new();

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if walk.too_deep {
            break;
        }
        match &event {
            Event::Start(_) => {
                walk.depth += 1;
                if walk.depth + walk.html_depth > MAX_NESTING {
                    walk.too_deep = true;
                    let depth = walk.depth + walk.html_depth;
                    diags.push(nesting_error(
                        source,
                        body_start + range.start,
                        depth,
                        "markdown",
                    ));
                    break;
                }
            }
            Event::End(_) => walk.depth -= 1,
            _ => {}
        }
        if let Some((kind, id, start)) = &mut embed {
            match &event {
                Event::Text(t) => id.push_str(t),
                Event::End(TagEnd::CodeBlock) => {
                    let key = format!("{kind}:{}", id.trim());
                    out.uses_embeds = true;
                    let span = body_start + *start..body_start + range.end;
                    let html = place(&key, embeds, source, span.clone(), diags);
                    events.push(Event::Html(CowStr::from(walk.piece(html, span))));
                    embed = None;
                }
                _ => {}
            }
            continue;
        }
        if let Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) = &event {
            let mut words = info.split_whitespace();
            let kind = match words.next() {
                Some("chart" | "grafik") => Some("chart"),
                Some("table" | "tabel") => Some("table"),
                _ => None,
            };
            if let Some(kind) = kind {
                embed = Some((kind, words.collect::<Vec<_>>().join(" "), range.start));
                continue;
            }
        }
        if let Event::Code(code) = &event
            && let Some(id) = code.strip_prefix('=')
        {
            let span = body_start + range.start..body_start + range.end;
            out.uses_embeds = true;
            let html = place(
                &format!("number:{}", id.trim()),
                embeds,
                source,
                span.clone(),
                diags,
            );
            events.push(Event::InlineHtml(CowStr::from(walk.piece(html, span))));
            continue;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some((level, id, events.len()));
                heading_text.clear();
                let line = &body[range.clone()];
                let line = &line[..line.find('\n').unwrap_or(line.len())];
                let span = match (line.rfind('{'), line.rfind('}')) {
                    (Some(a), Some(b)) if a < b => {
                        body_start + range.start + a..body_start + range.start + b + 1
                    }
                    _ => body_start + range.start..body_start + range.start + line.len(),
                };
                let (classes, attrs) =
                    heading_attributes(&walk, level, classes, attrs, span, diags);
                if !classes.is_empty() || !attrs.is_empty() {
                    // What pulldown-cmark writes from `{...}` also goes through the sanitiser.
                    walk.raw_html = true;
                }
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((_, given, at)) = heading.take() {
                    let base = given
                        .map(|g| g.to_string())
                        .unwrap_or_else(|| slug::slugify(&heading_text));
                    let base = if base.is_empty() {
                        "bagian".to_string()
                    } else {
                        base
                    };
                    let n = used_ids.entry(base.clone()).or_insert(0);
                    let id = if *n == 0 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    };
                    *n += 1;
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[at] {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    out.headings
                        .push((level as u8, id, heading_text.trim().to_string()));
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link { ref dest_url, .. })
            | Event::Start(Tag::Image { ref dest_url, .. }) => {
                let span = body_start + range.start..body_start + range.end;
                let dest = resolve(
                    dest_url,
                    page_url,
                    source,
                    span.clone(),
                    targets,
                    diags,
                    &mut out,
                );
                let (tag, attr) = match event {
                    Event::Start(Tag::Image { .. }) => ("img", "src"),
                    _ => ("a", "href"),
                };
                let problem = walk
                    .sanitize
                    .then(|| sanitize::url_problem(tag, attr, &dest))
                    .flatten();
                dropped.push(problem.is_some());
                if let Some(why) = problem {
                    let what = if tag == "img" { "image" } else { "link" };
                    diags.push(
                        Diagnostic::warning(format!("removed the {what} to `{dest}`"))
                            .at(source, span, why)
                            .help(if tag == "img" {
                                "show an image file beside the page, e.g. ![description](photo.jpg); its description is kept as text"
                            } else {
                                "link to a web page with https://…, or to a page of this site with @/file.md; the link text is kept"
                            }),
                    );
                    continue;
                }
                let mut event = event;
                if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) =
                    &mut event
                {
                    *dest_url = dest;
                }
                events.push(event);
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if !dropped.pop().unwrap_or(false) {
                    events.push(event);
                }
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) if h.trim() == MORE => {
                if more_at.is_none() {
                    more_at = Some(events.len());
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                block = Some(HtmlBlock::default());
                events.push(event);
            }
            Event::Html(ref h) => {
                if let Some(b) = &mut block {
                    b.starts.push((b.text.len(), body_start + range.start));
                    b.text.push_str(h);
                }
                events.push(event);
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(b) = block.take().filter(|b| !b.text.is_empty()) {
                    walk.raw_html(&b.text, &|at| b.source_offset(at), diags);
                }
                events.push(event);
            }
            Event::InlineHtml(ref h) => {
                let at = body_start + range.start;
                // Inside `> >` quotes the text skips the markers: point at its start then.
                let exact = body.get(range.clone()) == Some(&**h);
                walk.raw_html(h, &|i| if exact { at + i } else { at }, diags);
                events.push(event);
            }
            Event::TaskListMarker(checked) => {
                // The site's own checkbox: contributors' <input> tags are not allowed.
                let html = format!(
                    "<input disabled=\"\" type=\"checkbox\"{}/>\n",
                    if checked { " checked=\"\"" } else { "" }
                );
                let span = body_start + range.start..body_start + range.end;
                events.push(Event::InlineHtml(CowStr::from(walk.piece(html, span))));
            }
            Event::Start(Tag::Table(_)) => {
                events.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\" tabindex=\"0\">",
                )));
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                events.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if heading.is_some() {
                    heading_text.push_str(t);
                }
                out.word_count += t.split_whitespace().count();
                events.push(event);
            }
            other => events.push(other),
        }
    }
    if walk.too_deep {
        // Nothing this deep goes on to the minifier or the templates.
        return Rendered {
            uses_embeds: out.uses_embeds,
            links: out.links,
            ..Rendered::default()
        };
    }
    if let Some(at) = more_at {
        let mut summary = String::new();
        html::push_html(&mut summary, summary_events(&events[..at]));
        out.summary = Some(walk.finish(&summary, None));
    }
    let mut html = String::with_capacity(body.len() + body.len() / 4);
    html::push_html(&mut html, events.into_iter());
    out.html = walk.finish(&html, Some(diags));
    out
}

/// The events before `<!-- more -->`, with every element still open there closed, so a marker
/// inside a link or a list does not leave the listing page's HTML open.
fn summary_events<'a>(events: &[Event<'a>]) -> impl Iterator<Item = Event<'a>> {
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
    events.iter().cloned().chain(closing)
}

type HeadingAttrs<'a> = (Vec<CowStr<'a>>, Vec<(CowStr<'a>, Option<CowStr<'a>>)>);

/// Keeps the classes and attributes of a heading's `{...}` block that the HTML policy allows.
fn heading_attributes<'a>(
    walk: &Walk,
    level: HeadingLevel,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> HeadingAttrs<'a> {
    if !walk.sanitize {
        return (classes, attrs);
    }
    let tag = format!("{level}");
    let mut warn = |what: String, why: &str, help: &str| {
        diags.push(
            Diagnostic::warning(format!("removed {what}"))
                .at(walk.source, span.clone(), why.to_string())
                .help(help.to_string()),
        );
    };
    let mut kept_classes = Vec::new();
    for c in classes {
        match sanitize::attribute_problem(&tag, "class", &c) {
            Some((why, help)) => warn(format!("the class `{c}` of a heading"), why, help),
            None => kept_classes.push(c),
        }
    }
    let mut kept_attrs = Vec::new();
    for (name, value) in attrs {
        let v = value.as_deref().unwrap_or("").trim_matches('"');
        match sanitize::attribute_problem(&tag, &name.to_ascii_lowercase(), v) {
            Some((why, help)) => warn(
                format!("the `{name}=\"{v}\"` attribute of a heading"),
                why,
                help,
            ),
            None => kept_attrs.push((name, value)),
        }
    }
    (kept_classes, kept_attrs)
}

fn is_relative(url: &str) -> bool {
    !(url.is_empty()
        || url.starts_with('/')
        || url.starts_with('#')
        || url.starts_with('@')
        || url.contains(':'))
}

fn resolve<'a>(
    dest: &CowStr<'a>,
    page_url: &str,
    source: &Source,
    span: Range<usize>,
    targets: &LinkTargets,
    diags: &mut Vec<Diagnostic>,
    out: &mut Rendered,
) -> CowStr<'a> {
    if is_relative(dest) {
        return CowStr::from(format!("{page_url}{dest}"));
    }
    let Some(path) = dest.strip_prefix("@/") else {
        return dest.clone();
    };
    let (file, fragment) = match path.split_once('#') {
        Some((f, frag)) => (f, Some(frag)),
        None => (path, None),
    };
    if !out.links.iter().any(|l| l == file) {
        out.links.push(file.to_string());
    }
    match targets.urls.get(file) {
        Some(url) => {
            if let Some(frag) = fragment {
                out.anchor_refs.push(AnchorRef {
                    target: file.to_string(),
                    fragment: frag.to_string(),
                    span,
                });
                CowStr::from(format!("{url}#{frag}"))
            } else {
                CowStr::from(url.clone())
            }
        }
        None => {
            let suggestion =
                crate::common::text::closest(file, targets.urls.keys().map(String::as_str));
            let help = match suggestion {
                Some(s) => format!(
                    "did you mean `@/{s}`? Links name a file under content/, e.g. @/tips/menjemur-rumput-laut.md"
                ),
                None => "links name a file under content/, e.g. @/tips/menjemur-rumput-laut.md"
                    .to_string(),
            };
            diags.push(
                Diagnostic::error(format!("broken internal link to `@/{file}`"))
                    .at(source, span, format!("there is no content/{file}"))
                    .help(help),
            );
            CowStr::Borrowed("#")
        }
    }
}

/// The HTML placed for an embed id, or an error naming the file and line.
fn place(
    key: &str,
    embeds: Option<&HashMap<String, String>>,
    source: &Source,
    span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    if let Some(html) = embeds.and_then(|e| e.get(key)) {
        return html.clone();
    }
    let (kind, id) = key.split_once(':').unwrap_or(("", key));
    let mut known: Vec<&str> = embeds
        .map(|e| {
            e.keys()
                .filter_map(|k| k.strip_prefix(kind)?.strip_prefix(':'))
                .collect()
        })
        .unwrap_or_default();
    known.sort();
    let help = if known.is_empty() {
        "this site has no impact report (data/impact.toml), so there is nothing to place"
            .to_string()
    } else {
        match crate::common::text::closest(id, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? Known {kind} ids: {}", known.join(", ")),
            None => format!("known {kind} ids: {}", known.join(", ")),
        }
    };
    diags.push(
        Diagnostic::error(format!("unknown {kind} id `{id}`"))
            .at(
                source,
                span,
                "not a chart, table or number of the impact report",
            )
            .help(help),
    );
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_charts_and_numbers_by_id_and_reports_unknown_ids() {
        let src = Source::new(
            "content/x.md",
            "+++\n+++\nNaik `=x-dampak` poin.\n\n```chart\nx-tren\n```\n\n```chart x-trend\n```\n",
        );
        let mut diags = Vec::new();
        let r = render(&src, 8, "/x/", "id", &targets(), &mut diags);
        assert!(r.html.contains("Naik +5 poin."), "{}", r.html);
        assert!(r.html.contains("<figure>X</figure>"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].location().unwrap(), "content/x.md:9:1");
        assert!(diags[0].message.contains("unknown chart id `x-trend`"));
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
