//! Executes bank messages: check everything, then write.

use atelier_primitives::{Address, Amount, Denom};
use atelier_state::StateWrite;

use super::{BankCaps, BankError, BankMsg, DENOMS, state};
use crate::{
    app::caps::{Burner, Minter},
    event::Event,
    modules::{Ctx, Failure, staking, treasury},
};

type BankResult = Result<(), Failure<BankError>>;

/// Runs `msg` in the block `ctx` describes.
pub(crate) fn handle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<BankCaps>,
    msg: &BankMsg,
) -> BankResult {
    check(msg).map_err(Failure::Rule)?;
    let sender = &ctx.sender;
    match msg {
        BankMsg::Transfer { to, denom, amount } => {
            transfer(state, events, sender, to, denom, *amount)?;
            // spec: staking §Related accounts — a transfer relates its two accounts for a while.
            staking::record_funding(state, sender, to, ctx.height);
            treasury::hooks::record_transfer(state, events, to, denom, *amount)?;
            Ok(())
        }
        BankMsg::MintStable { to, amount } => {
            mint_stable(state, events, &ctx.caps.minter, sender, to, *amount)
        }
        BankMsg::BurnStable { amount } => burn_stable(state, events, &ctx.caps.burner, sender, *amount),
    }
}

fn transfer(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    from: &Address,
    to: &Address,
    denom: &Denom,
    amount: Amount,
) -> BankResult {
    state::send(state, events, from, to, denom, amount)
}

fn mint_stable(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    minter: &Minter,
    sender: &Address,
    to: &Address,
    amount: Amount,
) -> BankResult {
    check_issuer(state, sender)?;
    minter.mint(state, events, to, &Denom::USD, amount)
}

fn burn_stable(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    burner: &Burner,
    sender: &Address,
    amount: Amount,
) -> BankResult {
    check_issuer(state, sender)?;
    burner.burn(state, events, sender, &Denom::USD, amount)
}

/// What a message's own fields can tell: a positive amount of a denomination the chain has.
pub(super) fn check(msg: &BankMsg) -> Result<(), BankError> {
    let (denom, amount) = match msg {
        BankMsg::Transfer { denom, amount, .. } => (*denom, *amount),
        BankMsg::MintStable { amount, .. } | BankMsg::BurnStable { amount } => (Denom::USD, *amount),
    };
    if amount.is_zero() {
        return Err(BankError::ZeroAmount);
    }
    if !DENOMS.contains(&denom) {
        return Err(BankError::UnknownDenom { denom });
    }
    Ok(())
}

fn check_issuer(state: &impl StateWrite, sender: &Address) -> BankResult {
    if state::params(state)?.stable_issuer == *sender {
        Ok(())
    } else {
        Err(Failure::Rule(BankError::NotStableIssuer { sender: *sender }))
    }
}
