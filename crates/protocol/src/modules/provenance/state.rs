//! Provenance state, and the only code that changes it.
//!
//! | key | value |
//! |---|---|
//! | `provenance/params` | [`ProvenanceParams`](super::ProvenanceParams) |
//! | `provenance/next_asset` | `u64`: the next id |
//! | `provenance/asset/{id:8 BE}` | [`Asset`] |
//! | `provenance/owner/{address:20}{id:8 BE}` | empty: assets by owner |
//! | `provenance/child/{parent:8 BE}{child:8 BE}` | empty: each asset's direct descendants |

use std::{collections::BTreeMap, fmt};

use atelier_primitives::{Address, Amount, Bps, Decode, Denom, Encode, Hash, Height, Layout};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{ProvenanceError, ProvenanceEvent, ProvenanceParams};
use crate::{
    event::Event,
    modules::{
        Failure,
        compute::JobId,
        registry::{DatasetWeight, MAX_LINEAGE, ModelId},
        revenue::{self, VaultId},
        rule, staking,
    },
    store::{id_page, key, read, scan, write},
};

pub(crate) const PARAMS: &[u8] = b"provenance/params";
const NEXT_ASSET: &[u8] = b"provenance/next_asset";
pub(crate) const ASSET: &[u8] = b"provenance/asset/";
pub(crate) const BY_OWNER: &[u8] = b"provenance/owner/";
const CHILD: &[u8] = b"provenance/child/";

/// Most parents any asset may have (params set the rule below it).
pub const MAX_PARENTS: usize = 16;
/// Most ancestors any asset's lineage may reach (params set the rule below it).
pub const MAX_ANCESTORS: usize = 256;

/// The id of an asset, given in order of minting from 1.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    Encode,
    Decode,
    Layout,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct AssetId(pub u64);

impl fmt::Display for AssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// How a work was made, in C2PA's vocabulary of digital source types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum DigitalSourceType {
    /// Made by a trained model from a prompt (`trainedAlgorithmicMedia`).
    TrainedAlgorithmicMedia,
    /// Made by a trained model from other works (`compositeWithTrainedAlgorithmicMedia`).
    CompositeWithTrainedAlgorithmicMedia,
    /// Composed from other works by other means (`composite`).
    Composite,
}

/// What an asset asks of the works made from it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoyaltyPolicy {
    /// Its share of every descendant's revenue (fixed into each child at the child's mint).
    pub share: Bps,
    /// Paid into its vault by every new child, in `ugdc`.
    pub license_fee: Amount,
}

/// A child→parent edge: the parent's share at the time the child was minted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Edge {
    /// The parent.
    pub parent: AssetId,
    /// Its share.
    pub share: Bps,
}

/// An ancestor's share of an asset's revenue: the sum of the edges pointing at it in the asset's
/// ancestor closure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StackEntry {
    /// The ancestor.
    pub ancestor: AssetId,
    /// Its share.
    pub share: Bps,
}

/// A generated work and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Asset {
    /// Its id.
    pub id: AssetId,
    /// Who owns it.
    pub owner: Address,
    /// Who had it made.
    pub creator: Address,
    /// The model that made it (none for a derivative made elsewhere).
    pub model: Option<ModelId>,
    /// The model's datasets with their weights, as they were at mint.
    #[codec(max = MAX_LINEAGE)]
    pub datasets: Vec<DatasetWeight>,
    /// The job that made it (none for a derivative made elsewhere).
    pub job: Option<JobId>,
    /// Hash of the output.
    pub output_hash: Hash,
    /// Hash of the prompt.
    pub prompt_hash: Hash,
    /// The prompt hashes of its ancestors, by ancestor id.
    #[codec(max = MAX_ANCESTORS)]
    pub prompt_history: Vec<Hash>,
    /// Its parents with the shares they took when it was minted.
    #[codec(max = MAX_PARENTS)]
    pub parents: Vec<Edge>,
    /// Every ancestor, by id.
    #[codec(max = MAX_ANCESTORS)]
    pub ancestors: Vec<AssetId>,
    /// What each ancestor takes of its revenue, by ancestor id.
    #[codec(max = MAX_ANCESTORS)]
    pub royalty_stack: Vec<StackEntry>,
    /// What it asks of its own descendants.
    pub policy: RoyaltyPolicy,
    /// How it was made.
    pub source_type: DigitalSourceType,
    /// Height it was minted at.
    pub minted_at: Height,
}

