/**
 * The clarity of a result list (Cronen-Townsend, Zhou and Croft, "Predicting query
 * performance", SIGIR 2002): the relative entropy, in bits, between the language model
 * of the list's best passages and the archive's, Σ_w P(w | R) log2(P(w | R) / P(w | C)).
 * A list about one subject uses words the archive as a whole uses less (a high clarity);
 * a list that mixes subjects looks like the archive (near 0).
 *
 * The paper weighs each document by its query likelihood P(D | Q); here every passage
 * weighs the same. BM25 scores are not probabilities, and the lists compared
 * (`keepsFeedback` in `feedback.ts`) are scored on different scales (one with
 * whole-article evidence, one by the expanded query): weighted by score, the
 * comparison would measure the shape of the scores rather than what the passages say.
 */
import { tokenize } from '../../analysis/tokenize.js';
import { stemForm } from '../../analysis/stem-form.js';
import { stemTerm } from '../../analysis/index-terms.js';
import type { ArchiveIndex } from '../../index/archive-index.js';
import { decodeAllBlocks } from '../../index/term-postings.js';

/** λ of P(w | D) = λ P_ml(w | D) + (1 − λ) P(w | C) (Jelinek–Mercer smoothing; 0.6, the clarity paper's value). */
export const CLARITY_SMOOTHING = 0.6;

/** Most stems whose occurrences are kept per state of the index; past it the table starts again. */
const MAX_KEPT_STEMS = 100_000;

/** Per state of the index (a reader never changes): its paragraphs' tokens, and the occurrences of the stems looked up. */
const archiveModels = new WeakMap<ArchiveIndex, { tokens: number; occurrences: Map<string, number> }>();

/** The archive's model of `index`: the live paragraphs' tokens (counted once) and a table of stem occurrences. */
function archiveModel(index: ArchiveIndex): { tokens: number; occurrences: Map<string, number> } {
  let model = archiveModels.get(index);
  if (model === undefined) {
    let tokens = 0;
    for (let doc = 0; doc < index.paraLength.length; doc++)
      if (index.paraArticle[doc]! >= 0) tokens += index.paraLength[doc]!;
    model = { tokens, occurrences: new Map() };
    archiveModels.set(index, model);
  }
  return model;
}

/**
 * Occurrences of a stem's words in the paragraphs: its stem term's frequencies summed over its
 * postings, once per state of the index (common words come back in every list measured).
 */
function stemOccurrences(index: ArchiveIndex, occurrences: Map<string, number>, stem: string): number {
  let n = occurrences.get(stem);
  if (n !== undefined) return n;
  n = 0;
  const postings = index.termPostings('paragraphs', stemTerm(stem));
  if (postings) {
    decodeAllBlocks(postings);
    for (let i = postings.start; i < postings.end; i++) n += postings.tfs[i]!;
  }
  if (occurrences.size >= MAX_KEPT_STEMS) occurrences.clear();
  occurrences.set(stem, n);
  return n;
}

/**
 * Clarity, in bits (≥ 0), of the list whose best passages are `passages`, each weighing the
 * same, over word stems: P(w | R) = mean over passages of λ P_ml(w | D) + (1 − λ) P(w | C),
 * λ = {@link CLARITY_SMOOTHING}, P(w | C) the stem's share of the paragraphs' tokens. Words in
 * none of the passages add their closed-form share. A set of passages, not a list: the same
 * passages in any order give the same value, to the bit. 0 for no passages or an empty archive.
 */
export function resultClarity(index: ArchiveIndex, passages: readonly string[]): number {
  const { tokens, occurrences } = archiveModel(index);
  const texts = passages.filter((text) => text.length > 0).sort();
  if (texts.length === 0 || tokens === 0) return 0;
  const lambda = CLARITY_SMOOTHING;
  // Σ_D P(D) λ P_ml(w | D), per stem, P(D) uniform.
  const own = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const text of texts) {
    counts.clear();
    let length = 0;
    for (const { form } of tokenize(text)) {
      length++;
      const stem = stemForm(form);
      counts.set(stem, (counts.get(stem) ?? 0) + 1);
    }
    if (length === 0) continue;
    const weight = lambda / texts.length / length;
    for (const [stem, tf] of counts) own.set(stem, (own.get(stem) ?? 0) + tf * weight);
  }
  let clarity = 0;
  let seenMass = 0;
  for (const stem of [...own.keys()].sort()) {
    const background = Math.max(1, stemOccurrences(index, occurrences, stem)) / tokens;
    seenMass += background;
    const p = own.get(stem)! + (1 - lambda) * background;
    clarity += p * Math.log2(p / background);
  }
  // Every other word: P(w | R) = (1 − λ) P(w | C), each adding (1 − λ) P(w | C) log2(1 − λ).
  clarity += (1 - lambda) * Math.max(0, 1 - seenMass) * Math.log2(1 - lambda);
  return Math.max(0, clarity);
}
