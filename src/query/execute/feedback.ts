/**
 * Pseudo-relevance feedback (RM3, after Lavrenko and Croft's relevance model as
 * Anserini and Terrier run it) for long queries: the words that the best first-pass
 * articles share are added to the query, and the articles the query matched are
 * scored again with them. A query of several words is a description more than a
 * list of keywords, and its best hits say which other words the articles it is
 * after use; a short keyword query is left alone (feedback would drift from what
 * was typed, and cost a second pass).
 *
 * Only reranks: the second pass scores only articles that the query itself matched,
 * so every hit still holds a word of the query, and only the query's words are marked.
 *
 * The relevance model is drawn from each feedback article's best paragraph (the
 * passage the query matched best), not from the whole article: passage-level
 * feedback (Allan, "Relevance feedback with too much data", SIGIR 1995; Xu and
 * Croft's local context analysis) keeps a long article's other subjects, and its
 * headline, out of the expansion (`bench/results/RELEVANCE.md`, row 23).
 */
import { tokenize } from '../../analysis/tokenize.js';
import { stemForm } from '../../analysis/stem-form.js';
import { stemTerm } from '../../analysis/index-terms.js';
import type { ArchiveIndex } from '../../index/archive-index.js';
import type { CompiledItem, CompiledWord, QueryPlan } from './execute-query.js';
import { expandWord } from '../plan/expand-terms.js';
import { MIN_IDF, termIdf } from './term-idf.js';
import { resultClarity } from './result-clarity.js';

/** Fewest distinct query words that weigh in the ranking for feedback: shorter queries are keyword queries and run once. */
export const FEEDBACK_MIN_WORDS = 5;
/** First-pass articles the feedback words are drawn from. */
export const FEEDBACK_ARTICLES = 10;
/** Words of the relevance model kept (query words among them). */
export const FEEDBACK_WORDS = 10;
/** Weight of the original query in the mix with the relevance model (RM3's λ; 0.5 is the usual default). */
export const ORIGINAL_QUERY_WEIGHT = 0.5;
/**
 * A feedback word must be in at most this share of paragraphs: the relevance
 * model, run without a stop list, would otherwise pick "the" and "of".
 */
export const MAX_FEEDBACK_DOCUMENT_SHARE = 0.1;
/** Most clauses of a plan (the clause masks are 32 bits). */
const MAX_CLAUSES = 32;

/** A relevance-model word: its stem, the form it is most often written in, and P(w | R). */
interface ModelWord {
  stem: string;
  form: string;
  probability: number;
}

/**
 * Whether a query word weighs in the ranking: the IDF of its stem term over the paragraphs (the
 * term that carries the word's weight, `expand-terms.ts`) is above the floor {@link MIN_IDF}, that
 * is, fewer than about half of the paragraphs hold it. "what", "is", "the" in most archives do not:
 * BM25 with FTS5's IDF gives them next to nothing, as a stop list would.
 */
function weighs(index: ArchiveIndex, item: CompiledWord): boolean {
  const term = item.expansions.find((e) => e.kind === 'stem')?.term;
  if (term === undefined) return true;
  const df = index.documentFrequency('paragraphs', term);
  return df > 0 && termIdf(index.liveDocumentCount('paragraphs'), df) > MIN_IDF;
}

/**
 * True when `plan` is a long query that feedback applies to: at least {@link FEEDBACK_MIN_WORDS} words
 * that weigh in the ranking (see {@link weighs}). "what is the hot line proposal" is a three-word
 * keyword query padded with words that say nothing, not a description: counted as six words, it ran
 * feedback and drifted (`bench/results/RELEVANCE.md`, row 32).
 */
export function wantsFeedback(plan: QueryPlan, index: ArchiveIndex): boolean {
  const words: CompiledWord[] = [];
  for (const clause of plan.clauses) for (const item of clause) if (item.type === 'word') words.push(item);
  if (words.length < FEEDBACK_MIN_WORDS) return false;
  let weighing = 0;
  for (const word of words) if (weighs(index, word) && ++weighing >= FEEDBACK_MIN_WORDS) return true;
  return false;
}

