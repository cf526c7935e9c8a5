import cluster, { type Worker } from 'node:cluster';
import { isErrorCode } from '../error-codes.js';
import { SearchError } from '../errors.js';
import type { ArchiveWriter } from './archive-writer.js';
import type { CorpusChange } from './corpus-watch.js';
import type { Journal, JournalChange, JournalRecord } from './journal.js';
import type { LiveArchive } from './live-archive.js';

/**
 * Writes with several worker processes (`WORKERS` > 1): the primary process
 * owns the journal and the corpus watch; a worker sends its writes to the
 * primary, which appends them (fsynced) and tells every worker the journal
 * grew; each worker then reads the new records from the journal file and
 * applies them. A worker answers a write once its own index shows it; the
 * others follow within milliseconds. Corpus changes found by the primary's
 * watch are sent to every worker, which reads the files itself.
 */

type ToPrimary = { type: 'nrs:write'; ref: number; changes: readonly JournalChange[] };
type ToWorker =
  | { type: 'nrs:written'; ref: number; records?: JournalRecord[]; error?: { code: string; message: string } }
  | { type: 'nrs:journal'; seq: number }
  | { type: 'nrs:files'; change: CorpusChange };

const isMessage = (value: unknown): value is { type: string } =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

function broadcast(message: ToWorker): void {
  for (const worker of Object.values(cluster.workers ?? {})) {
    if (worker?.isConnected()) worker.send(message);
  }
}

/** In the primary: takes the workers' writes into `journal`. */
export function serveWorkerWrites(journal: Journal): void {
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMessage(message) || message.type !== 'nrs:write') return;
    const { ref, changes } = message as ToPrimary;
    journal.append(changes, { keep: false }).then(
      (records) => {
        broadcast({ type: 'nrs:journal', seq: journal.lastSeq });
        if (worker.isConnected()) worker.send({ type: 'nrs:written', ref, records } satisfies ToWorker);
      },
      (error: unknown) => {
        const e =
          error instanceof SearchError ? error : new SearchError('journal_write_failed', (error as Error).message);
        if (worker.isConnected())
          worker.send({ type: 'nrs:written', ref, error: { code: e.code, message: e.message } } satisfies ToWorker);
      },
    );
  });
}

/** In the primary: sends a corpus change to every worker. */
export function broadcastCorpusChange(change: CorpusChange): void {
  broadcast({ type: 'nrs:files', change });
}

/**
 * In a worker: follows the primary's messages (journal grown, corpus changed),
 * applying them to the live archive once it exists, and returns the writer
 * that sends this worker's writes to the primary.
 */
export function followPrimary(
  journal: Journal,
  getLive: () => LiveArchive | null,
): ArchiveWriter & { start: () => Promise<void> } {
  let nextRef = 1;
  const waiting = new Map<number, { resolve: (records: JournalRecord[]) => void; reject: (error: unknown) => void }>();
  const early: CorpusChange[] = [];
  const sync = async () => {
    const live = getLive();
    if (!live) return;
    journal.catchUp();
    await live.syncJournal();
  };
  process.on('message', (message: unknown) => {
    if (!isMessage(message)) return;
    const m = message as ToWorker;
    if (m.type === 'nrs:journal') void sync();
    else if (m.type === 'nrs:files') {
      const live = getLive();
      if (live) void live.applyFiles(m.change.touched, m.change);
      else early.push(m.change);
    } else if (m.type === 'nrs:written') {
      const pending = waiting.get(m.ref);
      waiting.delete(m.ref);
      if (m.error)
        pending?.reject(new SearchError(isErrorCode(m.error.code) ? m.error.code : 'internal', m.error.message));
      else pending?.resolve(m.records ?? []);
    }
  });
  return {
    /** Call once the live archive exists: applies what arrived before. */
    async start() {
      const live = getLive()!;
      for (const change of early.splice(0)) await live.applyFiles(change.touched, change);
      await sync();
    },
    async write(changes) {
      const records = await this.append(changes);
      await sync();
      return records;
    },
    append(changes) {
      const ref = nextRef++;
      return new Promise<JournalRecord[]>((resolve, reject) => {
        waiting.set(ref, { resolve, reject });
        process.send!({ type: 'nrs:write', ref, changes } satisfies ToPrimary);
      });
    },
    settled: sync,
    // The primary's journal file holds every key; this worker's copy of it is read up to now first.
    async recall(key) {
      journal.catchUp();
      return journal.recall(key);
    },
    // The primary may have appended it a moment ago: read the journal up to now first.
    async has(id) {
      await sync();
      return getLive()?.has(id) ?? false;
    },
  };
}
