//! The theme: Tera 2 templates from `themes/<theme>/templates/` (a site's own `templates/`
//! overrides any of them), its UI strings (`i18n.toml`) and its stylesheet, minified once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Kwargs, State, Tera, Value};

use crate::common::diagnostics::{Diagnostic, Source};
use crate::common::locale;
use crate::config::Config;

/// A loaded theme: its templates, UI strings and stylesheet, with the hashes that tell
/// incremental builds what changed.
pub struct Theme {
    /// Every template, parsed, with autoescaping for `.html` and `.xml` and the `number`,
    /// `integer` and `rupiah` filters.
    pub tera: Tera,
    /// Template name → file it was read from, for error messages.
    pub files: BTreeMap<String, PathBuf>,
    /// UI strings by language.
    pub strings: BTreeMap<String, Value>,
    /// Minified stylesheet, inlined into every page.
    pub css: String,
    /// Template name → hash of its text and of every template it extends, includes or imports:
    /// a page whose template's hash is unchanged need not be rendered again.
    pub hashes: BTreeMap<String, u64>,
    /// Hash of the UI strings file.
    pub strings_hash: u64,
    /// Element ids the templates write literally (`<main id="isi">`): no heading of a page may
    /// take one.
    pub layout_ids: Vec<String>,
}

/// The literal `id="..."` values of the templates (ids built from template expressions are
/// left out: they are not known until rendering).
fn layout_ids(sources: &[(String, String)]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for (_, text) in sources {
        for quote in ['"', '\''] {
            let marker = format!("id={quote}");
            let mut rest = text.as_str();
            while let Some(i) = rest.find(&marker) {
                rest = &rest[i + marker.len()..];
                let Some(end) = rest.find(quote) else { break };
                let id = &rest[..end];
                let literal = !id.is_empty() && !id.contains(['{', '}', ' ']);
                // `aria-labelledby=`, `data-id=`: only a whole `id` attribute counts.
                let whole = text.len() > rest.len() + marker.len()
                    && text[..text.len() - rest.len() - marker.len()]
                        .ends_with(char::is_whitespace);
                if literal && whole && !ids.iter().any(|x| x == id) {
                    ids.push(id.to_string());
                }
                rest = &rest[end..];
            }
        }
    }
    ids.sort();
    ids
}

/// Hashes each template together with the templates it names (`extends`, `include`, `import`).
/// Any quoted template name counts, which may over-approximate but never misses a dependency.
fn template_hashes(sources: &[(String, String)]) -> BTreeMap<String, u64> {
    let deps: BTreeMap<&str, Vec<&str>> = sources
        .iter()
        .map(|(name, text)| {
            let named = sources
                .iter()
                .filter(|(other, _)| {
                    other != name
                        && (text.contains(&format!("\"{other}\""))
                            || text.contains(&format!("'{other}'")))
                })
                .map(|(other, _)| other.as_str())
                .collect();
            (name.as_str(), named)
        })
        .collect();
    let own: BTreeMap<&str, &str> = sources
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let mut out = BTreeMap::new();
    for name in own.keys() {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack = vec![*name];
        while let Some(n) = stack.pop() {
            if seen.insert(n) {
                stack.extend(deps.get(n).into_iter().flatten().copied());
            }
        }
        let parts: Vec<(&str, &str)> = seen.into_iter().map(|n| (n, own[n])).collect();
        out.insert(name.to_string(), crate::common::hash::hash_of(&parts));
    }
    out
}

