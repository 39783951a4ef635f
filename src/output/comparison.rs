//! `comparison.csv` and the `comparison` section of `summary.json`: each scenario against the
//! first, on paired replicates, for the whole run (or `--window`) and for the years after
//! the scenario's first intervention: the typed rows ([`Comparison`]), the writers, and the
//! strict reader ([`read_comparison`]).
//!
//! Each row leads with the paired difference (this scenario minus the reference, in the
//! outcome's own units), with two intervals named apart: `difference_ci_low/high`, the 95%
//! confidence interval of the mean difference, which narrows as replicates grow; and
//! `difference_p10/p90` (the last columns, appended so older readers keep their positions),
//! where 80% of the replicates' paired differences fall. The ratio columns are empty unless
//! the reference is far from zero ([`crate::stats::RATIO_MIN_SHARE`]).

use std::path::Path;

use serde_json::{Value, json};

use super::read::{CsvRows, FileError};
use crate::numbers::{fmt_num, fmt_opt, json_num as num, json_opt as opt};
use crate::stats::Paired;

/// One scenario compared with the reference over one window.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The compared scenario.
    pub scenario: String,
    /// The reference (the first scenario).
    pub versus: String,
    /// A label for the window, such as "whole run" or "years 10-15".
    pub window: String,
    /// First year of the window.
    pub from_year: f64,
    /// Last year of the window.
    pub to_year: f64,
    /// Each outcome's paired comparison (`None` if no pair defines it).
    pub outcomes: Vec<(String, Option<Paired>)>,
}

/// The header of `comparison.csv`.
pub const HEADER: &str = "window,from_year,to_year,scenario,versus,outcome,n,versus_mean,scenario_mean,difference,difference_ci_low,difference_ci_high,ratio,ratio_ci_low,ratio_ci_high,difference_p10,difference_p90";

/// The header of `comparison.csv` (for tests and readers).
pub fn comparison_header() -> &'static str {
    HEADER
}

/// The text of `comparison.csv`.
pub fn comparison_csv(comparisons: &[Comparison]) -> String {
    let mut out = format!("{HEADER}\n");
    for c in comparisons {
        for (name, p) in &c.outcomes {
            let Some(p) = p else { continue };
            let (r, rci) = match p.shown_ratio() {
                Some((r, ci)) => (Some(r), ci),
                None => (None, None),
            };
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                c.window,
                fmt_num(c.from_year),
                fmt_num(c.to_year),
                c.scenario,
                c.versus,
                name,
                p.n,
                fmt_num(p.versus_mean),
                fmt_num(p.mean),
                fmt_num(p.difference.0),
                fmt_opt(p.difference.1.map(|c| c.0)),
                fmt_opt(p.difference.1.map(|c| c.1)),
                fmt_opt(r),
                fmt_opt(rci.map(|c| c.0)),
                fmt_opt(rci.map(|c| c.1)),
                fmt_num(p.difference_spread.0),
                fmt_num(p.difference_spread.1),
            ));
        }
    }
    out
}

/// The `comparison` section of `summary.json`.
pub fn comparison_json(comparisons: &[Comparison]) -> Value {
    Value::Array(
        comparisons
            .iter()
            .map(|c| {
                let mut outcomes = serde_json::Map::new();
                for (name, p) in &c.outcomes {
                    let Some(p) = p else { continue };
                    let ratio = p.shown_ratio().map(|(r, ci)| {
                        json!({"ratio": num(r), "ci_low": opt(ci.map(|c| c.0)), "ci_high": opt(ci.map(|c| c.1))})
                    });
                    outcomes.insert(
                        name.clone(),
                        json!({
                            "n": p.n,
                            "versus_mean": num(p.versus_mean),
                            "scenario_mean": num(p.mean),
                            "difference": num(p.difference.0),
                            "difference_ci_low": opt(p.difference.1.map(|c| c.0)),
                            "difference_ci_high": opt(p.difference.1.map(|c| c.1)),
                            "ratio": ratio.as_ref().map_or(Value::Null, |r| r["ratio"].clone()),
                            "ratio_ci_low": ratio.as_ref().map_or(Value::Null, |r| r["ci_low"].clone()),
                            "ratio_ci_high": ratio.as_ref().map_or(Value::Null, |r| r["ci_high"].clone()),
                            "difference_p10": num(p.difference_spread.0),
                            "difference_p90": num(p.difference_spread.1),
                        }),
                    );
                }
                json!({
                    "scenario": c.scenario,
                    "versus": c.versus,
                    "window": c.window,
                    "from_year": num(c.from_year),
                    "to_year": num(c.to_year),
                    "outcomes": outcomes,
                })
            })
            .collect(),
    )
}

