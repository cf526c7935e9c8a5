import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runImportCommand } from '../src/cli/import-command.js';
import { parseArgs } from '../src/cli/parse-args.js';
import { findNginx } from '../scripts/cluster/nginx-config.js';
import { startCluster, type Cluster, type ClusterNode } from '../scripts/cluster/start-cluster.js';
import { findPostgresBin } from '../scripts/cluster/temp-postgres.js';
import { ROOT } from './helpers/service-process.js';

/**
 * Search nodes following one PostgreSQL article store behind nginx, all real
 * processes on 127.0.0.1: three nodes behind nginx, and a fourth that starts
 * later, empty. Skipped, saying why, without PostgreSQL or nginx.
 */

const nginxBin = findNginx();
const pgBin = findPostgresBin();
const missing = [
  pgBin ? null : 'PostgreSQL (Debian package `postgresql`, or PG_BIN)',
  nginxBin ? null : 'nginx (Debian package `nginx`, or NGINX_BIN)',
].filter(Boolean);
if (missing.length) console.warn(`cluster tests skipped: ${missing.join(' and ')} not found`);

let cluster: Cluster;
const running = () => cluster.nodes.slice(0, 3);

const write = (base: string, method: 'PUT' | 'DELETE', id: string, body?: object) =>
  fetch(`${base}/articles/${encodeURIComponent(id)}`, {
    method,
    headers: { Authorization: `Bearer ${cluster.adminKey}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

async function search(
  base: string,
  q: string,
): Promise<{ totalHits: number; hits: { articleId: string }[] } & Record<string, unknown>> {
  const res = await fetch(`${base}/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as never;
}

async function hitIds(node: ClusterNode, q: string): Promise<string[]> {
  return (await search(node.url, q)).hits.map((h) => h.articleId);
}

/** Polls until `check` holds; returns the milliseconds it took (throws past `ms`). */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function storeStatus(
  node: ClusterNode,
): Promise<{ applied: number; store: number; lagSeconds: number | null; connected: boolean }> {
  const body = (await (await fetch(`${node.url}/health`)).json()) as { store: never };
  return body.store;
}

/**
 * GETs through nginx from `workers` loops until `stop()`: counts answers that
 * are not 200 (and network errors). Bounded: loopback only, one request at a time per loop.
 */
function readLoad(
  url: string,
  workers = 3,
): { stop: () => Promise<{ ok: number; failed: number; failures: string[] }> } {
  let stopping = false;
  const result = { ok: 0, failed: 0, failures: [] as string[] };
  const queries = ['haiti', 'soldiers training', 'police', 'ferry mwanza', 'market'];
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let i = w; !stopping; i++) {
      try {
        const res = await fetch(`${url}/search?q=${encodeURIComponent(queries[i % queries.length]!)}`);
        await res.arrayBuffer();
        if (res.status === 200) result.ok++;
        else {
          result.failed++;
          result.failures.push(String(res.status));
        }
      } catch (error) {
        result.failed++;
        result.failures.push((error as Error).message);
      }
    }
  });
  return {
    stop: async () => {
      stopping = true;
      await Promise.all(loops);
      return result;
    },
  };
}

