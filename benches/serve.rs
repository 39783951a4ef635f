//! What `orgsim serve` recomputes when a control is released: the default scenario's
//! replicates, summarized into the page's bands, phases and outcomes (no files). Figures in
//! README.md (`orgsim serve`).

use std::sync::atomic::AtomicU64;

use criterion::{Criterion, criterion_group, criterion_main};
use orgsim::model::Stop;
use orgsim::scenario::load;
use orgsim::serve::{DEFAULT_REPLICATES, sim};

fn recompute(c: &mut Criterion) {
    let mut g = c.benchmark_group("serve_recompute");
    g.sample_size(10);
    for name in ["baseline", "dual-system"] {
        let scenario = load(name, &[]).unwrap().scenario;
        for replicates in [10, DEFAULT_REPLICATES] {
            g.bench_function(format!("{name}/{replicates}"), |b| {
                b.iter(|| {
                    sim::simulate(&scenario, replicates, 1, &Stop::never(), &AtomicU64::new(0))
                        .expect("not stopped")
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, recompute);
criterion_main!(benches);
