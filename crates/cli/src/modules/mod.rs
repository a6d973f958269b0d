//! One file per protocol module: what `atelier tx MODULE …` sends and what `atelier query MODULE …`
//! reads, in the module's own words. Each file has the same shape: a `Tx` enum and its `message`
//! (the message a command asks for, and who signs it), a `Query` enum and its `path` (the API path
//! that answers it). Adding a module is one file here and one line in each list below.
//!
//! Commands that moved when the CLI was regrouped by module keep working under their old
//! spelling ([`renamed`]), with a note saying the new one.

pub(crate) mod amm;
pub(crate) mod bank;
pub(crate) mod clusters;
pub(crate) mod compliance;
pub(crate) mod compute;
pub(crate) mod governance;
pub(crate) mod market;
pub(crate) mod oracle;
pub(crate) mod provenance;
pub(crate) mod registry;
pub(crate) mod revenue;
pub(crate) mod staking;
pub(crate) mod treasury;

use anyhow::{Result, anyhow};
use atelier_primitives::Bps;
use atelier_protocol::Msg;
use clap::Subcommand;

use crate::{
    Signing,
    keys::Keystore,
    proof::{Rederive, Trust},
};

/// A transaction of one module's message.
#[derive(Debug, Subcommand)]
pub(crate) enum ModuleTx {
    /// Send tokens.
    #[command(subcommand)]
    Bank(bank::Tx),
    /// Datasets, their contributors and royalties; models and fine-tunes.
    #[command(subcommand)]
    Registry(registry::Tx),
    /// The compute market: providers, jobs, results and challenges.
    #[command(subcommand)]
    Compute(compute::Tx),
    /// Register a remix made elsewhere.
    #[command(subcommand)]
    Provenance(provenance::Tx),
    /// Claim and transfer royalty-vault revenue shares.
    #[command(subcommand)]
    Revenue(revenue::Tx),
    /// Sell and buy assets and royalty-vault shares.
    #[command(subcommand)]
    Market(market::Tx),
    /// Bond, unbond and withdraw stake.
    #[command(subcommand)]
    Staking(staking::Tx),
    /// Register, update or end a validator candidacy.
    #[command(subcommand)]
    Validator(staking::ValidatorTx),
    /// Propose, vote, claim grants.
    #[command(subcommand)]
    Governance(governance::Tx),
    /// Reserve training-cluster slots.
    #[command(subcommand)]
    Clusters(clusters::Tx),
    /// Provide liquidity and swap on the GDC/uusd pool.
    #[command(subcommand)]
    Amm(amm::Tx),
    /// Register as an oracle operator and observe feeds.
    #[command(subcommand)]
    Oracle(oracle::Tx),
    /// Attest datasets and models, report violations, vote on them as an arbiter.
    #[command(subcommand)]
    Compliance(compliance::Tx),
}

impl ModuleTx {
    /// The message the command asks for, and who signs it.
    pub(crate) fn message(self, store: &Keystore) -> Result<(Signing, Msg)> {
        match self {
            ModuleTx::Bank(tx) => bank::message(store, tx),
            ModuleTx::Registry(tx) => registry::message(store, tx),
            ModuleTx::Compute(tx) => compute::message(store, tx),
            ModuleTx::Provenance(tx) => provenance::message(store, tx),
            ModuleTx::Revenue(tx) => revenue::message(store, tx),
            ModuleTx::Market(tx) => market::message(store, tx),
            ModuleTx::Staking(tx) => staking::message(store, tx),
            ModuleTx::Validator(tx) => staking::validator_message(tx),
            ModuleTx::Governance(tx) => governance::message(store, tx),
            ModuleTx::Clusters(tx) => clusters::message(store, tx),
            ModuleTx::Amm(tx) => amm::message(store, tx),
            ModuleTx::Oracle(tx) => oracle::message(store, tx),
            ModuleTx::Compliance(tx) => compliance::message(store, tx),
        }
    }
}

/// A read of one module's state.
#[derive(Debug, Subcommand)]
pub(crate) enum ModuleQuery {
    /// Supply, minted and burned per denomination.
    #[command(subcommand)]
    Bank(bank::Query),
    /// Models, datasets and contributors' royalties.
    #[command(subcommand)]
    Registry(registry::Query),
    /// The compute market: classes, jobs, providers.
    #[command(subcommand)]
    Compute(compute::Query),
    /// Assets, their lineage, C2PA manifests and royalty stacks.
    #[command(subcommand)]
    Provenance(provenance::Query),
    /// Royalty vaults and their holders.
    #[command(subcommand)]
    Revenue(revenue::Query),
    /// Listings of assets and shares.
    #[command(subcommand)]
    Market(market::Query),
    /// Stake, reputation now and at past heights, tiers.
    #[command(subcommand)]
    Staking(staking::Query),
    /// The validators now and next, every candidate's weight, or one epoch's set.
    Validators {
        /// One epoch's set (the chain keeps the current, the next, and those evidence may name).
        #[arg(long)]
        epoch: Option<u64>,
    },
    /// Proposals, votes and grants.
    #[command(subcommand)]
    Governance(governance::Query),
    /// Training clusters and reservations.
    #[command(subcommand)]
    Clusters(clusters::Query),
    /// The GDC/uusd pool.
    #[command(subcommand)]
    Amm(amm::Query),
    /// Oracle feeds, rounds and operators.
    #[command(subcommand)]
    Oracle(oracle::Query),
    /// The treasury: reserve, runway, bands, targets, income, epoch reports.
    #[command(subcommand)]
    Treasury(treasury::Query),
    /// Attestations, schemas, attesters, a subject's compliance now, and disputes.
    #[command(subcommand)]
    Compliance(compliance::Query),
}

