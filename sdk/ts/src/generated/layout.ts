// Written by the chain's tests (crates/protocol/tests/sdk_vectors.rs): do not edit.

import type { Definition } from "../layout.js";

/** Every type a transaction reaches, by name: its encoding and its JSON form. */
export const LAYOUT: Readonly<Record<string, Definition>> = {
  "Action": {
    "kind": "enum",
    "tagging": {
      "kind": "external"
    },
    "variants": [
      {
        "tag": 0,
        "name": "set_params",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "ParamsChange"
          }
        }
      },
      {
        "tag": 1,
        "name": "treasury_spend",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "to",
              "shape": {
                "kind": "bytes",
                "len": 20,
                "text": "address"
              }
            },
            {
              "name": "denom",
              "shape": {
                "kind": "text",
                "max": 16,
                "denom": true
              }
            },
            {
              "name": "amount",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      },
      {
        "tag": 2,
        "name": "start_grant",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "recipient",
              "shape": {
                "kind": "bytes",
                "len": 20,
                "text": "address"
              }
            },
            {
              "name": "denom",
              "shape": {
                "kind": "text",
                "max": 16,
                "denom": true
              }
            },
            {
              "name": "per_block",
              "shape": {
                "kind": "amount"
              }
            },
            {
              "name": "blocks",
              "shape": {
                "kind": "uint",
                "bits": 64
              }
            }
          ]
        }
      },
      {
        "tag": 3,
        "name": "stop_grant",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "grant",
              "shape": {
                "kind": "uint",
                "bits": 64
              }
            }
          ]
        }
      },
      {
        "tag": 4,
        "name": "register_cluster",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "operator",
              "shape": {
                "kind": "bytes",
                "len": 20,
                "text": "address"
              }
            },
            {
              "name": "slots_per_epoch",
              "shape": {
                "kind": "uint",
                "bits": 32
              }
            },
            {
              "name": "price_per_slot",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      },
      {
        "tag": 5,
        "name": "recover_reputation",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "lost",
              "shape": {
                "kind": "bytes",
                "len": 20,
                "text": "address"
              }
            },
            {
              "name": "to",
              "shape": {
                "kind": "bytes",
                "len": 20,
                "text": "address"
              }
            }
          ]
        }
      },
      {
        "tag": 6,
        "name": "register_schema",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "name",
              "shape": {
                "kind": "text",
                "max": 64
              }
            },
            {
              "name": "fields",
              "shape": {
                "kind": "list",
                "max": 32,
                "item": {
                  "kind": "named",
                  "name": "FieldName"
                }
              }
            },
            {
              "name": "revocable",
              "shape": {
                "kind": "bool"
              }
            }
          ]
        }
      },
      {
        "tag": 7,
        "name": "set_attester",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "attester",
              "shape": {
                "kind": "bytes",
                "len": 20,
                "text": "address"
              }
            },
            {
              "name": "approved",
              "shape": {
                "kind": "bool"
              }
            }
          ]
        }
      },
      {
        "tag": 8,
        "name": "clear_tag",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "subject",
              "shape": {
                "kind": "named",
                "name": "Subject"
              }
            }
          ]
        }
      },
      {
        "tag": 9,
        "name": "release_escrow",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "model",
              "shape": {
                "kind": "named",
                "name": "ModelId"
              }
            },
            {
              "name": "to",
              "shape": {
                "kind": "bytes",
                "len": 20,
                "text": "address"
              }
            }
          ]
        }
      }
    ]
  },
  "AmmMsg": {
    "kind": "enum",
    "tagging": {
      "kind": "internal",
      "tag": "type"
    },
    "variants": [
      {
        "tag": 0,
        "name": "add_liquidity",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "max_gdc",
              "shape": {
                "kind": "amount"
              }
            },
            {
              "name": "max_usd",
              "shape": {
                "kind": "amount"
              }
            },
            {
              "name": "min_lp",
              "shape": {
                "kind": "uint",
                "bits": 128
              }
            }
          ]
        }
      },
      {
        "tag": 1,
        "name": "remove_liquidity",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "lp",
              "shape": {
                "kind": "uint",
                "bits": 128
              }
            },
            {
              "name": "min_gdc",
              "shape": {
                "kind": "amount"
              }
            },
            {
              "name": "min_usd",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      },
      {
        "tag": 2,
        "name": "swap",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "side",
              "shape": {
                "kind": "named",
                "name": "Side"
              }
            },
            {
              "name": "amount_in",
              "shape": {
                "kind": "amount"
              }
            },
            {
              "name": "min_out",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      }
    ]
  },
  "AmmParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "max_orders_per_block",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      }
    ]
  },
  "AssetId": {
    "kind": "newtype",
    "shape": {
      "kind": "uint",
      "bits": 64
    }
  },
  "AttestationId": {
    "kind": "newtype",
    "shape": {
      "kind": "uint",
      "bits": 64
    }
  },
  "BankMsg": {
    "kind": "enum",
    "tagging": {
      "kind": "internal",
      "tag": "type"
    },
    "variants": [
      {
        "tag": 0,
        "name": "transfer",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "to",
              "shape": {
                "kind": "bytes",
                "len": 20,
                "text": "address"
              }
            },
            {
              "name": "denom",
              "shape": {
                "kind": "text",
                "max": 16,
                "denom": true
              }
            },
            {
              "name": "amount",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      },
      {
        "tag": 1,
        "name": "mint_stable",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "to",
              "shape": {
                "kind": "bytes",
                "len": 20,
                "text": "address"
              }
            },
            {
              "name": "amount",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      },
      {
        "tag": 2,
        "name": "burn_stable",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "amount",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      }
    ]
  },
  "Choice": {
    "kind": "enum",
    "tagging": {
      "kind": "external"
    },
    "variants": [
      {
        "tag": 0,
        "name": "for",
        "body": {
          "kind": "unit"
        }
      },
      {
        "tag": 1,
        "name": "against",
        "body": {
          "kind": "unit"
        }
      },
      {
        "tag": 2,
        "name": "abstain",
        "body": {
          "kind": "unit"
        }
      }
    ]
  },
  "ClassCapacity": {
    "kind": "struct",
    "fields": [
      {
        "name": "class",
        "shape": {
          "kind": "text",
          "max": 32
        }
      },
      {
        "name": "units",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      }
    ]
  },
  "ClassParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "name",
        "shape": {
          "kind": "text",
          "max": 32
        }
      },
      {
        "name": "target_utilisation",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "min_base_fee",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "base_fee_change_denominator",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      }
    ]
  },
  "ClusterId": {
    "kind": "newtype",
    "shape": {
      "kind": "uint",
      "bits": 64
    }
  },
  "ClusterParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "max_clusters",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "max_requests_per_epoch",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "horizon_epochs",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "late_cancel_refund",
        "shape": {
          "kind": "bps"
        }
      }
    ]
  },
  "ClustersMsg": {
    "kind": "enum",
    "tagging": {
      "kind": "internal",
      "tag": "type"
    },
    "variants": [
      {
        "tag": 0,
        "name": "reserve_slots",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "cluster",
              "shape": {
                "kind": "named",
                "name": "ClusterId"
              }
            },
            {
              "name": "epoch",
              "shape": {
                "kind": "uint",
                "bits": 64
              }
            },
            {
              "name": "slots",
              "shape": {
                "kind": "uint",
                "bits": 32
              }
            },
            {
              "name": "bid_per_slot",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      },
      {
        "tag": 1,
        "name": "cancel_reservation",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "reservation",
              "shape": {
                "kind": "uint",
                "bits": 64
              }
            }
          ]
        }
      }
    ]
  },
  "ComplianceMsg": {
    "kind": "enum",
    "tagging": {
      "kind": "internal",
      "tag": "type"
    },
    "variants": [
      {
        "tag": 0,
        "name": "attest",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "schema",
              "shape": {
                "kind": "named",
                "name": "SchemaId"
              }
            },
            {
              "name": "subject",
              "shape": {
                "kind": "named",
                "name": "Subject"
              }
            },
            {
              "name": "data_hash",
              "shape": {
                "kind": "bytes",
                "len": 32,
                "text": "hex"
              }
            },
            {
              "name": "expiry_ms",
              "shape": {
                "kind": "uint",
                "bits": 64
              }
            }
          ]
        }
      },
      {
        "tag": 1,
        "name": "revoke",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "attestation",
              "shape": {
                "kind": "named",
                "name": "AttestationId"
              }
            }
          ]
        }
      },
      {
        "tag": 2,
        "name": "report_violation",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "subject",
              "shape": {
                "kind": "named",
                "name": "Subject"
              }
            },
            {
              "name": "evidence_hash",
              "shape": {
                "kind": "bytes",
                "len": 32,
                "text": "hex"
              }
            },
            {
              "name": "bond",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      },
      {
        "tag": 3,
        "name": "vote_dispute",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "dispute",
              "shape": {
                "kind": "named",
                "name": "DisputeId"
              }
            },
            {
              "name": "uphold",
              "shape": {
                "kind": "bool"
              }
            }
          ]
        }
      }
    ]
  },
  "ComplianceParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "ethical_schema",
        "shape": {
          "kind": "option",
          "item": {
            "kind": "named",
            "name": "SchemaId"
          }
        }
      },
      {
        "name": "min_report_bond",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "dispute_window_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "arbiters",
        "shape": {
          "kind": "list",
          "max": 32,
          "item": {
            "kind": "bytes",
            "len": 20,
            "text": "address"
          }
        }
      },
      {
        "name": "arbiter_quorum",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "violation_slash",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "lock_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "reporter_reward",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "max_attestations_per_subject",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "max_open_disputes",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      }
    ]
  },
  "ComputeMsg": {
    "kind": "enum",
    "tagging": {
      "kind": "internal",
      "tag": "type"
    },
    "variants": [
      {
        "tag": 0,
        "name": "register_provider",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "bond",
              "shape": {
                "kind": "amount"
              }
            },
            {
              "name": "endpoint",
              "shape": {
                "kind": "text",
                "max": 256
              }
            },
            {
              "name": "capacities",
              "shape": {
                "kind": "list",
                "max": 32,
                "item": {
                  "kind": "named",
                  "name": "ClassCapacity"
                }
              }
            }
          ]
        }
      },
      {
        "tag": 1,
        "name": "update_provider",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "endpoint",
              "shape": {
                "kind": "text",
                "max": 256
              }
            },
            {
              "name": "capacities",
              "shape": {
                "kind": "list",
                "max": 32,
                "item": {
                  "kind": "named",
                  "name": "ClassCapacity"
                }
              }
            },
            {
              "name": "add_bond",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      },
      {
        "tag": 2,
        "name": "deregister_provider",
        "body": {
          "kind": "unit"
        }
      },
      {
        "tag": 3,
        "name": "withdraw_bond",
        "body": {
          "kind": "unit"
        }
      },
      {
        "tag": 4,
        "name": "submit_job",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "model",
              "shape": {
                "kind": "named",
                "name": "ModelId"
              }
            },
            {
              "name": "units",
              "shape": {
                "kind": "uint",
                "bits": 64
              }
            },
            {
              "name": "max_fee_per_unit",
              "shape": {
                "kind": "amount"
              }
            },
            {
              "name": "tip_per_unit",
              "shape": {
                "kind": "amount"
              }
            },
            {
              "name": "prompt_hash",
              "shape": {
                "kind": "bytes",
                "len": 32,
                "text": "hex"
              }
            },
            {
              "name": "params_hash",
              "shape": {
                "kind": "bytes",
                "len": 32,
                "text": "hex"
              }
            },
            {
              "name": "deterministic",
              "shape": {
                "kind": "bool"
              }
            },
            {
              "name": "parents",
              "shape": {
                "kind": "list",
                "max": 16,
                "item": {
                  "kind": "named",
                  "name": "AssetId"
                }
              }
            },
            {
              "name": "policy",
              "shape": {
                "kind": "named",
                "name": "RoyaltyPolicy"
              }
            }
          ]
        }
      },
      {
        "tag": 5,
        "name": "cancel_job",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "job",
              "shape": {
                "kind": "named",
                "name": "JobId"
              }
            }
          ]
        }
      },
      {
        "tag": 6,
        "name": "submit_result",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "job",
              "shape": {
                "kind": "named",
                "name": "JobId"
              }
            },
            {
              "name": "output_hash",
              "shape": {
                "kind": "bytes",
                "len": 32,
                "text": "hex"
              }
            }
          ]
        }
      },
      {
        "tag": 7,
        "name": "challenge_result",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "job",
              "shape": {
                "kind": "named",
                "name": "JobId"
              }
            },
            {
              "name": "output_hash",
              "shape": {
                "kind": "bytes",
                "len": 32,
                "text": "hex"
              }
            }
          ]
        }
      },
      {
        "tag": 8,
        "name": "claim_output",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "job",
              "shape": {
                "kind": "named",
                "name": "JobId"
              }
            },
            {
              "name": "output_hash",
              "shape": {
                "kind": "bytes",
                "len": 32,
                "text": "hex"
              }
            }
          ]
        }
      }
    ]
  },
  "ComputeParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "classes",
        "shape": {
          "kind": "list",
          "max": 32,
          "item": {
            "kind": "named",
            "name": "ClassParams"
          }
        }
      },
      {
        "name": "min_provider_bond",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "unbonding_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "max_providers_per_class",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "max_units_per_job",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "max_queued_per_class",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "max_admissions_per_class",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "max_timers_per_block",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "queue_timeout_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "result_deadline_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "challenge_window_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "dispute_window_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "dispute_quorum",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "dispute_slash",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "missed_deadline_penalty",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "wrong_result_stake_slash",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "waterfall",
        "shape": {
          "kind": "named",
          "name": "Waterfall"
        }
      }
    ]
  },
  "ContributorShares": {
    "kind": "struct",
    "fields": [
      {
        "name": "contributor",
        "shape": {
          "kind": "bytes",
          "len": 20,
          "text": "address"
        }
      },
      {
        "name": "shares",
        "shape": {
          "kind": "uint",
          "bits": 128
        }
      }
    ]
  },
  "DatasetId": {
    "kind": "newtype",
    "shape": {
      "kind": "uint",
      "bits": 64
    }
  },
  "DatasetWeight": {
    "kind": "struct",
    "fields": [
      {
        "name": "dataset",
        "shape": {
          "kind": "named",
          "name": "DatasetId"
        }
      },
      {
        "name": "weight",
        "shape": {
          "kind": "bps"
        }
      }
    ]
  },
  "DigitalSourceType": {
    "kind": "enum",
    "tagging": {
      "kind": "external"
    },
    "variants": [
      {
        "tag": 0,
        "name": "trainedAlgorithmicMedia",
        "body": {
          "kind": "unit"
        }
      },
      {
        "tag": 1,
        "name": "compositeWithTrainedAlgorithmicMedia",
        "body": {
          "kind": "unit"
        }
      },
      {
        "tag": 2,
        "name": "composite",
        "body": {
          "kind": "unit"
        }
      }
    ]
  },
  "DisputeId": {
    "kind": "newtype",
    "shape": {
      "kind": "uint",
      "bits": 64
    }
  },
  "FeeParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "block_gas_limit",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "elasticity_multiplier",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "base_fee_change_denominator",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "min_base_fee",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "gas",
        "shape": {
          "kind": "named",
          "name": "GasSchedule"
        }
      }
    ]
  },
  "FeedId": {
    "kind": "newtype",
    "shape": {
      "kind": "text",
      "max": 64
    }
  },
  "FeedSpec": {
    "kind": "struct",
    "fields": [
      {
        "name": "id",
        "shape": {
          "kind": "named",
          "name": "FeedId"
        }
      },
      {
        "name": "quorum",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "heartbeat_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "deviation",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "staleness_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "round_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      }
    ]
  },
  "FieldName": {
    "kind": "newtype",
    "shape": {
      "kind": "text",
      "max": 64
    }
  },
  "GasSchedule": {
    "kind": "struct",
    "fields": [
      {
        "name": "tx",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "transfer",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "mint_stable",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "burn_stable",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "register_dataset",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "per_contributor",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "register_model",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "claim_royalties",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "provider",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "submit_job",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "job_update",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "dispute",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "revenue",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "register_derivative",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "listing",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "buy",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "staking",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "propose",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "vote",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "clusters",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "liquidity",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "swap",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "oracle",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "compliance",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      }
    ]
  },
  "GovParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "deposit",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "voting_delay_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "voting_period_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "timelock_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "grace_period_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "quorum",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "max_actions",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "max_steps_per_block",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      }
    ]
  },
  "GovernanceMsg": {
    "kind": "enum",
    "tagging": {
      "kind": "internal",
      "tag": "type"
    },
    "variants": [
      {
        "tag": 0,
        "name": "propose",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "summary",
              "shape": {
                "kind": "text",
                "max": 1024
              }
            },
            {
              "name": "actions",
              "shape": {
                "kind": "list",
                "max": 16,
                "item": {
                  "kind": "named",
                  "name": "Action"
                }
              }
            }
          ]
        }
      },
      {
        "tag": 1,
        "name": "vote",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "proposal",
              "shape": {
                "kind": "named",
                "name": "ProposalId"
              }
            },
            {
              "name": "choice",
              "shape": {
                "kind": "named",
                "name": "Choice"
              }
            }
          ]
        }
      },
      {
        "tag": 2,
        "name": "claim_grant",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "grant",
              "shape": {
                "kind": "uint",
                "bits": 64
              }
            }
          ]
        }
      }
    ]
  },
  "Item": {
    "kind": "enum",
    "tagging": {
      "kind": "internal",
      "tag": "kind"
    },
    "variants": [
      {
        "tag": 0,
        "name": "asset",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "asset",
              "shape": {
                "kind": "named",
                "name": "AssetId"
              }
            }
          ]
        }
      },
      {
        "tag": 1,
        "name": "shares",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "vault",
              "shape": {
                "kind": "named",
                "name": "VaultId"
              }
            },
            {
              "name": "units",
              "shape": {
                "kind": "uint",
                "bits": 64
              }
            }
          ]
        }
      }
    ]
  },
  "JobId": {
    "kind": "newtype",
    "shape": {
      "kind": "uint",
      "bits": 64
    }
  },
  "ListingId": {
    "kind": "newtype",
    "shape": {
      "kind": "uint",
      "bits": 64
    }
  },
  "MarketMsg": {
    "kind": "enum",
    "tagging": {
      "kind": "internal",
      "tag": "type"
    },
    "variants": [
      {
        "tag": 0,
        "name": "list",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "item",
              "shape": {
                "kind": "named",
                "name": "Item"
              }
            },
            {
              "name": "price",
              "shape": {
                "kind": "amount"
              }
            },
            {
              "name": "denom",
              "shape": {
                "kind": "text",
                "max": 16,
                "denom": true
              }
            },
            {
              "name": "expires_in",
              "shape": {
                "kind": "uint",
                "bits": 64
              }
            }
          ]
        }
      },
      {
        "tag": 1,
        "name": "cancel",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "listing",
              "shape": {
                "kind": "named",
                "name": "ListingId"
              }
            }
          ]
        }
      },
      {
        "tag": 2,
        "name": "buy",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "listing",
              "shape": {
                "kind": "named",
                "name": "ListingId"
              }
            },
            {
              "name": "max_price",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      }
    ]
  },
  "MarketParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "protocol_fee",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "dataset_royalty",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "min_price",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "max_listing_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      }
    ]
  },
  "ModelId": {
    "kind": "newtype",
    "shape": {
      "kind": "uint",
      "bits": 64
    }
  },
  "Msg": {
    "kind": "enum",
    "tagging": {
      "kind": "external"
    },
    "variants": [
      {
        "tag": 0,
        "name": "bank",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "BankMsg"
          }
        }
      },
      {
        "tag": 1,
        "name": "registry",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "RegistryMsg"
          }
        }
      },
      {
        "tag": 2,
        "name": "compute",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "ComputeMsg"
          }
        }
      },
      {
        "tag": 4,
        "name": "provenance",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "ProvenanceMsg"
          }
        }
      },
      {
        "tag": 3,
        "name": "revenue",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "RevenueMsg"
          }
        }
      },
      {
        "tag": 5,
        "name": "market",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "MarketMsg"
          }
        }
      },
      {
        "tag": 6,
        "name": "staking",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "StakingMsg"
          }
        }
      },
      {
        "tag": 7,
        "name": "governance",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "GovernanceMsg"
          }
        }
      },
      {
        "tag": 8,
        "name": "clusters",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "ClustersMsg"
          }
        }
      },
      {
        "tag": 9,
        "name": "amm",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "AmmMsg"
          }
        }
      },
      {
        "tag": 10,
        "name": "oracle",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "OracleMsg"
          }
        }
      },
      {
        "tag": 11,
        "name": "compliance",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "ComplianceMsg"
          }
        }
      }
    ]
  },
  "OracleMsg": {
    "kind": "enum",
    "tagging": {
      "kind": "internal",
      "tag": "type"
    },
    "variants": [
      {
        "tag": 0,
        "name": "register_operator",
        "body": {
          "kind": "unit"
        }
      },
      {
        "tag": 1,
        "name": "leave_oracle",
        "body": {
          "kind": "unit"
        }
      },
      {
        "tag": 2,
        "name": "submit_observation",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "feed",
              "shape": {
                "kind": "named",
                "name": "FeedId"
              }
            },
            {
              "name": "round",
              "shape": {
                "kind": "uint",
                "bits": 64
              }
            },
            {
              "name": "value",
              "shape": {
                "kind": "uint",
                "bits": 128
              }
            }
          ]
        }
      }
    ]
  },
  "OracleParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "min_stake",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "max_operators",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "outlier_distance",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "outlier_penalty",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "history_rounds",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "feeds",
        "shape": {
          "kind": "list",
          "max": 32,
          "item": {
            "kind": "named",
            "name": "FeedSpec"
          }
        }
      }
    ]
  },
  "ParamsChange": {
    "kind": "enum",
    "tagging": {
      "kind": "external"
    },
    "variants": [
      {
        "tag": 0,
        "name": "fees",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "FeeParams"
          }
        }
      },
      {
        "tag": 1,
        "name": "registry",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "RegistryParams"
          }
        }
      },
      {
        "tag": 2,
        "name": "compute",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "ComputeParams"
          }
        }
      },
      {
        "tag": 3,
        "name": "provenance",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "ProvenanceParams"
          }
        }
      },
      {
        "tag": 4,
        "name": "market",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "MarketParams"
          }
        }
      },
      {
        "tag": 5,
        "name": "staking",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "StakingParams"
          }
        }
      },
      {
        "tag": 6,
        "name": "governance",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "GovParams"
          }
        }
      },
      {
        "tag": 7,
        "name": "clusters",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "ClusterParams"
          }
        }
      },
      {
        "tag": 8,
        "name": "amm",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "AmmParams"
          }
        }
      },
      {
        "tag": 10,
        "name": "oracle",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "OracleParams"
          }
        }
      },
      {
        "tag": 11,
        "name": "treasury",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "TreasuryParams"
          }
        }
      },
      {
        "tag": 9,
        "name": "compliance",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "ComplianceParams"
          }
        }
      }
    ]
  },
  "ProposalId": {
    "kind": "newtype",
    "shape": {
      "kind": "uint",
      "bits": 64
    }
  },
  "ProvenanceMsg": {
    "kind": "enum",
    "tagging": {
      "kind": "internal",
      "tag": "type"
    },
    "variants": [
      {
        "tag": 0,
        "name": "register_derivative",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "parents",
              "shape": {
                "kind": "list",
                "max": 16,
                "item": {
                  "kind": "named",
                  "name": "AssetId"
                }
              }
            },
            {
              "name": "output_hash",
              "shape": {
                "kind": "bytes",
                "len": 32,
                "text": "hex"
              }
            },
            {
              "name": "prompt_hash",
              "shape": {
                "kind": "bytes",
                "len": 32,
                "text": "hex"
              }
            },
            {
              "name": "source_type",
              "shape": {
                "kind": "named",
                "name": "DigitalSourceType"
              }
            },
            {
              "name": "policy",
              "shape": {
                "kind": "named",
                "name": "RoyaltyPolicy"
              }
            }
          ]
        }
      }
    ]
  },
  "ProvenanceParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "max_parents",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "max_ancestors",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "max_royalty_share",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "max_royalty_stack",
        "shape": {
          "kind": "bps"
        }
      }
    ]
  },
  "RegistryMsg": {
    "kind": "enum",
    "tagging": {
      "kind": "internal",
      "tag": "type"
    },
    "variants": [
      {
        "tag": 0,
        "name": "register_dataset",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "content_hash",
              "shape": {
                "kind": "bytes",
                "len": 32,
                "text": "hex"
              }
            },
            {
              "name": "license",
              "shape": {
                "kind": "text",
                "max": 256
              }
            },
            {
              "name": "contributors",
              "shape": {
                "kind": "list",
                "max": 4096,
                "item": {
                  "kind": "named",
                  "name": "ContributorShares"
                }
              }
            }
          ]
        }
      },
      {
        "tag": 1,
        "name": "add_contributors",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "dataset",
              "shape": {
                "kind": "named",
                "name": "DatasetId"
              }
            },
            {
              "name": "contributors",
              "shape": {
                "kind": "list",
                "max": 4096,
                "item": {
                  "kind": "named",
                  "name": "ContributorShares"
                }
              }
            }
          ]
        }
      },
      {
        "tag": 2,
        "name": "register_model",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "class",
              "shape": {
                "kind": "text",
                "max": 32
              }
            },
            {
              "name": "weights_hash",
              "shape": {
                "kind": "bytes",
                "len": 32,
                "text": "hex"
              }
            },
            {
              "name": "parent",
              "shape": {
                "kind": "option",
                "item": {
                  "kind": "named",
                  "name": "ModelId"
                }
              }
            },
            {
              "name": "datasets",
              "shape": {
                "kind": "list",
                "max": 64,
                "item": {
                  "kind": "named",
                  "name": "DatasetWeight"
                }
              }
            },
            {
              "name": "performance_fee",
              "shape": {
                "kind": "bps"
              }
            },
            {
              "name": "style",
              "shape": {
                "kind": "text",
                "max": 32
              }
            }
          ]
        }
      },
      {
        "tag": 3,
        "name": "claim_royalties",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "dataset",
              "shape": {
                "kind": "named",
                "name": "DatasetId"
              }
            }
          ]
        }
      }
    ]
  },
  "RegistryParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "max_lineage_depth",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "max_lineage_datasets",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "max_contributors_per_msg",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "max_performance_fee",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "max_lineage_fee",
        "shape": {
          "kind": "bps"
        }
      }
    ]
  },
  "ReputationRates": {
    "kind": "struct",
    "fields": [
      {
        "name": "stake",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "creation_ugdc",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "creation_uusd",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "creation_cap",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "decay",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      }
    ]
  },
  "RevenueMsg": {
    "kind": "enum",
    "tagging": {
      "kind": "internal",
      "tag": "type"
    },
    "variants": [
      {
        "tag": 0,
        "name": "claim_revenue",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "vault",
              "shape": {
                "kind": "named",
                "name": "VaultId"
              }
            }
          ]
        }
      },
      {
        "tag": 1,
        "name": "transfer_shares",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "vault",
              "shape": {
                "kind": "named",
                "name": "VaultId"
              }
            },
            {
              "name": "to",
              "shape": {
                "kind": "bytes",
                "len": 20,
                "text": "address"
              }
            },
            {
              "name": "units",
              "shape": {
                "kind": "uint",
                "bits": 64
              }
            }
          ]
        }
      }
    ]
  },
  "RoyaltyPolicy": {
    "kind": "struct",
    "fields": [
      {
        "name": "share",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "license_fee",
        "shape": {
          "kind": "amount"
        }
      }
    ]
  },
  "SchemaId": {
    "kind": "newtype",
    "shape": {
      "kind": "uint",
      "bits": 64
    }
  },
  "Side": {
    "kind": "enum",
    "tagging": {
      "kind": "external"
    },
    "variants": [
      {
        "tag": 0,
        "name": "sell_gdc",
        "body": {
          "kind": "unit"
        }
      },
      {
        "tag": 1,
        "name": "sell_usd",
        "body": {
          "kind": "unit"
        }
      }
    ]
  },
  "SlashDestination": {
    "kind": "enum",
    "tagging": {
      "kind": "external"
    },
    "variants": [
      {
        "tag": 0,
        "name": "burn",
        "body": {
          "kind": "unit"
        }
      },
      {
        "tag": 1,
        "name": "treasury",
        "body": {
          "kind": "unit"
        }
      }
    ]
  },
  "StakingMsg": {
    "kind": "enum",
    "tagging": {
      "kind": "internal",
      "tag": "type"
    },
    "variants": [
      {
        "tag": 0,
        "name": "stake",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "amount",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      },
      {
        "tag": 1,
        "name": "unstake",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "amount",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      },
      {
        "tag": 2,
        "name": "withdraw",
        "body": {
          "kind": "fields",
          "fields": []
        }
      },
      {
        "tag": 3,
        "name": "register_validator",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "consensus_key",
              "shape": {
                "kind": "bytes",
                "len": 32,
                "text": "hex"
              }
            },
            {
              "name": "p2p_addr",
              "shape": {
                "kind": "text",
                "max": 128
              }
            },
            {
              "name": "min_self_stake",
              "shape": {
                "kind": "amount"
              }
            }
          ]
        }
      },
      {
        "tag": 4,
        "name": "update_validator",
        "body": {
          "kind": "fields",
          "fields": [
            {
              "name": "consensus_key",
              "shape": {
                "kind": "option",
                "item": {
                  "kind": "bytes",
                  "len": 32,
                  "text": "hex"
                }
              }
            },
            {
              "name": "p2p_addr",
              "shape": {
                "kind": "text",
                "max": 128
              }
            },
            {
              "name": "min_self_stake",
              "shape": {
                "kind": "option",
                "item": {
                  "kind": "amount"
                }
              }
            }
          ]
        }
      },
      {
        "tag": 5,
        "name": "leave_validators",
        "body": {
          "kind": "fields",
          "fields": []
        }
      }
    ]
  },
  "StakingParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "epoch_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "min_stake",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "unbonding_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "max_unbonding_entries",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "slash_destination",
        "shape": {
          "kind": "named",
          "name": "SlashDestination"
        }
      },
      {
        "name": "equivocation_slash",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "relation_window_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "rates",
        "shape": {
          "kind": "named",
          "name": "ReputationRates"
        }
      },
      {
        "name": "tiers",
        "shape": {
          "kind": "list",
          "max": 16,
          "item": {
            "kind": "named",
            "name": "Tier"
          }
        }
      },
      {
        "name": "validators",
        "shape": {
          "kind": "named",
          "name": "ValidatorParams"
        }
      }
    ]
  },
  "Subject": {
    "kind": "enum",
    "tagging": {
      "kind": "adjacent",
      "tag": "kind",
      "content": "id"
    },
    "variants": [
      {
        "tag": 0,
        "name": "dataset",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "DatasetId"
          }
        }
      },
      {
        "tag": 1,
        "name": "model",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "ModelId"
          }
        }
      },
      {
        "tag": 2,
        "name": "asset",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "AssetId"
          }
        }
      }
    ]
  },
  "Tier": {
    "kind": "struct",
    "fields": [
      {
        "name": "name",
        "shape": {
          "kind": "text",
          "max": 32
        }
      },
      {
        "name": "min_reputation",
        "shape": {
          "kind": "uint",
          "bits": 128
        }
      },
      {
        "name": "propose",
        "shape": {
          "kind": "bool"
        }
      },
      {
        "name": "cluster_slots",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      }
    ]
  },
  "TreasuryParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "conversion_share",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "shortfall_conversion_share",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "max_conversion_per_epoch",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "max_slippage",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "max_price_move",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "ma_weight",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "ma_cap",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "cushion",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "wall",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "velocity_floor_ppm",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "trigger_epochs",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "window_epochs",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "defence_epochs",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "infra_cost_per_epoch",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "runway_target_epochs",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "reserve_floor_epochs",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "pol_target",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "max_pol_add_per_epoch",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "grants_share",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "history_epochs",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "style_incentive_share",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "max_style_incentive",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "style_incentive_fee_cap",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "style_incentive_to_datasets",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "engagement_step",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "engagement_max",
        "shape": {
          "kind": "bps"
        }
      }
    ]
  },
  "Tx": {
    "kind": "struct",
    "fields": [
      {
        "name": "chain_id",
        "shape": {
          "kind": "text",
          "max": 48
        }
      },
      {
        "name": "sender",
        "shape": {
          "kind": "bytes",
          "len": 32,
          "text": "hex"
        }
      },
      {
        "name": "nonce",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "expiry_height",
        "shape": {
          "kind": "height"
        }
      },
      {
        "name": "gas_limit",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "max_fee_per_gas",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "max_priority_fee_per_gas",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "msgs",
        "shape": {
          "kind": "list",
          "max": 65,
          "item": {
            "kind": "named",
            "name": "Msg"
          }
        }
      }
    ]
  },
  "ValidatorParams": {
    "kind": "struct",
    "fields": [
      {
        "name": "max_validators",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "max_candidates",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "min_self_stake",
        "shape": {
          "kind": "amount"
        }
      },
      {
        "name": "reputation_backing",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      },
      {
        "name": "selection_lead_blocks",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "jail_epochs",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "evidence_epochs",
        "shape": {
          "kind": "uint",
          "bits": 64
        }
      },
      {
        "name": "max_missed_share",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "min_recorded_views",
        "shape": {
          "kind": "uint",
          "bits": 32
        }
      }
    ]
  },
  "VaultId": {
    "kind": "enum",
    "tagging": {
      "kind": "adjacent",
      "tag": "kind",
      "content": "id"
    },
    "variants": [
      {
        "tag": 0,
        "name": "model",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "ModelId"
          }
        }
      },
      {
        "tag": 1,
        "name": "asset",
        "body": {
          "kind": "newtype",
          "shape": {
            "kind": "named",
            "name": "AssetId"
          }
        }
      }
    ]
  },
  "Waterfall": {
    "kind": "struct",
    "fields": [
      {
        "name": "treasury",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "datasets",
        "shape": {
          "kind": "bps"
        }
      },
      {
        "name": "burn",
        "shape": {
          "kind": "bps"
        }
      }
    ]
  }
};
