//! The walk over pulldown-cmark's events: one method per kind of event (report placements,
//! headings, links and images, raw HTML, tables), collecting the events to write and what the
//! page tells the rest of the build.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd, html};

use super::links::{heading_attributes, place, resolve};
use super::raw::{HtmlBlock, Walk, nesting_error, summary_events};
use super::shortcodes::{Expanded, TOKEN_CLOSE, TOKEN_OPEN};
use super::{Heading, LinkTargets, MAX_NESTING, Rendered};
use crate::common::diagnostics::{Diagnostic, Source};
use crate::sanitize;

/// A fenced ```chart / ```table block being read: the report's result when its id names one,
/// else an ordinary code block.
struct EmbedBlock<'a> {
    kind: &'static str,
    /// The fence's info string, to write the block back as code.
    info: CowStr<'a>,
    /// The id on the fence line.
    id: String,
    /// The block's text (the id on the next line, or code).
    text: String,
    /// Byte range of the block's start in the body.
    start: Range<usize>,
}

/// A heading being read: its level, the id it was given, and where its start event is.
struct OpenHeading<'a> {
    given: Option<CowStr<'a>>,
    at: usize,
    text: String,
}

/// The state of rendering one body.
pub(super) struct Renderer<'a, 'd> {
    source: &'a Source,
    body: &'a str,
    /// The body with its shortcode calls as tokens, and how offsets map back.
    expanded: &'a Expanded<'a>,
    /// The page's language (shortcodes get the theme's words in it).
    lang: String,
    body_start: usize,
    page_url: &'a str,
    targets: &'a LinkTargets,
    embeds: Option<&'a HashMap<String, String>>,
    diags: &'d mut Vec<Diagnostic>,
    out: Rendered,
    events: Vec<Event<'a>>,
    more_at: Option<usize>,
    heading: Option<OpenHeading<'a>>,
    /// Every heading: its start event, the id written in `{#...}` (if any) and its text's slug;
    /// ids are given once the whole page is read, so none collides with another.
    heading_ids: Vec<(usize, Option<String>, String)>,
    /// Footnote ids (`fn-LABEL`), which no heading may take.
    footnote_ids: Vec<String>,
    embed: Option<EmbedBlock<'a>>,
    walk: Walk<'a>,
    block: Option<HtmlBlock>,
    /// Whether each open link or image was dropped for an unsafe target.
    dropped: Vec<bool>,
    /// Images being read: the description (alt text) so far and where the image is written.
    alts: Vec<(String, Range<usize>)>,
}

impl<'a, 'd> Renderer<'a, 'd> {
    pub(super) fn new(
        source: &'a Source,
        body_start: usize,
        expanded: &'a Expanded<'a>,
        page_url: &'a str,
        lang: &str,
        targets: &'a LinkTargets,
        diags: &'d mut Vec<Diagnostic>,
    ) -> Self {
        let body: &str = &expanded.text;
        Renderer {
            source,
            body,
            expanded,
            body_start,
            page_url,
            targets,
            embeds: targets.embeds.get(lang),
            lang: lang.to_string(),
            diags,
            out: Rendered::default(),
            events: Vec::with_capacity(body.len() / 16),
            more_at: None,
            heading: None,
            heading_ids: Vec::new(),
            footnote_ids: Vec::new(),
            embed: None,
            walk: Walk {
                source,
                sanitize: targets.sanitize_html,
                depth: 0,
                html_depth: 0,
                too_deep: false,
                raw_html: false,
                pieces: Vec::new(),
            },
            block: None,
            dropped: Vec::new(),
            alts: Vec::new(),
        }
    }

    /// The file span of a range of the body.
    fn span(&self, range: &Range<usize>) -> Range<usize> {
        self.at(range.start)..self.at(range.end)
    }

    /// The file offset of offset `i` of the text being parsed (shortcode calls stand there as
    /// shorter tokens).
    fn at(&self, i: usize) -> usize {
        self.body_start + self.expanded.body_offset(i)
    }

