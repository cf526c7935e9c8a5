/**
 * The history of concurrent writes to an archive under faults, and the check
 * that the archive's final state is one the acknowledged history allows
 * (issue #28's fault suite).
 *
 * Writes to one id are issued one at a time (ids are many, so writes run
 * concurrently across ids), so each id's history is a sequence. Every write
 * carries a token unique to it (a PUT's body holds it; a DELETE's is null) and
 * ends in one of three outcomes:
 * - `ok`: acknowledged (PUT 200/201, DELETE 204; a DELETE's 404 is an
 *   acknowledged "it was absent", checked against the history too);
 * - `failed`: certainly not written (connection refused, 400, 503 `index_loading`, …);
 * - `unknown`: may or may not have happened (connection reset mid-request, a
 *   timeout, nginx's 502, PostgreSQL gone mid-commit: 503 `store_unavailable`).
 * The final state of an id must be the state after its last acknowledged write,
 * or after one of the unknown writes issued since (each unknown is all or nothing).
 */

/** How a write ended. */
export type Outcome = 'ok' | 'failed' | 'unknown';

/** One write as the client saw it. */
export interface WriteOp {
  id: string;
  op: 'put' | 'delete';
  /** The PUT's token (null for a DELETE: the id absent). */
  token: string | null;
  outcome: Outcome;
  /** The last HTTP status, or the network error's code. */
  answer: string;
  /** Attempts (a client retries an unknown outcome with the same idempotency key). */
  attempts: number;
}

/** A state the history does not allow, or a wrong answer. */
export interface Violation {
  id: string;
  kind: 'lost_write' | 'resurrected' | 'unexplained_state' | 'takedown_answered_404' | 'not_searchable';
  detail: string;
}

/** Counts of a history, for reports. */
export interface HistorySummary {
  writes: number;
  ok: number;
  failed: number;
  unknown: number;
  retried: number;
}

/** Classifies an HTTP answer to a write (status and error code) as an outcome. */
export function outcomeOf(op: 'put' | 'delete', status: number, code?: string): Outcome {
  if (op === 'put' && (status === 200 || status === 201)) return 'ok';
  if (op === 'delete' && (status === 204 || status === 404)) return 'ok';
  // A node that died after its commit (nginx: 502/504), or PostgreSQL gone mid-commit: may have happened.
  if (status === 502 || status === 504 || code === 'store_unavailable') return 'unknown';
  return 'failed';
}

/** Classifies a network error: refused means the request never arrived. */
export function outcomeOfError(error: unknown): { outcome: Outcome; answer: string } {
  const cause = (error as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code ?? (error as Error).name ?? 'error';
  return { outcome: code === 'ECONNREFUSED' ? 'failed' : 'unknown', answer: code };
}

/** The writes of a run, per id in the order they were issued. */
export class WriteHistory {
  private readonly byId = new Map<string, WriteOp[]>();

  record(op: WriteOp): void {
    let list = this.byId.get(op.id);
    if (!list) this.byId.set(op.id, (list = []));
    list.push(op);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  summary(): HistorySummary {
    const all = [...this.byId.values()].flat();
    return {
      writes: all.length,
      ok: all.filter((o) => o.outcome === 'ok').length,
      failed: all.filter((o) => o.outcome === 'failed').length,
      unknown: all.filter((o) => o.outcome === 'unknown').length,
      retried: all.filter((o) => o.attempts > 1).length,
    };
  }

  /**
   * The states `id` may end in: after its last acknowledged write (absent
   * before any), or after any unknown write issued since.
   */
  allowed(id: string): Set<string | null> {
    const ops = this.byId.get(id) ?? [];
    let last = -1;
    for (let i = 0; i < ops.length; i++) if (ops[i]!.outcome === 'ok' && !isAbsentAnswer(ops[i]!)) last = i;
    const states = new Set<string | null>([last >= 0 ? ops[last]!.token : null]);
    if (last < 0) for (const op of ops) if (op.outcome === 'unknown') states.add(op.token);
    for (let i = last + 1; i < ops.length; i++) if (ops[i]!.outcome === 'unknown') states.add(ops[i]!.token);
    return states;
  }

  /**
   * Checks the final states (`id` → the token found, or null: 404) and the
   * answers: a takedown answered 404 while the history says the article was
   * there (only acknowledged writes before it, the last a PUT) is a violation.
   */
  check(final: ReadonlyMap<string, string | null>): Violation[] {
    const violations: Violation[] = [];
    for (const [id, ops] of this.byId) {
      const found = final.get(id) ?? null;
      const allowed = this.allowed(id);
      if (!allowed.has(found)) {
        const expected = [...allowed].map((s) => s ?? 'absent').join(' or ');
        const kind =
          found === null
            ? 'lost_write'
            : allowed.has(null) || [...allowed].every((s) => s === null)
              ? 'resurrected'
              : 'unexplained_state';
        violations.push({
          id,
          kind,
          detail: `found ${found ?? 'absent'}, the history allows ${expected}; writes: ${ops.map(describe).join(', ')}`,
        });
      }
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i]!;
        if (!(op.op === 'delete' && op.answer === '404')) continue;
        const before = ops.slice(0, i);
        const lastKnown = [...before].reverse().find((o) => o.outcome !== 'failed');
        if (lastKnown && lastKnown.outcome === 'ok' && lastKnown.op === 'put') {
          violations.push({
            id,
            kind: 'takedown_answered_404',
            detail: `takedown #${i + 1} answered 404 after an acknowledged PUT (${lastKnown.token})`,
          });
        }
      }
    }
    return violations;
  }
}

/** A DELETE answered 404 changes nothing: it tells the state, it does not set one. */
function isAbsentAnswer(op: WriteOp): boolean {
  return op.op === 'delete' && op.answer === '404';
}

function describe(op: WriteOp): string {
  return `${op.op}${op.token ? ` ${op.token}` : ''} → ${op.answer} (${op.outcome}${op.attempts > 1 ? `, ${op.attempts} tries` : ''})`;
}
