//! The charts: which apply to a set of results, and how each is drawn.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::columns::{column_axis, column_label, column_title, column_unit, is_share, readable};
use super::data::{Band, ComparisonRow, Results};
use super::frame::{
    BOTTOM_LEFT, CENTER_LEFT, Canvas, Drawn, LegendItem, Panel, Sample, TOP_CENTER, TOP_LEFT,
    Ticks, size,
};
use super::style::{Dash, Palette, decimals_for_value, number, short, signed};
use super::{ChartError, PlotOptions};

/// The dashboard's metrics, in reading order.
const DASHBOARD: &[&str] = &[
    "headcount",
    "process_density",
    "leadership_share",
    "engagement",
    "efficiency",
    "knowledge",
    "active_initiatives",
    "innovation_capacity",
];

/// Metrics read from `bands.csv` (besides the phase shares and a `--metric`).
pub const NEEDED: &[&str] = &[
    "headcount",
    "process_density",
    "leadership_share",
    "engagement",
    "efficiency",
    "knowledge",
    "active_initiatives",
    "innovation_capacity",
    "innovation_capacity_per_100",
];

/// The comparison chart's outcomes, in order, where present.
const MAIN_OUTCOMES: &[&str] = &[
    "mean_capacity_per_100",
    "capacity_auc",
    "cumulative_innovations",
    "peak_capacity",
    "mean_efficiency",
    "final_headcount",
    "equilibrium_knowledge",
    "periods",
];

fn metric_title(results: &Results, metric: &str) -> String {
    column_title(&results.columns, metric)
}

fn metric_axis(results: &Results, metric: &str) -> String {
    column_axis(&results.columns, metric)
}

fn is_percent(results: &Results, metric: &str) -> bool {
    is_share(&results.columns, metric)
}

/// One chart to draw.
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    Capacity { per_100: bool },
    TwoSystems,
    Dashboard,
    Comparison,
    Knowledge,
    Metric(String),
}

impl Chart {
    pub fn file_name(&self) -> String {
        match self {
            Chart::Capacity { per_100: false } => "innovation_capacity".into(),
            Chart::Capacity { per_100: true } => "innovation_capacity_per_100".into(),
            Chart::TwoSystems => "two_systems".into(),
            Chart::Dashboard => "dashboard".into(),
            Chart::Comparison => "comparison".into(),
            Chart::Knowledge => "knowledge".into(),
            Chart::Metric(m) => m.clone(),
        }
    }
}

/// The charts that apply to `results` under `opts`.
pub fn plan(results: &Results, opts: &PlotOptions) -> Result<Vec<Chart>, ChartError> {
    if let Some(metric) = &opts.metric {
        if !results.metrics.iter().any(|m| m == metric) || metric.starts_with("phase=") {
            return Err(ChartError::UnknownMetric {
                name: metric.clone(),
                available: results
                    .metrics
                    .iter()
                    .filter(|m| !m.starts_with("phase="))
                    .cloned()
                    .collect(),
            });
        }
        return Ok(vec![Chart::Metric(metric.clone())]);
    }
    let lifecycle = results.scenarios.iter().any(|s| s.model == "lifecycle");
    let march = results.scenarios.iter().any(|s| s.model == "march1991");
    let mut plan = Vec::new();
    if lifecycle {
        plan.extend([
            Chart::Capacity { per_100: false },
            Chart::Capacity { per_100: true },
            Chart::TwoSystems,
            Chart::Dashboard,
        ]);
    }
    if march {
        plan.push(Chart::Knowledge);
    }
    if results.scenarios.len() > 1 {
        plan.push(Chart::Comparison);
    }
    if let Some(names) = &opts.charts {
        if let Some(missing) = names
            .iter()
            .find(|n| !plan.iter().any(|c| &c.file_name() == *n))
        {
            let why = match missing.as_str() {
                "knowledge" => "it draws March (1991) results, and these have none",
                "comparison" => "it needs two or more scenarios",
                _ => "it draws life-cycle results, and these have none",
            };
            return Err(ChartError::NotApplicable {
                name: missing.clone(),
                why: why.into(),
            });
        }
        plan.retain(|c| names.contains(&c.file_name()));
    }
    Ok(plan)
}

/// One of a run's charts, with what it is drawn from.
pub struct RunChart<'a> {
    pub chart: &'a Chart,
    pub results: &'a Results,
    pub opts: &'a PlotOptions,
}

impl super::Drawing for RunChart<'_> {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Drawn {
        draw(c, self.chart, self.results, self.opts)
    }
}

fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    chart: &Chart,
    results: &Results,
    opts: &PlotOptions,
) -> Drawn {
    match chart {
        Chart::Capacity { per_100 } => capacity(c, results, opts, *per_100),
        Chart::TwoSystems => two_systems(c, results, opts),
        Chart::Dashboard => dashboard(c, results, opts),
        Chart::Comparison => comparison(c, results, opts),
        Chart::Knowledge => knowledge(c, results, opts),
        Chart::Metric(m) => metric_chart(c, results, opts, m),
    }
}

/// A line to draw over time.
struct Line {
    /// The scenario's name.
    name: String,
    color: RGBColor,
    dash: Dash,
    points: Vec<(f64, f64)>,
    /// (x, low, high) where the confidence interval is known.
    band: Vec<(f64, f64, f64)>,
    /// A label written at the line's right end.
    end_label: Option<String>,
    /// Steps averaged into each point.
    bin: usize,
    /// The first and last x of the data before averaging (the axis spans them).
    x_span: (f64, f64),
}

/// At most this many rows of intervention labels above a time chart.
const MAX_LABEL_ROWS: usize = 3;

/// At most this many points a line: monthly points over 20 years, no visible loss at 1600
/// pixels, and the week-to-week sampling noise of the means is averaged out.
const MAX_POINTS: usize = 260;

