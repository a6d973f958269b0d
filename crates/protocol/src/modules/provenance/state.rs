//! Provenance state.
//!
//! | key | value |
//! |---|---|
//! | `provenance/next_asset` | `u64`: the next id |
//! | `provenance/asset/{id:8 BE}` | [`Asset`] |
//! | `provenance/owner/{address:20}{id:8 BE}` | empty: assets by owner |

use std::fmt;

use atelier_primitives::{Address, Decode, Encode, Hash, Height};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::ProvenanceEvent;
use crate::{
    event::Event,
    modules::{compute::JobId, registry::ModelId},
    store::{key, read, scan, write},
};

const NEXT_ASSET: &[u8] = b"provenance/next_asset";
const ASSET: &[u8] = b"provenance/asset/";
const BY_OWNER: &[u8] = b"provenance/owner/";

/// The id of an asset, given in order of minting from 1.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Encode, Decode,
)]
#[serde(transparent)]
pub struct AssetId(pub u64);

impl fmt::Display for AssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A generated work and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    /// Its id.
    pub id: AssetId,
    /// Who owns it.
    pub owner: Address,
    /// Who had it made.
    pub creator: Address,
    /// The model that made it.
    pub model: ModelId,
    /// The job that made it.
    pub job: JobId,
    /// Hash of the output.
    pub output_hash: Hash,
    /// Hash of the prompt.
    pub prompt_hash: Hash,
    /// Height it was minted at.
    pub minted_at: Height,
}

fn asset_key(id: AssetId) -> Vec<u8> {
    key(ASSET, &[&id.0.to_be_bytes()])
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

pub(crate) fn put_asset(state: &mut impl StateWrite, asset: &Asset) {
    state.put(key(BY_OWNER, &[asset.owner.as_bytes(), &asset.id.0.to_be_bytes()]), Vec::new());
    write(state, asset_key(asset.id), asset);
}

/// Every asset, by id. O(assets): export.
pub(crate) fn assets(state: &(impl StateRead + ?Sized)) -> Result<Vec<Asset>, StateError> {
    Ok(scan(state, ASSET)?.into_iter().map(|(_, a)| a).collect())
}

/// The ids of `owner`'s assets. O(its assets).
pub(crate) fn assets_of(
    state: &(impl StateRead + ?Sized),
    owner: &Address,
) -> Result<Vec<AssetId>, StateError> {
    let prefix = key(BY_OWNER, &[owner.as_bytes()]);
    state
        .scan_prefix(&prefix)?
        .iter()
        .map(|(key, _)| {
            key[prefix.len()..]
                .try_into()
                .map(|bytes| AssetId(u64::from_be_bytes(bytes)))
                .map_err(|_| StateError::corrupt(key, "owner index key does not end in an asset id"))
        })
        .collect()
}

/// What a settled job mints.
pub(crate) struct Mint {
    pub(crate) owner: Address,
    pub(crate) model: ModelId,
    pub(crate) job: JobId,
    pub(crate) output_hash: Hash,
    pub(crate) prompt_hash: Hash,
    pub(crate) height: Height,
}

/// Mints an asset; `None` only when ids are exhausted (after `u64::MAX` assets).
pub(crate) fn mint(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    mint: Mint,
) -> Result<Option<AssetId>, StateError> {
    let next = next_asset(state)?;
    let Some(following) = next.checked_add(1) else { return Ok(None) };
    let asset = Asset {
        id: AssetId(next),
        owner: mint.owner,
        creator: mint.owner,
        model: mint.model,
        job: mint.job,
        output_hash: mint.output_hash,
        prompt_hash: mint.prompt_hash,
        minted_at: mint.height,
    };
    put_asset(state, &asset);
    set_next_asset(state, following);
    crate::modules::revenue::state::open(
        state,
        events,
        crate::modules::revenue::VaultId::Asset(asset.id),
        &asset.owner,
    );
    events.push(Event::Provenance(ProvenanceEvent::AssetMinted {
        asset: asset.id,
        owner: asset.owner,
        model: asset.model,
        job: asset.job,
    }));
    Ok(Some(asset.id))
}
