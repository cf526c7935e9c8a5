import type { ArchiveWriter } from '../live/archive-writer.js';
import type { LiveArchive } from '../live/live-archive.js';
import type { PgStore } from './pg-store.js';
import type { StoreMirror } from './store-mirror.js';

/**
 * Most milliseconds a write waits, once PostgreSQL committed it, for this
 * node's index to show it. The write is durable either way (it answers 2xx);
 * past this the node is lagging, which `/health` says.
 */
export const VISIBLE_WAIT_MS = 5_000;

/**
 * The writer of a node following a PostgreSQL article store: any node takes
 * writes. A write is a transaction in PostgreSQL (durable once it commits:
 * `store_unavailable`, HTTP 503, when PostgreSQL cannot be reached); `write`
 * then waits until this node's mirror fetched it and its index applied it, so
 * the client reads its own write here. Every other node fetches it on the
 * store's notification (or its next poll).
 */
export function storeWriter(store: PgStore, mirror: StoreMirror, live: LiveArchive): ArchiveWriter {
  let lastSeq = 0;
  const visible = async (seq: number) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, VISIBLE_WAIT_MS);
    });
    await Promise.race([mirror.waitFor(seq).then(() => live.syncJournal()), timeout]);
    clearTimeout(timer);
  };
  return {
    async write(changes) {
      const records = await store.write(changes);
      const last = records[records.length - 1];
      if (last) await visible(last.seq);
      return records;
    },
    async append(changes) {
      const records = await store.write(changes);
      const last = records[records.length - 1];
      if (last) {
        lastSeq = Math.max(lastSeq, last.seq);
        mirror.pull();
      }
      return records;
    },
    settled: () => visible(lastSeq),
    recall: (key) => store.recall(key),
  };
}
