//! Pricing and charging one transaction's gas.

use atelier_primitives::{Address, Amount, Denom};
use atelier_state::{StateRead, StateWrite};

use super::{FeeEvent, FeeParams, math, state};
use crate::{
    event::Event,
    modules::{Failure, bank},
    rejection::Rejection,
    tx::Tx,
};

/// What including one transaction costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FeeQuote {
    /// Gas it uses (fixed by its message kinds).
    pub(crate) gas: u64,
    /// `gas * base_fee`: burned.
    pub(crate) burned: Amount,
    /// `gas * tip`: to the proposer.
    pub(crate) tip: Amount,
}

impl FeeQuote {
    pub(crate) fn total(&self) -> Amount {
        // Checked when the quote was made.
        self.burned.saturating_add(self.tip)
    }
}

/// Prices `tx` in a block whose base fee is `base_fee` and that has used `block_gas_used` so far,
/// and checks that its sender can pay. Reads only.
pub(crate) fn quote(
    state: &impl StateRead,
    params: &FeeParams,
    base_fee: Amount,
    block_gas_used: u64,
    sender: &Address,
    tx: &Tx,
) -> Result<FeeQuote, Failure<Rejection>> {
    let reject = |rejection| Err(Failure::Rule(rejection));
    let gas = params.gas.tx_gas(&tx.msgs);
    if gas > tx.gas_limit {
        return reject(Rejection::GasLimitTooLow { required: gas, gas_limit: tx.gas_limit });
    }
    if tx.max_priority_fee_per_gas > tx.max_fee_per_gas {
        return reject(Rejection::PriorityFeeAboveFeeCap {
            max_priority_fee_per_gas: tx.max_priority_fee_per_gas,
            max_fee_per_gas: tx.max_fee_per_gas,
        });
    }
    if tx.max_fee_per_gas < base_fee {
        return reject(Rejection::FeeCapBelowBaseFee { max_fee_per_gas: tx.max_fee_per_gas, base_fee });
    }
    if gas > params.block_gas_limit {
        return reject(Rejection::ExceedsBlockGasLimit { gas, block_gas_limit: params.block_gas_limit });
    }
    if block_gas_used.saturating_add(gas) > params.block_gas_limit {
        return reject(Rejection::BlockGasExhausted {
            gas,
            gas_left: params.block_gas_limit.saturating_sub(block_gas_used),
        });
    }
    let (base_per_gas, tip_per_gas) =
        math::price_per_gas(base_fee, tx.max_fee_per_gas, tx.max_priority_fee_per_gas);
    let quote = (|| {
        let burned = base_per_gas.checked_mul(u128::from(gas)).ok()?;
        let tip = tip_per_gas.checked_mul(u128::from(gas)).ok()?;
        burned.checked_add(tip).ok()?;
        Some(FeeQuote { gas, burned, tip })
    })();
    let Some(quote) = quote else {
        return reject(Rejection::FeeOverflow);
    };
    let balance = bank::balance(state, sender, &Denom::GDC)?;
    if balance < quote.total() {
        return reject(Rejection::InsufficientFeeBalance { balance, fee: quote.total() });
    }
    Ok(quote)
}

/// Moves the quoted fee from `payer` to the collector. The quote was checked against this state.
pub(crate) fn charge(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    payer: &Address,
    quote: &FeeQuote,
) -> Result<(), Failure<bank::BankError>> {
    let total = quote.total();
    bank::debit(state, payer, &Denom::GDC, total)?;
    bank::credit(state, &state::collector(), &Denom::GDC, total)?;
    events.push(Event::Fees(FeeEvent::FeeCharged {
        payer: *payer,
        gas_used: quote.gas,
        burned: quote.burned,
        tip: quote.tip,
    }));
    Ok(())
}
