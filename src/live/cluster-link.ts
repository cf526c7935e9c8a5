import cluster, { type Worker } from 'node:cluster';
import type { Article } from '../corpus/article.js';
import { isErrorCode } from '../error-codes.js';
import { SearchError } from '../errors.js';
import type { ArchiveWriter } from './archive-writer.js';
import type { CorpusChange } from './corpus-watch.js';
import type { Journal, JournalChange, JournalRecord } from './journal.js';
import type { LiveArchive } from './live-archive.js';
import type { VersionHistory } from './version-history.js';
import { keepVersionsReplaced } from './versioned-writer.js';
import { keepNewVersions, type CorpusVersionKeeper } from './corpus-versions.js';

/**
 * Writes with several worker processes (`WORKERS` > 1): the primary process
 * owns the journal and the corpus watch; a worker sends its writes to the
 * primary, which appends them (fsynced) and tells every worker the journal
 * grew; each worker then reads the new records from the journal file and
 * applies them. A worker answers a write once its own index shows it; the
 * others follow within milliseconds. Corpus changes found by the primary's
 * watch are sent to every worker, which reads the files itself.
 *
 * The primary also keeps the versions writes replace (it owns the version
 * file beside the journal; workers read it). A worker sends, with each write,
 * the article each id holds in its index; the primary uses it only for ids
 * the journal has never decided (corpus articles, the same in every worker),
 * and the journal's own latest article, or a write still on its way to disk,
 * for the others. A corpus change is applied by every worker; each sends the
 * earlier versions it replaced, and the primary keeps each once.
 */

/**
 * `previous`: the article each change's id holds in the sending worker's index (null: none).
 * `nrs:versions`: earlier versions of corpus articles a corpus change replaced, as a worker saw it.
 */
type ToPrimary =
  | { type: 'nrs:write'; ref: number; changes: readonly JournalChange[]; previous?: (Article | null)[] }
  | { type: 'nrs:versions'; previous: Article[] };
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

/**
 * In the primary: takes the workers' writes into `journal`, keeping in
 * `versions` (when given) what each replaces, durably before the write itself.
 */
export function serveWorkerWrites(journal: Journal, versions: VersionHistory | null = null): void {
  // Articles of writes being appended now, by id: the next write of the id replaces them, not the journal's.
  const inFlight = new Map<string, { article: Article | null }>();
  const keep = async (changes: readonly JournalChange[], previous: readonly (Article | null)[]) => {
    if (!versions) return () => {};
    const fromWorker = new Map(changes.map((c, i) => [c.id, previous[i] ?? null]));
    await keepVersionsReplaced(
      versions,
      {
        article: (id) => {
          const flying = inFlight.get(id);
          if (flying) return flying.article;
          return journal.decides(id) ? journal.articleOf(id) : (fromWorker.get(id) ?? null);
        },
        since: (id) =>
          versions.correctedAt(id) ?? (journal.opOf(id) === 'put' ? (journal.latest(id)?.at ?? null) : null),
      },
      changes,
    );
    const mine = changes.map((c) => {
      const entry = { article: c.op === 'put' ? c.article : null };
      inFlight.set(c.id, entry);
      return [c.id, entry] as const;
    });
    return () => {
      for (const [id, entry] of mine) if (inFlight.get(id) === entry) inFlight.delete(id);
    };
  };
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMessage(message)) return;
    const m = message as ToPrimary;
    if (m.type === 'nrs:versions') {
      // Every worker reports the same corpus change: the first report keeps them, the others find them kept.
      // A failure (a full disk) loses these versions only: the corpus file itself is the current one.
      if (versions) keepNewVersions(versions, m.previous).catch(() => {});
      return;
    }
    if (m.type !== 'nrs:write') return;
    const { ref, changes, previous = [] } = m;
    keep(changes, previous)
      .then((settle) => {
        const appended = journal.append(changes, { keep: false });
        appended.then(settle, settle);
        return appended;
      })
      .then(
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
 * In a worker: where its live archive keeps the earlier versions of corpus
 * articles a corpus change replaced: sent to the primary, which owns the
 * version file (`versions`, read here, tells what is kept already).
 */
export function forwardCorpusVersions(versions: VersionHistory): CorpusVersionKeeper {
  return {
    writable: true,
    currentHistory: (id) => versions.currentHistory(id),
    keepReplaced(replaced) {
      const previous = replaced.flatMap((r) => (r.previous ? [r.previous] : []));
      if (previous.length) process.send?.({ type: 'nrs:versions', previous } satisfies ToPrimary);
      return Promise.resolve();
    },
  };
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
      const live = getLive();
      const previous = changes.map((c) => live?.index.getArticle(c.id) ?? live?.heldArticle(c.id) ?? null);
      return new Promise<JournalRecord[]>((resolve, reject) => {
        waiting.set(ref, { resolve, reject });
        process.send!({ type: 'nrs:write', ref, changes, previous } satisfies ToPrimary);
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
