//! The tornado chart of a sweep's sensitivity analysis: one bar per parameter, largest main
//! index first, with its interval and an optional second index beneath it.

use std::path::{Path, PathBuf};

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::SensitivityBar;
use crate::chart::frame::{
    CENTER_LEFT, CENTER_RIGHT, Canvas, Drawn, LegendItem, Panel, Sample, Ticks, size,
};
use crate::chart::style::Dash;
use crate::chart::{ChartError, Drawing, PlotOptions, save};
use crate::numbers::{decimals_for_value, number};

/// What a tornado chart draws.
pub(in crate::chart) struct Tornado<'a> {
    pub(super) title: String,
    pub(super) subtitle: String,
    pub(super) xlabel: &'a str,
    /// What the main and the second index are, for the legend.
    pub(super) names: (&'a str, &'a str),
    /// Largest main index first.
    pub(super) bars: Vec<SensitivityBar>,
    /// The values' range (0 included).
    pub(super) range: (f64, f64),
}

/// Draws a tornado chart of sensitivity indices, largest main index first.
#[allow(clippy::too_many_arguments)]
pub fn tornado(
    dir: &Path,
    stem: &str,
    title: &str,
    subtitle: &str,
    xlabel: &str,
    names: (&str, &str),
    bars: &[SensitivityBar],
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, ChartError> {
    let t = prepare(title, subtitle, xlabel, names, bars, opts);
    save(&t, dir, stem, opts)
}

/// The tornado chart's plan.
pub(in crate::chart) fn prepare<'a>(
    title: &str,
    subtitle: &str,
    xlabel: &'a str,
    names: (&'a str, &'a str),
    bars: &[SensitivityBar],
    opts: &PlotOptions,
) -> Tornado<'a> {
    let mut bars = bars.to_vec();
    bars.sort_by(|a, b| b.main.0.total_cmp(&a.main.0));
    let hi = bars
        .iter()
        .flat_map(|b| [b.main.2, b.main.0, b.second.map_or(0.0, |s| s.2.max(s.0))])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let lo = bars
        .iter()
        .flat_map(|b| [b.main.1, b.second.map_or(0.0, |s| s.1)])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::min);
    Tornado {
        title: opts.title.clone().unwrap_or_else(|| title.to_string()),
        subtitle: opts
            .subtitle
            .clone()
            .unwrap_or_else(|| subtitle.to_string()),
        xlabel,
        names,
        bars,
        range: (lo, hi),
    }
}

impl Drawing for Tornado<'_> {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Drawn {
        draw(c, self)
    }
}

/// Draws the chart.
pub(in crate::chart) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, t: &Tornado) -> Drawn {
    let margin = c.px(36.0);
    let main_color = c.pal.scenario(1);
    let second_color = c.pal.scenario(2);
    let mut y = c.header(&t.title, &t.subtitle)?;
    let legend = vec![
        LegendItem {
            label: t.names.0.to_string(),
            color: main_color,
            dash: Dash::Solid,
            sample: Sample::Swatch,
        },
        LegendItem {
            label: t.names.1.to_string(),
            color: second_color,
            dash: Dash::Solid,
            sample: Sample::Swatch,
        },
    ]
    .into_iter()
    .filter(|i| !i.label.is_empty())
    .collect::<Vec<_>>();
    y = c.legend(&legend, margin, y, c.w - margin)?;
    let bottom = c.footnote(&[
        "Parameters ranked by the first measure; whiskers: 95% bootstrap intervals where estimated. Values in sensitivity.csv.".into(),
    ])?;
    let (xticks, xr) = Ticks::covering(t.range.0, t.range.1.max(t.range.0 + 1e-9), 5, false);
    let tick = 22.0;
    let widest = t
        .bars
        .iter()
        .map(|b| c.measure(&b.parameter, tick, false).0)
        .max()
        .unwrap_or(0)
        .min(c.w / 3);
    let p = Panel {
        x0: margin + widest + c.px(18.0),
        y0: y + c.px(8.0),
        // Room on the right for the value written after the longest bar.
        x1: c.w - margin - c.px(80.0),
        y1: bottom - c.px(tick * 1.5 + size::AXIS_LABEL * 1.6),
        xr,
        yr: (0.0, t.bars.len().max(1) as f64),
    };
    let none = Ticks {
        values: Vec::new(),
        decimals: 0,
        percent: false,
    };
    c.axes(&p, &xticks, &none, Some(t.xlabel), None, tick, true)?;
    for &v in &xticks.values {
        let x = p.x_px(v);
        c.line(
            vec![(x, p.y0), (x, p.y1)],
            c.pal.grid,
            c.stroke(1.5),
            Dash::Solid,
        )?;
    }
    let slot = f64::from(p.y1 - p.y0) / t.bars.len().max(1) as f64;
    for (i, b) in t.bars.iter().enumerate() {
        let yc = p.y0 + ((i as f64 + 0.5) * slot) as i32;
        let name = c.set(&b.parameter, tick, false, widest, 1);
        c.text(
            &name.lines[0],
            (p.x0 - c.px(12.0), yc),
            name.px,
            false,
            c.pal.text,
            CENTER_RIGHT,
        )?;
        let zero = p.x_px(0.0);
        let thick = ((slot * 0.38) as i32).max(4);
        let draw_bar = |v: (f64, f64, f64), top: i32, h: i32, color: RGBColor| -> Drawn {
            if !v.0.is_finite() {
                return Ok(());
            }
            let x = p.x_px(v.0.clamp(xr.0, xr.1));
            c.rect((zero.min(x), top), (zero.max(x), top + h), color, 0.85)?;
            if v.1 < v.2 && v.1.is_finite() && v.2.is_finite() {
                let mid = top + h / 2;
                c.line(
                    vec![(p.x_px(v.1), mid), (p.x_px(v.2), mid)],
                    c.pal.text,
                    c.stroke(2.0),
                    Dash::Solid,
                )?;
            }
            Ok(())
        };
        draw_bar(b.main, yc - thick, thick, main_color)?;
        let value = number(b.main.0, decimals_for_value(b.main.0).max(2));
        // Right of the bar and of its interval, so neither hides the number.
        let end = [b.main.0, b.main.2]
            .into_iter()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
            .clamp(xr.0, xr.1);
        c.label(
            &value,
            (p.x_px(end) + c.px(10.0), yc - thick / 2),
            20.0,
            true,
            c.pal.text,
            CENTER_LEFT,
        )?;
        if let Some(s) = b.second {
            draw_bar(s, yc + c.px(2.0), (thick * 2 / 3).max(3), second_color)?;
        }
    }
    Ok(())
}
