import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ADMIN_KEY, liveApp, type LiveApp } from './helpers/live-app.js';
import { OTHER_STORY, REWRITE, WIRE_STORY } from './helpers/wire-stories.js';

const admin = `Bearer ${ADMIN_KEY}`;
const open: LiveApp[] = [];

afterEach(async () => {
  for (const s of open.splice(0)) {
    await s.close();
    await s.remove();
  }
});

/** A service whose corpus holds the wire's story (an NDJSON export). */
async function start(dir?: string): Promise<LiveApp> {
  // A generous time budget: on a busy machine a search cut short by the default 100 ms would test the budget, not the groups.
  const s = await liveApp({
    files: { 'wire.ndjson': `${JSON.stringify(WIRE_STORY)}\n` },
    searchBudgetMs: 60_000,
    ...(dir ? { dir } : {}),
  });
  open.push(s);
  return s;
}

const put = (s: LiveApp, id: string, body: object) =>
  request(s.app)
    .put(`/articles/${id}`)
    .set('Authorization', admin)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));

type Hit = { articleId: string; duplicates?: { count: number; articleIds: string[] } };
const search = async (s: LiveApp, query: string) =>
  (await request(s.app).get(`/search?${query}`)).body as { hits: Hit[]; totalHits: number; totalArticles?: number };

describe('near-duplicate groups through the service', () => {
  it('a rewritten wire story joins its original group as soon as it is written, and leaves it when taken down', async () => {
    const s = await start();
    expect((await put(s, 'courier/flood-night', REWRITE)).status).toBe(201);
    // Eleven of twelve paragraphs are the wire's: about 0.8 of their 5-word shingles are shared, above the default 0.7.
    const grouped = await search(s, 'q=brcko+flood&duplicates=group');
    expect(grouped.hits).toHaveLength(1);
    expect(grouped.totalHits).toBe(1);
    expect(grouped.totalArticles).toBe(2);
    const [hit] = grouped.hits;
    expect(hit!.duplicates!.count).toBe(1);
    expect([hit!.articleId, ...hit!.duplicates!.articleIds].sort()).toEqual(['courier/flood-night', 'wire/sava-flood']);

    const group = (await request(s.app).get('/articles/courier/flood-night/duplicates')).body;
    // Listed earliest first: the wire's story (12 May) is the group's original.
    expect(group.groupId).toBe('wire/sava-flood');
    expect(group.members.map((m: { articleId: string }) => m.articleId)).toEqual([
      'wire/sava-flood',
      'courier/flood-night',
    ]);
    expect(group.members[0]).toMatchObject({ source: 'Wire', date: '2026-05-12', self: false });
    expect(group.members[0].similarity).toBeGreaterThanOrEqual(0.7);
    expect(group.members[1]).toMatchObject({ similarity: 1, self: true });

    expect((await request(s.app).delete('/articles/courier/flood-night').set('Authorization', admin)).status).toBe(204);
    const after = await search(s, 'q=brcko+flood&duplicates=group');
    expect(after.hits.map((h) => h.articleId)).toEqual(['wire/sava-flood']);
    expect(after.hits[0]!.duplicates).toEqual({ count: 0, articleIds: [] });
  });

  it('keeps a different story on the same subject apart: it shares names and places, not sentences', async () => {
    const s = await start();
    await put(s, 'courier/flood-night', REWRITE);
    await put(s, 'courier/flood-cost', OTHER_STORY);
    const grouped = await search(s, 'q=brcko+sava&duplicates=group');
    // The rewrite and the wire's story are one hit; the story on the cost, which shares no sentence, is another.
    expect(grouped.hits.map((h) => h.articleId)).toContain('courier/flood-cost');
    expect(grouped.totalHits).toBe(2);
    const cost = (await request(s.app).get('/articles/courier/flood-cost/duplicates')).body;
    expect(cost).toMatchObject({ groupId: null, count: 0, members: [] });
  });

  it('shows every member with duplicates=show, the API default, and answers as before (no duplicates field)', async () => {
    const s = await start();
    await put(s, 'courier/flood-night', REWRITE);
    for (const query of ['q=brcko+flood', 'q=brcko+flood&duplicates=show']) {
      const shown = await search(s, query);
      expect(shown.hits).toHaveLength(2);
      expect(shown.totalHits).toBe(2);
      expect(shown.totalArticles).toBeUndefined();
      expect(shown.hits[0]!.duplicates).toBeUndefined();
    }
  });

  it('lets prefer choose the original (earliest) or the latest member to stand for the group', async () => {
    const s = await start();
    await put(s, 'courier/flood-night', REWRITE);
    const first = async (prefer: string) =>
      (await search(s, `q=brcko+flood&duplicates=group&prefer=${prefer}`)).hits[0]!.articleId;
    expect(await first('original')).toBe('wire/sava-flood');
    expect(await first('latest')).toBe('courier/flood-night');
  });

  it('ranks a group where its best-ranked member is: a query only the rewrite matches shows the rewrite', async () => {
    const s = await start();
    await put(s, 'courier/flood-night', REWRITE);
    // "night of rescues" is in the rewrite's headline alone.
    const hits = (await search(s, 'q=%22night+of+rescues%22&duplicates=group')).hits;
    expect(hits.map((h) => h.articleId)).toEqual(['courier/flood-night']);
    expect(hits[0]!.duplicates!.articleIds).toEqual(['wire/sava-flood']);
  });

  it('rejects a bad duplicates or prefer value with a 400 naming the parameter', async () => {
    const s = await start();
    for (const [name, query, code] of [
      ['duplicates', 'duplicates=collapse', 'invalid_search_duplicates'],
      ['prefer', 'prefer=oldest', 'invalid_search_prefer'],
    ] as const) {
      const res = await request(s.app).get(`/search?q=flood&${query}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(code);
      expect(res.body.message).toContain(name);
    }
  });

  it('gives the group in the export, and keeps the groups across a restart (signatures are stored beside the segments)', async () => {
    const s = await start();
    await put(s, 'courier/flood-night', REWRITE);
    const exported = (await request(s.app).get('/search/export?q=brcko&format=ndjson')).text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(exported.map((r: { duplicateGroup: string }) => r.duplicateGroup)).toEqual([
      'wire/sava-flood',
      'wire/sava-flood',
    ]);
    await s.close();
    open.splice(open.indexOf(s), 1);
    const again = await start(s.dir);
    const hits = (await search(again, 'q=brcko+flood&duplicates=group')).hits;
    expect(hits).toHaveLength(1);
    expect(hits[0]!.duplicates!.count).toBe(1);
    const unknown = await request(again.app).get('/articles/no-such-id/duplicates');
    expect(unknown.status).toBe(404);
  });
});
