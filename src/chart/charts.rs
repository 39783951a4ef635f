//! The charts: which apply to a set of results, and how each is drawn.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use plotters::style::text_anchor::{HPos, VPos};

use super::columns::{column_axis, column_title, column_unit, is_share, readable};
use super::data::{Band, Results, ScenarioInfo};

use super::frame::{
    Anchor, BOTTOM_LEFT, CENTER_LEFT, Canvas, Drawn, LegendItem, Panel, Sample, TOP_CENTER, Ticks,
    size,
};
use super::style::{Dash, Palette};
use super::{ChartError, PlotOptions};
use crate::numbers::{decimals_for_value, number, short};

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

/// A `phase=NAME` metric of `bands.csv` (the share of replicates in that phase): the
/// phase's name, and its declared title where the name alone does not say what it means.
fn phase_share(results: &Results, metric: &str) -> Option<String> {
    let name = metric.strip_prefix("phase=")?;
    let (labels, titles) = results.columns.labels("phase");
    let title = labels
        .iter()
        .position(|l| l == name)
        .and_then(|k| titles.get(k))
        .map(|t| t.to_lowercase())
        .filter(|t| *t != name.replace('_', " "));
    let name = name.replace('_', " ");
    Some(match title {
        Some(t) => format!("{name} phase ({t})"),
        None => format!("{name} phase"),
    })
}

fn metric_title(results: &Results, metric: &str) -> String {
    if let Some(phase) = phase_share(results, metric) {
        return format!("Share of replicates in the {phase}");
    }
    column_title(&results.columns, metric)
}

