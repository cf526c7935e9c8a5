import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Alert, AlertEvent } from '../src/alerts/alert.js';
import { AlertBook } from '../src/alerts/alert-book.js';
import { AlertLog, ALERT_LOG_FILE, type AlertRecord } from '../src/alerts/alert-log.js';
import { AlertService } from '../src/alerts/alert-service.js';
import { parseWebhookAllowList } from '../src/alerts/webhook-target.js';
import { apiArticle } from './helpers/api-article.js';

/**
 * The journal-backed outbox does not grow forever: delivered events are kept
 * for the retention period, then forgotten, and the log is rewritten as its
 * state while the service runs, without losing an append made meanwhile.
 */

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-alert-prune-'));
  dirs.push(dir);
  return dir;
}

const article = apiArticle;
const query = (q: string) => ({ q, from: null, to: null, source: [], section: [], author: [], tag: [] });
const DAY = 24 * 3600_000;

async function within(ms: number, check: () => boolean): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const logLines = async (dir: string) => (await readFile(path.join(dir, ALERT_LOG_FILE), 'utf8')).trim().split('\n');

describe('pruning the journal-backed outbox', () => {
  it('keeps delivered events for the retention period, then forgets them, and keeps the log near its state', async () => {
    const dir = await tempDir();
    let now = Date.parse('2026-12-01T08:00:00Z');
    const open = () =>
      AlertService.open({
        dir,
        now: () => now,
        retentionMs: DAY,
        allow: parseWebhookAllowList('127.0.0.1'),
        retry: { giveUpAfterMs: 0 },
        // h2's receiver always fails: given up at its first failure.
        deliver: async (_url, body) =>
          body.includes('"h2"') ? { ok: false, error: 'answered 500' } : { ok: true, status: 204 },
      });
    let alerts = await open();
    const feedOnly = await alerts.create({ name: 'Ferries', query: query('ferry'), webhook: null });
    const hooked = await alerts.create({
      name: 'Harbours',
      query: query('harbour'),
      webhook: { url: 'http://127.0.0.1:9/hook', secret: 'a-secret-of-16-chars' },
    });
    let seq = 0;
    alerts.articlesChanged({
      published: ['h1', 'h2', 'h3'].map((id) => article(id, `The harbour (${id}).`)),
      withdrawn: [],
      seq: ++seq,
    });
    await alerts.flushed();
    await within(5_000, () => alerts.deliveryOf(hooked.id).pending === 0);
    expect(alerts.deliveryOf(hooked.id)).toMatchObject({ abandoned: 1 });
    // A feed without webhook changing a lot: a hundred articles, each corrected fourteen times.
    const churn = async () => {
      for (let round = 0; round < 14; round++) {
        now += 1000;
        const version = ++seq;
        alerts.articlesChanged({
          published: Array.from({ length: 100 }, (_, i) => article(`f${i}`, `A ferry, version ${version}.`)),
          withdrawn: [],
          seq: version,
        });
        await alerts.flushed();
      }
    };
    await churn();
    const before = (await logLines(dir)).length;
    expect(await alerts.compact()).toBe(true);
    const rewritten = await logLines(dir);
    expect(rewritten.length).toBeLessThan(before / 5);
    // The three deliveries are within the retention period: kept, and so is the state.
    expect(rewritten.filter((line) => line.includes('"r":"delivered"'))).toHaveLength(3);
    await alerts.close();
    alerts = await open();
    expect(alerts.entries(feedOnly.id)).toHaveLength(100);
    expect(alerts.entries(feedOnly.id)[0]!.article.snippet).toContain(`version ${seq}`);
    expect(alerts.entries(hooked.id).map((e) => e.article.articleId)).toEqual(['h1', 'h2', 'h3']);
    const kept = alerts.deliveryOf(hooked.id);
    expect(kept).toMatchObject({ pending: 0, abandoned: 1 });
    expect(kept.lastSuccess).not.toBeNull();

    // Two days later the deliveries are past the retention period: forgotten, and gone from the next rewrite.
    now += 2 * DAY;
    await churn();
    expect(await alerts.compact()).toBe(true);
    expect((await logLines(dir)).filter((line) => line.includes('"r":"delivered"'))).toEqual([]);
    expect(alerts.deliveryOf(hooked.id)).toMatchObject({ pending: 0, abandoned: 0, lastSuccess: kept.lastSuccess });
    expect(alerts.entries(hooked.id)).toHaveLength(3);
    await alerts.close();
  });

  it('loses no append made while the log is rewritten, and replays to the same state', async () => {
    const dir = await tempDir();
    const book = new AlertBook();
    const log = AlertLog.open(dir, (record) => book.apply(record));
    const at = '2026-12-01T08:00:00.000Z';
    const alert: Alert = {
      id: 'al_race',
      name: 'Race',
      query: query('ferry'),
      webhook: { url: 'http://127.0.0.1:9/hook', secret: 'a-secret-of-16-chars' },
      paused: false,
      feedToken: 'f'.repeat(32),
      createdAt: at,
      updatedAt: at,
    };
    await log.append([{ r: 'alert', alert }]);
    book.apply({ r: 'alert', alert });
    const event = (i: number): AlertEvent => ({
      id: `ev_${i}`,
      type: 'alert.match',
      alertId: alert.id,
      article: { articleId: `a${i % 40}`, title: `A ${i}`, date: null, snippet: `ferry ${i}` },
      seq: i + 1,
      at,
    });
    const entry = (e: AlertEvent) => ({ article: e.article, published: at, updated: `${at}#${e.seq}`, digest: e.id });
    const writes: Promise<unknown>[] = [];
    const durable: string[] = [];
    for (let i = 0; i < 300; i++) {
      // As the matching does: an event applied, then appended.
      const e = event(i);
      const record: AlertRecord = { r: 'event', event: e, entry: entry(e), queued: true };
      book.apply(record);
      writes.push(log.append([record]).then(() => durable.push(e.id)));
      // As a change of the alert or a delivery's outcome does: appended, then applied.
      if (i % 5 === 0) {
        const changed: AlertRecord = { r: 'alert', alert: { ...alert, name: `Race ${i}` } };
        writes.push(log.append([changed]).then(() => book.apply(changed)));
      }
      if (i % 7 === 0 && durable.length > 0) {
        const sent: AlertRecord = { r: 'sent', alertId: alert.id, eventId: durable.shift()!, at };
        writes.push(log.append([sent]).then(() => book.apply(sent)));
      }
      // Two rewrites, the second asked for while the first runs. Each state is taken with an event applied and
      // its append waiting (as the matching may do while the rewrite waits for the file): written twice.
      if (i === 102 || i === 104)
        writes.push(
          log.rewrite(() => {
            const late = event(1000 + i);
            const record: AlertRecord = { r: 'event', event: late, entry: entry(late), queued: true };
            book.apply(record);
            writes.push(log.append([record]).then(() => durable.push(late.id)));
            return book.snapshot();
          }),
        );
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    for (let settled = 0; settled < writes.length; ) {
      const now = writes.length;
      await Promise.all(writes.slice(settled));
      settled = now;
    }
    await log.close();
    // The second rewrite's late event is in its state and appended after it: twice in the file.
    const ids = (await logLines(dir))
      .map((line) => JSON.parse(line) as AlertRecord)
      .flatMap((r) => (r.r === 'event' && r.queued ? [r.event.id] : []));
    expect(ids.length).toBeGreaterThan(new Set(ids).size);
    const replayed = new AlertBook();
    await AlertLog.open(dir, (record) => replayed.apply(record)).close();
    expect(replayed.snapshot()).toEqual(book.snapshot());
    expect(replayed.delivery(alert.id)).toEqual(book.delivery(alert.id));
    expect(book.outboxes.get(alert.id)!.queue.length).toBeGreaterThan(200);
  });
});
