//! Drawing with plotters, onto our compact SVG backend, in pixel coordinates. Layout is ours
//! (wrapped labels, values on bars, legends); plotters draws and measures
//! text with the embedded font. All sizes are integers, so output is stable.

use super::layout::{nice_scale, wrap};
use super::svg::{self, CompactSvg, TextDefaults};
use super::{ChartData, ChartKind};
use crate::number::NumberFormat;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::OnceLock;

/// The drawing's width in SVG units. Shown at about its own size in a
/// 390 px phone's column (358 px), text of 12.9 units stays above 12 CSS px;
/// the stylesheet caps the width on large screens so it does not grow much.
const WIDTH: u32 = 360;
const PAD: i32 = 12;
const FONT: f64 = 16.0;
/// The size text is measured at: plotters writes font-size as size / 1.24.
const TEXT_PX: f32 = (FONT / 1.24) as f32;
const LINE: i32 = 18;
const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
const GRID: RGBColor = RGBColor(0xc8, 0xc8, 0xc8);
/// Okabe–Ito and Tol colours, darkened where needed: each has at least 3:1
/// contrast against white, and series 2 and 3 also get hatching so that they
/// stay apart when printed in black and white.
pub(super) const PALETTE: [RGBColor; 6] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xAA, 0x33, 0x77),
    RGBColor(0x55, 0x55, 0x55),
    RGBColor(0x8A, 0x6D, 0x00),
];

static FONT_BYTES: &[u8] = include_bytes!("../../themes/default/fonts/DejaVuSans.ttf");

/// Width in pixels of `text` at the size the SVG sets (plotters writes
/// font-size as size / 1.24). Measured with ab_glyph directly: building a
/// plotters TextStyle parses font tables on every call, which dominated
/// chart drawing. Glyph ids and advances of Latin-1 come from a table made
/// once: looking them up in the font was a tenth of a chart's time.
fn text_width(text: &str) -> u32 {
    use ab_glyph::{Font, ScaleFont};
    let Some(metrics) = METRICS.get_or_init(Metrics::load) else {
        return text.chars().count() as u32 * 8;
    };
    let scaled = metrics.font.as_scaled(TEXT_PX);
    let mut width = 0f32;
    let mut prev: Option<(char, ab_glyph::GlyphId)> = None;
    for c in text.chars() {
        let (id, advance) = match metrics.latin.get(c as usize) {
            Some(&known) => known,
            None => {
                let id = scaled.glyph_id(c);
                (id, scaled.h_advance(id))
            }
        };
        width += advance;
        if let Some(p) = prev {
            width += metrics.kern(p, (c, id));
        }
        prev = Some((c, id));
    }
    width.ceil() as u32
}

/// Printable ASCII, whose kerning pairs are kept in rows.
const ASCII: std::ops::Range<u32> = 32..127;

/// The measuring font, its Latin-1 glyphs and, made on first use, a row of
/// kerning values for each printable ASCII character on the left: the
/// lookup in the font's kerning table was a third of measuring.
struct Metrics {
    font: ab_glyph::FontRef<'static>,
    latin: Vec<(ab_glyph::GlyphId, f32)>,
    kerns: Vec<OnceLock<Vec<f32>>>,
}

static METRICS: OnceLock<Option<Metrics>> = OnceLock::new();

impl Metrics {
    fn load() -> Option<Self> {
        use ab_glyph::{Font, ScaleFont};
        let font = ab_glyph::FontRef::try_from_slice(FONT_BYTES).ok()?;
        let scaled = font.as_scaled(TEXT_PX);
        let latin = (0u8..=255)
            .map(|b| {
                let id = scaled.glyph_id(char::from(b));
                (id, scaled.h_advance(id))
            })
            .collect();
        let kerns = ASCII.map(|_| OnceLock::new()).collect();
        Some(Metrics { font, latin, kerns })
    }

    /// The kerning between two characters, with their glyphs.
    fn kern(&self, (a, left): (char, ab_glyph::GlyphId), (b, right): (char, ab_glyph::GlyphId)) -> f32 {
        use ab_glyph::{Font, ScaleFont};
        let scaled = self.font.as_scaled(TEXT_PX);
        if !ASCII.contains(&(a as u32)) || !ASCII.contains(&(b as u32)) {
            return scaled.kern(left, right);
        }
        let row = self.kerns[(a as u32 - ASCII.start) as usize]
            .get_or_init(|| ASCII.map(|c| scaled.kern(left, self.latin[c as usize].0)).collect());
        row[(b as u32 - ASCII.start) as usize]
    }
}

