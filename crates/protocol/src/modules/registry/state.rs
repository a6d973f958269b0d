//! Registry state, and the only code that changes it.
//!
//! | key | value |
//! |---|---|
//! | `registry/params` | [`RegistryParams`](super::RegistryParams) |
//! | `registry/next_dataset`, `registry/next_model` | `u64`: the next id |
//! | `registry/dataset/{id:8 BE}` | [`Dataset`] |
//! | `registry/contribution/{dataset:8 BE}{address:20}` | [`Contribution`] |
//! | `registry/model/{id:8 BE}` | [`Model`] |
//! | `registry/style_demand/{epoch:8 BE}{style}` | [`StyleDemand`]: jobs admitted in the epoch for its models |
//! | `registry/style_model/{style}/{model:8 BE}` | empty: the models of a style, by id |
//!
//! Every dataset's royalties are held by the registry's module account ([`account`]).

use std::fmt;

use atelier_primitives::{Address, Amount, Bps, Decode, Denom, Encode, Hash, Layout};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{RegistryError, RegistryEvent, RegistryParams, math};
use crate::modules::accrual::{self, Accrual};
use crate::{
    event::Event,
    modules::{Failure, bank, rule, staking},
    store::{key, read, write},
};

pub(crate) const PARAMS: &[u8] = b"registry/params";
pub(crate) const NEXT_DATASET: &[u8] = b"registry/next_dataset";
pub(crate) const NEXT_MODEL: &[u8] = b"registry/next_model";
pub(crate) const DATASET: &[u8] = b"registry/dataset/";
pub(crate) const CONTRIBUTION: &[u8] = b"registry/contribution/";
pub(crate) const MODEL: &[u8] = b"registry/model/";
const STYLE_DEMAND: &[u8] = b"registry/style_demand/";
const STYLE_MODEL: &[u8] = b"registry/style_model/";

/// Longest license text, in bytes.
pub const MAX_LICENSE_BYTES: usize = 256;
/// Longest compute class name, in bytes.
pub const MAX_CLASS_BYTES: usize = 32;
/// Longest style label.
pub const MAX_STYLE_BYTES: usize = 32;
/// Whether `c` may be in a class or style label: `a-z`, `0-9` or `-`.
pub(crate) fn in_label(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

/// The style of a base model registered without one.
pub const DEFAULT_STYLE: &str = "general";
/// Most datasets one model names itself.
pub const MAX_MODEL_DATASETS: usize = 64;
/// Most owners along a lineage (the deepest params allow).
pub const MAX_LINEAGE: usize = 256;

type RegistryResult<T> = Result<T, Failure<RegistryError>>;

/// The registry's module account: it holds every dataset's unclaimed royalties.
pub fn account() -> Address {
    *ACCOUNT
}

static ACCOUNT: std::sync::LazyLock<Address> = std::sync::LazyLock::new(|| Address::module("registry"));

id!(DatasetId, "The id of a dataset, given in order of registration from 1.");
id!(ModelId, "The id of a model, given in order of registration from 1.");

/// A registered dataset and its royalty accumulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Its id.
    pub id: DatasetId,
    /// Who registered it, and may add contributors.
    pub owner: Address,
    /// The hash of its content.
    pub content_hash: Hash,
    /// Its license, as text (an SPDX id or a URL).
    #[codec(max = MAX_LICENSE_BYTES)]
    pub license: String,
    /// The sum of its contributors' shares.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub total_shares: u128,
    /// Royalties in `ugdc`, per share.
    pub gdc: Accrual,
    /// Royalties in `uusd`, per share.
    pub usd: Accrual,
    /// How many contributors it has.
    pub contributors: u32,
}

/// One contributor's stake in a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    /// Its shares.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub shares: u128,
    /// The `ugdc` accumulator when its earnings were last settled.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub settled_gdc: u128,
    /// The `uusd` accumulator when its earnings were last settled.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub settled_usd: u128,
}

impl Contribution {
    /// A contribution of `shares` that earns from `dataset`'s accumulators as they are now.
    pub fn joining(dataset: &Dataset, shares: u128) -> Self {
        Contribution { shares, settled_gdc: dataset.gdc.acc_per_unit, settled_usd: dataset.usd.acc_per_unit }
    }

