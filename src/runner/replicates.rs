//! Replicates of scenarios as a library call ([`run_replicates`]), and the statistics both it
//! and `orgsim run` accumulate as runs stream past ([`Ensemble`]).

use std::io;
use std::path::Path;

use super::{Job, Pool, PoolError, Progress, Replicates, Runner};
use crate::model::{Outputs, RunRecord, Series, Simulate};
use crate::output::{BandStore, OutcomeSummary, ScenarioSummary};
use crate::scenario::Scenario;
use crate::stats::{Summary, Trajectory, TrajectoryAcc, summarize};

/// A finished run, as the runner shows it to a callback.
#[derive(Clone, Copy, Debug)]
pub struct Finished<'a> {
    /// Which scenario, replicate and seed.
    pub job: Job,
    /// Its per-step values and outcomes.
    pub record: &'a RunRecord,
}

/// One scenario's results across its replicates.
#[derive(Clone, Debug)]
pub struct ScenarioResults {
    /// The scenario's name.
    pub name: String,
    /// Per outcome (in the model's order), its value in each replicate (`None` where the
    /// run does not define it).
    pub outcomes: Vec<Vec<Option<f64>>>,
    /// Per outcome, its summary across replicates (as in `summary.json`).
    pub summaries: Vec<OutcomeSummary>,
    /// Per step and per-step column, the summary across replicates (as in `bands.csv`: a
    /// categorical column gives one `name=label` share per label).
    pub bands: Vec<BandRow>,
    /// The mean trajectory (models with calendar time).
    pub trajectory: Option<Trajectory>,
}

/// One row of bands: a column at one step, summarized across replicates.
#[derive(Clone, Debug, PartialEq)]
pub struct BandRow {
    /// The step.
    pub step: u64,
    /// The column (`name=label` for a category's share).
    pub metric: String,
    /// Its summary across replicates.
    pub summary: Summary,
}

