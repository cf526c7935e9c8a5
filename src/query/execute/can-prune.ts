import type { QueryPlan } from './query-plan.js';

/**
 * Article at a time, every term of every clause is sought in every candidate article: a clause of more
 * terms than this (a short last word's prefix completions, up to 32) makes it slower than term at a time
 * (measured at 8×, 2026-12-07: `only and`, 2 and 32 terms, 47–73 against 40–56 ms; with 22 terms, even).
 */
const ALL_WORDS_MOST_TERMS = 32;

/**
 * Whether MaxScore may run on a plan: an any-word query (no required clause, no
 * query tree, nothing excluded) of two clauses or more, each of words.
 */
export function canPrune(plan: QueryPlan, required: number): boolean {
  if (
    required !== 0 ||
    plan.match ||
    plan.excluded.length > 0 ||
    (plan.scoreless ?? 0) !== 0 ||
    plan.clauses.length < 2
  )
    return false;
  return plan.clauses.every((clause) => clause.every((item) => item.type === 'word'));
}

/**
 * Whether the all-words top-k (`all-words-top-k.ts`) may run on a plan: every
 * clause required (`required`, the all-words mode), two clauses or more, each of
 * plain words (no field, no `atleastN:`) and at most {@link ALL_WORDS_MOST_TERMS} terms, no
 * query tree, nothing excluded.
 */
export function canPruneAllWords(plan: QueryPlan, required: number): boolean {
  const count = plan.clauses.length;
  if (count < 2 || count >= 32 || plan.match || plan.excluded.length > 0 || (plan.scoreless ?? 0) !== 0) return false;
  if (required !== (1 << count) - 1) return false;
  return plan.clauses.every(
    (clause) =>
      clause.every((item) => item.type === 'word' && item.field === undefined && item.atLeast === undefined) &&
      clause.reduce((terms, item) => terms + (item.type === 'word' ? item.expansions.length : 0), 0) <=
        ALL_WORDS_MOST_TERMS,
  );
}

/**
 * Whether the one-word top-k (`one-word-top-k.ts`) may run on a plan: one clause
 * of one plain word (no field, no `atleastN:`), no query tree, nothing excluded.
 */
export function canPruneOneWord(plan: QueryPlan): boolean {
  if (plan.clauses.length !== 1 || plan.match || plan.excluded.length > 0 || (plan.scoreless ?? 0) !== 0) return false;
  const clause = plan.clauses[0]!;
  const item = clause[0]!;
  return clause.length === 1 && item.type === 'word' && item.field === undefined && item.atLeast === undefined;
}

/**
 * Whether the any-word top-k (`any-word-top-k.ts`) may run on a plan: no clause
 * required (`required`, the any-word mode), two clauses or more (fewer than 32), each
 * of plain words (no field, no `atleastN:`), no query tree, nothing excluded.
 */
export function canPruneAnyWord(plan: QueryPlan, required: number): boolean {
  const count = plan.clauses.length;
  if (required !== 0 || count < 2 || count >= 32 || plan.match || plan.excluded.length > 0) return false;
  if ((plan.scoreless ?? 0) !== 0) return false;
  return plan.clauses.every((clause) =>
    clause.every((item) => item.type === 'word' && item.field === undefined && item.atLeast === undefined),
  );
}
