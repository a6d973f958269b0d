// Prompt model 1 with "a red fox" for 100 compute units at up to 0.002 GDC a unit, as dev account
// 4 (the model, an attested dataset and a provider must exist: see the README's compute walkthrough).
// Run: npm run build && node dist/examples/prompt-job.js
import { Client, Key, parseCoin, promptHash, toHex } from "../src/index.js";

const client = new Client(process.env["ATELIER_NODE"] ?? "http://127.0.0.1:26657");
const price = parseCoin("0.002GDC").amount.toString();
const sent = await client.send(
  Key.dev(4),
  [
    {
      compute: {
        type: "submit_job",
        model: 1,
        units: 100,
        max_fee_per_unit: price,
        tip_per_unit: "0",
        prompt_hash: toHex(promptHash("a red fox")),
        params_hash: "00".repeat(32),
        deterministic: true,
        parents: [],
        policy: { share: 0, license_fee: "0" },
      },
    },
  ],
  { wait: true },
);
console.log(`job submitted in ${sent.hash} at height ${sent.height}`);
