//! The sweep file: a base scenario, axes over its fields, a design, replicates and seeds; and
//! its expansion into points (one set of field values each).
//!
//! Past 600 lines because the file's fields and their checks (reference, window, design,
//! seeds, keep) are one serde type read in one pass, and its tests sit beside them; axes and
//! limits already have their own files.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::SweepError;
pub use super::axis::{Axis, Distribution, Range};
use super::axis::{cartesian, check_axis, grid_len, grid_values, json_number, value_at};
use super::limits::check_limits;
// Re-exported: the runner reads the limits beside the file they bound, as `spec::limits`.
pub use super::limits;
use crate::rng::SimRng;
use crate::scenario::{Override, Scenario, load};

/// A parameter sweep (`orgsim sweep FILE`).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    /// The sweep's name, which names its folder under `results/sweeps` (default: the file's
    /// name without `.json`): letters, digits, '-', '_', '.' and '/', no part empty or
    /// starting with '.', at most 100 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        pattern(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$"),
        length(max = 100)
    )]
    pub name: Option<String>,
    /// What the sweep is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The base scenario: a bundled name (`baseline`, `classic/march1991`) or a scenario file
    /// (relative to the sweep file).
    pub base: String,
    /// The parameters to vary, each by its JSON path in the scenario.
    pub axes: Vec<Axis>,
    /// How points are chosen.
    #[serde(default)]
    pub design: DesignKind,
    /// Number of points (`random`, `lhs`), base samples N (`sobol`: N x (axes + 2) points) or
    /// trajectories r (`morris`: r x (axes + 1) points). Not used by `grid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<u64>,
    /// Grid levels of a `morris` design (default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<u32>,
    /// Replicates (runs) per point, from 1 to 10,000,000.
    #[serde(default = "one")]
    #[schemars(range(min = 1, max = 10000000))]
    pub replicates: u64,
    /// The seed every run's seed and the design's draws derive from.
    #[serde(default = "one")]
    pub seed: u64,
    /// `common`: replicate r of every point shares a seed (common random numbers, so points
    /// differ only by their parameters); `independent`: every run has its own seed.
    #[serde(default)]
    pub seeds: SeedMode,
    /// Per-step metrics to keep (besides the run-level outcomes), with a stride.
    #[serde(default)]
    pub keep: Keep,
    /// The outcome `orgsim analyze` charts and summarizes by default (all outcomes are in
    /// `sensitivity.csv`); with a `reference`, its paired difference. Default: for
    /// life-cycle sweeps the first of `capacity_auc`,
    /// `final_capacity` and `mean_capacity_per_100` that varies and is not near zero in most
    /// runs; for March sweeps `equilibrium_knowledge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Measure an effect: the scenario every run is paired with, on the same seed, so
    /// `runs.csv`, `points.csv` and `analyze` work on the difference (run minus reference) of
    /// each outcome. A bundled name or a scenario file (relative to the sweep file), or
    /// `base-without-interventions`: each point's own scenario with its interventions
    /// removed. The axes that do not sweep an intervention are set in the reference too, so
    /// the difference is the interventions' effect at that point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The years (since founding) over which outcomes are computed, for the runs and their
    /// reference alike, as `orgsim run --window FROM:TO` computes them (default: the whole
    /// run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<YearWindow>,
}

/// The `reference` that pairs each point with its own scenario without interventions.
pub const BASE_WITHOUT_INTERVENTIONS: &str = "base-without-interventions";

/// A span of years since founding, `from` < `to`, within the run.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearWindow {
    /// The first year.
    pub from: f64,
    /// The last year.
    pub to: f64,
}

fn one() -> u64 {
    1
}

/// The design of a sweep.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DesignKind {
    /// Every combination of the axes' values (each axis a list or a range with a step).
    #[default]
    Grid,
    /// `points` independent uniform draws over the axes.
    Random,
    /// A Latin hypercube of `points` points.
    Lhs,
    /// Saltelli's design for Sobol indices: base matrices A and B of `points` rows, and for
    /// each axis A with that column from B.
    Sobol,
    /// Morris's elementary-effects design: `points` one-at-a-time trajectories.
    Morris,
}

