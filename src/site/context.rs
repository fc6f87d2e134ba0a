//! What every template gets (site, language, strings, navigation, translations, CSS), the theme's
//! interface strings, and rendering one template.

use serde::Serialize;
use tera::Context;

use super::Site;
use crate::common::diagnostics::Diagnostic;
use crate::templates::template_error;

#[derive(Serialize, Clone)]
struct Alternate {
    lang: String,
    name: String,
    url: String,
    permalink: String,
    /// False when the page has no translation and the link goes to that language's home.
    exists: bool,
}

impl Site {
    /// A UI string of the theme.
    pub fn string(&self, lang: &str, key: &str) -> String {
        self.theme.word(lang, key)
    }

    /// Context every template gets: site, language, strings, navigation, translations, CSS.
    pub(super) fn context(&self, lang: &str, url: &str, translation_key: Option<&str>) -> Context {
        let g = &self.globals[lang];
        let mut ctx = Context::new();
        ctx.insert_value("config", g.config.clone());
        ctx.insert_value("t", g.strings.clone());
        ctx.insert_value("nav", g.nav.clone());
        ctx.insert_value("css", self.css.clone());
        ctx.insert("lang", lang);
        ctx.insert("meta_title", "");
        ctx.insert("meta_description", self.config.site_description(lang));
        ctx.insert("contact_html", &g.contact_html);
        ctx.insert("current_url", url);
        ctx.insert("permalink", &self.permalink(url));
        let prefix = self.config.lang_prefix(lang);
        ctx.insert("home_url", &format!("{prefix}/"));
        ctx.insert("feed_url", &format!("{prefix}/atom.xml"));
        if self.config.offline.service_worker {
            ctx.insert("sw_url", &format!("{}/sw.js", self.config.path_prefix()));
        }
        if self.has_template("search.html") {
            ctx.insert("search_url", &self.search_url(lang));
        }
        let found = translation_key.and_then(|k| self.translations.get(k));
        let mut alternates = Vec::new();
        let mut translations = Vec::new();
        for other in self.config.all_languages() {
            let hit = found.and_then(|list| list.iter().find(|(l, _)| *l == other));
            let alt = Alternate {
                name: self.config.language_name(&other).to_string(),
                url: hit.map_or_else(
                    || format!("{}/", self.config.lang_prefix(&other)),
                    |(_, u)| u.clone(),
                ),
                permalink: String::new(),
                exists: hit.is_some(),
                lang: other.clone(),
            };
            let alt = Alternate {
                permalink: self.permalink(&alt.url),
                ..alt
            };
            if alt.exists || other == lang {
                alternates.push(alt.clone());
            }
            if other != lang {
                translations.push(alt);
            }
        }
        if alternates.len() < 2 {
            alternates.clear();
        }
        ctx.insert("translations", &translations);
        ctx.insert("alternates", &alternates);
        ctx
    }

    pub(super) fn render(&self, template: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.theme
            .tera
            .render(template, ctx)
            .map_err(|e| template_error(&e, &self.theme.files, &self.root))
    }

    /// [`Site::render`] for the page of content file `origin`: an error names both the
    /// template and the content file it was drawing.
    pub(super) fn render_for(
        &self,
        template: &str,
        ctx: &Context,
        origin: Option<&std::path::Path>,
    ) -> Result<String, Diagnostic> {
        self.render(template, ctx).map_err(|mut d| {
            d.message = match origin {
                Some(o) => format!(
                    "template `{template}` failed while drawing {}",
                    o.display()
                ),
                None => format!("template `{template}` failed"),
            };
            if let Some(o) = origin {
                d.help = Some(format!(
                    "check the template at the line shown; if {} names a template meant for another kind of page (`template = ...`), remove that line",
                    o.display()
                ));
            }
            d
        })
    }

    pub(super) fn has_template(&self, name: &str) -> bool {
        self.theme.files.contains_key(name)
    }
}
