//! What the report's templates see: every number already written in the page's language, and
//! the figures (a chart, its data table, its CSV download) as data for the theme's partials.

use serde::Serialize;

/// One estimate (a difference in differences) as published.
#[derive(Serialize, Clone)]
pub struct EstimateView {
    /// The estimate, signed, in the outcome's unit (`+Rp 382.000`, `+12,3 poin persen`).
    pub value: String,
    /// Lower end of the 95% confidence interval, in the outcome's unit.
    pub lo: String,
    /// Upper end of the 95% confidence interval, in the outcome's unit.
    pub hi: String,
    /// Standard error, in the outcome's unit.
    pub se: String,
    /// Which standard error is shown (robust, or clustered by respondent or area).
    pub se_kind: String,
    /// Respondent-waves the estimate rests on.
    pub n: String,
    /// Relative standard error in percent, or `–` when the estimate is zero.
    pub rse: String,
    /// BPS's reading of the RSE in words.
    pub reliability: String,
    /// `reliable`, `caution` or `unreliable`, for styling.
    pub reliability_class: &'static str,
    /// True when the 95% interval excludes zero.
    pub significant: bool,
    /// Plain verdict, using whether higher is better for this outcome.
    pub verdict: String,
    /// What the estimate says, in one whole sentence of the theme's (`say_*` keys).
    pub sentence: String,
    /// The 95% interval as a sentence; empty when the data support no interval.
    pub interval: String,
    /// The headline set against participants' level before the programme, when clear.
    pub relative: Option<String>,
    /// Caveats shown next to the number they qualify: few clusters, an imprecise estimate,
    /// groups that differed before the programme.
    pub caveats: Vec<String>,
}

/// One wave of an outcome's trend: each group's mean or share and its n (`✱` when hidden).
#[derive(Serialize)]
pub struct TrendRow {
    /// The wave's label.
    pub wave: String,
    /// Participants' mean or share.
    pub treated: String,
    /// Participants' respondents.
    pub treated_n: String,
    /// The comparison group's mean or share.
    pub comparison: String,
    /// The comparison group's respondents.
    pub comparison_n: String,
}

/// One level of a breakdown (a kecamatan, a sector): its estimate, or why it is hidden.
#[derive(Serialize)]
pub struct LevelView {
    /// The level's name.
    pub level: String,
    /// The level's estimate, when published.
    pub estimate: Option<EstimateView>,
    /// Why it is hidden, when it is.
    pub suppressed: Option<String>,
}

/// An outcome's estimates for every level of one breakdown column.
#[derive(Serialize)]
pub struct BreakdownView {
    /// The breakdown's label in the page's language.
    pub label: String,
    /// Column name, part of the embed id `OUTCOME-COLUMN`.
    pub column: String,
    /// The forest plot (SVG), when any level is published.
    pub chart: Option<String>,
    /// Every level.
    pub levels: Vec<LevelView>,
    /// The figures placed on the outcome page: the forest plot (or the table alone) and the
    /// bars of participants' level after the programme.
    pub figures: Vec<FigureView>,
    /// The levels whose standard error is of another kind than the headline's, and which.
    pub se_note: Option<String>,
}

/// One outcome's page.
#[derive(Serialize)]
pub struct OutcomeView {
    /// The outcome's id (`pendapatan`): its page's folder and the start of its embed ids.
    pub id: String,
    /// The outcome's label in the page's language.
    pub label: String,
    /// The page's URL.
    pub url: String,
    /// The impact estimate, when published.
    pub did: Option<EstimateView>,
    /// The placebo estimate on the two last waves before the programme, when published.
    pub placebo: Option<EstimateView>,
    /// What the placebo test says, in words.
    pub placebo_verdict: Option<String>,
    /// The joint test before the programme's statistic (`F = 0.48, p = 0.699`), for the
    /// technical details.
    pub pretrend_statistic: Option<String>,
    /// True for a take-up measure (`role = "take-up"`): reach, no impact verdict.
    pub take_up: bool,
    /// A take-up measure's reach after the programme, in words, when its cells are published.
    pub reach: Option<String>,
    /// The difference between the groups after the programme, in words.
    pub post_difference: Option<String>,
    /// The trend chart (SVG).
    pub trend_chart: String,
    /// The trend's data, wave by wave.
    pub trend: Vec<TrendRow>,
    /// The trend chart with its data table and download.
    pub trend_figure: FigureView,
    /// Every breakdown.
    pub breakdowns: Vec<BreakdownView>,
    /// URL of the trend's CSV download.
    pub csv_trend: String,
    /// The event study (design `event-study`) or the staggered design's impact by time in the
    /// programme: chart, table and download.
    pub event_figure: Option<FigureView>,
    /// The heading of `event_figure`.
    pub event_heading: String,
    /// What the headline number is, for the design (a DiD, the event study's first wave
    /// after, the staggered design's average).
    pub impact_label: String,
    /// The joint test of the effects before the programme, in words.
    pub pretrend: Option<String>,
    /// URL of the CSV download of every estimate (DiD, placebo, difference after).
    pub csv_estimates: String,
    /// URL of every breakdown's CSV download.
    pub csv_breakdowns: String,
}

/// One count of the data-quality page.
#[derive(Serialize)]
pub struct ReasonRow {
    /// Why rows were rejected.
    pub reason: String,
    /// How many.
    pub count: String,
}

/// What became of one outcome's answers, on the data-quality page.
#[derive(Serialize)]
pub struct OutcomeCountRow {
    /// The outcome's label.
    pub label: String,
    /// Answers used.
    pub used: String,
    /// Answers missing (not answered, or a missing-value text).
    pub missing: String,
    /// Answers rejected for this outcome only.
    pub rejected: String,
}

