//! The two systems chart: management (process density) and leadership (the share of
//! employees leading or helping an initiative) over the organization's life, with the years
//! both are strong highlighted.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;

use super::PlotOptions;
use super::captions::{band_note, provenance, replicates_text, titles};
use super::data::{Band, Results, ScenarioInfo};
use super::frame::{Canvas, Drawn, LINE_SPACING, LegendItem, Panel, Sample, Ticks, size};
use super::series::{
    Line, VLine, draw_vlines, horizon, intervention_lines, scenario_interventions,
};
use super::style::{Dash, Palette};
use super::time_chart::{self, TimeChart};
use crate::numbers::number;

/// What the two systems chart draws: one scenario on a time chart, or several in panels.
pub(super) enum TwoSystems {
    One(TimeChart),
    Panels(Panels),
}

/// The two systems chart's plan. One scenario: management and leadership on one plot, its dual
/// window highlighted. Several: small multiples, one panel per scenario in the same colours
/// (orange management, blue leadership) on shared axes, each with its own dual window, its
/// interventions and the first scenario's leadership for comparison. Telling six scenarios'
/// twelve lines apart by line pattern on one plot does not work (their management lines lie
/// on top of each other); panels keep the story of each readable at a glance.
pub(super) fn prepare(results: &Results, opts: &PlotOptions, pal: &Palette) -> TwoSystems {
    let scenarios: Vec<&ScenarioInfo> = results.of_model("lifecycle").map(|(_, s)| s).collect();
    if scenarios.len() > 1 {
        return TwoSystems::Panels(prepare_panels(results, opts, pal, &scenarios));
    }
    let (title, subtitle) = titles(
        opts,
        "Two systems: management and leadership",
        "Management grows as process density; leadership is the share of employees leading or helping an initiative".into(),
    );
    let mut lines = Vec::new();
    let legend = two_systems_legend(pal, None);
    let first = scenarios.first();
    if let Some(s) = first {
        for (metric, color, label) in [
            ("process_density", pal.management, "Management"),
            ("leadership_share", pal.leadership, "Leadership"),
        ] {
            if let Some(b) = results.band(&s.name, metric) {
                let mut line =
                    Line::from_band(s.display(), b, results.band_kind, color, Dash::Solid);
                line.end_label = Some(label.to_string());
                lines.push(line);
            }
        }
    }
    let highlight = first.and_then(|f| {
        dual_window(results, f).map(|(a, b)| {
            (
                a,
                b,
                format!(
                    "Both systems strong: years {}\u{2013}{}",
                    number(a, 1),
                    number(b, 1)
                ),
            )
        })
    });
    let horizon = horizon(results, "lifecycle", &lines);
    let n_text = replicates_text(results, "lifecycle");
    let mut notes = vec![band_note(&lines, &n_text, "week", results.band_kind)];
    notes.push(match (&first, &highlight) {
        (Some(f), Some(_)) => format!(
            "Highlighted: the years in which most replicates of \u{201c}{}\u{201d} are in the dual phase (process density at least 0.45 and at least 15% of employees leading). {}.",
            f.display(),
            provenance(results)
        ),
        (Some(f), None) => format!(
            "\u{201c}{}\u{201d} never has a dual phase in most of its replicates (process density at least 0.45 with at least 15% of employees leading). {}.",
            f.display(),
            provenance(results)
        ),
        _ => provenance(results),
    });
    TwoSystems::One(TimeChart {
        title,
        subtitle,
        xlabel: "Years since founding".into(),
        ylabel: "Level (0 to 1)".into(),
        percent: false,
        legend,
        lines,
        phases: Vec::new(),
        phase_titles: Vec::new(),
        highlight,
        // Colour means management or leadership here, so interventions are drawn neutral.
        vlines: intervention_lines(results, pal, horizon.unwrap_or(0.0), true, true)
            .into_iter()
            .map(|v| VLine {
                color: pal.muted,
                ..v
            })
            .collect(),
        notes,
        mark_peak: false,
        y_floor: Some(0.0),
        y_fixed: None,
        x_end: horizon,
    })
}

