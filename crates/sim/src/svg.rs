//! SVG line and bar charts whose every label is drawn as strokes of a small built-in vector
//! font, so a report renders the same everywhere and needs no system fonts.

use std::fmt::Write;

/// Strokes of each glyph on a 4 × 6 grid (y up from the baseline): polylines of `x y` pairs,
/// separated by `|`. Letters are drawn as capitals.
fn glyph(c: char) -> Option<&'static str> {
    Some(match c.to_ascii_uppercase() {
        'A' => "0 0 0 4 2 6 4 4 4 0|0 3 4 3",
        'B' => "0 0 0 6 3 6 4 5 4 4 3 3 0 3|3 3 4 2 4 1 3 0 0 0",
        'C' => "4 6 0 6 0 0 4 0",
        'D' => "0 0 0 6 2 6 4 4 4 2 2 0 0 0",
        'E' => "4 6 0 6 0 0 4 0|0 3 3 3",
        'F' => "4 6 0 6 0 0|0 3 3 3",
        'G' => "4 6 0 6 0 0 4 0 4 3 2 3",
        'H' => "0 0 0 6|4 0 4 6|0 3 4 3",
        'I' => "1 6 3 6|2 6 2 0|1 0 3 0",
        'J' => "4 6 4 0 0 0 0 2",
        'K' => "0 0 0 6|4 6 0 3 4 0",
        'L' => "0 6 0 0 4 0",
        'M' => "0 0 0 6 2 3 4 6 4 0",
        'N' => "0 0 0 6 4 0 4 6",
        'O' => "0 0 0 6 4 6 4 0 0 0",
        'P' => "0 0 0 6 4 6 4 3 0 3",
        'Q' => "0 0 0 6 4 6 4 0 0 0|2 2 4 -1",
        'R' => "0 0 0 6 4 6 4 3 0 3 4 0",
        'S' => "4 5 3 6 0 6 0 3 4 3 4 0 0 0",
        'T' => "0 6 4 6|2 6 2 0",
        'U' => "0 6 0 0 4 0 4 6",
        'V' => "0 6 2 0 4 6",
        'W' => "0 6 1 0 2 3 3 0 4 6",
        'X' => "0 0 4 6|0 6 4 0",
        'Y' => "0 6 2 3 4 6|2 3 2 0",
        'Z' => "0 6 4 6 0 0 4 0",
        '0' => "0 0 0 6 4 6 4 0 0 0|0 0 4 6",
        '1' => "1 5 2 6 2 0|1 0 3 0",
        '2' => "0 6 4 6 4 3 0 3 0 0 4 0",
        '3' => "0 6 4 6 4 0 0 0|1 3 4 3",
        '4' => "0 6 0 3 4 3|4 6 4 0",
        '5' => "4 6 0 6 0 4 4 3 4 0 0 0",
        '6' => "4 6 0 6 0 0 4 0 4 3 0 3",
        '7' => "0 6 4 6 1 0",
        '8' => "0 0 0 6 4 6 4 0 0 0|0 3 4 3",
        '9' => "4 3 0 3 0 6 4 6 4 0 0 0",
        '.' => "2 0 2 0.7",
        ',' => "2 1 1 -1",
        '-' | '−' | '–' => "1 3 3 3",
        '_' => "0 -0.5 4 -0.5",
        '=' => "0 2 4 2|0 4 4 4",
        ':' => "2 1 2 1.7|2 4 2 4.7",
        '/' => "0 0 4 6",
        '(' => "3 6 1 4 1 2 3 0",
        ')' => "1 6 3 4 3 2 1 0",
        '[' => "3 6 1 6 1 0 3 0",
        ']' => "1 6 3 6 3 0 1 0",
        '%' => "0 6 1 6 1 5 0 5 0 6|4 6 0 0|3 1 4 1 4 0 3 0 3 1",
        '+' => "0 3 4 3|2 1 2 5",
        '\'' => "2 6 2 4",
        '>' => "0 5 4 3 0 1",
        '<' => "4 5 0 3 4 1",
        '×' => "0 1 4 5|0 5 4 1",
        _ => return None,
    })
}

