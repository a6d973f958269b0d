//! Randomness keyed by `(seed, sweep point, run, block, stream)`: every draw of a run depends only
//! on its key, never on the order runs are scheduled in or on the number of threads.

/// A small generator (SplitMix64) started from a BLAKE3 digest of its key.
#[derive(Debug, Clone)]
pub struct Stream {
    state: u64,
}

/// What a stream's key names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The batch's seed.
    pub seed: u64,
    /// The sweep point.
    pub point: u64,
    /// The Monte Carlo run.
    pub run: u64,
    /// The block.
    pub block: u64,
    /// Which of the block's streams (one per agent, one per shock…).
    pub stream: u64,
}

impl Stream {
    /// The stream for `key`.
    pub fn new(key: Key) -> Stream {
        let mut hasher = blake3::Hasher::new_derive_key("atelier/sim/rng");
        for part in [key.seed, key.point, key.run, key.block, key.stream] {
            hasher.update(&part.to_le_bytes());
        }
        let bytes = hasher.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&bytes.as_bytes()[..8]);
        Stream { state: u64::from_le_bytes(first) }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform draw in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Whether an event of probability `p` happens.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A uniform draw in `[low, high]`.
    pub fn between(&mut self, low: u128, high: u128) -> u128 {
        if high <= low {
            return low;
        }
        low + u128::from(self.next_u64()) % (high - low + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_depends_only_on_its_key() {
        let key = Key { seed: 7, point: 1, run: 2, block: 3, stream: 4 };
        let a: Vec<u64> = (0..5)
            .map({
                let mut s = Stream::new(key);
                move |_| s.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut s = Stream::new(key);
                move |_| s.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        let mut other = Stream::new(Key { block: 4, ..key });
        assert_ne!(a[0], other.next_u64());
        let mut unit = Stream::new(key);
        assert!((0..1_000).map(|_| unit.unit()).all(|u| (0.0..1.0).contains(&u)));
    }
}
