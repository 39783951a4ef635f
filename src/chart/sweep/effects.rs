//! The effects chart of a grid sweep: the outcome against the first axis, one line per value
//! of the second, with the 95% confidence bands of the means.

use plotters::prelude::DrawingBackend;

use super::{GridView, readable_outcome};
use crate::chart::frame::{Canvas, Drawn, LegendItem, Panel, Sample, Ticks, size};
use crate::chart::style::Dash;
use crate::chart::{Drawing, PlotOptions};

/// (x, mean, 95% CI) of one grid point.
type Point = (f64, f64, Option<(f64, f64)>);

/// What the effects chart draws.
pub(in crate::chart) struct Effects {
    pub(super) title: String,
    pub(super) subtitle: String,
    /// The first axis, along x.
    pub(super) xlabel: String,
    pub(super) ylabel: String,
    /// The second axis, as the legend's heading, and its values, one line each.
    pub(super) heading: Option<String>,
    pub(super) groups: Vec<String>,
    pub(super) notes: Vec<String>,
    /// Per group, its points by x; or why nothing can be drawn.
    pub(super) lines: Result<Vec<Vec<Point>>, &'static str>,
    /// The x and y ranges of the points and their intervals.
    pub(super) x: (f64, f64),
    pub(super) y: (f64, f64),
}

/// The effects chart's plan; `subtitle` unless `opts` gives one.
pub(in crate::chart) fn prepare(v: &GridView, subtitle: &str, opts: &PlotOptions) -> Effects {
    let title = opts.title.clone().unwrap_or_else(|| {
        let t = v.outcome_title.clone();
        let mut t = t.chars();
        let first = t
            .next()
            .map(|f| f.to_uppercase().collect::<String>())
            .unwrap_or_default();
        format!("{first}{} across {}", t.as_str(), v.axes[0])
    });
    let groups: Vec<String> = if v.axes.len() >= 2 {
        v.distinct(1)
    } else {
        vec![String::new()]
    };
    let mut notes = vec![
        "Lines: means across replicates; bands: 95% confidence intervals of the means.".to_string(),
    ];
    if v.axes.len() > 2 {
        notes.push(format!(
            "Points with the same {} and {} but other values of the remaining axes are drawn as separate lines of the same colour.",
            v.axes[0], v.axes[1]
        ));
    }
    let mut plan = Effects {
        title,
        subtitle: opts
            .subtitle
            .clone()
            .unwrap_or_else(|| subtitle.to_string()),
        xlabel: v.axes[0].clone(),
        ylabel: readable_outcome(&v.outcome_title),
        heading: (v.axes.len() >= 2).then(|| format!("{}:", v.axes[1])),
        groups,
        notes,
        lines: Ok(Vec::new()),
        x: (0.0, 0.0),
        y: (0.0, 0.0),
    };
    let xs: Vec<Option<f64>> = v.labels.iter().map(|l| l[0].parse().ok()).collect();
    if xs.iter().any(Option::is_none) {
        plan.lines = Err("The first axis is not numeric: see points.csv and the heatmap");
        return plan;
    }
    let xs: Vec<f64> = xs.into_iter().flatten().collect();
    plan.x = xs
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    plan.y = v
        .means
        .iter()
        .zip(&v.cis)
        .filter(|(m, _)| m.is_finite())
        .fold((f64::MAX, f64::MIN), |(a, b), (&m, ci)| {
            let (l, h) = ci.unwrap_or((m, m));
            (a.min(l).min(m), b.max(h).max(m))
        });
    if plan.y.0 > plan.y.1 {
        plan.lines = Err("No defined values to draw");
        return plan;
    }
    plan.lines = Ok(plan
        .groups
        .iter()
        .map(|g| {
            let mut pts: Vec<Point> = (0..v.labels.len())
                .filter(|&i| v.axes.len() < 2 || &v.labels[i][1] == g)
                .map(|i| (xs[i], v.means[i], v.cis[i]))
                .collect();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            pts
        })
        .collect());
    plan
}

impl Drawing for Effects {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Drawn {
        draw(c, self)
    }
}

/// Draws the chart.
pub(in crate::chart) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, e: &Effects) -> Drawn {
    let margin = c.px(36.0);
    let mut y = c.header(&e.title, &e.subtitle)?;
    let legend: Vec<LegendItem> = match &e.heading {
        Some(heading) => std::iter::once(LegendItem {
            label: heading.clone(),
            color: c.pal.muted,
            dash: Dash::Solid,
            sample: Sample::Heading,
        })
        .chain(e.groups.iter().enumerate().map(|(i, g)| LegendItem {
            label: g.clone(),
            color: c.pal.scenario(i),
            dash: Dash::scenario(i),
            sample: Sample::Line,
        }))
        .collect(),
        None => Vec::new(),
    };
    y = c.legend(&legend, margin, y, c.w - margin)?;
    let bottom = c.footnote(&e.notes)?;
    let lines = match &e.lines {
        Ok(lines) => lines,
        Err(message) => return c.message(y, bottom, message),
    };
    let ((xmin, xmax), (ymin, ymax)) = (e.x, e.y);
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
        Some(&e.xlabel),
        Some(&e.ylabel),
        size::TICK,
        true,
    )?;
    for (gi, pts) in lines.iter().enumerate() {
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
