//! The commands: each converts its arguments into library calls and prints the result.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use orgsim::chart::{self, BandKind, PlotOptions, Theme};
use orgsim::engine::{self, RunPlan};
use orgsim::scenario::{self, BUNDLED, DEFAULT_RUN, Override};

use super::bar::Bar;
use super::{
    AnalyzeArgs, CalibrateArgs, MergeArgs, PlotArgs, RunArgs, SweepArgs, ValidateArgs, signals,
    table,
};

/// Prints to stdout; a closed pipe (`orgsim schema | head`) ends quietly.
fn print_out(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn parse_overrides(set: &[String]) -> anyhow::Result<Vec<Override>> {
    Ok(set
        .iter()
        .map(|s| Override::parse(s))
        .collect::<Result<_, _>>()?)
}

pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let mut overrides = parse_overrides(&args.set)?;
    // --replicates and --seed are overrides like any other, so they are validated and
    // recorded in the manifest's resolved scenarios.
    if let Some(n) = args.replicates {
        overrides.push(Override::from_flag(
            "replicates",
            n.into(),
            format!("--replicates {n}"),
        ));
    }
    if let Some(s) = args.seed {
        overrides.push(Override::from_flag("seed", s.into(), format!("--seed {s}")));
    }
    let specs: Vec<String> = if args.scenarios.is_empty() {
        DEFAULT_RUN.iter().map(|s| s.to_string()).collect()
    } else {
        args.scenarios.clone()
    };
    let loaded = scenario::load_all(&specs, &overrides)?;
    let mut scenarios: Vec<_> = loaded.into_iter().map(|l| l.scenario).collect();
    if args.no_uncertainty {
        for s in &mut scenarios {
            s.uncertainty.clear();
        }
    }
    for s in &scenarios {
        for w in s.warnings() {
            eprintln!("warning: {}: {w}", s.name);
        }
    }
    // Common random numbers: the first scenario's seed drives every scenario's replicates.
    // Record the seed actually used, so each resolved scenario in the manifest reruns exactly.
    let seed = scenarios[0].seed;
    for s in &mut scenarios[1..] {
        if s.seed != seed && !args.quiet {
            eprintln!(
                "note: scenario '{}' sets seed {}, but scenarios run together share the first \
                 one's seed ({seed}) so their replicates are paired; it runs with {seed}",
                s.name, s.seed
            );
        }
        s.seed = seed;
    }
    let out_dir = args.out.clone().unwrap_or_else(|| {
        let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
        PathBuf::from("results").join(names.join("-vs-").replace('/', "_"))
    });
    let charts = (!args.no_charts).then(|| {
        let mut opts = PlotOptions::default();
        // Bare `orgsim` builds RunArgs::default(), whose list is empty: both formats.
        if !args.format.is_empty() {
            opts.formats = args.format.clone();
        }
        opts.band = BandKind::parse(&args.band).unwrap_or_default();
        opts
    });
    let plan = RunPlan {
        seed,
        scenarios,
        threads: args.threads.map(usize::from),
        out_dir,
        command_line: std::env::args().collect(),
        window: args.window,
        charts,
    };
    let outputs = plan.scenarios[0].build_model().outputs();
    let headline: Vec<String> = outputs.headline.iter().map(|s| s.to_string()).collect();
    let bar = Bar::new(args.quiet);
    // A signal stops the run within a simulated week, leaving the directory as it was.
    signals::install(true);
    let report = engine::run(&plan, &bar)
        .with_context(|| format!("writing results to {}", plan.out_dir.display()))?;
    let charts = report.charts.clone();
    if !args.quiet {
        print_out(&format!(
            "{}{}{}\nWrote {} result files to {} in {:.1} s ({} threads, seed {}).\n{}",
            table::render_trajectories(&report.trajectories),
            table::render(
                &report.scenarios,
                &report.outcomes_window,
                &outputs.outcomes
            ),
            table::render_comparisons(
                &report.comparisons,
                &report.drivers,
                &headline,
                &outputs.outcomes
            ),
            report.files.len(),
            plan.out_dir.display(),
            report.wall_seconds,
            report.threads,
            plan.seed,
            charts_line(&charts),
        ))?;
    }
    Ok(())
}

