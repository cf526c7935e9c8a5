import { openIndex, type OpenIndexResult } from '../index/open-index.js';
import { openIndexSettings, type OpenSettings } from './open-index-settings.js';

/** Where the command writes: `out` for the summary, `err` for progress and log lines. */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when `err` is a terminal: progress is then redrawn in place. */
  isTTY: boolean;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A human summary of an opened index: counts, problems (each listed), time, and what happened to the cache. */
export function formatSummary(result: OpenIndexResult, cacheDir: string): string {
  const lines = [
    `articles:   ${result.index.articleCount}`,
    `paragraphs: ${result.index.paragraphCount}`,
    `cache:      ${result.state} (${result.reason})${result.saved ? '' : `; NOT saved to ${cacheDir}, in memory only`}`,
    `time:       ${seconds(result.timings.totalMs)} (read ${seconds(result.timings.readMs)}, index ${seconds(result.timings.indexMs)}, save ${seconds(result.timings.saveMs)})`,
    `problems:   ${result.problems.length}`,
  ];
  for (const p of result.problems) lines.push(`  ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  if (result.changedFiles.length) {
    lines.push(`changed files: ${result.changedFiles.length}`);
    for (const f of result.changedFiles.slice(0, 50)) lines.push(`  ${f}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * `npm run index`: builds or updates the index cache of a corpus and prints a
 * summary. Returns the exit code (0, even when some files had problems: they are listed).
 */
export async function runIndexCommand(settings: OpenSettings, output: Output): Promise<number> {
  let lastDraw = 0;
  const result = await openIndex({
    ...openIndexSettings(settings),
    log: (line) => output.err(`${line}\n`),
    onProgress: output.isTTY
      ? (done, total) => {
          const now = Date.now();
          if (now - lastDraw < 100 && done !== total) return;
          lastDraw = now;
          output.err(`\rreading corpus: ${done}/${total} files`);
          if (done === total) output.err('\n');
        }
      : undefined,
  });
  output.out(formatSummary(result, settings.cacheDir));
  return 0;
}
