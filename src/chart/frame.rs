//! A small drawing layer over a plotters drawing area: text, lines, bands, axes, legends and
//! the layout every chart shares (title, subtitle, legend, plot, footnote). Everything is laid
//! out in pixels scaled from a 1600x900 design, so text stays readable at any size.

use std::cell::RefCell;

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontStyle, FontTransform, IntoFont, RGBColor, ShapeStyle, TextStyle};

use super::ChartError;
use super::style::{Dash, FONT, Palette, nice_range, nice_ticks};
use crate::numbers::{decimals_for, number};

pub type Drawn = Result<(), ChartError>;

fn draw_err(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// Text sizes at the 1600x900 design size, in pixels.
pub mod size {
    pub const TITLE: f64 = 46.0;
    pub const SUBTITLE: f64 = 29.0;
    pub const LEGEND: f64 = 27.0;
    pub const AXIS_LABEL: f64 = 27.0;
    pub const TICK: f64 = 25.0;
    pub const ANNOTATION: f64 = 24.0;
    pub const PANEL_TITLE: f64 = 25.0;
    pub const NOTE: f64 = 20.0;
    /// The smallest text any chart draws: text that does not fit at its size shrinks to
    /// this, and wraps, before anything is cut.
    pub const MIN: f64 = NOTE;
}

/// A drawing area with its palette and scale.
pub struct Canvas<'a, DB: DrawingBackend> {
    pub area: &'a DrawingArea<DB, Shift>,
    pub pal: &'a Palette,
    pub w: i32,
    pub h: i32,
    /// Scale from the 1600x900 design.
    pub s: f64,
    /// Every text drawn, with its box: what the layout tests check.
    placed: RefCell<Vec<PlacedText>>,
}

/// A text as drawn: its content, its box in pixels and its size.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedText {
    /// The text.
    pub text: String,
    /// Left, top, right and bottom edges, in pixels.
    pub bounds: (i32, i32, i32, i32),
    /// Font size in pixels (after scaling).
    pub px: f64,
    /// What it is: `x tick` or `y tick` for an axis's tick labels, else `text`.
    pub role: &'static str,
}

/// Text set to fit a width: its lines and the size they are drawn at.
#[derive(Clone, Debug)]
pub struct Block {
    pub lines: Vec<String>,
    /// Design size (before scaling), at most the size asked for.
    pub px: f64,
    pub bold: bool,
    /// Whether it was cut (it fits at no size in the lines allowed).
    pub cut: bool,
}

/// Line height as a multiple of the text size, in wrapped text.
pub const LINE_SPACING: f64 = 1.2;

/// Where a text's anchor point sits on the text.
#[derive(Clone, Copy)]
pub struct Anchor(pub HPos, pub VPos);

pub const TOP_LEFT: Anchor = Anchor(HPos::Left, VPos::Top);
pub const TOP_CENTER: Anchor = Anchor(HPos::Center, VPos::Top);
pub const CENTER_LEFT: Anchor = Anchor(HPos::Left, VPos::Center);
pub const CENTER_RIGHT: Anchor = Anchor(HPos::Right, VPos::Center);
pub const CENTER: Anchor = Anchor(HPos::Center, VPos::Center);
pub const BOTTOM_LEFT: Anchor = Anchor(HPos::Left, VPos::Bottom);

/// Tick values on one axis and how to print them.
#[derive(Clone, Debug)]
pub struct Ticks {
    pub values: Vec<f64>,
    pub decimals: usize,
    /// Print as percentages (values are shares in 0..1).
    pub percent: bool,
}

impl Ticks {
    /// Round ticks covering `lo..hi` and the range they span (its ends are ticks).
    pub fn covering(lo: f64, hi: f64, target: usize, percent: bool) -> (Ticks, (f64, f64)) {
        let (lo2, hi2) = nice_range(lo, hi, target);
        let (_, step) = nice_ticks(lo, hi, target);
        let n = ((hi2 - lo2) / step).round() as i64;
        let values = (0..=n)
            .map(|k| lo2 + k as f64 * step)
            .map(|t| if t.abs() < step * 1e-9 { 0.0 } else { t })
            .collect();
        let decimals = if percent {
            decimals_for(step * 100.0)
        } else {
            decimals_for(step)
        };
        (
            Ticks {
                values,
                decimals,
                percent,
            },
            (lo2, hi2),
        )
    }