/**
 * The paragraph (short id) of article `ord` with the highest score in `paraScore`
 * (the first of equals), or -1 when none of its paragraphs scored.
 */
export function bestParagraph(index: ArchiveIndex, paraScore: Float64Array, ord: number): number {
  let best = -1;
  let bestScore = 0;
  for (let doc = index.articleFirstPara[ord]!; doc < index.articleFirstPara[ord + 1]!; doc++) {
    if (paraScore[doc]! > bestScore) {
      bestScore = paraScore[doc]!;
      best = doc;
    }
  }
  return best;
}

/**
 * The passage each of the feedback articles `ords` gives the relevance model: the text
 * of its best paragraph by `paraScore` (the first pass's), or its headline when only the headline matched.
 */
export function feedbackPassages(index: ArchiveIndex, paraScore: Float64Array, ords: readonly number[]): string[] {
  return ords.map((ord) => {
    const doc = bestParagraph(index, paraScore, ord);
    return doc >= 0 ? index.paragraphText(doc) : index.titleText(ord);
  });
}

/**
 * The relevance model of the first-pass passages `passages` (one text per
 * feedback article, best first) with their articles' scores: P(w | R) =
 * Σ_d P(w | d) · score(d) / Σ score, over word stems, keeping the
 * {@link FEEDBACK_WORDS} most probable informative ones, renormalized.
 */
function relevanceModel(index: ArchiveIndex, passages: readonly string[], scores: readonly number[]): ModelWord[] {
  const totalScore = scores.reduce((a, b) => a + b, 0);
  if (!(totalScore > 0)) return [];
  // P(form | R) first (each document's forms counted, then weighted); stems once per distinct form.
  const formProbability = new Map<string, number>();
  const counts = new Map<string, number>();
  passages.forEach((text, i) => {
    counts.clear();
    let length = 0;
    for (const { form } of tokenize(text)) {
      length++;
      counts.set(form, (counts.get(form) ?? 0) + 1);
    }
    const weight = scores[i]! / totalScore / Math.max(1, length);
    for (const [form, tf] of counts) formProbability.set(form, (formProbability.get(form) ?? 0) + tf * weight);
  });
  // P(stem | R), and each stem's most probable form (the word it is added as).
  const probability = new Map<string, number>();
  const bestForm = new Map<string, [form: string, probability: number]>();
  for (const [form, p] of formProbability) {
    const stem = stemForm(form);
    probability.set(stem, (probability.get(stem) ?? 0) + p);
    const best = bestForm.get(stem);
    if (!best || p > best[1] || (p === best[1] && form < best[0])) bestForm.set(stem, [form, p]);
  }
  // Most probable first; a stem's document frequency is looked up only until enough are kept.
  const maxParagraphs = MAX_FEEDBACK_DOCUMENT_SHARE * index.liveDocumentCount('paragraphs');
  const informative: [string, number][] = [];
  for (const entry of [...probability].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    if (informative.length === FEEDBACK_WORDS) break;
    if (!/^[a-z]{3,}$/.test(entry[0])) continue;
    const count = paragraphCount(index, entry[0]);
    if (count > 0 && count <= maxParagraphs) informative.push(entry);
  }
  const sum = informative.reduce((a, [, p]) => a + p, 0);
  return informative.map(([stem, p]) => ({ stem, form: bestForm.get(stem)![0], probability: p / sum }));
}

/** Paragraphs holding a word of `stem` (live or not: an estimate is enough here). */
function paragraphCount(index: ArchiveIndex, stem: string): number {
  return index.storedDocumentFrequency('paragraphs', stemTerm(stem));
}

function scaled(word: CompiledWord, factor: number): CompiledWord {
  return { ...word, expansions: word.expansions.map((e) => ({ ...e, weight: e.weight * factor })) };
}