impl Line {
    /// The band's means (and confidence bounds) averaged over consecutive bins of steps.
    fn from_band(name: &str, b: &Band, color: RGBColor, dash: Dash) -> Line {
        let bin = b.x.len().div_ceil(MAX_POINTS).max(1);
        let mut points = Vec::with_capacity(b.x.len() / bin + 1);
        let mut band = Vec::with_capacity(points.capacity());
        for start in (0..b.x.len()).step_by(bin) {
            let end = (start + bin).min(b.x.len());
            let k = (end - start) as f64;
            let x = b.x[start..end].iter().sum::<f64>() / k;
            points.push((x, b.mean[start..end].iter().sum::<f64>() / k));
            let cis: Vec<(f64, f64)> = b.ci[start..end].iter().flatten().copied().collect();
            if cis.len() == end - start {
                let lo = cis.iter().map(|c| c.0).sum::<f64>() / k;
                let hi = cis.iter().map(|c| c.1).sum::<f64>() / k;
                band.push((x, lo, hi));
            }
        }
        Line {
            name: name.to_string(),
            color,
            dash,
            points,
            band,
            end_label: None,
            bin,
            x_span: (
                b.x.first().copied().unwrap_or(0.0),
                b.x.last().copied().unwrap_or(0.0),
            ),
        }
    }
}

/// `x` moved into `lo..=hi`; `lo` when the range is empty (a label wider than its panel
/// starts at the panel's left edge).
fn within(x: i32, lo: i32, hi: i32) -> i32 {
    x.min(hi).max(lo)
}

/// The parts of `line`'s band that differ from `reference`'s. Scenarios share seeds, so
/// before an intervention their runs, and bands, are identical: drawn once, not stacked into
/// a darker band that matches no legend entry.
fn distinct_band<'a>(line: &'a Line, reference: Option<&Line>) -> Vec<&'a [(f64, f64, f64)]> {
    let Some(reference) = reference else {
        return vec![&line.band[..]];
    };
    let same = |i: usize| reference.band.get(i) == line.band.get(i);
    let mut segments = Vec::new();
    let mut i = 0;
    while i < line.band.len() {
        if same(i) {
            i += 1;
            continue;
        }
        let start = i.saturating_sub(1);
        while i < line.band.len() && !same(i) {
            i += 1;
        }
        let end = (i + 1).min(line.band.len());
        segments.push(&line.band[start..end]);
    }
    segments
}

/// Each scenario of `model` with a band of `metric`, as a line in its colour and pattern.
fn scenario_lines(results: &Results, pal: &Palette, model: &str, metric: &str) -> Vec<Line> {
    results
        .of_model(model)
        .filter_map(|(i, s)| {
            results
                .band(&s.name, metric)
                .map(|b| Line::from_band(&s.name, b, pal.scenario(i), Dash::scenario(i)))
        })
        .collect()
}

/// A vertical line on the time axis.
struct VLine {
    x: f64,
    label: Option<String>,
    color: RGBColor,
}

/// A chart of lines over time, with optional phase shading and markers.
struct TimeChart {
    title: String,
    subtitle: String,
    xlabel: String,
    ylabel: String,
    percent: bool,
    legend: Vec<LegendItem>,
    lines: Vec<Line>,
    /// Phase spans (phase index, from, to), shaded and labelled above the plot.
    phases: Vec<(usize, f64, f64)>,
    /// The phases' titles, by index (declared with the `phase` column).
    phase_titles: Vec<String>,
    /// A highlighted span with its label.
    highlight: Option<(f64, f64, String)>,
    vlines: Vec<VLine>,
    notes: Vec<String>,
    /// Mark the peaks (the first line's, and others' at other times) with their values.
    mark_peak: bool,
    /// Lowest value the y axis must show (usually 0).
    y_floor: Option<f64>,
}

fn titles(opts: &PlotOptions, title: &str, subtitle: String) -> (String, String) {
    (
        opts.title.clone().unwrap_or_else(|| title.to_string()),
        opts.subtitle.clone().unwrap_or(subtitle),
    )
}

fn replicates_text(results: &Results, model: &str) -> String {
    let ns: Vec<u64> = results.of_model(model).map(|(_, s)| s.replicates).collect();
    match (ns.iter().min(), ns.iter().max()) {
        (Some(a), Some(b)) if a == b => format!("{a} replicate{}", if *a == 1 { "" } else { "s" }),
        (Some(a), Some(b)) => format!("{a}\u{2013}{b} replicates"),
        _ => "no replicates".into(),
    }
}

/// What the lines and bands are, for a subtitle: "mean of 50 replicates per scenario, with
/// its 95% confidence band", or, with one replicate, that there is no band.
fn spread(n_text: &str) -> String {
    if n_text == "1 replicate" {
        "a single replicate per scenario, so no confidence band".into()
    } else {
        format!("mean of {n_text} per scenario, with its 95% confidence band")
    }
}

fn provenance(results: &Results) -> String {
    let mut s = format!(
        "orgsim {}",
        results
            .version
            .as_deref()
            .unwrap_or(env!("CARGO_PKG_VERSION"))
    );
    if let Some(seed) = results.seed {
        s += &format!(", seed {seed}");
    }
    s
}

/// Notes on what the lines and bands show, or why there are no bands. `step` names one
/// step of the time axis ("week", "period").
fn band_note(lines: &[Line], n_text: &str, step: &str) -> String {
    let bin = lines.iter().map(|l| l.bin).max().unwrap_or(1);
    let averaged = if bin > 1 {
        format!(" (each point averages {bin} {step}s)")
    } else {
        String::new()
    };
    if lines.is_empty() {
        "No results to draw.".into()
    } else if lines.iter().all(|l| l.band.is_empty()) {
        format!(
            "Lines: {n_text}{averaged}; with a single replicate no confidence band can be drawn."
        )
    } else {
        format!(
            "Lines: mean of {n_text} per scenario{averaged}; shaded bands: 95% confidence interval of the mean."
        )
    }
}

