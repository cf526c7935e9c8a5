import type { ArchiveIndex } from '../../index/archive-index.js';
import {
  Highlighter,
  type MatchedPhrase,
  type MatchedProximity,
  type MatchedTerm,
} from '../../snippet/find-highlights.js';
import type { CompiledItem, QueryPlan } from '../execute/execute-query.js';
import { expandPattern, expandWord, typoBudget } from './expand-terms.js';
import type { ParsedQuery } from '../parse/parse-query.js';
import { operandMatcher, type CompiledProximityOperand } from '../execute/proximity-checker.js';
import type { ProximityOperand, QueryItem } from '../parse/query-tree.js';
import { MAX_WILDCARD_TESTS, MAX_WILDCARD_TESTS_PER_QUERY } from './wildcard.js';
import { addSynonyms, type AppliedSynonym } from './expand-synonyms.js';
import type { SynonymTable } from './synonyms.js';

/**
 * Most words of one query expanded with typos (the first ones that can have
 * typos): each costs a fuzzy walk of the term tree, a few milliseconds for a
 * long word, so 32 long misspelled words would block the process for 100 ms.
 */
export const MAX_TYPO_WORDS = 8;

/**
 * A plan, whether a bound on wildcard expansion left matching words out (then the search is not exhaustive),
 * and the synonym rules it used (`expand-synonyms.ts`).
 */
export type CompiledPlan = QueryPlan & { expansionsCut: boolean; synonyms: AppliedSynonym[] };

/**
 * The plan for a parsed query: words expanded into index terms (exact form, stem,
 * prefix completions for words marked `prefix`, typos when `typos` is set: the first
 * {@link MAX_TYPO_WORDS} words that can have them), patterns into the word forms they match,
 * sloppy phrases, NEAR/ADJ, `w/p` and `w/s` into proximities, `atleastN:` into a counted word; with `synonyms`,
 * the words' synonyms added beside them (`expand-synonyms.ts`). `prefix` is kept for callers: the parser
 * already marked the words to complete (the last one only when asked; `polit*` always).
 */
export function compilePlan(
  index: ArchiveIndex,
  parsed: ParsedQuery,
  options: { typos: boolean; prefix: boolean; synonyms?: SynonymTable },
): CompiledPlan {
  let typoWords = 0;
  const cut = { value: false };
  let testsLeft = MAX_WILDCARD_TESTS_PER_QUERY;
  const typosFor = (item: QueryItem) =>
    options.typos && item.type === 'word' && typoBudget(item.form) > 0 && typoWords++ < MAX_TYPO_WORDS;
  const operand = (item: ProximityOperand): CompiledProximityOperand => {
    if (item.type === 'phrase') return { expansions: [], forms: item.forms, label: item.forms.join(' ') };
    const compiled = compileItem(item, false);
    return {
      expansions: compiled.type === 'word' ? compiled.expansions : [],
      forms: null,
      label: item.type === 'word' ? item.form : item.pattern,
    };
  };
  const compileItem = (item: QueryItem, typos: boolean): CompiledItem => {
    const field = 'field' in item && (item.field === 'title' || item.field === 'lead') ? { field: item.field } : {};
    switch (item.type) {
      case 'word':
        // A starred word (`polit*`) reports a cut expansion, as a pattern does; the word being typed does not, as before.
        return {
          type: 'word',
          form: item.form,
          expansions: expandWord(
            index.lexicon,
            item.form,
            { prefix: item.prefix, typos },
            parsed.starred.has(item) ? cut : undefined,
          ),
          ...field,
        };
      case 'wildcard': {
        const { expansions, complete, tested } = expandPattern(
          index.lexicon,
          item.pattern,
          Math.min(MAX_WILDCARD_TESTS, testsLeft),
        );
        testsLeft -= tested;
        if (!complete) cut.value = true;
        return { type: 'word', form: item.pattern, expansions, ...field };
      }
      case 'phrase':
        if (item.slop === undefined) return { type: 'phrase', forms: item.forms, ...field };
        return {
          type: 'proximity',
          mode: 'slop',
          operands: item.forms.map((form) => ({
            expansions: [{ term: form, kind: 'exact', weight: 1 }],
            forms: null,
            label: form,
          })),
          distance: item.slop,
          ordered: true,
          ...field,
        };
      case 'near':
        return {
          type: 'proximity',
          mode: item.unit ?? 'near',
          operands: item.operands.map(operand),
          distance: item.distance,
          ordered: item.ordered,
        };
      case 'meta':
        return { type: 'meta', item };
      case 'atleast':
        // Scored as the word (exact form and stem); counted by its stem term, which every form of it is indexed under.
        return {
          type: 'word',
          form: item.form,
          expansions: expandWord(index.lexicon, item.form, { prefix: false, typos: false }),
          atLeast: item.count,
        };
    }
  };
  const clauses = parsed.clauses.map((clause) => clause.map((item) => compileItem(item, typosFor(item))));
  const excluded = parsed.excludedItems.map((item) => compileItem(item, false));
  const synonyms = options.synonyms ? addSynonyms(parsed, clauses, options.synonyms) : [];
  return { clauses, excluded, match: parsed.match, scoreless: parsed.scoreless, expansionsCut: cut.value, synonyms };
}

/**
 * The highlighter for a plan's scoring clauses: the index terms that matched
 * (`matched`; null: every term of the plan), the phrases whose words all matched,
 * and the proximities (their occurrences kept together in a snippet window).
 */
export function planHighlighter(plan: QueryPlan, matched: Set<string> | null): Highlighter {
  const terms: MatchedTerm[] = [];
  const phrases: MatchedPhrase[] = [];
  const proximities: MatchedProximity[] = [];
  const has = (term: string) => matched === null || matched.has(term);
  plan.clauses.forEach((clause, c) => {
    if (((plan.scoreless ?? 0) >>> c) & 1) return;
    for (const item of clause) {
      if (item.type === 'meta') continue;
      // A `lead:` word is marked wherever it shows (as a NEAR's words are): in a snippet it is the reason for the hit.
      const titleOnly = 'field' in item && item.field === 'title' ? { titleOnly: true } : {};
      if (item.type === 'phrase') {
        const synonym = item.synonymOf === undefined ? {} : { synonymOf: item.synonymOf };
        if (item.forms.every(has)) phrases.push({ forms: item.forms, clause: c, ...titleOnly, ...synonym });
        continue;
      }
      if (item.type === 'proximity') {
        // A NEAR's words are marked wherever they occur, as words are; a sloppy phrase's only in its occurrences, as a phrase's.
        if (item.mode !== 'slop') {
          for (const o of item.operands)
            for (const e of o.expansions)
              if (has(e.term)) terms.push({ term: e.term, kind: e.kind, queryTerm: o.label, clause: c });
          for (const o of item.operands) if (o.forms?.every(has)) phrases.push({ forms: o.forms, clause: c });
        }
        const labels = item.operands.map((o) => o.label);
        proximities.push({
          mode: item.mode,
          matchers: item.operands.map(operandMatcher),
          forms: labels,
          distance: item.distance,
          ordered: item.ordered,
          clause: c,
          term: labels.join(' '),
          ...titleOnly,
        });
        continue;
      }
      for (const e of item.expansions)
        if (has(e.term)) terms.push({ term: e.term, kind: e.kind, queryTerm: item.form, clause: c, ...titleOnly });
    }
  });
  return new Highlighter(terms, phrases, proximities);
}
