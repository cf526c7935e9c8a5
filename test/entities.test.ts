/**
 * Entities: the people, organisations and places an article names, extracted at
 * index time, as facets, filters, query fields and on the article; they follow
 * writes and takedowns.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { extractEntities, forgetSpanReadings } from '../src/analysis/extract-entities.js';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import type { SearchResponse } from '../src/query/search-archive.js';
import { makeArticle, otherArticles, seedArticle } from './fixtures/http/build-test-index.js';
import { ADMIN_KEY, liveApp, type LiveApp } from './helpers/live-app.js';

const SEED = 'haiti-soldiers-mexico-training';

describe('extractEntities', () => {
  it("names the seed article's prime minister once, by his full name, and its places", () => {
    const entities = extractEntities(seedArticle());
    expect(entities.people).toEqual(['Alix Didier Fils-Aimé']);
    expect(entities.places).toEqual(expect.arrayContaining(['Haiti', 'Mexico', 'Port-au-Prince']));
    expect(entities.orgs).toEqual(expect.arrayContaining(['CNN']));
  });

  it('folds a title, a surname alone and the full name into one person', () => {
    const entities = extractEntities({
      paragraphs: [
        'Prime Minister Fils-Aimé spoke first.',
        'Alix Didier Fils-Aimé said the plan would work.',
        'Fils-Aimé then left for Mexico.',
      ],
    });
    expect(entities.people).toEqual(['Alix Didier Fils-Aimé']);
    expect(entities.places).toEqual(['Mexico']);
  });

  it('drops a common word that starts a sentence, keeps organisations by their last word, and reads place tags', () => {
    const entities = extractEntities({
      paragraphs: [
        'In Kenya, the Central Bank of Kenya raised rates.',
        'Last year Mr. Njoroge said the U.S. was watching.',
      ],
      tags: ['usa', 'earn', 'uk'],
    });
    expect(entities.places).toEqual(['Kenya', 'United States', 'United Kingdom']);
    expect(entities.orgs).toEqual(['Central Bank of Kenya']);
    expect(entities.people).toEqual(['Njoroge']);
  });

  it('reads a span met before as it reads it the first time, its kind from its neighbours where they decide it', () => {
    // Span readings are remembered per thread; what depends on the text around a span (a place word beside
    // it, a sentence start) must still come from each sighting's own text.
    const articles = [
      seedArticle(),
      ...otherArticles(),
      { paragraphs: ['The capital Artibonite was quiet.', 'Artibonite voted.', 'He went to Artibonite region towns.'] },
      { paragraphs: ['Artibonite Artibonite.', 'Officials in the Artibonite region said so.', 'Artibonite said no.'] },
      { paragraphs: ['Bank of Japan Governor Satoshi Sumita spoke.', 'Governor Satoshi Sumita of the Bank of Japan.'] },
      { paragraphs: ['Vice-Prime Minister Oleg Rybachuk met the Minister.', 'In Haiti the Haitian soldiers left.'] },
    ];
    forgetSpanReadings();
    const cold = articles.map((article) => {
      forgetSpanReadings();
      return extractEntities(article);
    });
    forgetSpanReadings();
    const warm = articles.map((article) => extractEntities(article));
    const again = [...articles].reverse().map((article) => extractEntities(article));
    expect(warm).toEqual(cold);
    expect(again.reverse()).toEqual(cold);
    expect(cold[cold.length - 4]!.places).toEqual(['Artibonite']);
  });

  it('finds nothing in text without names', () => {
    expect(extractEntities({ paragraphs: ['Nothing here mentions anyone.', 'Officials said little.'] })).toEqual({
      people: [],
      orgs: [],
      places: [],
    });
  });
});

describe('entities through the service', () => {
  const index = buildIndex([
    seedArticle(),
    ...otherArticles(),
    makeArticle({
      id: 'kenya-bank',
      title: 'Rates rise',
      date: '2025-07-23',
      paragraphs: ['In Nairobi, the Central Bank of Kenya raised rates again.'],
    }),
  ]);
  const app = createApp({ getIndex: () => index, searchBudgetMs: 60_000 });
  const search = async (query: string): Promise<SearchResponse> => {
    const res = await request(app).get(`/search?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as SearchResponse;
  };
  const ids = async (query: string) => (await search(query)).hits.map((h) => h.articleId).sort();

  it('counts person, org and place facets: the seed names Alix Didier Fils-Aimé, and Haiti, Mexico and Port-au-Prince', async () => {
    const body = await search('q=haiti&facets=person,org,place');
    expect(body.facetDistribution.person).toEqual({ 'Alix Didier Fils-Aimé': 1 });
    expect(Object.keys(body.facetDistribution.place!)).toEqual(
      expect.arrayContaining(['Haiti', 'Mexico', 'Port-au-Prince']),
    );
    expect(body.facetDistribution.org!['CNN']).toBe(1);
  });

  it('filters by person, org and place (case-insensitive, whole names) and searches the query fields (words of the name)', async () => {
    expect(await ids('person=alix%20didier%20fils-aim%C3%A9')).toEqual([SEED]);
    expect(await ids('person=Fils-Aim%C3%A9')).toEqual([]);
    expect(await ids('org=Central%20Bank%20of%20Kenya')).toEqual(['kenya-bank']);
    expect(await ids('place=Mexico&q=')).toEqual([SEED]);
    expect(await ids(`q=${encodeURIComponent('person:"fils-aimé"')}`)).toEqual([SEED]);
    expect(await ids(`q=${encodeURIComponent('place:port-au-prince')}`)).toEqual([SEED]);
    expect(await ids(`q=${encodeURIComponent('org:bank')}`)).toEqual(['kenya-bank']);
    // The seed says "homicide rates"; the bank article, which names Nairobi, is left out.
    expect(await ids(`q=${encodeURIComponent('rates -place:nairobi')}`)).toEqual([SEED]);
  });

  it('rejects an over-long entity filter with invalid_search_filter naming it', async () => {
    const res = await request(app).get(`/search?place=${'x'.repeat(201)}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_search_filter');
    expect(res.body.message).toMatch(/^`place` values must be at most 200 characters/);
  });

  it("lists the article's entities in GET /articles", async () => {
    const res = await request(app).get(`/articles/${SEED}`);
    expect(res.body.entities.people).toEqual(['Alix Didier Fils-Aimé']);
    expect(res.body.entities.places).toEqual(expect.arrayContaining(['Haiti', 'Mexico', 'Port-au-Prince']));
  });
});

describe('entities follow writes and takedowns', () => {
  const open: LiveApp[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) {
      await s.close();
      await s.remove();
    }
  });

  it('a written article adds its people to the facet, a rewrite replaces them, a takedown removes them', async () => {
    const s = await liveApp({
      files: {
        'wire.ndjson': JSON.stringify({
          id: 'wire-1',
          title: 'Harvest',
          body: 'Farmers brought in the maize harvest early.',
        }),
      },
    });
    open.push(s);
    const people = async () => (await request(s.app).get('/search?q=&facets=person')).body.facetDistribution.person;
    const put = (body: object) =>
      request(s.app)
        .put('/articles/desk%2Fvisit')
        .set('Authorization', `Bearer ${ADMIN_KEY}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body));
    expect(await people()).toEqual({});
    expect((await put({ title: 'Visit', body: 'President Ruto met farmers in Eldoret.' })).status).toBe(201);
    expect(await people()).toEqual({ Ruto: 1 });
    expect((await request(s.app).get('/articles/desk/visit')).body.entities.people).toEqual(['Ruto']);
    expect((await put({ title: 'Visit', body: 'Mr. Sakaja met traders.' })).status).toBe(200);
    expect(await people()).toEqual({ Sakaja: 1 });
    expect(
      (await request(s.app).delete('/articles/desk/visit').set('Authorization', `Bearer ${ADMIN_KEY}`)).status,
    ).toBe(204);
    expect(await people()).toEqual({});
  });
});