/// "Charts: a.png, b.png, ..." naming the PNGs (or, without PNGs, the files) written.
fn charts_line(files: &[PathBuf]) -> String {
    if files.is_empty() {
        return String::new();
    }
    let pngs: Vec<String> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "png"))
        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let svg_too = files
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "svg"));
    if pngs.is_empty() {
        let names: Vec<String> = files
            .iter()
            .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        format!("Charts: {}.\n", names.join(", "))
    } else {
        format!(
            "Charts: {}{}.\n",
            pngs.join(", "),
            if svg_too { " (and .svg)" } else { "" }
        )
    }
}

pub fn plot(args: PlotArgs) -> anyhow::Result<()> {
    // The charts are written atomically and the directory is locked: a signal ends it at once.
    signals::install(false);
    let opts = PlotOptions {
        title: args.title,
        subtitle: args.subtitle,
        size: args.size,
        theme: Theme::parse(&args.theme).unwrap_or_default(),
        metric: args.metric,
        scenarios: args.scenarios,
        charts: args.charts,
        formats: args.format,
        out: args.out,
        band: BandKind::parse(&args.band).unwrap_or_default(),
    };
    let files = chart::plot_dir(&args.dir, &opts)
        .with_context(|| format!("drawing the charts of {}", args.dir.display()))?;
    if !args.quiet {
        let out = opts.out.as_deref().unwrap_or(&args.dir);
        print_out(&format!(
            "Wrote {} chart file{} to {}.\n{}",
            files.len(),
            if files.len() == 1 { "" } else { "s" },
            out.display(),
            charts_line(&files)
        ))?;
    }
    Ok(())
}

pub fn validate(args: ValidateArgs) -> anyhow::Result<()> {
    let overrides = parse_overrides(&args.set)?;
    let mut failed = 0;
    for file in &args.files {
        match scenario::load(file, &overrides) {
            Ok(l) => {
                for w in l.scenario.warnings() {
                    eprintln!("warning: {}: {w}", l.source);
                }
                print_out(&format!("ok: {} ({})\n", l.source, l.scenario.name))?
            }
            Err(e) => {
                failed += 1;
                eprintln!("{e}");
            }
        }
    }
    if failed > 0 {
        bail!(
            "{failed} of {} scenario(s) failed validation",
            args.files.len()
        );
    }
    Ok(())
}

pub fn scenarios() -> anyhow::Result<()> {
    let width = BUNDLED.iter().map(|b| b.name.len()).max().unwrap_or(0);
    let mut text = String::from(
        "Bundled scenarios (run one with `orgsim run NAME`; `orgsim show NAME > mine.json` \
         copies it to change it):\n\n",
    );
    for b in BUNDLED {
        let loaded = scenario::load(b.name, &[])
            .with_context(|| format!("bundled scenario {} is invalid", b.name))?;
        let default = if DEFAULT_RUN.contains(&b.name) {
            " [default]"
        } else {
            ""
        };
        text.push_str(&format!(
            "  {:<width$}  {}{default}\n",
            b.name, loaded.scenario.description
        ));
    }
    print_out(&text)
}

pub fn show(name: &str) -> anyhow::Result<()> {
    let bundled = scenario::find_bundled(name).with_context(|| {
        format!("'{name}' is not a bundled scenario (`orgsim scenarios` lists them)")
    })?;
    print_out(bundled.json)
}

