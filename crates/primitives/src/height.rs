//! [`Height`]: a block's position in the chain.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A block height. Genesis state is height 0; the first block is height 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Height(pub u64);

impl Height {
    /// The height of the genesis state.
    pub const GENESIS: Height = Height(0);

    /// The next height, or `None` at the end of time.
    pub fn next(self) -> Option<Height> {
        self.0.checked_add(1).map(Height)
    }

    /// The height as a number.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Height {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}
