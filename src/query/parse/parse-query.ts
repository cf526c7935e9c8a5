import { parseBoolean } from './parse-boolean.js';
import type { MatchNode } from '../plan/match-tree.js';
import { isItem, itemKey, printItem, type MetaItem, type QueryItem, type QueryNode } from './query-tree.js';

export { MAX_PHRASE_WORDS } from './parse-boolean.js';
export type { QueryItem, QueryNode } from './query-tree.js';

/** Most positive clauses a query may have; the rest are ignored (and listed). */
export const MAX_CLAUSES = 32;
/** Most excluded items a query may have. */
export const MAX_EXCLUDED = 32;

/** A positive clause: alternatives joined by `OR` (usually one). */
export type Clause = QueryItem[];

/** A metadata restriction of the whole query (any of `items`; with `negated`, none of them). */
export interface MetaFilter {
  items: MetaItem[];
  negated: boolean;
}

/** The query as the engine runs it, and as the response reports it. */
export interface ParsedQuery {
  /** Positive clauses; with matchingStrategy=all (and no `match`), each must match. */
  clauses: Clause[];
  /** Items whose presence excludes a document. */
  excludedItems: QueryItem[];
  /** Word forms (and wildcard patterns) searched for (normalized), in query order, once each. */
  terms: string[];
  /** Phrases searched for, as normalized words joined by a space. */
  phrases: string[];
  /** Excluded words and phrases, normalized. */
  excluded: string[];
  /** Parts of the query that were not used, as written. */
  ignored: string[];
  /** The query tree that runs (null for an empty query). */
  tree: QueryNode | null;
  /** Which clause masks match, when the query is not a plain list of clauses (then matchingStrategy is in the tree). */
  match: MatchNode | null;
  /** Clauses that only appear under NOT inside `match`: recorded, never scored or highlighted. */
  scoreless: number;
  /** Metadata restrictions of the whole query (`author:rios`, `-source:cnn` at the top level), applied as filters. */
  metaFilters: MetaFilter[];
  /** True when the query uses syntax beyond words, phrases, `-` and `OR`, even where it flattens to plain clauses (the response then shows `tree`). */
  extended: boolean;
  /** Words written with a trailing `*`: a cut in their expansion makes the search say `exhaustive: false`. */
  starred: ReadonlySet<QueryItem>;
}

interface Ignored {
  at: number;
  raw: string;
}

const isOrOfItems = (node: QueryNode): node is { op: 'or'; children: QueryItem[] } =>
  !isItem(node) && node.op === 'or' && !node.implicit && node.children.every(isItem);
const itemsOf = (node: QueryNode): QueryItem[] | null =>
  isItem(node) ? [node] : isOrOfItems(node) ? node.children : null;

/** The parts of the tree's top level and how they combine. */
function topLevel(tree: QueryNode | null, defaultOperator: 'and' | 'or'): { op: 'and' | 'or'; parts: QueryNode[] } {
  if (tree === null) return { op: defaultOperator, parts: [] };
  if (isItem(tree) || tree.op === 'not' || (!tree.implicit && !(tree.op === 'and' && defaultOperator === 'and')))
    return { op: defaultOperator, parts: [tree] };
  const parts: QueryNode[] = [];
  // `a AND b c` means `a b c` when side by side means AND.
  for (const child of tree.children) {
    const spliced = !isItem(child) && child.op === tree.op && (child.implicit || child.op === 'and');
    if (spliced) parts.push(...(child as { children: QueryNode[] }).children);
    else parts.push(child);
  }
  return { op: tree.op, parts };
}

/**
 * Parses a search query. Never fails: what cannot be used is listed in `ignored`.
 *
 * Syntax (see the README's query language): words; `"a quoted phrase"`; `-word`,
 * `-"phrase"`, `NOT x` (exclude); `a OR b`, `a AND b`, parentheses; `NEAR/n`,
 * `ADJ/n`, `w/n`, `w/p`, `SAME`, `w/s`, `"a b"~n`; `polit*`, `wom?n`; `atleastN:`, `lead:`, `title:`, `author:`, `byline:`,
 * `source:`, `section:`, `tag:`. Parts side by side combine by `defaultOperator`
 * (matchingStrategy: `all` is `and`). A query of words, phrases, `-` and `OR`
 * only gives the flat clauses it always did; others also give `match`.
 * The last word is marked for prefix matching when `prefixLast` is set, it is a
 * bare word, and the query does not end with a space (the user has not finished typing it).
 * Repeated items are kept once; at most {@link MAX_CLAUSES} clauses and
 * {@link MAX_EXCLUDED} exclusions are kept.
 */
