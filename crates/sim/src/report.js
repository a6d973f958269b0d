// Draws report.html's charts with uPlot from the JSON the simulator embedded: tick labels at
// round values that never repeat (they share one suffix and gain decimals until they differ),
// each line's value on hover, drag to zoom and double-click to zoom out, and a CSV per chart.
// `window.atelierReport` exposes the tick labels drawn, for tests.
(() => {
  'use strict';
  const charts = JSON.parse(document.getElementById('report-data').textContent);
  const drawn = {};
  const SUFFIXES = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];

  /** A number with exactly `decimals` decimals, grouped by thousands, never "-0". */
  function fixed(value, decimals) {
    const text = value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
  }

  /** Labels for ticks at `splits`, `step` apart: one suffix for the axis (the largest no
   * larger than the step, so 0, 500, 1,000 stay whole but 0, 25K, 50K shorten), as many decimals
   * as the step needs, and more until no two labels are the same. */
  function tickLabels(splits, step) {
    const [scale, suffix] = SUFFIXES.find(([s]) => step >= s) ?? [1, ''];
    const scaled = step > 0 ? step / scale : 1;
    let decimals = Math.max(0, Math.ceil(-Math.log10(scaled) - 1e-9));
    for (;;) {
      const labels = splits.map((v) => fixed(v / scale, decimals) + suffix);
      if (new Set(labels).size === labels.length || decimals >= 15) return labels;
      decimals += 1;
    }
  }

  /** A value for the legend: four significant digits, with the axis suffixes. */
  function value(v) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '—';
    const [scale, suffix] = SUFFIXES.find(([s]) => Math.abs(v) >= s) ?? [1, ''];
    return (v / scale).toLocaleString('en-US', { maximumSignificantDigits: 4 }) + suffix;
  }

  function csv(chart) {
    const quote = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const header = [chart.x_label];
    const columns = [chart.kind === 'bars' ? chart.x_names : chart.x];
    for (const s of chart.series) {
      header.push(`${s.name} (${chart.unit})`);
      columns.push(s.y);
      if (s.low) {
        header.push(`${s.name}, least run`, `${s.name}, most run`);
        columns.push(s.low, s.high);
      }
    }
    const rows = chart.x.map((_, i) => columns.map((c) => (c[i] === null || c[i] === undefined ? '' : String(c[i]))));
    return [header, ...rows].map((row) => row.map(quote).join(',')).join('\n') + '\n';
  }

  function download(chart) {
    const blob = new Blob([csv(chart)], { type: 'text/csv' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${chart.id}.csv`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  function draw(chart) {
    const figure = document.getElementById(chart.id);
    const plot = figure.querySelector('.plot');
    const width = Math.max(320, plot.clientWidth || 600);
    const data = [chart.x];
    const series = [{ label: chart.x_label, value: (_, v) => (chart.kind === 'bars' ? chart.x_names[v] ?? '' : value(v)) }];
    const bands = [];
    const hidden = [];
    const bars = chart.kind === 'bars';
    for (const s of chart.series) {
      data.push(s.y);
      series.push({
        label: s.name, stroke: s.color, width: 2, value: (_, v) => value(v),
        ...(bars ? { fill: `${s.color}99`, paths: uPlot.paths.bars({ size: [0.5, 80] }), points: { show: false } } : {}),
      });
      if (s.low) {
        const high = data.push(s.high) - 1;
        series.push({ label: `${s.name}, most run`, stroke: bars ? s.color : 'transparent', width: 0, value: (_, v) => value(v),
          paths: bars ? () => null : undefined, points: { show: bars, size: 7, stroke: s.color, fill: s.color } });
        const low = data.push(s.low) - 1;
        series.push({ label: `${s.name}, least run`, stroke: bars ? s.color : 'transparent', width: 0, value: (_, v) => value(v),
          paths: bars ? () => null : undefined, points: { show: bars, size: 7, stroke: s.color, fill: s.color } });
        if (!bars) bands.push({ series: [high, low], fill: `${s.color}22` });
        hidden.push(high, low);
      }
    }
    const ticks = (axis) => (u, splits, _index, _space, step) => {
      const labels = bars && axis === 'x'
        ? splits.map((v) => (Number.isInteger(v) ? chart.x_names[v] ?? '' : ''))
        : tickLabels(splits, step);
      (drawn[chart.id] ??= {})[axis] = labels;
      return labels;
    };
    const options = {
      width, height: 260, series, bands,
      scales: {
        x: { time: false, ...(bars ? { range: [-0.5, chart.x.length - 0.5] } : {}) },
        // Bars start at zero, so the axis holds it.
        ...(bars ? { y: { range: (_, min, max) => uPlot.rangeNum(Math.min(0, min), Math.max(0, max), 0.1, true) } } : {}),
      },
      axes: [
        { label: chart.x_label, values: ticks('x'), ...(bars ? { splits: () => chart.x.map((_, i) => i) } : {}) },
        { label: chart.unit, size: 70, values: ticks('y') },
      ],
      cursor: { drag: { x: true, y: false }, points: { size: 6 } },
      legend: { live: true },
    };
    const made = new uPlot(options, data, plot);
    // The band's two edges are values on hover, but not entries of their own in the legend.
    const entries = made.root.querySelectorAll('.u-legend .u-series');
    for (const index of hidden) if (entries[index]) entries[index].classList.add('band-edge');
    figure.querySelector('button.csv').addEventListener('click', () => download(chart));
    return made;
  }

  const style = document.createElement('style');
  style.textContent = '.u-legend .u-series.band-edge { display: none; }';
  document.head.appendChild(style);
  const plots = {};
  for (const chart of charts) plots[chart.id] = draw(chart);
  window.atelierReport = { charts, plots, ticks: drawn, tickLabels, csv };
})();
