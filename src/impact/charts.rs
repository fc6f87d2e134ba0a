//! Charts drawn with plotters as small, accessible SVG for inlining in a page: `role="img"`, a
//! `<title>` and a `<desc>` holding a one-sentence reading, a colour-blind-safe palette
//! (Okabe–Ito) with line styles and markers that survive black-and-white print, sized for a
//! 360 px phone and kept under 10 KB gzip-compressed.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// What a chart's value axis shows: its title (the quantity and unit, in the page's language),
/// how tick labels are written, and the note added when a trend's axis does not start at zero.
pub struct Axis {
    /// The axis title, e.g. `Rp per month` or `Impact, % of the level before the programme`.
    pub title: String,
    /// How ticks are written: `%` for shares 0–1 (shown in percent), `pct` for values already in
    /// percent, anything else as a compact number.
    pub unit: String,
    /// Added to the title when the value axis of a trend does not include zero.
    pub not_zero: String,
}

/// Approximate width of a text in CSS pixels at the charts' 13.7 px sans-serif (0.56 em per
/// character on average), for placing labels without measuring fonts.
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * 7.7
}

/// Splits a label into lines of at most `max` characters at spaces (a longer word stays whole).
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Characters of a row label per line: what fits across the 360 px canvas.
const LABEL_CHARS: usize = 42;
/// Characters of an axis title per line (it starts at the canvas's left edge).
const TITLE_CHARS: usize = 44;

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
        "pct" => format!("{}%", locale::compact(v, lang)),
        "pp" => locale::compact(v * 100.0, lang),
        _ => locale::compact(v, lang),
    }
}

fn font(color: &RGBColor) -> TextStyle<'static> {
    ("sans-serif", FONT).into_font().color(color)
}

/// Writes lines of grey text from the canvas's left edge, the first line's top at `top`.
fn write_lines(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    lines: &[String],
    top: i32,
) {
    for (k, line) in lines.iter().enumerate() {
        write(root, line, (8, top + 17 * k as i32), &GREY);
    }
}

/// Writes `text` on the canvas at pixel `(x, y)` (its top-left corner).
fn write(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    text: &str,
    (x, y): (i32, i32),
    color: &RGBColor,
) {
    root.draw(&Text::new(text.to_string(), (x, y), font(color)))
        .expect("text");
}

/// Trend of both groups across waves, with 95% intervals, each line labelled at its end (no
/// legend), a dashed line where the programme started (before wave `start`, labelled
/// `start_label`), and the axis title above the values (with the axis's `not_zero` note when the
/// values are far from zero).
#[allow(clippy::too_many_arguments)]
pub fn trend(
    id: &str,
    title: &str,
    desc: &str,
    waves: &[String],
    series: &[Series],
    start: Option<(usize, &str)>,
    axis: &Axis,
    lang: &str,
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        let all = series
            .iter()
            .flat_map(|s| s.points.iter().flatten().flat_map(|p| [p.1, p.2]));
        let (lo, mut hi) = range(all, false);
        // A band at the top for the label of the programme's start, above every line.
        if start.is_some() {
            hi += (hi - lo) * 0.14;
        }
        // Room at the right for the direct labels.
        let label_px = series
            .iter()
            .map(|s| text_width(&s.label))
            .fold(0.0, f64::max)
            + 10.0;
        let title = if lo > 0.0 {
            format!("{} · {}", axis.title, axis.not_zero)
        } else {
            axis.title.clone()
        };
        let title = wrap(&title, TITLE_CHARS);
        let mut chart = by_wave(
            &root,
            waves,
            (lo, hi),
            label_px,
            title.len(),
            &axis.unit,
            lang,
        );
        write_lines(&root, &title, 4);
        if let Some((start, text)) = start {
            start_marker(&mut chart, start, (lo, hi), text);
        }
        let mut ends: Vec<(f64, f64, &str, RGBColor)> = Vec::new();
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
            // Solid against dashed tells the groups apart in black-and-white print too.
            if k == 0 {
                chart
                    .draw_series(LineSeries::new(points.clone(), style))
                    .expect("line");
            } else {
                chart
                    .draw_series(DashedLineSeries::new(points.clone(), 6, 4, style))
                    .expect("line");
            }
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
            if let Some(last) = points.last() {
                ends.push((last.0, last.1, &s.label, color));
            }
        }
        direct_labels(&mut chart, &root, &mut ends);
        root.present().expect("svg");
    }
    finish(svg, id, title, desc, H)
}

