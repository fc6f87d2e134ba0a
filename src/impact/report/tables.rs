//! The data tables behind the charts, as [`TableView`]s the theme draws.

use super::Language;
use super::views::{CellView, LevelView, RowView, TableView, TrendRow};

/// An outcome's mean or share by group and wave.
/// `kind` is `means` or `shares` (the caption says which).
pub fn trend_table(label: &str, kind: &str, rows: &[TrendRow], l: &Language) -> TableView {
    TableView {
        caption: format!("{label}: {}", l.w(&format!("trend_caption_{kind}"))),
        head: vec![
            CellView::text(l.w("wave")),
            CellView::num(l.w("participants")),
            CellView::num("n"),
            CellView::num(l.w("comparison")),
            CellView::num("n"),
        ],
        rows: rows
            .iter()
            .map(|r| RowView {
                head: r.wave.clone(),
                cells: [&r.treated, &r.treated_n, &r.comparison, &r.comparison_n]
                    .into_iter()
                    .map(|c| CellView::num(c.clone()))
                    .collect(),
            })
            .collect(),
    }
}

/// An outcome's estimate for every level of a breakdown; hidden levels say why.
pub fn breakdown_table(
    o_label: &str,
    b_label: &str,
    levels: &[LevelView],
    l: &Language,
) -> TableView {
    TableView {
        caption: format!("{o_label}, {b_label}"),
        head: vec![
            CellView::text(b_label),
            CellView::num(l.w("impact_col")),
            CellView::num(l.w("ci95")),
            CellView::num("n"),
        ],
        rows: levels
            .iter()
            .map(|lv| RowView {
                head: lv.level.clone(),
                cells: match &lv.estimate {
                    Some(e) => vec![
                        CellView::num(e.value.clone()),
                        CellView::num(format!("{} {} {}", e.lo, l.w("range_to"), e.hi)),
                        CellView::num(e.n.clone()),
                    ],
                    None => vec![CellView {
                        colspan: Some(3),
                        ..CellView::text(format!("✱ {}", lv.suppressed.as_deref().unwrap_or("")))
                    }],
                },
            })
            .collect(),
    }
}

/// Participants' level after the programme by breakdown level: (level, value, n).
pub fn bars_table(
    title: &str,
    b_label: &str,
    rows: Vec<(String, String, String)>,
    l: &Language,
) -> TableView {
    TableView {
        caption: title.to_string(),
        head: vec![
            CellView::text(b_label),
            CellView::num(l.w("participants_after")),
            CellView::num("n"),
        ],
        rows: rows
            .into_iter()
            .map(|(level, value, n)| RowView {
                head: level,
                cells: vec![CellView::num(value), CellView::num(n)],
            })
            .collect(),
    }
}

/// The overview: each outcome's impact in percent of participants' level before the programme,
/// with its 95% interval.
pub fn overview_table(
    caption: &str,
    rows: &[crate::impact::charts::Row],
    l: &Language,
) -> TableView {
    let pct = |v: f64| super::sentences::percent(v, l);
    TableView {
        caption: caption.to_string(),
        head: vec![
            CellView::text(l.w("measure")),
            CellView::num(l.w("overview_axis")),
            CellView::num(l.w("ci95")),
        ],
        rows: rows
            .iter()
            .map(|r| RowView {
                head: r.label.clone(),
                cells: vec![
                    CellView::num(pct(r.value)),
                    CellView::num(format!("{} {} {}", pct(r.lo), l.w("range_to"), pct(r.hi))),
                ],
            })
            .collect(),
    }
}
