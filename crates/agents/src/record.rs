//! What a completed epoch's events say about the community: the oracle agents' `chain` measures
//! of engagement and of each model's quality (spec: DESIGN §7). Pure: the events and the lookups
//! of older jobs' and designs' models are handed in.
//!
//! - **Engagement** of an epoch: the distinct accounts that paid for a transaction (but the
//!   oracle operators, whose own observations would otherwise count themselves), plus the
//!   designs sold, the remixes minted (designs with parents) and the contributors who joined a
//!   dataset — each a person doing something the community values, counted once per act.
//! - **A model's record**: the results of its jobs that settled, those overturned in a dispute,
//!   and the sales of the designs it made.

use std::collections::{BTreeMap, BTreeSet};

use atelier_protocol::{
    Event,
    modules::{
        compute::ComputeEvent, fees::FeeEvent, market::Item, market::MarketEvent,
        provenance::ProvenanceEvent, registry::RegistryEvent,
    },
};

/// A result overturned in a dispute counts against its model this many times what a result that
/// stood, or a sale of one of its designs, counts for it.
pub const OVERTURNED_WEIGHT: u64 = 4;

/// One model's record in an epoch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModelRecord {
    /// Results of its jobs that settled (paid out).
    pub results: u64,
    /// Results overturned in a dispute.
    pub overturned: u64,
    /// Sales of designs it made.
    pub sales: u64,
}

/// What one epoch's events counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EpochActivity {
    /// Distinct accounts that paid a transaction's fee.
    pub active_accounts: u64,
    /// Designs and vault shares sold.
    pub sales: u64,
    /// Designs minted with parents.
    pub remixes: u64,
    /// Contributors who joined a dataset (at its registration or later).
    pub new_contributors: u64,
    /// Each model's record, by model id.
    pub models: BTreeMap<u64, ModelRecord>,
}

impl EpochActivity {
    /// The epoch's engagement: every act counted once.
    pub fn engagement(&self) -> u64 {
        self.active_accounts + self.sales + self.remixes + self.new_contributors
    }
}

/// A model's quality over some epochs' records, in basis points: what counts for it over
/// everything that counts, an overturned result [`OVERTURNED_WEIGHT`] times. `None` without a
/// record: nothing to measure.
pub fn quality_bps<'a>(records: impl IntoIterator<Item = &'a ModelRecord>) -> Option<u128> {
    let (good, bad) = records.into_iter().fold((0u128, 0u128), |(good, bad), r| {
        (good + u128::from(r.results) + u128::from(r.sales), bad + u128::from(r.overturned))
    });
    let total = good + bad * u128::from(OVERTURNED_WEIGHT);
    (total > 0).then(|| good * 10_000 / total)
}

/// Counts an epoch's events, in order. Which model made a job or a design is learnt from the
/// events themselves (a job's submission, a design's minting); one from before is asked of
/// `lookup` ([`Unknown`]), which the caller answers from the node and then calls again.
#[derive(Debug, Default)]
pub struct Tally {
    payers: BTreeSet<String>,
    excluded: BTreeSet<String>,
    activity: EpochActivity,
}

/// What the tally needs to know to count an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// Which model a job ran.
    Job(u64),
    /// Which model made a design (none for a design made off chain).
    Asset(u64),
}

/// Which models made the jobs and designs seen so far (and looked up): kept across epochs.
#[derive(Debug, Default)]
pub struct Models {
    jobs: BTreeMap<u64, u64>,
    assets: BTreeMap<u64, Option<u64>>,
}

/// Most jobs and designs [`Models`] remembers of each; the oldest are forgotten first (and looked
/// up again if they come back).
const REMEMBERED: usize = 100_000;

impl Models {
    /// Learns that `job` ran `model`.
    pub fn job(&mut self, job: u64, model: u64) {
        self.jobs.insert(job, model);
        if self.jobs.len() > REMEMBERED {
            self.jobs.pop_first();
        }
    }

    /// Learns that `asset` was made by `model` (none: off chain).
    pub fn asset(&mut self, asset: u64, model: Option<u64>) {
        self.assets.insert(asset, model);
        if self.assets.len() > REMEMBERED {
            self.assets.pop_first();
        }
    }
}

impl Tally {
    /// A tally that does not count `excluded` (addresses) as active accounts.
    pub fn excluding(excluded: BTreeSet<String>) -> Tally {
        Tally { excluded, ..Tally::default() }
    }

