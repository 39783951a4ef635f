//! What a calibration reports: each parameter's posterior against its prior (identifiability),
//! each observation against its simulations (fit), the calibrated scenario, and the files.

use crate::numbers::significant;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::abc::{Fit, resample, weighted_quantile};
use super::spec::Calibration;
use crate::output::{DirError, DirLock, Staging, fmt_num, new_run_id};
use crate::rng::{SimRng, stream_seed};
use crate::scenario::{Distribution, show_number};

/// A posterior's 90% interval narrower than this share of the prior's pins the parameter
/// down.
pub const PINNED: f64 = 0.5;
/// Wider than this share, the observations say little about the parameter.
pub const UNIDENTIFIED: f64 = 0.8;

/// One free parameter's posterior.
#[derive(Clone, Debug)]
pub struct ParameterSummary {
    /// Its path.
    pub path: String,
    /// The prior range.
    pub prior: (f64, f64),
    /// The posterior median.
    pub median: f64,
    /// The posterior's 90% interval (5th and 95th percentiles).
    pub interval: (f64, f64),
    /// The 90% interval's width over the prior's (a uniform prior's 90% interval is 0.9 of
    /// its range).
    pub width_ratio: f64,
}

/// One observation against the posterior's simulations.
#[derive(Clone, Debug)]
pub struct ObservationFit {
    /// Metric.
    pub metric: String,
    /// Year.
    pub year: f64,
    /// Observed value and its sd.
    pub observed: (f64, f64),
    /// Posterior mean of the simulated values.
    pub mean: f64,
    /// Where 90% of the posterior's simulations fall.
    pub interval: (f64, f64),
}

impl ObservationFit {
    /// How far the posterior mean is from the observation, in sds.
    pub fn misfit(&self) -> f64 {
        (self.mean - self.observed.0) / self.observed.1
    }
}

/// The posterior in numbers.
#[derive(Clone, Debug)]
pub struct Summary {
    /// Per free parameter.
    pub parameters: Vec<ParameterSummary>,
    /// Per observation.
    pub observations: Vec<ObservationFit>,
}

/// Summarizes a fit.
pub fn summarize(cal: &Calibration, fit: &Fit) -> Summary {
    let w: Vec<f64> = fit.particles.iter().map(|p| p.weight).collect();
    let parameters = cal
        .spec
        .free
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let v: Vec<f64> = fit.particles.iter().map(|p| p.theta[k]).collect();
            let lo = weighted_quantile(&v, &w, 0.05);
            let hi = weighted_quantile(&v, &w, 0.95);
            ParameterSummary {
                path: f.path.clone(),
                prior: (f.range.from, f.range.to),
                median: weighted_quantile(&v, &w, 0.5),
                interval: (lo, hi),
                width_ratio: (hi - lo) / (0.9 * (f.range.to - f.range.from)),
            }
        })
        .collect();
    let observations = cal
        .spec
        .observed
        .iter()
        .enumerate()
        .map(|(j, o)| {
            let v: Vec<f64> = fit.particles.iter().map(|p| p.simulated[j]).collect();
            ObservationFit {
                metric: o.metric.clone(),
                year: o.year,
                observed: (o.value, o.sd),
                mean: v.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>() / w.iter().sum::<f64>(),
                interval: (
                    weighted_quantile(&v, &w, 0.05),
                    weighted_quantile(&v, &w, 0.95),
                ),
            }
        })
        .collect();
    Summary {
        parameters,
        observations,
    }
}

/// What the data did to one parameter, in words.
fn identifiability(ratio: f64) -> &'static str {
    if ratio < PINNED {
        "pinned down by the observations"
    } else if ratio < UNIDENTIFIED {
        "narrowed, not pinned down"
    } else {
        "NOT identified: the observations say little about it"
    }
}