    /// What it can claim from `dataset` now: `(ugdc, uusd)`.
    pub fn claimable(
        &self,
        dataset: &Dataset,
    ) -> Result<(Amount, Amount), atelier_primitives::ArithmeticError> {
        Ok((
            dataset.gdc.earned(self.shares, self.settled_gdc)?,
            dataset.usd.earned(self.shares, self.settled_usd)?,
        ))
    }
}

impl Dataset {
    fn accrual(&mut self, denom: &Denom) -> Result<&mut Accrual, RegistryError> {
        accrual::of(&mut self.gdc, &mut self.usd, denom).ok_or(RegistryError::UnknownDenom { denom: *denom })
    }
}

/// A contributor and its shares, as registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContributorShares {
    /// The contributor.
    pub contributor: Address,
    /// Its shares; positive.
    #[serde(with = "crate::serde_u128")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub shares: u128,
}

/// A dataset and its weight in a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DatasetWeight {
    /// The dataset.
    pub dataset: DatasetId,
    /// Its weight.
    pub weight: Bps,
}

/// A model along a lineage and the performance fee it takes, paid into its royalty vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeeShare {
    /// The model.
    pub model: ModelId,
    /// Its owner when it was registered.
    pub owner: Address,
    /// Its performance fee.
    pub fee: Bps,
}

/// A registered model. Its lineage is fixed at registration: what a job pays its datasets and
/// fine-tuners is read from here, never walked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Its id.
    pub id: ModelId,
    /// Who registered it: the fine-tuner paid its performance fee.
    pub owner: Address,
    /// The compute class it runs on.
    #[codec(max = MAX_CLASS_BYTES)]
    pub class: String,
    /// Hash of the blob a provider loads to run it (a procedural model's style file).
    pub weights_hash: Hash,
    /// The model it fine-tunes, if any.
    pub parent: Option<ModelId>,
    /// Fine-tunes above a base model (0 for a base model).
    pub depth: u32,
    /// The fee it takes of every job's base-fee part.
    pub performance_fee: Bps,
    /// The datasets it names itself.
    #[codec(max = MAX_MODEL_DATASETS)]
    pub datasets: Vec<DatasetWeight>,
    /// Every dataset of its lineage with its effective weight: summing to 10 000, or empty.
    #[codec(max = MAX_LINEAGE)]
    pub lineage_datasets: Vec<DatasetWeight>,
    /// It and its ancestors, nearest first, with their performance fees.
    #[codec(max = MAX_LINEAGE)]
    pub lineage_fees: Vec<FeeShare>,
    /// The generative style it makes: its own, else its parent's, else `general`.
    #[codec(max = MAX_STYLE_BYTES)]
    #[serde(default = "default_style")]
    pub style: String,
}

fn default_style() -> String {
    DEFAULT_STYLE.to_owned()
}

impl Model {
    /// The sum of the performance fees along its lineage.
    pub fn lineage_fee(&self) -> Bps {
        let total: u32 = self.lineage_fees.iter().map(|f| u32::from(f.fee.get())).sum();
        Bps::new(total).unwrap_or(Bps::ONE)
    }
}

fn dataset_key(id: DatasetId) -> Vec<u8> {
    key(DATASET, &[&id.0.to_be_bytes()])
}

fn contribution_key(dataset: DatasetId, contributor: &Address) -> Vec<u8> {
    key(CONTRIBUTION, &[&dataset.0.to_be_bytes(), contributor.as_bytes()])
}

fn model_key(id: ModelId) -> Vec<u8> {
    key(MODEL, &[&id.0.to_be_bytes()])
}

pub(crate) fn params(state: &(impl StateRead + ?Sized)) -> Result<RegistryParams, StateError> {
    read(state, PARAMS)?.ok_or_else(|| StateError::corrupt(PARAMS, "registry params missing"))
}

pub(crate) fn set_params(state: &mut impl StateWrite, params: &RegistryParams) {
    write(state, PARAMS.to_vec(), params);
}

pub(crate) fn dataset(
    state: &(impl StateRead + ?Sized),
    id: DatasetId,
) -> Result<Option<Dataset>, StateError> {
    read(state, &dataset_key(id))
}

