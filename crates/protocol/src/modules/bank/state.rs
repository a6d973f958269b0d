//! Bank state and the only code that changes balances.
//!
//! | key | value |
//! |---|---|
//! | `bank/params` | [`BankParams`] |
//! | `bank/balance/{address:20}{denom}` | `Amount`, absent when zero |
//! | `bank/minted/{denom}` | `Amount` ever minted (genesis included) |
//! | `bank/burned/{denom}` | `Amount` ever burned |

use atelier_primitives::{Address, Amount, Denom};
use atelier_state::{StateError, StateRead, StateWrite};

use super::{BankError, BankEvent, BankParams};
use crate::app::caps::{Burner, Minter};
use crate::{
    event::Event,
    modules::Failure,
    store::{key, read, write},
};

pub(crate) const PARAMS: &[u8] = b"bank/params";
pub(crate) const BALANCE: &[u8] = b"bank/balance/";
pub(crate) const MINTED: &[u8] = b"bank/minted/";
pub(crate) const BURNED: &[u8] = b"bank/burned/";

type BankResult<T> = Result<T, Failure<BankError>>;

/// The balance stored under a balance key (0 when absent).
pub(crate) fn balance_at(state: &(impl StateRead + ?Sized), key: &[u8]) -> Result<Amount, StateError> {
    Ok(read(state, key)?.unwrap_or(Amount::ZERO))
}

pub(crate) fn balance_key(address: &Address, denom: &Denom) -> Vec<u8> {
    key(BALANCE, &[address.as_bytes(), denom.as_bytes()])
}

pub(crate) fn params(state: &impl StateRead) -> Result<BankParams, StateError> {
    read(state, PARAMS)?.ok_or_else(|| StateError::corrupt(PARAMS, "bank params missing"))
}

/// What `address` holds of `denom`.
pub(crate) fn balance(
    state: &(impl StateRead + ?Sized),
    address: &Address,
    denom: &Denom,
) -> Result<Amount, StateError> {
    Ok(read(state, &balance_key(address, denom))?.unwrap_or(Amount::ZERO))
}

/// Total ever minted of `denom`.
pub(crate) fn minted(state: &(impl StateRead + ?Sized), denom: &Denom) -> Result<Amount, StateError> {
    Ok(read(state, &key(MINTED, &[denom.as_bytes()]))?.unwrap_or(Amount::ZERO))
}

/// Total ever burned of `denom`.
pub(crate) fn burned(state: &(impl StateRead + ?Sized), denom: &Denom) -> Result<Amount, StateError> {
    Ok(read(state, &key(BURNED, &[denom.as_bytes()]))?.unwrap_or(Amount::ZERO))
}

fn set_balance(state: &mut impl StateWrite, address: &Address, denom: &Denom, amount: Amount) {
    let key = balance_key(address, denom);
    if amount.is_zero() {
        state.delete(key);
    } else {
        write(state, key, &amount);
    }
}

/// Takes `amount` from `address`; fails without writing if the balance is short.
pub(crate) fn debit(
    state: &mut impl StateWrite,
    address: &Address,
    denom: &Denom,
    amount: Amount,
) -> BankResult<()> {
    let balance = balance(state, address, denom)?;
    let rest = balance
        .checked_sub(amount)
        .map_err(|_| Failure::Rule(BankError::InsufficientBalance { denom: *denom, balance, amount }))?;
    set_balance(state, address, denom, rest);
    Ok(())
}

/// Adds `amount` to `address`; fails without writing on overflow.
pub(crate) fn credit(
    state: &mut impl StateWrite,
    address: &Address,
    denom: &Denom,
    amount: Amount,
) -> BankResult<()> {
    let balance = balance(state, address, denom)?;
    let sum =
        balance.checked_add(amount).map_err(|_| Failure::Rule(BankError::Overflow { denom: *denom }))?;
    set_balance(state, address, denom, sum);
    Ok(())
}

/// Moves `amount` from `from` to `to`, all or nothing, and records the transfer.
pub(crate) fn send(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    from: &Address,
    to: &Address,
    denom: &Denom,
    amount: Amount,
) -> BankResult<()> {
    let from_balance = balance(state, from, denom)?;
    let from_rest = from_balance.checked_sub(amount).map_err(|_| {
        Failure::Rule(BankError::InsufficientBalance { denom: *denom, balance: from_balance, amount })
    })?;
    if from != to {
        // The recipient can overflow only if the supply exceeds u128, which minting prevents; the
        // check stays so that no path can wrap.
        let to_sum = balance(state, to, denom)?
            .checked_add(amount)
            .map_err(|_| Failure::Rule(BankError::Overflow { denom: *denom }))?;
        // Point of no return.
        set_balance(state, from, denom, from_rest);
        set_balance(state, to, denom, to_sum);
    }
    events.push(Event::Bank(BankEvent::Transferred { from: *from, to: *to, denom: *denom, amount }));
    Ok(())
}

impl Minter {
    /// Creates `amount` of `denom` for `to`.
    pub(crate) fn mint(
        &self,
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        to: &Address,
        denom: &Denom,
        amount: Amount,
    ) -> BankResult<()> {
        let overflow = || Failure::Rule(BankError::Overflow { denom: *denom });
        let minted = minted(state, denom)?.checked_add(amount).map_err(|_| overflow())?;
        balance(state, to, denom)?.checked_add(amount).map_err(|_| overflow())?;
        // Point of no return.
        write(state, key(MINTED, &[denom.as_bytes()]), &minted);
        credit(state, to, denom, amount)?;
        events.push(Event::Bank(BankEvent::Minted { to: *to, denom: *denom, amount }));
        Ok(())
    }
}

impl Burner {
    /// Destroys `amount` of `denom` from `from`'s balance.
    pub(crate) fn burn(
        &self,
        state: &mut impl StateWrite,
        events: &mut Vec<Event>,
        from: &Address,
        denom: &Denom,
        amount: Amount,
    ) -> BankResult<()> {
        // Burned never exceeds minted, which fits in u128.
        let burned = burned(state, denom)?
            .checked_add(amount)
            .map_err(|_| Failure::Rule(BankError::Overflow { denom: *denom }))?;
        debit(state, from, denom, amount)?;
        // Point of no return.
        write(state, key(BURNED, &[denom.as_bytes()]), &burned);
        events.push(Event::Bank(BankEvent::Burned { from: *from, denom: *denom, amount }));
        Ok(())
    }
}

/// Sets the supply counters directly; genesis only.
pub(crate) fn init_supply(state: &mut impl StateWrite, denom: &Denom, minted: Amount, burned: Amount) {
    if !minted.is_zero() {
        write(state, key(MINTED, &[denom.as_bytes()]), &minted);
    }
    if !burned.is_zero() {
        write(state, key(BURNED, &[denom.as_bytes()]), &burned);
    }
}

/// Sets a balance directly; genesis only.
pub(crate) fn init_balance(state: &mut impl StateWrite, address: &Address, denom: &Denom, amount: Amount) {
    set_balance(state, address, denom, amount);
}
