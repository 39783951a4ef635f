//! Designs in the unit hypercube: random, Latin hypercube, Saltelli (Sobol indices) and
//! Morris (elementary effects). Each point is a row of k coordinates in [0, 1], mapped to
//! parameter values by each axis's inverse distribution.

use super::spec::DesignKind;
use crate::rng::{Draw, SimRng};

/// The unit design of `kind` with `n` points (base samples for `sobol`, trajectories for
/// `morris`) over `k` axes.
pub fn unit_design(
    kind: DesignKind,
    n: usize,
    k: usize,
    levels: u32,
    rng: &mut SimRng,
) -> Result<Vec<Vec<f64>>, String> {
    Ok(match kind {
        DesignKind::Grid => Vec::new(),
        DesignKind::Random => (0..n)
            .map(|_| (0..k).map(|_| rng.uniform()).collect())
            .collect(),
        DesignKind::Lhs => lhs(n, k, rng),
        DesignKind::Sobol => saltelli(n, k, rng),
        DesignKind::Morris => morris(n, k, levels, rng)?,
    })
}

/// A Latin hypercube: each axis's n strata are each used once, in a random order.
fn lhs(n: usize, k: usize, rng: &mut SimRng) -> Vec<Vec<f64>> {
    let mut rows = vec![vec![0.0; k]; n];
    for j in 0..k {
        let mut strata: Vec<usize> = (0..n).collect();
        shuffle(&mut strata, rng);
        for (row, s) in rows.iter_mut().zip(strata) {
            row[j] = (s as f64 + rng.uniform()) / n as f64;
        }
    }
    rows
}

fn shuffle<T>(v: &mut [T], rng: &mut SimRng) {
    for i in (1..v.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        v.swap(i, j);
    }
}

/// Saltelli's scheme: A (n rows), B (n rows), then for each axis i, A with column i from B.
/// Rows are laid out as A, B, AB_0, ..., AB_{k-1}; the estimators rely on this order.
fn saltelli(n: usize, k: usize, rng: &mut SimRng) -> Vec<Vec<f64>> {
    // A and B from one Latin hypercube of 2k columns: better spread than plain draws.
    let both = lhs(n, 2 * k, rng);
    let a: Vec<Vec<f64>> = both.iter().map(|r| r[..k].to_vec()).collect();
    let b: Vec<Vec<f64>> = both.iter().map(|r| r[k..].to_vec()).collect();
    let mut rows = Vec::with_capacity(n * (k + 2));
    rows.extend(a.iter().cloned());
    rows.extend(b.iter().cloned());
    for i in 0..k {
        for (ra, rb) in a.iter().zip(&b) {
            let mut r = ra.clone();
            r[i] = rb[i];
            rows.push(r);
        }
    }
    rows
}

/// Morris trajectories: each starts at a random point of the p-level grid and moves one
/// axis at a time, in a random order, by delta = p / (2 (p - 1)), up or down as the grid
/// allows. Rows are r blocks of k + 1 points.
fn morris(r: usize, k: usize, levels: u32, rng: &mut SimRng) -> Result<Vec<Vec<f64>>, String> {
    if levels < 2 || levels % 2 == 1 {
        return Err(format!(
            "{levels}: a Morris design needs an even number of levels, at least 2 (4 is usual)"
        ));
    }
    let p = f64::from(levels);
    let delta = p / (2.0 * (p - 1.0));
    let mut rows = Vec::with_capacity(r * (k + 1));
    for _ in 0..r {
        let mut x: Vec<f64> = (0..k)
            .map(|_| rng.below(u64::from(levels)) as f64 / (p - 1.0))
            .collect();
        let mut order: Vec<usize> = (0..k).collect();
        shuffle(&mut order, rng);
        rows.push(x.clone());
        for i in order {
            let up = if x[i] + delta <= 1.0 + 1e-12 {
                x[i] - delta < -1e-12 || rng.chance(0.5)
            } else {
                false
            };
            x[i] = if up { x[i] + delta } else { x[i] - delta };
            x[i] = x[i].clamp(0.0, 1.0);
            rows.push(x.clone());
        }
    }
    Ok(rows)
}

/// The standard normal quantile (Acklam's rational approximation, relative error below
/// 1.2e-9), for sampling normal axes by inversion.
pub fn normal_quantile(u: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let u = u.clamp(1e-15, 1.0 - 1e-15);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if u < 0.02425 {
        tail((-2.0 * libm::log(u)).sqrt())
    } else if u > 1.0 - 0.02425 {
        -tail((-2.0 * libm::log(1.0 - u)).sqrt())
    } else {
        let q = u - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_hypercube_uses_every_stratum_once() {
        let mut rng = SimRng::from_seed(3);
        let rows = lhs(10, 3, &mut rng);
        for j in 0..3 {
            let mut strata: Vec<usize> = rows.iter().map(|r| (r[j] * 10.0) as usize).collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..10).collect::<Vec<_>>());
        }
    }

    #[test]
    fn morris_steps_move_one_axis_by_delta() {
        let mut rng = SimRng::from_seed(5);
        let rows = morris(20, 4, 4, &mut rng).unwrap();
        assert_eq!(rows.len(), 20 * 5);
        let delta = 4.0 / 6.0;
        for t in 0..20 {
            for s in 0..4 {
                let (a, b) = (&rows[t * 5 + s], &rows[t * 5 + s + 1]);
                let moved: Vec<f64> = a
                    .iter()
                    .zip(b)
                    .map(|(x, y)| y - x)
                    .filter(|d| d.abs() > 1e-12)
                    .collect();
                assert_eq!(moved.len(), 1, "{a:?} -> {b:?}");
                assert!((moved[0].abs() - delta).abs() < 1e-12);
                assert!(b.iter().all(|x| (0.0..=1.0).contains(x)));
            }
        }
        assert!(morris(2, 2, 3, &mut rng).is_err());
    }

    #[test]
    fn normal_quantile_matches_known_values() {
        assert!(normal_quantile(0.5).abs() < 1e-9);
        assert!((normal_quantile(0.975) - 1.959_963_985).abs() < 1e-6);
        assert!((normal_quantile(0.001) + 3.090_232_306).abs() < 1e-6);
    }
}
