import { formOf, scanTokens, tokenize, type Token } from '../analysis/tokenize.js';
import { findPhrase } from '../analysis/find-phrase.js';
import { findNear, findSloppyPhrase, findWithin, type ProximityOperandMatcher } from '../analysis/find-proximity.js';
import { numberSentences } from '../analysis/number-sentences.js';
import { isStemTerm, stemTerm } from '../analysis/index-terms.js';

/** How a highlighted word matched: see the API contract's `kind`. */
export type HighlightKind = 'exact' | 'stem' | 'prefix' | 'wildcard' | 'typo' | 'synonym';

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
  /** A `title:` term: marked in headlines, never in paragraphs. */
  titleOnly?: boolean;
}

/** A phrase that matched, as normalized forms. */
export interface MatchedPhrase {
  forms: string[];
  clause: number;
  /** A synonym of several words (`synonyms.ts`): its words are marked `synonym`, naming `queryTerm`, the query's words it stands for. */
  synonymOf?: string;
  /** A `title:` phrase: marked in headlines, never in paragraphs. */
  titleOnly?: boolean;
}

/**
 * A NEAR/ADJ (`mode: 'near'`, two `matchers`), `w/p` or `w/s` (`paragraph`, `sentence`: two
 * `matchers` in one paragraph or sentence) or sloppy phrase (`mode: 'slop'`, `forms`) whose
 * occurrences are kept together in a snippet window: the words of one occurrence share an `occurrence`.
 */
export interface MatchedProximity {
  mode: 'near' | 'slop' | 'paragraph' | 'sentence';
  matchers: ProximityOperandMatcher[];
  forms: string[];
  distance: number;
  ordered: boolean;
  clause: number;
  /** What the highlights of a sloppy phrase name: its words joined by a space. */
  term: string;
  /** A `title:` sloppy phrase: marked in headlines, never in paragraphs. */
  titleOnly?: boolean;
}

const KIND_RANK: Record<HighlightKind, number> = { exact: 0, stem: 1, prefix: 2, wildcard: 3, typo: 4, synonym: 5 };

/**
 * Decides which words of a text to highlight: re-tokenizes it with the shared
 * analyzer and marks every token whose form (or stem term) is one of the index
 * terms the query matched, and every token of a matched phrase occurrence. Nothing
 * else is marked: no regular expression is built from the query.
 */
export class Highlighter {
  private readonly byTerm = new Map<string, MatchedTerm>();
  /**
   * Length of the shortest matched stem for each first letter. Porter only
   * rewrites a word's ending: never its first letter, and it never makes a word
   * longer. A word whose first letter is not here, or that is shorter than every
   * matched stem with its first letter, cannot have a matched stem and is not
   * stemmed at all (most words).
   */
  private readonly shortestStem = new Map<number, number>();

  /**
   * First code unit (ASCII) of every matched term's form. A token written with
   * an ASCII first character has that character, lowercased, as its form's
   * first: when it is not among these, the token cannot match, and its form is
   * never made (most tokens of a paragraph).
   */
  private readonly asciiStarts = new Uint8Array(128);

  private forParagraphs: Highlighter | null = null;

  constructor(
    private readonly terms: readonly MatchedTerm[],
    private readonly phrases: readonly MatchedPhrase[],
    private readonly proximities: readonly MatchedProximity[] = [],
  ) {
    for (const t of terms) {
      const known = this.byTerm.get(t.term);
      if (!known || KIND_RANK[t.kind] < KIND_RANK[known.kind]) this.byTerm.set(t.term, t);
      if (isStemTerm(t.term)) {
        const c = t.term.charCodeAt(1);
        const length = t.term.length - 1;
        this.shortestStem.set(c, Math.min(length, this.shortestStem.get(c) ?? length));
      }
      const first = t.term.charCodeAt(isStemTerm(t.term) ? 1 : 0);
      if (first < 128) this.asciiStarts[first] = 1;
    }
  }

