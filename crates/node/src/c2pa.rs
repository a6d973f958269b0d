//! An asset's record as a C2PA manifest definition: the JSON shape the C2PA SDKs (c2pa-rs,
//! c2patool) read to build and sign a manifest for the work's file. The chain vouches for the
//! record; signing the file's manifest is left to whoever holds the file.
//!
//! - `claim_generator_info`: this software;
//! - `title`, `instance_id` (`atelier:{chain}:asset:{id}`), `format` (the output's media type when
//!   the node's blob store holds it; `application/octet-stream` otherwise);
//! - a `c2pa.actions` assertion with one `c2pa.created` action whose `digitalSourceType` is the
//!   IPTC term for how the work was made (`trainedAlgorithmicMedia` for a job's output), whose
//!   `softwareAgent` is the model, and whose `parameters` carry the prompt and job;
//! - an `org.atelier.asset` assertion with the on-chain id, the content (output) hash and where
//!   its bytes are served (`blob_url`, the node's `GET /blobs/{hash}`), the prompt hash and
//!   history, the datasets, and the royalty stack;
//! - `ingredients`: the first parent `parentOf`, any other `componentOf`, each by its on-chain
//!   instance id.

use atelier_protocol::{
    ChainId,
    modules::provenance::{Asset, DigitalSourceType},
};
use serde_json::{Value, json};

/// The IPTC digital source type URI of `source`.
pub fn digital_source_type(source: DigitalSourceType) -> &'static str {
    match source {
        DigitalSourceType::TrainedAlgorithmicMedia => {
            "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
        }
        DigitalSourceType::CompositeWithTrainedAlgorithmicMedia => {
            "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
        }
        DigitalSourceType::Composite => "http://cv.iptc.org/newscodes/digitalsourcetype/composite",
    }
}

fn instance_id(chain: &ChainId, asset: u64) -> String {
    format!("atelier:{chain}:asset:{asset}")
}

/// Where an asset's output is served, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The blob's URL.
    pub url: String,
    /// Its media type (`image/png`), or `application/octet-stream` when unknown.
    pub format: String,
}

/// The manifest definition of `asset` on `chain`, its output served as `output` says.
pub fn manifest(chain: &ChainId, asset: &Asset, output: &Output) -> Value {
    let agent = match asset.model {
        Some(model) => json!({ "name": format!("atelier model {model}") }),
        None => json!({ "name": "external" }),
    };
    let mut parameters = json!({ "prompt_hash": asset.prompt_hash.to_hex() });
    if let Some(job) = asset.job {
        parameters["job"] = json!(job.0);
    }
    let ingredients: Vec<Value> = asset
        .parents
        .iter()
        .enumerate()
        .map(|(i, edge)| {
            json!({
                "title": format!("asset {}", edge.parent),
                "format": "application/octet-stream",
                "instance_id": instance_id(chain, edge.parent.0),
                "relationship": if i == 0 { "parentOf" } else { "componentOf" },
            })
        })
        .collect();
    json!({
        "claim_generator_info": [{ "name": "atelier", "version": env!("CARGO_PKG_VERSION") }],
        "title": format!("asset {}", asset.id),
        "format": output.format,
        "instance_id": instance_id(chain, asset.id.0),
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [{
                        "action": "c2pa.created",
                        "digitalSourceType": digital_source_type(asset.source_type),
                        "softwareAgent": agent,
                        "parameters": parameters,
                    }]
                }
            },
            {
                "label": "org.atelier.asset",
                "data": {
                    "chain_id": chain.to_string(),
                    "asset": asset.id.0,
                    "content_hash": asset.output_hash.to_hex(),
                    "blob_url": output.url,
                    "prompt_hash": asset.prompt_hash.to_hex(),
                    "prompt_history": asset.prompt_history.iter().map(|h| h.to_hex()).collect::<Vec<_>>(),
                    "model": asset.model.map(|m| m.0),
                    "job": asset.job.map(|j| j.0),
                    "datasets": asset.datasets.iter().map(|d| json!({ "dataset": d.dataset.0, "weight_bps": d.weight.get() })).collect::<Vec<_>>(),
                    "royalty_stack": asset.royalty_stack.iter().map(|e| json!({ "asset": e.ancestor.0, "share_bps": e.share.get() })).collect::<Vec<_>>(),
                    "minted_at": asset.minted_at.0,
                }
            }
        ],
        "ingredients": ingredients,
    })
}

