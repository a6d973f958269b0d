//! What a block measured: one CSV row per block, every metric an integer in base units.

/// Declares [`Row`] with its metrics in CSV order, each documented once with its unit and
/// [`Basis`].
macro_rules! rows {
    ($($(#[doc = $doc:literal])+ $name:ident: $unit:literal, $basis:ident;)+) => {
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

            /// Each metric's unit, in [`Row::METRICS`] order.
            pub const UNITS: &'static [&'static str] = &[$($unit),+];

            /// What each metric counts, in [`Row::METRICS`] order.
            pub const BASES: &'static [Basis] = &[$(Basis::$basis),+];

            /// The metrics, in [`Row::METRICS`] order.
            pub fn values(&self) -> Vec<i128> {
                vec![$(self.$name),+]
            }
        }
    };
}

/// What a metric's value in a block's row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// What happened in that block alone (its gas, its swaps).
    InBlock,
    /// The state after that block (a price, a balance, a queue).
    AtBlock,
    /// As of the last epoch's close (the treasury's bands, the Gini coefficients).
    AtEpochClose,
    /// Summed since genesis.
    SinceGenesis,
}

impl Basis {
    /// How a run is summed up in one number: the mean of its blocks for what happens in each
    /// block, its final value otherwise.
    pub fn statistic(self) -> &'static str {
        match self {
            Basis::InBlock => "mean per block",
            _ => "final value",
        }
    }
}

rows! {
    /// Gas the block used.
    gas_used: "gas", InBlock;
    /// Block-space base fee per gas.
    base_fee: "ugdc per gas", AtBlock;
    /// The class's compute base fee per unit.
    compute_base_fee: "ugdc per unit", AtBlock;
    /// The class's utilisation in the last block, in basis points.
    utilisation_bps: "bps", InBlock;
    /// Jobs waiting in the class's queue.
    queued: "jobs", AtBlock;
    /// Jobs submitted in the block.
    jobs_submitted: "jobs", InBlock;
    /// Jobs admitted in the block.
    jobs_admitted: "jobs", InBlock;
    /// Jobs settled since genesis.
    jobs_settled: "jobs", SinceGenesis;
    /// Swaps filled in the block.
    swaps: "swaps", InBlock;
    /// The pool's price, `uusd` per `ugdc` × 10^12.
    price: "uusd per ugdc × 10^12", AtBlock;
    /// The treasury's `ugdc`.
    treasury_gdc: "ugdc", AtBlock;
    /// The treasury's stable reserve, `uusd`.
    reserve: "uusd", AtBlock;
    /// Epochs of infrastructure cost the reserve pays for (0 without a cost).
    runway_epochs: "epochs", AtBlock;
    /// `ugdc` burned since genesis.
    burned: "ugdc", SinceGenesis;
    /// Transactions the proposer left out.
    skipped: "transactions", InBlock;
    /// The oracle's published GDC/USD (0 before its first value).
    oracle_price: "uusd per ugdc × 10^12", AtBlock;
    /// The treasury's moving average of the price, as of the last epoch's close.
    average: "uusd per ugdc × 10^12", AtEpochClose;
    /// The cushion band under it.
    cushion: "uusd per ugdc × 10^12", AtEpochClose;
    /// The wall band under that.
    wall: "uusd per ugdc × 10^12", AtEpochClose;
    /// `uusd` the treasury has spent on buy-backs since genesis.
    bought_back: "uusd", SinceGenesis;
    /// `ugdc` the treasury has bought back and burned since genesis.
    bought_burned: "ugdc", SinceGenesis;
    /// Settled jobs' pay to providers since genesis, `ugdc`.
    paid_providers: "ugdc", SinceGenesis;
    /// To the models' datasets.
    paid_datasets: "ugdc", SinceGenesis;
    /// To the models' fine-tuners.
    paid_fine_tuners: "ugdc", SinceGenesis;
    /// To the treasury.
    paid_treasury: "ugdc", SinceGenesis;
    /// Assets sold in the block.
    sales: "sales", InBlock;
    /// What sales paid since genesis to royalty stacks, datasets and model vaults, `ugdc`.
    paid_royalties: "ugdc", SinceGenesis;
    /// Sales' protocol fees since genesis, `ugdc`.
    market_fees: "ugdc", SinceGenesis;
    /// The Gini coefficient of reputation among the agents holding any, in basis points, as of
    /// the last epoch's close.
    reputation_gini_bps: "bps", AtEpochClose;
    /// The Gini coefficient of bonded stake among the agents holding any, in basis points, as of
    /// the last epoch's close.
    stake_gini_bps: "bps", AtEpochClose;
    /// Governance proposals opened since genesis.
    proposals: "proposals", SinceGenesis;
    /// Proposals executed since genesis.
    proposals_executed: "proposals", SinceGenesis;
    /// Proposals defeated since genesis.
    proposals_defeated: "proposals", SinceGenesis;
    /// Votes cast since genesis.
    votes: "votes", SinceGenesis;
    /// What the attack agents gained, `uusd` at the pool's price: the change in their holdings
    /// minus that of the honest twin they are measured against.
    attacker_pnl: "uusd", SinceGenesis;
    /// Reputation the attack agents hold beyond their honest twin's.
    attacker_reputation: "reputation", AtBlock;
    /// `ugdc` the treasury's style incentive has paid since genesis, as of the last epoch's close.
    style_incentive_paid: "ugdc", SinceGenesis;
    /// The share of the last closed epoch's style incentive that went to the models of the style
    /// asked for most in it, in basis points (0 when nothing was paid).
    incentive_in_demand_bps: "bps", AtEpochClose;
    /// The style oracles' demand forecasts' one-step-ahead RMS error, in thousandths of a unit,
    /// averaged over the styles they fit (as of the epoch under way).
    forecast_error_milli: "thousandths of a unit", AtEpochClose;
    /// The same for the naive forecast (each epoch predicted by the one before): what the
    /// forecast should beat.
    naive_error_milli: "thousandths of a unit", AtEpochClose;
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
