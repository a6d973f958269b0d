//! The block lifecycle: the one place that turns `(state, block)` into `(state', receipts)`.
//!
//! A block runs as a short sequence of named steps (spec: DESIGN §3):
//! 1. **begin** — check the block extends its parent and load the block's environment;
//! 2. **screen** — stateless checks of every transaction; their signatures are then verified in
//!    batches on the other cores while steps 3–5 run, and a bad one voids what those steps did;
//! 3. **each transaction** — admission (chain id, expiry, nonce, gas, fee, balance), charge the fee
//!    and consume the nonce, run the messages in an overlay that is kept only if all succeed, and
//!    record a receipt;
//! 4. **end** — staking evidence, the compute market's deadlines and schedulers, the oracle's
//!    rounds, the staking epoch and clusters at an epoch's end, the treasury's epoch (its order
//!    joins the batch), the AMM's batch, the treasury's settlement of its order, the block's fees
//!    and next base fee, then governance's due steps; record the height;
//! 5. **seal** — compute the state root from the changed keys and fill the header.
//!
//! [`build_block`] (proposer) leaves out transactions that would be rejected; [`apply_block`]
//! (everyone else) refuses a block that contains one and checks the header against execution.
//! Neither writes: both return an [`ExecutedBlock`] whose `commit` the caller applies to its store.

pub mod caps;

use std::collections::BTreeMap;

use atelier_primitives::{
    Address, Amount, Denom, ErrorCode, Hash, Height,
    crypto::{SignatureVerifier, SignedMessage, verify_while},
};
use atelier_state::{ChangeSet, Overlay, PreparedCommit, StateRead, StateWrite, Store, prepare_commit};

use self::caps::Capabilities;

use crate::{
    block::{Block, BlockEvidence, Header, MAX_EVIDENCE_PER_BLOCK, MAX_TXS_PER_BLOCK, txs_root},
    event::Event,
    genesis::{self, Genesis, GenesisError},
    invariants,
    modules::{
        self, Ctx, Failure, Handler, Module, amm, auth, bank, clusters, compliance, compute,
        fees::{self, FeeParams, hooks::Collected},
        governance, oracle, staking, treasury,
    },
    receipt::{Receipt, TxOutcome, receipts_root},
    rejection::{BlockError, MessageRefusal, Rejection},
    tx::{ChainId, Msg, SignedTx},
};

/// How transaction signatures are checked.
#[derive(Clone, Copy)]
pub enum SignatureCheck<'a> {
    /// Verify every signature with this verifier (batch, possibly over several threads).
    Verify(&'a dyn SignatureVerifier),
    /// Trust the signatures: every one was verified already (a node's mempool verifies them on
    /// admission, so the node builds its own blocks with this), or they do not matter (the
    /// simulator, benchmarks). Never for a block received from someone else.
    Skip,
}

/// A transaction the proposer left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedTx {
    /// The transaction.
    pub hash: Hash,
    /// Why it could not be included.
    pub rejection: Rejection,
}

/// The result of executing a block: everything to persist, nothing yet written.
#[derive(Debug, Clone)]
pub struct ExecutedBlock {
    /// The block, header filled in.
    pub block: Block,
    /// One receipt per transaction, in order.
    pub receipts: Vec<Receipt>,
    /// Events of the block's end.
    pub end_block_events: Vec<Event>,
    /// The state changes and the root they lead to; apply with the store's `commit`.
    pub commit: PreparedCommit,
    /// Candidates left out (only when building).
    pub skipped: Vec<SkippedTx>,
}

/// The first state of a chain.
#[derive(Debug, Clone)]
pub struct GenesisState {
    /// The genesis header: the parent of the first block.
    pub header: Header,
    /// The state to commit.
    pub commit: PreparedCommit,
    /// The genesis, normalized.
    pub genesis: Genesis,
}

