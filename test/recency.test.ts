import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/article.js';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import { recencyFactor, UNDATED_FACTOR } from '../src/query/execute/recency.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

function article(id: string, paragraphs: string[], date: string | null): Article {
  return {
    id,
    title: `Report ${id}`,
    date,
    authors: [],
    source: null,
    section: null,
    url: null,
    tags: [],
    paragraphs,
    file: `${id}.txt`,
  };
}

const filler = Array.from({ length: 20 }, (_, i) =>
  article(`filler-${i}`, [`The council met on day ${i}.`], daysAgo(i)),
);
const index = buildIndex([
  // The better match (the word twice in a short paragraph), ten years old.
  article('old-strong', ['Flood warning: flood defences failed.'], daysAgo(3650)),
  // A weaker match (once, in a longer paragraph), last week.
  article('new-weak', ['A flood warning was issued for the river valley on Tuesday evening.'], daysAgo(7)),
  article('undated', ['Flood warning for the valley.'], null),
  ...filler,
]);
const ids = (params: object) =>
  searchArchive(index, withDefaults({ q: 'flood', ...params })).hits.map((h) => h.articleId);

describe('recency preference', () => {
  it('is off by default: the better match ranks first whatever its age', () => {
    expect(ids({})[0]).toBe('old-strong');
  });

  it('with a one-year half-life, the week-old article outranks the ten-year-old one (2^-10 of its score)', () => {
    const ranked = ids({ recencyHalfLife: 365 });
    expect(ranked.indexOf('new-weak')).toBeLessThan(ranked.indexOf('old-strong'));
  });

  it('halves the score of an article one half-life old and quarters an undated one', () => {
    const now = Date.UTC(2025, 0, 1);
    const factor = recencyFactor(30, now)!;
    expect(factor(now)).toBe(1);
    expect(factor(now - 30 * DAY)).toBeCloseTo(0.5, 12);
    expect(factor(now - 60 * DAY)).toBeCloseTo(0.25, 12);
    expect(factor(Number.NaN)).toBe(UNDATED_FACTOR);
    // Dated in the future: as new as today.
    expect(factor(now + 5 * DAY)).toBe(1);
    expect(recencyFactor(0, now)).toBeNull();
  });

  it('leaves sort=date as it is', () => {
    expect(ids({ sort: 'date:desc', recencyHalfLife: 1 })).toEqual(ids({ sort: 'date:desc' }));
  });
});

describe('GET /search recencyHalfLife', () => {
  const app = createApp({ getIndex: () => index });

  it('reorders by the preference', async () => {
    const res = await request(app).get('/search?q=flood&recencyHalfLife=365');
    expect(res.status).toBe(200);
    const hits = (res.body.hits as { articleId: string }[]).map((h) => h.articleId);
    expect(hits.indexOf('new-weak')).toBeLessThan(hits.indexOf('old-strong'));
  });

  it.each(['-1', '36501', 'soon', '1.5'])('rejects recencyHalfLife=%s with a 400 naming it', async (value) => {
    const res = await request(app).get(`/search?q=flood&recencyHalfLife=${value}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_search_recency_half_life');
    expect(res.body.message).toContain('recencyHalfLife');
  });
});
