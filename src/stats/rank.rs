//! Spearman's rank correlation: which of a run's uncertain parameter draws a paired effect
//! moves with most.

/// Spearman's rank correlation of `x` and `y`, pairing values by index and skipping pairs
/// with an undefined side: the Pearson correlation of their ranks, ties given their average
/// rank. `None` with fewer than 3 pairs or where either side is constant.
pub fn rank_correlation(x: &[Option<f64>], y: &[Option<f64>]) -> Option<f64> {
    let (a, b): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter_map(|(p, q)| Some(((*p)?, (*q)?)))
        .filter(|(p, q)| p.is_finite() && q.is_finite())
        .unzip();
    if a.len() < 3 {
        return None;
    }
    let (ra, rb) = (ranks(&a), ranks(&b));
    let n = ra.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (p, q) in ra.iter().zip(&rb) {
        sab += (p - ma) * (q - mb);
        saa += (p - ma) * (p - ma);
        sbb += (q - mb) * (q - mb);
    }
    (saa > 0.0 && sbb > 0.0).then(|| sab / (saa * sbb).sqrt())
}

/// Each value's rank (1-based), ties sharing their average rank.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
    let mut out = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(v: &[f64]) -> Vec<Option<f64>> {
        v.iter().copied().map(Some).collect()
    }

    #[test]
    fn monotone_relations_correlate_fully_whatever_their_shape() {
        let x = some(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        let cubed = some(&[1.0, 8.0, 27.0, 64.0, 125.0]);
        assert!((rank_correlation(&x, &cubed).unwrap() - 1.0).abs() < 1e-12);
        let falling = some(&[9.0, 7.0, 5.0, 3.0, 1.0]);
        assert!((rank_correlation(&x, &falling).unwrap() + 1.0).abs() < 1e-12);
    }

    #[test]
    fn ties_share_their_average_rank_and_constants_say_nothing() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        // Textbook example: ranks (1,2,3,4,5) against (2,1,4,3,5) give 1 - 6*4/(5*24) = 0.8.
        let r = rank_correlation(
            &some(&[10.0, 20.0, 30.0, 40.0, 50.0]),
            &some(&[2.0, 1.0, 4.0, 3.0, 5.0]),
        )
        .unwrap();
        assert!((r - 0.8).abs() < 1e-12, "{r}");
        assert!(rank_correlation(&some(&[1.0, 1.0, 1.0]), &some(&[1.0, 2.0, 3.0])).is_none());
        assert!(rank_correlation(&[Some(1.0), None, Some(2.0)], &some(&[1.0, 2.0, 3.0])).is_none());
    }
}
