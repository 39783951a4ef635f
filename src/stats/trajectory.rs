//! A scenario's mean trajectory across replicates at a few points in time (the console's
//! summary), and the peak of its mean curve, accumulated as runs stream past: memory grows
//! with the run's length, not with the replicates.

use crate::model::{Outputs, Series};
use crate::scenario::show_number;

/// A scenario's mean trajectory at a few points in time, for the summary.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// Scenario name.
    pub scenario: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Per point: the year, and per column the mean across replicates (or, for a categorical
    /// column, its most frequent label).
    pub rows: Vec<(f64, Vec<String>)>,
    /// The peak of the mean curve of the model's `curve_peak` column: the first step with
    /// the highest mean across replicates (the `bands.csv` mean a chart marks), not the mean
    /// of each run's own peak.
    pub peak: Option<CurvePeak>,
}

/// The highest point of a mean curve.
#[derive(Clone, Debug, PartialEq)]
pub struct CurvePeak {
    /// The column.
    pub column: String,
    /// When, in years.
    pub year: f64,
    /// The mean across replicates there.
    pub value: f64,
}

/// Accumulates the trajectory of one scenario as runs stream past.
#[derive(Clone, Debug)]
pub struct TrajectoryAcc {
    steps: Vec<usize>,
    columns: Vec<(usize, Option<&'static [&'static str]>)>,
    /// [point][column]: sum of values, or label counts.
    sums: Vec<Vec<f64>>,
    counts: Vec<Vec<Vec<u32>>>,
    n: Vec<u32>,
    /// The `curve_peak` column, and per step the sum of its values and the runs summed.
    peak: Option<(usize, Vec<f64>, Vec<u32>)>,
}

impl TrajectoryAcc {
    /// An accumulator for runs of `horizon` steps; `None` for a model without calendar
    /// time or without trajectory columns.
    pub fn new(outputs: &Outputs, horizon: usize) -> Option<TrajectoryAcc> {
        let spy = outputs.steps_per_year?;
        if outputs.trajectory.is_empty() {
            return None;
        }
        let years = horizon as f64 / spy;
        let stride_years = (years / 10.0).ceil().max(1.0);
        let mut steps = Vec::new();
        let mut y = 0.0;
        while y <= years + 1e-9 {
            steps.push((y * spy).round() as usize);
            y += stride_years;
        }
        let labels = outputs.labels();
        let columns = outputs
            .trajectory
            .iter()
            .filter_map(|c| outputs.series.iter().position(|s| s.name == *c))
            .map(|i| (i, labels[i]))
            .collect::<Vec<_>>();
        let k = columns.len();
        let peak = outputs
            .curve_peak
            .and_then(|c| outputs.series.iter().position(|s| s.name == c))
            .map(|i| (i, vec![0.0; horizon + 1], vec![0; horizon + 1]));
        Some(TrajectoryAcc {
            sums: vec![vec![0.0; k]; steps.len()],
            counts: vec![vec![Vec::new(); k]; steps.len()],
            n: vec![0; steps.len()],
            steps,
            columns,
            peak,
        })
    }

    /// Adds one run.
    pub fn add(&mut self, series: &Series) {
        if let Some((i, sums, n)) = &mut self.peak {
            for (step, v) in series.column(*i).enumerate().take(sums.len()) {
                sums[step] += v;
                n[step] += 1;
            }
        }
        for (p, &step) in self.steps.iter().enumerate() {
            if step >= series.rows() {
                continue;
            }
            let row = series.row(step);
            self.n[p] += 1;
            for (c, &(i, labels)) in self.columns.iter().enumerate() {
                match labels {
                    None => self.sums[p][c] += row[i],
                    Some(_) => {
                        let v = row[i] as usize;
                        let counts = &mut self.counts[p][c];
                        if counts.len() <= v {
                            counts.resize(v + 1, 0);
                        }
                        counts[v] += 1;
                    }
                }
            }
        }
    }

    /// The trajectory of the runs added.
    pub fn finish(self, scenario: &str, outputs: &Outputs) -> Trajectory {
        let spy = outputs.steps_per_year.unwrap_or(1.0);
        let rows = self
            .steps
            .iter()
            .enumerate()
            .filter(|&(p, _)| self.n[p] > 0)
            .map(|(p, &step)| {
                let values = self
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(c, &(_, labels))| match labels {
                        None => show_number(self.sums[p][c] / f64::from(self.n[p])),
                        Some(names) => {
                            let counts = &self.counts[p][c];
                            let best = (0..counts.len())
                                .max_by_key(|&v| (counts[v], std::cmp::Reverse(v)));
                            best.and_then(|v| names.get(v)).unwrap_or(&"").to_string()
                        }
                    })
                    .collect();
                (step as f64 / spy, values)
            })
            .collect();
        let peak = self.peak.as_ref().and_then(|(i, sums, n)| {
            let (step, value) = sums
                .iter()
                .zip(n)
                .enumerate()
                .filter(|(_, (_, n))| **n > 0)
                .map(|(step, (sum, n))| (step, sum / f64::from(*n)))
                .filter(|(_, v)| v.is_finite())
                .fold(None, |best: Option<(usize, f64)>, (step, v)| match best {
                    Some(b) if b.1 >= v => Some(b),
                    _ => Some((step, v)),
                })?;
            Some(CurvePeak {
                column: outputs.series[*i].name.to_string(),
                year: step as f64 / spy,
                value,
            })
        });
        Trajectory {
            peak,
            scenario: scenario.to_string(),
            columns: self
                .columns
                .iter()
                .map(|&(i, _)| outputs.series[i].name.to_string())
                .collect(),
            rows,
        }
    }
}
