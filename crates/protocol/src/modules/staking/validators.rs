//! Proof-of-Creation validators: candidates, the weight that ranks them, and the set chosen for
//! each epoch (spec: README "Validators"). Everything here is pure; the state lives in `state.rs`.

use atelier_primitives::{Address, Amount, Bps, Decode, Encode, Hash, Layout, PublicKey};
use serde::{Deserialize, Serialize};

use super::params::{MAX_RATIO, Ratio};
use crate::block::Participation;

/// Longest p2p address of a candidate, in bytes.
pub const MAX_P2P_ADDR_BYTES: usize = 128;
/// Largest `max_validators`: a set signs every block, and certificates grow with it.
pub const MAX_VALIDATORS: u32 = 128;
const MAX_SET: usize = MAX_VALIDATORS as usize;
/// Largest `max_candidates`: the selection reads every candidate at one block.
pub const MAX_CANDIDATES: u32 = 1_024;

/// How validators are chosen and punished (spec: README "Validators").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ValidatorParams {
    /// Most validators in an epoch's set.
    pub max_validators: u32,
    /// Most registered candidates.
    pub max_candidates: u32,
    /// Least stake a candidate must have bonded to register and to be chosen (each candidate
    /// may ask more of itself).
    pub min_self_stake: Amount,
    /// Stake one unit of reputation can back, per ten thousand: a candidate's weight is
    /// `min(bonded, reputation × reputation_backing / 10 000)`.
    pub reputation_backing: Ratio,
    /// The next epoch's set is chosen this many blocks before the epoch's last block (at the
    /// epoch's first block if epochs are shorter).
    pub selection_lead_blocks: u64,
    /// Epochs a validator sits out after it is jailed, besides the rest of the current one.
    pub jail_epochs: u64,
    /// Epochs back whose equivocation evidence is still slashed; unbonding must outlast them.
    pub evidence_epochs: u64,
    /// A validator missing from more than this share of an epoch's counted views is jailed at
    /// the epoch's end.
    pub max_missed_share: Bps,
    /// Fewest views an epoch must have counted before anyone is jailed for missing them.
    pub min_recorded_views: u32,
}

impl Default for ValidatorParams {
    /// Up to 16 validators of 256 candidates, each with at least 100 GDC bonded; one unit of
    /// reputation backs ten of stake; the set chosen 10 blocks before the epoch ends; jailed for
    /// two epochs; evidence slashed for one epoch after the one it happened in; jailed for
    /// missing more than half of an epoch's views once 50 were counted.
    fn default() -> Self {
        ValidatorParams {
            max_validators: 16,
            max_candidates: 256,
            min_self_stake: Amount::new(100_000_000),
            reputation_backing: 100_000,
            selection_lead_blocks: 10,
            jail_epochs: 2,
            evidence_epochs: 1,
            max_missed_share: Bps::new(5_000).unwrap_or(Bps::ONE),
            min_recorded_views: 50,
        }
    }
}

impl ValidatorParams {
    /// Why the params cannot work with epochs of `epoch_blocks` and unbonding of
    /// `unbonding_blocks`, if they cannot.
    pub fn problem(&self, epoch_blocks: u64, unbonding_blocks: u64) -> Option<String> {
        if self.max_validators == 0 || self.max_validators > MAX_VALIDATORS {
            return Some(format!("validators.max_validators must be between 1 and {MAX_VALIDATORS}"));
        }
        if self.max_candidates < self.max_validators || self.max_candidates > MAX_CANDIDATES {
            return Some(format!(
                "validators.max_candidates must be between max_validators and {MAX_CANDIDATES}"
            ));
        }
        if self.reputation_backing == 0 || self.reputation_backing > MAX_RATIO {
            return Some(format!("validators.reputation_backing must be between 1 and {MAX_RATIO}"));
        }
        let window = epoch_blocks.saturating_mul(self.evidence_epochs.saturating_add(1));
        if unbonding_blocks <= window {
            return Some(format!(
                "unbonding_blocks must exceed an epoch plus the evidence window ({window} blocks), \
                 or a validator could withdraw before its equivocation is slashed"
            ));
        }
        None
    }
}

/// A registered validator candidate. Its account is the operator's; its consensus key signs
/// votes, and may differ from the account's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// The account that registered, whose stake and reputation count.
    pub operator: Address,
    /// The ed25519 key its consensus votes are signed with.
    pub consensus_key: PublicKey,
    /// Where its peers reach it, `host:port`.
    #[codec(max = MAX_P2P_ADDR_BYTES)]
    pub p2p_addr: String,
    /// Least stake it keeps bonded; below it, it is not chosen.
    pub min_self_stake: Amount,
}

