// The typed client's types are what openapi-typescript makes of the node's OpenAPI document
// (`openapi.json`, which the node's Rust tests keep equal to `GET /openapi.json`).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import openapiTS, { astToString } from "openapi-typescript";

test("src/generated/api.ts is generated from the node's OpenAPI document", async () => {
  const generated = astToString(await openapiTS(new URL("../../openapi.json", import.meta.url)));
  const committed = readFileSync(new URL("../../src/generated/api.ts", import.meta.url), "utf8");
  assert.ok(committed.endsWith(generated), "src/generated/api.ts is stale: run npm run generate");
});
