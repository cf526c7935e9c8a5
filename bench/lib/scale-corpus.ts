/**
 * The scale-up corpus (pure apart from the `emit` callback): an N× archive whose
 * first part is the real corpus as it is and whose rest is assembled from its
 * sentences, with new names, words and figures brought in at the rate Heaps' law
 * (fitted on the real corpus) gives for the token count so far. Seeded and
 * deterministic; copy k of an N× corpus is the same text for every N ≥ k.
 */
import { fitHeapsLaw, heapsTarget, VocabularyCurve, type HeapsFit, type VocabularyPoint } from './heaps-law.js';
import { mintWord, type MintKind } from './mint-word.js';
import { pick, seededRandom } from './seeded-random.js';
import { buildSentencePool, type ScaleArticle } from './sentence-pool.js';

/** A tokenizer returning each token's offsets and normalized form (the project's, through the adapter). */
export type TokenizeForms = (text: string) => readonly { start: number; end: number; form: string }[];

/** Options of {@link generateScaleCorpus}. */
export interface ScaleCorpusOptions {
  /** Size as a multiple of the source (1 = the source alone), a positive integer. */
  times: number;
  seed: number;
  tokenize: TokenizeForms;
  /** Heaps' exponent the generated part follows; default: the one fitted on the source. */
  beta?: number;
  /** First generated article's date, ms since the epoch. Default 1990-01-01T00:00:00Z. */
  firstDateMs?: number;
  /** Time between generated articles, ms. Default 15 minutes (48× spans about 28 years). */
  dateStepMs?: number;
}

/** Vocabulary figures after a whole number of copies. */
export interface CopyPoint extends VocabularyPoint {
  copies: number;
  articles: number;
  paragraphs: number;
}

/** What {@link generateScaleCorpus} wrote. */
export interface ScaleCorpusStats {
  times: number;
  seed: number;
  articles: number;
  paragraphs: number;
  /** Paragraph tokens (the project's tokenizer). */
  tokens: number;
  /** Distinct normalized word forms among those tokens. */
  distinctForms: number;
  /** The real corpus, read in a seeded random article order for the fit. */
  source: { articles: number; paragraphs: number; tokens: number; distinctForms: number; heaps: HeapsFit };
  /** Heaps' law fitted on this corpus's own per-copy points (null below 3 copies). */
  heaps: HeapsFit | null;
  /** New tokens brought in, by kind; `reused`: later uses of a recent new name or word. */
  minted: Record<MintKind | 'reused', number>;
  /** After each copy. */
  perCopy: CopyPoint[];
}

const MAX_MINTS_PER_SENTENCE = 4;
/** Chance that a sentence uses again one of the recent new names or words (they recur, as names in the news do). */
const REUSE_RATE = 0.08;
const RECENT = 4096;
const NAME = /^\p{Lu}\p{Ll}{3,}$/u;
const WORD = /^\p{Ll}{5,}$/u;
const FIGURE = /^\p{N}/u;

