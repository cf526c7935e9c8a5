import { createHash } from 'node:crypto';

/**
 * Hours a write's idempotency key is remembered: a retry within them answers as
 * the first attempt did (the IETF draft and Stripe keep keys for 24 h).
 */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * What a write carries so that a retry of it is recognised: the client's key
 * (`Idempotency-Key`; nginx gives each write that has none its request id, so
 * its own retries on another node carry the same), a digest of the request
 * (method, id, body: the same key with another request is refused), and for a
 * put whether the id was new (the status a retry must answer: 201 or 200).
 */
export interface Idempotency {
  key: string;
  fingerprint: string;
  created?: boolean;
}

/** What is remembered of a write that carried a key. */
export interface IdempotentWrite extends Idempotency {
  op: 'put' | 'delete';
  id: string;
  seq: number;
  /** When it was written (ms since the epoch). */
  atMs: number;
}

/** The digest of a write request: method, article id and body bytes (hex SHA-256). */
export function fingerprintOf(method: string, id: string, body: Uint8Array): string {
  return createHash('sha256').update(`${method} ${id}\n`).update(body).digest('hex');
}

/**
 * The keys of the writes of the last {@link IDEMPOTENCY_WINDOW_MS}, in memory
 * (rebuilt from the journal at a start: the key travels in the write's record).
 */
export class IdempotencyMemo {
  private readonly writes = new Map<string, IdempotentWrite>();

  /** Remembers a record's key, if it has one. */
  remember(record: { op: 'put' | 'delete'; id: string; seq: number; at: string; idem?: Idempotency }): void {
    if (!record.idem) return;
    const atMs = Date.parse(record.at);
    if (!(Date.now() - atMs < IDEMPOTENCY_WINDOW_MS)) return;
    this.writes.set(record.idem.key, { ...record.idem, op: record.op, id: record.id, seq: record.seq, atMs });
    if (this.writes.size % 1024 === 0) this.prune();
  }

  /** The write that carried `key` within the window, or undefined. */
  recall(key: string): IdempotentWrite | undefined {
    const write = this.writes.get(key);
    if (write && Date.now() - write.atMs >= IDEMPOTENCY_WINDOW_MS) {
      this.writes.delete(key);
      return undefined;
    }
    return write;
  }

  private prune(): void {
    const oldest = Date.now() - IDEMPOTENCY_WINDOW_MS;
    for (const [key, write] of this.writes) if (write.atMs <= oldest) this.writes.delete(key);
  }
}
