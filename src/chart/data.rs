//! Reads what a chart needs from an output directory's result files (`manifest.json`,
//! `bands.csv`, `comparison.csv`): never from the engine, so charts can be redrawn at any
//! time without re-simulating.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use super::ChartError;
use super::columns::Columns;

/// One scenario of the run, from the manifest.
#[derive(Clone, Debug)]
pub struct ScenarioInfo {
    /// Position in the run (manifest order): fixes the scenario's colour and line pattern,
    /// whatever subset or order is drawn.
    pub index: usize,
    /// The scenario's name, as in the result files and `--scenarios`.
    pub name: String,
    /// Its display title (the scenario's optional `title` field), for legends and labels.
    pub title: Option<String>,
    /// The run's length in years (models with calendar time).
    pub years: Option<f64>,
    /// `lifecycle` or `march1991`.
    pub model: String,
    pub replicates: u64,
    pub interventions: Vec<Marker>,
}

impl ScenarioInfo {
    /// What charts call the scenario: its title if it has one, else its name.
    pub fn display(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }
}

/// An intervention's window, for a vertical line on the time axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub label: String,
    pub start: f64,
    pub end: Option<f64>,
    pub every: Option<f64>,
}

/// One metric of one scenario over time, from `bands.csv`.
#[derive(Clone, Debug, Default)]
pub struct Band {
    /// Years (life-cycle model) or periods (March).
    pub x: Vec<f64>,
    pub mean: Vec<f64>,
    /// The 95% confidence interval of the mean; None where there is a single replicate.
    pub ci: Vec<Option<(f64, f64)>>,
    /// Replicates behind each point.
    pub n: Vec<u64>,
}

impl Band {
    /// Whether any point has a confidence interval.
    pub fn has_ci(&self) -> bool {
        self.ci.iter().any(Option::is_some)
    }
}

/// A paired comparison, from `comparison.csv`.
#[derive(Clone, Debug)]
pub struct ComparisonRow {
    pub window: String,
    pub scenario: String,
    pub versus: String,
    pub outcome: String,
    pub n: u64,
    pub versus_mean: f64,
    pub scenario_mean: f64,
    pub difference: f64,
    pub ci: Option<(f64, f64)>,
}

/// Everything the charts of one output directory draw from.
#[derive(Clone, Debug)]
pub struct Results {
    pub scenarios: Vec<ScenarioInfo>,
    /// Keyed by (scenario, metric).
    pub bands: BTreeMap<(String, String), Band>,
    /// Metrics in `bands.csv`, in file order.
    pub metrics: Vec<String>,
    pub comparisons: Vec<ComparisonRow>,
    pub seed: Option<u64>,
    pub version: Option<String>,
    /// The declared columns (`manifest.json`'s `columns`): titles, units, labels.
    pub columns: Columns,
}