    /// Takes one event; false when the body nests too deep and rendering stops.
    pub(super) fn event(&mut self, event: Event<'a>, range: Range<usize>) -> bool {
        if !self.count_depth(&event, &range) {
            return false;
        }
        if self.embed.is_some() {
            self.embed_block(&event, &range);
            return true;
        }
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &event {
            let mut words = info.split_whitespace();
            let kind = match words.next() {
                Some("chart" | "grafik") => Some("chart"),
                Some("table" | "tabel") => Some("table"),
                _ => None,
            };
            if let Some(kind) = kind {
                let id = words.collect::<Vec<_>>().join(" ");
                self.embed = Some(EmbedBlock {
                    kind,
                    info: info.clone(),
                    id,
                    text: String::new(),
                    start: range.clone(),
                });
                return true;
            }
        }
        if let Event::Code(code) = &event
            && let Some(id) = code.strip_prefix('=')
        {
            // `=ID` places a number only when ID names one: `=>` or `==` stay code.
            let key = format!("number:{}", id.trim());
            if self.is_result(&key, &range) {
                self.place(&key, &range, true);
                return true;
            }
        }
        self.dispatch(event, range);
        true
    }

    fn dispatch(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => self.heading_start(level, id, classes, attrs, &range),
            Event::End(TagEnd::Heading(level)) => self.heading_end(level),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.link_start(event, &range),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if matches!(event, Event::End(TagEnd::Image)) {
                    self.image_end();
                }
                if !self.dropped.pop().unwrap_or(false) {
                    self.events.push(event);
                }
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) if is_more(h) => {
                self.more_at.get_or_insert(self.events.len());
            }
            Event::Start(Tag::HtmlBlock) => {
                self.block = Some(HtmlBlock::default());
                self.events.push(event);
            }
            Event::Html(ref h) => {
                let at = self.at(range.start);
                if let Some(b) = &mut self.block {
                    b.starts.push((b.text.len(), at));
                    b.text.push_str(h);
                }
                self.events.push(event);
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(b) = self.block.take().filter(|b| !b.text.is_empty()) {
                    let links = self
                        .walk
                        .raw_html(&b.text, &|at| b.source_offset(at), self.diags);
                    self.record_html_links(links);
                }
                self.events.push(event);
            }
            Event::InlineHtml(ref h) => {
                let at = self.at(range.start);
                // Inside `> >` quotes the text skips the markers: point at its start then.
                let exact = self.body.get(range.clone()) == Some(&**h);
                let links = self
                    .walk
                    .raw_html(h, &|i| if exact { at + i } else { at }, self.diags);
                self.record_html_links(links);
                self.events.push(event);
            }
            Event::TaskListMarker(checked) => {
                // The site's own checkbox: contributors' <input> tags are not allowed.
                let html = format!(
                    "<input disabled=\"\" type=\"checkbox\"{}/>\n",
                    if checked { " checked=\"\"" } else { "" }
                );
                let marker = self.walk.piece(html, self.span(&range));
                self.events.push(Event::InlineHtml(CowStr::from(marker)));
            }
            // Footnote ids live in their own namespace (`fn-LABEL`), apart from headings'.
            Event::FootnoteReference(label) => {
                self.events
                    .push(Event::FootnoteReference(CowStr::from(format!(
                        "fn-{label}"
                    ))));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let id = format!("fn-{label}");
                self.footnote_ids.push(id.clone());
                self.events
                    .push(Event::Start(Tag::FootnoteDefinition(CowStr::from(id))));
            }
            Event::Start(Tag::Table(_)) => {
                self.events.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\" tabindex=\"0\">",
                )));
                self.events.push(event);
            }
            Event::End(TagEnd::Table) => {
                self.events.push(event);
                self.events.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some(h) = &mut self.heading {
                    h.text.push_str(t);
                }
                if let Some(alt) = self.alts.last_mut() {
                    alt.0.push_str(t);
                }
                self.out.word_count += t.split_whitespace().count();
                self.events.push(event);
            }
            other => self.events.push(other),
        }
    }

    /// Counts markdown nesting; false (with an error) beyond [`MAX_NESTING`].
    fn count_depth(&mut self, event: &Event, range: &Range<usize>) -> bool {
        match event {
            Event::Start(_) => {
                self.walk.depth += 1;
                let depth = self.walk.depth + self.walk.html_depth;
                if depth > MAX_NESTING {
                    self.walk.too_deep = true;
                    let at = self.at(range.start);
                    self.diags
                        .push(nesting_error(self.source, at, depth, "markdown"));
                    return false;
                }
            }
            Event::End(_) => self.walk.depth -= 1,
            _ => {}
        }
        !self.walk.too_deep
    }

    /// Reads a fenced placement block; at its end, places the result it names.
    fn embed_block(&mut self, event: &Event, range: &Range<usize>) {
        let Some(embed) = &mut self.embed else {
            return;
        };
        match event {
            Event::Text(t) => embed.text.push_str(t),
            Event::End(TagEnd::CodeBlock) => {
                let Some(embed) = self.embed.take() else {
                    return;
                };
                // The id on the fence line, else the block's one line of text.
                let id = if embed.id.is_empty() {
                    embed.text.trim()
                } else {
                    embed.id.as_str()
                };
                let key = format!("{}:{id}", embed.kind);
                let whole = embed.start.start..range.end;
                let one_line = embed.id.is_empty() || embed.text.trim().is_empty();
                if one_line && self.is_result(&key, &whole) {
                    self.place(&key, &whole, false);
                } else {
                    // Not a report result: the code block it is in markdown.
                    self.dispatch(
                        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(embed.info))),
                        embed.start,
                    );
                    if !embed.text.is_empty() {
                        self.dispatch(Event::Text(CowStr::from(embed.text)), whole.clone());
                    }
                    self.dispatch(Event::End(TagEnd::CodeBlock), whole);
                }
            }
            _ => {}
        }
    }

    /// True when `key` (`chart:ID`, `table:ID`, `number:ID`) names a result of the report. A page
    /// that could place one is rendered again when the report changes; an id that is not a
    /// result but close to one gets a warning, since it then shows as code.
    fn is_result(&mut self, key: &str, range: &Range<usize>) -> bool {
        let (kind, id) = key.split_once(':').unwrap_or(("", key));
        let looks_like_id = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            && id.chars().any(char::is_alphabetic);
        if !looks_like_id {
            return false;
        }
        self.out.uses_embeds = true;
        if self.embeds.is_some_and(|e| e.contains_key(key)) {
            return true;
        }
        let known = self.embeds.map_or(Vec::new(), |e| {
            e.keys()
                .filter_map(|k| k.strip_prefix(kind)?.strip_prefix(':'))
                .collect::<Vec<_>>()
        });
        if let Some(close) = crate::common::text::closest(id, known.iter().copied()) {
            let span = self.span(range);
            self.diags.push(
                Diagnostic::warning(format!(
                    "`{id}` is not a {kind} of the impact report, so it shows as code"
                ))
                .at(self.source, span, "shown as code")
                .help(format!("did you mean `{close}`?")),
            );
        }
        false
    }

    /// Places the report's result `key` (set aside as a marker until the page is cleaned).
    fn place(&mut self, key: &str, range: &Range<usize>, inline: bool) {
        self.out.uses_embeds = true;
        let span = self.span(range);
        let html = place(key, self.embeds, self.source, span.clone(), self.diags);
        let marker = CowStr::from(self.walk.piece(html, span));
        self.events.push(if inline {
            Event::InlineHtml(marker)
        } else {
            Event::Html(marker)
        });
    }

    fn heading_start(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        range: &Range<usize>,
    ) {
        self.heading = Some(OpenHeading {
            given: id,
            at: self.events.len(),
            text: String::new(),
        });
        // Point at the `{...}` block, where attributes are written.
        let line = &self.body[range.clone()];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let start = self.at(range.start);
        let span = match (line.rfind('{'), line.rfind('}')) {
            (Some(a), Some(b)) if a < b => start + a..start + b + 1,
            _ => start..start + line.len(),
        };
        let (classes, attrs) =
            heading_attributes(&self.walk, level, classes, attrs, span, self.diags);
        if !classes.is_empty() || !attrs.is_empty() {
            // What pulldown-cmark writes from `{...}` also goes through the sanitiser.
            self.walk.raw_html = true;
        }
        self.events.push(Event::Start(Tag::Heading {
            level,
            id: None,
            classes,
            attrs,
        }));
    }

    /// Gives the heading its id: the one written, else the slug of its text (`bagian` when
    /// empty), numbered when the page already has it.
    fn heading_end(&mut self, level: HeadingLevel) {
        if let Some(h) = self.heading.take() {
            let natural = slug::slugify(&h.text);
            self.heading_ids.push((
                h.at,
                h.given.map(|g| g.to_string()).filter(|g| !g.is_empty()),
                if natural.is_empty() {
                    "bagian".to_string()
                } else {
                    natural
                },
            ));
            // The id is given in `assign_heading_ids`, once every heading is known.
            self.out.headings.push(Heading {
                level: level as u8,
                id: String::new(),
                text: h.text.trim().to_string(),
            });
        }
        self.events.push(Event::End(TagEnd::Heading(level)));
    }

    /// A link or image: its target resolved, or the element dropped (text kept) when the
    /// target is refused.
    fn link_start(&mut self, mut event: Event<'a>, range: &Range<usize>) {
        let span = self.span(range);
        let (tag, attr, dest_url) = match &event {
            Event::Start(Tag::Image { dest_url, .. }) => ("img", "src", dest_url.clone()),
            // `<name@example.org>`: the writer makes it a `mailto:` link.
            Event::Start(Tag::Link {
                link_type: pulldown_cmark::LinkType::Email,
                ..
            }) => {
                self.dropped.push(false);
                self.events.push(event);
                return;
            }
            Event::Start(Tag::Link { dest_url, .. }) => ("a", "href", dest_url.clone()),
            _ => return,
        };
        if tag == "img" {
            self.alts.push((String::new(), span.clone()));
        }
        let dest = resolve(
            &dest_url,
            self.page_url,
            self.source,
            span.clone(),
            self.targets,
            self.diags,
            &mut self.out,
            tag == "img",
        );
        let problem = self
            .walk
            .sanitize
            .then(|| sanitize::url_problem(tag, attr, &dest))
            .flatten();
        self.dropped.push(problem.is_some());
        if let Some(why) = problem {
            let (what, help) = if tag == "img" {
                (
                    "image",
                    "show an image file beside the page, e.g. ![description](photo.jpg); its description is kept as text",
                )
            } else {
                (
                    "link",
                    "link to a web page with https://…, or to a page of this site with @/file.md; the link text is kept",
                )
            };
            self.diags.push(
                Diagnostic::warning(format!("removed the {what} to `{dest}`"))
                    .at(self.source, span, why)
                    .help(help),
            );
            return;
        }
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut event {
            *dest_url = dest;
        }
        self.events.push(event);
    }

    /// An image without a description is an error: readers who cannot see it, and those whose
    /// connection did not load it, get nothing.
    fn image_end(&mut self) {
        let Some((alt, span)) = self.alts.pop() else {
            return;
        };
        if let Some(outer) = self.alts.last_mut() {
            outer.0.push_str(&alt);
        }
        if alt.trim().is_empty() {
            self.diags.push(
                Diagnostic::error("image without a description (alt text)")
                    .at(self.source, span, "nothing between `![` and `]`")
                    .help("describe what the image shows for readers who cannot see it: ![Rumput laut dijemur di para-para](jemur.jpg); an image that only decorates takes an empty description in HTML: <img src=\"hiasan.png\" alt=\"\">"),
            );
        }
    }

    /// The page's HTML and summary, cleaned, with the site's own HTML put back.
    /// Gives every heading an id no other element of the page has: ids written in `{#...}` first
    /// (in order; a repeated one gets a suffix), then ids from the heading's text, each made
    /// unique with `-1`, `-2`... against every id already taken, the footnotes' (`fn-...`) and the
    /// theme layout's (`isi`).
    fn assign_heading_ids(&mut self) {
        let mut taken: std::collections::HashSet<String> = self
            .targets
            .layout_ids
            .iter()
            .chain(&self.footnote_ids)
            .cloned()
            .collect();
        let mut ids: Vec<Option<String>> = vec![None; self.heading_ids.len()];
        let unique = |base: &str, taken: &mut std::collections::HashSet<String>| {
            let mut id = base.to_string();
            let mut n = 1;
            while taken.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            taken.insert(id.clone());
            id
        };
        for (k, (_, given, _)) in self.heading_ids.iter().enumerate() {
            if let Some(g) = given
                && !taken.contains(g)
            {
                taken.insert(g.clone());
                ids[k] = Some(g.clone());
            }
        }
        for (k, (_, given, natural)) in self.heading_ids.iter().enumerate() {
            if ids[k].is_none() {
                ids[k] = Some(unique(given.as_deref().unwrap_or(natural), &mut taken));
            }
        }
        for (k, id) in ids.into_iter().enumerate() {
            let id = id.unwrap_or_default();
            let at = self.heading_ids[k].0;
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut self.events[at] {
                *slot = Some(CowStr::from(id.clone()));
            }
            self.out.headings[k].id = id;
        }
    }

    pub(super) fn finish(mut self) -> Rendered {
        self.assign_heading_ids();
        self.out.footnote_ids = std::mem::take(&mut self.footnote_ids);
        if self.walk.too_deep {
            // Nothing this deep goes on to the minifier or the templates.
            return Rendered {
                uses_embeds: self.out.uses_embeds,
                links: self.out.links,
                ..Rendered::default()
            };
        }
        let drawn = self.draw_shortcodes();
        if let Some(at) = self.more_at {
            let mut summary = String::new();
            html::push_html(&mut summary, summary_events(&self.events[..at]));
            let summary = place_shortcodes(&summary, &drawn);
            let summary = self.walk.finish(&summary, None);
            let photos = &self.targets.photos;
            self.out.summary = Some(
                match crate::photos::markup::rewrite(&summary, photos, false, self.page_url) {
                    Some(r) => r.html,
                    None => summary,
                },
            );
        }
        let mut html = String::with_capacity(self.body.len() + self.body.len() / 4);
        html::push_html(&mut html, self.events.into_iter());
        let html = place_shortcodes(&html, &drawn);
        let html = self.walk.finish(&html, Some(self.diags));
        self.out.html = match crate::photos::markup::rewrite(
            &html,
            &self.targets.photos,
            true,
            self.page_url,
        ) {
            Some(r) => {
                self.out.photos = r.shown;
                self.out.eager_photo = r.eager;
                r.html
            }
            None => html,
        };
        self.out
    }

    /// Records the links of raw HTML or of a shortcode's drawing (file offset, address, image
    /// or not) for the link check.
    fn record_html_links(&mut self, links: Vec<(usize, String, bool)>) {
        for (at, url, image) in links {
            super::links::record_html_link(&url, self.page_url, at..at + 1, image, &mut self.out);
        }
    }

    /// Draws every shortcode call with its template; each becomes a marker of the site's own
    /// HTML (put back after cleaning). An unknown shortcode or a template error is an error at
    /// the call, and the call draws nothing.
    fn draw_shortcodes(&mut self) -> Vec<String> {
        let mut markers = Vec::with_capacity(self.expanded.calls.len());
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for call in &self.expanded.calls {
            // `nth`: the how-many-th call of this shortcode on the page, from 1 (as in Zola).
            let nth = seen.entry(call.name.as_str()).or_insert(0);
            *nth += 1;
            let nth = *nth;
            let html = self.draw_shortcode(call, nth).unwrap_or_else(|d| {
                self.diags.push(d);
                String::new()
            });
            // What the drawing links to is checked like the page's own links, at the call.
            let found = sanitize::inspect(&html);
            if !found.missing_alt.is_empty() {
                self.diags.push(
                    Diagnostic::error(format!(
                        "shortcode `{}` shows an image without a description (alt text)",
                        call.name
                    ))
                    .at(self.source, call.span.clone(), "no alt")
                    .help("add alt=\"what the image shows\" to the call; alt=\"\" for an image that only decorates"),
                );
            }
            let links = found
                .links
                .into_iter()
                .map(|(_, url, image)| (call.span.start, url, image))
                .collect();
            self.record_html_links(links);
            if !self.out.shortcodes.contains(&call.name) {
                self.out.shortcodes.push(call.name.clone());
            }
            markers.push(self.walk.piece(html, call.span.clone()));
        }
        markers
    }

    fn draw_shortcode(
        &self,
        call: &super::shortcodes::Call,
        nth: usize,
    ) -> Result<String, Diagnostic> {
        let known = self.targets.shortcodes.as_ref();
        let names: Vec<&str> =
            known.map_or(Vec::new(), |s| s.names.iter().map(String::as_str).collect());
        let Some(sc) = known.filter(|_| names.contains(&call.name.as_str())) else {
            let help = match crate::common::text::closest(&call.name, names.iter().copied()) {
                Some(n) => format!("did you mean `{n}`? Shortcodes: {}", names.join(", ")),
                None if names.is_empty() => {
                    "this site has no shortcodes: add templates/shortcodes/NAME.html".into()
                }
                None => format!(
                    "shortcodes: {} (each is a template templates/shortcodes/NAME.html)",
                    names.join(", ")
                ),
            };
            return Err(Diagnostic::error(format!(
                "unknown shortcode `{}`",
                call.name.escape_debug()
            ))
            .at(self.source, call.span.clone(), "no such shortcode")
            .help(help));
        };
        let mut ctx = tera::Context::new();
        for (k, v) in &call.args {
            ctx.insert_value(k.clone(), v.clone());
        }
        ctx.insert("page_url", self.page_url);
        ctx.insert("lang", &self.lang);
        ctx.insert("nth", &nth);
        if let Some(words) = &sc.words {
            ctx.insert_value("t", words(self.lang.as_str()));
        }
        if let Some(body) = &call.body {
            // The body is the contributor's markdown: rendered, then cleaned like the page.
            let mut html = String::new();
            html::push_html(
                &mut html,
                pulldown_cmark::Parser::new_ext(body, super::options()),
            );
            let html = if self.walk.sanitize {
                sanitize::clean(&html)
            } else {
                html
            };
            ctx.insert_value("body", tera::Value::safe_string(&html));
        }
        let template = format!("shortcodes/{}.html", call.name);
        // The arguments are the contributor's: the drawn HTML is cleaned like theirs.
        let clean = |html: String| {
            if self.walk.sanitize {
                sanitize::clean(&html)
            } else {
                html
            }
        };
        sc.tera.render(&template, &ctx).map(clean).map_err(|e| {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                message = format!("{message}: {s}");
                source = s.source();
            }
            Diagnostic::error(format!("shortcode `{}` failed to draw", call.name))
                .at(self.source, call.span.clone(), message)
                .help(format!(
                    "check the arguments against templates/{template} of the theme or site"
                ))
        })
    }
}

/// True for the summary marker `<!-- more -->` written with any spacing and letter case
/// (`<!--more-->`, `<!-- MORE -->`), as Zola reads it.
fn is_more(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|h| h.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
}

/// Puts the drawn shortcodes in place of their tokens: a call alone in its paragraph replaces
/// the paragraph (a figure is no paragraph's content).
fn place_shortcodes<'h>(html: &'h str, drawn: &[String]) -> std::borrow::Cow<'h, str> {
    if drawn.is_empty() || !html.contains(TOKEN_OPEN) {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = html.to_string();
    for (n, marker) in drawn.iter().enumerate() {
        let token = format!("{TOKEN_OPEN}{n}{TOKEN_CLOSE}");
        out = out
            .replace(&format!("<p>{token}</p>"), marker)
            .replace(&token, marker);
    }
    std::borrow::Cow::Owned(out)
}
