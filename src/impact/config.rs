//! `data/impact.toml`: which columns of the survey play which role, so any programme survey can be
//! analysed without code changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::waves::toml_list;
pub use super::waves::wave_time;
use crate::common::diagnostics::{Diagnostic, Diagnostics, Source};
use crate::config::Labels;

/// The whole impact configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactConfig {
    /// The `[survey]` table: the files, the role of each column, the waves and disclosure settings.
    pub survey: SurveySpec,
    /// The `[[outcomes]]` tables: the outcomes to estimate, in report order.
    pub outcomes: Vec<Outcome>,
    /// The `[[breakdowns]]` tables: columns each outcome's DiD is broken down by; none by default.
    #[serde(default)]
    pub breakdowns: Vec<Breakdown>,
    /// Where the file was read from (set after parsing).
    #[serde(skip)]
    pub path: PathBuf,
    /// Its text, so later errors (a column missing from the data) can point into it.
    #[serde(skip)]
    pub source: Option<Source>,
    /// What the declaration allows but is probably a mistake (a low threshold, dated wave
    /// labels out of time order).
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// The `[survey]` table: where the survey data is and which column plays which role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveySpec {
    /// Survey files under `data/` (CSV, Parquet, or spreadsheets: `.xlsx`, `.xls`, `.xlsb`,
    /// `.ods`), long format: one row per respondent per wave.
    pub files: Vec<String>,
    /// The sheet of spreadsheet files holding the survey; the first visible sheet when not given.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Respondent id column.
    pub id: String,
    /// Wave column, its values in order, and which are before / after the programme started.
    pub wave: String,
    /// Every value of the wave column, in time order, earliest first.
    pub waves: Vec<String>,
    /// Waves before the programme started (at least one); the last is the DiD's baseline wave.
    pub pre: Vec<String>,
    /// Waves after the programme started (at least one); the first is the DiD's follow-up wave.
    pub post: Vec<String>,
    /// Group column and the value that marks participants.
    pub group: String,
    /// Value of the group column that marks participants.
    pub treated: String,
    /// Values of the comparison group; when empty, every other non-empty value is comparison.
    #[serde(default)]
    pub comparison: Vec<String>,
    /// Survey weight column (positive numbers); without one every respondent weighs 1.
    #[serde(default)]
    pub weight: Option<String>,
    /// Cluster column (e.g. kelurahan) for clustered standard errors.
    #[serde(default)]
    pub cluster: Option<String>,
    /// Which comparison estimates the impact (`design`): `2x2` (default), `pooled`,
    /// `event-study` or `staggered`.
    #[serde(default)]
    pub design: DesignKind,
    /// Start-wave column of the `staggered` design: for participants, the wave (one of `post`)
    /// in which their group started the programme; empty (or a missing-value text) for the
    /// comparison group.
    #[serde(default)]
    pub start: Option<String>,
    /// The standard error of the estimates (`se`): by default clustered by `cluster` when
    /// declared, else by respondent when the same people answered both waves, else HC1.
    #[serde(default)]
    pub se: Option<SeChoice>,
    /// Smallest number of respondents a published cell may rest on.
    #[serde(default = "default_threshold")]
    pub threshold: u64,
    /// Largest share (0–1) of rows that may be rejected before the build stops; the same limit
    /// applies to each outcome's share of rejected values.
    #[serde(default = "default_max_reject_share")]
    pub max_reject_share: f64,
    /// Texts that mean "not answered" in any column, compared case-insensitively after trimming
    /// spaces (default: empty, `NA`, `N/A`, `NaN`, `.`, `-`, `null`).
    #[serde(default = "default_missing")]
    pub missing: Vec<String>,
    /// What happens to rows that repeat a respondent in a wave (`keep-none` by default).
    #[serde(default)]
    pub duplicates: DuplicateRule,
    /// Label of the survey on the report page.
    #[serde(default)]
    pub title: Labels,
    /// Synthetic sample data is labelled as such on every page.
    #[serde(default)]
    pub synthetic: bool,
    /// What the programme is, in a sentence or two per language: the report's home opens with
    /// it (`about = { id = "...", en = "..." }`).
    #[serde(default)]
    pub about: Labels,
    /// How the comparison group was chosen, per language (`comparison_chosen`); shown on the
    /// report's home beside who took part.
    #[serde(default)]
    pub comparison_chosen: Labels,
    /// The date the survey data was exported (`data_date = 2026-02-15`, a TOML date or the
    /// text `"YYYY-MM-DD"`), shown on every report page and in print; without it the newest
    /// modification date of the survey files is shown.
    #[serde(default)]
    pub data_date: Option<DataDate>,
}

