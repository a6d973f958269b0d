//! Market parameters, changed only through governance's `SetParams`.

use atelier_primitives::{Amount, Bps, Decode, Encode, Layout};
use serde::{Deserialize, Serialize};

use super::MarketParamsError;

/// Market parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarketParams {
    /// Share of every sale paid to the treasury (rounded up).
    pub protocol_fee: Bps,
    /// Share of every asset sale paid to its model's datasets.
    pub dataset_royalty: Bps,
    /// Lowest price of a listing.
    pub min_price: Amount,
    /// Longest life of a listing, in blocks.
    pub max_listing_blocks: u64,
}

impl Default for MarketParams {
    /// 2.5% to the treasury, 2% to the datasets, prices from 1 base unit, listings up to 100 000
    /// blocks.
    fn default() -> Self {
        MarketParams {
            protocol_fee: Bps::new(250).unwrap_or(Bps::ZERO),
            dataset_royalty: Bps::new(200).unwrap_or(Bps::ZERO),
            min_price: Amount::new(1),
            max_listing_blocks: 100_000,
        }
    }
}

impl MarketParams {
    /// Checks the params; `royalty_caps` is the most an asset sale can owe besides the protocol fee
    /// and the dataset royalty (the provenance stack cap plus the registry's lineage fee cap).
    pub fn validate(&self, royalty_caps: u32) -> Result<(), MarketParamsError> {
        let total = u32::from(self.protocol_fee.get()) + u32::from(self.dataset_royalty.get()) + royalty_caps;
        if total > 10_000 {
            return Err(MarketParamsError::OverOwed { total });
        }
        if self.max_listing_blocks == 0 || self.min_price.is_zero() {
            return Err(MarketParamsError::Zero);
        }
        Ok(())
    }
}
