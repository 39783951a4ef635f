//! `summary.json`: each scenario's run-level outcomes summarized across replicates.

use serde_json::{Map, Value, json};

use crate::numbers::{json_num as num, json_opt as opt};
use crate::stats::Summary;

/// One outcome's summary (or `None` if no replicate defined it).
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeSummary {
    /// Outcome name (a `runs.csv` column).
    pub name: String,
    /// Its summary across replicates.
    pub summary: Option<Summary>,
}

/// One scenario's results.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioSummary {
    /// Scenario name.
    pub name: String,
    /// Model name, as in the scenario file.
    pub model: String,
    /// Replicates run.
    pub replicates: u64,
    /// Each outcome, in `runs.csv` order.
    pub outcomes: Vec<OutcomeSummary>,
}

/// The text of `summary.json` (deterministic: no times, no paths). `window` labels the
/// span the run-level outcomes cover; `comparison` is the paired comparison section.
pub fn summary_json(
    version: &str,
    scenarios: &[ScenarioSummary],
    window: &str,
    comparison: Option<Value>,
) -> String {
    let mut by_name = Map::new();
    for s in scenarios {
        let mut outcomes = Map::new();
        for o in &s.outcomes {
            let v = match &o.summary {
                None => json!({"n": 0}),
                Some(x) => json!({
                    "n": x.n,
                    "mean": num(x.mean),
                    "sd": opt(x.sd),
                    "ci_low": opt(x.ci.map(|c| c.0)),
                    "ci_high": opt(x.ci.map(|c| c.1)),
                    "p10": num(x.p10),
                    "p90": num(x.p90),
                }),
            };
            outcomes.insert(o.name.clone(), v);
        }
        by_name.insert(
            s.name.clone(),
            json!({
                "model": s.model,
                "replicates": s.replicates,
                "outcomes": outcomes,
            }),
        );
    }
    let mut doc = json!({
        "orgsim_version": version,
        "confidence_level": 0.95,
        "outcomes_window": window,
        "scenarios": by_name,
    });
    if let Some(c) = comparison {
        doc["comparison"] = c;
    }
    let mut text = serde_json::to_string_pretty(&doc).expect("JSON values always serialize");
    text.push('\n');
    text
}
