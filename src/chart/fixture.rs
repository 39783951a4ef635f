//! Results built in memory for the unit tests of the charts' prepare steps.

use std::collections::BTreeMap;

use super::columns::Columns;
use super::data::{Band, ComparisonRow, Marker, Results, ScenarioInfo};

/// A life-cycle scenario of `years` years, at `index` in the run, with `replicates` runs.
pub fn scenario(index: usize, name: &str, years: f64, replicates: u64) -> ScenarioInfo {
    ScenarioInfo {
        index,
        name: name.into(),
        title: None,
        years: Some(years),
        model: "lifecycle".into(),
        replicates,
        interventions: Vec::new(),
    }
}

/// An intervention from `start` (ending at `end`, recurring `every` years).
pub fn marker(label: &str, start: f64, end: Option<f64>, every: Option<f64>) -> Marker {
    Marker {
        label: label.into(),
        start,
        end,
        every,
    }
}

/// A band at `x` with these means and, if `ci`, an interval of ±1 around each.
pub fn band(x: &[f64], mean: &[f64], ci: bool) -> Band {
    Band {
        x: x.to_vec(),
        mean: mean.to_vec(),
        ci: mean
            .iter()
            .map(|&m| ci.then_some((m - 1.0, m + 1.0)))
            .collect(),
        pi: mean
            .iter()
            .map(|&m| ci.then_some((m - 3.0, m + 3.0)))
            .collect(),
        n: vec![if ci { 2 } else { 1 }; x.len()],
    }
}

/// Results of `scenarios` with `bands` keyed by (scenario, metric).
pub fn results(scenarios: Vec<ScenarioInfo>, bands: Vec<(&str, &str, Band)>) -> Results {
    let mut metrics: Vec<String> = Vec::new();
    let mut map = BTreeMap::new();
    for (s, m, b) in bands {
        if !metrics.iter().any(|x| x == m) {
            metrics.push(m.to_string());
        }
        map.insert((s.to_string(), m.to_string()), b);
    }
    Results {
        scenarios,
        bands: map,
        metrics,
        comparisons: Vec::new(),
        seed: Some(7),
        version: Some("0.0.0".into()),
        columns: Columns::compiled(),
        band_kind: Default::default(),
    }
}

/// A row of `comparison.csv`: `scenario` against `versus` on `outcome` over `window`.
pub fn comparison(scenario: &str, versus: &str, window: &str, outcome: &str) -> ComparisonRow {
    ComparisonRow {
        window: window.into(),
        scenario: scenario.into(),
        versus: versus.into(),
        outcome: outcome.into(),
        n: 10,
        versus_mean: 100.0,
        scenario_mean: 110.0,
        difference: 10.0,
        ci: Some((8.0, 12.0)),
        pi: Some((4.0, 16.0)),
    }
}
