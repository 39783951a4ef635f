//! Sensitivity analysis of a finished sweep (`orgsim analyze DIR`): Sobol first-order and
//! total indices with bootstrap confidence intervals (Saltelli designs), Morris mu* and
//! sigma (Morris designs), and, for grids, the outcome over the axes (lines and a heatmap).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

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
    /// A short text summary for the console.
    pub summary: String,
}

/// A design's estimator: from an outcome's name and its value at every point, its estimates
/// (None when they cannot be computed).
type Estimator<'a> = Box<dyn Fn(&str, &[f64]) -> Option<Estimated> + 'a>;

/// One outcome's sensitivity estimates: rows of `sensitivity.csv` and a tornado chart's bars.
struct Estimated {
    csv: String,
    bars: Vec<SensitivityBar>,
    /// The method, for the chart's subtitle.
    method: String,
    xlabel: &'static str,
    names: (&'static str, &'static str),
    /// The console line's start (the ranking follows).
    summary: String,
}

impl Estimated {
    fn new(
        method: String,
        xlabel: &'static str,
        names: (&'static str, &'static str),
        summary: String,
    ) -> Estimated {
        Estimated {
            csv: String::new(),
            bars: Vec::new(),
            method,
            xlabel,
            names,
            summary,
        }
    }

    fn row(
        &mut self,
        outcome: &str,
        parameter: &str,
        method: &str,
        index: &str,
        v: f64,
        ci: Option<(f64, f64)>,
    ) {
        self.csv.push_str(&format!(
            "{outcome},{parameter},{method},{index},{},{},{}\n",
            fmt_num(v),
            ci.map(|c| fmt_num(c.0)).unwrap_or_default(),
            ci.map(|c| fmt_num(c.1)).unwrap_or_default()
        ));
    }

    fn bar(&mut self, parameter: &str, main: (f64, f64, f64), second: Option<(f64, f64, f64)>) {
        self.bars.push(SensitivityBar {
            parameter: parameter.to_string(),
            main,
            second,
        });
    }
}

/// Bootstrap resamples for Sobol intervals.
const BOOTSTRAP: usize = 500;