/// Declares [`MsgError`] and [`route`] from the list of modules.
macro_rules! routing {
    ($( $(#[$section:meta])* $module:ident : $Type:ident {
        $(msg: $msg:literal,)? $(event: $event:literal,)? $(params: $params:literal,)?
    } ),* $(,)?) => {
        /// Why a message failed, by module. Codes are the modules' stable codes.
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
        pub enum MsgError {
            $($(
                #[doc = concat!("A rule of ", stringify!($module), " (message tag ", $msg, ").")]
                #[error(transparent)]
                $Type(#[from] <modules::$module::$Type as Handler>::Error),
            )?)*
        }

        impl MsgError {
            /// The stable numeric code: the module's own, or a wrapped error's.
            pub fn code(&self) -> u32 {
                match self {
                    $($( MsgError::$Type(error) => { let _tag: u8 = $msg; error.code() } )?)*
                }
            }

            /// Every code a transaction can end with, as `(module, code, variant)` by code: the
            /// admission rejections (`app`), the bug code, and each module's failures, its retired
            /// codes listed as `retired`.
            pub fn code_table() -> Vec<(&'static str, u32, &'static str)> {
                let mut table = vec![("app", crate::modules::BUG_CODE, "Bug")];
                let mut add = |module: &'static str, codes: &[(u32, &'static str)], retired: &[u32]| {
                    table.extend(codes.iter().map(|(code, name)| (module, *code, *name)));
                    table.extend(retired.iter().map(|code| (module, *code, "retired")));
                };
                add("app", Rejection::CODES, Rejection::RETIRED);
                $($({
                    let _tag: u8 = $msg;
                    type Error = <modules::$module::$Type as Handler>::Error;
                    let module = <modules::$module::$Type as Module>::NAME;
                    add(module, <Error as ErrorCode>::CODES, <Error as ErrorCode>::RETIRED);
                })?)*
                table.sort_by_key(|(_, code, _)| *code);
                table
            }
        }

        impl Msg {
            /// What this message certainly takes from its sender ([`Handler::debit`]).
            pub fn debit(&self) -> Option<(Denom, Amount)> {
                match self {
                    $($(
                        Msg::$Type(msg) => {
                            let _tag: u8 = $msg;
                            <modules::$module::$Type as Handler>::debit(msg)
                        }
                    )?)*
                }
            }

            /// The checks of this message that need no state ([`Handler::check`]).
            pub fn check(&self) -> Result<(), MsgError> {
                match self {
                    $($(
                        Msg::$Type(msg) => {
                            let _tag: u8 = $msg;
                            <modules::$module::$Type as Handler>::check(msg).map_err(MsgError::$Type)
                        }
                    )?)*
                }
            }
        }

        /// Sends one message to the module that owns it, with the capabilities that module holds.
        fn route(
            state: &mut impl StateWrite,
            events: &mut Vec<Event>,
            block: &BlockEnv,
            sender: &Address,
            msg: &Msg,
        ) -> Result<(), Failure<MsgError>> {
            match msg {
                $($(
                    Msg::$Type(msg) => {
                        let _tag: u8 = $msg;
                        let ctx = block.ctx(*sender);
                        <modules::$module::$Type as Handler>::handle(state, events, &ctx, msg)
                            .map_err(|f| f.map_rule(MsgError::$Type))
                    }
                )?)*
            }
        }
    };
}
modules::for_each_module!(routing);

/// Validates `genesis` and computes the chain's first state on top of an empty `store`.
pub fn init_chain<S: Store>(store: &S, genesis: Genesis) -> Result<GenesisState, GenesisError> {
    let genesis = genesis.normalize()?;
    if store.get(auth::CHAIN_ID)?.is_some() {
        return Err(GenesisError::AlreadyInitialized);
    }
    let mut state = Overlay::new(store);
    genesis::init(&mut state, &genesis)?;
    // A genesis whose sections disagree (a module account short of what its books say it holds)
    // is refused with the reasons, before any block builds on it.
    if let Some(broken) = invariants::describe(&invariants::check_all(&state)?) {
        return Err(GenesisError::Invariants(broken));
    }
    let height = Height(genesis.initial_height.get() - 1);
    let next_validators = staking::hooks::next_validators(&state, height, true)?;
    let commit = prepare_commit(store, state.into_changes())?;
    let header = Header {
        chain_id: genesis.chain_id.clone(),
        height,
        time_ms: genesis.genesis_time_ms,
        parent_hash: Hash::ZERO,
        proposer: Address::default(),
        txs_root: txs_root(&[]),
        state_root: commit.root,
        receipts_root: receipts_root(&[], &[]),
        evidence_root: BlockEvidence::default().root(),
        next_validators,
        base_fee: genesis.fees.base_fee,
        gas_used: 0,
    };
    Ok(GenesisState { header, commit, genesis })
}

