//! Sweeps under damage and hostile input: journals changed after they were written are
//! refused naming the file and line (and never reach the final files), journals cut short
//! resume to the files of an uninterrupted run, and names, axes, shard files and flags that
//! would escape, do nothing or ask for too much are refused with a clear message.

use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use orgsim::sweep::{SweepError, SweepPlan, read_sweep, run_sweep};
use predicates::prelude::*;

use crate::util::orgsim;

const FILES: [&str; 4] = ["runs.csv", "points.csv", "series.csv", "manifest.json"];
const JOURNAL: &str = "journal-0-of-1.csv";

/// A March grid of 2 x 3 points, 8 replicates each (48 runs), knowledge kept every 40
/// periods (so runs have series lines).
fn write_sweep(dir: &Path) {
    fs::write(
        dir.join("grid.json"),
        r#"{
  "base": "classic/march1991",
  "axes": [
    { "path": "march.p1", "values": [0.1, 0.9] },
    { "path": "march.p2", "range": { "from": 0.1, "to": 0.9, "step": 0.4 } }
  ],
  "replicates": 8,
  "seed": 5,
  "keep": { "metrics": ["knowledge"], "stride": 40 }
}"#,
    )
    .unwrap();
}

fn same_files(a: &Path, b: &Path) {
    for f in FILES {
        assert!(
            fs::read(a.join(f)).unwrap() == fs::read(b.join(f)).unwrap(),
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// Stops a sweep once `limit` of its runs are done (resumed ones included).
struct StopAfter {
    limit: u64,
    seen: AtomicU64,
}

impl orgsim::engine::Progress for StopAfter {
    fn run_done(&self) {
        self.seen.fetch_add(1, Ordering::Relaxed);
    }
    fn cancelled(&self) -> bool {
        self.seen.load(Ordering::Relaxed) >= self.limit
    }
}

/// Runs shard `shard` of `grid.json` into `out` in blocks of `block` runs (each invocation
/// commits one block), stopping after `blocks` blocks, or finishing it if `blocks` is None.
fn journal_in_blocks(dir: &Path, out: &Path, shard: (u64, u64), block: u64, blocks: Option<u64>) {
    let design = read_sweep(&dir.join("grid.json"), u64::MAX).unwrap();
    let plan = SweepPlan {
        out: out.to_path_buf(),
        threads: Some(1),
        shard,
        repair: false,
    };
    for b in 1..=blocks.unwrap_or(u64::MAX) {
        let stop = StopAfter {
            limit: b * block,
            seen: AtomicU64::new(0),
        };
        match run_sweep(&design, &plan, &stop) {
            Err(SweepError::Cancelled { .. }) => {}
            Ok(_) if blocks.is_none() => return,
            other => panic!("block {b}: {other:?}"),
        }
    }
}

/// A small deterministic generator for positions and offsets.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = fs::remove_dir_all(to);
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// The lines of a journal, each with its newline.
fn journal_lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .split_inclusive('\n')
        .map(str::to_string)
        .collect()
}

#[test]
fn changed_digits_anywhere_in_a_journal_are_refused_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sweep(d);
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "clean", "-q"])
        .assert()
        .success();
    // Half the sweep, committed in four blocks of six runs.
    journal_in_blocks(d, &d.join("base"), (0, 1), 6, Some(4));
    let bytes = fs::read(d.join("base").join(JOURNAL)).unwrap();
    let header = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let digits: Vec<usize> = (header..bytes.len())
        .filter(|&i| bytes[i].is_ascii_digit())
        .collect();
    let mut rng = Lcg(17);
    for trial in 0..30 {
        let i = digits[rng.below(digits.len())];
        let mut changed = bytes.clone();
        changed[i] = b'0' + ((bytes[i] - b'0' + 1 + rng.below(9) as u8) % 10);
        let t = d.join(format!("t{trial}"));
        copy_dir(&d.join("base"), &t);
        fs::write(t.join(JOURNAL), &changed).unwrap();
        let line = bytes[..i].iter().filter(|&&b| b == b'\n').count() + 1;
        let what = format!("byte {i} (line {line}) changed");
        // Resume refuses, names the journal and a line, and changes nothing.
        orgsim(d)
            .args(["sweep", "grid.json", "-o", t.to_str().unwrap(), "-q"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(JOURNAL))
            .stderr(predicate::str::is_match(r"csv: lines? \d+").unwrap())
            .stderr(predicate::str::contains("--repair"));
        assert_eq!(fs::read(t.join(JOURNAL)).unwrap(), changed, "{what}");
        assert!(!t.join("runs.csv").exists(), "{what}");
        orgsim(d)
            .args(["status", t.to_str().unwrap()])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("DAMAGED"))
            .stdout(predicate::str::is_match(r"csv: lines? \d+").unwrap());
        // --repair keeps the intact runs before the damage and redoes the rest: the files
        // of an uninterrupted run, never the changed digit.
        if trial % 6 == 0 {
            orgsim(d)
                .args([
                    "sweep",
                    "grid.json",
                    "-o",
                    t.to_str().unwrap(),
                    "-q",
                    "--repair",
                ])
                .assert()
                .success();
            same_files(&d.join("clean"), &t);
        }
    }
}

