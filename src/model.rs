//! The interface every model implements (state, step, observe), and the loop that drives one run.
//!
//! A model is configuration plus machinery: [`Model::init`] builds the state of one run from its
//! seed, [`Model::step`] advances it by one step, [`Model::observe`] writes the per-step output
//! row, and [`Model::outcomes`] reduces a finished run to its run-level outcomes. The engine only
//! sees [`Simulate`], the object-safe form, so adding a model adds files, not engine branches.
//! A run polls a [`Stop`] once per step, so a request to stop takes effect within a step.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A request to stop runs early (Ctrl-C, SIGTERM), shared by everything that polls it.
///
/// Runs poll it once per step (a relaxed atomic load), not per agent, so the hot loops stay
/// as they are and a stop still takes effect within a step; the default never stops.
#[derive(Clone, Debug, Default)]
pub struct Stop(Option<Arc<AtomicBool>>);

impl Stop {
    /// A stop that is never requested.
    pub fn never() -> Stop {
        Stop(None)
    }

    /// A stop that can be requested with [`Stop::request`].
    pub fn new() -> Stop {
        Stop(Some(Arc::new(AtomicBool::new(false))))
    }

    /// Asks every holder to stop. Returns whether a stop had already been requested.
    pub fn request(&self) -> bool {
        self.0
            .as_ref()
            .is_some_and(|f| f.swap(true, Ordering::Relaxed))
    }

    /// Whether a stop was requested.
    #[inline]
    pub fn requested(&self) -> bool {
        self.0.as_ref().is_some_and(|f| f.load(Ordering::Relaxed))
    }
}

/// What one output value is, which decides how it is written and aggregated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A whole number (people, levels, events, periods). Per-step counts are written without
    /// a decimal point; run-level outcomes are all written as reals (`runs.csv`).
    Count,
    /// A real number: always written with a decimal point, so each column reads back as one
    /// type.
    Real,
    /// A fraction of a population, 0 to 1 (charts show it as a percentage).
    Share,
    /// A category: the value is an index into `labels` and is written as its label;
    /// `titles` are the labels as a reader sees them (same order).
    Label {
        /// The labels, as written in the files.
        labels: &'static [&'static str],
        /// The labels as charts and docs show them.
        titles: &'static [&'static str],
    },
}

impl Kind {
    /// The kind's name in `manifest.json`.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Count => "count",
            Kind::Real => "real",
            Kind::Share => "share",
            Kind::Label { .. } => "label",
        }
    }
}

/// One output column, declared once by its model: what files, `manifest.json`, the docs and
/// the charts say about it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Column {
    /// The column's name in the files.
    pub name: &'static str,
    /// A short title (chart panels, tables).
    pub title: &'static str,
    /// The unit, short (`employees`, `0\u{2013}1`, `per year`); empty where the title says it.
    pub unit: &'static str,
    /// The value axis's label: the quantity with its unit.
    pub axis: &'static str,
    /// What the value is.
    pub kind: Kind,
    /// The smallest and largest possible values, where bounded.
    pub range: (Option<f64>, Option<f64>),
    /// The definition (Markdown; the ODD's output tables are generated from it).
    pub description: &'static str,
    /// For a run-level outcome, what its mean across runs is, in words ("mean of run
    /// peaks"), so that one word never names two numbers: the summary table prints it.
    /// Empty for per-step columns (their mean across runs is the mean curve, `bands.csv`).
    pub mean_title: &'static str,
}

impl Column {
    /// How replicates are combined: per-step columns in `bands.csv`, outcomes in
    /// `comparison.csv` and `summary.json`.
    pub fn aggregate(&self) -> &'static str {
        match self.kind {
            Kind::Label { .. } => "share of replicates with each label (bands.csv: phase=NAME)",
            _ => "mean over replicates with a t-based 95% CI; undefined values left out",
        }
    }

    /// The title with its unit, as a comparison chart labels an outcome.
    pub fn label(&self) -> String {
        if self.unit.is_empty() {
            self.title.to_string()
        } else {
            format!("{} ({})", self.title, self.unit)
        }
    }

    /// The declaration as written into `manifest.json`'s `columns` section
    /// ([`crate::output::DeclaredColumn`]).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(crate::output::DeclaredColumn::from(self))
            .expect("a declaration serializes")
    }
}