pub fn params(json: bool, markdown: Option<&str>) -> anyhow::Result<()> {
    use orgsim::params;
    if let Some(group) = markdown {
        let table = params::markdown_table(group).with_context(|| {
            format!(
                "'{group}' is not a parameter group; groups: {}",
                params::groups().join(", ")
            )
        })?;
        return print_out(&table);
    }
    let all = params::declarations();
    if json {
        let text = serde_json::to_string_pretty(&all).expect("declarations serialize");
        return print_out(&format!("{text}\n"));
    }
    let rows: Vec<[String; 4]> = all
        .iter()
        .map(|d| {
            [
                d.path.clone(),
                d.default_text(),
                d.range_text(),
                d.unit.clone(),
            ]
        })
        .collect();
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    let mut out = format!(
        "{:w0$}  {:w1$}  {:w2$}  unit: meaning\n",
        "parameter", "default", "range"
    );
    for (d, r) in all.iter().zip(&rows) {
        out.push_str(&format!(
            "{:w0$}  {:w1$}  {:w2$}  {}: {}\n",
            r[0], r[1], r[2], r[3], d.title
        ));
    }
    print_out(&out)
}

pub fn schema() -> anyhow::Result<()> {
    print_out(&format!("{}\n", scenario::schema_json()))
}

/// The shard (index, count) from the flags, else from Slurm's or Kubernetes' environment,
/// else (0, 1); with where the index came from, for messages. A count is never 0 nor above
/// the limit, whatever its source; `--tasks N` (N > 1) needs an index from `--task` or the
/// environment, so a task cannot run shard 0 by mistake.
fn shard_of(args: &SweepArgs) -> anyhow::Result<(u64, u64, String)> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let num = |k: &str, v: String| -> anyhow::Result<u64> {
        v.trim()
            .parse()
            .with_context(|| format!("{k}={v} is not a whole number"))
    };
    let max = orgsim::sweep::limits::TASKS;
    let count = |from: &str, n: u64| -> anyhow::Result<u64> {
        if n == 0 || n > max {
            bail!("{from}={n}: the number of tasks must be from 1 to {max}");
        }
        Ok(n)
    };
    if let Some(i) = args.task {
        return Ok((i, args.tasks.unwrap_or(1), format!("--task {i}")));
    }
    if let Some(i) = env("SLURM_ARRAY_TASK_ID") {
        let from = format!("SLURM_ARRAY_TASK_ID={i}");
        let i = num("SLURM_ARRAY_TASK_ID", i)?;
        // --tasks wins: resubmitting some tasks (--array=3,7) changes Slurm's count.
        let n = match (args.tasks, env("SLURM_ARRAY_TASK_COUNT")) {
            (Some(n), _) => n,
            (None, Some(n)) => count("SLURM_ARRAY_TASK_COUNT", num("SLURM_ARRAY_TASK_COUNT", n)?)?,
            (None, None) => {
                bail!("SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT: pass --tasks N")
            }
        };
        return Ok((i, n, from));
    }
    if let Some(i) = env("JOB_COMPLETION_INDEX") {
        let Some(n) = args.tasks else {
            bail!(
                "JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): pass --tasks N, the Job's completions"
            );
        };
        return Ok((
            num("JOB_COMPLETION_INDEX", i.clone())?,
            n,
            format!("JOB_COMPLETION_INDEX={i}"),
        ));
    }
    match args.tasks {
        Some(n) if n > 1 => bail!(
            "--tasks {n} without --task: which shard should this process run? Pass --task I (0 to {}), or run it as a Slurm array task (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX)",
            n - 1
        ),
        _ => Ok((0, 1, "the default, --task 0".into())),
    }
}