impl Theme {
    /// Reads the theme named in the config from `root/themes/`, with the site's own `templates/`
    /// overriding its templates. Errors: the theme folder is missing, a template cannot be read
    /// or does not parse, or `i18n.toml` is not valid TOML.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let theme_dir = root.join("themes").join(&config.theme);
        if !theme_dir.is_dir() {
            return Err(vec![
                Diagnostic::error(format!("theme `{}` not found", config.theme)).help(format!(
                    "create {} or set `theme` in berdaya.toml to a folder under themes/",
                    theme_dir.display()
                )),
            ]);
        }
        let mut files = BTreeMap::new();
        for dir in [theme_dir.join("templates"), root.join("templates")] {
            if !dir.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                let name = entry.file_name().to_string_lossy();
                if !entry.file_type().is_file() || crate::common::text::is_editor_temp(&name) {
                    continue;
                }
                let key = crate::common::text::slash_path(&dir, entry.path());
                files.insert(key, entry.into_path());
            }
        }
        let mut sources = Vec::new();
        let mut diags = Vec::new();
        for (name, path) in &files {
            match std::fs::read_to_string(path) {
                Ok(text) => sources.push((name.clone(), text)),
                Err(e) => diags.push(
                    Diagnostic::error(format!("cannot read template: {e}"))
                        .in_file(rel(root, path)),
                ),
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let hashes = template_hashes(&sources);
        let layout_ids = layout_ids(&sources);
        let (tera, errors) = compile(sources, &files, root);
        let strings_path = theme_dir.join("i18n.toml");
        let strings = read_strings(&strings_path, root, config);
        let tera = match (tera, strings.as_ref()) {
            (Some(tera), Ok(_)) if errors.is_empty() => tera,
            _ => {
                let mut all = errors;
                all.extend(strings.err().unwrap_or_default());
                return Err(all);
            }
        };
        let strings = strings.unwrap_or_default();
        let strings_hash = crate::common::hash::text_hash(
            &std::fs::read_to_string(&strings_path).unwrap_or_default(),
        );
        let css_path = theme_dir.join("style.css");
        let css = match std::fs::read_to_string(&css_path) {
            Ok(text) => minify_css(&text),
            Err(_) => String::new(),
        };
        Ok(Theme {
            tera,
            files,
            strings,
            css,
            hashes,
            strings_hash,
            layout_ids,
        })
    }
}

impl Theme {
    /// A stand-in for a theme that failed to load, to draw content with when only its problems
    /// are wanted (`build` and `check` report content errors in the same run as template
    /// errors): every layout template is empty, shortcode templates that parse are kept, UI
    /// strings that do not read are empty. `None` when even that does not load.
    pub fn stand_in(root: &Path, config: &Config) -> Option<Theme> {
        let theme_dir = root.join("themes").join(&config.theme);
        let mut files = BTreeMap::new();
        for dir in [theme_dir.join("templates"), root.join("templates")] {
            for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
                if entry.file_type().is_file() {
                    let key = crate::common::text::slash_path(&dir, entry.path());
                    files.insert(key, entry.into_path());
                }
            }
        }
        let sources: Vec<(String, String)> = files
            .iter()
            .map(|(name, path)| {
                let text = if name.starts_with("shortcodes/") {
                    std::fs::read_to_string(path).unwrap_or_default()
                } else {
                    String::new()
                };
                (name.clone(), text)
            })
            .collect();
        let (tera, _) = compile(sources, &files, root);
        let strings =
            read_strings(&theme_dir.join("i18n.toml"), root, config).unwrap_or_else(|_| {
                config
                    .all_languages()
                    .into_iter()
                    .map(|l| (l, Value::from_serializable(&toml::Table::new())))
                    .collect()
            });
        Some(Theme {
            tera: tera?,
            files,
            strings,
            css: String::new(),
            hashes: BTreeMap::new(),
            strings_hash: 0,
            layout_ids: Vec::new(),
        })
    }
}

fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    register_filters(&mut tera);
    tera
}

/// Parses every template. A template with a syntax error is reported and left empty so that
/// the syntax errors of every template are found in one run; the errors Tera finds across
/// templates (unknown filters, blocks, includes) are reported when no template had a syntax
/// error (one left empty would cause false ones). Returns the templates when they loaded
/// (with the broken ones empty) and the errors.
fn compile(
    mut sources: Vec<(String, String)>,
    files: &BTreeMap<String, PathBuf>,
    root: &Path,
) -> (Option<Tera>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    for _ in 0..=sources.len() {
        let mut tera = new_tera();
        let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, s)| (n, s))) else {
            return (Some(tera), diags);
        };
        if let tera::ErrorKind::SyntaxError(report) = e.kind()
            && let Some(entry) = sources.iter_mut().find(|(n, _)| n == report.filename())
        {
            let shown = files
                .get(&entry.0)
                .map_or_else(|| PathBuf::from(&entry.0), |p| rel(root, p));
            diags.push(
                Diagnostic::error("template syntax error")
                    .at(
                        &Source::new(&shown, entry.1.as_str()),
                        report.span().range.clone(),
                        report.message().to_string(),
                    )
                    .help("Tera 2 syntax: {{ value }}, {% if x %}…{% endif %}, {% for x in list %}…{% endfor %}; see the README's Themes section"),
            );
            entry.1 = String::new();
            continue;
        }
        if diags.is_empty() {
            diags.push(template_error(&e, files, root));
        }
        return (None, diags);
    }
    (None, diags)
}