impl Results {
    /// Reads the result files of `dir`. Only the metrics `wanted` accepts are kept from
    /// `bands.csv`.
    pub fn read(dir: &Path, wanted: &dyn Fn(&str) -> bool) -> Result<Results, ChartError> {
        let manifest_path = dir.join("manifest.json");
        if !manifest_path.is_file() {
            return Err(ChartError::NotResults {
                dir: dir.to_path_buf(),
            });
        }
        let text = read_text(&manifest_path)?;
        let manifest: Value = serde_json::from_str(&text).map_err(|e| ChartError::Format {
            path: manifest_path.clone(),
            message: e.to_string(),
        })?;
        // One run's files, or nothing: a directory mixing two runs is refused.
        crate::output::verify_run(dir, &manifest, &["bands.csv", "comparison.csv"])?;
        let scenarios = scenarios(&manifest).map_err(|message| ChartError::Format {
            path: manifest_path.clone(),
            message,
        })?;
        let bands_path = dir.join("bands.csv");
        if !bands_path.is_file() {
            return Err(ChartError::Format {
                path: bands_path,
                message: "missing: charts are drawn from bands.csv".into(),
            });
        }
        let (bands, metrics) = read_bands(&bands_path, wanted)?;
        let comparison_path = dir.join("comparison.csv");
        let comparisons = if comparison_path.exists() {
            read_comparisons(&comparison_path)?
        } else {
            Vec::new()
        };
        Ok(Results {
            scenarios,
            bands,
            metrics,
            comparisons,
            columns: Columns::from_manifest(&manifest),
            seed: manifest.get("seed").and_then(Value::as_u64),
            version: manifest
                .get("orgsim_version")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }

    pub fn band(&self, scenario: &str, metric: &str) -> Option<&Band> {
        self.bands.get(&(scenario.to_string(), metric.to_string()))
    }

    /// Keeps only the named scenarios, in the order given.
    pub fn select(&mut self, names: &[String]) -> Result<(), ChartError> {
        let mut kept = Vec::new();
        for name in names {
            match self.scenarios.iter().find(|s| &s.name == name) {
                Some(s) => kept.push(s.clone()),
                None => {
                    return Err(ChartError::UnknownScenario {
                        name: name.clone(),
                        available: self.scenarios.iter().map(|s| s.name.clone()).collect(),
                    });
                }
            }
        }
        let set: BTreeSet<&String> = names.iter().collect();
        self.bands.retain(|(s, _), _| set.contains(s));
        self.comparisons
            .retain(|c| set.contains(&c.scenario) && set.contains(&c.versus));
        self.scenarios = kept;
        Ok(())
    }

    /// The scenarios of one model, with their position in the run (for colours).
    pub fn of_model<'a>(
        &'a self,
        model: &'a str,
    ) -> impl Iterator<Item = (usize, &'a ScenarioInfo)> + 'a {
        self.scenarios
            .iter()
            .filter(move |s| s.model == model)
            .map(|s| (s.index, s))
    }

    /// Paired comparisons of `scenario` against `reference` over `window`, for every outcome:
    /// as `comparison.csv` has them, or, when the run compared them the other way round,
    /// with the difference and its interval negated.
    pub fn paired(&self, scenario: &str, reference: &str) -> Vec<ComparisonRow> {
        let direct: Vec<ComparisonRow> = self
            .comparisons
            .iter()
            .filter(|r| r.scenario == scenario && r.versus == reference)
            .cloned()
            .collect();
        if !direct.is_empty() {
            return direct;
        }
        self.comparisons
            .iter()
            .filter(|r| r.scenario == reference && r.versus == scenario)
            .map(|r| ComparisonRow {
                window: r.window.clone(),
                scenario: scenario.to_string(),
                versus: reference.to_string(),
                outcome: r.outcome.clone(),
                n: r.n,
                versus_mean: r.scenario_mean,
                scenario_mean: r.versus_mean,
                difference: -r.difference,
                ci: r.ci.map(|(a, b)| (-b, -a)),
            })
            .collect()
    }

    /// The modal phase of `scenario` over time, as spans (phase index, from, to), from the
    /// `phase=NAME` shares in `bands.csv`. Spans shorter than `min_len` are absorbed by
    /// their neighbours, so a flicker between two phases does not draw slivers.
    pub fn phase_spans(
        &self,
        scenario: &str,
        phases: &[&str],
        min_len: f64,
    ) -> Vec<(usize, f64, f64)> {
        let shares: Vec<Option<&Band>> = phases
            .iter()
            .map(|p| self.band(scenario, &format!("phase={p}")))
            .collect();
        let Some(first) = shares.iter().flatten().next() else {
            return Vec::new();
        };
        let mut spans: Vec<(usize, f64, f64)> = Vec::new();
        for (i, &x) in first.x.iter().enumerate() {
            let best = shares
                .iter()
                .enumerate()
                .filter_map(|(k, b)| b.and_then(|b| b.mean.get(i)).map(|&m| (k, m)))
                .fold(
                    (0, f64::MIN),
                    |acc, (k, m)| if m > acc.1 { (k, m) } else { acc },
                );
            match spans.last_mut() {
                Some(last) if last.0 == best.0 => last.2 = x,
                Some(last) => {
                    last.2 = x;
                    spans.push((best.0, x, x));
                }
                None => spans.push((best.0, x, x)),
            }
        }
        // Absorb short spans into the previous one (or the next, at the start).
        let mut merged: Vec<(usize, f64, f64)> = Vec::new();
        for s in spans {
            match merged.last_mut() {
                Some(last) if s.2 - s.1 < min_len || last.0 == s.0 => last.2 = s.2,
                _ => merged.push(s),
            }
        }
        if merged.len() > 1 && merged[0].2 - merged[0].1 < min_len {
            let first = merged.remove(0);
            merged[0].1 = first.1;
        }
        merged
    }
}

fn read_text(path: &Path) -> Result<String, ChartError> {
    std::fs::read_to_string(path).map_err(|cause| ChartError::Read {
        path: path.to_path_buf(),
        cause,
    })
}

fn scenarios(manifest: &Value) -> Result<Vec<ScenarioInfo>, String> {
    let list = manifest
        .get("scenarios")
        .and_then(Value::as_array)
        .ok_or("no `scenarios` list: is this a directory written by `orgsim run`?")?;
    list.iter()
        .enumerate()
        .map(|(i, s)| {
            let name = s
                .get("name")
                .and_then(Value::as_str)
                .ok_or(format!("scenarios[{i}] has no name"))?;
            let model = s
                .get("model")
                .and_then(Value::as_str)
                .unwrap_or("lifecycle");
            let years = s.get("years").and_then(Value::as_f64);
            let interventions = s
                .get("interventions")
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(|v| marker(v, years)).collect())
                .unwrap_or_default();
            // A display title, if the scenario has one (read leniently: results written
            // before scenarios had titles have none, and a blank one counts as none).
            let title = s
                .get("title")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            Ok(ScenarioInfo {
                index: i,
                name: name.to_string(),
                title,
                years: years.filter(|y| y.is_finite() && *y > 0.0),
                model: model.to_string(),
                replicates: s.get("replicates").and_then(Value::as_u64).unwrap_or(0),
                interventions,
            })
        })
        .collect()
}

/// A marker for an enabled intervention that starts within the run.
fn marker(v: &Value, years: Option<f64>) -> Option<Marker> {
    if v.get("enabled").and_then(Value::as_bool) == Some(false) {
        return None;
    }
    let kind = v.get("kind")?.as_str()?;
    let start = v.get("start_year")?.as_f64()?;
    if years.is_some_and(|y| start >= y) {
        return None;
    }
    Some(Marker {
        label: intervention_label(kind),
        start,
        end: v.get("end_year").and_then(Value::as_f64),
        every: v.get("every_years").and_then(Value::as_f64),
    })
}

/// A reader's name for an intervention kind.
pub fn intervention_label(kind: &str) -> String {
    match kind {
        "dual_operating_system" => "Dual operating system".into(),
        "task_force" => "Task force".into(),
        "ninety_day_wins" => "90-day wins".into(),
        other => {
            let mut s = other.replace('_', " ");
            if let Some(first) = s.get(..1) {
                s.replace_range(..1, &first.to_uppercase());
            }
            s
        }
    }
}

type BandTable = (BTreeMap<(String, String), Band>, Vec<String>);

fn read_bands(path: &Path, wanted: &dyn Fn(&str) -> bool) -> Result<BandTable, ChartError> {
    let format = |message: String| ChartError::Format {
        path: path.to_path_buf(),
        message,
    };
    let mut reader = csv::Reader::from_path(path).map_err(|e| csv_error(path, e))?;
    let header = reader.headers().map_err(|e| csv_error(path, e))?.clone();
    let col = |name: &str| header.iter().position(|h| h == name);
    let need = |name: &str| col(name).ok_or_else(|| format(format!("no `{name}` column")));
    let (c_scenario, c_step, c_metric, c_n, c_mean) = (
        need("scenario")?,
        need("step")?,
        need("metric")?,
        need("n")?,
        need("mean")?,
    );
    let (c_lo, c_hi) = (need("ci_low")?, need("ci_high")?);
    let c_year = col("year");
    let mut bands: BTreeMap<(String, String), Band> = BTreeMap::new();
    let mut metrics: Vec<String> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    while reader
        .read_record(&mut record)
        .map_err(|e| csv_error(path, e))?
    {
        line += 1;
        let metric = &record[c_metric];
        if !seen.contains(metric) {
            seen.insert(metric.to_string());
            metrics.push(metric.to_string());
        }
        if !wanted(metric) {
            continue;
        }
        let num = |c: usize| -> Result<Option<f64>, ChartError> {
            let text = &record[c];
            if text.is_empty() {
                return Ok(None);
            }
            text.parse::<f64>().map(Some).map_err(|_| {
                format(format!(
                    "line {line}, column `{}`: `{text}` is not a number",
                    &header[c]
                ))
            })
        };
        let x = match c_year {
            Some(c) => num(c)?,
            None => num(c_step)?,
        }
        .ok_or_else(|| format(format!("line {line}: empty step")))?;
        let Some(mean) = num(c_mean)? else { continue };
        let ci = num(c_lo)?.zip(num(c_hi)?);
        let n = num(c_n)?.unwrap_or(0.0) as u64;
        let band = bands
            .entry((record[c_scenario].to_string(), metric.to_string()))
            .or_default();
        band.x.push(x);
        band.mean.push(mean);
        band.ci.push(ci);
        band.n.push(n);
    }
    Ok((bands, metrics))
}

fn read_comparisons(path: &Path) -> Result<Vec<ComparisonRow>, ChartError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| csv_error(path, e))?;
    let header = reader.headers().map_err(|e| csv_error(path, e))?.clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| ChartError::Format {
                path: path.to_path_buf(),
                message: format!("no `{name}` column"),
            })
    };
    let c = [
        col("window")?,
        col("scenario")?,
        col("versus")?,
        col("outcome")?,
        col("n")?,
        col("versus_mean")?,
        col("scenario_mean")?,
        col("difference")?,
        col("difference_ci_low")?,
        col("difference_ci_high")?,
    ];
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, e))?;
        let num = |i: usize| record[c[i]].parse::<f64>().ok();
        let Some(difference) = num(7) else { continue };
        rows.push(ComparisonRow {
            window: record[c[0]].to_string(),
            scenario: record[c[1]].to_string(),
            versus: record[c[2]].to_string(),
            outcome: record[c[3]].to_string(),
            n: num(4).unwrap_or(0.0) as u64,
            versus_mean: num(5).unwrap_or(f64::NAN),
            scenario_mean: num(6).unwrap_or(f64::NAN),
            difference,
            ci: num(8).zip(num(9)),
        });
    }
    Ok(rows)
}

