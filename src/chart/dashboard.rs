//! The dashboard: small multiples of the organization's key metrics on a shared time axis
//! (to the run's last year), one line per scenario, interventions as dashed lines.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;

use super::PlotOptions;
use super::captions::{
    is_percent, metric_title, provenance, replicates_text, scenario_legend, spread, titles,
};
use super::columns::column_unit;
use super::data::{Band, BandKind, Results};
use super::frame::{CENTER, Canvas, Drawn, LegendItem, Panel, Ticks, size};
use super::series::{
    Line, VLine, draw_bands, draw_vlines, horizon, intervention_lines, scenario_lines, y_range,
};
use super::style::Palette;

/// The dashboard's metrics, in reading order.
pub const DASHBOARD: &[&str] = &[
    "headcount",
    "process_density",
    "leadership_share",
    "engagement",
    "efficiency",
    "knowledge",
    "active_initiatives",
    "innovation_capacity",
];

/// What the dashboard draws.
pub(super) struct Dashboard {
    pub(super) title: String,
    pub(super) subtitle: String,
    pub(super) legend: Vec<LegendItem>,
    pub(super) note: String,
    /// The shared time axis's end: the run's.
    pub(super) horizon: f64,
    /// Interventions, unlabelled (the panels are too small for words).
    pub(super) vlines: Vec<VLine>,
    /// One per metric of [`DASHBOARD`], in order.
    pub(super) panels: Vec<MetricPanel>,
}

/// One small multiple.
pub(super) struct MetricPanel {
    /// The metric's title and unit.
    pub(super) head: String,
    pub(super) lines: Vec<Line>,
    /// The y range; None without data.
    pub(super) y: Option<(f64, f64)>,
    pub(super) percent: bool,
}

/// The dashboard's plan.
pub(super) fn prepare(results: &Results, opts: &PlotOptions, pal: &Palette) -> Dashboard {
    let n_text = replicates_text(results, "lifecycle");
    let (title, subtitle) = titles(
        opts,
        "The organization at a glance",
        format!(
            "Key metrics over the years \u{b7} {}",
            spread(&n_text, results.band_kind)
        ),
    );
    let any_band = results
        .of_model("lifecycle")
        .any(|(_, s)| results.band(&s.name, "headcount").is_some_and(Band::has_ci));
    let note = if any_band {
        format!(
            "Lines: means; {}. Dashed vertical lines: interventions. {}.",
            match results.band_kind {
                BandKind::Ci => "shaded bands: 95% confidence intervals of the means",
                BandKind::Pi => results.band_kind.note(),
            },
            provenance(results)
        )
    } else {
        format!(
            "Lines: {n_text}, so no confidence band can be drawn. Dashed vertical lines: interventions. {}.",
            provenance(results)
        )
    };
    // The shared time axis, ending where the run ends.
    let horizon = horizon(results, "lifecycle", &[])
        .or_else(|| {
            results
                .of_model("lifecycle")
                .filter_map(|(_, s)| results.band(&s.name, "headcount"))
                .filter_map(|b| b.x.last().copied())
                .reduce(f64::max)
        })
        .unwrap_or(0.0);
    let panels = DASHBOARD
        .iter()
        .map(|metric| {
            let lines = scenario_lines(results, pal, "lifecycle", metric);
            let floor = (metric != &"knowledge").then_some(0.0);
            MetricPanel {
                head: format!(
                    "{} ({})",
                    metric_title(results, metric),
                    column_unit(&results.columns, metric)
                ),
                y: y_range(&lines, floor),
                lines,
                percent: is_percent(results, metric),
            }
        })
        .collect();
    Dashboard {
        title,
        subtitle,
        legend: scenario_legend(results, pal, "lifecycle"),
        note,
        horizon,
        vlines: intervention_lines(results, pal, horizon, false, true),
        panels,
    }
}

/// Draws the dashboard: four columns, two rows.
pub(super) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, d: &Dashboard) -> Drawn {
    let margin = c.px(36.0);
    let mut y = c.header(&d.title, &d.subtitle)?;
    y = c.legend(&d.legend, margin, y, c.w - margin)?;
    let bottom = c.footnote(std::slice::from_ref(&d.note))?;
    let xlabel_h = c.px(size::AXIS_LABEL * 1.5);
    let (cols, rows) = (4, 2);
    let cell_w = (c.w - 2 * margin) / cols;
    let cell_h = (bottom - xlabel_h - y) / rows;
    let tick = 21.0;
    let (xticks, xr) = Ticks::time(0.0, d.horizon, 4);
    for (k, panel) in d.panels.iter().enumerate() {
        let (col, row) = (k as i32 % cols, k as i32 / cols);
        let (cx, cy) = (margin + col * cell_w, y + row * cell_h);
        let pad = c.px(14.0);
        let head = c.set(&panel.head, size::PANEL_TITLE, true, cell_w - pad, 1);
        c.block(&head, (cx, cy + c.px(6.0)), c.pal.text, HPos::Left)?;
        let top = cy + c.px(size::PANEL_TITLE * 1.6 + 6.0);
        let Some((ymin, ymax)) = panel.y else {
            c.text(
                "no data",
                (cx + cell_w / 2, cy + cell_h / 2),
                tick,
                false,
                c.pal.muted,
                CENTER,
            )?;
            continue;
        };
        let (yticks, (ylo, yhi)) = Ticks::covering(ymin, ymax, 4, panel.percent);
        let (x0, _, x1, _) = c.plot_box(
            cx,
            top,
            cx + cell_w - pad * 2,
            cy + cell_h,
            &yticks,
            0,
            false,
            tick,
        );
        let y1 = cy + cell_h - c.px(tick * 1.6);
        let p = Panel {
            x0,
            y0: top + c.px(4.0),
            x1,
            y1,
            xr,
            yr: (ylo, yhi),
        };
        c.axes(&p, &xticks, &yticks, None, None, tick, true)?;
        draw_bands(c, &p, &panel.lines)?;
        draw_vlines(c, &p, &d.vlines, 1.5)?;
        for l in panel.lines.iter().rev() {
            c.series(&p, &l.points, l.color, c.stroke(3.5), l.dash)?;
        }
    }
    c.shared_xlabel(
        "Years since founding",
        c.w / 2,
        bottom - xlabel_h + c.px(6.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Theme;
    use crate::chart::fixture::{band, results, scenario};

    #[test]
    fn the_dashboard_has_a_panel_per_metric_and_says_when_there_is_no_band() {
        let x = [0.0, 1.0, 2.0];
        let r = results(
            vec![scenario(0, "baseline", 2.0, 1)],
            vec![
                (
                    "baseline",
                    "headcount",
                    band(&x, &[15.0, 30.0, 60.0], false),
                ),
                ("baseline", "knowledge", band(&x, &[0.5, 0.6, 0.7], false)),
            ],
        );
        let d = prepare(&r, &PlotOptions::default(), &Palette::of(Theme::Light));
        assert_eq!(d.panels.len(), DASHBOARD.len());
        assert_eq!(d.horizon, 2.0);
        // Counts start at 0; knowledge does not have to.
        assert_eq!(d.panels[0].y.map(|y| y.0), Some(0.0));
        assert!(d.panels[5].y.is_some_and(|y| y.0 > 0.0));
        // A metric without data gets no range (the panel says so).
        assert_eq!(d.panels[1].y, None);
        assert!(
            d.note.contains("1 replicate, so no confidence band"),
            "{}",
            d.note
        );
    }
}
