//! Executes market messages: check everything, then write.

use atelier_primitives::{Address, Amount, Denom, Height};
use atelier_state::StateWrite;

use super::{Item, Listing, ListingId, MarketError, MarketEvent, MarketMsg, state};
use crate::{
    event::Event,
    modules::{
        Ctx, Failure, bank, compliance, provenance, registry,
        revenue::{self, VaultId},
        rule, staking,
        treasury::{self, IncomeSource},
    },
};

type MarketResult<T = ()> = Result<T, Failure<MarketError>>;

/// Runs `msg` in the block `ctx` describes, sent by `ctx.sender`.
pub(crate) fn handle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
    msg: &MarketMsg,
) -> MarketResult {
    let (height, time_ms, sender) = (ctx.height, ctx.time_ms, &ctx.sender);
    match msg {
        MarketMsg::List { item, price, denom, expires_in } => {
            list(state, events, height, sender, *item, *price, denom, *expires_in)
        }
        MarketMsg::Cancel { listing } => cancel(state, events, sender, *listing),
        MarketMsg::Buy { listing, max_price } => {
            buy(state, events, height, time_ms, sender, *listing, *max_price)
        }
    }
}

/// Units of `vault` that `holder` holds.
fn units_held(state: &impl StateWrite, vault: &VaultId, holder: &Address) -> MarketResult<u64> {
    Ok(revenue::holding(state, vault, holder)?.map_or(0, |h| h.units))
}

#[allow(clippy::too_many_arguments)]
fn list(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    seller: &Address,
    item: Item,
    price: Amount,
    denom: &Denom,
    expires_in: u64,
) -> MarketResult {
    let params = state::params(state)?;
    if price < params.min_price {
        return rule(MarketError::PriceTooLow { price, min: params.min_price });
    }
    if !bank::DENOMS.contains(denom) {
        return rule(MarketError::UnknownDenom { denom: *denom });
    }
    if expires_in == 0 || expires_in > params.max_listing_blocks {
        return rule(MarketError::InvalidExpiry { blocks: expires_in, max: params.max_listing_blocks });
    }
    let mut replaced = None;
    match item {
        Item::Asset { asset } => {
            let Some(record) = provenance::asset(state, asset)? else {
                return rule(MarketError::UnknownAsset { asset });
            };
            if record.owner != *seller {
                return rule(MarketError::NotOwner { asset, sender: *seller });
            }
            if let Some(open) = state::listing_of(state, asset)? {
                // An expired listing gives way to the new one.
                match state::listing(state, open)? {
                    Some(old) if old.expires_at < height => replaced = Some(old),
                    _ => return rule(MarketError::AlreadyListed { asset, listing: open }),
                }
            }
        }
        Item::Shares { vault, units } => {
            if revenue::vault(state, &vault)?.is_none() {
                return rule(MarketError::Revenue(revenue::RevenueError::UnknownVault { vault }));
            }
            let held = units_held(state, &vault, seller)?;
            if units == 0 || held < units {
                return rule(MarketError::InsufficientShares { seller: *seller, held, units });
            }
        }
    }
    let next = state::next_listing(state)?;
    let following = next.checked_add(1).ok_or(Failure::Rule(MarketError::Overflow))?;
    // Point of no return.
    if let Some(old) = &replaced {
        state::remove_listing(state, old);
        events.push(Event::Market(MarketEvent::Cancelled { listing: old.id }));
    }
    let listing = Listing {
        id: ListingId(next),
        seller: *seller,
        item,
        price,
        denom: *denom,
        expires_at: Height(height.0.saturating_add(expires_in)),
    };
    state::put_listing(state, &listing);
    state::set_next_listing(state, following);
    events.push(Event::Market(MarketEvent::Listed {
        listing: listing.id,
        item: listing.item,
        seller: *seller,
        price,
        denom: *denom,
    }));
    Ok(())
}

fn listing_of(state: &impl StateWrite, id: ListingId) -> MarketResult<Listing> {
    match state::listing(state, id)? {
        Some(listing) => Ok(listing),
        None => rule(MarketError::UnknownListing { listing: id }),
    }
}

fn cancel(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    sender: &Address,
    id: ListingId,
) -> MarketResult {
    let listing = listing_of(state, id)?;
    if listing.seller != *sender {
        return rule(MarketError::NotSeller { listing: id, sender: *sender });
    }
    state::remove_listing(state, &listing);
    events.push(Event::Market(MarketEvent::Cancelled { listing: id }));
    Ok(())
}

fn buy(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: Height,
    time_ms: u64,
    buyer: &Address,
    id: ListingId,
    max_price: Amount,
) -> MarketResult {
    let listing = listing_of(state, id)?;
    if height > listing.expires_at {
        return rule(MarketError::Expired { listing: id, expired_at: listing.expires_at.0 });
    }
    if listing.seller == *buyer {
        return rule(MarketError::SelfPurchase);
    }
    if listing.price > max_price {
        return rule(MarketError::PriceAboveMax { price: listing.price, max_price });
    }
    let balance = bank::balance(state, buyer, &listing.denom)?;
    if balance < listing.price {
        return rule(MarketError::Bank(bank::BankError::InsufficientBalance {
            denom: listing.denom,
            balance,
            amount: listing.price,
        }));
    }
    if let Item::Shares { vault, units } = listing.item {
        let held = units_held(state, &vault, &listing.seller)?;
        if held < units {
            return rule(MarketError::InsufficientShares { seller: listing.seller, held, units });
        }
    }
    // Point of no return: the buyer holds the price and the seller the item, and every part of
    // the price is a share of it, so each payment below succeeds.
    let origin = staking::Origin { payer: *buyer, height };
    sell(state, events, &origin, time_ms, &listing).map_err(|f| f.into_bug("market sale"))
}

