//! Charts of a sweep's analysis: a tornado of sensitivity indices, and for grids the outcome
//! across one or two axes (lines with bands, and a heatmap), in the style of the run charts.

use std::path::{Path, PathBuf};

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::frame::{
    CENTER, CENTER_LEFT, CENTER_RIGHT, Canvas, Drawn, LegendItem, Panel, Sample, TOP_CENTER, Ticks,
    size,
};
use super::style::Dash;
use super::{ChartError, Drawing, PlotOptions, save};
use crate::numbers::{decimals_for_value, number};

/// One parameter's bar in a tornado chart: the main index (estimate, low, high) and an
/// optional second one drawn thinner beneath it.
#[derive(Clone, Debug)]
pub struct SensitivityBar {
    /// The parameter's path.
    pub parameter: String,
    /// (estimate, low, high) of the main index.
    pub main: (f64, f64, f64),
    /// (estimate, low, high) of the second index.
    pub second: Option<(f64, f64, f64)>,
}

/// A grid sweep's outcome at each point, for the grid charts.
#[derive(Clone, Debug)]
pub struct GridView {
    /// The axes' paths (one or two are charted).
    pub axes: Vec<String>,
    /// Per point, the axes' values as text.
    pub labels: Vec<Vec<String>>,
    /// Per point, the outcome's mean across replicates.
    pub means: Vec<f64>,
    /// Per point, the 95% CI of the mean.
    pub cis: Vec<Option<(f64, f64)>>,
    /// The outcome's name.
    pub outcome: String,
    /// The outcome's title in running text (from its declaration, see
    /// [`super::outcome_title`]).
    pub outcome_title: String,
}

struct Tornado<'a> {
    title: String,
    subtitle: String,
    xlabel: &'a str,
    names: (&'a str, &'a str),
    bars: Vec<SensitivityBar>,
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
    let mut bars = bars.to_vec();
    bars.sort_by(|a, b| b.main.0.total_cmp(&a.main.0));
    let t = Tornado {
        title: opts.title.clone().unwrap_or_else(|| title.to_string()),
        subtitle: opts
            .subtitle
            .clone()
            .unwrap_or_else(|| subtitle.to_string()),
        xlabel,
        names,
        bars,
    };
    save(&t, dir, stem, opts)
}

impl Drawing for Tornado<'_> {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Drawn {
        let margin = c.px(36.0);
        let main_color = c.pal.scenario(1);
        let second_color = c.pal.scenario(2);
        let mut y = c.header(&self.title, &self.subtitle)?;
        let legend = vec![
            LegendItem {
                label: self.names.0.to_string(),
                color: main_color,
                dash: Dash::Solid,
                sample: Sample::Swatch,
            },
            LegendItem {
                label: self.names.1.to_string(),
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
        let hi = self
            .bars
            .iter()
            .flat_map(|b| [b.main.2, b.main.0, b.second.map_or(0.0, |s| s.2.max(s.0))])
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let lo = self
            .bars
            .iter()
            .flat_map(|b| [b.main.1, b.second.map_or(0.0, |s| s.1)])
            .filter(|v| v.is_finite())
            .fold(0.0, f64::min);
        let (xticks, xr) = Ticks::covering(lo, hi.max(lo + 1e-9), 5, false);
        let tick = 22.0;
        let widest = self
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
            yr: (0.0, self.bars.len().max(1) as f64),
        };
        let none = Ticks {
            values: Vec::new(),
            decimals: 0,
            percent: false,
        };
        c.axes(&p, &xticks, &none, Some(self.xlabel), None, tick, true)?;
        for &v in &xticks.values {
            let x = p.x_px(v);
            c.line(
                vec![(x, p.y0), (x, p.y1)],
                c.pal.grid,
                c.stroke(1.5),
                Dash::Solid,
            )?;
        }
        let slot = f64::from(p.y1 - p.y0) / self.bars.len().max(1) as f64;
        for (i, b) in self.bars.iter().enumerate() {
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
}

/// Draws a grid sweep's outcome: `effects` (the outcome against the first axis, one line per
/// value of the second) and, for two axes, `heatmap`.
pub fn grid_charts(
    dir: &Path,
    view: &GridView,
    subtitle: &str,
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, ChartError> {
    let chart = |heatmap| Grid {
        view,
        subtitle: opts
            .subtitle
            .clone()
            .unwrap_or_else(|| subtitle.to_string()),
        title: opts.title.clone(),
        heatmap,
    };
    let mut files = save(&chart(false), dir, "effects", opts)?;
    if view.axes.len() == 2 {
        files.extend(save(&chart(true), dir, "heatmap", opts)?);
    }
    Ok(files)
}

/// (x, mean, 95% CI) of one grid point.
type Point = (f64, f64, Option<(f64, f64)>);

/// A grid sweep's chart: the outcome against the first axis, or (`heatmap`) over the first
/// two.
struct Grid<'a> {
    view: &'a GridView,
    subtitle: String,
    title: Option<String>,
    heatmap: bool,
}

impl GridView {
    /// The distinct values of axis `a`, in first-seen order.
    pub fn distinct(&self, a: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in &self.labels {
            if let Some(v) = l.get(a)
                && !out.contains(v)
            {
                out.push(v.clone());
            }
        }
        out
    }
}

impl Drawing for Grid<'_> {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Drawn {
        if self.heatmap {
            self.heatmap(c)
        } else {
            self.effects(c)
        }
    }
}

