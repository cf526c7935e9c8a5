import type { Article } from '../../corpus/article.js';
import { applyDelta, lexiconOf } from './lexicon-of.js';
import { LayeredLexicon, type Lexicon } from './layered-lexicon.js';
import { countForms } from '../segments/build-segment.js';
import { FormsLexicon } from './forms-lexicon.js';
import type { Segment } from '../segments/segment-reader.js';
import { runInWorker } from '../segments/worker-thread.js';

/**
 * Changed forms a lexicon carries (see `LayeredLexicon`) before a refresh folds them into it in this
 * thread; the live archive folds them sooner, in a worker thread, before each commit.
 */
const MAX_LEXICON_CHANGES = 1_000_000;

/**
 * The lexicon of an `IndexWriter` over time (its readers share it): built from the segments when
 * first needed (or given, from the cache), then moved along by the forms of
 * the articles added and removed — counted as they come (`note`), applied at
 * each refresh (`apply`) as a layer over the last full lexicon, and folded into
 * it when saved.
 */
export class IndexLexiconState {
  private base: FormsLexicon | null;
  /** Form → change in document frequency since the last `apply()`. */
  private readonly pending = new Map<string, number>();
  /** The changes applied since `base` was built, or null when none. */
  private layer: LayeredLexicon | null = null;

  constructor(base: FormsLexicon | null) {
    this.base = base;
  }

  /** The lexicon now (built from `segments` the first time). */
  current(segments: readonly Segment[]): Lexicon {
    this.base ??= lexiconOf(segments);
    return this.layer ?? this.base;
  }

  /** The lexicon as one `FormsLexicon` (the changes folded in: O(vocabulary)), to save it. */
  compacted(segments: readonly Segment[]): FormsLexicon {
    this.base ??= lexiconOf(segments);
    if (this.layer) {
      this.base = applyDelta(this.base, this.layer.changes);
      this.layer = null;
    }
    return this.base;
  }

  /** Folds the changes in a worker thread, then adopts the result (unless changes came meanwhile). */
  async compactInWorker(): Promise<void> {
    if (!this.base || !this.layer) return;
    const layer = this.layer;
    const bytes = await runInWorker<Uint8Array>({
      task: 'compactLexicon',
      lexicon: this.base.encode(),
      changes: [...layer.changes],
    });
    if (this.layer !== layer) return; // changed meanwhile after all: left to the next compaction
    this.base = FormsLexicon.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.layer = null;
  }

  /** True once the lexicon exists (before, changes need not be counted: it will be built from the segments). */
  get tracking(): boolean {
    return this.base !== null;
  }

  /** Counts an article's forms as added (+1) or removed (-1); nothing before the lexicon is first needed. */
  note(articles: Iterable<Article>, sign: 1 | -1): void {
    if (this.base) countForms(articles, sign, this.pending);
  }

  /** Counts the forms of a segment written elsewhere (see `countForms`). */
  noteCounts(forms: Iterable<[string, number]>): void {
    if (this.base) for (const [form, n] of forms) this.pending.set(form, (this.pending.get(form) ?? 0) + n);
  }

  /** Applies what was noted since the last call (a refresh). */
  apply(): void {
    if (this.base && this.pending.size > 0) {
      this.layer ??= new LayeredLexicon(this.base);
      this.layer.apply(this.pending);
      if (this.layer.size > MAX_LEXICON_CHANGES) this.compacted([]);
    }
    this.pending.clear();
  }

  /** Forgets it all: the segments changed in a way the changes do not follow (built again when needed). */
  reset(): void {
    this.base = null;
    this.layer = null;
    this.pending.clear();
  }
}