impl DesignKind {
    /// The design's name as the sweep file spells it.
    pub fn name(self) -> &'static str {
        match self {
            DesignKind::Grid => "grid",
            DesignKind::Random => "random",
            DesignKind::Lhs => "lhs",
            DesignKind::Sobol => "sobol",
            DesignKind::Morris => "morris",
        }
    }
}

/// How runs are seeded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeedMode {
    /// Replicate r of every point shares a seed.
    #[default]
    Common,
    /// Every run has its own seed.
    Independent,
}

/// Per-step metrics to keep.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Keep {
    /// Names of the model's per-step columns (empty: keep none).
    #[serde(default)]
    pub metrics: Vec<String>,
    /// Keep every `stride`-th step (13 is quarterly for the weekly life-cycle model), from 1
    /// to 1,000,000.
    #[serde(default = "one")]
    #[schemars(range(min = 1, max = 1000000))]
    pub stride: u64,
}

impl Default for Keep {
    fn default() -> Keep {
        Keep {
            metrics: Vec::new(),
            stride: 1,
        }
    }
}

/// The sweep's runs are capped, so a typo in `points` cannot start a week-long job.
pub const DEFAULT_MAX_RUNS: u64 = 2_000_000;

/// A sweep file with its points expanded and each point's scenario checked.
#[derive(Clone, Debug)]
pub struct Design {
    /// The sweep file, as read.
    pub file: SweepFile,
    /// The sweep's name.
    pub name: String,
    /// The axes' paths, in order.
    pub paths: Vec<String>,
    /// Per point, per axis: the value set.
    pub points: Vec<Vec<Value>>,
    /// Per point, per axis: the position in [0, 1] the value came from (the unit
    /// coordinates the sensitivity estimators need); `None` for grids.
    pub unit: Option<Vec<Vec<f64>>>,
    /// The base scenario's resolved JSON, for the manifest and the sweep's identity.
    pub base_json: Value,
    /// Each point's scenario.
    pub scenarios: Vec<Scenario>,
    /// Each point's reference scenario (empty without a `reference`).
    pub references: Vec<Scenario>,
    /// A named reference scenario's resolved JSON (part of the sweep's identity).
    pub reference_json: Option<Value>,
    /// The `window` as steps `from..=to` of the runs.
    pub window_steps: Option<(usize, usize)>,
}

impl Design {
    /// Total runs: points x replicates.
    pub fn total_runs(&self) -> u64 {
        self.points.len() as u64 * self.file.replicates
    }

    /// The seed of run `(point, replicate)`.
    pub fn seed(&self, point: u64, replicate: u64) -> u64 {
        match self.file.seeds {
            SeedMode::Common => crate::rng::replicate_seed(self.file.seed, replicate),
            SeedMode::Independent => {
                crate::rng::replicate_seed(self.file.seed, point * self.file.replicates + replicate)
            }
        }
    }
}

/// Reads, checks and expands a sweep file. `max_runs` caps points x replicates.
pub fn read_sweep(path: &Path, max_runs: u64) -> Result<Design, SweepError> {
    let label = path.display().to_string();
    let input = |message: String| SweepError::Input {
        file: label.clone(),
        message,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| input(format!("cannot read the file: {e}")))?
        .len();
    if size > limits::FILE_BYTES {
        return Err(input(format!(
            "{size} bytes: a sweep file is at most {} bytes (a sweep file names its axes; its points are generated)",
            limits::FILE_BYTES
        )));
    }
    let text =
        std::fs::read_to_string(path).map_err(|e| input(format!("cannot read the file: {e}")))?;
    let located = |e: serde_path_to_error::Error<serde_json::Error>| {
        input(if e.path().to_string() == "." {
            e.inner().to_string()
        } else {
            format!("{}: {}", e.path(), e.inner())
        })
    };
    // Duplicate keys first (serde would keep the last of two equal keys inside free-form
    // values), with the scenario loader's strict reader, which also bounds the nesting.
    crate::scenario::parse_json(&text).map_err(|e| input(e.to_string()))?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    let file: SweepFile = serde_path_to_error::deserialize(de).map_err(located)?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = file.name.clone().unwrap_or_else(|| {
        path.file_stem()
            .map(|s| crate::scenario::name_from_stem(&s.to_string_lossy()))
            .unwrap_or_else(|| "sweep".into())
    });
    expand(file, name, &dir, &label, max_runs)
}

