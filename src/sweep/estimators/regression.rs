//! Standardized regression coefficients: a linear reading of a random or Latin hypercube
//! design.

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SimRng;
    use crate::sweep::design::unit_design;
    use crate::sweep::spec::DesignKind;

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
}
