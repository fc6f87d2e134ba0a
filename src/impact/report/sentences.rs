//! The report's generated sentences. Each is one whole-sentence template of the theme's
//! `i18n.toml` (keys `say_*`) with named placeholders, chosen by the sign and clarity of the
//! estimate and by the kind of outcome (a mean, or a share of "yes" answers), so that the theme's
//! translators write grammatical sentences in their language instead of glued fragments.
//!
//! Placeholders: `{measure}` (the outcome's label with a lower-case first letter, unless it starts
//! with an acronym), `{Measure}` (as written), `{amount}` (the size of the estimate, no sign),
//! `{value}` (signed), `{lo}` and `{hi}` (the 95% interval), `{percent}`, `{baseline}`,
//! `{treated}` and `{comparison}` (levels of the two groups), `{list}`, `{count}`, `{total}`.

use super::Language;
use super::format::{level, value};
use crate::common::locale;
use crate::impact::config::{Outcome, OutcomeKind};
use crate::impact::stats::Estimate;

/// The theme's sentence `key` with every `{name}` of `args` filled in.
pub fn say(l: &Language, key: &str, args: &[(&str, &str)]) -> String {
    let mut text = l.w(key);
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// A label inside a sentence: the first letter in lower case, unless the first word has another
/// capital (an acronym such as `KUB`, or a name such as `WhatsApp`) or starts with a digit.
pub fn in_sentence(label: &str) -> String {
    let first_word = label.split_whitespace().next().unwrap_or("");
    let mut chars = label.chars();
    match chars.next() {
        Some(first)
            if first.is_uppercase() && !first_word.chars().skip(1).any(char::is_uppercase) =>
        {
            first.to_lowercase().chain(chars).collect()
        }
        _ => label.to_string(),
    }
}

/// `means` for continuous outcomes, `shares` for yes/no outcomes: the suffix of the sentence
/// keys.
pub fn kind(o: &Outcome) -> &'static str {
    match o.kind {
        OutcomeKind::Binary => "shares",
        OutcomeKind::Continuous => "means",
    }
}

/// What an impact estimate says in plain words: a clear rise, a clear fall (relative to the
/// comparison group), or no clear difference with the range it could lie in.
/// Keys: `say_rise_means`, `say_fall_means`, `say_unclear_means` and their `_shares` forms.
pub fn impact(o: &Outcome, label: &str, e: &Estimate, l: &Language) -> String {
    let direction = match (e.significant(), e.value >= 0.0) {
        (false, _) => "unclear",
        (true, true) => "rise",
        (true, false) => "fall",
    };
    say(
        l,
        &format!("say_{direction}_{}", kind(o)),
        &[
            ("measure", &in_sentence(label)),
            ("Measure", label),
            ("amount", &value(o, e.value.abs(), l, false)),
            ("value", &value(o, e.value, l, true)),
            ("lo", &value(o, e.lo, l, false)),
            ("hi", &value(o, e.hi, l, false)),
        ],
    )
}

/// The impact set against participants' level before the programme (`baseline`, a mean or a
/// share 0–1): "about 12% of participants' average before the programme (Rp 3.200.000)" for
/// means above zero, the share before for yes/no outcomes. `None` for an unclear estimate or a
/// baseline that is not above zero (a ratio would mislead).
/// Keys: `say_relative_means`, `say_relative_shares`.
pub fn relative(o: &Outcome, e: &Estimate, baseline: f64, l: &Language) -> Option<String> {
    // NaN is not above zero either.
    let above_zero = baseline > 0.0;
    if !e.significant() || !above_zero || !e.value.is_finite() {
        return None;
    }
    // The direction is in the sentence before: the size, unsigned.
    let percent = percent((e.value / baseline * 100.0).abs(), l);
    Some(say(
        l,
        &format!("say_relative_{}", kind(o)),
        &[("percent", &percent), ("baseline", &level(o, baseline, l))],
    ))
}

/// A percentage for a reader: whole percent from 10%, else two significant digits.
pub fn percent(p: f64, l: &Language) -> String {
    let a = p.abs();
    let decimals = if a >= 10.0 || a == 0.0 {
        0
    } else {
        (1 - a.log10().floor() as i32).clamp(0, 3) as usize
    };
    format!("{}%", locale::number(p, decimals, l.code))
}

/// The 95% interval as a sentence. Key: `say_interval`.
pub fn interval(lo: &str, hi: &str, l: &Language) -> String {
    say(l, "say_interval", &[("lo", lo), ("hi", hi)])
}

/// A take-up measure's reach after the programme: participants' level against the comparison
/// group's. Keys: `say_reach_means`, `say_reach_shares`.
pub fn reach(o: &Outcome, label: &str, treated: f64, comparison: f64, l: &Language) -> String {
    say(
        l,
        &format!("say_reach_{}", kind(o)),
        &[
            ("measure", &in_sentence(label)),
            ("Measure", label),
            ("treated", &level(o, treated, l)),
            ("comparison", &level(o, comparison, l)),
        ],
    )
}

/// The difference between the groups after the programme, with its interval (participants'
/// and the comparison group's shares for yes/no outcomes).
/// Keys: `say_after_means`, `say_after_shares`.
pub fn after(
    o: &Outcome,
    [diff, lo, hi]: [f64; 3],
    shares: Option<(f64, f64)>,
    l: &Language,
) -> String {
    let (treated, comparison) = shares.map_or((String::new(), String::new()), |(a, b)| {
        (level(o, a, l), level(o, b, l))
    });
    say(
        l,
        &format!("say_after_{}", kind(o)),
        &[
            ("value", &value(o, diff, l, true)),
            ("lo", &value(o, lo, l, false)),
            ("hi", &value(o, hi, l, false)),
            ("treated", &treated),
            ("comparison", &comparison),
        ],
    )
}

/// Items joined as a list in the page's language: "A", "A and B", "A, B and C" (the word from
/// key `list_and`).
pub fn list(items: &[String], l: &Language) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), l.w("list_and")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_inside_a_sentence_keep_their_acronyms() {
        assert_eq!(in_sentence("Monthly income"), "monthly income");
        assert_eq!(in_sentence("KUB members"), "KUB members");
        assert_eq!(
            in_sentence("WhatsApp for business"),
            "WhatsApp for business"
        );
        assert_eq!(in_sentence("Uses WhatsApp"), "uses WhatsApp");
        assert_eq!(in_sentence("Éclair sales"), "éclair sales");
        assert_eq!(in_sentence("2 jobs"), "2 jobs");
        assert_eq!(in_sentence(""), "");
        assert_eq!(in_sentence("A"), "a");
    }

    #[test]
    fn lists_and_percentages_read_naturally() {
        let words = |k: &str| {
            if k == "list_and" {
                "dan".into()
            } else {
                k.into()
            }
        };
        let l = Language {
            code: "id",
            default: "id",
            prefix: "",
            words: &words,
        };
        let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(list(&items(&["A"]), &l), "A");
        assert_eq!(list(&items(&["A", "B"]), &l), "A dan B");
        assert_eq!(list(&items(&["A", "B", "C"]), &l), "A, B dan C");
        assert_eq!(percent(12.04, &l), "12%");
        assert_eq!(percent(4.26, &l), "4,3%");
        assert_eq!(percent(0.0123, &l), "0,012%");
    }
}
