//! Approximate Bayesian computation by sequential Monte Carlo (ABC population Monte Carlo:
//! Beaumont, Cornuet, Marin & Robert 2009, with the tolerance schedule of Del Moral, Doucet &
//! Jasra 2012 set from the previous population's distances).
//!
//! Generation 0 draws the particles from the prior (uniform over each free parameter's
//! range). Each later generation sets its tolerance to the median distance of the previous
//! population (never below the file's `tolerance`), proposes particles by picking one of the
//! previous population by weight and moving it with a Gaussian kernel of twice the
//! population's weighted variance, keeps those within the prior whose simulation lies within
//! the tolerance, and weights each by prior / (mixture of kernels), which corrects for the
//! proposal. The fit stops when the tolerance reaches the file's `tolerance`, after
//! `generations`, when fewer than 1% of the proposals are accepted, or at `max_simulations`.
//!
//! Distance: the root mean square of (simulated - observed) / sd over the observations, so a
//! tolerance of 1 means "on average within one sd of every observation".
//!
//! Every proposal i of generation t draws from its own stream keyed by (seed, t, i), and its
//! simulation runs with a seed derived from the same keys; proposals are simulated in batches
//! of a fixed size and accepted in index order. So the posterior depends only on the file and
//! its seed, never on the thread count or on which simulation finishes first.

use rayon::prelude::*;

use super::metric::Metric;
use super::simulate::simulate;
use super::spec::Calibration;
use crate::engine::Progress;
use crate::rng::{SimRng, stream_seed};
use crate::scenario::Distribution;

/// The lowest share of proposals accepted before the fit stops (the tolerance has stalled).
pub const MIN_ACCEPTANCE: f64 = 0.01;

const PRIOR: u64 = 0x0070_7269_6f72;
const PROPOSE: u64 = 0x0070_726f_706f_7365;
const SIMULATE: u64 = 0x7369_6d75_6c61_7465;

/// One particle of the final population.
#[derive(Clone, Debug)]
pub struct Particle {
    /// The free parameters' values, in the file's order.
    pub theta: Vec<f64>,
    /// Its normalized importance weight.
    pub weight: f64,
    /// Its distance to the observations.
    pub distance: f64,
    /// Its simulated value of each observation.
    pub simulated: Vec<f64>,
    /// Per distinct metric, its value at years 1, 2, ... (for the chart).
    pub yearly: Vec<Vec<f64>>,
}

/// What one generation did.
#[derive(Clone, Debug)]
pub struct Generation {
    /// Its tolerance (infinite for generation 0).
    pub tolerance: f64,
    /// Simulations run.
    pub simulations: u64,
    /// Share of proposals accepted.
    pub acceptance: f64,
    /// Effective sample size of its weights.
    pub ess: f64,
}

/// The fitted posterior.
#[derive(Clone, Debug)]
pub struct Fit {
    /// The final population.
    pub particles: Vec<Particle>,
    /// Each generation, in order.
    pub generations: Vec<Generation>,
    /// Simulations in all.
    pub simulations: u64,
    /// Why the fit stopped.
    pub stopped: String,
    /// The distinct metrics observed (their order in `Particle::yearly`).
    pub metrics: Vec<Metric>,
    /// Years simulated.
    pub years: f64,
}

/// Why a fit did not finish.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    /// Stopped (Ctrl-C, SIGTERM).
    #[error("stopped before finishing; nothing was written")]
    Cancelled,
    /// The thread pool could not start.
    #[error("cannot start {0} worker threads")]
    Threads(usize),
}

/// One simulated particle.
struct Outcome {
    distance: f64,
    simulated: Vec<f64>,
    yearly: Vec<Vec<f64>>,
}

