import { stemTerm } from '../analysis/index-terms.js';
import type { ParsedQuery } from '../query/parse/parse-query.js';
import { requiredBits } from '../query/plan/match-tree.js';
import type { QueryItem } from '../query/parse/query-tree.js';

/** How common an index term is (documents holding it); lower is better for an anchor. */
export type TermFrequency = (term: string) => number;

/** The stem terms one of which an article must hold for `item` to match it, or null when there are none to name (prefixes, patterns, metadata). */
function itemAnchors(item: QueryItem, frequency: TermFrequency): string[] | null {
  switch (item.type) {
    case 'word':
      return item.prefix ? null : [stemTerm(item.form)];
    case 'phrase': {
      // Every word of a phrase is needed: its rarest is enough to find candidates.
      const terms = item.forms.map(stemTerm);
      return terms.length ? [terms.reduce((best, t) => (frequency(t) < frequency(best) ? t : best))] : null;
    }
    case 'near': {
      const [a, b] = item.operands.map((o) => itemAnchors(o as QueryItem, frequency));
      if (a && b) return cost(a, frequency) <= cost(b, frequency) ? a : b;
      return a ?? b ?? null;
    }
    default:
      return null;
  }
}

/** Anchors of a clause (its items are alternatives: any of their anchors), or null when one item has none. */
function clauseAnchors(clause: readonly QueryItem[], frequency: TermFrequency): string[] | null {
  const terms = new Set<string>();
  for (const item of clause) {
    const anchors = itemAnchors(item, frequency);
    if (!anchors) return null;
    for (const t of anchors) terms.add(t);
  }
  return [...terms];
}

/** Sets of stem terms an article must each share a term with for `item` to match it (every word of a phrase, both sides of a NEAR). */
function itemRequirements(item: QueryItem): string[][] {
  switch (item.type) {
    case 'word':
      return item.prefix ? [] : [[stemTerm(item.form)]];
    case 'phrase':
      return item.forms.map((form) => [stemTerm(form)]);
    case 'near':
      return item.operands.flatMap((o) => itemRequirements(o as QueryItem));
    default:
      return [];
  }
}

/** The clauses a match cannot do without (all of them without a query tree: alerts require every word). */
function neededClauses(parsed: ParsedQuery): number[] {
  const needed: number[] = [];
  const bits = parsed.match === null ? 0xffffffff : requiredBits(parsed.match);
  parsed.clauses.forEach((_c, i) => {
    if ((bits >>> i) & 1) needed.push(i);
  });
  return needed;
}

/**
 * What an article must hold for the query to possibly match: sets of stem
 * terms, each of which must share a term with the article's (every word of a
 * needed clause; for a clause of alternatives, one of their anchors). A cheap
 * test before the exact check; never false for an article the query matches.
 */
export function alertRequirements(parsed: ParsedQuery, frequency: TermFrequency): string[][] {
  const requirements: string[][] = [];
  for (const i of neededClauses(parsed)) {
    const clause = parsed.clauses[i]!;
    if (clause.length === 1) requirements.push(...itemRequirements(clause[0]!));
    else {
      const anchors = clauseAnchors(clause, frequency);
      if (anchors) requirements.push(anchors);
    }
  }
  return requirements;
}

const cost = (terms: readonly string[], frequency: TermFrequency) => terms.reduce((sum, t) => sum + frequency(t), 0);

/**
 * The anchor terms of a saved search: index terms (stem terms, `~court`) such
 * that every article the query can match holds at least one of them (in its
 * headline or a paragraph). Chosen from a clause every match needs, the one
 * whose terms are rarest by `frequency`, so that few alerts are candidates for
 * an article; when no clause is needed (a top-level `OR`), the anchors of every
 * scoring clause. Null when no such set can be named (the query needs only a
 * prefix, a pattern or metadata): the alert is then checked against every article.
 * Assumes `matchingStrategy=all`, `typos=off` and `prefix=off`, as alerts run.
 */
export function alertAnchors(parsed: ParsedQuery, frequency: TermFrequency): string[] | null {
  const clauses = parsed.clauses;
  if (clauses.length === 0) return null;
  const needed = neededClauses(parsed);
  let best: string[] | null = null;
  for (const i of needed) {
    const anchors = clauseAnchors(clauses[i]!, frequency);
    if (anchors && (best === null || cost(anchors, frequency) < cost(best, frequency))) best = anchors;
  }
  if (best) return best;
  if (needed.length > 0) return null;
  // No clause is needed by itself: any match holds some scoring clause.
  const union = new Set<string>();
  for (let i = 0; i < clauses.length; i++) {
    if ((parsed.scoreless >>> i) & 1) continue;
    const anchors = clauseAnchors(clauses[i]!, frequency);
    if (!anchors) return null;
    for (const t of anchors) union.add(t);
  }
  return union.size ? [...union] : null;
}
