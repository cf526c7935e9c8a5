import { afterEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { ADMIN_KEY, liveApp, type LiveApp } from './helpers/live-app.js';

const admin = `Bearer ${ADMIN_KEY}`;
const open: LiveApp[] = [];

afterEach(async () => {
  for (const s of open.splice(0)) {
    await s.close();
    await s.remove();
  }
});

async function start(options: Parameters<typeof liveApp>[0] = {}): Promise<LiveApp> {
  const s = await liveApp({ searchBudgetMs: 60_000, ...options });
  open.push(s);
  return s;
}

const put = (s: LiveApp, id: string, body: object) =>
  request(s.app)
    .put(`/articles/${id}`)
    .set('Authorization', admin)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));

const FIRST = {
  title: 'Council approves new ferry terminal',
  date: '2026-06-01',
  body: [
    'The city council approved a new ferry terminal on the north quay by nine votes to four on Monday evening.',
    'The terminal will cost forty million euros and open in 2029, the harbour master said.',
    'Opponents said the quay should stay a fish market.',
  ].join('\n\n'),
};
/** The second paragraph corrected (the cost), a fourth added. */
const SECOND = {
  ...FIRST,
  body: [
    'The city council approved a new ferry terminal on the north quay by nine votes to four on Monday evening.',
    'The terminal will cost forty-six million euros and open in 2029, the harbour master said.',
    'Opponents said the quay should stay a fish market.',
    'Correction: an earlier version of this article gave the cost as forty million euros.',
  ].join('\n\n'),
};
/** A new headline, the first paragraph removed. */
const THIRD = {
  ...SECOND,
  title: 'Ferry terminal approved at a cost of 46 million euros',
  body: SECOND.body.split('\n\n').slice(1).join('\n\n'),
};