fn scenario_legend(results: &Results, pal: &Palette, model: &str) -> Vec<LegendItem> {
    results
        .of_model(model)
        .map(|(i, s)| LegendItem {
            label: s.name.clone(),
            color: pal.scenario(i),
            dash: Dash::scenario(i),
            sample: Sample::Line,
        })
        .collect()
}

/// Each life-cycle scenario's interventions as vertical lines: at each start (labelled, if
/// `labels`; interventions of one scenario that start together share a label), at each
/// recurrence of a repeating one (if `recurrences`), and at an end.
fn intervention_lines(
    results: &Results,
    pal: &Palette,
    horizon: f64,
    labels: bool,
    recurrences: bool,
) -> Vec<VLine> {
    let mut out = Vec::new();
    for (i, s) in results.of_model("lifecycle") {
        let color = pal.scenario(i);
        // (start, what) in the scenario's order, merged by start.
        let mut starts: Vec<(f64, Vec<String>)> = Vec::new();
        for m in &s.interventions {
            let what = match m.every {
                Some(e) => format!("{} every {} years", m.label, short(e)),
                None => m.label.clone(),
            };
            match starts.iter_mut().find(|(x, _)| *x == m.start) {
                Some((_, list)) => list.push(what.to_lowercase()),
                None => starts.push((m.start, vec![what])),
            }
            if let Some(e) = m.every.filter(|e| *e > 0.0 && recurrences) {
                let mut x = m.start + e;
                while x < horizon && out.len() < 200 {
                    out.push(VLine {
                        x,
                        label: None,
                        color,
                    });
                    x += e;
                }
            }
            if let Some(end) = m.end.filter(|e| *e < horizon) {
                out.push(VLine {
                    x: end,
                    label: labels.then(|| format!("{}: ends in year {}", s.name, short(end))),
                    color,
                });
            }
        }
        for (x, whats) in starts {
            out.push(VLine {
                x,
                label: labels
                    .then(|| format!("{}: {} from year {}", s.name, whats.join(", "), short(x))),
                color,
            });
        }
    }
    out
}

fn capacity<DB: DrawingBackend>(
    c: &Canvas<DB>,
    results: &Results,
    opts: &PlotOptions,
    per_100: bool,
) -> Drawn {
    let metric = if per_100 {
        "innovation_capacity_per_100"
    } else {
        "innovation_capacity"
    };
    let n_text = replicates_text(results, "lifecycle");
    let (title, subtitle) = if per_100 {
        titles(
            opts,
            "Innovation capacity per 100 employees",
            "How much innovation the setting of an average employee supports: expected innovations a year for every 100 people".into(),
        )
    } else {
        titles(
            opts,
            "Innovation capacity over the organization\u{2019}s life",
            format!("Expected innovations a year \u{b7} {}", spread(&n_text)),
        )
    };
    // The absolute curve's peak is the story's turning point; per 100 it is the founding.
    let chart = lifecycle_time_chart(results, c.pal, metric, title, subtitle, !per_100);
    time_chart(c, chart)
}

fn metric_chart<DB: DrawingBackend>(
    c: &Canvas<DB>,
    results: &Results,
    opts: &PlotOptions,
    metric: &str,
) -> Drawn {
    let model = if results.scenarios.iter().any(|s| s.model == "lifecycle") {
        "lifecycle"
    } else {
        "march1991"
    };
    let n_text = replicates_text(results, model);
    let (title, subtitle) = titles(
        opts,
        &metric_title(results, metric),
        readable(&spread(&n_text)),
    );
    let chart = if model == "lifecycle" {
        lifecycle_time_chart(results, c.pal, metric, title, subtitle, false)
    } else {
        march_time_chart(results, c.pal, metric, title, subtitle)
    };
    time_chart(c, chart)
}

fn lifecycle_time_chart(
    results: &Results,
    pal: &Palette,
    metric: &str,
    title: String,
    subtitle: String,
    mark_peak: bool,
) -> TimeChart {
    let lines = scenario_lines(results, pal, "lifecycle", metric);
    let first = results
        .of_model("lifecycle")
        .next()
        .map(|(_, s)| s.name.clone());
    let phases = first
        .as_deref()
        .map(|f| results.phase_spans(f, &results.columns.label_names("phase"), 0.25))
        .unwrap_or_default();
    let horizon = x_extent(&lines).map_or(0.0, |x| x.1);
    let n_text = replicates_text(results, "lifecycle");
    let mut notes = vec![band_note(&lines, &n_text, "week")];
    if let Some(f) = &first
        && !phases.is_empty()
    {
        notes.push(format!(
                "Background: the life-cycle phases of \u{201c}{f}\u{201d} (the phase most of its replicates are in). Vertical lines: interventions. {}.",
                provenance(results)
            ));
    }
    TimeChart {
        title,
        subtitle,
        xlabel: "Years since founding".into(),
        ylabel: metric_axis(results, metric),
        percent: is_percent(results, metric),
        legend: scenario_legend(results, pal, "lifecycle"),
        lines,
        phases,
        phase_titles: results.columns.labels("phase").1,
        highlight: None,
        vlines: intervention_lines(results, pal, horizon, true, true),
        notes,
        mark_peak,
        y_floor: Some(0.0),
    }
}

fn march_time_chart(
    results: &Results,
    pal: &Palette,
    metric: &str,
    title: String,
    subtitle: String,
) -> TimeChart {
    let lines = scenario_lines(results, pal, "march1991", metric);
    let n_text = replicates_text(results, "march1991");
    let notes = vec![
        band_note(&lines, &n_text, "period"),
        format!(
            "A run that reached equilibrium keeps its final value in later periods. {}.",
            provenance(results)
        ),
    ];
    TimeChart {
        title,
        subtitle,
        xlabel: "Period".into(),
        ylabel: metric_axis(results, metric),
        percent: is_percent(results, metric),
        legend: scenario_legend(results, pal, "march1991"),
        lines,
        phases: Vec::new(),
        phase_titles: Vec::new(),
        highlight: None,
        vlines: Vec::new(),
        notes,
        mark_peak: false,
        y_floor: None,
    }
}

