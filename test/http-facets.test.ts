import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import { makeArticle } from './fixtures/http/build-test-index.js';

// Five ferry articles over three months (one undated), tagged; a sixth without "ferry".
const index = buildIndex(
  [
    makeArticle({
      id: 'a',
      title: 'Ferry one',
      date: '2024-01-15',
      tags: ['transport', 'weather'],
      paragraphs: ['The ferry sailed.', 'The ferry came back.'],
    }),
    makeArticle({
      id: 'b',
      title: 'Ferry two',
      date: '2024-01-31T23:30:00Z',
      tags: ['transport'],
      paragraphs: ['A ferry was late.'],
    }),
    makeArticle({
      id: 'c',
      title: 'Ferry three',
      date: '2024-03-01',
      tags: ['Transport', 'strikes'],
      paragraphs: ['Ferry crews went on strike.'],
    }),
    makeArticle({
      id: 'd',
      title: 'Ferry four',
      date: '2023-12-31',
      tags: [],
      paragraphs: ['The last ferry of the year.'],
    }),
    makeArticle({ id: 'e', title: 'Ferry five', date: null, tags: ['weather'], paragraphs: ['A ferry in fog.'] }),
    makeArticle({
      id: 'f',
      title: 'Bus',
      date: '2024-02-10',
      tags: ['transport'],
      paragraphs: ['The bus was on time.'],
    }),
  ],
  { segmentArticles: 2 },
);
const app = createApp({ getIndex: () => index });

async function facetsOf(query: string): Promise<Record<string, Record<string, number>>> {
  const res = await request(app).get(`/search?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.facetDistribution;
}

describe('facets tag and month', () => {
  it('counts tags per article, most frequent first (values as written, each article once)', async () => {
    expect(await facetsOf('q=ferry&facets=tag')).toEqual({
      tag: { transport: 2, weather: 2, Transport: 1, strikes: 1 },
    });
  });

  it('counts hits per UTC month in date order, months without hits absent and undated articles left out', async () => {
    const { month } = await facetsOf('q=ferry&facets=month');
    expect(month).toEqual({ '2023-12': 1, '2024-01': 2, '2024-03': 1 });
    expect(Object.keys(month!)).toEqual(['2023-12', '2024-01', '2024-03']);
  });

  it('counts paragraphs with groupBy=none, and follows the filters', async () => {
    expect((await facetsOf('q=ferry&groupBy=none&facets=month')).month).toEqual({
      '2023-12': 1,
      '2024-01': 3,
      '2024-03': 1,
    });
    expect(await facetsOf('q=ferry&tag=weather&facets=month,tag')).toEqual({
      month: { '2024-01': 1 },
      tag: { weather: 2, transport: 1 },
    });
    expect((await facetsOf('facets=month&from=2024-02-01')).month).toEqual({ '2024-02': 1, '2024-03': 1 });
  });

  it('rejects an unknown facet naming it', async () => {
    const res = await request(app).get('/search?facets=month,day');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_search_facets');
    expect(res.body.message).toContain('`day`');
  });
});
