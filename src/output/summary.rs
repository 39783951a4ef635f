//! `summary.json`: each scenario's run-level outcomes summarized across replicates; its
//! writer ([`summary_json`]) and its reader ([`read_summary`]).

use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::read::{FileError, json_text, read_json};
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
        "prediction_level": 0.8,
        "intervals": {
            "ci_low, ci_high": "95% confidence interval of the mean: how well the replicates pin down the mean; narrows as replicates grow",
            "p10, p90": "80% of runs fall between them (prediction interval for one more run); does not narrow as replicates grow",
            "difference_ci_low, difference_ci_high": "95% confidence interval of the mean paired difference",
            "difference_p10, difference_p90": "80% of the replicates' paired differences fall between them",
            "ratio": "only where the reference is far from zero: its 95% CI excludes zero and its mean is at least a tenth of the larger mean",
        },
        "scenarios": by_name,
    });
    if let Some(c) = comparison {
        doc["comparison"] = c;
    }
    json_text(&doc)
}

/// One outcome of `summary.json`, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeDoc {
    n: usize,
    mean: Option<f64>,
    sd: Option<f64>,
    ci_low: Option<f64>,
    ci_high: Option<f64>,
    p10: Option<f64>,
    p90: Option<f64>,
}

/// One scenario of `summary.json`, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioDoc {
    model: String,
    replicates: u64,
    outcomes: Map<String, Value>,
}

/// What `summary.json` holds, as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryFile {
    /// The span the outcomes cover ("whole run" or "years A-B").
    pub outcomes_window: String,
    /// Each scenario, in file order.
    pub scenarios: Vec<ScenarioSummary>,
    /// The paired comparisons section, if any (see [`super::comparison_json`]).
    pub comparison: Option<Value>,
}

/// Reads the `summary.json` at `path`: an error names the JSON path of a missing or
/// mistyped value.
pub fn read_summary(path: &Path) -> Result<SummaryFile, FileError> {
    let doc = read_json(path)?;
    let at =
        |where_: &str, e: &dyn std::fmt::Display| FileError::new(path, format!("`{where_}`: {e}"));
    let window = doc
        .get("outcomes_window")
        .and_then(Value::as_str)
        .ok_or_else(|| at("outcomes_window", &"missing, or not text"))?;
    let Some(Value::Object(by_name)) = doc.get("scenarios") else {
        return Err(at("scenarios", &"missing, or not an object"));
    };
    let mut scenarios = Vec::new();
    for (name, v) in by_name {
        let s: ScenarioDoc = serde_path_to_error::deserialize(v)
            .map_err(|e| at(&format!("scenarios.{name}.{}", e.path()), e.inner()))?;
        let mut outcomes = Vec::new();
        for (o, v) in &s.outcomes {
            let d: OutcomeDoc = serde_path_to_error::deserialize(v).map_err(|e| {
                at(
                    &format!("scenarios.{name}.outcomes.{o}.{}", e.path()),
                    e.inner(),
                )
            })?;
            let summary = (d.n > 0).then(|| Summary {
                n: d.n,
                mean: d.mean.unwrap_or(f64::NAN),
                sd: d.sd,
                ci: d.ci_low.zip(d.ci_high),
                p10: d.p10.unwrap_or(f64::NAN),
                p90: d.p90.unwrap_or(f64::NAN),
            });
            outcomes.push(OutcomeSummary {
                name: o.clone(),
                summary,
            });
        }
        scenarios.push(ScenarioSummary {
            name: name.clone(),
            model: s.model,
            replicates: s.replicates,
            outcomes,
        });
    }
    Ok(SummaryFile {
        outcomes_window: window.to_string(),
        scenarios,
        comparison: doc.get("comparison").cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_reads_back_as_written() {
        let mut values = vec![1.0, 2.5, 4.0];
        let scenarios = vec![ScenarioSummary {
            name: "s".into(),
            model: "lifecycle".into(),
            replicates: 3,
            outcomes: vec![
                OutcomeSummary {
                    name: "a".into(),
                    summary: crate::stats::summarize(&mut values),
                },
                OutcomeSummary {
                    name: "never".into(),
                    summary: None,
                },
            ],
        }];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.json");
        let text = summary_json("0", &scenarios, "whole run", None);
        std::fs::write(&path, &text).unwrap();
        let read = read_summary(&path).unwrap();
        // serde_json reads a float back within an ulp, not always to the bit.
        let (a, b) = (
            read.scenarios[0].outcomes[0].summary.unwrap(),
            scenarios[0].outcomes[0].summary.unwrap(),
        );
        assert!((a.ci.unwrap().0 - b.ci.unwrap().0).abs() < 1e-12);
        assert_eq!(
            (a.n, a.mean, a.sd, a.p10, a.p90),
            (b.n, b.mean, b.sd, b.p10, b.p90)
        );
        assert_eq!(read.scenarios[0].outcomes[1], scenarios[0].outcomes[1]);
        assert_eq!(read.scenarios[0].name, "s");
        assert_eq!(read.outcomes_window, "whole run");
        std::fs::write(
            &path,
            text.replace("\"replicates\": 3", "\"replicates\": \"3\""),
        )
        .unwrap();
        let e = read_summary(&path).unwrap_err().to_string();
        assert!(e.contains("`scenarios.s.replicates`: invalid type"), "{e}");
    }
}