/// Labels each line at its last point, right of it, pushed apart vertically so that two labels
/// never overlap (at least one text line between their centres).
fn direct_labels(
    chart: &mut Area<'_, '_>,
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    ends: &mut [(f64, f64, &str, RGBColor)],
) {
    let mut placed: Vec<(i32, i32, &str, RGBColor)> = ends
        .iter()
        .map(|(x, y, text, color)| {
            let (px, py) = chart.backend_coord(&(*x, *y));
            (px + 9, py, *text, *color)
        })
        .collect();
    placed.sort_by_key(|p| p.1);
    for i in 1..placed.len() {
        let min = placed[i - 1].1 + 17;
        if placed[i].1 < min {
            placed[i].1 = min;
        }
    }
    for (x, y, text, color) in placed {
        write(root, text, (x, y - 8), &color);
    }
}

/// A dashed vertical line between wave `start − 1` and wave `start`, labelled at its top.
fn start_marker(chart: &mut Area<'_, '_>, start: usize, (lo, hi): (f64, f64), text: &str) {
    let x0 = start as f64 - 0.5;
    chart
        .draw_series(DashedLineSeries::new(
            [(x0, lo), (x0, hi)],
            5,
            4,
            GREY.stroke_width(1),
        ))
        .expect("start");
    let style = font(&GREY).pos(Pos::new(HPos::Center, VPos::Top));
    chart
        .draw_series(std::iter::once(Text::new(
            text.to_string(),
            (x0, hi),
            style,
        )))
        .expect("start label");
}

/// A chart with the waves along x (one tick each) and the outcome's unit along y, grid lines
/// across only.
fn by_wave<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    waves: &[String],
    (lo, hi): (f64, f64),
    right_px: f64,
    title_lines: usize,
    unit: &str,
    lang: &str,
) -> Area<'a, 'b> {
    let n = waves.len().max(1);
    // The plot is W − 8 − 16 − 52 px wide; `right_px` of it is kept free at the right.
    let plot = f64::from(W) - 76.0;
    let span = n as f64 - 0.4;
    let extra = if right_px > 0.0 {
        span * right_px / (plot - right_px).max(plot / 3.0)
    } else {
        0.0
    };
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .margin_top(8 + 16 * title_lines.max(1) as u32)
        .margin_right(16)
        .x_label_area_size(28)
        .y_label_area_size(52)
        .build_cartesian_2d(-0.3f64..(n as f64 - 0.7 + extra), lo..hi)
        .expect("chart area");
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_labels(5)
        .x_labels(0)
        .max_light_lines(0)
        .bold_line_style(RGBColor(225, 225, 225))
        .label_style(("sans-serif", FONT).into_font().color(&GREY))
        .axis_style(GREY)
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|y| axis_label(*y, unit, lang))
        .draw()
        .expect("mesh");
    // One label under each wave, centred (the mesh's own ticks would follow the room kept at the
    // right for labels).
    let centred = font(&GREY).pos(Pos::new(HPos::Center, VPos::Top));
    for (k, wave) in waves.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(k as f64, lo));
        root.draw(&Text::new(wave.clone(), (x, y + 6), centred.clone()))
            .expect("wave label");
    }
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
    (start, start_label): (usize, &str),
    axis: &Axis,
    lang: &str,
) -> String {
    let waves: Vec<String> = effects.iter().map(|e| e.0.clone()).collect();
    let effects: Vec<Option<Interval>> = effects.iter().map(|e| e.1).collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        let all = effects.iter().flatten().flat_map(|p| [p.1, p.2]);
        let (lo, mut hi) = range(all, true);
        // A band at the top for the label of the programme's start.
        hi += (hi - lo) * 0.14;
        let n = waves.len().max(1);
        let title = wrap(&axis.title, TITLE_CHARS);
        let mut chart = by_wave(&root, &waves, (lo, hi), 0.0, title.len(), &axis.unit, lang);
        write_lines(&root, &title, 4);
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
        start_marker(&mut chart, start, (lo, hi), start_label);
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

/// Row slots of a horizontal chart: each row's label lines above its mark.
fn horizontal(
    [id, title, desc]: [&str; 3],
    labels: &[Vec<String>],
    values: impl Iterator<Item = f64>,
    axis: &Axis,
    lang: &str,
    draw: impl FnOnce(&mut Area<'_, '_>, f64, f64),
) -> String {
    let rows = labels.len();
    // Every row is as tall as the row with the most label lines.
    let lines = labels.iter().map(Vec::len).max().unwrap_or(1).max(1) as u32;
    let row_px = 28 + 17 * lines;
    let axis_title = wrap(&axis.title, TITLE_CHARS);
    let extra = 17 * (axis_title.len().max(1) as u32 - 1);
    let h = (58 + extra + row_px * rows as u32).max(130);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, h)).into_drawing_area();
        let (lo, hi) = range(values, true);
        let n = rows.max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .margin_right(16)
            .x_label_area_size(46 + extra)
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
            .label_style(font(&GREY))
            .axis_style(GREY)
            .x_label_formatter(&|x| axis_label(*x, &axis.unit, lang))
            .draw()
            .expect("mesh");
        // The axis title under the tick labels.
        write_lines(&root, &axis_title, h as i32 - 22 - extra as i32);
        draw(&mut chart, lo, n);
        // Each row's label, its lines from the top of the row's slot, clear of the axis line,
        // drawn last on a white ground so that the zero and grid lines pass behind it.
        for (i, lines) in labels.iter().enumerate() {
            let (x, top) = chart.backend_coord(&(lo, n - i as f64));
            for (k, line) in lines.iter().enumerate() {
                let y = top + 4 + 17 * k as i32;
                let w = text_width(line).ceil() as i32;
                root.draw(&Rectangle::new(
                    [(x + 4, y), (x + 8 + w, y + 16)],
                    WHITE.filled(),
                ))
                .expect("label ground");
                write(&root, line, (x + 6, y), &BLACK);
            }
        }
        root.present().expect("svg");
    }
    finish(svg, id, title, desc, h)
}

