//! One simulated block of the cadCAD-parity economy (100 agents, `scenarios/cadcad-parity.toml`)
//! through the protocol's own execution (which checks every invariant from what the block changed),
//! with and without a scan of the whole state for them after every block. Each
//! world first runs `AGE` blocks (its jobs flowing, two epochs closed), then keeps growing across
//! iterations as a long run's does.
//!
//! Run: `cargo bench -p atelier-sim --bench steps`.

use atelier_sim::{Scenario, World, rng::Key};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

/// Blocks each world runs before it is measured.
const AGE: u64 = 250;

fn steps(c: &mut Criterion) {
    let text = include_str!("../../../scenarios/cadcad-parity.toml");
    let mut group = c.benchmark_group("sim");
    group.throughput(Throughput::Elements(1));
    // Blocks differ (an epoch's last one does more) and the state grows: every sample runs the
    // same number of blocks and the estimate is their mean, not a regression's slope.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    for check in [false, true] {
        let mut scenario = Scenario::parse(text, &[]).expect("the scenario parses");
        scenario.full_invariant_scan = check;
        scenario.blocks = u64::MAX / 2;
        let key = Key { seed: scenario.seed, point: 0, run: 0, block: 0, stream: 0 };
        let mut world = World::new(&scenario, key).expect("a valid genesis");
        for block in 1..=AGE {
            world.step(block).expect("the block builds");
        }
        let mut block = AGE;
        let name = if check { "cadcad_parity_step_full_scan" } else { "cadcad_parity_step" };
        group.bench_function(name, |b| {
            b.iter(|| {
                block += 1;
                world.step(block).expect("the block builds")
            });
        });
    }
    group.finish();
}

criterion_group!(benches, steps);
criterion_main!(benches);
