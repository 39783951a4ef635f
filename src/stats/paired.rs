//! Paired comparisons: replicate r of scenario B against replicate r of scenario A (common
//! random numbers), as a mean difference with its 95% confidence interval and the range
//! where 80% of the paired differences fall, and, only where the reference is far from zero
//! (see [`RATIO_MIN_SHARE`]), a ratio of means with its 95% CI.

use super::{quantile_sorted, t_quantile_975};

/// A ratio of means is reported only when the reference's mean is at least this share of
/// the larger of the two means (so only ratios between 1/10 and 10) and the reference's 95%
/// confidence interval excludes zero. Beyond tenfold a ratio mostly measures how close to
/// zero the reference gets: a reference at 0.03 innovations a year against one at 0.003
/// turns the same gain of 58 a year into x2,000 or x20,000, and the smaller the reference,
/// the more its calibration and its noise move the ratio. The difference, in the outcome's
/// own units, says the same thing without that lever.
pub const RATIO_MIN_SHARE: f64 = 0.1;

/// A paired comparison of one outcome.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paired {
    /// Pairs where both runs define the outcome.
    pub n: usize,
    /// Mean of the reference scenario (A).
    pub versus_mean: f64,
    /// Mean of the compared scenario (B).
    pub mean: f64,
    /// Mean of B - A, with its 95% CI (`None` when n < 2).
    pub difference: (f64, Option<(f64, f64)>),
    /// The 10th and 90th percentiles of the paired differences B - A (type 7): where 80% of
    /// the runs' effects fall, a prediction interval for one more pair of runs, which does
    /// not shrink as replicates grow (the CI of the mean does).
    pub difference_spread: (f64, f64),
    /// Mean(B) / mean(A), with a 95% CI by the delta method (`None` when mean(A) is 0 or
    /// n < 2). Reports quote it only where [`Paired::shown_ratio`] does.
    pub ratio: Option<(f64, Option<(f64, f64)>)>,
    /// Whether the reference is far enough from zero for the ratio to mean something (see
    /// [`RATIO_MIN_SHARE`]).
    pub ratio_meaningful: bool,
}

impl Paired {
    /// The ratio, where the reference is far from zero ([`RATIO_MIN_SHARE`]); what the
    /// console, `comparison.csv` and `summary.json` report.
    pub fn shown_ratio(&self) -> Option<(f64, Option<(f64, f64)>)> {
        self.ratio.filter(|_| self.ratio_meaningful)
    }
}

/// Each pair's difference B - A, in replicate order (`None` where a side is undefined):
/// the paired effects whose distribution [`paired`] summarizes, and which the console
/// correlates with each uncertain parameter's draws ([`super::rank_correlation`]).
pub fn differences(a: &[Option<f64>], b: &[Option<f64>]) -> Vec<Option<f64>> {
    a.iter().zip(b).map(|(x, y)| Some((*y)? - (*x)?)).collect()
}

/// Whether the reference mean `mx` (with its 95% CI `ci`, if any) is far enough from zero,
/// against the compared mean `my`, for a ratio to mean something (see [`RATIO_MIN_SHARE`]).
fn far_from_zero(mx: f64, my: f64, ci: Option<(f64, f64)>) -> bool {
    let excludes_zero = ci.is_none_or(|(lo, hi)| lo > 0.0 || hi < 0.0);
    mx != 0.0 && excludes_zero && mx.abs() >= RATIO_MIN_SHARE * mx.abs().max(my.abs())
}

