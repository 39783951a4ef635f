//! A small drawing layer over a plotters drawing area: text, lines, bands, axes, legends and
//! the layout every chart shares (title, subtitle, legend, plot, footnote). Everything is laid
//! out in pixels scaled from a 1600x900 design, so text stays readable at any size.

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontStyle, FontTransform, IntoFont, RGBColor, ShapeStyle, TextStyle};

use super::ChartError;
use super::style::{Dash, FONT, Palette, decimals_for, nice_range, nice_ticks, number};

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
}

/// A drawing area with its palette and scale.
pub struct Canvas<'a, DB: DrawingBackend> {
    pub area: &'a DrawingArea<DB, Shift>,
    pub pal: &'a Palette,
    pub w: i32,
    pub h: i32,
    /// Scale from the 1600x900 design.
    pub s: f64,
}

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
        let pad = self.px(4.0);
        self.rect(
            (x - pad, y - pad),
            (x + w + pad, y + h + pad),
            self.pal.background,
            1.0,
        )?;
        self.text(text, at, px, bold, color, anchor)
    }

    /// Text turned a quarter anticlockwise (a y-axis label), centred on `at`.
    pub fn text_up(&self, text: &str, at: (i32, i32), px: f64, color: RGBColor) -> Drawn {
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

    /// `text` cut (with an ellipsis) to fit `max_w` pixels.
    pub fn fit(&self, text: &str, px: f64, bold: bool, max_w: i32) -> String {
        if self.measure(text, px, bold).0 <= max_w {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        for keep in (1..chars.len()).rev() {
            let cut: String = chars[..keep].iter().collect::<String>() + "\u{2026}";
            if self.measure(&cut, px, bold).0 <= max_w {
                return cut;
            }
        }
        String::new()
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

    /// The title and subtitle at the top left; returns the y below them.
    pub fn header(&self, title: &str, subtitle: &str) -> Result<i32, ChartError> {
        let margin = self.px(36.0);
        let mut y = self.px(28.0);
        let max_w = self.w - 2 * margin;
        let title = self.fit(title, size::TITLE, true, max_w);
        self.text(
            &title,
            (margin, y),
            size::TITLE,
            true,
            self.pal.text,
            TOP_LEFT,
        )?;
        y += self.px(size::TITLE * 1.25);
        if !subtitle.is_empty() {
            let subtitle = self.fit(subtitle, size::SUBTITLE, false, max_w);
            self.text(
                &subtitle,
                (margin, y),
                size::SUBTITLE,
                false,
                self.pal.muted,
                TOP_LEFT,
            )?;
            y += self.px(size::SUBTITLE * 1.35);
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
        if items.is_empty() {
            return Ok(y);
        }
        let sample = self.px(54.0);
        let gap = self.px(12.0);
        let spacing = self.px(38.0);
        let row_h = self.px(size::LEGEND * 1.45);
        let (mut cx, mut cy) = (x, y + self.px(6.0));
        for item in items {
            let label = self.fit(&item.label, size::LEGEND, false, max_x - x - sample - gap);
            let tw = self.measure(&label, size::LEGEND, false).0;
            if item.sample == Sample::Heading {
                if cx > x {
                    cx = x;
                    cy += row_h;
                }
                self.text(
                    &label,
                    (cx, cy + row_h / 2),
                    size::LEGEND,
                    false,
                    self.pal.muted,
                    CENTER_LEFT,
                )?;
                cx += tw + gap * 2;
                continue;
            }
            let need = sample + gap + tw;
            if cx > x && cx + need > max_x {
                cx = x;
                cy += row_h;
            }
            let mid = cy + row_h / 2;
            if item.sample == Sample::Swatch {
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
            self.text(
                &label,
                (cx + sample + gap, mid),
                size::LEGEND,
                false,
                self.pal.text,
                CENTER_LEFT,
            )?;
            cx += need + spacing;
        }
        Ok(cy + row_h + self.px(16.0))
    }

    /// Footnote lines at the bottom left; returns the y above them.
    pub fn footnote(&self, lines: &[String]) -> Result<i32, ChartError> {
        let margin = self.px(36.0);
        let line_h = self.px(size::NOTE * 1.35);
        let mut y = self.h - self.px(20.0);
        for line in lines.iter().rev() {
            let line = self.fit(line, size::NOTE, false, self.w - 2 * margin);
            self.text(
                &line,
                (margin, y),
                size::NOTE,
                false,
                self.pal.muted,
                BOTTOM_LEFT,
            )?;
            y -= line_h;
        }
        Ok(y - self.px(8.0))
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
        ylabel: bool,
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
        if ylabel {
            x0 += self.px(size::AXIS_LABEL * 1.5);
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
            let x = p.x0 - self.px(12.0) - widest - self.px(size::AXIS_LABEL * 0.8);
            let label = self.fit(label, size::AXIS_LABEL, false, p.y1 - p.y0);
            self.text_up(
                &label,
                (x, (p.y0 + p.y1) / 2),
                size::AXIS_LABEL,
                self.pal.text,
            )?;
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
