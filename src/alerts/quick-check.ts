import { findPhrase } from '../analysis/find-phrase.js';
import { findNear, type ProximityOperandMatcher } from '../analysis/find-proximity.js';
import { isStemTerm, stemTerm } from '../analysis/index-terms.js';
import { tokenize, type Token } from '../analysis/tokenize.js';
import type { Article } from '../corpus/article.js';
import type { ParsedQuery } from '../query/parse/parse-query.js';
import { isItem, type QueryNode } from '../query/parse/query-tree.js';
import { buildSnippet } from '../snippet/build-snippet.js';
import { Highlighter, type MatchedPhrase, type MatchedTerm } from '../snippet/find-highlights.js';
import type { AlertQuery } from './alert.js';

/** Words of a snippet, as `GET /search` crops them by default. */
const SNIPPET_WORDS = 30;

/** Most forms whose stem term `stemTermOf` keeps (then it starts again). */
const STEM_TERMS_KEPT = 200_000;
const stemTerms = new Map<string, string>();

/**
 * `stemTerm(form)`, the same string each time for a form: a string made anew
 * (`'~' + stem`) is hashed anew at every set lookup, a kept one once.
 */
function stemTermOf(form: string): string {
  let term = stemTerms.get(form);
  if (term === undefined) {
    if (stemTerms.size >= STEM_TERMS_KEPT) stemTerms.clear();
    stemTerms.set(form, (term = stemTerm(form)));
  }
  return term;
}

/** One text of an article (its headline or a paragraph): its tokens, and the index terms they make (forms and stem terms). */
interface ArticleText {
  text: string;
  tokens: Token[];
  terms: Set<string>;
  headline: boolean;
}

/**
 * An article cut into tokens once, for finding its candidate alerts and for
 * each one's quick check: its headline, then its paragraphs, each with the index terms of its tokens
 * (each form and its stem term, as the index holds them).
 */
export class ArticleTokens {
  readonly texts: ArticleText[];

  constructor(article: Article) {
    this.texts = [article.title, ...article.paragraphs].map((text, i) => {
      const tokens = tokenize(text);
      const terms = new Set<string>();
      const forms = new Set<string>();
      for (const token of tokens) forms.add(token.form);
      for (const form of forms) terms.add(form).add(stemTermOf(form));
      return { text, tokens, terms, headline: i === 0 };
    });
  }

  /** The stem terms of the whole article (headline and paragraphs), each once. */
  stemTerms(): Set<string> {
    const out = new Set<string>();
    for (const text of this.texts) for (const term of text.terms) if (isStemTerm(term)) out.add(term);
    return out;
  }
}

/** A word (any form of its stem) or an exact phrase, as a part of its own or one side of a NEAR. */
type Operand = { kind: 'word'; form: string; stem: string } | { kind: 'phrase'; forms: string[] };
/** A word or phrase anywhere or in the headline only (a word maybe a prefix too), or two of them near each other in one text. */
type Leaf =
  | (Operand & { headlineOnly: boolean; clause: number; prefix?: boolean })
  | {
      kind: 'near';
      operands: [Operand, Operand];
      matchers: [ProximityOperandMatcher, ProximityOperandMatcher];
      distance: number;
      ordered: boolean;
      headlineOnly: false;
      clause: number;
    };
type Check = Leaf | { op: 'and' | 'or'; children: Check[] };

/** What the quick check says of one article: no match, a match with its snippet, or "ask the search" (`null`). */
export type QuickVerdict = { matched: false } | { matched: true; snippet: string } | null;

/**
 * The exact check of an alert for the queries it can decide alone, without
 * running a search: a tree of `AND` and `OR` over words (matched by any form
 * of their stem, as the search does with typos off; a word written with `*`
 * also by any longer form it begins, as the search expands it over an index of
 * one article), exact phrases (consecutive forms in one headline or paragraph),
 * anywhere or with `title:`, and `NEAR/n` or `ADJ/n` of two words or phrases
 * (in one headline or paragraph, by the proximity code the search uses), and
 * no filter. It evaluates the tree on the article's tokens and builds the
 * snippet only for a match, from the paragraph holding the most of the parts
 * that matched (escaped, then marked, by the snippet code every search uses).
 * `compile` returns null for anything else (`w/s`, `w/p`, exclusions, a prefix
 * in a NEAR, patterns, metadata, filters, …): those alerts run the search.
 */
export class QuickCheck {
  private constructor(private readonly root: Check) {}