/// Compares `b` with `a`, pairing values by index and skipping pairs with an undefined side.
pub fn paired(a: &[Option<f64>], b: &[Option<f64>]) -> Option<Paired> {
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .filter_map(|(x, y)| Some(((*x)?, (*y)?)))
        .collect();
    let n = pairs.len();
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / nf;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / nf;
    let md = my - mx;
    let mut d: Vec<f64> = pairs.iter().map(|p| p.1 - p.0).collect();
    d.sort_unstable_by(f64::total_cmp);
    let difference_spread = (quantile_sorted(&d, 0.1), quantile_sorted(&d, 0.9));
    if n < 2 {
        return Some(Paired {
            n,
            versus_mean: mx,
            mean: my,
            difference: (md, None),
            difference_spread,
            ratio: (mx != 0.0).then_some((my / mx, None)),
            ratio_meaningful: far_from_zero(mx, my, None),
        });
    }
    let t = t_quantile_975((n - 1) as u64);
    let var = |f: &dyn Fn(&(f64, f64)) -> f64, m: f64| {
        pairs.iter().map(|p| (f(p) - m).powi(2)).sum::<f64>() / (nf - 1.0)
    };
    let sd_d = var(&|p| p.1 - p.0, md).sqrt();
    let half = t * sd_d / nf.sqrt();
    let vx = var(&|p| p.0, mx) / nf;
    let reference_ci = (mx - t * vx.sqrt(), mx + t * vx.sqrt());
    let ratio = (mx != 0.0).then(|| {
        let r = my / mx;
        let vy = var(&|p| p.1, my) / nf;
        let cov = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>() / (nf - 1.0) / nf;
        let v = (vy + r * r * vx - 2.0 * r * cov) / (mx * mx);
        let h = t * v.max(0.0).sqrt();
        (r, Some((r - h, r + h)))
    });
    Some(Paired {
        n,
        versus_mean: mx,
        mean: my,
        difference: (md, Some((md - half, md + half))),
        difference_spread,
        ratio,
        ratio_meaningful: far_from_zero(mx, my, Some(reference_ci)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairing_removes_shared_noise() {
        // B = A + 1 exactly: the difference is known without error, whatever A's spread.
        let a: Vec<Option<f64>> = (0..10).map(|i| Some(f64::from(i * i))).collect();
        let b: Vec<Option<f64>> = a.iter().map(|x| x.map(|v| v + 1.0)).collect();
        let p = paired(&a, &b).unwrap();
        assert_eq!(p.n, 10);
        assert_eq!(p.difference.0, 1.0);
        let (lo, hi) = p.difference.1.unwrap();
        assert!((lo - 1.0).abs() < 1e-12 && (hi - 1.0).abs() < 1e-12);
        assert!((p.ratio.unwrap().0 - 29.5 / 28.5).abs() < 1e-12);
    }

    #[test]
    fn ratio_interval_covers_a_doubling() {
        let a: Vec<Option<f64>> = (1..=30).map(|i| Some(10.0 + f64::from(i % 7))).collect();
        let b: Vec<Option<f64>> = a.iter().map(|x| x.map(|v| 2.0 * v)).collect();
        let (r, ci) = paired(&a, &b).unwrap().ratio.unwrap();
        assert!((r - 2.0).abs() < 1e-12);
        let (lo, hi) = ci.unwrap();
        assert!(
            lo <= 2.0 + 1e-9 && hi >= 2.0 - 1e-9 && hi - lo < 1e-6,
            "{lo} {hi}"
        );
    }

    #[test]
    fn eighty_percent_of_the_paired_differences() {
        // Differences 1..=11: type 7 puts the 10th percentile at 2 and the 90th at 10.
        let a: Vec<Option<f64>> = (0..11).map(|i| Some(f64::from(i * 3))).collect();
        let b: Vec<Option<f64>> = a
            .iter()
            .enumerate()
            .map(|(i, x)| x.map(|v| v + 1.0 + i as f64))
            .collect();
        let p = paired(&a, &b).unwrap();
        assert_eq!(p.difference_spread, (2.0, 10.0));
        let (lo, hi) = p.difference.1.unwrap();
        assert!(
            lo > 2.0 && hi < 10.0,
            "the CI of the mean is narrower than the runs' spread"
        );
        assert_eq!(differences(&a, &b)[3], Some(4.0));
    }

    #[test]
    fn no_ratio_against_a_reference_near_zero() {
        // A reference a twentieth of the compared mean: the ratio (x20) would mostly measure
        // how small the reference is.
        let a: Vec<Option<f64>> = (0..20)
            .map(|i| Some(1.0 + f64::from(i % 3) * 0.1))
            .collect();
        let b: Vec<Option<f64>> = a.iter().map(|x| x.map(|v| v * 20.0)).collect();
        assert!(paired(&a, &b).unwrap().shown_ratio().is_none());
        // A tenth of it: shown.
        let b: Vec<Option<f64>> = a.iter().map(|x| x.map(|v| v * 10.0)).collect();
        assert!(paired(&a, &b).unwrap().shown_ratio().is_some());
        // A reference whose CI straddles zero: no ratio, whatever the means.
        let a: Vec<Option<f64>> = (0..20)
            .map(|i| Some(f64::from(i % 2) * 2.0 - 0.9))
            .collect();
        let b: Vec<Option<f64>> = a.iter().map(|x| x.map(|v| v + 0.1)).collect();
        assert!(paired(&a, &b).unwrap().shown_ratio().is_none());
    }

    #[test]
    fn undefined_values_are_skipped() {
        let a = [Some(1.0), None, Some(3.0)];
        let b = [Some(2.0), Some(5.0), None];
        let p = paired(&a, &b).unwrap();
        assert_eq!((p.n, p.difference.0), (1, 1.0));
        assert!(paired(&[None], &[Some(1.0)]).is_none());
    }
}