    /// Counts `event`, or says what must be looked up first (the event is not counted then).
    pub fn count(&mut self, event: &Event, models: &mut Models) -> Result<(), Unknown> {
        match event {
            Event::Fees(FeeEvent::FeeCharged { payer, .. }) => {
                let payer = payer.to_string();
                if !self.excluded.contains(&payer) {
                    self.payers.insert(payer);
                }
            }
            Event::Compute(ComputeEvent::JobSubmitted { job, model, .. }) => models.job(job.0, model.0),
            Event::Compute(ComputeEvent::JobSettled { job, asset, .. }) => {
                let model = *models.jobs.get(&job.0).ok_or(Unknown::Job(job.0))?;
                models.asset(asset.0, Some(model));
                self.activity.models.entry(model).or_default().results += 1;
            }
            Event::Compute(ComputeEvent::DisputeResolved { job, upheld: false, .. }) => {
                let model = *models.jobs.get(&job.0).ok_or(Unknown::Job(job.0))?;
                self.activity.models.entry(model).or_default().overturned += 1;
            }
            Event::Provenance(ProvenanceEvent::AssetMinted { asset, model, parents, .. }) => {
                models.asset(asset.0, model.map(|m| m.0));
                if *parents > 0 {
                    self.activity.remixes += 1;
                }
            }
            Event::Market(MarketEvent::Sold { item, .. }) => {
                if let Item::Asset { asset } = item {
                    let model = *models.assets.get(&asset.0).ok_or(Unknown::Asset(asset.0))?;
                    if let Some(model) = model {
                        self.activity.models.entry(model).or_default().sales += 1;
                    }
                }
                self.activity.sales += 1;
            }
            Event::Registry(RegistryEvent::DatasetRegistered { contributors, .. }) => {
                self.activity.new_contributors += u64::from(*contributors);
            }
            Event::Registry(RegistryEvent::ContributorsAdded { added, .. }) => {
                self.activity.new_contributors += u64::from(*added);
            }
            _ => {}
        }
        Ok(())
    }

    /// What the epoch counted.
    pub fn finish(mut self) -> EpochActivity {
        self.activity.active_accounts = self.payers.len() as u64;
        self.activity
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use atelier_primitives::{Address, Amount, Denom};
    use atelier_protocol::modules::{
        compute::JobId, market::ListingId, provenance::AssetId, registry::DatasetId,
    };

    fn payer(i: u8) -> Event {
        Event::Fees(FeeEvent::FeeCharged {
            payer: Address([i; 20]),
            gas_used: 1,
            burned: Amount::new(1),
            tip: Amount::ZERO,
        })
    }

    #[test]
    fn an_epoch_counts_distinct_payers_sales_remixes_and_new_contributors() {
        let mut tally = Tally::excluding([Address([3; 20]).to_string()].into());
        let mut models = Models::default();
        let minted = |asset, parents| {
            Event::Provenance(ProvenanceEvent::AssetMinted {
                asset: AssetId(asset),
                owner: Address([1; 20]),
                model: None,
                job: None,
                parents,
            })
        };
        for event in [
            payer(1),
            payer(2),
            payer(1),
            payer(3),
            minted(1, 0),
            minted(2, 1),
            Event::Registry(RegistryEvent::DatasetRegistered {
                dataset: DatasetId(1),
                owner: Address([1; 20]),
                contributors: 3,
            }),
            Event::Registry(RegistryEvent::ContributorsAdded {
                dataset: DatasetId(1),
                added: 2,
                contributors: 5,
            }),
        ] {
            tally.count(&event, &mut models).unwrap();
        }
        let activity = tally.finish();
        assert_eq!((activity.active_accounts, activity.remixes, activity.new_contributors), (2, 1, 5));
        assert_eq!(activity.engagement(), 8);
    }

    #[test]
    fn a_models_record_follows_its_jobs_and_designs_and_asks_for_what_it_has_not_seen() {
        let mut tally = Tally::default();
        let mut models = Models::default();
        let settled = |job, asset| {
            Event::Compute(ComputeEvent::JobSettled {
                job: JobId(job),
                provider: Address([9; 20]),
                treasury: Amount::ZERO,
                datasets: Amount::ZERO,
                fine_tuners: Amount::ZERO,
                burned: Amount::ZERO,
                provider_paid: Amount::ZERO,
                asset: AssetId(asset),
            })
        };
        let sold = |asset| {
            Event::Market(MarketEvent::Sold {
                listing: ListingId(1),
                item: Item::Asset { asset: AssetId(asset) },
                buyer: Address([2; 20]),
                seller: Address([1; 20]),
                denom: Denom::GDC,
                protocol_fee: Amount::ZERO,
                royalties: Amount::ZERO,
                proceeds: Amount::ZERO,
            })
        };
        assert_eq!(tally.count(&settled(7, 70), &mut models), Err(Unknown::Job(7)));
        models.job(7, 2);
        tally.count(&settled(7, 70), &mut models).unwrap();
        tally.count(&sold(70), &mut models).unwrap();
        assert_eq!(tally.count(&sold(5), &mut models), Err(Unknown::Asset(5)));
        models.asset(5, None);
        tally.count(&sold(5), &mut models).unwrap();
        let overturned =
            Event::Compute(ComputeEvent::DisputeResolved { job: JobId(7), upheld: false, loser: None });
        tally.count(&overturned, &mut models).unwrap();
        let activity = tally.finish();
        assert_eq!(activity.models[&2], ModelRecord { results: 1, overturned: 1, sales: 1 });
        assert_eq!(activity.sales, 2);
    }

    #[test]
    fn quality_is_what_counts_for_a_model_over_all_that_counts_and_nothing_without_a_record() {
        let record = |results, overturned, sales| ModelRecord { results, overturned, sales };
        assert_eq!(quality_bps(&[record(9, 0, 1)]), Some(10_000));
        assert_eq!(quality_bps(&[record(4, 1, 0)]), Some(5_000), "one overturned weighs four results");
        assert_eq!(quality_bps(&[record(3, 0, 1), record(0, 1, 0)]), Some(5_000), "over several epochs");
        assert_eq!(quality_bps(&[record(0, 0, 0)]), None);
        assert_eq!(quality_bps(&[]), None);
    }
}