#[test]
fn dropped_lines_and_stray_letters_are_refused_by_status_resume_and_merge() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sweep(d);
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "clean", "-q"])
        .assert()
        .success();
    // Two finished shards of 24 runs, each in four blocks.
    for i in 0..2 {
        journal_in_blocks(d, &d.join(format!("s{i}")), (i, 2), 6, Some(3));
        journal_in_blocks(d, &d.join(format!("s{i}")), (i, 2), 6, None);
    }
    orgsim(d)
        .args(["merge", "s0", "s1", "-o", "merged"])
        .assert()
        .success();
    same_files(&d.join("clean"), &d.join("merged"));
    let journal = "journal-0-of-2.csv";
    let good = journal_lines(&fs::read(d.join("s0").join(journal)).unwrap());
    let commits: Vec<usize> = (0..good.len())
        .filter(|&i| good[i].starts_with("c,"))
        .collect();
    assert_eq!(commits.len(), 4, "{good:?}");
    type Change = fn(&mut Vec<String>, &[usize]);
    let cases: [(&str, Change); 5] = [
        ("a series line dropped", |l, _| {
            let i = l.iter().position(|x| x.starts_with("s,")).unwrap();
            l.remove(i);
        }),
        ("0.8 made 0.8x", |l, c| {
            let i = (c[1]..l.len())
                .find(|&i| l[i].starts_with("r,") && l[i].contains(",0.8"))
                .unwrap();
            l[i] = l[i].replacen(",0.8", ",0.8x", 1);
        }),
        ("a whole block dropped", |l, c| {
            l.drain(c[0] + 1..=c[1]);
        }),
        ("a block repeated", |l, c| {
            let block: Vec<String> = l[c[0] + 1..=c[1]].to_vec();
            l.splice(c[1] + 1..c[1] + 1, block);
        }),
        ("a run line dropped from the last block", |l, c| {
            l.remove(c[2] + 1);
        }),
    ];
    for (what, change) in cases {
        let mut changed = good.clone();
        change(&mut changed, &commits);
        let text = changed.concat();
        copy_dir(&d.join("s0"), &d.join("bad"));
        fs::write(d.join("bad").join(journal), &text).unwrap();
        orgsim(d)
            .args(["status", "bad", "s1"])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("DAMAGED"))
            .stdout(predicate::str::is_match(r"journal-0-of-2\.csv: lines? \d+").unwrap());
        orgsim(d)
            .args(["merge", "bad", "s1", "-o", "out"])
            .assert()
            .code(1)
            .stderr(predicate::str::is_match(r"journal-0-of-2\.csv: lines? \d+").unwrap());
        assert!(!d.join("out").join("runs.csv").exists(), "{what}: merged");
        orgsim(d)
            .args([
                "sweep",
                "grid.json",
                "--tasks",
                "2",
                "--task",
                "0",
                "-o",
                "bad",
            ])
            .assert()
            .code(1)
            .stderr(predicate::str::is_match(r"journal-0-of-2\.csv: lines? \d+").unwrap());
        assert_eq!(
            fs::read_to_string(d.join("bad").join(journal)).unwrap(),
            text,
            "{what}: the journal was changed"
        );
    }
    // A commit line lost at the end is what a kill leaves: merge calls the shard
    // unfinished, its command redoes the last block, and the merge is the clean one.
    let mut cut = good.clone();
    cut.pop();
    copy_dir(&d.join("s0"), &d.join("torn"));
    fs::write(d.join("torn").join(journal), cut.concat()).unwrap();
    orgsim(d)
        .args(["merge", "torn", "s1", "-o", "out"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unfinished: 18 of 24 runs"));
    orgsim(d)
        .args([
            "sweep",
            "grid.json",
            "--tasks",
            "2",
            "--task",
            "0",
            "-o",
            "torn",
            "-q",
        ])
        .assert()
        .success();
    orgsim(d)
        .args(["merge", "torn", "s1", "-o", "out"])
        .assert()
        .success();
    same_files(&d.join("clean"), &d.join("out"));
}

#[test]
fn a_journal_cut_anywhere_resumes_to_the_files_of_an_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sweep(d);
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "clean", "-q"])
        .assert()
        .success();
    journal_in_blocks(d, &d.join("base"), (0, 1), 6, Some(5));
    let bytes = fs::read(d.join("base").join(JOURNAL)).unwrap();
    let mut rng = Lcg(3);
    let mut cuts: Vec<usize> = (0..24).map(|_| rng.below(bytes.len() + 1)).collect();
    cuts.extend([0, 10, bytes.len()]);
    for (n, cut) in cuts.into_iter().enumerate() {
        let t = d.join(format!("t{n}"));
        copy_dir(&d.join("base"), &t);
        fs::write(t.join(JOURNAL), &bytes[..cut]).unwrap();
        orgsim(d)
            .args(["sweep", "grid.json", "-o", t.to_str().unwrap(), "-q"])
            .assert()
            .success();
        same_files(&d.join("clean"), &t);
    }
}

