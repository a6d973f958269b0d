//! Genesis for real chains: `atelier genesis example|validate` and the checks `atelier init
//! --genesis` and a node's first start run.
//!
//! A genesis file is a [`GenesisSpec`] (TOML, or JSON) that names accounts, the stable issuer,
//! stakers, oracle operators, attesters, arbiters and params; `genesis.example.toml` documents every
//! field. It is checked four ways: the spec itself (units, params that exist), the chain's rules
//! (by initializing a chain from it in memory, invariants included), the roles a running chain
//! needs, and published keys: an account of the published dev mnemonic is refused unless the file
//! says `allow_published_keys = true`.

mod readiness;
mod spec;

use std::path::Path;

use anyhow::{Context, Result, bail};
use atelier_protocol::Genesis;
use serde::Serialize;

pub(crate) use self::{
    readiness::missing_roles,
    spec::{AccountSpec, GenesisSpec, PoolSpec, SchemaSpec, StakerSpec, ValidatorSpec},
};

/// The commented example `atelier genesis example` prints.
pub(crate) const EXAMPLE: &str = include_str!("genesis.example.toml");

/// What `atelier genesis validate` found.
#[derive(Debug, Serialize)]
pub(crate) struct Report {
    pub(crate) file: String,
    pub(crate) ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) chain_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) accounts: Option<usize>,
    pub(crate) problems: Vec<String>,
}

impl Report {
    pub(crate) fn text(&self) -> String {
        if self.ok {
            return format!(
                "{}: a valid genesis for {} ({} funded accounts)",
                self.file,
                self.chain_id.as_deref().unwrap_or("?"),
                self.accounts.unwrap_or(0)
            );
        }
        let mut text = format!("{}: {} problem(s)\n", self.file, self.problems.len());
        for problem in &self.problems {
            text.push_str(&format!("  - {problem}\n"));
        }
        text.pop();
        text
    }
}

/// Checks the genesis file at `path`: a spec, or a chain's `genesis.json`.
pub(crate) fn validate(path: &Path) -> Result<Report> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let file = path.display().to_string();
    let (genesis, problems) = match read(&text) {
        Ok((genesis, allow_published_keys)) => {
            let problems = problems(&genesis, allow_published_keys);
            (Some(genesis), problems)
        }
        Err(error) => (None, vec![format!("{error:#}")]),
    };
    Ok(Report {
        file,
        ok: problems.is_empty(),
        chain_id: genesis.as_ref().map(|g| g.chain_id.to_string()),
        accounts: genesis.as_ref().map(|g| g.bank.balances.len()),
        problems,
    })
}

/// The genesis in `path`, refused with every problem found.
pub(crate) fn load(path: &Path) -> Result<Genesis> {
    let report = validate(path)?;
    if !report.ok {
        bail!("{}", report.text());
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(read(&text)?.0)
}

/// A genesis from a spec or from a `genesis.json` (which never allows published keys: only a spec
/// can ask for them), and whether it may name published keys.
fn read(text: &str) -> Result<(Genesis, bool)> {
    if let Ok(genesis) = serde_json::from_str::<Genesis>(text) {
        return Ok((genesis, false));
    }
    let spec = GenesisSpec::parse(text)?;
    Ok((spec.build()?, spec.allow_published_keys))
}

/// Everything that keeps `genesis` from starting a working chain.
pub(crate) fn problems(genesis: &Genesis, allow_published_keys: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let memory = atelier_state::MemoryStore::new();
    if let Err(error) = atelier_protocol::init_chain(&memory, genesis.clone()) {
        problems.push(error.to_string());
    }
    problems.extend(missing_roles(genesis));
    if !allow_published_keys {
        problems.extend(readiness::published_keys(genesis).into_iter().map(|(name, address)| {
            format!(
                "{address} is {name} of the published dev mnemonic: anyone can sign for it \
                 (say `allow_published_keys = true` for a test chain)"
            )
        }));
    }
    problems
}