pub(crate) fn model(state: &(impl StateRead + ?Sized), id: ModelId) -> Result<Option<Model>, StateError> {
    read(state, &model_key(id))
}

pub(crate) fn contribution(
    state: &(impl StateRead + ?Sized),
    dataset: DatasetId,
    contributor: &Address,
) -> Result<Option<Contribution>, StateError> {
    read(state, &contribution_key(dataset, contributor))
}

pub(crate) fn next_ids(state: &(impl StateRead + ?Sized)) -> Result<(u64, u64), StateError> {
    Ok((read(state, NEXT_DATASET)?.unwrap_or(1), read(state, NEXT_MODEL)?.unwrap_or(1)))
}

pub(crate) fn set_next_ids(state: &mut impl StateWrite, dataset: u64, model: u64) {
    write(state, NEXT_DATASET.to_vec(), &dataset);
    write(state, NEXT_MODEL.to_vec(), &model);
}

pub(crate) fn put_dataset(state: &mut impl StateWrite, dataset: &Dataset) {
    write(state, dataset_key(dataset.id), dataset);
}

pub(crate) fn put_contribution(
    state: &mut impl StateWrite,
    dataset: DatasetId,
    contributor: &Address,
    contribution: &Contribution,
) {
    write(state, contribution_key(dataset, contributor), contribution);
}

/// Writes `model` and indexes it under its style (which never changes).
pub(crate) fn put_model(state: &mut impl StateWrite, model: &Model) {
    write(state, model_key(model.id), model);
    state.put(key(STYLE_MODEL, &[model.style.as_bytes(), b"/", &model.id.0.to_be_bytes()]), Vec::new());
}

/// The first `limit` models of `style`, by id; reads only those. (A style is `[a-z0-9-]`, so the
/// `/` after it ends it: `ink`'s models are not `ink-wash`'s.)
pub(crate) fn models_of_style(
    state: &(impl StateRead + ?Sized),
    style: &str,
    limit: usize,
) -> Result<Vec<ModelId>, StateError> {
    let prefix = key(STYLE_MODEL, &[style.as_bytes(), b"/"]);
    Ok(crate::store::id_page(state, &prefix, None, limit)?.into_iter().map(ModelId).collect())
}

/// Every dataset, by id. O(datasets): export, invariants.
pub(crate) fn datasets(state: &(impl StateRead + ?Sized)) -> Result<Vec<Dataset>, StateError> {
    Ok(crate::store::scan(state, DATASET)?.into_iter().map(|(_, d)| d).collect())
}

/// Every contribution to `dataset`, by contributor. O(contributors): export, invariants, queries.
pub(crate) fn contributions(
    state: &(impl StateRead + ?Sized),
    dataset: DatasetId,
) -> Result<Vec<(Address, Contribution)>, StateError> {
    let prefix = key(CONTRIBUTION, &[&dataset.0.to_be_bytes()]);
    crate::store::scan::<Contribution>(state, &prefix)?
        .into_iter()
        .map(|(key, contribution)| {
            let bytes: [u8; 20] = key[prefix.len()..].try_into().map_err(|_| {
                StateError::corrupt(&key, "contribution key is not 28 bytes after its prefix")
            })?;
            Ok((Address(bytes), contribution))
        })
        .collect()
}

/// Every model, by id. O(models): export.
pub(crate) fn models(state: &(impl StateRead + ?Sized)) -> Result<Vec<Model>, StateError> {
    Ok(crate::store::scan(state, MODEL)?.into_iter().map(|(_, m)| m).collect())
}

/// Checks a contributor list: non-empty, at most `max`, positive shares, nobody twice. Returns
/// the sum of the shares.
pub(crate) fn check_contributors(list: &[ContributorShares], max: u32) -> Result<u128, RegistryError> {
    let invalid = |reason: String| RegistryError::InvalidContributors { reason };
    if list.is_empty() {
        return Err(invalid("the list is empty".into()));
    }
    if list.len() > max as usize {
        return Err(invalid(format!("{} contributors, at most {max} per message", list.len())));
    }
    let mut seen: Vec<&Address> = list.iter().map(|c| &c.contributor).collect();
    seen.sort_unstable();
    if seen.windows(2).any(|pair| pair[0] == pair[1]) {
        return Err(invalid("a contributor appears twice".into()));
    }
    let mut total = 0u128;
    for entry in list {
        if entry.shares == 0 {
            return Err(invalid(format!("{} has no shares", entry.contributor)));
        }
        total = total.checked_add(entry.shares).ok_or(RegistryError::Overflow)?;
    }
    Ok(total)
}

