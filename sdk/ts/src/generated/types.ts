// Written by the chain's tests (crates/protocol/tests/sdk_vectors.rs): do not edit.

/** A number the chain holds in 64 bits: a `bigint` past 2^53. */
export type U64 = number | bigint;

export type Action =
  | { set_params: ParamsChange }
  | { treasury_spend: { to: string; denom: string; amount: string } }
  | { start_grant: { recipient: string; denom: string; per_block: string; blocks: U64 } }
  | { stop_grant: { grant: U64 } }
  | { register_cluster: { operator: string; slots_per_epoch: number; price_per_slot: string } }
  | { recover_reputation: { lost: string; to: string } }
  | { register_schema: { name: string; fields: FieldName[]; revocable: boolean } }
  | { set_attester: { attester: string; approved: boolean } }
  | { clear_tag: { subject: Subject } }
  | { release_escrow: { model: ModelId; to: string } };

export type AmmMsg =
  | { type: "add_liquidity"; max_gdc: string; max_usd: string; min_lp: string }
  | { type: "remove_liquidity"; lp: string; min_gdc: string; min_usd: string }
  | { type: "swap"; side: Side; amount_in: string; min_out: string };

export interface AmmParams {
  max_orders_per_block: number;
}

export type AssetId = U64;

export type AttestationId = U64;

export type BankMsg =
  | { type: "transfer"; to: string; denom: string; amount: string }
  | { type: "mint_stable"; to: string; amount: string }
  | { type: "burn_stable"; amount: string };

export type Choice =
  | "for"
  | "against"
  | "abstain";

export interface ClassCapacity {
  class: string;
  units: U64;
}

export interface ClassParams {
  name: string;
  target_utilisation: number;
  min_base_fee: string;
  base_fee_change_denominator: U64;
}

export type ClusterId = U64;

export interface ClusterParams {
  max_clusters: number;
  max_requests_per_epoch: number;
  horizon_epochs: U64;
  late_cancel_refund: number;
}

export type ClustersMsg =
  | { type: "reserve_slots"; cluster: ClusterId; epoch: U64; slots: number; bid_per_slot: string }
  | { type: "cancel_reservation"; reservation: U64 };

export type ComplianceMsg =
  | { type: "attest"; schema: SchemaId; subject: Subject; data_hash: string; expiry_ms: U64 }
  | { type: "revoke"; attestation: AttestationId }
  | { type: "report_violation"; subject: Subject; evidence_hash: string; bond: string }
  | { type: "vote_dispute"; dispute: DisputeId; uphold: boolean };

export interface ComplianceParams {
  ethical_schema: SchemaId | null;
  min_report_bond: string;
  dispute_window_blocks: U64;
  arbiters: string[];
  arbiter_quorum: number;
  violation_slash: number;
  lock_blocks: U64;
  reporter_reward: string;
  max_attestations_per_subject: number;
  max_open_disputes: number;
}

export type ComputeMsg =
  | { type: "register_provider"; bond: string; endpoint: string; capacities: ClassCapacity[] }
  | { type: "update_provider"; endpoint: string; capacities: ClassCapacity[]; add_bond: string }
  | { type: "deregister_provider" }
  | { type: "withdraw_bond" }
  | { type: "submit_job"; model: ModelId; units: U64; max_fee_per_unit: string; tip_per_unit: string; prompt_hash: string; params_hash: string; deterministic: boolean; parents: AssetId[]; policy: RoyaltyPolicy }
  | { type: "cancel_job"; job: JobId }
  | { type: "submit_result"; job: JobId; output_hash: string }
  | { type: "challenge_result"; job: JobId; output_hash: string }
  | { type: "claim_output"; job: JobId; output_hash: string };

export interface ComputeParams {
  classes: ClassParams[];
  min_provider_bond: string;
  unbonding_blocks: U64;
  max_providers_per_class: number;
  max_units_per_job: U64;
  max_queued_per_class: number;
  max_admissions_per_class: number;
  max_timers_per_block: number;
  queue_timeout_blocks: U64;
  result_deadline_blocks: U64;
  challenge_window_blocks: U64;
  dispute_window_blocks: U64;
  dispute_quorum: number;
  dispute_slash: number;
  missed_deadline_penalty: number;
  wrong_result_stake_slash: number;
  waterfall: Waterfall;
}

