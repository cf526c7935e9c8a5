import { isStemTerm, stemTerm } from '../../analysis/index-terms.js';
import type { Lexicon } from '../../index/lexicon/lexicon.js';
import { expandGlob } from './wildcard.js';

/** How a document word matched a query word. */
export type MatchKind = 'exact' | 'stem' | 'prefix' | 'wildcard' | 'typo' | 'synonym';

/** One index term a query word expands to, with the weight its BM25 score is multiplied by. */
export interface TermExpansion {
  term: string;
  kind: MatchKind;
  weight: number;
}

/**
 * Weights. The stem term carries the word's full BM25 weight, as in an engine that
 * indexes stems only (SQLite FTS5 with porter); the exact form adds a tenth again, so
 * that an exact form outranks a stem-only match of the same word ("running" over "runs")
 * without outweighing a second query word (0.5 did, and cost 1–4 % nDCG@10: `bench/results/RELEVANCE.md`).
 * Prefix and typo weights follow MiniSearch's defaults (0.375, 0.45), decaying with
 * the number of letters added or edited. A wildcard (`wom?n`) is written as a whole word, so each
 * form it matches weighs as a word's stem term does. A synonym (`synonyms.ts`) weighs half the
 * word the reporter typed: it is found, and ranks below the same article with the typed word.
 */
export const WEIGHTS = { exact: 0.1, stem: 1, prefix: 0.375, wildcard: 1, typo: 0.45, synonym: 0.5 } as const;

/** Most word forms a prefix expands to (the most frequent ones are kept). */
export const MAX_PREFIX_TERMS = 30;
/**
 * Most documents the prefix expansions of one word may cover together (the
 * most frequent word is always kept): bounds the cost of a one- or two-letter
 * prefix, whose 30 most frequent completions would otherwise cover most of the archive.
 */
export const MAX_PREFIX_POSTINGS = 150_000;
/** Most word forms a typo expands to (fewest edits first, then most frequent). */
export const MAX_TYPO_TERMS = 8;

/** Typos allowed for a word form: none under 5 letters, 1 from 5, 2 from 9; only for alphabetic words. */
export function typoBudget(form: string): number {
  if (!/^[a-z]+$/.test(form)) return 0;
  if (form.length >= 9) return 2;
  if (form.length >= 5) return 1;
  return 0;
}

/**
 * The index terms a query word matches: its form (exact), its stem term (stem),
 * with `prefix`, the most frequent longer word forms it begins (never stems: a
 * half-typed word is a prefix of words, not of stems; chosen from the lexicon), and
 * with `typos`, word forms within {@link typoBudget} edits, looked up in the lexicon.
 * Bounded: at most {@link MAX_PREFIX_TERMS} prefix terms covering at most
 * {@link MAX_PREFIX_POSTINGS} documents, and {@link MAX_TYPO_TERMS} typo terms.
 * `cut`, when given, is set to true when a bound left prefix completions out.
 */
export function expandWord(
  lexicon: Lexicon,
  form: string,
  options: { prefix: boolean; typos: boolean },
  cut?: { value: boolean },
): TermExpansion[] {
  const expansions: TermExpansion[] = [
    { term: form, kind: 'exact', weight: WEIGHTS.exact },
    { term: stemTerm(form), kind: 'stem', weight: WEIGHTS.stem },
  ];
  const seen = new Set([form]);
  if (options.prefix) {
    let postings = 0;
    const completions = lexicon.completions(form, MAX_PREFIX_TERMS + (cut ? 1 : 0), true);
    if (cut && completions.length > MAX_PREFIX_TERMS) cut.value = true;
    for (const { form: term, df } of completions.slice(0, MAX_PREFIX_TERMS)) {
      // Most frequent first; stop once the expansions would read too many postings.
      if (postings > 0 && postings + df > MAX_PREFIX_POSTINGS) {
        if (cut) cut.value = true;
        break;
      }
      postings += df;
      const added = term.length - form.length;
      seen.add(term);
      expansions.push({ term, kind: 'prefix', weight: (WEIGHTS.prefix * term.length) / (term.length + 0.3 * added) });
    }
  }
  const budget = options.typos ? typoBudget(form) : 0;
  if (budget > 0) {
    const candidates = new Map<string, number>();
    for (const [term, distance] of lexicon.fuzzy(form, budget)) {
      if (distance === 0 || isStemTerm(term) || seen.has(term)) continue;
      candidates.set(term, distance);
    }
    const best = [...candidates]
      .map(([term, distance]) => ({ term, distance, df: lexicon.frequency(term) }))
      .sort((a, b) => a.distance - b.distance || b.df - a.df || (a.term < b.term ? -1 : 1))
      .slice(0, MAX_TYPO_TERMS);
    for (const { term, distance } of best) {
      expansions.push({ term, kind: 'typo', weight: (WEIGHTS.typo * term.length) / (term.length + distance) });
    }
  }
  return expansions;
}

/**
 * The index terms of a one-word synonym `form` of a query word, at `share` of a synonym's
 * weight (1, or 1/n when n query words side by side have it): its form and its stem term,
 * as a typed word's, both of kind `synonym` and scaled by {@link WEIGHTS}`.synonym`.
 */
export function synonymExpansions(form: string, share: number): TermExpansion[] {
  const weight = WEIGHTS.synonym * share;
  return [
    { term: form, kind: 'synonym', weight: WEIGHTS.exact * weight },
    { term: stemTerm(form), kind: 'synonym', weight: WEIGHTS.stem * weight },
  ];
}

/**
 * The index terms a wildcard pattern (`wom?n`, `gov*ment`) matches: the most frequent word forms
 * of the lexicon that match it (never stems), within the bounds of prefixes: at most
 * {@link MAX_PREFIX_TERMS}-like {@link expandGlob} forms covering at most {@link MAX_PREFIX_POSTINGS}
 * documents, testing at most `maxTests` lexicon forms. `complete` is false when a bound left
 * matching forms out; `tested` counts the forms tested.
 */
export function expandPattern(
  lexicon: Lexicon,
  pattern: string,
  maxTests?: number,
): { expansions: TermExpansion[]; complete: boolean; tested: number } {
  const { forms, complete, tested } = expandGlob(lexicon, pattern, maxTests);
  const expansions: TermExpansion[] = [];
  let postings = 0;
  for (const { form, df } of forms) {
    if (postings > 0 && postings + df > MAX_PREFIX_POSTINGS) return { expansions, complete: false, tested };
    postings += df;
    expansions.push({ term: form, kind: 'wildcard', weight: WEIGHTS.wildcard });
  }
  return { expansions, complete, tested };
}
