//! Sweep throughput on 1 and 2 threads: a March (1991) grid of 6 points x 1,000 replicates,
//! end to end (runs, journal, final files). Figures and method are recorded in README.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use orgsim::sweep::{SweepPlan, read_sweep, run_sweep};

const SWEEP: &str = r#"{
  "base": "classic/march1991",
  "axes": [
    { "path": "march.p1", "values": [0.1, 0.5, 0.9] },
    { "path": "march.p2", "values": [0.1, 0.9] }
  ],
  "replicates": 1000,
  "seed": 1
}"#;

fn sweep_throughput(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("bench.json");
    std::fs::write(&file, SWEEP).expect("the sweep file is written");
    let design = read_sweep(&file, u64::MAX).expect("a valid sweep");
    let mut g = c.benchmark_group("sweep_march_6000_runs");
    g.sample_size(10);
    g.throughput(Throughput::Elements(design.total_runs()));
    for threads in [1, 2] {
        g.bench_function(format!("{threads} thread(s) (runs/s)"), |b| {
            b.iter(|| {
                let out = tempfile::tempdir_in(dir.path()).expect("an output directory");
                let plan = SweepPlan {
                    out: out.path().to_path_buf(),
                    threads: Some(threads),
                    shard: (0, 1),
                    repair: false,
                };
                run_sweep(&design, &plan, &()).expect("the sweep runs")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, sweep_throughput);
criterion_main!(benches);
