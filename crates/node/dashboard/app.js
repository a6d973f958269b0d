// The node's dashboard: the economy at a glance and an explorer, from the node's own API.
// Plain JavaScript, no build step. Pages are addressed by the URL's hash (#/block/12), so every
// page can be shared; data only ever reaches the page as text (never as HTML).
'use strict';

const page = document.getElementById('page');
const headLabel = document.getElementById('head');

// --- helpers ---------------------------------------------------------------------------------

/** An element with attributes and children (strings become text). */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error;
  }
}

/** GET a path of the API as JSON; a non-2xx answer throws its documented error. */
async function api(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** `api(path)`, or null when the node says there is no such thing. */
async function maybe(path) {
  try {
    return await api(path);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

const DECIMALS = 6;
const SYMBOLS = { ugdc: 'GDC', uusd: 'USD' };

/** A base-unit amount (a decimal string) in whole tokens, grouped, without float rounding. */
function tokens(base, denom = 'ugdc') {
  const text = String(base ?? '0');
  const negative = text.startsWith('-');
  const digits = (negative ? text.slice(1) : text).padStart(DECIMALS + 1, '0');
  const whole = digits.slice(0, -DECIMALS).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let fraction = digits.slice(-DECIMALS).replace(/0+$/, '');
  if (whole.length > 7) fraction = fraction.slice(0, 2);
  const symbol = SYMBOLS[denom] || denom;
  return `${negative ? '−' : ''}${whole}${fraction ? '.' + fraction : ''} ${symbol}`;
}

/** A count, grouped. */
function count(value) {
  return String(value ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A price in uusd per ugdc × 10^12, as USD per GDC. */
function price(scaled) {
  const value = Number(scaled) / 1e12;
  return value === 0 ? '—' : `$${value.toLocaleString('en-US', { maximumSignificantDigits: 5 })}`;
}

function bps(value) {
  return `${(Number(value) / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })}%`;
}

function ago(ms) {
  const seconds = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(ms).toLocaleString();
}

function short(text, keep = 10) {
  text = String(text);
  return text.length > 2 * keep + 1 ? `${text.slice(0, keep)}…${text.slice(-6)}` : text;
}

const link = {
  block: (height) => h('a', { href: `#/block/${height}` }, count(height)),
  tx: (hash) => h('a', { href: `#/tx/${hash}`, class: 'mono' }, short(hash)),
  account: (address) => h('a', { href: `#/account/${address}`, class: 'mono' }, short(address, 12)),
  asset: (id) => h('a', { href: `#/asset/${id}` }, `asset ${id}`),
};

/** A value of an API record, with links where it names something. */
function show(value, key = '') {
  if (value === null || value === undefined) return '—';
  if (value instanceof Node) return value;
  if (typeof value === 'string') {
    if (/^atelier1[0-9a-z]{20,}$/.test(value)) return link.account(value);
    if (/^[0-9a-f]{64}$/.test(value)) return h('code', {}, value);
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    if (key === 'asset' && typeof value === 'number') return link.asset(value);
    return String(value);
  }
  return h('pre', {}, JSON.stringify(value, null, 2));
}

/** A record as a two-column table. */
function fields(record, order) {
  const keys = order || Object.keys(record);
  return h('table', { class: 'fields' },
    keys.filter((k) => k in record).map((key) =>
      h('tr', {}, h('th', {}, key.replaceAll('_', ' ')), h('td', {}, show(record[key], key)))));
}

function message(text, kind = 'empty') {
  return h('div', { class: kind }, text);
}

function render(...children) {
  page.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined));
}

/** A link to the API answer a page's figures come from (opens the JSON). */
function apiLink(path, label = 'API') {
  return h('a', { class: 'source', href: path, target: '_blank', rel: 'noopener', title: `The figures come from GET ${path}` }, label);
}

/** A titled panel whose figures come from `source` (a path of the API), linked beside its title
 * (a title may carry a mark: `[text, proofMark(answer)]`). */
function panel(title, source, ...children) {
  return h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h2', {}, title), source ? apiLink(source) : null), ...children);
}

/** Checks an account answered with `prove=true` here, with the SDK's own check (`verifyAccount`):
 * the proofs against the header's state root, and the nonce and balances read back from the proven
 * entries. A mark saying so, or saying what failed. */
function proofMark(account) {
  try {
    const verified = AtelierProof.verifyAccount(account);
    return h('span', { class: 'proof verified', 'data-proof': 'verified',
      title: `Checked in this browser: the nonce and balances are what ${verified.values.size} state entries proven against state root ${verified.stateRoot} of block ${verified.height} give` },
    `✓ verified at block ${verified.height}`);
  } catch (error) {
    return h('span', { class: 'proof failed', 'data-proof': 'failed', title: error.message }, '✗ proof failed');
  }
}

// --- the head, live ----------------------------------------------------------------------------

let status = null;
const headListeners = new Set();

async function pollHead() {
  try {
    const next = await api('/status');
    const moved = !status || next.height !== status.height;
    status = next;
    headLabel.replaceChildren(
      h('span', {}, `${status.chain_id} · block `), link.block(status.height),
      h('span', {}, ` · ${status.mempool_txs} pending`));
    if (moved) for (const listener of headListeners) listener(status);
  } catch (error) {
    headLabel.textContent = `node unreachable: ${error.message}`;
  }
}

/** Calls `listener` on each new head while the page that asked is shown. */
function onHead(listener) {
  headListeners.add(listener);
  return () => headListeners.delete(listener);
}

// --- charts --------------------------------------------------------------------------------------

const charts = [];

function themeColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

const PALETTE = ['#f0a35e', '#6cb4ee', '#6cc38f', '#c792ea', '#ef7070', '#e5c07b', '#56b6c2'];

/** Where a point sits on a chart's x axis: its block's time, or its height. */
const X_AXES = { time: (p) => p.time_ms / 1000, height: (p) => p.height };

/** A line chart of several series over block time (or height), with axes at round values and a legend. */
function lineChart(container, title, series, format, xAxis = 'time') {
  const width = Math.max(280, container.clientWidth - 28);
  const x = X_AXES[xAxis];
  const times = series[0] ? series[0].points.map(x) : [];
  const data = [times, ...series.map((s) => alignTo(times, s.points, x))];
  const axis = { stroke: themeColor('--muted'), grid: { stroke: themeColor('--line'), width: 1 }, ticks: { stroke: themeColor('--line') } };
  const options = {
    title, width, height: 220,
    series: [{}, ...series.map((s, i) => ({
      label: s.label, stroke: PALETTE[i % PALETTE.length], width: 2,
      value: (_, v) => (v === null || v === undefined ? '—' : format(v)),
    }))],
    axes: [xAxis === 'time' ? axis : { ...axis, values: (_, ticks) => ticks.map((t) => count(Math.round(t))) },
      { ...axis, size: 86, values: (_, ticks) => ticks.map((t) => format(t, true)) }],
    scales: { x: { time: xAxis === 'time' } },
    cursor: { drag: { x: true, y: false } },
  };
  const plot = new uPlot(options, data, container);
  charts.push(plot);
  return plot;
}

/** The values of `points` at `times` (series read over the same blocks share their heights). */
function alignTo(times, points, x) {
  // A figure at the integer's maximum means "no bound yet" (a budget before its first epoch).
  const byTime = new Map(points.map((p) => [x(p), p.value.length > 30 ? null : Number(p.value)]));
  return times.map((t) => (byTime.has(t) ? byTime.get(t) : null));
}

function compact(value) {
  return Number(value).toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 2 });
}

const FORMATS = {
  ugdc: (v) => `${compact(v / 1e6)} GDC`,
  uusd: (v) => `${compact(v / 1e6)} USD`,
  price: (v) => `$${Number(v / 1e12).toLocaleString('en-US', { maximumSignificantDigits: 4 })}`,
  bps: (v) => `${compact(v / 100)}%`,
  plain: (v) => compact(v),
};

window.addEventListener('resize', () => {
  for (const plot of charts) {
    const parent = plot.root.parentElement;
    if (parent) plot.setSize({ width: Math.max(280, parent.clientWidth - 28), height: 220 });
  }
});

// --- pages -------------------------------------------------------------------------------------

const RANGES = { hour: 3600e3, day: 86400e3, all: Infinity };

/** Points a chart asks for over its range, at most. */
const CHART_POINTS = 400;

/** The first block of the last `span` ms, from the chain's average pace. */
async function firstBlockOf(span, head) {
  if (span === Infinity || head.height < 2) return 0;
  const first = await maybe('/blocks/1');
  const elapsed = head.block_time_ms - (first ? first.header.time_ms : head.block_time_ms);
  const perBlock = Math.max(1, elapsed / Math.max(1, head.height - 1));
  return Math.max(0, head.height - Math.ceil(span / perBlock));
}

const OVERVIEW_CHARTS = [
  { title: 'Issued and burned since genesis', format: FORMATS.ugdc, series: [['minted', 'Minted'], ['burned', 'Burned'], ['bought_burned', 'Bought back and burned']] },
  { title: 'Block space: base fee per gas', format: FORMATS.plain, series: [['base_fee', 'Base fee (ugdc/gas)']] },
  { title: 'Block space: gas used against target', format: FORMATS.plain, series: [['gas_used', 'Gas used'], ['gas_target', 'Target']] },
  { title: 'What settled jobs paid, since genesis', format: FORMATS.ugdc, series: [['paid_providers', 'Providers'], ['paid_datasets', 'Datasets'], ['paid_fine_tuners', 'Fine-tuners'], ['paid_treasury', 'Treasury'], ['burned_by_jobs', 'Burned']] },
  { title: 'Pool price, its bands and the oracle', format: FORMATS.price, series: [['price', 'Pool'], ['average', 'Moving average'], ['cushion', 'Cushion'], ['wall', 'Wall'], ['oracle_price', 'Oracle']] },
  { title: 'Treasury', format: FORMATS.ugdc, series: [['treasury_gdc', 'GDC held'], ['grants_left', 'Grants budget left']] },
  { title: 'Stable reserve', format: FORMATS.uusd, series: [['reserve', 'Reserve'], ['bought_back', 'Spent on buy-backs']] },
  { title: 'Royalties and market fees from sales', format: FORMATS.ugdc, series: [['paid_royalties', 'Royalties'], ['market_fees', 'Protocol fees']] },
  { title: 'Jobs admitted per block', format: FORMATS.plain, series: [['jobs_admitted', 'Admitted']] },
  { title: 'Jobs settled and designs sold, since genesis', format: FORMATS.plain, series: [['jobs_settled', 'Jobs settled'], ['sales', 'Sales']] },
  { title: 'Treasury runway', format: FORMATS.plain, series: [['runway_epochs', 'Epochs of infrastructure cost the reserve pays for']] },
  { title: 'Staking', format: FORMATS.ugdc, series: [['bonded', 'Bonded']] },
  { title: 'Reputation Gini', format: FORMATS.bps, series: [['reputation_gini_bps', 'Gini']] },
  { title: 'Governance since genesis', format: FORMATS.plain, series: [['proposals', 'Proposals'], ['proposals_executed', 'Executed'], ['proposals_defeated', 'Defeated'], ['votes', 'Votes']] },
];

function classCharts(classes) {
  return classes.flatMap((name) => [
    { title: `Compute ${name}: base fee per unit`, format: FORMATS.plain, series: [[`class_base_fee/${name}`, 'Base fee (ugdc/unit)']] },
    { title: `Compute ${name}: utilisation and queue`, format: FORMATS.plain, series: [[`class_utilisation_bps/${name}`, 'Utilisation (bps)'], [`class_queued/${name}`, 'Jobs queued']] },
    { title: `Compute ${name}: capacity and target`, format: FORMATS.plain, series: [[`class_capacity/${name}`, 'Capacity (units per block)'], [`class_target/${name}`, 'Target (units per block)']] },
  ]);
}

async function overview(params) {
  const range = RANGES[params.get('range')] ? params.get('range') : 'day';
  const [head, metrics] = await Promise.all([api('/status'), api('/stats/metrics')]);
  const latest = metrics.latest;
  const tile = (label, value, note, source) =>
    h('div', { class: 'tile' }, h('div', { class: 'label' }, label, apiLink(`/stats/series?metric=${encodeURIComponent(source)}`)),
      h('div', { class: 'value', 'data-metric': source }, value), note ? h('div', { class: 'note' }, note) : null);
  const first = (name) => latest[`${name}/${metrics.classes[0]}`];
  const tiles = h('section', { class: 'tiles', 'aria-label': 'The economy now' },
    tile('Supply', tokens(latest.supply), `${tokens(latest.burned)} burned`, 'supply'),
    tile('Pool price', price(latest.price), `oracle ${price(latest.oracle_price)}`, 'price'),
    tile('Treasury', tokens(latest.treasury_gdc), `${tokens(latest.reserve, 'uusd')} reserve`, 'treasury_gdc'),
    tile('Runway', `${count(latest.runway_epochs)} epochs`, latest.grants_left.length > 30 ? 'grants budget set at the first epoch close' : `grants left ${tokens(latest.grants_left)}`, 'runway_epochs'),
    tile('Jobs settled', count(latest.jobs_settled), `${tokens(latest.paid_providers)} to providers`, 'jobs_settled'),
    metrics.classes.length ? tile(`Compute ${metrics.classes[0]}`, `${count(first('class_base_fee'))} ugdc/unit`,
      `${bps(first('class_utilisation_bps') || 0)} used · ${count(first('class_queued'))} queued`, `class_base_fee/${metrics.classes[0]}`) : null,
    tile('Bonded', tokens(latest.bonded), `Gini ${bps(latest.reputation_gini_bps)}`, 'bonded'),
    tile('Governance', `${count(latest.proposals)} proposals`, `${count(latest.votes)} votes`, 'proposals'));
  const ranges = h('div', { class: 'row ranges', role: 'group', 'aria-label': 'Time range' },
    Object.keys(RANGES).map((name) => h('button', {
      type: 'button', 'aria-pressed': String(name === range),
      onclick: () => { location.hash = `#/?range=${name}`; },
    }, name === 'all' ? 'All' : `Last ${name}`)));
  const grid = h('section', { class: 'charts', 'aria-label': 'Charts' });
  const feed = h('ul', { class: 'feed', id: 'feed' });
  const [leaders, styles, treasury] =
    await Promise.all([api('/staking/leaders?limit=10'), api('/registry/styles'), api('/treasury')]);
  render(h('h1', {}, 'The economy'), tiles, ranges, grid,
    h('div', { class: 'pair', style: 'margin-top: 14px' },
      panel(`Demand by style, epoch ${count(styles.epoch)}`, '/registry/styles', styles.styles.length
        ? h('table', { class: 'styles' }, h('thead', {}, h('tr', {}, ['Style', 'Jobs', 'Units', 'Paid'].map((t) => h('th', {}, t)))),
          h('tbody', {}, styles.styles.map((d) => h('tr', { 'data-style': d.style }, h('td', {}, d.style), h('td', {}, count(d.jobs)),
            h('td', {}, count(d.units)), h('td', {}, tokens(d.fees))))))
        : message('No job admitted this epoch yet.')),
      steeringPanel(treasury.last_report),
      panel(`Most reputation (${count(leaders.holders)} holders)`, '/staking/leaders?limit=10', leaders.leaders.length
        ? h('table', { class: 'leaders' }, h('thead', {}, h('tr', {}, ['Account', 'Reputation', 'Share'].map((t) => h('th', {}, t)))),
          h('tbody', {}, leaders.leaders.map((l) => h('tr', {}, h('td', {}, link.account(l.account)), h('td', {}, count(l.reputation)), h('td', {}, bps(l.share_bps))))))
        : message('No one holds reputation yet: it is earned by creating, epoch by epoch.')),
      panel('Live events', '/events', feed)));
  if (!metrics.recording) {
    grid.replaceWith(message('The economy series are behind the chain: stop the node and run `atelier stats rebuild --home DIR`.', 'error'));
    return;
  }
  const from = await firstBlockOf(RANGES[range], head);
  // A chart is a few hundred pixels wide: the last value of each step is all it can show.
  const step = Math.max(1, Math.ceil((head.height - from) / CHART_POINTS));
  const seriesPath = (metric) => `/stats/series?metric=${encodeURIComponent(metric)}&from=${from}&step=${step}`;
  await Promise.all([...OVERVIEW_CHARTS, ...classCharts(metrics.classes)].map(async (chart) => {
    const container = h('div', { class: 'panel chart' });
    grid.append(container);
    const series = await Promise.all(chart.series.map(async ([metric, label]) => {
      const read = await api(seriesPath(metric));
      return { label, points: read.points };
    }));
    if (!series[0].points.length) container.append(h('h2', {}, chart.title), message('No data yet.'));
    else lineChart(container, chart.title, series, chart.format);
    container.append(h('div', { class: 'chart-sources' }, 'API: ', chart.series.map(([metric], i) =>
      [i ? ', ' : '', apiLink(seriesPath(metric), metric)])));
  }));
  grid.dataset.ready = 'true';
  const closeStream = streamEvents(feed);
  const stopTiles = onHead(() => refreshTiles(tiles));
  return () => { closeStream(); stopTiles(); };
}

async function refreshTiles(tiles) {
  const metrics = await api('/stats/metrics');
  const value = (name) => metrics.latest[name];
  for (const node of tiles.querySelectorAll('[data-metric]')) {
    const name = node.dataset.metric;
    if (name === 'supply' || name === 'treasury_gdc' || name === 'bonded') node.textContent = tokens(value(name));
    else if (name === 'price') node.textContent = price(value(name));
    else if (name === 'jobs_settled') node.textContent = count(value(name));
  }
}

/** The node's events as they come, newest first, over the event stream. */
function streamEvents(list) {
  const from = status ? status.height : 0;
  const source = new EventSource(`/events/stream?from_height=${from}`);
  source.onmessage = (message) => {
    const item = JSON.parse(message.data);
    const event = item.event || {};
    const kind = `${event.module || ''} ${(event.event && event.event.type) || ''}`.trim();
    list.prepend(h('li', {}, h('span', { class: 'when' }, 'block ', link.block(item.height)), kind,
      item.tx_hash ? h('span', {}, ' in ', link.tx(item.tx_hash)) : null));
    while (list.children.length > 100) list.lastChild.remove();
  };
  return () => source.close();
}

const BLOCKS_PER_PAGE = 20;

async function blocks(params) {
  const head = await api('/status');
  const top = Math.min(head.height, Number(params.get('before')) || head.height);
  const body = h('tbody');
  const table = h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, ['Height', 'Time', 'Transactions', 'Gas used', 'Base fee', 'Proposer'].map((t) => h('th', {}, t)))),
    body));
  const older = top > BLOCKS_PER_PAGE ? h('a', { class: 'button', href: `#/blocks?before=${top - BLOCKS_PER_PAGE}` }, 'Older') : null;
  const newer = top < head.height ? h('a', { class: 'button', href: '#/blocks' }, 'Latest') : null;
  render(h('h1', {}, 'Blocks'), panel(`Blocks ${count(Math.max(1, top - BLOCKS_PER_PAGE + 1))} to ${count(top)}`, `/blocks/${top}`, table, h('div', { class: 'pager' }, newer, older)));
  const heights = [];
  for (let height = top; height >= 1 && heights.length < BLOCKS_PER_PAGE; height--) heights.push(height);
  const rows = await Promise.all(heights.map((height) => maybe(`/blocks/${height}`)));
  body.replaceChildren(...rows.filter(Boolean).map(blockRow));
  if (!heights.length) body.replaceChildren(h('tr', {}, h('td', { colspan: 6 }, message('No block yet.'))));
  if (top !== head.height) return undefined;
  return onHead(async (now) => {
    const known = Number(body.firstChild && body.firstChild.dataset.height) || 0;
    for (let height = known + 1; height <= now.height; height++) {
      const block = await maybe(`/blocks/${height}`);
      if (block) body.prepend(blockRow(block));
    }
    while (body.children.length > BLOCKS_PER_PAGE) body.lastChild.remove();
  });
}