/// Moves the item to the buyer and the price to everyone it pays: the treasury's fee, the
/// royalties, then the seller.
fn sell(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    origin: &staking::Origin,
    time_ms: u64,
    listing: &Listing,
) -> MarketResult {
    let buyer = &origin.payer;
    let params = state::params(state)?;
    let (price, denom) = (listing.price, listing.denom);
    let mut primary_sale = false;
    let protocol_fee =
        params.protocol_fee.of_ceil(price).map_err(|_| Failure::Rule(MarketError::Overflow))?;
    let send = |state: &mut _, events: &mut _, to: &Address, amount: Amount| -> MarketResult {
        if amount.is_zero() {
            return Ok(());
        }
        bank::send(state, events, buyer, to, &denom, amount).map_err(|f| f.map_rule(MarketError::Bank))
    };
    send(state, events, &treasury::account(), protocol_fee)?;
    treasury::hooks::record_income(state, events, IncomeSource::MarketFees, &denom, protocol_fee)?;
    let after_fee = price.checked_sub(protocol_fee).map_err(|_| Failure::Rule(MarketError::Overflow))?;
    let royalties = match listing.item {
        Item::Asset { asset } => {
            let mut record = provenance::asset(state, asset)?.ok_or_else(|| {
                atelier_state::StateError::corrupt(b"market/listing", "a listed asset is missing")
            })?;
            let royalties = pay_royalties(state, events, origin, time_ms, &record, &params, price, &denom)?;
            if record.creator == listing.seller {
                // A first sale pays for the creator's work; a resale only for the ancestors'.
                primary_sale = true;
            }
            provenance::set_owner(state, &mut record, *buyer);
            royalties
        }
        Item::Shares { vault, units } => {
            revenue::transfer_shares(state, events, vault, &listing.seller, buyer, units)
                .map_err(|f| f.map_rule(MarketError::Revenue))?;
            Amount::ZERO
        }
    };
    let proceeds = after_fee.checked_sub(royalties).map_err(|_| Failure::Rule(MarketError::Overflow))?;
    send(state, events, &listing.seller, proceeds)?;
    if primary_sale {
        staking::credit(state, origin, &listing.seller, &denom, proceeds)?;
    }
    state::remove_listing(state, listing);
    events.push(Event::Market(MarketEvent::Sold {
        listing: listing.id,
        item: listing.item,
        buyer: *buyer,
        seller: listing.seller,
        denom,
        protocol_fee,
        royalties,
        proceeds,
    }));
    Ok(())
}

/// Pays an asset sale's royalties from `buyer`: the royalty stack (each ancestor's share into its
/// vault), the model's dataset royalty and each lineage model's fee into its vault. O(stack +
/// lineage), never a walk of the graph. Returns what was paid.
#[allow(clippy::too_many_arguments)]
fn pay_royalties(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    origin: &staking::Origin,
    time_ms: u64,
    asset: &provenance::Asset,
    params: &super::MarketParams,
    price: Amount,
    denom: &Denom,
) -> MarketResult<Amount> {
    let buyer = &origin.payer;
    let after_stack = provenance::pay_through_stack(state, events, origin, asset, denom, price)
        .map_err(|f| f.into_bug("royalty stack"))?;
    let mut paid = price.checked_sub(after_stack).map_err(|_| Failure::Rule(MarketError::Overflow))?;
    let Some(model) = asset.model else { return Ok(paid) };
    let model = registry::model(state, model)?.ok_or_else(|| {
        atelier_state::StateError::corrupt(b"market/listing", "an asset's model is missing")
    })?;
    // spec: compliance §The gate — a model's lineage earns from sales only while it may earn.
    let gate = compliance::gate::gate(state, &model, time_ms)?;
    if gate != compliance::Gate::Compliant {
        let lineage_fee = model
            .lineage_fees
            .iter()
            .fold(Amount::ZERO, |sum, fee| sum.saturating_add(fee.fee.of_floor(price)));
        let due = if model.lineage_datasets.is_empty() {
            Amount::ZERO
        } else {
            params.dataset_royalty.of_floor(price)
        };
        let withheld = due.checked_add(lineage_fee).map_err(|_| Failure::Rule(MarketError::Overflow))?;
        compliance::gate::withhold(state, events, buyer, &model, gate, denom, withheld)
            .map_err(|f| f.map_rule(MarketError::Bank))?;
        return paid.checked_add(withheld).map_err(|_| Failure::Rule(MarketError::Overflow));
    }
    let to_datasets = registry::pay_royalties(
        state,
        events,
        buyer,
        origin,
        &model,
        denom,
        params.dataset_royalty.of_floor(price),
    )
    .map_err(|f| f.into_bug("dataset royalties"))?;
    paid = paid.checked_add(to_datasets).map_err(|_| Failure::Rule(MarketError::Overflow))?;
    for fee in &model.lineage_fees {
        let part = fee.fee.of_floor(price);
        revenue::pay_into(state, events, buyer, origin, VaultId::Model(fee.model), denom, part)
            .map_err(|f| f.map_rule(MarketError::Revenue))?;
        paid = paid.checked_add(part).map_err(|_| Failure::Rule(MarketError::Overflow))?;
    }
    Ok(paid)
}
