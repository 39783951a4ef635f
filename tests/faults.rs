//! Faults: runs killed at random moments while they save, two processes writing one
//! directory, directories that mix runs or hold other files, and Ctrl-C and SIGTERM sent to
//! large runs and sweeps.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::util::orgsim;

/// A March grid of 2 x 3 points, `replicates` each, knowledge kept every 5 periods.
fn write_sweep(dir: &Path, name: &str, replicates: u64) {
    let text = format!(
        r#"{{ "base": "classic/march1991",
  "axes": [ {{ "path": "march.p1", "values": [0.1, 0.9] }},
            {{ "path": "march.p2", "range": {{ "from": 0.1, "to": 0.9, "step": 0.4 }} }} ],
  "replicates": {replicates}, "seed": 5,
  "keep": {{ "metrics": ["knowledge"], "stride": 5 }} }}"#
    );
    fs::write(dir.join(format!("{name}.json")), text).unwrap();
}

/// Asserts that two finished sweeps wrote the same bytes.
fn same_sweep(a: &Path, b: &Path) {
    for f in ["runs.csv", "points.csv", "series.csv", "manifest.json"] {
        let same = fs::read(a.join(f)).unwrap() == fs::read(b.join(f)).unwrap();
        assert!(
            same,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("orgsim")
}

/// Every entry of `dir` (hidden ones too) with its bytes; a subdirectory maps to no bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let bytes = if e.file_type().unwrap().is_dir() {
                Vec::new()
            } else {
                fs::read(e.path()).unwrap()
            };
            (name, bytes)
        })
        .collect()
}

/// A run's files, with what differs between two invocations of the same command left out of
/// the manifest (its id, start and wall time), and without the lock file a killed process
/// leaves (hidden, empty of results, ignored by every reader).
fn run_output(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = contents(dir);
    files.remove(".orgsim-lock");
    if let Some(m) = files.get_mut("manifest.json") {
        let mut v: serde_json::Value = serde_json::from_slice(m).expect("a whole manifest");
        for k in ["run_id", "started_at", "wall_seconds"] {
            v.as_object_mut().unwrap().remove(k);
        }
        *m = v.to_string().into_bytes();
    }
    files
}

fn names(dir: &Path) -> Vec<String> {
    contents(dir).into_keys().collect()
}

/// A small deterministic sequence in [0, 1) for kill delays (reproducible failures).
struct Delays(u64);

impl Delays {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_previous_run_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Two small runs: A compares two scenarios (comparison files), B runs one. Each is
    // written once, uninterrupted, as the reference; the same command line in another
    // directory gives the same bytes.
    let a: &[&str] = &[
        "run",
        "baseline",
        "task-forces",
        "-n",
        "2",
        "--set",
        "years=3",
        "--seed",
        "1",
        "-o",
        "out",
        "-q",
    ];
    let b: &[&str] = &[
        "run", "baseline", "-n", "3", "--set", "years=4", "--seed", "2", "-o", "out", "-q",
    ];
    let mut took = Vec::new();
    for (name, args) in [("ref_a", a), ("ref_b", b)] {
        fs::create_dir(d.join(name)).unwrap();
        let t = Instant::now();
        orgsim(&d.join(name)).args(args).assert().success();
        took.push(t.elapsed().as_secs_f64());
    }
    let refs = [
        run_output(&d.join("ref_a/out")),
        run_output(&d.join("ref_b/out")),
    ];
    assert!(refs[0].contains_key("comparison.csv") && refs[0].contains_key("comparison.png"));
    assert!(!refs[1].contains_key("comparison.csv"));
    let work = d.join("work");
    fs::create_dir(&work).unwrap();
    orgsim(&work).args(a).assert().success();
    // Kill the run at random moments from its start to a little after its usual end, so the
    // kills fall in the simulation, the writing of each file, the charts and the swap.
    let mut delays = Delays(20_261_130);
    let mut seen = [0, 0];
    let mut log = Vec::new();
    for i in 0..36 {
        let which = i % 2;
        let args = if which == 0 { a } else { b };
        let delay = delays.next() * 1.5 * took[which];
        let mut child = Command::new(bin())
            .current_dir(&work)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_secs_f64(delay));
        let _ = child.kill();
        let status = child.wait().unwrap();
        log.push(format!(
            "kill {i}: run {which} after {delay:.3} s ({status})"
        ));
        let now = run_output(&work.join("out"));
        let state = refs.iter().position(|r| *r == now);
        assert!(
            state.is_some(),
            "after {}, out/ is neither run A nor run B: it holds {:?}",
            log.join("; "),
            now.keys().collect::<Vec<_>>()
        );
        seen[state.unwrap()] += 1;
    }
    eprintln!(
        "36 kills: out/ held run A {} times, run B {} times",
        seen[0], seen[1]
    );
    // Both halves of the guarantee were exercised: kills that left the earlier run whole and
    // kills that came after a swap and left the new one whole.
    assert!(
        seen[0] > 0 && seen[1] > 0,
        "36 kills never left one of the two runs (A {}, B {}): the kill moments missed a side",
        seen[0],
        seen[1]
    );
    // A later run completes and leaves nothing else: no lock, no partial files, no staging
    // directory beside the output.
    orgsim(&work).args(b).assert().success();
    assert_eq!(run_output(&work.join("out")), refs[1]);
    assert_eq!(names(&work), ["out"]);
    assert!(names(&work.join("out")).iter().all(|n| !n.starts_with('.')));
}

