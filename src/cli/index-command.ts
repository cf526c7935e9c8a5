import path from 'node:path';
import { openIndex, type OpenIndexResult } from '../index/open-index.js';
import { Journal } from '../live/journal.js';
import type { CliSettings } from './parse-args.js';
import type { BuildProgress } from '../index/build-from-corpus.js';
import { openIndexSettings, type OpenSettings } from './open-index-settings.js';
import { lockFolders } from './owner-lock.js';

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
    ...(result.held.length
      ? [`unpublished: ${result.held.length} (drafts and embargoes, kept out of the index until published)`]
      : []),
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
export async function runIndexCommand(
  settings: OpenSettings & Partial<Pick<CliSettings, 'journalDir'>>,
  output: Output,
): Promise<number> {
  // The API's writes and takedowns are part of the archive: the index applies them too.
  // The service writes the same cache: one of them at a time.
  const lock = lockFolders([{ dir: settings.cacheDir, what: 'the index cache' }], 'npm run index');
  const journal = Journal.open(settings.journalDir ?? path.join(settings.corpusDir, '.journal'), { write: false });
  try {
    const result = await openIndex({
      ...openIndexSettings(settings),
      log: (line) => output.err(`${output.isTTY ? '\r\x1b[K' : ''}${line}\n`),
      onProgress: progressReporter(output),
      overrides: journal,
    });
    output.out(formatSummary(result, settings.cacheDir));
    result.index.close();
  } finally {
    journal.close();
    lock.release();
  }
  return 0;
}

/**
 * Build progress for people: on a terminal one line redrawn in place (at most
 * 10 times a second); otherwise a plain line at least every 10 s. Each gives
 * files, articles, articles per second, segments and an estimate of the time left
 * (from the share of files done).
 */
export function progressReporter(output: Output, now: () => number = Date.now): (p: BuildProgress) => void {
  const started = now();
  let last = 0;
  return (p) => {
    const t = now();
    const finished = p.filesDone === p.filesTotal;
    if (t - last < (output.isTTY ? 100 : 10_000) && !finished) return;
    if (p.filesDone === 0 && !finished) return;
    last = t;
    const elapsed = (t - started) / 1000;
    const rate = elapsed > 0 ? Math.round(p.articles / elapsed) : 0;
    const share = p.filesTotal > 0 ? p.filesDone / p.filesTotal : 1;
    const left = share > 0 && !finished ? Math.round((elapsed * (1 - share)) / share) : 0;
    const line =
      `indexing: ${p.filesDone}/${p.filesTotal} files, ${p.articles.toLocaleString('en')} articles, ${rate.toLocaleString('en')} articles/s, ` +
      `${p.segments} segment${p.segments === 1 ? '' : 's'}${p.merging ? ' (merging)' : ''}${finished ? '' : `, about ${formatDuration(left)} left`}`;
    output.err(output.isTTY ? `\r\x1b[K${line}${finished ? '\n' : ''}` : `${line}\n`);
  };
}

function formatDuration(totalSeconds: number): string {
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const minutes = Math.floor(totalSeconds / 60);
  return minutes < 60 ? `${minutes} min ${totalSeconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