/// A declared column beside the function that computes it from a model's view `value` of a
/// step or a run (Mesa's `model_reporters`, Agents.jl's `mdata`): the row is filled by walking
/// the list, so no value can land in another column's place.
#[derive(Clone, Copy, Debug)]
pub struct Reporter<F> {
    /// The declaration.
    pub column: Column,
    /// Computes the value.
    pub value: F,
}

/// The position of the column named `name` in `columns`, at compile time where used in a
/// `const` (a missing name then fails the build).
pub const fn position<F>(columns: &[Reporter<F>], name: &str) -> usize {
    let mut i = 0;
    while i < columns.len() {
        let a = columns[i].column.name.as_bytes();
        let b = name.as_bytes();
        if a.len() == b.len() {
            let mut k = 0;
            while k < a.len() && a[k] == b[k] {
                k += 1;
            }
            if k == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("no such column")
}

/// The declarations of a list of reporters.
pub fn columns<F>(reporters: &[Reporter<F>]) -> Vec<Column> {
    reporters.iter().map(|r| r.column).collect()
}

/// A Markdown table of `columns` (name, kind, unit, definition): the ODD's output tables are
/// this text, between `<!-- generated: outputs-MODEL -->` markers (`scripts/docs-figures`
/// writes them from a run's `manifest.json`; a test checks them against the declarations).
pub fn markdown_table(columns: &[Column]) -> String {
    let mut t = String::from("| column | kind | unit | definition |\n|---|---|---|---|\n");
    for c in columns {
        t.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            c.name,
            c.kind.name(),
            c.unit,
            c.description
        ));
    }
    t
}

/// Describes a model's outputs: the declarations of its per-step and run-level results.
#[derive(Clone, Debug, PartialEq)]
pub struct Outputs {
    /// Per-step columns, in order (after `scenario,replicate,seed,step` and `year`).
    pub series: Vec<Column>,
    /// Run-level outcomes, in order.
    pub outcomes: Vec<Column>,
    /// Steps per calendar year, for models that keep calendar time (`year` column); `None`
    /// for models whose steps are abstract periods.
    pub steps_per_year: Option<f64>,
    /// The outcomes a comparison table shows first (a subset of `outcomes`).
    pub headline: &'static [&'static str],
    /// Per-step columns the summary's trajectory shows (a subset of `series`; categorical
    /// ones show their most frequent label).
    pub trajectory: &'static [&'static str],
    /// The per-step column whose mean curve's peak the summary reports beside the
    /// trajectory (the peak a chart marks), if any.
    pub curve_peak: Option<&'static str>,
}

impl Outputs {
    /// The per-step columns' names, in order.
    pub fn series_names(&self) -> Vec<&'static str> {
        self.series.iter().map(|c| c.name).collect()
    }

    /// The outcomes' names, in order.
    pub fn outcome_names(&self) -> Vec<&'static str> {
        self.outcomes.iter().map(|c| c.name).collect()
    }

    /// For each series column, whether it holds counts (written without a decimal point).
    pub fn is_count(&self) -> Vec<bool> {
        self.series.iter().map(|c| c.kind == Kind::Count).collect()
    }

    /// For each series column, its labels if it is categorical.
    pub fn labels(&self) -> Vec<Option<&'static [&'static str]>> {
        self.series
            .iter()
            .map(|c| match c.kind {
                Kind::Label { labels, .. } => Some(labels),
                _ => None,
            })
            .collect()
    }

    /// The `columns` section of `manifest.json` ([`crate::output::ColumnsSection`]).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(crate::output::ColumnsSection::from(self))
            .expect("a declaration serializes")
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

    /// [`Model::init`], abandoned (`None`) if `stop` is requested while it runs. Models whose
    /// initial state can take more than a moment to build (a large organization) poll `stop`
    /// while building it.
    fn init_until(&self, seed: u64, _stop: &Stop) -> Option<Self::State> {
        Some(self.init(seed))
    }

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

    /// Whether building a run (`state` is `None`) or its next step from `state` shares its
    /// work among the pool's threads (a large organization), so that a two-thread pool's other
    /// thread is kept polling through it ([`crate::runner::partner::with_partner`]) rather than
    /// left to fall asleep in its one-thread parts. False by default.
    fn shares_work(&self, _state: Option<&Self::State>) -> bool {
        false
    }

    /// Disposes of a finished run's state (once its outcomes are taken). Dropped here by
    /// default; a model whose state can be large may hand it to [`free_in_background`].
    fn dispose(&self, state: Self::State) {
        drop(state);
    }

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

