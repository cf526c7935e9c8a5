import type { TermExpansion } from '../plan/expand-terms.js';
import { requiredBits, type MatchNode } from '../plan/match-tree.js';
import type { MetaItem, TextField } from '../parse/query-tree.js';
import type { CompiledProximity } from './proximity-checker.js';

/**
 * A query word (or wildcard pattern) with the index terms it expands to; `field: 'title'`:
 * headlines only, `'lead'`: headlines and first paragraphs; `atLeast`: only in articles
 * whose paragraphs hold the word that many times (`atleastN:`).
 */
export interface CompiledWord {
  type: 'word';
  form: string;
  expansions: TermExpansion[];
  field?: TextField;
  atLeast?: number;
}

/** A phrase: exact forms, adjacent, in order. */
export interface CompiledPhrase {
  type: 'phrase';
  forms: string[];
  field?: TextField;
  /** Its score is multiplied by this (default 1): below 1 for a synonym. */
  weight?: number;
  /** A synonym of several words: the query's words it stands for (its highlights are `synonym`, naming them). */
  synonymOf?: string;
}

/** A metadata term (`author:rios` inside a query tree): the articles whose field holds it, with no score. */
export interface CompiledMeta {
  type: 'meta';
  item: MetaItem;
}

/** One item of a clause: a word, a phrase, a proximity (`NEAR`, `w/s`, …) or a metadata term. */
export type CompiledItem = CompiledWord | CompiledPhrase | CompiledProximity | CompiledMeta;

/**
 * What the engine runs: positive clauses (each a list of OR-ed items) and exclusions;
 * with `match`, the boolean tree over clause bits that decides a match (instead of
 * matchingStrategy), and `scoreless`, the clause bits recorded but never scored.
 */
export interface QueryPlan {
  clauses: CompiledItem[][];
  excluded: CompiledItem[];
  match?: MatchNode | null;
  scoreless?: number;
}

/** Clause bits a match must have: every clause with requireAll, the tree's required ones with a `match`. */
export function requiredClauses(plan: QueryPlan, requireAll: boolean): number {
  if (plan.match) return (requiredBits(plan.match) & ~(plan.scoreless ?? 0)) >>> 0;
  if (!requireAll) return 0;
  return plan.clauses.length >= 32 ? 0xffffffff : (1 << plan.clauses.length) - 1;
}
