import { describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/article.js';
import { buildIndex } from '../src/index/index-writer.js';
import { resultClarity } from '../src/query/execute/result-clarity.js';
import { keepsFeedback } from '../src/query/execute/feedback.js';
import { makeArticle } from './fixtures/http/build-test-index.js';

/** A one-paragraph article. */
const article = (id: string, text: string): Article => makeArticle({ id, title: '', paragraphs: [text] });

const texts: Record<string, string> = {
  'eruption-1': 'The volcano eruption sent lava and ash over the island.',
  'eruption-2': 'Lava flowed from the volcano after the eruption; ash fell on the island.',
  'eruption-3': 'After the eruption the volcano was quiet, but lava and ash still covered the island.',
  football: 'The island football team won on Saturday.',
  budget: 'The council passed the island budget after a long meeting.',
};
/** Filler paragraphs, so that the archive's own language model is not about volcanoes. */
const filler = Array.from({ length: 40 }, (_, i) =>
  article(`filler-${i}`, `The council met on day ${i} and the meeting was long.`),
);
const index = buildIndex([...Object.entries(texts).map(([id, text]) => article(id, text)), ...filler]);

describe('the clarity of a result list (Cronen-Townsend et al. 2002)', () => {
  const eruptions = [texts['eruption-1']!, texts['eruption-2']!, texts['eruption-3']!];
  const mixed = [texts['eruption-1']!, texts.football!, texts.budget!];

  it('is higher for passages about one subject than for passages about three', () => {
    // The three eruption reports share volcano, eruption, lava and ash, words the archive rarely uses.
    expect(resultClarity(index, eruptions)).toBeGreaterThan(resultClarity(index, mixed));
  });

  it('is a property of the set of passages: any order gives the same value, to the bit', () => {
    expect(resultClarity(index, [...eruptions].reverse())).toBe(resultClarity(index, eruptions));
  });

  it('is 0 for no passages and never negative', () => {
    expect(resultClarity(index, [])).toBe(0);
    expect(resultClarity(index, [filler[0]!.paragraphs[0]!])).toBeGreaterThanOrEqual(0);
  });
});

describe('the feedback decision (selective expansion by clarity)', () => {
  /** A pass whose best articles are `ids`, best first, each by its one paragraph. */
  const pass = (ids: string[]) => {
    const paraScore = new Float64Array(index.paraArticle.length);
    const top = ids.map((id) => index.ordOf(id));
    top.forEach((ord, i) => {
      paraScore[index.articleFirstPara[ord]!] = ids.length - i;
    });
    return { paraScore, top };
  };

  /** Whether the feedback pass with best articles `second` replaces the query's own, `first`. */
  const keeps = (first: string[], second: string[]) => keepsFeedback(index, pass(first), pass(second));
  const eruptions = ['eruption-1', 'eruption-2', 'eruption-3'];
  const mixed = ['eruption-1', 'football', 'budget'];

  it('keeps the feedback ranking when its best articles are more about one subject than the query’s own', () => {
    expect(keeps(mixed, eruptions)).toBe(true);
  });

  it('sets it aside when it drifted to a mix of subjects', () => {
    expect(keeps(eruptions, mixed)).toBe(false);
  });

  it('keeps it when it only reorders the same best articles (equally clear)', () => {
    expect(keeps(['eruption-1', 'eruption-2', 'football'], ['football', 'eruption-2', 'eruption-1'])).toBe(true);
  });
});
