import { MAX_QUERY_LENGTH } from '../../query/search-params.js';
import { MAX_ALGOLIA_REQUESTS } from '../algolia/algolia-handlers.js';
import { MAX_ALGOLIA_HITS_PER_PAGE, MAX_TAG_LENGTH, MAX_VALUES_PER_FACET } from '../algolia/read-algolia-params.js';

/** Algolia's error body, which the Algolia-compatible routes answer with. */
const algoliaError = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/AlgoliaError' } } },
});

const errors = {
  '400': algoliaError(
    'A bad parameter value, a filter outside the supported subset, or a body that is not JSON (the message names the parameter).',
  ),
  '401': algoliaError('A search key is set and the request carries none, or another one.'),
  '404': algoliaError('An index other than `articles` and `paragraphs`.'),
  '413': algoliaError('A body over 256 KB.'),
  '503': algoliaError('The index is still loading, or the service is busy; see `Retry-After`.'),
};

const filterList = {
  oneOf: [
    { type: 'string' },
    {
      type: 'array',
      maxItems: 50,
      items: { oneOf: [{ type: 'string' }, { type: 'array', maxItems: 50, items: { type: 'string' } }] },
    },
  ],
};

/** The Algolia search parameters read (in `params`, an object or a URL-encoded string whose arrays are JSON). */
const algoliaParams = {
  type: 'object',
  description:
    'Algolia search parameters. Any other parameter is ignored and named in the `X-Algolia-Ignored-Params` response header. ' +
    'In the URL-encoded form, arrays are written as JSON (`facets=%5B%22section%22%5D`).',
  properties: {
    query: {
      type: 'string',
      maxLength: MAX_QUERY_LENGTH,
      default: '',
      description:
        'The query, in the full query language of `/search` (phrases, `-word`, `OR`, `NEAR/5`, `title:`, `author:`…).',
    },
    page: {
      type: 'integer',
      minimum: 0,
      maximum: 999,
      default: 0,
      description: '0-based page. A page past the 1,000th hit has no hits (its totals are given).',
    },
    hitsPerPage: {
      type: 'integer',
      minimum: 0,
      maximum: MAX_ALGOLIA_HITS_PER_PAGE,
      default: 20,
      description: "0: totals and facets only (InstantSearch's disjunctive-facet requests).",
    },
    facets: {
      type: 'array',
      items: { type: 'string', enum: ['source', 'section', 'author', 'tag', 'year', 'month', '*'] },
      description: 'Facets to count (`*`: all). `year` also gives `facets_stats.year`.',
    },
    facetFilters: {
      ...filterList,
      description:
        'An AND of items, each `attribute:value` or an OR list of them (`[["section:world","section:sport"],"source:BBC"]`); values match as `/search`\'s filters ' +
        '(exact, case-insensitive). Attributes: `source`, `section`, `author`, `tag`, and `year` (`year:2024`). An OR list names one attribute; two lists on ' +
        '`source` or `section` keep the values they share; two on `author` or `tag`, and negations (`section:-world`), are a 400. A literal leading `-` is written `\\-`.',
    },
    numericFilters: {
      ...filterList,
      description:
        'An AND of comparisons on the publication date: `year` (`year>=2019`) or `timestamp` (seconds since 1970): `<`, `<=`, `=`, `>=`, `>`, or `attribute:low TO high`. `!=` and ORs are a 400.',
    },
    filters: {
      type: 'string',
      maxLength: 2000,
      description:
        'A subset of Algolia\'s filter syntax: an AND of `attribute:value` (value bare or `"quoted"`), `attribute >= number` (`<`, `<=`, `=`, `>`), `attribute:low TO high`, and ' +
        'parenthesised ORs of facet filters (`(source:BBC OR source:CNN) AND year >= 2020`). `NOT`, `!=` and ORs of comparisons are a 400.',
    },
    attributesToHighlight: {
      type: 'array',
      items: { type: 'string' },
      description: '`title`, `text` or `*`; default both. Others are ignored.',
    },
    attributesToSnippet: {
      type: 'array',
      items: { type: 'string' },
      description: '`text` or `text:words` (10–80, default 30); default none.',
    },
    highlightPreTag: {
      type: 'string',
      maxLength: MAX_TAG_LENGTH,
      default: '<em>',
      description:
        'Written before each highlighted word. When the tags contain `<`, `>` or `&` (HTML, as the default), the value is HTML-escaped first, then marked. ' +
        'Other tags are placeholders a client escapes itself (InstantSearch sends `__ais-highlight__` and escapes the value before turning them into `<mark>`): the value is then plain text.',
    },
    highlightPostTag: {
      type: 'string',
      maxLength: MAX_TAG_LENGTH,
      default: '</em>',
      description: 'Written after each highlighted word.',
    },
    maxValuesPerFacet: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_VALUES_PER_FACET,
      default: MAX_VALUES_PER_FACET,
      description: 'Most values per facet, most frequent first (`month`: date order).',
    },
  },
};

const responses200 = (description: string, schema: Record<string, unknown>) => ({
  description,
  headers: {
    'X-Algolia-Ignored-Params': {
      description: 'The parameters sent that were ignored, comma-separated.',
      schema: { type: 'string' },
    },
  },
  content: { 'application/json': { schema } },
});

const description =
  "The part of Algolia's search protocol that InstantSearch's lite client (`algoliasearch/lite`) sends, so InstantSearch widgets work against this " +
  "service. Two indexes: `articles` (one hit per article: its best paragraph's window as `text`) and `paragraphs` (one hit per paragraph, `objectID` " +
  '`articleId#pN`). The key is the search key, as `X-Algolia-API-Key` (or the `x-algolia-api-key` query parameter, or a bearer token); the application id ' +
  'is not checked. The body may be sent as `text/plain`, as browser clients do. Errors are Algolia\'s `{"message", "status"}`.';

