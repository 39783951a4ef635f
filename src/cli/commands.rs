//! The commands: each converts its arguments into library calls and prints the result.

use std::path::PathBuf;

use anyhow::{Context, bail};
use orgsim::engine::{self, RunPlan};
use orgsim::scenario::{self, BUNDLED, DEFAULT_RUN, Override};

use super::bar::Bar;
use super::{RunArgs, ValidateArgs, table};

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
    let scenarios: Vec<_> = loaded.into_iter().map(|l| l.scenario).collect();
    let out_dir = args.out.clone().unwrap_or_else(|| {
        let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
        PathBuf::from("results").join(names.join("-vs-").replace('/', "_"))
    });
    let plan = RunPlan {
        seed: scenarios[0].seed,
        scenarios,
        threads: args.threads.map(usize::from),
        out_dir,
        command_line: std::env::args().collect(),
    };
    let bar = Bar::new(args.quiet);
    let report = engine::run(&plan, &bar)
        .with_context(|| format!("writing results to {}", plan.out_dir.display()))?;
    if !args.quiet {
        print!("{}", table::render(&report.scenarios));
        println!(
            "\nWrote {} files to {} in {:.1} s ({} threads, seed {}).",
            report.files.len(),
            plan.out_dir.display(),
            report.wall_seconds,
            report.threads,
            plan.seed
        );
    }
    Ok(())
}

pub fn validate(args: ValidateArgs) -> anyhow::Result<()> {
    let overrides = parse_overrides(&args.set)?;
    let mut failed = 0;
    for file in &args.files {
        match scenario::load(file, &overrides) {
            Ok(l) => println!("ok: {} ({})", l.source, l.scenario.name),
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
    println!(
        "Bundled scenarios (run one with `orgsim run NAME`; copy it from scenarios/NAME.json to change it):\n"
    );
    for b in BUNDLED {
        let loaded = scenario::load(b.name, &[])
            .with_context(|| format!("bundled scenario {} is invalid", b.name))?;
        let default = if DEFAULT_RUN.contains(&b.name) {
            " [default]"
        } else {
            ""
        };
        println!(
            "  {:<width$}  {}{default}",
            b.name, loaded.scenario.description
        );
    }
    Ok(())
}

pub fn schema() -> anyhow::Result<()> {
    println!("{}", scenario::schema_json());
    Ok(())
}
