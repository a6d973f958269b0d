//! A dev chain's set-balance. It changes nothing behind the protocol's back: the dev accounts (the
//! published dev mnemonic's, which a dev chain funds and makes its stablecoin issuer) send real
//! transactions, and each is mined at once.

use std::sync::Arc;

use atelier_primitives::{Address, Amount, Denom, Height, SecretKey, hd};
use atelier_protocol::{
    Msg, Tx, TxOutcome,
    modules::{auth, bank::BankMsg, fees},
};
use atelier_storage::StorageError;

use crate::{LedgerError, Node, SubmitError};

/// How many of the dev mnemonic's accounts set-balance looks among for keys.
const DEV_KEYS_SEARCHED: u32 = 100;

/// Why a balance was not set.
#[derive(Debug, thiserror::Error)]
pub enum SetBalanceError {
    /// Only the chain's two currencies are set.
    #[error("{0} is neither ugdc nor uusd")]
    Denom(Denom),
    /// Lowering a balance needs its owner's key.
    #[error(
        "{0} is not one of the first {DEV_KEYS_SEARCHED} dev accounts: only a dev account's balance can be \
         lowered (its key signs the transfer out)"
    )]
    NotDevAccount(Address),
    /// Raising a uusd balance needs the issuer's key.
    #[error("the stablecoin issuer {0} is not a dev account, so no uusd can be minted")]
    IssuerNotDev(Address),
    /// No dev account has the GDC to give.
    #[error("no dev account holds {0} ugdc to give")]
    NoFaucet(Amount),
    /// A transaction was refused or failed.
    #[error("the dev transaction failed: {0}")]
    Failed(String),
    /// The node failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl From<StorageError> for SetBalanceError {
    fn from(error: StorageError) -> Self {
        SetBalanceError::Ledger(error.into())
    }
}

impl From<atelier_state::StateError> for SetBalanceError {
    fn from(error: atelier_state::StateError) -> Self {
        StorageError::from(error).into()
    }
}

impl Node {
    /// Dev chains: makes `address` hold exactly `amount` of `denom`, through transactions mined
    /// at once — a mint by the issuer or a transfer from the richest dev account to raise it; to
    /// lower it, a transfer out of what is over, less its own fee for GDC, or with its fee in GDC
    /// given first for USD. Returns the balance now; fails if other transactions in the same
    /// blocks kept it from the amount.
    pub async fn set_balance(
        self: &Arc<Self>,
        address: Address,
        denom: Denom,
        amount: Amount,
    ) -> Result<Amount, SetBalanceError> {
        if denom != Denom::GDC && denom != Denom::USD {
            return Err(SetBalanceError::Denom(denom));
        }
        let keys = tokio::task::spawn_blocking(|| hd::dev_keys(0..DEV_KEYS_SEARCHED))
            .await
            .map_err(|e| SetBalanceError::Failed(e.to_string()))?;
        // Each step moves the balance to the amount, or (lowering GDC by less than a transfer's
        // fee) first above it.
        for _ in 0..4 {
            let now = self.balance(&address, denom)?;
            if now == amount {
                return Ok(now);
            }
            if now < amount {
                self.raise(&keys, address, denom, Amount::new(amount.get() - now.get())).await?;
            } else {
                self.lower(&keys, address, denom, Amount::new(now.get() - amount.get())).await?;
            }
        }
        match self.balance(&address, denom)? {
            now if now == amount => Ok(now),
            // Other transactions in the same blocks moved it meanwhile.
            now => Err(SetBalanceError::Failed(format!(
                "the balance is {now} after four transactions, not {amount}: try again"
            ))),
        }
    }

    fn balance(&self, address: &Address, denom: Denom) -> Result<Amount, SetBalanceError> {
        Ok(atelier_protocol::modules::bank::query::balance(&self.storage().snapshot()?, address, &denom)?)
    }

    /// Gives `address` `missing` more of `denom`.
    async fn raise(
        self: &Arc<Self>,
        keys: &[SecretKey],
        address: Address,
        denom: Denom,
        missing: Amount,
    ) -> Result<(), SetBalanceError> {
        if denom == Denom::USD {
            let issuer =
                atelier_protocol::modules::bank::query::params(&self.storage().snapshot()?)?.stable_issuer;
            let key = keys
                .iter()
                .find(|key| key.public_key().address() == issuer)
                .ok_or(SetBalanceError::IssuerNotDev(issuer))?;
            return self.mine_dev(key, BankMsg::MintStable { to: address, amount: missing }).await;
        }
        let mut richest = None;
        for key in keys.iter().filter(|key| key.public_key().address() != address) {
            let held = self.balance(&key.public_key().address(), Denom::GDC)?;
            if richest.is_none_or(|(most, _)| held > most) {
                richest = Some((held, key));
            }
        }
        match richest {
            Some((held, key)) if held > missing => {
                self.mine_dev(key, BankMsg::Transfer { to: address, denom, amount: missing }).await
            }
            _ => Err(SetBalanceError::NoFaucet(missing)),
        }
    }