/// The console verdict: how well the calibrated model reproduces each observation, and which
/// parameters the observations pinned down.
pub fn verdict(cal: &Calibration, fit: &Fit, summary: &Summary) -> String {
    let mut t = format!(
        "Calibration '{}' of '{}': {} simulations in {} generations; stopped: {}.\n\n",
        cal.name,
        cal.spec.base,
        fit.simulations,
        fit.generations.len(),
        fit.stopped
    );
    t.push_str(
        "Fit (posterior simulations against each observation; 90% of them fall in the interval):\n",
    );
    t.push_str(&format!(
        "  {:<22} {:>6} {:>22} {:>12} {:>26} {:>9}\n",
        "metric", "year", "observed ± sd", "simulated", "90% of simulations", "misfit"
    ));
    let mut worst: f64 = 0.0;
    for o in &summary.observations {
        worst = worst.max(o.misfit().abs());
        t.push_str(&format!(
            "  {:<22} {:>6} {:>22} {:>12} {:>26} {:>8.2}σ\n",
            o.metric,
            show_number(o.year),
            format!(
                "{} ± {}",
                significant(o.observed.0),
                significant(o.observed.1)
            ),
            significant(o.mean),
            format!(
                "[{}, {}]",
                significant(o.interval.0),
                significant(o.interval.1)
            ),
            o.misfit()
        ));
    }
    t.push_str(&if worst <= 1.0 {
        "  Verdict: the calibrated model reproduces every observation within its sd.\n\n"
            .to_string()
    } else {
        format!(
            "  Verdict: at least one observation is missed by {worst:.1} sd: the free parameters \
             cannot reproduce all observations together (check the observations, free another \
             parameter, or widen a range).\n\n"
        )
    });
    t.push_str("Identifiability (posterior 90% interval against the prior range):\n");
    t.push_str(&format!(
        "  {:<40} {:>20} {:>12} {:>24} {:>7}\n",
        "parameter", "prior", "median", "90% interval", "width"
    ));
    for p in &summary.parameters {
        t.push_str(&format!(
            "  {:<40} {:>20} {:>12} {:>24} {:>6.0}%  {}\n",
            p.path,
            format!("[{}, {}]", significant(p.prior.0), significant(p.prior.1)),
            significant(p.median),
            format!(
                "[{}, {}]",
                significant(p.interval.0),
                significant(p.interval.1)
            ),
            100.0 * p.width_ratio,
            identifiability(p.width_ratio)
        ));
    }
    t.push_str(&format!(
        "  (width: the 90% interval as a share of the prior's; below {:.0}% the observations \
         pinned the parameter down, above {:.0}% they did not.)\n",
        100.0 * PINNED,
        100.0 * UNIDENTIFIED
    ));
    t
}

/// The calibrated scenario: the base, fully resolved, with each free parameter at its
/// posterior median and its `uncertainty` the posterior, as equally weighted draws
/// (resampled from the weighted particles; lists of one length are drawn together, so the
/// parameters' correlations survive).
pub fn calibrated_scenario(cal: &Calibration, fit: &Fit, summary: &Summary) -> Value {
    let mut scenario = cal.base.clone();
    let weights: Vec<f64> = fit.particles.iter().map(|p| p.weight).collect();
    let mut rng = SimRng::from_seed(stream_seed(cal.spec.seed, &[0x7265_7361_6d70_6c65]));
    let u = rng.sample(&rand_distr::Uniform::new(0.0, 1.0).expect("a range"));
    let picks = resample(&weights, fit.particles.len(), u);
    let doc = scenario.resolved_json();
    let integer = |path: &str| {
        crate::scenario::JsonPath::parse(path)
            .ok()
            .and_then(|p| crate::scenario::uncertainty::declaration_at(&doc, &p))
            .is_some_and(|d| d.integer)
    };
    for (k, f) in cal.spec.free.iter().enumerate() {
        // Integer fields run with whole numbers, so their draws are written as such.
        let whole = |v: f64| if integer(&f.path) { v.round() } else { v };
        let draws: Vec<f64> = picks
            .iter()
            .map(|&i| whole(fit.particles[i].theta[k]))
            .collect();
        scenario
            .uncertainty
            .insert(f.path.clone(), Distribution::Empirical(draws));
    }
    scenario.name = format!("{}-calibrated", cal.base.name);
    scenario.title = None;
    scenario.description = format!(
        "'{}' calibrated to {} observations ({}); its uncertainty is the posterior",
        cal.base.name,
        cal.spec.observed.len(),
        cal.name
    );
    scenario.notes = Some(json!({
        "calibration": format!(
            "Written by `orgsim calibrate` from {}. Each free parameter's `uncertainty` lists \
             posterior draws, drawn together (replicate r takes the same position in every \
             list); the section values are the posterior medians, which `orgsim run \
             --no-uncertainty` uses.",
            cal.source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ),
        "branch_remedies": "Extend this file and add interventions starting at today's year \
             (the year of the latest observation): replicate r of every scenario of a run \
             shares its seed and its draws, so each remedy branches from the same history."
    }));
    let mut v = scenario.resolved_json();
    // The medians, so a run without draws runs the posterior's centre.
    for p in &summary.parameters {
        if let Ok(path) = crate::scenario::JsonPath::parse(&p.path) {
            let median = if integer(&p.path) {
                json!(p.median.round() as u64)
            } else {
                json!(p.median)
            };
            let _ = path.set(&mut v, median);
        }
    }
    v
}

