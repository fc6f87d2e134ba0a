//! Disclosure control: no published number rests on fewer respondents than the threshold, and a
//! hidden cell cannot be recovered by subtracting the shown ones from a total (complementary
//! suppression).

use std::collections::BTreeMap;

use super::Did;
use super::stats::Cell;

/// Why a number is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suppressed {
    /// Rests on fewer respondents than the threshold.
    SmallCell,
    /// Hidden as well, so that a small cell cannot be computed from the total.
    Complementary,
}

/// A number as published: shown, or suppressed with the reason.
#[derive(Debug, Clone, PartialEq)]
pub enum Published<T> {
    /// The number may be published.
    Shown(T),
    /// The number is suppressed, for the reason given.
    Hidden(Suppressed),
}

impl<T> Published<T> {
    /// The value when it may be published; `None` when suppressed.
    pub fn shown(&self) -> Option<&T> {
        match self {
            Published::Shown(t) => Some(t),
            Published::Hidden(_) => None,
        }
    }
}

/// A group-wave cell: its mean is published only when enough respondents answered.
pub fn cell(c: &Cell, threshold: u64) -> Published<Cell> {
    if c.n >= threshold {
        Published::Shown(*c)
    } else {
        Published::Hidden(Suppressed::SmallCell)
    }
}

/// A DiD is published only when each of its four cells is large enough (for the staggered
/// design: each cohort and the never-treated respondents of its balanced panel).
pub fn did(d: &Did, threshold: u64) -> Published<Did> {
    if d.rests_on.unwrap_or_else(|| d.cells.smallest()) >= threshold {
        Published::Shown(d.clone())
    } else {
        Published::Hidden(Suppressed::SmallCell)
    }
}

/// The headline DiD of an outcome, published only when every group-wave cell it rests on is
/// large enough: the four cells of the 2x2, and for the pooled and event-study designs every
/// wave's cell of both groups (a pooled cell hides its waves' small cells only in appearance:
/// the published trend, n and estimate would give them back).
pub fn headline(
    a: &crate::impact::Analysis,
    oa: &crate::impact::OutcomeAnalysis,
) -> Published<Did> {
    use crate::impact::config::DesignKind;
    let s = &a.config.survey;
    let index = |w: &String| s.waves.iter().position(|x| x == w).map(|i| i as u32);
    let waves: Vec<u32> = match s.design {
        DesignKind::TwoByTwo => Vec::new(),
        DesignKind::Pooled => s.pre.iter().chain(&s.post).filter_map(index).collect(),
        DesignKind::EventStudy => (0..s.waves.len() as u32).collect(),
        // Its own groups decide (every cohort and the never-treated, in the balanced panel).
        DesignKind::Staggered => return did(&oa.design_estimate(), s.threshold),
    };
    let small = waves.iter().any(|w| {
        [true, false]
            .iter()
            .any(|t| oa.trend.get(&(*w, *t)).is_some_and(|c| c.n < s.threshold))
    });
    if small {
        Published::Hidden(Suppressed::SmallCell)
    } else {
        // The design's own estimate and counts (the event study's effect, not the 2x2's).
        did(&oa.design_estimate(), s.threshold)
    }
}

/// The levels of one breakdown. Levels with a small cell are hidden; when that leaves exactly one
/// level hidden, the next smallest level is hidden too, because the overall counts are published
/// and the hidden level would otherwise be their difference.
pub fn levels(levels: &BTreeMap<String, Did>, threshold: u64) -> BTreeMap<String, Published<Did>> {
    let mut out: BTreeMap<String, Published<Did>> = levels
        .iter()
        .map(|(k, d)| (k.clone(), did(d, threshold)))
        .collect();
    let hidden = out.values().filter(|p| p.shown().is_none()).count();
    if hidden == 1 {
        let next = levels
            .iter()
            .filter(|(k, _)| out[*k].shown().is_some())
            .min_by_key(|(k, d)| (d.cells.smallest(), (*k).clone()))
            .map(|(k, _)| k.clone());
        if let Some(k) = next {
            out.insert(k, Published::Hidden(Suppressed::Complementary));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impact::stats::{Estimate, SeKind, TwoByTwo};

    fn level(n: u64) -> Did {
        let c = Cell {
            n,
            sum_w: n as f64,
            mean: 1.0,
            sd: 1.0,
            sum_we2: n as f64,
        };
        let cells = TwoByTwo {
            c0: c,
            c1: c,
            t0: c,
            t1: c,
        };
        Did {
            cells,
            estimate: Estimate::normal(0.0, 1.0, SeKind::Hc1),
            se_hc1: 1.0,
            se_respondent: None,
            se_cluster: None,
            panel_respondents: 0,
            people: 0,
            counts: None,
            rests_on: None,
        }
    }

    #[test]
    fn one_small_level_hides_the_next_smallest_too() {
        let levels_in: BTreeMap<String, Did> = [("A", 50), ("B", 4), ("C", 20), ("D", 30)]
            .into_iter()
            .map(|(k, n)| (k.to_string(), level(n)))
            .collect();
        let out = levels(&levels_in, 11);
        assert_eq!(out["B"], Published::Hidden(Suppressed::SmallCell));
        assert_eq!(out["C"], Published::Hidden(Suppressed::Complementary));
        assert!(out["A"].shown().is_some() && out["D"].shown().is_some());
    }

    #[test]
    fn two_small_levels_protect_each_other_and_large_levels_show() {
        let levels_in: BTreeMap<String, Did> = [("A", 50), ("B", 4), ("C", 3)]
            .into_iter()
            .map(|(k, n)| (k.to_string(), level(n)))
            .collect();
        let out = levels(&levels_in, 11);
        assert!(out["A"].shown().is_some());
        assert_eq!(out["B"], Published::Hidden(Suppressed::SmallCell));
        assert_eq!(out["C"], Published::Hidden(Suppressed::SmallCell));
        assert_eq!(
            cell(&level(10).cells.c0, 11),
            Published::Hidden(Suppressed::SmallCell)
        );
        assert!(cell(&level(11).cells.c0, 11).shown().is_some());
    }
}
