//! Liveness evidence: who voted in each view, so that the chain can jail validators that stop
//! voting (spec: staking README "Liveness").
//!
//! Every epoch's [`crate::evidence::Evidence`] reporter hands the finalize votes it sees to one
//! [`VoteLog`]. A leader of view `v` puts in its block a [`Participation`] record of view `v − 2`:
//! the validators whose finalize vote for that view it holds, proven by a finalization certificate
//! assembled from all of those votes (not only a quorum's). Every validator checks the record
//! before it votes for the block ([`check`]); the protocol counts who was missing.
//!
//! Two views back leaves a vote a round trip longer to arrive than finalization needed. A leader
//! can leave a validator out of its record, but not put in one that did not vote; the chain jails
//! only a validator missing from more than a share of an epoch's records, which leaders of one
//! validator's making cannot reach alone.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

use atelier_protocol::Participation;
use commonware_codec::{Decode, Encode};
use commonware_consensus::{
    Epochable, Viewable,
    simplex::{
        scheme::ed25519::Scheme,
        types::{Finalization, Finalize},
    },
};
use commonware_cryptography::{certificate::Verifier as _, sha256::Digest};
use commonware_parallel::Sequential;
use commonware_utils::iter::NonEmpty;

use crate::epochs::{EpochProvider, EpochSet, chain_key};

/// How many views back a leader reports.
pub const REPORT_LAG: u64 = 2;
/// Most views whose votes the log keeps: the newest, across epochs.
const KEPT_VIEWS: usize = 16;

type Vote = Finalize<Scheme, Digest>;
type Votes = BTreeMap<u32, Vote>;

/// The finalize votes this validator saw in the last 16 views, by signer.
#[derive(Clone, Default)]
pub struct VoteLog {
    views: Arc<Mutex<BTreeMap<(u64, u64), Votes>>>,
}

impl VoteLog {
    /// Remembers `vote`, seen in `epoch` (not verified yet: the record is checked when it is built).
    pub fn record(&self, epoch: u64, vote: Vote) {
        let mut views = self.views.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let key = (epoch, vote.view().get());
        if views.len() == KEPT_VIEWS && !views.contains_key(&key) {
            if views.first_key_value().is_some_and(|(oldest, _)| *oldest > key) {
                return;
            }
            views.pop_first();
        }
        views.entry(key).or_default().insert(vote.attestation.signer.get(), vote);
    }

    /// The record of who voted in `view` of `set`'s `epoch`: the signers of the proposal most of
    /// the votes seen are for, each vote verified, if they are at least a quorum.
    pub fn participation(
        &self,
        rng: &mut impl commonware_rand::CryptoRng,
        set: &EpochSet,
        epoch: u64,
        view: u64,
    ) -> Option<Participation> {
        let votes: Vec<Vote> = {
            let views = self.views.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            views.get(&(epoch, view))?.values().cloned().collect()
        };
        let mut by_proposal: BTreeMap<Vec<u8>, Vec<Vote>> = BTreeMap::new();
        for vote in votes {
            by_proposal.entry(vote.proposal.encode().to_vec()).or_default().push(vote);
        }
        let mut votes = by_proposal.into_values().max_by_key(Vec::len)?;
        let scheme = set.scheme.as_ref();
        let assembled = |votes: &[Vote]| {
            Finalization::from_finalizes(scheme, NonEmpty::try_new(votes.iter())?, &Sequential).ok()
        };
        let mut certificate = assembled(&votes)?;
        if !certificate.verify(rng, scheme, &Sequential) {
            votes.retain(|vote| vote.verify(rng, scheme, &Sequential));
            certificate = assembled(&votes)?;
        }
        let signers = certificate
            .certificate
            .signers
            .iter()
            .map(|signer| set.participants.get(signer.get() as usize).map(chain_key))
            .collect::<Option<Vec<_>>>()?;
        Some(Participation { epoch, view, signers, proof: certificate.encode().to_vec() })
    }
}

/// Why a participation record is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadParticipation {
    /// The chain keeps no validator set for the epoch the record names.
    #[error("no validator set is kept for epoch {0}")]
    UnknownEpoch(u64),
    /// The record is not of the block's epoch, or not at least [`REPORT_LAG`] views behind it.
    #[error("the record is not of a view at least {REPORT_LAG} behind the block's, in its epoch")]
    WrongView,
    /// The proof does not decode as a finalization certificate.
    #[error("the proof is not a finalization certificate")]
    Undecodable,
    /// The certificate is of another epoch or view, or signed by others than the record names.
    #[error("the certificate's epoch, view or signers are not the record's")]
    Mismatch,
    /// A signature of the certificate does not verify.
    #[error("a signature of the certificate does not verify")]
    BadSignature,
}

