//! Stored receipts and indexed events.

use atelier_primitives::{Decode, DecodeError, Encode, Hash, Height, Reader};
use atelier_protocol::{Event, Receipt, block::MAX_TXS_PER_BLOCK, receipt::MAX_EVENTS_PER_RECEIPT};

/// Everything a block's execution reported.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct BlockReceipts {
    /// One receipt per transaction, in block order.
    #[codec(max = MAX_TXS_PER_BLOCK)]
    pub receipts: Vec<Receipt>,
    /// Events of the block's end.
    #[codec(max = MAX_EVENTS_PER_RECEIPT)]
    pub end_block_events: Vec<Event>,
}

impl BlockReceipts {
    /// Every event of the block in order, each with where it came from.
    pub fn indexed(&self, height: Height) -> impl Iterator<Item = IndexedEvent> + '_ {
        let from_txs = self.receipts.iter().enumerate().flat_map(move |(index, receipt)| {
            receipt.events.iter().map(move |event| IndexedEvent {
                height,
                // Bounded by MAX_TXS_PER_BLOCK.
                tx: Some((index as u32, receipt.tx_hash)),
                event: event.clone(),
            })
        });
        let from_end = self.end_block_events.iter().map(move |event| IndexedEvent {
            height,
            tx: None,
            event: event.clone(),
        });
        from_txs.chain(from_end)
    }
}

/// An event and where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedEvent {
    /// The block.
    pub height: Height,
    /// The transaction's position and hash, or `None` for the block's end.
    pub tx: Option<(u32, Hash)>,
    /// The event.
    pub event: Event,
}

impl Encode for IndexedEvent {
    fn encode_to(&self, out: &mut Vec<u8>) {
        self.height.encode_to(out);
        self.tx.map(|(index, _)| index).encode_to(out);
        self.tx.map(|(_, hash)| hash).encode_to(out);
        self.event.encode_to(out);
    }
}

impl Decode for IndexedEvent {
    fn decode_from(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let height = Height::decode_from(r)?;
        let index = Option::<u32>::decode_from(r)?;
        let hash = Option::<Hash>::decode_from(r)?;
        let tx = match (index, hash) {
            (Some(index), Some(hash)) => Some((index, hash)),
            (None, None) => None,
            _ => return Err(DecodeError::Invalid { what: "event origin" }),
        };
        Ok(IndexedEvent { height, tx, event: Event::decode_from(r)? })
    }
}