/// Adds `list` (already checked) to `dataset` from its current accumulator on: they earn from
/// now on.
pub(crate) fn add_contributors(
    state: &mut impl StateWrite,
    dataset: &mut Dataset,
    list: &[ContributorShares],
) -> RegistryResult<()> {
    let added = check_contributors(list, u32::MAX).map_err(Failure::Rule)?;
    for entry in list {
        if contribution(state, dataset.id, &entry.contributor)?.is_some() {
            return rule(RegistryError::InvalidContributors {
                reason: format!("{} already contributes to dataset {}", entry.contributor, dataset.id),
            });
        }
    }
    let total = dataset
        .total_shares
        .checked_add(added)
        .ok_or(Failure::Rule(RegistryError::SharesOverflow { dataset: dataset.id }))?;
    let count = u32::try_from(list.len())
        .ok()
        .and_then(|n| dataset.contributors.checked_add(n))
        .ok_or(Failure::Rule(RegistryError::Overflow))?;
    // Point of no return.
    for entry in list {
        let contribution = Contribution::joining(dataset, entry.shares);
        put_contribution(state, dataset.id, &entry.contributor, &contribution);
    }
    dataset.total_shares = total;
    dataset.contributors = count;
    put_dataset(state, dataset);
    Ok(())
}

/// The lineage a new model with `datasets` (its own, checked) and `parent` reaches: its own
/// datasets at their weights, and its parent's lineage scaled into what its own leave of 10 000.
/// Sums to 10 000 or is empty; entries are by dataset id.
pub(crate) fn lineage_datasets(
    own: &[DatasetWeight],
    parent: Option<&Model>,
) -> Result<Vec<DatasetWeight>, RegistryError> {
    let invalid = |reason: String| RegistryError::InvalidWeights { reason };
    let own_total: u32 = own.iter().map(|d| u32::from(d.weight.get())).sum();
    let inherited = parent.map(|p| p.lineage_datasets.as_slice()).unwrap_or_default();
    let rest =
        10_000u32.checked_sub(own_total).ok_or_else(|| invalid(format!("weights sum to {own_total} bps")))?;
    if inherited.is_empty() && !own.is_empty() && rest != 0 {
        return Err(invalid(format!(
            "weights sum to {own_total} bps; a model without inherited datasets needs 10000"
        )));
    }
    let scaled: Vec<Bps> = inherited
        .iter()
        .map(|d| Bps::new(u32::from(d.weight.get()) * rest / 10_000).unwrap_or(Bps::ZERO))
        .collect();
    let mut merged: std::collections::BTreeMap<DatasetId, u32> = std::collections::BTreeMap::new();
    for d in own {
        *merged.entry(d.dataset).or_default() += u32::from(d.weight.get());
    }
    for (d, weight) in inherited.iter().zip(&scaled) {
        *merged.entry(d.dataset).or_default() += u32::from(weight.get());
    }
    merged.retain(|_, weight| *weight > 0);
    // Scaling floors: the rounding remainder goes to the first dataset, so the weights sum to
    // 10 000 exactly.
    let total: u32 = merged.values().sum();
    if let Some(first) = merged.values_mut().next() {
        *first += 10_000u32.saturating_sub(total);
    }
    merged
        .into_iter()
        .map(|(dataset, weight)| {
            Ok(DatasetWeight { dataset, weight: Bps::new(weight).map_err(|e| invalid(e.to_string()))? })
        })
        .collect()
}