describe.skipIf(missing.length > 0)('search nodes following one PostgreSQL store, behind nginx', () => {
  beforeAll(async () => {
    cluster = await startCluster({ nodes: 4, startNodes: 0, behindNginx: 3, nginxBin: nginxBin! });
    const settings = parseArgs(['import', '--corpus', path.join(ROOT, 'test', 'fixtures', 'corpus')], {
      DATABASE_URL: cluster.postgres.url,
    });
    const quiet = { out: () => {}, err: () => {}, isTTY: false };
    expect(await runImportCommand(settings, quiet)).toBe(0);
    await Promise.all(running().map((n) => n.start()));
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('shows a write made on one node on all three within 1 s', async () => {
    const res = await write(cluster.nodes[0]!.url, 'PUT', 'ferry-1', {
      title: 'Ferry capsizes',
      body: 'A ferry capsized near the harbour of Mwanza.',
    });
    expect(res.status).toBe(201);
    // The writing node shows it at once; the others within a second (NOTIFY, or the 1 s poll at worst).
    expect(await hitIds(cluster.nodes[0]!, 'mwanza')).toEqual(['ferry-1']);
    const took = await Promise.all(
      running().map((n) => within(1_000, async () => (await hitIds(n, 'mwanza')).includes('ferry-1'))),
    );
    expect(Math.max(...took)).toBeLessThanOrEqual(1_000);
  });

  it('takes an article down everywhere, whichever node took the takedown', async () => {
    expect((await write(cluster.nodes[1]!.url, 'DELETE', 'ferry-1')).status).toBe(204);
    await Promise.all(running().map((n) => within(1_000, async () => (await hitIds(n, 'mwanza')).length === 0)));
    for (const node of running()) expect((await fetch(`${node.url}/articles/ferry-1`)).status).toBe(404);
  });

  it('takes a bulk import through nginx (POST, never retried once sent) and shows it on every node', async () => {
    const lines = ['bulk-1', 'bulk-2', 'bulk-3']
      .map((id) => JSON.stringify({ id, title: `Bulk ${id}`, body: `Serengeti migration count, part ${id}.` }))
      .join('\n');
    const res = await fetch(`${cluster.nginxUrl}/articles`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${cluster.adminKey}`, 'Content-Type': 'application/x-ndjson' },
      body: lines,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ written: 3, failed: 0 });
    await Promise.all(running().map((n) => within(1_000, async () => (await hitIds(n, 'serengeti')).length === 3)));
  });

  it('publishes an embargoed article on every node when its time passes, with no write', async () => {
    // 3 s ahead: room for a slow machine to check all three nodes before it lifts.
    const publishAt = Date.now() + 3_000;
    expect(
      (
        await write(cluster.nodes[0]!.url, 'PUT', 'embargoed-1', {
          title: 'Embargoed',
          body: 'Ngorongoro crater report.',
          publishAt: new Date(publishAt).toISOString(),
        })
      ).status,
    ).toBe(201);
    // Every node has the change (same number) but shows nothing of it yet.
    const seq = (await storeStatus(cluster.nodes[0]!)).applied;
    await Promise.all(running().map((n) => within(2_000, async () => (await storeStatus(n)).applied >= seq)));
    const early = await Promise.all(running().map((n) => hitIds(n, 'ngorongoro')));
    if (Date.now() < publishAt) expect(early).toEqual([[], [], []]);
    await Promise.all(
      running().map((n) => within(8_000, async () => (await hitIds(n, 'ngorongoro')).includes('embargoed-1'))),
    );
  });

  it('answers the same hits, scores and snippets on every node at the same change number', async () => {
    await write(cluster.nodes[2]!.url, 'PUT', 'ferry-2', {
      title: 'Ferry service resumes',
      body: 'The ferry across Lake Victoria runs again after the police inquiry.',
    });
    await within(5_000, async () => {
      const seqs = await Promise.all(running().map((n) => storeStatus(n).then((s) => s.applied)));
      return seqs.every((s) => s === seqs[0]);
    });
    for (const q of ['police', 'ferry', 'market prices', '"the police"', 'haiti soldiers', 'goverment']) {
      const answers = await Promise.all(running().map((n) => search(n.url, q)));
      const comparable = answers.map(({ processingTimeMs: _t, ...rest }) => rest);
      expect(comparable[1], q).toEqual(comparable[0]);
      expect(comparable[2], q).toEqual(comparable[0]);
    }
  });

  it('loses no GET through nginx when a node is killed with kill -9 under load, and the node catches up when restarted', async () => {
    const victim = cluster.nodes[1]!;
    const load = readLoad(cluster.nginxUrl);
    await new Promise((r) => setTimeout(r, 500));
    await victim.kill('SIGKILL');
    // A write while it is down: it must find it when it comes back.
    const written = await write(cluster.nginxUrl, 'PUT', 'while-down', {
      title: 'Written while a node was down',
      body: 'Zanzibar clove harvest report.',
    });
    expect(written.status, `${await written.text()}\n${cluster.nginxErrors().slice(0, 3000)}`).toBe(201);
    await new Promise((r) => setTimeout(r, 500));
    await victim.start();
    await new Promise((r) => setTimeout(r, 500));
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(20);
    await within(2_000, async () => (await hitIds(victim, 'zanzibar')).includes('while-down'));
  }, 60_000);

  it('fails no GET through nginx during a rolling restart of the three nodes under load', async () => {
    const load = readLoad(cluster.nginxUrl);
    for (const node of running()) {
      await node.kill('SIGTERM');
      await node.start();
      // nginx takes a node back after fail_timeout (3 s) at most; the next one then stops.
      await new Promise((r) => setTimeout(r, 300));
    }
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(20);
  }, 90_000);

  it('lets a node started empty join and converge', async () => {
    const fresh = cluster.nodes[3]!;
    await fresh.start();
    const head = (await storeStatus(cluster.nodes[0]!)).store;
    const status = await storeStatus(fresh);
    expect(status.applied).toBeGreaterThanOrEqual(head);
    expect(status.connected).toBe(true);
    // Its index was built in one go; node 1 applied the same changes one by one: the answers are the same.
    for (const q of ['police', 'ferry', 'serengeti', 'zanzibar clove']) {
      const [a, b] = await Promise.all([search(cluster.nodes[0]!.url, q), search(fresh.url, q)]);
      expect(a.totalHits, q).toBeGreaterThan(0);
      const { processingTimeMs: _a, ...left } = a;
      const { processingTimeMs: _b, ...right } = b;
      expect(right, q).toEqual(left);
    }
  }, 60_000);

  it('goes on reading while PostgreSQL restarts, refuses writes with a clear 503, and takes them again afterwards', async () => {
    cluster.postgres.stop('fast');
    try {
      const load = readLoad(cluster.nginxUrl, 2);
      const refused = await write(cluster.nginxUrl, 'PUT', 'during-outage', {
        title: 'Outage',
        body: 'Written while PostgreSQL was down.',
      });
      expect(refused.status, cluster.nginxErrors().slice(-3000)).toBe(503);
      const body = (await refused.json()) as { code: string; message: string };
      expect(body.code).toBe('store_unavailable');
      expect(body.message).toMatch(/PostgreSQL/);
      await new Promise((r) => setTimeout(r, 1_000));
      const result = await load.stop();
      expect(result.failures).toEqual([]);
      expect((await storeStatus(cluster.nodes[0]!)).connected).toBe(false);
    } finally {
      cluster.postgres.start();
    }
    let status = 0;
    await within(20_000, async () => {
      status = (
        await write(cluster.nginxUrl, 'PUT', 'after-outage', {
          title: 'After the outage',
          body: 'Kilimanjaro glacier survey published.',
        })
      ).status;
      return status === 201 || status === 200;
    });
    await Promise.all(
      running().map((n) => within(5_000, async () => (await hitIds(n, 'kilimanjaro')).includes('after-outage'))),
    );
    // Nothing acknowledged before the restart is lost.
    for (const node of running()) expect(await hitIds(node, 'zanzibar')).toEqual(['while-down']);
  }, 60_000);
});