/// Why the runs could not be done.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The thread pool could not start.
    #[error(transparent)]
    Threads(#[from] PoolError),
    /// The temporary file that holds per-step values for the bands failed.
    #[error("the temporary file for the bands: {0}")]
    Spill(#[from] io::Error),
    /// The stop was requested.
    #[error("stopped before finishing")]
    Cancelled,
    /// Scenarios of different models cannot be summarized together.
    #[error("scenario '{first}' and scenario '{other}' use different models")]
    MixedModels {
        /// The first scenario's name.
        first: String,
        /// The scenario whose model differs.
        other: String,
    },
    /// No scenario.
    #[error("no scenario to run")]
    Empty,
}

/// The models of `scenarios` and their shared output declarations; scenarios of different
/// models are refused.
pub fn build_models(scenarios: &[Scenario]) -> Result<(Vec<Box<dyn Simulate>>, Outputs), RunError> {
    let first = scenarios.first().ok_or(RunError::Empty)?;
    let models: Vec<Box<dyn Simulate>> = scenarios.iter().map(|s| s.build_model()).collect();
    let outputs = models[0].outputs();
    for (s, m) in scenarios.iter().zip(&models).skip(1) {
        if m.outputs() != outputs {
            return Err(RunError::MixedModels {
                first: first.name.clone(),
                other: s.name.clone(),
            });
        }
    }
    Ok((models, outputs))
}

/// What runs leave behind as they stream past, per scenario: the per-step values (spilled to
/// disk for exact percentiles), the outcomes (8 bytes per outcome and run, needed for
/// percentiles and paired comparisons) and the mean trajectory.
#[derive(Debug)]
pub struct Ensemble {
    /// Every run's per-step values, for the bands.
    pub bands: BandStore,
    /// Outcome values: `[window][scenario][outcome]`, in replicate order (window 0 is the
    /// whole run, or what the caller reports).
    pub outcomes: Vec<Vec<Vec<Vec<Option<f64>>>>>,
    /// Per scenario, its mean trajectory so far.
    pub trajectories: Vec<Option<TrajectoryAcc>>,
}

impl Ensemble {
    /// An empty ensemble for `scenarios` with outcomes kept over `windows` windows,
    /// spilling per-step values into `spill_dir` (the system's temporary directory if
    /// `None`).
    pub fn new(
        spill_dir: Option<&Path>,
        outputs: &Outputs,
        scenarios: &[Scenario],
        windows: usize,
    ) -> io::Result<Ensemble> {
        Ok(Ensemble {
            bands: BandStore::new(spill_dir, scenarios.len(), outputs.series.len())?,
            outcomes: vec![
                vec![vec![Vec::new(); outputs.outcomes.len()]; scenarios.len()];
                windows
            ],
            trajectories: scenarios
                .iter()
                .map(|s| TrajectoryAcc::new(outputs, s.horizon_steps() as usize))
                .collect(),
        })
    }

    /// Adds the next replicate of `scenario`: its series and its outcomes in each window.
    pub fn add(
        &mut self,
        scenario: usize,
        series: &Series,
        windowed: &[Vec<Option<f64>>],
    ) -> io::Result<()> {
        for (w, outcomes) in windowed.iter().enumerate() {
            for (k, v) in outcomes.iter().enumerate() {
                self.outcomes[w][scenario][k].push(*v);
            }
        }
        self.bands.push(scenario, series)?;
        if let Some(t) = &mut self.trajectories[scenario] {
            t.add(series);
        }
        Ok(())
    }

    /// Each scenario's outcomes of window `w` summarized across replicates.
    pub fn summaries(
        &self,
        w: usize,
        scenarios: &[Scenario],
        outputs: &Outputs,
    ) -> Vec<ScenarioSummary> {
        scenarios
            .iter()
            .zip(&self.outcomes[w])
            .map(|(sc, per_outcome)| ScenarioSummary {
                name: sc.name.clone(),
                model: sc.model.name().to_string(),
                replicates: u64::from(sc.replicates),
                outcomes: outputs
                    .outcomes
                    .iter()
                    .zip(per_outcome)
                    .map(|(column, v)| OutcomeSummary {
                        name: column.name.to_string(),
                        summary: summarize(&mut v.iter().flatten().copied().collect::<Vec<_>>()),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Runs each scenario's `replicates` (replicate r of every scenario seeded with
/// `replicate_seed(seed, r)`, so scenarios are paired, as in `orgsim run`) on `threads`
/// workers (`None`: one per core), shows every finished run to `on_result` in
/// (scenario, replicate) order, and returns each scenario's outcomes, summaries, bands and
/// mean trajectory. Nothing is written but a temporary file, removed when done. The stop
/// of `progress` cancels it within a step of every run under way.
pub fn run_replicates(
    scenarios: &[Scenario],
    seed: u64,
    threads: Option<usize>,
    progress: &dyn Progress,
    on_result: &mut dyn FnMut(Finished),
) -> Result<Vec<ScenarioResults>, RunError> {
    let (models, outputs) = build_models(scenarios)?;
    let pool = Pool::new(threads)?;
    let jobs = Replicates::new(scenarios, seed);
    let mut ensemble = Ensemble::new(None, &outputs, scenarios, 1)?;
    progress.start(super::Jobs::len(&jobs));
    let runner = Runner {
        pool: &pool,
        models: &models,
        draw_from: Some(scenarios),
        progress,
        ahead: pool.threads() * 8,
    };
    let finish = runner.run(&jobs, 0, &|_, _, _, _| (), &mut |job, record, ()| {
        on_result(Finished {
            job,
            record: &record,
        });
        ensemble.add(
            job.scenario,
            &record.series,
            std::slice::from_ref(&record.outcomes),
        )
    })?;
    if finish != super::Finish::Done {
        return Err(RunError::Cancelled);
    }
    progress.finish();
    let summaries = ensemble.summaries(0, scenarios, &outputs);
    let Ensemble {
        bands,
        mut outcomes,
        trajectories,
    } = ensemble;
    let mut rows: Vec<Vec<BandRow>> = vec![Vec::new(); scenarios.len()];
    bands
        .summarize(
            &outputs.series_names(),
            &outputs.labels(),
            &progress.stop(),
            |s: usize, step: u64, metric: &str, summary: &Summary| {
                rows[s].push(BandRow {
                    step,
                    metric: metric.to_string(),
                    summary: *summary,
                });
                Ok(())
            },
        )
        .map_err(|e| match e.kind() {
            io::ErrorKind::Interrupted => RunError::Cancelled,
            _ => RunError::Spill(e),
        })?;
    Ok(scenarios
        .iter()
        .zip(summaries)
        .zip(rows)
        .zip(trajectories)
        .zip(outcomes.swap_remove(0))
        .map(|((((sc, summary), bands), t), outcomes)| ScenarioResults {
            name: sc.name.clone(),
            outcomes,
            summaries: summary.outcomes,
            bands,
            trajectory: t.map(|t| t.finish(&sc.name, &outputs)),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Override, load};

    #[test]
    fn results_do_not_depend_on_the_threads_and_match_single_runs() {
        let over = [
            Override::parse("replicates=5").unwrap(),
            Override::parse("years=2").unwrap(),
            Override::parse("organization.capacity=40").unwrap(),
        ];
        let a = load("baseline", &over).unwrap().scenario;
        let one = run_replicates(std::slice::from_ref(&a), 3, Some(1), &(), &mut |_| {}).unwrap();
        let mut order = Vec::new();
        let two = run_replicates(std::slice::from_ref(&a), 3, Some(2), &(), &mut |f| {
            order.push(f.job.replicate)
        })
        .unwrap();
        assert_eq!(order, [0, 1, 2, 3, 4]);
        assert_eq!(one[0].bands, two[0].bands);
        assert_eq!(one[0].outcomes, two[0].outcomes);
        assert_eq!(one[0].summaries, two[0].summaries);
        assert_eq!(one[0].trajectory, two[0].trajectory);
        // Replicate 4 ran with the uncertain parameters drawn from its own seed.
        let seed = crate::rng::replicate_seed(3, 4);
        let drawn = a
            .draw_uncertain(seed)
            .expect("baseline has uncertain parameters");
        let single = drawn.scenario.build_model().simulate(seed);
        assert_eq!(one[0].outcomes[0][4], single.outcomes[0]);
        assert_ne!(a.build_model().simulate(seed).outcomes, single.outcomes);
        // 2 years of 52 weeks: 105 steps of every column (a category gives one row per label).
        assert!(
            one[0]
                .bands
                .iter()
                .any(|r| r.step == 104 && r.metric == "headcount")
        );
    }

    /// Requests its stop once `after` runs have finished.
    struct StopAfter {
        stop: crate::model::Stop,
        after: u64,
        done: std::sync::atomic::AtomicU64,
    }

    impl Progress for StopAfter {
        fn run_done(&self) {
            let done = self.done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            if done >= self.after {
                self.stop.request();
            }
        }
        fn stop(&self) -> crate::model::Stop {
            self.stop.clone()
        }
    }

    #[test]
    fn a_stop_cancels_the_replicates_after_an_ordered_prefix() {
        let over = [Override::parse("replicates=400").unwrap()];
        let a = load("classic/march1991", &over).unwrap().scenario;
        let progress = StopAfter {
            stop: crate::model::Stop::new(),
            after: 20,
            done: Default::default(),
        };
        let mut seen = Vec::new();
        let result = run_replicates(&[a], 1, Some(2), &progress, &mut |f| {
            seen.push(f.job.replicate)
        });
        assert!(matches!(result, Err(RunError::Cancelled)), "{result:?}");
        assert!(seen.len() < 400, "{}", seen.len());
        assert_eq!(seen, (0..seen.len() as u64).collect::<Vec<_>>());
    }
}