/// Analyses the finished sweep in `dir`: writes `sensitivity.csv` and the charts. `outcome`
/// picks the outcome charted (default: the first defined of a preferred list).
pub fn analyze(
    dir: &Path,
    outcome: Option<&str>,
    opts: &PlotOptions,
) -> Result<AnalysisReport, SweepError> {
    let read = |name: &str| -> Result<String, SweepError> {
        std::fs::read_to_string(dir.join(name)).map_err(|e| SweepError::Io {
            path: dir.join(name),
            message: format!("{e}: is this a finished sweep's directory? (`orgsim status DIR`)"),
        })
    };
    let manifest: Value = serde_json::from_str(&read("manifest.json")?).map_err(|e| {
        SweepError::Analysis(format!("{}: {e}", dir.join("manifest.json").display()))
    })?;
    if manifest.get("kind").and_then(Value::as_str) != Some("sweep") {
        return Err(SweepError::Analysis(format!(
            "{} holds the results of `orgsim run`, not of a sweep",
            dir.display()
        )));
    }
    let design = manifest
        .get("design")
        .and_then(Value::as_str)
        .unwrap_or("grid")
        .to_string();
    let axes: Vec<String> = strings(&manifest, "axes");
    let outcomes: Vec<String> = strings(&manifest, "outcomes");
    let n_points = manifest.get("points").and_then(Value::as_u64).unwrap_or(0) as usize;
    let name = manifest
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("sweep")
        .to_string();
    let seed = manifest
        .pointer("/sweep/seed")
        .and_then(Value::as_u64)
        .unwrap_or(1);
    // points.csv: per point and outcome, the mean (and CI) across replicates.
    let points_text = read("points.csv")?;
    let mut lines = points_text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n);
    let (c_point, c_outcome, c_mean, c_lo, c_hi) = (
        col("point"),
        col("outcome"),
        col("mean"),
        col("ci_low"),
        col("ci_high"),
    );
    let (Some(c_point), Some(c_outcome), Some(c_mean)) = (c_point, c_outcome, c_mean) else {
        return Err(SweepError::Analysis(
            "points.csv lacks point, outcome or mean".into(),
        ));
    };
    let mut means: BTreeMap<String, Vec<f64>> = outcomes
        .iter()
        .map(|o| (o.clone(), vec![f64::NAN; n_points]))
        .collect();
    let mut cis: BTreeMap<String, Vec<Option<(f64, f64)>>> = outcomes
        .iter()
        .map(|o| (o.clone(), vec![None; n_points]))
        .collect();
    let mut labels: Vec<Vec<String>> = vec![Vec::new(); n_points];
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let Some(p) = f.get(c_point).and_then(|p| p.parse::<usize>().ok()) else {
            continue;
        };
        if p >= n_points {
            continue;
        }
        if labels[p].is_empty() {
            labels[p] = f[1..=axes.len()].iter().map(|s| s.to_string()).collect();
        }
        let o = f.get(c_outcome).copied().unwrap_or_default();
        if let Some(v) = means.get_mut(o) {
            v[p] = f
                .get(c_mean)
                .and_then(|x| x.parse().ok())
                .unwrap_or(f64::NAN);
        }
        let ci = c_lo
            .zip(c_hi)
            .and_then(|(a, b)| Some((f.get(a)?.parse().ok()?, f.get(b)?.parse().ok()?)));
        if let Some(v) = cis.get_mut(o) {
            v[p] = ci;
        }
    }
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
    let preferred = [
        "final_capacity",
        "capacity_auc",
        "mean_capacity_per_100",
        "equilibrium_knowledge",
    ];
    let charted = match outcome {
        Some(o) if outcomes.iter().any(|x| x == o) => o.to_string(),
        Some(o) => {
            return Err(SweepError::Analysis(format!(
                "no outcome `{o}` in this sweep; the outcomes are: {}",
                outcomes.join(", ")
            )));
        }
        None => preferred
            .iter()
            .find(|p| outcomes.iter().any(|o| o == *p) && usable(p).is_ok())
            .map(|s| s.to_string())
            .or_else(|| outcomes.iter().find(|o| usable(o).is_ok()).cloned())
            .unwrap_or_default(),
    };
    let mut csv = String::from("outcome,parameter,method,index,estimate,ci_low,ci_high\n");
    let mut skipped = Vec::new();
    let mut files = Vec::new();
    let mut summary = String::new();
    let subtitle_base = format!(
        "{name}: {design} design, {} points",
        chart::number(n_points as f64, 0)
    );
    if design == "grid" {
        if charted.is_empty() {
            return Err(SweepError::Analysis(
                "no outcome varies across the grid".into(),
            ));
        }
        let view = GridView {
            axes: axes.clone(),
            labels: labels.clone(),
            means: means[&charted].clone(),
            cis: cis[&charted].clone(),
            outcome: charted.clone(),
        };
        let replicates = manifest
            .get("replicates")
            .and_then(Value::as_u64)
            .unwrap_or(0);
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
            summary,
        });
    }
    // One estimator per design: each outcome's values at every point give its rows of
    // sensitivity.csv and the bars of its tornado chart.
    let estimator: Estimator = match design.as_str() {
        "sobol" => {
            if n_points % (k + 2) != 0 {
                return Err(SweepError::Analysis(format!(
                    "a Sobol design has N x (axes + 2) points; {n_points} points and {k} axes do not fit"
                )));
            }
            let n = n_points / (k + 2);
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
                for (axis, s) in axes.iter().zip(&idx) {
                    for (label, iv) in [("S1", s.first), ("ST", s.total)] {
                        e.row(
                            o,
                            axis,
                            "sobol",
                            label,
                            iv.estimate,
                            Some((iv.low, iv.high)),
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
            let unit = read_unit(dir, n_points, k)?;
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
                for (axis, m) in axes.iter().zip(morris_effects(&unit, f, k)) {
                    for (label, v) in [("mu_star", m.mu_star), ("mu", m.mu), ("sigma", m.sigma)] {
                        e.row(o, axis, "morris", label, v, None);
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
            let unit = read_unit(dir, n_points, k)?;
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
                for (axis, c) in axes.iter().zip(&coef) {
                    e.row(o, axis, "regression", "src", *c, None);
                    e.bar(axis, (c.abs(), c.abs(), c.abs()), None);
                }
                e.row(o, "(all)", "regression", "r2", r2, None);
                Some(e)
            })
        }
        other => {
            return Err(SweepError::Analysis(format!(
                "a `{other}` design has no sensitivity estimator; points.csv holds every point's outcomes"
            )));
        }
    };
    for o in &outcomes {
        let f = match usable(o) {
            Ok(f) => f,
            Err(why) => {
                skipped.push(why);
                continue;
            }
        };
        let Some(e) = estimator(o, f) else {
            skipped.push(format!(
                "{o}: the regression is singular (a constant parameter?)"
            ));
            continue;
        };
        csv.push_str(&e.csv);
        if *o == charted {
            summary = format!("{}: {}", e.summary, ranked(&e.bars));
            files.extend(
                chart::tornado(
                    dir,
                    "tornado",
                    &format!("What drives {}", chart::outcome_title(o)),
                    &format!("{subtitle_base} \u{b7} {}", e.method),
                    e.xlabel,
                    e.names,
                    &e.bars,
                    opts,
                )
                .map_err(|e| SweepError::Analysis(e.to_string()))?,
            );
        }
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

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn read_unit(dir: &Path, n: usize, k: usize) -> Result<Vec<Vec<f64>>, SweepError> {
    let path = dir.join("design.csv");
    let text = std::fs::read_to_string(&path).map_err(|e| SweepError::Io {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .skip(1)
                .filter_map(|x| x.parse().ok())
                .collect()
        })
        .collect();
    if rows.len() != n || rows.iter().any(|r: &Vec<f64>| r.len() != k) {
        return Err(SweepError::Analysis(format!(
            "{}: expected {n} rows of {k} coordinates",
            path.display()
        )));
    }
    Ok(rows)
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
}
