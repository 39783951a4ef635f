//! docs/cluster.md as a user follows it. The Slurm scripts it shows are the files under
//! docs/slurm/ (checked here, always), and with `--features slurm-tests` (run by `.ci/run`
//! after `.ci/slurm-up` brings up a one-node Slurm) those files are submitted to a real Slurm:
//! the array's merge is byte-identical to the unsharded run, also after tasks are cancelled
//! while running and then resubmitted or requeued.

use std::fs;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The first fenced code block after the line of docs/cluster.md that links to `file`
/// (relative to docs/).
fn block_after_link(doc: &str, file: &str) -> String {
    let link = format!("]({file})");
    let mut lines = doc.lines().skip_while(|l| !l.contains(&link));
    assert!(
        lines.next().is_some(),
        "docs/cluster.md has no line linking to {file}"
    );
    let mut lines = lines.skip_while(|l| !l.starts_with("```"));
    lines
        .next()
        .unwrap_or_else(|| panic!("no code block after the link to {file}"));
    let mut block = String::new();
    for l in lines.by_ref() {
        if l.starts_with("```") {
            return block;
        }
        block.push_str(l);
        block.push('\n');
    }
    panic!("the code block after the link to {file} is not closed")
}

#[test]
fn cluster_doc_shows_the_slurm_scripts_exactly() {
    let doc = fs::read_to_string(repo().join("docs/cluster.md")).unwrap();
    for file in ["slurm/sweep.sbatch", "slurm/merge.sbatch"] {
        let script = fs::read_to_string(repo().join("docs").join(file)).unwrap();
        assert!(
            block_after_link(&doc, file) == script,
            "the script shown in docs/cluster.md differs from docs/{file}: copy one onto the other"
        );
    }
}

