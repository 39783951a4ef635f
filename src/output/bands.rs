//! Per-step bands across replicates (`bands.csv`), computed with memory that does not grow
//! with the number of replicates.
//!
//! Exact percentiles need every replicate's value at a step, so runs are spilled as raw
//! `f64`s to an anonymous temporary file as they finish, and read back at the end in blocks
//! of steps small enough to fit a fixed memory budget. A run that ended before the longest
//! run of its scenario (a March run at equilibrium) contributes its final row to the later
//! steps: its state no longer changes.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::read::{CsvRows, FileError};
use crate::model::{Series, Stop};
use crate::numbers::{push_int, push_num, push_opt};
use crate::stats::{Summary, summarize};

/// Memory allowed for one block of values read back from the spill file.
const BUDGET_BYTES: usize = 256 << 20;

#[derive(Clone, Copy, Debug)]
struct Span {
    offset: u64,
    rows: u64,
}

/// Collects every run's series on disk and writes the bands at the end.
#[derive(Debug)]
pub struct BandStore {
    writer: BufWriter<File>,
    offset: u64,
    columns: usize,
    /// Per scenario, the runs in replicate order.
    spans: Vec<Vec<Span>>,
}

impl BandStore {
    /// A store for `scenarios` scenarios whose series have `columns` columns, spilling into
    /// an anonymous temporary file in `dir` (the system's temporary directory if `None`),
    /// removed by the operating system when closed.
    pub fn new(dir: Option<&Path>, scenarios: usize, columns: usize) -> io::Result<BandStore> {
        let spill = match dir {
            Some(dir) => tempfile::tempfile_in(dir)?,
            None => tempfile::tempfile()?,
        };
        Ok(BandStore {
            writer: BufWriter::with_capacity(1 << 16, spill),
            offset: 0,
            columns,
            spans: vec![Vec::new(); scenarios],
        })
    }

    /// Adds the next replicate of scenario `scenario`.
    pub fn push(&mut self, scenario: usize, series: &Series) -> io::Result<()> {
        let mut bytes = [0u8; 4096];
        for values in series.values.chunks(bytes.len() / 8) {
            for (b, v) in bytes.chunks_exact_mut(8).zip(values) {
                b.copy_from_slice(&v.to_le_bytes());
            }
            self.writer.write_all(&bytes[..values.len() * 8])?;
        }
        self.spans[scenario].push(Span {
            offset: self.offset,
            rows: series.rows() as u64,
        });
        self.offset += (series.values.len() * 8) as u64;
        Ok(())
    }

    /// Writes `bands.csv` for every scenario: `names[s]` is scenario s's name; `metrics`
    /// the column names. Fails with [`io::ErrorKind::Interrupted`] soon after `stop` is
    /// requested (thousands of replicates take seconds to summarize).
    pub fn write_csv(
        self,
        out: &mut impl Write,
        names: &[String],
        metrics: &[&str],
        categorical: &[Option<&[&str]>],
        steps_per_year: Option<f64>,
        stop: &Stop,
    ) -> io::Result<()> {
        out.write_all(header(steps_per_year.is_some()).as_bytes())?;
        let mut rows = Rows::new(steps_per_year);
        rows.text.reserve(ROWS_BYTES + 1024);
        self.summarize(
            metrics,
            categorical,
            stop,
            |s: usize, step: u64, metric: &str, summary: &Summary| {
                rows.push(&names[s], s, step, metric, summary);
                if rows.text.len() >= ROWS_BYTES {
                    out.write_all(&rows.text)?;
                    rows.text.clear();
                }
                Ok(())
            },
        )?;
        out.write_all(&rows.text)
    }

