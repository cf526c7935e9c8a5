import { watch, type FSWatcher } from 'node:fs';
import type { CorpusFile, Problem } from '../corpus/article.js';
import { classifyCorpusPath } from '../corpus/classify-corpus-path.js';
import type { CorpusLimits } from '../corpus/corpus-limits.js';
import { checkCorpus } from '../corpus/read-corpus.js';

/** A file is read once it has not changed for this long (ms): one still being written is never read half. */
export const QUIET_MS = 1_000;
/** Events arriving together are handled together after this pause (ms). */
const BATCH_MS = 150;
/** Without file-system events (or as a safety net), the corpus is listed this often (ms). */
export const POLL_MS = 2_000;

/** With file-system events, the corpus is still listed this often (ms), in case some were missed. */
const SAFETY_POLL_MS = 30_000;

/** The corpus as a check found it: what changed and the new listing. */
export interface CorpusChange {
  /** Files added, changed or removed, quiet for {@link QUIET_MS}. */
  touched: string[];
  /** The corpus listing to record (a file still being written keeps its old fingerprint, or is left out when new). */
  files: CorpusFile[];
  problems: Problem[];
}

export interface WatchOptions {
  corpusDir: string;
  limits?: Partial<CorpusLimits>;
  /** The corpus files the index holds. */
  files: CorpusFile[];
  /** Applies a change; the next check waits for it. */
  onChange: (change: CorpusChange) => Promise<void>;
  log?: (line: string) => void;
  quietMs?: number;
  pollMs?: number;
  now?: () => number;
}

/** True for an event path worth a check: not inside a hidden folder (the journal's), not an editor's temp file. */
function worthChecking(relPath: string | null): boolean {
  if (relPath === null) return true;
  const parts = relPath.split(/[\\/]/);
  if (parts.some((p) => p.startsWith('.') && p !== '.' && p !== '..' && parts.indexOf(p) < parts.length - 1))
    return false;
  const kind = classifyCorpusPath(parts[parts.length - 1]!).kind;
  return kind === 'article' || kind === 'unsupported';
}

/**
 * Watches the corpus folder while the service runs: a file-system event (or a
 * listing every {@link POLL_MS}) starts a check — the corpus listed, and files
 * whose size or time moved hashed (`checkCorpus`) — batched over
 * {@link BATCH_MS}. Files changed less than {@link QUIET_MS} ago wait for the
 * next check, so a file written in parts is read once, whole. Editors' temp files
 * and hidden folders cause no check. Changes are handed to `onChange` one at a time.
 */
export function watchCorpus(options: WatchOptions): { close: () => void; checkNow: () => Promise<void> } {
  const quietMs = options.quietMs ?? QUIET_MS;
  const now = options.now ?? Date.now;
  let known = options.files;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let watcher: FSWatcher | null = null;

  const check = async (): Promise<void> => {
    const result = await checkCorpus(options.corpusDir, known, { limits: options.limits });
    const before = new Map(known.map((f) => [f.path, f]));
    const at = now();
    const waiting = new Set(
      result.files.filter((f) => result.changed.includes(f.path) && at - (f.mtimeMs ?? 0) < quietMs).map((f) => f.path),
    );
    const touched = [...result.changed.filter((p) => !waiting.has(p)), ...result.removed];
    const files = result.files.flatMap((f) =>
      waiting.has(f.path) ? (before.has(f.path) ? [before.get(f.path)!] : []) : [f],
    );
    if (waiting.size > 0) schedule(quietMs);
    if (touched.length === 0) return;
    await options.onChange({ touched, files, problems: result.problems });
    known = files;
  };

  const run = (): void => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = check()
      .catch((error: unknown) =>
        options.log?.(`corpus watch: check failed (${(error as Error).message}); trying again at the next change`),
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          schedule(BATCH_MS);
        }
      });
  };

  const schedule = (ms: number): void => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      run();
    }, ms);
    timer.unref();
  };

  try {
    watcher = watch(options.corpusDir, { recursive: true }, (_event, name) => {
      if (worthChecking(name === null ? null : String(name))) schedule(BATCH_MS);
    });
    watcher.on('error', (error) =>
      options.log?.(`corpus watch: ${error.message}; the folder is still listed every ${SAFETY_POLL_MS / 1000} s`),
    );
  } catch (error) {
    options.log?.(
      `corpus watch: cannot watch ${options.corpusDir} (${(error as Error).message}); listing it every ${(options.pollMs ?? POLL_MS) / 1000} s instead`,
    );
  }
  // Events can be missed (some file systems send none): a listing now and then, often when there are no events.
  const poll = setInterval(
    () => {
      if (!running && !timer) run();
    },
    watcher ? SAFETY_POLL_MS : (options.pollMs ?? POLL_MS),
  );
  poll.unref();

  return {
    close() {
      closed = true;
      watcher?.close();
      clearInterval(poll);
      if (timer) clearTimeout(timer);
    },
    async checkNow() {
      run();
      while (running) await running;
    },
  };
}
