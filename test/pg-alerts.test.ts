import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { SharedAlertService } from '../src/alerts/shared-alert-service.js';
import type { Deliver } from '../src/alerts/webhook-delivery.js';
import { parseWebhookAllowList } from '../src/alerts/webhook-target.js';
import { PgAlerts } from '../src/store/pg-alerts.js';
import { findPostgresBin, startTempPostgres, type TempPostgres } from '../scripts/cluster/temp-postgres.js';
import { apiArticle } from './helpers/api-article.js';

/**
 * The saved searches of a PostgreSQL article store, shared by several nodes
 * (here several services in one process, each with its own connections),
 * against a real throwaway PostgreSQL (skipped, saying so, when its binaries
 * are missing).
 */

const pgBin = findPostgresBin();
if (!pgBin)
  console.warn('PostgreSQL alert tests skipped: PostgreSQL not found (Debian package `postgresql`, or PG_BIN)');

const article = apiArticle;
const ALLOW = parseWebhookAllowList('127.0.0.1');
const query = (q: string) => ({ q, from: null, to: null, source: [], section: [], author: [], tag: [] });

let postgres: TempPostgres;
let databases = 0;

/** A database of its own for one test, on the throwaway server: no test starts with another's alerts or progress. */
async function freshDatabase(): Promise<string> {
  const name = `alerts_${++databases}`;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgres.url);
  url.pathname = `/${name}`;
  return url.toString();
}