fn csv_error(path: &Path, e: csv::Error) -> ChartError {
    ChartError::Format {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(x: &[f64], mean: &[f64]) -> Band {
        Band {
            x: x.to_vec(),
            mean: mean.to_vec(),
            ci: vec![None; x.len()],
            n: vec![1; x.len()],
        }
    }

    #[test]
    fn phase_spans_follow_the_most_common_phase_and_absorb_flicker() {
        let x: Vec<f64> = (0..10).map(f64::from).collect();
        // Phase a for steps 0-3, a one-step flicker to b at 4, a again at 5, b from 6.
        let a = [1.0, 1.0, 0.9, 0.8, 0.4, 0.6, 0.2, 0.1, 0.0, 0.0];
        let b: Vec<f64> = a.iter().map(|v| 1.0 - v).collect();
        let mut bands = BTreeMap::new();
        bands.insert(("s".to_string(), "phase=a".to_string()), share(&x, &a));
        bands.insert(("s".to_string(), "phase=b".to_string()), share(&x, &b));
        let results = Results {
            scenarios: Vec::new(),
            bands,
            metrics: Vec::new(),
            comparisons: Vec::new(),
            seed: None,
            version: None,
            columns: Default::default(),
        };
        assert_eq!(
            results.phase_spans("s", &["a", "b"], 0.0),
            vec![(0, 0.0, 4.0), (1, 4.0, 5.0), (0, 5.0, 6.0), (1, 6.0, 9.0)]
        );
        assert_eq!(
            results.phase_spans("s", &["a", "b"], 1.5),
            vec![(0, 0.0, 6.0), (1, 6.0, 9.0)]
        );
        assert!(results.phase_spans("other", &["a", "b"], 0.0).is_empty());
    }

    #[test]
    fn intervention_kinds_read_as_words() {
        assert_eq!(
            intervention_label("dual_operating_system"),
            "Dual operating system"
        );
        assert_eq!(
            intervention_label("psychological_safety"),
            "Psychological safety"
        );
        assert_eq!(intervention_label("ninety_day_wins"), "90-day wins");
    }
}
