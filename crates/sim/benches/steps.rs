//! One simulated block of the cadCAD-parity economy (100 agents, `scenarios/cadcad-parity.toml`)
//! through the protocol's own execution, with and without the per-block invariant scan; the
//! world keeps growing across iterations as a long run's does.
//!
//! Run: `cargo bench -p atelier-sim --bench steps`.

use atelier_sim::{Scenario, World, rng::Key};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn steps(c: &mut Criterion) {
    let text = include_str!("../../../scenarios/cadcad-parity.toml");
    let mut group = c.benchmark_group("sim");
    group.throughput(Throughput::Elements(1));
    for check in [false, true] {
        let mut scenario = Scenario::parse(text, &[]).expect("the scenario parses");
        scenario.check_invariants = check;
        scenario.blocks = u64::MAX / 2;
        let name = if check { "cadcad_parity_step_checked" } else { "cadcad_parity_step" };
        group.bench_function(name, |b| {
            let key = Key { seed: 1, point: 0, run: 0, block: 0, stream: 0 };
            let mut world = World::new(&scenario, key).expect("a valid genesis");
            let mut block = 0;
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
