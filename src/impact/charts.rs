//! Charts drawn with plotters as small, accessible SVG for inlining in a page: `role="img"`, a
//! `<title>` and a `<desc>` holding a one-sentence reading, a colour-blind-safe palette
//! (Okabe–Ito) with line styles and markers that survive black-and-white print, sized for a
//! 360 px phone and kept under 10 KB gzip-compressed.

use plotters::prelude::*;

use crate::common::locale;

/// Canvas in CSS pixels: drawn for a 360 px phone, scaled by the page.
const W: u32 = 360;
const H: u32 = 250;
/// plotters writes font sizes as size / 1.24: 17 gives 13.7 px text.
const FONT: u32 = 17;
/// Okabe–Ito blue (participants) and vermillion (comparison).
const BLUE: RGBColor = RGBColor(0, 114, 178);
const ORANGE: RGBColor = RGBColor(213, 94, 0);
const GREY: RGBColor = RGBColor(90, 90, 90);

/// One line of a trend chart: a value with its 95% interval per wave, `None` where suppressed.
pub struct Series {
    /// Legend text of the line (the group's name).
    pub label: String,
    /// Per wave, in order: (value, lower, upper bound of the 95% confidence interval), in the
    /// outcome's unit (a share 0–1 when the unit is `%`); `None` where suppressed or empty.
    pub points: Vec<Option<(f64, f64, f64)>>,
}

/// One row of a forest plot: an estimate and its 95% interval.
pub struct Row {
    /// Label at the left of the row (an outcome or a breakdown level).
    pub label: String,
    /// The estimate, in the chart's unit: the outcome's unit (a share 0–1 when `%`), or standard
    /// deviations in the overview.
    pub value: f64,
    /// Lower bound of the 95% confidence interval, same unit as `value`.
    pub lo: f64,
    /// Upper bound of the 95% confidence interval, same unit as `value`.
    pub hi: f64,
}

fn escape(text: &str) -> String {
    crate::common::text::html_escape(text).into_owned()
}

/// Wraps plotters' output: viewBox instead of fixed size, role, title and description.
fn finish(svg: String, id: &str, title: &str, desc: &str, h: u32) -> String {
    let body_start = svg.find('>').map_or(0, |i| i + 1);
    let body = svg[body_start..].trim_start();
    // Drop the white background rectangle: the page is white and print is too.
    let background = format!(
        "<rect x=\"0\" y=\"0\" width=\"{W}\" height=\"{h}\" opacity=\"1\" fill=\"#FFFFFF\" stroke=\"none\"/>"
    );
    let body = body.strip_prefix(&background).unwrap_or(body);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {h}\" class=\"chart\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>{}",
        escape(title),
        escape(desc),
        round_font_sizes(&body.replace('\n', ""))
    )
}

/// `font-size="13.709677419354838"` → `font-size="13.7"`: fewer bytes, same text.
fn round_font_sizes(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find("font-size=\"") {
        let (head, tail) = rest.split_at(i + 11);
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        match tail[..end].parse::<f64>() {
            Ok(v) => out.push_str(&format!("{:.1}", v)),
            Err(_) => out.push_str(&tail[..end]),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn range(values: impl Iterator<Item = f64>, include_zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if include_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.01).max(1e-9);
    (lo - pad, hi + pad)
}

fn axis_label(v: f64, unit: &str, lang: &str) -> String {
    match unit {
        "%" => format!("{}%", locale::number(v * 100.0, 0, lang)),
        _ => locale::compact(v, lang),
    }
}

/// Trend of both groups across waves, with 95% intervals.
pub fn trend(
    id: &str,
    title: &str,
    desc: &str,
    waves: &[String],
    series: &[Series],
    unit: &str,
    lang: &str,
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        let all = series
            .iter()
            .flat_map(|s| s.points.iter().flatten().flat_map(|p| [p.1, p.2]));
        let (lo, hi) = range(all, false);
        let mut chart = by_wave(&root, waves, (lo, hi), unit, lang);
        for (k, s) in series.iter().enumerate() {
            let color = if k == 0 { BLUE } else { ORANGE };
            let shift = if k == 0 { -0.06 } else { 0.06 };
            let points: Vec<(f64, f64)> = s
                .points
                .iter()
                .enumerate()
                .filter_map(|(x, p)| p.map(|p| (x as f64 + shift, p.0)))
                .collect();
            let style = color.stroke_width(2);
            let drawn = if k == 0 {
                chart
                    .draw_series(LineSeries::new(points.clone(), style))
                    .expect("line")
            } else {
                chart
                    .draw_series(DashedLineSeries::new(points.clone(), 6, 4, style))
                    .expect("line")
            };
            // Solid against dashed tells the groups apart in black-and-white print too.
            let gap = if k == 0 { 0 } else { 5 };
            drawn.label(s.label.clone()).legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (8, 0)], color.stroke_width(2))
                    + PathElement::new(vec![(8 + gap, 0), (20, 0)], color.stroke_width(2))
            });
            chart
                .draw_series(s.points.iter().enumerate().filter_map(|(x, p)| {
                    p.map(|(_, lo, hi)| {
                        ErrorBar::new_vertical(
                            x as f64 + shift,
                            lo,
                            (lo + hi) / 2.0,
                            hi,
                            color.stroke_width(1),
                            8,
                        )
                    })
                }))
                .expect("intervals");
            if k == 0 {
                chart
                    .draw_series(points.iter().map(|p| Circle::new(*p, 4, color.filled())))
                    .expect("markers");
            } else {
                chart
                    .draw_series(
                        points
                            .iter()
                            .map(|p| TriangleMarker::new(*p, 5, color.filled())),
                    )
                    .expect("markers");
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font(("sans-serif", FONT).into_font())
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(200, 200, 200))
            .draw()
            .expect("legend");
        root.present().expect("svg");
    }
    finish(svg, id, title, desc, H)
}

