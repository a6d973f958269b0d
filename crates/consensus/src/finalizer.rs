//! [`Finalizer`]: where final blocks leave consensus and enter the chain.
//!
//! Marshal reports finalized blocks in height order, at least once (a restart delivers again what
//! was not acknowledged). Each is committed through the node — state, block and receipts in one
//! durable transaction — and only then acknowledged, so an acknowledged block survives any crash
//! and an unacknowledged one is delivered again. The node's commit is idempotent by height.

use std::sync::Arc;

use atelier_node::Node;
use commonware_consensus::{Heightable, marshal::Update};
use commonware_runtime::{Spawner, Supervisor};
use commonware_utils::Acknowledgement;
use futures::{StreamExt, channel::mpsc};

use crate::block::ChainBlock;

/// The marshal reporter: hands final blocks to the committing task, in order.
#[derive(Clone)]
pub struct Finalizer {
    blocks: mpsc::UnboundedSender<Update<ChainBlock>>,
}

impl Finalizer {
    /// Starts the task that commits final blocks into `node`. It stops the validator's chain (it
    /// stops acknowledging, so consensus moves on without this node) if a commit fails: a storage
    /// fault or a broken fault assumption, which must not be built upon.
    pub fn start<E: Spawner + Supervisor>(runtime: E, node: Arc<Node>) -> Finalizer {
        let (blocks, mut updates) = mpsc::unbounded::<Update<ChainBlock>>();
        runtime.spawn(move |runtime| async move {
            while let Some(update) = updates.next().await {
                let Update::Block(block, acknowledgement) = update else {
                    continue;
                };
                let committer = node.clone();
                let height = block.height().get();
                let committed = runtime
                    .child("commit")
                    .shared(true)
                    .spawn(move |_| async move { committer.finalize(block.inner().block()) })
                    .await;
                match committed {
                    Ok(Ok(_)) => acknowledgement.acknowledge(),
                    Ok(Err(error)) => {
                        tracing::error!(height, %error, "committing a final block failed; this validator stops");
                        node.halt(format!("committing block {height}: {error}"));
                        return;
                    }
                    Err(error) => {
                        tracing::error!(height, %error, "the commit task failed; this validator stops");
                        node.halt(format!("the commit task for block {height} failed: {error}"));
                        return;
                    }
                }
            }
        });
        Finalizer { blocks }
    }
}

impl commonware_consensus::Reporter for Finalizer {
    type Activity = Update<ChainBlock>;

    fn report(&mut self, activity: Self::Activity) -> commonware_actor::Feedback {
        match self.blocks.unbounded_send(activity) {
            Ok(()) => commonware_actor::Feedback::Ok,
            Err(_) => commonware_actor::Feedback::Closed,
        }
    }
}
