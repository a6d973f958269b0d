//! compliance genesis: params, schemas, attesters, attestations, tags, disputes with their votes,
//! escrows and the id counters.

use atelier_primitives::{Address, Amount, Denom};
use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{Attestation, ComplianceParams, Dispute, DisputeStatus, Schema, Subject, Tag, state};
use crate::{genesis::GenesisError, modules::registry::ModelId};

/// A tagged subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TagGenesis {
    /// The subject.
    pub subject: Subject,
    /// Its tag.
    pub tag: Tag,
}

/// A dispute with its votes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DisputeGenesis {
    /// The dispute.
    pub dispute: Dispute,
    /// Its votes, by arbiter.
    #[serde(default)]
    pub votes: Vec<(Address, bool)>,
}

/// A model's escrow in one denom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EscrowGenesis {
    /// The model.
    pub model: ModelId,
    /// The denom.
    pub denom: Denom,
    /// Withheld.
    pub amount: Amount,
}

/// The compliance part of genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ComplianceGenesis {
    /// Parameters.
    #[serde(default)]
    pub params: ComplianceParams,
    /// Schemas, by id.
    #[serde(default)]
    pub schemas: Vec<Schema>,
    /// Approved attesters.
    #[serde(default)]
    pub attesters: Vec<Address>,
    /// Attestations, by id.
    #[serde(default)]
    pub attestations: Vec<Attestation>,
    /// Tagged subjects.
    #[serde(default)]
    pub tags: Vec<TagGenesis>,
    /// Disputes, by id.
    #[serde(default)]
    pub disputes: Vec<DisputeGenesis>,
    /// Escrowed revenue.
    #[serde(default)]
    pub escrows: Vec<EscrowGenesis>,
    /// The next ids: schema, attestation, dispute.
    #[serde(default = "first_ids")]
    pub next_ids: [u64; 3],
}

fn first_ids() -> [u64; 3] {
    [1, 1, 1]
}

impl Default for ComplianceGenesis {
    fn default() -> Self {
        ComplianceGenesis {
            params: ComplianceParams::default(),
            schemas: Vec::new(),
            attesters: Vec::new(),
            attestations: Vec::new(),
            tags: Vec::new(),
            disputes: Vec::new(),
            escrows: Vec::new(),
            next_ids: first_ids(),
        }
    }
}

const KINDS: [&str; 3] = ["schema", "attestation", "dispute"];

impl ComplianceGenesis {
    /// Checks the section and sorts it.
    pub fn normalize(mut self) -> Result<ComplianceGenesis, GenesisError> {
        let invalid = |reason: &str| GenesisError::Section { module: "compliance", reason: reason.into() };
        self.params.validate().map_err(|e| GenesisError::section("compliance", e.to_string()))?;
        self.schemas.sort_by_key(|s| s.id);
        self.attesters.sort();
        self.attestations.sort_by_key(|a| a.id);
        self.tags.sort_by_key(|t| t.subject);
        self.disputes.sort_by_key(|d| d.dispute.id);
        self.escrows.sort_by_key(|e| (e.model, e.denom));
        let distinct = |ids: Vec<u64>, next: u64| {
            ids.windows(2).all(|w| w[0] < w[1]) && ids.iter().all(|id| *id >= 1 && *id < next)
        };
        if !distinct(self.schemas.iter().map(|s| s.id.0).collect(), self.next_ids[0])
            || !distinct(self.attestations.iter().map(|a| a.id.0).collect(), self.next_ids[1])
            || !distinct(self.disputes.iter().map(|d| d.dispute.id.0).collect(), self.next_ids[2])
        {
            return Err(invalid("ids must be distinct, from 1 and under the next ids"));
        }
        if self.attesters.windows(2).any(|w| w[0] == w[1])
            || self.tags.windows(2).any(|w| w[0].subject == w[1].subject)
        {
            return Err(invalid("attesters and tagged subjects must be distinct"));
        }
        if self.attestations.iter().any(|a| self.schemas.iter().all(|s| s.id != a.schema)) {
            return Err(invalid("an attestation names an unknown schema"));
        }
        if let Some(schema) = self.params.ethical_schema
            && self.schemas.iter().all(|s| s.id != schema)
        {
            return Err(invalid("the ethical-sourcing schema is not registered"));
        }
        let open: Vec<_> = self
            .disputes
            .iter()
            .filter(|d| d.dispute.status == DisputeStatus::Open)
            .map(|d| d.dispute.subject)
            .collect();
        let mut sorted = open.clone();
        sorted.sort();
        if sorted.windows(2).any(|w| w[0] == w[1]) {
            return Err(invalid("a subject has two open disputes"));
        }
        self.escrows.retain(|e| !e.amount.is_zero());
        Ok(self)
    }
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &ComplianceGenesis) -> Result<(), StateError> {
    state::set_params(state, &genesis.params);
    for (kind, next) in KINDS.iter().zip(genesis.next_ids) {
        state::set_next_id(state, kind, next);
    }
    for schema in &genesis.schemas {
        state::put_schema(state, schema);
    }
    for attester in &genesis.attesters {
        state::set_attester(state, attester, true);
    }
    for attestation in &genesis.attestations {
        state::put_attestation(state, attestation);
    }
    for tag in &genesis.tags {
        state::set_tag(state, &tag.subject, Some(&tag.tag));
    }
    for dispute in &genesis.disputes {
        state::put_dispute(state, &dispute.dispute)?;
        for (arbiter, uphold) in &dispute.votes {
            state::set_vote(state, dispute.dispute.id, arbiter, *uphold);
        }
    }
    for escrow in &genesis.escrows {
        state::set_escrow(state, escrow.model, &escrow.denom, escrow.amount);
    }
    Ok(())
}

pub(crate) fn export(state: &impl StateRead) -> Result<ComplianceGenesis, StateError> {
    let mut next_ids = first_ids();
    for (slot, kind) in next_ids.iter_mut().zip(KINDS) {
        *slot = state::next_id(state, kind)?;
    }
    let mut disputes = Vec::new();
    for dispute in state::disputes(state)? {
        disputes.push(DisputeGenesis { votes: state::votes(state, dispute.id)?, dispute });
    }
    Ok(ComplianceGenesis {
        params: state::params(state)?,
        schemas: state::schemas(state)?,
        attesters: state::attesters(state)?,
        attestations: state::all_attestations(state)?,
        tags: state::tags(state)?.into_iter().map(|(subject, tag)| TagGenesis { subject, tag }).collect(),
        disputes,
        escrows: state::escrows(state)?
            .into_iter()
            .map(|(model, denom, amount)| EscrowGenesis { model, denom, amount })
            .collect(),
        next_ids,
    })
}
