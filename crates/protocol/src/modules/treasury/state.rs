//! Treasury state, and the only code that changes it.
//!
//! | key | value |
//! |---|---|
//! | `treasury/params` | [`TreasuryParams`] |
//! | `treasury/book` | [`Book`]: the moving average, the defence, the marks and budgets |
//! | `treasury/income/{source:1}` | [`Income`]: everything a source has paid in, by denom |
//! | `treasury/report/{epoch:8 BE}` | [`EpochReport`]: the last `history_epochs` epochs |
//! | `treasury/pending` | [`Pending`]: the treasury's order in the block's batch, if any |
//!
//! The treasury's account ([`account`]) holds its GDC and the stable reserve (its `uusd`); its
//! orders trade from the operations account ([`operations`]), which is empty between blocks.

use atelier_primitives::{Address, Amount, Decode, Encode, Height};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{TreasuryParams, controller::Targets};
use crate::{
    modules::amm::OrderId,
    store::{key, read, scan, write},
};

const PARAMS: &[u8] = b"treasury/params";
const BOOK: &[u8] = b"treasury/book";
const INCOME: &[u8] = b"treasury/income/";
const REPORT: &[u8] = b"treasury/report/";
const PENDING: &[u8] = b"treasury/pending";

/// The treasury's account: its GDC and the stable reserve.
pub fn account() -> Address {
    *ACCOUNT
}

/// The account the treasury's orders trade from; empty between blocks.
pub fn operations() -> Address {
    *OPERATIONS
}

static ACCOUNT: std::sync::LazyLock<Address> = std::sync::LazyLock::new(|| Address::module("treasury"));
static OPERATIONS: std::sync::LazyLock<Address> =
    std::sync::LazyLock::new(|| Address::module("treasury-operations"));

/// Where income comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IncomeSource {
    /// The treasury's share of every job's base fee.
    JobFees,
    /// Providers' missed-deadline penalties.
    ComputePenalties,
    /// The market's protocol fee on every sale.
    MarketFees,
    /// Stake slashed to the treasury.
    Slashes,
    /// Deposits of proposals that missed their quorum.
    ForfeitedDeposits,
    /// Transfers from anyone.
    Transfers,
    /// Bonds of rejected compliance reports.
    DisputeBonds,
}

impl IncomeSource {
    /// Every source, in order.
    pub const ALL: [IncomeSource; 7] = [
        IncomeSource::JobFees,
        IncomeSource::ComputePenalties,
        IncomeSource::MarketFees,
        IncomeSource::Slashes,
        IncomeSource::ForfeitedDeposits,
        IncomeSource::Transfers,
        IncomeSource::DisputeBonds,
    ];

    fn tag(self) -> u8 {
        self as u8
    }
}

/// Income by denomination.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Income {
    /// `ugdc`.
    pub ugdc: Amount,
    /// `uusd`.
    pub uusd: Amount,
}

impl Income {
    /// `self` plus `amount` of `denom`.
    pub fn plus(self, denom: &atelier_primitives::Denom, amount: Amount) -> Income {
        if *denom == atelier_primitives::Denom::USD {
            Income { uusd: self.uusd.saturating_add(amount), ..self }
        } else {
            Income { ugdc: self.ugdc.saturating_add(amount), ..self }
        }
    }
}

/// The treasury's running state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Book {
    /// The moving average of the pool's TWAP ([`crate::modules::amm::math::PRICE_SCALE`]).
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub average: u128,
    /// Weak epochs, the last closed one in bit 0.
    pub weak_history: u64,
    /// Epochs of buy-backs left in the defence under way; 0 when none is.
    pub defence_left: u32,
    /// The pool's price accumulator when the epoch began.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub mark_cumulative: u128,
    /// The pool's price-block count when the epoch began.
    pub mark_blocks: u64,
    /// GDC moved by transfers in the epoch under way.
    pub epoch_volume: Amount,
    /// Income in the epoch under way.
    pub epoch_income: Income,
    /// What grants may still draw in the epoch under way.
    pub grants_left: Income,
    /// The controller's last targets.
    pub targets: Targets,
    /// `uusd` spent on buy-backs, all time.
    pub bought_with: Amount,
    /// `ugdc` bought back and burned, all time.
    pub burned: Amount,
    /// `ugdc` converted, all time.
    pub converted: Amount,
    /// `uusd` the conversions gave, all time.
    pub converted_to: Amount,
    /// The `engagement` feed's last fresh value at an epoch's end: the next trend is against it.
    #[serde(with = "crate::serde_u128::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub engagement: Option<u128>,
    /// The prudence engagement's trend has set, in basis points (positive: more reserve, fewer
    /// grants; see [`super::steering`]).
    pub prudence: i32,
    /// `ugdc` paid as the style incentive, all time.
    pub style_incentives: Amount,
}

impl Book {
    /// A book with no limits yet on grants (the controller sets them at the first epoch's end).
    pub fn new() -> Book {
        Book { grants_left: Income { ugdc: Amount::MAX, uusd: Amount::MAX }, ..Book::default() }
    }
}

/// What the treasury's order in the block's batch is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PendingKind {
    /// Buying GDC with the reserve, to burn.
    Buyback,
    /// Selling GDC income for the reserve.
    Conversion,
}

/// The treasury's order waiting for the block's clearing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Pending {
    /// What for.
    pub kind: PendingKind,
    /// The order.
    pub order: OrderId,
    /// Its input.
    pub amount_in: Amount,
}

/// One class's settled jobs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClassJobs {
    /// The class.
    #[codec(max = crate::modules::registry::MAX_CLASS_BYTES)]
    pub class: String,
    /// Settled since genesis.
    pub total: u64,
    /// Settled in the epoch.
    pub in_epoch: u64,
}