export interface ContributorShares {
  contributor: string;
  shares: string;
}

export type DatasetId = U64;

export interface DatasetWeight {
  dataset: DatasetId;
  weight: number;
}

export type DigitalSourceType =
  | "trainedAlgorithmicMedia"
  | "compositeWithTrainedAlgorithmicMedia"
  | "composite";

export type DisputeId = U64;

export interface FeeParams {
  block_gas_limit: U64;
  elasticity_multiplier: U64;
  base_fee_change_denominator: U64;
  min_base_fee: string;
  gas: GasSchedule;
}

export type FeedId = string;

export interface FeedSpec {
  id: FeedId;
  quorum: number;
  heartbeat_blocks: U64;
  deviation: number;
  staleness_blocks: U64;
  round_blocks: U64;
}

export type FieldName = string;

export interface GasSchedule {
  tx: U64;
  transfer: U64;
  mint_stable: U64;
  burn_stable: U64;
  register_dataset: U64;
  per_contributor: U64;
  register_model: U64;
  claim_royalties: U64;
  provider: U64;
  submit_job: U64;
  job_update: U64;
  dispute: U64;
  revenue: U64;
  register_derivative: U64;
  listing: U64;
  buy: U64;
  staking: U64;
  propose: U64;
  vote: U64;
  clusters: U64;
  liquidity: U64;
  swap: U64;
  oracle: U64;
  compliance: U64;
}

export interface GovParams {
  deposit: string;
  voting_delay_blocks: U64;
  voting_period_blocks: U64;
  timelock_blocks: U64;
  grace_period_blocks: U64;
  quorum: number;
  max_actions: number;
  max_steps_per_block: number;
}

export type GovernanceMsg =
  | { type: "propose"; summary: string; actions: Action[] }
  | { type: "vote"; proposal: ProposalId; choice: Choice }
  | { type: "claim_grant"; grant: U64 };

export type Item =
  | { kind: "asset"; asset: AssetId }
  | { kind: "shares"; vault: VaultId; units: U64 };

export type JobId = U64;

export type ListingId = U64;

export type MarketMsg =
  | { type: "list"; item: Item; price: string; denom: string; expires_in: U64 }
  | { type: "cancel"; listing: ListingId }
  | { type: "buy"; listing: ListingId; max_price: string };

export interface MarketParams {
  protocol_fee: number;
  dataset_royalty: number;
  min_price: string;
  max_listing_blocks: U64;
}

export type ModelId = U64;

export type Msg =
  | { bank: BankMsg }
  | { registry: RegistryMsg }
  | { compute: ComputeMsg }
  | { provenance: ProvenanceMsg }
  | { revenue: RevenueMsg }
  | { market: MarketMsg }
  | { staking: StakingMsg }
  | { governance: GovernanceMsg }
  | { clusters: ClustersMsg }
  | { amm: AmmMsg }
  | { oracle: OracleMsg }
  | { compliance: ComplianceMsg };

export type OracleMsg =
  | { type: "register_operator" }
  | { type: "leave_oracle" }
  | { type: "submit_observation"; feed: FeedId; round: U64; value: string };

export interface OracleParams {
  min_stake: string;
  max_operators: number;
  outlier_distance: number;
  outlier_penalty: number;
  history_rounds: number;
  feeds: FeedSpec[];
}

export type ParamsChange =
  | { fees: FeeParams }
  | { registry: RegistryParams }
  | { compute: ComputeParams }
  | { provenance: ProvenanceParams }
  | { market: MarketParams }
  | { staking: StakingParams }
  | { governance: GovParams }
  | { clusters: ClusterParams }
  | { amm: AmmParams }
  | { oracle: OracleParams }
  | { treasury: TreasuryParams }
  | { compliance: ComplianceParams };

export type ProposalId = U64;

