//! Sensitivity analysis of a finished sweep (`orgsim analyze DIR`): Sobol first-order and
//! total indices with bootstrap confidence intervals (Saltelli designs), Morris mu* and
//! sigma (Morris designs), and, for grids, the outcome over the axes (lines and a heatmap).

use std::path::{Path, PathBuf};

use super::SweepError;
use crate::chart::{self, GridView, PlotOptions, SensitivityBar};
use crate::output::fmt_num;
use crate::rng::{Draw, SimRng};

/// One Sobol index with its bootstrap interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The estimate.
    pub estimate: f64,
    /// 2.5th percentile of the bootstrap.
    pub low: f64,
    /// 97.5th percentile of the bootstrap.
    pub high: f64,
}

/// First-order and total Sobol indices of one parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    /// S_i: the share of the output variance due to the parameter alone.
    pub first: Interval,
    /// ST_i: the share due to the parameter with all its interactions.
    pub total: Interval,
}

fn sobol_point(fa: &[f64], fb: &[f64], fab: &[Vec<f64>], idx: &[usize]) -> Vec<(f64, f64)> {
    let n = idx.len() as f64;
    let mean = idx.iter().map(|&j| fa[j] + fb[j]).sum::<f64>() / (2.0 * n);
    let var = idx
        .iter()
        .map(|&j| (fa[j] - mean).powi(2) + (fb[j] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * n);
    fab.iter()
        .map(|f| {
            if var <= 0.0 {
                return (f64::NAN, f64::NAN);
            }
            // Saltelli et al. (2010) first order, with f(B) centred so the estimate does not
            // depend on the outcome's level; Jansen (1999) total.
            let s = idx
                .iter()
                .map(|&j| (fb[j] - mean) * (f[j] - fa[j]))
                .sum::<f64>()
                / n
                / var;
            let t = idx.iter().map(|&j| (fa[j] - f[j]).powi(2)).sum::<f64>() / (2.0 * n) / var;
            (s, t)
        })
        .collect()
}

/// Sobol indices from model outputs on Saltelli's design: `fa`, `fb` on the base matrices A
/// and B, `fab[i]` on A with column i from B. Intervals from `bootstrap` resamples of the N
/// rows (seeded, so reproducible).
pub fn sobol_indices(
    fa: &[f64],
    fb: &[f64],
    fab: &[Vec<f64>],
    bootstrap: usize,
    seed: u64,
) -> Vec<SobolIndex> {
    let n = fa.len();
    let all: Vec<usize> = (0..n).collect();
    let point = sobol_point(fa, fb, fab, &all);
    let mut rng = SimRng::from_seed(seed);
    let mut draws: Vec<Vec<(f64, f64)>> = Vec::with_capacity(bootstrap);
    for _ in 0..bootstrap {
        let idx: Vec<usize> = (0..n).map(|_| rng.below(n as u64) as usize).collect();
        draws.push(sobol_point(fa, fb, fab, &idx));
    }
    let interval = |est: f64, pick: &dyn Fn(&(f64, f64)) -> f64, i: usize| {
        let mut v: Vec<f64> = draws
            .iter()
            .map(|d| pick(&d[i]))
            .filter(|x| x.is_finite())
            .collect();
        v.sort_by(f64::total_cmp);
        let q = |p: f64| -> f64 {
            if v.is_empty() {
                return f64::NAN;
            }
            let pos = p * (v.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
        };
        Interval {
            estimate: est,
            low: q(0.025),
            high: q(0.975),
        }
    };
    point
        .iter()
        .enumerate()
        .map(|(i, &(s, t))| SobolIndex {
            first: interval(s, &|d| d.0, i),
            total: interval(t, &|d| d.1, i),
        })
        .collect()
}

/// Standardized regression coefficients of `y` on the columns of `x` (ordinary least
/// squares with an intercept) and the regression's R^2; None when the system is singular.
pub fn src_indices(x: &[Vec<f64>], y: &[f64]) -> Option<(Vec<f64>, f64)> {
    let n = y.len();
    let k = x.first()?.len();
    if n <= k + 1 {
        return None;
    }
    let mean = |col: &dyn Fn(usize) -> f64| (0..n).map(col).sum::<f64>() / n as f64;
    let mx: Vec<f64> = (0..k).map(|i| mean(&|j| x[j][i])).collect();
    let my = mean(&|j| y[j]);
    // Normal equations on centred data: (Xc' Xc) b = Xc' yc.
    let mut a = vec![vec![0.0; k + 1]; k];
    for j in 0..n {
        for r in 0..k {
            let xr = x[j][r] - mx[r];
            for c in 0..k {
                a[r][c] += xr * (x[j][c] - mx[c]);
            }
            a[r][k] += xr * (y[j] - my);
        }
    }
    for col in 0..k {
        let pivot = (col..k).max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        let pivot_row = a[col].clone();
        for (r, row) in a.iter_mut().enumerate() {
            if r != col {
                let factor = row[col] / pivot_row[col];
                for (x, p) in row.iter_mut().zip(&pivot_row).skip(col) {
                    *x -= factor * p;
                }
            }
        }
    }
    let b: Vec<f64> = (0..k).map(|i| a[i][k] / a[i][i]).collect();
    let sd = |v: &dyn Fn(usize) -> f64, m: f64| {
        ((0..n).map(|j| (v(j) - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    };
    let sy = sd(&|j| y[j], my);
    let src = (0..k)
        .map(|i| b[i] * sd(&|j| x[j][i], mx[i]) / sy)
        .collect();
    let ss_tot: f64 = y.iter().map(|v| (v - my).powi(2)).sum();
    let ss_res: f64 = (0..n)
        .map(|j| {
            let fit = my + (0..k).map(|i| b[i] * (x[j][i] - mx[i])).sum::<f64>();
            (y[j] - fit).powi(2)
        })
        .sum();
    Some((src, 1.0 - ss_res / ss_tot))
}

/// Morris's statistics of one parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisEffect {
    /// mu*: the mean absolute elementary effect (overall influence).
    pub mu_star: f64,
    /// mu: the mean elementary effect (its sign shows direction).
    pub mu: f64,
    /// sigma: the standard deviation of the effects (nonlinearity and interactions).
    pub sigma: f64,
    /// Effects measured.
    pub n: usize,
}

/// Elementary effects from Morris trajectories: `unit` holds each point's coordinates in
/// [0, 1] (trajectories of k + 1 points, one axis moving per step) and `f` its output.
/// Effects are per unit of the axis's whole range.
pub fn morris_effects(unit: &[Vec<f64>], f: &[f64], k: usize) -> Vec<MorrisEffect> {
    let mut effects: Vec<Vec<f64>> = vec![Vec::new(); k];
    for t in 0..unit.len() / (k + 1) {
        for s in 0..k {
            let (a, b) = (t * (k + 1) + s, t * (k + 1) + s + 1);
            let moved = (0..k).find(|&i| (unit[b][i] - unit[a][i]).abs() > 1e-12);
            if let Some(i) = moved {
                let ee = (f[b] - f[a]) / (unit[b][i] - unit[a][i]);
                if ee.is_finite() {
                    effects[i].push(ee);
                }
            }
        }
    }
    effects
        .iter()
        .map(|e| {
            let n = e.len();
            let nf = n.max(1) as f64;
            let mu = e.iter().sum::<f64>() / nf;
            let mu_star = e.iter().map(|x| x.abs()).sum::<f64>() / nf;
            let sigma = if n > 1 {
                (e.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
            } else {
                f64::NAN
            };
            MorrisEffect {
                mu_star,
                mu,
                sigma,
                n,
            }
        })
        .collect()
}

/// What `analyze` wrote.
#[derive(Clone, Debug)]
pub struct AnalysisReport {
    /// The design analysed.
    pub design: String,
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Outcomes left out (undefined at some point, or constant), with why.
    pub skipped: Vec<String>,
    /// Why some estimates cannot be taken at face value (their codes are in the `warning`
    /// column of `sensitivity.csv`).
    pub warnings: Vec<String>,
    /// A short text summary for the console.
    pub summary: String,
}

/// A design's estimator: from an outcome's name and its value at every point, its estimates
/// (None when they cannot be computed).
type Estimator<'a> = Box<dyn Fn(&str, &[f64]) -> Option<Estimated> + 'a>;

/// The codes of `sensitivity.csv`'s `warning` column (several are joined by `;`), each
/// marking an estimate that cannot be taken at face value.
pub mod warning {
    /// Too few samples for the method (see `SOBOL_MIN_N`, `MORRIS_MIN_R`,
    /// `REGRESSION_MIN_PER_AXIS`).
    pub const SMALL_N: &str = "small_n";
    /// A Sobol index outside [0, 1] with its whole 95% interval outside too.
    pub const OUTSIDE_0_1: &str = "outside_0_1";
    /// A first-order index above its total index with the intervals apart (S1 <= ST in
    /// theory).
    pub const S1_ABOVE_ST: &str = "s1_above_st";
    /// A Sobol interval wider than 0.5: the data do not say whether the parameter matters
    /// little or most.
    pub const WIDE_INTERVAL: &str = "wide_interval";
    /// The outcome is near zero (within 1% of its largest value) in more than half of the
    /// runs, so its variance, and every index, comes from a few runs.
    pub const MOSTLY_ZERO: &str = "mostly_zero";
    /// A regression's R^2 below 0.7: a linear reading explains too little of the outcome.
    pub const LOW_R2: &str = "low_r2";
}

/// Sobol designs with fewer base samples N are flagged `small_n`. On the Ishigami function
/// (unit test `sobol_intervals_reach_their_coverage_at_the_threshold`), the 95% bootstrap
/// intervals cover the analytic indices 91-94% of the time below N = 256 and 95% from it, and
/// the largest error over 100 designs falls from 0.4 (N = 64) to 0.2; the model's outcomes
/// are noisier than Ishigami, so this is a floor, not a target.
pub const SOBOL_MIN_N: usize = 256;
/// Morris designs with fewer trajectories r are flagged `small_n`: 10 to 50 is the range
/// Campolongo, Cariboni and Saltelli (2007) found to rank parameters reliably.
pub const MORRIS_MIN_R: usize = 10;
/// Regression designs with fewer points than this many per coefficient are flagged
/// `small_n` (the usual rule of thumb of ten observations per predictor).
pub const REGRESSION_MIN_PER_AXIS: usize = 10;
/// An outcome near zero in more than this share of its runs is flagged `mostly_zero`.
pub const MOSTLY_ZERO_SHARE: f64 = 0.5;

/// One outcome's sensitivity estimates: rows of `sensitivity.csv` and a tornado chart's bars.
struct Estimated {
    /// Rows without the warning column, with their warning codes.
    rows: Vec<(String, Vec<&'static str>)>,
    /// Why each flagged row was flagged, for the console.
    notes: Vec<String>,
    bars: Vec<SensitivityBar>,
    /// The method, for the chart's subtitle.
    method: String,
    xlabel: &'static str,
    names: (&'static str, &'static str),
    /// The console line's start (the ranking follows).
    summary: String,
    /// Codes for every row of this outcome.
    flags: Vec<&'static str>,
}

impl Estimated {
    fn new(
        method: String,
        xlabel: &'static str,
        names: (&'static str, &'static str),
        summary: String,
    ) -> Estimated {
        Estimated {
            rows: Vec::new(),
            notes: Vec::new(),
            bars: Vec::new(),
            method,
            xlabel,
            names,
            summary,
            flags: Vec::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        outcome: &str,
        parameter: &str,
        method: &str,
        index: &str,
        v: f64,
        ci: Option<(f64, f64)>,
        flags: Vec<&'static str>,
    ) {
        self.rows.push((
            format!(
                "{outcome},{parameter},{method},{index},{},{},{}",
                fmt_num(v),
                ci.map(|c| fmt_num(c.0)).unwrap_or_default(),
                ci.map(|c| fmt_num(c.1)).unwrap_or_default()
            ),
            flags,
        ));
    }

    /// The rows of `sensitivity.csv`, with the outcome's codes added to each row's.
    fn csv(&self) -> String {
        let mut text = String::new();
        for (row, flags) in &self.rows {
            let mut all: Vec<&str> = self.flags.clone();
            all.extend(flags.iter().filter(|f| !self.flags.contains(f)));
            text.push_str(&format!("{row},{}\n", all.join(";")));
        }
        text
    }

    fn bar(&mut self, parameter: &str, main: (f64, f64, f64), second: Option<(f64, f64, f64)>) {
        self.bars.push(SensitivityBar {
            parameter: parameter.to_string(),
            main,
            second,
        });
    }

    /// Whether any row is flagged (outcome-wide `small_n` aside, said once).
    fn flagged(&self) -> bool {
        self.flags.iter().any(|f| *f != warning::SMALL_N)
            || self
                .rows
                .iter()
                .any(|(_, f)| f.iter().any(|f| *f != warning::SMALL_N))
    }
}

/// The codes of one Sobol index (`iv`), its companion (`total` for a first-order index) and
/// why, for the console.
fn sobol_flags(
    label: &str,
    iv: Interval,
    total: Option<Interval>,
) -> (Vec<&'static str>, Vec<String>) {
    let (mut flags, mut notes) = (Vec::new(), Vec::new());
    let shown = format!(
        "{label} {} [{}, {}]",
        fmt_short(iv.estimate),
        fmt_short(iv.low),
        fmt_short(iv.high)
    );
    if (iv.estimate < 0.0 && iv.high < 0.0) || (iv.estimate > 1.0 && iv.low > 1.0) {
        flags.push(warning::OUTSIDE_0_1);
        notes.push(format!(
            "{shown} lies outside [0, 1], interval and all ({})",
            warning::OUTSIDE_0_1
        ));
    }
    if iv.high - iv.low > 0.5 || !(iv.low.is_finite() && iv.high.is_finite()) {
        flags.push(warning::WIDE_INTERVAL);
        notes.push(format!(
            "{shown}: the interval is wider than 0.5 ({})",
            warning::WIDE_INTERVAL
        ));
    }
    if let Some(t) = total
        && iv.low > t.high
    {
        flags.push(warning::S1_ABOVE_ST);
        notes.push(format!(
            "{shown} is above ST {} [{}, {}], intervals apart, though S1 <= ST ({})",
            fmt_short(t.estimate),
            fmt_short(t.low),
            fmt_short(t.high),
            warning::S1_ABOVE_ST
        ));
    }
    (flags, notes)
}

/// Bootstrap resamples for Sobol intervals.
const BOOTSTRAP: usize = 500;

/// The outcomes `analyze` charts by default, in order of preference: life-cycle capacity
/// summed over the run comes first, as capacity at the end is near zero in most runs of
/// an organization that bureaucratizes (flagged `mostly_zero`).
const PREFERRED: [&str; 4] = [
    "capacity_auc",
    "final_capacity",
    "mean_capacity_per_100",
    "equilibrium_knowledge",
];

/// Analyses the finished sweep in `dir`: writes `sensitivity.csv` and the charts. `outcome`
/// picks the outcome charted (default: the sweep file's `outcome`, else the first of a
/// preferred list that varies and is not near zero in most runs).
pub fn analyze(
    dir: &Path,
    outcome: Option<&str>,
    opts: &PlotOptions,
) -> Result<AnalysisReport, SweepError> {
    let manifest_path = dir.join("manifest.json");
    let manifest = match super::files::manifest::read(&manifest_path) {
        Ok(Some(m)) => m,
        Ok(None) => {
            return Err(SweepError::Analysis(format!(
                "{} holds the results of `orgsim run`, not of a sweep",
                dir.display()
            )));
        }
        Err(e) if !manifest_path.exists() => {
            return Err(SweepError::Io {
                path: manifest_path,
                message: format!(
                    "{}: is this a finished sweep's directory? (`orgsim status DIR`)",
                    e.message
                ),
            });
        }
        Err(e) => return Err(SweepError::Analysis(e.to_string())),
    };
    let columns = chart::Columns::from_manifest(&crate::output::columns_section(&manifest.columns));
    let design = manifest.design.map_or("grid", |d| d.name()).to_string();
    let axes: Vec<String> = manifest.axes.clone();
    let outcomes: Vec<String> = manifest.outcomes.clone();
    let n_points = manifest.points;
    // The manifest sizes what is read: bounded as the sweep file was.
    if n_points == 0
        || n_points > super::spec::limits::POINTS
        || axes.is_empty()
        || axes.len() > super::spec::limits::AXES
        || outcomes.is_empty()
    {
        return Err(SweepError::Analysis(format!(
            "{}: {n_points} points, {} axes and {} outcomes: a sweep has 1 to {} points, 1 to {} axes and at least one outcome",
            manifest_path.display(),
            axes.len(),
            outcomes.len(),
            super::spec::limits::POINTS,
            super::spec::limits::AXES
        )));
    }
    let n_points = n_points as usize;
    let name = if manifest.name.is_empty() {
        "sweep".to_string()
    } else {
        manifest.name.clone()
    };
    let seed = manifest.seed();
    // points.csv: per point and outcome, the mean (and CI) across replicates.
    let super::read::PointTable { labels, means, cis } =
        super::read::read_points(dir, &axes, &outcomes, n_points)?;
    let near_zero = super::read::near_zero_shares(dir, &axes, &outcomes)?;
    let mostly_zero = |o: &str| near_zero.get(o).is_some_and(|&s| s > MOSTLY_ZERO_SHARE);
    let k = axes.len();
    let usable = |o: &str| -> Result<&Vec<f64>, String> {
        let v = &means[o];
        if v.iter().any(|x| !x.is_finite()) {
            return Err(format!("{o}: undefined at some points"));
        }
        let (lo, hi) = v
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        if hi - lo <= 1e-12 * hi.abs().max(1.0) {
            return Err(format!("{o}: the same at every point"));
        }
        Ok(v)
    };
    let chosen = outcome
        .map(str::to_string)
        .or_else(|| manifest.outcome().map(str::to_string));
    let charted = match chosen {
        Some(o) if outcomes.contains(&o) => o,
        Some(o) => {
            return Err(SweepError::Analysis(format!(
                "no outcome `{o}` in this sweep; the outcomes are: {}",
                outcomes.join(", ")
            )));
        }
        None => {
            let good = |o: &str| outcomes.iter().any(|x| x == o) && usable(o).is_ok();
            PREFERRED
                .iter()
                .map(|s| s.to_string())
                .chain(outcomes.iter().cloned())
                .find(|o| good(o) && !mostly_zero(o))
                .or_else(|| outcomes.iter().find(|o| good(o)).cloned())
                .unwrap_or_default()
        }
    };
    let mut csv = String::from("outcome,parameter,method,index,estimate,ci_low,ci_high,warning\n");
    let mut skipped = Vec::new();
    let mut warnings = Vec::new();
    let mut files = Vec::new();
    let mut summary = String::new();
    let subtitle_base = format!(
        "{name}: {design} design, {} points",
        chart::number(n_points as f64, 0)
    );
    let zero_warning = |o: &str| {
        format!(
            "{o} is near zero (within 1% of its largest value) in {:.0}% of the runs, so its variance comes from a few runs and every estimate on it is fragile ({}); an outcome summed over the run, such as capacity_auc, varies more evenly",
            100.0 * near_zero.get(o).copied().unwrap_or(0.0),
            warning::MOSTLY_ZERO
        )
    };
    if design == "grid" {
        if charted.is_empty() {
            return Err(SweepError::Analysis(
                "no outcome varies across the grid".into(),
            ));
        }
        if mostly_zero(&charted) {
            warnings.push(zero_warning(&charted));
        }
        let view = GridView {
            axes: axes.clone(),
            labels: labels.clone(),
            means: means[&charted].clone(),
            cis: cis[&charted].clone(),
            outcome: charted.clone(),
            outcome_title: chart::outcome_title(&columns, &charted),
        };
        let replicates = manifest.replicates;
        files.extend(
            chart::grid_charts(
                dir,
                &view,
                &format!(
                    "{subtitle_base}, {} replicates each",
                    chart::number(replicates as f64, 0)
                ),
                opts,
            )
            .map_err(|e| SweepError::Analysis(e.to_string()))?,
        );
        summary = grid_table(&view);
        return Ok(AnalysisReport {
            design,
            files,
            skipped,
            warnings,
            summary,
        });
    }
    // One estimator per design: each outcome's values at every point give its rows of
    // sensitivity.csv and the bars of its tornado chart.
    let estimator: Estimator = match design.as_str() {
        "sobol" => {
            if !n_points.is_multiple_of(k + 2) {
                return Err(SweepError::Analysis(format!(
                    "a Sobol design has N x (axes + 2) points; {n_points} points and {k} axes do not fit"
                )));
            }
            let n = n_points / (k + 2);
            let small = n < SOBOL_MIN_N;
            if small {
                warnings.push(format!(
                    "N = {n} base samples is below {SOBOL_MIN_N}: Sobol estimates and their bootstrap intervals are not reliable at this size ({}); raise `points`",
                    warning::SMALL_N
                ));
            }
            Box::new(move |o, f| {
                let fab: Vec<Vec<f64>> = (0..k)
                    .map(|i| f[(2 + i) * n..(3 + i) * n].to_vec())
                    .collect();
                let idx = sobol_indices(&f[..n], &f[n..2 * n], &fab, BOOTSTRAP, seed);
                let mut e = Estimated::new(
                    "Sobol total (ST) and first-order (S1) indices, 95% bootstrap intervals".into(),
                    "Share of the outcome\u{2019}s variance",
                    ("ST: alone and through interactions", "S1: alone"),
                    format!("{o}: total Sobol indices (ST), largest first"),
                );
                if small {
                    e.flags.push(warning::SMALL_N);
                }
                for (axis, s) in axes.iter().zip(&idx) {
                    for (label, iv, total) in
                        [("S1", s.first, Some(s.total)), ("ST", s.total, None)]
                    {
                        let (flags, notes) = sobol_flags(label, iv, total);
                        e.notes
                            .extend(notes.into_iter().map(|n| format!("{o}: {axis}: {n}")));
                        e.row(
                            o,
                            axis,
                            "sobol",
                            label,
                            iv.estimate,
                            Some((iv.low, iv.high)),
                            flags,
                        );
                    }
                    e.bar(
                        axis,
                        (s.total.estimate, s.total.low, s.total.high),
                        Some((s.first.estimate, s.first.low, s.first.high)),
                    );
                }
                Some(e)
            })
        }
        "morris" => {
            let unit = super::read::read_unit(dir, n_points, k)?;
            let r = n_points / (k + 1);
            let small = r < MORRIS_MIN_R;
            if small {
                warnings.push(format!(
                    "r = {r} trajectories is below {MORRIS_MIN_R}: Morris's mu* and sigma do not rank parameters reliably at this size ({}); raise `points`",
                    warning::SMALL_N
                ));
            }
            Box::new(move |o, f| {
                let mut e = Estimated::new(
                    "Morris elementary effects over each parameter\u{2019}s whole range".into(),
                    "Effect on the outcome (its units)",
                    (
                        "\u{3bc}*: mean absolute effect",
                        "\u{3c3}: spread (nonlinearity, interactions)",
                    ),
                    format!("{o}: mu* (mean absolute elementary effect per whole range)"),
                );
                if small {
                    e.flags.push(warning::SMALL_N);
                }
                for (axis, m) in axes.iter().zip(morris_effects(&unit, f, k)) {
                    for (label, v) in [("mu_star", m.mu_star), ("mu", m.mu), ("sigma", m.sigma)] {
                        e.row(o, axis, "morris", label, v, None, Vec::new());
                    }
                    e.bar(
                        axis,
                        (m.mu_star, m.mu_star, m.mu_star),
                        Some((m.sigma, m.sigma, m.sigma)),
                    );
                }
                Some(e)
            })
        }
        "random" | "lhs" => {
            // Standardized regression coefficients on the parameters' values (or, for
            // listed non-numeric values, their positions in [0, 1]).
            let unit = super::read::read_unit(dir, n_points, k)?;
            let x: Vec<Vec<f64>> = (0..n_points)
                .map(|p| {
                    (0..k)
                        .map(|i| {
                            labels[p]
                                .get(i)
                                .and_then(|v| v.parse::<f64>().ok())
                                .unwrap_or(unit[p][i])
                        })
                        .collect()
                })
                .collect();
            let small = n_points < REGRESSION_MIN_PER_AXIS * (k + 1);
            if small {
                warnings.push(format!(
                    "{n_points} points for {k} parameters is below {REGRESSION_MIN_PER_AXIS} per coefficient ({}): the regression coefficients are not reliable; raise `points`",
                    warning::SMALL_N
                ));
            }
            Box::new(move |o, f| {
                let (coef, r2) = src_indices(&x, f)?;
                let mut e = Estimated::new(
                    format!(
                        "standardized regression coefficients, R\u{b2} = {r2:.2} (meaningful when R\u{b2} is near 1)"
                    ),
                    "|Standardized regression coefficient|",
                    (
                        "|SRC|: standard deviations of the outcome per standard deviation of the parameter",
                        "",
                    ),
                    format!(
                        "{o}: |standardized regression coefficient|, largest first (R\u{b2} = {r2:.2})"
                    ),
                );
                if small {
                    e.flags.push(warning::SMALL_N);
                }
                if r2 < 0.7 {
                    e.flags.push(warning::LOW_R2);
                    e.notes.push(format!(
                        "{o}: R\u{b2} = {r2:.2}: a linear reading explains too little of the outcome to rank parameters by their coefficients ({})",
                        warning::LOW_R2
                    ));
                }
                for (axis, c) in axes.iter().zip(&coef) {
                    e.row(o, axis, "regression", "src", *c, None, Vec::new());
                    e.bar(axis, (c.abs(), c.abs(), c.abs()), None);
                }
                e.row(o, "(all)", "regression", "r2", r2, None, Vec::new());
                Some(e)
            })
        }
        other => {
            return Err(SweepError::Analysis(format!(
                "a `{other}` design has no sensitivity estimator; points.csv holds every point's outcomes"
            )));
        }
    };
    let mut others_flagged = Vec::new();
    for o in &outcomes {
        let f = match usable(o) {
            Ok(f) => f,
            Err(why) => {
                skipped.push(why);
                continue;
            }
        };
        let Some(mut e) = estimator(o, f) else {
            skipped.push(format!(
                "{o}: the regression is singular (a constant parameter?)"
            ));
            continue;
        };
        if mostly_zero(o) {
            e.flags.push(warning::MOSTLY_ZERO);
        }
        csv.push_str(&e.csv());
        if *o == charted {
            if mostly_zero(o) {
                warnings.push(zero_warning(o));
            }
            warnings.extend(e.notes.iter().cloned());
            summary = format!("{}: {}", e.summary, ranked(&e.bars));
            files.extend(
                chart::tornado(
                    dir,
                    "tornado",
                    &format!("What drives {}", chart::outcome_title(&columns, o)),
                    &format!("{subtitle_base} \u{b7} {}", e.method),
                    e.xlabel,
                    e.names,
                    &e.bars,
                    opts,
                )
                .map_err(|e| SweepError::Analysis(e.to_string()))?,
            );
        } else if e.flagged() {
            others_flagged.push(o.clone());
        }
    }
    if !others_flagged.is_empty() {
        warnings.push(format!(
            "estimates on {} other outcome{} are flagged too ({}): see the `warning` column of sensitivity.csv",
            others_flagged.len(),
            if others_flagged.len() == 1 { "" } else { "s" },
            others_flagged.join(", ")
        ));
    }
    let path = dir.join("sensitivity.csv");
    crate::output::write_atomic(&path, csv.as_bytes()).map_err(|e| SweepError::Io {
        path: path.clone(),
        message: e.to_string(),
    })?;
    files.insert(0, path);
    Ok(AnalysisReport {
        design,
        files,
        skipped,
        warnings,
        summary,
    })
}

/// A grid's outcome as a table: one row per value of the second axis (if any), one column
/// per value of the first.
fn grid_table(view: &GridView) -> String {
    let (axes, labels) = (&view.axes, &view.labels);
    let cols = view.distinct(0);
    let rows = if axes.len() >= 2 {
        view.distinct(1)
    } else {
        vec![String::new()]
    };
    let cell = |c: &str, r: &str| -> String {
        (0..labels.len())
            .find(|&i| labels[i][0] == c && (axes.len() < 2 || labels[i][1] == r))
            .map(|i| fmt_short(view.means[i]))
            .unwrap_or_default()
    };
    let head = if axes.len() >= 2 {
        format!("{} \\ {}", axes[1], axes[0])
    } else {
        axes[0].clone()
    };
    let w = head
        .len()
        .max(rows.iter().map(String::len).max().unwrap_or(0));
    let mut text = format!("{}, mean across replicates:\n{head:>w$}", view.outcome);
    for c in &cols {
        text.push_str(&format!(" {c:>8}"));
    }
    text.push('\n');
    for r in &rows {
        text.push_str(&format!("{r:>w$}"));
        for c in &cols {
            text.push_str(&format!(" {:>8}", cell(c, r)));
        }
        text.push('\n');
    }
    text.trim_end().to_string()
}

fn ranked(bars: &[SensitivityBar]) -> String {
    let mut b: Vec<&SensitivityBar> = bars.iter().collect();
    b.sort_by(|x, y| y.main.0.total_cmp(&x.main.0));
    b.iter()
        .map(|x| format!("{} {}", x.parameter, fmt_short(x.main.0)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn fmt_short(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::design::unit_design;
    use crate::sweep::spec::DesignKind;

    fn ishigami(x: &[f64]) -> f64 {
        // Inputs uniform on [-pi, pi]; a = 7, b = 0.1 (Ishigami and Homma 1990).
        let p: Vec<f64> = x
            .iter()
            .map(|u| -std::f64::consts::PI + 2.0 * std::f64::consts::PI * u)
            .collect();
        libm::sin(p[0]) + 7.0 * libm::sin(p[1]).powi(2) + 0.1 * p[2].powi(4) * libm::sin(p[0])
    }

    #[test]
    fn sobol_estimators_recover_the_ishigami_indices() {
        // Analytic values (Saltelli et al. 2008, Global Sensitivity Analysis, table 4.1 /
        // Sobol' and Levitan 1999): S = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
        let n = 20_000;
        let mut rng = SimRng::from_seed(7);
        let rows = unit_design(DesignKind::Sobol, n, 3, 4, &mut rng).unwrap();
        let f: Vec<f64> = rows.iter().map(|r| ishigami(r)).collect();
        let fab: Vec<Vec<f64>> = (0..3)
            .map(|i| f[(2 + i) * n..(3 + i) * n].to_vec())
            .collect();
        let idx = sobol_indices(&f[..n], &f[n..2 * n], &fab, 200, 11);
        let s = [0.3139, 0.4424, 0.0];
        let st = [0.5576, 0.4424, 0.2437];
        for i in 0..3 {
            assert!(
                (idx[i].first.estimate - s[i]).abs() < 0.03,
                "S{} = {:?}",
                i + 1,
                idx[i].first
            );
            assert!(
                (idx[i].total.estimate - st[i]).abs() < 0.03,
                "ST{} = {:?}",
                i + 1,
                idx[i].total
            );
            // The bootstrap interval brackets the estimate and is narrow at this N.
            assert!(
                idx[i].total.low <= idx[i].total.estimate
                    && idx[i].total.estimate <= idx[i].total.high
            );
            assert!(idx[i].total.high - idx[i].total.low < 0.1);
        }
    }

    #[test]
    fn sobol_indices_do_not_depend_on_the_outcome_level() {
        // A large offset relative to the spread (as for a mean near 0.8 varying by 0.05)
        // must not move the indices: the same design with f and f + 1000.
        let n = 2_000;
        let mut rng = SimRng::from_seed(3);
        let rows = unit_design(DesignKind::Sobol, n, 3, 4, &mut rng).unwrap();
        let split = |f: &[f64]| -> Vec<SobolIndex> {
            let fab: Vec<Vec<f64>> = (0..3)
                .map(|i| f[(2 + i) * n..(3 + i) * n].to_vec())
                .collect();
            sobol_indices(&f[..n], &f[n..2 * n], &fab, 50, 1)
        };
        let f: Vec<f64> = rows.iter().map(|r| ishigami(r)).collect();
        let shifted: Vec<f64> = f.iter().map(|v| v + 1000.0).collect();
        let (a, b) = (split(&f), split(&shifted));
        for i in 0..3 {
            assert!(
                (a[i].first.estimate - b[i].first.estimate).abs() < 1e-6,
                "{:?} {:?}",
                a[i],
                b[i]
            );
            assert!((a[i].total.estimate - b[i].total.estimate).abs() < 1e-6);
            assert!(
                b[i].first.estimate > -0.1 && b[i].first.estimate < 1.1,
                "{:?}",
                b[i]
            );
        }
    }

    #[test]
    fn regression_coefficients_of_a_linear_model() {
        // y = 2 x0 - x1 + 0 x2 on uniform inputs: SRC proportional to 2 : -1 : 0, R^2 = 1.
        let mut rng = SimRng::from_seed(4);
        let x = unit_design(DesignKind::Lhs, 500, 3, 4, &mut rng).unwrap();
        let y: Vec<f64> = x.iter().map(|r| 2.0 * r[0] - r[1] + 5.0).collect();
        let (src, r2) = src_indices(&x, &y).unwrap();
        assert!((r2 - 1.0).abs() < 1e-9);
        assert!((src[0] / src[1] + 2.0).abs() < 0.05, "{src:?}");
        assert!(src[2].abs() < 1e-9);
        // Two perfectly correlated columns: singular.
        let x2: Vec<Vec<f64>> = x.iter().map(|r| vec![r[0], 2.0 * r[0]]).collect();
        assert!(src_indices(&x2, &y).is_none());
    }

    #[test]
    fn morris_effects_of_known_functions() {
        let mut rng = SimRng::from_seed(9);
        let unit = unit_design(DesignKind::Morris, 50, 3, 4, &mut rng).unwrap();
        // Linear in x0 (slope 2 per whole range), quadratic in x1, no x2.
        let f: Vec<f64> = unit
            .iter()
            .map(|x| 2.0 * x[0] + 3.0 * x[1] * x[1])
            .collect();
        let e = morris_effects(&unit, &f, 3);
        assert!((e[0].mu_star - 2.0).abs() < 1e-9 && e[0].sigma.abs() < 1e-9);
        assert!(e[1].mu_star > 1.0 && e[1].sigma > 0.1, "{:?}", e[1]);
        assert!(e[2].mu_star.abs() < 1e-12);
        assert!(e.iter().all(|x| x.n == 50));
        // Ishigami: x2 (index 2) matters only through its interaction with x0: mu* > 0,
        // and its effects vary (sigma > 0).
        let f: Vec<f64> = unit.iter().map(|x| ishigami(x)).collect();
        let e = morris_effects(&unit, &f, 3);
        assert!(e[0].mu_star > e[2].mu_star && e[1].mu_star > e[2].mu_star);
        assert!(e[2].sigma > 0.0);
    }

    #[test]
    fn sobol_intervals_reach_their_coverage_at_the_threshold() {
        // The evidence for SOBOL_MIN_N: over 100 Saltelli designs of the Ishigami function,
        // the 95% bootstrap intervals cover the analytic indices about 95% of the time at
        // N = 256, less below; the worst error halves from N = 64 to 256.
        let s = [0.3139, 0.4424, 0.0];
        let st = [0.5576, 0.4424, 0.2437];
        let trial = |n: usize| -> (f64, f64) {
            let (mut covered, mut all, mut worst) = (0, 0, 0.0f64);
            for seed in 0..100 {
                let mut rng = SimRng::from_seed(seed);
                let rows = unit_design(DesignKind::Sobol, n, 3, 4, &mut rng).unwrap();
                let f: Vec<f64> = rows.iter().map(|r| ishigami(r)).collect();
                let fab: Vec<Vec<f64>> = (0..3)
                    .map(|i| f[(2 + i) * n..(3 + i) * n].to_vec())
                    .collect();
                let idx = sobol_indices(&f[..n], &f[n..2 * n], &fab, 200, seed + 1);
                for i in 0..3 {
                    for (iv, truth) in [(idx[i].first, s[i]), (idx[i].total, st[i])] {
                        all += 1;
                        covered += usize::from(iv.low <= truth && truth <= iv.high);
                        worst = worst.max((iv.estimate - truth).abs());
                    }
                }
            }
            (covered as f64 / all as f64, worst)
        };
        let (small, large) = (trial(SOBOL_MIN_N / 4), trial(SOBOL_MIN_N));
        assert!(large.0 >= 0.94, "coverage at N = {SOBOL_MIN_N}: {large:?}");
        assert!(small.0 < large.0, "{small:?} {large:?}");
        assert!(small.1 > 1.5 * large.1, "{small:?} {large:?}");
    }

    #[test]
    fn untrustworthy_sobol_indices_are_flagged() {
        let iv = |estimate, low, high| Interval {
            estimate,
            low,
            high,
        };
        // A clean index: no codes.
        assert!(sobol_flags("ST", iv(0.4, 0.35, 0.45), None).0.is_empty());
        // Slightly negative but consistent with 0: not flagged.
        assert!(sobol_flags("S1", iv(-0.01, -0.05, 0.02), None).0.is_empty());
        assert_eq!(
            sobol_flags("S1", iv(-0.09, -0.4, -0.02), None).0,
            vec![warning::OUTSIDE_0_1]
        );
        assert_eq!(
            sobol_flags("ST", iv(3.41, 0.72, 12.3), None).0,
            vec![warning::WIDE_INTERVAL]
        );
        assert_eq!(
            sobol_flags("ST", iv(1.3, 1.1, 1.4), None).0,
            vec![warning::OUTSIDE_0_1]
        );
        let (flags, notes) = sobol_flags("S1", iv(0.6, 0.5, 0.7), Some(iv(0.3, 0.25, 0.35)));
        assert_eq!(flags, vec![warning::S1_ABOVE_ST]);
        assert!(notes[0].contains("S1 0.600 [0.500, 0.700] is above ST 0.300"));
        // Overlapping intervals: S1 above ST is noise.
        assert!(
            sobol_flags("S1", iv(0.6, 0.3, 0.7), Some(iv(0.55, 0.45, 0.65)))
                .0
                .is_empty()
        );
    }

    /// A finished two-axis random sweep written by hand: `final_capacity` is zero in 7 of 8
    /// runs, `mean_capacity_per_100` varies.
    fn fake_sweep(dir: &Path) {
        std::fs::write(
            dir.join("manifest.json"),
            r#"{"kind": "sweep", "design": "random", "name": "t", "axes": ["a", "b"],
                "outcomes": ["final_capacity", "mean_capacity_per_100"], "points": 8,
                "replicates": 1, "sweep": {"seed": 3}}"#,
        )
        .unwrap();
        let mut points = String::from("point,a,b,outcome,n,mean,sd,ci_low,ci_high\n");
        let mut runs =
            String::from("point,a,b,replicate,seed,final_capacity,mean_capacity_per_100\n");
        let mut design = String::from("point,unit:a,unit:b\n");
        for p in 0..8 {
            let (a, b) = (p as f64 / 8.0, ((p * 5) % 8) as f64 / 8.0);
            let fc = if p == 7 { 40.0 } else { 0.0 };
            let m = 3.0 * a + b + 0.1 * (p % 3) as f64;
            points.push_str(&format!("{p},{a},{b},final_capacity,1,{fc},,,\n"));
            points.push_str(&format!("{p},{a},{b},mean_capacity_per_100,1,{m},,,\n"));
            runs.push_str(&format!("{p},{a},{b},0,1,{fc},{m}\n"));
            design.push_str(&format!("{p},{a},{b}\n"));
        }
        std::fs::write(dir.join("points.csv"), points).unwrap();
        std::fs::write(dir.join("runs.csv"), runs).unwrap();
        std::fs::write(dir.join("design.csv"), design).unwrap();
    }

    #[test]
    fn the_default_outcome_varies_and_near_zero_outcomes_are_flagged() {
        let dir = tempfile::tempdir().unwrap();
        fake_sweep(dir.path());
        let opts = PlotOptions {
            formats: vec![crate::chart::Format::Svg],
            ..PlotOptions::default()
        };
        let report = analyze(dir.path(), None, &opts).unwrap();
        // final_capacity comes first in the outcomes and the preferred list, but is zero in
        // most runs: the default is the outcome that varies.
        assert!(
            report.summary.starts_with("mean_capacity_per_100:"),
            "{}",
            report.summary
        );
        let csv = std::fs::read_to_string(dir.path().join("sensitivity.csv")).unwrap();
        for line in csv.lines().skip(1) {
            let codes = line.rsplit(',').next().unwrap();
            assert!(codes.contains(warning::SMALL_N), "8 points, 2 axes: {line}");
            assert_eq!(
                codes.contains(warning::MOSTLY_ZERO),
                line.starts_with("final_capacity,"),
                "{line}"
            );
        }
        // Asked for, it is analysed, with the warning on the console.
        let report = analyze(dir.path(), Some("final_capacity"), &opts).unwrap();
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.contains("in 88% of the runs")),
            "{:?}",
            report.warnings
        );
    }

    #[test]
    fn a_damaged_points_file_stops_the_analysis_with_its_line() {
        let opts = PlotOptions {
            formats: vec![crate::chart::Format::Svg],
            ..PlotOptions::default()
        };
        // Each change acts on the lines of a good file (line 1 is the header).
        type Change = fn(&mut Vec<String>);
        let damage: [(&str, Change); 6] = [
            ("line 4: mean `0.8x` is not a number", |l| {
                l[3] = l[3].replace(",1,0,,,", ",1,0.8x,,,")
            }),
            (
                "point 2 has no line for outcome mean_capacity_per_100",
                |l| {
                    l.remove(6);
                },
            ),
            (
                "line 4: point 0, outcome final_capacity appears twice",
                |l| l[3] = l[1].clone(),
            ),
            ("line 2: 8 fields", |l| l[1] = l[1].replacen(",,,", ",,", 1)),
            ("line 2: point `9` is not 0 to 7", |l| {
                l[1].replace_range(0..1, "9")
            }),
            ("line 1: the header", |l| {
                l[0] = l[0].replacen("a,b", "b,a", 1)
            }),
        ];
        for (expected, change) in damage {
            let dir = tempfile::tempdir().unwrap();
            fake_sweep(dir.path());
            let path = dir.path().join("points.csv");
            let text = std::fs::read_to_string(&path).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            change(&mut lines);
            let changed = lines.join("\n") + "\n";
            assert_ne!(changed, text, "{expected}");
            std::fs::write(&path, changed).unwrap();
            let e = analyze(dir.path(), None, &opts).unwrap_err().to_string();
            assert!(
                e.contains("points.csv") && e.contains(expected),
                "{expected}: {e}"
            );
            assert!(!dir.path().join("sensitivity.csv").exists());
        }
    }
}
