//! The compute market's pure arithmetic, tested alone: a job's price, and the assignment of jobs to
//! providers weighted by their free capacity.

use atelier_primitives::{Amount, ArithmeticError, Hash};

/// What an admitted job pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price {
    /// `units * base_fee`.
    pub base: Amount,
    /// `units * tip_per_unit`.
    pub tip: Amount,
    /// The tip offered, capped at `max_fee - base_fee`.
    pub tip_per_unit: Amount,
}

/// What a job of `units` pays when admitted at `base_fee` per unit with `max_fee` and `tip` per
/// unit: `units * (base_fee + min(tip, max_fee - base_fee))`. Fails only on overflow.
pub fn price(units: u64, base_fee: Amount, max_fee: Amount, tip: Amount) -> Result<Price, ArithmeticError> {
    let tip_per_unit = tip.min(max_fee.saturating_sub(base_fee));
    Ok(Price {
        base: base_fee.checked_mul(u128::from(units))?,
        tip: tip_per_unit.checked_mul(u128::from(units))?,
        tip_per_unit,
    })
}

/// The point a job's assignment is drawn at, in `[0, total)`: from the parent block's hash and the
/// job's id, so that every node draws the same and nobody can choose it within a block.
pub fn draw(parent_hash: &Hash, job: u64, total: u128) -> u128 {
    let digest = Hash::digest("atelier/compute/assign", &[parent_hash.as_bytes(), &job.to_be_bytes()]);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest.as_bytes()[..16]);
    u128::from_be_bytes(bytes).checked_rem(total).unwrap_or(0)
}

/// Providers' free capacity in one block, as a segment tree of sums and maxima: a weighted pick
/// and a capacity update each cost O(log providers).
#[derive(Debug, Clone)]
pub struct CapacityTree {
    leaves: usize,
    sum: Vec<u128>,
    max: Vec<u64>,
}

impl CapacityTree {
    /// A tree over `free`, one leaf per provider.
    pub fn new(free: &[u64]) -> Self {
        let leaves = free.len().next_power_of_two().max(1);
        let mut tree = CapacityTree { leaves, sum: vec![0; 2 * leaves], max: vec![0; 2 * leaves] };
        for (i, &units) in free.iter().enumerate() {
            tree.sum[leaves + i] = u128::from(units);
            tree.max[leaves + i] = units;
        }
        for node in (1..leaves).rev() {
            tree.pull(node);
        }
        tree
    }

    fn pull(&mut self, node: usize) {
        self.sum[node] = self.sum[2 * node] + self.sum[2 * node + 1];
        self.max[node] = self.max[2 * node].max(self.max[2 * node + 1]);
    }

    /// Free capacity in all.
    pub fn total(&self) -> u128 {
        self.sum[1]
    }

    /// The largest free capacity of one provider.
    pub fn largest(&self) -> u64 {
        self.max[1]
    }

    /// Free capacity of provider `index`.
    pub fn free(&self, index: usize) -> u64 {
        self.max.get(self.leaves + index).copied().unwrap_or(0)
    }

    /// The provider a job of `units` goes to for the point `at` in `[0, total)`: the one whose
    /// span of free capacity holds `at` (so each is picked in proportion to its free capacity);
    /// if that one cannot fit the job, the next one after it that can, wrapping around. `None`
    /// when nobody can.
    pub fn pick(&self, at: u128, units: u64) -> Option<usize> {
        if self.largest() < units || self.total() == 0 {
            return None;
        }
        let mut node = 1;
        let mut rest = at.min(self.total() - 1);
        while node < self.leaves {
            if rest < self.sum[2 * node] {
                node *= 2;
            } else {
                rest -= self.sum[2 * node];
                node = 2 * node + 1;
            }
        }
        let landed = node - self.leaves;
        if self.free(landed) >= units {
            return Some(landed);
        }
        self.first_fitting(1, 0, self.leaves, landed + 1, units)
            .or_else(|| self.first_fitting(1, 0, self.leaves, 0, units))
    }

