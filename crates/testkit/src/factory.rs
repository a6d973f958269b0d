//! Signed transaction factories.

use atelier_primitives::{Address, Amount, Denom, Height, SecretKey};
use atelier_protocol::{
    ChainId, Msg, SignedTx, Tx,
    modules::{bank::BankMsg, fees::GasSchedule},
};

/// Makes signed transactions for one chain with generous default fee caps.
#[derive(Debug, Clone)]
pub struct TxFactory {
    /// The chain the transactions are for.
    pub chain_id: ChainId,
    /// Gas schedule used to fill in gas limits.
    pub gas: GasSchedule,
    /// Fee cap per gas.
    pub max_fee_per_gas: Amount,
    /// Tip cap per gas.
    pub max_priority_fee_per_gas: Amount,
    /// Expiry height.
    pub expiry_height: Height,
}

impl TxFactory {
    /// A factory for `chain_id` pricing gas with `gas`.
    pub fn new(chain_id: ChainId, gas: GasSchedule) -> Self {
        TxFactory {
            chain_id,
            gas,
            max_fee_per_gas: Amount::new(1_000),
            max_priority_fee_per_gas: Amount::new(1),
            expiry_height: Height(u64::MAX),
        }
    }

    /// The unsigned body of a transaction with `msgs`, gas limit set to exactly what it needs.
    pub fn body(&self, key: &SecretKey, nonce: u64, msgs: Vec<Msg>) -> Tx {
        Tx {
            chain_id: self.chain_id.clone(),
            sender: key.public_key(),
            nonce,
            expiry_height: self.expiry_height,
            gas_limit: self.gas.tx_gas(&msgs),
            max_fee_per_gas: self.max_fee_per_gas,
            max_priority_fee_per_gas: self.max_priority_fee_per_gas,
            msgs,
        }
    }

    /// A signed transaction with `msgs`.
    pub fn tx(&self, key: &SecretKey, nonce: u64, msgs: Vec<Msg>) -> SignedTx {
        self.body(key, nonce, msgs).sign(key)
    }

    /// A signed transfer of `amount` of `ugdc`.
    pub fn transfer(&self, key: &SecretKey, nonce: u64, to: Address, amount: Amount) -> SignedTx {
        self.tx(key, nonce, vec![transfer(to, Denom::GDC, amount)])
    }
}

/// A transfer message.
pub fn transfer(to: Address, denom: Denom, amount: Amount) -> Msg {
    Msg::Bank(BankMsg::Transfer { to, denom, amount })
}
