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
    check_positive(amount)?;
    if !DENOMS.contains(denom) {
        return Err(Failure::Rule(BankError::UnknownDenom { denom: *denom }));
    }
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
    check_positive(amount)?;
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
    check_positive(amount)?;
    check_issuer(state, sender)?;
    burner.burn(state, events, sender, &Denom::USD, amount)
}

fn check_positive(amount: Amount) -> BankResult {
    if amount.is_zero() { Err(Failure::Rule(BankError::ZeroAmount)) } else { Ok(()) }
}

fn check_issuer(state: &impl StateWrite, sender: &Address) -> BankResult {
    if state::params(state)?.stable_issuer == *sender {
        Ok(())
    } else {
        Err(Failure::Rule(BankError::NotStableIssuer { sender: *sender }))
    }
}