    /// Ticks for a time axis from `lo` to `hi` (the run's start and end): the axis spans
    /// exactly that, so its last tick is the run's end, not a round number past it. A step
    /// that divides the span evenly is preferred (12 years: 0, 2, ..., 12 or 0, 4, 8, 12);
    /// otherwise round steps, with the end added as the last tick (and a round tick too
    /// close before it dropped).
    pub fn time(lo: f64, hi: f64, target: usize) -> (Ticks, (f64, f64)) {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let span = hi - lo;
        let target = target.max(2) as f64;
        let mag = libm::pow(10.0, libm::log10(span / target).floor());
        // Steps that divide the span, from the roundest; the one nearest the target count
        // of intervals wins, if it is within a factor of 1.6 of it.
        let even = [1.0, 2.0, 5.0, 2.5, 3.0, 4.0, 6.0]
            .iter()
            .flat_map(|m| [m * mag, m * mag * 10.0, m * mag / 10.0])
            .filter(|step| {
                let n = span / step;
                (n - n.round()).abs() < 1e-6 && ((lo / step) - (lo / step).round()).abs() < 1e-6
            })
            .map(|step| (step, span / step))
            .filter(|&(_, n)| n >= target / 1.6 && n <= target * 1.6)
            .min_by(|a, b| {
                let off = |n: f64| libm::log(n / target).abs();
                off(a.1).total_cmp(&off(b.1))
            });
        let (values, step) = match even {
            Some((step, n)) => {
                let n = n.round() as i64;
                ((0..=n).map(|k| lo + k as f64 * step).collect(), step)
            }
            None => {
                let (mut values, step) = nice_ticks(lo, hi, target as usize);
                values.retain(|&v| v >= lo - 1e-9 && hi - v >= 0.3 * step);
                values.push(hi);
                (values, step)
            }
        };
        let decimals = decimals_for(step)
            .max(decimals_for(hi).min(2))
            .max(decimals_for(lo).min(2));
        let values = values
            .into_iter()
            .map(|t: f64| if t.abs() < step * 1e-9 { 0.0 } else { t })
            .collect();
        (
            Ticks {
                values,
                decimals,
                percent: false,
            },
            (lo, hi),
        )
    }

    pub fn label(&self, v: f64) -> String {
        if self.percent {
            format!("{}%", number(v * 100.0, self.decimals))
        } else {
            number(v, self.decimals)
        }
    }
}

/// A plot's pixel box and the data ranges it maps.
#[derive(Clone, Debug)]
pub struct Panel {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
    pub xr: (f64, f64),
    pub yr: (f64, f64),
}

impl Panel {
    pub fn px(&self, x: f64, y: f64) -> (i32, i32) {
        (self.x_px(x), self.y_px(y))
    }

    pub fn x_px(&self, x: f64) -> i32 {
        let t = (x - self.xr.0) / (self.xr.1 - self.xr.0);
        self.x0 + (t * f64::from(self.x1 - self.x0)).round() as i32
    }

    pub fn y_px(&self, y: f64) -> i32 {
        let t = (y - self.yr.0) / (self.yr.1 - self.yr.0);
        self.y1 - (t * f64::from(self.y1 - self.y0)).round() as i32
    }

    fn clamp_y(&self, y: f64) -> f64 {
        y.clamp(self.yr.0, self.yr.1)
    }
}

/// A legend entry.
#[derive(Clone, Debug)]
pub struct LegendItem {
    pub label: String,
    pub color: RGBColor,
    pub dash: Dash,
    /// What stands beside the label.
    pub sample: Sample,
}

