// Send 5 GDC from dev account 1 to dev account 2 on a dev chain (`atelier node --dev`), and wait
// for the block. Run: npm run build && node dist/examples/transfer.js
import { Client, Key, parseCoin } from "../src/index.js";

const client = new Client(process.env["ATELIER_NODE"] ?? "http://127.0.0.1:26657");
const [from, to] = [Key.dev(1), Key.dev(2)];
const { denom, amount } = parseCoin("5GDC");
const sent = await client.send(from, [{ bank: { type: "transfer", to: to.address, denom, amount: amount.toString() } }], {
  wait: true,
});
console.log(`${sent.hash} included at height ${sent.height}`);
console.log(await client.account(to.address));
