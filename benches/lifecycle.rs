//! Speed and memory of the life-cycle model: one week at 1,000, 10,000 and 100,000
//! employees, an ensemble of baseline replicates, and how one large organization scales from
//! one thread to two (building it, and a week at 100,000 and 1,000,000 employees). Figures
//! and method are in README.md.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use orgsim::lifecycle::LifecycleModel;
use orgsim::lifecycle::state::Org;
use orgsim::model::Model;
use orgsim::rng::replicate_seed;
use orgsim::scenario::{Override, load};
use rayon::prelude::*;

/// The baseline model for an organization founded at `n` employees (and capacity `n`).
fn model(n: u32) -> LifecycleModel {
    let sets = [
        format!("organization.founders={n}"),
        format!("organization.capacity={n}"),
        "management.initial_density=0.5".to_string(),
    ];
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    let scenario = load("baseline", &overrides).unwrap().scenario;
    LifecycleModel::new(scenario.lifecycle_params(), Vec::new())
}

/// A pool of `threads` workers, as `--threads` gives a run.
fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

/// A baseline organization of `n` employees at founding, already run for a year so its
/// network, chart and initiatives are in a steady state; density starts mid-life (0.5).
fn organization(n: u32) -> (LifecycleModel, Org) {
    let model = model(n);
    let mut org = model.init(1);
    for _ in 0..52 {
        model.step(&mut org);
    }
    let ties: usize = org.network.all().iter().map(|t| t.len()).sum();
    eprintln!(
        "{n} employees: {} bytes of state per employee, {:.1} ties per employee",
        org.heap_bytes() / org.headcount() as usize,
        ties as f64 / f64::from(org.headcount())
    );
    (model, org)
}

fn one_week(c: &mut Criterion) {
    let mut g = c.benchmark_group("lifecycle_week");
    g.sample_size(10);
    for n in [1_000u32, 10_000, 100_000] {
        let (model, org) = organization(n);
        g.throughput(Throughput::Elements(u64::from(org.headcount())));
        g.bench_function(format!("{n} employees (agent-steps/s)"), |b| {
            b.iter_batched_ref(|| org.clone(), |o| model.step(o), BatchSize::LargeInput)
        });
    }
    g.finish();
}

/// Building an organization founded at N employees (drawing, placing and tying everyone), on
/// one thread and on two.
fn founding(c: &mut Criterion) {
    let mut g = c.benchmark_group("lifecycle_founding");
    g.sample_size(10);
    for n in [100_000u32, 1_000_000] {
        let model = model(n);
        g.throughput(Throughput::Elements(u64::from(n)));
        for threads in [1, 2] {
            let pool = pool(threads);
            g.bench_function(
                format!("{n} employees, {threads} threads (founders/s)"),
                |b| b.iter_with_large_drop(|| pool.install(|| model.init(1))),
            );
        }
    }
    g.finish();
}

/// One week of one large organization (as in `one_week`) on one thread and on two: every
/// part of the week, the sequential ones included (exits, hires, launches).
fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("lifecycle_scaling");
    g.sample_size(10);
    for n in [100_000u32, 1_000_000] {
        let (model, org) = pool(2).install(|| organization(n));
        g.throughput(Throughput::Elements(u64::from(org.headcount())));
        for threads in [1, 2] {
            let pool = pool(threads);
            g.bench_function(
                format!("{n} employees, {threads} threads (agent-steps/s)"),
                |b| {
                    b.iter_batched_ref(
                        || org.clone(),
                        |o| pool.install(|| model.step(o)),
                        BatchSize::LargeInput,
                    )
                },
            );
        }
    }
    g.finish();
}

fn ensemble(c: &mut Criterion) {
    let model = load("baseline", &[]).unwrap().scenario.build_model();
    let mut g = c.benchmark_group("lifecycle_ensemble");
    g.sample_size(10);
    g.throughput(Throughput::Elements(20));
    g.bench_function("20 baseline replicates, 20 years (runs/s)", |b| {
        b.iter(|| {
            (0..20u64)
                .into_par_iter()
                .map(|r| model.simulate(replicate_seed(7, r)).outcomes[0].unwrap())
                .sum::<f64>()
        })
    });
    g.finish();
}

criterion_group!(benches, one_week, founding, scaling, ensemble);
criterion_main!(benches);