/// Pays `amount` of `denom` of `model`'s royalties from `payer`: split by its lineage's weights
/// into each dataset's vault. O(lineage datasets), whatever the number of contributors. Returns
/// what was paid: all of `amount`, or nothing when the lineage has no datasets.
pub(crate) fn pay_royalties(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    payer: &Address,
    origin: &staking::Origin,
    model: &Model,
    denom: &Denom,
    amount: Amount,
) -> RegistryResult<Amount> {
    if model.lineage_datasets.is_empty() || amount.is_zero() {
        return Ok(Amount::ZERO);
    }
    let weights: Vec<Bps> = model.lineage_datasets.iter().map(|d| d.weight).collect();
    let parts = math::split(amount, &weights);
    let mut updated = Vec::with_capacity(parts.len());
    for (entry, part) in model.lineage_datasets.iter().zip(parts) {
        let mut dataset = dataset(state, entry.dataset)?.ok_or_else(|| {
            StateError::corrupt(&dataset_key(entry.dataset), "a model names a missing dataset")
        })?;
        if part.is_zero() {
            continue;
        }
        let total_shares = dataset.total_shares;
        dataset
            .accrual(denom)
            .map_err(Failure::Rule)?
            .pay(part, total_shares)
            .map_err(|_| Failure::Rule(RegistryError::Overflow))?;
        updated.push((dataset, part));
    }
    bank::send(state, events, payer, &account(), denom, amount)
        .map_err(|f| f.map_rule(RegistryError::Bank))?;
    // Point of no return.
    for (dataset, part) in &updated {
        put_dataset(state, dataset);
        events.push(Event::Registry(RegistryEvent::RoyaltiesPaid {
            dataset: dataset.id,
            model: model.id,
            denom: *denom,
            amount: *part,
        }));
    }
    staking::credit_all(state, origin, denom, updated.iter().map(|(d, part)| (&d.owner, *part)))?;
    Ok(amount)
}