/** Vocabulary curve of `articles` read in a seeded random order, and totals. */
function measureSource(articles: readonly ScaleArticle[], tokenize: TokenizeForms, seed: number) {
  const order = articles.map((_, i) => i);
  const random = seededRandom(seed ^ 0x5eed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const forms = new Set<string>();
  const curve = new VocabularyCurve();
  let tokens = 0;
  let paragraphs = 0;
  for (const i of order) {
    for (const p of articles[i]!.paragraphs) {
      const found = tokenize(p);
      for (const t of found) forms.add(t.form);
      tokens += found.length;
      paragraphs++;
      curve.record(tokens, forms.size);
    }
  }
  return {
    articles: articles.length,
    paragraphs,
    tokens,
    distinctForms: forms.size,
    heaps: fitHeapsLaw(curve.points, Math.min(10_000, tokens / 20)),
  };
}

/**
 * Writes an N× corpus through `emit`, one article at a time (awaited, so a file
 * writer can apply back-pressure): first the `source` articles unchanged, then
 * (N−1)·|source| generated ones. A generated article takes the shape (sentences
 * per paragraph), section, source and tags of a random source article, a random
 * headline, and random real sentences; in each sentence, while the distinct forms
 * so far fall short of V0·(n/n0)^β (the Heaps' law fitted on the source, through
 * its end point), a name, word or figure is replaced by a new one. Ids are
 * `scale-0000001`…; dates advance by `dateStepMs` from `firstDateMs`.
 * Memory: the source, its sentences and the set of distinct forms (it grows with
 * the vocabulary, about V0·N^β, not with the text).
 */
export async function generateScaleCorpus(
  source: readonly ScaleArticle[],
  options: ScaleCorpusOptions,
  emit: (article: ScaleArticle) => void | Promise<void>,
): Promise<ScaleCorpusStats> {
  const { times, seed, tokenize } = options;
  if (!Number.isInteger(times) || times < 1) throw new Error(`times: a positive integer, got ${times}`);
  if (source.length === 0) throw new Error('the source corpus has no article');
  const measured = measureSource(source, tokenize, seed);
  const pool = buildSentencePool(source);
  const random = seededRandom(seed);
  const forms = new Set<string>();
  const minted: ScaleCorpusStats['minted'] = { name: 0, word: 0, figure: 0, reused: 0 };
  const counters: Record<MintKind, number> = { name: 0, word: 0, figure: 0 };
  const recent: string[] = [];
  let tokens = 0;
  let paragraphs = 0;
  let articles = 0;
  const perCopy: CopyPoint[] = [];
  const point = (copies: number) => perCopy.push({ copies, articles, paragraphs, tokens, distinctForms: forms.size });

  for (const article of source) {
    for (const p of article.paragraphs) {
      const found = tokenize(p);
      for (const t of found) forms.add(t.form);
      tokens += found.length;
      paragraphs++;
    }
    articles++;
    await emit(article);
  }
  point(1);
  const anchor: VocabularyPoint = { tokens, distinctForms: forms.size };
  const beta = options.beta ?? measured.heaps.beta;

  /** A new token of `kind` whose form no text held before; its form is added to `forms`. */
  const mint = (kind: MintKind): string => {
    for (;;) {
      const text = mintWord(kind, counters[kind]++);
      const found = tokenize(text);
      if (found.length === 1 && !forms.has(found[0]!.form)) {
        forms.add(found[0]!.form);
        minted[kind]++;
        return text;
      }
    }
  };

  /** One source sentence, with new tokens swapped in as the vocabulary target asks. */
  const sentence = (): string => {
    let text = pick(random, pool.sentences);
    const found = tokenize(text);
    if (found.length === 0) return text;
    const after = tokens + found.length;
    const want = Math.min(MAX_MINTS_PER_SENTENCE, Math.floor(heapsTarget(anchor, beta, after)) - forms.size);
    const slots: { index: number; kind: MintKind }[] = [];
    found.forEach((t, index) => {
      if (index === 0) return; // a sentence's first word is capitalised anyway
      const raw = text.slice(t.start, t.end);
      const kind: MintKind | null = NAME.test(raw)
        ? 'name'
        : WORD.test(raw)
          ? 'word'
          : FIGURE.test(raw)
            ? 'figure'
            : null;
      if (kind) slots.push({ index, kind });
    });
    const replace = new Map<number, string>();
    for (let m = 0; m < want && slots.length; m++) {
      // Names and figures first, as in the news: what is new is mostly who and how much.
      const preferred = slots.filter((s) => s.kind === (random() < 0.6 ? 'name' : 'figure'));
      const slot = pick(random, preferred.length ? preferred : slots);
      slots.splice(slots.indexOf(slot), 1);
      const fresh = mint(slot.kind);
      replace.set(slot.index, fresh);
      if (slot.kind !== 'figure') {
        if (recent.length < RECENT) recent.push(fresh);
        else recent[(minted.name + minted.word) % RECENT] = fresh;
      }
    }
    if (recent.length && slots.length && random() < REUSE_RATE) {
      const slot = pick(random, slots);
      const again = pick(random, recent);
      replace.set(slot.index, slot.kind === 'word' ? again.toLowerCase() : again[0]!.toUpperCase() + again.slice(1));
      minted.reused++;
    }
    for (const t of found) forms.add(t.form);
    if (replace.size) {
      for (const index of [...replace.keys()].sort((a, b) => b - a)) {
        const t = found[index]!;
        text = text.slice(0, t.start) + replace.get(index)! + text.slice(t.end);
      }
    }
    tokens = after;
    return text;
  };

  const firstDate = options.firstDateMs ?? Date.UTC(1990, 0, 1);
  const step = options.dateStepMs ?? 15 * 60_000;
  for (let copy = 2; copy <= times; copy++) {
    for (let i = 0; i < source.length; i++) {
      const g = (copy - 2) * source.length + i;
      const shapeOf = Math.floor(random() * source.length);
      const like = source[shapeOf]!;
      const body = pool.shapes[shapeOf]!.map((count) => Array.from({ length: Math.max(1, count) }, sentence).join(' '));
      const date =
        new Date(firstDate + g * step + Math.floor(random() * (step / 1000)) * 1000).toISOString().slice(0, 19) + 'Z';
      paragraphs += body.length;
      articles++;
      await emit({
        id: `scale-${String(g + 1).padStart(7, '0')}`,
        title: pick(random, pool.titles),
        date,
        source: like.source,
        section: like.section,
        tags: like.tags,
        paragraphs: body,
      });
    }
    point(copy);
  }
  return {
    times,
    seed,
    articles,
    paragraphs,
    tokens,
    distinctForms: forms.size,
    source: measured,
    heaps: perCopy.length >= 3 ? fitHeapsLaw(perCopy, 0) : null,
    minted,
    perCopy,
  };
}