/// Expands a parsed sweep file (`dir` resolves a relative base; `label` names it in errors).
pub fn expand(
    file: SweepFile,
    name: String,
    dir: &Path,
    label: &str,
    max_runs: u64,
) -> Result<Design, SweepError> {
    let bad = |path: String, message: String| SweepError::Input {
        file: label.to_string(),
        message: format!("{path}: {message}"),
    };
    check_limits(&file, &name).map_err(|(path, m)| bad(path, m))?;
    let base_spec = resolve_base(&file.base, dir);
    let base = load(&base_spec, &[]).map_err(|e| bad("base".into(), e.to_string()))?;
    let base_json = base.scenario.resolved_json();
    let outputs = base.scenario.build_model().outputs();
    let series = outputs.series_names();
    for (i, m) in file.keep.metrics.iter().enumerate() {
        if !series.contains(&m.as_str()) {
            return Err(bad(
                format!("keep.metrics[{i}]"),
                format!(
                    "`{m}` is not a per-step metric of this model; the metrics are: {}",
                    series.join(", ")
                ),
            ));
        }
        if let Some(j) = file.keep.metrics[..i].iter().position(|x| x == m) {
            return Err(bad(
                format!("keep.metrics[{i}]"),
                format!("`{m}` is already kept by keep.metrics[{j}]"),
            ));
        }
    }
    if let Some(o) = &file.outcome
        && !outputs.outcome_names().contains(&o.as_str())
    {
        return Err(bad(
            "outcome".into(),
            format!(
                "`{o}` is not an outcome of this model; the outcomes are: {}",
                outputs.outcome_names().join(", ")
            ),
        ));
    }
    for (i, axis) in file.axes.iter().enumerate() {
        check_axis(axis, file.design).map_err(|m| bad(format!("axes[{i}]"), m))?;
        if let Some(j) = file.axes[..i].iter().position(|a| a.path == axis.path) {
            return Err(bad(
                format!("axes[{i}].path"),
                format!("`{}` is already swept by axes[{j}]", axis.path),
            ));
        }
    }
    if file.design == DesignKind::Grid
        && let Some(p) = file.points
    {
        return Err(bad(
            "points".into(),
            format!(
                "{p}: a grid design takes every combination of its axes' values; remove `points`, or choose `random`, `lhs`, `sobol` or `morris`"
            ),
        ));
    }
    if file.design != DesignKind::Morris
        && let Some(l) = file.levels
    {
        return Err(bad(
            "levels".into(),
            format!("{l}: only a `morris` design has levels"),
        ));
    }
    let n_points = match file.design {
        DesignKind::Grid => None,
        _ => Some(file.points.ok_or_else(|| {
            bad(
                "points".into(),
                format!(
                    "missing: a `{}` design needs a number of points",
                    file.design.name()
                ),
            )
        })?),
    };
    if n_points == Some(0) {
        return Err(bad("points".into(), "0: must be at least 1".into()));
    }
    let k = file.axes.len() as u64;
    let planned_points: u128 = match file.design {
        DesignKind::Grid => file.axes.iter().map(|a| u128::from(grid_len(a))).product(),
        DesignKind::Random | DesignKind::Lhs => u128::from(n_points.unwrap_or(0)),
        DesignKind::Sobol => u128::from(n_points.unwrap_or(0)) * u128::from(k + 2),
        DesignKind::Morris => u128::from(n_points.unwrap_or(0)) * u128::from(k + 1),
    };
    if planned_points > u128::from(limits::POINTS) {
        return Err(bad(
            if file.design == DesignKind::Grid {
                "axes".into()
            } else {
                "points".into()
            },
            format!(
                "the design has {planned_points} points, more than the limit of {} (each point is held in memory); {}",
                limits::POINTS,
                match file.design {
                    DesignKind::Grid => "use fewer values per axis, or a sampling design",
                    DesignKind::Sobol =>
                        "lower `points` (N): a Sobol design has N x (axes + 2) points",
                    DesignKind::Morris =>
                        "lower `points` (r): a Morris design has r x (axes + 1) points",
                    _ => "lower `points`",
                }
            ),
        ));
    }
    let planned_runs = planned_points * u128::from(file.replicates);
    if planned_runs > u128::from(max_runs) {
        return Err(SweepError::TooLarge {
            file: label.to_string(),
            runs: planned_runs,
            max: max_runs,
        });
    }
    // Integer fields get integer values.
    let integer: Vec<bool> = file
        .axes
        .iter()
        .map(|a| {
            crate::scenario::JsonPath::parse(&a.path)
                .ok()
                .and_then(|p| lookup(&base_json, &p))
                .is_some_and(|v| v.is_u64() || v.is_i64())
        })
        .collect();
    let mut rng = SimRng::from_seed(crate::rng::stream_seed(file.seed, &[0x0053_5745_4550]));
    let (unit, points): (Option<Vec<Vec<f64>>>, Vec<Vec<Value>>) = match file.design {
        DesignKind::Grid => {
            let lists: Vec<Vec<Value>> = file
                .axes
                .iter()
                .map(|a| grid_values(a).unwrap_or_default())
                .collect();
            (None, cartesian(&lists))
        }
        kind => {
            let n = n_points.unwrap_or(0) as usize;
            let u =
                super::design::unit_design(kind, n, k as usize, file.levels.unwrap_or(4), &mut rng)
                    .map_err(|m| bad("levels".into(), m))?;
            let values = u
                .iter()
                .map(|row| {
                    row.iter()
                        .zip(&file.axes)
                        .zip(&integer)
                        .map(|((&x, a), &int)| value_at(a, x, int, kind == DesignKind::Morris))
                        .collect()
                })
                .collect();
            (Some(u), values)
        }
    };
    // A range's or distribution's bounds must be valid values themselves: checked with the
    // numbers the user wrote, not only with whatever values the design happens to draw.
    for (i, a) in file.axes.iter().enumerate() {
        let bounds: Vec<(f64, &str)> = match (&a.range, &a.distribution) {
            (Some(r), _) => vec![(r.from, "range.from"), (r.to, "range.to")],
            (_, Some(Distribution::Uniform([lo, hi]))) => {
                vec![
                    (*lo, "distribution.uniform[0]"),
                    (*hi, "distribution.uniform[1]"),
                ]
            }
            (_, Some(Distribution::Triangular([lo, _, hi]))) => vec![
                (*lo, "distribution.triangular[0]"),
                (*hi, "distribution.triangular[2]"),
            ],
            _ => Vec::new(),
        };
        for (x, field) in bounds {
            let value = json_number(x, integer[i]);
            let over = [Override {
                path: crate::scenario::JsonPath::parse(&a.path)
                    .map_err(|m| bad(format!("axes[{i}].path"), m))?,
                value: value.clone(),
                raw: format!("axes[{i}].{field} = {value}"),
            }];
            load(&base_spec, &over).map_err(|e| SweepError::Input {
                file: label.to_string(),
                message: e.to_string(),
            })?;
        }
    }
    // Every point's scenario must load: a wrong path or an out-of-range value stops here,
    // before any run, with the axis and value that caused it.
    let mut scenarios = Vec::with_capacity(points.len());
    for point in &points {
        let overrides: Vec<Override> = file
            .axes
            .iter()
            .zip(point)
            .enumerate()
            .map(|(i, (a, v))| {
                crate::scenario::JsonPath::parse(&a.path)
                    .map(|path| Override {
                        path,
                        value: v.clone(),
                        raw: format!("axes[{i}] ({} = {v})", a.path),
                    })
                    .map_err(|m| bad(format!("axes[{i}].path"), m))
            })
            .collect::<Result<_, _>>()?;
        let mut over = overrides;
        over.push(Override::from_flag(
            "replicates",
            file.replicates.into(),
            "replicates".into(),
        ));
        let loaded = load(&base_spec, &over).map_err(|e| SweepError::Input {
            file: label.to_string(),
            message: e.to_string(),
        })?;
        scenarios.push(loaded.scenario);
    }
    let (references, reference_json) = match &file.reference {
        None => (Vec::new(), None),
        Some(r) => references(&file, r, dir, &base_spec, &base_json, &points, label)?,
    };
    let window_steps = match file.window {
        None => None,
        Some(w) => Some(window_steps(
            w,
            outputs.steps_per_year,
            &scenarios,
            &references,
            label,
        )?),
    };
    Ok(Design {
        paths: file.axes.iter().map(|a| a.path.clone()).collect(),
        file,
        name,
        points,
        unit,
        base_json,
        scenarios,
        references,
        reference_json,
        window_steps,
    })
}