/// The position of a row's mark inside its slot: just under its label lines.
fn mark_y(chart: &Area<'_, '_>, n: f64, i: usize, lines: usize, offset_px: i32) -> f64 {
    let (_, top) = chart.backend_coord(&(0.0, n - i as f64));
    let (_, bottom) = chart.backend_coord(&(0.0, n - i as f64 - 1.0));
    let px = top + 4 + 17 * lines as i32 + offset_px;
    // Back from pixels to the row coordinate.
    n - i as f64 - (px - top) as f64 / (bottom - top).max(1) as f64
}

/// Estimates with 95% intervals on one axis, a line at zero; each row's label above its
/// interval, wrapped to the canvas.
pub fn forest(id: &str, title: &str, desc: &str, rows: &[Row], axis: &Axis, lang: &str) -> String {
    // The estimates too: a row without an interval still has its dot inside the axis.
    let values = rows.iter().flat_map(|r| [r.lo, r.value, r.hi]);
    let labels: Vec<Vec<String>> = rows.iter().map(|r| wrap(&r.label, LABEL_CHARS)).collect();
    let lines = labels.iter().map(Vec::len).max().unwrap_or(1);
    horizontal(
        [id, title, desc],
        &labels,
        values,
        axis,
        lang,
        |chart, _, n| {
            chart
                .draw_series(LineSeries::new(
                    [(0.0, 0.0), (0.0, n)],
                    GREY.stroke_width(1),
                ))
                .expect("zero");
            for (i, r) in rows.iter().enumerate() {
                // No interval (a standard error of 0 with one degree of freedom gives none) or
                // no estimate: that mark is left out, never drawn at an infinite coordinate.
                if !r.value.is_finite() {
                    continue;
                }
                let y = mark_y(chart, n, i, lines, 8);
                if r.lo.is_finite() && r.hi.is_finite() {
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
                }
                chart
                    .draw_series(std::iter::once(Circle::new((r.value, y), 4, BLUE.filled())))
                    .expect("dot");
            }
        },
    )
}

