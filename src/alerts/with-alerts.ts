import type { ArchiveWriter } from '../live/archive-writer.js';
import type { Alerts } from './alerts-api.js';

/**
 * A writer whose `write` also waits for the alerts: it resolves once the
 * write's matches are durable in the alert log (so an acknowledged write's
 * events survive `kill -9`), as well as the write itself. The other methods
 * are the writer's own: a bulk import (`append`, `settled`) answers once it is searchable,
 * and its matches follow in slices (a crash before they are recorded is
 * caught up at the next start, from the journal).
 */
export function withAlerts(writer: ArchiveWriter, alerts: () => Alerts | null): ArchiveWriter {
  // The writers are plain objects: every other method passes through as it is.
  return {
    ...writer,
    async write(changes) {
      const records = await writer.write(changes);
      await alerts()?.flushed();
      return records;
    },
  };
}
