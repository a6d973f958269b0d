//! Keeps the history index (see `atelier-storage`: events by the accounts and assets they name,
//! and tallies per account) caught up with the chain, beside block production rather than in it:
//! each pass indexes a bounded number of events in one short write, so a block waits for at most
//! one pass.

use std::{collections::BTreeSet, sync::Arc, time::Duration};

use atelier_primitives::{Address, Amount, Denom};
use atelier_protocol::{
    Event,
    modules::{
        bank::BankEvent,
        compute::ComputeEvent,
        market::{Item, MarketEvent},
        provenance::{AssetId, ProvenanceEvent},
        revenue::{RevenueEvent, VaultId},
        staking::StakingEvent,
    },
};
use atelier_storage::{Mentions, Subject};

use crate::Node;

/// Events indexed in one write: a few milliseconds of work.
const EVENTS_PER_PASS: usize = 2_000;

/// How long the indexer waits for a block before looking anyway (a restored state commits none).
const IDLE_CHECK: Duration = Duration::from_secs(5);

/// The tallies kept per account, with what each counts: `(name, unit, what it sums)`. Amounts per
/// denomination end in it (`_ugdc`).
pub(crate) const TALLIES: &[(&str, &str, &str)] = &[
    ("jobs_requested", "jobs", "jobs it asked for"),
    ("jobs_assigned", "jobs", "jobs assigned to it as a provider"),
    ("jobs_served", "jobs", "jobs it served that settled"),
    ("earned_as_provider", "ugdc", "what settled jobs paid it as their provider"),
    ("challenges_opened", "results", "results it challenged"),
    ("disputes_lost", "disputes", "disputes resolved against it"),
    ("slashes", "slashes", "times its bond or stake was slashed"),
    ("slashed", "ugdc", "bond and stake slashed from it"),
    ("sales", "sales", "designs it sold"),
    ("sale_proceeds_ugdc", "ugdc", "what its sales paid it, after royalties and fees"),
    ("sale_proceeds_uusd", "uusd", "what its sales paid it, after royalties and fees"),
    ("purchases", "purchases", "designs it bought"),
    ("royalties_claimed_ugdc", "ugdc", "revenue it claimed from royalty vaults"),
    ("royalties_claimed_uusd", "uusd", "revenue it claimed from royalty vaults"),
    ("received_ugdc", "ugdc", "transfers it received"),
    ("received_uusd", "uusd", "transfers it received"),
    ("sent_ugdc", "ugdc", "transfers it sent"),
    ("sent_uusd", "uusd", "transfers it sent"),
];

/// What the history index keeps of `event`: every account and asset it names, and what it adds
/// to accounts' tallies ([`TALLIES`]).
pub(crate) fn mentions(event: &Event) -> Mentions {
    let accounts = named(event).into_iter().map(Subject::Account);
    let asset = asset_named(event).map(|AssetId(id)| Subject::Asset(id));
    Mentions { subjects: accounts.chain(asset).collect(), tallies: tallies(event) }
}

/// The asset an event is about: minted, made by a settled job, listed or sold, or its royalty
/// vault paid, claimed from or traded.
fn asset_named(event: &Event) -> Option<AssetId> {
    let of_vault = |vault: &VaultId| match vault {
        VaultId::Asset(asset) => Some(*asset),
        VaultId::Model(_) => None,
    };
    match event {
        Event::Provenance(ProvenanceEvent::AssetMinted { asset, .. })
        | Event::Compute(ComputeEvent::JobSettled { asset, .. }) => Some(*asset),
        Event::Market(MarketEvent::Listed { item, .. } | MarketEvent::Sold { item, .. }) => match item {
            Item::Asset { asset } => Some(*asset),
            Item::Shares { vault, .. } => of_vault(vault),
        },
        Event::Revenue(
            RevenueEvent::VaultOpened { vault, .. }
            | RevenueEvent::RevenuePaid { vault, .. }
            | RevenueEvent::RevenueClaimed { vault, .. }
            | RevenueEvent::SharesTransferred { vault, .. },
        ) => of_vault(vault),
        _ => None,
    }
}

fn tallies(event: &Event) -> Vec<(Address, &'static str, i128)> {
    let amount = |amount: &Amount| i128::try_from(amount.get()).unwrap_or(i128::MAX);
    let by_denom = |denom: &Denom, gdc: &'static str, usd: &'static str| match denom.as_str() {
        "ugdc" => Some(gdc),
        "uusd" => Some(usd),
        _ => None,
    };
    match event {
        Event::Compute(ComputeEvent::JobSubmitted { requester, .. }) => {
            vec![(*requester, "jobs_requested", 1)]
        }
        Event::Compute(ComputeEvent::JobAdmitted { provider, .. }) => vec![(*provider, "jobs_assigned", 1)],
        Event::Compute(ComputeEvent::JobSettled { provider, provider_paid, .. }) => {
            vec![(*provider, "jobs_served", 1), (*provider, "earned_as_provider", amount(provider_paid))]
        }
        Event::Compute(ComputeEvent::ResultChallenged { challenger, .. }) => {
            vec![(*challenger, "challenges_opened", 1)]
        }
        Event::Compute(ComputeEvent::DisputeResolved { loser: Some(loser), .. }) => {
            vec![(*loser, "disputes_lost", 1)]
        }
        Event::Compute(ComputeEvent::ProviderSlashed { provider: account, amount: slashed, .. })
        | Event::Staking(StakingEvent::Slashed { account, amount: slashed, .. }) => {
            vec![(*account, "slashes", 1), (*account, "slashed", amount(slashed))]
        }
        Event::Market(MarketEvent::Sold { buyer, seller, denom, proceeds, .. }) => {
            let mut out = vec![(*seller, "sales", 1), (*buyer, "purchases", 1)];
            out.extend(
                by_denom(denom, "sale_proceeds_ugdc", "sale_proceeds_uusd")
                    .map(|name| (*seller, name, amount(proceeds))),
            );
            out
        }
        Event::Revenue(RevenueEvent::RevenueClaimed { holder, denom, amount: claimed, .. }) => {
            by_denom(denom, "royalties_claimed_ugdc", "royalties_claimed_uusd")
                .map(|name| (*holder, name, amount(claimed)))
                .into_iter()
                .collect()
        }
        Event::Bank(BankEvent::Transferred { from, to, denom, amount: moved }) => {
            let received =
                by_denom(denom, "received_ugdc", "received_uusd").map(|name| (*to, name, amount(moved)));
            let sent = by_denom(denom, "sent_ugdc", "sent_uusd").map(|name| (*from, name, amount(moved)));
            received.into_iter().chain(sent).collect()
        }
        _ => Vec::new(),
    }
}

