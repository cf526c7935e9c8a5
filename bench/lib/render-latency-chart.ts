/** `latency.svg`: query latency percentiles per system at each size, a Vega-Lite spec rendered to SVG by Vega in Node. */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { BenchResults } from './bench-results.js';
import { LATENCY_ROWS, latency, TYPING_ROWS } from './summarize-results.js';

const SHORT: Record<string, string> = {
  'ours-default': 'ours default (AND)',
  'ours-or': 'ours OR',
  'ms-and': 'MiniSearch AND',
  'ms-or': 'MiniSearch OR',
  'fts-and': 'FTS5 AND',
  'fts-and-snippet': 'FTS5 AND + snippet',
  'fts-or': 'FTS5 OR',
  'fts-or-snippet': 'FTS5 OR + snippet',
  'ours-typing': 'as-you-type: ours search',
  'ours-suggest': 'as-you-type: ours /suggest',
  'ms-typing': 'as-you-type: MiniSearch',
  'fts-typing': 'as-you-type: FTS5',
};

/** The SVG text of the chart (grouped bars, log scale, one panel per size). */
export async function renderLatencyChart(results: BenchResults): Promise<string> {
  const values: { size: string; system: string; percentile: string; ms: number }[] = [];
  for (const size of results.sizes) {
    const label = size.times === 1 ? '1×' : `${size.times}× (repeated text)`;
    for (const row of [...LATENCY_ROWS, ...TYPING_ROWS]) {
      for (const p of [50, 95, 99]) {
        const value = latency(size, results, row, p);
        // A log scale cannot show 0: clamp to 1 µs.
        if (Number.isFinite(value))
          values.push({
            size: label,
            system: SHORT[row.key] ?? row.key,
            percentile: `p${p}`,
            ms: Math.max(value, 0.001),
          });
      }
    }
  }
  const order = Object.values(SHORT);
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Query latency by system (median of runs)${results.quick ? ' — quick mode, fixture corpus' : ''}`,
      subtitle: `${results.date.slice(0, 16).replace('T', ' ')} UTC; ${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.versions.node}`,
    },
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      column: { field: 'size', type: 'nominal', title: 'Corpus size' },
      x: { field: 'system', type: 'nominal', sort: order, title: null, axis: { labelAngle: -45 } },
      xOffset: { field: 'percentile', type: 'nominal', sort: ['p50', 'p95', 'p99'] },
      y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms per query (log scale)' },
      color: { field: 'percentile', type: 'nominal', sort: ['p50', 'p95', 'p99'], title: 'Percentile' },
    },
    width: 520,
    height: 300,
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
