//! A sweep's final files, built by streaming its journals in run order: byte-identical
//! whatever the number of threads, chunks, interruptions or shards.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::SweepError;
use super::exec::io_err;
use super::files::manifest::SweepManifest;
use super::files::{design, points, runs, series, shard, value_text};
use super::journal::{JournalReader, journal_file};
use super::spec::{Design, DesignKind};
use crate::output::{AtomicFile, ColumnsSection};
use crate::stats::Welford;

/// What the final files need to know about the sweep, from the design or a shard file.
#[derive(Clone, Debug)]
pub struct SweepMeta {
    id: String,
    name: String,
    sweep: Value,
    design: DesignKind,
    base: Value,
    paths: Vec<String>,
    points: Vec<Vec<Value>>,
    unit: Option<Vec<Vec<f64>>>,
    replicates: u64,
    /// The columns of `runs.csv` and `points.csv`'s outcomes: the model's outcomes, or with a
    /// reference their differences (`<outcome>_diff`) then the reference's values
    /// (`<outcome>_ref`).
    outcomes: Vec<String>,
    /// The `reference`, as the sweep file spells it.
    reference: Option<String>,
    /// The `window` in years.
    window: Option<(f64, f64)>,
    kept: Vec<String>,
    steps_per_year: Option<f64>,
    /// The model's column declarations (`manifest.json`'s `columns`).
    columns: ColumnsSection,
}

/// The final files' view of `design`, whose identity is `id`.
pub(super) fn design_meta(design: &Design, id: &str) -> SweepMeta {
    let outputs = design.scenarios[0].build_model().outputs();
    SweepMeta {
        id: id.to_string(),
        name: design.name.clone(),
        sweep: serde_json::to_value(&design.file).unwrap_or(Value::Null),
        design: design.file.design,
        base: design.base_json.clone(),
        paths: design.paths.clone(),
        points: design.points.clone(),
        unit: design.unit.clone(),
        replicates: design.file.replicates,
        outcomes: outcome_columns(
            &outputs
                .outcomes
                .iter()
                .map(|s| s.name.to_string())
                .collect::<Vec<_>>(),
            design.file.reference.is_some(),
        ),
        reference: design.file.reference.clone(),
        window: design.file.window.map(|w| (w.from, w.to)),
        kept: design.file.keep.metrics.clone(),
        columns: ColumnsSection::from(&outputs),
        steps_per_year: outputs.steps_per_year,
    }
}

/// The outcome columns of a sweep's files: the model's `outcomes`, or with a reference each
/// one's paired difference (`<outcome>_diff`, the run minus its reference) and then the
/// reference's own value (`<outcome>_ref`).
pub(super) fn outcome_columns(outcomes: &[String], reference: bool) -> Vec<String> {
    if !reference {
        return outcomes.to_vec();
    }
    let diff = outcomes.iter().map(|o| format!("{o}{DIFF}"));
    diff.chain(outcomes.iter().map(|o| format!("{o}{REF}")))
        .collect()
}

/// The suffix of a paired difference's column.
pub(super) const DIFF: &str = "_diff";
/// The suffix of a reference's own value's column.
pub(super) const REF: &str = "_ref";

/// A journaled run's values in the files' outcome columns: as journaled, or with a
/// reference (the point's outcomes then its reference's) each difference, then the
/// reference's values. A difference is empty where either side is.
fn columns_of(values: Vec<Option<f64>>, reference: bool) -> Vec<Option<f64>> {
    if !reference {
        return values;
    }
    let n = values.len() / 2;
    let (own, reference) = values.split_at(n);
    own.iter()
        .zip(reference)
        .map(|(a, b)| a.zip(*b).map(|(a, b)| a - b))
        .chain(reference.iter().copied())
        .collect()
}

