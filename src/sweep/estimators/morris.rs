//! Morris elementary effects: mu*, mu and sigma of each parameter from one-at-a-time
//! trajectories.

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SimRng;
    use crate::sweep::design::unit_design;
    use crate::sweep::estimators::ishigami;
    use crate::sweep::spec::DesignKind;

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
