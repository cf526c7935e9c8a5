import { describe, expect, it } from 'vitest';
import { buildIndex } from '../src/index/index-writer.js';
import { memoryWriter } from './helpers/memory-writer.js';
import { warmPostings } from '../src/index/warm-postings.js';
import { searchArchive } from '../src/query/search-archive.js';
import { withDefaults } from '../src/query/search-params.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';

const articles = syntheticArticles(300, 11);

describe('warming the postings cache', () => {
  it('decodes the most frequent terms within its budget and leaves every answer as it was', async () => {
    const cold = buildIndex(articles);
    const warm = buildIndex(articles);
    const decoded = await warmPostings(warm, 20_000, 1);
    expect(decoded).toBeGreaterThan(0);
    expect(decoded).toBeLessThanOrEqual(20_000);
    for (const q of ['the', 'government oil', 'gov', '"oil price"']) {
      const a = { ...searchArchive(cold, withDefaults({ q })), processingTimeMs: 0 };
      const b = { ...searchArchive(warm, withDefaults({ q })), processingTimeMs: 0 };
      expect(b, q).toEqual(a);
    }
  });

  it('stops when the index changes while it works', async () => {
    const full = await warmPostings(buildIndex(articles), 10_000_000, 0);
    const writer = memoryWriter(articles);
    const warming = warmPostings(writer.reader, 10_000_000, 0);
    writer.deleteArticles([articles[0]!.id]);
    writer.refresh();
    // It yields after its first term (a 0 ms slice), finds the index changed, and stops.
    expect(await warming).toBeLessThan(full);
  });
});