/// A chart with the waves along x (one tick each) and the outcome's unit along y, grid lines
/// across only.
fn by_wave<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    waves: &[String],
    (lo, hi): (f64, f64),
    unit: &str,
    lang: &str,
) -> Area<'a, 'b> {
    let n = waves.len().max(1);
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .margin_right(16)
        .x_label_area_size(28)
        .y_label_area_size(52)
        .build_cartesian_2d(-0.3f64..(n as f64 - 0.7), lo..hi)
        .expect("chart area");
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_labels(5)
        .x_labels(n)
        .max_light_lines(0)
        .bold_line_style(RGBColor(225, 225, 225))
        .label_style(("sans-serif", FONT).into_font().color(&GREY))
        .axis_style(GREY)
        .x_label_formatter(&|x| waves.get(x.round() as usize).cloned().unwrap_or_default())
        .y_label_formatter(&|y| axis_label(*y, unit, lang))
        .draw()
        .expect("mesh");
    chart
}

type Area<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A chart with one row per item on a horizontal value axis; `draw` gets the chart, the left
/// edge (where labels go) and the number of rows.
/// An estimate and its interval: (estimate, low, high).
pub type Interval = (f64, f64, f64);

/// An event-study chart: the effect in each wave relative to the reference wave (0 there),
/// with its 95% interval as a shaded band and whiskers, a zero line, and a dashed line where
/// the programme started (between wave `start − 1` and wave `start`). `effects[k]` is wave k's
/// label and (estimate, lo, hi), `None` when not estimated.
pub fn event_study(
    id: &str,
    title: &str,
    desc: &str,
    effects: &[(String, Option<Interval>)],
    start: usize,
    unit: &str,
    lang: &str,
) -> String {
    let waves: Vec<String> = effects.iter().map(|e| e.0.clone()).collect();
    let effects: Vec<Option<Interval>> = effects.iter().map(|e| e.1).collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        let all = effects.iter().flatten().flat_map(|p| [p.1, p.2]);
        let (lo, hi) = range(all, true);
        let n = waves.len().max(1);
        let mut chart = by_wave(&root, &waves, (lo, hi), unit, lang);
        let points: Vec<(f64, f64, f64, f64)> = effects
            .iter()
            .enumerate()
            .filter_map(|(x, e)| e.map(|(v, l, h)| (x as f64, v, l, h)))
            .collect();
        // The band of the intervals.
        let mut band: Vec<(f64, f64)> = points.iter().map(|p| (p.0, p.3)).collect();
        band.extend(points.iter().rev().map(|p| (p.0, p.2)));
        chart
            .draw_series(std::iter::once(Polygon::new(band, BLUE.mix(0.15).filled())))
            .expect("band");
        chart
            .draw_series(LineSeries::new(
                [(-0.3, 0.0), (n as f64 - 0.7, 0.0)],
                GREY.stroke_width(1),
            ))
            .expect("zero");
        let x0 = start as f64 - 0.5;
        chart
            .draw_series(DashedLineSeries::new(
                [(x0, lo), (x0, hi)],
                5,
                4,
                ORANGE.stroke_width(2),
            ))
            .expect("start");
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|p| (p.0, p.1)),
                BLUE.stroke_width(2),
            ))
            .expect("line");
        chart
            .draw_series(
                points
                    .iter()
                    .map(|p| ErrorBar::new_vertical(p.0, p.2, p.1, p.3, BLUE.stroke_width(1), 8)),
            )
            .expect("intervals");
        chart
            .draw_series(
                points
                    .iter()
                    .map(|p| Circle::new((p.0, p.1), 4, BLUE.filled())),
            )
            .expect("markers");
        root.present().expect("svg");
    }
    finish(svg, id, title, desc, H)
}