/// A drawing surface with the few primitives charts need.
struct Canvas<'a> {
    area: DrawingArea<CompactSvg<'a>, Shift>,
    /// Built once: each TextStyle built from a font name parses the font.
    font: TextStyle<'static>,
}

impl<'a> Canvas<'a> {
    /// A canvas as wide as a chart and taller than any: nothing is clipped.
    fn new(svg: &'a mut String) -> Self {
        let text = TextDefaults { family: "sans-serif", size: FONT / 1.24, ink: INK };
        let area = CompactSvg::new(svg, (WIDTH, u32::from(u16::MAX)), text).into_drawing_area();
        let font = TextStyle::from(("sans-serif", FONT).into_font()).color(&INK);
        Canvas { area, font }
    }
}

impl Canvas<'_> {
    fn style(&self, h: HPos, v: VPos) -> TextStyle<'static> {
        self.font.pos(Pos::new(h, v))
    }
    fn measure(&self, text: &str) -> u32 {
        text_width(text)
    }
    fn text(&self, text: &str, x: i32, y: i32, h: HPos, v: VPos) {
        let _ = self.area.draw(&Text::new(text.to_string(), (x, y), self.style(h, v)));
    }
    fn rect(&self, x0: i32, y0: i32, x1: i32, y1: i32, color: RGBColor) {
        let _ = self.area.draw(&Rectangle::new([(x0.min(x1), y0.min(y1)), (x0.max(x1), y0.max(y1))], color.filled()));
    }
    fn line(&self, points: Vec<(i32, i32)>, color: RGBColor, width: u32) {
        let _ = self.area.draw(&PathElement::new(points, color.stroke_width(width)));
    }
    /// A filled, possibly hatched box for series `i`.
    fn swatch(&self, x0: i32, y0: i32, x1: i32, y1: i32, i: usize) {
        self.rect(x0, y0, x1, y1, PALETTE[i % PALETTE.len()]);
        self.hatch(x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1), i % 3);
    }
    /// White diagonal (1) or horizontal (2) stripes inside a rectangle, each
    /// one polyline so that a hatched bar costs one SVG element.
    fn hatch(&self, x0: i32, y0: i32, x1: i32, y1: i32, kind: usize) {
        if x1 - x0 < 4 || y1 - y0 < 4 {
            return;
        }
        let mut points = Vec::new();
        match kind {
            1 => {
                // Diagonal stripes, joined along the box's edge.
                let (a0, b0, a1, b1) = (x0 + 2, y0 + 2, x1 - 2, y1 - 2);
                let (mut k, mut up) = (a0 + b0 + 4, true);
                while k < a1 + b1 {
                    let low = (a0.max(k - b1), k - a0.max(k - b1));
                    let high = (a1.min(k - b0), k - a1.min(k - b0));
                    let (p, q) = if up { (low, high) } else { (high, low) };
                    points.push(p);
                    points.push(q);
                    up = !up;
                    k += 7;
                }
            }
            2 => {
                let (mut y, mut left) = (y0 + 3, true);
                while y <= y1 - 2 {
                    let (a, b) = if left { (x0 + 2, x1 - 2) } else { (x1 - 2, x0 + 2) };
                    points.push((a, y));
                    points.push((b, y));
                    left = !left;
                    y += 6;
                }
            }
            _ => {}
        }
        if points.len() > 1 {
            self.line(points, WHITE, 2);
        }
    }
}

/// Draws `data` and returns the SVG document. One pass: elements are placed
/// from the top, so the chart is drawn before its height is known, and the
/// height is then written in the document's head (measuring in a first pass
/// and drawing in a second measured every label twice).
pub(super) fn draw(data: &ChartData, fmt: &NumberFormat) -> String {
    let mut body = String::new();
    let height = {
        let canvas = Canvas::new(&mut body);
        plan(&canvas, data, fmt)
    };
    let text = TextDefaults { family: "sans-serif", size: FONT / 1.24, ink: INK };
    svg::document((WIDTH, height.max(1) as u32), text, WHITE, &body)
}

/// Lays out and draws the chart; returns its height.
fn plan(c: &Canvas, data: &ChartData, fmt: &NumberFormat) -> i32 {
    let legend = data.series.len() > 1 || data.kind == ChartKind::Stacked;
    let top = PAD + if legend { draw_legend(c, data) } else { 0 };
    match data.kind {
        ChartKind::Hbar => hbar(c, data, top),
        ChartKind::Bar if labels_too_long(c, data) => hbar(c, data, top),
        ChartKind::Pie => pie(c, data, fmt, top),
        _ => vertical(c, data, fmt, top),
    }
}