/// Writes `runs.csv`, `points.csv`, `series.csv` (when metrics are kept), `design.csv` (for
/// sampled designs) and `manifest.json` from the journals of `dirs` (shard i in `dirs[i]`),
/// then removes the journals and shard files of `out`. Each run's numbers go from its
/// journal lines to the files as `f64`s; each point's statistics are updated run by run
/// (Welford), so memory does not grow with the replicates.
pub(super) fn finalize(meta: SweepMeta, dirs: &[PathBuf], out: &Path) -> Result<(), SweepError> {
    let count = dirs.len() as u64;
    let mut readers: Vec<JournalReader> = dirs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            JournalReader::open(
                &journal_file(d, i as u64, count),
                &meta.id,
                (i as u64, count),
            )
        })
        .collect::<Result<_, _>>()?;
    let runs_path = out.join("runs.csv");
    let points_path = out.join("points.csv");
    let series_path = out.join("series.csv");
    let create = |p: &Path| AtomicFile::create(p).map_err(|e| io_err(p, e));
    let mut runs_file = BufWriter::new(create(&runs_path)?);
    let mut points_file = BufWriter::new(create(&points_path)?);
    let mut series_file = if meta.kept.is_empty() {
        None
    } else {
        Some(BufWriter::new(create(&series_path)?))
    };
    let w = |e: std::io::Error| io_err(out, e);
    runs_file
        .write_all(runs::header(&meta.paths, &meta.outcomes).as_bytes())
        .map_err(w)?;
    points_file
        .write_all(points::header(&meta.paths).as_bytes())
        .map_err(w)?;
    if let Some(s) = series_file.as_mut() {
        s.write_all(series::header(meta.steps_per_year.is_some()).as_bytes())
            .map_err(w)?;
    }
    let n_out = meta.outcomes.len();
    let paired = meta.reference.is_some();
    let total = meta.points.len() as u64 * meta.replicates;
    let mut per_point: Vec<Welford> = vec![Welford::default(); n_out];
    // The current point's axis values as the files write them, formatted once per point.
    let mut labels = String::new();
    for g in 0..total {
        let reader = &mut readers[(g % count) as usize];
        let Some(run) = reader.next_run()? else {
            return Err(SweepError::Shard(format!(
                "{}: run {g} is missing; the journal is incomplete",
                reader.path().display()
            )));
        };
        if run.outcomes.len() != n_out || run.run != g {
            return Err(SweepError::Shard(format!(
                "{}: expected run {g}, found `{}`",
                reader.path().display(),
                run.lines().lines().next().unwrap_or_default()
            )));
        }
        let (point, rep) = (g / meta.replicates, g % meta.replicates);
        let outcomes = columns_of(run.outcomes, paired);
        if rep == 0 {
            labels = meta.points[point as usize]
                .iter()
                .map(value_text)
                .collect::<Vec<_>>()
                .join(",");
        }
        runs_file
            .write_all(runs::row(point, &labels, rep, run.seed, &outcomes).as_bytes())
            .map_err(w)?;
        for (stats, v) in per_point.iter_mut().zip(&outcomes) {
            if let Some(v) = v {
                stats.push(*v);
            }
        }
        if let Some(s) = series_file.as_mut() {
            for step in &run.steps {
                let rows = series::rows(
                    point,
                    rep,
                    step.step,
                    meta.steps_per_year,
                    &meta.kept,
                    &step.values,
                );
                s.write_all(rows.as_bytes()).map_err(w)?;
            }
        }
        if rep + 1 == meta.replicates {
            for (stats, name) in per_point.iter_mut().zip(&meta.outcomes) {
                let row = points::row(point, &labels, name, stats);
                points_file.write_all(row.as_bytes()).map_err(w)?;
                *stats = Welford::default();
            }
        }
    }
    for reader in &mut readers {
        if let Some(run) = reader.next_run()? {
            return Err(SweepError::Shard(format!(
                "{}: holds more runs than the sweep has (`{}`); nothing was written",
                reader.path().display(),
                run.lines().chars().take(80).collect::<String>()
            )));
        }
    }
    let mut files = vec!["runs.csv", "points.csv"];
    let commit = |bw: BufWriter<AtomicFile>, p: &Path| -> Result<(), SweepError> {
        bw.into_inner()
            .map_err(|e| io_err(p, e.into_error()))?
            .commit()
            .map_err(|e| io_err(p, e))?;
        Ok(())
    };
    commit(runs_file, &runs_path)?;
    commit(points_file, &points_path)?;
    if let Some(s) = series_file {
        commit(s, &series_path)?;
        files.push("series.csv");
    }
    if let Some(unit) = &meta.unit {
        let path = out.join("design.csv");
        crate::output::write_atomic(&path, design::text(&meta.paths, unit).as_bytes())
            .map_err(|e| io_err(&path, e))?;
        files.push("design.csv");
    }
    files.push("manifest.json");
    let manifest = SweepManifest {
        orgsim_version: env!("CARGO_PKG_VERSION").into(),
        kind: "sweep".into(),
        sweep_id: meta.id.clone(),
        name: meta.name.clone(),
        design: Some(meta.design),
        axes: meta.paths.clone(),
        points: meta.points.len() as u64,
        replicates: meta.replicates,
        total_runs: total,
        outcomes: meta.outcomes.clone(),
        kept_metrics: meta.kept.clone(),
        columns: Some(meta.columns.clone()),
        files: files.iter().map(|f| f.to_string()).collect(),
        seed_derivation: "run (point p, replicate r) is seeded with orgsim::rng::replicate_seed(seed, r) for common seeds, replicate_seed(seed, p * replicates + r) for independent ones; the seed is in runs.csv".into(),
        sweep: meta.sweep.clone(),
        base: meta.base.clone(),
        reference: meta.reference.clone(),
        window: meta.window.map(|(a, b)| vec![a, b]),
        outcomes_are: meta.reference.as_ref().map(|r| {
            format!(
                "paired differences: each `<outcome>{DIFF}` is a run's outcome minus that of its reference `{r}` on the same seed, and `<outcome>{REF}` the reference's own value{}",
                match meta.window {
                    Some((a, b)) => format!(", both over years {a} to {b}"),
                    None => String::new(),
                }
            )
        }),
    };
    let path = out.join("manifest.json");
    crate::output::write_atomic(&path, manifest.to_json().as_bytes())
        .map_err(|e| io_err(&path, e))?;
    // The journals of this directory are now in the final files.
    for i in 0..count {
        if dirs.get(i as usize).map(PathBuf::as_path) == Some(out) {
            let _ = fs::remove_file(journal_file(out, i, count));
            let _ = fs::remove_file(shard::path(out, i, count));
        }
    }
    Ok(())
}
