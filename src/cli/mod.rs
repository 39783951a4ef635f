//! The command line: argument definitions and dispatch. Everything here converts arguments
//! into library calls; no simulation logic lives in this layer.

mod bar;
mod commands;
mod serve;
mod signals;
mod table;

pub use signals::{EXIT_INTERRUPTED, interrupted};

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use orgsim::chart;

/// Parses the command line and runs the chosen command.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // With no command, orgsim runs the bundled default, as `orgsim run` does.
    match cli.command.unwrap_or(Command::Run(RunArgs::default())) {
        Command::Run(args) => commands::run(args),
        Command::Validate(args) => commands::validate(args),
        Command::Scenarios => commands::scenarios(),
        Command::Show { name } => commands::show(&name),
        Command::Schema => commands::schema(),
        Command::Params { json, markdown } => commands::params(json, markdown.as_deref()),
        Command::SweepSchema => commands::sweep_schema(),
        Command::Plot(args) => commands::plot(args),
        Command::Sweep(args) => commands::sweep(args),
        Command::Merge(args) => commands::merge(args),
        Command::Status { dirs } => commands::status(&dirs),
        Command::Analyze(args) => commands::analyze(args),
        Command::Calibrate(args) => commands::calibrate(args),
        Command::CalibrateSchema => commands::calibrate_schema(),
        Command::Serve(args) => serve::serve(args),
    }
}

/// orgsim simulates how an organization's capacity to innovate rises and falls as it grows,
/// and what a dual operating system (a volunteer leadership network beside the hierarchy)
/// would do to that curve. Run without a command, it runs the bundled default scenario(s)
/// and writes the results under results/.
#[derive(Debug, Parser)]
#[command(name = "orgsim", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run scenarios and write their results (time series, run outcomes, bands, summary) and
    /// charts.
    ///
    /// Each SCENARIO is a scenario file or the name of a bundled scenario (see `orgsim
    /// scenarios`). With no SCENARIO, the bundled default runs. Scenarios run together share
    /// their replicate seeds (common random numbers), so their results are paired.
    Run(RunArgs),
    /// Check scenario files without running them: every value out of its range is reported;
    /// a file that is not valid JSON or has a misspelt key stops at that first problem.
    Validate(ValidateArgs),
    /// List the bundled scenarios with their descriptions.
    Scenarios,
    /// Print a bundled scenario's file, to copy and change: `orgsim show baseline > mine.json`.
    Show {
        /// The bundled scenario's name (see `orgsim scenarios`).
        name: String,
    },
    /// Print the JSON Schema of the scenario format, for editors that validate and complete
    /// scenario files.
    Schema,
    /// List every parameter a scenario can set, declared once in the code: its JSON path,
    /// default, allowed range, unit and meaning (the same declarations give the schema's
    /// bounds, the checks of `validate` and the ODD's parameter tables).
    Params {
        /// Print the declarations as JSON: path, group, name, title, meaning, source, unit,
        /// default, min, max, integer.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print one group's table as docs/ODD.md holds it (a section such as `organization`,
        /// or an intervention kind such as `task_force`).
        #[arg(long, value_name = "GROUP")]
        markdown: Option<String>,
    },
    /// Redraw the charts of a results directory, without re-simulating: with a new title,
    /// size, theme, subset of scenarios, or one metric.
    ///
    /// Charts: innovation_capacity, innovation_capacity_per_100, two_systems, dashboard
    /// (life-cycle results), knowledge (March results), comparison (several scenarios). They
    /// are drawn from the directory's manifest.json, bands.csv and comparison.csv.
    Plot(PlotArgs),
    /// Run a parameter sweep: every (point, replicate) of a sweep file, in parallel, streamed
    /// to disk. Killed and rerun with the same command, it resumes where it stopped; a journal
    /// changed after it was written is refused, naming the line (--repair redoes from there).
    ///
    /// Writes runs.csv (one row per run), points.csv (each point's outcomes: mean, sd, 95%
    /// CI), series.csv (kept per-step metrics, long form), design.csv (sampled designs) and
    /// manifest.json; files are byte-identical for any number of threads or shards. On a
    /// cluster, each task runs one shard (--tasks N --task I, or Slurm's
    /// SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or Kubernetes' JOB_COMPLETION_INDEX with
    /// --tasks), and `orgsim merge` joins the shards. See docs/cluster.md.
    Sweep(SweepArgs),
    /// Join the shard directories of one sweep into the final files (byte-identical to an
    /// unsharded run); refuses missing, duplicated, unfinished, damaged or foreign shards.
    Merge(MergeArgs),
    /// List what each sweep directory holds: finished, or each shard's runs done and missing,
    /// and any damage to its journal.
    Status {
        /// Sweep output or shard directories.
        #[arg(value_name = "DIR", required = true)]
        dirs: Vec<PathBuf>,
    },
    /// Sensitivity analysis of a finished sweep: Sobol first-order and total indices with
    /// bootstrap intervals (sobol designs), Morris mu* and sigma (morris designs),
    /// standardized regression coefficients (random, lhs), or the outcome across a grid's
    /// axes (grid designs). Writes sensitivity.csv and charts, and warns (console and the
    /// `warning` column) where an estimate cannot be trusted.
    Analyze(AnalyzeArgs),
    /// Print the JSON Schema of the sweep file format.
    SweepSchema,
    /// Fit a scenario's free parameters to what you observed of a firm (headcount, attrition,
    /// engagement, ...), by approximate Bayesian computation (sequential Monte Carlo) on all
    /// cores.
    ///
    /// FILE names a base scenario, the observations (metric, year, value, sd) and the
    /// parameters to fit with their prior ranges (`orgsim calibrate-schema` prints its
    /// schema). Writes posterior.csv (the weighted posterior draws), parameters.csv (each
    /// parameter's posterior against its prior), fit.csv (each observation against the
    /// simulations), calibrated.json (the base with the posterior as its `uncertainty`, for
    /// `orgsim run`), calibration.png/.svg and manifest.json, and prints a verdict on the
    /// fit and on which parameters the observations pinned down. The same file and seed give
    /// the same posterior on any number of threads.
    Calibrate(CalibrateArgs),
    /// Print the JSON Schema of the calibration file format.
    CalibrateSchema,
    /// Serve the live what-if page: pick a scenario, move its parameters and interventions,
    /// watch the curves move, pin and compare runs on the same seeds, tell the life-cycle
    /// story step by step, and export the what-if (scenario file, CSV, PNG/SVG, HTML).
    Serve(serve::ServeArgs),
}

