import type { IdempotentWrite } from './idempotency.js';
import type { Journal, JournalChange, JournalRecord } from './journal.js';
import type { LiveArchive } from './live-archive.js';

/**
 * Takes writes (creates, replacements, takedowns) and resolves once they are
 * durable (in the journal, fsynced; or committed by the PostgreSQL article
 * store, see `storeWriter`) and searchable in this process.
 */
export interface ArchiveWriter {
  write(changes: readonly JournalChange[]): Promise<JournalRecord[]>;
  /**
   * Durable only: resolves once the changes are in the journal; they become
   * searchable soon after, in order (a bulk import sends its batches this way,
   * then waits for `settled()`).
   */
  append(changes: readonly JournalChange[]): Promise<JournalRecord[]>;
  /** Resolves once every change appended so far is searchable here. */
  settled(): Promise<void>;
  /** The write of the last 24 h that carried idempotency key `key`, if any. */
  recall(key: string): Promise<IdempotentWrite | undefined>;
}

/** The writer of a single process: it owns the journal. */
export function localWriter(journal: Journal, live: LiveArchive): ArchiveWriter {
  return {
    async write(changes) {
      const records = await journal.append(changes);
      await live.syncJournal();
      return records;
    },
    async append(changes) {
      const records = await journal.append(changes);
      void live.syncJournal();
      return records;
    },
    settled: () => live.syncJournal(),
    recall: async (key) => journal.recall(key),
  };
}
