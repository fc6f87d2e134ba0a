//! Compiler-style diagnostics: file, line, column, the offending text, what was expected and a hint.
//!
//! Every user-facing problem (bad front matter, broken link, template error, page over budget) is a
//! [`Diagnostic`]. A build collects as many as it can before stopping, so a contributor sees every
//! mistake in one run.

use std::cell::Cell;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

/// How serious a diagnostic is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// A problem that stops the build.
    Error,
    /// A problem that is reported but does not stop the build.
    Warning,
}

/// A source file's text shared by every diagnostic that points into it.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path of the file as shown in messages, e.g. `content/tips/x.md` or `berdaya.toml`.
    pub path: PathBuf,
    /// The file's whole text, shared with the diagnostics that quote it.
    pub text: Arc<str>,
}

impl Source {
    /// Makes a source from a file's path (as shown in messages) and its text.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// Byte offset of the start of a 1-based line.
    pub fn line_offset(&self, line: usize) -> usize {
        if line <= 1 {
            return 0;
        }
        self.text
            .match_indices('\n')
            .nth(line - 2)
            .map_or(self.text.len(), |(i, _)| i + 1)
    }
}

/// One problem found in the user's input.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Whether this is an error (stops the build) or a warning.
    pub severity: Severity,
    /// One-line summary shown after `error:` or `warning:`.
    pub message: String,
    /// File the problem is in (relative to the site root when possible).
    pub path: Option<PathBuf>,
    /// Source text and the byte range of the offending text, when known.
    pub source: Option<(Arc<str>, Range<usize>)>,
    /// Short text under the offending span: what was expected.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
    /// A report rendered elsewhere (e.g. by Tera) to show verbatim.
    pub preformatted: Option<String>,
}