impl Asset {
    /// The total its ancestors take of its revenue.
    pub fn stack_total(&self) -> Bps {
        let total: u32 = self.royalty_stack.iter().map(|e| u32::from(e.share.get())).sum();
        Bps::new(total).unwrap_or(Bps::ONE)
    }
}

fn asset_key(id: AssetId) -> Vec<u8> {
    key(ASSET, &[&id.0.to_be_bytes()])
}

pub(crate) fn params(state: &(impl StateRead + ?Sized)) -> Result<ProvenanceParams, StateError> {
    read(state, PARAMS)?.ok_or_else(|| StateError::corrupt(PARAMS, "provenance params missing"))
}

pub(crate) fn set_params(state: &mut impl StateWrite, params: &ProvenanceParams) {
    write(state, PARAMS.to_vec(), params);
}

pub(crate) fn next_asset(state: &(impl StateRead + ?Sized)) -> Result<u64, StateError> {
    Ok(read(state, NEXT_ASSET)?.unwrap_or(1))
}

pub(crate) fn set_next_asset(state: &mut impl StateWrite, next: u64) {
    write(state, NEXT_ASSET.to_vec(), &next);
}

pub(crate) fn asset(state: &(impl StateRead + ?Sized), id: AssetId) -> Result<Option<Asset>, StateError> {
    read(state, &asset_key(id))
}

/// Stores an asset with its indexes (by owner, and as a child of each parent).
pub(crate) fn put_asset(state: &mut impl StateWrite, asset: &Asset) {
    state.put(key(BY_OWNER, &[asset.owner.as_bytes(), &asset.id.0.to_be_bytes()]), Vec::new());
    for edge in &asset.parents {
        state.put(key(CHILD, &[&edge.parent.0.to_be_bytes(), &asset.id.0.to_be_bytes()]), Vec::new());
    }
    write(state, asset_key(asset.id), asset);
}

/// Gives `asset` to `owner`. The market's sales are the only way an asset changes hands.
pub(crate) fn set_owner(state: &mut impl StateWrite, asset: &mut Asset, owner: Address) {
    state.delete(key(BY_OWNER, &[asset.owner.as_bytes(), &asset.id.0.to_be_bytes()]));
    asset.owner = owner;
    put_asset(state, asset);
}

/// Whether `asset` is listed under its owner.
pub(crate) fn is_indexed_under_owner(
    state: &(impl StateRead + ?Sized),
    asset: &Asset,
) -> Result<bool, StateError> {
    Ok(state.get(&key(BY_OWNER, &[asset.owner.as_bytes(), &asset.id.0.to_be_bytes()]))?.is_some())
}

/// Entries in the owner index. O(assets): invariants.
pub(crate) fn owner_index_len(state: &(impl StateRead + ?Sized)) -> Result<usize, StateError> {
    Ok(state.scan_prefix(BY_OWNER)?.len())
}

/// Every asset, by id. O(assets): export.
pub(crate) fn assets(state: &(impl StateRead + ?Sized)) -> Result<Vec<Asset>, StateError> {
    Ok(scan(state, ASSET)?.into_iter().map(|(_, a)| a).collect())
}

/// The ids of `owner`'s assets above `after`, at most `limit`, by id; reads only the page.
pub(crate) fn assets_of(
    state: &(impl StateRead + ?Sized),
    owner: &Address,
    after: Option<AssetId>,
    limit: usize,
) -> Result<Vec<AssetId>, StateError> {
    let prefix = key(BY_OWNER, &[owner.as_bytes()]);
    Ok(id_page(state, &prefix, after.map(|id| id.0), limit)?.into_iter().map(AssetId).collect())
}