export function parseQuery(
  query: string,
  options: { prefixLast: boolean; defaultOperator?: 'and' | 'or' },
): ParsedQuery {
  const defaultOperator = options.defaultOperator ?? 'and';
  const { tree, ignored, lastWord, starred, operators } = parseBoolean(query, defaultOperator);
  if (options.prefixLast && lastWord && !/\s$/.test(query)) lastWord.prefix = true;
  const top = topLevel(tree, defaultOperator);

  // Metadata terms that restrict the whole query become filters.
  const metaFilters: MetaFilter[] = [];
  const parts: QueryNode[] = [];
  for (const part of top.parts) {
    const negated = !isItem(part) && part.op === 'not';
    const items = itemsOf(negated ? part.child : part);
    if (items?.every((i) => i.type === 'meta') && (negated || top.op === 'and'))
      metaFilters.push({ items: items as MetaItem[], negated });
    else parts.push(part);
  }

  const flat = parts.every((part) => itemsOf(!isItem(part) && part.op === 'not' ? part.child : part) !== null);
  const parsed = flat ? flatClauses(parts, ignored, query.length) : treeClauses(parts, top.op, ignored, query.length);
  const items = [...parsed.clauses.flat(), ...parsed.excludedItems];
  const extended =
    operators ||
    parsed.match !== null ||
    metaFilters.length > 0 ||
    items.some(
      (i) =>
        (i.type !== 'word' && i.type !== 'phrase') ||
        i.field !== undefined ||
        (i.type === 'phrase' && i.slop !== undefined) ||
        (i.type === 'word' && i.prefix && i !== lastWord),
    );
  return {
    ...parsed,
    ...listed(parsed.clauses, parsed.excludedItems, parsed.scoreless),
    ignored: ignored.sort((a, b) => a.at - b.at).map((x) => x.raw),
    tree,
    metaFilters,
    extended,
    starred,
  };
}

type Planned = Pick<ParsedQuery, 'clauses' | 'excludedItems' | 'match' | 'scoreless'>;

/** Keeps excluded items once each, at most {@link MAX_EXCLUDED}. */
function keepExcluded(items: QueryItem[], ignored: Ignored[], end: number): QueryItem[] {
  const seen = new Set<string>();
  const kept: QueryItem[] = [];
  for (const item of items) {
    const key = itemKey(item);
    if (seen.has(key)) continue;
    seen.add(key);
    if (kept.length >= MAX_EXCLUDED) ignored.push({ at: end, raw: `-${printItem(item)}` });
    else kept.push(item);
  }
  return kept;
}

/** Today's form: each positive part a clause (its OR-ed items), each negated part excluded. */
function flatClauses(parts: QueryNode[], ignored: Ignored[], end: number): Planned {
  const excludedItems: QueryItem[] = [];
  const clauses: Clause[] = [];
  const seen = new Map<string, Clause>();
  for (const part of parts) {
    if (!isItem(part) && part.op === 'not') {
      excludedItems.push(...itemsOf(part.child)!);
      continue;
    }
    const items: QueryItem[] = [];
    for (const item of itemsOf(part)!) if (!items.some((x) => itemKey(x) === itemKey(item))) items.push(item);
    // A clause equal to an earlier one adds nothing but cost; a word that is also the
    // prefix-matched last word is kept once, with prefix (prefix matching includes the word).
    const key = items.map(itemKey).sort().join('|');
    const earlier = seen.get(key);
    if (earlier) {
      for (const item of items) {
        const twin = earlier.find((x) => itemKey(x) === itemKey(item));
        if (item.type === 'word' && item.prefix && twin?.type === 'word') twin.prefix = true;
      }
      continue;
    }
    if (clauses.length >= MAX_CLAUSES) {
      ignored.push({ at: end, raw: items.map(printItem).join(' OR ') });
      continue;
    }
    seen.set(key, items);
    clauses.push(items);
  }
  return { clauses, excludedItems: keepExcluded(excludedItems, ignored, end), match: null, scoreless: 0 };
}

