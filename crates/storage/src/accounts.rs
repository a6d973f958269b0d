//! The account index: which stored events name which account, for an account's history.
//!
//! Kept beside the chain rather than in a block's commit, so that indexing never slows a block
//! down: [`Storage::index_accounts`] catches the index up a bounded number of events at a time,
//! reading the events and writing their entries in one write transaction (so a block committed or
//! a state restored meanwhile can never leave it pointing at events that are gone). The index's
//! head is the last block all of whose events are indexed.
//!
//! | table | key | value |
//! |---|---|---|
//! | `account_events` | (address, height, position of the event in its block) | nothing |
//! | `meta` | `account_index_head` | `u64` BE: the last indexed block |

use std::{collections::BTreeSet, ops::Bound};

use atelier_primitives::{Address, Decode, Height};
use atelier_protocol::Event;
use redb::{ReadableTable, TableDefinition, WriteTransaction};

use crate::{EVENTS, IndexedEvent, META, META_HEAD, Storage, StorageError};

const ACCOUNT_EVENTS: TableDefinition<(&[u8], u64, u32), ()> = TableDefinition::new("account_events");
const META_ACCOUNT_INDEX_HEAD: &str = "account_index_head";

/// Where an event is stored: its block and its position among the block's events.
pub type EventPosition = (Height, u32);

impl Storage {
    /// The last block whose events are all indexed by account (zero before any).
    pub fn account_index_head(&self) -> Result<Height, StorageError> {
        let txn = self.begin_read()?;
        let meta = txn.open_table(META).map_err(StorageError::db)?;
        read_index_head(&meta)
    }

    /// Indexes the events after the index's head by the accounts `named` finds in each, whole
    /// blocks at a time, stopping at the first block boundary after `max_events` events (or at the
    /// chain's head). Returns the index's head after.
    pub fn index_accounts(
        &self,
        max_events: usize,
        mut named: impl FnMut(&Event) -> BTreeSet<Address>,
    ) -> Result<Height, StorageError> {
        let txn = self.begin_write()?;
        let head = {
            let meta = txn.open_table(META).map_err(StorageError::db)?;
            let chain = match meta.get(META_HEAD).map_err(StorageError::db)? {
                Some(bytes) => {
                    atelier_protocol::Header::from_bytes(bytes.value())
                        .map_err(|e| StorageError::corrupt("head", e))?
                        .height
                }
                None => return Err(StorageError::Uninitialized),
            };
            let indexed = read_index_head(&meta)?;
            if indexed >= chain {
                return Ok(indexed);
            }
            let events = txn.open_table(EVENTS).map_err(StorageError::db)?;
            let mut index = txn.open_table(ACCOUNT_EVENTS).map_err(StorageError::db)?;
            let mut done = chain;
            let mut current = None;
            let unindexed = events.range((indexed.get().saturating_add(1), 0)..).map_err(StorageError::db)?;
            for (seen, entry) in unindexed.enumerate() {
                let (key, bytes) = entry.map_err(StorageError::db)?;
                let (height, position) = key.value();
                if current != Some(height) {
                    if seen >= max_events {
                        // Every block before this one is whole.
                        done = Height(height.saturating_sub(1));
                        break;
                    }
                    current = Some(height);
                }
                let event =
                    IndexedEvent::from_bytes(bytes.value()).map_err(|e| StorageError::corrupt("event", e))?;
                for account in named(&event.event) {
                    index
                        .insert((account.as_bytes().as_slice(), height, position), ())
                        .map_err(StorageError::db)?;
                }
            }
            done
        };
        write_index_head(&txn, head)?;
        txn.commit().map_err(StorageError::db)?;
        Ok(head)
    }

    /// Up to `limit` of the indexed events naming `account`, newest first, from just before
    /// `before` (or from the newest), each with where it is stored.
    pub fn account_events(
        &self,
        account: &Address,
        before: Option<EventPosition>,
        limit: usize,
    ) -> Result<Vec<(EventPosition, IndexedEvent)>, StorageError> {
        let txn = self.begin_read()?;
        let index = txn.open_table(ACCOUNT_EVENTS).map_err(StorageError::db)?;
        let events = txn.open_table(EVENTS).map_err(StorageError::db)?;
        let key = account.as_bytes().as_slice();
        let end = match before {
            Some((height, position)) => Bound::Excluded((key, height.get(), position)),
            None => Bound::Included((key, u64::MAX, u32::MAX)),
        };
        let mut out = Vec::new();
        for entry in
            index.range((Bound::Included((key, 0, 0)), end)).map_err(StorageError::db)?.rev().take(limit)
        {
            let (entry, _) = entry.map_err(StorageError::db)?;
            let (_, height, position) = entry.value();
            let bytes = events.get((height, position)).map_err(StorageError::db)?.ok_or_else(|| {
                StorageError::corrupt("account index", format!("event {height}:{position} is missing"))
            })?;
            let event =
                IndexedEvent::from_bytes(bytes.value()).map_err(|e| StorageError::corrupt("event", e))?;
            out.push(((Height(height), position), event));
        }
        Ok(out)
    }
}

fn read_index_head(meta: &impl ReadableTable<&'static str, &'static [u8]>) -> Result<Height, StorageError> {
    let Some(bytes) = meta.get(META_ACCOUNT_INDEX_HEAD).map_err(StorageError::db)? else {
        return Ok(Height(0));
    };
    let bytes: [u8; 8] =
        bytes.value().try_into().map_err(|_| StorageError::corrupt("account index head", "not 8 bytes"))?;
    Ok(Height(u64::from_be_bytes(bytes)))
}

fn write_index_head(txn: &WriteTransaction, head: Height) -> Result<(), StorageError> {
    txn.open_table(META)
        .map_err(StorageError::db)?
        .insert(META_ACCOUNT_INDEX_HEAD, head.get().to_be_bytes().as_slice())
        .map_err(StorageError::db)?;
    Ok(())
}

/// Forgets the entries of blocks above `keep` (a restored state's height), with the index's
/// head brought back to at most `keep`.
pub(crate) fn forget_above(txn: &WriteTransaction, keep: u64) -> Result<(), StorageError> {
    let above = keep.saturating_add(1);
    txn.open_table(ACCOUNT_EVENTS)
        .map_err(StorageError::db)?
        .retain(|(_, height, _), _| height < above)
        .map_err(StorageError::db)?;
    let indexed = read_index_head(&txn.open_table(META).map_err(StorageError::db)?)?;
    write_index_head(txn, indexed.min(Height(keep)))
}

pub(crate) fn ensure_tables(txn: &WriteTransaction) -> Result<(), StorageError> {
    txn.open_table(ACCOUNT_EVENTS).map_err(StorageError::db)?;
    Ok(())
}