/// What an epoch's end measured and decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EpochReport {
    /// The epoch.
    pub epoch: u64,
    /// Its last block.
    pub height: Height,
    /// The pool's TWAP over the epoch, if it had a price.
    #[serde(with = "crate::serde_u128::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub twap: Option<u128>,
    /// The moving average after the epoch.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub average: u128,
    /// The cushion under it.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub cushion: u128,
    /// The wall under it.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub wall: u128,
    /// GDC moved by transfers in the epoch, per million of the circulating supply.
    pub velocity_ppm: Option<u64>,
    /// The oracle's GDC/USD when it was fresh.
    #[serde(with = "crate::serde_u128::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub oracle_price: Option<u128>,
    /// Whether the epoch counted as weak.
    pub weak: bool,
    /// Whether a defence is under way after it.
    pub defending: bool,
    /// Income in the epoch.
    pub income: Income,
    /// The controller's targets for the next epoch.
    pub targets: Targets,
    /// Jobs settled, by class.
    #[codec(max = crate::modules::compute::MAX_CLASSES)]
    pub jobs: Vec<ClassJobs>,
    /// What each style's models were asked for in the epoch, most units first: the first
    /// [`MAX_REPORTED_STYLES`] (every style's is queryable by epoch).
    #[codec(max = MAX_REPORTED_STYLES)]
    pub styles: Vec<crate::modules::registry::StyleDemand>,
    /// What the oracle agents' reports decided, and from what.
    pub steering: Steering,
}

/// Styles an epoch report lists.
pub const MAX_REPORTED_STYLES: usize = 64;

/// Most models one epoch's style incentive pays.
pub const MAX_INCENTIVE_MODELS: usize = 64;

/// What an epoch's end decided on the community's measures (spec: `README.md` "Steering by the
/// community's measures").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Steering {
    /// The `engagement` feed's value, when fresh.
    #[serde(with = "crate::serde_u128::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub engagement: Option<u128>,
    /// Its change against the last fresh value, in basis points; none when either is missing.
    pub trend: Option<i32>,
    /// The prudence after the epoch, in basis points.
    pub prudence: i32,
    /// What the style incentive could pay this epoch.
    pub incentive_budget: Amount,
    /// What it paid, to which models, and why.
    #[codec(max = MAX_INCENTIVE_MODELS)]
    pub incentives: Vec<StyleIncentive>,
}

/// One model's style incentive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StyleIncentive {
    /// The model.
    pub model: crate::modules::registry::ModelId,
    /// Its style.
    #[codec(max = crate::modules::registry::MAX_STYLE_BYTES)]
    pub style: String,
    /// Its style's forecast demand (the `demand/<style>` feed), in units.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub demand: u128,
    /// Its quality (the `quality/<model>` feed; 100% when that feed is stale or missing).
    pub quality: atelier_primitives::Bps,
    /// `ugdc` paid: into its lineage's datasets' vaults and its own royalty vault.
    pub amount: Amount,
    /// Of which into the datasets' vaults.
    pub to_datasets: Amount,
}

pub(crate) fn params(state: &(impl StateRead + ?Sized)) -> Result<TreasuryParams, StateError> {
    read(state, PARAMS)?.ok_or_else(|| StateError::corrupt(PARAMS, "treasury params missing"))
}

pub(crate) fn set_params(state: &mut impl StateWrite, params: &TreasuryParams) {
    write(state, PARAMS.to_vec(), params);
}

pub(crate) fn book(state: &(impl StateRead + ?Sized)) -> Result<Book, StateError> {
    Ok(read(state, BOOK)?.unwrap_or_else(Book::new))
}

pub(crate) fn set_book(state: &mut impl StateWrite, book: &Book) {
    write(state, BOOK.to_vec(), book);
}

pub(crate) fn income(state: &(impl StateRead + ?Sized), source: IncomeSource) -> Result<Income, StateError> {
    Ok(read(state, &key(INCOME, &[&[source.tag()]]))?.unwrap_or_default())
}

pub(crate) fn set_income(state: &mut impl StateWrite, source: IncomeSource, income: &Income) {
    write(state, key(INCOME, &[&[source.tag()]]), income);
}

pub(crate) fn pending(state: &(impl StateRead + ?Sized)) -> Result<Option<Pending>, StateError> {
    read(state, PENDING)
}

pub(crate) fn set_pending(state: &mut impl StateWrite, pending: Option<&Pending>) {
    match pending {
        Some(pending) => write(state, PENDING.to_vec(), pending),
        None => state.delete(PENDING.to_vec()),
    }
}

/// Records an epoch's report and forgets the one `keep` epochs before it.
pub(crate) fn push_report(state: &mut impl StateWrite, report: &EpochReport, keep: u32) {
    write(state, key(REPORT, &[&report.epoch.to_be_bytes()]), report);
    if let Some(old) = report.epoch.checked_sub(u64::from(keep)) {
        state.delete(key(REPORT, &[&old.to_be_bytes()]));
    }
}

pub(crate) fn report(
    state: &(impl StateRead + ?Sized),
    epoch: u64,
) -> Result<Option<EpochReport>, StateError> {
    read(state, &key(REPORT, &[&epoch.to_be_bytes()]))
}

/// Every report kept, oldest first. O(`history_epochs`).
pub(crate) fn reports(state: &(impl StateRead + ?Sized)) -> Result<Vec<EpochReport>, StateError> {
    Ok(scan(state, REPORT)?.into_iter().map(|(_, r)| r).collect())
}