    /// Summarizes every scenario's columns step by step across its replicates, in
    /// (scenario, step, column) order, and hands each summary to `row` with the scenario's
    /// index, the step and the column's name (`metrics`), or, for a categorical column, one
    /// share of replicates per label (`metric=label`). Fails with
    /// [`io::ErrorKind::Interrupted`] soon after `stop` is requested.
    pub fn summarize(
        self,
        metrics: &[&str],
        categorical: &[Option<&[&str]>],
        stop: &Stop,
        mut row: impl FnMut(usize, u64, &str, &Summary) -> io::Result<()>,
    ) -> io::Result<()> {
        let BandStore {
            writer,
            columns,
            spans,
            ..
        } = self;
        let mut file = writer.into_inner().map_err(|e| e.into_error())?;
        let row_bytes = columns * 8;
        // A categorical column's rows are named `metric=label`, once, not once a step.
        let shares: Vec<Option<Vec<String>>> = metrics
            .iter()
            .enumerate()
            .map(|(c, metric)| {
                categorical.get(c).copied().flatten().map(|labels| {
                    labels
                        .iter()
                        .map(|label| format!("{metric}={label}"))
                        .collect()
                })
            })
            .collect();
        // A category's 0/1 indicators: reused for every cell.
        let mut scratch: Vec<f64> = Vec::new();
        for (scenario, runs) in spans.iter().enumerate() {
            let Some(max_rows) = runs.iter().map(|s| s.rows).max() else {
                continue;
            };
            let per_row = (runs.len() * row_bytes).max(1);
            let block = (BUDGET_BYTES / per_row).max(1) as u64;
            let mut start = 0;
            while start < max_rows {
                let end = (start + block).min(max_rows);
                let mut values = read_block(&mut file, runs, columns, start, end)?;
                let n_runs = runs.len();
                for (i, step) in (start..end).enumerate() {
                    if stop.requested() {
                        return Err(io::ErrorKind::Interrupted.into());
                    }
                    for (c, metric) in metrics.iter().enumerate() {
                        let base = (i * columns + c) * n_runs;
                        // Each cell is read once: `summarize` sorts it where it lies.
                        let cell = &mut values[base..base + n_runs];
                        match &shares[c] {
                            // A categorical column: per category, the share of replicates in
                            // it (the mean of a 0/1 indicator), as `metric=category`. The
                            // indicators are laid out sorted (zeros, then ones), as
                            // `summarize` would sort them.
                            Some(names) => {
                                for (k, name) in names.iter().enumerate() {
                                    let ones = cell.iter().filter(|&&v| v as usize == k).count();
                                    scratch.clear();
                                    scratch.resize(n_runs - ones, 0.0);
                                    scratch.resize(n_runs, 1.0);
                                    if let Some(s) = summarize(&mut scratch) {
                                        row(scenario, step, name, &s)?;
                                    }
                                }
                            }
                            None => {
                                if let Some(s) = summarize(cell) {
                                    row(scenario, step, metric, &s)?;
                                }
                            }
                        }
                    }
                }
                start = end;
            }
        }
        Ok(())
    }
}

/// Rows of `bands.csv` written this many bytes at a time.
const ROWS_BYTES: usize = 1 << 16;

/// Rows of `bands.csv` on their way to the file: text appended without a `format!` or an
/// allocation per field, and each step's `scenario,step,year,` written once for all its rows.
struct Rows {
    text: Vec<u8>,
    /// `scenario,step,[year,]` of the step `at` (scenario index, step).
    prefix: Vec<u8>,
    at: Option<(usize, u64)>,
    steps_per_year: Option<f64>,
    /// `,n,` of the replicates `n`.
    count: Vec<u8>,
    n: Option<usize>,
    /// The text after the prefix of the previous step's rows, in order (`row` counts this
    /// step's rows so far): a row whose metric and summary are the same as the previous
    /// step's row in its place (a headcount that did not change, a share that stayed 0) is
    /// copied rather than formatted again.
    last: Vec<Tail>,
    row: usize,
}

/// A row's text after its prefix, and what it was made from.
struct Tail {
    metric: *const str,
    key: TailKey,
    text: Vec<u8>,
}

/// A summary to the bit.
type TailKey = (usize, u64, Option<u64>, Option<(u64, u64)>, u64, u64);

