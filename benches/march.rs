//! Speed of the March (1991) model: periods per second on one core, and replicate
//! throughput on all cores. Figures and method are recorded in README.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use orgsim::march1991::{MarchModel, MarchParams};
use orgsim::model::{Model, Simulate};
use orgsim::rng::replicate_seed;
use rayon::prelude::*;

fn model() -> MarchModel {
    MarchModel::new(MarchParams::default())
}

/// One core: whole runs at n = 50, m = 30, p1 = p2 = 0.5, counted in periods.
fn periods_per_second(c: &mut Criterion) {
    let m = model();
    let seeds: Vec<u64> = (0..200).map(|r| replicate_seed(1, r)).collect();
    let periods: u64 = seeds
        .iter()
        .map(|&s| m.simulate(s).outcomes[1].unwrap() as u64)
        .sum();
    let mut g = c.benchmark_group("march_one_core");
    g.throughput(Throughput::Elements(periods));
    g.bench_function("200 runs (periods/s)", |b| {
        b.iter(|| {
            seeds
                .iter()
                .map(|&s| m.simulate(s).outcomes[0].unwrap())
                .sum::<f64>()
        })
    });
    g.finish();

    // The step alone, on a state far from equilibrium (a fresh organization each time).
    let mut g = c.benchmark_group("march_step");
    g.throughput(Throughput::Elements(1));
    g.bench_function("first period, n=50 m=30", |b| {
        b.iter_batched(
            || m.init(7),
            |mut s| {
                m.step(&mut s);
                s
            },
            criterion::BatchSize::SmallInput,
        )
    });
    g.finish();
}

/// All cores: 10,000 replicates through rayon, as the engine schedules them (no file I/O).
fn replicate_throughput(c: &mut Criterion) {
    let m = model();
    let mut g = c.benchmark_group("march_all_cores");
    g.sample_size(10);
    g.throughput(Throughput::Elements(10_000));
    g.bench_function("10000 runs (runs/s)", |b| {
        b.iter(|| {
            (0..10_000u64)
                .into_par_iter()
                .map(|r| m.simulate(replicate_seed(1, r)).outcomes[0].unwrap())
                .sum::<f64>()
        })
    });
    g.finish();
}

criterion_group!(benches, periods_per_second, replicate_throughput);
criterion_main!(benches);
