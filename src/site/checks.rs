//! Problems found across outputs: templates named in front matter that the theme lacks, and
//! two outputs that would make the same file (named by their owners, located at the alias when
//! one is to blame).

use super::Site;
use crate::common::diagnostics::{Diagnostic, Source};
use crate::content;
use crate::output::{Output, UnitKey};

impl Site {
    /// Templates named in front matter (`template`, `page_template`) that the theme does not
    /// have: a warning at the key, listing the templates there are; the page is drawn with its
    /// kind's default template (as content moved from another theme expects).
    pub(super) fn check_templates(&self) -> Vec<Diagnostic> {
        let named = self
            .content
            .pages
            .iter()
            .map(|p| (&p.source, "template", &p.meta.template))
            .chain(self.content.sections.iter().flat_map(|s| {
                [
                    (&s.source, "template", &s.meta.template),
                    (&s.source, "page_template", &s.page_template),
                ]
            }));
        let mut diags = Vec::new();
        for (source, key, name) in named {
            let Some(name) = name.as_deref().filter(|n| !self.has_template(n)) else {
                continue;
            };
            let mut known: Vec<&str> = self
                .theme
                .files
                .keys()
                .map(String::as_str)
                .filter(|t| t.ends_with(".html") && !t.starts_with("partials/"))
                .collect();
            known.sort();
            let help = match crate::common::text::closest(name, known.iter().copied()) {
                Some(t) => format!("did you mean `{t}`? Templates: {}", known.join(", ")),
                None => format!("templates of this theme and site: {}", known.join(", ")),
            };
            diags.push(
                Diagnostic::warning(format!(
                    "unknown template `{}`: the default template of this kind of page is used",
                    name.escape_debug()
                ))
                .at(source, content::value_span(source, key), "no such template")
                .help(help),
            );
        }
        diags
    }

    /// Who makes an output unit, for messages: the content file and, when the unit's file is
    /// one of its aliases, where that alias is written.
    pub(super) fn unit_owner(&self, key: &UnitKey, file: &str) -> (String, Option<Located<'_>>) {
        fn alias_span<'s>(
            source: &'s Source,
            aliases: &[String],
            file: &str,
        ) -> Option<Located<'s>> {
            aliases
                .iter()
                .find(|a| {
                    let own = Output::file_for_url(a);
                    own == file || own.starts_with(&format!("{file}/"))
                })
                .map(|a| {
                    (
                        source,
                        alias_location(source, a),
                        "this alias is already an address of the site",
                    )
                })
        }
        fn section<'s>(
            found: Option<&'s content::Section>,
            what: &str,
            file: &str,
        ) -> (String, Option<Located<'s>>) {
            match found {
                Some(s) => (
                    format!("the listing of {}", s.source.path.display()),
                    alias_span(&s.source, &s.meta.aliases, file),
                ),
                None => (format!("the listing {what}"), None),
            }
        }
        let sections = &self.content.sections;
        match key {
            UnitKey::Page(rel) => match self.content.pages.iter().find(|p| &p.rel == rel) {
                Some(p) => (
                    p.source.path.display().to_string(),
                    alias_span(&p.source, &p.meta.aliases, file).or_else(|| {
                        // The page's own address, when its front matter sets it.
                        let own = Output::file_for_url(&p.url);
                        (own == file || own.starts_with(&format!("{file}/")))
                            .then(|| front_matter_key(&p.source, &["path", "slug"]))
                            .flatten()
                            .map(|span| (&p.source, span, "this address is already taken"))
                    }),
                ),
                None => (format!("content/{rel}"), None),
            },
            UnitKey::SectionAliases(rel) => {
                section(sections.iter().find(|s| &s.rel == rel), rel, file)
            }
            UnitKey::Pager(url) | UnitKey::Home(url) | UnitKey::Schedule(url) => {
                section(sections.iter().find(|s| &s.url == url), url, file)
            }
            UnitKey::Taxonomy(url) => (format!("the taxonomy list {url} (berdaya.toml)"), None),
            UnitKey::Impact(_) => ("the impact report (data/impact.toml)".to_string(), None),
            UnitKey::NotFound(_) => ("the page-not-found page".to_string(), None),
            UnitKey::Search(_) | UnitKey::SearchAz(_) => ("the search pages".to_string(), None),
            UnitKey::Feed(url) => (format!("the Atom feed {url}"), None),
            UnitKey::Sitemap => ("the sitemap".to_string(), None),
            UnitKey::Robots => ("the generated robots.txt".to_string(), None),
            UnitKey::Asset(to) => match self.content.assets.iter().find(|(_, t)| t == to) {
                Some((from, _)) => (
                    crate::common::text::relative(&self.root, from)
                        .display()
                        .to_string(),
                    None,
                ),
                None => (format!("the static file {to}"), None),
            },
        }
    }

    /// The error for two outputs that would write the same file.
    pub(super) fn collision(&self, c: &crate::output::Collision) -> Diagnostic {
        let (mut a, mut a_at) = self.unit_owner(&c.first, &c.file);
        let (mut b, mut b_at) = self.unit_owner(&c.second, &c.file);
        // The contributor's file first: that is where the fix usually is.
        if !a.starts_with("content/") && b.starts_with("content/") {
            std::mem::swap(&mut a, &mut b);
            std::mem::swap(&mut a_at, &mut b_at);
        }
        let url = format!("/{}", c.file.strip_suffix("index.html").unwrap_or(&c.file));
        let message = if c.first == c.second {
            format!("{a} makes {url} twice: an alias is the page's own address")
        } else if c.folder {
            format!("{a} and {b} both use {url}, one as a file and one as a folder")
        } else {
            format!("{a} and {b} both make {url}")
        };
        let d = Diagnostic::error(message);
        let d = match a_at.or(b_at) {
            Some((source, span, label)) => d.at(source, span, label),
            None => d.in_file(if a.starts_with("content/") { &a } else { &b }),
        };
        d.help("give one of them another `slug` or `path`; when an alias makes the address, remove or change that alias: an alias must be an old address that no page uses any more")
    }
}