fn tail_key(s: &Summary) -> TailKey {
    (
        s.n,
        s.mean.to_bits(),
        s.sd.map(f64::to_bits),
        s.ci.map(|(a, b)| (a.to_bits(), b.to_bits())),
        s.p10.to_bits(),
        s.p90.to_bits(),
    )
}

impl Rows {
    /// No rows yet; `steps_per_year` gives each row its year (models with calendar time).
    fn new(steps_per_year: Option<f64>) -> Rows {
        Rows {
            text: Vec::new(),
            prefix: Vec::new(),
            at: None,
            steps_per_year,
            count: Vec::new(),
            n: None,
            last: Vec::new(),
            row: 0,
        }
    }

    /// Appends one row.
    fn push(&mut self, name: &str, scenario: usize, step: u64, metric: &str, s: &Summary) {
        if self.at != Some((scenario, step)) {
            if self.at.is_some_and(|(s, _)| s != scenario) {
                self.last.clear();
            }
            self.at = Some((scenario, step));
            self.row = 0;
            self.prefix.clear();
            self.prefix.extend_from_slice(name.as_bytes());
            self.prefix.push(b',');
            push_int(&mut self.prefix, step);
            self.prefix.push(b',');
            if let Some(spy) = self.steps_per_year {
                push_num(&mut self.prefix, step as f64 / spy);
                self.prefix.push(b',');
            }
        }
        if self.n != Some(s.n) {
            // `,n,`: the same for every row of a scenario whose runs all reach the step.
            self.n = Some(s.n);
            self.count.clear();
            self.count.push(b',');
            push_int(&mut self.count, s.n as u64);
            self.count.push(b',');
        }
        let row = self.row;
        self.row += 1;
        let key = tail_key(s);
        // (Metrics are the caller's names, one string each: their address and length identify
        // them.)
        if let Some(tail) = self.last.get(row)
            && std::ptr::eq(tail.metric, metric)
            && tail.key == key
        {
            self.text.extend_from_slice(&self.prefix);
            self.text.extend_from_slice(&tail.text);
            return;
        }
        let text = &mut self.text;
        text.extend_from_slice(&self.prefix);
        let start = text.len();
        text.extend_from_slice(metric.as_bytes());
        text.extend_from_slice(&self.count);
        // The percentiles often equal the mean (always with one replicate): their text is
        // copied rather than formatted again.
        let mean = text.len()..{
            push_num(text, s.mean);
            text.len()
        };
        match (s.sd, s.ci) {
            (None, None) => text.extend_from_slice(b",,,,"),
            (sd, ci) => {
                text.push(b',');
                push_opt(text, sd);
                text.push(b',');
                push_opt(text, ci.map(|c| c.0));
                text.push(b',');
                push_opt(text, ci.map(|c| c.1));
                text.push(b',');
            }
        }
        let p10 = if s.p10.to_bits() == s.mean.to_bits() {
            let at = text.len();
            text.extend_from_within(mean);
            at..text.len()
        } else {
            text.len()..{
                push_num(text, s.p10);
                text.len()
            }
        };
        text.push(b',');
        if s.p90.to_bits() == s.p10.to_bits() {
            text.extend_from_within(p10);
        } else {
            push_num(text, s.p90);
        }
        text.push(b'\n');
        let made = &text[start..];
        if let Some(tail) = self.last.get_mut(row) {
            tail.metric = metric;
            tail.key = key;
            tail.text.clear();
            tail.text.extend_from_slice(made);
        } else {
            self.last.push(Tail {
                metric,
                key,
                text: made.to_vec(),
            });
        }
    }
}

/// The header of `bands.csv` (with its newline).
pub fn header(has_year: bool) -> String {
    let year = if has_year { "year," } else { "" };
    format!("scenario,step,{year}metric,n,mean,sd,ci_low,ci_high,p10,p90\n")
}

