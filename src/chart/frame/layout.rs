//! The layout every chart shares: the header (title, subtitle), the legend, the footnote,
//! a plot's box with its axes, and the data drawn in it (bands, lines).

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::{
    Anchor, BOTTOM_LEFT, CENTER_LEFT, CENTER_RIGHT, Canvas, Drawn, LINE_SPACING, Panel, TOP_CENTER,
    Ticks, size,
};
use crate::chart::ChartError;
use crate::chart::style::Dash;

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

impl<DB: DrawingBackend> Canvas<'_, DB> {
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

    /// The widest of `ticks`' labels at design size `tick_px`, in pixels.
    pub fn widest_tick(&self, ticks: &Ticks, tick_px: f64) -> i32 {
        ticks
            .values
            .iter()
            .map(|&v| self.measure(&ticks.label(v), tick_px, false).0)
            .max()
            .unwrap_or(0)
    }

    /// The label of a time axis shared by a grid of panels, centred on `x` from `y` down.
    pub fn shared_xlabel(&self, label: &str, x: i32, y: i32) -> Drawn {
        self.text(
            label,
            (x, y),
            size::AXIS_LABEL,
            false,
            self.pal.text,
            TOP_CENTER,
        )
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
        let widest = self.widest_tick(yticks, tick_px);
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
            let widest = self.widest_tick(yticks, tick_px);
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
}