fn metric_axis(results: &Results, metric: &str) -> String {
    if phase_share(results, metric).is_some() {
        return "Share of replicates (0\u{2013}1)".into();
    }
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
        if !results.metrics.iter().any(|m| m == metric) {
            return Err(ChartError::UnknownMetric {
                name: metric.clone(),
                available: results.metrics.clone(),
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
        Chart::TwoSystems => super::two_systems::two_systems(c, results, opts),
        Chart::Dashboard => dashboard(c, results, opts),
        Chart::Comparison => super::comparison::comparison(c, results, opts),
        Chart::Knowledge => knowledge(c, results, opts),
        Chart::Metric(m) => metric_chart(c, results, opts, m),
    }
}

/// A line to draw over time.
pub(super) struct Line {
    /// What the chart calls the scenario (its title, or its name).
    pub(super) name: String,
    pub(super) color: RGBColor,
    pub(super) dash: Dash,
    pub(super) points: Vec<(f64, f64)>,
    /// (x, low, high) where the confidence interval is known.
    pub(super) band: Vec<(f64, f64, f64)>,
    /// A label written at the line's right end.
    pub(super) end_label: Option<String>,
    /// Steps averaged into each point.
    pub(super) bin: usize,
    /// The first and last x of the data before averaging (the axis spans them).
    pub(super) x_span: (f64, f64),
    /// The peak of the mean curve: the first step with the highest mean in `bands.csv`
    /// (x, mean), before averaging, so it is the number the console prints.
    pub(super) peak: Option<(f64, f64)>,
}

/// At most this many rows of intervention labels above a time chart.
const MAX_LABEL_ROWS: usize = 3;

/// At most this many points a line: monthly points over 20 years, no visible loss at 1600
/// pixels, and the week-to-week sampling noise of the means is averaged out.
const MAX_POINTS: usize = 260;

impl Line {
    /// The band's means (and confidence bounds) averaged over consecutive bins of steps.
    pub(super) fn from_band(name: &str, b: &Band, color: RGBColor, dash: Dash) -> Line {
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
            peak: b.x.iter().zip(&b.mean).filter(|(_, m)| m.is_finite()).fold(
                None,
                |best: Option<(f64, f64)>, (&x, &m)| match best {
                    Some(b) if b.1 >= m => Some(b),
                    _ => Some((x, m)),
                },
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
                .map(|b| Line::from_band(s.display(), b, pal.scenario(i), Dash::scenario(i)))
        })
        .collect()
}

/// A vertical line on the time axis.
pub(super) struct VLine {
    pub(super) x: f64,
    pub(super) label: Option<String>,
    pub(super) color: RGBColor,
}

/// A chart of lines over time, with optional phase shading and markers.
pub(super) struct TimeChart {
    pub(super) title: String,
    pub(super) subtitle: String,
    pub(super) xlabel: String,
    pub(super) ylabel: String,
    pub(super) percent: bool,
    pub(super) legend: Vec<LegendItem>,
    pub(super) lines: Vec<Line>,
    /// Phase spans (phase index, from, to), shaded and labelled above the plot.
    pub(super) phases: Vec<(usize, f64, f64)>,
    /// The phases' titles, by index (declared with the `phase` column).
    pub(super) phase_titles: Vec<String>,
    /// A highlighted span with its label.
    pub(super) highlight: Option<(f64, f64, String)>,
    pub(super) vlines: Vec<VLine>,
    pub(super) notes: Vec<String>,
    /// Mark the peaks (the first line's, and others' at other times) with their values.
    pub(super) mark_peak: bool,
    /// Lowest value the y axis must show (usually 0).
    pub(super) y_floor: Option<f64>,
    /// A y range fixed in advance (0 to 1 for a share).
    pub(super) y_fixed: Option<(f64, f64)>,
    /// Where the time axis ends (the run's end); the data's last step if None.
    pub(super) x_end: Option<f64>,
}

pub(super) fn titles(opts: &PlotOptions, title: &str, subtitle: String) -> (String, String) {
    (
        opts.title.clone().unwrap_or_else(|| title.to_string()),
        opts.subtitle.clone().unwrap_or(subtitle),
    )
}

pub(super) fn replicates_text(results: &Results, model: &str) -> String {
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

pub(super) fn provenance(results: &Results) -> String {
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
pub(super) fn band_note(lines: &[Line], n_text: &str, step: &str) -> String {
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
            label: s.display().to_string(),
            color: pal.scenario(i),
            dash: Dash::scenario(i),
            sample: Sample::Line,
        })
        .collect()
}

/// Each life-cycle scenario's interventions as vertical lines: at each start (labelled, if
/// `labels`; interventions of one scenario that start together share a label), at each
/// recurrence of a repeating one (if `recurrences`), and at an end.
pub(super) fn intervention_lines(
    results: &Results,
    pal: &Palette,
    horizon: f64,
    labels: bool,
    recurrences: bool,
) -> Vec<VLine> {
    let mut out = Vec::new();
    for (i, s) in results.of_model("lifecycle") {
        let (lines, _) = scenario_interventions(s, pal.scenario(i), horizon, labels, recurrences);
        out.extend(lines);
        if out.len() >= 200 {
            out.truncate(200);
            break;
        }
    }
    out
}

/// One scenario's interventions: their vertical lines (as [`intervention_lines`] draws
/// them), and what starts when, in words ("Dual operating system from year 10").
pub(super) fn scenario_interventions(
    s: &ScenarioInfo,
    color: RGBColor,
    horizon: f64,
    labels: bool,
    recurrences: bool,
) -> (Vec<VLine>, Vec<String>) {
    let mut out = Vec::new();
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
                label: labels.then(|| format!("{}: ends in year {}", s.display(), short(end))),
                color,
            });
        }
    }
    let mut words = Vec::new();
    for (x, whats) in starts {
        let what = format!("{} from year {}", whats.join(", "), short(x));
        out.push(VLine {
            x,
            label: labels.then(|| format!("{}: {what}", s.display())),
            color,
        });
        words.push(what);
    }
    (out, words)
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
    let first = results.of_model("lifecycle").next().map(|(_, s)| s);
    let phases = first
        .map(|f| results.phase_spans(&f.name, &results.columns.label_names("phase"), 0.25))
        .unwrap_or_default();
    let horizon = horizon(results, "lifecycle", &lines);
    let n_text = replicates_text(results, "lifecycle");
    let mut notes = vec![band_note(&lines, &n_text, "week")];
    if mark_peak && lines.iter().any(|l| l.peak.is_some()) {
        notes.push(if lines.iter().all(|l| l.band.is_empty()) {
            "Marked: the run\u{2019}s peak (peak_capacity in runs.csv).".to_string()
        } else {
            "Marked: the peak of the mean curve (the highest weekly mean in bands.csv). Each run\u{2019}s own peak, peak_capacity in runs.csv, is higher: noise lifts it.".to_string()
        });
    }
    if let Some(f) = first
        && !phases.is_empty()
    {
        notes.push(format!(
            "Background: the life-cycle phases of \u{201c}{}\u{201d} (the phase most of its replicates are in). Vertical lines: interventions. {}.",
            f.display(),
            provenance(results)
        ));
    }
    // A phase share is drawn as what it is, a share from 0 to 1.
    let y_fixed = metric.starts_with("phase=").then_some((0.0, 1.0));
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
        vlines: intervention_lines(results, pal, horizon.unwrap_or(0.0), true, true),
        notes,
        mark_peak,
        y_floor: Some(0.0),
        y_fixed,
        x_end: horizon,
    }
}

