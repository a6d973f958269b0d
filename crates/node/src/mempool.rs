//! The mempool: signed transactions waiting for a block, bounded in count and bytes.
//!
//! Per sender, transactions are kept by nonce. Those whose nonces run contiguously from the
//! sender's next nonce are *ready*; later ones are *parked* until the gap fills, within a window.
//! Blocks take ready transactions by effective tip (then arrival). A transaction with the same
//! sender and nonce replaces a pending one only if it raises both fee caps by the minimum bump.
//! When the pool is full, a better-paying transaction evicts the worst-paying tail.

use std::collections::{BTreeMap, BinaryHeap};

use atelier_primitives::{Address, Amount, Hash, Height};
use atelier_protocol::{Prechecked, Rejection, SignedTx, Spend};

/// Bounds and policies.
#[derive(Debug, Clone)]
pub struct MempoolConfig {
    /// Most transactions held.
    pub max_txs: usize,
    /// Most bytes of encoded transactions held.
    pub max_bytes: usize,
    /// Most transactions held per sender.
    pub max_per_sender: usize,
    /// How far ahead of the sender's next nonce a transaction may be parked.
    pub nonce_window: u64,
    /// Minimum raise of both fee caps, in percent, for a replacement.
    pub min_replacement_bump_percent: u32,
}

impl Default for MempoolConfig {
    fn default() -> Self {
        MempoolConfig {
            max_txs: 50_000,
            max_bytes: 64 * 1024 * 1024,
            max_per_sender: 64,
            nonce_window: 64,
            min_replacement_bump_percent: 10,
        }
    }
}

/// Why the mempool refused a transaction. Nothing changes when it does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MempoolError {
    /// The transaction can never be included as it stands.
    #[error(transparent)]
    Rejected(Rejection),
    /// The nonce is further ahead than the pool parks.
    #[error("nonce {got} is more than {window} ahead of the next nonce {expected}")]
    NonceTooFarAhead {
        /// The sender's next nonce.
        expected: u64,
        /// The nonce carried.
        got: u64,
        /// The parking window.
        window: u64,
    },
    /// The same transaction is already pending.
    #[error("transaction already pending")]
    AlreadyKnown,
    /// A pending transaction has this sender and nonce, and this one does not pay enough more.
    #[error(
        "replacement must raise both fee caps by {bump_percent}%: needs max fee {min_max_fee} and tip {min_tip}"
    )]
    ReplacementUnderpriced {
        /// Required fee cap.
        min_max_fee: Amount,
        /// Required tip cap.
        min_tip: Amount,
        /// The bump policy.
        bump_percent: u32,
    },
    /// The sender already has the most pending transactions allowed.
    #[error("sender has {max} pending transactions, the most allowed")]
    SenderFull {
        /// The cap.
        max: usize,
    },
    /// The pool is full of transactions that pay at least as much.
    #[error("mempool is full; a transaction must pay a tip above {min_tip} per gas to enter")]
    Full {
        /// The lowest tip in the pool.
        min_tip: Amount,
    },
}

impl MempoolError {
    /// A stable identifier for API error bodies.
    pub fn kind(&self) -> &'static str {
        match self {
            MempoolError::Rejected(_) => "rejected",
            MempoolError::NonceTooFarAhead { .. } => "nonce_too_far_ahead",
            MempoolError::AlreadyKnown => "already_known",
            MempoolError::ReplacementUnderpriced { .. } => "replacement_underpriced",
            MempoolError::SenderFull { .. } => "sender_full",
            MempoolError::Full { .. } => "mempool_full",
        }
    }

    /// The sender's next nonce, when the nonce was the problem.
    pub fn expected_nonce(&self) -> Option<u64> {
        match self {
            MempoolError::Rejected(Rejection::NonceTooLow { expected, .. })
            | MempoolError::Rejected(Rejection::NonceGap { expected, .. })
            | MempoolError::NonceTooFarAhead { expected, .. } => Some(*expected),
            _ => None,
        }
    }
}

/// What the pool needs to know about the chain to judge a transaction.
#[derive(Debug, Clone, Copy)]
pub struct ChainView {
    /// Height of the next block.
    pub next_height: Height,
    /// Base fee of the next block.
    pub base_fee: Amount,
}

#[derive(Debug, Clone)]
struct Entry {
    tx: SignedTx,
    bytes: usize,
    arrival: u64,
    /// The most it can take from its sender.
    spend: Spend,
}

impl Entry {
    fn tip_at(&self, base_fee: Amount) -> Amount {
        let tx = self.tx.tx();
        tx.max_priority_fee_per_gas.min(tx.max_fee_per_gas.saturating_sub(base_fee))
    }
}