/// A member of an epoch's validator set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Validator {
    /// Its operator's account: paid its tips, slashed for its faults.
    pub operator: Address,
    /// Its consensus key.
    pub consensus_key: PublicKey,
    /// Where its peers reach it.
    #[codec(max = MAX_P2P_ADDR_BYTES)]
    pub p2p_addr: String,
    /// Its Proof-of-Creation weight when it was chosen.
    pub weight: Amount,
}

/// The validators of one epoch, sorted by consensus key (the order the consensus engine numbers
/// them in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ValidatorSet {
    /// The epoch it signs.
    pub epoch: u64,
    /// Its validators.
    #[codec(max = MAX_SET)]
    pub validators: Vec<Validator>,
}

impl ValidatorSet {
    /// Its hash: what the header of the block before the epoch commits to.
    pub fn hash(&self) -> Hash {
        Hash::digest("atelier/validators", &[&self.to_bytes()])
    }

    /// The member with `key`.
    pub fn member(&self, key: &PublicKey) -> Option<&Validator> {
        self.validators.iter().find(|v| &v.consensus_key == key)
    }

    /// Sum of its members' weights.
    pub fn total_weight(&self) -> Amount {
        Amount::new(self.validators.iter().fold(0u128, |sum, v| sum.saturating_add(v.weight.get())))
    }
}

/// The fewest of `validators` whose votes make a certificate: all but the `⌊(n − 1) / 3⌋` faults
/// a set of `n` tolerates (the consensus engine's rule).
pub fn quorum(validators: usize) -> usize {
    validators - validators.saturating_sub(1) / 3
}

/// The views counted in one epoch and how many of them each validator was missing from (spec:
/// README "Liveness").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode, Layout)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Liveness {
    /// The epoch.
    pub epoch: u64,
    /// The last view counted; a block's record must name a later one.
    pub last_view: u64,
    /// Views counted.
    pub views: u32,
    /// Views each validator of the epoch's set was missing from, in the set's order.
    #[codec(max = MAX_SET)]
    pub missed: Vec<u32>,
}

impl Liveness {
    /// Nothing counted yet in `set`'s epoch.
    pub fn new(set: &ValidatorSet) -> Self {
        Liveness { epoch: set.epoch, last_view: 0, views: 0, missed: vec![0; set.validators.len()] }
    }

    /// Why `record` cannot be counted in `set`'s epoch after what `self` counted, if it cannot:
    /// it must name the epoch and a later view, and a quorum of the set's members, sorted.
    pub fn problem(&self, set: &ValidatorSet, record: &Participation) -> Option<&'static str> {
        if record.epoch != set.epoch {
            return Some("it names another epoch than its block's");
        }
        if record.view <= self.last_view {
            return Some("its view was counted already, or a later one was");
        }
        if !record.signers.windows(2).all(|w| w[0] < w[1]) {
            return Some("its signers are not sorted and distinct");
        }
        if record.signers.iter().any(|key| set.member(key).is_none()) {
            return Some("a signer is not in the epoch's set");
        }
        if record.signers.len() < quorum(set.validators.len()) {
            return Some("it names fewer signers than a quorum");
        }
        None
    }

    /// Counts `record`, which [`Liveness::problem`] found nothing wrong with: one more view, and
    /// one more missed for every member of `set` it does not name.
    pub fn count(&mut self, set: &ValidatorSet, record: &Participation) {
        self.last_view = record.view;
        self.views = self.views.saturating_add(1);
        for (missed, validator) in self.missed.iter_mut().zip(&set.validators) {
            if record.signers.binary_search(&validator.consensus_key).is_err() {
                *missed = missed.saturating_add(1);
            }
        }
    }

    /// Positions in the set of the validators who missed more than `max_missed_share` of the
    /// views, once at least `min_recorded_views` were counted.
    pub fn absentees(&self, params: &ValidatorParams) -> Vec<usize> {
        if self.views < params.min_recorded_views.max(1) {
            return Vec::new();
        }
        let allowed = u128::from(self.views) * u128::from(params.max_missed_share.get());
        (0..self.missed.len()).filter(|&i| u128::from(self.missed[i]) * 10_000 > allowed).collect()
    }
}