/// Fits `cal` on `threads` threads (all cores for `None`).
pub fn fit(
    cal: &Calibration,
    threads: Option<usize>,
    progress: &dyn Progress,
) -> Result<Fit, FitError> {
    let threads = threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|_| FitError::Threads(threads))?;
    let spec = &cal.spec;
    let n = spec.particles;
    let stop = progress.stop();
    let mut metrics: Vec<Metric> = Vec::new();
    for m in &cal.metrics {
        if !metrics.contains(m) {
            metrics.push(m.clone());
        }
    }
    let which: Vec<usize> = cal
        .metrics
        .iter()
        .map(|m| metrics.iter().position(|x| x == m).expect("listed"))
        .collect();
    let years = spec.observed.iter().map(|o| o.year).fold(1.0f64, f64::max);
    let whole_years = years.floor() as usize;
    let ranges: Vec<(f64, f64)> = spec
        .free
        .iter()
        .map(|f| (f.range.from, f.range.to))
        .collect();

    // The simulation of one particle: the base with its free values (and the base's other
    // uncertain values drawn from the same seed).
    let run_one = |theta: &[f64], seed: u64| -> Option<Outcome> {
        let mut scenario = cal.base.clone();
        for (f, v) in spec.free.iter().zip(theta) {
            scenario
                .uncertainty
                .insert(f.path.clone(), Distribution::Empirical(vec![*v]));
        }
        let drawn = scenario
            .draw_uncertain(seed)
            .expect("a calibration has free parameters");
        let trace = simulate(&drawn.scenario, seed, &metrics, years, &stop)?;
        let simulated: Vec<f64> = spec
            .observed
            .iter()
            .zip(&which)
            .map(|(o, &k)| trace.value(k, &metrics[k], o.year))
            .collect();
        let sq: f64 = spec
            .observed
            .iter()
            .zip(&simulated)
            .map(|(o, s)| ((s - o.value) / o.sd).powi(2))
            .sum();
        let mut distance = (sq / spec.observed.len() as f64).sqrt();
        if !distance.is_finite() {
            distance = f64::INFINITY;
        }
        let yearly = metrics
            .iter()
            .enumerate()
            .map(|(k, m)| {
                (1..=whole_years)
                    .map(|y| trace.value(k, m, y as f64))
                    .collect()
            })
            .collect();
        progress.run_done();
        Some(Outcome {
            distance,
            simulated,
            yearly,
        })
    };
    let sim_seed = |t: u64, i: u64| stream_seed(spec.seed, &[SIMULATE, t, i]) >> 11;

    // Generation 0: the prior.
    let mut total: u64 = n as u64;
    progress.start(total);
    let proposals: Vec<Vec<f64>> = (0..n as u64)
        .map(|i| {
            let mut rng = SimRng::from_seed(stream_seed(spec.seed, &[PRIOR, i]));
            ranges
                .iter()
                .map(|&(a, b)| uniform(&mut rng, a, b))
                .collect()
        })
        .collect();
    let outcomes: Vec<Option<Outcome>> = pool.install(|| {
        proposals
            .par_iter()
            .enumerate()
            .map(|(i, theta)| run_one(theta, sim_seed(0, i as u64)))
            .collect()
    });
    let outcomes: Vec<Outcome> = outcomes
        .into_iter()
        .collect::<Option<_>>()
        .ok_or(FitError::Cancelled)?;
    let mut population: Vec<Particle> = proposals
        .into_iter()
        .zip(outcomes)
        .map(|(theta, o)| Particle {
            theta,
            weight: 1.0 / n as f64,
            distance: o.distance,
            simulated: o.simulated,
            yearly: o.yearly,
        })
        .collect();
    let mut simulations = n as u64;
    let mut generations = vec![Generation {
        tolerance: f64::INFINITY,
        simulations: n as u64,
        acceptance: 1.0,
        ess: n as f64,
    }];
    let mut stopped = String::new();

    for t in 1..spec.generations as u64 {
        let mut distances: Vec<f64> = population.iter().map(|p| p.distance).collect();
        distances.sort_by(f64::total_cmp);
        let median = distances[distances.len() / 2];
        if generations
            .last()
            .is_some_and(|g| g.tolerance <= spec.tolerance)
        {
            break;
        }
        let tolerance = median.max(spec.tolerance);
        if !tolerance.is_finite() {
            stopped = "most simulations could not be compared with the observations".into();
            break;
        }
        let scales: Vec<f64> = (0..ranges.len())
            .map(|k| {
                let mean: f64 = population.iter().map(|p| p.weight * p.theta[k]).sum();
                let var: f64 = population
                    .iter()
                    .map(|p| p.weight * (p.theta[k] - mean).powi(2))
                    .sum();
                (2.0 * var).sqrt().max(1e-9 * (ranges[k].1 - ranges[k].0))
            })
            .collect();
        let cumulative: Vec<f64> = population
            .iter()
            .scan(0.0, |c, p| {
                *c += p.weight;
                Some(*c)
            })
            .collect();
        let mut accepted: Vec<Particle> = Vec::with_capacity(n);
        let mut next: u64 = 0;
        let mut proposed: u64 = 0;
        let mut out_of_budget = false;
        while accepted.len() < n {
            let room = spec.max_simulations.saturating_sub(simulations);
            if room == 0 {
                out_of_budget = true;
                break;
            }
            let batch = (n as u64).min(room);
            total += batch;
            progress.start(total);
            let ids: Vec<u64> = (next..next + batch).collect();
            next += batch;
            let proposals: Vec<Vec<f64>> = ids
                .iter()
                .map(|&i| {
                    let mut rng = SimRng::from_seed(stream_seed(spec.seed, &[PROPOSE, t, i]));
                    propose(&mut rng, &population, &cumulative, &scales, &ranges)
                })
                .collect();
            let outcomes: Vec<Option<Outcome>> = pool.install(|| {
                proposals
                    .par_iter()
                    .zip(&ids)
                    .map(|(theta, &i)| run_one(theta, sim_seed(t, i)))
                    .collect()
            });
            simulations += batch;
            for (theta, o) in proposals.into_iter().zip(outcomes) {
                let o = o.ok_or(FitError::Cancelled)?;
                if accepted.len() == n {
                    break;
                }
                proposed += 1;
                if o.distance <= tolerance {
                    accepted.push(Particle {
                        theta,
                        weight: 0.0,
                        distance: o.distance,
                        simulated: o.simulated,
                        yearly: o.yearly,
                    });
                }
            }
        }
        if out_of_budget {
            stopped = format!(
                "the budget of {} simulations ran out in generation {t}; the posterior is \
                 generation {}'s",
                spec.max_simulations,
                t - 1
            );
            break;
        }
        // Importance weights: uniform prior over the kernel mixture that proposed them.
        for p in &mut accepted {
            let mix: f64 = population
                .iter()
                .map(|q| {
                    q.weight
                        * p.theta
                            .iter()
                            .zip(&q.theta)
                            .zip(&scales)
                            .map(|((a, b), s)| {
                                let z = (a - b) / s;
                                libm::exp(-0.5 * z * z) / s
                            })
                            .product::<f64>()
                })
                .sum();
            p.weight = if mix > 0.0 { 1.0 / mix } else { 0.0 };
        }
        let sum: f64 = accepted.iter().map(|p| p.weight).sum();
        for p in &mut accepted {
            p.weight /= sum;
        }
        let ess = 1.0 / accepted.iter().map(|p| p.weight * p.weight).sum::<f64>();
        let acceptance = n as f64 / proposed as f64;
        generations.push(Generation {
            tolerance,
            simulations: proposed,
            acceptance,
            ess,
        });
        population = accepted;
        if tolerance <= spec.tolerance {
            stopped = format!(
                "the tolerance reached {} (simulations within the observations' sds)",
                crate::scenario::show_number(spec.tolerance)
            );
            break;
        }
        if acceptance < MIN_ACCEPTANCE {
            stopped = format!(
                "fewer than 1% of proposals were accepted at tolerance {:.3}: the model cannot \
                 come closer to the observations with these free parameters",
                tolerance
            );
            break;
        }
    }
    if stopped.is_empty() {
        stopped = format!(
            "after {} generations (the file's `generations`), at tolerance {:.3}",
            generations.len(),
            generations.last().map_or(f64::INFINITY, |g| g.tolerance)
        );
    }
    progress.finish();
    Ok(Fit {
        particles: population,
        generations,
        simulations,
        stopped,
        metrics,
        years,
    })
}