#[test]
fn shard_files_and_flags_that_ask_for_too_much_are_refused_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sweep(d);
    for i in ["0", "1"] {
        orgsim(d)
            .args(["sweep", "grid.json", "--tasks", "2", "--task", i, "-o"])
            .arg(format!("s{i}"))
            .arg("-q")
            .assert()
            .success();
    }
    let shard = d.join("s1/shard-1-of-2.json");
    let good = fs::read_to_string(&shard).unwrap();
    // A shard index at least its count (merge used to panic), and a count that would
    // have status and merge allocate hundreds of gigabytes.
    for (from, to, message) in [
        (r#""shard": 1"#, r#""shard": 5"#, "says shard 5 of 2"),
        (
            r#""shards": 2"#,
            r#""shards": 100000000000"#,
            "says shard 1 of 100000000000",
        ),
    ] {
        fs::write(&shard, good.replace(from, to)).unwrap();
        for args in [
            vec!["merge", "s0", "s1", "-o", "m"],
            vec!["status", "s0", "s1"],
        ] {
            orgsim(d)
                .args(&args)
                .timeout(std::time::Duration::from_secs(20))
                .assert()
                .code(1)
                .stderr(predicate::str::contains(message))
                .stderr(predicate::str::contains("shard-1-of-2.json"));
        }
    }
    fs::write(
        &shard,
        good.replace(r#""shard_runs": 24"#, r#""shard_runs": 20"#),
    )
    .unwrap();
    orgsim(d)
        .args(["merge", "s0", "s1", "-o", "m"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("has 20 runs, but it has 24"));
    assert!(!d.join("m/runs.csv").exists());
    // Flags: a count above the limit, a count without an index, a zero count from Slurm.
    orgsim(d)
        .args([
            "sweep",
            "grid.json",
            "--tasks",
            "100000000000",
            "--task",
            "0",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("1..=1000000"));
    orgsim(d)
        .args(["sweep", "grid.json", "--tasks", "3", "-o", "x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--tasks 3 without --task"));
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "x"])
        .env("SLURM_ARRAY_TASK_ID", "0")
        .env("SLURM_ARRAY_TASK_COUNT", "0")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "SLURM_ARRAY_TASK_COUNT=0: the number of tasks must be from 1 to 1000000",
        ));
    assert!(!d.join("x").exists(), "nothing written on refusal");
    // A million shards missing print as one range.
    fs::write(
        &shard,
        good.replace(r#""shards": 2"#, r#""shards": 1000000"#),
    )
    .unwrap();
    fs::rename(&shard, d.join("s1/shard-1-of-1000000.json")).unwrap();
    orgsim(d)
        .args(["status", "s1"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Not in these directories: shards 0, 2 to 999999 of 1000000",
        ));
}