/// `parent`'s direct descendants with ids above `after`, at most `limit`, by id; reads only the
/// page.
pub(crate) fn children(
    state: &(impl StateRead + ?Sized),
    parent: AssetId,
    after: Option<AssetId>,
    limit: usize,
) -> Result<Vec<AssetId>, StateError> {
    let prefix = key(CHILD, &[&parent.0.to_be_bytes()]);
    Ok(id_page(state, &prefix, after.map(|id| id.0), limit)?.into_iter().map(AssetId).collect())
}

type ProvenanceResult<T> = Result<T, Failure<ProvenanceError>>;

/// Where a new asset comes from, computed once at mint (Story Protocol's LAP semantics): the
/// edges to its parents carry their shares now; its ancestor closure expands each node once; an
/// ancestor's share is the sum of the edges pointing at it inside the closure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Lineage {
    pub(crate) parents: Vec<Edge>,
    pub(crate) ancestors: Vec<AssetId>,
    pub(crate) royalty_stack: Vec<StackEntry>,
    pub(crate) prompt_history: Vec<Hash>,
    /// Each parent's license fee.
    pub(crate) license_fees: Vec<(AssetId, Amount)>,
}

/// The lineage of a new asset with `parents` and its own `policy`, checked against the params.
/// Reads each ancestor once: O(max_ancestors).
pub(crate) fn lineage(
    state: &(impl StateRead + ?Sized),
    parents: &[AssetId],
    policy: &RoyaltyPolicy,
) -> ProvenanceResult<Lineage> {
    let params = params(state)?;
    if policy.share > params.max_royalty_share {
        return rule(ProvenanceError::RoyaltyTooHigh { share: policy.share, cap: params.max_royalty_share });
    }
    let invalid = |reason: String| Err(Failure::Rule(ProvenanceError::InvalidParents { reason }));
    if parents.len() > params.max_parents as usize {
        return invalid(format!("{} parents, at most {}", parents.len(), params.max_parents));
    }
    let mut records: BTreeMap<AssetId, Asset> = BTreeMap::new();
    let mut lineage = Lineage::default();
    for &parent in parents {
        if records.contains_key(&parent) {
            return invalid(format!("asset {parent} is named twice"));
        }
        let Some(record) = asset(state, parent)? else {
            return rule(ProvenanceError::UnknownAsset { asset: parent });
        };
        // spec: compliance §Disputes — a tagged asset is no one's parent.
        if crate::modules::compliance::gate::is_tagged(
            state,
            &crate::modules::compliance::Subject::Asset(parent),
        )? {
            return rule(ProvenanceError::TaggedParent { asset: parent });
        }
        lineage.parents.push(Edge { parent, share: record.policy.share });
        lineage.license_fees.push((parent, record.policy.license_fee));
        records.insert(parent, record);
    }
    // The closure: the parents and their stored ancestors, each once.
    let mut closure: Vec<AssetId> = records.keys().copied().collect();
    for record in records.values() {
        closure.extend(record.ancestors.iter().copied());
    }
    closure.sort_unstable();
    closure.dedup();
    if closure.len() > params.max_ancestors as usize {
        return rule(ProvenanceError::TooManyAncestors { count: closure.len(), max: params.max_ancestors });
    }
    // Every edge inside the closure (the new asset's own and each ancestor's), summed by target.
    let mut shares: BTreeMap<AssetId, u32> = BTreeMap::new();
    for edge in &lineage.parents {
        *shares.entry(edge.parent).or_default() += u32::from(edge.share.get());
    }
    for &id in &closure {
        let record = match records.remove(&id) {
            Some(record) => record,
            None => asset(state, id)?
                .ok_or_else(|| StateError::corrupt(&asset_key(id), "an ancestor is missing"))?,
        };
        for edge in &record.parents {
            *shares.entry(edge.parent).or_default() += u32::from(edge.share.get());
        }
        lineage.prompt_history.push(record.prompt_hash);
    }
    let total: u32 = shares.values().sum();
    if total > u32::from(params.max_royalty_stack.get()) {
        return rule(ProvenanceError::RoyaltyTooHigh {
            share: Bps::new(total).unwrap_or(Bps::ONE),
            cap: params.max_royalty_stack,
        });
    }
    lineage.royalty_stack = shares
        .into_iter()
        .filter(|(_, share)| *share > 0)
        .map(|(ancestor, share)| StackEntry { ancestor, share: Bps::new(share).unwrap_or(Bps::ONE) })
        .collect();
    lineage.ancestors = closure;
    Ok(lineage)
}

