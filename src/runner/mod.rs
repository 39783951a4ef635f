//! The one runner behind `orgsim run`, `orgsim sweep` and any program that drives orgsim as a
//! library: it runs a list of jobs (a scenario, a replicate and its seed) on a pool of
//! worker threads and hands each finished run to one consumer **in job order**, so whatever
//! the thread count or the scheduling, the consumer sees the same sequence and writes the same
//! bytes.
//!
//! - [`for_each_ordered`] is the machinery: positions `from..to` simulated on a rayon [`Pool`]
//!   (each worker takes the next position from a shared counter), results reordered and
//!   delivered one at a time; workers never run more than `ahead` positions past the
//!   consumer, so memory is bounded (nothing collects all runs). It polls the user's stop
//!   before each run (runs poll it every step) and drives the [`Progress`] display.
//! - [`Runner::run`] runs models: job `pos` of a [`Jobs`] list is simulated with its seed,
//!   then `prepare` (on the worker, for work that should run in parallel, such as formatting
//!   rows) and `consume` (on the caller's thread, in order).
//! - [`run_replicates`] is the library entry point: the replicates of a few scenarios,
//!   seeded as `orgsim run` seeds them, returned as per-scenario outcomes, bands and mean
//!   trajectories without writing a file, with every finished run shown to a callback as it
//!   arrives (a live page can redraw from it; a calibration loop can score it). Each
//!   scenario runs its own `replicates`; the stop of the [`Progress`] passed (a bare
//!   [`crate::model::Stop`] will do) cancels it within a step. The statistics are
//!   accumulated as runs stream past ([`Ensemble`], and [`crate::stats`]).
//!
//! ```
//! use orgsim::runner::run_replicates;
//! use orgsim::scenario::load;
//! use orgsim::model::Stop;
//!
//! let mut scenario = load("classic/march1991", &[]).unwrap().scenario;
//! scenario.replicates = 8;
//! // `()` shows no progress and never stops; a `Stop` can be requested from another thread
//! // (a page's stop button); the command line passes its progress bar.
//! let stop = Stop::new();
//! let mut seen = 0;
//! let results = run_replicates(&[scenario], 1991, Some(2), &stop, &mut |_run| seen += 1).unwrap();
//! assert_eq!(seen, 8);
//! let knowledge = &results[0].summaries[0];
//! assert_eq!(knowledge.name, "equilibrium_knowledge");
//! assert_eq!(knowledge.summary.unwrap().n, 8);
//! ```
//!
//! `orgsim run` ([`crate::engine`]) and `orgsim sweep` ([`crate::sweep`]) are orchestration
//! around these: which jobs, which files, which summaries.

mod ordered;
pub mod partner;
mod progress;
mod replicates;

pub use replicates::{BandRow, build_models};

pub use ordered::{Finish, Pool, PoolError, for_each_ordered};
pub use progress::Progress;
pub use replicates::{Ensemble, Finished, RunError, ScenarioResults, run_replicates};

use crate::model::{RunRecord, Simulate};
use crate::scenario::Scenario;

/// One run to do: which scenario (or sweep point), which replicate, and its seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Job {
    /// The scenario's index in the list of models.
    pub scenario: usize,
    /// The replicate.
    pub replicate: u64,
    /// The run's seed.
    pub seed: u64,
}

/// A list of jobs, by position: computed, not stored, so a million runs take no memory.
pub trait Jobs: Sync {
    /// How many jobs there are.
    fn len(&self) -> u64;
    /// The job at position `pos` (below `len`).
    fn job(&self, pos: u64) -> Job;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The replicates of several scenarios in (scenario, replicate) order, as `orgsim run`
/// runs them: replicate r of every scenario is seeded with
/// [`crate::rng::replicate_seed`]`(seed, r)` (common random numbers, so scenarios are paired).
#[derive(Clone, Debug)]
pub struct Replicates {
    /// Per scenario, the position of its first replicate; then the total.
    starts: Vec<u64>,
    seed: u64,
}

impl Replicates {
    /// Each scenario's own `replicates`, seeded from `seed`.
    pub fn new(scenarios: &[Scenario], seed: u64) -> Replicates {
        let mut starts = vec![0];
        for s in scenarios {
            starts.push(starts[starts.len() - 1] + u64::from(s.replicates));
        }
        Replicates { starts, seed }
    }
}

impl Jobs for Replicates {
    fn len(&self) -> u64 {
        self.starts[self.starts.len() - 1]
    }

