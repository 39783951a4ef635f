//! The interface every model implements (state, step, observe), and the loop that drives one run.
//!
//! A model is configuration plus machinery: [`Model::init`] builds the state of one run from its
//! seed, [`Model::step`] advances it by one step, [`Model::observe`] writes the per-step output
//! row, and [`Model::outcomes`] reduces a finished run to its run-level outcomes. The engine only
//! sees [`Simulate`], the object-safe form, so adding a model adds files, not engine branches.

/// Describes a model's outputs: the column names of its per-step and run-level results.
#[derive(Clone, Debug, PartialEq)]
pub struct Outputs {
    /// Per-step columns, in order (after `scenario,replicate,seed,step` and `year`).
    pub series: &'static [&'static str],
    /// Run-level outcomes, in order.
    pub outcomes: &'static [&'static str],
    /// Steps per calendar year, for models that keep calendar time (`year` column); `None`
    /// for models whose steps are abstract periods.
    pub steps_per_year: Option<f64>,
    /// Per-step columns whose values are category indices, with their labels: written as
    /// labels in `timeseries.csv` and left out of `bands.csv`.
    pub categories: &'static [(&'static str, &'static [&'static str])],
    /// Per-step columns whose values are counts (whole numbers): written without a decimal
    /// point, while every other numeric column always has one, so each column reads back as
    /// one type.
    pub counts: &'static [&'static str],
    /// The outcomes a comparison table shows first (a subset of `outcomes`).
    pub headline: &'static [&'static str],
    /// Per-step columns the summary's trajectory shows (a subset of `series`; categorical
    /// ones show their most frequent label).
    pub trajectory: &'static [&'static str],
    /// The per-step column whose mean curve's peak the summary reports beside the
    /// trajectory (the peak a chart marks), if any.
    pub curve_peak: Option<&'static str>,
    /// Per outcome, what its mean across runs is, in words, for the summary table ("mean
    /// of run peaks"): one word never names two numbers. Outcomes not listed get none.
    pub outcome_means: &'static [(&'static str, &'static str)],
}

impl Outputs {
    /// For each series column, whether it holds counts (see [`Outputs::counts`]).
    pub fn is_count(&self) -> Vec<bool> {
        self.series
            .iter()
            .map(|c| self.counts.contains(c))
            .collect()
    }

    /// For each series column, its labels if it is categorical.
    pub fn labels(&self) -> Vec<Option<&'static [&'static str]>> {
        self.series
            .iter()
            .map(|c| {
                self.categories
                    .iter()
                    .find(|(name, _)| name == c)
                    .map(|(_, l)| *l)
            })
            .collect()
    }
}

/// The observed rows of one run: `steps + 1` rows (step 0 is the initial state) of
/// `columns` values each, stored row after row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    /// Number of values per row.
    pub columns: usize,
    /// The values, row-major.
    pub values: Vec<f64>,
}

impl Series {
    /// Number of observed rows.
    pub fn rows(&self) -> usize {
        self.values.len().checked_div(self.columns).unwrap_or(0)
    }

    /// The row observed at `step`.
    pub fn row(&self, step: usize) -> &[f64] {
        &self.values[step * self.columns..(step + 1) * self.columns]
    }

    /// One column across all rows.
    pub fn column(&self, column: usize) -> impl Iterator<Item = f64> + '_ {
        self.values
            .chunks_exact(self.columns)
            .map(move |row| row[column])
    }
}

/// A simulation model: how to build, advance, observe and summarize one run.
pub trait Model: Send + Sync {
    /// Everything that changes during one run, including its random-number generator.
    type State;

    /// The model's output columns.
    fn outputs(&self) -> Outputs;

    /// The state at step 0 of the run seeded by `seed`.
    fn init(&self, seed: u64) -> Self::State;

    /// The maximum number of steps a run may take.
    fn horizon(&self) -> u64;

    /// Advances the state by one step.
    fn step(&self, state: &mut Self::State);

    /// Writes the per-step output row (one value per [`Outputs::series`] column).
    fn observe(&self, state: &Self::State, row: &mut [f64]);

    /// Whether the run has ended before the horizon (for example at an equilibrium).
    fn finished(&self, _state: &Self::State) -> bool {
        false
    }

    /// The run-level outcomes of a finished run (one per [`Outputs::outcomes`] column;
    /// `None` where an outcome is undefined for this run).
    fn outcomes(&self, state: &Self::State, series: &Series) -> Vec<Option<f64>>;

    /// The run-level outcomes restricted to steps `from..=to` of a finished run, for models
    /// that keep calendar time; `None` if the model has no windowed outcomes.
    fn window_outcomes(
        &self,
        _series: &Series,
        _from: usize,
        _to: usize,
    ) -> Option<Vec<Option<f64>>> {
        None
    }
}

/// The results of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    /// Per-step observations.
    pub series: Series,
    /// Run-level outcomes.
    pub outcomes: Vec<Option<f64>>,
}

/// The object-safe face of a [`Model`], which the engine drives.
pub trait Simulate: Send + Sync {
    /// The model's output columns.
    fn outputs(&self) -> Outputs;
    /// Runs one replicate to its end.
    fn simulate(&self, seed: u64) -> RunRecord;
    /// Outcomes of a finished run over steps `from..=to` (see [`Model::window_outcomes`]).
    fn window_outcomes(&self, series: &Series, from: usize, to: usize) -> Option<Vec<Option<f64>>>;
}

impl<M: Model> Simulate for M {
    fn outputs(&self) -> Outputs {
        Model::outputs(self)
    }

    fn simulate(&self, seed: u64) -> RunRecord {
        let columns = Model::outputs(self).series.len();
        let mut state = self.init(seed);
        let mut series = Series {
            columns,
            values: Vec::new(),
        };
        let mut row = vec![0.0; columns];
        self.observe(&state, &mut row);
        series.values.extend_from_slice(&row);
        for _ in 0..self.horizon() {
            if self.finished(&state) {
                break;
            }
            self.step(&mut state);
            self.observe(&state, &mut row);
            series.values.extend_from_slice(&row);
        }
        let outcomes = self.outcomes(&state, &series);
        RunRecord { series, outcomes }
    }

    fn window_outcomes(&self, series: &Series, from: usize, to: usize) -> Option<Vec<Option<f64>>> {
        Model::window_outcomes(self, series, from, to)
    }
}
