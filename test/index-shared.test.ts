/**
 * Optional large test: the whole shared reference corpus (21,137 articles,
 * about 115,000 paragraphs) indexed, searched, and cut into many segments. Skips with a message when `../shared/corpora` is absent.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { buildIndex } from '../src/index/index-writer.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';

const SHARED_CORPORA = fileURLToPath(new URL('../../shared/corpora/', import.meta.url));
const exists = existsSync(SHARED_CORPORA);
if (!exists) console.log('skipped: ../shared/corpora not found (the large-corpus index test needs it)');

describe('the index over the shared reference corpora', () => {
  it.skipIf(!exists)(
    'indexes every paragraph, finds the seed, and cut into many segments it answers exactly like one segment',
    async () => {
      const { articles } = await readCorpus(SHARED_CORPORA);
      const index = buildIndex(articles);
      expect(index.articleCount).toBe(articles.length);
      expect(index.paragraphCount).toBe(articles.reduce((n, a) => n + a.paragraphs.length, 0));
      expect(index.paragraphCount).toBeGreaterThan(110_000);

      const displaced = searchArchive(index, withDefaults({ q: 'internally displaced haiti' }));
      expect(displaced.hits[0]!.articleId).toBe('seed/haiti-soldiers-mexico-training');

      // Reuters tickers such as <CH> are found by their letters.
      expect(searchArchive(index, withDefaults({ q: 'ch', prefix: 'off' })).totalHits).toBeGreaterThan(0);

      const restored = buildIndex(articles, { segmentArticles: 2_000 });
      for (const q of [
        'oil prices',
        'bank of england',
        '"interest rates"',
        'gov',
        'goverment',
        'coffee -brazil',
        'tax OR budget',
      ]) {
        const a = searchArchive(index, withDefaults({ q }));
        const b = searchArchive(restored, withDefaults({ q }));
        expect(b.totalHits, q).toBe(a.totalHits);
        expect(
          b.hits.map((h) => [h.articleId, h.score]),
          q,
        ).toEqual(a.hits.map((h) => [h.articleId, h.score]));
      }
    },
    180_000,
  );
});
