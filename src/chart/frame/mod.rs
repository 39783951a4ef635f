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
use super::style::{Dash, FONT, Palette};

mod layout;
mod text;
mod ticks;

pub use layout::{LegendItem, Sample};
pub use text::Block;
pub use ticks::{Panel, Ticks};

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

/// `x` moved into `lo..=hi`; `lo` when the range is empty (a label wider than its room
/// starts at its left edge).
pub fn within(x: i32, lo: i32, hi: i32) -> i32 {
    x.min(hi).max(lo)
}
