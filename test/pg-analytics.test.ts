import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchAnalytics } from '../src/analytics/search-analytics.js';
import { PgAnalytics } from '../src/store/pg-analytics.js';
import { PgStore } from '../src/store/pg-store.js';
import { findPostgresBin, startTempPostgres, type TempPostgres } from '../scripts/cluster/temp-postgres.js';

/**
 * Search analytics in the article store: three nodes adding to one PostgreSQL, read back summed
 * from any of them, and kept when the nodes restart. Against a real throwaway PostgreSQL
 * (skipped, saying so, when its binaries are missing).
 */
const bin = findPostgresBin();
if (!bin)
  console.warn(
    'pg-analytics tests skipped: PostgreSQL binaries not found (install the Debian package `postgresql`, or set PG_BIN)',
  );

describe.skipIf(!bin)('search analytics in the article store', () => {
  let pg: TempPostgres;
  beforeAll(async () => {
    pg = await startTempPostgres();
  }, 60_000);
  afterAll(() => pg?.destroy());

  it('sums the counts of three nodes, and keeps them when the nodes restart', async () => {
    const open = () => {
      const stores = [0, 1, 2].map(() => new PgStore(pg.url));
      return { stores, nodes: stores.map((store) => new SearchAnalytics(new PgAnalytics(store))) };
    };
    const first = open();
    first.nodes.forEach((node, i) => {
      for (let k = 0; k < 100 * (i + 1); k++) node.recordSearch(k % 2 ? 'Flood' : 'flood  warning', 5);
      node.recordSearch('zebra crossing', 0);
      for (let k = 0; k < 10; k++) node.recordClick('flood', (k % 2) + 1);
    });
    for (const node of first.nodes) await node.flush();
    const expected = {
      searches: 603,
      noHitSearches: 3,
      clicks: 30,
      queries: [
        { query: 'flood', count: 300, clicks: 30 },
        { query: 'flood warning', count: 300, clicks: 0 },
        { query: 'zebra crossing', count: 3, clicks: 0 },
      ],
    };
    expect(await first.nodes[1]!.queries('top', null, null, 10)).toMatchObject(expected);
    expect((await first.nodes[2]!.queries('no-hits', null, null, 10)).queries).toEqual([
      { query: 'zebra crossing', count: 3, clicks: 0 },
    ]);
    expect((await first.nodes[0]!.clicks(null, null)).positions).toEqual([
      { position: 1, count: 15 },
      { position: 2, count: 15 },
    ]);
    for (const node of first.nodes) await node.close();
    for (const store of first.stores) await store.close();

    const second = open();
    expect(await second.nodes[0]!.queries('top', null, null, 10)).toMatchObject(expected);
    for (const node of second.nodes) await node.close();
    for (const store of second.stores) await store.close();
  }, 60_000);
});
