import type { Request } from 'express';
import { SearchError } from '../errors.js';
import { fingerprintOf, type Idempotency } from '../live/idempotency.js';
import type { JournalRecord } from '../live/journal.js';

/** What an `Idempotency-Key` may hold: 1–255 visible ASCII characters (a UUID, nginx's request id, …). */
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The idempotency of a write request (`PUT`/`DELETE /articles/{id}`), or
 * undefined without an `Idempotency-Key` header; 400 `invalid_idempotency_key`
 * for a key that is not 1–255 visible ASCII characters.
 */
export function idempotencyOf(req: Request, id: string, body: Uint8Array, created?: boolean): Idempotency | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!VALID_KEY.test(key))
    throw new SearchError(
      'invalid_idempotency_key',
      'The header `Idempotency-Key` must be 1 to 255 visible ASCII characters (a UUID, say).',
    );
  return { key, fingerprint: fingerprintOf(req.method, id, body), ...(created === undefined ? {} : { created }) };
}

/**
 * Checks an earlier write that carried the same key: it must be this very
 * request (same method, id and body), else 422 `idempotency_key_reused`.
 */
export function checkSameRequest(idem: Idempotency, earlier: { fingerprint: string } | undefined): void {
  if (earlier && earlier.fingerprint !== idem.fingerprint) {
    throw new SearchError(
      'idempotency_key_reused',
      'This `Idempotency-Key` was used within 24 hours by another request (another method, id or body); use a new key for a new write.',
    );
  }
}

/**
 * The record of the write `idem` asked for among a writer's answer: this
 * request's new record, or the earlier write that carried its key (checked with
 * {@link checkSameRequest}); undefined without a key.
 */
export function writtenWith(
  records: readonly JournalRecord[],
  idem: Idempotency | undefined,
): JournalRecord | undefined {
  if (!idem) return undefined;
  const record = records.find((r) => r.idem?.key === idem.key);
  checkSameRequest(idem, record?.idem);
  return record;
}