/**
 * The second-pass plan from the feedback `passages` (the best paragraph of each
 * first-pass article, best first; see {@link feedbackPassages}) and their articles'
 * `scores`: each query word weighted λ + (1 − λ)·|Q|·P(w | R), and the
 * model's other words added with (1 − λ)·|Q|·P(w | R) (RM3's mix, scaled by the
 * number of query words |Q| so the original words keep weight 1 at λ = 1), in one
 * clause of their own (or the last clause when the plan has no room for another).
 * Null when the first pass gives nothing to learn from.
 */
export function feedbackPlan(
  index: ArchiveIndex,
  plan: QueryPlan,
  passages: readonly string[],
  scores: readonly number[],
): QueryPlan | null {
  const model = relevanceModel(index, passages.slice(0, FEEDBACK_ARTICLES), scores.slice(0, FEEDBACK_ARTICLES));
  if (model.length === 0) return null;
  const byStem = new Map(model.map((w) => [w.stem, w.probability]));
  let queryWords = 0;
  const queryStems = new Set<string>();
  for (const clause of plan.clauses) {
    for (const item of clause) {
      if (item.type !== 'word') continue;
      queryWords++;
      queryStems.add(stemForm(item.form));
    }
  }
  const mix = (probability: number) => (1 - ORIGINAL_QUERY_WEIGHT) * queryWords * probability;
  const clauses: CompiledItem[][] = plan.clauses.map((clause) =>
    clause.map((item) =>
      item.type === 'word' ? scaled(item, ORIGINAL_QUERY_WEIGHT + mix(byStem.get(stemForm(item.form)) ?? 0)) : item,
    ),
  );
  const added: CompiledItem[] = model
    .filter((w) => !queryStems.has(w.stem))
    .map((w) =>
      scaled(
        { type: 'word', form: w.form, expansions: expandWord(index.lexicon, w.form, { prefix: false, typos: false }) },
        mix(w.probability),
      ),
    );
  if (added.length > 0) {
    if (clauses.length < MAX_CLAUSES) clauses.push(added);
    else clauses[clauses.length - 1]!.push(...added);
  }
  return { clauses, excluded: plan.excluded };
}

/** Article ordinal → 1 for each of `ords` (the first pass's matches): the second pass's filter. */
export function articleSet(articleCount: number, ords: ArrayLike<number>): Uint8Array {
  const set = new Uint8Array(articleCount);
  for (let i = 0; i < ords.length; i++) set[ords[i]!] = 1;
  return set;
}

/** A pass's ranking: its paragraph scores and its best articles, best first. */
export interface RankedPass {
  paraScore: Float64Array;
  top: readonly number[];
}

/** The clarity (`result-clarity.ts`) of a pass's best {@link FEEDBACK_ARTICLES} articles, by their best paragraphs. */
function passClarity(index: ArchiveIndex, pass: RankedPass): number {
  return resultClarity(index, feedbackPassages(index, pass.paraScore, pass.top.slice(0, FEEDBACK_ARTICLES)));
}

/**
 * Whether the feedback pass's ranking `second` replaces the query's own `first`: when the best
 * paragraphs of its best {@link FEEDBACK_ARTICLES} articles are at least as clear (as much about one
 * subject) as the first pass's. Expansion is meant to gather the articles about the query's subject;
 * a list less clear than the query's own has drifted to a mix of subjects, and the query's ranking is
 * kept. After the selective query expansion of Cronen-Townsend, Zhou and Croft ("A language modeling
 * framework for selective query expansion", CIIR technical report, 2004), which compares the language
 * models of the original and the expanded results with the archive's; here in its simplest form, the
 * two lists' clarity compared, with no threshold to set (`bench/results/RELEVANCE.md`, row 39b). Costs
 * the clarity of two lists of ten paragraphs: tokenizing them, and one collection-frequency sum per
 * distinct stem (over its postings, decoded once and kept in the postings cache).
 */
export function keepsFeedback(index: ArchiveIndex, first: RankedPass, second: RankedPass): boolean {
  return passClarity(index, second) >= passClarity(index, first);
}