/// Builds the next block on `parent` from `candidates`, in the order given, leaving out those
/// that would be rejected, carrying `evidence` (at most [`MAX_EVIDENCE_PER_BLOCK`] pieces of
/// misbehavior, and the participation record unless the chain cannot count it; the caller vouches
/// for their proofs, see [`crate::Misbehavior`]). At most [`MAX_TXS_PER_BLOCK`] candidates are
/// considered.
///
/// Signatures are checked while the block executes. A proposer's candidates passed the same check
/// when they were admitted, so a bad one is rare; then the block is built again without it.
pub fn build_block<S: Store>(
    store: &S,
    parent: &Header,
    time_ms: u64,
    proposer: Address,
    mut candidates: Vec<SignedTx>,
    mut evidence: BlockEvidence,
    signatures: SignatureCheck<'_>,
) -> Result<ExecutedBlock, BlockError> {
    candidates.truncate(MAX_TXS_PER_BLOCK);
    evidence.misbehavior.truncate(MAX_EVIDENCE_PER_BLOCK);
    let height = parent.height.next().ok_or(BlockError::NotAChild("height overflow"))?;
    if let Some(record) = &evidence.participation
        && staking::hooks::participation_problem(store, height, record)?.is_some()
    {
        evidence.participation = None;
    }
    let mut skipped = Vec::new();
    let mut valid = Vec::with_capacity(candidates.len());
    for tx in candidates {
        match tx.check_stateless() {
            Ok(()) => valid.push(tx),
            Err(rejection) => skipped.push(SkippedTx { hash: tx.hash(), rejection }),
        }
    }
    let build = |txs: &[SignedTx], skipped: Vec<SkippedTx>| {
        let mut run = BlockRun::begin(store, parent, time_ms, proposer, evidence.clone())?;
        let mut skipped = skipped;
        for tx in txs {
            match run.execute_tx(tx) {
                Ok(receipt) => run.include(tx.clone(), receipt),
                Err(TxStop::Rejected(rejection)) => skipped.push(SkippedTx { hash: tx.hash(), rejection }),
                Err(TxStop::Block(error)) => return Err(error),
            }
        }
        let mut executed = run.finish(store)?;
        executed.skipped = skipped;
        Ok(executed)
    };
    let SignatureCheck::Verify(verifier) = signatures else {
        return build(&valid, skipped);
    };
    let claims: Vec<SignedMessage> = valid.iter().map(SignedTx::claim).collect();
    let (verdict, built) = verify_while(verifier, &claims, || build(&valid, skipped.clone()));
    if let (Ok(()), Some(built)) = (verdict, built) {
        return built;
    }
    let mut verified = Vec::with_capacity(valid.len());
    for tx in valid {
        match tx.claim().verify() {
            Ok(()) => verified.push(tx),
            Err(reason) => {
                skipped.push(SkippedTx { hash: tx.hash(), rejection: Rejection::InvalidSignature(reason) })
            }
        }
    }
    build(&verified, skipped)
}