fn draw_legend(c: &Canvas, data: &ChartData) -> i32 {
    let (mut x, mut y) = (PAD, PAD);
    for (i, s) in data.series.iter().enumerate() {
        let w = 20 + c.measure(&s.label) as i32 + 18;
        if x + w > WIDTH as i32 - PAD && x > PAD {
            x = PAD;
            y += 22;
        }
        c.swatch(x, y + 2, x + 14, y + 16, i);
        c.text(&s.label, x + 20, y + 9, HPos::Left, VPos::Center);
        x += w;
    }
    y + 22 - PAD + 6
}

/// Vertical bars whose category labels would need more than two lines
/// (or cut a word) under their bar: drawn as horizontal bars instead, where
/// labels have room, so that they are never cut or shrunk on a phone.
fn labels_too_long(c: &Canvas, data: &ChartData) -> bool {
    let n = data.categories.len().max(1) as u32;
    let slot = (WIDTH - 2 * PAD as u32 - 60) / n;
    let room = slot.saturating_sub(6).max(24);
    data.categories.iter().any(|l| {
        let lines = wrap(l, room, 3, |s| c.measure(s));
        lines.len() > 2 || lines.iter().any(|line| line.ends_with('…'))
    })
}

/// Tick label for an axis value, in the report's format.
fn tick(v: f64, step: f64, data: &ChartData, fmt: &NumberFormat) -> String {
    let decimals = if step >= 1.0 { 0 } else { (-step.log10().floor()) as usize + 1 };
    if let Some(unit) = data.series.first().and_then(|s| s.unit.as_deref()) {
        return fmt.with_unit(&fmt.decimal(v, decimals), unit);
    }
    let money = data.series.first().and_then(|s| s.shown.first()).is_some_and(|t| t.contains('$'));
    let percent = data.series.first().and_then(|s| s.shown.first()).is_some_and(|t| t.ends_with('%'));
    if money && decimals == 0 {
        fmt.money(v.round() as i64)
    } else if percent {
        fmt.percent(v, decimals)
    } else {
        fmt.decimal(v, decimals)
    }
}

/// Vertical bars (grouped or stacked) and lines, categories along x.
fn vertical(c: &Canvas, data: &ChartData, fmt: &NumberFormat, top: i32) -> i32 {
    let n = data.categories.len().max(1);
    let stacked = data.kind == ChartKind::Stacked;
    let (min, max) = extent(data, stacked);
    let (lo, hi, step) = nice_scale(min, max, 5);
    let ticks: Vec<f64> = (0..=((hi - lo) / step).round() as i64).map(|k| lo + k as f64 * step).collect();
    let left = PAD + ticks.iter().map(|t| c.measure(&tick(*t, step, data, fmt))).max().unwrap_or(0) as i32 + 8;
    let right = WIDTH as i32 - PAD;
    let slot = (right - left) as f64 / n as f64;
    let labels: Vec<Vec<String>> =
        data.categories.iter().map(|l| wrap(l, (slot as u32).saturating_sub(6).max(24), 3, |s| c.measure(s))).collect();
    let label_lines = labels.iter().map(Vec::len).max().unwrap_or(1) as i32;
    let plot_top = top + LINE;
    let plot_h = 240;
    let bottom = plot_top + plot_h;
    let height = bottom + 8 + label_lines * LINE + PAD;
    let y_of = |v: f64| bottom - ((v - lo) / (hi - lo) * plot_h as f64).round() as i32;
    for t in &ticks {
        c.line(vec![(left, y_of(*t)), (right, y_of(*t))], GRID, 1);
        c.text(&tick(*t, step, data, fmt), left - 6, y_of(*t), HPos::Right, VPos::Center);
    }
    for (i, lines) in labels.iter().enumerate() {
        let cx = left + (slot * (i as f64 + 0.5)).round() as i32;
        for (k, line) in lines.iter().enumerate() {
            c.text(line, cx, bottom + 8 + k as i32 * LINE, HPos::Center, VPos::Top);
        }
    }
    match data.kind {
        ChartKind::Line => lines(c, data, left, slot, &y_of),
        _ if stacked => stacks(c, data, left, slot, &y_of, fmt),
        _ => bars(c, data, left, slot, &y_of),
    }
    c.line(vec![(left, y_of(0.0)), (right, y_of(0.0))], INK, 1);
    height
}