describe('versions of an article', () => {
  it('two PUTs of an article give three versions, each with what changed from the one before', async () => {
    const s = await start();
    expect((await put(s, 'desk/ferry', FIRST)).status).toBe(201);
    expect((await put(s, 'desk/ferry', SECOND)).status).toBe(200);
    expect((await put(s, 'desk/ferry', THIRD)).status).toBe(200);
    const list = (await request(s.app).get('/articles/desk/ferry/versions')).body;
    expect(list.versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(list.versions[0].changes).toBeNull();
    // 1 → 2: the cost paragraph edited (most of its words kept), the correction added.
    expect(list.versions[1].changes).toEqual({ added: 1, removed: 0, edited: 1, titleChanged: false });
    // 2 → 3: the first paragraph removed, the headline changed.
    expect(list.versions[2]).toMatchObject({
      title: THIRD.title,
      changes: { added: 0, removed: 1, edited: 0, titleChanged: true },
    });
    // Each version became current when the one before it was replaced.
    expect(list.versions[2].at).toBe(list.versions[1].until);
    expect(list.versions[1].at).toBe(list.versions[0].until);

    const two = (await request(s.app).get('/articles/desk/ferry/versions/2?diff=1')).body;
    expect(two.paragraphs).toEqual(SECOND.body.split('\n\n'));
    expect(two.diff.paragraphs.map((p: { op: string }) => p.op)).toEqual(['same', 'edited', 'same', 'added']);
    expect(two.diff.paragraphs[1]).toEqual({
      op: 'edited',
      text: 'The terminal will cost forty-six million euros and open in 2029, the harbour master said.',
      previous: 'The terminal will cost forty million euros and open in 2029, the harbour master said.',
    });
    const one = (await request(s.app).get('/articles/desk/ferry/versions/1')).body;
    expect(one).toMatchObject({
      version: 1,
      current: false,
      title: FIRST.title,
      paragraphs: FIRST.body.split('\n\n'),
      diff: null,
    });
  });

  it('searches the current version only, and marks its hit corrected on the date of the last change', async () => {
    const s = await start();
    await put(s, 'desk/ferry', FIRST);
    await put(s, 'desk/ferry', THIRD);
    // "nine votes to four" is in the first paragraph, which the current version dropped.
    expect((await request(s.app).get('/search?q=%22nine+votes%22')).body.hits).toEqual([]);
    const hits = (await request(s.app).get('/search?q=terminal')).body.hits;
    expect(hits[0].articleId).toBe('desk/ferry');
    const versions = (await request(s.app).get('/articles/desk/ferry/versions')).body.versions;
    expect(hits[0].correctedAt).toBe(versions[1].at);
  });

  it('keeps no version for a PUT that changes nothing', async () => {
    const s = await start();
    await put(s, 'desk/ferry', FIRST);
    await put(s, 'desk/ferry', FIRST);
    const list = (await request(s.app).get('/articles/desk/ferry/versions')).body;
    expect(list.versions).toHaveLength(1);
    expect((await request(s.app).get('/search?q=ferry')).body.hits[0].correctedAt).toBeUndefined();
  });

  it('hides every version after a takedown, also after a restart; a PUT restoring the id starts a new history only the admin key sees behind', async () => {
    const s = await start();
    await put(s, 'desk/ferry', FIRST);
    await put(s, 'desk/ferry', SECOND);
    expect((await request(s.app).delete('/articles/desk/ferry').set('Authorization', admin)).status).toBe(204);
    const gone = [
      '/articles/desk/ferry/versions',
      '/articles/desk/ferry/versions/1',
      '/articles/desk/ferry/versions/2',
      '/articles/desk/ferry',
    ];
    for (const route of gone) expect((await request(s.app).get(route)).status, route).toBe(404);

    await s.close();
    open.splice(open.indexOf(s), 1);
    const again = await start({ dir: s.dir });
    for (const route of gone)
      expect((await request(again.app).get(route)).status, `${route} after a restart`).toBe(404);

    expect((await put(again, 'desk/ferry', THIRD)).status).toBe(201);
    const fresh = (await request(again.app).get('/articles/desk/ferry/versions')).body;
    expect(fresh.versions.map((v: { version: number }) => v.version)).toEqual([1]);
    expect(fresh.earlierHistories).toBeUndefined();
    expect((await request(again.app).get('/articles/desk/ferry/versions/1?history=1')).status).toBe(401);

    const seenByAdmin = (await request(again.app).get('/articles/desk/ferry/versions').set('Authorization', admin))
      .body;
    // The history before the takedown: the two versions and the one taken down (kept with the takedown).
    expect(seenByAdmin.earlierHistories).toEqual([{ history: 1, takenDownAt: expect.any(String), versions: 2 }]);
    const old = (
      await request(again.app).get('/articles/desk/ferry/versions/2?history=1&diff=1').set('Authorization', admin)
    ).body;
    expect(old).toMatchObject({
      version: 2,
      title: SECOND.title,
      diff: { summary: { added: 1, removed: 0, edited: 1 } },
    });
  });

  it('counts a change of a corpus file as a version of its article', async () => {
    const s = await start({
      files: {
        'story.md': `---\ntitle: Bridge closed\ndate: 2026-06-02\n---\n\nThe old bridge closed for repairs.\n\nTraffic goes by the ring road.\n`,
      },
    });
    await writeFile(
      path.join(s.corpusDir, 'story.md'),
      `---\ntitle: Bridge closed\ndate: 2026-06-02\n---\n\nThe old bridge closed for repairs until August.\n\nTraffic goes by the ring road.\n`,
    );
    await s.live.applyFiles(['story.md'], await readCorpus(s.corpusDir));
    const list = (await request(s.app).get('/articles/story/versions')).body;
    expect(list.versions.map((v: { version: number; changes: unknown }) => [v.version, v.changes])).toEqual([
      [1, null],
      [2, { added: 0, removed: 0, edited: 1, titleChanged: false }],
    ]);
  });

  it(`forgets the oldest versions past MAX_VERSIONS, and says so for one asked for`, async () => {
    const s = await start({ maxVersions: 3 });
    for (let i = 1; i <= 5; i++) await put(s, 'desk/count', { title: `Count ${i}`, body: `Count ${i} of five.` });
    const list = (await request(s.app).get('/articles/desk/count/versions')).body;
    expect(list.versions.map((v: { version: number }) => v.version)).toEqual([3, 4, 5]);
    expect(list.forgotten).toBe(2);
    const forgotten = await request(s.app).get('/articles/desk/count/versions/1');
    expect(forgotten.status).toBe(404);
    expect(forgotten.body).toMatchObject({ code: 'version_not_found' });
    expect(forgotten.body.message).toContain('forgotten');
  });

  it('rejects a bad diff with a 400 naming it, and answers 404 for a version never written', async () => {
    const s = await start();
    await put(s, 'desk/ferry', FIRST);
    const bad = await request(s.app).get('/articles/desk/ferry/versions/1?diff=first');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_version_diff');
    expect(bad.body.message).toContain('diff');
    expect((await request(s.app).get('/articles/desk/ferry/versions/7')).status).toBe(404);
  });
});