/// Where the time axis ends: the run's real end, the longest drawn scenario's `years`
/// from the manifest, or, for models without calendar time (or results without it), the
/// last step in the data.
pub(super) fn horizon(results: &Results, model: &str, lines: &[Line]) -> Option<f64> {
    let scenarios: Vec<_> = results.of_model(model).map(|(_, s)| s).collect();
    if !scenarios.is_empty() && scenarios.iter().all(|s| s.years.is_some()) {
        return scenarios.iter().filter_map(|s| s.years).reduce(f64::max);
    }
    x_extent(lines).map(|x| x.1)
}

fn march_time_chart(
    results: &Results,
    pal: &Palette,
    metric: &str,
    title: String,
    subtitle: String,
) -> TimeChart {
    let lines = scenario_lines(results, pal, "march1991", metric);
    let x_end = horizon(results, "march1991", &lines);
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
        y_fixed: metric.starts_with("phase=").then_some((0.0, 1.0)),
        x_end,
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

pub(super) fn time_chart<DB: DrawingBackend>(c: &Canvas<DB>, t: TimeChart) -> Drawn {
    let margin = c.px(36.0);
    let mut y = c.header(&t.title, &t.subtitle)?;
    y = c.legend(&t.legend, margin, y, c.w - margin)?;

    let (Some((xmin, xmax)), Some((ymin, ymax))) = (
        x_extent(&t.lines).map(|(a, b)| (a, t.x_end.unwrap_or(b))),
        t.y_fixed.or_else(|| y_range(&t.lines, t.y_floor)),
    ) else {
        let bottom = c.footnote(&t.notes)?;
        return c.message(
            y,
            bottom,
            "No data to draw: the results have no replicates of this metric",
        );
    };
    let (yticks, (ylo, yhi)) = Ticks::covering(ymin, ymax, 5, t.percent);
    let (xticks, (xmin, xmax)) = Ticks::time(xmin, xmax, if xmax - xmin > 12.0 { 10 } else { 6 });

    // Room on the right for labels at the lines' ends.
    let end_w = t
        .lines
        .iter()
        .filter_map(|l| l.end_label.as_ref())
        .map(|s| c.measure(s, size::ANNOTATION, true).0 + c.px(16.0))
        .max()
        .unwrap_or(0);
    let right = c.w - margin - end_w - c.px(10.0);
    let row_h = c.px(size::ANNOTATION * 1.4);
    let phase_row = usize::from(!t.phases.is_empty() || t.highlight.is_some());
    // The plot's box depends on how many lines the y-axis label takes, which depends on the
    // plot's height: laid out with one line, and again with two if it needs them.
    let mut ylines = 1;
    let (p, rows, placed, notes) = loop {
        let (x0, _, x1, _) = c.plot_box(margin, y, right, c.h, &yticks, ylines, true, size::TICK);
        let mut p = Panel {
            x0,
            y0: y,
            x1,
            y1: c.h,
            xr: (xmin, xmax),
            yr: (ylo, yhi),
        };
        let (rows, placed, omitted) = place_labels(c, &p, &t.vlines);
        let mut notes = t.notes.clone();
        if omitted > 0 {
            notes.push(format!(
                "{omitted} intervention label{} left out for room; `orgsim plot DIR --scenarios a,b` draws fewer scenarios.",
                if omitted == 1 { "" } else { "s" }
            ));
        }
        if t.legend.iter().filter(|i| i.sample == Sample::Line).count() > 7 {
            notes.push(
                "Colours repeat after seven scenarios; line patterns tell those apart.".into(),
            );
        }
        let bottom = c.footnote_top(&notes);
        let (_, _, _, y1) = c.plot_box(margin, y, right, bottom, &yticks, ylines, true, size::TICK);
        p.y1 = y1;
        p.y0 = y + (phase_row + rows) as i32 * row_h + c.px(6.0);
        let needed = c.ylabel_lines(&t.ylabel, p.y1 - p.y0);
        if needed <= ylines || ylines >= 2 {
            break (p, rows, placed, notes);
        }
        ylines = needed;
    };
    c.footnote(&notes)?;
    let rows_above = |row: usize| p.y0 - (rows - row) as i32 * row_h + row_h / 2;

    // Background: phases, highlight. A phase too short to carry its name at the smallest
    // text size is left unnamed (its tint still shows it), never cut.
    let names_y = p.y0 - rows as i32 * row_h - c.px(2.0);
    for &(k, a, b) in &t.phases {
        let (xa, xb) = (p.x_px(a.max(xmin)), p.x_px(b.min(xmax)));
        c.rect((xa, p.y0), (xb, p.y1), c.pal.phases[k % 4], 1.0)?;
        let name = c.set(
            t.phase_titles.get(k).map_or("", String::as_str),
            size::ANNOTATION,
            true,
            xb - xa - c.px(6.0),
            1,
        );
        if !name.cut {
            c.text(
                &name.lines[0],
                ((xa + xb) / 2, names_y),
                name.px,
                true,
                c.pal.muted,
                Anchor(HPos::Center, VPos::Bottom),
            )?;
        }
    }
    if let Some((a, b, label)) = &t.highlight {
        let (xa, xb) = (p.x_px(a.max(xmin)), p.x_px(b.min(xmax)));
        c.rect((xa, p.y0), (xb, p.y1), c.pal.highlight, 1.0)?;
        let room = c.w - margin - xa;
        let (at, room, anchor) = if c.measure(label, size::ANNOTATION, true).0 <= room {
            (xa, room, BOTTOM_LEFT)
        } else {
            (
                c.w - margin,
                c.w - 2 * margin,
                Anchor(HPos::Right, VPos::Bottom),
            )
        };
        let set = c.set(label, size::ANNOTATION, true, room, 1);
        c.text(
            &set.lines[0],
            (at, names_y),
            set.px,
            true,
            c.pal.text,
            anchor,
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
            Some((row, ..)) => rows_above(*row),
            None => p.y0,
        };
        let w = if v.label.is_some() {
            thin
        } else {
            c.stroke(1.5)
        };
        c.line(vec![(x, top), (x, p.y1)], v.color, w, Dash::Dashed)?;
    }
    for (row, x, right_side, v, set) in &placed {
        let cy = rows_above(*row);
        let pad = c.px(8.0);
        let (at, anchor) = if *right_side {
            ((x + pad, cy), CENTER_LEFT)
        } else {
            ((x - pad, cy), super::frame::CENTER_RIGHT)
        };
        c.text(&set.lines[0], at, set.px, false, v.color, anchor)?;
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

    // Peaks of the mean curves: the first scenario's, and any other scenario's that comes at
    // another time.
    if t.mark_peak {
        let peak = |l: &Line| l.peak.filter(|p| p.1 > 0.0);
        let first_peak = t.lines.first().and_then(peak);
        let mut taken: Vec<(i32, i32, i32, i32)> = Vec::new();
        for (k, l) in t.lines.iter().enumerate() {
            let Some((px, py)) = peak(l) else { continue };
            // Other scenarios' peaks only when they come at another time, and only while
            // the chart has few enough lines to carry the labels.
            if k > 0 && (t.lines.len() > 4 || first_peak.is_some_and(|f| (f.0 - px).abs() < 0.5)) {
                continue;
            }
            let at = p.px(px, py.min(yhi));
            // Centred above the peak (kept inside the plot): the curve is lower on both
            // sides of its own peak. Where the scenario's name makes it too long for a line,
            // the label's colour names the scenario.
            let room = p.x1 - p.x0 - c.px(16.0);
            let mut set = c.set(
                &peak_label(Some(&l.name), !l.band.is_empty(), px, py),
                size::ANNOTATION,
                true,
                room,
                1,
            );
            if set.cut {
                let text = peak_label(None, !l.band.is_empty(), px, py);
                set = c.set(&text, size::ANNOTATION, true, room, 2);
            }
            let (tw, th) = c.block_size(&set);
            let x = within(at.0 - tw / 2, p.x0 + c.px(8.0), p.x1 - tw);
            let y = (at.1 - c.px(22.0) - th).max(p.y0 + c.px(6.0));
            let bounds = (x, y, x + tw, y + th);
            if taken
                .iter()
                .any(|b| bounds.0 < b.2 && b.0 < bounds.2 && bounds.1 < b.3 && b.1 < bounds.3)
            {
                continue;
            }
            taken.push(bounds);
            c.dot(at, c.px(8.0), l.color)?;
            c.label_block(&set, (x, y), l.color)?;
        }
    }
    Ok(())
}

/// The words on a marked peak: "peak of the mean curve" when the line is a mean of several
/// replicates (each run's own peak, `peak_capacity`, is another number), "peak" for one run;
/// after the scenario's name, if given.
fn peak_label(name: Option<&str>, mean: bool, x: f64, y: f64) -> String {
    format!(
        "{}{}, {} a year in year {}",
        name.map_or(String::new(), |n| format!("{n}: ")),
        match (mean, name.is_some()) {
            (true, true) => "peak of the mean curve",
            (true, false) => "Peak of the mean curve",
            (false, true) => "peak",
            (false, false) => "Peak",
        },
        number(y, decimals_for_value(y)),
        number(x, 1)
    )
}

/// A vertical line's label placed above the plot.
type Placed<'a> = (usize, i32, bool, &'a VLine, super::frame::Block);

/// Places the labels of vertical lines in rows above a plot: right of its line if it fits,
/// else left of it, in the first row where it overlaps no other label. Returns the rows
/// used, each placed label (row, its line's x, whether it is right of the line, the line,
/// its text as set), and how many labels found no room within [`MAX_LABEL_ROWS`].
fn place_labels<'a, DB: DrawingBackend>(
    c: &Canvas<DB>,
    p: &Panel,
    vlines: &'a [VLine],
) -> (usize, Vec<Placed<'a>>, usize) {
    let margin = c.px(36.0);
    let mut rows: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut placed = Vec::new();
    let mut omitted = 0;
    for v in vlines.iter().filter(|v| v.label.is_some()) {
        let label = v.label.as_deref().unwrap_or_default();
        let x = p.x_px(v.x);
        let pad = c.px(8.0);
        // Right of the line if it fits, else left of it, else smaller on the roomier side;
        // left out if it fits nowhere.
        let (room_right, room_left) = (c.w - margin - x - pad, x - pad - margin);
        let set = c.set(label, size::ANNOTATION, false, room_right.max(room_left), 1);
        if set.cut {
            omitted += 1;
            continue;
        }
        let w = c.measure(&set.lines[0], set.px, false).0;
        let (a, b, right_side) = if w <= room_right {
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
        placed.push((row, x, right_side, v, set));
    }
    (rows.len(), placed, omitted)
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
    let (xticks, xr) = Ticks::time(0.0, horizon, 4);
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
        let head = c.set(&head, size::PANEL_TITLE, true, cell_w - pad, 1);
        c.block(&head, (cx, cy + c.px(6.0)), c.pal.text, HPos::Left)?;
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