impl Grid<'_> {
    fn effects<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Drawn {
        let v = self.view;
        let margin = c.px(36.0);
        let title = self.title.clone().unwrap_or_else(|| {
            let t = v.outcome_title.clone();
            let mut t = t.chars();
            let first = t
                .next()
                .map(|f| f.to_uppercase().collect::<String>())
                .unwrap_or_default();
            format!("{first}{} across {}", t.as_str(), v.axes[0])
        });
        let mut y = c.header(&title, &self.subtitle)?;
        let groups: Vec<String> = if v.axes.len() >= 2 {
            v.distinct(1)
        } else {
            vec![String::new()]
        };
        let legend: Vec<LegendItem> = if v.axes.len() >= 2 {
            std::iter::once(LegendItem {
                label: format!("{}:", v.axes[1]),
                color: c.pal.muted,
                dash: Dash::Solid,
                sample: Sample::Heading,
            })
            .chain(groups.iter().enumerate().map(|(i, g)| LegendItem {
                label: g.clone(),
                color: c.pal.scenario(i),
                dash: Dash::scenario(i),
                sample: Sample::Line,
            }))
            .collect()
        } else {
            Vec::new()
        };
        y = c.legend(&legend, margin, y, c.w - margin)?;
        let mut notes = vec![
            "Lines: means across replicates; bands: 95% confidence intervals of the means."
                .to_string(),
        ];
        if v.axes.len() > 2 {
            notes.push(format!(
                "Points with the same {} and {} but other values of the remaining axes are drawn as separate lines of the same colour.",
                v.axes[0], v.axes[1]
            ));
        }
        let bottom = c.footnote(&notes)?;
        let xs: Vec<Option<f64>> = v.labels.iter().map(|l| l[0].parse().ok()).collect();
        if xs.iter().any(Option::is_none) {
            return c.message(
                y,
                bottom,
                "The first axis is not numeric: see points.csv and the heatmap",
            );
        }
        let xs: Vec<f64> = xs.into_iter().flatten().collect();
        let (xmin, xmax) = xs
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        let (ymin, ymax) = v
            .means
            .iter()
            .zip(&v.cis)
            .filter(|(m, _)| m.is_finite())
            .fold((f64::MAX, f64::MIN), |(a, b), (&m, ci)| {
                let (l, h) = ci.unwrap_or((m, m));
                (a.min(l).min(m), b.max(h).max(m))
            });
        if ymin > ymax {
            return c.message(y, bottom, "No defined values to draw");
        }
        let (yticks, yr) = Ticks::covering(ymin, ymax, 5, false);
        let (xticks, xr) = Ticks::covering(xmin, xmax.max(xmin + 1e-9), 8, false);
        let (x0, _, x1, y1) = c.plot_box(
            margin,
            y,
            c.w - margin,
            bottom,
            &yticks,
            1,
            true,
            size::TICK,
        );
        let p = Panel {
            x0,
            y0: y + c.px(10.0),
            x1,
            y1,
            xr,
            yr,
        };
        c.axes(
            &p,
            &xticks,
            &yticks,
            Some(&v.axes[0]),
            Some(&readable_outcome(&v.outcome_title)),
            size::TICK,
            true,
        )?;
        for (gi, g) in groups.iter().enumerate() {
            let mut pts: Vec<Point> = (0..v.labels.len())
                .filter(|&i| v.axes.len() < 2 || &v.labels[i][1] == g)
                .map(|i| (xs[i], v.means[i], v.cis[i]))
                .collect();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            let color = c.pal.scenario(gi);
            let band: Vec<(f64, f64, f64)> = pts
                .iter()
                .filter_map(|&(x, _, ci)| ci.map(|(l, h)| (x, l, h)))
                .collect();
            if band.len() == pts.len() {
                c.band(&p, &band, color)?;
            }
            let line: Vec<(f64, f64)> = pts.iter().map(|&(x, m, _)| (x, m)).collect();
            c.series(&p, &line, color, c.stroke(4.5), Dash::scenario(gi))?;
            for &(x, m) in &line {
                c.dot(p.px(x, m), c.px(6.0), color)?;
            }
        }
        Ok(())
    }
}

