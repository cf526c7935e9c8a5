import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SearchError } from '../errors.js';
import { writeFileAtomic } from '../index/segments/atomic-file.js';
import { NO_SYNONYMS, parseSynonymSet, SynonymTable, type SynonymSet } from '../query/plan/synonyms.js';

/** The file of the synonym set set through the API, in the journal folder. */
export const SYNONYMS_FILE_NAME = 'synonyms.json';

/** Milliseconds between two looks at the kept file for another worker's change. */
export const RECHECK_MS = 1000;

/** Where the set in force came from: the API (kept in the journal folder), `SYNONYMS_FILE`, or nowhere (empty). */
export type SynonymSource = 'api' | 'file' | 'none';

/** Reads and checks a synonym set file; `invalid_synonyms` naming the file and the bad entry when it is not one. */
export function readSynonymFile(file: string): SynonymSet {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SearchError(
      'invalid_synonyms',
      `cannot read the synonym file ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  try {
    return parseSynonymSet(JSON.parse(text));
  } catch (error) {
    const message =
      error instanceof SearchError ? error.message : `not valid JSON: ${(error as Error).message.slice(0, 200)}`;
    throw new SearchError('invalid_synonyms', `the synonym file ${file}: ${message}`);
  }
}

/**
 * The synonym set in force and where it is kept. A set put through the API is written
 * to {@link SYNONYMS_FILE_NAME} in the journal folder atomically (a temporary file
 * fsynced, renamed, the folder fsynced) before `replace` returns, so it survives a
 * `kill -9` as a journal write does; at start that file wins, and without it the
 * `SYNONYMS_FILE` given (same JSON) is loaded. Searches read {@link table}, which
 * `replace` swaps at once (no rebuild: synonyms apply at query time); the workers of one
 * service share the kept file and pick up another worker's change within {@link RECHECK_MS}.
 */
export class SynonymStore {
  private current: SynonymTable;
  private origin: SynonymSource;
  /** Bumped at each change of the set in force. */
  private changes = 0;
  /** When the kept file was last looked at (ms), and its modification time then (-1: absent). */
  private checkedAt = 0;
  private keptMtime = -1;

  private constructor(
    /** The journal folder, where a set put through the API is kept; null: kept in memory only (tests). */
    private readonly dir: string | null,
    set: SynonymSet,
    origin: SynonymSource,
  ) {
    this.current = new SynonymTable(set);
    this.origin = origin;
    this.keptMtime = this.mtime();
  }

  /** Modification time of the kept file (ms), -1 when absent or memory only. */
  private mtime(): number {
    if (this.dir === null) return -1;
    try {
      return statSync(path.join(this.dir, SYNONYMS_FILE_NAME)).mtimeMs;
    } catch {
      return -1;
    }
  }

  /**
   * Reads the kept file again when another process (a worker of the same service) replaced
   * it: looked at most once every {@link RECHECK_MS}. A file that cannot be read keeps the set in force.
   */
  private recheck(): void {
    const now = Date.now();
    if (this.dir === null || now - this.checkedAt < RECHECK_MS) return;
    this.checkedAt = now;
    const mtime = this.mtime();
    if (mtime === this.keptMtime || mtime < 0) return;
    this.keptMtime = mtime;
    try {
      this.current = new SynonymTable(readSynonymFile(path.join(this.dir, SYNONYMS_FILE_NAME)));
      this.origin = 'api';
      this.changes++;
    } catch {
      // Half-written by no one (writes are atomic); unreadable: keep what is in force.
    }
  }

  /** A number that changes whenever the set in force does (a query cache's key part). */
  version(): number {
    this.recheck();
    return this.changes;
  }

  /**
   * Opens the store of journal folder `dir` (null: memory only): the set put through
   * the API if one was, else the set of `file` (`SYNONYMS_FILE`) if given, else none.
   * Throws `invalid_synonyms` when the file read is not a valid set.
   */
  static open(dir: string | null, file: string | null): SynonymStore {
    const kept = dir === null ? null : path.join(dir, SYNONYMS_FILE_NAME);
    if (kept !== null && existsSync(kept)) return new SynonymStore(dir, readSynonymFile(kept), 'api');
    if (file !== null) return new SynonymStore(dir, readSynonymFile(file), 'file');
    return new SynonymStore(dir, NO_SYNONYMS, 'none');
  }

  /** The table searches apply (swapped by {@link replace}, or when another worker replaced the kept file). */
  table(): SynonymTable {
    this.recheck();
    return this.current;
  }

  /** The set in force, as clients write it. */
  get set(): SynonymSet {
    return this.current.set;
  }

  /** Where the set in force came from. */
  get source(): SynonymSource {
    return this.origin;
  }

  /**
   * Replaces the whole set (already checked by `parseSynonymSet`): durable first, then in
   * force. `disk_full` or `journal_write_failed` when it cannot be written; the set in force is then unchanged.
   */
  replace(set: SynonymSet): SynonymSet {
    if (this.dir !== null) {
      try {
        mkdirSync(this.dir, { recursive: true });
        writeFileAtomic(path.join(this.dir, SYNONYMS_FILE_NAME), Buffer.from(`${JSON.stringify(set, null, 2)}\n`));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOSPC')
          throw new SearchError(
            'disk_full',
            'The disk holding the journal folder is full; the synonyms were not saved.',
            { cause: error },
          );
        throw new SearchError(
          'journal_write_failed',
          `The synonyms could not be written to the journal folder (${code ?? 'error'}); they were not saved.`,
          { cause: error },
        );
      }
    }
    this.current = new SynonymTable(set);
    this.origin = 'api';
    this.keptMtime = this.mtime();
    this.changes++;
    return set;
  }
}