/// Pays `contributor` everything it earned from `dataset`, in every denomination. Returns
/// `(ugdc, uusd)` paid.
pub(crate) fn claim(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    dataset_id: DatasetId,
    contributor: &Address,
) -> RegistryResult<(Amount, Amount)> {
    let Some(mut dataset) = dataset(state, dataset_id)? else {
        return rule(RegistryError::UnknownDataset { dataset: dataset_id });
    };
    let nothing = RegistryError::NothingToClaim { dataset: dataset_id, contributor: *contributor };
    let Some(mut contribution) = contribution(state, dataset_id, contributor)? else {
        return rule(nothing);
    };
    let (gdc, usd) = contribution.claimable(&dataset).map_err(|_| Failure::Rule(RegistryError::Overflow))?;
    if gdc.is_zero() && usd.is_zero() {
        return rule(nothing);
    }
    for (denom, amount) in [(Denom::GDC, gdc), (Denom::USD, usd)] {
        if amount.is_zero() {
            continue;
        }
        let accrual = dataset.accrual(&denom).map_err(Failure::Rule)?;
        let available = accrual.unclaimed();
        if amount > available {
            return rule(RegistryError::VaultShort { dataset: dataset_id, available, needed: amount });
        }
        accrual.record_claim(amount).map_err(|_| Failure::Rule(RegistryError::Overflow))?;
        bank::send(state, events, &account(), contributor, &denom, amount)
            .map_err(|f| f.map_rule(RegistryError::Bank))?;
        events.push(Event::Registry(RegistryEvent::RoyaltiesClaimed {
            dataset: dataset_id,
            contributor: *contributor,
            denom,
            amount,
        }));
    }
    contribution.settled_gdc = dataset.gdc.acc_per_unit;
    contribution.settled_usd = dataset.usd.acc_per_unit;
    put_contribution(state, dataset_id, contributor, &contribution);
    put_dataset(state, &dataset);
    Ok((gdc, usd))
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use atelier_state::{Key, MemoryStore, Overlay, Value};

    use super::*;
    use crate::modules::registry::query;

    /// Counts the reads and writes that reach the state.
    struct Counting<'a, S: StateRead> {
        inner: Overlay<'a, S>,
        operations: Cell<u64>,
    }

    impl<S: StateRead> StateRead for Counting<'_, S> {
        fn get(&self, key: &[u8]) -> Result<Option<Value>, StateError> {
            self.operations.set(self.operations.get() + 1);
            self.inner.get(key)
        }
        fn scan_from(
            &self,
            prefix: &[u8],
            from: &[u8],
            limit: usize,
        ) -> Result<Vec<(Key, Value)>, StateError> {
            self.operations.set(self.operations.get() + 1);
            self.inner.scan_from(prefix, from, limit)
        }
    }

    impl<S: StateRead> StateWrite for Counting<'_, S> {
        fn put(&mut self, key: Key, value: Value) {
            self.operations.set(self.operations.get() + 1);
            self.inner.put(key, value)
        }
        fn delete(&mut self, key: Key) {
            self.operations.set(self.operations.get() + 1);
            self.inner.delete(key)
        }
    }

    const PAYER: Address = Address([7; 20]);
    const ORIGIN: crate::modules::staking::Origin =
        crate::modules::staking::Origin { payer: PAYER, height: atelier_primitives::Height(1) };

    /// A state with one dataset of `contributors` contributors (shares 1, 2, 3, …), a model on it,
    /// and a funded payer.
    fn setup(contributors: u64) -> (MemoryStore, Model) {
        let mut store = MemoryStore::new();
        let mut state = Overlay::new(&store);
        bank::init_balance(&mut state, &PAYER, &Denom::GDC, Amount::new(u128::MAX / 4));
        bank::init_supply(&mut state, &Denom::GDC, Amount::new(u128::MAX / 4), Amount::ZERO);
        let mut dataset = Dataset {
            id: DatasetId(1),
            owner: PAYER,
            content_hash: Hash::ZERO,
            license: "MIT".into(),
            total_shares: 0,
            gdc: Default::default(),
            usd: Default::default(),
            contributors: 0,
        };
        let list: Vec<ContributorShares> = (0..contributors)
            .map(|i| ContributorShares { contributor: contributor(i), shares: u128::from(i % 5 + 1) })
            .collect();
        add_contributors(&mut state, &mut dataset, &list).unwrap();
        let model = Model {
            id: ModelId(1),
            owner: PAYER,
            class: "image-xl".into(),
            weights_hash: Hash::ZERO,
            parent: None,
            depth: 0,
            performance_fee: Bps::ZERO,
            datasets: vec![DatasetWeight { dataset: DatasetId(1), weight: Bps::ONE }],
            lineage_datasets: vec![DatasetWeight { dataset: DatasetId(1), weight: Bps::ONE }],
            lineage_fees: Vec::new(),
            style: DEFAULT_STYLE.into(),
        };
        put_model(&mut state, &model);
        crate::modules::staking::genesis::init_default(&mut state);
        store.apply(state.into_changes()).unwrap();
        (store, model)
    }

    fn contributor(i: u64) -> Address {
        let mut bytes = [0u8; 20];
        bytes[..8].copy_from_slice(&i.to_be_bytes());
        bytes[19] = 1;
        Address(bytes)
    }

    /// The state operations one royalty payment costs.
    fn payment_operations(store: &MemoryStore, model: &Model) -> u64 {
        let mut state = Counting { inner: Overlay::new(store), operations: Cell::new(0) };
        pay_royalties(
            &mut state,
            &mut Vec::new(),
            &PAYER,
            &ORIGIN,
            model,
            &Denom::GDC,
            Amount::new(1_000_003),
        )
        .unwrap();
        state.operations.get()
    }

    #[test]
    fn a_payment_costs_the_same_for_one_contributor_as_for_a_hundred_thousand() {
        let (one, model) = setup(1);
        let (many, _) = setup(100_000);
        assert_eq!(payment_operations(&one, &model), payment_operations(&many, &model));
    }

    #[test]
    fn every_contributor_claims_its_share_and_claims_plus_dust_equal_what_was_paid() {
        let contributors = 1_000;
        let (mut store, model) = setup(contributors);
        let payments = [1_000_003u128, 7, 999_999_999, 1];
        for payment in payments {
            let mut state = Overlay::new(&store);
            pay_royalties(
                &mut state,
                &mut Vec::new(),
                &PAYER,
                &ORIGIN,
                &model,
                &Denom::GDC,
                Amount::new(payment),
            )
            .unwrap();
            store.apply(state.into_changes()).unwrap();
        }
        let paid: u128 = payments.iter().sum();
        let (_, dust) = query::owed_and_dust(&store, DatasetId(1), &Denom::GDC).unwrap().unwrap();
        let mut claimed = 0u128;
        for i in 0..contributors {
            let mut state = Overlay::new(&store);
            claimed += claim(&mut state, &mut Vec::new(), DatasetId(1), &contributor(i)).unwrap().0.get();
            store.apply(state.into_changes()).unwrap();
        }
        assert_eq!(claimed + dust.get(), paid);
        assert!(dust.get() <= (payments.len() as u128 + contributors as u128), "dust {dust}");
        assert_eq!(
            bank::balance(&store, &account(), &Denom::GDC).unwrap(),
            dust,
            "the vault keeps exactly the dust"
        );
        // A second claim right away finds nothing.
        let mut state = Overlay::new(&store);
        let again = claim(&mut state, &mut Vec::new(), DatasetId(1), &contributor(0));
        assert!(matches!(again, Err(Failure::Rule(RegistryError::NothingToClaim { .. }))));
    }

    #[test]
    fn a_contributor_who_joins_later_earns_only_from_then_on() {
        let (mut store, model) = setup(1);
        let mut state = Overlay::new(&store);
        pay_royalties(&mut state, &mut Vec::new(), &PAYER, &ORIGIN, &model, &Denom::GDC, Amount::new(1_000))
            .unwrap();
        let mut dataset = dataset(&state, DatasetId(1)).unwrap().unwrap();
        let late = ContributorShares { contributor: contributor(99), shares: 1 };
        add_contributors(&mut state, &mut dataset, &[late]).unwrap();
        pay_royalties(&mut state, &mut Vec::new(), &PAYER, &ORIGIN, &model, &Denom::GDC, Amount::new(1_000))
            .unwrap();
        store.apply(state.into_changes()).unwrap();
        let early = query::stake(&store, DatasetId(1), &contributor(0)).unwrap().unwrap().claimable_gdc;
        let late = query::stake(&store, DatasetId(1), &contributor(99)).unwrap().unwrap().claimable_gdc;
        assert_eq!((early, late), (Amount::new(1_500), Amount::new(500)));
    }
}

