/**
 * The benchmark's query set, drawn from the corpus itself (pure: articles in,
 * queries out, deterministic for a seed).
 */
import type { Article } from '../../src/corpus/article.js';
import { tokenize } from '../../src/analysis/tokenize.js';
import { pick, seededRandom } from './seeded-random.js';

/** Document-frequency band of a query's anchor word, counted in paragraphs. */
export type Band = 'common' | 'middle' | 'rare';

/** Band limits in paragraphs containing the word (inclusive lower bounds). */
export interface BandLimits {
  /** A word in at least this many paragraphs is common. Default 1,000. */
  common: number;
  /** A word in at least this many (and fewer than `common`) is middle. Default 50. */
  middle: number;
  /** A word in at least this many (and fewer than `middle`) is rare. Default 2. */
  rare: number;
}

/** One benchmark query. */
export interface BenchQuery {
  /** The query text: 1–3 lowercase words separated by one space. */
  q: string;
  /** Number of words (1–3). */
  words: number;
  /** Band of the anchor word (the word the query was built around). */
  band: Band;
  /** Paragraphs containing the anchor word. */
  anchorDf: number;
  /** Largest paragraph document frequency among the query's words (drives the cost). */
  maxDf: number;
}

/** The committed query set (`bench/queries.json`). */
export interface QuerySet {
  seed: number;
  /** How the set was made, in words, for the report. */
  description: string;
  bands: BandLimits;
  /** Paragraphs the document frequencies were counted over. */
  paragraphs: number;
  queries: BenchQuery[];
  /** As-you-type: each entry is one word typed letter by letter (`g`, `go`, `gov`, …). */
  typing: { word: string; prefixes: string[] }[];
  /** Inputs of the hostile-query check. */
  hostile: { commonWords: string[]; typoWords: string[] };
  /**
   * Untimed warm-up queries run by every system before its timed pass: drawn
   * like `queries` with another seed, none of them in `queries`, lengths 1–3
   * interleaved, so every code path is compiled before timing starts.
   */
  warmup?: string[];
}

/** Options of {@link makeQuerySet}. */
export interface QuerySetOptions {
  seed?: number;
  /** Queries of each length 1, 2 and 3 words. Default 100 (300 in all). */
  perLength?: number;
  /** Words typed letter by letter. Default 20. */
  typingWords?: number;
  bands?: BandLimits;
}

const DEFAULT_BANDS: BandLimits = { common: 1000, middle: 50, rare: 2 };
const WORD = /^[a-z]{3,}$/;

/**
 * Draws queries from `articles`: for each query a band (cycling common, middle,
 * rare), a random anchor word of that band, a random paragraph containing it, and
 * for 2–3 word queries further words of that same paragraph in their order there,
 * so multi-word queries have at least one paragraph matching all their words.
 * Only alphabetic forms of 3+ letters are used; the shared tokenizer gives the forms.
 * When the corpus is too small for a band, the nearest populated band is used.
 */
export function makeQuerySet(articles: readonly Article[], options: QuerySetOptions = {}): QuerySet {
  const seed = options.seed ?? 20261126;
  const perLength = options.perLength ?? 100;
  const typingWords = options.typingWords ?? 20;
  const bands = options.bands ?? DEFAULT_BANDS;
  const random = seededRandom(seed);

  // Each paragraph as its word forms (in order) and the postings of every form.
  const paragraphs: string[][] = [];
  const postings = new Map<string, number[]>();
  for (const article of articles) {
    for (const text of article.paragraphs) {
      const forms = tokenize(text)
        .map((t) => t.form)
        .filter((f) => WORD.test(f));
      const id = paragraphs.length;
      paragraphs.push(forms);
      for (const form of new Set(forms)) {
        const list = postings.get(form);
        if (list) list.push(id);
        else postings.set(form, [id]);
      }
    }
  }
  const df = (form: string) => postings.get(form)?.length ?? 0;
  const bandOf = (n: number): Band | null =>
    n >= bands.common ? 'common' : n >= bands.middle ? 'middle' : n >= bands.rare ? 'rare' : null;
  const byBand: Record<Band, string[]> = { common: [], middle: [], rare: [] };
  for (const form of [...postings.keys()].sort()) {
    const band = bandOf(df(form));
    if (band) byBand[band].push(form);
  }
  const order: Band[] = ['common', 'middle', 'rare'];
  const populated = (band: Band): Band => {
    if (byBand[band].length) return band;
    const other = order.find((b) => byBand[b].length);
    if (!other) throw new Error('the corpus has no word of 3+ letters in two paragraphs');
    return other;
  };

  const queries: BenchQuery[] = [];
  const seen = new Set<string>();
  for (let words = 1; words <= 3; words++) {
    let made = 0;
    for (let attempt = 0; made < perLength && attempt < perLength * 50; attempt++) {
      const band = populated(order[made % 3]!);
      const anchor = pick(random, byBand[band]);
      const para = paragraphs[pick(random, postings.get(anchor)!)]!;
      const others = [...new Set(para)].filter((f) => f !== anchor);
      if (others.length < words - 1) continue;
      const chosen = new Set([anchor]);
      while (chosen.size < words) chosen.add(pick(random, others));
      const ordered = [...new Set(para)].filter((f) => chosen.has(f));
      const q = ordered.join(' ');
      if (seen.has(q)) continue;
      seen.add(q);
      queries.push({ q, words, band, anchorDf: df(anchor), maxDf: Math.max(...ordered.map(df)) });
      made++;
    }
  }

  const typingPool = [...byBand.common, ...byBand.middle].filter((f) => f.length >= 6 && f.length <= 10);
  const typing: QuerySet['typing'] = [];
  const typed = new Set<string>();
  for (let attempt = 0; typing.length < typingWords && attempt < typingWords * 50 && typingPool.length; attempt++) {
    const word = pick(random, typingPool);
    if (typed.has(word)) continue;
    typed.add(word);
    typing.push({ word, prefixes: [...word].map((_, i) => word.slice(0, i + 1)) });
  }

  const commonWords = [...postings.keys()].sort((a, b) => df(b) - df(a) || (a < b ? -1 : 1)).slice(0, 32);
  const longWords = [...byBand.middle, ...byBand.rare].filter((f) => f.length >= 9);
  const typoWords: string[] = [];
  for (let attempt = 0; typoWords.length < 32 && attempt < 2000 && longWords.length; attempt++) {
    const word = pick(random, longWords);
    // Swap two inner letters: one edit away from a real word, so typo expansion has work to do.
    const i = 1 + Math.floor(random() * (word.length - 3));
    const typo = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    if (typo !== word && !postings.has(typo) && !typoWords.includes(typo)) typoWords.push(typo);
  }

  return {
    seed,
    description:
      `${queries.length} queries (${perLength} each of 1, 2 and 3 words); each built around an anchor word drawn ` +
      `in turn from the common (≥ ${bands.common} paragraphs), middle (${bands.middle}–${bands.common - 1}) and rare ` +
      `(${bands.rare}–${bands.middle - 1}) document-frequency bands, plus other words of one paragraph containing it; ` +
      `${typing.length} words (6–10 letters, common or middle band) typed letter by letter`,
    bands,
    paragraphs: paragraphs.length,
    queries,
    typing,
    hostile: { commonWords, typoWords },
  };
}
