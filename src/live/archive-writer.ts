import type { Journal, JournalChange, JournalRecord } from './journal.js';
import type { LiveArchive } from './live-archive.js';

/**
 * Takes writes (creates, replacements, takedowns) and resolves once they are
 * durable (in the journal, fsynced) and searchable in this process.
 */
export interface ArchiveWriter {
  write(changes: readonly JournalChange[]): Promise<JournalRecord[]>;
}

/** The writer of a single process: it owns the journal. */
export function localWriter(journal: Journal, live: LiveArchive): ArchiveWriter {
  return {
    async write(changes) {
      const records = await journal.append(changes);
      await live.syncJournal();
      return records;
    },
  };
}