    fn job(&self, pos: u64) -> Job {
        let scenario = self.starts.partition_point(|&s| s <= pos) - 1;
        let replicate = pos - self.starts[scenario];
        Job {
            scenario,
            replicate,
            seed: crate::rng::replicate_seed(self.seed, replicate),
        }
    }
}

/// What a worker does right after a run, before the result goes to the consumer: given the
/// job, the scenario as drawn (when its uncertain parameters were drawn), the model that ran
/// and the run's record.
pub type Prepare<'a, X> =
    dyn Fn(&Job, Option<&Scenario>, &dyn Simulate, &mut RunRecord) -> X + Sync + 'a;

/// What runs jobs: the pool, the models jobs index into, the progress display (whose stop
/// every run polls each step), and how many finished runs may wait for the consumer.
#[derive(Clone, Copy)]
pub struct Runner<'a> {
    /// The worker threads.
    pub pool: &'a Pool,
    /// The models, by [`Job::scenario`].
    pub models: &'a [Box<dyn Simulate>],
    /// The scenarios the models were built from, when their uncertain parameters are to be
    /// drawn: each run then draws its values once from its own seed (so replicate r of every
    /// scenario shares them; src/scenario/uncertainty.rs) and runs a model built with them.
    /// `None` runs every model at its written values (sweeps).
    pub draw_from: Option<&'a [Scenario]>,
    /// Progress events and the user's stop.
    pub progress: &'a dyn Progress,
    /// At most this many finished runs wait for the consumer (memory bound).
    pub ahead: usize,
}

impl Runner<'_> {
    /// Runs every job of `jobs` from position `from`, each with `models[job.scenario]` and
    /// its seed: `prepare` runs on the worker right after the run (given the scenario as
    /// drawn, when [`Runner::draw_from`] drew one, and the model that ran), and `consume` on this thread in job order. Returns whether every job was consumed (see
    /// [`for_each_ordered`]).
    pub fn run<X: Send, E>(
        &self,
        jobs: &dyn Jobs,
        from: u64,
        prepare: &Prepare<'_, X>,
        consume: &mut dyn FnMut(Job, RunRecord, X) -> Result<(), E>,
    ) -> Result<Finish, E> {
        let stop = self.progress.stop();
        let work = |pos: u64| {
            let job = jobs.job(pos);
            let drawn = self
                .draw_from
                .and_then(|scenarios| scenarios[job.scenario].draw_uncertain(job.seed));
            let own = drawn.as_ref().map(|d| d.scenario.build_model());
            let model = own.as_ref().unwrap_or(&self.models[job.scenario]);
            let mut record = model.simulate_until(job.seed, &stop)?;
            let drawn_scenario = drawn.as_ref().map(|d| &d.scenario);
            let extra = prepare(&job, drawn_scenario, model.as_ref(), &mut record);
            Some((job, record, extra))
        };
        for_each_ordered(
            self.pool,
            from..jobs.len(),
            self.ahead,
            self.progress,
            &work,
            &mut |_, (job, record, extra)| consume(job, record, extra),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;

    #[test]
    fn replicates_are_listed_scenario_by_scenario_with_shared_seeds() {
        let mut a = load("classic/march1991", &[]).unwrap().scenario;
        let mut b = a.clone();
        a.replicates = 2;
        b.replicates = 3;
        let jobs = Replicates::new(&[a, b], 7);
        assert_eq!(jobs.len(), 5);
        let got: Vec<(usize, u64)> = (0..5)
            .map(|p| jobs.job(p))
            .map(|j| (j.scenario, j.replicate))
            .collect();
        assert_eq!(got, [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2)]);
        assert_eq!(jobs.job(1).seed, jobs.job(3).seed);
        assert_eq!(jobs.job(4).seed, crate::rng::replicate_seed(7, 2));
    }
}
