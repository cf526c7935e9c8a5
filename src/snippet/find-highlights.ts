import { tokenize, type Token } from '../analysis/tokenize.js';
import { findPhrase } from '../analysis/find-phrase.js';
import { isStemTerm, stemTerm } from '../analysis/index-terms.js';

/** How a highlighted word matched: see the API contract's `kind`. */
export type HighlightKind = 'exact' | 'stem' | 'prefix' | 'typo';

/** One highlighted word. Offsets are UTF-16 code units into the text it was found in. */
export interface Highlight {
  start: number;
  length: number;
  /** The query word (normalized form) this word matched. */
  term: string;
  kind: HighlightKind;
  /** Index of the query clause it belongs to (for choosing a snippet window). */
  clause: number;
  /** For the words of one phrase occurrence: the same number, so a window keeps them together. */
  occurrence?: number;
}

/** A term that matched in the index, with the query word and clause it came from. */
export interface MatchedTerm {
  /** The index term: a word form, or `~` + stem. */
  term: string;
  kind: HighlightKind;
  queryTerm: string;
  clause: number;
}

/** A phrase that matched, as normalized forms. */
export interface MatchedPhrase {
  forms: string[];
  clause: number;
}

const KIND_RANK: Record<HighlightKind, number> = { exact: 0, stem: 1, prefix: 2, typo: 3 };

/**
 * Decides which words of a text to highlight: re-tokenizes it with the shared
 * analyzer and marks every token whose form (or stem term) is one of the index
 * terms the query matched, and every token of a matched phrase occurrence. Nothing
 * else is marked: no regular expression is built from the query.
 */
export class Highlighter {
  private readonly byTerm = new Map<string, MatchedTerm>();
  /**
   * First letter of each matched stem. Porter only rewrites a word's ending and
   * never its first letter, so a word whose first letter is not among these
   * cannot have a matched stem, and is not stemmed at all (most words).
   */
  private readonly stemStarts = new Set<number>();

  constructor(
    terms: readonly MatchedTerm[],
    private readonly phrases: readonly MatchedPhrase[],
  ) {
    for (const t of terms) {
      const known = this.byTerm.get(t.term);
      if (!known || KIND_RANK[t.kind] < KIND_RANK[known.kind]) this.byTerm.set(t.term, t);
      if (isStemTerm(t.term)) this.stemStarts.add(t.term.charCodeAt(1));
    }
  }

  /** Highlights of `text`, sorted by start, disjoint. `tokens` may be passed when already computed. */
  highlight(text: string, tokens: readonly Token[] = tokenize(text)): Highlight[] {
    const found: (Highlight | undefined)[] = new Array(tokens.length);
    tokens.forEach((token, i) => {
      const direct = this.byTerm.get(token.form);
      const stem = this.stemStarts.has(token.form.charCodeAt(0)) ? this.byTerm.get(stemTerm(token.form)) : undefined;
      let best = direct;
      if (stem && (!best || KIND_RANK[stem.kind] < KIND_RANK[best.kind])) best = stem;
      if (best) {
        // A form equal to the query word is exact, whichever index term found it.
        const kind = token.form === best.queryTerm ? 'exact' : best.kind;
        found[i] = { start: token.start, length: token.end - token.start, term: best.queryTerm, kind, clause: best.clause };
      }
    });
    let occurrence = 0;
    for (const phrase of this.phrases) {
      for (const first of findPhrase(tokens, phrase.forms)) {
        occurrence += 1;
        for (let k = 0; k < phrase.forms.length; k++) {
          const token = tokens[first + k]!;
          found[first + k] = {
            start: token.start,
            length: token.end - token.start,
            term: phrase.forms.join(' '),
            kind: 'exact',
            clause: phrase.clause,
            occurrence,
          };
        }
      }
    }
    return found.filter((h): h is Highlight => h !== undefined);
  }
}
