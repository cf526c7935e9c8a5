import { randomUUID } from 'node:crypto';
import { outcomeOf, outcomeOfError, type Outcome, type WriteHistory, type WriteOp } from './write-history.js';

/** Options of {@link runWriteLoad}. */
export interface WriteLoadOptions {
  /** Where writes go (a node, or nginx in front of several). */
  baseUrl: string;
  adminKey: string;
  /** Ids written (`chaos-0` …): few enough that each is written many times. */
  ids: number;
  /** Writes in flight at once (each on its own id). */
  concurrency: number;
  /** Until when (ms since the epoch) new writes start; asked before each write. */
  until: () => number;
  history: WriteHistory;
  /** A unique tag of the run, part of every token. */
  tag: string;
  /** An unknown outcome is retried with the same idempotency key for up to this long (ms); 0: never. */
  retryUnknownMs?: number;
  /** Each request's timeout (ms). */
  requestTimeoutMs?: number;
  /** Sends no `Idempotency-Key` (to show what retries do without one). */
  withoutKeys?: boolean;
}

/** The word a version's body holds: letters only, so no analyzer splits or stems it into another. */
export function tokenOf(tag: string, n: number): string {
  const letters = n
    .toString(26)
    .replace(/[0-9]/g, (d) => String.fromCharCode(97 + Number(d)))
    .replace(/[a-p]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 10));
  return `zq${tag}${letters}x`;
}

/** Finds a version's token in an article's JSON, or null. */
export function tokenIn(text: string, tag: string): string | null {
  return new RegExp(`zq${tag}[a-z]+x`).exec(text)?.[0] ?? null;
}

async function send(
  options: WriteLoadOptions,
  op: 'put' | 'delete',
  id: string,
  token: string | null,
  key: string,
): Promise<{ outcome: Outcome; answer: string }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${options.adminKey}` };
  if (!options.withoutKeys) headers['Idempotency-Key'] = key;
  let body: string | undefined;
  if (op === 'put') {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify({
      title: `Chaos ${id}`,
      body: `Version ${token} of the article ${id}, written under faults.`,
    });
  }
  try {
    const res = await fetch(`${options.baseUrl}/articles/${encodeURIComponent(id)}`, {
      method: op === 'put' ? 'PUT' : 'DELETE',
      headers,
      ...(body ? { body } : {}),
      signal: AbortSignal.timeout(options.requestTimeoutMs ?? 15_000),
    });
    const text = await res.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { code?: string }).code;
    } catch {
      code = undefined;
    }
    return { outcome: outcomeOf(op, res.status, code), answer: String(res.status) };
  } catch (error) {
    return outcomeOfError(error);
  }
}

/**
 * Writes (70 % PUTs with a fresh token, 30 % DELETEs) to random ids, one write
 * per id at a time, `concurrency` at once, until `until`; records each in the
 * history. An unknown outcome is retried with the same idempotency key (as a
 * client should) until it is known or `retryUnknownMs` passed.
 */
export async function runWriteLoad(options: WriteLoadOptions): Promise<void> {
  const busy = new Set<string>();
  let counter = 0;
  const worker = async () => {
    while (Date.now() < options.until()) {
      let id = `chaos-${Math.floor(Math.random() * options.ids)}`;
      for (let tries = 0; busy.has(id) && tries < 50; tries++) id = `chaos-${Math.floor(Math.random() * options.ids)}`;
      if (busy.has(id)) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      busy.add(id);
      const op: 'put' | 'delete' = Math.random() < 0.7 ? 'put' : 'delete';
      const token = op === 'put' ? tokenOf(options.tag, counter++) : null;
      const key = randomUUID();
      const started = Date.now();
      let attempts = 1;
      let result = await send(options, op, id, token, key);
      while (result.outcome === 'unknown' && Date.now() - started < (options.retryUnknownMs ?? 0)) {
        await new Promise((r) => setTimeout(r, 200));
        attempts++;
        const again = await send(options, op, id, token, key);
        // A refused retry tells nothing of the first attempt: still unknown.
        result = again.outcome === 'failed' ? { outcome: 'unknown', answer: again.answer } : again;
      }
      const record: WriteOp = { id, op, token, outcome: result.outcome, answer: result.answer, attempts };
      options.history.record(record);
      busy.delete(id);
      if (result.outcome === 'failed') await new Promise((r) => setTimeout(r, 20));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}

/** Each id's state on one node: the token its article holds, or null (404); throws on any other answer. */
export async function readStates(
  baseUrl: string,
  ids: readonly string[],
  tag: string,
): Promise<Map<string, string | null>> {
  const states = new Map<string, string | null>();
  for (const id of ids) {
    const res = await fetch(`${baseUrl}/articles/${encodeURIComponent(id)}`, { signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    if (res.status === 404) states.set(id, null);
    else if (res.status === 200) states.set(id, tokenIn(text, tag));
    else throw new Error(`GET /articles/${id} answered ${res.status}: ${text.slice(0, 200)}`);
  }
  return states;
}

/**
 * Ids whose present version a search for its token does not find (the index lost or kept a stale
 * version), each with what the last search answered. A search is tried three times, a second apart:
 * on a loaded machine one may run out of its time budget (`exhaustive: false`).
 */
export async function unsearchable(
  baseUrl: string,
  states: ReadonlyMap<string, string | null>,
): Promise<{ id: string; answer: string }[]> {
  const missing: { id: string; answer: string }[] = [];
  for (const [id, token] of states) {
    if (token === null) continue;
    let answer = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await fetch(`${baseUrl}/search?q=${token}&hitsPerPage=10`, { signal: AbortSignal.timeout(10_000) });
      const body = (await res.json()) as { hits?: { articleId: string }[]; totalHits?: number; exhaustive?: boolean };
      if ((body.hits ?? []).some((h) => h.articleId === id)) {
        answer = '';
        break;
      }
      answer = `${res.status}: ${body.totalHits ?? 0} hits (${(body.hits ?? []).map((h) => h.articleId).join(', ')}), exhaustive ${body.exhaustive}`;
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (answer) missing.push({ id, answer });
  }
  return missing;
}
