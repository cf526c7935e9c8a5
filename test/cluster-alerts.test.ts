import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { findNginx } from '../scripts/cluster/nginx-config.js';
import { startCluster, type Cluster } from '../scripts/cluster/start-cluster.js';
import { findPostgresBin } from '../scripts/cluster/temp-postgres.js';

/**
 * Saved searches on three nodes following one PostgreSQL article store behind
 * nginx, all real processes on 127.0.0.1: every node matches the changes it
 * applies, the store's outbox keeps one event per (alert, article, change),
 * and one node delivers it. Skipped, saying why, without PostgreSQL or nginx.
 */

const nginxBin = findNginx();
const pgBin = findPostgresBin();
const missing = [
  pgBin ? null : 'PostgreSQL (Debian package `postgresql`, or PG_BIN)',
  nginxBin ? null : 'nginx (Debian package `nginx`, or NGINX_BIN)',
].filter(Boolean);
if (missing.length) console.warn(`cluster alert tests skipped: ${missing.join(' and ')} not found`);

const SECRET = 'cluster-receiver-secret-0123';
let cluster: Cluster;

interface Received {
  id: string;
  type: string;
  articleId: string;
}

/** A webhook receiver on 127.0.0.1 that checks each signature on the bytes received and records the events. */
class Receiver {
  readonly got: Received[] = [];
  badSignatures = 0;
  private server: http.Server | null = null;
  port = 0;

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const expected = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
        if (req.headers['x-signature'] !== expected) {
          this.badSignatures++;
          return res.writeHead(401).end();
        }
        const event = JSON.parse(body.toString('utf8')) as { id: string; type: string; article: { articleId: string } };
        this.got.push({ id: event.id, type: event.type, articleId: event.article.articleId });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  of(articleId: string): Received[] {
    return this.got.filter((e) => e.articleId === articleId);
  }
}

const receiver = new Receiver();

const admin = () => ({ Authorization: `Bearer ${cluster.adminKey}`, 'Content-Type': 'application/json' });

const put = (id: string, article: object) =>
  fetch(`${cluster.nginxUrl}/articles/${encodeURIComponent(id)}`, {
    method: 'PUT',
    headers: admin(),
    body: JSON.stringify(article),
  });

/** Polls until `check` holds; returns the milliseconds it took (throws past `ms`). */
async function within(ms: number, check: () => Promise<boolean> | boolean): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves once every node shows (or no longer shows) `id` in a search for `q`: each has applied the change, and matched it. */
async function everyNodeApplied(q: string, id: string, shown: boolean): Promise<void> {
  await Promise.all(
    cluster.nodes.map((node) =>
      within(5_000, async () => {
        const body = (await (await fetch(`${node.url}/search?q=${encodeURIComponent(q)}`)).json()) as {
          hits: { articleId: string }[];
        };
        return body.hits.some((h) => h.articleId === id) === shown;
      }),
    ),
  );
  // Each node proposes its events right after applying the change; give the slowest a moment (two polls of the outbox).
  await new Promise((r) => setTimeout(r, 1_200));
}

let alertId = '';

