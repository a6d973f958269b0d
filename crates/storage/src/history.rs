//! The history index: which stored events name which account or asset (an account's or a
//! design's history), and running totals per account (what it earned, was slashed, received…)
//! kept from the same events.
//!
//! Kept beside the chain rather than in a block's commit, so that indexing never slows a block
//! down: [`Storage::index_history`] catches the index up a bounded number of events at a time,
//! reading the events and writing their entries in one write transaction (so a block committed or
//! a state restored meanwhile can never leave it pointing at events that are gone). The index's
//! head is the last block all of whose events are indexed.
//!
//! | table | key | value |
//! |---|---|---|
//! | `history` | (subject's key, height, position of the event in its block) | nothing |
//! | `account_tallies` | (address, tally name) | `i128`: the tally's sum |
//! | `meta` | `history_head` | `u64` BE: the last indexed block |
//!
//! A subject's key is an account's 20 address bytes, or `a` and an asset's id (8 bytes BE).

use std::{collections::BTreeSet, ops::Bound};

use atelier_primitives::{Address, Decode, Height};
use atelier_protocol::Event;
use redb::{ReadableTable, TableDefinition, WriteTransaction};

use crate::{EVENTS, IndexedEvent, META, META_HEAD, Storage, StorageError};

const HISTORY: TableDefinition<(&[u8], u64, u32), ()> = TableDefinition::new("history");
const ACCOUNT_TALLIES: TableDefinition<(&[u8], &str), i128> = TableDefinition::new("account_tallies");
const META_HISTORY_HEAD: &str = "history_head";

/// Whom or what an event is about: each has a history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    /// An account.
    Account(Address),
    /// An asset (a design), by id.
    Asset(u64),
}

impl Subject {
    fn key(&self) -> Vec<u8> {
        match self {
            Subject::Account(address) => address.as_bytes().to_vec(),
            Subject::Asset(id) => [&b"a"[..], &id.to_be_bytes()].concat(),
        }
    }
}

/// What the history index keeps of one event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    /// Every account and asset the event names: it joins each one's history.
    pub subjects: BTreeSet<Subject>,
    /// Amounts added to accounts' named tallies (`earned_as_provider`, `slashes`…).
    pub tallies: Vec<(Address, &'static str, i128)>,
}

/// Where an event is stored: its block and its position among the block's events.
pub type EventPosition = (Height, u32);

impl Storage {
    /// The last block whose events are all in the history index (zero before any).
    pub fn history_head(&self) -> Result<Height, StorageError> {
        let txn = self.begin_read()?;
        let meta = txn.open_table(META).map_err(StorageError::db)?;
        read_index_head(&meta)
    }

    /// Indexes the events after the index's head by what `mentions` finds in each (the accounts
    /// and assets it names, the tallies it adds to), whole blocks at a time, stopping at the first
    /// block boundary after `max_events` events (or at the chain's head). Returns the index's head
    /// after.
    pub fn index_history(
        &self,
        max_events: usize,
        mut mentions: impl FnMut(&Event) -> Mentions,
    ) -> Result<Height, StorageError> {
        let mut txn = self.begin_write()?;
        // Not synced on its own: the next block's durable commit persists it. A crash before that
        // loses only this pass, head and entries together, and the indexer does it again.
        txn.set_durability(redb::Durability::None).map_err(StorageError::db)?;
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
            let mut index = txn.open_table(HISTORY).map_err(StorageError::db)?;
            let mut tallies = txn.open_table(ACCOUNT_TALLIES).map_err(StorageError::db)?;
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
                let found = mentions(&event.event);
                for subject in &found.subjects {
                    index
                        .insert((subject.key().as_slice(), height, position), ())
                        .map_err(StorageError::db)?;
                }
                for (account, name, amount) in found.tallies {
                    let key = (account.as_bytes().as_slice(), name);
                    let sum = tallies.get(key).map_err(StorageError::db)?.map_or(0, |sum| sum.value());
                    // A display figure: it saturates rather than stop the index.
                    tallies.insert(key, sum.saturating_add(amount)).map_err(StorageError::db)?;
                }
            }
            done
        };
        write_index_head(&txn, head)?;
        txn.commit().map_err(StorageError::db)?;
        Ok(head)
    }

    /// Up to `limit` of the indexed events naming `subject`, newest first, from just before
    /// `before` (or from the newest), each with where it is stored.
    pub fn history(
        &self,
        subject: &Subject,
        before: Option<EventPosition>,
        limit: usize,
    ) -> Result<Vec<(EventPosition, IndexedEvent)>, StorageError> {
        let txn = self.begin_read()?;
        let index = txn.open_table(HISTORY).map_err(StorageError::db)?;
        let events = txn.open_table(EVENTS).map_err(StorageError::db)?;
        let key = subject.key();
        let key = key.as_slice();
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
                StorageError::corrupt("history index", format!("event {height}:{position} is missing"))
            })?;
            let event =
                IndexedEvent::from_bytes(bytes.value()).map_err(|e| StorageError::corrupt("event", e))?;
            out.push(((Height(height), position), event));
        }
        Ok(out)
    }
}

impl Storage {
    /// `account`'s tallies, by name, as of the index's head.
    pub fn account_tallies(&self, account: &Address) -> Result<Vec<(String, i128)>, StorageError> {
        let txn = self.begin_read()?;
        let tallies = txn.open_table(ACCOUNT_TALLIES).map_err(StorageError::db)?;
        let key = account.as_bytes().as_slice();
        let mut out = Vec::new();
        for entry in tallies.range((key, "")..).map_err(StorageError::db)? {
            let (entry, sum) = entry.map_err(StorageError::db)?;
            let (address, name) = entry.value();
            if address != key {
                break;
            }
            out.push((name.to_owned(), sum.value()));
        }
        Ok(out)
    }
}

fn read_index_head(meta: &impl ReadableTable<&'static str, &'static [u8]>) -> Result<Height, StorageError> {
    let Some(bytes) = meta.get(META_HISTORY_HEAD).map_err(StorageError::db)? else {
        return Ok(Height(0));
    };
    let bytes: [u8; 8] =
        bytes.value().try_into().map_err(|_| StorageError::corrupt("history head", "not 8 bytes"))?;
    Ok(Height(u64::from_be_bytes(bytes)))
}

fn write_index_head(txn: &WriteTransaction, head: Height) -> Result<(), StorageError> {
    txn.open_table(META)
        .map_err(StorageError::db)?
        .insert(META_HISTORY_HEAD, head.get().to_be_bytes().as_slice())
        .map_err(StorageError::db)?;
    Ok(())
}

/// Forgets the whole index (a restored state rewrote history; tallies cannot be rewound block by
/// block): it is rebuilt from the stored events.
pub(crate) fn forget(txn: &WriteTransaction) -> Result<(), StorageError> {
    txn.delete_table(HISTORY).map_err(StorageError::db)?;
    txn.delete_table(ACCOUNT_TALLIES).map_err(StorageError::db)?;
    ensure_tables(txn)?;
    write_index_head(txn, Height(0))
}

/// Starts the index at `head`: a state synced there has no earlier blocks to index.
pub(crate) fn start_at(txn: &WriteTransaction, head: Height) -> Result<(), StorageError> {
    ensure_tables(txn)?;
    write_index_head(txn, head)
}

pub(crate) fn ensure_tables(txn: &WriteTransaction) -> Result<(), StorageError> {
    txn.open_table(HISTORY).map_err(StorageError::db)?;
    txn.open_table(ACCOUNT_TALLIES).map_err(StorageError::db)?;
    Ok(())
}