#[cfg(test)]
mod tests {
    use atelier_primitives::{Address, Bps, Hash, Height};
    use atelier_protocol::modules::{
        compute::JobId,
        provenance::{AssetId, Edge, RoyaltyPolicy},
        registry::ModelId,
    };

    use super::*;

    fn png() -> Output {
        Output { url: "http://node.example/blobs/ab".into(), format: "image/png".into() }
    }

    fn asset(parents: &[u64], source_type: DigitalSourceType) -> Asset {
        Asset {
            id: AssetId(7),
            owner: Address([1; 20]),
            creator: Address([1; 20]),
            model: Some(ModelId(2)),
            datasets: Vec::new(),
            job: Some(JobId(9)),
            output_hash: Hash::digest("out", &[]),
            prompt_hash: Hash::digest("prompt", &[]),
            prompt_history: Vec::new(),
            parents: parents
                .iter()
                .map(|&p| Edge { parent: AssetId(p), share: Bps::new(500).unwrap() })
                .collect(),
            ancestors: parents.iter().copied().map(AssetId).collect(),
            royalty_stack: Vec::new(),
            policy: RoyaltyPolicy::default(),
            source_type,
            minted_at: Height(3),
        }
    }

    fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
        value
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{pointer} is not a string: {value}"))
    }

    /// The manifest definition's shape as C2PA's SDKs read it: required strings, an assertions
    /// array of `{label, data}`, an actions assertion whose actions name an action, and
    /// ingredients with a title and one of C2PA's relationships.
    fn check_shape(manifest: &Value) {
        let info = manifest["claim_generator_info"].as_array().expect("claim_generator_info is an array");
        assert!(info.iter().all(|i| i["name"].is_string() && i["version"].is_string()));
        for field in ["/title", "/format", "/instance_id"] {
            text(manifest, field);
        }
        let assertions = manifest["assertions"].as_array().expect("assertions is an array");
        assert!(assertions.iter().all(|a| a["label"].is_string() && a["data"].is_object()));
        let actions =
            assertions.iter().find(|a| a["label"] == "c2pa.actions").expect("a c2pa.actions assertion");
        let actions = actions["data"]["actions"].as_array().expect("actions is an array");
        assert!(actions.iter().all(|a| text(a, "/action").starts_with("c2pa.")));
        assert!(actions.iter().all(|a| {
            text(a, "/digitalSourceType").starts_with("http://cv.iptc.org/newscodes/digitalsourcetype/")
        }));
        for ingredient in manifest["ingredients"].as_array().expect("ingredients is an array") {
            text(ingredient, "/title");
            text(ingredient, "/instance_id");
            assert!(["parentOf", "componentOf", "inputTo"].contains(&text(ingredient, "/relationship")));
        }
    }

    #[test]
    fn a_jobs_output_is_created_by_trained_algorithmic_media_with_its_on_chain_record() {
        let chain: ChainId = "atelier-test".parse().unwrap();
        let manifest = manifest(&chain, &asset(&[], DigitalSourceType::TrainedAlgorithmicMedia), &png());
        check_shape(&manifest);
        assert_eq!(manifest["format"], "image/png", "the output's media type");
        assert_eq!(manifest["assertions"][1]["data"]["blob_url"], "http://node.example/blobs/ab");
        let action = &manifest["assertions"][0]["data"]["actions"][0];
        assert_eq!(action["action"], "c2pa.created");
        assert_eq!(
            action["digitalSourceType"],
            "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
        );
        assert_eq!(manifest["instance_id"], "atelier:atelier-test:asset:7");
        assert_eq!(manifest["assertions"][1]["data"]["content_hash"], Hash::digest("out", &[]).to_hex());
        assert_eq!(manifest["ingredients"], json!([]));
    }

    #[test]
    fn a_remix_names_its_first_parent_parent_of_and_the_others_component_of() {
        let chain: ChainId = "atelier-test".parse().unwrap();
        let manifest = manifest(
            &chain,
            &asset(&[3, 5], DigitalSourceType::CompositeWithTrainedAlgorithmicMedia),
            &png(),
        );
        check_shape(&manifest);
        let relationships: Vec<&str> = manifest["ingredients"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["relationship"].as_str().unwrap())
            .collect();
        assert_eq!(relationships, ["parentOf", "componentOf"]);
        assert_eq!(manifest["ingredients"][1]["instance_id"], "atelier:atelier-test:asset:5");
    }
}
