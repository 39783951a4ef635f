//! A running mean and variance (Welford's update): memory that does not grow with the
//! number of values, for statistics accumulated as runs stream past.

use super::t_quantile_975;

/// The count, mean and sum of squared deviations of the values pushed so far.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Welford {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Welford {
    /// Adds one value.
    pub fn push(&mut self, v: f64) {
        self.n += 1;
        let d = v - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (v - self.mean);
    }

    /// The number of values.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// The mean (`None` before the first value).
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then_some(self.mean)
    }

    /// The sample standard deviation (n - 1 in the denominator); `None` below two values.
    pub fn sd(&self) -> Option<f64> {
        (self.n > 1).then(|| (self.m2 / (self.n - 1) as f64).sqrt())
    }

    /// The 95% confidence interval of the mean, mean +/- t(0.975, n - 1) sd / sqrt(n);
    /// `None` below two values.
    pub fn ci(&self) -> Option<(f64, f64)> {
        let sd = self.sd()?;
        let half = t_quantile_975(self.n - 1) * sd / (self.n as f64).sqrt();
        Some((self.mean - half, self.mean + half))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_two_pass_summary() {
        let mut values = vec![5.0, 1.0, 4.0, 2.0, 3.0, 10.5];
        let mut w = Welford::default();
        for &v in &values {
            w.push(v);
        }
        let s = super::super::summarize(&mut values).unwrap();
        assert_eq!(w.n(), 6);
        assert!((w.mean().unwrap() - s.mean).abs() < 1e-12);
        assert!((w.sd().unwrap() - s.sd.unwrap()).abs() < 1e-12);
        let (a, b) = (w.ci().unwrap(), s.ci.unwrap());
        assert!((a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12);
        let mut one = Welford::default();
        assert_eq!((one.mean(), one.sd(), one.ci()), (None, None, None));
        one.push(2.0);
        assert_eq!((one.mean(), one.sd(), one.ci()), (Some(2.0), None, None));
    }
}