/// Each point's reference scenario: the reference with the point's values of the axes that
/// do not sweep an intervention (for `base-without-interventions`, the base with all of the
/// point's values and no interventions); and a named reference's resolved JSON.
fn references(
    file: &SweepFile,
    reference: &str,
    dir: &Path,
    base_spec: &str,
    base_json: &Value,
    points: &[Vec<Value>],
    label: &str,
) -> Result<(Vec<Scenario>, Option<Value>), SweepError> {
    let bad = |message: String| SweepError::Input {
        file: label.to_string(),
        message: format!("reference: {message}"),
    };
    let removing = reference == BASE_WITHOUT_INTERVENTIONS;
    let spec = if removing {
        base_spec.to_string()
    } else {
        resolve_base(reference, dir)
    };
    let reference_json = if removing {
        if base_json
            .get("interventions")
            .and_then(Value::as_array)
            .is_none_or(|a| a.is_empty())
        {
            return Err(bad(format!(
                "`{reference}`: the base `{}` has no interventions to remove; name the scenario to compare with instead (a bundled name such as `baseline`, or a scenario file)",
                file.base
            )));
        }
        None
    } else {
        let loaded = load(&spec, &[]).map_err(|e| {
            bad(format!(
                "`{reference}`: {e}; allowed: a bundled scenario name, a scenario file relative to the sweep file, or `{BASE_WITHOUT_INTERVENTIONS}`"
            ))
        })?;
        let base_model = load(base_spec, &[])
            .map(|l| l.scenario.build_model().outputs().outcome_names().join(","))
            .unwrap_or_default();
        let own = loaded.scenario.build_model().outputs();
        if own.outcome_names().join(",") != base_model {
            return Err(bad(format!(
                "`{reference}` is a scenario of another model than the base `{}`; the reference must have the same outcomes",
                file.base
            )));
        }
        Some(loaded.scenario.resolved_json())
    };
    let mut scenarios = Vec::with_capacity(points.len());
    for (p, point) in points.iter().enumerate() {
        let mut over = Vec::new();
        for (i, (a, v)) in file.axes.iter().zip(point).enumerate() {
            let path = crate::scenario::JsonPath::parse(&a.path)
                .map_err(|m| bad(format!("axes[{i}].path: {m}")))?;
            if path.0.first() == Some(&crate::scenario::Segment::Key("interventions".into())) {
                continue;
            }
            over.push(Override {
                path,
                value: v.clone(),
                raw: format!("axes[{i}] ({} = {v})", a.path),
            });
        }
        if removing {
            over.push(Override::from_flag(
                "interventions",
                Value::Array(Vec::new()),
                "interventions = [] (base-without-interventions)".into(),
            ));
        }
        over.push(Override::from_flag(
            "replicates",
            file.replicates.into(),
            "replicates".into(),
        ));
        let loaded =
            load(&spec, &over).map_err(|e| bad(format!("`{reference}` at point {p}: {e}")))?;
        scenarios.push(loaded.scenario);
    }
    Ok((scenarios, reference_json))
}