#[cfg(feature = "slurm-tests")]
mod slurm {
    use std::fs;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Output};
    use std::time::{Duration, Instant};

    use super::repo;

    /// The sweep the test submits: the documented life-cycle Sobol sweep with fewer points,
    /// a few seconds of work per shard.
    const SWEEP: &str = "ci-sobol.json";
    const NAME: &str = "ci-sobol";
    const SHARDS: usize = 3;
    /// What the test asks of each job instead of the scripts' 8 cores and 2 GB (command-line
    /// options override the scripts' `#SBATCH` lines), so that tasks fit a 2-core node.
    const FIT: [&str; 2] = ["--cpus-per-task=1", "--mem=300M"];
    const WAIT: Duration = Duration::from_secs(300);

    /// A submission directory with the sweep file, `logs/`, and `orgsim` on the PATH that
    /// sbatch passes to the jobs.
    struct Site {
        dir: PathBuf,
        path: String,
        /// Jobs submitted, cancelled if the test fails so that none is left in the queue.
        jobs: std::cell::RefCell<Vec<String>>,
    }

    impl Drop for Site {
        fn drop(&mut self) {
            if std::thread::panicking() {
                let _ = Command::new("scancel")
                    .args(self.jobs.get_mut().iter())
                    .output();
            }
        }
    }

    impl Site {
        fn new(root: &Path, name: &str) -> Site {
            let dir = root.join(name);
            fs::create_dir_all(dir.join("logs")).unwrap();
            let mut sweep: serde_json::Value = serde_json::from_str(
                &fs::read_to_string(repo().join("scenarios/sweeps/lifecycle-sobol.json")).unwrap(),
            )
            .unwrap();
            sweep["name"] = NAME.into();
            sweep["points"] = 32.into();
            fs::write(
                dir.join(SWEEP),
                serde_json::to_string_pretty(&sweep).unwrap(),
            )
            .unwrap();
            let path = format!(
                "{}:{}",
                root.join("bin").display(),
                std::env::var("PATH").unwrap_or_default()
            );
            Site {
                dir,
                path,
                jobs: Default::default(),
            }
        }

        fn run(&self, program: &str, args: &[&str]) -> Output {
            Command::new(program)
                .args(args)
                .current_dir(&self.dir)
                .env("PATH", &self.path)
                .output()
                .unwrap_or_else(|e| {
                    panic!("cannot run {program} (is Slurm installed? .ci/slurm-up): {e}")
                })
        }

        /// Runs a Slurm command that must succeed; its stdout.
        fn ok(&self, program: &str, args: &[&str]) -> String {
            let out = self.run(program, args);
            assert!(
                out.status.success(),
                "{program} {args:?} failed: {}\n{}",
                String::from_utf8_lossy(&out.stderr),
                self.diagnostics()
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        }

        /// Submits with sbatch; the job id.
        fn sbatch(&self, args: &[&str]) -> String {
            let mut all = vec!["--parsable"];
            all.extend_from_slice(args);
            let out = self.ok("sbatch", &all);
            let job = out.trim().split(';').next().unwrap().to_string();
            self.jobs.borrow_mut().push(job.clone());
            job
        }

        fn submit_array(&self, array: &str) -> String {
            let script = repo().join("docs/slurm/sweep.sbatch");
            let mut args = vec![array];
            args.extend_from_slice(&FIT);
            let shards = SHARDS.to_string();
            args.extend([script.to_str().unwrap(), SWEEP, &shards]);
            self.sbatch(&args)
        }

        fn submit_merge(&self, after: &str) -> String {
            let script = repo().join("docs/slurm/merge.sbatch");
            let dependency = format!("--dependency=afterany:{after}");
            self.sbatch(&[&dependency, "--mem=300M", script.to_str().unwrap(), SWEEP])
        }

        /// Each job (or array task) of `job` with its state, from `scontrol show job`.
        fn states(&self, job: &str) -> Vec<(String, String)> {
            let text = self.ok("scontrol", &["show", "job", "-o", job]);
            text.lines()
                .map(|l| {
                    let field = |k: &str| {
                        l.split_whitespace()
                            .find_map(|f| f.strip_prefix(k))
                            .unwrap_or("")
                            .to_string()
                    };
                    let task = field("ArrayTaskId=");
                    let id = if task.is_empty() {
                        field("JobId=")
                    } else {
                        format!("{}_{task}", field("ArrayJobId="))
                    };
                    (id, field("JobState="))
                })
                .collect()
        }

        /// Waits until every job of `job` has ended; their final states.
        fn wait(&self, job: &str) -> Vec<(String, String)> {
            let start = Instant::now();
            loop {
                let states = self.states(job);
                let running = [
                    "PENDING",
                    "RUNNING",
                    "CONFIGURING",
                    "COMPLETING",
                    "REQUEUED",
                ];
                if states.iter().all(|(_, s)| !running.contains(&s.as_str())) {
                    return states;
                }
                if start.elapsed() > WAIT {
                    panic!(
                        "job {job} has not ended after {} s: {states:?}\n{}",
                        WAIT.as_secs(),
                        self.diagnostics()
                    );
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }

        fn wait_completed(&self, job: &str) {
            let states = self.wait(job);
            assert!(
                states.iter().all(|(_, s)| s == "COMPLETED"),
                "job {job} ended {states:?}\n{}",
                self.diagnostics()
            );
        }

        /// Runs committed and runs in shard `task`, from `orgsim status` (None before the
        /// shard has started).
        fn progress(&self, task: usize) -> Option<(u64, u64)> {
            let dir = format!("shards/{NAME}/task-{task}");
            if !self.dir.join(&dir).exists() {
                return None;
            }
            let out = self.run("orgsim", &["status", &dir]);
            let text = String::from_utf8_lossy(&out.stdout);
            let words: Vec<&str> = text.split_whitespace().collect();
            let w = words.windows(4).find(|w| w[1] == "of" && w[3] == "runs")?;
            Some((w[0].parse().ok()?, w[2].parse().ok()?))
        }

        fn log(&self, name: &str) -> String {
            fs::read_to_string(self.dir.join("logs").join(name))
                .unwrap_or_else(|e| panic!("log {name}: {e}\n{}", self.diagnostics()))
        }

        /// The queue, the node and every log, for failure messages.
        fn diagnostics(&self) -> String {
            let mut text = String::new();
            for (program, args) in [("squeue", &["-a"][..]), ("sinfo", &["-N", "-l"][..])] {
                if let Ok(out) = Command::new(program).args(args).output() {
                    text.push_str(&format!(
                        "$ {program} {}\n{}{}",
                        args.join(" "),
                        String::from_utf8_lossy(&out.stdout),
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
            }
            if let Ok(entries) = fs::read_dir(self.dir.join("logs")) {
                let mut logs: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
                logs.sort();
                for l in logs {
                    text.push_str(&format!(
                        "--- {}\n{}",
                        l.display(),
                        fs::read_to_string(&l).unwrap_or_default()
                    ));
                }
            }
            text
        }
    }

    /// Every file of `a` is in `b` with the same bytes, and `b` has no others.
    fn same_dirs(a: &Path, b: &Path) {
        let names = |d: &Path| {
            let mut v: Vec<String> = fs::read_dir(d)
                .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        assert_eq!(names(a), names(b), "{} and {}", a.display(), b.display());
        for n in names(a) {
            assert!(
                fs::read(a.join(&n)).unwrap() == fs::read(b.join(&n)).unwrap(),
                "{n} differs between {} and {}",
                a.display(),
                b.display()
            );
        }
    }

    /// The number of runs a resumed task found done, from its log line "...; K were already
    /// done."
    fn already_done(log: &str) -> Option<u64> {
        let at = log.find(" were already done")?;
        log[..at].rsplit(' ').next()?.parse().ok()
    }

    #[test]
    fn the_documented_slurm_scripts_merge_into_the_unsharded_files_and_cancelled_tasks_resume() {
        // Opted in: Slurm must be there (this fails, it never skips).
        let node = Command::new("sinfo")
            .args(["-h", "-o", "%t"])
            .output()
            .expect("sinfo is not installed: run .ci/slurm-up first");
        let node = String::from_utf8_lossy(&node.stdout).into_owned();
        assert!(
            ["idle", "mix"].contains(&node.trim()),
            "no idle Slurm node (sinfo says {node:?}): run .ci/slurm-up first"
        );
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        fs::create_dir(root.join("bin")).unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_orgsim"), root.join("bin/orgsim")).unwrap();

        // The unsharded run and its analysis, without Slurm.
        let whole = Site::new(root, "whole");
        let started = Instant::now();
        whole.ok("orgsim", &["sweep", SWEEP, "--out", "out", "--quiet"]);
        whole.ok("orgsim", &["analyze", "out"]);
        eprintln!("unsharded: {:.1} s", started.elapsed().as_secs_f64());
        let expected = whole.dir.join("out");

        // As docs/cluster.md says: the array, then the merge after it.
        let started = Instant::now();
        let site = Site::new(root, "first");
        let array = site.submit_array("--array=0-2");
        let merge = site.submit_merge(&array);
        site.wait_completed(&merge);
        site.wait_completed(&array);
        same_dirs(&expected, &site.dir.join("results").join(NAME));
        for t in 0..SHARDS {
            let log = site.log(&format!("orgsim-sweep-{array}-{t}.out"));
            assert!(log.contains("Shard finished"), "{log}");
        }
        eprintln!("array and merge: {:.1} s", started.elapsed().as_secs_f64());

        // Without orgsim on the PATH it was submitted with, a task says so and fails.
        let mut lost = Site::new(root, "no-path");
        lost.path = "/usr/bin:/bin".into();
        let job = lost.submit_array("--array=0");
        assert_eq!(lost.wait(&job), [(format!("{job}_0"), "FAILED".into())]);
        let log = lost.log(&format!("orgsim-sweep-{job}-0.out"));
        assert!(log.contains("orgsim is not on PATH"), "{log}");

        // Tasks 0 and 1 cancelled while running, after each has committed some runs.
        let started = Instant::now();
        let site = Site::new(root, "cancelled");
        let array = site.submit_array("--array=0-2");
        let merge = site.submit_merge(&array);
        let mut seen = [0u64; 2];
        loop {
            let states = site.states(&array);
            let running = |t: usize| {
                states
                    .iter()
                    .any(|(id, s)| *id == format!("{array}_{t}") && s == "RUNNING")
            };
            let progress = [site.progress(0), site.progress(1)];
            for (t, p) in progress.iter().enumerate() {
                if let Some((done, runs)) = p {
                    assert!(
                        done < runs,
                        "task {t} finished before it could be cancelled: make the test's sweep larger"
                    );
                    seen[t] = *done;
                }
            }
            if running(0) && running(1) && seen.iter().all(|&d| d > 0) {
                break;
            }
            assert!(
                started.elapsed() < WAIT,
                "tasks 0 and 1 never ran together: {states:?}\n{}",
                site.diagnostics()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        site.ok("scancel", &[&format!("{array}_0"), &format!("{array}_1")]);
        // The merge runs when the last task ends, finds two shards unfinished and stops.
        let states = site.wait(&merge);
        assert_eq!(states[0].1, "FAILED", "{}", site.diagnostics());
        let log = site.log(&format!("orgsim-merge-{merge}.out"));
        assert!(log.contains("runs missing"), "{log}");
        assert!(!site.dir.join("results").exists(), "{log}");
        let states = site.wait(&array);
        for t in 0..2 {
            let id = format!("{array}_{t}");
            assert!(
                states.contains(&(id.clone(), "CANCELLED".into())),
                "{id}: {states:?}"
            );
        }

        // Task 0 resubmitted, task 1 requeued (started at once: Slurm holds a requeued job
        // for two minutes), and the merge submitted again after them.
        let again = site.submit_array("--array=0");
        let task1 = format!("{array}_1");
        site.ok("scontrol", &["requeue", &task1]);
        site.ok(
            "scontrol",
            &["update", &format!("JobId={task1}"), "StartTime=now"],
        );
        let merge = site.submit_merge(&format!("{again}:{task1}"));
        site.wait_completed(&merge);
        site.wait_completed(&again);
        let mut states = site.wait(&array);
        states.sort();
        let want = |t: usize, s: &str| (format!("{array}_{t}"), s.to_string());
        assert_eq!(
            states,
            [
                want(0, "CANCELLED"),
                want(1, "COMPLETED"),
                want(2, "COMPLETED")
            ]
        );
        same_dirs(&expected, &site.dir.join("results").join(NAME));
        // Each kept what it had committed before it was cancelled.
        let log0 = site.log(&format!("orgsim-sweep-{again}-0.out"));
        let resumed = already_done(&log0);
        assert!(resumed >= Some(seen[0]), "seen {} done: {log0}", seen[0]);
        // The requeued task appended to the log of its first attempt (--open-mode=append).
        let log1 = site.log(&format!("orgsim-sweep-{array}-1.out"));
        let cancelled = log1.find("CANCELLED").expect(&log1);
        assert!(log1[cancelled..].contains("were already done"), "{log1}");
        assert!(
            already_done(&log1) >= Some(seen[1]),
            "seen {} done: {log1}",
            seen[1]
        );
        eprintln!(
            "cancelled, resubmitted, requeued and merged: {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
}