/// One row of `comparison.csv`, as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparisonRecord {
    /// The window's label ("whole run", "years 10-15").
    pub window: String,
    /// First year of the window.
    pub from_year: Option<f64>,
    /// Last year of the window.
    pub to_year: Option<f64>,
    /// The compared scenario.
    pub scenario: String,
    /// The reference.
    pub versus: String,
    /// The outcome.
    pub outcome: String,
    /// Pairs compared.
    pub n: u64,
    /// The reference's mean.
    pub versus_mean: Option<f64>,
    /// The compared scenario's mean.
    pub scenario_mean: Option<f64>,
    /// The mean paired difference.
    pub difference: Option<f64>,
    /// Its 95% confidence interval.
    pub difference_ci: Option<(f64, f64)>,
    /// The ratio of the means.
    pub ratio: Option<f64>,
    /// Its 95% confidence interval.
    pub ratio_ci: Option<(f64, f64)>,
    /// The 10th and 90th percentiles of the paired differences: where 80% of runs' effects
    /// fall.
    pub difference_spread: Option<(f64, f64)>,
}

/// The header written before the paired differences' 10th and 90th percentiles were
/// appended: such files are still read, without them.
const HEADER_WITHOUT_SPREAD: &str = "window,from_year,to_year,scenario,versus,outcome,n,versus_mean,scenario_mean,difference,difference_ci_low,difference_ci_high,ratio,ratio_ci_low,ratio_ci_high";

/// Reads `comparison.csv` at `path` strictly (see [`super::CsvRows`]); a file written by an
/// orgsim from before the `difference_p10,difference_p90` columns reads without them.
pub fn read_comparison(path: &Path) -> Result<Vec<ComparisonRecord>, FileError> {
    let mut rows = CsvRows::open_any(path)?;
    let with_spread = match rows.header().join(",") {
        h if h == HEADER => true,
        h if h == HEADER_WITHOUT_SPREAD => false,
        _ => return CsvRows::open(path, HEADER).map(|_| Vec::new()),
    };
    let mut out = Vec::new();
    while rows.next_row()? {
        let pair = |a: Option<f64>, b: Option<f64>| a.zip(b);
        out.push(ComparisonRecord {
            window: rows.text(0).to_string(),
            from_year: rows.real(1)?,
            to_year: rows.real(2)?,
            scenario: rows.text(3).to_string(),
            versus: rows.text(4).to_string(),
            outcome: rows.text(5).to_string(),
            n: rows.count(6)?,
            versus_mean: rows.real(7)?,
            scenario_mean: rows.real(8)?,
            difference: rows.real(9)?,
            difference_ci: pair(rows.real(10)?, rows.real(11)?),
            ratio: rows.real(12)?,
            ratio_ci: pair(rows.real(13)?, rows.real(14)?),
            difference_spread: if with_spread {
                pair(rows.real(15)?, rows.real(16)?)
            } else {
                None
            },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_back_with_both_intervals_and_older_files_without_the_spread() {
        let a: Vec<Option<f64>> = (0..10).map(|i| Some(f64::from(i))).collect();
        let b: Vec<Option<f64>> = (0..10).map(|i| Some(f64::from(3 * i))).collect();
        let c = Comparison {
            scenario: "b".into(),
            versus: "a".into(),
            window: "whole run".into(),
            from_year: 0.0,
            to_year: 20.0,
            outcomes: vec![("x".into(), crate::stats::paired(&a, &b))],
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("comparison.csv");
        let text = comparison_csv(std::slice::from_ref(&c));
        std::fs::write(&path, &text).unwrap();
        let read = read_comparison(&path).unwrap();
        let p = c.outcomes[0].1.unwrap();
        assert_eq!(read[0].difference_spread, Some(p.difference_spread));
        assert_eq!(read[0].difference_ci, p.difference.1);
        // The reference's mean (4.5) is a third of the compared one: its ratio is written.
        assert_eq!(read[0].ratio, Some(3.0));
        // A file from before the appended columns reads, without them.
        let old: String = text
            .lines()
            .map(|l| l.rsplitn(3, ',').last().unwrap().to_string() + "\n")
            .collect();
        std::fs::write(&path, old).unwrap();
        let read = read_comparison(&path).unwrap();
        assert_eq!(
            (read[0].difference, read[0].difference_spread),
            (Some(9.0), None)
        );
        // Any other header is refused, naming what orgsim writes.
        std::fs::write(&path, text.replacen("difference_p90", "p90", 1)).unwrap();
        let e = read_comparison(&path).unwrap_err().to_string();
        assert!(e.contains("where orgsim writes"), "{e}");
    }
}
