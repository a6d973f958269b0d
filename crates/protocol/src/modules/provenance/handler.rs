//! Executes provenance messages: check everything, then write.

use atelier_state::StateWrite;

use super::{ProvenanceError, ProvenanceMsg, state};
use crate::{
    event::Event,
    modules::{Ctx, Failure, staking},
};

/// Runs `msg` in the block `ctx` describes, sent by `ctx.sender`.
pub(crate) fn handle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
    msg: &ProvenanceMsg,
) -> Result<(), Failure<ProvenanceError>> {
    let (height, sender) = (ctx.height, &ctx.sender);
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