/// `data_date` in impact.toml: a calendar date, written as a TOML date or as `"YYYY-MM-DD"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataDate(pub jiff::civil::Date);

impl<'de> Deserialize<'de> for DataDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A TOML date arrives as a datetime value; its text form is `YYYY-MM-DD`.
        let text = match toml::Value::deserialize(d)? {
            toml::Value::String(s) => s,
            toml::Value::Datetime(dt) => dt.to_string(),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "expected a date such as 2026-02-15, found {}",
                    other.type_str()
                )));
            }
        };
        text.trim()
            .parse::<jiff::civil::Date>()
            .map(DataDate)
            .map_err(|_| {
                serde::de::Error::custom(format!(
                    "`{}` is not a date: write it as YYYY-MM-DD, e.g. 2026-02-15",
                    text.escape_debug()
                ))
            })
    }
}

fn default_threshold() -> u64 {
    11
}
fn default_max_reject_share() -> f64 {
    0.05
}
fn default_missing() -> Vec<String> {
    ["", "NA", "N/A", "NaN", ".", "-", "null"]
        .map(String::from)
        .to_vec()
}

/// The design of the impact estimate: `design` in impact.toml.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
pub enum DesignKind {
    /// The last wave before the programme against the first wave after it (the default).
    #[default]
    #[serde(rename = "2x2")]
    TwoByTwo,
    /// All waves before against all waves after, one estimate: OLS
    /// `y ~ treated + post + treated:post` with post = any `post` wave.
    #[serde(rename = "pooled")]
    Pooled,
    /// One effect per wave relative to the last wave before the programme (two-way fixed
    /// effects, respondent effects for panels), with a joint test of the effects before it;
    /// the headline is the first wave after.
    #[serde(rename = "event-study")]
    EventStudy,
    /// Groups that start the programme in different waves (the `start` column): Callaway and
    /// Sant'Anna's group-time effects against the groups not yet in the programme, aggregated
    /// to one overall effect and an effect per wave since the start (panels only).
    #[serde(rename = "staggered")]
    Staggered,
}

impl DesignKind {
    /// The name written in impact.toml, also the key of its description in the theme's i18n
    /// file (`method_estimate_2x2`, `method_estimate_pooled`).
    pub fn key(self) -> &'static str {
        match self {
            DesignKind::TwoByTwo => "2x2",
            DesignKind::Pooled => "pooled",
            DesignKind::EventStudy => "event-study",
            DesignKind::Staggered => "staggered",
        }
    }
}

/// A declared kind of standard error: `se` in impact.toml.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SeChoice {
    /// Heteroskedasticity-robust (HC1): independent answers.
    Hc1,
    /// Cluster-robust by respondent: a panel, where one person's answers are related.
    Respondent,
    /// Cluster-robust by the `cluster` column: people of one area are alike.
    Cluster,
}

impl SeChoice {
    /// The name written in impact.toml.
    pub fn key(self) -> &'static str {
        match self {
            SeChoice::Hc1 => "hc1",
            SeChoice::Respondent => "respondent",
            SeChoice::Cluster => "cluster",
        }
    }
}

/// What to do with two or more rows of one respondent in one wave: `duplicates` in impact.toml.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum DuplicateRule {
    /// Use none of the copies: nothing tells which one is right (the default).
    #[default]
    KeepNone,
    /// Use the first copy in file order and reject the later ones (when the data's owner knows
    /// the first is the right one, e.g. later rows are re-entries).
    KeepFirst,
}