/**
 * A general tree: each distinct item one clause (at most {@link MAX_CLAUSES}; further
 * ones are dropped and listed), the tree as a {@link MatchNode} over their bits. Negated
 * items of the top level are exclusions, as in the flat form.
 */
function treeClauses(parts: QueryNode[], op: 'and' | 'or', ignored: Ignored[], end: number): Planned {
  const clauses: Clause[] = [];
  const bits = new Map<string, number>();
  let positive = 0;
  const excludedItems: QueryItem[] = [];
  const bitOf = (item: QueryItem, negated: boolean): MatchNode | null => {
    const key = itemKey(item);
    let bit = bits.get(key);
    if (bit === undefined) {
      if (clauses.length >= MAX_CLAUSES) {
        ignored.push({ at: end, raw: printItem(item) });
        return null;
      }
      bit = clauses.length;
      bits.set(key, bit);
      clauses.push([item]);
    } else if (item.type === 'word' && item.prefix) (clauses[bit]![0] as typeof item).prefix = true;
    if (!negated) positive = (positive | (1 << bit)) >>> 0;
    return { op: 'bit', bit };
  };
  const build = (node: QueryNode, negated: boolean): MatchNode | null => {
    if (isItem(node)) return bitOf(node, negated);
    if (node.op === 'not') return build(node.child, !negated);
    const pos: MatchNode[] = [];
    const neg: MatchNode[] = [];
    for (const child of node.children) {
      const isNot = !isItem(child) && child.op === 'not';
      const built = build(isNot ? child.child : child, isNot !== negated);
      if (built) (isNot ? neg : pos).push(built);
    }
    return pos.length === 0 && neg.length === 0 ? null : { op: node.op, pos, neg };
  };
  const pos: MatchNode[] = [];
  const neg: MatchNode[] = [];
  for (const part of parts) {
    const isNot = !isItem(part) && part.op === 'not';
    const items = isNot ? itemsOf(part.child) : null;
    if (items) excludedItems.push(...items);
    else {
      const built = build(isNot ? part.child : part, isNot);
      if (built) (isNot ? neg : pos).push(built);
    }
  }
  const all = clauses.length >= 32 ? 0xffffffff : (1 << clauses.length) - 1;
  if (pos.length === 0) {
    // Nothing positive: browse mode, with the simple exclusions only (a negated group alone selects nothing to browse).
    if (neg.length > 0) ignored.push({ at: end, raw: '-(…)' });
    return { clauses: [], excludedItems: keepExcluded(excludedItems, ignored, end), match: null, scoreless: 0 };
  }
  return {
    clauses,
    excludedItems: keepExcluded(excludedItems, ignored, end),
    match: { op, pos, neg },
    scoreless: (all & ~positive) >>> 0,
  };
}

/** The response's lists: terms, phrases and excluded (positive clauses, then exclusions and NOT-only clauses). */
function listed(
  clauses: Clause[],
  excludedItems: QueryItem[],
  scoreless: number,
): Pick<ParsedQuery, 'terms' | 'phrases' | 'excluded'> {
  const terms: string[] = [];
  const phrases: string[] = [];
  const add = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
  };
  const visit = (item: QueryItem) => {
    if (item.type === 'word') add(terms, item.form);
    else if (item.type === 'wildcard') add(terms, item.pattern);
    else if (item.type === 'phrase') add(phrases, item.forms.join(' '));
    else if (item.type === 'near') item.operands.forEach((o) => visit(o as QueryItem));
    else if (item.type === 'atleast') add(terms, item.form);
  };
  const excluded: string[] = [];
  const describe = (item: QueryItem) =>
    item.type === 'word' ? item.form : item.type === 'phrase' ? item.forms.join(' ') : printItem(item);
  clauses.forEach((clause, c) => {
    if ((scoreless >>> c) & 1) clause.forEach((item) => add(excluded, describe(item)));
    else clause.forEach(visit);
  });
  excludedItems.forEach((item) => add(excluded, describe(item)));
  return { terms, phrases, excluded };
}
