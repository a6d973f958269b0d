//! Executes registry messages: check everything, then write.

use atelier_primitives::{Address, Bps, Hash};
use atelier_state::StateWrite;

use super::{
    ContributorShares, Dataset, DatasetId, DatasetWeight, FeeShare, Model, ModelId, RegistryError,
    RegistryEvent, RegistryMsg, state,
};
use crate::{
    event::Event,
    modules::{
        Ctx, Failure,
        revenue::{self, VaultId},
        rule,
    },
};

type RegistryResult = Result<(), Failure<RegistryError>>;

/// Runs `msg` in the block `ctx` describes, sent by `ctx.sender`.
pub(crate) fn handle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
    msg: &RegistryMsg,
) -> RegistryResult {
    let sender = &ctx.sender;
    match msg {
        RegistryMsg::RegisterDataset { content_hash, license, contributors } => {
            register_dataset(state, events, sender, content_hash, license, contributors)
        }
        RegistryMsg::AddContributors { dataset, contributors } => {
            add_contributors(state, events, sender, *dataset, contributors)
        }
        RegistryMsg::RegisterModel { class, weights_hash, parent, datasets, performance_fee, style } => {
            let model = NewModel {
                class,
                weights_hash: *weights_hash,
                parent: *parent,
                datasets,
                performance_fee: *performance_fee,
                style,
            };
            register_model(state, events, sender, model)
        }
        RegistryMsg::ClaimRoyalties { dataset } => state::claim(state, events, *dataset, sender).map(drop),
    }
}

fn register_dataset(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    owner: &Address,
    content_hash: &Hash,
    license: &str,
    contributors: &[ContributorShares],
) -> RegistryResult {
    check_text("license", license, state::MAX_LICENSE_BYTES, |_| true)?;
    let params = state::params(state)?;
    state::check_contributors(contributors, params.max_contributors_per_msg).map_err(Failure::Rule)?;
    let (next_dataset, next_model) = state::next_ids(state)?;
    let following = next_dataset.checked_add(1).ok_or(Failure::Rule(RegistryError::IdsExhausted))?;
    let id = DatasetId(next_dataset);
    let mut dataset = Dataset {
        id,
        owner: *owner,
        content_hash: *content_hash,
        license: license.to_string(),
        total_shares: 0,
        gdc: Default::default(),
        usd: Default::default(),
        contributors: 0,
    };
    // Point of no return: the contributors were checked, and the dataset is new.
    state::add_contributors(state, &mut dataset, contributors)?;
    state::set_next_ids(state, following, next_model);
    events.push(Event::Registry(RegistryEvent::DatasetRegistered {
        dataset: id,
        owner: *owner,
        contributors: dataset.contributors,
    }));
    Ok(())
}

fn add_contributors(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    sender: &Address,
    id: DatasetId,
    contributors: &[ContributorShares],
) -> RegistryResult {
    let Some(mut dataset) = state::dataset(state, id)? else {
        return rule(RegistryError::UnknownDataset { dataset: id });
    };
    if dataset.owner != *sender {
        return rule(RegistryError::NotDatasetOwner { dataset: id, sender: *sender });
    }
    let params = state::params(state)?;
    state::check_contributors(contributors, params.max_contributors_per_msg).map_err(Failure::Rule)?;
    state::add_contributors(state, &mut dataset, contributors)?;
    events.push(Event::Registry(RegistryEvent::ContributorsAdded {
        dataset: id,
        added: contributors.len() as u32,
        contributors: dataset.contributors,
    }));
    Ok(())
}

/// What `RegisterModel` asks for.
struct NewModel<'a> {
    class: &'a str,
    weights_hash: Hash,
    parent: Option<ModelId>,
    datasets: &'a [DatasetWeight],
    performance_fee: Bps,
    style: &'a str,
}