/// The `window` in steps, checked against every run's length.
fn window_steps(
    w: YearWindow,
    steps_per_year: Option<f64>,
    scenarios: &[Scenario],
    references: &[Scenario],
    label: &str,
) -> Result<(usize, usize), SweepError> {
    let bad = |message: String| SweepError::Input {
        file: label.to_string(),
        message,
    };
    let Some(spy) = steps_per_year else {
        return Err(bad(format!(
            "window: {{\"from\": {}, \"to\": {}}}: this model counts abstract periods, not years; a window needs a model with calendar time (the life-cycle model)",
            w.from, w.to
        )));
    };
    if !w.from.is_finite() || w.from < 0.0 {
        return Err(bad(format!(
            "window.from: {}: must be a year since founding, 0 or more",
            w.from
        )));
    }
    if !w.to.is_finite() || w.to <= w.from {
        return Err(bad(format!(
            "window: from {} to {} years is empty; `to` must be greater than `from`",
            w.from, w.to
        )));
    }
    let (from, to) = crate::engine::year_steps(w.from, w.to, spy);
    for (which, list) in [("point", scenarios), ("reference of point", references)] {
        for (p, s) in list.iter().enumerate() {
            let end = s.horizon_steps() as usize;
            if to > end {
                return Err(bad(format!(
                    "window.to: {}: past the end of the run ({} years at {which} {p}); allowed: up to {}",
                    w.to,
                    crate::scenario::show_number(end as f64 / spy),
                    crate::scenario::show_number(end as f64 / spy)
                )));
            }
        }
    }
    Ok((from, to))
}

