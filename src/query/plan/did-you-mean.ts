/**
 * "Did you mean": a correction offered beside the hits of the query as typed, when
 * a word of it is rare and a word one or two letters away is far more common
 * (`goverment budget` finds the one article with the same typo; `government budget`
 * finds hundreds). The typo fallback (`match-search.ts`) still runs the corrected
 * query when the typed one finds nothing; this only names the correction.
 *
 * Cost: a fuzzy walk (as typo expansion makes) of the lexicon's forms in at least
 * {@link CORRECTION_FACTOR} documents (the rare forms, most of a vocabulary, left out),
 * for each rare word only, at most {@link MAX_TYPO_WORDS}, and dictionary lookups of
 * document frequencies; no second search.
 *
 * The typo fallback's own correction (the query as its typo expansions matched) is
 * printed here too (`correctQuery`), so both kinds of `correctedQuery` read alike.
 */
import { stemTerm } from '../../analysis/index-terms.js';
import { stemForm } from '../../analysis/stem-form.js';
import type { ArchiveIndex } from '../../index/archive-index.js';
import { MAX_TYPO_WORDS } from './compile-plan.js';
import type { QueryPlan } from '../execute/execute-query.js';
import type { QueryMatches } from '../execute/query-matches.js';
import { typoBudget } from './expand-terms.js';
import type { ParsedQuery } from '../parse/parse-query.js';
import { printItem } from '../parse/query-tree.js';

/** A typed word is a candidate for correction only when its stem is in at most this many documents (paragraphs and headlines). */
export const MAX_TYPED_DOCUMENTS = 100;
/**
 * A correction is offered when its stem is in at least this many times the documents of the typed
 * word's stem; and the correction itself, as spelt, must be in at least this many documents (a
 * spelling seen a few times is no better a suggestion than the one typed).
 */
export const CORRECTION_FACTOR = 20;

/** Documents (paragraphs and headlines, deleted ones included: an estimate) holding a word of `form`'s stem. */
function stemDocuments(index: ArchiveIndex, form: string): number {
  const term = stemTerm(form);
  return index.storedDocumentFrequency('paragraphs', term) + index.storedDocumentFrequency('titles', term);
}

/** The correction of one word, or null: the nearest, then most common, form of another stem whose documents pass the factor. */
function correctWord(index: ArchiveIndex, form: string): string | null {
  const budget = typoBudget(form);
  if (budget === 0) return null;
  const typed = stemDocuments(index, form);
  if (typed > MAX_TYPED_DOCUMENTS) return null;
  const stem = stemForm(form);
  let best: { form: string; distance: number; frequency: number } | null = null;
  // Only spellings the archive uses in at least CORRECTION_FACTOR documents are offered: the walk skips the rare forms.
  for (const [candidate, distance] of index.lexicon.fuzzyAtLeast(form, budget, CORRECTION_FACTOR)) {
    if (distance === 0 || candidate.startsWith('~') || stemForm(candidate) === stem) continue;
    if (stemDocuments(index, candidate) < CORRECTION_FACTOR * Math.max(1, typed)) continue;
    // The nearest, then the most common spelling (a stem's rare misspellings share its documents).
    const frequency = index.lexicon.frequency(candidate);
    if (
      !best ||
      distance < best.distance ||
      (distance === best.distance &&
        (frequency > best.frequency || (frequency === best.frequency && candidate < best.form)))
    ) {
      best = { form: candidate, distance, frequency };
    }
  }
  return best?.form ?? null;
}

/**
 * Makes what the first correction would otherwise wait for: the list of forms a correction looks
 * in, as a trie (70 ms at a million articles). Part of the warm-up after start.
 */
export function warmCorrections(index: ArchiveIndex): void {
  index.lexicon.fuzzyAtLeast('', 0, CORRECTION_FACTOR);
}

/**
 * The query with each rare word replaced by a far more common word within its
 * typo budget, or null when no word is corrected (or the query is a tree, whose
 * printed form would not be the user's). Words are printed without their prefix
 * star, as the typo fallback's correction prints them; exclusions are kept.
 */
export function offerCorrection(index: ArchiveIndex, parsed: ParsedQuery, plan: QueryPlan): string | null {
  if (plan.match || parsed.extended) return null;
  let tried = 0;
  let corrected = false;
  // The items the query wrote (synonyms the plan added follow them, and are not printed).
  const words = plan.clauses.map((clause, c) =>
    clause
      .slice(0, parsed.clauses[c]!.length)
      .map((item, i) => {
        if (item.type !== 'word') return printItem(parsed.clauses[c]![i]!);
        const fix = item.field === undefined && tried++ < MAX_TYPO_WORDS ? correctWord(index, item.form) : null;
        if (fix !== null) corrected = true;
        return fix ?? item.form;
      })
      .join(' OR '),
  );
  if (!corrected) return null;
  words.push(...printedExclusions(parsed));
  return words.join(' ');
}

/** The query's exclusions as the query language writes them (`-word`, `-"a phrase"`). */
function printedExclusions(parsed: ParsedQuery): string[] {
  return parsed.excluded.map((excluded) => (excluded.includes(' ') ? `-"${excluded}"` : `-${excluded}`));
}

/** True when a typo expansion of a word of the query matched (the response's `typoTolerance`). */
export function usedTypos(plan: QueryPlan, matches: QueryMatches): boolean {
  return plan.clauses.some((c) =>
    c.some((i) => i.type === 'word' && i.expansions.some((e) => e.kind === 'typo' && matches.matchedTerms.has(e.term))),
  );
}

/** The query with each word that only matched through a typo replaced by its best correction. */
export function correctQuery(parsed: ParsedQuery, plan: QueryPlan, matches: QueryMatches): string {
  const words: string[] = [];
  plan.clauses.forEach((clause, c) => {
    // The items the query wrote (synonyms the plan added follow them, and are not printed).
    const parts = clause.slice(0, parsed.clauses[c]!.length).map((item, i) => {
      if (item.type !== 'word') return printItem(parsed.clauses[c]![i]!);
      const direct = item.expansions.some((e) => e.kind !== 'typo' && matches.matchedTerms.has(e.term));
      const typo = item.expansions.find((e) => e.kind === 'typo' && matches.matchedTerms.has(e.term));
      return !direct && typo ? typo.term : item.form;
    });
    words.push(parts.join(' OR '));
  });
  words.push(...printedExclusions(parsed));
  return words.join(' ');
}