/// The years in which most replicates of `s` are in the dual phase (the first such span).
fn dual_window(results: &Results, s: &ScenarioInfo) -> Option<(f64, f64)> {
    let phases = results.columns.label_names("phase");
    results
        .phase_spans(&s.name, &phases, 0.25)
        .into_iter()
        .find(|p| phases[p.0] == "dual")
        .map(|(_, a, b)| (a, b))
}

/// The legend of the two systems chart; with a reference scenario, also its leadership line.
fn two_systems_legend(pal: &Palette, reference: Option<&str>) -> Vec<LegendItem> {
    let mut legend = vec![
        LegendItem {
            label: "Management: process density (index 0\u{2013}1)".into(),
            color: pal.management,
            dash: Dash::Solid,
            sample: Sample::Line,
        },
        LegendItem {
            label: "Leadership: share of employees leading".into(),
            color: pal.leadership,
            dash: Dash::Solid,
            sample: Sample::Line,
        },
    ];
    if let Some(reference) = reference {
        legend.push(LegendItem {
            label: format!("{reference}: leadership"),
            color: pal.muted,
            dash: Dash::Dashed,
            sample: Sample::Line,
        });
    }
    legend
}

/// Columns and rows of small multiples for `n` panels on a wide canvas.
fn grid_shape(n: usize) -> (usize, usize) {
    let cols = match n {
        0..=3 => n.max(1),
        4 => 2,
        5..=9 => 3,
        _ => 4,
    };
    (cols, n.div_ceil(cols))
}

/// The small multiples: one panel per scenario.
pub(super) struct Panels {
    pub(super) title: String,
    pub(super) subtitle: String,
    pub(super) legend: Vec<LegendItem>,
    pub(super) notes: Vec<String>,
    /// The shared time axis's end; None without data.
    pub(super) horizon: Option<f64>,
    /// The first scenario's leadership, drawn in the other panels for comparison.
    pub(super) reference_leadership: Option<Line>,
    pub(super) panels: Vec<ScenarioPanel>,
}

/// One scenario's panel.
pub(super) struct ScenarioPanel {
    /// The scenario's place in the run (its colour).
    pub(super) index: usize,
    pub(super) name: String,
    /// Under the name: what the scenario does, and its dual window.
    pub(super) about: String,
    /// The years both systems are strong.
    pub(super) window: Option<(f64, f64)>,
    pub(super) vlines: Vec<VLine>,
    /// Management, then leadership.
    pub(super) lines: Vec<Line>,
}