/// Whether `record`, carried by a block of `epoch` and `view`, proves what it says: a
/// finalization certificate of its epoch and view, at least [`REPORT_LAG`] views behind the
/// block, signed by exactly the validators it names.
pub fn check(
    sets: &EpochProvider,
    rng: &mut impl commonware_rand::CryptoRng,
    record: &Participation,
    epoch: u64,
    view: u64,
) -> Result<(), BadParticipation> {
    if record.epoch != epoch || record.view.saturating_add(REPORT_LAG) > view {
        return Err(BadParticipation::WrongView);
    }
    let set = sets.epoch(record.epoch).ok_or(BadParticipation::UnknownEpoch(record.epoch))?;
    let scheme = set.scheme.as_ref();
    let certificate = Finalization::<Scheme, Digest>::decode_cfg(
        bytes::Bytes::copy_from_slice(&record.proof),
        &scheme.certificate_codec_config(),
    )
    .map_err(|_| BadParticipation::Undecodable)?;
    let signers = certificate
        .certificate
        .signers
        .iter()
        .map(|signer| set.participants.get(signer.get() as usize).map(chain_key))
        .collect::<Option<Vec<_>>>();
    if certificate.epoch().get() != record.epoch
        || certificate.view().get() != record.view
        || signers.as_ref() != Some(&record.signers)
    {
        return Err(BadParticipation::Mismatch);
    }
    if !certificate.verify(rng, scheme, &Sequential) {
        return Err(BadParticipation::BadSignature);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use commonware_consensus::{
        simplex::{
            scheme::ed25519::Scheme,
            types::{Finalize, Proposal},
        },
        types::{Epoch, Round, View},
    };
    use commonware_cryptography::{Hasher, Sha256};

    use super::{BadParticipation, VoteLog, check};
    use crate::{
        engine::NAMESPACE,
        epochs::{EpochProvider, EpochSet, chain_key},
        testing::{key_at, node, participants, provider},
    };

    /// Validator `signer`'s finalize vote for `payload` in `view` of epoch 0.
    fn finalize(
        signer: usize,
        view: u64,
        payload: &[u8],
    ) -> Finalize<Scheme, commonware_cryptography::sha256::Digest> {
        let scheme = Scheme::signer(NAMESPACE, participants(), key_at(signer)).unwrap();
        let proposal = Proposal::new(
            Round::new(Epoch::new(0), View::new(view)),
            View::new(view - 1),
            Sha256::hash(&[payload]),
        );
        Finalize::sign(&scheme, proposal).unwrap()
    }

    /// A chain with the four validators, its sets as validator 0 sees them, and an empty log.
    struct Fixture {
        _dir: tempfile::TempDir,
        sets: EpochProvider,
        set: EpochSet,
        rng: commonware_utils::TestRng,
        log: VoteLog,
    }

    fn fixture() -> Fixture {
        let _dir = tempfile::tempdir().unwrap();
        let sets = provider(node(_dir.path()));
        let set = sets.epoch(0).unwrap();
        Fixture { _dir, sets, set, rng: commonware_utils::test_rng(), log: VoteLog::default() }
    }

    #[test]
    fn a_record_names_every_validator_whose_vote_was_seen_and_the_check_accepts_only_it() {
        let Fixture { _dir, sets, set, mut rng, log } = fixture();
        for signer in [0, 1, 3] {
            log.record(0, finalize(signer, 7, b"the block"));
        }
        log.record(0, finalize(2, 7, b"another block"));
        log.record(0, finalize(2, 8, b"the next block"));

        let record = log.participation(&mut rng, &set, 0, 7).expect("a quorum voted");
        let named: Vec<_> = [0, 1, 3].iter().map(|i| chain_key(&participants()[*i])).collect();
        assert_eq!(record.signers, named, "the signers of the proposal most votes are for, sorted");
        assert_eq!(check(&sets, &mut rng, &record, 0, 9), Ok(()));
        assert_eq!(check(&sets, &mut rng, &record, 0, 8), Err(BadParticipation::WrongView), "too recent");
        assert_eq!(check(&sets, &mut rng, &record, 1, 9), Err(BadParticipation::WrongView), "another epoch");
        assert_eq!(log.participation(&mut rng, &set, 0, 8), None, "one vote is no quorum");

        let mut fewer = record.clone();
        fewer.signers.remove(0);
        assert_eq!(
            check(&sets, &mut rng, &fewer, 0, 9),
            Err(BadParticipation::Mismatch),
            "a signer left out"
        );
        let mut elsewhere = record.clone();
        elsewhere.view = 6;
        assert_eq!(check(&sets, &mut rng, &elsewhere, 0, 9), Err(BadParticipation::Mismatch), "another view");
        let mut forged = record.clone();
        let last = forged.proof.len() - 1;
        forged.proof[last] ^= 1;
        assert_eq!(check(&sets, &mut rng, &forged, 0, 9), Err(BadParticipation::BadSignature));
        let truncated =
            atelier_protocol::Participation { proof: record.proof[..20].to_vec(), ..record.clone() };
        assert_eq!(check(&sets, &mut rng, &truncated, 0, 9), Err(BadParticipation::Undecodable));
        let unknown = atelier_protocol::Participation { epoch: 5, ..record };
        assert_eq!(check(&sets, &mut rng, &unknown, 5, 9), Err(BadParticipation::UnknownEpoch(5)));
    }

    #[test]
    fn a_vote_with_a_bad_signature_is_left_out_of_the_record() {
        let Fixture { _dir, sets, set, mut rng, log } = fixture();
        for signer in [0, 1, 2] {
            log.record(0, finalize(signer, 3, b"the block"));
        }
        let mut forged = finalize(3, 3, b"the block");
        forged.attestation.signature = finalize(0, 3, b"the block").attestation.signature;
        log.record(0, forged);
        let record = log.participation(&mut rng, &set, 0, 3).expect("three good votes");
        assert_eq!(record.signers.len(), 3, "the forged vote is dropped");
        assert_eq!(check(&sets, &mut rng, &record, 0, 5), Ok(()));
    }

    #[test]
    fn the_log_keeps_only_the_newest_views() {
        let Fixture { _dir, set, mut rng, log, .. } = fixture();
        for view in 1..=40 {
            for signer in 0..4 {
                log.record(0, finalize(signer, view, b"a block"));
            }
        }
        assert_eq!(log.participation(&mut rng, &set, 0, 24), None, "forgotten");
        assert!(log.participation(&mut rng, &set, 0, 25).is_some(), "the newest sixteen are kept");
        log.record(0, finalize(0, 2, b"a late vote"));
        assert_eq!(log.participation(&mut rng, &set, 0, 2), None, "a vote older than all kept is not");
    }
}