/// Applies a block proposed by someone else on `parent`: every transaction must be admissible and
/// the header must equal what execution gives. Signatures are checked while the block executes;
/// a bad one invalidates the block, whatever execution found.
pub fn apply_block<S: Store>(
    store: &S,
    parent: &Header,
    block: Block,
    signatures: SignatureCheck<'_>,
) -> Result<ExecutedBlock, BlockError> {
    let Block { header, txs, evidence } = block;
    if txs.len() > MAX_TXS_PER_BLOCK {
        return Err(BlockError::TooManyTxs { count: txs.len(), max: MAX_TXS_PER_BLOCK });
    }
    if evidence.misbehavior.len() > MAX_EVIDENCE_PER_BLOCK {
        return Err(BlockError::TooMuchEvidence {
            count: evidence.misbehavior.len(),
            max: MAX_EVIDENCE_PER_BLOCK,
        });
    }
    if header.parent_hash != parent.hash() {
        return Err(BlockError::NotAChild("parent hash"));
    }
    let mut run = BlockRun::begin(store, parent, header.time_ms, header.proposer, evidence)?;
    for (index, tx) in txs.iter().enumerate() {
        tx.check_stateless().map_err(|rejection| BlockError::InvalidTx { index, rejection })?;
    }
    let claims: Vec<SignedMessage> = match signatures {
        SignatureCheck::Verify(_) => txs.iter().map(SignedTx::claim).collect(),
        SignatureCheck::Skip => Vec::new(),
    };
    let execute = || {
        for (index, tx) in txs.into_iter().enumerate() {
            match run.execute_tx(&tx) {
                Ok(receipt) => run.include(tx, receipt),
                Err(TxStop::Rejected(rejection)) => {
                    return Err(BlockError::InvalidTx { index, rejection });
                }
                Err(TxStop::Block(error)) => return Err(error),
            }
        }
        run.finish(store)
    };
    let executed = match signatures {
        SignatureCheck::Skip => execute()?,
        SignatureCheck::Verify(verifier) => {
            let (verdict, executed) = verify_while(verifier, &claims, execute);
            verdict.map_err(|bad| BlockError::InvalidTx {
                index: bad.index,
                rejection: Rejection::InvalidSignature(bad.reason),
            })?;
            executed.ok_or_else(|| {
                BlockError::InvariantBroken("the signature verifier did not run the block".into())
            })??
        }
    };
    check_header(&header, &executed.block.header)?;
    Ok(executed)
}

/// The most transactions can take from their sender's balances, by denomination: fees at their
/// caps and what their messages certainly move ([`Msg::debit`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spend(BTreeMap<Denom, Amount>);

impl Spend {
    /// How much of `denom`.
    pub fn of(&self, denom: &Denom) -> Amount {
        self.0.get(denom).copied().unwrap_or(Amount::ZERO)
    }

    /// Adds `amount` of `denom` (clamped at the largest amount, which no balance reaches).
    pub fn add(&mut self, denom: Denom, amount: Amount) {
        let total = self.0.entry(denom).or_insert(Amount::ZERO);
        *total = total.saturating_add(amount);
    }

    /// Adds everything in `other`.
    pub fn add_all(&mut self, other: &Spend) {
        for (denom, amount) in &other.0 {
            self.add(*denom, *amount);
        }
    }
}

/// What [`precheck`] found for a transaction that may enter the mempool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prechecked {
    /// The sender's next nonce on chain.
    pub chain_nonce: u64,
    /// The most it can take from the sender.
    pub spend: Spend,
}

/// Checks whether `tx` could enter a block at `next_height` on `state` — everything but its
/// signature, and with its nonce allowed to be ahead of the sender's (a mempool parks those). The
/// fee is checked at the fee cap, the most the transaction could pay, so that an admitted
/// transaction stays payable while the base fee rises; with what its messages certainly take, it
/// must fit in the sender's balances besides `pending`, what the sender's pending transactions may
/// take. Each message's stateless checks run too: what admission can know fails here, charging
/// nothing, instead of in a block, charging the fee.
pub fn precheck<S: StateRead>(
    state: &S,
    tx: &SignedTx,
    next_height: Height,
    pending: &Spend,
) -> Result<Prechecked, Failure<Rejection>> {
    tx.check_stateless().map_err(Failure::Rule)?;
    let chain_id = auth::chain_id(state)?;
    let body = tx.tx();
    let sender = tx.sender();
    let chain_nonce = auth::nonce(state, &sender)?;
    // The nonce is judged by the caller: pretend it is the next one for the shared checks.
    let mut as_next = body.clone();
    as_next.nonce = chain_nonce;
    auth::handler::check(state, &chain_id, next_height, &sender, &as_next)?;
    let params = fees::params(state)?;
    let base_fee = fees::base_fee(state)?;
    let mut at_cap = as_next;
    at_cap.max_priority_fee_per_gas = body.max_fee_per_gas.saturating_sub(base_fee);
    let fee = fees::handler::quote(state, &params, base_fee, 0, &sender, &at_cap)?.total();
    if body.max_priority_fee_per_gas > body.max_fee_per_gas {
        return Err(Failure::Rule(Rejection::PriorityFeeAboveFeeCap {
            max_priority_fee_per_gas: body.max_priority_fee_per_gas,
            max_fee_per_gas: body.max_fee_per_gas,
        }));
    }
    let refuse =
        |index, error| Failure::Rule(Rejection::MessageWouldFail(Box::new(MessageRefusal { index, error })));
    for (index, msg) in body.msgs.iter().enumerate() {
        msg.check().map_err(|error| refuse(index, error))?;
    }
    let mut spend = Spend::default();
    spend.add(Denom::GDC, fee);
    let gdc = bank::balance(state, &sender, &Denom::GDC)?;
    if gdc < pending.of(&Denom::GDC).saturating_add(fee) {
        let balance = gdc.saturating_sub(pending.of(&Denom::GDC));
        return Err(Failure::Rule(Rejection::InsufficientFeeBalance { balance, fee }));
    }
    for (index, msg) in body.msgs.iter().enumerate() {
        let Some((denom, amount)) = msg.debit() else { continue };
        let before = pending.of(&denom).saturating_add(spend.of(&denom));
        let balance = bank::balance(state, &sender, &denom)?;
        if balance < before.saturating_add(amount) {
            let balance = balance.saturating_sub(before);
            return Err(refuse(
                index,
                MsgError::Bank(bank::BankError::InsufficientBalance { denom, balance, amount }),
            ));
        }
        spend.add(denom, amount);
    }
    Ok(Prechecked { chain_nonce, spend })
}