#[test]
fn a_rerun_leaves_no_file_of_the_earlier_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    orgsim(d)
        .args([
            "run",
            "baseline",
            "task-forces",
            "-n",
            "2",
            "--set",
            "years=2",
            "-o",
            "o",
            "-q",
        ])
        .assert()
        .success();
    assert!(d.join("o/comparison.csv").is_file() && d.join("o/comparison.png").is_file());
    // One scenario, no charts: only its own five files remain.
    orgsim(d)
        .args([
            "run",
            "baseline",
            "-n",
            "2",
            "--set",
            "years=2",
            "-o",
            "o",
            "-q",
            "--no-charts",
        ])
        .assert()
        .success();
    assert_eq!(
        names(&d.join("o")),
        [
            "bands.csv",
            "manifest.json",
            "runs.csv",
            "summary.json",
            "timeseries.csv"
        ]
    );
    // A chart drawn later with `plot` is listed in the manifest, so a rerun replaces it.
    orgsim(d)
        .args([
            "plot",
            "o",
            "--metric",
            "headcount",
            "--format",
            "svg",
            "-q",
        ])
        .assert()
        .success();
    let manifest = fs::read_to_string(d.join("o/manifest.json")).unwrap();
    assert!(manifest.contains("\"headcount.svg\""), "{manifest}");
    orgsim(d)
        .args([
            "run",
            "baseline",
            "-n",
            "2",
            "--set",
            "years=2",
            "-o",
            "o",
            "-q",
            "--no-charts",
        ])
        .assert()
        .success();
    assert!(!d.join("o/headcount.svg").exists());
}

#[test]
fn a_directory_holding_other_files_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let args = ["run", "classic/march1991", "-n", "5", "-o", "o", "-q"];
    orgsim(d).args(args).assert().success();
    fs::write(d.join("o/notes.txt"), "mine").unwrap();
    fs::create_dir(d.join("o/drafts")).unwrap();
    let before = contents(&d.join("o"));
    orgsim(d)
        .args(args)
        .assert()
        .failure()
        .stderr(predicate::str::contains("notes.txt"))
        .stderr(predicate::str::contains("drafts/"))
        .stderr(predicate::str::contains("nothing was changed"));
    assert_eq!(contents(&d.join("o")), before);
    assert_eq!(names(d), ["o"]);
    // Nor is a run allowed to replace the directory it is started in.
    fs::create_dir(d.join("here")).unwrap();
    orgsim(&d.join("here"))
        .args(["run", "classic/march1991", "-n", "5", "-o", ".", "-q"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("current directory"));
}

