/**
 * Contract tests of the Algolia-compatible routes, as the InstantSearch adapters of other engines
 * have them: Algolia's own lite client (`algoliasearch/lite`) and InstantSearch's state engine
 * (`algoliasearch-helper`, which every InstantSearch widget reads its results through) talk to the
 * service on a loopback port, and each response is checked against the shape of Algolia's published
 * search response that the widgets of the example read (searchBox, hits with Highlight and Snippet,
 * refinementList, rangeInput, pagination, stats). The types are checked too: a result is assignable
 * to the client's `SearchResponse` (`npm run typecheck`).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { liteClient, type SearchResponse } from 'algoliasearch/lite';
import algoliasearchHelper from 'algoliasearch-helper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlgoliaHit } from '../src/http/algolia/algolia-hit.js';
import type { AlgoliaResult } from '../src/http/algolia/algolia-result.js';
import { createApp } from '../src/http/create-app.js';
import { buildIndex } from '../src/index/index-writer.js';
import { hostileArticle, makeArticle, otherArticles, seedArticle } from './fixtures/http/build-test-index.js';

/** Compile-time contract: every result of this service is a `SearchResponse` of Algolia's client. */
const asClientResponse = (result: AlgoliaResult): SearchResponse<AlgoliaHit> => result;

const more = Array.from({ length: 12 }, (_, i) =>
  makeArticle({
    id: `world-${i}`,
    title: `Families return home ${i}`,
    date: `${2020 + (i % 3)}-03-0${(i % 9) + 1}`,
    source: i % 2 ? 'BBC' : 'AP',
    section: 'world',
    authors: ['Ana Costa'],
    paragraphs: [`Families displaced by the storm returned home, report ${i}.`],
  }),
);
const index = buildIndex([seedArticle(), ...otherArticles(), hostileArticle(), ...more]);

