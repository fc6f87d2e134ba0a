//! The checks every survey row goes through, as polars expressions: missing-value texts,
//! numbers and yes/no answers, ids, waves, groups, weights and repeated respondents; and the
//! typed columns the estimates read.

use polars::prelude::*;

use super::config::{ImpactConfig, OutcomeKind};
use super::rejects::Reason;

/// True where the text of `e` is one of `texts`, null where it is null: a hash lookup per
/// value inside the select that evaluates it. (`is_in` on a literal list would make polars'
/// streaming engine split the read into a join-like node per use, and buffer the batches waiting
/// between the branches: about 60 MB more at the peak of a million rows.)
fn one_of<T: Into<String>>(e: Expr, texts: impl IntoIterator<Item = T>) -> Expr {
    let set: PlHashSet<String> = texts.into_iter().map(Into::into).collect();
    e.map(
        move |c: Column| {
            let texts = c.str()?;
            let found: BooleanChunked = texts.iter().map(|t| t.map(|t| set.contains(t))).collect();
            Ok(found.with_name(texts.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::Boolean)),
    )
}

/// True where the text means "not answered": null, or one of `tokens` in any letter case.
/// Short tokens are matched by listing their case variants (cheaper than lower-casing every
/// value); long ones by lower-casing.
fn missing(e: Expr, tokens: &[String]) -> Expr {
    let mut exact: Vec<String> = Vec::new();
    let mut folded: Vec<String> = Vec::new();
    for t in tokens {
        let t = t.trim();
        let letters = t.chars().filter(|c| c.is_alphabetic()).count();
        if t.is_ascii() && letters <= 6 {
            exact.extend(case_variants(t));
        } else {
            folded.push(t.to_lowercase());
        }
    }
    let mut m = e.clone().is_null();
    if !exact.is_empty() {
        m = m.or(one_of(e.clone(), exact).fill_null(lit(false)));
    }
    if !folded.is_empty() {
        m = m.or(one_of(e.str().to_lowercase(), folded).fill_null(lit(false)));
    }
    m
}

/// The name of the column that flags column `c`'s missing answers.
pub(super) fn missing_name(c: &str) -> String {
    format!("__missing__{c}")
}

/// The name of the column holding outcome column `c` parsed: as a number (continuous) or as
/// 1/0 (binary).
fn value_name(c: &str, kind: OutcomeKind) -> String {
    match kind {
        OutcomeKind::Continuous => format!("__value__{c}"),
        OutcomeKind::Binary => format!("__yesno__{c}"),
    }
}

/// For every column the checks read, the flag of a missing answer (null, or a missing-value
/// text), and every outcome column parsed (a number, or 1/0 for yes/no): computed once per
/// column and read by every check that needs it.
pub(super) fn shared_columns(config: &ImpactConfig) -> Vec<Expr> {
    let mut seen = std::collections::HashSet::new();
    config
        .required_columns()
        .into_iter()
        .filter(|(_, c)| seen.insert(*c))
        .map(|(_, c)| missing(col(c), &config.survey.missing).alias(missing_name(c)))
        // Outcomes parsed once: several checks and the typed column read them.
        .chain(
            config
                .outcomes
                .iter()
                .map(|o| (o.column.as_str(), o.kind))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .map(|(c, kind)| {
                    let parsed = match kind {
                        OutcomeKind::Continuous => col(c).cast(DataType::Float64),
                        OutcomeKind::Binary => binary_value(col(c)),
                    };
                    parsed.alias(value_name(c, kind))
                }),
        )
        .collect()
}

/// Every spelling of an ASCII text in upper and lower case (`na`: na, nA, Na, NA).
fn case_variants(t: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for c in t.chars() {
        let (lo, up) = (c.to_ascii_lowercase(), c.to_ascii_uppercase());
        let mut next = Vec::with_capacity(out.len() * 2);
        for prefix in &out {
            next.push(format!("{prefix}{lo}"));
            if up != lo {
                next.push(format!("{prefix}{up}"));
            }
        }
        out = next;
    }
    out
}

/// One check of a row.
pub struct Check {
    /// True where the row fails the check (never null).
    pub flag: Expr,
    /// Why a row that fails is not used.
    pub reason: Reason,
    /// The column checked (`<id>+<wave>` for duplicates).
    pub column: String,
    /// The outcome (index into `config.outcomes`) whose value is checked: a failure leaves the
    /// value out of that outcome only. `None`: a failure rejects the whole row.
    pub outcome: Option<usize>,
}

/// The typed columns the estimates read besides the keys: `w` (the weight as a number, when
/// declared), `b0..` (breakdowns: the text, empty when missing) and `o0..` (outcomes: the usable
/// value, else null); and every check a row must pass. Both read the columns of
/// [`shared_columns`].
pub(super) fn typed_and_checks(config: &ImpactConfig) -> (Vec<Expr>, Vec<Check>) {
    let s = &config.survey;
    let missing = |c: &str| col(missing_name(c));
    // The keys (id, wave, group, cluster, start) are read as text and coded by the collector.
    let mut typed: Vec<Expr> = Vec::new();
    let mut checks = row_checks(config);
    if let Some(w) = &s.weight {
        typed.push(col(w).cast(DataType::Float64).alias("w"));
    }
    for (i, b) in config.breakdowns.iter().enumerate() {
        // A missing-value text is a blank level, not a level of its own.
        typed.push(
            when(missing(&b.column))
                .then(lit(""))
                .otherwise(col(&b.column))
                .alias(format!("b{i}")),
        );
    }
    for (i, o) in config.outcomes.iter().enumerate() {
        let value = col(value_name(&o.column, o.kind));
        let answered = missing(&o.column).not();
        let mut check = |flag: Expr, reason| {
            checks.push(Check {
                flag,
                reason,
                column: o.column.clone(),
                outcome: Some(i),
            })
        };
        let reason = match o.kind {
            OutcomeKind::Continuous => Reason::Unparseable,
            OutcomeKind::Binary => Reason::NotBinary,
        };
        check(answered.clone().and(value.clone().is_null()), reason);
        let finite = value.clone().is_finite().fill_null(lit(false));
        let mut usable = answered.clone().and(finite.clone());
        if o.kind == OutcomeKind::Continuous {
            check(
                answered
                    .clone()
                    .and(value.clone().is_not_null())
                    .and(finite.clone().not()),
                Reason::NotFinite,
            );
            if let Some([lo, hi]) = o.range {
                // A declared missing-value text that reads as a number (`-99`) is not
                // answered: it is missing, never out of range.
                let out = answered
                    .clone()
                    .and(finite)
                    .and(value.clone().lt(lit(lo)).or(value.clone().gt(lit(hi))));
                check(out.clone(), Reason::OutOfRange);
                usable = usable.and(out.not());
            }
        }
        typed.push(
            when(usable)
                .then(value)
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(format!("o{i}")),
        );
    }
    (typed, checks)
}

/// The checks that reject a whole row: id, wave, group, weight, and repeated respondents.
fn row_checks(config: &ImpactConfig) -> Vec<Check> {
    let s = &config.survey;
    let missing = |c: &str| col(missing_name(c));
    let check = |flag: Expr, reason, column: &str| Check {
        flag,
        reason,
        column: column.to_string(),
        outcome: None,
    };
    let mut checks = vec![
        check(missing(&s.id), Reason::MissingId, &s.id),
        check(
            missing(&s.wave).or(one_of(col(&s.wave), s.waves.iter().cloned())
                .not()
                .fill_null(lit(true))),
            Reason::UnknownWave,
            &s.wave,
        ),
    ];
    let group_ok = if s.comparison.is_empty() {
        // Every other value is comparison, except a different spelling of the participants'
        // value (`Peserta`, ` peserta`), which would silently land in the wrong group.
        let spelled = col(&s.group)
            .str()
            .to_lowercase()
            .eq(lit(s.treated.trim().to_lowercase()))
            .and(col(&s.group).neq(lit(s.treated.as_str())))
            .fill_null(lit(false));
        missing(&s.group).not().and(spelled.not())
    } else {
        let mut known = s.comparison.clone();
        known.push(s.treated.clone());
        one_of(col(&s.group), known).fill_null(lit(false))
    };
    checks.push(check(group_ok.not(), Reason::UnknownGroup, &s.group));
    if let Some(w) = &s.weight {
        let parsed = col(w).cast(DataType::Float64);
        let good = parsed.clone().is_finite().and(parsed.gt(lit(0.0)));
        checks.push(check(
            good.fill_null(lit(false)).not(),
            Reason::BadWeight,
            w,
        ));
    }
    if let Some(c) = &s.cluster {
        checks.push(check(missing(c), Reason::MissingCluster, c));
    }
    if let Some(c) = &s.start {
        // Participants start in a wave after the programme began; comparison rows have none.
        let in_post = one_of(col(c), s.post.iter().cloned()).fill_null(lit(false));
        let participant = col(&s.group)
            .eq(lit(s.treated.as_str()))
            .fill_null(lit(false));
        let bad = when(participant)
            .then(in_post.not())
            .otherwise(missing(c).not());
        checks.push(check(bad, Reason::BadStart, c));
    }
    // Rows of one respondent in one wave (all of them, or the second and later): a check
    // across rows, run by `collect::Collector` on the coded ids and waves once every row is in
    // (its `flag` here is never evaluated).
    checks.push(check(
        lit(false),
        Reason::Duplicate,
        &format!("{}+{}", s.id, s.wave),
    ));
    checks
}

/// A yes/no answer as 1/0; null for any other text (`t` and `f` are not read: `t` means
/// "tidak" to some and "true" to others). Listing the spellings is cheaper than
/// lower-casing a million values.
fn binary_value(t: Expr) -> Expr {
    let yes = [
        "1", "1.0", "ya", "Ya", "YA", "yes", "Yes", "YES", "true", "True", "TRUE", "y", "Y",
    ];
    let no = [
        "0", "0.0", "tidak", "Tidak", "TIDAK", "no", "No", "NO", "false", "False", "FALSE", "n",
        "N",
    ];
    when(one_of(t.clone(), yes))
        .then(lit(1.0f64))
        .when(one_of(t, no))
        .then(lit(0.0f64))
        .otherwise(lit(NULL).cast(DataType::Float64))
}