/// The pool. Not thread-safe by itself: the node keeps it behind a lock.
#[derive(Debug)]
pub struct Mempool {
    config: MempoolConfig,
    by_sender: BTreeMap<Address, BTreeMap<u64, Entry>>,
    by_hash: BTreeMap<Hash, (Address, u64)>,
    bytes: usize,
    arrivals: u64,
}

impl Mempool {
    /// An empty pool.
    pub fn new(config: MempoolConfig) -> Self {
        Mempool { config, by_sender: BTreeMap::new(), by_hash: BTreeMap::new(), bytes: 0, arrivals: 0 }
    }

    /// Drops every transaction: what a pool holds was checked against a state that is gone.
    pub fn clear(&mut self) {
        *self = Mempool::new(self.config.clone());
    }

    /// Number of pending transactions.
    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    /// Bytes of pending transactions.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The pending transaction `hash`.
    pub fn get(&self, hash: &Hash) -> Option<&SignedTx> {
        let (sender, nonce) = self.by_hash.get(hash)?;
        self.by_sender.get(sender)?.get(nonce).map(|e| &e.tx)
    }

    /// The nonce after the sender's last contiguous pending transaction (what a wallet should use
    /// next), given the chain's `next_nonce`.
    pub fn next_nonce(&self, sender: &Address, next_nonce: u64) -> u64 {
        let mut nonce = next_nonce;
        if let Some(queue) = self.by_sender.get(sender) {
            while queue.contains_key(&nonce) {
                nonce += 1;
            }
        }
        nonce
    }

    /// `sender`'s pending transactions with nonces below `nonce`, in nonce order.
    pub fn pending_before(&self, sender: &Address, nonce: u64) -> Vec<SignedTx> {
        let queue = self.by_sender.get(sender).into_iter().flatten();
        queue.filter(|(pending, _)| **pending < nonce).map(|(_, entry)| entry.tx.clone()).collect()
    }

    /// What `sender`'s pending transactions, other than one at `nonce` (which a new one would
    /// replace), may take from its balances.
    pub fn pending_spend(&self, sender: &Address, nonce: u64) -> Spend {
        let mut total = Spend::default();
        let queue = self.by_sender.get(sender).into_iter().flatten();
        for (_, entry) in queue.filter(|(pending, _)| **pending != nonce) {
            total.add_all(&entry.spend);
        }
        total
    }

    /// Admits `tx`, which [`atelier_protocol::precheck`] passed as `checked`. The caller has
    /// already verified its signature.
    pub fn insert(
        &mut self,
        tx: SignedTx,
        checked: Prechecked,
        view: ChainView,
    ) -> Result<Hash, MempoolError> {
        let Prechecked { chain_nonce, spend } = checked;
        let hash = tx.hash();
        if self.by_hash.contains_key(&hash) {
            return Err(MempoolError::AlreadyKnown);
        }
        let sender = tx.sender();
        let nonce = tx.tx().nonce;
        if nonce < chain_nonce {
            return Err(MempoolError::Rejected(Rejection::NonceTooLow { expected: chain_nonce, got: nonce }));
        }
        if nonce - chain_nonce >= self.config.nonce_window {
            return Err(MempoolError::NonceTooFarAhead {
                expected: chain_nonce,
                got: nonce,
                window: self.config.nonce_window,
            });
        }
        let bytes = tx.encoded_len();
        let replaced = self.check_replacement(&sender, nonce, &tx)?;
        if replaced.is_none() {
            let pending = self.by_sender.get(&sender).map_or(0, BTreeMap::len);
            if pending >= self.config.max_per_sender {
                return Err(MempoolError::SenderFull { max: self.config.max_per_sender });
            }
            self.make_room(bytes, &tx, view.base_fee)?;
        }
        // Point of no return.
        if let Some(old) = replaced {
            self.remove(&old);
        }
        self.arrivals += 1;
        let entry = Entry { tx, bytes, arrival: self.arrivals, spend };
        self.bytes += bytes;
        self.by_hash.insert(hash, (sender, nonce));
        self.by_sender.entry(sender).or_default().insert(nonce, entry);
        Ok(hash)
    }

