import { isStemTerm } from '../analysis/index-terms.js';
import type { TermTree } from './minisearch-internals.js';
import { postingCount } from './packed-term-data.js';
import { topK } from './top-k.js';

/** A word form of the corpus with the number of documents (paragraphs + headlines) containing it. */
export interface LexiconEntry {
  form: string;
  df: number;
}

/**
 * Every word form of the index (never stems), sorted, with its document
 * frequency: what prefix search and `/suggest` choose completions from. A prefix
 * is a contiguous range of the sorted forms (binary search), and its most
 * frequent completions are picked with a bounded heap, so a one-letter prefix
 * costs about as much as any other, without walking MiniSearch's radix tree.
 * Kept in step with the index by `update()` after articles are added or removed.
 */
export class Lexicon {
  private constructor(
    private forms: string[],
    private df: Int32Array,
  ) {}

  /** Number of distinct word forms. */
  get size(): number {
    return this.forms.length;
  }

  /**
   * Builds the lexicon from sorted term lists with their postings offsets (one
   * list per MiniSearch instance, as the bulk build and the snapshot hold them).
   */
  static fromSortedTerms(lists: readonly { terms: readonly string[]; offsets: Uint32Array }[]): Lexicon {
    // Merge the sorted lists (stem terms skipped), summing frequencies of equal forms.
    let forms: string[] = [];
    let df = new Int32Array(0);
    for (const { terms, offsets } of lists) {
      const mergedForms: string[] = [];
      const mergedDf = new Int32Array(forms.length + terms.length);
      let i = 0;
      let n = 0;
      for (let j = 0; j < terms.length; j++) {
        const term = terms[j]!;
        if (isStemTerm(term)) continue;
        const count = offsets[j + 1]! - offsets[j]!;
        while (i < forms.length && forms[i]! < term) {
          mergedForms.push(forms[i]!);
          mergedDf[n++] = df[i++]!;
        }
        if (i < forms.length && forms[i] === term) {
          mergedForms.push(term);
          mergedDf[n++] = df[i++]! + count;
        } else {
          mergedForms.push(term);
          mergedDf[n++] = count;
        }
      }
      while (i < forms.length) {
        mergedForms.push(forms[i]!);
        mergedDf[n++] = df[i++]!;
      }
      forms = mergedForms;
      df = mergedDf.slice(0, n);
    }
    return new Lexicon(forms, df);
  }

  /** Builds the lexicon by walking the term trees (slower; for indexes built by `add()`). */
  static fromTrees(trees: readonly TermTree[]): Lexicon {
    const counts = new Map<string, number>();
    for (const tree of trees) {
      for (const [term, data] of tree.atPrefix('')) {
        if (!isStemTerm(term)) counts.set(term, (counts.get(term) ?? 0) + postingCount(data, 0));
      }
    }
    return Lexicon.fromCounts(counts);
  }

  private static fromCounts(counts: Map<string, number>): Lexicon {
    const forms = [...counts.keys()].filter((f) => counts.get(f)! > 0).sort();
    return new Lexicon(forms, Int32Array.from(forms, (f) => counts.get(f)!));
  }

  /** Index of the first form ≥ `text`. */
  private lowerBound(text: string): number {
    let lo = 0;
    let hi = this.forms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.forms[mid]! < text) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Document frequency of a form (0 when absent). */
  frequency(form: string): number {
    const i = this.lowerBound(form);
    return this.forms[i] === form ? this.df[i]! : 0;
  }

  /**
   * The `k` most frequent forms beginning with `prefix` (ties alphabetical),
   * `prefix` itself included unless `excludeSelf`.
   */
  completions(prefix: string, k: number, excludeSelf = false): LexiconEntry[] {
    const lo = this.lowerBound(prefix);
    // Forms beginning with the prefix sort before prefix + U+FFFF.
    const hi = this.lowerBound(prefix + '\uffff');
    const df = this.df;
    const forms = this.forms;
    const better = (a: number, b: number) => df[lo + a]! > df[lo + b]! || (df[lo + a] === df[lo + b] && a < b);
    const skip = excludeSelf && forms[lo] === prefix ? 1 : 0;
    return topK(hi - lo - skip, k, (a, b) => better(a + skip, b + skip)).map((i) => ({ form: forms[lo + skip + i]!, df: df[lo + skip + i]! }));
  }

  /**
   * Brings the lexicon up to date for forms whose document frequency may have
   * changed: `dfOf(form)` gives the new value (0 removes the form). One merge of
   * sorted arrays, O(size + changed).
   */
  update(changed: Iterable<string>, dfOf: (form: string) => number): void {
    const next = new Map<string, number>();
    for (const form of changed) if (!isStemTerm(form)) next.set(form, dfOf(form));
    if (next.size === 0) return;
    const added = [...next.keys()].filter((f) => this.frequency(f) === 0 && next.get(f)! > 0).sort();
    const forms = new Array<string>(this.forms.length + added.length);
    const df = new Int32Array(this.forms.length + added.length);
    let n = 0;
    let j = 0;
    const push = (form: string, count: number) => {
      if (count > 0) {
        forms[n] = form;
        df[n++] = count;
      }
    };
    for (let i = 0; i < this.forms.length; i++) {
      const form = this.forms[i]!;
      while (j < added.length && added[j]! < form) push(added[j]!, next.get(added[j++]!)!);
      push(form, next.has(form) ? next.get(form)! : this.df[i]!);
    }
    while (j < added.length) push(added[j]!, next.get(added[j++]!)!);
    forms.length = n;
    this.forms = forms;
    this.df = df.slice(0, n);
  }
}
