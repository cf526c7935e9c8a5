import { performance } from 'node:perf_hooks';

/**
 * A per-query time budget. The search checks it at a few coarse points
 * (before each query clause and word, before each hit's snippets, before each facet) and,
 * once it is spent, does the least that still gives a well-formed response:
 * the clauses left are not scored, hits get one snippet, facets left are not
 * counted. The response then says `exhaustive: false`.
 */
export class Deadline {
  /** True once a check found the budget spent. */
  reached = false;

  private constructor(private readonly at: number) {}

  /** A budget of `ms` milliseconds from now; `Infinity` for none. */
  static after(ms: number): Deadline {
    return new Deadline(performance.now() + ms);
  }

  /** No budget: never expires. */
  static none(): Deadline {
    return new Deadline(Infinity);
  }

  /** Whether the budget is spent; once true, stays true. */
  expired(): boolean {
    if (!this.reached && performance.now() >= this.at) this.reached = true;
    return this.reached;
  }
}
