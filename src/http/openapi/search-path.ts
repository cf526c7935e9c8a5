import { FACET_NAMES } from '../../query/search-params.js';
import { MAX_RECENCY_HALF_LIFE } from '../../query/execute/recency.js';
import { includeUnpublishedParameter } from './writes.js';
import { badQueryString, busy, commonErrors, errorResponse } from './responses.js';

/** `GET /search` in the OpenAPI document. */
export const searchPath = {
  get: {
    operationId: 'search',
    summary: 'Search the archive',
    description:
      'Query syntax (never an error; what cannot be used is listed in `parsedQuery.ignored`): words, ' +
      '`"a quoted phrase"` (adjacent, in order, exact forms), `-word` and `-"phrase"` (exclude), `a OR b`; ' +
      '`a AND b`, `NOT a` (as `-a`) and parentheses (precedence, loosest first: side by side per `matchingStrategy`, ' +
      '`OR`, `AND`, `NOT`, `NEAR`/`ADJ`; a NOT excludes within its group); `a NEAR/5 b` (one paragraph or headline, ' +
      "at most 5 words between, either order; `NEAR` = `NEAR/10`; Nexis's `w/5` = `NEAR/5`), `a ADJ/3 b` (the same, in order), " +
      '`a w/p b` or `a SAME b` (one paragraph or headline), `a w/s b` (one sentence: it ends at `.`, `!`, `?` before a space, ' +
      'never at the period of `Mr.`, `U.S.` or an initial), with phrases and `(x OR y)` groups as operands; ' +
      '`lead:word`, `lead:"a phrase"` (the headline or the first paragraph); `atleast3:word` (any form of the word at least ' +
      '3 times in the paragraphs); `"a b"~5` ' +
      '(sloppy phrase, slop 5); `polit*` (prefix) and `wom?n`, `gov*ment` (patterns: the 30 most frequent matching ' +
      'words; a leading wildcard is ignored); `title:word`, `title:"a phrase"` (headlines only), `author:` (or ' +
      '`byline:`), `source:`, `section:`, `tag:`, `person:`, `org:`, `place:` (words of that metadata or entity, folded: ' +
      '`author:rios` finds "Michael Ríos"). ' +
      'An unknown `foo:bar` is searched as its words, `foo:` listed as ignored. Operators are upper case.',
    parameters: [
      {
        name: 'q',
        in: 'query',
        description: 'The query. Empty: browse mode, newest first, lead paragraph as snippet.',
        schema: { type: 'string', maxLength: 512, default: '' },
      },
      {
        name: 'page',
        in: 'query',
        description: '1-based page. `page × hitsPerPage` may not exceed 1000.',
        schema: { type: 'integer', minimum: 1, maximum: 1000, default: 1 },
      },
      {
        name: 'hitsPerPage',
        in: 'query',
        description: 'Hits per page.',
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
      },
      {
        name: 'groupBy',
        in: 'query',
        description: '`article`: one hit per article with its best paragraphs; `none`: one hit per paragraph.',
        schema: { type: 'string', enum: ['article', 'none'], default: 'article' },
      },
      {
        name: 'snippetsPerArticle',
        in: 'query',
        description: 'With `groupBy=article`: matching paragraphs shown per article.',
        schema: { type: 'integer', minimum: 1, maximum: 5, default: 3 },
      },
      {
        name: 'cropLength',
        in: 'query',
        description: 'Snippet length in words; a shorter paragraph is returned whole.',
        schema: { type: 'integer', minimum: 10, maximum: 80, default: 30 },
      },
      {
        name: 'matchingStrategy',
        in: 'query',
        description:
          '`all`: every query term must match (in the article, or the paragraph with `groupBy=none`); `any`: at least one.',
        schema: { type: 'string', enum: ['all', 'any'], default: 'all' },
      },
      {
        name: 'prefix',
        in: 'query',
        description: '`last`: the last query word also matches as a word prefix (search as you type).',
        schema: { type: 'string', enum: ['last', 'off'], default: 'last' },
      },
      {
        name: 'typos',
        in: 'query',
        description:
          'Typo tolerance. `fallback`: only when nothing is found without it (`typoTolerance` is then true).',
        schema: { type: 'string', enum: ['auto', 'fallback', 'off'], default: 'fallback' },
      },
      {
        name: 'feedback',
        in: 'query',
        description:
          'Pseudo-relevance feedback (RM3). `auto`: a query of five words or more that weigh in the ranking (a word in half the paragraphs or more, such as "the", does not count), with `matchingStrategy=any`, `sort=relevance` ' +
          'and `groupBy=article`, is scored again with the words its ten best articles share, among the articles it matched ' +
          '(only its own words are marked); `off`: never.',
        schema: { type: 'string', enum: ['auto', 'off'], default: 'auto' },
      },
      {
        name: 'from',
        in: 'query',
        description:
          'Earliest publication time, inclusive: `YYYY-MM-DD` (start of that UTC day) or a date-time with `Z` or an offset ' +
          '(encode `+` as `%2B`). Empty = none.',
        schema: { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] },
      },
      {
        name: 'to',
        in: 'query',
        description:
          'Latest publication time, inclusive: `YYYY-MM-DD` (end of that UTC day) or a date-time. Not before `from`. Empty = none.',
        schema: { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] },
      },
      ...['source', 'section', 'author', 'tag', 'person', 'org', 'place'].map((name) => ({
        name,
        in: 'query',
        description: `Filter by ${name}${['person', 'org', 'place'].includes(name) ? ' named in the article (an entity: its whole name as the facet gives it)' : ''}, case-insensitive. Repeat for OR (\`${name}=a&${name}=b\`); different filters AND. Empty values are ignored.`,
        style: 'form',
        explode: true,
        schema: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 200 } },
      })),
      {
        name: 'sort',
        in: 'query',
        description: 'Order. Ties are broken by score, then article id.',
        schema: { type: 'string', enum: ['relevance', 'date:desc', 'date:asc'], default: 'relevance' },
      },
      {
        name: 'facets',
        in: 'query',
        description:
          'Comma list of facets to count in `facetDistribution` (articles, or paragraphs with `groupBy=none`): `source`, `section`, ' +
          '`author`, `tag`, `person`, `org`, `place` (the people, organisations and places the articles name, extracted when ' +
          'indexed) and `year` give at most 100 values, most frequent first; `month` (`2024-03`) gives every month with hits, ' +
          'in date order (a timeline). Undated articles are in no `year` or `month`.',
        style: 'form',
        explode: false,
        schema: { type: 'array', uniqueItems: true, items: { type: 'string', enum: [...FACET_NAMES] } },
      },
      {
        name: 'recencyHalfLife',
        in: 'query',
        description:
          'Prefer recent articles: each relevance score is multiplied by 0.5^(age in days / recencyHalfLife), so an article ' +
          'one half-life old scores half; an undated article a quarter. In days; 0 (the default): no preference. Not a sort: ' +
          '`sort=date:desc` orders by date alone.',
        schema: { type: 'integer', minimum: 0, maximum: MAX_RECENCY_HALF_LIFE, default: 0 },
      },
      {
        name: 'totals',
        in: 'query',
        description:
          '`atLeast` (the default): a query ranked by relevance, grouped by article, without `facets` and without ' +
          '`duplicates=group`, is evaluated top-k: the page, its scores and its order are exact, but articles that cannot ' +
          'reach the page may be left unscored; `totalHitsRelation` is then `gte`. An any-word query (`matchingStrategy=any`) ' +
          'of plain words evaluated block-max counts its matching articles up to 1,000 as a one-word query does (below); ' +
          'otherwise (a field, `atleastN:`, headlines outweighing the postings: MaxScore) it may stop counting, so ' +
          '`totalHits`, `totalPages` and `totalParagraphs` are lower bounds; an all-words ' +
          'query (the default mode, article at a time) still counts every matching article (`totalHits` and `totalPages` ' +
          'exact) but not their paragraphs (`totalParagraphs` a lower bound); a one-word query counts its matching ' +
          'articles up to 1,000 (the paging depth, `maxTotalHits`) and past that may stop (`totalHits` then 1,000, ' +
          "meaning at least that many, `totalPages` exact, `totalParagraphs` a lower bound), as Elasticsearch's " +
          '`track_total_hits`. A lower bound above 1,000 is always reported as 1,000. ' +
          '`exact`: everything is counted ' +
          '(`totalHitsRelation` is `eq`).',
        schema: { type: 'string', enum: ['exact', 'atLeast'], default: 'atLeast' },
      },
      {
        name: 'duplicates',
        in: 'query',
        description:
          '`show` (the default, as before): every matching article is a hit. `group`: one hit per group of near-duplicates (see ' +
          '`GET /articles/{articleId}/duplicates`), ranked where its best-ranked member is, its other members under `duplicates`; `totalHits` then counts ' +
          'groups and `totalArticles` articles (facets count articles). With `groupBy=none`, ignored. The search page asks for `group`.',
        schema: { type: 'string', enum: ['show', 'group'], default: 'show' },
      },
      {
        name: 'prefer',
        in: 'query',
        description:
          'With `duplicates=group`, which member stands for a group: `best` (the best-ranked; ties to the earliest), `original` (the earliest matching), `latest`.',
        schema: { type: 'string', enum: ['best', 'original', 'latest'], default: 'best' },
      },
      includeUnpublishedParameter,
    ],
    responses: {
      '200': {
        description: 'Search results.',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/SearchResponse' } } },
      },
      '400': errorResponse(
        badQueryString +
          '`invalid_search_q`, `invalid_search_page` (also for `page × hitsPerPage` > 1000), `invalid_search_hits_per_page`, ' +
          '`invalid_search_group_by`, `invalid_search_snippets_per_article`, `invalid_search_crop_length`, ' +
          '`invalid_search_matching_strategy`, `invalid_search_prefix`, `invalid_search_typos`, `invalid_search_feedback`, `invalid_search_from`, ' +
          '`invalid_search_to` (also for `to` before `from`), `invalid_search_sort`, `invalid_search_facets`, `invalid_search_duplicates`, `invalid_search_prefer`, `invalid_search_filter`, ' +
          '`invalid_search_recency_half_life`, `invalid_search_totals`, `invalid_include_unpublished`.',
      ),
      ...commonErrors,
      '503': busy,
    },
  },
};