  /** The highlighter for paragraphs: this one without its `title:` terms and phrases (made once). */
  paragraphHighlighter(): Highlighter {
    const titled = (x: { titleOnly?: boolean }) => x.titleOnly === true;
    if (!this.terms.some(titled) && !this.phrases.some(titled) && !this.proximities.some(titled)) return this;
    const untitled = <T extends { titleOnly?: boolean }>(list: readonly T[]) => list.filter((x) => !titled(x));
    this.forParagraphs ??= new Highlighter(untitled(this.terms), untitled(this.phrases), untitled(this.proximities));
    return this.forParagraphs;
  }

  /** The highlight of one token with this form, or undefined. */
  private match(form: string, start: number, end: number): Highlight | undefined {
    const direct = this.byTerm.get(form);
    const shortest = this.shortestStem.get(form.charCodeAt(0));
    const stem = shortest !== undefined && form.length >= shortest ? this.byTerm.get(stemTerm(form)) : undefined;
    let best = direct;
    if (stem && (!best || KIND_RANK[stem.kind] < KIND_RANK[best.kind])) best = stem;
    if (!best) return undefined;
    // A form equal to the query word is exact, whichever index term found it.
    const kind = form === best.queryTerm ? 'exact' : best.kind;
    return { start, length: end - start, term: best.queryTerm, kind, clause: best.clause };
  }

  /** Highlights of `text`, sorted by start, disjoint. */
  highlight(text: string): Highlight[] {
    if (this.phrases.length > 0 || this.proximities.length > 0) return this.highlightTokens(text, tokenize(text));
    // No phrase: scan token boundaries and make only the forms that can match.
    const { count, starts, ends, plain } = scanTokens(text);
    const found: Highlight[] = [];
    for (let t = 0; t < count; t++) {
      const start = starts[t]!;
      const first = text.charCodeAt(start);
      if (first < 128 && this.asciiStarts[first >= 65 && first <= 90 ? first + 32 : first] === 0) continue;
      const end = ends[t]!;
      const form = formOf(text, start, end, plain[t]!);
      if (form === '') continue;
      const h = this.match(form, start, end);
      if (h) found.push(h);
    }
    return found;
  }

  /** Highlights from a full token list: matched terms, then phrase occurrences over them. */
  private highlightTokens(text: string, tokens: readonly Token[]): Highlight[] {
    const found: (Highlight | undefined)[] = new Array(tokens.length);
    tokens.forEach((token, i) => {
      found[i] = this.match(token.form, token.start, token.end);
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
            term: phrase.synonymOf ?? phrase.forms.join(' '),
            kind: phrase.synonymOf === undefined ? 'exact' : 'synonym',
            clause: phrase.clause,
            occurrence,
          };
        }
      }
    }
    for (const proximity of this.proximities) {
      const mark = (position: number, term: string) => {
        const token = tokens[position]!;
        const known = found[position];
        found[position] = known
          ? { ...known, occurrence }
          : {
              start: token.start,
              length: token.end - token.start,
              term,
              kind: 'exact',
              clause: proximity.clause,
              occurrence,
            };
      };
      if (proximity.mode === 'slop') {
        for (const positions of findSloppyPhrase(tokens, proximity.forms, proximity.distance)) {
          occurrence += 1;
          for (const p of positions) mark(p, proximity.term);
        }
        continue;
      }
      const [a, b] = [proximity.matchers[0]!, proximity.matchers[1]!];
      const pairs =
        proximity.mode === 'near'
          ? findNear(tokens, a, b, proximity.distance, proximity.ordered)
          : findWithin(tokens, proximity.mode === 'sentence' ? numberSentences(text, tokens) : null, a, b);
      for (const spans of pairs) {
        occurrence += 1;
        spans.forEach((span, k) => {
          for (let p = span[0]; p <= span[1]; p++) mark(p, proximity.forms[k]!);
        });
      }
    }
    return found.filter((h): h is Highlight => h !== undefined);
  }
}