async function until(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!pgBin)('alerts shared through the PostgreSQL store', () => {
  beforeAll(async () => {
    postgres = await startTempPostgres();
  }, 60_000);
  afterAll(() => postgres?.destroy());

  it('makes one event of a change matched by three nodes, delivers it once, and tells every node its feed', async () => {
    const databaseUrl = await freshDatabase();
    const sent: { url: string; body: string }[] = [];
    const deliver: Deliver = async (url, body) => {
      sent.push({ url, body });
      return { ok: true, status: 204 };
    };
    const nodes = await Promise.all(
      [1, 2, 3].map(() =>
        SharedAlertService.open({
          databaseUrl,
          seqOf: () => undefined,
          maxAlerts: 10,
          allow: ALLOW,
          deliver,
        }),
      ),
    );
    try {
      const alert = await nodes[0]!.create({
        name: 'Ferries',
        query: query('ferry mwanza'),
        webhook: { url: 'http://127.0.0.1:9/hook', secret: 'a-secret-of-16-chars' },
      });
      const change = {
        published: [article('ferry-1', 'A ferry capsized near Mwanza.'), article('other', 'Maize prices rose.')],
        withdrawn: [],
        seq: 7,
        seqs: new Map([
          ['ferry-1', 6],
          ['other', 7],
        ]),
      };
      // Every node applies the same change (the second and third learn of the alert from its change counter).
      for (const node of nodes) node.articlesChanged(change);
      await Promise.all(nodes.map((n) => n.flushed()));
      await until(() => sent.length >= 1);
      await new Promise((r) => setTimeout(r, 700));
      expect(sent).toHaveLength(1);
      expect(JSON.parse(sent[0]!.body)).toMatchObject({
        type: 'alert.match',
        alertId: alert.id,
        article: { articleId: 'ferry-1' },
      });
      expect(nodes.reduce((n, node) => n + node.stats().events['alert.match'], 0)).toBe(1);
      for (const node of nodes)
        expect((await node.entries(alert.id)).map((e) => e.article.articleId)).toEqual(['ferry-1']);
      // A takedown applied by every node: one retraction, and the feed is empty everywhere.
      for (const node of nodes)
        node.articlesChanged({ published: [], withdrawn: ['ferry-1'], seq: 8, seqs: new Map([['ferry-1', 8]]) });
      await Promise.all(nodes.map((n) => n.flushed()));
      await until(() => sent.length >= 2);
      await new Promise((r) => setTimeout(r, 700));
      expect(sent.map((s) => (JSON.parse(s.body) as { type: string }).type)).toEqual(['alert.match', 'alert.retract']);
      expect(await nodes[2]!.entries(alert.id)).toEqual([]);
      expect(await nodes[1]!.deliveryOf(alert.id)).toMatchObject({ pending: 0, failures: 0, abandoned: 0 });
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  }, 60_000);

  // It used to hang about two runs in three after the test above: `close` waited forever for a delivery loop whose
  // claim was in flight when `stop` woke the loops (see test/shared-delivery.test.ts).
  it('matches at a start the changes written while every node was down, without repeating earlier events', async () => {
    const databaseUrl = await freshDatabase();
    const sent: string[] = [];
    const deliver: Deliver = async (_url, body) => {
      sent.push((JSON.parse(body) as { article: { articleId: string } }).article.articleId);
      return { ok: true, status: 204 };
    };
    const open = () =>
      SharedAlertService.open({
        databaseUrl,
        seqOf: () => undefined,
        maxAlerts: 10,
        allow: ALLOW,
        deliver,
      });
    const articles = new Map([
      ['lake-1', article('lake-1', 'Lake Victoria levels rise near Kisumu.')],
      ['lake-2', article('lake-2', 'Kisumu fishermen on Lake Victoria.')],
    ]);
    const seqOf = (id: string) => (id === 'lake-1' ? 20 : 30);
    const journal = (lastSeq: number) => ({
      lastSeq,
      changedSince: (seq: number) => [...articles.keys()].filter((id) => seqOf(id) > seq && seqOf(id) <= lastSeq),
      seqOf,
    });
    const first = await open();
    try {
      await first.create({
        name: 'Kisumu',
        query: query('kisumu victoria'),
        webhook: { url: 'http://127.0.0.1:9/hook', secret: 'a-secret-of-16-chars' },
      });
      // Changes up to 20 were matched (lake-1's among them); 30 was written while every node was down.
      await first.catchUp(journal(20), (id) => articles.get(id) ?? null);
      first.articlesChanged({
        published: [articles.get('lake-1')!],
        withdrawn: [],
        seq: 20,
        seqs: new Map([['lake-1', 20]]),
      });
      await first.flushed();
      await until(() => sent.length === 1);
    } finally {
      await first.close();
    }
    const second = await open();
    try {
      await second.catchUp(journal(30), (id) => articles.get(id) ?? null);
      await second.flushed();
      await until(() => sent.length === 2);
      await new Promise((r) => setTimeout(r, 700));
      expect(sent).toEqual(['lake-1', 'lake-2']);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('fails with a clear error, instead of waiting forever, when another session holds a lock it needs', async () => {
    const databaseUrl = await freshDatabase();
    const store = new PgAlerts(databaseUrl, 2, { lockMs: 300 });
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await store.prepare();
      await store.matched(1);
      // A session that took the alerts' lock and the progress row, and never ends its transaction.
      await admin.query('BEGIN');
      await admin.query('SELECT pg_advisory_xact_lock(7215024)');
      await admin.query('SELECT seq FROM alert_progress FOR UPDATE');
      const at = new Date().toISOString();
      const alert = {
        id: 'al_locked',
        name: 'Locked',
        query: query('ferry'),
        webhook: null,
        paused: false,
        feedToken: 'f'.repeat(32),
        createdAt: at,
        updatedAt: at,
      };
      const started = Date.now();
      await expect(store.create(alert, 10)).rejects.toThrow(/lock was held by another session for more than 0.3 s/);
      await expect(store.matched(2)).rejects.toThrow(/lock was held by another session for more than 0.3 s/);
      expect(Date.now() - started).toBeLessThan(5_000);
      await admin.query('ROLLBACK');
      // Once the session let go, the same store works again.
      expect(await store.create(alert, 10)).toBe(true);
      await store.matched(2);
      expect(await store.matchedUpTo()).toBe(2);
    } finally {
      await admin.end();
      await store.close();
    }
  }, 60_000);

  it('prunes the done events no feed needs after the retention period, and refuses their changes from then on', async () => {
    const databaseUrl = await freshDatabase();
    const store = new PgAlerts(databaseUrl, 2);
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await store.prepare();
      const at = new Date().toISOString();
      const alertOf = (id: string, webhook: boolean) => ({
        id,
        name: id,
        query: query('ferry'),
        webhook: webhook ? { url: 'http://127.0.0.1:9/hook', secret: 'a-secret-of-16-chars' } : null,
        paused: false,
        feedToken: 'f'.repeat(32),
        createdAt: at,
        updatedAt: at,
      });
      expect(await store.create(alertOf('al_hook', true), 10)).toBe(true);
      expect(await store.create(alertOf('al_many', false), 10)).toBe(true);
      const updatedAt = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
      const proposal = (alertId: string, articleId: string, changeSeq: number, kept: boolean) => {
        const article = { articleId, title: articleId, date: null, snippet: kept ? 'a ferry' : '' };
        return {
          alertId,
          articleId,
          changeSeq,
          event: { id: `ev_${alertId}_${changeSeq}`, type: 'alert.match' as const, alertId, article, at },
          entry: kept ? { article, published: at, updated: updatedAt(changeSeq), digest: `d${changeSeq}` } : null,
        };
      };
      // al_hook: a matched then corrected, b matched then taken down, c matched (its delivery waits).
      await store.propose([
        proposal('al_hook', 'a', 1, true),
        proposal('al_hook', 'a', 2, true),
        proposal('al_hook', 'b', 3, true),
        proposal('al_hook', 'b', 4, false),
        proposal('al_hook', 'c', 5, true),
      ]);
      for (let i = 0; i < 4; i++) expect(await store.deliverNext(async () => ({ state: 'sent' }))).toBe(true);
      // al_many (no webhook): 102 articles, two more than a feed shows.
      await store.propose(Array.from({ length: 102 }, (_, i) => proposal('al_many', `m${i}`, 6 + i, true)));
      await store.matched(107);
      const lastSuccess = (await store.delivery('al_hook')).lastSuccess;
      expect(lastSuccess).not.toBeNull();
      const DAY = 24 * 3600_000;
      // Young events are kept.
      expect(await store.prune(7 * DAY)).toBe(0);
      await admin.query(`UPDATE alert_events SET created_at = now() - interval '8 days'`);
      // Gone: a's first event and b's two (b is out of the feed), and the two oldest of al_many's feed.
      expect(await store.prune(7 * DAY)).toBe(5);
      const left = await admin.query<{ alert_id: string; article_id: string; change_seq: string }>(
        `SELECT alert_id, article_id, change_seq FROM alert_events WHERE alert_id = 'al_hook' ORDER BY change_seq`,
      );
      expect(left.rows.map((r) => `${r.article_id}@${r.change_seq}`)).toEqual(['a@2', 'c@5']);
      expect((await store.feed('al_hook')).map((e) => e.article.articleId)).toEqual(['c', 'a']);
      expect(await store.delivery('al_hook')).toMatchObject({ pending: 1, lastSuccess });
      const many = await store.feed('al_many');
      expect(many).toHaveLength(100);
      expect(many.map((e) => e.article.articleId)).not.toContain('m0');
      // A node applying those changes late makes nothing again; a new change makes its event.
      expect(await store.propose([proposal('al_hook', 'b', 3, true), proposal('al_many', 'm0', 6, true)])).toEqual([]);
      expect(await store.propose([proposal('al_hook', 'd', 108, true)])).toEqual(['alert.match']);
      expect(await store.prune(7 * DAY)).toBe(0);
    } finally {
      await admin.end();
      await store.close();
    }
  }, 60_000);

  it('lets another node deliver an event whose deliverer died mid-request (its lock goes with its connection)', async () => {
    const databaseUrl = await freshDatabase();
    const first = new PgAlerts(databaseUrl, 2);
    const second = new PgAlerts(databaseUrl, 2);
    const admin = new pg.Client({ connectionString: databaseUrl });
    let giveUp: (error: Error) => void = () => {};
    await admin.connect();
    try {
      await first.prepare();
      const at = new Date().toISOString();
      const alert = {
        id: 'al_dies',
        name: 'Dies',
        query: query('ferry'),
        webhook: { url: 'http://127.0.0.1:9/hook', secret: 'a-secret-of-16-chars' },
        paused: false,
        feedToken: 'f'.repeat(32),
        createdAt: at,
        updatedAt: at,
      };
      expect(await first.create(alert, 10)).toBe(true);
      const event = {
        id: 'ev_dies',
        type: 'alert.match' as const,
        alertId: alert.id,
        article: { articleId: 'x', title: 'X', date: null, snippet: 'x' },
        at,
      };
      expect(await first.propose([{ alertId: alert.id, articleId: 'x', changeSeq: 1, event, entry: null }])).toEqual([
        'alert.match',
      ]);
      let claimed!: () => void;
      const claimedNow = new Promise<void>((resolve) => (claimed = resolve));
      // The first node claims the event and hangs in its request...
      const dying = first.deliverNext(() => {
        claimed();
        return new Promise((_resolve, reject) => (giveUp = reject));
      });
      dying.catch(() => {});
      await claimedNow;
      // ...while it holds the row, the second finds nothing due...
      expect(await second.deliverNext(async () => ({ state: 'sent' }))).toBe(false);
      // ...until the first one's connection dies (a kill -9 of its process closes it).
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction' AND pid <> pg_backend_pid()`,
      );
      const bodies: string[] = [];
      await until(async () => second.deliverNext(async (due) => (bodies.push(due.body), { state: 'sent' })));
      expect(bodies.map((b) => JSON.parse(b) as { id: string }).map((e) => e.id)).toEqual(['ev_dies']);
      expect(await second.delivery(alert.id)).toMatchObject({ pending: 0 });
    } finally {
      giveUp(new Error('the request never ended'));
      await admin.end();
      await first.close();
      await second.close();
    }
  }, 60_000);
});
