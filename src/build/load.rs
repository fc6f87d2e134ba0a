//! Loading a site, the one way both `build` and `serve` do it: `berdaya.toml`, then the theme,
//! `content/` and the impact analysis, each with its own diagnostics so `serve` can replace one
//! part's messages when only that part changes.

use jiff::Timestamp;

use super::BuildOptions;
use crate::common::diagnostics::{Diagnostic, Diagnostics};
use crate::config::Config;
use crate::content::{self, Content, LoadOptions};
use crate::impact::Analysis;
use crate::site::Site;
use crate::templates::Theme;

/// The parts of a site as loaded, each with what went wrong reading it.
pub struct Parts {
    /// `berdaya.toml`.
    pub config: Config,
    /// The theme, or the errors of its templates, strings and stylesheet.
    pub theme: Result<Theme, Vec<Diagnostic>>,
    /// `content/`, read and linked.
    pub content: Content,
    /// Problems of single files (front matter, fields, names).
    pub content_diags: Diagnostics,
    /// The impact analysis (`None` without `data/impact.toml`), or why it failed.
    pub analysis: Result<Option<Analysis>, Diagnostics>,
}

impl Parts {
    /// Reads every part of the site in `opts.root`. Errors: `berdaya.toml` cannot be read;
    /// every other problem is kept with its part.
    pub fn load(opts: &BuildOptions) -> Result<Parts, Diagnostics> {
        let root = &opts.root;
        let config = Config::load(root)?;
        let theme = Theme::load(root, &config);
        let load_opts = LoadOptions {
            drafts: opts.drafts,
        };
        let (mut content, content_diags) = content::load_files(root, &config, &load_opts);
        content.relink(&config);
        let analysis = crate::impact::analyse(root);
        Ok(Parts {
            config,
            theme,
            content,
            content_diags,
            analysis,
        })
    }

    /// Every diagnostic of every part, in load order.
    pub fn diagnostics(&self) -> Diagnostics {
        let mut all = Diagnostics::default();
        if let Err(ds) = &self.theme {
            all.extend(ds.iter().cloned());
        }
        all.extend(self.content_diags.0.iter().cloned());
        match &self.analysis {
            Err(ds) => all.extend(ds.0.iter().cloned()),
            Ok(Some(a)) => all.extend(a.config.warnings.iter().cloned()),
            Ok(None) => {}
        }
        all
    }

    /// Draws the site that loaded, writing nothing, for the problems only drawing finds
    /// (unknown shortcodes, broken links): a run with load errors reports them too. A theme
    /// that failed is replaced by [`Theme::stand_in`]. When a content file failed to load,
    /// links cannot be judged (the file may be their target) and broken-link errors wait for
    /// the next run.
    pub fn draw_for_problems(self, opts: &BuildOptions, now: Timestamp) -> Vec<Diagnostic> {
        let content_failed = self.content_diags.has_errors();
        let theme = match self.theme {
            Ok(t) => t,
            Err(_) => match Theme::stand_in(&opts.root, &self.config) {
                Some(t) => t,
                None => return Vec::new(),
            },
        };
        let site = Site::new(
            opts.root.clone(),
            self.config,
            theme,
            self.content,
            self.analysis.ok().flatten(),
            now,
        );
        site.draw_for_problems(content_failed)
    }

    /// The site, when the theme loaded; `now` is the build's "now".
    pub fn into_site(self, opts: &BuildOptions, now: Timestamp) -> Option<Site> {
        let theme = self.theme.ok()?;
        let analysis = self.analysis.ok().flatten();
        Some(Site::new(
            opts.root.clone(),
            self.config,
            theme,
            self.content,
            analysis,
            now,
        ))
    }
}

/// Loads the site for a full build; errors stop here, before anything renders. Returns the
/// site and its warnings.
pub fn load_site(opts: &BuildOptions) -> Result<(Site, Diagnostics), Diagnostics> {
    let parts = Parts::load(opts)?;
    let mut diags = parts.diagnostics();
    let now = opts.now.unwrap_or_else(Timestamp::now);
    if diags.has_errors() {
        diags.extend(parts.draw_for_problems(opts, now));
        diags.sort_and_dedup();
        return Err(diags);
    }
    let site = parts
        .into_site(opts, now)
        .expect("no errors means the theme loaded");
    Ok((site, diags))
}