#[derive(Debug, Args)]
struct CalibrateArgs {
    /// The calibration file (JSON).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The directory to write into, replaced as a whole when the fit finishes. Default:
    /// results/calibrations/NAME.
    #[arg(long, short, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Worker threads. The posterior is identical for any number. Default: one per core.
    #[arg(long, short = 'j', value_name = "T", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,

    /// Write no chart.
    #[arg(long)]
    no_charts: bool,

    /// Print nothing but errors: no progress bar and no verdict.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Default, Args)]
struct RunArgs {
    /// Scenario files or bundled scenario names. With none, the bundled default runs.
    #[arg(value_name = "SCENARIO")]
    scenarios: Vec<String>,

    /// The directory to write results into. It is created if missing, and replaced as a whole
    /// by this run's files and charts when the run finishes (refused if it holds files that
    /// are not an orgsim run's output). Default: results/NAME, where NAME is the scenario's
    /// name, or the names joined by "-vs-" when several scenarios run.
    #[arg(long, short, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Run this many replicates of every scenario, instead of each scenario's own
    /// `replicates`.
    #[arg(long, short = 'n', value_name = "N")]
    replicates: Option<u32>,

    /// The seed that every scenario's replicate seeds derive from, instead of the first
    /// scenario's `seed`. The same seed gives byte-identical results.
    #[arg(long, value_name = "S")]
    seed: Option<u64>,

    /// The number of worker threads. Results are identical for any number. Default: one per
    /// core.
    #[arg(long, short = 'j', value_name = "T", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,

    /// Override any scenario field by its JSON path, in every scenario of this run, for
    /// example `--set march.p1=0.9` or `--set name=fast`. VALUE is read as JSON when it
    /// parses as JSON and as text otherwise. Repeat the flag to set several fields. A field
    /// the scenario declares uncertain is pinned at the value set (no longer drawn).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,

    /// Restrict the run-level outcomes to the years FROM:TO since founding (for example
    /// `--window 10:20` for the ten years after a year-10 intervention), so they can be quoted
    /// directly. Comparisons are then made over that window too.
    #[arg(long, value_name = "FROM:TO", value_parser = parse_window)]
    window: Option<(f64, f64)>,