let server: Server;
let client: ReturnType<typeof liteClient>;
beforeAll(async () => {
  const app = createApp({ getIndex: () => index, searchBudgetMs: 10_000 });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  client = liteClient('newsroom-search', 'search-only-key', {
    hosts: [{ url: `127.0.0.1:${port}`, accept: 'read', protocol: 'http' }],
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

type Shape = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'string|null' | 'integer|null';

/** The paths of `value` (dot-separated, `*` for every key or item) with the type Algolia's spec gives them; each must be present and of that type. */
function expectShape(value: unknown, shape: Record<string, Shape>): void {
  const typeOf = (v: unknown): string =>
    v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
  const at = (v: unknown, parts: string[], path: string): [string, unknown][] => {
    if (parts.length === 0) return [[path, v]];
    const [head, ...rest] = parts;
    if (v === null || typeof v !== 'object') return [[path, undefined]];
    const entries: [string, unknown][] =
      head === '*' ? Object.entries(v as object) : [[head!, (v as Record<string, unknown>)[head!]]];
    return entries.flatMap(([k, child]) => at(child, rest, `${path}.${k}`));
  };
  for (const [path, type] of Object.entries(shape)) {
    for (const [where, found] of at(value, path.split('.'), '$')) {
      const allowed = type.split('|').flatMap((t) => (t === 'number' ? ['number', 'integer'] : [t]));
      expect(allowed, `${where} is ${typeOf(found)}, the spec says ${type}`).toContain(typeOf(found));
    }
  }
}

/** What Algolia's search response holds for every widget (`searchResponse`: hits, pagination, query, params, timing). */
const BASE: Record<string, Shape> = {
  hits: 'array',
  nbHits: 'integer',
  page: 'integer',
  nbPages: 'integer',
  hitsPerPage: 'integer',
  processingTimeMS: 'integer',
  exhaustiveNbHits: 'boolean',
  query: 'string',
  params: 'string',
};
/** The hits widget with the Highlight and Snippet components: `objectID`, `_highlightResult` and `_snippetResult` entries. */
const HITS: Record<string, Shape> = {
  'hits.*.objectID': 'string',
  'hits.*._highlightResult.*.value': 'string',
  'hits.*._highlightResult.*.matchLevel': 'string',
  'hits.*._highlightResult.*.matchedWords': 'array',
  'hits.*._highlightResult.*.matchedWords.*': 'string',
  'hits.*._snippetResult.*.value': 'string',
  'hits.*._snippetResult.*.matchLevel': 'string',
};
/** refinementList: value → count per facet; rangeInput: min/max/avg/sum per numeric facet. */
const FACETS: Record<string, Shape> = {
  facets: 'object',
  'facets.*': 'object',
  'facets.*.*': 'integer',
  exhaustiveFacetsCount: 'boolean',
};
const STATS: Record<string, Shape> = {
  'facets_stats.year.min': 'number',
  'facets_stats.year.max': 'number',
  'facets_stats.year.avg': 'number',
  'facets_stats.year.sum': 'number',
};

const MATCH_LEVELS = ['none', 'partial', 'full'];

describe("the Algolia routes against Algolia's lite client", () => {
  it("answer the hits widget (with Highlight and Snippet) in the published shape, with InstantSearch's tags", async () => {
    const { results } = await client.search({
      requests: [
        {
          indexName: 'articles',
          query: 'families',
          hitsPerPage: 5,
          attributesToSnippet: ['text:20'],
          highlightPreTag: '__ais-highlight__',
          highlightPostTag: '__/ais-highlight__',
        },
      ],
    });
    const result = results[0] as unknown as AlgoliaResult;
    expectShape(asClientResponse(result), { ...BASE, ...HITS });
    expect(result.hits.length).toBe(5);
    for (const hit of result.hits) {
      for (const h of [...Object.values(hit._highlightResult), ...Object.values(hit._snippetResult ?? {})])
        expect(MATCH_LEVELS).toContain(h.matchLevel);
      expect(hit._snippetResult?.['text']?.value).toContain('__ais-highlight__');
    }
  });

  it('answer the stats and pagination widgets: totals and 0-based pages', async () => {
    const { results } = await client.search({
      requests: [{ indexName: 'articles', query: 'families', hitsPerPage: 5, page: 2 }],
    });
    const result = results[0] as unknown as AlgoliaResult;
    expectShape(result, BASE);
    expect(result).toMatchObject({ page: 2, hitsPerPage: 5, nbPages: Math.ceil(result.nbHits / 5) });
    expect(result.hits.length).toBe(result.nbHits - 10);
  });

  it('answer the refinementList and rangeInput widgets: facet counts and year stats', async () => {
    const { results } = await client.search({
      requests: [{ indexName: 'articles', query: '', hitsPerPage: 0, facets: ['section', 'source', 'author', 'year'] }],
    });
    const result = results[0] as unknown as AlgoliaResult;
    expectShape(result, { ...BASE, ...FACETS, ...STATS });
    expect(result.facets_stats?.['year']).toMatchObject({ min: 2020, max: 2025 });
  });
});

describe("the Algolia routes through InstantSearch's helper (algoliasearch-helper)", () => {
  /** Runs one helper search and resolves with the results the widgets would get. */
  function helperResults(
    setup: (helper: algoliasearchHelper.AlgoliaSearchHelper) => void,
  ): Promise<algoliasearchHelper.SearchResults> {
    const helper = algoliasearchHelper(client as never, 'articles', {
      disjunctiveFacets: ['section', 'source', 'year'],
      facets: ['author'],
      hitsPerPage: 4,
      attributesToSnippet: ['text:20'],
      highlightPreTag: '__ais-highlight__',
      highlightPostTag: '__/ais-highlight__',
    });
    setup(helper);
    return new Promise((resolve, reject) => {
      helper.on('result', ({ results }) => resolve(results));
      helper.on('error', ({ error }) => reject(error));
      helper.search();
    });
  }

  it('gives a disjunctive refinement list the counts of the other values, as /search gives them without the filter', async () => {
    const results = await helperResults((helper) =>
      helper.setQuery('families').addDisjunctiveFacetRefinement('source', 'BBC'),
    );
    const values = results.getFacetValues('source', { sortBy: ['name:asc'] }) as { name: string; count: number }[];
    const sources = Object.fromEntries(values.map((v) => [v.name, v.count]));
    const search = await fetch(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/search?q=families&facets=source`,
    );
    expect(sources).toEqual(
      ((await search.json()) as { facetDistribution: { source: Record<string, number> } }).facetDistribution.source,
    );
    expect(results.hits.every((hit: { source: string }) => hit.source === 'BBC')).toBe(true);
    expect(
      results.getRefinements().map((r: { attributeName: string; name: string }) => `${r.attributeName}:${r.name}`),
    ).toEqual(['source:BBC']);
  });

  it('gives a range input the year stats of the results without its own bounds, and narrows the hits by them', async () => {
    const results = await helperResults((helper) =>
      helper.setQuery('families').addNumericRefinement('year', '>=', 2021).addNumericRefinement('year', '<=', 2021),
    );
    expect(results.getFacetStats('year')).toMatchObject({ min: 2020, max: 2025 });
    expect(results.nbHits).toBe(4);
    expect(results.hits.every((hit: { year: number }) => hit.year === 2021)).toBe(true);
  });

  it('pages and counts as the pagination and stats widgets read them', async () => {
    const results = await helperResults((helper) => helper.setQuery('families').setPage(1));
    expect(results.page).toBe(1);
    expect(results.nbPages).toBe(Math.ceil(results.nbHits / 4));
    expect(typeof results.processingTimeMS).toBe('number');
    expect(results.hits).toHaveLength(4);
  });
});
