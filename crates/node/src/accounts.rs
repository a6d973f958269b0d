//! Keeps the account index (see `atelier-storage`) caught up with the chain, beside block
//! production rather than in it: each pass indexes a bounded number of events in one short write,
//! so a block waits for at most one pass.

use std::{collections::BTreeSet, sync::Arc, time::Duration};

use atelier_primitives::Address;
use atelier_protocol::Event;

use crate::Node;

/// Events indexed in one write: a few milliseconds of work.
const EVENTS_PER_PASS: usize = 2_000;

/// How long the indexer waits for a block before looking anyway (a restored state commits none).
const IDLE_CHECK: Duration = Duration::from_secs(5);

/// Every account an event names: each string of its JSON form that is an address.
pub(crate) fn named(event: &Event) -> BTreeSet<Address> {
    let mut accounts = BTreeSet::new();
    if let Ok(value) = serde_json::to_value(event) {
        each_string(&value, &mut |text| {
            if let Ok(address) = text.parse::<Address>() {
                accounts.insert(address);
            }
        });
    }
    accounts
}

/// Calls `found` with every string in `value`, however deep.
pub(crate) fn each_string(value: &serde_json::Value, found: &mut impl FnMut(&str)) {
    match value {
        serde_json::Value::String(text) => found(text),
        serde_json::Value::Array(items) => items.iter().for_each(|item| each_string(item, found)),
        serde_json::Value::Object(fields) => fields.values().for_each(|field| each_string(field, found)),
        _ => {}
    }
}

/// Indexes new blocks' events by account as they are committed, until dropped.
pub(crate) async fn keep(node: Arc<Node>) {
    let mut blocks = node.subscribe();
    loop {
        loop {
            let pass_node = node.clone();
            let pass = tokio::task::spawn_blocking(move || {
                let storage = pass_node.storage();
                let before = storage.account_index_head()?;
                let after = storage.index_accounts(EVENTS_PER_PASS, named)?;
                Ok::<_, atelier_storage::StorageError>(after > before && after < pass_node.head().height)
            })
            .await;
            match pass {
                Ok(Ok(true)) => {}
                Ok(Ok(false)) => break,
                Ok(Err(error)) => {
                    tracing::warn!(%error, "account index pass failed; retrying at the next block");
                    break;
                }
                Err(error) => {
                    tracing::warn!(%error, "account index pass panicked; retrying at the next block");
                    break;
                }
            }
        }
        // A lagged receiver only means several blocks came: the next passes read them all.
        let _ = tokio::time::timeout(IDLE_CHECK, blocks.recv()).await;
    }
}

#[cfg(test)]
mod tests {
    use atelier_primitives::{Amount, Denom};
    use atelier_protocol::modules::bank::BankEvent;

    use super::*;

    #[test]
    fn an_event_names_every_address_it_carries_and_nothing_else() {
        let (from, to) = (Address::module("a"), Address::module("b"));
        let transfer =
            Event::Bank(BankEvent::Transferred { from, to, denom: Denom::GDC, amount: Amount::new(5) });
        assert_eq!(named(&transfer), [from, to].into());
        let burn = Event::Bank(BankEvent::Burned { from, denom: Denom::GDC, amount: Amount::new(5) });
        assert_eq!(named(&burn), [from].into());
    }
}