impl DuplicateRule {
    /// Stable name (`keep-none`, `keep-first`), as written in impact.toml and used to look up
    /// the rule's explanation in the theme's i18n file.
    pub fn key(self) -> &'static str {
        match self {
            DuplicateRule::KeepNone => "keep-none",
            DuplicateRule::KeepFirst => "keep-first",
        }
    }
}

/// How an outcome is measured: `type` in impact.toml.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeKind {
    /// A number in the outcome's unit (rupiah, points, ...), compared by means and Welch's t-test.
    Continuous,
    /// Yes or no, coded 1/0, so means are shares 0–1 (shown as percent); groups are compared by a
    /// difference in proportions.
    Binary,
}

/// One `[[outcomes]]` table: an outcome to estimate and how to show it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Id used in URLs, chart ids and markdown (`pendapatan`).
    pub id: String,
    /// Column of the survey files holding the outcome.
    pub column: String,
    /// Whether the outcome is continuous or binary (`type` in impact.toml).
    #[serde(rename = "type")]
    pub kind: OutcomeKind,
    /// Name of the outcome on the report, by language code.
    pub label: Labels,
    /// The unit of a continuous outcome, one text (`"Rp"`, `"%"`) or one per language
    /// (`{ id = "poin", en = "points" }`); binary outcomes are shown as percentages.
    #[serde(default)]
    pub unit: Unit,
    /// Valid range; values outside are rejected.
    #[serde(default)]
    pub range: Option<[f64; 2]>,
    /// Whether an increase is an improvement, which decides how a significant DiD is read; `true`
    /// by default.
    #[serde(default = "yes")]
    pub higher_is_better: bool,
    /// What the measure is for the report (`role`): an `outcome` the programme hopes to change
    /// (the default), or `take-up` of the programme itself (workshops attended), reported as
    /// reach, never with an impact verdict, and left out of the overview chart.
    #[serde(default)]
    pub role: Role,
}

/// `role` of a measure in impact.toml.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
pub enum Role {
    /// A result the programme hopes to change: estimated and judged.
    #[default]
    #[serde(rename = "outcome")]
    Outcome,
    /// Use of the programme itself: shown as reach (participants' and the comparison group's
    /// level after the programme).
    #[serde(rename = "take-up")]
    TakeUp,
}

fn yes() -> bool {
    true
}

/// `unit` in impact.toml: one text for every language, or a text per language code.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Unit {
    /// The same in every language (symbols such as `Rp` and `%`).
    Same(String),
    /// One per language code; a language without one uses the default language's.
    ByLanguage(Labels),
}

impl Default for Unit {
    fn default() -> Self {
        Unit::Same(String::new())
    }
}

impl Outcome {
    /// The unit in language `lang`, else in the site's default language `default`, else empty.
    pub fn unit_in<'a>(&'a self, lang: &str, default: &str) -> &'a str {
        match &self.unit {
            Unit::Same(u) => u,
            Unit::ByLanguage(by) => by
                .get(lang)
                .or_else(|| by.get(default))
                .map_or("", String::as_str),
        }
    }
}

/// One `[[breakdowns]]` table: a column whose values (levels) each get their own DiD.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Breakdown {
    /// Column of the survey files whose values are the breakdown's levels.
    pub column: String,
    /// Name of the breakdown on the report, by language code.
    pub label: Labels,
    /// Names of the column's values (levels) per language, e.g.
    /// `levels = { L = { id = "Laki-laki", en = "Men" } }`; a level without one is shown as
    /// written in the data.
    #[serde(default)]
    pub levels: BTreeMap<String, Labels>,
}

impl Breakdown {
    /// The name of level `level` in language `lang`, else in the default language, else the
    /// value as written.
    pub fn level_label<'a>(&'a self, level: &'a str, lang: &str, default: &str) -> &'a str {
        self.levels
            .get(level)
            .and_then(|by| by.get(lang).or_else(|| by.get(default)))
            .map_or(level, String::as_str)
    }
}

impl ImpactConfig {
    /// Reads `data/impact.toml`; `Ok(None)` when the site has no impact report.
    pub fn load(root: &Path) -> Result<Option<ImpactConfig>, Diagnostics> {
        let path = root.join("data").join("impact.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(None);
        };
        let display = crate::common::text::relative(root, &path);
        let mut config = ImpactConfig::parse(&text, &display)?;
        config.source = Some(Source::new(&display, text.as_str()));
        config.path = display;
        Ok(Some(config))
    }