describe.skipIf(missing.length > 0)('alerts on three nodes behind nginx, sharing one PostgreSQL store', () => {
  beforeAll(async () => {
    await receiver.start();
    cluster = await startCluster({
      nodes: 3,
      nginxBin: nginxBin!,
      env: { ALERT_WEBHOOK_ALLOW: '127.0.0.1', ALERT_RETRY_MAX_S: '1' },
    });
    const res = await fetch(`${cluster.nginxUrl}/alerts`, {
      method: 'POST',
      headers: admin(),
      body: JSON.stringify({
        name: 'Lake ferries',
        q: 'ferry mwanza',
        webhook: { url: `http://127.0.0.1:${receiver.port}/hook`, secret: SECRET },
      }),
    });
    expect(res.status).toBe(201);
    alertId = ((await res.json()) as { id: string }).id;
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    await receiver.stop();
  }, 60_000);

  it('shows an alert made through nginx on every node', async () => {
    for (const node of cluster.nodes) {
      const res = await fetch(`${node.url}/alerts/${alertId}`, { headers: admin() });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id: alertId, q: 'ferry mwanza' });
    }
  });

  it('delivers a matching write to the webhook exactly once within 1 s, signed, and nothing for one that does not match', async () => {
    expect((await put('other-1', { title: 'Market prices', body: 'Maize prices rose in Nairobi.' })).status).toBe(201);
    expect(
      (await put('ferry-1', { title: 'Ferry capsizes', body: 'A ferry capsized near the harbour of Mwanza.' })).status,
    ).toBe(201);
    const took = await within(1_000, () => receiver.of('ferry-1').length > 0);
    expect(took).toBeLessThanOrEqual(1_000);
    await everyNodeApplied('mwanza', 'ferry-1', true);
    expect(receiver.of('ferry-1').map((e) => e.type)).toEqual(['alert.match']);
    expect(receiver.of('other-1')).toEqual([]);
    expect(receiver.badSignatures).toBe(0);
    // Each node matched the write itself; the outbox kept one proposal.
    const metrics = await Promise.all(
      cluster.nodes.map(async (node) => (await fetch(`${node.url}/metrics`, { headers: admin() })).text()),
    );
    const value = (text: string, name: string) =>
      Number(new RegExp(`^newsroom_search_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    for (const text of metrics) expect(value(text, 'alert_matched_articles_total')).toBeGreaterThanOrEqual(2);
    expect(metrics.reduce((sum, text) => sum + value(text, 'alert_events_total\\{type="match"\\}'), 0)).toBe(1);
    // Every node reads the same feed from the store.
    for (const node of cluster.nodes) {
      const feed = await (await fetch(`${node.url}/alerts/${alertId}/feed`, { headers: admin() })).text();
      expect(feed).toContain('<title>Ferry capsizes</title>');
    }
  });

  it("retracts a taken-down article once, and from every node's feed", async () => {
    expect((await fetch(`${cluster.nginxUrl}/articles/ferry-1`, { method: 'DELETE', headers: admin() })).status).toBe(
      204,
    );
    await within(1_000, () => receiver.of('ferry-1').length > 1);
    await everyNodeApplied('mwanza', 'ferry-1', false);
    expect(receiver.of('ferry-1').map((e) => e.type)).toEqual(['alert.match', 'alert.retract']);
    for (const node of cluster.nodes) {
      const feed = await (await fetch(`${node.url}/alerts/${alertId}/feed`, { headers: admin() })).text();
      expect(feed).not.toContain('<entry>');
    }
  });

  it('gives a receiver that was down every event once it is back, each once and in order', async () => {
    await receiver.stop();
    const before = receiver.got.length;
    for (const id of ['ferry-2', 'ferry-3'])
      expect((await put(id, { title: `Ferry ${id}`, body: `Another ferry left Mwanza (${id}).` })).status).toBe(201);
    await everyNodeApplied('mwanza', 'ferry-3', true);
    const state = (await (await fetch(`${cluster.nodes[2]!.url}/alerts/${alertId}`, { headers: admin() })).json()) as {
      delivery: { pending: number; failures: number };
    };
    expect(state.delivery.pending).toBe(2);
    expect(state.delivery.failures).toBeGreaterThan(0);
    await receiver.start();
    await within(10_000, () => receiver.got.length - before >= 2);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(receiver.got.slice(before).map((e) => `${e.type} ${e.articleId}`)).toEqual([
      'alert.match ferry-2',
      'alert.match ferry-3',
    ]);
    expect(new Set(receiver.got.map((e) => e.id)).size).toBe(receiver.got.length);
    const after = (await (await fetch(`${cluster.nginxUrl}/alerts/${alertId}`, { headers: admin() })).json()) as {
      delivery: { pending: number; lastSuccess: string | null };
    };
    expect(after.delivery).toMatchObject({ pending: 0 });
    expect(after.delivery.lastSuccess).not.toBeNull();
  });
});