fn uniform(rng: &mut SimRng, a: f64, b: f64) -> f64 {
    rng.sample(&rand_distr::Uniform::new_inclusive(a, b).expect("a validated range"))
}

/// A proposal: a particle of the population picked by weight, moved by the kernel, inside
/// the prior's ranges (redrawn until it is, at most 1,000 times).
fn propose(
    rng: &mut SimRng,
    population: &[Particle],
    cumulative: &[f64],
    scales: &[f64],
    ranges: &[(f64, f64)],
) -> Vec<f64> {
    let total = *cumulative.last().expect("a population");
    let mut ancestor = &population[0];
    for _ in 0..1000 {
        let u = uniform(rng, 0.0, total);
        let j = cumulative
            .partition_point(|&c| c < u)
            .min(population.len() - 1);
        ancestor = &population[j];
        let theta: Vec<f64> = ancestor
            .theta
            .iter()
            .zip(scales)
            .map(|(x, s)| {
                x + rng.sample(&rand_distr::Normal::new(0.0, *s).expect("a positive scale"))
            })
            .collect();
        if theta
            .iter()
            .zip(ranges)
            .all(|(v, (a, b))| (*a..=*b).contains(v))
        {
            return theta;
        }
    }
    ancestor.theta.clone()
}

/// The weighted `q` quantile of `values` with `weights` (normalized).
pub fn weighted_quantile(values: &[f64], weights: &[f64], q: f64) -> f64 {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let total: f64 = weights.iter().sum();
    let mut c = 0.0;
    for &i in &order {
        c += weights[i] / total;
        if c >= q {
            return values[i];
        }
    }
    values[*order.last().expect("values")]
}

/// Systematic resampling of the weighted particles to `m` equally weighted draws, in the
/// population's order; `u` in [0, 1) offsets the comb.
pub fn resample(weights: &[f64], m: usize, u: f64) -> Vec<usize> {
    let total: f64 = weights.iter().sum();
    let mut out = Vec::with_capacity(m);
    let mut c = 0.0;
    let mut j = 0;
    for i in 0..m {
        let point = (i as f64 + u) / m as f64 * total;
        while j + 1 < weights.len() && c + weights[j] < point {
            c += weights[j];
            j += 1;
        }
        out.push(j);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_and_resampling_follow_the_weights() {
        let v = [1.0, 2.0, 3.0, 4.0];
        let w = [0.1, 0.1, 0.7, 0.1];
        assert_eq!(weighted_quantile(&v, &w, 0.5), 3.0);
        assert_eq!(weighted_quantile(&v, &w, 0.05), 1.0);
        let idx = resample(&w, 10, 0.5);
        assert_eq!(idx.iter().filter(|&&i| i == 2).count(), 7);
        assert_eq!(idx.len(), 10);
    }
}