impl Diagnostic {
    /// A new error saying `message`, with no file, span or help yet: the builder methods add them.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            path: None,
            source: None,
            label: String::new(),
            help: None,
            preformatted: None,
        }
    }

    /// A new warning saying `message`, with no file, span or help yet: the builder methods add
    /// them.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Names the file the problem is in, without pointing at a span of its text.
    pub fn in_file(mut self, path: impl AsRef<Path>) -> Self {
        self.path = Some(path.as_ref().to_path_buf());
        self
    }

    /// Points at `span` (byte range) of `source` with `label` under it.
    pub fn at(mut self, source: &Source, span: Range<usize>, label: impl Into<String>) -> Self {
        self.path = Some(source.path.clone());
        // A span that cuts a character would make the renderer panic: widen it to whole ones.
        let text = &source.text;
        let mut end = span.end.min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let mut start = span.start.min(end);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        self.source = Some((source.text.clone(), start..end));
        self.label = label.into();
        self
    }

    /// Adds a hint on how to fix the problem, shown as `= help: ...`.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Shows `text` verbatim under the message instead of a source snippet (for a report
    /// rendered elsewhere, e.g. by Tera).
    pub fn preformatted(mut self, text: impl Into<String>) -> Self {
        self.preformatted = Some(text.into());
        self
    }

    /// True when the severity is [`Severity::Error`], which stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` of the diagnostic, as far as known.
    pub fn location(&self) -> Option<String> {
        let path = self.path.as_ref()?.display().to_string();
        match &self.source {
            Some((text, span)) => {
                let (line, col) = Source::new("", text.clone()).line_col(span.start);
                Some(format!("{path}:{line}:{col}"))
            }
            None => Some(path),
        }
    }

    /// Renders like rustc. `color` adds ANSI styles for terminals.
    pub fn render(&self, color: bool) -> String {
        if let Some(text) = &self.preformatted {
            let head = match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut out = format!("{head}: {}\n", self.message);
            if let Some(path) = &self.path {
                out.push_str(&format!("  --> {}\n", path.display()));
            }
            out.push_str(text.trim_end());
            out.push('\n');
            if let Some(help) = &self.help {
                out.push_str(&format!("  = help: {help}\n"));
            }
            return out;
        }
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.path.as_ref().map(|p| p.display().to_string());
        let mut group = annotate_snippets::Group::with_title(level.primary_title(&self.message));
        match (&self.source, &path) {
            (Some((text, span)), Some(path)) => {
                let span = if span.is_empty() && span.start < text.len() {
                    // Point at one character so the caret shows.
                    let next = text[span.start..].chars().next().map_or(1, char::len_utf8);
                    span.start..span.start + next
                } else {
                    span.clone()
                };
                group = group.element(
                    Snippet::source(&**text)
                        .path(path.as_str())
                        .fold(true)
                        .annotation(AnnotationKind::Primary.span(span).label(&self.label)),
                );
            }
            (None, Some(path)) => {
                group = group.element(annotate_snippets::Origin::path(path.as_str()));
            }
            _ => {}
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut out = renderer.render(&[group]);
        out.push('\n');
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The diagnostics of one run, errors first.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one diagnostic at the end, unsorted.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds every diagnostic of `ds` at the end, unsorted.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    /// True when at least one diagnostic is an error, so the build must stop.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Count of the diagnostics that are errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Count of the diagnostics that are warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// How many errors and warnings, in words: `1 error, 8 warnings`.
    pub fn tally(&self) -> String {
        let counted = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}, {}",
            counted(self.error_count(), "error"),
            counted(self.warning_count(), "warning")
        )
    }

    /// Stable order: errors before warnings, then by file and position.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (a.severity, &a.path, a.source.as_ref().map(|s| s.1.start)).cmp(&(
                b.severity,
                &b.path,
                b.source.as_ref().map(|s| s.1.start),
            ))
        });
    }

    /// Sorts, then drops repeats (a template error shown by every page that uses the template).
    pub fn sort_and_dedup(&mut self) {
        self.sort();
        let mut seen = std::collections::HashSet::new();
        self.0.retain(|d| seen.insert(d.render(false)));
    }

    /// Renders every diagnostic like rustc, a blank line between them. `color` adds ANSI styles
    /// for terminals.
    pub fn render(&self, color: bool) -> String {
        self.0
            .iter()
            .map(|d| d.render(color))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

thread_local! {
    /// True while [`catch_panic`] runs on this thread: its panics become diagnostics.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`; a panic inside (a bug in berdaya or a library, never the contributor's fault)
/// becomes an error naming `path` and what was being done (`doing`, e.g. "rendering"), so one
/// bad file does not stop the rest of the site from being checked, and the build still fails
/// cleanly. Stack overflows cannot be caught: nesting is capped before recursive code instead.
pub fn catch_panic<T>(path: &Path, doing: &str, f: impl FnOnce() -> T) -> Result<T, Diagnostic> {
    let before = CATCHING.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(before));
    result.map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Diagnostic::error(format!("berdaya failed while {doing} this file: {what}"))
            .in_file(path)
            .help("this is a bug in berdaya, not a mistake in the file; please report it with the file attached. Nothing was written to the output folder")
    })
}

/// Installs a panic hook that keeps quiet about panics [`catch_panic`] turns into errors and
/// reports any other as an internal error.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !CATCHING.with(Cell::get) {
            default(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_counts_in_words() {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error("a"));
        d.push(Diagnostic::warning("b"));
        d.push(Diagnostic::warning("c"));
        assert_eq!(d.tally(), "1 error, 2 warnings");
        assert_eq!(Diagnostics::default().tally(), "0 errors, 0 warnings");
    }

    #[test]
    fn a_panic_becomes_an_error_naming_the_file() {
        let d = catch_panic(Path::new("content/x.md"), "rendering", || {
            panic!("index out of bounds")
        })
        .unwrap_err();
        assert!(
            d.to_string()
                .contains("berdaya failed while rendering this file: index out of bounds")
        );
        assert_eq!(d.location().unwrap(), "content/x.md");
        assert_eq!(catch_panic(Path::new("x"), "reading", || 7).unwrap(), 7);
    }

    #[test]
    fn spans_inside_a_character_are_widened() {
        let src = Source::new("x.md", "a\u{FFFD}b");
        let d = Diagnostic::error("e").at(&src, 2..3, "here");
        assert_eq!(d.source.as_ref().unwrap().1, 1..4);
        let _ = d.render(false);
    }
}