    /// Parses and checks the text of an impact configuration; `display` is the path shown in
    /// messages. Errors: invalid TOML or an unknown key, or a failed check (a bad file name, a
    /// wave not listed or out of order, no wave before or after, an empty, repeated or non-slug
    /// outcome id, an empty range, no outcomes, `max_reject_share` outside 0–1).
    pub fn parse(text: &str, display: &Path) -> Result<ImpactConfig, Diagnostics> {
        let source = Source::new(display, text);
        let config: ImpactConfig = toml::from_str(text).map_err(|e| {
            Diagnostic::error("invalid impact configuration")
                .at(
                    &source,
                    e.span().unwrap_or(0..0),
                    e.message().trim().to_string(),
                )
                .help(
                    "see the README's Impact report section for the keys data/impact.toml accepts",
                )
        })?;
        config.check(&source)?;
        let mut config = config;
        config.warnings = config.lint(&source);
        Ok(config)
    }

    /// Checks that cannot be expressed in types: waves, ids, ranges.
    /// Every problem of the declaration at once. Errors: files outside `data/`, waves of `pre` or
    /// `post` not in `waves` or out of order, bad outcome ids or ranges, no outcomes,
    /// `max_reject_share` outside 0–1.
    fn check(&self, source: &Source) -> Result<(), Diagnostics> {
        let s = &self.survey;
        let at = |key: &str| key_line(source, key);
        let mut problems = Diagnostics::default();
        let mut fail = |key: &str, message: String, help: String| {
            problems.push(
                Diagnostic::error(message)
                    .at(source, at(key), "here")
                    .help(help),
            );
        };
        for f in &s.files {
            if let Err(p) = crate::common::urlpath::check_output_path(f) {
                fail(
                    "files",
                    format!("survey file `{}` {}", f.escape_debug(), p.message()),
                    "name files inside data/, e.g. files = [\"survei.csv\"]".into(),
                );
            }
        }
        for w in s.pre.iter().chain(&s.post) {
            if !s.waves.contains(w) {
                let key = if s.pre.contains(w) { "pre" } else { "post" };
                fail(
                    key,
                    format!("wave `{w}` is not listed in `waves`"),
                    format!("use one of: {}", s.waves.join(", ")),
                );
            }
        }
        if s.pre.is_empty() || s.post.is_empty() {
            fail(
                "pre",
                "the survey needs at least one wave before and one after the programme".into(),
                "list them in `pre` and `post`".into(),
            );
        }
        for (key, list) in [("pre", &s.pre), ("post", &s.post)] {
            let positions: Vec<usize> = list
                .iter()
                .filter_map(|w| s.waves.iter().position(|x| x == w))
                .collect();
            if positions.windows(2).any(|p| p[0] >= p[1]) {
                let mut ordered: Vec<&String> = list.iter().collect();
                ordered.sort_by_key(|w| s.waves.iter().position(|x| x == *w));
                ordered.dedup();
                fail(
                    key,
                    format!(
                        "`{key}` lists waves in a different order than `waves`, or one twice: `waves` is the time order"
                    ),
                    format!("write {key} = {}", toml_list(&ordered)),
                );
            }
        }
        let last_pre = s
            .pre
            .iter()
            .filter_map(|p| s.waves.iter().position(|w| w == p))
            .max();
        let first_post = s
            .post
            .iter()
            .filter_map(|p| s.waves.iter().position(|w| w == p))
            .min();
        if let (Some(last_pre), Some(first_post)) = (last_pre, first_post)
            && last_pre >= first_post
        {
            fail(
                "post",
                format!(
                    "wave `{}` (before the programme) does not come before wave `{}` (after it) in `waves`",
                    s.waves[last_pre], s.waves[first_post]
                ),
                "order `waves` in time, earliest first, with every `pre` wave before every `post` wave"
                    .into(),
            );
        }
        if s.design == DesignKind::EventStudy && s.se == Some(SeChoice::Hc1) {
            fail(
                "se",
                "the event-study design needs clustered standard errors, not se = \"hc1\"".into(),
                "remove `se` (clustered by respondent, or by `cluster` when declared)".into(),
            );
        }
        if s.design == DesignKind::Staggered {
            if s.start.is_none() {
                fail(
                    "design",
                    "the staggered design needs the column that says when each participant started"
                        .into(),
                    "name it with start = \"mulai\" (the column; its values are waves listed in `post`)"
                        .into(),
                );
            }
            if s.se == Some(SeChoice::Hc1) {
                fail(
                    "se",
                    "the staggered design needs clustered standard errors, not se = \"hc1\"".into(),
                    "remove `se` (clustered by respondent, or by `cluster` when declared)".into(),
                );
            }
            if s.weight.is_some() {
                fail(
                    "weight",
                    "the staggered design does not use survey weights".into(),
                    "remove `weight`, or choose design = \"event-study\" or \"2x2\", which do"
                        .into(),
                );
            }
        } else if s.start.is_some() {
            fail(
                "start",
                "`start` is read only by the staggered design".into(),
                "add design = \"staggered\", or remove `start`".into(),
            );
        }
        if s.se == Some(SeChoice::Cluster) && s.cluster.is_none() {
            fail(
                "se",
                "se = \"cluster\" needs a cluster column".into(),
                "name it with cluster = \"kelurahan\" (the column), or choose se = \"respondent\" or \"hc1\""
                    .into(),
            );
        }
        if s.threshold < 3 {
            fail(
                "threshold",
                format!(
                    "threshold = {} would publish numbers about one or two people",
                    s.threshold
                ),
                "use at least 3; 11 (the default) is the usual rule for survey tables".into(),
            );
        }
        let mut ids = BTreeMap::new();
        for o in &self.outcomes {
            if ids.insert(o.id.clone(), ()).is_some()
                || o.id.is_empty()
                || o.id != slug::slugify(&o.id)
            {
                fail(
                    "id",
                    format!(
                        "outcome id `{}` is empty, repeated or not in lowercase-with-hyphens form",
                        o.id
                    ),
                    "give every outcome a unique id such as `pendapatan`".into(),
                );
            }
            if let Some([lo, hi]) = o.range
                && lo >= hi
            {
                fail(
                    "range",
                    format!("the range of `{}` is empty", o.id),
                    "write range = [lowest, highest]".into(),
                );
            }
        }
        if self.outcomes.is_empty() {
            fail(
                "[[outcomes]]",
                "no outcomes declared".into(),
                "add at least one [[outcomes]] table".into(),
            );
        }
        if !(0.0..=1.0).contains(&s.max_reject_share) {
            fail(
                "max_reject_share",
                "`max_reject_share` must be between 0 and 1".into(),
                "e.g. max_reject_share = 0.05 stops the build when over 5% of rows are rejected"
                    .into(),
            );
        }
        if problems.0.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// What is allowed but probably a mistake: a threshold under 11, wave labels that read as
    /// dates or quarters but are not listed in time order in `waves`.
    fn lint(&self, source: &Source) -> Vec<Diagnostic> {
        let s = &self.survey;
        let at = |key: &str| key_line(source, key);
        let mut out = Vec::new();
        // The report's home opens with these; without them it starts with numbers.
        for (key, what, example) in [
            (
                "about",
                "what the programme is",
                "about = { id = \"Program ini melatih ...\", en = \"The programme trains ...\" }",
            ),
            (
                "comparison_chosen",
                "how the comparison group was chosen",
                "comparison_chosen = { id = \"Kelompok pembanding adalah ...\", en = \"The comparison group are ...\" }",
            ),
        ] {
            let given = if key == "about" {
                &s.about
            } else {
                &s.comparison_chosen
            };
            if given.values().all(|t| t.trim().is_empty()) {
                out.push(
                    Diagnostic::warning(format!(
                        "the impact report does not say {what} (`{key}` in [survey])"
                    ))
                    .at(source, at("[survey]"), "add it to this table")
                    .help(format!(
                        "readers of the report's home need it before the numbers, e.g. {example}"
                    )),
                );
            }
        }
        if (3..11).contains(&s.threshold) {
            out.push(
                Diagnostic::warning(format!(
                    "threshold = {} publishes numbers about fewer than 11 people",
                    s.threshold
                ))
                .at(source, at("threshold"), "here")
                .help("small cells can identify people in a kelurahan; 11 is the usual rule"),
            );
        }
        let times: Option<Vec<(i32, u32)>> =
            s.waves.iter().map(String::as_str).map(wave_time).collect();
        if let Some(times) = times
            && times.windows(2).any(|t| t[0] >= t[1])
        {
            let mut ordered: Vec<(&(i32, u32), &String)> = times.iter().zip(&s.waves).collect();
            ordered.sort();
            let ordered: Vec<&String> = ordered.into_iter().map(|(_, w)| w).collect();
            out.push(
                Diagnostic::warning(
                    "the wave labels read as dates or quarters, but `waves` does not list them in time order",
                )
                .at(source, at("waves"), "`waves` is the time order")
                .help(format!(
                    "if these are dates, write waves = {} (and `pre`/`post` in the same order)",
                    toml_list(&ordered)
                )),
            );
        }
        out
    }

    /// Every column the survey files must have.
    pub fn required_columns(&self) -> Vec<(&str, &str)> {
        let s = &self.survey;
        let mut cols = vec![
            ("id", s.id.as_str()),
            ("wave", s.wave.as_str()),
            ("group", s.group.as_str()),
        ];
        if let Some(w) = &s.weight {
            cols.push(("weight", w));
        }
        if let Some(c) = &s.cluster {
            cols.push(("cluster", c));
        }
        if let Some(c) = &s.start {
            cols.push(("start", c));
        }
        cols.extend(self.outcomes.iter().map(|o| ("outcome", o.column.as_str())));
        cols.extend(
            self.breakdowns
                .iter()
                .map(|b| ("breakdown", b.column.as_str())),
        );
        cols
    }

    /// Warnings for what the site's `languages` (its codes, default first) leave without words:
    /// an outcome whose `unit` is given per language but not in one of them (its pages in that
    /// language would show numbers without a unit), located at the `unit` line.
    pub fn language_warnings(&self, languages: &[String]) -> Vec<Diagnostic> {
        let Some(source) = &self.source else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for o in &self.outcomes {
            let Unit::ByLanguage(by) = &o.unit else {
                continue;
            };
            let missing: Vec<&str> = languages
                .iter()
                .filter(|l| !by.contains_key(*l))
                .map(String::as_str)
                .collect();
            if missing.is_empty() {
                continue;
            }
            // The outcome's `unit` line: the first after its id.
            let after = source.text.find(&format!("\"{}\"", o.id)).unwrap_or(0);
            let at = source.text[after..].find("\nunit").map_or(0..0, |i| {
                let start = after + i + 1;
                let end = source.text[start..]
                    .find('\n')
                    .map_or(source.text.len(), |e| start + e);
                start..end
            });
            out.push(
                Diagnostic::warning(format!(
                    "the unit of `{}` has no text for {}: its pages in that language show numbers without a unit",
                    o.id,
                    missing
                        .iter()
                        .map(|l| format!("`{l}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .at(source, at, "here")
                .help(format!(
                    "give one text per language, e.g. unit = {{ {} }}",
                    languages
                        .iter()
                        .map(|l| format!("{l} = \"...\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
        out
    }

    /// A label in `lang`, else in the site's default language `default`, else `fallback`.
    pub fn label<'a>(labels: &'a Labels, lang: &str, default: &str, fallback: &'a str) -> &'a str {
        labels
            .get(lang)
            .or_else(|| labels.get(default))
            .map_or(fallback, String::as_str)
    }
}

/// The byte range of the line of impact.toml that starts with `key` (the start of the file when
/// there is none), for pointing at a setting.
fn key_line(source: &Source, key: &str) -> std::ops::Range<usize> {
    let start = source.text.find(&format!("\n{key}")).map_or(0, |i| i + 1);
    let end = source.text[start..]
        .find('\n')
        .map_or(source.text.len(), |i| start + i);
    start..end
}
