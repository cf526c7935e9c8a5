import type { Article } from '../corpus/article.js';
import type { Idempotency, IdempotentWrite } from './idempotency.js';

/** A write as a client asks for it; `idem` when it carries an idempotency key (see `Idempotency`). */
export type JournalChange = (
  | { op: 'put'; id: string; article: Article }
  | { op: 'delete'; id: string; reason?: string }
) & { idem?: Idempotency };

/** A write once the journal holds it: its sequence number and time. */
export type JournalRecord = JournalChange & { seq: number; at: string };

/** Whether a record puts a draft or an embargoed article (held back from readers until published). */
export const isGated = (record: JournalRecord): boolean =>
  record.op === 'put' && (record.article.status !== undefined || record.article.publishAt !== undefined);

/** The answer to a change whose key an earlier write carried: that write's number, time and key. */
export function replayOf(change: JournalChange, earlier: IdempotentWrite | undefined): JournalRecord | undefined {
  if (!earlier) return undefined;
  const { key, fingerprint, created } = earlier;
  return {
    ...change,
    seq: earlier.seq,
    at: new Date(earlier.atMs).toISOString(),
    idem: { key, fingerprint, ...(created === undefined ? {} : { created }) },
  } as JournalRecord;
}