/// The height at which the set of `epoch + 1` is chosen: `selection_lead_blocks` before the last
/// block of `epoch`, or its first block if epochs are shorter.
pub fn selection_height(epoch_blocks: u64, params: &ValidatorParams, epoch: u64) -> u64 {
    let epoch_blocks = epoch_blocks.max(1);
    let first = epoch.saturating_mul(epoch_blocks);
    first.saturating_add(epoch_blocks - 1 - params.selection_lead_blocks.min(epoch_blocks - 1))
}

/// A candidate's Proof-of-Creation weight: its bonded stake, as far as its reputation backs it.
///
/// `min(bonded, ⌊reputation × backing / 10 000⌋)`. Stake alone weighs nothing: a fresh account
/// that buys stake has no reputation, and so no weight, until it has held stake or created
/// value through whole epochs. The function is superadditive — the weight of two accounts is at
/// most the weight of their sum — so splitting stake and reputation across accounts never adds
/// weight; each part must also clear the cut-off of the set on its own.
pub fn weight(bonded: Amount, reputation: u128, backing: Ratio) -> Amount {
    let backed = reputation.saturating_mul(u128::from(backing)) / 10_000;
    Amount::new(bonded.get().min(backed))
}

/// A candidate as the selection sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// The candidate.
    pub candidate: Candidate,
    /// Its operator's bonded stake.
    pub bonded: Amount,
    /// Its operator's reputation.
    pub reputation: u128,
    /// The first epoch it may sit in again, if it was jailed.
    pub jailed_until: Option<u64>,
}

impl Standing {
    /// Its weight in `epoch` if it is eligible for it: not jailed for `epoch`, bonded at least its
    /// own and the chain's minimum self-stake, of positive weight.
    pub fn eligible_weight(&self, params: &ValidatorParams, epoch: u64) -> Option<Amount> {
        let free = self.jailed_until.is_none_or(|until| epoch >= until);
        let staked = self.bonded >= self.candidate.min_self_stake.max(params.min_self_stake);
        let weight = weight(self.bonded, self.reputation, params.reputation_backing);
        (free && staked && !weight.is_zero()).then_some(weight)
    }
}

/// The set for `epoch`: the eligible candidates — not jailed for `epoch`, bonded at least their
/// own and the chain's minimum self-stake, of positive weight — heaviest first (ties by consensus
/// key), at most `max_validators`, then sorted by consensus key. Deterministic and independent of
/// the order `standings` come in.
pub fn select(params: &ValidatorParams, epoch: u64, standings: &[Standing]) -> ValidatorSet {
    let mut eligible: Vec<Validator> = standings
        .iter()
        .filter_map(|s| {
            Some(Validator {
                operator: s.candidate.operator,
                consensus_key: s.candidate.consensus_key,
                p2p_addr: s.candidate.p2p_addr.clone(),
                weight: s.eligible_weight(params, epoch)?,
            })
        })
        .collect();
    eligible.sort_by(|a, b| b.weight.cmp(&a.weight).then(a.consensus_key.cmp(&b.consensus_key)));
    // Two candidates with one key (not possible on chain: a key belongs to one operator) would
    // both be chosen; the first by weight is kept.
    let mut chosen: Vec<Validator> = Vec::new();
    for validator in eligible {
        if chosen.len() == params.max_validators as usize {
            break;
        }
        if !chosen.iter().any(|c| c.consensus_key == validator.consensus_key) {
            chosen.push(validator);
        }
    }
    chosen.sort_by_key(|v| v.consensus_key);
    ValidatorSet { epoch, validators: chosen }
}

