/**
 * The table of `bench/results/RELEVANCE.md`: written between two marker comments, so
 * the hand-kept parts of the file (the experiment log) stay as they are.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { geometricMean } from './metrics.js';
import type { CollectionFigures, Figures, SystemName } from './evaluate.js';

/** The marker before the generated part of the report. */
export const BEGIN_MARK = '<!-- eval:begin (written by npm run eval) -->';
/** The marker after the generated part of the report. */
export const END_MARK = '<!-- eval:end -->';

/** Where and when the figures were measured. */
export interface RunInfo {
  date: string;
  machine: string;
  versions: string;
}

const f3 = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(4));
const ratio = (a: Figures | undefined, b: Figures | undefined) =>
  a && b && b.ndcg10 > 0 ? a.ndcg10 / b.ndcg10 : undefined;

/** Geometric mean over collections of ours ÷ FTS5 nDCG@10 (0 when a figure is missing). */
export function geometricMeanRatio(results: readonly CollectionFigures[], system: SystemName = 'ours'): number {
  return geometricMean(results.map((r) => ratio(r.systems[system], r.systems.fts5) ?? 0));
}

/** The generated Markdown: the table of figures per collection and system, and the geometric mean. */
export function renderRelevanceTable(results: readonly CollectionFigures[], info: RunInfo): string {
  const http = results.some((r) => r.systems.http);
  const lines = [
    `Measured ${info.date} on ${info.machine}; ${info.versions}.`,
    '',
    `| collection | docs | queries | nDCG@10 ours | FTS5 | MiniSearch | MAP ours | FTS5 | MiniSearch | ours ÷ FTS5 (nDCG@10) |${http ? ' HTTP nDCG@10 |' : ''}`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${http ? ' ---: |' : ''}`,
  ];
  for (const r of results) {
    const { ours, fts5, minisearch } = r.systems;
    const q = ratio(ours, fts5);
    lines.push(
      `| ${r.name} | ${r.documents} | ${r.queries} | ${f3(ours?.ndcg10)} | ${f3(fts5?.ndcg10)} | ${f3(minisearch?.ndcg10)} | ${f3(ours?.map)} | ${f3(fts5?.map)} | ${f3(minisearch?.map)} | ${q === undefined ? '—' : `${q.toFixed(3)}×`} |${http ? ` ${f3(r.systems.http?.ndcg10)} |` : ''}`,
    );
  }
  lines.push(
    '',
    `Geometric mean of ours ÷ FTS5 nDCG@10: **${geometricMeanRatio(results).toFixed(3)}×** (raw MiniSearch ÷ FTS5: ${geometricMeanRatio(results, 'minisearch').toFixed(3)}×).`,
  );
  return lines.join('\n');
}

/** Writes the table into `file` between the markers (the file is made, with the markers, when it does not exist or lacks them). */
export async function writeRelevanceReport(file: string, table: string): Promise<void> {
  const block = `${BEGIN_MARK}\n${table}\n${END_MARK}`;
  const old = existsSync(file) ? await readFile(file, 'utf8') : '';
  const start = old.indexOf(BEGIN_MARK);
  const end = old.indexOf(END_MARK);
  const text =
    start >= 0 && end > start
      ? old.slice(0, start) + block + old.slice(end + END_MARK.length)
      : `# Relevance\n\n${block}\n${old ? `\n${old}` : ''}`;
  await writeFile(file, text);
}
