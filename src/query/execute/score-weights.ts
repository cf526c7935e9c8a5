/**
 * The constants of an article's score, `headline · TITLE_BOOST + best + EXTRA_PARAGRAPHS_WEIGHT · ln(1 + others)`
 * plus the passage bonus, shared by the full evaluation (`executeQuery`) and the top-k evaluations.
 */

/** Headline matches count this much more than the same match in a paragraph (1: as much; see `bench/RELEVANCE.md`). */
export const TITLE_BOOST = 1;
/** How much an article's other matching paragraphs add, on a log scale, beyond its best one. */
export const EXTRA_PARAGRAPHS_WEIGHT = 0.25;
/**
 * Passage bonus: an article gains this share of its best paragraph's score when
 * that paragraph holds several query clauses (scaled by how many): terms that
 * occur together in one paragraph say more than the same terms scattered.
 */
export const PASSAGE_WEIGHT = 0.5;