function blockRow(block) {
  const header = block.header;
  return h('tr', { 'data-height': header.height },
    h('td', {}, link.block(header.height)), h('td', {}, ago(header.time_ms)), h('td', {}, count(block.txs.length)),
    h('td', {}, count(header.gas_used)), h('td', {}, `${count(header.base_fee)} ugdc`), h('td', {}, link.account(header.proposer)));
}

async function block(height) {
  const head = await api('/status');
  const found = height >= 1 && height <= head.height ? await maybe(`/blocks/${height}`) : null;
  if (!found) return render(h('h1', {}, `Block ${height}`), message(`There is no block ${height} yet.`));
  const header = found.header;
  const txs = found.txs.length
    ? h('table', {}, h('tbody', {}, found.txs.map((hash, i) => h('tr', {}, h('td', {}, String(i)), h('td', {}, link.tx(hash))))))
    : message('No transactions.');
  render(h('h1', {}, `Block ${count(height)}`),
    h('div', { class: 'row' },
      height > 1 ? h('a', { class: 'button', href: `#/block/${height - 1}` }, '← Parent') : null,
      h('a', { class: 'button', href: `#/block/${Number(height) + 1}` }, 'Child →')),
    panel('Header', `/blocks/${height}`, fields({ hash: found.hash, time: new Date(header.time_ms).toISOString(), ...header })),
    panel(`Transactions (${found.txs.length})`, `/blocks/${height}`, txs));
}

