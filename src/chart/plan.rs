//! Which charts apply to a set of results (the plan), and each chart prepared from the
//! results and then drawn.

use plotters::prelude::DrawingBackend;

use super::data::Results;
use super::frame::{Canvas, Drawn};
use super::{
    ChartError, PlotOptions, capacity, comparison, dashboard, knowledge, metric, time_chart,
    two_systems,
};

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

/// Prepares `chart` from `results`, then draws it.
fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    chart: &Chart,
    results: &Results,
    opts: &PlotOptions,
) -> Drawn {
    let pal = c.pal;
    match chart {
        Chart::Capacity { per_100 } => {
            time_chart::draw(c, &capacity::prepare(results, opts, pal, *per_100))
        }
        Chart::TwoSystems => two_systems::draw(c, &two_systems::prepare(results, opts, pal)),
        Chart::Dashboard => dashboard::draw(c, &dashboard::prepare(results, opts, pal)),
        Chart::Comparison => comparison::draw(c, &comparison::prepare(results, opts, pal)),
        Chart::Knowledge => time_chart::draw(c, &knowledge::prepare(results, opts, pal)),
        Chart::Metric(m) => time_chart::draw(c, &metric::prepare(results, opts, pal, m)),
    }
}
