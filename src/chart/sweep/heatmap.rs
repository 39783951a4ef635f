//! The heatmap of a two-axis grid sweep: the outcome's mean in each cell of the first two
//! axes, in viridis, with a colour bar.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::{GridView, readable_outcome};
use crate::chart::frame::{
    CENTER, CENTER_LEFT, CENTER_RIGHT, Canvas, Drawn, Panel, TOP_CENTER, size,
};
use crate::chart::{Drawing, PlotOptions};
use crate::numbers::{decimals_for_value, number};

/// What the heatmap draws.
pub(in crate::chart) struct Heatmap {
    pub(super) title: String,
    pub(super) subtitle: String,
    /// The first axis (columns) and the second (rows).
    pub(super) xlabel: String,
    pub(super) ylabel: String,
    pub(super) cols: Vec<String>,
    pub(super) rows: Vec<String>,
    /// Per row, per column: the mean of the first point with those values; None where no
    /// point has them.
    pub(super) cells: Vec<Vec<Option<f64>>>,
    /// The finite means' range, which the colours span.
    pub(super) range: (f64, f64),
    /// Decimals of the numbers in the cells and on the colour bar.
    pub(super) decimals: usize,
}

/// The heatmap's plan (of a grid with at least two axes); `subtitle` unless `opts` gives
/// one.
pub(in crate::chart) fn prepare(v: &GridView, subtitle: &str, opts: &PlotOptions) -> Heatmap {
    let title = opts.title.clone().unwrap_or_else(|| {
        format!(
            "{} by {} and {}",
            readable_outcome(&v.outcome_title),
            v.axes[0],
            v.axes[1]
        )
    });
    let cols = v.distinct(0);
    let rows = v.distinct(1);
    let cells = rows
        .iter()
        .map(|r| {
            cols.iter()
                .map(|col| {
                    (0..v.labels.len())
                        .find(|&i| &v.labels[i][0] == col && &v.labels[i][1] == r)
                        .map(|i| v.means[i])
                })
                .collect()
        })
        .collect();
    let finite: Vec<f64> = v.means.iter().copied().filter(|m| m.is_finite()).collect();
    let (lo, hi) = finite
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    Heatmap {
        title,
        subtitle: opts
            .subtitle
            .clone()
            .unwrap_or_else(|| subtitle.to_string()),
        xlabel: v.axes[0].clone(),
        ylabel: v.axes[1].clone(),
        cols,
        rows,
        cells,
        range: (lo, hi),
        decimals: decimals_for_value((hi - lo).abs().max(hi.abs()) / 10.0).min(4),
    }
}

/// Viridis (van der Walt and Smith, matplotlib), sampled at nine stops: perceptually uniform
/// and readable by colour-blind viewers and in greyscale.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

fn viridis(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0) * 8.0;
    let i = (t.floor() as usize).min(7);
    let f = t - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

impl Drawing for Heatmap {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Drawn {
        draw(c, self)
    }
}

/// Draws the chart.
pub(in crate::chart) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, m: &Heatmap) -> Drawn {
    let margin = c.px(36.0);
    let y = c.header(&m.title, &m.subtitle)? + c.px(10.0);
    let bottom = c.footnote(&["Each cell: the mean across replicates at that point (of the first point with these two values).".into()])?;
    let (cols, rows, (lo, hi)) = (&m.cols, &m.rows, m.range);
    let tick = 22.0;
    let row_w = rows
        .iter()
        .map(|r| c.measure(r, tick, false).0)
        .max()
        .unwrap_or(0);
    let bar_w = c.px(150.0);
    let p = Panel {
        x0: margin + c.px(size::AXIS_LABEL * 1.5) + row_w + c.px(12.0),
        y0: y,
        x1: c.w - margin - bar_w,
        y1: bottom - c.px(tick * 1.5 + size::AXIS_LABEL * 1.6),
        xr: (0.0, cols.len() as f64),
        yr: (0.0, rows.len() as f64),
    };
    let cw = f64::from(p.x1 - p.x0) / cols.len().max(1) as f64;
    let rh = f64::from(p.y1 - p.y0) / rows.len().max(1) as f64;
    let d = m.decimals;
    for (ri, r) in rows.iter().enumerate() {
        let ry = p.y1 - ((ri + 1) as f64 * rh) as i32;
        c.text(
            r,
            (p.x0 - c.px(10.0), ry + (rh / 2.0) as i32),
            tick,
            false,
            c.pal.text,
            CENTER_RIGHT,
        )?;
        for (ci, &cell) in m.cells[ri].iter().enumerate() {
            let Some(mean) = cell else {
                continue;
            };
            let cx = p.x0 + (ci as f64 * cw) as i32;
            let t = if hi > lo {
                (mean - lo) / (hi - lo)
            } else {
                0.5
            };
            let color = if mean.is_finite() {
                viridis(t)
            } else {
                c.pal.grid
            };
            c.rect((cx, ry), (cx + cw as i32, ry + rh as i32), color, 1.0)?;
            if cw > f64::from(c.px(46.0)) && rh > f64::from(c.px(24.0)) && mean.is_finite() {
                let ink = if t > 0.55 {
                    RGBColor(0, 0, 0)
                } else {
                    RGBColor(255, 255, 255)
                };
                c.text(
                    &number(mean, d),
                    (cx + (cw / 2.0) as i32, ry + (rh / 2.0) as i32),
                    19.0,
                    false,
                    ink,
                    CENTER,
                )?;
            }
        }
    }
    for (ci, col) in cols.iter().enumerate() {
        let cx = p.x0 + ((ci as f64 + 0.5) * cw) as i32;
        c.text(
            col,
            (cx, p.y1 + c.px(8.0)),
            tick,
            false,
            c.pal.text,
            TOP_CENTER,
        )?;
    }
    c.text(
        &m.xlabel,
        ((p.x0 + p.x1) / 2, p.y1 + c.px(tick * 1.5 + 8.0)),
        size::AXIS_LABEL,
        false,
        c.pal.text,
        TOP_CENTER,
    )?;
    c.text_up(
        &m.ylabel,
        (margin + c.px(size::AXIS_LABEL * 0.6), (p.y0 + p.y1) / 2),
        size::AXIS_LABEL,
        c.pal.text,
    )?;
    // The colour bar.
    let bx = p.x1 + c.px(40.0);
    let steps = 60;
    for s in 0..steps {
        let t0 = s as f64 / steps as f64;
        let ya = p.y1 - (t0 * f64::from(p.y1 - p.y0)) as i32;
        let yb = p.y1 - ((s + 1) as f64 / steps as f64 * f64::from(p.y1 - p.y0)) as i32;
        c.rect(
            (bx, yb),
            (bx + c.px(28.0), ya),
            viridis(t0 + 0.5 / steps as f64),
            1.0,
        )?;
    }
    for (t, val) in [(0.0, lo), (0.5, (lo + hi) / 2.0), (1.0, hi)] {
        let yy = p.y1 - (t * f64::from(p.y1 - p.y0)) as i32;
        c.text(
            &number(val, d),
            (bx + c.px(36.0), yy),
            20.0,
            false,
            c.pal.muted,
            CENTER_LEFT,
        )?;
    }
    Ok(())
}