    /// The chart formats to write, comma-separated: png, svg or both.
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_format, default_value = "png,svg")]
    format: Vec<chart::Format>,

    /// Write no charts (they can be drawn later with `orgsim plot DIR`).
    #[arg(long)]
    no_charts: bool,

    /// The band drawn around each mean curve on the time charts: ci, the 95% confidence
    /// interval of the mean (how well the replicates pin the mean down; it narrows as
    /// replicates grow), or pi, where 80% of runs fall (the 10th to 90th percentile across
    /// replicates, week by week; it does not narrow).
    #[arg(long, value_parser = ["ci", "pi"], default_value = "ci")]
    band: String,

    /// Draw nothing from the scenarios' `uncertainty` sections: every replicate runs the
    /// values written in the parameter sections (the manifest records the scenarios without
    /// their `uncertainty`).
    #[arg(long)]
    no_uncertainty: bool,

    /// Print nothing but errors: no progress bar and no summary table.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct PlotArgs {
    /// A directory written by `orgsim run`.
    #[arg(value_name = "DIR")]
    dir: PathBuf,

    /// The title of every chart drawn (best with --chart or --metric).
    #[arg(long)]
    title: Option<String>,

    /// The subtitle of every chart drawn.
    #[arg(long)]
    subtitle: Option<String>,

    /// Width and height in pixels. Text scales with the size; 1600x900 is the design size.
    #[arg(long, value_name = "WxH", value_parser = chart::parse_size, default_value = "1600x900")]
    size: (u32, u32),

    /// Colours: light (lit rooms, documents), dark (dark slide decks), print (greyscale).
    #[arg(long, value_parser = ["light", "dark", "print"], default_value = "light")]
    theme: String,

    /// The band drawn around each mean curve on the time charts: ci, the 95% confidence
    /// interval of the mean (how well the replicates pin the mean down; it narrows as
    /// replicates grow), or pi, where 80% of runs fall (the 10th to 90th percentile across
    /// replicates, week by week; it does not narrow).
    #[arg(long, value_parser = ["ci", "pi"], default_value = "ci")]
    band: String,

    /// Draw one metric of bands.csv over time (for example headcount or engagement) into
    /// METRIC.png/.svg, instead of the standard charts.
    #[arg(long, value_name = "METRIC")]
    metric: Option<String>,

    /// Draw only these scenarios, comma-separated, in this order (the first is the reference
    /// of the comparison chart and the phases shown).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    scenarios: Option<Vec<String>>,

    /// Draw only these charts, comma-separated: innovation_capacity,
    /// innovation_capacity_per_100, two_systems, dashboard, comparison, knowledge.
    #[arg(
        long = "chart",
        value_name = "LIST",
        value_delimiter = ',',
        conflicts_with = "metric"
    )]
    charts: Option<Vec<String>>,

    /// The chart formats to write, comma-separated: png, svg or both.
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_format, default_value = "png,svg")]
    format: Vec<chart::Format>,

    /// Write the charts here instead of into DIR.
    #[arg(long, short, value_name = "OUT")]
    out: Option<PathBuf>,

    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct SweepArgs {
    /// The sweep file (JSON; `orgsim sweep-schema` prints its schema).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The directory to write into (created if missing). Default: results/sweeps/NAME.
    #[arg(long, short, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Worker threads. Results are identical for any number. Default: one per core.
    #[arg(long, short = 'j', value_name = "T", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,

    /// Split the sweep into N shards (one per cluster task), 1 to 1,000,000; with --task, or
    /// the task's index from Slurm or Kubernetes.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=orgsim::sweep::limits::TASKS))]
    tasks: Option<u64>,

    /// Run shard I (0 to N-1) of --tasks N.
    #[arg(long, value_name = "I", requires = "tasks")]
    task: Option<u64>,

    /// Allow a design of up to this many runs (default 2,000,000).
    #[arg(long, value_name = "RUNS")]
    max_runs: Option<u64>,

    /// Resume past damage in the middle of this shard's journal (which is refused without
    /// it): keep the intact runs before the damage and redo the rest.
    #[arg(long)]
    repair: bool,

    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct MergeArgs {
    /// The shard directories (in any order).
    #[arg(value_name = "DIR", required = true)]
    dirs: Vec<PathBuf>,

    /// Where to write the merged results.
    #[arg(long, short, value_name = "DIR")]
    out: PathBuf,
}

#[derive(Debug, Args)]
struct AnalyzeArgs {
    /// A finished sweep's directory.
    #[arg(value_name = "DIR")]
    dir: PathBuf,

    /// The outcome to chart (all are in sensitivity.csv). Default: the sweep file's `outcome`,
    /// else capacity summed over the run (capacity_auc) for life-cycle sweeps, equilibrium
    /// knowledge for March sweeps.
    #[arg(long, value_name = "NAME")]
    outcome: Option<String>,

    /// Chart formats, comma-separated: png, svg or both.
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_format, default_value = "png,svg")]
    format: Vec<chart::Format>,

    /// Chart colours: light, dark or print.
    #[arg(long, value_parser = ["light", "dark", "print"], default_value = "light")]
    theme: String,

    /// The charts' title.
    #[arg(long)]
    title: Option<String>,

    /// Chart width and height in pixels.
    #[arg(long, value_name = "WxH", value_parser = chart::parse_size, default_value = "1600x900")]
    size: (u32, u32),

    /// Write the charts here instead of into DIR (sensitivity.csv stays in DIR).
    #[arg(long, short, value_name = "OUT")]
    out: Option<PathBuf>,
}

fn parse_format(text: &str) -> Result<chart::Format, String> {
    chart::Format::parse(text)
        .ok_or_else(|| format!("'{text}' is not a chart format: use png or svg"))
}

fn parse_window(text: &str) -> Result<(f64, f64), String> {
    let bad = || format!("'{text}' is not FROM:TO in years, for example 10:20");
    let (a, b) = text.split_once(':').ok_or_else(bad)?;
    let (a, b): (f64, f64) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if !(a.is_finite() && b.is_finite()) || a < 0.0 || b <= a {
        return Err(format!(
            "'{text}': FROM must be at least 0 and TO after FROM"
        ));
    }
    Ok((a, b))
}

#[derive(Debug, Args)]
struct ValidateArgs {
    /// Scenario files (or bundled scenario names) to check.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,

    /// Check the files as they would be after these overrides (see `orgsim run --help`).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
