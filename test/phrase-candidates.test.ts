import { describe, expect, it } from 'vitest';
import { tokenize } from '../src/analysis/tokenize.js';
import { IdList } from '../src/index/id-list.js';
import { buildIndex } from '../src/index/index-writer.js';
import type { ArchiveIndex } from '../src/index/archive-index.js';
import { PhraseChecker } from '../src/query/execute/phrase-checker.js';
import { acquireMatches } from '../src/query/execute/query-matches.js';
import { createFastScorer } from '../src/query/execute/term-scorer.js';
import { seededRandom, syntheticArticles } from './helpers/synthetic-articles.js';

/** The phrase's scores by document, per collection, as `PhraseChecker.accumulate` adds them (filter: articles that may match). */
function phraseScores(index: ArchiveIndex, forms: string[], filter: Uint8Array | null) {
  const matches = acquireMatches(index.paraArticle.length, index.articleSlots, 1);
  const checker = new PhraseChecker(index, createFastScorer(index), filter, matches);
  const para = new Float64Array(index.paraArticle.length);
  const title = new Float64Array(index.titleArticle.length);
  const paraTouched = new IdList();
  const titleTouched = new IdList();
  checker.accumulate(forms, para, paraTouched, title, titleTouched);
  const scores = (s: Float64Array) => [...s.entries()].filter(([, v]) => v !== 0);
  return { paragraphs: scores(para), titles: scores(title) };
}

describe('phrases of three words or more', () => {
  it('score the same documents with the same sums whether their forms are galloped (nothing filtered) or intersected (a filter)', () => {
    // Three segments of blocks of 128 postings and more: "the" and "of" in most paragraphs.
    const index = buildIndex(syntheticArticles(400, 7), { segmentArticles: 150 });
    const random = seededRandom(3);
    // Phrases taken from the paragraphs' own tokens (most hold somewhere), and some shuffled (most do not).
    const phrases: string[][] = [];
    for (let n = 0; n < 60; n++) {
      const doc = Math.floor(random() * index.paraArticle.length);
      const forms = tokenize(index.paragraphText(doc)).map((t) => t.form);
      const length = 3 + (n % 3);
      const at = Math.floor(random() * Math.max(1, forms.length - length));
      const phrase = forms.slice(at, at + length);
      if (phrase.length < 3) continue;
      phrases.push(n % 4 === 3 ? [phrase[1]!, phrase[0]!, ...phrase.slice(2)] : phrase);
    }
    const everything = new Uint8Array(index.articleSlots).fill(1);
    let held = 0;
    for (const forms of phrases) {
      const galloped = phraseScores(index, forms, null);
      const intersected = phraseScores(index, forms, everything);
      // Bit for bit: the sums made in the same order.
      expect(galloped, forms.join(' ')).toEqual(intersected);
      held += galloped.paragraphs.length;
    }
    expect(phrases.length).toBeGreaterThan(40);
    expect(held).toBeGreaterThan(30);
  });
});