#[test]
fn plot_refuses_a_directory_mixing_two_runs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |out: &str, seed: &str, scenarios: &[&str]| {
        let mut args = vec!["run"];
        args.extend(scenarios);
        args.extend([
            "-n", "2", "--set", "years=2", "--seed", seed, "-o", out, "-q",
        ]);
        args.push("--no-charts");
        orgsim(d).args(&args).assert().success();
    };
    run("a", "1", &["baseline"]);
    run("b", "2", &["baseline"]);
    run("c", "3", &["baseline", "task-forces"]);
    // A file deleted to save space is no mix.
    fs::remove_file(d.join("a/timeseries.csv")).unwrap();
    orgsim(d).args(["plot", "a", "-q"]).assert().success();
    // The bands of another run beside this run's manifest.
    fs::copy(d.join("b/bands.csv"), d.join("a/bands.csv")).unwrap();
    orgsim(d)
        .args(["plot", "a", "-q"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("does not hold one run's output"))
        .stderr(predicate::str::contains("bands.csv"));
    // A comparison left by another run.
    orgsim(d).args(["plot", "b", "-q"]).assert().success();
    fs::copy(d.join("c/comparison.csv"), d.join("b/comparison.csv")).unwrap();
    orgsim(d)
        .args(["plot", "b", "-q"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "comparison.csv is not part of run",
        ));
    // A manifest without checksums (an older orgsim) cannot vouch for its files.
    let mut m: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.join("c/manifest.json")).unwrap()).unwrap();
    m.as_object_mut().unwrap().remove("checksums");
    fs::write(d.join("c/manifest.json"), m.to_string()).unwrap();
    orgsim(d)
        .args(["plot", "c", "-q"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no run id and file checksums"));
}

/// Waits until `dir` is locked by a live process (its lock file appears).
fn wait_for_lock(dir: &Path, child: &mut Child) {
    let t = Instant::now();
    while !dir.join(".orgsim-lock").exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before it was watched"
        );
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "no lock in {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_locked_directory_is_refused_by_every_command_that_writes_there() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    orgsim(d)
        .args(["run", "classic/march1991", "-n", "5", "-o", "held", "-q"])
        .assert()
        .success();
    write_sweep(d, "grid", 3);
    let before = contents(&d.join("held"));
    let lock = orgsim::output::DirLock::acquire(&d.join("held"), false).unwrap();
    let busy = || {
        predicate::str::contains("held: another orgsim process (pid ")
            .and(predicate::str::contains("holds this directory"))
    };
    for args in [
        &["run", "classic/march1991", "-n", "5", "-o", "held"][..],
        &["sweep", "grid.json", "-o", "held"],
        &["merge", "shard", "-o", "held"],
        &["plot", "held"],
    ] {
        orgsim(d).args(args).assert().failure().stderr(busy());
    }
    drop(lock);
    assert_eq!(contents(&d.join("held")), before);
    orgsim(d).args(["plot", "held", "-q"]).assert().success();
}

#[test]
fn a_second_run_or_sweep_into_a_busy_directory_is_refused_and_the_first_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sweep(d, "grid", 3_000);
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "clean", "-q"])
        .assert()
        .success();
    let mut first = Command::new(bin())
        .current_dir(d)
        .args(["sweep", "grid.json", "-o", "busy", "-q", "-j", "1"])
        .spawn()
        .unwrap();
    wait_for_lock(&d.join("busy"), &mut first);
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "busy", "-q"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("busy: another orgsim process"));
    assert!(first.wait().unwrap().success());
    same_sweep(&d.join("clean"), &d.join("busy"));
    assert!(!d.join("busy/.orgsim-lock").exists());
    // Two runs: the second refuses; the first's output is whole (plot checks every file).
    let run = [
        "run", "baseline", "-n", "6", "--set", "years=8", "-o", "r", "-q",
    ];
    let mut first = Command::new(bin())
        .current_dir(d)
        .args(run)
        .spawn()
        .unwrap();
    wait_for_lock(&d.join("r"), &mut first);
    orgsim(d)
        .args(run)
        .assert()
        .failure()
        .stderr(predicate::str::contains("r: another orgsim process"));
    assert!(first.wait().unwrap().success());
    orgsim(d).args(["plot", "r", "-q"]).assert().success();
}

