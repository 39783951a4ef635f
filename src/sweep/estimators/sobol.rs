//! Sobol first-order and total indices on Saltelli's design, with bootstrap intervals
//! (Saltelli et al. 2010 first order, Jansen 1999 total).

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SimRng;
    use crate::sweep::design::unit_design;
    use crate::sweep::estimators::ishigami;
    use crate::sweep::spec::DesignKind;

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
}