/// Why a p2p address is refused: it must be `host:port`, printable ASCII, with a port from 1.
pub fn p2p_addr_problem(addr: &str) -> Option<&'static str> {
    if addr.is_empty() || addr.len() > MAX_P2P_ADDR_BYTES {
        return Some("must be 1 to 128 bytes");
    }
    if !addr.bytes().all(|b| b.is_ascii_graphic()) {
        return Some("must be printable ASCII without spaces");
    }
    let Some((host, port)) = addr.rsplit_once(':') else {
        return Some("must be host:port");
    };
    if host.is_empty() || port.parse::<u16>().map_or(true, |p| p == 0) {
        return Some("must be host:port with a port from 1 to 65535");
    }
    None
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn candidate(n: u8, min_self_stake: u128) -> Candidate {
        Candidate {
            operator: Address([n; 20]),
            consensus_key: PublicKey::from_array([n; 32]),
            p2p_addr: format!("10.0.0.{n}:26700"),
            min_self_stake: Amount::new(min_self_stake),
        }
    }

    fn standing(n: u8, bonded: u128, reputation: u128, jailed_until: Option<u64>) -> Standing {
        Standing { candidate: candidate(n, 0), bonded: Amount::new(bonded), reputation, jailed_until }
    }

    fn params(max_validators: u32) -> ValidatorParams {
        ValidatorParams { max_validators, min_self_stake: Amount::new(1_000), ..ValidatorParams::default() }
    }

    fn standings() -> impl Strategy<Value = Vec<Standing>> {
        proptest::collection::vec((0u128..10_000_000, 0u128..2_000_000, proptest::option::of(0u64..6)), 0..24)
            .prop_map(|entries| {
                entries
                    .into_iter()
                    .enumerate()
                    .map(|(i, (bonded, reputation, jailed))| standing(i as u8, bonded, reputation, jailed))
                    .collect()
            })
    }

    #[test]
    fn the_weight_is_stake_as_far_as_reputation_backs_it() {
        let backing = 100_000; // one unit of reputation backs ten of stake
        assert_eq!(weight(Amount::new(1_000), 0, backing), Amount::ZERO, "no reputation, no weight");
        assert_eq!(weight(Amount::new(1_000), 50, backing), Amount::new(500));
        assert_eq!(weight(Amount::new(1_000), 5_000, backing), Amount::new(1_000), "capped at the stake");
        assert_eq!(weight(Amount::ZERO, 5_000, backing), Amount::ZERO, "reputation alone weighs nothing");
        assert_eq!(weight(Amount::MAX, u128::MAX, MAX_RATIO), Amount::new(u128::MAX / 10_000), "saturates");
    }

    #[test]
    fn a_p2p_address_is_host_and_port() {
        for good in ["127.0.0.1:26700", "validator-1.example.org:1", "[::1]:26700"] {
            assert_eq!(p2p_addr_problem(good), None, "{good}");
        }
        for bad in ["", "127.0.0.1", "host:0", "host:65536", ":26700", "a b:1", &"x".repeat(200)] {
            assert!(p2p_addr_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn a_jailed_or_understaked_candidate_is_not_chosen() {
        let mut asks_more = standing(3, 5_000, 1_000, None);
        asks_more.candidate.min_self_stake = Amount::new(6_000);
        let all = vec![
            standing(1, 5_000, 1_000, Some(3)),
            standing(2, 999, 1_000, None),
            asks_more,
            standing(4, 5_000, 1_000, Some(2)),
        ];
        let set = select(&params(8), 2, &all);
        let chosen: Vec<Address> = set.validators.iter().map(|v| v.operator).collect();
        assert_eq!(chosen, vec![Address([4; 20])], "jailed until 3, below the chain's and its own minimum");
    }

    proptest! {
        /// The set is the heaviest eligible candidates, sorted by key, the same whatever order the
        /// candidates come in.
        #[test]
        fn the_selection_is_deterministic_sorted_bounded_and_order_independent(
            all in standings(),
            max in 1u32..8,
            epoch in 0u64..6,
            rotation in 0usize..24,
        ) {
            let params = params(max);
            let set = select(&params, epoch, &all);
            let mut shuffled = all.clone();
            shuffled.reverse();
            let len = shuffled.len().max(1);
            shuffled.rotate_left(rotation % len);
            prop_assert_eq!(&select(&params, epoch, &shuffled), &set);
            prop_assert!(set.validators.len() <= max as usize);
            prop_assert!(set.validators.windows(2).all(|w| w[0].consensus_key < w[1].consensus_key));
            let lightest_in = set.validators.iter().map(|v| v.weight).min();
            for s in &all {
                let w = weight(s.bonded, s.reputation, params.reputation_backing);
                let eligible = s.jailed_until.is_none_or(|u| epoch >= u)
                    && s.bonded >= params.min_self_stake
                    && !w.is_zero();
                let chosen = set.member(&s.candidate.consensus_key).is_some();
                prop_assert!(!chosen || eligible, "an ineligible candidate was chosen");
                // Every eligible candidate left out weighs no more than the lightest chosen.
                if eligible && !chosen {
                    prop_assert_eq!(set.validators.len(), max as usize);
                    prop_assert!(Some(w) <= lightest_in);
                }
            }
        }

        /// Splitting stake and reputation across two accounts never weighs more than keeping them
        /// in one.
        #[test]
        fn splitting_stake_across_accounts_never_gains_weight(
            stake in 0u128..1_000_000_000_000,
            reputation in 0u128..1_000_000_000_000,
            stake_part in 0u128..=10_000,
            reputation_part in 0u128..=10_000,
            backing in 1u32..=MAX_RATIO,
        ) {
            let (s1, r1) = (stake * stake_part / 10_000, reputation * reputation_part / 10_000);
            let whole = weight(Amount::new(stake), reputation, backing).get();
            let parts = weight(Amount::new(s1), r1, backing).get()
                + weight(Amount::new(stake - s1), reputation - r1, backing).get();
            prop_assert!(parts <= whole, "{} split weighs {} > {}", stake, parts, whole);
        }

        /// A seat bought with stake alone — no reputation yet — loses to an established creator
        /// with the same stake, however much stake is bought.
        #[test]
        fn a_bought_seat_without_reputation_loses_to_an_established_creator(
            stake in 1_000u128..1_000_000_000_000,
            bought in 1u128..1_000,
            reputation in 1u128..1_000_000,
        ) {
            let all = vec![
                standing(1, stake.saturating_mul(bought), 0, None),
                standing(2, stake, reputation, None),
            ];
            let set = select(&params(1), 1, &all);
            prop_assert_eq!(set.validators.len(), 1);
            prop_assert_eq!(set.validators[0].operator, Address([2; 20]));
        }

        /// Each counted view adds one to the views and one to every member it leaves out; a
        /// validator is an absentee exactly when it missed more than the allowed share of at least
        /// the fewest views that count.
        #[test]
        fn liveness_counts_every_absence_once_and_jails_only_above_the_share(
            records in proptest::collection::vec(proptest::collection::vec(any::<bool>(), 7), 0..40),
            share in 0u32..=10_000,
            min_views in 0u32..20,
        ) {
            let all: Vec<Standing> = (1..=7).map(|n| standing(n, 5_000, 1_000, None)).collect();
            let set = select(&params(7), 0, &all);
            let mut liveness = Liveness::new(&set);
            let mut expected = [0u32; 7];
            for (view, present) in records.iter().enumerate() {
                let signers: Vec<PublicKey> =
                    set.validators.iter().zip(present).filter(|(_, p)| **p).map(|(v, _)| v.consensus_key).collect();
                let record = Participation { epoch: 0, view: view as u64 + 1, signers, proof: Vec::new() };
                if record.signers.len() < quorum(7) {
                    prop_assert_eq!(liveness.problem(&set, &record), Some("it names fewer signers than a quorum"));
                    continue;
                }
                prop_assert_eq!(liveness.problem(&set, &record), None);
                liveness.count(&set, &record);
                prop_assert_eq!(liveness.problem(&set, &record), Some("its view was counted already, or a later one was"));
                for (i, p) in present.iter().enumerate() {
                    expected[i] += u32::from(!p);
                }
            }
            prop_assert_eq!(&liveness.missed, &expected.to_vec());
            let params = ValidatorParams {
                max_missed_share: Bps::new(share).unwrap(),
                min_recorded_views: min_views,
                ..params(7)
            };
            let absentees = liveness.absentees(&params);
            for (i, missed) in expected.iter().enumerate() {
                let over = u64::from(*missed) * 10_000 > u64::from(liveness.views) * u64::from(share);
                let counts = liveness.views >= min_views.max(1);
                prop_assert_eq!(absentees.contains(&i), over && counts, "validator {} missed {}", i, missed);
            }
        }
    }

    #[test]
    fn missing_exactly_the_allowed_share_is_not_jailed_and_one_view_more_is() {
        let half = ValidatorParams { min_recorded_views: 4, ..params(4) };
        let liveness = Liveness { epoch: 0, last_view: 9, views: 10, missed: vec![0, 5, 6, 10] };
        assert_eq!(liveness.absentees(&half), vec![2, 3]);
        let too_few = Liveness { views: 3, missed: vec![0, 3, 3, 3], ..liveness };
        assert!(too_few.absentees(&half).is_empty(), "three views are fewer than the four that count");
        assert_eq!((quorum(1), quorum(3), quorum(4), quorum(7), quorum(16)), (1, 3, 3, 5, 11));
    }
}