fn check_header(claimed: &Header, executed: &Header) -> Result<(), BlockError> {
    let fields: [(&'static str, bool); 12] = [
        ("chain_id", claimed.chain_id == executed.chain_id),
        ("height", claimed.height == executed.height),
        ("time_ms", claimed.time_ms == executed.time_ms),
        ("parent_hash", claimed.parent_hash == executed.parent_hash),
        ("proposer", claimed.proposer == executed.proposer),
        ("txs_root", claimed.txs_root == executed.txs_root),
        ("state_root", claimed.state_root == executed.state_root),
        ("receipts_root", claimed.receipts_root == executed.receipts_root),
        ("evidence_root", claimed.evidence_root == executed.evidence_root),
        ("next_validators", claimed.next_validators == executed.next_validators),
        ("base_fee", claimed.base_fee == executed.base_fee),
        ("gas_used", claimed.gas_used == executed.gas_used),
    ];
    match fields.iter().find(|(_, equal)| !equal) {
        Some((field, _)) => Err(BlockError::HeaderMismatch { field }),
        None => Ok(()),
    }
}

/// Why a transaction stopped short of a receipt.
enum TxStop {
    /// It must not be in the block.
    Rejected(Rejection),
    /// The whole block must be abandoned.
    Block(BlockError),
}

impl From<Failure<Rejection>> for TxStop {
    fn from(failure: Failure<Rejection>) -> Self {
        match failure {
            Failure::Rule(rejection) => TxStop::Rejected(rejection),
            Failure::Bug(what) => TxStop::Block(bug(what)),
            Failure::Fatal(error) => TxStop::Block(BlockError::Storage(error)),
        }
    }
}

/// Facts fixed for the whole block, read once at its beginning.
struct BlockEnv {
    chain_id: ChainId,
    height: Height,
    time_ms: u64,
    parent_hash: Hash,
    proposer: Address,
    base_fee: Amount,
    fee_params: FeeParams,
}

impl BlockEnv {
    /// The context of a handler or hook acting for `sender` in this block, with the capabilities
    /// `C` its module holds: the one place capabilities are made.
    fn ctx<C: Capabilities>(&self, sender: Address) -> Ctx<C> {
        Ctx {
            height: self.height,
            time_ms: self.time_ms,
            parent_hash: self.parent_hash,
            sender,
            caps: caps::grant(),
        }
    }

    /// The context of a hook at the block's end: it acts for the proposer.
    fn hook<C: Capabilities>(&self) -> Ctx<C> {
        self.ctx(self.proposer)
    }
}

/// A block being executed: its overlay on the store and what it has produced so far.
struct BlockRun<'s, S: Store> {
    state: Overlay<'s, S>,
    env: BlockEnv,
    collected: Collected,
    txs: Vec<SignedTx>,
    receipts: Vec<Receipt>,
    evidence: BlockEvidence,
}