/// Pays each parent's license fee from `origin.payer` into the parent's vault.
pub(crate) fn pay_license_fees(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    origin: &staking::Origin,
    lineage: &Lineage,
) -> ProvenanceResult<()> {
    for (parent, fee) in &lineage.license_fees {
        revenue::pay_into(state, events, &origin.payer, origin, VaultId::Asset(*parent), &Denom::GDC, *fee)
            .map_err(|f| f.map_rule(ProvenanceError::Revenue))?;
    }
    Ok(())
}

/// Pays `amount` of `denom` of `asset`'s revenue from `origin.payer`: each ancestor in its royalty
/// stack gets its share (a floor) into its vault; returns the rest, which is the asset's. O(stack
/// size), whatever the size of the graph.
pub(crate) fn pay_through_stack(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    origin: &staking::Origin,
    asset: &Asset,
    denom: &Denom,
    amount: Amount,
) -> ProvenanceResult<Amount> {
    let mut rest = amount;
    for entry in &asset.royalty_stack {
        let part = entry.share.of_floor(amount);
        // spec: compliance §Disputes — a tagged ancestor's revenue stops: its part goes to the
        // remediation account.
        let tagged = crate::modules::compliance::Subject::Asset(entry.ancestor);
        if !part.is_zero() && crate::modules::compliance::gate::is_tagged(state, &tagged)? {
            crate::modules::bank::send(
                state,
                events,
                &origin.payer,
                &crate::modules::compliance::remediation(),
                denom,
                part,
            )
            .map_err(|f| f.map_rule(ProvenanceError::Bank))?;
            rest = rest.checked_sub(part).map_err(|_| Failure::Rule(ProvenanceError::Overflow))?;
            continue;
        }
        revenue::pay_into(state, events, &origin.payer, origin, VaultId::Asset(entry.ancestor), denom, part)
            .map_err(|f| f.map_rule(ProvenanceError::Revenue))?;
        rest = rest.checked_sub(part).map_err(|_| Failure::Rule(ProvenanceError::Overflow))?;
    }
    Ok(rest)
}

/// What a new asset records besides its lineage.
pub(crate) struct Mint {
    pub(crate) owner: Address,
    pub(crate) model: Option<ModelId>,
    pub(crate) datasets: Vec<DatasetWeight>,
    pub(crate) job: Option<JobId>,
    pub(crate) output_hash: Hash,
    pub(crate) prompt_hash: Hash,
    pub(crate) policy: RoyaltyPolicy,
    pub(crate) source_type: DigitalSourceType,
    pub(crate) height: Height,
}

/// Mints an asset with `lineage` (from [`lineage`], checked) and opens its vault; `None` only when
/// ids are exhausted (after `u64::MAX` assets).
pub(crate) fn mint(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    mint: Mint,
    lineage: Lineage,
) -> Result<Option<AssetId>, StateError> {
    let next = next_asset(state)?;
    let Some(following) = next.checked_add(1) else { return Ok(None) };
    let asset = Asset {
        id: AssetId(next),
        owner: mint.owner,
        creator: mint.owner,
        model: mint.model,
        datasets: mint.datasets,
        job: mint.job,
        output_hash: mint.output_hash,
        prompt_hash: mint.prompt_hash,
        prompt_history: lineage.prompt_history,
        parents: lineage.parents,
        ancestors: lineage.ancestors,
        royalty_stack: lineage.royalty_stack,
        policy: mint.policy,
        source_type: mint.source_type,
        minted_at: mint.height,
    };
    put_asset(state, &asset);
    set_next_asset(state, following);
    revenue::open(state, events, VaultId::Asset(asset.id), &asset.creator);
    events.push(Event::Provenance(ProvenanceEvent::AssetMinted {
        asset: asset.id,
        owner: asset.owner,
        model: asset.model,
        job: asset.job,
        parents: asset.parents.len() as u32,
    }));
    Ok(Some(asset.id))
}

