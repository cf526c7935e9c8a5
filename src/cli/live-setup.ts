import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SearchError } from '../errors.js';
import { IndexCache } from '../index/index-cache.js';
import { Journal } from '../live/journal.js';
import type { CliSettings } from './parse-args.js';

/**
 * The journal of the API's writes. It is written only where writes are on (an
 * admin key is set) and by the process that owns it (a single process, or a
 * cluster's primary); elsewhere it is read, and a missing one is empty. A
 * journal that cannot be created is a clear error, not a silent loss of writes.
 */
export function openJournal(settings: Pick<CliSettings, 'journalDir' | 'adminKey'>, owner: boolean): Journal {
  const write = owner && settings.adminKey !== null;
  try {
    return Journal.open(settings.journalDir, { write, compact: write });
  } catch (error) {
    if (error instanceof SearchError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SearchError(
      'journal_unwritable',
      `cannot open the journal in ${settings.journalDir} (${code}): writes need a writable folder; set JOURNAL_DIR (--journal) to one`,
    );
  }
}

/** Prefix of a cluster worker's own folder in the index cache, where its new segments go. */
const WORKER_FOLDER = 'live-';

/**
 * A cluster worker's own folder for the segments its writes create (workers
 * share the committed cache read-only), or null (memory) when it cannot be made.
 */
export function workerCache(cacheDir: string, log: (line: string) => void): IndexCache | null {
  try {
    return new IndexCache(path.join(cacheDir, `${WORKER_FOLDER}${process.pid}`));
  } catch (error) {
    log(
      `index-cache: no folder for this worker's new segments (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); they stay in memory`,
    );
    return null;
  }
}

/** Removes the folders workers of an earlier run left (their segments were never committed). */
export function removeWorkerFolders(cacheDir: string): void {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of names)
    if (name.startsWith(WORKER_FOLDER)) rmSync(path.join(cacheDir, name), { recursive: true, force: true });
}

/** "3 files (a.md, b.md, …)" for a log line. */
export function describeChange(files: readonly string[]): string {
  const shown = files.slice(0, 3).join(', ');
  return `${files.length} file(s) (${shown}${files.length > 3 ? ', …' : ''})`;
}
