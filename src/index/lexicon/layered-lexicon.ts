import { isStemTerm } from '../../analysis/index-terms.js';
import type { FormsLexicon, LexiconEntry } from './forms-lexicon.js';

/** What queries read of a lexicon: frequencies, completions of a prefix, forms within some edits. */
export type Lexicon = Pick<
  FormsLexicon,
  'frequency' | 'completions' | 'filteredCompletions' | 'fuzzy' | 'fuzzyAtLeast'
>;

/** Extra candidates a completion takes from the base, for forms whose count fell. */
const SLACK = 32;

/**
 * A lexicon moved along by changes without being rebuilt: an immutable base
 * (`FormsLexicon`, one buffer for the whole archive), the change in document
 * frequency of each form since, and the forms the base lacks, kept sorted.
 * Rebuilding the base costs O(vocabulary); `apply` costs O(changed forms + new
 * forms), so an index that takes writes all day keeps its lexicon current
 * cheaply, and folds the changes in (`IndexWriter.compactedLexicon`) now and then.
 *
 * Completions ask the base for extra candidates (`k` + {@link SLACK}), so a form
 * whose count fell can be passed by others; counts are exact, and a form at 0 is gone.
 */
export class LayeredLexicon implements Lexicon {
  /** Form → change in document frequency since `base`. */
  readonly changes = new Map<string, number>();
  /** Forms the base lacks whose count is above 0, sorted (`<`). */
  private added: string[] = [];

  constructor(readonly base: FormsLexicon) {}

  /** Number of forms changed since the base. */
  get size(): number {
    return this.changes.size;
  }

  /** Moves each form's count by `delta`. */
  apply(delta: ReadonlyMap<string, number>): void {
    const fresh: string[] = [];
    let gone = false;
    for (const [form, n] of delta) {
      if (n === 0 || isStemTerm(form)) continue;
      const before = this.changes.get(form) ?? 0;
      const total = before + n;
      if (total === 0) this.changes.delete(form);
      else this.changes.set(form, total);
      // Only a form crossing 0 can enter or leave `added` (and only one the base lacks).
      const enters = before <= 0 && total > 0;
      const leaves = before > 0 && total <= 0;
      if ((enters || leaves) && this.base.frequency(form) === 0) {
        if (enters) fresh.push(form);
        else gone = true;
      }
    }
    if (gone) this.added = this.added.filter((form) => (this.changes.get(form) ?? 0) > 0);
    if (fresh.length) this.added = mergeSorted(this.added, fresh.sort());
  }

  frequency(form: string): number {
    return Math.max(0, this.base.frequency(form) + (this.changes.get(form) ?? 0));
  }

  completions(prefix: string, k: number, excludeSelf = false): LexiconEntry[] {
    const seen = new Map<string, number>();
    for (const { form } of this.base.completions(prefix, k + SLACK, excludeSelf)) seen.set(form, this.frequency(form));
    for (let i = lowerBound(this.added, prefix); i < this.added.length && this.added[i]!.startsWith(prefix); i++) {
      const form = this.added[i]!;
      if (!(excludeSelf && form === prefix)) seen.set(form, this.changes.get(form)!);
    }
    return topEntries(seen, k);
  }

  filteredCompletions(
    prefix: string,
    accept: (form: string) => boolean,
    k: number,
    maxTested: number,
  ): { entries: LexiconEntry[]; complete: boolean; tested: number } {
    const base = this.base.filteredCompletions(prefix, accept, k + SLACK, maxTested);
    const seen = new Map<string, number>();
    for (const { form } of base.entries) seen.set(form, this.frequency(form));
    let tested = base.tested;
    for (
      let i = lowerBound(this.added, prefix);
      i < this.added.length && this.added[i]!.startsWith(prefix) && tested < maxTested;
      i++, tested++
    ) {
      if (accept(this.added[i]!)) seen.set(this.added[i]!, this.changes.get(this.added[i]!)!);
    }
    return { entries: topEntries(seen, k), complete: base.complete && tested < maxTested, tested };
  }

  fuzzy(form: string, maxDistance: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const [term, distance] of this.base.fuzzy(form, maxDistance))
      if (this.frequency(term) > 0) out.set(term, distance);
    for (const term of this.added) {
      if (Math.abs(term.length - form.length) > maxDistance) continue;
      const distance = boundedDistance(form, term, maxDistance);
      if (distance <= maxDistance) out.set(term, distance);
    }
    return out;
  }

  fuzzyAtLeast(form: string, maxDistance: number, minDf: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const [term, distance] of this.base.fuzzyAtLeast(form, maxDistance, minDf))
      if (this.frequency(term) >= minDf) out.set(term, distance);
    // Forms the changes brought to the threshold (the base's walk did not see them).
    for (const term of this.changes.keys()) {
      if (Math.abs(term.length - form.length) > maxDistance || out.has(term)) continue;
      const distance = boundedDistance(form, term, maxDistance);
      if (distance <= maxDistance && this.frequency(term) >= minDf && this.base.frequency(term) < minDf)
        out.set(term, distance);
    }
    return out;
  }
}

/** The `k` most frequent of `counts` above 0, most frequent first, ties alphabetical. */
function topEntries(counts: ReadonlyMap<string, number>, k: number): LexiconEntry[] {
  return [...counts]
    .filter(([, df]) => df > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, k)
    .map(([form, df]) => ({ form, df }));
}

function lowerBound(list: readonly string[], key: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else if (i < a.length && a[i] === b[j]) {
      out.push(a[i++]!);
      j++;
    } else out.push(b[j++]!);
  }
  return out;
}

/** Levenshtein distance of two strings (UTF-16 code units), or `max + 1` once it must exceed `max`. */
export function boundedDistance(a: string, b: string, max: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let k = 1; k <= b.length; k++) {
      const v = Math.min(
        previous[k]! + 1,
        row[k - 1]! + 1,
        previous[k - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(k - 1) ? 0 : 1),
      );
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    previous = row;
  }
  return Math.min(previous[b.length]!, max + 1);
}