/// Frees `value` on a thread of its own. A stopped run hands its state here: freeing the
/// million small allocations of a large organization takes most of a second, which a stop
/// should not wait for (and a process that exits after the stop never does). So does a large
/// finished run (see [`Model::dispose`]): its results are written while its state is freed.
pub fn free_in_background<T: Send + 'static>(value: T) {
    // Without a thread to be had, the value is dropped here, with the closure.
    let _ = std::thread::Builder::new()
        .name("orgsim-free".into())
        .spawn(move || drop(value));
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
    /// Runs one replicate to its end, or abandons it (`None`) within a step of `stop` being
    /// requested.
    fn simulate_until(&self, seed: u64, stop: &Stop) -> Option<RunRecord>;
    /// Outcomes of a finished run over steps `from..=to` (see [`Model::window_outcomes`]).
    fn window_outcomes(&self, series: &Series, from: usize, to: usize) -> Option<Vec<Option<f64>>>;
}

impl<M: Model> Simulate for M
where
    M::State: Send + 'static,
{
    fn outputs(&self) -> Outputs {
        Model::outputs(self)
    }

    fn simulate(&self, seed: u64) -> RunRecord {
        self.simulate_until(seed, &Stop::never())
            .expect("a run that is never stopped finishes")
    }

    fn simulate_until(&self, seed: u64, stop: &Stop) -> Option<RunRecord> {
        run_until(self, seed, stop)
    }

    fn window_outcomes(&self, series: &Series, from: usize, to: usize) -> Option<Vec<Option<f64>>> {
        Model::window_outcomes(self, series, from, to)
    }
}

/// `f`, with the pool's other thread kept at hand ([`crate::runner::partner::with_partner`])
/// if `shares` says the work is shared.
fn partnered<R: Send>(shares: bool, f: impl FnOnce() -> R + Send) -> R {
    if shares {
        crate::runner::partner::with_partner(f)
    } else {
        f()
    }
}

/// One replicate of `model` to its end, or abandoned (`None`) within a step of `stop`.
fn run_until<M: Model>(model: &M, seed: u64, stop: &Stop) -> Option<RunRecord>
where
    M::State: Send + 'static,
{
    let columns = Model::outputs(model).series.len();
    let mut state = partnered(model.shares_work(None), || model.init_until(seed, stop))?;
    let mut series = Series {
        columns,
        values: Vec::new(),
    };
    let mut row = vec![0.0; columns];
    model.observe(&state, &mut row);
    series.values.extend_from_slice(&row);
    for _ in 0..model.horizon() {
        if model.finished(&state) {
            break;
        }
        if stop.requested() {
            free_in_background(state);
            return None;
        }
        partnered(model.shares_work(Some(&state)), || {
            model.step(&mut state);
            model.observe(&state, &mut row);
        });
        series.values.extend_from_slice(&row);
    }
    let outcomes = model.outcomes(&state, &series);
    model.dispose(state);
    Some(RunRecord { series, outcomes })
}