/// One row of `bands.csv`, as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct BandRecord {
    /// The scenario's name.
    pub scenario: String,
    /// The step.
    pub step: u64,
    /// The step in years (models with calendar time).
    pub year: Option<f64>,
    /// The column (`name=label` for a category's share).
    pub metric: String,
    /// Replicates summarized.
    pub n: u64,
    /// Their mean (`None` where undefined).
    pub mean: Option<f64>,
    /// Their standard deviation (below two replicates, none).
    pub sd: Option<f64>,
    /// The 95% confidence interval of the mean (below two replicates, none).
    pub ci: Option<(f64, f64)>,
    /// 10th percentile.
    pub p10: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
}

/// Reads `bands.csv` at `path` strictly (see [`super::CsvRows`]): hands every row whose metric
/// `wanted` accepts to `row`, and returns the metrics in file order (all of them).
pub fn read_bands(
    path: &Path,
    wanted: &dyn Fn(&str) -> bool,
    row: &mut dyn FnMut(BandRecord),
) -> Result<Vec<String>, FileError> {
    let mut rows = CsvRows::open_any(path)?;
    let has_year = rows.header().get(2).is_some_and(|h| h == "year");
    let expected = header(has_year);
    if rows.header().join(",") != expected.trim_end() {
        rows = CsvRows::open(path, expected.trim_end())?;
    }
    let y = usize::from(has_year);
    let mut metrics: Vec<String> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    while rows.next_row()? {
        let metric = rows.text(2 + y);
        if !seen.contains(metric) {
            seen.insert(metric.to_string());
            metrics.push(metric.to_string());
        }
        if !wanted(metric) {
            continue;
        }
        let year = if has_year {
            Some(
                rows.real(2)?
                    .ok_or_else(|| rows.error("column `year` is empty"))?,
            )
        } else {
            None
        };
        let (lo, hi) = (rows.real(6 + y)?, rows.real(7 + y)?);
        row(BandRecord {
            scenario: rows.text(0).to_string(),
            step: rows.count(1)?,
            year,
            metric: metric.to_string(),
            n: rows.count(3 + y)?,
            mean: rows.real(4 + y)?,
            sd: rows.real(5 + y)?,
            ci: lo.zip(hi),
            p10: rows.real(8 + y)?,
            p90: rows.real(9 + y)?,
        });
    }
    Ok(metrics)
}

