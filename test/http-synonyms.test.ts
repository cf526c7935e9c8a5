import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Article } from '../src/corpus/article.js';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import { SYNONYMS_FILE_NAME, SynonymStore } from '../src/live/synonym-store.js';
import { cachedSearch } from '../src/query/cached-search.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';

const KEY = 'synonym-admin-key-0123';
const admin = `Bearer ${KEY}`;

function article(id: string, paragraphs: string[]): Article {
  return {
    id,
    title: '',
    date: null,
    authors: [],
    source: null,
    section: null,
    url: null,
    tags: [],
    paragraphs,
    file: `${id}.txt`,
  };
}

const index = buildIndex([
  article('kyiv', ['Shelling hit Kyiv overnight, officials said.']),
  article('kiev', ['Shelling hit Kiev overnight, officials said.']),
  article('bombay', ['Monsoon rains flooded Bombay.']),
  ...Array.from({ length: 20 }, (_, i) => article(`filler-${i}`, [`The council met on day ${i}.`])),
]);

const SET = { groups: [['kyiv', 'kiev']], oneWay: [{ from: 'mumbai', to: ['bombay'] }] };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-synonyms-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function appWith(store: SynonymStore | undefined, adminKey: string | null = KEY) {
  return createApp({
    getIndex: () => index,
    ...(store ? { synonyms: store } : {}),
    keys: { admin: adminKey, search: null },
  });
}
const putSet = (app: ReturnType<typeof appWith>, body: unknown) =>
  request(app)
    .put('/synonyms')
    .set('Authorization', admin)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));
const hitIds = async (app: ReturnType<typeof appWith>, q: string) =>
  ((await request(app).get(`/search?q=${encodeURIComponent(q)}`)).body.hits as { articleId: string }[]).map(
    (h) => h.articleId,
  );

describe('GET and PUT /synonyms', () => {
  it('replaces the whole set and answers 200 with it; GET returns it; the next search applies it', async () => {
    const app = appWith(SynonymStore.open(dir, null));
    expect(await hitIds(app, 'kiev')).toEqual(['kiev']);
    const res = await putSet(app, SET);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(SET);
    expect((await request(app).get('/synonyms').set('Authorization', admin)).body).toEqual(SET);
    expect(await hitIds(app, 'kiev')).toEqual(['kiev', 'kyiv']);
    // One way: mumbai finds bombay, bombay does not find mumbai (there is no such article anyway, and no rule back).
    expect(await hitIds(app, 'mumbai')).toEqual(['bombay']);
    const search = (await request(app).get('/search?q=kiev')).body;
    expect(search.parsedQuery.synonyms).toEqual([{ from: 'kiev', to: ['kyiv'] }]);
    expect(search.hits[1].snippets[0].highlights[0]).toMatchObject({ kind: 'synonym', term: 'kiev' });
    // A second PUT replaces, not merges.
    expect((await putSet(app, { groups: [] })).body).toEqual({ groups: [], oneWay: [] });
    expect(await hitIds(app, 'kiev')).toEqual(['kiev']);
  });

  it('applies the set to the Algolia-compatible route too, marking a synonym match like /search', async () => {
    const app = appWith(SynonymStore.open(dir, null));
    await putSet(app, SET);
    const res = await request(app)
      .post('/1/indexes/articles/query')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ query: 'kiev', attributesToSnippet: ['text'] }));
    expect(res.status).toBe(200);
    expect(res.body.hits.map((h: { objectID: string }) => h.objectID)).toEqual(['kiev', 'kyiv']);
    expect(res.body.hits[1]._snippetResult.text.value).toContain('<em>Kyiv</em>');
  });

  it('keeps the set in the journal folder before answering, as a write', async () => {
    const app = appWith(SynonymStore.open(dir, null));
    await putSet(app, SET);
    expect(JSON.parse(await readFile(path.join(dir, SYNONYMS_FILE_NAME), 'utf8'))).toEqual(SET);
    // A store opened again on the folder (a restart) has it.
    expect(SynonymStore.open(dir, null).set).toEqual(SET);
  });

  it('answers 400 invalid_synonyms naming the bad entry, and keeps the set in force', async () => {
    const app = appWith(SynonymStore.open(dir, null));
    await putSet(app, SET);
    const res = await putSet(app, { groups: [['kyiv', 'kiev'], ['lonely']] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_synonyms', type: 'invalid_request' });
    expect(res.body.message).toContain('groups[1]');
    expect((await request(app).get('/synonyms').set('Authorization', admin)).body).toEqual(SET);
    const bad = await request(app)
      .put('/synonyms')
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .send('{"groups": [');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_json');
  });

  it('needs the admin key: 401 without it, 403 writes_disabled on a service without one', async () => {
    const app = appWith(SynonymStore.open(dir, null));
    expect((await request(app).get('/synonyms')).status).toBe(401);
    expect((await request(app).put('/synonyms').set('Content-Type', 'application/json').send('{}')).status).toBe(401);
    const off = appWith(SynonymStore.open(dir, null), null);
    expect((await request(off).get('/synonyms')).body.code).toBe('writes_disabled');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const app = appWith(SynonymStore.open(dir, null));
    const res = await request(app)
      .put('/synonyms')
      .set('Authorization', admin)
      .set('Content-Type', 'text/plain')
      .send('kyiv,kiev');
    expect(res.status).toBe(415);
  });
});

describe('the synonym set at start', () => {
  it('loads SYNONYMS_FILE when no set was put through the API, and the API set wins over it after', async () => {
    const file = path.join(dir, 'synonyms-file.json');
    await writeFile(file, JSON.stringify({ groups: [['kyiv', 'kiev']] }));
    const journal = path.join(dir, 'journal');
    const first = SynonymStore.open(journal, file);
    expect(first.source).toBe('file');
    expect(first.set.groups).toEqual([['kyiv', 'kiev']]);
    first.replace({ groups: [], oneWay: [{ from: 'mumbai', to: ['bombay'] }] });
    const again = SynonymStore.open(journal, file);
    expect(again.source).toBe('api');
    expect(again.set.oneWay).toEqual([{ from: 'mumbai', to: ['bombay'] }]);
  });

  it('refuses a bad SYNONYMS_FILE naming the file and the entry', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ groups: [['kyiv', 7]] }));
    expect(() => SynonymStore.open(null, file)).toThrow(/bad\.json.*groups\[0\]\[1\]/);
  });
});

describe('the query cache and synonyms', () => {
  it('answers a repeated search anew after the set changes (the set is part of what a cached answer depends on)', () => {
    const store = SynonymStore.open(null, null);
    const search = cachedSearch(
      (i, params, deadline) => searchArchive(i, params, undefined, deadline, store.table()),
      10,
      Infinity,
      () => store.version(),
    );
    const run = () => search(index, withDefaults({ q: 'kiev' })).hits.map((h) => h.articleId);
    expect(run()).toEqual(['kiev']);
    store.replace({ groups: [['kyiv', 'kiev']], oneWay: [] });
    expect(run()).toEqual(['kiev', 'kyiv']);
  });
});