fn prepare_panels(
    results: &Results,
    opts: &PlotOptions,
    pal: &Palette,
    scenarios: &[&ScenarioInfo],
) -> Panels {
    let (title, subtitle) = titles(
        opts,
        "Two systems: management and leadership",
        "Management grows as process density; leadership is the share of employees leading or helping an initiative".into(),
    );
    let reference = scenarios[0];
    let n_text = replicates_text(results, "lifecycle");
    let reference_leadership = results.band(&reference.name, "leadership_share").map(|b| {
        Line::from_band(
            reference.display(),
            b,
            results.band_kind,
            pal.muted,
            Dash::Dashed,
        )
    });
    let any_band = scenarios.iter().any(|s| {
        results
            .band(&s.name, "process_density")
            .is_some_and(Band::has_ci)
    });
    let notes = vec![
        if any_band {
            format!(
                "Lines: mean of {n_text} per scenario; {}.",
                results.band_kind.note()
            )
        } else {
            format!("Lines: {n_text}, so no confidence band can be drawn.")
        },
        format!(
            "Tinted: the years most replicates are in the dual phase (density at least 0.45, at least 15% leading). Dashed lines: interventions. {}.",
            provenance(results)
        ),
    ];
    let horizon = horizon(results, "lifecycle", &[]).or_else(|| {
        scenarios
            .iter()
            .filter_map(|s| results.band(&s.name, "process_density"))
            .filter_map(|b| b.x.last().copied())
            .reduce(f64::max)
    });
    let panels = match horizon {
        None => Vec::new(),
        Some(horizon) => scenarios
            .iter()
            .map(|s| {
                let (vlines, words) = scenario_interventions(s, pal.muted, horizon, false, true);
                let window = dual_window(results, s);
                let window_text = match window {
                    Some((a, b)) => format!(
                        "both systems strong in years {}\u{2013}{}",
                        number(a, 1),
                        number(b, 1)
                    ),
                    None => "never both systems strong".into(),
                };
                let what = if words.is_empty() {
                    "No intervention".to_string()
                } else {
                    words.join("; ")
                };
                let lines = [
                    ("process_density", pal.management),
                    ("leadership_share", pal.leadership),
                ]
                .iter()
                .filter_map(|&(metric, color)| {
                    results.band(&s.name, metric).map(|b| {
                        Line::from_band(s.display(), b, results.band_kind, color, Dash::Solid)
                    })
                })
                .collect();
                ScenarioPanel {
                    index: s.index,
                    name: s.display().to_string(),
                    about: format!("{what} \u{b7} {window_text}"),
                    window,
                    vlines,
                    lines,
                }
            })
            .collect(),
    };
    Panels {
        title,
        subtitle,
        legend: two_systems_legend(pal, Some(reference.display())),
        notes,
        horizon,
        reference_leadership,
        panels,
    }
}

/// Draws the chart.
pub(super) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, t: &TwoSystems) -> Drawn {
    match t {
        TwoSystems::One(chart) => time_chart::draw(c, chart),
        TwoSystems::Panels(panels) => draw_panels(c, panels),
    }
}