/// Reads steps `start..end` of every run, laid out as `[step][column][run]`.
fn read_block(
    file: &mut File,
    runs: &[Span],
    columns: usize,
    start: u64,
    end: u64,
) -> io::Result<Vec<f64>> {
    let n_runs = runs.len();
    let steps = (end - start) as usize;
    let mut values = vec![0.0; steps * columns * n_runs];
    let mut bytes = Vec::new();
    let mut row = vec![0.0; columns];
    for (r, span) in runs.iter().enumerate() {
        let have = span.rows.min(end).saturating_sub(start) as usize;
        if have > 0 {
            file.seek(SeekFrom::Start(span.offset + start * (columns as u64) * 8))?;
            bytes.resize(have * columns * 8, 0);
            file.read_exact(&mut bytes)?;
            for (k, chunk) in bytes.chunks_exact(8).enumerate() {
                let (i, c) = (k / columns, k % columns);
                values[(i * columns + c) * n_runs + r] =
                    f64::from_le_bytes(chunk.try_into().expect("8 bytes"));
            }
        }
        if have < steps {
            // The run ended earlier: carry its last row forward.
            file.seek(SeekFrom::Start(
                span.offset + (span.rows - 1) * (columns as u64) * 8,
            ))?;
            let mut last = vec![0u8; columns * 8];
            file.read_exact(&mut last)?;
            for (c, chunk) in last.chunks_exact(8).enumerate() {
                row[c] = f64::from_le_bytes(chunk.try_into().expect("8 bytes"));
            }
            for i in have..steps {
                for (c, &v) in row.iter().enumerate() {
                    values[(i * columns + c) * n_runs + r] = v;
                }
            }
        }
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(rows: &[[f64; 2]]) -> Series {
        Series {
            columns: 2,
            values: rows.iter().flatten().copied().collect(),
        }
    }

    /// A row copied from the previous step's (same metric, same summary) reads as one
    /// formatted afresh, across steps, changes of n, metrics and scenarios.
    #[test]
    fn copied_rows_read_as_rows_formatted_afresh() {
        let summary = |n: usize, mean: f64, spread: f64| Summary {
            n,
            mean,
            sd: (n > 1).then_some(spread),
            ci: (n > 1).then_some((mean - spread, mean + spread)),
            p10: mean - spread,
            p90: mean + spread,
        };
        let fresh = Rows::new;
        let names = ["a".to_string(), "b".to_string()];
        let (x, y, z) = ("x", "y".to_string(), "z".to_string());
        let mut cached = fresh(Some(52.0));
        let mut by_hand = Vec::new();
        for (scenario, name) in names.iter().enumerate() {
            for step in 0..6u64 {
                let n = if step < 4 { 3 } else { 2 };
                // x stays put, then moves; y flips between two values; z varies.
                let rows = [
                    (x, summary(n, if step < 3 { 1.5 } else { 2.5 }, 0.0)),
                    (y.as_str(), summary(n, (step % 2) as f64, 0.25)),
                    (z.as_str(), summary(n, step as f64 / 3.0, 0.1)),
                ];
                for (metric, s) in &rows {
                    let before = cached.text.len();
                    cached.push(name, scenario, step, metric, s);
                    let mut one = fresh(Some(52.0));
                    one.push(name, scenario, step, metric, s);
                    by_hand.extend_from_slice(&one.text);
                    assert_eq!(
                        cached.text[before..],
                        one.text[..],
                        "scenario {scenario} step {step} {metric}"
                    );
                }
            }
        }
        assert_eq!(cached.text, by_hand);
        // And a repeated row is a copy: a tampered copy shows.
        cached.last[0].text = b"copied\n".to_vec();
        cached.push(&names[1], 1, 6, x, &summary(2, 2.5, 0.0));
        assert!(cached.text.ends_with(b"b,6,0.11538461538461539,copied\n"));
        cached.push(&names[1], 1, 6, &y, &summary(2, 7.0, 0.25));
        assert!(!cached.text.ends_with(b"copied\n"));
    }

    #[test]
    fn bands_carry_short_runs_forward() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = BandStore::new(Some(dir.path()), 1, 2).unwrap();
        store.push(0, &series(&[[0.0, 10.0], [1.0, 11.0]])).unwrap();
        store
            .push(0, &series(&[[2.0, 20.0], [3.0, 21.0], [5.0, 22.0]]))
            .unwrap();
        let mut out = Vec::new();
        store
            .write_csv(
                &mut out,
                &["s".into()],
                &["a", "b"],
                &[None, None],
                None,
                &Stop::never(),
            )
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "scenario,step,metric,n,mean,sd,ci_low,ci_high,p10,p90"
        );
        assert_eq!(lines.len(), 1 + 3 * 2);
        // Step 2: run 0 carries 1.0 forward, run 1 has 5.0.
        assert!(lines[5].starts_with("s,2,a,2,3.0,"), "{}", lines[5]);
        assert!(lines[6].starts_with("s,2,b,2,16.5,"), "{}", lines[6]);
    }

    #[test]
    fn a_categorical_column_becomes_one_share_per_category() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = BandStore::new(Some(dir.path()), 1, 2).unwrap();
        // Column 1 is a phase index: replicates in phases 0, 1 and 1 at step 0.
        for phase in [0.0, 1.0, 1.0] {
            store.push(0, &series(&[[5.0, phase]])).unwrap();
        }
        let labels: &[&str] = &["calm", "busy"];
        let mut out = Vec::new();
        store
            .write_csv(
                &mut out,
                &["s".into()],
                &["x", "phase"],
                &[None, Some(labels)],
                None,
                &Stop::never(),
            )
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + 3, "{text}");
        assert!(lines[1].starts_with("s,0,x,3,5.0,"), "{}", lines[1]);
        assert!(
            lines[2].starts_with("s,0,phase=calm,3,0.333"),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].starts_with("s,0,phase=busy,3,0.666"),
            "{}",
            lines[3]
        );
    }
}