/** One message or event (`{module: {type, ...}}` or `{module, event: {type, ...}}`) as a titled table. */
function typed(item) {
  const [module, body] = item.module ? [item.module, item.event] : Object.entries(item)[0] || ['', {}];
  const { type, ...rest } = body || {};
  // An amount with its denomination reads in whole tokens.
  if (typeof rest.amount === 'string' && typeof rest.denom === 'string') {
    rest.amount = tokens(rest.amount, rest.denom);
    delete rest.denom;
  }
  const title = type ? `${module} · ${type.replaceAll('_', ' ')}` : module.replaceAll('_', ' ');
  return h('div', { class: 'panel' }, h('h2', {}, title),
    Object.keys(rest).length ? fields(rest) : null);
}

async function transaction(hash) {
  const found = await maybe(`/txs/${hash}`);
  if (!found) return render(h('h1', {}, 'Transaction'), message(`No transaction ${hash} is known to this node.`));
  const receipt = found.receipt || {};
  const outcome = receipt.outcome || {};
  const state = found.status === 'pending' ? 'pending' : outcome.status || 'included';
  const signed = found.tx || {};
  const tx = signed.tx || {};
  const events = receipt.events || [];
  const charged = events.find((e) => e.module === 'fees' && e.event && e.event.type === 'fee_charged');
  render(h('h1', {}, 'Transaction'),
    panel('Receipt', `/txs/${hash}`, fields({
      hash: found.hash, status: h('span', { class: state === 'failed' ? 'failed' : 'ok' }, state),
      block: found.height === null || found.height === undefined ? '—' : link.block(found.height),
      sender: signed.sender, nonce: tx.nonce, fee: receipt.fee ? tokens(receipt.fee) : '—',
      fee_burned: charged ? tokens(charged.event.burned) : '—', fee_tip: charged ? tokens(charged.event.tip) : '—',
      gas: receipt.gas_used === undefined ? '—' : `${count(receipt.gas_used)} used of ${count(tx.gas_limit)}`,
      reason: outcome.reason,
    })),
    h('h2', { style: 'margin-top: 14px' }, `Messages (${(tx.msgs || []).length})`), (tx.msgs || []).map(typed),
    h('h2', { style: 'margin-top: 14px' }, `Events (${events.length})`), events.length ? events.map(typed) : message('No events.'));
}

/** `rows` (objects) as a CSV file the browser downloads. */
function csvLink(name, rows, label = 'Download CSV') {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value) => {
    const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const text = [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\n');
  return h('a', { class: 'button', download: name, href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })) }, label);
}

/** Event fields whose decimal strings are amounts (in the event's `denom`, else ugdc). */
const AMOUNT_FIELDS = /(^|_)(amount|paid|fee|fees|price|burned|treasury|datasets|fine_tuners|tip|base|refund|escrow|bond|proceeds|royalties|bonded|deposit)$/;

/** An event's fields as short "key value" pairs, the account `self` named as such. */
function details(body, self) {
  const { type, denom, ...rest } = body || {};
  return Object.entries(rest).map(([key, value]) => {
    let shown;
    if (value === self) shown = h('strong', {}, 'this account');
    else if (typeof value === 'string' && /^\d+$/.test(value) && AMOUNT_FIELDS.test(key)) shown = tokens(value, denom || 'ugdc');
    else if (key === 'asset' && typeof value === 'number') shown = link.asset(value);
    else if (key === 'vault' && value && value.kind) shown = vaultLink(`${value.kind}/${value.id}`);
    else if (key === 'item' && value && value.kind === 'asset') shown = link.asset(value.asset);
    else if (key === 'item' && value && value.kind === 'shares') shown = h('span', {}, `${count(value.units)} units of `, vaultLink(`${value.vault.kind}/${value.vault.id}`));
    else if (typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)) shown = h('code', {}, short(value, 6));
    else if (value !== null && typeof value === 'object') shown = JSON.stringify(value);
    else shown = show(value, key);
    return h('span', { class: 'kv' }, h('span', { class: 'key' }, `${key.replaceAll('_', ' ')} `), shown);
  });
}