fn extent(data: &ChartData, stacked: bool) -> (f64, f64) {
    let (mut min, mut max) = (0.0f64, 0.0f64);
    for i in 0..data.categories.len() {
        let values = data.series.iter().filter_map(|s| s.values[i]);
        if stacked {
            let (neg, pos): (Vec<f64>, Vec<f64>) = values.partition(|v| *v < 0.0);
            min = min.min(neg.iter().sum());
            max = max.max(pos.iter().sum());
        } else {
            for v in values {
                min = min.min(v);
                max = max.max(v);
            }
        }
    }
    (min, max)
}

fn bars(c: &Canvas, data: &ChartData, left: i32, slot: f64, y_of: &dyn Fn(f64) -> i32) {
    let s = data.series.len().max(1);
    let bar = slot * 0.78 / s as f64;
    for i in 0..data.categories.len() {
        let start = left as f64 + slot * i as f64 + slot * 0.11;
        for (k, series) in data.series.iter().enumerate() {
            let Some(v) = series.values[i] else { continue };
            let x0 = (start + bar * k as f64).round() as i32;
            let x1 = (start + bar * (k + 1) as f64).round() as i32 - 1;
            c.swatch(x0, y_of(0.0), x1, y_of(v), k);
            if c.measure(&series.shown[i]) as f64 <= bar + slot * 0.1 {
                let (y, vpos) = if v >= 0.0 { (y_of(v) - 3, VPos::Bottom) } else { (y_of(v) + 3, VPos::Top) };
                c.text(&series.shown[i], (x0 + x1) / 2, y, HPos::Center, vpos);
            }
        }
    }
}

fn stacks(c: &Canvas, data: &ChartData, left: i32, slot: f64, y_of: &dyn Fn(f64) -> i32, fmt: &NumberFormat) {
    for i in 0..data.categories.len() {
        let x0 = (left as f64 + slot * i as f64 + slot * 0.2).round() as i32;
        let x1 = (left as f64 + slot * (i as f64 + 0.8)).round() as i32;
        let (mut pos, mut neg) = (0.0, 0.0);
        for (k, series) in data.series.iter().enumerate() {
            let Some(v) = series.values[i] else { continue };
            let base = if v >= 0.0 { &mut pos } else { &mut neg };
            c.swatch(x0, y_of(*base), x1, y_of(*base + v), k);
            *base += v;
        }
        let total = tick(pos + neg, 1.0, data, fmt);
        if c.measure(&total) as f64 <= slot {
            c.text(&total, (x0 + x1) / 2, y_of(pos) - 3, HPos::Center, VPos::Bottom);
        }
    }
}

fn lines(c: &Canvas, data: &ChartData, left: i32, slot: f64, y_of: &dyn Fn(f64) -> i32) {
    for (k, series) in data.series.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let points: Vec<(i32, i32)> = series
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (left + (slot * (i as f64 + 0.5)).round() as i32, y_of(v))))
            .collect();
        c.line(points.clone(), color, 3);
        for (i, (x, y)) in points.iter().enumerate() {
            // A different marker per series keeps lines apart in black and white.
            let r = 5;
            match k % 3 {
                0 => drop(c.area.draw(&Circle::new((*x, *y), r, color.filled()))),
                1 => c.rect(x - r, y - r, x + r, y + r, color),
                _ => drop(c.area.draw(&Polygon::new(
                    vec![(*x, y - r - 1), (x + r + 1, *y), (*x, y + r + 1), (x - r - 1, *y)],
                    color.filled(),
                ))),
            }
            if data.series.len() == 1 {
                c.text(&series.shown[i], *x, y - 8, HPos::Center, VPos::Bottom);
            }
        }
    }
}

