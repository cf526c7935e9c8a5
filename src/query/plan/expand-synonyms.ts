/**
 * Query-time synonym expansion: the synonyms of a plan's words (`synonyms.ts`) added as
 * alternatives in the clauses of the words they stand for, at {@link WEIGHTS}`.synonym`
 * of the typed word's weight, so an article is found by either and ranks higher with the
 * word as typed. Bounded: at most {@link MAX_SYNONYMS_PER_ENTRY} synonyms per query
 * word or run of words, each one word's two index terms or one phrase.
 */
import type { CompiledItem, CompiledWord } from '../execute/execute-query.js';
import { synonymExpansions, WEIGHTS } from './expand-terms.js';
import type { ParsedQuery } from '../parse/parse-query.js';
import type { SynonymTable } from './synonyms.js';

/** A synonym rule a query used, as the response's `parsedQuery.synonyms` shows it: the query's words and what they also found. */
export interface AppliedSynonym {
  from: string;
  to: string[];
}

/** The compiled word of a clause that is one plain word (no pattern, no field), or null. */
function plainWord(clause: readonly CompiledItem[] | undefined): CompiledWord | null {
  if (clause === undefined || clause.length !== 1) return null;
  const item = clause[0]!;
  return item.type === 'word' && item.field === undefined && item.expansions.some((e) => e.kind === 'stem')
    ? item
    : null;
}

/**
 * Adds the synonyms of `table` to `clauses` (the compiled clauses of `parsed`, changed in
 * place) and returns the rules used, in query order. A word's one-word synonyms join its
 * own expansions (kind `synonym`); a synonym of several words is a phrase beside it in
 * its clause. Without a query tree, a run of one-word clauses side by side
 * (`united nations`) is looked up as one entry, longest first; its synonyms are added to
 * each clause of the run with 1/n of the weight, so an article holding the synonym matches
 * every word of the run (as `matchingStrategy=all` wants) and scores it once. A quoted
 * phrase is looked up as its words.
 */
export function addSynonyms(parsed: ParsedQuery, clauses: CompiledItem[][], table: SynonymTable): AppliedSynonym[] {
  const applied: AppliedSynonym[] = [];
  if (table.size === 0) return applied;
  const scoreless = parsed.scoreless;
  const scoring = (c: number) => ((scoreless >>> c) & 1) === 0;
  const used = new Set<number>();
  // Runs of plain words side by side: only in a flat query, where clause order is the words' order.
  const longest = parsed.match === null ? table.longestEntry : 1;
  for (let c = 0; c < clauses.length; c++) {
    if (used.has(c) || !scoring(c)) continue;
    for (let n = Math.min(longest, clauses.length - c); n >= 1; n--) {
      const words: CompiledWord[] = [];
      for (let k = 0; k < n; k++) {
        const word = plainWord(clauses[c + k]);
        if (word === null || used.has(c + k) || !scoring(c + k)) break;
        words.push(word);
      }
      if (words.length < n) continue;
      const forms = words.map((w) => w.form);
      const synonyms = table.lookup(forms);
      if (synonyms.length === 0) continue;
      const from = forms.join(' ');
      for (const synonym of synonyms) {
        words.forEach((word, k) => {
          if (synonym.forms.length === 1) {
            // A synonym's term that the word already has (`kiev` and `kievs` share a stem) is scored once, as the word's.
            for (const e of synonymExpansions(synonym.forms[0]!, 1 / n))
              if (!word.expansions.some((x) => x.term === e.term)) word.expansions.push(e);
          } else
            clauses[c + k]!.push({
              type: 'phrase',
              forms: synonym.forms,
              weight: WEIGHTS.synonym / n,
              synonymOf: from,
            });
        });
      }
      applied.push({ from, to: synonyms.map((s) => s.forms.join(' ')) });
      for (let k = 0; k < n; k++) used.add(c + k);
      break;
    }
  }
  // Quoted phrases: their words as one entry.
  clauses.forEach((clause, c) => {
    if (!scoring(c)) return;
    for (const item of [...clause]) {
      if (item.type !== 'phrase' || item.synonymOf !== undefined) continue;
      const synonyms = table.lookup(item.forms);
      if (synonyms.length === 0) continue;
      const from = item.forms.join(' ');
      const field = item.field === undefined ? {} : { field: item.field };
      for (const synonym of synonyms) {
        clause.push(
          synonym.forms.length === 1
            ? // Named after the phrase it stands for: its highlights then say `synonym` of that phrase.
              { type: 'word', form: from, expansions: synonymExpansions(synonym.forms[0]!, 1), ...field }
            : { type: 'phrase', forms: synonym.forms, weight: WEIGHTS.synonym, synonymOf: from, ...field },
        );
      }
      applied.push({ from, to: synonyms.map((s) => s.forms.join(' ')) });
    }
  });
  return applied;
}