#[cfg(test)]
mod tests {
    use atelier_state::{MemoryStore, Overlay};

    use super::*;
    use crate::modules::{Ctx, bank, revenue::query};

    const PAYER: Address = Address([7; 20]);
    const ORIGIN: crate::modules::staking::Origin =
        crate::modules::staking::Origin { payer: PAYER, height: atelier_primitives::Height(1) };

    fn owner(i: u8) -> Address {
        Address([i + 1; 20])
    }

    fn policy(share: u32) -> RoyaltyPolicy {
        RoyaltyPolicy { share: Bps::new(share).unwrap(), license_fee: Amount::ZERO }
    }

    /// Mints an asset of `owner(i)` with `parents` and `policy`.
    fn mint_one(
        state: &mut Overlay<'_, MemoryStore>,
        i: u8,
        parents: &[AssetId],
        policy: RoyaltyPolicy,
    ) -> AssetId {
        let lineage = lineage(state, parents, &policy).unwrap();
        let mint = Mint {
            owner: owner(i),
            model: None,
            datasets: Vec::new(),
            job: None,
            output_hash: Hash::digest("test", &[&[i]]),
            prompt_hash: Hash::digest("prompt", &[&[i]]),
            policy,
            source_type: DigitalSourceType::Composite,
            height: Height(1),
        };
        super::mint(state, &mut Vec::new(), mint, lineage).unwrap().unwrap()
    }

    fn store() -> MemoryStore {
        let mut store = MemoryStore::new();
        let mut state = Overlay::new(&store);
        set_params(&mut state, &ProvenanceParams::default());
        staking::genesis::init_default(&mut state);
        bank::init_balance(&mut state, &PAYER, &Denom::GDC, Amount::new(1_000_000));
        bank::init_supply(&mut state, &Denom::GDC, Amount::new(1_000_000), Amount::ZERO);
        store.apply(state.into_changes()).unwrap();
        store
    }

    #[test]
    fn a_chain_a_b_c_pays_a_5_b_10_and_c_85_of_a_payment_to_c() {
        let store = store();
        let mut state = Overlay::new(&store);
        let a = mint_one(&mut state, 0, &[], policy(500));
        let b = mint_one(&mut state, 1, &[a], policy(1_000));
        let c = mint_one(&mut state, 2, &[b], policy(0));
        let record = asset(&state, c).unwrap().unwrap();
        assert_eq!(record.ancestors, vec![a, b]);
        let rest =
            pay_through_stack(&mut state, &mut Vec::new(), &ORIGIN, &record, &Denom::GDC, Amount::new(100))
                .unwrap();
        let vault_of =
            |id| query::position(&state, &VaultId::Asset(id), &owner((id.0 - 1) as u8)).unwrap().unwrap();
        assert_eq!(
            (vault_of(a).claimable_gdc, vault_of(b).claimable_gdc, rest),
            (Amount::new(5), Amount::new(10), Amount::new(85))
        );
        assert_eq!(record.prompt_history.len(), 2);
    }

