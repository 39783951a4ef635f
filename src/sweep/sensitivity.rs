//! What a sweep's sensitivity estimates mean: one estimator per design (Sobol, Morris,
//! regression) turning an outcome's values at every point into rows of `sensitivity.csv` and
//! the bars of a tornado chart, with the thresholds below which an estimate is flagged and the
//! codes of the `warning` column. The arithmetic is in `estimators`.

use super::SweepError;
use super::estimators::{Interval, morris_effects, sobol_indices, src_indices};
use super::files::sensitivity::SensitivityRow;
use crate::chart::SensitivityBar;
use crate::numbers::brief;

/// A design's estimator: from an outcome's name and its value at every point, its estimates
/// (None when they cannot be computed).
pub(super) type Estimator<'a> = Box<dyn Fn(&str, &[f64]) -> Option<Estimated> + 'a>;

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
    /// Every code, as `sensitivity.csv`'s reader accepts them.
    pub const ALL: [&str; 6] = [
        SMALL_N,
        OUTSIDE_0_1,
        S1_ABOVE_ST,
        WIDE_INTERVAL,
        MOSTLY_ZERO,
        LOW_R2,
    ];
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
pub(super) struct Estimated {
    /// Rows with their own warning codes (the outcome's, `flags`, are added on output).
    pub(super) rows: Vec<SensitivityRow>,
    /// Why each flagged row was flagged, for the console.
    pub(super) notes: Vec<String>,
    pub(super) bars: Vec<SensitivityBar>,
    /// The method, for the chart's subtitle.
    pub(super) method: String,
    pub(super) xlabel: &'static str,
    pub(super) names: (&'static str, &'static str),
    /// The console line's start (the ranking follows).
    pub(super) summary: String,
    /// Codes for every row of this outcome.
    pub(super) flags: Vec<&'static str>,
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
        self.rows.push(SensitivityRow {
            outcome: outcome.into(),
            parameter: parameter.into(),
            method: method.into(),
            index: index.into(),
            estimate: Some(v),
            ci_low: ci.map(|c| c.0),
            ci_high: ci.map(|c| c.1),
            warnings: flags.into_iter().map(str::to_string).collect(),
        });
    }

    /// The rows of `sensitivity.csv`: each with the outcome's codes first, then its own.
    pub(super) fn finished_rows(&self) -> impl Iterator<Item = SensitivityRow> + '_ {
        self.rows.iter().map(|r| {
            let mut all: Vec<String> = self.flags.iter().map(|f| f.to_string()).collect();
            all.extend(
                r.warnings
                    .iter()
                    .filter(|f| !self.flags.contains(&f.as_str()))
                    .cloned(),
            );
            SensitivityRow {
                warnings: all,
                ..r.clone()
            }
        })
    }

    fn bar(&mut self, parameter: &str, main: (f64, f64, f64), second: Option<(f64, f64, f64)>) {
        self.bars.push(SensitivityBar {
            parameter: parameter.to_string(),
            main,
            second,
        });
    }

    /// Whether any row is flagged (outcome-wide `small_n` aside, said once).
    pub(super) fn flagged(&self) -> bool {
        self.flags.iter().any(|f| *f != warning::SMALL_N)
            || self
                .rows
                .iter()
                .any(|r| r.warnings.iter().any(|f| f != warning::SMALL_N))
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
        brief(iv.estimate),
        brief(iv.low),
        brief(iv.high)
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
            brief(t.estimate),
            brief(t.low),
            brief(t.high),
            warning::S1_ABOVE_ST
        ));
    }
    (flags, notes)
}

/// Bootstrap resamples for Sobol intervals.
const BOOTSTRAP: usize = 500;

/// Sobol total and first-order indices with bootstrap intervals, from a Saltelli design of
/// `n_points` points (N x (axes + 2)) over `axes`; a `small_n` warning below [`SOBOL_MIN_N`].
pub(super) fn sobol<'a>(
    axes: &'a [String],
    n_points: usize,
    seed: u64,
    warnings: &mut Vec<String>,
) -> Result<Estimator<'a>, SweepError> {
    let k = axes.len();
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
    Ok(Box::new(move |o, f| {
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
            for (label, iv, total) in [("S1", s.first, Some(s.total)), ("ST", s.total, None)] {
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
    }))
}

/// Morris's mu*, mu and sigma from trajectories whose points have the coordinates `unit`
/// (in [0, 1]); a `small_n` warning below [`MORRIS_MIN_R`] trajectories.
pub(super) fn morris<'a>(
    axes: &'a [String],
    unit: Vec<Vec<f64>>,
    warnings: &mut Vec<String>,
) -> Estimator<'a> {
    let (n_points, k) = (unit.len(), axes.len());
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

/// Standardized regression coefficients on the parameters' values (`labels`, as written in
/// `points.csv`), or, for listed non-numeric values, their positions in [0, 1] (`unit`); a
/// `small_n` warning below [`REGRESSION_MIN_PER_AXIS`] points per coefficient.
pub(super) fn regression<'a>(
    axes: &'a [String],
    labels: &[Vec<String>],
    unit: &[Vec<f64>],
    warnings: &mut Vec<String>,
) -> Estimator<'a> {
    let (n_points, k) = (unit.len(), axes.len());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SimRng;
    use crate::sweep::design::unit_design;
    use crate::sweep::estimators::ishigami;
    use crate::sweep::spec::DesignKind;

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
}