impl<'s, S: Store> BlockRun<'s, S> {
    /// Step 1: the block extends `parent`, and `parent` describes `store`.
    fn begin(
        store: &'s S,
        parent: &Header,
        time_ms: u64,
        proposer: Address,
        evidence: BlockEvidence,
    ) -> Result<Self, BlockError> {
        if store.state_root()? != parent.state_root {
            return Err(BlockError::ParentStateMismatch("state root"));
        }
        if auth::height(store)? != parent.height {
            return Err(BlockError::ParentStateMismatch("height"));
        }
        let chain_id = auth::chain_id(store)?;
        if chain_id != parent.chain_id {
            return Err(BlockError::ParentStateMismatch("chain id"));
        }
        if time_ms < parent.time_ms {
            return Err(BlockError::TimeWentBackwards { time_ms, parent_time_ms: parent.time_ms });
        }
        let height = parent.height.next().ok_or(BlockError::NotAChild("height overflow"))?;
        if let Some(record) = &evidence.participation
            && let Some(problem) = staking::hooks::participation_problem(store, height, record)?
        {
            return Err(BlockError::InvalidParticipation(problem));
        }
        let env = BlockEnv {
            chain_id,
            height,
            time_ms,
            parent_hash: parent.hash(),
            proposer,
            base_fee: fees::base_fee(store)?,
            fee_params: fees::params(store)?,
        };
        Ok(BlockRun {
            state: Overlay::new(store),
            env,
            collected: Collected::default(),
            txs: Vec::new(),
            receipts: Vec::new(),
            evidence,
        })
    }

    /// Step 3: admission, fee, messages, receipt.
    fn execute_tx(&mut self, tx: &SignedTx) -> Result<Receipt, TxStop> {
        let env = &self.env;
        let sender = tx.sender();
        let nonce = auth::handler::check(&self.state, &env.chain_id, env.height, &sender, tx.tx())?;
        let quote = fees::handler::quote(
            &self.state,
            &env.fee_params,
            env.base_fee,
            self.collected.gas_used,
            &sender,
            tx.tx(),
        )?;

        // Point of no return: the transaction is included. Its fee and nonce stand whatever its
        // messages do.
        let mut events = Vec::new();
        fees::handler::charge(&mut self.state, &mut events, &sender, &quote)
            .map_err(invariant("fee charge after quote"))?;
        auth::handler::consume_nonce(&mut self.state, &sender, nonce);
        self.collected = Collected {
            gas_used: self.collected.gas_used.saturating_add(quote.gas),
            burned: self.collected.burned.saturating_add(quote.burned),
            tips: self.collected.tips.saturating_add(quote.tip),
        };

        let outcome = match run_msgs(&self.state, env, &sender, &tx.tx().msgs)? {
            Ok((changes, msg_events)) => {
                self.state.apply(changes);
                events.extend(msg_events);
                TxOutcome::Applied
            }
            Err((msg_index, error)) => {
                TxOutcome::Failed { msg_index, code: error.code(), reason: error.to_string() }
            }
        };
        Ok(Receipt { tx_hash: tx.hash(), sender, outcome, gas_used: quote.gas, fee: quote.total(), events })
    }

    fn include(&mut self, tx: SignedTx, receipt: Receipt) {
        self.txs.push(tx);
        self.receipts.push(receipt);
    }

