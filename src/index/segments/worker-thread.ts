import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';
import type { Article } from '../../corpus/article.js';
import type { MergeSource } from './merge-source.js';
import type { HelperChannelEnd } from './helper-channel.js';

/** Work a segment worker thread does: merge segments, write a buffer of articles out as a segment, or check every byte of segment files. */
export type WorkerTask =
  | { task: 'merge'; files: MergeSource[]; outFile: string }
  | { task: 'flush' | 'flushForms'; articles: Article[]; outFile: string; helper?: HelperChannelEnd }
  | { task: 'help'; articles: Article[]; outFile: string; flush: HelperChannelEnd }
  | { task: 'compactLexicon'; lexicon: Uint8Array; changes: [string, number][] }
  | { task: 'verify'; files: string[] };

/** The message a worker posts back. */
export type WorkerReply<T> = { ok: true; result: T } | { ok: false; message: string; stack?: string };

/** How to start the worker: its `.js` build as is, or its TypeScript source through tsx. */
function workerScript(): { script: URL | string; eval: boolean } {
  const here = import.meta.url;
  if (!/\.[cm]?ts$/.test(new URL(here).pathname))
    return { script: new URL('./segment-worker-entry.js', here), eval: false };
  // Running from source (tsx, vitest): the worker is a fresh Node thread that knows no TypeScript, and
  // Node 20 ignores `--import` in a worker's execArgv, so a bootstrap registers tsx's loader inside the
  // worker, then imports the entry.
  const entry = new URL('./segment-worker-entry.ts', here).href;
  const bootstrap = `import(${JSON.stringify(tsxApiUrl(here))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return { script: bootstrap, eval: true };
}

/** URL of tsx's ESM API (`tsx/esm/api`), resolved from this module, not from the working folder. */
function tsxApiUrl(here: string): string {
  if (typeof import.meta.resolve === 'function') return import.meta.resolve('tsx/esm/api');
  // Where `import.meta.resolve` is missing (Node before 20.6, some module runners), read the package's exports map.
  const require = createRequire(here);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const target = exports['./esm/api']?.import?.default;
  if (!target) throw new Error('tsx has no ESM API to run a segment worker from TypeScript');
  return pathToFileURL(join(dirname(manifest), target)).href;
}

/** Idle workers kept for the next task, and how long one waits before it ends. */
const MAX_IDLE_WORKERS = 2;
const IDLE_MS = 10_000;
const idle: { worker: Worker; timer: NodeJS.Timeout }[] = [];

/** A worker from the idle ones, or a new one. */
function takeWorker(): Worker {
  const kept = idle.pop();
  if (kept) {
    clearTimeout(kept.timer);
    kept.worker.ref();
    return kept.worker;
  }
  const { script, eval: isCode } = workerScript();
  return new Worker(script, { eval: isCode });
}

/** Keeps a worker that finished its task for the next one (not holding the process open), or ends it. */
function giveBack(worker: Worker): void {
  if (idle.length >= MAX_IDLE_WORKERS) {
    void worker.terminate();
    return;
  }
  worker.unref();
  const entry = {
    worker,
    timer: setTimeout(() => {
      idle.splice(idle.indexOf(entry), 1);
      void worker.terminate();
    }, IDLE_MS).unref(),
  };
  idle.push(entry);
}

/**
 * Runs one task in a worker thread (so the event loop keeps serving) and
 * resolves with its result (`transfer`: message ports the task carries, moved
 * to the worker); rejects with an Error carrying the worker's message
 * and stack when the task fails or the worker dies. A worker is kept a few
 * seconds after its task for the next one: a build's flushes and merges then do
 * not each start a thread and load its modules (the entity lexicon among them).
 */
export function runInWorker<T>(task: WorkerTask, transfer: readonly TransferListItem[] = []): Promise<T> {
  const worker = takeWorker();
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply<T>) => {
      done();
      giveBack(worker);
      if (reply.ok) resolve(reply.result);
      else reject(Object.assign(new Error(reply.message), reply.stack ? { stack: reply.stack } : {}));
    };
    const onError = (error: unknown) => {
      done();
      void worker.terminate();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`segment worker exited with code ${code} before it reported`));
    };
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(task, transfer);
  });
}