/** One row of an account's history. */
function historyRow(view, self) {
  const event = view.event || {};
  const body = event.event || {};
  return h('tr', { 'data-height': view.height },
    h('td', {}, link.block(view.height)),
    h('td', {}, view.tx_hash ? link.tx(view.tx_hash) : h('span', { class: 'muted' }, 'block end')),
    h('td', {}, `${event.module} · ${(body.type || '').replaceAll('_', ' ')}`),
    h('td', {}, details(body, self)));
}

/** History entries as flat CSV rows: where, what, then the event's own fields. */
function historyCsvRows(items) {
  return items.map((view) => {
    const { type, ...rest } = (view.event && view.event.event) || {};
    return { height: view.height, tx_hash: view.tx_hash || '', module: view.event && view.event.module, type, ...rest };
  });
}

/** A page of a history (an account's or a design's), newest first, with its CSV and pages:
 * `here` is the page's own hash, `param` the query parameter that holds this history's cursor. */
function historyPanel(title, source, page, { here, param, cursor, self, file }) {
  const body = h('tbody', {}, page.items.map((view) => historyRow(view, self)));
  const behind = status && page.indexed_height < status.height - 1
    ? h('p', { class: 'muted' }, `Counted to block ${count(page.indexed_height)}: the newest blocks are still being indexed.`) : null;
  const section = panel(title, source, behind, page.items.length || !cursor
    ? [h('div', { class: 'table-wrap' }, h('table', { class: 'history' },
      h('thead', {}, h('tr', {}, ['Block', 'Transaction', 'Event', 'Details'].map((t) => h('th', {}, t)))), body)),
      page.items.length ? null : message('Nothing yet.'),
      h('div', { class: 'pager' }, csvLink(file, historyCsvRows(page.items), 'Download history CSV'),
        cursor ? h('a', { class: 'button', href: here }, 'Newest') : null,
        page.next ? h('a', { class: 'button', href: `${here}?${param}=${page.next}` }, 'Older') : null)]
    : message('Nothing older.'));
  return { section, body };
}

/** A tally's value in its unit. */
function tallyValue(tally) {
  if (tally.unit === 'ugdc' || tally.unit === 'uusd') return tokens(tally.value, tally.unit);
  const unit = tally.value === '1' ? tally.unit.replace(/(?<=sh)es$|s$/, '') : tally.unit;
  return `${count(tally.value)} ${unit}`;
}

/** The tallies that counted something, as a table (`names` picks and orders them). */
function tallyTable(totals, names) {
  const chosen = names ? names.map((name) => totals.tallies.find((t) => t.name === name)).filter(Boolean)
    : totals.tallies.filter((t) => t.value !== '0');
  if (!chosen.length) return message('Nothing counted yet.');
  return h('table', { class: 'fields' }, h('tbody', {}, chosen.map((t) =>
    h('tr', { 'data-tally': t.name }, h('th', {}, t.about), h('td', {}, tallyValue(t))))));
}

/** A vault's page: an asset's or a model's. */
function vaultLink(vault) {
  const [kind, id] = vault.split('/');
  return h('a', { href: `#/${kind}/${id}` }, `${kind} ${id}`);
}

async function account(address, params) {
  const jobsCursor = params.get('jobs');
  const historyCursor = params.get('history');
  const paths = {
    account: `/accounts/${address}?prove=true`,
    stake: `/staking/accounts/${address}`,
    owned: `/assets?owner=${address}&limit=12`,
    jobs: `/compute/jobs?requester=${address}&limit=25${jobsCursor ? `&cursor=${jobsCursor}` : ''}`,
    history: `/accounts/${address}/events?limit=25${historyCursor ? `&cursor=${historyCursor}` : ''}`,
    totals: `/accounts/${address}/totals`,
    vaults: `/accounts/${address}/vaults`,
    reputation: `/staking/accounts/${address}/reputation/history?points=120`,
  };
  const [found, stake, owned, jobs, history, totals, vaults, reputation] =
    await Promise.all(Object.values(paths).map(maybe));
  if (!found) return render(h('h1', {}, 'Account'), message(`${address} is not an address this node knows.`));
  const here = `#/account/${address}`;
  const balances = found.balances.length
    ? h('table', {}, h('tbody', {}, found.balances.map((coin) => h('tr', {}, h('td', { 'data-denom': coin.denom }, tokens(coin.amount, coin.denom))))))
    : message('No balance.');
  const assets = owned && owned.items.length ? await Promise.all(owned.items.map((id) => api(`/assets/${id}`))) : [];
  const jobRows = jobs ? jobs.items : [];
  const earned = reputation && reputation.points.some((p) => p.reputation !== '0');
  const reputationChart = h('div', { class: 'chart' });
  const shownHistory = historyPanel('History', paths.history, history, { here, param: 'history', cursor: historyCursor, self: address, file: `history-${address}.csv` });
  render(h('h1', { class: 'mono' }, address),
    h('div', { class: 'pair' },
      panel(['Balances ', proofMark(found)], paths.account, balances,
        fields({ nonce: found.nonce, next_nonce: found.next_nonce })),
      panel('What it did, in all', paths.totals, tallyTable(totals))),
    stake ? panel('Stake and reputation', paths.stake,
      fields({ bonded: tokens(stake.bonded), reputation: count(stake.reputation), tier: stake.tier ? stake.tier.name : '—', epoch: stake.epoch }),
      earned ? reputationChart : message('No reputation earned yet.'),
      earned ? h('div', { class: 'chart-sources' }, 'API: ', apiLink(paths.reputation, 'reputation history')) : null) : null,
    panel('Royalty vault positions', paths.vaults, vaults.positions.length
      ? h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['Vault', 'Units', 'Claimable GDC', 'Claimable USD'].map((t) => h('th', {}, t)))),
        h('tbody', {}, vaults.positions.map((held) => h('tr', { 'data-vault': held.vault },
          h('td', {}, vaultLink(held.vault)), h('td', {}, count(held.position.units)),
          h('td', {}, tokens(held.position.claimable_gdc)), h('td', {}, tokens(held.position.claimable_usd, 'uusd')))))))
      : message('No position.'),
      vaults.complete ? null : h('p', { class: 'muted' }, 'Found from its latest 20 000 events; older positions may be missing.')),
    panel('Designs it owns', paths.owned, assets.length
      ? h('div', { class: 'gallery' }, assets.map((asset) => h('a', { class: 'card', href: `#/asset/${asset.id}` }, design(asset, 160), `asset ${asset.id}`)))
      : message('None.'),
      owned && owned.next ? h('p', {}, 'More than shown.') : null),
    panel('Jobs it asked for', paths.jobs, jobRows.length
      ? [h('div', { class: 'table-wrap' }, h('table', { class: 'jobs' },
        h('thead', {}, h('tr', {}, ['Job', 'Model', 'Units', 'Status', 'Provider', 'Design'].map((t) => h('th', {}, t)))),
        h('tbody', {}, jobRows.map((job) => h('tr', {},
          h('td', {}, String(job.id)), h('td', {}, h('a', { href: `#/model/${job.model}` }, `model ${job.model}`)), h('td', {}, count(job.units)),
          h('td', {}, job.status), h('td', {}, job.provider ? link.account(job.provider) : '—'),
          h('td', {}, job.output_hash ? h('a', { href: `/blobs/${job.output_hash}` }, 'output') : '—')))))),
        h('div', { class: 'pager' }, csvLink(`jobs-${address}.csv`, jobRows, 'Download jobs CSV'),
          jobsCursor ? h('a', { class: 'button', href: here }, 'First page') : null,
          jobs.next ? h('a', { class: 'button', href: `${here}?jobs=${jobs.next}` }, 'Next page') : null)]
      : message('None.')),
    shownHistory.section);
  if (earned) {
    lineChart(reputationChart, 'Reputation by block', [{ label: 'Reputation', points: reputation.points.map((p) => ({ ...p, value: p.reputation })) }],
      FORMATS.plain, 'height');
  }
  if (historyCursor) return undefined;
  // The newest page grows as new events name the account.
  const source = new EventSource(`/events/stream?account=${address}&from_height=${history.indexed_height + 1}`);
  source.onmessage = (message) => {
    const view = JSON.parse(message.data);
    const row = historyRow(view, address);
    row.classList.add('fresh');
    shownHistory.body.prepend(row);
    while (shownHistory.body.children.length > 25) shownHistory.body.lastChild.remove();
  };
  return () => source.close();
}

const GALLERY_PAGE = 24;

/** A design's picture, from the node's blob store. */
function design(asset, size) {
  return h('img', { src: `/blobs/${asset.output_hash}`, alt: `asset ${asset.id}`, loading: 'lazy', width: size, height: size, class: 'thumb' });
}