fn register_model(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    owner: &Address,
    NewModel { class, weights_hash, parent, datasets, performance_fee, style }: NewModel<'_>,
) -> RegistryResult {
    let label = state::in_label;
    check_text("class", class, state::MAX_CLASS_BYTES, label)?;
    if !style.is_empty() {
        check_text("style", style, state::MAX_STYLE_BYTES, label)?;
    }
    if crate::modules::compute::params(state)?.class(class).is_none() {
        return rule(RegistryError::UnknownClass { class: class.to_string() });
    }
    let params = state::params(state)?;
    if performance_fee > params.max_performance_fee {
        return rule(RegistryError::FeeTooHigh { fee: performance_fee, cap: params.max_performance_fee });
    }
    let parent_model = match parent {
        None => None,
        Some(id) => match state::model(state, id)? {
            Some(model) => Some(model),
            None => return rule(RegistryError::UnknownModel { model: id }),
        },
    };
    // spec: compliance §Disputes — a tagged model is no one's parent.
    if let Some(id) = parent
        && crate::modules::compliance::gate::is_tagged(
            state,
            &crate::modules::compliance::Subject::Model(id),
        )?
    {
        return rule(RegistryError::TaggedParent { model: id });
    }
    if let Some(p) = &parent_model
        && p.class != class
    {
        return rule(RegistryError::ClassMismatch {
            parent: p.id,
            parent_class: p.class.clone(),
            class: class.to_string(),
        });
    }
    let depth = parent_model.as_ref().map_or(0, |p| p.depth.saturating_add(1));
    if depth > params.max_lineage_depth {
        return rule(RegistryError::LineageTooDeep { depth, max: params.max_lineage_depth });
    }
    check_own_datasets(state, datasets)?;
    let lineage_datasets = state::lineage_datasets(datasets, parent_model.as_ref()).map_err(Failure::Rule)?;
    if lineage_datasets.len() > params.max_lineage_datasets as usize {
        return rule(RegistryError::TooManyLineageDatasets {
            count: lineage_datasets.len(),
            max: params.max_lineage_datasets,
        });
    }
    let (next_dataset, next_model) = state::next_ids(state)?;
    let id = ModelId(next_model);
    let mut lineage_fees = vec![FeeShare { model: id, owner: *owner, fee: performance_fee }];
    lineage_fees.extend(parent_model.iter().flat_map(|p| p.lineage_fees.iter().copied()));
    let lineage_fee: u32 = lineage_fees.iter().map(|f| u32::from(f.fee.get())).sum();
    if lineage_fee > u32::from(params.max_lineage_fee.get()) {
        return rule(RegistryError::FeeTooHigh {
            fee: Bps::new(lineage_fee).unwrap_or(Bps::ONE),
            cap: params.max_lineage_fee,
        });
    }
    let following = next_model.checked_add(1).ok_or(Failure::Rule(RegistryError::IdsExhausted))?;
    let style = match (style, &parent_model) {
        ("", Some(parent)) => parent.style.clone(),
        ("", None) => state::DEFAULT_STYLE.to_owned(),
        (own, _) => own.to_owned(),
    };
    // Point of no return.
    let model = Model {
        id,
        owner: *owner,
        class: class.to_string(),
        weights_hash,
        parent,
        depth,
        performance_fee,
        datasets: datasets.to_vec(),
        lineage_datasets,
        lineage_fees,
        style,
    };
    state::put_model(state, &model);
    state::set_next_ids(state, next_dataset, following);
    revenue::open(state, events, VaultId::Model(id), owner);
    events.push(Event::Registry(RegistryEvent::ModelRegistered {
        model: model.id,
        owner: *owner,
        parent,
        lineage_datasets: model.lineage_datasets.len() as u32,
    }));
    Ok(())
}

/// A model's own datasets: each exists, appears once, weighs something.
fn check_own_datasets(state: &impl StateWrite, datasets: &[DatasetWeight]) -> RegistryResult {
    let invalid = |reason: String| Err(Failure::Rule(RegistryError::InvalidWeights { reason }));
    let mut ids: Vec<DatasetId> = datasets.iter().map(|d| d.dataset).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|pair| pair[0] == pair[1]) {
        return invalid("a dataset appears twice".into());
    }
    for entry in datasets {
        if entry.weight == Bps::ZERO {
            return invalid(format!("dataset {} has no weight", entry.dataset));
        }
        if state::dataset(state, entry.dataset)?.is_none() {
            return rule(RegistryError::UnknownDataset { dataset: entry.dataset });
        }
    }
    Ok(())
}

fn check_text(field: &'static str, text: &str, max: usize, allowed: impl Fn(char) -> bool) -> RegistryResult {
    let reason = if text.is_empty() {
        "empty"
    } else if text.len() > max {
        "too long"
    } else if !text.chars().all(allowed) {
        "characters other than a-z, 0-9 and -"
    } else {
        return Ok(());
    };
    rule(RegistryError::InvalidText { field, reason })
}