    /// Steps 4 and 5: end of block, then the header.
    fn finish(mut self, store: &S) -> Result<ExecutedBlock, BlockError> {
        let mut end_block_events = Vec::new();
        let (env, state, events) = (&self.env, &mut self.state, &mut end_block_events);
        staking::hooks::punish(state, events, &env.hook(), &self.evidence.misbehavior)
            .map_err(invariant("slashing evidence"))?;
        staking::hooks::count_participation(state, self.evidence.participation.as_ref())?;
        compute::hooks::end_block(state, events, &env.hook()).map_err(invariant("compute end of block"))?;
        oracle::hooks::end_block(state, events, &env.hook()).map_err(invariant("oracle rounds"))?;
        compliance::hooks::end_block(state, events, &env.hook()).map_err(invariant("compliance disputes"))?;
        staking::hooks::end_block(state, events, &env.hook()).map_err(invariant("staking epoch"))?;
        clusters::hooks::end_block(state, events, &env.hook()).map_err(invariant("clusters end of epoch"))?;
        treasury::hooks::close_epoch(state, events, &env.hook()).map_err(invariant("treasury epoch"))?;
        amm::hooks::end_block(state, events, &env.hook()).map_err(invariant("amm batch clearing"))?;
        treasury::hooks::after_clearing(state, events, &env.hook())
            .map_err(invariant("treasury after clearing"))?;
        fees::hooks::end_block(state, events, &env.hook(), &env.fee_params, env.base_fee, &self.collected)
            .map_err(invariant("fee settlement"))?;
        governance::hooks::end_block(state, events, &env.hook())
            .map_err(invariant("governance end of block"))?;
        auth::set_height(&mut self.state, self.env.height);
        // spec: DESIGN §3 — a broken invariant stops the chain before it commits: the cheap ones
        // on every node for every block, the full scan in tests and debug builds (a node also
        // runs it at an interval, before committing).
        refuse(invariants::check_block(store, &self.state, self.state.changes())?)?;
        if cfg!(debug_assertions) {
            refuse(invariants::check_all(&self.state)?)?;
        }

        let next_validators = staking::hooks::next_validators(&self.state, self.env.height, false)?;
        let commit = prepare_commit(store, self.state.into_changes())?;
        let header = Header {
            chain_id: self.env.chain_id,
            height: self.env.height,
            time_ms: self.env.time_ms,
            parent_hash: self.env.parent_hash,
            proposer: self.env.proposer,
            txs_root: txs_root(&self.txs),
            state_root: commit.root,
            receipts_root: receipts_root(&self.receipts, &end_block_events),
            evidence_root: self.evidence.root(),
            next_validators,
            base_fee: self.env.base_fee,
            gas_used: self.collected.gas_used,
        };
        Ok(ExecutedBlock {
            block: Block { header, txs: self.txs, evidence: self.evidence },
            receipts: self.receipts,
            end_block_events,
            commit,
            skipped: Vec::new(),
        })
    }
}

/// Runs `msgs` in an overlay: `Ok(Ok(changes, events))` if all succeed, `Ok(Err(index, error))` at
/// the first failure (the overlay is dropped), `Err` if the block must be abandoned (a bug or a
/// storage fault).
#[allow(clippy::type_complexity)]
fn run_msgs<S: StateWrite>(
    state: &S,
    block: &BlockEnv,
    sender: &Address,
    msgs: &[Msg],
) -> Result<Result<(ChangeSet, Vec<Event>), (u32, MsgError)>, BlockError> {
    let mut overlay = Overlay::new(state);
    let mut events = Vec::new();
    for (index, msg) in msgs.iter().enumerate() {
        match route(&mut overlay, &mut events, block, sender, msg) {
            Ok(()) => {}
            // Bounded by MAX_MSGS_PER_TX, so the index fits.
            Err(Failure::Rule(error)) => return Ok(Err((index as u32, error))),
            Err(Failure::Bug(what)) => return Err(bug(what)),
            Err(Failure::Fatal(error)) => return Err(BlockError::Storage(error)),
        }
    }
    Ok(Ok((overlay.into_changes(), events)))
}

/// A step that cannot fail once its checks passed (a fee charge after its quote, a block's end):
/// a rule broken there is a bug; a storage fault stays one.
fn invariant<E: std::fmt::Display>(step: &'static str) -> impl Fn(Failure<E>) -> BlockError {
    move |failure| match failure {
        Failure::Rule(error) => bug(format!("{step}: {error}")),
        Failure::Bug(what) => bug(what),
        Failure::Fatal(error) => BlockError::Storage(error),
    }
}

/// A bug: tests stop at it; a release node refuses the block and stops before committing.
fn bug(what: String) -> BlockError {
    debug_assert!(false, "bug: {what}");
    BlockError::Bug(what)
}

impl From<BlockError> for TxStop {
    fn from(error: BlockError) -> Self {
        TxStop::Block(error)
    }
}

/// Refuses a block whose state shows `violations`.
pub fn refuse(violations: Vec<invariants::Violation>) -> Result<(), BlockError> {
    match invariants::describe(&violations) {
        Some(broken) => Err(BlockError::InvariantBroken(broken)),
        None => Ok(()),
    }
}