fn readable_outcome(title: &str) -> String {
    let mut ch = title.chars();
    ch.next()
        .map(|f| f.to_uppercase().collect::<String>() + ch.as_str())
        .unwrap_or_default()
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

impl Grid<'_> {
    fn heatmap<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Drawn {
        let v = self.view;
        let margin = c.px(36.0);
        let title = self.title.clone().unwrap_or_else(|| {
            format!(
                "{} by {} and {}",
                readable_outcome(&v.outcome_title),
                v.axes[0],
                v.axes[1]
            )
        });
        let y = c.header(&title, &self.subtitle)? + c.px(10.0);
        let bottom = c.footnote(&["Each cell: the mean across replicates at that point (of the first point with these two values).".into()])?;
        let cols = v.distinct(0);
        let rows = v.distinct(1);
        let finite: Vec<f64> = v.means.iter().copied().filter(|m| m.is_finite()).collect();
        let (lo, hi) = finite
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
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
        let d = decimals_for_value((hi - lo).abs().max(hi.abs()) / 10.0).min(4);
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
            for (ci, col) in cols.iter().enumerate() {
                let Some(i) =
                    (0..v.labels.len()).find(|&i| &v.labels[i][0] == col && &v.labels[i][1] == r)
                else {
                    continue;
                };
                let m = v.means[i];
                let cx = p.x0 + (ci as f64 * cw) as i32;
                let t = if hi > lo { (m - lo) / (hi - lo) } else { 0.5 };
                let color = if m.is_finite() {
                    viridis(t)
                } else {
                    c.pal.grid
                };
                c.rect((cx, ry), (cx + cw as i32, ry + rh as i32), color, 1.0)?;
                if cw > f64::from(c.px(46.0)) && rh > f64::from(c.px(24.0)) && m.is_finite() {
                    let ink = if t > 0.55 {
                        RGBColor(0, 0, 0)
                    } else {
                        RGBColor(255, 255, 255)
                    };
                    c.text(
                        &number(m, d),
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
            &v.axes[0],
            ((p.x0 + p.x1) / 2, p.y1 + c.px(tick * 1.5 + 8.0)),
            size::AXIS_LABEL,
            false,
            c.pal.text,
            TOP_CENTER,
        )?;
        c.text_up(
            &v.axes[1],
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
}