async function gallery(params) {
  const cursor = params.get('cursor');
  const page = await api(`/gallery?limit=${GALLERY_PAGE}${cursor ? `&cursor=${cursor}` : ''}`);
  if (!page.items.length) return render(h('h1', {}, 'Gallery'), message('No design yet: prompt a model (atelier prompt --model 1 "a red fox" --out fox.png).'));
  render(h('h1', {}, 'Gallery'),
    h('section', { class: 'gallery', 'aria-label': 'Designs, newest first' }, page.items.map((asset) =>
      h('a', { class: 'card', href: `#/asset/${asset.id}` }, design(asset, 240),
        h('span', {}, `asset ${asset.id}`, asset.model ? ` · model ${asset.model}` : '', asset.parents.length ? ' · remix' : '')))),
    h('div', { class: 'pager' },
      cursor ? h('a', { class: 'button', href: '#/gallery' }, 'Newest') : null,
      page.next ? h('a', { class: 'button', href: `#/gallery?cursor=${page.next}` }, 'Older') : null));
}

/** The prompt's text, if the node holds it and it is text. */
async function promptText(hash) {
  try {
    const response = await fetch(`/blobs/${hash}`);
    if (!response.ok) return null;
    const text = await response.text();
    return text.length <= 4096 ? text : `${text.slice(0, 4096)}…`;
  } catch {
    return null;
  }
}

const NODE_SIZE = 72;

/** The lineage graph: ancestors to the left by depth, the asset, a page of its descendants to the right; each edge from parent to child. */
function lineageGraph(asset, ancestors, children) {
  const records = new Map([[asset.id, asset], ...ancestors.map((a) => [a.id, a]), ...children.map((c) => [c.id, c])]);
  const depth = new Map([[asset.id, 0]]);
  const visit = (record, level) => {
    for (const edge of record.parents) {
      if ((depth.get(edge.parent) ?? -1) < level + 1 && records.has(edge.parent)) {
        depth.set(edge.parent, level + 1);
        visit(records.get(edge.parent), level + 1);
      }
    }
  };
  visit(asset, 0);
  for (const child of children) depth.set(child.id, -1);
  const levels = [...new Set(depth.values())].sort((a, b) => b - a);
  const columns = new Map(levels.map((level, index) => [level, index]));
  const rows = new Map();
  const position = new Map();
  for (const [id, level] of [...depth.entries()].sort((a, b) => a[0] - b[0])) {
    const row = rows.get(level) || 0;
    rows.set(level, row + 1);
    position.set(id, { x: 20 + columns.get(level) * (NODE_SIZE + 90), y: 20 + row * (NODE_SIZE + 36) });
  }
  const width = 40 + levels.length * (NODE_SIZE + 90) - 90;
  const height = 40 + Math.max(...rows.values()) * (NODE_SIZE + 36) - 36 + 16;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', width);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Lineage of asset ${asset.id}`);
  svg.classList.add('lineage');
  const make = (tag, attrs) => {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    return node;
  };
  for (const record of records.values()) {
    for (const edge of record.parents) {
      const from = position.get(edge.parent);
      const to = position.get(record.id);
      if (!from || !to) continue;
      const line = make('path', {
        d: `M${from.x + NODE_SIZE},${from.y + NODE_SIZE / 2} C${from.x + NODE_SIZE + 45},${from.y + NODE_SIZE / 2} ${to.x - 45},${to.y + NODE_SIZE / 2} ${to.x},${to.y + NODE_SIZE / 2}`,
        class: 'edge', 'data-from': edge.parent, 'data-to': record.id,
      });
      line.append(make('title', {}));
      line.lastChild.textContent = `asset ${edge.parent} → asset ${record.id}: ${bps(edge.share)} of its revenue`;
      svg.append(line);
    }
  }
  for (const [id, { x, y }] of position) {
    const record = records.get(id);
    const anchor = make('a', { href: `#/asset/${id}`, 'data-asset': id });
    anchor.append(make('image', { href: `/blobs/${record.output_hash}`, x, y, width: NODE_SIZE, height: NODE_SIZE }));
    anchor.append(make('rect', { x, y, width: NODE_SIZE, height: NODE_SIZE, rx: 6, class: id === asset.id ? 'node self' : 'node' }));
    const label = make('text', { x: x + NODE_SIZE / 2, y: y + NODE_SIZE + 14, 'text-anchor': 'middle' });
    label.textContent = `asset ${id}`;
    anchor.append(label);
    svg.append(anchor);
  }
  return svg;
}

/** A royalty vault: what was paid in and claimed, and a page of its holders (`paths.vault` and
 * `paths.holders` its API answers, `here` the page's hash, `cursor` the holders page's). */
function vaultPanel(title, paths, vault, holders, here, cursor) {
  const both = (field) => `${tokens(vault.gdc[field])} · ${tokens(vault.usd[field], 'uusd')}`;
  return panel(title, paths.vault,
    fields({
      paid_in: both('paid_in'), claimed: both('claimed'),
      holders: count(vault.holders),
    }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'holders' },
      h('thead', {}, h('tr', {}, ['Holder', 'Units', 'Claimable GDC', 'Claimable USD'].map((t) => h('th', {}, t)))),
      h('tbody', {}, holders.items.map((held) => h('tr', {}, h('td', {}, link.account(held.holder)), h('td', {}, count(held.position.units)),
        h('td', {}, tokens(held.position.claimable_gdc)), h('td', {}, tokens(held.position.claimable_usd, 'uusd'))))))),
    h('div', { class: 'pager' }, apiLink(paths.holders, 'holders'),
      cursor ? h('a', { class: 'button', href: here }, 'First holders') : null,
      holders.next ? h('a', { class: 'button', href: `${here}?holders=${holders.next}` }, 'More holders') : null));
}

/** What a sale paid in all: the seller's proceeds, the royalties and the protocol's fee. */
function salePrice(sold) {
  return (BigInt(sold.proceeds) + BigInt(sold.royalties) + BigInt(sold.protocol_fee)).toString();
}

async function asset(id, params) {
  const found = await maybe(`/assets/${id}`);
  if (!found) return render(h('h1', {}, `Asset ${id}`), message(`There is no asset ${id}.`));
  const historyCursor = params.get('history');
  const holdersCursor = params.get('holders');
  const paths = {
    asset: `/assets/${id}`, lineage: `/assets/${id}/lineage?limit=20`, stack: `/assets/${id}/royalty-stack`,
    history: `/assets/${id}/events?limit=25${historyCursor ? `&cursor=${historyCursor}` : ''}`,
    vault: `/vaults/asset/${id}`, holders: `/vaults/asset/${id}/holders?limit=25${holdersCursor ? `&cursor=${holdersCursor}` : ''}`,
  };
  const [lineage, stack, prompt, history, vault, holders] = await Promise.all([
    api(paths.lineage), api(paths.stack), promptText(found.prompt_hash), api(paths.history), api(paths.vault), api(paths.holders)]);
  const related = await Promise.all([...lineage.ancestors, ...lineage.children.items].map((other) => api(`/assets/${other}`)));
  const ancestors = related.slice(0, lineage.ancestors.length);
  const children = related.slice(lineage.ancestors.length);
  const here = `#/asset/${id}`;
  const stackTable = stack.length
    ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Ancestor'), h('th', {}, 'Share of revenue'))),
      h('tbody', {}, stack.map((entry) => h('tr', {}, h('td', {}, link.asset(entry.ancestor)), h('td', {}, bps(entry.share))))))
    : message(found.parents.length ? 'Its ancestors take no share of its revenue.' : 'No ancestor: an original design.');
  const sales = history.items.filter((view) => view.event.module === 'market' && view.event.event.type === 'sold'
    && view.event.event.item.kind === 'asset');
  render(h('h1', {}, `Asset ${id}`),
    h('div', { class: 'asset' },
      h('img', { class: 'asset-image', src: `/blobs/${found.output_hash}`, alt: `The design of asset ${id}`, width: 512, height: 512 }),
      panel('Design', paths.asset, fields({
        prompt: prompt === null ? 'not held by this node' : h('q', {}, prompt),
        owner: found.owner, creator: found.creator,
        model: found.model ? h('a', { href: `#/model/${found.model}` }, `model ${found.model}`) : '—',
        datasets: found.datasets.length ? h('span', {}, found.datasets.map((d, i) => [i ? ', ' : '',
          h('a', { href: `#/dataset/${d.dataset}` }, `dataset ${d.dataset}`), ` (${bps(d.weight)})`])) : '—',
        job: found.job, minted_at: found.minted_at === undefined ? '—' : link.block(found.minted_at),
        output: h('a', { href: `/blobs/${found.output_hash}`, download: `asset-${id}.png` }, 'download the design'),
        manifest: h('a', { href: `/assets/${id}/manifest`, download: `asset-${id}.c2pa.json` }, 'C2PA manifest definition'),
        policy: `descendants pay ${tokens(found.policy.license_fee)} and give ${bps(found.policy.share)} of their revenue`,
        source_type: found.source_type,
      }))),
    panel('Lineage', paths.lineage,
      lineage.ancestors.length || children.length ? h('div', { class: 'table-wrap' }, lineageGraph(found, ancestors, children))
        : message('No ancestor and no descendant yet.'),
      lineage.children.next ? h('p', {}, 'More descendants than shown.') : null),
    h('div', { class: 'pair' },
      panel('Royalty stack', paths.stack, stackTable),
      panel('Sales', paths.history, sales.length
        ? h('table', { class: 'sales' }, h('thead', {}, h('tr', {}, ['Block', 'Buyer', 'Seller', 'Price', 'Royalties'].map((t) => h('th', {}, t)))),
          h('tbody', {}, sales.map((view) => {
            const sold = view.event.event;
            return h('tr', { 'data-tx': view.tx_hash }, h('td', {}, link.block(view.height)), h('td', {}, link.account(sold.buyer)),
              h('td', {}, link.account(sold.seller)), h('td', {}, tokens(salePrice(sold), sold.denom)), h('td', {}, tokens(sold.royalties, sold.denom)));
          })))
        : message(historyCursor ? 'No sale on this page of its history.' : 'Not sold yet.'))),
    vaultPanel('Its royalty vault', paths, vault, holders, here, holdersCursor),
    historyPanel('History', paths.history, history, { here, param: 'history', cursor: historyCursor, self: null, file: `history-asset-${id}.csv` }).section);
}