/// Sends `signal` (INT or TERM) to a child.
fn signal(child: &Child, signal: &str) {
    let ok = Command::new("kill")
        .args([format!("-{signal}"), child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{signal} failed");
}

/// Runs a 200,000-employee organization into `out`, sends it `sigs` one after the other
/// after `after` seconds, and returns the seconds from the first signal to its exit, its exit
/// code and its error output.
fn stop_large_run(d: &Path, out: &str, sigs: &[&str], after: f64) -> (f64, i32, String) {
    let mut child = Command::new(bin())
        .current_dir(d)
        .args([
            "run",
            "baseline",
            "-n",
            "2",
            "--no-charts",
            "-o",
            out,
            "--set",
            "organization.founders=200000",
            "--set",
            "organization.capacity=200000",
            "--set",
            "organization.max_departments=40",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs_f64(after));
    assert!(child.try_wait().unwrap().is_none(), "finished too soon");
    let t = Instant::now();
    for sig in sigs {
        signal(&child, sig);
    }
    let output = child.wait_with_output().unwrap();
    let took = t.elapsed().as_secs_f64();
    (
        took,
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn ctrl_c_and_sigterm_stop_a_large_run_at_once_leaving_its_directory_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    orgsim(d)
        .args(["run", "classic/march1991", "-n", "5", "-o", "out", "-q"])
        .assert()
        .success();
    let before = contents(&d.join("out"));
    // During its weeks and during the founding of the organization (a few seconds at this
    // size); then a second signal, which exits without waiting for the first. (Two different
    // signals: two of a kind sent together may arrive as one.)
    for (sigs, after) in [
        (&["INT"][..], 4.0),
        (&["TERM"], 0.8),
        (&["INT", "TERM"], 4.0),
    ] {
        let (took, code, stderr) = stop_large_run(d, "out", sigs, after);
        let what = format!("SIG{} after {after} s", sigs.join(" and SIG"));
        eprintln!("{what}: exited in {took:.3} s");
        assert!(took < 5.0, "{what}: took {took:.2} s to stop\n{stderr}");
        assert_eq!(code, 130, "{stderr}");
        let said = if sigs.len() == 2 {
            "Stopped at once"
        } else {
            "left as it was"
        };
        assert!(stderr.contains(said), "{what}: {stderr}");
        assert_eq!(contents(&d.join("out")), before, "{what}");
        assert_eq!(
            names(d),
            ["out"],
            "{what}: something left beside the output"
        );
    }
    // A cancelled run into a new directory leaves nothing at all.
    let (_, code, _) = stop_large_run(d, "new", &["TERM"], 0.8);
    assert_eq!(code, 130);
    assert_eq!(names(d), ["out"]);
}

#[test]
fn sigterm_stops_a_sweep_which_resumes_and_clears_stale_partial_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_sweep(d, "grid", 5_000);
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "clean", "-q"])
        .assert()
        .success();
    let mut child = Command::new(bin())
        .current_dir(d)
        .args(["sweep", "grid.json", "-o", "s", "-q", "-j", "1"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_lock(&d.join("s"), &mut child);
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "TERM");
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("run the same command again to resume"),
        "{stderr}"
    );
    // What a kill in the middle of writing a file leaves: removed by the next sweep.
    fs::write(d.join("s/.orgsim-partial-stale"), "torn").unwrap();
    orgsim(d)
        .args(["sweep", "grid.json", "-o", "s", "-q"])
        .assert()
        .success();
    same_sweep(&d.join("clean"), &d.join("s"));
    assert!(names(&d.join("s")).iter().all(|n| !n.starts_with('.')));
    // A sweep of large organizations stops within a simulated week, not a whole run.
    fs::write(
        d.join("big.json"),
        r#"{ "base": "baseline",
             "axes": [ { "path": "organization.founders", "values": [200000, 210000] },
                       { "path": "organization.capacity", "values": [220000] },
                       { "path": "organization.max_departments", "values": [40] } ],
             "replicates": 1 }"#,
    )
    .unwrap();
    let child = Command::new(bin())
        .current_dir(d)
        .args(["sweep", "big.json", "-o", "big", "-q"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(4));
    let t = Instant::now();
    signal(&child, "TERM");
    let output = child.wait_with_output().unwrap();
    let took = t.elapsed().as_secs_f64();
    eprintln!("large sweep: SIGTERM took {took:.3} s");
    assert!(took < 5.0, "took {took:.2} s");
    assert_eq!(output.status.code(), Some(130));
}