  /** The quick check of an alert, or null when only the search can decide it. */
  static compile(parsed: ParsedQuery, query: AlertQuery): QuickCheck | null {
    const filtered =
      query.from !== null ||
      query.to !== null ||
      query.source.length + query.section.length + query.author.length + query.tag.length > 0;
    if (filtered || parsed.metaFilters.length > 0 || parsed.tree === null) return null;
    let clause = 0;
    const build = (node: QueryNode): Check | null => {
      if (isItem(node)) {
        if (node.type === 'near') {
          if (node.unit !== undefined) return null;
          const operands: Operand[] = [];
          for (const operand of node.operands) {
            if (operand.type === 'word' && !operand.prefix && operand.field === undefined)
              operands.push({ kind: 'word', form: operand.form, stem: stemTerm(operand.form) });
            else if (
              operand.type === 'phrase' &&
              operand.slop === undefined &&
              operand.field === undefined &&
              operand.forms.length > 0
            )
              operands.push({ kind: 'phrase', forms: operand.forms });
            else return null;
          }
          const pair = operands as [Operand, Operand];
          return {
            kind: 'near',
            operands: pair,
            matchers: [matcherOf(pair[0]), matcherOf(pair[1])],
            distance: node.distance,
            ordered: node.ordered,
            headlineOnly: false,
            clause: clause++,
          };
        }
        if (node.type !== 'word' && node.type !== 'phrase') return null;
        const headlineOnly = node.field === 'title';
        if (node.field !== undefined && node.field !== 'title') return null;
        if (node.type === 'word')
          return {
            kind: 'word',
            form: node.form,
            stem: stemTerm(node.form),
            headlineOnly,
            clause: clause++,
            ...(node.prefix ? { prefix: true } : {}),
          };
        if (node.type === 'phrase' && node.slop === undefined && node.forms.length > 0)
          return { kind: 'phrase', forms: node.forms, headlineOnly, clause: clause++ };
        return null;
      }
      if (node.op === 'not') return null;
      const children: Check[] = [];
      for (const child of node.children) {
        const built = build(child);
        if (!built) return null;
        children.push(built);
      }
      if (children.length === 0) return null;
      // Written side by side, the parts combine by matchingStrategy, which is `all` for an alert.
      return { op: node.implicit ? 'and' : node.op, children };
    };
    const root = build(parsed.tree);
    return root ? new QuickCheck(root) : null;
  }

  /** Whether `article` matches, with its snippet; null when the search must decide (only its headline matched). */
  run(article: ArticleTokens): QuickVerdict {
    const matched: Leaf[] = [];
    if (!this.evaluate(this.root, article, matched)) return { matched: false };
    // The paragraph holding the most matched parts (the first of equals) gives the snippet.
    let best: ArticleText | null = null;
    let bestCount = 0;
    for (const text of article.texts) {
      if (text.headline) continue;
      let count = 0;
      for (const leaf of matched) if (!leaf.headlineOnly && holds(leaf, text)) count++;
      if (count > bestCount) {
        best = text;
        bestCount = count;
      }
    }
    if (!best) return null;
    const terms: MatchedTerm[] = [];
    const phrases: MatchedPhrase[] = [];
    const mark = (operand: Operand, clause: number, prefix = false) => {
      if (operand.kind === 'word') {
        terms.push(
          { term: operand.form, kind: 'exact', queryTerm: operand.form, clause },
          { term: operand.stem, kind: 'stem', queryTerm: operand.form, clause },
        );
        // A prefix marks the longer forms it begins in the snippet's paragraph, as the search does.
        if (prefix)
          for (const term of completions(operand.form, best!))
            terms.push({ term, kind: 'prefix', queryTerm: operand.form, clause });
      } else phrases.push({ forms: operand.forms, clause });
    };
    for (const leaf of matched) {
      if (leaf.headlineOnly) continue;
      if (leaf.kind === 'near') for (const operand of leaf.operands) mark(operand, leaf.clause);
      else mark(leaf, leaf.clause, leaf.prefix);
    }
    return { matched: true, snippet: buildSnippet(best.text, new Highlighter(terms, phrases), SNIPPET_WORDS).html };
  }

  /** Evaluates `node`, collecting the leaves that hold (every one of an OR, for the highlights). */
  private evaluate(node: Check, article: ArticleTokens, matched: Leaf[]): boolean {
    if ('kind' in node) {
      const found = article.texts.some((text) => (!node.headlineOnly || text.headline) && holds(node, text));
      if (found) matched.push(node);
      return found;
    }
    if (node.op === 'and') {
      for (const child of node.children) if (!this.evaluate(child, article, matched)) return false;
      return true;
    }
    let any = false;
    for (const child of node.children) if (this.evaluate(child, article, matched)) any = true;
    return any;
  }
}

/** How the proximity code finds an operand: a token of the word's stem, or the phrase's forms in a row. */
function matcherOf(operand: Operand): ProximityOperandMatcher {
  if (operand.kind === 'phrase') return { forms: operand.forms };
  const { form, stem } = operand;
  return { matches: (token) => token === form || stemTermOf(token) === stem };
}

/** Whether a text holds an operand at all (a set lookup: the token walk only when it may). */
function mayHold(operand: Operand, text: ArticleText): boolean {
  return text.terms.has(operand.kind === 'word' ? operand.stem : operand.forms[0]!);
}

/**
 * The forms of a text a prefix completes: longer, beginning with it (never
 * stem terms), as the search expands a prefix from the lexicon. Over one
 * article the first completion is always kept, so any one makes a match.
 */
function completions(prefix: string, text: ArticleText): string[] {
  const out: string[] = [];
  for (const term of text.terms)
    if (term.length > prefix.length && !isStemTerm(term) && term.startsWith(prefix)) out.push(term);
  return out;
}

function holds(leaf: Leaf, text: ArticleText): boolean {
  if (leaf.kind === 'word')
    return text.terms.has(leaf.stem) || (leaf.prefix === true && completions(leaf.form, text).length > 0);
  if (leaf.kind === 'phrase') return text.terms.has(leaf.forms[0]!) && findPhrase(text.tokens, leaf.forms).length > 0;
  return (
    mayHold(leaf.operands[0], text) &&
    mayHold(leaf.operands[1], text) &&
    findNear(text.tokens, leaf.matchers[0], leaf.matchers[1], leaf.distance, leaf.ordered).length > 0
  );
}
