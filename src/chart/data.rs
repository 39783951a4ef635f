//! What a chart needs from an output directory's result files (`manifest.json`,
//! `bands.csv`, `comparison.csv`), read through their modules in [`crate::output`] (which
//! alone parse them): never from the engine, so charts can be redrawn at any time without
//! re-simulating.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::ChartError;
use super::columns::Columns;
use crate::output::{FileError, InterventionView, Manifest, read_bands, read_comparison};

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

/// An intervention's window, for a vertical line on the time axis (in the PNG/SVG charts and
/// on `orgsim serve`'s page).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Marker {
    /// What it is ([`intervention_label`]).
    pub label: String,
    /// First year in force.
    pub start: f64,
    /// First year no longer in force, if it ends.
    pub end: Option<f64>,
    /// Years between recurrences, if it recurs.
    pub every: Option<f64>,
}

/// Which interval a time chart shades around each mean curve (`--band`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BandKind {
    /// The 95% confidence interval of the mean: how well the replicates pin the mean curve
    /// down; it narrows as replicates grow.
    #[default]
    Ci,
    /// Where 80% of runs fall (the 10th to 90th percentile across replicates, per step): the
    /// spread a single run shows, which does not narrow with more replicates.
    Pi,
}

impl BandKind {
    /// Parses `ci` or `pi`.
    pub fn parse(text: &str) -> Option<BandKind> {
        match text {
            "ci" => Some(BandKind::Ci),
            "pi" => Some(BandKind::Pi),
            _ => None,
        }
    }

    /// The band, as a subtitle names it.
    pub(super) fn subtitle(self) -> &'static str {
        match self {
            BandKind::Ci => "with its 95% confidence band",
            BandKind::Pi => "with the band where 80% of runs fall",
        }
    }

    /// The band, as a chart's note explains it.
    pub(super) fn note(self) -> &'static str {
        match self {
            BandKind::Ci => "shaded bands: 95% confidence interval of the mean",
            BandKind::Pi => {
                "shaded bands: where 80% of runs fall (10th to 90th percentile of the replicates, week by week)"
            }
        }
    }
}

/// One metric of one scenario over time, from `bands.csv`.
#[derive(Clone, Debug, Default)]
pub struct Band {
    /// Years (life-cycle model) or periods (March).
    pub x: Vec<f64>,
    pub mean: Vec<f64>,
    /// The 95% confidence interval of the mean; None where there is a single replicate.
    pub ci: Vec<Option<(f64, f64)>>,
    /// The 10th and 90th percentiles across replicates, where 80% of runs fall; None where
    /// there is a single replicate.
    pub pi: Vec<Option<(f64, f64)>>,
    /// Replicates behind each point.
    pub n: Vec<u64>,
}

impl Band {
    /// Whether any point has a confidence interval.
    pub fn has_ci(&self) -> bool {
        self.ci.iter().any(Option::is_some)
    }

    /// The interval of each point that `kind` shades.
    pub fn interval(&self, kind: BandKind) -> &[Option<(f64, f64)>] {
        match kind {
            BandKind::Ci => &self.ci,
            BandKind::Pi => &self.pi,
        }
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
    /// The 95% confidence interval of the mean difference.
    pub ci: Option<(f64, f64)>,
    /// Where 80% of the replicates' paired differences fall (10th to 90th percentile).
    pub pi: Option<(f64, f64)>,
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
    /// The interval time charts shade (`--band`).
    pub band_kind: BandKind,
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
        let manifest = Manifest::read(&manifest_path).map_err(format_error)?;
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
        let mut bands: BTreeMap<(String, String), Band> = BTreeMap::new();
        let metrics = read_bands(&bands_path, wanted, &mut |r| {
            let (x, Some(mean)) = (r.year.unwrap_or(r.step as f64), r.mean) else {
                return;
            };
            let band = bands.entry((r.scenario, r.metric)).or_default();
            band.x.push(x);
            band.mean.push(mean);
            band.ci.push(r.ci);
            band.pi.push(r.ci.and(r.p10.zip(r.p90)));
            band.n.push(r.n);
        })
        .map_err(format_error)?;
        let comparison_path = dir.join("comparison.csv");
        let comparisons = if comparison_path.exists() {
            read_comparison(&comparison_path)
                .map_err(format_error)?
                .into_iter()
                .filter_map(|r| {
                    Some(ComparisonRow {
                        difference: r.difference?,
                        window: r.window,
                        scenario: r.scenario,
                        versus: r.versus,
                        outcome: r.outcome,
                        n: r.n,
                        versus_mean: r.versus_mean.unwrap_or(f64::NAN),
                        scenario_mean: r.scenario_mean.unwrap_or(f64::NAN),
                        ci: r.difference_ci,
                        pi: r.difference_spread,
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Results {
            scenarios,
            bands,
            metrics,
            comparisons,
            columns: Columns::from_manifest(manifest.columns.as_ref()),
            seed: Some(manifest.seed),
            version: (!manifest.orgsim_version.is_empty()).then_some(manifest.orgsim_version),
            band_kind: BandKind::default(),
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
                pi: r.pi.map(|(a, b)| (-b, -a)),
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

/// A result file that does not read as written.
fn format_error(e: FileError) -> ChartError {
    ChartError::Format {
        path: e.path,
        message: e.message,
    }
}

fn scenarios(manifest: &Manifest) -> Result<Vec<ScenarioInfo>, String> {
    Ok(manifest
        .scenario_views()?
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let years = s.years;
            ScenarioInfo {
                index: i,
                name: s.name.unwrap_or_default(),
                // A display title, if the scenario has one (results written before
                // scenarios had titles have none, and a blank one counts as none).
                title: s
                    .title
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string),
                years: years.filter(|y| y.is_finite() && *y > 0.0),
                model: s.model.unwrap_or_else(|| "lifecycle".into()),
                replicates: s.replicates.unwrap_or(0),
                interventions: s
                    .interventions
                    .iter()
                    .filter_map(|v| marker(v, years))
                    .collect(),
            }
        })
        .collect())
}

/// A marker for an enabled intervention that starts within the run (of `years`, if known).
pub fn marker(v: &InterventionView, years: Option<f64>) -> Option<Marker> {
    if v.enabled == Some(false) {
        return None;
    }
    let kind = v.kind.as_deref()?;
    let start = v.start_year?;
    if years.is_some_and(|y| start >= y) {
        return None;
    }
    Some(Marker {
        label: intervention_label(kind),
        start,
        end: v.end_year,
        every: v.every_years,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn share(x: &[f64], mean: &[f64]) -> Band {
        Band {
            x: x.to_vec(),
            mean: mean.to_vec(),
            ci: vec![None; x.len()],
            pi: vec![None; x.len()],
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
            band_kind: Default::default(),
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