impl ModuleQuery {
    /// The API path that answers the query.
    pub(crate) fn path(self, store: &Keystore) -> Result<String> {
        match self {
            ModuleQuery::Bank(query) => bank::path(store, query),
            ModuleQuery::Registry(query) => registry::path(store, query),
            ModuleQuery::Compute(query) => compute::path(store, query),
            ModuleQuery::Provenance(query) => provenance::path(store, query),
            ModuleQuery::Revenue(query) => revenue::path(store, query),
            ModuleQuery::Market(query) => market::path(store, query),
            ModuleQuery::Staking(query) => staking::path(store, query),
            ModuleQuery::Validators { epoch } => Ok(staking::validators_path(epoch)),
            ModuleQuery::Governance(query) => governance::path(store, query),
            ModuleQuery::Clusters(query) => clusters::path(store, query),
            ModuleQuery::Amm(query) => amm::path(store, query),
            ModuleQuery::Oracle(query) => oracle::path(store, query),
            ModuleQuery::Treasury(query) => treasury::path(store, query),
            ModuleQuery::Compliance(query) => compliance::path(store, query),
        }
    }

    /// How the answer is checked against its proof, and what else is trusted (its block, the
    /// validators that finalized it), when the query asks for a proof (`--prove`).
    pub(crate) fn rederive(&self, store: &Keystore) -> Result<Option<(Rederive, Trust)>> {
        let asked = match self {
            ModuleQuery::Provenance(query) => provenance::rederive(query),
            ModuleQuery::Revenue(query) => revenue::rederive(store, query)?,
            ModuleQuery::Staking(query) => staking::rederive(store, query)?,
            _ => None,
        };
        asked.map(|(rederive, prove)| Ok((rederive, prove.trust()?))).transpose()
    }
}

/// `--prove`: ask for an answer's proof and check it.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Prove {
    /// Ask for the answer's proof and check it here: the header against its hash, every state
    /// entry the answer was computed from against the header's state root, and the answer against
    /// the protocol's own query re-run over those entries alone. Fails, printing nothing, if any
    /// check fails.
    #[arg(long)]
    pub(crate) prove: bool,
    /// With --prove: the hash of the block the answer must be about, as trusted from elsewhere
    /// (another node, a finality certificate).
    #[arg(long, requires = "prove")]
    pub(crate) expect_block: Option<String>,
    /// With --prove, against validators: a validator set you trust (JSON, as `atelier query
    /// validators --epoch E` prints it, from genesis or a node you trust); the answer's block must
    /// carry a finalization certificate signed by a quorum of it.
    #[arg(long, requires = "prove")]
    pub(crate) validator_set: Option<std::path::PathBuf>,
}

impl Prove {
    /// What `--expect-block` and `--validator-set` say to trust, read.
    pub(crate) fn trust(&self) -> Result<Trust> {
        Trust::read(self.expect_block.as_deref(), self.validator_set.as_deref())
    }

    /// `query` (`a=1&b=2`, or empty) with `prove=true` when asked, as a path's query string.
    pub(crate) fn query(&self, query: &str) -> String {
        match (self.prove, query.is_empty()) {
            (true, true) => "?prove=true".into(),
            (true, false) => format!("?{query}&prove=true"),
            (false, true) => String::new(),
            (false, false) => format!("?{query}"),
        }
    }
}

/// Old spellings of commands that moved to their module, and the new ones (words after
/// `atelier`). The longest matching old spelling applies.
const RENAMED: &[(&str, &str)] = &[
    ("tx transfer", "tx bank transfer"),
    ("tx compute register-dataset", "tx registry register-dataset"),
    ("tx compute add-contributors", "tx registry add-contributors"),
    ("tx compute register-model", "tx registry register-model"),
    ("tx compute claim-royalties", "tx registry claim-royalties"),
    ("tx compute register-derivative", "tx provenance register-derivative"),
    ("tx compute claim-revenue", "tx revenue claim-revenue"),
    ("tx compute transfer-shares", "tx revenue transfer-shares"),
    ("tx stake", "tx staking"),
    ("tx gov", "tx governance"),
    ("tx cluster", "tx clusters"),
    ("tx attest add", "tx compliance attest"),
    ("tx attest revoke", "tx compliance revoke"),
    ("tx dispute report", "tx compliance report"),
    ("tx dispute vote", "tx compliance vote"),
    ("query compute model", "query registry model"),
    ("query compute dataset", "query registry dataset"),
    ("query compute royalties", "query registry royalties"),
    ("query asset show", "query provenance asset"),
    ("query asset vault", "query revenue vault"),
    ("query asset position", "query revenue position"),
    ("query asset", "query provenance"),
    ("query stake", "query staking"),
    ("query gov", "query governance"),
    ("query cluster", "query clusters"),
    ("query attest show", "query compliance attestation"),
    ("query attest", "query compliance"),
    ("query dispute show", "query compliance dispute"),
    ("query dispute list", "query compliance disputes"),
];

