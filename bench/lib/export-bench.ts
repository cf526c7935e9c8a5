/**
 * Export throughput and memory (`GET /search/export`, issue 13): our service, as
 * `npm start` runs it, streams every hit of a few searches as CSV to a client
 * that reads as fast as it can, while the process tree's RSS is sampled every
 * 20 ms. Reports rows per second, bytes, and the peak RSS beside the idle RSS
 * (the difference is what the export costs: it should not grow with the rows).
 */
import { processTreeRss } from './process-tree.js';

/** One export measured. */
export interface ExportFigures {
  /** The query string after `/search/export?`. */
  query: string;
  rows: number;
  bytes: number;
  seconds: number;
  /** Until the response headers came: the query run in one turn of the event loop, before any row (seconds). */
  headersSeconds: number;
  rowsPerSecond: number;
  /** RSS of the server's process tree just before the export, and the highest sample during it (bytes). */
  rssIdle: number;
  rssPeak: number;
}

/** RSS sampling period, ms. */
const SAMPLE_MS = 20;

const totalRss = (pid: number) => processTreeRss(pid).reduce((sum, p) => sum + p.rss, 0);

/**
 * The exports the bench runs: every article and every paragraph (browse mode: the most rows
 * there are, so peak memory can be compared across row counts), then the most common query
 * word of the set per paragraph and per article (a real query, with scores and highlights).
 */
export function exportQueries(commonWord: string): string[] {
  const q = encodeURIComponent(commonWord);
  return ['format=csv', 'groupBy=none&format=csv', `q=${q}&groupBy=none&format=csv`, `q=${q}&format=csv`];
}

/** Streams one export from `baseUrl` to the end, counting rows (CRLF record ends, minus the header) and bytes, sampling the RSS of `pid`. */
export async function measureExport(baseUrl: string, pid: number, query: string): Promise<ExportFigures> {
  const rssIdle = totalRss(pid);
  let rssPeak = rssIdle;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, totalRss(pid));
  }, SAMPLE_MS);
  const started = performance.now();
  let bytes = 0;
  let recordEnds = 0;
  let lastByte = 0;
  let headersSeconds = 0;
  try {
    const res = await fetch(`${baseUrl}/search/export?${query}`);
    headersSeconds = (performance.now() - started) / 1000;
    if (!res.ok || !res.body) throw new Error(`export ${query}: HTTP ${res.status}`);
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] === 10 && (i > 0 ? chunk[i - 1] : lastByte) === 13) recordEnds++;
      }
      lastByte = chunk[chunk.length - 1] ?? lastByte;
    }
  } finally {
    clearInterval(sampler);
  }
  rssPeak = Math.max(rssPeak, totalRss(pid));
  const seconds = (performance.now() - started) / 1000;
  const rows = Math.max(0, recordEnds - 1);
  return { query, rows, bytes, seconds, headersSeconds, rowsPerSecond: rows / seconds, rssIdle, rssPeak };
}

/** The Markdown section of the report: one table per size. */
export function exportSection(sizes: { label: string; exports: ExportFigures[] | undefined }[]): string {
  const measured = sizes.filter((s) => s.exports?.length);
  if (measured.length === 0) return '';
  const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
  const lines = [
    '## Export (`GET /search/export`, CSV)',
    '',
    'Our service (`src/main.ts serve`, WORKERS=1, default settings) streams every hit of each search to a client reading as fast as it can over loopback; ' +
      '"headers after": the query itself, run in one turn of the event loop before the first row. RSS of the server process sampled every 20 ms. Peak − idle is what the export adds: rows are built and written a slice at a time, so it should not grow with the rows.',
    '',
    '| size | export | rows | MB sent | headers after (s) | seconds | rows/s | RSS idle | RSS peak | peak − idle |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const size of measured) {
    for (const e of size.exports!) {
      lines.push(
        `| ${size.label} | \`${e.query}\` | ${e.rows.toLocaleString('en')} | ${(e.bytes / 1024 ** 2).toFixed(1)} | ${e.headersSeconds?.toFixed(3) ?? '–'} | ${e.seconds.toFixed(2)} | ${Math.round(e.rowsPerSecond).toLocaleString('en')} | ${mb(e.rssIdle)} | ${mb(e.rssPeak)} | ${mb(e.rssPeak - e.rssIdle)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
