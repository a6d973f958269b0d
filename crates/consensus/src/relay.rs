//! Transactions reach the leader: each validator relays what its clients submitted to every peer,
//! on a channel of its own, and admits what peers relay with the same checks as a client
//! submission (signatures included). A relayed transaction is not relayed again: validators are
//! fully connected, so one hop reaches every one.

use std::sync::Arc;

use atelier_node::{Node, Origin};
use atelier_primitives::codec::{Reader, encode_slice};
use atelier_protocol::SignedTx;
use commonware_cryptography::ed25519;
use commonware_macros::select;
use commonware_p2p::{Receiver, Recipients, Sender};
use commonware_runtime::{Handle, Spawner, Supervisor};
use tokio::sync::broadcast::error::RecvError;

/// Most transactions in one relayed message; larger batches go as several.
pub const MAX_RELAY_TXS: usize = 1_024;

/// Starts relaying between `node` and its peers on `channel`; runs until the runtime stops.
pub fn start<E, S, R>(runtime: E, node: Arc<Node>, channel: (S, R)) -> Handle<()>
where
    E: Spawner + Supervisor,
    S: Sender<PublicKey = ed25519::PublicKey>,
    R: Receiver<PublicKey = ed25519::PublicKey>,
{
    runtime.spawn(move |runtime| async move {
        let (mut sender, mut receiver) = channel;
        let mut admitted = node.subscribe_admitted();
        loop {
            select! {
                batch = admitted.recv() => match batch {
                    Ok(batch) => {
                        for chunk in batch.chunks(MAX_RELAY_TXS) {
                            let mut message = Vec::new();
                            encode_slice(chunk, &mut message);
                            sender.send(Recipients::All, message, false);
                        }
                    }
                    // Lost batches stay in this mempool, for this validator's own proposals.
                    Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return,
                },
                message = receiver.recv() => {
                    let Ok((peer, bytes)) = message else { return };
                    let txs = match decode(bytes.as_ref()) {
                        Ok(txs) => txs,
                        Err(error) => {
                            tracing::debug!(?peer, %error, "peer relayed undecodable transactions");
                            continue;
                        }
                    };
                    let admitting = node.clone();
                    // One relayed batch at a time: a flooding peer slows only its own relay.
                    // Refusals (already known, already included, invalid) need no answer.
                    let admitted = runtime.child("admit").shared(true).spawn(move |_| async move {
                        admitting.submit_batch(txs, Origin::Peer);
                    });
                    if admitted.await.is_err() {
                        return;
                    }
                },
            }
        }
    })
}

fn decode(bytes: &[u8]) -> Result<Vec<SignedTx>, atelier_primitives::DecodeError> {
    let mut reader = Reader::new(bytes);
    let txs = reader.vec("relayed transactions", MAX_RELAY_TXS)?;
    reader.finish()?;
    Ok(txs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use atelier_testkit::{GenesisBuilder, TestChain, dev_address, dev_key};

    #[test]
    fn a_relayed_batch_decodes_to_the_same_transactions_and_junk_is_refused() {
        let factory = TestChain::new(GenesisBuilder::new().build()).factory();
        let txs: Vec<SignedTx> = (0..3)
            .map(|i| factory.transfer(&dev_key(i), 0, dev_address(9), atelier_primitives::Amount::new(1)))
            .collect();
        let mut message = Vec::new();
        encode_slice(&txs, &mut message);
        assert_eq!(decode(&message).unwrap(), txs);
        assert!(decode(&message[..message.len() - 1]).is_err());
        assert!(decode(&[0xff; 16]).is_err());
    }
}