/** A panel of one page of a `{ items, next }` list, with links to the first and next pages;
 * `row` gives an item's cells (or a promise of them). */
async function paged(title, path, params, hash, columns, row) {
  const cursor = params.get('cursor');
  const source = `${path}${path.includes('?') ? '&' : '?'}limit=25${cursor ? `&cursor=${cursor}` : ''}`;
  const page = await api(source);
  const rows = await Promise.all(page.items.map(row));
  const table = rows.length
    ? h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c)))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell)))))))
    : message('Nothing yet.');
  return panel(title, source, table, h('div', { class: 'pager' },
    cursor ? h('a', { class: 'button', href: hash }, 'First page') : null,
    page.next ? h('a', { class: 'button', href: `${hash}?cursor=${page.next}` }, 'Next page') : null));
}

function tally(proposal) {
  const total = Number(proposal.total_reputation) || 1;
  const share = (v) => `${count(v)} (${((Number(v) / total) * 100).toLocaleString('en-US', { maximumFractionDigits: 2 })}%)`;
  return h('span', {}, `for ${share(proposal.tally.for)} · against ${share(proposal.tally.against)} · abstain ${share(proposal.tally.abstain)}`);
}

async function proposals(params) {
  render(h('h1', {}, 'Governance'), await paged('Proposals', '/governance/proposals', params, '#/proposals',
    ['Proposal', 'Summary', 'Status', 'Tally', 'Voting ends'],
    (p) => [h('a', { href: `#/proposal/${p.id}` }, `proposal ${p.id}`), p.summary, p.status, tally(p), link.block(p.voting_ends)]));
}

async function proposal(id) {
  const found = await maybe(`/governance/proposals/${id}`);
  if (!found) return render(h('h1', {}, `Proposal ${id}`), message(`There is no proposal ${id}.`));
  const timeline = [['snapshot of reputation', found.snapshot], ['voting starts', found.voting_starts], ['voting ends', found.voting_ends],
    ['executable from', found.eta]].filter(([, height]) => height !== null && height !== undefined);
  render(h('h1', {}, `Proposal ${id}: ${found.summary}`),
    panel('Standing', `/governance/proposals/${id}`, fields({
      status: found.status, proposer: found.proposer, tally: tally(found),
      quorum: `${bps(found.quorum)} of ${count(found.total_reputation)} reputation${found.quorum_reached ? ' · reached' : ''}`,
      deposit: tokens(found.deposit),
    })),
    panel('Timeline', `/governance/proposals/${id}`, h('table', {}, h('tbody', {},
      timeline.map(([what, height]) => h('tr', {}, h('td', {}, what), h('td', {}, link.block(height))))))),
    h('h2', { style: 'margin-top: 14px' }, `Actions (${found.actions.length})`), found.actions.map(typed));
}

/** A tally of `totals` by name, in its unit. */
function tallyOf(totals, name) {
  const found = totals.tallies.find((t) => t.name === name);
  return found ? tallyValue(found) : '—';
}

async function providers(params) {
  render(h('h1', {}, 'Providers'), await paged('Compute providers', '/compute/providers', params, '#/providers',
    ['Provider', 'Status', 'Bond', 'Capacity', 'Open jobs', 'Jobs served', 'Earned', 'Slashes'],
    async (p) => {
      const totals = await api(`/accounts/${p.address}/totals`);
      return [h('a', { href: `#/provider/${p.address}`, class: 'mono' }, short(p.address, 12)), p.status.status, tokens(p.bond),
        p.capacities.map((c) => `${c.class}: ${count(c.units)} units/block`).join(', '), count(p.open),
        tallyOf(totals, 'jobs_served'), tallyOf(totals, 'earned_as_provider'), tallyOf(totals, 'slashes')];
    }));
}

/** What a provider's history shows on its page: its jobs, disputes and slashes. */
const PROVIDER_EVENTS = new Set(['job_admitted', 'result_submitted', 'result_challenged', 'dispute_resolved', 'job_settled',
  'provider_slashed', 'slashed', 'provider_registered', 'provider_updated', 'provider_deregistered', 'bond_withdrawn']);

/** A provider: its bond, capacity and endpoint, what it served and earned, its disputes and slashes. */
async function provider(address) {
  const source = `/compute/providers/${address}`;
  const found = await maybe(source);
  if (!found) return render(h('h1', {}, 'Provider'), message(`${address} is not a registered provider.`));
  const totalsPath = `/accounts/${address}/totals`;
  const historyPath = `/accounts/${address}/events?limit=200`;
  const [totals, history] = await Promise.all([api(totalsPath), api(historyPath)]);
  const work = history.items.filter((view) => PROVIDER_EVENTS.has(view.event.event.type));
  render(h('h1', {}, 'Provider ', h('span', { class: 'mono' }, address)),
    h('div', { class: 'pair' },
      panel('Offer', source, fields({
        status: found.status.status, bond: tokens(found.bond), endpoint: h('code', {}, found.endpoint),
        capacity: found.capacities.map((c) => `${c.class}: ${count(c.units)} units/block`).join(', '),
        open: `${count(found.open)} jobs and disputes open`, account: link.account(address),
      })),
      panel('Record', totalsPath, tallyTable(totals,
        ['jobs_assigned', 'jobs_served', 'earned_as_provider', 'disputes_lost', 'slashes', 'slashed']))),
    panel('Recent jobs, disputes and slashes', historyPath, work.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'history' },
        h('thead', {}, h('tr', {}, ['Block', 'Transaction', 'Event', 'Details'].map((t) => h('th', {}, t)))),
        h('tbody', {}, work.map((view) => historyRow(view, address)))))
      : message('No job yet.'),
      h('p', {}, 'Everything else it did is on ', link.account(address), '.')));
}

/** A feed's value in its unit: the GDC price as dollars, other feeds as numbers. */
function feedValue(feed, value) {
  return feed.spec.id === 'gdc_usd' ? price(value) : count(value);
}

async function oracle() {
  const [feeds, operators] = await Promise.all([api('/oracle/feeds'), api('/oracle/operators')]);
  render(h('h1', {}, 'Oracle feeds'), panel('Feeds', '/oracle/feeds', feeds.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'feeds' },
      h('thead', {}, h('tr', {}, ['Feed', 'Value', 'Published', 'Fresh', 'Open round', 'Observations', 'Quorum', 'API'].map((t) => h('th', {}, t)))),
      h('tbody', {}, feeds.map((f) => h('tr', { 'data-feed': f.spec.id },
        h('td', {}, h('code', {}, f.spec.id)), h('td', { class: 'value' }, f.latest ? feedValue(f, f.latest.value) : 'none yet'),
        h('td', {}, f.latest ? h('span', {}, `round ${count(f.latest.round)} at block `, link.block(f.latest.height)) : '—'),
        h('td', { class: f.stale ? 'failed' : 'ok' }, f.stale ? 'stale' : 'fresh'),
        h('td', {}, count(f.round.number)), h('td', {}, count(f.round.observations)), h('td', {}, count(f.spec.quorum)),
        h('td', {}, apiLink(`/oracle/feeds/${f.spec.id}`, 'feed')))))))
    : message('No feed.')),
  panel('Operators', '/oracle/operators', operators.length
    ? h('table', {}, h('thead', {}, h('tr', {}, ['Operator', 'Since block', 'Observations', 'Outliers'].map((t) => h('th', {}, t)))),
      h('tbody', {}, operators.map((o) => h('tr', {}, h('td', {}, link.account(o.address)), h('td', {}, link.block(o.since)),
        h('td', {}, count(o.observations)), h('td', {}, count(o.outliers))))))
    : message('No operator.')));
}