/// The mark beside a legend label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sample {
    /// A line in the item's colour and pattern.
    Line,
    /// A filled block in the item's colour.
    Swatch,
    /// None: the label is a heading for the items after it, and starts a new row.
    Heading,
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    pub fn new(area: &'a DrawingArea<DB, Shift>, pal: &'a Palette) -> Canvas<'a, DB> {
        let (w, h) = area.dim_in_pixel();
        let s = (f64::from(w) / 1600.0).min(f64::from(h) / 900.0);
        Canvas {
            area,
            pal,
            w: w as i32,
            h: h as i32,
            s,
            placed: RefCell::new(Vec::new()),
        }
    }

    /// The texts drawn so far, in order.
    pub fn placed(&self) -> Vec<PlacedText> {
        self.placed.borrow().clone()
    }

    /// The box of `text` drawn at `at` with `anchor`.
    fn bounds(
        &self,
        text: &str,
        at: (i32, i32),
        px: f64,
        bold: bool,
        anchor: Anchor,
    ) -> (i32, i32, i32, i32) {
        let (w, h) = self.measure(text, px, bold);
        let x = match anchor.0 {
            HPos::Left => at.0,
            HPos::Center => at.0 - w / 2,
            HPos::Right => at.0 - w,
        };
        let y = match anchor.1 {
            VPos::Top => at.1,
            VPos::Center => at.1 - h / 2,
            VPos::Bottom => at.1 - h,
        };
        (x, y, x + w, y + h)
    }

    fn record(&self, text: &str, bounds: (i32, i32, i32, i32), px: f64) {
        self.placed.borrow_mut().push(PlacedText {
            text: text.to_string(),
            bounds,
            px: (px * self.s).max(12.0),
            role: "text",
        });
    }

    /// Marks the text drawn last as playing `role`.
    fn mark_last(&self, role: &'static str) {
        if let Some(last) = self.placed.borrow_mut().last_mut() {
            last.role = role;
        }
    }

    /// `v` design pixels at this size.
    pub fn px(&self, v: f64) -> i32 {
        (v * self.s).round() as i32
    }

    /// A stroke width of `v` design pixels, at least 1.
    pub fn stroke(&self, v: f64) -> u32 {
        ((v * self.s).round() as u32).max(1)
    }

    pub fn style(
        &self,
        px: f64,
        bold: bool,
        color: RGBColor,
        anchor: Anchor,
    ) -> TextStyle<'static> {
        // Small charts keep their text legible: never under 12 pixels.
        let size = (px * self.s).max(12.0);
        let font = if bold {
            (FONT, size, FontStyle::Bold).into_font()
        } else {
            (FONT, size).into_font()
        };
        TextStyle {
            font,
            color: color.to_backend_color(),
            pos: Pos::new(anchor.0, anchor.1),
        }
    }

    pub fn fill(&self) -> Drawn {
        self.area.fill(&self.pal.background).map_err(draw_err)
    }

    pub fn text(
        &self,
        text: &str,
        at: (i32, i32),
        px: f64,
        bold: bool,
        color: RGBColor,
        anchor: Anchor,
    ) -> Drawn {
        self.record(text, self.bounds(text, at, px, bold, anchor), px);
        let style = self.style(px, bold, color, anchor);
        self.area
            .draw(&Text::new(text.to_string(), at, style))
            .map_err(draw_err)
    }

    /// Text on a box of the background colour, so it stays legible over lines and grid.
    #[allow(clippy::too_many_arguments)]
    pub fn label(
        &self,
        text: &str,
        at: (i32, i32),
        px: f64,
        bold: bool,
        color: RGBColor,
        anchor: Anchor,
    ) -> Drawn {
        let (x0, y0, x1, y1) = self.bounds(text, at, px, bold, anchor);
        let pad = self.px(4.0);
        self.rect(
            (x0 - pad, y0 - pad),
            (x1 + pad, y1 + pad),
            self.pal.background,
            1.0,
        )?;
        self.text(text, at, px, bold, color, anchor)
    }

    /// A block's lines from `at` (its top left) on a box of the background colour.
    pub fn label_block(&self, b: &Block, at: (i32, i32), color: RGBColor) -> Drawn {
        let (w, h) = self.block_size(b);
        let pad = self.px(4.0);
        self.rect(
            (at.0 - pad, at.1 - pad),
            (at.0 + w + pad, at.1 + h + pad),
            self.pal.background,
            1.0,
        )?;
        self.block(b, at, color, HPos::Left).map(|_| ())
    }

    /// The width and height of a block's lines.
    pub fn block_size(&self, b: &Block) -> (i32, i32) {
        let w = b
            .lines
            .iter()
            .map(|l| self.measure(l, b.px, b.bold).0)
            .max()
            .unwrap_or(0);
        let step = self.px(b.px * LINE_SPACING);
        let last = b
            .lines
            .last()
            .map_or(0, |l| self.measure(l, b.px, b.bold).1);
        (w, step * (b.lines.len() as i32 - 1).max(0) + last)
    }

    /// Text turned a quarter anticlockwise (a y-axis label), centred on `at`.
    pub fn text_up(&self, text: &str, at: (i32, i32), px: f64, color: RGBColor) -> Drawn {
        let (w, h) = self.measure(text, px, false);
        self.record(
            text,
            (at.0 - h / 2, at.1 - w / 2, at.0 + h / 2, at.1 + w / 2),
            px,
        );
        let style = self
            .style(px, false, color, CENTER)
            .transform(FontTransform::Rotate270);
        self.area
            .draw(&Text::new(text.to_string(), at, style))
            .map_err(draw_err)
    }

    /// The width and height of `text` in pixels.
    pub fn measure(&self, text: &str, px: f64, bold: bool) -> (i32, i32) {
        let style = self.style(px, bold, self.pal.text, TOP_LEFT);
        self.area
            .estimate_text_size(text, &style)
            .map(|(w, h)| (w as i32, h as i32))
            .unwrap_or((0, 0))
    }

    /// `text` cut (with an ellipsis) to fit `max_w` pixels: the last resort of [`Canvas::set`].
    fn cut(&self, text: &str, px: f64, bold: bool, max_w: i32) -> String {
        if self.measure(text, px, bold).0 <= max_w {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        for keep in (1..chars.len()).rev() {
            let cut: String = chars[..keep]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string()
                + "\u{2026}";
            if self.measure(&cut, px, bold).0 <= max_w {
                return cut;
            }
        }
        String::new()
    }

    /// `text` in lines of at most `max_w` pixels at design size `px`, broken at spaces and
    /// after hyphens; None if a piece between breaks is itself wider than `max_w`.
    fn wrap(&self, text: &str, px: f64, bold: bool, max_w: i32) -> Option<Vec<String>> {
        let mut pieces: Vec<String> = Vec::new();
        let mut piece = String::new();
        for ch in text.chars() {
            piece.push(ch);
            if ch == ' ' || ch == '-' {
                pieces.push(std::mem::take(&mut piece));
            }
        }
        if !piece.is_empty() {
            pieces.push(piece);
        }
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for piece in pieces {
            let joined = format!("{line}{piece}");
            if line.is_empty() || self.measure(joined.trim_end(), px, bold).0 <= max_w {
                line = joined;
            } else {
                lines.push(line.trim_end().to_string());
                line = piece;
            }
            if self.measure(line.trim_end(), px, bold).0 > max_w {
                return None;
            }
        }
        if !line.trim().is_empty() || lines.is_empty() {
            lines.push(line.trim_end().to_string());
        }
        Some(lines)
    }

    /// `text` set within `max_w` pixels in at most `max_lines` lines: at design size `px`
    /// if it fits (wrapped at spaces and after hyphens), else at the largest smaller size
    /// down to `min_px` that fits. Only text that fits at no size (a word wider than `max_w`
    /// at `min_px`, or more lines than allowed) is cut, with an ellipsis; [`Block::cut`]
    /// says so.
    pub fn set_between(
        &self,
        text: &str,
        px: f64,
        min_px: f64,
        bold: bool,
        max_w: i32,
        max_lines: usize,
    ) -> Block {
        let max_lines = max_lines.max(1);
        let mut size = px;
        loop {
            if let Some(lines) = self.wrap(text, size, bold, max_w)
                && lines.len() <= max_lines
            {
                return Block {
                    lines,
                    px: size,
                    bold,
                    cut: false,
                };
            }
            // Below a 12-pixel floor sizes no longer differ (see `style`).
            if size <= min_px || (size * self.s) <= 12.0 {
                break;
            }
            size = (size - 1.0).max(min_px);
        }
        let size = min_px.min(px);
        let mut lines = self
            .wrap(text, size, bold, max_w)
            .unwrap_or_else(|| vec![text.to_string()]);
        let rest = lines.split_off((max_lines - 1).min(lines.len()));
        lines.push(rest.join(" "));
        let lines = lines
            .iter()
            .map(|l| self.cut(l, size, bold, max_w))
            .collect();
        Block {
            lines,
            px: size,
            bold,
            cut: true,
        }
    }

    /// [`Canvas::set_between`] down to the smallest text size, [`size::MIN`].
    pub fn set(&self, text: &str, px: f64, bold: bool, max_w: i32, max_lines: usize) -> Block {
        self.set_between(text, px, size::MIN.min(px), bold, max_w, max_lines)
    }

    /// Draws a block's lines one under the other from `at`, each aligned by `h`; returns the
    /// y below the block.
    pub fn block(
        &self,
        b: &Block,
        at: (i32, i32),
        color: RGBColor,
        h: HPos,
    ) -> Result<i32, ChartError> {
        let step = self.px(b.px * LINE_SPACING);
        let mut y = at.1;
        for line in &b.lines {
            self.text(line, (at.0, y), b.px, b.bold, color, Anchor(h, VPos::Top))?;
            y += step;
        }
        Ok(y)
    }

    pub fn line(&self, pts: Vec<(i32, i32)>, color: RGBColor, width: u32, dash: Dash) -> Drawn {
        if pts.len() < 2 {
            return Ok(());
        }
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: width,
        };
        match dash.pattern(width) {
            None => self.area.draw(&PathElement::new(pts, style)),
            Some((on, off)) => self
                .area
                .draw(&DashedPathElement::new(pts, on as i32, off as i32, style)),
        }
        .map_err(draw_err)
    }

    pub fn rect(&self, a: (i32, i32), b: (i32, i32), color: RGBColor, opacity: f64) -> Drawn {
        self.area
            .draw(&Rectangle::new([a, b], color.mix(opacity).filled()))
            .map_err(draw_err)
    }

    pub fn outline(&self, a: (i32, i32), b: (i32, i32), color: RGBColor, width: u32) -> Drawn {
        self.area
            .draw(&Rectangle::new([a, b], color.stroke_width(width)))
            .map_err(draw_err)
    }

    pub fn polygon(&self, pts: Vec<(i32, i32)>, color: RGBColor, opacity: f64) -> Drawn {
        if pts.len() < 3 {
            return Ok(());
        }
        self.area
            .draw(&Polygon::new(pts, color.mix(opacity).filled()))
            .map_err(draw_err)
    }

    pub fn dot(&self, at: (i32, i32), r: i32, color: RGBColor) -> Drawn {
        self.area
            .draw(&Circle::new(at, r, color.filled()))
            .map_err(draw_err)
    }

    /// The title and subtitle at the top left, each wrapped to two lines (and made smaller,
    /// to the subtitle's size for a title) before anything is cut; returns the y below them.
    pub fn header(&self, title: &str, subtitle: &str) -> Result<i32, ChartError> {
        self.header_at(title, subtitle, true)
    }

    /// The y below the header [`Canvas::header`] would draw, without drawing it.
    pub fn header_bottom(&self, title: &str, subtitle: &str) -> i32 {
        self.header_at(title, subtitle, false).unwrap_or(0)
    }

    fn header_at(&self, title: &str, subtitle: &str, draw: bool) -> Result<i32, ChartError> {
        let margin = self.px(36.0);
        let max_w = self.w - 2 * margin;
        let mut title_block = self.set_between(title, size::TITLE, size::SUBTITLE, true, max_w, 2);
        if title_block.cut {
            title_block = self.set(title, size::TITLE, true, max_w, 3);
        }
        let mut y = self.px(28.0);
        if draw {
            self.block(&title_block, (margin, y), self.pal.text, HPos::Left)?;
        }
        y += self.px(title_block.px * LINE_SPACING) * title_block.lines.len() as i32;
        y += self.px(title_block.px * 0.05);
        if !subtitle.is_empty() {
            let mut sub = self.set(subtitle, size::SUBTITLE, false, max_w, 2);
            if sub.cut {
                sub = self.set(subtitle, size::SUBTITLE, false, max_w, 3);
            }
            if draw {
                self.block(&sub, (margin, y), self.pal.muted, HPos::Left)?;
            }
            y += self.px(sub.px * LINE_SPACING) * sub.lines.len() as i32;
            y += self.px(sub.px * 0.15);
        }
        Ok(y)
    }

    /// A legend in rows from `(x, y)`, wrapping at `max_x`; returns the y below it.
    pub fn legend(
        &self,
        items: &[LegendItem],
        x: i32,
        y: i32,
        max_x: i32,
    ) -> Result<i32, ChartError> {
        self.legend_at(items, (x, y), max_x, true)
    }

    /// The y below the legend [`Canvas::legend`] would draw, without drawing it.
    pub fn legend_bottom(&self, items: &[LegendItem], x: i32, y: i32, max_x: i32) -> i32 {
        self.legend_at(items, (x, y), max_x, false).unwrap_or(y)
    }

    fn legend_at(
        &self,
        items: &[LegendItem],
        (x, y): (i32, i32),
        max_x: i32,
        draw: bool,
    ) -> Result<i32, ChartError> {
        if items.is_empty() {
            return Ok(y);
        }
        let sample = self.px(54.0);
        let gap = self.px(12.0);
        let spacing = self.px(38.0);
        let row_h = self.px(size::LEGEND * 1.45);
        let (mut cx, mut cy) = (x, y + self.px(6.0));
        for item in items {
            let set = self.set(
                &item.label,
                size::LEGEND,
                false,
                max_x - x - sample - gap,
                1,
            );
            let (label, px) = (set.lines.join(" "), set.px);
            let tw = self.measure(&label, px, false).0;
            if item.sample == Sample::Heading {
                if cx > x {
                    cx = x;
                    cy += row_h;
                }
                if draw {
                    self.text(
                        &label,
                        (cx, cy + row_h / 2),
                        px,
                        false,
                        self.pal.muted,
                        CENTER_LEFT,
                    )?;
                }
                cx += tw + gap * 2;
                continue;
            }
            let need = sample + gap + tw;
            if cx > x && cx + need > max_x {
                cx = x;
                cy += row_h;
            }
            let mid = cy + row_h / 2;
            if !draw {
            } else if item.sample == Sample::Swatch {
                self.rect(
                    (cx, mid - self.px(11.0)),
                    (cx + sample, mid + self.px(11.0)),
                    item.color,
                    0.55,
                )?;
            } else {
                self.line(
                    vec![(cx, mid), (cx + sample, mid)],
                    item.color,
                    self.stroke(5.0),
                    item.dash,
                )?;
            }
            if draw {
                self.text(
                    &label,
                    (cx + sample + gap, mid),
                    px,
                    false,
                    self.pal.text,
                    CENTER_LEFT,
                )?;
            }
            cx += need + spacing;
        }
        Ok(cy + row_h + self.px(16.0))
    }

    /// Footnote lines at the bottom left, each wrapped to the width (at most three lines);
    /// returns the y above them.
    pub fn footnote(&self, lines: &[String]) -> Result<i32, ChartError> {
        let margin = self.px(36.0);
        let line_h = self.px(size::NOTE * 1.35);
        let mut y = self.h - self.px(20.0);
        for note in lines.iter().rev() {
            let set = self.set(note, size::NOTE, false, self.w - 2 * margin, 3);
            for line in set.lines.iter().rev() {
                self.text(
                    line,
                    (margin, y),
                    set.px,
                    false,
                    self.pal.muted,
                    BOTTOM_LEFT,
                )?;
                y -= line_h;
            }
        }
        Ok(y - self.px(8.0))
    }

    /// The y above the footnote `lines` would take (as [`Canvas::footnote`] returns it),
    /// without drawing them.
    pub fn footnote_top(&self, lines: &[String]) -> i32 {
        let margin = self.px(36.0);
        let line_h = self.px(size::NOTE * 1.35);
        let n: usize = lines
            .iter()
            .map(|l| {
                self.set(l, size::NOTE, false, self.w - 2 * margin, 3)
                    .lines
                    .len()
            })
            .sum();
        self.h - self.px(20.0) - n as i32 * line_h - self.px(8.0)
    }

    /// The lines a y-axis label takes along a plot `height` pixels high (1 or 2).
    pub fn ylabel_lines(&self, label: &str, height: i32) -> usize {
        self.set(label, size::AXIS_LABEL, false, height, 2)
            .lines
            .len()
    }

    /// The pixel box for a plot between `top` and `bottom`, `left` and `right`, leaving room
    /// for the y tick labels and axis label on the left and the x ticks and label below.
    #[allow(clippy::too_many_arguments)]
    pub fn plot_box(
        &self,
        left: i32,
        top: i32,
        right: i32,
        bottom: i32,
        yticks: &Ticks,
        ylabel_lines: usize,
        xlabel: bool,
        tick_px: f64,
    ) -> (i32, i32, i32, i32) {
        let widest = yticks
            .values
            .iter()
            .map(|&v| self.measure(&yticks.label(v), tick_px, false).0)
            .max()
            .unwrap_or(0);
        let mut x0 = left + widest + self.px(12.0);
        if ylabel_lines > 0 {
            x0 += self.px(size::AXIS_LABEL * (1.5 + LINE_SPACING * (ylabel_lines - 1) as f64));
        }
        let mut y1 = bottom - self.px(tick_px * 1.5);
        if xlabel {
            y1 -= self.px(size::AXIS_LABEL * 1.45);
        }
        (x0, top, right, y1)
    }

    /// Grid lines, tick labels, the frame's bottom and left edges, and axis labels.
    #[allow(clippy::too_many_arguments)]
    pub fn axes(
        &self,
        p: &Panel,
        xticks: &Ticks,
        yticks: &Ticks,
        xlabel: Option<&str>,
        ylabel: Option<&str>,
        tick_px: f64,
        xtick_labels: bool,
    ) -> Drawn {
        let grid = self.stroke(1.5);
        for &v in &yticks.values {
            let y = p.y_px(v);
            if v != p.yr.0 {
                self.line(vec![(p.x0, y), (p.x1, y)], self.pal.grid, grid, Dash::Solid)?;
            }
            self.text(
                &yticks.label(v),
                (p.x0 - self.px(10.0), y),
                tick_px,
                false,
                self.pal.muted,
                CENTER_RIGHT,
            )?;
            self.mark_last("y tick");
        }
        let axis = self.stroke(2.0);
        self.line(
            vec![(p.x0, p.y1), (p.x1, p.y1)],
            self.pal.axis,
            axis,
            Dash::Solid,
        )?;
        self.line(
            vec![(p.x0, p.y0), (p.x0, p.y1)],
            self.pal.axis,
            axis,
            Dash::Solid,
        )?;
        for &v in &xticks.values {
            let x = p.x_px(v);
            self.line(
                vec![(x, p.y1), (x, p.y1 + self.px(7.0))],
                self.pal.axis,
                axis,
                Dash::Solid,
            )?;
            if xtick_labels {
                // A wide label at either end of the axis is aligned inside it, so it cannot
                // run into a neighbouring panel.
                let text = xticks.label(v);
                let half = self.measure(&text, tick_px, false).0 / 2;
                let allow = self.px(20.0);
                let anchor = if x - half < p.x0 - allow {
                    Anchor(HPos::Left, VPos::Top)
                } else if x + half > p.x1 + allow {
                    Anchor(HPos::Right, VPos::Top)
                } else {
                    TOP_CENTER
                };
                let x = match anchor.0 {
                    HPos::Left => p.x0 - allow,
                    HPos::Right => p.x1 + allow,
                    HPos::Center => x,
                };
                self.text(
                    &text,
                    (x, p.y1 + self.px(10.0)),
                    tick_px,
                    false,
                    self.pal.muted,
                    anchor,
                )?;
                self.mark_last("x tick");
            }
        }
        if let Some(label) = xlabel {
            self.text(
                label,
                ((p.x0 + p.x1) / 2, p.y1 + self.px(10.0 + tick_px * 1.3)),
                size::AXIS_LABEL,
                false,
                self.pal.text,
                TOP_CENTER,
            )?;
        }
        if let Some(label) = ylabel {
            let widest = yticks
                .values
                .iter()
                .map(|&v| self.measure(&yticks.label(v), tick_px, false).0)
                .max()
                .unwrap_or(0);
            let set = self.set(label, size::AXIS_LABEL, false, p.y1 - p.y0, 2);
            let step = self.px(set.px * LINE_SPACING);
            let last = p.x0 - self.px(12.0) - widest - self.px(size::AXIS_LABEL * 0.8);
            let n = set.lines.len() as i32;
            for (i, line) in set.lines.iter().enumerate() {
                let x = last - (n - 1 - i as i32) * step;
                self.text_up(line, (x, (p.y0 + p.y1) / 2), set.px, self.pal.text)?;
            }
        }
        Ok(())
    }

    /// A confidence band: the polygon between the lower and upper bounds, where known.
    pub fn band(&self, p: &Panel, pts: &[(f64, f64, f64)], color: RGBColor) -> Drawn {
        if pts.len() < 2 {
            return Ok(());
        }
        let mut poly: Vec<(i32, i32)> = pts
            .iter()
            .map(|&(x, _, hi)| p.px(x, p.clamp_y(hi)))
            .collect();
        poly.extend(pts.iter().rev().map(|&(x, lo, _)| p.px(x, p.clamp_y(lo))));
        self.polygon(poly, color, self.pal.band_opacity)
    }

    /// A data line in panel coordinates.
    pub fn series(
        &self,
        p: &Panel,
        pts: &[(f64, f64)],
        color: RGBColor,
        width: u32,
        dash: Dash,
    ) -> Drawn {
        let px: Vec<(i32, i32)> = pts.iter().map(|&(x, y)| p.px(x, p.clamp_y(y))).collect();
        self.line(px, color, width, dash)
    }

    /// A message in the middle of the band between `top` and `bottom` (no data, for example).
    pub fn message(&self, top: i32, bottom: i32, text: &str) -> Drawn {
        self.text(
            text,
            (self.w / 2, (top + bottom) / 2),
            size::SUBTITLE,
            false,
            self.pal.muted,
            CENTER,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::{IntoDrawingArea, SVGBackend};

    #[test]
    fn time_axes_end_at_the_run_s_end() {
        let values = |lo: f64, hi: f64, target: usize| Ticks::time(lo, hi, target).0.values;
        // A span a round step divides: even ticks ending at the end.
        assert_eq!(
            values(0.0, 20.0, 10),
            (0..=10).map(|k| 2.0 * f64::from(k)).collect::<Vec<_>>()
        );
        assert_eq!(values(0.0, 12.0, 4), vec![0.0, 3.0, 6.0, 9.0, 12.0]);
        assert_eq!(
            values(0.0, 12.0, 6),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0]
        );
        // A prime span: round ticks, then the end (a round tick too close to it dropped).
        assert_eq!(values(0.0, 13.0, 4), vec![0.0, 5.0, 10.0, 13.0]);
        assert_eq!(
            values(0.0, 97.0, 10),
            vec![
                0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 97.0
            ]
        );
        assert_eq!(values(0.0, 98.0, 10).last(), Some(&98.0));
        // A round tick closer than half a step to the end gives way to it.
        assert_eq!(values(0.0, 34.0, 6), vec![0.0, 10.0, 20.0, 30.0, 34.0]);
        assert_eq!(values(0.0, 31.0, 6), vec![0.0, 10.0, 20.0, 31.0]);
        let (ticks, range) = Ticks::time(0.0, 12.5, 6);
        assert_eq!(range, (0.0, 12.5));
        assert_eq!(ticks.values.last(), Some(&12.5));
        assert_eq!(ticks.label(12.5), "12.5");
        // The range is never widened past the end.
        for end in [1.0, 7.0, 11.0, 12.3, 15.0, 19.0, 20.0, 40.0, 1000.0] {
            let (ticks, range) = Ticks::time(0.0, end, 6);
            assert_eq!(range, (0.0, end));
            assert_eq!(ticks.values.first(), Some(&0.0));
            assert!(
                (ticks.values.last().unwrap() - end).abs() < 1e-9,
                "{end}: {:?}",
                ticks.values
            );
            assert!(ticks.values.windows(2).all(|w| w[1] > w[0]));
        }
    }

    #[test]
    fn text_wraps_then_shrinks_and_is_cut_only_when_nothing_fits() {
        super::super::style::register_fonts();
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (1600, 900)).into_drawing_area();
        let pal = Palette::of(super::super::Theme::Light);
        let c = Canvas::new(&area, &pal);
        let text = "What each scenario changes against the scenario with the longest name";
        let one_line = c.measure(text, size::TITLE, true).0;
        // Room for half: two lines at full size, nothing cut.
        let b = c.set(text, size::TITLE, true, one_line * 6 / 10, 2);
        assert_eq!((b.lines.len(), b.px, b.cut), (2, size::TITLE, false));
        assert_eq!(b.lines.join(" "), text);
        assert!(
            b.lines
                .iter()
                .all(|l| c.measure(l, b.px, true).0 <= one_line * 6 / 10)
        );
        // One line allowed: smaller, down to the smallest size.
        let b = c.set(text, size::TITLE, true, one_line * 6 / 10, 1);
        assert_eq!(b.lines.len(), 1);
        assert!(b.px < size::TITLE && b.px >= size::MIN && !b.cut, "{b:?}");
        // Hyphenated names break after a hyphen.
        let b = c.set(
            "bite-sized-leadership",
            size::LEGEND,
            true,
            c.measure("bite-sized-", size::MIN, true).0 + 2,
            3,
        );
        assert!(!b.cut, "{b:?}");
        assert_eq!(b.lines.concat(), "bite-sized-leadership");
        // No room at the smallest size: cut, and said so.
        let b = c.set(text, size::TITLE, true, 200, 1);
        assert!(b.cut && b.lines[0].ends_with('\u{2026}'));
        assert!(c.measure(&b.lines[0], b.px, true).0 <= 200);
    }
}