fn draw_panels<DB: DrawingBackend>(c: &Canvas<DB>, t: &Panels) -> Drawn {
    let margin = c.px(36.0);
    let mut y = c.header(&t.title, &t.subtitle)?;
    y = c.legend(&t.legend, margin, y, c.w - margin)?;
    let bottom = c.footnote(&t.notes)?;
    let xlabel_h = c.px(size::AXIS_LABEL * 1.5);
    let ylabel_w = c.px(size::AXIS_LABEL * 1.6);
    let (cols, rows) = grid_shape(t.panels.len().max(1));
    let left = margin + ylabel_w;
    let cell_w = (c.w - margin - left) / cols as i32;
    let cell_h = (bottom - xlabel_h - y) / rows as i32;
    let tick = 21.0;
    let Some(horizon) = t.horizon else {
        return c.message(y, bottom, "No data to draw: the results have no replicates");
    };
    let (xticks, xr) = Ticks::time(0.0, horizon, if cols >= 3 { 4 } else { 5 });
    let head_h = c.px(size::PANEL_TITLE * 1.35);
    let sub_line = c.px(size::NOTE * LINE_SPACING);
    let pad = c.px(18.0);
    let width = cell_w - pad;
    let abouts: Vec<_> = t
        .panels
        .iter()
        .map(|s| c.set(&s.about, size::NOTE, false, width, 2))
        .collect();
    let heads: Vec<_> = t
        .panels
        .iter()
        .map(|s| c.set(&s.name, size::PANEL_TITLE, true, width, 2))
        .collect();
    let head_lines = heads.iter().map(|b| b.lines.len()).max().unwrap_or(1) as i32;
    let head_h = head_h + (head_lines - 1) * c.px(size::PANEL_TITLE * LINE_SPACING);
    let about_lines = abouts.iter().map(|b| b.lines.len()).max().unwrap_or(1) as i32;
    let plot_h = cell_h - head_h - about_lines * sub_line - c.px(10.0 + tick * 1.6);
    let (yticks, yr) = Ticks::covering(0.0, 1.0, if plot_h < c.px(200.0) { 2 } else { 4 }, false);
    for (k, s) in t.panels.iter().enumerate() {
        let (col, row) = ((k % cols) as i32, (k / cols) as i32);
        let (cx, cy) = (left + col * cell_w, y + row * cell_h);
        let color = c.pal.scenario(s.index);
        c.block(&heads[k], (cx, cy), color, HPos::Left)?;
        c.block(&abouts[k], (cx, cy + head_h), c.pal.muted, HPos::Left)?;
        let top = cy + head_h + about_lines * sub_line + c.px(10.0);
        let (x0, _, x1, y1) = c.plot_box(cx, top, cx + width, cy + cell_h, &yticks, 0, false, tick);
        let p = Panel {
            x0,
            y0: top,
            x1,
            y1,
            xr,
            yr,
        };
        if let Some((a, b)) = s.window {
            c.rect(
                (p.x_px(a), p.y0),
                (p.x_px(b.min(horizon)), p.y1),
                c.pal.highlight,
                1.0,
            )?;
        }
        c.axes(&p, &xticks, &yticks, None, None, tick, true)?;
        for l in &s.lines {
            c.band(&p, &l.band, l.color)?;
        }
        draw_vlines(c, &p, &s.vlines, 2.0)?;
        if k > 0
            && let Some(r) = &t.reference_leadership
        {
            c.series(&p, &r.points, r.color, c.stroke(2.5), Dash::Dashed)?;
        }
        for l in s.lines.iter().rev() {
            c.series(&p, &l.points, l.color, c.stroke(4.0), Dash::Solid)?;
        }
    }
    let grid_mid = y + (rows as i32 * cell_h) / 2;
    c.text_up(
        "Level (0 to 1)",
        (margin + ylabel_w / 3, grid_mid),
        size::AXIS_LABEL,
        c.pal.text,
    )?;
    c.shared_xlabel(
        "Years since founding",
        (left + c.w - margin) / 2,
        bottom - xlabel_h + c.px(6.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Theme;
    use crate::chart::fixture::{band, marker, results, scenario};

    #[test]
    fn one_scenario_is_a_time_chart_and_several_are_panels() {
        let x = [0.0, 5.0, 10.0];
        let bands = |s: &'static str| {
            vec![
                (s, "process_density", band(&x, &[0.1, 0.5, 0.8], true)),
                (s, "leadership_share", band(&x, &[0.4, 0.2, 0.05], true)),
            ]
        };
        let pal = Palette::of(Theme::Light);
        let one = results(vec![scenario(0, "baseline", 10.0, 2)], bands("baseline"));
        let TwoSystems::One(t) = prepare(&one, &PlotOptions::default(), &pal) else {
            panic!("one scenario draws a time chart");
        };
        assert_eq!(t.lines.len(), 2);
        assert_eq!(t.lines[1].end_label.as_deref(), Some("Leadership"));
        let mut remedy = scenario(1, "dual-system", 10.0, 2);
        remedy.interventions = vec![marker("Dual operating system", 5.0, None, None)];
        let mut all = bands("baseline");
        all.extend(bands("dual-system"));
        let two = results(vec![scenario(0, "baseline", 10.0, 2), remedy], all);
        let TwoSystems::Panels(p) = prepare(&two, &PlotOptions::default(), &pal) else {
            panic!("two scenarios draw panels");
        };
        assert_eq!(p.panels.len(), 2);
        assert_eq!(p.horizon, Some(10.0));
        assert!(p.reference_leadership.is_some());
        assert_eq!(
            p.panels[0].about,
            "No intervention \u{b7} never both systems strong"
        );
        assert!(
            p.panels[1]
                .about
                .starts_with("Dual operating system from year 5")
        );
        assert_eq!(p.panels[1].vlines.len(), 1);
    }
}
