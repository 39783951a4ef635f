//! The calibration file: the base scenario, the observations a consultant has, the parameters
//! to fit with their prior ranges, and the settings of the fit; read strictly and checked.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::metric::Metric;
use crate::scenario::{
    FieldError, JsonPath, MAX_INPUT_BYTES, ModelKind, Scenario, load, parse_json, read_limited,
    show_number,
};

/// One observation of the client's firm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// What was observed: a per-step output column (averaged over the 52 weeks before
    /// `year`) or a derived observable: `attrition`, `growth`, `manager_share`,
    /// `engaged_share`.
    pub metric: String,
    /// When: years since founding (at least 1, at most the base scenario's `years`).
    pub year: f64,
    /// The observed value.
    pub value: f64,
    /// How far off a simulation may be and still match: the observation's uncertainty (its
    /// standard deviation), in the metric's unit. Above 0.
    pub sd: f64,
}

/// A prior range.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Lowest value.
    pub from: f64,
    /// Highest value.
    pub to: f64,
}

/// One parameter to fit, with its prior: uniform over `range`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Free {
    /// The parameter's path, as `--set` takes it (for example `organization.growth_rate`).
    pub path: String,
    /// The prior range (uniform).
    pub range: Range,
}

/// A calibration file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "orgsim calibration")]
pub struct CalibrationSpec {
    /// The scenario to calibrate: a file (relative to this file) or a bundled name.
    pub base: String,
    /// Name of the calibration (output folder, the calibrated scenario's name). Default: the
    /// file's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The observations.
    pub observed: Vec<Observation>,
    /// The parameters to fit.
    pub free: Vec<Free>,
    /// Seed of the fit: the same seed gives the same posterior, on any number of threads.
    /// Default 1.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Particles (posterior draws) per generation, 20 to 100,000. Default 200.
    #[serde(default = "default_particles")]
    pub particles: usize,
    /// The most generations (tolerance steps), 1 to 100. Default 10.
    #[serde(default = "default_generations")]
    pub generations: usize,
    /// The tolerance at which the fit stops: the root mean square of the standardized
    /// misfits, (simulated - observed) / sd. Default 1 (simulations within the
    /// observations' sds).
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
    /// The most simulations in all, 100 to 10,000,000. Default 50,000.
    #[serde(default = "default_budget")]
    pub max_simulations: u64,
    /// Whether the base scenario's own uncertain parameters (other than the free ones) are
    /// drawn in every simulation and kept in the calibrated scenario (true: their
    /// uncertainty widens the posterior honestly), or fixed at the values written in the
    /// base's sections (false). Default true.
    #[serde(default = "default_true")]
    pub base_uncertainty: bool,
}

fn default_true() -> bool {
    true
}

fn default_seed() -> u64 {
    1
}
fn default_particles() -> usize {
    200
}
fn default_generations() -> usize {
    10
}
fn default_tolerance() -> f64 {
    1.0
}
fn default_budget() -> u64 {
    50_000
}

/// Why a calibration file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// Unreadable or not the expected shape.
    #[error("{file}: {message}")]
    Shape {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Values outside what is allowed.
    #[error("{file}: {}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid {
        /// The file.
        file: String,
        /// Each problem: path, value, what is allowed.
        errors: Vec<FieldError>,
    },
    /// The base scenario is wrong.
    #[error("{file}: base {base:?}: {error}")]
    Base {
        /// The calibration file.
        file: String,
        /// The base as written.
        base: String,
        /// Why (boxed: scenario errors are large).
        error: Box<crate::scenario::ScenarioError>,
    },
}

/// A calibration ready to run: the file's settings, the base scenario and the metrics.
#[derive(Clone, Debug)]
pub struct Calibration {
    /// The file as read.
    pub spec: CalibrationSpec,
    /// Its name.
    pub name: String,
    /// The base scenario, resolved.
    pub base: Scenario,
    /// Each observation's metric, resolved.
    pub metrics: Vec<Metric>,
    /// Each free parameter's path, parsed.
    pub paths: Vec<JsonPath>,
    /// Where the file was read from.
    pub source: PathBuf,
}

/// Reads and checks a calibration file.
pub fn read(file: &Path) -> Result<Calibration, SpecError> {
    let label = file.display().to_string();
    let shape = |message: String| SpecError::Shape {
        file: label.clone(),
        message,
    };
    let text = read_limited(file, MAX_INPUT_BYTES).map_err(|e| shape(e.to_string()))?;
    let value = parse_json(text.strip_prefix('\u{feff}').unwrap_or(&text))
        .map_err(|e| shape(e.message()))?;
    let spec: CalibrationSpec = serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().to_string();
        shape(format!("{path}: {}", e.inner()))
    })?;
    let base_spec = match file.parent() {
        Some(dir) if dir.join(&spec.base).is_file() => dir.join(&spec.base).display().to_string(),
        _ => spec.base.clone(),
    };
    let mut base = load(&base_spec, &[])
        .map_err(|error| SpecError::Base {
            file: label.clone(),
            base: spec.base.clone(),
            error: Box::new(error),
        })?
        .scenario;
    if !spec.base_uncertainty {
        base.uncertainty.clear();
    }
    // A free parameter's prior replaces whatever uncertainty the base gives it.
    for f in &spec.free {
        base.uncertainty.remove(&f.path);
    }
    let name = spec.name.clone().unwrap_or_else(|| {
        crate::scenario::name_from_stem(
            &file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    });
    let mut errors = Vec::new();
    check(&spec, &base, &name, &mut errors);
    let metrics: Vec<Metric> = spec
        .observed
        .iter()
        .enumerate()
        .filter_map(|(i, o)| match Metric::parse(&o.metric) {
            Ok(m) => Some(m),
            Err(allowed) => {
                errors.push(FieldError::new(
                    format!("observed[{i}].metric"),
                    format!("{:?}", o.metric),
                    allowed,
                ));
                None
            }
        })
        .collect();
    let paths: Vec<JsonPath> = spec
        .free
        .iter()
        .filter_map(|f| JsonPath::parse(&f.path).ok())
        .collect();
    if !errors.is_empty() {
        return Err(SpecError::Invalid {
            file: label,
            errors,
        });
    }
    Ok(Calibration {
        spec,
        name,
        base,
        metrics,
        paths,
        source: file.to_path_buf(),
    })
}