/// `args` with a command's old spelling replaced by its new one, and the note that says so.
pub(crate) fn renamed(mut args: Vec<String>) -> (Vec<String>, Option<String>) {
    let Some(start) = args.iter().position(|arg| arg == "tx" || arg == "query") else {
        return (args, None);
    };
    let matches = |old: &str| {
        let words: Vec<&str> = old.split(' ').collect();
        args.len() >= start + words.len()
            && args[start..start + words.len()].iter().zip(&words).all(|(a, w)| a == w)
    };
    let Some((old, new)) =
        RENAMED.iter().filter(|(old, _)| matches(old)).max_by_key(|(old, _)| old.split(' ').count())
    else {
        return (args, None);
    };
    let old_len = old.split(' ').count();
    args.splice(start..start + old_len, new.split(' ').map(String::from));
    (args, Some(format!("note: `atelier {old}` is now `atelier {new}`")))
}

/// Splits `KEY=VALUE`.
pub(crate) fn pair<'a>(text: &'a str, what: &str) -> Result<(&'a str, &'a str)> {
    text.split_once('=').ok_or_else(|| anyhow!("{what} {text:?}: expected KEY=VALUE"))
}

/// Basis points from a flag.
pub(crate) fn bps(value: u32, what: &str) -> Result<Bps> {
    Bps::new(value).map_err(|e| anyhow!("{what}: {e}"))
}

/// Which page of a list to read.
#[derive(Debug, clap::Args)]
pub(crate) struct Page {
    /// Where the page starts: the `next` cursor the page before printed (none for the first).
    #[arg(long)]
    cursor: Option<String>,
    /// Most entries.
    #[arg(long, default_value_t = 100)]
    limit: usize,
}

impl Page {
    /// The page's query string.
    pub(crate) fn query(&self) -> String {
        match &self.cursor {
            Some(cursor) => format!("limit={}&cursor={cursor}", self.limit),
            None => format!("limit={}", self.limit),
        }
    }
}

/// The address a key name, `devN` or bech32 text names, as the API writes it.
pub(crate) fn address(store: &Keystore, text: &str) -> Result<String> {
    crate::address(store, text).map(|address| address.to_string())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(String::from).collect()
    }

    #[test]
    fn every_old_spelling_names_a_command_that_exists_and_no_longer_its_own() {
        let cli = crate::Cli::command();
        let exists = |path: &str| {
            let mut command = &cli;
            path.split(' ').all(|word| match command.find_subcommand(word) {
                Some(sub) => {
                    command = sub;
                    true
                }
                None => false,
            })
        };
        for (old, new) in RENAMED {
            assert!(exists(new), "{new} is not a command");
            assert!(!exists(old), "{old} is still a command of its own");
        }
    }

    #[test]
    fn an_old_spelling_parses_to_the_same_command_as_the_new_one() {
        use clap::Parser;
        let weights = "44".repeat(32);
        let old = format!(
            "atelier --node http://x tx compute register-model --from dev1 --class image --weights {weights}"
        );
        let new = format!(
            "atelier --node http://x tx registry register-model --from dev1 --class image --weights {weights}"
        );
        let (rewritten, note) = renamed(words(&old));
        assert_eq!(rewritten, words(&new));
        assert_eq!(
            note.unwrap(),
            "note: `atelier tx compute register-model` is now `atelier tx registry register-model`"
        );
        let parsed = |args: Vec<String>| format!("{:?}", crate::Cli::try_parse_from(args).unwrap());
        assert_eq!(parsed(rewritten), parsed(words(&new)));
    }

    #[test]
    fn the_longest_old_spelling_wins_and_new_spellings_are_left_alone() {
        assert_eq!(
            renamed(words("atelier query asset vault model/1")).0,
            words("atelier query revenue vault model/1")
        );
        assert_eq!(
            renamed(words("atelier query asset lineage 3")).0,
            words("atelier query provenance lineage 3")
        );
        let current = words("atelier tx compute submit-job --from dev1");
        assert_eq!(renamed(current.clone()), (current, None));
        let staking = words("atelier tx staking stake --amount 1");
        assert_eq!(renamed(staking.clone()), (staking, None));
    }
}
