import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import { makeArticle } from './fixtures/http/build-test-index.js';

// Flood stories share "flood", "river", "levee", "evacuated"; the two Nile copies are the same
// text (so they tie) two years apart; the sport and market stories share nothing distinctive.
const FLOOD = 'The river burst its levee and the flood evacuated villages along the Nile valley.';
const index = buildIndex(
  [
    makeArticle({
      id: 'world/sudan-floods',
      title: 'Sudan flood: levee bursts on the Nile',
      date: '2024-08-10',
      paragraphs: [FLOOD, 'Aid agencies said the flood waters were still rising near the levee.'],
    }),
    makeArticle({ id: 'world/nile-copy-far', title: 'Nile valley flood', date: '2022-08-10', paragraphs: [FLOOD] }),
    makeArticle({ id: 'world/nile-copy-near', title: 'Nile valley flood', date: '2024-08-20', paragraphs: [FLOOD] }),
    makeArticle({
      id: 'world/kenya-floods',
      title: 'Kenya flood season',
      date: '2024-05-01',
      paragraphs: ['Heavy rain made the river flood; families were evacuated and a levee was repaired.'],
    }),
    makeArticle({
      id: 'sport/cup-final',
      title: 'Cup final tonight',
      date: '2024-08-11',
      paragraphs: ['The striker scored twice in the final and the fans sang all night.'],
    }),
    makeArticle({
      id: 'markets/open',
      title: 'Markets open higher',
      date: '2024-08-12',
      paragraphs: ['Shares rose as investors cheered the results of the banks.'],
    }),
    makeArticle({
      id: 'world/related',
      title: 'An article whose id ends in related',
      date: '2024-01-01',
      paragraphs: ['A flood of letters about the river.'],
    }),
  ],
  { segmentArticles: 3 },
);
const app = createApp({ getIndex: () => index });

async function related(
  path: string,
  query = '',
): Promise<{
  articleId: string;
  terms: string[];
  hits: { articleId: string; score: number; sharedTerms: string[] }[];
}> {
  const res = await request(app).get(`/articles/${path}/related${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe('GET /articles/{articleId}/related', () => {
  it('lists the articles sharing the most distinctive words, most alike first, never the article itself', async () => {
    const body = await related('world/sudan-floods');
    expect(body.articleId).toBe('world/sudan-floods');
    expect(body.terms).toEqual(expect.arrayContaining(['flood', 'levee', 'nile']));
    const ids = body.hits.map((h) => h.articleId);
    expect(ids).not.toContain('world/sudan-floods');
    // The two copies share the whole first paragraph and the headline's words; Kenya shares fewer.
    expect(ids.slice(0, 2).sort()).toEqual(['world/nile-copy-far', 'world/nile-copy-near']);
    expect(ids).toContain('world/kenya-floods');
    expect(ids).not.toContain('markets/open');
    expect(body.hits[0]!.sharedTerms).toEqual(expect.arrayContaining(['flood', 'levee']));
    for (let i = 1; i < body.hits.length; i++) expect(body.hits[i]!.score).toBeLessThanOrEqual(body.hits[i - 1]!.score);
  });

  it('returns at most `limit` articles (default 5)', async () => {
    expect((await related('world/sudan-floods', '?limit=1')).hits).toHaveLength(1);
    expect((await related('world/sudan-floods')).hits.length).toBeLessThanOrEqual(5);
  });

  it('keeps only articles published within `from` and `to`', async () => {
    const ids = (await related('world/sudan-floods', '?from=2024-06-01&to=2024-12-31')).hits.map((h) => h.articleId);
    expect(ids).toEqual(['world/nile-copy-near']);
  });

  it('prefers nearby dates with halfLifeDays: of two equal copies, the one ten days away beats the one two years away', async () => {
    const plain = await related('world/sudan-floods');
    const [far, near] = ['world/nile-copy-far', 'world/nile-copy-near'].map(
      (id) => plain.hits.find((h) => h.articleId === id)!.score,
    );
    expect(far).toBe(near);
    const decayed = await related('world/sudan-floods', '?halfLifeDays=30');
    expect(decayed.hits[0]!.articleId).toBe('world/nile-copy-near');
    // Ten days at a half-life of 30: 0.5^(10/30) ≈ 0.794 of the plain score.
    expect(decayed.hits[0]!.score).toBeCloseTo(near! * 0.5 ** (10 / 30), 3);
  });

  it('answers 404 article_not_found for an unknown id, and 400 naming a bad parameter', async () => {
    const missing = await request(app).get('/articles/world/nowhere/related');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('article_not_found');
    expect(missing.body.message).toContain('`world/nowhere`');
    for (const [query, code, name] of [
      ['limit=0', 'invalid_related_limit', 'limit'],
      ['limit=21', 'invalid_related_limit', 'limit'],
      ['from=2024-13-01', 'invalid_related_from', 'from'],
      ['from=2024-02-01&to=2024-01-01', 'invalid_related_to', 'to'],
      ['halfLifeDays=-1', 'invalid_related_half_life_days', 'halfLifeDays'],
    ]) {
      const res = await request(app).get(`/articles/world/sudan-floods/related?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe(code);
      expect(res.body.message).toContain(`\`${name}\``);
    }
  });

  it('routes by the rule: an id that is an article wins; otherwise a last segment `related` asks for related articles', async () => {
    const article = await request(app).get('/articles/world/related');
    expect(article.status).toBe(200);
    expect(article.body.articleId).toBe('world/related');
    expect(article.body.paragraphs).toHaveLength(1);
    expect((await related('world/related')).articleId).toBe('world/related');
    expect((await related('world%2Fsudan-floods')).articleId).toBe('world/sudan-floods');
  });

  it('answers 503 index_loading before the index serves', async () => {
    const res = await request(createApp({ getIndex: () => null })).get('/articles/world/sudan-floods/related');
    expect(res.status).toBe(503);
  });
});