/// The report in one language: what the overview, method and data-quality pages show.
#[derive(Serialize)]
pub struct ReportView {
    /// The report's title.
    pub title: String,
    /// True when the survey is synthetic sample data.
    pub synthetic: bool,
    /// Smallest number of respondents a published number rests on.
    pub threshold: u64,
    /// Every outcome.
    pub outcomes: Vec<OutcomeView>,
    /// The overview forest plot (SVG): each outcome's impact in percent of participants' level
    /// before the programme.
    pub overview_chart: String,
    /// The overview chart's title: its finding.
    pub overview_title: String,
    /// True when some measures are take-up (reach), listed apart on the home page.
    pub take_up: bool,
    /// The overview's data table.
    pub overview_table: TableView,
    /// The home page's story: the programme, who took part, when, and what was left out.
    pub story: StoryView,
    /// The date of the survey data, in the page's language.
    pub data_date: String,
    /// The version of the method: berdaya's version and the design.
    pub method_version: String,
    /// URL of the overview's CSV download.
    pub overview_csv: String,
    /// Rows read from the survey files.
    pub rows_read: String,
    /// Rows used.
    pub rows_used: String,
    /// Rows rejected.
    pub rows_rejected: String,
    /// Problems found, by reason (a row with two problems counts under both).
    pub reasons: Vec<ReasonRow>,
    /// Per outcome, answers used, missing and rejected.
    pub outcome_counts: Vec<OutcomeCountRow>,
    /// The rule for a respondent repeated within a wave, and why, in words.
    pub duplicates_rule: String,
    /// The texts read as "not answered", quoted and comma-separated.
    pub missing_tokens: String,
    /// Distinct respondents (people, not person-waves).
    pub respondents: String,
    /// How the survey follows people (panel, repeated cross-sections), in words.
    pub data_shape: String,
    /// Waves before the programme, comma-separated.
    pub waves_before: String,
    /// The first wave after the programme.
    pub wave_after: String,
    /// How the impact is estimated (the declared design), in words.
    pub design_text: String,
    /// True when the design is the regression written on the method page (2x2, pooled).
    pub show_equation: bool,
    /// The standard error of the headline estimates and why it was chosen, in words.
    pub se_used: String,
    /// Number of clusters, when standard errors are clustered by a column.
    pub clusters: Option<String>,
    /// True when there are few clusters and the headline intervals come from the wild cluster
    /// bootstrap.
    pub few_clusters: bool,
    /// URL of the overview page.
    pub url: String,
    /// URL of the method page.
    pub method_url: String,
    /// URL of the data-quality page.
    pub quality_url: String,
}

/// What the report's home says before any number, each a whole sentence.
#[derive(Serialize)]
pub struct StoryView {
    /// What the programme is (`about` in impact.toml), when given.
    pub about: Option<String>,
    /// Who took part: people (not person-waves), participants and the comparison group.
    pub who: String,
    /// When they were surveyed, before and after the programme.
    pub when: String,
    /// How the comparison group was chosen (`comparison_chosen`), when given.
    pub comparison_chosen: Option<String>,
    /// What was left out and why: rows rejected, outcomes hidden or with no conclusion.
    pub left_out: Vec<String>,
}

/// A chart with its data table and CSV download, as the theme's `impact_figure` partial draws
/// it; without a chart, the table and the download alone.
#[derive(Serialize, Clone)]
pub struct FigureView {
    /// The figure's title: its finding, in words, shown above it.
    pub title: String,
    /// The chart (SVG made by [`crate::impact::charts`]), when there is one.
    pub svg: Option<String>,
    /// The data table, folded away on screen and printed on paper.
    pub table: Option<TableView>,
    /// URL of the CSV download.
    pub csv: String,
}

/// A data table: caption, column heads, and rows headed by their first cell.
#[derive(Serialize, Clone)]
pub struct TableView {
    /// The table's caption.
    pub caption: String,
    /// Column heads.
    pub head: Vec<CellView>,
    /// Rows.
    pub rows: Vec<RowView>,
}

/// One row of a [`TableView`].
#[derive(Serialize, Clone)]
pub struct RowView {
    /// The row's head (first column).
    pub head: String,
    /// The other cells.
    pub cells: Vec<CellView>,
}

/// One cell of a [`TableView`].
#[derive(Serialize, Clone)]
pub struct CellView {
    /// The text.
    pub text: String,
    /// True for numbers, aligned right.
    pub num: bool,
    /// Columns the cell spans, when more than one.
    pub colspan: Option<u32>,
}

impl CellView {
    /// A cell of text.
    pub fn text(text: impl Into<String>) -> CellView {
        CellView {
            text: text.into(),
            num: false,
            colspan: None,
        }
    }

    /// A cell holding a number.
    pub fn num(text: impl Into<String>) -> CellView {
        CellView {
            num: true,
            ..CellView::text(text)
        }
    }
}

/// Files the report publishes besides its pages: CSV of aggregates.
pub struct Download {
    /// URL of the file.
    pub path: String,
    /// Its text.
    pub csv: String,
}

/// What a markdown page can place by id: figures, a table or a number.
#[derive(Serialize, Clone)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Embed {
    /// Charts with their tables and downloads.
    Figures {
        /// The figures, in order.
        figures: Vec<FigureView>,
    },
    /// A data table alone.
    Table {
        /// The table.
        table: TableView,
    },
    /// A number as text.
    Number {
        /// The number, written in the page's language.
        text: String,
    },
}