    /// The hash of the pending transaction `tx` would replace, if it pays enough more.
    fn check_replacement(
        &self,
        sender: &Address,
        nonce: u64,
        tx: &SignedTx,
    ) -> Result<Option<Hash>, MempoolError> {
        let Some(old) = self.by_sender.get(sender).and_then(|q| q.get(&nonce)) else { return Ok(None) };
        let bump = u128::from(100 + self.config.min_replacement_bump_percent);
        let raise = |amount: Amount| amount.mul_div_ceil(bump, 100).unwrap_or(Amount::MAX);
        let (min_max_fee, min_tip) =
            (raise(old.tx.tx().max_fee_per_gas), raise(old.tx.tx().max_priority_fee_per_gas));
        if tx.tx().max_fee_per_gas < min_max_fee || tx.tx().max_priority_fee_per_gas < min_tip {
            return Err(MempoolError::ReplacementUnderpriced {
                min_max_fee,
                min_tip,
                bump_percent: self.config.min_replacement_bump_percent,
            });
        }
        Ok(Some(old.tx.hash()))
    }

    /// Evicts the worst-paying sender tails until `bytes` more fit, or refuses `tx` if it pays no
    /// more than they do.
    fn make_room(&mut self, bytes: usize, tx: &SignedTx, base_fee: Amount) -> Result<(), MempoolError> {
        let new_tip = Entry { tx: tx.clone(), bytes, arrival: 0, spend: Spend::default() }.tip_at(base_fee);
        while self.by_hash.len() + 1 > self.config.max_txs || self.bytes + bytes > self.config.max_bytes {
            let worst = self
                .by_sender
                .values()
                .filter_map(|queue| queue.values().next_back())
                .min_by_key(|entry| (entry.tip_at(base_fee), std::cmp::Reverse(entry.arrival)));
            let Some(worst) = worst else { return Err(MempoolError::Full { min_tip: Amount::ZERO }) };
            let worst_tip = worst.tip_at(base_fee);
            if worst_tip >= new_tip || worst.tx.sender() == tx.sender() {
                return Err(MempoolError::Full { min_tip: worst_tip });
            }
            let hash = worst.tx.hash();
            self.remove(&hash);
        }
        Ok(())
    }

    fn remove(&mut self, hash: &Hash) -> Option<SignedTx> {
        let (sender, nonce) = self.by_hash.remove(hash)?;
        let queue = self.by_sender.get_mut(&sender)?;
        let entry = queue.remove(&nonce)?;
        if queue.is_empty() {
            self.by_sender.remove(&sender);
        }
        self.bytes -= entry.bytes;
        Some(entry.tx)
    }

    /// Up to `limit` ready transactions for the next block, best tip first (ties by arrival),
    /// each sender's in nonce order. `chain_nonce` gives each sender's next nonce on chain.
    pub fn ready(
        &self,
        base_fee: Amount,
        limit: usize,
        chain_nonce: impl Fn(&Address) -> u64,
    ) -> Vec<SignedTx> {
        #[derive(PartialEq, Eq, PartialOrd, Ord)]
        struct Head {
            tip: Amount,
            earlier: std::cmp::Reverse<u64>,
            sender: Address,
            nonce: u64,
        }
        let head_of = |sender: &Address, nonce: u64| {
            let entry = self.by_sender.get(sender)?.get(&nonce)?;
            (entry.tx.tx().max_fee_per_gas >= base_fee).then(|| Head {
                tip: entry.tip_at(base_fee),
                earlier: std::cmp::Reverse(entry.arrival),
                sender: *sender,
                nonce,
            })
        };
        let mut heap: BinaryHeap<Head> =
            self.by_sender.keys().filter_map(|sender| head_of(sender, chain_nonce(sender))).collect();
        let mut out = Vec::new();
        while out.len() < limit {
            let Some(head) = heap.pop() else { break };
            if let Some(entry) = self.by_sender.get(&head.sender).and_then(|q| q.get(&head.nonce)) {
                out.push(entry.tx.clone());
            }
            if let Some(next) = head_of(&head.sender, head.nonce + 1) {
                heap.push(next);
            }
        }
        out
    }

    /// Drops what a committed block made obsolete: transactions whose nonce is used, and those
    /// expired before `next_height`. Returns how many were dropped.
    pub fn prune(&mut self, next_height: Height, chain_nonce: impl Fn(&Address) -> u64) -> usize {
        let stale: Vec<Hash> = self
            .by_sender
            .iter()
            .flat_map(|(sender, queue)| {
                let next = chain_nonce(sender);
                queue
                    .values()
                    .filter(move |e| e.tx.tx().nonce < next || e.tx.tx().expiry_height < next_height)
                    .map(|e| e.tx.hash())
            })
            .collect();
        for hash in &stale {
            self.remove(hash);
        }
        stale.len()
    }

    /// Removes transactions that a block left out because they can never be included.
    pub fn evict(&mut self, hash: &Hash) {
        self.remove(hash);
    }
}