    #[test]
    fn a_shared_ancestor_is_expanded_once_and_takes_each_edge_that_points_at_it() {
        let store = store();
        let mut state = Overlay::new(&store);
        let a = mint_one(&mut state, 0, &[], policy(500));
        let b = mint_one(&mut state, 1, &[a], policy(1_000));
        let c = mint_one(&mut state, 2, &[a], policy(300));
        let d = mint_one(&mut state, 3, &[b, c], policy(0));
        let record = asset(&state, d).unwrap().unwrap();
        assert_eq!(record.ancestors, vec![a, b, c]);
        let shares: Vec<(AssetId, u16)> =
            record.royalty_stack.iter().map(|e| (e.ancestor, e.share.get())).collect();
        // D→B 10%, D→C 3%, and inside the closure B→A 5% and C→A 5%: A takes both edges, once each.
        assert_eq!(shares, vec![(a, 1_000), (b, 1_000), (c, 300)]);
        // A child of B and D meets B's closure twice; still each node once.
        let e = mint_one(&mut state, 4, &[b, d], policy(0));
        let shares: Vec<(AssetId, u16)> = asset(&state, e)
            .unwrap()
            .unwrap()
            .royalty_stack
            .iter()
            .map(|e| (e.ancestor, e.share.get()))
            .collect();
        assert_eq!(
            shares,
            vec![(a, 1_000), (b, 2_000), (c, 300), (d, 0)]
                .into_iter()
                .filter(|(_, s)| *s > 0)
                .collect::<Vec<_>>()
        );
    }

    proptest::proptest! {
        /// A minted asset's vault writes nothing until it changes, and then behaves exactly as a
        /// vault recorded at the mint: the same answers and the same results for any payments,
        /// transfers and claims.
        #[test]
        fn an_unopened_asset_vault_behaves_as_the_recorded_vault_it_stands_for(
            steps in proptest::collection::vec((0u8..3, 0u8..4, 0u8..4, 1u64..revenue::SHARE_UNITS, 1u128..10_000), 1..24),
        ) {
            let base = store();
            let mut unopened = Overlay::new(&base);
            let asset = mint_one(&mut unopened, 0, &[], policy(0));
            let vault = VaultId::Asset(asset);
            proptest::prop_assert!(unopened.changes().sorted().iter().all(|(k, _)| !k.starts_with(b"revenue/")));
            let mut recorded = Overlay::new(&base);
            mint_one(&mut recorded, 0, &[], policy(0));
            revenue::vault_to_change(&mut recorded, &vault).unwrap();
            // What each world answers: the vault, its holdings, what it owes, positions and balances.
            let answers = |state: &Overlay<'_, MemoryStore>| {
                let holders: Vec<_> = (0..4)
                    .map(|i| {
                        let position = query::position(state, &vault, &owner(i)).unwrap();
                        (position, bank::balance(state, &owner(i), &Denom::GDC).unwrap())
                    })
                    .collect();
                (
                    query::vault(state, &vault).unwrap(),
                    revenue::holdings(state, &vault).unwrap(),
                    query::owed(state, &vault).unwrap(),
                    holders,
                )
            };
            proptest::prop_assert_eq!(answers(&unopened), answers(&recorded));
            for (kind, from, to, units, amount) in steps {
                let mut results = Vec::new();
                for state in [&mut unopened, &mut recorded] {
                    // As a transaction: kept only if it succeeds.
                    let mut tx = Overlay::new(&*state);
                    let mut events = Vec::new();
                    let result = match kind {
                        0 => revenue::pay_into(&mut tx, &mut events, &PAYER, &ORIGIN, vault, &Denom::GDC, Amount::new(amount))
                            .map_err(|e| format!("{e:?}")),
                        1 => revenue::handler::handle(&mut tx, &mut events, &Ctx::for_tests(Height(1), owner(from)), &revenue::RevenueMsg::TransferShares { vault, to: owner(to), units })
                            .map_err(|e| format!("{e:?}")),
                        _ => revenue::handler::handle(&mut tx, &mut events, &Ctx::for_tests(Height(1), owner(from)), &revenue::RevenueMsg::ClaimRevenue { vault })
                            .map_err(|e| format!("{e:?}")),
                    };
                    let changes = tx.into_changes();
                    if result.is_ok() {
                        state.apply(changes);
                    }
                    results.push((result, answers(state), events));
                }
                proptest::prop_assert_eq!(&results[0], &results[1]);
            }
        }
    }
}