/// Horizontal bars: one band per category, labels wrapped on the left and
/// values printed at the end of each bar.
fn hbar(c: &Canvas, data: &ChartData, top: i32) -> i32 {
    let s = data.series.len().max(1) as i32;
    let widest = data.categories.iter().map(|l| c.measure(l)).max().unwrap_or(0);
    let label_w = widest.min(WIDTH * 36 / 100) as i32;
    let labels: Vec<Vec<String>> =
        data.categories.iter().map(|l| wrap(l, label_w as u32, 3, |t| c.measure(t))).collect();
    let value_w = data.series.iter().flat_map(|x| x.shown.iter()).map(|t| c.measure(t)).max().unwrap_or(0) as i32;
    let x0 = PAD + label_w + 10;
    let x1 = WIDTH as i32 - PAD - value_w - 8;
    let (min, max) = extent(data, false);
    let span = if max - min > 0.0 { max - min } else { 1.0 };
    let x_of = |v: f64| x0 + ((v - min) / span * (x1 - x0) as f64).round() as i32;
    let bar_h = 18;
    let mut y = top;
    for (i, lines) in labels.iter().enumerate() {
        let band = (s * (bar_h + 2) + 10).max(lines.len() as i32 * LINE + 10);
        let label_top = y + (band - lines.len() as i32 * LINE) / 2;
        for (k, line) in lines.iter().enumerate() {
            c.text(line, x0 - 10, label_top + k as i32 * LINE + LINE / 2, HPos::Right, VPos::Center);
        }
        let bars_top = y + (band - s * (bar_h + 2)) / 2;
        for (k, series) in data.series.iter().enumerate() {
            let Some(v) = series.values[i] else { continue };
            let by = bars_top + k as i32 * (bar_h + 2);
            c.swatch(x_of(0.0), by, x_of(v), by + bar_h, k);
            let tx = x_of(v.max(0.0)) + 5;
            c.text(&series.shown[i], tx, by + bar_h / 2, HPos::Left, VPos::Center);
        }

        y += band;
    }
    c.line(vec![(x_of(0.0), top), (x_of(0.0), y)], INK, 1);

    y + PAD
}

/// A pie of the first series: slices numbered, legend with values and shares.
fn pie(c: &Canvas, data: &ChartData, fmt: &NumberFormat, top: i32) -> i32 {
    let Some(series) = data.series.first() else { return top + PAD };
    let r = 110;
    // The legend sits beside the pie while it has room, else below it.
    let beside = WIDTH as i32 - 2 * PAD - 2 * r - 30 >= 200;
    let cx = if beside { PAD + r } else { WIDTH as i32 / 2 };
    let cy = top + r + 4;
    let total: f64 = series.values.iter().flatten().filter(|v| **v > 0.0).sum();
    let lx = if beside { cx + r + 30 } else { PAD };
    let legend_w = (WIDTH as i32 - PAD - lx - 22).max(80) as u32;
    let mut ly = if beside { top + 4 } else { cy + r + 16 };
    let mut angle = -90.0f64;
    for (i, category) in data.categories.iter().enumerate() {
        let v = series.values[i].unwrap_or(0.0);
        let share = if total > 0.0 && v > 0.0 { v / total } else { 0.0 };
        // Every slice is in the legend with its figure and share, each kept
        // whole on its line by no-break spaces.
        let figure = format!("{} ({})", series.shown[i], fmt.percent(share * 100.0, 1)).replace(' ', "\u{a0}");
        let text = format!("{}. {category}: {figure}", i + 1);
        let lines = wrap(&text, legend_w, 3, |t| c.measure(t));
        c.swatch(lx, ly + 2, lx + 14, ly + 16, i);
        for (k, line) in lines.iter().enumerate() {
            c.text(line, lx + 22, ly + 9 + k as i32 * LINE, HPos::Left, VPos::Center);
        }
        if share > 0.0 {
            slice(c, (cx, cy), r, angle, share * 360.0, i);
        }

        angle += share * 360.0;
        ly += lines.len() as i32 * LINE + 6;
    }
    (cy + r + PAD).max(ly + PAD)
}

fn slice(c: &Canvas, center: (i32, i32), r: i32, start: f64, sweep: f64, i: usize) {
    let steps = (sweep.ceil() as usize).max(2);
    let mut points = vec![center];
    for k in 0..=steps {
        let a = (start + sweep * k as f64 / steps as f64).to_radians();
        points.push((center.0 + (r as f64 * a.cos()).round() as i32, center.1 + (r as f64 * a.sin()).round() as i32));
    }
    let _ = c.area.draw(&Polygon::new(points, PALETTE[i % PALETTE.len()].filled()));
    let a = start.to_radians();
    c.line(
        vec![center, (center.0 + (r as f64 * a.cos()).round() as i32, center.1 + (r as f64 * a.sin()).round() as i32)],
        WHITE,
        2,
    );
    if sweep >= 14.0 {
        let mid = (start + sweep / 2.0).to_radians();
        let (x, y) = (
            center.0 + (r as f64 * 0.68 * mid.cos()).round() as i32,
            center.1 + (r as f64 * 0.68 * mid.sin()).round() as i32,
        );
        let _ = c.area.draw(&Circle::new((x, y), 11, WHITE.filled()));
        c.text(&(i + 1).to_string(), x, y, HPos::Center, VPos::Center);
    }
}
