//! Sensitivity estimators: pure functions from model outputs on a design's points to
//! indices, one file per method. What they mean for a sweep (thresholds, warnings, the rows of
//! `sensitivity.csv`) is `sensitivity`'s; reading a sweep's files is `analyze`'s.

mod morris;
mod regression;
mod sobol;

pub use morris::{MorrisEffect, morris_effects};
pub use regression::src_indices;
pub use sobol::{Interval, SobolIndex, sobol_indices};

/// The Ishigami function (Ishigami and Homma 1990) on the unit cube, whose Sobol indices are
/// known analytically: the estimators' test case.
#[cfg(test)]
pub(crate) fn ishigami(x: &[f64]) -> f64 {
    // Inputs uniform on [-pi, pi]; a = 7, b = 0.1 (Ishigami and Homma 1990).
    let p: Vec<f64> = x
        .iter()
        .map(|u| -std::f64::consts::PI + 2.0 * std::f64::consts::PI * u)
        .collect();
    libm::sin(p[0]) + 7.0 * libm::sin(p[1]).powi(2) + 0.1 * p[2].powi(4) * libm::sin(p[0])
}
