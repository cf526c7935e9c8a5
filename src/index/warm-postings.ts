import type { ArchiveIndex } from './archive-index.js';
import { postingsCacheBytes } from './postings-cache.js';
import { decodeAllBlocks } from './term-postings.js';

/**
 * Decodes the postings of the most frequent terms into the postings cache, most
 * frequent first, until `budget` postings (default: half the cache, 6 bytes each) are held, so
 * that the first queries after a start do not each pay to decode "the" or "said".
 * Works in slices of about `sliceMs` milliseconds, yielding to the event loop
 * between them (requests keep being served); stops early when the index changes.
 * Returns the number of postings decoded.
 */
export async function warmPostings(
  index: ArchiveIndex,
  budget = postingsCacheBytes() / 2 / 6,
  sliceMs = 5,
): Promise<number> {
  const generation = index.generation;
  let sliceStart = performance.now();
  /** Yields to the event loop once the slice is spent (the listing of terms too: 100,000s of them at scale). */
  const pause = async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
  // Start after the requests already waiting (the first health probe among them).
  await new Promise((resolve) => setImmediate(resolve));
  const frequent = new Map<string, number>();
  for (const c of ['p', 't'] as const) {
    for (const segment of index.segments) {
      // Terms in at least 1 of 5,000 of the segment's documents: the ones worth decoding ahead.
      const floor = Math.max(2, (c === 'p' ? segment.paragraphCount : segment.articleCount) / 5000);
      for (let i = 0; i < segment.termCount(c); i++) {
        const df = segment.termDf(c, i);
        if (df >= floor) {
          const key = c + segment.term(c, i);
          frequent.set(key, (frequent.get(key) ?? 0) + df);
        }
        if ((i & 4095) === 4095) await pause();
      }
      if (index.latest.generation !== generation) return 0;
    }
  }
  const order = [...frequent].sort((a, b) => b[1] - a[1]);
  let decoded = 0;
  sliceStart = performance.now();
  for (const [key, df] of order) {
    if (index.latest.generation !== generation || decoded + df > budget) break;
    const postings = index.termPostings(key[0] === 'p' ? 'paragraphs' : 'titles', key.slice(1));
    if (postings) decodeAllBlocks(postings);
    decoded += df;
    await pause();
  }
  return decoded;
}
