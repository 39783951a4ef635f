//! The commands: each converts its arguments into library calls and prints the result.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use orgsim::chart::{self, PlotOptions, Theme};
use orgsim::engine::{self, RunPlan};
use orgsim::scenario::{self, BUNDLED, DEFAULT_RUN, Override};

use super::bar::Bar;
use super::{PlotArgs, RunArgs, ValidateArgs, table};

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
    let plan = RunPlan {
        seed,
        scenarios,
        threads: args.threads.map(usize::from),
        out_dir,
        command_line: std::env::args().collect(),
        window: args.window,
    };
    let headline: Vec<String> = plan.scenarios[0]
        .build_model()
        .outputs()
        .headline
        .iter()
        .map(|s| s.to_string())
        .collect();
    let bar = Bar::new(args.quiet);
    // Ctrl-C stops the run between batches; the partial files are removed.
    let _ = ctrlc::set_handler(|| {
        super::bar::CANCELLED.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    let report = engine::run(&plan, &bar)
        .with_context(|| format!("writing results to {}", plan.out_dir.display()))?;
    let charts = if args.no_charts {
        Vec::new()
    } else {
        let mut opts = PlotOptions::default();
        // Bare `orgsim` builds RunArgs::default(), whose list is empty: both formats.
        if !args.format.is_empty() {
            opts.formats = args.format.clone();
        }
        chart::plot_dir(&plan.out_dir, &opts)
            .with_context(|| format!("drawing charts in {}", plan.out_dir.display()))?
    };
    if !args.quiet {
        print_out(&format!(
            "{}{}{}\nWrote {} result files to {} in {:.1} s ({} threads, seed {}).\n{}",
            table::render_trajectories(&report.trajectories),
            table::render(&report.scenarios, &report.outcomes_window),
            table::render_comparisons(&report.comparisons, &headline),
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

pub fn schema() -> anyhow::Result<()> {
    print_out(&format!("{}\n", scenario::schema_json()))
}