/// `text` as one SVG path of strokes, its baseline's left end at (`x`, `y`), `size` pixels tall.
pub fn text(out: &mut String, x: f64, y: f64, size: f64, color: &str, text: &str) {
    let unit = size / 6.0;
    let mut d = String::new();
    for (i, c) in text.chars().enumerate() {
        let Some(strokes) = glyph(c) else { continue };
        let left = x + i as f64 * 6.0 * unit;
        for stroke in strokes.split('|') {
            let numbers: Vec<f64> = stroke.split(' ').filter_map(|n| n.parse().ok()).collect();
            for (j, pair) in numbers.chunks(2).enumerate() {
                let (gx, gy) = (left + pair[0] * unit, y - pair[1] * unit);
                let _ = write!(d, "{}{:.1} {:.1}", if j == 0 { "M" } else { "L" }, gx, gy);
            }
        }
    }
    if !d.is_empty() {
        let _ = write!(
            out,
            r#"<path d="{d}" fill="none" stroke="{color}" stroke-width="{:.2}" stroke-linecap="round" stroke-linejoin="round"/>"#,
            (size / 10.0).max(0.8)
        );
    }
}

/// How wide `text` is drawn at `size`.
pub fn text_width(size: f64, text: &str) -> f64 {
    text.chars().count() as f64 * size
}

/// A compact number: 1.2k, 35M, −4.1G.
pub fn compact(value: f64) -> String {
    let magnitude = value.abs();
    let (scaled, suffix) = match magnitude {
        m if m >= 1e15 => (value / 1e15, "P"),
        m if m >= 1e12 => (value / 1e12, "T"),
        m if m >= 1e9 => (value / 1e9, "G"),
        m if m >= 1e6 => (value / 1e6, "M"),
        m if m >= 1e3 => (value / 1e3, "k"),
        _ => (value, ""),
    };
    let digits = if scaled.abs() >= 100.0 || (suffix.is_empty() && scaled.fract() == 0.0) {
        0
    } else if scaled.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{scaled:.digits$}{suffix}")
}

/// A series of a line chart: a line, and optionally a band around it.
pub struct Series {
    /// Its legend.
    pub name: String,
    /// Its colour.
    pub color: &'static str,
    /// The line's points.
    pub line: Vec<(f64, f64)>,
    /// The band's low and high at each x.
    pub band: Vec<(f64, f64, f64)>,
}

/// Colours for series, in order.
pub const PALETTE: [&str; 8] =
    ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 16.0;
const BOTTOM: f64 = 36.0;
/// Where the title's baseline is, and the first legend row's.
const TITLE: f64 = 18.0;
const LEGEND: f64 = 32.0;
const LEGEND_ROW: f64 = 10.0;

struct Frame {
    x: (f64, f64),
    y: (f64, f64),
    /// The plot's top edge: under the title and the legend's rows.
    top: f64,
}

impl Frame {
    fn new(
        xs: impl Iterator<Item = f64> + Clone,
        ys: impl Iterator<Item = f64> + Clone,
        legend_rows: usize,
    ) -> Frame {
        let bounds = |values: &mut dyn Iterator<Item = f64>| {
            let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
            for v in values.filter(|v| v.is_finite()) {
                low = low.min(v);
                high = high.max(v);
            }
            if !low.is_finite() {
                (0.0, 1.0)
            } else if high - low <= f64::EPSILON * high.abs().max(1.0) {
                (low - 1.0, high + 1.0)
            } else {
                (low, high)
            }
        };
        let top = LEGEND + LEGEND_ROW * legend_rows.saturating_sub(1) as f64 + 10.0;
        Frame { x: bounds(&mut xs.clone()), y: bounds(&mut ys.clone()), top }
    }

