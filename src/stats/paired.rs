//! Paired comparisons: replicate r of scenario B against replicate r of scenario A (common
//! random numbers), as a mean difference and a ratio of means, each with a 95% CI.

use super::t_quantile_975;

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
    /// Mean(B) / mean(A), with a 95% CI by the delta method (`None` when mean(A) is 0 or
    /// n < 2).
    pub ratio: Option<(f64, Option<(f64, f64)>)>,
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
    if n < 2 {
        return Some(Paired {
            n,
            versus_mean: mx,
            mean: my,
            difference: (md, None),
            ratio: (mx != 0.0).then_some((my / mx, None)),
        });
    }
    let t = t_quantile_975((n - 1) as u64);
    let var = |f: &dyn Fn(&(f64, f64)) -> f64, m: f64| {
        pairs.iter().map(|p| (f(p) - m).powi(2)).sum::<f64>() / (nf - 1.0)
    };
    let sd_d = var(&|p| p.1 - p.0, md).sqrt();
    let half = t * sd_d / nf.sqrt();
    let ratio = (mx != 0.0).then(|| {
        let r = my / mx;
        let vx = var(&|p| p.0, mx) / nf;
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
        ratio,
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
    fn undefined_values_are_skipped() {
        let a = [Some(1.0), None, Some(3.0)];
        let b = [Some(2.0), Some(5.0), None];
        let p = paired(&a, &b).unwrap();
        assert_eq!((p.n, p.difference.0), (1, 1.0));
        assert!(paired(&[None], &[Some(1.0)]).is_none());
    }
}