/// Why the calibration's files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    /// The directory is held or cannot be replaced.
    #[error(transparent)]
    Dir(#[from] DirError),
    /// Writing failed.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The chart could not be drawn.
    #[error("drawing the chart: {0}")]
    Chart(String),
}

/// The files a calibration writes.
pub const FILES: [&str; 5] = [
    "posterior.csv",
    "parameters.csv",
    "fit.csv",
    "calibrated.json",
    "manifest.json",
];

/// Writes the calibration's files (and its chart) into a fresh directory that replaces `out`
/// as a whole; `lock` is `out`'s lock, taken before the fit.
pub fn write(
    lock: &mut DirLock,
    cal: &Calibration,
    fit: &Fit,
    summary: &Summary,
    command_line: &[String],
    threads: usize,
    charts: bool,
) -> Result<Vec<PathBuf>, CalibrateError> {
    let run_id = new_run_id();
    let staging = Staging::new(lock, &run_id)?;
    let dir = staging.path().to_path_buf();
    let put = |name: &str, bytes: &[u8]| -> Result<(), CalibrateError> {
        let path = dir.join(name);
        let io = |error| CalibrateError::Io {
            path: path.clone(),
            error,
        };
        let mut f = std::fs::File::create(&path).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)
    };
    // posterior.csv: the final population, weighted.
    let mut csv = String::from("particle,weight");
    for f in &cal.spec.free {
        csv.push(',');
        csv.push_str(&f.path);
    }
    csv.push_str(",distance\n");
    for (i, p) in fit.particles.iter().enumerate() {
        csv.push_str(&format!("{i},{}", fmt_num(p.weight)));
        for v in &p.theta {
            csv.push(',');
            csv.push_str(&fmt_num(*v));
        }
        csv.push_str(&format!(",{}\n", fmt_num(p.distance)));
    }
    put(FILES[0], csv.as_bytes())?;
    let mut csv = String::from(
        "parameter,prior_from,prior_to,posterior_median,posterior_p05,posterior_p95,width_ratio\n",
    );
    for p in &summary.parameters {
        csv.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            p.path,
            fmt_num(p.prior.0),
            fmt_num(p.prior.1),
            fmt_num(p.median),
            fmt_num(p.interval.0),
            fmt_num(p.interval.1),
            fmt_num(p.width_ratio)
        ));
    }
    put(FILES[1], csv.as_bytes())?;
    let mut csv = String::from(
        "metric,year,observed,sd,simulated_mean,simulated_p05,simulated_p95,misfit_sd\n",
    );
    for o in &summary.observations {
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            o.metric,
            fmt_num(o.year),
            fmt_num(o.observed.0),
            fmt_num(o.observed.1),
            fmt_num(o.mean),
            fmt_num(o.interval.0),
            fmt_num(o.interval.1),
            fmt_num(o.misfit())
        ));
    }
    put(FILES[2], csv.as_bytes())?;
    let scenario = calibrated_scenario(cal, fit, summary);
    put(
        FILES[3],
        (serde_json::to_string_pretty(&scenario).expect("JSON") + "\n").as_bytes(),
    )?;
    let mut files: Vec<String> = FILES.iter().map(|s| s.to_string()).collect();
    if charts {
        for (name, bytes) in
            crate::chart::calibration::draw(cal, fit).map_err(CalibrateError::Chart)?
        {
            put(&name, &bytes)?;
            files.push(name);
        }
    }
    let manifest = json!({
        "orgsim_version": crate::engine::VERSION,
        "kind": "calibration",
        "run_id": run_id,
        "command_line": command_line,
        "seed": cal.spec.seed,
        "threads": threads,
        "files": files,
        "calibration": cal.spec,
        "base": cal.base.resolved_json(),
        "method": "ABC population Monte Carlo (Beaumont et al. 2009), tolerance from the median distance of the previous generation (Del Moral et al. 2012); distance: root mean square of (simulated - observed) / sd",
        "stopped": fit.stopped,
        "simulations": fit.simulations,
        "generations": fit.generations.iter().map(|g| json!({
            "tolerance": if g.tolerance.is_finite() { json!(g.tolerance) } else { Value::Null },
            "simulations": g.simulations,
            "acceptance": g.acceptance,
            "effective_sample_size": g.ess,
        })).collect::<Vec<_>>(),
    });
    put(
        FILES[4],
        (serde_json::to_string_pretty(&manifest).expect("JSON") + "\n").as_bytes(),
    )?;
    staging.commit(lock)?;
    Ok(files.iter().map(|f| lock_dir(lock).join(f)).collect())
}

fn lock_dir(lock: &DirLock) -> &Path {
    lock.dir()
}