    fn px(&self, x: f64) -> f64 {
        LEFT + (x - self.x.0) / (self.x.1 - self.x.0) * (WIDTH - LEFT - RIGHT)
    }

    fn py(&self, y: f64) -> f64 {
        HEIGHT - BOTTOM - (y - self.y.0) / (self.y.1 - self.y.0) * (HEIGHT - self.top - BOTTOM)
    }

    /// The title, axes, ticks and their labels (the x axis's only when `x_ticks`).
    fn draw(&self, out: &mut String, title: &str, x_label: &str, x_ticks: bool) {
        let _ = write!(
            out,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><rect width="100%" height="100%" fill="#fff"/>"##
        );
        text(out, 10.0, TITLE, 11.0, "#111", &fit(title, (WIDTH - 20.0) / 11.0));
        let (x0, x1, y0, y1) = (LEFT, WIDTH - RIGHT, self.top, HEIGHT - BOTTOM);
        let _ = write!(
            out,
            r##"<path d="M{x0} {y0}L{x0} {y1}L{x1} {y1}" fill="none" stroke="#444" stroke-width="1"/>"##
        );
        for i in 0..=4 {
            let f = f64::from(i) / 4.0;
            let yv = self.y.0 + f * (self.y.1 - self.y.0);
            let y = self.py(yv);
            let label = compact(yv);
            let _ = write!(out, r##"<path d="M{x0} {y:.1}L{x1} {y:.1}" stroke="#eee" stroke-width="1"/>"##);
            text(out, x0 - 6.0 - text_width(8.0, &label), y + 4.0, 8.0, "#444", &label);
            if x_ticks {
                let xv = self.x.0 + f * (self.x.1 - self.x.0);
                let x = self.px(xv);
                let label = compact(xv.round());
                text(out, x - text_width(8.0, &label) / 2.0, y1 + 14.0, 8.0, "#444", &label);
            }
        }
        text(out, (x0 + x1) / 2.0 - text_width(8.0, x_label) / 2.0, HEIGHT - 6.0, 8.0, "#444", x_label);
    }
}

/// A line chart of `series` (each with its optional band), with a legend.
pub fn line_chart(title: &str, x_label: &str, series: &[Series]) -> String {
    let xs = series.iter().flat_map(|s| s.line.iter().map(|p| p.0));
    let ys =
        series.iter().flat_map(|s| s.line.iter().map(|p| p.1).chain(s.band.iter().flat_map(|b| [b.1, b.2])));
    let rows = legend_rows(series.iter().map(|s| (s.name.as_str(), s.color)));
    let frame = Frame::new(xs, ys, rows.len());
    let mut out = String::new();
    frame.draw(&mut out, title, x_label, true);
    for s in series {
        if !s.band.is_empty() {
            let mut d = String::new();
            for (i, (x, low, _)) in s.band.iter().enumerate() {
                let _ =
                    write!(d, "{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, frame.px(*x), frame.py(*low));
            }
            for (x, _, high) in s.band.iter().rev() {
                let _ = write!(d, "L{:.1} {:.1}", frame.px(*x), frame.py(*high));
            }
            let _ = write!(out, r#"<path d="{d}Z" fill="{}" fill-opacity="0.15" stroke="none"/>"#, s.color);
        }
        let mut d = String::new();
        for (i, (x, y)) in s.line.iter().enumerate() {
            let _ = write!(d, "{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, frame.px(*x), frame.py(*y));
        }
        let _ = write!(out, r#"<path d="{d}" fill="none" stroke="{}" stroke-width="1.5"/>"#, s.color);
    }
    for (row, entries) in rows.iter().enumerate() {
        let y = LEGEND + LEGEND_ROW * row as f64;
        for (x, name, color) in entries {
            let _ =
                write!(out, r#"<rect x="{x:.1}" y="{:.1}" width="10" height="4" fill="{color}"/>"#, y - 4.0);
            text(&mut out, x + 14.0, y, 7.0, "#222", name);
        }
    }
    out.push_str("</svg>");
    out
}

/// `text` cut to at most `chars` characters, marked with `..` when cut.
fn fit(text: &str, chars: f64) -> String {
    let most = chars.max(3.0) as usize;
    if text.chars().count() <= most {
        return text.to_string();
    }
    let kept: String = text.chars().take(most - 2).collect();
    format!("{kept}..")
}

/// The legend's entries laid out in rows across the chart: `(x, name, colour)`.
fn legend_rows<'a>(
    entries: impl Iterator<Item = (&'a str, &'static str)>,
) -> Vec<Vec<(f64, String, &'static str)>> {
    let (start, end) = (10.0, WIDTH - RIGHT);
    let mut rows: Vec<Vec<(f64, String, &'static str)>> = Vec::new();
    let mut x = end;
    for (name, color) in entries {
        let name = fit(name, (end - start - 14.0) / 7.0);
        let width = 14.0 + text_width(7.0, &name) + 10.0;
        if x + width > end {
            rows.push(Vec::new());
            x = start;
        }
        if let Some(row) = rows.last_mut() {
            row.push((x, name, color));
        }
        x += width;
    }
    rows
}

/// A bar per label with a whisker from low to high: `(label, value, low, high)`.
pub fn bar_chart(title: &str, bars: &[(String, f64, f64, f64)]) -> String {
    let ys = bars.iter().flat_map(|b| [b.1, b.2, b.3, 0.0]);
    let frame = Frame::new((0..=bars.len()).map(|i| i as f64), ys, 0);
    let mut out = String::new();
    frame.draw(&mut out, title, "sweep point", false);
    let slot = (WIDTH - LEFT - RIGHT) / bars.len().max(1) as f64;
    for (i, (label, value, low, high)) in bars.iter().enumerate() {
        let x = LEFT + slot * i as f64 + slot * 0.2;
        let (zero, top) = (frame.py(0.0), frame.py(*value));
        let color = if *value > 0.0 { "#d62728" } else { "#1f77b4" };
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{color}" fill-opacity="0.7"/>"#,
            zero.min(top),
            slot * 0.6,
            (zero - top).abs().max(0.5)
        );
        let mid = x + slot * 0.3;
        let _ = write!(
            out,
            r##"<path d="M{mid:.1} {:.1}L{mid:.1} {:.1}" stroke="#111" stroke-width="1"/>"##,
            frame.py(*low),
            frame.py(*high)
        );
        let size = 7.0_f64.min(slot / label.chars().count().max(1) as f64);
        text(&mut out, mid - text_width(size, label) / 2.0, frame.py(0.0) - 4.0, size, "#111", label);
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_strokes_not_text_so_no_font_is_needed() {
        let chart = line_chart(
            "base fee",
            "block",
            &[Series {
                name: "point 0".into(),
                color: PALETTE[0],
                line: vec![(1.0, 5.0), (2.0, 7.0)],
                band: vec![],
            }],
        );
        assert!(chart.starts_with("<svg") && chart.ends_with("</svg>"));
        assert!(!chart.contains("<text") && !chart.contains("font"));
        assert!(chart.matches("<path").count() > 10);
    }

    #[test]
    fn every_character_of_a_report_label_has_a_glyph() {
        for c in "abcdefghijklmnopqrstuvwxyz0123456789.,-_=:/()[]%+'<>×".chars() {
            assert!(glyph(c).is_some(), "{c}");
        }
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(compact(1_234.0), "1.23k");
        assert_eq!(compact(35_000_000.0), "35.0M");
        assert_eq!(compact(-4_100_000_000.0), "-4.10G");
        assert_eq!(compact(12.0), "12");
        assert_eq!(compact(0.5), "0.50");
    }
}