/// Every account an event names: each string of its JSON form that is an address.
fn named(event: &Event) -> BTreeSet<Address> {
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

/// Indexes new blocks' events as they are committed, until `stop` fires (or its sender is
/// dropped); a pass under way finishes first, so the node is not held after this returns.
pub(crate) async fn keep(node: Arc<Node>, mut stop: tokio::sync::oneshot::Receiver<()>) {
    let mut blocks = node.subscribe();
    loop {
        loop {
            if !matches!(stop.try_recv(), Err(tokio::sync::oneshot::error::TryRecvError::Empty)) {
                return;
            }
            let pass_node = node.clone();
            let pass = tokio::task::spawn_blocking(move || {
                let storage = pass_node.storage();
                let before = storage.history_head()?;
                let after = storage.index_history(EVENTS_PER_PASS, mentions)?;
                Ok::<_, atelier_storage::StorageError>(after > before && after < pass_node.head().height)
            })
            .await;
            match pass {
                Ok(Ok(true)) => {}
                Ok(Ok(false)) => break,
                Ok(Err(error)) => {
                    tracing::warn!(%error, "history index pass failed; retrying at the next block");
                    break;
                }
                Err(error) => {
                    tracing::warn!(%error, "history index pass panicked; retrying at the next block");
                    break;
                }
            }
        }
        tokio::select! {
            _ = &mut stop => return,
            // A lagged receiver only means several blocks came: the next passes read them all.
            _ = tokio::time::timeout(IDLE_CHECK, blocks.recv()) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_names_every_address_it_carries_and_nothing_else() {
        let (from, to) = (Address::module("a"), Address::module("b"));
        let transfer =
            Event::Bank(BankEvent::Transferred { from, to, denom: Denom::GDC, amount: Amount::new(5) });
        assert_eq!(mentions(&transfer).subjects, [Subject::Account(from), Subject::Account(to)].into());
        let burn = Event::Bank(BankEvent::Burned { from, denom: Denom::GDC, amount: Amount::new(5) });
        assert_eq!(mentions(&burn).subjects, [Subject::Account(from)].into());
    }

    #[test]
    fn a_transfer_adds_to_what_the_payee_received_and_the_payer_sent_in_its_denomination() {
        let (from, to) = (Address::module("a"), Address::module("b"));
        let transfer =
            Event::Bank(BankEvent::Transferred { from, to, denom: Denom::GDC, amount: Amount::new(5) });
        assert_eq!(mentions(&transfer).tallies, vec![(to, "received_ugdc", 5), (from, "sent_ugdc", 5)]);
    }

    #[test]
    fn a_sale_of_a_design_joins_its_history_and_both_parties() {
        let (buyer, seller) = (Address::module("a"), Address::module("b"));
        let sold = Event::Market(MarketEvent::Sold {
            listing: Default::default(),
            item: Item::Asset { asset: AssetId(7) },
            buyer,
            seller,
            denom: Denom::GDC,
            protocol_fee: Amount::new(1),
            royalties: Amount::new(1),
            proceeds: Amount::new(8),
        });
        let subjects = [Subject::Account(buyer), Subject::Account(seller), Subject::Asset(7)];
        assert_eq!(mentions(&sold).subjects, subjects.into());
    }

    #[test]
    fn every_tally_counted_is_documented() {
        let documented: BTreeSet<&str> = TALLIES.iter().map(|(name, _, _)| *name).collect();
        let a = Address::module("a");
        let events = [
            Event::Compute(ComputeEvent::ProviderSlashed {
                provider: a,
                amount: Amount::new(1),
                to: a,
                suspended: false,
            }),
            Event::Market(MarketEvent::Sold {
                listing: Default::default(),
                item: Item::Asset { asset: AssetId(7) },
                buyer: a,
                seller: a,
                denom: Denom::USD,
                protocol_fee: Amount::ZERO,
                royalties: Amount::ZERO,
                proceeds: Amount::new(3),
            }),
            Event::Revenue(RevenueEvent::RevenueClaimed {
                vault: atelier_protocol::modules::revenue::VaultId::Model(Default::default()),
                holder: a,
                denom: Denom::GDC,
                amount: Amount::new(2),
            }),
        ];
        for event in &events {
            for (_, name, _) in tallies(event) {
                assert!(documented.contains(name), "{name} is not in TALLIES");
            }
        }
    }
}
