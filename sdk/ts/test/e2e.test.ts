// End to end against a dev node process (`atelier node --dev`, the binary cargo builds, or
// $ATELIER_BIN): the SDK signs and submits a transfer, a job and a stake, and the chain applies
// them; what simulation says would fail is not sent.

import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { addressBytes, ApiError, Client, concat, Key, promptHash, toHex, verifyAccount, verifyState } from "../src/index.js";

const binary =
  process.env["ATELIER_BIN"] ?? fileURLToPath(new URL("../../../../target/debug/atelier", import.meta.url));

let node: ChildProcess;
let api: string;

before(async () => {
  assert.ok(existsSync(binary), `no atelier binary at ${binary}: build it (cargo build -p atelier-cli) or set ATELIER_BIN`);
  node = spawn(binary, ["--output", "json", "node", "--dev", "--no-provider", "--api-addr", "127.0.0.1:0", "--block-time-ms", "0"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  let banner = "";
  for await (const line of createInterface({ input: node.stdout! })) {
    banner += line;
    if (line === "}") break;
  }
  api = JSON.parse(banner).api_url;
});

after(() => {
  node?.kill("SIGTERM");
});

/** `atelier --node API ARGS`, which must succeed. */
function atelier(...args: string[]): void {
  const run = spawnSync(binary, ["--node", api, ...args], { encoding: "utf8" });
  assert.equal(run.status, 0, `atelier ${args.join(" ")}: ${run.stderr}`);
}

test("the SDK signs and sends a transfer the chain applies", async () => {
  const client = new Client(api);
  const stranger = new Key(randomBytes(32));
  const sent = await client.send(
    Key.dev(1),
    [{ bank: { type: "transfer", to: stranger.address, denom: "ugdc", amount: "2000000" } }],
    { wait: true },
  );
  assert.ok(sent.height !== undefined, "included");
  const account = await client.account(stranger.address);
  assert.deepEqual(account.balances, [{ denom: "ugdc", amount: "2000000" }]);
  const record = await client.tx(sent.hash);
  assert.equal(record.receipt?.outcome.status, "applied");
});

test("a balance read with its proof is checked against the block's state root", async () => {
  const client = new Client(api);
  const stranger = new Key(randomBytes(32));
  await client.send(Key.dev(1), [{ bank: { type: "transfer", to: stranger.address, denom: "ugdc", amount: "3000000" } }], {
    wait: true,
  });
  const balanceKey = (denom: string) =>
    concat(new TextEncoder().encode("bank/balance/"), addressBytes(stranger.address), new TextEncoder().encode(denom));
  const answer = await client.state([balanceKey("ugdc"), balanceKey("uusd")], { prove: true });
  const verified = verifyState(answer);
  const amount = new Uint8Array(16);
  new DataView(amount.buffer).setBigUint64(0, 3_000_000n, true);
  assert.deepEqual([...verified.values.values()], [toHex(amount), null]);
  const status = await client.status();
  assert.equal(verified.blockHash, status.block_hash);
  // The account route, proven: its nonce and balances read back from the proven entries.
  const account = verifyAccount(await client.account(stranger.address, { prove: true }), status.block_hash);
  assert.deepEqual([account.nonce, account.balances], [0, [{ denom: "ugdc", amount: 3_000_000n }]]);
});

test("the SDK prompts a model: the job is admitted with the prompt's hash", async () => {
  const hex = (byte: string) => byte.repeat(32);
  atelier("tx", "registry", "register-dataset", "--from", "dev1", "--content-hash", hex("11"), "--license", "CC-BY-4.0",
    "--contributor", "dev5=1", "--wait");
  atelier("tx", "registry", "register-model", "--from", "dev2", "--class", "image-xl", "--weights", hex("44"), "--dataset",
    "1=10000", "--wait");
  atelier("tx", "compliance", "attest", "--from", "dev8", "--schema", "1", "--subject", "dataset/1", "--data-hash",
    hex("33"), "--wait");
  atelier("tx", "compute", "register-provider", "--from", "dev3", "--bond", "1000GDC", "--endpoint",
    "https://gpu.example", "--capacity", "image-xl=1000", "--wait");
  const client = new Client(api);
  const requester = Key.dev(4);
  const stored = await client.putBlob(new TextEncoder().encode("a red fox"));
  const prompt = toHex(promptHash("a red fox"));
  assert.equal(stored.hash, prompt, "the prompt's blob is named by the job's prompt hash");
  assert.equal(new TextDecoder().decode(await client.getBlob(prompt)), "a red fox");
  const job = {
    compute: {
      type: "submit_job" as const,
      model: 1,
      units: 100,
      max_fee_per_unit: "2000",
      tip_per_unit: "300",
      prompt_hash: prompt,
      params_hash: "00".repeat(32),
      deterministic: true,
      parents: [],
      policy: { share: 0, license_fee: "0" },
    },
  };
  await client.send(requester, [job], { wait: true });
  const admitted = await client.read("/compute/jobs/{id}", { path: { id: 1 } });
  assert.equal(admitted.status, "admitted");
  assert.equal(admitted.prompt_hash, prompt);
  assert.equal(admitted.requester, requester.address);
});

test("a transaction the chain refuses is an ApiError with its code, and nothing is charged", async () => {
  const client = new Client(api);
  const poor = new Key(randomBytes(32));
  await assert.rejects(
    client.send(poor, [{ bank: { type: "transfer", to: Key.dev(1).address, denom: "ugdc", amount: "1" } }]),
    (error: unknown) => error instanceof ApiError && error.status === 422 && error.code !== undefined,
  );
});

test("a message kind beyond the examples encodes and applies: dev 5 stakes 3 GDC", async () => {
  const client = new Client(api);
  const staker = Key.dev(5);
  const before = await client.read("/staking/accounts/{address}", { path: { address: staker.address } });
  await client.send(staker, [{ staking: { type: "stake", amount: "3000000" } }], { wait: true });
  const after = await client.read("/staking/accounts/{address}", { path: { address: staker.address } });
  assert.equal(BigInt(after.bonded) - BigInt(before.bonded), 3_000_000n);
});

test("what simulation says would fail is not sent unless forced, and then the node refuses it", async () => {
  const client = new Client(api);
  const sender = Key.dev(6);
  const { next_nonce } = await client.account(sender.address);
  const tooMuch = [{ bank: { type: "transfer" as const, to: Key.dev(1).address, denom: "ugdc", amount: "1" + "0".repeat(30) } }];
  await assert.rejects(client.send(sender, tooMuch), (error: unknown) => error instanceof ApiError && error.error === "would_be_refused");
  assert.equal((await client.account(sender.address)).next_nonce, next_nonce, "nothing was sent");
  await assert.rejects(
    client.send(sender, tooMuch, { force: true }),
    (error: unknown) => error instanceof ApiError && error.error === "rejected" && error.code !== undefined,
  );
});
