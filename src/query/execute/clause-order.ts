import type { CompiledItem, QueryPlan } from './query-plan.js';
import type { TermScorer } from './term-scorer.js';

/**
 * Clause indexes (`order`): the `required` ones from the cheapest to the dearest, estimated by the
 * postings their terms would read (`cost`, per clause: a phrase costs about its rarest word, a metadata
 * term nothing), then the others in query order.
 */
export function clauseOrder(
  scorer: TermScorer,
  plan: QueryPlan,
  required: number,
): { order: number[]; cost: number[] } {
  const df = (term: string) => scorer.documentCount('paragraphs', term) + scorer.documentCount('titles', term);
  const itemCost = (item: CompiledItem): number => {
    if (item.type === 'word') return item.expansions.reduce((n, e) => n + df(e.term), 0);
    if (item.type === 'phrase') return Math.min(...item.forms.map(df));
    if (item.type === 'meta') return 0;
    return Math.min(
      ...item.operands.map((o) =>
        o.forms ? Math.min(...o.forms.map(df)) : o.expansions.reduce((n, e) => n + df(e.term), 0),
      ),
    );
  };
  const cost = plan.clauses.map((clause) => clause.reduce((sum, item) => sum + itemCost(item), 0));
  const isRequired = (c: number) => ((required >>> c) & 1) === 1;
  // Optional clauses keep the query's order: the first scores straight into the paragraph scores (the fast
  // path), and MaxScore (`max-score.ts`) sums each score in the order the full evaluation does. Run rarest
  // first, MaxScore would stop adding articles sooner, but the commonest clause would always take the slow
  // path: measured slower on the bench's any-word queries (2026-12-07), where MaxScore rarely stops early.
  const order = plan.clauses
    .map((_, c) => c)
    .sort((a, b) =>
      isRequired(a) === isRequired(b) ? (isRequired(a) ? cost[a]! - cost[b]! : 0) || a - b : isRequired(a) ? -1 : 1,
    );
  return { order, cost };
}