/// Every check of the file's values against each other and the base scenario.
fn check(spec: &CalibrationSpec, base: &Scenario, name: &str, errors: &mut Vec<FieldError>) {
    let mut err = |path: String, value: String, allowed: String| {
        errors.push(FieldError::new(path, value, allowed));
    };
    if !crate::scenario::valid_name(name) {
        err(
            "name".into(),
            format!("{name:?}"),
            "must use only letters, digits, '-', '_', '.' and '/' (it names the output folder)"
                .into(),
        );
    }
    if base.model != ModelKind::Lifecycle {
        err(
            "base".into(),
            format!("{:?}", spec.base),
            "must be a life-cycle scenario: calibration needs calendar time".into(),
        );
        return;
    }
    if spec.observed.is_empty() {
        err(
            "observed".into(),
            "[]".into(),
            "must list at least one observation".into(),
        );
    }
    if spec.free.is_empty() {
        err(
            "free".into(),
            "[]".into(),
            "must list at least one parameter to fit".into(),
        );
    }
    for (i, o) in spec.observed.iter().enumerate() {
        if !(o.year.is_finite() && o.year >= 1.0 && o.year <= base.years) {
            err(
                format!("observed[{i}].year"),
                show_number(o.year),
                format!(
                    "must be a year from 1 (a metric averages the 52 weeks before it) to the \
                     base scenario's last year, {}; raise the base's `years` to observe later",
                    show_number(base.years)
                ),
            );
        }
        if !o.value.is_finite() {
            err(
                format!("observed[{i}].value"),
                show_number(o.value),
                "must be a finite number".into(),
            );
        }
        if !(o.sd.is_finite() && o.sd > 0.0) {
            err(
                format!("observed[{i}].sd"),
                show_number(o.sd),
                "must be a number above 0 (the observation's uncertainty, in its unit)".into(),
            );
        }
    }
    for (i, f) in spec.free.iter().enumerate() {
        let at = format!("free[{i}].path");
        if let Err(m) = JsonPath::parse(&f.path) {
            err(at, format!("{:?}", f.path), m);
            continue;
        }
        if spec.free[..i].iter().any(|g| g.path == f.path) {
            err(
                at.clone(),
                format!("{:?}", f.path),
                "is listed twice; fit each parameter once".into(),
            );
        }
        // The parameter must be a number of the base scenario that uncertainty may draw.
        let mut probe = base.clone();
        probe.uncertainty.clear();
        probe.uncertainty.insert(
            f.path.clone(),
            crate::scenario::Distribution::Uniform([f.range.from, f.range.to]),
        );
        let Range { from, to } = f.range;
        if !(from.is_finite() && to.is_finite() && from < to) {
            err(
                format!("free[{i}].range"),
                format!(
                    "{{\"from\": {}, \"to\": {}}}",
                    show_number(from),
                    show_number(to)
                ),
                "must be a range with from < to (an empty range leaves nothing to fit)".into(),
            );
            continue;
        }
        for e in crate::scenario::uncertainty::validate(&probe) {
            let unknown = e.allowed.starts_with("must be the path")
                || e.allowed.starts_with("cannot be")
                || e.allowed.contains("not a number");
            if unknown {
                err(at.clone(), format!("{:?}", f.path), e.allowed);
            } else {
                err(
                    format!("free[{i}].range"),
                    format!(
                        "{{\"from\": {}, \"to\": {}}}",
                        show_number(from),
                        show_number(to)
                    ),
                    e.allowed
                        .replace("its low end", "from")
                        .replace("its high end", "to"),
                );
            }
        }
    }
    let bound = |v: usize, lo: usize, hi: usize| v < lo || v > hi;
    if bound(spec.particles, 20, 100_000) {
        err(
            "particles".into(),
            spec.particles.to_string(),
            "must be an integer from 20 to 100000".into(),
        );
    }
    if bound(spec.generations, 1, 100) {
        err(
            "generations".into(),
            spec.generations.to_string(),
            "must be an integer from 1 to 100".into(),
        );
    }
    if !(spec.tolerance.is_finite() && spec.tolerance > 0.0) {
        err(
            "tolerance".into(),
            show_number(spec.tolerance),
            "must be a number above 0 (the root mean square of (simulated - observed) / sd)".into(),
        );
    }
    if !(100..=10_000_000).contains(&spec.max_simulations) {
        err(
            "max_simulations".into(),
            spec.max_simulations.to_string(),
            "must be an integer from 100 to 10000000".into(),
        );
    }
}

/// The JSON Schema of the calibration file.
pub fn schema_json() -> String {
    serde_json::to_string_pretty(&schemars::schema_for!(CalibrationSpec))
        .expect("a schema always serializes")
}