/// Expands a sweep whose base scenario is given as its resolved JSON (from a shard file), so
/// shards merge without the original files.
pub fn expand_from_base(
    file: SweepFile,
    name: String,
    base: Value,
    reference: Option<Value>,
) -> Result<Design, SweepError> {
    let dir = tempfile::tempdir().map_err(|e| SweepError::Io {
        path: std::env::temp_dir(),
        message: e.to_string(),
    })?;
    let path = dir.path().join("base.json");
    let text = serde_json::to_string_pretty(&base).unwrap_or_default();
    std::fs::write(&path, text).map_err(|e| SweepError::Io {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let original = file.base.clone();
    let original_reference = file.reference.clone();
    let mut file = file;
    file.base = path.to_string_lossy().into_owned();
    if let Some(reference) = reference {
        let path = dir.path().join("reference.json");
        let text = serde_json::to_string_pretty(&reference).unwrap_or_default();
        std::fs::write(&path, text).map_err(|e| SweepError::Io {
            path: path.clone(),
            message: e.to_string(),
        })?;
        file.reference = Some(path.to_string_lossy().into_owned());
    }
    let mut design = expand(file, name, dir.path(), "the shard's sweep", u64::MAX)?;
    design.file.base = original;
    design.file.reference = original_reference;
    Ok(design)
}

fn resolve_base(base: &str, dir: &Path) -> String {
    let rel = dir.join(base);
    if !Path::new(base).is_absolute() && rel.is_file() {
        rel.to_string_lossy().into_owned()
    } else {
        base.to_string()
    }
}

fn lookup<'a>(doc: &'a Value, path: &crate::scenario::JsonPath) -> Option<&'a Value> {
    use crate::scenario::Segment;
    let mut v = doc;
    for s in &path.0 {
        v = match s {
            Segment::Key(k) => v.get(k)?,
            Segment::Index(i) => v.get(*i)?,
        };
    }
    Some(v)
}

/// The JSON Schema of the sweep file.
pub fn sweep_schema() -> String {
    let schema = schemars::schema_for!(SweepFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
