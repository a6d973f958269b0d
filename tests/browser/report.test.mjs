// The simulator's report.html in Debian's Chromium: made by `atelier sim run` on short runs, it
// draws every chart it keeps without an error, its tick labels are round and never repeat (as
// drawn, after a zoom, and on sample ranges), hovering shows values, each chart downloads as
// CSV, legends name only what the sweep varies, and sections with nothing to show are left out.
// Screenshots go to target/browser/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const binary = process.env.ATELIER_BIN ?? `${root}target/debug/atelier`;
const chrome = process.env.CHROMIUM ?? '/usr/bin/chromium';
const shots = `${root}target/browser`;

let browser;
let work;

/** `atelier sim run SCENARIO ARGS --out DIR`: DIR's report. */
function report(name, ...args) {
  const out = join(work, name);
  const run = spawnSync(binary, ['sim', 'run', `${root}scenarios/${name}.toml`, '--runs', '1', ...args, '--out', out], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return join(out, 'report.html');
}

async function open(path) {
  const page = await browser.newPage({ viewport: { width: 1320, height: 900 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(`file://${path}`);
  await page.waitForFunction(() => window.atelierReport);
  return { page, errors };
}

/** A tick label's number (suffixes K, M, B, T applied). */
function number(label) {
  const scale = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[label.at(-1)] ?? 1;
  return Number(label.replace(/[KMBT,]/g, '')) * scale;
}

/** Labels that differ, at evenly spaced round values: a step of 1, 2, 2.5 or 5 × 10^k. */
function assertRound(labels, where) {
  assert.equal(new Set(labels).size, labels.length, `${where}: repeated labels ${labels}`);
  const values = labels.map(number);
  assert.ok(values.every(Number.isFinite), `${where}: ${labels}`);
  const steps = values.slice(1).map((v, i) => v - values[i]);
  for (const step of steps) {
    assert.ok(Math.abs(step - steps[0]) <= Math.abs(steps[0]) * 1e-6, `${where}: uneven steps ${labels}`);
  }
  if (steps.length) {
    const mantissa = steps[0] / 10 ** Math.floor(Math.log10(steps[0]));
    assert.ok([1, 2, 2.5, 5].some((m) => Math.abs(mantissa - m) < 1e-6), `${where}: step ${steps[0]} of ${labels}`);
  }
}

before(() => {
  assert.ok(existsSync(binary), `no atelier binary at ${binary}: build it (cargo build -p atelier-cli) or set ATELIER_BIN`);
  assert.ok(existsSync(chrome), `no Chromium at ${chrome}: install Debian's chromium or set CHROMIUM`);
  mkdirSync(shots, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'atelier-report-'));
  return chromium.launch({ executablePath: chrome, args: ['--headless', '--no-sandbox', '--disable-gpu'] }).then((b) => {
    browser = b;
  });
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

test('an attack swept over two floors: every chart drawn with round, unique ticks, values on hover, a CSV each', async () => {
  const path = report('attack-wash-trading', '--sweep', 'blocks=60', '--sweep', 'genesis.cushion_bps=500,1500');
  const { page, errors } = await open(path);
  await page.screenshot({ path: `${shots}/report-attack.png`, fullPage: true });
  const sections = await page.locator('h2').allInnerTexts();
  assert.ok(sections.includes('What to see first') && sections.includes('Attacker PnL'), sections.join(' | '));
  const flags = await page.locator('#flags tbody tr').allInnerTexts();
  assert.ok(flags.some((f) => f.includes('the attack does not pay')), flags.join('\n'));
  const figures = await page.locator('figure.chart').count();
  assert.ok(figures >= 10, `${figures} charts`);
  assert.equal(await page.locator('figure.chart canvas').count(), figures, 'a canvas per chart');
  const legend = await page.locator('figure.chart').first().locator('.u-legend').innerText();
  assert.match(legend, /genesis\.cushion_bps=500/);
  assert.doesNotMatch(legend, /blocks=60/, 'a sweep of one value is not in the legend');

  const ticks = await page.evaluate(() => window.atelierReport.ticks);
  for (const [id, axes] of Object.entries(ticks)) {
    const bars = await page.evaluate((id) => window.atelierReport.charts.find((c) => c.id === id).kind === 'bars', id);
    assertRound(axes.y, `${id} y`);
    if (!bars) assertRound(axes.x, `${id} x`);
  }

  // Zoomed into five blocks, the ticks stay round and distinct.
  const zoomed = await page.evaluate(() => {
    const plot = window.atelierReport.plots['chart-0'];
    plot.setScale('x', { min: 20, max: 25 });
    return window.atelierReport.ticks['chart-0'];
  });
  assertRound(zoomed.x, 'zoomed x');
  assertRound(zoomed.y, 'zoomed y');

  // Hovering the middle of a chart shows each line's value in its legend.
  const plot = page.locator('#chart-2 .u-over');
  await plot.hover({ position: { x: 200, y: 50 } });
  const values = await page.locator('#chart-2 .u-legend .u-series:not(.band-edge) .u-value').allInnerTexts();
  assert.ok(values.slice(1).every((v) => v !== '—' && v !== ''), `hover values: ${values}`);

  const download = page.waitForEvent('download');
  await page.locator('#chart-2 button.csv').click();
  const file = await (await download).path();
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const chart = await page.evaluate(() => window.atelierReport.charts.find((c) => c.id === 'chart-2'));
  assert.equal(lines.length, 1 + chart.x.length, 'a header and a row per x');
  assert.ok(lines[0].startsWith('block,genesis.cushion_bps=500 ('), lines[0]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('tick labels on sample ranges are round and never repeat', async () => {
  const { page } = await open(report('attack-wash-trading', '--sweep', 'blocks=20'));
  const cases = await page.evaluate(() => {
    const { tickLabels } = window.atelierReport;
    const range = (from, step, n) => Array.from({ length: n }, (_, i) => from + i * step);
    return [
      tickLabels(range(1000, 0.1, 6), 0.1), // what once read 1.00K, 1.00K, 1.00K
      tickLabels(range(0, 500, 5), 500),
      tickLabels(range(0, 25_000, 5), 25_000),
      tickLabels(range(999_990, 5, 5), 5),
      tickLabels(range(-2e9, 1e9, 5), 1e9),
      tickLabels(range(0.8, 0.05, 5), 0.05),
      tickLabels(range(1e12, 2.5e11, 4), 2.5e11),
    ];
  });
  for (const labels of cases) assertRound(labels, labels.join(' '));
  assert.deepEqual(cases[1], ['0', '500', '1,000', '1,500', '2,000']);
  assert.deepEqual(cases[2], ['0K', '25K', '50K', '75K', '100K']);
  await page.close();
});

test('a scenario without attackers or voters leaves their sections out and says what it left', async () => {
  const { page, errors } = await open(report('demand-spike', '--sweep', 'blocks=40'));
  await page.screenshot({ path: `${shots}/report-demand-spike.png`, fullPage: true });
  const sections = await page.locator('h2').allInnerTexts();
  assert.ok(!sections.includes('Attacker PnL') && !sections.includes('Governance'), sections.join(' | '));
  assert.match(await page.locator('.left-out').innerText(), /Proposals since genesis/);
  const legend = await page.locator('figure.chart').first().locator('.u-legend').innerText();
  assert.match(legend, /mean of runs/, 'one point: nothing varies');
  assert.deepEqual(errors, []);
  await page.close();
});
