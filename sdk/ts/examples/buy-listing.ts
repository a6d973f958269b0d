// Buy listing 1 for at most 50 GDC as dev account 7 (someone must have listed: `atelier tx market
// list …`). Run: npm run build && node dist/examples/buy-listing.js
import { Client, Key, parseCoin } from "../src/index.js";

const client = new Client(process.env["ATELIER_NODE"] ?? "http://127.0.0.1:26657");
const listing = await client.read("/market/listings/{id}", { path: { id: 1 } });
const most = parseCoin("50GDC").amount;
if (listing.denom !== "ugdc" || BigInt(listing.price) > most) {
  throw new Error(`listing 1 asks ${listing.price} ${listing.denom}: more than 50 GDC`);
}
const sent = await client.send(Key.dev(7), [{ market: { type: "buy", listing: listing.id, max_price: listing.price } }], {
  wait: true,
});
console.log(`bought listing 1 in ${sent.hash} at height ${sent.height}`);
