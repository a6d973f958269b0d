// How fast the dashboard a node serves comes up in Chromium, and how much it transfers: the
// overview (first tiles, then every chart drawn) and an account page (its history shown), each
// opened RUNS times with an empty cache; and the latency of the series query the charts make.
// Prints one JSON report. `bench/dashboard.sh` builds a busy chain and runs this against it:
//
//   ATELIER_API=http://127.0.0.1:26657 ACCOUNT=atelier1… RUNS=5 node bench.mjs
import { chromium } from 'playwright-core';

const api = process.env.ATELIER_API ?? 'http://127.0.0.1:26657';
const account = process.env.ACCOUNT;
const runs = Number(process.env.RUNS ?? 5);
const chrome = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!account) throw new Error('set ACCOUNT to the address whose page to open');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

/** Opens `hash` in a fresh context: milliseconds from navigation to each of `marks` (selectors),
 * and the bytes and requests the page transferred until the last one. */
async function open(browser, hash, marks) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const session = await context.newCDPSession(page);
  await session.send('Network.enable');
  await session.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  let requests = 0;
  session.on('Network.loadingFinished', (event) => { bytes += event.encodedDataLength; requests += 1; });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${api}/${hash}`, { waitUntil: 'commit' });
  const times = {};
  for (const [name, selector] of Object.entries(marks)) {
    await page.waitForSelector(selector, { timeout: 120_000 });
    times[name] = await page.evaluate(() => performance.now());
  }
  await context.close();
  if (errors.length) throw new Error(`${hash}: ${errors.join('; ')}`);
  return { ...times, bytes, requests };
}

async function timed(path) {
  const started = performance.now();
  const response = await fetch(`${api}${path}`, { headers: { 'accept-encoding': 'gzip' } });
  const body = await response.arrayBuffer();
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return { ms: performance.now() - started, bytes: body.byteLength };
}

const browser = await chromium.launch({ executablePath: chrome, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const status = await (await fetch(`${api}/status`)).json();
const report = { height: status.height, runs };
for (const [name, hash, marks] of [
  ['overview_day', '#/', { tiles_ms: '.tiles .tile', charts_ms: '.charts[data-ready]' }],
  ['overview_all', '#/?range=all', { tiles_ms: '.tiles .tile', charts_ms: '.charts[data-ready]' }],
  ['account', `#/account/${account}`, { history_ms: 'main table.history tbody tr' }],
]) {
  const samples = [];
  for (let run = 0; run < runs; run++) samples.push(await open(browser, hash, marks));
  report[name] = Object.fromEntries(Object.keys(samples[0]).map((key) => [key, median(samples.map((s) => s[key]))]));
}
await browser.close();
for (const [name, path] of [
  ['series_all', '/stats/series?metric=supply'],
  ['series_all_400_points', `/stats/series?metric=supply&from=0&step=${Math.ceil(status.height / 400)}`],
  ['series_last_10000_blocks', `/stats/series?metric=supply&from=${Math.max(0, status.height - 10_000)}`],
]) {
  const samples = [];
  for (let run = 0; run < 20; run++) samples.push(await timed(path));
  report[name] = { ms: median(samples.map((s) => s.ms)), json_bytes: median(samples.map((s) => s.bytes)) };
}
console.log(JSON.stringify(report, null, 2));