/** `POST /1/indexes/*\/queries` and `POST /1/indexes/{indexName}/query` in the OpenAPI document. */
export const algoliaPaths = {
  '/1/indexes/*/queries': {
    post: {
      operationId: 'algoliaMultipleQueries',
      summary: 'Algolia-compatible multi-query (InstantSearch)',
      description: `${description} Requests run in order (strategy \`none\`).`,
      security: [{}, { searchKey: [] }, { algoliaKey: [] }],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['requests'],
              properties: {
                requests: {
                  type: 'array',
                  minItems: 1,
                  maxItems: MAX_ALGOLIA_REQUESTS,
                  items: {
                    type: 'object',
                    required: ['indexName'],
                    description:
                      'The parameters as `params` (an object or a URL-encoded string), or as keys of the request itself.',
                    properties: {
                      indexName: { type: 'string', enum: ['articles', 'paragraphs'] },
                      params: { oneOf: [{ type: 'string' }, algoliaParams] },
                      type: { type: 'string', enum: ['default'] },
                    },
                  },
                },
              },
            },
          },
        },
      },
      responses: {
        '200': responses200('One result per request, in order.', {
          type: 'object',
          required: ['results'],
          properties: { results: { type: 'array', items: { $ref: '#/components/schemas/AlgoliaResult' } } },
        }),
        ...errors,
      },
    },
  },
  '/1/indexes/{indexName}/query': {
    post: {
      operationId: 'algoliaQuery',
      summary: 'Algolia-compatible search of one index',
      description,
      security: [{}, { searchKey: [] }, { algoliaKey: [] }],
      parameters: [
        { name: 'indexName', in: 'path', required: true, schema: { type: 'string', enum: ['articles', 'paragraphs'] } },
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              description: '`{"params": …}` or the parameters as the body\'s keys.',
              properties: { params: { oneOf: [{ type: 'string' }, algoliaParams] } },
            },
          },
        },
      },
      responses: { '200': responses200('The result.', { $ref: '#/components/schemas/AlgoliaResult' }), ...errors },
    },
  },
};

const highlight = {
  type: 'object',
  required: ['value', 'matchLevel', 'matchedWords'],
  properties: {
    value: {
      type: 'string',
      description: 'The attribute with each matched word between the tags (escaped first for HTML tags).',
    },
    matchLevel: {
      type: 'string',
      enum: ['none', 'partial', 'full'],
      description: '`full` when every query word is marked, `partial` when some are.',
    },
    matchedWords: { type: 'array', items: { type: 'string' } },
    fullyHighlighted: { type: 'boolean' },
  },
};

/** The schemas of the Algolia-compatible routes. */
export const algoliaSchemas = {
  AlgoliaError: {
    type: 'object',
    required: ['message', 'status'],
    properties: { message: { type: 'string' }, status: { type: 'integer' } },
  },
  AlgoliaHit: {
    type: 'object',
    required: ['objectID', 'articleId', 'title', 'text', '_highlightResult'],
    properties: {
      objectID: { type: 'string', description: '`articles`: the article id; `paragraphs`: `articleId#pN`.' },
      articleId: { type: 'string' },
      paragraphId: { type: ['string', 'null'] },
      paragraphIndex: { type: ['integer', 'null'] },
      title: { type: 'string' },
      text: {
        type: 'string',
        description:
          'The window of the best matching paragraph (`articles`) or of the paragraph (`paragraphs`), `…` where cut.',
      },
      date: { type: ['string', 'null'] },
      timestamp: { type: ['integer', 'null'], description: 'Publication time, seconds since 1970.' },
      year: { type: ['integer', 'null'] },
      author: { type: 'array', items: { type: 'string' } },
      source: { type: ['string', 'null'] },
      section: { type: ['string', 'null'] },
      tag: { type: 'array', items: { type: 'string' } },
      url: { type: ['string', 'null'] },
      matchingParagraphs: { type: 'integer' },
      _highlightResult: { type: 'object', additionalProperties: highlight },
      _snippetResult: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          required: ['value', 'matchLevel'],
          properties: { value: { type: 'string' }, matchLevel: highlight.properties.matchLevel },
        },
      },
    },
  },
  AlgoliaResult: {
    type: 'object',
    required: [
      'hits',
      'nbHits',
      'page',
      'nbPages',
      'hitsPerPage',
      'exhaustiveNbHits',
      'query',
      'params',
      'processingTimeMS',
    ],
    properties: {
      hits: { type: 'array', items: { $ref: '#/components/schemas/AlgoliaHit' } },
      nbHits: { type: 'integer' },
      page: { type: 'integer', description: '0-based.' },
      nbPages: { type: 'integer', description: 'Pages reachable: at most 1,000 hits can be paged.' },
      hitsPerPage: { type: 'integer' },
      facets: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } } },
      facets_stats: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          properties: {
            min: { type: 'number' },
            max: { type: 'number' },
            avg: { type: 'number' },
            sum: { type: 'number' },
          },
        },
      },
      exhaustiveNbHits: { type: 'boolean' },
      exhaustiveFacetsCount: { type: 'boolean' },
      exhaustive: {
        type: 'object',
        properties: { nbHits: { type: 'boolean' }, facetsCount: { type: 'boolean' }, typo: { type: 'boolean' } },
      },
      query: { type: 'string' },
      params: { type: 'string', description: "The request's parameters, URL-encoded." },
      index: { type: 'string' },
      processingTimeMS: { type: 'integer' },
    },
  },
};
