//! What a block measured: one CSV row per block, every metric an integer in base units.

/// Declares [`Row`] with its metrics in CSV order, each documented once.
macro_rules! rows {
    ($($(#[doc = $doc:literal])+ $name:ident,)+) => {
        /// What one block measured.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct Row {
            /// Height.
            pub block: u64,
            $($(#[doc = $doc])+ pub $name: i128,)+
        }

        impl Row {
            /// The metric names, in CSV order after `block`.
            pub const METRICS: &'static [&'static str] = &[$(stringify!($name)),+];

            /// The metrics, in [`Row::METRICS`] order.
            pub fn values(&self) -> Vec<i128> {
                vec![$(self.$name),+]
            }
        }
    };
}

rows! {
    /// Gas the block used.
    gas_used,
    /// Block-space base fee per gas.
    base_fee,
    /// The class's compute base fee per unit.
    compute_base_fee,
    /// The class's utilisation in the last block, in basis points.
    utilisation_bps,
    /// Jobs waiting in the class's queue.
    queued,
    /// Jobs submitted in the block.
    jobs_submitted,
    /// Jobs admitted in the block.
    jobs_admitted,
    /// Jobs settled since genesis.
    jobs_settled,
    /// Swaps filled in the block.
    swaps,
    /// The pool's price, `uusd` per `ugdc` × 10^12.
    price,
    /// The treasury's `ugdc`.
    treasury_gdc,
    /// The treasury's stable reserve, `uusd`.
    reserve,
    /// Epochs of infrastructure cost the reserve pays for (0 without a cost).
    runway_epochs,
    /// `ugdc` burned since genesis.
    burned,
    /// Transactions the proposer left out.
    skipped,
    /// The oracle's published GDC/USD (0 before its first value).
    oracle_price,
    /// The treasury's moving average of the price, as of the last epoch's close.
    average,
    /// The cushion band under it.
    cushion,
    /// The wall band under that.
    wall,
    /// `uusd` the treasury has spent on buy-backs since genesis.
    bought_back,
    /// `ugdc` the treasury has bought back and burned since genesis.
    bought_burned,
    /// Settled jobs' pay to providers since genesis, `ugdc`.
    paid_providers,
    /// To the models' datasets.
    paid_datasets,
    /// To the models' fine-tuners.
    paid_fine_tuners,
    /// To the treasury.
    paid_treasury,
    /// Assets sold in the block.
    sales,
    /// What sales paid since genesis to royalty stacks, datasets and model vaults, `ugdc`.
    paid_royalties,
    /// Sales' protocol fees since genesis, `ugdc`.
    market_fees,
    /// The Gini coefficient of the agents' reputation, in basis points, as of the last epoch's
    /// close.
    reputation_gini_bps,
    /// Governance proposals opened since genesis.
    proposals,
    /// Proposals executed since genesis.
    proposals_executed,
    /// Proposals defeated since genesis.
    proposals_defeated,
    /// Votes cast since genesis.
    votes,
    /// What the attack agents gained, `uusd` at the pool's price: the change in their holdings
    /// minus that of the honest twin they are measured against.
    attacker_pnl,
    /// Reputation the attack agents hold beyond their honest twin's.
    attacker_reputation,
    /// `ugdc` the treasury's style incentive has paid since genesis, as of the last epoch's close.
    style_incentive_paid,
    /// The share of the last closed epoch's style incentive that went to the models of the style
    /// asked for most in it, in basis points (0 when nothing was paid).
    incentive_in_demand_bps,
    /// The style oracles' demand forecasts' one-step-ahead RMS error, in thousandths of a unit,
    /// averaged over the styles they fit (as of the epoch under way).
    forecast_error_milli,
    /// The same for the naive forecast (each epoch predicted by the one before): what the
    /// forecast should beat.
    naive_error_milli,
}

impl Row {
    /// The CSV header.
    pub fn header() -> String {
        format!("block,{}", Row::METRICS.join(","))
    }

    /// One CSV line, without its newline.
    pub fn csv(&self) -> String {
        let values: Vec<String> = self.values().iter().map(i128::to_string).collect();
        format!("{},{}", self.block, values.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_every_value_of_a_row() {
        let row = Row::default();
        assert_eq!(Row::header().split(',').count(), 1 + row.values().len());
        assert_eq!(row.csv().split(',').count(), 1 + Row::METRICS.len());
    }
}