fn knowledge<DB: DrawingBackend>(c: &Canvas<DB>, results: &Results, opts: &PlotOptions) -> Drawn {
    let n_text = replicates_text(results, "march1991");
    let (title, subtitle) = titles(
        opts,
        "Knowledge of the organizational code",
        format!("March (1991) model \u{b7} {}", spread(&n_text)),
    );
    let chart = march_time_chart(results, c.pal, "knowledge", title, subtitle);
    time_chart(c, chart)
}

fn two_systems<DB: DrawingBackend>(c: &Canvas<DB>, results: &Results, opts: &PlotOptions) -> Drawn {
    let (title, subtitle) = titles(
        opts,
        "Two systems: management and leadership",
        "Management grows as process density; leadership is the share of employees leading or helping an initiative".into(),
    );
    let mut lines = Vec::new();
    let mut legend = vec![
        LegendItem {
            label: "Management: process density (index 0\u{2013}1)".into(),
            color: c.pal.management,
            dash: Dash::Solid,
            sample: Sample::Line,
        },
        LegendItem {
            label: "Leadership: share of employees leading".into(),
            color: c.pal.leadership,
            dash: Dash::Solid,
            sample: Sample::Line,
        },
    ];
    let scenarios: Vec<_> = results.of_model("lifecycle").collect();
    for (k, (_, s)) in scenarios.iter().enumerate() {
        let dash = Dash::scenario(k);
        for (metric, color, label) in [
            ("process_density", c.pal.management, "Management"),
            ("leadership_share", c.pal.leadership, "Leadership"),
        ] {
            if let Some(b) = results.band(&s.name, metric) {
                let mut line = Line::from_band(&s.name, b, color, dash);
                if k == 0 {
                    line.end_label = Some(label.to_string());
                }
                lines.push(line);
            }
        }
        if scenarios.len() > 1 {
            legend.push(LegendItem {
                label: s.name.clone(),
                color: c.pal.muted,
                dash,
                sample: Sample::Line,
            });
        }
    }
    let first = scenarios.first().map(|(_, s)| s.name.clone());
    let phases = results.columns.label_names("phase");
    let highlight = first.as_deref().and_then(|f| {
        results
            .phase_spans(f, &phases, 0.25)
            .into_iter()
            .find(|p| phases[p.0] == "dual")
            .map(|(_, a, b)| {
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
    let horizon = x_extent(&lines).map_or(0.0, |x| x.1);
    let n_text = replicates_text(results, "lifecycle");
    let mut notes = vec![band_note(&lines, &n_text, "week")];
    notes.push(match (&first, &highlight) {
        (Some(f), Some(_)) => format!(
            "Highlighted: the years \u{201c}{f}\u{201d} is in its dual phase (process density at least 0.45 and at least 15% of employees leading). {}.",
            provenance(results)
        ),
        (Some(f), None) => format!(
            "\u{201c}{f}\u{201d} never has a dual phase (process density at least 0.45 with at least 15% of employees leading). {}.",
            provenance(results)
        ),
        _ => provenance(results),
    });
    if scenarios.len() > 1 {
        legend.insert(
            2,
            LegendItem {
                label: "\u{2003}Line pattern = scenario:".into(),
                color: c.pal.background,
                dash: Dash::Solid,
                sample: Sample::Heading,
            },
        );
    }
    let chart = TimeChart {
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
        vlines: intervention_lines(results, c.pal, horizon, true, true)
            .into_iter()
            .map(|v| VLine {
                color: c.pal.muted,
                ..v
            })
            .collect(),
        notes,
        mark_peak: false,
        y_floor: Some(0.0),
    };
    time_chart(c, chart)
}

/// The y range to show: the means' range, widened to take in the confidence bands by at most
/// 30% of it on each side (with a few replicates a t-interval can be many times wider than
/// the curves; it is then clipped at the frame rather than flattening every line). With a
/// `floor` (0 for quantities that cannot be negative) the axis starts there when every mean
/// is at or above it.
fn y_range(lines: &[Line], floor: Option<f64>) -> Option<(f64, f64)> {
    let means = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .filter(|v| v.is_finite());
    let (lo, hi) = means.fold(None, |acc: Option<(f64, f64)>, v| {
        Some(acc.map_or((v, v), |(a, b)| (a.min(v), b.max(v))))
    })?;
    let span = (hi - lo).max(hi.abs() * 0.1).max(1e-9);
    let (band_lo, band_hi) = lines
        .iter()
        .flat_map(|l| l.band.iter())
        .fold((lo, hi), |(a, b), &(_, l, h)| (a.min(l), b.max(h)));
    let top = band_hi.min(hi + 0.3 * span);
    let bottom = match floor {
        Some(f) if lo >= f => f,
        _ => band_lo.max(lo - 0.3 * span),
    };
    Some((bottom, top))
}

/// The time axis the lines span, before averaging into bins.
fn x_extent(lines: &[Line]) -> Option<(f64, f64)> {
    lines
        .iter()
        .filter(|l| !l.points.is_empty())
        .map(|l| l.x_span)
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
}

fn time_chart<DB: DrawingBackend>(c: &Canvas<DB>, t: TimeChart) -> Drawn {
    let margin = c.px(36.0);
    let mut y = c.header(&t.title, &t.subtitle)?;
    y = c.legend(&t.legend, margin, y, c.w - margin)?;

    let (Some((xmin, xmax)), Some((ymin, ymax))) =
        (x_extent(&t.lines), y_range(&t.lines, t.y_floor))
    else {
        let bottom = c.footnote(&t.notes)?;
        return c.message(
            y,
            bottom,
            "No data to draw: the results have no replicates of this metric",
        );
    };
    let (yticks, (ylo, yhi)) = Ticks::covering(ymin, ymax, 5, t.percent);
    let (xticks, (xmin, xmax)) =
        Ticks::covering(xmin, xmax, if xmax - xmin > 12.0 { 10 } else { 6 }, false);

    // Room on the right for labels at the lines' ends.
    let end_w = t
        .lines
        .iter()
        .filter_map(|l| l.end_label.as_ref())
        .map(|s| c.measure(s, size::ANNOTATION, true).0 + c.px(16.0))
        .max()
        .unwrap_or(0);
    let right = c.w - margin - end_w - c.px(10.0);
    // The plot's left and right edges (its bottom waits for the footnote).
    let (x0, _, x1, _) = c.plot_box(margin, y, right, c.h, &yticks, true, true, size::TICK);
    let mut p = Panel {
        x0,
        y0: y,
        x1,
        y1: c.h,
        xr: (xmin, xmax),
        yr: (ylo, yhi),
    };

    // Annotation rows above the plot: phase names, then intervention labels.
    let row_h = c.px(size::ANNOTATION * 1.4);
    let mut rows: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut placed: Vec<(usize, i32, bool, &VLine)> = Vec::new();
    let mut omitted = 0;
    for v in t.vlines.iter().filter(|v| v.label.is_some()) {
        let label = v.label.as_deref().unwrap_or_default();
        let w = c.measure(label, size::ANNOTATION, false).0;
        let x = p.x_px(v.x);
        let pad = c.px(8.0);
        // Right of the line if it fits, else left of it.
        let (a, b, right_side) = if x + pad + w <= c.w - margin {
            (x, x + pad + w, true)
        } else {
            (x - pad - w, x, false)
        };
        let free = rows
            .iter()
            .position(|r| r.iter().all(|&(ra, rb)| b + pad < ra || a > rb + pad));
        let row = match free {
            Some(row) => row,
            None if rows.len() < MAX_LABEL_ROWS => {
                rows.push(Vec::new());
                rows.len() - 1
            }
            // No room: the line is drawn, its label left out (and the footnote says so).
            None => {
                omitted += 1;
                continue;
            }
        };
        rows[row].push((a, b));
        placed.push((row, x, right_side, v));
    }
    let mut notes = t.notes.clone();
    if omitted > 0 {
        notes.push(format!(
            "{omitted} intervention label{} left out for room; `orgsim plot DIR --scenarios a,b` draws fewer scenarios.",
            if omitted == 1 { "" } else { "s" }
        ));
    }
    if t.legend.iter().filter(|i| i.sample == Sample::Line).count() > 7 {
        notes.push("Colours repeat after seven scenarios; line patterns tell those apart.".into());
    }
    let bottom = c.footnote(&notes)?;
    let (_, _, _, y1) = c.plot_box(margin, y, right, bottom, &yticks, true, true, size::TICK);
    p.y1 = y1;
    let phase_row = usize::from(!t.phases.is_empty() || t.highlight.is_some());
    p.y0 = y + (phase_row + rows.len()) as i32 * row_h + c.px(6.0);

    // Background: phases, highlight.
    for &(k, a, b) in &t.phases {
        let (xa, xb) = (p.x_px(a.max(xmin)), p.x_px(b.min(xmax)));
        c.rect((xa, p.y0), (xb, p.y1), c.pal.phases[k % 4], 1.0)?;
        let label = t.phase_titles.get(k).map_or("", String::as_str);
        let fitted = c.fit(label, size::ANNOTATION, true, xb - xa - c.px(6.0));
        if !fitted.is_empty() && fitted.chars().count() > 3 {
            c.text(
                &fitted,
                (
                    (xa + xb) / 2,
                    p.y0 - (rows.len() as i32) * row_h - c.px(2.0),
                ),
                size::ANNOTATION,
                true,
                c.pal.muted,
                super::frame::Anchor(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Bottom,
                ),
            )?;
        }
    }
    if let Some((a, b, label)) = &t.highlight {
        let (xa, xb) = (p.x_px(a.max(xmin)), p.x_px(b.min(xmax)));
        c.rect((xa, p.y0), (xb, p.y1), c.pal.highlight, 1.0)?;
        c.text(
            label,
            (xa, p.y0 - (rows.len() as i32) * row_h - c.px(2.0)),
            size::ANNOTATION,
            true,
            c.pal.text,
            BOTTOM_LEFT,
        )?;
    }
    c.axes(
        &p,
        &xticks,
        &yticks,
        Some(&t.xlabel),
        Some(&t.ylabel),
        size::TICK,
        true,
    )?;

    // Bands, then interventions, then lines on top.
    for (k, l) in t.lines.iter().enumerate() {
        for segment in distinct_band(l, (k > 0).then(|| &t.lines[0])) {
            c.band(&p, segment, l.color)?;
        }
    }
    let thin = c.stroke(2.5);
    for v in &t.vlines {
        if v.x < xmin || v.x > xmax {
            continue;
        }
        let x = p.x_px(v.x);
        let top = match placed.iter().find(|pl| std::ptr::eq(pl.3, v)) {
            Some(&(row, ..)) => p.y0 - (rows.len() - row) as i32 * row_h + row_h / 2,
            None => p.y0,
        };
        let w = if v.label.is_some() {
            thin
        } else {
            c.stroke(1.5)
        };
        c.line(vec![(x, top), (x, p.y1)], v.color, w, Dash::Dashed)?;
    }
    for &(row, x, right_side, v) in &placed {
        let label = v.label.as_deref().unwrap_or_default();
        let cy = p.y0 - (rows.len() - row) as i32 * row_h + row_h / 2;
        let pad = c.px(8.0);
        let (at, anchor) = if right_side {
            ((x + pad, cy), CENTER_LEFT)
        } else {
            ((x - pad, cy), super::frame::CENTER_RIGHT)
        };
        c.text(label, at, size::ANNOTATION, false, v.color, anchor)?;
    }
    // The first scenario (the reference) last, on top, so the others show where they leave it.
    let width = c.stroke(4.5);
    for l in t.lines.iter().rev() {
        c.series(&p, &l.points, l.color, width, l.dash)?;
    }

    // Labels at the lines' ends, pushed apart if they would overlap.
    let mut ends: Vec<(i32, &str, RGBColor)> = t
        .lines
        .iter()
        .filter_map(|l| {
            let label = l.end_label.as_deref()?;
            let &(x, y) = l.points.last()?;
            let _ = x;
            Some((p.y_px(y.clamp(ylo, yhi)), label, l.color))
        })
        .collect();
    ends.sort_by_key(|e| e.0);
    let min_gap = c.px(size::ANNOTATION * 1.2);
    for i in 1..ends.len() {
        if ends[i].0 - ends[i - 1].0 < min_gap {
            ends[i].0 = ends[i - 1].0 + min_gap;
        }
    }
    for (y, label, color) in ends {
        c.text(
            label,
            (p.x1 + c.px(12.0), y),
            size::ANNOTATION,
            true,
            color,
            CENTER_LEFT,
        )?;
    }

    // Peaks: the first scenario's, and any other scenario's that comes at another time.
    if t.mark_peak {
        let peak = |l: &Line| {
            l.points
                .iter()
                .copied()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .filter(|p| p.1 > 0.0)
        };
        let first_peak = t.lines.first().and_then(peak);
        let mut taken: Vec<(i32, i32, i32, i32)> = Vec::new();
        for (k, l) in t.lines.iter().enumerate() {
            let Some((px, py)) = peak(l) else { continue };
            // Other scenarios' peaks only when they come at another time, and only while
            // the chart has few enough lines to carry the labels.
            if k > 0 && (t.lines.len() > 4 || first_peak.is_some_and(|f| (f.0 - px).abs() < 0.5)) {
                continue;
            }
            let at = p.px(px, py);
            let text = format!(
                "{}: peak{} {} a year, year {}",
                l.name,
                if l.band.is_empty() {
                    ""
                } else {
                    " of the mean"
                },
                number(py, decimals_for_value(py)),
                number(px, 1)
            );
            // Centred above the peak (kept inside the plot): the curve is lower on both
            // sides of its own peak.
            let tw = c.measure(&text, size::ANNOTATION, true).0;
            let x = within(at.0 - tw / 2, p.x0 + c.px(8.0), p.x1 - tw);
            let y = (at.1 - c.px(34.0)).max(p.y0 + c.px(16.0));
            let half = c.px(size::ANNOTATION * 0.7);
            let bounds = (x, y - half, x + tw, y + half);
            if taken
                .iter()
                .any(|b| bounds.0 < b.2 && b.0 < bounds.2 && bounds.1 < b.3 && b.1 < bounds.3)
            {
                continue;
            }
            taken.push(bounds);
            c.dot(at, c.px(8.0), l.color)?;
            c.label(&text, (x, y), size::ANNOTATION, true, l.color, CENTER_LEFT)?;
        }
    }
    Ok(())
}

fn dashboard<DB: DrawingBackend>(c: &Canvas<DB>, results: &Results, opts: &PlotOptions) -> Drawn {
    let n_text = replicates_text(results, "lifecycle");
    let (title, subtitle) = titles(
        opts,
        "The organization at a glance",
        format!("Key metrics over the years \u{b7} {}", spread(&n_text)),
    );
    let margin = c.px(36.0);
    let mut y = c.header(&title, &subtitle)?;
    let legend = scenario_legend(results, c.pal, "lifecycle");
    y = c.legend(&legend, margin, y, c.w - margin)?;
    let any_band = results
        .of_model("lifecycle")
        .any(|(_, s)| results.band(&s.name, "headcount").is_some_and(Band::has_ci));
    let note = if any_band {
        format!(
            "Lines: means; shaded bands: 95% confidence intervals of the means. Dashed vertical lines: interventions. {}.",
            provenance(results)
        )
    } else {
        format!(
            "Lines: {n_text}, so no confidence band can be drawn. Dashed vertical lines: interventions. {}.",
            provenance(results)
        )
    };
    let bottom = c.footnote(&[note])?;
    let xlabel_h = c.px(size::AXIS_LABEL * 1.5);
    let (cols, rows) = (4, 2);
    let cell_w = (c.w - 2 * margin) / cols;
    let cell_h = (bottom - xlabel_h - y) / rows;
    let tick = 21.0;
    // The shared time axis.
    let horizon = results
        .of_model("lifecycle")
        .filter_map(|(_, s)| results.band(&s.name, "headcount"))
        .filter_map(|b| b.x.last().copied())
        .fold(0.0, f64::max);
    let (xticks, _) = Ticks::covering(0.0, horizon.max(1.0), 4, false);
    let vlines = intervention_lines(results, c.pal, horizon, false, true);
    for (k, metric) in DASHBOARD.iter().enumerate() {
        let (col, row) = (k as i32 % cols, k as i32 / cols);
        let (cx, cy) = (margin + col * cell_w, y + row * cell_h);
        let pad = c.px(14.0);
        let head = format!(
            "{} ({})",
            metric_title(results, metric),
            column_unit(&results.columns, metric)
        );
        let head = c.fit(&head, size::PANEL_TITLE, true, cell_w - pad);
        c.text(
            &head,
            (cx, cy + c.px(6.0)),
            size::PANEL_TITLE,
            true,
            c.pal.text,
            TOP_LEFT,
        )?;
        let lines = scenario_lines(results, c.pal, "lifecycle", metric);
        let top = cy + c.px(size::PANEL_TITLE * 1.6 + 6.0);
        let floor = (metric != &"knowledge").then_some(0.0);
        let Some((ymin, ymax)) = y_range(&lines, floor) else {
            c.text(
                "no data",
                (cx + cell_w / 2, cy + cell_h / 2),
                tick,
                false,
                c.pal.muted,
                super::frame::CENTER,
            )?;
            continue;
        };
        let percent = is_percent(results, metric);
        let (yticks, (ylo, yhi)) = Ticks::covering(ymin, ymax, 4, percent);
        let last_row = row == rows - 1;
        let (x0, _, x1, _) = c.plot_box(
            cx,
            top,
            cx + cell_w - pad * 2,
            cy + cell_h,
            &yticks,
            false,
            false,
            tick,
        );
        let y1 = cy + cell_h - c.px(tick * 1.6);
        let p = Panel {
            x0,
            y0: top + c.px(4.0),
            x1,
            y1,
            xr: (0.0, horizon.max(1.0)),
            yr: (ylo, yhi),
        };
        c.axes(&p, &xticks, &yticks, None, None, tick, true)?;
        for (k, l) in lines.iter().enumerate() {
            for segment in distinct_band(l, (k > 0).then(|| &lines[0])) {
                c.band(&p, segment, l.color)?;
            }
        }
        for v in &vlines {
            let x = p.x_px(v.x);
            c.line(
                vec![(x, p.y0), (x, p.y1)],
                v.color,
                c.stroke(1.5),
                Dash::Dashed,
            )?;
        }
        for l in lines.iter().rev() {
            c.series(&p, &l.points, l.color, c.stroke(3.5), l.dash)?;
        }
        let _ = last_row;
    }
    c.text(
        "Years since founding",
        (c.w / 2, bottom - xlabel_h + c.px(6.0)),
        size::AXIS_LABEL,
        false,
        c.pal.text,
        TOP_CENTER,
    )?;
    Ok(())
}

fn comparison<DB: DrawingBackend>(c: &Canvas<DB>, results: &Results, opts: &PlotOptions) -> Drawn {
    let reference = results
        .scenarios
        .first()
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let others: Vec<(usize, String)> = results
        .scenarios
        .iter()
        .skip(1)
        .map(|s| (s.index, s.name.clone()))
        .collect();
    let rows: Vec<ComparisonRow> = others
        .iter()
        .flat_map(|(_, name)| results.paired(name, &reference))
        .collect();
    // The run's outcome window is the first one comparison.csv lists for each pair.
    let window = rows
        .first()
        .map(|r| r.window.clone())
        .unwrap_or_else(|| "whole run".into());
    // One slot per scenario and window: the run's window first, then the years after the
    // scenario's first intervention (where the remedy's effect is), as comparison.csv has them.
    let mut slots: Vec<(usize, String, String)> = Vec::new();
    for (i, name) in &others {
        slots.push((*i, name.clone(), window.clone()));
        for r in rows
            .iter()
            .filter(|r| &r.scenario == name && r.window != window)
        {
            if !slots.iter().any(|s| &s.1 == name && s.2 == r.window) {
                slots.push((*i, name.clone(), r.window.clone()));
            }
        }
    }
    // Many scenarios: the whole-run rows only, so each row keeps room for its label.
    if slots.len() > 8 {
        slots.retain(|s| s.2 == window);
    }
    let windows_differ = slots.iter().any(|s| s.2 != window);
    let mut outcomes: Vec<String> = MAIN_OUTCOMES
        .iter()
        .filter(|o| rows.iter().any(|r| &r.outcome == *o))
        .map(|o| o.to_string())
        .collect();
    if outcomes.is_empty() {
        for r in &rows {
            if !outcomes.contains(&r.outcome) && outcomes.len() < 6 {
                outcomes.push(r.outcome.clone());
            }
        }
    }
    let n = rows.iter().map(|r| r.n).max().unwrap_or(0);
    let pairs = format!("{n} pair{}", if n == 1 { "" } else { "s" });
    let interval = if rows.iter().any(|r| r.ci.is_some()) {
        "with its 95% confidence interval"
    } else {
        "no confidence interval from a single pair"
    };
    let (title, subtitle) = titles(
        opts,
        &format!("What each scenario changes against \u{201c}{reference}\u{201d}"),
        format!(
            "Paired difference, {interval} \u{b7} {}{} \u{b7} {pairs}",
            if window == "whole run" {
                "whole run".to_string()
            } else {
                window.clone()
            },
            if windows_differ {
                ", and the 5 years after each intervention starts"
            } else {
                ""
            }
        ),
    );
    let margin = c.px(36.0);
    let mut y = c.header(&title, &subtitle)?;
    let legend: Vec<LegendItem> = others
        .iter()
        .map(|(i, name)| LegendItem {
            label: format!("{name} \u{2212} {reference}"),
            color: c.pal.scenario(*i),
            dash: Dash::Solid,
            sample: Sample::Line,
        })
        .collect();
    y = c.legend(&legend, margin, y, c.w - margin)?;
    let notes = vec![
        "Rows follow the legend\u{2019}s order. An interval that does not cross the zero line is a difference unlikely to be chance (5% level).".to_string(),
        format!("Each replicate of every scenario shares its seed, so differences are paired. {}.", provenance(results)),
    ];
    let bottom = c.footnote(&notes)?;
    if outcomes.is_empty() || others.is_empty() {
        return c.message(
            y,
            bottom,
            "No paired comparisons in these results (comparison.csv)",
        );
    }
    let cols = if outcomes.len() <= 2 {
        outcomes.len()
    } else if outcomes.len() == 4 {
        2
    } else {
        3
    } as i32;
    let grid_rows = (outcomes.len() as i32 + cols - 1) / cols;
    let cell_w = (c.w - 2 * margin) / cols;
    let cell_h = (bottom - y) / grid_rows;
    let tick = 21.0;
    for (k, outcome) in outcomes.iter().enumerate() {
        let (col, row) = (k as i32 % cols, k as i32 / cols);
        let (cx, cy) = (margin + col * cell_w, y + row * cell_h);
        let pad = c.px(28.0);
        let head = c.fit(
            &column_label(&results.columns, outcome),
            size::PANEL_TITLE,
            true,
            cell_w - pad,
        );
        c.text(
            &head,
            (cx, cy + c.px(4.0)),
            size::PANEL_TITLE,
            true,
            c.pal.text,
            TOP_LEFT,
        )?;
        let data: Vec<(usize, &ComparisonRow)> = slots
            .iter()
            .enumerate()
            .filter_map(|(k, (_, name, w))| {
                rows.iter()
                    .find(|r| &r.scenario == name && &r.outcome == outcome && &r.window == w)
                    .map(|r| (k, r))
            })
            .collect();
        // Differences too small to matter (all within 0.01% of the reference's mean) get a
        // sentence instead of an axis of 0.00001s.
        let reference_mean = data.first().map_or(0.0, |(_, r)| r.versus_mean.abs());
        let largest = data
            .iter()
            .map(|(_, r)| {
                let (a, b) = r.ci.unwrap_or((r.difference, r.difference));
                a.abs().max(b.abs()).max(r.difference.abs())
            })
            .fold(0.0, f64::max);
        if !data.is_empty() && reference_mean > 0.0 && largest < 1e-4 * reference_mean {
            let lines = [
                "No difference that matters:".to_string(),
                format!(
                    "all within 0.01% of {}",
                    number(reference_mean, decimals_for_value(reference_mean) + 1)
                ),
            ];
            for (j, line) in lines.iter().enumerate() {
                c.text(
                    line,
                    (cx, cy + cell_h / 2 + j as i32 * c.px(tick * 1.4)),
                    tick,
                    false,
                    c.pal.muted,
                    CENTER_LEFT,
                )?;
            }
            continue;
        }
        let mut lo = 0.0f64;
        let mut hi = 0.0f64;
        for (_, r) in &data {
            let (a, b) = r.ci.unwrap_or((r.difference, r.difference));
            lo = lo.min(a).min(r.difference);
            hi = hi.max(b).max(r.difference);
        }
        if hi - lo <= 0.0 {
            hi = lo + 1.0;
        }
        let (xticks, (xlo, xhi)) =
            Ticks::covering(lo - (hi - lo) * 0.06, hi + (hi - lo) * 0.06, 4, false);
        let top = cy + c.px(size::PANEL_TITLE * 1.7);
        let p = Panel {
            x0: cx + c.px(24.0),
            y0: top,
            x1: cx + cell_w - pad,
            y1: cy + cell_h - c.px(tick * 2.4),
            xr: (xlo, xhi),
            // Headroom above the first slot for its label.
            yr: (0.0, slots.len() as f64 + 0.4),
        };
        c.outline((p.x0, p.y0), (p.x1, p.y1), c.pal.grid, c.stroke(1.5))?;
        let none = Ticks {
            values: Vec::new(),
            decimals: 0,
            percent: false,
        };
        c.axes(&p, &xticks, &none, None, None, tick, true)?;
        let zero = p.x_px(0.0);
        c.line(
            vec![(zero, p.y0), (zero, p.y1)],
            c.pal.axis,
            c.stroke(2.5),
            Dash::Solid,
        )?;
        for (slot, (i, name, w)) in slots.iter().enumerate() {
            let yc = p.y_px(slots.len() as f64 - slot as f64 - 0.5);
            let Some((_, r)) = data.iter().find(|(k, _)| *k == slot) else {
                c.text(
                    &format!("{name}, {w}: not compared"),
                    ((p.x0 + p.x1) / 2, yc),
                    tick,
                    false,
                    c.pal.muted,
                    super::frame::CENTER,
                )?;
                continue;
            };
            let color = c.pal.scenario(*i);
            if let Some((a, b)) = r.ci {
                c.line(
                    vec![(p.x_px(a), yc), (p.x_px(b), yc)],
                    color,
                    c.stroke(5.0),
                    Dash::Solid,
                )?;
                for e in [a, b] {
                    let x = p.x_px(e);
                    c.line(
                        vec![(x, yc - c.px(10.0)), (x, yc + c.px(10.0))],
                        color,
                        c.stroke(3.0),
                        Dash::Solid,
                    )?;
                }
            }
            c.dot((p.x_px(r.difference), yc), c.px(9.0), color)?;
            let d = decimals_for_value(
                r.difference
                    .abs()
                    .max(r.ci.map_or(0.0, |(a, b)| (b - a) / 2.0)),
            );
            let mut text = match r.ci {
                Some((a, b)) => format!(
                    "{} [{} to {}]",
                    signed(r.difference, d),
                    signed(a, d),
                    signed(b, d)
                ),
                None => format!("{} (no interval)", signed(r.difference, d)),
            };
            if windows_differ {
                text = format!("{}: {text}", w.replace('-', "\u{2013}"));
            }
            if others.len() > 3 {
                text = format!("{name}: {text}");
            }
            let slot_h = f64::from(p.y1 - p.y0) / (slots.len() as f64 + 0.4);
            let text_h = f64::from(c.px(tick));
            if slot_h < text_h * 1.15 {
                // Too many rows for any label: the points and intervals speak alone.
                continue;
            }
            if slot_h >= text_h * 2.1 {
                // Above the interval, centred on the point.
                let text = c.fit(&text, tick, false, p.x1 - p.x0);
                let tw = c.measure(&text, tick, false).0;
                let text_y = yc - (slot_h * 0.22).max(f64::from(c.px(22.0))) as i32;
                let tx = within(
                    p.x_px(r.difference) - tw / 2,
                    p.x0 + c.px(8.0),
                    p.x1 - tw - c.px(8.0),
                );
                c.label(&text, (tx, text_y), tick, false, c.pal.text, CENTER_LEFT)?;
            } else {
                // Beside the interval, on its row, on the side with more room (shortened to
                // fit it rather than covering the data).
                let (a, b) = r.ci.unwrap_or((r.difference, r.difference));
                let gap = c.px(16.0);
                let right = p.x_px(a.max(b)) + gap;
                let left = p.x_px(a.min(b)) - gap;
                let (room_right, room_left) = (p.x1 - right, left - p.x0);
                let text = c.fit(&text, tick, false, room_right.max(room_left));
                let tw = c.measure(&text, tick, false).0;
                let tx = if tw <= room_right || room_right >= room_left {
                    right
                } else {
                    left - tw
                };
                c.label(&text, (tx, yc), tick, false, c.pal.text, CENTER_LEFT)?;
            }
        }
    }
    Ok(())
}
