/** The response schemas of the OpenAPI document (`../openapi.ts`): errors, hits, articles, highlights, and the write routes'. */
import { synonymSchemas, writeSchemas } from './writes.js';

const nullableString = { type: ['string', 'null'] };

export const schemas = {
  ...writeSchemas,
  ...synonymSchemas,
  Error: {
    type: 'object',
    required: ['message', 'code', 'type'],
    properties: {
      message: { type: 'string', description: 'Names the parameter and the bad value, in backticks.' },
      code: { $ref: '#/components/schemas/ErrorCode' },
      type: { type: 'string', enum: ['invalid_request', 'auth', 'system', 'internal'] },
      requestId: {
        type: 'string',
        description: 'The request id, as in the `X-Request-Id` response header: quote it when reporting a problem.',
      },
    },
  },
  QueryNode: {
    type: 'object',
    description:
      'A node of the query tree. Groups: `{op: "and"|"or", implicit?: true, children}` (`implicit`: parts side by side, ' +
      'combined by `matchingStrategy`; a `not` child excludes within the group); `{op: "not", child}`. Leaves: ' +
      '`{type: "word", form, prefix, field?}`, `{type: "phrase", forms, slop?, field?}`, `{type: "wildcard", pattern, field?}`, ' +
      '`{type: "near", distance, ordered, unit?, operands}` (`unit`: `paragraph` for `w/p` and `SAME`, `sentence` for `w/s`; ' +
      'then `distance` does not count), `{type: "atleast", form, count}` (`atleastN:word`), `{type: "meta", field, forms}` ' +
      '(`field` of a leaf: `title` or `lead`, the headline and the first paragraph; of meta: ' +
      '`author`, `source`, `section`, `tag`, `person`, `org` or `place`).',
    properties: {
      op: { type: 'string', enum: ['and', 'or', 'not'] },
      implicit: { type: 'boolean' },
      children: { type: 'array', items: { $ref: '#/components/schemas/QueryNode' } },
      child: { $ref: '#/components/schemas/QueryNode' },
      type: { type: 'string', enum: ['word', 'phrase', 'wildcard', 'near', 'atleast', 'meta'] },
      form: { type: 'string' },
      prefix: { type: 'boolean' },
      forms: { type: 'array', items: { type: 'string' } },
      slop: { type: 'integer', minimum: 1, maximum: 100 },
      pattern: { type: 'string' },
      distance: { type: 'integer', minimum: 0, maximum: 100 },
      ordered: { type: 'boolean' },
      unit: { type: 'string', enum: ['paragraph', 'sentence'] },
      count: {
        type: 'integer',
        minimum: 1,
        maximum: 1000,
        description: 'Of `atleast`: the fewest occurrences of the word (any form) in the paragraphs.',
      },
      operands: { type: 'array', items: { $ref: '#/components/schemas/QueryNode' } },
      field: {
        type: 'string',
        enum: ['title', 'lead', 'author', 'source', 'section', 'tag', 'person', 'org', 'place'],
      },
    },
  },
  Highlight: {
    type: 'object',
    required: ['start', 'length', 'term', 'kind'],
    description: '`text.slice(start, start + length)` is the matched word. Sorted and disjoint.',
    properties: {
      start: { type: 'integer', minimum: 0, description: 'UTF-16 code units into `text`.' },
      length: { type: 'integer', minimum: 1, description: 'UTF-16 code units.' },
      term: { type: 'string', description: 'The query word (or phrase) it matched.' },
      kind: {
        type: 'string',
        enum: ['exact', 'stem', 'prefix', 'wildcard', 'typo', 'synonym'],
        description:
          '`wildcard`: a word matched by a `*`/`?` pattern; `synonym`: a word of the synonym set (`PUT /synonyms`) standing for `term`, the query word or words.',
      },
    },
  },
  Snippet: {
    type: 'object',
    required: ['paragraphId', 'paragraphIndex', 'score', 'text', 'html', 'highlights', 'croppedStart', 'croppedEnd'],
    properties: {
      paragraphId: { type: 'string', description: '`<articleId>#p<paragraphIndex>`.' },
      paragraphIndex: { type: 'integer', minimum: 0 },
      score: { type: 'number' },
      text: { type: 'string', description: 'Plain text; `…` where the paragraph was cut.' },
      html: {
        type: 'string',
        description: '`text` with `& < > " \'` escaped and highlights in `<mark>`; no other tag.',
      },
      highlights: { type: 'array', items: { $ref: '#/components/schemas/Highlight' } },
      croppedStart: { type: 'boolean' },
      croppedEnd: { type: 'boolean' },
    },
  },
  ArticleMeta: {
    type: 'object',
    required: ['articleId', 'title', 'date', 'authors', 'source', 'section', 'url', 'tags'],
    properties: {
      articleId: { type: 'string' },
      title: { type: 'string' },
      date: { ...nullableString, description: '`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`.' },
      authors: { type: 'array', items: { type: 'string' } },
      source: nullableString,
      section: nullableString,
      url: nullableString,
      tags: { type: 'array', items: { type: 'string' } },
    },
  },
  Hit: {
    allOf: [
      { $ref: '#/components/schemas/ArticleMeta' },
      {
        type: 'object',
        required: ['titleHtml', 'score', 'matchingParagraphs', 'snippets'],
        properties: {
          titleHtml: { type: 'string' },
          score: { type: 'number' },
          matchingParagraphs: { type: 'integer' },
          snippets: { type: 'array', items: { $ref: '#/components/schemas/Snippet' } },
          duplicates: {
            type: 'object',
            description:
              "With `duplicates=group`: the other members of the hit's group of near-duplicates (earliest first; at most 100 ids listed, `count` covers all).",
            required: ['count', 'articleIds'],
            properties: { count: { type: 'integer' }, articleIds: { type: 'array', items: { type: 'string' } } },
          },
          correctedAt: {
            type: 'string',
            format: 'date-time',
            description: 'When the current version replaced an earlier one; absent when the article never changed.',
          },
        },
      },
    ],
  },
  SearchResponse: {
    type: 'object',
    required: [
      'query',
      'parsedQuery',
      'hits',
      'page',
      'hitsPerPage',
      'totalHits',
      'totalHitsRelation',
      'totalPages',
      'totalParagraphs',
      'maxTotalHits',
      'typoTolerance',
      'correctedQuery',
      'exhaustive',
      'facetDistribution',
      'processingTimeMs',
    ],
    properties: {
      query: { type: 'string' },
      parsedQuery: {
        type: 'object',
        required: ['terms', 'phrases', 'excluded', 'ignored'],
        properties: {
          terms: { type: 'array', items: { type: 'string' } },
          phrases: { type: 'array', items: { type: 'string' } },
          excluded: { type: 'array', items: { type: 'string' } },
          ignored: { type: 'array', items: { type: 'string' } },
          tree: {
            $ref: '#/components/schemas/QueryNode',
            description:
              'Present when the query uses syntax beyond words, phrases, `-` and `OR`: the query tree that ran.',
          },
          synonyms: {
            type: 'array',
            description:
              'Present when the synonym set (`PUT /synonyms`) expanded the query: each query word (or words side by side, or quoted phrase) and the synonyms searched beside it.',
            items: {
              type: 'object',
              required: ['from', 'to'],
              properties: { from: { type: 'string' }, to: { type: 'array', items: { type: 'string' } } },
            },
          },
        },
      },
      hits: { type: 'array', items: { $ref: '#/components/schemas/Hit' } },
      page: { type: 'integer' },
      hitsPerPage: { type: 'integer' },
      totalHits: {
        type: 'integer',
        description:
          'Matching articles; with `duplicates=group`, matching groups (an article without duplicates is a group of its own).',
      },
      totalHitsRelation: {
        type: 'string',
        enum: ['eq', 'gte'],
        description:
          '`eq`: `totalHits`, `totalPages` and `totalParagraphs` are exact; `gte`: lower bounds (top-k evaluation, see the `totals` parameter), `totalHits` then at most 1,000 (`maxTotalHits`: more than that are reported as 1,000).',
      },
      totalArticles: {
        type: 'integer',
        description: 'With `duplicates=group` only: the matching articles, which `facetDistribution` counts.',
      },
      totalPages: { type: 'integer' },
      totalParagraphs: { type: 'integer' },
      maxTotalHits: { type: 'integer', const: 1000 },
      typoTolerance: { type: 'boolean', description: 'True when typo tolerance found (some of) the hits.' },
      correctedQuery: {
        ...nullableString,
        description:
          'The query as corrected. With the typo fallback (nothing matched as typed), the hits are for it and `typoTolerance` is true; otherwise it is offered ("did you mean") when a rare word of the query has a far more common word within its typo budget, and the hits are for the query as typed.',
      },
      exhaustive: {
        type: 'boolean',
        description:
          'False when a bound on query cost cut the work short: phrase or NEAR checks over very common words left candidates unchecked, a wildcard (`wom?n`, `polit*`) matched more words than it expands to, or the time budget (`SEARCH_BUDGET_MS`) ran out, so that clauses were left unscored, later hits have one snippet, or facets are missing. The hits are then a subset.',
      },
      facetDistribution: {
        type: 'object',
        additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
      },
      processingTimeMs: { type: 'number' },
    },
  },
  Article: {
    allOf: [
      { $ref: '#/components/schemas/ArticleMeta' },
      {
        type: 'object',
        required: ['entities', 'titleHtml', 'query', 'typoTolerance', 'paragraphs'],
        properties: {
          entities: {
            type: 'object',
            required: ['people', 'orgs', 'places'],
            description:
              'The people, organisations and places the article names, one name each (the longest it uses: `Fils-Aimé` is ' +
              '`Alix Didier Fils-Aimé`), in order of first mention: the values of the `person`, `org` and `place` facets and filters.',
            properties: {
              people: { type: 'array', items: { type: 'string' } },
              orgs: { type: 'array', items: { type: 'string' } },
              places: { type: 'array', items: { type: 'string' } },
            },
          },
          titleHtml: { type: 'string' },
          query: nullableString,
          typoTolerance: { type: 'boolean' },
          paragraphs: {
            type: 'array',
            items: {
              type: 'object',
              required: ['paragraphId', 'paragraphIndex', 'text'],
              properties: {
                paragraphId: { type: 'string' },
                paragraphIndex: { type: 'integer' },
                text: { type: 'string' },
                html: { type: 'string', description: 'With `q` only.' },
                highlights: {
                  type: 'array',
                  items: { $ref: '#/components/schemas/Highlight' },
                  description: 'With `q` only.',
                },
              },
            },
          },
        },
      },
    ],
  },
} as const;