/// A place in a content file, with what to say there.
type Located<'s> = (&'s Source, std::ops::Range<usize>, &'static str);

/// Where the first of `keys` (`path`, `slug`) that a file's front matter sets is written: the
/// key with its value.
fn front_matter_key(source: &Source, keys: &[&str]) -> Option<std::ops::Range<usize>> {
    let fm = crate::content::frontmatter::parse(source).ok()?;
    keys.iter()
        .find_map(|k| fm.locate_key(source, None, k))
        .map(|span| span.key.start..span.value.end)
}

/// Where alias `url` (normalised, `/a/b/`) is written in a file's front matter: the first
/// occurrence of its text after the `aliases` key.
pub(super) fn alias_location(source: &Source, url: &str) -> std::ops::Range<usize> {
    let text = &source.text;
    let from = text.find("aliases").unwrap_or(0);
    let needle = url.trim_matches('/');
    text[from..]
        .find(needle)
        .map_or(from..from + 7.min(text.len() - from), |i| {
            from + i..from + i + needle.len()
        })
}

impl Site {
    /// Links and images of every page to this site by address (`/tips/x/`, `../x/`, `foto.jpg`,
    /// `#bagian`): the address must be a file this build makes (a folder address its
    /// `index.html`), and a fragment an id of the page linked when it is a content page or
    /// section (its headings and footnotes, or the theme's layout). Errors at the link with a
    /// did-you-mean.
    pub(super) fn check_local_links(
        &self,
        links: &[(&Source, &[crate::markdown::LocalLink])],
        ids: &super::Ids,
        out: &Output,
    ) -> Vec<Diagnostic> {
        // Pages and sections by address: for fragments and suggestions, made when one needs it.
        let by_url = std::cell::OnceCell::new();
        let by_url = || -> &foldhash::HashMap<&str, (&str, &str)> {
            by_url.get_or_init(|| {
                self.content
                    .pages
                    .iter()
                    .map(|p| (p.url.as_str(), (p.rel.as_str(), p.lang.as_str())))
                    // A section with `render = false` has no page at its address (a page may
                    // take it).
                    .chain(
                        self.content
                            .sections
                            .iter()
                            .filter(|s| s.meta.render)
                            .map(|s| (s.url.as_str(), (s.rel.as_str(), s.lang.as_str()))),
                    )
                    .collect()
            })
        };
        let mut diags = Vec::new();
        for (source, page_links) in links {
            for link in page_links.iter() {
                let file = Output::file_for_url(&link.path);
                let folder = format!("{}/index.html", link.path.trim_matches('/'));
                let exists = out.makes(&file)
                    || (!link.path.ends_with('/') && out.makes(folder.trim_start_matches('/')));
                if !exists {
                    // Addresses in the linking page's language first: an Indonesian page
                    // linking a moved page is pointed at the Indonesian one, not at /en/.
                    let from = source.path.strip_prefix("content").ok();
                    let language = by_url()
                        .values()
                        .find(|(rel, _)| from == Some(std::path::Path::new(rel)))
                        .map(|(_, lang)| *lang);
                    let in_language = by_url()
                        .iter()
                        .filter(|(_, (_, lang))| Some(*lang) == language)
                        .map(|(url, _)| *url);
                    let closest =
                        crate::common::text::closest(&link.path, in_language).or_else(|| {
                            crate::common::text::closest(&link.path, by_url().keys().copied())
                        });
                    let help = match closest {
                        _ if link.image => "put the image beside the page (a folder page content/x/index.md shows x/photo.jpg as photo.jpg) or in static/".to_string(),
                        Some(s) => format!(
                            "did you mean `{s}`? A page of this site is best linked by its file: [text](@/file.md)"
                        ),
                        None => "link a page of this site by its file: [text](@/file.md)".into(),
                    };
                    diags.push(
                        Diagnostic::error(format!(
                            "broken {} `{}`",
                            if link.image { "image" } else { "link to" },
                            link.path.escape_debug()
                        ))
                        .at(source, link.span.clone(), "this site has no such address")
                        .help(help),
                    );
                    continue;
                }
                let Some(frag) = &link.fragment else {
                    continue;
                };
                let Some((rel, _)) = by_url().get(link.path.as_str()) else {
                    continue;
                };
                let Some(known) = ids.get(rel) else {
                    continue;
                };
                if known.contains(frag) || self.theme.layout_ids.contains(frag) {
                    continue;
                }
                let mut names: Vec<&str> = known.iter().map(String::as_str).collect();
                names.sort();
                let help = match crate::common::text::closest(frag, names.iter().copied()) {
                    Some(s) => format!("did you mean `#{s}`? Ids there: {}", names.join(", ")),
                    None if names.is_empty() => "that page has no headings to link to".into(),
                    None => format!("ids there: {}", names.join(", ")),
                };
                diags.push(
                    Diagnostic::error(format!(
                        "broken link to `{}#{}`",
                        link.path.escape_debug(),
                        frag.escape_debug()
                    ))
                    .at(source, link.span.clone(), "no heading has this id")
                    .help(help),
                );
            }
        }
        diags
    }
}