    /// The first leaf at or after `from` with at least `units` free, in the subtree `node` that
    /// spans leaves `[low, high)`.
    fn first_fitting(&self, node: usize, low: usize, high: usize, from: usize, units: u64) -> Option<usize> {
        if high <= from || self.max[node] < units {
            return None;
        }
        if node >= self.leaves {
            return Some(node - self.leaves);
        }
        let middle = (low + high) / 2;
        self.first_fitting(2 * node, low, middle, from, units)
            .or_else(|| self.first_fitting(2 * node + 1, middle, high, from, units))
    }

    /// Takes `units` of provider `index`'s free capacity (at most what it has).
    pub fn take(&mut self, index: usize, units: u64) {
        let mut node = self.leaves + index;
        if node >= self.sum.len() {
            return;
        }
        let left = self.max[node].saturating_sub(units);
        self.max[node] = left;
        self.sum[node] = u128::from(left);
        while node > 1 {
            node /= 2;
            self.pull(node);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_tip_is_capped_by_what_the_fee_cap_leaves_above_the_base_fee() {
        let capped = price(10, Amount::new(100), Amount::new(130), Amount::new(50)).unwrap();
        assert_eq!(
            (capped.base, capped.tip, capped.tip_per_unit),
            (Amount::new(1_000), Amount::new(300), Amount::new(30))
        );
        let whole = price(10, Amount::new(100), Amount::new(200), Amount::new(50)).unwrap();
        assert_eq!(whole.tip, Amount::new(500));
    }

    #[test]
    fn a_pick_lands_on_the_provider_whose_span_holds_the_point() {
        let tree = CapacityTree::new(&[10, 0, 30, 60]);
        assert_eq!(tree.total(), 100);
        assert_eq!(tree.pick(0, 1), Some(0));
        assert_eq!(tree.pick(9, 1), Some(0));
        assert_eq!(tree.pick(10, 1), Some(2));
        assert_eq!(tree.pick(39, 1), Some(2));
        assert_eq!(tree.pick(40, 1), Some(3));
        assert_eq!(tree.pick(99, 1), Some(3));
    }

    #[test]
    fn a_job_too_big_for_the_landed_provider_goes_to_the_next_that_fits() {
        let mut tree = CapacityTree::new(&[10, 0, 30, 60]);
        assert_eq!(tree.pick(45, 40), Some(3));
        assert_eq!(tree.pick(5, 20), Some(2));
        tree.take(3, 50);
        assert_eq!(tree.pick(45, 20), Some(2), "wraps around past the end");
        assert_eq!(tree.pick(0, 31), None);
    }

    proptest! {
        #[test]
        fn picks_go_only_to_providers_with_room_and_never_exceed_capacity(
            free in proptest::collection::vec(0u64..100, 1..40),
            jobs in proptest::collection::vec((any::<u128>(), 1u64..50), 0..200),
        ) {
            let mut tree = CapacityTree::new(&free);
            let mut left = free.clone();
            for (at, units) in jobs {
                let fits = left.iter().any(|&f| f >= units);
                let total: u128 = left.iter().map(|&f| u128::from(f)).sum();
                prop_assert_eq!(tree.total(), total);
                match tree.pick(at.checked_rem(total.max(1)).unwrap_or(0), units) {
                    Some(index) => {
                        prop_assert!(left[index] >= units);
                        left[index] -= units;
                        tree.take(index, units);
                    }
                    None => prop_assert!(!fits),
                }
            }
        }

        #[test]
        fn picks_follow_free_capacity(a in 1u64..1_000, b in 1u64..1_000) {
            let tree = CapacityTree::new(&[a, b]);
            let first = (0..u128::from(a + b)).filter(|&at| tree.pick(at, 1) == Some(0)).count();
            prop_assert_eq!(first as u64, a);
        }
    }
}