/// Horizontal bars from zero, each row's label above its bar.
pub fn bars(
    id: &str,
    title: &str,
    desc: &str,
    rows: &[(String, f64)],
    axis: &Axis,
    lang: &str,
) -> String {
    let values = rows.iter().map(|r| r.1);
    let labels: Vec<Vec<String>> = rows.iter().map(|r| wrap(&r.0, LABEL_CHARS)).collect();
    let lines = labels.iter().map(Vec::len).max().unwrap_or(1);
    horizontal(
        [id, title, desc],
        &labels,
        values,
        axis,
        lang,
        |chart, _, n| {
            for (i, (_, v)) in rows.iter().enumerate().filter(|(_, r)| r.1.is_finite()) {
                let top = mark_y(chart, n, i, lines, 2);
                let bottom = mark_y(chart, n, i, lines, 16);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(v.min(0.0), bottom), (v.max(0.0), top)],
                        BLUE.filled(),
                    )))
                    .expect("bar");
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

    fn axis(title: &str, unit: &str) -> Axis {
        Axis {
            title: title.into(),
            unit: unit.into(),
            not_zero: "axis does not start at 0".into(),
        }
    }

    /// The texts of an SVG, with their x and y positions.
    fn texts(svg: &str) -> Vec<(f64, f64, String)> {
        let mut out = Vec::new();
        let mut rest = svg;
        while let Some(i) = rest.find("<text ") {
            rest = &rest[i..];
            let end = rest.find("</text>").unwrap();
            let el = &rest[..end];
            let attr = |name: &str| {
                let at = el.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                el[at..at + el[at..].find('"').unwrap()]
                    .parse::<f64>()
                    .unwrap()
            };
            let text = el[el.find('>').unwrap() + 1..]
                .replace("&#39;", "'")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            out.push((attr("x"), attr("y"), text));
            rest = &rest[end..];
        }
        out
    }

    fn waves() -> Vec<String> {
        ["2024", "2025", "2026"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn charts_are_accessible_and_small() {
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
            &waves(),
            &series,
            Some((2, "Program mulai")),
            &axis("Rata-rata (Rp)", "Rp"),
            "id",
        );
        check(&svg, "pendapatan-tren");
        assert!(svg.contains("Naik &lt;lebih&gt; cepat &amp; jelas"));
        assert!(svg.contains(" jt<"), "Indonesian axis numbers");
        let rows: Vec<Row> = (0..12)
            .map(|i| Row {
                label: format!("Kelurahan dengan nama yang cukup panjang nomor {i}"),
                value: i as f64 * 1e5,
                lo: -1e5,
                hi: 8e5,
            })
            .collect();
        check(
            &forest("f", "Forest", "d", &rows, &axis("Impact (Rp)", "Rp"), "en"),
            "f",
        );
        check(
            &bars(
                "b",
                "Bars",
                "d",
                &[("A".into(), 0.4), ("B".into(), -0.1)],
                &axis("Answering yes (%)", "%"),
                "id",
            ),
            "b",
        );
    }

    #[test]
    fn trend_lines_are_labelled_directly_and_mark_the_start() {
        // Both lines end at the same value: their labels are pushed apart, not on top.
        let series = [
            Series {
                label: "Participants".into(),
                points: vec![Some((50.0, 48.0, 52.0)), Some((60.0, 58.0, 62.0))],
            },
            Series {
                label: "Comparison".into(),
                points: vec![Some((50.0, 48.0, 52.0)), Some((60.0, 58.0, 62.0))],
            },
        ];
        let two: Vec<String> = vec!["2025".into(), "2026".into()];
        let svg = trend(
            "t",
            "T",
            "d",
            &two,
            &series,
            Some((1, "Programme starts")),
            &axis("Average (points)", "points"),
            "en",
        );
        let t = texts(&svg);
        let at = |s: &str| {
            t.iter()
                .find(|x| x.2 == s)
                .unwrap_or_else(|| panic!("{s}: {t:?}"))
        };
        let (p, c) = (at("Participants"), at("Comparison"));
        assert!((p.1 - c.1).abs() >= 16.0, "labels apart: {p:?} {c:?}");
        assert!(
            p.0 + text_width("Participants") <= f64::from(W),
            "inside the canvas"
        );
        // The values are far from zero: the axis says so in its title.
        at("Average (points) · axis does not start at 0");
        let start = at("Programme starts");
        assert!(
            start.1 < p.1.min(c.1) - 10.0,
            "the start's label is above the lines"
        );
        for wave in ["2025", "2026"] {
            at(wave);
        }
        assert!(!svg.contains("<rect"), "no legend box");
    }

    #[test]
    fn estimates_without_an_interval_or_a_value_are_left_out_not_drawn_at_infinity() {
        let row = |label: &str, value: f64, lo: f64, hi: f64| Row {
            label: label.into(),
            value,
            lo,
            hi,
        };
        let rows = [
            row("A", 1.0, 0.5, 1.5),
            row("B", 2.0, f64::NEG_INFINITY, f64::INFINITY),
            row("C", 3.0, f64::NAN, f64::NAN),
            row("D", f64::NAN, f64::NAN, f64::NAN),
        ];
        let svg = forest("f", "F", "d", &rows, &axis("Impact", ""), "en");
        check(&svg, "f");
        // Dots for A, B and C (two more than a chart of A alone), none for D.
        let alone = forest("f", "F", "d", &rows[..1], &axis("Impact", ""), "en");
        assert_eq!(
            svg.matches("<circle").count(),
            alone.matches("<circle").count() + 2,
            "{svg}"
        );
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        // Only estimates without intervals, far from 0: the dots are on the canvas.
        let far = [
            row("A", 5e7, f64::NAN, f64::NAN),
            row("B", 4e7, f64::NAN, f64::NAN),
        ];
        let svg = forest("f", "F", "d", &far, &axis("Impact (Rp)", "Rp"), "en");
        check(&svg, "f");
        for cx in svg.split("<circle cx=\"").skip(1) {
            let cx: i64 = cx[..cx.find('"').unwrap()].parse().unwrap();
            assert!((0..=360).contains(&cx), "{svg}");
        }
        let bars = bars(
            "b",
            "B",
            "d",
            &[("A".into(), 1.0), ("B".into(), f64::NAN)],
            &axis("n", ""),
            "en",
        );
        check(&bars, "b");
        assert!(!bars.contains("NaN"));
    }

    #[test]
    fn row_labels_wrap_inside_the_canvas_and_never_overlap() {
        let long = "Kelompok usaha bersama pengolahan rumput laut dan hasil perikanan Juata Laut";
        let rows: Vec<Row> = [long, "B", "C"]
            .iter()
            .map(|l| Row {
                label: l.to_string(),
                value: 1.0,
                lo: 0.5,
                hi: 1.5,
            })
            .collect();
        let svg = forest("f", "F", "d", &rows, &axis("Impact", ""), "en");
        let t = texts(&svg);
        let labels: Vec<&(f64, f64, String)> = t
            .iter()
            .filter(|x| long.contains(x.2.as_str()) || x.2 == "B" || x.2 == "C")
            .filter(|x| !x.2.is_empty() && x.2.parse::<f64>().is_err())
            .collect();
        assert_eq!(
            labels
                .iter()
                .filter(|x| long.contains(x.2.as_str()))
                .count(),
            2,
            "the long label takes two lines: {labels:?}"
        );
        for l in &labels {
            assert!(l.0 > 8.0, "clear of the axis line: {l:?}");
            assert!(
                l.0 + text_width(&l.2) <= f64::from(W) + 1.0,
                "inside: {l:?}"
            );
        }
        for pair in labels.windows(2) {
            assert!(pair[1].1 - pair[0].1 >= 16.0, "one line apart: {pair:?}");
        }
        assert!(t.iter().any(|x| x.2 == "Impact"), "axis title");
        // A long axis title wraps inside the canvas instead of running off it.
        let long = "Improvement, % of participants' average before the programme";
        let svg = forest("g", "G", "d", &rows, &axis(long, "pct"), "en");
        let lines: Vec<_> = texts(&svg)
            .into_iter()
            .filter(|x| long.contains(x.2.as_str()) && x.2.len() > 5)
            .collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        for l in &lines {
            assert!(l.0 + text_width(&l.2) <= f64::from(W), "{l:?}");
        }
    }
}
