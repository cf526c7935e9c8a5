/**
 * The clarity of a result list (Cronen-Townsend, Zhou and Croft, "Predicting query
 * performance", SIGIR 2002): the relative entropy, in bits, between the language
 * model of the list's best passages and the archive's, Σ_w P(w | R) log2(P(w | R) / P(w | C)).
 * A list about one subject has words the archive as a whole does not use much (a high
 * clarity); a list that mixes subjects looks like the archive (near 0).
 */
import { tokenize } from '../../analysis/tokenize.js';
import { stemForm } from '../../analysis/stem-form.js';
import { stemTerm } from '../../analysis/index-terms.js';
import type { ArchiveIndex } from '../../index/archive-index.js';
import { decodeAllBlocks } from '../../index/term-postings.js';

/** Weight of a passage's own words against the archive's in P(w | D) (Jelinek–Mercer; 0.6 as in the clarity paper). */
export const CLARITY_SMOOTHING = 0.6;

/** Tokens of the live paragraphs, per state of the index (a reader never changes). */
const tokenCounts = new WeakMap<ArchiveIndex, number>();

/** Tokens of the live paragraphs of `index`: the archive model's denominator. */
function archiveTokens(index: ArchiveIndex): number {
  let total = tokenCounts.get(index);
  if (total === undefined) {
    total = 0;
    for (let doc = 0; doc < index.paraLength.length; doc++)
      if (index.paraNorm[doc]! >= 0) total += index.paraLength[doc]!;
    tokenCounts.set(index, total);
  }
  return total;
}

/** Occurrences of a stem's words in the paragraphs (its term's frequencies summed over its postings). */
function stemOccurrences(index: ArchiveIndex, stem: string): number {
  const postings = index.termPostings('paragraphs', stemTerm(stem));
  if (!postings) return 0;
  decodeAllBlocks(postings);
  let n = 0;
  for (let i = postings.start; i < postings.end; i++) n += postings.tfs[i]!;
  return n;
}

/**
 * Clarity, in bits (≥ 0 up to rounding), of the list whose best passages are `passages` (best
 * first) with their articles' `scores` as P(D | Q) (normalised), over word stems: P(w | D) =
 * λ P_ml(w | D) + (1 − λ) P(w | C), λ = {@link CLARITY_SMOOTHING}. Words in none of the passages
 * add their closed-form share. 0 when there is nothing to measure.
 */
export function resultClarity(index: ArchiveIndex, passages: readonly string[], scores: readonly number[]): number {
  const total = scores.reduce((a, b) => a + b, 0);
  const tokens = archiveTokens(index);
  if (!(total > 0) || tokens === 0) return 0;
  const lambda = CLARITY_SMOOTHING;
  // Σ_D P(D | Q) λ P_ml(w | D), per stem.
  const own = new Map<string, number>();
  passages.forEach((text, i) => {
    const counts = new Map<string, number>();
    let length = 0;
    for (const { form } of tokenize(text)) {
      length++;
      const stem = stemForm(form);
      counts.set(stem, (counts.get(stem) ?? 0) + 1);
    }
    if (length === 0) return;
    const weight = (scores[i]! / total) * (lambda / length);
    for (const [stem, tf] of counts) own.set(stem, (own.get(stem) ?? 0) + tf * weight);
  });
  let clarity = 0;
  let seenMass = 0;
  for (const [stem, p] of own) {
    const background = Math.max(1, stemOccurrences(index, stem)) / tokens;
    seenMass += background;
    const q = p + (1 - lambda) * background;
    clarity += q * Math.log2(q / background);
  }
  // Every other word: P(w | R) = (1 − λ) P(w | C).
  const rest = Math.max(0, 1 - seenMass);
  clarity += (1 - lambda) * rest * Math.log2(1 - lambda);
  return clarity;
}