/// What one style's models were asked for in an epoch: jobs admitted, their units and what they
/// paid (base fee and tip).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StyleDemand {
    /// The style.
    #[codec(max = MAX_STYLE_BYTES)]
    pub style: String,
    /// Jobs admitted.
    pub jobs: u64,
    /// Their units.
    pub units: u64,
    /// What they paid, in ugdc.
    pub fees: Amount,
}

fn style_demand_key(epoch: u64, style: &str) -> Vec<u8> {
    key(STYLE_DEMAND, &[&epoch.to_be_bytes(), style.as_bytes()])
}

/// Counts a job of `model` admitted in `epoch`, of `units` paying `fees`, under the model's style.
pub(crate) fn count_demand(
    state: &mut impl StateWrite,
    epoch: u64,
    model: ModelId,
    units: u64,
    fees: Amount,
) -> Result<(), StateError> {
    let Some(model) = self::model(state, model)? else { return Ok(()) };
    let key = style_demand_key(epoch, &model.style);
    let mut demand = read(state, &key)?.unwrap_or(StyleDemand {
        style: model.style.clone(),
        jobs: 0,
        units: 0,
        fees: Amount::ZERO,
    });
    demand.jobs = demand.jobs.saturating_add(1);
    demand.units = demand.units.saturating_add(units);
    demand.fees = demand.fees.saturating_add(fees);
    write(state, key, &demand);
    Ok(())
}

/// Every style's demand in `epoch`, most units first (then by style). O(styles asked for in the
/// epoch).
pub(crate) fn style_demand(
    state: &(impl StateRead + ?Sized),
    epoch: u64,
) -> Result<Vec<StyleDemand>, StateError> {
    let prefix = key(STYLE_DEMAND, &[&epoch.to_be_bytes()]);
    let mut all: Vec<StyleDemand> =
        crate::store::scan(state, &prefix)?.into_iter().map(|(_, demand)| demand).collect();
    all.sort_by(|a, b| b.units.cmp(&a.units).then_with(|| a.style.cmp(&b.style)));
    Ok(all)
}