#[test]
fn names_axes_keys_and_sizes_that_escape_do_nothing_or_ask_too_much_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = r#""base": "classic/march1991""#;
    let axis = r#"{"path": "march.p1", "values": [0.1, 0.5]}"#;
    let long = "n".repeat(101);
    // Where the old code wrote: beside the temporary directory (unique names).
    let tag = d.file_name().unwrap().to_string_lossy().replace('.', "");
    let escape = format!("../../../escape-{tag}");
    let absolute = d.parent().unwrap().join(format!("absolute-{tag}"));
    let absolute = absolute.to_str().unwrap();
    let axes101 = vec![axis; 101].join(", ");
    let cases: Vec<(String, &str)> = vec![
        (
            format!(r#"{{"name": "{escape}", {base}, "axes": [{axis}]}}"#),
            "must use only letters, digits",
        ),
        (
            format!(r#"{{"name": "{absolute}", {base}, "axes": [{axis}]}}"#),
            "must use only letters, digits",
        ),
        (
            format!(r#"{{"name": "{long}", {base}, "axes": [{axis}]}}"#),
            "at most 100 characters",
        ),
        (
            format!(r#"{{{base}, "axes": [{{"path": "seed", "values": [1, 2]}}]}}"#),
            "axes[0].path: `seed`: `seed` cannot be an axis: the seed of every run comes from the sweep's own `seed`",
        ),
        (
            format!(r#"{{{base}, "axes": [{axis}, {{"path": "replicates", "values": [5, 10]}}]}}"#),
            "axes[1].path: `replicates`: `replicates` cannot be an axis: the runs per point come from the sweep's own `replicates`",
        ),
        (
            format!(r#"{{{base}, "replicates": 2, "axes": [{axis}], "replicates": 3}}"#),
            "the key \"replicates\" appears twice",
        ),
        (
            format!(
                r#"{{{base}, "axes": [{{"path": "march.p1", "path": "march.p2", "values": [0.1]}}]}}"#
            ),
            "axes[0].path: the key \"path\" appears twice",
        ),
        (
            format!(r#"{{{base}, "axes": [{axis}], "replicates": 100000000}}"#),
            "replicates: 100000000: must be from 1 to 10000000",
        ),
        (
            format!(r#"{{{base}, "axes": [{axis}], "keep": {{"stride": 0}}}}"#),
            "keep.stride: 0: must be from 1 to 1000000",
        ),
        (
            format!(
                r#"{{{base}, "axes": [{axis}], "design": "morris", "points": 4, "levels": 1000000}}"#
            ),
            "levels: 1000000: a Morris design has at most 1000 levels",
        ),
        (
            format!(r#"{{{base}, "axes": [{axis}], "design": "lhs", "points": 1000000000}}"#),
            "points: 1000000000: must be at most 1000000",
        ),
        (
            format!(r#"{{{base}, "axes": [{axis}], "design": "sobol", "points": 500000}}"#),
            "points: the design has 1500000 points, more than the limit of 1000000",
        ),
        (
            format!(r#"{{{base}, "axes": [{axes101}]}}"#),
            "axes: 101 axes: a sweep has at most 100",
        ),
        (
            format!(r#"{{{base}, "axes": [{axis}], "outcome": "final_capacity"}}"#),
            "outcome: `final_capacity` is not an outcome of this model; the outcomes are: equilibrium_knowledge",
        ),
    ];
    for (i, (text, message)) in cases.iter().enumerate() {
        let name = format!("bad{i}.json");
        fs::write(d.join(&name), text).unwrap();
        orgsim(d)
            .args(["sweep", &name, "-q"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("{name}: ")))
            .stderr(predicate::str::contains(*message));
    }
    // Nothing was written anywhere: not under results/, not beside the temporary directory.
    assert!(!d.join("results").exists());
    assert!(!d.parent().unwrap().join(format!("escape-{tag}")).exists());
    assert!(!Path::new(absolute).exists());
}

#[test]
fn analyze_flags_a_tiny_sobol_design_and_refuses_a_damaged_points_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("sobol.json"),
        r#"{
  "base": "classic/march1991",
  "axes": [
    { "path": "march.p1", "range": { "from": 0.1, "to": 0.9 } },
    { "path": "march.p2", "range": { "from": 0.1, "to": 0.9 } }
  ],
  "design": "sobol",
  "points": 16,
  "replicates": 2
}"#,
    )
    .unwrap();
    orgsim(d)
        .args(["sweep", "sobol.json", "-o", "s", "-q"])
        .assert()
        .success();
    orgsim(d)
        .args(["analyze", "s", "--format", "svg"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: N = 16 base samples is below 256",
        ));
    let csv = fs::read_to_string(d.join("s/sensitivity.csv")).unwrap();
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some("outcome,parameter,method,index,estimate,ci_low,ci_high,warning")
    );
    for row in rows {
        assert!(row.rsplit(',').next().unwrap().contains("small_n"), "{row}");
    }
    // A damaged points.csv: analyze fails with the file and line, and writes nothing.
    fs::remove_file(d.join("s/sensitivity.csv")).unwrap();
    let points = fs::read_to_string(d.join("s/points.csv")).unwrap();
    let mut lines: Vec<String> = points.lines().map(str::to_string).collect();
    // Line 6's mean (point, two axes, outcome, n, then the mean) gets a stray letter.
    let mut fields: Vec<String> = lines[5].split(',').map(str::to_string).collect();
    fields[5].push('x');
    lines[5] = fields.join(",");
    fs::write(d.join("s/points.csv"), lines.join("\n") + "\n").unwrap();
    orgsim(d)
        .args(["analyze", "s", "--format", "svg"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("points.csv: line 6:"));
    assert!(!d.join("s/sensitivity.csv").exists());
}
