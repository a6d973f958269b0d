// The dashboard a dev node serves, in Debian's Chromium: every page renders with the API's
// numbers, the search box finds each kind of thing, live updates arrive, and no page logs an
// error. Screenshots of each page at desktop and phone widths go to target/browser/.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const binary = process.env.ATELIER_BIN ?? `${root}target/debug/atelier`;
const chrome = process.env.CHROMIUM ?? '/usr/bin/chromium';
const shots = `${root}target/browser`;

let node;
let api;
let browser;
let work;
let accounts;

/** `atelier --node API --output json ARGS`, which must succeed: its JSON. */
function atelier(...args) {
  const run = spawnSync(binary, ['--node', api, '--output', 'json', ...args], { encoding: 'utf8', cwd: work });
  assert.equal(run.status, 0, `atelier ${args.join(' ')}: ${run.stderr}`);
  return run.stdout.trim() ? JSON.parse(run.stdout) : null;
}

async function get(path) {
  const response = await fetch(`${api}${path}`);
  assert.ok(response.ok, `${path}: ${response.status}`);
  return response.json();
}

async function until(what, check, seconds = 60) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    assert.ok(Date.now() - started < seconds * 1000, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

before(async () => {
  assert.ok(existsSync(binary), `no atelier binary at ${binary}: build it (cargo build -p atelier-cli) or set ATELIER_BIN`);
  assert.ok(existsSync(chrome), `no Chromium at ${chrome}: install Debian's chromium (apt-get install chromium) or set CHROMIUM`);
  mkdirSync(shots, { recursive: true });
  work = fileURLToPath(new URL('.', import.meta.url));
  node = spawn(binary, ['--output', 'json', 'node', '--dev', '--api-addr', '127.0.0.1:0', '--block-time-ms', '200'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let banner = '';
  for await (const line of createInterface({ input: node.stdout })) {
    banner += line;
    if (line === '}') break;
  }
  ({ api_url: api, accounts } = JSON.parse(banner));
  browser = await chromium.launch({
    executablePath: chrome,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  node?.kill('SIGTERM');
});

/** A page at `hash` that fails the test on any console error or failed request. */
async function open(hash, width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${api}/${hash}`);
  await shown(page, hash);
  return { page, errors };
}

/** Waits until the dashboard has drawn the page whose hash starts with `hash`. */
async function shown(page, hash) {
  await page.waitForFunction((prefix) => (document.getElementById('page').dataset.shown ?? '').startsWith(prefix), hash);
}

async function shoot(page, name) {
  await page.screenshot({ path: `${shots}/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${shots}/${name}-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('the overview shows the economy the API reports, with charts and live events', async () => {
  // Remixes of this design will give it 5% of their revenue (the gallery test makes one).
  atelier('prompt', '--model', '1', 'a red fox', '--royalty-share', '500', '--license-fee', '0.01GDC', '--out', `${shots}/fox.png`);
  const settled = await until('the job to settle', async () => {
    const metrics = await get('/stats/metrics');
    return Number(metrics.latest.jobs_settled) >= 1 && metrics;
  });
  const { page, errors } = await open('#/');
  await page.waitForSelector('.charts[data-ready]');
  const tile = await page.textContent('[data-metric="jobs_settled"]');
  const now = await get('/stats/metrics');
  assert.ok([settled.latest.jobs_settled, now.latest.jobs_settled].includes(tile.replaceAll(',', '')), tile);
  const charts = await page.locator('.uplot').count();
  assert.ok(charts >= 10, `${charts} charts`);
  const leaders = await get('/staking/leaders?limit=10');
  assert.equal(await page.locator('table.leaders tbody tr').count(), leaders.leaders.length);
  // Demand by style in the epoch the page names, as the API counts it.
  const epoch = (await page.textContent('main h2:has-text("Demand by style")')).match(/epoch ([\d,]+)/)[1].replaceAll(',', '');
  const styles = await get(`/registry/styles?epoch=${epoch}`);
  const rows = await page.$$eval('table.styles tbody tr', (trs) => trs.map((tr) => tr.dataset.style));
  assert.deepEqual(rows, styles.styles.map((d) => d.style));
  // A transfer shows up in the live feed without a reload.
  atelier('tx', 'bank', 'transfer', '--from', 'dev4', '--to', 'dev5', '--amount', '1GDC', '--wait');
  await page.waitForSelector('#feed li', { timeout: 15000 });
  await shoot(page, 'overview');
  assert.deepEqual(errors, []);
});

test('the gallery shows every design, and a remix draws its lineage and royalty stack', async () => {
  atelier('prompt', '--model', '2', 'a tiled garden', '--parent', '1', '--out', `${shots}/garden.png`);
  const gallery = await get('/gallery');
  const remix = gallery.items.find((asset) => asset.parents.length);
  assert.ok(remix, 'the remix is an asset with a parent');
  const { page, errors } = await open('#/gallery');
  await page.waitForSelector('.gallery .card');
  assert.equal(await page.locator('.gallery .card').count(), gallery.items.length);
  await until('every thumbnail to load', () => page.$$eval('.gallery img', (images) =>
    images.every((img) => img.complete && img.naturalWidth > 0)));
  await shoot(page, 'gallery');

  await page.click(`a.card[href="#/asset/${remix.id}"]`);
  await page.waitForSelector('svg.lineage');
  const edges = await page.$$eval('svg.lineage .edge', (paths) => paths.map((p) => `${p.dataset.from}->${p.dataset.to}`));
  assert.deepEqual(edges.sort(), remix.parents.map((edge) => `${edge.parent}->${remix.id}`).sort());
  assert.match(await page.textContent('main'), /a tiled garden/);
  const stack = await get(`/assets/${remix.id}/royalty-stack`);
  assert.ok(stack.length > 0, 'the remix gives its parent a share');
  for (const entry of stack) {
    await page.waitForSelector(`main table a[href="#/asset/${entry.ancestor}"]`);
  }
  await shoot(page, 'remix');
  // The parent's page draws the same edge from the other side.
  await page.click(`svg.lineage a[data-asset="${remix.parents[0].parent}"]`);
  await shown(page, `#/asset/${remix.parents[0].parent}`);
  await page.waitForSelector(`svg.lineage .edge[data-to="${remix.id}"]`, { state: 'attached' });
  assert.deepEqual(errors, []);
});

/** Reads a download the page started as text. */
async function downloaded(download) {
  let text = '';
  for await (const chunk of await (await download).createReadStream()) text += chunk;
  return text;
}

/** An account's history page, once the node's history index has reached `height`. */
async function historyAt(address, height) {
  return until(`the history index to reach ${height}`, async () => {
    const page = await get(`/accounts/${address}/events?limit=25`);
    return page.indexed_height >= height && page;
  });
}

test('an account shows its designs, jobs, history, totals and vaults, with CSVs; models and datasets link up', async () => {
  const requester = accounts.find((account) => account.name === 'dev4');
  const jobs = await get(`/compute/jobs?requester=${requester.address}&limit=25`);
  const owned = await get(`/assets?owner=${requester.address}&limit=12`);
  const history = await historyAt(requester.address, (await get('/status')).height);
  const totals = await get(`/accounts/${requester.address}/totals`);
  const vaults = await get(`/accounts/${requester.address}/vaults`);
  const { page, errors } = await open(`#/account/${requester.address}`);
  await page.waitForSelector('main h1');
  await page.waitForSelector('main .gallery .card');
  assert.equal(await page.locator('main .gallery .card').count(), owned.items.length);
  assert.equal(await page.locator('main table.jobs tbody tr').count(), jobs.items.length);
  const jobsDownload = page.waitForEvent('download');
  await page.click('text=Download jobs CSV');
  const jobsCsv = (await downloaded(jobsDownload)).trim().split('\n');
  assert.equal(jobsCsv.length, jobs.items.length + 1, jobsCsv.join('\n'));
  assert.match(jobsCsv[0], /\bid\b.*\bstatus\b/);

  // The history: the API's newest page, row for row, and as CSV.
  assert.ok(history.items.length > 0, 'dev4 has done things');
  const rows = await page.$$eval('main table.history tbody tr', (trs) => trs.map((tr) => tr.dataset.height));
  assert.deepEqual(rows, history.items.map((item) => String(item.height)));
  const historyDownload = page.waitForEvent('download');
  await page.click('text=Download history CSV');
  const historyCsv = (await downloaded(historyDownload)).trim().split('\n');
  assert.equal(historyCsv.length, history.items.length + 1);
  assert.match(historyCsv[0], /^height,tx_hash,module,type/);
  // Totals and vault positions, as the API counts them.
  const requested = totals.tallies.find((t) => t.name === 'jobs_requested');
  assert.equal((await page.textContent('[data-tally="jobs_requested"] td')).trim(), `${requested.value} jobs`);
  assert.equal(await page.locator('main [data-vault]').count(), vaults.positions.length);
  assert.ok(vaults.positions.length > 0, 'its designs opened vaults');
  await shoot(page, 'account-history');

  await page.click('main table.jobs tbody a[href="#/model/2"]');
  await shown(page, '#/model/2');
  assert.match(await page.textContent('main'), /model 1/);
  await page.click('main a[href="#/dataset/1"]');
  await shown(page, '#/dataset/1');
  assert.match(await page.textContent('main'), /CC-BY-4.0/);
  assert.match(await page.textContent('main'), /valid/);
  await shoot(page, 'dataset');
  assert.deepEqual(errors, []);
});

test('a sale shows on the design page with its price, in its history and holders, and on the buyer page', async () => {
  const [seller, buyer] = ['dev4', 'dev6'].map((name) => accounts.find((account) => account.name === name));
  const asset = (await get(`/assets?owner=${seller.address}&limit=1`)).items[0];
  atelier('tx', 'market', 'list', '--from', 'dev4', '--asset', String(asset), '--price', '2GDC', '--wait');
  const listing = (await get('/market/listings')).items.find((l) => l.item.kind === 'asset' && l.item.asset === asset);
  const bought = atelier('tx', 'market', 'buy', '--from', 'dev6', '--listing', String(listing.id), '--max-price', '2000000', '--wait');
  await historyAt(buyer.address, bought.height);
  const holders = await get(`/vaults/asset/${asset}/holders`);
  const { page, errors } = await open(`#/asset/${asset}`);
  const sale = await page.waitForSelector(`table.sales tr[data-tx="${bought.hash}"]`);
  assert.match(await sale.textContent(), /2 GDC/);
  assert.equal(await page.locator('table.holders tbody tr').count(), holders.items.length);
  assert.match(await page.textContent('main table.history'), /market · sold/);
  await shoot(page, 'asset-sold');

  await page.goto(`${api}/#/account/${buyer.address}`);
  await shown(page, `#/account/${buyer.address}`);
  await page.waitForSelector('[data-tally="purchases"]');
  assert.equal((await page.textContent('[data-tally="purchases"] td')).trim(), '1 purchase');
  assert.deepEqual(errors, []);
});

test('the blocks page grows as blocks come, and a block links to its transactions', async () => {
  const { page, errors } = await open('#/blocks');
  await page.waitForSelector('tbody tr[data-height]');
  const first = Number(await page.getAttribute('tbody tr[data-height]', 'data-height'));
  await until('a new block on the page', async () =>
    Number(await page.getAttribute('tbody tr[data-height]', 'data-height')) > first);
  await shoot(page, 'blocks');
  assert.deepEqual(errors, []);
});

test('an account\'s balances are checked in the browser against their proof, and a changed figure fails the check', async () => {
  const holder = accounts.find((account) => account.name === 'dev2');
  const { page, errors } = await open(`#/account/${holder.address}`);
  const mark = page.locator('main [data-proof]');
  await mark.waitFor();
  assert.equal(await mark.getAttribute('data-proof'), 'verified');
  assert.match(await mark.textContent(), /verified at block \d+/);
  assert.match(await mark.getAttribute('title'), /proven against state root [0-9a-f]{64}/);
  await page.close();
  assert.deepEqual(errors, []);

  // A node that inflates a balance: the proof no longer gives the figure shown.
  const lied = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await lied.route('**/accounts/*?prove=true', async (route) => {
    const answer = await (await route.fetch()).json();
    answer.balances[0].amount = (BigInt(answer.balances[0].amount) * 10n).toString();
    await route.fulfill({ json: answer });
  });
  await lied.goto(`${api}/#/account/${holder.address}`);
  await shown(lied, `#/account/${holder.address}`);
  const failed = lied.locator('main [data-proof]');
  assert.equal(await failed.getAttribute('data-proof'), 'failed');
  assert.match(await failed.getAttribute('title'), /not what its proven entries give/);
  await lied.close();
});

test('the search box finds blocks, transactions, accounts and assets', async () => {
  const sent = atelier('tx', 'bank', 'transfer', '--from', 'dev4', '--to', 'dev6', '--amount', '2GDC', '--wait');
  const receiver = accounts.find((account) => account.name === 'dev6');
  const { page, errors } = await open('#/');
  const search = async (text, expect) => {
    await page.fill('#query', text);
    await page.press('#query', 'Enter');
    await shown(page, expect);
  };
  await search(String(sent.height), `#/block/${sent.height}`);
  assert.match(await page.textContent('main h1'), new RegExp(`Block ${sent.height}`));
  await page.waitForSelector(`a[href="#/tx/${sent.hash}"]`);
  await shoot(page, 'block');

  await search(sent.hash, `#/tx/${sent.hash}`);
  await page.waitForSelector('.fields');
  assert.match(await page.textContent('.fields'), /applied/);
  assert.match(await page.textContent('main'), /bank · transfer/);
  await shoot(page, 'transaction');

  await search(receiver.address, `#/account/${receiver.address}`);
  await page.waitForSelector('.fields');
  const account = await get(`/accounts/${receiver.address}`);
  const gdc = account.balances.find((coin) => coin.denom === 'ugdc');
  const onPage = await page.textContent('main');
  const whole = (BigInt(gdc.amount) / 1000000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  assert.ok(onPage.includes(whole), `${whole} GDC not on the account page`);
  await shoot(page, 'account');

  await search('dev6', `#/account/${receiver.address}`);
  await page.waitForSelector('.fields');

  await search('asset 1', '#/asset/1');
  const image = await page.waitForSelector('img.asset-image');
  await until('the design to load', () => image.evaluate((img) => img.complete && img.naturalWidth > 0));
  await shoot(page, 'asset');

  await search('no such thing', '#/search');
  assert.match(await page.textContent('main'), /Nothing found/);
  await search('999999', '#/block/999999');
  assert.match(await page.textContent('main'), /no block 999999 yet/);
  assert.deepEqual(errors, []);
});

test('governance and provider pages show what the API holds', async () => {
  atelier('tx', 'governance', 'propose', '--from', 'dev1', '--summary', 'fund the indexer', '--spend', `${accounts[5].address}=1000000`, '--wait');
  const listed = await get('/governance/proposals');
  const proposal = listed.items[listed.items.length - 1];
  const { page, errors } = await open('#/proposals');
  await page.waitForSelector(`a[href="#/proposal/${proposal.id}"]`);
  assert.match(await page.textContent('main'), /fund the indexer/);
  await page.click(`a[href="#/proposal/${proposal.id}"]`);
  await shown(page, `#/proposal/${proposal.id}`);
  assert.match(await page.textContent('main h1'), new RegExp(`Proposal ${proposal.id}: fund the indexer`));
  assert.match(await page.textContent('main'), /treasury spend/);
  assert.match(await page.textContent('main'), new RegExp(`voting ends\\s*${proposal.voting_ends}`));
  await shoot(page, 'proposal');

  const providers = await get('/compute/providers');
  await page.goto(`${api}/#/providers`);
  await shown(page, '#/providers');
  await page.waitForSelector('main tbody tr');
  assert.equal(await page.locator('main tbody tr').count(), providers.items.length);
  await shoot(page, 'providers');
  // The provider that served the jobs: its record as the API counts it, and its recent work.
  const served = await Promise.all(providers.items.map(async (p) => [p.address, await get(`/accounts/${p.address}/totals`)]));
  const [busiest, totals] = served.find(([, t]) => t.tallies.find((x) => x.name === 'jobs_served').value !== '0');
  await page.click(`a[href="#/provider/${busiest}"]`);
  await page.waitForSelector('[data-tally="jobs_served"]');
  const jobsServed = totals.tallies.find((t) => t.name === 'jobs_served').value;
  assert.match(await page.textContent('[data-tally="jobs_served"] td'), new RegExp(`^${jobsServed} jobs?$`));
  assert.ok(await page.locator('main table.history tbody tr').count() > 0, 'its jobs are listed');
  await shoot(page, 'provider');
  assert.deepEqual(errors, []);
});

test('an oracle round the operators close shows its value on the oracle page', async () => {
  const feed = await get('/oracle/feeds/gdc_usd');
  const round = feed.round.number;
  for (const operator of ['dev0', 'dev1', 'dev2']) {
    atelier('tx', 'oracle', 'observe', '--from', operator, '--feed', 'gdc_usd', '--round', String(round), '--value', '450000000000', '--wait');
  }
  const published = await until('the round to publish', async () => {
    const now = await get('/oracle/feeds/gdc_usd');
    return now.latest && now.latest.round >= round && now;
  });
  const { page, errors } = await open('#/oracle');
  await page.waitForSelector('tr[data-feed="gdc_usd"]');
  assert.equal((await page.textContent('tr[data-feed="gdc_usd"] td.value')).trim(), '$0.45');
  assert.match(await page.textContent('tr[data-feed="gdc_usd"]'), new RegExp(`round ${published.latest.round} at block`));
  assert.match(await page.textContent('tr[data-feed="gdc_usd"]'), /fresh/);
  await shoot(page, 'oracle');
  assert.deepEqual(errors, []);
});

test('the validators page weighs the candidates as the API does, and shows the set the chain chose, with the views each missed, or that there is none', async () => {
  const dev0 = accounts.find((account) => account.name === 'dev0').address;
  const dev5 = accounts.find((account) => account.name === 'dev5').address;
  // dev0 holds stake and reputation; dev5's fresh stake has earned none yet, so it weighs nothing.
  atelier('tx', 'validator', 'register', '--from', 'dev0', '--p2p-addr', '127.0.0.1:26700', '--wait',
    '--consensus-key', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  atelier('tx', 'staking', 'stake', '--from', 'dev5', '--amount', '500GDC', '--wait');
  atelier('tx', 'validator', 'register', '--from', 'dev5', '--p2p-addr', '127.0.0.1:26701', '--wait',
    '--consensus-key', '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');
  const { page, errors } = await open('#/validators');
  const found = await get('/staking/validators');
  const weightOf = async (address) => page.getAttribute(`tr[data-candidate="${address}"] td[data-weight]`, 'data-weight');
  const established = found.candidates.find((c) => c.candidate.operator === dev0);
  assert.ok(established.eligible && BigInt(established.weight) > 0n, 'dev0 is eligible with weight');
  assert.ok(BigInt(await weightOf(dev0)) > 0n);
  assert.equal(await weightOf(dev5), '0', 'stake alone weighs nothing');
  assert.match(await page.textContent(`tr[data-candidate="${dev5}"]`), /no/);
  // A dev chain starts without a set; once it has candidates, it chooses one for each next epoch.
  if (found.current === null) assert.match(await page.textContent('main'), /No validator set for this epoch/);
  else {
    const rows = page.locator('table.validators').first().locator('tbody tr');
    assert.equal(await rows.count(), found.current.validators.length);
    // Each validator's views missed, as the chain counted them (none on a chain without consensus).
    for (let i = 0; i < found.current.validators.length; i += 1) {
      assert.equal(await rows.nth(i).locator('td[data-missed]').getAttribute('data-missed'), String(found.liveness?.missed[i] ?? 0));
    }
  }
  await shoot(page, 'validators');
  assert.deepEqual(errors, []);
});

test('a compliance report shows as an open dispute, and a model page its standing', async () => {
  const reported = atelier('tx', 'compliance', 'report', '--from', 'dev9', '--subject', 'model/2', '--evidence-hash', 'ab'.repeat(32), '--bond', '100GDC', '--wait');
  assert.equal(reported.status, 'included');
  const disputes = await get('/compliance/disputes');
  const dispute = disputes.items[disputes.items.length - 1];
  const { page, errors } = await open('#/compliance');
  const row = await page.waitForSelector(`tr:has([data-dispute="${dispute.id}"])`);
  assert.match(await row.textContent(), /model 2/);
  assert.match(await row.textContent(), /open/);
  assert.match(await page.textContent('main'), /ethical-sourcing/);
  await shoot(page, 'compliance');
  await page.click(`tr:has([data-dispute="${dispute.id}"]) a[href="#/model/2"]`);
  await shown(page, '#/model/2');
  assert.match(await page.textContent('main'), new RegExp(`dispute ${dispute.id}`));
  const holders = await get('/vaults/model/2/holders');
  assert.equal(await page.locator('table.holders tbody tr').count(), holders.items.length);
  assert.ok(holders.items.length > 0, 'the fine-tuner holds its vault');
  await shoot(page, 'model');
  assert.deepEqual(errors, []);
});

test('the overview shows what the oracle agents steered: engagement, prudence and the style incentive by style', async () => {
  // The dev node's oracle agents forecast demand once an epoch closed; the epoch after, the
  // treasury pays the style incentive to the models of the styles asked for.
  const report = await until('a style incentive to be paid', async () => {
    const treasury = await get('/treasury');
    if (treasury.last_report?.steering.incentives.length > 0) return treasury.last_report;
    // The incentive pays styles whose jobs paid fees in the epoch: ask for one.
    atelier('prompt', '--model', '1', 'a botanical study', '--out', `${shots}/steering-prompt.png`);
    return null;
  }, 180);
  // An epoch may close between the page's drawing and the API's answer: then look again.
  let page, errors, treasury;
  for (let attempt = 1; ; attempt++) {
    ({ page, errors } = await open('#/'));
    await page.waitForSelector('[data-incentive]');
    treasury = (await get('/treasury')).last_report;
    const heading = await page.textContent('section.panel:has([data-incentive]) h2');
    if (heading === `Steering, epoch ${treasury.epoch.toLocaleString('en-US')}` || attempt === 3) break;
    await page.close();
  }
  assert.ok(treasury.epoch >= report.epoch);
  const paid = treasury.steering.incentives.reduce((sum, i) => sum + BigInt(i.amount), 0n);
  assert.equal(await page.getAttribute('[data-incentive]', 'data-incentive'), paid.toString());
  assert.equal(await page.locator('table.incentives tbody tr').count(), treasury.steering.incentives.length);
  const styles = new Set(treasury.steering.incentives.map((i) => i.style));
  assert.equal(await page.locator('.bars .bar').count(), styles.size);
  await shoot(page, 'steering');
  assert.deepEqual(errors, []);
});

test('dark and light themes both render, and the choice is kept', async () => {
  const { page, errors } = await open('#/');
  await page.waitForSelector('.uplot');
  const before = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.click('#theme');
  const after = await page.evaluate(() => document.documentElement.dataset.theme);
  assert.notEqual(before, after);
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), after);
  await page.waitForSelector('.uplot');
  await shoot(page, `overview-${after}`);
  assert.deepEqual(errors, []);
});