export type ProvenanceMsg =
  | { type: "register_derivative"; parents: AssetId[]; output_hash: string; prompt_hash: string; source_type: DigitalSourceType; policy: RoyaltyPolicy };

export interface ProvenanceParams {
  max_parents: number;
  max_ancestors: number;
  max_royalty_share: number;
  max_royalty_stack: number;
}

export type RegistryMsg =
  | { type: "register_dataset"; content_hash: string; license: string; contributors: ContributorShares[] }
  | { type: "add_contributors"; dataset: DatasetId; contributors: ContributorShares[] }
  | { type: "register_model"; class: string; weights_hash: string; parent: ModelId | null; datasets: DatasetWeight[]; performance_fee: number; style: string }
  | { type: "claim_royalties"; dataset: DatasetId };

export interface RegistryParams {
  max_lineage_depth: number;
  max_lineage_datasets: number;
  max_contributors_per_msg: number;
  max_performance_fee: number;
  max_lineage_fee: number;
}

export interface ReputationRates {
  stake: number;
  creation_ugdc: number;
  creation_uusd: number;
  creation_cap: number;
  decay: number;
}

export type RevenueMsg =
  | { type: "claim_revenue"; vault: VaultId }
  | { type: "transfer_shares"; vault: VaultId; to: string; units: U64 };

export interface RoyaltyPolicy {
  share: number;
  license_fee: string;
}

export type SchemaId = U64;

export type Side =
  | "sell_gdc"
  | "sell_usd";

export type SlashDestination =
  | "burn"
  | "treasury";

export type StakingMsg =
  | { type: "stake"; amount: string }
  | { type: "unstake"; amount: string }
  | { type: "withdraw" }
  | { type: "register_validator"; consensus_key: string; p2p_addr: string; min_self_stake: string }
  | { type: "update_validator"; consensus_key: string | null; p2p_addr: string; min_self_stake: string | null }
  | { type: "leave_validators" };

export interface StakingParams {
  epoch_blocks: U64;
  min_stake: string;
  unbonding_blocks: U64;
  max_unbonding_entries: number;
  slash_destination: SlashDestination;
  equivocation_slash: number;
  relation_window_blocks: U64;
  rates: ReputationRates;
  tiers: Tier[];
  validators: ValidatorParams;
}

export type Subject =
  | { kind: "dataset"; id: DatasetId }
  | { kind: "model"; id: ModelId }
  | { kind: "asset"; id: AssetId };

export interface Tier {
  name: string;
  min_reputation: string;
  propose: boolean;
  cluster_slots: number;
}

export interface TreasuryParams {
  conversion_share: number;
  shortfall_conversion_share: number;
  max_conversion_per_epoch: string;
  max_slippage: number;
  max_price_move: number;
  ma_weight: number;
  ma_cap: number;
  cushion: number;
  wall: number;
  velocity_floor_ppm: U64;
  trigger_epochs: number;
  window_epochs: number;
  defence_epochs: number;
  infra_cost_per_epoch: string;
  runway_target_epochs: number;
  reserve_floor_epochs: number;
  pol_target: number;
  max_pol_add_per_epoch: string;
  grants_share: number;
  history_epochs: number;
  style_incentive_share: number;
  max_style_incentive: string;
  style_incentive_fee_cap: number;
  style_incentive_to_datasets: number;
  engagement_step: number;
  engagement_max: number;
}

export interface Tx {
  chain_id: string;
  sender: string;
  nonce: U64;
  expiry_height: U64;
  gas_limit: U64;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
  msgs: Msg[];
}

export interface ValidatorParams {
  max_validators: number;
  max_candidates: number;
  min_self_stake: string;
  reputation_backing: number;
  selection_lead_blocks: U64;
  jail_epochs: U64;
  evidence_epochs: U64;
  max_missed_share: number;
  min_recorded_views: number;
}

export type VaultId =
  | { kind: "model"; id: ModelId }
  | { kind: "asset"; id: AssetId };

export interface Waterfall {
  treasury: number;
  datasets: number;
  burn: number;
}
