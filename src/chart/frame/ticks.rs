//! Axes' scales: round tick values and their labels, and a plot's box with the data ranges
//! it maps to pixels.

use crate::chart::style::{nice_range, nice_ticks};
use crate::numbers::{decimals_for, number};

/// Tick values on one axis and how to print them.
#[derive(Clone, Debug)]
pub struct Ticks {
    pub values: Vec<f64>,
    pub decimals: usize,
    /// Print as percentages (values are shares in 0..1).
    pub percent: bool,
}

impl Ticks {
    /// Round ticks covering `lo..hi` and the range they span (its ends are ticks).
    pub fn covering(lo: f64, hi: f64, target: usize, percent: bool) -> (Ticks, (f64, f64)) {
        let (lo2, hi2) = nice_range(lo, hi, target);
        let (_, step) = nice_ticks(lo, hi, target);
        let n = ((hi2 - lo2) / step).round() as i64;
        let values = (0..=n)
            .map(|k| lo2 + k as f64 * step)
            .map(|t| if t.abs() < step * 1e-9 { 0.0 } else { t })
            .collect();
        let decimals = if percent {
            decimals_for(step * 100.0)
        } else {
            decimals_for(step)
        };
        (
            Ticks {
                values,
                decimals,
                percent,
            },
            (lo2, hi2),
        )
    }

    /// Ticks for a time axis from `lo` to `hi` (the run's start and end): the axis spans
    /// exactly that, so its last tick is the run's end, not a round number past it. A step
    /// that divides the span evenly is preferred (12 years: 0, 2, ..., 12 or 0, 4, 8, 12);
    /// otherwise round steps, with the end added as the last tick (and a round tick too
    /// close before it dropped).
    pub fn time(lo: f64, hi: f64, target: usize) -> (Ticks, (f64, f64)) {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let span = hi - lo;
        let target = target.max(2) as f64;
        let mag = libm::pow(10.0, libm::log10(span / target).floor());
        // Steps that divide the span, from the roundest; the one nearest the target count
        // of intervals wins, if it is within a factor of 1.6 of it.
        let even = [1.0, 2.0, 5.0, 2.5, 3.0, 4.0, 6.0]
            .iter()
            .flat_map(|m| [m * mag, m * mag * 10.0, m * mag / 10.0])
            .filter(|step| {
                let n = span / step;
                (n - n.round()).abs() < 1e-6 && ((lo / step) - (lo / step).round()).abs() < 1e-6
            })
            .map(|step| (step, span / step))
            .filter(|&(_, n)| n >= target / 1.6 && n <= target * 1.6)
            .min_by(|a, b| {
                let off = |n: f64| libm::log(n / target).abs();
                off(a.1).total_cmp(&off(b.1))
            });
        let (values, step) = match even {
            Some((step, n)) => {
                let n = n.round() as i64;
                ((0..=n).map(|k| lo + k as f64 * step).collect(), step)
            }
            None => {
                let (mut values, step) = nice_ticks(lo, hi, target as usize);
                values.retain(|&v| v >= lo - 1e-9 && hi - v >= 0.3 * step);
                values.push(hi);
                (values, step)
            }
        };
        let decimals = decimals_for(step)
            .max(decimals_for(hi).min(2))
            .max(decimals_for(lo).min(2));
        let values = values
            .into_iter()
            .map(|t: f64| if t.abs() < step * 1e-9 { 0.0 } else { t })
            .collect();
        (
            Ticks {
                values,
                decimals,
                percent: false,
            },
            (lo, hi),
        )
    }

    pub fn label(&self, v: f64) -> String {
        if self.percent {
            format!("{}%", number(v * 100.0, self.decimals))
        } else {
            number(v, self.decimals)
        }
    }
}

/// A plot's pixel box and the data ranges it maps.
#[derive(Clone, Debug)]
pub struct Panel {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
    pub xr: (f64, f64),
    pub yr: (f64, f64),
}

impl Panel {
    pub fn px(&self, x: f64, y: f64) -> (i32, i32) {
        (self.x_px(x), self.y_px(y))
    }

    pub fn x_px(&self, x: f64) -> i32 {
        let t = (x - self.xr.0) / (self.xr.1 - self.xr.0);
        self.x0 + (t * f64::from(self.x1 - self.x0)).round() as i32
    }

    pub fn y_px(&self, y: f64) -> i32 {
        let t = (y - self.yr.0) / (self.yr.1 - self.yr.0);
        self.y1 - (t * f64::from(self.y1 - self.y0)).round() as i32
    }

    pub(super) fn clamp_y(&self, y: f64) -> f64 {
        y.clamp(self.yr.0, self.yr.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_axes_end_at_the_run_s_end() {
        let values = |lo: f64, hi: f64, target: usize| Ticks::time(lo, hi, target).0.values;
        // A span a round step divides: even ticks ending at the end.
        assert_eq!(
            values(0.0, 20.0, 10),
            (0..=10).map(|k| 2.0 * f64::from(k)).collect::<Vec<_>>()
        );
        assert_eq!(values(0.0, 12.0, 4), vec![0.0, 3.0, 6.0, 9.0, 12.0]);
        assert_eq!(
            values(0.0, 12.0, 6),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0]
        );
        // A prime span: round ticks, then the end (a round tick too close to it dropped).
        assert_eq!(values(0.0, 13.0, 4), vec![0.0, 5.0, 10.0, 13.0]);
        assert_eq!(
            values(0.0, 97.0, 10),
            vec![
                0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 97.0
            ]
        );
        assert_eq!(values(0.0, 98.0, 10).last(), Some(&98.0));
        // A round tick closer than half a step to the end gives way to it.
        assert_eq!(values(0.0, 34.0, 6), vec![0.0, 10.0, 20.0, 30.0, 34.0]);
        assert_eq!(values(0.0, 31.0, 6), vec![0.0, 10.0, 20.0, 31.0]);
        let (ticks, range) = Ticks::time(0.0, 12.5, 6);
        assert_eq!(range, (0.0, 12.5));
        assert_eq!(ticks.values.last(), Some(&12.5));
        assert_eq!(ticks.label(12.5), "12.5");
        // The range is never widened past the end.
        for end in [1.0, 7.0, 11.0, 12.3, 15.0, 19.0, 20.0, 40.0, 1000.0] {
            let (ticks, range) = Ticks::time(0.0, end, 6);
            assert_eq!(range, (0.0, end));
            assert_eq!(ticks.values.first(), Some(&0.0));
            assert!(
                (ticks.values.last().unwrap() - end).abs() < 1e-9,
                "{end}: {:?}",
                ticks.values
            );
            assert!(ticks.values.windows(2).all(|w| w[1] > w[0]));
        }
    }
}