/** Finds what a query names and goes to its page. */
async function search(query) {
  const text = query.trim();
  const named = text.match(/^(asset|model|dataset|proposal|block)\s*#?\s*(\d+)$/i);
  if (/^\d+$/.test(text)) return `#/block/${text}`;
  if (named) {
    const [, kind, id] = named;
    const paths = { asset: `#/asset/${id}`, block: `#/block/${id}`, model: `#/model/${id}`,
      dataset: `#/dataset/${id}`, proposal: `#/proposal/${id}` };
    return paths[kind.toLowerCase()];
  }
  if (/^atelier1[0-9a-z]+$/.test(text)) return `#/account/${text}`;
  if (/^dev\d+$/i.test(text) && status && status.dev_chain) {
    const named = (await maybe('/dev/accounts')) || [];
    const account = named.find((a) => a.name === text.toLowerCase());
    if (account) return `#/account/${account.address}`;
  }
  if (/^[0-9a-fA-F]{64}$/.test(text)) return `#/tx/${text.toLowerCase()}`;
  return `#/search?q=${encodeURIComponent(text)}`;
}

/** A model: its class, weights, fine-tune lineage, datasets, fees and compliance standing. */
async function model(id, params) {
  const found = await maybe(`/registry/models/${id}`);
  if (!found) return render(h('h1', {}, `Model ${id}`), message(`There is no model ${id}.`));
  const holdersCursor = params.get('holders');
  const paths = { vault: `/vaults/model/${id}`, holders: `/vaults/model/${id}/holders?limit=25${holdersCursor ? `&cursor=${holdersCursor}` : ''}` };
  const [standing, vault, holders] = await Promise.all([api(`/compliance/subjects/model/${id}`), api(paths.vault), api(paths.holders)]);
  render(h('h1', {}, `Model ${id}`),
    panel('Model', `/registry/models/${id}`, fields({
      class: found.class, style: found.style, owner: found.owner,
      fine_tune_of: found.parent ? h('a', { href: `#/model/${found.parent}` }, `model ${found.parent}`) : 'a base model',
      depth: found.depth,
      weights: h('a', { href: `/blobs/${found.weights_hash}`, download: `model-${id}-style.json` }, short(found.weights_hash)),
      performance_fee: bps(found.performance_fee),
    })),
    panel('Who each job pays through it', `/registry/models/${id}`, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Model'), h('th', {}, 'Owner'), h('th', {}, 'Fee'))),
      h('tbody', {}, found.lineage_fees.map((fee) => h('tr', {},
        h('td', {}, h('a', { href: `#/model/${fee.model}` }, `model ${fee.model}`)), h('td', {}, link.account(fee.owner)), h('td', {}, bps(fee.fee))))))),
    panel('Datasets, with the fine-tunes\' own', `/registry/models/${id}`, found.lineage_datasets.length
      ? h('table', {}, h('tbody', {}, found.lineage_datasets.map((d) => h('tr', {},
        h('td', {}, h('a', { href: `#/dataset/${d.dataset}` }, `dataset ${d.dataset}`)), h('td', {}, bps(d.weight))))))
      : message('No dataset.')),
    vaultPanel('Its royalty vault: the fine-tuner\'s fees', paths, vault, holders, `#/model/${id}`, holdersCursor),
    standingPanel('model', id, standing));
}

/** A dataset: its owner, licence, contributors, royalties and compliance standing. */
async function dataset(id) {
  const found = await maybe(`/registry/datasets/${id}`);
  if (!found) return render(h('h1', {}, `Dataset ${id}`), message(`There is no dataset ${id}.`));
  const standing = await api(`/compliance/subjects/dataset/${id}`);
  render(h('h1', {}, `Dataset ${id}`),
    panel('Dataset', `/registry/datasets/${id}`, fields({
      owner: found.owner, license: found.license, content_hash: found.content_hash,
      contributors: count(found.contributors), total_shares: count(found.total_shares),
      royalties_paid_in: `${tokens(found.gdc.paid_in)} · ${tokens(found.usd.paid_in, 'uusd')}`,
      royalties_claimed: `${tokens(found.gdc.claimed)} · ${tokens(found.usd.claimed, 'uusd')}`,
    })),
    standingPanel('dataset', id, standing));
}

/** A compliance subject's page: a dataset's, a model's or an asset's. */
function subjectLink(subject) {
  return h('a', { href: `#/${subject.kind}/${subject.id}` }, `${subject.kind} ${subject.id}`);
}

/** A subject's compliance standing: attestations, the ethical tag, its gate and any dispute. */
function standingPanel(kind, id, standing) {
  const attestations = standing.attestations.length
    ? h('table', {}, h('thead', {}, h('tr', {}, ['Attestation', 'Schema', 'Attester', 'Valid'].map((t) => h('th', {}, t)))),
      h('tbody', {}, standing.attestations.map(({ attestation, valid }) => h('tr', {},
        h('td', {}, apiLink(`/compliance/attestations/${attestation.id}`, `attestation ${attestation.id}`)), h('td', {}, `schema ${attestation.schema}`),
        h('td', {}, link.account(attestation.attester)),
        h('td', { class: valid ? 'ok' : 'failed' }, valid ? 'valid' : attestation.revoked ? 'revoked' : 'expired')))))
    : message('No attestation.');
  return panel('Compliance', `/compliance/subjects/${kind}/${id}`,
    fields({
      ethically_attested: standing.ethically_attested ? 'yes' : 'no',
      tag: standing.tag === null ? 'none' : show(standing.tag),
      gate: standing.gate === null ? 'open to all' : standing.gate.status,
      open_dispute: standing.open_dispute === null || standing.open_dispute === undefined ? 'none'
        : h('a', { href: '#/compliance' }, `dispute ${standing.open_dispute}`),
    }),
    attestations);
}

/** Compliance: its rules, schemas and attesters, and every dispute with its votes. */
async function compliance(params) {
  const [rules, schemas, attesters] = await Promise.all([api('/compliance/params'), api('/compliance/schemas'), api('/compliance/attesters')]);
  render(h('h1', {}, 'Compliance'),
    h('div', { class: 'pair' },
      panel('Rules', '/compliance/params', fields({
        ethical_schema: `schema ${rules.ethical_schema}`, report_bond: `at least ${tokens(rules.min_report_bond)}`,
        dispute_window: `${count(rules.dispute_window_blocks)} blocks`,
        arbiters: `${rules.arbiter_quorum} of ${rules.arbiters.length} decide`, violation_slash: bps(rules.violation_slash),
        reporter_reward: tokens(rules.reporter_reward),
      })),
      panel('Schemas and attesters', '/compliance/schemas',
        h('table', {}, h('tbody', {}, schemas.map((schema) => h('tr', {}, h('td', {}, `schema ${schema.id}`), h('td', {}, schema.name),
          h('td', {}, schema.fields.join(', ')), h('td', {}, schema.revocable ? 'revocable' : 'permanent'))))),
        h('p', {}, 'Attesters: ', attesters.length ? attesters.map((a, i) => [i ? ', ' : '', link.account(a)]) : 'none',
          ' ', apiLink('/compliance/attesters')))),
    await paged('Disputes', '/compliance/disputes', params, '#/compliance',
      ['Dispute', 'Subject', 'Reporter', 'Bond', 'Votes (uphold · reject)', 'Window', 'Status'],
      (d) => [h('span', { 'data-dispute': d.id }, `dispute ${d.id}`), subjectLink(d.subject), link.account(d.reporter), tokens(d.bond),
        `${d.uphold} · ${d.reject}`, h('span', {}, link.block(d.opened), ' → ', link.block(d.closes)),
        h('span', { class: d.status === 'upheld' ? 'failed' : d.status === 'rejected' ? 'ok' : '' }, d.status)]));
}

/**
 * What the oracle agents' reports decided at the last epoch's close: engagement and its trend, the
 * prudence it set, and the style incentive — a bar per style of what it paid, and each model.
 */