fn horizontal(
    [id, title, desc]: [&str; 3],
    rows: usize,
    values: impl Iterator<Item = f64>,
    unit: &str,
    lang: &str,
    draw: impl FnOnce(&mut Area<'_, '_>, f64, f64),
) -> String {
    let h = (40 + 44 * rows as u32).max(120);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, h)).into_drawing_area();
        let (lo, hi) = range(values, true);
        let n = rows.max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .margin_right(16)
            .x_label_area_size(28)
            .y_label_area_size(4)
            .build_cartesian_2d(lo..hi, 0f64..n)
            .expect("chart area");
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(4)
            .max_light_lines(0)
            .bold_line_style(RGBColor(225, 225, 225))
            .label_style(("sans-serif", FONT).into_font().color(&GREY))
            .axis_style(GREY)
            .x_label_formatter(&|x| axis_label(*x, unit, lang))
            .draw()
            .expect("mesh");
        draw(&mut chart, lo, n);
        root.present().expect("svg");
    }
    finish(svg, id, title, desc, h)
}

fn label(chart: &mut Area<'_, '_>, text: &str, at: (f64, f64)) {
    let style = ("sans-serif", FONT).into_font().color(&BLACK);
    chart
        .draw_series(std::iter::once(Text::new(text.to_string(), at, style)))
        .expect("label");
}

/// Estimates with 95% intervals on one axis, a line at zero.
pub fn forest(id: &str, title: &str, desc: &str, rows: &[Row], unit: &str, lang: &str) -> String {
    let values = rows.iter().flat_map(|r| [r.lo, r.hi]);
    horizontal(
        [id, title, desc],
        rows.len(),
        values,
        unit,
        lang,
        |chart, lo, n| {
            chart
                .draw_series(LineSeries::new(
                    [(0.0, 0.0), (0.0, n)],
                    GREY.stroke_width(1),
                ))
                .expect("zero");
            for (i, r) in rows.iter().enumerate() {
                let y = n - i as f64 - 0.65;
                chart
                    .draw_series(std::iter::once(ErrorBar::new_horizontal(
                        y,
                        r.lo,
                        r.value,
                        r.hi,
                        BLUE.stroke_width(2),
                        8,
                    )))
                    .expect("interval");
                chart
                    .draw_series(std::iter::once(Circle::new((r.value, y), 4, BLUE.filled())))
                    .expect("dot");
                label(chart, &r.label, (lo, y + 0.45));
            }
        },
    )
}

/// Horizontal bars from zero.
pub fn bars(
    id: &str,
    title: &str,
    desc: &str,
    rows: &[(String, f64)],
    unit: &str,
    lang: &str,
) -> String {
    let values = rows.iter().map(|r| r.1);
    horizontal(
        [id, title, desc],
        rows.len(),
        values,
        unit,
        lang,
        |chart, lo, n| {
            for (i, (text, v)) in rows.iter().enumerate() {
                let y = n - i as f64 - 0.9;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(v.min(0.0), y), (v.max(0.0), y + 0.35)],
                        BLUE.filled(),
                    )))
                    .expect("bar");
                label(chart, text, (lo, y + 0.8));
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(svg: &str, id: &str) {
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 360 "),
            "{}",
            &svg[..120]
        );
        assert!(svg.contains(&format!(
            "role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">"
        )));
        assert!(svg.contains(&format!("<desc id=\"{id}-d\">")));
        assert!(!svg.contains("<rect x=\"0\" y=\"0\""), "no background");
        let gz = crate::output::encode::gzip(svg.as_bytes(), 9).len();
        assert!(gz <= 10 * 1024, "{gz} bytes gzip");
    }

    #[test]
    fn charts_are_accessible_and_small() {
        let waves: Vec<String> = ["2024", "2025", "2026"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let series = [
            Series {
                label: "Peserta".into(),
                points: vec![
                    Some((3.0e6, 2.9e6, 3.1e6)),
                    Some((3.1e6, 3.0e6, 3.2e6)),
                    Some((3.6e6, 3.5e6, 3.7e6)),
                ],
            },
            Series {
                label: "Pembanding".into(),
                points: vec![
                    Some((3.0e6, 2.9e6, 3.1e6)),
                    None,
                    Some((3.2e6, 3.1e6, 3.3e6)),
                ],
            },
        ];
        let svg = trend(
            "pendapatan-tren",
            "Pendapatan",
            "Naik <lebih> cepat & jelas",
            &waves,
            &series,
            "Rp",
            "id",
        );
        check(&svg, "pendapatan-tren");
        assert!(svg.contains("Naik &lt;lebih&gt; cepat &amp; jelas"));
        assert!(svg.contains(" jt<"), "Indonesian axis numbers");
        let rows: Vec<Row> = (0..6)
            .map(|i| Row {
                label: format!("Kecamatan {i}"),
                value: i as f64 * 1e5,
                lo: -1e5,
                hi: 8e5,
            })
            .collect();
        check(&forest("f", "Forest", "d", &rows, "Rp", "en"), "f");
        check(
            &bars(
                "b",
                "Bars",
                "d",
                &[("A".into(), 0.4), ("B".into(), -0.1)],
                "%",
                "id",
            ),
            "b",
        );
    }
}