fn rel(root: &Path, path: &Path) -> PathBuf {
    crate::common::text::relative(root, path)
}

/// A Tera error as a diagnostic naming the template file; Tera's own report shows the line.
pub fn template_error(
    e: &tera::Error,
    files: &BTreeMap<String, PathBuf>,
    root: &Path,
) -> Diagnostic {
    use std::error::Error;
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(&format!("\ncaused by: {c}"));
        cause = c.source();
    }
    let file = files
        .iter()
        .find(|(name, _)| text.contains(name.as_str()))
        .map(|(_, p)| rel(root, p));
    let mut d = Diagnostic::error("template error").preformatted(text).help(
        "check the template at the line shown; variables a template may use are listed in the README's Themes section",
    );
    if let Some(f) = file {
        d = d.in_file(f);
    }
    d
}

fn read_strings(
    path: &Path,
    root: &Path,
    config: &Config,
) -> Result<BTreeMap<String, Value>, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let display = rel(root, path);
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        vec![Diagnostic::error("invalid theme strings").at(
            &Source::new(&display, text.as_str()),
            e.span().unwrap_or(0..0),
            e.message().to_string(),
        )]
    })?;
    let mut out = BTreeMap::new();
    let default = table
        .get(&config.default_language)
        .cloned()
        .unwrap_or(toml::Value::Table(Default::default()));
    for lang in config.all_languages() {
        // Missing strings fall back to the default language.
        let mut merged = default.as_table().cloned().unwrap_or_default();
        if let Some(toml::Value::Table(t)) = table.get(&lang) {
            merged.extend(t.clone());
        }
        out.insert(lang, Value::from_serializable(&merged));
    }
    Ok(out)
}

impl Theme {
    /// The theme's word for `key` in `lang` (`i18n.toml`); the key itself when missing.
    pub fn word(&self, lang: &str, key: &str) -> String {
        self.strings
            .get(lang)
            .and_then(|v| v.as_map())
            .and_then(|m| {
                m.iter()
                    .find(|(k, _)| k.as_str() == Some(key))
                    .map(|(_, v)| v)
            })
            .and_then(|v| v.as_str())
            .map_or_else(|| key.to_string(), str::to_string)
    }
}

/// Minifies a stylesheet with minify-html's CSS minifier.
pub fn minify_css(css: &str) -> String {
    let cfg = minify_html::Cfg {
        minify_css: true,
        ..Default::default()
    };
    let wrapped = format!("<style>{css}</style>");
    let out = minify_html::minify(wrapped.as_bytes(), &cfg);
    let out = String::from_utf8_lossy(&out);
    out.trim_start_matches("<style>")
        .trim_end_matches("</style>")
        .to_string()
}

/// The `lang=` argument of a filter, else the language of the page being rendered.
fn lang_kwarg(kwargs: &Kwargs, state: &State) -> String {
    kwargs
        .get::<&str>("lang")
        .ok()
        .flatten()
        .map(str::to_string)
        .or_else(|| state.get::<String>("lang").ok().flatten())
        .unwrap_or_default()
}

/// Filters for theme authors: `number`, `rupiah`, `integer` write numbers in the page's
/// language, or in `lang=`.
fn register_filters(tera: &mut Tera) {
    tera.register_filter("number", |x: f64, kwargs: Kwargs, state: &State| {
        let decimals = kwargs
            .get::<i64>("decimals")
            .ok()
            .flatten()
            .unwrap_or(1)
            .max(0) as usize;
        locale::number(x, decimals, &lang_kwarg(&kwargs, state))
    });
    tera.register_filter("integer", |x: i64, kwargs: Kwargs, state: &State| {
        locale::integer(x, &lang_kwarg(&kwargs, state))
    });
    tera.register_filter("rupiah", |x: i64, kwargs: Kwargs, state: &State| {
        locale::rupiah(x, &lang_kwarg(&kwargs, state))
    });
    // `"0812-0000-0103" | wa_me` → `https://wa.me/6281200000103`; empty when not a number.
    tera.register_filter("wa_me", |x: &str, _: Kwargs, _: &State| {
        crate::common::phone::wa_me(x).unwrap_or_default()
    });
}