function steeringPanel(report) {
  const title = report ? `Steering, epoch ${count(report.epoch)}` : 'Steering';
  if (!report) return panel(title, '/treasury', message('No epoch has closed yet.'));
  const { steering } = report;
  const trend = steering.trend === null ? 'no trend' : `${steering.trend >= 0 ? '▲' : '▼'} ${bps(Math.abs(steering.trend))}`;
  const prudence = steering.prudence === 0 ? 'neutral'
    : `reserve target ${steering.prudence > 0 ? '+' : '−'}${bps(Math.abs(steering.prudence))}, grants ${steering.prudence > 0 ? '−' : '+'}${bps(Math.abs(steering.prudence))}`;
  const paid = steering.incentives.reduce((sum, i) => sum + BigInt(i.amount), 0n);
  const byStyle = new Map();
  for (const i of steering.incentives) byStyle.set(i.style, (byStyle.get(i.style) || 0n) + BigInt(i.amount));
  const bars = h('div', { class: 'bars', role: 'img', 'aria-label': 'The style incentive by style' },
    [...byStyle].map(([style, amount]) => {
      const share = Number((amount * 10000n) / (paid || 1n));
      return h('div', { class: 'bar', 'data-style': style, title: `${style}: ${tokens(amount.toString())}` },
        h('span', { class: 'bar-label' }, `${style} ${bps(share)}`), h('span', { class: 'bar-fill', style: `width: ${share / 100}%` }));
    }));
  return panel(title, '/treasury',
    h('table', { class: 'fields' },
      h('tr', {}, h('th', {}, 'engagement'), h('td', { 'data-engagement': '' }, steering.engagement === null ? 'no fresh value' : `${count(steering.engagement)} (${trend})`)),
      h('tr', {}, h('th', {}, 'prudence'), h('td', {}, prudence)),
      h('tr', {}, h('th', {}, 'style incentive'), h('td', { 'data-incentive': paid.toString() }, `${tokens(paid.toString())} of ${tokens(steering.incentive_budget)}`))),
    steering.incentives.length ? [bars,
      h('table', { class: 'incentives' }, h('thead', {}, h('tr', {}, ['Model', 'Style', 'Demand', 'Quality', 'Paid', 'To datasets'].map((t) => h('th', {}, t)))),
        h('tbody', {}, steering.incentives.map((i) => h('tr', { 'data-model': i.model },
          h('td', {}, h('a', { href: `#/model/${i.model}` }, `model ${i.model}`)), h('td', {}, i.style), h('td', {}, `${count(i.demand)} units`),
          h('td', {}, bps(i.quality)), h('td', {}, tokens(i.amount)), h('td', {}, tokens(i.to_datasets))))))]
      : message('No style incentive paid: no fresh demand forecast, or no fees paid by a forecast style.'));
}

/**
 * A validator set as a table: each validator's operator, key, address and weight, with a bar, and
 * with `liveness` (the epoch's participation so far) the views it missed of those counted.
 */
function validatorTable(set, jailed, liveness) {
  const heaviest = set.validators.reduce((max, v) => Math.max(max, Number(v.weight)), 0) || 1;
  const missed = (i) => (liveness.views ? `${count(liveness.missed[i])} of ${count(liveness.views)}` : 'none counted yet');
  return h('table', { class: 'validators' },
    h('thead', {}, h('tr', {}, ['Operator', 'Consensus key', 'P2P address', 'Weight', '', ...(liveness ? ['Views missed'] : [])].map((t) => h('th', {}, t)))),
    h('tbody', {}, set.validators.map((v, i) => h('tr', { 'data-operator': v.operator, class: jailed.has(v.operator) ? 'failed' : '' },
      h('td', {}, link.account(v.operator)), h('td', { class: 'mono' }, short(v.consensus_key, 12)), h('td', {}, h('code', {}, v.p2p_addr)),
      h('td', {}, tokens(v.weight)),
      h('td', {}, h('span', { class: 'weight-bar', role: 'img', 'aria-label': `${Math.round(100 * Number(v.weight) / heaviest)}% of the heaviest` },
        h('span', { class: 'bar-fill', style: `width: ${Math.max(2, 100 * Number(v.weight) / heaviest)}%` }))),
      liveness ? h('td', { 'data-missed': liveness.missed[i] ?? 0 }, missed(i)) : null))));
}

/** Who validates: this epoch's set and the next, and how every candidate stands. */
async function validators() {
  const source = '/staking/validators';
  const found = await api(source);
  const jailed = new Set(found.candidates.filter((c) => c.jailed_until !== null).map((c) => c.candidate.operator));
  const next = found.next
    ? validatorTable(found.next, jailed)
    : message(`Chosen at block ${count(found.selection_height)}, before this epoch ends.`);
  render(h('h1', {}, 'Validators'),
    panel(`Epoch ${count(found.epoch)}`, source, found.current
      ? validatorTable(found.current, jailed, found.liveness ?? { views: 0, missed: [] })
      : message('No validator set for this epoch: one node runs this chain. A chain of validators names its first set at genesis; from then on the chain chooses each epoch’s set from the candidates below.')),
    panel(`Epoch ${count(found.epoch + 1)}`, source, next),
    panel('Candidates', source, found.candidates.length
      ? h('table', { class: 'candidates' },
        h('thead', {}, h('tr', {}, ['Operator', 'Bonded', 'Reputation', 'Weight', 'Eligible', 'Jailed until epoch'].map((t) => h('th', {}, t)))),
        h('tbody', {}, found.candidates.map((c) => h('tr', { 'data-candidate': c.candidate.operator },
          h('td', {}, link.account(c.candidate.operator)), h('td', {}, tokens(c.bonded)), h('td', {}, count(c.reputation)),
          h('td', { 'data-weight': c.weight }, tokens(c.weight)), h('td', { class: c.eligible ? 'ok' : 'failed' }, c.eligible ? 'yes' : 'no'),
          h('td', {}, c.jailed_until === null ? '—' : count(c.jailed_until))))))
      : message('No candidate: an account with stake registers with `atelier tx validator register`.')),
    h('p', { class: 'note' }, 'A candidate weighs its bonded stake as far as its reputation backs it: stake alone buys no seat, and splitting stake across accounts never weighs more. Each block reports who voted in a recent view; a validator missing from more than the allowed share of an epoch’s views is jailed at its end.'));
}

// --- routing -------------------------------------------------------------------------------------

let leave = null;

/**
 * Draws the page the URL names. While it loads, `main` is `aria-busy`; once drawn, its
 * `data-shown` is the hash it shows (what assistive technology and the browser tests wait for).
 */
async function route() {
  const hash = location.hash;
  page.setAttribute('aria-busy', 'true');
  delete page.dataset.shown;
  if (leave) leave();
  leave = null;
  for (const plot of charts) plot.destroy();
  charts.length = 0;
  headListeners.clear();
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean);
  render(message('Loading…'));
  try {
    switch (parts[0]) {
      case undefined: leave = await overview(params); break;
      case 'blocks': leave = await blocks(params); break;
      case 'block': await block(Number(parts[1])); break;
      case 'tx': await transaction(parts[1]); break;
      case 'account': leave = await account(parts[1], params); break;
      case 'asset': await asset(Number(parts[1]), params); break;
      case 'gallery': await gallery(params); break;
      case 'proposals': await proposals(params); break;
      case 'proposal': await proposal(Number(parts[1])); break;
      case 'providers': await providers(params); break;
      case 'provider': await provider(parts[1]); break;
      case 'compliance': await compliance(params); break;
      case 'oracle': await oracle(); break;
      case 'validators': await validators(); break;
      case 'model': await model(Number(parts[1]), params); break;
      case 'dataset': await dataset(Number(parts[1])); break;
      case 'search': render(h('h1', {}, 'Search'), message(`Nothing found for “${params.get('q')}”: try an address, a dev account’s name (dev1) on a dev chain, a transaction hash, a height, or “asset 3”, “model 1”, “dataset 1”, “proposal 2”.`)); break;
      default: render(h('h1', {}, 'Not found'), message(`There is no page ${location.hash}.`));
    }
  } catch (error) {
    render(h('h1', {}, 'Something went wrong'), message(`The node answered: ${error.message}`, 'error'));
  }
  if (location.hash === hash) {
    page.setAttribute('aria-busy', 'false');
    page.dataset.shown = hash;
  }
  page.focus({ preventScroll: true });
}

document.getElementById('search').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('query');
  location.hash = await search(input.value);
});

document.getElementById('theme').addEventListener('click', () => {
  const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  localStorage.setItem('atelier-theme', next);
  route();
});

window.addEventListener('hashchange', route);
pollHead().then(route);
setInterval(pollHead, 1000);
