//! Executes provenance messages: check everything, then write.

use atelier_primitives::Address;
use atelier_state::StateWrite;

use super::{ProvenanceError, ProvenanceMsg, state};
use crate::{
    event::Event,
    modules::{Failure, staking},
};

/// Runs `msg` sent by `sender` at `height`.
pub(crate) fn handle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    height: atelier_primitives::Height,
    sender: &Address,
    msg: &ProvenanceMsg,
) -> Result<(), Failure<ProvenanceError>> {
    match msg {
        ProvenanceMsg::RegisterDerivative { parents, output_hash, prompt_hash, source_type, policy } => {
            if parents.is_empty() {
                return Err(Failure::Rule(ProvenanceError::InvalidParents {
                    reason: "a derivative names at least one parent".into(),
                }));
            }
            let lineage = state::lineage(state, parents, policy)?;
            let origin = staking::Origin { payer: *sender, height };
            state::pay_license_fees(state, events, &origin, &lineage)?;
            // Point of no return.
            let mint = state::Mint {
                owner: *sender,
                model: None,
                datasets: Vec::new(),
                job: None,
                output_hash: *output_hash,
                prompt_hash: *prompt_hash,
                policy: *policy,
                source_type: *source_type,
                height,
            };
            state::mint(state, events, mint, lineage)?.ok_or(Failure::Rule(ProvenanceError::IdsExhausted))?;
            Ok(())
        }
    }
}