pub fn sweep(args: SweepArgs) -> anyhow::Result<()> {
    let max = args.max_runs.unwrap_or(orgsim::sweep::DEFAULT_MAX_RUNS);
    let design = orgsim::sweep::read_sweep(&args.file, max)?;
    let (index, count, from) = shard_of(&args)?;
    if index >= count {
        bail!(
            "shard {index} (from {from}) is out of range: with {count} tasks, shards are 0 to {}; an array must be numbered from 0 (--array=0-{})",
            count - 1,
            count - 1
        );
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results/sweeps").join(&design.name));
    let plan = orgsim::sweep::SweepPlan {
        out: out.clone(),
        threads: args.threads.map(usize::from),
        shard: (index, count),
        repair: args.repair,
    };
    let bar = Bar::new(args.quiet);
    // A signal stops the sweep within a simulated week; what it committed is kept.
    signals::install(true);
    let report = orgsim::sweep::run_sweep(&design, &plan, &bar)?;
    if !args.quiet {
        let shard = if count > 1 {
            format!(" (shard {index} of {count}: {} runs)", report.shard_runs)
        } else {
            String::new()
        };
        let resumed = if report.resumed > 0 {
            format!("; {} were already done", report.resumed)
        } else {
            String::new()
        };
        let rate = report.ran as f64 / report.seconds.max(1e-9);
        let next = if report.finalized && report.ran == 0 {
            format!("Already finished: the results are in {}.\n", out.display())
        } else if report.finalized {
            let series = if design.file.keep.metrics.is_empty() {
                ""
            } else {
                ", series.csv"
            };
            let unit = if design.unit.is_some() {
                ", design.csv"
            } else {
                ""
            };
            format!(
                "Wrote runs.csv, points.csv{series}{unit} and manifest.json to {}; `orgsim analyze {}` analyses them.\n",
                out.display(),
                out.display()
            )
        } else {
            format!(
                "Shard finished in {}. When every shard is done: orgsim merge DIR... --out RESULTS\n",
                out.display()
            )
        };
        print_out(&format!(
            "Sweep `{}`: {} points x {} replicates = {} runs{shard}; ran {} in {:.1} s ({:.0} runs/s, {} threads){resumed}.\n{next}",
            design.name,
            design.points.len(),
            design.file.replicates,
            report.total_runs,
            report.ran,
            report.seconds,
            rate,
            report.threads,
        ))?;
    }
    Ok(())
}

pub fn merge(args: MergeArgs) -> anyhow::Result<()> {
    signals::install(false);
    let runs = orgsim::sweep::merge(&args.dirs, &args.out)?;
    print_out(&format!(
        "Merged {} shard directories ({runs} runs) into {}.\n",
        args.dirs.len(),
        args.out.display()
    ))
}

pub fn status(dirs: &[PathBuf]) -> anyhow::Result<()> {
    let mut text = String::new();
    let mut seen: Vec<(String, u64, u64)> = Vec::new();
    let mut unfinished = false;
    for d in dirs {
        let manifest = d.join("manifest.json");
        if manifest.is_file()
            && let Some(m) = orgsim::sweep::files::manifest::read(&manifest)?
        {
            text.push_str(&format!(
                "{}: sweep `{}` finished: {} runs\n",
                d.display(),
                if m.name.is_empty() { "?" } else { &m.name },
                m.total_runs
            ));
            continue;
        }
        let shards = orgsim::sweep::shards_in(d)?;
        if shards.is_empty() {
            unfinished = true;
            text.push_str(&format!("{}: no sweep here\n", d.display()));
        }
        for s in shards {
            let state = if let Some(damage) = &s.damage {
                unfinished = true;
                format!("DAMAGED: {damage}")
            } else if s.done >= s.runs && s.tail.is_none() {
                "done".to_string()
            } else {
                unfinished = true;
                let tail = s
                    .tail
                    .as_ref()
                    .map(|t| format!("; {t}"))
                    .unwrap_or_default();
                format!("{} runs missing{tail}", s.runs.saturating_sub(s.done))
            };
            text.push_str(&format!(
                "{}: sweep `{}` shard {} of {}: {} of {} runs ({state})\n",
                d.display(),
                s.name,
                s.shard.0,
                s.shard.1,
                s.done,
                s.runs
            ));
            seen.push((s.id.clone(), s.shard.0, s.shard.1));
        }
    }
    let mut incomplete = unfinished;
    if let Some((id, _, count)) = seen.first().cloned() {
        let present: Vec<u64> = seen
            .iter()
            .filter(|(sid, _, c)| *sid == id && *c == count)
            .map(|s| s.1)
            .collect();
        let (n, missing) = orgsim::sweep::missing_shards(&present, count);
        if n > 0 {
            incomplete = true;
            text.push_str(&format!(
                "Not in these directories: shard{} {missing} of {count}\n",
                if n == 1 { "" } else { "s" },
            ));
        }
    }
    print_out(&text)?;
    if incomplete {
        // For scripts: a non-zero exit while anything is missing or unfinished.
        bail!("the sweep is not complete in these directories");
    }
    Ok(())
}

pub fn analyze(args: AnalyzeArgs) -> anyhow::Result<()> {
    signals::install(false);
    // analyze writes sensitivity.csv into the sweep's directory, and charts there or to --out.
    let canonical = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or(p.to_path_buf());
    let _lock = match orgsim::output::DirLock::acquire(&args.dir, false) {
        Err(orgsim::output::DirError::Io { error, .. })
            if error.kind() == std::io::ErrorKind::NotFound =>
        {
            None // Left to analyze's own message about a missing directory.
        }
        other => Some(other?),
    };
    let _out_lock = match &args.out {
        Some(out) if canonical(out) != canonical(&args.dir) => {
            Some(orgsim::output::DirLock::acquire(out, true)?)
        }
        _ => None,
    };
    let opts = PlotOptions {
        formats: args.format,
        theme: Theme::parse(&args.theme).unwrap_or_default(),
        title: args.title,
        size: args.size,
        out: args.out,
        ..PlotOptions::default()
    };
    let report = orgsim::sweep::analyze(&args.dir, args.outcome.as_deref(), &opts)?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    let mut text = format!("{}\n", report.summary);
    for s in &report.skipped {
        text.push_str(&format!("left out: {s}\n"));
    }
    let names: Vec<String> = report
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    text.push_str(&format!("Wrote {}.\n", names.join(", ")));
    print_out(&text)
}

pub fn sweep_schema() -> anyhow::Result<()> {
    print_out(&orgsim::sweep::sweep_schema())
}

pub fn calibrate_schema() -> anyhow::Result<()> {
    print_out(&(orgsim::calibrate::schema_json() + "\n"))
}

pub fn calibrate(args: CalibrateArgs) -> anyhow::Result<()> {
    let cal = orgsim::calibrate::read(&args.file)?;
    let out_dir = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("results")
            .join("calibrations")
            .join(cal.name.replace('/', "_"))
    });
    let threads = args.threads.map(usize::from).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    // Locked before the fit, so a second calibration into the same directory stops at once.
    let mut lock = orgsim::output::DirLock::acquire(&out_dir, true)
        .with_context(|| format!("writing the calibration to {}", out_dir.display()))?;
    let bar = Bar::new(args.quiet);
    signals::install(true);
    let started = std::time::Instant::now();
    let fit = orgsim::calibrate::fit(&cal, Some(threads), &bar)?;
    let summary = orgsim::calibrate::summarize(&cal, &fit);
    let command_line: Vec<String> = std::env::args().collect();
    let files = orgsim::calibrate::write(
        &mut lock,
        &cal,
        &fit,
        &summary,
        &command_line,
        threads,
        !args.no_charts,
    )
    .with_context(|| format!("writing the calibration to {}", out_dir.display()))?;
    if !args.quiet {
        print_out(&format!(
            "{}\nWrote {} files to {} in {:.1} s ({} threads, seed {}). Run the calibrated firm with:\n  orgsim run {}\n",
            orgsim::calibrate::verdict(&cal, &fit, &summary),
            files.len(),
            out_dir.display(),
            started.elapsed().as_secs_f64(),
            threads,
            cal.spec.seed,
            out_dir.join("calibrated.json").display()
        ))?;
    }
    Ok(())
}