    /// Takes `excess` of `denom` from `address`, a dev account, to another dev account.
    async fn lower(
        self: &Arc<Self>,
        keys: &[SecretKey],
        address: Address,
        denom: Denom,
        excess: Amount,
    ) -> Result<(), SetBalanceError> {
        let key = keys
            .iter()
            .find(|key| key.public_key().address() == address)
            .ok_or(SetBalanceError::NotDevAccount(address))?;
        let other =
            keys.iter().find(|key| key.public_key().address() != address).expect("the dev keys are many");
        let to = other.public_key().address();
        // What a transfer costs, found by simulating one from the other account, which can pay it
        // (the gas of a transfer is the same whatever it sends).
        let fee =
            self.fee_of(other, BankMsg::Transfer { to: address, denom: Denom::GDC, amount: Amount::new(1) })?;
        if denom == Denom::USD {
            // Its fee in GDC first, so that its GDC is as it was after.
            if !fee.is_zero() {
                self.mine_dev(other, BankMsg::Transfer { to: address, denom: Denom::GDC, amount: fee })
                    .await?;
            }
            return self.mine_dev(key, BankMsg::Transfer { to, denom, amount: excess }).await;
        }
        if excess > fee {
            // The fee is part of what goes.
            let amount = Amount::new(excess.get() - fee.get());
            return self.mine_dev(key, BankMsg::Transfer { to, denom, amount }).await;
        }
        // Less over than a transfer costs: give it a fee's worth first.
        self.mine_dev(other, BankMsg::Transfer { to: address, denom, amount: fee }).await
    }

    /// `msg` signed as `key` with its next nonce.
    fn sign_dev(&self, key: &SecretKey, msg: BankMsg) -> Result<atelier_protocol::SignedTx, SetBalanceError> {
        let msgs = vec![Msg::Bank(msg)];
        let snapshot = self.storage().snapshot()?;
        let head = self.head();
        let sender = key.public_key().address();
        let gas = fees::query::params(&snapshot)?.gas;
        let base_fee = fees::query::base_fee(&snapshot)?;
        Ok(Tx {
            chain_id: head.chain_id.clone(),
            sender: key.public_key(),
            nonce: self.mempool().next_nonce(&sender, auth::query::nonce(&snapshot, &sender)?),
            expiry_height: Height(head.height.get().saturating_add(100)),
            gas_limit: gas.tx_gas(&msgs),
            // Exactly the next block's base fee: the most it may cost is what it costs, so a
            // transfer out may leave nothing but its fee.
            max_fee_per_gas: Amount::new(base_fee.get().max(1)),
            max_priority_fee_per_gas: Amount::ZERO,
            msgs,
        }
        .sign(key))
    }

    /// The fee `msg` sent by `key` would pay in the next block.
    fn fee_of(&self, key: &SecretKey, msg: BankMsg) -> Result<Amount, SetBalanceError> {
        match self.simulate(&self.sign_dev(key, msg)?)? {
            crate::Simulation::Included(receipt) => Ok(receipt.fee),
            crate::Simulation::Rejected(rejection) => Err(SetBalanceError::Failed(rejection.to_string())),
        }
    }

    /// Signs `msg` as `key`, mines it, and fails unless it applied.
    async fn mine_dev(self: &Arc<Self>, key: &SecretKey, msg: BankMsg) -> Result<(), SetBalanceError> {
        let tx = self.sign_dev(key, msg)?;
        let hash = tx.hash();
        self.submit(tx).await.map_err(|error: SubmitError| SetBalanceError::Failed(error.to_string()))?;
        let node = self.clone();
        let committed = tokio::task::spawn_blocking(move || node.produce_block())
            .await
            .map_err(|e| SetBalanceError::Failed(e.to_string()))??;
        let receipts = self.storage().receipts(committed.header.height)?;
        let receipt =
            receipts.iter().flat_map(|block| &block.receipts).find(|receipt| receipt.tx_hash == hash);
        match receipt {
            Some(receipt) if receipt.outcome == TxOutcome::Applied => Ok(()),
            Some(receipt) => Err(SetBalanceError::Failed(format!("{:?}", receipt.outcome))),
            None => Err(SetBalanceError::Failed("it was not included in the block mined for it".into())),
        }
    }
}
